//! What the generator and the lint need to know about each operation, read from the merged spec:
//! its parameters with their limits, its body fields, its caller, whether it is a safe read, and
//! its declared pagination shape (`x-pagination`).

use anyhow::{Context, Result, bail};
use serde_json::Value;

use crate::extensions::{Caller, Extensions, Kind, Pagination, Site};

/// The HTTP methods OpenAPI allows as path item keys.
pub const METHODS: [&str; 8] = [
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// One operation of a group spec.
pub struct Operation {
    /// The spec's `operationId` (`ListSubCustomers`).
    pub id: String,
    /// Upper-case HTTP method.
    pub method: String,
    /// The path template as written in the spec.
    pub path: String,
    /// The `summary`, one line.
    pub summary: String,
    /// The JSON pointer to the operation object in the merged spec, for the lint.
    pub pointer: String,
    /// `x-caller`, if declared.
    pub caller: Option<Caller>,
    /// `x-operation-kind`, if declared.
    pub kind: Option<Kind>,
    /// `x-pagination`, if declared.
    pub pagination: Option<Pagination>,
    /// `x-partial-failure`: the response field listing items that failed in an HTTP 200.
    pub partial_failure: Option<String>,
    /// `x-site`: `intl` for an international-site-only operation.
    pub site: Option<Site>,
    /// `x-outcome-check`: for a state change, the read operation that shows whether it was
    /// applied (`none` when no operation shows it).
    pub outcome_check: Option<String>,
    /// Path, query and header parameters, then the top-level body fields.
    pub params: Vec<Param>,
    /// Whether the operation has a JSON body, and whether it is required.
    pub body: Option<bool>,
    /// The component name of the success response schema, when it is a `$ref`.
    pub success_schema: Option<String>,
}

/// Where a parameter travels.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Location {
    Path,
    Query,
    Header,
    Body,
}

impl Location {
    /// The variant name of `huaweicloud_bss_core::meta::Location`.
    pub fn variant(self) -> &'static str {
        match self {
            Location::Path => "Path",
            Location::Query => "Query",
            Location::Header => "Header",
            Location::Body => "Body",
        }
    }
}

/// One parameter or top-level body field with the limits its schema declares.
pub struct Param {
    pub name: String,
    pub location: Location,
    pub required: bool,
    /// The schema `type` (`string`, `integer`, `number`, `boolean`, `array`, `object`).
    pub ty: String,
    pub minimum: Option<f64>,
    pub maximum: Option<f64>,
    pub min_length: Option<u64>,
    pub max_length: Option<u64>,
    pub description: String,
    /// Whether the schema is the shared `PositiveAmount` (a request amount).
    pub positive_amount: bool,
}

