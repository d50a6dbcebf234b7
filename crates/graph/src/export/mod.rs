//! Bulk export: every event matching a filter, the entity graph with aggregated edges, and the
//! entities and articles behind them, in keyset pages, plus the writers of every export format,
//! which write each page out before reading the next (flat memory).
//!
//! Events come in event-id order, each with its participants, places and every mention; the
//! graph is the entities taking part in matching events (in id order) and one edge per pair of
//! entities that share an event (in `(a, b)` order, `a < b`), weighted by the events they share.
//!
//! Layout:
//! - `flat` — the pages of one-row-per-event formats (CSV): four queries per page, each
//!   answered by the database as one JSON array, read one page ahead of the writer.
//! - `pages` — [`Store::export_events`], [`Store::export_nodes`], [`Store::export_edges`]; pages
//!   are filled by `read::load_events`, the loader every event view uses.
//! - `records` — the lines of the `jsonl` format ([`Record`]): entities with aliases and
//!   affiliations, articles, events with full provenance; what `import --format jsonl` reads back.
//! - `backup` — the pages of entity and article records, and events as records.
//! - `write` — [`ExportFormat`] and [`Store::write_export`]: every format, chunk by chunk, into an
//!   [`ExportSink`] (a file for the binary, a response body for the API).

mod backup;
mod flat;
mod pages;
mod records;
mod write;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality};

use crate::error::StoreError;
use crate::filter::EventFilter;

pub(crate) use pages::{encode_cursor, event_where, page_cursor};
pub use records::{
    AffiliationRecord, AliasRecord, ArticleRecord, EntityRecord, EventRecord, MentionRecord, Record,
};
pub use write::{CSV_HEADER, ExportFormat, ExportSink, JSONLD_VOCAB, gdelt_event_id};

/// Largest export page.
pub const MAX_EXPORT_PAGE: u32 = 10_000;

/// Which events an export holds: a date range on the event's first day (either end open; with
/// any bound, undated events are left out), kinds (empty: all), a country (events in which
/// someone acting for it takes part) and a modality (`None`: every modality).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExportFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kinds: Vec<EventKind>,
    pub country: Option<CountryCode>,
    pub modality: Option<Modality>,
}

/// A page of an export: `cursor` is the previous page's `next_cursor` (`None` first), `limit`
/// 32–10 000 items.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ExportPage {
    pub cursor: Option<String>,
    pub limit: u32,
}

impl Default for ExportPage {
    fn default() -> Self {
        Self {
            cursor: None,
            limit: 1_000,
        }
    }
}

impl ExportFilter {
    /// Checks the filter (a `from` after `to`, say) before anything is read or written.
    pub fn check(&self) -> Result<(), StoreError> {
        self.as_event_filter().check()
    }

    /// Whether the filter keeps every event: a full export, and a backup.
    pub fn is_everything(&self) -> bool {
        *self == ExportFilter::default()
    }

    pub(crate) fn as_event_filter(&self) -> EventFilter {
        EventFilter {
            from: self.from,
            to: self.to,
            kinds: self.kinds.clone(),
            modality: self.modality.unwrap_or_default(),
        }
    }
}
