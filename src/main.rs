//! The `diplograph` binary: parse the command line, start logging, run one subcommand. Each
//! subcommand lives in its own module with a `run`; failures print one line, `error: …`, and
//! exit with status 1.
//!
//! Layout:
//! - `cli` — [`cli::Cli`]: subcommands, flags and their environment variables.
//! - `logging` — tracing to stderr, `RUST_LOG`.
//! - `serve` — `diplograph serve`: migrate, then the HTTP API with graceful shutdown.
//! - `keys` — the API keys of `serve`: keys files read at start, reloaded on SIGHUP or change.
//! - `migrate` — `diplograph migrate`.
//! - `check` — `diplograph check`: counts and an integrity check of the store.
//! - `extract` — `diplograph extract`: articles in, extractions out, nothing stored.
//! - `import` — `diplograph import`: pre-coded events in bulk, with progress.

mod check;
mod cli;
mod export_cmd;
mod extract;
mod import;
mod ingest_cmd;
mod keys;
mod logging;
mod migrate;
mod serve;

use std::process::ExitCode;

use cli::Command;

/// mimalloc: extraction allocates many short strings, and glibc's malloc costs about a tenth
/// of its time (callgrind, BENCHMARKS.md).
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[tokio::main]
async fn main() -> ExitCode {
    let cli = match cli::parse() {
        Ok(cli) => cli,
        Err(code) => return code,
    };
    logging::init();
    let res = match cli.command {
        Command::Serve(args) => serve::run(&cli.database_url, args).await,
        Command::Migrate => migrate::run(&cli.database_url).await,
        Command::Extract(args) => extract::run(args),
        Command::Import(args) => import::run(&cli.database_url, args).await,
        Command::Ingest(args) => ingest_cmd::run(&cli.database_url, args).await,
        Command::Export(args) => export_cmd::run(&cli.database_url, args).await,
        Command::Check(args) => check::run(&cli.database_url, args).await,
    };
    match res {
        Ok(()) => ExitCode::SUCCESS,
        Err(err) => {
            // `{:#}` prints the context chain on one line; never the backtrace.
            let message = format!("{err:#}");
            eprintln!(
                "error: {}",
                message.split_whitespace().collect::<Vec<_>>().join(" ")
            );
            ExitCode::FAILURE
        }
    }
}
