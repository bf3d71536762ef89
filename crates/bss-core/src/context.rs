//! The per-client context every generated client carries: it authenticates each request just
//! before it is sent and routes it through one transport path.

use std::borrow::Cow;
use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use bytes::Bytes;
use reqwest::ResponseBuilderExt;
use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};
use serde_json::{Value, json};
use tracing::Instrument;

use crate::base_url::BaseUrl;
use crate::credentials::Credentials;
use crate::endpoint::Site;
use crate::error::{Error, REQUEST_ID_HEADER};
use crate::meta::{Operation, OperationKind, SiteScope};
use crate::retry::{self, Outcome, RetryPolicy};
use crate::signer::{self, Algorithm, SignableRequest};

const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
const X_DOMAIN_ID: HeaderName = HeaderName::from_static("x-domain-id");
const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");

/// What every generated client shares: the credentials, the retry policy, the timeouts, and
/// how requests are sent.
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

struct Inner {
    credentials: Credentials,
    site: Site,
    retry: RetryPolicy,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    dry_run: bool,
    base_url: BaseUrl,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("credentials", &self.inner.credentials)
            .field("site", &self.inner.site)
            .field("retry", &self.inner.retry)
            .field("attempt_timeout", &self.inner.attempt_timeout)
            .field("operation_timeout", &self.inner.operation_timeout)
            .field("dry_run", &self.inner.dry_run)
            .finish()
    }
}

/// Builds a [`Context`].
#[derive(Debug, Default)]
pub struct ContextBuilder {
    credentials: Option<Credentials>,
    site: Site,
    retry: Option<RetryPolicy>,
    attempt_timeout: Option<Duration>,
    operation_timeout: Option<Duration>,
    dry_run: bool,
}

impl ContextBuilder {
    /// Sets the credentials.
    pub fn credentials(mut self, credentials: Credentials) -> Self {
        self.credentials = Some(credentials);
        self
    }

    /// Sets the site (China by default): an operation of the other site fails before sending.
    pub fn site(mut self, site: Site) -> Self {
        self.site = site;
        self
    }

    /// Sets the retry policy (default: [`RetryPolicy::default`]).
    pub fn retry(mut self, retry: RetryPolicy) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Limits each attempt (connection, request and response body).
    pub fn attempt_timeout(mut self, timeout: Duration) -> Self {
        self.attempt_timeout = Some(timeout);
        self
    }

    /// Limits the whole operation, retries and backoff included.
    pub fn operation_timeout(mut self, timeout: Duration) -> Self {
        self.operation_timeout = Some(timeout);
        self
    }

