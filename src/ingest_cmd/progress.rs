//! How `ingest` shows itself: a progress bar on a terminal (bytes of input stored, articles/s,
//! ETA), periodic log lines otherwise, and the tally printed at the end.

use std::time::{Duration, Instant};

use diplograph_core::Extraction;
use diplograph_graph::ApplyReport;
use indicatif::{ProgressBar, ProgressStyle};

/// Seconds between progress log lines when there is no bar.
const LOG_EVERY: Duration = Duration::from_secs(5);

/// What an ingest run did, article by article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Tally {
    pub(crate) new: u64,
    pub(crate) duplicate: u64,
    pub(crate) failed: u64,
    pub(crate) entities_new: u64,
    pub(crate) events_new: u64,
    pub(crate) events_deduplicated: u64,
    pub(crate) warnings: u64,
}

impl Tally {
    pub(crate) fn stored(&mut self, extraction: &Extraction, report: &ApplyReport) {
        if report.duplicate {
            self.duplicate += 1;
            return;
        }
        self.new += 1;
        self.entities_new += report.new_entities as u64;
        self.events_new += report.new_events as u64;
        self.events_deduplicated += report.deduplicated_events as u64;
        self.warnings += extraction.warnings.len() as u64;
    }

    pub(crate) fn articles(&self) -> u64 {
        self.new + self.duplicate
    }

    /// The one-line summary printed at the end of a run.
    pub(crate) fn summary(&self) -> String {
        format!(
            "articles: {} new, {} duplicate, {} failed; entities: {} new; events: {} new, {} deduplicated; warnings: {}",
            self.new,
            self.duplicate,
            self.failed,
            self.entities_new,
            self.events_new,
            self.events_deduplicated,
            self.warnings
        )
    }
}

/// The bar, or the clock of the last log line.
pub(crate) struct Shown {
    bar: Option<ProgressBar>,
    started: Instant,
    last_log: Instant,
}

impl Shown {
    /// `total_bytes` is `None` when the input size is unknown (standard input).
    pub(crate) fn new(bar: bool, total_bytes: Option<u64>) -> Self {
        let bar = bar.then(|| make_bar(total_bytes));
        let now = Instant::now();
        Self {
            bar,
            started: now,
            last_log: now,
        }
    }

    /// One more article stored (or failed): `bytes` of input are done.
    pub(crate) fn advance(&mut self, bytes: u64, tally: &Tally) {
        let rate = tally.articles() as f64 / self.started.elapsed().as_secs_f64().max(1e-3);
        if let Some(bar) = &self.bar {
            bar.inc(bytes);
            bar.set_message(format!("{} articles, {rate:.0}/s", tally.articles()));
            return;
        }
        if self.last_log.elapsed() >= LOG_EVERY {
            tracing::info!(
                "{} articles stored ({} new, {} duplicate, {} failed), {rate:.0} articles/s",
                tally.articles(),
                tally.new,
                tally.duplicate,
                tally.failed
            );
            self.last_log = Instant::now();
        }
    }

    /// Prints a failure above the bar, or on stderr.
    pub(crate) fn fail(&self, origin: &str, reason: &str) {
        let line = format!("error: {origin}: {reason}");
        match &self.bar {
            Some(bar) => bar.println(line),
            None => eprintln!("{line}"),
        }
    }

    pub(crate) fn finish(&self) {
        if let Some(bar) = &self.bar {
            bar.finish_and_clear();
        }
    }

    pub(crate) fn elapsed(&self) -> Duration {
        self.started.elapsed()
    }
}

fn make_bar(total_bytes: Option<u64>) -> ProgressBar {
    let (bar, template) = match total_bytes {
        Some(total) => (
            ProgressBar::new(total),
            "ingest [{bar:40}] {percent:>3}% {msg} eta {eta}",
        ),
        None => (ProgressBar::new_spinner(), "ingest {spinner} {msg}"),
    };
    let style = ProgressStyle::with_template(template)
        .unwrap_or_else(|_| ProgressStyle::default_bar())
        .progress_chars("=> ");
    bar.set_style(style);
    bar.enable_steady_tick(Duration::from_millis(200));
    bar
}
