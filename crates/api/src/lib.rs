//! diplograph-api: the HTTP face of diplograph. An axum [`Router`] over a [`Store`], with JSON
//! errors, API keys for writes, request ids, tracing, limits and CORS. Only this crate knows
//! HTTP; it calls `core`, `ingest` and `graph` and maps their results to JSON.
//!
//! Layout:
//! - `config` — [`ApiConfig`] (body limit, timeout, CORS origins, API keys), parsed by the binary.
//! - `state` — [`AppState`] `{ store, config }`, shared by all handlers.
//! - `error` — [`ApiError`] and its `{"error":{"code","message"}}` body.
//! - `json` — [`ApiJson`], the request-body extractor with our error shape.
//! - `auth` — [`ApiKeys`] and the middleware that guards writes.
//! - `middleware` — the layer stack: request id, trace, panic → 500, timeout, CORS, body limit.
//! - `routes` — one file per resource, each with its own `router()`: `health` (`/healthz`, `/readyz`).
//!
//! [`Store`]: diplograph_graph::Store

mod auth;
mod config;
mod error;
mod json;
mod middleware;
mod routes;
mod state;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use auth::ApiKeys;
pub use config::{ApiConfig, CorsOrigins, DEFAULT_MAX_BODY, DEFAULT_REQUEST_TIMEOUT, InvalidSetting};
pub use error::{ApiError, ApiResult};
pub use json::ApiJson;
pub use state::AppState;

/// The whole service: every route, the fallbacks and the middleware, bound to `state`.
pub fn app(state: AppState) -> Router {
    middleware::apply(routes::router(), &state).with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then lets in-flight requests finish.
pub async fn serve<F>(listener: TcpListener, state: AppState, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    axum::serve(listener, app(state))
        .with_graceful_shutdown(shutdown)
        .await
}

#[cfg(test)]
mod tests;
