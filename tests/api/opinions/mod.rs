//! Deliberation opinions (审议意见, docs/congress.md): recorded at a report hearing and sent at once
//! to a leader (a notice tells them), answered on every point with the written reply attached,
//! judged on every point by the presidium; the reply deadline is judged, lit and climbs the
//! notice ladder like every deadline; bad input is refused and writes nothing.

mod ladder;

use jiandu_tests::town::{Town, day, today};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

const HEARING: &str = "mutation($d:Date!){ createMeeting(input:{kind:REPORT_HEARING, title:\"听取镇政府关于上半年工作情况的报告\", heldOn:$d, deputiesTotal:40, deputiesPresent:12}){ id } }";
const FIELDS: &str = "id title status sentOn replyDeadline dueBy deadlineState light answeredOn judgedOn version meeting { id } responsibleLeader { name } points { id text feedback judgement } attachments { fileName }";

pub(crate) fn record() -> String {
    format!("mutation($i:RecordOpinionInput!){{ recordOpinion(input:$i){{ {FIELDS} }} }}")
}

pub(crate) fn answer() -> String {
    format!(
        "mutation($id:ID!,$v:Int!,$d:Date!,$f:[PointFeedbackInput!]!){{ answerOpinion(id:$id,expectedVersion:$v,answeredOn:$d,feedback:$f){{ {FIELDS} }} }}"
    )
}

pub(crate) fn judge() -> String {
    format!(
        "mutation($id:ID!,$v:Int!,$j:[PointJudgementInput!]!){{ judgeOpinion(id:$id,expectedVersion:$v,judgements:$j){{ {FIELDS} }} }}"
    )
}

pub(crate) async fn hearing(app: &TestApp, town: &Town) -> Value {
    app.ok(&town.presidium, HEARING, json!({ "d": day(-1) }))
        .await["createMeeting"]["id"]
        .clone()
}

/// The three points of the seed's opinion on the government's half-year report.
fn three_points() -> Value {
    json!([
        "加快二桥至思蒙路段提质改造进度，确保年底前完工",
        "做好汛期地质灾害隐患点的巡查和群众转移预案",
        "加强湿地公园健身步道廊桥的施工安全管理",
    ])
}

/// An opinion of three points sent to 李明 at a fresh hearing, with `extra` input.
pub(crate) async fn sent(app: &TestApp, town: &Town, extra: Value) -> Value {
    let mut input = json!({ "meetingId": hearing(app, town).await, "title": "关于镇政府上半年工作情况报告的审议意见", "points": three_points(), "responsibleLeaderId": town.li });
    for (k, v) in extra.as_object().unwrap() {
        input[k] = v.clone();
    }
    app.ok(&town.presidium, &record(), json!({ "i": input }))
        .await["recordOpinion"]
        .clone()
}

pub(crate) fn each_point(opinion: &Value, value: impl Fn(usize) -> Value, key: &str) -> Value {
    let points = opinion["points"].as_array().unwrap();
    Value::Array(
        points
            .iter()
            .enumerate()
            .map(|(i, p)| json!({ "pointId": p["id"], key: value(i) }))
            .collect(),
    )
}

pub(crate) fn refusal(body: &Value) -> (&str, &str, &str) {
    let e = &body["errors"][0]["extensions"];
    (
        code(body),
        e["field"].as_str().unwrap_or(""),
        e["reason"].as_str().unwrap_or(""),
    )
}

