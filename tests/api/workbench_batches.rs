//! Batch steps in the workbench (DESIGN §18): a leader ticks several notices and signs for them
//! at once (签收所选); the presidium ticks several reported items and signs them off (销号所选).
//! All or nothing: a refusal says which item and signs for none.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(a_leader_signs_for_the_ticked_notices_at_once);
async fn a_leader_signs_for_the_ticked_notices_at_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let orders = [
        town.overdue_order(&app, "桩基施工").await,
        town.overdue_order(&app, "桥面铺装").await,
        town.overdue_order(&app, "廊亭彩绘").await,
    ];
    let leader = Visitor::new(&app, Some(&town.liming));
    let page = leader.get("/notices").await;
    assert!(page.html.contains("待签收（3 条）"), "{}", page.html);
    assert!(page.html.contains("签收所选"));
    // A compact line each: the number, 项目·节点 and how late the item is, opened one at a time.
    let order = app
        .ok(
            &town.liming,
            "query($id:ID!){ notice(id:$id){ number milestone { daysOverdue } } }",
            json!({ "id": orders[0] }),
        )
        .await;
    let line = page
        .html
        .split(&format!("id=\"notice-{}\" name=\"notice\">", orders[0]))
        .nth(1)
        .and_then(|rest| rest.split("</summary>").next())
        .unwrap_or_else(|| panic!("a compact line for the order: {}", page.html));
    let late = order["notice"]["milestone"]["daysOverdue"]
        .as_i64()
        .unwrap();
    assert!(late > 0);
    for said in [
        order["notice"]["number"].as_str().unwrap(),
        "思蒙国家湿地公园健身步道风雨桥·桩基施工",
        &format!("逾期 {late} 天"),
        "待签收",
    ] {
        assert!(line.contains(said), "{said} in the line: {line}");
    }

    // Someone else's notice among the ticked: nothing is signed for.
    let theirs = uuid::Uuid::now_v7().to_string();
    let refused = leader
        .submit(
            "/notices",
            "/notices/acknowledge",
            &[("id", &orders[0]), ("id", &theirs)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.html.contains("没有签收任何一条"),
        "{}",
        refused.html
    );
    let signed_for = |id: &str| {
        let id = id.to_string();
        let app = &app;
        let token = town.liming.clone();
        async move {
            !app.ok(
                &token,
                "query($id:ID!){ notice(id:$id){ acknowledgedAt } }",
                json!({ "id": id }),
            )
            .await["notice"]["acknowledgedAt"]
                .is_null()
        }
    };
    assert!(!signed_for(&orders[0]).await, "all or nothing");

    let done = leader
        .submit(
            "/notices",
            "/notices/acknowledge",
            &[("id", &orders[0]), ("id", &orders[1])],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    let after = leader.get(done.location.as_deref().unwrap()).await;
    assert!(after.html.contains("已签收 2 条。"), "{}", after.html);
    assert!(after.html.contains("待签收（1 条）"), "{}", after.html);
    assert!(signed_for(&orders[0]).await && signed_for(&orders[1]).await);
    assert!(!signed_for(&orders[2]).await);
}

e2e!(the_presidium_signs_off_the_ticked_items_at_once);
async fn the_presidium_signs_off_the_ticked_items_at_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let reported = town.reported(&app, &["桩基施工", "桥面铺装"]).await;
    let ticked =
        |m: &serde_json::Value, version: i64| format!("{}:{version}", m["id"].as_str().unwrap());
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let list = presidium.get("/items?state=reported").await;
    assert!(list.html.contains("销号所选"), "{}", list.html);
    assert!(list.html.contains(&ticked(
        &reported[0],
        reported[0]["version"].as_i64().unwrap()
    )));
    // The leader's list of the same items offers no sign-off.
    let theirs = Visitor::new(&app, Some(&town.liming))
        .get("/items?state=reported")
        .await;
    assert!(!theirs.html.contains("销号所选"));

    // One changed since the list was read: refused, naming it, and neither signed off.
    let stale = ticked(&reported[1], reported[1]["version"].as_i64().unwrap() - 1);
    let fresh = ticked(&reported[0], reported[0]["version"].as_i64().unwrap());
    let refused = presidium
        .submit(
            "/items?state=reported",
            "/items/sign-off",
            &[("item", &fresh), ("item", &stale)],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.html.contains("没有销号任何一项。「桥面铺装」："),
        "{}",
        refused.html
    );
    assert_eq!(town.status(&app, &reported[0]["id"]).await, "DONE");

    let second = ticked(&reported[1], reported[1]["version"].as_i64().unwrap());
    let done = presidium
        .submit(
            "/items?state=reported",
            "/items/sign-off",
            &[("item", &fresh), ("item", &second)],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    let after = presidium.get(done.location.as_deref().unwrap()).await;
    assert!(after.html.contains("已销号 2 项。"), "{}", after.html);
    for m in &reported {
        assert_eq!(town.status(&app, &m["id"]).await, "CLOSED");
    }
}

e2e!(my_items_count_what_they_list);
/// 我的督办事项 lists items, not the groups above them: the count it says is the rows it shows
/// (共2项, not 共3项，本页列出2项).
async fn my_items_count_what_they_list(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let parent = town
        .milestone(&app, json!({ "title": "主体工程", "deadline": day(30) }))
        .await;
    for title in ["桥墩", "廊亭"] {
        town.milestone(
            &app,
            json!({ "title": title, "deadline": day(20), "parentId": parent["id"] }),
        )
        .await;
    }
    let mine = Visitor::new(&app, Some(&town.liming)).get("/mine").await;
    assert!(mine.html.contains("共 2 项"), "{}", mine.html);
    assert!(!mine.html.contains("本页列出"), "{}", mine.html);
    assert!(mine.html.contains("桥墩") && mine.html.contains("廊亭"));
}

e2e!(a_long_list_of_notices_comes_a_screen_at_a_time);
/// Thirty notices a screen (a phone opens them one at a time; the page stays quick), 下一页 to
/// the rest, and a step taken on the second screen returns to it.
async fn a_long_list_of_notices_comes_a_screen_at_a_time(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let mut orders = Vec::new();
    for n in 1..=32 {
        orders.push(town.overdue_order(&app, &format!("第{n}段栏杆")).await);
    }
    let leader = Visitor::new(&app, Some(&town.liming));
    let first = leader.get("/notices").await;
    let listed = |html: &str| html.matches("name=\"notice\"").count();
    assert_eq!(listed(&first.html), 30, "{}", first.html);
    assert!(first.html.contains("共 32 条，本页列出 30 条"));
    assert!(first.html.contains("本页待签收（30 条）"), "{}", first.html);
    // Newest first: the two issued first are on the next screen.
    for earliest in &orders[..2] {
        assert!(!first.html.contains(&format!("notice-{earliest}")));
    }
    let next = first
        .html
        .split("rel=\"next\"")
        .next()
        .and_then(|before| before.rsplit("href=\"").next())
        .and_then(|link| link.split('"').next())
        .unwrap_or_else(|| panic!("a 下一页 link: {}", first.html))
        .replace("&amp;", "&");
    let second = leader.get(&next).await;
    assert_eq!(listed(&second.html), 2, "{}", second.html);
    assert!(second.html.contains("回到最新") && !second.html.contains("rel=\"next\""));

    let done = leader
        .submit(&next, "/notices/acknowledge", &[("id", &orders[0])])
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    let back = done.location.unwrap();
    assert!(back.contains("after="), "back to the second screen: {back}");
    let returned = leader.get(&back).await;
    assert!(returned.html.contains("已签收 1 条。"), "{}", returned.html);
    assert!(returned.html.contains(&format!("notice-{}", orders[1])));
    assert!(
        returned.html.contains("本页待签收（1 条）"),
        "{}",
        returned.html
    );

    // A refused answer on that screen comes back on it, its refusal beside its notice.
    let action = format!("/notices/{}/reply", orders[1]);
    let refused = leader.submit(&next, &action, &[("reply", "")]).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert_eq!(listed(&refused.html), 2, "{}", refused.html);

    // A screen position this list never handed out: said so, not a blank list.
    let broken = leader.get("/notices?after=not-a-cursor").await;
    assert_eq!(broken.status, 400, "{}", broken.html);
    assert!(broken.html.contains("翻页位置已失效"), "{}", broken.html);
}
