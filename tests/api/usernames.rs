//! Usernames are told apart as people read them: `RENDA`, full-width `ｒｅｎｄａ` and ` renda `
//! are one name, stored once and signed in with however it is typed.

use jiandu_tests::town::Town;
use jiandu_tests::{PASSWORD, TestApp, code, e2e, execute_numbered};
use sea_orm::Database;
use serde_json::json;

const CREATE: &str = "mutation($u:String!,$p:String!){ createUser(input:{username:$u,password:$p,role:VIEWER}){ username } }";

/// The account `typed` signs in to (with [`PASSWORD`]), by its username.
async fn signs_in_as(app: &TestApp, typed: &str) -> String {
    let body = app
        .gql(
            None,
            "mutation($u:String!,$p:String!){ login(username:$u, password:$p){ user { username } } }",
            json!({ "u": typed, "p": PASSWORD }),
        )
        .await;
    body["data"]["login"]["user"]["username"]
        .as_str()
        .unwrap_or_else(|| panic!("{typed:?} signs in: {body}"))
        .to_string()
}

e2e!(usernames_differing_only_in_case_width_or_spaces_are_one);
async fn usernames_differing_only_in_case_width_or_spaces_are_one(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let t = town.presidium.as_str();
    let created = app
        .ok(t, CREATE, json!({ "u": " Zhang.Wei ", "p": PASSWORD }))
        .await;
    assert_eq!(created["createUser"]["username"], "zhang.wei");
    for again in [
        "zhang.wei",
        "ZHANG.WEI",
        "ｚｈａｎｇ.ｗｅｉ",
        "Ｚhang.Wei\u{3000}",
    ] {
        let body = app
            .gql(Some(t), CREATE, json!({ "u": again, "p": PASSWORD }))
            .await;
        assert_eq!(code(&body), "CONFLICT", "{again:?}: {body}");
    }
    for typed in ["zhang.wei", "ZHANG.WEI", "ｚｈａｎｇ.ｗｅｉ", " Zhang.Wei"] {
        assert_eq!(signs_in_as(&app, typed).await, "zhang.wei", "{typed:?}");
    }

    // An account named before the rule, in capitals: its name is still taken in any case, and
    // it still signs in as it was written.
    let db = Database::connect(app.database_url()).await.unwrap();
    execute_numbered(
        &db,
        "UPDATE app_user SET username = $1 WHERE username = $2",
        vec!["Old.Clerk".into(), "zhang.wei".into()],
    )
    .await;
    let body = app
        .gql(Some(t), CREATE, json!({ "u": "OLD.clerk", "p": PASSWORD }))
        .await;
    assert_eq!(code(&body), "CONFLICT", "{body}");
    assert_eq!(signs_in_as(&app, "Old.Clerk").await, "Old.Clerk");
    let users = app.ok(t, "{ users { username } }", json!({})).await;
    let names: Vec<&str> = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap())
        .collect();
    assert_eq!(
        names
            .iter()
            .filter(|n| n.eq_ignore_ascii_case("old.clerk"))
            .count(),
        1,
        "{names:?}"
    );
}
