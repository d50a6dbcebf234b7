//! Ingestion: `POST /v1/extract` (extraction only, nothing stored), `POST /v1/articles` (extract
//! and store one article) and `POST /v1/articles/batch` (NDJSON, one result per line).

use axum::Json;
use axum::extract::State;
use axum::http::StatusCode;
use diplograph_core::Extraction;
use diplograph_graph::ApplyReport;
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ArticleRequest, ErrorBody};
use crate::error::ApiResult;
use crate::ingest;
use crate::json::ApiJson;
use crate::state::AppState;

mod batch;

pub use batch::parse_line;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(extract))
        .routes(routes!(store_article))
        .routes(routes!(batch::store_batch))
}

/// What `POST /v1/articles` answers.
#[derive(Debug, Serialize)]
struct ArticleResult {
    extraction: Extraction,
    stored: ApplyReport,
}

/// Extract people, countries, places and dated events from one article; nothing is stored.
#[utoipa::path(
    post, path = "/v1/extract", tag = "ingestion",
    request_body = ArticleRequest,
    responses(
        (status = 200, description = "The extraction", body = dto::Extraction),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing api key", body = ErrorBody),
        (status = 403, description = "Wrong api key", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 415, description = "Not `application/json`", body = ErrorBody),
        (status = 422, description = "Wrong shape, blank text, bad date", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
#[tracing::instrument(skip_all)]
async fn extract(State(s): State<AppState>, body: ApiJson<ArticleRequest>) -> ApiResult<Json<Extraction>> {
    let input = ingest::to_input(body.0).inspect_err(|_| ingest::count_rejected())?;
    Ok(Json(ingest::extract(&s, input).await?))
}

/// Extract one article and store it: `201` when it is new, `200` when the same article (same
/// URL or same normalized text) was already stored, in which case nothing changes.
#[utoipa::path(
    post, path = "/v1/articles", tag = "ingestion",
    request_body = ArticleRequest,
    responses(
        (status = 201, description = "Stored", body = dto::ArticleResult),
        (status = 200, description = "Already stored; nothing changed", body = dto::ArticleResult),
        (status = 400, description = "Malformed JSON", body = ErrorBody),
        (status = 401, description = "Missing api key", body = ErrorBody),
        (status = 403, description = "Wrong api key", body = ErrorBody),
        (status = 413, description = "Body over the limit", body = ErrorBody),
        (status = 415, description = "Not `application/json`", body = ErrorBody),
        (status = 422, description = "Wrong shape, blank text, bad date", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
#[tracing::instrument(skip_all)]
async fn store_article(
    State(s): State<AppState>,
    body: ApiJson<ArticleRequest>,
) -> ApiResult<(StatusCode, Json<ArticleResult>)> {
    let input = ingest::to_input(body.0).inspect_err(|_| ingest::count_rejected())?;
    let extraction = ingest::extract(&s, input).await?;
    let stored = ingest::store(&s, &extraction).await?;
    let status = if stored.duplicate {
        StatusCode::OK
    } else {
        StatusCode::CREATED
    };
    Ok((status, Json(ArticleResult { extraction, stored })))
}
