//! Query strings: [`ApiQuery`] (axum's `Query` with our error shape) and the parameter groups
//! the read routes share — dates, kinds and modality ([`EventParams`]), pages ([`PageParams`]),
//! search ([`SearchParams`]) — each validated into the store's query types at the edge.
//!
//! Every value arrives as a string and is parsed here, so a bad value gets a message naming the
//! parameter (`400 bad_request`) instead of serde's.
//! What each value may be is documented by the schemas in `dto::params` (the fields name them
//! with `value_type`); `tests/params.rs` and `tests/bodies.rs` hold the two against each other.

use axum::extract::{FromRequestParts, Query};
use axum::http::request::Parts;
use chrono::{Datelike, NaiveDate};
use diplograph_core::{CoreError, CountryCode, EntityId, EventKind, MAX_YEAR, MIN_YEAR, Modality};
use diplograph_graph::{EventFilter, MAX_LIMIT, PageRequest};
use serde::Deserialize;
use serde::de::DeserializeOwned;
use utoipa::IntoParams;

use crate::dto;
use crate::error::{ApiError, ApiResult};

/// Default page size of lists.
pub(crate) const DEFAULT_LIMIT: u32 = 50;
/// Longest cursor accepted (the store's are far shorter).
const MAX_CURSOR_LEN: usize = 256;

/// A query string deserialized into `T`; a malformed one is `400 bad_request`.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct ApiQuery<T>(pub(crate) T);

impl<T, S> FromRequestParts<S> for ApiQuery<T>
where
    T: DeserializeOwned,
    S: Send + Sync,
{
    type Rejection = ApiError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        match Query::<T>::from_request_parts(parts, state).await {
            Ok(Query(value)) => Ok(Self(value)),
            Err(rejection) => Err(ApiError::BadRequest(format!(
                "invalid query string: {}",
                rejection.body_text().to_lowercase()
            ))),
        }
    }
}

/// Which events count: a date range, kinds and a modality.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct EventParams {
    /// First day (inclusive). With any date bound, undated events are left out.
    #[param(value_type = Option<dto::Day>, example = "2020-01-01")]
    pub(crate) from: Option<String>,
    /// Last day (inclusive); not before `from`.
    #[param(value_type = Option<dto::Day>, example = "2020-12-31")]
    pub(crate) to: Option<String>,
    /// Comma-separated event kinds, e.g. `VISIT,MEET`; all kinds when absent.
    #[param(value_type = Option<dto::KindList>, example = "VISIT,MEET,TALKS")]
    pub(crate) kinds: Option<String>,
    /// `asserted` (default: what happened), `planned`, `postponed`, `cancelled`, `denied` or
    /// `hypothetical`, in any case.
    #[param(value_type = Option<dto::ModalityFilter>, example = "asserted")]
    pub(crate) modality: Option<String>,
}

impl EventParams {
    /// The store's filter, or a `400` naming the bad parameter.
    pub(crate) fn filter(&self) -> ApiResult<EventFilter> {
        let from = self.from.as_deref().map(|v| parse_day("from", v)).transpose()?;
        let to = self.to.as_deref().map(|v| parse_day("to", v)).transpose()?;
        if let (Some(from), Some(to)) = (from, to)
            && from > to
        {
            return Err(ApiError::BadRequest(format!("from {from} is after to {to}")));
        }
        let kinds = self
            .kinds
            .as_deref()
            .map(parse_kinds)
            .transpose()?
            .unwrap_or_default();
        let modality = parse_modality(self.modality.as_deref())?.unwrap_or(Modality::Asserted);
        Ok(EventFilter {
            from,
            to,
            kinds,
            modality,
        })
    }
}

/// A page of a long list.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct PageParams {
    /// The `next_cursor` of the previous page; opaque.
    #[param(value_type = Option<dto::Cursor>)]
    pub(crate) cursor: Option<String>,
    /// Items per page, 1–500 (default 50).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 500, example = 50)]
    pub(crate) limit: Option<String>,
}

impl PageParams {
    /// The store's page request, or a `400` for a bad limit or cursor.
    pub(crate) fn page(&self) -> ApiResult<PageRequest> {
        let limit = parse_limit(self.limit.as_deref(), DEFAULT_LIMIT, MAX_LIMIT)?;
        let cursor = match self.cursor.as_deref() {
            None | Some("") => None,
            Some(c) if c.len() <= MAX_CURSOR_LEN && c.bytes().all(|b| b.is_ascii_hexdigit()) => {
                Some(c.to_owned())
            }
            Some(_) => return Err(ApiError::BadRequest("invalid cursor".to_owned())),
        };
        Ok(PageRequest { cursor, limit })
    }
}

