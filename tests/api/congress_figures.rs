//! The congress's year in the annual report (docs/congress.md): the meetings held and the
//! reports heard, the livelihood projects voted and passed, the satisfaction rate over the year's
//! assessments, the opinions' points and those carried out — counted for the organisation only,
//! and told in the summary in the report's words.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

const FIGURES: &str = "query($y:Int!){ annualReport(year:$y){ meetingsHeld reportsHeard livelihoodProjectsVoted livelihoodProjectsPassed assessmentSatisfactionRate opinionPoints opinionPointsImplemented summary } }";

/// The year of the meetings below (held yesterday): on 1 January, last year.
fn year() -> i32 {
    day(-1)[..4].parse().unwrap()
}

async fn meeting(app: &TestApp, town: &Town, kind: &str, title: &str) -> Value {
    app.ok(
        &town.presidium,
        "mutation($k:MeetingKind!,$t:String!,$d:Date!){ createMeeting(input:{kind:$k, title:$t, heldOn:$d, deputiesTotal:40, deputiesPresent:35}){ id } }",
        json!({ "k": kind, "t": title, "d": day(-1) }),
    )
    .await["createMeeting"]["id"]
        .clone()
}

/// A candidate shortlisted and voted at `session` with `votes_for` of 40.
async fn voted(app: &TestApp, town: &Town, session: &Value, title: &str, votes_for: i32) {
    let c = app
        .ok(
            &town.presidium,
            "mutation($y:Int!,$t:String!){ proposeCandidate(input:{year:$y, title:$t, source:GOVERNMENT}){ id version } }",
            json!({ "y": year(), "t": title }),
        )
        .await["proposeCandidate"]
        .clone();
    let c = app
        .ok(
            &town.presidium,
            "mutation($id:ID!,$v:Int!){ shortlistCandidate(id:$id,expectedVersion:$v){ id version } }",
            json!({ "id": c["id"], "v": c["version"] }),
        )
        .await["shortlistCandidate"]
        .clone();
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$m:ID!,$f:Int!){ recordVote(candidateId:$id,expectedVersion:$v,input:{meetingId:$m,votesFor:$f,votesAgainst:0,abstentions:0}){ id } }",
        json!({ "id": c["id"], "v": c["version"], "m": session, "f": votes_for }),
    )
    .await;
}

e2e!(the_congress_year_is_counted_and_told_in_the_annual_report);
async fn the_congress_year_is_counted_and_told_in_the_annual_report(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    let empty = app
        .ok(&town.presidium, FIGURES, json!({ "y": year() }))
        .await["annualReport"]
        .clone();
    assert_eq!(empty["meetingsHeld"], 0);
    assert_eq!(empty["assessmentSatisfactionRate"], Value::Null);
    assert!(!empty["summary"].as_str().unwrap().contains("召开会议"));

    let session = meeting(
        &app,
        &town,
        "CONGRESS_SESSION",
        "第二届人民代表大会第一次会议",
    )
    .await;
    voted(&app, &town, &session, "二桥至思蒙路段提质改造", 33).await;
    voted(&app, &town, &session, "老街停车场建设", 12).await;
    // The bridge assessed twice over the year: (20 + 4) of 30, then (9 + 0) of 10.
    for counts in [[20, 4, 6], [9, 0, 1]] {
        let at = meeting(
            &app,
            &town,
            "CONGRESS_SESSION",
            "第二届人民代表大会第二次会议",
        )
        .await;
        app.ok(
            &town.presidium,
            "mutation($p:ID!,$m:ID!,$s:Int!,$b:Int!,$d:Int!){ recordAssessment(input:{projectId:$p,meetingId:$m,satisfied:$s,basicallySatisfied:$b,dissatisfied:$d}){ id } }",
            json!({ "p": town.bridge, "m": at, "s": counts[0], "b": counts[1], "d": counts[2] }),
        )
        .await;
    }
    let hearing = meeting(&app, &town, "REPORT_HEARING", "听取镇政府工作情况的报告").await;
    let opinion = app
        .ok(
            &town.presidium,
            "mutation($m:ID!,$l:ID!){ recordOpinion(input:{meetingId:$m,title:\"审议意见\",points:[\"一\",\"二\",\"三\"],responsibleLeaderId:$l}){ id version points { id } } }",
            json!({ "m": hearing, "l": town.li }),
        )
        .await["recordOpinion"]
        .clone();
    let each = |value: &str, key: &str| -> Value {
        opinion["points"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| json!({ "pointId": p["id"], key: value }))
            .collect()
    };
    let answered = app
        .ok(
            &town.liming,
            "mutation($id:ID!,$v:Int!,$d:Date!,$f:[PointFeedbackInput!]!){ answerOpinion(id:$id,expectedVersion:$v,answeredOn:$d,feedback:$f){ version } }",
            json!({ "id": opinion["id"], "v": opinion["version"], "d": day(0), "f": each("已办", "feedback") }),
        )
        .await["answerOpinion"]["version"]
        .clone();
    let mut judgements = each("IMPLEMENTED", "judgement");
    judgements[2]["judgement"] = json!("PARTLY");
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$j:[PointJudgementInput!]!){ judgeOpinion(id:$id,expectedVersion:$v,judgements:$j){ id } }",
        json!({ "id": opinion["id"], "v": answered, "j": judgements }),
    )
    .await;

    let report = app
        .ok(&town.presidium, FIGURES, json!({ "y": year() }))
        .await["annualReport"]
        .clone();
    assert_eq!(report["meetingsHeld"], 4, "{report}");
    assert_eq!(report["reportsHeard"], 1);
    assert_eq!(report["livelihoodProjectsVoted"], 2);
    assert_eq!(report["livelihoodProjectsPassed"], 1);
    let rate = report["assessmentSatisfactionRate"].as_f64().unwrap();
    assert!(
        (rate - 33.0 / 40.0).abs() < 1e-9,
        "over all votes cast: {rate}"
    );
    assert_eq!(report["opinionPoints"], 3);
    assert_eq!(report["opinionPointsImplemented"], 2);
    let summary = report["summary"].as_str().unwrap();
    assert!(
        summary.contains(
            "召开会议4次；依法表决了重大民生实事项目2件，二桥至思蒙路段提质改造通过了大会决议；\
             开展民生实事项目满意度测评2次，满意率82.5%；\
             组织人大代表听取本级政府工作汇报1次，提出审议意见3条，已落实2条。"
        ),
        "{summary}"
    );

    // Another township's year has none of it, and last year is not this one.
    let theirs = app
        .ok(&other.presidium, FIGURES, json!({ "y": year() }))
        .await["annualReport"]
        .clone();
    let last_year = app
        .ok(&town.presidium, FIGURES, json!({ "y": year() - 1 }))
        .await["annualReport"]
        .clone();
    for quiet in [theirs, last_year] {
        assert_eq!(
            (
                &quiet["meetingsHeld"],
                &quiet["livelihoodProjectsVoted"],
                &quiet["opinionPoints"]
            ),
            (&json!(0), &json!(0), &json!(0)),
            "{quiet}"
        );
    }
}
