//! Importing one file of events: find its job, skip it when done, seek past what an earlier run
//! committed, then plan batches on a thread of their own while the previous batch is written,
//! each batch with the job's progress in one transaction.
//!
//! An import keeps one connection for all its transactions, so that SQLite's page cache (made
//! large for the import) survives from batch to batch; each transaction still takes the store's
//! writer lock and the database's write lock, like `apply`.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use diplograph_core::{CountryCode, EntityKind};

use crate::db::Conn;
use crate::error::StoreError;
use crate::import::entities::{self, Seed, run};
use crate::import::job::{self, Job};
use crate::import::plan::{Known, Planned, Planner, Source};
use crate::import::row::Parsed;
use crate::import::sql::statements;
use crate::import::{BadRow, FileOutcome, FileReport, FileStart, ImportObserver, ImportOptions, indexes};
use crate::store::Store;

/// SQLite page cache of the import's connection, in KiB: the b-trees a batch touches stay in
/// memory instead of spilling to the WAL mid-transaction.
const SQLITE_CACHE_KIB: i64 = 512 * 1024;
/// SQLite page cache while deferred indexes are built, in KiB. The sorter keeps a run of this
/// size in memory before it writes one out: many small runs sorted by worker threads and merged
/// build the indexes of 1M events in half the time of one run sorted whole (measured: 4.0 s
/// against 9.7 s).
const SQLITE_SORT_CACHE_KIB: i64 = 8 * 1024;
/// Files estimated at fewer rows than this never defer indexes.
const BULK_MIN_ROWS: u64 = 100_000;

/// One record of a file: its line, the byte offset just after it, what it parsed to.
pub(crate) struct Record {
    pub(crate) line: u64,
    pub(crate) end: u64,
    pub(crate) parsed: Parsed,
}

/// A file read record by record from a byte offset.
pub(crate) trait Records {
    /// The next record, or `None` at the end of the file.
    fn next_record(&mut self) -> Result<Option<Record>, StoreError>;

    /// Countries the records so far act for that may not be stored yet (taken once each).
    fn take_countries(&mut self) -> Vec<Seed> {
        Vec::new()
    }
}

/// State shared by the files of one import.
pub(crate) struct Session<'a> {
    pub(crate) store: &'a Store,
    pub(crate) options: &'a ImportOptions,
    pub(crate) observer: &'a dyn ImportObserver,
    source: Source,
    pub(crate) conn: Conn,
    /// SQLite's cache size before the import, restored at the end.
    cache_before: Option<i64>,
    /// Whether secondary indexes were dropped and must be built again.
    deferred: bool,
    /// Countries known to be stored.
    countries: HashSet<CountryCode>,
}

impl<'a> Session<'a> {
    /// Opens a session, runs `body` in it and closes it whether `body` succeeded or not (an
    /// error closing comes first).
    pub(crate) async fn run<T>(
        store: &'a Store,
        options: &'a ImportOptions,
        observer: &'a dyn ImportObserver,
        source: Source,
        body: impl AsyncFnOnce(&mut Session<'a>) -> Result<T, StoreError>,
    ) -> Result<T, StoreError> {
        let mut session = Session::open(store, options, observer, source).await?;
        let res = body(&mut session).await;
        session.close().await?;
        res
    }

    async fn open(
        store: &'a Store,
        options: &'a ImportOptions,
        observer: &'a dyn ImportObserver,
        source: Source,
    ) -> Result<Session<'a>, StoreError> {
        let mut conn = store.conn().await?;
        let mut cache_before = None;
        if !conn.is_postgres() {
            let (size,): (i64,) = conn
                .fetch_optional("pragma cache_size", Vec::new())
                .await?
                .unwrap_or((-2000,));
            cache_before = Some(size);
            let set = format!("pragma cache_size = {}", -SQLITE_CACHE_KIB);
            conn.execute(crate::db::dynamic(set), Vec::new()).await?;
        }
        Ok(Self {
            store,
            options,
            observer,
            source,
            conn,
            cache_before,
            deferred: false,
            countries: HashSet::new(),
        })
    }