e2e!(an_opinion_is_sent_answered_and_judged_point_by_point);
async fn an_opinion_is_sent_answered_and_judged_point_by_point(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let opinion = sent(&app, &town, json!({})).await;
    assert_eq!(opinion["status"], "SENT");
    assert_eq!(opinion["sentOn"], day(0));
    assert_eq!(opinion["responsibleLeader"]["name"], "李明");
    assert_eq!(opinion["deadlineState"], "UPCOMING");
    assert_eq!(opinion["light"], "GREEN");
    // 60 working days on: about twelve weeks, more with the holidays between.
    let deadline = opinion["replyDeadline"].as_str().unwrap();
    assert!(
        deadline > day(80).as_str() && deadline < day(110).as_str(),
        "{opinion}"
    );
    let points = opinion["points"].as_array().unwrap();
    assert_eq!(points.len(), 3);
    assert_eq!(
        points[1]["text"],
        "做好汛期地质灾害隐患点的巡查和群众转移预案"
    );
    assert!(points.iter().all(|p| p["feedback"].is_null()));

    // Sent at once: 李明 has the notice, with every point, and the hearing lists the opinion.
    let inbox = app
        .ok(
            &town.liming,
            "{ notices(first:10, filter:{mine:true}){ nodes { kind title body opinion { id } } } }",
            json!({}),
        )
        .await;
    let told = &inbox["notices"]["nodes"][0];
    assert_eq!(told["opinion"]["id"], opinion["id"], "{inbox}");
    assert_eq!(told["kind"], "REMINDER");
    let body = told["body"].as_str().unwrap();
    assert!(
        body.contains("李明同志") && body.contains("（3）加强湿地公园健身步道廊桥的施工安全管理"),
        "{body}"
    );
    assert!(body.contains(deadline), "{body}");
    let listed = app
        .ok(
            &town.viewer,
            "query($m:ID!,$y:Int!){ meeting(id:$m){ opinions { id } } opinions(year:$y){ id status } }",
            json!({ "m": opinion["meeting"]["id"], "y": today().format("%Y").to_string().parse::<i32>().unwrap() }),
        )
        .await;
    assert_eq!(listed["meeting"]["opinions"][0]["id"], opinion["id"]);
    assert_eq!(listed["opinions"][0]["id"], opinion["id"]);

    // Judging before the reply is refused, and so is another leader's answer.
    let early = app
        .gql(
            Some(&town.presidium),
            &judge(),
            json!({ "id": opinion["id"], "v": opinion["version"], "j": each_point(&opinion, |_| json!("IMPLEMENTED"), "judgement") }),
        )
        .await;
    assert_eq!(
        refusal(&early),
        ("VALIDATION_FAILED", "status", "WRONG_STATE"),
        "{early}"
    );
    let feedback = each_point(
        &opinion,
        |i| json!(format!("第{}条已落实", i + 1)),
        "feedback",
    );
    let vars = json!({ "id": opinion["id"], "v": opinion["version"], "d": day(0), "f": feedback });
    app.refused(&town.chengang, &answer(), vars.clone(), "FORBIDDEN")
        .await;

    // Every point is answered: one left out, or one not of this opinion, is refused.
    let mut two = feedback.clone();
    two.as_array_mut().unwrap().pop();
    let short = app
        .gql(
            Some(&town.liming),
            &answer(),
            json!({ "id": opinion["id"], "v": opinion["version"], "d": day(0), "f": two }),
        )
        .await;
    assert_eq!(
        refusal(&short),
        ("VALIDATION_FAILED", "points.2.feedback", "REQUIRED"),
        "the third point, by its place: {short}"
    );
    let mut stranger = feedback.clone();
    stranger[0]["pointId"] = json!(town.bridge);
    let unknown = app
        .gql(
            Some(&town.liming),
            &answer(),
            json!({ "id": opinion["id"], "v": opinion["version"], "d": day(0), "f": stranger }),
        )
        .await;
    assert_eq!(
        refusal(&unknown),
        ("VALIDATION_FAILED", "pointId", "UNKNOWN_RECORD"),
        "{unknown}"
    );

    // 李明 answers every point and attaches the written reply.
    let answered = app.ok(&town.liming, &answer(), vars.clone()).await["answerOpinion"].clone();
    assert_eq!(answered["status"], "ANSWERED");
    assert_eq!(answered["answeredOn"], day(0));
    assert_eq!(answered["deadlineState"], "DONE_ON_TIME");
    assert_eq!(answered["light"], "GREY");
    assert_eq!(answered["points"][2]["feedback"], "第3条已落实");
    let pdf = b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
    let (status, attached) = app
        .upload(
            &town.liming,
            answered["id"].as_str().unwrap(),
            "关于审议意见落实情况的报告.pdf",
            pdf.to_vec(),
            Some("书面反馈"),
        )
        .await;
    assert_eq!(status, 200, "{attached}");
    assert!(attached.get("errors").is_none(), "{attached}");
    let (_, foreign) = app
        .upload(
            &town.chengang,
            answered["id"].as_str().unwrap(),
            "x.pdf",
            pdf.to_vec(),
            None,
        )
        .await;
    assert_eq!(code(&foreign), "FORBIDDEN", "{foreign}");
    // Answered once: a second answer is refused.
    let again = app
        .gql(
            Some(&town.liming),
            &answer(),
            json!({ "id": opinion["id"], "v": answered["version"], "d": day(0), "f": feedback }),
        )
        .await;
    assert_eq!(refusal(&again).2, "WRONG_STATE", "{again}");

    // The presidium judges every point; 李明 may not, and an old version is a CONFLICT.
    let verdicts = ["IMPLEMENTED", "PARTLY", "NOT_IMPLEMENTED"];
    let judgements = each_point(&answered, |i| json!(verdicts[i]), "judgement");
    let vars = json!({ "id": opinion["id"], "v": answered["version"], "j": judgements });
    app.refused(&town.liming, &judge(), vars.clone(), "FORBIDDEN")
        .await;
    app.refused(
        &town.presidium,
        &judge(),
        json!({ "id": opinion["id"], "v": opinion["version"], "j": judgements }),
        "CONFLICT",
    )
    .await;
    let judged = app.ok(&town.presidium, &judge(), vars).await["judgeOpinion"].clone();
    assert_eq!(judged["status"], "JUDGED");
    assert_eq!(judged["judgedOn"], day(0));
    let got: Vec<&str> = judged["points"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["judgement"].as_str().unwrap())
        .collect();
    assert_eq!(got, verdicts);
    assert_eq!(
        judged["attachments"][0]["fileName"],
        "关于审议意见落实情况的报告.pdf"
    );
    // A point carried out later is judged again.
    let rejudged = app
        .ok(
            &town.presidium,
            &judge(),
            json!({ "id": opinion["id"], "v": judged["version"], "j": each_point(&judged, |_| json!("IMPLEMENTED"), "judgement") }),
        )
        .await["judgeOpinion"]
        .clone();
    assert!(
        rejudged["points"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["judgement"] == "IMPLEMENTED")
    );
    let trail = app
        .ok(
            &town.presidium,
            "query($id:ID!){ history(entityId:$id){ nodes { action } } }",
            json!({ "id": opinion["id"] }),
        )
        .await;
    let actions: Vec<&str> = trail["history"]["nodes"]
        .as_array()
        .unwrap()
        .iter()
        .map(|n| n["action"].as_str().unwrap())
        .collect();
    for action in ["opinion.record", "opinion.answer", "opinion.judge"] {
        assert!(actions.contains(&action), "{action} in {trail}");
    }

    // The ledger files it one row a point, as offices do; another township's has none of it.
    let rows = opinion_sheet(&app, &town.viewer).await;
    assert_eq!(rows.len(), 4, "a header and three points: {rows:?}");
    assert_eq!(rows[0][4], "意见内容");
    assert_eq!(
        rows[2][1..5],
        [
            day(-1),
            "关于镇政府上半年工作情况报告的审议意见".into(),
            "2".into(),
            "做好汛期地质灾害隐患点的巡查和群众转移预案".into()
        ]
    );
    assert_eq!(rows[2][5], "李明");
    assert_eq!(rows[2][9], "第2条已落实");
    assert_eq!(rows[2][10], "落实");
    assert_eq!(rows[2][11], "按期完成");
    let other = Town::setup(&app, "汉阳镇").await;
    assert_eq!(opinion_sheet(&app, &other.presidium).await.len(), 1);
}

