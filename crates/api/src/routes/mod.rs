//! One file per resource, each with its own `router()` (an `OpenApiRouter`, so each handler's
//! `#[utoipa::path]` lands in the document); [`router`] merges them, serves the generated
//! document at `/openapi.json` with Swagger UI at `/docs`, and adds the JSON fallbacks for
//! unknown routes (404) and unsupported methods (405).

use axum::Router;
use axum::http::{Method, Uri};
use utoipa::OpenApi;
use utoipa::openapi::security::{HttpAuthScheme, HttpBuilder, SecurityScheme};
use utoipa_axum::router::OpenApiRouter;
use utoipa_swagger_ui::SwaggerUi;

use crate::error::ApiError;
use crate::state::AppState;

mod articles;
mod countries;
mod entities;
mod events;
mod export;
mod graph;
mod health;
mod metrics;
mod people;
mod stream;
mod ties;
mod timeline;

pub use articles::parse_line as parse_article_line;

/// The document's fixed parts; the paths come from the handlers.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "diplograph",
        description = "News articles about diplomacy in, a knowledge graph of countries, people and \
            events out. Errors are `{\"error\":{\"code\",\"message\"}}`. Lists and series answer \
            CSV to `Accept: text/csv` or `?format=csv`. Reads carry a weak `ETag`; send it back \
            in `If-None-Match` for a `304`.",
        license(name = "MIT OR Apache-2.0")
    ),
    tags(
        (name = "ingestion", description = "Articles in: extract, store, batch"),
        (name = "countries", description = "Countries and their bilateral ties"),
        (name = "people", description = "People and who met whom"),
        (name = "events", description = "Events, timelines, the live stream and exports"),
        (name = "entities", description = "Entities of every kind; merging them"),
        (name = "graph", description = "Neighborhoods, paths and centrality over the entity graph"),
        (name = "operations", description = "Health, readiness, metrics"),
    ),
    components(schemas(
        crate::dto::ErrorBody,
        // The values of parameters (named so each pattern is written once; see `dto::params`).
        crate::dto::Day,
        crate::dto::Id,
        crate::dto::EntityRef,
        crate::dto::Country,
        crate::dto::KindList,
        crate::dto::ModalityFilter,
        crate::dto::EntityKindFilter,
        crate::dto::CentralityKind,
        crate::dto::IntervalName,
        crate::dto::ExportFormatName,
        crate::dto::Cursor,
        crate::dto::StreamId,
        crate::dto::SearchText,
    )),
    modifiers(&BearerAuth)
)]
struct ApiDoc;

/// Declares the `api_key` bearer scheme the write routes name.
struct BearerAuth;

impl utoipa::Modify for BearerAuth {
    fn modify(&self, openapi: &mut utoipa::openapi::OpenApi) {
        let scheme = HttpBuilder::new()
            .scheme(HttpAuthScheme::Bearer)
            .description(Some(
                "`Authorization: Bearer KEY`; needed for writes when DIPLOGRAPH_API_KEY or \
                 DIPLOGRAPH_API_KEYS_FILE is set, and for reads when DIPLOGRAPH_READ_KEYS_FILE is set",
            ))
            .build();
        openapi
            .components
            .get_or_insert_with(Default::default)
            .add_security_scheme("api_key", SecurityScheme::Http(scheme));
    }
}

/// Every route of the API with its OpenAPI document, before middleware and state.
fn documented() -> OpenApiRouter<AppState> {
    OpenApiRouter::with_openapi(ApiDoc::openapi())
        .merge(health::router())
        .merge(metrics::router())
        .merge(articles::router())
        .merge(events::router())
        .merge(export::router())
        .merge(countries::router())
        .merge(ties::router())
        .merge(graph::router())
        .merge(people::router())
        .merge(entities::router())
        .merge(timeline::router())
        .merge(stream::router())
}

/// The OpenAPI 3.1 document of every route, as served at `/openapi.json`.
pub fn openapi() -> utoipa::openapi::OpenApi {
    documented().into_openapi()
}

/// Every route of the API, the documentation routes and the fallbacks.
pub(crate) fn router() -> Router<AppState> {
    let (router, openapi) = documented().split_for_parts();
    router
        .merge(SwaggerUi::new("/docs").url("/openapi.json", openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}

/// Every route the API serves, as `METHOD /path` the way the OpenAPI document names it: the
/// list the document tests (in this crate and end to end) check it against.
pub const ROUTES: [&str; 24] = [
    "GET /healthz",
    "GET /readyz",
    "GET /metrics",
    "POST /v1/extract",
    "POST /v1/articles",
    "POST /v1/articles/batch",
    "GET /v1/events/{id}",
    "GET /v1/export",
    "GET /v1/countries",
    "GET /v1/countries/{code}",
    "GET /v1/countries/{code}/ties",
    "GET /v1/ties/{a}/{b}",
    "GET /v1/stats/timeseries",
    "GET /v1/people",
    "GET /v1/people/{id}",
    "GET /v1/people/{id}/meetings",
    "GET /v1/timeline",
    "GET /v1/entities/search",
    "GET /v1/entities/{id}",
    "POST /v1/entities/{id}/merge",
    "GET /v1/graph/neighborhood",
    "GET /v1/graph/path",
    "GET /v1/graph/centrality",
    "GET /v1/stream",
];
