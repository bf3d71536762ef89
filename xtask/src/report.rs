//! `cargo xtask report`: the size of the hand-written code, so that clean-ups can be measured
//! before and after. It prints, over the files git tracks (generated files left out):
//!
//! - lines per crate (all lines, and the test functions and `assert*!` macros they hold);
//! - the longest functions, with their file and line;
//! - the pairs `duplicates` finds over a copy of the hand-written files only (the tool reads a
//!   whole folder and cannot leave generated files out itself).
//!
//! A file is generated when its first line starts with `// @generated` (every file
//! `cargo xtask generate` writes does) or when it lies in a `generated/` folder.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, ExitCode};

use anyhow::{Context, Result, bail};
use syn::spanned::Spanned;
use syn::visit_mut::VisitMut;

/// `println!` into the report.
macro_rules! out {
    ($out:expr) => {
        $out.push('\n')
    };
    ($out:expr, $($arg:tt)*) => {{
        $out.push_str(&format!($($arg)*));
        $out.push('\n');
    }};
}

const USAGE: &str = "usage: cargo xtask report [--longest N] [--root DIR]";

/// How many of the longest functions are listed unless `--longest` says otherwise.
const LONGEST: usize = 15;

/// Runs the subcommand with its arguments (after `report`).
pub fn command(args: Vec<String>, root: PathBuf) -> ExitCode {
    match run(args, root) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            eprintln!("xtask report: {err:#}");
            ExitCode::FAILURE
        }
    }
}

fn run(args: Vec<String>, mut root: PathBuf) -> Result<()> {
    let mut longest = LONGEST;
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = || args.next().with_context(|| format!("{arg} needs a value"));
        match arg.as_str() {
            "--longest" => longest = value()?.parse().context("--longest takes a number")?,
            "--root" => root = PathBuf::from(value()?),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    let files = hand_written(&root)?;
    let mut out = String::new();
    print_lines_per_crate(&mut out, &files);
    print_longest_functions(&mut out, &files, longest);
    print_duplicates(&mut out, &root, &files)?;
    // A reader that stops early (`| head`) is not an error.
    match std::io::stdout().lock().write_all(out.as_bytes()) {
        Err(err) if err.kind() != std::io::ErrorKind::BrokenPipe => Err(err.into()),
        _ => Ok(()),
    }
}

/// One hand-written Rust file: its path in the repository and its text.
struct Source {
    path: String,
    text: String,
}

/// The tracked `.rs` files that no generator wrote.
fn hand_written(root: &Path) -> Result<Vec<Source>> {
    let output = Command::new("git")
        .args(["ls-files", "-z", "--", "*.rs"])
        .current_dir(root)
        .output()
        .context("running `git ls-files`")?;
    if !output.status.success() {
        bail!("`git ls-files` failed in {}", root.display());
    }
    let mut files = Vec::new();
    for path in String::from_utf8(output.stdout)?.split('\0') {
        if path.is_empty() || path.split('/').any(|part| part == "generated") {
            continue;
        }
        let text = match std::fs::read_to_string(root.join(path)) {
            Ok(text) => text,
            // Tracked but deleted in the working tree: not part of the code any more.
            Err(err) if err.kind() == std::io::ErrorKind::NotFound => continue,
            Err(err) => return Err(err).with_context(|| format!("reading {path}")),
        };
        if !text.starts_with("// @generated") {
            files.push(Source {
                path: path.to_string(),
                text,
            });
        }
    }
    Ok(files)
}

/// The crate a path belongs to: `crates/<name>`, or its first folder (`xtask`, `tests`).
fn crate_of(path: &str) -> &str {
    let end = match path.strip_prefix("crates/") {
        Some(rest) => rest.find('/').map(|i| i + "crates/".len()),
        None => path.find('/'),
    };
    &path[..end.unwrap_or(path.len())]
}

#[derive(Default)]
struct CrateSize {
    files: usize,
    lines: usize,
    tests: usize,
    asserts: usize,
}

fn print_lines_per_crate(out: &mut String, files: &[Source]) {
    let mut sizes: BTreeMap<&str, CrateSize> = BTreeMap::new();
    for file in files {
        let size = sizes.entry(crate_of(&file.path)).or_default();
        size.files += 1;
        size.lines += file.text.lines().count();
        for line in file.text.lines().map(str::trim_start) {
            if line.starts_with("#[test]") || line.starts_with("#[tokio::test") {
                size.tests += 1;
            }
            size.asserts += count_asserts(line);
        }
    }
    out!(out, "## Hand-written lines per crate\n");
    out!(out, "| crate | files | lines | tests | assert macros |");
    out!(out, "|---|---:|---:|---:|---:|");
    let mut total = CrateSize::default();
    for (name, size) in &sizes {
        out!(
            out,
            "| {name} | {} | {} | {} | {} |",
            size.files,
            size.lines,
            size.tests,
            size.asserts
        );
        total.files += size.files;
        total.lines += size.lines;
        total.tests += size.tests;
        total.asserts += size.asserts;
    }
    out!(
        out,
        "| total | {} | {} | {} | {} |\n",
        total.files,
        total.lines,
        total.tests,
        total.asserts
    );
}

/// The standard assert macros called on one line. Text, not syntax, so that asserts inside
/// other macros' arguments count too; comments do not.
fn count_asserts(line: &str) -> usize {
    const MACROS: [&str; 7] = [
        "assert",
        "assert_eq",
        "assert_ne",
        "assert_matches",
        "debug_assert",
        "debug_assert_eq",
        "debug_assert_ne",
    ];
    if line.starts_with("//") {
        return 0;
    }
    line.split(|c: char| !(c.is_alphanumeric() || c == '_' || c == '!'))
        .filter(|word| {
            word.strip_suffix('!')
                .is_some_and(|name| MACROS.contains(&name))
        })
        .count()
}

/// One function and where it is.
struct Function {
    lines: usize,
    name: String,
    path: String,
    line: usize,
}

/// Collects the functions (free, in impls and in traits) of one file, nested ones included.
struct Functions<'a> {
    path: &'a str,
    found: Vec<Function>,
}

