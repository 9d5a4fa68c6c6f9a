//! Imports cannot be multiplied: one at a time per organisation, and a reading stops when the
//! request that asked for it ends (service::import::turns).

use std::time::{Duration, Instant};

use jiandu_tests::{TestApp, code, e2e};
use rust_xlsxwriter::Workbook;

use crate::import::{EMPTY, count, empty_town, imported, office_ledger, short_headers};

/// Two imports of one ledger at once: one creates it; the other finds it there, or (while the
/// first is under way) is refused with CONFLICT, one import at a time per organisation.
async fn two_imports_of_one_ledger_at_once_create_it_once(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let (first, second) = tokio::join!(
        app.import_ledger(&presidium, office_ledger(), false),
        app.import_ledger(&presidium, office_ledger(), false)
    );
    let created: Vec<Option<i64>> = [&first, &second]
        .iter()
        .map(|answer| match answer.get("errors") {
            Some(_) if code(answer) == "CONFLICT" => None,
            _ => Some(imported(answer)["milestonesCreated"].as_i64().unwrap()),
        })
        .collect();
    assert!(
        [
            [Some(4), Some(0)],
            [Some(0), Some(4)],
            [Some(4), None],
            [None, Some(4)]
        ]
        .contains(&[created[0], created[1]]),
        "{created:?}"
    );
    assert_eq!(count(&app, &presidium).await, (2, 4, 4, 2));
}
e2e!(two_imports_of_one_ledger_at_once_create_it_once);

/// A ledger that takes the reader a while: the most rows allowed, numbers across 60 columns
/// (numbers, so that nothing is read before its cells are).
fn slow_ledger() -> Vec<u8> {
    let mut workbook = Workbook::new();
    let sheet = workbook.add_worksheet_with_constant_memory().unwrap();
    short_headers(sheet);
    for r in 1..=jiandu_api::service::import::MAX_ROWS {
        for c in 5..64u16 {
            sheet
                .write_number(r, c, f64::from(r) + f64::from(c))
                .unwrap();
        }
    }
    workbook.save_to_buffer().unwrap()
}

async fn an_import_stops_with_its_request(app: TestApp) {
    let presidium = empty_town(&app, "思蒙镇").await;
    let slow = slow_ledger();
    // Whether another import of this organisation is under way: a small dry run is refused.
    let busy = || async {
        let answer = app.import_ledger(&presidium, office_ledger(), true).await;
        match answer.get("errors") {
            Some(_) => {
                assert_eq!(code(&answer), "CONFLICT", "{answer:#}");
                true
            }
            None => false,
        }
    };
    let send_slow = || {
        let (base, token, slow) = (app.base.clone(), presidium.clone(), slow.clone());
        let client = app.client.clone();
        tokio::spawn(async move {
            let operations = serde_json::json!({
                "query": "mutation($f:Upload!){ importLedger(file:$f,dryRun:true){ dryRun } }",
                "variables": { "f": null },
            });
            let form = reqwest::multipart::Form::new()
                .text("operations", operations.to_string())
                .text("map", r#"{"0":["variables.f"]}"#)
                .part(
                    "0",
                    reqwest::multipart::Part::bytes(slow).file_name("台账.xlsx"),
                );
            client
                .post(format!("{base}/graphql"))
                .bearer_auth(token)
                .header("graphql-preflight", "1")
                .multipart(form)
                .send()
                .await
        })
    };
    // The slow one holds the organisation's turn while it reads (looked at from a moment after
    // it is sent: a look that came first would turn it away, and it is sent again) …
    let mut reading = None;
    for _ in 0..5 {
        let sent = send_slow();
        tokio::time::sleep(Duration::from_millis(200)).await;
        let started = Instant::now();
        let mut held = false;
        while !held && !sent.is_finished() && started.elapsed() < Duration::from_secs(20) {
            held = busy().await;
        }
        if held {
            reading = Some(sent);
            break;
        }
    }
    let reading = reading.expect("the slow import was seen under way");
    // … and lets it go soon after its client hangs up, not when the reading would have ended.
    reading.abort();
    let hung_up = Instant::now();
    while busy().await {
        assert!(
            hung_up.elapsed() < Duration::from_secs(3),
            "the reading went on after its request ended"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let freed = hung_up.elapsed();
    // The reading alone takes longer than the wait allowed above.
    // On a second server with time for it: in a debug build on a busy machine the whole read
    // may take longer than a request's usual limit.
    let patient = app.replica_with(|c| c.request_timeout_secs = 300).await;
    let whole = Instant::now();
    let answer = patient.import_ledger(&presidium, slow, true).await;
    let reading_takes = whole.elapsed();
    // Read whole, its rows name no project: refused, with nothing written.
    assert_eq!(code(&answer), "VALIDATION_FAILED", "{answer:#}");
    assert!(
        reading_takes > freed * 2,
        "read whole in {reading_takes:?}, freed {freed:?} after the hang-up"
    );
    eprintln!(
        "the slow ledger reads in {reading_takes:?}; its turn was free {freed:?} after the hang-up"
    );
    assert_eq!(count(&app, &presidium).await, EMPTY);
}
e2e!(an_import_stops_with_its_request);
