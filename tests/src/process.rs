//! The real server binary as a child process, for tests that kill it.

use std::io::{BufRead, BufReader};
use std::path::PathBuf;
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A `jiandu serve` child on a free port.
pub struct Server {
    pub child: Child,
    pub base: String,
    /// Every line the server wrote to standard output and standard error so far.
    pub output: Arc<Mutex<Vec<String>>>,
}

impl Server {
    /// Starts `binary serve --demo` on `database_url` and waits until it listens. Integration
    /// tests pass `env!("CARGO_BIN_EXE_jiandu-server")`: the server's own `main`.
    pub fn start(binary: &str, database_url: &str, data_dir: &PathBuf) -> Server {
        Server::start_with(binary, database_url, data_dir, &[])
    }

    /// [`Server::start`] with more `JIANDU_…` variables set.
    pub fn start_with(
        binary: &str,
        database_url: &str,
        data_dir: &PathBuf,
        env: &[(&str, &str)],
    ) -> Server {
        let args = ["serve", "--demo", "--bind", "127.0.0.1:0"];
        Server::launch(binary, &args, database_url, data_dir, env)
    }

    /// `binary` run with `args` (a `serve` command) and `env`, once it says where it listens.
    pub fn launch(
        binary: &str,
        args: &[&str],
        database_url: &str,
        data_dir: &PathBuf,
        env: &[(&str, &str)],
    ) -> Server {
        let mut child = Command::new(binary)
            .args(args)
            .env("JIANDU_DATABASE_URL", database_url)
            .env("JIANDU_DATA_DIR", data_dir)
            .env("JIANDU_USER_REQUESTS_PER_SECOND", "100000")
            .env("JIANDU_USER_REQUEST_BURST", "100000")
            .env("RUST_LOG", "error")
            .env("JIANDU_TEST_HOOKS", "1")
            // No backup falling due at the backup hour in the middle of a test.
            .env("JIANDU_BACKUP_KEEP", "0")
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("the server binary starts");
        let output = Arc::new(Mutex::new(Vec::new()));
        let (port_tx, port_rx) = std::sync::mpsc::channel();
        let stdout = child.stdout.take().expect("stdout is piped");
        let stderr = child.stderr.take().expect("stderr is piped");
        let kept = output.clone();
        std::thread::spawn(move || {
            // Keep reading to the end, so the server never blocks on a full pipe.
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                if let Some(rest) = line.split("listening on http://").nth(1)
                    && let Some(port) = rest.split('/').next().and_then(|a| a.rsplit(':').next())
                {
                    let _ = port_tx.send(port.to_string());
                }
                kept.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let kept = output.clone();
        std::thread::spawn(move || {
            for line in BufReader::new(stderr).lines().map_while(Result::ok) {
                kept.lock().unwrap_or_else(|e| e.into_inner()).push(line);
            }
        });
        let port = port_rx
            .recv_timeout(Duration::from_secs(60))
            .expect("the server says where it listens");
        Server {
            child,
            base: format!("http://127.0.0.1:{port}"),
            output,
        }
    }

    /// What the server has written so far, one line after another.
    pub fn output(&self) -> String {
        self.output
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .join("\n")
    }

    /// The most memory the process has held (VmHWM), in MiB.
    pub fn peak_memory_mib(&self) -> u64 {
        std::fs::read_to_string(format!("/proc/{}/status", self.child.id()))
            .ok()
            .and_then(|status| {
                status
                    .lines()
                    .find_map(|l| l.strip_prefix("VmHWM:"))
                    .and_then(|v| v.trim().trim_end_matches(" kB").trim().parse::<u64>().ok())
            })
            .map_or(0, |kib| kib / 1024)
    }

    /// SIGTERM: stop accepting, finish what is in flight, exit.
    pub fn terminate(&self) {
        let status = Command::new("kill")
            .args(["-TERM", &self.child.id().to_string()])
            .status()
            .expect("kill runs");
        assert!(status.success());
    }

    /// Waits for the process to end; its exit code, or `None` if it is still running then.
    pub fn wait_for_exit(&mut self, timeout: Duration) -> Option<i32> {
        let deadline = std::time::Instant::now() + timeout;
        while std::time::Instant::now() < deadline {
            if let Ok(Some(status)) = self.child.try_wait() {
                return status.code();
            }
            std::thread::sleep(Duration::from_millis(20));
        }
        None
    }
}

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
