//! The common model both sides of the upstream comparison are turned into: an operation's HTTP
//! shape and its request and response fields, flattened to dotted paths with their JSON types.

use std::collections::BTreeMap;
use std::fmt;

/// How deep nested objects are followed; deeper levels are compared as opaque objects.
pub const MAX_DEPTH: usize = 12;

/// The JSON type of a field as it travels on the wire.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum JsonType {
    String,
    Integer,
    Number,
    Boolean,
    /// An object with named fields (a model, or a schema with `properties`).
    Object,
    /// An object with arbitrary keys (`additionalProperties`, the SDK's `dict(K, V)`).
    Map,
    /// Anything (a schema without a type, the SDK's `object`).
    Any,
    /// Our `Amount`: decoded from a JSON number or a numeric string.
    Decimal,
    Array(Box<JsonType>),
}

impl JsonType {
    /// Whether a field we declare as `self` accepts what the SDK declares as `sdk`.
    pub fn accepts(&self, sdk: &JsonType) -> bool {
        use JsonType::*;
        match (self, sdk) {
            (Any, _) | (_, Any) => true,
            (Decimal, Number | String | Decimal) => true,
            (Object | Map, Object | Map) => true,
            (Array(ours), Array(theirs)) => ours.accepts(theirs),
            (ours, theirs) => ours == theirs,
        }
    }
}

impl fmt::Display for JsonType {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            JsonType::String => f.write_str("string"),
            JsonType::Integer => f.write_str("integer"),
            JsonType::Number => f.write_str("number"),
            JsonType::Boolean => f.write_str("boolean"),
            JsonType::Object => f.write_str("object"),
            JsonType::Map => f.write_str("map"),
            JsonType::Any => f.write_str("any"),
            JsonType::Decimal => f.write_str("decimal (number or numeric string)"),
            JsonType::Array(item) => write!(f, "array of {item}"),
        }
    }
}

/// One field at a dotted path (`customer_infos[].customer_id`).
#[derive(Clone, Debug, PartialEq)]
pub struct Field {
    pub ty: JsonType,
    /// The closed set of values, where the side states one.
    pub enum_values: Option<Vec<String>>,
    /// Whether a request must carry it; `None` where the side does not say.
    pub required: Option<bool>,
    /// Whether the fields beneath this one are unknown (a free-form object or a cut-off
    /// recursion), so nothing below it can be missing.
    pub open: bool,
}

/// Fields by dotted path, sorted.
pub type Fields = BTreeMap<String, Field>;

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum ParamIn {
    Path,
    Query,
    Header,
}

impl fmt::Display for ParamIn {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            ParamIn::Path => "path",
            ParamIn::Query => "query",
            ParamIn::Header => "header",
        })
    }
}

/// One path, query or header parameter.
#[derive(Clone, Debug, PartialEq)]
pub struct Param {
    pub location: ParamIn,
    /// Its type and enum values.
    pub field: Field,
}

/// What one side says about one operation.
#[derive(Clone, Debug, Default)]
pub struct OperationShape {
    pub method: String,
    pub path: String,
    /// Parameters by wire name (header names lower-cased).
    pub params: BTreeMap<String, Param>,
    pub has_body: bool,
    pub request: Fields,
    pub response: Fields,
}

/// The key a parameter is compared by: header names are case-insensitive.
pub fn param_key(name: &str, location: ParamIn) -> String {
    match location {
        ParamIn::Header => name.to_ascii_lowercase(),
        _ => name.to_string(),
    }
}

/// Joins a parent path and a field name.
pub fn child_path(parent: &str, name: &str) -> String {
    if parent.is_empty() {
        name.to_string()
    } else {
        format!("{parent}.{name}")
    }
}

/// The path of the objects inside an array field: `items` → `items[]`; nested arrays add more.
pub fn item_path(path: &str, ty: &JsonType) -> String {
    let mut out = path.to_string();
    let mut current = ty;
    while let JsonType::Array(item) = current {
        out.push_str("[]");
        current = item;
    }
    out
}

/// The innermost element type of nested arrays (`array of array of object` → `object`).
pub fn innermost(ty: &JsonType) -> &JsonType {
    match ty {
        JsonType::Array(item) => innermost(item),
        other => other,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimal_accepts_numbers_and_numeric_strings_but_not_integers() {
        assert!(JsonType::Decimal.accepts(&JsonType::Number));
        assert!(JsonType::Decimal.accepts(&JsonType::String));
        assert!(!JsonType::Decimal.accepts(&JsonType::Integer));
        assert!(!JsonType::Number.accepts(&JsonType::String));
    }

    #[test]
    fn arrays_compare_their_items_and_any_matches_everything() {
        let strings = JsonType::Array(Box::new(JsonType::String));
        let ints = JsonType::Array(Box::new(JsonType::Integer));
        assert!(!strings.accepts(&ints));
        assert!(strings.accepts(&JsonType::Array(Box::new(JsonType::Any))));
        assert!(JsonType::Any.accepts(&ints));
        assert!(JsonType::Map.accepts(&JsonType::Object));
        assert_eq!(strings.to_string(), "array of string");
    }

    #[test]
    fn item_paths_mark_each_array_level() {
        let nested = JsonType::Array(Box::new(JsonType::Array(Box::new(JsonType::Object))));
        assert_eq!(item_path("a.b", &nested), "a.b[][]");
        assert_eq!(innermost(&nested), &JsonType::Object);
        assert_eq!(child_path("", "x"), "x");
        assert_eq!(param_key("X-Language", ParamIn::Header), "x-language");
    }
}
