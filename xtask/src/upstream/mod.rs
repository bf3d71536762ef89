//! `cargo xtask upstream`: compares every operation of the specs with the official Python SDKs'
//! models (method, path, parameters, body, request and response fields with their JSON types,
//! required request fields, stated enum values), explains the known differences from a reviewed
//! file and reports the rest. Needs Python and the network for pip, so it is not part of
//! `cargo xtask test`; the comparison itself is tested offline on fixtures.
//!
//! Exit status: 0 when every difference is explained and no exception is stale, 1 when there is
//! drift to act on, 2 when the check could not run (no Python, no network, a broken file).
//!
//! ```text
//! cargo xtask upstream [--sdk-version V] [--format text|markdown] [--dump FILE] [--save-dump FILE] [--root DIR]
//! ```

mod compare;
mod enums;
mod exceptions;
mod ours;
mod python;
mod report;
mod sdk;
mod shape;

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{Context, Result, bail};

use crate::spec;

const USAGE: &str = "usage: cargo xtask upstream [--sdk-version V] [--format text|markdown] \
                     [--dump FILE] [--save-dump FILE] [--root DIR]";

/// The command line of `cargo xtask upstream`.
struct Options {
    root: PathBuf,
    version: String,
    format: report::Format,
    /// Read this dump instead of installing the SDKs (offline re-runs).
    dump: Option<PathBuf>,
    /// Keep the dump the SDKs gave.
    save_dump: Option<PathBuf>,
}

fn parse_options(args: Vec<String>, root: PathBuf) -> Result<Options> {
    let mut options = Options {
        root,
        version: python::PINNED_VERSION.to_string(),
        format: report::Format::Text,
        dump: None,
        save_dump: None,
    };
    let mut args = args.into_iter();
    while let Some(arg) = args.next() {
        let mut value = |name: &str| {
            args.next()
                .with_context(|| format!("{name} needs a value\n{USAGE}"))
        };
        match arg.as_str() {
            "--sdk-version" => options.version = value("--sdk-version")?,
            "--format" => {
                let format = value("--format")?;
                options.format = report::Format::parse(&format).with_context(|| {
                    format!("--format must be `text` or `markdown`, not `{format}`")
                })?;
            }
            "--dump" => options.dump = Some(PathBuf::from(value("--dump")?)),
            "--save-dump" => options.save_dump = Some(PathBuf::from(value("--save-dump")?)),
            "--root" => options.root = PathBuf::from(value("--root")?),
            other => bail!("unknown argument `{other}`\n{USAGE}"),
        }
    }
    python::check_version(&options.version)?;
    Ok(options)
}

/// The exit status when the check could not run, distinct from drift (1).
const CANNOT_RUN: u8 = 2;

/// Runs the command and returns its exit status (see the module docs).
pub fn command(args: Vec<String>, root: PathBuf) -> ExitCode {
    match run(args, root) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("xtask upstream: {err:#}");
            ExitCode::from(CANNOT_RUN)
        }
    }
}

fn run(args: Vec<String>, root: PathBuf) -> Result<ExitCode> {
    let options = parse_options(args, root)?;
    let text = match &options.dump {
        Some(path) => {
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?
        }
        None => python::dump(&options.root, &options.version)?,
    };
    if let Some(path) = &options.save_dump {
        std::fs::write(path, &text).with_context(|| format!("writing {}", path.display()))?;
    }
    let dump = sdk::Dump::parse(&text)?;
    let outcome = check(&options.root, &dump, options.format)?;
    print!("{}", outcome.report);
    Ok(if outcome.clean {
        ExitCode::SUCCESS
    } else {
        ExitCode::FAILURE
    })
}

/// A finished check: the rendered report, and whether it found nothing to act on.
pub struct Outcome {
    pub report: String,
    pub clean: bool,
}

/// Compares the specs under `root` with `dump`, applies the exceptions file and renders the
/// report.
pub fn check(root: &Path, dump: &sdk::Dump, format: report::Format) -> Result<Outcome> {
    let (comparison, exceptions) = compare_root(root, dump)?;
    let applied = exceptions::apply(&comparison.differences, &exceptions);
    let context = report::Context {
        packages: dump
            .packages
            .iter()
            .map(|(name, package)| (name.as_str(), package.version.as_str()))
            .collect(),
    };
    Ok(Outcome {
        report: report::render(format, &context, &comparison, &applied),
        clean: applied.unexplained.is_empty() && applied.stale.is_empty(),
    })
}

/// Every difference between the specs under `root` and `dump`, and the reviewed exceptions.
fn compare_root(
    root: &Path,
    dump: &sdk::Dump,
) -> Result<(compare::Comparison, Vec<exceptions::Exception>)> {
    let groups = spec::load_groups(root)?;
    let mut ours = Vec::new();
    for group in &groups {
        for operation in &group.operations {
            ours.push(compare::OurOperation {
                file: group.file.clone(),
                id: operation.id.clone(),
                shape: ours::shape(group, operation)?,
            });
        }
    }
    let exceptions_path = root.join(exceptions::FILE);
    let exceptions = exceptions::parse(
        &std::fs::read_to_string(&exceptions_path)
            .with_context(|| format!("reading {}", exceptions_path.display()))?,
    )?;
    Ok((compare::compare(&ours, dump), exceptions))
}

#[cfg(test)]
mod tests {
    use super::compare::Kind;
    use super::*;

    fn fixture_root() -> PathBuf {
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/upstream")
    }

    fn fixture_dump() -> sdk::Dump {
        let text = std::fs::read_to_string(fixture_root().join("dump.json")).unwrap();
        sdk::Dump::parse(&text).unwrap()
    }

