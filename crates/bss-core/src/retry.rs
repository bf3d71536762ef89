//! Idempotency-aware retries: which failures may be retried for which kind of operation, and how
//! long to wait before the next attempt.

use std::time::Duration;

use crate::meta::OperationKind;

/// How many attempts and how long to wait between them.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = never retry).
    pub max_attempts: u32,
    /// The backoff cap of the first retry; it doubles with each retry.
    pub initial_backoff: Duration,
    /// The largest backoff cap.
    pub max_backoff: Duration,
}

impl Default for RetryPolicy {
    /// Three attempts, backoff caps 200 ms, 400 ms, … up to 20 s, full jitter.
    fn default() -> Self {
        RetryPolicy {
            max_attempts: 3,
            initial_backoff: Duration::from_millis(200),
            max_backoff: Duration::from_secs(20),
        }
    }
}

impl RetryPolicy {
    /// A policy that never retries.
    pub fn never() -> Self {
        RetryPolicy {
            max_attempts: 1,
            ..RetryPolicy::default()
        }
    }

    /// Sets the number of attempts (at least 1).
    pub fn with_max_attempts(mut self, attempts: u32) -> Self {
        self.max_attempts = attempts.max(1);
        self
    }

    /// Sets the first and the largest backoff cap.
    pub fn with_backoff(mut self, initial: Duration, max: Duration) -> Self {
        self.initial_backoff = initial;
        self.max_backoff = max.max(initial);
        self
    }

    /// The wait before retry number `retry` (1-based): a random duration between zero and the
    /// exponential cap ("full jitter"), but never less than the server's `Retry-After`.
    pub fn backoff(&self, retry: u32, retry_after: Option<Duration>) -> Duration {
        let exponent = retry.saturating_sub(1).min(20);
        let cap = self
            .initial_backoff
            .saturating_mul(1u32 << exponent)
            .min(self.max_backoff);
        let jittered = cap.mul_f64(fastrand::f64());
        match retry_after {
            Some(after) => jittered.max(after),
            None => jittered,
        }
    }
}

/// What happened to one attempt, as far as retrying is concerned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Outcome {
    /// The server answered with this status.
    Status(u16),
    /// The connection could not be established: the request never left.
    ConnectFailed,
    /// The attempt failed after the request may have been sent (reset, timeout, broken body).
    FailedAfterSend,
}

/// Whether an attempt with `outcome` may be retried for an operation of `kind`.
///
/// - Reads retry on 429 (throttling: `APIGW.0308`, `CBC.0250`), on 5xx and on any transport
///   failure.
/// - State changes (money, coupons, orders, customers) retry only when the request never left
///   (the connection could not be made): once it may have reached the server it is never sent
///   again, since BSS has no idempotency key.
/// - Nothing retries an authentication failure (401, `APIGW.0301`): five failures in a row lock
///   the AK for five minutes.
pub fn is_retryable(kind: OperationKind, outcome: Outcome) -> bool {
    match (kind, outcome) {
        (_, Outcome::ConnectFailed) => true,
        (OperationKind::Read, Outcome::FailedAfterSend) => true,
        (OperationKind::Read, Outcome::Status(status)) => status == 429 || status >= 500,
        (OperationKind::StateChange, _) => false,
    }
}

/// Reads `Retry-After` given in seconds (the HTTP-date form is ignored).
pub fn retry_after(headers: &reqwest::header::HeaderMap) -> Option<Duration> {
    let seconds: f64 = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim()
        .parse()
        .ok()?;
    (seconds.is_finite() && seconds >= 0.0).then(|| Duration::from_secs_f64(seconds.min(3600.0)))
}

#[cfg(test)]
mod tests {
    use super::*;
    use OperationKind::*;

    #[test]
    fn reads_retry_throttling_server_errors_and_transport_failures() {
        assert!(is_retryable(Read, Outcome::Status(429)));
        assert!(is_retryable(Read, Outcome::Status(500)));
        assert!(is_retryable(Read, Outcome::Status(503)));
        assert!(is_retryable(Read, Outcome::FailedAfterSend));
        assert!(is_retryable(Read, Outcome::ConnectFailed));
        assert!(!is_retryable(Read, Outcome::Status(400)));
        assert!(!is_retryable(Read, Outcome::Status(401)));
        assert!(!is_retryable(Read, Outcome::Status(403)));
        assert!(!is_retryable(Read, Outcome::Status(200)));
    }

    #[test]
    fn state_changes_retry_only_what_never_left() {
        assert!(is_retryable(StateChange, Outcome::ConnectFailed));
        for outcome in [
            Outcome::Status(429),
            Outcome::Status(500),
            Outcome::Status(502),
            Outcome::FailedAfterSend,
        ] {
            assert!(!is_retryable(StateChange, outcome), "{outcome:?}");
        }
    }

    #[test]
    fn backoff_is_jittered_capped_and_honours_retry_after() {
        let policy = RetryPolicy::default()
            .with_backoff(Duration::from_millis(100), Duration::from_millis(300));
        for _ in 0..100 {
            assert!(policy.backoff(1, None) <= Duration::from_millis(100));
            assert!(policy.backoff(2, None) <= Duration::from_millis(200));
            assert!(policy.backoff(9, None) <= Duration::from_millis(300));
            assert!(policy.backoff(1, Some(Duration::from_secs(2))) >= Duration::from_secs(2));
        }
        let mut headers = reqwest::header::HeaderMap::new();
        headers.insert(reqwest::header::RETRY_AFTER, "3".parse().unwrap());
        assert_eq!(retry_after(&headers), Some(Duration::from_secs(3)));
        headers.insert(
            reqwest::header::RETRY_AFTER,
            "Wed, 21 Oct 2015 07:28:00 GMT".parse().unwrap(),
        );
        assert_eq!(retry_after(&headers), None);
    }
}
