//! The working-day calendar and the settings the rules read (docs/rules.md §4): what `workCalendar`
//! answers, how a deadline on a holiday is due on the next working day and follows the
//! organisation's setting, due-soon counted in working days, pace thresholds per organisation,
//! settings checked field by field, and operators changing the calendar from the command line.

use jiandu_api::entity::{milestone, suggestion, work_calendar_day};
use jiandu_api::service::workdays;
use jiandu_tests::town::Town;
use jiandu_tests::{TestApp, code, e2e, texts};
use sea_orm::EntityTrait;
use serde_json::{Value, json};

use crate::cli::jiandu;

const SETTINGS: &str = "mutation($s:OrganizationSettingsInput!){ updateOrganizationSettings(input:$s){ id settings { backdateDays dueSoonWorkingDays behindPaceYellowPoints behindPaceRedPoints rollDeadlinesOffRestDays signOffRequired noticeHour urgeEveryWorkingDays orderAfterWorkingDaysOverdue acknowledgeWithinWorkingDays suggestionAnswerWorkingDays suggestionRedoDays } } }";
const STATE: &str = "query($id:ID!,$d:Date){ milestone(id:$id){ deadline dueBy deadlineState(asOf:$d) light(asOf:$d) daysOverdue(asOf:$d) } }";

async fn set(app: &TestApp, town: &Town, settings: Value) -> Value {
    app.ok(&town.presidium, SETTINGS, json!({ "s": settings }))
        .await["updateOrganizationSettings"]["settings"]
        .clone()
}

async fn state(app: &TestApp, town: &Town, id: &Value, as_of: &str) -> Value {
    app.ok(&town.viewer, STATE, json!({ "id": id, "d": as_of }))
        .await["milestone"]
        .clone()
}

e2e!(the_calendar_names_holidays_and_make_up_days);
async fn the_calendar_names_holidays_and_make_up_days(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let days = app
        .ok(
            &town.viewer,
            "{ workCalendar(from:\"2024-09-28\", to:\"2024-10-12\") { date kind name } }",
            json!({}),
        )
        .await["workCalendar"]
        .clone();
    let days = days.as_array().unwrap();
    assert_eq!(days.len(), 15);
    let day = |date: &str| days.iter().find(|d| d["date"] == date).unwrap().clone();
    assert_eq!(day("2024-09-28")["kind"], "REST_DAY");
    assert!(day("2024-09-28")["name"].is_null(), "an ordinary Saturday");
    assert_eq!(day("2024-09-29")["kind"], "WORKDAY");
    assert_eq!(day("2024-09-29")["name"], "国庆节调休");
    assert_eq!(day("2024-10-01")["kind"], "REST_DAY");
    assert_eq!(day("2024-10-01")["name"], "国庆节");
    assert_eq!(day("2024-10-08")["kind"], "WORKDAY");
    assert_eq!(day("2024-10-12")["kind"], "WORKDAY");
    // The month's page marks 班 on the weekend worked (12 October), not on every working day,
    // and 休 on the holiday week and the other weekends.
    let page = jiandu_tests::web::Visitor::new(&app, Some(&town.viewer))
        .get("/work-calendar?month=2024-10")
        .await;
    assert_eq!(page.status, 200);
    let marked = |kind: &str| {
        page.html
            .matches(&format!("<span class=\"kind\">{kind}</span>"))
            .count()
    };
    assert_eq!((marked("班"), marked("休")), (1, 12), "{}", page.html);
    // A year no notice covers yet follows Monday to Friday.
    let later = app
        .ok(
            &town.viewer,
            "{ workCalendar(from:\"2031-10-01\", to:\"2031-10-05\") { kind name } }",
            json!({}),
        )
        .await["workCalendar"]
        .clone();
    let kinds = texts(&later, "kind");
    assert_eq!(
        kinds,
        ["WORKDAY", "WORKDAY", "WORKDAY", "REST_DAY", "REST_DAY"]
    );
    for (from, to, field) in [
        ("2024-10-12", "2024-10-01", "to"),
        ("2024-01-01", "2025-06-01", "to"),
    ] {
        let body = app
            .refused(
                &town.viewer,
                "query($f:Date!,$t:Date!){ workCalendar(from:$f, to:$t) { date } }",
                json!({ "f": from, "t": to }),
                "VALIDATION_FAILED",
            )
            .await;
        assert_eq!(body["errors"][0]["extensions"]["field"], field);
    }
    let anonymous = app
        .gql(
            None,
            "{ workCalendar(from:\"2024-10-01\", to:\"2024-10-02\") { date } }",
            json!({}),
        )
        .await;
    assert_eq!(code(&anonymous), "UNAUTHENTICATED");
}

