//! Documents as LibreOffice prints them (when it is installed; `.ci/run` installs it): a long
//! monthly bulletin runs over pages and its signature block still comes after body text on the
//! last page, never alone.

use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e, office};
use serde_json::json;

e2e!(a_long_bulletin_keeps_its_signature_with_its_last_paragraph);
/// One more overdue item at a time moves the page's end through the bulletin's last lines:
/// wherever it falls, the signature's page holds the last paragraph too.
async fn a_long_bulletin_keeps_its_signature_with_its_last_paragraph(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    // Items behind pace at the end of March, and more and more overdue: two pages and more.
    for n in 1..=6 {
        town.milestone(
            &app,
            json!({ "title": format!("第{n}号廊亭基础"), "startDate": "2026-03-01",
                    "deadline": format!("2026-04-{:02}", n + 5) }),
        )
        .await;
    }
    for n in 1..=16 {
        town.milestone(
            &app,
            json!({ "title": format!("第{n}段栈道及护栏施工"), "deadline": format!("2026-03-{:02}", n + 2) }),
        )
        .await;
        if n < 9 {
            continue;
        }
        let bulletin = app
            .ok(
                &town.presidium,
                "{ bulletin(year:2026, month:3){ number documentUrl } }",
                json!({}),
            )
            .await["bulletin"]
            .clone();
        assert_eq!(bulletin["number"], "思人通〔2026〕1号");
        let bytes = app
            .get(
                Some(&town.presidium),
                bulletin["documentUrl"].as_str().unwrap(),
            )
            .await
            .bytes()
            .await
            .unwrap();
        let Some(printed) = office::render(&bytes, "docx") else {
            return;
        };
        let pages = printed.pages.len();
        assert!((2..=6).contains(&pages), "{n} items overdue: {pages} pages");
        assert!(printed.pages[0].contains("思人通〔2026〕1号"));
        let last = printed.pages.last().unwrap();
        assert!(
            last.contains("思蒙镇人大主席团") && last.contains("2026年3月31日"),
            "{last}"
        );
        assert!(
            last.contains("请各责任单位和责任领导对照通报事项"),
            "{n} items overdue: the last paragraph is on the signature's page:\n{last}"
        );
    }
}

e2e!(the_demo_ledger_prints_one_page_wide_with_its_header_on_every_page);
/// The sample's ledger as LibreOffice prints it: every sheet one page wide (no page holds only
/// the columns that did not fit), each page under the header row, the first under the title.
async fn the_demo_ledger_prints_one_page_wide_with_its_header_on_every_page(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let renda = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let bytes = app
        .get(Some(&renda), "/export/ledger.xlsx")
        .await
        .bytes()
        .await
        .unwrap();
    let Some(printed) = office::render(&bytes, "xlsx") else {
        return;
    };
    let pages = &printed.pages;
    assert!(
        pages[0].contains("重点工作督办台账") && pages[0].contains("截至日期"),
        "{}",
        pages[0]
    );
    for (n, page) in pages.iter().enumerate() {
        assert!(
            page.contains("序号") && page.contains("亮灯"),
            "page {} holds the first and the last column's header:\n{page}",
            n + 1
        );
    }
    // Four sheets, the sample's few dozen rows: a page or two each, not dozens of narrow ones.
    assert!((4..=10).contains(&pages.len()), "{} pages", pages.len());
}