    /// Builds deferred indexes again and restores the connection's settings. Called whether
    /// the import succeeded or not.
    async fn close(mut self) -> Result<(), StoreError> {
        if self.deferred {
            tracing::info!("building the secondary indexes deferred by the import");
            let _guard = self.store.write_guard().await;
            if self.conn.is_postgres() {
                self.conn
                    .execute("set maintenance_work_mem = '256MB'", Vec::new())
                    .await?;
            } else {
                let threads = std::thread::available_parallelism().map_or(1, |n| n.get().min(8));
                let set = format!(
                    "pragma cache_size = {}; pragma threads = {threads}",
                    -SQLITE_SORT_CACHE_KIB
                );
                self.conn.execute(crate::db::dynamic(set), Vec::new()).await?;
            }
            indexes::ensure(&mut self.conn).await?;
            let analyze = if self.conn.is_postgres() {
                "analyze event, participant, mention, article, event_place, tie, tie_day"
            } else {
                "pragma optimize"
            };
            self.conn.execute(analyze, Vec::new()).await?;
        }
        if let Some(size) = self.cache_before {
            let set = format!("pragma cache_size = {size}; pragma threads = 0");
            self.conn.execute(crate::db::dynamic(set), Vec::new()).await?;
        }
        Ok(())
    }

    /// The job of a file, created on the first run.
    pub(crate) async fn job(&mut self, format: &str, path: &Path) -> Result<Job, StoreError> {
        let (hash, bytes) = job::hash_file(path)?;
        let _guard = self.store.write_guard().await;
        job::find_or_create(&mut self.conn, format, path, &hash, bytes).await
    }

    /// Finds or creates entities in one transaction and, unless the job is already done,
    /// records it finished with these counts.
    pub(crate) async fn entities(
        &mut self,
        kind: EntityKind,
        seeds: &[Seed],
        job: &Job,
    ) -> Result<(HashMap<String, String>, u64), StoreError> {
        let _guard = self.store.write_guard().await;
        self.conn.begin_manual().await?;
        let res = async {
            let (ids, created) = entities::upsert(&mut self.conn, kind, seeds).await?;
            if !job.done {
                let mut job = job.clone();
                job.counts.entities_new = created;
                job::advance(&mut self.conn, &job).await?;
                job::finish(&mut self.conn, job.id).await?;
            }
            Ok((ids, created))
        }
        .await;
        self.end(res).await
    }

    /// Commits after a successful body, rolls back after a failed one.
    pub(crate) async fn end<T>(&mut self, res: Result<T, StoreError>) -> Result<T, StoreError> {
        let res = match res {
            Ok(value) => self
                .store
                .count_write(&mut self.conn)
                .await
                .map(|counted| (value, counted)),
            Err(err) => Err(err),
        };
        match res {
            Ok((value, counted)) => {
                self.conn.end_manual(true).await?;
                // The import reloads the memory when it ends (`refresh_caches_after_import`).
                self.store.note_version(counted);
                Ok(value)
            }
            Err(err) => {
                if let Err(rollback) = self.conn.end_manual(false).await {
                    tracing::warn!(%rollback, "rollback after a failed import batch failed");
                }
                Err(err)
            }
        }
    }

