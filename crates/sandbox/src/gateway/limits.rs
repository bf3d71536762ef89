//! Reading a request body within the gateway's limits: a declared length over the limit is
//! refused before a byte of the body is read, a streamed body is counted as it arrives and
//! refused as soon as it passes the limit, broken framing is a 400, and a body that stops
//! arriving is abandoned after the body timeout.

use std::time::Duration;

use bytes::Bytes;
use http_body_util::{BodyExt, LengthLimitError, Limited};

use crate::ApiError;

/// AK/SK-signed requests may carry at most 12 MB (12 × 2²⁰ bytes) of body.
pub(crate) const MAX_BODY: usize = 12 << 20;

/// Why a body was not read.
pub(crate) enum Unread {
    /// Answer with this error (and close the connection).
    Refuse(ApiError),
    /// Drop the connection without an answer: the client stopped sending.
    Abandon,
}

/// Reads `body` whole, if it is at most `max` bytes and arrives within `timeout`.
pub(crate) async fn read_body<B>(
    headers: &http::HeaderMap,
    body: B,
    max: usize,
    timeout: Duration,
) -> Result<Bytes, Unread>
where
    B: hyper::body::Body<Data = Bytes>,
    B::Error: Into<Box<dyn std::error::Error + Send + Sync>>,
{
    let declared = headers
        .get(http::header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok());
    if declared.is_some_and(|length| length > max as u64) {
        return Err(Unread::Refuse(too_large()));
    }
    match tokio::time::timeout(timeout, Limited::new(body, max).collect()).await {
        Err(_elapsed) => Err(Unread::Abandon),
        Ok(Ok(collected)) => Ok(collected.to_bytes()),
        Ok(Err(err)) if err.downcast_ref::<LengthLimitError>().is_some() => {
            Err(Unread::Refuse(too_large()))
        }
        Ok(Err(_broken)) => Err(Unread::Refuse(ApiError {
            status: 400,
            code: "APIGW.0201",
            message: "Bad request: the request body is not well framed".into(),
        })),
    }
}

/// The gateway's 413.
fn too_large() -> ApiError {
    ApiError {
        status: 413,
        code: "APIGW.0201",
        message: "Request entity too large".into(),
    }
}
