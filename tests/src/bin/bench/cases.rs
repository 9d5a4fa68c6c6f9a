//! The measured queries, with the ids they ask about and the SQL statements each may run.

use anyhow::{Context, bail};
use serde_json::{Value, json};

use super::drive::post;
use super::{Case, Write};

pub(crate) async fn cases(
    client: &reqwest::Client,
    base: &str,
    token: &str,
    town: &str,
) -> anyhow::Result<Vec<Case>> {
    let listed = post(client, base, token, "query($o:ID!){ projects(first:50, filter:{organizationId:$o}){ nodes{ id } } milestones(first:100, filter:{organizationId:$o, status:[IN_PROGRESS]}){ nodes{ id children{ id } } } }", &json!({ "o": town })).await?;
    let projects: Vec<Value> = listed["data"]["projects"]["nodes"]
        .as_array()
        .context("projects")?
        .iter()
        .map(|n| json!({ "id": n["id"] }))
        .collect();
    let leaves: Vec<Value> = listed["data"]["milestones"]["nodes"]
        .as_array()
        .context("milestones")?
        .iter()
        .filter(|n| n["children"].as_array().is_some_and(|c| c.is_empty()))
        .enumerate()
        .map(|(i, n)| json!({ "id": n["id"], "p": 10 + (i % 80) }))
        .collect();
    if projects.is_empty() || leaves.is_empty() {
        bail!("the data set has no projects or open leaf milestones");
    }
    let tree = "query($id:ID!){ project(id:$id){ title rootMilestones{ title deadline deadlineState light responsibleLeader{ name } responsibleUnit{ name }
        children{ title deadlineState light responsibleLeader{ name } responsibleUnit{ name }
          children{ title deadlineState light responsibleLeader{ name } responsibleUnit{ name } } } } } }";
    let list = "{ projects(first:20){ totalCount nodes{ id title light counts{ total open overdue dueSoon } } } }";
    let dashboard = "{ dashboard{ projectCount projectsByLight{ light count } milestones{ total overdue dueSoon onTimeRate } byLeader{ counts{ overdue } } byOrganization{ projectCount } openFindings overdueFindings } }";
    // With a note: progress may go back, which the server takes only with a reason.
    let report = "mutation($id:ID!,$p:Int!){ reportProgress(milestoneId:$id, progress:$p, note:\"现场核实\"){ id progress } }";
    let case = |name, floor, query: &str, variables: &[Value], sql_bound| Case {
        name,
        floor: Some(floor),
        query: query.into(),
        variables: variables.to_vec(),
        sql_bound,
        after: None,
        page: false,
        p99_target_ms: None,
    };
    // The workbench's pages, rendered on the server (no floor: the HTML is the product).
    let page = |name, path: &str, variables: &[Value], sql_bound| Case {
        floor: None,
        page: true,
        ..case(name, "", path, variables, sql_bound)
    };
    let one = [json!({})];
    // The data set's year: its suggestions were received this year (Beijing time).
    let year = (chrono::Utc::now() + chrono::Duration::hours(8))
        .format("%Y")
        .to_string()
        .parse::<i32>()?;
    let records = "query($y:Int!){ deputyRecords(year:$y){ deputy{ name } year inspections suggestions contactsReceived constituentVisits trainings trainingHours meetingsAttended total } }";
    let years = [json!({ "y": year })];
    Ok(vec![
        case("typename", "typename", "{ __typename }", &one, 0.0),
        case(
            "project_by_id",
            "project_by_id",
            "query($id:ID!){ project(id:$id){ id title status origin progress light } }",
            &projects,
            1.0,
        ),
        // Kept: the projects' figures are kept until a write in their township.
        case("projects_first_20", "projects_first_20", list, &one, 1.0),
        // Computed every time (the server without kept figures): the grouped statement.
        case(
            "projects_first_20_uncached",
            "projects_first_20_uncached",
            list,
            &one,
            4.0,
        ),
        case("project_tree", "project_tree", tree, &projects, 1.0),
        case(
            "overdue_in_township",
            "overdue_in_township",
            "query($o:ID!){ milestones(first:20, filter:{organizationId:$o, deadlineState:[OVERDUE]}){ totalCount nodes{ id title daysOverdue } } }",
            &[json!({ "o": town })],
            1.0,
        ),
        case("dashboard", "dashboard", dashboard, &one, 1.0),
        case("dashboard_uncached", "dashboard", dashboard, &one, 4.0),
        // Every read follows a progress report in the first township: the server computes that
        // township's share again and keeps the others'. The write's statements are counted too.
        Case {
            floor: None,
            after: Some(Write {
                query: report,
                variables: leaves.clone(),
                token: token.to_string(),
            }),
            ..case("dashboard_after_write", "dashboard", dashboard, &one, 10.0)
        },
        case("report_progress", "report_progress", report, &leaves, 6.0),
        Case {
            floor: None,
            ..case(
                "extension_requests",
                "extension_requests",
                "{ extensionRequests(first:20, status:[PENDING]){ totalCount nodes{ id proposedDeadline reason milestone{ title deadline dueBy } } } }",
                &one,
                3.0,
            )
        },
        // Most finished items are signed off in the data set: the sign-off figures and 按期办结率.
        Case {
            floor: None,
            ..case(
                "dashboard_signed_off",
                "dashboard",
                "{ dashboard{ pendingSignOff pendingExtensions milestones{ total done closed pendingSignOff due closedOnTime onTimeRate } byLeader{ counts{ due closedOnTime onTimeRate } } byOrganization{ milestones{ closed onTimeRate } } } }",
                &one,
                2.0,
            )
        },
        // Deputies' suggestions across the county: a page of the list with each one's light, and
        // the year's figures (two statements however many suggestions the scope holds).
        case(
            "suggestions_first_20_county",
            "suggestions_first_20",
            "{ suggestions(first:20){ totalCount nodes{ id number title status deadline deadlineState light daysOverdue leadDeputy{ name } leadUnit{ name } responsibleLeader{ name } } } }",
            &one,
            2.5,
        ),
        // Every deputy's year across the county (30 townships × 40 deputies): kept between
        // writes, and counted every time (one grouped statement per figure, never one per
        // deputy) by the server without kept figures.
        Case {
            floor: None,
            p99_target_ms: Some(50.0),
            ..case("deputy_records_county", "", records, &years, 1.0)
        },
        Case {
            floor: None,
            ..case("deputy_records_county_uncached", "", records, &years, 8.0)
        },
        case(
            "suggestion_stats_county",
            "suggestion_stats",
            "query($y:Int!){ suggestionStats(year:$y){ received answered concluded answerRate concludedRate metRate classA satisfiedRate } }",
            &[json!({ "y": year })],
            2.5,
        ),
        // The county's board (its first 50 projects of 1 200), a township's project page with
        // its tree, timeline, inspections and findings, and the county's dashboard page.
        page("board_page_county", "/", &one, 5.0),
        page("project_page", "/projects/{id}", &projects, 3.0),
        // One more than the dashboard's own: the suggestions being handled and overdue.
        page("dashboard_page", "/dashboard", &one, 4.0),
        // The presidium's list of reported items with its 销号 form, and its notices page with
        // the batch 签收 form (round 2 of the workbench).
        page("reported_items_page", "/items?state=reported", &one, 1.0),
        // Two more once its notices have deliveries (their inbox deliveries and webhooks, one
        // statement each): a second run over the same data set, after the first one's scan.
        page("notices_page", "/notices", &one, 8.0),
        // 年度报告 of the county: its figures and each of its 30 townships', kept between writes
        // (a write has only its township and the county counted again); and counted afresh
        // every time by the server without kept figures (about twenty statements for the county
        // and for each township: the year's figures come from six parts of the product).
        Case {
            p99_target_ms: Some(30.0),
            ..page("report_page_county", "/report", &one, 1.0)
        },
        page("report_page_county_uncached", "/report", &one, 700.0),
    ])
}
