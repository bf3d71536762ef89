//! The official SDKs' side: the JSON document `xtask/upstream/dump_sdk.py` writes, and each SDK
//! operation turned into an [`OperationShape`].

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use serde::Deserialize;

use super::enums;
use super::shape::{
    Field, Fields, JsonType, MAX_DEPTH, OperationShape, Param, ParamIn, child_path, innermost,
    item_path, param_key,
};

/// The whole dump: one entry per SDK package (`huaweicloudsdkbss`, `huaweicloudsdkbssintl`).
#[derive(Debug, Deserialize)]
pub struct Dump {
    pub packages: BTreeMap<String, Package>,
}

/// One SDK package.
#[derive(Debug, Deserialize)]
pub struct Package {
    pub version: String,
    /// By official operation name (`ListSubCustomers`).
    pub operations: BTreeMap<String, SdkOperation>,
    /// By model class name.
    pub models: BTreeMap<String, Model>,
}

/// One operation as the SDK's `_<operation>_http_info` helper builds it.
#[derive(Debug, Deserialize)]
pub struct SdkOperation {
    pub method: String,
    pub path: String,
    pub path_params: Vec<String>,
    pub query_params: Vec<String>,
    pub header_params: Vec<String>,
    /// The request model, whose fields are the parameters (and `body`).
    #[serde(default)]
    pub request: Option<String>,
    /// The body's type (a model name), if the operation has a body.
    pub body: Option<String>,
    /// The response model's name.
    pub response: String,
}

/// One model class: its fields in declaration order.
#[derive(Debug, Deserialize)]
pub struct Model {
    /// Set when a type named a model the package does not define.
    #[serde(default)]
    pub missing: bool,
    pub fields: Vec<ModelField>,
}

/// One model field.
#[derive(Debug, Deserialize)]
pub struct ModelField {
    /// The JSON key.
    pub name: String,
    /// The SDK's type string (`str`, `list[Foo]`, `Foo`, ...).
    #[serde(rename = "type")]
    pub ty: String,
    /// The field's documentation.
    #[serde(default)]
    pub doc: String,
    /// Whether the model's constructor always sets it (a required field); absent in dumps that
    /// do not say.
    #[serde(default)]
    pub required: Option<bool>,
}

impl Dump {
    /// Parses a dump.
    pub fn parse(text: &str) -> Result<Dump> {
        serde_json::from_str(text).context("the SDK dump is not the JSON `dump_sdk.py` writes")
    }
}

/// What a type string means: its JSON type and, for a model or an array of models, the model.
fn parse_type<'a>(ty: &'a str, package: &Package) -> (JsonType, Option<&'a str>) {
    let ty = ty.trim();
    if let Some(item) = ty.strip_prefix("list[").and_then(|t| t.strip_suffix(']')) {
        let (inner, model) = parse_type(item, package);
        return (JsonType::Array(Box::new(inner)), model);
    }
    if ty.starts_with("dict(") {
        return (JsonType::Map, None);
    }
    match ty {
        "str" | "date" | "datetime" => (JsonType::String, None),
        "int" => (JsonType::Integer, None),
        "float" | "decimal.Decimal" => (JsonType::Number, None),
        "bool" => (JsonType::Boolean, None),
        "object" => (JsonType::Any, None),
        model => match package.models.get(model) {
            Some(found) if !found.missing => (JsonType::Object, Some(model)),
            _ => (JsonType::Any, None),
        },
    }
}

/// Turns one SDK operation into its shape, following its body and response models.
pub fn shape(operation: &SdkOperation, package: &Package) -> OperationShape {
    let request_fields = operation
        .request
        .as_ref()
        .and_then(|name| package.models.get(name))
        .map_or(&[][..], |model| model.fields.as_slice());
    let mut params = BTreeMap::new();
    for (names, location) in [
        (&operation.path_params, ParamIn::Path),
        (&operation.query_params, ParamIn::Query),
        (&operation.header_params, ParamIn::Header),
    ] {
        for name in names {
            let key = param_key(name, location);
            let declared = request_fields
                .iter()
                .find(|f| param_key(&f.name, location) == key);
            let field = match declared {
                Some(declared) => Field {
                    ty: parse_type(&declared.ty, package).0,
                    enum_values: enums::stated_values(&declared.doc),
                    required: declared.required,
                    open: false,
                },
                None => Field {
                    ty: JsonType::Any,
                    enum_values: None,
                    required: None,
                    open: true,
                },
            };
            params.insert(key, Param { location, field });
        }
    }
    let mut request = Fields::new();
    if let Some(body) = &operation.body {
        let (_, model) = parse_type(body, package);
        if let Some(model) = model {
            flatten(package, model, "", &mut vec![model], &mut request);
        }
    }
    let mut response = Fields::new();
    flatten(
        package,
        &operation.response,
        "",
        &mut vec![operation.response.as_str()],
        &mut response,
    );
    OperationShape {
        method: operation.method.to_ascii_uppercase(),
        path: operation.path.clone(),
        params,
        has_body: operation.body.is_some(),
        request,
        response,
    }
}

