//! Decoding of JSON response bodies. Every generated operation decodes through
//! [`response`] (the generator puts it in place of progenitor's `ResponseValue::from_response`):
//! the same result and the same errors, with less work per response.

use progenitor_client::{Error, ResponseValue};
use serde::de::DeserializeOwned;

/// Reads `response`'s body and decodes it as `T`, keeping the status and headers. A body that is
/// not `T` is an `InvalidResponsePayload` error holding the body.
pub async fn response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    // The headers move into the result: nothing reads them from the spent response.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match json(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(err) => Err(Error::InvalidResponsePayload(body, err)),
    }
}

/// Decodes a JSON body. The whole body is checked as UTF-8 in one pass, so the parser can read
/// it as text and skip checking every string on its own; a body that is not UTF-8 is decoded
/// from its bytes, which reports where the bad byte is.
pub fn json<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    match std::str::from_utf8(body) {
        Ok(text) => serde_json::from_str(text),
        Err(_) => serde_json::from_slice(body),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::Value;

    #[test]
    fn decodes_like_from_slice_and_reports_bad_bodies() {
        let body = "{\"name\":\"客户\",\"amount\":1.10}".as_bytes();
        assert_eq!(
            json::<Value>(body).unwrap(),
            serde_json::from_slice::<Value>(body).unwrap()
        );
        let not_utf8 = b"{\"name\":\"\xff\"}";
        assert_eq!(
            json::<Value>(not_utf8).unwrap_err().to_string(),
            serde_json::from_slice::<Value>(not_utf8)
                .unwrap_err()
                .to_string()
        );
        assert!(json::<Value>(b"{\"name\":").unwrap_err().is_eof());
        assert!(json::<Value>(b"<html>").unwrap_err().is_syntax());
    }
}
