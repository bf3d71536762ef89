//! The generated `OPERATIONS` table: each operation's `huaweicloud_bss_core::meta::Operation`
//! (caller, kind, site, pagination, parameters with their limits), from the typed spec model.

use anyhow::{Context, Result};
use heck::ToSnakeCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::extensions::{Caller, Kind, OffsetUnit, PageLocation, Site};
use crate::meta::{Operation, Param};

pub fn operation_tokens(spec: &serde_json::Value, op: &Operation) -> Result<TokenStream> {
    let id = &op.id;
    let rust_name = op.id.to_snake_case();
    let method = &op.method;
    let path = &op.path;
    let summary = &op.summary;
    let caller = format_ident!(
        "{}",
        match op.caller.map(Caller::as_str) {
            Some("partner") => "Partner",
            Some("distributor") => "Distributor",
            Some("customer") => "Customer",
            _ => "PartnerOrCustomer",
        }
    );
    let kind = format_ident!(
        "{}",
        if op.kind.map(Kind::as_str) == Some("read") {
            "Read"
        } else {
            "StateChange"
        }
    );
    let site = format_ident!(
        "{}",
        if op.site.map(Site::as_str) == Some("intl") {
            "InternationalOnly"
        } else {
            "Both"
        }
    );
    let partial_failure = match &op.partial_failure {
        Some(field) => quote!(Some(#field)),
        None => quote!(None),
    };
    let pagination = match &op.pagination {
        Some(p) => {
            let location = format_ident!(
                "{}",
                match p.location {
                    PageLocation::Body => "Body",
                    PageLocation::Query => "Query",
                }
            );
            let limit_max = p.limit_max;
            let items = p.items.as_str();
            let total = match p.total.as_deref() {
                Some(t) => quote!(Some(#t)),
                None => quote!(None),
            };
            let offset_unit = format_ident!(
                "{}",
                match p.offset {
                    OffsetUnit::Pages => "Pages",
                    OffsetUnit::Records => "Records",
                }
            );
            quote! {
                Some(::huaweicloud_bss_core::meta::Pagination {
                    location: ::huaweicloud_bss_core::meta::Location::#location,
                    limit_max: #limit_max,
                    items: #items,
                    total: #total,
                    offset_unit: ::huaweicloud_bss_core::meta::OffsetUnit::#offset_unit,
                })
            }
        }
        None => quote!(None),
    };
    let body = format_ident!(
        "{}",
        match op.body {
            None => "None",
            Some(false) => "Optional",
            Some(true) => "Required",
        }
    );
    let params = op.params.iter().map(param_tokens);
    let raw = spec
        .pointer(&op.pointer)
        .with_context(|| format!("{}: not found in the merged spec", op.id))?;
    let body_shape = crate::shapes::operation_body_shape(spec, raw)?;
    let outcome_check = match op.outcome_check.as_deref() {
        Some("none") | None => quote!(None),
        Some(read) => quote!(Some(#read)),
    };
    Ok(quote! {
        ::huaweicloud_bss_core::meta::Operation {
            id: #id,
            rust_name: #rust_name,
            group: GROUP,
            method: #method,
            path: #path,
            summary: #summary,
            caller: ::huaweicloud_bss_core::meta::Caller::#caller,
            kind: ::huaweicloud_bss_core::meta::OperationKind::#kind,
            pagination: #pagination,
            partial_failure: #partial_failure,
            site: ::huaweicloud_bss_core::meta::SiteScope::#site,
            body: ::huaweicloud_bss_core::meta::BodyUse::#body,
            params: &[#(#params),*],
            body_shape: #body_shape,
            outcome_check: #outcome_check,
        }
    })
}

fn param_tokens(param: &Param) -> TokenStream {
    let name = &param.name;
    let location = format_ident!("{}", param.location.variant());
    let required = param.required;
    let kind = format_ident!(
        "{}",
        match param.ty.as_str() {
            "integer" => "Integer",
            "number" if param.positive_amount => "PositiveAmount",
            "number" => "Number",
            "boolean" => "Boolean",
            "array" => "Array",
            "object" => "Object",
            _ => "String",
        }
    );
    let opt_i64 = |v: Option<f64>| match v {
        Some(v) => {
            let v = v as i64;
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let opt_u32 = |v: Option<u64>| match v {
        Some(v) => {
            let v = v as u32;
            quote!(Some(#v))
        }
        None => quote!(None),
    };
    let minimum = opt_i64(param.minimum);
    let maximum = opt_i64(param.maximum);
    let min_length = opt_u32(param.min_length);
    let max_length = opt_u32(param.max_length);
    let description = &param.description;
    quote! {
        ::huaweicloud_bss_core::meta::Param {
            name: #name,
            location: ::huaweicloud_bss_core::meta::Location::#location,
            required: #required,
            kind: ::huaweicloud_bss_core::meta::ValueKind::#kind,
            minimum: #minimum,
            maximum: #maximum,
            min_length: #min_length,
            max_length: #max_length,
            description: #description,
        }
    }
}
