//! One error type for every operation: what went wrong, with the HTTP status, the error code and
//! message, the request id and, when the body did not parse, the raw body.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize};
use serde_json::Value;

use crate::classify::{self, Class, Outcome};
use crate::meta::{Operation, OperationKind};
use crate::prepared::{self, PreparedRequest};

/// Header carrying the request id on every response.
pub const REQUEST_ID_HEADER: &str = "x-request-id";

/// The error body of BSS and of the API gateway, decoded tolerantly: besides
/// `error_code`/`error_msg` it accepts `code`/`message` and the nested IAM shape
/// `{"error":{"code":…,"message":…}}`, and it never fails on unknown fields. A body that is not
/// JSON at all is kept in `raw_body` by the transport.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ErrorBody {
    /// Error code, e.g. `CBC.0100` or `APIGW.0301`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_code: Option<String>,
    /// Error message.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error_msg: Option<String>,
    /// Request id given in the body (gateway errors).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// Encoded authorization failure details.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub encoded_authorization_message: Option<String>,
    /// The body as received, when it was not a JSON object.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub raw_body: Option<String>,
}

impl<'de> Deserialize<'de> for ErrorBody {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        let value = Value::deserialize(deserializer)?;
        Ok(ErrorBody::from_value(&value))
    }
}

