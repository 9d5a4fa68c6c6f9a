//! The deputies' side of the Simeng sample: a visit to the covered bridge with its findings, one
//! rectified late and verified, a forest-fire law-enforcement inspection, and a check of the road.

use jiandu_domain::{FindingStatus, InspectionKind, Rating};
use uuid::Uuid;

use super::Demo;
use crate::error::AppError;
use crate::service::inspections::{self, NewFinding, NewInspection};
use crate::service::{Actor, findings};

/// Who and what the inspections refer to.
pub(super) struct Cast<'a> {
    pub deputy: &'a Actor,
    pub presidium: &'a Actor,
    /// 李明, responsible for the bridge
    pub liming: &'a Actor,
    pub deputies: [Uuid; 3],
    pub li: Uuid,
    pub zhang: Uuid,
    pub cunjian: Uuid,
    pub shehui: Uuid,
    pub bridge: Uuid,
    pub bridge_nodes: [Uuid; 2],
    pub road: Uuid,
}

pub(super) async fn load(demo: &Demo<'_>, cast: Cast<'_>) -> Result<(), AppError> {
    let ctx = demo.ctx;
    let visit = inspections::log_inspection(
        ctx,
        cast.deputy,
        NewInspection {
            kind: InspectionKind::Visit,
            project_id: Some(cast.bridge),
            topic: None,
            visited_on: demo.day(-15),
            location: Some("思蒙国家湿地公园健身步道风雨桥施工现场".into()),
            participant_ids: cast.deputies.to_vec(),
            milestone_ids: cast.bridge_nodes.to_vec(),
            summary: "镇人大主席团组织代表视察风雨桥建设。代表们认为工程总体推进有序，\
                      但廊亭吊装滞后于计划，临河一侧施工安全防护不到位。"
                .into(),
            rating: Some(Rating::BasicallySatisfied),
            findings: vec![
                NewFinding {
                    description: "施工现场临河一侧安全防护栏缺失，存在落水隐患".into(),
                    milestone_id: Some(cast.bridge_nodes[0]),
                    responsible_leader_id: cast.li,
                    responsible_unit_id: cast.cunjian,
                    deadline: demo.day(-8),
                },
                NewFinding {
                    description: "廊亭木构件防腐处理不到位，需返工".into(),
                    milestone_id: Some(cast.bridge_nodes[0]),
                    responsible_leader_id: cast.li,
                    responsible_unit_id: cast.cunjian,
                    deadline: demo.day(10),
                },
            ],
        },
    )
    .await?;
    let raised = findings::findings_of_inspections(ctx, cast.deputy, &[visit.id]).await?;
    for finding in raised {
        if finding.deadline < demo.today {
            // Rectified after its deadline, then checked on site by the deputy.
            let resolved = findings::update_finding(
                ctx,
                cast.liming,
                finding.id,
                finding.version,
                FindingStatus::Resolved,
                Some("已增设1.2米高临河防护栏并设置警示标志"),
                None,
            )
            .await?;
            findings::update_finding(
                ctx,
                cast.deputy,
                resolved.id,
                resolved.version,
                FindingStatus::Verified,
                None,
                Some("代表回访核实，防护栏已安装到位"),
            )
            .await?;
        } else {
            findings::update_finding(
                ctx,
                cast.liming,
                finding.id,
                finding.version,
                FindingStatus::Rectifying,
                None,
                Some("已通知施工单位返工"),
            )
            .await?;
        }
    }

    inspections::log_inspection(
        ctx,
        cast.presidium,
        NewInspection {
            kind: InspectionKind::LawEnforcement,
            project_id: None,
            topic: Some("森林防火".into()),
            visited_on: demo.day(-40),
            location: Some("思蒙镇各村".into()),
            participant_ids: cast.deputies.to_vec(),
            milestone_ids: Vec::new(),
            summary: "对《森林防火条例》贯彻执行情况开展执法检查，重点检查护林员配备、\
                      巡山记录和防火物资储备。"
                .into(),
            rating: Some(Rating::BasicallySatisfied),
            findings: vec![NewFinding {
                description: "部分村护林员配备不足，巡山记录不全".into(),
                milestone_id: None,
                responsible_leader_id: cast.zhang,
                responsible_unit_id: cast.shehui,
                deadline: demo.day(-3),
            }],
        },
    )
    .await?;

    inspections::log_inspection(
        ctx,
        cast.deputy,
        NewInspection {
            kind: InspectionKind::Check,
            project_id: Some(cast.road),
            topic: None,
            visited_on: demo.day(-30),
            location: Some("二桥至思蒙路段".into()),
            participant_ids: cast.deputies[..2].to_vec(),
            milestone_ids: Vec::new(),
            summary: "检查路段提质改造施工组织和交通疏导，群众反映良好。".into(),
            rating: Some(Rating::Satisfied),
            findings: Vec::new(),
        },
    )
    .await?;
    Ok(())
}
