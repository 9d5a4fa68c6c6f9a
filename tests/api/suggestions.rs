//! Deputies' suggestions (代表建议办理) through the API: a deputy registers their own, the presidium
//! assigns it, the leader it names answers, a dissatisfied rating opens a redo round, the second
//! answer is rated and the presidium concludes it; numbers per year never repeat or skip however
//! many register at once; lists filter, search Chinese text and page; bad input writes nothing.

use std::sync::Arc;

use Step::{Answer, Assign, Conclude, Feedback, Withdraw};
use jiandu_tests::town::{Town, assert_whole_ladder, day, today};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const FIELDS: &str = "id number title status version receivedOn assignedOn deadline deadlineState light daysOverdue keyItem concludedOn withdrawnReason leadDeputy { name } coSigners { name } leadUnit { name } coUnits { name } responsibleLeader { name } answers { round answerClass text metDeputy answeredOn feedback feedbackNote answeredBy { username } }";

fn register_query() -> String {
    format!("mutation($i:RegisterSuggestionInput!){{ registerSuggestion(input:$i){{ {FIELDS} }} }}")
}

/// A step taken on one suggestion, at its version.
#[derive(Clone, Copy)]
enum Step {
    Assign,
    Answer,
    Feedback,
    Conclude,
    Withdraw,
}

impl Step {
    /// The mutation's name, which is also where its answer stands.
    fn name(self) -> &'static str {
        match self {
            Assign => "assignSuggestion",
            Answer => "answerSuggestion",
            Feedback => "recordSuggestionFeedback",
            Conclude => "concludeSuggestion",
            Withdraw => "withdrawSuggestion",
        }
    }

    /// The mutation, answering with [`FIELDS`].
    fn query(self) -> String {
        // The declarations of its arguments besides the id and version, and the arguments.
        let (vars, args) = match self {
            Assign => (",$i:AssignSuggestionInput!", ", input:$i"),
            Answer => (",$i:AnswerSuggestionInput!", ", input:$i"),
            Feedback => (",$f:Rating!,$n:String", ", feedback:$f, note:$n"),
            Conclude => ("", ""),
            Withdraw => (",$r:String!", ", reason:$r"),
        };
        let name = self.name();
        format!(
            "mutation($id:ID!,$v:Int!{vars}){{ {name}(id:$id, expectedVersion:$v{args}){{ {FIELDS} }} }}"
        )
    }
}

/// `token` takes `step` on suggestion `s` at its version, with the variables in `extra`; the
/// whole answer.
async fn attempt(app: &TestApp, token: &str, step: Step, s: &Value, extra: Value) -> Value {
    let mut vars = json!({ "id": s["id"], "v": s["version"] });
    for (k, v) in extra.as_object().unwrap() {
        vars[k] = v.clone();
    }
    app.gql(Some(token), &step.query(), vars).await
}

/// Like [`attempt`], but the step must be taken; the suggestion after.
async fn took(app: &TestApp, token: &str, step: Step, s: &Value, extra: Value) -> Value {
    let body = attempt(app, token, step, s, extra).await;
    assert!(body.get("errors").is_none(), "unexpected errors: {body:#}");
    body["data"][step.name()].clone()
}

async fn register(app: &TestApp, token: &str, input: Value) -> Value {
    app.gql(Some(token), &register_query(), json!({ "i": input }))
        .await
}

fn streetlight(town: &Town) -> Value {
    json!({
        "title": "思蒙场镇增设路灯",
        "content": "思蒙场镇老街夜间照明不足，群众出行不便，建议增设路灯二十盏。",
        "category": "城乡建设",
        "source": "CONGRESS_SESSION",
        "leadDeputyId": town.yang,
        "coSignerIds": [town.liu],
        "receivedOn": day(-10),
    })
}

async fn count(app: &TestApp, town: &Town) -> Value {
    app.ok(&town.presidium, "{ suggestions { totalCount } }", json!({}))
        .await["suggestions"]["totalCount"]
        .clone()
}

