//! Offset/limit paging for every list operation, driven by the shape its spec declares
//! (`x-pagination`): where offset and limit travel, the largest page, the list field and the
//! total field. Pages stop at the total or on a short page; a server that ignores `offset` (the
//! same page twice) is an error, never an endless loop.

use std::future::Future;
use std::pin::Pin;

use futures::stream::{self, Stream, StreamExt, TryStreamExt};

use crate::error::{Error, ErrorKind};
use crate::meta::{OffsetUnit, Pagination};

/// A boxed stream of pages or items.
pub type BoxStream<'a, T> = Pin<Box<dyn Stream<Item = Result<T, Error>> + Send + 'a>>;

/// How to page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct PageOptions {
    /// Page size; `None` takes the operation's largest.
    pub page_size: Option<u32>,
    /// The offset of the first record.
    pub start: u32,
    /// Pages fetched at once once the total is known (1 = one after the other); with
    /// `adaptive`, the most. Items still come out in order, and at most this many pages are
    /// held.
    pub concurrency: usize,
    /// Adapts the pages in flight (up to `concurrency`) and the send rate to latency and
    /// throttling, handling throttling itself: see [`crate::adaptive`].
    pub adaptive: bool,
}

impl Default for PageOptions {
    fn default() -> Self {
        PageOptions {
            page_size: None,
            start: 0,
            concurrency: 1,
            adaptive: false,
        }
    }
}

impl PageOptions {
    /// Adaptive paging with at most `max` pages in flight.
    pub fn adaptive(max: usize) -> Self {
        PageOptions {
            concurrency: max.max(1),
            adaptive: true,
            ..PageOptions::default()
        }
    }
}

/// What the pager needs to know about a page.
pub trait Page {
    /// How many items the page holds.
    fn item_count(&self) -> usize;
    /// The total the page reports, if the operation returns one.
    fn total(&self) -> Option<u64>;
    /// A short fingerprint of the page's items (its first and last items as JSON): two
    /// consecutive pages with the same fingerprint mean the server ignored `offset`.
    fn fingerprint(&self) -> String;
}

/// Streams the pages of a list operation. `fetch(offset, limit)` gets one page.
pub fn pages<'a, P, F, Fut>(
    pagination: &Pagination,
    options: PageOptions,
    fetch: F,
) -> BoxStream<'a, P>
where
    P: Page + Send + 'a,
    F: Fn(u32, u32) -> Fut + Send + Sync + Clone + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    let limit = pagination.page_size(options.page_size);
    let concurrency = options.concurrency.max(1);
    let adaptive = options.adaptive;
    let start = options.start;
    // The pager counts records; an operation whose `offset` is a 1-based page number is sent
    // the page that holds the record.
    let shape = *pagination;
    let fetch = move |offset: u32, limit: u32| fetch(shape.wire_offset(offset, limit), limit);
    let first = fetch(start, limit);
    let rest_fetch = fetch.clone();
    stream::once(first)
        .map_ok(move |page| {
            let count = page.item_count() as u64;
            let total = page.total();
            let done = count == 0
                || count < u64::from(limit)
                || total.is_some_and(|t| u64::from(start) + count >= t);
            let rest: BoxStream<'a, P> = if done {
                stream::empty().boxed()
            } else if let (Some(total), true) = (total, concurrency > 1 || adaptive) {
                // The total is known: fetch the remaining pages concurrently, in order.
                let offsets = (u64::from(start) + u64::from(limit)..total)
                    .step_by(limit as usize)
                    .map(|o| u32::try_from(o).unwrap_or(u32::MAX));
                let fetch = rest_fetch.clone();
                if adaptive {
                    crate::adaptive::pages(offsets, limit, concurrency, fetch)
                } else {
                    stream::iter(offsets)
                        .map(move |offset| fetch(offset, limit))
                        .buffered(concurrency)
                        .boxed()
                }
            } else {
                sequential(start + limit, limit, rest_fetch.clone())
            };
            let first = stream::once(async move { Ok(page) });
            guard(first.chain(rest).boxed(), start, limit)
        })
        .try_flatten()
        .boxed()
}

