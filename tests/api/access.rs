//! Who may do what: every role against every mutation, and organisations isolated from each
//! other. A refused request writes nothing.

use jiandu_api::entity::audit_event;
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use sea_orm::{EntityTrait, PaginatorTrait};
use serde_json::{Value, json};

#[derive(Debug, Clone, Copy, PartialEq)]
enum Op {
    CreateOrganization,
    CreateUnit,
    CreatePerson,
    CreateUser,
    CreateProject,
    UpdateProject,
    AddMilestone,
    UpdateMilestone,
    Reschedule,
    ReportProgress,
    Complete,
    Verify,
    Cancel,
    ResetPassword,
    DisableUser,
    EnableUser,
    UpdateSettings,
    RequestExtension,
    DecideExtension,
    SignOff,
    Return,
    IssueOrder,
    AcknowledgeNotice,
    ReplyToNotice,
    CreateWebhook,
    DeleteWebhook,
    RegisterSuggestion,
    AssignSuggestion,
    AnswerSuggestion,
    SuggestionFeedback,
    ConcludeSuggestion,
    WithdrawSuggestion,
    ProjectFromSuggestion,
    LogContact,
    TransferContact,
    ReplyContact,
    CloseContact,
    CreateMeeting,
    ProposeCandidate,
    ShortlistCandidate,
    RecordVote,
    RecordAssessment,
    RecordOpinion,
    AnswerOpinion,
    JudgeOpinion,
    SetDeputyProfile,
    LogDutyActivity,
}

const OPS: [Op; 47] = [
    Op::CreateOrganization,
    Op::CreateUnit,
    Op::CreatePerson,
    Op::CreateUser,
    Op::CreateProject,
    Op::UpdateProject,
    Op::AddMilestone,
    Op::UpdateMilestone,
    Op::Reschedule,
    Op::ReportProgress,
    Op::Complete,
    Op::Verify,
    Op::Cancel,
    Op::ResetPassword,
    Op::DisableUser,
    Op::EnableUser,
    Op::UpdateSettings,
    Op::RequestExtension,
    Op::DecideExtension,
    Op::SignOff,
    Op::Return,
    Op::IssueOrder,
    Op::AcknowledgeNotice,
    Op::ReplyToNotice,
    Op::CreateWebhook,
    Op::DeleteWebhook,
    Op::RegisterSuggestion,
    Op::AssignSuggestion,
    Op::AnswerSuggestion,
    Op::SuggestionFeedback,
    Op::ConcludeSuggestion,
    Op::WithdrawSuggestion,
    Op::ProjectFromSuggestion,
    Op::LogContact,
    Op::TransferContact,
    Op::ReplyContact,
    Op::CloseContact,
    Op::CreateMeeting,
    Op::ProposeCandidate,
    Op::ShortlistCandidate,
    Op::RecordVote,
    Op::RecordAssessment,
    Op::RecordOpinion,
    Op::AnswerOpinion,
    Op::JudgeOpinion,
    Op::SetDeputyProfile,
    Op::LogDutyActivity,
];

async fn audit_events(app: &TestApp) -> u64 {
    audit_event::Entity::find()
        .count(app.ctx.db.conn())
        .await
        .expect("count")
}

