//! The comparison itself: our operations against the SDK packages' operations of the same name,
//! producing every difference. Pure data in, data out, so it is tested on fixtures.

use std::collections::BTreeSet;
use std::fmt;

use super::sdk::{self, Dump};
use super::shape::{Field, Fields, OperationShape};

/// One operation of ours, with the spec file it lives in.
pub struct OurOperation {
    /// `openapi/<group>.yaml`.
    pub file: String,
    /// The official operation name (`operationId`).
    pub id: String,
    pub shape: OperationShape,
}

/// What kind of difference was found; the names are the ones the exceptions file uses.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Kind {
    /// The SDK has an operation no spec has.
    MissingOperation,
    /// A spec has an operation no SDK package has.
    ExtraOperation,
    Method,
    Path,
    /// The SDK sends a parameter we do not declare.
    MissingParameter,
    /// We declare a parameter no SDK package sends.
    ExtraParameter,
    /// The same parameter travels elsewhere (query vs header, ...).
    ParameterLocation,
    /// One side has a request body and the other has none.
    Body,
    /// The SDK has a request or response field we do not declare.
    MissingField,
    /// We declare a field no SDK package has.
    ExtraField,
    /// The JSON types disagree.
    FieldType,
    /// The SDK states enum values that our enum lacks.
    MissingEnumValue,
    /// Our enum has values the SDK's statement lacks.
    ExtraEnumValue,
    /// A request field or parameter is required on one side and optional on the other.
    Required,
}

impl Kind {
    /// Every kind, in report order.
    pub const ALL: [Kind; 14] = [
        Kind::MissingOperation,
        Kind::ExtraOperation,
        Kind::Method,
        Kind::Path,
        Kind::MissingParameter,
        Kind::ExtraParameter,
        Kind::ParameterLocation,
        Kind::Body,
        Kind::MissingField,
        Kind::ExtraField,
        Kind::FieldType,
        Kind::MissingEnumValue,
        Kind::ExtraEnumValue,
        Kind::Required,
    ];

    /// The kebab-case name used in reports and in the exceptions file.
    pub fn name(self) -> &'static str {
        match self {
            Kind::MissingOperation => "missing-operation",
            Kind::ExtraOperation => "extra-operation",
            Kind::Method => "method",
            Kind::Path => "path",
            Kind::MissingParameter => "missing-parameter",
            Kind::ExtraParameter => "extra-parameter",
            Kind::ParameterLocation => "parameter-location",
            Kind::Body => "body",
            Kind::MissingField => "missing-field",
            Kind::ExtraField => "extra-field",
            Kind::FieldType => "field-type",
            Kind::MissingEnumValue => "missing-enum-value",
            Kind::ExtraEnumValue => "extra-enum-value",
            Kind::Required => "required",
        }
    }

    /// The kind with this name.
    pub fn from_name(name: &str) -> Option<Kind> {
        Kind::ALL.into_iter().find(|k| k.name() == name)
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// One difference between a spec and an SDK package.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct Difference {
    /// The spec file (`openapi/intl.yaml`), or empty for an operation no spec has.
    pub file: String,
    pub operation: String,
    /// The SDK package it was found against; empty when it holds against every package.
    pub package: String,
    pub kind: Kind,
    /// What differs: `query limit`, `body.customer_infos[].id`, `response.total_count`; empty
    /// for operation-level differences.
    pub subject: String,
    /// What our spec says (empty if it says nothing).
    pub ours: String,
    /// What the SDK says (empty if it says nothing).
    pub sdk: String,
}

/// The result of a comparison, with its counts.
#[derive(Debug, Default)]
pub struct Comparison {
    pub differences: Vec<Difference>,
    /// Our operations found in at least one SDK package.
    pub operations: usize,
    /// SDK operations, over all packages.
    pub sdk_operations: usize,
    /// SDK request and response fields looked at, per package.
    pub fields: usize,
    /// SDK parameters looked at, per package.
    pub parameters: usize,
    /// Parameters and fields whose enum values both sides state, compared value by value, per
    /// package.
    pub enums: usize,
}

