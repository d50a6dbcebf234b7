//! [`ApiError`]: every failure a handler or middleware can answer with, and its JSON shape
//! `{"error":{"code":"not_found","message":"…"}}`.

use axum::Json;
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use diplograph_core::CoreError;
use diplograph_graph::StoreError;
use serde_json::json;

/// The result type of handlers.
pub type ApiResult<T> = Result<T, ApiError>;

/// An error answered to the client. The message is for humans; `code` is for programs.
#[derive(Debug, thiserror::Error)]
pub enum ApiError {
    /// The request is malformed: a bad parameter, a value out of range.
    #[error("{0}")]
    BadRequest(String),
    /// The body is not syntactically valid JSON.
    #[error("{0}")]
    InvalidJson(String),
    /// The body is valid JSON of the wrong shape (missing field, wrong type).
    #[error("{0}")]
    InvalidBody(String),
    /// A write without an `Authorization: Bearer <key>` header.
    #[error("missing api key: send the header `Authorization: Bearer <key>`")]
    Unauthorized,
    /// A write with a key that is not one of the configured keys.
    #[error("invalid api key")]
    Forbidden,
    /// The resource or route does not exist.
    #[error("{0}")]
    NotFound(String),
    /// The route exists but not for this method.
    #[error("{0}")]
    MethodNotAllowed(String),
    /// The request conflicts with what is stored.
    #[error("{0}")]
    Conflict(String),
    /// The body is larger than `DIPLOGRAPH_MAX_BODY`.
    #[error("{0}")]
    PayloadTooLarge(String),
    /// The body has a content type we do not read.
    #[error("{0}")]
    UnsupportedMediaType(String),
    /// A dependency (the database) is down; retrying later may work.
    #[error("{0}")]
    Unavailable(String),
    /// A bug or an unexpected failure. The chain is logged; the client sees only "internal error".
    #[error("internal error")]
    Internal(#[from] anyhow::Error),
}

impl ApiError {
    /// The HTTP status this error is answered with.
    pub fn status_code(&self) -> StatusCode {
        match self {
            Self::BadRequest(_) | Self::InvalidJson(_) => StatusCode::BAD_REQUEST,
            Self::InvalidBody(_) => StatusCode::UNPROCESSABLE_ENTITY,
            Self::Unauthorized => StatusCode::UNAUTHORIZED,
            Self::Forbidden => StatusCode::FORBIDDEN,
            Self::NotFound(_) => StatusCode::NOT_FOUND,
            Self::MethodNotAllowed(_) => StatusCode::METHOD_NOT_ALLOWED,
            Self::Conflict(_) => StatusCode::CONFLICT,
            Self::PayloadTooLarge(_) => StatusCode::PAYLOAD_TOO_LARGE,
            Self::UnsupportedMediaType(_) => StatusCode::UNSUPPORTED_MEDIA_TYPE,
            Self::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
            Self::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
        }
    }

    /// The stable, machine-readable code sent as `error.code`.
    pub fn code(&self) -> &'static str {
        match self {
            Self::BadRequest(_) => "bad_request",
            Self::InvalidJson(_) => "invalid_json",
            Self::InvalidBody(_) => "invalid_body",
            Self::Unauthorized => "unauthorized",
            Self::Forbidden => "forbidden",
            Self::NotFound(_) => "not_found",
            Self::MethodNotAllowed(_) => "method_not_allowed",
            Self::Conflict(_) => "conflict",
            Self::PayloadTooLarge(_) => "payload_too_large",
            Self::UnsupportedMediaType(_) => "unsupported_media_type",
            Self::Unavailable(_) => "unavailable",
            Self::Internal(_) => "internal",
        }
    }
}

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        if let Self::Internal(err) = &self {
            tracing::error!(error = ?err, "internal error");
        }
        let mut res = error_response(self.status_code(), self.code(), &self.to_string());
        if matches!(self, Self::Unauthorized) {
            res.headers_mut()
                .insert(header::WWW_AUTHENTICATE, HeaderValue::from_static("Bearer"));
        }
        res
    }
}

