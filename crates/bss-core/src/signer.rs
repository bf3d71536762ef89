//! Huawei Cloud AK/SK request signing (`SDK-HMAC-SHA256`, and the derived `V11-HMAC-SHA256`),
//! step by step as the official SDKs sign, plus the server-side check used by the tests and the
//! sandbox.

use std::borrow::Cow;

use hmac::{Hmac, Mac};
use percent_encoding::{AsciiSet, NON_ALPHANUMERIC, percent_decode_str, utf8_percent_encode};
use sha2::{Digest, Sha256};

/// The algorithm name of plain AK/SK signing.
pub const SDK_HMAC_SHA256: &str = "SDK-HMAC-SHA256";
/// The algorithm name of derived AK/SK signing.
pub const V11_HMAC_SHA256: &str = "V11-HMAC-SHA256";
/// The signing timestamp header.
pub const DATE_HEADER: &str = "X-Sdk-Date";
/// The `X-Sdk-Date` format (`20191115T033655Z`, UTC).
pub const DATE_FORMAT: &str = "%Y%m%dT%H%M%SZ";
/// SHA-256 of an empty body.
pub const EMPTY_BODY_SHA256: &str =
    "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/// Everything but the RFC 3986 unreserved characters is percent-encoded, upper-case hex.
const ENCODE: &AsciiSet = &NON_ALPHANUMERIC
    .remove(b'-')
    .remove(b'_')
    .remove(b'.')
    .remove(b'~');

/// Whether `byte` is an RFC 3986 unreserved character, the ones [`ENCODE`] leaves alone.
fn is_unreserved(byte: u8) -> bool {
    byte.is_ascii_alphanumeric() || matches!(byte, b'-' | b'_' | b'.' | b'~')
}

/// Percent-encodes a path segment, query key or query value for signing (a space is `%20`).
pub fn encode(value: &str) -> String {
    utf8_percent_encode(value, ENCODE).to_string()
}

/// Which signing algorithm to use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Algorithm {
    /// `SDK-HMAC-SHA256`: the key is the SK itself. What BSS uses.
    HmacSha256,
    /// `V11-HMAC-SHA256`: the key is derived with HKDF from the SK, the AK and `info`
    /// (`YYYYMMDD/{region}/{service}`).
    DerivedHmacSha256 {
        /// The derivation info, `YYYYMMDD/{region}/{service}`.
        info: String,
    },
}

/// The request as it will be sent, reduced to what signing reads.
pub struct SignableRequest<'a> {
    /// HTTP method (any case).
    pub method: &'a str,
    /// The path as sent (percent-encoded or not: it is decoded before re-encoding).
    pub path: &'a str,
    /// Query pairs, decoded, in any order.
    pub query: &'a [(String, String)],
    /// The headers that take part in signing, any case; the `host` header and `X-Sdk-Date`
    /// must be among them when signed.
    pub headers: &'a [(&'a str, &'a str)],
    /// Exact body bytes.
    pub body: &'a [u8],
}

/// The result of signing, with the intermediate strings for debugging.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Signature {
    /// The `Authorization` header value.
    pub authorization: String,
    /// The signed header names, lower case, `;`-joined.
    pub signed_headers: String,
    /// The canonical request.
    pub canonical_request: String,
    /// The string to sign.
    pub string_to_sign: String,
}

/// Step 3: the canonical URI. Each segment is decoded, re-encoded with the unreserved set, and a
/// trailing `/` is added when missing.
pub fn canonical_uri(path: &str) -> String {
    let mut uri = String::with_capacity(path.len() + 2);
    push_canonical_uri(&mut uri, path);
    uri
}

fn push_canonical_uri(out: &mut String, path: &str) {
    let start = out.len();
    for (i, segment) in path.split('/').enumerate() {
        if i > 0 {
            out.push('/');
        }
        if segment.bytes().all(is_unreserved) {
            // Decoding and re-encoding would give the segment back unchanged.
            out.push_str(segment);
        } else {
            out.extend(utf8_percent_encode(
                &percent_decode_str(segment).decode_utf8_lossy(),
                ENCODE,
            ));
        }
    }
    if !out[start..].starts_with('/') {
        out.insert(start, '/');
    }
    if !out.ends_with('/') {
        out.push('/');
    }
}

/// Step 4: the canonical query string: encoded pairs sorted by key, then value.
pub fn canonical_query(query: &[(String, String)]) -> String {
    let mut out = String::new();
    push_canonical_query(&mut out, query);
    out
}

fn push_canonical_query(out: &mut String, query: &[(String, String)]) {
    let mut pairs: Vec<(String, String)> =
        query.iter().map(|(k, v)| (encode(k), encode(v))).collect();
    pairs.sort_unstable();
    for (i, (k, v)) in pairs.iter().enumerate() {
        if i > 0 {
            out.push('&');
        }
        out.push_str(k);
        out.push('=');
        out.push_str(v);
    }
}

