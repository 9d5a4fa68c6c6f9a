//! Running the `jiandu` command line the way an operator does.

/// The server binary: `api/src/main.rs`, built by this package as `jiandu-server`.
const SERVER: &str = env!("CARGO_BIN_EXE_jiandu-server");

/// `jiandu ARGS` on `url`, with `stdin`; its exit success and what it printed.
pub fn jiandu(url: &str, args: &[&str], stdin: &str) -> (bool, String) {
    use std::io::Write;
    use std::process::{Command, Stdio};
    let mut child = Command::new(SERVER)
        .args(args)
        .env("JIANDU_DATABASE_URL", url)
        .env("RUST_LOG", "error")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    child
        .stdin
        .take()
        .unwrap()
        .write_all(stdin.as_bytes())
        .unwrap();
    let out = child.wait_with_output().unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    (out.status.success(), text)
}
