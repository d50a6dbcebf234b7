//! `diplograph import --format bench|gdelt2|jsonl PATH`: bulk import of pre-coded events, or the
//! restore of a `jsonl` export.
//!
//! The store does the work ([`Store::import`]); this module shows it: a progress bar on a
//! terminal, periodic log lines otherwise, a warning per malformed row (the first few per file,
//! then a count), and one summary line per file.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Mutex;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use clap::{Args, ValueEnum};
use diplograph_graph::{
    BadRow, FileOutcome, FileReport, FileStart, ImportFormat, ImportObserver, ImportOptions, MAX_BATCH_ROWS,
    Store,
};
use indicatif::{ProgressBar, ProgressStyle};

/// Settings of `diplograph import`.
#[derive(Args)]
pub(crate) struct ImportArgs {
    /// What PATH holds: `bench` (the folder gen_events.py writes: countries.csv, persons.csv,
    /// events.csv), `gdelt2` (one GDELT 2.0 events export, raw: tab-separated, 61 columns) or
    /// `jsonl` (a file written by `diplograph export --format jsonl`: a restore).
    #[arg(long, env = "DIPLOGRAPH_IMPORT_FORMAT", value_parser = parse_format)]
    pub(crate) format: ImportFormat,

    /// Rows per transaction; progress is saved after each, so an interrupted import resumes
    /// after the last one.
    #[arg(
        long,
        env = "DIPLOGRAPH_IMPORT_BATCH",
        default_value_t = 10_000,
        value_name = "ROWS",
        value_parser = parse_batch
    )]
    pub(crate) batch: usize,

    /// How to show progress: `auto` (a bar on a terminal, log lines otherwise), `bar` or `log`.
    #[arg(long, env = "DIPLOGRAPH_IMPORT_PROGRESS", value_enum, default_value_t = Progress::Auto)]
    pub(crate) progress: Progress,

    /// The folder (bench) or file (gdelt2, jsonl) to import.
    pub(crate) path: PathBuf,
}

/// Progress display of `import`.
#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub(crate) enum Progress {
    Auto,
    Bar,
    Log,
}

/// Malformed rows printed per file; the rest are counted.
const SHOWN_BAD_ROWS: u64 = 20;
/// Seconds between progress log lines.
const LOG_EVERY: Duration = Duration::from_secs(5);

pub(crate) async fn run(database_url: &str, args: ImportArgs) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let bar = match args.progress {
        Progress::Bar => true,
        Progress::Log => false,
        Progress::Auto => std::io::stderr().is_terminal(),
    };
    let shown = std::sync::Arc::new(Shown::new(bar));
    // Ctrl-C stops after the batch in flight, which commits; the next run resumes there.
    let stop = shown.clone();
    let watcher = tokio::spawn(async move {
        if tokio::signal::ctrl_c().await.is_ok() {
            stop.interrupted.store(true, Ordering::Relaxed);
            tracing::warn!("interrupted: stopping after the batch in flight");
        }
    });
    let options = ImportOptions {
        batch_rows: args.batch,
        defer_indexes: None,
    };
    let started = Instant::now();
    let res = store
        .import(args.format, &args.path, &options, shown.as_ref())
        .await;
    watcher.abort();
    shown.clear();
    store.close().await;
    let report = res.with_context(|| format!("importing {}", args.path.display()))?;
    if report.interrupted() {
        bail!(
            "import of {} interrupted; run the same command again to resume",
            args.path.display()
        );
    }
    tracing::info!(
        events_new = report.events_new(),
        bad_rows = report.bad_rows(),
        seconds = format!("{:.1}", started.elapsed().as_secs_f64()),
        "import finished"
    );
    Ok(())
}

fn parse_format(input: &str) -> Result<ImportFormat, String> {
    ImportFormat::parse(input).map_err(|e| e.to_string())
}

fn parse_batch(input: &str) -> Result<usize, String> {
    match input.trim().parse::<usize>() {
        Ok(n) if (1..=MAX_BATCH_ROWS).contains(&n) => Ok(n),
        _ => Err(format!(
            "batch must be a number of rows from 1 to {MAX_BATCH_ROWS}"
        )),
    }
}

/// Shows an import as it runs.
struct Shown {
    bar: bool,
    state: Mutex<State>,
    interrupted: AtomicBool,
}

