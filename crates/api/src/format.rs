//! JSON or CSV: [`Format`] is chosen by `?format=json|csv` or else by the `Accept` header
//! (`text/csv` wins only when preferred over `application/json`); JSON is the default.
//! [`respond`] renders the JSON value or, for CSV, flat rows ([`CsvRow`]) with a header line
//! that is written even when there are no rows.

use axum::Json;
use axum::extract::FromRequestParts;
use axum::http::request::Parts;
use axum::http::{HeaderValue, header};
use axum::response::{IntoResponse, Response};
use serde::{Deserialize, Serialize};
use utoipa::IntoParams;

use crate::error::{ApiError, ApiResult};

/// The media type CSV responses carry.
pub(crate) const TEXT_CSV: &str = "text/csv; charset=utf-8";

/// How a list or series is answered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Json,
    Csv,
}

/// The `format` query parameter, documented on every route that offers CSV.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct FormatParam {
    /// `json` (default) or `csv`, in any case; overrides the `Accept` header.
    #[param(example = "csv", pattern = r"^\s*([Jj][Ss][Oo][Nn]|[Cc][Ss][Vv])\s*$")]
    pub(crate) format: Option<String>,
}

impl<S: Send + Sync> FromRequestParts<S> for Format {
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let crate::query::ApiQuery(param) =
            crate::query::ApiQuery::<FormatParam>::from_request_parts(parts, state).await?;
        match param.format.as_deref().map(str::trim) {
            Some(f) if f.eq_ignore_ascii_case("csv") => Ok(Self::Csv),
            Some(f) if f.eq_ignore_ascii_case("json") => Ok(Self::Json),
            Some(other) => Err(ApiError::BadRequest(format!(
                "format must be json or csv, got {:?}",
                other.chars().take(16).collect::<String>()
            ))),
            None => Ok(from_accept(parts.headers.get(header::ACCEPT))),
        }
    }
}

/// CSV only when the client ranks `text/csv` above `application/json` (and above `*/*`).
fn from_accept(accept: Option<&HeaderValue>) -> Format {
    let Some(accept) = accept.and_then(|a| a.to_str().ok()) else {
        return Format::Json;
    };
    let (mut csv, mut json) = (0.0_f32, 0.0_f32);
    for range in accept.split(',') {
        let mut parts = range.split(';').map(str::trim);
        let media = parts.next().unwrap_or_default().to_ascii_lowercase();
        let q = parts
            .find_map(|p| p.strip_prefix("q="))
            .and_then(|q| q.parse::<f32>().ok())
            .unwrap_or(1.0);
        match media.as_str() {
            "text/csv" => csv = csv.max(q),
            "application/json" | "application/*" | "*/*" => json = json.max(q * 0.999),
            _ => {}
        }
    }
    if csv > 0.0 && csv > json {
        Format::Csv
    } else {
        Format::Json
    }
}

/// A flat record of a CSV answer; `HEADER` names the columns in field order.
pub(crate) trait CsvRow: Serialize {
    const HEADER: &'static [&'static str];
}

/// Renders `json` as JSON, or the rows `csv` builds as CSV.
pub(crate) fn respond<T, R, F>(format: Format, json: T, csv: F) -> ApiResult<Response>
where
    T: Serialize,
    R: CsvRow,
    F: FnOnce(T) -> Vec<R>,
{
    match format {
        Format::Json => Ok(Json(json).into_response()),
        Format::Csv => {
            let body = to_csv(&csv(json))?;
            Ok(([(header::CONTENT_TYPE, TEXT_CSV)], body).into_response())
        }
    }
}

/// The rows as CSV text: the header line, then one line per row (RFC 4180 quoting).
pub(crate) fn to_csv<R: CsvRow>(rows: &[R]) -> ApiResult<String> {
    let mut writer = csv::WriterBuilder::new()
        .has_headers(false)
        .from_writer(Vec::new());
    let write = |w: &mut csv::Writer<Vec<u8>>| -> Result<(), csv::Error> {
        w.write_record(R::HEADER)?;
        for row in rows {
            w.serialize(row)?;
        }
        w.flush()?;
        Ok(())
    };
    write(&mut writer).map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("writing csv")))?;
    let bytes = writer
        .into_inner()
        .map_err(|e| ApiError::Internal(anyhow::anyhow!("finishing csv: {e}")))?;
    String::from_utf8(bytes)
        .map_err(|e| ApiError::Internal(anyhow::Error::new(e).context("csv is not utf-8")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Serialize)]
    struct Row {
        name: String,
        n: i64,
    }

    impl CsvRow for Row {
        const HEADER: &'static [&'static str] = &["name", "n"];
    }

    #[test]
    fn csv_has_a_header_and_quotes_what_needs_it() {
        let rows = [Row {
            name: "Zarif, \"Javad\"\nFM".into(),
            n: 2,
        }];
        assert_eq!(
            to_csv(&rows).expect("csv"),
            "name,n\n\"Zarif, \"\"Javad\"\"\nFM\",2\n"
        );
        assert_eq!(to_csv::<Row>(&[]).expect("csv"), "name,n\n");
    }

    #[test]
    fn accept_picks_csv_only_when_preferred() {
        let f = |s: &'static str| from_accept(Some(&HeaderValue::from_static(s)));
        assert_eq!(f("text/csv"), Format::Csv);
        assert_eq!(f("text/csv, */*;q=0.1"), Format::Csv);
        assert_eq!(f("application/json, text/csv;q=0.5"), Format::Json);
        assert_eq!(f("*/*"), Format::Json);
        assert_eq!(f("text/html"), Format::Json);
        assert_eq!(from_accept(None), Format::Json);
    }
}
