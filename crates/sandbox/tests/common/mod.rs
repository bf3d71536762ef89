//! What the sandbox's tests share: a sandbox with the default data set on an ephemeral loopback
//! port, and a client of it with the demo credentials that never retries (so every request the
//! sandbox sees is one the test made).

#![allow(dead_code)]

pub mod accounts;
mod calls;
pub mod costs;
pub mod customers;
pub mod orders;
pub mod packages;
pub mod resources;
#[allow(unused_imports)]
pub use calls::{bills, catalog, coupons, enterprise, funds, intl, pricing, realname};

use huaweicloud_bss::Operation;
use std::num::NonZeroU32;

use huaweicloud_bss::{Amount, Client, Credentials, Decimal, PageOptions, RetryPolicy, Site};
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

/// `ts` moved by `months`, the day clamped to the month (as renewals move expiry times).
pub fn add_months(ts: &str, months: i32) -> String {
    let y: i32 = ts[0..4].parse().unwrap();
    let m: i32 = ts[5..7].parse().unwrap();
    let d: u32 = ts[8..10].parse().unwrap();
    let index = y * 12 + m - 1 + months;
    let (y, m) = (index / 12, index % 12 + 1);
    let last = match m {
        2 if y % 4 == 0 => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    };
    format!("{y:04}-{m:02}-{:02}{}", d.min(last), &ts[10..])
}

/// Paging with the defaults: every item, the largest page.
pub fn all() -> PageOptions {
    PageOptions::default()
}

/// The value of an amount the answer must carry.
pub fn amount(value: Option<huaweicloud_bss::Amount>) -> Decimal {
    value.unwrap().value()
}

/// The HTTP status and error code of a failed call.
pub fn code<E: Into<huaweicloud_bss::Error>>(err: E) -> (Option<u16>, String) {
    let err: huaweicloud_bss::Error = err.into();
    (err.status(), err.code().unwrap_or_default().to_string())
}

/// A page limit (`None` for 0).
pub fn limit(n: u32) -> Option<NonZeroU32> {
    NonZeroU32::new(n)
}

/// Paging with pages of `size` items.
pub fn pages_of(size: u32) -> PageOptions {
    PageOptions {
        page_size: Some(size),
        ..all()
    }
}

/// The value of an optional amount, zero when absent.
pub fn v(a: Option<Amount>) -> Decimal {
    a.map_or(Decimal::ZERO, Amount::value)
}
