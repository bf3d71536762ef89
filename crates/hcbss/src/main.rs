//! `hcbss`: every Huawei Cloud BSS operation from the command line. One subcommand per operation,
//! named as its official name in kebab-case; one flag per parameter; the response on stdout as
//! the service sent it.
//!
//! Exit codes: 0 success; 1 the API refused (or stdout refused the output); 2 usage,
//! configuration or validation error (nothing was sent); 3 transport failure or timeout; 4 a
//! state change's outcome is unknown (sent, answer lost: it may have been applied); 141 stdout
//! was closed by its reader (`hcbss … | head`), which ends `hcbss` quietly.

/// Every `eprintln!` of this crate is [`note!`]: std's panics when stderr is a closed pipe.
macro_rules! eprintln {
    ($($arg:tt)*) => { $crate::note!($($arg)*) };
}

mod all;
mod command;
#[cfg(not(feature = "sandbox"))]
#[path = "no_sandbox.rs"]
mod huaweicloud_bss_sandbox;
mod input;
mod output;
mod sink;

use std::process::ExitCode;
use std::time::Duration;

use huaweicloud_bss::{Client, Error, ErrorKind, Operation, RetryPolicy, Site};

/// Exit code of an error the API returned.
const EXIT_API: u8 = 1;
/// Exit code of a usage, configuration or validation error (nothing was sent).
const EXIT_USAGE: u8 = 2;
/// Exit code of a transport failure or timeout.
const EXIT_TRANSPORT: u8 = 3;
/// Exit code of a state change whose answer was lost: it may or may not have been applied.
const EXIT_OUTCOME_UNKNOWN: u8 = 4;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let matches = command::cli().get_matches();
    let Some((name, sub)) = matches.subcommand() else {
        return ExitCode::from(EXIT_USAGE);
    };
    if name == command::CONSOLE_URL {
        return console_url(&matches, sub);
    }
    if name == command::COMPLETIONS {
        // Generated into memory: clap_complete panics when its writer fails.
        let mut script = Vec::new();
        if let Some(shell) = sub.get_one::<clap_complete::Shell>("shell") {
            clap_complete::generate(*shell, &mut command::cli(), "hcbss", &mut script);
        }
        return write_out(&script);
    }
    if name == command::SANDBOX {
        return serve_sandbox(sub).await;
    }
    let format = output::Format::parse(
        matches
            .get_one::<String>("output")
            .map_or("json", String::as_str),
    );
    let Some(operation) = huaweicloud_bss::find_operation(name) else {
        eprintln!("error: unknown operation `{name}`");
        return ExitCode::from(EXIT_USAGE);
    };
    let input = match input::from_matches(operation, sub) {
        Ok(input) => input,
        Err(message) => {
            eprintln!("error: {message}");
            return ExitCode::from(EXIT_USAGE);
        }
    };
    // With --sandbox, an in-process sandbox answers (it stops when the command ends).
    let sandbox = if matches.get_flag(command::SANDBOX_FLAG) {
        let config = huaweicloud_bss_sandbox::Config::default();
        let addr = std::net::SocketAddr::from(([127, 0, 0, 1], 0));
        match huaweicloud_bss_sandbox::Sandbox::new(config)
            .start(addr)
            .await
        {
            Ok(running) => Some(running),
            Err(err) => {
                eprintln!("error: starting the sandbox: {err}");
                return ExitCode::from(EXIT_TRANSPORT);
            }
        }
    } else {
        None
    };
    let client = match build_client(&matches, sandbox.as_ref()) {
        Ok(client) => client,
        Err(err) => return report(&err),
    };
    if operation.pagination.is_some() && sub.get_flag(command::ALL) {
        let options = all::AllOptions {
            concurrency: sub
                .get_one::<all::Concurrency>(command::CONCURRENCY)
                .copied()
                .unwrap_or(all::Concurrency::Fixed(1)),
            max_items: sub.get_one::<u64>(command::MAX_ITEMS).copied(),
        };
        return all::print_all(
            &client,
            operation,
            input,
            format,
            options,
            sink::Stdout::lock(),
        )
        .await;
    }
    match client.invoke(operation, &input).await {
        Ok(value) => {
            if let Err(code) = print(format, operation, &value) {
                return code;
            }
            report_partial_failure(operation, &value)
        }
        Err(err) => report(&err),
    }
}

