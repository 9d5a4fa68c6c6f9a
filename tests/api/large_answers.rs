//! Large answers — a list of more than a couple of hundred objects at once, such as a county's
//! people or deputies' records — are built four at a time however many ask, so that the memory
//! they take stays bounded (docs/performance.md "Memory"): every one is answered, a request
//! asking for two of them waits for one turn only, and every turn is given back.

use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use futures::future::join_all;
use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

/// More people than a large answer begins at (`LARGE_LIST`, 200).
const PEOPLE: usize = 205;

async fn large_answers_are_built_a_few_at_a_time_and_all_answered(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    for i in 0..PEOPLE {
        town.new_deputy(&app, &format!("代表{i:03}")).await;
    }
    // Two large lists in each request, more requests than there are turns; each request lasts
    // two seconds (the test hook `testSlow`), holding its turn until its answer is built.
    let asked = (0..5).map(|_| {
        app.ok(
            &town.presidium,
            "{ people{ name } again: people{ id } testSlow: me{ username } }",
            json!({}),
        )
    });
    // How many are being built, watched while they are asked for.
    let done = AtomicBool::new(false);
    let answering = async {
        let answers = tokio::time::timeout(Duration::from_secs(30), join_all(asked))
            .await
            .expect("every large answer is built in its turn");
        done.store(true, Ordering::Relaxed);
        answers
    };
    let watching = async {
        let mut most = 0;
        while !done.load(Ordering::Relaxed) {
            most = most.max(app.metric("jiandu_large_answers_building").await);
            tokio::time::sleep(Duration::from_millis(1)).await;
        }
        most
    };
    let (answers, most) = tokio::join!(answering, watching);
    assert_eq!(most, 4, "large answers take turns, four at once");
    for answer in &answers {
        let people = answer["people"].as_array().expect("people");
        assert!(people.len() > PEOPLE, "{} people", people.len());
        assert_eq!(answer["again"].as_array().map(Vec::len), Some(people.len()));
    }
    assert_eq!(
        app.metric("jiandu_large_answers_building").await,
        0,
        "every turn is given back once its answer is built"
    );
}
e2e!(large_answers_are_built_a_few_at_a_time_and_all_answered);
