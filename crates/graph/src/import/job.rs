//! The `import_job` row of one file: found by format and content hash, advanced in the same
//! transaction as each batch, finished at the end.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use crate::db::{Conn, args};
use crate::error::StoreError;

/// The stored state of one file's import.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Job {
    pub(crate) id: i64,
    pub(crate) lines_done: u64,
    pub(crate) bytes_done: u64,
    pub(crate) done: bool,
    pub(crate) counts: Counts,
    /// SHA-256 (hex) and size of the file's content.
    pub(crate) file_hash: String,
    pub(crate) file_bytes: u64,
}

/// Running totals of a file, as stored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub(crate) struct Counts {
    pub(crate) rows_stored: u64,
    pub(crate) events_new: u64,
    pub(crate) events_dedup: u64,
    pub(crate) entities_new: u64,
    pub(crate) bad_rows: u64,
    pub(crate) skipped: BTreeMap<String, u64>,
}

impl Counts {
    pub(crate) fn skip(&mut self, reason: &str) {
        *self.skipped.entry(reason.to_owned()).or_default() += 1;
    }

    /// Adds a batch's counts.
    pub(crate) fn add(&mut self, batch: &Counts) {
        self.rows_stored += batch.rows_stored;
        self.events_new += batch.events_new;
        self.events_dedup += batch.events_dedup;
        self.entities_new += batch.entities_new;
        self.bad_rows += batch.bad_rows;
        for (reason, n) in &batch.skipped {
            *self.skipped.entry(reason.clone()).or_default() += n;
        }
    }

    pub(crate) fn rows_skipped(&self) -> u64 {
        self.skipped.values().sum()
    }
}

#[derive(sqlx::FromRow)]
struct JobRow {
    id: i64,
    lines_done: i64,
    bytes_done: i64,
    rows_stored: i64,
    events_new: i64,
    events_dedup: i64,
    bad_rows: i64,
    skipped: String,
    status: String,
}

const CREATE: &str = "insert into import_job (format, path, file_hash, file_bytes) values ($1, $2, $3, $4)
     on conflict (format, file_hash) do nothing";
const FIND: &str = "select id, lines_done, bytes_done, rows_stored, events_new, events_dedup, bad_rows,
        skipped, status
     from import_job where format = $1 and file_hash = $2";
const ADVANCE: &str = "update import_job set lines_done = $2, bytes_done = $3, rows_stored = $4,
        events_new = $5, events_dedup = $6, rows_skipped = $7, bad_rows = $8, skipped = $9
     where id = $1";
const FINISH: &str = "update import_job set status = 'done', finished_at = $2 where id = $1";

/// A file's SHA-256 (hex) and size, read once from start to end.
pub(crate) fn hash_file(path: &Path) -> Result<(String, u64), StoreError> {
    let mut file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
    let mut hasher = Sha256::new();
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        let n = file.read(&mut buf).map_err(|e| io_error(path, &e))?;
        if n == 0 {
            break;
        }
        hasher.update(&buf[..n]);
        bytes += n as u64;
    }
    let digest = hasher.finalize();
    Ok((digest.iter().map(|b| format!("{b:02x}")).collect(), bytes))
}

/// A one-line error naming the file.
pub(crate) fn io_error(path: &Path, err: &std::io::Error) -> StoreError {
    StoreError::Io(format!("cannot read {}: {err}", path.display()))
}

/// A line with its 1-based number and the byte offset just after it.
pub(crate) type NumberedLine<'a> = (u64, u64, &'a [u8]);

/// A file read line by line from the byte offset a job reached, counting lines and bytes as it
/// goes, so every record knows its line number and where to resume after it.
pub(crate) struct JobLines {
    path: PathBuf,
    reader: std::io::BufReader<std::fs::File>,
    /// Lines read so far, from the start of the file.
    line: u64,
    /// Bytes read so far, from the start of the file.
    pub(crate) offset: u64,
    buf: Vec<u8>,
}

