//! The customers group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::customers::*;
use huaweicloud_bss::Client;

/// The ID of the seeded customer with this account name.
pub async fn customer(client: &Client, account: &str) -> String {
    let found = client
        .customers()
        .list_sub_customers()
        .body_map(|b| b.account_name(Some(account.parse().unwrap())))
        .send()
        .await
        .unwrap();
    assert_eq!(found.customer_infos.len(), 1, "{account}");
    found.customer_infos[0].customer_id.clone().unwrap()
}
