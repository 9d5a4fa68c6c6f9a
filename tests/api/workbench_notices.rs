//! Notices at the workbench: the presidium issues a supervision order from an item's page and
//! runs the day's scan; the leader signs for the order and answers it on 督办通知; nobody else
//! may; the presidium names a unit's head on 人员与账号.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

async fn orders(app: &TestApp, town: &Town) -> Value {
    app.ok(
        &town.presidium,
        "{ notices(filter:{kind:[SUPERVISION_ORDER]}){ totalCount nodes { id number acknowledgedAt reply } } }",
        json!({}),
    )
    .await["notices"]
        .clone()
}

e2e!(an_order_issued_on_the_items_page_is_signed_for_and_answered_by_its_leader);
/// The order form is on an open item's page for the presidium only; without a reply day it is
/// refused next to the form and nothing is written; issued, it is listed on the item's page
/// and on the board's count; the leader signs for it and answers it on 督办通知, where another
/// leader has no form for it.
async fn an_order_issued_on_the_items_page_is_signed_for_and_answered_by_its_leader(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    let page = format!("/milestones/{}", m["id"].as_str().unwrap());
    let action = format!("{page}/order");
    let leader = Visitor::new(&app, Some(&town.liming));
    assert!(!leader.get(&page).await.html.contains(&action));

    let presidium = Visitor::new(&app, Some(&town.presidium));
    let refused = presidium.submit(&page, &action, &[("date", "")]).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.refusal().is_some());
    assert_eq!(orders(&app, &town).await["totalCount"], 0);
    let issued = presidium
        .submit(
            &page,
            &action,
            &[
                ("date", &day(4)),
                ("body", "请于周五前完成桥面铺装并书面回复。"),
            ],
        )
        .await;
    assert_eq!(issued.status, 303, "{}", issued.html);
    let number = format!("思人督〔{}〕1号", &day(0)[..4]);
    assert!(presidium.get(&page).await.html.contains(&number));
    assert!(
        presidium
            .get("/")
            .await
            .html
            .contains("未签收的督办单 1 份")
    );

    let theirs = Visitor::new(&app, Some(&town.chengang))
        .get("/notices")
        .await;
    assert!(!theirs.html.contains(&number), "not addressed to 陈刚");
    let inbox = leader.get("/notices").await;
    assert!(
        inbox.html.contains(&number) && inbox.html.contains("请于周五前完成桥面铺装"),
        "{}",
        inbox.html
    );
    let id = inbox.after("id=\"notice-");
    // The presidium reads it but has nothing to sign.
    let theirs = presidium.get("/notices").await;
    assert!(theirs.html.contains(&number));
    assert!(!theirs.html.contains(&format!("/notices/{id}/acknowledge")));

    let signed = leader
        .submit("/notices", &format!("/notices/{id}/acknowledge"), &[])
        .await;
    assert_eq!(signed.status, 303, "{}", signed.html);
    assert!(orders(&app, &town).await["nodes"][0]["acknowledgedAt"].is_string());
    let empty = leader
        .submit(
            "/notices",
            &format!("/notices/{id}/reply"),
            &[("reply", " ")],
        )
        .await;
    assert_eq!(empty.status, 422);
    let answered = leader
        .submit(
            "/notices",
            &format!("/notices/{id}/reply"),
            &[("reply", "已安排施工单位周五前完成")],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    assert_eq!(
        orders(&app, &town).await["nodes"][0]["reply"],
        "已安排施工单位周五前完成"
    );
    let listed = presidium.get("/notices").await;
    assert!(listed.html.contains("已回复") && listed.html.contains("已安排施工单位周五前完成"));
    assert!(
        presidium
            .get("/")
            .await
            .html
            .contains("未签收的督办单 0 份")
    );
}

e2e!(the_presidium_runs_the_days_scan_and_names_a_units_head);
/// 运行今日提醒和催办 issues the day's notices and says what it issued, and says nothing is
/// left when run again; a unit's head chosen on 人员与账号 is the API's Unit.head.
async fn the_presidium_runs_the_days_scan_and_names_a_units_head(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    town.milestone(
        &app,
        json!({ "title": "桥面铺装", "deadline": "2026-03-06" }),
    )
    .await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    // The form offers today or the week before, never a day to come (the server refuses one
    // too: scan_days.rs).
    let form = presidium.get("/notices").await.html;
    assert!(
        form.contains(&format!("min=\"{}\" max=\"{}\"", day(-7), day(0))),
        "{form}"
    );
    let ran = presidium
        .submit("/notices", "/notices/run", &[("date", "2026-03-09")])
        .await;
    assert_eq!(ran.status, 200, "{}", ran.html);
    assert!(ran.html.contains("催办 1 条"), "{}", ran.html);
    assert!(
        ran.html
            .contains("催办：“思蒙国家湿地公园健身步道风雨桥·桥面铺装”已逾期3天")
    );
    let again = presidium
        .submit("/notices", "/notices/run", &[("date", "2026-03-09")])
        .await;
    assert!(again.html.contains("没有需要发出的通知"), "{}", again.html);
    for who in [&town.liming, &town.deputy, &town.viewer] {
        let visitor = Visitor::new(&app, Some(who));
        assert!(!visitor.get("/notices").await.html.contains("/notices/run"));
        let csrf = visitor.get("/").await.csrf();
        let refused = visitor
            .post("/notices/run", &[("csrf", &csrf), ("date", "2026-03-10")])
            .await;
        assert_eq!(refused.status, 403);
    }

    let named = presidium
        .submit(
            "/people",
            &format!("/people/units/{}/head", town.cunjian),
            &[("head", &town.liu)],
        )
        .await;
    assert_eq!(named.status, 303, "{}", named.html);
    let units = app
        .ok(
            &town.presidium,
            "{ units { name head { name } } }",
            json!({}),
        )
        .await;
    let cunjian = units["units"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["name"] == "村建办")
        .unwrap()
        .clone();
    assert_eq!(cunjian["head"]["name"], "刘芳");
}

