//! An offline BSS for trying, demonstrating and testing against: it serves the operations of the
//! specs over a deterministic seeded data set, verifies AK/SK signatures, pages for real, answers
//! invalid input with `CBC.0100`, and its writes change what later reads return. Faults can be
//! injected (latency, throttling, server errors) to test clients.
//!
//! Requests are routed and checked with the same operation metadata the clients are generated
//! with, and responses are built from the generated types, so the sandbox cannot drift from the
//! specs.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

mod calendar;
mod gateway;
mod groups;
mod handlers;
mod reply;
mod route;
mod world;

use std::convert::Infallible;
use std::net::SocketAddr;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, Full};
use huaweicloud_bss::meta::{Location, Operation};
use huaweicloud_bss::signer::{ReceivedRequest, verify};
use huaweicloud_bss::validate;
use serde_json::{Map, Value, json};

pub use world::World;

/// The access key of the built-in demo credentials.
pub const DEMO_AK: &str = "HCBSSSANDBOXDEMOAK001";
/// The secret key of the built-in demo credentials (public on purpose: it only opens the sandbox).
pub const DEMO_SK: &str = "hcbss-sandbox-demo-secret-key";

/// How the sandbox behaves.
#[derive(Clone, Debug)]
pub struct Config {
    /// Accepted access keys and their secret keys.
    pub credentials: Vec<(String, String)>,
    /// The seed of the data set and of the fault injection.
    pub seed: u64,
    /// Added to every answer.
    pub latency: Duration,
    /// Share of requests answered 429 `APIGW.0308` (0 to 1).
    pub throttle_rate: f64,
    /// Share of requests answered 500 `CBC.0999` (0 to 1).
    pub error_rate: f64,
    /// At most this many requests per second per access key (a token bucket with a burst of
    /// the same size); the rest are answered 429 `APIGW.0308` before any handler work. `None`
    /// (the default) is unlimited.
    pub rate_limit: Option<u32>,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            credentials: vec![(DEMO_AK.to_string(), DEMO_SK.to_string())],
            seed: 20_240_101,
            latency: Duration::ZERO,
            throttle_rate: 0.0,
            error_rate: 0.0,
            rate_limit: None,
        }
    }
}

/// An error answer: HTTP status, error code and message.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ApiError {
    /// HTTP status.
    pub status: u16,
    /// Error code (`CBC.0100`, `APIGW.0301`, …).
    pub code: &'static str,
    /// Error message.
    pub message: String,
}

impl ApiError {
    /// `400 CBC.0100`: the input breaks a documented rule.
    pub fn invalid(message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code: "CBC.0100",
            message: message.into(),
        }
    }

    /// `403 CBC.0150`: the operation is not allowed in the object's current state; the message
    /// follows "Illegal operation: ".
    pub fn illegal(message: impl std::fmt::Display) -> Self {
        ApiError {
            status: 403,
            code: "CBC.0150",
            message: format!("Illegal operation: {message}"),
        }
    }

    /// A business error with its own code, answered with 400.
    pub fn business(code: &'static str, message: impl Into<String>) -> Self {
        ApiError {
            status: 400,
            code,
            message: message.into(),
        }
    }
}

/// One decoded call: the operation, its path parameters, query, and JSON body.
pub struct Call<'a> {
    /// The operation called.
    pub operation: &'static Operation,
    /// Path parameters by name.
    pub path: Map<String, Value>,
    /// Query pairs, decoded.
    pub query: Vec<(String, String)>,
    /// The JSON body (`{}` when there was none).
    pub body: Value,
    /// The access key that signed the call.
    pub access_key: &'a str,
}

impl Call<'_> {
    /// A query parameter.
    pub fn query(&self, name: &str) -> Option<&str> {
        self.query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A string parameter from the query or the body.
    pub fn text(&self, name: &str) -> Option<String> {
        self.query(name).map(str::to_string).or_else(|| {
            self.body
                .get(name)
                .and_then(Value::as_str)
                .map(str::to_string)
        })
    }

    /// The paging window, wherever the operation takes it: (offset, limit).
    pub fn window(&self, default_limit: usize) -> (usize, usize) {
        let number = |name: &str| {
            self.query(name)
                .and_then(|v| v.parse::<usize>().ok())
                .or_else(|| {
                    self.body
                        .get(name)
                        .and_then(Value::as_u64)
                        .map(|v| v as usize)
                })
        };
        (
            number("offset").unwrap_or(0),
            number("limit").unwrap_or(default_limit),
        )
    }
}

