//! Rust SDK for Huawei Cloud's partner and billing API (BSS v2): customers and resellers, their
//! resources and subscriptions, orders, bills and fee records, funds, coupons, pricing and
//! real-name authentication, as 102 typed operations in 15 API groups.
//!
//! One [`Client`] holds the configuration (credentials, site or endpoint, timeouts, retries) and
//! hands out the generated client of each API group: `client.customers()`, `client.bills()`, ….
//! Every request is signed with AK/SK (`SDK-HMAC-SHA256`) or carries an IAM token, and every
//! limit the spec declares is checked before anything is sent.
//!
//! # Quick start
//!
//! ```toml
//! [dependencies]
//! huaweicloud-bss = "0.1"
//! futures = "0.3"
//! tokio = { version = "1", features = ["macros", "rt"] }
//! ```
//!
//! ```
//! use futures::TryStreamExt;
//! use huaweicloud_bss::{Client, Credentials, PageOptions};
//!
//! # #[tokio::main(flavor = "current_thread")]
//! # async fn main() -> Result<(), Box<dyn std::error::Error>> {
//! # // This example runs against the offline sandbox; against the service, drop these lines.
//! # let sandbox = huaweicloud_bss_sandbox::Sandbox::new(Default::default())
//! #     .start(([127, 0, 0, 1], 0).into())
//! #     .await?;
//! # let (ak, sk) = (huaweicloud_bss_sandbox::DEMO_AK, huaweicloud_bss_sandbox::DEMO_SK);
//! let client = Client::builder()
//!     .credentials(Credentials::aksk(ak, sk)) // or Client::from_env()
//! #   .endpoint(sandbox.url())
//!     .build()?;
//!
//! // One call: a page of at most 100 provinces.
//! let provinces = client.geography().list_provinces().limit(100).send().await?;
//! println!("{} provinces", provinces.provinces.len());
//!
//! // Every customer of the partner, page after page.
//! let mut customers = client.customers().list_sub_customers().items(PageOptions::default());
//! while let Some(customer) = customers.try_next().await? {
//!     let name = customer.account_name.unwrap_or_default();
//!     println!("{} {name}", customer.customer_id.unwrap_or_default());
//! }
//! # Ok(())
//! # }
//! ```
//!
//! # What each operation says
//!
//! Each builder method (`client.customers().list_sub_customers()`) documents who may call the
//! operation (the partner, a distributor, the customer with its own credentials, or either),
//! whether it is a read or a state change, on which site it exists, and how it pages. The
//! request and response types are in `huaweicloud_bss::<group>::types`.
//!
//! - **Reads** are retried on throttling, server errors and transport failures. A **state
//!   change** is never sent twice once it may have reached the server: when its answer is lost,
//!   the error says the outcome is unknown, and the program reads the state back.
//! - **List operations** have `.pages(options)` and `.items(options)`, streams driven by the
//!   pagination their spec declares.
//! - **Operations the customer calls** take the customer's credentials:
//!   [`Client::with_credentials`] gives the same client acting as the customer.
//!
//! # Features
//!
//! One feature per API group, named as the group (`accounts`, `bills`, `catalog`, `costs`,
//! `coupons`, `customers`, `enterprise`, `funds`, `geography`, `intl`, `orders`, `packages`,
//! `pricing`, `realname`, `resources`), all on by default. A program that needs only some
//! groups compiles only those:
//!
//! ```toml
//! huaweicloud-bss = { version = "0.1", default-features = false, features = ["customers"] }
//! ```
//!
//! # Errors
//!
//! Every fallible call returns [`Error`]: the typed `.send()` (whose answer is a `Response<T>`:
//! `into_inner()`, status, headers, request id), the paging streams and [`Client::invoke`]. It
//! keeps the status, error code, message and request id when the server answered, and has
//! predicates for what a program decides on, `is_outcome_unknown()` among them: a state change
//! whose request may have reached the server but whose answer was lost. The generator's own
//! runtime (`progenitor-client`) stays private: no type of it is part of this API.
//!
//! # Examples
//!
//! The repository's `crates/huaweicloud-bss/examples/` run against the in-process sandbox with
//! no credentials: `page_customers`, `export_fee_records` (a month's fee records of every
//! customer to CSV), `transfer_funds` (every outcome of a transfer, outcome-unknown included)
//! and `act_as_customer` (`with_credentials`). `cargo run -p huaweicloud-bss --example NAME`.

#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]
#![warn(missing_docs)]

use std::time::Duration;

pub mod console;
#[rustfmt::skip]
#[allow(clippy::all, missing_docs)]
mod groups;

pub use groups::*;
use huaweicloud_bss_core::Settings;
pub use huaweicloud_bss_core::invoke::Input;
pub use huaweicloud_bss_core::meta::{self, Operation};
pub use huaweicloud_bss_core::paging::{BoxStream, JsonPage, Page, PageOptions};
pub use huaweicloud_bss_core::retry::RetryPolicy;
pub use huaweicloud_bss_core::validate;
pub use huaweicloud_bss_core::{
    Amount, Bytes, Credentials, Decimal, Error, ErrorBody, ErrorKind, PositiveAmount,
    PositiveAmountText, PreparedRequest, Response, Secret, Site, signer,
};

