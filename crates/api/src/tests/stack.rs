//! The middleware stack: JSON errors, request ids, API keys, body limit, panics, timeouts, CORS.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::routing::{get, post};
use axum::{Json, Router};
use serde_json::{Value, json};

use crate::tests::{assert_error, get_req, json_body, post_json, send, test_state};
use crate::{ApiConfig, ApiJson, ApiKeys, AppState, CorsOrigins, KeyRing, Keys, app, middleware};

/// The real middleware stack around test-only routes, for behaviour no production route has yet.
fn stack_with_test_routes(state: AppState) -> Router {
    let routes = Router::new()
        .route("/echo", post(|ApiJson(v): ApiJson<Value>| async move { Json(v) }))
        .route("/panic", get(panics))
        .route(
            "/slow",
            get(|| async { tokio::time::sleep(Duration::from_secs(5)).await }),
        );
    middleware::apply(routes, &state).with_state(state)
}

async fn panics() -> &'static str {
    panic!("boom")
}

#[tokio::test]
async fn healthz_says_ok() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state), get_req("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json_body(res).await, json!({"status": "ok"}));
}

#[tokio::test]
async fn readyz_pings_the_database() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state), get_req("/readyz")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(
        json_body(res).await,
        json!({"status": "ready", "database": "sqlite"})
    );
}

#[tokio::test]
async fn unknown_route_is_a_json_404() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state), get_req("/v1/nope")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(res, "not_found").await;
}

#[tokio::test]
async fn wrong_method_is_a_json_405_with_allow() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state), post_json("/healthz", "{}")).await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    let allow = res
        .headers()
        .get(header::ALLOW)
        .expect("allow header")
        .to_str()
        .expect("ascii");
    assert!(allow.contains("GET"), "{allow}");
    assert_error(res, "method_not_allowed").await;
}

#[tokio::test]
async fn every_response_carries_a_request_id() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (_, res) = send(app(state.clone()), get_req("/healthz")).await;
    assert!(!res.headers()["x-request-id"].is_empty());

    let req = Request::get("/healthz")
        .header("x-request-id", "abc-123")
        .body(Body::empty())
        .expect("req");
    let (_, res) = send(app(state), req).await;
    assert_eq!(res.headers()["x-request-id"], "abc-123");
}

/// Writes need `right-key`; with `read_key`, reads need a key too.
pub(crate) fn keyed_config_with(read_key: Option<&str>) -> ApiConfig {
    let keys = Keys {
        write: ApiKeys::from_keys(["right-key"]).expect("valid key"),
        read: ApiKeys::from_keys(read_key).expect("valid key"),
    };
    ApiConfig {
        keys: KeyRing::new(keys),
        ..ApiConfig::default()
    }
}

fn keyed_config() -> ApiConfig {
    keyed_config_with(None)
}

