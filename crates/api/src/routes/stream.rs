//! `GET /v1/stream`: Server-Sent Events of newly stored events. Each SSE message has a numeric
//! `id`, an `event` name (`event` for a new event, `mention` when another article reported a
//! stored one) and the event as JSON `data`. A client that reconnects with `Last-Event-ID` (or
//! `?last_event_id=`) first gets what it missed from a bounded replay buffer; when even that
//! was not enough, a `gap` message says so. A `lagged` message reports items a slow client lost.

use std::convert::Infallible;

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::sse::{Event, KeepAlive, Sse};
use futures_util::stream::{self, Stream, StreamExt};
use serde::Deserialize;
use tokio_stream::wrappers::BroadcastStream;
use tokio_stream::wrappers::errors::BroadcastStreamRecvError;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::live::LiveItem;
use crate::query::ApiQuery;
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(get_stream))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct StreamParams {
    /// The id of the last message received, for clients that cannot send `Last-Event-ID`.
    #[param(value_type = Option<dto::StreamId>)]
    last_event_id: Option<String>,
}

/// The header a reconnecting `EventSource` sends; documented only (the handler reads the map).
#[derive(IntoParams)]
#[into_params(parameter_in = Header)]
#[allow(dead_code)] // only the document reads it
struct StreamHeaders {
    /// The id of the last message received; wins over `last_event_id`.
    #[param(rename = "Last-Event-ID", required = false, value_type = dto::StreamId)]
    last_event_id: Option<String>,
}

/// Newly stored events as Server-Sent Events (`text/event-stream`), resumable with
/// `Last-Event-ID`.
#[utoipa::path(
    get, path = "/v1/stream", tag = "events",
    params(StreamParams, StreamHeaders),
    responses(
        (status = 200, description = "An endless stream of `event`, `mention`, `gap` and `lagged` messages",
            content_type = "text/event-stream", body = dto::StreamMessage),
        (status = 400, description = "`Last-Event-ID` or `last_event_id` is not an id this server sends",
            body = ErrorBody),
    )
)]
#[tracing::instrument(skip_all)]
async fn get_stream(
    State(s): State<AppState>,
    headers: HeaderMap,
    ApiQuery(params): ApiQuery<StreamParams>,
) -> ApiResult<Sse<impl Stream<Item = Result<Event, Infallible>>>> {
    let last_id = last_event_id(&headers, params.last_event_id.as_deref())?;
    let sub = s.live.subscribe(last_id);
    let connected = Event::default().comment("connected");
    let gap = sub.gap.then(|| {
        Event::default()
            .event("gap")
            .data(r#"{"message":"some events were dropped from the replay buffer; reload the timeline"}"#)
    });
    let head = stream::iter(
        std::iter::once(connected)
            .chain(gap)
            .chain(sub.backlog.into_iter().map(message)),
    );
    let live = BroadcastStream::new(sub.rx).map(|item| match item {
        Ok(item) => message(item),
        Err(BroadcastStreamRecvError::Lagged(n)) => Event::default()
            .event("lagged")
            .data(format!(r#"{{"missed":{n}}}"#)),
    });
    let events = head.chain(live).take_until(s.live.closed()).map(Ok);
    Ok(Sse::new(events).keep_alive(KeepAlive::default()))
}

fn message(item: LiveItem) -> Event {
    Event::default()
        .id(item.id.to_string())
        .event(item.kind.as_str())
        .data(item.json.as_ref())
}

/// The id to resume after: the header wins over the query parameter, but a malformed one of
/// either is a `400` (a bad parameter is never silently ignored).
fn last_event_id(headers: &HeaderMap, query: Option<&str>) -> ApiResult<Option<u64>> {
    let header = headers.get("last-event-id").map(|v| v.to_str().unwrap_or("?"));
    let header = header.map(stream_id).transpose()?.flatten();
    let query = query.map(stream_id).transpose()?.flatten();
    Ok(header.or(query))
}

/// A message id (digits, surrounding spaces ignored); blank is `None`.
fn stream_id(raw: &str) -> ApiResult<Option<u64>> {
    match raw.trim() {
        "" => Ok(None),
        raw if raw.bytes().all(|b| b.is_ascii_digit()) => raw.parse::<u64>().map(Some).map_err(|_| bad_id()),
        _ => Err(bad_id()),
    }
}

fn bad_id() -> ApiError {
    ApiError::BadRequest("last-event-id must be the id of a message from this stream".to_owned())
}
