//! One file per resource, each with its own `router()`; [`router`] merges them and adds the
//! JSON fallbacks for unknown routes (404) and unsupported methods (405).

use axum::Router;
use axum::http::{Method, Uri};

use crate::error::ApiError;
use crate::state::AppState;

mod health;

/// Every route of the API, without middleware and state.
pub(crate) fn router() -> Router<AppState> {
    Router::new()
        .merge(health::router())
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
}

async fn not_found(method: Method, uri: Uri) -> ApiError {
    ApiError::NotFound(format!("no route for {method} {}", uri.path()))
}

async fn method_not_allowed(method: Method, uri: Uri) -> ApiError {
    ApiError::MethodNotAllowed(format!("{method} is not allowed on {}", uri.path()))
}
