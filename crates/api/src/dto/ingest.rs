//! Mirrors of the extraction (`POST /v1/extract`) and of what storing did (`POST /v1/articles`, `/batch`).

use utoipa::ToSchema;

use crate::dto::{EntityKind, ErrorDetail, EventKind, Modality, Role};

/// What the extractor found in one article (the contract of `diplograph extract`).
#[derive(ToSchema)]
pub(crate) struct Extraction {
    article: ArticleMeta,
    entities: Vec<ExtractedEntity>,
    events: Vec<ExtractedEvent>,
    warnings: Vec<Warning>,
}

#[derive(ToSchema)]
pub(crate) struct ArticleMeta {
    url: Option<String>,
    title: Option<String>,
    #[schema(value_type = Option<String>, example = "2020-07-22")]
    published: Option<String>,
    source: Option<String>,
    /// The dateline city as written.
    dateline: Option<String>,
    #[schema(value_type = Option<String>, example = "IRN")]
    home_country: Option<String>,
    /// Hex SHA-256 of the whitespace-normalized text.
    text_hash: String,
    text_bytes: u64,
    extractor: String,
}

/// An entity named in the article; `id` is local to the extraction (ISO3 for countries, `p1`…).
#[derive(ToSchema)]
pub(crate) struct ExtractedEntity {
    id: String,
    kind: EntityKind,
    name: String,
    #[schema(example = "IRQ")]
    country: Option<String>,
    title: Option<String>,
    aliases: Vec<String>,
}

#[derive(ToSchema)]
pub(crate) struct ExtractedEvent {
    kind: EventKind,
    modality: Modality,
    /// `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    date: Option<String>,
    date_end: Option<String>,
    places: Vec<PlaceRef>,
    participants: Vec<ExtractedParticipant>,
    confidence: f32,
    evidence: Evidence,
    trigger: Option<Span>,
}

#[derive(ToSchema)]
pub(crate) struct ExtractedParticipant {
    /// The local id of an entity of the extraction.
    entity: String,
    name: String,
    kind: EntityKind,
    country: Option<String>,
    role: Role,
    mention: Option<Span>,
}

#[derive(ToSchema)]
pub(crate) struct PlaceRef {
    name: String,
    country: Option<String>,
}

/// The sentence that states an event; byte offsets into the text as received.
#[derive(ToSchema)]
pub(crate) struct Evidence {
    sentence: u32,
    start: u64,
    end: u64,
    text: String,
}

/// A byte range of the text as received, with the text it covers.
#[derive(ToSchema)]
pub(crate) struct Span {
    start: u64,
    end: u64,
    text: String,
}

#[derive(ToSchema)]
pub(crate) struct Warning {
    code: String,
    message: String,
    sentence: Option<u32>,
}

/// What storing one article did.
#[derive(ToSchema)]
pub(crate) struct ApplyReport {
    article_id: String,
    /// The article was already stored (same URL or same normalized text); nothing changed.
    duplicate: bool,
    new_entities: u64,
    merged_entities: u64,
    new_events: u64,
    /// Extracted events that matched a stored event and added a mention to it.
    deduplicated_events: u64,
    /// Every event the article mentions, without repeats.
    event_ids: Vec<String>,
}

/// `POST /v1/articles`: the extraction and what was stored.
#[derive(ToSchema)]
pub(crate) struct ArticleResult {
    extraction: Extraction,
    stored: ApplyReport,
}

/// `POST /v1/articles/batch`: one result per non-blank line, in order.
#[derive(ToSchema)]
pub(crate) struct BatchResult {
    /// Non-blank lines read.
    lines: u64,
    /// Lines stored as new articles.
    stored: u64,
    /// Lines whose article was already stored.
    duplicates: u64,
    /// Lines rejected; see their `error`.
    failed: u64,
    results: Vec<BatchLine>,
}

#[derive(ToSchema)]
pub(crate) struct BatchLine {
    /// 1-based line number in the body.
    line: u64,
    /// `stored`, `duplicate` or `error`.
    status: String,
    stored: Option<ApplyReport>,
    error: Option<ErrorDetail>,
}