/// One page after the other from `offset`, until a short or empty page.
fn sequential<'a, P, F, Fut>(offset: u32, limit: u32, fetch: F) -> BoxStream<'a, P>
where
    P: Page + Send + 'a,
    F: Fn(u32, u32) -> Fut + Send + Sync + 'a,
    Fut: Future<Output = Result<P, Error>> + Send + 'a,
{
    stream::try_unfold((Some(offset), fetch), move |(next, fetch)| async move {
        let Some(offset) = next else {
            return Ok(None);
        };
        let page = fetch(offset, limit).await?;
        let count = page.item_count() as u64;
        if count == 0 {
            return Ok(None);
        }
        let end = u64::from(offset) + count;
        let more = count >= u64::from(limit)
            && page.total().is_none_or(|t| end < t)
            && end < u64::from(u32::MAX);
        let next = more.then(|| offset + limit);
        Ok(Some((page, (next, fetch))))
    })
    .boxed()
}

/// Ends the stream at the total or at a short page, and turns a repeated page into an error.
fn guard<'a, P>(pages: BoxStream<'a, P>, start: u32, limit: u32) -> BoxStream<'a, P>
where
    P: Page + Send + 'a,
{
    struct State<'a, P> {
        pages: BoxStream<'a, P>,
        previous: Option<String>,
        offset: u64,
        finished: bool,
    }
    let state = State {
        pages,
        previous: None,
        offset: u64::from(start),
        finished: false,
    };
    stream::unfold(state, move |mut state| async move {
        if state.finished {
            return None;
        }
        let page = match state.pages.next().await? {
            Ok(page) => page,
            Err(err) => {
                state.finished = true;
                return Some((Err(err), state));
            }
        };
        let count = page.item_count() as u64;
        if count == 0 {
            return None;
        }
        let fingerprint = page.fingerprint();
        if state.previous.as_deref() == Some(fingerprint.as_str()) {
            state.finished = true;
            let err = Error::new(
                ErrorKind::Decode,
                format!(
                    "the server returned the same page again at offset {}: it ignores `offset`, so paging stopped",
                    state.offset
                ),
            );
            return Some((Err(err), state));
        }
        let end = state.offset + count;
        state.finished = count < u64::from(limit) || page.total().is_some_and(|t| end >= t);
        state.previous = Some(fingerprint);
        state.offset += u64::from(limit);
        Some((Ok(page), state))
    })
    .boxed()
}

/// The pagination of an operation whose metadata is missing (never the case for generated
/// operations): pages of 100.
pub const FALLBACK: Pagination = Pagination {
    location: crate::meta::Location::Query,
    limit_max: 100,
    items: "",
    total: None,
    offset_unit: OffsetUnit::Records,
};

/// The items of a stream of pages, in order.
pub fn items<'a, P, T, I>(pages: BoxStream<'a, P>, split: fn(P) -> I) -> BoxStream<'a, T>
where
    P: Send + 'a,
    T: Send + 'a,
    I: IntoIterator<Item = T> + 'a,
    I::IntoIter: Send + Unpin + 'a,
{
    Box::pin(Items {
        pages,
        split,
        current: None,
        finished: false,
    })
}

/// The stream behind [`items`]: it hands out the items of the page it holds, then polls for the
/// next page. Written out rather than composed from stream adapters so that each item (a
/// record of a few hundred bytes) is moved once on its way out, not once per adapter. Once it
/// has ended it keeps answering `None`.
struct Items<'a, P, I: IntoIterator> {
    pages: BoxStream<'a, P>,
    split: fn(P) -> I,
    current: Option<I::IntoIter>,
    finished: bool,
}

impl<P, I> Stream for Items<'_, P, I>
where
    I: IntoIterator,
    I::IntoIter: Unpin,
{
    type Item = Result<I::Item, Error>;

    fn poll_next(
        self: Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        let this = self.get_mut();
        loop {
            if this.finished {
                return std::task::Poll::Ready(None);
            }
            if let Some(item) = this.current.as_mut().and_then(Iterator::next) {
                return std::task::Poll::Ready(Some(Ok(item)));
            }
            this.current = None;
            match std::task::ready!(this.pages.as_mut().poll_next(cx)) {
                Some(Ok(page)) => this.current = Some((this.split)(page).into_iter()),
                Some(Err(err)) => return std::task::Poll::Ready(Some(Err(err))),
                None => this.finished = true,
            }
        }
    }
}