/// The sandbox: its configuration, its data, and its fault dice.
pub struct Sandbox {
    config: Config,
    world: Mutex<World>,
    dice: Mutex<fastrand::Rng>,
    rate: Option<gateway::rate::RateLimit>,
}

impl Sandbox {
    /// A sandbox over the data set `config.seed` makes.
    pub fn new(config: Config) -> Arc<Sandbox> {
        Arc::new(Sandbox {
            world: Mutex::new(World::seeded(config.seed)),
            dice: Mutex::new(fastrand::Rng::with_seed(config.seed ^ 0x5eed)),
            rate: config.rate_limit.map(gateway::rate::RateLimit::new),
            config,
        })
    }

    /// Answers one request. Authentication, the rate limit and fault injection are decided when
    /// the request arrives; the configured latency is then served before every answer (a
    /// throttled or refused one too, as the network would), and only an admitted request reaches
    /// the handlers.
    pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let request_id = self.request_id();
        let admitted = self.admit(&request);
        if !self.config.latency.is_zero() {
            tokio::time::sleep(self.config.latency).await;
        }
        let (status, body) = match admitted.and_then(|ak| self.answer(&request, &ak)) {
            Ok(value) => (200, value),
            Err(err) => (
                err.status,
                json!({"error_code": err.code, "error_msg": err.message, "request_id": request_id}),
            ),
        };
        let mut response = http::Response::new(Bytes::from(body.to_string()));
        *response.status_mut() =
            http::StatusCode::from_u16(status).unwrap_or(http::StatusCode::INTERNAL_SERVER_ERROR);
        let headers = response.headers_mut();
        headers.insert(
            http::header::CONTENT_TYPE,
            http::HeaderValue::from_static("application/json;charset=UTF-8"),
        );
        if let Ok(id) = http::HeaderValue::from_str(&request_id) {
            headers.insert("x-request-id", id);
        }
        response
    }

    fn request_id(&self) -> String {
        let mut dice = self.dice.lock().unwrap_or_else(|e| e.into_inner());
        format!("{:016x}{:016x}", dice.u64(..), dice.u64(..))
    }

    fn roll(&self, rate: f64) -> bool {
        rate > 0.0 && self.dice.lock().unwrap_or_else(|e| e.into_inner()).f64() < rate
    }

    /// The gateway's checks, in its order: the signature, the rate limit, then injected faults.
    /// Returns the access key that signed the request.
    fn admit(&self, request: &http::Request<Bytes>) -> Result<String, ApiError> {
        let access_key = self.authenticate(request)?;
        if let Some(rate) = &self.rate
            && !rate.admit(&access_key)
        {
            return Err(throttled(rate.limit()));
        }
        if self.roll(self.config.throttle_rate) {
            return Err(throttled(20));
        }
        if self.roll(self.config.error_rate) {
            return Err(ApiError {
                status: 500,
                code: "CBC.0999",
                message: "Other errors (injected by the sandbox)".into(),
            });
        }
        Ok(access_key)
    }

    fn answer(&self, request: &http::Request<Bytes>, access_key: &str) -> Result<Value, ApiError> {
        let (operation, path) = route::find(request.method().as_str(), request.uri().path())
            .ok_or_else(|| ApiError {
                status: 404,
                code: "APIGW.0101",
                message: format!(
                    "The API does not exist or has not been published: {} {}",
                    request.method(),
                    request.uri().path()
                ),
            })?;
        let query = query_pairs(request.uri().query());
        let body = if request.body().is_empty() {
            json!({})
        } else {
            serde_json::from_slice(request.body())
                .map_err(|e| ApiError::invalid(format!("the body is not valid JSON: {e}")))?
        };
        check(operation, &query, request.headers(), &body)?;
        let call = Call {
            operation,
            path,
            query,
            body,
            access_key,
        };
        let mut world = self.world.lock().unwrap_or_else(|e| e.into_inner());
        handlers::dispatch(&mut world, &call)
    }

    /// Checks the AK/SK signature (or accepts nothing else): `401 APIGW.0301` otherwise.
    fn authenticate(&self, request: &http::Request<Bytes>) -> Result<String, ApiError> {
        let headers: Vec<(String, String)> = request
            .headers()
            .iter()
            .filter_map(|(n, v)| Some((n.as_str().to_string(), v.to_str().ok()?.to_string())))
            .chain(
                request
                    .headers()
                    .get(http::header::HOST)
                    .is_none()
                    .then(|| {
                        request
                            .uri()
                            .authority()
                            .map(|a| ("host".into(), a.to_string()))
                    })
                    .flatten(),
            )
            .collect();
        let query = query_pairs(request.uri().query());
        verify(
            &ReceivedRequest {
                method: request.method().as_str(),
                path: request.uri().path(),
                query: &query,
                headers: &headers,
                body: request.body(),
            },
            |ak| {
                self.config
                    .credentials
                    .iter()
                    .find(|(a, _)| a == ak)
                    .map(|(_, sk)| sk.clone())
            },
        )
        .map_err(|why| ApiError {
            status: 401,
            code: "APIGW.0301",
            message: format!(
                "Incorrect IAM authentication information: verify aksk signature fail ({why})"
            ),
        })
    }

    /// Serves HTTP/1.1 on `listener` until the task is dropped.
    pub async fn serve(self: Arc<Self>, listener: tokio::net::TcpListener) -> std::io::Result<()> {
        loop {
            let (stream, _) = listener.accept().await?;
            let sandbox = self.clone();
            tokio::spawn(async move {
                let service = hyper::service::service_fn(
                    move |request: http::Request<hyper::body::Incoming>| {
                        let sandbox = sandbox.clone();
                        async move {
                            let (parts, body) = request.into_parts();
                            let bytes = body
                                .collect()
                                .await
                                .map(|c| c.to_bytes())
                                .unwrap_or_default();
                            let response = sandbox
                                .handle(http::Request::from_parts(parts, bytes))
                                .await;
                            Ok::<_, Infallible>(response.map(Full::new))
                        }
                    },
                );
                let io = hyper_util::rt::TokioIo::new(stream);
                let _ = hyper::server::conn::http1::Builder::new()
                    .serve_connection(io, service)
                    .await;
            });
        }
    }

    /// Starts serving on `addr` (use port 0 for any free port) and returns the bound address.
    pub async fn start(self: Arc<Self>, addr: SocketAddr) -> std::io::Result<Running> {
        let listener = tokio::net::TcpListener::bind(addr).await?;
        let addr = listener.local_addr()?;
        let task = tokio::spawn(self.serve(listener));
        Ok(Running { addr, task })
    }
}