#[derive(Default)]
struct State {
    progress: Option<ProgressBar>,
    file_bytes: u64,
    bad_rows: u64,
    last_log: Option<Instant>,
}

impl Shown {
    fn new(bar: bool) -> Self {
        Self {
            bar,
            state: Mutex::new(State::default()),
            interrupted: AtomicBool::new(false),
        }
    }

    fn clear(&self) {
        if let Ok(mut state) = self.state.lock()
            && let Some(bar) = state.progress.take()
        {
            bar.finish_and_clear();
        }
    }

    /// Prints a line above the bar, or logs it.
    fn say(&self, state: &State, line: &str) {
        match &state.progress {
            Some(bar) => bar.println(line),
            None => tracing::warn!("{line}"),
        }
    }
}

impl ImportObserver for Shown {
    fn file_started(&self, file: &FileStart) {
        let Ok(mut state) = self.state.lock() else { return };
        state.file_bytes = file.bytes;
        state.bad_rows = 0;
        state.last_log = Some(Instant::now());
        if file.resume_line > 0 {
            tracing::info!(
                "resuming {} after line {} (an earlier run committed that far)",
                file.path.display(),
                file.resume_line
            );
        } else {
            tracing::info!("importing {} ({} bytes)", file.path.display(), file.bytes);
        }
        if self.bar {
            let bar = ProgressBar::new(file.bytes);
            let style = ProgressStyle::with_template(
                "{msg} [{bar:40}] {binary_bytes}/{binary_total_bytes} {binary_bytes_per_sec} eta {eta}",
            )
            .unwrap_or_else(|_| ProgressStyle::default_bar())
            .progress_chars("=> ");
            bar.set_style(style);
            bar.set_message(file_name(&file.path));
            bar.set_position(file.resume_byte);
            state.progress = Some(bar);
        }
    }

    fn progress(&self, bytes_done: u64, lines_done: u64) {
        let Ok(mut state) = self.state.lock() else { return };
        if let Some(bar) = &state.progress {
            bar.set_position(bytes_done);
            return;
        }
        if state.last_log.is_none_or(|t| t.elapsed() >= LOG_EVERY) {
            let percent = 100.0 * bytes_done as f64 / state.file_bytes.max(1) as f64;
            tracing::info!("{lines_done} lines read ({percent:.0}%)");
            state.last_log = Some(Instant::now());
        }
    }

    fn bad_row(&self, bad: &BadRow) {
        let Ok(mut state) = self.state.lock() else { return };
        state.bad_rows += 1;
        if state.bad_rows <= SHOWN_BAD_ROWS {
            let line = format!(
                "skipped bad row {}:{}: {}",
                bad.path.display(),
                bad.line,
                bad.reason
            );
            self.say(&state, &line);
        }
    }

    fn keep_going(&self) -> bool {
        !self.interrupted.load(Ordering::Relaxed)
    }

    fn file_finished(&self, report: &FileReport) {
        let Ok(mut state) = self.state.lock() else { return };
        if let Some(bar) = state.progress.take() {
            bar.finish_and_clear();
        }
        if state.bad_rows > SHOWN_BAD_ROWS {
            tracing::warn!(
                "{} more bad rows in {} not shown",
                state.bad_rows - SHOWN_BAD_ROWS,
                report.path.display()
            );
        }
        let outcome = match report.outcome {
            FileOutcome::Imported => "imported",
            FileOutcome::Resumed => "imported (resumed)",
            FileOutcome::AlreadyImported => "already imported, skipped",
            FileOutcome::Interrupted => "interrupted",
        };
        let skipped = report
            .skipped
            .iter()
            .map(|(reason, n)| format!("{reason} {n}"))
            .collect::<Vec<_>>()
            .join(", ");
        tracing::info!(
            "{}: {outcome}: {} lines, {} new events, {} deduplicated, {} new entities, {} bad rows{}",
            report.path.display(),
            report.lines,
            report.events_new,
            report.events_deduplicated,
            report.entities_new,
            report.bad_rows,
            if skipped.is_empty() {
                String::new()
            } else {
                format!(", skipped: {skipped}")
            }
        );
    }
}

fn file_name(path: &std::path::Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn batch_sizes_are_bounded() {
        assert_eq!(parse_batch("5000"), Ok(5000));
        assert!(parse_batch("0").is_err());
        assert!(parse_batch("1000001").is_err());
        assert!(parse_batch("many").is_err());
    }
}
