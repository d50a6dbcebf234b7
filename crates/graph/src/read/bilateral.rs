//! One bilateral relationship: a time series from the per-day rollup, and its events.

use chrono::{Datelike, NaiveDate};
use diplograph_core::{CountryCode, EventKind};
use serde::{Deserialize, Serialize};

use crate::db::{Arg, dynamic};
use crate::error::StoreError;
use crate::filter::{EventFilter, PageRequest, Subject};
use crate::model::{EventView, Page};
use crate::read::event::corrupt;
use crate::read::{KindCounts, TimelineQuery};
use crate::rollup::Direction;
use crate::store::Store;

/// The width of one step of a time series.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Interval {
    Day,
    /// ISO weeks, Monday to Sunday.
    Week,
    #[default]
    Month,
    Year,
}

impl Interval {
    /// Parses `day`, `week`, `month` or `year`.
    pub fn parse(input: &str) -> Result<Interval, StoreError> {
        match input.trim().to_ascii_lowercase().as_str() {
            "day" => Ok(Interval::Day),
            "week" => Ok(Interval::Week),
            "month" => Ok(Interval::Month),
            "year" => Ok(Interval::Year),
            _ => Err(StoreError::InvalidInput(format!(
                "unknown interval {:?}: expected day, week, month or year",
                input.chars().take(16).collect::<String>()
            ))),
        }
    }

    /// The first day of the period holding `day`, and the period's label.
    #[cfg(test)]
    fn bucket(self, day: NaiveDate) -> (NaiveDate, String) {
        let start = self.start(day);
        (start, self.label(start))
    }

    /// The first day of the period holding `day`.
    fn start(self, day: NaiveDate) -> NaiveDate {
        match self {
            Interval::Day => day,
            Interval::Week => day - chrono::Days::new(u64::from(day.weekday().num_days_from_monday())),
            Interval::Month => day.with_day(1).unwrap_or(day),
            Interval::Year => day.with_ordinal(1).unwrap_or(day),
        }
    }

    /// The label of the period starting on `start`: `2020-07-21`, `2020-W30`, `2020-07`, `2020`.
    fn label(self, start: NaiveDate) -> String {
        match self {
            Interval::Day => start.to_string(),
            Interval::Week => {
                let week = start.iso_week();
                format!("{}-W{:02}", week.year(), week.week())
            }
            Interval::Month => format!("{:04}-{:02}", start.year(), start.month()),
            Interval::Year => format!("{:04}", start.year()),
        }
    }
}

/// What [`Store::bilateral`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct BilateralQuery {
    pub filter: EventFilter,
    pub interval: Interval,
    /// The page of events to include.
    pub events: PageRequest,
}

/// A relationship seen from `country`: directions are the country's.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct BilateralView {
    pub country: CountryCode,
    pub partner: CountryCode,
    pub interval: Interval,
    /// Periods with at least one dated event, oldest first.
    pub series: Vec<SeriesPoint>,
    /// The events between the two, newest first.
    pub events: Page<EventView>,
}

/// One period of a series.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SeriesPoint {
    /// `2020-07-21`, `2020-W30`, `2020-07` or `2020`.
    pub period: String,
    pub start: NaiveDate,
    pub total: i64,
    pub tone_sum: f64,
    pub kinds: Vec<KindCounts>,
}

const SERIES: &str = "select d.day, d.kind, d.direction, d.n, d.tone_sum from tie_day d
     where d.country = $1 and d.partner = $2 and d.modality = $3 and d.day >= $4 and d.day <= $5";

impl Store {
    /// The ties between two countries over time (from the per-day rollup; dated events only)
    /// and a page of their events.
    #[tracing::instrument(skip(self))]
    pub async fn bilateral(
        &self,
        country: &CountryCode,
        partner: &CountryCode,
        query: &BilateralQuery,
    ) -> Result<BilateralView, StoreError> {
        query.filter.check()?;
        let (lo, hi) = query.filter.day_bounds();
        let mut args: Vec<Arg> = vec![
            country.as_str().into(),
            partner.as_str().into(),
            query.filter.modality.as_str().into(),
            lo.into(),
            hi.into(),
        ];
        let memory = self.read_memory(|m| {
            Some(
                m.rollups
                    .series(*country, *partner, &query.filter, query.interval),
            )
        });
        let series = match memory {
            Some(series) => series,
            None => {
                let sql = format!("{SERIES}{}", query.filter.kinds_clause("d.kind", &mut args));
                let rows: Vec<(NaiveDate, String, String, i64, f64)> =
                    self.conn().await?.fetch_all(dynamic(sql), args).await?;
                series_rows(rows, query.interval)?
            }
        };
        let timeline = TimelineQuery {
            subject: Subject::Country(*country),
            counterpart: Some(Subject::Country(*partner)),
            filter: query.filter.clone(),
            page: query.events.clone(),
        };
        let events = self.timeline(&timeline).await?;
        Ok(BilateralView {
            country: *country,
            partner: *partner,
            interval: query.interval,
            series,
            events,
        })
    }
}

pub(crate) fn series_rows(
    rows: Vec<(NaiveDate, String, String, i64, f64)>,
    interval: Interval,
) -> Result<Vec<SeriesPoint>, StoreError> {
    let mut typed = Vec::with_capacity(rows.len());
    for (day, kind, direction, n, tone_sum) in rows {
        let kind = EventKind::parse(&kind).map_err(corrupt)?;
        let direction = Direction::parse(&direction).ok_or_else(|| corrupt(&direction))?;
        typed.push((day, kind, direction, n, tone_sum));
    }
    typed.sort_by_key(|row| row.0);
    Ok(series_of(typed, interval))
}

/// Buckets day rows (day, kind, direction, events, tone), sorted by day, into periods, oldest
/// first: one pass, a period ends where the next begins.
pub(crate) fn series_of(
    rows: impl IntoIterator<Item = (NaiveDate, EventKind, Direction, i64, f64)>,
    interval: Interval,
) -> Vec<SeriesPoint> {
    let mut points: Vec<SeriesPoint> = Vec::new();
    for (day, kind, direction, n, tone_sum) in rows {
        let start = interval.start(day);
        if points.last().is_none_or(|p| p.start != start) {
            points.push(SeriesPoint {
                period: interval.label(start),
                start,
                total: 0,
                tone_sum: 0.0,
                kinds: Vec::new(),
            });
        }
        let Some(point) = points.last_mut() else { continue };
        point.total += n;
        point.tone_sum += tone_sum;
        let position = match point.kinds.iter().position(|k| k.kind == kind) {
            Some(position) => position,
            None => {
                point.kinds.push(KindCounts {
                    kind,
                    total: 0,
                    outgoing: 0,
                    incoming: 0,
                    mutual: 0,
                });
                point.kinds.len() - 1
            }
        };
        point.kinds[position].add(direction, n);
    }
    for point in &mut points {
        point.kinds.sort_by_key(|k| k.kind);
    }
    points
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn days_fall_into_their_periods() {
        let day: NaiveDate = "2020-07-22".parse().unwrap();
        assert_eq!(Interval::Day.bucket(day).1, "2020-07-22");
        assert_eq!(
            Interval::Week.bucket(day),
            ("2020-07-20".parse().unwrap(), "2020-W30".to_owned())
        );
        assert_eq!(
            Interval::Month.bucket(day),
            ("2020-07-01".parse().unwrap(), "2020-07".to_owned())
        );
        assert_eq!(Interval::Year.bucket(day).1, "2020");
        assert!(Interval::parse("fortnight").is_err());
        assert_eq!(Interval::parse(" Week ").unwrap(), Interval::Week);
    }
}
