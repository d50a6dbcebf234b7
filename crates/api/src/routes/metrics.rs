//! `GET /metrics`: Prometheus text exposition of the process's metrics (see `telemetry`).

use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::ErrorBody;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_metrics))
}

/// Request counts and latencies per route, ingestion counters, in Prometheus text format.
#[utoipa::path(
    get, path = "/metrics", tag = "operations",
    responses(
        (status = 200, description = "Prometheus text format 0.0.4", content_type = "text/plain", body = String),
        (status = 404, description = "Metrics are not enabled in this process", body = ErrorBody),
    )
)]
async fn get_metrics(State(s): State<AppState>) -> ApiResult<Response> {
    let handle = s
        .metrics
        .as_ref()
        .ok_or_else(|| ApiError::NotFound("metrics are not enabled".to_owned()))?;
    handle.run_upkeep();
    let content_type = HeaderValue::from_static("text/plain; version=0.0.4; charset=utf-8");
    Ok(([(header::CONTENT_TYPE, content_type)], handle.render()).into_response())
}