e2e!(settings_are_range_checked_and_the_presidiums_own);
async fn settings_are_range_checked_and_the_presidiums_own(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let other = Town::setup(&app, "汉阳镇").await;
    for (input, field) in [
        (json!({ "backdateDays": 91 }), "backdateDays"),
        (json!({ "dueSoonWorkingDays": -1 }), "dueSoonWorkingDays"),
        (json!({ "dueSoonWorkingDays": 31 }), "dueSoonWorkingDays"),
        (
            json!({ "behindPaceYellowPoints": 0 }),
            "behindPaceYellowPoints",
        ),
        (json!({ "behindPaceRedPoints": 101 }), "behindPaceRedPoints"),
        (
            json!({ "behindPaceYellowPoints": 50, "behindPaceRedPoints": 30 }),
            "behindPaceRedPoints",
        ),
        (json!({ "noticeHour": 24 }), "noticeHour"),
        (json!({ "urgeEveryWorkingDays": 0 }), "urgeEveryWorkingDays"),
        (
            json!({ "orderAfterWorkingDaysOverdue": 61 }),
            "orderAfterWorkingDaysOverdue",
        ),
        (
            json!({ "acknowledgeWithinWorkingDays": 0 }),
            "acknowledgeWithinWorkingDays",
        ),
        (
            json!({ "suggestionAnswerWorkingDays": 251 }),
            "suggestionAnswerWorkingDays",
        ),
        (json!({ "suggestionRedoDays": 0 }), "suggestionRedoDays"),
    ] {
        let body = app
            .gql(Some(&town.presidium), SETTINGS, json!({ "s": input }))
            .await;
        assert_eq!(code(&body), "VALIDATION_FAILED", "{input}: {body}");
        assert_eq!(body["errors"][0]["extensions"]["field"], field, "{input}");
    }
    // Nothing of a refused change was kept: the defaults (the test towns keep deadlines as set).
    let settings = set(&app, &town, json!({})).await;
    assert_eq!(
        settings,
        json!({ "backdateDays": 7, "dueSoonWorkingDays": 3, "behindPaceYellowPoints": 20,
                "behindPaceRedPoints": 40, "rollDeadlinesOffRestDays": false, "signOffRequired": true,
                "noticeHour": 9, "urgeEveryWorkingDays": 3, "orderAfterWorkingDaysOverdue": 5,
                "acknowledgeWithinWorkingDays": 2, "suggestionAnswerWorkingDays": 60,
                "suggestionRedoDays": 15 })
    );
    let changed = set(
        &app,
        &town,
        json!({ "dueSoonWorkingDays": 5, "noticeHour": 8, "signOffRequired": false }),
    )
    .await;
    assert_eq!(changed["dueSoonWorkingDays"], 5);
    assert_eq!(changed["noticeHour"], 8);
    assert_eq!(changed["signOffRequired"], false);
    assert_eq!(
        changed["behindPaceRedPoints"], 40,
        "left out, left as it was"
    );
    // Only the organisation's own presidium changes them.
    app.refused(
        &town.liming,
        SETTINGS,
        json!({ "s": { "noticeHour": 7 } }),
        "FORBIDDEN",
    )
    .await;
    app
        .refused(
            &other.presidium,
            "mutation($o:ID!){ updateOrganizationSettings(organizationId:$o, input:{noticeHour:7}){ id } }",
            json!({ "o": town.org }),
            "NOT_FOUND",
        )
        .await;
    let unchanged = set(&app, &other, json!({})).await;
    assert_eq!(unchanged["noticeHour"], 9, "the other town keeps its own");
}

