//! `hcbss <list operation> --all`: every page, each item written as it arrives, in order. One
//! page (or `--concurrency` pages) is held at a time, whatever the count. When a page fails,
//! what was received is written (a JSON array is closed) and the error says the `--offset` to
//! resume from.

use std::process::ExitCode;

use futures::TryStreamExt;
use huaweicloud_bss::meta::{OffsetUnit, Pagination};
use huaweicloud_bss::{Client, Input, Operation, Page, PageOptions};

use crate::output::{Format, ItemWriter, OutputError};
use crate::sink::Stdout;

/// `--concurrency`: a fixed number of pages in flight, or `auto`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Concurrency {
    /// This many pages in flight once the total is known.
    Fixed(usize),
    /// Adaptive: from 2 pages in flight up to 16, slowing down on throttling.
    Auto,
}

impl Concurrency {
    /// The most pages in flight with `--concurrency`.
    pub const MAX: usize = 16;

    /// Parses `--concurrency`: `auto`, or a number from 1 to 16.
    pub fn parse(text: &str) -> Result<Concurrency, String> {
        if text.eq_ignore_ascii_case("auto") {
            return Ok(Concurrency::Auto);
        }
        match text.parse::<usize>() {
            Ok(n) if (1..=Self::MAX).contains(&n) => Ok(Concurrency::Fixed(n)),
            _ => Err(format!("must be auto or a number from 1 to {}", Self::MAX)),
        }
    }
}

/// How to page with `--all`.
#[derive(Clone, Copy, Debug)]
pub struct AllOptions {
    /// Pages in flight at once.
    pub concurrency: Concurrency,
    /// Stop after this many items.
    pub max_items: Option<u64>,
}

/// Where to start and the page size, from the input's `offset` and `limit` (taken out of it),
/// in records.
struct Window {
    /// The first record.
    start: u32,
    /// Records per page.
    page_size: u32,
    /// Whether the caller gave `--limit`.
    limit_given: bool,
}

impl Window {
    fn take(pagination: &Pagination, input: &mut Input) -> Window {
        let (offset, limit) = crate::input::take_window(input);
        let page_size = pagination.page_size(limit);
        // `--offset` is where to start, in the operation's own unit (a record offset, or a
        // 1-based page number); the pager counts records.
        let start = offset.map_or(0, |o| pagination.record_offset(o, page_size));
        Window {
            start,
            page_size,
            limit_given: limit.is_some(),
        }
    }

    /// The `--offset` (and, where `offset` counts pages, `--limit`) that resumes after `written`
    /// records.
    fn resume_flags(&self, pagination: &Pagination, written: u64) -> String {
        let record = u64::from(self.start).saturating_add(written);
        let record = u32::try_from(record).unwrap_or(u32::MAX);
        match pagination.offset_unit {
            OffsetUnit::Records => format!("--offset {record}"),
            OffsetUnit::Pages => format!(
                "--offset {} --limit {}",
                pagination.wire_offset(record, self.page_size),
                self.page_size
            ),
        }
    }
}

