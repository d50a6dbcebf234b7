//! Stage 1 — the article: input forms (plain text, JSON object, JSON Lines) and the header
//! (`date 2020-07-22 TEHRAN — …`, wire datelines `WASHINGTON, March 4 - …`, `TEHRAN (Reuters) -`).

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

use crate::IngestError;

/// Longest article text accepted (bytes); larger inputs are rejected, not truncated.
pub const MAX_TEXT_BYTES: usize = 16 * 1024 * 1024;

/// One article as submitted: text plus optional metadata.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ArticleInput {
    pub text: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<NaiveDate>,
    pub source: Option<String>,
}

#[derive(Deserialize)]
struct ArticleJson {
    text: String,
    #[serde(default)]
    url: Option<String>,
    #[serde(default)]
    title: Option<String>,
    #[serde(default)]
    published: Option<String>,
    #[serde(default)]
    source: Option<String>,
}

impl ArticleInput {
    /// An article from plain text.
    pub fn from_text(text: impl Into<String>) -> Self {
        Self {
            text: text.into(),
            ..Self::default()
        }
    }

    /// Validates a JSON article object (`text`, optional `url`, `title`, `published`, `source`).
    pub fn from_json_value(value: serde_json::Value) -> Result<Self, IngestError> {
        let raw: ArticleJson =
            serde_json::from_value(value).map_err(|e| IngestError::InvalidArticle(e.to_string()))?;
        let published = match raw.published.as_deref().map(str::trim) {
            None | Some("") => None,
            Some(p) => Some(parse_published(p)?),
        };
        let article = Self {
            text: raw.text,
            url: raw.url,
            title: raw.title,
            published,
            source: raw.source,
        };
        article.validate()?;
        Ok(article)
    }

    /// Checks the invariants every article must meet: non-blank text within the size limit.
    pub fn validate(&self) -> Result<(), IngestError> {
        if self.text.trim().is_empty() {
            return Err(IngestError::InvalidArticle("text is empty".into()));
        }
        if self.text.len() > MAX_TEXT_BYTES {
            return Err(IngestError::InvalidArticle(format!(
                "text is {} bytes, more than the {MAX_TEXT_BYTES} allowed",
                self.text.len()
            )));
        }
        Ok(())
    }
}

/// Parses a publication date: `YYYY-MM-DD`, `YYYYMMDD`, or RFC 3339 (the date part is kept).
pub fn parse_published(input: &str) -> Result<NaiveDate, IngestError> {
    let bad = || IngestError::InvalidArticle(format!("invalid published date {:?}", trunc(input, 40)));
    let s = input.trim();
    let date = if s.len() == 8 && s.bytes().all(|b| b.is_ascii_digit()) {
        NaiveDate::parse_from_str(s, "%Y%m%d").map_err(|_| bad())?
    } else if s.len() >= 10 && s.is_char_boundary(10) {
        let head = NaiveDate::parse_from_str(&s[..10], "%Y-%m-%d").map_err(|_| bad())?;
        if s.len() > 10 && chrono::DateTime::parse_from_rfc3339(s).is_err() {
            return Err(bad());
        }
        head
    } else {
        return Err(bad());
    };
    if !(diplograph_core::MIN_YEAR..=diplograph_core::MAX_YEAR).contains(&date.year()) {
        return Err(bad());
    }
    Ok(date)
}

fn trunc(s: &str, n: usize) -> String {
    s.chars().take(n).collect()
}

/// Splits an input file or body into articles: a JSON object, a JSON array of objects, JSON
/// Lines, or else one plain-text article. Each item is parsed on its own, so one bad line
/// does not lose the others; line numbers are 1-based.
pub fn parse_articles(input: &str) -> Vec<Result<ArticleInput, IngestError>> {
    let trimmed = input.trim_start();
    if trimmed.starts_with('[') {
        return match serde_json::from_str::<Vec<serde_json::Value>>(trimmed) {
            Ok(values) => values.into_iter().map(ArticleInput::from_json_value).collect(),
            Err(e) => vec![Err(IngestError::InvalidArticle(format!(
                "invalid JSON array: {e}"
            )))],
        };
    }
    if !trimmed.starts_with('{') {
        let article = ArticleInput::from_text(input);
        return vec![article.validate().map(|_| article)];
    }
    if let Ok(value) = serde_json::from_str::<serde_json::Value>(trimmed) {
        return vec![ArticleInput::from_json_value(value)];
    }
    input
        .lines()
        .enumerate()
        .filter(|(_, line)| !line.trim().is_empty())
        .map(|(n, line)| {
            serde_json::from_str::<serde_json::Value>(line)
                .map_err(|e| IngestError::InvalidArticle(e.to_string()))
                .and_then(ArticleInput::from_json_value)
                .map_err(|e| IngestError::Line {
                    line: n + 1,
                    reason: e.to_string(),
                })
        })
        .collect()
}

