//! Bulk import of pre-coded events: the folder `gen_events.py` writes (`countries.csv`,
//! `persons.csv`, `events.csv`) and GDELT 2.0 event exports in their raw 61-column form; and the
//! restore of our own `jsonl` export (`restore`), with the same batches, jobs and resuming.
//!
//! Rows are parsed into [`row::ImportRow`]s and written in batches, one transaction each, with
//! multi-row statements fed by one JSON document per table (never `apply` per row). Every batch
//! de-duplicates by the identity rule of DESIGN §2 against the stored events and the batches
//! before it, adds the rollup deltas of its new events, and records the last line it covered in
//! `import_job`, so an interrupted import resumes after the last committed batch and a finished
//! file is skipped. A malformed row is reported with its line number and skipped; rows that are
//! well formed but out of scope (a regional actor, an unmapped CAMEO code) are counted by reason.
//!
//! Layout:
//! - `mod` — [`Store::import`], options, the observer and the report.
//! - `job` — the `import_job` rows and file hashing.
//! - `bench` — the `gen_events.py` folder: countries, persons, events; `csv_file` — its CSV reading.
//! - `check` — rows checked without a store ([`check_gdelt_line`], [`check_bench_events`]).
//! - `gdelt` — GDELT 2.0 export lines.
//! - `restore` — `jsonl` exports: entities, articles and events as they were stored.
//! - `row` — the parsed row every format produces, and country-code caching.
//! - `plan` — a batch planned off the database: de-duplication, rollup deltas, JSON rows.
//! - `rollups` — the tie rollup deltas of a batch's new events.
//! - `sql` — the bulk statements of both dialects.
//! - `entities` — countries and people in bulk.
//! - `indexes` — secondary indexes deferred during a large load.
//! - `driver` — reading a file in batches, resuming, reporting progress.

mod bench;
mod check;
mod csv_file;
mod driver;
mod entities;
mod gdelt;
mod indexes;
mod job;
mod plan;
mod restore;
mod rollups;
mod row;
mod sql;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::error::StoreError;
use crate::store::Store;

pub use check::{RowCheck, check_bench_events, check_gdelt_line};
pub(crate) use indexes::ensure as ensure_indexes;

/// Which kind of input `diplograph import` reads.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ImportFormat {
    /// A folder written by `gen_events.py`: `countries.csv`, `persons.csv`, `events.csv`.
    Bench,
    /// One GDELT 2.0 events export (`*.export.CSV`): tab-separated, 61 columns, no header.
    Gdelt2,
    /// A file written by `export --format jsonl`: a restore.
    Jsonl,
}

impl ImportFormat {
    /// Parses `bench`, `gdelt2` or `jsonl`.
    pub fn parse(input: &str) -> Result<ImportFormat, StoreError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "bench" => Ok(ImportFormat::Bench),
            "gdelt2" | "gdelt" => Ok(ImportFormat::Gdelt2),
            "jsonl" => Ok(ImportFormat::Jsonl),
            other => Err(StoreError::InvalidInput(format!(
                "unknown import format {:?}: expected bench, gdelt2 or jsonl",
                other.chars().take(16).collect::<String>()
            ))),
        }
    }

    /// The name on the command line.
    pub fn as_str(self) -> &'static str {
        match self {
            ImportFormat::Bench => "bench",
            ImportFormat::Gdelt2 => "gdelt2",
            ImportFormat::Jsonl => "jsonl",
        }
    }
}

/// How an import runs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ImportOptions {
    /// Rows per transaction (1–100 000). Progress is recorded once per batch.
    pub batch_rows: usize,
    /// Whether to drop the secondary indexes while loading and build them once at the end
    /// (much faster for a load that is large next to what is stored, but queries are slow
    /// meanwhile). `None` decides by size: a file of at least 100 000 rows and at least half as
    /// many rows as stored events.
    pub defer_indexes: Option<bool>,
}

impl Default for ImportOptions {
    fn default() -> Self {
        Self {
            batch_rows: 10_000,
            defer_indexes: None,
        }
    }
}

/// Largest batch accepted.
pub const MAX_BATCH_ROWS: usize = 100_000;