/// The fingerprint of a page's items: its first and last items as JSON.
pub fn fingerprint<T: serde::Serialize>(items: &[T]) -> String {
    let json = |item: Option<&T>| {
        item.and_then(|i| serde_json::to_string(i).ok())
            .unwrap_or_default()
    };
    format!(
        "{}|{}|{}",
        items.len(),
        json(items.first()),
        json(items.last())
    )
}

/// A page decoded as JSON, for paging any operation from its metadata alone.
#[derive(Clone, Debug, PartialEq)]
pub struct JsonPage {
    /// The whole response.
    pub value: serde_json::Value,
    items: &'static str,
    total: Option<&'static str>,
}

impl JsonPage {
    /// Wraps a response of an operation paginated as `pagination`.
    pub fn new(value: serde_json::Value, pagination: &Pagination) -> Self {
        JsonPage {
            value,
            items: pagination.items,
            total: pagination.total,
        }
    }

    /// The page's items.
    pub fn items(&self) -> &[serde_json::Value] {
        self.value
            .get(self.items)
            .and_then(serde_json::Value::as_array)
            .map_or(&[], Vec::as_slice)
    }

    /// Takes the page's items out.
    pub fn into_items(mut self) -> Vec<serde_json::Value> {
        match self.value.get_mut(self.items).map(serde_json::Value::take) {
            Some(serde_json::Value::Array(items)) => items,
            _ => Vec::new(),
        }
    }
}

impl Page for JsonPage {
    fn item_count(&self) -> usize {
        self.items().len()
    }

    fn total(&self) -> Option<u64> {
        self.total
            .and_then(|field| self.value.get(field))
            .and_then(serde_json::Value::as_u64)
    }

    fn fingerprint(&self) -> String {
        fingerprint(self.items())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::meta::Location;
    use std::sync::{Arc, Mutex};

    const PAGINATION: Pagination = Pagination {
        location: Location::Query,
        limit_max: 10,
        items: "items",
        total: Some("total"),
        offset_unit: crate::meta::OffsetUnit::Records,
    };

    /// A fake server with `records` records; `ignore_offset` makes it always answer page one.
    fn fetcher(
        records: u32,
        report_total: bool,
        ignore_offset: bool,
        log: Arc<Mutex<Vec<(u32, u32)>>>,
    ) -> impl Fn(u32, u32) -> futures::future::Ready<Result<JsonPage, Error>> + Clone {
        move |offset, limit| {
            log.lock().unwrap().push((offset, limit));
            let from = if ignore_offset { 0 } else { offset };
            let items: Vec<u32> = (from..records.min(from + limit)).collect();
            let mut value = serde_json::json!({ "items": items });
            if report_total {
                value["total"] = records.into();
            }
            futures::future::ready(Ok(JsonPage::new(value, &PAGINATION)))
        }
    }

    async fn collect(stream: BoxStream<'_, JsonPage>) -> (Vec<u64>, Option<String>) {
        let mut seen = Vec::new();
        let mut stream = stream;
        while let Some(page) = stream.next().await {
            match page {
                Ok(page) => seen.extend(page.items().iter().filter_map(|v| v.as_u64())),
                Err(err) => return (seen, Some(err.to_string())),
            }
        }
        (seen, None)
    }

    fn block_on<F: Future>(future: F) -> F::Output {
        futures::executor::block_on(future)
    }

    #[test]
    fn items_come_out_in_order_and_the_stream_stays_ended() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let pages_of = |records, ignore_offset| {
            pages(
                &PAGINATION,
                PageOptions {
                    page_size: Some(4),
                    ..PageOptions::default()
                },
                fetcher(records, true, ignore_offset, log.clone()),
            )
        };
        let mut all = items(pages_of(10, false), JsonPage::into_items);
        let seen: Vec<u64> = block_on(async {
            let mut seen = Vec::new();
            while let Some(item) = all.next().await {
                seen.push(item.unwrap().as_u64().unwrap());
            }
            seen
        });
        assert_eq!(seen, (0..10).collect::<Vec<_>>());
        assert!(block_on(all.next()).is_none(), "polled again after the end");
        // A repeated page: the first page's items, then the error, then the end.
        let mut repeated = items(pages_of(10, true), JsonPage::into_items);
        let outcomes: Vec<bool> = block_on(async {
            let mut outcomes = Vec::new();
            while let Some(item) = repeated.next().await {
                outcomes.push(item.is_ok());
            }
            outcomes
        });
        assert_eq!(outcomes, [true, true, true, true, false]);
        assert!(block_on(repeated.next()).is_none());
    }