/// What the first line of the text says about the article.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Header {
    /// Publication date from a `date YYYY-MM-DD` header.
    pub published: Option<NaiveDate>,
    /// The dateline city as written, title-cased ("Tehran").
    pub dateline: Option<String>,
    /// Byte range of the dateline city in the text.
    pub dateline_span: Option<(usize, usize)>,
    /// A month and day written in the dateline (`March 4`), year not yet known.
    pub dateline_month_day: Option<(u32, u32)>,
    /// Where the body (sentence 0) starts: after a `date …` header, at the dateline.
    pub body_start: usize,
    /// Where the lead sentence's own words start (after the dateline and its dash).
    pub lead_start: usize,
}

/// Reads the header and the dateline at the start of `text`. Never fails: a text without them
/// gives an empty header whose body starts at the first non-blank character. Every offset is a
/// char boundary of `text`, and `body_start <= lead_start <= text.len()`.
pub fn parse_header(text: &str) -> Header {
    let mut header = Header::default();
    let mut pos = text.len() - text.trim_start().len();
    if let Some((date, next)) = date_header(text, pos) {
        header.published = Some(date);
        pos = next;
    }
    header.body_start = pos;
    header.lead_start = pos;
    if let Some(d) = dateline(text, pos) {
        header.dateline = Some(title_case(&text[d.city.0..d.city.1]));
        header.dateline_span = Some(d.city);
        header.dateline_month_day = d.month_day;
        header.lead_start = d.end;
    }
    header
}

fn date_header(text: &str, pos: usize) -> Option<(NaiveDate, usize)> {
    let rest = text.get(pos..)?;
    let head = rest.get(..6).unwrap_or("").to_ascii_lowercase();
    let skip = if head.starts_with("date: ") {
        6
    } else if head.starts_with("date ") {
        5
    } else {
        return None;
    };
    let after = &rest[skip..];
    let date = NaiveDate::parse_from_str(after.get(..10)?, "%Y-%m-%d").ok()?;
    let tail = &after[10..];
    let ws = tail.len() - tail.trim_start().len();
    Some((date, pos + (rest.len() - after.len()) + 10 + ws))
}

struct Dateline {
    city: (usize, usize),
    month_day: Option<(u32, u32)>,
    end: usize,
}

/// `CITY[, Month Day][ (Agency)] <dash> ` where CITY is 1–4 upper-case words.
fn dateline(text: &str, pos: usize) -> Option<Dateline> {
    let rest = text.get(pos..)?;
    let city_len = rest
        .char_indices()
        .take_while(|(_, c)| c.is_uppercase() || matches!(c, ' ' | '.' | '-' | '\''))
        .last()
        .map(|(i, c)| i + c.len_utf8())?;
    let city = rest[..city_len].trim_end_matches([' ', '-']);
    let letters = city.chars().filter(|c| c.is_alphabetic()).count();
    if letters < 3 || city.split_whitespace().count() > 4 || city.len() > 40 {
        return None;
    }
    let mut i = city.len();
    let mut month_day = None;
    if let Some(after) = rest[i..].strip_prefix(", ")
        && let Some((md, used)) = month_day_prefix(after)
    {
        month_day = Some(md);
        i += 2 + used;
    }
    let tail = &rest[i..];
    let tail_trim = tail.trim_start();
    i += tail.len() - tail_trim.len();
    if tail_trim.starts_with('(') {
        let close = tail_trim.find(')')?;
        if close > 40 {
            return None;
        }
        i += close + 1;
    }
    let tail = &rest[i..];
    let tail_trim = tail.trim_start_matches(' ');
    i += tail.len() - tail_trim.len();
    let dash = ["—", "–", "--", "-"]
        .iter()
        .find(|d| tail_trim.starts_with(**d))?;
    i += dash.len();
    let tail = &rest[i..];
    if !tail.starts_with([' ', '\n']) {
        return None;
    }
    i += tail.len() - tail.trim_start().len();
    Some(Dateline {
        city: (pos, pos + city.len()),
        month_day,
        end: pos + i,
    })
}

