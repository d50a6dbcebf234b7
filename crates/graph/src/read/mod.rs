//! The read side of the store.

mod entity;
mod event;
mod ties;
mod timeline;

pub use entity::MAX_SEARCH;
pub(crate) use event::corrupt;
pub use ties::{KindCounts, PartnerTie, TiesQuery, TiesView};
pub use timeline::{MEETING_KINDS, TimelineQuery};
