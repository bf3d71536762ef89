//! The typed model of the `x-*` extensions an operation may carry, parsed once with serde and
//! one set of defaults. A malformed value is an error naming the extension; the caller adds the
//! spec file and the operation.

use anyhow::{Context, Result};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::Value;

/// `x-caller`: who may call an operation.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Caller {
    Partner,
    Distributor,
    Customer,
    PartnerOrCustomer,
}

impl Caller {
    /// The value as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Caller::Partner => "partner",
            Caller::Distributor => "distributor",
            Caller::Customer => "customer",
            Caller::PartnerOrCustomer => "partner-or-customer",
        }
    }
}

/// `x-operation-kind`: a safe read or a state change.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    Read,
    StateChange,
}

impl Kind {
    /// The value as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Kind::Read => "read",
            Kind::StateChange => "state-change",
        }
    }
}

/// `x-site`: the one site an operation is limited to.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Site {
    /// The international site only.
    Intl,
}

impl Site {
    /// The value as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            Site::Intl => "intl",
        }
    }
}

/// Where `offset` and `limit` travel.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum PageLocation {
    Query,
    Body,
}

impl PageLocation {
    /// The value as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            PageLocation::Query => "query",
            PageLocation::Body => "body",
        }
    }
}

/// What `offset` counts.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Default, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum OffsetUnit {
    /// Records skipped (the default).
    #[default]
    Records,
    /// A 1-based page number.
    Pages,
}

impl OffsetUnit {
    /// The value as the spec writes it.
    pub fn as_str(self) -> &'static str {
        match self {
            OffsetUnit::Records => "records",
            OffsetUnit::Pages => "pages",
        }
    }
}

/// `x-pagination`: how a list operation pages.
#[derive(Clone, PartialEq, Eq, Debug, Deserialize)]
#[serde(rename_all = "kebab-case", deny_unknown_fields)]
pub struct Pagination {
    /// Where `offset` and `limit` travel.
    #[serde(rename = "in")]
    pub location: PageLocation,
    /// The largest page the server accepts.
    pub limit_max: u32,
    /// The response's list field.
    pub items: String,
    /// The response's total-count field, when it has one.
    #[serde(default)]
    pub total: Option<String>,
    /// What `offset` counts.
    #[serde(default)]
    pub offset: OffsetUnit,
}

/// Every `x-*` extension of one operation.
#[derive(Clone, PartialEq, Eq, Debug, Default)]
pub struct Extensions {
    /// `x-caller`, if declared.
    pub caller: Option<Caller>,
    /// `x-operation-kind`, if declared.
    pub kind: Option<Kind>,
    /// `x-site`, if declared.
    pub site: Option<Site>,
    /// `x-pagination`, if declared.
    pub pagination: Option<Pagination>,
    /// `x-partial-failure`: the response field listing items that failed in an HTTP 200.
    pub partial_failure: Option<String>,
    /// `x-outcome-check`: for a state change, the read operation that shows whether it was
    /// applied (`none` when no operation shows it).
    pub outcome_check: Option<String>,
}

impl Extensions {
    /// Parses the extensions of one operation object.
    pub fn parse(op: &Value) -> Result<Self> {
        Ok(Self {
            caller: field(op, "x-caller")?,
            kind: field(op, "x-operation-kind")?,
            site: field(op, "x-site")?,
            pagination: field(op, "x-pagination")?,
            partial_failure: field(op, "x-partial-failure")?,
            outcome_check: field(op, "x-outcome-check")?,
        })
    }
}

/// One extension, absent or well-formed.
fn field<T: DeserializeOwned>(op: &Value, name: &str) -> Result<Option<T>> {
    op.get(name)
        .map(|value| T::deserialize(value).with_context(|| name.to_string()))
        .transpose()
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn pagination_defaults_to_records_and_no_total() {
        let ext = Extensions::parse(&json!({
            "x-pagination": {"in": "body", "limit-max": 100, "items": "things"}
        }))
        .unwrap();
        let p = ext.pagination.unwrap();
        assert_eq!(p.location, PageLocation::Body);
        assert_eq!(p.limit_max, 100);
        assert_eq!(p.offset, OffsetUnit::Records);
        assert_eq!(p.total, None);
    }

    #[test]
    fn malformed_values_name_the_extension() {
        for (op, name) in [
            (json!({"x-caller": "anyone"}), "x-caller"),
            (json!({"x-operation-kind": 3}), "x-operation-kind"),
            (json!({"x-site": "cn"}), "x-site"),
            (
                json!({"x-pagination": {"in": "query", "items": "x"}}),
                "x-pagination",
            ),
            (
                json!({"x-pagination": {"in": "query", "limit-max": 1, "items": "x", "extra": 1}}),
                "x-pagination",
            ),
        ] {
            let error = format!("{:#}", Extensions::parse(&op).unwrap_err());
            assert!(error.starts_with(name), "{error}");
        }
    }
}
