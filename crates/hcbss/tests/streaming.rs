//! `hcbss --all` streaming and shell manners, through the real binary against a scripted
//! loopback server that counts what it received: items come out in order in every format, a
//! failed page leaves valid output and the `--offset` to resume from, `--concurrency` and
//! `--max-items` fetch only what they must, a closed stdout ends `hcbss` quietly, the memory held
//! does not grow with the record count, and a text value may begin with `-`.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};

use contract_tests::{AK, SK};
use serde_json::{Value, json};

/// One request as the server read it: the request target (path and query) and the body.
#[derive(Clone, Debug)]
struct Seen {
    target: String,
    body: Value,
}

/// Answers a request: HTTP status and JSON body.
type Respond = dyn Fn(&Seen) -> (u16, Vec<u8>) + Send + Sync;

/// A keep-alive HTTP/1.1 server on loopback, one thread per connection, that records every
/// request it read.
struct Loopback {
    url: String,
    seen: Arc<Mutex<Vec<Seen>>>,
}

impl Loopback {
    fn start(respond: impl Fn(&Seen) -> (u16, Vec<u8>) + Send + Sync + 'static) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let respond: Arc<Respond> = Arc::new(respond);
        let log = seen.clone();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { return };
                let (respond, log) = (respond.clone(), log.clone());
                std::thread::spawn(move || serve(stream, &*respond, &log));
            }
        });
        Loopback { url, seen }
    }

    fn seen(&self) -> Vec<Seen> {
        self.seen.lock().unwrap().clone()
    }
}

fn serve(stream: TcpStream, respond: &Respond, log: &Mutex<Vec<Seen>>) {
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split(' ').nth(1).unwrap_or("").to_string();
        let mut length = 0;
        loop {
            let mut header = String::new();
            if reader.read_line(&mut header).unwrap_or(0) == 0 {
                return;
            }
            if header == "\r\n" {
                break;
            }
            if let Some((name, value)) = header.split_once(':')
                && name.eq_ignore_ascii_case("content-length")
            {
                length = value.trim().parse().unwrap_or(0);
            }
        }
        let mut body = vec![0; length];
        if reader.read_exact(&mut body).is_err() {
            return;
        }
        let seen = Seen {
            target,
            body: serde_json::from_slice(&body).unwrap_or(Value::Null),
        };
        log.lock().unwrap().push(seen.clone());
        let (status, answer) = respond(&seen);
        let head = format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            answer.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&answer).is_err() {
            return;
        }
    }
}

fn customer(i: u64) -> Value {
    json!({
        "customer": format!("客户{i}有限公司"),
        "account_name": format!("customer_{i:06}"),
        "customer_id": format!("{i:032x}"),
        "associated_on": "2024-03-28T08:00:00Z",
        "association_type": "2",
        "label": "vip",
        "telephone": "138****0000",
        "verified_status": "2",
        "country_code": "0086",
        "customer_type": 1,
        "is_frozen": 0,
        "xaccount_id": format!("x-{i}"),
        "xaccount_type": "partner_saas",
        "customer_level": "V2"
    })
}

/// A ListSubCustomers server holding `count` customers (offset and limit in the JSON body) that
/// answers 400 `CBC.0100` for a page starting at `fail_at`.
fn customers(count: u64, fail_at: Option<u64>) -> Loopback {
    Loopback::start(move |seen| {
        let offset = seen.body["offset"].as_u64().unwrap_or(0);
        let limit = seen.body["limit"].as_u64().unwrap_or(10);
        if Some(offset) == fail_at {
            let error = json!({"error_code": "CBC.0100", "error_msg": "Invalid parameter."});
            return (400, error.to_string().into_bytes());
        }
        let items: Vec<Value> = (offset..count.min(offset + limit)).map(customer).collect();
        let page = json!({"count": count, "customer_infos": items});
        (200, page.to_string().into_bytes())
    })
}

/// The (offset, limit) of every request, in the order received.
fn windows(server: &Loopback) -> Vec<(u64, u64)> {
    let mut windows: Vec<(u64, u64)> = server
        .seen()
        .iter()
        .map(|s| {
            (
                s.body["offset"].as_u64().unwrap(),
                s.body["limit"].as_u64().unwrap(),
            )
        })
        .collect();
    windows.sort_unstable();
    windows
}

fn hcbss(url: &str, args: &[&str]) -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_hcbss"));
    command
        .args(args)
        .args(["--endpoint", url])
        .env_clear()
        .env("HUAWEICLOUD_SDK_AK", AK)
        .env("HUAWEICLOUD_SDK_SK", SK);
    command
}

