//! 批量添加节点 (docs/import.md): rows copied from Excel pasted into a project — previewed, then
//! added in one command, all or nothing, read with the import's words, dates and names.

use jiandu_tests::town::Town;
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const PASTE: &str = "mutation($p:ID!,$r:String!,$d:Boolean){ addMilestones(projectId:$p, rows:$r, dryRun:$d){ dryRun created{ id title deadline parent{ id } responsibleLeader{ name } responsibleUnit{ name } } rows{ row outcome message } } }";

/// A parent and two children as an office copies them: a unit with the place name, a leader
/// with a space, a deadline in words, a line break inside a quoted cell.
const ROWS: &str = "主体工程\t\t李明\t村建办\t2027-06-30\r\n\
                    桥面铺装\t主体工程\t李 明\t思蒙镇村建办\t2027年5月底前\r\n\
                    \"廊亭\n彩绘\"\t主体工程\t陈刚\t经发办\t2027-06-15\r\n";

async fn titles(app: &TestApp, town: &Town) -> Vec<String> {
    let read = town
        .bridge_as(app, &town.presidium, "milestones{ nodes{ title } }")
        .await;
    read["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|m| m["title"].as_str().unwrap().to_string())
        .collect()
}

async fn paste(app: &TestApp, token: &str, project: &str, rows: &str, dry_run: bool) -> Value {
    app.gql(
        Some(token),
        PASTE,
        json!({ "p": project, "r": rows, "d": dry_run }),
    )
    .await
}

e2e!(rows_pasted_from_excel_become_a_projects_milestones_at_once);
async fn rows_pasted_from_excel_become_a_projects_milestones_at_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = titles(&app, &town).await;

    let preview = paste(&app, &town.presidium, &town.bridge, ROWS, true).await;
    let batch = &preview["data"]["addMilestones"];
    assert_eq!(batch["dryRun"], true, "{preview:#}");
    assert_eq!(batch["created"], json!([]));
    let rows = batch["rows"].as_array().unwrap();
    assert_eq!(rows.len(), 3);
    assert!(rows.iter().all(|r| r["outcome"] == "CREATED"), "{rows:?}");
    assert!(
        rows[1]["message"]
            .as_str()
            .unwrap()
            .contains("2027年5月31日"),
        "the reading of 2027年5月底前 is said: {rows:?}"
    );
    assert_eq!(titles(&app, &town).await, before, "a preview adds nothing");

    let done = paste(&app, &town.presidium, &town.bridge, ROWS, false).await;
    let created = done["data"]["addMilestones"]["created"]
        .as_array()
        .unwrap_or_else(|| panic!("{done:#}"))
        .clone();
    let named = |title: &str| {
        created
            .iter()
            .find(|m| m["title"] == title)
            .unwrap_or_else(|| panic!("{title} in {created:?}"))
    };
    let parent = named("主体工程");
    let deck = named("桥面铺装");
    assert_eq!(deck["parent"]["id"], parent["id"]);
    assert_eq!(deck["deadline"], "2027-05-31");
    assert_eq!(deck["responsibleLeader"]["name"], "李明");
    assert_eq!(deck["responsibleUnit"]["name"], "村建办");
    assert_eq!(named("廊亭彩绘")["parent"]["id"], parent["id"]);
    assert_eq!(titles(&app, &town).await.len(), before.len() + 3);

    // Pasted again: every row is already there, nothing is added twice.
    let again = paste(&app, &town.presidium, &town.bridge, ROWS, false).await;
    let again = &again["data"]["addMilestones"];
    assert_eq!(again["created"], json!([]), "{again:#}");
    assert!(
        again["rows"]
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["outcome"] == "EXISTS")
    );
}

