//! Checks a request against the limits its spec declares, before anything is sent: required
//! parameters, integer ranges, string lengths and JSON types. Every message names the field and
//! the rule.

use serde_json::Value;

use crate::meta::{Location, Operation, Param, Shape, ValueKind};

/// Checks one JSON value against its parameter's declared type and limits.
pub fn check_json(param: &Param, value: &Value) -> Result<(), String> {
    let name = param.name;
    match (param.kind, value) {
        (_, Value::Null) => Err(format!(
            "{name}: must not be null (leave it out to leave it unset)"
        )),
        (ValueKind::Integer, Value::Number(n)) => match n.as_i64() {
            Some(v) => check_range(param, v),
            None => Err(format!("{name}: must be an integer (got {n})")),
        },
        (ValueKind::Number, Value::Number(_)) => Ok(()),
        (ValueKind::PositiveAmount, Value::Number(_) | Value::String(_)) => {
            crate::money::PositiveAmount::check_json(value)
                .map_err(|rule| format!("{name}: {rule}"))
        }
        (ValueKind::String, Value::String(s)) => check_length(param, s),
        (ValueKind::Boolean, Value::Bool(_))
        | (ValueKind::Array, Value::Array(_))
        | (ValueKind::Object, Value::Object(_)) => Ok(()),
        (kind, other) => Err(format!(
            "{name}: must be {} (got {})",
            kind_name(kind),
            json_type(other)
        )),
    }
}

/// Checks one parameter given as text (a query value or a header).
pub fn check_text(param: &Param, text: &str) -> Result<(), String> {
    let name = param.name;
    match param.kind {
        ValueKind::Integer => match text.trim().parse::<i64>() {
            Ok(v) => check_range(param, v),
            Err(_) => Err(format!("{name}: must be an integer (got `{text}`)")),
        },
        ValueKind::Number => text
            .trim()
            .parse::<crate::money::Amount>()
            .map(|_| ())
            .map_err(|_| format!("{name}: must be a number (got `{text}`)")),
        ValueKind::PositiveAmount => text
            .parse::<crate::money::PositiveAmount>()
            .map(|_| ())
            .map_err(|rule| format!("{name}: {rule}")),
        ValueKind::Boolean => match text {
            "true" | "false" => Ok(()),
            _ => Err(format!("{name}: must be true or false (got `{text}`)")),
        },
        _ => check_length(param, text),
    }
}

fn check_range(param: &Param, value: i64) -> Result<(), String> {
    let name = param.name;
    if let Some(min) = param.minimum
        && value < min
    {
        return Err(format!("{name}: must be at least {min} (got {value})"));
    }
    if let Some(max) = param.maximum
        && value > max
    {
        return Err(format!("{name}: must be at most {max} (got {value})"));
    }
    Ok(())
}

fn check_length(param: &Param, text: &str) -> Result<(), String> {
    let name = param.name;
    let length = text.chars().count();
    if let Some(min) = param.min_length
        && length < min as usize
    {
        return Err(format!(
            "{name}: must be at least {min} characters long (got {length})"
        ));
    }
    if let Some(max) = param.max_length
        && length > max as usize
    {
        return Err(format!(
            "{name}: must be at most {max} characters long (got {length})"
        ));
    }
    Ok(())
}

fn kind_name(kind: ValueKind) -> &'static str {
    match kind {
        ValueKind::String => "a string",
        ValueKind::Integer => "an integer",
        ValueKind::Number => "a number",
        ValueKind::PositiveAmount => "an amount greater than 0 with at most 2 decimals",
        ValueKind::Boolean => "true or false",
        ValueKind::Array => "an array",
        ValueKind::Object => "an object",
    }
}

