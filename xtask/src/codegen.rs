//! Turning each group spec into a client crate: progenitor for the client and types, plus the
//! signing/transport hooks and the operation metadata the facade and the CLI are driven by.

use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::Path;

use anyhow::{Context, Result, anyhow};
use std::collections::BTreeMap;

use heck::{ToSnakeCase, ToUpperCamelCase};
use proc_macro2::TokenStream;
use progenitor::{GenerationSettings, Generator, HooksMode, InterfaceStyle, TagStyle};
use quote::{format_ident, quote};

use crate::files::{GeneratedFile, HEADER, splice};
use crate::manifests;
use crate::meta::{Location, Operation};
use crate::spec::Group;
use crate::syntax::{BuilderFields, builder_fields, builder_value_type};

/// The markers between which README.md lists the operations.
const README_BEGIN: &str = "<!-- BEGIN operations (written by `cargo xtask generate`) -->\n";
const README_END: &str = "<!-- END operations -->\n";

/// Generates the files of every group crate and the facade's group table.
pub fn generate_all(root: &Path, groups: &[Group]) -> Result<Vec<GeneratedFile>> {
    let mut files = crate::facade::facade_files(root, groups)?;
    files.push(splice(
        root,
        "README.md",
        README_BEGIN,
        README_END,
        &crate::readme::workspace_table(groups),
    )?);
    files.extend(crate::mocks::files(root, groups)?);
    files.extend(crate::server::files(groups)?);
    for group in groups {
        let dir = format!("crates/{}", group.crate_dir());
        files.push(GeneratedFile {
            path: format!("{dir}/Cargo.toml"),
            content: manifests::group_manifest(group),
        });
        files.push(GeneratedFile {
            path: format!("{dir}/README.md"),
            content: crate::readme::group_readme(group),
        });
        files.push(GeneratedFile {
            path: format!("{dir}/src/lib.rs"),
            content: lib_rs(group),
        });
        files.push(GeneratedFile {
            path: format!("{dir}/src/generated.rs"),
            content: generated_rs(group).with_context(|| group.file.clone())?,
        });
    }
    Ok(files)
}

fn lib_rs(group: &Group) -> String {
    let mut doc = String::new();
    doc.push_str(&format!(
        "//! Generated client for the `{}` API group of Huawei Cloud BSS.\n//!\n",
        group.name
    ));
    for line in textwrap(&group.description(), 96) {
        doc.push_str(&format!("//! {line}\n"));
    }
    doc.push_str("//!\n//! Operations:\n");
    for op in &group.operations {
        doc.push_str(&format!(
            "//! - `{}` ({} `{}`): {}\n",
            op.id, op.method, op.path, op.summary
        ));
    }
    format!(
        "{HEADER}{doc}//!\n//! Build clients through the `huaweicloud-bss` facade, which configures signing, endpoints\n//! and transport once for every group.\n\n#[rustfmt::skip]\n#[allow(clippy::all, clippy::pedantic, unused_imports, unused_mut, dead_code, missing_docs)]\nmod generated;\n\npub use generated::*;\n"
    )
}

fn textwrap(text: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut line = String::new();
    for word in text.split_whitespace() {
        if !line.is_empty() && line.len() + 1 + word.len() > width {
            lines.push(std::mem::take(&mut line));
        }
        if !line.is_empty() {
            line.push(' ');
        }
        line.push_str(word);
    }
    if !line.is_empty() {
        lines.push(line);
    }
    lines
}

/// The shared schemas replaced by bss-core's own types.
const REPLACED: [&str; 4] = [
    "ErrorBody",
    "Amount",
    "PositiveAmount",
    "PositiveAmountText",
];

