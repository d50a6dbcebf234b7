//! Graph queries over the in-memory projection: `GET /v1/graph/neighborhood`,
//! `GET /v1/graph/path` and `GET /v1/graph/centrality`.

use axum::Json;
use axum::extract::State;
use axum::response::Response;
use diplograph_core::{EntityId, EntityKind};
use diplograph_graph::{
    CentralityEntry, HopView, MAX_DEPTH, MAX_PATH, NeighborhoodQuery, NeighborhoodView, NodeView,
};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::{CsvRow, Format, FormatParam, respond};
use crate::query::{ApiQuery, EventParams, parse_bool, parse_entity_ref, parse_limit};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_neighborhood))
        .routes(routes!(get_path))
        .routes(routes!(get_centrality))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct NeighborhoodParams {
    /// The entity at the center: an entity id or an ISO 3166-1 country code.
    #[param(required, value_type = dto::EntityRef, example = "IRN")]
    entity: Option<String>,
    /// Hops, 1–3 (default 1).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 3)]
    depth: Option<String>,
    /// Heaviest edges followed out of each node, 1–1000 (default 25).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 1000)]
    top_k: Option<String>,
    /// `true`: only count nodes and edges.
    #[param(value_type = Option<bool>)]
    count_only: Option<String>,
}

/// The entities within `depth` hops of one entity and the edges among them (asserted
/// encounters), following the `top_k` heaviest edges out of each node.
#[utoipa::path(
    get, path = "/v1/graph/neighborhood", tag = "graph",
    params(NeighborhoodParams),
    responses(
        (status = 200, description = "The neighborhood", body = dto::Neighborhood),
        (status = 400, description = "Missing entity, depth over 3, bad parameter", body = ErrorBody),
        (status = 404, description = "No such entity", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_neighborhood(
    State(s): State<AppState>,
    ApiQuery(p): ApiQuery<NeighborhoodParams>,
) -> ApiResult<Json<NeighborhoodView>> {
    let entity = required_entity("entity", p.entity.as_deref())?;
    let query = NeighborhoodQuery {
        depth: parse_limit(p.depth.as_deref(), 1, MAX_DEPTH).map_err(|_| bad_range("depth", MAX_DEPTH))?,
        top_k: parse_limit(p.top_k.as_deref(), 25, 1000).map_err(|_| bad_range("top_k", 1000))?,
        count_only: parse_bool("count_only", p.count_only.as_deref())?,
    };
    Ok(Json(s.store.neighborhood(&entity, &query).await?))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PathParams {
    /// Where the chain starts: an entity id or a country code.
    #[param(required, value_type = dto::EntityRef, example = "IRN")]
    from: Option<String>,
    /// Where it ends.
    #[param(required, value_type = dto::EntityRef, example = "RUS")]
    to: Option<String>,
    /// Longest chain searched, 1–6 hops (default 4).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 6)]
    max_depth: Option<String>,
}

/// A path, or the news that there is none within `max_depth`.
#[derive(Debug, Serialize)]
struct PathAnswer {
    from: EntityId,
    to: EntityId,
    found: bool,
    nodes: Vec<NodeView>,
    hops: Vec<HopView>,
}

/// The shortest chain of encounters from one entity to another, with the latest events of
/// each hop.
#[utoipa::path(
    get, path = "/v1/graph/path", tag = "graph",
    params(PathParams),
    responses(
        (status = 200, description = "The path (`found: false` when there is none)", body = dto::Path),
        (status = 400, description = "Missing from or to, bad max_depth", body = ErrorBody),
        (status = 404, description = "No such entity", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_path(
    State(s): State<AppState>,
    ApiQuery(p): ApiQuery<PathParams>,
) -> ApiResult<Json<PathAnswer>> {
    let from = required_entity("from", p.from.as_deref())?;
    let to = required_entity("to", p.to.as_deref())?;
    let max_depth =
        parse_limit(p.max_depth.as_deref(), 4, MAX_PATH).map_err(|_| bad_range("max_depth", MAX_PATH))?;
    s.store.entity(&from).await?;
    s.store.entity(&to).await?;
    let path = s.store.path(&from, &to, max_depth).await?;
    let found = path.is_some();
    let (nodes, hops) = path.map(|p| (p.nodes, p.hops)).unwrap_or_default();
    Ok(Json(PathAnswer {
        from,
        to,
        found,
        nodes,
        hops,
    }))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct CentralityParams {
    /// `country` (default, over country ties), `person` or `organization`.
    #[param(value_type = Option<dto::CentralityKind>, example = "country")]
    kind: Option<String>,
    /// Entries, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500)]
    limit: Option<String>,
}

#[derive(Debug, Serialize)]
struct Centrality {
    kind: EntityKind,
    items: Vec<CentralityEntry>,
}

/// Degree and weighted PageRank, most central first.
#[utoipa::path(
    get, path = "/v1/graph/centrality", tag = "graph",
    params(CentralityParams, EventParams, FormatParam),
    responses(
        (status = 200, description = "Entities by centrality",
            content((dto::Centrality = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad kind or parameter", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_centrality(
    State(s): State<AppState>,
    ApiQuery(p): ApiQuery<CentralityParams>,
    ApiQuery(events): ApiQuery<EventParams>,
    format: Format,
) -> ApiResult<Response> {
    let kind = match p.kind.as_deref().map(str::trim) {
        None | Some("") => EntityKind::Country,
        Some(k) => EntityKind::parse(k)?,
    };
    let limit = parse_limit(p.limit.as_deref(), 50, 500)?;
    let items = s.store.centrality(kind, &events.filter()?, limit).await?;
    respond(format, Centrality { kind, items }, |c: Centrality| {
        c.items.into_iter().map(CentralityRow::from).collect()
    })
}

fn required_entity(name: &str, value: Option<&str>) -> ApiResult<EntityId> {
    match value.map(str::trim) {
        None | Some("") => Err(ApiError::BadRequest(format!(
            "{name} is required: an entity id or a country code"
        ))),
        Some(v) => parse_entity_ref(name, v),
    }
}

fn bad_range(name: &str, max: u32) -> ApiError {
    ApiError::BadRequest(format!("{name} must be an integer from 1 to {max}"))
}

#[derive(Debug, Serialize)]
struct CentralityRow {
    id: String,
    name: String,
    degree: u32,
    weighted_degree: u64,
    pagerank: f64,
}

impl CsvRow for CentralityRow {
    const HEADER: &'static [&'static str] = &["id", "name", "degree", "weighted_degree", "pagerank"];
}

impl From<CentralityEntry> for CentralityRow {
    fn from(e: CentralityEntry) -> Self {
        Self {
            id: e.id.to_string(),
            name: e.name,
            degree: e.degree,
            weighted_degree: e.weighted_degree,
            pagerank: e.pagerank,
        }
    }
}