/// A name search.
#[derive(Debug, Default, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct SearchParams {
    /// The start of a name or alias, ignoring case and punctuation (`kadh` finds Kadhimi).
    #[param(required, value_type = dto::SearchText, example = "Kadhimi")]
    pub(crate) q: Option<String>,
    /// Results, 1–100 (default 20).
    #[param(value_type = Option<u32>, minimum = 1, maximum = 100, example = 20)]
    pub(crate) limit: Option<String>,
}

impl SearchParams {
    /// The search text and the limit, or a `400`.
    pub(crate) fn parse(&self) -> ApiResult<(&str, u32)> {
        let q = self.q.as_deref().map(str::trim).unwrap_or_default();
        if q.is_empty() {
            return Err(ApiError::BadRequest(
                "q is required: the start of a name".to_owned(),
            ));
        }
        if q.chars().count() > 100 {
            return Err(ApiError::BadRequest("q is longer than 100 characters".to_owned()));
        }
        let limit = parse_limit(self.limit.as_deref(), 20, diplograph_graph::MAX_SEARCH)?;
        Ok((q, limit))
    }
}

/// Whether a search text can match a name: names are compared on their letters and digits
/// alone, so a text with none (`!!!`) finds nothing — an empty answer, not a bad request.
pub(crate) fn searchable(q: &str) -> bool {
    q.chars().flat_map(char::to_lowercase).any(char::is_alphanumeric)
}

/// `YYYY-MM-DD` exactly (no sign, no spaces, two-digit month and day: what the document's
/// `dto::Day` pattern says) within the years the store accepts.
pub(crate) fn parse_day(name: &str, value: &str) -> ApiResult<NaiveDate> {
    let bad = || {
        ApiError::BadRequest(format!(
            "{name} must be a date YYYY-MM-DD, got {:?}",
            value.chars().take(32).collect::<String>()
        ))
    };
    let shaped = value.len() == 10
        && value.bytes().enumerate().all(|(i, b)| {
            if i == 4 || i == 7 {
                b == b'-'
            } else {
                b.is_ascii_digit()
            }
        });
    if !shaped {
        return Err(bad());
    }
    let day = NaiveDate::parse_from_str(value, "%Y-%m-%d").map_err(|_| bad())?;
    if !(MIN_YEAR..=MAX_YEAR).contains(&day.year()) {
        return Err(ApiError::BadRequest(format!(
            "{name} must be between {MIN_YEAR} and {MAX_YEAR}, got {day}"
        )));
    }
    Ok(day)
}

/// A modality in any case; empty is `None` (the caller's default).
pub(crate) fn parse_modality(value: Option<&str>) -> ApiResult<Option<Modality>> {
    match value {
        None | Some("") => Ok(None),
        Some(m) => Ok(Some(Modality::parse(m)?)),
    }
}

/// Comma-separated kinds; blanks between commas are ignored.
pub(crate) fn parse_kinds(value: &str) -> ApiResult<Vec<EventKind>> {
    let mut kinds = Vec::new();
    for part in value.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let kind = EventKind::parse(part)?;
        if !kinds.contains(&kind) {
            kinds.push(kind);
        }
    }
    Ok(kinds)
}

/// An integer `1..=max` in plain digits (the document's `integer`: no sign, no spaces, not
/// empty), or `default` when absent.
pub(crate) fn parse_limit(value: Option<&str>, default: u32, max: u32) -> ApiResult<u32> {
    let Some(value) = value else {
        return Ok(default);
    };
    let digits = !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit());
    match digits.then(|| value.parse::<u64>()) {
        Some(Ok(n)) if (1..=u64::from(max)).contains(&n) => Ok(n as u32),
        _ => Err(ApiError::BadRequest(format!(
            "limit must be an integer from 1 to {max}, got {:?}",
            value.chars().take(32).collect::<String>()
        ))),
    }
}

/// A country code from a path: malformed is `400`, well-formed but not a country is `404`.
pub(crate) fn parse_country(value: &str) -> ApiResult<CountryCode> {
    match CountryCode::parse(value) {
        Ok(code) => Ok(code),
        Err(CoreError::UnknownCountry(_)) if looks_like_a_code(value) => Err(ApiError::NotFound(format!(
            "unknown country code {}",
            value.trim().to_ascii_uppercase()
        ))),
        Err(_) => Err(ApiError::BadRequest(format!(
            "invalid country code {:?}: expected ISO 3166-1 alpha-3 such as IRN",
            value.chars().take(16).collect::<String>()
        ))),
    }
}

fn looks_like_a_code(value: &str) -> bool {
    let v = value.trim();
    (2..=3).contains(&v.len()) && v.bytes().all(|b| b.is_ascii_alphabetic())
}

