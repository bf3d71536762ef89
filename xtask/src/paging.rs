//! The paging code of a list operation: `Page` for its response type and `pages`/`items` on its
//! builder, driven by its `x-pagination`.

use anyhow::{Context, Result};
use heck::ToUpperCamelCase;
use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use crate::extensions::PageLocation;
use crate::meta::Operation;
use crate::syntax::{BuilderFields, builder_value_type, field, type_parts};

/// For a list operation: `Page` for its response type, and `pages`/`items` on its builder,
/// driven by the declared `x-pagination`.
pub fn paging_tokens(
    op: &Operation,
    index: usize,
    builders: &BuilderFields,
) -> Result<TokenStream> {
    let pagination = op.pagination.as_ref().context("not paginated")?;
    let in_body = pagination.location == PageLocation::Body;
    let items_wire = pagination.items.as_str();
    let total_wire = pagination.total.as_deref();
    let schema = op.success_schema.as_ref().with_context(|| {
        format!(
            "{}: the success schema of a list operation must be a $ref",
            op.id
        )
    })?;
    let response_name = format!("types::{}", schema.to_upper_camel_case());
    let response: syn::Type = syn::parse_str(&response_name)?;
    let (items_field, items_ty) = field(builders, &response_name, items_wire)?;
    let (items_count, items_into, item_ty) = match type_parts(items_ty) {
        (outer, Some(inner)) if outer == "Vec" => (
            quote!(self.#items_field.len()),
            quote!(page.#items_field),
            inner,
        ),
        (outer, Some(vec)) if outer == "Option" => {
            let (_, inner) = type_parts(&vec);
            let inner =
                inner.with_context(|| format!("{}: `{items_wire}` is not a list", op.id))?;
            (
                quote!(self.#items_field.as_ref().map_or(0, |v| v.len())),
                quote!(page.#items_field.unwrap_or_default()),
                inner,
            )
        }
        _ => anyhow::bail!("{}: `{items_wire}` is not a list", op.id),
    };
    let item_ty: syn::Type = match &item_ty {
        syn::Type::Path(p) if p.path.segments.len() == 1 => {
            syn::parse_str(&format!("types::{}", quote!(#item_ty)))?
        }
        other => other.clone(),
    };
    let items_ref = if type_parts(items_ty).0 == "Option" {
        quote!(self.#items_field.as_deref().unwrap_or_default())
    } else {
        quote!(&self.#items_field)
    };
    let total = match total_wire {
        Some(wire) => {
            let (total_field, total_ty) = field(builders, &response_name, wire)?;
            if type_parts(total_ty).0 == "Option" {
                quote!(self.#total_field.and_then(|t| u64::try_from(t).ok()))
            } else {
                quote!(u64::try_from(self.#total_field).ok())
            }
        }
        None => quote!(None),
    };
    let builder_name = op.id.to_upper_camel_case();
    let builder = format_ident!("{}", builder_name);
    let set_page = if in_body {
        let (_, _, body_ty) = builders
            .get(&builder_name)
            .and_then(|f| f.iter().find(|(name, _, _)| name == "body"))
            .with_context(|| format!("{}: no body on the builder", op.id))?;
        let body_builder = quote!(#body_ty).to_string().replace(' ', "");
        let body_builder = body_builder
            .strip_prefix("Result<")
            .and_then(|s| s.split(',').next())
            .map(|s| {
                s.trim_start_matches("::")
                    .replace("std::result::Result<", "")
            })
            .with_context(|| format!("{}: unexpected body field type", op.id))?;
        let (offset_field, offset_ty) = field(builders, &body_builder, "offset")?;
        let (limit_field, limit_ty) = field(builders, &body_builder, "limit")?;
        let offset_value = builder_value_type(offset_ty).context("offset type")?;
        let limit_value = builder_value_type(limit_ty).context("limit type")?;
        quote! {
            self.clone().body_map(move |body| {
                body.#offset_field(<#offset_value as ::std::convert::TryFrom<u32>>::try_from(offset).ok())
                    .#limit_field(<#limit_value as ::std::convert::TryFrom<u32>>::try_from(limit).ok())
            })
        }
    } else {
        quote!(self.clone().offset(offset).limit(limit))
    };
    let doc_pages = format!(
        "Every page of `{}`, fetched {} records at a time (by default the most the operation \
         accepts) until the total or a short page. A server that ignores `offset` ends the \
         stream with an error.",
        op.id, "`options.page_size`"
    );
    let doc_items = format!("Every item of every page of `{}`, in order.", op.id);
    Ok(quote! {
        impl ::huaweicloud_bss_core::paging::Page for #response {
            fn item_count(&self) -> usize {
                #items_count
            }
            fn total(&self) -> Option<u64> {
                #total
            }
            fn fingerprint(&self) -> String {
                ::huaweicloud_bss_core::paging::fingerprint(#items_ref)
            }
        }

        impl<'a> builder::#builder<'a> {
            #[doc = #doc_pages]
            pub fn pages(
                self,
                options: ::huaweicloud_bss_core::paging::PageOptions,
            ) -> ::huaweicloud_bss_core::paging::BoxStream<'a, #response> {
                let pagination = OPERATIONS[#index]
                    .pagination
                    .unwrap_or(::huaweicloud_bss_core::paging::FALLBACK);
                ::huaweicloud_bss_core::paging::pages(&pagination, options, move |offset, limit| {
                    let request = #set_page;
                    async move {
                        request
                            .send()
                            .await
                            .map(::huaweicloud_bss_core::Response::into_inner)
                    }
                })
            }

            #[doc = #doc_items]
            pub fn items(
                self,
                options: ::huaweicloud_bss_core::paging::PageOptions,
            ) -> ::huaweicloud_bss_core::paging::BoxStream<'a, #item_ty> {
                ::huaweicloud_bss_core::paging::items(self.pages(options), |page: #response| #items_into)
            }
        }
    })
}
