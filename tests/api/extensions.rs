//! Extension requests (延期申请): asked for by the one responsible before the deadline passes,
//! one at a time, decided by the presidium; an approval moves the deadline through the item's
//! history, linked to the request.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e, texts};
use serde_json::{Value, json};

const ASK: &str = "mutation($e:ID!,$d:Date!,$r:String!){ requestExtension(entityId:$e, proposedDeadline:$d, reason:$r){ id status currentDeadline proposedDeadline reason requestedBy { username } milestone { id } finding { id } } }";
const DECIDE: &str = "mutation($id:ID!,$a:Boolean!,$n:String,$d:Date){ decideExtension(id:$id, approve:$a, note:$n, deadline:$d){ id status approvedDeadline decisionNote decidedBy { username } } }";
const WITHDRAW: &str = "mutation($id:ID!){ withdrawExtension(id:$id){ id status } }";

async fn ask(app: &TestApp, token: &str, entity: &Value, to: String, reason: &str) -> Value {
    app.gql(
        Some(token),
        ASK,
        json!({ "e": entity, "d": to, "r": reason }),
    )
    .await
}

async fn a_leader_asks_before_the_deadline_and_the_presidium_approves_another_day(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(3) }))
        .await;
    let asked = ask(
        &app,
        &town.liming,
        &m["id"],
        day(20),
        "汛期河水上涨，无法施工",
    )
    .await;
    let request = asked["data"]["requestExtension"].clone();
    assert_eq!(request["status"], "PENDING", "{asked}");
    assert_eq!(request["currentDeadline"], day(3));
    assert_eq!(request["milestone"]["id"], m["id"]);
    assert!(request["finding"].is_null());

    // One waiting request per item.
    let again = ask(&app, &town.liming, &m["id"], day(25), "再次申请").await;
    assert_eq!(code(&again), "CONFLICT", "{again}");

    let waiting = app
        .ok(
            &town.presidium,
            "{ extensionRequests(status:[PENDING]) { totalCount nodes { id reason } } dashboard { pendingExtensions } }",
            json!({}),
        )
        .await;
    assert_eq!(waiting["extensionRequests"]["totalCount"], 1);
    assert_eq!(
        waiting["extensionRequests"]["nodes"][0]["id"],
        request["id"]
    );
    assert_eq!(waiting["dashboard"]["pendingExtensions"], 1);

    // Not the leader's to decide.
    app.refused(
        &town.liming,
        DECIDE,
        json!({ "id": request["id"], "a": true }),
        "FORBIDDEN",
    )
    .await;

    let approved = app
        .ok(
            &town.presidium,
            DECIDE,
            json!({ "id": request["id"], "a": true, "n": "同意顺延至汛期后", "d": day(15) }),
        )
        .await;
    let decision = &approved["decideExtension"];
    assert_eq!(decision["status"], "APPROVED");
    assert_eq!(decision["approvedDeadline"], day(15));
    assert_eq!(decision["decisionNote"], "同意顺延至汛期后");

    let moved = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ deadline originalDeadline timesRescheduled deadlineChanges { from to reason extensionRequest { id status } } extensionRequests { id status } } dashboard { pendingExtensions } }",
            json!({ "id": m["id"] }),
        )
        .await;
    let milestone = &moved["milestone"];
    assert_eq!(milestone["deadline"], day(15));
    assert_eq!(milestone["originalDeadline"], day(3));
    assert_eq!(milestone["timesRescheduled"], 1);
    let change = &milestone["deadlineChanges"][0];
    assert_eq!(change["from"], day(3));
    assert_eq!(change["to"], day(15));
    assert_eq!(change["reason"], "汛期河水上涨，无法施工");
    assert_eq!(change["extensionRequest"]["id"], request["id"]);
    assert_eq!(milestone["extensionRequests"][0]["status"], "APPROVED");
    assert_eq!(moved["dashboard"]["pendingExtensions"], 0);

    // Decided once.
    app.refused(
        &town.presidium,
        DECIDE,
        json!({ "id": request["id"], "a": false, "n": "x" }),
        "VALIDATION_FAILED",
    )
    .await;
}
e2e!(a_leader_asks_before_the_deadline_and_the_presidium_approves_another_day);

