//! What the store keeps in memory to answer reads without scanning tables (DESIGN §4): the
//! graph projection, the tie rollups, and the timelines' event skeleton, loaded together at
//! start-up (or by the first graph query) and kept in step by every apply of this process;
//! merge and import reload them. Recently read events are kept whole in [`Views`].
//!
//! Layout:
//! - `mod` — [`Memory`], adding what an apply stored.
//! - `load` — loading it from the store.
//! - `rollups` — ties and day series per country.
//! - `timelines` — events per entity and per country, newest first.
//! - `views` — a bounded cache of whole events.

mod load;
mod rollups;
mod timelines;
mod views;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityKind, EventKind, Modality, Role};

pub(crate) use load::load;
pub(crate) use rollups::Rollups;
pub(crate) use timelines::{Timelines, uuid_key, uuid_text};
pub(crate) use views::Views;

use crate::events::UNDATED_SORT_DAY;
use crate::memory::rollups::Counted;
use crate::memory::timelines::Skeleton;
use crate::projection::{EventEdge, Node, Projection};
use crate::rollup::contributions;

/// The in-memory views of the store.
pub(crate) struct Memory {
    pub(crate) projection: Projection,
    pub(crate) rollups: Rollups,
    pub(crate) timelines: Timelines,
    /// Whether every stored event id is a uuid: timelines are served from memory only then.
    pub(crate) exact: bool,
}

/// An event an apply created, for the memory.
pub(crate) struct NewEvent {
    pub(crate) id: String,
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    pub(crate) first_day: Option<NaiveDate>,
    pub(crate) last_day: Option<NaiveDate>,
    pub(crate) participants: Vec<(String, Role, Option<CountryCode>)>,
}

impl Memory {
    /// Adds an entity an apply created.
    pub(crate) fn add_node(&mut self, node: Node) {
        if node.kind == EntityKind::Country
            && let Some(code) = node.country
        {
            self.rollups.set_name(code, node.name.clone());
        }
        self.timelines.entity(&node.id);
        self.projection.upsert_node(node);
    }

    /// Adds an event an apply created: to the projection (asserted only), the rollups and the
    /// timelines.
    pub(crate) fn add_event(&mut self, event: &NewEvent) {
        let roles: Vec<(Role, Option<CountryCode>)> =
            event.participants.iter().map(|(_, r, c)| (*r, *c)).collect();
        let counted = Counted {
            id: &event.id,
            kind: event.kind,
            modality: event.modality,
            first_day: event.first_day,
            last_day: event.last_day,
        };
        self.rollups.add(&counted, &contributions(event.kind, &roles));
        if event.modality == Modality::Asserted {
            let entities: Vec<String> = event.participants.iter().map(|(e, _, _)| e.clone()).collect();
            self.projection.add_event(&EventEdge {
                kind: event.kind,
                first_day: event.first_day,
                last_day: event.last_day,
                entities: &entities,
            });
        }
        let Some(id) = uuid_key(&event.id) else {
            self.exact = false;
            return;
        };
        let participants: Vec<(&str, Role, Option<CountryCode>)> = event
            .participants
            .iter()
            .map(|(e, r, c)| (e.as_str(), *r, *c))
            .collect();
        self.timelines.insert(&Skeleton {
            id,
            kind: event.kind,
            modality: event.modality,
            sort_day: event.first_day.unwrap_or(UNDATED_SORT_DAY),
            participants: &participants,
        });
    }
}
