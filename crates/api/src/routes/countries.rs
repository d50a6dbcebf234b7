//! Countries: `GET /v1/countries` (those with ties), `GET /v1/countries/{code}` (the country entity) and
//! `GET /v1/countries/{code}/ties` (partners with counts by kind and direction, first/last day,
//! tone and the latest events; JSON or CSV, one CSV line per partner and kind).

use axum::Json;
use axum::extract::{Path, State};
use axum::response::Response;
use diplograph_core::{EntityId, EntityKind};
use diplograph_graph::{EntityView, TiesQuery, TiesView};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::ApiResult;
use crate::format::{CsvRow, Format, FormatParam, respond};
use crate::query::{ApiQuery, EventParams, parse_country, parse_limit};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(list_countries))
        .routes(routes!(get_country))
        .routes(routes!(get_ties))
}

/// More than there are countries: the listing is never cut.
const MAX_COUNTRIES: u32 = 1000;

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct TiesParams {
    /// How many of the country's latest events to include, 0–500 (default 5).
    #[param(value_type = Option<u32>, minimum = 0, maximum = 500, example = 5)]
    latest: Option<String>,
}

/// A country as the store knows it: name, aliases.
#[utoipa::path(
    get, path = "/v1/countries/{code}", tag = "countries",
    params(("code" = dto::Country, Path, description = "ISO 3166-1 alpha-3 (or alpha-2) code", example = "IRN")),
    responses(
        (status = 200, description = "The country", body = dto::Entity),
        (status = 400, description = "Malformed code", body = ErrorBody),
        (status = 404, description = "Not a country, or nothing is known about it", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_country(State(s): State<AppState>, Path(code): Path<String>) -> ApiResult<Json<EntityView>> {
    let code = parse_country(&code)?;
    Ok(Json(s.store.entity(&EntityId::country(code)).await?))
}

/// A country's bilateral ties: each partner with counts by kind and direction (`out`: the
/// country acted, `in`: the partner acted on it, `mutual`), first and last day, Goldstein tone,
/// and the country's latest events. Only `asserted` events count unless `modality` says
/// otherwise.
#[utoipa::path(
    get, path = "/v1/countries/{code}/ties", tag = "countries",
    params(("code" = dto::Country, Path, description = "ISO 3166-1 code", example = "IRN"),
        EventParams, TiesParams, FormatParam),
    responses(
        (status = 200, description = "The ties; CSV has one line per partner and kind",
            content((dto::Ties = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad code or parameter", body = ErrorBody),
        (status = 404, description = "Not a country", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_ties(
    State(s): State<AppState>,
    Path(code): Path<String>,
    ApiQuery(events): ApiQuery<EventParams>,
    ApiQuery(params): ApiQuery<TiesParams>,
    format: Format,
) -> ApiResult<Response> {
    let code = parse_country(&code)?;
    let query = TiesQuery {
        filter: events.filter()?,
        latest_events: parse_latest(params.latest.as_deref())?,
    };
    let ties = s.store.ties(&code, &query).await?;
    respond(format, ties, tie_rows)
}

fn parse_latest(value: Option<&str>) -> ApiResult<u32> {
    match value {
        Some("0") => Ok(0),
        other => parse_limit(other, 5, 500),
    }
}

/// One partner and kind of a country's ties.
#[derive(Debug, Serialize)]
struct TieRow {
    country: String,
    partner: String,
    partner_name: Option<String>,
    kind: &'static str,
    total: i64,
    out: i64,
    #[serde(rename = "in")]
    incoming: i64,
    mutual: i64,
    partner_total: i64,
    first_day: Option<String>,
    last_day: Option<String>,
    tone_sum: f64,
    tone_mean: f64,
}

impl CsvRow for TieRow {
    const HEADER: &'static [&'static str] = &[
        "country",
        "partner",
        "partner_name",
        "kind",
        "total",
        "out",
        "in",
        "mutual",
        "partner_total",
        "first_day",
        "last_day",
        "tone_sum",
        "tone_mean",
    ];
}

fn tie_rows(ties: TiesView) -> Vec<TieRow> {
    let mut rows = Vec::new();
    for tie in ties.partners {
        for counts in &tie.kinds {
            rows.push(TieRow {
                country: ties.country.to_string(),
                partner: tie.partner.to_string(),
                partner_name: tie.name.clone(),
                kind: counts.kind.as_str(),
                total: counts.total,
                out: counts.outgoing,
                incoming: counts.incoming,
                mutual: counts.mutual,
                partner_total: tie.total,
                first_day: tie.first_day.map(|d| d.to_string()),
                last_day: tie.last_day.map(|d| d.to_string()),
                tone_sum: tie.tone_sum,
                tone_mean: tie.tone_mean,
            });
        }
    }
    rows
}

/// One country with ties.
#[derive(Debug, Serialize)]
struct CountrySummary {
    code: String,
    name: String,
    partners: u32,
    events: u64,
}

#[derive(Debug, Serialize)]
struct CountryList {
    items: Vec<CountrySummary>,
}

impl CsvRow for CountrySummary {
    const HEADER: &'static [&'static str] = &["code", "name", "partners", "events"];
}

/// The countries that have ties under the filter, by code, with their number of partners and
/// of events (each direction of a tie counted).
#[utoipa::path(
    get, path = "/v1/countries", tag = "countries",
    params(EventParams, FormatParam),
    responses(
        (status = 200, description = "Countries with ties",
            content((dto::CountryList = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad parameter", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn list_countries(
    State(s): State<AppState>,
    ApiQuery(events): ApiQuery<EventParams>,
    format: Format,
) -> ApiResult<Response> {
    // FIXME: served from centrality until the store has a country listing: countries that are
    // only mentioned, without ties, are missing (see NEEDS_FROM_GRAPH.md).
    let entries = s
        .store
        .centrality(EntityKind::Country, &events.filter()?, MAX_COUNTRIES)
        .await?;
    let mut items: Vec<CountrySummary> = entries
        .into_iter()
        .map(|e| CountrySummary {
            code: e.id.to_string(),
            name: e.name,
            partners: e.degree,
            events: e.weighted_degree,
        })
        .collect();
    items.sort_by(|a, b| a.code.cmp(&b.code));
    respond(format, CountryList { items }, |list: CountryList| list.items)
}