e2e!(a_paste_with_one_bad_row_adds_none_and_only_the_presidium_pastes);
async fn a_paste_with_one_bad_row_adds_none_and_only_the_presidium_pastes(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = titles(&app, &town).await;
    let bad = "护栏安装\t\t李明\t村建办\t2027-06-30\n照明安装\t\t李明\t村建办\t下个月\n";
    let refused = paste(&app, &town.presidium, &town.bridge, bad, false).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused:#}");
    assert_eq!(refused["errors"][0]["extensions"]["reason"], "BAD_CELLS");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "rows");
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("第2行"),
        "{refused:#}"
    );
    assert_eq!(titles(&app, &town).await, before, "all or nothing");

    // A header row of an office's words names the columns; a project column in it must name
    // this project, row by row.
    let other = "项目名称\t督办事项\t牵头领导\t承办单位\t完成时限\n别的项目\t护栏安装\t李明\t村建办\t2027-09-30\n";
    let refused = paste(&app, &town.presidium, &town.bridge, other, false).await;
    assert_eq!(
        refused["errors"][0]["extensions"]["field"], "rows",
        "{refused:#}"
    );
    assert!(
        refused["errors"][0]["message"]
            .as_str()
            .unwrap()
            .contains("不是本项目"),
        "{refused:#}"
    );
    let headed = other.replace("别的项目", "思蒙国家湿地公园健身步道风雨桥");
    let done = paste(&app, &town.presidium, &town.bridge, &headed, false).await;
    let created = &done["data"]["addMilestones"]["created"];
    assert_eq!(created[0]["title"], "护栏安装", "{done:#}");
    assert_eq!(created[0]["deadline"], "2027-09-30");
    let projects = app
        .ok(&town.presidium, "{ projects{ totalCount } }", json!({}))
        .await;
    assert_eq!(
        projects["projects"]["totalCount"], 1,
        "no project made: {projects:#}"
    );

    let leader = paste(&app, &town.liming, &town.bridge, ROWS, false).await;
    assert_eq!(code(&leader), "FORBIDDEN", "{leader:#}");
    let empty = paste(&app, &town.presidium, &town.bridge, "\n\t\n", false).await;
    assert_eq!(
        empty["errors"][0]["extensions"]["reason"], "REQUIRED",
        "{empty:#}"
    );
    let other = Town::setup(&app, "汉阳镇").await;
    let theirs = paste(&app, &other.presidium, &town.bridge, ROWS, false).await;
    assert_eq!(code(&theirs), "NOT_FOUND", "{theirs:#}");
}

e2e!(the_project_page_adds_pasted_rows_after_a_preview);
async fn the_project_page_adds_pasted_rows_after_a_preview(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = titles(&app, &town).await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let project = format!("/projects/{}", town.bridge);
    let page = presidium.get(&project).await;
    let form = format!("{project}/paste");
    assert!(
        page.html.contains(&format!("href=\"{form}\"")),
        "{}",
        page.html
    );

    let rows = "护栏安装\t\t李明\t村建办\t2027-06-30\n照明安装\t\t陈刚\t经发办\t年底前\n";
    let preview = presidium
        .submit(&form, &form, &[("rows", rows), ("step", "preview")])
        .await;
    assert_eq!(preview.status, 200, "{}", preview.html);
    assert!(
        preview.html.contains("预览：将添加 2 个节点"),
        "{}",
        preview.html
    );
    assert!(
        preview.html.contains("照明安装\t\t陈刚"),
        "the rows stay in the box"
    );
    assert_eq!(titles(&app, &town).await, before, "a preview adds nothing");

    let bad = "护栏安装\t\t李明\t村建办\t下个月\n";
    let refused = presidium
        .submit(&form, &form, &[("rows", bad), ("step", "add")])
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert!(
        refused.html.contains("<td>第1行</td><td>期限</td>"),
        "{}",
        refused.html
    );
    assert!(
        refused.html.contains(bad.trim_end()),
        "the rows stay in the box"
    );

    let added = presidium
        .submit(&form, &form, &[("rows", rows), ("step", "add")])
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    let shown = presidium.get(added.location.as_deref().unwrap()).await;
    assert!(
        shown.html.contains("已从表格添加 2 个节点"),
        "{}",
        shown.html
    );
    assert!(shown.html.contains("照明安装"));

    let leader = Visitor::new(&app, Some(&town.liming));
    assert_eq!(leader.get(&form).await.status, 403);
}