/// A suggestion of 杨秀英's (the deputy's own), taken by the presidium as far as `stage`: 0
/// registered, 1 assigned to 李明, 2 answered; `{id version}`.
async fn suggestion(app: &TestApp, town: &Town, stage: u8) -> Value {
    let fields = "{ id version }";
    let mut s = app
        .ok(
            &town.presidium,
            &format!("mutation($d:ID!,$r:Date!){{ registerSuggestion(input:{{title:\"增设路灯\",content:\"老街照明不足\",source:INTERSESSION,leadDeputyId:$d,receivedOn:$r}}){fields} }}"),
            json!({ "d": town.yang, "r": day(-1) }),
        )
        .await["registerSuggestion"]
        .clone();
    if stage >= 1 {
        s = app
            .ok(
                &town.presidium,
                &format!("mutation($id:ID!,$v:Int!,$u:ID!,$l:ID!){{ assignSuggestion(id:$id,expectedVersion:$v,input:{{leadUnitId:$u,responsibleLeaderId:$l}}){fields} }}"),
                json!({ "id": s["id"], "v": s["version"], "u": town.cunjian, "l": town.li }),
            )
            .await["assignSuggestion"]
            .clone();
    }
    if stage >= 2 {
        s = app
            .ok(
                &town.presidium,
                &format!("mutation($id:ID!,$v:Int!,$d:Date!){{ answerSuggestion(id:$id,expectedVersion:$v,input:{{answerClass:A,text:\"已增设\",answeredOn:$d,metDeputy:true}}){fields} }}"),
                json!({ "id": s["id"], "v": s["version"], "d": day(0) }),
            )
            .await["answerSuggestion"]
            .clone();
    }
    s
}

/// A congress session of 40 deputies, 35 present, held on `$d`.
const MEETING: &str = "mutation($d:Date!){ createMeeting(input:{kind:CONGRESS_SESSION, title:\"第二届人民代表大会第一次会议\", heldOn:$d, deputiesTotal:40, deputiesPresent:35}){ id } }";

/// A report hearing held on `$d`.
const HEARING: &str = "mutation($d:Date!){ createMeeting(input:{kind:REPORT_HEARING, title:\"听取镇政府上半年工作情况的报告\", heldOn:$d, deputiesTotal:40, deputiesPresent:12}){ id } }";

/// An opinion of two points sent to 李明 at a fresh report hearing: `{id version points{id}}`.
async fn opinion(app: &TestApp, town: &Town) -> Value {
    let hearing = app
        .ok(&town.presidium, HEARING, json!({ "d": day(-1) }))
        .await["createMeeting"]["id"]
        .clone();
    app.ok(
        &town.presidium,
        "mutation($m:ID!,$l:ID!){ recordOpinion(input:{meetingId:$m,title:\"关于上半年工作的审议意见\",points:[\"加快道路建设\",\"做好防汛\"],responsibleLeaderId:$l}){ id version points { id } } }",
        json!({ "m": hearing, "l": town.li }),
    )
    .await["recordOpinion"]
        .clone()
}

