//! Building answers: paging windows, filters, decoding bodies into the generated request types
//! and encoding the generated response types.

use serde::Serialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

use crate::{ApiError, Call};

/// The page size when a call gives none (the API's documented default).
pub const DEFAULT_LIMIT: usize = 10;

/// The page of `items` the call asks for, and the total.
pub fn window<T: Clone>(items: &[T], call: &Call<'_>) -> (Vec<T>, i32) {
    window_or(items, call, DEFAULT_LIMIT)
}

/// Like [`window`], for an operation whose page size defaults to `default_limit`.
pub fn window_or<T: Clone>(items: &[T], call: &Call<'_>, default_limit: usize) -> (Vec<T>, i32) {
    let (offset, limit) = call.window(default_limit);
    let page = items.iter().skip(offset).take(limit).cloned().collect();
    (page, i32::try_from(items.len()).unwrap_or(i32::MAX))
}

/// Fuzzy match: no filter, or the value contains it.
pub fn contains(value: &Option<String>, filter: Option<&str>) -> bool {
    match filter {
        None | Some("") => true,
        Some(f) => value.as_deref().is_some_and(|v| v.contains(f)),
    }
}

/// The body decoded into the operation's generated request type.
pub fn body<T: DeserializeOwned>(call: &Call<'_>) -> Result<T, ApiError> {
    serde_json::from_value(call.body.clone()).map_err(|e| ApiError::invalid(format!("body: {e}")))
}

pub fn json<T: Serialize>(value: T) -> Result<Value, ApiError> {
    serde_json::to_value(value).map_err(|e| ApiError {
        status: 500,
        code: "CBC.0999",
        message: format!("encoding the answer: {e}"),
    })
}

/// The answer for an operation of a group the sandbox does not serve: `501`.
pub fn unserved(call: &Call<'_>) -> ApiError {
    ApiError {
        status: 501,
        code: "CBC.0999",
        message: format!("{} is not served by the sandbox", call.operation.id),
    }
}
