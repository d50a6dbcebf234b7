//! The command line: [`Cli`] with its subcommands. Every setting is a flag and an environment
//! variable, and `--help` explains each.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::error::ErrorKind;
use clap::{Args, Parser, Subcommand};
use diplograph_api::CorsOrigins;

/// diplograph turns news articles about diplomacy into a knowledge graph of countries, people and
/// events, and serves it over REST.
#[derive(Parser)]
#[command(name = "diplograph", version, max_term_width = 100)]
#[command(
    after_help = "Logging: set RUST_LOG (default `info`), e.g. RUST_LOG=debug or RUST_LOG=diplograph=debug."
)]
pub(crate) struct Cli {
    /// Database URL: `sqlite://FILE?mode=rwc` (embedded, created when missing) or
    /// `postgres://USER:PASSWORD@HOST:5432/DB`. The password is never printed.
    #[arg(
        long,
        env = "DATABASE_URL",
        default_value = "sqlite://diplograph.db?mode=rwc",
        hide_env_values = true,
        global = true
    )]
    pub(crate) database_url: String,

    #[command(subcommand)]
    pub(crate) command: Command,
}

/// What to do. New subcommands (`extract`, `ingest`, …) get a variant here, an args struct
/// below and a module under `src/` with its `run`.
#[derive(Subcommand)]
pub(crate) enum Command {
    /// Apply pending database migrations, then serve the HTTP API until SIGINT or SIGTERM.
    Serve(ServeArgs),
    /// Apply pending database migrations and exit.
    Migrate,
    /// Extract people, countries, places and dated events from articles and print them (JSON
    /// Lines or text); nothing is stored and no database is opened.
    Extract(crate::extract::ExtractArgs),
    /// Import pre-coded events in bulk (a gen_events.py folder, or a GDELT 2.0 events export):
    /// batched, resumable, with progress; files already imported are skipped.
    Import(crate::import::ImportArgs),
    /// Extract and store articles from files, directories (recursively) or standard input, in
    /// parallel, with progress; re-running skips the articles already stored.
    Ingest(crate::ingest_cmd::IngestArgs),
    /// Write the stored events (csv, jsonl) or the entity graph with aggregated edge weights
    /// (graphml, gexf) to a file or standard output, page by page.
    Export(crate::export_cmd::ExportArgs),
    /// Count what is stored and check it: no orphaned rows, every tie rollup equal to a recount
    /// of the raw events. Exit status 1 when anything is wrong.
    Check(crate::check::CheckArgs),
}

/// Settings of `diplograph serve`.
#[derive(Args)]
pub(crate) struct ServeArgs {
    /// Address (IP:PORT) the HTTP server listens on. Port 0 picks a free port; the chosen
    /// address is logged as `listening on ADDR`.
    #[arg(long, env = "DIPLOGRAPH_LISTEN", default_value = "127.0.0.1:8080")]
    pub(crate) listen: SocketAddr,

    /// API key that writes (every method but GET, HEAD, OPTIONS) must send as
    /// `Authorization: Bearer KEY`. Unset (and no keys file): writes are open.
    #[arg(long, env = "DIPLOGRAPH_API_KEY", hide_env_values = true)]
    pub(crate) api_key: Option<String>,

    /// File with API keys for writes, one per line, each the key or `sha256:` and its SHA-256
    /// in hex (`#` starts a comment). Combined with --api-key. Re-read on SIGHUP and when it
    /// changes (checked every 2 s); a bad file keeps the keys in force.
    #[arg(long, env = "DIPLOGRAPH_API_KEYS_FILE", value_name = "PATH")]
    pub(crate) api_keys_file: Option<PathBuf>,

    /// Largest request body accepted, in bytes or with a KiB/MiB suffix (`2MiB`, `512KiB`).
    /// Larger bodies get 413.
    #[arg(long, env = "DIPLOGRAPH_MAX_BODY", default_value = "2MiB", value_parser = parse_byte_size)]
    pub(crate) max_body: usize,