/// Prepares a fresh target in `town` (as its presidium) and returns the mutation to attempt.
async fn prepare(app: &TestApp, town: &Town, op: Op, n: usize) -> (String, Value) {
    let milestone = || {
        town.milestone(
            app,
            json!({ "title": format!("节点{n}"), "deadline": day(10) }),
        )
    };
    let q = |s: &str| s.to_string();
    match op {
        Op::CreateOrganization => (
            q("mutation($n:String!){ createOrganization(input:{name:$n}){ id } }"),
            json!({ "n": format!("新村{n}-{}", town.org) }),
        ),
        Op::CreateUnit => (
            q("mutation($n:String!){ createUnit(input:{name:$n}){ id } }"),
            json!({ "n": format!("单位{n}") }),
        ),
        Op::CreatePerson => (
            q("mutation{ createPerson(input:{name:\"王五\"}){ id } }"),
            json!({}),
        ),
        Op::CreateUser => (
            q(
                "mutation($u:String!){ createUser(input:{username:$u,password:\"long-enough-pw\",role:VIEWER}){ id } }",
            ),
            json!({ "u": format!("u{n}-{}", &town.org[24..]) }),
        ),
        Op::CreateProject => (
            q("mutation{ createProject(input:{title:\"道路\",origin:OTHER}){ id } }"),
            json!({}),
        ),
        Op::UpdateProject => {
            let v = app
                .ok(
                    &town.presidium,
                    "query($id:ID!){ project(id:$id){ version } }",
                    json!({ "id": town.bridge }),
                )
                .await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ updateProject(id:$id,expectedVersion:$v,input:{location:\"湿地公园东门\"}){ id } }",
                ),
                json!({ "id": town.bridge, "v": v["project"]["version"] }),
            )
        }
        Op::AddMilestone => (
            q(
                "mutation($p:ID!,$l:ID!,$u:ID!){ addMilestone(input:{projectId:$p,title:\"验收\",responsibleLeaderId:$l,responsibleUnitId:$u,deadline:\"2030-01-01\"}){ id } }",
            ),
            json!({ "p": town.bridge, "l": town.li, "u": town.cunjian }),
        ),
        Op::UpdateMilestone => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ updateMilestone(id:$id,expectedVersion:$v,input:{title:\"改名\"}){ id } }",
                ),
                json!({ "id": m["id"], "v": m["version"] }),
            )
        }
        Op::Reschedule => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:\"2030-01-01\",reason:\"顺延\"){ id } }",
                ),
                json!({ "id": m["id"], "v": m["version"] }),
            )
        }
        Op::ReportProgress => {
            let m = milestone().await;
            (
                q("mutation($id:ID!){ reportProgress(milestoneId:$id,progress:50){ id } }"),
                json!({ "id": m["id"] }),
            )
        }
        Op::Complete => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id } }",
                ),
                json!({ "id": m["id"], "v": m["version"] }),
            )
        }
        Op::Verify => {
            let m = milestone().await;
            let done = app
                // Reported done by its responsible leader: nobody checks their own work.
                .ok(&town.liming, "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ version } }", json!({ "id": m["id"], "v": m["version"] }))
                .await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED){ id } }",
                ),
                json!({ "id": m["id"], "v": done["completeMilestone"]["version"] }),
            )
        }
        Op::ResetPassword | Op::DisableUser | Op::EnableUser => {
            let created = app
                .ok(
                    &town.presidium,
                    "mutation($u:String!){ createUser(input:{username:$u,password:\"long-enough-pw\",role:VIEWER}){ id } }",
                    json!({ "u": format!("acct{n}-{}", &town.org[24..]) }),
                )
                .await;
            let id = created["createUser"]["id"].clone();
            let mutation = match op {
                Op::ResetPassword => "mutation($id:ID!){ resetPassword(userId:$id) }",
                Op::DisableUser => "mutation($id:ID!){ disableUser(id:$id){ id } }",
                _ => {
                    app.ok(
                        &town.presidium,
                        "mutation($id:ID!){ disableUser(id:$id){ id } }",
                        json!({ "id": id }),
                    )
                    .await;
                    "mutation($id:ID!){ enableUser(id:$id){ id } }"
                }
            };
            (q(mutation), json!({ "id": id }))
        }
        Op::RequestExtension => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$d:Date!){ requestExtension(entityId:$id,proposedDeadline:$d,reason:\"材料未到\"){ id } }",
                ),
                json!({ "id": m["id"], "d": day(20) }),
            )
        }
        Op::DecideExtension => {
            let m = milestone().await;
            // Asked by its responsible leader: nobody decides their own request.
            let asked = app
                .ok(&town.liming, "mutation($id:ID!,$d:Date!){ requestExtension(entityId:$id,proposedDeadline:$d,reason:\"材料未到\"){ id } }", json!({ "id": m["id"], "d": day(20) }))
                .await;
            (
                q("mutation($id:ID!){ decideExtension(id:$id,approve:true){ id } }"),
                json!({ "id": asked["requestExtension"]["id"] }),
            )
        }
        Op::SignOff | Op::Return => {
            let m = milestone().await;
            // Reported done by its responsible leader: nobody closes their own work.
            let done = app.complete(&town.liming, &m["id"], &m["version"]).await;
            let mutation = if op == Op::SignOff {
                "mutation($id:ID!,$v:Int!){ signOffMilestone(id:$id,expectedVersion:$v){ id } }"
            } else {
                "mutation($id:ID!,$v:Int!){ returnMilestone(id:$id,expectedVersion:$v,reason:\"资料不全\"){ id } }"
            };
            (q(mutation), json!({ "id": m["id"], "v": done["version"] }))
        }
        Op::IssueOrder => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id,replyDue:$d){ id } }",
                ),
                json!({ "id": m["id"], "d": day(12) }),
            )
        }
        Op::AcknowledgeNotice | Op::ReplyToNotice => {
            let m = milestone().await;
            // An order to 李明, the milestone's responsible leader.
            let order = app
                .ok(&town.presidium, "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id,replyDue:$d){ id } }", json!({ "id": m["id"], "d": day(12) }))
                .await;
            let mutation = if op == Op::AcknowledgeNotice {
                "mutation($id:ID!){ acknowledgeNotice(id:$id){ id } }"
            } else {
                "mutation($id:ID!){ replyToNotice(id:$id,reply:\"已落实\"){ id } }"
            };
            (
                q(mutation),
                json!({ "id": order["issueSupervisionOrder"]["id"] }),
            )
        }
        Op::CreateWebhook => (
            q(
                "mutation{ createWebhook(input:{url:\"https://example.org/hook\", kind:WECOM}){ id } }",
            ),
            json!({}),
        ),
        Op::DeleteWebhook => {
            let made = app
                .ok(&town.presidium, "mutation{ createWebhook(input:{url:\"https://example.org/hook\", kind:WECOM}){ id } }", json!({}))
                .await;
            (
                q("mutation($id:ID!){ deleteWebhook(id:$id) }"),
                json!({ "id": made["createWebhook"]["id"] }),
            )
        }
        Op::RegisterSuggestion => (
            q(
                "mutation($d:ID!,$r:Date!){ registerSuggestion(input:{title:\"修复村道\",content:\"三组村道破损\",source:LIAISON_STATION,leadDeputyId:$d,receivedOn:$r}){ id } }",
            ),
            json!({ "d": town.yang, "r": day(-2) }),
        ),
        Op::AssignSuggestion => {
            let s = suggestion(app, town, 0).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!,$u:ID!,$l:ID!){ assignSuggestion(id:$id,expectedVersion:$v,input:{leadUnitId:$u,responsibleLeaderId:$l}){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"], "u": town.cunjian, "l": town.li }),
            )
        }
        Op::AnswerSuggestion => {
            let s = suggestion(app, town, 1).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!,$d:Date!){ answerSuggestion(id:$id,expectedVersion:$v,input:{answerClass:B,text:\"列入计划\",answeredOn:$d,metDeputy:false}){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"], "d": day(0) }),
            )
        }
        Op::SuggestionFeedback => {
            let s = suggestion(app, town, 2).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ recordSuggestionFeedback(id:$id,expectedVersion:$v,feedback:SATISFIED){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"] }),
            )
        }
        Op::ConcludeSuggestion => {
            let s = suggestion(app, town, 2).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ concludeSuggestion(id:$id,expectedVersion:$v){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"] }),
            )
        }
        Op::WithdrawSuggestion => {
            let s = suggestion(app, town, 0).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ withdrawSuggestion(id:$id,expectedVersion:$v,reason:\"已另行解决\"){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"] }),
            )
        }
        Op::ProjectFromSuggestion => {
            let s = suggestion(app, town, 1).await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ createProjectFromSuggestion(id:$id,expectedVersion:$v){ id } }",
                ),
                json!({ "id": s["id"], "v": s["version"] }),
            )
        }
        Op::LogContact => (
            q(
                "mutation($p:ID!,$r:Date!){ logContact(input:{kind:VISIT,receivedOn:$r,summary:\"反映路灯不亮\",receivedByIds:[$p]}){ id } }",
            ),
            json!({ "p": town.yang, "r": day(-1) }),
        ),
        Op::TransferContact | Op::ReplyContact | Op::CloseContact => {
            let c = app
                .ok(&town.presidium, "mutation($p:ID!,$r:Date!){ logContact(input:{kind:LETTER,receivedOn:$r,summary:\"反映村道积水\",receivedByIds:[$p]}){ id version } }", json!({ "p": town.yang, "r": day(-1) }))
                .await["logContact"]
                .clone();
            let mutation = match op {
                Op::TransferContact => {
                    "mutation($id:ID!,$v:Int!,$u:ID!,$d:Date!){ transferContact(id:$id,expectedVersion:$v,unitId:$u,replyDue:$d){ id } }"
                }
                Op::ReplyContact => {
                    "mutation($id:ID!,$v:Int!,$d:Date!){ replyContact(id:$id,expectedVersion:$v,reply:\"已答复\",repliedOn:$d){ id } }"
                }
                _ => "mutation($id:ID!,$v:Int!){ closeContact(id:$id,expectedVersion:$v){ id } }",
            };
            (
                q(mutation),
                json!({ "id": c["id"], "v": c["version"], "u": town.cunjian, "d": day(0) }),
            )
        }
        Op::CreateMeeting => (q(MEETING), json!({ "d": day(-1) })),
        Op::ProposeCandidate => (
            q(
                "mutation{ proposeCandidate(input:{year:2026, title:\"老街路灯改造\", source:GOVERNMENT}){ id } }",
            ),
            json!({}),
        ),
        Op::ShortlistCandidate | Op::RecordVote => {
            let c = app
                .ok(&town.presidium, "mutation{ proposeCandidate(input:{year:2026, title:\"村道硬化\", source:OTHER}){ id version } }", json!({}))
                .await["proposeCandidate"]
                .clone();
            if op == Op::ShortlistCandidate {
                (
                    q(
                        "mutation($id:ID!,$v:Int!){ shortlistCandidate(id:$id,expectedVersion:$v){ id } }",
                    ),
                    json!({ "id": c["id"], "v": c["version"] }),
                )
            } else {
                let listed = app
                    .ok(&town.presidium, "mutation($id:ID!,$v:Int!){ shortlistCandidate(id:$id,expectedVersion:$v){ id version } }", json!({ "id": c["id"], "v": c["version"] }))
                    .await["shortlistCandidate"]
                    .clone();
                let meeting = app
                    .ok(&town.presidium, MEETING, json!({ "d": day(-1) }))
                    .await["createMeeting"]["id"]
                    .clone();
                (
                    q(
                        "mutation($id:ID!,$v:Int!,$m:ID!){ recordVote(candidateId:$id,expectedVersion:$v,input:{meetingId:$m,votesFor:30,votesAgainst:0,abstentions:0}){ id } }",
                    ),
                    json!({ "id": listed["id"], "v": listed["version"], "m": meeting }),
                )
            }
        }
        Op::RecordAssessment => {
            let meeting = app
                .ok(&town.presidium, MEETING, json!({ "d": day(-1) }))
                .await["createMeeting"]["id"]
                .clone();
            (
                q(
                    "mutation($p:ID!,$m:ID!){ recordAssessment(input:{projectId:$p,meetingId:$m,satisfied:20,basicallySatisfied:4,dissatisfied:6}){ id } }",
                ),
                json!({ "p": town.bridge, "m": meeting }),
            )
        }
        Op::RecordOpinion => {
            let hearing = app
                .ok(&town.presidium, HEARING, json!({ "d": day(-1) }))
                .await["createMeeting"]["id"]
                .clone();
            (
                q(
                    "mutation($m:ID!,$l:ID!){ recordOpinion(input:{meetingId:$m,title:\"审议意见\",points:[\"加快进度\"],responsibleLeaderId:$l}){ id } }",
                ),
                json!({ "m": hearing, "l": town.li }),
            )
        }
        Op::AnswerOpinion | Op::JudgeOpinion => {
            let mut o = opinion(app, town).await;
            let feedback: Vec<Value> = o["points"]
                .as_array()
                .unwrap()
                .iter()
                .map(|p| json!({ "pointId": p["id"], "feedback": "已落实" }))
                .collect();
            if op == Op::JudgeOpinion {
                // Answered by 李明, the leader it was sent to.
                o = app
                    .ok(&town.liming, "mutation($id:ID!,$v:Int!,$d:Date!,$f:[PointFeedbackInput!]!){ answerOpinion(id:$id,expectedVersion:$v,answeredOn:$d,feedback:$f){ id version points { id } } }", json!({ "id": o["id"], "v": o["version"], "d": day(0), "f": feedback }))
                    .await["answerOpinion"]
                    .clone();
                let judgements: Vec<Value> = o["points"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| json!({ "pointId": p["id"], "judgement": "IMPLEMENTED" }))
                    .collect();
                (
                    q(
                        "mutation($id:ID!,$v:Int!,$j:[PointJudgementInput!]!){ judgeOpinion(id:$id,expectedVersion:$v,judgements:$j){ id } }",
                    ),
                    json!({ "id": o["id"], "v": o["version"], "j": judgements }),
                )
            } else {
                (
                    q(
                        "mutation($id:ID!,$v:Int!,$d:Date!,$f:[PointFeedbackInput!]!){ answerOpinion(id:$id,expectedVersion:$v,answeredOn:$d,feedback:$f){ id } }",
                    ),
                    json!({ "id": o["id"], "v": o["version"], "d": day(0), "f": feedback }),
                )
            }
        }
        Op::SetDeputyProfile => (
            q(
                "mutation($p:ID!){ setDeputyProfile(personId:$p, input:{level:TOWNSHIP, term:\"第二届\", villages:[\"思蒙村\"]}){ id } }",
            ),
            json!({ "p": town.yang }),
        ),
        Op::LogDutyActivity => {
            app.ok(&town.presidium, "mutation($p:ID!){ setDeputyProfile(personId:$p, input:{level:TOWNSHIP, term:\"第二届\"}){ id } }", json!({ "p": town.yang }))
                .await;
            (
                q(
                    "mutation($p:ID!,$d:Date!){ logDutyActivity(input:{kind:CONSTITUENT_VISIT, deputyId:$p, on:$d, topic:\"走访选民\", people:8}){ id } }",
                ),
                json!({ "p": town.yang, "d": day(-1) }),
            )
        }
        Op::UpdateSettings => (
            q(
                "mutation($o:ID!,$d:Int!){ updateOrganizationSettings(organizationId:$o,input:{backdateDays:$d}){ id } }",
            ),
            json!({ "o": town.org, "d": n % 90 }),
        ),
        Op::Cancel => {
            let m = milestone().await;
            (
                q(
                    "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id,expectedVersion:$v,reason:\"撤销\"){ id } }",
                ),
                json!({ "id": m["id"], "v": m["version"] }),
            )
        }
    }
}

