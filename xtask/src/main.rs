//! Workspace tasks: generate the client crates from `openapi/*.yaml`, check that the checked-in
//! code is fresh, and lint the specs against the rules progenitor and this project rely on.
//!
//! ```text
//! cargo xtask generate [--check] [--root DIR]
//! cargo xtask lint [--root DIR]
//! cargo xtask diff [REV] [--allow-breaking] [--format text|markdown] [--root DIR]
//! cargo xtask report      # hand-written lines, longest functions, duplicates
//! cargo xtask upstream [--sdk-version V] [--format text|markdown]   # needs Python and the network
//! cargo xtask test        # everything CI runs: fmt, lint, generate --check, clippy, slim
//!                         # builds, rustdoc, packaging, all tests, the examples
//! ```

mod codegen;
mod diff;
mod docs;
mod extensions;
mod facade;
mod files;
mod lint;
mod manifests;
mod meta;
mod metadata;
mod mocks;
mod paging;
mod readme;
mod report;
mod rewrites;
mod send;
mod serde_attrs;
mod server;
mod shapes;
mod spec;
mod syntax;
mod upstream;

use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

const USAGE: &str =
    "usage: cargo xtask <generate [--check] | lint | diff [REV] | upstream | test> [--root DIR]";

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
    if command == "upstream" {
        return Ok(upstream::command(args.collect(), default_root()));
    }
    if command == "report" {
        return Ok(report::command(args.collect(), default_root()));
    }
    if command == "diff" {
        return Ok(diff::command(args.collect(), default_root()));
    }
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
                let stale = files::stale_files(&root, &files)?;
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
                let written = files::write_files(&root, &files)?;
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

/// The examples of the facade, each run against its in-process sandbox by `cargo xtask test`.
const EXAMPLES: [&str; 4] = [
    "page_customers",
    "export_fee_records",
    "transfer_funds",
    "act_as_customer",
];

/// One check: a name, a program, its arguments and extra environment variables.
struct Step {
    name: String,
    program: PathBuf,
    args: Vec<String>,
    env: Vec<(&'static str, &'static str)>,
}

impl Step {
    fn new(name: &str, program: &std::path::Path, args: &[&str]) -> Self {
        Step {
            name: name.to_string(),
            program: program.to_path_buf(),
            args: args.iter().map(|a| a.to_string()).collect(),
            env: Vec::new(),
        }
    }

    fn env(mut self, name: &'static str, value: &'static str) -> Self {
        self.env.push((name, value));
        self
    }
}

/// Runs every check CI runs, in order, stopping at the first failure.
fn run_all_checks(root: &std::path::Path) -> Result<ExitCode> {
    let xtask = std::env::current_exe().context("locating the xtask binary")?;
    let cargo = PathBuf::from(std::env::var("CARGO").unwrap_or_else(|_| "cargo".to_string()));
    let mut steps = vec![
        Step::new("cargo fmt --check", &cargo, &["fmt", "--all", "--check"]),
        Step::new("xtask lint", &xtask, &["lint"]),
        Step::new("xtask generate --check", &xtask, &["generate", "--check"]),
        Step::new(
            "cargo clippy",
            &cargo,
            &[
                "clippy",
                "--workspace",
                "--all-targets",
                "--",
                "-D",
                "warnings",
            ],
        ),
        // Slim builds: the facade with a single group and with none, the CLI without the
        // sandbox.
        Step::new(
            "cargo clippy: facade with one group",
            &cargo,
            &[
                "clippy",
                "-p",
                "huaweicloud-bss",
                "--no-default-features",
                "--features",
                "customers",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new(
            "cargo clippy: facade with no group",
            &cargo,
            &[
                "clippy",
                "-p",
                "huaweicloud-bss",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new(
            "cargo clippy: hcbss without the sandbox",
            &cargo,
            &[
                "clippy",
                "-p",
                "hcbss",
                "--no-default-features",
                "--",
                "-D",
                "warnings",
            ],
        ),
        Step::new("cargo doc", &cargo, &["doc", "--workspace", "--no-deps"])
            .env("RUSTDOCFLAGS", "-D warnings"),
        // Every publishable crate packages (`--allow-dirty` so that it also runs on a work
        // tree with uncommitted changes; CI's clone is clean).
        Step::new(
            "cargo package",
            &cargo,
            &[
                "package",
                "--workspace",
                "--no-verify",
                "--offline",
                "--allow-dirty",
            ],
        ),
        Step::new("cargo test", &cargo, &["test", "--workspace"]),
    ];
    for example in EXAMPLES {
        steps.push(Step::new(
            &format!("example {example}"),
            &cargo,
            &["run", "-q", "-p", "huaweicloud-bss", "--example", example],
        ));
    }
    for step in steps {
        eprintln!("==> {}", step.name);
        let status = std::process::Command::new(&step.program)
            .args(&step.args)
            .envs(step.env.iter().copied())
            .current_dir(root)
            .status()
            .with_context(|| format!("running {}", step.name))?;
        if !status.success() {
            eprintln!("==> {} failed", step.name);
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
