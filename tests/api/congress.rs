//! The congress's own cycle (docs/congress.md): meetings with their quorum, and livelihood
//! projects by the deputies' vote — a tally no larger than those present, passing with more than
//! half of all deputies (not of those present), a passed one numbered and made a project, a
//! rejected one kept on record — all the presidium's, and nothing written by a refusal.

use jiandu_tests::town::{Town, day, today};
use jiandu_tests::{TestApp, code, e2e};
use serde_json::{Value, json};

fn year() -> i32 {
    today().format("%Y").to_string().parse().unwrap()
}

const MEETING: &str = "mutation($i:CreateMeetingInput!){ createMeeting(input:$i){ id kind title heldOn deputiesTotal deputiesPresent quorate attendees { name } version } }";
const PROPOSE: &str = "mutation($i:ProposeCandidateInput!){ proposeCandidate(input:$i){ id status version source suggestion { id } } }";
const SHORTLIST: &str = "mutation($id:ID!,$v:Int!){ shortlistCandidate(id:$id, expectedVersion:$v){ id status version } }";
const VOTE: &str = "mutation($id:ID!,$v:Int!,$i:RecordVoteInput!){ recordVote(candidateId:$id, expectedVersion:$v, input:$i){ id status version votesFor votesAgainst abstentions resolutionNumber meeting { id } project { id title origin candidate { id } } } }";

/// A congress session of 40 deputies with `present` there, held two days ago.
async fn session(app: &TestApp, town: &Town, present: i32) -> Value {
    app.ok(
        &town.presidium,
        MEETING,
        json!({ "i": { "kind": "CONGRESS_SESSION", "title": "第二届人民代表大会第一次会议", "heldOn": day(-2), "place": "镇政府三楼会议室", "deputiesTotal": 40, "deputiesPresent": present } }),
    )
    .await["createMeeting"]
        .clone()
}

/// A candidate proposed by the government and shortlisted.
async fn shortlisted(app: &TestApp, town: &Town, title: &str) -> Value {
    let proposed = app
        .ok(
            &town.presidium,
            PROPOSE,
            json!({ "i": { "year": year(), "title": title, "source": "GOVERNMENT" } }),
        )
        .await["proposeCandidate"]
        .clone();
    app.ok(
        &town.presidium,
        SHORTLIST,
        json!({ "id": proposed["id"], "v": proposed["version"] }),
    )
    .await["shortlistCandidate"]
        .clone()
}

fn tally(meeting: &Value, votes_for: i32, against: i32, abstentions: i32) -> Value {
    json!({ "meetingId": meeting["id"], "votesFor": votes_for, "votesAgainst": against, "abstentions": abstentions })
}

