//! The report: text for the terminal or Markdown for an issue or pull request, both ending with
//! the summary line of counts.

use std::fmt::Write;

use super::compare::{Comparison, Difference};
use super::exceptions::{Applied, FILE};

/// How the report is written.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Markdown,
}

impl Format {
    /// Parses `--format`'s value.
    pub fn parse(value: &str) -> Option<Format> {
        match value {
            "text" => Some(Format::Text),
            "markdown" => Some(Format::Markdown),
            _ => None,
        }
    }
}

/// What the report is about: the SDK packages and versions compared against.
pub struct Context<'a> {
    pub packages: Vec<(&'a str, &'a str)>,
}

/// The one-line summary with the counts.
pub fn summary(comparison: &Comparison, applied: &Applied) -> String {
    format!(
        "upstream: {} operations compared ({} SDK operations), {} fields, {} parameters and {} enum \
         value sets compared, {} differences: {} explained, {} unexplained; {} stale exceptions",
        comparison.operations,
        comparison.sdk_operations,
        comparison.fields,
        comparison.parameters,
        comparison.enums,
        comparison.differences.len(),
        applied.explained.len(),
        applied.unexplained.len(),
        applied.stale.len(),
    )
}

/// Writes the whole report.
pub fn render(
    format: Format,
    context: &Context,
    comparison: &Comparison,
    applied: &Applied,
) -> String {
    match format {
        Format::Text => text(context, comparison, applied),
        Format::Markdown => markdown(context, comparison, applied),
    }
}

fn versions(context: &Context) -> String {
    context
        .packages
        .iter()
        .map(|(name, version)| format!("{name} {version}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn location(difference: &Difference) -> String {
    let file = if difference.file.is_empty() {
        "(no spec)"
    } else {
        &difference.file
    };
    let mut out = format!("{file}: {}", difference.operation);
    if !difference.package.is_empty() {
        out.push_str(&format!(" [{}]", difference.package));
    }
    out
}

fn what(difference: &Difference) -> String {
    let mut out = difference.kind.to_string();
    if !difference.subject.is_empty() {
        out.push_str(&format!(" `{}`", difference.subject));
    }
    let side = |s: &str| {
        if s.is_empty() {
            "-".to_string()
        } else {
            s.to_string()
        }
    };
    out.push_str(&format!(
        ": ours {}; SDK {}",
        side(&difference.ours),
        side(&difference.sdk)
    ));
    out
}

fn text(context: &Context, comparison: &Comparison, applied: &Applied) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "Compared with {}.", versions(context));
    if !applied.unexplained.is_empty() {
        let _ = writeln!(out, "\nUnexplained drift:");
        for difference in &applied.unexplained {
            let _ = writeln!(out, "  {}: {}", location(difference), what(difference));
        }
    }
    if !applied.stale.is_empty() {
        let _ = writeln!(out, "\nStale exceptions in {FILE} (they match nothing):");
        for exception in &applied.stale {
            let _ = writeln!(out, "  entry {}: {}", exception.index, exception.label());
        }
    }
    if !applied.explained.is_empty() {
        let _ = writeln!(
            out,
            "\n{} known differences are explained in {FILE}.",
            applied.explained.len()
        );
    }
    let _ = writeln!(out, "\n{}", summary(comparison, applied));
    out
}

fn cell(text: &str) -> String {
    if text.is_empty() {
        "–".to_string()
    } else {
        text.replace('|', "\\|")
    }
}

fn markdown(context: &Context, comparison: &Comparison, applied: &Applied) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "### Upstream drift against {}\n", versions(context));
    if applied.unexplained.is_empty() {
        let _ = writeln!(out, "No unexplained drift.\n");
    } else {
        let _ = writeln!(out, "#### Unexplained drift\n");
        let _ = writeln!(
            out,
            "| spec | operation | SDK package | kind | subject | ours | SDK |"
        );
        let _ = writeln!(out, "|---|---|---|---|---|---|---|");
        for d in &applied.unexplained {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} | {} | {} |",
                cell(&d.file),
                d.operation,
                cell(&d.package),
                d.kind,
                cell(&d.subject),
                cell(&d.ours),
                cell(&d.sdk)
            );
        }
        out.push('\n');
    }
    if !applied.stale.is_empty() {
        let _ = writeln!(out, "#### Stale exceptions in `{FILE}`\n");
        for exception in &applied.stale {
            let _ = writeln!(out, "- entry {}: {}", exception.index, exception.label());
        }
        out.push('\n');
    }
    if !applied.explained.is_empty() {
        let _ = writeln!(
            out,
            "<details><summary>{} known differences (explained in <code>{FILE}</code>)</summary>\n",
            applied.explained.len()
        );
        let _ = writeln!(out, "| operation | SDK package | kind | subject | reason |");
        let _ = writeln!(out, "|---|---|---|---|---|");
        for (d, exception) in &applied.explained {
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                d.operation,
                cell(&d.package),
                d.kind,
                cell(&d.subject),
                cell(&exception.reason)
            );
        }
        let _ = writeln!(out, "\n</details>\n");
    }
    let _ = writeln!(out, "{}", summary(comparison, applied));
    out
}