    #[test]
    fn stops_at_the_total_with_the_largest_page_by_default() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            &PAGINATION,
            PageOptions::default(),
            fetcher(25, true, false, log.clone()),
        );
        let (seen, err) = block_on(collect(stream));
        assert_eq!(seen, (0..25).collect::<Vec<_>>());
        assert_eq!(err, None);
        assert_eq!(*log.lock().unwrap(), vec![(0, 10), (10, 10), (20, 10)]);
    }

    #[test]
    fn sends_page_numbers_when_offset_counts_pages() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let seen_log = log.clone();
        let by_page = Pagination {
            offset_unit: OffsetUnit::Pages,
            ..PAGINATION
        };
        // A server whose `offset` is the 1-based page number.
        let fetch = move |page: u32, limit: u32| {
            seen_log.lock().unwrap().push((page, limit));
            let from = (page - 1) * limit;
            let items: Vec<u32> = (from..25.min(from + limit)).collect();
            futures::future::ready(Ok(JsonPage::new(
                serde_json::json!({"items": items, "total": 25}),
                &by_page,
            )))
        };
        let (seen, err) = block_on(collect(pages(
            &by_page,
            PageOptions::default(),
            fetch.clone(),
        )));
        assert_eq!(seen, (0..25).collect::<Vec<_>>());
        assert_eq!(err, None);
        assert_eq!(*log.lock().unwrap(), vec![(1, 10), (2, 10), (3, 10)]);
        // Concurrently, and starting at record 10 (page two).
        log.lock().unwrap().clear();
        let options = PageOptions {
            start: 10,
            concurrency: 3,
            ..PageOptions::default()
        };
        let (seen, _) = block_on(collect(pages(&by_page, options, fetch)));
        assert_eq!(seen, (10..25).collect::<Vec<_>>());
        assert_eq!(*log.lock().unwrap(), vec![(2, 10), (3, 10)]);
    }

    #[test]
    fn stops_on_a_short_page_without_a_total_and_on_an_exact_multiple() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            &PAGINATION,
            PageOptions::default(),
            fetcher(20, false, false, log.clone()),
        );
        let (seen, _) = block_on(collect(stream));
        assert_eq!(seen.len(), 20);
        // Without a total, an empty third page ends it.
        assert_eq!(*log.lock().unwrap(), vec![(0, 10), (10, 10), (20, 10)]);
        let log = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            &PAGINATION,
            PageOptions::default(),
            fetcher(20, true, false, log.clone()),
        );
        block_on(collect(stream));
        assert_eq!(
            log.lock().unwrap().len(),
            2,
            "the total ends it without an empty page"
        );
    }

    #[test]
    fn a_server_that_ignores_offset_is_an_error_not_a_loop() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let stream = pages(
            &PAGINATION,
            PageOptions::default(),
            fetcher(1000, true, true, log.clone()),
        );
        let (seen, err) = block_on(collect(stream));
        assert_eq!(seen.len(), 10);
        assert!(err.unwrap().contains("ignores `offset`"));
        assert_eq!(log.lock().unwrap().len(), 2);
    }

    #[test]
    fn concurrent_paging_keeps_the_order() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let options = PageOptions {
            page_size: Some(3),
            start: 2,
            concurrency: 4,
            ..PageOptions::default()
        };
        let stream = pages(&PAGINATION, options, fetcher(20, true, false, log.clone()));
        let (seen, err) = block_on(collect(stream));
        assert_eq!(err, None);
        assert_eq!(seen, (2..20).collect::<Vec<_>>());
        assert_eq!(log.lock().unwrap().len(), 6);
    }

    #[test]
    fn the_page_size_is_capped_at_the_operation_maximum() {
        let log = Arc::new(Mutex::new(Vec::new()));
        let options = PageOptions {
            page_size: Some(5000),
            ..PageOptions::default()
        };
        block_on(collect(pages(
            &PAGINATION,
            options,
            fetcher(5, true, false, log.clone()),
        )));
        assert_eq!(*log.lock().unwrap(), vec![(0, 10)]);
    }
}