/// What each role may do to its own organisation's records (milestones belong to 李明, and so
/// do the orders about them: only he acknowledges or answers them; suggestions are 杨秀英's).
fn expected(role: &str, op: Op) -> &'static str {
    match (role, op) {
        ("responsible leader", Op::AcknowledgeNotice | Op::ReplyToNotice) => "OK",
        ("other organisation", Op::AcknowledgeNotice | Op::ReplyToNotice) => "NOT_FOUND",
        (_, Op::AcknowledgeNotice | Op::ReplyToNotice) => "FORBIDDEN",
        ("presidium", _) => "OK",
        ("deputy", Op::Verify | Op::Return | Op::LogContact | Op::LogDutyActivity) => "OK",
        // 杨秀英 registers, rates and withdraws her own suggestions; 李明 answers those assigned
        // to him; another town cannot name her as its deputy.
        ("deputy", Op::RegisterSuggestion | Op::SuggestionFeedback | Op::WithdrawSuggestion) => {
            "OK"
        }
        // 李明 answers the opinions sent to him.
        ("responsible leader", Op::AnswerSuggestion | Op::AnswerOpinion) => "OK",
        (
            "other organisation",
            Op::RegisterSuggestion
            | Op::LogContact
            | Op::RecordAssessment
            | Op::RecordOpinion
            | Op::SetDeputyProfile
            | Op::LogDutyActivity,
        ) => "VALIDATION_FAILED",
        ("responsible leader", Op::ReportProgress | Op::Complete | Op::RequestExtension) => "OK",
        ("responsible person", Op::ReportProgress | Op::Complete | Op::RequestExtension) => "OK",
        (
            "other organisation",
            Op::CreateOrganization
            | Op::CreateUnit
            | Op::CreatePerson
            | Op::CreateUser
            | Op::CreateProject
            | Op::CreateWebhook
            | Op::CreateMeeting
            | Op::ProposeCandidate,
        ) => "OK",
        ("other organisation", _) => "NOT_FOUND",
        _ => "FORBIDDEN",
    }
}

