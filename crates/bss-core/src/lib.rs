//! Shared runtime of the Huawei Cloud BSS clients: credentials, `SDK-HMAC-SHA256` request
//! signing, site endpoints, the error type, operation metadata and the transport that every
//! generated client routes its requests through.
//!
//! Application code normally uses the `huaweicloud-bss` facade, which re-exports what it needs
//! from here.

#![forbid(unsafe_code)]
#![warn(missing_docs)]

pub mod adaptive;
mod auth;
mod base_url;
pub mod classify;
pub mod context;
pub mod credentials;
pub mod decode;
pub mod endpoint;
pub mod error;
pub mod invoke;
pub mod meta;
pub mod money;
pub mod paging;
pub mod prepared;
pub mod rate_limit;
pub mod response;
pub mod retry;
pub mod signer;
mod transport;
pub mod validate;

/// The body type of `send_raw()`'s [`Response`].
pub use bytes::Bytes;
pub use context::{Context, Settings};
pub use credentials::{Credentials, Secret};
pub use endpoint::Site;
pub use error::{Error, ErrorBody, ErrorKind};
pub use money::{Amount, PositiveAmount, PositiveAmountText};
pub use prepared::PreparedRequest;
pub use response::Response;
/// The exact decimal type inside [`Amount`] and [`PositiveAmount`].
pub use rust_decimal::Decimal;
