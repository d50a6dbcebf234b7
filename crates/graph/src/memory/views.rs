//! Recently read events, whole (participants, places, mentions), so that the timelines and ties
//! of busy entities are answered without reading the same events again. Bounded: two
//! generations of at most [`CAPACITY`] events each; a hit in the old one moves to the new one,
//! and when the new one is full the old one is dropped. Apply forgets the events it touched;
//! merge and import forget everything.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use crate::model::EventView;

/// Events per generation.
const CAPACITY: usize = 50_000;

/// A bounded cache of event views by id.
#[derive(Default)]
pub(crate) struct Views {
    inner: Mutex<Generations>,
}

#[derive(Default)]
struct Generations {
    young: HashMap<String, Arc<EventView>>,
    old: HashMap<String, Arc<EventView>>,
}

impl Views {
    /// The cached view of an event.
    pub(crate) fn get(&self, id: &str) -> Option<Arc<EventView>> {
        let mut g = self.inner.lock().ok()?;
        if let Some(view) = g.young.get(id) {
            return Some(view.clone());
        }
        let view = g.old.remove(id)?;
        g.put(id.to_owned(), view.clone());
        Some(view)
    }

    /// Remembers a view.
    pub(crate) fn put(&self, view: Arc<EventView>) {
        if let Ok(mut g) = self.inner.lock() {
            g.put(view.id.as_str().to_owned(), view);
        }
    }

    /// Forgets some events (their mentions or places changed).
    pub(crate) fn forget<'a>(&self, ids: impl IntoIterator<Item = &'a str>) {
        if let Ok(mut g) = self.inner.lock() {
            for id in ids {
                g.young.remove(id);
                g.old.remove(id);
            }
        }
    }

    /// Forgets everything.
    pub(crate) fn clear(&self) {
        if let Ok(mut g) = self.inner.lock() {
            *g = Generations::default();
        }
    }
}

impl Generations {
    fn put(&mut self, id: String, view: Arc<EventView>) {
        if self.young.len() >= CAPACITY {
            self.old = std::mem::take(&mut self.young);
        }
        self.young.insert(id, view);
    }
}
