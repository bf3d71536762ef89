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
/// An operation with a JSON body (ListSubCustomers).
const QUERY_CUSTOMERS: &str = "/v2/partners/sub-customers/query";
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

// ---- authentication as strict as the gateway ----

/// A signed ListSubCustomers request whose head the tests send with a body of their own.
fn query_customers() -> http::Request<Bytes> {
    signed(
        DEMO_AK,
        DEMO_SK,
        "POST",
        QUERY_CUSTOMERS,
        b"",
        &date(0),
        &[],
    )
}

/// The status and error code of `request`'s answer.
async fn outcome(sandbox: &Sandbox, request: http::Request<Bytes>) -> (u16, Option<String>) {
    let response = sandbox.handle(request).await;
    (response.status().as_u16(), code(&response))
}

#[tokio::test]
async fn dates_more_than_fifteen_minutes_off_are_refused() {
    let sandbox = Sandbox::new(Config::default());
    let refused = (401, Some("APIGW.0301".to_string()));
    for date in [
        date(-16 * 60),
        date(16 * 60),
        "20150101T000000Z".to_string(),
        "20990101T000000Z".to_string(),
        "garbage".to_string(),
    ] {
        let request = signed(DEMO_AK, DEMO_SK, "GET", MEASUREMENTS, b"", &date, &[]);
        assert_eq!(outcome(&sandbox, request).await, refused, "{date}");
    }
    for skew in [-14 * 60, 0, 14 * 60] {
        let request = signed(DEMO_AK, DEMO_SK, "GET", MEASUREMENTS, b"", &date(skew), &[]);
        assert_eq!(outcome(&sandbox, request).await, (200, None), "{skew}");
    }
}