/// Compares every operation of ours with the SDK operations of the same name.
pub fn compare(ours: &[OurOperation], dump: &Dump) -> Comparison {
    let mut result = Comparison::default();
    let our_ids: BTreeSet<&str> = ours.iter().map(|o| o.id.as_str()).collect();
    for (package_name, package) in &dump.packages {
        result.sdk_operations += package.operations.len();
        for name in package.operations.keys() {
            if !our_ids.contains(name.as_str()) {
                result.differences.push(Difference {
                    file: String::new(),
                    operation: name.clone(),
                    package: package_name.clone(),
                    kind: Kind::MissingOperation,
                    subject: String::new(),
                    ours: String::new(),
                    sdk: describe_operation(&sdk::shape(&package.operations[name], package)),
                });
            }
        }
    }
    for operation in ours {
        let theirs: Vec<(&str, OperationShape)> = dump
            .packages
            .iter()
            .filter_map(|(name, package)| {
                let found = package.operations.get(&operation.id)?;
                Some((name.as_str(), sdk::shape(found, package)))
            })
            .collect();
        let mut report = |package: &str, kind, subject: String, ours: String, sdk: String| {
            result.differences.push(Difference {
                file: operation.file.clone(),
                operation: operation.id.clone(),
                package: package.to_string(),
                kind,
                subject,
                ours,
                sdk,
            })
        };
        if theirs.is_empty() {
            report(
                "",
                Kind::ExtraOperation,
                String::new(),
                describe_operation(&operation.shape),
                String::new(),
            );
            continue;
        }
        result.operations += 1;
        let mine = &operation.shape;
        for (package, sdk) in &theirs {
            if mine.method != sdk.method {
                report(
                    package,
                    Kind::Method,
                    String::new(),
                    mine.method.clone(),
                    sdk.method.clone(),
                );
            }
            if mine.path != sdk.path {
                report(
                    package,
                    Kind::Path,
                    String::new(),
                    mine.path.clone(),
                    sdk.path.clone(),
                );
            }
            for (name, param) in &sdk.params {
                result.parameters += 1;
                let location = param.location;
                match mine.params.get(name) {
                    None => report(
                        package,
                        Kind::MissingParameter,
                        format!("{location} {name}"),
                        String::new(),
                        format!("{location} parameter, {}", param.field.ty),
                    ),
                    Some(ours) if ours.location != location => report(
                        package,
                        Kind::ParameterLocation,
                        name.clone(),
                        ours.location.to_string(),
                        location.to_string(),
                    ),
                    Some(ours) => {
                        result.enums += usize::from(both_state_values(&ours.field, &param.field));
                        for (kind, our_text, sdk_text) in
                            field_differences(&ours.field, &param.field, true)
                        {
                            report(
                                package,
                                kind,
                                format!("{location} {name}"),
                                our_text,
                                sdk_text,
                            );
                        }
                    }
                }
            }
            if mine.has_body != sdk.has_body {
                report(
                    package,
                    Kind::Body,
                    String::new(),
                    has_body(mine.has_body),
                    has_body(sdk.has_body),
                );
            }
            for (section, our_fields, sdk_fields, is_request) in [
                ("body", &mine.request, &sdk.request, true),
                ("response", &mine.response, &sdk.response, false),
            ] {
                for (path, field) in sdk_fields {
                    result.fields += 1;
                    let subject = format!("{section}.{path}");
                    match our_fields.get(path) {
                        Some(our_field) => {
                            result.enums += usize::from(both_state_values(our_field, field));
                            for (kind, ours, sdk) in field_differences(our_field, field, is_request)
                            {
                                report(package, kind, subject.clone(), ours, sdk);
                            }
                        }
                        None if !topmost_absent(path, our_fields) => {}
                        None => report(
                            package,
                            Kind::MissingField,
                            subject,
                            String::new(),
                            describe_field(path, field, sdk_fields),
                        ),
                    }
                }
            }
        }
        let known_params: BTreeSet<&String> =
            theirs.iter().flat_map(|(_, s)| s.params.keys()).collect();
        for (name, param) in &mine.params {
            if !known_params.contains(name) {
                let location = param.location;
                report(
                    "",
                    Kind::ExtraParameter,
                    format!("{location} {name}"),
                    format!("{location} parameter, {}", param.field.ty),
                    String::new(),
                );
            }
        }
        for (section, ours_of) in [
            (
                "body",
                (|s: &OperationShape| &s.request) as fn(&OperationShape) -> &Fields,
            ),
            ("response", |s: &OperationShape| &s.response),
        ] {
            let our_fields = ours_of(mine);
            for (path, field) in our_fields {
                let in_sdk = theirs.iter().any(|(_, s)| {
                    let sdk_fields = ours_of(s);
                    sdk_fields.contains_key(path) || !topmost_absent(path, sdk_fields)
                });
                if !in_sdk {
                    report(
                        "",
                        Kind::ExtraField,
                        format!("{section}.{path}"),
                        describe_field(path, field, our_fields),
                        String::new(),
                    );
                }
            }
        }
    }
    result.differences.sort();
    result
}

