//! `hcbss` end to end against a loopback mock server: every operation is callable, errors are
//! printed with their code, message and request id, and the exit codes tell the failures apart.

use std::process::{Command, Output};

use contract_tests::{AK, SK, example, fits_template, same_decoded, signed};
use httpmock::prelude::*;
use serde_json::Value;

/// One invocation per operation, one file per API group (`tests/calls/<group>.json`): the
/// subcommand and its flags. Every operation must have a row.
fn calls(group: &str) -> serde_json::Map<String, Value> {
    let path = format!("{}/tests/calls/{group}.json", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{path}: {e}"))
}

/// `hcbss args…` pointed at `server`, with the test credentials and nothing else in its
/// environment.
fn command(server: &MockServer, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hcbss"));
    command
        .args(args)
        .args(["--endpoint", &server.base_url()])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK);
    command
}

fn hcbss(server: &MockServer, args: &[&str]) -> Output {
    command(server, args).output().expect("hcbss runs")
}

#[tokio::test]
async fn every_operation_is_callable() {
    for group in huaweicloud_bss::GROUPS {
        let rows = calls(group.name);
        assert_eq!(
            rows.len(),
            group.operations.len(),
            "tests/calls/{}.json must have one row per operation",
            group.name
        );
        for operation in group.operations {
            let command = operation.command_name();
            let args: Vec<&str> = rows
                .get(&command)
                .unwrap_or_else(|| panic!("no CLI test row for `{command}`"))
                .as_array()
                .expect("a row is an array of arguments")
                .iter()
                .map(|a| a.as_str().expect("arguments are strings"))
                .collect();
            let server = MockServer::start_async().await;
            let body = example(group.name, operation.id);
            let method: Method = operation.method.parse().expect("a known method");
            let mock = server
                .mock_async(|when, then| {
                    let template = operation.path;
                    when.method(method)
                        .is_true(move |req: &HttpMockRequest| fits_template(template, req))
                        .is_true(signed);
                    then.status(200).json_body(body.clone());
                })
                .await;
            let mut argv = vec![command.as_str()];
            argv.extend_from_slice(&args);
            if operation.site == huaweicloud_bss::meta::SiteScope::InternationalOnly {
                argv.extend_from_slice(&["--site", "intl"]);
            }
            let out = hcbss(&server, &argv);
            let stderr = String::from_utf8_lossy(&out.stderr);
            // An HTTP 200 whose documented example lists failed items is a failure of the command,
            // with the items on stderr; the response is still printed.
            let failed = operation
                .partial_failure
                .and_then(|field| body.get(field))
                .and_then(Value::as_array)
                .map_or(0, Vec::len);
            if failed > 0 {
                assert_eq!(out.status.code(), Some(1), "{command}: {stderr}");
                assert!(
                    stderr.contains(&format!("error: {failed} item(s) failed")),
                    "{command}: {stderr}"
                );
            } else {
                assert!(out.status.success(), "{command}: {stderr}");
            }
            mock.assert_async().await;
            let printed: Value = serde_json::from_slice(&out.stdout).expect("stdout is JSON");
            if let Err(difference) = same_decoded(&body, &printed) {
                panic!("{command}: printed response differs: {difference}");
            }
        }
    }
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

#[test]
fn console_url_prints_the_sso_url() {
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args([
            "console-url",
            "--x-account-type",
            "partner_saas",
            "--target",
            "https://console-intl.huaweicloud.com/iam/?locale=en-us",
            "--site",
            "intl",
        ])
        .env_clear()
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout).trim(),
        "https://auth-intl.huaweicloud.com/authui/saml/login?xAccountType=partner_saas&isFirstLogin=false&service=https%3A%2F%2Fconsole-intl.huaweicloud.com%2Fiam%2F%3Flocale%3Den-us"
    );
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .args([
            "console-url",
            "--x-account-type",
            "p",
            "--target",
            "http://x/",
        ])
        .env_clear()
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(2));
}

fn run(server: &MockServer, args: &[&str], env: &[(&str, &str)]) -> Output {
    let mut command = command(server, args);
    command.envs(env.iter().copied());
    command.output().expect("hcbss runs")
}

async fn provinces_server() -> MockServer {
    let server = MockServer::start_async().await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .query_param("offset", "0");
            then.status(200)
                .json_body(serde_json::json!({"count": 3, "provinces": [
                    {"code": "CN-11", "name": "北京市"},
                    {"code": "CN-12", "name": "天津, 市"}
                ]}));
        })
        .await;
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .query_param("offset", "2");
            then.status(200)
                .json_body(serde_json::json!({"count": 3, "provinces": [
                    {"code": "CN-13", "name": "河北省"}
                ]}));
        })
        .await;
    server
}

#[tokio::test]
async fn output_formats_render_the_list() {
    let server = provinces_server().await;
    let out = run(
        &server,
        &["list-provinces", "--offset", "0", "--output", "table"],
        &[],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "code   name\nCN-11  北京市\nCN-12  天津, 市\n"
    );
    let out = run(
        &server,
        &["list-provinces", "--offset", "0", "-o", "csv"],
        &[],
    );
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "code,name\nCN-11,北京市\nCN-12,\"天津, 市\"\n"
    );
}

