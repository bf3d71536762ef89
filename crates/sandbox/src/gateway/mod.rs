//! The sandbox's HTTP gateway layer: what the real API gateway does before a request reaches
//! BSS. Connections are accepted and bounded ([`accept`]), bodies are read within limits
//! ([`limits`]), signatures, dates and body hashes are checked ([`auth`]), requests are counted
//! against the per-key rate limit ([`rate`]) and faults injected ([`faults`]); only then does
//! `Sandbox::answer` route and dispatch.

pub(crate) mod accept;
pub(crate) mod auth;
pub(crate) mod faults;
pub(crate) mod limits;
pub(crate) mod rate;

use bytes::Bytes;
use serde_json::{Value, json};

use crate::{ApiError, Sandbox};

impl Sandbox {
    /// Answers one request whose body has been read. Authentication, the rate limit and fault
    /// injection are decided when the request arrives; the configured latency is then served
    /// before every answer (a throttled or refused one too, as the network would), and only an
    /// admitted request reaches the handlers.
    pub async fn handle(&self, request: http::Request<Bytes>) -> http::Response<Bytes> {
        let admitted = self.admit(&request);
        self.wait().await;
        self.respond(admitted.and_then(|ak| self.answer(&request, &ak)))
    }

    /// The gateway's checks, in its order: the signature, the rate limit, then injected faults.
    /// Returns the access key that signed the request.
    fn admit(&self, request: &http::Request<Bytes>) -> Result<String, ApiError> {
        let access_key = self.authenticate(request)?;
        if let Some(rate) = &self.rate
            && !rate.admit(&access_key)
        {
            return Err(faults::throttled(rate.limit()));
        }
        self.inject_faults()?;
        Ok(access_key)
    }

    /// Serves the configured latency.
    pub(crate) async fn wait(&self) {
        if !self.config.latency.is_zero() {
            tokio::time::sleep(self.config.latency).await;
        }
    }

    /// The HTTP answer to an outcome: 200 with the value, or the error's status with the
    /// gateway's error body. Every answer carries a fresh `X-Request-Id`.
    pub(crate) fn respond(&self, outcome: Result<Value, ApiError>) -> http::Response<Bytes> {
        let request_id = request_id();
        let (status, body) = match outcome {
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
}

/// A fresh request id: 128 random bits from a generator seeded per process from the system's
/// randomness, not from the data seed, so ids differ per request and between runs while the
/// data set stays deterministic.
fn request_id() -> String {
    format!("{:016x}{:016x}", fastrand::u64(..), fastrand::u64(..))
}
