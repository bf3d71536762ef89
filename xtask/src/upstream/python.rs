//! The Python side: a virtualenv under `target/` with the official SDK packages at one version,
//! and the dump `xtask/upstream/dump_sdk.py` writes from them. This is the only part of the
//! upstream check that needs the network (pip, once per version).

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};

use anyhow::{Context, Result, bail};

/// The SDK version the specs were last checked against.
pub const PINNED_VERSION: &str = "3.1.219";

/// The official Python SDK packages compared: the China site and the international site.
pub const PACKAGES: [&str; 2] = ["huaweicloudsdkbss", "huaweicloudsdkbssintl"];

/// The dump script, relative to the workspace root.
pub const DUMP_SCRIPT: &str = "xtask/upstream/dump_sdk.py";

/// Checks that `version` is a plain release number (`3.1.219`), which is all pip needs and all
/// that is safe to put into a directory name.
pub fn check_version(version: &str) -> Result<()> {
    let parts: Vec<&str> = version.split('.').collect();
    if parts.len() < 2
        || parts
            .iter()
            .any(|p| p.is_empty() || !p.bytes().all(|b| b.is_ascii_digit()))
    {
        bail!("--sdk-version must be a release number such as {PINNED_VERSION}, not `{version}`");
    }
    Ok(())
}

/// The virtualenv for one SDK version: `target/upstream/sdk-<version>`.
pub fn venv_dir(root: &Path, version: &str) -> PathBuf {
    root.join("target")
        .join("upstream")
        .join(format!("sdk-{version}"))
}

fn venv_python(venv: &Path) -> PathBuf {
    if cfg!(windows) {
        venv.join("Scripts").join("python.exe")
    } else {
        venv.join("bin").join("python")
    }
}

fn run(command: &mut Command, what: &str) -> Result<()> {
    let status = command
        .status()
        .with_context(|| format!("{what}: could not start {:?}", command.get_program()))?;
    if !status.success() {
        bail!("{what} failed ({status})");
    }
    Ok(())
}

/// Creates the virtualenv if needed, installs the SDK packages at `version` into it (pip does
/// nothing when they are already there) and returns the dump's JSON text.
pub fn dump(root: &Path, version: &str) -> Result<String> {
    check_version(version)?;
    let venv = venv_dir(root, version);
    let python = venv_python(&venv);
    if !python.exists() {
        let system_python = std::env::var("PYTHON").unwrap_or_else(|_| "python3".to_string());
        eprintln!("upstream: creating {}", venv.display());
        run(
            Command::new(&system_python).args(["-m", "venv"]).arg(&venv),
            "creating the virtualenv (`python3 -m venv`)",
        )?;
    }
    let pins: Vec<String> = PACKAGES.iter().map(|p| format!("{p}=={version}")).collect();
    eprintln!("upstream: installing {}", pins.join(" "));
    run(
        Command::new(&python)
            .args([
                "-m",
                "pip",
                "install",
                "--quiet",
                "--disable-pip-version-check",
            ])
            .args(&pins)
            .stdout(Stdio::null()),
        &format!("installing {}", pins.join(" ")),
    )?;
    let output = Command::new(&python)
        .arg(root.join(DUMP_SCRIPT))
        .stderr(Stdio::inherit())
        .output()
        .with_context(|| format!("running {DUMP_SCRIPT}"))?;
    if !output.status.success() {
        bail!("{DUMP_SCRIPT} failed ({})", output.status);
    }
    String::from_utf8(output.stdout).with_context(|| format!("{DUMP_SCRIPT} wrote invalid UTF-8"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_plain_release_numbers_are_accepted() {
        assert!(check_version("3.1.219").is_ok());
        assert!(check_version("3.2").is_ok());
        for bad in [
            "",
            "3",
            "3..1",
            "3.1.x",
            "../../etc",
            "3.1.219 --index-url x",
        ] {
            let err = check_version(bad).unwrap_err().to_string();
            assert!(
                err.contains("--sdk-version must be a release number"),
                "{bad}: {err}"
            );
        }
        assert!(venv_dir(Path::new("/w"), "3.1.219").ends_with("target/upstream/sdk-3.1.219"));
    }
}
