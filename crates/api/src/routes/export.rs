//! `GET /v1/export?format=csv|jsonl|graphml|gexf|jsonld|gdelt&from&to&country&kinds&modality`:
//! the stored events, records or entity graph in a file format, streamed page by page as the
//! store is read (never the whole export in memory), with the format's media type and a
//! `Content-Disposition` naming a file. The writers are the graph crate's, as for
//! `diplograph export`.

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use diplograph_core::CountryCode;
use diplograph_graph::{ExportFilter, ExportFormat, ExportSink, StoreError};
use futures_util::StreamExt;
use serde::Deserialize;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::query::{ApiQuery, parse_country, parse_day, parse_kinds, parse_modality};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new().routes(routes!(export))
}

/// What to export, and which events.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct ExportParams {
    /// `csv` (one row per event), `jsonl` (entity, article and event records: a backup),
    /// `graphml` or `gexf` (the entity graph with aggregated edges), `jsonld` (JSON-LD,
    /// schema.org terms where they fit) or `gdelt` (GDELT 2.0 event rows, 61 tab-separated columns).
    #[param(required, value_type = dto::ExportFormatName, example = "csv")]
    pub(crate) format: Option<String>,
    /// First day of the event, `YYYY-MM-DD` (inclusive); undated events are then left out.
    #[param(value_type = Option<dto::Day>, example = "2020-01-01")]
    pub(crate) from: Option<String>,
    /// Last first day, `YYYY-MM-DD` (inclusive); not before `from`.
    #[param(value_type = Option<dto::Day>, example = "2020-12-31")]
    pub(crate) to: Option<String>,
    /// Only events in which someone acting for this country takes part (ISO alpha-3 or alpha-2).
    #[param(value_type = Option<dto::Country>, example = "IRN")]
    pub(crate) country: Option<String>,
    /// Comma-separated event kinds, e.g. `VISIT,MEET`; all kinds when absent.
    #[param(value_type = Option<dto::KindList>, example = "VISIT,MEET")]
    pub(crate) kinds: Option<String>,
    /// One modality (`asserted`, `planned`, …). Default: `asserted` for graphml, gexf and gdelt,
    /// every modality otherwise.
    #[param(value_type = Option<dto::ModalityFilter>, example = "asserted")]
    pub(crate) modality: Option<String>,
}

impl ExportParams {
    /// The format and the store's filter, or a `400` naming the bad parameter.
    fn parse(&self) -> ApiResult<(ExportFormat, ExportFilter)> {
        let format = match self.format.as_deref() {
            None | Some("") => {
                return Err(ApiError::BadRequest(
                    "format is required: csv, jsonl, graphml, gexf, jsonld or gdelt".into(),
                ));
            }
            Some(f) => ExportFormat::parse(f).map_err(|e| ApiError::BadRequest(e.to_string()))?,
        };
        let modality = parse_modality(self.modality.as_deref())?.or(format.default_modality());
        let filter = ExportFilter {
            from: self.from.as_deref().map(|v| parse_day("from", v)).transpose()?,
            to: self.to.as_deref().map(|v| parse_day("to", v)).transpose()?,
            kinds: self
                .kinds
                .as_deref()
                .map(parse_kinds)
                .transpose()?
                .unwrap_or_default(),
            country: self.country.as_deref().map(country).transpose()?,
            modality,
        };
        filter.check().map_err(|e| ApiError::BadRequest(e.to_string()))?;
        Ok((format, filter))
    }
}

/// A country filter: in a query string, an unknown code is a bad parameter, not a missing page.
fn country(value: &str) -> ApiResult<CountryCode> {
    parse_country(value).map_err(|e| match e {
        ApiError::NotFound(message) => ApiError::BadRequest(message),
        other => other,
    })
}

/// The events (or the entity graph) as a file, streamed as it is read.
#[utoipa::path(
    get, path = "/v1/export", tag = "events",
    params(ExportParams),
    responses(
        (status = 200, description = "The export, streamed; `Content-Disposition` names a file",
            content(
                (String = "text/csv"),
                (String = "application/x-ndjson"),
                (String = "application/graphml+xml"),
                (String = "application/gexf+xml"),
                (dto::JsonLdDocument = "application/ld+json"),
                (String = "text/tab-separated-values"),
            )),
        (status = 400, description = "Missing or unknown format, bad filter", body = ErrorBody),
        (status = 401, description = "Reads need a key", body = ErrorBody),
        (status = 403, description = "Wrong key", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn export(State(s): State<AppState>, ApiQuery(params): ApiQuery<ExportParams>) -> ApiResult<Response> {
    let (format, filter) = params.parse()?;
    // Two chunks in flight at most: the store is read only as fast as the client takes it.
    let (sender, receiver) = mpsc::channel::<Result<Bytes, StoreError>>(2);
    let store = s.store.clone();
    tokio::spawn(async move {
        let mut sink = ChannelSink(sender.clone());
        match store.write_export(format, &filter, &mut sink).await {
            Ok(items) => tracing::debug!(items, format = format.as_str(), "export streamed"),
            Err(err) => {
                tracing::warn!(%err, format = format.as_str(), "export stopped");
                // Ends the body with an error, so the client sees a broken transfer, not a short file.
                let _ = sender.send(Err(err)).await;
            }
        }
    });
    let stream = ReceiverStream::new(receiver).map(|chunk| chunk.map_err(std::io::Error::other));
    let mut res = Body::from_stream(stream).into_response();
    let headers = res.headers_mut();
    headers.insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static(format.content_type()),
    );
    let disposition = format!("attachment; filename=\"diplograph.{}\"", format.extension());
    if let Ok(value) = HeaderValue::from_str(&disposition) {
        headers.insert(header::CONTENT_DISPOSITION, value);
    }
    Ok(res)
}

/// The export's chunks into the response body.
struct ChannelSink(mpsc::Sender<Result<Bytes, StoreError>>);

impl ExportSink for ChannelSink {
    async fn write(&mut self, chunk: Vec<u8>) -> Result<(), StoreError> {
        self.0
            .send(Ok(Bytes::from(chunk)))
            .await
            .map_err(|_| StoreError::Io("the client went away".into()))
    }
}
