//! Comparing two loaded sets of group specs into a list of classified [`Change`]s, following the
//! rules in the [`super`] module docs.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use super::{Change, Impact};
use crate::extensions::{Caller, Kind, Pagination, Site};
use crate::meta::{self, Operation};
use crate::spec::Group;

use Impact::{Additive as A, Breaking as B, None as N};

/// Every change from `old` to `new`, in group, then operation order.
pub fn compare(old: &[Group], new: &[Group]) -> Vec<Change> {
    let mut out = Vec::new();
    let old_groups: BTreeMap<&str, &Group> = old.iter().map(|g| (g.name.as_str(), g)).collect();
    let new_groups: BTreeMap<&str, &Group> = new.iter().map(|g| (g.name.as_str(), g)).collect();
    let names: BTreeSet<&str> = old_groups
        .keys()
        .chain(new_groups.keys())
        .copied()
        .collect();
    for name in names {
        let mut sink = Sink {
            group: name,
            operation: None,
            out: &mut out,
        };
        match (old_groups.get(name), new_groups.get(name)) {
            (Some(old), Some(new)) => compare_group(&mut sink, old, new),
            (Some(old), None) => {
                sink.add("group", "removed (its spec file is gone)", B, B);
                for op in &old.operations {
                    sink.operation = Some(&op.id);
                    sink.add("operation", format!("removed ({})", route(op)), B, B);
                }
            }
            (None, Some(new)) => {
                sink.add("group", "added", A, A);
                for op in &new.operations {
                    sink.operation = Some(&op.id);
                    sink.add("operation", format!("added ({})", route(op)), A, A);
                }
            }
            (None, None) => {}
        }
    }
    out
}

/// Collects the changes of one group (and, once set, one operation).
struct Sink<'a> {
    group: &'a str,
    operation: Option<&'a str>,
    out: &'a mut Vec<Change>,
}

impl Sink<'_> {
    fn add(
        &mut self,
        subject: impl Into<String>,
        detail: impl Into<String>,
        rust: Impact,
        wire: Impact,
    ) {
        self.out.push(Change {
            group: self.group.to_string(),
            operation: self.operation.map(String::from),
            subject: subject.into(),
            detail: detail.into(),
            rust,
            wire,
        });
    }
}

fn route(op: &Operation) -> String {
    format!("`{} {}`", op.method, op.path)
}

fn compare_group<'a>(sink: &mut Sink<'a>, old: &'a Group, new: &'a Group) {
    let new_ops: BTreeMap<&str, &Operation> =
        new.operations.iter().map(|o| (o.id.as_str(), o)).collect();
    let old_ids: BTreeSet<&str> = old.operations.iter().map(|o| o.id.as_str()).collect();
    for op in &old.operations {
        sink.operation = Some(&op.id);
        match new_ops.get(op.id.as_str()) {
            Some(new_op) => compare_operation(sink, old, op, new, new_op),
            None => sink.add("operation", format!("removed ({})", route(op)), B, B),
        }
    }
    for op in new
        .operations
        .iter()
        .filter(|o| !old_ids.contains(o.id.as_str()))
    {
        sink.operation = Some(&op.id);
        sink.add("operation", format!("added ({})", route(op)), A, A);
    }
}

fn compare_operation(
    sink: &mut Sink,
    old_group: &Group,
    old: &Operation,
    new_group: &Group,
    new: &Operation,
) {
    if (&old.method, &old.path) != (&new.method, &new.path) {
        sink.add("route", format!("{} → {}", route(old), route(new)), N, B);
    }
    compare_kind(sink, old.kind.map(Kind::as_str), new.kind.map(Kind::as_str));
    compare_caller(
        sink,
        old.caller.map(Caller::as_str),
        new.caller.map(Caller::as_str),
    );
    compare_site(sink, old.site.map(Site::as_str), new.site.map(Site::as_str));
    compare_pagination(sink, old.pagination.as_ref(), new.pagination.as_ref());
    let specs = Specs {
        old: &old_group.merged,
        new: &new_group.merged,
    };
    let (Some(old_json), Some(new_json)) = (
        old_group.merged.pointer(&old.pointer),
        new_group.merged.pointer(&new.pointer),
    ) else {
        return;
    };
    compare_parameters(
        sink,
        &specs,
        &parameters(&old_group.merged, &old.pointer, old_json),
        &parameters(&new_group.merged, &new.pointer, new_json),
    );
    compare_body(sink, &specs, old_json, new_json);
    compare_response(sink, &specs, old_json, new_json);
}

