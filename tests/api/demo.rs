//! The demo sample loads and shows what DESIGN.md §7 promises.

use jiandu_tests::{TestApp, e2e};
use serde_json::json;

async fn the_simeng_sample_has_every_kind_of_state(app: TestApp) {
    jiandu_api::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let token = app.login("renda", jiandu_api::demo::DEMO_PASSWORD).await;
    let data = app
        .ok(
            &token,
            "{ overdueMilestones{ nodes{ title daysOverdue timesRescheduled } }
               milestones(first:100){ nodes{ deadlineState status } }
               projects{ totalCount nodes{ title light } } }",
            json!({}),
        )
        .await;
    let overdue: Vec<(&str, i64)> = data["overdueMilestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| {
            (
                n["title"].as_str().unwrap(),
                n["daysOverdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(overdue, [("沿线管网迁改", 5), ("桥体及廊亭建设", 2)]);
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
    // Every demo account signs in.
    for user in ["liming", "chengang", "zhangli", "yangxiuying", "xianrenda"] {
        app.login(user, jiandu_api::demo::DEMO_PASSWORD).await;
    }
}
e2e!(the_simeng_sample_has_every_kind_of_state);
