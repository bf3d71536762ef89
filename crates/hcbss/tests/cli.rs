//! `hcbss` end to end against a loopback mock server: every operation is callable, errors are
//! printed with their code, message and request id, and the exit codes tell the failures apart.

use std::process::{Command, Output};

use contract_tests::{AK, SK, example, signed};
use httpmock::prelude::*;
use serde_json::Value;

/// One invocation per operation: the subcommand and its flags. Every operation must have a row.
const CALLS: &[(&str, &[&str])] = &[
    ("list-provinces", &["--limit", "1000"]),
    ("list-cities", &["--province-code", "CN-44"]),
    (
        "list-counties",
        &["--city-code", "CN-4403", "--x-language", "zh_CN"],
    ),
    ("list-service-types", &["--service-type-name", "弹性 云"]),
    ("list-resource-types", &["--offset", "10", "--limit", "10"]),
    (
        "list-service-resources",
        &["--service-type-code", "hws.service.type.ec2"],
    ),
    (
        "list-usage-types",
        &["--resource-type-code", "hws.resource.type.vm"],
    ),
    ("list-measure-units", &[]),
    ("list-conversions", &["--measure-type", "7"]),
    (
        "list-sub-customers",
        &[
            "--offset",
            "0",
            "--limit",
            "100",
            "--account-name",
            "partner_demo",
        ],
    ),
    (
        "create-sub-customer",
        &["--xaccount-id", "u-1001", "--xaccount-type", "partner_saas"],
    ),
    (
        "check-user-identity",
        &["--search-type", "name", "--search-value", "demo_user1"],
    ),
    (
        "send-verification-message-code",
        &["--receiver-type", "1", "--mobile-phone", "13800000000"],
    ),
    (
        "list-sub-customer-new-tag",
        &["--customer-ids", "[\"0a1b2c3d4e5f60718293a4b5c6d7e8f9\"]"],
    ),
    ("list-indirect-partners", &["--limit", "100"]),
];

fn hcbss(server: &MockServer, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(args)
        .args(["--endpoint", &server.base_url()])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .output()
        .expect("hcbss runs")
}

#[tokio::test]
async fn every_operation_is_callable() {
    let mut covered = 0;
    for group in huaweicloud_bss::GROUPS {
        for operation in group.operations {
            let command = operation.command_name();
            let (_, args) = CALLS
                .iter()
                .find(|(name, _)| *name == command)
                .unwrap_or_else(|| panic!("no CLI test row for `{command}`"));
            let server = MockServer::start_async().await;
            let body = match operation.id {
                "SendVerificationMessageCode" => Value::Null,
                id => example(group.name, id),
            };
            let method: Method = operation.method.parse().expect("a known method");
            let mock = server
                .mock_async(|when, then| {
                    when.method(method).path(operation.path).is_true(signed);
                    then.status(200).json_body(body.clone());
                })
                .await;
            let mut argv = vec![command.as_str()];
            argv.extend_from_slice(args);
            let out = hcbss(&server, &argv);
            let stderr = String::from_utf8_lossy(&out.stderr);
            assert!(out.status.success(), "{command}: {stderr}");
            mock.assert_async().await;
            let printed: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
            assert_eq!(printed, body, "{command}: printed response");
            covered += 1;
        }
    }
    assert_eq!(covered, CALLS.len(), "a CLI test row names no operation");
}

#[tokio::test]
async fn api_errors_print_code_message_and_request_id_and_exit_1() {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET).path("/v2/systems/configs/provinces");
            then.status(400)
                .header("X-Request-Id", "rid-42")
                .json_body(serde_json::json!({"error_code": "CBC.0100", "error_msg": "参数错误"}));
        })
        .await;
    let out = hcbss(&server, &["list-provinces"]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("status: 400"), "{stderr}");
    assert!(stderr.contains("error code: CBC.0100"), "{stderr}");
    assert!(stderr.contains("message: 参数错误"), "{stderr}");
    assert!(stderr.contains("request id: rid-42"), "{stderr}");
    assert!(out.stdout.is_empty());
}

#[tokio::test]
async fn invalid_input_exits_2_and_sends_nothing() {
    let server = MockServer::start_async().await;
    let any = server
        .mock_async(|when, then| {
            when.any_request();
            then.status(200);
        })
        .await;
    let out = hcbss(&server, &["list-provinces", "--limit", "1001"]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("limit: must be at most 1000"), "{stderr}");
    let out = hcbss(&server, &["list-provinces", "--offset", "ten"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("--offset: must be an integer"));
    any.assert_calls_async(0).await;
}

#[test]
fn transport_failures_exit_3() {
    // Port 9 (discard) on loopback refuses connections.
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(["list-provinces", "--endpoint", "http://127.0.0.1:9"])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK)
        .output()
        .unwrap();
    assert_eq!(
        out.status.code(),
        Some(3),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn missing_credentials_exit_2_and_secrets_never_print() {
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(["list-provinces", "--endpoint", "http://127.0.0.1:9"])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("HUAWEICLOUD_SDK_AK"));
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args(["list-provinces", "--endpoint", "http://127.0.0.1:9"])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", "sk with spaces is-secret")
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("sk"), "{stderr}");
    assert!(!stderr.contains("is-secret"), "{stderr}");
}
