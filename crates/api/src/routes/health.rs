//! Liveness and readiness: `GET /healthz` answers while the process runs; `GET /readyz` only
//! while the database answers too, so a load balancer stops sending traffic when it does not.

use std::time::Duration;

use axum::extract::State;
use axum::routing::get;
use axum::{Json, Router};
use serde::Serialize;

use crate::error::{ApiError, ApiResult};
use crate::state::AppState;

/// How long `/readyz` waits for the database before calling it down.
const PING_TIMEOUT: Duration = Duration::from_secs(3);

pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .route("/healthz", get(healthz))
        .route("/readyz", get(readyz))
}

#[derive(Debug, Serialize)]
struct Health {
    status: &'static str,
}

#[derive(Debug, Serialize)]
struct Readiness {
    status: &'static str,
    database: &'static str,
}

async fn healthz() -> Json<Health> {
    Json(Health { status: "ok" })
}

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
