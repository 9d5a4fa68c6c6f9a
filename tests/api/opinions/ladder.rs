//! The reply deadline of an opinion is a deadline like every other: the daily scan reminds,
//! urges and orders (numbered with the organisation's orders) while the reply is awaited, and
//! stops once it is answered; an opinion sent when already due soon has its sending notice for
//! its reminder. A leader dates a late reply back only as far as a completion; the presidium,
//! entering one that came on paper, further.

use jiandu_api::service::congress::{self, NewOpinion};
use jiandu_domain::{WorkCalendar, workdays};
use jiandu_tests::town::{Town, assert_whole_ladder, day, today};
use jiandu_tests::{TestApp, e2e};
use serde_json::json;

use super::{answer, each_point, hearing, refusal, sent};

/// Days scanned: the sixth working day ahead, and then past the order's working days overdue,
/// with a week-long holiday between.
const LADDER_DAYS: i64 = 26;

e2e!(an_unanswered_opinion_climbs_the_notice_ladder_and_an_answered_one_stops);
async fn an_unanswered_opinion_climbs_the_notice_ladder_and_an_answered_one_stops(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    // Due on the sixth working day from today: not yet due soon when sent (three working days
    // ahead, a weekend or a holiday between stretching the window), whatever day today is.
    let calendar = WorkCalendar::new(workdays::parse(workdays::SHIPPED).unwrap());
    let deadline = calendar.nth_workday_after(today(), 6);
    let late = sent(&app, &town, json!({ "replyDeadline": deadline })).await;
    let fields = "kind number title recipient { name } opinion { id }";
    let notices = town
        .notices_through(&app, 0..=LADDER_DAYS, &late["id"], fields)
        .await;
    assert_whole_ladder(&notices);
    let nodes = notices["nodes"].as_array().unwrap();
    // The ladder's own reminder, besides the notice that sent it.
    assert!(
        nodes
            .iter()
            .any(|n| n["kind"] == "REMINDER" && n["title"].as_str().unwrap().starts_with("提醒：")),
        "{notices}"
    );
    let order = nodes
        .iter()
        .find(|n| n["kind"] == "SUPERVISION_ORDER")
        .unwrap();
    assert!(
        order["number"].as_str().unwrap().contains("人督〔"),
        "numbered as every order: {order}"
    );
    assert!(
        order["title"]
            .as_str()
            .unwrap()
            .contains("审议意见：关于镇政府上半年工作情况报告的审议意见"),
        "{order}"
    );
    assert!(
        nodes
            .iter()
            .all(|n| n["recipient"]["name"] == "李明" && n["opinion"]["id"] == late["id"])
    );
    let overdue = app
        .ok(
            &town.presidium,
            "query($y:Int!,$d:Date!){ opinions(year:$y){ id deadlineState(asOf:$d) light(asOf:$d) } }",
            json!({ "y": today().format("%Y").to_string().parse::<i32>().unwrap(), "d": day(LADDER_DAYS) }),
        )
        .await;
    let seen = overdue["opinions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["id"] == late["id"])
        .unwrap();
    assert_eq!(seen["deadlineState"], "OVERDUE");
    assert_eq!(seen["light"], "RED");

    // Answered today: the ladder stops for it.
    let answered = sent(&app, &town, json!({ "replyDeadline": deadline })).await;
    app.ok(
        &town.liming,
        &answer(),
        json!({ "id": answered["id"], "v": answered["version"], "d": day(0), "f": each_point(&answered, |_| json!("已办"), "feedback") }),
    )
    .await;
    let quiet = town
        .notices_through(&app, 0..=LADDER_DAYS, &answered["id"], "kind")
        .await;
    assert_eq!(
        quiet["totalCount"], 1,
        "only the notice that sent it: {quiet}"
    );
}

e2e!(an_opinion_sent_when_due_soon_is_reminded_once);
async fn an_opinion_sent_when_due_soon_is_reminded_once(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let soon = sent(&app, &town, json!({ "replyDeadline": day(1) })).await;
    let notices = town
        .notices_through(&app, 0..=0, &soon["id"], "kind title")
        .await;
    assert_eq!(notices["totalCount"], 1, "{notices}");
    assert_eq!(notices["nodes"][0]["kind"], "REMINDER");
    assert!(
        notices["nodes"][0]["title"]
            .as_str()
            .unwrap()
            .starts_with("交办："),
        "the notice that sent it is its reminder: {notices}"
    );
}

e2e!(a_leader_dates_a_late_reply_back_no_further_than_a_completion);
async fn a_leader_dates_a_late_reply_back_no_further_than_a_completion(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let meeting = hearing(&app, &town).await;
    // Sent a month ago, as the presidium then recorded it.
    let month_ago = (today() - chrono::Duration::days(30))
        .and_hms_opt(4, 0, 0)
        .unwrap()
        .and_utc();
    let presidium = app.actor(&app.username(&town.presidium).await).await;
    let new = || NewOpinion {
        meeting_id: meeting.as_str().unwrap().parse().unwrap(),
        title: "关于上半年工作的审议意见".into(),
        points: vec!["加快道路建设".into()],
        responsible_leader_id: town.li.parse().unwrap(),
        reply_deadline: None,
    };
    let early = app.ctx.stopped_at(month_ago);
    let mut opinions = Vec::new();
    for _ in 0..2 {
        let o = congress::record_opinion(&early, &presidium, new())
            .await
            .unwrap();
        opinions.push(json!({ "id": o.id.to_string(), "version": o.version, "points": [{ "id": o.points[0].id.to_string() }] }));
    }
    let vars = |o: &serde_json::Value, on: String| json!({ "id": o["id"], "v": o["version"], "d": on, "f": each_point(o, |_| json!("已办"), "feedback") });
    let late = app
        .gql(Some(&town.liming), &answer(), vars(&opinions[0], day(-20)))
        .await;
    assert_eq!(
        refusal(&late),
        ("VALIDATION_FAILED", "answeredOn", "BACKDATE_LIMIT"),
        "{late}"
    );
    app.ok(&town.liming, &answer(), vars(&opinions[0], day(-7)))
        .await;
    let paper = app
        .ok(&town.presidium, &answer(), vars(&opinions[1], day(-20)))
        .await;
    assert_eq!(paper["answerOpinion"]["answeredOn"], day(-20));
}