async fn every_role_against_every_mutation(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    // 刘芳 is the responsible person of some milestones; make one for her below.
    let roles: [(&str, &str); 7] = [
        ("presidium", &town.presidium),
        ("deputy", &town.deputy),
        ("responsible leader", &town.liming),
        ("other leader", &town.chengang),
        ("viewer", &town.viewer),
        ("other organisation", &other.presidium),
        ("responsible person", &town.liufang),
    ];
    let mut n = 0;
    for (role, token) in roles {
        for op in OPS {
            if role == "responsible person"
                && !matches!(op, Op::ReportProgress | Op::Complete | Op::RequestExtension)
            {
                continue;
            }
            n += 1;
            let (query, mut vars) = prepare(&app, &town, op, n).await;
            if role == "responsible person" {
                // The same kind of target, but with 刘芳 as responsible person and 陈刚 as leader.
                let m = town
                    .milestone(&app, json!({ "title": format!("节点{n}p"), "deadline": day(10), "responsibleLeaderId": town.chen, "responsiblePersonId": town.liu }))
                    .await;
                vars["id"] = m["id"].clone();
                vars["v"] = m["version"].clone();
            }
            let before = audit_events(&app).await;
            let body = app.gql(Some(token), &query, vars).await;
            let outcome = if body.get("errors").is_none() {
                "OK"
            } else {
                code(&body)
            };
            assert_eq!(outcome, expected(role, op), "{role} → {op:?}: {body}");
            let written = audit_events(&app).await - before;
            // An approved extension records the decision and the deadline it moved; a project
            // made from a suggestion, the project and the suggestion's link to it; a passed
            // vote, the tally and the project it made; an opinion sent, the opinion and the
            // notice that tells its leader.
            let events = if matches!(
                op,
                Op::DecideExtension
                    | Op::ProjectFromSuggestion
                    | Op::RecordVote
                    | Op::RecordOpinion
            ) {
                2
            } else {
                1
            };
            assert_eq!(
                written,
                u64::from(outcome == "OK") * events,
                "{role} → {op:?} wrote {written} events"
            );
        }
    }
}
e2e!(every_role_against_every_mutation);

