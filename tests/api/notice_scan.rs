//! The daily notice scan (提醒 → 催办 → 督办单), run on fixed days of March 2026 (no holidays; the
//! 14th and 15th are a weekend) with the default settings: remind once when due soon, urge on the
//! first working day overdue and every 3 working days after (or weekly while behind pace), order
//! at 5 working days overdue, copy an order unacknowledged for 2 working days upward. Every run
//! is safe to repeat, on any replica.

use std::sync::Arc;

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, code, e2e};
use serde_json::{Value, json};

const RUN: &str =
    "mutation($d:Date){ runNoticesNow(asOf:$d){ asOf issued reminders urges orders copies } }";

async fn run(app: &TestApp, token: &str, on: &str) -> Value {
    app.ok(token, RUN, json!({ "d": on })).await["runNoticesNow"].clone()
}

fn counts(run: &Value) -> [i64; 4] {
    ["reminders", "urges", "orders", "copies"].map(|k| run[k].as_i64().unwrap())
}

/// The item due on Friday 6 March (李明), the finding due on Thursday 5 March (陈刚, 经发办),
/// and an item started on 2 February, due 30 April, still at 0 % (behind pace).
struct March {
    item: String,
    finding: String,
    behind: String,
}

async fn march(app: &TestApp, town: &Town) -> March {
    let item = town
        .milestone(
            app,
            json!({ "title": "桥面铺装", "deadline": "2026-03-06" }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let behind = town
        .milestone(
            app,
            json!({ "title": "廊亭彩绘", "startDate": "2026-02-02", "deadline": "2026-04-30" }),
        )
        .await["id"]
        .as_str()
        .unwrap()
        .to_string();
    let logged = app
        .ok(
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings { id } } }",
            json!({ "i": {
                "kind": "VISIT", "projectId": town.bridge, "visitedOn": "2026-02-20",
                "participantIds": [town.yang], "summary": "代表视察风雨桥",
                "findings": [{ "description": "护栏缺失", "responsibleLeaderId": town.chen,
                               "responsibleUnitId": town.jingfa, "deadline": "2026-03-05" }]
            } }),
        )
        .await;
    let finding = logged["logInspection"]["findings"][0]["id"]
        .as_str()
        .unwrap()
        .to_string();
    March {
        item,
        finding,
        behind,
    }
}

async fn notices_about(app: &TestApp, town: &Town, subject: &str) -> Vec<Value> {
    let found = app
        .ok(
            &town.presidium,
            "query($s:ID!){ notices(first:100, filter:{subjectId:$s}){ nodes { kind number title body recipient { name } copiedTo { name } replyDue recipientHasAccount } } }",
            json!({ "s": subject }),
        )
        .await;
    found["notices"]["nodes"].as_array().unwrap().clone()
}

fn kinds(notices: &[Value]) -> Vec<&str> {
    // Newest first, as listed; the ladder read oldest first.
    notices
        .iter()
        .rev()
        .map(|n| n["kind"].as_str().unwrap())
        .collect()
}

async fn set_head(app: &TestApp, town: &Town, unit: &str, head: &str) {
    app.ok(
        &town.presidium,
        "mutation($u:ID!,$h:ID){ updateUnit(id:$u, input:{headId:$h}){ head { name } } }",
        json!({ "u": unit, "h": head }),
    )
    .await;
}

