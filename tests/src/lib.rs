//! Helpers shared by the contract tests: a client pointed at a loopback mock server, a
//! server-side signature check, exact query matching, and the documented examples read from the
//! specs themselves.

use std::future::Future;

use httpmock::prelude::*;
use huaweicloud_bss::signer::{ReceivedRequest, verify};
use huaweicloud_bss::{Client, Credentials};
use serde_json::Value;

/// The access key the tests sign with.
pub const AK: &str = "CONTRACTTESTAK0000001";
/// The secret key the tests sign with.
pub const SK: &str = "contract-test-secret-key";
/// A value with Chinese text, `& + / %` and a space, to prove encoding end to end.
pub const TRICKY: &str = "华为 云&a+b/c%d";

/// A client for `server`, signing with [`AK`]/[`SK`].
pub fn client(server: &MockServer) -> Client {
    Client::builder()
        .credentials(Credentials::aksk(AK, SK))
        .endpoint(server.base_url())
        .build()
        .expect("a valid test configuration")
}

/// Whether a received request carries `X-Sdk-Date` and an `Authorization` whose signature,
/// recomputed here from what arrived, matches.
pub fn signed(req: &HttpMockRequest) -> bool {
    let headers = req.headers_vec();
    let has = |name: &str| headers.iter().any(|(n, _)| n.eq_ignore_ascii_case(name));
    if !has("x-sdk-date") || !has("authorization") || has("api-version") {
        return false;
    }
    let uri = req.uri();
    let query = req.query_params();
    verify(
        &ReceivedRequest {
            method: req.method_str(),
            path: uri.path(),
            query: &query,
            headers,
            body: req.body_ref(),
        },
        |ak| (ak == AK).then(|| SK.to_string()),
    )
    .is_ok()
}

/// A matcher for exactly these query pairs (in any order, no others), encoded the way they are
/// signed: a space travels as `%20`, never `+`.
pub fn exact_query(
    expected: &[(&str, &str)],
) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    let mut expected: Vec<(String, String)> = expected
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
    expected.sort();
    move |req: &HttpMockRequest| {
        let raw = req.uri().query().unwrap_or("").to_string();
        let mut got = req.query_params();
        got.sort();
        got == expected && !raw.contains('+')
    }
}

/// A matcher for exactly this JSON body.
pub fn exact_body(expected: Value) -> impl Fn(&HttpMockRequest) -> bool + Send + Sync + 'static {
    move |req: &HttpMockRequest| {
        serde_json::from_slice::<Value>(req.body_ref()).is_ok_and(|body| body == expected)
    }
}

/// The documented success example of an operation, read from `openapi/<group>.yaml`; `null`
/// for a success response without content.
pub fn example(group: &str, operation_id: &str) -> Value {
    let path = format!("{}/../openapi/{group}.yaml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).expect("the spec exists");
    let spec: Value = serde_norway::from_str(&text).expect("the spec parses");
    for item in spec["paths"].as_object().expect("paths").values() {
        for operation in item.as_object().expect("path item").values() {
            if operation["operationId"] == operation_id {
                let responses = operation["responses"].as_object().expect("responses");
                for (status, response) in responses {
                    if status.starts_with('2') {
                        // A success without content (lint requires an example otherwise) has
                        // the `null` example.
                        return response["content"]["application/json"]["example"].clone();
                    }
                }
            }
        }
    }
    panic!("{operation_id}: no success example in {path}")
}

/// Answers `method path` with a documented 400 and checks that the call's error carries the
/// status, the error code, the message and the `X-Request-Id`.
pub async fn assert_typed_error<T, F, Fut>(method: Method, path: &str, call: F)
where
    T: std::fmt::Debug,
    F: FnOnce(Client) -> Fut,
    Fut: Future<Output = Result<T, huaweicloud_bss::Error>>,
{
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(method).path(path).is_true(signed);
            then.status(400)
                .header("content-type", "application/json")
                .header("X-Request-Id", "req-0123456789abcdef")
                .json_body(serde_json::json!({
                    "error_code": "CBC.0100",
                    "error_msg": "参数错误: invalid parameter"
                }));
        })
        .await;
    let err = call(client(&server)).await.expect_err("a 400 is an error");
    mock.assert_async().await;
    assert_eq!(err.status(), Some(400), "{err:?}");
    assert_eq!(err.code(), Some("CBC.0100"));
    assert_eq!(err.message(), "参数错误: invalid parameter");
    assert_eq!(err.request_id(), Some("req-0123456789abcdef"));
    assert!(err.is_invalid_request());
}
