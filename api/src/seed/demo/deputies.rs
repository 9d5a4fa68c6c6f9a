//! The sample's deputies (docs/deputies.md): the roster with its groups and the villages each
//! links, and a year of visits to constituents and trainings — 杨秀英's logged by herself, the
//! others' by the presidium — with 何永清, on the roster, having done nothing this year.

use jiandu_domain::deputies::{DeputyLevel, DutyActivityKind};

use super::Town;
use crate::error::AppError;
use crate::service::deputies::{self, NewActivity, ProfileInput};

/// Name, constituency, group, the villages linked.
const ROSTER: [(&str, &str, &str, &[&str]); 4] = [
    ("周敏", "第一选区", "第一代表小组", &["思蒙村"]),
    ("杨秀英", "第三选区", "第一代表小组", &["思蒙村", "红岩村"]),
    ("吴德华", "第五选区", "第二代表小组", &["白马村", "石桥村"]),
    ("何永清", "第六选区", "第二代表小组", &["石桥村"]),
];

/// A duty: who, what, the day (an offset), the village, people met, what was raised or
/// studied, hours.
type Duty = (
    &'static str,
    DutyActivityKind,
    i64,
    Option<&'static str>,
    Option<i32>,
    &'static str,
    Option<f64>,
);

const VISIT: DutyActivityKind = DutyActivityKind::ConstituentVisit;
const TRAINING: DutyActivityKind = DutyActivityKind::Training;

const DUTIES: [Duty; 9] = [
    (
        "杨秀英",
        VISIT,
        -120,
        Some("红岩村"),
        Some(12),
        "群众反映村道破损、路灯不亮",
        None,
    ),
    (
        "吴德华",
        VISIT,
        -100,
        Some("白马村"),
        Some(10),
        "群众反映灌溉渠堵塞，影响春耕",
        None,
    ),
    (
        "周敏",
        TRAINING,
        -90,
        None,
        None,
        "镇人大代表履职能力培训",
        Some(3.0),
    ),
    (
        "杨秀英",
        TRAINING,
        -90,
        None,
        None,
        "镇人大代表履职能力培训",
        Some(3.0),
    ),
    (
        "吴德华",
        TRAINING,
        -90,
        None,
        None,
        "镇人大代表履职能力培训",
        Some(3.0),
    ),
    (
        "杨秀英",
        VISIT,
        -60,
        Some("思蒙村"),
        Some(8),
        "群众反映农贸市场周边停车难",
        None,
    ),
    (
        "周敏",
        VISIT,
        -50,
        Some("思蒙村"),
        Some(20),
        "征求群众对民生实事项目的意见",
        None,
    ),
    (
        "吴德华",
        VISIT,
        -35,
        Some("石桥村"),
        Some(6),
        "老年人反映就医不便",
        None,
    ),
    (
        "杨秀英",
        VISIT,
        -20,
        Some("红岩村"),
        Some(15),
        "汛期走访山洪灾害隐患点群众",
        Some(2.0),
    ),
];

pub(super) async fn enter_deputies(town: &Town<'_>) -> Result<(), AppError> {
    let renda = town.presidium()?;
    for (name, constituency, group, villages) in ROSTER {
        let profile = ProfileInput {
            level: DeputyLevel::Township,
            term: "第二届".into(),
            constituency: Some(constituency.into()),
            group: Some(group.into()),
            villages: villages.iter().map(|v| v.to_string()).collect(),
            active: Some(true),
        };
        deputies::set_deputy_profile(town.ctx, renda, town.person(name)?, profile).await?;
    }
    let yang = town.account("yangxiuying")?;
    for (name, kind, on, village, people, topic, hours) in DUTIES {
        // 杨秀英 logs her own on her phone; the presidium the others'.
        let (who, deputy) = if name == "杨秀英" {
            (yang, None)
        } else {
            (renda, Some(town.person(name)?))
        };
        let new = NewActivity {
            kind,
            deputy_id: deputy,
            on: town.day(on),
            village: village.map(str::to_string),
            topic: topic.into(),
            people,
            hours,
            suggestion: None,
            contact: None,
        };
        deputies::log_duty_activity(town.ctx, who, new).await?;
    }
    Ok(())
}
