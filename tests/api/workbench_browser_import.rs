//! Bringing a township's own records in, in a real browser at a phone's 375 px and a desktop's
//! 1366 px: a ledger previewed and confirmed from its draft with a new name mapped to a person
//! the township has, rows pasted from a spreadsheet into a project, the export's findings and
//! suggestions brought in and an old one confirmed on 历史事项, and a long list of notices a
//! screen at a time. Screenshots go to `target/screenshots/`.

use jiandu_tests::town::Town;
use jiandu_tests::webdriver::{self, Browser};
use jiandu_tests::{Backend, TestApp};

const DESKTOP: (u32, u32) = (1366, 900);
const PHONE: (u32, u32) = (375, 812);

#[tokio::test]
async fn a_township_brings_its_records_in_at_a_phones_and_a_desktops_width() {
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

    // On a phone: a ledger previewed, 王强 said to be 刘芳, confirmed without the file again.
    let ledger = crate::import_names::ledger();
    let file = std::env::temp_dir().join(format!("jiandu-ledger-{}.xlsx", uuid::Uuid::now_v7()));
    std::fs::write(&file, ledger).unwrap();
    browser.open(&format!("{}/import", app.base)).await;
    browser.type_into("#file", file.to_str().unwrap()).await;
    browser
        .follow("form[action=\"/import\"] button[type=submit]")
        .await;
    let _ = std::fs::remove_file(&file);
    let shown = browser.text("#result").await;
    assert!(shown.contains("「思蒙镇村建办」→「村建办」"), "{shown}");
    assert!(browser.fits().await, "the preview fits a phone");
    let in_sight = browser
        .evaluate("var r = document.querySelector('#result .notice').getBoundingClientRect(); return r.top >= 0 && r.bottom <= window.innerHeight;")
        .await;
    assert_eq!(
        in_sight, true,
        "the phone opens at the preview, not at the form above it"
    );
    let mapped = browser
        .evaluate(&format!(
            "var name = document.querySelector('#confirm-import input[name=name][value=\"王强\"]');\
             var select = name.parentElement.querySelector('select'); select.value = '{}';\
             return select.options[select.selectedIndex].text;",
            town.liu
        ))
        .await;
    assert_eq!(mapped, "即已有的「刘芳」");
    browser
        .screenshot(&shots.join("phone-import-names.png"))
        .await;
    browser.follow("#confirm-import button[type=submit]").await;
    let done = browser.text("#main").await;
    assert!(
        done.contains("导入完成") && done.contains("人员 0 名"),
        "{done}"
    );

    // On a desktop: rows pasted into the bridge project, previewed, then added.
    browser.resize(DESKTOP.0, DESKTOP.1).await;
    browser
        .open(&format!("{}/projects/{}", app.base, town.bridge))
        .await;
    browser.follow("a[href$=\"/paste\"]").await;
    browser
        .set_value(
            "#rows",
            "护栏安装\t\t李明\t村建办\t2027-06-30\n照明安装\t\t陈刚\t经发办\t年底前\n",
        )
        .await;
    browser.follow("button[value=preview]").await;
    assert!(
        browser.text("#preview").await.contains("将添加 2 个节点"),
        "{}",
        browser.text("#main").await
    );
    assert!(browser.fits().await, "the paste page fits a desktop");
    browser
        .screenshot(&shots.join("desktop-paste-preview.png"))
        .await;
    browser.follow("button[value=add]").await;
    assert!(
        browser
            .text("#main")
            .await
            .contains("已从表格添加 2 个节点")
    );
    browser.resize(PHONE.0, PHONE.1).await;
    browser
        .open(&format!("{}/projects/{}/paste", app.base, town.bridge))
        .await;
    assert!(browser.fits().await, "the paste page fits a phone");
    browser.screenshot(&shots.join("phone-paste.png")).await;

    // On a phone: the export's other sheets too; the old finding and suggestion wait, quiet, on
    // 历史事项, and the suggestion is withdrawn there.
    let workbook = crate::import_workbook::old_workbook();
    let file = std::env::temp_dir().join(format!("jiandu-book-{}.xlsx", uuid::Uuid::now_v7()));
    std::fs::write(&file, workbook).unwrap();
    browser.open(&format!("{}/import", app.base)).await;
    browser.type_into("#file", file.to_str().unwrap()).await;
    browser
        .follow("form[action=\"/import\"] button[type=submit]")
        .await;
    let _ = std::fs::remove_file(&file);
    let shown = browser.text("#result").await;
    assert!(
        shown.contains("整改事项 4 项（检查 2 次）") && shown.contains("代表建议 2 件"),
        "{shown}"
    );
    assert!(
        shown.contains("整改事项 第2行"),
        "rows say their sheet: {shown}"
    );
    browser.follow("#confirm-import button[type=submit]").await;
    browser.open(&format!("{}/historical", app.base)).await;
    let waiting = browser.text("#main").await;
    assert!(
        waiting.contains("整改事项 1 项，代表建议 1 件") && waiting.contains("农贸市场增设停车位"),
        "{waiting}"
    );
    assert!(browser.fits().await, "历史事项 fits a phone");
    let withdraw = "form[action^=\"/historical/suggestions/\"]";
    browser
        .click(&format!("{withdraw} input[value=cancel]"))
        .await;
    browser
        .type_into(&format!("{withdraw} input[name=note]"), "市场已搬迁")
        .await;
    browser
        .screenshot(&shots.join("phone-historical-records.png"))
        .await;
    browser
        .follow(&format!("{withdraw} button[type=submit]"))
        .await;
    let after = browser.text("#main").await;
    assert!(
        after.contains("已确认") && after.contains("代表建议 0 件"),
        "{after}"
    );
    browser.resize(DESKTOP.0, DESKTOP.1).await;
    assert!(browser.fits().await, "历史事项 fits a desktop");
    browser
        .screenshot(&shots.join("desktop-historical-records.png"))
        .await;
    browser.resize(PHONE.0, PHONE.1).await;
    browser.follow(".signout button").await;

    // The leader with 32 notices: thirty on a phone's screen, 下一页 to the rest.
    for n in 1..=32 {
        town.overdue_order(&app, &format!("第{n}段栏杆")).await;
    }
    browser
        .sign_in(&app.base, &app.username(&town.liming).await)
        .await;
    browser.open(&format!("{}/notices", app.base)).await;
    let listed = browser
        .evaluate("return document.querySelectorAll('details.notice-row').length;")
        .await;
    assert_eq!(listed, 30);
    assert!(browser.fits().await, "the notices fit a phone");
    browser.follow("a[rel=next]").await;
    let rest = browser
        .evaluate("return document.querySelectorAll('details.notice-row').length;")
        .await;
    assert_eq!(rest, 2, "the next screen holds the rest");
    browser
        .screenshot(&shots.join("phone-notices-next.png"))
        .await;
    browser.quit().await;
}
