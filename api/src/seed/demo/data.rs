//! The Simeng (思蒙镇) 2021 sample as data: who works in the town, its accounts, the projects the
//! congress voted with their milestones and what happened to each (the deputies' inspections
//! are in `visits`). Days are offsets from the day the sample is loaded; people, units, accounts,
//! projects and milestones are named, never numbered.

use jiandu_domain::{ProjectOrigin, Role};

pub const UNITS: [&str; 4] = ["党政办", "经发办", "社会事务办", "村建办"];

/// Name, title, unit. The town's leaders sit in 党政办, whose head is the 镇长: a supervision
/// order a 副镇长 leaves unsigned is copied to him.
pub const PEOPLE: [(&str, &str, &str); 10] = [
    ("王建国", "镇长", "党政办"),
    ("李明", "副镇长", "党政办"),
    ("张丽", "副镇长", "党政办"),
    ("陈刚", "副镇长", "党政办"),
    ("刘芳", "村建办主任", "村建办"),
    ("赵强", "经发办主任", "经发办"),
    ("周敏", "人大主席", "党政办"),
    ("杨秀英", "人大代表", "党政办"),
    ("吴德华", "人大代表", "党政办"),
    ("何永清", "人大代表", "社会事务办"),
];

/// Unit, head (负责人).
pub const HEADS: [(&str, &str); 3] = [("党政办", "王建国"), ("村建办", "刘芳"), ("经发办", "赵强")];

pub struct Account {
    pub username: &'static str,
    pub role: Role,
    pub person: Option<&'static str>,
    /// In the county above the town rather than the town.
    pub in_county: bool,
    /// Who it is, as the start-up message lists the accounts.
    pub about: &'static str,
}

/// The first is the presidium account that enters the sample.
pub const ACCOUNTS: [Account; 6] = [
    Account {
        username: "renda",
        role: Role::Presidium,
        person: Some("周敏"),
        in_county: false,
        about: "PRESIDIUM  周敏, 人大主席",
    },
    Account {
        username: "liming",
        role: Role::Leader,
        person: Some("李明"),
        in_county: false,
        about: "LEADER     李明, 副镇长 (风雨桥)",
    },
    Account {
        username: "chengang",
        role: Role::Leader,
        person: Some("陈刚"),
        in_county: false,
        about: "LEADER     陈刚, 副镇长 (二桥至思蒙路段)",
    },
    Account {
        username: "zhangli",
        role: Role::Leader,
        person: Some("张丽"),
        in_county: false,
        about: "LEADER     张丽, 副镇长 (旅游通道用地)",
    },
    Account {
        username: "yangxiuying",
        role: Role::Deputy,
        person: Some("杨秀英"),
        in_county: false,
        about: "DEPUTY     杨秀英, 人大代表",
    },
    Account {
        username: "xianrenda",
        role: Role::Viewer,
        person: None,
        in_county: true,
        about: "VIEWER     县人大常委会",
    },
];

pub const COUNTY: &str = "县人大常委会";

/// The milestone whose deadline falls on a rest day (a public holiday when one is near): due by
/// the next working day.
pub const ON_A_REST_DAY: &str = "交通标识标线完善";

pub struct Project {
    pub title: &'static str,
    pub description: &'static str,
    pub origin: ProjectOrigin,
    pub location: &'static str,
    /// 工程建设项目 (finished with 竣工).
    pub construction: bool,
    pub lead: &'static str,
    /// Planned start and end.
    pub planned: Option<(i64, i64)>,
    pub milestones: &'static [Milestone],
    /// Marked IN_PROGRESS once its milestones are entered.
    pub started: bool,
}

/// A milestone and what happened to it, in order.
pub struct Milestone {
    pub title: &'static str,
    pub parent: Option<&'static str>,
    pub leader: &'static str,
    pub unit: &'static str,
    pub person: Option<&'static str>,
    pub start: Option<i64>,
    pub deadline: i64,
    pub history: &'static [Step],
}

