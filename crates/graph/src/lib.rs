//! diplograph-graph: the store of articles, entities, events and mentions (SQLite or PostgreSQL),
//! entity resolution, event de-duplication, tie rollups and the queries users ask.
//!
//! Layout:
//! - `store` — [`Store`]: connect (URL scheme picks the backend), migrate, ping.
//! - `apply` — [`Store::apply`]: one extraction, one transaction, idempotent;
//!   [`Store::apply_batch`]: many, one transaction with a savepoint each.
//! - `resolve` — entity resolution (countries, people, organizations, places) and aliases.
//! - `events` — the event identity rule, event/participant/place/mention rows.
//! - `export` — keyset pages of events, entities, articles and the entity graph, the flat path of
//!   one-row-per-event formats, and the writers of every format ([`ExportFormat`],
//!   [`Store::write_export`]).
//! - `import` — [`Store::import`]: pre-coded events (the bench folder, GDELT 2.0) and `jsonl`
//!   exports (a restore) in bulk, resumable.
//! - `integrity` — [`Store::check_integrity`]: counts, orphaned rows, rollups against a recount.
//! - `merge` — [`Store::merge`]: fold a wrongly split entity into another, with a log.
//! - `rollup` — country-level tie rollups ([`Direction`]) kept in the apply transaction.
//! - `memory` — what reads are served from: the projection, rollups and timelines in memory, and
//!   a cache of whole events; [`Store::uncached`] reads SQL alone.
//! - `projection` — the in-memory petgraph of entities and aggregated edges; graph algorithms.
//! - `read` — the read side: events, entities, timelines, ties.
//! - `filter` — query options: [`EventFilter`], [`Subject`], [`PageRequest`], cursors.
//! - `model`, `ids` — what the store hands back: [`ApplyReport`], views, [`EventId`], [`ArticleId`].
//! - `validate` — extraction checks before any write.
//! - `db` — one statement on either backend: `Conn`, `Arg`, shared `$N` SQL.
//! - `error` — [`StoreError`], the only place sqlx errors are matched.
//! - `fasthash` — the hasher of the in-memory indexes.

mod apply;
mod db;
mod error;
mod events;
mod export;
mod fasthash;
mod filter;
mod ids;
mod import;
mod integrity;
mod memory;
mod merge;
mod model;
mod projection;
mod read;
mod recount;
mod resolve;
mod rollup;
mod store;
mod validate;

pub use error::StoreError;
pub use export::{
    AffiliationRecord, AliasRecord, ArticleRecord, CSV_HEADER, EntityRecord, EventRecord, ExportFilter,
    ExportFormat, ExportPage, ExportSink, JSONLD_VOCAB, MAX_EXPORT_PAGE, MentionRecord, Record,
    gdelt_event_id,
};
pub use filter::{EventFilter, MAX_LIMIT, PageRequest, Subject};
pub use ids::{ArticleId, EventId};
pub use import::{
    BadRow, FileOutcome, FileReport, FileStart, ImportFormat, ImportObserver, ImportOptions, ImportReport,
    MAX_BATCH_ROWS, RowCheck, Silent, check_bench_events, check_gdelt_line,
};
pub use integrity::IntegrityReport;
pub use merge::{MergeReport, MergeRequest};
pub use model::{
    ApplyReport, CentralityEntry, EdgeView, EntityView, EventView, HopView, MentionView, NeighborhoodView,
    NodeView, Page, ParticipantView, PathView, PlaceView,
};
pub use read::{
    BilateralQuery, BilateralView, Interval, KindCounts, MAX_DEPTH, MAX_PATH, MAX_SEARCH, MEETING_KINDS,
    NeighborhoodQuery, PartnerTie, SeriesPoint, StoreCounts, TiesQuery, TiesView, TimelineQuery,
};
pub use rollup::Direction;
pub use store::Store;