fn generated_rs(group: &Group) -> Result<String> {
    let spec: openapiv3::OpenAPI = serde_json::from_value(group.merged.clone())
        .context("the merged spec is not valid OpenAPI 3.0")?;
    let mut settings = GenerationSettings::new();
    settings
        .with_interface(InterfaceStyle::Builder)
        .with_tag(TagStyle::Merged)
        .with_hooks(HooksMode::Expected)
        .with_inner_type(quote!(::huaweicloud_bss_core::Context))
        .with_derive("PartialEq")
        .with_replacement(
            "ErrorBody",
            "::huaweicloud_bss_core::ErrorBody",
            std::iter::empty(),
        )
        .with_replacement(
            "Amount",
            "::huaweicloud_bss_core::Amount",
            std::iter::empty(),
        )
        .with_replacement(
            "PositiveAmount",
            "::huaweicloud_bss_core::PositiveAmount",
            std::iter::empty(),
        )
        .with_replacement(
            "PositiveAmountText",
            "::huaweicloud_bss_core::PositiveAmountText",
            std::iter::empty(),
        );
    let client = catch_unwind(AssertUnwindSafe(|| {
        Generator::new(&settings).generate_tokens(&spec)
    }))
    .map_err(|panic| {
        let message = panic
            .downcast_ref::<String>()
            .map(String::as_str)
            .or_else(|| panic.downcast_ref::<&str>().copied())
            .unwrap_or("(no message)");
        anyhow!(
            "progenitor panicked: {message}. This usually means an operation has more than one \
             success or error schema, or uses a construct progenitor does not support; \
             `cargo xtask lint` names the rules"
        )
    })?
    .map_err(|err| anyhow!("progenitor: {err}"))?;
    let builders = builder_fields(&client)?;
    let extras = extras(group, &builders)?;
    let tokens = quote! {
        #client
        #extras
    };
    let mut file: syn::File =
        syn::parse2(tokens).context("progenitor produced tokens that do not parse")?;
    crate::rewrites::tolerate_empty_amounts(&mut file.items);
    crate::rewrites::through_core(&mut file, group.operations.len())?;
    let structs =
        |names: std::collections::BTreeSet<String>| -> std::collections::BTreeSet<String> {
            names
                .into_iter()
                .filter(|name| !REPLACED.contains(&name.as_str()))
                .filter(|name| {
                    group
                        .merged
                        .pointer(&format!("/components/schemas/{name}"))
                        .is_some_and(crate::shapes::is_struct)
                })
                .map(|name| name.to_upper_camel_case())
                .collect()
        };
    crate::serde_attrs::apply(
        &mut file.items,
        &structs(crate::shapes::request_schemas(&group.merged)),
        &structs(crate::shapes::response_schemas(&group.merged)),
    )?;
    let builders: BTreeMap<String, usize> = group
        .operations
        .iter()
        .enumerate()
        .map(|(i, op)| (op.id.to_upper_camel_case(), i))
        .collect();
    crate::send::wrap_sends(&mut file.items, &builders)?;
    Ok(format!("{HEADER}{}", prettyplease::unparse(&file)))
}

/// The call of one operation from JSON input, for `invoke`.
fn invoke_arm(op: &Operation, builders: &BuilderFields) -> Result<TokenStream> {
    let rust_name = op.id.to_snake_case();
    let method = format_ident!("{}", rust_name);
    let fields = builders
        .get(&op.id.to_upper_camel_case())
        .with_context(|| format!("{}: progenitor generated no builder", op.id))?;
    let field_type = |name: &str| {
        fields
            .iter()
            .find(|(field, _, _)| field == name)
            .and_then(|(_, _, ty)| builder_value_type(ty))
    };
    let mut setters = Vec::new();
    for param in op.params.iter().filter(|p| p.location != Location::Body) {
        let field = param.name.to_snake_case();
        let ty = field_type(&field).with_context(|| {
            format!(
                "{}: no builder field `{field}` for parameter `{}`",
                op.id, param.name
            )
        })?;
        let setter = format_ident!("{}", field);
        let wire = &param.name;
        setters.push(quote! {
            if let Some(value) = input.param::<#ty>(#wire)? {
                request = request.#setter(value);
            }
        });
    }
    if op.body.is_some() {
        let ty =
            field_type("body").with_context(|| format!("{}: no builder field `body`", op.id))?;
        // The builder holds `types::builder::X`; its `body` setter takes `types::X`.
        let ty: syn::Type = syn::parse_str(&quote!(#ty).to_string().replace(":: builder ::", "::"))
            .context("rewriting the body type")?;
        setters.push(quote! {
            if let Some(value) = input.body::<#ty>()? {
                request = request.body(value);
            }
        });
    }
    Ok(quote! {
        #rust_name => {
            #[allow(unused_mut)]
            let mut request = client.#method();
            #(#setters)*
            ::huaweicloud_bss_core::invoke::output(request.send_raw().await)
        }
    })
}