async fn organisations_see_nothing_of_each_other(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let m = town
        .milestone(&app, json!({ "title": "方案设计", "deadline": day(-5) }))
        .await;

    let their_view = app
        .ok(
            &other.presidium,
            "query($p:ID!,$m:ID!){ project(id:$p){ id } milestone(id:$m){ id } projects{ totalCount } overdueMilestones{ totalCount }
              milestones{ totalCount } history(entityId:$m){ totalCount } units{ name } people{ name } organizations{ name } }",
            json!({ "p": town.bridge, "m": m["id"] }),
        )
        .await;
    assert!(their_view["project"].is_null());
    assert!(their_view["milestone"].is_null());
    assert_eq!(
        their_view["projects"]["totalCount"], 1,
        "only their own bridge"
    );
    assert_eq!(their_view["overdueMilestones"]["totalCount"], 0);
    assert_eq!(their_view["milestones"]["totalCount"], 0);
    assert_eq!(their_view["history"]["totalCount"], 0);
    assert_eq!(their_view["organizations"].as_array().unwrap().len(), 1);
    // Their own four and the holder of their presidium account.
    assert_eq!(their_view["people"].as_array().unwrap().len(), 5);
    app.refused(
        &other.presidium,
        "query($o:ID!){ projects(filter:{organizationId:$o}){ totalCount } }",
        json!({ "o": town.org }),
        "NOT_FOUND",
    )
    .await;
    // Their people and units cannot be used in our milestones either.
    let foreign = app
        .refused(
            &town.presidium,
            "mutation($p:ID!,$l:ID!,$u:ID!){ addMilestone(input:{projectId:$p,title:\"x\",responsibleLeaderId:$l,responsibleUnitId:$u,deadline:\"2030-01-01\"}){ id } }",
            json!({ "p": town.bridge, "l": other.li, "u": town.cunjian }),
            "VALIDATION_FAILED",
        )
        .await;
    assert_eq!(
        foreign["errors"][0]["extensions"]["field"],
        "responsibleLeaderId"
    );

    // A county above both reads both; each township still reads only itself.
    let (county, county_token) = app.organization("县人大常委会", None, None).await;
    let county_view = app
        .ok(&county_token, "{ projects{ totalCount } }", json!({}))
        .await;
    assert_eq!(county_view["projects"]["totalCount"], 0);
    let township = app
        .ok(&county_token, "mutation($p:ID!){ createOrganization(input:{name:\"新设镇\",parentId:$p}){ id parent{ name } timezone } }", json!({ "p": county.to_string() }))
        .await;
    assert_eq!(
        township["createOrganization"]["parent"]["name"],
        "县人大常委会"
    );
    assert_eq!(township["createOrganization"]["timezone"], "Asia/Shanghai");
    let orgs = app
        .ok(&county_token, "{ organizations{ name } }", json!({}))
        .await;
    assert_eq!(orgs["organizations"].as_array().unwrap().len(), 2);
}
e2e!(organisations_see_nothing_of_each_other);