/// Steps 5 and 6: appends the canonical header block (`name:value\n`, sorted) to `out` and
/// returns the sorted signed header names, `;`-joined.
fn push_canonical_headers(out: &mut String, headers: &[(&str, &str)]) -> String {
    let mut lines: Vec<(Cow<'_, str>, &str)> = headers
        .iter()
        .map(|(name, value)| {
            let name = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                Cow::Owned(name.to_ascii_lowercase())
            } else {
                Cow::Borrowed(*name)
            };
            (name, value.trim())
        })
        .collect();
    lines.sort_unstable();
    let mut names = String::with_capacity(lines.iter().map(|(n, _)| n.len() + 1).sum());
    let mut previous: Option<&str> = None;
    for (name, value) in &lines {
        out.push_str(name);
        out.push(':');
        out.push_str(value);
        out.push('\n');
        if previous != Some(name) {
            if previous.is_some() {
                names.push(';');
            }
            names.push_str(name);
            previous = Some(name);
        }
    }
    names
}

/// Lower-case hex SHA-256.
pub fn sha256_hex(data: &[u8]) -> String {
    let mut out = String::with_capacity(64);
    push_hex(&mut out, &Sha256::digest(data));
    out
}

/// Appends `bytes` as lower-case hex.
fn push_hex(out: &mut String, bytes: &[u8]) {
    const DIGITS: &[u8; 16] = b"0123456789abcdef";
    out.reserve(bytes.len() * 2);
    for byte in bytes {
        out.push(char::from(DIGITS[usize::from(byte >> 4)]));
        out.push(char::from(DIGITS[usize::from(byte & 0x0f)]));
    }
}

/// Appends the hex HMAC-SHA256 of `message` under `key`.
fn push_hmac_hex(out: &mut String, key: &[u8], message: &str) {
    // HMAC accepts keys of any length, so `new_from_slice` cannot fail.
    let mut mac = match Hmac::<Sha256>::new_from_slice(key) {
        Ok(mac) => mac,
        Err(_) => unreachable!("HMAC-SHA256 takes keys of any length"),
    };
    mac.update(message.as_bytes());
    push_hex(out, &mac.finalize().into_bytes());
}

/// The derived signing key of `V11-HMAC-SHA256`: hex of HKDF-SHA256(ikm = SK, salt = AK, info).
pub fn derived_key(ak: &str, sk: &str, info: &str) -> String {
    let hk = hkdf::Hkdf::<Sha256>::new(Some(ak.as_bytes()), sk.as_bytes());
    let mut okm = [0u8; 32];
    // 32 bytes is far below HKDF-SHA256's limit of 255 * 32, so `expand` cannot fail.
    if hk.expand(info.as_bytes(), &mut okm).is_err() {
        unreachable!("32 bytes is a valid HKDF-SHA256 output length");
    }
    let mut key = String::with_capacity(64);
    push_hex(&mut key, &okm);
    key
}

/// Formats `time` as an `X-Sdk-Date` value (`20191115T033655Z`, the same as [`DATE_FORMAT`]).
pub fn sdk_date(time: chrono::DateTime<chrono::Utc>) -> String {
    use chrono::{Datelike, Timelike};
    let mut out = String::with_capacity(16);
    // Years past 9999 cannot occur on a working clock; they are cut to four digits.
    push_digits(&mut out, time.year().clamp(0, 9999).unsigned_abs(), 4);
    push_digits(&mut out, time.month(), 2);
    push_digits(&mut out, time.day(), 2);
    out.push('T');
    push_digits(&mut out, time.hour(), 2);
    push_digits(&mut out, time.minute(), 2);
    push_digits(&mut out, time.second(), 2);
    out.push('Z');
    out
}

/// Appends the last `width` (at most 4) decimal digits of `value`, zero-padded.
fn push_digits(out: &mut String, value: u32, width: u32) {
    for place in (0..width).rev() {
        let digit = value / 10u32.pow(place) % 10;
        out.push(char::from_digit(digit, 10).unwrap_or('0'));
    }
}

