//! The seam between shared SQL and the two typed pools: [`Conn`] runs one statement on either
//! backend with [`Arg`] binds, so the store's logic is written once.
//!
//! `$1`-style placeholders work on both databases. Rows are `#[derive(sqlx::FromRow)]` structs built
//! only from types both drivers decode the same way: `String`, `i64`, `f64`, `NaiveDate`, `Option`s.

use std::borrow::Cow;

use chrono::NaiveDate;
use sqlx::pool::PoolConnection;
use sqlx::postgres::PgRow;
use sqlx::sqlite::SqliteRow;
use sqlx::{
    Arguments, Database, Encode, FromRow, PgConnection, Postgres, SqlSafeStr, Sqlite, SqliteConnection,
    Transaction, Type,
};

use crate::error::StoreError;
use crate::store::Backend;

/// One bound value. Every variant is nullable so that `None` binds a typed null.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Arg {
    Text(Option<String>),
    Int(Option<i64>),
    Real(Option<f64>),
    Date(Option<NaiveDate>),
}

/// Builds a `Vec<Arg>` from values that convert into [`Arg`].
macro_rules! args {
    ($($value:expr),* $(,)?) => { vec![$($crate::db::Arg::from($value)),*] };
}
pub(crate) use args;

/// A connection from a pool, or an open transaction, on either backend.
pub(crate) enum Conn {
    SqlitePool(PoolConnection<Sqlite>),
    SqliteTx(Transaction<'static, Sqlite>),
    PgPool(PoolConnection<Postgres>),
    PgTx(Transaction<'static, Postgres>),
}

enum Raw<'a> {
    Sqlite(&'a mut SqliteConnection),
    Postgres(&'a mut PgConnection),
}

/// Rows both drivers can decode.
pub(crate) trait Row:
    for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin
{
}
impl<T> Row for T where T: for<'r> FromRow<'r, SqliteRow> + for<'r> FromRow<'r, PgRow> + Send + Unpin {}

/// An arbitrary key for the PostgreSQL advisory lock that serializes writers across processes.
const WRITE_LOCK_KEY: i64 = 0x6469_706c_6f67;

impl Conn {
    pub(crate) async fn acquire(backend: &Backend) -> Result<Conn, StoreError> {
        Ok(match backend {
            Backend::Sqlite(pool) => Conn::SqlitePool(pool.acquire().await?),
            Backend::Postgres(pool) => Conn::PgPool(pool.acquire().await?),
        })
    }

    /// Begins a transaction that holds the database's write lock from its first statement.
    pub(crate) async fn begin_write(backend: &Backend) -> Result<Conn, StoreError> {
        match backend {
            // IMMEDIATE takes the write lock now; a deferred transaction that reads and then writes
            // can fail with SQLITE_BUSY regardless of the busy timeout.
            Backend::Sqlite(pool) => Ok(Conn::SqliteTx(pool.begin_with("BEGIN IMMEDIATE").await?)),
            Backend::Postgres(pool) => {
                let mut conn = Conn::PgTx(pool.begin().await?);
                conn.execute("select pg_advisory_xact_lock($1)::text", args![WRITE_LOCK_KEY])
                    .await?;
                Ok(conn)
            }
        }
    }

    /// Begins a write transaction by statement on a pooled connection that stays checked out
    /// across many transactions (a bulk import keeps its settings and cache that way). The
    /// caller must end it with [`Conn::end_manual`], also on error.
    pub(crate) async fn begin_manual(&mut self) -> Result<(), StoreError> {
        if self.is_postgres() {
            self.execute("begin", Vec::new()).await?;
            self.execute("select pg_advisory_xact_lock($1)::text", args![WRITE_LOCK_KEY])
                .await?;
        } else {
            self.execute("begin immediate", Vec::new()).await?;
        }
        Ok(())
    }

    /// Commits (`commit: true`) or rolls back a transaction begun with [`Conn::begin_manual`].
    pub(crate) async fn end_manual(&mut self, commit: bool) -> Result<(), StoreError> {
        let sql = if commit { "commit" } else { "rollback" };
        self.execute(sql, Vec::new()).await?;
        Ok(())
    }

    /// Runs a `COPY … TO STDOUT` in PostgreSQL's text format and calls `each` with the fields of
    /// every row (`None` for NULL). PostgreSQL only: bulk reads without per-row protocol cost.
    pub(crate) async fn copy_out_rows(
        &mut self,
        sql: &str,
        mut each: impl FnMut(&[Option<&str>]) -> Result<(), StoreError>,
    ) -> Result<(), StoreError> {
        use futures_util::StreamExt;
        let Raw::Postgres(c) = self.raw() else {
            return Err(StoreError::Database("copy out needs PostgreSQL".into()));
        };
        let mut stream = c.copy_out_raw(sql).await?;
        let mut pending: Vec<u8> = Vec::new();
        while let Some(chunk) = stream.next().await {
            pending.extend_from_slice(&chunk?);
            let mut start = 0;
            while let Some(end) = pending[start..].iter().position(|&b| b == b'\n') {
                let fields = copy_fields(&pending[start..start + end])?;
                let refs: Vec<Option<&str>> = fields.iter().map(|f| f.as_deref()).collect();
                each(&refs)?;
                start += end + 1;
            }
            pending.drain(..start);
        }
        Ok(())
    }

    /// Whether this is a PostgreSQL connection (for the few statements written per dialect).
    pub(crate) fn is_postgres(&self) -> bool {
        matches!(self, Conn::PgPool(_) | Conn::PgTx(_))
    }

    /// Commits a transaction; a no-op for a plain connection.
    pub(crate) async fn commit(self) -> Result<(), StoreError> {
        match self {
            Conn::SqliteTx(tx) => tx.commit().await?,
            Conn::PgTx(tx) => tx.commit().await?,
            Conn::SqlitePool(_) | Conn::PgPool(_) => {}
        }
        Ok(())
    }

    fn raw(&mut self) -> Raw<'_> {
        match self {
            Conn::SqlitePool(c) => Raw::Sqlite(c),
            Conn::SqliteTx(tx) => Raw::Sqlite(tx),
            Conn::PgPool(c) => Raw::Postgres(c),
            Conn::PgTx(tx) => Raw::Postgres(tx),
        }
    }

    /// Runs a statement and returns the number of rows it changed.
    pub(crate) async fn execute(&mut self, sql: impl SqlSafeStr, args: Vec<Arg>) -> Result<u64, StoreError> {
        Ok(match self.raw() {
            Raw::Sqlite(c) => sqlx::query_with(sql, bind::<Sqlite>(args)?)
                .execute(c)
                .await?
                .rows_affected(),
            Raw::Postgres(c) => sqlx::query_with(sql, bind::<Postgres>(args)?)
                .execute(c)
                .await?
                .rows_affected(),
        })
    }

    /// Runs a query and decodes every row.
    pub(crate) async fn fetch_all<T: Row>(
        &mut self,
        sql: impl SqlSafeStr,
        args: Vec<Arg>,
    ) -> Result<Vec<T>, StoreError> {
        Ok(match self.raw() {
            Raw::Sqlite(c) => {
                sqlx::query_as_with(sql, bind::<Sqlite>(args)?)
                    .fetch_all(c)
                    .await?
            }
            Raw::Postgres(c) => {
                sqlx::query_as_with(sql, bind::<Postgres>(args)?)
                    .fetch_all(c)
                    .await?
            }
        })
    }

    /// Runs a query and decodes its first row, if any.
    pub(crate) async fn fetch_optional<T: Row>(
        &mut self,
        sql: impl SqlSafeStr,
        args: Vec<Arg>,
    ) -> Result<Option<T>, StoreError> {
        Ok(match self.raw() {
            Raw::Sqlite(c) => {
                sqlx::query_as_with(sql, bind::<Sqlite>(args)?)
                    .fetch_optional(c)
                    .await?
            }
            Raw::Postgres(c) => {
                sqlx::query_as_with(sql, bind::<Postgres>(args)?)
                    .fetch_optional(c)
                    .await?
            }
        })
    }
}

/// Splits one line of COPY text output: tab-separated, `\\N` for NULL, backslash escapes.
fn copy_fields(line: &[u8]) -> Result<Vec<Option<Cow<'_, str>>>, StoreError> {
    let line = std::str::from_utf8(line).map_err(|e| StoreError::Database(format!("copy output: {e}")))?;
    Ok(line
        .split('\t')
        .map(|field| match field {
            "\\N" => None,
            plain if !plain.contains('\\') => Some(Cow::Borrowed(plain)),
            escaped => Some(Cow::Owned(unescape(escaped))),
        })
        .collect())
}

fn unescape(field: &str) -> String {
    let mut text = String::with_capacity(field.len());
    let mut chars = field.chars();
    while let Some(c) = chars.next() {
        if c != '\\' {
            text.push(c);
            continue;
        }
        match chars.next() {
            Some('t') => text.push('\t'),
            Some('n') => text.push('\n'),
            Some('r') => text.push('\r'),
            Some(other) => text.push(other),
            None => {}
        }
    }
    text
}

/// Turns [`Arg`]s into a backend's argument buffer.
fn bind<DB: Database>(args: Vec<Arg>) -> Result<DB::Arguments, StoreError>
where
    for<'t> Option<String>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<i64>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<f64>: Encode<'t, DB> + Type<DB>,
    for<'t> Option<NaiveDate>: Encode<'t, DB> + Type<DB>,
{
    let mut out = DB::Arguments::default();
    for arg in args {
        let res = match arg {
            Arg::Text(v) => out.add(v),
            Arg::Int(v) => out.add(v),
            Arg::Real(v) => out.add(v),
            Arg::Date(v) => out.add(v),
        };
        res.map_err(|e| StoreError::InvalidInput(format!("cannot bind a value: {e}")))?;
    }
    Ok(out)
}

impl From<&str> for Arg {
    fn from(v: &str) -> Self {
        Arg::Text(Some(v.to_owned()))
    }
}
impl From<String> for Arg {
    fn from(v: String) -> Self {
        Arg::Text(Some(v))
    }
}
impl From<&String> for Arg {
    fn from(v: &String) -> Self {
        Arg::Text(Some(v.clone()))
    }
}
impl From<Option<String>> for Arg {
    fn from(v: Option<String>) -> Self {
        Arg::Text(v)
    }
}
impl From<Option<&str>> for Arg {
    fn from(v: Option<&str>) -> Self {
        Arg::Text(v.map(str::to_owned))
    }
}
impl From<i64> for Arg {
    fn from(v: i64) -> Self {
        Arg::Int(Some(v))
    }
}
impl From<Option<i64>> for Arg {
    fn from(v: Option<i64>) -> Self {
        Arg::Int(v)
    }
}
impl From<f64> for Arg {
    fn from(v: f64) -> Self {
        Arg::Real(Some(v))
    }
}
impl From<NaiveDate> for Arg {
    fn from(v: NaiveDate) -> Self {
        Arg::Date(Some(v))
    }
}
impl From<Option<NaiveDate>> for Arg {
    fn from(v: Option<NaiveDate>) -> Self {
        Arg::Date(v)
    }
}

/// `$first, $first+1, …` for `n` binds: the only SQL this crate builds at run time (every value
/// is still bound), used for `in (…)` lists.
pub(crate) fn placeholders(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// Wraps SQL built from constants and [`placeholders`] only.
pub(crate) fn dynamic(sql: String) -> sqlx::AssertSqlSafe<String> {
    sqlx::AssertSqlSafe(sql)
}
