//! The ledger's 来信来访 sheet: every letter and visit by the day received, with where it was
//! transferred and its reply deadline's light; the constituent's name and phone for the
//! presidium of the township that received them, and for nobody else (not its viewer, not the
//! county above).

use jiandu_tests::ledger::text_table;
use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(the_ledger_lists_letters_and_visits_and_names_constituents_to_the_presidium_only);
async fn the_ledger_lists_letters_and_visits_and_names_constituents_to_the_presidium_only(
    app: TestApp,
) {
    let (county, county_presidium) = app
        .organization("丹棱县", Some("Asia/Shanghai"), None)
        .await;
    let town = Town::setup_in(&app, "思蒙镇", Some(county)).await;
    let log = "mutation($i:LogContactInput!){ logContact(input:$i){ id version } }";
    let letter = app
        .ok(
            &town.presidium,
            log,
            json!({ "i": { "kind": "LETTER", "receivedOn": day(-3), "constituentName": "张大爷",
                           "constituentPhone": "13800001111", "summary": "反映三组路灯不亮",
                           "receivedByIds": [town.yang] } }),
        )
        .await["logContact"]
        .clone();
    app.ok(
        &town.presidium,
        log,
        json!({ "i": { "kind": "VISIT", "receivedOn": day(-1), "summary": "咨询低保政策",
                       "receivedByIds": [town.yang] } }),
    )
    .await;
    // The letter goes to 村建办, to answer by today: its reply is due soon — and, nothing
    // reported three days after it came, red on the contacts page as in the ledger.
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$u:ID!,$d:Date!){ transferContact(id:$id, expectedVersion:$v, unitId:$u, replyDue:$d){ id } }",
        json!({ "id": letter["id"], "v": letter["version"], "u": town.cunjian, "d": day(0) }),
    )
    .await;
    let sheet = |token: String| {
        let app = &app;
        async move {
            let bytes = app
                .get(Some(&token), "/export/ledger.xlsx")
                .await
                .bytes()
                .await
                .unwrap();
            text_table(&bytes, "来信来访")
        }
    };
    let presidium = sheet(town.presidium.clone()).await;
    assert_eq!(
        presidium[0],
        [
            "收到日期",
            "方式",
            "来信来访人",
            "联系电话",
            "内容摘要",
            "状态",
            "转办单位",
            "答复期限",
            "答复日期",
            "答复情况",
            "期限状态",
            "亮灯"
        ]
    );
    assert_eq!(presidium.len(), 3, "{presidium:?}");
    assert_eq!(
        presidium[1][..8],
        [
            day(-3),
            "来信".into(),
            "张大爷".into(),
            "13800001111".into(),
            "反映三组路灯不亮".into(),
            "已转办".into(),
            "村建办".into(),
            day(0),
        ]
    );
    assert_eq!(presidium[1][10..], ["临近到期", "红灯"]);
    assert_eq!(presidium[2][1], "来访");
    for other in [town.viewer.clone(), county_presidium] {
        let rows = sheet(other).await;
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][4], "反映三组路灯不亮");
        assert_eq!(
            (rows[1][2].as_str(), rows[1][3].as_str()),
            ("", ""),
            "{rows:?}"
        );
    }
}
