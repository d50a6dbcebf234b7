//! Mirrors of the read views: events, entities, ties, bilateral series.

use utoipa::ToSchema;

use crate::dto::{EntityKind, EventKind, Modality, Role, Span};

/// One event with its participants, places and every report of it.
#[derive(ToSchema)]
pub(crate) struct Event {
    id: String,
    kind: EventKind,
    modality: Modality,
    /// `2020-07-21`, `2020-07`, `2020`, a span `2020-07-21/2020-07-22`, or null.
    date: Option<String>,
    confidence: f64,
    participants: Vec<EventParticipant>,
    places: Vec<Place>,
    /// The sentences that report the event, oldest first.
    mentions: Vec<Mention>,
}

#[derive(ToSchema)]
pub(crate) struct EventParticipant {
    entity_id: String,
    name: String,
    kind: EntityKind,
    role: Role,
    /// The country the entity acted for at the time.
    country: Option<String>,
}

#[derive(ToSchema)]
pub(crate) struct Place {
    entity_id: Option<String>,
    name: String,
    country: Option<String>,
}

/// One report of an event: the article and the sentence that says it.
#[derive(ToSchema)]
pub(crate) struct Mention {
    article_id: String,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
    /// 0-based sentence index in the article body.
    sentence: u32,
    /// Byte offsets of the sentence in the article text as received.
    start: u64,
    end: u64,
    evidence: String,
    trigger: Option<Span>,
    extractor: String,
}

/// A page of events, newest first; pass `next_cursor` back as `cursor` for the next page.
#[derive(ToSchema)]
pub(crate) struct EventPage {
    items: Vec<Event>,
    next_cursor: Option<String>,
}

/// A country, person, organization or place with aliases and affiliations.
#[derive(ToSchema)]
pub(crate) struct Entity {
    id: String,
    kind: EntityKind,
    name: String,
    country: Option<String>,
    aliases: Vec<String>,
    affiliations: Vec<Affiliation>,
}

/// A person's office in a country's service.
#[derive(ToSchema)]
pub(crate) struct Affiliation {
    country: String,
    title: Option<String>,
    from: Option<String>,
    to: Option<String>,
}

/// A list of entities.
#[derive(ToSchema)]
pub(crate) struct EntityList {
    items: Vec<Entity>,
}

/// A country's bilateral ties.
#[derive(ToSchema)]
pub(crate) struct Ties {
    country: String,
    /// Partners, most events first.
    partners: Vec<PartnerTie>,
    /// The country's latest events under the same filter, newest first.
    latest_events: Vec<Event>,
}

#[derive(ToSchema)]
pub(crate) struct PartnerTie {
    partner: String,
    name: Option<String>,
    total: i64,
    kinds: Vec<KindCounts>,
    #[schema(value_type = Option<String>, format = Date)]
    first_day: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    last_day: Option<String>,
    /// Goldstein sum and mean over the counted events.
    tone_sum: f64,
    tone_mean: f64,
    last_event_id: Option<String>,
}

/// Counts of one kind by direction, seen from the country.
#[derive(ToSchema)]
pub(crate) struct KindCounts {
    kind: EventKind,
    total: i64,
    /// The country acted (its visits abroad).
    out: i64,
    /// The partner acted on the country (visits received).
    #[schema(rename = "in")]
    incoming: i64,
    /// Symmetric kinds (meetings, talks, calls, agreements).
    mutual: i64,
}

/// One bilateral relationship seen from `country`: a time series and the events.
#[derive(ToSchema)]
pub(crate) struct Bilateral {
    country: String,
    partner: String,
    /// `day`, `week`, `month` or `year`.
    interval: String,
    /// Periods with at least one dated event, oldest first.
    series: Vec<SeriesPoint>,
    /// The events between the two, newest first.
    events: EventPage,
}

/// A time series between two countries (`GET /v1/stats/timeseries`).
#[derive(ToSchema)]
pub(crate) struct Timeseries {
    country: String,
    partner: String,
    interval: String,
    series: Vec<SeriesPoint>,
}

/// One period of a series.
#[derive(ToSchema)]
pub(crate) struct SeriesPoint {
    /// `2020-07-21`, `2020-W30`, `2020-07` or `2020`.
    period: String,
    /// The first day of the period.
    #[schema(format = Date)]
    start: String,
    total: i64,
    tone_sum: f64,
    kinds: Vec<KindCounts>,
}

/// One message of `GET /v1/stream`, as an SSE client reads it (comment lines and keep-alives
/// are not messages).
#[derive(ToSchema)]
pub(crate) struct StreamMessage {
    event: StreamEventName,
    /// JSON: the event as `GET /v1/events/{id}` answers it (`event`, `mention`),
    /// `{"message"}` (`gap`) or `{"missed"}` (`lagged`).
    data: String,
    /// The numeric id of the last `event` or `mention` message, to resume with `Last-Event-ID`.
    id: Option<String>,
}

/// `event`: a new event was stored; `mention`: another article reported a stored one; `gap`:
/// the replay buffer could not cover a reconnection; `lagged`: a slow client lost messages.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub(crate) enum StreamEventName {
    Event,
    Mention,
    Gap,
    Lagged,
}

/// `GET /v1/export?format=jsonld`: one JSON-LD document, schema.org terms where they fit.
#[derive(ToSchema)]
pub(crate) struct JsonLdDocument {
    /// The term definitions.
    #[schema(rename = "@context", value_type = Object)]
    context: (),
    /// The entities taking part in the events, then the events.
    #[schema(rename = "@graph", value_type = Vec<Object>)]
    graph: (),
}
