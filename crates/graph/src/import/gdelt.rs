//! GDELT 2.0 event exports (`YYYYMMDDHHMMSS.export.CSV`): tab-separated, 61 columns, no header,
//! no quoting. Actors become the countries of their `Actor{1,2}CountryCode`, the CAMEO
//! `EventCode` becomes our kind, `SOURCEURL` the article, `ActionGeo_FullName` the place.

use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::OnceLock;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, MAX_YEAR, MIN_YEAR, Role};

use crate::error::StoreError;
use crate::import::driver::{Record, Records, Session};
use crate::import::entities::Seed;
use crate::import::job::{Job, JobLines};
use crate::import::plan::Source;
use crate::import::row::{ArticleKey, ArticleRef, CodeError, Countries, ImportRow, Parsed, RowParticipant};
use crate::import::{ImportObserver, ImportOptions, ImportReport};
use crate::store::Store;

/// The job format of GDELT files.
const FORMAT: &str = "gdelt2";
/// Columns of a GDELT 2.0 event row.
const COLUMNS: usize = 61;

const GLOBALEVENTID: usize = 0;
const SQLDATE: usize = 1;
const ACTOR1_NAME: usize = 6;
const ACTOR1_COUNTRY: usize = 7;
const ACTOR2_NAME: usize = 16;
const ACTOR2_COUNTRY: usize = 17;
const EVENT_CODE: usize = 26;
const ACTION_GEO_NAME: usize = 52;
const DATEADDED: usize = 59;
const SOURCEURL: usize = 60;

/// Country names for countries first seen in GDELT rows (whose actor names are often a city or
/// an adjective): the project's gazetteer.
const COUNTRIES_TSV: &str = include_str!("../../../../data/countries.tsv");

pub(crate) async fn import(
    store: &Store,
    path: &Path,
    options: &ImportOptions,
    observer: &dyn ImportObserver,
) -> Result<ImportReport, StoreError> {
    let source = Source {
        extractor: "import:gdelt2",
        confidence: 1.0,
    };
    Session::run(store, options, observer, source, async |session| {
        let job = session.job(FORMAT, path).await?;
        let file = session
            .events(path, job, |job| GdeltRecords::open(path, job))
            .await?;
        Ok(ImportReport { files: vec![file] })
    })
    .await
}

struct GdeltRecords {
    lines: JobLines,
    countries: Countries,
    seen: HashSet<CountryCode>,
    pending: Vec<Seed>,
}

impl GdeltRecords {
    fn open(path: &Path, job: &Job) -> Result<Self, StoreError> {
        Ok(Self {
            lines: JobLines::open(path, job)?,
            countries: Countries::default(),
            seen: HashSet::new(),
            pending: Vec::new(),
        })
    }
}

impl Records for GdeltRecords {
    fn next_record(&mut self) -> Result<Option<Record>, StoreError> {
        let Some((line, end, text)) = self.lines.next_line()? else {
            return Ok(None);
        };
        let parsed = parse_line(text, &mut self.countries);
        if let Parsed::Row(row) = &parsed {
            for p in &row.participants {
                if self.seen.insert(p.country) {
                    self.pending.push(Seed {
                        name: country_name(p.country),
                        country: p.country,
                    });
                }
            }
        }
        Ok(Some(Record { line, end, parsed }))
    }

    fn take_countries(&mut self) -> Vec<Seed> {
        std::mem::take(&mut self.pending)
    }
}

/// One line of an export (its line end included or not) as an event, or why not.
pub(crate) fn parse_line(line: &[u8], countries: &mut Countries) -> Parsed {
    let text = line.strip_suffix(b"\n").unwrap_or(line);
    let text = text.strip_suffix(b"\r").unwrap_or(text);
    match std::str::from_utf8(text) {
        Err(_) => Parsed::Bad("not valid UTF-8".into()),
        Ok(line) if line.trim().is_empty() => Parsed::Skip("empty_line"),
        Ok(line) => parse(&line.split('\t').collect::<Vec<_>>(), countries),
    }
}

