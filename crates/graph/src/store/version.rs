//! Noticing other writers. The in-memory graph, rollups and timelines are kept in step by this
//! process's own writes; another process writing to the same database (`diplograph ingest` or
//! `import` next to a running server) would leave them behind. Every write transaction therefore
//! adds one to `store_version` before it commits ([`Store::count_write`]), and the store
//! remembers the version its memory reflects. A write that finds the counter moved by more than
//! its own one, or [`Store::catch_up`] polled by the server, reloads the memory.

use std::sync::atomic::Ordering;

use crate::db::Conn;
use crate::error::StoreError;
use crate::store::Store;

const BUMP: &str = "update store_version set version = version + 1 where id = 1 returning version";
const READ: &str = "select version from store_version where id = 1";

/// What counting a write found: the new version, and whether another process wrote since this
/// one last looked.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Counted {
    version: i64,
    foreign: bool,
}

impl Store {
    /// Counts a write; call it inside the write transaction, just before the commit.
    pub(crate) async fn count_write(&self, conn: &mut Conn) -> Result<Counted, StoreError> {
        let (version,): (i64,) = conn
            .fetch_optional(BUMP, Vec::new())
            .await?
            .ok_or_else(|| StoreError::Database("store_version has no row".into()))?;
        let seen = self.seen_version.load(Ordering::Acquire);
        Ok(Counted {
            version,
            foreign: seen >= 0 && version != seen + 1,
        })
    }

    /// After the commit of a counted write: remembers its version and, when another process
    /// wrote in between, reloads the memory. The caller holds the write lock.
    pub(crate) async fn written(&self, counted: Counted) -> Result<(), StoreError> {
        self.seen_version.store(counted.version, Ordering::Release);
        if counted.foreign {
            tracing::info!("the store changed outside this process: reloading the memory");
            self.refresh_memory().await?;
        }
        Ok(())
    }

    /// Remembers the version after a counted write whose caller refreshes the memory itself.
    pub(crate) fn note_version(&self, counted: Counted) {
        self.seen_version.store(counted.version, Ordering::Release);
    }

    /// Reads the version the store is at now (for the memory about to be loaded).
    pub(crate) async fn read_version(&self, conn: &mut Conn) -> Result<i64, StoreError> {
        let (version,): (i64,) = conn
            .fetch_optional(READ, Vec::new())
            .await?
            .ok_or_else(|| StoreError::Database("store_version has no row".into()))?;
        Ok(version)
    }

    /// Catches up with writes of other processes: when the store's version is not the one this
    /// process last wrote or loaded, reloads the memory (if loaded) and forgets cached events.
    /// Returns whether anything had changed. Cheap when nothing did: one read of one row.
    pub async fn catch_up(&self) -> Result<bool, StoreError> {
        let now = self.read_version(&mut self.conn().await?).await?;
        if now == self.seen_version.load(Ordering::Acquire) {
            return Ok(false);
        }
        let _guard = self.write_guard().await;
        let mut conn = self.conn().await?;
        let now = self.read_version(&mut conn).await?;
        drop(conn);
        if now == self.seen_version.load(Ordering::Acquire) {
            return Ok(false);
        }
        if self.memory_loaded() {
            tracing::info!(
                version = now,
                "the store changed outside this process: reloading the memory"
            );
        }
        // `refresh_memory` reads the version again for what it loads; without memory, note it here.
        self.seen_version.store(now, Ordering::Release);
        self.refresh_memory().await?;
        Ok(true)
    }
}
