//! Acts as a customer: some operations may only be called with the customer's own credentials
//! (their docs say "Caller: the customer"), such as reading its balances
//! (ShowCustomerAccountBalances) or its monthly bill (ShowCustomerMonthlySum).
//! `Client::with_credentials` gives the same client (endpoint, retries, timeouts, connection
//! pool) acting with other credentials; the partner's client stays as it was.
//!
//! `cargo run -p huaweicloud-bss --example act_as_customer` (offline: an in-process sandbox
//! that accepts the customer's demo keys as well as the partner's answers).

mod support;

use std::num::NonZeroU32;

use huaweicloud_bss::Credentials;
use huaweicloud_bss_sandbox::Config;

/// The customer's access keys in this example. A real customer's come from the customer (an
/// IAM user's AK/SK, a temporary AK/SK with its security token, or an IAM token).
const CUSTOMER_AK: &str = "EXAMPLECUSTOMERAK001";
const CUSTOMER_SK: &str = "example-customer-secret-key";

#[tokio::main(flavor = "current_thread")]
async fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut config = Config::default();
    config
        .credentials
        .push((CUSTOMER_AK.to_string(), CUSTOMER_SK.to_string()));
    let offline = support::start(config).await?;
    let partner = &offline.client;

    let customer = partner.with_credentials(Credentials::aksk(CUSTOMER_AK, CUSTOMER_SK))?;

    let balances = customer
        .funds()
        .show_customer_account_balances()
        .send()
        .await?
        .into_inner();
    for balance in &balances.account_balances {
        println!(
            "account type {}: {} {}",
            balance.account_type.unwrap_or_default(),
            balance.amount.map(|a| a.to_string()).unwrap_or_default(),
            balance.currency.as_deref().unwrap_or(""),
        );
    }

    let month = customer
        .costs()
        .show_customer_monthly_sum()
        .bill_cycle("2024-05")
        .send()
        .await?
        .into_inner();
    println!(
        "2024-05: consumed {}, {} bill lines",
        month
            .consume_amount
            .map(|a| a.to_string())
            .unwrap_or_default(),
        month.bill_sums.len()
    );

    // The customer's keys sign its calls; the partner's client still signs with the partner's.
    let customers = partner
        .customers()
        .list_sub_customers()
        .body_map(|body| body.limit(NonZeroU32::new(1)))
        .send()
        .await?
        .into_inner();
    println!(
        "the partner still lists its customers: {} in all",
        customers.count.unwrap_or_default()
    );
    Ok(())
}