/// Invalid user input found while validating a domain value is the client's fault.
impl From<CoreError> for ApiError {
    fn from(err: CoreError) -> Self {
        Self::BadRequest(err.to_string())
    }
}

/// Store failures: "not found" and conflicts are the client's business, the rest is ours.
impl From<StoreError> for ApiError {
    fn from(err: StoreError) -> Self {
        match err {
            StoreError::NotFound(_) => Self::NotFound(err.to_string()),
            StoreError::Conflict { .. } => Self::Conflict(err.to_string()),
            StoreError::InvalidInput(_) => Self::BadRequest(err.to_string()),
            other => Self::Internal(anyhow::Error::new(other)),
        }
    }
}

/// Builds the JSON error body every error response carries.
pub(crate) fn error_response(status: StatusCode, code: &str, message: &str) -> Response {
    let body = json!({ "error": { "code": code, "message": message } });
    (status, Json(body)).into_response()
}

/// The `error.code` and a default message for a bare status produced by a layer (timeout,
/// body limit, method router) rather than by our handlers.
pub(crate) fn describe_status(status: StatusCode) -> (&'static str, &'static str) {
    match status {
        StatusCode::BAD_REQUEST => ("bad_request", "bad request"),
        StatusCode::UNAUTHORIZED => ("unauthorized", "unauthorized"),
        StatusCode::FORBIDDEN => ("forbidden", "forbidden"),
        StatusCode::NOT_FOUND => ("not_found", "not found"),
        StatusCode::METHOD_NOT_ALLOWED => ("method_not_allowed", "method not allowed for this route"),
        StatusCode::REQUEST_TIMEOUT => ("timeout", "the request took too long and was cancelled"),
        StatusCode::PAYLOAD_TOO_LARGE => ("payload_too_large", "request body is larger than the limit"),
        StatusCode::UNSUPPORTED_MEDIA_TYPE => ("unsupported_media_type", "unsupported content type"),
        StatusCode::UNPROCESSABLE_ENTITY => ("invalid_body", "request body has the wrong shape"),
        StatusCode::TOO_MANY_REQUESTS => ("rate_limited", "too many requests"),
        StatusCode::SERVICE_UNAVAILABLE => ("unavailable", "service unavailable"),
        s if s.is_server_error() => ("internal", "internal error"),
        _ => ("error", "request failed"),
    }
}

#[cfg(test)]
mod tests {
    use http_body_util::BodyExt;

    use super::*;

    async fn body_json(res: Response) -> serde_json::Value {
        let bytes = res.into_body().collect().await.expect("body").to_bytes();
        serde_json::from_slice(&bytes).expect("json body")
    }

    #[tokio::test]
    async fn not_found_has_code_and_message() {
        let res = ApiError::NotFound("unknown country IRX".into()).into_response();
        assert_eq!(res.status(), StatusCode::NOT_FOUND);
        let body = body_json(res).await;
        assert_eq!(body["error"]["code"], "not_found");
        assert_eq!(body["error"]["message"], "unknown country IRX");
    }

    #[tokio::test]
    async fn internal_error_hides_the_cause() {
        let err = anyhow::anyhow!("password=hunter2 leaked").context("querying the store");
        let res = ApiError::from(err).into_response();
        assert_eq!(res.status(), StatusCode::INTERNAL_SERVER_ERROR);
        let body = body_json(res).await;
        assert_eq!(body["error"]["code"], "internal");
        assert_eq!(body["error"]["message"], "internal error");
    }

    #[tokio::test]
    async fn unauthorized_asks_for_a_bearer_token() {
        let res = ApiError::Unauthorized.into_response();
        assert_eq!(res.status(), StatusCode::UNAUTHORIZED);
        assert_eq!(res.headers()[header::WWW_AUTHENTICATE], "Bearer");
    }

    #[test]
    fn core_errors_are_bad_requests() {
        let err = ApiError::from(CoreError::UnknownCountry("XXX".into()));
        assert_eq!(err.status_code(), StatusCode::BAD_REQUEST);
        assert_eq!(err.code(), "bad_request");
    }
}
