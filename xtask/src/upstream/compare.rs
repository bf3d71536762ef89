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
    missing_operations(ours, dump, &mut result);
    for operation in ours {
        let theirs: Vec<(&str, OperationShape)> = dump
            .packages
            .iter()
            .filter_map(|(name, package)| {
                let found = package.operations.get(&operation.id)?;
                Some((name.as_str(), sdk::shape(found, package)))
            })
            .collect();
        let mut found = Found {
            operation,
            result: &mut result,
        };
        if theirs.is_empty() {
            let ours = describe_operation(&operation.shape);
            found.add("", Kind::ExtraOperation, String::new(), ours, String::new());
            continue;
        }
        found.result.operations += 1;
        for (package, sdk) in &theirs {
            found.http(package, sdk);
            found.params(package, sdk);
            found.fields(
                package,
                "body",
                &operation.shape.request,
                &sdk.request,
                true,
            );
            found.fields(
                package,
                "response",
                &operation.shape.response,
                &sdk.response,
                false,
            );
        }
        found.extra_params(&theirs);
        found.extra_fields("body", &operation.shape.request, &theirs, |s| &s.request);
        found.extra_fields("response", &operation.shape.response, &theirs, |s| {
            &s.response
        });
    }
    result.differences.sort();
    result
}

/// Every SDK operation no spec has.
fn missing_operations(ours: &[OurOperation], dump: &Dump, result: &mut Comparison) {
    let our_ids: BTreeSet<&str> = ours.iter().map(|o| o.id.as_str()).collect();
    for (package_name, package) in &dump.packages {
        result.sdk_operations += package.operations.len();
        for (name, operation) in &package.operations {
            if !our_ids.contains(name.as_str()) {
                result.differences.push(Difference {
                    file: String::new(),
                    operation: name.clone(),
                    package: package_name.clone(),
                    kind: Kind::MissingOperation,
                    subject: String::new(),
                    ours: String::new(),
                    sdk: describe_operation(&sdk::shape(operation, package)),
                });
            }
        }
    }
}

/// Collects the differences of one of our operations.
struct Found<'a> {
    operation: &'a OurOperation,
    result: &'a mut Comparison,
}

impl Found<'_> {
    fn add(&mut self, package: &str, kind: Kind, subject: String, ours: String, sdk: String) {
        self.result.differences.push(Difference {
            file: self.operation.file.clone(),
            operation: self.operation.id.clone(),
            package: package.to_string(),
            kind,
            subject,
            ours,
            sdk,
        });
    }

    /// Method, path and the presence of a body.
    fn http(&mut self, package: &str, sdk: &OperationShape) {
        let mine = &self.operation.shape;
        if mine.method != sdk.method {
            let (ours, theirs) = (mine.method.clone(), sdk.method.clone());
            self.add(package, Kind::Method, String::new(), ours, theirs);
        }
        if mine.path != sdk.path {
            let (ours, theirs) = (mine.path.clone(), sdk.path.clone());
            self.add(package, Kind::Path, String::new(), ours, theirs);
        }
        if mine.has_body != sdk.has_body {
            let (ours, theirs) = (has_body(mine.has_body), has_body(sdk.has_body));
            self.add(package, Kind::Body, String::new(), ours, theirs);
        }
    }

    /// Every SDK parameter: missing, elsewhere, or of another type, requiredness or enum.
    fn params(&mut self, package: &str, sdk: &OperationShape) {
        let mine = &self.operation.shape;
        for (name, param) in &sdk.params {
            self.result.parameters += 1;
            let location = param.location;
            match mine.params.get(name) {
                None => {
                    let theirs = format!("{location} parameter, {}", param.field.ty);
                    let subject = format!("{location} {name}");
                    self.add(
                        package,
                        Kind::MissingParameter,
                        subject,
                        String::new(),
                        theirs,
                    );
                }
                Some(ours) if ours.location != location => {
                    let (o, t) = (ours.location.to_string(), location.to_string());
                    self.add(package, Kind::ParameterLocation, name.clone(), o, t);
                }
                Some(ours) => {
                    self.result.enums += usize::from(both_state_values(&ours.field, &param.field));
                    for (kind, o, t) in field_differences(&ours.field, &param.field, true) {
                        self.add(package, kind, format!("{location} {name}"), o, t);
                    }
                }
            }
        }
    }

    /// Every SDK field of one section (`body` or `response`): missing, or of another type,
    /// requiredness (requests only) or enum.
    fn fields(
        &mut self,
        package: &str,
        section: &str,
        ours: &Fields,
        sdk: &Fields,
        is_request: bool,
    ) {
        for (path, field) in sdk {
            self.result.fields += 1;
            let subject = format!("{section}.{path}");
            match ours.get(path) {
                Some(our_field) => {
                    self.result.enums += usize::from(both_state_values(our_field, field));
                    for (kind, o, t) in field_differences(our_field, field, is_request) {
                        self.add(package, kind, subject.clone(), o, t);
                    }
                }
                None if topmost_absent(path, ours) => {
                    let theirs = describe_field(path, field, sdk);
                    self.add(package, Kind::MissingField, subject, String::new(), theirs);
                }
                None => {}
            }
        }
    }

    /// Our parameters that no SDK package has.
    fn extra_params(&mut self, theirs: &[(&str, OperationShape)]) {
        let known: BTreeSet<&String> = theirs.iter().flat_map(|(_, s)| s.params.keys()).collect();
        for (name, param) in &self.operation.shape.params {
            if !known.contains(name) {
                let location = param.location;
                let ours = format!("{location} parameter, {}", param.field.ty);
                let subject = format!("{location} {name}");
                self.add("", Kind::ExtraParameter, subject, ours, String::new());
            }
        }
    }

    /// Our fields of one section that no SDK package has (only the topmost of a missing tree).
    fn extra_fields(
        &mut self,
        section: &str,
        ours: &Fields,
        theirs: &[(&str, OperationShape)],
        section_of: fn(&OperationShape) -> &Fields,
    ) {
        for (path, field) in ours {
            let known = theirs.iter().any(|(_, shape)| {
                let sdk = section_of(shape);
                sdk.contains_key(path) || !topmost_absent(path, sdk)
            });
            if !known {
                let text = describe_field(path, field, ours);
                let subject = format!("{section}.{path}");
                self.add("", Kind::ExtraField, subject, text, String::new());
            }
        }
    }
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
