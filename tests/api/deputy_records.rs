//! Each deputy's year (履职档案, docs/deputies.md): inspections joined, suggestions led or
//! co-signed, letters and visits received, visits to constituents, trainings and their hours,
//! meetings attended, and the total — the presidium reads every deputy's (one who did nothing
//! shows zeros), a deputy their own only, another township none.

use jiandu_tests::docx::{paragraphs, tables};
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const RECORDS: &str = "query($y:Int!){ deputyRecords(year:$y){ deputy { name } year inspections suggestions contactsReceived constituentVisits trainings trainingHours meetingsAttended total } }";
const RECORD: &str = "query($p:ID!,$y:Int!){ deputyRecord(personId:$p, year:$y){ deputy { name } total constituentVisits } }";

e2e!(each_deputys_year_is_counted_from_what_was_recorded);
async fn each_deputys_year_is_counted_from_what_was_recorded(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let on = day(-1);
    let year: i32 = on[..4].parse().unwrap();
    // 吴德华 is on the roster too, and did nothing this year.
    let wu = town.new_deputy(&app, "吴德华").await;
    town.on_roster(&app, &town.yang, &["思蒙村"]).await;
    town.on_roster(&app, &wu, &["思蒙村"]).await;

    // 杨秀英's year: an inspection, a suggestion she leads and one she co-signs, a letter she
    // received, two visits and a training of 2.5 hours, a session she attended.
    town.visit(
        &app,
        &on,
        json!({ "description": "桥面护栏松动", "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": day(20) }),
    )
    .await;
    let suggest = "mutation($d:ID!,$c:[ID!],$r:Date!){ registerSuggestion(input:{title:\"增设路灯\",content:\"老街照明不足\",source:INTERSESSION,leadDeputyId:$d,coSignerIds:$c,receivedOn:$r}){ id } }";
    app.ok(
        &town.presidium,
        suggest,
        json!({ "d": town.yang, "c": null, "r": on }),
    )
    .await;
    app.ok(
        &town.presidium,
        suggest,
        json!({ "d": wu, "c": [town.yang], "r": on }),
    )
    .await;
    app.ok(
        &town.deputy,
        "mutation($p:ID!,$r:Date!){ logContact(input:{kind:LETTER,receivedOn:$r,summary:\"反映村道积水\",receivedByIds:[$p]}){ id } }",
        json!({ "p": town.yang, "r": on }),
    )
    .await;
    let log = "mutation($i:LogDutyActivityInput!){ logDutyActivity(input:$i){ id } }";
    for input in [
        json!({ "kind": "CONSTITUENT_VISIT", "on": on, "village": "思蒙村", "topic": "走访选民", "people": 8 }),
        json!({ "kind": "CONSTITUENT_VISIT", "on": on, "topic": "联系群众" }),
        json!({ "kind": "TRAINING", "on": on, "topic": "代表履职培训", "hours": 2.5 }),
    ] {
        app.ok(&town.deputy, log, json!({ "i": input })).await;
    }
    app.ok(
        &town.presidium,
        "mutation($d:Date!,$a:[ID!]){ createMeeting(input:{kind:CONGRESS_SESSION, title:\"第二届人民代表大会第二次会议\", heldOn:$d, deputiesTotal:40, attendeeIds:$a}){ id } }",
        json!({ "d": on, "a": [town.yang] }),
    )
    .await;

    let records =
        app.ok(&town.presidium, RECORDS, json!({ "y": year })).await["deputyRecords"].clone();
    let of = |name: &str| -> Value {
        records
            .as_array()
            .unwrap()
            .iter()
            .find(|r| r["deputy"]["name"] == name)
            .cloned()
            .unwrap_or_else(|| panic!("{name} in {records}"))
    };
    let yang = of("杨秀英");
    assert_eq!(
        [
            &yang["inspections"],
            &yang["suggestions"],
            &yang["contactsReceived"],
            &yang["constituentVisits"],
            &yang["trainings"],
            &yang["meetingsAttended"],
            &yang["total"]
        ],
        [
            &json!(1),
            &json!(2),
            &json!(1),
            &json!(2),
            &json!(1),
            &json!(1),
            &json!(8)
        ],
        "{yang}"
    );
    assert_eq!(yang["trainingHours"], 2.5);
    // The records are kept between writes: one more visit is counted at once.
    app.ok(
        &town.deputy,
        log,
        json!({ "i": { "kind": "CONSTITUENT_VISIT", "on": on, "topic": "回访" } }),
    )
    .await;
    let again = app.ok(&town.presidium, RECORDS, json!({ "y": year })).await["deputyRecords"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["deputy"]["name"] == "杨秀英")
        .cloned()
        .unwrap();
    assert_eq!(
        (&again["constituentVisits"], &again["total"]),
        (&json!(3), &json!(9)),
        "never stale after a write: {again}"
    );
    let wu_year = of("吴德华");
    assert_eq!(wu_year["suggestions"], 1, "the one he leads");
    assert_eq!(
        (
            wu_year["total"].as_i64(),
            wu_year["constituentVisits"].as_i64()
        ),
        (Some(1), Some(0))
    );
    let last_year = app
        .ok(&town.presidium, RECORDS, json!({ "y": year - 1 }))
        .await["deputyRecords"]
        .clone();
    assert!(
        last_year
            .as_array()
            .unwrap()
            .iter()
            .all(|r| r["total"] == 0),
        "{last_year}"
    );

    // A deputy reads their own record only; another township none of ours.
    let own = app.ok(&town.deputy, RECORDS, json!({ "y": year })).await["deputyRecords"].clone();
    assert_eq!(own.as_array().unwrap().len(), 1);
    assert_eq!(own[0]["deputy"]["name"], "杨秀英");
    let mine = app
        .ok(&town.deputy, RECORD, json!({ "p": town.yang, "y": year }))
        .await;
    assert_eq!(mine["deputyRecord"]["total"], 9);
    let others = app
        .gql(Some(&town.deputy), RECORD, json!({ "p": wu, "y": year }))
        .await;
    assert_eq!(code(&others), "FORBIDDEN", "{others}");
    let not_a_deputy = app
        .gql(
            Some(&town.presidium),
            RECORD,
            json!({ "p": town.li, "y": year }),
        )
        .await;
    assert_eq!(code(&not_a_deputy), "NOT_FOUND", "{not_a_deputy}");
    let other = Town::setup(&app, "汉阳镇").await;
    assert_eq!(
        app.ok(&other.presidium, RECORDS, json!({ "y": year }))
            .await["deputyRecords"],
        json!([])
    );
    let theirs = app
        .gql(
            Some(&other.presidium),
            RECORD,
            json!({ "p": town.yang, "y": year }),
        )
        .await;
    assert_eq!(code(&theirs), "NOT_FOUND", "{theirs}");
}

