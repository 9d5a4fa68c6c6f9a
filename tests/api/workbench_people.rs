//! 人员与账号 at the workbench: the presidium adds a unit and a person, opens the person's
//! account with a one-time password shown once, resets it, disables and enables the account;
//! every other role is refused the page and its forms, and nothing is written for them.

use jiandu_tests::town::Town;
use jiandu_tests::web::{Answer, Visitor};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

/// The one-time password an answer shows, if any.
fn handed(answer: &Answer) -> Option<String> {
    answer
        .html
        .contains("class=\"password\"")
        .then(|| answer.after("<code class=\"password\">"))
        .map(|rest| rest.split('<').next().unwrap_or_default().to_string())
}

async fn sign_in(app: &TestApp, username: &str, password: &str) -> Value {
    app.gql(
        None,
        "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token user { mustChangePassword } } }",
        json!({ "u": username, "p": password }),
    )
    .await
}

/// The id of the unit or person (`list`) called `name`, as the API lists them.
async fn id_named(app: &TestApp, town: &Town, list: &str, name: &str) -> String {
    let listed = app
        .ok(
            &town.presidium,
            &format!("{{ {list} {{ id name }} }}"),
            json!({}),
        )
        .await;
    listed[list]
        .as_array()
        .unwrap()
        .iter()
        .find(|row| row["name"] == name)
        .map(|row| row["id"].as_str().unwrap().to_string())
        .unwrap_or_else(|| panic!("no {name} in {listed}"))
}

async fn usernames(app: &TestApp, town: &Town) -> Vec<String> {
    let users = app
        .ok(&town.presidium, "{ users { username } }", json!({}))
        .await;
    users["users"]
        .as_array()
        .unwrap()
        .iter()
        .map(|u| u["username"].as_str().unwrap().to_string())
        .collect()
}

e2e!(the_presidium_opens_an_account_with_a_one_time_password_and_looks_after_it);
/// A unit and a person added on the page appear on it; the account opened for the person shows
/// its password once, which signs in only to choose a new one; a taken username is refused next
/// to the form with nothing shown; a reset gives a new password and the old one stops working;
/// a disabled account cannot sign in until it is enabled again.
async fn the_presidium_opens_an_account_with_a_one_time_password_and_looks_after_it(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let added = presidium
        .submit("/people", "/people/units", &[("unit_name", "应急办")])
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    assert!(presidium.get("/people").await.html.contains("应急办"));
    let unit = id_named(&app, &town, "units", "应急办").await;
    let added = presidium
        .submit(
            "/people",
            "/people/people",
            &[("name", "周敏"), ("title", "副镇长"), ("unit", &unit)],
        )
        .await;
    assert_eq!(added.status, 303, "{}", added.html);
    let page = presidium.get("/people").await;
    assert!(page.html.contains("周敏") && page.html.contains("副镇长"));
    let person = id_named(&app, &town, "people", "周敏").await;
    let opened = presidium
        .submit(
            "/people",
            "/people/accounts",
            &[
                ("person", &person),
                ("username", "zhoumin"),
                ("role", "LEADER"),
            ],
        )
        .await;
    assert_eq!(opened.status, 200, "{}", opened.html);
    let password = handed(&opened).expect("the one-time password is shown");
    assert_eq!(password.chars().count(), 16);
    assert!(!presidium.get("/people").await.html.contains(&password));
    let first = sign_in(&app, "zhoumin", &password).await;
    assert_eq!(first["data"]["login"]["user"]["mustChangePassword"], true);
    let token = first["data"]["login"]["token"].as_str().unwrap();
    // The new account reaches only the page that sets its own password.
    let newcomer = Visitor::new(&app, Some(token));
    assert_eq!(
        newcomer.get("/mine").await.location.as_deref(),
        Some("/password")
    );

    let taken = presidium
        .submit(
            "/people",
            "/people/accounts",
            &[("username", "zhoumin"), ("role", "VIEWER")],
        )
        .await;
    assert_eq!(taken.status, 409, "{}", taken.html);
    assert!(taken.refusal().is_some() && handed(&taken).is_none());
    assert_eq!(
        usernames(&app, &town)
            .await
            .iter()
            .filter(|u| *u == "zhoumin")
            .count(),
        1
    );

    let users = app
        .ok(&town.presidium, "{ users { id username } }", json!({}))
        .await;
    let account = users["users"]
        .as_array()
        .unwrap()
        .iter()
        .find(|u| u["username"] == "zhoumin")
        .map(|u| u["id"].as_str().unwrap().to_string())
        .unwrap();
    let reset = presidium
        .submit("/people", &format!("/people/accounts/{account}/reset"), &[])
        .await;
    assert_eq!(reset.status, 200, "{}", reset.html);
    let second = handed(&reset).expect("a new one-time password");
    assert_ne!(second, password);
    assert_eq!(
        code(&sign_in(&app, "zhoumin", &password).await),
        "UNAUTHENTICATED"
    );
    assert!(sign_in(&app, "zhoumin", &second).await["data"]["login"]["token"].is_string());

    let disabled = presidium
        .submit(
            "/people",
            &format!("/people/accounts/{account}/disable"),
            &[],
        )
        .await;
    assert_eq!(disabled.status, 303, "{}", disabled.html);
    assert!(presidium.get("/people").await.html.contains("已停用"));
    assert_eq!(
        code(&sign_in(&app, "zhoumin", &second).await),
        "UNAUTHENTICATED"
    );
    let enabled = presidium
        .submit(
            "/people",
            &format!("/people/accounts/{account}/enable"),
            &[],
        )
        .await;
    assert_eq!(enabled.status, 303, "{}", enabled.html);
    assert!(sign_in(&app, "zhoumin", &second).await["data"]["login"]["token"].is_string());
}

e2e!(only_the_presidium_reaches_people_and_accounts);
/// Deputies, leaders and the read-only account are refused the page and each of its forms
/// (posted with their own valid token), and no unit, person or account is written.
async fn only_the_presidium_reaches_people_and_accounts(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let before = usernames(&app, &town).await;
    let listed = "{ units { name } people { name } }";
    let written_before = app.ok(&town.presidium, listed, json!({})).await;
    for who in [&town.deputy, &town.liming, &town.viewer] {
        let visitor = Visitor::new(&app, Some(who));
        assert_eq!(visitor.get("/people").await.status, 403);
        let csrf = visitor.get("/").await.csrf();
        for (action, fields) in [
            ("/people/units", vec![("unit_name", "冒名单位")]),
            ("/people/people", vec![("name", "冒名人员")]),
            (
                "/people/accounts",
                vec![("username", "intruder"), ("role", "PRESIDIUM")],
            ),
        ] {
            let mut all = vec![("csrf", csrf.as_str())];
            all.extend(fields);
            let refused = visitor.post(action, &all).await;
            assert_eq!(refused.status, 403, "{action}: {}", refused.html);
        }
    }
    // The presidium's own menu offers the page; nobody else's does.
    assert!(
        Visitor::new(&app, Some(&town.presidium))
            .get("/")
            .await
            .html
            .contains("href=\"/people\"")
    );
    assert!(
        !Visitor::new(&app, Some(&town.deputy))
            .get("/")
            .await
            .html
            .contains("href=\"/people\"")
    );
    assert_eq!(usernames(&app, &town).await, before);
    assert_eq!(
        app.ok(&town.presidium, listed, json!({})).await,
        written_before
    );
}