e2e!(a_suggestion_is_registered_assigned_answered_redone_and_concluded);
async fn a_suggestion_is_registered_assigned_answered_redone_and_concluded(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let year = &day(-10)[..4];

    // Only the presidium, or a deputy for their own suggestion, registers one.
    let mut for_someone_else = streetlight(&town);
    for_someone_else["leadDeputyId"] = json!(town.li);
    let refused = register(&app, &town.deputy, for_someone_else).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    for token in [&town.liming, &town.viewer] {
        let refused = register(&app, token, streetlight(&town)).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    }
    assert_eq!(count(&app, &town).await, 0);

    let registered = register(&app, &town.deputy, streetlight(&town)).await;
    let s = registered["data"]["registerSuggestion"].clone();
    assert_eq!(s["number"], format!("{year}-001"), "{registered}");
    assert_eq!(s["status"], "REGISTERED");
    assert_eq!(s["leadDeputy"]["name"], "杨秀英");
    assert_eq!(s["coSigners"][0]["name"], "刘芳");
    assert_eq!(s["deadline"], Value::Null);
    assert_eq!(s["light"], Value::Null, "no deadline before it is assigned");

    // The presidium assigns it; the answer is due 60 working days on.
    let input = json!({ "leadUnitId": town.cunjian, "coUnitIds": [town.jingfa], "responsibleLeaderId": town.li, "keyItem": true });
    let refused = attempt(&app, &town.deputy, Assign, &s, json!({ "i": input })).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused:#}");
    let s = took(&app, &town.presidium, Assign, &s, json!({ "i": input })).await;
    assert_eq!(s["status"], "ASSIGNED");
    assert_eq!(s["assignedOn"], today().to_string());
    assert_eq!(
        (
            s["leadUnit"]["name"].as_str(),
            s["coUnits"][0]["name"].as_str()
        ),
        (Some("村建办"), Some("经发办"))
    );
    assert_eq!(s["responsibleLeader"]["name"], "李明");
    assert_eq!(s["keyItem"], true);
    let deadline = s["deadline"].as_str().unwrap().to_string();
    let working_days = app
        .ok(
            &town.presidium,
            "query($f:Date!,$t:Date!){ workCalendar(from:$f, to:$t){ date kind } }",
            json!({ "f": day(1), "t": deadline }),
        )
        .await["workCalendar"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|d| d["kind"] == "WORKDAY")
        .count();
    assert_eq!(
        working_days, 60,
        "due 60 working days after today: {deadline}"
    );
    assert_eq!(
        (s["deadlineState"].as_str(), s["light"].as_str()),
        (Some("UPCOMING"), Some("GREEN"))
    );

    // Only the leader it names (or the presidium) answers.
    let first = json!({ "answerClass": "B", "text": "已列入明年场镇亮化计划，先行增设路灯八盏。", "answeredOn": day(0), "metDeputy": true });
    let refused = attempt(&app, &town.chengang, Answer, &s, json!({ "i": first })).await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused:#}");
    let s = took(&app, &town.liming, Answer, &s, json!({ "i": first })).await;
    assert_eq!(s["status"], "ANSWERED");
    assert_eq!(s["deadlineState"], "DONE_ON_TIME");
    assert_eq!(s["answers"][0]["answerClass"], "B");
    assert!(
        s["answers"][0]["answeredBy"]["username"]
            .as_str()
            .unwrap()
            .starts_with("liming")
    );

    // The lead deputy is dissatisfied: a redo round due 15 days on, and no conclusion meanwhile.
    let refused = attempt(
        &app,
        &town.liming,
        Feedback,
        &s,
        json!({ "f": "SATISFIED" }),
    )
    .await;
    assert_eq!(
        code(&refused),
        "FORBIDDEN",
        "the leader does not rate their own answer"
    );
    let dissatisfied = json!({ "f": "DISSATISFIED", "n": "八盏不够，老街仍有暗段" });
    let s = took(&app, &town.deputy, Feedback, &s, dissatisfied).await;
    assert_eq!(s["status"], "ASSIGNED");
    assert_eq!(s["deadline"], day(15));
    assert_eq!(s["answers"][0]["feedback"], "DISSATISFIED");
    assert_eq!(s["answers"][0]["feedbackNote"], "八盏不够，老街仍有暗段");
    let refused = attempt(&app, &town.presidium, Conclude, &s, json!({})).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused:#}");

    // The second round: answered A, rated satisfied, concluded.
    let second = json!({ "answerClass": "A", "text": "老街暗段已全部增设路灯，共二十盏。", "answeredOn": day(0), "metDeputy": true });
    let s = took(&app, &town.liming, Answer, &s, json!({ "i": second })).await;
    let rounds: Vec<i64> = s["answers"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["round"].as_i64().unwrap())
        .collect();
    assert_eq!(rounds, [1, 2]);
    let s = took(
        &app,
        &town.deputy,
        Feedback,
        &s,
        json!({ "f": "SATISFIED" }),
    )
    .await;
    let mut stale = s.clone();
    stale["version"] = json!(s["version"].as_i64().unwrap() - 1);
    let refused = attempt(&app, &town.presidium, Conclude, &stale, json!({})).await;
    assert_eq!(code(&refused), "CONFLICT", "{refused:#}");
    let s = took(&app, &town.presidium, Conclude, &s, json!({})).await;
    assert_eq!(s["status"], "CONCLUDED");
    assert_eq!(s["concludedOn"], day(0));
    let refused = attempt(&app, &town.deputy, Withdraw, &s, json!({ "r": "不需要了" })).await;
    assert_eq!(
        code(&refused),
        "VALIDATION_FAILED",
        "a concluded suggestion stays concluded"
    );
}

