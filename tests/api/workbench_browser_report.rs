//! 年度报告 in a real browser at a desktop's 1366 px and a phone's 375 px: the presidium reads
//! the year's figures and follows one to the records behind it; a deputy reads it on a phone,
//! the tables as cards, and chooses a year. Screenshots go to `target/screenshots/`.

use jiandu_tests::town::{Town, day};
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};
use serde_json::json;

const DESKTOP: (u32, u32) = (1366, 900);
const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
async fn the_year_is_read_on_a_desktop_and_a_phone_and_each_figure_opens_its_records() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let finding = json!({ "description": "桥头护栏松动", "responsibleLeaderId": town.li,
                          "responsibleUnitId": town.cunjian, "deadline": day(10) });
    town.visit(&app, &day(0), finding).await;
    town.reported(&app, &["桥面铺装"]).await;
    let shots = webdriver::screenshots();

    let presidium = Browser::start(&driver, &chromium, DESKTOP.0, DESKTOP.1).await;
    presidium
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    presidium.open(&format!("{}/report", app.base)).await;
    let page = presidium.text("#main").await;
    assert!(
        page.contains("年度报告") && page.contains("总体情况") && page.contains("统计口径"),
        "{page}"
    );
    assert!(
        page.contains("视察检查发现问题1个"),
        "the year's sentences: {page}"
    );
    assert!(presidium.fits().await, "the report fits a desktop");
    presidium
        .screenshot(&shots.join("desktop-report.png"))
        .await;
    // 发现问题 1个 opens the finding behind it.
    presidium.follow("a[href^=\"/report/findings?\"]").await;
    let list = presidium.text("#main").await;
    assert!(
        list.contains("视察检查发现的问题") && list.contains("桥头护栏松动"),
        "{list}"
    );
    presidium.quit().await;

    let deputy = Browser::start(&driver, &chromium, PHONE.0, PHONE.1).await;
    deputy
        .sign_in(&app.base, &app.username(&town.deputy).await)
        .await;
    deputy.open(&format!("{}/report", app.base)).await;
    assert!(
        deputy.fits().await,
        "the report fits a phone, its tables as cards"
    );
    deputy.screenshot(&shots.join("phone-report.png")).await;
    let year: i32 = jiandu_tests::town::today()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();
    deputy
        .set_value("select[name=year]", &year.to_string())
        .await;
    deputy
        .follow("form[action=\"/report\"] button[type=submit]")
        .await;
    assert!(
        deputy
            .url()
            .await
            .ends_with(&format!("/report?year={year}")),
        "{}",
        deputy.url().await
    );
    assert!(deputy.text("h1").await.contains(&format!("{year}年度报告")));
    deputy.quit().await;
}