    /// Seconds a request may take until its response starts; slower requests get 408.
    #[arg(
        long,
        env = "DIPLOGRAPH_REQUEST_TIMEOUT",
        default_value_t = 30,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(1..=3600)
    )]
    pub(crate) request_timeout: u64,

    /// Origins allowed to call the API from a browser (CORS): `*` or a comma-separated list
    /// such as `https://dash.example,http://localhost:3000`. Unset: no CORS headers.
    #[arg(long, env = "DIPLOGRAPH_CORS_ORIGINS", value_name = "ORIGINS")]
    pub(crate) cors_origins: Option<CorsOrigins>,

    /// Requests per second allowed per client IP address (bursts of the same size); more get
    /// 429 with Retry-After. 0 turns the limit off.
    #[arg(
        long,
        env = "DIPLOGRAPH_RATE_LIMIT",
        default_value_t = 0,
        value_name = "PER_SECOND",
        value_parser = clap::value_parser!(u32).range(0..=1_000_000)
    )]
    pub(crate) rate_limit: u32,

    /// File of read keys, in the format of --api-keys-file and reloaded like it. When set,
    /// reads need `Authorization: Bearer KEY` with a read or write key too; health, readiness,
    /// /docs and /openapi.json stay open.
    #[arg(long, env = "DIPLOGRAPH_READ_KEYS_FILE", value_name = "PATH")]
    pub(crate) read_keys_file: Option<PathBuf>,

    /// Serve reads to anyone on a non-loopback address (no read keys file). Without it, serve
    /// refuses to listen beyond loopback unless a write key and read keys are set; a write key
    /// is always needed there.
    #[arg(
        long,
        env = "DIPLOGRAPH_ALLOW_PUBLIC_READ",
        action = clap::ArgAction::SetTrue,
        value_parser = clap::builder::BoolishValueParser::new()
    )]
    pub(crate) allow_public_read: bool,

    /// Seconds between checks for what other processes (`diplograph ingest`, `import`, another
    /// server) wrote to the database; when they wrote, the in-memory graph is reloaded. 0 turns
    /// the checks off (this server's own writes are always in step).
    #[arg(
        long,
        env = "DIPLOGRAPH_SYNC_INTERVAL",
        default_value_t = 2,
        value_name = "SECONDS",
        value_parser = clap::value_parser!(u64).range(0..=86_400)
    )]
    pub(crate) sync_interval: u64,
}

/// Parses `2097152`, `512KiB`, `2MiB` (suffix case-insensitive, `B` optional) into bytes.
fn parse_byte_size(s: &str) -> Result<usize, String> {
    let s = s.trim();
    let split = s.find(|c: char| !c.is_ascii_digit()).unwrap_or(s.len());
    let (digits, unit) = s.split_at(split);
    let multiplier: usize = match unit.trim().to_ascii_lowercase().as_str() {
        "" | "b" => 1,
        "kib" | "k" => 1024,
        "mib" | "m" => 1024 * 1024,
        other => return Err(format!("unknown size unit {other:?}: use bytes, KiB or MiB")),
    };
    let n: usize = digits
        .parse()
        .map_err(|_| format!("{s:?} is not a size such as 2097152, 512KiB or 2MiB"))?;
    match n.checked_mul(multiplier) {
        Some(0) => Err("size must be greater than zero".to_owned()),
        Some(bytes) => Ok(bytes),
        None => Err(format!("size {s:?} is too large")),
    }
}

/// Parses the command line. A bad value (an unparsable address, a bad size) gets one line on
/// stderr and exit code 2; help, version and usage errors are clap's usual output.
pub(crate) fn parse() -> Result<Cli, ExitCode> {
    match Cli::try_parse() {
        Ok(cli) => Ok(cli),
        Err(err) if matches!(err.kind(), ErrorKind::ValueValidation | ErrorKind::InvalidValue) => {
            let rendered = err.to_string();
            eprintln!("{}", rendered.lines().next().unwrap_or("error: invalid value"));
            Err(ExitCode::from(2))
        }
        Err(err) => {
            let code = if err.use_stderr() { 2 } else { 0 };
            let _ = err.print();
            Err(ExitCode::from(code))
        }
    }
}

#[cfg(test)]
mod tests {
    use clap::CommandFactory;

    use super::*;

    #[test]
    fn cli_definition_is_consistent() {
        Cli::command().debug_assert();
    }

    #[test]
    fn byte_sizes_accept_plain_bytes_and_binary_suffixes() {
        assert_eq!(parse_byte_size("2097152"), Ok(2_097_152));
        assert_eq!(parse_byte_size("2MiB"), Ok(2 * 1024 * 1024));
        assert_eq!(parse_byte_size("512 kib"), Ok(512 * 1024));
        assert_eq!(parse_byte_size("10B"), Ok(10));
    }

    #[test]
    fn bad_byte_sizes_are_rejected() {
        assert!(parse_byte_size("0").is_err());
        assert!(parse_byte_size("2GB").is_err());
        assert!(parse_byte_size("lots").is_err());
        assert!(parse_byte_size("99999999999999999999MiB").is_err());
    }

    #[test]
    fn serve_defaults_match_the_design() {
        let cli = Cli::try_parse_from(["diplograph", "serve"]).expect("defaults parse");
        let Command::Serve(args) = cli.command else {
            panic!("expected serve")
        };
        assert_eq!(args.listen.to_string(), "127.0.0.1:8080");
        assert_eq!(args.max_body, 2 * 1024 * 1024);
        assert_eq!(args.request_timeout, 30);
        assert_eq!(args.rate_limit, 0);
        assert!(args.read_keys_file.is_none());
        assert!(!args.allow_public_read);
    }
}
