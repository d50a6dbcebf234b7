//! The glue between the extractor and the store: validate an [`ArticleRequest`], extract on a
//! blocking thread (extraction is CPU-bound), `store.apply(&extraction)` (or `apply_batch` for
//! many), then count each article and publish its stored events to the live feed.

use std::time::Instant;

use diplograph_core::Extraction;
use diplograph_graph::{ApplyReport, EventId};
use diplograph_ingest::{ArticleInput, Extractor};

use crate::dto::ArticleRequest;
use crate::error::{ApiError, ApiResult};
use crate::live::LiveKind;
use crate::state::AppState;

/// Longest `url`, `title`, `source` and `published` accepted, in characters (as the document's
/// `maxLength` counts).
const MAX_URL: usize = 2048;
const MAX_TITLE: usize = 1024;
const MAX_SOURCE: usize = 256;
const MAX_PUBLISHED: usize = 64;

/// Checks a request and turns it into the extractor's input; every problem is `422`.
pub(crate) fn to_input(req: ArticleRequest) -> ApiResult<ArticleInput> {
    let fields = [
        ("text", Some(&req.text), usize::MAX),
        ("url", req.url.as_ref(), MAX_URL),
        ("title", req.title.as_ref(), MAX_TITLE),
        ("source", req.source.as_ref(), MAX_SOURCE),
        ("published", req.published.as_ref(), MAX_PUBLISHED),
    ];
    for (name, value, max) in fields {
        let Some(value) = value else { continue };
        if value.contains('\0') {
            return Err(ApiError::InvalidBody(format!("{name} contains a NUL character")));
        }
        // Bytes bound the characters from above: count only when the bytes could be too many.
        if value.len() > max && value.chars().count() > max {
            return Err(ApiError::InvalidBody(format!(
                "{name} is longer than {max} characters"
            )));
        }
    }
    let value = serde_json::to_value(&req)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("re-encoding an article")))?;
    ArticleInput::from_json_value(value).map_err(|e| ApiError::InvalidBody(e.to_string()))
}

/// Runs the extractor on a blocking thread.
pub(crate) async fn extract(state: &AppState, input: ArticleInput) -> ApiResult<Extraction> {
    let extractor = state.extractor.clone();
    let started = Instant::now();
    let extraction = tokio::task::spawn_blocking(move || extractor.extract(&input))
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("extraction task failed")))?;
    metrics::histogram!("diplograph_extraction_seconds").record(started.elapsed().as_secs_f64());
    Ok(extraction)
}

/// Extracts many inputs on one blocking thread, in order.
pub(crate) async fn extract_all<T: Send + 'static>(
    state: &AppState,
    inputs: Vec<(T, ArticleInput)>,
) -> ApiResult<Vec<(T, Extraction)>> {
    let extractor = state.extractor.clone();
    tokio::task::spawn_blocking(move || run_all(&extractor, inputs))
        .await
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("extraction task failed")))
}

fn run_all<T>(extractor: &Extractor, inputs: Vec<(T, ArticleInput)>) -> Vec<(T, Extraction)> {
    inputs
        .into_iter()
        .map(|(tag, input)| {
            let started = Instant::now();
            let extraction = extractor.extract(&input);
            metrics::histogram!("diplograph_extraction_seconds").record(started.elapsed().as_secs_f64());
            (tag, extraction)
        })
        .collect()
}

/// Stores one extraction, counts it and publishes its events.
pub(crate) async fn store(state: &AppState, extraction: &Extraction) -> ApiResult<ApplyReport> {
    let report = state.store.apply(extraction).await?;
    record(state, &report).await;
    Ok(report)
}

/// Stores extractions in one transaction, each article in a savepoint of its own
/// (`Store::apply_batch`): each article's result, in order, counted and published like
/// [`store`]'s. The outer error means nothing of them was stored.
pub(crate) async fn store_batch(
    state: &AppState,
    extractions: &[Extraction],
) -> ApiResult<Vec<ApiResult<ApplyReport>>> {
    let outcomes = state.store.apply_batch(extractions).await?;
    let mut results = Vec::with_capacity(outcomes.len());
    for outcome in outcomes {
        results.push(match outcome {
            Ok(report) => {
                record(state, &report).await;
                Ok(report)
            }
            Err(err) => Err(ApiError::from(err)),
        });
    }
    Ok(results)
}

/// Counts a stored (or duplicate) article and publishes its events.
async fn record(state: &AppState, report: &ApplyReport) {
    let result = if report.duplicate { "duplicate" } else { "stored" };
    metrics::counter!("diplograph_articles_total", "result" => result).increment(1);
    metrics::counter!("diplograph_events_total", "result" => "new").increment(report.new_events as u64);
    metrics::counter!("diplograph_events_total", "result" => "deduplicated")
        .increment(report.deduplicated_events as u64);
    if !report.duplicate {
        publish(state, report).await;
    }
}

/// Counts an article refused before it reached the store.
pub(crate) fn count_rejected() {
    metrics::counter!("diplograph_articles_total", "result" => "rejected").increment(1);
}

/// Sends each event of a newly stored article to the live feed: `event` when the article
/// created it (the oldest mention is this article's, also when later articles of the same batch
/// reported it again), `mention` when it reported an event already stored. A failed read is logged; the article is stored either way.
async fn publish(state: &AppState, report: &ApplyReport) {
    for id in &report.event_ids {
        match state.store.event(id).await {
            Ok(view) => {
                let created = view
                    .mentions
                    .first()
                    .is_some_and(|m| m.article_id == report.article_id);
                let kind = if created {
                    LiveKind::Created
                } else {
                    LiveKind::Mentioned
                };
                state.live.publish(kind, &view);
            }
            Err(err) => log_unpublished(id, &err),
        }
    }
}

fn log_unpublished(id: &EventId, err: &diplograph_graph::StoreError) {
    tracing::warn!(event = %id, error = %err, "stored event not sent to the live stream");
}

#[cfg(test)]
mod tests {
    use super::*;

    fn request(text: &str) -> ArticleRequest {
        ArticleRequest {
            text: text.to_owned(),
            url: None,
            title: None,
            published: None,
            source: None,
        }
    }

    #[test]
    fn blank_text_nul_bytes_and_bad_dates_are_unprocessable() {
        let status = |req| to_input(req).expect_err("rejected").status_code().as_u16();
        assert_eq!(status(request("  \n ")), 422);
        assert_eq!(status(request("a\0b")), 422);
        let mut dated = request("Zarif met Lavrov.");
        dated.published = Some("2020-02-30".into());
        assert_eq!(status(dated), 422);
        let mut long_url = request("Zarif met Lavrov.");
        long_url.url = Some("x".repeat(MAX_URL + 1));
        assert_eq!(status(long_url), 422);
    }

    #[test]
    fn a_good_request_becomes_an_input() {
        let mut req = request("Zarif met Lavrov.");
        req.published = Some("2020-07-22T10:00:00Z".into());
        let input = to_input(req).expect("valid");
        assert_eq!(input.text, "Zarif met Lavrov.");
    }
}
