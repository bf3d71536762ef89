//! Authentication as the gateway does it: an AK/SK signature from a known access key, an
//! `X-Sdk-Date` within 15 minutes of the gateway's clock, and a body that matches the hash it
//! was signed with. Everything else is 401 `APIGW.0301`.
//!
//! The gateway does not reject replays: a request sent again byte for byte within the date
//! window is accepted again (and a write repeated), so the sandbox does the same.

use std::time::Duration;

use bytes::Bytes;
use huaweicloud_bss::signer::{self, ReceivedRequest, verify};

use crate::{ApiError, Sandbox, query_pairs};

/// How far `X-Sdk-Date` may be from the gateway's clock, either way.
const DATE_WINDOW: Duration = Duration::from_secs(15 * 60);

/// The `X-Sdk-Content-Sha256` value that leaves the body out of the signature.
const UNSIGNED_PAYLOAD: &str = "UNSIGNED-PAYLOAD";

impl Sandbox {
    /// The checks that need only the headers (a parsable `Authorization` from a known access
    /// key, a current `X-Sdk-Date`), made before a body is read so that an unauthenticated
    /// request costs no body memory.
    pub(crate) fn check_headers(&self, headers: &http::HeaderMap) -> Result<(), ApiError> {
        let authorization = headers
            .get(http::header::AUTHORIZATION)
            .and_then(|v| v.to_str().ok())
            .and_then(signer::parse_authorization)
            .ok_or_else(|| refused("missing or malformed Authorization header"))?;
        if self.secret_for(&authorization.access_key).is_none() {
            return Err(refused("unknown access key"));
        }
        let date = headers
            .get(signer::DATE_HEADER)
            .and_then(|v| v.to_str().ok())
            .ok_or_else(|| refused("X-Sdk-Date is missing"))?;
        let signed_at = chrono::NaiveDateTime::parse_from_str(date, signer::DATE_FORMAT)
            .map_err(|_| refused("X-Sdk-Date is not a YYYYMMDDTHHMMSSZ time"))?
            .and_utc();
        let skew = (chrono::Utc::now() - signed_at)
            .abs()
            .to_std()
            .unwrap_or(Duration::MAX);
        if skew > DATE_WINDOW {
            return Err(refused(
                "X-Sdk-Date is more than 15 minutes away from the gateway's clock",
            ));
        }
        Ok(())
    }

    /// Checks the whole request: the header checks, the body against a signed
    /// `X-Sdk-Content-Sha256`, and the signature. Returns the access key that signed it.
    pub(crate) fn authenticate(&self, request: &http::Request<Bytes>) -> Result<String, ApiError> {
        self.check_headers(request.headers())?;
        if let Some(claimed) = request
            .headers()
            .get("x-sdk-content-sha256")
            .and_then(|v| v.to_str().ok())
            .map(str::trim)
            && claimed != UNSIGNED_PAYLOAD
            && !claimed.eq_ignore_ascii_case(&signer::sha256_hex(request.body()))
        {
            return Err(refused("X-Sdk-Content-Sha256 does not match the body"));
        }
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
            |ak| self.secret_for(ak),
        )
        .map_err(refused)
    }

    /// The secret key of a configured access key.
    fn secret_for(&self, access_key: &str) -> Option<String> {
        self.config
            .credentials
            .iter()
            .find(|(ak, _)| ak == access_key)
            .map(|(_, sk)| sk.clone())
    }
}

/// The gateway's 401 `APIGW.0301`, saying why.
fn refused(why: impl std::fmt::Display) -> ApiError {
    ApiError {
        status: 401,
        code: "APIGW.0301",
        message: format!(
            "Incorrect IAM authentication information: verify aksk signature fail ({why})"
        ),
    }
}
