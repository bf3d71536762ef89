//! Rendering a list of changes as plain text for a terminal or as Markdown for a pull-request
//! comment: a summary line, then one section per group.

use std::collections::BTreeMap;

use super::{Change, Format, Impact};

/// The report for `changes`, headed by `title` (what was compared with what).
pub fn render(changes: &[Change], format: Format, title: &str) -> String {
    let summary = summary(changes);
    let mut by_group: BTreeMap<&str, Vec<&Change>> = BTreeMap::new();
    for change in changes {
        by_group.entry(&change.group).or_default().push(change);
    }
    let mut out = String::new();
    match format {
        Format::Text => {
            out.push_str(&format!("{title}: {summary}\n"));
            for (group, changes) in by_group {
                out.push_str(&format!("\n{group}\n"));
                let mut operation = None;
                for change in changes {
                    if change.operation.as_deref() != operation {
                        operation = change.operation.as_deref();
                        if let Some(op) = operation {
                            out.push_str(&format!("  {op}\n"));
                        }
                    }
                    let indent = if operation.is_some() { "    " } else { "  " };
                    out.push_str(&format!(
                        "{indent}{}: {}  [Rust: {}, wire: {}]\n",
                        change.subject,
                        change.detail,
                        change.rust.label(),
                        change.wire.label()
                    ));
                }
            }
        }
        Format::Markdown => {
            out.push_str(&format!(
                "### Spec changes: {}\n\n{summary}\n",
                escape(title)
            ));
            for (group, changes) in by_group {
                out.push_str(&format!(
                    "\n#### `{group}`\n\n| operation | what | change | Rust API | wire |\n|---|---|---|---|---|\n"
                ));
                for change in changes {
                    out.push_str(&format!(
                        "| {} | {} | {} | {} | {} |\n",
                        change.operation.as_deref().unwrap_or("(group)"),
                        escape(&change.subject),
                        escape(&change.detail),
                        cell(change.rust),
                        cell(change.wire)
                    ));
                }
            }
        }
    }
    out
}

/// `no changes`, or how many changes there are and how many break on each side.
fn summary(changes: &[Change]) -> String {
    if changes.is_empty() {
        return "no changes".to_string();
    }
    let breaking = changes.iter().filter(|c| c.is_breaking()).count();
    let rust = changes
        .iter()
        .filter(|c| c.rust == Impact::Breaking)
        .count();
    let wire = changes
        .iter()
        .filter(|c| c.wire == Impact::Breaking)
        .count();
    let plural = |n: usize| if n == 1 { "" } else { "s" };
    if breaking == 0 {
        format!(
            "{} change{}, none breaking",
            changes.len(),
            plural(changes.len())
        )
    } else {
        format!(
            "{} change{}, {breaking} breaking ({rust} for the Rust API, {wire} on the wire)",
            changes.len(),
            plural(changes.len())
        )
    }
}

fn cell(impact: Impact) -> String {
    match impact {
        Impact::Breaking => "**breaking**".to_string(),
        other => other.label().to_string(),
    }
}

/// Keeps a table cell one cell: a `|` would end it, a line break would end the row.
fn escape(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', " ")
}
