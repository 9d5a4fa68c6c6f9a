//! Every text typed into the workbench's forms comes back escaped on every page that shows it.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

e2e!(text_typed_into_any_field_comes_back_escaped_on_every_page);
/// A `<script>` typed into every text field the forms have is stored as typed and printed as
/// text wherever it shows: no page ever carries it as markup.
async fn text_typed_into_any_field_comes_back_escaped_on_every_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let evil = "<script>alert(1)</script>\"'&";
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let created = presidium
        .submit(
            "/projects/new",
            "/projects",
            &[
                ("title", evil),
                ("origin", "OTHER"),
                ("location", evil),
                ("description", evil),
            ],
        )
        .await;
    let project = created
        .location
        .unwrap()
        .trim_start_matches("/projects/")
        .trim_end_matches("#add")
        .to_string();
    let page = format!("/projects/{project}");
    presidium
        .submit(
            &page,
            &format!("{page}/milestones"),
            &[
                ("title", evil),
                ("leader", &town.li),
                ("unit", &town.cunjian),
                ("deadline", &day(-1)),
                ("description", evil),
            ],
        )
        .await;
    let id = town.first_milestone(&app, &project).await;
    let m_page = format!("/milestones/{id}");
    let leader = Visitor::new(&app, Some(&town.liming));
    leader
        .submit(
            &m_page,
            &format!("{m_page}/progress"),
            &[("progress", "30"), ("note", evil)],
        )
        .await;
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let fields = [
        ("project", project.as_str()),
        ("kind", "VISIT"),
        ("participants", &town.yang),
        ("date", &day(0)),
        ("location", evil),
        ("summary", evil),
        ("f1_description", evil),
        ("f1_leader", &town.li),
        ("f1_unit", &town.cunjian),
        ("f1_deadline", &day(5)),
    ];
    let logged = deputy
        .submit_multipart("/inspections", "/inspections", &fields, Vec::new())
        .await;
    assert_eq!(logged.status, 303, "{}", logged.html);
    // A refused form prints back what was typed: escaped too.
    let refused = presidium
        .submit(
            &page,
            &format!("{page}/milestones"),
            &[("title", evil), ("deadline", "never")],
        )
        .await;
    assert_eq!(refused.status, 422);

    let stored = app
        .ok(
            &town.presidium,
            "query($id:ID!){ project(id:$id){ title } }",
            json!({ "id": project }),
        )
        .await;
    assert_eq!(stored["project"]["title"], evil, "stored as typed");
    let mut pages = vec![
        ("/".to_string(), presidium.get("/").await),
        (page.clone(), presidium.get(&page).await),
        (m_page.clone(), presidium.get(&m_page).await),
        (
            "/items?state=overdue".into(),
            presidium.get("/items?state=overdue").await,
        ),
        ("/mine".into(), leader.get("/mine").await),
        ("/findings".into(), leader.get("/findings").await),
        ("refused form".into(), refused),
    ];
    pages.push(("/findings (deputy)".into(), deputy.get("/findings").await));

    // A finding's page, with a rectification and a rejection typed the same way.
    let finding = leader.get("/findings").await.after("id=\"finding-");
    let f_page = format!("/findings/{finding}");
    leader
        .submit(
            &f_page,
            &format!("{f_page}/resolve"),
            &[("resolution", evil)],
        )
        .await;
    deputy
        .submit(&f_page, &format!("{f_page}/reject"), &[("note", evil)])
        .await;
    pages.push((f_page.clone(), presidium.get(&f_page).await));

    // A supervision order written by hand, and its recipient's answer.
    presidium
        .submit(
            &m_page,
            &format!("{m_page}/order"),
            &[("date", &day(3)), ("body", evil)],
        )
        .await;
    let inbox = leader.get("/notices").await;
    let notice = inbox.after("id=\"notice-");
    leader
        .submit(
            "/notices",
            &format!("/notices/{notice}/reply"),
            &[("reply", evil)],
        )
        .await;
    pages.push(("/notices".into(), presidium.get("/notices").await));

    // People and accounts: a unit, a person and their title; a username refused prints back.
    presidium
        .submit("/people", "/people/units", &[("unit_name", evil)])
        .await;
    presidium
        .submit(
            "/people",
            "/people/people",
            &[("name", evil), ("title", evil)],
        )
        .await;
    let refused_account = presidium
        .submit(
            "/people",
            "/people/accounts",
            &[("username", evil), ("role", "DEPUTY")],
        )
        .await;
    assert_eq!(refused_account.status, 422, "{}", refused_account.html);
    pages.push(("refused account".into(), refused_account));
    pages.push(("/people".into(), presidium.get("/people").await));

    // A suggestion, its answer and rating; a letter; each refused form prints back too.
    let registered = deputy
        .submit(
            "/suggestions",
            "/suggestions",
            &[
                ("title", evil),
                ("content", evil),
                ("category", evil),
                ("source", "INTERSESSION"),
                ("received", &day(0)),
            ],
        )
        .await;
    assert_eq!(registered.status, 303, "{}", registered.html);
    let suggestion = registered
        .location
        .unwrap()
        .replace("?notice=registered", "");
    presidium
        .submit(
            &suggestion,
            &format!("{suggestion}/assign"),
            &[("unit", &town.cunjian), ("leader", &town.li)],
        )
        .await;
    let answered = leader
        .submit(
            &suggestion,
            &format!("{suggestion}/answer"),
            &[("class", "B"), ("text", evil), ("date", &day(0))],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    deputy
        .submit(
            &suggestion,
            &format!("{suggestion}/rate"),
            &[("rating", "DISSATISFIED"), ("note", evil)],
        )
        .await;
    let refused_suggestion = deputy
        .submit(
            "/suggestions",
            "/suggestions",
            &[
                ("title", evil),
                ("content", ""),
                ("source", "INTERSESSION"),
                ("received", &day(0)),
            ],
        )
        .await;
    assert_eq!(refused_suggestion.status, 422);
    pages.push(("refused suggestion".into(), refused_suggestion));
    pages.push((suggestion.clone(), deputy.get(&suggestion).await));
    pages.push(("/suggestions".into(), presidium.get("/suggestions").await));
    let logged = deputy
        .submit(
            "/contacts",
            "/contacts",
            &[
                ("kind", "LETTER"),
                ("received", &day(0)),
                ("name", evil),
                ("phone", evil),
                ("summary", evil),
                ("receivers", &town.yang),
            ],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.html);
    let refused_contact = deputy
        .submit(
            "/contacts",
            "/contacts",
            &[
                ("kind", "LETTER"),
                ("received", "never"),
                ("summary", evil),
                ("receivers", &town.yang),
            ],
        )
        .await;
    assert_eq!(refused_contact.status, 422);
    pages.push(("refused contact".into(), refused_contact));
    pages.push(("/contacts".into(), presidium.get("/contacts").await));
    // The workbench's one script of its own, from this server; nothing else.
    let own = r#"<script src="/assets/live.js" defer></script>"#;
    for (name, answer) in &pages {
        assert!(
            !answer.html.replacen(own, "", 1).contains("<script"),
            "{name} carries a script:\n{}",
            answer.html
        );
        assert!(
            (answer.html.contains("&lt;script&gt;") || answer.html.contains("&#60;script&#62;")),
            "{name} does not show the text:\n{}",
            answer.html
        );
    }
}