/// The default time one request may take (the official Go SDK's default).
pub const DEFAULT_TIMEOUT: Duration = Duration::from_secs(120);
/// The default time to establish a connection.
pub const DEFAULT_CONNECT_TIMEOUT: Duration = Duration::from_secs(60);

/// An API group and its operations.
#[derive(Clone, Copy, Debug)]
pub struct GroupInfo {
    /// The group name (`customers`).
    pub name: &'static str,
    /// What the group covers.
    pub description: &'static str,
    /// Its operations, in spec order.
    pub operations: &'static [Operation],
}

/// Finds an operation by its official name (`ListSubCustomers`), Rust name
/// (`list_sub_customers`) or CLI name (`list-sub-customers`).
pub fn find_operation(name: &str) -> Option<&'static Operation> {
    GROUPS
        .iter()
        .flat_map(|g| g.operations)
        .find(|op| op.id == name || op.rust_name == name || op.rust_name.replace('_', "-") == name)
}

/// A configured client for every BSS API group.
#[derive(Clone, Debug)]
pub struct Client {
    groups: Groups,
    endpoint: String,
    site: Site,
    http: reqwest::Client,
    context: huaweicloud_bss_core::Context,
}

impl Client {
    /// A builder.
    pub fn builder() -> ClientBuilder {
        ClientBuilder::default()
    }

    /// A client configured from the environment only: credentials from `HUAWEICLOUD_SDK_AK`,
    /// `HUAWEICLOUD_SDK_SK` (and the optional security token and domain id variables), the
    /// China site, and the endpoint override variable if set.
    pub fn from_env() -> Result<Client, Error> {
        Client::builder().build()
    }

    /// The endpoint requests go to.
    pub fn endpoint(&self) -> &str {
        &self.endpoint
    }

    /// The site.
    pub fn site(&self) -> Site {
        self.site
    }

    /// The same client acting with other credentials: a customer's token or temporary AK/SK
    /// for the operations only the customer may call (`x-caller: customer`). The connection
    /// pool, endpoint, retries and timeouts are shared.
    pub fn with_credentials(&self, credentials: Credentials) -> Result<Client, Error> {
        let context = self.context.with_credentials(credentials)?;
        Ok(Client {
            groups: Groups::new(&self.endpoint, &self.http, &context),
            endpoint: self.endpoint.clone(),
            site: self.site,
            http: self.http.clone(),
            context,
        })
    }

    /// Every page of a list operation called with JSON input, driven by its declared
    /// pagination: `offset` and `limit` are set in the query or the body as the spec says.
    /// Fails at once for an operation that does not page.
    pub fn invoke_pages<'a>(
        &'a self,
        operation: &'static Operation,
        input: Input,
        options: PageOptions,
    ) -> BoxStream<'a, JsonPage> {
        use huaweicloud_bss_core::meta::Location;
        let Some(pagination) = operation.pagination else {
            let err = Error::invalid_input("operation", format!("{} does not page", operation.id));
            return Box::pin(futures::stream::once(async move { Err(err) }));
        };
        huaweicloud_bss_core::paging::pages(&pagination, options, move |offset, limit| {
            let mut input = input.clone();
            let (offset, limit) = (
                serde_json::Value::from(offset),
                serde_json::Value::from(limit),
            );
            if pagination.location == Location::Body {
                let mut body = match input.body.take() {
                    Some(serde_json::Value::Object(map)) => map,
                    _ => serde_json::Map::new(),
                };
                body.insert("offset".into(), offset);
                body.insert("limit".into(), limit);
                input.body = Some(serde_json::Value::Object(body));
            } else {
                input.params.insert("offset".into(), offset);
                input.params.insert("limit".into(), limit);
            }
            async move {
                let value = self.invoke(operation, &input).await?;
                Ok(JsonPage::new(value, &pagination))
            }
        })
    }

    /// Calls any operation with JSON input and returns its decoded response as JSON. The input
    /// is checked against the operation's declared limits first.
    pub async fn invoke(
        &self,
        operation: &Operation,
        input: &Input,
    ) -> Result<serde_json::Value, Error> {
        self.groups.invoke(operation, input).await
    }
}

/// Builds a [`Client`].
#[derive(Debug, Default)]
pub struct ClientBuilder {
    credentials: Option<Credentials>,
    site: Site,
    endpoint: Option<String>,
    timeout: Option<Duration>,
    connect_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    retry: Option<RetryPolicy>,
    proxy: Option<String>,
    ca_certificates: Vec<Vec<u8>>,
    user_agent_suffix: Option<String>,
    dry_run: bool,
    rate_limit: Option<u32>,
}