    /// Imports the events of one file whose job is `job`; `open` positions a reader after the
    /// job's last committed line.
    pub(crate) async fn events<R: Records + Send + 'static>(
        &mut self,
        path: &Path,
        mut job: Job,
        open: impl FnOnce(&Job) -> Result<R, StoreError>,
    ) -> Result<FileReport, StoreError> {
        let (outcome, known) = match self.start_file(path, &job).await? {
            Ok(started) => started,
            Err(done) => return Ok(done),
        };
        let mut records = open(&job)?;
        let mut planner = Planner::new(known, self.source, self.options.batch_rows);
        // One batch is planned while the one before it is written.
        let (sender, mut batches) = tokio::sync::mpsc::channel::<Result<Planned, StoreError>>(1);
        tokio::task::spawn_blocking(move || {
            loop {
                let next = planner.next(&mut records).transpose();
                let Some(next) = next else { break };
                let failed = next.is_err();
                if sender.blocking_send(next).is_err() || failed {
                    break;
                }
            }
        });
        while let Some(planned) = batches.recv().await {
            let planned = planned?;
            for (line, reason) in &planned.bad {
                self.observer.bad_row(&BadRow {
                    path: path.to_path_buf(),
                    line: *line,
                    reason: reason.clone(),
                });
            }
            self.write(&mut job, planned).await?;
            self.observer.progress(job.bytes_done, job.lines_done);
            if !self.observer.keep_going() {
                // Dropping the receiver stops the planner at its next batch.
                let report = report(path, FileOutcome::Interrupted, &job);
                self.observer.file_finished(&report);
                return Ok(report);
            }
        }
        self.finish(&job).await?;
        let report = report(path, outcome, &job);
        self.observer.file_finished(&report);
        Ok(report)
    }

    /// Starts on a file: a finished job is reported as already imported (`Err`); otherwise the
    /// observer hears of it, indexes are deferred if it is large, and the outcome it will have
    /// when it completes comes back with the stored event identities.
    pub(crate) async fn start_file(
        &mut self,
        path: &Path,
        job: &Job,
    ) -> Result<Result<(FileOutcome, Known), FileReport>, StoreError> {
        if job.done {
            let report = report(path, FileOutcome::AlreadyImported, job);
            self.observer.file_finished(&report);
            return Ok(Err(report));
        }
        let outcome = if job.lines_done > 0 {
            FileOutcome::Resumed
        } else {
            FileOutcome::Imported
        };
        self.observer.file_started(&FileStart {
            path: path.to_path_buf(),
            bytes: job.file_bytes,
            resume_line: job.lines_done,
            resume_byte: job.bytes_done,
        });
        self.defer_indexes(job).await?;
        Ok(Ok((outcome, Known::load(&mut self.conn).await?)))
    }

    /// Records a file's job finished.
    pub(crate) async fn finish(&mut self, job: &Job) -> Result<(), StoreError> {
        let _guard = self.store.write_guard().await;
        job::finish(&mut self.conn, job.id).await
    }

    /// Drops the secondary indexes when this file is large next to what is stored.
    async fn defer_indexes(&mut self, job: &Job) -> Result<(), StoreError> {
        let (stored,): (i64,) = self
            .conn
            .fetch_optional("select count(*) from event", Vec::new())
            .await?
            .unwrap_or((0,));
        // Both formats take at least 60 bytes a row.
        let rows = job.file_bytes.saturating_sub(job.bytes_done) / 60;
        let large = rows >= BULK_MIN_ROWS && rows.saturating_mul(2) >= u64::try_from(stored).unwrap_or(0);
        if self.options.defer_indexes.unwrap_or(large) && !self.deferred {
            tracing::info!(stored, rows_estimate = rows, "deferring secondary indexes");
            let _guard = self.store.write_guard().await;
            indexes::drop_deferrable(&mut self.conn).await?;
            self.deferred = true;
        }
        Ok(())
    }

    /// Writes a planned batch and the job's progress in one transaction.
    async fn write(&mut self, job: &mut Job, planned: Planned) -> Result<(), StoreError> {
        let fresh: Vec<Seed> = planned
            .countries
            .iter()
            .filter(|s| !self.countries.contains(&s.country))
            .cloned()
            .collect();
        let mut next = job.clone();
        next.lines_done = planned.lines_done;
        next.bytes_done = planned.bytes_done;
        next.counts.add(&planned.counts);
        let sql = statements(self.conn.is_postgres());
        let _guard = self.store.write_guard().await;
        self.conn.begin_manual().await?;
        let res = async {
            if !fresh.is_empty() {
                let (_, created) = entities::upsert(&mut self.conn, EntityKind::Country, &fresh).await?;
                next.counts.entities_new += created;
            }
            // Articles before mentions (which look them up), events before what refers to them.
            let docs = [
                (planned.articles, &sql.article),
                (planned.events, &sql.event),
                (planned.participants, &sql.participant),
                (planned.places, &sql.place),
                (planned.mentions_by_url, &sql.mention_by_url),
                (planned.mentions_by_hash, &sql.mention_by_hash),
                (planned.ties, &sql.tie),
                (planned.tie_days, &sql.tie_day),
            ];
            for (docs, statement) in docs {
                for doc in docs {
                    run(&mut self.conn, statement, doc).await?;
                }
            }
            job::advance(&mut self.conn, &next).await
        }
        .await;
        self.end(res).await?;
        *job = next;
        // Only once committed do these countries count as stored.
        self.countries.extend(fresh.iter().map(|s| s.country));
        Ok(())
    }
}

/// The report of a file from its job.
pub(crate) fn report(path: &Path, outcome: FileOutcome, job: &Job) -> FileReport {
    FileReport {
        path: path.to_path_buf(),
        outcome,
        lines: job.lines_done,
        events_new: job.counts.events_new,
        events_deduplicated: job.counts.events_dedup,
        entities_new: job.counts.entities_new,
        skipped: job.counts.skipped.clone(),
        bad_rows: job.counts.bad_rows,
    }
}