/// Writes `bytes` to stdout.
fn write_out(bytes: &[u8]) -> ExitCode {
    use std::io::Write;
    let mut out = sink::Stdout::lock();
    match out.write_all(bytes).and_then(|()| out.finish()) {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => sink::write_failed(&err),
    }
}

/// Prints a response in the chosen format.
fn print(
    format: output::Format,
    operation: &Operation,
    value: &serde_json::Value,
) -> Result<(), ExitCode> {
    let mut out = sink::Stdout::lock();
    output::write_response(format, operation, value, &mut out)
        .and_then(|()| out.finish().map_err(output::OutputError::Io))
        .map_err(output::failed)
}

/// Operations that answer HTTP 200 while some items failed list them in a response field; any
/// failed item makes the command fail, with the failures on stderr.
fn report_partial_failure(operation: &Operation, value: &serde_json::Value) -> ExitCode {
    let failed = operation
        .partial_failure
        .and_then(|field| value.get(field))
        .and_then(serde_json::Value::as_array)
        .filter(|items| !items.is_empty());
    let Some(failed) = failed else {
        return ExitCode::SUCCESS;
    };
    eprintln!("error: {} item(s) failed:", failed.len());
    for item in failed {
        eprintln!("  {item}");
    }
    ExitCode::from(EXIT_API)
}

fn console_url(matches: &clap::ArgMatches, sub: &clap::ArgMatches) -> ExitCode {
    let site = match matches.get_one::<String>("site").map(|s| s.parse::<Site>()) {
        Some(Ok(site)) => site,
        Some(Err(err)) => return report(&err),
        None => Site::default(),
    };
    let account_type = sub
        .get_one::<String>("x-account-type")
        .map_or("", String::as_str);
    let target = sub.get_one::<String>("target").map(String::as_str);
    match huaweicloud_bss::console::console_login_url(
        site,
        account_type,
        sub.get_flag("first-login"),
        target,
    ) {
        Ok(url) => write_out(format!("{url}\n").as_bytes()),
        Err(err) => report(&err),
    }
}

/// Serves the sandbox until interrupted.
async fn serve_sandbox(sub: &clap::ArgMatches) -> ExitCode {
    let defaults = huaweicloud_bss_sandbox::Config::default();
    let config = huaweicloud_bss_sandbox::Config {
        seed: sub.get_one::<u64>("seed").copied().unwrap_or(defaults.seed),
        latency: Duration::from_millis(sub.get_one::<u64>("latency-ms").copied().unwrap_or(0)),
        throttle_rate: sub.get_one::<f64>("throttle-rate").copied().unwrap_or(0.0),
        error_rate: sub.get_one::<f64>("error-rate").copied().unwrap_or(0.0),
        rate_limit: sub.get_one::<u32>("rate-limit").copied(),
        ..defaults
    };
    for (name, rate) in [
        ("--throttle-rate", config.throttle_rate),
        ("--error-rate", config.error_rate),
    ] {
        if !(0.0..=1.0).contains(&rate) {
            eprintln!("error: {name}: must be between 0 and 1 (got {rate})");
            return ExitCode::from(EXIT_USAGE);
        }
    }
    let Some(addr) = sub.get_one::<std::net::SocketAddr>("addr").copied() else {
        return ExitCode::from(EXIT_USAGE);
    };
    let running = match huaweicloud_bss_sandbox::Sandbox::new(config)
        .start(addr)
        .await
    {
        Ok(running) => running,
        Err(err) => {
            eprintln!("error: serving on {addr}: {err}");
            return ExitCode::from(EXIT_TRANSPORT);
        }
    };
    eprintln!(
        "sandbox serving on {} (AK {}, SK {}); Ctrl-C stops it",
        running.url(),
        huaweicloud_bss_sandbox::DEMO_AK,
        huaweicloud_bss_sandbox::DEMO_SK
    );
    let _ = tokio::signal::ctrl_c().await;
    ExitCode::SUCCESS
}