fn json_type(value: &Value) -> &'static str {
    match value {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

/// Checks a JSON body: every key, at any depth, is a declared field (a misspelt key names the
/// nearest declared one), and the top-level fields keep their declared types and limits.
pub fn check_body(operation: &Operation, body: &Value) -> Result<(), String> {
    let Some(fields) = body.as_object() else {
        return Err("body: must be a JSON object".to_string());
    };
    if let Some(shape) = operation.body_shape {
        check_keys(shape, body, "", operation.id)?;
    }
    for param in operation
        .params
        .iter()
        .filter(|p| p.location == Location::Body)
    {
        match fields.get(param.name) {
            Some(value) => check_json(param, value)?,
            None if param.required => {
                return Err(format!("{}: required in the body", param.name));
            }
            None => {}
        }
    }
    Ok(())
}

/// Refuses a key `shape` does not declare, in `value` or anything nested in it.
fn check_keys(shape: &Shape, value: &Value, at: &str, operation: &str) -> Result<(), String> {
    match value {
        Value::Object(map) => {
            for (key, nested) in map {
                let path = if at.is_empty() {
                    key.clone()
                } else {
                    format!("{at}.{key}")
                };
                match shape.field(key) {
                    Some(field) => {
                        if let Some(inner) = field.shape {
                            check_keys(inner, nested, &path, operation)?;
                        }
                    }
                    None if shape.open => {}
                    None => {
                        let whose = if at.is_empty() {
                            format!("{operation}'s body")
                        } else {
                            format!("{} (in {operation}'s body)", shape.name)
                        };
                        let names = shape.fields.iter().map(|f| f.name);
                        return Err(match nearest(key, names) {
                            Some(near) => {
                                format!("`{path}`: not a field of {whose}; did you mean `{near}`?")
                            }
                            None => format!("`{path}`: not a field of {whose}"),
                        });
                    }
                }
            }
            Ok(())
        }
        Value::Array(items) => items
            .iter()
            .enumerate()
            .try_for_each(|(i, item)| check_keys(shape, item, &format!("{at}[{i}]"), operation)),
        _ => Ok(()),
    }
}

/// The declared name closest to a misspelt `key`, if one is close enough to be what was meant.
pub fn nearest<'a>(key: &str, names: impl Iterator<Item = &'a str>) -> Option<&'a str> {
    let key_lower = key.to_ascii_lowercase();
    names
        .map(|name| {
            let distance = strsim::damerau_levenshtein(&key_lower, &name.to_ascii_lowercase());
            (distance, name)
        })
        .filter(|(distance, name)| *distance <= (name.len().max(key.len()) / 3).max(1))
        .min_by_key(|(distance, _)| *distance)
        .map(|(_, name)| name)
}

/// Checks a built request (what the typed builders produce) against `operation`'s limits. Run
/// by the generated clients' `pre` hook, so nothing that breaks a limit is ever sent.
pub fn request(request: &reqwest::Request, operation: Option<&Operation>) -> Result<(), String> {
    let Some(operation) = operation else {
        return Ok(());
    };
    let query: Vec<(String, String)> = request.url().query_pairs().into_owned().collect();
    for param in operation.params {
        match param.location {
            Location::Query => {
                let mut found = false;
                for (_, value) in query.iter().filter(|(k, _)| k == param.name) {
                    found = true;
                    check_text(param, value)?;
                }
                if !found && param.required {
                    return Err(format!("{}: required", param.name));
                }
            }
            Location::Header => match request.headers().get(param.name) {
                Some(value) => check_text(param, value.to_str().unwrap_or_default())?,
                None if param.required => return Err(format!("{}: required", param.name)),
                None => {}
            },
            Location::Path | Location::Body => {}
        }
    }
    if let Some(bytes) = request.body().and_then(|b| b.as_bytes()) {
        let body: Value =
            serde_json::from_slice(bytes).map_err(|e| format!("body: not valid JSON: {e}"))?;
        check_body(operation, &body)?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    const LIMIT: Param = Param {
        name: "limit",
        location: Location::Query,
        required: false,
        kind: ValueKind::Integer,
        minimum: Some(1),
        maximum: Some(1000),
        min_length: None,
        max_length: None,
        description: "",
    };
    const CODE: Param = Param {
        name: "province_code",
        location: Location::Query,
        required: true,
        kind: ValueKind::String,
        minimum: None,
        maximum: None,
        min_length: None,
        max_length: Some(4),
        description: "",
    };

    #[test]
    fn names_the_field_and_the_rule() {
        assert_eq!(
            check_text(&LIMIT, "5000").unwrap_err(),
            "limit: must be at most 1000 (got 5000)"
        );
        assert_eq!(
            check_text(&LIMIT, "0").unwrap_err(),
            "limit: must be at least 1 (got 0)"
        );
        assert!(check_text(&LIMIT, "abc").unwrap_err().contains("integer"));
        assert_eq!(
            check_json(&CODE, &json!("广东省广州")).unwrap_err(),
            "province_code: must be at most 4 characters long (got 5)"
        );
        assert!(check_json(&CODE, &json!("广东省广")).is_ok());
        assert!(
            check_json(&LIMIT, &json!("10"))
                .unwrap_err()
                .contains("an integer")
        );
        assert!(
            check_json(&LIMIT, &Value::Null)
                .unwrap_err()
                .contains("null")
        );
    }
}