/// One export row as an event between two countries, or why not.
pub(crate) fn parse(fields: &[&str], countries: &mut Countries) -> Parsed {
    if fields.len() != COLUMNS {
        return Parsed::Bad(format!(
            "expected {COLUMNS} tab-separated columns, found {}",
            fields.len()
        ));
    }
    let id = fields[GLOBALEVENTID].trim();
    if id.is_empty() || !id.bytes().all(|b| b.is_ascii_digit()) {
        return Parsed::Bad(format!("GLOBALEVENTID {:?} is not a number", clip(id)));
    }
    let Some(day) = yyyymmdd(fields[SQLDATE]) else {
        return Parsed::Bad(format!(
            "SQLDATE {:?} is not a date YYYYMMDD",
            clip(fields[SQLDATE])
        ));
    };
    let code = fields[EVENT_CODE].trim();
    if code.is_empty() {
        return Parsed::Bad("EventCode is empty".into());
    }
    let url = fields[SOURCEURL].trim();
    if url.is_empty() {
        return Parsed::Bad("SOURCEURL is empty".into());
    }
    let Some(kind) = EventKind::from_cameo(code) else {
        return Parsed::Skip("unmapped_cameo");
    };
    let (a1, a2) = match (
        actor(countries, fields[ACTOR1_COUNTRY]),
        actor(countries, fields[ACTOR2_COUNTRY]),
    ) {
        (Ok(a1), Ok(a2)) => (a1, a2),
        (Err(reason), _) | (_, Err(reason)) => return Parsed::Skip(reason),
    };
    if a1 == a2 {
        return Parsed::Skip("same_country");
    }
    let (r1, r2) = roles(kind, code);
    let name = |i: usize, c: CountryCode| match fields[i].trim() {
        "" => c.as_str().to_owned(),
        n => n.to_owned(),
    };
    let evidence = format!(
        "GDELT event {id} (CAMEO {code}): {} → {}",
        name(ACTOR1_NAME, a1),
        name(ACTOR2_NAME, a2)
    );
    let place = Some(fields[ACTION_GEO_NAME].trim())
        .filter(|p| !p.is_empty())
        .map(|p| (p.to_owned(), None));
    Parsed::Row(Box::new(ImportRow {
        kind,
        day,
        participants: [participant(a1, r1), participant(a2, r2)],
        place,
        article: ArticleRef {
            key: ArticleKey::Url(url.to_owned()),
            title: None,
            published: fields[DATEADDED].get(..8).and_then(yyyymmdd),
            source: host(url).map(str::to_owned),
        },
        evidence,
    }))
}

fn participant(country: CountryCode, role: Role) -> RowParticipant {
    RowParticipant {
        entity: country.as_str().to_owned(),
        role,
        country,
    }
}

fn actor(countries: &mut Countries, code: &str) -> Result<CountryCode, &'static str> {
    let code = code.trim();
    if code.is_empty() {
        return Err("actor_without_country");
    }
    countries.parse(code).map_err(|e| match e {
        CodeError::Regional => "regional_actor",
        CodeError::Unknown => "unknown_country_code",
    })
}

/// Actor 1's and actor 2's roles. CAMEO 043 ("host a visit") has the host as actor 1.
fn roles(kind: EventKind, code: &str) -> (Role, Role) {
    match kind {
        EventKind::Visit if code.starts_with("043") => (Role::Host, Role::Visitor),
        EventKind::Visit => (Role::Visitor, Role::Host),
        EventKind::Meet | EventKind::Talks | EventKind::PhoneCall => (Role::Participant, Role::Participant),
        EventKind::Agreement => (Role::Signatory, Role::Signatory),
        _ => (Role::Source, Role::Target),
    }
}

fn yyyymmdd(text: &str) -> Option<NaiveDate> {
    let text = text.trim();
    if text.len() != 8 {
        return None;
    }
    let day = NaiveDate::parse_from_str(text, "%Y%m%d").ok()?;
    use chrono::Datelike;
    (MIN_YEAR..=MAX_YEAR).contains(&day.year()).then_some(day)
}