/// An entity id from a path or a parameter.
pub(crate) fn parse_entity_id(name: &str, value: &str) -> ApiResult<EntityId> {
    EntityId::parse(value).map_err(|_| {
        ApiError::BadRequest(format!(
            "{name} is not a valid id: expected 1–64 letters, digits, '-', '_', ':' or '.'"
        ))
    })
}

/// An entity id, or a country code (any case, alpha-2 or alpha-3) standing for the country.
pub(crate) fn parse_entity_ref(name: &str, value: &str) -> ApiResult<EntityId> {
    if looks_like_a_code(value)
        && let Ok(code) = CountryCode::parse(value)
    {
        return Ok(EntityId::country(code));
    }
    parse_entity_id(name, value)
}

/// `true` or `false` in any case (also `1`/`0`, which clients send for booleans too); absent is
/// `false`, and an empty value is not a boolean.
pub(crate) fn parse_bool(name: &str, value: Option<&str>) -> ApiResult<bool> {
    match value.map(str::to_ascii_lowercase).as_deref() {
        None | Some("false") | Some("0") => Ok(false),
        Some("true") | Some("1") => Ok(true),
        Some(_) => Err(ApiError::BadRequest(format!("{name} must be true or false"))),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(from: Option<&str>, to: Option<&str>, kinds: Option<&str>) -> EventParams {
        EventParams {
            from: from.map(str::to_owned),
            to: to.map(str::to_owned),
            kinds: kinds.map(str::to_owned),
            modality: None,
        }
    }

    #[test]
    fn dates_kinds_and_modality_become_a_filter() {
        let filter = params(Some("2020-07-01"), Some("2020-07-31"), Some("visit, MEET,visit"))
            .filter()
            .expect("valid");
        assert_eq!(filter.kinds, [EventKind::Visit, EventKind::Meet]);
        assert_eq!(filter.modality, Modality::Asserted);
        assert_eq!(filter.from, NaiveDate::from_ymd_opt(2020, 7, 1));
    }

    #[test]
    fn reversed_or_malformed_dates_are_rejected() {
        assert!(
            params(Some("2021-01-01"), Some("2020-01-01"), None)
                .filter()
                .is_err()
        );
        assert!(params(Some("2020-13-01"), None, None).filter().is_err());
        assert!(params(Some("2020-07"), None, None).filter().is_err());
        assert!(params(None, Some("0001-01-01"), None).filter().is_err());
        assert!(params(None, None, Some("VISIT,LUNCH")).filter().is_err());
        // Exactly the documented shape: no spaces, sign or one-digit month.
        for bad in [
            " 2020-01-01",
            "2020-01-01 ",
            "+2020-01-01",
            "2020-1-01",
            "20200101",
            "2020/01/01",
        ] {
            assert!(parse_day("from", bad).is_err(), "{bad:?}");
        }
        assert!(parse_day("from", "2000-02-29").is_ok());
    }

    #[test]
    fn limits_outside_the_range_are_rejected() {
        assert_eq!(parse_limit(None, 50, 500).expect("default"), 50);
        assert_eq!(parse_limit(Some("500"), 50, 500).expect("max"), 500);
        for bad in [
            "0",
            "-1",
            "501",
            "99999999999999999999",
            "ten",
            "1.5",
            "",
            " 5",
            "+5",
        ] {
            assert!(parse_limit(Some(bad), 50, 500).is_err(), "{bad}");
        }
    }

    #[test]
    fn booleans_are_true_false_1_or_0() {
        assert!(!parse_bool("b", None).expect("absent"));
        assert!(parse_bool("b", Some("TRUE")).expect("true"));
        assert!(!parse_bool("b", Some("0")).expect("0"));
        for bad in ["", " true", "yes", "maybe"] {
            assert!(parse_bool("b", Some(bad)).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn cursors_must_be_short_hex() {
        let page = |c: &str| {
            PageParams {
                cursor: Some(c.to_owned()),
                limit: None,
            }
            .page()
        };
        assert!(page("32303230").is_ok());
        assert!(page("' or 1=1 --").is_err());
        assert!(page(&"a".repeat(300)).is_err());
    }

    #[test]
    fn country_codes_are_400_when_malformed_and_404_when_unknown() {
        assert_eq!(parse_country("irn").expect("valid").as_str(), "IRN");
        assert_eq!(
            parse_country("XYZ").expect_err("unknown").status_code(),
            axum::http::StatusCode::NOT_FOUND
        );
        assert_eq!(
            parse_country("Iran!").expect_err("malformed").status_code(),
            axum::http::StatusCode::BAD_REQUEST
        );
    }
}
