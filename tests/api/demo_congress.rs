//! The sample's congress year (docs/congress.md): the session that voted the bridge, the road and
//! the corridor in and turned one candidate down, the projects the vote made (filled in, not
//! made twice), the half-year opinion answered and judged, the work-safety opinion on 李明's
//! desk, the bridge's assessment — and the annual report telling it.

use jiandu_tests::{TestApp, e2e};
use serde_json::{Value, json};

async fn the_sample_has_the_congress_year(app: TestApp) {
    jiandu_api::seed::demo::load(&app.ctx)
        .await
        .expect("the sample loads");
    let renda = app
        .login("renda", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let meetings = app
        .ok(
            &renda,
            "{ meetings { kind title heldOn quorate candidates { title status votesFor resolutionNumber project { title origin location leadLeader { name } candidate { title } assessments { passed rate } } } opinions { title status points { judgement } } } }",
            json!({}),
        )
        .await["meetings"]
        .clone();
    let all = meetings.as_array().unwrap();
    let session = all
        .iter()
        .find(|m| m["title"] == "思蒙镇第二届人民代表大会第一次会议")
        .expect("the first session");
    assert_eq!(session["quorate"], true);
    let year = &session["heldOn"].as_str().unwrap()[..4];
    let candidates = session["candidates"].as_array().unwrap();
    let passed: Vec<&Value> = candidates
        .iter()
        .filter(|c| c["status"] == "PASSED")
        .collect();
    assert_eq!(passed.len(), 3, "{session}");
    assert_eq!(
        passed[0]["resolutionNumber"],
        format!("思人决〔{year}〕1号")
    );
    let bridge = &passed[0]["project"];
    assert_eq!(bridge["title"], "思蒙国家湿地公园健身步道风雨桥");
    assert_eq!(bridge["origin"], "LIVELIHOOD_VOTE");
    assert_eq!(
        bridge["location"], "思蒙国家湿地公园",
        "filled in: {bridge}"
    );
    assert_eq!(bridge["leadLeader"]["name"], "李明");
    assert_eq!(bridge["candidate"]["title"], bridge["title"]);
    assert_eq!(bridge["assessments"][0]["passed"], true, "{bridge}");
    let rejected: Vec<&Value> = candidates
        .iter()
        .filter(|c| c["status"] == "REJECTED")
        .collect();
    assert_eq!(rejected.len(), 1);
    assert!(rejected[0]["project"].is_null());
    // The projects the vote made are the sample's projects, not copies of them.
    let projects = app
        .ok(&renda, "{ projects { totalCount } }", json!({}))
        .await;
    assert_eq!(projects["projects"]["totalCount"], 5);

    let statuses: Vec<(&str, &str)> = all
        .iter()
        .flat_map(|m| m["opinions"].as_array().unwrap())
        .map(|o| (o["title"].as_str().unwrap(), o["status"].as_str().unwrap()))
        .collect();
    assert!(
        statuses.contains(&("关于镇人民政府上半年工作情况报告的审议意见", "JUDGED"))
            && statuses.contains(&("关于镇人民政府安全生产工作情况专项报告的审议意见", "SENT")),
        "{statuses:?}"
    );
    let liming = app
        .login("liming", jiandu_api::seed::demo::DEMO_PASSWORD)
        .await;
    let told = app
        .ok(
            &liming,
            "{ notices(filter:{mine:true}, first:100){ nodes { opinion { title status } } } }",
            json!({}),
        )
        .await;
    assert!(
        told["notices"]["nodes"]
            .as_array()
            .unwrap()
            .iter()
            .any(|n| n["opinion"]["status"] == "SENT"),
        "李明 was sent the work-safety opinion: {told}"
    );

    let report = app
        .ok(
            &renda,
            "query($y:Int!){ annualReport(year:$y){ livelihoodProjectsVoted livelihoodProjectsPassed summary } }",
            json!({ "y": year.parse::<i32>().unwrap() }),
        )
        .await["annualReport"]
        .clone();
    assert_eq!(report["livelihoodProjectsVoted"], 4);
    assert_eq!(report["livelihoodProjectsPassed"], 3);
    assert!(
        report["summary"].as_str().unwrap().contains(
            "依法表决了重大民生实事项目4件，思蒙国家湿地公园健身步道风雨桥、二桥至思蒙路段提质改造和统溪河至思蒙黄金旅游通道通过了大会决议"
        ),
        "{report}"
    );
}
e2e!(the_sample_has_the_congress_year);
