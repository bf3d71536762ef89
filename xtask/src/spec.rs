//! Loading the group specs and merging `openapi/shared.yaml` into each of them.

use std::path::{Path, PathBuf};

use anyhow::{Context, Result, bail};
use serde_json::{Map, Value, json};

use crate::docs;
use crate::meta::{self, Operation};

/// The file holding what every group shares; it is not a group itself.
pub const SHARED_FILE: &str = "shared.yaml";

/// One API group: one spec file, one generated crate.
pub struct Group {
    /// The group name, the spec's file stem (`geography`).
    pub name: String,
    /// The spec path relative to the workspace root, for messages (`openapi/geography.yaml`).
    pub file: String,
    /// The spec as written.
    pub source: Value,
    /// The spec with the shared components and error responses merged in.
    pub merged: Value,
    /// The operations, in spec order.
    pub operations: Vec<Operation>,
}

impl Group {
    /// The generated crate's directory name (`bss-geography`).
    pub fn crate_dir(&self) -> String {
        format!("bss-{}", self.name)
    }

    /// The generated crate's package name (`huaweicloud-bss-geography`).
    pub fn package(&self) -> String {
        format!("huaweicloud-bss-{}", self.name)
    }

    /// The one-paragraph description from `info.description`.
    pub fn description(&self) -> String {
        self.source
            .pointer("/info/description")
            .and_then(Value::as_str)
            .unwrap_or("")
            .trim()
            .to_string()
    }
}

/// Reads `openapi/*.yaml` under `root` (sorted by name) and merges the shared file into each.
pub fn load_groups(root: &Path) -> Result<Vec<Group>> {
    let dir = root.join("openapi");
    let shared = read_yaml(&dir.join(SHARED_FILE))?;
    let mut paths: Vec<PathBuf> = std::fs::read_dir(&dir)
        .with_context(|| format!("reading {}", dir.display()))?
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|e| e == "yaml"))
        .filter(|p| p.file_name().is_some_and(|n| n != SHARED_FILE))
        .collect();
    paths.sort();
    if paths.is_empty() {
        bail!("no group specs found in {}", dir.display());
    }
    paths
        .iter()
        .map(|path| {
            let name = path
                .file_stem()
                .and_then(|s| s.to_str())
                .context("spec file name is not UTF-8")?
                .to_string();
            let file = format!("openapi/{name}.yaml");
            let source = read_yaml(path)?;
            let mut merged = merge_shared(&source, &shared).with_context(|| file.clone())?;
            let operations = meta::operations(&merged).with_context(|| file.clone())?;
            docs::describe_operations(&mut merged, &name, &operations);
            Ok(Group {
                name,
                file,
                source,
                merged,
                operations,
            })
        })
        .collect()
}

fn read_yaml(path: &Path) -> Result<Value> {
    let text =
        std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?;
    serde_norway::from_str(&text).with_context(|| format!("parsing {}", path.display()))
}

/// The component sections that the shared file may contribute.
const SHARED_SECTIONS: [&str; 3] = ["parameters", "responses", "schemas"];

/// Merges the shared components into `group` and gives every operation the shared `Error`
/// response for the 4XX and 5XX ranges unless it declares its own error statuses (which the lint
/// then checks point at the shared error).
fn merge_shared(group: &Value, shared: &Value) -> Result<Value> {
    let mut merged = group.clone();
    let root = merged.as_object_mut().context("a spec must be a mapping")?;
    let components = root
        .entry("components")
        .or_insert_with(|| json!({}))
        .as_object_mut()
        .context("`components` must be a mapping")?;
    for section in SHARED_SECTIONS {
        let Some(shared_items) = shared.pointer(&format!("/components/{section}")) else {
            continue;
        };
        let target = components
            .entry(section)
            .or_insert_with(|| json!({}))
            .as_object_mut()
            .with_context(|| format!("`components.{section}` must be a mapping"))?;
        for (name, item) in shared_items.as_object().into_iter().flatten() {
            if target.contains_key(name) {
                bail!("components.{section}.{name} redefines a shared component");
            }
            target.insert(name.clone(), item.clone());
        }
    }
    if let Some(paths) = root.get_mut("paths").and_then(Value::as_object_mut) {
        for item in paths.values_mut() {
            for operation in item.as_object_mut().into_iter().flat_map(Map::values_mut) {
                let Some(responses) = operation
                    .get_mut("responses")
                    .and_then(Value::as_object_mut)
                else {
                    continue;
                };
                let declares_errors = responses.keys().any(|k| is_error_status(k));
                if !declares_errors {
                    for range in ["4XX", "5XX"] {
                        responses.insert(
                            range.to_string(),
                            json!({"$ref": "#/components/responses/Error"}),
                        );
                    }
                }
            }
        }
    }
    Ok(merged)
}

/// Whether a response key is a 4xx/5xx status or range.
pub fn is_error_status(key: &str) -> bool {
    key.starts_with('4') || key.starts_with('5')
}