fn account_names(items: &[Value]) -> Vec<String> {
    items
        .iter()
        .map(|i| i["account_name"].as_str().unwrap().to_string())
        .collect()
}

fn expected_names(range: std::ops::Range<u64>) -> Vec<String> {
    range.map(|i| format!("customer_{i:06}")).collect()
}

#[test]
fn every_format_streams_every_item_in_order() {
    let server = customers(250, None);
    let list = ["list-sub-customers", "--all"];
    let out = hcbss(&server.url, &list).output().unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(account_names(&items), expected_names(0..250));
    assert_eq!(windows(&server), [(0, 100), (100, 100), (200, 100)]);
    let out = hcbss(&server.url, &[&list[..], &["-o", "jsonl"]].concat())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let items: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(account_names(&items), expected_names(0..250));
    let out = hcbss(&server.url, &[&list[..], &["-o", "csv"]].concat())
        .output()
        .unwrap();
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rows = csv::Reader::from_reader(text.as_bytes());
    let column = rows
        .headers()
        .unwrap()
        .iter()
        .position(|h| h == "account_name")
        .unwrap();
    let names: Vec<String> = rows
        .records()
        .map(|r| r.unwrap()[column].to_string())
        .collect();
    assert_eq!(names, expected_names(0..250));
}

#[test]
fn concurrent_pages_keep_the_order_and_max_items_fetches_only_what_it_needs() {
    let server = customers(1000, None);
    let out = hcbss(
        &server.url,
        &[
            "list-sub-customers",
            "--all",
            "--concurrency",
            "4",
            "-o",
            "jsonl",
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    let items: Vec<Value> = String::from_utf8(out.stdout)
        .unwrap()
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect();
    assert_eq!(account_names(&items), expected_names(0..1000));
    assert_eq!(
        windows(&server),
        (0..10).map(|p| (p * 100, 100)).collect::<Vec<_>>()
    );
    // Five items take one page of five; 150 take two pages of the given size.
    let server = customers(1000, None);
    let out = hcbss(
        &server.url,
        &[
            "list-sub-customers",
            "--all",
            "--max-items",
            "5",
            "--offset",
            "7",
        ],
    )
    .output()
    .unwrap();
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(account_names(&items), expected_names(7..12));
    assert_eq!(windows(&server), [(7, 5)]);
    let server = customers(1000, None);
    let out = hcbss(
        &server.url,
        &[
            "list-sub-customers",
            "--all",
            "--max-items",
            "150",
            "--limit",
            "100",
        ],
    )
    .output()
    .unwrap();
    let items: Vec<Value> = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(account_names(&items), expected_names(0..150));
    assert_eq!(windows(&server), [(0, 100), (100, 100)]);
}

#[test]
fn a_failed_page_leaves_valid_json_and_the_offset_to_resume_from() {
    for concurrency in ["1", "3"] {
        let server = customers(1000, Some(400));
        let out = hcbss(
            &server.url,
            &["list-sub-customers", "--all", "--concurrency", concurrency],
        )
        .output()
        .unwrap();
        assert_eq!(out.status.code(), Some(1));
        let items: Vec<Value> = serde_json::from_slice(&out.stdout).expect("one closed array");
        assert_eq!(account_names(&items), expected_names(0..400));
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(stderr.contains("error code: CBC.0100"), "{stderr}");
        assert!(
            stderr.contains(
                "400 item(s) were written; to continue, run the same command with --offset 400"
            ),
            "{stderr}"
        );
        // The page asked for was refused once: a 400 is not retried.
        assert_eq!(windows(&server).iter().filter(|w| w.0 == 400).count(), 1);
    }
    // Resuming from there gives the rest.
    let server = customers(1000, None);
    let out = hcbss(
        &server.url,
        &[
            "list-sub-customers",
            "--all",
            "--offset",
            "400",
            "-o",
            "jsonl",
        ],
    )
    .output()
    .unwrap();
    assert!(out.status.success());
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 600);
    assert_eq!(windows(&server).first(), Some(&(400, 100)));
    // Failing at once: nothing on stdout, the offset it started from.
    let server = customers(1000, Some(0));
    let out = hcbss(&server.url, &["list-sub-customers", "--all", "-o", "csv"])
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert!(
        out.stdout.is_empty() || out.stdout == b"\"\"\n",
        "{:?}",
        out.stdout
    );
    assert!(String::from_utf8_lossy(&out.stderr).contains("with --offset 0"));
}

#[test]
fn a_new_field_in_a_later_page_is_named_not_dropped_in_csv() {
    let server = Loopback::start(|seen| {
        let offset = seen.body["offset"].as_u64().unwrap_or(0);
        let mut items: Vec<Value> = (offset..offset + 2).map(customer).collect();
        // `email` is a declared field that the first page's records leave out.
        if offset == 2 {
            items[1]["email"] = json!("c3@example.com");
        }
        let page = json!({"count": 6, "customer_infos": items});
        (200, page.to_string().into_bytes())
    });
    let out = hcbss(
        &server.url,
        &["list-sub-customers", "--all", "--limit", "2", "-o", "csv"],
    )
    .output()
    .unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stderr}");
    assert!(stderr.contains("item 3 has a field `email`"), "{stderr}");
    assert!(stderr.contains("with --offset 2"), "{stderr}");
    assert_eq!(String::from_utf8(out.stdout).unwrap().lines().count(), 3);
}

