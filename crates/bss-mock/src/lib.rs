//! Typed mocks of every Huawei Cloud BSS operation, for testing code that calls
//! `huaweicloud-bss` without the service, the sandbox or hand-written JSON.
//!
//! [`MockServer`] starts a loopback [`httpmock`] server and hands back a [`Client`](huaweicloud_bss::Client)
//! configured for it. Each API group's module has a `MockServerExt` trait with one method per
//! operation (`list_sub_customers`, `create_partner_coupons`, …), generated from the same
//! OpenAPI specs as the client, whose `when` matches on the operation's typed parameters and body
//! and whose `then` answers with:
//! - the typed success response (`ok(&response)`);
//! - a BSS error (`bss_error(&BssError::new(403, "CBC.99000035", "…").with_request_id("…"))`);
//! - for the batch operations that report failed items in an HTTP 200, a partial failure
//!   (`partial_failure(response, failed_items)`).
//!
//! Each method returns an [`httpmock::Mock`], which counts its calls (`calls_async`,
//! `assert_calls_async`). [`MockServer::start_verifying`] also checks every request's
//! `SDK-HMAC-SHA256` signature against known credentials, as the service does.
//!
//! # Example: testing a function of your own
//!
//! ```
//! use futures::TryStreamExt;
//! use huaweicloud_bss::{Client, PageOptions};
//! use huaweicloud_bss::geography::types;
//! use huaweicloud_bss_mock::{BssError, MockServer, geography::MockServerExt};
//!
//! /// Your code: how many provinces a partner can choose from.
//! async fn province_count(client: &Client) -> Result<usize, huaweicloud_bss::Error> {
//!     let all: Vec<_> = client
//!         .geography()
//!         .list_provinces()
//!         .items(PageOptions::default())
//!         .try_collect()
//!         .await?;
//!     Ok(all.len())
//! }
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! // Your test: the mock checks signatures made with these credentials.
//! let server = MockServer::start_verifying("MOCKAK", "mock-secret-key").await;
//! let page: types::ListProvincesResponse = serde_json::from_value(serde_json::json!({
//!     "count": 2,
//!     "provinces": [{"code": "CN-11", "name": "北京市"}, {"code": "CN-12", "name": "天津市"}],
//! }))?;
//! let provinces = server.list_provinces(|when, then| {
//!     when.offset(0);
//!     then.ok(&page);
//! });
//! assert_eq!(province_count(&server.client()?).await?, 2);
//! provinces.assert_calls_async(1).await;
//!
//! // The same function when the service refuses: the error keeps code and request id.
//! provinces.delete_async().await;
//! server.list_provinces(|_, then| {
//!     then.bss_error(&BssError::throttled().with_request_id("req-1"));
//! });
//! let err = province_count(&server.client()?).await.unwrap_err();
//! assert_eq!(err.code(), Some("APIGW.0308"));
//! assert_eq!(err.request_id(), Some("req-1"));
//! # Ok(()) }
//! ```

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod answer;
mod server;

#[rustfmt::skip]
#[allow(clippy::all, clippy::pedantic, missing_docs, unused_imports, dead_code)]
mod generated;

pub use answer::BssError;
pub use generated::*;
pub use httpmock;
pub use server::MockServer;

pub(crate) use answer::partial_failure;
