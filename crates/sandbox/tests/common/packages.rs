//! The packages group's calls the sandbox tests share.

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

calls! {
    packages:
    list_free_resource_infos => ListFreeResourceInfos -> ListFreeResourceInfosResponse,
    list_free_resource_usages => ListFreeResourceUsages -> ListFreeResourceUsagesResponse,
    list_free_resources_usage_records => ListFreeResourcesUsageRecords -> ListFreeResourcesUsageRecordsResponse,
}
