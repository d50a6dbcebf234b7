//! diplograph-api: the HTTP face of diplograph. An axum [`Router`] over a [`Store`] and an
//! [`Extractor`], with JSON errors, API keys, request ids, tracing, limits, CORS, ETags, CSV,
//! Prometheus metrics, a live event stream and a generated OpenAPI 3.1 document. Only this crate
//! knows HTTP; it calls `core`, `ingest` and `graph` and maps their results to JSON.
//!
//! Layout:
//! - `config` — [`ApiConfig`] (body limit, timeout, CORS origins, keys, rate limit), parsed by the binary.
//! - `state` — [`AppState`] `{ store, config, extractor, live, metrics }`, shared by all handlers.
//! - `error` — [`ApiError`] and its `{"error":{"code","message"}}` body.
//! - `json` — [`ApiJson`], the request-body extractor with our error shape.
//! - `query` — query-string parameter groups (dates, kinds, modality, pages, search) and their validation.
//! - `format` — JSON or CSV by `?format=` or `Accept`, and CSV rendering.
//! - `dto` — request bodies, the OpenAPI mirrors of the response shapes, and the schemas of
//!   parameter values (patterns and enums built from the parsers' own tables).
//! - `ingest` — article → extraction (blocking thread) → `store.apply` → live feed.
//! - `live` — [`LiveFeed`]: broadcast plus replay buffer behind `GET /v1/stream`.
//! - `keys` — [`ApiKeys`] (digests, constant-time checks, keys files) and [`KeyRing`], the
//!   [`Keys`] in force, replaceable while serving (rotation).
//! - `auth` — the middleware that guards writes (and reads, with read keys).
//! - `body_limit` — `413` for announced oversized bodies, reading the rest so the client sees it.
//! - `conditional` — weak ETags, `Cache-Control` and `304` on reads.
//! - `ratelimit` — rate limit per key (or per IP address without one), `429` with `Retry-After`.
//! - `telemetry` — the Prometheus recorder and per-route request metrics.
//! - `middleware` — the layer stack: request id, trace, panic → 500, metrics, timeout, CORS, limits.
//! - `server` — the HTTP/1.1 connection loop: peer address, head timeout and size limit, graceful end.
//! - `routes` — one file per resource, each with its own `router()`, and the OpenAPI document.
//!
//! [`Store`]: diplograph_graph::Store
//! [`Extractor`]: diplograph_ingest::Extractor

mod auth;
mod body_limit;
mod conditional;
mod config;
mod dto;
mod error;
mod format;
mod ingest;
mod json;
mod keys;
mod live;
mod middleware;
mod query;
mod ratelimit;
mod routes;
mod server;
mod state;
mod telemetry;

use std::future::Future;

use axum::Router;
use tokio::net::TcpListener;

pub use config::{ApiConfig, CorsOrigins, DEFAULT_MAX_BODY, DEFAULT_REQUEST_TIMEOUT, InvalidSetting};
pub use error::{ApiError, ApiResult};
pub use json::ApiJson;
pub use keys::{ApiKeys, KeyRing, Keys};
pub use live::{LiveFeed, LiveItem, LiveKind};
pub use routes::{ROUTES, openapi, parse_article_line};
pub use server::{MAX_HEAD_BYTES, MAX_HEADERS};
pub use state::AppState;
pub use telemetry::install_metrics_recorder;

/// The whole service: every route, the fallbacks and the middleware, bound to `state`.
pub fn app(state: AppState) -> Router {
    middleware::apply(routes::router(), &state).with_state(state)
}

/// Serves [`app`] on `listener` until `shutdown` resolves, then ends the live streams and lets
/// in-flight requests finish. Each request knows its peer address (for the per-client rate
/// limit); a connection that does not send a whole request head within the request timeout is
/// closed, and a head over [`MAX_HEAD_BYTES`] gets `431`.
pub async fn serve<F>(listener: TcpListener, state: AppState, shutdown: F) -> std::io::Result<()>
where
    F: Future<Output = ()> + Send + 'static,
{
    let live = state.live.clone();
    let head_timeout = state.config.request_timeout;
    let shutdown = async move {
        shutdown.await;
        live.close();
    };
    server::run(listener, app(state), head_timeout, shutdown).await
}

#[cfg(test)]
mod tests;
