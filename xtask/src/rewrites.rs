//! Rewrites of progenitor's output where it has no setting for what this project needs.

use anyhow::{Result, bail};
use quote::quote;

/// Rewrites progenitor's request and response code where it has no setting for what we need:
/// - every JSON response decodes through `huaweicloud_bss_core::decode::response` instead of
///   `ResponseValue::from_response`: the same types and errors, a faster decode (see that
///   module);
/// - the `api-version` header progenitor adds to every request (BSS does not use it) is never
///   built, so it is neither sent nor signed;
/// - the request URL comes from `Context::request_url`, which parses the base URL once per
///   client instead of once per request.
///
/// Each rewrite counts its hits, so that one matching nothing after a progenitor upgrade fails
/// generation instead of silently doing nothing.
#[derive(Default, Debug)]
struct ThroughCore {
    /// `ResponseValue::from_response` paths replaced.
    decodes: usize,
    /// `api-version` header appends removed.
    api_versions: usize,
    /// Request URLs routed through `Context::request_url`.
    urls: usize,
}

/// Applies [`ThroughCore`] to a generated file of `operations` operations; fails unless every
/// operation's `api-version` header and request URL were rewritten and at least one response
/// decode was.
pub fn through_core(file: &mut syn::File, operations: usize) -> Result<()> {
    let mut rewrite = ThroughCore::default();
    syn::visit_mut::VisitMut::visit_file_mut(&mut rewrite, file);
    let ThroughCore {
        decodes,
        api_versions,
        urls,
    } = rewrite;
    if api_versions != operations || urls != operations || (operations > 0 && decodes == 0) {
        bail!(
            "progenitor's output no longer matches the rewrites: for {operations} operations, \
             {api_versions} api-version headers removed, {urls} request URLs and {decodes} \
             response decodes rewritten"
        );
    }
    Ok(())
}

/// Whether `stmt` is progenitor's `header_map.append(HeaderName::from_static("api-version"), …);`.
fn appends_api_version(stmt: &syn::Stmt) -> bool {
    let syn::Stmt::Expr(syn::Expr::MethodCall(call), _) = stmt else {
        return false;
    };
    let name = call.args.first();
    call.method == "append"
        && quote!(#name)
            .to_string()
            .contains("from_static (\"api-version\")")
}

impl syn::visit_mut::VisitMut for ThroughCore {
    fn visit_expr_path_mut(&mut self, expr: &mut syn::ExprPath) {
        let path = &expr.path;
        if quote!(#path).to_string() == "ResponseValue :: from_response" {
            *expr = syn::parse_quote!(::huaweicloud_bss_core::decode::response);
            self.decodes += 1;
        }
        syn::visit_mut::visit_expr_path_mut(self, expr);
    }

    fn visit_block_mut(&mut self, block: &mut syn::Block) {
        let before = block.stmts.len();
        block.stmts.retain(|stmt| !appends_api_version(stmt));
        if block.stmts.len() < before {
            self.api_versions += before - block.stmts.len();
            // The map was sized for that header too; without it, it grows only when an
            // optional header is set.
            for stmt in &mut block.stmts {
                if let syn::Stmt::Local(local) = stmt
                    && let Some(init) = &mut local.init
                    && let syn::Expr::Call(call) = init.expr.as_mut()
                    && quote!(#call)
                        .to_string()
                        .contains("HeaderMap :: with_capacity")
                    && let Some(size) = call.args.first_mut()
                {
                    *size = syn::parse_quote!(0);
                }
            }
        }
        syn::visit_mut::visit_block_mut(self, block);
    }

    fn visit_expr_method_call_mut(&mut self, call: &mut syn::ExprMethodCall) {
        let receiver = &call.receiver;
        let verb = call.method.to_string();
        if quote!(#receiver).to_string() == "client . client"
            && matches!(verb.as_str(), "get" | "post" | "put" | "delete" | "patch")
            && call.args.len() == 1
        {
            let url = &call.args[0];
            call.args[0] = syn::parse_quote!(
                client
                    .inner
                    .request_url(&client.baseurl, &#url)
                    .map_err(Error::InvalidRequest)?
            );
            self.urls += 1;
        }
        syn::visit_mut::visit_expr_method_call_mut(self, call);
    }
}

/// Every optional amount field decodes with `money::optional_amount`, so a server that sends
/// `""` for "no value" does not break the whole response (progenitor has no setting for a
/// field's deserializer, so the attribute is added to its output).
pub fn tolerate_empty_amounts(items: &mut [syn::Item]) {
    let optional_amount: syn::Type =
        syn::parse_quote!(::std::option::Option<::huaweicloud_bss_core::Amount>);
    let wanted = quote!(#optional_amount).to_string();
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                if let Some((_, items)) = &mut module.content {
                    tolerate_empty_amounts(items);
                }
            }
            syn::Item::Struct(item) => {
                for field in item.fields.iter_mut() {
                    let ty = &field.ty;
                    if quote!(#ty).to_string() == wanted {
                        field.attrs.push(syn::parse_quote!(
                            #[serde(
                                default,
                                deserialize_with = "::huaweicloud_bss_core::money::optional_amount"
                            )]
                        ));
                    }
                }
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_rewrite_that_matches_nothing_fails_generation() {
        let mut file: syn::File = syn::parse_quote! {
            pub mod builder {
                pub async fn send() -> Result<(), ()> { Ok(()) }
            }
        };
        let error = through_core(&mut file, 1).unwrap_err().to_string();
        assert!(error.contains("0 api-version headers removed"), "{error}");
    }

    #[test]
    fn every_rewrite_counts_its_hits() {
        let mut file: syn::File = syn::parse_quote! {
            pub async fn send(client: &Client) -> Result<(), Error> {
                let mut header_map = ::reqwest::header::HeaderMap::with_capacity(1usize);
                header_map.append(
                    ::reqwest::header::HeaderName::from_static("api-version"),
                    ::reqwest::header::HeaderValue::from_static("1"),
                );
                let request = client.client.get(url).build()?;
                ResponseValue::from_response(response).await
            }
        };
        through_core(&mut file, 1).unwrap();
        let text = quote!(#file).to_string();
        assert!(!text.contains("api-version"), "{text}");
        assert!(text.contains("request_url"), "{text}");
        assert!(text.contains("decode :: response"), "{text}");
        assert!(text.contains("with_capacity (0)"), "{text}");
    }
}