async fn after_the_deadline_it_is_for_the_presidium_to_decide(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let late = town
        .milestone(
            &app,
            json!({ "title": "沿线管网迁改", "deadline": day(-1) }),
        )
        .await;
    let refused = ask(&app, &town.liming, &late["id"], day(10), "管线单位未配合").await;
    assert_eq!(code(&refused), "VALIDATION_FAILED");
    let message = refused["errors"][0]["message"].as_str().unwrap();
    assert!(message.contains("presidium decides"), "{message}");

    // On the deadline day it is still in time; a day not later than the deadline is no extension.
    let today = town
        .milestone(&app, json!({ "title": "路面黑化", "deadline": day(0) }))
        .await;
    let not_later = ask(&app, &town.liming, &today["id"], day(0), "无").await;
    assert_eq!(
        not_later["errors"][0]["extensions"]["field"],
        "proposedDeadline"
    );
    let in_time = ask(&app, &town.liming, &today["id"], day(5), "材料未到").await;
    assert!(in_time["errors"].is_null(), "{in_time}");

    // Someone else's item is not theirs to ask about; another township's does not exist.
    let other_leader = ask(&app, &town.chengang, &today["id"], day(5), "代为申请").await;
    assert_eq!(code(&other_leader), "FORBIDDEN");
    let other = Town::setup(&app, "汉阳镇").await;
    let foreign = ask(&app, &other.presidium, &today["id"], day(5), "越权").await;
    assert_eq!(code(&foreign), "NOT_FOUND");
    let theirs = app
        .ok(
            &other.presidium,
            "{ extensionRequests { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(theirs["extensionRequests"]["totalCount"], 0);
}
e2e!(after_the_deadline_it_is_for_the_presidium_to_decide);

async fn a_refusal_says_why_and_a_request_can_be_withdrawn(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "竣工验收", "deadline": day(4) }))
        .await;
    let first = ask(&app, &town.liming, &m["id"], day(30), "设计变更").await;
    let id = first["data"]["requestExtension"]["id"].clone();
    let silent = app
        .gql(
            Some(&town.presidium),
            DECIDE,
            json!({ "id": id, "a": false }),
        )
        .await;
    assert_eq!(silent["errors"][0]["extensions"]["field"], "note");
    let refused = app
        .ok(
            &town.presidium,
            DECIDE,
            json!({ "id": id, "a": false, "n": "变更未经审批，按原计划推进" }),
        )
        .await;
    assert_eq!(refused["decideExtension"]["status"], "REFUSED");
    let unchanged = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ deadline timesRescheduled } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(unchanged["milestone"]["deadline"], day(4));
    assert_eq!(unchanged["milestone"]["timesRescheduled"], 0);

    // A new request once the old one is decided; only its asker withdraws it.
    let second = ask(&app, &town.liming, &m["id"], day(10), "施工队伍不足").await;
    let id = second["data"]["requestExtension"]["id"].clone();
    app.refused(&town.presidium, WITHDRAW, json!({ "id": id }), "FORBIDDEN")
        .await;
    let withdrawn = app.ok(&town.liming, WITHDRAW, json!({ "id": id })).await;
    assert_eq!(withdrawn["withdrawExtension"]["status"], "WITHDRAWN");
    app.refused(
        &town.liming,
        WITHDRAW,
        json!({ "id": id }),
        "VALIDATION_FAILED",
    )
    .await;
    let all = app
        .ok(
            &town.liming,
            "query($id:ID!){ milestone(id:$id){ extensionRequests { status } } }",
            json!({ "id": m["id"] }),
        )
        .await;
    let statuses = texts(&all["milestone"]["extensionRequests"], "status");
    assert_eq!(statuses, ["REFUSED", "WITHDRAWN"]);
}
e2e!(a_refusal_says_why_and_a_request_can_be_withdrawn);

async fn a_findings_deadline_is_extended_the_same_way(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let finding = town.finding(&app, "临河一侧防护栏缺失", &day(5)).await;
    let asked = ask(
        &app,
        &town.liming,
        &finding["id"],
        day(12),
        "护栏定制需要时间",
    )
    .await;
    let request = asked["data"]["requestExtension"].clone();
    assert_eq!(request["finding"]["id"], finding["id"], "{asked}");
    assert!(request["milestone"].is_null());
    app.ok(
        &town.presidium,
        DECIDE,
        json!({ "id": request["id"], "a": true }),
    )
    .await;
    let moved = app
        .ok(
            &town.presidium,
            "query($id:ID!){ finding(id:$id){ deadline deadlineChanges { to extensionRequest { id } } extensionRequests { status approvedDeadline } } }",
            json!({ "id": finding["id"] }),
        )
        .await;
    assert_eq!(moved["finding"]["deadline"], day(12));
    assert_eq!(
        moved["finding"]["deadlineChanges"][0]["extensionRequest"]["id"],
        request["id"]
    );
    assert_eq!(
        moved["finding"]["extensionRequests"][0]["approvedDeadline"],
        day(12)
    );
}
e2e!(a_findings_deadline_is_extended_the_same_way);

