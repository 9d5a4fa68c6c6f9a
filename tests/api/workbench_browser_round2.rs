//! The workbench's second round in a real browser, at a phone's 375 px and a desktop's 1366 px:
//! the menu keeps to one row (four entries and 更多), a leader signs for several notices at
//! once, the presidium signs off several items at once, and a photo over the limit is caught
//! before the form is sent. Screenshots go to `target/screenshots/`.

use jiandu_tests::town::Town;
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};
use serde_json::json;

const DESKTOP: (u32, u32) = (1366, 900);
const PHONE: (u32, u32) = (375, 812);

/// The menu's entries in sight (links and 更多) and whether they share one row.
async fn menu_row(browser: &Browser) -> (u64, bool) {
    let measured = browser
        .evaluate(
            "var items = document.querySelectorAll('.top nav > a, .top nav > details > summary');\
             var tops = Array.prototype.map.call(items, function (e) { return Math.round(e.getBoundingClientRect().top); });\
             return [items.length, tops.every(function (t) { return Math.abs(t - tops[0]) <= 4; })];",
        )
        .await;
    (measured[0].as_u64().unwrap(), measured[1] == true)
}

#[tokio::test]
async fn the_second_rounds_journeys_at_a_phones_and_a_desktops_width() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let shots = webdriver::screenshots();
    let browser = Browser::start(&driver, &chromium, PHONE.0, PHONE.1).await;

    // The presidium's menu on a phone: one row, four entries and 更多, which opens the rest.
    browser
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    assert_eq!(menu_row(&browser).await, (5, true), "one row at 375 px");
    assert!(browser.fits().await, "the presidium's menu fits a phone");
    browser.screenshot(&shots.join("phone-menu.png")).await;
    browser.click(".top details.more summary").await;
    let opened = browser
        .evaluate("var a = document.querySelector('.more-menu a[href=\"/people\"]'); return !!a && a.getBoundingClientRect().height > 0;")
        .await;
    assert_eq!(opened, true, "更多 shows the rest");
    browser.screenshot(&shots.join("phone-menu-more.png")).await;
    browser.resize(DESKTOP.0, DESKTOP.1).await;
    browser.open(&format!("{}/", app.base)).await;
    assert_eq!(menu_row(&browser).await, (5, true), "one row at 1366 px");

    // Two reported items, signed off at once from the list.
    let reported = town.reported(&app, &["桩基施工", "桥面铺装"]).await;
    browser
        .open(&format!("{}/items?state=reported", app.base))
        .await;
    for m in &reported {
        let value = format!("{}:{}", m["id"].as_str().unwrap(), m["version"]);
        browser
            .click(&format!("input[name=item][value=\"{value}\"]"))
            .await;
    }
    browser
        .screenshot(&shots.join("desktop-sign-off-batch.png"))
        .await;
    browser.follow("#sign-off button[type=submit]").await;
    assert!(
        browser.text("#main").await.contains("已销号 2 项。"),
        "{}",
        browser.text("#main").await
    );
    browser.follow(".signout button").await;

    // The leader, on a phone, signs for three orders at once.
    for title in ["管网迁改", "廊亭彩绘", "护栏安装"] {
        town.overdue_order(&app, title).await;
    }
    browser.resize(PHONE.0, PHONE.1).await;
    browser
        .sign_in(&app.base, &app.username(&town.liming).await)
        .await;
    assert_eq!(menu_row(&browser).await, (5, true));
    assert!(browser.fits().await, "the leader's menu fits a phone");
    browser.open(&format!("{}/notices", app.base)).await;
    assert!(
        browser
            .text("#batch-acknowledge")
            .await
            .contains("待签收（3 条）")
    );
    browser
        .screenshot(&shots.join("phone-notices-batch.png"))
        .await;
    browser
        .follow("#batch-acknowledge button[type=submit]")
        .await;
    assert!(browser.text("#main").await.contains("已签收 3 条。"));
    browser.follow(".signout button").await;

    // The deputy chooses a photo over the limit: told at once, and nothing is sent with it.
    browser
        .sign_in(&app.base, &app.username(&town.deputy).await)
        .await;
    browser.open(&format!("{}/inspections", app.base)).await;
    browser
        .type_into("#i-summary", "桥墩混凝土表面有裂缝")
        .await;
    let big = std::env::temp_dir().join(format!("jiandu-big-{}.jpg", uuid::Uuid::now_v7()));
    std::fs::write(&big, vec![0xFFu8; 21 * 1024 * 1024]).unwrap();
    browser.type_into("#i-photos", big.to_str().unwrap()).await;
    let caught = browser
        .evaluate("return [document.getElementById('i-photos').files.length, document.getElementById('i-photos-too-large').hidden];")
        .await;
    assert_eq!(
        caught,
        json!([0, false]),
        "the photo is caught in the browser"
    );
    assert_eq!(
        browser
            .evaluate("return document.getElementById('i-summary').value;")
            .await,
        "桥墩混凝土表面有裂缝"
    );
    browser
        .screenshot(&shots.join("phone-photo-too-large.png"))
        .await;
    let _ = std::fs::remove_file(&big);
    browser.quit().await;
}
