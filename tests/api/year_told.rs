//! The year told (年度报告): the page gives every figure with how it is counted and each figure's
//! list holds exactly that many records; the same figures download as 工作总结（数据部分）; a
//! county sees its townships side by side; the figures are kept until a write and never stale.

use jiandu_tests::docx;
use jiandu_tests::town::{Town, day, today};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

fn this_year() -> i32 {
    today().format("%Y").to_string().parse().unwrap()
}

/// Every `(href, number)` of a figure linked to the records behind it on a report page.
fn figure_links(html: &str) -> Vec<(String, u64)> {
    html.split("<a href=\"/report/")
        .skip(1)
        .filter_map(|rest| {
            let (path, after) = rest.split_once("\">")?;
            let digits: String = after.chars().take_while(char::is_ascii_digit).collect();
            Some((
                format!("/report/{}", path.replace("&#38;", "&")),
                digits.parse().ok()?,
            ))
        })
        .collect()
}

/// The records a list page shows.
fn rows_listed(html: &str) -> u64 {
    html.matches("<td data-label=\"日期\">").count() as u64
}

e2e!(every_figure_of_the_year_lists_as_many_records_as_it_counts);
async fn every_figure_of_the_year_lists_as_many_records_as_it_counts(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let renda = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let year = this_year();
    let visitor = Visitor::new(&app, Some(&renda));
    let page = visitor.get(&format!("/report?year={year}")).await;
    assert_eq!(page.status, 200, "{}", page.html);
    let figures = app
        .ok(
            &renda,
            "query($y:Int!){ annualReport(year:$y){ inspections itemsDue itemsClosedOnTime findingsRaised summary documentUrl suggestions { received } } }",
            json!({ "y": year }),
        )
        .await["annualReport"]
        .clone();
    // The page says the year's sentences as the API does (askama escapes nothing in them).
    assert!(
        page.html.contains(figures["summary"].as_str().unwrap()),
        "{}",
        page.html
    );
    assert!(
        page.html.contains("按期办结 ÷ 应完成督办事项"),
        "each rate says its division"
    );
    let links = figure_links(&page.html);
    assert!(links.len() >= 12, "{links:?}");
    let by_slug = |slug: &str| {
        links
            .iter()
            .find(|(href, _)| href.starts_with(&format!("/report/{slug}?")))
            .map(|(_, n)| *n)
    };
    assert_eq!(
        by_slug("inspections"),
        figures["inspections"].as_u64(),
        "{links:?}"
    );
    assert_eq!(by_slug("items-due"), figures["itemsDue"].as_u64());
    assert_eq!(
        by_slug("suggestions"),
        figures["suggestions"]["received"].as_u64()
    );
    // The sample's year has records behind its figures, so the lists are not all empty.
    assert!(figures["suggestions"]["received"].as_u64().unwrap() > 0);
    assert!(figures["itemsDue"].as_u64().unwrap() > 0);
    for (href, counted) in &links {
        let list = visitor.get(href).await;
        assert_eq!(list.status, 200, "{href}: {}", list.html);
        assert_eq!(rows_listed(&list.html), *counted, "{href}");
    }

    // The same figures as a document, for anyone who may read them.
    let url = figures["documentUrl"].as_str().unwrap();
    let download = app.get(Some(&renda), url).await;
    assert_eq!(download.status(), 200);
    let bytes = download.bytes().await.unwrap();
    let text: Vec<String> = docx::paragraphs(&bytes)
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert!(
        text.contains(&format!("思蒙镇人大主席团{year}年工作总结（数据部分）")),
        "{text:?}"
    );
    assert!(text.contains(&figures["summary"].as_str().unwrap().to_string()));
    let tables = docx::tables(&bytes);
    assert_eq!(tables.len(), 6, "one table per part");
    assert_eq!(tables[1][0], ["指标", "数值", "统计口径"]);
    let due = tables[1]
        .iter()
        .find(|row| row[0] == "应完成督办事项")
        .unwrap();
    assert_eq!(due[1], format!("{}项", figures["itemsDue"]));
    let deputy = app
        .login("yangxiuying", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    assert_eq!(app.get(Some(&deputy), url).await.status(), 200);
    assert_eq!(app.get(None, url).await.status(), 401);
}

e2e!(a_county_reads_its_townships_side_by_side_and_a_township_only_itself);
async fn a_county_reads_its_townships_side_by_side_and_a_township_only_itself(app: TestApp) {
    let (county, county_presidium) = app
        .organization("丹棱县", Some("Asia/Shanghai"), None)
        .await;
    let simeng = Town::setup_in(&app, "思蒙镇", Some(county)).await;
    let other = Town::setup_in(&app, "双桥镇", Some(county)).await;
    let year = this_year();
    let report = |token: String| {
        let app = &app;
        async move {
            app.ok(
                &token,
                "query($y:Int!){ annualReport(year:$y){ inspections findingsRaised documentUrl } }",
                json!({ "y": year }),
            )
            .await["annualReport"]
                .clone()
        }
    };
    let before = report(county_presidium.clone()).await;
    // A write in a township is counted at once in the county's kept figures.
    simeng.finding(&app, "护栏松动", &day(10)).await;
    let after = report(county_presidium.clone()).await;
    assert_eq!(
        after["inspections"].as_u64().unwrap(),
        before["inspections"].as_u64().unwrap() + 1
    );
    assert_eq!(after["findingsRaised"], 1);
    assert_eq!(report(other.presidium.clone()).await["findingsRaised"], 0);

    let visitor = Visitor::new(&app, Some(&county_presidium));
    let page = visitor.get(&format!("/report?year={year}")).await;
    assert_eq!(page.status, 200);
    let townships = page.html.split("各乡镇情况").nth(1).unwrap_or_default();
    assert!(
        townships.contains("思蒙镇") && townships.contains("双桥镇"),
        "{townships}"
    );
    let simeng_page = format!("/report?year={year}&#38;organization={}", simeng.org);
    assert!(townships.contains(&simeng_page), "{townships}");
    // The township's own page, as the county opens it: its links keep to the township.
    let own = visitor.get(&simeng_page.replace("&#38;", "&")).await;
    assert_eq!(own.status, 200);
    assert!(own.html.contains("思蒙镇人大主席团"), "{}", own.html);
    assert!(!own.html.contains("各乡镇情况"));
    for (href, counted) in figure_links(&own.html) {
        assert!(
            href.contains(&format!("organization={}", simeng.org)),
            "{href}"
        );
        assert_eq!(
            rows_listed(&visitor.get(&href).await.html),
            counted,
            "{href}"
        );
    }
    let document = app
        .get(
            Some(&county_presidium),
            after["documentUrl"].as_str().unwrap(),
        )
        .await
        .bytes()
        .await
        .unwrap();
    let tables = docx::tables(&document);
    let last = tables.last().unwrap();
    assert_eq!(last[0][0], "乡镇");
    assert_eq!(last.len(), 3, "a header and two townships: {last:?}");

    // A township reads neither its neighbour's page nor its document.
    let neighbour = Visitor::new(&app, Some(&other.presidium));
    let refused = neighbour.get(&simeng_page.replace("&#38;", "&")).await;
    assert_eq!(refused.status, 404);
    let url = format!("/documents/reports/{}/{year}.docx", simeng.org);
    assert_eq!(app.get(Some(&other.presidium), &url).await.status(), 404);
    assert_eq!(app.get(Some(&simeng.presidium), &url).await.status(), 200);
    // Nonsense in the address is a page not found, not an error.
    assert_eq!(neighbour.get("/report/nonsense").await.status, 404);
    assert_eq!(neighbour.get("/report?organization=x").await.status, 404);
    let this = neighbour.get("/report?year=x").await;
    assert!(
        this.html
            .contains(&format!("双桥镇人大主席团{year}年度报告"))
    );
    let outside = format!("/documents/reports/{}/1999.docx", other.org);
    let answer = app.get(Some(&other.presidium), &outside).await;
    assert_eq!(answer.status(), 400, "a year the report does not answer");
}

e2e!(the_dashboard_reads_a_past_year_and_says_what_waits_for_sign_off);
/// An item reported done waits for 销号: its light says 待销号 (not the grey of closed work), and
/// the dashboard says beside the on-time rate how many wait, linked to them. Last year's
/// dashboard is as of its last day.
async fn the_dashboard_reads_a_past_year_and_says_what_waits_for_sign_off(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let reported = town.reported(&app, &["桥面铺装", "廊亭彩绘"]).await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let dashboard = presidium.get("/dashboard").await;
    assert_eq!(dashboard.status, 200);
    let waiting = dashboard
        .html
        .split("id=\"awaiting-sign-off\"")
        .nth(1)
        .expect("the wait for sign-off beside the rate");
    assert!(
        waiting.starts_with(">，另有 <a href=\"/items?state=reported\">2 项已报办结待销号</a>"),
        "{waiting}"
    );
    let item = presidium
        .get(&format!(
            "/milestones/{}",
            reported[0]["id"].as_str().unwrap()
        ))
        .await;
    assert!(
        item.html.contains("light-pending\">待销号"),
        "{}",
        item.html
    );
    let list = presidium.get("/items?state=reported").await;
    assert_eq!(list.html.matches("light-pending\">待销号").count(), 2);

    // Once signed off, it is closed work: grey, and nothing waits.
    let id = reported[0]["id"].clone();
    let version = reported[0]["version"].clone();
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ signOffMilestone(id:$id, expectedVersion:$v){ status } }",
        json!({ "id": id, "v": version }),
    )
    .await;
    let item = presidium
        .get(&format!("/milestones/{}", id.as_str().unwrap()))
        .await;
    assert!(item.html.contains("light-grey\">已结束"), "{}", item.html);
    let dashboard = presidium.get("/dashboard").await;
    assert!(dashboard.html.contains("1 项已报办结待销号"));

    let last_year = this_year() - 1;
    let past = presidium.get(&format!("/dashboard?year={last_year}")).await;
    assert_eq!(past.status, 200);
    assert!(
        past.html.contains(&format!("截至 {last_year}-12-31")),
        "{}",
        past.html
    );
    assert!(past.html.contains(&format!("{last_year}年督办统计")));
    // A year not yet begun, or nonsense, is today's dashboard.
    for asked in [format!("{}", this_year() + 1), "x".to_string()] {
        let answer = presidium.get(&format!("/dashboard?year={asked}")).await;
        assert!(
            answer.html.contains(&format!("截至 {}", today())),
            "{asked}: {}",
            answer.html
        );
    }
}
