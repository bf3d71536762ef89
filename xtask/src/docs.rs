//! Documentation composed from the operation metadata: the text each generated builder method
//! carries (who may call the operation, whether it is a read or a state change, on which site,
//! how it pages, and an example through the facade), and each group crate's README.
//!
//! The method text reaches progenitor as the operation's `description` in the merged spec, so
//! the generator itself needs no rewrite for it.

use heck::ToSnakeCase;
use serde_json::Value;

use crate::extensions::{Caller, Kind, OffsetUnit, PageLocation, Pagination, Site};
use crate::meta::{Location, Operation};

/// Appends the composed text to the `description` of every operation of a merged spec.
pub fn describe_operations(merged: &mut Value, group: &str, operations: &[Operation]) {
    for op in operations {
        let Some(target) = merged
            .pointer_mut(&op.pointer)
            .and_then(Value::as_object_mut)
        else {
            continue;
        };
        let written = target
            .get("description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string();
        let composed = operation_doc(group, op);
        let description = if written.is_empty() {
            composed
        } else {
            format!("{written}\n\n{composed}")
        };
        target.insert("description".into(), Value::String(description));
    }
}

/// Who may call an operation, as a sentence fragment.
fn caller_text(caller: Option<&str>) -> &'static str {
    match caller {
        Some("partner") => "the partner, with its own credentials",
        Some("distributor") => {
            "a distributor (a partner with resellers of its own), with its own credentials"
        }
        Some("customer") => {
            "the customer, with its own credentials (a partner acts as its customer with \
             `Client::with_credentials`)"
        }
        _ => "the partner or the customer, each with its own credentials",
    }
}

/// Whether an operation is a read or a state change, and what that means for retries.
fn kind_text(kind: Option<&str>) -> &'static str {
    if kind == Some("read") {
        "read: it changes nothing, so it is retried on throttling, server errors and transport \
         failures"
    } else {
        "state change: once the request may have reached the server it is never sent again; \
         when the answer is lost, the error says the outcome is unknown and the state must be \
         read back before trying again"
    }
}

/// On which site an operation exists.
fn site_text(site: Option<&str>) -> &'static str {
    if site == Some("intl") {
        "international site only; on the China site the client refuses it before sending anything"
    } else {
        "China and international"
    }
}

/// How an operation pages.
fn paging_text(pagination: Option<&Pagination>) -> String {
    let Some(p) = pagination else {
        return "does not page: one call returns the whole answer".to_string();
    };
    let location = match p.location {
        PageLocation::Body => "JSON body",
        PageLocation::Query => "query",
    };
    let limit = p.limit_max;
    let unit = if p.offset == OffsetUnit::Pages {
        " (`offset` is a 1-based page number)"
    } else {
        ""
    };
    format!(
        "`offset`/`limit` in the {location}{unit}, at most {limit} records a page; `.pages(options)` \
         and `.items(options)` stream every page"
    )
}

/// The Rust name typify gives a field or parameter (`type` becomes `type_`).
fn setter(wire: &str) -> String {
    let name = wire.to_snake_case();
    match name.as_str() {
        "type" | "ref" | "match" | "move" | "mod" | "use" | "fn" | "impl" | "self" | "super"
        | "crate" | "where" | "loop" | "async" | "await" | "dyn" | "box" => format!("{name}_"),
        _ => name,
    }
}

/// The example call of an operation through the facade: its required inputs as variables named
/// after them, then `.items()` for a list operation, `.send()` otherwise.
fn example(group: &str, op: &Operation) -> String {
    let method = op.id.to_snake_case();
    let mut call = format!("let request = client\n    .{group}()\n    .{method}()");
    let required = |location: Location| {
        op.params
            .iter()
            .filter(move |p| p.location == location && p.required)
            .filter(|p| op.pagination.is_none() || !matches!(p.name.as_str(), "offset" | "limit"))
            .map(|p| setter(&p.name))
    };
    for name in [Location::Path, Location::Query, Location::Header]
        .into_iter()
        .flat_map(required)
    {
        call.push_str(&format!("\n    .{name}({name})"));
    }
    let body: Vec<String> = required(Location::Body).collect();
    if !body.is_empty() {
        let setters: String = body.iter().map(|name| format!(".{name}({name})")).collect();
        call.push_str(&format!("\n    .body_map(|body| body{setters})"));
    }
    call.push(';');
    let tail = if op.pagination.is_some() {
        "let mut items = request.items(PageOptions::default());\n\
         while let Some(item) = items.try_next().await? {\n    println!(\"{item:?}\");\n}"
            .to_string()
    } else if op.partial_failure.is_some() {
        format!(
            "let answer = request.send().await?.into_inner();\n\
             // HTTP 200 even when some items failed: they are in `{}`.",
            op.partial_failure.as_deref().unwrap_or_default()
        )
    } else {
        "let answer = request.send().await?.into_inner();".to_string()
    };
    let uses = if op.pagination.is_some() {
        "use futures::TryStreamExt;\nuse huaweicloud_bss::PageOptions;\n\n"
    } else {
        ""
    };
    format!("```ignore\n{uses}{call}\n{tail}\n```")
}

