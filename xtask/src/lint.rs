//! Rules a spec must follow for progenitor to generate working code and for the facade to page,
//! retry and validate from the spec alone. Each problem names the file, the operation and the rule.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use heck::ToSnakeCase;
use serde_json::Value;

use crate::extensions::{Kind, PageLocation};
use crate::meta::{Location, Operation, resolve};
use crate::spec::{Group, is_error_status};

/// The shared error response every error status must point at.
const SHARED_ERROR: &str = "#/components/responses/Error";

/// One rule broken in one place.
pub struct Problem {
    pub file: String,
    pub operation: String,
    pub rule: &'static str,
    pub detail: String,
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}: {}",
            self.file, self.operation, self.rule, self.detail
        )
    }
}

struct Sink<'a> {
    file: &'a str,
    problems: Vec<Problem>,
}

impl Sink<'_> {
    fn add(&mut self, operation: &str, rule: &'static str, detail: impl Into<String>) {
        self.problems.push(Problem {
            file: self.file.to_string(),
            operation: if operation.is_empty() {
                "-".into()
            } else {
                operation.into()
            },
            rule,
            detail: detail.into(),
        });
    }
}

/// Lints every group; an empty result means the specs are fit for generation.
pub fn lint(groups: &[Group]) -> Vec<Problem> {
    let mut problems = Vec::new();
    let mut ids: BTreeMap<String, String> = BTreeMap::new();
    let reads: BTreeSet<&str> = groups
        .iter()
        .flat_map(|g| &g.operations)
        .filter(|op| op.kind.map(Kind::as_str) == Some("read"))
        .map(|op| op.id.as_str())
        .collect();
    for group in groups {
        let mut sink = Sink {
            file: &group.file,
            problems: Vec::new(),
        };
        lint_document(group, &mut sink);
        for op in &group.operations {
            let snake = op.id.to_snake_case();
            if let Some(other) = ids.insert(snake.clone(), group.file.clone()) {
                sink.add(
                    &op.id,
                    "unique-operation-id",
                    format!("`{snake}` is also an operation of {other}"),
                );
            }
            lint_operation(&group.merged, op, &mut sink);
            lint_outcome_check(op, &reads, &mut sink);
        }
        problems.extend(sink.problems);
    }
    problems
}

fn lint_document(group: &Group, sink: &mut Sink<'_>) {
    let version = group
        .source
        .get("openapi")
        .and_then(Value::as_str)
        .unwrap_or("");
    if !version.starts_with("3.0.") {
        sink.add(
            "",
            "openapi-3.0",
            format!("`openapi: {version}` must be 3.0.x"),
        );
    }
    if let Err(err) = serde_json::from_value::<openapiv3::OpenAPI>(group.merged.clone()) {
        sink.add("", "openapi-structure", err.to_string());
    }
    lint_exact_and_tolerant(&group.merged, sink);
    walk_identifiers(&group.merged, "", sink);
    walk_numbers(&group.merged, "", sink);
}

/// The shared schemas that may (and must) carry `type: number`.
const DECIMAL_SCHEMAS: [&str; 3] = [
    "/components/schemas/Amount",
    "/components/schemas/PositiveAmount",
    "/components/schemas/PositiveAmountText",
];

/// Money is exact: every decimal refers to the shared `Amount` (responses) or `PositiveAmount`
/// (request amounts), which decode into decimals; a bare `type: number` would become `f64`.
fn walk_numbers(value: &Value, at: &str, sink: &mut Sink<'_>) {
    match value {
        Value::Object(map) => {
            if DECIMAL_SCHEMAS.contains(&at) {
                return;
            }
            if map.get("type").and_then(Value::as_str) == Some("number") {
                sink.add(
                    "",
                    "money-exact",
                    format!("{at}: `type: number` would decode into f64; use `$ref: '#/components/schemas/Amount'` (or PositiveAmount for request amounts)"),
                );
            }
            for (key, child) in map {
                if key != "example" && key != "examples" {
                    walk_numbers(child, &format!("{at}/{key}"), sink);
                }
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_numbers(child, &format!("{at}/{i}"), sink);
            }
        }
        _ => {}
    }
}