fn compare_kind(sink: &mut Sink, old: Option<&str>, new: Option<&str>) {
    if old == new {
        return;
    }
    let detail = format!("{} → {}", old.unwrap_or("(none)"), new.unwrap_or("(none)"));
    let wire = match (old, new) {
        (Some("read"), Some("state-change")) => A,
        _ => B,
    };
    sink.add("operation kind", detail, N, wire);
}

fn compare_caller(sink: &mut Sink, old: Option<&str>, new: Option<&str>) {
    if old == new {
        return;
    }
    let detail = format!("{} → {}", old.unwrap_or("(none)"), new.unwrap_or("(none)"));
    let wire = if new == Some("partner-or-customer") && matches!(old, Some("partner" | "customer"))
    {
        A
    } else {
        B
    };
    sink.add("caller", detail, N, wire);
}

fn compare_site(sink: &mut Sink, old: Option<&str>, new: Option<&str>) {
    if old == new {
        return;
    }
    let label = |s: Option<&str>| s.map_or("both sites".to_string(), |s| format!("{s} only"));
    let detail = format!("{} → {}", label(old), label(new));
    if new.is_none() {
        sink.add("site", detail, A, A);
    } else {
        sink.add("site", detail, B, B);
    }
}

fn compare_pagination(sink: &mut Sink, old: Option<&Pagination>, new: Option<&Pagination>) {
    match (old, new) {
        (None, None) => {}
        (None, Some(p)) => sink.add(
            "pagination",
            format!("added (in {}, ≤ {})", p.location.as_str(), p.limit_max),
            A,
            A,
        ),
        (Some(_), None) => sink.add("pagination", "removed", B, N),
        (Some(o), Some(n)) => {
            let total = |p: &Pagination| p.total.clone().unwrap_or_else(|| "(none)".into());
            for (key, a, b) in [
                ("in", o.location.as_str().into(), n.location.as_str().into()),
                ("items", o.items.clone(), n.items.clone()),
                ("total", total(o), total(n)),
                ("offset", o.offset.as_str().into(), n.offset.as_str().into()),
            ] {
                if a != b {
                    sink.add("pagination", format!("`{key}` {a} → {b}"), N, B);
                }
            }
            if o.limit_max != n.limit_max {
                let wire = if n.limit_max > o.limit_max { A } else { B };
                sink.add(
                    "pagination",
                    format!("`limit-max` {} → {}", o.limit_max, n.limit_max),
                    N,
                    wire,
                );
            }
        }
    }
}

/// A JSON value as a user reads it: strings without quotes.
fn plain(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

/// Both merged specs, to resolve references on either side.
struct Specs<'a> {
    old: &'a Value,
    new: &'a Value,
}

/// A path, query or header parameter: its required-ness and its schema as written.
struct Parameter<'a> {
    required: bool,
    schema: &'a Value,
}

/// The parameters of an operation (its path item's and its own) keyed by `(location, name)`.
fn parameters<'a>(
    spec: &'a Value,
    pointer: &str,
    op: &'a Value,
) -> BTreeMap<(String, String), Parameter<'a>> {
    let item_pointer = pointer.rsplit_once('/').map_or("", |(item, _)| item);
    let shared = spec
        .pointer(item_pointer)
        .and_then(|item| item.get("parameters"))
        .and_then(Value::as_array);
    let own = op.get("parameters").and_then(Value::as_array);
    let mut out = BTreeMap::new();
    for raw in shared
        .into_iter()
        .flatten()
        .chain(own.into_iter().flatten())
    {
        let Ok(param) = meta::resolve(spec, raw) else {
            continue;
        };
        let location = param
            .get("in")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        let name = param
            .get("name")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string();
        out.insert(
            (location, name),
            Parameter {
                required: param
                    .get("required")
                    .and_then(Value::as_bool)
                    .unwrap_or(false),
                schema: param.get("schema").unwrap_or(&Value::Null),
            },
        );
    }
    out
}

