//! The authentication phase: credentials become the headers of one attempt (an IAM token, or an
//! `SDK-HMAC-SHA256` signature over the request as it is sent).

use std::borrow::Cow;

use reqwest::header::{AUTHORIZATION, HeaderMap, HeaderName, HeaderValue};

use crate::credentials::Credentials;
use crate::signer::{self, Algorithm, SignableRequest};

const X_AUTH_TOKEN: HeaderName = HeaderName::from_static("x-auth-token");
const X_DOMAIN_ID: HeaderName = HeaderName::from_static("x-domain-id");
const X_SDK_DATE: HeaderName = HeaderName::from_static("x-sdk-date");
const X_SECURITY_TOKEN: HeaderName = HeaderName::from_static("x-security-token");

/// Adds the authentication headers to `request`, signing it with `date` as `X-Sdk-Date` for
/// AK/SK credentials. Secret values are marked sensitive, so that no `Debug` shows them.
pub fn authenticate(credentials: &Credentials, request: &mut reqwest::Request, date: &str) {
    let headers = request.headers_mut();
    match credentials {
        Credentials::Token { token, domain_id } => {
            insert(headers, X_AUTH_TOKEN, token.expose(), true);
            if let Some(id) = domain_id {
                insert(headers, X_DOMAIN_ID, id, false);
            }
        }
        Credentials::AkSk {
            ak,
            sk,
            security_token,
            domain_id,
        } => {
            insert(headers, X_SDK_DATE, date, false);
            if let Some(token) = security_token {
                insert(headers, X_SECURITY_TOKEN, token.expose(), true);
            }
            if let Some(id) = domain_id {
                insert(headers, X_DOMAIN_ID, id, false);
            }
            let url = request.url();
            let host = match (url.host_str().unwrap_or_default(), url.port()) {
                (host, None) => Cow::Borrowed(host),
                (host, Some(port)) => Cow::Owned(format!("{host}:{port}")),
            };
            let query: Vec<(String, String)> = url.query_pairs().into_owned().collect();
            let signature = signer::sign(
                &SignableRequest {
                    method: request.method().as_str(),
                    path: url.path(),
                    query: &query,
                    headers: &signed_headers(&host, request.headers()),
                    body: request
                        .body()
                        .and_then(|b| b.as_bytes())
                        .unwrap_or_default(),
                },
                ak,
                sk.expose(),
                date,
                &Algorithm::HmacSha256,
            );
            let headers = request.headers_mut();
            // The signature string becomes the header value without a copy.
            insert(headers, AUTHORIZATION, signature.authorization, true);
        }
    }
}

/// Credentials were validated as header-safe ASCII, so these values always convert.
fn insert<V: TryInto<HeaderValue>>(
    headers: &mut HeaderMap,
    name: HeaderName,
    value: V,
    sensitive: bool,
) {
    if let Ok(mut value) = value.try_into() {
        value.set_sensitive(sensitive);
        headers.insert(name, value);
    }
}

/// The headers that take part in signing: `host`, `content-type`, and every `x-` header whose
/// name has no underscore (the official SDKs leave those out).
fn signed_headers<'a>(host: &'a str, headers: &'a HeaderMap) -> Vec<(&'a str, &'a str)> {
    let mut signed = Vec::with_capacity(headers.len() + 1);
    signed.push(("host", host));
    for (name, value) in headers {
        let name = name.as_str();
        let take = name == "content-type" || (name.starts_with("x-") && !name.contains('_'));
        if take && let Ok(value) = value.to_str() {
            signed.push((name, value));
        }
    }
    signed
}

/// Re-encodes the query the way it is signed: RFC 3986, a space as `%20` (never `+`), pairs in
/// their original order.
pub fn normalize_query(request: &mut reqwest::Request) {
    let url = request.url_mut();
    if url.query().is_none_or(str::is_empty) {
        url.set_query(None);
        return;
    }
    let encoded = url
        .query_pairs()
        .map(|(k, v)| format!("{}={}", signer::encode(&k), signer::encode(&v)))
        .collect::<Vec<_>>()
        .join("&");
    url.set_query(Some(&encoded));
}