e2e!(suggestions_registered_at_once_are_numbered_without_gaps);
async fn suggestions_registered_at_once_are_numbered_without_gaps(app: TestApp) {
    let app = Arc::new(app);
    let town = Arc::new(Town::setup(&app, "思蒙镇").await);
    let mut registering = Vec::new();
    for i in 0..16 {
        let (app, town) = (app.clone(), town.clone());
        registering.push(tokio::spawn(async move {
            let mut input = streetlight(&town);
            input["title"] = json!(format!("建议第{i}件"));
            register(&app, &town.presidium, input).await
        }));
    }
    let mut numbers = Vec::new();
    for r in registering {
        let body = r.await.unwrap();
        numbers.push(
            body["data"]["registerSuggestion"]["number"]
                .as_str()
                .unwrap_or_else(|| panic!("{body}"))
                .to_string(),
        );
    }
    numbers.sort();
    let year = &day(-10)[..4];
    let expected: Vec<String> = (1..=16).map(|n| format!("{year}-{n:03}")).collect();
    assert_eq!(numbers, expected);
}

e2e!(suggestions_filter_search_and_page);
async fn suggestions_filter_search_and_page(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    for (title, received) in [
        ("思蒙场镇增设路灯", -30),
        ("修复三组村道", -20),
        ("解决五组安全饮水", -10),
    ] {
        let mut input = streetlight(&town);
        input["title"] = json!(title);
        input["content"] = json!(format!("{title}，群众反映强烈。"));
        input["receivedOn"] = json!(day(received));
        register(&app, &town.presidium, input).await;
    }
    let list = "query($f:SuggestionFilter,$a:String){ suggestions(first:2, after:$a, filter:$f){ totalCount nodes { title } pageInfo { hasNextPage endCursor } } }";
    let titles = |v: &Value| -> Vec<String> {
        v["suggestions"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .map(|n| n["title"].as_str().unwrap().to_string())
            .collect()
    };
    let first = app
        .ok(&town.presidium, list, json!({ "f": null, "a": null }))
        .await;
    assert_eq!(first["suggestions"]["totalCount"], 3);
    assert_eq!(
        titles(&first),
        ["解决五组安全饮水", "修复三组村道"],
        "newest received first"
    );
    let rest = app
        .ok(
            &town.presidium,
            list,
            json!({ "f": null, "a": first["suggestions"]["pageInfo"]["endCursor"] }),
        )
        .await;
    assert_eq!(titles(&rest), ["思蒙场镇增设路灯"]);
    assert_eq!(rest["suggestions"]["pageInfo"]["hasNextPage"], false);
    for (search, expected) in [
        ("路灯", vec!["思蒙场镇增设路灯"]),
        ("群众反映", vec!["解决五组安全饮水", "修复三组村道"]),
        ("100%", vec![]),
    ] {
        let found = app
            .ok(
                &town.presidium,
                list,
                json!({ "f": { "search": search }, "a": null }),
            )
            .await;
        assert_eq!(titles(&found), expected, "{search}");
    }
    let registered = app
        .ok(&town.presidium, list, json!({ "f": { "status": ["REGISTERED"], "year": today().format("%Y").to_string().parse::<i32>().unwrap() - 5 }, "a": null }))
        .await;
    assert_eq!(registered["suggestions"]["totalCount"], 0);
    let theirs = app
        .ok(&other.presidium, list, json!({ "f": null, "a": null }))
        .await;
    assert_eq!(
        theirs["suggestions"]["totalCount"], 0,
        "another town sees none"
    );
}

e2e!(bad_suggestion_input_is_refused_and_writes_nothing);
async fn bad_suggestion_input_is_refused_and_writes_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let bad: Vec<(&str, Value)> = vec![
        ("title", json!({ "title": "  " })),
        ("title", json!({ "title": "路".repeat(201) })),
        ("content", json!({ "content": "" })),
        ("receivedOn", json!({ "receivedOn": day(1) })),
        ("leadDeputyId", json!({ "leadDeputyId": other.yang })),
        ("coSignerIds", json!({ "coSignerIds": ["not-an-id"] })),
    ];
    for (field, change) in bad {
        let mut input = streetlight(&town);
        for (k, v) in change.as_object().unwrap() {
            input[k] = v.clone();
        }
        let refused = register(&app, &town.presidium, input).await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{field}: {refused}");
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], field,
            "{refused}"
        );
    }
    assert_eq!(count(&app, &town).await, 0, "nothing written");

    let s = register(&app, &town.presidium, streetlight(&town)).await["data"]["registerSuggestion"]
        .clone();
    let input =
        json!({ "answerClass": "A", "text": "已办", "answeredOn": day(0), "metDeputy": false });
    let unassigned = attempt(&app, &town.presidium, Answer, &s, json!({ "i": input })).await;
    assert_eq!(
        code(&unassigned),
        "VALIDATION_FAILED",
        "an answer class on an unassigned suggestion"
    );
    let early =
        json!({ "leadUnitId": town.cunjian, "responsibleLeaderId": town.li, "deadline": day(-1) });
    let refused = attempt(&app, &town.presidium, Assign, &s, json!({ "i": early })).await;
    assert_eq!(code(&refused), "VALIDATION_FAILED", "{refused:#}");
    assert_eq!(refused["errors"][0]["extensions"]["field"], "deadline");
    let theirs = json!({ "leadUnitId": other.cunjian, "responsibleLeaderId": other.li });
    let refused = attempt(&app, &other.presidium, Assign, &s, json!({ "i": theirs })).await;
    assert_eq!(code(&refused), "NOT_FOUND", "{refused:#}");
    let after = app
        .ok(
            &town.presidium,
            "query($id:ID!){ suggestion(id:$id){ status version answers { round } } }",
            json!({ "id": s["id"] }),
        )
        .await;
    assert_eq!(after["suggestion"]["status"], "REGISTERED");
    assert_eq!(after["suggestion"]["version"], s["version"]);
    assert_eq!(after["suggestion"]["answers"], json!([]));
}

