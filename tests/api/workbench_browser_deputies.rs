//! The deputies' pages in a real browser at a phone's 375 px and a desktop's 1366 px: the
//! presidium puts 杨秀英 on 代表名册, she logs a visit on her phone on 我的履职 and raises a
//! suggestion from it in the same step, sees her year and downloads her 述职报告, and the presidium
//! reads the year's table and the suggestion she raised. Screenshots go to `target/screenshots/`.

use jiandu_tests::town::Town;
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};

const DESKTOP: (u32, u32) = (1366, 900);
const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
async fn a_deputy_logs_a_visit_on_a_phone_and_raises_a_suggestion_from_it() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let shots = webdriver::screenshots();

    // On a desktop, the presidium puts her on the roster.
    let presidium = Browser::start(&driver, &chromium, DESKTOP.0, DESKTOP.1).await;
    presidium
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    presidium.open(&format!("{}/deputies", app.base)).await;
    presidium.set_value("#d-person", &town.yang).await;
    presidium.type_into("#d-term", "第二届").await;
    presidium.type_into("#d-group", "第一代表小组").await;
    presidium.type_into("#d-villages", "思蒙村、红岩村").await;
    presidium.follow("#profile button[type=submit]").await;
    let roster = presidium.text("#main").await;
    assert!(
        roster.contains("代表信息已保存") && roster.contains("思蒙村、红岩村"),
        "{roster}"
    );

    // On her phone, 杨秀英 logs a visit on 我的履职.
    let deputy = Browser::start(&driver, &chromium, PHONE.0, PHONE.1).await;
    deputy
        .sign_in(&app.base, &app.username(&town.deputy).await)
        .await;
    deputy.open(&format!("{}/duties", app.base)).await;
    assert!(deputy.fits().await, "我的履职 fits a phone");
    deputy.type_into("#l-village", "红岩村").await;
    deputy.type_into("#l-people", "12").await;
    deputy
        .type_into("#l-topic", "群众反映村道破损、路灯不亮")
        .await;
    // What the villagers raised becomes her suggestion, from the same form.
    deputy.click("#raise summary").await;
    assert!(deputy.fits().await, "the opened part fits a phone");
    deputy
        .type_into("#l-s-title", "关于修复红岩村村道的建议")
        .await;
    deputy
        .type_into("#l-s-content", "红岩村三组村道破损，雨天难行，路灯不亮")
        .await;
    deputy
        .screenshot(&shots.join("phone-deputy-visit-raises.png"))
        .await;
    deputy.follow("#log button[type=submit]").await;
    let mine = deputy.text("#main").await;
    assert!(
        mine.contains("已记录")
            && mine.contains("群众反映村道破损")
            && mine.contains("已提出代表建议")
            && mine.contains("走访选民1次，合计2项"),
        "the visit and the suggestion both count: {mine}"
    );
    assert!(mine.contains("述职报告（草稿）"), "{mine}");
    assert!(deputy.fits().await, "her list fits a phone as cards");
    deputy
        .screenshot(&shots.join("phone-deputy-duties.png"))
        .await;
    deputy.quit().await;

    // The presidium reads the year's table, and finds her suggestion registered, to assign.
    presidium.open(&format!("{}/deputies", app.base)).await;
    let year = presidium.text("#main").await;
    assert!(
        year.contains("履职情况") && year.contains("杨秀英") && year.contains("下载草稿"),
        "{year}"
    );
    assert!(presidium.fits().await, "代表名册 fits a desktop");
    presidium
        .screenshot(&shots.join("desktop-deputies.png"))
        .await;
    presidium.open(&format!("{}/suggestions", app.base)).await;
    let suggestions = presidium.text("#main").await;
    assert!(
        suggestions.contains("关于修复红岩村村道的建议") && suggestions.contains("杨秀英"),
        "{suggestions}"
    );
    presidium.quit().await;
}
