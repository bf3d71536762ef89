//! `cargo xtask diff [REV]`: what a spec edit changes for the users of the generated crates.
//!
//! It loads `openapi/` at `REV` (default `HEAD`) and in the working tree, merges the shared file
//! into each group the way generation does, and lists per group and operation every added or
//! removed operation, parameter and field, every change of type, required-ness, enum values and
//! limits, and every change of `x-pagination`, `x-operation-kind`, `x-caller` and `x-site`.
//!
//! Each change is classified twice, because the two audiences break differently:
//! - **Rust**: does code written against the generated crates still compile and behave?
//! - **wire**: does a client built from the old spec still work against a service that follows
//!   the new one (and the new request shapes against what the old spec allowed)?
//!
//! # Rules
//!
//! A request value is a path, query or header parameter, or a field anywhere in a request body;
//! a response value is a field anywhere in the success response.
//!
//! | change | Rust | wire |
//! |---|---|---|
//! | operation added | additive | additive |
//! | operation removed | breaking | breaking |
//! | method or path changed | — | breaking |
//! | request value added, optional | additive | additive |
//! | request value added, required | breaking (existing calls miss it) | breaking |
//! | request value removed | breaking (setter or field gone) | breaking (the service ignores it) |
//! | request value optional → required | breaking | breaking |
//! | request parameter required → optional | additive (same setter) | additive |
//! | request body field required → optional | breaking (`T` becomes `Option<T>`) | additive |
//! | response field added (optional or required) | additive | additive (old clients ignore it) |
//! | response field removed, was required | breaking | breaking (old clients fail to decode) |
//! | response field removed, was optional | breaking | additive (old clients see `None`) |
//! | response field optional → required | breaking (`Option<T>` becomes `T`) | additive |
//! | response field required → optional | breaking | breaking (old clients fail on absence) |
//! | type or format changed | breaking | breaking |
//! | schema renamed (same shape) | breaking (the Rust type is renamed) | — |
//! | request enum value added | additive | additive |
//! | request enum value removed | breaking (variant gone) | breaking (service rejects it) |
//! | response enum value added | breaking (exhaustive matches) | breaking (old clients fail to decode) |
//! | response enum value removed | breaking (variant gone) | additive |
//! | request limit tightened (higher minimum, lower maximum or length, new pattern) | see below | breaking |
//! | request limit loosened | see below | additive |
//! | response limit tightened | see below | additive |
//! | response limit loosened | see below | breaking (old clients check the old limit on decode) |
//! | request body added, optional / required | additive / breaking | additive / breaking |
//! | request body removed | breaking | breaking |
//! | pagination added | additive (`pages`/`items` appear) | additive |
//! | pagination removed | breaking (`pages`/`items` go) | — |
//! | pagination moved (query ↔ body), list or total field, offset unit changed | — | breaking |
//! | pagination `limit-max` raised / lowered | — | additive / breaking |
//! | kind `state-change` → `read` | — | breaking (the client starts retrying it) |
//! | kind `read` → `state-change` | — | additive (fewer retries) |
//! | caller widened to `partner-or-customer` | — | additive |
//! | caller changed otherwise | — | breaking (the old callers are refused) |
//! | site narrowed to `intl` | breaking (refused on the China site before sending) | breaking |
//! | site widened to both | additive | additive |
//!
//! A limit changes the Rust type only where the generator maps it to one: a string gains or loses
//! a checked newtype when it gains or loses its first length or pattern limit, and an integer
//! moves between signed, unsigned and non-zero types when its `minimum` crosses 0 or 1; those
//! are Rust-breaking, any other limit change is not a Rust change.
//!
//! Adding a field to a generated struct is counted additive for Rust: the crates' documented way
//! to build a request body is its typed builder (`types::X::builder()`), and response types are
//! for reading, so only struct literals and exhaustive destructuring, which the docs do not use,
//! would notice.
//!
//! The command exits 1 when any change is breaking (on either side) unless `--allow-breaking`
//! is given, and 2 when the specs cannot be loaded (an unknown REV, a shallow clone).