impl Functions<'_> {
    fn add(&mut self, name: String, span: proc_macro2::Span) {
        let (start, end) = (span.start().line, span.end().line);
        self.found.push(Function {
            lines: end + 1 - start,
            name,
            path: self.path.to_string(),
            line: start,
        });
    }
}

impl VisitMut for Functions<'_> {
    fn visit_item_fn_mut(&mut self, item: &mut syn::ItemFn) {
        self.add(item.sig.ident.to_string(), item.span());
        syn::visit_mut::visit_item_fn_mut(self, item);
    }

    fn visit_impl_item_fn_mut(&mut self, item: &mut syn::ImplItemFn) {
        self.add(item.sig.ident.to_string(), item.span());
        syn::visit_mut::visit_impl_item_fn_mut(self, item);
    }

    fn visit_trait_item_fn_mut(&mut self, item: &mut syn::TraitItemFn) {
        if item.default.is_some() {
            self.add(item.sig.ident.to_string(), item.span());
        }
        syn::visit_mut::visit_trait_item_fn_mut(self, item);
    }
}

fn print_longest_functions(out: &mut String, files: &[Source], count: usize) {
    let mut functions = Vec::new();
    let mut unparsed = Vec::new();
    for file in files {
        match syn::parse_file(&file.text) {
            Ok(mut ast) => {
                let mut visitor = Functions {
                    path: &file.path,
                    found: Vec::new(),
                };
                visitor.visit_file_mut(&mut ast);
                functions.extend(visitor.found);
            }
            Err(err) => unparsed.push(format!("{}: {err}", file.path)),
        }
    }
    functions.sort_by(|a, b| b.lines.cmp(&a.lines).then_with(|| a.path.cmp(&b.path)));
    out!(out, "## The {count} longest hand-written functions\n");
    out!(out, "| lines | function | where |");
    out!(out, "|---:|---|---|");
    for f in functions.iter().take(count) {
        out!(
            out,
            "| {} | `{}` | {}:{} |",
            f.lines,
            f.name,
            f.path,
            f.line
        );
    }
    out!(out);
    for problem in unparsed {
        out!(out, "not parsed: {problem}");
    }
}

/// Copies the hand-written files into a temporary folder and runs `duplicates` there.
fn print_duplicates(out: &mut String, root: &Path, files: &[Source]) -> Result<()> {
    let copy = std::env::temp_dir().join(format!("xtask-report-{}", std::process::id()));
    for file in files {
        let target = copy.join(&file.path);
        std::fs::create_dir_all(target.parent().context("a file has a folder")?)?;
        std::fs::write(&target, &file.text)?;
    }
    let args = ["--most", "200", "--seconds", "120", "--repo"];
    out!(out, "## Duplicates over the hand-written files\n");
    let result = Command::new("duplicates")
        .args(args)
        .arg(&copy)
        .current_dir(root)
        .output();
    let removed = std::fs::remove_dir_all(&copy);
    match result {
        Ok(output) => {
            let text = String::from_utf8_lossy(&output.stdout);
            let prefix = format!("{}/", copy.display());
            out!(out, "```text\n{}```", text.replace(&prefix, ""));
        }
        Err(err) => out!(
            out,
            "`duplicates` did not run ({err}); it is a command of the development machine: \
             copy the hand-written files into a folder and run `duplicates {} <folder>`",
            args.join(" ")
        ),
    }
    removed.with_context(|| format!("removing {}", copy.display()))
}

#[cfg(test)]
mod tests {
    use super::{count_asserts, crate_of};

    #[test]
    fn asserts_are_counted_by_macro_name() {
        assert_eq!(count_asserts("assert_eq!(a, b); assert!(c != d);"), 2);
        assert_eq!(count_asserts("debug_assert!(x); mock.assert_async();"), 1);
        assert_eq!(count_asserts("// assert!(x)"), 0);
        assert_eq!(
            count_asserts("assert_documented_400(&err); my_assert!(x)"),
            0
        );
    }

    #[test]
    fn files_belong_to_their_crate_folder() {
        assert_eq!(
            crate_of("crates/sandbox/tests/common/mod.rs"),
            "crates/sandbox"
        );
        assert_eq!(crate_of("xtask/src/report.rs"), "xtask");
        assert_eq!(crate_of("build.rs"), "build.rs");
    }
}