fn text(value: Option<&Value>) -> Option<String> {
    match value? {
        Value::String(s) if !s.is_empty() => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

impl ErrorBody {
    /// Extracts the error fields from any JSON value, as the official SDKs do.
    pub fn from_value(value: &Value) -> Self {
        let Some(map) = value.as_object() else {
            return ErrorBody {
                raw_body: Some(value.to_string()),
                ..ErrorBody::default()
            };
        };
        let mut body = ErrorBody {
            request_id: text(map.get("request_id")),
            encoded_authorization_message: text(map.get("encoded_authorization_message")),
            raw_body: text(map.get("raw_body")),
            ..ErrorBody::default()
        };
        let (code, msg) = (text(map.get("error_code")), text(map.get("error_msg")));
        if code.is_some() || msg.is_some() {
            body.error_code = code;
            body.error_msg = msg;
        } else if let (Some(code), Some(msg)) = (text(map.get("code")), text(map.get("message"))) {
            body.error_code = Some(code);
            body.error_msg = Some(msg);
        } else if let Some(nested) = map.values().find(|v| v.is_object()) {
            let inner = ErrorBody::from_value(nested);
            body.error_code = inner.error_code;
            body.error_msg = inner.error_msg;
        }
        body
    }
}

/// What kind of failure an [`Error`] is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The client is misconfigured (credentials, endpoint, options); nothing was sent.
    Configuration,
    /// The request broke a documented rule; nothing was sent.
    InvalidInput,
    /// The server answered with an error status.
    Api,
    /// The connection failed or broke.
    Transport,
    /// A timeout elapsed.
    Timeout,
    /// A response arrived but could not be decoded.
    Decode,
    /// A state change whose request may have reached the server but whose answer was lost
    /// (connection reset, timeout, truncated body): it may or may not have been applied, and it
    /// was not sent again. [`Error::outcome_check`] names the read operation that shows which.
    OutcomeUnknown,
    /// A dry run: the request was validated, built and signed but not sent;
    /// [`Error::dry_run_request`] holds it. Never retried.
    DryRun,
}

/// An error from any operation. The API details (status, code, message, request id) are kept
/// whenever the server answered.
pub struct Error(Box<Inner>);

struct Inner {
    kind: ErrorKind,
    status: Option<u16>,
    code: Option<String>,
    message: String,
    request_id: Option<String>,
    encoded_authorization_message: Option<String>,
    raw_body: Option<String>,
    /// For [`ErrorKind::OutcomeUnknown`]: the transport failure behind it.
    cause: Option<ErrorKind>,
    outcome_check: Option<&'static str>,
    /// For [`ErrorKind::DryRun`]: the request that was not sent.
    prepared: Option<Box<PreparedRequest>>,
    source: Option<Box<dyn std::error::Error + Send + Sync>>,
}

impl Error {
    /// A new error of `kind` with a message.
    pub fn new(kind: ErrorKind, message: impl Into<String>) -> Self {
        Error(Box::new(Inner {
            kind,
            status: None,
            code: None,
            message: message.into(),
            request_id: None,
            encoded_authorization_message: None,
            raw_body: None,
            cause: None,
            outcome_check: None,
            prepared: None,
            source: None,
        }))
    }

    /// An input error naming the field and the rule it breaks; nothing is sent.
    pub fn invalid_input(field: &str, rule: impl fmt::Display) -> Self {
        Error::new(ErrorKind::InvalidInput, format!("{field}: {rule}"))
    }

    /// An API error from a status and a decoded body.
    pub fn api(status: u16, body: ErrorBody, header_request_id: Option<String>) -> Self {
        let message = body
            .error_msg
            .clone()
            .or_else(|| body.raw_body.clone())
            .unwrap_or_default();
        Error(Box::new(Inner {
            kind: ErrorKind::Api,
            status: Some(status),
            code: body.error_code,
            message,
            request_id: header_request_id.or(body.request_id),
            encoded_authorization_message: body.encoded_authorization_message,
            raw_body: body.raw_body,
            cause: None,
            outcome_check: None,
            prepared: None,
            source: None,
        }))
    }

    fn with_source(mut self, source: impl std::error::Error + Send + Sync + 'static) -> Self {
        self.0.source = Some(Box::new(source));
        self
    }

    /// The kind of failure.
    pub fn kind(&self) -> ErrorKind {
        self.0.kind
    }
    /// The HTTP status, when the server answered.
    pub fn status(&self) -> Option<u16> {
        self.0.status
    }
    /// The error code (`CBC.0100`, `APIGW.0308`, …), when the server gave one.
    pub fn code(&self) -> Option<&str> {
        self.0.code.as_deref()
    }
    /// The error message.
    pub fn message(&self) -> &str {
        &self.0.message
    }
    /// The request id, from the `X-Request-Id` header or else the body: quote it to support.
    pub fn request_id(&self) -> Option<&str> {
        self.0.request_id.as_deref()
    }
    /// Encoded authorization failure details, when IAM gave them.
    pub fn encoded_authorization_message(&self) -> Option<&str> {
        self.0.encoded_authorization_message.as_deref()
    }
    /// The response body as received, when it could not be decoded.
    pub fn raw_body(&self) -> Option<&str> {
        self.0.raw_body.as_deref()
    }

    fn code_is(&self, codes: &[&str]) -> bool {
        self.0.code.as_deref().is_some_and(|c| codes.contains(&c))
    }

    /// How the one classifier ([`crate::classify`]) sees this error: an answer by its status
    /// and error code; a transport failure or timeout as a failure after sending (whether the
    /// connection was made is no longer known); anything else (nothing sent, or an answer that
    /// did not decode) as refused.
    pub fn class(&self) -> Class {
        match (self.0.kind, self.0.status) {
            (ErrorKind::Api, Some(status)) => {
                classify::classify(Outcome::Status(status), self.0.code.as_deref())
            }
            (ErrorKind::Transport | ErrorKind::Timeout | ErrorKind::OutcomeUnknown, _) => {
                Class::FailedAfterSend
            }
            _ => Class::Rejected,
        }
    }
    /// Throttled: HTTP 429, or `APIGW.0308`/`APIG.0308`/`CBC.0250` under any status. Safe to
    /// retry after a pause.
    pub fn is_throttled(&self) -> bool {
        self.class() == Class::Throttled
    }
    /// Whether a read that failed this way may be sent again: throttling, a server error, a
    /// transport failure or timeout (the classification the retry phase used). A state change
    /// that failed after sending is [`is_outcome_unknown`](Self::is_outcome_unknown) instead,
    /// and not retryable.
    pub fn is_retryable(&self) -> bool {
        self.0.kind != ErrorKind::OutcomeUnknown && self.class().is_retryable(OperationKind::Read)
    }
    /// Authentication failed (HTTP 401, `APIGW.0301` …). Never retried: five failures in a row
    /// lock the AK for five minutes.
    pub fn is_authentication(&self) -> bool {
        self.class() == Class::Authentication
    }
    /// Not allowed (HTTP 403, `CBC.0150`, `CBC.0151`, `CBC.0155`).
    pub fn is_permission(&self) -> bool {
        self.0.status == Some(403) || self.code_is(&["CBC.0150", "CBC.0151", "CBC.0155"])
    }
    /// The request was invalid: rejected before sending, or HTTP 400 / `CBC.0100`.
    pub fn is_invalid_request(&self) -> bool {
        self.0.kind == ErrorKind::InvalidInput
            || (self.0.kind == ErrorKind::Api
                && (self.0.status == Some(400) || self.code_is(&["CBC.0100"])))
    }
    /// Not found (HTTP 404, `APIGW.0101`).
    pub fn is_not_found(&self) -> bool {
        self.0.status == Some(404) || self.code_is(&["APIGW.0101"])
    }
    /// A server-side failure (HTTP 5xx).
    pub fn is_server(&self) -> bool {
        self.0.status.is_some_and(|s| s >= 500)
    }
    /// The connection failed or broke (for a state change, see also
    /// [`is_outcome_unknown`](Self::is_outcome_unknown)).
    pub fn is_transport(&self) -> bool {
        self.0.kind == ErrorKind::Transport || self.0.cause == Some(ErrorKind::Transport)
    }
    /// A timeout elapsed (for a state change, see also
    /// [`is_outcome_unknown`](Self::is_outcome_unknown)).
    pub fn is_timeout(&self) -> bool {
        self.0.kind == ErrorKind::Timeout || self.0.cause == Some(ErrorKind::Timeout)
    }
    /// A state change may or may not have been applied: its request may have reached the server,
    /// but the answer was lost (reset, timeout, truncated body). It was not sent again; check
    /// with [`outcome_check`](Self::outcome_check) before trying again.
    pub fn is_outcome_unknown(&self) -> bool {
        self.0.kind == ErrorKind::OutcomeUnknown
    }
    /// For an outcome-unknown error: the read operation (its official name) that shows whether
    /// the state change was applied, when there is one.
    pub fn outcome_check(&self) -> Option<&'static str> {
        self.0.outcome_check
    }
    /// A response could not be decoded.
    pub fn is_decode(&self) -> bool {
        self.0.kind == ErrorKind::Decode
    }
    /// For a dry run ([`ErrorKind::DryRun`]): the request as it would have been sent, secrets
    /// redacted.
    pub fn dry_run_request(&self) -> Option<&PreparedRequest> {
        self.0.prepared.as_deref()
    }

    /// The error of a dry run of `request`.
    pub fn dry_run(request: PreparedRequest) -> Self {
        let mut error = Error::new(
            ErrorKind::DryRun,
            format!("dry run: {} {} was not sent", request.method, request.url),
        );
        error.0.prepared = Some(Box::new(request));
        error
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(code) = &self.0.code {
            write!(f, "{code}: ")?;
        }
        f.write_str(if self.0.message.is_empty() {
            "(no message)"
        } else {
            &self.0.message
        })?;
        match (self.0.status, &self.0.request_id) {
            (Some(status), Some(id)) => write!(f, " (HTTP {status}, request id {id})"),
            (Some(status), None) => write!(f, " (HTTP {status})"),
            (None, Some(id)) => write!(f, " (request id {id})"),
            (None, None) => Ok(()),
        }
    }
}

