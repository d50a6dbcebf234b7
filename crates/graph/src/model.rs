//! What the store hands back: the apply report and read views. All `Serialize`, in wire shape.

use diplograph_core::{
    Affiliation, CountryCode, EntityId, EntityKind, EventKind, FuzzyDate, Modality, Role, Span,
};
use serde::{Deserialize, Serialize, Serializer};

use crate::ids::{ArticleId, EventId};

/// What [`crate::Store::apply`] did with one extraction.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ApplyReport {
    /// The stored article (the existing one when `duplicate`).
    pub article_id: ArticleId,
    /// The article was already stored (same URL or same normalized text); nothing changed.
    pub duplicate: bool,
    /// Entities created by this article.
    pub new_entities: usize,
    /// Extracted entities that resolved to entities already in the store.
    pub merged_entities: usize,
    /// Events created by this article.
    pub new_events: usize,
    /// Extracted events that matched a stored event and added a mention to it.
    pub deduplicated_events: usize,
    /// Every event this article mentions, in extraction order, without repeats.
    pub event_ids: Vec<EventId>,
}

/// One event with its participants, places and provenance.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EventView {
    pub id: EventId,
    pub kind: EventKind,
    pub modality: Modality,
    /// `2020-07-21`, `2020-07`, `2020`, a span `2020-07-21/2020-07-22`, or null.
    #[serde(serialize_with = "fuzzy_date")]
    pub date: FuzzyDate,
    pub confidence: f64,
    pub participants: Vec<ParticipantView>,
    pub places: Vec<PlaceView>,
    /// The sentences that report the event, oldest first.
    pub mentions: Vec<MentionView>,
}

/// An entity taking part in an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ParticipantView {
    pub entity_id: EntityId,
    pub name: String,
    pub kind: EntityKind,
    pub role: Role,
    /// The country the entity acted for at the time of the event.
    pub country: Option<CountryCode>,
}

/// Where an event happened.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceView {
    pub entity_id: Option<EntityId>,
    pub name: String,
    pub country: Option<CountryCode>,
}

/// One report of an event: the article and the sentence that says it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionView {
    pub article_id: ArticleId,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    /// 0-based sentence index in the article body.
    pub sentence: u32,
    /// Byte offsets of the sentence in the article text as received.
    pub start: usize,
    pub end: usize,
    pub evidence: String,
    pub trigger: Option<Span>,
    pub extractor: String,
}

/// An entity with its aliases and affiliations.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EntityView {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    pub country: Option<CountryCode>,
    pub aliases: Vec<String>,
    pub affiliations: Vec<Affiliation>,
}

/// One page of a long list; pass `next_cursor` back to get the next page.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Page<T> {
    pub items: Vec<T>,
    pub next_cursor: Option<String>,
}

fn fuzzy_date<S: Serializer>(date: &FuzzyDate, s: S) -> Result<S::Ok, S::Error> {
    if date.is_unknown() {
        s.serialize_none()
    } else {
        s.collect_str(date)
    }
}

/// An entity in the graph projection.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct NodeView {
    pub id: EntityId,
    pub kind: EntityKind,
    pub name: String,
    pub country: Option<CountryCode>,
    /// Hops from the entity asked about (0 for itself).
    pub depth: u32,
}

/// Aggregated encounters between two entities: asserted events in which both took part.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct EdgeView {
    pub a: EntityId,
    pub b: EntityId,
    /// Events counted.
    pub weight: u32,
    pub counts: std::collections::BTreeMap<EventKind, u32>,
    pub first_day: Option<chrono::NaiveDate>,
    pub last_day: Option<chrono::NaiveDate>,
    pub tone_sum: f64,
}

/// The entities within a few hops of one entity.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct NeighborhoodView {
    pub center: EntityId,
    pub depth: u32,
    pub node_count: usize,
    pub edge_count: usize,
    /// Whether `top_k` left neighbors out.
    pub truncated: bool,
    /// Empty when only counts were asked for.
    pub nodes: Vec<NodeView>,
    pub edges: Vec<EdgeView>,
}

/// The shortest chain of encounters between two entities.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PathView {
    /// From the first entity to the second; `hops.len()` edges.
    pub nodes: Vec<NodeView>,
    pub hops: Vec<HopView>,
}

/// One link of a path, with the latest events behind it.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct HopView {
    pub edge: EdgeView,
    pub events: Vec<EventView>,
}

/// How central an entity is.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct CentralityEntry {
    pub id: EntityId,
    pub name: String,
    /// Distinct partners.
    pub degree: u32,
    /// Events with those partners.
    pub weighted_degree: u64,
    /// Weighted PageRank (sums to 1 over the graph).
    pub pagerank: f64,
}
