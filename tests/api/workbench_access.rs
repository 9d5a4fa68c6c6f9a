//! The workbench's doors: signing in and out with the cookie, the CSRF token on every form, who
//! may open which page, and what the pages tell browsers (CSP, no caching, Secure over https).

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::{Visitor, csrf_of};
use jiandu_tests::{PASSWORD, TestApp, code, e2e};
use serde_json::json;

/// Every page a signed-in person may open, by path.
const PAGES: [&str; 19] = [
    "/",
    "/mine",
    "/items?state=overdue",
    "/items?state=due_soon",
    "/findings",
    "/dashboard",
    "/password",
    "/projects/new",
    "/inspections",
    "/people",
    "/notices",
    "/suggestions",
    "/suggestions?status=all",
    "/contacts",
    "/meetings",
    "/livelihood",
    "/report",
    "/report/suggestions",
    "/login",
];

e2e!(signing_in_sets_an_http_only_cookie_and_signing_out_ends_the_session);
/// The sign-in form carries a CSRF token matched by its own cookie; a wrong password is told in
/// Chinese and sets no session; the right one sets the session cookie (HttpOnly, SameSite=Lax,
/// not Secure over plain http, Secure behind an https proxy) and opens the board; signing out
/// revokes the session itself, not only the cookie.
async fn signing_in_sets_an_http_only_cookie_and_signing_out_ends_the_session(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let username = app.username(&town.liming).await;
    let stranger = Visitor::new(&app, None);
    let form = stranger.get("/login").await;
    assert_eq!(form.status, 200);
    let csrf = form.csrf();
    let csrf_cookie = form
        .set_cookies
        .iter()
        .find(|c| c.starts_with("jiandu_login_csrf="))
        .expect("the form's CSRF cookie")
        .split(';')
        .next()
        .unwrap()
        .to_string();

    // Without the cookie the token proves nothing: another site's form cannot sign anyone in.
    let forged = stranger
        .post(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", &username),
                ("password", PASSWORD),
            ],
        )
        .await;
    assert_eq!(forged.status, 422);
    assert!(
        forged
            .set_cookies
            .iter()
            .all(|c| !c.starts_with("jiandu_session="))
    );

    let wrong = stranger
        .post_with(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", &username),
                ("password", "not-the-password"),
            ],
            Some(&csrf_cookie),
        )
        .await;
    assert_eq!(wrong.status, 422);
    assert_eq!(
        wrong.refusal().as_deref(),
        Some("用户名或密码不正确，或账号已停用。")
    );
    assert!(
        wrong
            .set_cookies
            .iter()
            .all(|c| !c.starts_with("jiandu_session="))
    );

    let signed = stranger
        .post_with(
            "/login",
            &[
                ("csrf", &csrf),
                ("username", &username),
                ("password", PASSWORD),
            ],
            Some(&csrf_cookie),
        )
        .await;
    assert_eq!(
        (signed.status, signed.location.as_deref()),
        (303, Some("/"))
    );
    let session = signed
        .set_cookies
        .iter()
        .find(|c| c.starts_with("jiandu_session="))
        .expect("the session cookie");
    assert!(
        session.contains("; HttpOnly") && session.contains("; SameSite=Lax"),
        "{session}"
    );
    assert!(!session.contains("Secure"), "{session}");
    let token = session["jiandu_session=".len()..]
        .split(';')
        .next()
        .unwrap()
        .to_string();

    let leader = Visitor::new(&app, Some(&token));
    let board = leader.get("/").await;
    assert_eq!(board.status, 200);
    assert!(board.html.contains("思蒙国家湿地公园健身步道风雨桥"));
    assert!(board.html.contains("李明（副镇长）"));

    // Behind the trusted https proxy the cookie is Secure.
    let behind_proxy = reqwest::Client::new()
        .get(format!("{}/login", app.base))
        .header("x-forwarded-proto", "https")
        .send()
        .await
        .unwrap();
    let cookie = behind_proxy.headers()["set-cookie"]
        .to_str()
        .unwrap()
        .to_string();
    assert!(cookie.ends_with("; Secure"), "{cookie}");

    let out = leader.post("/logout", &[("csrf", &board.csrf())]).await;
    assert_eq!((out.status, out.location.as_deref()), (303, Some("/login")));
    assert!(
        out.set_cookies
            .iter()
            .any(|c| c.starts_with("jiandu_session=;") && c.contains("Max-Age=0"))
    );
    // The session is over for the API too.
    app.refused(&token, "{ me { username } }", json!({}), "UNAUTHENTICATED")
        .await;
    assert_eq!(leader.get("/").await.location.as_deref(), Some("/login"));
}