/// Signs `request` with the given key pair. `date` is the `X-Sdk-Date` value, which must also be
/// among the signed headers.
pub fn sign(
    request: &SignableRequest<'_>,
    ak: &str,
    sk: &str,
    date: &str,
    algorithm: &Algorithm,
) -> Signature {
    let mut canonical_request = String::with_capacity(384);
    canonical_request.extend(request.method.chars().map(|c| c.to_ascii_uppercase()));
    canonical_request.push('\n');
    push_canonical_uri(&mut canonical_request, request.path);
    canonical_request.push('\n');
    push_canonical_query(&mut canonical_request, request.query);
    canonical_request.push('\n');
    let signed_headers = push_canonical_headers(&mut canonical_request, request.headers);
    canonical_request.push('\n');
    canonical_request.push_str(&signed_headers);
    canonical_request.push('\n');
    match request
        .headers
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case("x-sdk-content-sha256"))
    {
        Some((_, hash)) => canonical_request.push_str(hash.trim()),
        None if request.body.is_empty() => canonical_request.push_str(EMPTY_BODY_SHA256),
        None => push_hex(&mut canonical_request, &Sha256::digest(request.body)),
    }
    let (name, scope, key) = match algorithm {
        Algorithm::HmacSha256 => (SDK_HMAC_SHA256, None, Cow::Borrowed(sk)),
        Algorithm::DerivedHmacSha256 { info } => (
            V11_HMAC_SHA256,
            Some(info.as_str()),
            Cow::Owned(derived_key(ak, sk, info)),
        ),
    };
    let mut string_to_sign = String::with_capacity(128);
    for part in [Some(name), Some(date), scope].into_iter().flatten() {
        string_to_sign.push_str(part);
        string_to_sign.push('\n');
    }
    push_hex(&mut string_to_sign, &Sha256::digest(&canonical_request));
    let mut authorization = String::with_capacity(160 + signed_headers.len());
    authorization.push_str(name);
    match scope {
        None => {
            authorization.push_str(" Access=");
            authorization.push_str(ak);
        }
        Some(info) => {
            authorization.push_str(" Credential=");
            authorization.push_str(ak);
            authorization.push('/');
            authorization.push_str(info);
        }
    }
    authorization.push_str(", SignedHeaders=");
    authorization.push_str(&signed_headers);
    authorization.push_str(", Signature=");
    push_hmac_hex(&mut authorization, key.as_bytes(), &string_to_sign);
    Signature {
        authorization,
        signed_headers,
        canonical_request,
        string_to_sign,
    }
}

/// The parts of an `Authorization` header.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authorization {
    /// The access key id.
    pub access_key: String,
    /// The algorithm, with the derivation info for `V11-HMAC-SHA256`.
    pub algorithm: Algorithm,
    /// Signed header names, lower case.
    pub signed_headers: Vec<String>,
    /// The hex signature.
    pub signature: String,
}

/// Parses `SDK-HMAC-SHA256 Access=…, SignedHeaders=…, Signature=…` (or the V11 form).
pub fn parse_authorization(value: &str) -> Option<Authorization> {
    let (algorithm, rest) = value.trim().split_once(' ')?;
    let mut access = None;
    let mut signed = None;
    let mut signature = None;
    for part in rest.split(',') {
        let (key, val) = part.trim().split_once('=')?;
        match key {
            "Access" | "Credential" => access = Some(val.to_string()),
            "SignedHeaders" => signed = Some(val.to_string()),
            "Signature" => signature = Some(val.to_string()),
            _ => return None,
        }
    }
    let access = access?;
    let (access_key, algorithm) = match algorithm {
        SDK_HMAC_SHA256 => (access, Algorithm::HmacSha256),
        V11_HMAC_SHA256 => {
            let (ak, info) = access.split_once('/')?;
            (
                ak.to_string(),
                Algorithm::DerivedHmacSha256 {
                    info: info.to_string(),
                },
            )
        }
        _ => return None,
    };
    Some(Authorization {
        access_key,
        algorithm,
        signed_headers: signed?.split(';').map(str::to_string).collect(),
        signature: signature?,
    })
}

/// Why a server-side signature check failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum VerifyError {
    /// No `Authorization` header, or one that does not parse.
    #[error("missing or malformed Authorization header")]
    Malformed,
    /// `X-Sdk-Date` is missing or not among the signed headers.
    #[error("X-Sdk-Date is missing or not signed")]
    MissingDate,
    /// A signed header is absent from the request.
    #[error("signed header `{0}` is absent")]
    MissingHeader(String),
    /// The access key is not known.
    #[error("unknown access key")]
    UnknownAccessKey,
    /// The signature does not match.
    #[error("signature mismatch")]
    Mismatch,
}

/// A received request, as the server sees it.
pub struct ReceivedRequest<'a> {
    /// HTTP method.
    pub method: &'a str,
    /// Path as received.
    pub path: &'a str,
    /// Decoded query pairs.
    pub query: &'a [(String, String)],
    /// Every received header (name, value).
    pub headers: &'a [(String, String)],
    /// Body bytes.
    pub body: &'a [u8],
}