/// The 审议意见 sheet of the ledger `token` downloads, as text.
async fn opinion_sheet(app: &TestApp, token: &str) -> Vec<Vec<String>> {
    let bytes = app
        .get(Some(token), "/export/ledger.xlsx")
        .await
        .bytes()
        .await
        .unwrap()
        .to_vec();
    jiandu_tests::ledger::text_table(&bytes, "审议意见")
}

e2e!(bad_opinions_are_refused_and_write_nothing);
async fn bad_opinions_are_refused_and_write_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let hearing = hearing(&app, &town).await;
    let session = app
        .ok(
            &town.presidium,
            "mutation($d:Date!){ createMeeting(input:{kind:CONGRESS_SESSION, title:\"第二届人民代表大会第一次会议\", heldOn:$d, deputiesTotal:40, deputiesPresent:35}){ id } }",
            json!({ "d": day(-1) }),
        )
        .await["createMeeting"]["id"]
        .clone();
    let good = json!({ "meetingId": hearing, "title": "审议意见", "points": ["加快进度"], "responsibleLeaderId": town.li });
    let with = |key: &str, value: Value| {
        let mut input = good.clone();
        input[key] = value;
        input
    };
    let too_many: Vec<String> = (1..=31).map(|i| format!("第{i}条")).collect();
    for (input, expected) in [
        (
            with("meetingId", session),
            ("VALIDATION_FAILED", "meetingId", "WRONG_STATE"),
        ),
        (
            with("points", json!([])),
            ("VALIDATION_FAILED", "points", "REQUIRED"),
        ),
        (
            with("points", json!(["加快进度", "  "])),
            ("VALIDATION_FAILED", "points", "REQUIRED"),
        ),
        (
            with("points", json!(too_many)),
            ("VALIDATION_FAILED", "points", "TOO_MANY"),
        ),
        (
            with("replyDeadline", json!(day(0))),
            ("VALIDATION_FAILED", "replyDeadline", "TOO_EARLY"),
        ),
        (
            with("responsibleLeaderId", json!(town.bridge)),
            ("VALIDATION_FAILED", "responsibleLeaderId", "UNKNOWN_RECORD"),
        ),
        (
            with("title", json!("")),
            ("VALIDATION_FAILED", "title", "REQUIRED"),
        ),
        // A deputy does not answer for the government.
        (
            with("responsibleLeaderId", json!(town.yang)),
            ("VALIDATION_FAILED", "responsibleLeaderId", "NOT_IN_LIST"),
        ),
    ] {
        let body = app
            .gql(Some(&town.presidium), &record(), json!({ "i": input }))
            .await;
        assert_eq!(refusal(&body), expected, "{input}: {body}");
    }
    app.refused(&town.deputy, &record(), json!({ "i": good }), "FORBIDDEN")
        .await;
    let none = app
        .ok(
            &town.presidium,
            "{ opinions { id } notices(first:10){ totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(none["opinions"], json!([]), "nothing written: {none}");
    assert_eq!(none["notices"]["totalCount"], 0, "and no one told: {none}");

    // The reply days are a setting, range-checked.
    let setting = "mutation($o:ID!,$d:Int!){ updateOrganizationSettings(organizationId:$o,input:{opinionReplyDays:$d}){ settings { opinionReplyDays } } }";
    let out = app
        .gql(
            Some(&town.presidium),
            setting,
            json!({ "o": town.org, "d": 4 }),
        )
        .await;
    assert_eq!(
        refusal(&out),
        ("VALIDATION_FAILED", "opinionReplyDays", "OUT_OF_RANGE"),
        "{out}"
    );
    app.ok(&town.presidium, setting, json!({ "o": town.org, "d": 10 }))
        .await;
    let soon = sent(&app, &town, json!({})).await;
    let deadline = soon["replyDeadline"].as_str().unwrap();
    // Ten working days: two weeks at least, a holiday week more at most.
    assert!(
        deadline >= day(12).as_str() && deadline <= day(35).as_str(),
        "ten working days on: {soon}"
    );
}
