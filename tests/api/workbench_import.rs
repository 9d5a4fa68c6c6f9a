//! 导入台账 in the workbench: preview, import, every bad cell in a table, a long outcome in part,
//! and no page for those who may not import.

use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};

use crate::import::{count, office_ledger, workbook_of};

async fn the_presidium_previews_then_imports_a_ledger_in_the_workbench(app: TestApp) {
    let town = jiandu_tests::town::Town::setup(&app, "思蒙镇").await;
    let before = count(&app, &town.presidium).await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let page = presidium.get("/import").await;
    assert_eq!(page.status, 200);
    assert!(page.html.contains("href=\"/import\""), "the menu offers it");

    let ledger = || vec![("file", "督办台账.xlsx", office_ledger())];
    let preview = presidium
        .submit_multipart("/import", "/import", &[("preview", "1")], ledger())
        .await;
    assert_eq!(preview.status, 200, "{}", preview.html);
    assert!(
        preview.html.contains("这是预览，尚未写入"),
        "{}",
        preview.html
    );
    assert!(
        preview
            .html
            .contains("第3行</td><td>新建节点；新建项目「健身步道风雨桥」"),
        "{}",
        preview.html
    );
    assert_eq!(
        count(&app, &town.presidium).await,
        before,
        "a preview writes nothing"
    );

    let done = presidium
        .submit_multipart("/import", "/import", &[], ledger())
        .await;
    assert_eq!(done.status, 200, "{}", done.html);
    assert!(done.html.contains("导入完成"), "{}", done.html);
    assert!(done.html.contains("项目 2 个，节点 4 个"), "{}", done.html);
    let after = count(&app, &town.presidium).await;
    assert_eq!((after.0, after.1), (before.0 + 2, before.1 + 4));

    // A ledger with a bad cell: its row, column and reason in a table, nothing written.
    let bad = workbook_of(&[
        &["项目名称", "节点", "责任领导", "责任单位", "期限"],
        &["新项目", "节点甲", "李明", "村建办", "下个月"],
    ]);
    let bad = vec![("file", "台账.xlsx", bad)];
    let refused = presidium
        .submit_multipart("/import", "/import", &[], bad)
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused
            .html
            .contains("<td>第2行</td><td>期限</td><td>「下个月」不是日期"),
        "{}",
        refused.html
    );
    let not_xlsx = vec![("file", "台账.csv", b"a,b\n".to_vec())];
    let refused = presidium
        .submit_multipart("/import", "/import", &[], not_xlsx)
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.html.contains("请在 Excel 或 WPS 中另存为 .xlsx"),
        "{}",
        refused.html
    );
    assert!(
        refused.refusal().unwrap().contains("无法作为台账导入"),
        "{}",
        refused.html
    );
    assert_eq!(count(&app, &town.presidium).await, after);

    // A long ledger's preview lists its first rows and counts the rest.
    let titles: Vec<String> = (1..=600).map(|r| format!("节点{r}")).collect();
    let mut table: Vec<Vec<&str>> = vec![vec!["项目名称", "节点", "责任领导", "责任单位", "期限"]];
    table.extend(
        titles
            .iter()
            .map(|t| vec!["长项目", t.as_str(), "李明", "村建办", "2027-01-31"]),
    );
    let rows: Vec<&[&str]> = table.iter().map(Vec::as_slice).collect();
    let long = vec![("file", "台账.xlsx", workbook_of(&rows))];
    let preview = presidium
        .submit_multipart("/import", "/import", &[("preview", "1")], long)
        .await;
    assert_eq!(preview.status, 200);
    assert!(
        preview.html.contains("共 600 行，这里列出前 500 行"),
        "{}",
        preview.html
    );
    assert!(preview.html.contains("第501行") && !preview.html.contains("第502行"));

    // Other roles have no such page.
    let deputy = Visitor::new(&app, Some(&town.deputy));
    assert_eq!(deputy.get("/import").await.status, 403);
    assert!(!deputy.get("/").await.html.contains("href=\"/import\""));
}
e2e!(the_presidium_previews_then_imports_a_ledger_in_the_workbench);