fn compare_parameters(
    sink: &mut Sink,
    specs: &Specs,
    old: &BTreeMap<(String, String), Parameter>,
    new: &BTreeMap<(String, String), Parameter>,
) {
    for (key, old_param) in old {
        let subject = format!("{} parameter `{}`", key.0, key.1);
        match new.get(key) {
            None => sink.add(subject, "removed", B, B),
            Some(new_param) => {
                match (old_param.required, new_param.required) {
                    (false, true) => sink.add(subject.clone(), "optional → required", B, B),
                    (true, false) => sink.add(subject.clone(), "required → optional", A, A),
                    _ => {}
                }
                Walk::new(specs, Side::Request).value(
                    sink,
                    &subject,
                    old_param.schema,
                    new_param.schema,
                );
            }
        }
    }
    for (key, new_param) in new.iter().filter(|(k, _)| !old.contains_key(*k)) {
        let subject = format!("{} parameter `{}`", key.0, key.1);
        if new_param.required {
            sink.add(subject, "added (required)", B, B);
        } else {
            sink.add(subject, "added (optional)", A, A);
        }
    }
}

/// The JSON request body of an operation: whether it is required, and its schema.
fn request_body<'a>(spec: &'a Value, op: &'a Value) -> Option<(bool, &'a Value)> {
    let body = meta::resolve(spec, op.get("requestBody")?).ok()?;
    let required = body
        .get("required")
        .and_then(Value::as_bool)
        .unwrap_or(false);
    let schema = body
        .pointer("/content/application~1json/schema")
        .unwrap_or(&Value::Null);
    Some((required, schema))
}

fn compare_body(sink: &mut Sink, specs: &Specs, old_op: &Value, new_op: &Value) {
    match (
        request_body(specs.old, old_op),
        request_body(specs.new, new_op),
    ) {
        (None, None) => {}
        (None, Some((true, _))) => sink.add("request body", "added (required)", B, B),
        (None, Some((false, _))) => sink.add("request body", "added (optional)", A, A),
        (Some(_), None) => sink.add("request body", "removed", B, B),
        (Some((old_required, old)), Some((new_required, new))) => {
            match (old_required, new_required) {
                (false, true) => sink.add("request body", "optional → required", B, B),
                (true, false) => sink.add("request body", "required → optional", A, A),
                _ => {}
            }
            Walk::new(specs, Side::Request).value(sink, "request body", old, new);
        }
    }
}

/// The schema of an operation's first 2xx JSON response.
fn success_schema<'a>(spec: &'a Value, op: &'a Value) -> Option<&'a Value> {
    op.get("responses")?
        .as_object()?
        .iter()
        .filter(|(status, _)| status.starts_with('2'))
        .find_map(|(_, response)| {
            meta::resolve(spec, response)
                .ok()?
                .pointer("/content/application~1json/schema")
        })
}

fn compare_response(sink: &mut Sink, specs: &Specs, old_op: &Value, new_op: &Value) {
    match (
        success_schema(specs.old, old_op),
        success_schema(specs.new, new_op),
    ) {
        (None, None) => {}
        (None, Some(_)) => sink.add("response body", "added", A, A),
        (Some(_), None) => sink.add("response body", "removed", B, B),
        (Some(old), Some(new)) => {
            Walk::new(specs, Side::Response).value(sink, "response body", old, new)
        }
    }
}

/// Which way a value travels, which decides how a change breaks.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Side {
    Request,
    Response,
}

impl Side {
    fn field(self, path: &str) -> String {
        match self {
            Side::Request => format!("request field `{path}`"),
            Side::Response => format!("response field `{path}`"),
        }
    }
}

/// A walk over two versions of one schema, recursing through references, properties and items.
struct Walk<'a> {
    specs: &'a Specs<'a>,
    side: Side,
    /// The pairs of component names being compared further up, so a recursive schema ends.
    in_progress: Vec<(String, String)>,
}

/// How deep a walk goes into schemas without references, against malformed input.
const MAX_DEPTH: usize = 32;

impl<'a> Walk<'a> {
    fn new(specs: &'a Specs<'a>, side: Side) -> Self {
        Walk {
            specs,
            side,
            in_progress: Vec::new(),
        }
    }

    /// Compares two schemas of the value named `subject`.
    fn value(&mut self, sink: &mut Sink, subject: &str, old: &'a Value, new: &'a Value) {
        self.node(sink, subject, None, old, new)
    }