fn host(url: &str) -> Option<&str> {
    let rest = url.split_once("://").map_or(url, |(_, rest)| rest);
    let host = rest.split(['/', '?', '#']).next()?;
    (!host.is_empty()).then_some(host)
}

fn clip(text: &str) -> String {
    text.chars().take(32).collect()
}

/// The gazetteer's name of a country, or its code.
fn country_name(code: CountryCode) -> String {
    static NAMES: OnceLock<HashMap<&'static str, &'static str>> = OnceLock::new();
    let names = NAMES.get_or_init(|| {
        COUNTRIES_TSV
            .lines()
            .filter(|l| !l.starts_with('#'))
            .filter_map(|l| {
                let mut cols = l.split('\t');
                let iso3 = cols.next()?;
                let name = cols.nth(1)?;
                Some((iso3, name))
            })
            .collect()
    });
    names
        .get(code.as_str())
        .map_or_else(|| code.as_str().to_owned(), |name| (*name).to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(a1: &str, a2: &str, code: &str) -> Vec<String> {
        let mut fields = vec![String::new(); COLUMNS];
        fields[GLOBALEVENTID] = "669666359".into();
        fields[SQLDATE] = "20160701".into();
        fields[ACTOR1_NAME] = "CAIRO".into();
        fields[ACTOR1_COUNTRY] = a1.into();
        fields[ACTOR2_NAME] = "SAUDI".into();
        fields[ACTOR2_COUNTRY] = a2.into();
        fields[EVENT_CODE] = code.into();
        fields[DATEADDED] = "20170701234500".into();
        fields[SOURCEURL] = "http://www.thearabweekly.com/article/8771".into();
        fields
    }

    fn check(fields: &[String]) -> Parsed {
        let refs: Vec<&str> = fields.iter().map(String::as_str).collect();
        parse(&refs, &mut Countries::default())
    }

    #[test]
    fn a_hosted_visit_makes_actor_two_the_visitor() {
        let Parsed::Row(row) = check(&row("EGY", "SAU", "043")) else {
            panic!("expected a row")
        };
        assert_eq!(row.kind, EventKind::Visit);
        assert_eq!(row.participants[0].role, Role::Host);
        assert_eq!(row.participants[1].role, Role::Visitor);
        assert_eq!(row.participants[1].entity, "SAU");
        assert_eq!(row.article.source.as_deref(), Some("www.thearabweekly.com"));
        assert_eq!(row.article.published, NaiveDate::from_ymd_opt(2017, 7, 1));
        assert!(row.evidence.contains("669666359"), "{}", row.evidence);
    }

    #[test]
    fn out_of_scope_rows_are_skipped_with_a_reason() {
        assert_eq!(check(&row("EUR", "SAU", "042")), Parsed::Skip("regional_actor"));
        assert_eq!(
            check(&row("", "SAU", "042")),
            Parsed::Skip("actor_without_country")
        );
        assert_eq!(check(&row("EGY", "SAU", "190")), Parsed::Skip("unmapped_cameo"));
        assert_eq!(check(&row("EGY", "EGY", "042")), Parsed::Skip("same_country"));
        assert_eq!(
            check(&row("QQQ", "SAU", "042")),
            Parsed::Skip("unknown_country_code")
        );
    }

    #[test]
    fn malformed_rows_are_bad() {
        let mut short = row("EGY", "SAU", "042");
        short.pop();
        assert!(matches!(check(&short), Parsed::Bad(m) if m.contains("found 60")));
        let mut undated = row("EGY", "SAU", "042");
        undated[SQLDATE] = "2016-07-01".into();
        assert!(matches!(check(&undated), Parsed::Bad(m) if m.contains("SQLDATE")));
        let mut no_url = row("EGY", "SAU", "042");
        no_url[SOURCEURL] = " ".into();
        assert!(matches!(check(&no_url), Parsed::Bad(m) if m.contains("SOURCEURL")));
    }

    #[test]
    fn countries_are_named_from_the_gazetteer() {
        assert_eq!(country_name(CountryCode::parse("IRN").unwrap()), "Iran");
        assert_eq!(country_name(CountryCode::parse("SAU").unwrap()), "Saudi Arabia");
    }
}
