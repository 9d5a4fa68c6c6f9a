//! The sample's deputies: four on the roster in two groups, a year of visits and trainings, and
//! 何永清, who did nothing this year — the record says so, and 杨秀英's account reads her own.

use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

async fn the_sample_has_a_roster_and_a_year_of_duties(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let password = jiandu_api::seed::demo::DEMO_PASSWORD;
    let renda = app.login("renda", password).await;
    let roster = app
        .ok(
            &renda,
            "{ deputies { name deputy { group villages } } }",
            json!({}),
        )
        .await["deputies"]
        .clone();
    assert_eq!(roster.as_array().unwrap().len(), 4, "{roster}");
    // The sample's days reach back four months: the duties may fall in this year or the last.
    let this_year: i32 = jiandu_tests::town::today()
        .format("%Y")
        .to_string()
        .parse()
        .unwrap();
    let query = "query($y:Int!){ deputyRecords(year:$y){ deputy { name } constituentVisits trainings total } }";
    let mut years: Vec<Value> = Vec::new();
    for year in [this_year - 1, this_year] {
        years.push(app.ok(&renda, query, json!({ "y": year })).await["deputyRecords"].clone());
    }
    let sum = |name: &str, field: &str| -> i64 {
        years
            .iter()
            .flat_map(|y| y.as_array().unwrap())
            .filter(|r| r["deputy"]["name"] == name)
            .map(|r| r[field].as_i64().unwrap())
            .sum()
    };
    assert_eq!(sum("杨秀英", "constituentVisits"), 3);
    assert_eq!(sum("杨秀英", "trainings"), 1);
    assert_eq!(sum("何永清", "total"), 0, "the deputy who did nothing");
    assert!(sum("吴德华", "total") > 0);

    // 杨秀英 reads her own record only.
    let yang = app.login("yangxiuying", password).await;
    let own = app.ok(&yang, query, json!({ "y": this_year })).await["deputyRecords"].clone();
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!(own[0]["deputy"]["name"], "杨秀英");
    let report = app
        .ok(
            &renda,
            "query($y:Int!){ annualReport(year:$y){ deputiesTotal deputiesActive summary } }",
            json!({ "y": this_year }),
        )
        .await["annualReport"]
        .clone();
    assert_eq!(report["deputiesTotal"], 4, "{report}");
    assert!(
        report["summary"].as_str().unwrap().contains("在任代表4名"),
        "{report}"
    );
}
e2e!(the_sample_has_a_roster_and_a_year_of_duties);