e2e!(a_deputy_downloads_their_report_to_constituents_as_a_draft);
/// 述职报告: the record as a .docx draft — the deputy's own report, without an organisation's
/// mark, that tells their year in sentences and a table; theirs to download, and the
/// presidium's, not another deputy's nor another township's.
async fn a_deputy_downloads_their_report_to_constituents_as_a_draft(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let on = day(-1);
    let year: i32 = on[..4].parse().unwrap();
    let wu = town.new_deputy(&app, "吴德华").await;
    town.on_roster(&app, &town.yang, &["思蒙村"]).await;
    town.on_roster(&app, &wu, &["思蒙村"]).await;
    app.ok(
        &town.presidium,
        "mutation($d:ID!,$r:Date!){ registerSuggestion(input:{title:\"关于增设老街路灯的建议\",content:\"老街照明不足\",source:INTERSESSION,leadDeputyId:$d,receivedOn:$r}){ id } }",
        json!({ "d": town.yang, "r": on }),
    )
    .await;
    let log = "mutation($i:LogDutyActivityInput!){ logDutyActivity(input:$i){ id } }";
    for input in [
        json!({ "kind": "CONSTITUENT_VISIT", "on": on, "village": "思蒙村", "topic": "群众反映村道积水", "people": 12 }),
        json!({ "kind": "TRAINING", "on": on, "topic": "代表履职培训", "hours": 2.5 }),
    ] {
        app.ok(&town.deputy, log, json!({ "i": input })).await;
    }
    let url_of = |record: &Value| record["documentUrl"].as_str().unwrap().to_string();
    let mine = app
        .ok(
            &town.deputy,
            "query($p:ID!,$y:Int!){ deputyRecord(personId:$p, year:$y){ documentUrl } }",
            json!({ "p": town.yang, "y": year }),
        )
        .await;
    let url = url_of(&mine["deputyRecord"]);
    assert_eq!(
        url,
        format!("/documents/deputies/{}/{year}.docx", town.yang)
    );

    let response = app.get(Some(&town.deputy), &url).await;
    assert_eq!(response.status(), 200);
    let bytes = response.bytes().await.unwrap().to_vec();
    let read = paragraphs(&bytes);
    let texts: Vec<&str> = read.iter().map(|p| p.text.as_str()).collect();
    let (m, d) = (
        on[5..7].trim_start_matches('0'),
        on[8..].trim_start_matches('0'),
    );
    for expected in [
        format!("杨秀英代表{year}年度述职报告"),
        "各位选民：".to_string(),
        format!(
            "我是思蒙镇第二届人民代表大会代表杨秀英，分工联系思蒙村。现将{year}年履行代表职务的情况报告如下，请予评议。"
        ),
        format!(
            "{year}年，本人领衔和联名提出建议1件，走访选民1次，参加培训学习1次（2.5小时），合计3项。"
        ),
        format!("{year}年{m}月{d}日，到思蒙村走访选民12人，群众反映村道积水。"),
        format!("领衔提出《关于增设老街路灯的建议》（{year}-001号），已登记。"),
        format!("{year}年{m}月{d}日，参加代表履职培训（2.5小时）。"),
        "述职人：杨秀英".to_string(),
    ] {
        assert!(
            texts.contains(&expected.as_str()),
            "{expected} in {texts:?}"
        );
    }
    assert!(
        !texts.iter().any(|t| t.contains("主席团")),
        "a deputy's own report carries no organisation's mark: {texts:?}"
    );
    let title = read.iter().find(|p| p.text.ends_with("述职报告")).unwrap();
    assert_eq!(title.font(), Some("方正小标宋简体"));
    let table = &tables(&bytes)[0];
    assert_eq!(table[0], ["序号", "履职事项", "数量"]);
    assert!(
        table.contains(&vec!["4".into(), "走访选民".into(), "1次".into()]),
        "{table:?}"
    );
    assert_eq!(table.last().unwrap(), &["", "合计", "3项"]);

    // The presidium downloads any deputy's, one who did nothing too; a deputy not another's;
    // another township none; nobody signed out.
    let wu_url = format!("/documents/deputies/{wu}/{year}.docx");
    let response = app.get(Some(&town.presidium), &wu_url).await;
    assert_eq!(response.status(), 200);
    let texts: Vec<String> = paragraphs(&response.bytes().await.unwrap())
        .into_iter()
        .map(|p| p.text)
        .collect();
    assert!(
        texts.contains(&format!("{year}年，本人尚无记录在案的履职活动。")),
        "{texts:?}"
    );
    assert_eq!(app.get(Some(&town.deputy), &wu_url).await.status(), 403);
    assert_eq!(app.get(Some(&other.presidium), &url).await.status(), 404);
    assert_eq!(app.get(None, &url).await.status(), 401);
    for nonsense in [
        format!("/documents/deputies/{}/nonsense.docx", town.yang),
        format!("/documents/deputies/nonsense/{year}.docx"),
        format!("/documents/deputies/{}/{year}.pdf", town.yang),
    ] {
        assert_eq!(
            app.get(Some(&town.presidium), &nonsense).await.status(),
            404,
            "{nonsense}"
        );
    }
    let far = app
        .get(
            Some(&town.presidium),
            &format!("/documents/deputies/{}/1800.docx", town.yang),
        )
        .await;
    assert_eq!(far.status(), 400, "a year nobody plans in");
}
