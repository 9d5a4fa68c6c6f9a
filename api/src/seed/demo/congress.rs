//! The congress's own year in the sample (docs/congress.md): the first session of the second
//! congress (镇人大二届一次全体会议), where the deputies voted the bridge, the road and the tourist
//! corridor in as livelihood projects and turned one candidate down; the report hearings, with
//! the opinion on the government's half-year report answered point by point and judged, and
//! one on work safety still awaiting its reply; the bridge's satisfaction assessment at the
//! year's second session. Each step is taken on its day through the use cases, as the presidium
//! and the leaders took it.

use jiandu_domain::congress::{CandidateSource, MeetingKind, PointJudgement};

use super::Town;
use crate::error::AppError;
use crate::service::congress::{
    self, NewAssessment, NewCandidate, NewMeeting, NewOpinion, OpinionAnswer, Tally,
};
use crate::service::views::MeetingView;

/// Deputies of the town's congress, and those at its sessions.
const DEPUTIES: i32 = 45;
const PRESENT: i32 = 41;

/// The session's day (the seed's 2021-08-30, moved into the sample's year like every day).
const SESSION: i64 = -140;

/// A candidate put to the session's vote: title, description, source, votes for.
type Candidate = (&'static str, &'static str, CandidateSource, i32);

/// In the order they were voted on; the first three passed (more than half of all 45 deputies),
/// the last did not.
const CANDIDATES: [Candidate; 4] = [
    (
        "思蒙国家湿地公园健身步道风雨桥",
        "在湿地公园健身步道跨河处新建风雨桥一座。",
        CandidateSource::Government,
        39,
    ),
    (
        "二桥至思蒙路段提质改造",
        "二桥至思蒙路段路面拓宽、黑化及管网迁改。",
        CandidateSource::Government,
        38,
    ),
    (
        "统溪河至思蒙黄金旅游通道",
        "串联统溪河与思蒙湿地公园的旅游通道。",
        CandidateSource::Constituents,
        36,
    ),
    (
        "思蒙场镇停车场建设",
        "在场镇东侧新建公共停车场一处。",
        CandidateSource::Constituents,
        19,
    ),
];

async fn meeting(
    town: &Town<'_>,
    kind: MeetingKind,
    title: &str,
    on: i64,
) -> Result<MeetingView, AppError> {
    let then = town.ctx.stopped_at(town.noon(on));
    let new = NewMeeting {
        kind,
        title: title.into(),
        held_on: town.day(on),
        place: Some("镇政府三楼会议室".into()),
        attendee_ids: Vec::new(),
        deputies_total: Some(DEPUTIES),
        deputies_present: Some(if kind == MeetingKind::ReportHearing {
            12
        } else {
            PRESENT
        }),
    };
    congress::create_meeting(&then, town.presidium()?, new).await
}

/// The session and its vote: the passed candidates become the projects the sample then fills in
/// (`entered::enter_project` finds them by title).
pub(super) async fn hold_session(town: &mut Town<'_>) -> Result<(), AppError> {
    let session = meeting(
        town,
        MeetingKind::CongressSession,
        "思蒙镇第二届人民代表大会第一次会议",
        SESSION,
    )
    .await?;
    let then = town.ctx.stopped_at(town.noon(SESSION));
    let renda = town.presidium()?;
    let year = chrono::Datelike::year(&session.held_on);
    let mut made = Vec::new();
    for (title, description, source, votes_for) in CANDIDATES {
        let new = NewCandidate {
            year,
            title: title.into(),
            description: Some(description.into()),
            source,
            suggestion_id: None,
        };
        let proposed = congress::propose_candidate(&then, renda, new).await?;
        let listed =
            congress::shortlist_candidate(&then, renda, proposed.id, proposed.version).await?;
        let tally = Tally {
            meeting_id: session.id,
            votes_for,
            votes_against: (PRESENT - votes_for) / 2,
            abstentions: PRESENT - votes_for - (PRESENT - votes_for) / 2,
            resolution_number: None,
        };
        let voted = congress::record_vote(&then, renda, listed.id, listed.version, tally).await?;
        if let Some(project) = voted.project_id {
            made.push((title, project));
        }
    }
    town.projects.extend(made);
    Ok(())
}

