//! `hcbss` at the data edges, counting what the server saw: a misspelt key in `--json-body` is a
//! usage error naming the nearest field and nothing is sent; what the service answers is printed
//! as it was sent (unknown fields, every digit); a state change whose answer was lost exits 4 and
//! says which command shows whether it was applied.

use std::process::{Command, Output};

use contract_tests::{AK, Reply, SK, ScriptedServer};
use httpmock::prelude::*;
use serde_json::Value;

fn hcbss(endpoint: &str, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(args)
        .args(["--endpoint", endpoint])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .output()
        .expect("hcbss runs")
}

/// A JSON file holding `body`, removed when dropped.
struct BodyFile(std::path::PathBuf);

impl BodyFile {
    fn new(name: &str, body: &str) -> BodyFile {
        let path =
            std::env::temp_dir().join(format!("hcbss-edges-{}-{name}.json", std::process::id()));
        std::fs::write(&path, body).unwrap();
        BodyFile(path)
    }
    fn path(&self) -> &str {
        self.0.to_str().unwrap()
    }
}

impl Drop for BodyFile {
    fn drop(&mut self) {
        let _ = std::fs::remove_file(&self.0);
    }
}

#[tokio::test]
async fn a_misspelt_body_key_is_a_usage_error_and_nothing_is_sent() {
    let server = MockServer::start_async().await;
    let any = contract_tests::catch_all(&server).await;
    let file = BodyFile::new(
        "typo",
        r#"{"xaccount_id": "u1", "xaccount_type": "partner_saas", "domian_name": "acme"}"#,
    );
    let out = hcbss(
        &server.base_url(),
        &["create-sub-customer", "--json-body", file.path()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains(
            "`domian_name`: not a field of CreateSubCustomer's body; did you mean `domain_name`?"
        ),
        "{stderr}"
    );
    assert_eq!(any.calls_async().await, 0);
}

#[tokio::test]
async fn the_answer_is_printed_as_the_service_sent_it() {
    let body = r#"{"customer_infos":[{"customer_id":"c1","zeta":1,"new_field":{"b":[1,2.50]},"big":123456789012345678901234567890.123456789012345678901}],"count":1,"added_later":true}"#;
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200)
                .header("content-type", "application/json")
                .body(body);
        })
        .await;
    let out = hcbss(&server.base_url(), &["list-sub-customers", "--limit", "10"]);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let printed = String::from_utf8(out.stdout).unwrap();
    // Pretty-printed, but the same fields in the same order with the same digits.
    let compact: Value = serde_json::from_str(&printed).unwrap();
    assert_eq!(serde_json::to_string(&compact).unwrap(), body);
    assert!(printed.contains("123456789012345678901234567890.123456789012345678901"));
    assert!(printed.contains("2.50"));
}

// The scripted server runs on the runtime's other threads while this one waits for `hcbss`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_state_change_whose_answer_was_lost_exits_4() {
    let server = ScriptedServer::start(vec![Reply::truncated(100, "{\"domain_id\":")]).await;
    let file = BodyFile::new(
        "create",
        r#"{"xaccount_id": "u1", "xaccount_type": "partner_saas"}"#,
    );
    let out = hcbss(
        &server.url(),
        &["create-sub-customer", "--json-body", file.path()],
    );
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(4), "{stderr}");
    assert!(
        stderr.contains("may or may not have been applied"),
        "{stderr}"
    );
    assert!(
        stderr.contains("check with: hcbss list-sub-customers"),
        "{stderr}"
    );
    assert_eq!(server.requests(), 1);
}