fn build_client(
    matches: &clap::ArgMatches,
    sandbox: Option<&huaweicloud_bss_sandbox::Running>,
) -> Result<Client, Error> {
    let mut builder = Client::builder();
    if let Some(sandbox) = sandbox {
        builder = builder
            .credentials(huaweicloud_bss::Credentials::aksk(
                huaweicloud_bss_sandbox::DEMO_AK,
                huaweicloud_bss_sandbox::DEMO_SK,
            ))
            .endpoint(sandbox.url());
    }
    if let Some(site) = matches.get_one::<String>("site") {
        builder = builder.site(site.parse::<Site>()?);
    }
    if let (Some(endpoint), None) = (matches.get_one::<String>("endpoint"), sandbox) {
        builder = builder.endpoint(endpoint.clone());
    }
    let duration = |name: &str| -> Result<Option<Duration>, Error> {
        match matches.get_one::<f64>(name) {
            None => Ok(None),
            Some(s) if s.is_finite() && *s > 0.0 && *s < 86_400.0 => {
                Ok(Some(Duration::from_secs_f64(*s)))
            }
            Some(s) => Err(Error::invalid_input(
                &format!("--{name}"),
                format!("must be between 0 and 86400 seconds (got {s})"),
            )),
        }
    };
    if let Some(timeout) = duration("timeout")? {
        builder = builder.timeout(timeout);
    }
    if let Some(timeout) = duration("connect-timeout")? {
        builder = builder.connect_timeout(timeout);
    }
    if let Some(timeout) = duration("operation-timeout")? {
        builder = builder.operation_timeout(timeout);
    }
    if let Some(attempts) = matches.get_one::<u32>("max-attempts") {
        builder = builder.retry(RetryPolicy::default().with_max_attempts(*attempts));
    }
    if let Some(rate) = matches.get_one::<u32>("rate-limit") {
        builder = builder.rate_limit(*rate);
    }
    if let Some(proxy) = matches.get_one::<String>("proxy") {
        builder = builder.proxy(proxy.clone());
    }
    if let Some(path) = matches.get_one::<String>("ca-cert") {
        let pem = std::fs::read(path)
            .map_err(|e| Error::new(ErrorKind::Configuration, format!("--ca-cert {path}: {e}")))?;
        builder = builder.add_ca_certificate_pem(pem);
    }
    if let Some(suffix) = matches.get_one::<String>("user-agent-suffix") {
        builder = builder.user_agent_suffix(suffix.clone());
    }
    builder.build()
}

/// Prints an error with everything support needs and picks the exit code.
fn report(err: &Error) -> ExitCode {
    eprintln!("error: {err}");
    if let Some(status) = err.status() {
        eprintln!("  status: {status}");
    }
    if let Some(code) = err.code() {
        eprintln!("  error code: {code}");
    }
    if !err.message().is_empty() && err.status().is_some() {
        eprintln!("  message: {}", err.message());
    }
    if let Some(id) = err.request_id() {
        eprintln!("  request id: {id}");
    }
    if let Some(read) = err.outcome_check() {
        eprintln!("  check with: hcbss {}", read_command(read));
    }
    ExitCode::from(match err.kind() {
        ErrorKind::OutcomeUnknown => EXIT_OUTCOME_UNKNOWN,
        ErrorKind::Configuration | ErrorKind::InvalidInput => EXIT_USAGE,
        ErrorKind::Transport | ErrorKind::Timeout => EXIT_TRANSPORT,
        _ => EXIT_API,
    })
}

/// The subcommand of an operation named by its official name.
fn read_command(id: &str) -> String {
    huaweicloud_bss::find_operation(id).map_or_else(|| id.to_string(), Operation::command_name)
}
