//! The resources group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::resources::*;
use huaweicloud_bss::Client;
use huaweicloud_bss::resources::types as resources;

use super::*;

/// A yearly/monthly resource with its attached ones, as a later read shows them.
pub async fn group(client: &Client, customer: &str, id: &str) -> Vec<resources::OrderInstanceV2> {
    yearly(
        client,
        resources::QueryResourcesReq {
            resource_ids: vec![id.to_string()],
            ..query(customer)
        },
    )
    .await
    .data
}

/// The main resources of `customer` in use.
pub async fn in_use(client: &Client, customer: &str) -> Vec<resources::OrderInstanceV2> {
    yearly(
        client,
        resources::QueryResourcesReq {
            only_main_resource: Some(1),
            status_list: vec![2],
            ..query(customer)
        },
    )
    .await
    .data
}

/// A query of a customer's yearly/monthly resources.
pub fn query(customer: &str) -> resources::QueryResourcesReq {
    resources::QueryResourcesReq {
        customer_id: Some(customer.parse().unwrap()),
        limit: limit(100),
        ..Default::default()
    }
}

/// Renews the first of `candidates` that accepts it (some have a renewal pending payment).
pub async fn renew_one(
    client: &Client,
    candidates: &[resources::OrderInstanceV2],
    period_type: i32,
    period_num: u32,
    auto_pay: i32,
) -> (resources::OrderInstanceV2, String) {
    for r in candidates {
        let id = r.resource_id.clone().unwrap();
        let renewed = client
            .resources()
            .renewal_resources()
            .body_map(|b| {
                b.resource_ids(vec![id.clone()])
                    .period_type(period_type)
                    .period_num(period_num)
                    .is_auto_pay(Some(auto_pay))
            })
            .send()
            .await
            .unwrap();
        if renewed.fail_resource_infos.is_empty() {
            assert_eq!(renewed.order_ids.len(), 1);
            return (r.clone(), renewed.order_ids[0].clone());
        }
        assert_eq!(
            renewed.fail_resource_infos[0].error_code.as_deref(),
            Some("CBC.99005010")
        );
    }
    panic!("no resource could be renewed");
}

/// One page of yearly/monthly resources that `request` selects.
pub async fn yearly(
    client: &Client,
    request: resources::QueryResourcesReq,
) -> resources::ListPayPerUseCustomerResourcesResponse {
    client
        .resources()
        .list_pay_per_use_customer_resources()
        .body(request)
        .send()
        .await
        .unwrap()
        .into_inner()
}
