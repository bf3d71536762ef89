//! The packages group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::packages::*;
use huaweicloud_bss::Client;
use huaweicloud_bss::packages::types as packages;

/// The usage of the resource package item `id`, which must exist.
pub async fn usage(client: &Client, id: &str) -> packages::FreeResourceDetail {
    let ids = vec![packages::ListFreeResourceUsagesReqFreeResourceIdsItem::try_from(id).unwrap()];
    let mut answer = client
        .packages()
        .list_free_resource_usages()
        .body_map(|b| b.free_resource_ids(ids))
        .send()
        .await
        .unwrap()
        .into_inner();
    assert_eq!(answer.free_resources.len(), 1);
    answer.free_resources.remove(0)
}
