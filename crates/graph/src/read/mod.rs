//! The read side of the store.

mod bilateral;
mod entity;
mod event;
mod graph;
mod ties;
mod timeline;

pub use bilateral::{BilateralQuery, BilateralView, Interval, SeriesPoint};
pub use entity::MAX_SEARCH;
pub(crate) use event::{corrupt, entity_id};
pub use graph::{MAX_DEPTH, MAX_PATH, NeighborhoodQuery};
pub use ties::{KindCounts, PartnerTie, TiesQuery, TiesView};
pub use timeline::{MEETING_KINDS, TimelineQuery};
