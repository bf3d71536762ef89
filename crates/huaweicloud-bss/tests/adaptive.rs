//! Adaptive paging and the client's rate limit against a loopback server that throttles like
//! the gateway (429 `APIGW.0308` beyond N requests a second).

#[path = "support/throttling_server.rs"]
mod throttling_server;

use std::time::Duration;

use futures::TryStreamExt;
use huaweicloud_bss::{Client, Credentials, PageOptions, RetryPolicy};
use throttling_server::ThrottlingServer;

fn builder(url: &str) -> huaweicloud_bss::ClientBuilder {
    Client::builder()
        .credentials(Credentials::aksk("AK", "SK"))
        .endpoint(url)
}

/// Pages every customer and checks that each came once, in order.
async fn page_all(client: &Client, options: PageOptions, records: usize) {
    let ids: Vec<String> = client
        .customers()
        .list_sub_customers()
        .items(options)
        .map_ok(|c| c.customer_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap();
    let expected: Vec<String> = (0..records).map(|i| format!("{i:06}")).collect();
    assert!(ids == expected, "items lost, repeated or out of order");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adaptive_paging_fills_the_window_up_to_its_maximum() {
    // Generous quota, slow answers: only the window limits, and it grows to its maximum.
    let server = ThrottlingServer::start(6_000, Duration::from_millis(40), 1_000).await;
    let client = builder(&server.url).build().unwrap();
    page_all(&client, PageOptions::adaptive(4), 6_000).await;
    assert_eq!(
        server.max_in_flight(),
        4,
        "the window never reached 4 or overran it"
    );
    assert_eq!(server.counts(), (60, 0));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adaptive_paging_finds_the_rate_and_is_rarely_throttled() {
    // A tight quota: the rate limits. The pager is throttled, learns the rate, and every page
    // still comes once, in order. Most throttling happens while it learns (a few round trips),
    // a large share of so short a run: the benchmark measures a long one.
    let records = 8_000;
    let server = ThrottlingServer::start(records, Duration::from_millis(10), 20).await;
    let client = builder(&server.url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    page_all(&client, PageOptions::adaptive(16), records).await;
    let (requests, throttled) = server.counts();
    assert!(server.max_in_flight() <= 16);
    assert!(throttled > 0, "the quota was never reached");
    // 80 pages answered; what was throttled was sent again.
    assert_eq!(requests - throttled, 80);
    assert!(
        throttled * 4 <= requests,
        "{throttled} of {requests} requests throttled"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn fixed_concurrency_fails_on_throttling_that_adaptive_paging_absorbs() {
    // Without retries, a fixed window of 16 overruns a quota of 5 a second and fails.
    let server = ThrottlingServer::start(3_000, Duration::from_millis(5), 5).await;
    let client = builder(&server.url)
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    let options = PageOptions {
        concurrency: 16,
        ..PageOptions::default()
    };
    let err = client
        .customers()
        .list_sub_customers()
        .items(options)
        .try_collect::<Vec<_>>()
        .await
        .unwrap_err();
    assert!(err.is_throttled(), "{err:?}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_client_rate_limit_is_shared_by_every_task() {
    // Eight tasks, five calls each, through one client limited to the server's quota: never
    // throttled, though nothing retries.
    let server = ThrottlingServer::start(100, Duration::ZERO, 20).await;
    let client = builder(&server.url)
        .retry(RetryPolicy::never())
        .rate_limit(20)
        .build()
        .unwrap();
    let tasks: Vec<_> = (0..8)
        .map(|_| {
            let client = client.clone();
            tokio::spawn(async move {
                for _ in 0..5 {
                    client
                        .customers()
                        .list_sub_customers()
                        .send()
                        .await
                        .map(|_| ())?;
                }
                Ok::<_, huaweicloud_bss::Error>(())
            })
        })
        .collect();
    for task in tasks {
        task.await.unwrap().unwrap();
    }
    assert_eq!(server.counts(), (40, 0));
    // Zero is refused when building.
    let err = builder(&server.url).rate_limit(0).build().unwrap_err();
    assert!(err.to_string().contains("rate_limit"), "{err}");
}

/// The customers' ids from a sandbox with `config`, paged with `options`, 10 a page.
async fn sandbox_customers(
    config: huaweicloud_bss_sandbox::Config,
    options: PageOptions,
) -> Vec<String> {
    let sandbox = huaweicloud_bss_sandbox::Sandbox::new(config)
        .start(([127, 0, 0, 1], 0).into())
        .await
        .unwrap();
    let client = Client::builder()
        .credentials(Credentials::aksk(
            huaweicloud_bss_sandbox::DEMO_AK,
            huaweicloud_bss_sandbox::DEMO_SK,
        ))
        .endpoint(sandbox.url())
        .retry(RetryPolicy::never())
        .build()
        .unwrap();
    client
        .customers()
        .list_sub_customers()
        .items(PageOptions {
            page_size: Some(10),
            ..options
        })
        .map_ok(|c| c.customer_id.unwrap_or_default())
        .try_collect()
        .await
        .unwrap()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn adaptive_paging_through_the_sandbox_rate_limit_loses_nothing() {
    // About 29 pages against 8 requests a second, nothing retried by the retry phase: every
    // throttled page is sent again by the pager, in its place.
    let expected = sandbox_customers(Default::default(), PageOptions::default()).await;
    assert!(expected.len() > 200, "{}", expected.len());
    let limited = huaweicloud_bss_sandbox::Config {
        rate_limit: Some(8),
        latency: Duration::from_millis(20),
        ..Default::default()
    };
    let got = sandbox_customers(limited, PageOptions::adaptive(8)).await;
    assert!(got == expected, "items lost, repeated or out of order");
}
