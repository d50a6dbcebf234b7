//! `GET /v1/events/{id}`: one event with every mention and its article; and [`EventRow`], the
//! CSV shape of an event that every event list shares.

use axum::Json;
use axum::extract::{Path, State};
use diplograph_graph::{EventId, EventView, Page};
use serde::Serialize;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::CsvRow;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_event))
}

/// One event: kind, modality, date, participants in their roles, places, and every sentence of
/// every article that reports it.
#[utoipa::path(
    get, path = "/v1/events/{id}", tag = "events",
    params(("id" = dto::Id, Path, description = "Event id")),
    responses(
        (status = 200, description = "The event", body = dto::Event),
        (status = 304, description = "Not modified (If-None-Match)"),
        (status = 400, description = "Malformed id", body = ErrorBody),
        (status = 404, description = "No such event", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_event(State(s): State<AppState>, Path(id): Path<String>) -> ApiResult<Json<EventView>> {
    let id = EventId::parse(&id).map_err(|e| ApiError::BadRequest(e.to_string()))?;
    Ok(Json(s.store.event(&id).await?))
}

/// An event as one CSV line: participants as `name (role, country)` joined by `; `, the first
/// report's article and sentence.
#[derive(Debug, Serialize)]
pub(crate) struct EventRow {
    id: String,
    date: Option<String>,
    kind: &'static str,
    modality: &'static str,
    participants: String,
    places: String,
    confidence: f64,
    mentions: usize,
    url: Option<String>,
    evidence: Option<String>,
}

impl CsvRow for EventRow {
    const HEADER: &'static [&'static str] = &[
        "id",
        "date",
        "kind",
        "modality",
        "participants",
        "places",
        "confidence",
        "mentions",
        "url",
        "evidence",
    ];
}

impl From<EventView> for EventRow {
    fn from(event: EventView) -> Self {
        let participants: Vec<String> = event
            .participants
            .iter()
            .map(|p| match p.country {
                Some(c) => format!("{} ({}, {c})", p.name, p.role),
                None => format!("{} ({})", p.name, p.role),
            })
            .collect();
        let places: Vec<&str> = event.places.iter().map(|p| p.name.as_str()).collect();
        let first = event.mentions.first();
        Self {
            id: event.id.to_string(),
            date: (!event.date.is_unknown()).then(|| event.date.to_string()),
            kind: event.kind.as_str(),
            modality: event.modality.as_str(),
            participants: participants.join("; "),
            places: places.join("; "),
            confidence: event.confidence,
            mentions: event.mentions.len(),
            url: first.and_then(|m| m.url.clone()),
            evidence: first.map(|m| m.evidence.split_whitespace().collect::<Vec<_>>().join(" ")),
        }
    }
}

/// The CSV rows of a page of events.
pub(crate) fn page_rows(page: Page<EventView>) -> Vec<EventRow> {
    page.items.into_iter().map(EventRow::from).collect()
}
