//! Speed of the client: signing, decoding a 1000-record page, one signed call against a bare
//! reqwest call to the same loopback server, and paging 100,000 customers sequentially and
//! concurrently. `cargo bench -p huaweicloud-bss` first prints the paging throughput in records
//! per CPU-second (the official Python SDK does about 32,000: `python_sdk_paging.py` beside this
//! file measures it on the same job) and the signed/bare ratio measured call by call, then
//! divan's table. With the release `hcbss` built, it also prints what the CLI path costs
//! (`client/cli.rs`); `HCBSS_BENCH_ONLY=cli` prints that report alone.

#[path = "client/cli.rs"]
mod cli;

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{TcpListener, TcpStream};
use std::sync::Arc;
use std::time::Duration;

use futures::TryStreamExt;
use huaweicloud_bss::signer::{self, Algorithm, SignableRequest};
use huaweicloud_bss::{Client, Credentials, PageOptions};
use serde_json::{Value, json};

/// Customers the paging benchmarks read.
const CUSTOMERS: usize = 100_000;
/// Records per page of ListSubCustomers (its largest page).
const PAGE: usize = 100;

/// Set in the environment of the child process that serves the customers, so that the
/// throughput report measures the client's CPU alone.
const SERVER_MODE: &str = "HCBSS_BENCH_CUSTOMER_SERVER";
/// How many customers the server mode holds (default `CUSTOMERS`).
const SERVER_CUSTOMERS: &str = "HCBSS_BENCH_CUSTOMERS";

fn main() {
    if std::env::var_os(SERVER_MODE).is_some() {
        let count = std::env::var(SERVER_CUSTOMERS)
            .ok()
            .and_then(|n| n.parse().ok())
            .unwrap_or(CUSTOMERS);
        let server = customer_server(count);
        println!("{}", server.url);
        // Serve until the parent closes our stdin.
        let _ = std::io::stdin().read_to_end(&mut Vec::new());
        return;
    }
    // Read before any pinning: the count follows the calling thread's allowed cores.
    let cores = std::thread::available_parallelism().map_or(1, usize::from);
    if std::env::var("HCBSS_BENCH_ONLY").as_deref() == Ok("cli") {
        cli::report(SERVER_MODE, SERVER_CUSTOMERS);
        return;
    }
    cli::report(SERVER_MODE, SERVER_CUSTOMERS);
    report_paging_throughput(cores);
    report_signing_overhead(cores);
    divan::main();
}

fn customer(i: usize) -> Value {
    json!({
        "customer": format!("客户{i}有限公司"),
        "account_name": format!("customer_{i:06}"),
        "customer_id": format!("{:032x}", i),
        "associated_on": "2024-03-28T08:00:00Z",
        "association_type": "2",
        "label": "vip",
        "telephone": "138****0000",
        "verified_status": "2",
        "country_code": "0086",
        "customer_type": 1,
        "is_frozen": 0,
        "account_managers": [{"account_name": "manager_01"}],
        "xaccount_id": format!("x-{i}"),
        "xaccount_type": "partner_saas",
        "customer_level": "V2",
        "email": format!("c{i}@example.com")
    })
}

/// Answers a request from its body and query string.
type Responder = dyn Fn(&[u8], &str) -> Arc<Vec<u8>> + Send + Sync;

/// A keep-alive HTTP/1.1 server on loopback that answers every request with `respond(request
/// body, query)`, one thread per connection.
struct Loopback {
    url: String,
}

impl Loopback {
    fn start(respond: impl Fn(&[u8], &str) -> Arc<Vec<u8>> + Send + Sync + 'static) -> Loopback {
        Loopback::start_on(respond, None)
    }

    /// Like `start`, with every server thread kept on `core` when one is given.
    fn start_on(
        respond: impl Fn(&[u8], &str) -> Arc<Vec<u8>> + Send + Sync + 'static,
        core: Option<usize>,
    ) -> Loopback {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let respond = Arc::new(respond);
        std::thread::spawn(move || {
            for stream in listener.incoming().flatten() {
                let respond = respond.clone();
                std::thread::spawn(move || {
                    if let Some(core) = core {
                        pin_current_thread(core);
                    }
                    serve(stream, &*respond)
                });
            }
        });
        Loopback { url }
    }
}

