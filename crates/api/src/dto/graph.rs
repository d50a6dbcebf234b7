//! Mirrors of the graph answers (neighborhood, path, centrality) and the merge body and report.

use serde::Deserialize;
use utoipa::ToSchema;

use crate::dto::{EntityKind, EntityRef, Event};

/// The entities within a few hops of one entity and the edges among them.
#[derive(ToSchema)]
pub(crate) struct Neighborhood {
    center: String,
    depth: u32,
    node_count: u64,
    edge_count: u64,
    /// Whether `top_k` left neighbors out.
    truncated: bool,
    /// Empty when only counts were asked for.
    nodes: Vec<Node>,
    edges: Vec<Edge>,
}

/// An entity in the graph.
#[derive(ToSchema)]
pub(crate) struct Node {
    id: String,
    kind: EntityKind,
    name: String,
    country: Option<String>,
    /// Hops from the entity asked about (0 for itself).
    depth: u32,
}

/// Aggregated encounters between two entities: asserted events in which both took part.
#[derive(ToSchema)]
pub(crate) struct Edge {
    a: String,
    b: String,
    /// Events counted.
    weight: u32,
    /// Events by kind, e.g. `{"MEET": 2}`.
    counts: std::collections::BTreeMap<String, u32>,
    #[schema(value_type = Option<String>, format = Date)]
    first_day: Option<String>,
    #[schema(value_type = Option<String>, format = Date)]
    last_day: Option<String>,
    tone_sum: f64,
}

/// The shortest chain of encounters between two entities, if any.
#[derive(ToSchema)]
pub(crate) struct Path {
    from: String,
    to: String,
    /// Whether a chain of at most `max_depth` hops exists; when not, `nodes` and `hops` are empty.
    found: bool,
    /// From `from` to `to`.
    nodes: Vec<Node>,
    hops: Vec<Hop>,
}

/// One link of a path, with the latest events behind it.
#[derive(ToSchema)]
pub(crate) struct Hop {
    edge: Edge,
    events: Vec<Event>,
}

/// Entities by centrality, most central first.
#[derive(ToSchema)]
pub(crate) struct Centrality {
    /// `country`, `person` or `organization`.
    kind: EntityKind,
    items: Vec<CentralityEntry>,
}

#[derive(ToSchema)]
pub(crate) struct CentralityEntry {
    id: String,
    name: String,
    /// Distinct partners.
    degree: u32,
    /// Events with those partners.
    weighted_degree: u64,
    /// Weighted PageRank (sums to 1 over the graph).
    pagerank: f64,
}

/// Countries with ties (`GET /v1/countries`).
#[derive(ToSchema)]
pub(crate) struct CountryList {
    items: Vec<CountrySummary>,
}

#[derive(ToSchema)]
pub(crate) struct CountrySummary {
    code: String,
    name: String,
    /// Distinct partner countries.
    partners: u32,
    /// Events with those partners, each direction counted.
    events: u64,
}

/// `POST /v1/entities/{id}/merge`: fold the entity of the path into `into`.
#[derive(Debug, Deserialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct MergeBody {
    /// The entity that stays (surrounding spaces are ignored).
    #[schema(value_type = EntityRef)]
    pub(crate) into: String,
    /// Why (kept in the merge log): not blank, at most 500 characters, no NUL.
    #[schema(
        min_length = 1,
        max_length = 500,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$"
    )]
    pub(crate) reason: String,
}

/// What a merge changed.
#[derive(ToSchema)]
pub(crate) struct MergeReport {
    from: String,
    into: String,
    /// Events the merged entity took part in.
    events_moved: u64,
    /// Of those, events that were another report of an event of `into` and were folded into it.
    events_folded: u64,
}