/// A sandbox serving in the background; dropping it stops it.
pub struct Running {
    addr: SocketAddr,
    task: tokio::task::JoinHandle<std::io::Result<()>>,
}

impl Running {
    /// The address it serves on.
    pub fn addr(&self) -> SocketAddr {
        self.addr
    }

    /// Its base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The gateway's 429: `APIGW.0308` with its message. The real gateway sends no `Retry-After`,
/// so neither does the sandbox.
fn throttled(limit: u32) -> ApiError {
    ApiError {
        status: 429,
        code: "APIGW.0308",
        message: format!(
            "The throttling threshold has been reached: policy user over ratelimit, limit:{limit}, time:1 second"
        ),
    }
}

/// Decodes a query key or value (`+` is a space, as in forms).
fn decode(text: &str) -> String {
    percent_encoding::percent_decode_str(&text.replace('+', " "))
        .decode_utf8_lossy()
        .into_owned()
}

/// Decodes a query string into pairs.
fn query_pairs(query: Option<&str>) -> Vec<(String, String)> {
    query
        .unwrap_or("")
        .split('&')
        .filter(|p| !p.is_empty())
        .map(|pair| {
            let (k, v) = pair.split_once('=').unwrap_or((pair, ""));
            (decode(k), decode(v))
        })
        .collect()
}

/// The same rules the client checks before sending: required parameters, ranges, lengths, types.
fn check(
    operation: &Operation,
    query: &[(String, String)],
    headers: &http::HeaderMap,
    body: &Value,
) -> Result<(), ApiError> {
    for param in operation.params {
        match param.location {
            Location::Query => {
                let values: Vec<&String> = query
                    .iter()
                    .filter(|(k, _)| k == param.name)
                    .map(|(_, v)| v)
                    .collect();
                if values.is_empty() && param.required {
                    return Err(ApiError::invalid(format!("{}: required", param.name)));
                }
                for value in values {
                    validate::check_text(param, value).map_err(ApiError::invalid)?;
                }
            }
            Location::Header => {
                if let Some(value) = headers.get(param.name).and_then(|v| v.to_str().ok()) {
                    validate::check_text(param, value).map_err(ApiError::invalid)?;
                }
            }
            Location::Path | Location::Body => {}
        }
    }
    if operation.body != huaweicloud_bss::meta::BodyUse::None {
        validate::check_body(operation, body).map_err(ApiError::invalid)?;
    }
    Ok(())
}
