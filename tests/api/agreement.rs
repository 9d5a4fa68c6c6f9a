//! The SQL filters and the domain functions say the same thing: on a generated data set of
//! hundreds of milestones and `asOf` dates, the ids each deadline-state filter returns are
//! exactly those whose `deadlineState` field (computed by `jiandu_domain`) is that state; the
//! same holds for findings, deputies' suggestions and project lights, which open findings colour too. Run around
//! today and across the 2024 National Day holiday (2024-09-29…10-12, with its two make-up
//! working days) and the 2025 Spring Festival, under several combinations of the settings the
//! rules read (rolling deadlines off rest days or not, the due-soon window, the pace
//! thresholds).

use std::collections::{BTreeMap, BTreeSet};

use chrono::{Duration, NaiveDate};
use jiandu_api::service::findings;
use jiandu_api::service::inspections::{self, NewFinding, NewInspection};
use jiandu_api::service::milestones::{self, NewMilestone};
use jiandu_api::service::projects::{self, NewProject};
use jiandu_api::service::suggestions::{self, Answer, Assignment, NewSuggestion};
use jiandu_domain::Rating;
use jiandu_domain::suggestion::{AnswerClass, SuggestionSource};
use jiandu_domain::{FindingStatus, InspectionKind, ProjectOrigin};
use jiandu_tests::town::{Town, today};
use jiandu_tests::{TestApp, e2e, texts};
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde_json::{Value, json};
use uuid::Uuid;

const STATES: [&str; 6] = jiandu_tests::DEADLINE_STATES;

/// A list's filter on one field, checked against that field of every node.
struct ListFilter {
    /// The list: `findings`, `projects`, …
    list: &'static str,
    /// The field filtered on, which each node answers too (for the same `asOf`).
    field: &'static str,
    /// The GraphQL type of the field.
    of: &'static str,
}

impl ListFilter {
    /// For each of `values`, the list filtered to it on `as_of` answers exactly the ids among
    /// `nodes` whose field has that value; returns how many of `nodes` have one of `values`.
    /// `as_of` comes with the name of the town, for the messages.
    async fn agrees(
        &self,
        app: &TestApp,
        token: &str,
        nodes: &[Value],
        values: &[&str],
        (as_of, name): (&str, &str),
    ) -> usize {
        let ListFilter { list, field, of } = self;
        let query = format!(
            "query($v:[{of}!],$d:Date){{ {list}(first:100,filter:{{{field}:$v,asOf:$d}}){{ nodes{{ id }} }} }}"
        );
        let mut matched = 0;
        for value in values {
            let expected: BTreeSet<&str> = nodes
                .iter()
                .filter(|n| n[*field] == *value)
                .map(|n| n["id"].as_str().unwrap())
                .collect();
            matched += expected.len();
            let filtered = app
                .ok(token, &query, json!({ "v": [value], "d": as_of }))
                .await;
            let got: BTreeSet<&str> = texts(&filtered[*list]["nodes"], "id").into_iter().collect();
            assert_eq!(got, expected, "{list} {value} on {as_of} in {name}");
        }
        matched
    }
}

async fn all_pages(app: &TestApp, token: &str, filter: Value) -> Vec<Value> {
    let mut nodes = Vec::new();
    let mut after: Option<String> = None;
    loop {
        let data = app
            .ok(
                token,
                "query($f:MilestoneFilter,$a:String,$d:Date){ milestones(first:100,after:$a,filter:$f){ totalCount pageInfo{ hasNextPage endCursor } nodes{ id deadlineState(asOf:$d) } } }",
                json!({ "f": filter, "a": after, "d": filter["asOf"] }),
            )
            .await;
        let page = &data["milestones"];
        nodes.extend(page["nodes"].as_array().unwrap().iter().cloned());
        if page["pageInfo"]["hasNextPage"] != true {
            assert_eq!(
                page["totalCount"].as_u64().unwrap() as usize,
                nodes.len(),
                "totalCount matches the pages"
            );
            return nodes;
        }
        after = page["pageInfo"]["endCursor"].as_str().map(String::from);
    }
}

