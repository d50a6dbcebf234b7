//! Liveness and readiness: `GET /healthz` answers while the process runs; `GET /readyz` only
//! while the database answers too, so a load balancer stops sending traffic when it does not.

use std::time::Duration;

use axum::Json;
use axum::extract::State;
use serde::Serialize;
use utoipa::ToSchema;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::ErrorBody;
use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How long `/readyz` waits for the database before calling it down.
const PING_TIMEOUT: Duration = Duration::from_secs(3);

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(healthz))
        .routes(routes!(readyz))
}

#[derive(Debug, Serialize, ToSchema)]
struct Health {
    /// Always `ok`.
    status: &'static str,
}

#[derive(Debug, Serialize, ToSchema)]
struct Readiness {
    /// Always `ready`.
    status: &'static str,
    /// `sqlite` or `postgres`.
    database: &'static str,
}

/// Liveness: answers while the process runs.
#[utoipa::path(get, path = "/healthz", tag = "operations",
    responses((status = 200, description = "The process runs", body = Health)))]
async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

/// Readiness: answers `200` only while the database answers too.
#[utoipa::path(get, path = "/readyz", tag = "operations",
    responses(
        (status = 200, description = "Ready to serve", body = Readiness),
        (status = 503, description = "The database is unreachable", body = ErrorBody),
    ))]
#[tracing::instrument(skip(s))]
async fn readyz(State(s): State<AppState>) -> ApiResult<Json<Readiness>> {
    let database = s.store.backend_name();
    match tokio::time::timeout(PING_TIMEOUT, s.store.ping()).await {
        Ok(Ok(())) => Ok(Json(Readiness {
            status: "ready",
            database,
        })),
        Ok(Err(err)) => {
            tracing::warn!(error = %err, "readiness check failed: database unreachable");
            Err(ApiError::Unavailable(format!(
                "{database} database is unreachable"
            )))
        }
        Err(_) => {
            tracing::warn!("readiness check failed: database ping timed out");
            Err(ApiError::Unavailable(format!(
                "{database} database did not answer in time"
            )))
        }
    }
}