e2e!(an_assigned_suggestion_climbs_the_notice_ladder_to_its_leader);
/// The answer's deadline climbs the same ladder as a milestone's: scanned day by day, a
/// suggestion assigned to 李明 and due in three days brings him a reminder, then urges, then a
/// numbered supervision order, each naming the suggestion; once answered it brings nothing more.
/// The presidium orders on an assigned suggestion by hand, not on one still unassigned.
async fn an_assigned_suggestion_climbs_the_notice_ladder_to_its_leader(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let registered = |title: &'static str| {
        let (app, town) = (&app, &town);
        async move {
            let mut input = streetlight(town);
            input["title"] = json!(title);
            register(app, &town.presidium, input).await["data"]["registerSuggestion"].clone()
        }
    };
    let s = registered("思蒙场镇增设路灯").await;
    let input =
        json!({ "leadUnitId": town.cunjian, "responsibleLeaderId": town.li, "deadline": day(3) });
    let s = took(&app, &town.presidium, Assign, &s, json!({ "i": input })).await;
    let dashboard = "query($d:Date){ dashboard(asOf:$d){ openSuggestions overdueSuggestions } }";
    let now = app
        .ok(&town.presidium, dashboard, json!({ "d": null }))
        .await;
    assert_eq!(
        now["dashboard"],
        json!({ "openSuggestions": 1, "overdueSuggestions": 0 })
    );
    let later = app
        .ok(&town.presidium, dashboard, json!({ "d": day(10) }))
        .await;
    assert_eq!(
        later["dashboard"],
        json!({ "openSuggestions": 1, "overdueSuggestions": 1 })
    );
    let fields = "kind title recipient { name } suggestion { number } milestone { id }";
    let notices = town.notices_through(&app, 0..=25, &s["id"], fields).await;
    assert_whole_ladder(&notices);
    for n in notices["nodes"].as_array().unwrap() {
        assert_eq!(n["recipient"]["name"], "李明");
        assert_eq!(n["suggestion"]["number"], s["number"]);
        assert_eq!(n["milestone"], Value::Null);
        assert!(
            n["title"]
                .as_str()
                .unwrap()
                .contains(&format!("代表建议{}", s["number"].as_str().unwrap()))
        );
    }
    let input = json!({ "answerClass": "A", "text": "已增设路灯二十盏", "answeredOn": day(0), "metDeputy": true });
    took(&app, &town.liming, Answer, &s, json!({ "i": input })).await;
    let before = notices["totalCount"].clone();
    let after = town.notices_through(&app, 26..=32, &s["id"], fields).await;
    assert_eq!(after["totalCount"], before, "answered: nothing more");

    let order = "mutation($e:ID!,$d:Date!){ issueSupervisionOrder(entityId:$e, replyDue:$d){ number recipient { name } suggestion { number } } }";
    let unassigned = registered("修复三组村道").await;
    app.refused(
        &town.presidium,
        order,
        json!({ "e": unassigned["id"], "d": day(5) }),
        "VALIDATION_FAILED",
    )
    .await;
    let input = json!({ "leadUnitId": town.jingfa, "responsibleLeaderId": town.chen });
    let road = took(
        &app,
        &town.presidium,
        Assign,
        &unassigned,
        json!({ "i": input }),
    )
    .await;
    let ordered = app
        .ok(
            &town.presidium,
            order,
            json!({ "e": road["id"], "d": day(5) }),
        )
        .await["issueSupervisionOrder"]
        .clone();
    assert_eq!(ordered["recipient"]["name"], "陈刚");
    assert_eq!(ordered["suggestion"]["number"], road["number"]);
}

