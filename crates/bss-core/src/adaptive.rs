//! Adaptive concurrency for the pager: how many pages are in flight, and how fast they are
//! sent, learnt from latency and throttling.
//!
//! The gateway throttles by rate ("policy user over ratelimit, limit:N, time:1 second", HTTP
//! 429 `APIGW.0308`), not by concurrency, and the limit for BSS is not documented. So two
//! things are controlled:
//!
//! - **The window** (pages in flight) starts at 2 and grows additively (one more page per
//!   window of pages answered) while latency holds (an answer within twice the fastest seen,
//!   plus 5 ms) and nothing is throttled, never beyond the configured maximum. On throttling it
//!   halves (at least 1), as TCP's AIMD does.
//! - **The send rate** is free until the first throttling. While the gateway throttles, what
//!   it lets through is its limit, measured: once it has throttled for a round trip and a
//!   tenth of a second, the rate is set to 95 % of the rate at which the pages sent since it
//!   started came back (the last round trip, whose pages are still out, left out). Before
//!   that, the rate is cut by a share (to 95 % of the last second's pages at the very first
//!   throttling, which may include a burst the gateway allowed; by 10 % when a new episode of
//!   throttling starts; by 30 % at each round trip it goes on). It rises by 5 % for every
//!   second without throttling, to follow a limit that rises. Paced, the window grows
//!   no further than twice the pace × latency (Little's law, with room). Plain AIMD on the
//!   window alone oscillates around the limit and is throttled on every cycle; pacing at the
//!   measured limit keeps throttling rare.
//!
//! Cuts happen at most once per round trip: the pages already in flight when the first 429
//! arrived were sent at the old pace, and their 429s say nothing new.
//!
//! **How throttling reaches the pager.** Its calls run with throttling handed back
//! ([`crate::retry::handing_back_throttling`]): the retry phase still retries server errors
//! and transport failures, but returns a throttled answer at once, so the pager sees every 429,
//! slows down, and sends that page again after a short jittered pause, keeping its place in the
//! output. A page throttled [`MAX_THROTTLED`] times in a row ends the stream with the error.

use std::collections::VecDeque;
use std::future::Future;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use futures::stream::{self, StreamExt};
use tokio::sync::{OwnedSemaphorePermit, Semaphore};
use tracing::Instrument;

use crate::error::Error;
use crate::paging::BoxStream;
use crate::rate_limit::RateLimiter;
use crate::retry;

/// How many times one page may be throttled in a row before paging fails.
pub const MAX_THROTTLED: u32 = 20;

/// The window a stream starts with.
const INITIAL_WINDOW: f64 = 2.0;

/// Fetches the pages at `offsets` with an adaptive window of at most `max` pages in flight,
/// yielding them in order. At most `max` pages are held at once.
pub fn pages<'a, P, I, F, Fut>(offsets: I, limit: u32, max: usize, fetch: F) -> BoxStream<'a, P>
where
    P: Send + 'a,
    I: Iterator<Item = u32> + Send + 'a,
    F: Fn(u32, u32) -> Fut + Send + Sync + Clone + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    let max = max.max(1);
    let control = Arc::new(Control::new(max));
    let span = tracing::info_span!("bss.pages", mode = "adaptive", max, limit);
    tracing::debug!(parent: &span, concurrency = control.window(), "adaptive paging starts");
    stream::iter(offsets)
        .map(move |offset| {
            let control = control.clone();
            let fetch = fetch.clone();
            async move { control.page(offset, || fetch(offset, limit)).await }
                .instrument(span.clone())
        })
        .buffered(max)
        .boxed()
}

/// The shared state of one adaptive stream.
struct Control {
    max: usize,
    permits: Arc<Semaphore>,
    pacer: RateLimiter,
    state: Mutex<State>,
}

