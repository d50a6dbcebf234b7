//! `import --format jsonl`: restores what `export --format jsonl` wrote (entity, article and
//! event records; see `export::records`), resumable and in batches like the other imports.
//!
//! Ids are kept, so a restore into an empty store gives back the same entities, articles, events
//! and mentions, and the rollups are rebuilt from the events. Into a store that has data, records
//! are matched to what is stored first: an entity by kind and resolve key, an article by URL or
//! text hash, an event by id and then by the identity rule (kind, modality, participants,
//! overlapping days). A matched event gains the file's mentions and places; a record that names
//! an entity or article found neither in the file nor in the store is a bad row.
//!
//! Layout:
//! - `mod` — reading the file in batches on a thread of its own, the batch loop, resuming.
//! - `batch` — one batch matched against the store and written in one transaction.
//! - `rows` — the rows a batch gathers, and writing them.
//! - `sql` — the restore statements of both dialects.

mod batch;
mod rows;
mod sql;

use std::path::Path;

use crate::error::StoreError;
use crate::export::{ArticleRecord, EntityRecord, EventRecord, Record};
use crate::import::driver::{Session, report};
use crate::import::job::{Job, JobLines};
use crate::import::plan::Source;
use crate::import::{BadRow, FileOutcome, FileReport, ImportObserver, ImportOptions, ImportReport};
use crate::store::Store;

use self::batch::Restorer;

/// The job format of `jsonl` files.
const FORMAT: &str = "jsonl";

pub(crate) async fn import(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    observer: &dyn ImportObserver,
) -> Result<ImportReport, StoreError> {
    let source = Source {
        extractor: "import:jsonl",
        confidence: 1.0,
    };
    Session::run(store, options, observer, source, async |session| {
        let job = session.job(FORMAT, path).await?;
        let file = restore(session, path, job).await?;
        Ok(ImportReport { files: vec![file] })
    })
    .await
}

/// Lines read from the file and parsed, up to a batch.
#[derive(Default)]
pub(crate) struct Batch {
    /// Each record with its line number.
    pub(crate) entities: Vec<(u64, EntityRecord)>,
    pub(crate) articles: Vec<(u64, ArticleRecord)>,
    pub(crate) events: Vec<(u64, EventRecord)>,
    /// Lines that are not records: (line, reason).
    pub(crate) bad: Vec<(u64, String)>,
    pub(crate) lines_done: u64,
    pub(crate) bytes_done: u64,
}

async fn restore(session: &mut Session<'_>, path: &Path, mut job: Job) -> Result<FileReport, StoreError> {
    let (outcome, known) = match session.start_file(path, &job).await? {
        Ok(started) => started,
        Err(done) => return Ok(done),
    };
    let mut restorer = Restorer::new(known);
    if job.bytes_done > 0 {
        restorer.remember(&mut session.conn, path, job.bytes_done).await?;
    }
    let mut lines = Lines::open(path, &job)?;
    let rows = session.options.batch_rows;
    // One batch is parsed while the one before it is written.
    let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Batch, StoreError>>(1);
    tokio::task::spawn_blocking(move || {
        while let Some(next) = lines.batch(rows, false).transpose() {
            let failed = next.is_err();
            if sender.blocking_send(next).is_err() || failed {
                break;
            }
        }
    });
    while let Some(batch) = batches.recv().await {
        let bad = restorer.write(session, &mut job, batch?).await?;
        for (line, reason) in bad {
            session.observer.bad_row(&BadRow {
                path: path.to_path_buf(),
                line,
                reason,
            });
        }
        session.observer.progress(job.bytes_done, job.lines_done);
        if !session.observer.keep_going() {
            let report = report(path, FileOutcome::Interrupted, &job);
            session.observer.file_finished(&report);
            return Ok(report);
        }
    }
    session.finish(&job).await?;
    let report = report(path, outcome, &job);
    session.observer.file_finished(&report);
    Ok(report)
}

/// A `jsonl` file read line by line from a byte offset.
pub(crate) struct Lines {
    lines: JobLines,
    /// Where to stop (the resume point, when re-reading what was imported before).
    end: Option<u64>,
}

impl Lines {
    fn open(path: &Path, job: &Job) -> Result<Self, StoreError> {
        Ok(Self {
            lines: JobLines::open(path, job)?,
            end: None,
        })
    }

    /// The lines before `end`, from the start of the file.
    pub(crate) fn prefix(path: &Path, end: u64) -> Result<Self, StoreError> {
        let mut lines = Self::open(path, &Job::default())?;
        lines.end = Some(end);
        Ok(lines)
    }

    /// Reads up to `rows` lines; `None` at the end. With `skip_events`, event lines are counted
    /// but not parsed (re-reading the entities and articles before a resume point).
    pub(crate) fn batch(&mut self, rows: usize, skip_events: bool) -> Result<Option<Batch>, StoreError> {
        let mut batch = Batch::default();
        let mut read = 0;
        while read < rows {
            if self.end.is_some_and(|end| self.lines.offset >= end) {
                break;
            }
            let Some((at, end, line)) = self.lines.next_line()? else {
                break;
            };
            let text = line.trim_ascii();
            read += 1;
            batch.lines_done = at;
            batch.bytes_done = end;
            if text.is_empty() || (skip_events && text.starts_with(br#"{"type":"event""#)) {
                continue;
            }
            match serde_json::from_slice::<Record>(text) {
                Ok(Record::Entity(entity)) => batch.entities.push((at, entity)),
                Ok(Record::Article(article)) => batch.articles.push((at, article)),
                Ok(Record::Event(event)) => batch.events.push((at, event)),
                Err(err) => batch
                    .bad
                    .push((at, format!("not a diplograph jsonl record: {err}"))),
            }
        }
        Ok((read > 0).then_some(batch))
    }
}
