//! The demo sample loads and shows what docs/rules.md §7 promises.

use jiandu_tests::{DEADLINE_STATES, TestApp, e2e, texts};
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
    let states = texts(&data["milestones"]["nodes"], "deadlineState");
    for state in DEADLINE_STATES {
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
    assert_eq!(
        data["projects"]["totalCount"], 5,
        "three voted, one from the work report, one from a deputy's suggestion"
    );
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
    let kinds = texts(&deputies["inspections"]["nodes"], "kind");
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
    let statuses = texts(&data["milestones"]["nodes"], "status");
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
    let actions = app.actions(&token, &piers["id"]).await;
    assert!(
        actions.iter().any(|a| a == "milestone.return"),
        "{actions:?}"
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
    let kinds = texts(&days["workCalendar"], "kind");
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
    assert_eq!(seen["projects"]["totalCount"], 5);
    assert_eq!(seen["dashboard"]["projectCount"], 5);

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

/// The year's deputies' suggestions in every state — one redone after a dissatisfied rating, one
/// made a project, one overdue and on the ladder — and letters and visits whose constituents only
/// the presidium sees; the annual summary counts them as the town's report does.
async fn the_sample_year_has_suggestions_and_letters_in_every_state(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx).await.unwrap();
    let password = jiandu_api::seed::demo::DEMO_PASSWORD;
    let renda = app.login("renda", password).await;
    let seen = app
        .ok(
            &renda,
            "{ suggestions(first:50){ nodes{ title status round light answers{ answerClass feedback } project{ title suggestion{ title } } } }
               contacts{ nodes{ kind status constituentName } }
               dashboard{ openSuggestions overdueSuggestions } }",
            json!({}),
        )
        .await;
    let nodes = seen["suggestions"]["nodes"].as_array().unwrap();
    let statuses: Vec<&str> = nodes
        .iter()
        .map(|n| n["status"].as_str().unwrap())
        .collect();
    for status in [
        "REGISTERED",
        "ASSIGNED",
        "ANSWERED",
        "CONCLUDED",
        "WITHDRAWN",
    ] {
        assert!(
            statuses.contains(&status),
            "a {status} suggestion: {statuses:?}"
        );
    }
    let redone = nodes.iter().find(|n| n["round"] == 2).expect("one redone");
    assert_eq!(redone["answers"][0]["feedback"], "DISSATISFIED");
    assert_eq!(redone["status"], "CONCLUDED");
    let made = nodes
        .iter()
        .find(|n| n["project"].is_object())
        .expect("one made a project");
    assert_eq!(made["project"]["suggestion"]["title"], made["title"]);
    assert!(nodes.iter().any(|n| n["light"] == "RED"), "one overdue");
    assert_eq!(seen["dashboard"]["overdueSuggestions"], 1);
    assert_eq!(seen["dashboard"]["openSuggestions"], 4);
    let contacts = seen["contacts"]["nodes"].as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> = contacts
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert!(
        kinds.contains("VISIT") && kinds.contains("LETTER"),
        "{kinds:?}"
    );
    assert!(contacts.iter().any(|c| c["constituentName"] == "王德福"));
    let statuses: std::collections::BTreeSet<&str> = contacts
        .iter()
        .map(|c| c["status"].as_str().unwrap())
        .collect();
    assert!(statuses.len() >= 3, "{statuses:?}");

    // The deputy reads the letters without the constituents' names; 陈刚 is urged to answer
    // the overdue suggestion.
    let deputy = app.login("yangxiuying", password).await;
    let theirs = app
        .ok(
            &deputy,
            "{ contacts{ nodes{ constituentName constituentPhone } } }",
            json!({}),
        )
        .await;
    for c in theirs["contacts"]["nodes"].as_array().unwrap() {
        assert_eq!(
            (c["constituentName"].clone(), c["constituentPhone"].clone()),
            (json!(null), json!(null))
        );
    }
    let chengang = app.login("chengang", password).await;
    let urged = app
        .ok(
            &chengang,
            "{ notices(filter:{mine:true}, first:100){ nodes{ kind suggestion{ title } } } }",
            json!({}),
        )
        .await;
    assert!(
        urged["notices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["suggestion"]["title"] == "农贸市场增设停车位"),
        "{urged}"
    );
    // The year of the newest suggestion (the sample spans the turn of a year in January).
    let year = app
        .ok(
            &renda,
            "{ suggestions(first:1){ nodes{ receivedOn } } }",
            json!({}),
        )
        .await["suggestions"]["nodes"][0]["receivedOn"]
        .as_str()
        .unwrap()[..4]
        .parse::<i32>()
        .unwrap();
    let report = app
        .ok(
            &renda,
            "query($y:Int!){ annualReport(year:$y){ summary suggestions{ received } } }",
            json!({ "y": year }),
        )
        .await;
    let received = report["annualReport"]["suggestions"]["received"]
        .as_i64()
        .unwrap();
    assert!(received > 0, "{report}");
    assert!(
        report["annualReport"]["summary"]
            .as_str()
            .unwrap()
            .contains(&format!("办理代表意见建议{received}件")),
        "{report}"
    );
}
e2e!(the_sample_year_has_suggestions_and_letters_in_every_state);
