//! Loading the specs as they stood at a git revision: `git show REV:openapi/<file>` for every
//! spec file, written to a scratch directory that [`crate::spec::load_groups`] reads like a
//! working tree (so both sides are merged and parsed the same way).

use std::path::{Path, PathBuf};
use std::process::Command;

use anyhow::{Context, Result, bail};

use crate::spec::{self, Group};

/// The groups of `openapi/` at `rev` in the repository at `root`.
pub fn groups_at(root: &Path, rev: &str) -> Result<Vec<Group>> {
    let commit = resolve(root, rev)?;
    let listing = git(root, &["ls-tree", "--name-only", &commit, "--", "openapi/"])?;
    let files: Vec<&str> = listing
        .lines()
        .filter(|path| path.ends_with(".yaml"))
        .collect();
    if files.is_empty() {
        bail!("`{rev}` has no specs in openapi/");
    }
    let scratch = Scratch::new()?;
    let dir = scratch.path.join("openapi");
    std::fs::create_dir_all(&dir).with_context(|| format!("creating {}", dir.display()))?;
    for path in files {
        let text = git(root, &["show", &format!("{commit}:./{path}")])?;
        let name = path.rsplit('/').next().unwrap_or(path);
        std::fs::write(dir.join(name), text).with_context(|| format!("writing {name}"))?;
    }
    spec::load_groups(&scratch.path).with_context(|| format!("loading the specs at `{rev}`"))
}

/// The full commit id of `rev`, or an error that says why there is none.
fn resolve(root: &Path, rev: &str) -> Result<String> {
    if rev.starts_with('-') {
        bail!("`{rev}` is not a revision");
    }
    match git(
        root,
        &[
            "rev-parse",
            "--verify",
            "--quiet",
            &format!("{rev}^{{commit}}"),
        ],
    ) {
        Ok(id) => Ok(id.trim().to_string()),
        Err(_) => {
            let shallow = git(root, &["rev-parse", "--is-shallow-repository"])
                .map(|out| out.trim() == "true")
                .unwrap_or(false);
            if shallow {
                bail!(
                    "`{rev}` is not in this shallow clone; fetch more history (for example \
                     `git fetch --deepen=1`) or name a revision it has"
                )
            }
            bail!(
                "`{rev}` is not a commit of the repository at {}",
                root.display()
            )
        }
    }
}

/// Runs git in `root` and returns its standard output.
fn git(root: &Path, args: &[&str]) -> Result<String> {
    let out = Command::new("git")
        .arg("-C")
        .arg(root)
        .args(args)
        .output()
        .context("running git (is it installed?)")?;
    if !out.status.success() {
        bail!(
            "git {} failed: {}",
            args.join(" "),
            String::from_utf8_lossy(&out.stderr).trim()
        );
    }
    String::from_utf8(out.stdout).context("git printed something that is not UTF-8")
}

/// A scratch directory removed when dropped.
struct Scratch {
    path: PathBuf,
}

impl Scratch {
    fn new() -> Result<Self> {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map(|d| d.as_nanos())
            .unwrap_or(0);
        let path = std::env::temp_dir().join(format!("xtask-diff-{}-{nanos}", std::process::id()));
        std::fs::create_dir_all(&path).with_context(|| format!("creating {}", path.display()))?;
        Ok(Scratch { path })
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.path);
    }
}
