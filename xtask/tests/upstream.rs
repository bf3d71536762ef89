//! `cargo xtask upstream` end to end, offline: the fixture spec against the fixture SDK dump
//! (`--dump`), in both report formats, with the exit code that CI or a person acts on.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");

fn fixture() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream")
}

fn upstream(root: &Path, extra: &[&str]) -> Output {
    Command::new(XTASK)
        .arg("upstream")
        .arg("--dump")
        .arg(fixture().join("dump.json"))
        .arg("--root")
        .arg(root)
        .args(extra)
        .output()
        .expect("xtask runs")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

#[test]
fn unexplained_drift_and_stale_exceptions_fail_with_a_text_report() {
    let out = upstream(&fixture(), &[]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    for line in [
        "Compared with sdk 9.9.1, sdkintl 9.9.1.",
        "  openapi/things.yaml: ListThings [sdk]: field-type `response.total`: ours string; SDK integer",
        "  (no spec): ArchiveThing [sdk]: missing-operation: ours -; SDK POST /v2/things/archive",
        "  openapi/things.yaml: CreateThing: extra-field `body.tags`: ours array of string; SDK -",
        "  openapi/things.yaml: CreateThing [sdk]: required `body.price`: ours required; SDK optional",
        "  entry 3: RemovedLongAgo missing-operation",
        "2 known differences are explained in openapi/upstream/exceptions.yaml.",
        "upstream: 3 operations compared (6 SDK operations), 35 fields, 8 parameters and 1 enum \
         value sets compared, 19 differences: 2 explained, 17 unexplained; 1 stale exceptions",
    ] {
        assert!(
            report.lines().any(|l| l == line),
            "missing line {line:?} in\n{report}"
        );
    }
}

#[test]
fn the_markdown_report_has_a_table_and_the_summary() {
    let out = upstream(&fixture(), &["--format", "markdown"]);
    assert_eq!(out.status.code(), Some(1));
    let report = stdout(&out);
    assert!(
        report.starts_with("### Upstream drift against sdk 9.9.1, sdkintl 9.9.1\n"),
        "{report}"
    );
    assert!(report.contains("| spec | operation | SDK package | kind | subject | ours | SDK |\n"));
    assert!(
        report
            .contains("| openapi/things.yaml | DeleteThing | sdk | method | – | DELETE | PUT |\n")
    );
    assert!(
        report.contains("| DeleteThing | – | extra-parameter | path domain_id | The SDK fills")
    );
    assert!(report.contains("- entry 3: RemovedLongAgo missing-operation\n"));
    assert!(report.trim_end().ends_with("1 stale exceptions"));
}

/// A dump that is not there: the check cannot run, which is not drift.
#[test]
fn a_missing_dump_exits_2_naming_the_file() {
    let out = Command::new(XTASK)
        .args(["upstream", "--dump", "/nonexistent/dump.json"])
        .output()
        .expect("xtask runs");
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("reading /nonexistent/dump.json"),
        "{stderr}"
    );
}

/// Every difference explained, none stale: exit 0 and no drift section.
#[test]
fn a_fully_explained_comparison_passes() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi/upstream")).unwrap();
    for file in ["shared.yaml", "things.yaml"] {
        std::fs::copy(
            fixture().join("openapi").join(file),
            dir.path().join("openapi").join(file),
        )
        .unwrap();
    }
    let mut exceptions = String::from("exceptions:\n");
    for (operation, kind, subject, package) in [
        ("ArchiveThing", "missing-operation", "", None),
        ("CreateThing", "extra-field", "body.tags", None),
        ("CreateThing", "parameter-location", "dry_run", None),
        ("CreateThing", "missing-field", "body.size", None),
        ("CreateThing", "path", "", Some("sdkintl")),
        ("DeleteThing", "extra-parameter", "path domain_id", None),
        ("DeleteThing", "method", "", None),
        ("DeleteThing", "body", "", None),
        ("DeleteThing", "missing-field", "body.reason", None),
        (
            "ListThings",
            "missing-field",
            "response.things[].owner",
            None,
        ),
        ("ListThings", "field-type", "response.total", None),
        ("ListThings", "field-type", "query limit", None),
        ("CreateThing", "required", "body.name", None),
        ("CreateThing", "required", "body.price", None),
        (
            "ListThings",
            "missing-enum-value",
            "response.things[].status",
            None,
        ),
        (
            "ListThings",
            "extra-enum-value",
            "response.things[].status",
            None,
        ),
        ("ShowOursOnly", "extra-operation", "", None),
    ] {
        exceptions.push_str(&format!(
            "  - operation: {operation}\n    kind: {kind}\n    subject: '{subject}'\n    reason: reviewed in this test\n"
        ));
        if let Some(package) = package {
            exceptions.push_str(&format!("    package: {package}\n"));
        }
    }
    std::fs::write(
        dir.path().join("openapi/upstream/exceptions.yaml"),
        exceptions,
    )
    .unwrap();
    let out = upstream(dir.path(), &[]);
    let report = stdout(&out);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{report}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(!report.contains("Unexplained drift"), "{report}");
    assert!(report.contains("19 differences: 19 explained, 0 unexplained; 0 stale exceptions"));
}

