//! People: `GET /v1/people?q=` (search by name or alias prefix), `GET /v1/people/{id}` and
//! `GET /v1/people/{id}/meetings` (who met whom: meetings, talks and visits, newest first, each
//! with its evidence sentences).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use diplograph_core::{EntityId, EntityKind};
use diplograph_graph::EntityView;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::{Format, FormatParam, respond};
use crate::query::{ApiQuery, EventParams, PageParams, SearchParams, parse_entity_id, searchable};
use crate::routes::entities::{EntityList, entity_rows};
use crate::routes::events::page_rows;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(search_people))
        .routes(routes!(get_person))
        .routes(routes!(get_meetings))
}

/// People whose name or an alias (a surname, say) starts with `q`.
#[utoipa::path(
    get, path = "/v1/people", tag = "people",
    params(SearchParams, FormatParam),
    responses(
        (status = 200, description = "Matching people",
            content((dto::EntityList = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing q or bad limit", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn search_people(
    State(s): State<AppState>,
    ApiQuery(search): ApiQuery<SearchParams>,
    format: Format,
) -> ApiResult<Response> {
    let (q, limit) = search.parse()?;
    let items = match searchable(q) {
        true => s.store.person_search(q, limit).await?,
        false => Vec::new(),
    };
    respond(format, EntityList { items }, entity_rows)
}

/// One person with aliases and dated affiliations. The id of a person merged into another
/// answers with that other person (whose `id` differs).
#[utoipa::path(
    get, path = "/v1/people/{id}", tag = "people",
    params(("id" = dto::Id, Path, description = "Person id")),
    responses(
        (status = 200, description = "The person", body = dto::Entity),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_person(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<EntityView>> {
    let id = parse_entity_id("id", &id)?;
    Ok(Json(person(&s, &id).await?))
}

/// A person's encounters — meetings, talks and visits unless `kinds` says otherwise — newest
/// first, each with the other participants, places and evidence sentences.
#[utoipa::path(
    get, path = "/v1/people/{id}/meetings", tag = "people",
    params(("id" = dto::Id, Path, description = "Person id"), EventParams, PageParams, FormatParam),
    responses(
        (status = 200, description = "A page of events",
            content((dto::EventPage = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad id or parameter", body = ErrorBody),
        (status = 404, description = "No such person", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_meetings(
    State(s): State<AppState>,
    Path(id): Path<String>,
    ApiQuery(events): ApiQuery<EventParams>,
    ApiQuery(page): ApiQuery<PageParams>,
    format: Format,
) -> ApiResult<Response> {
    let id = parse_entity_id("id", &id)?;
    let (filter, page) = (events.filter()?, page.page()?);
    // The id of a person merged away leads to the person it was merged into.
    let person = person(&s, &id).await?;
    let meetings = s.store.meetings(&person.id, &filter, &page).await?;
    respond(format, meetings, page_rows)
}

/// The entity, when it is a person.
async fn person(s: &AppState, id: &EntityId) -> ApiResult<EntityView> {
    match s.store.entity(id).await {
        Ok(entity) if entity.kind == EntityKind::Person => Ok(entity),
        Ok(_) | Err(diplograph_graph::StoreError::NotFound(_)) => {
            Err(ApiError::NotFound(format!("person {id} not found")))
        }
        Err(err) => Err(err.into()),
    }
}