/// The opinion on the half-year report, sent to 陈刚, answered and judged; the one on work
/// safety, sent to 李明 a week ago; and the bridge assessed at the year's second session.
pub(super) async fn hear_and_assess(town: &Town<'_>) -> Result<(), AppError> {
    let renda = town.presidium()?;
    let half_year = meeting(
        town,
        MeetingKind::ReportHearing,
        "听取镇人民政府关于上半年工作情况的报告",
        -76,
    )
    .await?;
    let sent = congress::record_opinion(
        &town.ctx.stopped_at(town.noon(-75)),
        renda,
        NewOpinion {
            meeting_id: half_year.id,
            title: "关于镇人民政府上半年工作情况报告的审议意见".into(),
            points: vec![
                "加快二桥至思蒙路段提质改造进度，沿线管网迁改要倒排工期、按期完成".into(),
                "做好汛期地质灾害隐患点巡查，完善群众转移避险预案".into(),
                "整治场镇农贸市场周边交通秩序，方便群众赶场出行".into(),
            ],
            responsible_leader_id: town.person("陈刚")?,
            reply_deadline: None,
        },
    )
    .await?;
    let feedback = [
        "供水管网迁改已完成，通信线路正与运营商协调，路面拓宽同步推进",
        "汛期共排查地质灾害隐患点7处，转移避险预案已落实到村、到户",
        "赶场天增派交通协管员，划定临时停车区，周边通行秩序明显好转",
    ];
    let answered = congress::answer_opinion(
        &town.ctx.stopped_at(town.noon(-40)),
        town.account("chengang")?,
        sent.id,
        sent.version,
        OpinionAnswer {
            answered_on: town.day(-40),
            feedback: sent
                .points
                .iter()
                .zip(feedback)
                .map(|(p, text)| (p.id, text.to_string()))
                .collect(),
        },
    )
    .await?;
    let judgements = [
        PointJudgement::Partly,
        PointJudgement::Implemented,
        PointJudgement::Implemented,
    ];
    congress::judge_opinion(
        &town.ctx.stopped_at(town.noon(-30)),
        renda,
        answered.id,
        answered.version,
        answered
            .points
            .iter()
            .map(|p| p.id)
            .zip(judgements)
            .collect(),
    )
    .await?;

    let safety = meeting(
        town,
        MeetingKind::ReportHearing,
        "听取镇人民政府关于安全生产工作情况的专项报告",
        -8,
    )
    .await?;
    congress::record_opinion(
        &town.ctx.stopped_at(town.noon(-7)),
        renda,
        NewOpinion {
            meeting_id: safety.id,
            title: "关于镇人民政府安全生产工作情况专项报告的审议意见".into(),
            points: vec![
                "加强在建工程施工安全监管，风雨桥廊亭吊装要落实专人旁站".into(),
                "开展冬春火灾隐患排查，重点检查场镇老旧民房和农贸市场".into(),
            ],
            responsible_leader_id: town.person("李明")?,
            reply_deadline: None,
        },
    )
    .await?;

    let second = meeting(
        town,
        MeetingKind::CongressSession,
        "思蒙镇第二届人民代表大会第二次会议",
        -3,
    )
    .await?;
    congress::record_assessment(
        &town.ctx.stopped_at(town.noon(-3)),
        renda,
        NewAssessment {
            project_id: town.project("思蒙国家湿地公园健身步道风雨桥")?,
            meeting_id: second.id,
            satisfied: 33,
            basically_satisfied: 6,
            dissatisfied: 2,
        },
    )
    .await?;
    Ok(())
}
