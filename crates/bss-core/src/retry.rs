//! The retry phase: a loop that sends attempts again as the policy and the one classifier
//! ([`crate::classify`]) allow, and how long to wait between them. It holds no transport code:
//! the attempt is a function it is given.

use std::future::Future;
use std::time::{Duration, Instant};

pub use crate::classify::Outcome;
use crate::classify::{self, Class};
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

/// One attempt as the retry loop sees it.
pub struct Tried<T> {
    /// What the attempt returns to the caller if it is the last.
    pub result: T,
    /// Its outcome.
    pub outcome: Outcome,
    /// The `error_code` of its error body, when it had one.
    pub code: Option<String>,
    /// The server's `Retry-After`.
    pub retry_after: Option<Duration>,
    /// The attempt's span, where the loop records its decision.
    pub span: tracing::Span,
}

tokio::task_local! {
    /// Set while a caller that handles throttling itself (the adaptive pager) awaits a call.
    static HAND_BACK_THROTTLING: ();
}

/// Runs `call` with throttling handed back: a throttled attempt is not retried but returned at
/// once (as a throttled [`crate::Error`]), so that the caller can slow down and send it again
/// itself. Every other failure is retried as usual.
pub async fn handing_back_throttling<F: Future>(call: F) -> F::Output {
    HAND_BACK_THROTTLING.scope((), call).await
}

fn throttling_handed_back() -> bool {
    HAND_BACK_THROTTLING.try_with(|_| ()).is_ok()
}

/// Sends `request` with `attempt`, and again, with a copy from `spare`, while the classifier
/// says the outcome may be retried for `kind`, the policy has attempts left, and the backoff
/// ends before `deadline`. A request `spare` cannot copy (a streamed body) is sent once.
pub async fn run<R, T, S, F, Fut>(
    policy: &RetryPolicy,
    kind: OperationKind,
    deadline: Option<Instant>,
    request: R,
    spare: S,
    mut attempt: F,
) -> T
where
    S: Fn(&R) -> Option<R>,
    F: FnMut(R, u32) -> Fut,
    Fut: Future<Output = Tried<T>>,
{
    let hand_back = throttling_handed_back();
    let mut number = 1u32;
    let mut current = request;
    loop {
        let copy = if number < policy.max_attempts {
            spare(&current)
        } else {
            None
        };
        let tried = attempt(current, number).await;
        let class = classify::classify(tried.outcome, tried.code.as_deref());
        let span = &tried.span;
        span.record("reason", class.reason());
        let wait = policy.backoff(number, tried.retry_after);
        let in_time = deadline.is_none_or(|d| Instant::now() + wait < d);
        let handed_back = hand_back && class == Class::Throttled;
        match copy {
            Some(copy) if in_time && !handed_back && class.is_retryable(kind) => {
                tracing::info!(
                    parent: span,
                    outcome = ?tried.outcome,
                    reason = class.reason(),
                    wait_ms = wait.as_millis() as u64,
                    "retrying"
                );
                drop(tried);
                tokio::time::sleep(wait).await;
                current = copy;
                number += 1;
            }
            _ => {
                tracing::debug!(parent: span, outcome = ?tried.outcome, reason = class.reason(), handed_back, "final attempt");
                return tried.result;
            }
        }
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
