//! A request as it would be sent, for a dry run: method, URL, headers and body, with every
//! secret header value replaced by [`REDACTED`].

use bytes::Bytes;
use reqwest::header::{AUTHORIZATION, HeaderName};

/// What replaces the value of `Authorization`, `X-Security-Token` and `X-Auth-Token`.
pub const REDACTED: &str = "[redacted]";

/// The headers whose values are secrets or derived from one (the signature).
const SECRET_HEADERS: [HeaderName; 3] = [
    AUTHORIZATION,
    HeaderName::from_static("x-security-token"),
    HeaderName::from_static("x-auth-token"),
];

/// A validated, signed request that was not sent (see `ClientBuilder::dry_run`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PreparedRequest {
    /// The HTTP method.
    pub method: String,
    /// The full URL, query included, encoded as it is signed.
    pub url: String,
    /// The headers in the order they are sent, secret values redacted. The HTTP client adds
    /// `User-Agent`, `Host` and `Content-Length` when sending.
    pub headers: Vec<(String, String)>,
    /// The body bytes (empty when there is none).
    pub body: Bytes,
}

impl PreparedRequest {
    /// Copies `request`, redacting the secret header values. A streamed body (never built by
    /// the generated clients) is shown as empty.
    pub fn from_request(request: &reqwest::Request) -> Self {
        let headers = request
            .headers()
            .iter()
            .map(|(name, value)| {
                let value = if SECRET_HEADERS.contains(name) || value.is_sensitive() {
                    REDACTED.to_string()
                } else {
                    String::from_utf8_lossy(value.as_bytes()).into_owned()
                };
                (name.as_str().to_string(), value)
            })
            .collect();
        let body = request
            .body()
            .and_then(|b| b.as_bytes())
            .map(Bytes::copy_from_slice)
            .unwrap_or_default();
        PreparedRequest {
            method: request.method().to_string(),
            url: request.url().to_string(),
            headers,
            body,
        }
    }

    /// The value of header `name` (case-insensitive), as it is shown.
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The status of the placeholder response that carries a dry run out of the transport hook:
/// one no operation declares, so the generated code hands the response back untouched as an
/// unexpected response, where [`crate::Error`] finds the prepared request.
const DRY_RUN_STATUS: u16 = 399;

/// The placeholder response for a dry run of `request`.
pub(crate) fn placeholder(request: &reqwest::Request) -> reqwest::Response {
    let mut response = http::Response::new(Bytes::new());
    if let Ok(status) = reqwest::StatusCode::from_u16(DRY_RUN_STATUS) {
        *response.status_mut() = status;
    }
    response
        .extensions_mut()
        .insert(PreparedRequest::from_request(request));
    reqwest::Response::from(response)
}

/// The prepared request a placeholder response carries.
pub(crate) fn carried(response: &reqwest::Response) -> Option<PreparedRequest> {
    response.extensions().get::<PreparedRequest>().cloned()
}

#[cfg(test)]
mod tests {
    use super::*;
    use reqwest::header::HeaderValue;

    #[test]
    fn secrets_are_redacted_and_the_rest_kept() {
        let mut request = reqwest::Request::new(
            reqwest::Method::POST,
            "http://127.0.0.1:1/v2/x?a=1".parse().unwrap(),
        );
        let headers = request.headers_mut();
        headers.insert(
            AUTHORIZATION,
            HeaderValue::from_static("SDK-HMAC-SHA256 Signature=abc"),
        );
        headers.insert("x-security-token", HeaderValue::from_static("tok"));
        headers.insert("x-auth-token", HeaderValue::from_static("iam"));
        headers.insert("x-sdk-date", HeaderValue::from_static("20240101T000000Z"));
        *request.body_mut() = Some(reqwest::Body::from("{}"));
        let prepared = PreparedRequest::from_request(&request);
        assert_eq!(prepared.method, "POST");
        assert_eq!(prepared.url, "http://127.0.0.1:1/v2/x?a=1");
        for name in ["authorization", "x-security-token", "X-Auth-Token"] {
            assert_eq!(prepared.header(name), Some(REDACTED), "{name}");
        }
        assert_eq!(prepared.header("x-sdk-date"), Some("20240101T000000Z"));
        assert_eq!(&prepared.body[..], b"{}");
        let placeholder = placeholder(&request);
        assert_eq!(carried(&placeholder), Some(prepared));
    }
}
