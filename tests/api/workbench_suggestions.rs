//! 代表建议 and 来信来访 in the workbench, without JavaScript: a deputy registers a suggestion on
//! the phone, the presidium assigns it, the leader answers and attaches the written answer, the
//! deputy rejects the first answer and accepts the second, the presidium concludes it and makes
//! it a project; letters and visits are logged, transferred, replied and closed, and the
//! constituent's name and phone show on the presidium's page only.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

async fn stored(app: &TestApp, town: &Town, id: &str) -> Value {
    app.ok(
        &town.presidium,
        "query($id:ID!){ suggestion(id:$id){ number status round keyItem coSigners{ name } coUnits{ name } responsibleLeader{ name } answers{ round answerClass metDeputy feedback } attachments{ fileName } project{ id title } } }",
        json!({ "id": id }),
    )
    .await["suggestion"]
        .clone()
}

e2e!(a_suggestion_goes_from_registration_to_a_project_in_the_workbench);
async fn a_suggestion_goes_from_registration_to_a_project_in_the_workbench(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let list = deputy.get("/suggestions").await;
    assert_eq!(list.status, 200);
    assert!(
        list.html.contains("领衔代表：杨秀英（本人）"),
        "{}",
        list.html
    );
    assert!(
        !list.html.contains("name=\"deputy\""),
        "a deputy registers their own"
    );

    // Refused without a title: the page comes back with what was typed.
    let refused = deputy
        .submit(
            "/suggestions",
            "/suggestions",
            &[
                ("title", " "),
                ("content", "老街夜间照明不足"),
                ("source", "CONGRESS_SESSION"),
                ("received", &day(-3)),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.refusal().unwrap().contains("标题"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("老街夜间照明不足"));

    // Two more deputies of the town, who co-sign: the form offers deputies only.
    let deputy_named = |name: &'static str| {
        let app = &app;
        let token = town.presidium.clone();
        async move {
            app.ok(
                &token,
                "mutation($n:String!){ createPerson(input:{name:$n,title:\"人大代表\"}){ id } }",
                json!({ "n": name }),
            )
            .await["createPerson"]["id"]
                .as_str()
                .unwrap()
                .to_string()
        }
    };
    let (wu, wang) = (deputy_named("吴德华").await, deputy_named("王德").await);
    let form = deputy.get("/suggestions").await.html;
    assert!(form.contains(&wu) && form.contains(&wang), "{form}");
    assert!(
        !form.contains(&format!("value=\"{}\"", town.li)),
        "a 副镇长 is not offered as a co-signer"
    );
    let presidium_form = Visitor::new(&app, Some(&town.presidium))
        .get("/suggestions")
        .await
        .html;
    let leads = presidium_form
        .split("name=\"deputy\"")
        .nth(1)
        .and_then(|rest| rest.split("</select>").next())
        .unwrap_or_default()
        .to_string();
    assert!(
        leads.contains("杨秀英") && leads.contains("吴德华"),
        "{leads}"
    );
    assert!(
        !leads.contains("李明") && !leads.contains("刘芳"),
        "领衔代表 offers deputies only: {leads}"
    );

    let registered = deputy
        .submit(
            "/suggestions",
            "/suggestions",
            &[
                ("title", "思蒙场镇增设路灯"),
                ("content", "思蒙场镇老街夜间照明不足，建议增设路灯二十盏。"),
                ("category", "城乡建设"),
                ("source", "CONGRESS_SESSION"),
                ("received", &day(-3)),
                ("cosigners", &wu),
                ("cosigners", &wang),
            ],
        )
        .await;
    assert_eq!(registered.status, 303, "{}", registered.html);
    let location = registered.location.unwrap();
    let id = location
        .trim_start_matches("/suggestions/")
        .trim_end_matches("?notice=registered")
        .to_string();
    let page = format!("/suggestions/{id}");
    let s = stored(&app, &town, &id).await;
    assert_eq!(s["status"], "REGISTERED");
    let mut cosigners: Vec<&str> = s["coSigners"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    cosigners.sort();
    assert_eq!(cosigners, ["吴德华", "王德"]);
    let shown = deputy.get(&location).await;
    assert!(shown.html.contains("建议已登记"));
    assert!(shown.html.contains(s["number"].as_str().unwrap()));
    assert!(
        !shown.html.contains(&format!("{page}/assign")),
        "only the presidium assigns"
    );

    // The presidium assigns it to 李明 with 村建办 leading and 经发办 helping.
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let assigned = presidium
        .submit(
            &page,
            &format!("{page}/assign"),
            &[
                ("unit", &town.cunjian),
                ("counits", &town.jingfa),
                ("leader", &town.li),
                ("key", "on"),
            ],
        )
        .await;
    assert_eq!(assigned.status, 303, "{}", assigned.html);
    let s = stored(&app, &town, &id).await;
    assert_eq!(
        (
            s["status"].as_str(),
            s["keyItem"].as_bool(),
            s["coUnits"][0]["name"].as_str()
        ),
        (Some("ASSIGNED"), Some(true), Some("经发办"))
    );

    let dashboard = presidium.get("/dashboard").await;
    assert!(
        dashboard
            .html
            .contains("办理中 1 件</a>，其中答复逾期 0 件"),
        "{}",
        dashboard.html
    );

    // 李明 answers (class C), attaches the written answer; 陈刚 sees no answer form.
    let other_leader = Visitor::new(&app, Some(&town.chengang));
    assert!(
        !other_leader
            .get(&page)
            .await
            .html
            .contains(&format!("{page}/answer"))
    );
    let leader = Visitor::new(&app, Some(&town.liming));
    let answered = leader
        .submit(
            &page,
            &format!("{page}/answer"),
            &[
                ("class", "C"),
                ("text", "受资金限制，暂时难以实施。"),
                ("date", &day(0)),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let attached = leader
        .submit_multipart(
            &page,
            &format!("{page}/attach"),
            &[("caption", "书面答复函")],
            vec![("file", "答复函.pdf", pdf.to_vec())],
        )
        .await;
    assert_eq!(attached.status, 303, "{}", attached.html);
    let shown = deputy.get(&page).await;
    assert!(shown.html.contains("书面答复函"), "{}", shown.html);
    assert!(shown.html.contains("C类（因条件限制暂时难以解决）"));

    // 杨秀英 is not satisfied: a second round; the answer form is back for 李明.
    let rated = deputy
        .submit(
            &page,
            &format!("{page}/rate"),
            &[("rating", "DISSATISFIED"), ("note", "群众出行安全等不得")],
        )
        .await;
    assert_eq!(rated.status, 303, "{}", rated.html);
    let s = stored(&app, &town, &id).await;
    assert_eq!(
        (s["status"].as_str(), s["round"].as_i64()),
        (Some("ASSIGNED"), Some(2))
    );
    let again = leader
        .submit(
            &page,
            &format!("{page}/answer"),
            &[
                ("class", "A"),
                ("text", "已增设路灯二十盏。"),
                ("date", &day(0)),
                ("met", "on"),
            ],
        )
        .await;
    assert_eq!(again.status, 303, "{}", again.html);
    deputy
        .submit(&page, &format!("{page}/rate"), &[("rating", "SATISFIED")])
        .await;
    let concluded = presidium
        .submit(&page, &format!("{page}/conclude"), &[])
        .await;
    assert_eq!(concluded.status, 303, "{}", concluded.html);
    let s = stored(&app, &town, &id).await;
    assert_eq!(s["status"], "CONCLUDED");
    assert_eq!(
        s["answers"],
        json!([
            { "round": 1, "answerClass": "C", "metDeputy": false, "feedback": "DISSATISFIED" },
            { "round": 2, "answerClass": "A", "metDeputy": true, "feedback": "SATISFIED" }
        ])
    );
    assert_eq!(s["attachments"], json!([{ "fileName": "答复函.pdf" }]));
    let shown = presidium.get(&page).await;
    for told in [
        "登记建议",
        "交办",
        "代表不满意，重新办理：群众出行安全等不得",
        "办结",
        "上传材料",
    ] {
        assert!(
            shown.html.contains(told),
            "history tells {told}:\n{}",
            shown.html
        );
    }

    // A stale form is refused and changes nothing; the presidium then makes it a project.
    let stale = presidium
        .post(
            &format!("{page}/project"),
            &[("csrf", &shown.csrf()), ("version", "1")],
        )
        .await;
    assert_eq!(stale.status, 409, "{}", stale.html);
    let made = presidium
        .submit(
            &page,
            &format!("{page}/project"),
            &[("location", "思蒙场镇老街")],
        )
        .await;
    assert_eq!(made.status, 303, "{}", made.html);
    let s = stored(&app, &town, &id).await;
    assert_eq!(
        made.location.as_deref(),
        Some(format!("/projects/{}", s["project"]["id"].as_str().unwrap()).as_str())
    );
    assert_eq!(s["project"]["title"], "思蒙场镇增设路灯");

    // The list: 办理中 no longer holds it; 全部 does, with its number.
    let open = presidium.get("/suggestions").await;
    assert!(!open.html.contains(&page));
    let all = presidium.get("/suggestions?status=all").await;
    assert!(all.html.contains(&page) && all.html.contains("已办结"));
    // The viewer reads it but has no form.
    let viewer = Visitor::new(&app, Some(&town.viewer));
    let seen = viewer.get(&page).await;
    assert_eq!(seen.status, 200);
    assert!(
        !seen
            .html
            .contains("<form method=\"post\" action=\"/suggestions/")
    );
}

e2e!(letters_and_visits_are_handled_in_the_workbench_and_names_stay_with_the_presidium);
async fn letters_and_visits_are_handled_in_the_workbench_and_names_stay_with_the_presidium(
    app: TestApp,
) {
    let town = Town::setup(&app, "思蒙镇").await;
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let refused = deputy
        .submit(
            "/contacts",
            "/contacts",
            &[
                ("kind", "VISIT"),
                ("received", &day(0)),
                ("summary", ""),
                ("receivers", &town.yang),
            ],
        )
        .await;
    assert_eq!(refused.status, 422);
    assert!(
        refused.refusal().unwrap().contains("反映的问题"),
        "{}",
        refused.html
    );
    let logged = deputy
        .submit(
            "/contacts",
            "/contacts",
            &[
                ("kind", "VISIT"),
                ("received", &day(-1)),
                ("name", "王德福"),
                ("phone", "13800001111"),
                ("summary", "二组村道雨后积水，出行困难"),
                ("receivers", &town.yang),
            ],
        )
        .await;
    assert_eq!(logged.status, 303, "{}", logged.html);

    // The name and phone: the presidium's page only.
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let theirs = presidium.get("/contacts").await;
    assert!(theirs.html.contains("王德福") && theirs.html.contains("13800001111"));
    for token in [&town.deputy, &town.liming, &town.viewer] {
        let page = Visitor::new(&app, Some(token)).get("/contacts").await;
        assert_eq!(page.status, 200);
        assert!(page.html.contains("二组村道雨后积水"));
        assert!(
            !page.html.contains("王德福") && !page.html.contains("13800001111"),
            "{}",
            page.html
        );
    }

    // Only the presidium transfers, replies and closes.
    let id = theirs.after("id=\"contact-");
    let transfer = format!("/contacts/{id}/transfer");
    assert!(!deputy.get("/contacts").await.html.contains(&transfer));
    let forged = deputy
        .post(
            &transfer,
            &[
                ("csrf", &deputy.get("/contacts").await.csrf()),
                ("version", "1"),
                ("unit", &town.cunjian),
                ("date", &day(5)),
            ],
        )
        .await;
    assert_eq!(forged.status, 403, "{}", forged.html);
    let transferred = presidium
        .submit(
            "/contacts",
            &transfer,
            &[("unit", &town.cunjian), ("date", &day(5))],
        )
        .await;
    assert_eq!(transferred.status, 303, "{}", transferred.html);
    let replied = presidium
        .submit(
            "/contacts",
            &format!("/contacts/{id}/reply"),
            &[("reply", "村建办已安排清淤修补"), ("date", &day(0))],
        )
        .await;
    assert_eq!(replied.status, 303, "{}", replied.html);
    let closed = presidium
        .submit("/contacts", &format!("/contacts/{id}/close"), &[])
        .await;
    assert_eq!(closed.status, 303, "{}", closed.html);
    let stored = app
        .ok(
            &town.presidium,
            "{ contacts { nodes { status reply repliedOn transferredTo{ name } constituentName } } }",
            json!({}),
        )
        .await["contacts"]["nodes"]
        .clone();
    assert_eq!(
        stored,
        json!([{ "status": "CLOSED", "reply": "村建办已安排清淤修补", "repliedOn": day(0),
                 "transferredTo": { "name": "村建办" }, "constituentName": "王德福" }])
    );
}

e2e!(the_list_shows_the_suggestions_whose_answer_is_overdue);
/// In the demo's year, 答复逾期 lists the one suggestion whose answer is late (农贸市场增设停车位,
/// assigned to 陈刚) and none of those on time, answered or concluded.
async fn the_list_shows_the_suggestions_whose_answer_is_overdue(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx).await.unwrap();
    let token = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let presidium = Visitor::new(&app, Some(&token));
    let overdue = presidium.get("/suggestions?status=overdue").await;
    assert_eq!(overdue.status, 200);
    assert!(
        overdue.html.contains("农贸市场增设停车位"),
        "{}",
        overdue.html
    );
    assert!(
        overdue.html.contains("答复逾期的建议共 1 件"),
        "{}",
        overdue.html
    );
    for on_time in [
        "思蒙小学门口增设交通安全设施",
        "湿地公园增设公共厕所",
        "思蒙场镇老街增设路灯",
    ] {
        assert!(!overdue.html.contains(on_time), "{on_time}");
    }
    let open = presidium.get("/suggestions").await;
    assert!(open.html.contains("思蒙小学门口增设交通安全设施"));
}