e2e!(a_meeting_counts_its_deputies_and_a_congress_session_its_quorum);
async fn a_meeting_counts_its_deputies_and_a_congress_session_its_quorum(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let quorate = session(&app, &town, 21).await;
    assert_eq!(quorate["quorate"], true, "21 of 40 is more than half");
    assert_eq!(quorate["deputiesPresent"], 21);
    assert_eq!(
        session(&app, &town, 20).await["quorate"],
        false,
        "20 of 40 is half"
    );

    // Named deputies are counted; a report hearing needs no quorum.
    let hearing = app
        .ok(
            &town.presidium,
            MEETING,
            json!({ "i": { "kind": "REPORT_HEARING", "title": "听取镇政府关于上半年工作情况的报告", "heldOn": day(-1), "attendeeIds": [town.yang, town.li, town.yang], "deputiesTotal": 40 } }),
        )
        .await["createMeeting"]
        .clone();
    assert_eq!(hearing["deputiesPresent"], 2);
    assert_eq!(hearing["quorate"], true);
    let mut names: Vec<&str> = hearing["attendees"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["name"].as_str().unwrap())
        .collect();
    names.sort_unstable();
    assert_eq!(names.len(), 2, "{hearing}");

    for (input, field, reason) in [
        (
            json!({ "kind": "CONGRESS_SESSION", "title": "会议", "heldOn": day(-1), "deputiesTotal": 40, "deputiesPresent": 41 }),
            "deputiesPresent",
            "OUT_OF_RANGE",
        ),
        (
            json!({ "kind": "CONGRESS_SESSION", "title": "会议", "heldOn": day(-1), "deputiesTotal": 40 }),
            "attendeeIds",
            "REQUIRED",
        ),
        (
            json!({ "kind": "CONGRESS_SESSION", "title": "会议", "heldOn": day(-1), "deputiesPresent": 30 }),
            "deputiesTotal",
            "REQUIRED",
        ),
        (
            json!({ "kind": "CONGRESS_SESSION", "title": "会议", "heldOn": day(3), "deputiesTotal": 40, "deputiesPresent": 30 }),
            "heldOn",
            "IN_FUTURE",
        ),
        (
            json!({ "kind": "CONGRESS_SESSION", "title": " ", "heldOn": day(-1), "deputiesTotal": 40, "deputiesPresent": 30 }),
            "title",
            "REQUIRED",
        ),
        (
            json!({ "kind": "REPORT_HEARING", "title": "会议", "heldOn": day(-1), "deputiesTotal": 40, "attendeeIds": [town.yang], "deputiesPresent": 5 }),
            "deputiesPresent",
            "INVALID",
        ),
    ] {
        let refused = app
            .gql(Some(&town.presidium), MEETING, json!({ "i": input }))
            .await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{input}: {refused}");
        let extensions = &refused["errors"][0]["extensions"];
        assert_eq!(extensions["field"], field, "{refused}");
        assert_eq!(extensions["reason"], reason, "{refused}");
    }
    let other = Town::setup(&app, "白马镇").await;
    let foreign = app
        .gql(
            Some(&town.presidium),
            MEETING,
            json!({ "i": { "kind": "REPORT_HEARING", "title": "会议", "heldOn": day(-1), "deputiesTotal": 40, "attendeeIds": [other.yang] } }),
        )
        .await;
    assert_eq!(
        code(&foreign),
        "VALIDATION_FAILED",
        "another township's deputy: {foreign}"
    );

    let listed = app
        .ok(
            &town.presidium,
            "query($y:Int!){ meetings(year:$y){ id kind } }",
            json!({ "y": year() }),
        )
        .await;
    assert_eq!(listed["meetings"].as_array().unwrap().len(), 3, "{listed}");
    assert_eq!(listed["meetings"][0]["id"], hearing["id"], "newest first");
}

