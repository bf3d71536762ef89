//! The reviewed list of known, deliberate differences (`openapi/upstream/exceptions.yaml`): each
//! entry names one difference and says why it is not drift. Entries that match nothing are
//! stale and reported, so the list cannot rot.

use std::collections::BTreeSet;

use anyhow::{Context, Result, bail};
use serde::Deserialize;

use super::compare::{Difference, Kind};

/// The exceptions file, relative to the workspace root.
pub const FILE: &str = "openapi/upstream/exceptions.yaml";

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct File {
    exceptions: Vec<RawEntry>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawEntry {
    operation: String,
    kind: String,
    #[serde(default)]
    subject: String,
    #[serde(default)]
    package: Option<String>,
    reason: String,
}

/// One reviewed difference.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Exception {
    /// 1-based position in the file, for messages.
    pub index: usize,
    pub operation: String,
    pub kind: Kind,
    pub subject: String,
    /// Only differences found against this SDK package; any package when `None`.
    pub package: Option<String>,
    pub reason: String,
}

impl Exception {
    /// Whether this entry explains `difference`.
    pub fn matches(&self, difference: &Difference) -> bool {
        self.operation == difference.operation
            && self.kind == difference.kind
            && self.subject == difference.subject
            && self
                .package
                .as_ref()
                .is_none_or(|package| *package == difference.package)
    }

    /// `ListInvoices extra-parameter "path domain_id"`, for messages.
    pub fn label(&self) -> String {
        let mut label = format!("{} {}", self.operation, self.kind);
        if !self.subject.is_empty() {
            label.push_str(&format!(" `{}`", self.subject));
        }
        if let Some(package) = &self.package {
            label.push_str(&format!(" [{package}]"));
        }
        label
    }
}

/// Parses the exceptions file, checking that every entry names a known kind, gives a reason and
/// appears once.
pub fn parse(text: &str) -> Result<Vec<Exception>> {
    let file: File = serde_norway::from_str(text).with_context(|| format!("parsing {FILE}"))?;
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for (i, raw) in file.exceptions.into_iter().enumerate() {
        let index = i + 1;
        let Some(kind) = Kind::from_name(&raw.kind) else {
            let known: Vec<&str> = Kind::ALL.iter().map(|k| k.name()).collect();
            bail!(
                "{FILE}: entry {index} ({}): unknown kind `{}`; the kinds are {}",
                raw.operation,
                raw.kind,
                known.join(", ")
            );
        };
        if raw.operation.trim().is_empty() {
            bail!("{FILE}: entry {index}: `operation` must name an operation");
        }
        if raw.reason.trim().is_empty() {
            bail!(
                "{FILE}: entry {index} ({} {kind}): `reason` must say why this is not drift",
                raw.operation
            );
        }
        let key = (
            raw.operation.clone(),
            kind,
            raw.subject.clone(),
            raw.package.clone(),
        );
        if !seen.insert(key) {
            bail!(
                "{FILE}: entry {index} ({} {kind} `{}`): listed twice",
                raw.operation,
                raw.subject
            );
        }
        out.push(Exception {
            index,
            operation: raw.operation,
            kind,
            subject: raw.subject,
            package: raw.package,
            reason: raw.reason.trim().to_string(),
        });
    }
    Ok(out)
}

/// The differences split by whether an exception explains them, and the stale exceptions.
pub struct Applied<'a> {
    pub explained: Vec<(&'a Difference, &'a Exception)>,
    pub unexplained: Vec<&'a Difference>,
    pub stale: Vec<&'a Exception>,
}

/// Matches every difference against the exceptions.
pub fn apply<'a>(differences: &'a [Difference], exceptions: &'a [Exception]) -> Applied<'a> {
    let mut used = vec![false; exceptions.len()];
    let mut explained = Vec::new();
    let mut unexplained = Vec::new();
    for difference in differences {
        match exceptions.iter().position(|e| e.matches(difference)) {
            Some(i) => {
                used[i] = true;
                explained.push((difference, &exceptions[i]));
            }
            None => unexplained.push(difference),
        }
    }
    let stale = exceptions
        .iter()
        .zip(used)
        .filter(|(_, used)| !used)
        .map(|(e, _)| e)
        .collect();
    Applied {
        explained,
        unexplained,
        stale,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn difference(operation: &str, kind: Kind, subject: &str, package: &str) -> Difference {
        Difference {
            file: "openapi/x.yaml".into(),
            operation: operation.into(),
            package: package.into(),
            kind,
            subject: subject.into(),
            ours: String::new(),
            sdk: String::new(),
        }
    }

    #[test]
    fn entries_explain_matching_differences_and_unused_ones_are_stale() {
        let exceptions = parse(
            "exceptions:
  - operation: ListInvoices
    kind: extra-parameter
    subject: path domain_id
    reason: The SDK fills it in from the credentials.
  - operation: CreateSubCustomer
    kind: missing-field
    subject: body.mobile_phone
    package: sdkintl
    reason: China only.
  - operation: Gone
    kind: missing-operation
    reason: Removed upstream long ago.
",
        )
        .unwrap();
        let differences = vec![
            difference("ListInvoices", Kind::ExtraParameter, "path domain_id", ""),
            difference(
                "CreateSubCustomer",
                Kind::MissingField,
                "body.mobile_phone",
                "sdkintl",
            ),
            difference(
                "CreateSubCustomer",
                Kind::MissingField,
                "body.mobile_phone",
                "sdk",
            ),
        ];
        let applied = apply(&differences, &exceptions);
        assert_eq!(applied.explained.len(), 2);
        assert_eq!(applied.unexplained, vec![&differences[2]]);
        assert_eq!(applied.stale.len(), 1);
        assert_eq!(applied.stale[0].label(), "Gone missing-operation");
    }

    #[test]
    fn bad_entries_are_rejected_naming_the_entry_and_the_rule() {
        let unknown = parse("exceptions:\n  - {operation: A, kind: renamed, reason: r}\n")
            .unwrap_err()
            .to_string();
        assert!(
            unknown.contains("entry 1 (A): unknown kind `renamed`"),
            "{unknown}"
        );
        let no_reason = parse("exceptions:\n  - {operation: A, kind: path, reason: ' '}\n")
            .unwrap_err()
            .to_string();
        assert!(
            no_reason.contains("entry 1 (A path): `reason`"),
            "{no_reason}"
        );
        let twice = parse(
            "exceptions:\n  - {operation: A, kind: path, reason: r}\n  - {operation: A, kind: path, reason: s}\n",
        )
        .unwrap_err()
        .to_string();
        assert!(
            twice.contains("entry 2 (A path ``): listed twice"),
            "{twice}"
        );
        assert!(parse("exceptions:\n  - {operation: A, kind: path}\n").is_err());
        assert!(
            parse("exceptions:\n  - {operation: A, kind: path, reason: r, typo: 1}\n").is_err()
        );
    }
}
