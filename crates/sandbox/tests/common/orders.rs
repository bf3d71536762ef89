//! The orders group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::orders::*;
use huaweicloud_bss::Client;
use huaweicloud_bss::orders::types as orders;

/// The order `id`, which must exist.
pub async fn order(client: &Client, id: &str) -> orders::CustomerOrderV2 {
    let found = client
        .orders()
        .list_customer_orders()
        .order_id(id)
        .send()
        .await
        .unwrap();
    assert_eq!(found.total_count, Some(1), "{id}");
    found.order_infos[0].clone()
}
