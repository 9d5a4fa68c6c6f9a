//! Separation of duties by person: whoever did the work does not check it, through any account.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{Backend, TestApp, e2e};
use serde_json::{Value, json};

e2e!(nobody_checks_their_own_work_through_any_of_their_accounts);
/// Whoever did the work does not check it: a person holds one account per organisation (so a
/// leader cannot be given a deputy account to verify their own work), and the presidium cannot
/// verify a milestone it reported done or a finding it resolved itself.
async fn nobody_checks_their_own_work_through_any_of_their_accounts(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    // A second, deputy account for 李明 is refused: he has one in this organisation.
    let second = app
        .refused(
            &town.presidium,
            "mutation($p:ID!){ createUser(input:{username:\"liming-deputy\", password:\"代表账号2021x\", role:DEPUTY, personId:$p}){ id } }",
            json!({ "p": town.li }),
            "CONFLICT",
        )
        .await;
    assert!(
        second.to_string().contains("already has an account"),
        "{second}"
    );

    // 刘芳 has a leader account; the presidium makes her a milestone and a finding.
    let m = town
        .milestone(
            &app,
            json!({ "title": "自查节点", "deadline": day(10), "responsibleLeaderId": town.liu }),
        )
        .await;
    let done = app.complete(&town.liufang, &m["id"], &m["version"]).await;
    let verify = |token: String, version: Value| {
        let app = &app;
        let id = m["id"].clone();
        async move {
            app.gql(
                Some(&token),
                "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED){ status } }",
                json!({ "id": id, "v": version }),
            )
            .await
        }
    };
    // The presidium reports another one done itself and may not verify it either.
    let own = town
        .milestone(&app, json!({ "title": "主席团自办", "deadline": day(10) }))
        .await;
    let own_done = app
        .complete(&town.presidium, &own["id"], &own["version"])
        .await;
    app
        .refused(
            &town.presidium,
            "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED){ status } }",
            json!({ "id": own["id"], "v": own_done["version"] }),
            "FORBIDDEN",
        )
        .await;
    // A deputy verifies 刘芳's work; the presidium could too.
    let body = verify(town.deputy.clone(), done["version"].clone()).await;
    assert_eq!(
        body["data"]["verifyMilestone"]["status"], "VERIFIED",
        "{body}"
    );

    // An installation from before this rule may hold a second account of one person: it still
    // counts as that person. 李明's old deputy account cannot verify what 李明 reported done.
    {
        use jiandu_api::entity::{Stored, app_user};
        use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, Set};
        let first = app_user::Entity::find()
            .filter(app_user::Column::PersonId.eq(uuid::Uuid::parse_str(&town.li).unwrap()))
            .one(app.ctx.db.conn())
            .await
            .unwrap()
            .unwrap();
        app_user::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            organization_id: Set(first.organization_id),
            username: Set(format!("{}-old-deputy", first.username)),
            password_hash: Set(first.password_hash.clone()),
            role: Set(Stored(jiandu_domain::Role::Deputy)),
            person_id: Set(first.person_id),
            created_at: Set(first.created_at),
            ..Default::default()
        }
        .insert(app.ctx.db.conn())
        .await
        .unwrap();
        let old = app
            .login(
                &format!("{}-old-deputy", first.username),
                jiandu_tests::PASSWORD,
            )
            .await;
        let his = town
            .milestone(&app, json!({ "title": "李明自报", "deadline": day(10) }))
            .await;
        let his_done = app
            .complete(&town.liming, &his["id"], &his["version"])
            .await;
        app
            .refused(
                &old,
                "mutation($id:ID!,$v:Int!){ verifyMilestone(id:$id,expectedVersion:$v,verdict:ACCEPTED){ status } }",
                json!({ "id": his["id"], "v": his_done["version"] }),
                "FORBIDDEN",
            )
            .await;
    }

    // The presidium resolves a finding itself and may not verify it.
    let finding = &town.finding(&app, "护栏缺失", &day(5)).await;
    let resolved = app
        .ok(&town.presidium, "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:RESOLVED,resolution:\"已整改\"){ version } }", json!({ "id": finding["id"], "v": finding["version"] }))
        .await;
    app
        .refused(
            &town.presidium,
            "mutation($id:ID!,$v:Int!){ updateFinding(id:$id,expectedVersion:$v,status:VERIFIED){ status } }",
            json!({ "id": finding["id"], "v": resolved["updateFinding"]["version"] }),
            "FORBIDDEN",
        )
        .await;
}