e2e!(every_page_sends_a_stranger_to_sign_in_and_refuses_a_form_without_its_token);
/// Nobody reaches a page without a session; a signed-in page forbids framing and inline
/// scripts and is kept by no cache; a form posted without this session's CSRF token changes
/// nothing.
async fn every_page_sends_a_stranger_to_sign_in_and_refuses_a_form_without_its_token(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(&app, json!({ "title": "招标", "deadline": day(10) }))
        .await;
    let stranger = Visitor::new(&app, None);
    for page in PAGES.iter().filter(|p| **p != "/login") {
        let answer = stranger.get(page).await;
        assert_eq!(
            (answer.status, answer.location.as_deref()),
            (303, Some("/login")),
            "{page}"
        );
    }
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let board = presidium.get("/").await;
    let csp = board.headers["content-security-policy"].to_str().unwrap();
    assert!(
        csp.contains("script-src 'self'") && csp.contains("frame-ancestors 'none'"),
        "{csp}"
    );
    assert_eq!(board.headers["cache-control"], "no-store");
    assert_eq!(board.headers["x-frame-options"], "DENY");

    let id = m["id"].as_str().unwrap();
    let progress = format!("/milestones/{id}/progress");
    for csrf in ["", "0123456789abcdef0123456789abcdef"] {
        let forged = presidium
            .post(&progress, &[("csrf", csrf), ("progress", "60")])
            .await;
        assert_eq!(forged.status, 403, "{}", forged.html);
    }
    // Another session's token is no better.
    let leader_token =
        csrf_of(&Visitor::new(&app, Some(&town.liming)).get("/").await.html).unwrap();
    let forged = presidium
        .post(&progress, &[("csrf", &leader_token), ("progress", "60")])
        .await;
    assert_eq!(forged.status, 403);
    let stored = app
        .ok(
            &town.presidium,
            "query($id:ID!){ milestone(id:$id){ progress version } }",
            json!({ "id": id }),
        )
        .await;
    assert_eq!(stored["milestone"]["progress"], 0);
    assert_eq!(stored["milestone"]["version"], m["version"]);
}

e2e!(each_role_opens_its_pages_and_is_refused_the_others);
/// The presidium opens every page; a deputy may log inspections but not create projects; a
/// leader and the read-only account neither; a project or milestone of another township does
/// not exist for them; a leader's 我的督办事项 lists what they answer for, not a colleague's.
async fn each_role_opens_its_pages_and_is_refused_the_others(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    town.milestone(&app, json!({ "title": "李明的招标", "deadline": day(-2) }))
        .await;
    town.milestone(
        &app,
        json!({ "title": "陈刚的征地", "deadline": day(20), "responsibleLeaderId": town.chen }),
    )
    .await;
    let foreign = other
        .milestone(&app, json!({ "title": "汉阳的节点", "deadline": day(5) }))
        .await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    for page in PAGES.iter().filter(|p| **p != "/login") {
        assert_eq!(status(&presidium, page).await, 200, "{page}");
    }
    let deputy = Visitor::new(&app, Some(&town.deputy));
    assert_eq!(status(&deputy, "/inspections").await, 200);
    assert_eq!(status(&deputy, "/projects/new").await, 403);
    for who in [&town.liming, &town.viewer] {
        let visitor = Visitor::new(&app, Some(who));
        assert_eq!(status(&visitor, "/").await, 200);
        assert_eq!(status(&visitor, "/dashboard").await, 200);
        assert_eq!(status(&visitor, "/report").await, 200);
        assert_eq!(status(&visitor, "/inspections").await, 403);
        assert_eq!(status(&visitor, "/projects/new").await, 403);
    }
    let foreign_pages = [
        format!("/projects/{}", other.bridge),
        format!("/milestones/{}", foreign["id"].as_str().unwrap()),
    ];
    for page in &foreign_pages {
        assert_eq!(presidium.get(page).await.status, 404, "{page}");
    }
    // A project that does not parse is as absent as one that does not exist.
    assert_eq!(presidium.get("/projects/not-an-id").await.status, 404);

    let mine = Visitor::new(&app, Some(&town.liming)).get("/mine").await;
    assert!(
        mine.html.contains("李明的招标") && mine.html.contains("逾期 2 天"),
        "{}",
        mine.html
    );
    assert!(!mine.html.contains("陈刚的征地"));
    let theirs = Visitor::new(&app, Some(&town.chengang)).get("/mine").await;
    assert!(theirs.html.contains("陈刚的征地") && !theirs.html.contains("李明的招标"));
    // The presidium's overdue list has the late one only.
    let overdue = presidium.get("/items?state=overdue").await;
    assert!(overdue.html.contains("李明的招标") && !overdue.html.contains("陈刚的征地"));

    // A read-only account sees the step forms of nobody.
    let id = foreign["id"].as_str().unwrap();
    let viewer_page = Visitor::new(&app, Some(&other.viewer))
        .get(&format!("/milestones/{id}"))
        .await;
    assert_eq!(viewer_page.status, 200);
    assert_eq!(
        viewer_page.html.matches("<form").count(),
        1,
        "only the sign-out form"
    );
}

