//! Fuzzy dates: a day, a month or a year, with an optional end for spans.

use std::fmt;

use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::CoreError;

/// One point in time at day, month or year precision: `2020-07-21`, `2020-07` or `2020`.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug)]
pub enum DatePoint {
    /// A known day.
    Day(NaiveDate),
    /// A known month of a year.
    Month { year: i32, month: u32 },
    /// A known year.
    Year(i32),
}

/// A date that may be unknown, a day, a month or a year, plus an optional end for spans
/// ("a two-day visit" from 2020-07-21 has end 2020-07-22).
///
/// Written `2020-07-21`, `2020-07`, `2020`, a span `2020-07-21/2020-07-22`, or empty for unknown.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Debug, Default)]
pub struct FuzzyDate {
    start: Option<DatePoint>,
    end: Option<DatePoint>,
}

/// Years outside this range are rejected as input errors (they are typos or garbage).
pub const MIN_YEAR: i32 = 1800;
/// See [`MIN_YEAR`].
pub const MAX_YEAR: i32 = 2200;

impl DatePoint {
    /// Parses `YYYY-MM-DD`, `YYYY-MM` or `YYYY`.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let bad = || CoreError::InvalidDate(input.chars().take(32).collect());
        // No allocation: the gazetteer parses tens of thousands of dates at start-up.
        let mut parts = input.trim().split('-');
        let num = |s: Option<&str>, len: usize| -> Result<u32, CoreError> {
            match s {
                Some(s) if s.len() == len && s.bytes().all(|b| b.is_ascii_digit()) => {
                    Ok(s.bytes().fold(0, |n, b| n * 10 + u32::from(b - b'0')))
                }
                _ => Err(bad()),
            }
        };
        let year = num(parts.next(), 4)? as i32;
        if !(MIN_YEAR..=MAX_YEAR).contains(&year) {
            return Err(bad());
        }
        let (month, day) = (parts.next(), parts.next());
        if parts.next().is_some() {
            return Err(bad());
        }
        match (month, day) {
            (None, _) => Ok(Self::Year(year)),
            (Some(m), None) => {
                let month = num(Some(m), 2)?;
                if !(1..=12).contains(&month) {
                    return Err(bad());
                }
                Ok(Self::Month { year, month })
            }
            (Some(m), Some(d)) => {
                let (month, day) = (num(Some(m), 2)?, num(Some(d), 2)?);
                NaiveDate::from_ymd_opt(year, month, day)
                    .map(Self::Day)
                    .ok_or_else(bad)
            }
        }
    }

    /// A day point, or an error when the year is out of the accepted range.
    pub fn day(date: NaiveDate) -> Result<Self, CoreError> {
        if !(MIN_YEAR..=MAX_YEAR).contains(&date.year()) {
            return Err(CoreError::InvalidDate(date.to_string()));
        }
        Ok(Self::Day(date))
    }

    /// The first day this point covers.
    pub fn first_day(&self) -> NaiveDate {
        match *self {
            Self::Day(d) => d,
            Self::Month { year, month } => ymd(year, month, 1),
            Self::Year(year) => ymd(year, 1, 1),
        }
    }

    /// The last day this point covers.
    pub fn last_day(&self) -> NaiveDate {
        match *self {
            Self::Day(d) => d,
            Self::Month { year, month } => {
                let (y, m) = if month == 12 {
                    (year + 1, 1)
                } else {
                    (year, month + 1)
                };
                ymd(y, m, 1).pred_opt().unwrap_or_else(|| ymd(year, month, 28))
            }
            Self::Year(year) => ymd(year, 12, 31),
        }
    }

    /// The precision as a word: `day`, `month` or `year`.
    pub fn precision(&self) -> &'static str {
        match self {
            Self::Day(_) => "day",
            Self::Month { .. } => "month",
            Self::Year(_) => "year",
        }
    }
}

fn ymd(year: i32, month: u32, day: u32) -> NaiveDate {
    // Years are validated to MIN_YEAR..=MAX_YEAR and months to 1..=12, so this always exists.
    NaiveDate::from_ymd_opt(year, month, day).unwrap_or(NaiveDate::MIN)
}

impl fmt::Display for DatePoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Self::Day(d) => write!(f, "{}", d.format("%Y-%m-%d")),
            Self::Month { year, month } => write!(f, "{year:04}-{month:02}"),
            Self::Year(year) => write!(f, "{year:04}"),
        }
    }
}

impl std::str::FromStr for DatePoint {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for DatePoint {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for DatePoint {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        DatePoint::parse(&raw).map_err(serde::de::Error::custom)
    }
}

impl FuzzyDate {
    /// The unknown date.
    pub const UNKNOWN: FuzzyDate = FuzzyDate {
        start: None,
        end: None,
    };