e2e!(every_account_that_does_or_checks_work_names_its_person);
/// Separation of duties goes by person, so an account of nobody could check what another
/// account reported: a PRESIDIUM, LEADER or DEPUTY account must name its person (REQUIRED on
/// `personId`, nothing written); a VIEWER account (an office, a public board) need not.
async fn every_account_that_does_or_checks_work_names_its_person(app: TestApp) {
    let town = Town::setup(&app, "思蒙镇").await;
    const CREATE: &str = "mutation($u:String!,$r:Role!){ createUser(input:{username:$u,password:\"chosen-by-presidium\",role:$r}){ id person { id } } }";
    let accounts = || async {
        app.ok(&town.presidium, "{ users { id } }", json!({})).await["users"]
            .as_array()
            .unwrap()
            .len()
    };
    let before = accounts().await;
    for role in ["PRESIDIUM", "LEADER", "DEPUTY"] {
        let body = app
            .refused(
                &town.presidium,
                CREATE,
                json!({ "u": format!("nobody-{}", role.to_lowercase()), "r": role }),
                "VALIDATION_FAILED",
            )
            .await;
        let extensions = &body["errors"][0]["extensions"];
        assert_eq!(extensions["field"], "personId", "{role}: {body}");
        assert_eq!(extensions["reason"], "REQUIRED", "{role}: {body}");
    }
    assert_eq!(accounts().await, before, "a refused account is not written");
    let office = app
        .ok(
            &town.presidium,
            CREATE,
            json!({ "u": "county-office", "r": "VIEWER" }),
        )
        .await;
    assert_eq!(office["createUser"]["person"], Value::Null);
    assert_eq!(accounts().await, before + 1);
}

/// A database from before the rule, with person-less PRESIDIUM and DEPUTY accounts and a
/// VIEWER: migrated, each acting account holds a person of its own (named as the account, in
/// its organisation), so neither counts as the other or as nobody; the VIEWER is left as it was.
async fn person_less_accounts_get_a_person_each_when_migrated(backend: Backend) {
    use jiandu_migration::{Migrator, MigratorTrait};
    use jiandu_tests::{EmptyDatabase, execute_numbered};
    use sea_orm::{ConnectionTrait, Statement};
    let empty = EmptyDatabase::new(backend).await;
    let (db, old) = empty.old_town_at(23).await;
    let conn = db.conn();
    let now = chrono::Utc::now();
    let accounts = [
        ("office2", "PRESIDIUM"),
        ("yang", "DEPUTY"),
        ("county", "VIEWER"),
    ];
    for (username, role) in accounts {
        execute_numbered(conn, "INSERT INTO app_user (id, organization_id, username, password_hash, role, person_id, created_at, must_change_password, version) VALUES ($1, $2, $3, 'x', $4, NULL, $5, FALSE, 1)", vec![uuid::Uuid::now_v7().into(), old.org.into(), username.into(), role.into(), now.into()]).await;
    }

    Migrator::up(conn, None).await.unwrap();
    let rows = conn
        .query_all_raw(Statement::from_string(
            conn.get_database_backend(),
            "SELECT u.username, u.version, p.id, p.name, p.organization_id FROM app_user u \
             LEFT JOIN person p ON p.id = u.person_id ORDER BY u.username",
        ))
        .await
        .unwrap();
    /// An account's name and version, and its person's id, name and organisation.
    type Held = (
        String,
        i32,
        Option<uuid::Uuid>,
        Option<String>,
        Option<uuid::Uuid>,
    );
    let held: Vec<Held> = rows
        .iter()
        .map(|r| {
            (
                r.try_get_by_index(0).unwrap(),
                r.try_get_by_index(1).unwrap(),
                r.try_get_by_index(2).unwrap(),
                r.try_get_by_index(3).unwrap(),
                r.try_get_by_index(4).unwrap(),
            )
        })
        .collect();
    let of = |name: &str| held.iter().find(|h| h.0 == name).unwrap().clone();
    for name in ["office2", "yang"] {
        let (_, version, person, person_name, organization) = of(name);
        assert!(person.is_some(), "{name} holds a person: {held:?}");
        assert_eq!(person_name.as_deref(), Some(name));
        assert_eq!(organization, Some(old.org));
        assert_eq!(version, 2, "the account's version moves with it");
    }
    assert_ne!(of("office2").2, of("yang").2, "one person each");
    assert_eq!(of("county").2, None, "a VIEWER is left as it was");
    db.close().await;
}

jiandu_tests::on_both_backends!(
    person_less_accounts_get_a_person_each_when_migrated =>
        person_less_accounts_get_a_person_each_when_migrated_on_sqlite,
        person_less_accounts_get_a_person_each_when_migrated_on_postgres
);