fn serve(stream: TcpStream, respond: &Responder) {
    let _ = stream.set_nodelay(true);
    let mut writer = stream.try_clone().unwrap();
    let mut reader = BufReader::new(stream);
    loop {
        let mut line = String::new();
        if reader.read_line(&mut line).unwrap_or(0) == 0 {
            return;
        }
        let target = line.split(' ').nth(1).unwrap_or("").to_string();
        let query = target.split_once('?').map_or("", |(_, q)| q).to_string();
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
        let payload = respond(&body, &query);
        let head = format!(
            "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: {}\r\n\r\n",
            payload.len()
        );
        if writer.write_all(head.as_bytes()).is_err() || writer.write_all(&payload).is_err() {
            return;
        }
    }
}

/// A server holding `count` customers, pre-rendered page by page.
fn customer_server(count: usize) -> Loopback {
    let pages: Vec<Arc<Vec<u8>>> = (0..count.div_ceil(PAGE))
        .map(|p| {
            let items: Vec<Value> = (p * PAGE..((p + 1) * PAGE).min(count))
                .map(customer)
                .collect();
            Arc::new(
                json!({"count": count, "customer_infos": items})
                    .to_string()
                    .into_bytes(),
            )
        })
        .collect();
    let empty = Arc::new(
        json!({"count": count, "customer_infos": []})
            .to_string()
            .into_bytes(),
    );
    Loopback::start(move |body, _| {
        let offset = serde_json::from_slice::<Value>(body)
            .ok()
            .and_then(|b| b["offset"].as_u64())
            .unwrap_or(0) as usize;
        pages
            .get(offset / PAGE)
            .cloned()
            .unwrap_or_else(|| empty.clone())
    })
}

fn client(url: &str) -> Client {
    Client::builder()
        .credentials(Credentials::aksk("BENCHAK", "bench-secret"))
        .endpoint(url)
        .build()
        .unwrap()
}

fn runtime() -> tokio::runtime::Runtime {
    // The bare reqwest client needs the TLS provider the facade installs.
    let _ = rustls::crypto::ring::default_provider().install_default();
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .unwrap()
}

async fn page_all(client: &Client, concurrency: usize) -> usize {
    client
        .customers()
        .list_sub_customers()
        .items(PageOptions {
            concurrency,
            ..PageOptions::default()
        })
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await
        .unwrap()
}

/// CPU time (user + system) of this process so far.
fn cpu_time() -> Duration {
    // SAFETY: getrusage only writes into the struct it is given.
    let usage = unsafe {
        let mut usage = std::mem::zeroed::<libc::rusage>();
        libc::getrusage(libc::RUSAGE_SELF, &mut usage);
        usage
    };
    let tv = |t: libc::timeval| Duration::new(t.tv_sec as u64, t.tv_usec as u32 * 1000);
    tv(usage.ru_utime) + tv(usage.ru_stime)
}

/// Pages through 100,000 customers served by a child process and prints the records per
/// CPU-second of this process (the client alone): first with client and server left to the
/// scheduler, then with both kept on core 0. Where they run changes the client's CPU per page a
/// lot on a VM (waking a process on the other core costs the waker an inter-processor
/// interrupt); `python_sdk_paging.py` measures the official SDK both ways too.
fn report_paging_throughput(cores: usize) {
    report_paging_placement(None);
    if cores >= 2 {
        report_paging_placement(Some(0));
        unpin_current_thread(cores);
    }
}

