//! The per-client context every generated client carries: the configuration, and the request
//! path that runs each call through its phases: authentication (`auth`: credentials to signed
//! headers), transport (`transport`: one attempt, its replayable copy, the rebuilt response)
//! and retry ([`crate::retry`]), with the client's rate limit before every attempt.

use std::fmt;
use std::sync::Arc;
use std::time::{Duration, Instant};

use tracing::Instrument;

use crate::auth;
use crate::base_url::BaseUrl;
use crate::classify::Outcome;
use crate::credentials::Credentials;
use crate::endpoint::Site;
use crate::error::{Error, REQUEST_ID_HEADER};
use crate::meta::{Operation, OperationKind, SiteScope};
use crate::rate_limit::RateLimiter;
use crate::retry::{self, RetryPolicy, Tried};
use crate::signer;
use crate::transport;

/// The configuration a [`Context`] is made from (the facade's `ClientBuilder` fills it in).
#[derive(Debug)]
pub struct Settings {
    /// The credentials requests are authenticated with.
    pub credentials: Credentials,
    /// The site: an operation of the other site fails before sending.
    pub site: Site,
    /// The retry policy.
    pub retry: RetryPolicy,
    /// Limits each attempt (connection, request and response body).
    pub attempt_timeout: Option<Duration>,
    /// Limits the whole operation, retries and backoff included.
    pub operation_timeout: Option<Duration>,
    /// Attempts a second, shared by every call through the client (`None`: no limit).
    pub rate_limit: Option<f64>,
    /// Validate, build and sign each request, then return it in an
    /// [`crate::ErrorKind::DryRun`] error instead of sending it.
    pub dry_run: bool,
}

impl Settings {
    /// The defaults with `credentials`: China site, default retries, no timeout beyond the HTTP
    /// client's, no rate limit.
    pub fn new(credentials: Credentials) -> Self {
        Settings {
            credentials,
            site: Site::default(),
            retry: RetryPolicy::default(),
            attempt_timeout: None,
            operation_timeout: None,
            rate_limit: None,
            dry_run: false,
        }
    }
}

/// What every generated client shares: the configuration and the request path.
#[derive(Clone)]
pub struct Context {
    inner: Arc<Inner>,
}

struct Inner {
    settings: Settings,
    /// Shared by every clone of the context, so every call through a client waits its turn.
    limiter: Option<Arc<RateLimiter>>,
    base_url: BaseUrl,
}

impl fmt::Debug for Context {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Context")
            .field("settings", &self.inner.settings)
            .finish()
    }
}

impl Context {
    /// A context with `settings`, once the credentials and the rate limit are checked.
    pub fn new(settings: Settings) -> Result<Context, Error> {
        settings.credentials.validate()?;
        let limiter = match settings.rate_limit {
            None => None,
            Some(rate) if rate.is_finite() && rate > 0.0 => Some(Arc::new(RateLimiter::new(rate))),
            Some(_) => return Err(Error::invalid_input("rate_limit", "must be above zero")),
        };
        Ok(Context {
            inner: Arc::new(Inner {
                settings,
                limiter,
                base_url: BaseUrl::default(),
            }),
        })
    }

    /// The credentials requests are authenticated with.
    pub fn credentials(&self) -> &Credentials {
        &self.inner.settings.credentials
    }

    /// The site.
    pub fn site(&self) -> Site {
        self.inner.settings.site
    }

