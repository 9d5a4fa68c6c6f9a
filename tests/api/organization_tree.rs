//! Who adds organisations: a county's standing committee its townships (at most
//! `--max-child-organizations` of them, counted one after the other however many ask at once); a
//! township none; a county itself is made on the command line.

use std::sync::Arc;

use jiandu_tests::town::Town;
use jiandu_tests::{Backend, TestApp, code};
use serde_json::{Value, json};

const CREATE: &str = "mutation($n:String!){ createOrganization(input:{name:$n}){ id } }";

async fn count_below(app: &TestApp, token: &str) -> usize {
    let tree = app
        .ok(token, "{ organizations { parent { id } } }", json!({}))
        .await;
    tree["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|o| !o["parent"].is_null())
        .count()
}

async fn a_county_adds_a_bounded_number_of_townships_and_a_township_none(backend: Backend) {
    let app = Arc::new(
        TestApp::spawn_with(backend, |config| {
            config.user_requests_per_second = 100_000;
            config.user_request_burst = 100_000;
            config.max_child_organizations = 3;
        })
        .await,
    );
    let (county, county_token) = app.organization("县人大常委会", None, None).await;
    let town = Town::setup_in(&app, "思蒙镇", Some(county)).await;
    let refused = app
        .gql(Some(&town.presidium), CREATE, json!({ "n": "新村" }))
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");

    // One township is there; five more asked for at once: two fit.
    let asks = (0..5).map(|n| {
        let (app, token) = (app.clone(), county_token.clone());
        tokio::spawn(async move {
            app.gql(Some(&token), CREATE, json!({ "n": format!("新设镇{n}") }))
                .await
        })
    });
    let mut answers: Vec<Value> = Vec::new();
    for ask in asks {
        answers.push(ask.await.unwrap());
    }
    let made = answers.iter().filter(|a| a.get("errors").is_none()).count();
    assert_eq!(made, 2, "{answers:#?}");
    for refused in answers.iter().filter(|a| a.get("errors").is_some()) {
        assert_eq!(code(refused), "VALIDATION_FAILED", "{refused}");
        assert_eq!(refused["errors"][0]["extensions"]["field"], "parentId");
    }
    assert_eq!(count_below(&app, &county_token).await, 3);
}

jiandu_tests::on_both_backends!(
    a_county_adds_a_bounded_number_of_townships_and_a_township_none
        => a_county_adds_a_bounded_number_of_townships_and_a_township_none_on_sqlite,
           a_county_adds_a_bounded_number_of_townships_and_a_township_none_on_postgres
);