fn report_paging_placement(core: Option<usize>) {
    let mut server = std::process::Command::new(std::env::current_exe().unwrap());
    server.env(SERVER_MODE, "1");
    if let Some(core) = core {
        pin_current_thread(core);
        // The child inherits this thread's core, and its threads inherit it from the child.
    }
    let mut child = server
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut url = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut url)
        .unwrap();
    let client = client(url.trim());
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let placement = match core {
        Some(core) => format!("client and server on core {core}"),
        None => "placed by the scheduler".to_string(),
    };
    for concurrency in [1, 4] {
        let mut best = f64::MAX;
        let mut best_wall = Duration::MAX;
        for _ in 0..3 {
            let cpu = cpu_time();
            let wall = std::time::Instant::now();
            let records = rt.block_on(page_all(&client, concurrency));
            assert_eq!(records, CUSTOMERS);
            best = best.min((cpu_time() - cpu).as_secs_f64());
            best_wall = best_wall.min(wall.elapsed());
        }
        println!(
            "paging {CUSTOMERS} customers ({PAGE} per page), {placement}, concurrency {concurrency}: {:.0} ms wall, {:.0} ms client CPU, {:.0} records per CPU-second",
            best_wall.as_secs_f64() * 1e3,
            best * 1e3,
            CUSTOMERS as f64 / best
        );
    }
    drop(child.stdin.take());
    let _ = child.wait();
}

#[divan::bench]
fn sign_request(bencher: divan::Bencher) {
    let headers = [
        ("host", "bss.myhuaweicloud.com"),
        ("content-type", "application/json"),
        ("x-sdk-date", "20240101T000000Z"),
    ];
    let body = br#"{"account_name":"demo","offset":0,"limit":100}"#;
    bencher.bench(|| {
        signer::sign(
            divan::black_box(&SignableRequest {
                method: "POST",
                path: "/v2/partners/sub-customers/query",
                query: &[],
                headers: &headers,
                body,
            }),
            "AK",
            "SK",
            "20240101T000000Z",
            &Algorithm::HmacSha256,
        )
    });
}

#[divan::bench]
fn decode_1000_customers(bencher: divan::Bencher) {
    let items: Vec<Value> = (0..1000).map(customer).collect();
    let page = json!({"count": 1000, "customer_infos": items}).to_string();
    bencher.bench(|| {
        huaweicloud_bss_core::decode::json::<
            huaweicloud_bss::customers::types::ListSubCustomersResponse,
        >(divan::black_box(page.as_bytes()))
        .unwrap()
    });
}

/// Answers every request with one small ListMeasureUnits page.
fn small_response() -> impl Fn(&[u8], &str) -> Arc<Vec<u8>> + Send + Sync + 'static {
    let body = Arc::new(
        json!({"measure_units": [{"measure_id": 10, "measure_name": "GB"}]})
            .to_string()
            .into_bytes(),
    );
    move |_, _| body.clone()
}

fn small_server() -> Loopback {
    Loopback::start(small_response())
}

/// One signed call against bare reqwest calls to the same loopback server, alternated call by
/// call so that a noisy machine slows all alike. The bare calls run once with the client's own
/// transport settings (its default 120 s per-attempt timeout, which costs a timer per request)
/// and once with none at all, on a current-thread runtime. Measured twice: client and server
/// threads on separate cores, then on one core (left to the scheduler, each connection's server
/// thread lands anywhere, which moves one variant's median by ±10 % from run to run). Prints the
/// wall-time medians and ratios, and the calling thread's CPU time per call.
fn report_signing_overhead(cores: usize) {
    if cores >= 2 {
        signing_overhead(Some((0, 1)));
        signing_overhead(Some((0, 0)));
        unpin_current_thread(cores);
    } else {
        signing_overhead(None);
    }
}

