//! The answers the generated `Then` wrappers give beyond a typed 2xx body: a BSS error, and an
//! HTTP 200 that reports items that failed.

use serde::Serialize;
use serde_json::{Map, Value};

/// The header BSS returns the request id in.
const REQUEST_ID_HEADER: &str = "X-Request-Id";

/// A BSS error answer: an HTTP status (4xx or 5xx), an `error_code`, an `error_msg` and a
/// request id, as the service and its API gateway send them. The client under test sees them as
/// `Error::status()`, `code()`, `message()` and `request_id()`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BssError {
    /// The HTTP status.
    pub status: u16,
    /// The error code (`CBC.0100`, `APIGW.0308`).
    pub code: String,
    /// The error message.
    pub message: String,
    /// The request id, sent in the `X-Request-Id` header (and in the body for gateway errors,
    /// whose codes start with `APIGW.`).
    pub request_id: Option<String>,
}

impl BssError {
    /// An error with `status`, `code` and `message`, and no request id.
    pub fn new(status: u16, code: impl Into<String>, message: impl Into<String>) -> Self {
        BssError {
            status,
            code: code.into(),
            message: message.into(),
            request_id: None,
        }
    }

    /// The same error carrying `request_id`.
    pub fn with_request_id(mut self, request_id: impl Into<String>) -> Self {
        self.request_id = Some(request_id.into());
        self
    }

    /// 400 `CBC.0100`: a parameter the service rejects.
    pub fn invalid_parameter(message: impl Into<String>) -> Self {
        BssError::new(400, "CBC.0100", message)
    }

    /// 401 `APIGW.0301`: the signature or the credentials are wrong.
    pub fn authentication() -> Self {
        BssError::new(
            401,
            "APIGW.0301",
            "Incorrect IAM authentication information: verify aksk signature fail",
        )
    }

    /// 429 `APIGW.0308`: the throttling threshold has been reached.
    pub fn throttled() -> Self {
        BssError::new(
            429,
            "APIGW.0308",
            "The throttling threshold has been reached",
        )
    }

    /// 500 `CBC.0999`: a server-side failure.
    pub fn server() -> Self {
        BssError::new(500, "CBC.0999", "System error")
    }

    /// The JSON body of the answer.
    pub fn body(&self) -> Value {
        let mut body = Map::new();
        body.insert("error_code".into(), Value::String(self.code.clone()));
        body.insert("error_msg".into(), Value::String(self.message.clone()));
        if let Some(id) = &self.request_id
            && self.code.starts_with("APIGW.")
        {
            body.insert("request_id".into(), Value::String(id.clone()));
        }
        Value::Object(body)
    }

    /// Configures `then` to give this answer.
    pub(crate) fn answer(&self, then: httpmock::Then) -> httpmock::Then {
        let then = then
            .status(self.status)
            .header("content-type", "application/json");
        let then = match &self.request_id {
            Some(id) => then.header(REQUEST_ID_HEADER, id),
            None => then,
        };
        then.json_body(self.body())
    }

    /// The same answer as a standalone response (for `respond_with`).
    pub(crate) fn response(&self) -> httpmock::HttpMockResponse {
        let builder = httpmock::HttpMockResponse::builder()
            .status(self.status)
            .header("content-type", "application/json");
        let builder = match &self.request_id {
            Some(id) => builder.header(REQUEST_ID_HEADER, id),
            None => builder,
        };
        builder.body(self.body().to_string()).build()
    }
}

/// Configures `then` to answer HTTP 200 with `response`, its `field` replaced by `failed`: a
/// batch operation that failed for some items. A response that does not serialize to a JSON
/// object is answered with a 500 saying so, so the test fails with a reason.
pub(crate) fn partial_failure<R: Serialize, I: Serialize>(
    then: httpmock::Then,
    response: &R,
    field: &str,
    failed: &[I],
) -> httpmock::Then {
    let body = match (serde_json::to_value(response), serde_json::to_value(failed)) {
        (Ok(Value::Object(mut body)), Ok(failed)) => {
            body.insert(field.to_string(), failed);
            body
        }
        _ => {
            return then.status(500).body(
                "huaweicloud-bss-mock: the partial-failure response does not serialize to a JSON object",
            );
        }
    };
    then.status(200)
        .header("content-type", "application/json")
        .json_body(Value::Object(body))
}
