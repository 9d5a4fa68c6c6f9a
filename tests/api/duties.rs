//! Separation of duties by person: whoever did the work does not check it, through any account.

use jiandu_tests::town::{Town, day};
use jiandu_tests::{TestApp, e2e};
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
