//! The workbench's journeys without a browser: the presidium creates and splits a project, a
//! leader reports progress and done, a deputy logs an inspection with a photo and raises a
//! finding — each through the pages' forms, each checked through the API; refusals in Chinese
//! that change nothing.

use jiandu_tests::town::{Town, day};
use jiandu_tests::web::Visitor;
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

/// A small JPEG, as a phone's camera would send.
pub fn photo() -> Vec<u8> {
    let pixels: Vec<u8> = (0..16 * 16)
        .flat_map(|i| [(i * 7 % 256) as u8, 120, (255 - i % 256) as u8])
        .collect();
    let mut jpeg = Vec::new();
    jpeg_encoder::Encoder::new(&mut jpeg, 85)
        .encode(&pixels, 16, 16, jpeg_encoder::ColorType::Rgb)
        .unwrap();
    jpeg
}

async fn milestone_titles(app: &TestApp, token: &str, project: &str) -> Vec<String> {
    let data = app
        .ok(
            token,
            "query($id:ID!){ project(id:$id){ milestones(first:100){ nodes { title } } } }",
            json!({ "id": project }),
        )
        .await;
    data["project"]["milestones"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["title"].as_str().unwrap().to_string())
        .collect()
}

e2e!(the_presidium_creates_a_project_and_splits_it_into_milestones_on_its_page);
/// A project made with the form is there for the API; its milestones added on its page appear
/// in its tree and its timeline; a deadline the form cannot read is refused next to the form,
/// in Chinese, with what was typed kept and nothing added.
async fn the_presidium_creates_a_project_and_splits_it_into_milestones_on_its_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let presidium = Visitor::new(&app, Some(&town.presidium));
    let created = presidium
        .submit(
            "/projects/new",
            "/projects",
            &[
                ("title", "二桥至思蒙路段提质改造"),
                ("origin", "LIVELIHOOD_VOTE"),
                ("lead", &town.chen),
                ("start", &day(-30)),
                ("end", &day(90)),
                ("construction", "on"),
                ("description", "路面拓宽、黑化及管网迁改"),
            ],
        )
        .await;
    assert_eq!(created.status, 303, "{}", created.html);
    let to = created.location.unwrap();
    let project = to
        .trim_start_matches("/projects/")
        .trim_end_matches("#add")
        .to_string();
    let stored = app
        .ok(
            &town.presidium,
            "query($id:ID!){ project(id:$id){ title construction leadLeader{ name } } }",
            json!({ "id": project }),
        )
        .await;
    assert_eq!(stored["project"]["construction"], true);
    assert_eq!(stored["project"]["leadLeader"]["name"], "陈刚");

    let page = format!("/projects/{project}");
    let action = format!("{page}/milestones");
    let add = |title: &'static str, parent: String, deadline: String| {
        let (page, action, presidium) = (&page, &action, &presidium);
        let (chen, jingfa) = (town.chen.clone(), town.jingfa.clone());
        async move {
            presidium
                .submit(
                    page,
                    action,
                    &[
                        ("title", title),
                        ("parent", &parent),
                        ("leader", &chen),
                        ("unit", &jingfa),
                        ("start", &day(-10)),
                        ("deadline", &deadline),
                    ],
                )
                .await
        }
    };
    let first = add("管网迁改", String::new(), day(20)).await;
    assert_eq!(first.status, 303, "{}", first.html);
    let parent = town.first_milestone(&app, &project).await;
    assert_eq!(add("雨水管", parent.clone(), day(15)).await.status, 303);
    let refused = add("污水管", parent, "2021-02-30".into()).await;
    assert_eq!(refused.status, 422);
    assert_eq!(
        refused.refusal().as_deref(),
        Some("「截止日期」应为日期，例如2026-12-07。")
    );
    assert!(
        refused.html.contains("value=\"污水管\""),
        "what was typed is kept"
    );
    assert_eq!(
        milestone_titles(&app, &town.presidium, &project).await,
        ["雨水管", "管网迁改"]
    );

    let shown = presidium.get(&page).await;
    assert!(shown.html.contains("管网迁改") && shown.html.contains("雨水管"));
    assert!(
        shown.html.contains("class=\"depth-1\""),
        "the child is indented under its parent"
    );
    // One bar per milestone in the timeline, and today's line.
    assert_eq!(
        shown.html.matches(" done\" x=").count(),
        2,
        "{}",
        shown.html
    );
    assert!(shown.html.contains("class=\"today\""));
}

