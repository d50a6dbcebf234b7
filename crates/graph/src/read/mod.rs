//! The read side of the store.

mod bilateral;
mod entity;
mod event;
mod graph;
mod stats;
mod ties;
mod timeline;

pub(crate) use bilateral::series_of;
pub use bilateral::{BilateralQuery, BilateralView, Interval, SeriesPoint};
pub use entity::MAX_SEARCH;
pub(crate) use event::{corrupt, country, entity_id, load_events};
pub use graph::{MAX_DEPTH, MAX_PATH, NeighborhoodQuery};
pub use stats::StoreCounts;
pub use ties::{KindCounts, PartnerTie, TiesQuery, TiesView};
pub(crate) use ties::{empty_tie, min_opt, settle_tone};
pub use timeline::{MEETING_KINDS, TimelineQuery};