impl JobLines {
    pub(crate) fn open(path: &Path, job: &Job) -> Result<Self, StoreError> {
        use std::io::{Seek, SeekFrom};
        let mut file = std::fs::File::open(path).map_err(|e| io_error(path, &e))?;
        file.seek(SeekFrom::Start(job.bytes_done))
            .map_err(|e| io_error(path, &e))?;
        Ok(Self {
            path: path.to_path_buf(),
            reader: std::io::BufReader::with_capacity(1 << 20, file),
            line: job.lines_done,
            offset: job.bytes_done,
            buf: Vec::with_capacity(1 << 16),
        })
    }

    /// The next line, its end of line included, with its 1-based number and the byte offset
    /// just after it; `None` at the end of the file.
    pub(crate) fn next_line(&mut self) -> Result<Option<NumberedLine<'_>>, StoreError> {
        use std::io::BufRead;
        self.buf.clear();
        let n = self
            .reader
            .read_until(b'\n', &mut self.buf)
            .map_err(|e| io_error(&self.path, &e))?;
        if n == 0 {
            return Ok(None);
        }
        self.line += 1;
        self.offset += n as u64;
        Ok(Some((self.line, self.offset, &self.buf)))
    }
}

/// The job of a file, created on the first run.
pub(crate) async fn find_or_create(
    conn: &mut Conn,
    format: &str,
    path: &Path,
    hash: &str,
    bytes: u64,
) -> Result<Job, StoreError> {
    let shown = path.display().to_string();
    conn.execute(CREATE, args![format, shown, hash, to_i64(bytes)])
        .await?;
    let row: JobRow = conn
        .fetch_optional(FIND, args![format, hash])
        .await?
        .ok_or_else(|| StoreError::Database("import job vanished after insert".into()))?;
    let skipped: BTreeMap<String, u64> = serde_json::from_str(&row.skipped).unwrap_or_default();
    Ok(Job {
        id: row.id,
        lines_done: to_u64(row.lines_done),
        bytes_done: to_u64(row.bytes_done),
        done: row.status == "done",
        counts: Counts {
            rows_stored: to_u64(row.rows_stored),
            events_new: to_u64(row.events_new),
            events_dedup: to_u64(row.events_dedup),
            entities_new: 0,
            bad_rows: to_u64(row.bad_rows),
            skipped,
        },
        file_hash: hash.to_owned(),
        file_bytes: bytes,
    })
}

/// Records the totals after a batch, inside the batch's transaction.
pub(crate) async fn advance(conn: &mut Conn, job: &Job) -> Result<(), StoreError> {
    let c = &job.counts;
    let skipped = serde_json::to_string(&c.skipped).map_err(|e| StoreError::Database(e.to_string()))?;
    conn.execute(
        ADVANCE,
        args![
            job.id,
            to_i64(job.lines_done),
            to_i64(job.bytes_done),
            to_i64(c.rows_stored),
            to_i64(c.events_new),
            to_i64(c.events_dedup),
            to_i64(c.rows_skipped()),
            to_i64(c.bad_rows),
            skipped,
        ],
    )
    .await?;
    Ok(())
}

/// Marks a job finished.
pub(crate) async fn finish(conn: &mut Conn, job_id: i64) -> Result<(), StoreError> {
    let now = chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Millis, true);
    if conn.is_postgres() {
        conn.execute(
            "update import_job set status = 'done', finished_at = now() where id = $1",
            args![job_id],
        )
        .await?;
    } else {
        conn.execute(FINISH, args![job_id, now]).await?;
    }
    Ok(())
}

pub(crate) fn to_i64(value: u64) -> i64 {
    i64::try_from(value).unwrap_or(i64::MAX)
}

fn to_u64(value: i64) -> u64 {
    u64::try_from(value).unwrap_or(0)
}
