//! The gateway's per-access-key rate limit: at most N requests per second per AK, a burst of N.
//!
//! A token bucket kept as its "theoretical arrival time" (the generic cell rate algorithm): one
//! instant per access key, no floating point. Hand-written rather than a rate-limiting crate
//! because it is a dozen lines and must run on tokio's clock, so tests can pause and advance
//! time and count 429s deterministically.

use std::collections::HashMap;
use std::sync::Mutex;
use std::time::Duration;

use tokio::time::Instant;

/// Token buckets by access key. Only authenticated access keys reach it, so it holds at most one
/// entry per configured credential.
pub(crate) struct RateLimit {
    /// Requests allowed per second (and in one burst).
    limit: u32,
    /// The time one token takes to come back: one second / `limit`.
    interval: Duration,
    /// When each access key's bucket is full again.
    full_at: Mutex<HashMap<String, Instant>>,
}

impl RateLimit {
    /// A limit of `limit` requests per second per access key (at least one).
    pub(crate) fn new(limit: u32) -> RateLimit {
        let limit = limit.max(1);
        RateLimit {
            limit,
            interval: Duration::from_secs(1) / limit,
            full_at: Mutex::new(HashMap::new()),
        }
    }

    /// The configured requests per second.
    pub(crate) fn limit(&self) -> u32 {
        self.limit
    }

    /// Takes a token from `access_key`'s bucket now; `false` when the bucket is empty (the
    /// request is over the limit and takes nothing).
    pub(crate) fn admit(&self, access_key: &str) -> bool {
        let now = Instant::now();
        // A full bucket lets `limit` requests through at one instant: the last of them may
        // push the full-again time this far past now.
        let burst = self.interval * (self.limit - 1);
        let mut full_at = self.full_at.lock().unwrap_or_else(|e| e.into_inner());
        let at = full_at.get(access_key).copied().unwrap_or(now).max(now);
        if at > now + burst {
            return false;
        }
        full_at.insert(access_key.to_string(), at + self.interval);
        true
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[tokio::test(start_paused = true)]
    async fn a_burst_of_the_limit_passes_and_one_more_waits_for_a_token() {
        let limit = RateLimit::new(4);
        assert_eq!((0..8).filter(|_| limit.admit("ak")).count(), 4);
        tokio::time::advance(Duration::from_millis(250)).await;
        assert!(limit.admit("ak"));
        assert!(!limit.admit("ak"));
        assert!(limit.admit("other"));
    }
}