#[tokio::test]
async fn a_body_other_than_the_signed_one_is_refused() {
    let sandbox = Sandbox::new(Config::default());
    let path = QUERY_CUSTOMERS;
    let signed_body = br#"{"offset":0,"limit":1}"#;
    let hash = signer::sha256_hex(signed_body);
    let extra = [("x-sdk-content-sha256", hash.as_str())];
    let honest = signed(
        DEMO_AK,
        DEMO_SK,
        "POST",
        path,
        signed_body,
        &date(0),
        &extra,
    );
    assert_eq!(outcome(&sandbox, honest).await, (200, None));
    let mut swapped = signed(
        DEMO_AK,
        DEMO_SK,
        "POST",
        path,
        signed_body,
        &date(0),
        &extra,
    );
    *swapped.body_mut() = Bytes::from_static(br#"{"offset":0,"limit":2}"#);
    assert_eq!(
        outcome(&sandbox, swapped).await,
        (401, Some("APIGW.0301".to_string()))
    );
}

#[tokio::test]
async fn a_replay_within_the_window_is_answered_again_as_at_the_gateway() {
    // The gateway keeps no memory of signatures: only the date window limits a replay.
    let sandbox = Sandbox::new(Config::default());
    let request = read_as(DEMO_AK, DEMO_SK);
    for _ in 0..3 {
        assert_eq!(outcome(&sandbox, request.clone()).await, (200, None));
    }
}

#[tokio::test]
async fn every_answer_has_a_fresh_request_id_even_across_runs() {
    let id = |response: &http::Response<Bytes>| {
        response.headers()["x-request-id"]
            .to_str()
            .expect("ASCII")
            .to_string()
    };
    let first_run = Sandbox::new(Config::default());
    let second_run = Sandbox::new(Config::default());
    let a = first_run.handle(read_as(DEMO_AK, DEMO_SK)).await;
    let b = first_run.handle(read_as(DEMO_AK, DEMO_SK)).await;
    let c = second_run.handle(read_as(DEMO_AK, DEMO_SK)).await;
    assert_eq!(id(&a).len(), 32);
    assert_ne!(id(&a), id(&b));
    assert_ne!(id(&a), id(&c));
    // The data set is still the seed's: both runs answer the same.
    assert_eq!(a.body(), c.body());
}

// ---- the wire: raw sockets ----

/// A sandbox with `config` on a loopback port.
async fn serve(config: Config) -> huaweicloud_bss_sandbox::Running {
    Sandbox::new(config)
        .start("127.0.0.1:0".parse().expect("an address"))
        .await
        .expect("the sandbox starts")
}

/// The head of `request` as HTTP/1.1 text, with `framing` (a `Content-Length` or
/// `Transfer-Encoding` line) in place of the body's own length.
fn head(request: &http::Request<Bytes>, framing: &str) -> String {
    let mut text = format!("{} {} HTTP/1.1\r\n", request.method(), request.uri());
    for (name, value) in request.headers() {
        text.push_str(&format!("{}: {}\r\n", name, value.to_str().expect("ASCII")));
    }
    text.push_str(framing);
    text.push_str("\r\n\r\n");
    text
}

/// `request` as HTTP/1.1 bytes, body and all.
fn wire(request: &http::Request<Bytes>) -> Vec<u8> {
    let mut bytes = head(
        request,
        &format!("content-length: {}", request.body().len()),
    )
    .into_bytes();
    bytes.extend_from_slice(request.body());
    bytes
}

/// Everything the server sends until it closes the connection (or 10 s pass, which fails).
async fn read_to_close(stream: &mut (impl tokio::io::AsyncRead + Unpin)) -> String {
    use tokio::io::AsyncReadExt;
    let mut text = Vec::new();
    let read = tokio::time::timeout(Duration::from_secs(10), async {
        let mut buf = [0u8; 4096];
        loop {
            match stream.read(&mut buf).await {
                Ok(0) | Err(_) => break,
                Ok(n) => text.extend_from_slice(&buf[..n]),
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server did not close the connection");
    String::from_utf8_lossy(&text).into_owned()
}

/// Connects to `running`.
async fn connect(running: &huaweicloud_bss_sandbox::Running) -> tokio::net::TcpStream {
    tokio::net::TcpStream::connect(running.addr())
        .await
        .expect("the sandbox accepts")
}

#[tokio::test]
async fn broken_chunked_framing_is_a_400_not_an_empty_body() {
    use tokio::io::AsyncWriteExt;
    let running = serve(Config::default()).await;
    let request = query_customers();
    let mut stream = connect(&running).await;
    let mut bytes = head(&request, "transfer-encoding: chunked").into_bytes();
    bytes.extend_from_slice(b"zz\r\n{}\r\n0\r\n\r\n");
    stream.write_all(&bytes).await.expect("sent");
    let answer = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 400"), "{answer}");
    assert!(answer.contains("APIGW.0201"), "{answer}");
}

#[tokio::test]
async fn a_declared_body_over_the_limit_is_refused_before_it_is_sent() {
    use tokio::io::AsyncWriteExt;
    let running = serve(Config {
        max_body: 1024,
        ..Config::default()
    })
    .await;
    let request = read_as(DEMO_AK, DEMO_SK);
    let mut stream = connect(&running).await;
    // Only the head: the server must answer without waiting for the 100 MB.
    stream
        .write_all(head(&request, "content-length: 100000000").as_bytes())
        .await
        .expect("sent");
    let answer = read_to_close(&mut stream).await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(answer.contains("APIGW.0201"), "{answer}");
}

/// Sends `head` then up to `total` body bytes (in chunked framing when `chunked`) until the
/// server stops taking them; returns the answer and how many body bytes were written.
async fn flood(
    running: &huaweicloud_bss_sandbox::Running,
    head: String,
    total: usize,
    chunked: bool,
) -> (String, usize) {
    use tokio::io::AsyncWriteExt;
    let stream = connect(running).await;
    let (mut reader, mut writer) = stream.into_split();
    let writing = tokio::spawn(async move {
        let mut written = 0;
        if writer.write_all(head.as_bytes()).await.is_err() {
            return written;
        }
        let chunk = vec![b'x'; 64 * 1024];
        let mut frame = Vec::new();
        if chunked {
            frame.extend_from_slice(format!("{:x}\r\n", chunk.len()).as_bytes());
        }
        frame.extend_from_slice(&chunk);
        if chunked {
            frame.extend_from_slice(b"\r\n");
        }
        while written < total {
            if writer.write_all(&frame).await.is_err() {
                break;
            }
            written += chunk.len();
        }
        written
    });
    let answer = read_to_close(&mut reader).await;
    drop(reader);
    let written = writing.await.expect("the writer ends");
    (answer, written)
}

#[tokio::test]
async fn a_streamed_body_over_the_limit_is_refused_as_it_passes_the_limit() {
    let running = serve(Config {
        max_body: 256 * 1024,
        ..Config::default()
    })
    .await;
    let request = query_customers();
    let total = 200 << 20;
    let (answer, written) = flood(
        &running,
        head(&request, "transfer-encoding: chunked"),
        total,
        true,
    )
    .await;
    assert!(answer.starts_with("HTTP/1.1 413"), "{answer}");
    assert!(written < total / 4, "{written} of {total} bytes were taken");
}

/// The resident memory of this process, in bytes.
#[cfg(target_os = "linux")]
fn resident_bytes() -> usize {
    let statm = std::fs::read_to_string("/proc/self/statm").expect("/proc/self/statm");
    let pages: usize = statm
        .split_whitespace()
        .nth(1)
        .and_then(|p| p.parse().ok())
        .expect("resident pages");
    pages * 4096
}

#[cfg(target_os = "linux")]
#[tokio::test]
async fn unauthenticated_bodies_are_never_read_into_memory() {
    let running = serve(Config::default()).await;
    let before = resident_bytes();
    let total = 100 << 20;
    let unsigned = format!(
        "POST /v2/partners/sub-customers/query HTTP/1.1\r\nhost: {HOST}\r\ncontent-type: application/json\r\ncontent-length: {total}\r\n\r\n"
    );
    let floods =
        futures::future::join_all((0..8).map(|_| flood(&running, unsigned.clone(), total, false)))
            .await;
    let grown = resident_bytes().saturating_sub(before);
    for (answer, written) in floods {
        assert!(answer.starts_with("HTTP/1.1 401"), "{answer}");
        assert!(written < total / 4, "{written} of {total} bytes were taken");
    }
    // Eight 100 MB bodies read whole would be 800 MB.
    assert!(grown < 64 << 20, "resident memory grew by {grown} bytes");
}

#[tokio::test]
async fn slow_heads_and_idle_connections_are_closed() {
    use tokio::io::AsyncWriteExt;
    let running = serve(Config {
        header_read_timeout: Duration::from_millis(200),
        ..Config::default()
    })
    .await;
    // Half a head, then nothing.
    let mut slow = connect(&running).await;
    slow.write_all(b"GET /v2/bases/measurements HTTP/1.1\r\nhost: x\r\n")
        .await
        .expect("sent");
    assert_eq!(read_to_close(&mut slow).await, "");
    // One whole request, then an idle keep-alive connection.
    let mut idle = connect(&running).await;
    idle.write_all(&wire(&read_as(DEMO_AK, DEMO_SK)))
        .await
        .expect("sent");
    let answer = read_to_close(&mut idle).await;
    assert!(answer.starts_with("HTTP/1.1 200"), "{answer}");
}

#[tokio::test]
async fn a_half_sent_body_is_dropped_after_the_body_timeout() {
    use tokio::io::AsyncWriteExt;
    let running = serve(Config {
        body_read_timeout: Duration::from_millis(200),
        ..Config::default()
    })
    .await;
    let request = query_customers();
    let mut stream = connect(&running).await;
    stream
        .write_all(head(&request, "content-length: 100").as_bytes())
        .await
        .expect("sent");
    stream.write_all(b"{\"offset\"").await.expect("sent");
    assert_eq!(read_to_close(&mut stream).await, "");
}

#[tokio::test]
async fn connections_beyond_the_bound_wait_for_a_free_slot() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let running = serve(Config {
        max_connections: 2,
        ..Config::default()
    })
    .await;
    let mut held = Vec::new();
    for _ in 0..2 {
        let mut stream = connect(&running).await;
        stream.write_all(b"GET / HTTP/1.1\r\n").await.expect("sent");
        held.push(stream);
    }
    // The third connection completes in the kernel's backlog but is not served...
    let mut third = connect(&running).await;
    third
        .write_all(&wire(&read_as(DEMO_AK, DEMO_SK)))
        .await
        .expect("sent");
    let mut first = [0u8; 12];
    let early =
        tokio::time::timeout(Duration::from_millis(500), third.read_exact(&mut first)).await;
    assert!(
        early.is_err(),
        "a third connection was served while two were held"
    );
    // ...until a held one closes.
    drop(held.pop());
    tokio::time::timeout(Duration::from_secs(10), third.read_exact(&mut first))
        .await
        .expect("served once a slot is free")
        .expect("an answer");
    assert_eq!(&first, b"HTTP/1.1 200");
}

/// Set in the child process of the descriptor-exhaustion test.
#[cfg(target_os = "linux")]
const OUT_OF_DESCRIPTORS_CHILD: &str = "HCBSS_SANDBOX_OUT_OF_DESCRIPTORS_CHILD";

#[cfg(target_os = "linux")]
#[test]
fn the_accept_loop_survives_running_out_of_descriptors() {
    if std::env::var_os(OUT_OF_DESCRIPTORS_CHILD).is_some() {
        return out_of_descriptors();
    }
    // Lowering the descriptor limit affects the whole process, so the scenario runs alone in
    // a child process of this same test binary.
    let child = std::process::Command::new(std::env::current_exe().expect("this test binary"))
        .args([
            "--exact",
            "the_accept_loop_survives_running_out_of_descriptors",
            "--test-threads=1",
        ])
        .env(OUT_OF_DESCRIPTORS_CHILD, "1")
        .output()
        .expect("the child runs");
    assert!(
        child.status.success(),
        "the child failed: {}\n{}",
        String::from_utf8_lossy(&child.stdout),
        String::from_utf8_lossy(&child.stderr)
    );
}

/// With every descriptor taken, `accept()` fails (EMFILE) while a client waits in the backlog;
/// once descriptors are free again that client is still served.
#[cfg(target_os = "linux")]
fn out_of_descriptors() {
    use tokio::io::AsyncWriteExt;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a runtime");
    runtime.block_on(async {
        let running = serve(Config::default()).await;
        let mut limit = libc::rlimit {
            rlim_cur: 0,
            rlim_max: 0,
        };
        // SAFETY: both calls only read or write the `rlimit` passed by reference.
        unsafe {
            assert_eq!(libc::getrlimit(libc::RLIMIT_NOFILE, &mut limit), 0);
            limit.rlim_cur = limit.rlim_cur.min(256);
            assert_eq!(libc::setrlimit(libc::RLIMIT_NOFILE, &limit), 0);
        }
        let mut hogs = Vec::new();
        while let Ok(file) = std::fs::File::open("/dev/null") {
            hogs.push(file);
        }
        assert!(!hogs.is_empty());
        // One descriptor for the client's socket; none left for the server to accept it with.
        hogs.pop();
        let mut client = connect(&running).await;
        client
            .write_all(&wire(&read_as(DEMO_AK, DEMO_SK)))
            .await
            .expect("sent");
        tokio::time::sleep(Duration::from_millis(300)).await;
        assert!(
            std::fs::File::open("/dev/null").is_err(),
            "descriptors ran out"
        );
        drop(hogs);
        let answer = read_to_close_or_first_line(&mut client).await;
        assert!(answer.starts_with("HTTP/1.1 200"), "{answer:?}");
    });
}

/// The first bytes of the answer on a keep-alive connection (10 s at most).
#[cfg(target_os = "linux")]
async fn read_to_close_or_first_line(stream: &mut tokio::net::TcpStream) -> String {
    use tokio::io::AsyncReadExt;
    let mut first = [0u8; 12];
    match tokio::time::timeout(Duration::from_secs(10), stream.read_exact(&mut first)).await {
        Ok(Ok(_)) => String::from_utf8_lossy(&first).into_owned(),
        other => format!("no answer: {other:?}"),
    }
}
