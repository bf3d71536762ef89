//! Workspace tasks: generate the client crates from `openapi/*.yaml`, check that the checked-in
//! code is fresh, and lint the specs against the rules progenitor and this project rely on.
//!
//! ```text
//! cargo xtask generate [--check] [--root DIR]
//! cargo xtask lint [--root DIR]
//! cargo xtask test        # everything CI runs: fmt, clippy, generate --check, lint, all tests
//! ```

mod codegen;
mod docs;
mod lint;
mod manifests;
mod meta;
mod spec;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str = "usage: cargo xtask <generate [--check] | lint | test> [--root DIR]";

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode> {
    let mut args = std::env::args().skip(1);
    let command = args.next().context(USAGE)?;
    let mut check = false;
    let mut root = default_root();
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--check" if command == "generate" => check = true,
            "--root" => root = PathBuf::from(args.next().context("--root needs a directory")?),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    if command == "test" {
        return run_all_checks(&root);
    }
    let groups = spec::load_groups(&root)?;
    match command.as_str() {
        "lint" => {
            let problems = lint::lint(&groups);
            for problem in &problems {
                eprintln!("{problem}");
            }
            if problems.is_empty() {
                println!(
                    "lint: {} specs, {} operations: ok",
                    groups.len(),
                    operation_count(&groups)
                );
                Ok(ExitCode::SUCCESS)
            } else {
                eprintln!("lint: {} problem(s)", problems.len());
                Ok(ExitCode::FAILURE)
            }
        }
        "generate" => {
            let problems = lint::lint(&groups);
            if !problems.is_empty() {
                for problem in &problems {
                    eprintln!("{problem}");
                }
                bail!("the specs do not pass `cargo xtask lint`; nothing was generated");
            }
            let files = codegen::generate_all(&root, &groups)?;
            if check {
                let stale = codegen::stale_files(&root, &files)?;
                if stale.is_empty() {
                    println!("generate --check: {} files up to date", files.len());
                    Ok(ExitCode::SUCCESS)
                } else {
                    for path in &stale {
                        eprintln!("stale: {path}");
                    }
                    eprintln!(
                        "generate --check: {} file(s) differ from the specs; run `cargo xtask generate`",
                        stale.len()
                    );
                    Ok(ExitCode::FAILURE)
                }
            } else {
                let written = codegen::write_files(&root, &files)?;
                println!(
                    "generate: {} groups, {} operations, {} files ({} changed)",
                    groups.len(),
                    operation_count(&groups),
                    files.len(),
                    written
                );
                Ok(ExitCode::SUCCESS)
            }
        }
        other => bail!("unknown command `{other}`\n{USAGE}"),
    }
}

/// Runs every check CI runs, in order, stopping at the first failure.
fn run_all_checks(root: &std::path::Path) -> Result<ExitCode> {
    let xtask = std::env::current_exe().context("locating the xtask binary")?;
    let cargo = std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string());
    let steps: [(&str, &std::path::Path, &[&str]); 5] = [
        (
            "cargo fmt --check",
            cargo.as_ref(),
            &["fmt", "--all", "--check"],
        ),
        ("xtask lint", xtask.as_ref(), &["lint"]),
        (
            "xtask generate --check",
            xtask.as_ref(),
            &["generate", "--check"],
        ),
        (
            "cargo clippy",
            cargo.as_ref(),
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        ("cargo test", cargo.as_ref(), &["test", "--workspace"]),
    ];
    for (name, program, args) in steps {
        eprintln!("==> {name}");
        let status = std::process::Command::new(program)
            .args(args)
            .current_dir(root)
            .status()
            .with_context(|| format!("running {name}"))?;
        if !status.success() {
            eprintln!("==> {name} failed");
            return Ok(ExitCode::FAILURE);
        }
    }
    eprintln!("==> all checks passed");
    Ok(ExitCode::SUCCESS)
}

fn operation_count(groups: &[spec::Group]) -> usize {
    groups.iter().map(|g| g.operations.len()).sum()
}

fn default_root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from("."))
}
