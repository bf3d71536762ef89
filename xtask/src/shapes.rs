//! Which component schemas travel in requests and which in responses, and the field tree of
//! every request body. Requests are exact (a type reachable from a request body refuses unknown
//! keys, and the body's shape lets the JSON path refuse them with the nearest declared name);
//! responses are tolerant (a type reachable from a response has no required field, and `null`
//! means absent).

use std::collections::BTreeSet;

use anyhow::{Context, Result};
use heck::ToShoutySnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};
use serde_json::Value;

use crate::meta::METHODS;
use crate::meta::{escape_pointer, resolve};

const SCHEMAS: &str = "#/components/schemas/";

/// The component schema a (possibly `allOf`-wrapped) reference names.
pub fn referenced(schema: &Value) -> Option<&str> {
    if let Some(reference) = schema.get("$ref").and_then(Value::as_str) {
        return reference.strip_prefix(SCHEMAS);
    }
    match schema
        .get("allOf")
        .and_then(Value::as_array)
        .map(Vec::as_slice)
    {
        Some([only]) => referenced(only),
        _ => None,
    }
}

/// The component schemas reachable from `roots`, following properties, items and
/// `additionalProperties`.
fn reachable<'a>(spec: &'a Value, roots: impl Iterator<Item = &'a Value>) -> BTreeSet<String> {
    fn walk(spec: &Value, value: &Value, out: &mut BTreeSet<String>) {
        match value {
            Value::Object(map) => {
                if let Some(name) = map.get("$ref").and_then(Value::as_str)
                    && let Some(name) = name.strip_prefix(SCHEMAS)
                {
                    if out.insert(name.to_string())
                        && let Some(schema) =
                            spec.pointer(&format!("/components/schemas/{}", escape_pointer(name)))
                    {
                        walk(spec, schema, out);
                    }
                    return;
                }
                for nested in map.values() {
                    walk(spec, nested, out);
                }
            }
            Value::Array(items) => items.iter().for_each(|v| walk(spec, v, out)),
            _ => {}
        }
    }
    let mut out = BTreeSet::new();
    for root in roots {
        walk(spec, root, &mut out);
    }
    out
}

/// Every operation object of a spec.
fn operations(spec: &Value) -> impl Iterator<Item = &Value> {
    spec.get("paths")
        .and_then(Value::as_object)
        .into_iter()
        .flat_map(|paths| paths.values())
        .filter_map(Value::as_object)
        .flat_map(|item| {
            item.iter()
                .filter(|(method, _)| METHODS.contains(&method.as_str()))
                .map(|(_, op)| op)
        })
}

/// The component schemas a request body can hold.
pub fn request_schemas(spec: &Value) -> BTreeSet<String> {
    reachable(
        spec,
        operations(spec).filter_map(|op| op.get("requestBody")),
    )
}

/// The component schemas a success response can hold.
pub fn response_schemas(spec: &Value) -> BTreeSet<String> {
    reachable(
        spec,
        operations(spec)
            .filter_map(|op| op.get("responses").and_then(Value::as_object))
            .flat_map(|responses| {
                responses
                    .iter()
                    .filter(|(status, _)| status.starts_with('2'))
                    .map(|(_, response)| response)
            }),
    )
}

/// Whether a schema is an object with declared properties (a generated struct).
pub fn is_struct(schema: &Value) -> bool {
    schema
        .get("properties")
        .and_then(Value::as_object)
        .is_some()
}

fn static_name(schema: &str) -> proc_macro2::Ident {
    format_ident!("SHAPE_{}", schema.to_shouty_snake_case())
}

/// The `static` shapes of every component schema reachable from a request body.
pub fn body_shapes(spec: &Value) -> Result<TokenStream> {
    let mut statics = TokenStream::new();
    for name in request_schemas(spec) {
        let schema = spec
            .pointer(&format!("/components/schemas/{}", escape_pointer(&name)))
            .with_context(|| format!("unresolved schema {name}"))?;
        if !is_struct(schema) && schema.get("additionalProperties").is_none() {
            continue;
        }
        let ident = static_name(&name);
        let shape = shape_literal(spec, &name, schema)?;
        statics.extend(quote! {
            static #ident: ::huaweicloud_bss_core::meta::Shape = #shape;
        });
    }
    Ok(statics)
}

/// The shape of an operation's JSON body, as an expression of type
/// `Option<&'static Shape>`.
pub fn operation_body_shape(spec: &Value, op: &Value) -> Result<TokenStream> {
    let Some(body) = op.get("requestBody") else {
        return Ok(quote!(None));
    };
    let body = resolve(spec, body)?;
    let Some(schema) = body.pointer("/content/application~1json/schema") else {
        return Ok(quote!(None));
    };
    Ok(match value_shape(spec, schema)? {
        Some(shape) => quote!(Some(#shape)),
        None => quote!(None),
    })
}

/// `Shape { .. }` for a component schema.
fn shape_literal(spec: &Value, name: &str, schema: &Value) -> Result<TokenStream> {
    let mut fields = Vec::new();
    for (field, property) in schema
        .get("properties")
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
    {
        let nested = match value_shape(spec, property)? {
            Some(shape) => quote!(Some(#shape)),
            None => quote!(None),
        };
        fields.push(quote! {
            ::huaweicloud_bss_core::meta::Field { name: #field, shape: #nested }
        });
    }
    let open = schema
        .get("additionalProperties")
        .is_some_and(|extra| extra != &Value::Bool(false));
    Ok(quote! {
        ::huaweicloud_bss_core::meta::Shape { name: #name, fields: &[#(#fields),*], open: #open }
    })
}

/// A reference to the shape a value of `schema` must have (its items' shape for a list), if it
/// is an object.
fn value_shape(spec: &Value, schema: &Value) -> Result<Option<TokenStream>> {
    if let Some(name) = referenced(schema) {
        let target = spec
            .pointer(&format!("/components/schemas/{}", escape_pointer(name)))
            .with_context(|| format!("unresolved schema {name}"))?;
        if is_struct(target) || target.get("additionalProperties").is_some() {
            let ident = static_name(name);
            return Ok(Some(quote!(&#ident)));
        }
        return value_shape(spec, target);
    }
    if schema.get("type").and_then(Value::as_str) == Some("array")
        && let Some(items) = schema.get("items")
    {
        return value_shape(spec, items);
    }
    Ok(None)
}
