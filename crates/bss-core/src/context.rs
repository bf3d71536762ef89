//! The per-client context every generated client carries: it authenticates each request just
//! before it is sent and routes it through one transport path.

use std::fmt;
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use reqwest::header::{HeaderName, HeaderValue};
use serde_json::{Value, json};
use tracing::Instrument;

use crate::credentials::Credentials;
use crate::error::{Error, REQUEST_ID_HEADER};
use crate::meta::Operation;
use crate::signer::{self, Algorithm, DATE_FORMAT, SignableRequest};

/// The header progenitor adds to every request; BSS does not use it, so it never goes out.
const API_VERSION_HEADER: &str = "api-version";

/// What every generated client shares: the credentials and how requests are sent.
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("credentials", &self.inner.credentials)
            .finish()
    }
}

/// Builds a [`Context`].
#[derive(Debug, Default)]
pub struct ContextBuilder {
    credentials: Option<Credentials>,
}

impl ContextBuilder {
    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Validates the settings and builds the context.
    pub fn build(self) -> Result<Context, Error> {
        let credentials = self.credentials.ok_or_else(|| {
            Error::new(
                crate::ErrorKind::Configuration,
                "no credentials: set them explicitly or through HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK",
            )
        })?;
        credentials.validate()?;
        Ok(Context {
            inner: Arc::new(Inner { credentials }),
        })
    }
}

impl Context {
    /// A builder.
    pub fn builder() -> ContextBuilder {
        ContextBuilder::default()
    }

    /// The credentials requests are authenticated with.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.credentials
    }

    /// Sends one request of `operation`: authenticates it, sends it with `client`, and keeps an
    /// undecodable error body for the error type. Called by the generated clients' hooks.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        operation: Option<&'static Operation>,
    ) -> reqwest::Result<reqwest::Response> {
        let id = operation.map_or("unknown", |op| op.id);
        let span = tracing::info_span!(
            "bss.call",
            operation = id,
            method = %request.method(),
            path = request.url().path(),
            attempt = 1u32,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
        );
        request.headers_mut().remove(API_VERSION_HEADER);
        normalize_query(&mut request);
        self.authenticate(
            &mut request,
            &chrono::Utc::now().format(DATE_FORMAT).to_string(),
        );
        let started = Instant::now();
        let result = client.execute(request).instrument(span.clone()).await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        let response = result?;
        span.record("status", response.status().as_u16());
        if let Some(id) = response
            .headers()
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
        {
            span.record("request_id", id);
        }
        tracing::debug!(parent: &span, "response received");
        keep_error_body(response).await
    }

    /// Adds the authentication headers to `request`, signing it with `date` as `X-Sdk-Date` for
    /// AK/SK credentials.
    pub fn authenticate(&self, request: &mut reqwest::Request, date: &str) {
        let headers = request.headers_mut();
        match &self.inner.credentials {
            Credentials::Token { token, domain_id } => {
                insert(headers, "x-auth-token", token.expose());
                if let Some(id) = domain_id {
                    insert(headers, "x-domain-id", id);
                }
            }
            Credentials::AkSk {
                ak,
                sk,
                security_token,
                domain_id,
            } => {
                insert(headers, "x-sdk-date", date);
                if let Some(token) = security_token {
                    insert(headers, "x-security-token", token.expose());
                }
                if let Some(id) = domain_id {
                    insert(headers, "x-domain-id", id);
                }
                let signed = signed_headers(request);
                let query: Vec<(String, String)> =
                    request.url().query_pairs().into_owned().collect();
                let body = request
                    .body()
                    .and_then(|b| b.as_bytes())
                    .unwrap_or_default();
                let signature = signer::sign(
                    &SignableRequest {
                        method: request.method().as_str(),
                        path: request.url().path(),
                        query: &query,
                        headers: &signed,
                        body,
                    },
                    ak,
                    sk.expose(),
                    date,
                    &Algorithm::HmacSha256,
                );
                insert(
                    request.headers_mut(),
                    "authorization",
                    &signature.authorization,
                );
            }
        }
    }
}

/// Credentials were validated as header-safe ASCII, so these values always convert.
fn insert(headers: &mut reqwest::header::HeaderMap, name: &'static str, value: &str) {
    if let Ok(value) = HeaderValue::from_str(value) {
        let mut value = value;
        if matches!(name, "authorization" | "x-auth-token" | "x-security-token") {
            value.set_sensitive(true);
        }
        headers.insert(HeaderName::from_static(name), value);
    }
}

/// The headers that take part in signing: `host`, `content-type`, and every `x-` header whose
/// name has no underscore (the official SDKs leave those out).
fn signed_headers(request: &reqwest::Request) -> Vec<(String, String)> {
    let url = request.url();
    let host = match (url.host_str(), url.port()) {
        (Some(host), Some(port)) => format!("{host}:{port}"),
        (Some(host), None) => host.to_string(),
        (None, _) => String::new(),
    };
    let mut signed = vec![("host".to_string(), host)];
    for (name, value) in request.headers() {
        let name = name.as_str();
        let take = name == "content-type" || (name.starts_with("x-") && !name.contains('_'));
        if take && let Ok(value) = value.to_str() {
            signed.push((name.to_string(), value.to_string()));
        }
    }
    signed
}

/// Re-encodes the query the way it is signed: RFC 3986, a space as `%20` (never `+`), pairs in
/// their original order.
fn normalize_query(request: &mut reqwest::Request) {
    let url = request.url_mut();
    if url.query().is_none_or(str::is_empty) {
        url.set_query(None);
        return;
    }
    let encoded = url
        .query_pairs()
        .map(|(k, v)| format!("{}={}", signer::encode(&k), signer::encode(&v)))
        .collect::<Vec<_>>()
        .join("&");
    url.set_query(Some(&encoded));
}

/// An error response whose body is not a JSON object gets a JSON body `{"raw_body": "…"}` so that
/// the error type keeps the status, the request id and what the server said.
async fn keep_error_body(response: reqwest::Response) -> reqwest::Result<reqwest::Response> {
    if response.status().as_u16() < 400 {
        return Ok(response);
    }
    let status = response.status();
    let version = response.version();
    let mut headers = response.headers().clone();
    let bytes = response.bytes().await?;
    let is_object = serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| v.is_object());
    let body = if is_object {
        bytes
    } else {
        headers.remove(reqwest::header::CONTENT_LENGTH);
        headers.insert(
            reqwest::header::CONTENT_TYPE,
            HeaderValue::from_static("application/json"),
        );
        let raw = json!({ "raw_body": String::from_utf8_lossy(&bytes) });
        Bytes::from(raw.to_string())
    };
    let mut rebuilt = http::Response::new(body);
    *rebuilt.status_mut() = status;
    *rebuilt.version_mut() = version;
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}
