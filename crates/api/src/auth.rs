//! The middleware that checks `Authorization: Bearer <key>` on every write (any method but
//! `GET`, `HEAD`, `OPTIONS`) and, when read keys are configured, on reads, against the keys in
//! force in the [`KeyRing`](crate::KeyRing) (see `keys`). Keys are never logged: the log lines
//! name the method and path only.

use axum::extract::{Request, State};
use axum::http::{HeaderMap, Method, header};
use axum::middleware::Next;
use axum::response::Response;

use crate::error::ApiError;
use crate::state::AppState;

/// Middleware: writes need a valid bearer key when keys are configured (401 without a key,
/// 403 with a wrong one). Reads pass, unless read keys are configured: then `GET` and `HEAD`
/// need a read or write key, except on the public paths (health, readiness, docs).
pub(crate) async fn require_keys(
    State(state): State<AppState>,
    req: Request,
    next: Next,
) -> Result<Response, ApiError> {
    let keys = state.config.keys.current();
    let needs_key = if is_read(req.method()) {
        keys.read.is_enabled() && req.method() != Method::OPTIONS && !is_public(req.uri().path())
    } else {
        keys.write.is_enabled()
    };
    if !needs_key {
        return Ok(next.run(req).await);
    }
    let Some(token) = bearer_token(req.headers()) else {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "request without an api key");
        return Err(ApiError::Unauthorized);
    };
    if keys.identify(token, is_read(req.method())).is_none() {
        tracing::warn!(method = %req.method(), path = req.uri().path(), "request with a wrong api key");
        return Err(ApiError::Forbidden);
    }
    Ok(next.run(req).await)
}

/// Paths that never need a read key: probes and the API's own description.
fn is_public(path: &str) -> bool {
    matches!(path, "/healthz" | "/readyz" | "/openapi.json" | "/docs") || path.starts_with("/docs/")
}

pub(crate) fn is_read(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

/// The token of an `Authorization: Bearer <token>` header; the scheme is case-insensitive.
pub(crate) fn bearer_token(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.trim().split_once(' ')?;
    let token = token.trim();
    (scheme.eq_ignore_ascii_case("bearer") && !token.is_empty()).then_some(token)
}

#[cfg(test)]
mod tests {
    use axum::http::HeaderValue;

    use super::*;

    #[test]
    fn bearer_token_is_read_case_insensitively() {
        let mut headers = HeaderMap::new();
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("bearer  tok"));
        assert_eq!(bearer_token(&headers), Some("tok"));
        headers.insert(header::AUTHORIZATION, HeaderValue::from_static("Basic dXNlcg=="));
        assert_eq!(bearer_token(&headers), None);
    }
}