/// Pages through `operation` and writes every item in `format` to `out`.
pub async fn print_all(
    client: &Client,
    operation: &'static Operation,
    mut input: Input,
    format: Format,
    options: AllOptions,
    mut out: Stdout,
) -> ExitCode {
    let Some(pagination) = operation.pagination else {
        crate::note!("error: {} does not page", operation.id);
        return ExitCode::from(crate::EXIT_USAGE);
    };
    let window = Window::take(&pagination, &mut input);
    let mut page_size = window.page_size;
    // A few items need no full page (only where offsets count records: a page number's meaning
    // depends on the page size).
    if let (Some(max), false, OffsetUnit::Records) = (
        options.max_items,
        window.limit_given,
        pagination.offset_unit,
    ) {
        page_size = page_size.min(u32::try_from(max).unwrap_or(u32::MAX));
    }
    let window = Window {
        page_size,
        ..window
    };
    let (concurrency, adaptive) = match options.concurrency {
        Concurrency::Fixed(n) => (n, false),
        Concurrency::Auto => (Concurrency::MAX, true),
    };
    let page_options = PageOptions {
        page_size: Some(window.page_size),
        start: window.start,
        concurrency,
        adaptive,
    };
    let progress = progress_bar();
    let mut pages = client.invoke_pages(operation, input, page_options);
    let mut writer = ItemWriter::new(format);
    let mut remaining = options.max_items.unwrap_or(u64::MAX);
    let outcome = loop {
        if remaining == 0 {
            break Ok(());
        }
        let page = match pages.try_next().await {
            Ok(Some(page)) => page,
            Ok(None) => break Ok(()),
            Err(err) => break Err(Stop::Api(err)),
        };
        if let (Some(bar), Some(total)) = (&progress, page.total()) {
            bar.set_length(total);
        }
        let mut items = page.into_items();
        items.truncate(usize::try_from(remaining).unwrap_or(usize::MAX));
        remaining -= items.len() as u64;
        if let Err(err) = writer.write_batch(&items, &mut out) {
            break Err(Stop::Output(err));
        }
        // Each page reaches the reader as soon as it is written.
        if let Err(err) = std::io::Write::flush(&mut out) {
            break Err(Stop::Output(err.into()));
        }
        if let Some(bar) = &progress {
            bar.inc(items.len() as u64);
        }
    };
    // Stop fetching before anything else is said.
    drop(pages);
    if let Some(bar) = progress {
        bar.finish_and_clear();
    }
    let written = writer.written();
    // Close what was written (a JSON array) and flush it, whatever stopped the paging.
    let closing = writer
        .finish(&mut out)
        .and_then(|()| out.finish().map_err(OutputError::Io));
    let resume = || {
        crate::note!(
            "  {written} item(s) were written; to continue, run the same command with {}",
            window.resume_flags(&pagination, written)
        );
    };
    match (outcome, closing) {
        // The reader has gone: nothing more to say.
        (Err(Stop::Output(OutputError::Io(err))), _) => crate::output::failed(OutputError::Io(err)),
        (_, Err(OutputError::Io(err))) if crate::sink::is_closed_pipe(&err) => {
            crate::output::failed(OutputError::Io(err))
        }
        (Ok(()), Ok(())) => ExitCode::SUCCESS,
        (Ok(()), Err(err)) => crate::output::failed(err),
        (Err(Stop::Output(err)), _) => {
            let code = crate::output::failed(err);
            resume();
            code
        }
        (Err(Stop::Api(err)), closing) => {
            let code = crate::report(&err);
            resume();
            match closing {
                Ok(()) => code,
                Err(err) => crate::output::failed(err),
            }
        }
    }
}

/// Why paging stopped early.
enum Stop {
    /// A page failed.
    Api(huaweicloud_bss::Error),
    /// Stdout refused the output, or an item did not fit the columns.
    Output(OutputError),
}

/// A progress bar on stderr, only when a person is watching it.
fn progress_bar() -> Option<indicatif::ProgressBar> {
    use std::io::IsTerminal;
    if !std::io::stderr().is_terminal() {
        return None;
    }
    let bar =
        indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::stderr());
    let style = indicatif::ProgressStyle::with_template(
        "{spinner} {pos}/{len} records [{elapsed}] {wide_bar}",
    )
    .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar());
    bar.set_style(style);
    Some(bar)
}

#[cfg(test)]
mod tests {
    use super::Concurrency;

    #[test]
    fn concurrency_is_auto_or_a_bounded_number() {
        assert_eq!(Concurrency::parse("auto"), Ok(Concurrency::Auto));
        assert_eq!(Concurrency::parse("AUTO"), Ok(Concurrency::Auto));
        assert_eq!(Concurrency::parse("4"), Ok(Concurrency::Fixed(4)));
        for bad in ["0", "17", "", "fast", "-1"] {
            assert!(Concurrency::parse(bad).is_err(), "{bad}");
        }
    }
}