impl ClientBuilder {
    /// The credentials. Without them, the official SDKs' chain is used: the environment
    /// variables (`HUAWEICLOUD_SDK_AK`, `HUAWEICLOUD_SDK_SK`, …), then the profile file
    /// (`$HUAWEICLOUD_SDK_CREDENTIALS_FILE`, default `~/.huaweicloud/credentials`, `[global]`).
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// The site (China by default); it selects the built-in endpoint.
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// An explicit endpoint (`https://bss.myhuaweicloud.com`, or a loopback test server). It
    /// takes precedence over `HUAWEICLOUD_SDK_REGION_BSS_<REGION>` and the site's endpoint.
    pub fn endpoint(mut self, endpoint: impl Into<String>) -> Self {
        self.endpoint = Some(endpoint.into());
        self
    }

    /// How long one attempt may take, from connecting to the end of the response body
    /// (default [`DEFAULT_TIMEOUT`]).
    pub fn timeout(mut self, timeout: Duration) -> Self {
        self.timeout = Some(timeout);
        self
    }

    /// How long a whole operation may take, retries and backoff included (default: no limit
    /// beyond the attempts' own).
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// The retry policy (default [`RetryPolicy::default`]: three attempts for reads; a state
    /// change is only retried when it never left this machine).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Sends every request through this proxy (`http://user:password@host:port`).
    pub fn proxy(mut self, url: impl Into<String>) -> Self {
        self.proxy = Some(url.into());
        self
    }

    /// Trusts this CA certificate (PEM) in addition to the system's roots.
    pub fn add_ca_certificate_pem(mut self, pem: impl Into<Vec<u8>>) -> Self {
        self.ca_certificates.push(pem.into());
        self
    }

    /// How long establishing a connection may take (default [`DEFAULT_CONNECT_TIMEOUT`]).
    pub fn connect_timeout(mut self, timeout: Duration) -> Self {
        self.connect_timeout = Some(timeout);
        self
    }

    /// Text appended to the `User-Agent` header.
    pub fn user_agent_suffix(mut self, suffix: impl Into<String>) -> Self {
        self.user_agent_suffix = Some(suffix.into());
        self
    }

    /// Keeps every call through this client (and the clients made from it with
    /// [`Client::with_credentials`]), across tasks, to at most `per_second` requests a second,
    /// retries included, evenly spaced: a known gateway quota is kept without being throttled.
    /// Zero is refused by [`build`](Self::build).
    pub fn rate_limit(mut self, per_second: u32) -> Self {
        self.rate_limit = Some(per_second);
        self
    }

    /// With `true`, nothing is sent: each call validates, builds and signs its request exactly
    /// as it would be sent, then fails with an [`ErrorKind::DryRun`] error whose
    /// [`Error::dry_run_request`] holds it (method, URL, headers with the secrets redacted,
    /// body).
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
        self
    }

    /// Checks the configuration and builds the client.
    pub fn build(self) -> Result<Client, Error> {
        let credentials = match self.credentials {
            Some(credentials) => credentials,
            None => Credentials::from_chain()?.ok_or_else(|| {
                Error::new(
                    ErrorKind::Configuration,
                    "no credentials: pass them to the builder, set HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK, or write ~/.huaweicloud/credentials",
                )
            })?,
        };
        let timeout = self.timeout.unwrap_or(DEFAULT_TIMEOUT);
        let context = huaweicloud_bss_core::Context::new(Settings {
            site: self.site,
            retry: self.retry.unwrap_or_default(),
            attempt_timeout: Some(timeout),
            operation_timeout: self.operation_timeout,
            rate_limit: self.rate_limit.map(f64::from),
            dry_run: self.dry_run,
            ..Settings::new(credentials)
        })?;
        let endpoint = self
            .site
            .resolve_endpoint(self.endpoint.as_deref(), |name| std::env::var(name).ok())?;
        let mut user_agent = format!("huaweicloud-bss-rust/{}", env!("CARGO_PKG_VERSION"));
        if let Some(suffix) = &self.user_agent_suffix {
            user_agent.push(' ');
            user_agent.push_str(suffix);
        }
        // One TLS stack: rustls with the ring provider. Installing it twice is harmless.
        let _ = rustls::crypto::ring::default_provider().install_default();
        let config = |what: &str, e: reqwest::Error| {
            Error::new(ErrorKind::Configuration, format!("{what}: {e}"))
        };
        let mut http = reqwest::Client::builder()
            .timeout(timeout)
            .connect_timeout(self.connect_timeout.unwrap_or(DEFAULT_CONNECT_TIMEOUT))
            .user_agent(user_agent)
            .redirect(reqwest::redirect::Policy::none());
        if let Some(proxy) = &self.proxy {
            // The proxy URL may hold a password: the error does not repeat it.
            let proxy = reqwest::Proxy::all(proxy.as_str()).map_err(|_| {
                Error::invalid_input("proxy", "must be a URL such as http://host:port")
            })?;
            http = http.proxy(proxy);
        }
        for pem in &self.ca_certificates {
            let certificate =
                reqwest::Certificate::from_pem(pem).map_err(|e| config("CA certificate", e))?;
            http = http.add_root_certificate(certificate);
        }
        let http = http
            .build()
            .map_err(|e| config("building the HTTP client", e))?;
        Ok(Client {
            groups: Groups::new(&endpoint, &http, &context),
            endpoint,
            site: self.site,
            http,
            context,
        })
    }
}
