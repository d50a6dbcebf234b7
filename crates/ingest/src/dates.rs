//! Stage 7 — dates: explicit dates, weekdays and relative expressions, resolved against the
//! article's reference date, in the past or the future by tense.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use diplograph_core::DatePoint;

use crate::article::month_prefix;
use crate::segment::{TokKind, Token};

/// A date expression found in a sentence (token range), not yet resolved.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct DateExpr {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) value: Value,
}

/// What a date expression says.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Value {
    /// A day with a known year.
    Day(NaiveDate),
    /// A month and day; the year follows from the reference date and tense.
    MonthDay(u32, u32),
    /// A month, maybe with a year.
    Month(u32, Option<i32>),
    Year(i32),
    /// A weekday: `Some(-1)` "last", `Some(1)` "next", `None` bare ("on Saturday").
    Weekday(Weekday, Option<i8>),
    /// Days from the reference date: today 0, yesterday -1, tomorrow 1.
    Offset(i64),
    /// Later on the reference day: "tonight", "this evening".
    Later,
    /// Months from the reference month: this month 0, last month -1.
    MonthOffset(i32),
    /// Years from the reference year.
    YearOffset(i32),
    /// Said but not resolvable to a day, month or year ("recently", "last week").
    Vague,
}

const WEEKDAYS: [(&str, Weekday); 7] = [
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

fn weekday(lower: &str) -> Option<Weekday> {
    // Most words are not weekdays: look at the first letter before comparing.
    if !lower.starts_with(['m', 't', 'w', 'f', 's']) || lower.len() < 3 {
        return None;
    }
    let w = lower.trim_end_matches("'s");
    WEEKDAYS
        .iter()
        .find(|(n, _)| *n == w || (w.len() >= 3 && n.starts_with(w) && w.len() <= 4))
        .map(|(_, d)| *d)
}

fn number(t: Option<&Token>) -> Option<i64> {
    let t = t?;
    if t.kind != TokKind::Number {
        return None;
    }
    let digits: String = t
        .lower()
        .trim_end_matches(|c: char| c.is_alphabetic())
        .chars()
        .collect();
    if digits.len() > 4 || digits.contains([',', '.']) {
        return None;
    }
    digits.parse().ok()
}

/// Finds the date expressions of a sentence.
pub(crate) fn find(toks: &[Token]) -> Vec<DateExpr> {
    let mut out = Vec::new();
    let mut i = 0;
    while i < toks.len() {
        match at(toks, i) {
            Some(expr) => {
                i = expr.last;
                out.push(expr);
            }
            None => i += 1,
        }
    }
    out
}

fn is(toks: &[Token], i: usize, w: &str) -> bool {
    toks.get(i).is_some_and(|t| t.is(w))
}

fn at(toks: &[Token], i: usize) -> Option<DateExpr> {
    let t = &toks[i];
    let e = |last: usize, value: Value| {
        Some(DateExpr {
            first: i,
            last,
            value,
        })
    };
    if let Some(expr) = iso_date(toks, i) {
        return Some(expr);
    }
    if t.kind == TokKind::Word {
        if let Some(expr) = month_phrase(toks, i) {
            return Some(expr);
        }
        if let Some(d) = weekday(t.lower()).filter(|_| t.cap || t.lower().len() > 4) {
            return e(i + 1, Value::Weekday(d, None));
        }
        let next = toks.get(i + 1).map(|t| t.lower()).unwrap_or("");
        return match (t.lower(), next) {
            ("today", _) => e(i + 1, Value::Offset(0)),
            ("tonight", _) => e(i + 1, Value::Later),
            ("this", "evening") => e(i + 2, Value::Later),
            ("yesterday", _) => e(i + 1, Value::Offset(-1)),
            ("tomorrow", _) => e(i + 1, Value::Offset(1)),
            ("this", "morning" | "afternoon") => e(i + 2, Value::Offset(0)),
            ("last", "night") => e(i + 2, Value::Offset(-1)),
            ("last" | "next" | "this" | "past" | "coming", _) => relative(toks, i),
            ("earlier" | "later", "this") => relative(toks, i + 1).map(|x| DateExpr { first: i, ..x }),
            ("recently" | "lately", _) => e(i + 1, Value::Vague),
            ("in", _) => year_only(toks, i + 1).map(|x| DateExpr { first: i, ..x }),
            _ => None,
        };
    }
    if t.kind == TokKind::Number {
        // "4 March 2020", "4th of March".
        let day = number(Some(t))?;
        let k = if is(toks, i + 1, "of") { i + 2 } else { i + 1 };
        let (month, _) = toks
            .get(k)
            .filter(|m| m.cap)
            .and_then(|m| month_prefix(m.lower()))?;
        return with_year(toks, k + 1, i, month, day as u32);
    }
    None
}

fn iso_date(toks: &[Token], i: usize) -> Option<DateExpr> {
    let y = number(toks.get(i)).filter(|y| *y >= 1800)?;
    if !(is(toks, i + 1, "-") && is(toks, i + 3, "-")) {
        return None;
    }
    let (m, d) = (number(toks.get(i + 2))?, number(toks.get(i + 4))?);
    let date = NaiveDate::from_ymd_opt(y as i32, m as u32, d as u32)?;
    Some(DateExpr {
        first: i,
        last: i + 5,
        value: Value::Day(date),
    })
}

/// "March 4", "March 4, 1987", "March 1987", "May" (capitalized).
fn month_phrase(toks: &[Token], i: usize) -> Option<DateExpr> {
    let t = &toks[i];
    if !t.cap {
        return None;
    }
    let (month, used) = month_prefix(t.lower())?;
    let word_len = t.lower().len();
    if used < word_len && used + 1 != word_len {
        return None;
    }
    let mut last = i + 1;
    if is(toks, last, ".") {
        last += 1;
    }
    if let Some(day) = number(toks.get(last)).filter(|d| (1..=31).contains(d)) {
        return with_year(toks, last + 1, i, month, day as u32);
    }
    if is(toks, last, ",") && number(toks.get(last + 1)).is_some_and(|y| y >= 1800) {
        last += 1;
    }
    if let Some(y) = number(toks.get(last)).filter(|y| (1800..=2200).contains(y)) {
        return Some(DateExpr {
            first: i,
            last: last + 1,
            value: Value::Month(month, Some(y as i32)),
        });
    }
    // A bare "May" needs a preposition before it to be a month ("in May", "last May").
    let prev = i.checked_sub(1).map(|p| toks[p].lower()).unwrap_or("");
    if month == 5
        && !matches!(
            prev,
            "in" | "last" | "next" | "since" | "until" | "early" | "late" | "mid"
        )
    {
        return None;
    }
    Some(DateExpr {
        first: i,
        last: i + 1,
        value: Value::Month(month, None),
    })
}

fn with_year(toks: &[Token], k: usize, first: usize, month: u32, day: u32) -> Option<DateExpr> {
    let k2 = if is(toks, k, ",") { k + 1 } else { k };
    if let Some(y) = number(toks.get(k2)).filter(|y| (1800..=2200).contains(y)) {
        let date = NaiveDate::from_ymd_opt(y as i32, month, day)?;
        return Some(DateExpr {
            first,
            last: k2 + 1,
            value: Value::Day(date),
        });
    }
    NaiveDate::from_ymd_opt(2000, month, day)?;
    Some(DateExpr {
        first,
        last: k,
        value: Value::MonthDay(month, day),
    })
}

fn relative(toks: &[Token], i: usize) -> Option<DateExpr> {
    let dir: i8 = match toks[i].lower() {
        "last" | "past" => -1,
        "next" | "coming" => 1,
        _ => 0,
    };
    let next = toks.get(i + 1)?;
    let e = |last: usize, value: Value| {
        Some(DateExpr {
            first: i,
            last,
            value,
        })
    };
    if let Some(d) = weekday(next.lower()) {
        return e(i + 2, Value::Weekday(d, (dir != 0).then_some(dir)));
    }
    match next.lower() {
        "week" | "weekend" | "weeks" | "days" | "few" => e(i + 2, Value::Vague),
        "month" => e(i + 2, Value::MonthOffset(dir as i32)),
        "year" => e(i + 2, Value::YearOffset(dir as i32)),
        _ => {
            let (month, _) = month_prefix(next.lower()).filter(|_| next.cap)?;
            let value = Value::Month(month, None);
            e(i + 2, value).map(|x| DateExpr {
                value: shift_month(value, dir),
                ..x
            })
        }
    }
}

fn shift_month(v: Value, dir: i8) -> Value {
    match (v, dir) {
        (Value::Month(m, None), -1) => Value::Month(m + 100, None), // "last May": strictly past
        (Value::Month(m, None), 1) => Value::Month(m + 200, None),  // "next May": strictly future
        _ => v,
    }
}

fn year_only(toks: &[Token], i: usize) -> Option<DateExpr> {
    let y = number(toks.get(i)).filter(|y| (1800..=2200).contains(y))?;
    Some(DateExpr {
        first: i,
        last: i + 1,
        value: Value::Year(y as i32),
    })
}

/// Resolves an expression against the reference date; `future` when the event is ahead.
pub(crate) fn resolve(value: Value, reference: Option<NaiveDate>, future: bool) -> Option<DatePoint> {
    if let Value::Day(d) = value {
        return DatePoint::day(d).ok();
    }
    if let Value::Year(y) = value {
        return DatePoint::parse(&format!("{y:04}")).ok();
    }
    let r = reference?;
    let point = match value {
        Value::MonthDay(m, d) => DatePoint::Day(month_day(r, m, d, future)?),
        Value::Weekday(w, dir) => DatePoint::Day(weekday_date(r, w, dir, future)),
        Value::Offset(days) => DatePoint::Day(r.checked_add_signed(Duration::days(days))?),
        Value::Later => DatePoint::Day(r),
        Value::Month(m, Some(y)) => DatePoint::Month { year: y, month: m },
        Value::Month(m, None) => month_only(r, m, future),
        Value::MonthOffset(k) => {
            let total = r.year() * 12 + r.month0() as i32 + k;
            DatePoint::Month {
                year: total.div_euclid(12),
                month: total.rem_euclid(12) as u32 + 1,
            }
        }
        Value::YearOffset(k) => DatePoint::Year(r.year() + k),
        Value::Day(_) | Value::Year(_) | Value::Vague => return None,
    };
    DatePoint::day(point.first_day()).ok().map(|_| point)
}

fn month_day(r: NaiveDate, m: u32, d: u32, future: bool) -> Option<NaiveDate> {
    let this = NaiveDate::from_ymd_opt(r.year(), m, d)?;
    let slack = Duration::days(3);
    if !future && this > r + slack {
        return NaiveDate::from_ymd_opt(r.year() - 1, m, d);
    }
    if future && this + slack < r {
        return NaiveDate::from_ymd_opt(r.year() + 1, m, d);
    }
    Some(this)
}

fn month_only(r: NaiveDate, m: u32, future: bool) -> DatePoint {
    let (month, strict) = (m % 100, m / 100);
    let y = r.year();
    let year = match (strict, future) {
        (1, _) => {
            if month < r.month() {
                y
            } else {
                y - 1
            }
        }
        (2, _) => {
            if month > r.month() {
                y
            } else {
                y + 1
            }
        }
        (_, false) => {
            if month <= r.month() {
                y
            } else {
                y - 1
            }
        }
        (_, true) => {
            if month >= r.month() {
                y
            } else {
                y + 1
            }
        }
    };
    DatePoint::Month { year, month }
}

fn weekday_date(r: NaiveDate, w: Weekday, dir: Option<i8>, future: bool) -> NaiveDate {
    let back = (r.weekday().num_days_from_monday() as i64 - w.num_days_from_monday() as i64).rem_euclid(7);
    let ahead = (7 - back) % 7;
    match dir {
        Some(-1) => r - Duration::days(if back == 0 { 7 } else { back }),
        Some(1) => r + Duration::days(if ahead == 0 { 7 } else { ahead }),
        _ if future => r + Duration::days(ahead),
        _ => r - Duration::days(back),
    }
}

/// "a two-day visit" → 2. Looks for `<number-word>-day` tokens in a range.
pub(crate) fn span_days(toks: &[Token]) -> Option<i64> {
    const WORDS: [&str; 10] = [
        "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten",
    ];
    toks.iter().find_map(|t| {
        let n = t.lower().strip_suffix("-day")?;
        WORDS
            .iter()
            .position(|w| *w == n)
            .map(|p| p as i64 + 1)
            .or_else(|| n.parse().ok())
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tokens;

    fn day(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    fn first(text: &str, future: bool) -> Option<String> {
        let toks = tokens(text, 0, text.len());
        let expr = find(&toks).into_iter().next()?;
        resolve(expr.value, Some(day("2020-07-22")), future).map(|p| p.to_string())
    }

    #[test]
    fn weekdays_resolve_by_tense_against_a_wednesday() {
        assert_eq!(
            first("On Saturday, he visited", false).as_deref(),
            Some("2020-07-18")
        );
        assert_eq!(
            first("On Tuesday, he arrived", false).as_deref(),
            Some("2020-07-21")
        );
        assert_eq!(first("said on Wednesday", false).as_deref(), Some("2020-07-22"));
        assert_eq!(first("will go on Friday", true).as_deref(), Some("2020-07-24"));
        assert_eq!(first("last Wednesday", false).as_deref(), Some("2020-07-15"));
    }

    #[test]
    fn relative_days_months_and_explicit_dates_resolve() {
        assert_eq!(first("yesterday", false).as_deref(), Some("2020-07-21"));
        assert_eq!(first("in May", false).as_deref(), Some("2020-05"));
        assert_eq!(first("in December", false).as_deref(), Some("2019-12"));
        assert_eq!(first("earlier this month", false).as_deref(), Some("2020-07"));
        assert_eq!(first("on March 4", false).as_deref(), Some("2020-03-04"));
        assert_eq!(first("on 4 March 1987", false).as_deref(), Some("1987-03-04"));
        assert_eq!(first("on July 22, 2019,", false).as_deref(), Some("2019-07-22"));
        assert_eq!(first("on 2021-01-05", false).as_deref(), Some("2021-01-05"));
        assert_eq!(first("last year", false).as_deref(), Some("2019"));
        assert_eq!(first("in 1985", false).as_deref(), Some("1985"));
    }

    #[test]
    fn vague_and_modal_words_give_no_date() {
        assert_eq!(first("in the past weeks", false), None);
        assert_eq!(first("he may go", false), None);
        assert_eq!(first("last week", false), None);
    }

    #[test]
    fn spans_are_read_from_n_day() {
        let text = "a two-day visit";
        assert_eq!(span_days(&tokens(text, 0, text.len())), Some(2));
    }
}
