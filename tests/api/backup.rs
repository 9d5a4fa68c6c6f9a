//! Backups of the embedded database (`jiandu backup --to FILE`) while the server serves writes.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

use jiandu_tests::{Backend, TestApp};
use sea_orm::{ConnectionTrait, Database, Statement};
use serde_json::json;
use tokio::sync::Mutex;

use crate::cli::jiandu;

/// `jiandu backup --to copy` on the database `app` serves, run off the async runtime: whether
/// it succeeded, and what it said.
async fn backup_to(app: &TestApp, copy: &std::path::Path) -> (bool, String) {
    let (url, to) = (
        app.database_url().to_string(),
        copy.to_str().unwrap().to_string(),
    );
    tokio::task::spawn_blocking(move || jiandu(&url, &["backup", "--to", &to], ""))
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
/// Eight writers create projects without pause; a backup is taken from the command line in the
/// middle. The copy opens, passes SQLite's integrity check and holds every project whose creation
/// was acknowledged before the backup began. A second backup to the same file is refused and
/// leaves the first as it was.
async fn a_backup_taken_under_eight_writers_holds_every_acknowledged_write() {
    let app = Arc::new(TestApp::spawn(Backend::Sqlite).await);
    let (_, token) = app.organization("思蒙镇", None, None).await;
    let acknowledged: Arc<Mutex<Vec<(std::time::Instant, String)>>> = Arc::default();
    let stop = Arc::new(AtomicBool::new(false));
    let mut writers = Vec::new();
    for w in 0..8 {
        let (app, token, acknowledged, stop) = (
            app.clone(),
            token.clone(),
            acknowledged.clone(),
            stop.clone(),
        );
        writers.push(tokio::spawn(async move {
            let mut n = 0;
            while !stop.load(Ordering::Relaxed) {
                let title = format!("项目{w}-{n}");
                app.ok(
                    &token,
                    "mutation($t:String!){ createProject(input:{title:$t, origin:OTHER}){ id } }",
                    json!({ "t": title }),
                )
                .await;
                acknowledged
                    .lock()
                    .await
                    .push((std::time::Instant::now(), title));
                n += 1;
            }
        }));
    }
    tokio::time::sleep(std::time::Duration::from_millis(800)).await;
    let dir = std::env::temp_dir().join(format!("jiandu-backup-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let copy = dir.join("jiandu-backup.db");
    let began = std::time::Instant::now();
    let (ok, out) = backup_to(&app, &copy).await;
    assert!(ok, "{out}");
    assert!(out.contains("backed up the database"), "{out}");
    tokio::time::sleep(std::time::Duration::from_millis(300)).await;
    stop.store(true, Ordering::Relaxed);
    for writer in writers {
        writer.await.unwrap();
    }
    let before: Vec<String> = acknowledged
        .lock()
        .await
        .iter()
        .filter(|(at, _)| *at < began)
        .map(|(_, title)| title.clone())
        .collect();
    let total = acknowledged.lock().await.len();
    assert!(
        before.len() >= 8,
        "writes before the backup: {}",
        before.len()
    );
    assert!(total > before.len(), "writers went on during the backup");

    let backup = Database::connect(format!("sqlite://{}?mode=ro", copy.display()))
        .await
        .unwrap();
    let check = backup
        .query_one_raw(Statement::from_string(
            backup.get_database_backend(),
            "PRAGMA integrity_check",
        ))
        .await
        .unwrap()
        .unwrap();
    assert_eq!(check.try_get_by_index::<String>(0).unwrap(), "ok");
    let titles: std::collections::HashSet<String> = backup
        .query_all_raw(Statement::from_string(
            backup.get_database_backend(),
            "SELECT title FROM project",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    for title in &before {
        assert!(
            titles.contains(title),
            "{title} was acknowledged before the backup"
        );
    }
    drop(backup);

    // The file exists now: a second backup to it is refused and changes nothing.
    let size = std::fs::metadata(&copy).unwrap().len();
    let (ok, out) = backup_to(&app, &copy).await;
    assert!(!ok);
    assert!(out.contains("exists already"), "{out}");
    assert_eq!(std::fs::metadata(&copy).unwrap().len(), size);
    assert!(!dir.join(".jiandu-backup.db.partial").exists());
    let _ = std::fs::remove_dir_all(&dir);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
/// Backup → wiped disk → restore → every record back: a server started on the restored file
/// reads the township, its project and milestone and signs in its accounts. A restore over the
/// database a server is using is refused and changes nothing; so is a file that is not a backup.
async fn a_restored_backup_holds_every_record_and_a_served_database_is_not_replaced() {
    let app = TestApp::spawn(Backend::Sqlite).await;
    let town = jiandu_tests::town::Town::setup(&app, "思蒙镇").await;
    let dir = std::env::temp_dir().join(format!("jiandu-restore-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&dir).unwrap();
    let backup = dir.join("backup.db");
    let run = |url: String, args: Vec<String>| {
        tokio::task::spawn_blocking(move || {
            let args: Vec<&str> = args.iter().map(String::as_str).collect();
            jiandu(&url, &args, "")
        })
    };
    let path = |p: &std::path::Path| p.to_str().unwrap().to_string();
    let (ok, out) = run(
        app.database_url().into(),
        vec!["backup".into(), "--to".into(), path(&backup)],
    )
    .await
    .unwrap();
    assert!(ok, "{out}");

    // The server holds its database: no restore over it.
    let (ok, out) = run(
        app.database_url().into(),
        vec!["restore".into(), path(&backup)],
    )
    .await
    .unwrap();
    assert!(!ok);
    assert!(out.contains("a server is using"), "{out}");
    let still = app
        .ok(&town.presidium, "{ projects{ totalCount } }", json!({}))
        .await;
    assert_eq!(still["projects"]["totalCount"], 1);

    // A wiped machine: an empty file where the database was. Not a backup: refused.
    let target = dir.join("jiandu.db");
    std::fs::write(&target, b"").unwrap();
    let url = format!("sqlite://{}?mode=rwc", target.display());
    let junk = dir.join("notes.txt");
    std::fs::write(&junk, "这不是数据库").unwrap();
    let (ok, out) = run(url.clone(), vec!["restore".into(), path(&junk)])
        .await
        .unwrap();
    assert!(!ok);
    assert!(out.contains("not a Jiandu database backup"), "{out}");
    assert_eq!(
        std::fs::metadata(&target).unwrap().len(),
        0,
        "nothing replaced"
    );

    // A name a database URL would read otherwise (`%2E` as a dot): what is checked is the very
    // file restored.
    std::fs::copy(&backup, dir.join("evil.db")).unwrap();
    let disguised = dir.join("evil%2Edb");
    std::fs::write(&disguised, "这不是数据库").unwrap();
    let (ok, out) = run(url.clone(), vec!["restore".into(), path(&disguised)])
        .await
        .unwrap();
    assert!(!ok, "{out}");
    assert!(out.contains("not a Jiandu database backup"), "{out}");
    assert_eq!(std::fs::metadata(&target).unwrap().len(), 0);

    // A backup with an object of someone else's (a trigger making every new session's account
    // a presidium's), and a file holding only the migrations' table: neither restores.
    let planted = dir.join("planted.db");
    std::fs::copy(&backup, &planted).unwrap();
    let only = dir.join("only-migrations.db");
    for (file, sql) in [
        (
            &planted,
            "CREATE TRIGGER promote AFTER INSERT ON session BEGIN UPDATE app_user SET role = 'PRESIDIUM'; END",
        ),
        (
            &only,
            "CREATE TABLE seaql_migrations (version TEXT PRIMARY KEY, applied_at BIGINT NOT NULL)",
        ),
    ] {
        let db = sea_orm::Database::connect(format!("sqlite://{}?mode=rwc", file.display()))
            .await
            .unwrap();
        db.execute_unprepared(sql).await.unwrap();
        db.close().await.unwrap();
        let (ok, out) = run(url.clone(), vec!["restore".into(), path(file)])
            .await
            .unwrap();
        assert!(!ok, "{out}");
        assert!(out.contains("not a Jiandu database backup"), "{out}");
        assert_eq!(std::fs::metadata(&target).unwrap().len(), 0);
    }

    let (ok, out) = run(url.clone(), vec!["restore".into(), path(&backup)])
        .await
        .unwrap();
    assert!(ok, "{out}");
    assert!(out.contains("restored the database"), "{out}");
    let restored = TestApp::spawn_with(Backend::Sqlite, |config| config.database_url = url).await;
    let username = app.username(&town.liming).await;
    let token = restored.login(&username, jiandu_tests::PASSWORD).await;
    let seen = restored
        .ok(
            &token,
            "query($p:ID!){ project(id:$p){ title } organizations{ name } people{ name } }",
            json!({ "p": town.bridge }),
        )
        .await;
    assert_eq!(seen["project"]["title"], "思蒙国家湿地公园健身步道风雨桥");
    assert_eq!(seen["organizations"][0]["name"], "思蒙镇");
    assert!(seen["people"].as_array().unwrap().len() >= 4);
    let _ = std::fs::remove_dir_all(&dir);
}

const PDF: &[u8] =
    b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

/// A server backing up every second and keeping `keep` copies, with a town whose milestone
/// 桥面铺装 carries a PDF; the milestone and the attachment (`sha256`, `url`).
async fn backing_up_with_a_file(
    keep: usize,
) -> (
    TestApp,
    jiandu_tests::town::Town,
    serde_json::Value,
    serde_json::Value,
) {
    let app = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.backup_keep = keep;
        config.backup_every_secs = 1;
    })
    .await;
    let town = jiandu_tests::town::Town::setup(&app, "思蒙镇").await;
    let m = town
        .milestone(
            &app,
            json!({ "title": "桥面铺装", "deadline": jiandu_tests::town::day(5) }),
        )
        .await;
    let (status, body) = app
        .upload(
            &town.presidium,
            m["id"].as_str().unwrap(),
            "验收报告.pdf",
            PDF.to_vec(),
            None,
        )
        .await;
    assert_eq!(status, 200, "{body}");
    let attached = body["data"]["attachFile"].clone();
    (app, town, m, attached)
}

/// The database copies in a backups folder, oldest first.
fn copies_in(backups: &std::path::Path) -> Vec<std::path::PathBuf> {
    let mut found: Vec<std::path::PathBuf> = std::fs::read_dir(backups)
        .map(|entries| entries.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    found.retain(|p| p.extension().is_some_and(|e| e == "db"));
    found.sort();
    found
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
/// The server's own backups (here every second, keeping two): copies of the database in
/// `<data dir>/backups/` with the evidence files mirrored beside them, the oldest beyond the
/// number kept removed, the last one reported on `/metrics` and `/readyz`.
async fn the_server_keeps_its_latest_backups_with_their_files() {
    let (app, town, _, attached) = backing_up_with_a_file(2).await;
    let sha256 = attached["sha256"].as_str().unwrap().to_string();
    let backups = app.data_dir.join("backups");
    let copies = || copies_in(&backups);
    // Wait until three backups were taken after the file was attached: two are kept.
    let taken = || async {
        let metrics = app.get(None, "/metrics").await.text().await.unwrap();
        metrics
            .lines()
            .find_map(|l| l.strip_prefix("jiandu_backups_total "))
            .and_then(|n| n.parse::<u64>().ok())
            .unwrap_or(0)
    };
    let before = taken().await;
    for _ in 0..100 {
        if taken().await >= before + 3 {
            break;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    assert!(taken().await >= before + 3, "three more backups");
    let found = copies();
    assert_eq!(found.len(), 2, "the two newest kept: {found:?}");
    let newest = found.last().unwrap().clone();
    let mirrored = backups
        .join("files")
        .join("sha256")
        .join(&sha256[..2])
        .join(&sha256);
    assert_eq!(std::fs::read(&mirrored).unwrap(), PDF.to_vec());

    let copy = Database::connect(format!("sqlite://{}?mode=ro", newest.display()))
        .await
        .unwrap();
    let backend = copy.get_database_backend();
    let titles: Vec<String> = copy
        .query_all_raw(Statement::from_string(
            backend,
            "SELECT title FROM milestone",
        ))
        .await
        .unwrap()
        .iter()
        .map(|row| row.try_get_by_index::<String>(0).unwrap())
        .collect();
    assert!(titles.contains(&"桥面铺装".to_string()), "{titles:?}");
    drop(copy);

    let metrics = app.get(None, "/metrics").await.text().await.unwrap();
    let last: i64 = metrics
        .lines()
        .find_map(|l| l.strip_prefix("jiandu_backup_last_success_timestamp_seconds "))
        .unwrap()
        .parse()
        .unwrap();
    assert!(last > 0, "{metrics}");
    assert!(
        metrics.contains("jiandu_backup_failures_total 0"),
        "{metrics}"
    );
    let ready = app.get(None, "/readyz").await.text().await.unwrap();
    assert!(ready.contains("last backup:"), "{ready}");

    // The presidium reads it in the workbench's settings; others do not.
    let settings = jiandu_tests::web::Visitor::new(&app, Some(&town.presidium))
        .get("/settings")
        .await;
    assert!(settings.html.contains("保留最近 2 份"), "{}", settings.html);
    assert!(settings.html.contains("最近一次："), "{}", settings.html);
    let viewer = jiandu_tests::web::Visitor::new(&app, Some(&town.viewer))
        .get("/settings")
        .await;
    assert!(!viewer.html.contains("数据备份"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
/// Round trip with the evidence: the server's own backup, a wiped machine (new database file,
/// empty data dir), `jiandu restore` of that backup, and a server there serves the record and
/// the file attached to it.
async fn a_restore_from_the_servers_backup_brings_back_records_and_files() {
    let (app, town, m, attached) = backing_up_with_a_file(3).await;
    let url_path = attached["url"].as_str().unwrap().to_string();
    let backups = app.data_dir.join("backups");
    let since = std::time::SystemTime::now();
    // The second copy finished after the file was attached: a copy under way while it was
    // being attached may finish after it without it, but the next one began after.
    let mut fresh = Vec::new();
    for _ in 0..100 {
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        fresh = copies_in(&backups)
            .into_iter()
            .filter(|p| {
                std::fs::metadata(p)
                    .and_then(|m| m.modified())
                    .is_ok_and(|t| t > since)
            })
            .collect();
        if fresh.len() >= 2 {
            break;
        }
    }
    let backup = fresh
        .pop()
        .filter(|_| !fresh.is_empty())
        .expect("a backup begun after the file was attached");

    let machine = std::env::temp_dir().join(format!("jiandu-wiped-{}", uuid::Uuid::now_v7()));
    std::fs::create_dir_all(&machine).unwrap();
    let (database, data) = (machine.join("jiandu.db"), machine.join("data"));
    let url = format!("sqlite://{}?mode=rwc", database.display());
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_jiandu-server"))
        .args(["restore", backup.to_str().unwrap()])
        .env("JIANDU_DATABASE_URL", &url)
        .env("JIANDU_DATA_DIR", &data)
        .env("RUST_LOG", "error")
        .output()
        .unwrap();
    let said = String::from_utf8_lossy(&out.stdout).to_string();
    assert!(
        out.status.success(),
        "{said}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(said.contains("restored the evidence files"), "{said}");

    let restored = TestApp::spawn_with(Backend::Sqlite, |config| {
        config.database_url = url;
        config.data_dir = data;
    })
    .await;
    let username = app.username(&town.presidium).await;
    let token = restored.login(&username, jiandu_tests::PASSWORD).await;
    let seen = restored
        .ok(
            &token,
            "query($m:ID!){ milestone(id:$m){ title attachments{ fileName } } }",
            json!({ "m": m["id"] }),
        )
        .await;
    assert_eq!(seen["milestone"]["title"], "桥面铺装");
    assert_eq!(
        seen["milestone"]["attachments"],
        json!([{ "fileName": "验收报告.pdf" }])
    );
    let file = restored.get(Some(&token), &url_path).await;
    assert_eq!(file.status(), 200);
    assert_eq!(file.bytes().await.unwrap().to_vec(), PDF.to_vec());
    let _ = std::fs::remove_dir_all(&machine);
}

#[test]
/// On PostgreSQL the command line points to PostgreSQL's own tools instead of touching anything.
fn postgres_is_backed_up_and_restored_with_its_own_tools() {
    let url = "postgres://nobody@127.0.0.1:9/none";
    let (ok, out) = jiandu(url, &["backup", "--to", "/nonexistent/x.db"], "");
    assert!(!ok);
    assert!(out.contains("pg_dump"), "{out}");
    let (ok, out) = jiandu(url, &["restore", "/nonexistent/x.db"], "");
    assert!(!ok);
    assert!(out.contains("pg_restore"), "{out}");
}