#[test]
fn a_broken_exceptions_file_is_an_error_naming_the_entry() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi/upstream")).unwrap();
    for file in ["shared.yaml", "things.yaml"] {
        std::fs::copy(
            fixture().join("openapi").join(file),
            dir.path().join("openapi").join(file),
        )
        .unwrap();
    }
    std::fs::write(
        dir.path().join("openapi/upstream/exceptions.yaml"),
        "exceptions:\n  - {operation: ListThings, kind: field-typo, reason: x}\n",
    )
    .unwrap();
    let out = upstream(dir.path(), &[]);
    assert_eq!(
        out.status.code(),
        Some(2),
        "a check that cannot run is not drift"
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("entry 1 (ListThings): unknown kind `field-typo`"),
        "{stderr}"
    );
}

/// The Python half, offline: `dump_sdk.py` run against stand-in packages shaped like the
/// official SDKs (`tests/fixtures/upstream/fake_sdk`) dumps what the comparison reads.
#[test]
fn the_dump_script_reads_operations_and_models_as_the_sdk_builds_them() {
    let python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("upstream/dump_sdk.py");
    let out = Command::new(&python)
        .arg(script)
        .env("PYTHONPATH", fixture().join("fake_sdk"))
        .env("PYTHONDONTWRITEBYTECODE", "1")
        .output()
        .unwrap_or_else(|e| panic!("{python} must be installed to test the dump script: {e}"));
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let dump: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let bss = &dump["packages"]["huaweicloudsdkbss"];
    assert_eq!(bss["version"], "9.9.1");
    assert_eq!(
        bss["operations"],
        serde_json::json!({"ListThings": {
            "method": "POST",
            "path": "/v2/things/{thing_id}",
            "path_params": ["thing_id"],
            "query_params": ["limit"],
            "header_params": ["X-Language"],
            "request": "ListThingsRequest",
            "body": "ListThingsReq",
            "response": "ListThingsResponse",
        }})
    );
    let field = |model: &str, index: usize| bss["models"][model]["fields"][index].clone();
    assert_eq!(
        field("ListThingsReq", 1),
        serde_json::json!({"attribute": "tags", "name": "tag_list", "type": "list[str]",
            "required": false, "doc": ""})
    );
    assert_eq!(field("ListThingsReq", 0)["required"], true);
    assert_eq!(field("ListThingsReq", 0)["doc"], "名称。");
    assert_eq!(
        field("ListThingsRequest", 0)["doc"],
        "语言。枚举：zh_cn：中文 en_us：英文"
    );
    assert_eq!(field("ListThingsRequest", 2)["required"], true);
    // Models referenced from other models are followed, a self-reference once.
    assert_eq!(field("Thing", 1)["type"], "list[Thing]");
    let intl = &dump["packages"]["huaweicloudsdkbssintl"];
    assert_eq!(
        intl["operations"]["ShowThing"]["body"],
        serde_json::Value::Null
    );
    assert_eq!(
        intl["models"]["Owner"],
        serde_json::json!({"missing": true, "fields": []})
    );
}
