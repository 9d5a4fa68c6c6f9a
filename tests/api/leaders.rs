//! The leaders' side: dashboard and year-end figures, against a county with two townships whose
//! figures are counted by hand below.

use chrono::Duration;
use jiandu_domain::workdays::{self, WorkCalendar};
use jiandu_tests::town::{Town, day, today};
use jiandu_tests::{Backend, TestApp, code, e2e};
use serde_json::{Value, json};

/// 思蒙镇 (A) and 汉阳镇 (B) below 县人大常委会.
///
/// A's bridge: m1 due −5 open (李明, 村建办) · m2 due −2 open (陈刚, 经发办) · m3 due +2 open (李明)
/// · m4 due +20 open (陈刚) · m5 due −10 done on −12 (李明) · m6 due −10 done on −8 (陈刚) · m7 due
/// +15 cancelled (李明). A's road: one milestone due +30 (李明). A's square: completed today, no
/// milestones. Findings on A's bridge: f1 due −1 open, f2 due +5 open, f3 due +3 resolved.
/// B's bridge: one milestone due −3 open.
struct County {
    token: String,
    id: String,
    a: Town,
    b: Town,
}

async fn county(app: &TestApp) -> County {
    let (id, token) = app
        .organization("县人大常委会", Some("Asia/Shanghai"), None)
        .await;
    let a = Town::setup_in(app, "思蒙镇", Some(id)).await;
    let b = Town::setup_in(app, "汉阳镇", Some(id)).await;
    // 思蒙镇 counts a reported completion as 办结 (its presidium enters them); 汉阳镇 keeps the
    // default and waits for sign-off.
    app.ok(
        &a.presidium,
        "mutation{ updateOrganizationSettings(input:{signOffRequired:false}){ id } }",
        json!({}),
    )
    .await;
    let complete = "mutation($id:ID!,$v:Int!,$on:Date){ completeMilestone(id:$id,expectedVersion:$v,completedOn:$on){ id } }";
    let node = |title: &str, deadline: i64, chen: bool| {
        let (leader, unit) = if chen {
            (&a.chen, &a.jingfa)
        } else {
            (&a.li, &a.cunjian)
        };
        json!({ "title": title, "deadline": day(deadline), "responsibleLeaderId": leader, "responsibleUnitId": unit })
    };
    a.milestone(app, node("m1", -5, false)).await;
    a.milestone(app, node("m2", -2, true)).await;
    a.milestone(app, node("m3", 2, false)).await;
    a.milestone(app, node("m4", 20, true)).await;
    let m5 = a.milestone(app, node("m5", -10, false)).await;
    app.ok(
        &a.presidium,
        complete,
        json!({ "id": m5["id"], "v": m5["version"], "on": day(-12) }),
    )
    .await;
    let m6 = a.milestone(app, node("m6", -10, true)).await;
    app.ok(
        &a.presidium,
        complete,
        json!({ "id": m6["id"], "v": m6["version"], "on": day(-8) }),
    )
    .await;
    let m7 = a.milestone(app, node("m7", 15, false)).await;
    app.ok(
        &a.presidium,
        "mutation($id:ID!,$v:Int!){ cancelMilestone(id:$id,expectedVersion:$v,reason:\"并入其他项目\"){ id } }",
        json!({ "id": m7["id"], "v": m7["version"] }),
    )
    .await;
    let project =
        "mutation($t:String!){ createProject(input:{title:$t, origin:WORK_REPORT}){ id version } }";
    let road = app
        .ok(
            &a.presidium,
            project,
            json!({ "t": "二桥至思蒙路段提质改造" }),
        )
        .await;
    let mut road_node = node("路面黑化", 30, false);
    road_node["projectId"] = road["createProject"]["id"].clone();
    a.milestone(app, road_node).await;
    let square = app
        .ok(&a.presidium, project, json!({ "t": "场镇广场改造" }))
        .await["createProject"]
        .clone();
    let status = "mutation($id:ID!,$v:Int!,$s:ProjectStatus!){ updateProject(id:$id,expectedVersion:$v,input:{status:$s}){ version status completedOn } }";
    let started = app
        .ok(
            &a.presidium,
            status,
            json!({ "id": square["id"], "v": square["version"], "s": "IN_PROGRESS" }),
        )
        .await["updateProject"]
        .clone();
    let done = app
        .ok(
            &a.presidium,
            status,
            json!({ "id": square["id"], "v": started["version"], "s": "COMPLETED" }),
        )
        .await["updateProject"]
        .clone();
    assert_eq!(done["completedOn"], today().to_string());

    let finding = |d: i64| json!({ "description": format!("整改{d}"), "responsibleLeaderId": a.li, "responsibleUnitId": a.cunjian, "deadline": day(d) });
    let visit = app
        .ok(
            &a.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings{ id version deadline } } }",
            json!({ "i": { "kind": "VISIT", "projectId": a.bridge, "visitedOn": day(-10), "participantIds": [a.yang],
                           "summary": "视察", "findings": [finding(-1), finding(20), finding(3)] } }),
        )
        .await;
    let f3 = visit["logInspection"]["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["deadline"] == day(3))
        .unwrap()
        .clone();
    app.ok(
        &a.liming,
        "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:RESOLVED,resolution:\"已整改\"){ id } }",
        json!({ "id": f3["id"], "v": f3["version"] }),
    )
    .await;

    b.milestone(app, json!({ "title": "b1", "deadline": day(-3) }))
        .await;
    County {
        token,
        id: id.to_string(),
        a,
        b,
    }
}

