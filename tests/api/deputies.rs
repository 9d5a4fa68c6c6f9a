//! The deputies' side: inspections, the findings they raise, rectification and verification.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const LOG: &str = "mutation($i:LogInspectionInput!){ logInspection(input:$i){ id kind topic visitedOn location summary rating project{ title } participants{ name } milestones{ title } findings{ id description deadline status version deadlineState light responsibleLeader{ name } responsibleUnit{ name } milestone{ title } project{ title } } recordedBy{ username } } }";

const FINDING: &str = "id status version deadline originalDeadline timesRescheduled resolution resolvedAt resolvedBy{ username } verificationNote deadlineState light daysOverdue deadlineChanges{ from to reason }";

async fn update(app: &TestApp, token: &str, finding: &Value, status: &str, extra: Value) -> Value {
    let mut vars = json!({ "id": finding["id"], "v": finding["version"], "s": status });
    for (k, v) in extra.as_object().unwrap() {
        vars[k] = v.clone();
    }
    app.gql(
        Some(token),
        &format!("mutation($id:ID!,$v:Int!,$s:FindingStatus!,$r:String,$n:String){{ updateFinding(id:$id,expectedVersion:$v,status:$s,resolution:$r,note:$n){{ {FINDING} }} }}"),
        vars,
    )
    .await
}

fn updated(body: Value) -> Value {
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"]["updateFinding"].clone()
}

/// `token` moves `finding` to `status`, with no resolution or note; the finding after.
async fn moved(app: &TestApp, token: &str, finding: &Value, status: &str) -> Value {
    updated(update(app, token, finding, status, json!({})).await)
}

/// `token` resolves `finding` with `resolution`; the finding after.
async fn resolved(app: &TestApp, token: &str, finding: &Value, resolution: &str) -> Value {
    updated(update(app, token, finding, "RESOLVED", json!({ "r": resolution })).await)
}

/// `token` moves `finding` to `status` with `note` (why it goes back, or what was verified);
/// the finding after.
async fn noted(app: &TestApp, token: &str, finding: &Value, status: &str, note: &str) -> Value {
    updated(update(app, token, finding, status, json!({ "n": note })).await)
}

async fn bridge_visit(app: &TestApp, town: &Town, findings: Value) -> Value {
    let node = town
        .milestone(app, json!({ "title": "桥面铺装", "deadline": day(30) }))
        .await;
    app.ok(
        &town.deputy,
        LOG,
        json!({ "i": {
            "kind": "VISIT",
            "projectId": town.bridge,
            "visitedOn": day(-10),
            "location": "思蒙国家湿地公园",
            "participantIds": [town.yang],
            "milestoneIds": [node["id"]],
            "summary": "代表视察风雨桥建设，桥面铺装进度滞后，安全防护不到位。",
            "rating": "BASICALLY_SATISFIED",
            "findings": findings,
        }}),
    )
    .await["logInspection"]
        .clone()
}

