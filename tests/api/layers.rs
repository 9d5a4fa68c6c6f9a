//! The server's layers import downwards only (docs/architecture.md): the workbench builds on
//! the request's edge, never the other way round, and no layer below the edge knows of HTTP or
//! of pages. Read from the source, so a new `use` that breaks the rule fails here.

use std::path::{Path, PathBuf};

/// Every Rust file under `dir`.
fn sources(dir: &Path) -> Vec<PathBuf> {
    let mut files = Vec::new();
    let mut pending = vec![dir.to_path_buf()];
    while let Some(dir) = pending.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                pending.push(path);
            } else if path.extension().is_some_and(|e| e == "rs") {
                files.push(path);
            }
        }
    }
    files
}

/// The files of the layer `layer` (a folder of `api/src`) that name `crate::<other>` in code
/// (comments do not count).
fn importers(layer: &str, other: &str) -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../api/src");
    let needle = format!("crate::{other}");
    sources(&root.join(layer))
        .into_iter()
        .filter(|path| {
            std::fs::read_to_string(path).unwrap().lines().any(|line| {
                let code = line.split("//").next().unwrap_or_default();
                code.split(|c: char| !(c.is_alphanumeric() || c == ':' || c == '_'))
                    .any(|word| word == needle || word.starts_with(&format!("{needle}::")))
            })
        })
        .map(|path| path.display().to_string())
        .collect()
}

#[test]
fn the_request_edge_knows_nothing_of_the_workbench() {
    assert_eq!(importers("http", "web"), Vec::<String>::new());
}

#[test]
fn layers_below_the_edge_know_nothing_of_http_or_pages() {
    for layer in ["graphql", "service", "db", "entity"] {
        for above in ["http", "web"] {
            assert_eq!(
                importers(layer, above),
                Vec::<String>::new(),
                "{layer} → {above}"
            );
        }
    }
    for layer in ["service", "db", "entity"] {
        assert_eq!(
            importers(layer, "graphql"),
            Vec::<String>::new(),
            "{layer} → graphql"
        );
    }
}
