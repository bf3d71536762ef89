//! Client-side rate limiting: every attempt through a client waits for its slot, so that a
//! known quota (the gateway's "limit:N, time:1 second") is kept without being throttled.
//!
//! The slots are evenly spaced (a token bucket holding one token, i.e. GCRA without burst): a
//! burst could overrun a gateway that counts per fixed second even when the average keeps to
//! the quota. Written here rather than taken from `governor`, whose keyed limiters, clock
//! abstraction and extra dependencies this one unkeyed, async, adjustable pacer does not need.

use std::sync::{Mutex, PoisonError};
use std::time::{Duration, Instant};

/// Spaces calls `1 / rate` seconds apart, across every task that shares it.
#[derive(Debug)]
pub struct RateLimiter {
    state: Mutex<State>,
}

#[derive(Debug)]
struct State {
    interval: Duration,
    next: Instant,
}

/// The interval between slots at `per_second` calls a second (at least one call an hour).
fn interval(per_second: f64) -> Duration {
    Duration::from_secs_f64(1.0 / per_second.clamp(1.0 / 3600.0, 1e9))
}

impl RateLimiter {
    /// A limiter of `per_second` calls a second.
    pub fn new(per_second: f64) -> Self {
        RateLimiter {
            state: Mutex::new(State {
                interval: interval(per_second),
                next: Instant::now(),
            }),
        }
    }

    /// Changes the rate; the next slot already given out stays.
    pub fn set_rate(&self, per_second: f64) {
        self.lock().interval = interval(per_second);
    }

    /// The current rate in calls a second.
    pub fn rate(&self) -> f64 {
        1.0 / self.lock().interval.as_secs_f64()
    }

    /// Waits for the next free slot. Slots are handed out in call order.
    pub async fn acquire(&self) {
        let slot = self.reserve(Instant::now());
        tokio::time::sleep_until(slot.into()).await;
    }

    /// Reserves the next free slot at or after `now`.
    fn reserve(&self, now: Instant) -> Instant {
        let mut state = self.lock();
        let slot = state.next.max(now);
        state.next = slot + state.interval;
        slot
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // The state is two plain values: a panic elsewhere cannot leave it inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slots_are_spaced_by_the_rate_and_follow_changes() {
        let limiter = RateLimiter::new(50.0);
        assert!((limiter.rate() - 50.0).abs() < 1e-6);
        let now = Instant::now();
        // Slots asked for at once are 20 ms apart.
        let slots: Vec<Instant> = (0..3).map(|_| limiter.reserve(now)).collect();
        assert_eq!(slots[1] - slots[0], Duration::from_millis(20));
        assert_eq!(slots[2] - slots[1], Duration::from_millis(20));
        // A caller after a pause gets its slot at once: no debt, no burst saved up.
        let later = now + Duration::from_secs(5);
        assert_eq!(limiter.reserve(later), later);
        limiter.set_rate(10.0);
        assert_eq!(limiter.reserve(later) - later, Duration::from_millis(20));
        assert_eq!(limiter.reserve(later) - later, Duration::from_millis(120));
        limiter.set_rate(0.0);
        assert_eq!(limiter.lock().interval, Duration::from_secs(3600));
    }
}
