//! Fault tests: what the client does when the server fails, counting what the server saw.
//! Reads are retried (throttling, 5xx, broken connections) within the attempt limit; an
//! authentication failure never is; timeouts bound every attempt and the whole operation; bodies
//! that are HTML, truncated or very large are handled without a panic.

use std::time::{Duration, Instant};

use contract_tests::{Reply, ScriptedServer, builder, signed};
use httpmock::prelude::*;
use huaweicloud_bss::{Client, RetryPolicy};
use serde_json::json;

/// Fast retries for tests: 3 attempts, backoff capped at 20 ms.
fn quick() -> RetryPolicy {
    RetryPolicy::default()
        .with_max_attempts(3)
        .with_backoff(Duration::from_millis(5), Duration::from_millis(20))
}

fn client(url: &str) -> Client {
    builder(url).retry(quick()).build().unwrap()
}

const UNITS: &str = "/v2/bases/measurements";

/// A successful answer with one measure unit.
fn one_unit() -> Reply {
    Reply::json(
        200,
        &json!({"measure_units": [{"measure_id": 10, "measure_name": "GB"}]}),
    )
}

async fn list_units(client: &Client) -> Result<usize, huaweicloud_bss::Error> {
    let response = client.catalog().list_measure_units().send().await?;
    Ok(response.measure_units.len())
}

#[tokio::test]
async fn reads_retry_server_errors_up_to_the_attempt_limit() {
    let server = MockServer::start_async().await;
    let failing = server
        .mock_async(|when, then| {
            when.method(GET).path(UNITS).is_true(signed);
            then.status(503)
                .json_body(json!({"error_code": "CBC.0999", "error_msg": "busy"}));
        })
        .await;
    let err = list_units(&client(&server.base_url())).await.unwrap_err();
    // Every attempt was signed afresh (the mock checks each), and the error keeps the last answer.
    assert!(err.is_server(), "{err:?}");
    assert_eq!(err.code(), Some("CBC.0999"));
    failing.assert_calls_async(3).await;
}

#[tokio::test]
async fn reads_recover_when_the_server_does() {
    let server = ScriptedServer::start(vec![
        Reply::json(500, &json!({"error_code": "CBC.0999", "error_msg": "x"})),
        Reply::json(502, &json!({"error_code": "APIGW.0502", "error_msg": "y"})),
        one_unit(),
    ])
    .await;
    assert_eq!(list_units(&client(&server.url())).await.unwrap(), 1);
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn throttling_is_retried_honouring_retry_after() {
    let throttled = Reply::Raw(
        b"HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\nretry-after: 0.3\r\ncontent-length: 85\r\nconnection: close\r\n\r\n{\"error_code\":\"APIGW.0308\",\"error_msg\":\"The throttling threshold has been reached\"}   "
            .to_vec(),
    );
    let server = ScriptedServer::start(vec![
        throttled,
        Reply::json(200, &json!({"measure_units": []})),
    ])
    .await;
    let started = Instant::now();
    assert_eq!(list_units(&client(&server.url())).await.unwrap(), 0);
    assert_eq!(server.requests(), 2);
    assert!(
        started.elapsed() >= Duration::from_millis(300),
        "Retry-After was not honoured"
    );
}

#[tokio::test]
async fn authentication_failures_are_never_retried() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(UNITS);
            then.status(401)
                .header("X-Request-Id", "rid-auth")
                .json_body(json!({
                    "error_code": "APIGW.0301",
                    "error_msg": "Incorrect IAM authentication information: verify aksk signature fail",
                    "request_id": "rid-body"
                }));
        })
        .await;
    let err = list_units(&client(&server.base_url())).await.unwrap_err();
    assert!(err.is_authentication(), "{err:?}");
    assert_eq!(err.request_id(), Some("rid-auth"));
    mock.assert_calls_async(1).await;
}

#[tokio::test]
async fn html_error_bodies_keep_status_request_id_and_raw_body() {
    let server = MockServer::start_async().await;
    let mock = server
        .mock_async(|when, then| {
            when.method(GET).path(UNITS);
            then.status(502)
                .header("content-type", "text/html")
                .header("X-Request-Id", "rid-html")
                .body("<html><body><h1>502 Bad Gateway</h1></body></html>");
        })
        .await;
    let err = list_units(&client(&server.base_url())).await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(err.request_id(), Some("rid-html"));
    assert!(
        err.raw_body().unwrap().contains("502 Bad Gateway"),
        "{err:?}"
    );
    assert!(err.is_server());
    mock.assert_calls_async(3).await;
}

