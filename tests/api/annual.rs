//! The year-end figures for the work report (人大工作总结): one year's inspections, items and
//! findings counted one way, and the summary paragraph built from them.

use jiandu_tests::town::{Town, today};
use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

e2e!(the_annual_report_quotes_the_years_figures);
async fn the_annual_report_quotes_the_years_figures(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let log =
        "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings{ id version } } }";
    let inspect = |kind: &str, on: &str, findings: Value| {
        let mut input = json!({ "kind": kind, "visitedOn": on, "participantIds": [town.yang], "summary": "检查", "findings": findings });
        if kind == "LAW_ENFORCEMENT" {
            input["topic"] = json!("防溺水");
        } else {
            input["projectId"] = json!(town.bridge);
        }
        json!({ "i": input })
    };
    let finding = json!({ "description": "护栏缺失", "responsibleLeaderId": town.li, "responsibleUnitId": town.cunjian, "deadline": "2025-12-31" });
    let visits = [
        (
            "VISIT",
            "2025-03-10",
            json!([finding.clone(), finding.clone()]),
        ),
        ("VISIT", "2025-06-18", json!([])),
        ("CHECK", "2025-09-01", json!([finding.clone()])),
        ("LAW_ENFORCEMENT", "2025-07-15", json!([])),
        ("EVALUATION", "2024-12-30", json!([finding])),
    ];
    let mut raised = Vec::new();
    for (kind, on, findings) in visits {
        let data = app.ok(&town.deputy, log, inspect(kind, on, findings)).await;
        raised.extend(
            data["logInspection"]["findings"]
                .as_array()
                .unwrap()
                .iter()
                .cloned(),
        );
    }
    let resolved = app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:RESOLVED,resolution:\"已整改\"){ id version } }",
        json!({ "id": raised[0]["id"], "v": raised[0]["version"] }),
    )
    .await["updateFinding"]
        .clone();
    app.ok(
        &town.deputy,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:VERIFIED){ id } }",
        json!({ "id": resolved["id"], "v": resolved["version"] }),
    )
    .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:RECTIFYING){ id } }",
        json!({ "id": raised[2]["id"], "v": raised[2]["version"] }),
    )
    .await;
    // This town counts a reported completion as 办结 (no sign-off); the presidium entered them.
    app.ok(
        &town.presidium,
        "mutation{ updateOrganizationSettings(input:{signOffRequired:false}){ id } }",
        json!({}),
    )
    .await;
    // Milestones of 2025: three due and done (two on time), one due and open, one cancelled, and
    // one due in 2026.
    let complete = "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,completedOn:$on){ id } }";
    for (title, deadline, done_on) in [
        ("设计", "2025-04-30", Some("2025-04-28")),
        ("审批", "2025-06-30", Some("2025-06-30")),
        ("招标", "2025-08-31", Some("2025-09-10")),
        ("施工", "2025-12-31", None),
        ("验收", "2026-01-15", None),
    ] {
        let m = town
            .milestone(&app, json!({ "title": title, "deadline": deadline }))
            .await;
        if let Some(on) = done_on {
            app.ok(
                &town.presidium,
                complete,
                json!({ "id": m["id"], "v": m["version"], "on": on }),
            )
            .await;
        }
    }
    let cancelled = town
        .milestone(&app, json!({ "title": "绿化", "deadline": "2025-10-01" }))
        .await;
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id,expectedVersion:$v,reason:\"取消\"){ id } }",
        json!({ "id": cancelled["id"], "v": cancelled["version"] }),
    )
    .await;

    let report = "query($y:Int!,$o:ID){ annualReport(year:$y, organizationId:$o){ year inspections inspectionsByKind{ kind count }
        milestonesDue milestonesDoneOnTime onTimeRate onTimeRateText findingsRaised findingsResolved projectsCompleted summary
        itemsDue itemsClosedOnTime onTimeClosedRate findingsVerified rectificationRate } }";
    let r = app.ok(&town.viewer, report, json!({ "y": 2025 })).await["annualReport"].clone();
    assert_eq!(r["year"], 2025);
    assert_eq!(r["inspections"], 4);
    assert_eq!(
        r["inspectionsByKind"],
        json!([{ "kind": "VISIT", "count": 2 }, { "kind": "CHECK", "count": 1 },
               { "kind": "EVALUATION", "count": 0 }, { "kind": "LAW_ENFORCEMENT", "count": 1 }])
    );
    assert_eq!(r["itemsDue"], 4);
    assert_eq!(r["itemsClosedOnTime"], 2);
    assert_eq!(r["onTimeClosedRate"], 0.5);
    assert_eq!(
        (&r["milestonesDue"], &r["milestonesDoneOnTime"]),
        (&json!(4), &json!(2))
    );
    assert_eq!(r["onTimeRate"], 0.5);
    assert_eq!(r["onTimeRateText"], "50%");
    // One cohort: the three findings 2025's inspections raised, and where they stand now.
    assert_eq!(r["findingsRaised"], 3);
    assert_eq!(r["findingsResolved"], 1);
    assert_eq!(r["findingsVerified"], 1);
    assert!((r["rectificationRate"].as_f64().unwrap() - 1.0 / 3.0).abs() < 1e-9);
    assert_eq!(r["projectsCompleted"], 0);
    let summary = r["summary"].as_str().unwrap();
    for part in [
        "2025年",
        "思蒙镇",
        "共组织代表开展视察、检查、执法检查4次（其中视察2次、检查1次、执法检查1次）",
        "视察检查发现问题3个，已整改落实1个，整改率33.3%",
        "应完成督办事项4项，按期办结2项，按期办结率50%",
    ] {
        assert!(summary.contains(part), "`{part}` in {summary}");
    }
    assert!(
        !summary.contains("评估"),
        "only the kinds that happened: {summary}"
    );

    // Where sign-off is required, the same completions wait for it and are not yet 办结.
    app.ok(
        &town.presidium,
        "mutation{ updateOrganizationSettings(input:{signOffRequired:true}){ id } }",
        json!({}),
    )
    .await;
    let strict = app.ok(&town.viewer, report, json!({ "y": 2025 })).await["annualReport"].clone();
    assert_eq!(
        (&strict["itemsDue"], &strict["itemsClosedOnTime"]),
        (&json!(4), &json!(0))
    );
    assert_eq!(strict["onTimeClosedRate"], 0.0);

    let this_year = app
        .ok(
            &town.viewer,
            report,
            json!({ "y": chrono::Datelike::year(&today()) }),
        )
        .await["annualReport"]
        .clone();
    assert_eq!(
        (&this_year["findingsRaised"], &this_year["findingsResolved"]),
        (&json!(0), &json!(0)),
        "2025's findings stay in 2025's cohort, whenever they are resolved"
    );

    for year in [1999, 2101] {
        let body = app
            .refused(
                &town.viewer,
                report,
                json!({ "y": year }),
                "VALIDATION_FAILED",
            )
            .await;
        assert_eq!(body["errors"][0]["extensions"]["field"], "year");
    }
    let other = Town::setup(&app, "汉阳镇").await;
    app.refused(
        &town.viewer,
        report,
        json!({ "y": 2025, "o": other.org }),
        "NOT_FOUND",
    )
    .await;
}

