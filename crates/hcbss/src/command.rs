//! The command line, built from the operation metadata the specs generate: one subcommand per
//! operation, one flag per parameter or top-level body field.

use clap::{Arg, ArgAction, Command, value_parser};
use huaweicloud_bss::meta::{BodyUse, Location, Operation, Param, ValueKind};

/// The id of the `--json-body` argument.
pub const JSON_BODY: &str = "json-body";
/// The id of the `--all` argument of list operations.
pub const ALL: &str = "all";
/// The id of `--concurrency` (with `--all`): pages in flight.
pub const CONCURRENCY: &str = "concurrency";
/// The id of `--max-items` (with `--all`): where to stop.
pub const MAX_ITEMS: &str = "max-items";

/// The whole command line.
pub fn cli() -> Command {
    let mut cli = Command::new("hcbss")
        .about("Huawei Cloud BSS (partner sales platform) API from the command line")
        .long_about(
            "Huawei Cloud BSS (partner sales platform) API from the command line.\n\n\
             Credentials come from HUAWEICLOUD_SDK_AK and HUAWEICLOUD_SDK_SK (plus \
             HUAWEICLOUD_SDK_SECURITY_TOKEN and HUAWEICLOUD_SDK_DOMAIN_ID when needed).",
        )
        .version(env!("CARGO_PKG_VERSION"))
        .subcommand_required(true)
        .arg_required_else_help(true)
        .override_usage("hcbss [OPTIONS] <COMMAND> [COMMAND OPTIONS]")
        // The command list is one line per operation: never wrapped, whatever the terminal.
        .term_width(0)
        .help_template("{about-with-newline}\n{usage-heading} {usage}{after-help}\n\n{all-args}")
        .after_help(grouped_commands())
        .arg(
            Arg::new("output")
                .long("output")
                .short('o')
                .global(true)
                .value_name("FORMAT")
                .value_parser(crate::output::FORMATS)
                .default_value("json")
                .help("json (default), jsonl (one item per line), table (aligned columns of the list), or csv (with a header row)"),
        )
        .arg(
            Arg::new(SANDBOX_FLAG)
                .long(SANDBOX_FLAG)
                .global(true)
                .action(ArgAction::SetTrue)
                .help("Call an in-process sandbox with built-in demo credentials: no account, no network"),
        )
        .arg(
            Arg::new("endpoint")
                .long("endpoint")
                .global(true)
                .value_name("URL")
                .help("Endpoint to call instead of the site's (also HUAWEICLOUD_SDK_REGION_BSS_<REGION>)"),
        )
        .arg(
            Arg::new("site")
                .long("site")
                .global(true)
                .value_name("SITE")
                .value_parser(["cn", "intl"])
                .help("Site: cn (China, default) or intl (international)"),
        )
        .arg(seconds("timeout", "How long one attempt may take (default 120)"))
        .arg(seconds("connect-timeout", "How long connecting may take (default 60)"))
        .arg(seconds(
            "operation-timeout",
            "How long a whole operation may take, retries included",
        ))
        .arg(
            Arg::new("max-attempts")
                .long("max-attempts")
                .global(true)
                .value_name("N")
                .value_parser(value_parser!(u32).range(1..=10))
                .help("Attempts per read operation (default 3; a state change is never re-sent once it may have reached the server)"),
        )
        .arg(
            Arg::new("rate-limit")
                .long("rate-limit")
                .global(true)
                .value_name("PER_SECOND")
                .value_parser(value_parser!(u32).range(1..))
                .help("Send at most this many requests a second, retries included, evenly spaced: keeps a known quota without being throttled"),
        )
        .arg(
            Arg::new("proxy")
                .long("proxy")
                .global(true)
                .value_name("URL")
                .help("Send requests through this proxy"),
        )
        .arg(
            Arg::new("ca-cert")
                .long("ca-cert")
                .global(true)
                .value_name("PEM_FILE")
                .allow_hyphen_values(true)
                .help("Also trust this CA certificate"),
        )
        .arg(
            Arg::new("user-agent-suffix")
                .long("user-agent-suffix")
                .global(true)
                .value_name("TEXT")
                .allow_hyphen_values(true)
                .help("Text appended to the User-Agent header"),
        );
    for group in huaweicloud_bss::GROUPS {
        for operation in group.operations {
            cli = cli.subcommand(operation_command(operation).hide(true));
        }
    }
    cli.subcommand(console_url_command().hide(true))
        .subcommand(sandbox_command().hide(true))
        .subcommand(
            Command::new(COMPLETIONS)
                .about("Print a shell completion script")
                .hide(true)
                .arg(
                    Arg::new("shell")
                        .required(true)
                        .value_parser(value_parser!(clap_complete::Shell)),
                ),
        )
}