impl fmt::Debug for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Error")
            .field("kind", &self.0.kind)
            .field("status", &self.0.status)
            .field("code", &self.0.code)
            .field("message", &self.0.message)
            .field("request_id", &self.0.request_id)
            .field("raw_body", &self.0.raw_body)
            .field("source", &self.0.source)
            .finish()
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        self.0
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static))
    }
}

fn request_id(headers: &reqwest::header::HeaderMap) -> Option<String> {
    headers
        .get(REQUEST_ID_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_string)
}

fn from_reqwest(err: reqwest::Error) -> Error {
    // reqwest's message for a failed connection names the URL, never a header, so no secret
    // can leak through it.
    let kind = if err.is_timeout() {
        ErrorKind::Timeout
    } else if err.is_decode() {
        ErrorKind::Decode
    } else {
        ErrorKind::Transport
    };
    let message = err.to_string();
    let status = err.status().map(|s| s.as_u16());
    let mut error = Error::new(kind, message).with_source(err);
    error.0.status = status;
    error
}

impl Error {
    /// Converts a generated call's error, knowing its operation: a transport failure of a state
    /// change after the request may have left becomes [`ErrorKind::OutcomeUnknown`].
    pub fn from_call(err: progenitor_client::Error<ErrorBody>, operation: &Operation) -> Self {
        use progenitor_client::Error as P;
        let may_have_arrived = match &err {
            P::CommunicationError(e) | P::ResponseBodyError(e) => {
                !e.is_connect() && !e.is_builder()
            }
            _ => false,
        };
        let error = Error::from(err);
        if operation.kind == OperationKind::StateChange && may_have_arrived {
            error.into_outcome_unknown(operation)
        } else {
            error
        }
    }

