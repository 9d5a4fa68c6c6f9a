//! The refusals outside the supervised records say their rule too: passwords, accounts,
//! webhooks, lists and the month's bulletin answer with a reason code and its values, and the
//! workbench says them in Chinese.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{PASSWORD, TestApp, code, e2e};
use serde_json::json;

e2e!(refusals_about_accounts_webhooks_and_lists_name_their_rule);
async fn refusals_about_accounts_webhooks_and_lists_name_their_rule(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let me = app.ok(&town.presidium, "{ me { id } }", json!({})).await["me"]["id"].clone();
    let password =
        "mutation($c:String!,$n:String!){ changePassword(currentPassword:$c, newPassword:$n) }";
    let webhook = "mutation($i:CreateWebhookInput!){ createWebhook(input:$i){ id } }";
    let this_month = day(0)[..7].to_string();
    let (year, month): (i64, i64) = (
        this_month[..4].parse().unwrap(),
        this_month[5..].parse().unwrap(),
    );
    let (next_year, next_month) = if month == 12 {
        (year + 1, 1)
    } else {
        (year, month + 1)
    };
    let bulletin = "query($y:Int!,$m:Int!){ bulletin(year:$y, month:$m){ title } }";
    let cases = [
        (
            "a wrong current password",
            password,
            json!({ "c": "not-the-password", "n": "a-new-good-password" }),
            "WRONG_PASSWORD",
            json!({}),
        ),
        (
            "a short new password",
            password,
            json!({ "c": PASSWORD, "n": "short" }),
            "LENGTH",
            json!({ "min": 8, "max": 256 }),
        ),
        (
            "the same password again",
            password,
            json!({ "c": PASSWORD, "n": PASSWORD }),
            "UNCHANGED",
            json!({}),
        ),
        (
            "disabling one's own account",
            "mutation($id:ID!){ disableUser(id:$id){ id } }",
            json!({ "id": me }),
            "OWN_ACCOUNT",
            json!({}),
        ),
        (
            "a webhook that is not a web address",
            webhook,
            json!({ "i": { "url": "ftp://example.com/hook", "kind": "DINGTALK" } }),
            "NOT_AN_ADDRESS",
            json!({}),
        ),
        (
            "a generic webhook without its secret",
            webhook,
            json!({ "i": { "url": "https://example.com/hook", "kind": "GENERIC" } }),
            "REQUIRED",
            json!({}),
        ),
        (
            "a secret not in the standard's form",
            webhook,
            json!({ "i": { "url": "https://example.com/hook", "kind": "GENERIC", "secret": "abc" } }),
            "NOT_A_SECRET",
            json!({}),
        ),
        (
            "a secret for a robot that takes none",
            webhook,
            json!({ "i": { "url": "https://example.com/hook", "kind": "WECOM", "secret": "abc" } }),
            "NOT_FOR_THIS_KIND",
            json!({}),
        ),
        (
            "a page too long",
            "{ projects(first: 1000) { totalCount } }",
            json!({}),
            "OUT_OF_RANGE",
            json!({ "min": 0, "max": 100 }),
        ),
        (
            "a cursor the list never gave",
            "{ projects(first: 10, after: \"not-a-cursor\") { totalCount } }",
            json!({}),
            "NOT_A_CURSOR",
            json!({}),
        ),
        (
            "a thirteenth month",
            bulletin,
            json!({ "y": year, "m": 13 }),
            "OUT_OF_RANGE",
            json!({ "min": 1, "max": 12 }),
        ),
        (
            "a month not begun",
            bulletin,
            json!({ "y": next_year, "m": next_month }),
            "IN_FUTURE",
            json!({ "today": day(0) }),
        ),
    ];
    for (name, query, variables, reason, params) in cases {
        let body = app.gql(Some(&town.presidium), query, variables).await;
        assert_eq!(code(&body), "VALIDATION_FAILED", "{name}: {body}");
        let extensions = &body["errors"][0]["extensions"];
        assert_eq!(extensions["reason"], reason, "{name}: {body}");
        assert_eq!(extensions["params"], params, "{name}: {body}");
    }
    // Nothing of that was kept: the password is still the one it was.
    app.login(&app.username(&town.presidium).await, PASSWORD)
        .await;

    // The workbench says the rule, not 「密码」填写有误.
    let visitor = Visitor::new(&app, Some(&town.presidium));
    let refused = visitor
        .submit(
            "/password",
            "/password",
            &[
                ("current", "not-the-password"),
                ("new", "a-new-good-password"),
                ("repeat", "a-new-good-password"),
            ],
        )
        .await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert_eq!(refused.refusal().unwrap(), "当前密码不对，请重新输入。");
    let short = visitor
        .submit(
            "/password",
            "/password",
            &[("current", PASSWORD), ("new", "short"), ("repeat", "short")],
        )
        .await;
    assert_eq!(
        short.refusal().unwrap(),
        "「新密码」须为8到256个字符。",
        "{}",
        short.html
    );
}
