//! diplograph-graph: the store of articles, entities, events and mentions (SQLite or PostgreSQL),
//! entity resolution, event de-duplication, tie rollups and the queries users ask.
//!
//! Layout:
//! - `store` — [`Store`]: connect (URL scheme picks the backend), migrate, ping.
//! - `apply` — [`Store::apply`]: one extraction, one transaction, idempotent.
//! - `resolve` — entity resolution (countries, people, organizations, places) and aliases.
//! - `events` — the event identity rule, event/participant/place/mention rows.
//! - `rollup` — country-level tie rollups ([`Direction`]) kept in the apply transaction.
//! - `read` — the read side: events, entities, timelines, ties.
//! - `filter` — query options: [`EventFilter`], [`Subject`], [`PageRequest`], cursors.
//! - `model`, `ids` — what the store hands back: [`ApplyReport`], views, [`EventId`], [`ArticleId`].
//! - `validate` — extraction checks before any write.
//! - `db` — one statement on either backend: `Conn`, `Arg`, shared `$N` SQL.
//! - `error` — [`StoreError`], the only place sqlx errors are matched.

mod apply;
mod db;
mod error;
mod events;
mod filter;
mod ids;
mod model;
mod read;
mod recount;
mod resolve;
mod rollup;
mod store;
mod validate;

pub use error::StoreError;
pub use filter::{EventFilter, MAX_LIMIT, PageRequest, Subject};
pub use ids::{ArticleId, EventId};
pub use model::{ApplyReport, EntityView, EventView, MentionView, Page, ParticipantView, PlaceView};
pub use read::{KindCounts, MAX_SEARCH, MEETING_KINDS, PartnerTie, TiesQuery, TiesView, TimelineQuery};
pub use rollup::Direction;
pub use store::Store;
