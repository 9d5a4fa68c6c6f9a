//! The three roles' main journeys in a real browser (Debian's Chromium, headless): the presidium
//! creates a project and splits it, the leader reports progress and done, the deputy logs an
//! inspection with a photo on a phone and raises a finding; the overdue list and the timeline
//! change with them; an order issued while the leader has a page open is announced on it. Screenshots at phone and desktop widths go to `target/screenshots/`.
//!
//! Without Chromium and ChromeDriver on the machine the test says so and passes, unless
//! `JIANDU_REQUIRE_BROWSER` is set (as `.ci/run` does after installing them).

use jiandu_tests::town::{Town, day};
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};
use serde_json::json;

const DESKTOP: (u32, u32) = (1280, 900);
const PHONE: (u32, u32) = (375, 812);

async fn sign_out(browser: &Browser) {
    browser.follow(".signout button").await;
}

#[tokio::test]
async fn three_roles_walk_their_journeys_in_a_real_browser() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let tender = town
        .milestone(
            &app,
            json!({ "title": "完成公开招标", "startDate": day(-20), "deadline": day(-3) }),
        )
        .await;
    let shots = webdriver::screenshots();
    let browser = Browser::start(&driver, &chromium, DESKTOP.0, DESKTOP.1).await;

    // The presidium creates a project and splits it.
    browser
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    browser.screenshot(&shots.join("desktop-board.png")).await;
    browser.open(&format!("{}/projects/new", app.base)).await;
    browser
        .type_into("#p-title", "统溪河至思蒙黄金旅游通道")
        .await;
    browser
        .click("#p-origin option[value=\"LIVELIHOOD_VOTE\"]")
        .await;
    browser
        .follow("form[action=\"/projects\"] button[type=submit]")
        .await;
    let project_url = browser.url().await;
    assert!(project_url.contains("/projects/"), "{project_url}");
    browser.type_into("#m-title", "用地报批").await;
    browser
        .click(&format!("#m-leader option[value=\"{}\"]", town.li))
        .await;
    browser
        .click(&format!("#m-unit option[value=\"{}\"]", town.cunjian))
        .await;
    browser.set_value("#m-start", &day(-12)).await;
    browser.set_value("#m-deadline", &day(-1)).await;
    browser.follow("#add button[type=submit]").await;
    let tree = browser.text("#main").await;
    assert!(
        tree.contains("用地报批") && tree.contains("已逾期"),
        "{tree}"
    );
    let bars = browser
        .evaluate("return document.querySelectorAll('svg.gantt rect.done').length;")
        .await;
    assert_eq!(bars, 1);
    browser.screenshot(&shots.join("desktop-project.png")).await;
    browser
        .open(&format!("{}/items?state=overdue", app.base))
        .await;
    let overdue = browser.text("#main").await;
    assert!(
        overdue.contains("用地报批") && overdue.contains("完成公开招标"),
        "{overdue}"
    );
    sign_out(&browser).await;

    // The leader reports progress, then done: the item leaves the overdue list and its bar
    // fills.
    let project = project_url
        .rsplit("/projects/")
        .next()
        .unwrap()
        .trim_end_matches("#add")
        .to_string();
    let item = town.first_milestone(&app, &project).await;
    browser
        .sign_in(&app.base, &app.username(&town.liming).await)
        .await;
    // An order issued while the leader has a page open is announced on it at once.
    let mut live = false;
    for _ in 0..50 {
        live = browser
            .evaluate("return document.getElementById('live').dataset.live === 'on';")
            .await
            == true;
        if live {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(live, "the page subscribed to its notices");
    let order = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$d:Date!){ issueSupervisionOrder(entityId:$id, replyDue:$d){ number } }",
            json!({ "id": tender["id"], "d": day(4) }),
        )
        .await;
    browser.find(".live-notice a").await;
    let announced = browser.text(".live-notice").await;
    let number = order["issueSupervisionOrder"]["number"].as_str().unwrap();
    assert!(
        announced.contains(number) && announced.contains("新的督办单"),
        "{announced}"
    );
    browser
        .screenshot(&shots.join("desktop-live-notice.png"))
        .await;
    browser.open(&format!("{}/mine", app.base)).await;
    browser
        .follow(&format!("a[href=\"/milestones/{item}\"]"))
        .await;
    browser.set_value("#p-progress", "80").await;
    browser.type_into("#p-note", "征地协议已签订").await;
    browser.follow("#progress button[type=submit]").await;
    assert!(
        browser
            .text("#history + ol")
            .await
            .contains("进度 80%：征地协议已签订")
    );
    browser.type_into("#d-note", "用地手续已办结").await;
    browser.follow("#done button[type=submit]").await;
    assert!(browser.text("#main").await.contains("已报办结（待销号）"));
    browser
        .open(&format!("{}/items?state=overdue", app.base))
        .await;
    let overdue = browser.text("#main").await;
    assert!(
        !overdue.contains("用地报批") && overdue.contains("完成公开招标"),
        "{overdue}"
    );
    browser
        .open(&format!("{}/projects/{project}", app.base))
        .await;
    let filled = browser
        .evaluate(
            "const done = document.querySelector('svg.gantt rect.done');\
             const bar = done.previousElementSibling;\
             return done.getAttribute('width') === bar.getAttribute('width');",
        )
        .await;
    assert_eq!(filled, true, "a finished item's bar is full");
    browser.resize(PHONE.0, PHONE.1).await;
    browser.open(&format!("{}/mine", app.base)).await;
    assert!(browser.fits().await, "我的督办事项 fits a phone");
    browser.screenshot(&shots.join("phone-mine.png")).await;
    sign_out(&browser).await;

    // The deputy, on a phone, logs an inspection with a photo and raises a finding.
    let photo = std::env::temp_dir().join(format!("jiandu-photo-{}.jpg", uuid::Uuid::now_v7()));
    std::fs::write(&photo, super::workbench::photo()).unwrap();
    browser
        .sign_in(&app.base, &app.username(&town.deputy).await)
        .await;
    assert!(browser.fits().await, "the board fits a phone");
    browser.screenshot(&shots.join("phone-board.png")).await;
    browser.open(&format!("{}/inspections", app.base)).await;
    browser
        .click(&format!("#i-project option[value=\"{}\"]", town.bridge))
        .await;
    browser.type_into("#i-location", "风雨桥施工现场").await;
    browser
        .type_into("#i-summary", "现场查看桥墩施工进度")
        .await;
    browser
        .type_into("#i-photos", photo.to_str().unwrap())
        .await;
    browser.type_into("#f1-description", "施工围挡不完整").await;
    browser
        .click(&format!("#f1-leader option[value=\"{}\"]", town.li))
        .await;
    browser
        .click(&format!("#f1-unit option[value=\"{}\"]", town.cunjian))
        .await;
    browser.set_value("#f1-deadline", &day(5)).await;
    assert!(browser.fits().await, "the inspection form fits a phone");
    browser
        .screenshot(&shots.join("phone-inspection.png"))
        .await;
    browser
        .follow("form[action=\"/inspections\"] button[type=submit]")
        .await;
    assert!(browser.url().await.ends_with("/findings?notice=inspection"));
    assert!(browser.text("#main").await.contains("施工围挡不完整"));
    // The finding's own page shows the photo the camera took and what happened to it.
    browser.follow("section.card a[href^=\"/findings/\"]").await;
    assert!(browser.text("h1").await.contains("整改问题"));
    let mut photo_width = 0;
    for _ in 0..50 {
        let width = browser
            .evaluate("const i = document.querySelector('ul.evidence img'); return i && i.complete ? i.naturalWidth : 0")
            .await;
        photo_width = width.as_u64().unwrap_or(0);
        if photo_width > 0 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(photo_width > 0, "the photo shows on the finding's page");
    assert!(browser.text("#history").await.contains("历史记录"));
    assert!(browser.fits().await, "a finding's page fits a phone");
    browser.screenshot(&shots.join("phone-finding.png")).await;
    let stored = app
        .ok(
            &town.presidium,
            "{ inspections { nodes { attachments { contentType } findings { description } } } }",
            json!({}),
        )
        .await;
    let inspection = &stored["inspections"]["nodes"][0];
    assert_eq!(inspection["attachments"][0]["contentType"], "image/jpeg");
    assert_eq!(inspection["findings"][0]["description"], "施工围挡不完整");
    let _ = std::fs::remove_file(&photo);

    // Still on the phone, the deputy registers a suggestion with a co-signer, another deputy.
    let cosigner = app
        .ok(
            &town.presidium,
            "mutation{ createPerson(input:{name:\"吴德华\",title:\"人大代表\"}){ id } }",
            json!({}),
        )
        .await["createPerson"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    browser.open(&format!("{}/suggestions", app.base)).await;
    browser.type_into("#s-title", "思蒙场镇老街增设路灯").await;
    browser
        .type_into("#s-content", "老街夜间照明不足，建议增设路灯二十盏。")
        .await;
    browser
        .click(&format!("input[name=cosigners][value=\"{cosigner}\"]"))
        .await;
    assert!(browser.fits().await, "the suggestion form fits a phone");
    browser
        .screenshot(&shots.join("phone-suggestion.png"))
        .await;
    browser
        .follow("form[action=\"/suggestions\"] button[type=submit]")
        .await;
    assert!(browser.url().await.contains("?notice=registered"));
    assert!(browser.text("h1").await.contains("思蒙场镇老街增设路灯"));
    assert!(
        browser.text("#main").await.contains("吴德华"),
        "the co-signer"
    );
    assert!(browser.fits().await, "a suggestion's page fits a phone");
    sign_out(&browser).await;

    // The dashboard and the project's timeline at desktop width, for a person to look at.
    browser.resize(DESKTOP.0, DESKTOP.1).await;
    browser
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    browser.open(&format!("{}/dashboard", app.base)).await;
    assert!(browser.text("#main").await.contains("按期办结率"));
    browser
        .screenshot(&shots.join("desktop-dashboard.png"))
        .await;
    browser
        .open(&format!("{}/projects/{}", app.base, town.bridge))
        .await;
    browser.screenshot(&shots.join("desktop-bridge.png")).await;
    browser.open(&format!("{}/people", app.base)).await;
    assert!(browser.text("#main").await.contains("开设账号"));
    browser.screenshot(&shots.join("desktop-people.png")).await;
    // At 200 % zoom a desktop window is half as wide in CSS pixels: still nothing to scroll
    // sideways (the timeline scrolls within its own frame).
    browser.resize(DESKTOP.0 / 2, DESKTOP.1).await;
    let bridge = format!("/projects/{}", town.bridge);
    for page in ["/", "/dashboard", bridge.as_str(), "/people"] {
        browser.open(&format!("{}{page}", app.base)).await;
        assert!(browser.fits().await, "{page} at 200 % zoom");
    }
    browser.quit().await;
}
