//! The processes the benchmark runs: the server (this executable as `serve-child`), the floor
//! (`floor-child`), the data set they share, and their memory.

use std::path::PathBuf;
use std::process::{Command, Stdio};
use std::time::Duration;

use anyhow::{Context, bail};

use super::Args;

pub(crate) fn target_dir() -> PathBuf {
    std::env::var_os("CARGO_TARGET_DIR")
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target"))
        .join("bench")
}

pub(crate) fn jiandu(database_url: &str) -> Command {
    let mut command = Command::new(std::env::current_exe().expect("the benchmark knows its path"));
    command
        .arg("serve-child")
        .args(["--database-url", database_url])
        .env("JIANDU_DATA_DIR", target_dir().join("data"))
        // A backup falling due at the backup hour would be measured with the queries.
        .env("JIANDU_BACKUP_KEEP", "0")
        .env("RUST_LOG", "error");
    command
}

pub(crate) async fn database(args: &Args) -> anyhow::Result<String> {
    let dir = target_dir();
    std::fs::create_dir_all(&dir)?;
    let (url, exists) = match args.backend.as_str() {
        "sqlite" => {
            let file = dir.join(format!("{}.db", args.scale));
            if args.fresh || args.ci {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", file.display()));
                }
            }
            let exists = file.exists();
            (format!("sqlite://{}?mode=rwc", file.display()), exists)
        }
        "postgres" => {
            let name = format!("jiandu_bench_{}", args.scale);
            let admin = sea_orm::Database::connect(&args.postgres_url).await?;
            use sea_orm::ConnectionTrait;
            let found = admin
                .query_one_raw(sea_orm::Statement::from_string(
                    sea_orm::DatabaseBackend::Postgres,
                    format!("SELECT 1 FROM pg_database WHERE datname = '{name}'"),
                ))
                .await?
                .is_some();
            if found && (args.fresh || args.ci) {
                admin
                    .execute_unprepared(&format!("DROP DATABASE {name} WITH (FORCE)"))
                    .await?;
            }
            let exists = found && !(args.fresh || args.ci);
            if !exists {
                admin
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await?;
            }
            let server = args
                .postgres_url
                .rsplit_once('/')
                .map_or(args.postgres_url.as_str(), |(s, _)| s);
            (format!("{server}/{name}"), exists)
        }
        other => bail!("`{other}` is not a backend: sqlite or postgres"),
    };
    if !exists {
        eprintln!(
            "generating the {} data set on {}…",
            args.scale, args.backend
        );
        let status = jiandu(&url)
            .args(["bench-data", "--scale", &args.scale, "--seed", "2021"])
            .status()?;
        if !status.success() {
            bail!("generating the data set failed");
        }
    }
    Ok(url)
}

pub(crate) struct Server {
    pub(crate) child: std::process::Child,
    pub(crate) base: String,
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

pub(crate) fn start(url: &str, extra: &[&str]) -> anyhow::Result<Server> {
    let mut command = jiandu(url);
    command
        .args(["serve", "--bind", "127.0.0.1:0"])
        .args([
            "--user-requests-per-second",
            "1000000",
            "--user-request-burst",
            "1000000",
        ])
        // The background jobs would add their statements (and, past the notice hour, a whole
        // scan) to the requests' counts; the scan is measured on its own (`scan.rs`).
        .args(["--notice-scan-secs", "0", "--delivery-ms", "0"])
        .args(extra);
    spawn(command)
}

pub(crate) fn start_floor(url: &str) -> anyhow::Result<Server> {
    let mut command = Command::new(std::env::current_exe()?);
    command.args(["floor-child", url]);
    spawn(command)
}

/// Starts `command` and waits for it to say where it listens.
pub(crate) fn spawn(mut command: Command) -> anyhow::Result<Server> {
    use std::io::{BufRead, BufReader};
    let mut child = command
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()?;
    let stdout = child.stdout.take().context("stdout")?;
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in BufReader::new(stdout).lines().map_while(Result::ok) {
            if let Some(rest) = line.split("listening on http://").nth(1)
                && let Some(port) = rest.split('/').next().and_then(|a| a.rsplit(':').next())
            {
                let _ = tx.send(port.to_string());
            }
        }
    });
    let port = rx
        .recv_timeout(Duration::from_secs(120))
        .context("the server starts")?;
    Ok(Server {
        child,
        base: format!("http://127.0.0.1:{port}"),
    })
}

pub(crate) fn rss_kib(pid: u32, field: &str) -> u64 {
    std::fs::read_to_string(format!("/proc/{pid}/status"))
        .ok()
        .and_then(|status| {
            status
                .lines()
                .find_map(|l| l.strip_prefix(field))
                .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse().ok())
        })
        .unwrap_or(0)
}
