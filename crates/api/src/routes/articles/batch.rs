//! `POST /v1/articles/batch`: NDJSON, one article object per line. Each non-blank line is read
//! and extracted on its own; the articles are stored [`STORE_CHUNK`] to a transaction, each in a
//! savepoint of its own, so a bad line is reported with its 1-based number and the good ones
//! land.

use axum::Json;
use axum::body::Bytes;
use axum::extract::State;
use axum::extract::rejection::BytesRejection;
use axum::http::{HeaderMap, StatusCode, header};
use diplograph_graph::ApplyReport;
use diplograph_ingest::ArticleInput;
use serde::Serialize;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::ingest;
use crate::state::AppState;

/// Most lines one batch may hold.
pub(crate) const MAX_BATCH_LINES: usize = 10_000;
/// Articles stored per transaction (as `diplograph ingest` does).
const STORE_CHUNK: usize = 256;

/// Media types accepted for the body.
const NDJSON_TYPES: [&str; 5] = [
    "application/x-ndjson",
    "application/ndjson",
    "application/jsonl",
    "application/x-jsonlines",
    "application/json",
];

#[derive(Debug, Serialize)]
pub(crate) struct BatchResult {
    lines: usize,
    stored: usize,
    duplicates: usize,
    failed: usize,
    results: Vec<BatchLine>,
}

#[derive(Debug, Serialize)]
struct BatchLine {
    line: usize,
    status: &'static str,
    stored: Option<ApplyReport>,
    error: Option<LineError>,
}

#[derive(Debug, Serialize)]
struct LineError {
    code: &'static str,
    message: String,
}

/// Store many articles from NDJSON (`{"text":…}` per line). The answer has one result per
/// non-blank line, in order: `stored`, `duplicate`, or `error` with the reason.
#[utoipa::path(
    post, path = "/v1/articles/batch", tag = "ingestion",
    request_body(content = dto::NdjsonBody, content_type = "application/x-ndjson",
        description = "One article object (as for `POST /v1/articles`) per line"),
    responses(
        (status = 200, description = "One result per line", body = dto::BatchResult),
        (status = 401, description = "Missing api key", body = ErrorBody),
        (status = 403, description = "Wrong api key", body = ErrorBody),
        (status = 413, description = "Body over the limit or too many lines", body = ErrorBody),
        (status = 415, description = "Not NDJSON", body = ErrorBody),
        (status = 422, description = "No article in the body", body = ErrorBody),
    ),
    security(("api_key" = []))
)]
#[tracing::instrument(skip_all)]
pub(crate) async fn store_batch(
    State(s): State<AppState>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> ApiResult<(StatusCode, Json<BatchResult>)> {
    check_content_type(&headers)?;
    let body = body.map_err(read_error)?;
    let Parsed { inputs, failures } = parse_lines(&body)?;
    let extracted = ingest::extract_all(&s, inputs).await?;
    let (lines, extractions): (Vec<usize>, Vec<_>) = extracted.into_iter().unzip();
    let mut results: Vec<BatchLine> = failures;
    for (lines, chunk) in lines.chunks(STORE_CHUNK).zip(extractions.chunks(STORE_CHUNK)) {
        match ingest::store_batch(&s, chunk).await {
            Ok(outcomes) => {
                results.extend(lines.iter().zip(outcomes).map(|(&line, outcome)| match outcome {
                    Ok(report) => stored_line(line, report),
                    Err(err) => error_line(line, &err),
                }))
            }
            // The transaction failed: none of its articles is stored, and each line says so.
            Err(err) => results.extend(lines.iter().map(|&line| error_line(line, &err))),
        }
    }
    results.sort_by_key(|r| r.line);
    Ok((StatusCode::OK, Json(summarize(results))))
}

fn check_content_type(headers: &HeaderMap) -> ApiResult<()> {
    let media = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|v| v.trim().to_ascii_lowercase());
    match media {
        Some(m) if NDJSON_TYPES.contains(&m.as_str()) => Ok(()),
        _ => Err(ApiError::UnsupportedMediaType(
            "expected `content-type: application/x-ndjson`".to_owned(),
        )),
    }
}

fn read_error(rejection: BytesRejection) -> ApiError {
    if rejection.status() == StatusCode::PAYLOAD_TOO_LARGE {
        ApiError::PayloadTooLarge("request body is larger than the limit".to_owned())
    } else {
        ApiError::BadRequest(format!(
            "could not read the request body: {}",
            rejection.body_text()
        ))
    }
}

/// The lines of a batch: inputs by line number, and the results of the lines that failed.
struct Parsed {
    inputs: Vec<(usize, ArticleInput)>,
    failures: Vec<BatchLine>,
}

/// Splits the body into lines; good ones become inputs, bad ones results with their error.
fn parse_lines(body: &[u8]) -> ApiResult<Parsed> {
    let lines: Vec<(usize, &[u8])> = body
        .split(|b| *b == b'\n')
        .enumerate()
        .map(|(n, line)| (n + 1, line.strip_suffix(b"\r").unwrap_or(line)))
        .filter(|(_, line)| !line.trim_ascii().is_empty())
        .collect();
    if lines.is_empty() {
        return Err(ApiError::InvalidBody("the batch holds no article".to_owned()));
    }
    if lines.len() > MAX_BATCH_LINES {
        return Err(ApiError::PayloadTooLarge(format!(
            "a batch holds at most {MAX_BATCH_LINES} articles, this one {}",
            lines.len()
        )));
    }
    let mut inputs = Vec::new();
    let mut failures = Vec::new();
    for (n, line) in lines {
        match parse_line(line) {
            Ok(input) => inputs.push((n, input)),
            Err(err) => {
                ingest::count_rejected();
                failures.push(error_line(n, &err));
            }
        }
    }
    Ok(Parsed { inputs, failures })
}

/// Reads one line of a batch (or a `POST /v1/articles` body) as an article: UTF-8, a JSON object
/// of the request's shape, every field within its limits. Pure; a bad line is a `400`/`422`.
pub fn parse_line(line: &[u8]) -> ApiResult<ArticleInput> {
    let text =
        std::str::from_utf8(line).map_err(|_| ApiError::InvalidJson("line is not valid utf-8".to_owned()))?;
    let req = serde_json::from_str(text).map_err(|e| match e.classify() {
        serde_json::error::Category::Data => ApiError::InvalidBody(format!("invalid article: {e}")),
        _ => ApiError::InvalidJson(format!("malformed json: {e}")),
    })?;
    ingest::to_input(req)
}

fn stored_line(line: usize, report: ApplyReport) -> BatchLine {
    BatchLine {
        line,
        status: if report.duplicate { "duplicate" } else { "stored" },
        stored: Some(report),
        error: None,
    }
}

fn error_line(line: usize, err: &ApiError) -> BatchLine {
    if let ApiError::Internal(cause) = err {
        tracing::error!(line, error = ?cause, "batch line failed");
    }
    BatchLine {
        line,
        status: "error",
        stored: None,
        error: Some(LineError {
            code: err.code(),
            message: err.to_string(),
        }),
    }
}

fn summarize(results: Vec<BatchLine>) -> BatchResult {
    let count = |status: &str| results.iter().filter(|r| r.status == status).count();
    BatchResult {
        lines: results.len(),
        stored: count("stored"),
        duplicates: count("duplicate"),
        failed: count("error"),
        results,
    }
}