/// The text appended to an operation's description.
fn operation_doc(group: &str, op: &Operation) -> String {
    let mut doc = format!(
        "- **Caller:** {}.\n- **Kind:** {}.\n- **Site:** {}.\n- **Paging:** {}.\n",
        caller_text(op.caller.map(Caller::as_str)),
        kind_text(op.kind.map(Kind::as_str)),
        site_text(op.site.map(Site::as_str)),
        paging_text(op.pagination.as_ref()),
    );
    if let Some(field) = &op.partial_failure {
        doc.push_str(&format!(
            "- **Partial failure:** the answer is HTTP 200 even when some items failed; they are \
             listed in `{field}`.\n"
        ));
    }
    doc.push_str(&format!(
        "\nThrough the `huaweicloud-bss` facade (`client` is a `huaweicloud_bss::Client`; the \
         required inputs are variables named after them; the `examples/` directory of the \
         repository has programs that run):\n\n{}",
        example(group, op)
    ));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn operation(spec: &Value) -> Operation {
        crate::meta::operations(spec).unwrap().remove(0)
    }

    fn spec(op: Value) -> Value {
        json!({"openapi": "3.0.3", "paths": {"/v2/things/query": {"post": op}}})
    }

    #[test]
    fn a_paged_read_says_its_caller_kind_site_paging_and_shows_items() {
        let mut merged = spec(json!({
            "operationId": "ListThings",
            "summary": "List things",
            "description": "Lists the things.",
            "x-caller": "partner",
            "x-operation-kind": "read",
            "x-pagination": {"in": "body", "limit-max": 100, "items": "things", "total": "count"},
            "requestBody": {"required": true, "content": {"application/json": {"schema": {
                "type": "object", "required": ["kind"],
                "properties": {"kind": {"type": "string"}, "offset": {"type": "integer"}}
            }}}},
            "responses": {}
        }));
        let op = operation(&merged);
        describe_operations(&mut merged, "things", &[op]);
        let text = merged
            .pointer("/paths/~1v2~1things~1query/post/description")
            .and_then(Value::as_str)
            .unwrap();
        assert!(text.starts_with("Lists the things.\n\n- **Caller:** the partner"));
        assert!(text.contains("- **Kind:** read: it changes nothing"));
        assert!(text.contains("- **Site:** China and international."));
        assert!(text.contains("in the JSON body, at most 100 records a page"));
        assert!(
            text.contains(".things()\n    .list_things()\n    .body_map(|body| body.kind(kind));")
        );
        assert!(text.contains("request.items(PageOptions::default())"));
    }

    #[test]
    fn an_intl_state_change_with_partial_failures_says_so() {
        let mut merged = spec(json!({
            "operationId": "FreezeThings",
            "x-caller": "customer",
            "x-operation-kind": "state-change",
            "x-site": "intl",
            "x-partial-failure": "error_details",
            "parameters": [{"name": "type", "in": "query", "required": true, "schema": {"type": "string"}}],
            "responses": {}
        }));
        let op = operation(&merged);
        describe_operations(&mut merged, "things", &[op]);
        let text = merged
            .pointer("/paths/~1v2~1things~1query/post/description")
            .and_then(Value::as_str)
            .unwrap();
        assert!(text.starts_with("- **Caller:** the customer"));
        assert!(text.contains("outcome is unknown"));
        assert!(text.contains("international site only"));
        assert!(text.contains("does not page"));
        assert!(text.contains("listed in `error_details`"));
        assert!(text.contains(".type_(type_)"));
        assert!(text.contains("request.send().await?.into_inner()"));
    }
}
