//! Bodies announced larger than `DIPLOGRAPH_MAX_BODY` get `413` at once, and the rest of the
//! upload is read and thrown away in the background (up to a bound), so the client receives the
//! answer: closing a connection on an unread upload resets it, and most HTTP clients then report
//! a broken pipe instead of the `413`. Bodies that grow past the limit without announcing their
//! length are cut by `RequestBodyLimitLayer` further in.

use std::time::Duration;

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::header;
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use http_body_util::BodyExt;

use crate::error::ApiError;
use crate::state::AppState;

/// The most of a refused upload read before the connection is dropped anyway.
const MAX_DRAIN_BYTES: u64 = 64 * 1024 * 1024;
/// The longest a refused upload is read.
const MAX_DRAIN_TIME: Duration = Duration::from_secs(30);

/// Middleware: see the module docs.
pub(crate) async fn refuse_oversized(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let declared = req
        .headers()
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.trim().parse::<u64>().ok());
    let limit = state.config.max_body as u64;
    match declared {
        Some(len) if len > limit => {
            if len <= MAX_DRAIN_BYTES {
                tokio::spawn(drain(req.into_body()));
            }
            ApiError::PayloadTooLarge(format!(
                "request body is {len} bytes, more than the {limit} allowed"
            ))
            .into_response()
        }
        _ => next.run(req).await,
    }
}

async fn drain(mut body: Body) {
    let read_all = async {
        while let Some(frame) = body.frame().await {
            if frame.is_err() {
                break;
            }
        }
    };
    let _ = tokio::time::timeout(MAX_DRAIN_TIME, read_all).await;
}
