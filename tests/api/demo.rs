//! The demo sample loads and shows what DESIGN.md §7 promises.

use jiandu_tests::{TestApp, e2e};
use serde_json::json;

async fn the_simeng_sample_has_every_kind_of_state(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let token = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let data = app
        .ok(
            &token,
            "{ overdueMilestones{ nodes{ title deadline dueBy daysOverdue timesRescheduled } }
               milestones(first:100){ nodes{ deadlineState status } }
               projects{ totalCount nodes{ title light } } }",
            json!({}),
        )
        .await;
    // The sample keeps its days on working days, so the same two are late on any day of the
    // week, each by the calendar days since its deadline (five and two, give or take a weekend).
    let today = jiandu_tests::town::today();
    let overdue: Vec<(&str, i64)> = data["overdueMilestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            let deadline: chrono::NaiveDate = n["deadline"].as_str().unwrap().parse().unwrap();
            assert_eq!(n["dueBy"], n["deadline"], "{n}");
            assert_eq!(
                n["daysOverdue"].as_i64().unwrap(),
                (today - deadline).num_days()
            );
            (n["title"].as_str().unwrap(), (today - deadline).num_days())
        })
        .collect();
    let titles: Vec<&str> = overdue.iter().map(|(title, _)| *title).collect();
    assert_eq!(titles, ["沿线管网迁改", "桥体及廊亭建设"]);
    assert!(
        (5..=9).contains(&overdue[0].1) && (2..=6).contains(&overdue[1].1),
        "{overdue:?}"
    );
    let states: Vec<&str> = data["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["deadlineState"].as_str().unwrap())
        .collect();
    for state in [
        "UPCOMING",
        "DUE_SOON",
        "OVERDUE",
        "DONE_ON_TIME",
        "DONE_LATE",
        "CANCELLED",
    ] {
        assert!(
            states.contains(&state),
            "the sample has a {state} milestone"
        );
    }
    assert!(
        data["milestones"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["status"] == "VERIFIED")
    );
    assert_eq!(data["projects"]["totalCount"], 4);
    let bridge = &data["projects"]["nodes"][0];
    assert_eq!(bridge["title"], "思蒙国家湿地公园健身步道风雨桥");
    assert_eq!(bridge["light"], "RED");
    // The deputies' side: a visit to the bridge whose railing finding was rectified late and
    // verified, a topic inspection on forest fires with an overdue finding, a check of the road.
    let deputies = app
        .ok(
            &token,
            "{ inspections{ nodes{ kind topic project{ title } findings{ status deadlineState } } }
               overdue: findings(filter:{deadlineState:[OVERDUE]}){ nodes{ description inspection{ topic } } } }",
            json!({}),
        )
        .await;
    let kinds: Vec<&str> = deputies["inspections"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds, ["VISIT", "CHECK", "LAW_ENFORCEMENT"], "newest first");
    assert_eq!(
        deputies["inspections"]["nodes"][0]["findings"],
        json!([
            { "status": "VERIFIED", "deadlineState": "DONE_LATE" },
            { "status": "RECTIFYING", "deadlineState": "UPCOMING" },
        ])
    );
    assert_eq!(
        deputies["overdue"]["nodes"],
        json!([{ "description": "部分村护林员配备不足，巡山记录不全", "inspection": { "topic": "森林防火" } }])
    );
    // Closing the loop: one signed off, some waiting for it, one returned and done again, a
    // lapsed deadline moved (a late change), an extension waiting and one refused.
    let statuses: Vec<&str> = data["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    assert!(statuses.contains(&"CLOSED"), "{statuses:?}");
    let lifecycle = app
        .ok(
            &token,
            "{ dashboard { pendingSignOff pendingExtensions }
               refused: extensionRequests(status:[REFUSED]) { nodes { milestone { title } decisionNote } }
               waiting: extensionRequests(status:[PENDING]) { nodes { milestone { title } } }
               milestones(first:100) { nodes { title onTimeDeadline deadline deadlineChanges { lateChange } } } }",
            json!({}),
        )
        .await;
    assert!(lifecycle["dashboard"]["pendingSignOff"].as_i64().unwrap() >= 2);
    assert_eq!(lifecycle["dashboard"]["pendingExtensions"], 1);
    assert_eq!(
        lifecycle["waiting"]["nodes"][0]["milestone"]["title"],
        "照明及附属设施安装"
    );
    assert_eq!(
        lifecycle["refused"]["nodes"][0]["milestone"]["title"],
        "路面拓宽及黑化"
    );
    let deck = lifecycle["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "桥体及廊亭建设")
        .cloned()
        .unwrap();
    assert_eq!(deck["deadlineChanges"][0]["lateChange"], true);
    assert_ne!(deck["onTimeDeadline"], deck["deadline"]);
    let piers = app
        .ok(
            &token,
            "{ milestones(first:100, filter:{}) { nodes { id title } } }",
            json!({}),
        )
        .await["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == "基础及桥墩施工")
        .cloned()
        .unwrap();
    let history = app
        .ok(
            &token,
            "query($id:ID!){ history(entityId:$id){ nodes { action } } }",
            json!({ "id": piers["id"] }),
        )
        .await;
    assert!(
        history["history"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|e| e["action"] == "milestone.return"),
        "{history}"
    );
    // One deadline falls on a rest day and is due by the next working day.
    let rested = app
        .ok(
            &token,
            "{ milestones(first:100){ nodes{ title deadline dueBy } } }",
            json!({}),
        )
        .await;
    let rested = rested["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .find(|n| n["title"] == jiandu_api::seed::demo::ON_A_REST_DAY)
        .unwrap()
        .clone();
    assert_ne!(rested["dueBy"], rested["deadline"], "{rested}");
    let days = app
        .ok(
            &token,
            "query($f:Date!,$t:Date!){ workCalendar(from:$f, to:$t){ date kind } }",
            json!({ "f": rested["deadline"], "t": rested["dueBy"] }),
        )
        .await;
    let kinds: Vec<&str> = days["workCalendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.first(), Some(&"REST_DAY"));
    assert_eq!(kinds.last(), Some(&"WORKDAY"));
    assert!(
        kinds[..kinds.len() - 1].iter().all(|k| *k == "REST_DAY"),
        "{kinds:?}"
    );

    // The county's read-only account sits above the town and sees its projects and figures.
    let county = app
        .login("xianrenda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let seen = app
        .ok(
            &county,
            "{ me { organization { name children { name } } } projects { totalCount } dashboard { projectCount byOrganization { organization { name } } } }",
            json!({}),
        )
        .await;
    assert_eq!(seen["me"]["organization"]["name"], "县人大常委会");
    assert_eq!(
        seen["me"]["organization"]["children"][0]["name"],
        "思蒙镇人大主席团"
    );
    assert_eq!(seen["projects"]["totalCount"], 4);
    assert_eq!(seen["dashboard"]["projectCount"], 4);

    // Every demo account signs in.
    for user in ["liming", "chengang", "zhangli", "yangxiuying", "xianrenda"] {
        app.login(user, jiandu_api::seed::demo::DEMO_PASSWORD).await;
    }
}
e2e!(the_simeng_sample_has_every_kind_of_state);

/// Every demo account opens an inbox with the ladder in it: reminders, urges, a supervision
/// order 李明 signed for and answered, and orders left unsigned that went up to the 镇长.
async fn each_demo_account_has_notices_to_read(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx).await.unwrap();
    let password = jiandu_api::seed::demo::DEMO_PASSWORD;
    let all = "{ notices(first:100){ totalCount nodes { kind number recipient { name } copiedTo { name } acknowledgedAt reply } } }";
    let renda = app.login("renda", password).await;
    let seen = app.ok(&renda, all, json!({})).await;
    let nodes = seen["notices"]["nodes"].as_array().unwrap().clone();
    let of = |kind: &str| nodes.iter().filter(|n| n["kind"] == kind).count();
    assert!(of("REMINDER") >= 1 && of("URGE") >= 1, "{nodes:#?}");
    let answered = nodes
        .iter()
        .filter(|n| n["kind"] == "SUPERVISION_ORDER" && n["reply"].is_string())
        .collect::<Vec<_>>();
    assert_eq!(answered.len(), 1, "{nodes:#?}");
    assert_eq!(answered[0]["recipient"]["name"], "李明");
    assert!(answered[0]["acknowledgedAt"].is_string());
    assert_eq!(answered[0]["copiedTo"], json!([]), "signed for in time");
    let copied = nodes.iter().find(|n| {
        n["kind"] == "SUPERVISION_ORDER"
            && n["acknowledgedAt"].is_null()
            && n["copiedTo"] == json!([{ "name": "王建国" }])
    });
    assert!(
        copied.is_some(),
        "an unsigned order copied to the 镇长: {nodes:#?}"
    );
    // The leaders each have their own.
    for leader in ["liming", "chengang"] {
        let token = app.login(leader, password).await;
        let mine = app
            .ok(
                &token,
                "{ notices(filter:{mine:true}){ totalCount nodes { kind } } }",
                json!({}),
            )
            .await;
        assert!(
            mine["notices"]["totalCount"].as_i64().unwrap() >= 2,
            "{leader}: {mine}"
        );
    }
}
e2e!(each_demo_account_has_notices_to_read);
