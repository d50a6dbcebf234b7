//! [`Store`]: one concrete, cloneable handle over SQLite or PostgreSQL, picked from the URL scheme.

mod cache;
mod connect;
mod version;

use std::fmt;
use std::sync::atomic::AtomicI64;
use std::sync::{Arc, RwLock};

use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};
use tokio::sync::Mutex;

use crate::db::Conn;
use crate::error::StoreError;
use crate::memory::{Memory, Views};

static SQLITE_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/sqlite");
static POSTGRES_MIGRATOR: Migrator = sqlx::migrate!("../../migrations/postgres");

/// The record of everything diplograph knows: articles, entities, events, mentions and rollups.
///
/// Cheap to clone (pools are reference-counted). `Debug` never shows a password.
#[derive(Clone)]
pub struct Store {
    backend: Backend,
    /// The URL with its password masked, for messages.
    shown_url: Arc<str>,
    /// Serializes writers inside this process, so concurrent applies cannot both create the same
    /// event; the database-level lock (BEGIN IMMEDIATE, an advisory lock) covers other processes.
    write_lock: Arc<Mutex<()>>,
    /// The projection, rollups and timelines in memory, once loaded (at start-up, or by the
    /// first graph query); kept in step by every apply, merge and import of this process.
    memory: Arc<RwLock<Option<Memory>>>,
    /// Whole events recently read.
    views: Arc<Views>,
    /// Whether reads may be answered from `memory` (false for [`Store::uncached`]).
    use_memory: bool,
    /// The `store_version` this process last wrote or loaded its memory at; -1 before either
    /// (see `version`).
    seen_version: Arc<AtomicI64>,
}

#[derive(Clone)]
pub(crate) enum Backend {
    Sqlite(SqlitePool),
    Postgres(PgPool),
}

impl Store {
    /// Opens the database a URL names: `sqlite://file.db?mode=rwc`, `sqlite::memory:`,
    /// `postgres://user:password@host:5432/db` (or `postgresql://`).
    ///
    /// Fails with a one-line [`StoreError::Connect`] naming the problem: an unsupported scheme, a
    /// malformed URL, a missing directory or file, an unreachable server, a rejected login.
    #[tracing::instrument(skip_all)]
    pub async fn connect(url: &str) -> Result<Store, StoreError> {
        let url = url.trim();
        let backend = match connect::scheme(url)? {
            connect::Scheme::Sqlite => Backend::Sqlite(connect::sqlite(url).await?),
            connect::Scheme::Postgres => Backend::Postgres(connect::postgres(url).await?),
        };
        Ok(Store {
            backend,
            shown_url: connect::redact(url).into(),
            write_lock: Arc::new(Mutex::new(())),
            memory: Arc::new(RwLock::new(None)),
            views: Arc::new(Views::default()),
            use_memory: true,
            seen_version: Arc::new(AtomicI64::new(-1)),
        })
    }

    /// Applies the migrations that have not run yet.
    #[tracing::instrument(skip_all)]
    pub async fn migrate(&self) -> Result<(), StoreError> {
        match &self.backend {
            Backend::Sqlite(pool) => SQLITE_MIGRATOR.run(pool).await?,
            Backend::Postgres(pool) => POSTGRES_MIGRATOR.run(pool).await?,
        }
        // A bulk import drops some secondary indexes while it loads; one that was killed
        // part-way has not put them back yet.
        let mut conn = self.conn().await?;
        crate::import::ensure_indexes(&mut conn).await
    }

    /// Checks that the database answers (for `/readyz`).
    pub async fn ping(&self) -> Result<(), StoreError> {
        let mut conn = self.conn().await?;
        conn.execute("select 1", Vec::new()).await?;
        Ok(())
    }

    /// `"sqlite"` or `"postgres"`.
    pub fn backend_name(&self) -> &'static str {
        match &self.backend {
            Backend::Sqlite(_) => "sqlite",
            Backend::Postgres(_) => "postgres",
        }
    }

    /// Closes every connection; later calls fail.
    pub async fn close(&self) {
        match &self.backend {
            Backend::Sqlite(pool) => pool.close().await,
            Backend::Postgres(pool) => pool.close().await,
        }
    }

    /// A pooled connection for reads.
    pub(crate) async fn conn(&self) -> Result<Conn, StoreError> {
        Conn::acquire(&self.backend).await
    }

    /// The in-process writer lock alone, for writers that manage their own transactions.
    pub(crate) async fn write_guard(&self) -> tokio::sync::MutexGuard<'_, ()> {
        self.write_lock.lock().await
    }

    /// A write transaction, serialized against other writers.
    pub(crate) async fn begin_write(&self) -> Result<(tokio::sync::MutexGuard<'_, ()>, Conn), StoreError> {
        let guard = self.write_lock.lock().await;
        let conn = Conn::begin_write(&self.backend).await?;
        Ok((guard, conn))
    }
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend_name())
            .field("url", &self.shown_url)
            .finish()
    }
}