struct State {
    window: f64,
    /// Permits that exist (free or held): the window, rounded down.
    granted: usize,
    /// Permits to drop, rather than give back, when released: the window shrank.
    debt: usize,
    in_flight: usize,
    /// The send rate, once throttling has set one.
    pace: Option<f64>,
    fastest: Option<Duration>,
    /// A smoothed latency: how long a round trip takes now.
    latency: Duration,
    last_cut: Option<Instant>,
    last_throttled: Option<Instant>,
    /// Since when the gateway has been throttling (throttled at least once a second).
    episode: Option<Instant>,
    /// Pages sent since the episode started and answered.
    answered_in_episode: usize,
    last_raise: Instant,
    started: Instant,
    /// When each page of the last second was answered.
    answered: VecDeque<Instant>,
}

impl Control {
    fn new(max: usize) -> Self {
        let window = INITIAL_WINDOW.min(max as f64);
        let granted = window as usize;
        let now = Instant::now();
        Control {
            max,
            permits: Arc::new(Semaphore::new(granted)),
            pacer: RateLimiter::new(1e9),
            state: Mutex::new(State {
                window,
                granted,
                debt: 0,
                in_flight: 0,
                pace: None,
                fastest: None,
                latency: Duration::ZERO,
                last_cut: None,
                last_throttled: None,
                episode: None,
                answered_in_episode: 0,
                last_raise: now,
                started: now,
                answered: VecDeque::new(),
            }),
        }
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        // Plain numbers: a panic elsewhere cannot leave them inconsistent.
        self.state.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn window(&self) -> usize {
        self.lock().granted
    }

    /// Fetches one page: waits for a place in the window and for its slot in the pace, and
    /// sends it again after a pause while it is throttled.
    async fn page<P, C, Fut>(&self, offset: u32, call: C) -> Result<P, Error>
    where
        C: Fn() -> Fut,
        Fut: Future<Output = Result<P, Error>>,
    {
        let mut throttled = 0u32;
        loop {
            // The semaphore is never closed, so acquiring only fails in theory.
            let permit = self.permits.clone().acquire_owned().await.ok();
            if self.lock().pace.is_some() {
                self.pacer.acquire().await;
            }
            let in_flight = {
                let mut state = self.lock();
                state.in_flight += 1;
                state.in_flight
            };
            let sent = Instant::now();
            let result = retry::handing_back_throttling(call()).await;
            let latency = sent.elapsed();
            match result {
                Err(err) if err.is_throttled() && throttled < MAX_THROTTLED => {
                    throttled += 1;
                    self.throttled(offset, in_flight);
                    self.release(permit);
                    let cap = Duration::from_millis(50 << throttled.min(4));
                    tokio::time::sleep(cap.mul_f64(fastrand::f64())).await;
                }
                result => {
                    if result.is_ok() {
                        self.answered(offset, in_flight, sent, latency);
                    }
                    self.release(permit);
                    return result;
                }
            }
        }
    }

    /// Gives a place in the window back, or drops it if the window shrank.
    fn release(&self, permit: Option<OwnedSemaphorePermit>) {
        let mut state = self.lock();
        state.in_flight = state.in_flight.saturating_sub(1);
        if let Some(permit) = permit
            && state.debt > 0
        {
            state.debt -= 1;
            permit.forget();
        }
    }

    /// Sets the window to `window` (between 1 and the maximum), adding or retiring places.
    fn resize(&self, state: &mut State, window: f64) {
        state.window = window.clamp(1.0, self.max as f64);
        let target = state.window as usize;
        if target > state.granted {
            let mut grow = target - state.granted;
            // Retiring places not yet retired is cheaper than adding new ones.
            let repaid = grow.min(state.debt);
            state.debt -= repaid;
            grow -= repaid;
            self.permits.add_permits(grow);
        } else {
            state.debt += state.granted - target;
        }
        state.granted = target;
    }

    /// A page came back: the window grows while latency holds; the pace creeps up after each
    /// second without throttling.
    fn answered(&self, offset: u32, in_flight: usize, sent: Instant, latency: Duration) {
        let now = Instant::now();
        let mut state = self.lock();
        state.answered.push_back(now);
        if state.episode.is_some_and(|since| sent >= since) {
            state.answered_in_episode += 1;
        }
        while state
            .answered
            .front()
            .is_some_and(|t| now.duration_since(*t) > Duration::from_secs(1))
        {
            state.answered.pop_front();
        }
        let fastest = state.fastest.map_or(latency, |f| f.min(latency));
        state.fastest = Some(fastest);
        state.latency = if state.latency.is_zero() {
            latency
        } else {
            state.latency.mul_f64(0.8) + latency.mul_f64(0.2)
        };
        let holds = latency <= fastest * 2 + Duration::from_millis(5);
        // Paced, more pages in flight than the pace fills (twice the pace × latency, Little's
        // law with room) would only queue behind it.
        let needed = state.pace.map_or(f64::INFINITY, |pace| {
            pace * state.latency.as_secs_f64() * 2.0 + 1.0
        });
        if holds && state.window < needed {
            let window = state.window + 1.0 / state.window;
            self.resize(&mut state, window);
        }
        let calm = state
            .last_cut
            .is_none_or(|cut| now.duration_since(cut) >= Duration::from_secs(1));
        if let Some(pace) = state.pace
            && calm
            && now.duration_since(state.last_raise) >= Duration::from_secs(1)
        {
            let raised = pace * 1.05;
            state.pace = Some(raised);
            state.last_raise = now;
            self.pacer.set_rate(raised);
        }
        tracing::debug!(
            offset,
            in_flight,
            concurrency = state.granted,
            rate = state.pace,
            latency_ms = latency.as_millis() as u64,
            "page"
        );
    }

    /// A page was throttled: once per round trip, the window halves and the pace is set to
    /// what the last second let through.
    fn throttled(&self, offset: u32, in_flight: usize) {
        let now = Instant::now();
        let mut state = self.lock();
        let round_trip = state.latency.max(Duration::from_millis(10));
        let ongoing = state
            .last_throttled
            .is_some_and(|t| now.duration_since(t) < Duration::from_secs(1));
        state.last_throttled = Some(now);
        let since = match state.episode {
            Some(since) if ongoing => since,
            _ => {
                state.answered_in_episode = 0;
                now
            }
        };
        state.episode = Some(since);
        if state
            .last_cut
            .is_some_and(|cut| now.duration_since(cut) < round_trip)
        {
            tracing::debug!(offset, in_flight, concurrency = state.granted, "throttled");
            return;
        }
        // While the gateway throttles, what it lets through is its limit: the pages sent since
        // it started throttling and answered, over that time less one round trip, once that is
        // a tenth of a second. Before that, the
        // pace is cut by a share: 10 % at the start of an episode (or 95 % of the last
        // second's pages, at the first), 30 % at each round trip it goes on.
        let age = now.duration_since(since);
        let pace = match state.pace {
            // Pages sent in the last round trip have not come back yet: they are not counted,
            // and neither is their time.
            Some(pace) if age >= state.latency + Duration::from_millis(100) => {
                let counted = age - state.latency;
                let rate = state.answered_in_episode as f64 / counted.as_secs_f64();
                (rate * 0.95).min(pace)
            }
            Some(pace) if ongoing => pace * 0.7,
            Some(pace) => pace * 0.9,
            None => {
                let elapsed = now
                    .duration_since(state.started)
                    .as_secs_f64()
                    .clamp(0.05, 1.0);
                let rate = state.answered.len() as f64 / elapsed;
                if rate >= 1.0 {
                    rate * 0.95
                } else {
                    // Throttled before anything came back: half what the window would send.
                    state.window / round_trip.as_secs_f64() / 2.0
                }
            }
        }
        .max(1.0);
        state.pace = Some(pace);
        state.last_cut = Some(now);
        state.last_raise = now;
        self.pacer.set_rate(pace);
        let window = state.window / 2.0;
        self.resize(&mut state, window);
        tracing::info!(
            offset,
            in_flight,
            concurrency = state.granted,
            rate = pace,
            "throttled: cutting back"
        );
    }
}