/// Reads every operation of a merged spec, in path order.
pub fn operations(spec: &Value) -> Result<Vec<Operation>> {
    let mut out = Vec::new();
    let Some(paths) = spec.get("paths").and_then(Value::as_object) else {
        return Ok(out);
    };
    for (path, item) in paths {
        let item = item
            .as_object()
            .with_context(|| format!("path {path} must be a mapping"))?;
        let shared_params = item.get("parameters").and_then(Value::as_array);
        for (method, op) in item {
            if !METHODS.contains(&method.as_str()) {
                continue;
            }
            let id = op
                .get("operationId")
                .and_then(Value::as_str)
                .unwrap_or("")
                .to_string();
            let pointer = format!("/paths/{}/{method}", escape_pointer(path));
            let mut params = Vec::new();
            let op_params = op.get("parameters").and_then(Value::as_array);
            for raw in shared_params
                .into_iter()
                .flatten()
                .chain(op_params.into_iter().flatten())
            {
                let param = resolve(spec, raw)?;
                let location = match param.get("in").and_then(Value::as_str) {
                    Some("path") => Location::Path,
                    Some("query") => Location::Query,
                    Some("header") => Location::Header,
                    other => bail!("{method} {path}: unsupported parameter location {other:?}"),
                };
                let name = str_field(param, "name");
                let raw_schema = param.get("schema").unwrap_or(&Value::Null);
                params.push(Param::new(
                    name,
                    location,
                    param
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                    raw_schema,
                    resolve(spec, raw_schema)?,
                    param,
                ));
            }
            let mut body = None;
            if let Some(request_body) = op.get("requestBody") {
                let request_body = resolve(spec, request_body)?;
                body = Some(
                    request_body
                        .get("required")
                        .and_then(Value::as_bool)
                        .unwrap_or(false),
                );
                let schema = request_body
                    .pointer("/content/application~1json/schema")
                    .map(|s| resolve(spec, s))
                    .transpose()?;
                if let Some(schema) = schema {
                    let required: Vec<&str> = schema
                        .get("required")
                        .and_then(Value::as_array)
                        .into_iter()
                        .flatten()
                        .filter_map(Value::as_str)
                        .collect();
                    for (name, prop) in schema
                        .get("properties")
                        .and_then(Value::as_object)
                        .into_iter()
                        .flatten()
                    {
                        let resolved = resolve(spec, prop)?;
                        params.push(Param::new(
                            name.clone(),
                            Location::Body,
                            required.contains(&name.as_str()),
                            prop,
                            resolved,
                            resolved,
                        ));
                    }
                }
            }
            let success_schema = op
                .get("responses")
                .and_then(Value::as_object)
                .into_iter()
                .flatten()
                .filter(|(status, _)| status.starts_with('2'))
                .find_map(|(_, response)| {
                    resolve(spec, response)
                        .ok()?
                        .pointer("/content/application~1json/schema/$ref")?
                        .as_str()?
                        .rsplit('/')
                        .next()
                        .map(String::from)
                });
            let ext = Extensions::parse(op).with_context(|| id.clone())?;
            out.push(Operation {
                success_schema,
                id,
                method: method.to_uppercase(),
                path: path.clone(),
                summary: str_field(op, "summary"),
                pointer,
                caller: ext.caller,
                kind: ext.kind,
                pagination: ext.pagination,
                site: ext.site,
                outcome_check: ext.outcome_check,
                partial_failure: ext.partial_failure,
                params,
                body,
            });
        }
    }
    Ok(out)
}

impl Param {
    fn new(
        name: String,
        location: Location,
        required: bool,
        raw: &Value,
        schema: &Value,
        doc: &Value,
    ) -> Self {
        let positive_amount = matches!(
            raw.get("$ref").and_then(Value::as_str),
            Some("#/components/schemas/PositiveAmount" | "#/components/schemas/PositiveAmountText")
        );
        Param {
            positive_amount,
            name,
            location,
            required,
            ty: str_field(schema, "type"),
            minimum: schema.get("minimum").and_then(Value::as_f64),
            maximum: schema.get("maximum").and_then(Value::as_f64),
            min_length: schema.get("minLength").and_then(Value::as_u64),
            max_length: schema.get("maxLength").and_then(Value::as_u64),
            description: str_field(doc, "description"),
        }
    }
}

/// Follows a local `$ref` (`#/components/...`), repeatedly; any other value is returned as is.
pub fn resolve<'a>(spec: &'a Value, value: &'a Value) -> Result<&'a Value> {
    let mut current = value;
    for _ in 0..16 {
        let Some(reference) = current.get("$ref").and_then(Value::as_str) else {
            return Ok(current);
        };
        let pointer = reference
            .strip_prefix('#')
            .with_context(|| format!("only local references are supported: {reference}"))?;
        current = spec
            .pointer(pointer)
            .with_context(|| format!("unresolved reference {reference}"))?;
    }
    bail!("reference chain too long")
}

fn str_field(value: &Value, key: &str) -> String {
    value
        .get(key)
        .and_then(Value::as_str)
        .unwrap_or("")
        .trim()
        .to_string()
}

/// Escapes a key for use in a JSON pointer.
pub fn escape_pointer(key: &str) -> String {
    key.replace('~', "~0").replace('/', "~1")
}