    fn node(
        &mut self,
        sink: &mut Sink,
        subject: &str,
        path: Option<&str>,
        old: &'a Value,
        new: &'a Value,
    ) {
        if self.in_progress.len() > MAX_DEPTH {
            return;
        }
        let (old_ref, new_ref) = (ref_name(old), ref_name(new));
        if let (Some(o), Some(n)) = (old_ref, new_ref) {
            if o != n {
                sink.add(subject, format!("type `{o}` → `{n}`"), B, N);
            }
            let pair = (o.to_string(), n.to_string());
            if self.in_progress.contains(&pair) {
                return;
            }
            self.in_progress.push(pair);
            self.resolved(sink, subject, path, old, new);
            self.in_progress.pop();
        } else {
            self.in_progress.push((String::new(), String::new()));
            self.resolved(sink, subject, path, old, new);
            self.in_progress.pop();
        }
    }

    fn resolved(
        &mut self,
        sink: &mut Sink,
        subject: &str,
        path: Option<&str>,
        old: &'a Value,
        new: &'a Value,
    ) {
        let (Ok(old), Ok(new)) = (
            meta::resolve(self.specs.old, old),
            meta::resolve(self.specs.new, new),
        ) else {
            return;
        };
        let (old_type, new_type) = (type_label(old), type_label(new));
        if old_type != new_type {
            sink.add(subject, format!("type {old_type} → {new_type}"), B, B);
            return;
        }
        self.enums(sink, subject, old, new);
        self.limits(sink, subject, old, new);
        if let (Some(o), Some(n)) = (old.get("items"), new.get("items")) {
            let child = format!("{}[]", path.unwrap_or(""));
            self.node(sink, &self.side.field(&child), Some(&child), o, n);
        }
        if let (Some(o @ Value::Object(_)), Some(n @ Value::Object(_))) = (
            old.get("additionalProperties"),
            new.get("additionalProperties"),
        ) {
            let child = format!("{}{{*}}", path.unwrap_or(""));
            self.node(sink, &self.side.field(&child), Some(&child), o, n);
        }
        self.properties(sink, path, old, new);
    }

    fn properties(&mut self, sink: &mut Sink, path: Option<&str>, old: &'a Value, new: &'a Value) {
        let props = |s: &'a Value| s.get("properties").and_then(Value::as_object);
        let (old_props, new_props) = (props(old), props(new));
        let (old_required, new_required) = (required(old), required(new));
        let child = |name: &str| match path {
            Some(p) => format!("{p}.{name}"),
            None => name.to_string(),
        };
        let side = self.side;
        for (name, old_schema) in old_props.into_iter().flatten() {
            let path = child(name);
            let subject = side.field(&path);
            let was_required = old_required.contains(name.as_str());
            let Some(new_schema) = new_props.and_then(|p| p.get(name)) else {
                let (rust, wire) = match (side, was_required) {
                    (Side::Request, _) | (Side::Response, true) => (B, B),
                    (Side::Response, false) => (B, A),
                };
                sink.add(subject, "removed", rust, wire);
                continue;
            };
            match (was_required, new_required.contains(name.as_str()), side) {
                (false, true, Side::Request) => {
                    sink.add(subject.clone(), "optional → required", B, B)
                }
                (true, false, Side::Request) => {
                    sink.add(subject.clone(), "required → optional", B, A)
                }
                (false, true, Side::Response) => {
                    sink.add(subject.clone(), "optional → required", B, A)
                }
                (true, false, Side::Response) => {
                    sink.add(subject.clone(), "required → optional", B, B)
                }
                _ => {}
            }
            self.node(sink, &subject, Some(&path), old_schema, new_schema);
        }
        let old_has = |name: &str| old_props.is_some_and(|p| p.contains_key(name));
        for name in new_props
            .into_iter()
            .flat_map(|p| p.keys())
            .filter(|k| !old_has(k))
        {
            let subject = side.field(&child(name));
            let is_required = new_required.contains(name.as_str());
            match (side, is_required) {
                (Side::Request, true) => sink.add(subject, "added (required)", B, B),
                (Side::Request, false) => sink.add(subject, "added (optional)", A, A),
                (Side::Response, true) => sink.add(subject, "added (required)", A, A),
                (Side::Response, false) => sink.add(subject, "added (optional)", A, A),
            }
        }
    }

