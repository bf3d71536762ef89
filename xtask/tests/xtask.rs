//! `cargo xtask lint` rejects what it should, naming the file, the operation and the rule, and
//! `cargo xtask generate --check` fails, naming the stale files, when a spec changed but the code
//! was not regenerated.

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
fn check_passes_on_the_repository_and_names_stale_files() {
    let out = run(workspace(), &["generate", "--check"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let copy = copy_workspace();
    let spec = copy.path().join("openapi/geography.yaml");
    let text = std::fs::read_to_string(&spec).unwrap();
    let changed = text.replace("Province list.", "Province list (changed).");
    assert_ne!(text, changed);
    std::fs::write(&spec, changed).unwrap();
    let out = run(copy.path(), &["generate", "--check"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("stale: crates/bss-geography/src/generated.rs"),
        "{stderr}"
    );
    assert!(!stderr.contains("bss-catalog"), "{stderr}");

    // Regenerating makes the copy fresh again.
    assert!(run(copy.path(), &["generate"]).status.success());
    assert!(run(copy.path(), &["generate", "--check"]).status.success());
}

#[test]
fn lint_passes_on_the_repository() {
    let out = run(workspace(), &["lint"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains(": ok"));
}

/// A root holding the real shared file and one group spec, `openapi/<name>.yaml`.
fn root_with(name: &str, spec: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir_all(dir.path().join("openapi")).unwrap();
    std::fs::copy(
        workspace().join("openapi/shared.yaml"),
        dir.path().join("openapi/shared.yaml"),
    )
    .unwrap();
    std::fs::write(dir.path().join(format!("openapi/{name}.yaml")), spec).unwrap();
    dir
}

/// Lints a root holding `spec` as `openapi/bad.yaml`, which must fail; returns what it said.
fn lint_one(spec: &str) -> String {
    let dir = root_with("bad", spec);
    let out = run(dir.path(), &["lint"]);
    assert_eq!(out.status.code(), Some(1), "lint should fail on:\n{spec}");
    // generate refuses to run on a spec that fails lint.
    assert!(!run(dir.path(), &["generate"]).status.success());
    String::from_utf8_lossy(&out.stderr).into_owned()
}

const GOOD_OPERATION: &str = r#"
      operationId: ListThings
      summary: List things.
      x-caller: partner
      x-operation-kind: read
      responses:
        '200':
          description: ok
          content:
            application/json:
              schema: {$ref: '#/components/schemas/Things'}
              example: {things: []}
"#;

fn spec_with(operation: &str, schemas: &str) -> String {
    format!(
        "openapi: 3.0.3\ninfo: {{title: bad, version: v2}}\npaths:\n  /v2/things:\n    get:{operation}components:\n  schemas:\n    Things:\n      type: object\n      properties:\n        things: {{type: array, items: {{type: string}}}}\n        total: {{type: integer}}\n{schemas}"
    )
}

#[test]
fn lint_names_file_operation_and_rule() {
    // The well-formed baseline passes.
    let dir = root_with("good", &spec_with(GOOD_OPERATION, ""));
    let out = run(dir.path(), &["lint"]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );

    let cases: &[(&str, String, &str)] = &[
        (
            "no-default-response",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      responses:\n        default: {$ref: '#/components/responses/Error'}\n"), ""),
            "openapi/bad.yaml: ListThings: no-default-response",
        ),
        (
            "success-example",
            spec_with(&GOOD_OPERATION.replace("              example: {things: []}\n", ""), ""),
            "openapi/bad.yaml: ListThings: success-example",
        ),
        (
            "operation-id",
            spec_with(&GOOD_OPERATION.replace("ListThings", "list_things"), ""),
            "operation-id",
        ),
        (
            "ascii operation id",
            spec_with(&GOOD_OPERATION.replace("ListThings", "查询Things"), ""),
            "operation-id",
        ),
        (
            "shared-error",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      responses:\n        '400': {description: other, content: {application/json: {schema: {type: object}}}}\n"), ""),
            "openapi/bad.yaml: ListThings: shared-error",
        ),
        (
            "one-success-schema",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      responses:\n        '202': {description: other, content: {application/json: {schema: {type: object}, example: {}}}}\n"), ""),
            "openapi/bad.yaml: ListThings: one-success-schema",
        ),
        (
            "x-caller",
            spec_with(&GOOD_OPERATION.replace("x-caller: partner", "x-caller: anyone"), ""),
            "openapi/bad.yaml: ListThings: x-caller",
        ),
        (
            "x-operation-kind",
            spec_with(&GOOD_OPERATION.replace("      x-operation-kind: read\n", ""), ""),
            "openapi/bad.yaml: ListThings: x-operation-kind",
        ),
        (
            "x-pagination missing",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      parameters:\n        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n      responses:\n"), ""),
            "openapi/bad.yaml: ListThings: x-pagination: a list operation",
        ),
        (
            "x-pagination limit-max",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      x-pagination: {in: query, limit-max: 1000, items: things, total: total}\n      parameters:\n        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n      responses:\n"), ""),
            "x-pagination: `limit-max: 1000` differs",
        ),
        (
            "x-pagination location",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      x-pagination: {in: body, limit-max: 100, items: things, total: total}\n      parameters:\n        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n      responses:\n"), ""),
            "x-pagination: `in: Body` but offset/limit travel in Query",
        ),
        (
            "x-pagination items",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      x-pagination: {in: query, limit-max: 100, items: nothing, total: total}\n      parameters:\n        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n      responses:\n"), ""),
            "`items: nothing` is not an array field",
        ),
        (
            "x-pagination offset unit",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      x-pagination: {in: query, limit-max: 100, items: things, total: total, offset: pagez}\n      parameters:\n        - {name: offset, in: query, schema: {type: integer, minimum: 0}}\n        - {name: limit, in: query, schema: {type: integer, minimum: 1, maximum: 100}}\n      responses:\n"), ""),
            "openapi/bad.yaml: ListThings: x-pagination: unknown variant `pagez`, expected `records` or `pages`",
        ),
        (
            "open-response-values",
            spec_with(GOOD_OPERATION, "        status: {type: string, enum: [A, B]}\n"),
            "openapi/bad.yaml: ListThings: open-response-values",
        ),
        (
            "ascii-identifiers",
            spec_with(GOOD_OPERATION, "        状态: {type: string}\n"),
            "ascii-identifiers",
        ),
        (
            "distinct-field-names",
            spec_with(GOOD_OPERATION, "        userId: {type: string}\n        user_id: {type: string}\n"),
            "distinct-field-names",
        ),
        (
            "openapi-3.0",
            spec_with(GOOD_OPERATION, "").replace("openapi: 3.0.3", "openapi: 3.1.0"),
            "openapi-3.0",
        ),
        (
            "tolerant-response",
            spec_with(GOOD_OPERATION, "      required: [things]\n"),
            "tolerant-response: response schema `Things` must not list `required` fields",
        ),
        (
            "separate-request-response",
            spec_with(&GOOD_OPERATION.replace("      responses:\n", "      requestBody: {content: {application/json: {schema: {$ref: '#/components/schemas/Things'}}}}\n      responses:\n"), ""),
            "separate-request-response: schema `Things` is used by a request body and a response",
        ),
        (
            "x-outcome-check missing",
            spec_with(&GOOD_OPERATION.replace("x-operation-kind: read", "x-operation-kind: state-change"), ""),
            "ListThings: x-outcome-check: a state change must name the read operation",
        ),
        (
            "x-outcome-check not a read",
            spec_with(&GOOD_OPERATION.replace("x-operation-kind: read", "x-operation-kind: state-change\n      x-outcome-check: ListNothing"), ""),
            "ListThings: x-outcome-check: `ListNothing` is not a read operation of any spec",
        ),
    ];
    for (rule, spec, expected) in cases {
        let stderr = lint_one(spec);
        assert!(
            stderr.contains(expected),
            "{rule}: expected `{expected}` in:\n{stderr}"
        );
    }
}