async fn an_extension_asked_in_time_is_no_late_change_for_being_decided_late(app: TestApp) {
    use jiandu_api::entity::{extension_request, milestone};
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, sea_query::Expr};
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "主体施工", "deadline": day(3) }))
        .await;
    let asked = ask(&app, &town.liming, &m["id"], day(20), "雨季").await;
    let request = asked["data"]["requestExtension"]["id"].clone();
    // As if it had been asked five days ago, three days before a deadline that has now passed.
    let db = app.ctx.db.conn();
    let five_days_ago = chrono::Utc::now() - chrono::Duration::days(5);
    let id = |v: &Value| uuid::Uuid::parse_str(v.as_str().unwrap()).unwrap();
    extension_request::Entity::update_many()
        .col_expr(
            extension_request::Column::RequestedAt,
            Expr::value(five_days_ago),
        )
        .filter(extension_request::Column::Id.eq(id(&request)))
        .exec(db)
        .await
        .unwrap();
    let passed = chrono::NaiveDate::parse_from_str(&day(-2), "%Y-%m-%d").unwrap();
    milestone::Entity::update_many()
        .col_expr(milestone::Column::Deadline, Expr::value(passed))
        .col_expr(milestone::Column::OnTimeDeadline, Expr::value(passed))
        .filter(milestone::Column::Id.eq(id(&m["id"])))
        .exec(db)
        .await
        .unwrap();

    app.ok(&town.presidium, DECIDE, json!({ "id": request, "a": true }))
        .await;
    let moved = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ deadline onTimeDeadline deadlineChanges { lateChange } } }",
            json!({ "id": m["id"] }),
        )
        .await;
    assert_eq!(moved["milestone"]["deadline"], day(20));
    assert_eq!(
        moved["milestone"]["deadlineChanges"][0]["lateChange"],
        false
    );
    assert_eq!(moved["milestone"]["onTimeDeadline"], day(20));

    // The presidium moving the same lapsed deadline by itself is a late change.
    let direct = town
        .milestone(&app, json!({ "title": "竣工验收", "deadline": day(-2) }))
        .await;
    let rescheduled = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$v:Int!,$d:Date!){ rescheduleMilestone(id:$id,expectedVersion:$v,newDeadline:$d,reason:\"顺延\"){ onTimeDeadline deadlineChanges { lateChange } } }",
            json!({ "id": direct["id"], "v": direct["version"], "d": day(20) }),
        )
        .await;
    assert_eq!(
        rescheduled["rescheduleMilestone"]["deadlineChanges"][0]["lateChange"],
        true
    );
    assert_eq!(
        rescheduled["rescheduleMilestone"]["onTimeDeadline"],
        day(-2)
    );
}
e2e!(an_extension_asked_in_time_is_no_late_change_for_being_decided_late);

/// An item reported done while its extension request waits: the request ends with it
/// (withdrawn, saying why), the presidium's list no longer holds it, and the item's page no
/// longer offers to ask. The same for a finding resolved.
async fn a_waiting_request_ends_when_its_item_is_reported_done(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let requests =
        "query($id:ID!){ node: milestone(id:$id){ extensionRequests { status decisionNote } } }";
    let m = town
        .milestone(&app, json!({ "title": "完成用地报批", "deadline": day(5) }))
        .await;
    let asked = ask(&app, &town.liming, &m["id"], day(20), "省厅审批窗口顺延").await;
    assert!(asked.get("errors").is_none(), "{asked}");
    app.complete(&town.liming, &m["id"], &m["version"]).await;
    let ended = app
        .ok(&town.presidium, requests, json!({ "id": m["id"] }))
        .await;
    assert_eq!(
        ended["node"]["extensionRequests"],
        json!([{ "status": "WITHDRAWN", "decisionNote": "事项已报办结，延期申请随之撤回。" }])
    );
    let pending = app
        .ok(
            &town.presidium,
            "{ dashboard { pendingExtensions } }",
            json!({}),
        )
        .await;
    assert_eq!(pending["dashboard"]["pendingExtensions"], 0, "{pending}");
    let page = jiandu_tests::web::Visitor::new(&app, Some(&town.liming))
        .get(&format!("/milestones/{}", m["id"].as_str().unwrap()))
        .await;
    assert!(
        !page.html.contains("/extension\""),
        "the form to ask is gone: {}",
        page.html
    );

    let finding = town.finding(&app, "临河一侧防护栏缺失", &day(5)).await;
    let asked = ask(&app, &town.liming, &finding["id"], day(12), "护栏定制").await;
    assert!(asked.get("errors").is_none(), "{asked}");
    app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:RESOLVED,resolution:\"已安装\"){ id } }",
        json!({ "id": finding["id"], "v": finding["version"] }),
    )
    .await;
    let ended = app
        .ok(
            &town.presidium,
            "query($id:ID!){ node: finding(id:$id){ extensionRequests { status decisionNote } } }",
            json!({ "id": finding["id"] }),
        )
        .await;
    assert_eq!(ended["node"]["extensionRequests"][0]["status"], "WITHDRAWN");
}
e2e!(a_waiting_request_ends_when_its_item_is_reported_done);
