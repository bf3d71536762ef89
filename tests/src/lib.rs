//! Helpers shared by the contract tests: a client pointed at a loopback mock server, a
//! server-side signature check, exact query matching, and the documented examples read from the
//! specs themselves.

use std::future::Future;

use httpmock::prelude::*;
use huaweicloud_bss::signer::{ReceivedRequest, verify};
use huaweicloud_bss::{Client, Credentials};
use serde_json::Value;

mod round_trip;
pub use round_trip::round_trip;

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

/// Every contract case of a group (`tests/contracts/<group>.json`), by operation id.
pub fn contract_cases(group: &str) -> serde_json::Map<String, Value> {
    let path = format!("{}/contracts/{group}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// The call a contract case makes: its `params` and its `body`.
pub fn case_input(case: &Value) -> huaweicloud_bss::Input {
    huaweicloud_bss::Input {
        params: match case.get("params") {
            Some(Value::Object(params)) => params.clone(),
            None => serde_json::Map::new(),
            Some(other) => panic!("params must be an object, not {other}"),
        },
        body: case.get("body").cloned(),
    }
}

/// The site an operation is called on: the international one for international-only
/// operations, China otherwise.
pub fn site_of(operation: &huaweicloud_bss::Operation) -> huaweicloud_bss::Site {
    match operation.site {
        huaweicloud_bss::meta::SiteScope::InternationalOnly => huaweicloud_bss::Site::International,
        _ => huaweicloud_bss::Site::China,
    }
}

/// Whether a request's path fits a path template (`/v2/x/{id}`): the same segments, with any
/// non-empty value where the template has a parameter.
pub fn fits_template(template: &str, req: &HttpMockRequest) -> bool {
    let path = req.uri().path().to_string();
    let got: Vec<&str> = path.split('/').collect();
    let want: Vec<&str> = template.split('/').collect();
    got.len() == want.len()
        && want
            .iter()
            .zip(&got)
            .all(|(w, g)| w == g || (w.starts_with('{') && !g.is_empty()))
}

/// A mock answering every request with `200 {}`, to count what was sent (nothing, in the tests
/// of what is refused before sending).
pub async fn catch_all(server: &MockServer) -> httpmock::Mock<'_> {
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200).json_body(serde_json::json!({}));
        })
        .await
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

/// Whether `got` (a response decoded into the typed model and encoded again) carries the same
/// data as `expected` (the documented example): numbers compare as exact decimals (`12.50` is
/// `12.5`), a numeric string in the example may come back as a number (amounts the server sends
/// as strings), and an empty array or object may come back omitted. Anything else must be equal;
/// the error names the JSON path of the first difference.
pub fn same_decoded(expected: &Value, got: &Value) -> Result<(), String> {
    fn decimal(value: &Value) -> Option<rust_decimal::Decimal> {
        use std::str::FromStr;
        let text = match value {
            Value::Number(n) => n.to_string(),
            Value::String(s) => s.trim().to_string(),
            _ => return None,
        };
        rust_decimal::Decimal::from_str(&text)
            .or_else(|_| rust_decimal::Decimal::from_scientific(&text))
            .ok()
    }
    fn is_empty(value: &Value) -> bool {
        matches!(value, Value::Array(a) if a.is_empty())
            || matches!(value, Value::Object(o) if o.is_empty())
    }
    fn walk(expected: &Value, got: &Value, at: &str) -> Result<(), String> {
        let differ = || Err(format!("{at}: documented {expected}, decoded {got}"));
        match (expected, got) {
            (Value::Object(e), Value::Object(g)) => {
                for (key, value) in e {
                    match g.get(key) {
                        Some(other) => walk(value, other, &format!("{at}/{key}"))?,
                        None if is_empty(value) => {}
                        None => return Err(format!("{at}/{key}: documented but not decoded")),
                    }
                }
                for (key, value) in g {
                    if !e.contains_key(key) && !is_empty(value) {
                        return Err(format!("{at}/{key}: decoded but not documented"));
                    }
                }
                Ok(())
            }
            (Value::Array(e), Value::Array(g)) if e.len() == g.len() => e
                .iter()
                .zip(g)
                .enumerate()
                .try_for_each(|(i, (e, g))| walk(e, g, &format!("{at}/{i}"))),
            (Value::Number(_) | Value::String(_), Value::Number(_)) => {
                match (decimal(expected), decimal(got)) {
                    (Some(e), Some(g)) if e == g => Ok(()),
                    _ => differ(),
                }
            }
            _ if expected == got => Ok(()),
            _ => differ(),
        }
    }
    walk(expected, got, "")
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
    let mock = documented_400(&server, method, path).await;
    let err = call(client(&server)).await.expect_err("a 400 is an error");
    mock.assert_async().await;
    assert_documented_400(&err, path);
}