/// The global flag that runs a call against an in-process sandbox.
pub const SANDBOX_FLAG: &str = "sandbox";
/// The name of the sandbox server subcommand.
pub const SANDBOX: &str = "sandbox";

fn sandbox_command() -> Command {
    Command::new(SANDBOX)
        .about("Serve the offline sandbox: every operation over seeded data, signatures checked")
        .arg(
            Arg::new("addr")
                .long("addr")
                .value_name("HOST:PORT")
                .default_value("127.0.0.1:8080")
                .value_parser(value_parser!(std::net::SocketAddr))
                .help("Address to serve on"),
        )
        .arg(
            Arg::new("seed")
                .long("seed")
                .value_name("N")
                .value_parser(value_parser!(u64))
                .help("Seed of the data set (the same seed gives the same data)"),
        )
        .arg(
            Arg::new("latency-ms")
                .long("latency-ms")
                .value_name("MS")
                .value_parser(value_parser!(u64))
                .help("Latency added to every answer"),
        )
        .arg(
            Arg::new("throttle-rate")
                .long("throttle-rate")
                .value_name("0..1")
                .value_parser(value_parser!(f64))
                .help("Share of requests answered 429 APIGW.0308"),
        )
        .arg(
            Arg::new("error-rate")
                .long("error-rate")
                .value_name("0..1")
                .value_parser(value_parser!(f64))
                .help("Share of requests answered 500 CBC.0999"),
        )
        .arg(
            Arg::new("rate-limit")
                .long("rate-limit")
                .value_name("N")
                .value_parser(value_parser!(u32).range(1..))
                .help("At most N requests per second per access key; the rest get 429 APIGW.0308"),
        )
}

/// The name of the completions subcommand.
pub const COMPLETIONS: &str = "completions";

/// The command list of `--help`: the operations grouped by API group, one line each.
fn grouped_commands() -> String {
    let width = huaweicloud_bss::GROUPS
        .iter()
        .flat_map(|g| g.operations)
        .map(|op| op.command_name().len())
        .chain([CONSOLE_URL.len()])
        .max()
        .unwrap_or(0);
    let mut text = String::new();
    for group in huaweicloud_bss::GROUPS {
        text.push_str(&format!("{} operations:\n", capitalize(group.name)));
        for op in group.operations {
            text.push_str(&format!("  {:width$}  {}\n", op.command_name(), op.summary));
        }
        text.push('\n');
    }
    text.push_str("Other commands:\n");
    text.push_str(&format!(
        "  {CONSOLE_URL:width$}  Print the SSO URL that opens the Huawei Cloud console for a customer\n"
    ));
    text.push_str(&format!(
        "  {SANDBOX:width$}  Serve the offline sandbox (--addr, --seed, --latency-ms, --throttle-rate, --error-rate)\n"
    ));
    text.push_str(&format!(
        "  {COMPLETIONS:width$}  Print a shell completion script (bash, zsh, fish, powershell, elvish)\n"
    ));
    text.push_str(&format!("  {:width$}  Print the help of a command", "help"));
    text
}

fn capitalize(name: &str) -> String {
    let mut chars = name.chars();
    chars
        .next()
        .map(|c| c.to_uppercase().chain(chars).collect())
        .unwrap_or_default()
}

/// The name of the console SSO URL subcommand.
pub const CONSOLE_URL: &str = "console-url";

fn console_url_command() -> Command {
    Command::new(CONSOLE_URL)
        .about("Print the SSO URL that logs a customer into the Huawei Cloud console (从伙伴销售平台跳转到华为控制台)")
        .long_about(
            "Print the SAML SSO URL that opens the Huawei Cloud console for a customer through the \
             partner's identity provider. Not a BSS API call: nothing is sent. Use --site intl \
             for the international site.",
        )
        .arg(
            Arg::new("x-account-type")
                .long("x-account-type")
                .value_name("TEXT")
                .required(true)
                .allow_hyphen_values(true)
                .help("Platform identifier assigned in Partner Center (xAccountType)"),
        )
        .arg(
            Arg::new("first-login")
                .long("first-login")
                .action(ArgAction::SetTrue)
                .help("The partner-platform account is not yet bound to a Huawei Cloud account"),
        )
        .arg(
            Arg::new("target")
                .long("target")
                .value_name("URL")
                .help("Console page to land on (default: the site's console home)"),
        )
}

