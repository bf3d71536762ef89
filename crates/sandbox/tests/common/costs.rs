//! The costs group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::costs::*;
use huaweicloud_bss::Client;
use huaweicloud_bss::costs::types as costs;

/// The monthly sum of `cycle` by `method`, for the sub-account `sub` when given.
pub async fn monthly_sum(
    client: &Client,
    cycle: &str,
    method: costs::ShowCustomerMonthlySumMethod,
    sub: Option<&str>,
) -> costs::ShowCustomerMonthlySumResponse {
    let mut request = client
        .costs()
        .show_customer_monthly_sum()
        .bill_cycle(cycle)
        .method(method)
        .limit(100);
    if let Some(id) = sub {
        request = request.sub_customer_id(id);
    }
    request.send().await.unwrap().into_inner()
}

/// The calling customer's own monthly sum of `cycle`.
pub async fn own_sum(client: &Client, cycle: &str) -> costs::ShowCustomerMonthlySumResponse {
    monthly_sum(
        client,
        cycle,
        costs::ShowCustomerMonthlySumMethod::Oneself,
        None,
    )
    .await
}
