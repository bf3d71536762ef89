//! The facade crate's generated parts: `src/groups.rs` and the group crates and features of its
//! manifest.

use std::path::Path;

use anyhow::{Context, Result};
use quote::{format_ident, quote};

use crate::files::{GeneratedFile, HEADER, splice, splice_text};
use crate::manifests;
use crate::spec::Group;

/// The facade crate, which hands out every group's client.
const FACADE_DIR: &str = "crates/huaweicloud-bss";
/// The markers between which the facade's manifest lists the group crates.
const DEPS_BEGIN: &str = "# BEGIN group crates (written by `cargo xtask generate`)\n";
const DEPS_END: &str = "# END group crates\n";
/// The markers between which the facade's manifest lists the group features.
const FEATURES_BEGIN: &str = "# BEGIN group features (written by `cargo xtask generate`)\n";
const FEATURES_END: &str = "# END group features\n";

/// The facade's `src/groups.rs` and its manifest with the group crates listed, each behind the
/// feature named as its group.
pub fn facade_files(root: &Path, groups: &[Group]) -> Result<Vec<GeneratedFile>> {
    let manifest_path = format!("{FACADE_DIR}/Cargo.toml");
    let version = manifests::workspace_version(root)?;
    let mut manifest = splice(
        root,
        &manifest_path,
        DEPS_BEGIN,
        DEPS_END,
        &manifests::facade_dependencies(groups, &version),
    )?;
    manifest.content = splice_text(
        &manifest.content,
        &manifest_path,
        FEATURES_BEGIN,
        FEATURES_END,
        &manifests::facade_features(groups),
    )?;

    let idents: Vec<_> = groups
        .iter()
        .map(|g| format_ident!("{}", g.name.replace('-', "_")))
        .collect();
    let crates: Vec<_> = groups
        .iter()
        .map(|g| format_ident!("{}", g.package().replace('-', "_")))
        .collect();
    let names: Vec<_> = groups.iter().map(|g| g.name.clone()).collect();
    let descriptions: Vec<_> = groups.iter().map(Group::description).collect();
    let accessor_docs: Vec<_> = groups
        .iter()
        .map(|g| format!("The `{}` group: {}", g.name, g.description()))
        .collect();
    let tokens = quote! {
        #(
            #[doc = #accessor_docs]
            #[cfg(feature = #names)]
            #[cfg_attr(docsrs, doc(cfg(feature = #names)))]
            pub use #crates as #idents;
        )*

        /// The client of every API group compiled in, sharing one configuration.
        #[derive(Clone, Debug)]
        pub(crate) struct Groups {
            #(
                #[cfg(feature = #names)]
                #idents: #crates::Client,
            )*
        }

        impl Groups {
            #[allow(unused_variables)]
            pub(crate) fn new(
                endpoint: &str,
                http: &reqwest::Client,
                context: &::huaweicloud_bss_core::Context,
            ) -> Self {
                Self {
                    #(
                        #[cfg(feature = #names)]
                        #idents: #crates::Client::new_with_client(endpoint, http.clone(), context.clone()),
                    )*
                }
            }

            /// Calls an operation from JSON input through its group's client.
            #[allow(unused_variables)]
            pub(crate) async fn invoke(
                &self,
                operation: &::huaweicloud_bss_core::meta::Operation,
                input: &::huaweicloud_bss_core::invoke::Input,
            ) -> Result<::serde_json::Value, ::huaweicloud_bss_core::Error> {
                match operation.group {
                    #(
                        #[cfg(feature = #names)]
                        #names => #crates::invoke(&self.#idents, operation.rust_name, input).await,
                    )*
                    other => Err(::huaweicloud_bss_core::Error::invalid_input(
                        "operation",
                        format!("the API group `{other}` is unknown or not compiled in (the `huaweicloud-bss` feature named as the group enables it)"),
                    )),
                }
            }
        }

        impl crate::Client {
            #(
                #[doc = #accessor_docs]
                #[cfg(feature = #names)]
                #[cfg_attr(docsrs, doc(cfg(feature = #names)))]
                pub fn #idents(&self) -> &#crates::Client {
                    &self.groups.#idents
                }
            )*
        }

        /// Every API group compiled in (one feature per group, all on by default) with its
        /// operations, in name order.
        pub static GROUPS: &[crate::GroupInfo] = &[
            #(
                #[cfg(feature = #names)]
                crate::GroupInfo {
                    name: #names,
                    description: #descriptions,
                    operations: #crates::OPERATIONS,
                },
            )*
        ];
    };
    let file: syn::File = syn::parse2(tokens).context("facade group table does not parse")?;
    Ok(vec![
        manifest,
        GeneratedFile {
            path: format!("{FACADE_DIR}/src/groups.rs"),
            content: format!("{HEADER}{}", prettyplease::unparse(&file)),
        },
    ])
}