    /// Whether `operation` exists on this context's site; the message says why not.
    pub fn check_site(&self, operation: Option<&Operation>) -> Result<(), String> {
        match operation {
            Some(op)
                if op.site == SiteScope::InternationalOnly
                    && self.site() != Site::International =>
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
    /// operations only a customer may call. The rate limit stays shared.
    pub fn with_credentials(&self, credentials: Credentials) -> Result<Context, Error> {
        credentials.validate()?;
        let settings = &self.inner.settings;
        Ok(Context {
            inner: Arc::new(Inner {
                settings: Settings {
                    credentials,
                    retry: settings.retry.clone(),
                    ..*settings
                },
                limiter: self.inner.limiter.clone(),
                base_url: self.inner.base_url.clone(),
            }),
        })
    }

    /// Parses a request URL that the generated clients build as `base` followed by a path and
    /// query, parsing `base` only once per context. Called by the generated clients.
    pub fn request_url(&self, base: &str, url: &str) -> Result<reqwest::Url, String> {
        self.inner.base_url.join(base, url)
    }

    /// Sends `operation`'s request with `client` through the phases: each attempt waits for the
    /// rate limit, is authenticated (signed afresh), bounded by the attempt and operation
    /// timeouts and sent; failures are retried as the classifier allows for the operation's
    /// kind (an unknown operation is treated as a state change). An error body that is not JSON
    /// is kept for the error type. Called by the generated clients' hooks.
    pub async fn execute(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        operation: Option<&'static Operation>,
    ) -> reqwest::Result<reqwest::Response> {
        let settings = &self.inner.settings;
        let id = operation.map_or("unknown", |op| op.id);
        let kind = operation.map_or(OperationKind::StateChange, |op| op.kind);
        auth::normalize_query(&mut request);
        if settings.dry_run {
            auth::authenticate(&settings.credentials, &mut request, &now());
            return Ok(crate::prepared::placeholder(&request));
        }
        let deadline = settings.operation_timeout.map(|t| Instant::now() + t);
        retry::run(
            &settings.retry,
            kind,
            deadline,
            request,
            transport::replayable_copy,
            |request, attempt| self.attempt(client, request, id, attempt, deadline),
        )
        .await
    }

    /// One attempt: rate limit, timeouts, authentication, transport, and what the retry loop
    /// needs to know of its outcome.
    async fn attempt(
        &self,
        client: &reqwest::Client,
        mut request: reqwest::Request,
        id: &'static str,
        attempt: u32,
        deadline: Option<Instant>,
    ) -> Tried<reqwest::Result<reqwest::Response>> {
        let settings = &self.inner.settings;
        if let Some(limiter) = &self.inner.limiter {
            limiter.acquire().await;
        }
        let remaining = deadline.map(|d| d.saturating_duration_since(Instant::now()));
        if let Some(limit) = [settings.attempt_timeout, remaining]
            .into_iter()
            .flatten()
            .min()
        {
            *request.timeout_mut() = Some(limit);
        }
        auth::authenticate(&settings.credentials, &mut request, &now());
        let span = tracing::info_span!(
            "bss.call",
            operation = id,
            method = %request.method(),
            path = request.url().path(),
            url = %request.url(),
            attempt,
            status = tracing::field::Empty,
            request_id = tracing::field::Empty,
            duration_ms = tracing::field::Empty,
            reason = tracing::field::Empty,
        );
        let started = Instant::now();
        let result = transport::send(client, request)
            .instrument(span.clone())
            .await;
        span.record("duration_ms", started.elapsed().as_millis() as u64);
        match result {
            Ok(answer) => {
                let response = answer.response;
                span.record("status", response.status().as_u16());
                if let Some(rid) = response
                    .headers()
                    .get(REQUEST_ID_HEADER)
                    .and_then(|v| v.to_str().ok())
                {
                    span.record("request_id", rid);
                }
                Tried {
                    outcome: Outcome::Status(response.status().as_u16()),
                    code: answer.error_code,
                    retry_after: retry::retry_after(response.headers()),
                    result: Ok(response),
                    span,
                }
            }
            Err(err) => Tried {
                outcome: if err.is_connect() {
                    Outcome::ConnectFailed
                } else {
                    Outcome::FailedAfterSend
                },
                code: None,
                retry_after: None,
                result: Err(err),
                span,
            },
        }
    }
}

/// The `X-Sdk-Date` of a request signed now.
fn now() -> String {
    signer::sdk_date(chrono::Utc::now())
}
