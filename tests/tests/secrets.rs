//! Secrets (the SK, a security token, an IAM token) never reach `Debug` output, error messages or
//! traces, at any level, whatever happens to the call.

use std::io::Write;
use std::sync::{Arc, Mutex};

use httpmock::prelude::*;
use huaweicloud_bss::{Client, Credentials};
use serde_json::json;

const SK: &str = "SECRET-SK-must-not-leak-0001";
const TOKEN: &str = "SECRET-TOKEN-must-not-leak-0002";
const IAM: &str = "SECRET-IAM-must-not-leak-0003";

#[derive(Clone, Default)]
struct Captured(Arc<Mutex<Vec<u8>>>);

impl Write for Captured {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(buf);
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[tokio::test]
async fn secrets_never_reach_debug_errors_or_traces() {
    let captured = Captured::default();
    let writer = captured.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_max_level(tracing::Level::TRACE)
        .with_writer(move || writer.clone())
        .finish();
    let _guard = tracing::subscriber::set_default(subscriber);

    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/bases/measurements");
            then.status(200).json_body(json!({"measure_units": []}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/bases/conversions");
            then.status(401).json_body(
                json!({"error_code": "APIGW.0301", "error_msg": "verify aksk signature fail"}),
            );
        })
        .await;

    let temporary = Client::builder()
        .credentials(Credentials::temporary("AKTEMP", SK, TOKEN).with_domain_id("dom"))
        .endpoint(server.base_url())
        .build()
        .unwrap();
    let token = temporary.with_credentials(Credentials::token(IAM)).unwrap();
    let mut seen = Vec::new();
    for client in [&temporary, &token] {
        client.catalog().list_measure_units().send().await.unwrap();
        let err: huaweicloud_bss::Error = client
            .catalog()
            .list_conversions()
            .send()
            .await
            .unwrap_err();
        seen.push(format!("{err} {err:?}"));
        seen.push(format!("{client:?}"));
    }
    seen.push(String::from_utf8_lossy(&captured.0.lock().unwrap()).into_owned());
    let everything = seen.join("\n");
    assert!(everything.contains("bss.call"), "the calls were traced");
    assert!(
        everything.contains("AKTEMP"),
        "the access key id is not a secret"
    );
    for secret in [SK, TOKEN, IAM] {
        assert!(
            !everything.contains(secret),
            "{secret} leaked:\n{everything}"
        );
    }
}
