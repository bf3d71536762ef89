//! `cargo xtask generate --check` covers the mocks crate: a spec change that changes an
//! operation's mock names the mock file as stale, and regenerating makes it fresh.

use std::path::Path;
use std::process::{Command, Output};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn run(root: &Path, args: &[&str]) -> Output {
    Command::new(XTASK)
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

/// A copy of what generation reads and writes: the specs, the crates, the README and the
/// workspace manifest (its version goes into the facade's dependencies).
fn copy_workspace() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let root = workspace();
    let mut stack = vec![
        root.join("openapi"),
        root.join("crates"),
        root.join("README.md"),
        root.join("Cargo.toml"),
    ];
    while let Some(path) = stack.pop() {
        let relative = path.strip_prefix(root).unwrap();
        if path.is_dir() {
            std::fs::create_dir_all(dir.path().join(relative)).unwrap();
            stack.extend(std::fs::read_dir(&path).unwrap().map(|e| e.unwrap().path()));
        } else {
            std::fs::copy(&path, dir.path().join(relative)).unwrap();
        }
    }
    dir
}

#[test]
fn a_changed_parameter_makes_the_mock_stale_until_regenerated() {
    let copy = copy_workspace();
    let spec = copy.path().join("openapi/geography.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = text.replace("name: province_code", "name: province_id");
    assert_ne!(text, changed);
    std::fs::write(&spec, changed).unwrap();

    let out = run(copy.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stale: crates/bss-mock/src/generated/geography.rs"),
        "{stderr}"
    );
    assert!(
        !stderr.contains("bss-mock/src/generated/catalog.rs"),
        "{stderr}"
    );

    assert!(run(copy.path(), &["generate"]).status.success());
    let mock = std::fs::read_to_string(
        copy.path()
            .join("crates/bss-mock/src/generated/geography.rs"),
    )
    .unwrap();
    assert!(
        mock.contains("pub fn province_id("),
        "the regenerated mock has the new matcher"
    );
    assert!(run(copy.path(), &["generate", "--check"]).status.success());
}