    fn into_outcome_unknown(mut self, operation: &Operation) -> Self {
        let check = match operation.outcome_check {
            Some(read) => format!("check with {read} before trying again"),
            None => "no read operation shows it; do not repeat it blindly".to_string(),
        };
        self.0.message = format!(
            "{} may or may not have been applied: the request may have reached the server, but \
             its answer was lost ({}); it was not sent again; {check}",
            operation.id, self.0.message
        );
        self.0.cause = Some(self.0.kind);
        self.0.kind = ErrorKind::OutcomeUnknown;
        self.0.outcome_check = operation.outcome_check;
        self
    }
}

impl From<progenitor_client::Error<ErrorBody>> for Error {
    fn from(err: progenitor_client::Error<ErrorBody>) -> Self {
        use progenitor_client::Error as P;
        match err {
            P::InvalidRequest(message) => Error::new(ErrorKind::InvalidInput, message),
            P::CommunicationError(e) | P::InvalidUpgrade(e) | P::ResponseBodyError(e) => {
                from_reqwest(e)
            }
            P::ErrorResponse(response) => {
                let status = response.status().as_u16();
                let id = request_id(response.headers());
                Error::api(status, response.into_inner(), id)
            }
            P::InvalidResponsePayload(bytes, e) => {
                let mut error = Error::new(
                    ErrorKind::Decode,
                    format!("the response body does not match the documented schema: {e}"),
                )
                .with_source(e);
                error.0.raw_body = Some(String::from_utf8_lossy(&bytes).into_owned());
                error
            }
            P::UnexpectedResponse(response) => {
                if let Some(request) = prepared::carried(&response) {
                    return Error::dry_run(request);
                }
                let status = response.status().as_u16();
                let mut error = Error::new(
                    ErrorKind::Api,
                    format!("undocumented response status {status}"),
                );
                error.0.status = Some(status);
                error.0.request_id = request_id(response.headers());
                error
            }
            P::Custom(message) => Error::new(ErrorKind::Transport, message),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn decodes_every_documented_error_shape() {
        let bss: ErrorBody =
            serde_json::from_value(json!({"error_code":"CBC.0100","error_msg":"bad"})).unwrap();
        assert_eq!(bss.error_code.as_deref(), Some("CBC.0100"));
        assert_eq!(bss.error_msg.as_deref(), Some("bad"));
        let gw: ErrorBody = serde_json::from_value(json!({
            "error_code":"APIGW.0308","error_msg":"throttled","request_id":"r1","extra":1
        }))
        .unwrap();
        assert_eq!(gw.request_id.as_deref(), Some("r1"));
        let alt: ErrorBody = serde_json::from_value(json!({"code":"X.1","message":"m"})).unwrap();
        assert_eq!(alt.error_code.as_deref(), Some("X.1"));
        let iam: ErrorBody = serde_json::from_value(
            json!({"error":{"code":401,"message":"expired","title":"Unauthorized"}}),
        )
        .unwrap();
        assert_eq!(iam.error_code.as_deref(), Some("401"));
        assert_eq!(iam.error_msg.as_deref(), Some("expired"));
        let raw: ErrorBody = serde_json::from_value(json!("oops")).unwrap();
        assert_eq!(raw.raw_body.as_deref(), Some("\"oops\""));
    }

    #[test]
    fn predicates_classify_by_status_and_code() {
        let throttled = Error::api(
            429,
            ErrorBody {
                error_code: Some("APIGW.0308".into()),
                ..Default::default()
            },
            Some("rid".into()),
        );
        assert!(throttled.is_throttled() && !throttled.is_server());
        assert_eq!(throttled.request_id(), Some("rid"));
        let auth = Error::api(
            401,
            ErrorBody {
                error_code: Some("APIGW.0301".into()),
                error_msg: Some("verify aksk signature fail".into()),
                request_id: Some("body-rid".into()),
                ..Default::default()
            },
            None,
        );
        assert!(auth.is_authentication());
        assert_eq!(auth.request_id(), Some("body-rid"));
        assert_eq!(
            auth.to_string(),
            "APIGW.0301: verify aksk signature fail (HTTP 401, request id body-rid)"
        );
        let invalid = Error::invalid_input("limit", "must be at most 1000");
        assert!(invalid.is_invalid_request());
        assert_eq!(invalid.to_string(), "limit: must be at most 1000");
        assert!(Error::api(503, ErrorBody::default(), None).is_server());
    }
}