e2e!(a_visit_to_the_bridge_raises_findings_resolved_late_and_verified);
async fn a_visit_to_the_bridge_raises_findings_resolved_late_and_verified(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let visit = bridge_visit(
        &app,
        &town,
        json!([
            { "description": "施工现场安全防护栏缺失", "responsibleLeaderId": town.li,
              "responsibleUnitId": town.cunjian, "deadline": day(-3) },
            { "description": "步道照明未接通", "responsibleLeaderId": town.chen,
              "responsibleUnitId": town.jingfa, "deadline": day(20) },
        ]),
    )
    .await;
    assert_eq!(visit["kind"], "VISIT");
    assert_eq!(visit["visitedOn"], day(-10));
    assert_eq!(visit["rating"], "BASICALLY_SATISFIED");
    assert_eq!(visit["project"]["title"], "思蒙国家湿地公园健身步道风雨桥");
    assert_eq!(visit["participants"], json!([{ "name": "杨秀英" }]));
    assert_eq!(visit["milestones"], json!([{ "title": "桥面铺装" }]));
    let findings = visit["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 2);
    let (railing, lights) = (findings[0].clone(), findings[1].clone());
    assert_eq!(railing["status"], "OPEN");
    assert_eq!(railing["deadlineState"], "OVERDUE");
    assert_eq!(railing["light"], "RED");
    assert_eq!(railing["responsibleLeader"]["name"], "李明");
    assert_eq!(
        railing["project"]["title"],
        "思蒙国家湿地公园健身步道风雨桥"
    );
    assert_eq!(lights["deadlineState"], "UPCOMING");
    assert_eq!(lights["responsibleUnit"]["name"], "经发办");

    // 陈刚 is not responsible for the railing; 李明 is.
    let body = update(&app, &town.chengang, &railing, "RECTIFYING", json!({})).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let railing = moved(&app, &town.liming, &railing, "RECTIFYING").await;
    assert_eq!(railing["status"], "RECTIFYING");
    let body = update(&app, &town.liming, &railing, "RESOLVED", json!({})).await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    assert_eq!(body["errors"][0]["extensions"]["field"], "resolution");
    let railing = resolved(&app, &town.liming, &railing, "已安装防护栏并设置警示标志").await;
    assert_eq!(railing["status"], "RESOLVED");
    assert_eq!(railing["deadlineState"], "DONE_LATE");
    assert_eq!(railing["daysOverdue"], 3);
    assert_eq!(railing["light"], "GREY");
    assert!(railing["resolvedAt"].is_string());

    // The leader who resolved it cannot also accept it.
    let body = update(&app, &town.liming, &railing, "VERIFIED", json!({})).await;
    assert_eq!(code(&body), "FORBIDDEN");
    // A deputy sends it back; the reason is required and kept.
    let body = update(&app, &town.deputy, &railing, "RECTIFYING", json!({})).await;
    assert_eq!(code(&body), "VALIDATION_FAILED");
    let railing = noted(
        &app,
        &town.deputy,
        &railing,
        "RECTIFYING",
        "防护栏高度不足1.2米",
    )
    .await;
    assert_eq!(railing["status"], "RECTIFYING");
    assert_eq!(railing["verificationNote"], "防护栏高度不足1.2米");
    assert_eq!(railing["deadlineState"], "OVERDUE");
    assert!(railing["resolvedAt"].is_null());
    let railing = resolved(&app, &town.liming, &railing, "防护栏已加高至1.2米").await;
    let railing = moved(&app, &town.deputy, &railing, "VERIFIED").await;
    assert_eq!(railing["status"], "VERIFIED");
    assert_eq!(railing["deadlineState"], "DONE_LATE");
    assert_eq!(railing["resolution"], "防护栏已加高至1.2米");
    let body = update(
        &app,
        &town.deputy,
        &railing,
        "RECTIFYING",
        json!({ "n": "x" }),
    )
    .await;
    assert_eq!(
        code(&body),
        "VALIDATION_FAILED",
        "a verified finding is final"
    );

    let history = app.history(&town.presidium, &railing["id"]).await;
    assert_eq!(
        app.actions(&town.presidium, &railing["id"]).await,
        [
            "finding.raise",
            "finding.start",
            "finding.resolve",
            "finding.reject",
            "finding.resolve",
            "finding.accept"
        ]
    );
    assert_eq!(
        history[3]["after"]["verification_note"],
        "防护栏高度不足1.2米"
    );

    // The lighting deadline moves, with its reason on record; a stale version is a conflict.
    let reschedule = "mutation($id:ID!,$v:Int!,$d:Date!,$r:String!){ rescheduleFinding(id:$id,expectedVersion:$v,newDeadline:$d,reason:$r){ deadline originalDeadline timesRescheduled version deadlineChanges{ from to reason changedBy{ username } } } }";
    let vars = json!({ "id": lights["id"], "v": lights["version"], "d": day(40), "r": "供电线路需电力公司配合" });
    let body = app.gql(Some(&town.deputy), reschedule, vars.clone()).await;
    assert_eq!(code(&body), "FORBIDDEN", "deadlines are the presidium's");
    let moved =
        app.ok(&town.presidium, reschedule, vars.clone()).await["rescheduleFinding"].clone();
    assert_eq!(moved["deadline"], day(40));
    assert_eq!(moved["originalDeadline"], day(20));
    assert_eq!(moved["timesRescheduled"], 1);
    assert_eq!(
        moved["deadlineChanges"][0]["reason"],
        "供电线路需电力公司配合"
    );
    let body = app.gql(Some(&town.presidium), reschedule, vars).await;
    assert_eq!(code(&body), "CONFLICT");

    let project = app
        .ok(
            &town.viewer,
            "query($id:ID!){ project(id:$id){ light findings{ totalCount } open: findings(status:[OPEN,RECTIFYING]){ nodes{ description } } inspections{ totalCount nodes{ summary findings{ status } } } } }",
            json!({ "id": town.bridge }),
        )
        .await["project"]
        .clone();
    assert_eq!(project["light"], "GREEN");
    assert_eq!(project["findings"]["totalCount"], 2);
    assert_eq!(
        project["open"]["nodes"],
        json!([{ "description": "步道照明未接通" }])
    );
    assert_eq!(project["inspections"]["totalCount"], 1);
    assert_eq!(
        project["inspections"]["nodes"][0]["findings"],
        json!([{ "status": "VERIFIED" }, { "status": "OPEN" }])
    );
}

e2e!(nobody_verifies_their_own_resolution);
async fn nobody_verifies_their_own_resolution(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let visit = bridge_visit(
        &app,
        &town,
        json!([{ "description": "桥头排水沟堵塞", "responsibleLeaderId": town.li,
                 "responsibleUnitId": town.cunjian, "deadline": day(5) }]),
    )
    .await;
    let finding = &visit["findings"][0];
    // The presidium may answer for a leader, but then it may not accept its own answer.
    let finding = resolved(&app, &town.presidium, finding, "已疏通").await;
    assert_eq!(
        finding["resolvedBy"]["username"]
            .as_str()
            .map(|u| u.starts_with("presidium-")),
        Some(true)
    );
    let body = update(&app, &town.presidium, &finding, "VERIFIED", json!({})).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let body = update(&app, &town.viewer, &finding, "VERIFIED", json!({})).await;
    assert_eq!(code(&body), "FORBIDDEN");
    let finding = noted(&app, &town.deputy, &finding, "VERIFIED", "现场核实已疏通").await;
    assert_eq!(finding["status"], "VERIFIED");
    assert_eq!(finding["deadlineState"], "DONE_ON_TIME");
    assert_eq!(finding["verificationNote"], "现场核实已疏通");
}

e2e!(an_inspection_names_a_project_or_a_topic_and_real_participants);
async fn an_inspection_names_a_project_or_a_topic_and_real_participants(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let topic = app
        .ok(
            &town.presidium,
            LOG,
            json!({ "i": {
                "kind": "LAW_ENFORCEMENT", "topic": "森林防火", "visitedOn": day(-2),
                "participantIds": [town.yang, town.liu], "summary": "对全镇森林防火工作开展执法检查。",
                "findings": [{ "description": "部分村护林员配备不足", "responsibleLeaderId": town.chen,
                               "responsibleUnitId": town.jingfa, "deadline": day(30) }],
            }}),
        )
        .await["logInspection"]
        .clone();
    assert_eq!(topic["kind"], "LAW_ENFORCEMENT");
    assert_eq!(topic["topic"], "森林防火");
    assert!(topic["project"].is_null());
    assert!(topic["findings"][0]["project"].is_null());
    assert_eq!(
        topic["participants"],
        json!([{ "name": "刘芳" }, { "name": "杨秀英" }])
    );

    let count = "query($k:[InspectionKind!],$p:ID,$f:Date,$t:Date){ inspections(kind:$k,projectId:$p,from:$f,to:$t){ totalCount nodes{ topic } } }";
    let all = app.ok(&town.viewer, count, json!({})).await;
    assert_eq!(all["inspections"]["totalCount"], 1);

    let base = json!({
        "kind": "VISIT", "visitedOn": day(-1), "participantIds": [town.yang], "summary": "视察",
    });
    let with = |extra: Value| {
        let mut input = base.clone();
        for (k, v) in extra.as_object().unwrap() {
            input[k] = v.clone();
        }
        json!({ "i": input })
    };
    let cases = [
        (
            town.deputy.as_str(),
            with(json!({})),
            "VALIDATION_FAILED",
            Some("projectId"),
        ),
        (
            town.deputy.as_str(),
            with(json!({ "topic": "  " })),
            "VALIDATION_FAILED",
            Some("projectId"),
        ),
        (
            town.deputy.as_str(),
            with(
                json!({ "projectId": town.bridge, "participantIds": [uuid::Uuid::now_v7().to_string()] }),
            ),
            "VALIDATION_FAILED",
            Some("participantIds"),
        ),
        (
            town.deputy.as_str(),
            with(json!({ "projectId": town.bridge, "participantIds": [] })),
            "VALIDATION_FAILED",
            Some("participantIds"),
        ),
        (
            town.deputy.as_str(),
            with(json!({ "projectId": town.bridge, "participantIds": ["not-an-id"] })),
            "VALIDATION_FAILED",
            Some("participantIds"),
        ),
        (
            town.deputy.as_str(),
            with(json!({ "projectId": town.bridge, "visitedOn": day(1) })),
            "VALIDATION_FAILED",
            Some("visitedOn"),
        ),
        (
            town.deputy.as_str(),
            with(
                json!({ "projectId": town.bridge, "findings": [{ "description": "x",
                "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": day(-5) }] }),
            ),
            "VALIDATION_FAILED",
            Some("findings.0.deadline"),
        ),
        (
            town.deputy.as_str(),
            with(
                json!({ "projectId": town.bridge, "findings": [{ "description": "x",
                "responsibleLeaderId": town.li, "responsibleUnitId": town.li, "deadline": day(5) }] }),
            ),
            "VALIDATION_FAILED",
            Some("findings.0.responsibleUnitId"),
        ),
        (
            town.liming.as_str(),
            with(json!({ "projectId": town.bridge })),
            "FORBIDDEN",
            None,
        ),
        (
            town.viewer.as_str(),
            with(json!({ "projectId": town.bridge })),
            "FORBIDDEN",
            None,
        ),
    ];
    for (token, vars, expected, field) in cases {
        let body = app.gql(Some(token), LOG, vars.clone()).await;
        assert_eq!(code(&body), expected, "{vars:#}");
        if let Some(field) = field {
            assert_eq!(body["errors"][0]["extensions"]["field"], field, "{vars:#}");
        }
    }
    // Someone of another town is not a participant here, and nothing above was stored.
    let other = Town::setup(&app, "汉阳镇").await;
    app.refused(
        &town.deputy,
        LOG,
        with(json!({ "projectId": town.bridge, "participantIds": [other.yang] })),
        "VALIDATION_FAILED",
    )
    .await;
    let all = app.ok(&town.presidium, count, json!({})).await;
    assert_eq!(all["inspections"]["totalCount"], 1);
    let findings = app
        .ok(&town.presidium, "{ findings{ totalCount } }", json!({}))
        .await;
    assert_eq!(findings["findings"]["totalCount"], 1);

    // Filters: by project, kind and visit day.
    bridge_visit(&app, &town, json!([])).await;
    let by = |vars: Value| {
        let app = &app;
        let token = town.viewer.clone();
        async move { app.ok(&token, count, vars).await["inspections"]["totalCount"].clone() }
    };
    assert_eq!(by(json!({})).await, 2);
    assert_eq!(by(json!({ "k": ["LAW_ENFORCEMENT"] })).await, 1);
    assert_eq!(by(json!({ "k": ["VISIT", "CHECK"] })).await, 1);
    assert_eq!(by(json!({ "p": town.bridge })).await, 1);
    assert_eq!(by(json!({ "f": day(-5) })).await, 1);
    assert_eq!(by(json!({ "f": day(-10), "t": day(-10) })).await, 1);
    assert_eq!(by(json!({ "t": day(-11) })).await, 0);
    // The other town sees none of this town's inspections.
    let theirs = app.ok(&other.presidium, count, json!({})).await;
    assert_eq!(theirs["inspections"]["totalCount"], 0);
}

e2e!(an_overdue_finding_turns_the_project_red);
async fn an_overdue_finding_turns_the_project_red(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let visit = bridge_visit(
        &app,
        &town,
        json!([{ "description": "防护栏缺失", "responsibleLeaderId": town.li,
                 "responsibleUnitId": town.cunjian, "deadline": day(-1) }]),
    )
    .await;
    let query = "query($id:ID!,$a:Date){ project(id:$id){ light(asOf:$a) } projects(filter:{light:[RED], asOf:$a}){ totalCount } findings(filter:{deadlineState:[OVERDUE], asOf:$a}){ nodes{ id daysOverdue(asOf:$a) } } }";
    let now = app
        .ok(&town.viewer, query, json!({ "id": town.bridge }))
        .await;
    assert_eq!(now["project"]["light"], "RED");
    assert_eq!(
        now["projects"]["totalCount"], 1,
        "the SQL light filter agrees"
    );
    assert_eq!(
        now["findings"]["nodes"][0]["id"],
        visit["findings"][0]["id"]
    );
    assert_eq!(now["findings"]["nodes"][0]["daysOverdue"], 1);

    // Two days ago it was due soon, not late: yellow.
    let before = app
        .ok(
            &town.viewer,
            query,
            json!({ "id": town.bridge, "a": day(-2) }),
        )
        .await;
    assert_eq!(before["project"]["light"], "YELLOW");
    assert_eq!(before["projects"]["totalCount"], 0);
    assert_eq!(before["findings"]["nodes"], json!([]));
    let yellow = app
        .ok(
            &town.viewer,
            "query($a:Date){ projects(filter:{light:[YELLOW], asOf:$a}){ totalCount } }",
            json!({ "a": day(-2) }),
        )
        .await;
    assert_eq!(yellow["projects"]["totalCount"], 1);

    // Resolved, it no longer colours the project.
    resolved(&app, &town.liming, &visit["findings"][0], "已安装").await;
    let after = app
        .ok(&town.viewer, query, json!({ "id": town.bridge }))
        .await;
    assert_eq!(after["project"]["light"], "GREEN");
    assert_eq!(after["projects"]["totalCount"], 0);
}

e2e!(a_rejected_milestone_goes_back_to_work_with_the_note_on_record);
async fn a_rejected_milestone_goes_back_to_work_with_the_note_on_record(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let node = town
        .milestone(
            &app,
            json!({ "title": "主体结构完工", "deadline": day(10) }),
        )
        .await;
    let done = app
        .complete(&town.liming, &node["id"], &node["version"])
        .await;
    let verify = "mutation($id:ID!,$v:Int!,$d:Verdict!,$n:String){ verifyMilestone(id:$id,expectedVersion:$v,verdict:$d,note:$n){ version status completedAt deadlineState } }";
    let body = app
        .gql(
            Some(&town.liming),
            verify,
            json!({ "id": done["id"], "v": done["version"], "d": "ACCEPTED" }),
        )
        .await;
    assert_eq!(code(&body), "FORBIDDEN", "leaders do not verify");
    let body = app
        .gql(
            Some(&town.deputy),
            verify,
            json!({ "id": done["id"], "v": done["version"], "d": "REJECTED" }),
        )
        .await;
    assert_eq!(code(&body), "VALIDATION_FAILED", "a rejection says why");
    let back = app
        .ok(
            &town.deputy,
            verify,
            json!({ "id": done["id"], "v": done["version"], "d": "REJECTED", "n": "桥面有裂缝，需返工" }),
        )
        .await["verifyMilestone"]
        .clone();
    assert_eq!(back["status"], "IN_PROGRESS");
    assert!(back["completedAt"].is_null());
    assert_eq!(back["deadlineState"], "UPCOMING");
    let history = app.history(&town.viewer, &node["id"]).await;
    let last = history.last().unwrap();
    assert_eq!(last["action"], "milestone.reject");
    assert_eq!(last["after"]["note"], "桥面有裂缝，需返工");

    let done = app
        .complete(&town.liming, &node["id"], &back["version"])
        .await;
    let accepted = app
        .ok(
            &town.deputy,
            verify,
            json!({ "id": done["id"], "v": done["version"], "d": "ACCEPTED" }),
        )
        .await["verifyMilestone"]
        .clone();
    assert_eq!(accepted["status"], "VERIFIED");
    assert_eq!(accepted["deadlineState"], "DONE_ON_TIME");
}
