//! The one classifier of what came back from an attempt: an HTTP status with the error code of
//! its body, or a transport failure. The retry phase decides with it, and [`crate::Error`]'s
//! predicates (`is_throttled`, `is_retryable`, `is_authentication`) answer with it, so the two
//! never disagree.

use crate::meta::OperationKind;

/// The codes of throttling, under whatever status they come: the API gateway's
/// `APIGW.0308`/`APIG.0308` ("policy user over ratelimit", HTTP 429) and BSS's flow control
/// `CBC.0250` (HTTP 429).
pub const THROTTLING_CODES: &[&str] = &["APIGW.0308", "APIG.0308", "CBC.0250"];

/// The codes of failed authentication: a wrong signature or unknown AK (`APIGW.0301`,
/// `APIG.0301`), a wrong app signature (`APIGW.0303`), an expired token (`APIGW.0307`,
/// `APIG.0307`, `CBC.0154`) and an illegal token (`CBC.0105`).
pub const AUTHENTICATION_CODES: &[&str] = &[
    "APIGW.0301",
    "APIG.0301",
    "APIGW.0303",
    "APIGW.0307",
    "APIG.0307",
    "CBC.0105",
    "CBC.0154",
];

/// BSS's "other or unknown error" (normally HTTP 500): a server-side failure.
pub const SERVER_CODES: &[&str] = &["CBC.0999"];

/// What happened to one attempt, before classification.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be established: the request never left.
    ConnectFailed,
    /// The attempt failed after the request may have been sent (reset, timeout, broken body).
    FailedAfterSend,
}

/// What an attempt's outcome means for sending the request again.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Class {
    /// A success (or any answer below 400): nothing to retry.
    Success,
    /// Throttled: HTTP 429, or a throttling code under any status. Safe to send again after a
    /// pause: the gateway refused it before any work.
    Throttled,
    /// Authentication failed (HTTP 401 or an authentication code). Never retried: five
    /// failures in a row lock the AK for five minutes.
    Authentication,
    /// A server-side failure (HTTP 5xx, `CBC.0999`).
    Server,
    /// Any other error answer: the request itself is refused, and sending it again changes
    /// nothing.
    Rejected,
    /// The connection could not be established: the request never left.
    ConnectFailed,
    /// The attempt failed after the request may have reached the server.
    FailedAfterSend,
}

/// Classifies an attempt's outcome, with the `error_code` of its error body when it has one.
pub fn classify(outcome: Outcome, code: Option<&str>) -> Class {
    let any_of = |codes: &[&str]| code.is_some_and(|c| codes.contains(&c));
    match outcome {
        Outcome::ConnectFailed => Class::ConnectFailed,
        Outcome::FailedAfterSend => Class::FailedAfterSend,
        Outcome::Status(status) if status < 400 => Class::Success,
        Outcome::Status(status) if status == 429 || any_of(THROTTLING_CODES) => Class::Throttled,
        Outcome::Status(status) if status == 401 || any_of(AUTHENTICATION_CODES) => {
            Class::Authentication
        }
        Outcome::Status(status) if status >= 500 || any_of(SERVER_CODES) => Class::Server,
        Outcome::Status(_) => Class::Rejected,
    }
}

impl Class {
    /// Whether an attempt of this class may be sent again for an operation of `kind`.
    ///
    /// - Reads retry on throttling, on server failures and on any transport failure.
    /// - State changes (money, coupons, orders, customers) retry only when the request never
    ///   left (the connection could not be made): once it may have reached the server it is
    ///   never sent again, since BSS has no idempotency key.
    /// - Nothing retries an authentication failure or a refused request.
    pub fn is_retryable(self, kind: OperationKind) -> bool {
        matches!(
            (kind, self),
            (_, Class::ConnectFailed)
                | (
                    OperationKind::Read,
                    Class::Throttled | Class::Server | Class::FailedAfterSend
                )
        )
    }

    /// A short name for traces: `throttled`, `server error`, ….
    pub fn reason(self) -> &'static str {
        match self {
            Class::Success => "success",
            Class::Throttled => "throttled",
            Class::Authentication => "authentication failed",
            Class::Server => "server error",
            Class::Rejected => "rejected",
            Class::ConnectFailed => "connection failed",
            Class::FailedAfterSend => "failed after sending",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperationKind::*;

    fn status(status: u16, code: Option<&str>) -> Class {
        classify(Outcome::Status(status), code)
    }

    #[test]
    fn reads_retry_throttling_server_errors_and_transport_failures() {
        for class in [
            status(429, None),
            status(500, None),
            status(503, None),
            classify(Outcome::FailedAfterSend, None),
            classify(Outcome::ConnectFailed, None),
        ] {
            assert!(class.is_retryable(Read), "{class:?}");
        }
        for code in [400, 401, 403, 404, 200] {
            assert!(!status(code, None).is_retryable(Read), "{code}");
        }
    }

    #[test]
    fn the_error_code_decides_when_the_status_does_not() {
        // A throttling code is throttling under any error status.
        for code in THROTTLING_CODES {
            assert_eq!(status(400, Some(code)), Class::Throttled);
            assert_eq!(status(403, Some(code)), Class::Throttled);
        }
        assert_eq!(status(400, Some("CBC.0999")), Class::Server);
        assert_eq!(status(403, Some("APIGW.0301")), Class::Authentication);
        assert_eq!(status(400, Some("CBC.0100")), Class::Rejected);
        // Authentication is never retried, even under a server status.
        assert_eq!(status(500, Some("APIGW.0307")), Class::Authentication);
        assert!(!status(500, Some("APIGW.0307")).is_retryable(Read));
        // Below 400 the code is not looked at.
        assert_eq!(status(200, Some("CBC.0250")), Class::Success);
    }

    #[test]
    fn state_changes_retry_only_what_never_left() {
        assert!(classify(Outcome::ConnectFailed, None).is_retryable(StateChange));
        for class in [
            status(429, None),
            status(400, Some("CBC.0250")),
            status(500, None),
            status(502, None),
            classify(Outcome::FailedAfterSend, None),
        ] {
            assert!(!class.is_retryable(StateChange), "{class:?}");
        }
    }
}
