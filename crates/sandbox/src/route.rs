//! Finding the operation a request calls: a `matchit` router per HTTP method, built once from the
//! generated routes of every group.

use std::collections::HashMap;
use std::sync::LazyLock;

use huaweicloud_bss::meta::Operation;
use serde_json::{Map, Value};

use crate::generated::{self, Handler};
use crate::world::World;

/// An operation a request matched: its description, its decoded path parameters and its handler.
pub struct Found {
    /// The operation.
    pub operation: &'static Operation,
    /// The path parameters, percent-decoded.
    pub path: Map<String, Value>,
    /// The trait method that runs it.
    pub run: Handler<World>,
}

/// One router per upper-case HTTP method; each value indexes [`Router::endpoints`].
struct Router {
    methods: HashMap<&'static str, matchit::Router<usize>>,
    endpoints: Vec<(&'static Operation, Handler<World>)>,
}

/// The router of every generated route whose operation the facade describes.
static ROUTER: LazyLock<Router> = LazyLock::new(|| {
    let mut router = Router {
        methods: HashMap::new(),
        endpoints: Vec::new(),
    };
    for route in generated::routes::<World>() {
        let Some(operation) = describe(route.group, route.operation) else {
            continue;
        };
        let index = router.endpoints.len();
        let inserted = router
            .methods
            .entry(route.method)
            .or_default()
            .insert(route.path, index);
        if inserted.is_ok() {
            router.endpoints.push((operation, route.run));
        }
    }
    router
});

/// The facade's description of the operation `id` of `group`.
fn describe(group: &str, id: &str) -> Option<&'static Operation> {
    huaweicloud_bss::GROUPS
        .iter()
        .filter(|g| g.name == group)
        .flat_map(|g| g.operations)
        .find(|op| op.id == id)
}

/// The operation whose method and path template match, with the path parameters decoded.
pub fn find(method: &str, path: &str) -> Option<Found> {
    let router = ROUTER.methods.get(method.to_ascii_uppercase().as_str())?;
    let matched = router.at(path.trim_end_matches('/')).ok()?;
    let (operation, run) = *ROUTER.endpoints.get(*matched.value)?;
    let path = matched
        .params
        .iter()
        .map(|(name, value)| {
            let value = percent_encoding::percent_decode_str(value).decode_utf8_lossy();
            (name.to_string(), Value::String(value.into_owned()))
        })
        .collect();
    Some(Found {
        operation,
        path,
        run,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn id(method: &str, path: &str) -> Option<&'static str> {
        find(method, path).map(|found| found.operation.id)
    }

    #[test]
    fn matches_methods_and_paths() {
        let found = find("GET", "/v2/systems/configs/provinces").unwrap();
        assert_eq!(found.operation.id, "ListProvinces");
        assert!(found.path.is_empty());
        assert_eq!(
            id("POST", "/v2/partners/sub-customers"),
            Some("CreateSubCustomer")
        );
        assert_eq!(
            id("POST", "/v2/partners/sub-customers/query"),
            Some("ListSubCustomers")
        );
        assert_eq!(id("DELETE", "/v2/systems/configs/provinces"), None);
        assert_eq!(id("GET", "/v2/nothing"), None);
    }

    #[test]
    fn every_operation_is_routed() {
        let described: usize = huaweicloud_bss::GROUPS
            .iter()
            .map(|g| g.operations.len())
            .sum();
        assert_eq!(ROUTER.endpoints.len(), described);
    }
}