fn seconds(name: &'static str, help: &'static str) -> Arg {
    Arg::new(name)
        .long(name)
        .global(true)
        .value_name("SECONDS")
        .value_parser(value_parser!(f64))
        .help(help)
}

/// The flag name of a parameter: its wire name in kebab-case (`X-Language` → `x-language`).
pub fn flag_name(param: &Param) -> String {
    param.name.to_ascii_lowercase().replace('_', "-")
}

fn operation_command(operation: &'static Operation) -> Command {
    let about = format!("{} [{}]", operation.summary, operation.group);
    let long_about = format!(
        "{}\n\n{} {} ({}). Caller: {}.",
        operation.summary,
        operation.method,
        operation.path,
        operation.id,
        operation.caller.describe()
    );
    let mut command = Command::new(operation.command_name())
        .about(about)
        .long_about(long_about);
    for param in operation.params {
        let mut help = param.description.to_string();
        let limits = limits(param);
        if !limits.is_empty() {
            help.push_str(&format!(" [{limits}]"));
        }
        if param.location == Location::Body {
            help.push_str(" (body field)");
        }
        command = command.arg(
            Arg::new(param.name)
                .long(flag_name(param))
                .value_name(value_name(param))
                .required(param.required && param.location != Location::Body)
                // A text value may begin with `-` (`--order-by -createTime`): the next word is
                // the value, never a flag. Numbers may be negative.
                .allow_hyphen_values(param.kind == ValueKind::String)
                .allow_negative_numbers(true)
                .action(ArgAction::Set)
                .help(help),
        );
    }
    if operation.pagination.is_some() {
        command = command.arg(
            Arg::new(ALL)
                .long(ALL)
                .action(ArgAction::SetTrue)
                .help("Fetch every page, writing each item as it arrives: one JSON array (-o json), one item per line (-o jsonl), or CSV rows (-o csv). --offset is where to start, --limit the page size (default: the largest page). If a page fails, what was received is written and the error says the --offset to resume from"),
        )
        .arg(
            Arg::new(CONCURRENCY)
                .long(CONCURRENCY)
                .value_name("N|auto")
                .requires(ALL)
                .value_parser(crate::all::Concurrency::parse)
                .help("With --all: pages fetched at once once the total is known (default 1, at most 16); items stay in order. auto starts at 2 and adapts to latency and throttling, up to 16"),
        )
        .arg(
            Arg::new(MAX_ITEMS)
                .long(MAX_ITEMS)
                .value_name("N")
                .requires(ALL)
                .value_parser(value_parser!(u64).range(1..))
                .help("With --all: stop after N items"),
        );
    }
    if operation.body != BodyUse::None {
        command = command.arg(
            Arg::new(JSON_BODY)
                .long(JSON_BODY)
                .value_name("FILE")
                .help("JSON body from a file (- for stdin); body-field flags override its fields"),
        );
    }
    command
}

fn value_name(param: &Param) -> &'static str {
    match param.kind {
        ValueKind::String => "TEXT",
        ValueKind::Integer => "INT",
        ValueKind::Number => "NUMBER",
        ValueKind::PositiveAmount => "AMOUNT",
        ValueKind::Boolean => "BOOL",
        ValueKind::Array | ValueKind::Object => "JSON",
    }
}

fn limits(param: &Param) -> String {
    let mut parts = Vec::new();
    if param.required {
        parts.push("required".to_string());
    }
    match (param.minimum, param.maximum) {
        (Some(min), Some(max)) => parts.push(format!("{min}..={max}")),
        (Some(min), None) => parts.push(format!(">= {min}")),
        (None, Some(max)) => parts.push(format!("<= {max}")),
        (None, None) => {}
    }
    if let Some(max) = param.max_length {
        parts.push(format!("max length {max}"));
    }
    parts.join(", ")
}