e2e!(a_suggestion_carries_its_written_answer_and_becomes_a_project);
/// The leader attaches the written answer (a PDF); the presidium turns the suggestion into a
/// supervised project, linked both ways, once only and never from a withdrawn one.
async fn a_suggestion_carries_its_written_answer_and_becomes_a_project(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let s = register(&app, &town.deputy, streetlight(&town)).await["data"]["registerSuggestion"]
        .clone();
    let id = s["id"].as_str().unwrap().to_string();
    let input = json!({ "leadUnitId": town.cunjian, "responsibleLeaderId": town.li });
    let s = took(&app, &town.presidium, Assign, &s, json!({ "i": input })).await;

    // The written answer: attached by the leader it is assigned to, not by another leader.
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let (_, refused) = app
        .upload(&town.chengang, &id, "答复函.pdf", pdf.to_vec(), None)
        .await;
    assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    let (status, body) = app
        .upload(
            &town.liming,
            &id,
            "答复函.pdf",
            pdf.to_vec(),
            Some("书面答复"),
        )
        .await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["data"]["attachFile"]["contentType"], "application/pdf");
    let read = app
        .ok(
            &town.deputy,
            "query($id:ID!){ suggestion(id:$id){ attachments{ fileName caption url } } }",
            json!({ "id": id }),
        )
        .await;
    let attachments = read["suggestion"]["attachments"].clone();
    assert_eq!(
        attachments,
        json!([{ "fileName": "答复函.pdf", "caption": "书面答复", "url": attachments[0]["url"] }])
    );
    let download = app
        .get(Some(&town.deputy), attachments[0]["url"].as_str().unwrap())
        .await;
    assert_eq!(download.status(), 200);
    assert_eq!(download.bytes().await.unwrap().to_vec(), pdf.to_vec());

    // Only the presidium makes it a project.
    let make = "mutation($id:ID!,$v:Int!,$i:ProjectFromSuggestionInput){ createProjectFromSuggestion(id:$id, expectedVersion:$v, input:$i){ version project{ id title origin description leadLeader{ name } suggestion{ id number } } } }";
    app.refused(
        &town.deputy,
        make,
        json!({ "id": id, "v": s["version"] }),
        "FORBIDDEN",
    )
    .await;
    let made = app
        .ok(
            &town.presidium,
            make,
            json!({ "id": id, "v": s["version"], "i": { "location": "思蒙场镇老街" } }),
        )
        .await["createProjectFromSuggestion"]
        .clone();
    let project = &made["project"];
    assert_eq!(project["title"], "思蒙场镇增设路灯");
    assert_eq!(project["origin"], "DEPUTY_SUGGESTION");
    assert_eq!(project["leadLeader"]["name"], "李明");
    assert!(
        project["description"]
            .as_str()
            .unwrap()
            .starts_with(&format!(
                "代表建议 {}：思蒙场镇老街",
                s["number"].as_str().unwrap()
            )),
        "{project}"
    );
    assert_eq!(project["suggestion"]["id"], id.as_str(), "linked both ways");
    let listed = app
        .ok(
            &town.presidium,
            "{ projects(filter:{ origin:[DEPUTY_SUGGESTION] }){ nodes{ id location suggestion{ number } } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        listed["projects"]["nodes"],
        json!([{ "id": project["id"], "location": "思蒙场镇老街", "suggestion": { "number": s["number"] } }])
    );

    // Once only; a stale version is a conflict.
    app.refused(
        &town.presidium,
        make,
        json!({ "id": id, "v": made["version"] }),
        "VALIDATION_FAILED",
    )
    .await;
    app.refused(
        &town.presidium,
        make,
        json!({ "id": id, "v": s["version"] }),
        "CONFLICT",
    )
    .await;

    // A withdrawn suggestion does not become one; nothing is written.
    let other =
        register(&app, &town.deputy, streetlight(&town)).await["data"]["registerSuggestion"]
            .clone();
    let reason = json!({ "r": "已并入其他建议" });
    let other = took(&app, &town.deputy, Withdraw, &other, reason).await;
    app.refused(
        &town.presidium,
        make,
        json!({ "id": other["id"], "v": other["version"] }),
        "VALIDATION_FAILED",
    )
    .await;
    let projects = app
        .ok(&town.presidium, "{ projects{ totalCount } }", json!({}))
        .await;
    assert_eq!(
        projects["projects"]["totalCount"],
        json!(2),
        "the town's bridge and the streetlight"
    );
}