e2e!(a_candidate_passes_with_more_than_half_of_all_deputies_and_becomes_a_project);
async fn a_candidate_passes_with_more_than_half_of_all_deputies_and_becomes_a_project(
    app: TestApp,
) {
    let town = Town::setup(&app, "思蒙镇").await;
    let meeting = session(&app, &town, 35).await;

    // Exactly half of all deputies is not enough, however many were present.
    let half = shortlisted(&app, &town, "观景平台建设").await;
    let rejected = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": half["id"], "v": half["version"], "i": tally(&meeting, 20, 10, 5) }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(rejected["status"], "REJECTED");
    assert_eq!(rejected["votesFor"], 20);
    assert_eq!(
        rejected["project"],
        Value::Null,
        "kept on record, no project"
    );
    assert_eq!(rejected["resolutionNumber"], Value::Null);

    let bridge = shortlisted(&app, &town, "湿地公园健身步道风雨桥").await;
    let passed = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": bridge["id"], "v": bridge["version"], "i": tally(&meeting, 21, 9, 5) }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(passed["status"], "PASSED", "{passed}");
    assert_eq!(passed["meeting"]["id"], meeting["id"]);
    let year_held = day(-2)[..4].to_string();
    assert_eq!(
        passed["resolutionNumber"],
        format!("思人决〔{year_held}〕1号"),
        "numbered from the year's sequence"
    );
    let project = &passed["project"];
    assert_eq!(project["title"], "湿地公园健身步道风雨桥");
    assert_eq!(project["origin"], "LIVELIHOOD_VOTE");
    assert_eq!(project["candidate"]["id"], bridge["id"], "linked both ways");

    let road = shortlisted(&app, &town, "二桥至思蒙路段提质改造").await;
    let second = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": road["id"], "v": road["version"], "i": tally(&meeting, 33, 1, 1) }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(
        second["resolutionNumber"],
        format!("思人决〔{year_held}〕2号")
    );
    let named = shortlisted(&app, &town, "统溪河至思蒙黄金旅游通道").await;
    let given = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": named["id"], "v": named["version"], "i": { "meetingId": meeting["id"], "votesFor": 30, "votesAgainst": 0, "abstentions": 0, "resolutionNumber": "思人决〔2021〕3号" } }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(
        given["resolutionNumber"], "思人决〔2021〕3号",
        "as the session gave it"
    );
    let again = shortlisted(&app, &town, "老街路灯改造").await;
    let reused = app
        .gql(
            Some(&town.presidium),
            VOTE,
            json!({ "id": again["id"], "v": again["version"], "i": { "meetingId": meeting["id"], "votesFor": 30, "votesAgainst": 0, "abstentions": 0, "resolutionNumber": "思人决〔2021〕3号" } }),
        )
        .await;
    assert_eq!(
        reused["errors"][0]["extensions"]["field"], "resolutionNumber",
        "{reused}"
    );
    // A number in the year's own form moves the numbering past it.
    let typed = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": again["id"], "v": again["version"], "i": { "meetingId": meeting["id"], "votesFor": 30, "votesAgainst": 0, "abstentions": 0, "resolutionNumber": format!("思人决〔{year_held}〕5号") } }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(
        typed["resolutionNumber"],
        format!("思人决〔{year_held}〕5号")
    );
    let next = shortlisted(&app, &town, "村道硬化").await;
    let numbered = app
        .ok(
            &town.presidium,
            VOTE,
            json!({ "id": next["id"], "v": next["version"], "i": tally(&meeting, 30, 0, 0) }),
        )
        .await["recordVote"]
        .clone();
    assert_eq!(
        numbered["resolutionNumber"],
        format!("思人决〔{year_held}〕6号")
    );

    let listed = app
        .ok(
            &town.presidium,
            "query($y:Int!){ livelihoodCandidates(year:$y){ title status } meetings(year:$y){ candidates { title } } }",
            json!({ "y": year() }),
        )
        .await;
    let statuses: Vec<(&str, &str)> = listed["livelihoodCandidates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["title"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        statuses,
        [
            ("观景平台建设", "REJECTED"),
            ("湿地公园健身步道风雨桥", "PASSED"),
            ("二桥至思蒙路段提质改造", "PASSED"),
            ("统溪河至思蒙黄金旅游通道", "PASSED"),
            ("老街路灯改造", "PASSED"),
            ("村道硬化", "PASSED"),
        ]
    );
}