e2e!(items_climb_the_ladder_day_by_day_and_each_step_comes_once);
/// Day by day through March: reminders when due soon, urges when overdue or behind pace, orders
/// numbered 1 and 2 at five working days overdue (each counting as that day's urge), nothing on
/// the weekend, copies to the head
/// of the recipient's unit once an order waits two working days; every run repeated issues
/// nothing more.
async fn items_climb_the_ladder_day_by_day_and_each_step_comes_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = march(&app, &town).await;
    let p = town.presidium.as_str();
    set_head(&app, &town, &town.jingfa, &town.li).await;

    let days = [
        ("2026-03-04", [2, 1, 0, 0]),
        ("2026-03-09", [0, 2, 0, 0]),
        ("2026-03-10", [0, 0, 0, 0]),
        ("2026-03-12", [0, 2, 1, 0]),
        ("2026-03-13", [0, 0, 1, 0]),
        ("2026-03-14", [0, 0, 0, 0]),
        ("2026-03-16", [0, 0, 0, 1]),
    ];
    for (on, expected) in days {
        let first = run(&app, p, on).await;
        assert_eq!(first["asOf"], on);
        assert_eq!(counts(&first), expected, "{on}: {first}");
        let again = run(&app, p, on).await;
        assert_eq!(counts(&again), [0; 4], "{on} again: {again}");
    }
    // 村建办 has a head now: 李明's unanswered order goes up to her the next working day.
    set_head(&app, &town, &town.cunjian, &town.liu).await;
    assert_eq!(counts(&run(&app, p, "2026-03-17").await), [0, 1, 0, 1]);

    let item = notices_about(&app, &town, &m.item).await;
    assert_eq!(
        kinds(&item),
        ["REMINDER", "URGE", "URGE", "SUPERVISION_ORDER"]
    );
    let order = item
        .iter()
        .find(|n| n["kind"] == "SUPERVISION_ORDER")
        .unwrap();
    assert_eq!(order["number"], "思人督〔2026〕2号");
    assert_eq!(order["recipient"]["name"], "李明");
    assert_eq!(order["copiedTo"], json!([{ "name": "刘芳" }]));
    assert_eq!(
        order["replyDue"], "2026-03-20",
        "five working days after the 13th"
    );
    assert_eq!(order["recipientHasAccount"], true);
    let body = order["body"].as_str().unwrap();
    assert!(
        body.contains("桥面铺装") && body.contains("逾期7天"),
        "{body}"
    );

    let finding = notices_about(&app, &town, &m.finding).await;
    assert_eq!(
        kinds(&finding),
        ["REMINDER", "URGE", "SUPERVISION_ORDER", "URGE"]
    );
    let order = finding
        .iter()
        .find(|n| n["kind"] == "SUPERVISION_ORDER")
        .unwrap();
    assert_eq!(order["number"], "思人督〔2026〕1号");
    assert_eq!(order["recipient"]["name"], "陈刚");
    assert_eq!(order["copiedTo"], json!([{ "name": "李明" }]));

    let behind = notices_about(&app, &town, &m.behind).await;
    assert_eq!(kinds(&behind), ["URGE", "URGE"], "weekly while behind pace");
    assert!(behind[0]["title"].as_str().unwrap().contains("进度滞后"));
}

e2e!(an_acknowledged_order_is_not_copied_and_a_moved_deadline_starts_the_ladder_again);
/// The recipient who signs for the order in time is not reported upward; an item finished is
/// chased no more; an item whose deadline moves is reminded again before its new day.
async fn an_acknowledged_order_is_not_copied_and_a_moved_deadline_starts_the_ladder_again(
    app: TestApp,
) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = march(&app, &town).await;
    let p = town.presidium.as_str();
    set_head(&app, &town, &town.jingfa, &town.li).await;
    for on in ["2026-03-04", "2026-03-09", "2026-03-12"] {
        run(&app, p, on).await;
    }
    let orders = app
        .ok(
            &town.chengang,
            "{ notices(filter:{mine:true, kind:[SUPERVISION_ORDER]}){ nodes { id } } }",
            json!({}),
        )
        .await;
    let order = orders["notices"]["nodes"][0]["id"].clone();
    app.ok(
        &town.chengang,
        "mutation($id:ID!){ acknowledgeNotice(id:$id){ id } }",
        json!({ "id": order }),
    )
    .await;
    assert_eq!(counts(&run(&app, p, "2026-03-16").await)[3], 0, "no copy");

    // 陈刚 reports the finding rectified: no more urges about it.
    let version = app
        .ok(
            &town.presidium,
            "query($id:ID!){ finding(id:$id){ version } }",
            json!({ "id": m.finding }),
        )
        .await["finding"]["version"]
        .clone();
    app.ok(
        &town.chengang,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id, expectedVersion:$v, status:RESOLVED, resolution:\"已加装护栏\"){ id } }",
        json!({ "id": m.finding, "v": version }),
    )
    .await;
    let before = notices_about(&app, &town, &m.finding).await.len();
    run(&app, p, "2026-03-19").await;
    assert_eq!(notices_about(&app, &town, &m.finding).await.len(), before);

    // The item's deadline moves to 25 March (a late change): reminded again on the 23rd.
    let version = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ version } }",
            json!({ "id": m.item }),
        )
        .await["milestone"]["version"]
        .clone();
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ rescheduleMilestone(id:$id, expectedVersion:$v, newDeadline:\"2026-03-25\", reason:\"桥面材料改型\"){ id } }",
        json!({ "id": m.item, "v": version }),
    )
    .await;
    let reminded = run(&app, p, "2026-03-23").await;
    assert!(reminded["reminders"].as_i64().unwrap() >= 1, "{reminded}");
    let item = notices_about(&app, &town, &m.item).await;
    assert_eq!(item[0]["kind"], "REMINDER");
    assert!(item[0]["title"].as_str().unwrap().contains("2026年3月25日"));
}

