//! The public `send` and `send_raw` of every operation builder, wrapped around progenitor's
//! `send`: they return this project's `Response` and `Error` (progenitor's types stay private),
//! classify errors with the operation's kind (a state change whose answer was lost is
//! outcome-unknown), and `send_raw` hands back the body exactly as the server sent it.

use std::collections::BTreeMap;

use anyhow::{Result, bail};
use quote::{ToTokens, quote};

use crate::syntax::first_generic;

/// Rewrites every builder's `send` in `items` (the generated file's top level); `operations`
/// maps each builder's name to its index in `OPERATIONS`. Fails when a builder of `operations`
/// has no `send` to wrap, so that a progenitor upgrade cannot silently skip it.
pub fn wrap_sends(items: &mut [syn::Item], operations: &BTreeMap<String, usize>) -> Result<()> {
    let (mut wrapped, mut privatised) = (0, 0);
    for item in items.iter_mut() {
        match item {
            syn::Item::Mod(module) if module.ident == "builder" => {
                let Some((_, items)) = &mut module.content else {
                    continue;
                };
                for item in items.iter_mut() {
                    if let syn::Item::Impl(block) = item
                        && let Some(index) = builder_name(block).and_then(|n| operations.get(&n))
                    {
                        wrap(block, *index)?;
                        wrapped += 1;
                    }
                }
            }
            syn::Item::Use(import) => privatised += usize::from(make_private(import)),
            _ => {}
        }
    }
    if privatised == 0 {
        bail!("found no `progenitor_client` re-export to make private");
    }
    if wrapped != operations.len() {
        bail!(
            "wrapped the `send` of {wrapped} builders, expected {}",
            operations.len()
        );
    }
    Ok(())
}

/// progenitor re-exports its `Error` and `ResponseValue`; the typed calls return ours, so the
/// re-export becomes a private import. Returns whether `import` was that re-export.
fn make_private(import: &mut syn::ItemUse) -> bool {
    let hit = import
        .tree
        .to_token_stream()
        .to_string()
        .starts_with("progenitor_client");
    if hit {
        import.vis = syn::Visibility::Inherited;
    }
    hit
}

fn builder_name(block: &syn::ItemImpl) -> Option<String> {
    if block.trait_.is_some() {
        return None;
    }
    let syn::Type::Path(path) = block.self_ty.as_ref() else {
        return None;
    };
    Some(path.path.segments.last()?.ident.to_string())
}

fn wrap(block: &mut syn::ItemImpl, index: usize) -> Result<()> {
    let Some(position) = block
        .items
        .iter()
        .position(|item| matches!(item, syn::ImplItem::Fn(f) if f.sig.ident == "send"))
    else {
        bail!("a builder without `send`");
    };
    let syn::ImplItem::Fn(mut typed) = block.items.remove(position) else {
        unreachable!("found as a function above");
    };
    let value = response_value_type(&typed.sig.output)?;
    typed.sig.ident = syn::parse_quote!(send_typed);
    typed.vis = syn::Visibility::Inherited;
    typed.attrs.retain(|a| !a.path().is_ident("doc"));
    let mut bytes = typed.clone();
    bytes.sig.ident = syn::parse_quote!(send_bytes);
    bytes.sig.output = syn::parse_quote!(
        -> Result<ResponseValue<::huaweicloud_bss_core::Bytes>, Error<::huaweicloud_bss_core::ErrorBody>>
    );
    raw_success_arms(&mut bytes.block)?;
    let send: syn::ImplItemFn = syn::parse_quote! {
        /// Sends the request and decodes the answer. An error keeps the status, error code,
        /// message and request id; a state change whose answer was lost is
        /// outcome-unknown (`Error::is_outcome_unknown`).
        pub async fn send(
            self,
        ) -> Result<::huaweicloud_bss_core::Response<#value>, ::huaweicloud_bss_core::Error> {
            ::huaweicloud_bss_core::response::finish(&super::OPERATIONS[#index], self.send_typed().await)
        }
    };
    let send_raw: syn::ImplItemFn = syn::parse_quote! {
        /// Sends the request and returns the answer's body exactly as the server sent it,
        /// undecoded (errors as with `send`).
        pub async fn send_raw(
            self,
        ) -> Result<
            ::huaweicloud_bss_core::Response<::huaweicloud_bss_core::Bytes>,
            ::huaweicloud_bss_core::Error,
        > {
            ::huaweicloud_bss_core::response::finish(&super::OPERATIONS[#index], self.send_bytes().await)
        }
    };
    block.items.insert(position, syn::ImplItem::Fn(bytes));
    block.items.insert(position, syn::ImplItem::Fn(typed));
    block.items.insert(position, syn::ImplItem::Fn(send_raw));
    block.items.insert(position, syn::ImplItem::Fn(send));
    Ok(())
}

/// `T` of `-> Result<ResponseValue<T>, _>`.
fn response_value_type(output: &syn::ReturnType) -> Result<syn::Type> {
    let syn::ReturnType::Type(_, ty) = output else {
        bail!("`send` returns nothing");
    };
    first_generic(ty, "Result")
        .and_then(|value| first_generic(&value, "ResponseValue"))
        .ok_or_else(|| anyhow::anyhow!("`send` does not return Result<ResponseValue<_>, _>"))
}

/// In the final `match response.status().as_u16() { .. }`, every success arm reads the body as
/// it is instead of decoding it.
fn raw_success_arms(block: &mut syn::Block) -> Result<()> {
    let Some(syn::Stmt::Expr(syn::Expr::Match(status_match), None)) = block.stmts.last_mut() else {
        bail!("`send` does not end in a match on the status");
    };
    let mut replaced = 0;
    for arm in &mut status_match.arms {
        let body = &arm.body;
        let is_error = quote!(#body)
            .to_string()
            .trim_start_matches(['{', ' '])
            .starts_with("Err");
        if !is_error {
            *arm.body = syn::parse_quote!(::huaweicloud_bss_core::decode::raw(response).await);
            replaced += 1;
        }
    }
    if replaced == 0 {
        bail!("`send` has no success arm");
    }
    Ok(())
}
