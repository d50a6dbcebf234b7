//! Entities of every kind: `GET /v1/entities/search?q=&kind=` (name or alias prefix),
//! `GET /v1/entities/{id}`, and the admin `POST /v1/entities/{id}/merge` for the cases entity
//! resolution got wrong; and [`EntityRow`], the CSV shape of an entity.

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use diplograph_core::EntityKind;
use diplograph_graph::{EntityView, MergeReport, MergeRequest};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::{CsvRow, Format, FormatParam, respond};
use crate::json::ApiJson;
use crate::query::{ApiQuery, SearchParams, parse_entity_id, searchable};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_entities))
        .routes(routes!(get_entity))
        .routes(routes!(merge_entity))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct KindParam {
    /// Only entities of this kind: `country`, `person`, `organization` or `place`.
    #[param(value_type = Option<dto::EntityKindFilter>, example = "person")]
    kind: Option<String>,
}

/// A list of entities.
#[derive(Debug, Serialize)]
pub(crate) struct EntityList {
    pub(crate) items: Vec<EntityView>,
}

/// Entities whose name or an alias starts with `q`, ignoring case and punctuation, by name.
#[utoipa::path(
    get, path = "/v1/entities/search", tag = "entities",
    params(SearchParams, KindParam, FormatParam),
    responses(
        (status = 200, description = "Matching entities",
            content((dto::EntityList = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing q, bad kind or limit", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn search_entities(
    State(s): State<AppState>,
    ApiQuery(search): ApiQuery<SearchParams>,
    ApiQuery(kind): ApiQuery<KindParam>,
    format: Format,
) -> ApiResult<Response> {
    let (q, limit) = search.parse()?;
    let kind = match kind.kind.as_deref().map(str::trim) {
        None | Some("") => None,
        Some(k) => Some(EntityKind::parse(k)?),
    };
    let items = match searchable(q) {
        true => s.store.entity_search(q, kind, limit).await?,
        false => Vec::new(),
    };
    respond(format, EntityList { items }, entity_rows)
}

/// One entity with its aliases and affiliations.
#[utoipa::path(
    get, path = "/v1/entities/{id}", tag = "entities",
    params(("id" = dto::Id, Path, description = "Entity id (ISO3 code for countries)")),
    responses(
        (status = 200, description = "The entity", body = dto::Entity),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 404, description = "No such entity", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_entity(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<EntityView>> {
    let id = parse_entity_id("id", &id)?;
    Ok(Json(s.store.entity(&id).await?))
}

/// Merge the entity of the path into `into`: aliases, affiliations, participations and places
/// move; events that become the same event fold together; tie rollups are rebuilt; the merge
/// log records the reason. Both must exist and be of the same kind; countries cannot be merged.
#[utoipa::path(
    post, path = "/v1/entities/{id}/merge", tag = "entities",
    params(("id" = dto::Id, Path, description = "The entity that disappears")),
    request_body = dto::MergeBody,
    responses(
        (status = 200, description = "Merged", body = dto::MergeReport),
        (status = 400, description = "Malformed id, same entity, different kinds, a country", body = ErrorBody),
        (status = 401, description = "Missing api key", body = ErrorBody),
        (status = 403, description = "Wrong api key", body = ErrorBody),
        (status = 404, description = "No such entity", body = ErrorBody),
        (status = 415, description = "Not `content-type: application/json`", body = ErrorBody),
        (status = 422, description = "Wrong body shape or missing reason", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
#[tracing::instrument(skip(s, body))]
async fn merge_entity(
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiJson(body): ApiJson<dto::MergeBody>,
) -> ApiResult<Json<MergeReport>> {
    let from = parse_entity_id("id", &id)?;
    let into = parse_entity_id("into", body.into.trim())?;
    let reason = body.reason.trim();
    if reason.is_empty() || reason.chars().count() > 500 || reason.contains('\0') {
        return Err(ApiError::InvalidBody(
            "reason must be 1–500 characters".to_owned(),
        ));
    }
    let request = MergeRequest {
        from,
        into,
        reason: reason.to_owned(),
        actor: "api".to_owned(),
    };
    Ok(Json(s.store.merge(&request).await?))
}

/// An entity as one CSV line; aliases and affiliations joined by `; `.
#[derive(Debug, Serialize)]
pub(crate) struct EntityRow {
    id: String,
    kind: &'static str,
    name: String,
    country: Option<String>,
    aliases: String,
    affiliations: String,
}

impl CsvRow for EntityRow {
    const HEADER: &'static [&'static str] = &["id", "kind", "name", "country", "aliases", "affiliations"];
}

impl From<EntityView> for EntityRow {
    fn from(entity: EntityView) -> Self {
        let affiliations: Vec<String> = entity
            .affiliations
            .iter()
            .map(|a| match &a.title {
                Some(title) => format!("{} {title}", a.country),
                None => a.country.to_string(),
            })
            .collect();
        Self {
            id: entity.id.to_string(),
            kind: entity.kind.as_str(),
            name: entity.name,
            country: entity.country.map(|c| c.to_string()),
            aliases: entity.aliases.join("; "),
            affiliations: affiliations.join("; "),
        }
    }
}

/// The CSV rows of a list of entities.
pub(crate) fn entity_rows(list: EntityList) -> Vec<EntityRow> {
    list.items.into_iter().map(EntityRow::from).collect()
}
