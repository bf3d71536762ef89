//! The sandbox's gateway layer, tested the way the real gateway would be probed: signed requests
//! straight into `Sandbox::handle` where tokio's paused clock makes counts exact, and real
//! sockets (the client, or raw TCP where a client cannot produce the input) for everything on
//! the wire.

mod common;

use std::time::Duration;

use bytes::Bytes;
use huaweicloud_bss::signer::{self, Algorithm, SignableRequest};
use huaweicloud_bss_sandbox::{Config, DEMO_AK, DEMO_SK, Sandbox};

/// The operation the tests call: a cheap read with no parameters.
const MEASUREMENTS: &str = "/v2/bases/measurements";
/// The host the in-process requests are signed for.
const HOST: &str = "sandbox.test";

/// A second key pair, for per-key behaviour.
const OTHER_AK: &str = "HCBSSSANDBOXOTHERAK02";
const OTHER_SK: &str = "another-sandbox-secret";

/// Both key pairs.
fn two_keys() -> Vec<(String, String)> {
    vec![
        (DEMO_AK.into(), DEMO_SK.into()),
        (OTHER_AK.into(), OTHER_SK.into()),
    ]
}

/// `X-Sdk-Date` for now plus `skew` seconds.
fn date(skew: i64) -> String {
    signer::sdk_date(chrono::Utc::now() + chrono::Duration::seconds(skew))
}

/// A request signed with `ak`/`sk` at `date`, with `extra` headers also signed.
fn signed(
    ak: &str,
    sk: &str,
    method: &str,
    path: &str,
    body: &[u8],
    date: &str,
    extra: &[(&str, &str)],
) -> http::Request<Bytes> {
    let mut headers = vec![("host", HOST), ("x-sdk-date", date)];
    headers.extend_from_slice(extra);
    let signature = signer::sign(
        &SignableRequest {
            method,
            path,
            query: &[],
            headers: &headers,
            body,
        },
        ak,
        sk,
        date,
        &Algorithm::HmacSha256,
    );
    let mut request = http::Request::builder()
        .method(method)
        .uri(path)
        .header("authorization", signature.authorization)
        .header("content-type", "application/json");
    for (name, value) in headers {
        request = request.header(name, value);
    }
    request
        .body(Bytes::copy_from_slice(body))
        .expect("a valid request")
}

/// A signed read of the measurement units by `ak`.
fn read_as(ak: &str, sk: &str) -> http::Request<Bytes> {
    signed(ak, sk, "GET", MEASUREMENTS, b"", &date(0), &[])
}

/// The error code of an answer, if it is an error.
fn code(response: &http::Response<Bytes>) -> Option<String> {
    let body: serde_json::Value = serde_json::from_slice(response.body()).ok()?;
    body.get("error_code")?.as_str().map(str::to_string)
}

/// How many of `n` reads by `ak`, sent back to back, were answered 429 `APIGW.0308`.
async fn throttled_of(sandbox: &Sandbox, n: usize, ak: &str, sk: &str) -> usize {
    let mut throttled = 0;
    for _ in 0..n {
        let response = sandbox.handle(read_as(ak, sk)).await;
        if response.status() == 429 {
            assert_eq!(code(&response).as_deref(), Some("APIGW.0308"));
            throttled += 1;
        } else {
            assert_eq!(response.status(), 200, "{:?}", response.body());
        }
    }
    throttled
}

#[tokio::test(start_paused = true)]
async fn twice_the_limit_at_once_lets_the_limit_through() {
    let sandbox = Sandbox::new(Config {
        rate_limit: Some(5),
        ..Config::default()
    });
    assert_eq!(throttled_of(&sandbox, 10, DEMO_AK, DEMO_SK).await, 5);
    let response = sandbox.handle(read_as(DEMO_AK, DEMO_SK)).await;
    let body: serde_json::Value = serde_json::from_slice(response.body()).expect("JSON");
    assert_eq!(
        body["error_msg"],
        "The throttling threshold has been reached: policy user over ratelimit, limit:5, time:1 second"
    );
    assert!(response.headers().get("retry-after").is_none());
}

#[tokio::test(start_paused = true)]
async fn requests_paced_under_the_limit_are_never_throttled() {
    let sandbox = Sandbox::new(Config {
        rate_limit: Some(5),
        ..Config::default()
    });
    let mut throttled = 0;
    for _ in 0..50 {
        throttled += throttled_of(&sandbox, 1, DEMO_AK, DEMO_SK).await;
        tokio::time::advance(Duration::from_millis(200)).await;
    }
    assert_eq!(throttled, 0);
    // A second of quiet refills the whole burst.
    tokio::time::advance(Duration::from_secs(1)).await;
    assert_eq!(throttled_of(&sandbox, 5, DEMO_AK, DEMO_SK).await, 0);
}

#[tokio::test(start_paused = true)]
async fn each_access_key_has_its_own_bucket() {
    let sandbox = Sandbox::new(Config {
        credentials: two_keys(),
        rate_limit: Some(3),
        ..Config::default()
    });
    assert_eq!(throttled_of(&sandbox, 6, DEMO_AK, DEMO_SK).await, 3);
    assert_eq!(throttled_of(&sandbox, 6, OTHER_AK, OTHER_SK).await, 3);
}

#[tokio::test(start_paused = true)]
async fn the_limit_is_decided_on_arrival_and_latency_still_served() {
    let sandbox = Sandbox::new(Config {
        rate_limit: Some(2),
        latency: Duration::from_millis(300),
        ..Config::default()
    });
    let started = tokio::time::Instant::now();
    let answers =
        futures::future::join_all((0..4).map(|_| sandbox.handle(read_as(DEMO_AK, DEMO_SK)))).await;
    // All four arrived at once: two pass, two are throttled, and every answer took the latency.
    assert_eq!(answers.iter().filter(|r| r.status() == 429).count(), 2);
    assert_eq!(started.elapsed(), Duration::from_millis(300));
}

#[tokio::test]
async fn over_the_wire_the_client_sees_the_gateway_429() {
    let sandbox = Sandbox::new(Config {
        rate_limit: Some(3),
        ..Config::default()
    })
    .start("127.0.0.1:0".parse().expect("an address"))
    .await
    .expect("the sandbox starts");
    let client = common::client(&sandbox);
    let answers =
        futures::future::join_all((0..30).map(|_| client.catalog().list_measure_units().send()))
            .await;
    let throttled = answers
        .iter()
        .filter(|a| matches!(a, Err(e) if e.is_throttled() && e.code() == Some("APIGW.0308")))
        .count();
    let passed = answers.iter().filter(|a| a.is_ok()).count();
    assert_eq!(passed + throttled, 30);
    // Three pass at once; more only as tokens come back (one per third of a second).
    assert!((3..30).contains(&passed), "{passed} passed");
}
