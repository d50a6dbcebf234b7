//! [`Store`]: one concrete, cloneable handle over SQLite or PostgreSQL, picked from the URL scheme.

mod connect;

use std::fmt;
use std::sync::{Arc, RwLock};

use sqlx::migrate::Migrator;
use sqlx::{PgPool, SqlitePool};
use tokio::sync::Mutex;

use crate::db::Conn;
use crate::error::StoreError;
use crate::projection::{self, Projection};

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
    /// The graph projection, once loaded (at start-up, or by the first graph query); kept in step
    /// by every apply and merge of this process.
    projection: Arc<RwLock<Option<Projection>>>,
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
            projection: Arc::new(RwLock::new(None)),
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

impl Store {
    /// Builds the graph projection from the store (call at start-up; graph queries otherwise
    /// build it on first use) and returns its node and edge counts.
    #[tracing::instrument(skip_all)]
    pub async fn load_projection(&self) -> Result<(usize, usize), StoreError> {
        // Holding the write lock means no apply can land between the read and the install.
        let _guard = self.write_lock.lock().await;
        self.reload_projection().await
    }

    /// Rebuilds the projection; the caller holds the write lock.
    pub(crate) async fn reload_projection(&self) -> Result<(usize, usize), StoreError> {
        let mut conn = self.conn().await?;
        let loaded = projection::load(&mut conn).await?;
        let size = loaded.size();
        *self.projection.write().map_err(|_| poisoned())? = Some(loaded);
        tracing::info!(nodes = size.0, edges = size.1, "projection loaded");
        Ok(size)
    }

    /// Runs a read over the projection, building it first if needed.
    pub(crate) async fn with_projection<T>(
        &self,
        read: impl FnOnce(&Projection) -> T,
    ) -> Result<T, StoreError> {
        if self.projection.read().map_err(|_| poisoned())?.is_none() {
            let _guard = self.write_lock.lock().await;
            if self.projection.read().map_err(|_| poisoned())?.is_none() {
                self.reload_projection().await?;
            }
        }
        let guard = self.projection.read().map_err(|_| poisoned())?;
        guard
            .as_ref()
            .map(read)
            .ok_or_else(|| StoreError::Database("projection not loaded".into()))
    }

    /// Applies a change to the projection if it is loaded; the caller holds the write lock.
    pub(crate) fn update_projection(&self, change: impl FnOnce(&mut Projection)) -> Result<(), StoreError> {
        if let Some(projection) = self.projection.write().map_err(|_| poisoned())?.as_mut() {
            change(projection);
        }
        Ok(())
    }

    /// Rebuilds whatever in-memory view is loaded after a bulk import changed the store.
    pub(crate) async fn refresh_caches_after_import(&self) -> Result<(), StoreError> {
        if self.projection_loaded() {
            let _guard = self.write_lock.lock().await;
            self.reload_projection().await?;
        }
        Ok(())
    }

    /// Whether the projection is loaded.
    pub(crate) fn projection_loaded(&self) -> bool {
        self.projection.read().is_ok_and(|p| p.is_some())
    }
}

fn poisoned() -> StoreError {
    StoreError::Database("projection lock poisoned by a panic".into())
}

impl fmt::Debug for Store {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Store")
            .field("backend", &self.backend_name())
            .field("url", &self.shown_url)
            .finish()
    }
}
