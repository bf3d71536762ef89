//! `cargo xtask diff` on fixture spec pairs: the old side is `tests/diff/base.yaml` committed in
//! a scratch git repository, the new side is the same spec edited in its working tree. Each test
//! checks the report line and the exit code for one kind of change.

use std::path::Path;
use std::process::{Command, Output};

const XTASK: &str = env!("CARGO_BIN_EXE_xtask");
const BASE: &str = include_str!("diff/base.yaml");

fn workspace() -> &'static Path {
    Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap()
}

fn git(dir: &Path, args: &[&str]) {
    let out = Command::new("git")
        .args([
            "-c",
            "user.name=diff test",
            "-c",
            "user.email=diff@test.invalid",
        ])
        .args([
            "-c",
            "commit.gpgsign=false",
            "-c",
            "init.defaultBranch=main",
        ])
        .arg("-C")
        .arg(dir)
        .args(args)
        .output()
        .expect("git runs");
    assert!(
        out.status.success(),
        "git {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// A scratch repository whose HEAD holds `old` and whose working tree holds `new`.
fn repository(old: &str, new: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    let specs = dir.path().join("openapi");
    std::fs::create_dir_all(&specs).unwrap();
    std::fs::copy(
        workspace().join("openapi/shared.yaml"),
        specs.join("shared.yaml"),
    )
    .unwrap();
    std::fs::write(specs.join("demo.yaml"), old).unwrap();
    git(dir.path(), &["init", "-q"]);
    git(dir.path(), &["add", "-A"]);
    git(dir.path(), &["commit", "-q", "-m", "old"]);
    std::fs::write(specs.join("demo.yaml"), new).unwrap();
    dir
}

fn diff(root: &Path, args: &[&str]) -> Output {
    Command::new(XTASK)
        .arg("diff")
        .args(args)
        .arg("--root")
        .arg(root)
        .output()
        .expect("xtask runs")
}

/// The base spec with each `(from, to)` replaced once (each `from` must occur).
fn edited(edits: &[(&str, &str)]) -> String {
    let mut spec = BASE.to_string();
    for (from, to) in edits {
        assert!(spec.contains(from), "the base spec has no `{from}`");
        spec = spec.replacen(from, to, 1);
    }
    spec
}

/// Runs the diff for one edit and returns its exit code and report.
fn report(edits: &[(&str, &str)]) -> (i32, String) {
    let repo = repository(BASE, &edited(edits));
    let out = diff(repo.path(), &[]);
    (
        out.status.code().unwrap(),
        String::from_utf8_lossy(&out.stdout).into_owned(),
    )
}

/// Asserts the report has exactly one change, `line`, and the exit code.
#[track_caller]
fn expect_one(edits: &[(&str, &str)], line: &str, code: i32) {
    let (status, report) = report(edits);
    assert!(report.contains(line), "expected `{line}` in:\n{report}");
    assert!(
        report.contains(": 1 change,"),
        "expected one change in:\n{report}"
    );
    assert_eq!(status, code, "{report}");
}

const BOTH_ADDITIVE: &str = "[Rust: additive, wire: additive]";
const BOTH_BREAKING: &str = "[Rust: breaking, wire: breaking]";

#[test]
fn no_change_reports_nothing_and_passes() {
    let (status, report) = report(&[]);
    assert_eq!(status, 0);
    assert!(report.contains("no changes"), "{report}");
}

#[test]
fn removed_operation_is_breaking_and_fails() {
    let (status, report) = report(&[(
        "    post:\n      operationId: PaintWidget",
        "    x-retired:\n      operationId: PaintWidget",
    )]);
    assert!(
        report.contains(&format!(
            "PaintWidget\n    operation: removed (`POST /v2/demo/widgets/paint`)  {BOTH_BREAKING}"
        )),
        "{report}"
    );
    assert_eq!(status, 1, "{report}");
}

#[test]
fn allow_breaking_passes_and_markdown_marks_the_breaking_cells() {
    let repo = repository(
        BASE,
        &BASE.replace("operationId: PaintWidget", "operationId: Paint"),
    );
    let out = diff(repo.path(), &["--allow-breaking", "--format", "markdown"]);
    let report = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{report}");
    assert!(
        report.starts_with("### Spec changes: openapi/ at HEAD → working tree\n"),
        "{report}"
    );
    assert!(
        report.contains("2 changes, 1 breaking (1 for the Rust API, 1 on the wire)"),
        "{report}"
    );
    assert!(
        report.contains("| operation | what | change | Rust API | wire |"),
        "{report}"
    );
    assert!(
        report.contains("| PaintWidget | operation | removed (`POST /v2/demo/widgets/paint`) | **breaking** | **breaking** |"),
        "{report}"
    );
    assert!(
        report.contains(
            "| Paint | operation | added (`POST /v2/demo/widgets/paint`) | additive | additive |"
        ),
        "{report}"
    );
}

#[test]
fn added_operation_is_additive() {
    expect_one(
        &[(
            "components:\n",
            "  /v2/demo/widgets/count:\n    get:\n      operationId: CountWidgets\n      summary: Count.\n      responses:\n        '200':\n          description: Count.\n          content:\n            application/json:\n              schema: {type: object}\n              example: {}\ncomponents:\n",
        )],
        &format!("operation: added (`GET /v2/demo/widgets/count`)  {BOTH_ADDITIVE}"),
        0,
    );
}

#[test]
fn new_optional_response_field_is_additive() {
    expect_one(
        &[(
            "        total_count: {type: integer, format: int32}\n",
            "        total_count: {type: integer, format: int32}\n        marker: {type: string}\n",
        )],
        &format!("response field `marker`: added (optional)  {BOTH_ADDITIVE}"),
        0,
    );
}

#[test]
fn removed_response_field_breaks_rust_only_when_it_was_optional() {
    let (status, report) = report(&[(
        "        name: {type: string}\n        size: {type: integer, format: int32}\n        parts:",
        "        size: {type: integer, format: int32}\n        parts:",
    )]);
    // Widget is the response of all three operations.
    assert!(
        report
            .contains("response field `widgets[].name`: removed  [Rust: breaking, wire: additive]"),
        "{report}"
    );
    assert!(
        report.contains("response field `name`: removed  [Rust: breaking, wire: additive]"),
        "{report}"
    );
    assert_eq!(status, 1);
}

#[test]
fn response_field_that_becomes_required_breaks_rust_not_the_wire() {
    let (status, report) = report(&[(
        "      required: [id]\n      properties:\n        id: {type: string}\n        name:",
        "      required: [id, name]\n      properties:\n        id: {type: string}\n        name:",
    )]);
    assert!(
        report.contains(
            "response field `name`: optional → required  [Rust: breaking, wire: additive]"
        ),
        "{report}"
    );
    assert_eq!(status, 1);
}

#[test]
fn response_field_that_becomes_optional_breaks_both() {
    let (_, report) = report(&[(
        "      required: [id]\n      properties:\n        id: {type: string}\n        name:",
        "      properties:\n        id: {type: string}\n        name:",
    )]);
    assert!(
        report.contains(&format!(
            "response field `widgets[].id`: required → optional  {BOTH_BREAKING}"
        )),
        "{report}"
    );
}

#[test]
fn request_field_that_becomes_required_breaks_both() {
    expect_one(
        &[(
            "      required: [name]\n      properties:\n        name: {type: string, maxLength: 32}",
            "      required: [name, size]\n      properties:\n        name: {type: string, maxLength: 32}",
        )],
        &format!("request field `size`: optional → required  {BOTH_BREAKING}"),
        1,
    );
}

#[test]
fn added_optional_request_field_is_additive_and_a_required_one_breaking() {
    expect_one(
        &[(
            "        tags:\n          type: array",
            "        note: {type: string}\n        tags:\n          type: array",
        )],
        &format!("request field `note`: added (optional)  {BOTH_ADDITIVE}"),
        0,
    );
    expect_one(
        &[(
            "              required: [id]\n              properties:\n                id: {type: string}",
            "              required: [id, colour]\n              properties:\n                id: {type: string}\n                colour: {type: string}",
        )],
        &format!("request field `colour`: added (required)  {BOTH_BREAKING}"),
        1,
    );
}

#[test]
fn removed_request_field_breaks_both() {
    expect_one(
        &[("        kind: {type: string, enum: [small, large]}\n", "")],
        &format!("request field `kind`: removed  {BOTH_BREAKING}"),
        1,
    );
}

#[test]
fn type_change_breaks_both() {
    expect_one(
        &[(
            "        size: {type: integer, format: int32, minimum: 0, maximum: 10}",
            "        size: {type: string}",
        )],
        &format!("request field `size`: type `integer/int32` → `string`  {BOTH_BREAKING}"),
        1,
    );
    expect_one(
        &[(
            "          items: {type: string}",
            "          items: {type: integer, format: int64}",
        )],
        &format!("request field `tags[]`: type `string` → `integer/int64`  {BOTH_BREAKING}"),
        1,
    );
}

#[test]
fn renamed_schema_breaks_rust_only() {
    let (status, report) = report(&[
        ("    CreateWidgetRequest:\n", "    NewWidgetRequest:\n"),
        (
            "$ref: '#/components/schemas/CreateWidgetRequest'",
            "$ref: '#/components/schemas/NewWidgetRequest'",
        ),
    ]);
    assert!(report.contains("request body: type `CreateWidgetRequest` → `NewWidgetRequest`  [Rust: breaking, wire: —]"), "{report}");
    assert!(report.contains(": 1 change,"), "{report}");
    assert_eq!(status, 1);
}

#[test]
fn request_enum_value_removed_breaks_and_added_is_additive() {
    expect_one(
        &[("enum: [red, green]", "enum: [red]")],
        &format!("query parameter `colour`: enum value `green` removed  {BOTH_BREAKING}"),
        1,
    );
    expect_one(
        &[("enum: [small, large]", "enum: [small, large, huge]")],
        &format!("request field `kind`: enum value `huge` added  {BOTH_ADDITIVE}"),
        0,
    );
}

#[test]
fn response_enum_values_follow_the_response_rules() {
    let old = BASE.replace(
        "        name: {type: string}\n        size:",
        "        name: {type: string, enum: [a, b]}\n        size:",
    );
    let removed = old.replace("enum: [a, b]", "enum: [a]");
    let repo = repository(&old, &removed);
    let report = String::from_utf8_lossy(&diff(repo.path(), &[]).stdout).into_owned();
    assert!(
        report.contains(
            "response field `name`: enum value `b` removed  [Rust: breaking, wire: additive]"
        ),
        "{report}"
    );
    let added = old.replace("enum: [a, b]", "enum: [a, b, c]");
    let repo = repository(&old, &added);
    let report = String::from_utf8_lossy(&diff(repo.path(), &[]).stdout).into_owned();
    assert!(
        report.contains(&format!(
            "response field `name`: enum value `c` added  {BOTH_BREAKING}"
        )),
        "{report}"
    );
}

#[test]
fn limits_tightened_on_a_request_break_the_wire_and_loosened_do_not() {
    expect_one(
        &[("minimum: 1, maximum: 100}", "minimum: 1, maximum: 50}")],
        "query parameter `limit`: maximum 100 → 50  [Rust: —, wire: breaking]",
        1,
    );
    expect_one(
        &[("maxLength: 32}", "maxLength: 64}")],
        "request field `name`: maxLength 32 → 64  [Rust: —, wire: additive]",
        0,
    );
    // The first length limit turns a String into a checked newtype.
    expect_one(
        &[(
            "                id: {type: string}",
            "                id: {type: string, minLength: 1}",
        )],
        "request field `id`: minLength (none) → 1  [Rust: breaking, wire: breaking]",
        1,
    );
    // minimum 0 → 1 turns an unsigned integer into a non-zero one.
    expect_one(
        &[(
            "schema: {type: integer, format: int32, minimum: 0}",
            "schema: {type: integer, format: int32, minimum: 1}",
        )],
        "query parameter `offset`: minimum 0 → 1  [Rust: breaking, wire: breaking]",
        1,
    );
}

#[test]
fn parameters_added_removed_and_made_optional() {
    expect_one(
        &[(
            "        - name: shop_id\n          in: query\n          required: true\n          schema: {type: string, maxLength: 64}\n",
            "",
        )],
        &format!("query parameter `shop_id`: removed  {BOTH_BREAKING}"),
        1,
    );
    expect_one(
        &[(
            "          in: query\n          required: true\n",
            "          in: query\n",
        )],
        &format!("query parameter `shop_id`: required → optional  {BOTH_ADDITIVE}"),
        0,
    );
    expect_one(
        &[(
            "        - name: colour\n",
            "        - name: X-Trace\n          in: header\n          schema: {type: string}\n        - name: colour\n",
        )],
        &format!("header parameter `X-Trace`: added (optional)  {BOTH_ADDITIVE}"),
        0,
    );
}

#[test]
fn pagination_changes() {
    expect_one(
        &[("limit-max: 100, items", "limit-max: 50, items")],
        "pagination: `limit-max` 100 → 50  [Rust: —, wire: breaking]",
        1,
    );
    expect_one(
        &[("total: total_count}", "total: count}")],
        "pagination: `total` total_count → count  [Rust: —, wire: breaking]",
        1,
    );
    expect_one(
        &[(
            "      x-pagination: {in: query, limit-max: 100, items: widgets, total: total_count}\n",
            "",
        )],
        "pagination: removed  [Rust: breaking, wire: —]",
        1,
    );
}

#[test]
fn kind_caller_site_and_route_changes() {
    expect_one(
        &[(
            "      x-caller: partner\n      x-operation-kind: read\n",
            "      x-caller: partner\n      x-operation-kind: state-change\n",
        )],
        "operation kind: read → state-change  [Rust: —, wire: additive]",
        0,
    );
    expect_one(
        &[(
            "      operationId: PaintWidget\n      summary: Paint a widget.\n      x-caller: partner\n      x-operation-kind: state-change",
            "      operationId: PaintWidget\n      summary: Paint a widget.\n      x-caller: partner\n      x-operation-kind: read",
        )],
        "operation kind: state-change → read  [Rust: —, wire: breaking]",
        1,
    );
    expect_one(
        &[(
            "      operationId: ListWidgets\n      summary: List widgets.\n      x-caller: partner",
            "      operationId: ListWidgets\n      summary: List widgets.\n      x-caller: partner-or-customer",
        )],
        "caller: partner → partner-or-customer  [Rust: —, wire: additive]",
        0,
    );
    expect_one(
        &[(
            "      operationId: ListWidgets\n      summary: List widgets.\n      x-caller: partner",
            "      operationId: ListWidgets\n      summary: List widgets.\n      x-caller: customer",
        )],
        "caller: partner → customer  [Rust: —, wire: breaking]",
        1,
    );
    expect_one(
        &[(
            "      x-operation-kind: read\n",
            "      x-operation-kind: read\n      x-site: intl\n",
        )],
        &format!("site: both sites → intl only  {BOTH_BREAKING}"),
        1,
    );
    expect_one(
        &[("  /v2/demo/widgets/paint:", "  /v2/demo/widgets/repaint:")],
        "route: `POST /v2/demo/widgets/paint` → `POST /v2/demo/widgets/repaint`  [Rust: —, wire: breaking]",
        1,
    );
}

#[test]
fn recursive_schemas_end() {
    let (status, report) = report(&[(
        "        part_id: {type: string}\n",
        "        part_id: {type: string}\n        label: {type: string}\n",
    )]);
    // Part holds Parts: the walk stops where it came in, once per operation answering a Widget.
    assert!(
        report.starts_with("openapi/ at HEAD → working tree: 3 changes, none breaking"),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "response field `widgets[].parts[].label`: added (optional)  {BOTH_ADDITIVE}"
        )),
        "{report}"
    );
    assert!(
        report.contains(&format!(
            "response field `parts[].label`: added (optional)  {BOTH_ADDITIVE}"
        )),
        "{report}"
    );
    assert_eq!(status, 0);
}

#[test]
fn unknown_revision_and_shallow_clone_say_why() {
    let repo = repository(BASE, BASE);
    let out = diff(repo.path(), &["no-such-rev"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`no-such-rev` is not a commit of the repository"),
        "{stderr}"
    );

    // A depth-1 clone has no parent commit.
    let clone = tempfile::tempdir().unwrap();
    let source = format!("file://{}", repo.path().display());
    git(clone.path(), &["clone", "-q", "--depth", "1", &source, "."]);
    let out = diff(clone.path(), &["HEAD~1"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("`HEAD~1` is not in this shallow clone"),
        "{stderr}"
    );
}