    fn enums(&self, sink: &mut Sink, subject: &str, old: &Value, new: &Value) {
        let values = |s: &Value| {
            s.get("enum")
                .and_then(Value::as_array)
                .map(|v| v.iter().map(plain).collect::<BTreeSet<_>>())
        };
        let request = self.side == Side::Request;
        match (values(old), values(new)) {
            (None, None) => {}
            (None, Some(v)) => {
                let wire = if request { B } else { A };
                sink.add(
                    subject,
                    format!("closed to the values {}", list(&v)),
                    B,
                    wire,
                );
            }
            (Some(_), None) => {
                let wire = if request { A } else { B };
                sink.add(subject, "enum dropped: any value", B, wire);
            }
            (Some(o), Some(n)) => {
                for gone in o.difference(&n) {
                    let wire = if request { B } else { A };
                    sink.add(subject, format!("enum value `{gone}` removed"), B, wire);
                }
                for added in n.difference(&o) {
                    let (rust, wire) = if request { (A, A) } else { (B, B) };
                    sink.add(subject, format!("enum value `{added}` added"), rust, wire);
                }
            }
        }
    }

    fn limits(&self, sink: &mut Sink, subject: &str, old: &Value, new: &Value) {
        let rust = if rust_class(old) != rust_class(new) {
            B
        } else {
            N
        };
        for key in LIMITS {
            let (o, n) = (old.get(key), new.get(key));
            let Some(direction) = direction(key, o, n) else {
                continue;
            };
            let wire = match (self.side, direction) {
                (Side::Request, Direction::Looser) | (Side::Response, Direction::Tighter) => A,
                _ => B,
            };
            let show = |v: Option<&Value>| v.map_or("(none)".to_string(), plain);
            sink.add(
                subject,
                format!("{key} {} → {}", show(o), show(n)),
                rust,
                wire,
            );
        }
    }
}

/// The limit keywords compared.
const LIMITS: [&str; 9] = [
    "minimum",
    "maximum",
    "exclusiveMinimum",
    "exclusiveMaximum",
    "minLength",
    "maxLength",
    "minItems",
    "maxItems",
    "pattern",
];

/// Which way a limit moved.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Direction {
    /// Fewer values are allowed.
    Tighter,
    /// More values are allowed.
    Looser,
    /// A pattern changed: neither is known.
    Changed,
}

fn direction(key: &str, old: Option<&Value>, new: Option<&Value>) -> Option<Direction> {
    use Direction::*;
    let is_max = key.starts_with("max") || key == "exclusiveMaximum";
    match (old, new) {
        (None, None) => None,
        (Some(o), Some(n)) if o == n => None,
        (None, Some(Value::Bool(false))) | (Some(Value::Bool(false)), None) => None,
        (None, Some(_)) => Some(Tighter),
        (Some(_), None) => Some(Looser),
        (Some(Value::Bool(_)), Some(Value::Bool(n))) => Some(if *n { Tighter } else { Looser }),
        (Some(o), Some(n)) => match (o.as_f64(), n.as_f64()) {
            (Some(o), Some(n)) => Some(if (n < o) == is_max { Tighter } else { Looser }),
            _ => Some(Changed),
        },
    }
}

/// What a schema's limits make of its Rust type: a checked string newtype or a plain `String`;
/// an integer that is non-zero, unsigned or signed.
fn rust_class(schema: &Value) -> &'static str {
    match schema.get("type").and_then(Value::as_str) {
        Some("string")
            if ["minLength", "maxLength", "pattern"]
                .iter()
                .any(|k| schema.get(k).is_some()) =>
        {
            "checked string"
        }
        Some("integer") => match schema.get("minimum").and_then(Value::as_f64) {
            Some(min) if min >= 1.0 => "non-zero integer",
            Some(min) if min >= 0.0 => "unsigned integer",
            _ => "signed integer",
        },
        _ => "",
    }
}

/// `type` and `format` as one label (`integer/int32`), `object` for a schema with only
/// properties, `any` for none.
fn type_label(schema: &Value) -> String {
    let ty = schema
        .get("type")
        .and_then(Value::as_str)
        .unwrap_or_else(|| {
            if schema.get("properties").is_some() {
                "object"
            } else {
                "any"
            }
        });
    match schema.get("format").and_then(Value::as_str) {
        Some(format) => format!("`{ty}/{format}`"),
        None => format!("`{ty}`"),
    }
}

fn ref_name(schema: &Value) -> Option<&str> {
    schema.get("$ref")?.as_str()?.rsplit('/').next()
}

fn required(schema: &Value) -> BTreeSet<&str> {
    schema
        .get("required")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect()
}

fn list(values: &BTreeSet<String>) -> String {
    values
        .iter()
        .map(|v| format!("`{v}`"))
        .collect::<Vec<_>>()
        .join(", ")
}
