//! The store's in-memory side: loading [`Memory`], reading through it, keeping it in step, and
//! the cache of whole events. The database stays the record: everything here can be rebuilt
//! from it, and [`Store::uncached`] answers the same reads from SQL alone.

use std::sync::Arc;

use crate::error::StoreError;
use crate::ids::EventId;
use crate::memory::{self, Memory};
use crate::model::EventView;
use crate::projection::Projection;
use crate::read::load_events;
use crate::store::{Backend, Store};

impl Store {
    /// Loads the in-memory views from the store: the graph projection, the tie rollups and the
    /// timelines (call at start-up; graph queries otherwise load them on first use). Returns
    /// the projection's node and edge counts.
    #[tracing::instrument(skip_all)]
    pub async fn load_projection(&self) -> Result<(usize, usize), StoreError> {
        // Holding the write lock means no apply can land between the read and the install.
        let _guard = self.write_guard().await;
        self.reload_memory().await
    }

    /// A handle on the same database that answers ties, series, timelines and country
    /// centrality from SQL alone, never from memory: for checking the caches, and for
    /// operators who suspect them. Graph queries still use the projection.
    pub fn uncached(&self) -> Store {
        Store {
            use_memory: false,
            ..self.clone()
        }
    }

    /// Rebuilds the memory; the caller holds the write lock.
    pub(crate) async fn reload_memory(&self) -> Result<(usize, usize), StoreError> {
        let started = std::time::Instant::now();
        let mut first = self.conn().await?;
        // A second connection loads the rollups alongside, unless the pool has only one (an
        // in-memory SQLite database), which the first already holds.
        let mut second = if self.max_connections() > 1 {
            Some(self.conn().await?)
        } else {
            None
        };
        // Read before the data: a write landing in between makes the next check reload again.
        let version = self.read_version(&mut first).await?;
        let loaded = memory::load(&mut first, second.as_mut()).await?;
        let size = loaded.projection.size();
        let events = loaded.timelines.len();
        *self.memory.write().map_err(|_| poisoned())? = Some(loaded);
        self.seen_version
            .store(version, std::sync::atomic::Ordering::Release);
        self.views.clear();
        tracing::info!(
            nodes = size.0,
            edges = size.1,
            events,
            seconds = started.elapsed().as_secs_f64(),
            "projection, rollups and timelines loaded"
        );
        Ok(size)
    }

    fn max_connections(&self) -> u32 {
        match &self.backend {
            Backend::Sqlite(pool) => pool.options().get_max_connections(),
            Backend::Postgres(pool) => pool.options().get_max_connections(),
        }
    }

    /// Runs a read over the projection, loading the memory first if needed.
    pub(crate) async fn with_projection<T>(
        &self,
        read: impl FnOnce(&Projection) -> T,
    ) -> Result<T, StoreError> {
        if !self.memory_loaded() {
            let _guard = self.write_guard().await;
            if !self.memory_loaded() {
                self.reload_memory().await?;
            }
        }
        let guard = self.memory.read().map_err(|_| poisoned())?;
        guard
            .as_ref()
            .map(|m| read(&m.projection))
            .ok_or_else(|| StoreError::Database("projection not loaded".into()))
    }

    /// Runs a read over the memory when it is loaded and this handle may use it; `None` means
    /// "ask SQL". Never loads: a first ties or timeline call is not worth a full load.
    pub(crate) fn read_memory<T>(&self, read: impl FnOnce(&Memory) -> Option<T>) -> Option<T> {
        if !self.use_memory {
            return None;
        }
        let guard = self.memory.read().ok()?;
        guard.as_ref().and_then(read)
    }

    /// Applies a change to the memory if it is loaded; the caller holds the write lock.
    pub(crate) fn update_memory(&self, change: impl FnOnce(&mut Memory)) -> Result<(), StoreError> {
        if let Some(memory) = self.memory.write().map_err(|_| poisoned())?.as_mut() {
            change(memory);
        }
        Ok(())
    }

    /// Forgets cached events whose mentions or places changed.
    pub(crate) fn forget_events<'a>(&self, ids: impl IntoIterator<Item = &'a EventId>) {
        self.views.forget(ids.into_iter().map(EventId::as_str));
    }

    /// Rebuilds the loaded memory after a bulk change (import, merge); the caller holds the
    /// write lock.
    pub(crate) async fn refresh_memory(&self) -> Result<(), StoreError> {
        self.views.clear();
        if self.memory_loaded() {
            self.reload_memory().await?;
        }
        Ok(())
    }

    /// Rebuilds the memory after an import changed the store.
    pub(crate) async fn refresh_caches_after_import(&self) -> Result<(), StoreError> {
        let _guard = self.write_guard().await;
        self.refresh_memory().await
    }

    /// The projection's size, when the memory is loaded.
    pub(crate) fn memory_size(&self) -> Option<(usize, usize)> {
        self.memory.read().ok()?.as_ref().map(|m| m.projection.size())
    }

    /// Whether the memory is loaded.
    pub(crate) fn memory_loaded(&self) -> bool {
        self.memory.read().is_ok_and(|m| m.is_some())
    }

    /// The events with these ids, in the order given: cached ones from memory, the rest from
    /// the store (and then cached). Missing ids are left out.
    pub(crate) async fn events_by_id(&self, ids: &[EventId]) -> Result<Vec<EventView>, StoreError> {
        if !self.use_memory {
            return load_events(&mut self.conn().await?, ids).await;
        }
        let mut found: Vec<Option<Arc<EventView>>> =
            ids.iter().map(|id| self.views.get(id.as_str())).collect();
        let missing: Vec<EventId> = ids
            .iter()
            .zip(&found)
            .filter(|(_, view)| view.is_none())
            .map(|(id, _)| id.clone())
            .collect();
        if !missing.is_empty() {
            let mut conn = self.conn().await?;
            let mut loaded = load_events(&mut conn, &missing)
                .await?
                .into_iter()
                .map(Arc::new)
                .peekable();
            for (slot, id) in found.iter_mut().zip(ids) {
                if slot.is_none() && loaded.peek().is_some_and(|v| v.id == *id) {
                    let view = loaded.next().expect("peeked");
                    self.views.put(view.clone());
                    *slot = Some(view);
                }
            }
        }
        Ok(found.into_iter().flatten().map(|v| (*v).clone()).collect())
    }
}

fn poisoned() -> StoreError {
    StoreError::Database("memory lock poisoned by a panic".into())
}
