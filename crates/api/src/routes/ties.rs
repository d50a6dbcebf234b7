//! One bilateral relationship over time: `GET /v1/ties/{a}/{b}` (a time series and the events)
//! and `GET /v1/stats/timeseries` (the series alone, for dashboards). Directions are `a`'s
//! (`country`'s): `out` is what it did, `in` what the partner did to it. CSV has one line per
//! period and kind.

use axum::extract::{Path, State};
use axum::response::Response;
use diplograph_core::CountryCode;
use diplograph_graph::{BilateralQuery, BilateralView, Interval, PageRequest, SeriesPoint};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;
use utoipa_axum::router::OpenApiRouter;
use utoipa_axum::routes;

use crate::dto::{self, ErrorBody};
use crate::error::{ApiError, ApiResult};
use crate::format::{CsvRow, Format, FormatParam, respond};
use crate::query::{ApiQuery, EventParams, PageParams, parse_country};
use crate::state::AppState;

pub(crate) fn router() -> OpenApiRouter<AppState> {
    OpenApiRouter::new()
        .routes(routes!(get_bilateral))
        .routes(routes!(get_timeseries))
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct IntervalParam {
    /// `day`, `week` (ISO), `month` (default) or `year`.
    #[param(value_type = Option<dto::IntervalName>, example = "month")]
    interval: Option<String>,
}

impl IntervalParam {
    fn parse(&self) -> ApiResult<Interval> {
        match self.interval.as_deref() {
            None | Some("") => Ok(Interval::Month),
            Some(i) => Ok(Interval::parse(i)?),
        }
    }
}

#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
struct PairParams {
    /// The country whose side the directions are seen from (ISO 3166-1).
    #[param(required, value_type = dto::Country, example = "IRN")]
    country: Option<String>,
    /// The other country.
    #[param(required, value_type = dto::Country, example = "IRQ")]
    partner: Option<String>,
}

impl PairParams {
    fn parse(&self) -> ApiResult<(CountryCode, CountryCode)> {
        match (self.country.as_deref(), self.partner.as_deref()) {
            (Some(country), Some(partner)) => Ok((parse_country(country)?, parse_country(partner)?)),
            _ => Err(ApiError::BadRequest(
                "country and partner are required".to_owned(),
            )),
        }
    }
}

/// The relationship between `a` and `b`: counts by kind and direction per period, and the
/// events between them, newest first (paginated).
#[utoipa::path(
    get, path = "/v1/ties/{a}/{b}", tag = "countries",
    params(
        ("a" = dto::Country, Path, description = "ISO 3166-1 code; directions are its", example = "IRN"),
        ("b" = dto::Country, Path, description = "ISO 3166-1 code of the partner", example = "IRQ"),
        IntervalParam, EventParams, PageParams, FormatParam),
    responses(
        (status = 200, description = "Series and events; CSV holds the series",
            content((dto::Bilateral = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Bad code or parameter", body = ErrorBody),
        (status = 404, description = "Not a country", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_bilateral(
    State(s): State<AppState>,
    Path((a, b)): Path<(String, String)>,
    ApiQuery(interval): ApiQuery<IntervalParam>,
    ApiQuery(events): ApiQuery<EventParams>,
    ApiQuery(page): ApiQuery<PageParams>,
    format: Format,
) -> ApiResult<Response> {
    let (a, b) = (parse_country(&a)?, parse_country(&b)?);
    let query = BilateralQuery {
        filter: events.filter()?,
        interval: interval.parse()?,
        events: page.page()?,
    };
    let view = s.store.bilateral(&a, &b, &query).await?;
    respond(format, view, |v: BilateralView| {
        series_rows(&v.country, &v.partner, v.series)
    })
}

/// The series of one relationship, for dashboards.
#[derive(Debug, Serialize)]
struct Timeseries {
    country: CountryCode,
    partner: CountryCode,
    interval: Interval,
    series: Vec<SeriesPoint>,
}

/// Counts by kind and direction per period between `country` and `partner` (both required).
#[utoipa::path(
    get, path = "/v1/stats/timeseries", tag = "countries",
    params(PairParams, IntervalParam, EventParams, FormatParam),
    responses(
        (status = 200, description = "The series; CSV has one line per period and kind",
            content((dto::Timeseries = "application/json"), (String = "text/csv"))),
        (status = 400, description = "Missing country or partner, bad parameter", body = ErrorBody),
        (status = 404, description = "Not a country", body = ErrorBody),
    )
)]
#[tracing::instrument(skip(s))]
async fn get_timeseries(
    State(s): State<AppState>,
    ApiQuery(pair): ApiQuery<PairParams>,
    ApiQuery(interval): ApiQuery<IntervalParam>,
    ApiQuery(events): ApiQuery<EventParams>,
    format: Format,
) -> ApiResult<Response> {
    let (country, partner) = pair.parse()?;
    let query = BilateralQuery {
        filter: events.filter()?,
        interval: interval.parse()?,
        events: PageRequest {
            cursor: None,
            limit: 1,
        },
    };
    let view = s.store.bilateral(&country, &partner, &query).await?;
    let (interval, series) = (view.interval, view.series);
    let json = Timeseries {
        country,
        partner,
        interval,
        series,
    };
    respond(format, json, |t: Timeseries| {
        series_rows(&t.country, &t.partner, t.series)
    })
}

/// One period and kind of a series.
#[derive(Debug, Serialize)]
struct SeriesRow {
    country: String,
    partner: String,
    period: String,
    start: String,
    kind: &'static str,
    total: i64,
    out: i64,
    #[serde(rename = "in")]
    incoming: i64,
    mutual: i64,
    period_total: i64,
    period_tone_sum: f64,
}

impl CsvRow for SeriesRow {
    const HEADER: &'static [&'static str] = &[
        "country",
        "partner",
        "period",
        "start",
        "kind",
        "total",
        "out",
        "in",
        "mutual",
        "period_total",
        "period_tone_sum",
    ];
}

fn series_rows(country: &CountryCode, partner: &CountryCode, series: Vec<SeriesPoint>) -> Vec<SeriesRow> {
    let mut rows = Vec::new();
    for point in series {
        for counts in &point.kinds {
            rows.push(SeriesRow {
                country: country.to_string(),
                partner: partner.to_string(),
                period: point.period.clone(),
                start: point.start.to_string(),
                kind: counts.kind.as_str(),
                total: counts.total,
                out: counts.outgoing,
                incoming: counts.incoming,
                mutual: counts.mutual,
                period_total: point.total,
                period_tone_sum: point.tone_sum,
            });
        }
    }
    rows
}
