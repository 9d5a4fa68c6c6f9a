//! The workbench's second round in a real browser, at a phone's 375 px and a desktop's 1366 px:
//! the menu keeps to one row (four entries and 更多), a leader signs for several notices at
//! once, the presidium signs off several items at once, and a photo over the limit is caught
//! before the form is sent. Screenshots go to `target/screenshots/`.

use jiandu_tests::town::{Town, day};
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
    // Below, one short line a notice; opening one closes the one open before.
    let lines = browser
        .evaluate(
            "var rows = document.querySelectorAll('details.notice-row');\
             return Array.prototype.map.call(rows, function (d) { return Math.round(d.getBoundingClientRect().height); });",
        )
        .await;
    let heights: Vec<u64> = lines
        .as_array()
        .unwrap()
        .iter()
        .map(|h| h.as_u64().unwrap())
        .collect();
    assert_eq!(heights.len(), 3, "{lines}");
    assert!(
        heights.iter().all(|&h| h <= 120),
        "a closed notice is a line or two on a phone: {heights:?}"
    );
    browser
        .click("details.notice-row:nth-of-type(1) > summary")
        .await;
    browser
        .click("details.notice-row:nth-of-type(2) > summary")
        .await;
    let open = browser
        .evaluate("return document.querySelectorAll('details.notice-row[open]').length;")
        .await;
    assert_eq!(open, 1, "one open at a time");
    browser
        .screenshot(&shots.join("phone-notices-compact.png"))
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
    browser.follow(".signout button").await;

    // The presidium on a phone: the Gantt scrolls sideways in its own box with labels of 11 px
    // or more, and a refused form comes back with what was typed and the rule in words.
    browser
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    let project = format!("{}/projects/{}", app.base, town.bridge);
    browser.open(&project).await;
    let gantt = browser
        .evaluate(
            "var svg = document.querySelector('svg.gantt'), box = document.querySelector('.gantt-scroll');\
             var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;\
             var sizes = Array.prototype.map.call(svg.querySelectorAll('text'), function (t) { return parseFloat(getComputedStyle(t).fontSize) * scale; });\
             return [Math.min.apply(null, sizes), box.scrollWidth > box.clientWidth];",
        )
        .await;
    assert!(
        gantt[0].as_f64().unwrap() >= 11.0,
        "the Gantt's labels at 375 px: {gantt}"
    );
    assert_eq!(gantt[1], true, "the Gantt scrolls in its box: {gantt}");
    assert!(browser.fits().await, "the project page fits a phone");
    browser.screenshot(&shots.join("phone-gantt.png")).await;

    browser.type_into("#m-title", "廊桥亮化工程").await;
    browser
        .type_into("#m-description", "含夜间照明和标识牌")
        .await;
    browser.set_value("#m-leader", &town.li).await;
    browser.set_value("#m-unit", &town.cunjian).await;
    browser.set_value("#m-start", &day(20)).await;
    browser.set_value("#m-deadline", &day(10)).await;
    browser
        .follow("form[action$=\"/milestones\"] button[type=submit]")
        .await;
    let kept = browser
        .evaluate(
            "return [document.getElementById('m-title').value, document.getElementById('m-description').value, document.getElementById('m-start').value];",
        )
        .await;
    assert_eq!(kept, json!(["廊桥亮化工程", "含夜间照明和标识牌", day(20)]));
    let in_sight = browser
        .evaluate("var r = document.querySelector('.refusal').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;")
        .await;
    assert_eq!(
        in_sight, true,
        "the refusal is in sight, not at the foot of the page"
    );
    let refusal = browser.text(".refusal").await;
    assert!(
        refusal.contains("不能早于开始日期"),
        "the rule in words: {refusal}"
    );
    browser
        .screenshot(&shots.join("phone-refused-form-kept.png"))
        .await;

    // 历史事项 from an office's ledger: each item and its confirmation form fit a phone and a
    // desktop.
    let answer = app
        .import_ledger(
            &town.presidium,
            crate::import_office::office_ledger_2021(),
            false,
        )
        .await;
    assert!(answer.get("errors").is_none(), "{answer:#}");
    for (width, height, name) in [
        (PHONE.0, PHONE.1, "phone"),
        (DESKTOP.0, DESKTOP.1, "desktop"),
    ] {
        browser.resize(width, height).await;
        browser.open(&format!("{}/historical", app.base)).await;
        assert!(
            browser.text("#main").await.contains("桥体建设"),
            "the imported item waits at {width} px"
        );
        assert!(browser.fits().await, "历史事项 fits at {width} px");
        browser
            .screenshot(&shots.join(format!("{name}-historical.png")))
            .await;
    }
    browser.quit().await;
}