/// Property names, parameter names and enum values must be ASCII; a `deepObject` style is not
/// supported by progenitor.
fn walk_identifiers(value: &Value, at: &str, sink: &mut Sink<'_>) {
    match value {
        Value::Object(map) => {
            if let Some(props) = map.get("properties").and_then(Value::as_object) {
                let mut seen = BTreeMap::new();
                for name in props.keys() {
                    if !name.is_ascii() {
                        sink.add("", "ascii-identifiers", format!("{at}: property `{name}`"));
                    }
                    if let Some(other) = seen.insert(name.to_snake_case(), name) {
                        sink.add(
                            "",
                            "distinct-field-names",
                            format!("{at}: `{name}` and `{other}` collide as Rust fields"),
                        );
                    }
                }
            }
            if let Some(values) = map.get("enum").and_then(Value::as_array) {
                for v in values.iter().filter_map(Value::as_str) {
                    if !v.is_ascii() {
                        sink.add("", "ascii-identifiers", format!("{at}: enum value `{v}`"));
                    }
                }
            }
            if map.get("in").is_some() {
                let name = map.get("name").and_then(Value::as_str).unwrap_or("");
                if !name.is_ascii() {
                    sink.add("", "ascii-identifiers", format!("{at}: parameter `{name}`"));
                }
                if map.get("style").and_then(Value::as_str) == Some("deepObject") {
                    sink.add("", "no-deep-object", format!("{at}: parameter `{name}`"));
                }
            }
            for (key, child) in map {
                if key == "example" || key == "examples" {
                    continue;
                }
                walk_identifiers(child, &format!("{at}/{key}"), sink);
            }
        }
        Value::Array(items) => {
            for (i, child) in items.iter().enumerate() {
                walk_identifiers(child, &format!("{at}/{i}"), sink);
            }
        }
        _ => {}
    }
}

fn lint_operation(spec: &Value, op: &Operation, sink: &mut Sink<'_>) {
    let name = if op.id.is_empty() {
        format!("{} {}", op.method, op.path)
    } else {
        op.id.clone()
    };
    if op.id.is_empty() {
        sink.add(
            &name,
            "operation-id",
            "every operation needs an operationId",
        );
    } else if !op.id.is_ascii()
        || !op.id.starts_with(|c: char| c.is_ascii_uppercase())
        || !op.id.chars().all(|c| c.is_ascii_alphanumeric())
    {
        sink.add(
            &name,
            "operation-id",
            "the operationId must be the official SDK name: ASCII PascalCase",
        );
    }
    // The values themselves are checked when the extensions are parsed (`extensions.rs`).
    if op.caller.is_none() {
        sink.add(&name, "x-caller", "every operation must declare `x-caller`");
    }
    if op.kind.is_none() {
        sink.add(
            &name,
            "x-operation-kind",
            "every operation must declare `x-operation-kind` (read or state-change)",
        );
    }
    let operation = spec.pointer(&op.pointer).unwrap_or(&Value::Null);
    let success = lint_responses(spec, operation, &name, sink);
    lint_pagination(spec, op, success, &name, sink);
    if let Some(field) = &op.partial_failure {
        let is_array = success
            .and_then(|s| s.pointer(&format!("/properties/{field}")))
            .and_then(|p| resolve(spec, p).ok())
            .is_some_and(|p| p.get("type").and_then(Value::as_str) == Some("array"));
        if !is_array {
            sink.add(
                &name,
                "x-partial-failure",
                format!("`{field}` is not an array field of the success response"),
            );
        }
    }
}

/// Checks the responses and returns the success schema, if any.
fn lint_responses<'a>(
    spec: &'a Value,
    operation: &'a Value,
    name: &str,
    sink: &mut Sink<'_>,
) -> Option<&'a Value> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        sink.add(name, "responses", "no responses declared");
        return None;
    };
    let mut success_schemas = BTreeSet::new();
    let mut success_schema = None;
    let mut any_success = false;
    for (status, response) in responses {
        if status == "default" {
            sink.add(
                name,
                "no-default-response",
                "progenitor cannot combine `default` with typed errors; declare statuses",
            );
            continue;
        }
        if is_error_status(status) {
            if response.get("$ref").and_then(Value::as_str) != Some(SHARED_ERROR) {
                sink.add(
                    name,
                    "shared-error",
                    format!("response {status} must be `$ref: '{SHARED_ERROR}'`"),
                );
            }
            continue;
        }
        if !status.starts_with('2') {
            sink.add(name, "responses", format!("unexpected status {status}"));
            continue;
        }
        any_success = true;
        let Ok(response) = resolve(spec, response) else {
            sink.add(
                name,
                "responses",
                format!("response {status} does not resolve"),
            );
            continue;
        };
        let Some(content) = response.get("content").and_then(Value::as_object) else {
            continue;
        };
        for (media, body) in content {
            if !media.starts_with("application/json") {
                sink.add(name, "json-only", format!("response {status} is {media}"));
            }
            let key = body.get("schema").map(Value::to_string).unwrap_or_default();
            success_schemas.insert(key);
            success_schema = body.get("schema").and_then(|s| resolve(spec, s).ok());
            if body.get("example").is_none() && body.get("examples").is_none() {
                sink.add(
                    name,
                    "success-example",
                    format!("response {status} needs an `example`"),
                );
            }
        }
    }
    if !any_success {
        sink.add(name, "responses", "no 2xx response declared");
    }
    if success_schemas.len() > 1 {
        sink.add(
            name,
            "one-success-schema",
            "all 2xx responses must share one schema (progenitor panics otherwise)",
        );
    }
    if let Some(schema) = success_schema {
        let mut visited = BTreeSet::new();
        lint_open_schema(spec, schema, name, &mut visited, sink);
    }
    success_schema
}