e2e!(only_the_presidium_runs_the_scan_and_only_for_its_own_organisation);
/// A leader, deputy or read-only account may not run the scan; another township's presidium
/// cannot name this one; nothing is issued by the refusals.
async fn only_the_presidium_runs_the_scan_and_only_for_its_own_organisation(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    march(&app, &town).await;
    for who in [&town.liming, &town.deputy, &town.viewer] {
        let refused = app.gql(Some(who), RUN, json!({ "d": "2026-03-04" })).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    }
    app.refused(
        &other.presidium,
        "mutation($o:ID!){ runNoticesNow(asOf:\"2026-03-04\", organizationId:$o){ issued } }",
        json!({ "o": town.org }),
        "NOT_FOUND",
    )
    .await;
    let none = app
        .ok(&town.presidium, "{ notices { totalCount } }", json!({}))
        .await;
    assert_eq!(none["notices"]["totalCount"], 0);
}

/// Two servers on one database, each running the same day's scan four times at once: every
/// notice is issued once and the order numbers have no gap.
async fn two_replicas_scanning_at_once_issue_each_notice_once(backend: Backend) {
    let a = Arc::new(TestApp::spawn(backend).await);
    let town = Town::setup(&a, "思蒙镇").await;
    march(&a, &town).await;
    for on in ["2026-03-04", "2026-03-09"] {
        run(&a, &town.presidium, on).await;
    }
    let b = Arc::new(a.replica().await);
    let mut runs = Vec::new();
    for i in 0..8 {
        let app = if i % 2 == 0 { a.clone() } else { b.clone() };
        let token = town.presidium.clone();
        runs.push(tokio::spawn(async move {
            app.gql(Some(&token), RUN, json!({ "d": "2026-03-13" }))
                .await
        }));
    }
    let mut issued = [0; 4];
    for r in runs {
        let body = r.await.unwrap();
        assert!(body.get("errors").is_none(), "{body}");
        let c = counts(&body["data"]["runNoticesNow"]);
        for k in 0..4 {
            issued[k] += c[k];
        }
    }
    // On the 13th (nothing issued on the 12th): both items five or more working days overdue.
    assert_eq!(
        issued,
        [0, 1, 2, 0],
        "one run issued, the others found it done"
    );
    let orders = a
        .ok(
            &town.presidium,
            "{ notices(filter:{kind:[SUPERVISION_ORDER]}){ nodes { number } } }",
            json!({}),
        )
        .await;
    let mut numbers: Vec<&str> = orders["notices"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["number"].as_str().unwrap())
        .collect();
    numbers.sort_unstable();
    assert_eq!(numbers, ["思人督〔2026〕1号", "思人督〔2026〕2号"]);
}

#[tokio::test]
async fn two_replicas_scanning_at_once_issue_each_notice_once_sqlite() {
    two_replicas_scanning_at_once_issue_each_notice_once(Backend::Sqlite).await;
}

#[tokio::test]
async fn two_replicas_scanning_at_once_issue_each_notice_once_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        two_replicas_scanning_at_once_issue_each_notice_once(Backend::Postgres).await;
    }
}

/// A server with the schedule on (looking every second) started once the town is set up with
/// its notice hour at midnight and an overdue item: the item is urged within seconds on a
/// working day, once however many times the schedule looks; on a rest day nothing is issued.
async fn the_schedule_scans_at_the_notice_hour_on_working_days(backend: Backend) {
    let app = TestApp::spawn(backend).await;
    let town = Town::setup(&app, "思蒙镇").await;
    app.ok(
        &town.presidium,
        "mutation{ updateOrganizationSettings(input:{noticeHour:0}){ id } }",
        json!({}),
    )
    .await;
    town.milestone(&app, json!({ "title": "招标", "deadline": day(-1) }))
        .await;
    let _scheduled = app.replica_with(|config| config.notice_scan_secs = 1).await;
    let today = day(0);
    let calendar = app
        .ok(
            &town.presidium,
            "query($d:Date!){ workCalendar(from:$d, to:$d){ kind } }",
            json!({ "d": today }),
        )
        .await;
    let working = calendar["workCalendar"][0]["kind"] == "WORKDAY";
    let count = || async {
        app.ok(&town.presidium, "{ notices { totalCount } }", json!({}))
            .await["notices"]["totalCount"]
            .as_i64()
            .unwrap()
    };
    let mut issued = 0;
    for _ in 0..50 {
        issued = count().await;
        if issued > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    if working {
        assert_eq!(issued, 1, "urged once on a working day");
        // Several more looks later, still once.
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(count().await, 1);
    } else {
        tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
        assert_eq!(count().await, 0, "{today} is a rest day");
    }
}

#[tokio::test]
async fn the_schedule_scans_at_the_notice_hour_on_working_days_sqlite() {
    the_schedule_scans_at_the_notice_hour_on_working_days(Backend::Sqlite).await;
}

#[tokio::test]
async fn the_schedule_scans_at_the_notice_hour_on_working_days_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        the_schedule_scans_at_the_notice_hour_on_working_days(Backend::Postgres).await;
    }
}