pub enum Step {
    /// Reported done by an account, on a day.
    Done {
        by: &'static str,
        on: i64,
        note: &'static str,
    },
    Verified {
        by: &'static str,
        note: &'static str,
    },
    /// Moved by the presidium to a new deadline.
    Rescheduled { to: i64, reason: &'static str },
    Progress {
        by: &'static str,
        percent: i64,
        note: &'static str,
    },
    /// Cancelled by the presidium.
    Cancelled { reason: &'static str },
    /// Signed off by the presidium (销号).
    SignedOff { note: &'static str },
    /// Sent back by an account, on a day (退回重办).
    Returned {
        by: &'static str,
        on: i64,
        reason: &'static str,
    },
    /// A later deadline asked for by an account, still waiting for the presidium.
    ExtensionAsked {
        by: &'static str,
        to: i64,
        reason: &'static str,
    },
    /// A later deadline asked for, and refused by the presidium with a note.
    ExtensionRefused {
        by: &'static str,
        to: i64,
        reason: &'static str,
        note: &'static str,
    },
}

const fn node(
    title: &'static str,
    leader: &'static str,
    unit: &'static str,
    person: Option<&'static str>,
    (start, deadline): (Option<i64>, i64),
    history: &'static [Step],
) -> Milestone {
    Milestone {
        title,
        parent: None,
        leader,
        unit,
        person,
        start,
        deadline,
        history,
    }
}

const fn under(parent: &'static str, milestone: Milestone) -> Milestone {
    Milestone {
        parent: Some(parent),
        ..milestone
    }
}

#[rustfmt::skip]
pub const PROJECTS: [Project; 4] = [
    Project {
        title: "思蒙国家湿地公园健身步道风雨桥",
        description: "民生实事票决项目：在湿地公园健身步道跨河处新建风雨桥一座，方便群众通行和休闲健身。",
        origin: ProjectOrigin::LivelihoodVote,
        location: "思蒙国家湿地公园",
        construction: true,
        lead: "李明",
        planned: Some((-130, 30)),
        started: true,
        milestones: &[
            node("方案设计", "李明", "村建办", Some("刘芳"), (Some(-130), -90), &[
                Step::Done { by: "liming", on: -92, note: "设计方案通过专家评审" },
                Step::SignedOff { note: "设计文件齐全，同意销号" },
            ]),
            node("立项审批", "李明", "村建办", Some("刘芳"), (Some(-90), -70), &[
                Step::Done { by: "liming", on: -63, note: "县发改局批复立项，较计划推迟一周" },
                Step::Verified { by: "yangxiuying", note: "批复文件齐全" },
            ]),
            node("招标采购", "李明", "村建办", Some("刘芳"), (Some(-70), -50), &[
                Step::Done { by: "liming", on: -52, note: "完成公开招标，确定施工单位" },
            ]),
            node("主体施工", "李明", "村建办", Some("刘芳"), (Some(-45), 20), &[]),
            under("主体施工", node("基础及桥墩施工", "李明", "村建办", Some("刘芳"), (Some(-45), -20), &[
                Step::Done { by: "liming", on: -23, note: "桥墩浇筑完成" },
                Step::Returned { by: "yangxiuying", on: -22, reason: "缺少桥墩混凝土试块强度检测报告" },
                Step::Done { by: "liming", on: -21, note: "补齐强度检测报告，桥墩浇筑完成" },
            ])),
            under("主体施工", node("桥体及廊亭建设", "李明", "村建办", Some("刘芳"), (Some(-20), -12), &[
                Step::Rescheduled { to: -2, reason: "汛期河水上涨，桥墩养护期延长，廊亭吊装顺延十天" },
                Step::Progress { by: "liming", percent: 70, note: "廊亭主体吊装完成，正在铺设桥面" },
            ])),
            under("主体施工", node("照明及附属设施安装", "李明", "村建办", Some("刘芳"), (Some(-5), 2), &[
                Step::Progress { by: "liming", percent: 30, note: "照明线路预埋完成" },
                Step::ExtensionAsked { by: "liming", to: 12, reason: "景观灯具厂家供货推迟，申请顺延十天" },
            ])),
            node("竣工验收", "王建国", "党政办", None, (Some(20), 30), &[]),
        ],
    },
    Project {
        title: "二桥至思蒙路段提质改造",
        description: "民生实事票决项目：二桥至思蒙路段路面拓宽、黑化及管网迁改。",
        origin: ProjectOrigin::LivelihoodVote,
        location: "二桥至思蒙场镇",
        construction: true,
        lead: "陈刚",
        planned: Some((-80, 60)),
        started: true,
        milestones: &[
            node("路面勘测设计", "陈刚", "经发办", Some("赵强"), (Some(-80), -60), &[
                Step::Done { by: "chengang", on: -61, note: "勘测设计完成" },
            ]),
            node("沿线管网迁改", "陈刚", "村建办", Some("刘芳"), (Some(-40), -5), &[
                Step::Progress { by: "chengang", percent: 60, note: "供水管网迁改完成，通信线路待协调" },
            ]),
            node("路面拓宽及黑化", "陈刚", "经发办", Some("赵强"), (Some(-30), 20), &[
                Step::Progress { by: "chengang", percent: 10, note: "完成路基清表" },
                Step::ExtensionRefused {
                    by: "chengang", to: 45, reason: "沥青拌合站检修，申请顺延",
                    note: "可调配县城拌合站供料，按原计划推进",
                },
            ]),
            node("交通标识标线完善", "陈刚", "经发办", None, (Some(20), 60), &[]),
        ],
    },
    Project {
        title: "统溪河至思蒙黄金旅游通道",
        description: "民生实事票决项目：串联统溪河与思蒙湿地公园的旅游通道。",
        origin: ProjectOrigin::LivelihoodVote,
        location: "统溪河至思蒙",
        construction: true,
        lead: "王建国",
        planned: Some((-100, 120)),
        started: false,
        milestones: &[
            node("通道规划编制", "王建国", "党政办", None, (Some(-100), -80), &[
                Step::Done { by: "renda", on: -82, note: "规划编制完成并报县审定" },
            ]),
            node("沿线用地协调", "张丽", "社会事务办", None, (Some(-60), 1), &[
                Step::Progress { by: "zhangli", percent: 80, note: "已完成12户协议签订，剩余3户正在协调" },
            ]),
            node("观景平台（二期）前期工作", "王建国", "党政办", None, (None, 45), &[
                Step::Cancelled { reason: "并入县级旅游规划统一实施" },
            ]),
            node("沿线景观打造", "王建国", "党政办", None, (Some(30), 90), &[]),
        ],
    },
    // A deputies' suggestion handled this year.
    Project {
        title: "场镇农贸市场周边交通秩序整治",
        description: "代表建议：赶场天农贸市场周边车辆乱停乱放，影响通行安全。",
        origin: ProjectOrigin::DeputySuggestion,
        location: "思蒙场镇农贸市场",
        construction: false,
        lead: "张丽",
        planned: None,
        started: false,
        milestones: &[],
    },
];