mod compare;
mod git;
mod report;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

pub use compare::compare;

const USAGE: &str =
    "usage: cargo xtask diff [REV] [--allow-breaking] [--format text|markdown] [--root DIR]";

/// How a change affects one audience.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Impact {
    /// No effect on this side.
    None,
    /// Existing users keep working.
    Additive,
    /// Existing users may stop compiling or working.
    Breaking,
}

impl Impact {
    /// The word used in reports.
    pub fn label(self) -> &'static str {
        match self {
            Impact::None => "—",
            Impact::Additive => "additive",
            Impact::Breaking => "breaking",
        }
    }
}

/// One difference between the old and the new specs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Change {
    /// The API group (`customers`).
    pub group: String,
    /// The operation id, or `None` for a change to the group itself.
    pub operation: Option<String>,
    /// What changed (`query parameter \`limit\``, `response field \`cities[].code\``).
    pub subject: String,
    /// How it changed (`added (optional)`, `maximum 1000 → 100`).
    pub detail: String,
    /// The effect on code using the generated Rust API.
    pub rust: Impact,
    /// The effect on the wire between old clients and the new service.
    pub wire: Impact,
}

impl Change {
    /// Whether either side breaks.
    pub fn is_breaking(&self) -> bool {
        self.rust == Impact::Breaking || self.wire == Impact::Breaking
    }
}

/// Output formats of the report.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    /// Plain text for a terminal.
    Text,
    /// Markdown fit for a pull-request comment.
    Markdown,
}

/// The parsed command line of `cargo xtask diff`.
struct Options {
    rev: String,
    allow_breaking: bool,
    format: Format,
    root: PathBuf,
}

fn parse(args: Vec<String>, default_root: PathBuf) -> Result<Options> {
    let mut options = Options {
        rev: "HEAD".to_string(),
        allow_breaking: false,
        format: Format::Text,
        root: default_root,
    };
    let mut rev = None;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--allow-breaking" => options.allow_breaking = true,
            "--format" => {
                options.format = match args.next().as_deref() {
                    Some("text") => Format::Text,
                    Some("markdown") => Format::Markdown,
                    other => bail!("--format must be `text` or `markdown`, not {other:?}\n{USAGE}"),
                }
            }
            "--root" => {
                options.root = PathBuf::from(args.next().context("--root needs a directory")?)
            }
            flag if flag.starts_with('-') => bail!("unknown argument `{flag}`\n{USAGE}"),
            value if rev.is_none() => rev = Some(value.to_string()),
            value => bail!("only one REV may be given (got a second: `{value}`)\n{USAGE}"),
        }
    }
    if let Some(rev) = rev {
        options.rev = rev;
    }
    Ok(options)
}

/// Runs `cargo xtask diff` with the arguments after `diff`; prints the report on stdout.
pub fn command(args: Vec<String>, default_root: PathBuf) -> ExitCode {
    let options = match parse(args, default_root) {
        Ok(options) => options,
        Err(err) => {
            eprintln!("xtask diff: {err:#}");
            return ExitCode::from(2);
        }
    };
    let changes = match changes_since(&options.root, &options.rev) {
        Ok(changes) => changes,
        Err(err) => {
            eprintln!("xtask diff: {err:#}");
            return ExitCode::from(2);
        }
    };
    let title = format!("openapi/ at {} → working tree", options.rev);
    print!("{}", report::render(&changes, options.format, &title));
    let breaking = changes.iter().filter(|c| c.is_breaking()).count();
    if breaking > 0 && !options.allow_breaking {
        eprintln!(
            "xtask diff: {breaking} breaking change(s); pass --allow-breaking if they are intended"
        );
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    }
}

/// The changes from `openapi/` at `rev` to the working tree under `root`.
pub fn changes_since(root: &Path, rev: &str) -> Result<Vec<Change>> {
    let old = git::groups_at(root, rev)?;
    let new = crate::spec::load_groups(root).context("loading the working tree's specs")?;
    Ok(compare(&old, &new))
}
