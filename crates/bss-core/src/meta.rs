//! Operation metadata generated from the specs: who may call an operation, whether it is a safe
//! read, how it pages, and the documented limits of its parameters.

/// Who may call an operation: the partner, a distributor (a partner with resellers), the
/// customer with its own credentials, or either the partner or the customer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Caller {
    /// Partner credentials (solution provider or distributor).
    Partner,
    /// Distributor credentials only, acting on its resellers.
    Distributor,
    /// The customer's own credentials (a customer token or temporary AK/SK).
    Customer,
    /// Partner or customer credentials.
    PartnerOrCustomer,
}

impl Caller {
    /// A short human description, used in docs and `--help`.
    pub fn describe(self) -> &'static str {
        match self {
            Caller::Partner => "partner credentials",
            Caller::Distributor => "distributor credentials",
            Caller::Customer => "the customer's own credentials",
            Caller::PartnerOrCustomer => "partner or customer credentials",
        }
    }
}

/// Whether an operation may be sent again after a failure.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum OperationKind {
    /// A read (GET, or a POST `…/query`): safe to retry.
    Read,
    /// A state change (money, coupons, orders, customers): never re-sent once it may have
    /// reached the server.
    StateChange,
}

/// Where a parameter travels.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Location {
    /// In the path.
    Path,
    /// In the query string.
    Query,
    /// As a header.
    Header,
    /// As a top-level field of the JSON body.
    Body,
}

/// The JSON type of a parameter.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ValueKind {
    /// A string.
    String,
    /// An integer.
    Integer,
    /// A number (amounts are decimals).
    Number,
    /// A request amount: greater than 0 with at most 2 decimals.
    PositiveAmount,
    /// A boolean.
    Boolean,
    /// An array.
    Array,
    /// An object.
    Object,
}

/// On which sites an operation exists.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum SiteScope {
    /// The China and the international site.
    Both,
    /// The international site only (bssintl).
    InternationalOnly,
}

/// Whether an operation takes a JSON body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum BodyUse {
    /// No body.
    None,
    /// An optional body (`{}` when unset).
    Optional,
    /// A required body.
    Required,
}

/// How a list operation pages.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Pagination {
    /// Where `offset` and `limit` travel: the query or the JSON body.
    pub location: Location,
    /// The largest page size the operation accepts.
    pub limit_max: u32,
    /// The response field holding the page's items.
    pub items: &'static str,
    /// The response field holding the total, if the operation returns one.
    pub total: Option<&'static str>,
    /// What `offset` counts: records to skip (almost every operation) or 1-based pages.
    pub offset_unit: OffsetUnit,
}

impl Pagination {
    /// The page size used for `requested`: the largest page by default, never outside
    /// `1..=limit_max`.
    pub fn page_size(&self, requested: Option<u32>) -> u32 {
        requested
            .unwrap_or(self.limit_max)
            .clamp(1, self.limit_max.max(1))
    }

    /// The `offset` sent for the page of `limit` records that starts at record `record`.
    pub fn wire_offset(&self, record: u32, limit: u32) -> u32 {
        match self.offset_unit {
            OffsetUnit::Records => record,
            OffsetUnit::Pages => record / limit.max(1) + 1,
        }
    }

    /// The first record of the page a caller's `offset` names (the inverse of
    /// [`Pagination::wire_offset`]).
    pub fn record_offset(&self, offset: u32, limit: u32) -> u32 {
        match self.offset_unit {
            OffsetUnit::Records => offset,
            OffsetUnit::Pages => offset.saturating_sub(1).saturating_mul(limit),
        }
    }
}

/// What an operation's `offset` counts.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum OffsetUnit {
    /// The number of records to skip (0-based): page two of 10 is `offset=10`.
    #[default]
    Records,
    /// The page number (1-based): page two is `offset=2` (ListInvoices).
    Pages,
}

/// One parameter or top-level body field with its documented limits.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Param {
    /// The wire name.
    pub name: &'static str,
    /// Where it travels.
    pub location: Location,
    /// Whether it must be given.
    pub required: bool,
    /// Its JSON type.
    pub kind: ValueKind,
    /// Smallest allowed value.
    pub minimum: Option<i64>,
    /// Largest allowed value.
    pub maximum: Option<i64>,
    /// Shortest allowed length.
    pub min_length: Option<u32>,
    /// Longest allowed length.
    pub max_length: Option<u32>,
    /// What it means.
    pub description: &'static str,
}

/// One operation as its spec declares it.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Operation {
    /// The official SDK operation name (`ListSubCustomers`).
    pub id: &'static str,
    /// The generated method name (`list_sub_customers`).
    pub rust_name: &'static str,
    /// The API group (`customers`).
    pub group: &'static str,
    /// HTTP method.
    pub method: &'static str,
    /// Path template.
    pub path: &'static str,
    /// One-line summary.
    pub summary: &'static str,
    /// Who may call it.
    pub caller: Caller,
    /// Read or state change.
    pub kind: OperationKind,
    /// How it pages, if it is a list operation.
    pub pagination: Option<Pagination>,
    /// The response field listing items that failed although the call answered HTTP 200.
    pub partial_failure: Option<&'static str>,
    /// On which sites it exists.
    pub site: SiteScope,
    /// Whether it takes a body.
    pub body: BodyUse,
    /// Its parameters and top-level body fields.
    pub params: &'static [Param],
    /// The fields its JSON body may hold, at every depth: a key outside them is refused before
    /// anything is sent.
    pub body_shape: Option<&'static Shape>,
    /// For a state change: the read operation that shows whether it was applied, used in the
    /// message of an outcome-unknown error.
    pub outcome_check: Option<&'static str>,
}

/// The declared fields of one object schema of a request body.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Shape {
    /// The schema's name (`CreateCustomerV2Req`).
    pub name: &'static str,
    /// Its fields.
    pub fields: &'static [Field],
    /// Whether keys beyond `fields` are allowed (a free-form map).
    pub open: bool,
}

/// One declared field of a [`Shape`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct Field {
    /// The wire name.
    pub name: &'static str,
    /// The object schema of its value, or of its list's items, when it has one.
    pub shape: Option<&'static Shape>,
}

impl Shape {
    /// The declared field named `name`.
    pub fn field(&self, name: &str) -> Option<&'static Field> {
        self.fields.iter().find(|f| f.name == name)
    }
}

impl Operation {
    /// The CLI subcommand name (`list-sub-customers`).
    pub fn command_name(&self) -> String {
        self.rust_name.replace('_', "-")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn offsets_map_between_records_and_the_wire_both_ways() {
        let by_record = Pagination {
            location: Location::Query,
            limit_max: 100,
            items: "items",
            total: None,
            offset_unit: OffsetUnit::Records,
        };
        let by_page = Pagination {
            offset_unit: OffsetUnit::Pages,
            ..by_record
        };
        assert_eq!(by_record.page_size(None), 100);
        assert_eq!(by_record.page_size(Some(0)), 1);
        assert_eq!(by_record.page_size(Some(500)), 100);
        assert_eq!(by_record.wire_offset(30, 10), 30);
        assert_eq!(by_record.record_offset(30, 10), 30);
        // Page three of ten records starts at record 20.
        assert_eq!(by_page.wire_offset(20, 10), 3);
        assert_eq!(by_page.record_offset(3, 10), 20);
        assert_eq!(by_page.record_offset(0, 10), 0);
        for page in 1..50 {
            assert_eq!(by_page.wire_offset(by_page.record_offset(page, 7), 7), page);
        }
    }
}
