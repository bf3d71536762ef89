//! Fault injection: a seeded share of requests answered as if the gateway throttled them or BSS
//! failed, and the gateway's throttling answer itself.

use crate::{ApiError, Sandbox};

impl Sandbox {
    /// Rolls the configured fault dice: `Err` with the injected fault, if one comes up.
    pub(crate) fn inject_faults(&self) -> Result<(), ApiError> {
        if self.roll(self.config.throttle_rate) {
            return Err(throttled(20));
        }
        if self.roll(self.config.error_rate) {
            return Err(ApiError {
                status: 500,
                code: "CBC.0999",
                message: "Other errors (injected by the sandbox)".into(),
            });
        }
        Ok(())
    }

    /// `true` with probability `rate`, from the dice seeded with the data seed (so a seed
    /// replays the same faults).
    fn roll(&self, rate: f64) -> bool {
        rate > 0.0 && self.dice.lock().unwrap_or_else(|e| e.into_inner()).f64() < rate
    }
}

/// The gateway's 429: `APIGW.0308` with its message. The real gateway sends no `Retry-After`,
/// so neither does the sandbox.
pub(crate) fn throttled(limit: u32) -> ApiError {
    ApiError {
        status: 429,
        code: "APIGW.0308",
        message: format!(
            "The throttling threshold has been reached: policy user over ratelimit, limit:{limit}, time:1 second"
        ),
    }
}
