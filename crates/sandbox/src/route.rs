//! Finding the operation a request calls from the path templates of the specs.

use huaweicloud_bss::meta::Operation;
use serde_json::{Map, Value};

/// The operation whose method and path template match, with the path parameters decoded.
pub fn find(method: &str, path: &str) -> Option<(&'static Operation, Map<String, Value>)> {
    let segments: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    huaweicloud_bss::GROUPS
        .iter()
        .flat_map(|g| g.operations)
        .filter(|op| op.method.eq_ignore_ascii_case(method))
        .find_map(|op| {
            let template: Vec<&str> = op.path.split('/').collect();
            if template.len() != segments.len() {
                return None;
            }
            let mut params = Map::new();
            for (t, s) in template.iter().zip(&segments) {
                match t.strip_prefix('{').and_then(|t| t.strip_suffix('}')) {
                    Some(name) => {
                        let value = percent_encoding::percent_decode_str(s).decode_utf8_lossy();
                        params.insert(name.to_string(), Value::String(value.into_owned()));
                    }
                    None if t == s => {}
                    None => return None,
                }
            }
            Some((op, params))
        })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn matches_methods_and_paths() {
        let (op, params) = find("GET", "/v2/systems/configs/provinces").unwrap();
        assert_eq!(op.id, "ListProvinces");
        assert!(params.is_empty());
        assert_eq!(
            find("POST", "/v2/partners/sub-customers").unwrap().0.id,
            "CreateSubCustomer"
        );
        assert_eq!(
            find("POST", "/v2/partners/sub-customers/query")
                .unwrap()
                .0
                .id,
            "ListSubCustomers"
        );
        assert!(find("DELETE", "/v2/systems/configs/provinces").is_none());
        assert!(find("GET", "/v2/nothing").is_none());
    }
}