fn both_state_values(ours: &Field, sdk: &Field) -> bool {
    ours.enum_values.is_some() && sdk.enum_values.is_some()
}

/// Type, enum and (for what a request carries) requiredness differences of a field both sides
/// declare. Response requiredness is not compared: the client decodes every response field as
/// optional.
fn field_differences(ours: &Field, sdk: &Field, in_request: bool) -> Vec<(Kind, String, String)> {
    let mut out = Vec::new();
    if let (true, Some(our_required), Some(sdk_required)) =
        (in_request, ours.required, sdk.required)
        && our_required != sdk_required
    {
        let word = |required: bool| if required { "required" } else { "optional" }.to_string();
        out.push((Kind::Required, word(our_required), word(sdk_required)));
    }
    if !ours.ty.accepts(&sdk.ty) {
        out.push((Kind::FieldType, ours.ty.to_string(), sdk.ty.to_string()));
    }
    if let (Some(our_values), Some(sdk_values)) = (&ours.enum_values, &sdk.enum_values) {
        let missing: Vec<&str> = sdk_values
            .iter()
            .filter(|v| !our_values.contains(v))
            .map(String::as_str)
            .collect();
        let extra: Vec<&str> = our_values
            .iter()
            .filter(|v| !sdk_values.contains(v))
            .map(String::as_str)
            .collect();
        let ours_text = format!("enum {}", our_values.join(", "));
        let sdk_text = format!("values {}", sdk_values.join(", "));
        if !missing.is_empty() {
            out.push((
                Kind::MissingEnumValue,
                ours_text.clone(),
                format!("{sdk_text} (lacking {})", missing.join(", ")),
            ));
        }
        if !extra.is_empty() {
            out.push((
                Kind::ExtraEnumValue,
                format!("{ours_text} (not stated: {})", extra.join(", ")),
                sdk_text,
            ));
        }
    }
    out
}

/// The field a nested path belongs to: `a[].b.c` → `a[].b`, `a[].b` → `a`, `a` → none.
fn parent(path: &str) -> Option<&str> {
    let (parent, _) = path.rsplit_once('.')?;
    Some(parent.trim_end_matches("[]"))
}

/// Whether `path`, absent from `fields`, is the topmost absent field there: its parent is
/// present and declares its own fields (not an open value). An absent field under an absent or
/// open parent is covered by what is said about that parent.
fn topmost_absent(path: &str, fields: &Fields) -> bool {
    match parent(path) {
        None => true,
        Some(parent) => fields.get(parent).is_some_and(|p| !p.open),
    }
}

fn describe_field(path: &str, field: &Field, fields: &Fields) -> String {
    let prefix = format!("{path}.");
    let array_prefix = format!("{path}[]");
    let nested = fields
        .keys()
        .filter(|k| k.starts_with(&prefix) || k.starts_with(&array_prefix))
        .count();
    let mut text = field.ty.to_string();
    if nested > 0 {
        text.push_str(&format!(" ({nested} nested fields)"));
    }
    if let Some(values) = &field.enum_values {
        text.push_str(&format!(", values {}", values.join(", ")));
    }
    text
}

fn describe_operation(shape: &OperationShape) -> String {
    format!("{} {}", shape.method, shape.path)
}

fn has_body(present: bool) -> String {
    if present { "a body" } else { "no body" }.to_string()
}