/// Answers signed `method` requests whose path fits `template` with a documented 400:
/// `CBC.0100` with a message and an `X-Request-Id`.
pub async fn documented_400<'a>(
    server: &'a MockServer,
    method: Method,
    template: &str,
) -> httpmock::Mock<'a> {
    let template = template.to_string();
    server
        .mock_async(|when, then| {
            when.method(method)
                .is_true(move |req: &HttpMockRequest| fits_template(&template, req))
                .is_true(signed);
            then.status(400)
                .header("content-type", "application/json")
                .header("X-Request-Id", "req-0123456789abcdef")
                .json_body(serde_json::json!({
                    "error_code": "CBC.0100",
                    "error_msg": "参数错误: invalid parameter"
                }));
        })
        .await
}

/// Checks that `err` is the [`documented_400`], typed: its status, error code, message and
/// request id, and that it counts as an invalid request. `context` names the call in failures.
pub fn assert_documented_400(err: &huaweicloud_bss::Error, context: &str) {
    assert_eq!(err.status(), Some(400), "{context}: {err:?}");
    assert_eq!(err.code(), Some("CBC.0100"), "{context}");
    assert_eq!(err.message(), "参数错误: invalid parameter", "{context}");
    assert_eq!(err.request_id(), Some("req-0123456789abcdef"), "{context}");
    assert!(err.is_invalid_request(), "{context}: {err:?}");
}

/// A client builder for `url` with the test credentials, to adjust retries and timeouts.
pub fn builder(url: &str) -> huaweicloud_bss::ClientBuilder {
    Client::builder()
        .credentials(Credentials::aksk(AK, SK))
        .endpoint(url)
}

/// What a [`ScriptedServer`] does with one request.
#[derive(Clone, Debug)]
pub enum Reply {
    /// Writes these bytes and closes the connection.
    Raw(Vec<u8>),
    /// Closes the connection at once, with a TCP reset, without answering.
    Reset,
    /// Waits this long, then closes without answering.
    Hang(std::time::Duration),
}

impl Reply {
    /// A complete HTTP/1.1 response with a JSON body.
    pub fn json(status: u16, body: &Value) -> Reply {
        let body = body.to_string();
        Reply::Raw(
            format!(
                "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
                body.len()
            )
            .into_bytes(),
        )
    }

    /// A response that promises `promised` body bytes and sends only `sent` before closing.
    pub fn truncated(promised: usize, sent: &str) -> Reply {
        Reply::Raw(
            format!(
                "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {promised}\r\nconnection: close\r\n\r\n{sent}"
            )
            .into_bytes(),
        )
    }
}

/// A loopback HTTP server that answers the n-th request with the n-th reply of its script (the
/// last reply repeats) and counts the requests it read.
pub struct ScriptedServer {
    addr: std::net::SocketAddr,
    requests: std::sync::Arc<std::sync::atomic::AtomicUsize>,
}

impl ScriptedServer {
    /// Starts the server on 127.0.0.1 (an ephemeral port).
    pub async fn start(script: Vec<Reply>) -> ScriptedServer {
        use std::sync::atomic::Ordering;
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let addr = listener.local_addr().unwrap();
        let requests = std::sync::Arc::new(std::sync::atomic::AtomicUsize::new(0));
        let counter = requests.clone();
        tokio::spawn(async move {
            while let Ok((mut socket, _)) = listener.accept().await {
                let counter = counter.clone();
                let script = script.clone();
                tokio::spawn(async move {
                    // Read the head and the body the head announces.
                    let mut buffer = Vec::new();
                    let mut chunk = [0u8; 4096];
                    let head_end = loop {
                        let Ok(n) = socket.read(&mut chunk).await else {
                            return;
                        };
                        if n == 0 {
                            return;
                        }
                        buffer.extend_from_slice(&chunk[..n]);
                        if let Some(i) = buffer.windows(4).position(|w| w == b"\r\n\r\n") {
                            break i + 4;
                        }
                    };
                    let head = String::from_utf8_lossy(&buffer[..head_end]).to_ascii_lowercase();
                    let length = head
                        .lines()
                        .find_map(|l| l.strip_prefix("content-length:"))
                        .and_then(|v| v.trim().parse::<usize>().ok())
                        .unwrap_or(0);
                    while buffer.len() < head_end + length {
                        match socket.read(&mut chunk).await {
                            Ok(0) | Err(_) => return,
                            Ok(n) => buffer.extend_from_slice(&chunk[..n]),
                        }
                    }
                    let index = counter.fetch_add(1, Ordering::SeqCst);
                    match &script[index.min(script.len() - 1)] {
                        Reply::Raw(bytes) => {
                            let _ = socket.write_all(bytes).await;
                            let _ = socket.shutdown().await;
                        }
                        Reply::Reset => {
                            let _ = socket.set_zero_linger();
                            drop(socket);
                        }
                        Reply::Hang(duration) => {
                            tokio::time::sleep(*duration).await;
                        }
                    }
                });
            }
        });
        ScriptedServer { addr, requests }
    }

    /// The base URL.
    pub fn url(&self) -> String {
        format!("http://{}", self.addr)
    }

    /// How many requests arrived.
    pub fn requests(&self) -> usize {
        self.requests.load(std::sync::atomic::Ordering::SeqCst)
    }
}