e2e!(a_vote_that_breaks_a_rule_is_refused_and_writes_nothing);
async fn a_vote_that_breaks_a_rule_is_refused_and_writes_nothing(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let meeting = session(&app, &town, 35).await;
    let thin = session(&app, &town, 20).await;
    let hearing = app
        .ok(
            &town.presidium,
            MEETING,
            json!({ "i": { "kind": "REPORT_HEARING", "title": "听取报告", "heldOn": day(-1), "deputiesTotal": 40, "deputiesPresent": 30 } }),
        )
        .await["createMeeting"]
        .clone();
    let proposed = app
        .ok(
            &town.presidium,
            PROPOSE,
            json!({ "i": { "year": year(), "title": "老街路灯改造", "source": "CONSTITUENTS" } }),
        )
        .await["proposeCandidate"]
        .clone();
    let not_listed = app
        .gql(
            Some(&town.presidium),
            VOTE,
            json!({ "id": proposed["id"], "v": proposed["version"], "i": tally(&meeting, 30, 0, 0) }),
        )
        .await;
    assert_eq!(
        not_listed["errors"][0]["extensions"]["reason"], "WRONG_STATE",
        "not shortlisted: {not_listed}"
    );
    let listed = app
        .ok(
            &town.presidium,
            SHORTLIST,
            json!({ "id": proposed["id"], "v": proposed["version"] }),
        )
        .await["shortlistCandidate"]
        .clone();
    let again = app
        .gql(
            Some(&town.presidium),
            SHORTLIST,
            json!({ "id": listed["id"], "v": listed["version"] }),
        )
        .await;
    assert_eq!(again["errors"][0]["extensions"]["reason"], "WRONG_STATE");
    for (vote, field, reason) in [
        (tally(&meeting, 30, 5, 1), "votesFor", "OVER_PRESENT"),
        (tally(&meeting, 30, -1, 0), "votesAgainst", "OUT_OF_RANGE"),
        (tally(&thin, 20, 0, 0), "meetingId", "WRONG_STATE"),
        (tally(&hearing, 25, 0, 0), "meetingId", "WRONG_STATE"),
    ] {
        let refused = app
            .gql(
                Some(&town.presidium),
                VOTE,
                json!({ "id": listed["id"], "v": listed["version"], "i": vote }),
            )
            .await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{vote}: {refused}");
        let extensions = &refused["errors"][0]["extensions"];
        assert_eq!(
            (&extensions["field"], &extensions["reason"]),
            (&json!(field), &json!(reason)),
            "{refused}"
        );
    }
    let stale = app
        .gql(
            Some(&town.presidium),
            VOTE,
            json!({ "id": listed["id"], "v": proposed["version"], "i": tally(&meeting, 30, 0, 0) }),
        )
        .await;
    assert_eq!(code(&stale), "CONFLICT", "{stale}");
    let unchanged = app
        .ok(
            &town.presidium,
            "query($y:Int!){ livelihoodCandidates(year:$y){ status version votesFor } projects { totalCount } }",
            json!({ "y": year() }),
        )
        .await;
    assert_eq!(
        unchanged["livelihoodCandidates"][0],
        json!({ "status": "SHORTLISTED", "version": listed["version"], "votesFor": null })
    );

    // A candidate from a deputy's suggestion names one of the township's own suggestions.
    let suggestion = app
        .ok(
            &town.presidium,
            "mutation($d:ID!,$r:Date!){ registerSuggestion(input:{title:\"增设路灯\",content:\"老街照明不足\",source:CONGRESS_SESSION,leadDeputyId:$d,receivedOn:$r}){ id } }",
            json!({ "d": town.yang, "r": day(-4) }),
        )
        .await["registerSuggestion"]["id"]
        .clone();
    let unnamed = app
        .gql(
            Some(&town.presidium),
            PROPOSE,
            json!({ "i": { "year": year(), "title": "增设路灯", "source": "DEPUTY_SUGGESTION" } }),
        )
        .await;
    assert_eq!(unnamed["errors"][0]["extensions"]["field"], "suggestionId");
    let linked = app
        .ok(
            &town.presidium,
            PROPOSE,
            json!({ "i": { "year": year(), "title": "增设路灯", "source": "DEPUTY_SUGGESTION", "suggestionId": suggestion } }),
        )
        .await["proposeCandidate"]
        .clone();
    assert_eq!(linked["suggestion"]["id"], suggestion);
    let other = Town::setup(&app, "白马镇").await;
    let foreign = app
        .gql(
            Some(&other.presidium),
            PROPOSE,
            json!({ "i": { "year": year(), "title": "增设路灯", "source": "DEPUTY_SUGGESTION", "suggestionId": suggestion } }),
        )
        .await;
    assert_eq!(code(&foreign), "VALIDATION_FAILED", "{foreign}");
}