/// A constituent's name and phone, role by role: the township's own presidium reads them; its
/// deputy (who typed them), leaders and viewer, the county above (which reads the township's
/// records) and a neighbouring township never do — not in the list, not in the answer to the
/// step they took, not in a notice about the letter.
async fn a_constituents_name_and_phone_reach_their_own_presidium_only(app: TestApp) {
    let (county, county_token) = app.organization("县人大常委会", None, None).await;
    let town = Town::setup_in(&app, "思蒙镇", Some(county)).await;
    let other = Town::setup(&app, "汉阳镇").await;
    let logged = app
        .ok(
            &town.deputy,
            "mutation($p:ID!,$r:Date!){ logContact(input:{kind:VISIT,receivedOn:$r,constituentName:\"王德明\",constituentPhone:\"13800001234\",summary:\"反映村道积水\",receivedByIds:[$p]}){ id version constituentName constituentPhone } }",
            json!({ "p": town.yang, "r": day(-1) }),
        )
        .await["logContact"]
        .clone();
    assert_eq!(
        (&logged["constituentName"], &logged["constituentPhone"]),
        (&Value::Null, &Value::Null),
        "the deputy who typed them does not read them back"
    );
    let list = "{ contacts{ totalCount nodes{ constituentName constituentPhone } } }";
    let seen = |token: String| {
        let app = &app;
        async move { app.ok(&token, list, json!({})).await["contacts"].clone() }
    };
    assert_eq!(
        seen(town.presidium.clone()).await["nodes"],
        json!([{ "constituentName": "王德明", "constituentPhone": "13800001234" }])
    );
    for (role, token) in [
        ("deputy", &town.deputy),
        ("responsible leader", &town.liming),
        ("other leader", &town.chengang),
        ("viewer", &town.viewer),
        ("county presidium", &county_token),
    ] {
        assert_eq!(
            seen(token.clone()).await,
            json!({ "totalCount": 1, "nodes": [{ "constituentName": null, "constituentPhone": null }] }),
            "{role}"
        );
    }
    assert_eq!(seen(other.presidium.clone()).await["totalCount"], 0);
    // The presidium's own step answers with them; nobody else's does.
    let transferred = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$v:Int!,$u:ID!,$d:Date!){ transferContact(id:$id,expectedVersion:$v,unitId:$u,replyDue:$d){ constituentName } }",
            json!({ "id": logged["id"], "v": logged["version"], "u": town.cunjian, "d": day(5) }),
        )
        .await;
    assert_eq!(transferred["transferContact"]["constituentName"], "王德明");
}
e2e!(a_constituents_name_and_phone_reach_their_own_presidium_only);