/// Hears about an import as it runs (a progress bar, log lines). Every method has a default
/// that does nothing.
pub trait ImportObserver: Send + Sync {
    /// A file is about to be read.
    fn file_started(&self, _file: &FileStart) {}
    /// A batch committed: `bytes_done` of the current file's bytes and `lines_done` lines.
    fn progress(&self, _bytes_done: u64, _lines_done: u64) {}
    /// A malformed row was skipped.
    fn bad_row(&self, _bad: &BadRow) {}
    /// A file is done (or was already, or stopped).
    fn file_finished(&self, _report: &FileReport) {}
    /// Asked after every committed batch: `false` stops the import there (Ctrl-C, say); the
    /// next run resumes after that batch.
    fn keep_going(&self) -> bool {
        true
    }
}

/// An observer that ignores everything.
#[derive(Clone, Copy, Debug, Default)]
pub struct Silent;

impl ImportObserver for Silent {}

/// A file an import starts on.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FileStart {
    pub path: PathBuf,
    pub bytes: u64,
    /// Where a resumed import picks up (0 and 0 on a first run).
    pub resume_line: u64,
    pub resume_byte: u64,
}

/// A row that could not be read, and why.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct BadRow {
    pub path: PathBuf,
    /// 1-based line number in the file (a header is line 1).
    pub line: u64,
    pub reason: String,
}

/// What happened to one file.
#[derive(Clone, Copy, PartialEq, Eq, Debug, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FileOutcome {
    /// Read from the start.
    Imported,
    /// An earlier run stopped part-way; this one continued after its last committed line.
    Resumed,
    /// The same content was imported before; nothing was read.
    AlreadyImported,
    /// Stopped by the observer after a committed batch; a re-run resumes there.
    Interrupted,
}

/// The totals of one file, over every run that imported it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FileReport {
    pub path: PathBuf,
    pub outcome: FileOutcome,
    /// Lines read, the header included.
    pub lines: u64,
    /// Events created.
    pub events_new: u64,
    /// Rows that matched a stored event (same kind, participants and day) and added a mention.
    pub events_deduplicated: u64,
    /// Entities (countries, people) created.
    pub entities_new: u64,
    /// Well-formed rows left out, by reason (`regional_actor`, `unmapped_cameo`, …).
    pub skipped: BTreeMap<String, u64>,
    /// Malformed rows, each reported to the observer with its line number.
    pub bad_rows: u64,
}

/// What an import did, file by file.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ImportReport {
    pub files: Vec<FileReport>,
}

impl ImportReport {
    /// Events created over all files.
    pub fn events_new(&self) -> u64 {
        self.files.iter().map(|f| f.events_new).sum()
    }

    /// Malformed rows over all files.
    pub fn bad_rows(&self) -> u64 {
        self.files.iter().map(|f| f.bad_rows).sum()
    }

    /// Whether the observer stopped the import before its end.
    pub fn interrupted(&self) -> bool {
        self.files.iter().any(|f| f.outcome == FileOutcome::Interrupted)
    }
}

impl Store {
    /// Imports pre-coded events: a `gen_events.py` folder ([`ImportFormat::Bench`]) or a GDELT
    /// 2.0 export file ([`ImportFormat::Gdelt2`]); or restores a `jsonl` export
    /// ([`ImportFormat::Jsonl`]). Resumable and idempotent: a file already
    /// imported is skipped, an interrupted one continues after its last committed batch.
    ///
    /// Fails on unreadable input or a database error; what was committed before stays (and a
    /// re-run resumes from there). The rollups, and the in-memory caches when loaded, are kept
    /// in step.
    #[tracing::instrument(skip(self, options, observer))]
    pub async fn import(
        &self,
        format: ImportFormat,
        path: &Path,
        options: &ImportOptions,
        observer: &dyn ImportObserver,
    ) -> Result<ImportReport, StoreError> {
        if !(1..=MAX_BATCH_ROWS).contains(&options.batch_rows) {
            return Err(StoreError::InvalidInput(format!(
                "batch size must be 1–{MAX_BATCH_ROWS}, got {}",
                options.batch_rows
            )));
        }
        let res = match format {
            ImportFormat::Bench => bench::import(self, path, options, observer).await,
            ImportFormat::Gdelt2 => gdelt::import(self, path, options, observer).await,
            ImportFormat::Jsonl => restore::import(self, path, options, observer).await,
        };
        // Whatever committed must show in the caches, even when a later batch failed.
        self.refresh_caches_after_import().await?;
        res
    }
}
