//! Every export format, written page by page into an [`ExportSink`]: the binary's sink is a
//! file or standard output, the API's a streamed response body. Each page read from the store
//! becomes one chunk (about 64 KiB or more), so memory stays flat however large the store.
//!
//! Layout:
//! - `mod` — [`ExportFormat`], [`ExportSink`], [`Store::write_export`] and the paging loop.
//! - `csv` — one row per event (RFC 4180).
//! - `jsonl` — entity, article and event records (`records`), one per line.
//! - `xml` — GraphML and GEXF 1.2 of the entity graph.
//! - `jsonld` — JSON-LD with an inline context (schema.org where it fits).
//! - `gdelt` — GDELT 2.0 event rows (61 tab-separated columns).

mod csv;
mod gdelt;
mod jsonl;
mod jsonld;
mod xml;

use std::future::Future;

use diplograph_core::Modality;

use crate::error::StoreError;
use crate::export::flat::{FlatEvent, FlatPages};
use crate::export::{ArticleRecord, EntityRecord, EventRecord, ExportFilter, ExportPage};
use crate::model::{EdgeView, EventView, NodeView, Page};
use crate::store::Store;

pub use self::csv::CSV_HEADER;
pub use self::gdelt::gdelt_event_id;
pub use self::jsonld::VOCAB as JSONLD_VOCAB;

/// What an export writes.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum ExportFormat {
    /// One row per event.
    Csv,
    /// Entity, article and event records, one JSON object per line: a backup.
    Jsonl,
    /// The entity graph as GraphML.
    Graphml,
    /// The entity graph as GEXF 1.2.
    Gexf,
    /// Entities and events as one JSON-LD document.
    Jsonld,
    /// GDELT 2.0 event rows.
    Gdelt,
}

impl ExportFormat {
    /// Every format, in the order the documentation lists them.
    pub const ALL: [ExportFormat; 6] = [
        ExportFormat::Csv,
        ExportFormat::Jsonl,
        ExportFormat::Graphml,
        ExportFormat::Gexf,
        ExportFormat::Jsonld,
        ExportFormat::Gdelt,
    ];

    /// Parses a format name (`csv`, `jsonl`, `graphml`, `gexf`, `jsonld`, `gdelt`).
    pub fn parse(input: &str) -> Result<ExportFormat, StoreError> {
        let name = input.trim().to_ascii_lowercase();
        Self::ALL.into_iter().find(|f| f.as_str() == name).ok_or_else(|| {
            StoreError::InvalidInput(format!(
                "unknown export format {:?}: expected csv, jsonl, graphml, gexf, jsonld or gdelt",
                input.chars().take(16).collect::<String>()
            ))
        })
    }

    /// The format's name.
    pub fn as_str(self) -> &'static str {
        match self {
            ExportFormat::Csv => "csv",
            ExportFormat::Jsonl => "jsonl",
            ExportFormat::Graphml => "graphml",
            ExportFormat::Gexf => "gexf",
            ExportFormat::Jsonld => "jsonld",
            ExportFormat::Gdelt => "gdelt",
        }
    }

    /// The media type of what it writes.
    pub fn content_type(self) -> &'static str {
        match self {
            ExportFormat::Csv => "text/csv; charset=utf-8",
            ExportFormat::Jsonl => "application/x-ndjson",
            ExportFormat::Graphml => "application/graphml+xml",
            ExportFormat::Gexf => "application/gexf+xml",
            ExportFormat::Jsonld => "application/ld+json",
            ExportFormat::Gdelt => "text/tab-separated-values; charset=utf-8",
        }
    }

    /// A file name extension for it.
    pub fn extension(self) -> &'static str {
        match self {
            ExportFormat::Gdelt => "export.CSV",
            other => other.as_str(),
        }
    }

    /// Whether it holds the entity graph (aggregated edges) rather than events.
    pub fn is_graph(self) -> bool {
        matches!(self, ExportFormat::Graphml | ExportFormat::Gexf)
    }

    /// The modality kept when none is asked for: asserted events for the graph (an edge is an
    /// encounter that happened) and for GDELT (which has no modality), every modality otherwise.
    pub fn default_modality(self) -> Option<Modality> {
        (self.is_graph() || self == ExportFormat::Gdelt).then_some(Modality::Asserted)
    }
}

/// Where an export goes, one chunk at a time.
pub trait ExportSink: Send {
    /// Takes the next chunk; an error stops the export (a full disk, a client gone).
    fn write(&mut self, chunk: Vec<u8>) -> impl Future<Output = Result<(), StoreError>> + Send;
}

/// Items read per page.
const PAGE: u32 = 1_000;
/// Bytes gathered before a chunk goes to the sink.
const CHUNK: usize = 64 * 1024;