e2e!(a_leader_reports_progress_and_done_and_a_stale_form_shows_the_conflict);
/// The leader's 我的督办事项 leads to the item; progress and done go through the same use cases
/// (the history shows them); a form opened before someone else's change shows the conflict and
/// changes nothing; a colleague's item offers no forms and refuses a forged post in Chinese.
async fn a_leader_reports_progress_and_done_and_a_stale_form_shows_the_conflict(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(
            &app,
            json!({ "title": "完成公开招标", "deadline": day(10) }),
        )
        .await;
    let id = m["id"].as_str().unwrap().to_string();
    let page = format!("/milestones/{id}");
    let leader = Visitor::new(&app, Some(&town.liming));
    assert!(leader.get("/mine").await.html.contains(&page));

    let reported = leader
        .submit(
            &page,
            &format!("{page}/progress"),
            &[("progress", "60"), ("note", "已发布招标公告")],
        )
        .await;
    assert_eq!(
        (reported.status, reported.location.as_deref()),
        (303, Some(page.as_str()))
    );
    let history = leader.get(&page).await;
    assert!(
        history.html.contains("进度 60%：已发布招标公告"),
        "{}",
        history.html
    );

    // The form was opened, then the presidium changed the item: the form is stale.
    let stale = leader.get(&page).await;
    let version = stale.after("name=\"version\" value=\"");
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ updateMilestone(id:$id, expectedVersion:$v, input:{description:\"补充说明\"}){ version } }",
        json!({ "id": id, "v": version.parse::<i64>().unwrap() }),
    )
    .await;
    let conflict = leader
        .post(
            &format!("{page}/done"),
            &[
                ("csrf", &stale.csrf()),
                ("version", &version),
                ("note", "已确定施工单位"),
            ],
        )
        .await;
    assert_eq!(conflict.status, 409);
    assert!(conflict.refusal().unwrap().contains("已被他人修改"));
    assert_eq!(town.status(&app, &json!(id)).await, "IN_PROGRESS");

    let done = leader
        .submit(
            &page,
            &format!("{page}/done"),
            &[("note", "已确定施工单位")],
        )
        .await;
    assert_eq!(done.status, 303, "{}", done.html);
    assert_eq!(town.status(&app, &json!(id)).await, "DONE");
    let after = leader.get(&page).await;
    assert!(after.html.contains("已报办结（待销号）"));

    // A colleague's item: no step forms, and a forged post is refused in Chinese.
    let other = town
        .milestone(
            &app,
            json!({ "title": "征地拆迁", "deadline": day(10), "responsibleLeaderId": town.chen }),
        )
        .await;
    let other_page = format!("/milestones/{}", other["id"].as_str().unwrap());
    let seen = leader.get(&other_page).await;
    assert_eq!(
        seen.html.matches("<form").count(),
        1,
        "only the sign-out form"
    );
    let forged = leader
        .post(
            &format!("{other_page}/progress"),
            &[("csrf", &seen.csrf()), ("progress", "90")],
        )
        .await;
    assert_eq!(forged.status, 403);
    assert_eq!(forged.refusal().as_deref(), Some("您没有权限进行此操作。"));
}

e2e!(a_deputy_logs_an_inspection_with_a_photo_and_the_leader_answers_the_finding);
/// From the phone form: the inspection is recorded with its photo attached and its finding
/// raised for the leader, who sees it on their findings page and reports it rectified; a file
/// that is not a photo is refused before anything is recorded.
async fn a_deputy_logs_an_inspection_with_a_photo_and_the_leader_answers_the_finding(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let deputy = Visitor::new(&app, Some(&town.deputy));
    let fields = |summary: &'static str| {
        vec![
            ("project", town.bridge.clone()),
            ("kind", "VISIT".to_string()),
            ("participants", town.yang.clone()),
            ("date", day(0)),
            ("location", "风雨桥施工现场".to_string()),
            ("summary", summary.to_string()),
            ("f1_description", "施工围挡不完整".to_string()),
            ("f1_leader", town.li.clone()),
            ("f1_unit", town.cunjian.clone()),
            ("f1_deadline", day(7)),
        ]
    };
    let send = |summary: &'static str, file: (&'static str, Vec<u8>)| {
        let owned = fields(summary);
        let deputy = &deputy;
        async move {
            let fields: Vec<(&str, &str)> = owned.iter().map(|(k, v)| (*k, v.as_str())).collect();
            deputy
                .submit_multipart(
                    "/inspections",
                    "/inspections",
                    &fields,
                    vec![("photos", file.0, file.1)],
                )
                .await
        }
    };
    let inspections = || {
        let (app, token) = (&app, town.presidium.clone());
        async move {
            app.ok(&token, "{ inspections { totalCount nodes { summary attachments { fileName contentType } findings { description status } } } }", json!({}))
                .await["inspections"]
                .clone()
        }
    };

    let refused = send("现场查看桥墩施工", ("notes.txt", b"not a photo".to_vec())).await;
    assert_eq!(refused.status, 422, "{}", refused.html);
    assert_eq!(
        refused.refusal().as_deref(),
        Some("只能上传照片（JPEG、PNG、WebP、HEIC）、PDF 和不含宏的 Office 文档。")
    );
    // What was typed comes back, and the page names the photos to choose again.
    assert!(
        refused.html.contains("现场查看桥墩施工"),
        "{}",
        refused.html
    );
    assert!(refused.html.contains("请重新选择这些照片：notes.txt"));
    assert_eq!(inspections().await["totalCount"], 0);

    // A photo over the limit (20 MB each, written on the form): nothing is saved, the typed
    // summary and finding come back, and the photo is named to be chosen again.
    let form = deputy.get("/inspections").await.html;
    assert!(form.contains("每张不超过 20 MB"), "{form}");
    assert!(
        !form.contains("capture="),
        "the album as well as the camera"
    );
    let big = vec![0xFFu8; 21 * 1024 * 1024];
    let refused = send("桥墩混凝土表面有裂缝", ("IMG_4032.jpg", big)).await;
    assert_eq!(refused.status, 413, "{}", refused.html);
    assert!(
        refused
            .refusal()
            .is_some_and(|said| said.contains("每张最多 20 MB")),
        "{:?}",
        refused.refusal()
    );
    assert!(refused.html.contains("桥墩混凝土表面有裂缝"));
    assert!(refused.html.contains("施工围挡不完整"));
    assert!(refused.html.contains("请重新选择这些照片：IMG_4032.jpg"));
    assert_eq!(inspections().await["totalCount"], 0);

    let logged = send("现场查看桥墩施工", ("IMG_0001.jpg", photo())).await;
    assert_eq!(logged.refusal(), None);
    assert_eq!(
        (logged.status, logged.location.as_deref()),
        (303, Some("/findings?notice=inspection"))
    );
    let stored = inspections().await;
    assert_eq!(stored["totalCount"], 1);
    let inspection = &stored["nodes"][0];
    assert_eq!(inspection["attachments"][0]["contentType"], "image/jpeg");
    assert_eq!(inspection["findings"][0]["description"], "施工围挡不完整");

    let leader = Visitor::new(&app, Some(&town.liming));
    let findings = leader.get("/findings").await;
    assert!(findings.html.contains("施工围挡不完整") && findings.html.contains("我负责整改的问题"));
    let version = findings.after("name=\"version\" value=\"");
    let finding_id = findings.after("id=\"finding-");
    let answered = leader
        .submit(
            "/findings",
            &format!("/findings/{finding_id}/resolve"),
            &[
                ("version", &version),
                ("resolution", "已补齐围挡并设置警示标志"),
            ],
        )
        .await;
    assert_eq!(answered.status, 303, "{}", answered.html);
    assert_eq!(
        inspections().await["nodes"][0]["findings"][0]["status"],
        "RESOLVED"
    );
    // The deputy now sees it waiting for the check.
    assert!(
        deputy
            .get("/findings")
            .await
            .html
            .contains("核实：已整改到位")
    );
}
