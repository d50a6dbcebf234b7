//! [`ApiJson`]: axum's `Json` with our error shape for bodies that are not what we expect.

use axum::Json;
use axum::extract::rejection::JsonRejection;
use axum::extract::{FromRequest, Request};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use serde::Serialize;
use serde::de::DeserializeOwned;

use crate::error::ApiError;

/// A JSON request body (or response). Rejections become [`ApiError`]s: a syntax error is
/// `400 invalid_json`, a wrong shape `422 invalid_body`, a missing content type
/// `415 unsupported_media_type`, a body over the limit `413 payload_too_large`.
#[derive(Debug, Clone, Copy, Default)]
pub struct ApiJson<T>(pub T);

impl<T, S> FromRequest<S> for ApiJson<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        match Json::<T>::from_request(req, state).await {
            Ok(Json(value)) => Ok(Self(value)),
            Err(rejection) => Err(rejection_to_error(rejection)),
        }
    }
}

impl<T: Serialize> IntoResponse for ApiJson<T> {
    fn into_response(self) -> Response {
        Json(self.0).into_response()
    }
}

fn rejection_to_error(rejection: JsonRejection) -> ApiError {
    let detail = source_message(&rejection);
    match rejection {
        JsonRejection::JsonSyntaxError(_) => ApiError::InvalidJson(format!("malformed json: {detail}")),
        JsonRejection::JsonDataError(_) => ApiError::InvalidBody(format!("invalid request body: {detail}")),
        JsonRejection::MissingJsonContentType(_) => {
            ApiError::UnsupportedMediaType("expected `content-type: application/json`".to_owned())
        }
        JsonRejection::BytesRejection(r) if r.status() == StatusCode::PAYLOAD_TOO_LARGE => {
            ApiError::PayloadTooLarge("request body is larger than the limit".to_owned())
        }
        _ => ApiError::BadRequest(format!("could not read the request body: {detail}")),
    }
}

/// The innermost useful message: serde's "missing field `text` at line 1 column 2" rather
/// than axum's generic sentence.
fn source_message(rejection: &JsonRejection) -> String {
    let mut err: &dyn std::error::Error = rejection;
    while let Some(source) = err.source() {
        err = source;
    }
    err.to_string()
}

#[cfg(test)]
mod tests {
    use axum::body::Body;
    use axum::http::header;

    use super::*;

    #[derive(Debug, serde::Deserialize)]
    struct Article {
        text: String,
    }

    async fn parse(content_type: Option<&str>, body: &'static [u8]) -> Result<ApiJson<Article>, ApiError> {
        let mut req = Request::builder().method("POST").uri("/");
        if let Some(ct) = content_type {
            req = req.header(header::CONTENT_TYPE, ct);
        }
        let req = req.body(Body::from(body)).expect("request");
        ApiJson::<Article>::from_request(req, &()).await
    }

    #[tokio::test]
    async fn valid_body_is_parsed() {
        let ApiJson(article) = parse(Some("application/json"), br#"{"text":"hi"}"#)
            .await
            .expect("parsed");
        assert_eq!(article.text, "hi");
    }

    #[tokio::test]
    async fn syntax_error_is_invalid_json() {
        let err = parse(Some("application/json"), b"{\"text\":")
            .await
            .expect_err("rejected");
        assert_eq!(err.status_code(), StatusCode::BAD_REQUEST);
        assert_eq!(err.code(), "invalid_json");
    }

    #[tokio::test]
    async fn wrong_shape_is_invalid_body_naming_the_field() {
        let err = parse(Some("application/json"), br#"{"txt":"hi"}"#)
            .await
            .expect_err("rejected");
        assert_eq!(err.status_code(), StatusCode::UNPROCESSABLE_ENTITY);
        assert!(err.to_string().contains("missing field `text`"), "{err}");
    }

    #[tokio::test]
    async fn missing_content_type_is_unsupported_media_type() {
        let err = parse(None, br#"{"text":"hi"}"#).await.expect_err("rejected");
        assert_eq!(err.status_code(), StatusCode::UNSUPPORTED_MEDIA_TYPE);
    }

    #[tokio::test]
    async fn invalid_utf8_is_invalid_json() {
        let err = parse(Some("application/json"), b"{\"text\":\"\xff\"}")
            .await
            .expect_err("rejected");
        assert_eq!(err.status_code(), StatusCode::BAD_REQUEST);
    }
}
