//! The middleware stack around the routes, outermost first:
//! sensitive headers → request id → trace → propagate request id → catch panic → metrics →
//! JSON error bodies → timeout → CORS (when configured) → rate limit (when configured) →
//! announced-size check (`body_limit`) → body limit → API keys → ETag/304 on reads.

use std::any::Any;

use axum::Router;
use axum::body::Body;
use axum::extract::DefaultBodyLimit;
use axum::http::{HeaderName, Method, Request, StatusCode, header};
use axum::response::{IntoResponse, Response};
use tower::ServiceBuilder;
use tower_http::catch_panic::CatchPanicLayer;
use tower_http::cors::{AllowOrigin, CorsLayer};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{MakeRequestUuid, PropagateRequestIdLayer, RequestId, SetRequestIdLayer};
use tower_http::sensitive_headers::SetSensitiveRequestHeadersLayer;
use tower_http::timeout::TimeoutLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::{Level, Span};

use crate::config::{ApiConfig, CorsOrigins};
use crate::error::{describe_status, error_response};
use crate::state::AppState;
use crate::{auth, body_limit, conditional, ratelimit, telemetry};

const X_REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Wraps `router` in the whole stack. Layers added later wrap the earlier ones, so this reads
/// inside out.
pub(crate) fn apply(router: Router<AppState>, state: &AppState) -> Router<AppState> {
    let config: &ApiConfig = &state.config;
    let router = router
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            conditional::etag,
        ))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            auth::require_keys,
        ))
        .layer(DefaultBodyLimit::max(config.max_body))
        .layer(RequestBodyLimitLayer::new(config.max_body))
        .layer(axum::middleware::from_fn_with_state(
            state.clone(),
            body_limit::refuse_oversized,
        ));
    let router = match ratelimit::layer(config.rate_limit, config.keys.clone()) {
        Some(limit) => router.layer(limit),
        None => router,
    };
    let router = match &config.cors_origins {
        Some(origins) => router.layer(cors_layer(origins)),
        None => router,
    };
    router.layer(
        ServiceBuilder::new()
            .layer(SetSensitiveRequestHeadersLayer::new([
                header::AUTHORIZATION,
                header::COOKIE,
            ]))
            .layer(SetRequestIdLayer::new(X_REQUEST_ID, MakeRequestUuid))
            .layer(
                TraceLayer::new_for_http()
                    .make_span_with(make_span)
                    .on_response(DefaultOnResponse::new().level(Level::INFO)),
            )
            .layer(PropagateRequestIdLayer::new(X_REQUEST_ID))
            .layer(CatchPanicLayer::custom(panic_response))
            .layer(axum::middleware::from_fn(telemetry::track))
            .layer(axum::middleware::map_response(json_error_bodies))
            .layer(TimeoutLayer::with_status_code(
                StatusCode::REQUEST_TIMEOUT,
                config.request_timeout,
            )),
    )
}

fn cors_layer(origins: &CorsOrigins) -> CorsLayer {
    let allow_origin = match origins {
        CorsOrigins::Any => AllowOrigin::any(),
        CorsOrigins::List(list) => AllowOrigin::list(list.iter().cloned()),
    };
    CorsLayer::new()
        .allow_origin(allow_origin)
        .allow_methods([
            Method::GET,
            Method::HEAD,
            Method::POST,
            Method::PUT,
            Method::DELETE,
        ])
        .allow_headers([
            header::AUTHORIZATION,
            header::CONTENT_TYPE,
            header::ACCEPT,
            header::IF_NONE_MATCH,
            HeaderName::from_static("last-event-id"),
        ])
        .expose_headers([X_REQUEST_ID, header::ETAG, header::RETRY_AFTER])
}

/// One span per request, named after the request id so log lines can be correlated with the
/// `x-request-id` header the client got back. Headers are not recorded.
fn make_span(req: &Request<Body>) -> Span {
    let request_id = req
        .extensions()
        .get::<RequestId>()
        .and_then(|id| id.header_value().to_str().ok());
    tracing::info_span!(
        "request",
        method = %req.method(),
        path = req.uri().path(),
        request_id = request_id.unwrap_or("-"),
    )
}

/// A handler panicked: log what it said and answer like any internal error.
fn panic_response(panic: Box<dyn Any + Send + 'static>) -> Response {
    let message = panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_owned())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "unknown panic payload".to_owned());
    tracing::error!(panic = %message, "handler panicked");
    error_response(StatusCode::INTERNAL_SERVER_ERROR, "internal", "internal error")
}

/// Layers below our handlers (the method router, the body limit, the timeout) answer errors
/// with an empty or plain-text body. Give those our JSON shape, keeping status and headers
/// such as `Allow`.
async fn json_error_bodies(res: Response) -> Response {
    let status = res.status();
    if !(status.is_client_error() || status.is_server_error()) || is_json(&res) {
        return res;
    }
    let (mut parts, _) = res.into_parts();
    let (code, message) = describe_status(status);
    let json = error_response(status, code, message);
    parts.headers.remove(header::CONTENT_LENGTH);
    parts
        .headers
        .insert(header::CONTENT_TYPE, json.headers()[header::CONTENT_TYPE].clone());
    Response::from_parts(parts, json.into_body()).into_response()
}

fn is_json(res: &Response) -> bool {
    res.headers()
        .get(header::CONTENT_TYPE)
        .and_then(|ct| ct.to_str().ok())
        .is_some_and(|ct| ct.starts_with("application/json"))
}