const MONTHS: [&str; 12] = [
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

/// Reads a month name (full or abbreviated, optional dot) at the start of `s`: (month, bytes used).
pub(crate) fn month_prefix(s: &str) -> Option<(u32, usize)> {
    let word_len = s.find(|c: char| !c.is_ascii_alphabetic()).unwrap_or(s.len());
    let word = s[..word_len].to_ascii_lowercase();
    if word.len() < 3 {
        return None;
    }
    let month = MONTHS
        .iter()
        .position(|m| *m == word || (word.len() >= 3 && word.len() <= 4 && m.starts_with(&word)))?;
    let used = if s[word_len..].starts_with('.') {
        word_len + 1
    } else {
        word_len
    };
    Some((month as u32 + 1, used))
}

fn month_day_prefix(s: &str) -> Option<((u32, u32), usize)> {
    let (month, used) = month_prefix(s)?;
    let rest = s[used..].strip_prefix(' ')?;
    let digits = rest.find(|c: char| !c.is_ascii_digit()).unwrap_or(rest.len());
    let day: u32 = rest[..digits].parse().ok()?;
    if !(1..=31).contains(&day) {
        return None;
    }
    Some(((month, day), used + 1 + digits))
}

fn title_case(s: &str) -> String {
    s.split(' ')
        .map(|w| {
            let mut out = String::new();
            let mut up = true;
            for c in w.chars() {
                if up {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                up = matches!(c, '-' | '.' | '\'');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn seed_header_gives_date_dateline_and_body() {
        let text = " date 2020-07-22 TEHRAN — President Hassan Rouhani says Iran is seeking.";
        let h = parse_header(text);
        assert_eq!(h.published, NaiveDate::from_ymd_opt(2020, 7, 22));
        assert_eq!(h.dateline.as_deref(), Some("Tehran"));
        assert_eq!(&text[h.body_start..h.body_start + 6], "TEHRAN");
        assert!(text[h.lead_start..].starts_with("President"));
    }

    #[test]
    fn wire_datelines_are_recognised() {
        let h = parse_header("WASHINGTON, March 4 - The president said.");
        assert_eq!(h.dateline.as_deref(), Some("Washington"));
        assert_eq!(h.dateline_month_day, Some((3, 4)));
        assert_eq!(
            parse_header("TEHRAN (Reuters) - Iran said.").dateline.as_deref(),
            Some("Tehran")
        );
        let h = parse_header("BEIJING, Jan. 9 (Xinhua) -- China said.");
        assert_eq!(h.dateline.as_deref(), Some("Beijing"));
        assert_eq!(h.dateline_month_day, Some((1, 9)));
        assert_eq!(
            parse_header("NEW DELHI, Oct 2 - x").dateline.as_deref(),
            Some("New Delhi")
        );
    }

    #[test]
    fn ordinary_openings_are_not_datelines() {
        assert_eq!(parse_header("The U.S. - China talks resumed.").dateline, None);
        assert_eq!(parse_header("IT was - said").dateline, None);
        assert_eq!(parse_header("").dateline, None);
    }

    #[test]
    fn json_lines_report_bad_lines_and_keep_good_ones() {
        let input =
            "{\"text\":\"a\"}\nnot json\n\n{\"text\":\"b\",\"published\":\"2020-01-02\"}\n{\"text\":\"\"}";
        let out = parse_articles(input);
        assert_eq!(out.len(), 4);
        assert!(out[0].is_ok() && out[2].is_ok());
        assert!(matches!(out[1], Err(IngestError::Line { line: 2, .. })));
        assert!(matches!(out[3], Err(IngestError::Line { line: 5, .. })));
    }

    #[test]
    fn published_accepts_day_rfc3339_and_compact_forms() {
        assert_eq!(parse_published("2020-07-22").unwrap().to_string(), "2020-07-22");
        assert_eq!(
            parse_published("2020-07-22T10:00:00Z").unwrap().to_string(),
            "2020-07-22"
        );
        assert_eq!(parse_published("19950101").unwrap().to_string(), "1995-01-01");
        for bad in ["2020-13-01", "yesterday", "2020-07-22 junk", "0001-01-01"] {
            assert!(parse_published(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn wrong_types_are_rejected_and_extra_fields_ignored() {
        assert!(ArticleInput::from_json_value(serde_json::json!({"text": 5})).is_err());
        assert!(ArticleInput::from_json_value(serde_json::json!({"url": "x"})).is_err());
        let v = serde_json::json!({"text": "x", "id": "r001"});
        assert_eq!(ArticleInput::from_json_value(v).unwrap().text, "x");
    }
}
