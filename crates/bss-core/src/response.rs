//! What a typed call returns: the decoded value with the response's status and headers
//! ([`Response`]), and the one place where a generated call's result becomes this crate's types,
//! knowing its operation ([`finish`]).

use std::ops::{Deref, DerefMut};

use bytes::Bytes;
use reqwest::StatusCode;
use reqwest::header::HeaderMap;

use crate::error::{Error, ErrorBody, REQUEST_ID_HEADER};
use crate::meta::Operation;

/// A successful response: the decoded value (`T`), or the body exactly as received
/// (`Response<Bytes>`, from `send_raw()`), with the HTTP status and headers.
#[derive(Clone, Debug, PartialEq)]
pub struct Response<T> {
    inner: T,
    status: StatusCode,
    headers: HeaderMap,
}

impl<T> Response<T> {
    /// A response from its parts.
    pub fn new(inner: T, status: StatusCode, headers: HeaderMap) -> Self {
        Response {
            inner,
            status,
            headers,
        }
    }

    /// The decoded value.
    pub fn into_inner(self) -> T {
        self.inner
    }

    /// The value, the status and the headers.
    pub fn into_parts(self) -> (T, StatusCode, HeaderMap) {
        (self.inner, self.status, self.headers)
    }

    /// The HTTP status.
    pub fn status(&self) -> StatusCode {
        self.status
    }

    /// The response headers.
    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The request id the service gave this call (`X-Request-Id`): quote it to support.
    pub fn request_id(&self) -> Option<&str> {
        self.headers
            .get(REQUEST_ID_HEADER)
            .and_then(|v| v.to_str().ok())
    }
}

impl Response<Bytes> {
    /// The body as JSON, every field and every digit as received (`null` for an empty body).
    pub fn json(&self) -> Result<serde_json::Value, Error> {
        if self.inner.iter().all(u8::is_ascii_whitespace) {
            return Ok(serde_json::Value::Null);
        }
        crate::decode::json(&self.inner).map_err(|e| crate::decode::error(e, &self.inner))
    }
}

impl<T> Deref for Response<T> {
    type Target = T;
    fn deref(&self) -> &T {
        &self.inner
    }
}

impl<T> DerefMut for Response<T> {
    fn deref_mut(&mut self) -> &mut T {
        &mut self.inner
    }
}

impl<T> AsRef<T> for Response<T> {
    fn as_ref(&self) -> &T {
        &self.inner
    }
}

/// Turns a generated call's result into this crate's types: its value with status and headers,
/// or an [`Error`] classified with the operation's kind (a state change whose answer was lost
/// is [`crate::ErrorKind::OutcomeUnknown`]). Called by every generated `send` and `send_raw`.
pub fn finish<T>(
    operation: &Operation,
    result: Result<progenitor_client::ResponseValue<T>, progenitor_client::Error<ErrorBody>>,
) -> Result<Response<T>, Error> {
    match result {
        Ok(value) => {
            let status = value.status();
            let headers = value.headers().clone();
            Ok(Response::new(value.into_inner(), status, headers))
        }
        Err(err) => Err(Error::from_call(err, operation)),
    }
}