e2e!(only_the_presidium_records_meetings_and_votes);
async fn only_the_presidium_records_meetings_and_votes(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "白马镇").await;
    let meeting = session(&app, &town, 35).await;
    let candidate = shortlisted(&app, &town, "老街路灯改造").await;
    let proposed = app
        .ok(
            &town.presidium,
            PROPOSE,
            json!({ "i": { "year": year(), "title": "村道硬化", "source": "OTHER" } }),
        )
        .await["proposeCandidate"]
        .clone();
    let attempts = [
        (
            MEETING,
            json!({ "i": { "kind": "PRESIDIUM_MEETING", "title": "主席团会议", "heldOn": day(-1), "deputiesTotal": 40, "deputiesPresent": 5 } }),
        ),
        (
            PROPOSE,
            json!({ "i": { "year": year(), "title": "村道硬化", "source": "OTHER" } }),
        ),
        (
            SHORTLIST,
            json!({ "id": proposed["id"], "v": proposed["version"] }),
        ),
        (
            VOTE,
            json!({ "id": candidate["id"], "v": candidate["version"], "i": tally(&meeting, 30, 0, 0) }),
        ),
    ];
    for (query, vars) in &attempts {
        for (who, token) in [
            ("leader", &town.liming),
            ("deputy", &town.deputy),
            ("viewer", &town.viewer),
        ] {
            let refused = app.gql(Some(token), query, vars.clone()).await;
            assert_eq!(code(&refused), "FORBIDDEN", "{who}: {query} {refused}");
        }
    }
    for (query, vars) in &attempts[2..] {
        let refused = app.gql(Some(&other.presidium), query, vars.clone()).await;
        assert_eq!(
            code(&refused),
            "NOT_FOUND",
            "another township: {query} {refused}"
        );
    }
    let after = app
        .ok(
            &town.presidium,
            "query($y:Int!){ livelihoodCandidates(year:$y){ status } meetings { id } }",
            json!({ "y": year() }),
        )
        .await;
    assert_eq!(
        after,
        json!({ "livelihoodCandidates": [{ "status": "SHORTLISTED" }, { "status": "PROPOSED" }], "meetings": [{ "id": meeting["id"] }] }),
        "nothing written"
    );
    // A deputy and a viewer read the township's meetings and candidates.
    for token in [&town.deputy, &town.viewer] {
        let read = app
            .ok(
                token,
                "query($y:Int!){ livelihoodCandidates(year:$y){ id } meetings { id } }",
                json!({ "y": year() }),
            )
            .await;
        assert_eq!(read["meetings"].as_array().unwrap().len(), 1, "{read}");
    }
}

const ASSESS: &str = "mutation($i:RecordAssessmentInput!){ recordAssessment(input:$i){ id satisfied basicallySatisfied dissatisfied rate passed meeting { id } project { id assessments { id } } rectification { id title deadline status responsibleLeader { id } } } }";

/// The bridge assessed at a session of its own (one assessment per project and meeting).
async fn assessed(app: &TestApp, town: &Town, counts: [i32; 3]) -> Value {
    let meeting = session(app, town, 35).await;
    app.ok(
        &town.presidium,
        ASSESS,
        rating(&town.bridge, &meeting, counts),
    )
    .await["recordAssessment"]
        .clone()
}

fn rating(project: &str, meeting: &Value, counts: [i32; 3]) -> Value {
    json!({ "i": { "projectId": project, "meetingId": meeting["id"], "satisfied": counts[0], "basicallySatisfied": counts[1], "dissatisfied": counts[2] } })
}

