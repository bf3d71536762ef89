//! The `funds` group in the sandbox: the customer's own balances, income and expense records, coupon records, stored-value cards, and discounts.

use serde_json::Value;

use crate::reply::unserved;
use crate::world::World;
use crate::{ApiError, Call};

/// The group's data.
#[derive(Debug, Default)]
pub struct State {}

impl State {
    /// The data set made by `rng` for the partner, customers and catalog of `world`.
    pub fn seeded(_rng: &mut fastrand::Rng, _world: &World) -> State {
        State::default()
    }
}

/// Runs one operation of the group against `world`.
pub fn dispatch(_world: &mut World, call: &Call<'_>) -> Result<Value, ApiError> {
    Err(unserved(call))
}
