//! A loopback server of `ListSubCustomers` pages behind a gateway-like rate limit: a token
//! bucket of `rate` requests a second (holding one second's worth) that answers 429
//! `APIGW.0308` at once, before any work, and otherwise answers after `latency`. It counts the
//! requests, the throttled ones, and the most it answered at once. Shared by the adaptive
//! paging tests and benchmark.

use std::convert::Infallible;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use http_body_util::{BodyExt, Full};
use hyper::body::Bytes;
use serde_json::{Value, json};

/// What the server saw.
#[derive(Debug, Default)]
pub struct Stats {
    /// Requests received.
    pub requests: AtomicUsize,
    /// Requests answered 429.
    pub throttled: AtomicUsize,
    in_flight: AtomicUsize,
    /// The most requests being answered at once (throttled ones are answered at once).
    pub max_in_flight: AtomicUsize,
}

struct Bucket {
    tokens: f64,
    at: Instant,
}

/// A running server.
pub struct ThrottlingServer {
    /// Its base URL.
    pub url: String,
    /// What it saw.
    pub stats: Arc<Stats>,
}

impl ThrottlingServer {
    /// Serves `records` customers on 127.0.0.1 until the runtime ends.
    pub async fn start(records: usize, latency: Duration, rate: u32) -> ThrottlingServer {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        let stats = Arc::new(Stats::default());
        let bucket = Arc::new(Mutex::new(Bucket {
            tokens: f64::from(rate),
            at: Instant::now(),
        }));
        let shared = stats.clone();
        tokio::spawn(async move {
            while let Ok((stream, _)) = listener.accept().await {
                let (stats, bucket) = (shared.clone(), bucket.clone());
                tokio::spawn(async move {
                    let service = hyper::service::service_fn(
                        move |request: hyper::Request<hyper::body::Incoming>| {
                            let (stats, bucket) = (stats.clone(), bucket.clone());
                            async move {
                                let body = request
                                    .into_body()
                                    .collect()
                                    .await
                                    .map(|c| c.to_bytes())
                                    .unwrap_or_default();
                                let (status, answer) =
                                    answer(&stats, &bucket, &body, records, latency, rate).await;
                                let mut response = hyper::Response::new(Full::new(Bytes::from(
                                    answer.to_string(),
                                )));
                                *response.status_mut() =
                                    hyper::StatusCode::from_u16(status).unwrap();
                                response.headers_mut().insert(
                                    "content-type",
                                    hyper::header::HeaderValue::from_static("application/json"),
                                );
                                Ok::<_, Infallible>(response)
                            }
                        },
                    );
                    let io = hyper_util::rt::TokioIo::new(stream);
                    let _ = hyper::server::conn::http1::Builder::new()
                        .serve_connection(io, service)
                        .await;
                });
            }
        });
        ThrottlingServer { url, stats }
    }

    /// Requests received, and those answered 429.
    pub fn counts(&self) -> (usize, usize) {
        (
            self.stats.requests.load(Ordering::SeqCst),
            self.stats.throttled.load(Ordering::SeqCst),
        )
    }

    /// The most requests answered at once.
    pub fn max_in_flight(&self) -> usize {
        self.stats.max_in_flight.load(Ordering::SeqCst)
    }
}

/// Takes a token, if the bucket has one.
fn admit(bucket: &Mutex<Bucket>, rate: u32) -> bool {
    let mut bucket = bucket.lock().unwrap();
    let now = Instant::now();
    let rate = f64::from(rate);
    bucket.tokens = (bucket.tokens + now.duration_since(bucket.at).as_secs_f64() * rate).min(rate);
    bucket.at = now;
    if bucket.tokens >= 1.0 {
        bucket.tokens -= 1.0;
        true
    } else {
        false
    }
}

async fn answer(
    stats: &Stats,
    bucket: &Mutex<Bucket>,
    body: &[u8],
    records: usize,
    latency: Duration,
    rate: u32,
) -> (u16, Value) {
    stats.requests.fetch_add(1, Ordering::SeqCst);
    if !admit(bucket, rate) {
        stats.throttled.fetch_add(1, Ordering::SeqCst);
        let message = format!("policy user over ratelimit, limit:{rate}, time:1 second");
        return (
            429,
            json!({"error_code": "APIGW.0308", "error_msg": message}),
        );
    }
    let now = stats.in_flight.fetch_add(1, Ordering::SeqCst) + 1;
    stats.max_in_flight.fetch_max(now, Ordering::SeqCst);
    tokio::time::sleep(latency).await;
    stats.in_flight.fetch_sub(1, Ordering::SeqCst);
    let query: Value = serde_json::from_slice(body).unwrap_or_default();
    let offset = query["offset"].as_u64().unwrap_or(0) as usize;
    let limit = query["limit"].as_u64().unwrap_or(10) as usize;
    let page: Vec<Value> = (offset..records.min(offset + limit))
        .map(|i| json!({"customer_id": format!("{i:06}"), "account_name": format!("customer_{i:06}")}))
        .collect();
    (200, json!({"count": records, "customer_infos": page}))
}