    /// With `true`, each request is validated, built and signed, then returned in an
    /// [`crate::ErrorKind::DryRun`] error instead of being sent.
    pub fn dry_run(mut self, dry_run: bool) -> Self {
        self.dry_run = dry_run;
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
            inner: Arc::new(Inner {
                credentials,
                site: self.site,
                retry: self.retry.unwrap_or_default(),
                attempt_timeout: self.attempt_timeout,
                operation_timeout: self.operation_timeout,
                dry_run: self.dry_run,
                base_url: BaseUrl::default(),
            }),
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

    /// The site.
    pub fn site(&self) -> Site {
        self.inner.site
    }

    /// Whether `operation` exists on this context's site; the message says why not.
    pub fn check_site(&self, operation: Option<&Operation>) -> Result<(), String> {
        match operation {
            Some(op)
                if op.site == SiteScope::InternationalOnly
                    && self.inner.site != Site::International =>
            {
                Err(format!(
                    "{} exists on the international site only: build the client with Site::International (hcbss --site intl)",
                    op.id
                ))
            }
            _ => Ok(()),
        }
    }

    /// The same settings with other credentials, e.g. a customer's own credentials for the
    /// operations only a customer may call.
    pub fn with_credentials(&self, credentials: Credentials) -> Result<Context, Error> {
        credentials.validate()?;
        Ok(Context {
            inner: Arc::new(Inner {
                credentials,
                site: self.inner.site,
                retry: self.inner.retry.clone(),
                attempt_timeout: self.inner.attempt_timeout,
                operation_timeout: self.inner.operation_timeout,
                dry_run: self.inner.dry_run,
                base_url: self.inner.base_url.clone(),
            }),
        })
    }

    /// Parses a request URL that the generated clients build as `base` followed by a path and
    /// query, parsing `base` only once per context. Called by the generated clients.
    pub fn request_url(&self, base: &str, url: &str) -> Result<reqwest::Url, String> {
        self.inner.base_url.join(base, url)
    }

    /// Sends `operation`'s request with `client`: each attempt is authenticated (signed afresh)
    /// and bounded by the attempt and operation timeouts; failures are retried as
    /// [`crate::retry::is_retryable`] allows for the operation's kind (an unknown operation is
    /// treated as a state change). An error body that is not JSON is kept for the error type.
    /// Called by the generated clients' hooks.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        operation: Option<&'static Operation>,
    ) -> reqwest::Result<reqwest::Response> {
        let id = operation.map_or("unknown", |op| op.id);
        let kind = operation.map_or(OperationKind::StateChange, |op| op.kind);
        normalize_query(&mut request);
        if self.inner.dry_run {
            self.authenticate(&mut request, &signer::sdk_date(chrono::Utc::now()));
            return Ok(crate::prepared::placeholder(&request));
        }
        let started = Instant::now();
        let deadline = self.inner.operation_timeout.map(|t| started + t);
        let policy = &self.inner.retry;
        let mut attempt = 1u32;
        let mut current = request;
        loop {
            // A request whose body cannot be replayed is sent once.
            let spare = if attempt < policy.max_attempts {
                replayable_copy(&current)
            } else {
                None
            };
            let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
            if let Some(limit) = [self.inner.attempt_timeout, remaining]
                .into_iter()
                .flatten()
                .min()
            {
                *current.timeout_mut() = Some(limit);
            }
            self.authenticate(&mut current, &signer::sdk_date(chrono::Utc::now()));
            let span = tracing::info_span!(
                "bss.call",
                operation = id,
                method = %current.method(),
                path = current.url().path(),
                attempt,
                status = tracing::field::Empty,
                request_id = tracing::field::Empty,
                duration_ms = tracing::field::Empty,
            );
            let attempt_started = Instant::now();
            let result = fetch(client, current).instrument(span.clone()).await;
            span.record("duration_ms", attempt_started.elapsed().as_millis() as u64);
            let (outcome, retry_after) = match &result {
                Ok(response) => {
                    span.record("status", response.status().as_u16());
                    if let Some(rid) = response
                        .headers()
                        .get(REQUEST_ID_HEADER)
                        .and_then(|v| v.to_str().ok())
                    {
                        span.record("request_id", rid);
                    }
                    (
                        Outcome::Status(response.status().as_u16()),
                        retry::retry_after(response.headers()),
                    )
                }
                Err(err) if err.is_connect() => (Outcome::ConnectFailed, None),
                Err(_) => (Outcome::FailedAfterSend, None),
            };
            let wait = policy.backoff(attempt, retry_after);
            let in_time = deadline.is_none_or(|d| Instant::now() + wait < d);
            match spare {
                Some(copy) if in_time && retry::is_retryable(kind, outcome) => {
                    tracing::info!(parent: &span, ?outcome, wait_ms = wait.as_millis() as u64, "retrying");
                    drop(result);
                    tokio::time::sleep(wait).await;
                    current = copy;
                    attempt += 1;
                }
                _ => {
                    tracing::debug!(parent: &span, ?outcome, "final attempt");
                    return result;
                }
            }
        }
    }

    /// Adds the authentication headers to `request`, signing it with `date` as `X-Sdk-Date` for
    /// AK/SK credentials.
    pub fn authenticate(&self, request: &mut reqwest::Request, date: &str) {
        let headers = request.headers_mut();
        match &self.inner.credentials {
            Credentials::Token { token, domain_id } => {
                insert(headers, X_AUTH_TOKEN, token.expose(), true);
                if let Some(id) = domain_id {
                    insert(headers, X_DOMAIN_ID, id, false);
                }
            }
            Credentials::AkSk {
                ak,
                sk,
                security_token,
                domain_id,
            } => {
                insert(headers, X_SDK_DATE, date, false);
                if let Some(token) = security_token {
                    insert(headers, X_SECURITY_TOKEN, token.expose(), true);
                }
                if let Some(id) = domain_id {
                    insert(headers, X_DOMAIN_ID, id, false);
                }
                let url = request.url();
                let host = match (url.host_str().unwrap_or_default(), url.port()) {
                    (host, None) => Cow::Borrowed(host),
                    (host, Some(port)) => Cow::Owned(format!("{host}:{port}")),
                };
                let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
                let signature = signer::sign(
                    &SignableRequest {
                        method: request.method().as_str(),
                        path: url.path(),
                        query: &query,
                        headers: &signed_headers(&host, request.headers()),
                        body: request
                            .body()
                            .and_then(|b| b.as_bytes())
                            .unwrap_or_default(),
                    },
                    ak,
                    sk.expose(),
                    date,
                    &Algorithm::HmacSha256,
                );
                let headers = request.headers_mut();
                // The signature string becomes the header value without a copy.
                insert(headers, AUTHORIZATION, signature.authorization, true);
            }
        }
    }
}