#[tokio::test]
async fn truncated_and_reset_responses_are_retried_for_reads() {
    let server = ScriptedServer::start(vec![
        Reply::truncated(500, "{\"measure_units\":[{\"measu"),
        Reply::Reset,
        Reply::json(200, &json!({"measure_units": [{"measure_id": 1}]})),
    ])
    .await;
    assert_eq!(list_units(&client(&server.url())).await.unwrap(), 1);
    assert_eq!(server.requests(), 3);

    let server = ScriptedServer::start(vec![Reply::truncated(500, "{\"measure_units\":[")]).await;
    let err = list_units(&client(&server.url())).await.unwrap_err();
    assert!(err.is_transport() || err.is_decode(), "{err:?}");
    assert_eq!(server.requests(), 3);
}

#[tokio::test]
async fn a_malformed_success_body_is_a_decode_error_with_the_raw_body() {
    let server = ScriptedServer::start(vec![Reply::Raw(
        b"HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 9\r\nconnection: close\r\n\r\nnot json!"
            .to_vec(),
    )])
    .await;
    let err = list_units(&client(&server.url())).await.unwrap_err();
    assert!(err.is_decode(), "{err:?}");
    assert_eq!(err.raw_body(), Some("not json!"));
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_server_slower_than_the_timeout_times_out_every_attempt() {
    let server = ScriptedServer::start(vec![Reply::Hang(Duration::from_secs(5))]).await;
    let client = builder(&server.url())
        .retry(quick())
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = list_units(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.requests(), 3);
    assert!(started.elapsed() < Duration::from_secs(2));
}

#[tokio::test]
async fn the_operation_timeout_bounds_retries_and_backoff() {
    let server = ScriptedServer::start(vec![Reply::Hang(Duration::from_secs(5))]).await;
    let client = builder(&server.url())
        .retry(RetryPolicy::default().with_max_attempts(10))
        .timeout(Duration::from_secs(1))
        .operation_timeout(Duration::from_millis(400))
        .build()
        .unwrap();
    let started = Instant::now();
    let err = list_units(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert!(
        started.elapsed() < Duration::from_millis(1000),
        "{:?}",
        started.elapsed()
    );
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn a_very_large_response_decodes() {
    let server = MockServer::start_async().await;
    let units: Vec<_> = (0..200_000)
        .map(|i| json!({"measure_id": i, "measure_name": format!("单位{i}"), "abbreviation": "u", "measure_type": 7}))
        .collect();
    let body = json!({ "measure_units": units }).to_string();
    assert!(body.len() > 10_000_000);
    server
        .mock_async(|when, then| {
            when.method(GET).path(UNITS);
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    assert_eq!(
        list_units(&client(&server.base_url())).await.unwrap(),
        200_000
    );
}

#[tokio::test]
async fn connection_refused_is_a_transport_error_after_the_attempts() {
    // Port 9 (discard) on loopback refuses connections.
    let err = list_units(&client("http://127.0.0.1:9")).await.unwrap_err();
    assert!(err.is_transport(), "{err:?}");
}

/// A state change: creating a customer (a retry could create a second account).
async fn create_customer(client: &Client) -> Result<(), huaweicloud_bss::Error> {
    client
        .customers()
        .create_sub_customer()
        .body_map(|b| {
            b.xaccount_id("platform-user-1")
                .xaccount_type("partner_saas")
        })
        .send()
        .await?;
    Ok(())
}

#[tokio::test]
async fn a_state_change_is_sent_exactly_once_whatever_fails() {
    let error =
        |status: u16| Reply::json(status, &json!({"error_code": "CBC.0999", "error_msg": "x"}));
    let throttled = Reply::json(
        429,
        &json!({"error_code": "APIGW.0308", "error_msg": "throttled"}),
    );
    let cases = [
        ("500", error(500)),
        ("502", error(502)),
        ("503", error(503)),
        ("429", throttled),
        ("reset connection", Reply::Reset),
        ("truncated body", Reply::truncated(100, "{\"domain_id\":")),
    ];
    for (name, reply) in cases {
        let server = ScriptedServer::start(vec![reply]).await;
        let err = create_customer(&client(&server.url())).await.unwrap_err();
        assert_eq!(
            server.requests(),
            1,
            "{name}: a state change was re-sent ({err:?})"
        );
    }
    // A timeout too: the request may have been processed.
    let server = ScriptedServer::start(vec![Reply::Hang(Duration::from_secs(5))]).await;
    let client = builder(&server.url())
        .retry(quick())
        .timeout(Duration::from_millis(150))
        .build()
        .unwrap();
    let err = create_customer(&client).await.unwrap_err();
    assert!(err.is_timeout(), "{err:?}");
    assert_eq!(server.requests(), 1, "a timed-out state change was re-sent");
}

#[tokio::test]
async fn a_state_change_that_never_left_is_retried() {
    // Nothing listens on port 9: the connection is refused before any byte is sent, so trying
    // again cannot apply the change twice. Every attempt fails the same way here.
    let started = Instant::now();
    let err = create_customer(&client("http://127.0.0.1:9"))
        .await
        .unwrap_err();
    assert!(err.is_transport(), "{err:?}");
    assert!(started.elapsed() < Duration::from_secs(2));
}

/// The retry decision sees the error code as well as the status: a throttling code is retried
/// for a read under any status, whatever the status says, and the error body still reaches the
/// caller whole.
#[tokio::test]
async fn a_throttling_code_is_retried_under_any_status() {
    let server = ScriptedServer::start(vec![
        Reply::json(
            400,
            &json!({"error_code": "CBC.0250", "error_msg": "flow control"}),
        ),
        Reply::json(
            403,
            &json!({"error_code": "APIG.0308", "error_msg": "policy user over ratelimit, limit:5, time:1 second"}),
        ),
        one_unit(),
    ])
    .await;
    assert_eq!(list_units(&client(&server.url())).await.unwrap(), 1);
    assert_eq!(server.requests(), 3);

    // Throttled on every attempt: the error keeps the last answer and says it is throttled.
    let server = ScriptedServer::start(vec![Reply::json(
        400,
        &json!({"error_code": "CBC.0250", "error_msg": "flow control", "request_id": "rid-flow"}),
    )])
    .await;
    let err = list_units(&client(&server.url())).await.unwrap_err();
    assert_eq!(server.requests(), 3);
    assert!(err.is_throttled() && err.is_retryable(), "{err:?}");
    assert_eq!(
        (err.status(), err.code(), err.message(), err.request_id()),
        (
            Some(400),
            Some("CBC.0250"),
            "flow control",
            Some("rid-flow")
        )
    );
}

#[tokio::test]
async fn codes_that_are_not_retryable_stop_at_one_request() {
    let cases = [
        // A refused request, whatever the status.
        (400, "CBC.0100", "invalid parameter"),
        // Authentication is never retried, even under a server status: the AK would lock.
        (500, "APIGW.0307", "The token must be updated."),
        (403, "APIGW.0301", "verify aksk signature fail"),
    ];
    for (status, code, message) in cases {
        let server = ScriptedServer::start(vec![Reply::json(
            status,
            &json!({"error_code": code, "error_msg": message}),
        )])
        .await;
        let err = list_units(&client(&server.url())).await.unwrap_err();
        assert_eq!(server.requests(), 1, "{code} was retried");
        assert!(!err.is_retryable(), "{err:?}");
        assert_eq!((err.code(), err.message()), (Some(code), message));
    }
    // A server error code under a client status is retried for a read.
    let server = ScriptedServer::start(vec![Reply::json(
        400,
        &json!({"error_code": "CBC.0999", "error_msg": "unknown"}),
    )])
    .await;
    let err = list_units(&client(&server.url())).await.unwrap_err();
    assert_eq!(server.requests(), 3);
    assert!(err.is_retryable(), "{err:?}");
}

#[tokio::test]
async fn a_state_change_is_not_retried_on_a_throttling_code() {
    let server = ScriptedServer::start(vec![Reply::json(
        400,
        &json!({"error_code": "CBC.0250", "error_msg": "flow control"}),
    )])
    .await;
    let err = create_customer(&client(&server.url())).await.unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
    assert_eq!(server.requests(), 1);
}

#[tokio::test]
async fn an_error_body_is_read_up_to_a_bound() {
    // 3 MiB of error page: only the first MiB is kept, and nothing breaks.
    let body = "x".repeat(3 << 20);
    let server = ScriptedServer::start(vec![Reply::Raw(
        format!(
            "HTTP/1.1 502 Bad Gateway\r\ncontent-type: text/html\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
        .into_bytes(),
    )])
    .await;
    let err = list_units(&client(&server.url())).await.unwrap_err();
    assert_eq!(err.status(), Some(502));
    assert_eq!(
        err.raw_body().map(str::len),
        Some(1 << 20),
        "{:?}",
        err.code()
    );
}