/// Thirty deputies' suggestions of `town`, each step taken on its day around `base` (the
/// clock stopped then): some left registered or withdrawn before assignment (no deadline, no
/// state), the rest assigned with deadlines within twenty days of `base` and then withdrawn,
/// answered early or late, rated and concluded, or rated dissatisfied and so open again with a
/// redo deadline.
async fn suggestions_around(
    app: &TestApp,
    presidium: &jiandu_api::service::Actor,
    town: &Town,
    base: NaiveDate,
    rng: &mut StdRng,
) {
    let on = |day: NaiveDate| {
        app.ctx
            .stopped_at(day.and_hms_opt(4, 0, 0).unwrap().and_utc())
    };
    for n in 0..30 {
        let new = NewSuggestion {
            title: format!("建议{n}"),
            content: "群众反映的问题".into(),
            category: None,
            source: SuggestionSource::Intersession,
            lead_deputy_id: town.yang.parse().unwrap(),
            co_signer_ids: Vec::new(),
            received_on: base - Duration::days(40),
        };
        let registered = base - Duration::days(40);
        let s = suggestions::register_suggestion(&on(registered), presidium, new)
            .await
            .unwrap();
        let fate = rng.random_range(0..10);
        if fate == 0 {
            continue;
        }
        if fate == 1 {
            suggestions::withdraw_suggestion(&on(registered), presidium, s.id, s.version, "撤回")
                .await
                .unwrap();
            continue;
        }
        let assigned = base - Duration::days(30);
        let deadline = base + Duration::days(rng.random_range(-20..20));
        let assignment = Assignment {
            lead_unit_id: town.cunjian.parse().unwrap(),
            co_unit_ids: Vec::new(),
            responsible_leader_id: town.li.parse().unwrap(),
            key_item: false,
            deadline: Some(deadline),
        };
        let s =
            suggestions::assign_suggestion(&on(assigned), presidium, s.id, s.version, assignment)
                .await
                .unwrap();
        match fate {
            2 => {
                suggestions::withdraw_suggestion(&on(assigned), presidium, s.id, s.version, "撤回")
                    .await
                    .unwrap();
            }
            3..=5 => {
                let day =
                    (deadline + Duration::days(rng.random_range(-5..5))).clamp(assigned, base);
                let answer = Answer {
                    answer_class: AnswerClass::A,
                    text: "已办理".into(),
                    answered_on: day,
                    met_deputy: true,
                };
                let s =
                    suggestions::answer_suggestion(&on(day), presidium, s.id, s.version, answer)
                        .await
                        .unwrap();
                let rating = if fate == 5 {
                    Rating::Dissatisfied
                } else {
                    Rating::Satisfied
                };
                let s = suggestions::record_feedback(
                    &on(day),
                    presidium,
                    s.id,
                    s.version,
                    rating,
                    None,
                )
                .await
                .unwrap();
                if fate == 4 {
                    suggestions::conclude_suggestion(&on(day), presidium, s.id, s.version)
                        .await
                        .unwrap();
                }
            }
            _ => {}
        }
    }
}

/// The suggestions filtered by each deadline state on `as_of` are exactly those whose
/// `deadlineState` is that state; those without a deadline are in none.
async fn suggestions_agree(app: &TestApp, town: &Town, as_of: &str, name: &str) {
    let all = app
        .ok(
            &town.viewer,
            "query($d:Date){ suggestions(first:100){ totalCount nodes{ id deadlineState(asOf:$d) } } }",
            json!({ "d": as_of }),
        )
        .await;
    let nodes = all["suggestions"]["nodes"].as_array().unwrap();
    assert_eq!(nodes.len(), 30);
    let by_state = ListFilter {
        list: "suggestions",
        field: "deadlineState",
        of: "DeadlineState",
    };
    let stated = by_state
        .agrees(app, &town.viewer, nodes, &STATES, (as_of, name))
        .await;
    let without = nodes
        .iter()
        .filter(|n| n["deadlineState"].is_null())
        .count();
    assert_eq!(stated + without, 30);
    assert!(without > 0 && stated > without, "{name}: a mix of states");
}