#[tokio::test]
async fn write_without_key_is_401() {
    let (state, _dir) = test_state(keyed_config()).await;
    let (status, res) = send(stack_with_test_routes(state), post_json("/echo", "{}")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_eq!(res.headers()[header::WWW_AUTHENTICATE], "Bearer");
    assert_error(res, "unauthorized").await;
}

#[tokio::test]
async fn write_with_wrong_key_is_403() {
    let (state, _dir) = test_state(keyed_config()).await;
    let mut req = post_json("/echo", "{}");
    req.headers_mut()
        .insert(header::AUTHORIZATION, "Bearer wrong-key".parse().expect("header"));
    let (status, res) = send(stack_with_test_routes(state), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
    assert_error(res, "forbidden").await;
}

#[tokio::test]
async fn write_with_right_key_passes_and_reads_need_none() {
    let (state, _dir) = test_state(keyed_config()).await;
    let mut req = post_json("/echo", r#"{"a":1}"#);
    req.headers_mut()
        .insert(header::AUTHORIZATION, "Bearer right-key".parse().expect("header"));
    let (status, res) = send(stack_with_test_routes(state.clone()), req).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json_body(res).await, json!({"a": 1}));

    let (status, _) = send(app(state), get_req("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn malformed_json_gets_our_error_shape() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(stack_with_test_routes(state), post_json("/echo", "{not json")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(res, "invalid_json").await;
}

#[tokio::test]
async fn body_over_the_limit_is_a_json_413() {
    let config = ApiConfig {
        max_body: 64,
        ..ApiConfig::default()
    };
    let (state, _dir) = test_state(config).await;
    let big = format!(r#"{{"text":"{}"}}"#, "x".repeat(100));

    // Announced by Content-Length: refused before the body is read.
    let mut req = post_json("/echo", big.clone());
    req.headers_mut().insert(header::CONTENT_LENGTH, big.len().into());
    let (status, res) = send(stack_with_test_routes(state.clone()), req).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(res, "payload_too_large").await;

    // Streamed without a length: refused while reading.
    let stream = futures_stream(big);
    let (status, res) = send(stack_with_test_routes(state), post_json("/echo", stream)).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(res, "payload_too_large").await;
}

/// A body with no known length, as a chunked upload would have.
fn futures_stream(text: String) -> Body {
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> =
        text.as_bytes().chunks(16).map(|c| Ok(c.to_vec())).collect();
    Body::from_stream(futures_util::stream::iter(chunks))
}

#[tokio::test]
async fn panic_in_a_handler_is_a_json_500() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(stack_with_test_routes(state), get_req("/panic")).await;
    assert_eq!(status, StatusCode::INTERNAL_SERVER_ERROR);
    let body = json_body(res).await;
    assert_eq!(
        body,
        json!({"error": {"code": "internal", "message": "internal error"}})
    );
}

#[tokio::test]
async fn slow_request_times_out_with_a_json_408() {
    let config = ApiConfig {
        request_timeout: Duration::from_millis(50),
        ..ApiConfig::default()
    };
    let (state, _dir) = test_state(config).await;
    let (status, res) = send(stack_with_test_routes(state), get_req("/slow")).await;
    assert_eq!(status, StatusCode::REQUEST_TIMEOUT);
    assert_error(res, "timeout").await;
}

#[tokio::test]
async fn cors_headers_only_when_configured() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let req = Request::get("/healthz")
        .header(header::ORIGIN, "https://dash.example")
        .body(Body::empty());
    let (_, res) = send(app(state), req.expect("request")).await;
    assert!(res.headers().get(header::ACCESS_CONTROL_ALLOW_ORIGIN).is_none());

    let origins: CorsOrigins = "https://dash.example".parse().expect("origin");
    let config = ApiConfig {
        cors_origins: Some(origins),
        ..keyed_config()
    };
    let (state, _dir) = test_state(config).await;
    let preflight = Request::options("/echo")
        .header(header::ORIGIN, "https://dash.example")
        .header(header::ACCESS_CONTROL_REQUEST_METHOD, "POST")
        .body(Body::empty())
        .expect("request");
    let (status, res) = send(stack_with_test_routes(state), preflight).await;
    assert!(status.is_success(), "{status}");
    assert_eq!(
        res.headers()[header::ACCESS_CONTROL_ALLOW_ORIGIN],
        "https://dash.example"
    );
}

#[tokio::test]
async fn readyz_is_a_json_503_when_the_database_is_gone() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    state.store.close().await;
    let (status, res) = send(app(state), get_req("/readyz")).await;
    assert_eq!(status, StatusCode::SERVICE_UNAVAILABLE);
    assert_error(res, "unavailable").await;
}

#[tokio::test]
async fn rate_limit_answers_429_with_retry_after_per_client() {
    let config = ApiConfig {
        rate_limit: 2,
        ..ApiConfig::default()
    };
    let (state, _dir) = test_state(config).await;
    let router = app(state);
    let from = |ip: [u8; 4]| {
        let mut req = get_req("/healthz");
        let addr = std::net::SocketAddr::from((ip, 40000));
        req.extensions_mut().insert(axum::extract::ConnectInfo(addr));
        req
    };
    for _ in 0..2 {
        let (status, _) = send(router.clone(), from([10, 0, 0, 1])).await;
        assert_eq!(status, StatusCode::OK);
    }
    let (status, res) = send(router.clone(), from([10, 0, 0, 1])).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS);
    let retry: u64 = res.headers()[header::RETRY_AFTER]
        .to_str()
        .expect("ascii")
        .parse()
        .expect("seconds");
    assert!(retry >= 1, "{retry}");
    assert_error(res, "rate_limited").await;
    // Another client has its own budget; a request without ConnectInfo is limited, not a 500.
    let (status, _) = send(router.clone(), from([10, 0, 0, 2])).await;
    assert_eq!(status, StatusCode::OK);
    let (status, _) = send(router, get_req("/healthz")).await;
    assert_eq!(status, StatusCode::OK);
}

#[tokio::test]
async fn read_keys_guard_reads_but_not_probes_or_docs() {
    let config = keyed_config_with(Some("reader"));
    let (state, _dir) = test_state(config).await;
    let with_key = |uri: &str, key: Option<&str>| {
        let mut req = get_req(uri);
        if let Some(key) = key {
            let value = format!("Bearer {key}").parse().expect("header");
            req.headers_mut().insert(header::AUTHORIZATION, value);
        }
        req
    };
    let uri = "/v1/entities/search?q=iran";
    let cases = [
        (uri, None, StatusCode::UNAUTHORIZED),
        (uri, Some("nope"), StatusCode::FORBIDDEN),
        (uri, Some("reader"), StatusCode::OK),
        (uri, Some("right-key"), StatusCode::OK),
        ("/healthz", None, StatusCode::OK),
        ("/openapi.json", None, StatusCode::OK),
    ];
    for (uri, key, expected) in cases {
        let (status, _) = send(app(state.clone()), with_key(uri, key)).await;
        assert_eq!(status, expected, "{uri} with {key:?}");
    }
    // A read key does not open writes.
    let mut req = post_json("/v1/extract", r#"{"text":"Zarif met Lavrov."}"#);
    req.headers_mut()
        .insert(header::AUTHORIZATION, "Bearer reader".parse().expect("header"));
    let (status, _) = send(app(state), req).await;
    assert_eq!(status, StatusCode::FORBIDDEN);
}
