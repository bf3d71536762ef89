//! Reading progenitor's output as a syntax tree: the fields of its structs and the parts of its
//! types.

use std::collections::BTreeMap;

use anyhow::{Context, Result};
use proc_macro2::TokenStream;
use quote::format_ident;

/// The fields of the generated structs, by struct: operation builders (`mod builder`) under
/// their name, types under `types::Name`, type builders under `types::builder::Name`. Each field
/// is (Rust name, wire name, type).
pub type BuilderFields = BTreeMap<String, Vec<(String, String, syn::Type)>>;

pub fn builder_fields(client: &TokenStream) -> Result<BuilderFields> {
    let file: syn::File =
        syn::parse2(client.clone()).context("progenitor produced tokens that do not parse")?;
    let mut out = BTreeMap::new();
    collect_structs(&file.items, "", &mut out);
    Ok(out)
}

pub fn collect_structs(items: &[syn::Item], prefix: &str, out: &mut BuilderFields) {
    for item in items {
        match item {
            syn::Item::Mod(module) => {
                let name = module.ident.to_string();
                let prefix = match (prefix, name.as_str()) {
                    ("", "builder") => String::new(),
                    ("", "types") => "types::".to_string(),
                    ("types::", "builder") => "types::builder::".to_string(),
                    _ => continue,
                };
                if let Some((_, items)) = &module.content {
                    collect_structs(items, &prefix, out);
                }
            }
            syn::Item::Struct(strukt)
                if !prefix.is_empty() || out.get(&strukt.ident.to_string()).is_none() =>
            {
                let fields = strukt
                    .fields
                    .iter()
                    .filter_map(|f| {
                        let ident = f.ident.as_ref()?.to_string();
                        let wire = serde_rename(&f.attrs).unwrap_or_else(|| ident.clone());
                        Some((ident, wire, f.ty.clone()))
                    })
                    .collect();
                out.insert(format!("{prefix}{}", strukt.ident), fields);
            }
            _ => {}
        }
    }
}

/// The `rename` of a `#[serde(rename = "...")]` attribute.
pub fn serde_rename(attrs: &[syn::Attribute]) -> Option<String> {
    let mut renamed = None;
    for attr in attrs.iter().filter(|a| a.path().is_ident("serde")) {
        let _ = attr.parse_nested_meta(|meta| {
            if meta.path.is_ident("rename") {
                let value: syn::LitStr = meta.value()?.parse()?;
                renamed = Some(value.value());
            } else if meta.input.peek(syn::Token![=]) {
                let _: syn::Expr = meta.value()?.parse()?;
            }
            Ok(())
        });
    }
    renamed
}

/// `T` of a type written `Name<T, …>` (the last path segment named `name`).
pub fn first_generic(ty: &syn::Type, name: &str) -> Option<syn::Type> {
    let syn::Type::Path(path) = ty else {
        return None;
    };
    let last = path.path.segments.last()?;
    if last.ident != name {
        return None;
    }
    let syn::PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        syn::GenericArgument::Type(t) => Some(t.clone()),
        _ => None,
    }
}

/// The value type `T` of a builder field typed `Result<T, String>` or `Result<Option<T>, String>`.
pub fn builder_value_type(ty: &syn::Type) -> Option<syn::Type> {
    let inner = first_generic(ty, "Result")?;
    Some(first_generic(&inner, "Option").unwrap_or(inner))
}

/// A field of a generated struct by wire name: its Rust name and type.
pub fn field<'a>(
    builders: &'a BuilderFields,
    strukt: &str,
    wire: &str,
) -> Result<(syn::Ident, &'a syn::Type)> {
    let fields = builders
        .get(strukt)
        .with_context(|| format!("no generated struct `{strukt}`"))?;
    let (ident, _, ty) = fields
        .iter()
        .find(|(_, w, _)| w == wire)
        .with_context(|| format!("`{strukt}` has no field `{wire}`"))?;
    Ok((format_ident!("{}", ident.trim_start_matches("r#")), ty))
}

/// The last path segment of a type and its first generic argument (`Option<i32>` → ("Option",
/// Some(i32))).
pub fn type_parts(ty: &syn::Type) -> (String, Option<syn::Type>) {
    let syn::Type::Path(path) = ty else {
        return (String::new(), None);
    };
    let Some(last) = path.path.segments.last() else {
        return (String::new(), None);
    };
    let arg = match &last.arguments {
        syn::PathArguments::AngleBracketed(args) => args.args.iter().find_map(|a| match a {
            syn::GenericArgument::Type(t) => Some(t.clone()),
            _ => None,
        }),
        _ => None,
    };
    (last.ident.to_string(), arg)
}