    /// A date with an optional end; the end must not come before the start.
    pub fn new(start: Option<DatePoint>, end: Option<DatePoint>) -> Result<Self, CoreError> {
        match (start, end) {
            (None, Some(e)) => Err(CoreError::InvalidDate(format!("end {e} without a start"))),
            (Some(s), Some(e)) if e.last_day() < s.first_day() => {
                Err(CoreError::InvalidDate(format!("end {e} before start {s}")))
            }
            _ => Ok(Self { start, end }),
        }
    }

    /// A single point.
    pub fn point(start: DatePoint) -> Self {
        Self {
            start: Some(start),
            end: None,
        }
    }

    /// Parses `2020-07-21`, `2020-07`, `2020`, `2020-07-21/2020-07-22`, or the empty string.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let input = input.trim();
        if input.is_empty() {
            return Ok(Self::UNKNOWN);
        }
        match input.split_once('/') {
            Some((s, e)) => Self::new(Some(DatePoint::parse(s)?), Some(DatePoint::parse(e)?)),
            None => Ok(Self::point(DatePoint::parse(input)?)),
        }
    }

    /// The start, if known.
    pub fn start(&self) -> Option<DatePoint> {
        self.start
    }

    /// The end of a span, if any.
    pub fn end(&self) -> Option<DatePoint> {
        self.end
    }

    /// Whether nothing is known.
    pub fn is_unknown(&self) -> bool {
        self.start.is_none()
    }

    /// The first and last day covered, when known.
    pub fn day_range(&self) -> Option<(NaiveDate, NaiveDate)> {
        let start = self.start?;
        let last = self.end.unwrap_or(start).last_day();
        Some((start.first_day(), last))
    }

    /// Whether two dates can denote the same event: the same day, or overlapping spans.
    /// Unknown dates only match unknown dates.
    pub fn overlaps(&self, other: &FuzzyDate) -> bool {
        match (self.day_range(), other.day_range()) {
            (None, None) => true,
            (Some((a0, a1)), Some((b0, b1))) => a0 <= b1 && b0 <= a1,
            _ => false,
        }
    }
}

impl fmt::Display for FuzzyDate {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match (self.start, self.end) {
            (None, _) => Ok(()),
            (Some(s), None) => write!(f, "{s}"),
            (Some(s), Some(e)) => write!(f, "{s}/{e}"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_month_and_year_round_trip() {
        for s in ["2020-07-21", "2020-07", "2020", "2020-07-21/2020-07-22", ""] {
            assert_eq!(FuzzyDate::parse(s).unwrap().to_string(), s);
        }
    }

    #[test]
    fn impossible_and_malformed_dates_are_rejected() {
        for bad in [
            "2020-02-30",
            "2020-13",
            "20-07-21",
            "2020-7-21",
            "99999",
            "abcd",
            "1066",
            "2020-07-21/2020-07-01",
            "2020-07-21-01",
            "２０２０",
        ] {
            assert!(FuzzyDate::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn month_covers_its_days() {
        let feb = DatePoint::parse("2020-02").unwrap();
        assert_eq!(feb.first_day().to_string(), "2020-02-01");
        assert_eq!(feb.last_day().to_string(), "2020-02-29");
        assert_eq!(
            DatePoint::parse("2020-12").unwrap().last_day().to_string(),
            "2020-12-31"
        );
    }

    #[test]
    fn overlapping_spans_match_and_disjoint_days_do_not() {
        let span = FuzzyDate::parse("2020-07-21/2020-07-22").unwrap();
        assert!(span.overlaps(&FuzzyDate::parse("2020-07-22").unwrap()));
        assert!(!span.overlaps(&FuzzyDate::parse("2020-07-23").unwrap()));
        assert!(!span.overlaps(&FuzzyDate::UNKNOWN));
        assert!(FuzzyDate::UNKNOWN.overlaps(&FuzzyDate::UNKNOWN));
    }

    #[test]
    fn date_point_serializes_as_a_string() {
        let p: DatePoint = serde_json::from_str("\"2020-07\"").unwrap();
        assert_eq!(p, DatePoint::Month { year: 2020, month: 7 });
        assert_eq!(serde_json::to_string(&p).unwrap(), "\"2020-07\"");
        assert!(serde_json::from_str::<DatePoint>("\"2020-00\"").is_err());
    }

    proptest::proptest! {
        #[test]
        fn parse_never_panics(s in "\\PC{0,24}") {
            let _ = FuzzyDate::parse(&s);
        }
    }
}