/// Response schemas stay open: a closed `enum` would fail to decode a value the server adds.
fn lint_open_schema(
    spec: &Value,
    schema: &Value,
    name: &str,
    visited: &mut BTreeSet<String>,
    sink: &mut Sink<'_>,
) {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        if visited.insert(reference.to_string())
            && let Ok(target) = resolve(spec, schema)
        {
            lint_open_schema(spec, target, name, visited, sink);
        }
        return;
    }
    if schema.get("enum").is_some() {
        sink.add(
            name,
            "open-response-values",
            "a response schema declares a closed `enum`; describe the values instead",
        );
    }
    for key in ["items", "additionalProperties"] {
        if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
            lint_open_schema(spec, child, name, visited, sink);
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        for child in schema
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
        {
            lint_open_schema(spec, child, name, visited, sink);
        }
    }
    for child in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|m| m.values())
    {
        lint_open_schema(spec, child, name, visited, sink);
    }
}

fn lint_pagination(
    spec: &Value,
    op: &Operation,
    success: Option<&Value>,
    name: &str,
    sink: &mut Sink<'_>,
) {
    let find = |param: &str| op.params.iter().find(|p| p.name == param);
    let (offset, limit) = (find("offset"), find("limit"));
    let Some(pagination) = &op.pagination else {
        // A `limit` alone is a marker-paged operation's page size (ListResourceSpecs).
        if offset.is_some() {
            sink.add(
                name,
                "x-pagination",
                "a list operation (it takes offset/limit) must declare `x-pagination`",
            );
        }
        return;
    };
    let (Some(offset), Some(limit)) = (offset, limit) else {
        sink.add(
            name,
            "x-pagination",
            "a paginated operation needs `offset` and `limit`",
        );
        return;
    };
    let location = match pagination.location {
        PageLocation::Query => Location::Query,
        PageLocation::Body => Location::Body,
    };
    if offset.location != location || limit.location != location {
        sink.add(
            name,
            "x-pagination",
            format!(
                "`in: {location:?}` but offset/limit travel in {:?}",
                offset.location
            ),
        );
    }
    match pagination.limit_max {
        0 => sink.add(
            name,
            "x-pagination",
            "`limit-max` must be a positive integer",
        ),
        max if limit.maximum == Some(f64::from(max)) => {}
        max => sink.add(
            name,
            "x-pagination",
            format!(
                "`limit-max: {max}` differs from the limit schema's maximum {:?}",
                limit.maximum
            ),
        ),
    }
    let Some(success) = success else {
        sink.add(
            name,
            "x-pagination",
            "a paginated operation needs a success schema",
        );
        return;
    };
    let property = |field: &str| {
        success
            .pointer(&format!("/properties/{field}"))
            .and_then(|p| resolve(spec, p).ok())
    };
    let items = &pagination.items;
    match property(items) {
        Some(p) if p.get("type").and_then(Value::as_str) == Some("array") => {}
        _ => sink.add(
            name,
            "x-pagination",
            format!("`items: {items}` is not an array field of the response"),
        ),
    }
    if let Some(total) = &pagination.total {
        match property(total) {
            Some(p) if p.get("type").and_then(Value::as_str) == Some("integer") => {}
            _ => sink.add(
                name,
                "x-pagination",
                format!("`total: {total}` is not an integer field of the response"),
            ),
        }
    }
}

/// Every state change names the read operation that shows whether it was applied (or `none`),
/// for the message of an outcome-unknown error; a read names none.
fn lint_outcome_check(op: &Operation, reads: &BTreeSet<&str>, sink: &mut Sink<'_>) {
    match (op.kind.map(Kind::as_str), op.outcome_check.as_deref()) {
        (Some("state-change"), None) => sink.add(
            &op.id,
            "x-outcome-check",
            "a state change must name the read operation that shows whether it was applied \
             (`x-outcome-check: ListX`), or `none`",
        ),
        (Some("state-change"), Some(check)) if check != "none" && !reads.contains(check) => sink
            .add(
                &op.id,
                "x-outcome-check",
                format!("`{check}` is not a read operation of any spec"),
            ),
        (Some("read"), Some(_)) => sink.add(
            &op.id,
            "x-outcome-check",
            "only a state change has an outcome to check",
        ),
        _ => {}
    }
}

/// Requests are exact and responses tolerant, which the generator can only do when no schema
/// travels both ways and no response schema requires a field (a missing field then decodes as
/// absent instead of failing the whole response).
fn lint_exact_and_tolerant(spec: &Value, sink: &mut Sink<'_>) {
    let requests = crate::shapes::request_schemas(spec);
    for name in crate::shapes::response_schemas(spec) {
        let Some(schema) = spec.pointer(&format!("/components/schemas/{name}")) else {
            continue;
        };
        if !crate::shapes::is_struct(schema) {
            continue;
        }
        if requests.contains(&name) {
            sink.add(
                "",
                "separate-request-response",
                format!("schema `{name}` is used by a request body and a response: give each side its own"),
            );
        }
        if schema.get("required").is_some() {
            sink.add(
                "",
                "tolerant-response",
                format!("response schema `{name}` must not list `required` fields: a response that leaves one out must still decode"),
            );
        }
    }
}
