//! Decoding of JSON response bodies. Every generated operation decodes through
//! [`response`] (the generator puts it in place of progenitor's `ResponseValue::from_response`):
//! the same result and the same errors, with less work per response. `send_raw` takes [`raw`]
//! instead, which keeps the body as received.
//!
//! Response types are read tolerantly: every field of a response schema is optional, so a field
//! the server leaves out or sends as `null` is `None` (a list: empty, through
//! [`null_as_default`]); only a value of the wrong type fails, and the error names its JSON path
//! (`customer_infos[17].is_frozen`).

use bytes::Bytes;
use progenitor_client::{Error, ResponseValue};
use serde::de::{DeserializeOwned, Error as _};
use serde::{Deserialize, Deserializer};

/// Reads `response`'s body and decodes it as `T`, keeping the status and headers. A body that is
/// not `T` is an `InvalidResponsePayload` error holding the body, its message led by the JSON
/// path of the value that did not fit.
pub async fn response<T: DeserializeOwned, E>(
    mut response: reqwest::Response,
) -> Result<ResponseValue<T>, Error<E>> {
    let status = response.status();
    // The headers move into the result: nothing reads them from the spent response.
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    match typed(&body) {
        Ok(inner) => Ok(ResponseValue::new(inner, status, headers)),
        Err(err) => Err(Error::InvalidResponsePayload(body, err)),
    }
}

/// Reads `response`'s body without decoding it, keeping the status and headers.
pub async fn raw<E>(mut response: reqwest::Response) -> Result<ResponseValue<Bytes>, Error<E>> {
    let status = response.status();
    let headers = std::mem::take(response.headers_mut());
    let body = response.bytes().await.map_err(Error::ResponseBodyError)?;
    Ok(ResponseValue::new(body, status, headers))
}

/// Decodes `body` as `T`; on failure, the error's message starts with the JSON path of the value
/// that did not fit (`customer_infos[17].is_frozen: invalid type: …`).
pub fn typed<T: DeserializeOwned>(body: &[u8]) -> serde_json::Result<T> {
    json(body).map_err(|_| located::<T>(body))
}

/// Decodes `body` as `T` again, slowly, to say where it failed: the error's message starts with
/// the JSON path of the value that did not fit. Only called once the fast decode has failed.
fn located<T: DeserializeOwned>(body: &[u8]) -> serde_json::Error {
    let mut deserializer = serde_json::Deserializer::from_slice(body);
    match serde_path_to_error::deserialize::<_, T>(&mut deserializer) {
        Ok(_) => serde_json::Error::custom("the body decodes only when read slowly"),
        Err(err) => {
            let path = err.path().to_string();
            let inner = err.into_inner();
            if path == "." || inner.is_syntax() || inner.is_eof() {
                inner
            } else {
                serde_json::Error::custom(format!("{path}: {inner}"))
            }
        }
    }
}

/// A decode error of a body as this crate's error, keeping the body.
pub fn error(err: serde_json::Error, body: &[u8]) -> crate::Error {
    crate::Error::from(Error::<crate::ErrorBody>::InvalidResponsePayload(
        Bytes::copy_from_slice(body),
        err,
    ))
}

/// Decodes a field whose absence means its default (a list: empty) so that `null` means the
/// same. The generator puts it on every such field of a response type.
pub fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Option::<T>::deserialize(deserializer).map(Option::unwrap_or_default)
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

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Page {
        #[serde(default, deserialize_with = "null_as_default")]
        items: Vec<Item>,
    }

    #[derive(Debug, serde::Deserialize)]
    #[allow(dead_code)]
    struct Item {
        flag: Option<i32>,
    }

    #[test]
    fn null_lists_are_empty_and_errors_name_the_path() {
        let page: Page = json(b"{\"items\":null}").unwrap();
        assert!(page.items.is_empty());
        let err = located::<Page>(b"{\"items\":[{\"flag\":1},{\"flag\":\"x\"}]}");
        assert!(
            err.to_string()
                .starts_with("items[1].flag: invalid type: string"),
            "{err}"
        );
        assert!(located::<Page>(b"{\"items\":").is_eof());
    }
}