fn d(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

/// The lists of a server that keeps each organisation's work are filtered in memory; those of a
/// server that keeps nothing, by their SQL: both agree with the domain rules.
async fn sql_filters_agree_with_the_domain_rules(app: TestApp) {
    every_filter_agrees(&app).await;
    every_filter_agrees(&TestApp::spawn_keeping_nothing(app.backend).await).await;
}

async fn every_filter_agrees(app: &TestApp) {
    let around_today: Vec<NaiveDate> = {
        let mut rng = StdRng::seed_from_u64(7);
        (0..6)
            .map(|_| today() + Duration::days(rng.random_range(-45..45)))
            .collect()
    };
    agree(app, "思蒙镇", today(), json!({}), &around_today).await;
    let national_day = [
        "2024-09-28",
        "2024-09-29",
        "2024-09-30",
        "2024-10-01",
        "2024-10-06",
        "2024-10-08",
        "2024-10-12",
    ]
    .map(d);
    agree(
        app,
        "汉阳镇",
        d("2024-10-04"),
        json!({ "rollDeadlinesOffRestDays": true }),
        &national_day,
    )
    .await;
    agree(
        app,
        "永兴镇",
        d("2024-10-04"),
        json!({ "rollDeadlinesOffRestDays": false, "dueSoonWorkingDays": 0 }),
        &national_day,
    )
    .await;
    let spring_festival = [
        "2025-01-24",
        "2025-01-26",
        "2025-01-27",
        "2025-01-29",
        "2025-02-04",
        "2025-02-05",
        "2025-02-08",
    ]
    .map(d);
    agree(
        app,
        "三星镇",
        d("2025-01-30"),
        json!({ "rollDeadlinesOffRestDays": true, "dueSoonWorkingDays": 5,
                "behindPaceYellowPoints": 10, "behindPaceRedPoints": 30 }),
        &spring_festival,
    )
    .await;
}

/// One town whose deadlines are spread around `base`, with `settings`, checked on each of
/// `as_ofs`.
async fn agree(app: &TestApp, name: &str, base: NaiveDate, settings: Value, as_ofs: &[NaiveDate]) {
    let town = Town::setup(app, name).await;
    app.ok(
        &town.presidium,
        "mutation($s:OrganizationSettingsInput!){ updateOrganizationSettings(input:$s){ id } }",
        json!({ "s": settings }),
    )
    .await;
    let presidium = app.actor(&format!("presidium-{}", &town.org[28..])).await;
    let mut rng = StdRng::seed_from_u64(20211201);
    let leader: Uuid = town.li.parse().unwrap();
    let unit: Uuid = town.cunjian.parse().unwrap();
    let mut project_ids = Vec::new();
    for p in 0..8 {
        let project = projects::create_project(
            &app.ctx,
            &presidium,
            NewProject {
                title: format!("项目{p}"),
                description: None,
                origin: ProjectOrigin::WorkReport,
                location: None,
                construction: false,
                lead_leader_id: None,
                planned_start: None,
                planned_end: None,
            },
        )
        .await
        .unwrap();
        project_ids.push(project.id);
        for i in 0..25 {
            let deadline = base + Duration::days(rng.random_range(-20..20));
            let start = rng
                .random_bool(0.5)
                .then(|| deadline - Duration::days(rng.random_range(0..60)));
            let m = milestones::add_milestone(
                &app.ctx,
                &presidium,
                NewMilestone {
                    project_id: project.id,
                    parent_id: None,
                    title: format!("节点{}", rng.random_range(0..8)),
                    description: None,
                    responsible_leader_id: leader,
                    responsible_unit_id: unit,
                    responsible_person_id: None,
                    start_date: start,
                    deadline,
                    weight: None,
                },
            )
            .await
            .unwrap();
            match rng.random_range(0..10) {
                0..=2 if start.is_none_or(|start| start <= base) => {
                    let on = (deadline + Duration::days(rng.random_range(-5..5))).min(base);
                    let on = start.map_or(on, |start| on.max(start));
                    milestones::complete_milestone(
                        &app.ctx,
                        &presidium,
                        m.id,
                        m.version,
                        None,
                        Some(on),
                    )
                    .await
                    .unwrap();
                }
                3 => {
                    milestones::cancel_milestone(&app.ctx, &presidium, m.id, m.version, "撤销")
                        .await
                        .unwrap();
                }
                4..=6 => {
                    milestones::report_progress(
                        &app.ctx,
                        &presidium,
                        m.id,
                        rng.random_range(0..=100),
                        None,
                    )
                    .await
                    .unwrap();
                }
                _ => {}
            }
            let _ = i;
        }
        // Findings raised on the project, open, in rectification or resolved (today, so done
        // on time or late depending on their deadline).
        let inspection = inspections::log_inspection(
            &app.ctx,
            &presidium,
            NewInspection {
                kind: InspectionKind::Check,
                project_id: Some(project.id),
                topic: None,
                visited_on: base - Duration::days(45),
                location: None,
                participant_ids: vec![leader],
                milestone_ids: Vec::new(),
                summary: "检查".into(),
                rating: None,
                findings: (0..rng.random_range(0..5))
                    .map(|_| NewFinding {
                        description: "整改事项".into(),
                        milestone_id: None,
                        responsible_leader_id: leader,
                        responsible_unit_id: unit,
                        deadline: base + Duration::days(rng.random_range(-20..20)),
                    })
                    .collect(),
            },
        )
        .await
        .unwrap();
        for f in findings::findings_of_inspections(&app.ctx, &presidium, &[inspection.id])
            .await
            .unwrap()
        {
            let (status, resolution) = match rng.random_range(0..3) {
                0 => (FindingStatus::Rectifying, None),
                1 => (FindingStatus::Resolved, Some("已整改")),
                _ => continue,
            };
            findings::update_finding(
                &app.ctx, &presidium, f.id, f.version, status, resolution, None,
            )
            .await
            .unwrap();
        }
    }

    suggestions_around(app, &presidium, &town, base, &mut rng).await;

    for as_of in as_ofs {
        let as_of = as_of.to_string();
        suggestions_agree(app, &town, &as_of, name).await;
        // The domain's answer: every milestone with its computed state.
        let everything = all_pages(app, &town.viewer, json!({ "asOf": as_of })).await;
        assert_eq!(everything.len(), 200);
        let mut by_state: BTreeMap<String, BTreeSet<String>> = BTreeMap::new();
        for node in &everything {
            by_state
                .entry(node["deadlineState"].as_str().unwrap().to_string())
                .or_default()
                .insert(node["id"].as_str().unwrap().to_string());
        }
        // The SQL's answer, state by state.
        for state in STATES {
            let filtered = all_pages(
                app,
                &town.viewer,
                json!({ "asOf": as_of, "deadlineState": [state] }),
            )
            .await;
            let ids: BTreeSet<String> = filtered
                .iter()
                .map(|n| n["id"].as_str().unwrap().to_string())
                .collect();
            assert_eq!(
                ids,
                by_state.get(state).cloned().unwrap_or_default(),
                "{state} on {as_of} in {name}"
            );
        }
        let overdue = app
            .ok(
                &town.viewer,
                "query($d:Date){ overdueMilestones(asOf:$d, first:5){ totalCount } }",
                json!({ "d": as_of }),
            )
            .await;
        assert_eq!(
            overdue["overdueMilestones"]["totalCount"].as_u64().unwrap() as usize,
            by_state.get("OVERDUE").map_or(0, |s| s.len())
        );
        // Findings: the same, with their own table and statuses.
        let all_findings = app
            .ok(
                &town.viewer,
                "query($d:Date){ findings(first:100){ totalCount nodes{ id deadlineState(asOf:$d) } } }",
                json!({ "d": as_of }),
            )
            .await;
        let nodes = all_findings["findings"]["nodes"].as_array().unwrap();
        assert_eq!(all_findings["findings"]["totalCount"], nodes.len());
        let by_state = ListFilter {
            list: "findings",
            field: "deadlineState",
            of: "DeadlineState",
        };
        by_state
            .agrees(app, &town.viewer, nodes, &STATES, (&as_of, name))
            .await;
        // Each project's light and counts, from one grouped statement, against the domain's
        // answers for its own milestones and findings: the worst light of what is open (GREY once
        // the project is closed), and the counts of its items (parents not counted).
        let projects = app
            .ok(
                &town.viewer,
                "query($d:Date){ projects(first:10){ totalCount nodes{ id status light(asOf:$d)
                    counts(asOf:$d){ total open overdue dueSoon done cancelled }
                    milestones(first:30){ totalCount nodes{ isItem status light(asOf:$d) deadlineState(asOf:$d) } }
                    findings(first:10){ totalCount nodes{ status light(asOf:$d) } } } } }",
                json!({ "d": as_of }),
            )
            .await;
        let rank = |light: &Value| match light.as_str().unwrap() {
            "RED" => 3,
            "YELLOW" => 2,
            "GREEN" => 1,
            _ => 0,
        };
        assert_eq!(
            projects["projects"]["totalCount"], 9,
            "the bridge and eight more"
        );
        for p in projects["projects"]["nodes"].as_array().unwrap() {
            let milestones = p["milestones"]["nodes"].as_array().unwrap();
            let findings = p["findings"]["nodes"].as_array().unwrap();
            assert_eq!(p["milestones"]["totalCount"], milestones.len());
            assert_eq!(p["findings"]["totalCount"], findings.len());
            let worst = milestones
                .iter()
                .chain(findings)
                .map(|n| rank(&n["light"]))
                .max()
                .unwrap_or(0)
                .max(1);
            let expected = if ["COMPLETED", "CANCELLED"].contains(&p["status"].as_str().unwrap()) {
                "GREY"
            } else {
                ["", "GREEN", "YELLOW", "RED"][worst]
            };
            assert_eq!(p["light"], expected, "project light on {as_of} in {name}");
            let items: Vec<&Value> = milestones.iter().filter(|m| m["isItem"] == true).collect();
            let state = |s: &str| items.iter().filter(|m| m["deadlineState"] == s).count();
            assert_eq!(p["counts"]["total"], items.len());
            assert_eq!(p["counts"]["overdue"], state("OVERDUE"));
            assert_eq!(p["counts"]["dueSoon"], state("DUE_SOON"));
            assert_eq!(
                p["counts"]["open"],
                state("OVERDUE") + state("DUE_SOON") + state("UPCOMING")
            );
            assert_eq!(p["counts"]["cancelled"], state("CANCELLED"));
            assert_eq!(
                p["counts"]["done"],
                items.iter().filter(|m| m["status"] == "CLOSED").count(),
                "办结 is signed off"
            );
        }
        // Project lights (milestones and open findings): the filter against each project's
        // light field.
        let lights = app
            .ok(
                &town.viewer,
                "query($d:Date){ projects(first:100){ nodes{ id light(asOf:$d) } } }",
                json!({ "d": as_of }),
            )
            .await;
        let nodes = lights["projects"]["nodes"].as_array().unwrap();
        let colours = ["RED", "YELLOW", "GREEN", "GREY"];
        let by_light = ListFilter {
            list: "projects",
            field: "light",
            of: "Light",
        };
        by_light
            .agrees(app, &town.viewer, nodes, &colours, (&as_of, name))
            .await;
        // The dashboard counts the same lights in one aggregate.
        let dashboard = app
            .ok(
                &town.viewer,
                "query($d:Date){ dashboard(asOf:$d){ projectsByLight{ light count } } }",
                json!({ "d": as_of }),
            )
            .await;
        for light in colours {
            let counted = dashboard["dashboard"]["projectsByLight"]
                .as_array()
                .unwrap()
                .iter()
                .find(|l| l["light"] == light)
                .map(|l| l["count"].as_u64().unwrap())
                .unwrap();
            let expected = nodes.iter().filter(|n| n["light"] == light).count();
            assert_eq!(counted as usize, expected, "dashboard {light} on {as_of}");
        }
    }
    assert_eq!(project_ids.len(), 8);
}
e2e!(sql_filters_agree_with_the_domain_rules);