e2e!(construction_projects_are_finished_with_jungong_others_with_banjie);
async fn construction_projects_are_finished_with_jungong_others_with_banjie(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let create =
        "mutation($i:CreateProjectInput!){ createProject(input:$i){ id version construction } }";
    let update = "mutation($id:ID!,$v:Int!,$i:UpdateProjectInput!){ updateProject(id:$id,expectedVersion:$v,input:$i){ id version construction status } }";
    let mut finished = Vec::new();
    for (title, construction) in [
        ("健身步道风雨桥", Some(true)),
        ("农贸市场交通秩序整治", None),
        ("场镇污水管网", Some(true)),
    ] {
        let mut input = json!({ "title": title, "origin": "LIVELIHOOD_VOTE" });
        if let Some(flag) = construction {
            input["construction"] = json!(flag);
        }
        let p =
            app.ok(&town.presidium, create, json!({ "i": input })).await["createProject"].clone();
        assert_eq!(p["construction"], construction.unwrap_or(false));
        finished.push(p);
    }
    // Re-classified after the fact: the sewer network is entered as ordinary supervised work.
    let sewer = &finished[2];
    let sewer = app
        .ok(
            &town.presidium,
            update,
            json!({ "id": sewer["id"], "v": sewer["version"], "i": { "construction": false } }),
        )
        .await["updateProject"]
        .clone();
    assert_eq!(sewer["construction"], false);
    finished[2] = sewer;
    app
        .refused(
            &town.deputy,
            update,
            json!({ "id": finished[0]["id"], "v": finished[0]["version"], "i": { "construction": false } }),
            "FORBIDDEN",
        )
        .await;
    for p in &finished {
        let mut version = p["version"].clone();
        for status in ["IN_PROGRESS", "COMPLETED"] {
            let moved = app
                .ok(
                    &town.presidium,
                    update,
                    json!({ "id": p["id"], "v": version, "i": { "status": status } }),
                )
                .await["updateProject"]
                .clone();
            version = moved["version"].clone();
        }
    }
    let r = app
        .ok(
            &town.viewer,
            "query($y:Int!){ annualReport(year:$y){ projectsCompleted constructionProjectsCompleted summary } }",
            json!({ "y": chrono::Datelike::year(&today()) }),
        )
        .await["annualReport"]
        .clone();
    assert_eq!(r["projectsCompleted"], 3);
    assert_eq!(r["constructionProjectsCompleted"], 1);
    let summary = r["summary"].as_str().unwrap();
    assert!(
        summary.ends_with("；1个工程项目竣工，2个监督项目办结。"),
        "{summary}"
    );
}