/// Adds the fields of `model` under `prefix`, recursively; `stack` holds the models being
/// expanded, so a model that contains itself is cut off (and marked open) instead of looping.
fn flatten<'a>(
    package: &'a Package,
    model: &'a str,
    prefix: &str,
    stack: &mut Vec<&'a str>,
    out: &mut Fields,
) {
    let Some(found) = package.models.get(model) else {
        return;
    };
    for field in &found.fields {
        let path = child_path(prefix, &field.name);
        let (ty, nested) = parse_type(&field.ty, package);
        let expand = nested.filter(|m| !stack.contains(m) && stack.len() < MAX_DEPTH);
        let open = matches!(innermost(&ty), JsonType::Map | JsonType::Any)
            || (nested.is_some() && expand.is_none());
        out.insert(
            path.clone(),
            Field {
                enum_values: enums::stated_values(&field.doc),
                ty: ty.clone(),
                required: field.required,
                open,
            },
        );
        if let Some(nested) = expand {
            stack.push(nested);
            flatten(package, nested, &item_path(&path, &ty), stack, out);
            stack.pop();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const DUMP: &str = r#"{"packages": {"sdk": {"version": "1.0", "operations": {
        "ListThings": {"method": "post", "path": "/v2/things/{id}", "path_params": ["id"],
            "query_params": ["limit"], "header_params": ["X-Language"],
            "request": "ListThingsRequest",
            "body": "ListThingsReq", "response": "ListThingsResponse"}},
      "models": {
        "ListThingsRequest": {"fields": [
            {"name": "X-Language", "type": "str", "doc": "语言。枚举：zh_cn：中文 en_us：英文"},
            {"name": "limit", "type": "int", "doc": ""},
            {"name": "body", "type": "ListThingsReq", "doc": ""}]},
        "ListThingsReq": {"fields": [{"name": "ids", "type": "list[str]", "doc": ""}]},
        "ListThingsResponse": {"fields": [
            {"name": "things", "type": "list[Thing]", "doc": ""},
            {"name": "extra", "type": "dict(str, str)", "doc": ""}]},
        "Thing": {"fields": [
            {"name": "amount", "type": "decimal.Decimal", "doc": ""},
            {"name": "status", "type": "int", "doc": "状态。enum:1,2。"},
            {"name": "children", "type": "list[Thing]", "doc": ""}]}}}}}"#;

    #[test]
    fn flattens_models_recursively_and_cuts_self_reference() {
        let dump = Dump::parse(DUMP).unwrap();
        let package = &dump.packages["sdk"];
        let shape = shape(&package.operations["ListThings"], package);
        assert_eq!(shape.method, "POST");
        assert!(shape.has_body);
        let language = &shape.params["x-language"];
        assert_eq!(language.location, ParamIn::Header);
        assert_eq!(
            language.field.enum_values,
            Some(vec!["zh_cn".to_string(), "en_us".to_string()])
        );
        assert_eq!(shape.params["limit"].field.ty, JsonType::Integer);
        // Declared by the path template only, not by the request model: any type.
        assert_eq!(shape.params["id"].location, ParamIn::Path);
        assert_eq!(shape.params["id"].field.ty, JsonType::Any);
        assert_eq!(
            shape.request["ids"].ty,
            JsonType::Array(Box::new(JsonType::String))
        );
        let keys: Vec<&str> = shape.response.keys().map(String::as_str).collect();
        assert_eq!(
            keys,
            [
                "extra",
                "things",
                "things[].amount",
                "things[].children",
                "things[].status"
            ]
        );
        assert!(shape.response["extra"].open);
        assert!(shape.response["things[].children"].open);
        assert!(!shape.response["things"].open);
        assert_eq!(shape.response["things[].amount"].ty, JsonType::Number);
        assert_eq!(
            shape.response["things[].status"].enum_values,
            Some(vec!["1".to_string(), "2".to_string()])
        );
    }

    #[test]
    fn an_unknown_model_is_an_open_value() {
        let dump = Dump::parse(DUMP).unwrap();
        let package = &dump.packages["sdk"];
        assert_eq!(parse_type("Nowhere", package), (JsonType::Any, None));
        assert!(Dump::parse("{\"packages\": 1}").is_err());
    }
}