/// One run of [`report_signing_overhead`], with the client and the server threads on the given
/// cores.
fn signing_overhead(cores: Option<(usize, usize)>) {
    const CALLS: usize = 3000;
    const WARM_UP: usize = 300;
    let server = Loopback::start_on(small_response(), cores.map(|(_, server)| server));
    if let Some((client, _)) = cores {
        pin_current_thread(client);
    }
    let client = client(&server.url);
    let url = format!("{}/v2/bases/measurements", server.url);
    let same_settings = reqwest::Client::builder()
        .timeout(huaweicloud_bss::DEFAULT_TIMEOUT)
        .build()
        .unwrap();
    let no_timeout = reqwest::Client::new();
    // One thread: cross-thread wake-ups would add noise that has nothing to do with signing.
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let signed = || {
        rt.block_on(async { client.catalog().list_measure_units().send().await.unwrap() });
    };
    let bare = |http: &reqwest::Client| {
        rt.block_on(bare_call(http, &url));
    };
    let timed = |call: &dyn Fn()| {
        let (wall, cpu) = (std::time::Instant::now(), thread_cpu_time());
        call();
        (wall.elapsed(), thread_cpu_time() - cpu)
    };
    let mut times: [Vec<(Duration, Duration)>; 3] = Default::default();
    for i in 0..WARM_UP + CALLS {
        let round = [
            timed(&signed),
            timed(&|| bare(&same_settings)),
            timed(&|| bare(&no_timeout)),
        ];
        if i >= WARM_UP {
            for (all, time) in times.iter_mut().zip(round) {
                all.push(time);
            }
        }
    }
    let median = |mut t: Vec<Duration>| {
        t.sort();
        t[t.len() / 2].as_secs_f64() * 1e6
    };
    let [(signed, signed_cpu), (same, same_cpu), (none, none_cpu)] = times.map(|t| {
        let (wall, cpu): (Vec<_>, Vec<_>) = t.into_iter().unzip();
        (median(wall), median(cpu))
    });
    let placement = match cores {
        Some((client, server)) if client == server => {
            format!(", client and server on core {client}")
        }
        Some((client, server)) => format!(", client on core {client}, server on core {server}"),
        None => String::new(),
    };
    println!(
        "signed call vs bare reqwest calls, {CALLS} of each alternated{placement}: medians {signed:.1} µs signed, {same:.1} µs bare with the same timeout (ratio {:.2}), {none:.1} µs bare without a timeout (ratio {:.2}); calling-thread CPU {signed_cpu:.1} / {same_cpu:.1} / {none_cpu:.1} µs",
        signed / same,
        signed / none,
    );
}

/// CPU time of the calling thread so far.
fn thread_cpu_time() -> Duration {
    // SAFETY: clock_gettime only writes into the struct it is given.
    let ts = unsafe {
        let mut ts = std::mem::zeroed::<libc::timespec>();
        libc::clock_gettime(libc::CLOCK_THREAD_CPUTIME_ID, &mut ts);
        ts
    };
    Duration::new(ts.tv_sec as u64, ts.tv_nsec as u32)
}

/// Keeps the calling thread on `core`.
fn pin_current_thread(core: usize) {
    // SAFETY: the set is a plain bit mask, initialised before use and only read by the call.
    unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        libc::CPU_SET(core, &mut set);
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

/// Lets the calling thread run on any of the first `cores` cores again.
fn unpin_current_thread(cores: usize) {
    // SAFETY: as in `pin_current_thread`.
    unsafe {
        let mut set = std::mem::zeroed::<libc::cpu_set_t>();
        for core in 0..cores {
            libc::CPU_SET(core, &mut set);
        }
        libc::sched_setaffinity(0, std::mem::size_of::<libc::cpu_set_t>(), &set);
    }
}

#[divan::bench]
fn signed_call(bencher: divan::Bencher) {
    let server = small_server();
    let client = client(&server.url);
    let rt = runtime();
    bencher.bench(|| {
        rt.block_on(async { client.catalog().list_measure_units().send().await.unwrap() })
    });
}

#[divan::bench]
fn bare_reqwest_call(bencher: divan::Bencher) {
    let server = small_server();
    let url = format!("{}/v2/bases/measurements", server.url);
    let http = reqwest::Client::new();
    let rt = runtime();
    bencher.bench(|| rt.block_on(bare_call(&http, &url)));
}

/// One ListMeasureUnits call with a bare reqwest client: send, read, decode; no signing.
async fn bare_call(
    http: &reqwest::Client,
    url: &str,
) -> huaweicloud_bss::catalog::types::ListMeasureUnitsResponse {
    let bytes = http.get(url).send().await.unwrap().bytes().await.unwrap();
    serde_json::from_slice(&bytes).unwrap()
}

#[divan::bench(args = [1, 4], sample_count = 5, sample_size = 1)]
fn page_100k_customers(bencher: divan::Bencher, concurrency: usize) {
    let server = customer_server(CUSTOMERS);
    let client = client(&server.url);
    let rt = runtime();
    bencher.bench(|| rt.block_on(page_all(&client, concurrency)));
}
