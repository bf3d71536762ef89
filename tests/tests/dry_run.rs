//! A dry run validates, builds and signs each request exactly as it would be sent, then returns
//! it in an error instead of sending it: the server sees nothing and no secret is shown.

use contract_tests::{Reply, ScriptedServer, builder};
use huaweicloud_bss::{Credentials, ErrorKind, Input, RetryPolicy};
use serde_json::json;

#[tokio::test]
async fn a_dry_run_returns_the_signed_request_and_sends_nothing() {
    let server = ScriptedServer::start(vec![Reply::json(200, &json!({}))]).await;
    let client = builder(&server.url())
        .dry_run(true)
        .retry(RetryPolicy::default().with_max_attempts(5))
        .build()
        .unwrap();
    let input = Input {
        body: Some(json!({"limit": 10})),
        ..Input::default()
    };
    let operation = huaweicloud_bss::find_operation("ListSubCustomers").unwrap();
    let err = client.invoke(operation, &input).await.unwrap_err();
    assert_eq!(err.kind(), ErrorKind::DryRun, "{err:?}");
    let request = err.dry_run_request().expect("the prepared request");
    assert_eq!(request.method, "POST");
    assert_eq!(
        request.url,
        format!("{}/v2/partners/sub-customers/query", server.url())
    );
    assert_eq!(request.header("authorization"), Some("[redacted]"));
    assert!(request.header("x-sdk-date").is_some());
    let body: serde_json::Value = serde_json::from_slice(&request.body).unwrap();
    assert_eq!(body["limit"], 10);
    assert!(!err.to_string().contains("Signature"));

    // A temporary credential's token is redacted too, and the JSON path gives the same.
    let client = builder(&server.url())
        .credentials(Credentials::temporary("AK1", "SK1", "TOKEN-1"))
        .dry_run(true)
        .build()
        .unwrap();
    let operation = huaweicloud_bss::find_operation("ListMeasureUnits").unwrap();
    let err = client
        .invoke(operation, &Input::default())
        .await
        .unwrap_err();
    let request = err.dry_run_request().unwrap();
    assert_eq!(request.method, "GET");
    assert_eq!(request.header("x-security-token"), Some("[redacted]"));
    let shown = format!("{request:?}{err}");
    assert!(
        !shown.contains("TOKEN-1") && !shown.contains("SK1"),
        "{shown}"
    );
    assert_eq!(server.requests(), 0, "a dry run sent a request");
}

#[tokio::test]
async fn invalid_input_fails_before_the_dry_run() {
    let client = builder("http://127.0.0.1:9").dry_run(true).build().unwrap();
    let err = client
        .catalog()
        .list_measure_units()
        .x_language("far-too-long-language")
        .send()
        .await
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::InvalidInput, "{err:?}");
    assert!(err.dry_run_request().is_none());
}