/// The presidium adds a WeCom group robot on 督办通知 (a bad address is refused next to the
/// form), issues an order, and the notice's row says it reached the robot; the robot's key is
/// never shown on the page.
async fn a_wecom_robot_added_on_the_page_gets_the_order(backend: jiandu_tests::Backend) {
    let app = TestApp::spawn_with(backend, |config| {
        config.user_requests_per_second = 100_000;
        config.user_request_burst = 100_000;
        config.delivery_ms = 50;
    })
    .await;
    let town = Town::setup(&app, "思蒙镇").await;
    let robot = jiandu_tests::receiver::Receiver::start(&[]).await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let refused = presidium
        .submit(
            "/notices",
            "/notices/hooks",
            &[("kind", "WECOM"), ("url", "ftp://example.org/robot")],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(refused.refusal().is_some());
    let url = format!("{}/cgi-bin/webhook/send?key=secret-key-1", robot.base);
    let added = presidium
        .submit(
            "/notices",
            "/notices/hooks",
            &[("kind", "WECOM"), ("url", &url), ("orders_only", "on")],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    let m = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-3) }))
        .await;
    let page = format!("/milestones/{}", m["id"].as_str().unwrap());
    presidium
        .submit(&page, &format!("{page}/order"), &[("date", &day(4))])
        .await;
    let got = robot.wait_for(1, std::time::Duration::from_secs(10)).await;
    assert_eq!(got.len(), 1);
    assert!(
        got[0].json()["markdown"]["content"]
            .as_str()
            .unwrap()
            .contains("桥面铺装")
    );
    let mut listed = presidium.get("/notices").await;
    for _ in 0..100 {
        if listed.html.contains("企业微信 已送达") {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        listed = presidium.get("/notices").await;
    }
    assert!(listed.html.contains("企业微信 已送达"), "{}", listed.html);
    assert!(!listed.html.contains("secret-key-1"));
}

#[tokio::test]
async fn a_wecom_robot_added_on_the_page_gets_the_order_sqlite() {
    a_wecom_robot_added_on_the_page_gets_the_order(jiandu_tests::Backend::Sqlite).await;
}

#[tokio::test]
async fn a_wecom_robot_added_on_the_page_gets_the_order_postgres() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_some() {
        a_wecom_robot_added_on_the_page_gets_the_order(jiandu_tests::Backend::Postgres).await;
    }
}

e2e!(orders_and_the_monthly_bulletin_print_from_the_workbench);
/// Each notice on 督办通知 downloads as a Word document with the session; 月度通报 shows a
/// month's bulletin with its red items and downloads it; a month that is no month is refused
/// next to the form.
async fn orders_and_the_monthly_bulletin_print_from_the_workbench(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    town.milestone(
        &app,
        json!({ "title": "桥面铺装", "deadline": "2026-03-06" }),
    )
    .await;
    let id = town.overdue_order(&app, "廊亭彩绘").await;
    let leader = Visitor::new(&app, Some(&town.liming));
    let inbox = leader.get("/notices").await;
    let link = format!("/documents/notices/{id}.docx");
    assert!(inbox.html.contains(&link) && inbox.html.contains("/notices/bulletin"));
    let document = leader.get(&link).await;
    assert_eq!(document.status, 200);
    assert!(document.html.starts_with("PK"), "a zip package");
    let stranger = Visitor::new(&app, None).get(&link).await;
    assert_eq!(stranger.status, 401);

    let bulletin = leader.get("/notices/bulletin?month=2026-03").await;
    assert_eq!(bulletin.status, 200, "{}", bulletin.html);
    assert!(
        bulletin
            .html
            .contains("关于2026年3月重点事项督办情况的通报")
            && bulletin
                .html
                .contains("1. 桥面铺装（思蒙国家湿地公园健身步道风雨桥），责任领导李明"),
        "{}",
        bulletin.html
    );
    let download = bulletin.after("href=\"/documents/bulletins/");
    let file = leader
        .get(&format!("/documents/bulletins/{download}"))
        .await;
    assert_eq!(file.status, 200);
    let refused = leader.get("/notices/bulletin?month=2026-13").await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.refusal().unwrap().contains("月份"),
        "{}",
        refused.html
    );
}