impl Store {
    /// Writes the events (or the entity graph) matching `filter` in `format` into `sink`, page
    /// by page; returns the number of items written (events, records, or nodes plus edges).
    /// A bad filter fails before anything is written.
    #[tracing::instrument(skip(self, sink))]
    pub async fn write_export<S: ExportSink>(
        &self,
        format: ExportFormat,
        filter: &ExportFilter,
        sink: &mut S,
    ) -> Result<u64, StoreError> {
        filter.check()?;
        let mut out = Out {
            store: self,
            filter,
            buf: Vec::with_capacity(2 * CHUNK),
            sink,
        };
        let written = match format {
            ExportFormat::Csv => csv::write(&mut out).await?,
            ExportFormat::Jsonl => jsonl::write(&mut out).await?,
            ExportFormat::Graphml => xml::graphml(&mut out).await?,
            ExportFormat::Gexf => xml::gexf(&mut out).await?,
            ExportFormat::Jsonld => jsonld::write(&mut out).await?,
            ExportFormat::Gdelt => gdelt::write(&mut out).await?,
        };
        out.flush(true).await?;
        Ok(written)
    }
}

/// An export in progress: the store and filter it reads, the bytes not yet handed to the sink.
pub(crate) struct Out<'a, S: ExportSink> {
    store: &'a Store,
    filter: &'a ExportFilter,
    pub(crate) buf: Vec<u8>,
    sink: &'a mut S,
}

impl<S: ExportSink> Out<'_, S> {
    /// Hands the buffer to the sink once it is large enough (or always, at the end).
    async fn flush(&mut self, all: bool) -> Result<(), StoreError> {
        if self.buf.is_empty() || (!all && self.buf.len() < CHUNK) {
            return Ok(());
        }
        let chunk = std::mem::replace(&mut self.buf, Vec::with_capacity(2 * CHUNK));
        self.sink.write(chunk).await
    }

    /// Reads every page of `T` and writes each item with `write`; returns how many.
    async fn each<T: Paged>(
        &mut self,
        mut write: impl FnMut(&T, &mut Vec<u8>) -> Result<(), StoreError> + Send,
    ) -> Result<u64, StoreError> {
        let mut page = ExportPage {
            cursor: None,
            limit: PAGE,
        };
        let mut written = 0u64;
        loop {
            let items = T::page(self.store, self.filter, &page).await?;
            for item in &items.items {
                write(item, &mut self.buf)?;
                written += 1;
            }
            self.flush(false).await?;
            match items.next_cursor {
                Some(cursor) => page.cursor = Some(cursor),
                None => return Ok(written),
            }
        }
    }
}

impl<S: ExportSink> Out<'_, S> {
    /// Reads every event of the filter by the flat path (`export::flat`) and writes each with
    /// `write`; returns how many events were read.
    async fn each_flat(
        &mut self,
        mut write: impl FnMut(&FlatEvent<'_>, &mut Vec<u8>),
    ) -> Result<u64, StoreError> {
        let mut pages = FlatPages::start(self.store, self.filter);
        let mut read = 0u64;
        // Chunks of a page, cut as the rows are written and handed on after it: chunk-sized
        // buffers are reused by the allocator, where one buffer per page would be fresh pages.
        let mut chunks: Vec<Vec<u8>> = Vec::new();
        while let Some(page) = pages.next().await? {
            read += page.each(&pages.names, |event| {
                write(event, &mut self.buf);
                if self.buf.len() >= CHUNK {
                    chunks.push(std::mem::replace(&mut self.buf, Vec::with_capacity(2 * CHUNK)));
                }
            })?;
            for chunk in chunks.drain(..) {
                self.sink.write(chunk).await?;
            }
        }
        Ok(read)
    }
}

/// Something the store exports in keyset pages.
pub(crate) trait Paged: Sized + Send + Sync {
    fn page(
        store: &Store,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> impl Future<Output = Result<Page<Self>, StoreError>> + Send;
}

impl Paged for EventView {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_events(filter, page).await
    }
}

impl Paged for EventRecord {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_event_records(filter, page).await
    }
}

impl Paged for EntityRecord {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_entity_records(filter, page).await
    }
}

impl Paged for ArticleRecord {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_article_records(filter, page).await
    }
}

impl Paged for NodeView {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_nodes(filter, page).await
    }
}

impl Paged for EdgeView {
    async fn page(store: &Store, filter: &ExportFilter, page: &ExportPage) -> Result<Page<Self>, StoreError> {
        store.export_edges(filter, page).await
    }
}

/// A JSON value into the buffer.
fn json(buf: &mut Vec<u8>, value: &impl serde::Serialize) -> Result<(), StoreError> {
    serde_json::to_writer(buf, value).map_err(|e| StoreError::Io(format!("cannot encode JSON: {e}")))
}
