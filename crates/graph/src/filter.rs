//! Query options shared by the read methods: dates, kinds, modality, cursors.

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityId, EventKind, Modality};

use crate::db::{Arg, placeholders};
use crate::error::StoreError;
use crate::events::UNDATED_SORT_DAY;

/// Which events count: a date range on the event's first day (either end open), kinds (empty:
/// all) and a modality (default: asserted, the events that happened).
///
/// With no date bound, undated events are included; with any bound they are not.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EventFilter {
    pub from: Option<NaiveDate>,
    pub to: Option<NaiveDate>,
    pub kinds: Vec<EventKind>,
    pub modality: Modality,
}

/// Whose events: an entity taking part itself, or a country through anyone acting for it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Subject {
    /// A person, organization or country as a participant in its own right.
    Entity(EntityId),
    /// A country and everyone who acted for it at the time.
    Country(CountryCode),
}

/// A page request on a long list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct PageRequest {
    /// From a previous page's `next_cursor`; `None` for the first page.
    pub cursor: Option<String>,
    /// 1–500.
    pub limit: u32,
}

impl Default for PageRequest {
    fn default() -> Self {
        Self {
            cursor: None,
            limit: 50,
        }
    }
}

/// Largest page.
pub const MAX_LIMIT: u32 = 500;

impl EventFilter {
    /// Checks the range is not reversed.
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        match (self.from, self.to) {
            (Some(from), Some(to)) if from > to => {
                Err(StoreError::InvalidInput(format!("from {from} is after to {to}")))
            }
            _ => Ok(()),
        }
    }

    /// The inclusive day bounds to bind: undated events (sorted on year 1) only pass unbounded.
    pub(crate) fn day_bounds(&self) -> (NaiveDate, NaiveDate) {
        let bounded = self.from.is_some() || self.to.is_some();
        let floor = if bounded {
            UNDATED_SORT_DAY.succ_opt().unwrap_or(UNDATED_SORT_DAY)
        } else {
            UNDATED_SORT_DAY
        };
        (self.from.unwrap_or(floor), self.to.unwrap_or_else(far_future))
    }

    /// ` and {column} in ($n, …)` for the kinds, binding them; empty when all kinds count.
    pub(crate) fn kinds_clause(&self, column: &str, args: &mut Vec<Arg>) -> String {
        if self.kinds.is_empty() {
            return String::new();
        }
        let list = placeholders(args.len() + 1, self.kinds.len());
        args.extend(self.kinds.iter().map(|k| Arg::from(k.as_str())));
        format!(" and {column} in ({list})")
    }
}

fn far_future() -> NaiveDate {
    NaiveDate::from_ymd_opt(9999, 12, 31).unwrap_or(NaiveDate::MAX)
}

impl PageRequest {
    pub(crate) fn check(&self) -> Result<(), StoreError> {
        if self.limit == 0 || self.limit > MAX_LIMIT {
            return Err(StoreError::InvalidInput(format!(
                "limit must be 1–{MAX_LIMIT}, got {}",
                self.limit
            )));
        }
        Ok(())
    }
}

/// A keyset position: the sort day and id of the last item shown, hex-encoded so clients treat
/// it as opaque.
pub(crate) fn encode_cursor(day: NaiveDate, id: &str) -> String {
    format!("{day}/{id}")
        .bytes()
        .map(|b| format!("{b:02x}"))
        .collect()
}

pub(crate) fn decode_cursor(cursor: &str) -> Result<(NaiveDate, String), StoreError> {
    let bad = || StoreError::InvalidInput("invalid cursor".into());
    if !cursor.len().is_multiple_of(2) || cursor.len() > 256 {
        return Err(bad());
    }
    let bytes: Vec<u8> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2).unwrap_or("zz"), 16).map_err(|_| bad()))
        .collect::<Result<_, _>>()?;
    let text = String::from_utf8(bytes).map_err(|_| bad())?;
    let (day, id) = text.split_once('/').ok_or_else(bad)?;
    let day = day.parse::<NaiveDate>().map_err(|_| bad())?;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b))
    {
        return Err(bad());
    }
    Ok((day, id.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_garbage_is_rejected() {
        let day = NaiveDate::from_ymd_opt(2020, 7, 21).unwrap();
        let cursor = encode_cursor(day, "0190-abc");
        assert_eq!(decode_cursor(&cursor).unwrap(), (day, "0190-abc".to_owned()));
        for bad in ["", "zz", "abc", "2020-07-21/x", &encode_cursor(day, "a b")] {
            assert!(decode_cursor(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn any_date_bound_excludes_undated_events() {
        let open = EventFilter::default().day_bounds();
        assert_eq!(open.0, UNDATED_SORT_DAY);
        let to_only = EventFilter {
            to: NaiveDate::from_ymd_opt(2020, 1, 1),
            ..EventFilter::default()
        };
        assert!(to_only.day_bounds().0 > UNDATED_SORT_DAY);
    }
}
