//! The transport phase: sends one attempt, keeps a replayable copy of the request for the next
//! one, and rebuilds the response with its whole body read, peeking at the error code of an
//! error answer for the classifier.

use bytes::{Bytes, BytesMut};
use reqwest::ResponseBuilderExt;
use reqwest::header::HeaderValue;
use serde_json::{Value, json};

use crate::error::ErrorBody;

/// The most of an error body that is read: BSS and gateway error bodies are a few hundred
/// bytes; beyond this, the rest is not read, and the error keeps what was.
pub const ERROR_BODY_LIMIT: usize = 1 << 20;

/// One attempt's answer: the rebuilt response and, for an error answer, the `error_code` of its
/// body.
#[derive(Debug)]
pub struct Answer {
    /// The response, its body already read.
    pub response: reqwest::Response,
    /// The error body's `error_code` (any of the shapes [`ErrorBody`] reads).
    pub error_code: Option<String>,
}

/// A copy of `request` for another attempt, or `None` when its body cannot be replayed.
/// `reqwest::Request::try_clone` would also build an extension map to record an unset timeout:
/// three allocations per call for nothing.
pub fn replayable_copy(request: &reqwest::Request) -> Option<reqwest::Request> {
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

/// Sends one attempt and reads the whole body, so that a connection that breaks mid-body fails
/// the attempt (and can be retried) rather than the decoding after it. An error response whose
/// body is not a JSON object gets a JSON body `{"raw_body": "…"}` so that the error type keeps
/// the status, the request id and what the server said.
pub async fn send(client: &reqwest::Client, request: reqwest::Request) -> reqwest::Result<Answer> {
    let mut response = client.execute(request).await?;
    let status = response.status();
    let version = response.version();
    let url = response.url().clone();
    let mut headers = std::mem::take(response.headers_mut());
    let (bytes, is_object, error_code) = if status.as_u16() < 400 {
        (response.bytes().await?, true, None)
    } else {
        let bytes = read_bounded(&mut response, ERROR_BODY_LIMIT).await?;
        // The error code is peeked at from the bytes that are kept for the caller.
        match serde_json::from_slice::<Value>(&bytes) {
            Ok(value) if value.is_object() => {
                let code = ErrorBody::from_value(&value).error_code;
                (bytes, true, code)
            }
            _ => (bytes, false, None),
        }
    };
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
    Ok(Answer {
        response: reqwest::Response::from(rebuilt),
        error_code,
    })
}

/// Reads at most `limit` bytes of `response`'s body; a longer body is cut there (and, not
/// being JSON any more, kept as the error's raw body).
async fn read_bounded(response: &mut reqwest::Response, limit: usize) -> reqwest::Result<Bytes> {
    let mut body = BytesMut::new();
    while let Some(chunk) = response.chunk().await? {
        let room = limit - body.len();
        if chunk.len() >= room {
            body.extend_from_slice(&chunk[..room]);
            break;
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body.freeze())
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

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
