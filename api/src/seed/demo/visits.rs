//! The sample's inspections as data: the deputies' visit (视察) to a project, a law-enforcement
//! inspection (执法检查) on forest fire prevention and a check (检查), what each found, and each
//! finding's rectification step by step. Days are offsets from the day the sample is loaded.

use jiandu_domain::{InspectionKind, Rating};

pub struct Inspection {
    pub kind: InspectionKind,
    pub by: &'static str,
    pub project: Option<&'static str>,
    pub topic: Option<&'static str>,
    pub visited: i64,
    pub location: &'static str,
    pub participants: &'static [&'static str],
    pub looked_at: &'static [&'static str],
    pub summary: &'static str,
    pub rating: Rating,
    pub findings: &'static [Finding],
}

pub struct Finding {
    pub description: &'static str,
    pub milestone: Option<&'static str>,
    pub leader: &'static str,
    pub unit: &'static str,
    pub deadline: i64,
    pub history: &'static [Answer],
}

/// A step in a finding's life, by an account.
pub enum Answer {
    Rectifying {
        by: &'static str,
        note: &'static str,
    },
    Resolved {
        by: &'static str,
        resolution: &'static str,
    },
    Verified {
        by: &'static str,
        note: &'static str,
    },
}

const DEPUTIES: [&str; 3] = ["杨秀英", "吴德华", "周敏"];

pub const INSPECTIONS: [Inspection; 3] = [
    Inspection {
        kind: InspectionKind::Visit,
        by: "yangxiuying",
        project: Some("思蒙国家湿地公园健身步道风雨桥"),
        topic: None,
        visited: -15,
        location: "思蒙国家湿地公园健身步道风雨桥施工现场",
        participants: &DEPUTIES,
        looked_at: &["桥体及廊亭建设", "照明及附属设施安装"],
        summary: "镇人大主席团组织代表视察风雨桥建设。代表们认为工程总体推进有序，\
                  但廊亭吊装滞后于计划，临河一侧施工安全防护不到位。",
        rating: Rating::BasicallySatisfied,
        findings: &[
            // Rectified after its deadline, then checked on site by the deputy.
            Finding {
                description: "施工现场临河一侧安全防护栏缺失，存在落水隐患",
                milestone: Some("桥体及廊亭建设"),
                leader: "李明",
                unit: "村建办",
                deadline: -8,
                history: &[
                    Answer::Resolved {
                        by: "liming",
                        resolution: "已增设1.2米高临河防护栏并设置警示标志",
                    },
                    Answer::Verified {
                        by: "yangxiuying",
                        note: "代表回访核实，防护栏已安装到位",
                    },
                ],
            },
            Finding {
                description: "廊亭木构件防腐处理不到位，需返工",
                milestone: Some("桥体及廊亭建设"),
                leader: "李明",
                unit: "村建办",
                deadline: 10,
                history: &[Answer::Rectifying {
                    by: "liming",
                    note: "已通知施工单位返工",
                }],
            },
        ],
    },
    Inspection {
        kind: InspectionKind::LawEnforcement,
        by: "renda",
        project: None,
        topic: Some("森林防火"),
        visited: -40,
        location: "思蒙镇各村",
        participants: &DEPUTIES,
        looked_at: &[],
        summary: "对《森林防火条例》贯彻执行情况开展执法检查，重点检查护林员配备、\
                  巡山记录和防火物资储备。",
        rating: Rating::BasicallySatisfied,
        findings: &[Finding {
            description: "部分村护林员配备不足，巡山记录不全",
            milestone: None,
            leader: "张丽",
            unit: "社会事务办",
            deadline: -3,
            history: &[],
        }],
    },
    Inspection {
        kind: InspectionKind::Check,
        by: "yangxiuying",
        project: Some("二桥至思蒙路段提质改造"),
        topic: None,
        visited: -30,
        location: "二桥至思蒙路段",
        participants: &["杨秀英", "吴德华"],
        looked_at: &[],
        summary: "检查路段提质改造施工组织和交通疏导，群众反映良好。",
        rating: Rating::Satisfied,
        findings: &[],
    },
];