/// Reads 100 bytes of a running `hcbss`'s stdout, closes it, and returns the exit code and
/// stderr (what `hcbss … | head -c 100` sees).
fn close_early(mut child: Child) -> (Option<i32>, String) {
    let mut stdout = child.stdout.take().unwrap();
    let mut first = [0u8; 100];
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let out = child.wait_with_output().unwrap();
    (
        out.status.code(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn a_closed_pipe_ends_hcbss_quietly_and_stops_paging() {
    let server = customers(50_000, None);
    let child = hcbss(&server.url, &["list-sub-customers", "--all"])
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let (code, stderr) = close_early(child);
    assert_eq!(code, Some(141), "{stderr}");
    assert_eq!(stderr, "");
    assert!(
        server.seen().len() < 50,
        "paging stopped: {} pages",
        server.seen().len()
    );
    // The same with the in-process sandbox, and without --all.
    for args in [
        &["--sandbox", "list-sub-customers", "--all"][..],
        &[
            "--sandbox",
            "list-provinces",
            "--limit",
            "34",
            "-o",
            "table",
        ][..],
    ] {
        let child = Command::new(env!("CARGO_BIN_EXE_hcbss"))
            .args(args)
            .env_clear()
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let (code, stderr) = close_early(child);
        // A short answer may be written whole before the pipe closes.
        assert!(matches!(code, Some(0 | 141)), "{args:?}: {code:?} {stderr}");
        assert_eq!(stderr, "", "{args:?}");
    }
}

/// Runs `command` to the end with stdout on /dev/null and returns whether it succeeded and its
/// peak resident memory in KiB (`VmHWM`, read from /proc while it runs). Not `getrusage`: a
/// child started with vfork (as `Command` does) is charged the peak of this test process's own
/// memory at `exec`.
fn run_measured(mut command: Command) -> (bool, u64) {
    let mut child = command
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let status_file = format!("/proc/{}/status", child.id());
    let mut peak = 0;
    loop {
        if let Some(status) = child.try_wait().unwrap() {
            return (status.success(), peak);
        }
        // The peak only grows: the last reading before the exit is the peak up to then.
        let text = std::fs::read_to_string(&status_file).unwrap_or_default();
        if let Some(kib) = text
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        {
            peak = peak.max(kib);
        }
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

#[test]
fn memory_stays_bounded_whatever_the_count() {
    let small = customers(1_000, None);
    let large = customers(40_000, None);
    let (status, small_kib) = run_measured(hcbss(
        &small.url,
        &["list-sub-customers", "--all", "-o", "json"],
    ));
    assert!(status, "hcbss succeeded");
    let (status, large_kib) = run_measured(hcbss(
        &large.url,
        &["list-sub-customers", "--all", "-o", "json"],
    ));
    assert!(status, "hcbss succeeded");
    assert_eq!(large.seen().len(), 400, "every page was fetched");
    // 40,000 records are about 20 MB as pretty JSON and about 40 MB as JSON values: holding
    // them would show. Streaming holds one page, so 40 times the records costs (nearly) nothing.
    assert!(
        large_kib < small_kib + 8 * 1024,
        "1,000 records: {small_kib} KiB, 40,000 records: {large_kib} KiB"
    );
    assert!(large_kib < 64 * 1024, "{large_kib} KiB");
}

#[test]
fn a_text_value_may_begin_with_a_hyphen() {
    let server = Loopback::start(|_| (200, br#"{"total_count": 0, "order_infos": []}"#.to_vec()));
    let out = hcbss(
        &server.url,
        &[
            "list-customer-orders",
            "--order-by",
            "-createTime",
            "--limit",
            "10",
        ],
    )
    .output()
    .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let seen = server.seen();
    assert_eq!(seen.len(), 1);
    assert!(
        seen[0].target.contains("order_by=-createTime"),
        "{}",
        seen[0].target
    );
}
