//! In-process tests of the whole stack: `app(state).oneshot(request)`, no socket.
//!
//! Layout:
//! - `stack` — middleware: errors, request ids, keys, limits, timeouts, CORS, rate limit.
//! - `export` — `GET /v1/export` in every format, its filters and bad parameters.
//! - `ingest` — `POST /v1/extract`, `/v1/articles`, `/v1/articles/batch`.
//! - `params`, `bodies` — the document's parameter and body schemas against what the server
//!   accepts, value by value.
//! - `reads` — events, countries, ties, people, timeline, entities; CSV and ETags.
//!   (The table of bad requests is end-to-end: `tests/e2e/bad_requests.rs`.)
//! - `security` — rate limits per key, keys rotated while serving, CORS off by default.
//! - `spec` — the OpenAPI document, and real responses validated against its schemas.
//! - `stream` — `GET /v1/stream` and `/metrics`.

use std::sync::{Arc, OnceLock};

use axum::Router;
use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use diplograph_graph::Store;
use diplograph_ingest::Extractor;
use http_body_util::BodyExt;
use serde_json::{Value, json};
use tempfile::TempDir;
use tower::ServiceExt;

use crate::{ApiConfig, AppState, app};

mod bodies;
mod export;
mod ingest;
mod params;
mod reads;
mod security;
mod spec;
mod stack;
mod stream;

/// The seed article of the project's fixtures.
pub(crate) const SEED: &str = include_str!("../../../ingest/tests/data/tehran-2020-07-22.txt");

/// One extractor for the whole test process (compiling the gazetteer takes a moment).
fn extractor() -> Arc<Extractor> {
    static EXTRACTOR: OnceLock<Arc<Extractor>> = OnceLock::new();
    EXTRACTOR
        .get_or_init(|| Arc::new(Extractor::new().expect("the embedded gazetteer compiles")))
        .clone()
}

/// A state over a fresh SQLite file; keep the `TempDir` alive while the store is used.
pub(crate) async fn test_state(config: ApiConfig) -> (AppState, TempDir) {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("api-test.db").display());
    let store = Store::connect(&url).await.expect("sqlite store");
    store.migrate().await.expect("migrations");
    (AppState::new(store, config, extractor()), dir)
}

/// A state whose store holds the seed article.
pub(crate) async fn seeded_state() -> (AppState, TempDir) {
    let (state, dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    assert_eq!(status, StatusCode::CREATED, "{}", json_body(res).await);
    (state, dir)
}

/// The seed as a `POST /v1/articles` body.
pub(crate) fn seed_body() -> String {
    json!({"text": SEED, "url": "https://example.test/tehran-2020-07-22", "title": "Rouhani: Iran seeks broader ties"})
        .to_string()
}

pub(crate) async fn send(router: Router, req: Request<Body>) -> (StatusCode, Response) {
    let res = router.oneshot(req).await.expect("infallible");
    (res.status(), res)
}

/// `GET uri` on the app of `state`; the status and the body as JSON.
pub(crate) async fn get_json(state: &AppState, uri: &str) -> (StatusCode, Value) {
    let (status, res) = send(app(state.clone()), get_req(uri)).await;
    (status, json_body(res).await)
}

pub(crate) async fn json_body(res: Response) -> Value {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    serde_json::from_slice(&bytes).unwrap_or_else(|e| panic!("not json ({e}): {bytes:?}"))
}

pub(crate) async fn text_body(res: Response) -> String {
    let bytes = res.into_body().collect().await.expect("body").to_bytes();
    String::from_utf8(bytes.to_vec()).expect("utf-8 body")
}

pub(crate) fn get_req(uri: &str) -> Request<Body> {
    Request::get(uri).body(Body::empty()).expect("request")
}

pub(crate) fn post_json(uri: &str, body: impl Into<Body>) -> Request<Body> {
    Request::post(uri)
        .header(header::CONTENT_TYPE, "application/json")
        .body(body.into())
        .expect("request")
}

pub(crate) async fn assert_error(res: Response, code: &str) {
    let body = json_body(res).await;
    assert_eq!(body["error"]["code"], code, "{body}");
    assert!(
        body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
        "{body}"
    );
}
