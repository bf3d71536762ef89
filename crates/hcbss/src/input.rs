//! Turning parsed flags into the JSON input of an operation.

use clap::ArgMatches;
use huaweicloud_bss::Input;
use huaweicloud_bss::meta::{BodyUse, Location, Operation, Param, ValueKind};
use serde_json::{Map, Value};

use crate::command::{JSON_BODY, flag_name};

/// Builds the input of `operation` from its flags and `--json-body`.
pub fn from_matches(operation: &Operation, matches: &ArgMatches) -> Result<Input, String> {
    let mut input = Input::default();
    let mut body_fields = Map::new();
    for param in operation.params {
        let Some(text) = matches.get_one::<String>(param.name) else {
            continue;
        };
        let value = parse_value(param, text)?;
        if param.location == Location::Body {
            body_fields.insert(param.name.to_string(), value);
        } else {
            input.params.insert(param.name.to_string(), value);
        }
    }
    if operation.body != BodyUse::None {
        let mut body = match matches.get_one::<String>(JSON_BODY) {
            Some(path) => read_body(path)?,
            None => Map::new(),
        };
        body.extend(body_fields);
        input.body = Some(Value::Object(body));
    }
    Ok(input)
}

fn parse_value(param: &Param, text: &str) -> Result<Value, String> {
    let flag = flag_name(param);
    match param.kind {
        ValueKind::String => Ok(Value::String(text.to_string())),
        ValueKind::Integer => text
            .trim()
            .parse::<i64>()
            .map(Value::from)
            .map_err(|_| format!("--{flag}: must be an integer (got `{text}`)")),
        ValueKind::Boolean => match text {
            "true" => Ok(Value::Bool(true)),
            "false" => Ok(Value::Bool(false)),
            _ => Err(format!("--{flag}: must be true or false (got `{text}`)")),
        },
        ValueKind::Number | ValueKind::PositiveAmount => text
            .trim()
            .parse::<serde_json::Number>()
            .map(Value::Number)
            .map_err(|_| format!("--{flag}: must be a number (got `{text}`)")),
        ValueKind::Array | ValueKind::Object => {
            serde_json::from_str(text).map_err(|e| format!("--{flag}: not valid JSON ({e})"))
        }
    }
}

fn read_body(path: &str) -> Result<Map<String, Value>, String> {
    let text = if path == "-" {
        std::io::read_to_string(std::io::stdin())
            .map_err(|e| format!("--{JSON_BODY}: reading stdin: {e}"))?
    } else {
        std::fs::read_to_string(path).map_err(|e| format!("--{JSON_BODY} {path}: {e}"))?
    };
    match serde_json::from_str(&text) {
        Ok(Value::Object(map)) => Ok(map),
        Ok(_) => Err(format!("--{JSON_BODY} {path}: must hold a JSON object")),
        Err(e) => Err(format!("--{JSON_BODY} {path}: not valid JSON ({e})")),
    }
}

/// Takes `offset` and `limit` out of the input (query or body) for paging with `--all`: where to
/// start and the page size.
pub fn take_window(input: &mut Input) -> (Option<u32>, Option<u32>) {
    let mut take = |name: &str| {
        let from_params = input.params.remove(name);
        let from_body = input
            .body
            .as_mut()
            .and_then(Value::as_object_mut)
            .and_then(|body| body.remove(name));
        from_params
            .or(from_body)
            .and_then(|v| v.as_u64())
            .and_then(|v| u32::try_from(v).ok())
    };
    (take("offset"), take("limit"))
}
