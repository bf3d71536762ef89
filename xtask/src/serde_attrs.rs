//! The serde attributes that make requests exact and responses tolerant (progenitor has no
//! setting for either, so they are added to its output):
//! - a type a request body can hold refuses unknown keys (`deny_unknown_fields`), so a misspelt
//!   key in JSON is an error instead of a field silently left out;
//! - in a type a response can hold, every field whose absence means its default (a list) also
//!   reads `null` as that default (`decode::null_as_default`). The specs give response schemas
//!   no required field (`cargo xtask lint`), so every other field is an `Option`.

use std::collections::BTreeSet;

use anyhow::{Result, bail};

/// Adds the attributes to the structs of `mod types` in `items`. `requests` and `responses`
/// are the Rust names of the structs each side can hold; every one of them must be found.
pub fn apply(
    items: &mut [syn::Item],
    requests: &BTreeSet<String>,
    responses: &BTreeSet<String>,
) -> Result<()> {
    let mut seen = BTreeSet::new();
    for item in items.iter_mut() {
        let syn::Item::Mod(module) = item else {
            continue;
        };
        if module.ident != "types" {
            continue;
        }
        let Some((_, items)) = &mut module.content else {
            continue;
        };
        for item in items.iter_mut() {
            let syn::Item::Struct(strukt) = item else {
                continue;
            };
            let name = strukt.ident.to_string();
            if requests.contains(&name) {
                strukt
                    .attrs
                    .push(syn::parse_quote!(#[serde(deny_unknown_fields)]));
                seen.insert(name.clone());
            }
            if responses.contains(&name) {
                for field in strukt.fields.iter_mut() {
                    if defaults_when_absent(field) && !is_option(&field.ty) {
                        field.attrs.push(syn::parse_quote!(
                            #[serde(deserialize_with = "::huaweicloud_bss_core::decode::null_as_default")]
                        ));
                    }
                }
                seen.insert(name);
            }
        }
    }
    let missing: Vec<_> = requests
        .union(responses)
        .filter(|n| !seen.contains(*n))
        .collect();
    if !missing.is_empty() {
        bail!("no generated struct for the schemas {missing:?}");
    }
    Ok(())
}

/// Whether the field carries `#[serde(default ...)]`.
fn defaults_when_absent(field: &syn::Field) -> bool {
    let mut found = false;
    for attr in field.attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("default") {
                found = true;
            }
            if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    found
}

fn is_option(ty: &syn::Type) -> bool {
    matches!(ty, syn::Type::Path(path)
        if path.path.segments.last().is_some_and(|s| s.ident == "Option"))
}
