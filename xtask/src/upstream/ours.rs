//! Our side: each operation of a group spec turned into an [`OperationShape`], read from the
//! merged spec (`spec::Group::merged`) with the parameters `meta` already reads.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde_json::Value;

use super::shape::{
    Field, Fields, JsonType, MAX_DEPTH, OperationShape, Param, ParamIn, child_path, innermost,
    item_path, param_key,
};
use crate::meta::{self, Operation};
use crate::spec::Group;

/// The shape of one operation of `group`.
pub fn shape(group: &Group, operation: &Operation) -> Result<OperationShape> {
    let spec = &group.merged;
    let raw = spec
        .pointer(&operation.pointer)
        .with_context(|| format!("{}: {} not found in its spec", group.file, operation.id))?;
    let item = spec
        .pointer(&format!("/paths/{}", meta::escape_pointer(&operation.path)))
        .unwrap_or(&Value::Null);
    let mut params = BTreeMap::new();
    for raw_param in [item, raw]
        .into_iter()
        .filter_map(|level| level.get("parameters").and_then(Value::as_array))
        .flatten()
    {
        let param = meta::resolve(spec, raw_param)?;
        let location = match param.get("in").and_then(Value::as_str) {
            Some("path") => ParamIn::Path,
            Some("query") => ParamIn::Query,
            Some("header") => ParamIn::Header,
            _ => continue,
        };
        let name = param.get("name").and_then(Value::as_str).unwrap_or("");
        let schema = resolve_schema(spec, param.get("schema").unwrap_or(&Value::Null))?;
        let field = Field {
            open: matches!(innermost(&schema.ty), JsonType::Map | JsonType::Any),
            ty: schema.ty,
            enum_values: schema.enum_values,
            required: Some(param.get("required").and_then(Value::as_bool) == Some(true)),
        };
        params.insert(param_key(name, location), Param { location, field });
    }
    let mut request = Fields::new();
    if let Some(body) = raw.get("requestBody") {
        let body = meta::resolve(spec, body)?;
        if let Some(schema) = body.pointer("/content/application~1json/schema") {
            flatten_object(spec, schema, "", &mut Vec::new(), &mut request)?;
        }
    }
    let mut response = Fields::new();
    if let Some(schema) = success_schema(spec, raw)? {
        flatten_object(spec, schema, "", &mut Vec::new(), &mut response)?;
    }
    Ok(OperationShape {
        method: operation.method.clone(),
        path: operation.path.clone(),
        params,
        has_body: operation.body.is_some(),
        request,
        response,
    })
}

/// The JSON schema of the first 2xx response that has one.
fn success_schema<'a>(spec: &'a Value, operation: &'a Value) -> Result<Option<&'a Value>> {
    let Some(responses) = operation.get("responses").and_then(Value::as_object) else {
        return Ok(None);
    };
    for (status, response) in responses {
        if !status.starts_with('2') {
            continue;
        }
        let response = meta::resolve(spec, response)?;
        if let Some(schema) = response.pointer("/content/application~1json/schema") {
            return Ok(Some(schema));
        }
    }
    Ok(None)
}

/// A schema's wire type, its properties (for an object), its enum and the component it names.
struct Resolved<'a> {
    ty: JsonType,
    /// The object schemas whose properties make up this value (several for an `allOf`), or of
    /// the items for an array.
    objects: Vec<&'a Value>,
    enum_values: Option<Vec<String>>,
    /// The components followed to get here, for cutting recursion.
    refs: Vec<&'a str>,
}

/// The shared schemas whose wire type is not what their OpenAPI `type` says.
fn shared_scalar(reference: &str) -> Option<JsonType> {
    match reference.rsplit('/').next()? {
        "Amount" => Some(JsonType::Decimal),
        "PositiveAmount" => Some(JsonType::Number),
        "PositiveAmountText" => Some(JsonType::String),
        _ => None,
    }
}

fn resolve_schema<'a>(spec: &'a Value, schema: &'a Value) -> Result<Resolved<'a>> {
    let mut refs = Vec::new();
    let mut current = schema;
    for _ in 0..16 {
        if let Some(reference) = current.get("$ref").and_then(Value::as_str) {
            if let Some(ty) = shared_scalar(reference) {
                return Ok(Resolved {
                    ty,
                    objects: Vec::new(),
                    enum_values: None,
                    refs,
                });
            }
            refs.push(reference);
            current = meta::resolve(spec, current)?;
            continue;
        }
        if let Some(parts) = current.get("allOf").and_then(Value::as_array) {
            if let [single] = parts.as_slice() {
                current = single;
                continue;
            }
            let mut objects = Vec::new();
            for part in parts {
                let part = resolve_schema(spec, part)?;
                refs.extend(part.refs);
                objects.extend(part.objects);
            }
            return Ok(Resolved {
                ty: JsonType::Object,
                objects,
                enum_values: None,
                refs,
            });
        }
        break;
    }
    let enum_values = current.get("enum").and_then(Value::as_array).map(|values| {
        values
            .iter()
            .map(|v| match v {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            })
            .collect()
    });
    let (ty, objects) = match current.get("type").and_then(Value::as_str) {
        Some("string") => (JsonType::String, Vec::new()),
        Some("integer") => (JsonType::Integer, Vec::new()),
        Some("number") => (JsonType::Number, Vec::new()),
        Some("boolean") => (JsonType::Boolean, Vec::new()),
        Some("array") => {
            let items = current.get("items").unwrap_or(&Value::Null);
            let item = resolve_schema(spec, items)?;
            refs.extend(item.refs);
            (JsonType::Array(Box::new(item.ty)), item.objects)
        }
        _ if current.get("properties").is_some() => (JsonType::Object, vec![current]),
        Some("object") => (JsonType::Map, Vec::new()),
        _ => (JsonType::Any, Vec::new()),
    };
    Ok(Resolved {
        ty,
        objects,
        enum_values,
        refs,
    })
}

/// Adds the properties of an object schema under `prefix`, recursively; `stack` holds the
/// components being expanded, so a schema that contains itself is cut off (and marked open).
fn flatten_object<'a>(
    spec: &'a Value,
    schema: &'a Value,
    prefix: &str,
    stack: &mut Vec<&'a str>,
    out: &mut Fields,
) -> Result<()> {
    let resolved = resolve_schema(spec, schema)?;
    let depth = stack.len();
    stack.extend(resolved.refs.iter().copied());
    for object in &resolved.objects {
        let required: Vec<&str> = object
            .get("required")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
            .collect();
        for (name, property) in object
            .get("properties")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let path = child_path(prefix, name);
            let field = resolve_schema(spec, property)?;
            let recursive = field.refs.iter().any(|r| stack.contains(r));
            let nested = !field.objects.is_empty();
            let expand = nested && !recursive && stack.len() < MAX_DEPTH;
            let open = matches!(innermost(&field.ty), JsonType::Map | JsonType::Any)
                || (nested && !expand);
            out.insert(
                path.clone(),
                Field {
                    ty: field.ty.clone(),
                    enum_values: field.enum_values.clone(),
                    required: Some(required.contains(&name.as_str())),
                    open,
                },
            );
            if expand {
                flatten_object(spec, property, &item_path(&path, &field.ty), stack, out)?;
            }
        }
    }
    stack.truncate(depth);
    Ok(())
}
