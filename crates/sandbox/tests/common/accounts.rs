//! The accounts group's calls the sandbox tests share.

// Re-exported for the test files; a test file that uses none of them is not a fault.
#[allow(unused_imports)]
pub use super::calls::accounts::*;
use huaweicloud_bss::{Client, Decimal, PositiveAmount};

use super::*;

/// The balance of a reseller-model customer's account (the `accounts` group).
pub async fn balance(client: &Client, customer: &str) -> Decimal {
    let found = client
        .accounts()
        .list_customers_balances_detail()
        .body_map(|b| {
            b.customer_infos(vec![huaweicloud_bss::accounts::types::CustomerInfoV2 {
                customer_id: customer.parse().unwrap(),
            }])
        })
        .send()
        .await
        .unwrap();
    amount(found.customer_balances[0].amount)
}

/// Sets a reseller-model customer's balance to `target` by reclaiming and transferring funds.
pub async fn fund(client: &Client, customer: &str, target: i64) {
    let held = balance(client, customer).await;
    if held > Decimal::ZERO {
        client
            .accounts()
            .reclaim_to_partner_account()
            .body_map(|b| {
                b.customer_id(customer)
                    .amount(PositiveAmount::try_from(held).unwrap())
            })
            .send()
            .await
            .unwrap();
    }
    if target > 0 {
        client
            .accounts()
            .update_customer_account_amount()
            .body_map(|b| {
                b.customer_id(customer)
                    .amount(PositiveAmount::try_from(Decimal::from(target)).unwrap())
            })
            .send()
            .await
            .unwrap();
    }
    assert_eq!(balance(client, customer).await, Decimal::from(target));
}