const DASHBOARD: &str = "query($a:Date,$o:ID){ dashboard(asOf:$a, organizationId:$o){ asOf projectCount
    projectsByLight{ light count }
    milestones{ total open done doneOnTime doneLate overdue dueSoon cancelled onTimeRate due closedOnTime }
    byLeader{ leader{ name } counts{ total open overdue dueSoon done doneOnTime cancelled } }
    byUnit{ unit{ name } counts{ total overdue } }
    byOrganization{ organization{ name } projectCount milestones{ total overdue } openFindings overdueFindings }
    overdue{ title daysOverdue } dueSoon{ title daysLeft }
    openFindings overdueFindings } }";

fn lights(dashboard: &Value) -> Vec<(String, i64)> {
    dashboard["projectsByLight"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["light"].as_str().unwrap().to_string(),
                l["count"].as_i64().unwrap(),
            )
        })
        .collect()
}

fn light_counts(red: i64, yellow: i64, green: i64, grey: i64) -> Vec<(String, i64)> {
    [
        ("RED", red),
        ("YELLOW", yellow),
        ("GREEN", green),
        ("GREY", grey),
    ]
    .into_iter()
    .map(|(l, n)| (l.to_string(), n))
    .collect()
}

e2e!(the_dashboard_adds_up_a_county_and_its_townships);
async fn the_dashboard_adds_up_a_county_and_its_townships(app: TestApp) {
    let c = county(&app).await;
    let d = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(d["asOf"], today().to_string());
    assert_eq!(d["projectCount"], 4);
    assert_eq!(lights(&d), light_counts(2, 0, 1, 1));
    assert_eq!(
        d["milestones"],
        json!({ "total": 9, "open": 6, "done": 2, "doneOnTime": 1, "doneLate": 1, "overdue": 3,
                "dueSoon": 1, "cancelled": 1, "onTimeRate": 0.2, "due": 5, "closedOnTime": 1 }),
        "按期办结率: m5 of the five whose on-time deadline has come (m1, m2, m5, m6, b1)"
    );
    assert_eq!(
        d["overdue"],
        json!([{ "title": "m1", "daysOverdue": 5 }, { "title": "b1", "daysOverdue": 3 }, { "title": "m2", "daysOverdue": 2 }])
    );
    assert_eq!(d["dueSoon"], json!([{ "title": "m3", "daysLeft": 2 }]));
    assert_eq!(d["openFindings"], 2);
    assert_eq!(d["overdueFindings"], 1);
    // Each township's 李明 is a different person; B's has one overdue node and nothing due soon.
    let leaders: Vec<(String, i64, i64)> = d["byLeader"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| {
            (
                l["leader"]["name"].as_str().unwrap().to_string(),
                l["counts"]["total"].as_i64().unwrap(),
                l["counts"]["overdue"].as_i64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        leaders,
        [
            ("李明".to_string(), 5, 1),
            ("陈刚".to_string(), 3, 1),
            ("李明".to_string(), 1, 1)
        ]
    );
    assert_eq!(
        d["byLeader"][0]["counts"],
        json!({ "total": 5, "open": 3, "overdue": 1, "dueSoon": 1, "done": 1, "doneOnTime": 1, "cancelled": 1 })
    );
    assert_eq!(
        d["byUnit"][0],
        json!({ "unit": { "name": "村建办" }, "counts": { "total": 5, "overdue": 1 } })
    );
    assert_eq!(
        d["byOrganization"],
        json!([
            { "organization": { "name": "县人大常委会" }, "projectCount": 0, "milestones": { "total": 0, "overdue": 0 }, "openFindings": 0, "overdueFindings": 0 },
            { "organization": { "name": "思蒙镇" }, "projectCount": 3, "milestones": { "total": 8, "overdue": 2 }, "openFindings": 2, "overdueFindings": 1 },
            { "organization": { "name": "汉阳镇" }, "projectCount": 1, "milestones": { "total": 1, "overdue": 1 }, "openFindings": 0, "overdueFindings": 0 },
        ])
    );

    // Three days ago: m2, b1 and f1 were not yet late. m2 and b1 were due soon; m3, five days
    // on, was too when those five days held at most three working days (a weekend between).
    let past = app.ok(&c.token, DASHBOARD, json!({ "a": day(-3) })).await["dashboard"].clone();
    assert_eq!(past["asOf"], day(-3));
    assert_eq!(lights(&past), light_counts(1, 1, 1, 1));
    assert_eq!(past["milestones"]["overdue"], 1);
    let calendar = WorkCalendar::new(workdays::parse(workdays::SHIPPED).unwrap());
    let m3_was_due_soon =
        calendar.workdays_between(today() - Duration::days(3), today() + Duration::days(2)) <= 3;
    assert_eq!(
        past["milestones"]["dueSoon"],
        2 + i64::from(m3_was_due_soon)
    );
    assert_eq!(
        past["overdue"],
        json!([{ "title": "m1", "daysOverdue": 2 }])
    );
    assert_eq!(past["overdueFindings"], 0);

    // A township's own dashboard holds only its own figures; the county can ask for it too.
    let own = app.ok(&c.a.presidium, DASHBOARD, json!({})).await["dashboard"].clone();
    let asked = app.ok(&c.token, DASHBOARD, json!({ "o": c.a.org })).await["dashboard"].clone();
    assert_eq!(own, asked);
    assert_eq!(own["projectCount"], 3);
    assert_eq!(own["milestones"]["total"], 8);
    assert_eq!(own["byOrganization"].as_array().unwrap().len(), 1);
    // A township cannot see its neighbour or the county.
    for o in [&c.b.org, &c.id] {
        app.refused(&c.a.viewer, DASHBOARD, json!({ "o": o }), "NOT_FOUND")
            .await;
    }
    app.refused(
        &c.a.viewer,
        "{ dashboard{ overdue(first:101){ title } } }",
        json!({}),
        "VALIDATION_FAILED",
    )
    .await;
}

e2e!(a_dashboard_is_computed_once_and_again_after_every_write);
async fn a_dashboard_is_computed_once_and_again_after_every_write(app: TestApp) {
    let c = county(&app).await;
    let figures = |d: &Value| {
        (
            d["milestones"]["total"].clone(),
            d["milestones"]["overdue"].clone(),
        )
    };
    let first = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(figures(&first), (json!(9), json!(3)));

    // Asked again with nothing written, the figures are not computed again: only the sign-in
    // check, the two lists below them and the townships' names run (8 when computed).
    let before = app.sql_statements().await;
    let again = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(again, first);
    let statements = app.sql_statements().await - before;
    assert!(
        statements <= 4,
        "{statements} statements for a kept dashboard"
    );

    // A write shows at once, and so does undoing it.
    let late =
        c.a.milestone(
            &app,
            json!({ "title": "新增逾期节点", "deadline": day(-4) }),
        )
        .await;
    let after = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(figures(&after), (json!(10), json!(4)));
    app.ok(
        &c.a.presidium,
        "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id } }",
        json!({ "id": late["id"], "v": late["version"] }),
    )
    .await;
    let done = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(figures(&done), (json!(10), json!(3)));
    // Another day's figures are their own.
    let past = app.ok(&c.token, DASHBOARD, json!({ "a": day(-3) })).await["dashboard"].clone();
    assert_eq!(past["asOf"], day(-3));
}

e2e!(a_write_in_one_township_recomputes_only_its_share);
/// A county's dashboard is the sum of its townships' shares, and a write in one township makes
/// only that township's share be computed again. Shown on PostgreSQL by a change made behind the
/// server's back in the other township: it stays unseen until a write the server cannot place in
/// one township. On SQLite the server notices any commit it did not make (another process's, as
/// the command line's import), so there the same change shows within a second.
async fn a_write_in_one_township_recomputes_only_its_share(app: TestApp) {
    use jiandu_api::entity::milestone;
    use sea_orm::sea_query::Expr;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};

    let c = county(&app).await;
    let overdue = |d: &Value| {
        let of = |name: &str| {
            d["byOrganization"]
                .as_array()
                .unwrap()
                .iter()
                .find(|o| o["organization"]["name"] == name)
                .map(|o| o["milestones"]["overdue"].clone())
                .unwrap()
        };
        (
            of("思蒙镇"),
            of("汉阳镇"),
            d["milestones"]["overdue"].clone(),
        )
    };
    let first = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(overdue(&first), (json!(2), json!(1), json!(3)));

    // B's overdue milestone moved to next month, straight in the database.
    let b = uuid::Uuid::parse_str(&c.b.org).unwrap();
    let moved = milestone::Entity::update_many()
        .col_expr(
            milestone::Column::Deadline,
            Expr::value(today() + chrono::Duration::days(30)),
        )
        .col_expr(
            milestone::Column::DueBy,
            Expr::value(today() + chrono::Duration::days(30)),
        )
        .filter(milestone::Column::OrganizationId.eq(b))
        .exec(app.ctx.db.conn())
        .await
        .unwrap();
    assert_eq!(moved.rows_affected, 1);
    if app.backend == Backend::Sqlite {
        let written = std::time::Instant::now();
        loop {
            let seen = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
            if overdue(&seen) == (json!(2), json!(0), json!(2)) {
                return;
            }
            assert!(
                written.elapsed() < std::time::Duration::from_secs(1),
                "another connection's commit still unseen: {:?}",
                overdue(&seen)
            );
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
    }

    // A write in A: A's share is computed again, B's is kept (it still counts the moved one).
    let a_open = app
        .ok(
            &c.a.presidium,
            "query($o:ID!){ milestones(first:10, filter:{organizationId:$o, deadlineState:[OVERDUE]}){ nodes{ id version } } }",
            json!({ "o": c.a.org }),
        )
        .await["milestones"]["nodes"][0]
        .clone();
    app.ok(
        &c.a.presidium,
        "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id } }",
        json!({ "id": a_open["id"], "v": a_open["version"] }),
    )
    .await;
    let after = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(overdue(&after), (json!(1), json!(1), json!(2)));

    // A write the server does not place in one township (a new unit) counts as a change to
    // everything: B's share is computed again and the moved milestone shows.
    app.ok(
        &c.a.presidium,
        "mutation($n:String!){ createUnit(input:{name:$n}){ id } }",
        json!({ "n": "综治办" }),
    )
    .await;
    let everything = app.ok(&c.token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(overdue(&everything), (json!(1), json!(0), json!(1)));
}

/// Two servers on one PostgreSQL database: a dashboard kept by one is dropped when the other
/// writes (it announces every commit), not left stale until it expires.
#[tokio::test]
async fn a_write_through_one_replica_shows_on_the_others_dashboard() {
    if std::env::var_os("JIANDU_TEST_POSTGRES_URL").is_none() {
        return;
    }
    let one = TestApp::spawn(jiandu_tests::Backend::Postgres).await;
    let other = one.replica().await;
    let c = county(&one).await;
    // Sessions live in the database: a token from one replica is good on the other.
    let token = c.token.clone();
    let overdue = |d: &Value| d["milestones"]["overdue"].as_i64().unwrap();
    let kept = other.ok(&token, DASHBOARD, json!({})).await["dashboard"].clone();
    assert_eq!(overdue(&kept), 3);

    c.a.milestone(
        &one,
        json!({ "title": "另一台服务器写入", "deadline": day(-1) }),
    )
    .await;
    // The announcement arrives asynchronously; well within a second on one machine.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(5);
    loop {
        let seen = other.ok(&token, DASHBOARD, json!({})).await["dashboard"].clone();
        if overdue(&seen) == 4 {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the other replica still shows {} overdue",
            overdue(&seen)
        );
        tokio::time::sleep(std::time::Duration::from_millis(50)).await;
    }
}

/// The events of an iCalendar text: each VEVENT's properties (name with parameters → value).
fn events(ics: &str) -> Vec<std::collections::BTreeMap<String, String>> {
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n") && ics.ends_with("END:VCALENDAR\r\n"));
    for line in ics.split("\r\n") {
        assert!(line.len() <= 75, "a line longer than 75 octets: {line}");
    }
    let unfolded = ics.replace("\r\n ", "");
    let mut events = Vec::new();
    let mut current: Option<std::collections::BTreeMap<String, String>> = None;
    let mut in_alarm = false;
    for line in unfolded.split("\r\n") {
        match line {
            "BEGIN:VEVENT" => current = Some(Default::default()),
            "END:VEVENT" => events.push(current.take().unwrap()),
            "BEGIN:VALARM" => in_alarm = true,
            "END:VALARM" => in_alarm = false,
            _ => {
                if let (Some(event), Some((name, value))) = (current.as_mut(), line.split_once(':'))
                {
                    let name = if in_alarm {
                        format!("VALARM.{name}")
                    } else {
                        name.to_string()
                    };
                    event.insert(name, value.to_string());
                }
            }
        }
    }
    events
}

/// Calendar days before the day `offset` that an item due then turns DUE_SOON under the default
/// three working days: the earliest day with at most three working days after it up to the due
/// day, read from the working-day calendar the server serves (so the answer does not depend on
/// the weekday the test runs).
async fn warning_days(app: &TestApp, token: &str, offset: i64) -> i64 {
    let query = "query($from: Date!, $to: Date!){ workCalendar(from: $from, to: $to){ kind } }";
    let days = app
        .ok(
            token,
            query,
            json!({ "from": day(offset - 30), "to": day(offset) }),
        )
        .await;
    let kinds: Vec<bool> = days["workCalendar"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"] == "WORKDAY")
        .collect();
    // kinds[i] is day(offset - 30 + i); the last is the due day.
    let mut working_after = 0;
    let mut back = 0;
    for i in (0..kinds.len() - 1).rev() {
        working_after += i64::from(kinds[i + 1]);
        if working_after > 3 {
            break;
        }
        back += 1;
    }
    back
}

e2e!(leaders_subscribe_to_their_deadlines_at_a_secret_address);
async fn leaders_subscribe_to_their_deadlines_at_a_secret_address(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let late = town
        .milestone(&app, json!({ "title": "桥面铺装", "deadline": day(-5) }))
        .await;
    let soon = town
        .milestone(&app, json!({ "title": "照明安装", "deadline": day(2) }))
        .await;
    let done = town
        .milestone(&app, json!({ "title": "方案设计", "deadline": day(-20) }))
        .await;
    app.ok(
        &town.liming,
        "mutation($id:ID!,$v:Int!){ completeMilestone(id:$id,expectedVersion:$v){ id } }",
        json!({ "id": done["id"], "v": done["version"] }),
    )
    .await;
    town.milestone(
        &app,
        json!({ "title": "陈刚的节点", "deadline": day(4), "responsibleLeaderId": town.chen, "responsibleUnitId": town.jingfa }),
    )
    .await;
    let visit = app
        .ok(
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings{ id } } }",
            json!({ "i": { "kind": "VISIT", "projectId": town.bridge, "visitedOn": day(-3), "participantIds": [town.yang],
                           "summary": "视察", "findings": [{ "description": "防护栏缺失, 需整改; 尽快", "responsibleLeaderId": town.li,
                           "responsibleUnitId": town.cunjian, "deadline": day(7) }] } }),
        )
        .await;

    let rotate = "mutation{ rotateCalendarFeed }";
    let body = app.gql(None, rotate, json!({})).await;
    assert_eq!(code(&body), "UNAUTHENTICATED");
    let path = app.ok(&town.liming, rotate, json!({})).await["rotateCalendarFeed"]
        .as_str()
        .unwrap()
        .to_string();
    assert!(
        path.starts_with("/calendar/") && path.ends_with(".ics"),
        "{path}"
    );

    let response = app.get(None, &path).await;
    assert_eq!(response.status().as_u16(), 200);
    assert!(
        response.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/calendar")
    );
    let first = events(&response.text().await.unwrap());
    let uids: Vec<&str> = first.iter().map(|e| e["UID"].as_str()).collect();
    let milestone_uid = |m: &Value| format!("milestone-{}@jiandu", m["id"].as_str().unwrap());
    let finding_uid = format!(
        "finding-{}@jiandu",
        visit["logInspection"]["findings"][0]["id"]
            .as_str()
            .unwrap()
    );
    assert_eq!(
        uids,
        [
            milestone_uid(&late),
            milestone_uid(&soon),
            finding_uid.clone()
        ]
    );
    let overdue = &first[0];
    assert_eq!(
        overdue["SUMMARY"],
        "【逾期5天】桥面铺装（思蒙国家湿地公园健身步道风雨桥）"
    );
    let compact = |offset: i64| day(offset).replace('-', "");
    assert_eq!(overdue["DTSTART;VALUE=DATE"], compact(-5));
    assert_eq!(overdue["DTEND;VALUE=DATE"], compact(-4));
    assert_eq!(
        overdue["VALARM.TRIGGER"],
        format!("-P{}D", warning_days(&app, &town.liming, -5).await)
    );
    assert_eq!(
        first[1]["SUMMARY"],
        "照明安装（思蒙国家湿地公园健身步道风雨桥）"
    );
    assert_eq!(
        first[2]["SUMMARY"],
        "整改：防护栏缺失\\, 需整改\\; 尽快（思蒙国家湿地公园健身步道风雨桥）"
    );
    assert_eq!(first[2]["CATEGORIES"], "整改事项");

    // Fetched again, the same events keep their UIDs.
    let again = events(&app.get(None, &path).await.text().await.unwrap());
    let again_uids: Vec<&str> = again.iter().map(|e| e["UID"].as_str()).collect();
    assert_eq!(again_uids, uids);

    // A new address revokes the old one.
    let rotated = app.ok(&town.liming, rotate, json!({})).await["rotateCalendarFeed"]
        .as_str()
        .unwrap()
        .to_string();
    assert_ne!(rotated, path);
    assert_eq!(app.get(None, &path).await.status().as_u16(), 404);
    assert_eq!(app.get(None, &rotated).await.status().as_u16(), 200);
    assert_eq!(
        app.get(None, "/calendar/guess.ics").await.status().as_u16(),
        404
    );
}

/// The fill colour (ARGB) of a cell in an .xlsx, read from the sheet's style index and the
/// workbook's styles.
fn fill_of(xlsx: &[u8], sheet: usize, cell: &str) -> Option<String> {
    use std::io::Read;
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(xlsx)).unwrap();
    let mut read = |name: &str| {
        let mut text = String::new();
        archive
            .by_name(name)
            .unwrap()
            .read_to_string(&mut text)
            .unwrap();
        text
    };
    let sheet_xml = read(&format!("xl/worksheets/sheet{sheet}.xml"));
    let styles = read("xl/styles.xml");
    let at = sheet_xml.find(&format!("<c r=\"{cell}\""))?;
    let tag = &sheet_xml[at..at + sheet_xml[at..].find('>')?];
    let style: usize = tag.split(" s=\"").nth(1)?.split('"').next()?.parse().ok()?;
    let xfs = styles
        .split("<cellXfs")
        .nth(1)?
        .split("</cellXfs>")
        .next()?;
    let xf = xfs.split("<xf ").nth(style + 1)?;
    let fill_id: usize = xf
        .split("fillId=\"")
        .nth(1)?
        .split('"')
        .next()?
        .parse()
        .ok()?;
    let fills = styles.split("<fills").nth(1)?.split("</fills>").next()?;
    let fill = fills.split("<fill>").nth(fill_id + 1)?;
    Some(fill.split("rgb=\"").nth(1)?.split('"').next()?.to_string())
}

e2e!(the_ledger_downloads_as_a_spreadsheet_and_csv);
async fn the_ledger_downloads_as_a_spreadsheet_and_csv(app: TestApp) {
    use calamine::{Data, Reader, Xlsx, open_workbook_from_rs};
    let c = county(&app).await;
    let response = app.get(Some(&c.a.viewer), "/export/ledger.xlsx").await;
    assert_eq!(response.status().as_u16(), 200);
    assert_eq!(
        response.headers()["content-type"],
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    );
    let bytes = response.bytes().await.unwrap().to_vec();
    let workbook: Xlsx<_> = open_workbook_from_rs(std::io::Cursor::new(bytes.clone())).unwrap();
    assert_eq!(
        workbook.sheet_names(),
        [
            "督办台账",
            "整改事项",
            "代表建议办理台账",
            "审议意见",
            "来信来访"
        ]
    );
    let table = jiandu_tests::ledger::table(&bytes, "督办台账");
    let rows: Vec<&[Data]> = table.iter().map(Vec::as_slice).collect();
    let header: Vec<String> = rows[0].iter().map(|d| d.to_string()).collect();
    assert_eq!(
        header,
        [
            "项目名称",
            "节点",
            "上级节点",
            "责任领导",
            "责任单位",
            "具体责任人",
            "开始日期",
            "原定期限",
            "当前期限",
            "调整次数",
            "状态",
            "完成日期",
            "期限状态",
            "逾期天数",
            "进度(%)",
            "最新进展",
            "亮灯"
        ]
    );
    let titles: Vec<String> = rows[1..].iter().map(|r| r[1].to_string()).collect();
    assert_eq!(
        titles,
        ["m5", "m6", "m1", "m2", "m3", "m7", "m4", "路面黑化"]
    );
    let m1 = rows[3];
    assert_eq!(m1[0].to_string(), "思蒙国家湿地公园健身步道风雨桥");
    assert_eq!(m1[3].to_string(), "李明");
    assert_eq!(m1[4].to_string(), "村建办");
    let Data::DateTime(deadline) = &m1[8] else {
        panic!("the deadline is a real date: {:?}", m1[8])
    };
    assert_eq!(deadline.as_datetime().unwrap().date().to_string(), day(-5));
    assert_eq!(m1[10].to_string(), "未开始");
    assert_eq!(m1[12].to_string(), "已逾期");
    assert_eq!(m1[13], Data::Float(5.0));
    assert_eq!(m1[16].to_string(), "红灯");
    assert_eq!(rows[1][12].to_string(), "按期完成");
    assert_eq!(rows[2][12].to_string(), "逾期完成");
    assert_eq!(rows[6][12].to_string(), "已取消");
    // Fills by light: m1 red, m3 yellow, m4 green, m5 (done) unfilled — under the two title
    // rows and the header, right of 序号.
    assert_eq!(fill_of(&bytes, 1, "C6").as_deref(), Some("FFFFC7CE"));
    assert_eq!(fill_of(&bytes, 1, "C8").as_deref(), Some("FFFFEB9C"));
    assert_eq!(fill_of(&bytes, 1, "C10").as_deref(), Some("FFC6EFCE"));
    assert_eq!(fill_of(&bytes, 1, "C4"), None);
    // The header row is frozen and filters are on.
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes.clone())).unwrap();
    let mut sheet_xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/worksheets/sheet1.xml").unwrap(),
        &mut sheet_xml,
    )
    .unwrap();
    assert!(sheet_xml.contains("state=\"frozen\""), "frozen header");
    assert!(
        sheet_xml.contains("<autoFilter ref=\"A3:R11\""),
        "filters on"
    );
    // As it prints: A4 landscape, one page wide, the header row on every page, a project's rows
    // sharing one merged cell (the bridge's seven in column B), under the title and the day.
    assert!(
        sheet_xml.contains("paperSize=\"9\"")
            && sheet_xml.contains("orientation=\"landscape\"")
            && sheet_xml.contains("fitToHeight=\"0\"")
            && sheet_xml.contains("<pageSetUpPr fitToPage=\"1\"/>"),
        "{sheet_xml}"
    );
    assert!(
        sheet_xml.contains("<mergeCell ref=\"B4:B10\"/>"),
        "{sheet_xml}"
    );
    // Each row as tall as its wrapped text needs, which not every spreadsheet reckons itself.
    assert!(
        sheet_xml.contains("ht=\"18\" customHeight=\"1\""),
        "a row of one line: {sheet_xml}"
    );
    let mut workbook_xml = String::new();
    std::io::Read::read_to_string(
        &mut archive.by_name("xl/workbook.xml").unwrap(),
        &mut workbook_xml,
    )
    .unwrap();
    assert!(
        workbook_xml.contains("_xlnm.Print_Titles") && workbook_xml.contains("督办台账!$3:$3"),
        "{workbook_xml}"
    );
    let printed = jiandu_tests::ledger::printed(&bytes, "督办台账");
    assert!(
        printed[0].starts_with("思蒙镇") || printed[0].starts_with("丹棱县"),
        "{printed:?}"
    );
    assert!(printed[0].ends_with("年重点工作督办台账"), "{printed:?}");
    assert!(printed[1].starts_with("截至日期："), "{printed:?}");
    assert_eq!(printed[2], "序号");
    let findings = jiandu_tests::ledger::table(&bytes, "整改事项");
    let finding_rows: Vec<&[Data]> = findings.iter().map(Vec::as_slice).collect();
    assert_eq!(finding_rows.len(), 4);
    let states: Vec<String> = finding_rows[1..].iter().map(|r| r[9].to_string()).collect();
    assert_eq!(states, ["已逾期", "按期完成", "未到期"]);

    // CSV: the milestone sheet, UTF-8 with a BOM; asOf and projectId narrow it.
    let csv = app
        .get(
            Some(&c.a.viewer),
            &format!(
                "/export/ledger.csv?projectId={}&asOf={}",
                c.a.bridge,
                day(-3)
            ),
        )
        .await;
    assert_eq!(csv.status().as_u16(), 200);
    assert!(
        csv.headers()["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    let bytes = csv.bytes().await.unwrap();
    assert!(bytes.starts_with(&[0xEF, 0xBB, 0xBF]), "a BOM for Excel");
    let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
    let lines: Vec<&str> = text.trim_end().split("\r\n").collect();
    assert_eq!(lines[0].split(',').count(), 17);
    assert_eq!(lines.len(), 8, "the bridge's seven milestones: {text}");
    let m2 = lines.iter().find(|l| l.contains(",m2,")).unwrap();
    assert!(m2.contains(",临近到期,0,"), "{m2}");
    assert!(m2.contains(&day(-2)), "{m2}");

    // Access: a token is needed; a township exports only what it may read; the county may.
    assert_eq!(
        app.get(None, "/export/ledger.xlsx").await.status().as_u16(),
        401
    );
    assert_eq!(
        app.get(None, "/export/ledger.csv").await.status().as_u16(),
        401
    );
    let theirs = format!("/export/ledger.xlsx?organizationId={}", c.b.org);
    assert_eq!(
        app.get(Some(&c.a.presidium), &theirs)
            .await
            .status()
            .as_u16(),
        404
    );
    let their_project = format!("/export/ledger.csv?projectId={}", c.b.bridge);
    assert_eq!(
        app.get(Some(&c.a.presidium), &their_project)
            .await
            .status()
            .as_u16(),
        404
    );
    assert_eq!(
        app.get(Some(&c.token), &theirs).await.status().as_u16(),
        200
    );
    assert_eq!(
        app.get(Some(&c.a.viewer), "/export/ledger.csv?asOf=tomorrow")
            .await
            .status()
            .as_u16(),
        400
    );
}