e2e!(a_deadline_on_a_holiday_is_due_on_the_next_working_day);
async fn a_deadline_on_a_holiday_is_due_on_the_next_working_day(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    set(&app, &town, json!({ "rollDeadlinesOffRestDays": true })).await;
    let m = town
        .milestone(
            &app,
            json!({ "title": "桥面铺装", "deadline": "2026-10-01" }),
        )
        .await;
    // Due on the first working day after the National Day holiday, and late only after it.
    let on_the_day = state(&app, &town, &m["id"], "2026-10-08").await;
    assert_eq!(on_the_day["dueBy"], "2026-10-08");
    assert_eq!(on_the_day["deadlineState"], "DUE_SOON");
    let after = state(&app, &town, &m["id"], "2026-10-09").await;
    assert_eq!(after["deadlineState"], "OVERDUE");
    assert_eq!(
        after["daysOverdue"], 1,
        "calendar days past the day it was due by"
    );

    // An organisation that keeps deadlines where they fall: recomputed at once.
    set(&app, &town, json!({ "rollDeadlinesOffRestDays": false })).await;
    let plain = state(&app, &town, &m["id"], "2026-10-02").await;
    assert_eq!(plain["dueBy"], "2026-10-01");
    assert_eq!(plain["deadlineState"], "OVERDUE");
    let overdue = app
        .ok(
            &town.viewer,
            "{ overdueMilestones(asOf:\"2026-10-02\") { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(overdue["overdueMilestones"]["totalCount"], 1);
    set(&app, &town, json!({ "rollDeadlinesOffRestDays": true })).await;
    let rolled = state(&app, &town, &m["id"], "2026-10-02").await;
    assert_eq!(rolled["dueBy"], "2026-10-08");
    assert_eq!(rolled["deadlineState"], "DUE_SOON");

    // A finding raised with a deadline on a Sunday follows the same rule.
    let visit = app
        .ok(
            &town.deputy,
            "mutation($i:LogInspectionInput!){ logInspection(input:$i){ findings{ deadline dueBy } } }",
            json!({ "i": { "kind": "VISIT", "projectId": town.bridge, "visitedOn": "2026-09-01",
                           "participantIds": [town.yang], "summary": "视察",
                           "findings": [{ "description": "护栏缺失", "responsibleLeaderId": town.li,
                                          "responsibleUnitId": town.cunjian, "deadline": "2026-09-27" }] } }),
        )
        .await;
    let finding = &visit["logInspection"]["findings"][0];
    assert_eq!(finding["deadline"], "2026-09-27");
    assert_eq!(finding["dueBy"], "2026-09-28");
}

e2e!(due_soon_counts_working_days_and_pace_thresholds_are_the_organisations);
async fn due_soon_counts_working_days_and_pace_thresholds_are_the_organisations(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    let friday = town
        .milestone(
            &app,
            json!({ "title": "验收资料", "deadline": "2026-10-09" }),
        )
        .await;
    let monday = town
        .milestone(
            &app,
            json!({ "title": "竣工结算", "deadline": "2026-10-12" }),
        )
        .await;
    // On Tuesday 09-29, three working days (09-30, 10-08, 10-09) reach Friday 10-09 across the
    // holiday; Saturday 10-10 is a make-up working day, so Monday 10-12 is the fifth.
    assert_eq!(
        state(&app, &town, &friday["id"], "2026-09-29").await["deadlineState"],
        "DUE_SOON"
    );
    assert_eq!(
        state(&app, &town, &monday["id"], "2026-09-29").await["deadlineState"],
        "UPCOMING"
    );
    set(&app, &town, json!({ "dueSoonWorkingDays": 4 })).await;
    assert_eq!(
        state(&app, &town, &monday["id"], "2026-09-29").await["deadlineState"],
        "UPCOMING"
    );
    set(&app, &town, json!({ "dueSoonWorkingDays": 5 })).await;
    assert_eq!(
        state(&app, &town, &monday["id"], "2026-09-29").await["deadlineState"],
        "DUE_SOON"
    );
    let soon = app
        .ok(
            &town.viewer,
            "{ milestones(filter:{deadlineState:[DUE_SOON], asOf:\"2026-09-29\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        soon["milestones"]["totalCount"], 2,
        "the filter says the same"
    );

    // 30 points behind pace on 03-10: yellow under the defaults, green under looser thresholds;
    // 63 behind on 03-20: red under both.
    let paced = town
        .milestone(
            &app,
            json!({ "title": "招标采购", "startDate": "2026-03-01", "deadline": "2026-03-31" }),
        )
        .await;
    assert_eq!(
        state(&app, &town, &paced["id"], "2026-03-10").await["light"],
        "YELLOW"
    );
    set(
        &app,
        &town,
        json!({ "behindPaceYellowPoints": 40, "behindPaceRedPoints": 60 }),
    )
    .await;
    assert_eq!(
        state(&app, &town, &paced["id"], "2026-03-10").await["light"],
        "GREEN"
    );
    assert_eq!(
        state(&app, &town, &paced["id"], "2026-03-20").await["light"],
        "RED"
    );
    let red = app
        .ok(
            &town.viewer,
            "{ projects(filter:{light:[RED], asOf:\"2026-03-20\"}) { totalCount } }",
            json!({}),
        )
        .await;
    assert_eq!(
        red["projects"]["totalCount"], 1,
        "the project filter agrees"
    );
}

e2e!(operators_add_a_years_notice_and_set_a_day_from_the_command_line);
async fn operators_add_a_years_notice_and_set_a_day_from_the_command_line(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    set(&app, &town, json!({ "rollDeadlinesOffRestDays": true })).await;
    // 2027 has no notice yet: Friday 10-01 is a working day.
    let m = town
        .milestone(
            &app,
            json!({ "title": "绿化提升", "deadline": "2027-10-01" }),
        )
        .await;
    assert_eq!(m_due_by(&app, &m).await, "2027-10-01");
    // A deputy's suggestion whose answer is due the same day.
    let s = app
        .ok(
            &town.presidium,
            "mutation($d:ID!,$r:Date!){ registerSuggestion(input:{title:\"增设路灯\",content:\"老街照明不足\",source:INTERSESSION,leadDeputyId:$d,receivedOn:$r}){ id version } }",
            json!({ "d": town.yang, "r": jiandu_tests::town::day(0) }),
        )
        .await["registerSuggestion"]
        .clone();
    app.ok(
        &town.presidium,
        "mutation($id:ID!,$v:Int!,$u:ID!,$l:ID!){ assignSuggestion(id:$id,expectedVersion:$v,input:{leadUnitId:$u,responsibleLeaderId:$l,deadline:\"2027-10-01\"}){ id } }",
        json!({ "id": s["id"], "v": s["version"], "u": town.cunjian, "l": town.li }),
    )
    .await;
    assert_eq!(
        s_due_by(&app, &s).await,
        ("2027-10-01".into(), "2027-10-01".into())
    );
    let file = std::env::temp_dir().join(format!("jiandu-2027-{}.txt", uuid::Uuid::now_v7()));
    std::fs::write(
        &file,
        "# 2027 国庆节（示例通知）\n2027-09-26 work 国庆节调休\n2027-10-01..2027-10-07 rest 国庆节\n",
    )
    .unwrap();
    let (ok, out) = jiandu(
        app.database_url(),
        &["calendar", "import", file.to_str().unwrap()],
        "",
    );
    assert!(ok, "{out}");
    assert!(out.contains("8 day(s) set"), "{out}");
    assert!(out.contains("2027"), "{out}");
    assert_eq!(
        m_due_by(&app, &m).await,
        "2027-10-08",
        "rolled past the new holiday"
    );
    assert_eq!(
        s_due_by(&app, &s).await,
        ("2027-10-08".into(), "2027-10-08".into()),
        "the suggestion's answer too, and the day it is judged on time by"
    );

    let (ok, out) = jiandu(
        app.database_url(),
        &["calendar", "set", "2027-10-08", "rest", "补休"],
        "",
    );
    assert!(ok, "{out}");
    assert_eq!(
        m_due_by(&app, &m).await,
        "2027-10-11",
        "past the weekend too"
    );
    app.ctx.calendar.invalidate().await;
    let named = app
        .ok(
            &town.viewer,
            "{ workCalendar(from:\"2027-10-08\", to:\"2027-10-08\") { kind name } }",
            json!({}),
        )
        .await;
    assert_eq!(named["workCalendar"][0]["name"], "补休");

    // A bad file changes nothing and says which line.
    std::fs::write(&file, "2027-10-11 rest 测试\n2027-10-12 holiday\n").unwrap();
    let (ok, out) = jiandu(
        app.database_url(),
        &["calendar", "import", file.to_str().unwrap()],
        "",
    );
    assert!(!ok);
    assert!(out.contains("line 2"), "{out}");
    assert_eq!(m_due_by(&app, &m).await, "2027-10-11");
    let (ok, _) = jiandu(
        app.database_url(),
        &["calendar", "set", "2027-10-11", "holiday"],
        "",
    );
    assert!(!ok, "neither workday nor rest");
    std::fs::remove_file(&file).unwrap();

    // The shipped arrangements, loaded again at the next start, leave an operator's day alone.
    workdays::load_shipped(&app.ctx).await.unwrap();
    let day =
        work_calendar_day::Entity::find_by_id("2027-10-08".parse::<chrono::NaiveDate>().unwrap())
            .one(app.ctx.db.conn())
            .await
            .unwrap()
            .unwrap();
    assert!(day.set_by_operator);
    assert_eq!(day.kind, "REST_DAY");
}

/// The stored `due_by`, read from the database (what the indexed filters range over).
async fn m_due_by(app: &TestApp, m: &Value) -> String {
    let id: uuid::Uuid = m["id"].as_str().unwrap().parse().unwrap();
    milestone::Entity::find_by_id(id)
        .one(app.ctx.db.conn())
        .await
        .unwrap()
        .unwrap()
        .due_by
        .to_string()
}

/// A suggestion's stored `due_by` and `on_time_due_by`.
async fn s_due_by(app: &TestApp, s: &Value) -> (String, String) {
    let id: uuid::Uuid = s["id"].as_str().unwrap().parse().unwrap();
    let row = suggestion::Entity::find_by_id(id)
        .one(app.ctx.db.conn())
        .await
        .unwrap()
        .unwrap();
    let day = |d: Option<chrono::NaiveDate>| d.map(|d| d.to_string()).unwrap_or_default();
    (day(row.due_by), day(row.on_time_due_by))
}

/// A database of the schema before the calendar, with a milestone due on National Day whose
/// deadline was once moved late: migrated, its `due_by` and `on_time_due_by` are the deadlines
/// themselves; on the server's first start the calendar is loaded and both are rolled off the
/// holiday.
async fn due_dates_are_filled_and_rolled_when_migrated(backend: jiandu_tests::Backend) {
    use jiandu_migration::{Migrator, MigratorTrait};
    use jiandu_tests::{EmptyDatabase, execute_numbered};
    let empty = EmptyDatabase::new(backend).await;
    let (db, old) = empty.old_town_at(13).await;
    let conn = db.conn();
    let id = || uuid::Uuid::now_v7();
    let m = id();
    let now = chrono::Utc::now();
    execute_numbered(conn, "INSERT INTO milestone (id, organization_id, project_id, parent_id, title, description, responsible_leader_id, responsible_unit_id, responsible_person_id, start_date, deadline, original_deadline, on_time_deadline, times_rescheduled, status, progress, weight, completed_at, completed_on, version, created_at, updated_at) VALUES ($1, $2, $3, NULL, '桥面铺装', NULL, $4, $5, NULL, NULL, '2026-10-01', '2024-10-05', '2024-10-05', 1, 'IN_PROGRESS', 40, 1, NULL, NULL, 2, $6, $6)", vec![m.into(), old.org.into(), old.project.into(), old.person.into(), old.unit.into(), now.into()]).await;

    Migrator::up(conn, Some(14)).await.unwrap();
    let row = || async {
        milestone::Entity::find_by_id(m)
            .one(conn)
            .await
            .unwrap()
            .unwrap()
    };
    let migrated = row().await;
    assert_eq!(migrated.due_by.to_string(), "2026-10-01");
    assert_eq!(migrated.on_time_due_by.to_string(), "2024-10-05");
    assert_eq!(migrated.version, 2, "derived columns are no edit");

    let data = std::env::temp_dir().join(format!("jiandu-data-{}", uuid::Uuid::now_v7()));
    let mut config = jiandu_api::config::Config::new(empty.url.clone());
    config.data_dir = data.clone();
    let ctx = jiandu_api::app::open_database(&config).await.unwrap();
    let started = row().await;
    assert_eq!(started.due_by.to_string(), "2026-10-08");
    assert_eq!(started.on_time_due_by.to_string(), "2024-10-08");
    assert_eq!(started.version, 2);
    ctx.db.clone().close().await;
    db.close().await;
    let _ = std::fs::remove_dir_all(data);
}

jiandu_tests::on_both_backends!(
    due_dates_are_filled_and_rolled_when_migrated =>
        due_dates_are_filled_and_rolled_when_migrated_on_sqlite,
        due_dates_are_filled_and_rolled_when_migrated_on_postgres
);
