//! The congress's cycle in a real browser at a phone's 375 px and a desktop's 1366 px: the
//! presidium records a congress session on 会议, proposes and shortlists a livelihood project on
//! 民生实事, enters its tally, and the project it became says how it was voted in; an opinion is
//! sent from a report hearing, answered from the leader's 我的督办事项 and judged. Screenshots go
//! to `target/screenshots/`.

use jiandu_tests::town::{Town, day};
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};

const DESKTOP: (u32, u32) = (1366, 900);
const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
async fn a_livelihood_project_is_voted_in_at_a_phones_and_a_desktops_width() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let shots = webdriver::screenshots();
    let browser = Browser::start(&driver, &chromium, PHONE.0, PHONE.1).await;
    browser
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;

    // On a phone: the session recorded from 更多 → 会议.
    let held = day(-2);
    let year = &held[..4];
    browser.open(&format!("{}/meetings", app.base)).await;
    assert!(browser.fits().await, "会议 fits a phone");
    browser
        .type_into("#title", "第二届人民代表大会第一次会议")
        .await;
    browser.set_value("#held_on", &held).await;
    browser.type_into("#total", "40").await;
    browser.type_into("#present", "35").await;
    browser
        .follow("form[action=\"/meetings\"] button[type=submit]")
        .await;
    let meeting = browser.text("#main").await;
    assert!(
        meeting.contains("出席35人（代表40人，超过半数）"),
        "{meeting}"
    );

    // Proposed, shortlisted and voted on 民生实事.
    browser
        .open(&format!("{}/livelihood?year={year}", app.base))
        .await;
    browser.type_into("#title", "湿地公园健身步道风雨桥").await;
    browser.follow("#propose button[type=submit]").await;
    browser
        .follow("form[action$=\"/shortlist\"] button[type=submit]")
        .await;
    browser.click("td details summary").await;
    browser.type_into("input[name=votes_for]", "33").await;
    assert!(
        browser.fits().await,
        "民生实事 with its vote form fits a phone"
    );
    browser
        .screenshot(&shots.join("phone-livelihood-vote.png"))
        .await;
    browser
        .follow("form[action$=\"/vote\"] button[type=submit]")
        .await;
    let table = browser.text("#main").await;
    assert!(
        table.contains("票决通过") && table.contains(&format!("思人决〔{year}〕1号")),
        "{table}"
    );
    assert!(browser.fits().await, "the table fits a phone as cards");

    // On a desktop: the table, and the project it became.
    browser.resize(DESKTOP.0, DESKTOP.1).await;
    assert!(browser.fits().await, "民生实事 fits a desktop");
    browser
        .screenshot(&shots.join("desktop-livelihood.png"))
        .await;
    browser.follow("td[data-label=监督项目] a").await;
    let project = browser.text("#main").await;
    assert!(
        project.contains(&format!("民生实事票决：思人决〔{year}〕1号，赞成33票")),
        "{project}"
    );
    browser.quit().await;
}

#[tokio::test]
async fn an_opinion_is_sent_answered_and_judged_at_a_phones_and_a_desktops_width() {
    let Some((driver, chromium)) = webdriver::required() else {
        return;
    };
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = Town::setup(&app, "思蒙镇").await;
    let hearing = app
        .ok(
            &town.presidium,
            "mutation($d:Date!){ createMeeting(input:{kind:REPORT_HEARING, title:\"听取镇政府关于上半年工作情况的报告\", heldOn:$d, deputiesTotal:40, deputiesPresent:12}){ id } }",
            serde_json::json!({ "d": day(-1) }),
        )
        .await["createMeeting"]["id"]
        .as_str()
        .unwrap()
        .to_string();
    let shots = webdriver::screenshots();

    // On a phone, the presidium sends the opinion from the hearing's page.
    let presidium = Browser::start(&driver, &chromium, PHONE.0, PHONE.1).await;
    presidium
        .sign_in(&app.base, &app.username(&town.presidium).await)
        .await;
    presidium
        .open(&format!("{}/meetings/{hearing}", app.base))
        .await;
    presidium
        .type_into("#o-title", "关于镇政府上半年工作情况报告的审议意见")
        .await;
    presidium
        .set_value(
            "#o-points",
            "加快二桥至思蒙路段提质改造进度\n做好汛期地质灾害隐患点巡查",
        )
        .await;
    presidium.set_value("#o-leader", &town.li).await;
    assert!(presidium.fits().await, "the hearing's form fits a phone");
    presidium.follow("#opinion button[type=submit]").await;
    let sent = presidium.text("#main").await;
    assert!(
        sent.contains("审议意见已交办") && sent.contains("审议意见（2条）"),
        "{sent}"
    );
    let page = presidium.url().await;

    // On a desktop, 李明 answers from 我的督办事项.
    let leader = Browser::start(&driver, &chromium, DESKTOP.0, DESKTOP.1).await;
    leader
        .sign_in(&app.base, &app.username(&town.liming).await)
        .await;
    leader.open(&format!("{}/mine", app.base)).await;
    leader.follow("#main a[href^=\"/opinions/\"]").await;
    leader.type_into("#f-1", "已完成路基施工，12月底完工").await;
    leader.type_into("#f-2", "已排查隐患点7处").await;
    assert!(leader.fits().await, "the answer form fits a desktop");
    leader
        .screenshot(&shots.join("desktop-opinion-answer.png"))
        .await;
    leader.follow("#answer button[type=submit]").await;
    let answered = leader.text("#main").await;
    assert!(
        answered.contains("已反馈，待评议") && answered.contains("已排查隐患点7处"),
        "{answered}"
    );
    leader.quit().await;

    // Back on the phone, the presidium judges each point.
    presidium.open(&page).await;
    presidium.set_value("#j-1", "IMPLEMENTED").await;
    presidium.set_value("#j-2", "PARTLY").await;
    presidium.follow("#judge button[type=submit]").await;
    let judged = presidium.text("#main").await;
    assert!(
        judged.contains("已评议") && judged.contains("部分落实"),
        "{judged}"
    );
    assert!(presidium.fits().await, "the judged opinion fits a phone");
    presidium
        .screenshot(&shots.join("phone-opinion-judged.png"))
        .await;
    presidium.quit().await;
}
