//! Conditional reads: every successful JSON or CSV `GET` under `/v1/` (and `/openapi.json`; not
//! the streams `/v1/stream` and `/v1/export`) gets a weak `ETag` (a hash of its media type and
//! body), `Cache-Control: no-cache` (`private` when reads need a key) and `Vary: Accept`; a
//! request whose `If-None-Match` matches gets `304 Not Modified` with no body.
//!
//! Hashing the body rather than keeping a version counter keeps the tag right however the data
//! changed (another process may import into the same database) and equal across replicas.

use axum::body::Body;
use axum::extract::{Request, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use axum_extra::headers::{ETag, HeaderMapExt, IfNoneMatch};
use sha2::{Digest, Sha256};

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware: see the module docs.
pub(crate) async fn etag(State(state): State<AppState>, req: Request, next: Next) -> Response {
    if !applies_to(req.method(), req.uri().path()) {
        return next.run(req).await;
    }
    let if_none_match = req.headers().typed_get::<IfNoneMatch>();
    let res = next.run(req).await;
    let content_type = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|ct| ct.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let cacheable = content_type.starts_with("application/json") || content_type.starts_with("text/csv");
    if res.status() != StatusCode::OK || !cacheable {
        return res;
    }
    let (parts, body) = res.into_parts();
    let bytes = match axum::body::to_bytes(body, usize::MAX).await {
        Ok(bytes) => bytes,
        Err(err) => {
            return ApiError::Internal(anyhow::anyhow!("buffering a response: {err}")).into_response();
        }
    };
    let tag = weak_tag(&content_type, &bytes);
    let private = state.config.keys.current().read.is_enabled();
    finish(parts, bytes, &tag, if_none_match.as_ref(), private)
}

/// Adds the validators to a buffered `200`, or turns it into a `304` when the client has it.
fn finish(
    mut parts: axum::http::response::Parts,
    bytes: axum::body::Bytes,
    tag: &str,
    if_none_match: Option<&IfNoneMatch>,
    private: bool,
) -> Response {
    let cache_control = if private {
        "private, no-cache"
    } else {
        "public, no-cache"
    };
    parts
        .headers
        .insert(header::CACHE_CONTROL, HeaderValue::from_static(cache_control));
    parts
        .headers
        .append(header::VARY, HeaderValue::from_static("accept"));
    if let Ok(value) = HeaderValue::from_str(tag) {
        parts.headers.insert(header::ETAG, value);
    }
    let etag: Option<ETag> = tag.parse().ok();
    let not_modified = match (if_none_match, &etag) {
        (Some(inm), Some(etag)) => !inm.precondition_passes(etag),
        _ => false,
    };
    if not_modified {
        parts.status = StatusCode::NOT_MODIFIED;
        parts.headers.remove(header::CONTENT_TYPE);
        parts.headers.remove(header::CONTENT_LENGTH);
        return Response::from_parts(parts, Body::empty());
    }
    Response::from_parts(parts, Body::from(bytes))
}

fn applies_to(method: &Method, path: &str) -> bool {
    (method == Method::GET || method == Method::HEAD)
        && (path.starts_with("/v1/") || path == "/openapi.json")
        && path != "/v1/stream"
        // Streamed page by page: buffering it to hash would hold the whole export in memory.
        && path != "/v1/export"
}

/// `W/"<32 hex digits>"`: the first 128 bits of SHA-256 over the media type and the body.
fn weak_tag(content_type: &str, body: &[u8]) -> String {
    let mut hasher = Sha256::new();
    hasher.update(content_type.as_bytes());
    hasher.update([0]);
    hasher.update(body);
    let digest = hasher.finalize();
    let hex: String = digest.iter().take(16).map(|b| format!("{b:02x}")).collect();
    format!("W/\"{hex}\"")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tags_differ_by_body_and_media_type_and_parse_as_etags() {
        let a = weak_tag("application/json", b"{}");
        assert_ne!(a, weak_tag("application/json", b"[]"));
        assert_ne!(a, weak_tag("text/csv", b"{}"));
        assert!(a.parse::<ETag>().is_ok(), "{a}");
    }

    #[test]
    fn only_reads_of_the_api_are_tagged() {
        assert!(applies_to(&Method::GET, "/v1/countries/IRN/ties"));
        assert!(applies_to(&Method::GET, "/openapi.json"));
        assert!(!applies_to(&Method::GET, "/v1/stream"));
        assert!(!applies_to(&Method::GET, "/v1/export"));
        assert!(!applies_to(&Method::GET, "/healthz"));
        assert!(!applies_to(&Method::POST, "/v1/articles"));
    }
}