    #[test]
    fn the_fixture_finds_every_planted_difference_and_nothing_else() {
        let (comparison, exceptions) = compare_root(&fixture_root(), &fixture_dump()).unwrap();
        let found: Vec<String> = comparison
            .differences
            .iter()
            .map(|d| {
                format!(
                    "{} | {} | {} | {} | {}",
                    d.file, d.operation, d.package, d.kind, d.subject
                )
            })
            .collect();
        assert_eq!(
            found,
            [
                " | ArchiveThing | sdk | missing-operation | ",
                "openapi/things.yaml | CreateThing |  | extra-field | body.tags",
                "openapi/things.yaml | CreateThing | sdk | parameter-location | dry_run",
                "openapi/things.yaml | CreateThing | sdk | missing-field | body.size",
                "openapi/things.yaml | CreateThing | sdk | required | body.name",
                "openapi/things.yaml | CreateThing | sdk | required | body.price",
                "openapi/things.yaml | CreateThing | sdkintl | path | ",
                "openapi/things.yaml | CreateThing | sdkintl | missing-field | body.size",
                "openapi/things.yaml | DeleteThing |  | extra-parameter | path domain_id",
                "openapi/things.yaml | DeleteThing | sdk | method | ",
                "openapi/things.yaml | DeleteThing | sdk | body | ",
                "openapi/things.yaml | DeleteThing | sdk | missing-field | body.reason",
                "openapi/things.yaml | ListThings | sdk | missing-field | response.things[].owner",
                "openapi/things.yaml | ListThings | sdk | field-type | query limit",
                "openapi/things.yaml | ListThings | sdk | field-type | response.total",
                "openapi/things.yaml | ListThings | sdk | missing-enum-value | response.things[].status",
                "openapi/things.yaml | ListThings | sdk | extra-enum-value | response.things[].status",
                "openapi/things.yaml | ListThings | sdkintl | field-type | response.total",
                "openapi/things.yaml | ShowOursOnly |  | extra-operation | ",
            ]
        );
        assert_eq!(comparison.operations, 3);
        assert_eq!(comparison.sdk_operations, 6);
        // Per package, every SDK field looked at, nested ones included: the China package's
        // ListThings 10 (2 + 6 in `things[]` + 2 in `owner`), CreateThing 3 + 6, DeleteThing 1;
        // the international package's ListThings 8, CreateThing 3 + 4.
        assert_eq!(comparison.fields, 35);
        assert_eq!(comparison.parameters, 8);
        // `X-Language` states values on the SDK side only; `things[].status` on both.
        assert_eq!(comparison.enums, 1);
        let applied = exceptions::apply(&comparison.differences, &exceptions);
        assert_eq!(applied.explained.len(), 2);
        assert_eq!(applied.unexplained.len(), 17);
        assert_eq!(
            applied.stale.iter().map(|e| e.label()).collect::<Vec<_>>(),
            ["RemovedLongAgo missing-operation"]
        );
    }

    #[test]
    fn what_each_side_says_is_reported() {
        let (comparison, _) = compare_root(&fixture_root(), &fixture_dump()).unwrap();
        let find = |operation: &str, kind: Kind| {
            comparison
                .differences
                .iter()
                .find(|d| d.operation == operation && d.kind == kind)
                .unwrap()
        };
        let owner = find("ListThings", Kind::MissingField);
        assert_eq!(
            (owner.ours.as_str(), owner.sdk.as_str()),
            ("", "object (2 nested fields)")
        );
        let limit = find("ListThings", Kind::FieldType);
        assert_eq!(limit.subject, "query limit");
        assert_eq!(
            (limit.ours.as_str(), limit.sdk.as_str()),
            ("integer", "string")
        );
        let required = find("CreateThing", Kind::Required);
        assert_eq!(
            (required.ours.as_str(), required.sdk.as_str()),
            ("optional", "required")
        );
        let status = find("ListThings", Kind::MissingEnumValue);
        assert_eq!(status.sdk, "values A, B, C (lacking C)");
        let method = find("DeleteThing", Kind::Method);
        assert_eq!(
            (method.ours.as_str(), method.sdk.as_str()),
            ("DELETE", "PUT")
        );
        let missing = find("ArchiveThing", Kind::MissingOperation);
        assert_eq!(missing.sdk, "POST /v2/things/archive");
    }

    #[test]
    fn the_repository_exceptions_file_is_well_formed() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).parent().unwrap();
        let text = std::fs::read_to_string(root.join(exceptions::FILE)).unwrap();
        exceptions::parse(&text).unwrap();
    }

    #[test]
    fn options_are_checked() {
        let root = PathBuf::from("/w");
        let parse = |args: &[&str]| {
            parse_options(args.iter().map(|a| a.to_string()).collect(), root.clone())
        };
        let defaults = parse(&[]).unwrap();
        assert_eq!(defaults.version, python::PINNED_VERSION);
        assert_eq!(defaults.format, report::Format::Text);
        let chosen = parse(&["--sdk-version", "3.1.220", "--format", "markdown"]).unwrap();
        assert_eq!(
            (chosen.version.as_str(), chosen.format),
            ("3.1.220", report::Format::Markdown)
        );
        for (args, message) in [
            (
                &["--format", "html"][..],
                "--format must be `text` or `markdown`",
            ),
            (&["--sdk-version"][..], "--sdk-version needs a value"),
            (
                &["--sdk-version", "latest"][..],
                "--sdk-version must be a release number",
            ),
            (&["--verbose"][..], "unknown argument `--verbose`"),
        ] {
            let err = format!("{:#}", parse(args).err().unwrap());
            assert!(err.contains(message), "{args:?}: {err}");
        }
    }
}
