//! Organisation names are unique among siblings only: two counties may each have a 城关镇, no
//! township can squat a name another one needs, and the command line refuses a name that is
//! ambiguous instead of putting an account into whichever organisation it finds first.

use crate::cli::jiandu;
use jiandu_api::entity::{organization, unit};
use jiandu_migration::{Migrator, MigratorTrait};
use jiandu_tests::{Backend, EmptyDatabase, TestApp, code, e2e};
use sea_orm::{ActiveModelTrait, ConnectionTrait, EntityTrait, PaginatorTrait, Set};
use serde_json::json;

const CREATE: &str =
    "mutation($n:String!){ createOrganization(input:{name:$n}){ id name parent { name } } }";

async fn two_counties_each_have_a_chengguan_town_but_one_county_not_two(app: TestApp) {
    let (_, east) = app.organization("东县人大常委会", None, None).await;
    let (_, west) = app.organization("西县人大常委会", None, None).await;
    let first = app.ok(&east, CREATE, json!({ "n": "城关镇" })).await;
    assert_eq!(
        first["createOrganization"]["parent"]["name"],
        "东县人大常委会"
    );
    let other_county = app.ok(&west, CREATE, json!({ "n": "城关镇" })).await;
    assert_eq!(other_county["createOrganization"]["name"], "城关镇");
    app.ok(&east, CREATE, json!({ "n": "白马镇" })).await;
    let tree = app
        .ok(
            &east,
            "{ organizations { name parent { name } children { name children { name } } } }",
            json!({}),
        )
        .await;
    let county = tree["organizations"]
        .as_array()
        .unwrap()
        .iter()
        .find(|o| o["parent"].is_null())
        .cloned()
        .unwrap();
    assert_eq!(county["name"], "东县人大常委会");
    // By name, and only its own: 西县's 城关镇 is not among them.
    assert_eq!(
        county["children"],
        json!([{ "name": "城关镇", "children": [] }, { "name": "白马镇", "children": [] }])
    );
    let twice = app.gql(Some(&east), CREATE, json!({ "n": "城关镇" })).await;
    assert_eq!(code(&twice), "CONFLICT", "{twice}");
    // The refusal says nothing of any other county.
    let message = twice["errors"][0]["message"].as_str().unwrap();
    assert!(!message.contains("西县"), "{message}");
}
e2e!(two_counties_each_have_a_chengguan_town_but_one_county_not_two);

/// A database made before this change, with a county and townships in it, migrated to now: every
/// row and reference kept, foreign keys still enforced, and names unique among siblings.
async fn migrating_an_existing_tree_keeps_every_row_and_reference(backend: Backend) {
    let empty = EmptyDatabase::new(backend).await;
    let db = empty.open().await;
    let conn = db.conn();
    Migrator::up(conn, Some(8)).await.unwrap();
    let now = chrono::Utc::now();
    let org = |name: &str, parent: Option<uuid::Uuid>| organization::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        name: Set(name.into()),
        timezone: Set("Asia/Shanghai".into()),
        parent_id: Set(parent),
        created_at: Set(now),
    };
    let county = org("眉山市东坡区人大常委会", None)
        .insert(conn)
        .await
        .unwrap();
    let town = org("思蒙镇", Some(county.id)).insert(conn).await.unwrap();
    // The schema this database has yet to be migrated from has no unit heads: the row is
    // written without reading it back.
    unit::Entity::insert(unit::ActiveModel {
        id: Set(uuid::Uuid::now_v7()),
        organization_id: Set(town.id),
        name: Set("村建办".into()),
        created_at: Set(now),
        head_id: sea_orm::ActiveValue::NotSet,
    })
    .exec_without_returning(conn)
    .await
    .unwrap();

    Migrator::up(conn, None).await.unwrap();
    assert_eq!(organization::Entity::find().count(conn).await.unwrap(), 2);
    let kept = organization::Entity::find_by_id(town.id)
        .one(conn)
        .await
        .unwrap()
        .unwrap();
    assert_eq!(kept.parent_id, Some(county.id));
    assert_eq!(unit::Entity::find().count(conn).await.unwrap(), 1);
    // Every connection of the pool still enforces foreign keys, whichever one answers.
    for _ in 0..10 {
        let orphan = unit::ActiveModel {
            id: Set(uuid::Uuid::now_v7()),
            organization_id: Set(uuid::Uuid::now_v7()),
            name: Set("无主单位".into()),
            created_at: Set(now),
            head_id: Set(None),
        }
        .insert(conn)
        .await;
        assert!(orphan.is_err(), "a unit of no organisation was kept");
    }
    // A sibling of the same name is refused, a cousin is not, nor a root of another name.
    assert!(org("思蒙镇", Some(county.id)).insert(conn).await.is_err());
    let other = org("青神县人大常委会", None).insert(conn).await.unwrap();
    org("思蒙镇", Some(other.id)).insert(conn).await.unwrap();
    assert!(org("青神县人大常委会", None).insert(conn).await.is_err());
    if backend == Backend::Sqlite {
        let check = conn
            .query_one_raw(sea_orm::Statement::from_string(
                conn.get_database_backend(),
                "PRAGMA integrity_check",
            ))
            .await
            .unwrap()
            .unwrap();
        assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    }
    db.close().await;
}

jiandu_tests::on_both_backends!(
    migrating_an_existing_tree_keeps_every_row_and_reference =>
        migrating_an_existing_tree_keeps_every_row_and_reference_on_sqlite,
        migrating_an_existing_tree_keeps_every_row_and_reference_on_postgres
);

#[test]
fn the_command_line_refuses_an_ambiguous_organisation_and_takes_an_id() {
    let file = std::env::temp_dir().join(format!("jiandu-cli-{}.db", uuid::Uuid::now_v7()));
    let url = format!("sqlite://{}?mode=rwc", file.display());
    let created = |name: &str, parent: Option<&str>| {
        let mut args = vec!["org", "create", "--name", name];
        if let Some(parent) = parent {
            args.extend(["--parent", parent]);
        }
        let (ok, out) = jiandu(&url, &args, "");
        assert!(ok, "{out}");
        // "created organisation NAME (ZONE) ID"
        out.split_whitespace().last().unwrap().to_string()
    };
    let east = created("东县人大常委会", None);
    created("西县人大常委会", None);
    let town = created("城关镇", Some("东县人大常委会"));
    created("城关镇", Some("西县人大常委会"));

    let user = |org: &str| {
        jiandu(
            &url,
            &[
                "user",
                "create",
                "--org",
                org,
                "--username",
                "zhouming",
                "--role",
                "presidium",
                "--person",
                "周明",
                "--password-stdin",
            ],
            "long-enough-pw\n",
        )
    };
    let (ok, out) = user("城关镇");
    assert!(!ok, "an ambiguous name was taken: {out}");
    assert!(out.contains("2 organisations are named"), "{out}");
    assert!(out.contains(&town), "each candidate's id is shown: {out}");
    assert!(out.contains("东县人大常委会 › 城关镇"), "{out}");
    let (ok, out) = user(&town);
    assert!(ok, "{out}");
    assert!(out.contains("in 东县人大常委会 › 城关镇"), "{out}");
    // A parent by id works too.
    created("新区", Some(&east));
    let (ok, out) = jiandu(
        &url,
        &["org", "create", "--name", "新区", "--parent", &east],
        "",
    );
    assert!(!ok, "the same name twice below one parent: {out}");
    for suffix in ["", "-wal", "-shm"] {
        let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
    }
}