/// Credentials were validated as header-safe ASCII, so these values always convert.
fn insert<V: TryInto<HeaderValue>>(
    headers: &mut HeaderMap,
    name: HeaderName,
    value: V,
    sensitive: bool,
) {
    if let Ok(mut value) = value.try_into() {
        value.set_sensitive(sensitive);
        headers.insert(name, value);
    }
}

/// The headers that take part in signing: `host`, `content-type`, and every `x-` header whose
/// name has no underscore (the official SDKs leave those out).
fn signed_headers<'a>(host: &'a str, headers: &'a HeaderMap) -> Vec<(&'a str, &'a str)> {
    let mut signed = Vec::with_capacity(headers.len() + 1);
    signed.push(("host", host));
    for (name, value) in headers {
        let name = name.as_str();
        let take = name == "content-type" || (name.starts_with("x-") && !name.contains('_'));
        if take && let Ok(value) = value.to_str() {
            signed.push((name, value));
        }
    }
    signed
}

/// A copy of `request` for another attempt, or `None` when its body cannot be replayed.
/// `reqwest::Request::try_clone` would also build an extension map to record an unset timeout:
/// three allocations per call for nothing.
fn replayable_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
    let body = match request.body() {
        Some(body) => Some(reqwest::Body::from(Bytes::copy_from_slice(
            body.as_bytes()?,
        ))),
        None => None,
    };
    let mut copy = reqwest::Request::new(request.method().clone(), request.url().clone());
    *copy.headers_mut() = request.headers().clone();
    *copy.version_mut() = request.version();
    if let Some(timeout) = request.timeout() {
        *copy.timeout_mut() = Some(*timeout);
    }
    *copy.body_mut() = body;
    Some(copy)
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

/// Sends one attempt and reads the whole body, so that a connection that breaks mid-body fails
/// the attempt (and can be retried) rather than the decoding after it. An error response whose
/// body is not a JSON object gets a JSON body `{"raw_body": "…"}` so that the error type keeps
/// the status, the request id and what the server said.
async fn fetch(
    client: &reqwest::Client,
    request: reqwest::Request,
) -> reqwest::Result<reqwest::Response> {
    let mut response = client.execute(request).await?;
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let mut headers = std::mem::take(response.headers_mut());
    let bytes = response.bytes().await?;
    let is_object = status.as_u16() < 400
        || serde_json::from_slice::<Value>(&bytes).is_ok_and(|v| v.is_object());
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
    // Keeping the response's URL spares reqwest parsing a placeholder one for every response.
    // The builder cannot fail on an already typed status and version; if it ever did, the
    // response is still rebuilt, without its URL.
    let mut rebuilt = match http::Response::builder()
        .status(status)
        .version(version)
        .url(url)
        .body(())
    {
        Ok(response) => response.map(|()| body),
        Err(_) => {
            let mut response = http::Response::new(body);
            *response.status_mut() = status;
            *response.version_mut() = version;
            response
        }
    };
    *rebuilt.headers_mut() = headers;
    Ok(reqwest::Response::from(rebuilt))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_replayable_copy_keeps_everything_that_is_sent() {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            "http://127.0.0.1:1/v2/partners/sub-customers/query?x=1"
                .parse()
                .unwrap(),
        );
        request
            .headers_mut()
            .insert("content-type", HeaderValue::from_static("application/json"));
        *request.body_mut() = Some(reqwest::Body::from(r#"{"offset":0,"limit":100}"#));
        *request.version_mut() = http::Version::HTTP_11;
        let copy = replayable_copy(&request).unwrap();
        assert_eq!(copy.method(), request.method());
        assert_eq!(copy.url(), request.url());
        assert_eq!(copy.headers(), request.headers());
        assert_eq!(copy.version(), request.version());
        assert_eq!(copy.timeout(), None);
        assert_eq!(
            copy.body().and_then(|b| b.as_bytes()),
            Some(&br#"{"offset":0,"limit":100}"#[..])
        );

        *request.timeout_mut() = Some(Duration::from_secs(7));
        *request.body_mut() = None;
        let copy = replayable_copy(&request).unwrap();
        assert_eq!(copy.timeout(), Some(&Duration::from_secs(7)));
        assert!(copy.body().is_none());

        // A streamed body cannot be sent twice.
        let chunks: Vec<Result<Bytes, std::io::Error>> = vec![Ok(Bytes::from_static(b"{}"))];
        *request.body_mut() = Some(reqwest::Body::wrap_stream(futures::stream::iter(chunks)));
        assert!(replayable_copy(&request).is_none());
    }
}