/// Runs hcbss with its stderr on a pseudo-terminal (what a person watching sees) and returns its
/// output and everything written to the terminal.
fn run_on_terminal(server: &MockServer, args: &[&str]) -> (Output, String) {
    use std::io::Read;
    use std::os::fd::{FromRawFd, OwnedFd};
    let (mut master, mut slave) = (0, 0);
    let size = libc::winsize {
        ws_row: 30,
        ws_col: 120,
        ws_xpixel: 0,
        ws_ypixel: 0,
    };
    // SAFETY: openpty writes two new file descriptors into the integers it is given.
    let opened = unsafe {
        libc::openpty(
            &mut master,
            &mut slave,
            std::ptr::null_mut(),
            std::ptr::null(),
            &size,
        )
    };
    assert_eq!(opened, 0, "openpty failed");
    // SAFETY: both descriptors were just opened and are owned by nobody else.
    let (master, slave) = unsafe { (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave)) };
    let reader = std::thread::spawn(move || {
        let mut terminal = std::fs::File::from(master);
        let mut seen = Vec::new();
        // Reading ends with EIO once the child has closed the terminal.
        let _ = terminal.read_to_end(&mut seen);
        String::from_utf8_lossy(&seen).into_owned()
    });
    let child = command(server, args)
        .env("TERM", "xterm")
        .stderr(std::process::Stdio::from(slave))
        .stdout(std::process::Stdio::piped())
        .spawn()
        .expect("hcbss runs");
    let out = child.wait_with_output().expect("hcbss ends");
    (out, reader.join().expect("the terminal is read"))
}

#[tokio::test]
async fn all_shows_progress_on_a_terminal() {
    let server = MockServer::start_async().await;
    for (offset, codes) in [("0", ["CN-11", "CN-12"]), ("2", ["CN-13", "CN-14"])] {
        server
            .mock_async(|when, then| {
                when.method(GET)
                    .path("/v2/systems/configs/provinces")
                    .query_param("offset", offset);
                then.status(200)
                    .delay(std::time::Duration::from_millis(400))
                    .json_body(serde_json::json!({"count": 5, "provinces": [
                        {"code": codes[0], "name": "省"}, {"code": codes[1], "name": "省"}
                    ]}));
            })
            .await;
    }
    server
        .mock_async(|when, then| {
            when.method(GET)
                .path("/v2/systems/configs/provinces")
                .query_param("offset", "4");
            then.status(200)
                .delay(std::time::Duration::from_millis(400))
                .json_body(serde_json::json!({"count": 5, "provinces": [
                    {"code": "CN-15", "name": "省"}
                ]}));
        })
        .await;
    let (out, terminal) = run_on_terminal(&server, &["list-provinces", "--all", "--limit", "2"]);
    assert!(out.status.success(), "{terminal}");
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(items.as_array().map(Vec::len), Some(5));
    assert!(
        terminal.contains("/5 records"),
        "a progress bar with the total is drawn on the terminal: {terminal:?}"
    );
}

#[tokio::test]
async fn all_prints_every_item_of_every_page_and_no_progress_when_piped() {
    let server = provinces_server().await;
    let out = run(&server, &["list-provinces", "--all", "--limit", "2"], &[]);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Value = serde_json::from_slice(&out.stdout).unwrap();
    let codes: Vec<_> = items
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["code"].as_str().unwrap())
        .collect();
    assert_eq!(codes, ["CN-11", "CN-12", "CN-13"]);
    assert!(
        out.stderr.is_empty(),
        "stderr is not a terminal: no progress bar"
    );
    let out = run(
        &server,
        &["list-provinces", "--all", "--limit", "2", "-o", "csv"],
        &[],
    );
    assert!(out.status.success());
    assert_eq!(
        String::from_utf8_lossy(&out.stdout),
        "code,name\nCN-11,北京市\nCN-12,\"天津, 市\"\nCN-13,河北省\n"
    );
}

#[test]
fn help_lists_the_operations_by_group_and_completions_print() {
    let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
        .arg("--help")
        .output()
        .unwrap();
    let help = String::from_utf8_lossy(&out.stdout);
    for group in huaweicloud_bss::GROUPS {
        let heading = format!(
            "{}{} operations:",
            group.name[..1].to_uppercase(),
            &group.name[1..]
        );
        assert!(help.contains(&heading), "{heading} missing from:\n{help}");
        for op in group.operations {
            let line = format!("  {}", op.command_name());
            assert!(help.contains(&line), "{line} missing");
        }
    }
    for shell in ["bash", "zsh", "fish"] {
        let out = Command::new(env!("CARGO_BIN_EXE_hcbss"))
            .args(["completions", shell])
            .output()
            .unwrap();
        assert!(out.status.success());
        assert!(
            String::from_utf8_lossy(&out.stdout).contains("list-provinces"),
            "{shell}"
        );
    }
}
