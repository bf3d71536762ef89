//! Adaptive paging against a gateway-like rate limit: 100,000 customers (1,000 pages of 100)
//! from a loopback server that answers after a latency and throttles beyond a quota (429
//! `APIGW.0308`), paged sequentially, with 4 and 16 pages in flight, and adaptively
//! (`PageOptions::adaptive(16)`, `hcbss --concurrency auto`). Prints, for 50 ms / 50 a second
//! and 100 ms / 20 a second, the wall time against the physical limit (pages / rate), the
//! requests, how many were throttled, the most answered at once, and whether paging failed.
//! `HCBSS_BENCH_PAGES` changes the number of pages; `HCBSS_BENCH_MODE=auto` runs only the
//! modes whose name contains it.
//!
//! The server is `tests/support/throttling_server.rs`: a token bucket holding one second's
//! worth, refusing before any work, as the gateway does.

#[path = "../tests/support/throttling_server.rs"]
mod throttling_server;

use std::time::{Duration, Instant};

use futures::TryStreamExt;
use huaweicloud_bss::{Client, Credentials, PageOptions};
use throttling_server::ThrottlingServer;

const PAGE: usize = 100;

fn main() {
    let pages: usize = std::env::var("HCBSS_BENCH_PAGES")
        .ok()
        .and_then(|n| n.parse().ok())
        .unwrap_or(1_000);
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .unwrap();
    println!(
        "| latency | quota | mode | wall | × limit | requests | 429s | most in flight | result |"
    );
    println!("|---|---|---|---|---|---|---|---|---|");
    for (latency_ms, rate) in [(50u64, 50u32), (100, 20)] {
        let modes = [
            ("sequential", PageOptions::default()),
            ("fixed 4", fixed(4)),
            ("fixed 16", fixed(16)),
            ("auto (max 16)", PageOptions::adaptive(16)),
        ];
        let only = std::env::var("HCBSS_BENCH_MODE").unwrap_or_default();
        for (name, options) in modes.into_iter().filter(|(name, _)| name.contains(&only)) {
            let (wall, requests, throttled, in_flight, result) =
                runtime.block_on(run(pages, Duration::from_millis(latency_ms), rate, options));
            let limit = pages as f64 / f64::from(rate);
            println!(
                "| {latency_ms} ms | {rate}/s | {name} | {:.1} s | {:.2} | {requests} | {throttled} ({:.1} %) | {in_flight} | {result} |",
                wall.as_secs_f64(),
                wall.as_secs_f64() / limit,
                100.0 * throttled as f64 / requests.max(1) as f64,
            );
        }
    }
}

fn fixed(concurrency: usize) -> PageOptions {
    PageOptions {
        concurrency,
        ..PageOptions::default()
    }
}

async fn run(
    pages: usize,
    latency: Duration,
    rate: u32,
    options: PageOptions,
) -> (Duration, usize, usize, usize, String) {
    let records = pages * PAGE;
    let server = ThrottlingServer::start(records, latency, rate).await;
    let client = Client::builder()
        .credentials(Credentials::aksk("AK", "SK"))
        .endpoint(&server.url)
        .build()
        .unwrap();
    let started = Instant::now();
    let result = client
        .customers()
        .list_sub_customers()
        .items(options)
        .try_fold(0usize, |n, _| async move { Ok(n + 1) })
        .await;
    let wall = started.elapsed();
    let (requests, throttled) = server.counts();
    let result = match result {
        Ok(n) if n == records => "ok".to_string(),
        Ok(n) => format!("{n} of {records} records"),
        Err(err) => format!("failed: {}", err.code().unwrap_or("error")),
    };
    (wall, requests, throttled, server.max_in_flight(), result)
}