async fn status(visitor: &Visitor<'_>, page: &str) -> u16 {
    visitor.get(page).await.status
}

e2e!(the_ledger_downloads_with_the_cookie_but_graphql_never_takes_it);
/// A download link on a page works with the session cookie (a GET that changes nothing); the
/// GraphQL endpoint answers a cookie-only request as a stranger's, so another site's form can
/// never act with it.
async fn the_ledger_downloads_with_the_cookie_but_graphql_never_takes_it(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    town.milestone(&app, json!({ "title": "招标", "deadline": day(10) }))
        .await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let ledger = presidium.get("/export/ledger.csv").await;
    assert_eq!(ledger.status, 200);
    assert!(ledger.html.contains("招标"));
    let cookie_only = jiandu_tests::answer_of(
        jiandu_tests::web::client()
            .post(format!("{}/graphql", app.base))
            .header("cookie", format!("jiandu_session={}", town.presidium))
            .header("content-type", "application/json")
            .body(r#"{"query":"{ me { username } projects { totalCount } }"}"#),
    )
    .await;
    assert_eq!(
        cookie_only["data"]["me"],
        serde_json::Value::Null,
        "{cookie_only}"
    );
    assert_eq!(code(&cookie_only), "UNAUTHENTICATED");
}

e2e!(sign_in_failures_at_the_workbench_count_with_the_apis);
/// Guessing at the sign-in form meets the API's limits: after ten failures from one client for
/// one name, the form says to wait, even for the right password, and the API refuses too.
async fn sign_in_failures_at_the_workbench_count_with_the_apis(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let username = app.username(&town.deputy).await;
    let stranger = Visitor::new(&app, None);
    let form = stranger.get("/login").await;
    let csrf = form.csrf();
    let cookie = format!("jiandu_login_csrf={csrf}");
    let attempt = |password: &'static str| {
        let fields = [
            ("csrf", csrf.clone()),
            ("username", username.clone()),
            ("password", password.to_string()),
        ];
        let stranger = &stranger;
        let cookie = cookie.clone();
        async move {
            let fields: Vec<(&str, &str)> = fields.iter().map(|(k, v)| (*k, v.as_str())).collect();
            stranger.post_with("/login", &fields, Some(&cookie)).await
        }
    };
    for _ in 0..10 {
        assert_eq!(attempt("wrong-password").await.status, 422);
    }
    let limited = attempt(PASSWORD).await;
    assert!(
        limited
            .refusal()
            .is_some_and(|r| r.contains("操作过于频繁")),
        "{:?}",
        limited.refusal()
    );
    let api = app
        .gql(
            None,
            "mutation($u:String!,$p:String!){ login(username:$u,password:$p){ token } }",
            json!({ "u": username, "p": PASSWORD }),
        )
        .await;
    assert_eq!(code(&api), "RATE_LIMITED");
}