/// The hooks that route every call through the core transport (signing, endpoint, tracing), the
/// operation metadata table, and `invoke`, which calls any operation from JSON input.
fn extras(group: &Group, builders: &BuilderFields) -> Result<TokenStream> {
    let group_name = &group.name;
    let operations = group
        .operations
        .iter()
        .map(|op| crate::metadata::operation_tokens(&group.merged, op))
        .collect::<Result<Vec<_>>>()?;
    let shapes = crate::shapes::body_shapes(&group.merged)?;
    let lookups = group.operations.iter().enumerate().map(|(i, op)| {
        let rust_name = op.id.to_snake_case();
        quote!(#rust_name => Some(&OPERATIONS[#i]))
    });
    let decoders = group.operations.iter().filter_map(|op| {
        let rust_name = op.id.to_snake_case();
        let schema = op.success_schema.as_ref()?;
        let ty: syn::Type = syn::parse_str(&format!("types::{}", schema.to_upper_camel_case())).ok()?;
        Some(quote!(#rust_name => Some(::huaweicloud_bss_core::decode::typed::<#ty>(body).map(drop))))
    });
    let arms = group
        .operations
        .iter()
        .map(|op| invoke_arm(op, builders))
        .collect::<Result<Vec<_>>>()?;
    let paging = group
        .operations
        .iter()
        .enumerate()
        .filter(|(_, op)| op.pagination.is_some())
        .map(|(i, op)| crate::paging::paging_tokens(op, i, builders))
        .collect::<Result<Vec<_>>>()?;
    Ok(quote! {
        #(#paging)*

        #shapes

        /// The API group name.
        pub const GROUP: &str = #group_name;

        /// Every operation of this group, in spec order, as the spec declares it.
        pub static OPERATIONS: &[::huaweicloud_bss_core::meta::Operation] = &[#(#operations),*];

        /// Looks an operation up by its Rust method name (`list_provinces`).
        pub fn operation(rust_name: &str) -> Option<&'static ::huaweicloud_bss_core::meta::Operation> {
            match rust_name {
                #(#lookups,)*
                _ => None,
            }
        }

        /// Decodes `body` as the typed success response of the operation named `rust_name`, as
        /// `send()` would; `None` for an operation without a JSON response. For checking a body
        /// (a recorded answer, a test fixture) against the types without calling the service.
        pub fn check_response(rust_name: &str, body: &[u8]) -> Option<Result<(), ::serde_json::Error>> {
            match rust_name {
                #(#decoders,)*
                _ => None,
            }
        }

        /// Calls an operation by its Rust name (`list_provinces`) with its parameters and body given
        /// as JSON, keyed by wire name, and returns the decoded response as JSON. This is the path
        /// the CLI takes; the typed builders are the one for programs.
        pub async fn invoke(
            client: &Client,
            rust_name: &str,
            input: &::huaweicloud_bss_core::invoke::Input,
        ) -> Result<::serde_json::Value, ::huaweicloud_bss_core::Error> {
            if let Some(op) = operation(rust_name) {
                input.validate(op)?;
            }
            match rust_name {
                #(#arms)*
                _ => Err(::huaweicloud_bss_core::Error::invalid_input(
                    "operation",
                    format!("`{rust_name}` is not an operation of the {GROUP} group"),
                )),
            }
        }

        impl ClientHooks<::huaweicloud_bss_core::Context> for Client {
            async fn pre<E>(
                &self,
                request: &mut reqwest::Request,
                info: &OperationInfo,
            ) -> Result<(), Error<E>> {
                let operation = operation(info.operation_id);
                self.inner().check_site(operation).map_err(Error::InvalidRequest)?;
                ::huaweicloud_bss_core::validate::request(request, operation)
                    .map_err(Error::InvalidRequest)
            }

            async fn exec(
                &self,
                request: reqwest::Request,
                info: &OperationInfo,
            ) -> reqwest::Result<reqwest::Response> {
                self.inner()
                    .execute(self.client(), request, operation(info.operation_id))
                    .await
            }
        }
    })
}