/// Recomputes the signature of a received request; `secret_for` maps an access key to its SK.
/// Returns the access key on success.
pub fn verify(
    request: &ReceivedRequest<'_>,
    secret_for: impl Fn(&str) -> Option<String>,
) -> Result<String, VerifyError> {
    let header = |name: &str| {
        request
            .headers
            .iter()
            .filter(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(n, v)| (n.as_str(), v.as_str()))
            .collect::<Vec<_>>()
    };
    let auth = header("authorization")
        .first()
        .and_then(|(_, v)| parse_authorization(v))
        .ok_or(VerifyError::Malformed)?;
    if !auth.signed_headers.iter().any(|h| h == "x-sdk-date") {
        return Err(VerifyError::MissingDate);
    }
    let date = header("x-sdk-date")
        .first()
        .map(|(_, v)| *v)
        .ok_or(VerifyError::MissingDate)?;
    let mut signed = Vec::new();
    for name in &auth.signed_headers {
        let values = header(name);
        if values.is_empty() {
            return Err(VerifyError::MissingHeader(name.clone()));
        }
        signed.extend(values);
    }
    let sk = secret_for(&auth.access_key).ok_or(VerifyError::UnknownAccessKey)?;
    let expected = sign(
        &SignableRequest {
            method: request.method,
            path: request.path,
            query: request.query,
            headers: &signed,
            body: request.body,
        },
        &auth.access_key,
        &sk,
        date,
        &auth.algorithm,
    );
    let expected_sig = expected
        .authorization
        .rsplit_once("Signature=")
        .map(|(_, s)| s.to_string())
        .unwrap_or_default();
    if expected_sig == auth.signature {
        Ok(auth.access_key)
    } else {
        Err(VerifyError::Mismatch)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_uri_adds_trailing_slash_and_encodes() {
        assert_eq!(canonical_uri(""), "/");
        assert_eq!(canonical_uri("/v2/a b"), "/v2/a%20b/");
        assert_eq!(canonical_uri("/v2/a%20b/"), "/v2/a%20b/");
        assert_eq!(canonical_uri("/x/订单:1"), "/x/%E8%AE%A2%E5%8D%95%3A1/");
    }

    #[test]
    fn sdk_date_matches_the_date_format() {
        use chrono::TimeZone;
        for (secs, expected) in [
            (0, "19700101T000000Z"),
            (1_573_788_615, "20191115T033015Z"),
            (1_717_200_000, "20240601T000000Z"),
            (4_102_444_799, "20991231T235959Z"),
        ] {
            let time = chrono::Utc.timestamp_opt(secs, 0).unwrap();
            assert_eq!(sdk_date(time), expected);
            assert_eq!(sdk_date(time), time.format(DATE_FORMAT).to_string());
        }
    }

    #[test]
    fn canonical_query_matches_the_sdk_unit_test() {
        let q: Vec<(String, String)> = [
            ("limit", "1"),
            ("enable", "true"),
            ("test", "一 (&=?!#%.*)"),
            ("path", "/tmp/123"),
            ("multi", "3"),
            ("multi", "1"),
            ("multi", "2"),
        ]
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        assert_eq!(
            canonical_query(&q),
            "enable=true&limit=1&multi=1&multi=2&multi=3&path=%2Ftmp%2F123&test=%E4%B8%80%20%28%26%3D%3F%21%23%25.%2A%29"
        );
    }

    #[test]
    fn verify_round_trips_and_detects_tampering() {
        let headers = [
            ("Host", "127.0.0.1:8080"),
            ("X-Sdk-Date", "20240101T000000Z"),
        ];
        let query = vec![("a".to_string(), "b c".to_string())];
        let sig = sign(
            &SignableRequest {
                method: "POST",
                path: "/v2/x",
                query: &query,
                headers: &headers,
                body: b"{}",
            },
            "AK",
            "SK",
            "20240101T000000Z",
            &Algorithm::HmacSha256,
        );
        let mut received: Vec<(String, String)> = headers
            .iter()
            .map(|(n, v)| (n.to_string(), v.to_string()))
            .collect();
        received.push(("Authorization".into(), sig.authorization.clone()));
        let req = ReceivedRequest {
            method: "POST",
            path: "/v2/x",
            query: &query,
            headers: &received,
            body: b"{}",
        };
        assert_eq!(verify(&req, |_| Some("SK".into())), Ok("AK".into()));
        assert_eq!(
            verify(&req, |_| Some("other".into())),
            Err(VerifyError::Mismatch)
        );
        assert_eq!(verify(&req, |_| None), Err(VerifyError::UnknownAccessKey));
        let tampered = ReceivedRequest {
            body: b"{\"a\":1}",
            ..req
        };
        assert_eq!(
            verify(&tampered, |_| Some("SK".into())),
            Err(VerifyError::Mismatch)
        );
    }
}