e2e!(an_assessment_passes_at_the_organisations_rate_and_a_failed_one_opens_a_rectification);
async fn an_assessment_passes_at_the_organisations_rate_and_a_failed_one_opens_a_rectification(
    app: TestApp,
) {
    let town = Town::setup(&app, "思蒙镇").await;
    let meeting = session(&app, &town, 35).await;
    let assess = |counts: [i32; 3]| rating(&town.bridge, &meeting, counts);

    let good = assessed(&app, &town, [20, 4, 6]).await;
    assert_eq!(
        (good["rate"].as_f64(), good["passed"].as_bool()),
        (Some(0.8), Some(true))
    );
    assert_eq!(good["rectification"], Value::Null);
    let exactly = assessed(&app, &town, [3, 3, 4]).await;
    assert_eq!(
        exactly["passed"], true,
        "0.6 is the default pass rate: {exactly}"
    );

    let failed = assessed(&app, &town, [10, 5, 15]).await;
    assert_eq!(
        (failed["rate"].as_f64(), failed["passed"].as_bool()),
        (Some(0.5), Some(false))
    );
    let item = &failed["rectification"];
    assert_eq!(item["title"], "测评整改");
    assert_eq!(item["status"], "NOT_STARTED");
    assert_eq!(
        item["responsibleLeader"]["id"], town.li,
        "the project's lead leader answers"
    );
    let due = (chrono::NaiveDate::parse_from_str(&day(-2), "%Y-%m-%d").unwrap()
        + chrono::Duration::days(30))
    .to_string();
    assert_eq!(
        item["deadline"], due,
        "assessmentRectifyDays (30) after the meeting"
    );
    assert_eq!(
        failed["project"]["assessments"].as_array().unwrap().len(),
        3
    );

    // The rectification climbs the ladder like every item.
    app.ok(
        &town.presidium,
        "mutation($d:Date!){ runNoticesNow(asOf:$d){ issued } }",
        json!({ "d": day(29) }),
    )
    .await;
    let notices = app
        .ok(
            &town.presidium,
            "query($s:ID!){ notices(first: 10, filter: { subjectId: $s }) { totalCount } }",
            json!({ "s": item["id"] }),
        )
        .await;
    assert!(
        notices["notices"]["totalCount"].as_i64().unwrap() >= 1,
        "{notices}"
    );

    // The organisation's own rate: 0.75.
    let raised = app
        .ok(
            &town.presidium,
            "mutation{ updateOrganizationSettings(input:{assessmentPassRate: 0.75}){ settings { assessmentPassRate assessmentRectifyDays } } }",
            json!({}),
        )
        .await;
    assert_eq!(
        raised["updateOrganizationSettings"]["settings"],
        json!({ "assessmentPassRate": 0.75, "assessmentRectifyDays": 30 })
    );
    let at_rate = assessed(&app, &town, [7, 8, 5]).await;
    assert_eq!(at_rate["passed"], true, "{at_rate}");
    let below = assessed(&app, &town, [14, 0, 6]).await;
    assert_eq!(below["passed"], false, "0.7 < 0.75: {below}");
    for rate in [0.4, 0.605, 1.5] {
        let refused = app
            .gql(
                Some(&town.presidium),
                "mutation($r:Float!){ updateOrganizationSettings(input:{assessmentPassRate: $r}){ id } }",
                json!({ "r": rate }),
            )
            .await;
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], "assessmentPassRate",
            "{rate}: {refused}"
        );
    }

    // A tally larger than those present, or of nobody, is refused and writes nothing.
    for (counts, field, reason) in [
        ([30, 5, 1], "satisfied", "OVER_PRESENT"),
        ([0, 0, 0], "satisfied", "OUT_OF_RANGE"),
        ([1, -1, 0], "basicallySatisfied", "OUT_OF_RANGE"),
    ] {
        let refused = app.gql(Some(&town.presidium), ASSESS, assess(counts)).await;
        assert_eq!(code(&refused), "VALIDATION_FAILED", "{counts:?}: {refused}");
        assert_eq!(
            refused["errors"][0]["extensions"]["reason"], reason,
            "{refused}"
        );
        assert_eq!(
            refused["errors"][0]["extensions"]["field"], field,
            "{refused}"
        );
    }
    let other = Town::setup(&app, "白马镇").await;
    let foreign = app
        .gql(
            Some(&town.presidium),
            ASSESS,
            rating(&other.bridge, &meeting, [20, 4, 6]),
        )
        .await;
    assert_eq!(
        code(&foreign),
        "VALIDATION_FAILED",
        "another township's project: {foreign}"
    );
    for token in [&town.liming, &town.deputy, &town.viewer] {
        let refused = app.gql(Some(token), ASSESS, assess([20, 4, 6])).await;
        assert_eq!(code(&refused), "FORBIDDEN", "{refused}");
    }
    // Once a project at a meeting: the same form sent twice is a CONFLICT.
    app.ok(&town.presidium, ASSESS, assess([20, 4, 6])).await;
    let twice = app
        .gql(Some(&town.presidium), ASSESS, assess([20, 4, 6]))
        .await;
    assert_eq!(code(&twice), "CONFLICT", "{twice}");
    let kept = app
        .ok(
            &town.presidium,
            "query($p:ID!){ project(id:$p){ assessments { id } } }",
            json!({ "p": town.bridge }),
        )
        .await;
    assert_eq!(kept["project"]["assessments"].as_array().unwrap().len(), 6);
}
