//! What the sandbox's tests share: a sandbox with the default data set on an ephemeral loopback
//! port, and a client of it with the demo credentials that never retries (so every request the
//! sandbox sees is one the test made).

#![allow(dead_code)]

use huaweicloud_bss::Operation;
use huaweicloud_bss::{Client, Credentials, Decimal, RetryPolicy, Site};
use huaweicloud_bss_sandbox::{Config, DEMO_AK, DEMO_SK, Running, Sandbox};

/// A sandbox with the default configuration.
pub async fn sandbox() -> Running {
    Sandbox::new(Config::default())
        .start("127.0.0.1:0".parse().expect("a loopback address"))
        .await
        .expect("the sandbox starts")
}

/// A China-site client of `sandbox`.
pub fn client(sandbox: &Running) -> Client {
    client_on(sandbox, Site::China)
}

/// A client of `sandbox` for `site`.
pub fn client_on(sandbox: &Running, site: Site) -> Client {
    Client::builder()
        .credentials(Credentials::aksk(DEMO_AK, DEMO_SK))
        .site(site)
        .endpoint(sandbox.url())
        .retry(RetryPolicy::never())
        .build()
        .expect("a valid client configuration")
}

/// A client of `sandbox` for the site `operation` exists on (China unless international-only).
pub fn client_for(sandbox: &Running, operation: &Operation) -> Client {
    client_on(sandbox, contract_tests::site_of(operation))
}

/// A sandbox and a China-site client of it.
pub async fn start() -> (Running, Client) {
    let sandbox = sandbox().await;
    let client = client(&sandbox);
    (sandbox, client)
}

/// One page of the partner's customers that match `filter` (a ListSubCustomers request body).
pub async fn sub_customers(
    client: &Client,
    filter: serde_json::Value,
) -> Vec<huaweicloud_bss::customers::types::CustomerInformation> {
    let request: huaweicloud_bss::customers::types::QuerySubCustomerListReq =
        serde_json::from_value(filter).expect("a valid ListSubCustomers filter");
    client
        .customers()
        .list_sub_customers()
        .body(request)
        .send()
        .await
        .expect("the customers are listed")
        .into_inner()
        .customer_infos
}

/// Creates a sub-customer with the account name `name` and the partner-side id
/// `xaccount_id`; returns its customer id.
pub async fn new_customer(client: &Client, name: &str, xaccount_id: &str) -> String {
    let name = huaweicloud_bss::customers::types::CreateCustomerV2ReqDomainName::try_from(name)
        .expect("a valid account name");
    client
        .customers()
        .create_sub_customer()
        .body_map(|b| {
            b.xaccount_id(xaccount_id)
                .xaccount_type("partner_saas")
                .domain_name(Some(name))
        })
        .send()
        .await
        .expect("the customer is created")
        .into_inner()
        .domain_id
        .expect("the new customer's id")
}

/// The error a call was expected to fail with.
pub fn failure<T: std::fmt::Debug, E: Into<huaweicloud_bss::Error>>(
    result: Result<T, E>,
) -> huaweicloud_bss::Error {
    match result {
        Ok(value) => panic!("expected an error answer, got {value:?}"),
        Err(err) => err.into(),
    }
}

/// A decimal literal (`d("1234.56")`).
pub fn d(text: &str) -> Decimal {
    text.parse().expect("a decimal literal")
}
