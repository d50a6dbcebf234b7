//! The folder `gen_events.py` writes: `countries.csv` (code, name, rank), `persons.csv`
//! (person_id, name, country, rank) and `events.csv` (event_id, event_date, event_type,
//! src_person, src_country, dst_person, dst_country, place_country, article_id, source_id).
//!
//! Countries and people are found or created first (one transaction each); then the events,
//! each between two people, are read in batches. A bench article has no URL: it is keyed by a
//! hash of the events file's content and its article id.

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::{Path, PathBuf};

use chrono::{Datelike, NaiveDate};
use csv::{ByteRecord, Position};
use diplograph_core::{CountryCode, EntityKind, EventKind, MAX_YEAR, MIN_YEAR, Role};

use crate::error::StoreError;
use crate::import::csv_file::{LineCounter, csv_error, csv_reader, fields, header, read};
use crate::import::driver::{Record, Records, Session, report};
use crate::import::entities::Seed;
use crate::import::job::{Job, io_error};
use crate::import::plan::{Source, synthetic_hash};
use crate::import::row::{ArticleKey, ArticleRef, CodeError, Countries, ImportRow, Parsed, RowParticipant};
use crate::import::{BadRow, FileOutcome, ImportObserver, ImportOptions, ImportReport};
use crate::store::Store;

pub(crate) const EVENT_COLUMNS: [&str; 10] = [
    "event_id",
    "event_date",
    "event_type",
    "src_person",
    "src_country",
    "dst_person",
    "dst_country",
    "place_country",
    "article_id",
    "source_id",
];

pub(crate) async fn import(
    store: &Store,
    dir: &Path,
    options: &ImportOptions,
    observer: &dyn ImportObserver,
) -> Result<ImportReport, StoreError> {
    if !dir.is_dir() {
        return Err(StoreError::Io(format!(
            "{} is not a directory (expected the folder gen_events.py writes)",
            dir.display()
        )));
    }
    let source = Source {
        extractor: "import:bench",
        confidence: 1.0,
    };
    Session::run(store, options, observer, source, async |session| {
        files(session, dir).await
    })
    .await
}

async fn files(session: &mut Session<'_>, dir: &Path) -> Result<ImportReport, StoreError> {
    let (country_names, countries_report) = countries(session, &dir.join("countries.csv")).await?;
    let (persons, persons_report) = persons(session, &dir.join("persons.csv")).await?;
    let path = dir.join("events.csv");
    let job = session.job("bench-events", &path).await?;
    let events = Events {
        persons,
        names: country_names,
        file_hash: job.file_hash.clone(),
    };
    let events_report = session
        .events(&path, job, |job| BenchRecords::open(&path, job, events))
        .await?;
    Ok(ImportReport {
        files: vec![countries_report, persons_report, events_report],
    })
}

/// `countries.csv`: code → name, for places.
async fn countries(
    session: &mut Session<'_>,
    path: &Path,
) -> Result<(HashMap<CountryCode, String>, crate::import::FileReport), StoreError> {
    let mut codes = Countries::default();
    let (seeds, report, _) = entity_file(session, path, EntityKind::Country, &["code", "name"], |f| {
        let country = codes
            .parse(f[0])
            .map_err(|_| format!("{:?} is not an ISO 3166 alpha-3 country code", clip(f[0])))?;
        Ok((
            f[0].to_owned(),
            Seed {
                name: non_empty(f[1], country.as_str()),
                country,
            },
        ))
    })
    .await?;
    let names = seeds.into_iter().map(|(_, s)| (s.country, s.name)).collect();
    Ok((names, report))
}

/// `persons.csv`: bench person id → entity id.
async fn persons(
    session: &mut Session<'_>,
    path: &Path,
) -> Result<(HashMap<String, String>, crate::import::FileReport), StoreError> {
    let mut codes = Countries::default();
    let (seeds, report, ids) = entity_file(
        session,
        path,
        EntityKind::Person,
        &["person_id", "name", "country"],
        |f| {
            let country = codes
                .parse(f[2])
                .map_err(|_| format!("{:?} is not an ISO 3166 alpha-3 country code", clip(f[2])))?;
            if f[0].trim().is_empty() || f[1].trim().is_empty() {
                return Err("person_id and name must not be empty".into());
            }
            Ok((
                f[0].trim().to_owned(),
                Seed {
                    name: f[1].trim().to_owned(),
                    country,
                },
            ))
        },
    )
    .await?;
    let persons = seeds
        .into_iter()
        .filter_map(|(person, seed)| Some((person, ids.get(&seed.key(EntityKind::Person))?.clone())))
        .collect();
    Ok((persons, report))
}

type Parsed2 = Result<(String, Seed), String>;

/// Reads a small entity file whole and finds or creates its entities in one transaction.
/// Returns (row key, seed) per good row, the report and resolve key → entity id.
async fn entity_file(
    session: &mut Session<'_>,
    path: &Path,
    kind: EntityKind,
    columns: &[&str],
    mut parse: impl FnMut(&[&str]) -> Parsed2,
) -> Result<
    (
        Vec<(String, Seed)>,
        crate::import::FileReport,
        HashMap<String, String>,
    ),
    StoreError,
> {
    let format = match kind {
        EntityKind::Country => "bench-countries",
        _ => "bench-persons",
    };
    let mut job = session.job(format, path).await?;
    let was_done = job.done;
    let mut reader = csv_reader(path)?;
    let index = header(&mut reader, path, columns)?;
    let mut seeds = Vec::new();
    let mut record = ByteRecord::new();
    let mut bad = Vec::new();
    let mut lines = LineCounter::open(path)?;
    while read(&mut reader, &mut record, path)? {
        let start = record.position().map_or(0, Position::byte);
        let line = lines.line_at(start).map_err(|e| io_error(path, &e))?;
        let fields = fields(&record, &index).and_then(|f| parse(&f));
        match fields {
            Ok(seed) => seeds.push(seed),
            Err(reason) => bad.push(BadRow {
                path: path.to_path_buf(),
                line,
                reason,
            }),
        }
        job.lines_done = line;
    }
    job.bytes_done = job.file_bytes;
    job.counts.bad_rows = bad.len() as u64;
    let only: Vec<Seed> = seeds.iter().map(|(_, s)| s.clone()).collect();
    let (ids, created) = session.entities(kind, &only, &job).await?;
    if !was_done {
        job.counts.entities_new = created;
    }
    if !was_done {
        bad.iter().for_each(|b| session.observer.bad_row(b));
    }
    let outcome = if was_done {
        FileOutcome::AlreadyImported
    } else {
        FileOutcome::Imported
    };
    let report = report(path, outcome, &job);
    session.observer.file_finished(&report);
    Ok((seeds, report, ids))
}

/// What reading `events.csv` needs from the files before it.
pub(crate) struct Events {
    /// Bench person id → stored entity id.
    pub(crate) persons: HashMap<String, String>,
    pub(crate) names: HashMap<CountryCode, String>,
    pub(crate) file_hash: String,
}

struct BenchRecords {
    path: PathBuf,
    reader: csv::Reader<BufReader<File>>,
    lines: LineCounter<BufReader<File>>,
    index: Vec<usize>,
    record: ByteRecord,
    rows: EventRows,
}

/// Turns `events.csv` records into rows, in file order.
pub(crate) struct EventRows {
    events: Events,
    countries: Countries,
    /// The last article seen (rows of one article are consecutive): its id and reference.
    article: Option<(String, ArticleRef)>,
}

impl BenchRecords {
    fn open(path: &Path, job: &Job, events: Events) -> Result<Self, StoreError> {
        let mut reader = csv_reader(path)?;
        let index = header(&mut reader, path, &EVENT_COLUMNS)?;
        if job.bytes_done > 0 {
            let mut at = Position::new();
            at.set_byte(job.bytes_done);
            reader.seek(at).map_err(|e| csv_error(path, e))?;
        }
        Ok(Self {
            path: path.to_path_buf(),
            reader,
            lines: LineCounter::open(path)?,
            index,
            record: ByteRecord::new(),
            rows: EventRows::new(events),
        })
    }
}

impl EventRows {
    pub(crate) fn new(events: Events) -> Self {
        Self {
            events,
            countries: Countries::default(),
            article: None,
        }
    }

    /// One record (its `EVENT_COLUMNS` at `index`) as a row, or why not.
    pub(crate) fn parse(&mut self, record: &ByteRecord, index: &[usize]) -> Parsed {
        let f = match fields(record, index) {
            Ok(f) => f,
            Err(reason) => return Parsed::Bad(reason),
        };
        let Ok(day) = NaiveDate::parse_from_str(f[1].trim(), "%Y-%m-%d") else {
            return Parsed::Bad(format!("event_date {:?} is not a date YYYY-MM-DD", clip(f[1])));
        };
        if !(MIN_YEAR..=MAX_YEAR).contains(&day.year()) {
            return Parsed::Bad(format!("event_date {day} is out of range"));
        }
        let Some((kind, roles)) = kind(f[2].trim()) else {
            return Parsed::Bad(format!("unknown event_type {:?}", clip(f[2])));
        };
        let mut participants = Vec::with_capacity(2);
        for (person, country, role) in [(f[3], f[4], roles.0), (f[5], f[6], roles.1)] {
            let Some(entity) = self.events.persons.get(person.trim()) else {
                return Parsed::Bad(format!("unknown person {:?} (not in persons.csv)", clip(person)));
            };
            let country = match self.countries.parse(country) {
                Ok(country) => country,
                Err(CodeError::Regional) => return Parsed::Skip("regional_actor"),
                Err(CodeError::Unknown) => {
                    return Parsed::Bad(format!("unknown country code {:?}", clip(country)));
                }
            };
            participants.push(RowParticipant {
                entity: entity.clone(),
                role,
                country,
            });
        }
        let (Some(b), Some(a)) = (participants.pop(), participants.pop()) else {
            return Parsed::Bad("an event needs two persons".into());
        };
        if a.entity == b.entity {
            return Parsed::Bad("an event needs two different persons".into());
        }
        let place = match f[7].trim() {
            "" => None,
            code => match self.countries.parse(code) {
                Ok(c) => Some((
                    self.events
                        .names
                        .get(&c)
                        .cloned()
                        .unwrap_or_else(|| code.to_owned()),
                    Some(c),
                )),
                Err(_) => return Parsed::Bad(format!("unknown place_country {:?}", clip(code))),
            },
        };
        let (article_id, source_id) = (f[8].trim(), f[9].trim());
        if article_id.is_empty() {
            return Parsed::Bad("article_id is empty".into());
        }
        let article = article_ref(
            &mut self.article,
            &self.events.file_hash,
            article_id,
            source_id,
            day,
        );
        Parsed::Row(Box::new(ImportRow {
            kind,
            day,
            participants: [a, b],
            place,
            article,
            evidence: format!("bench event {}", f[0].trim()),
        }))
    }
}

/// The article of a row: the last one again while its rows continue.
fn article_ref(
    last: &mut Option<(String, ArticleRef)>,
    file_hash: &str,
    article_id: &str,
    source_id: &str,
    day: NaiveDate,
) -> ArticleRef {
    if let Some((id, article)) = last.as_ref()
        && id == article_id
    {
        return article.clone();
    }
    let article = ArticleRef {
        key: ArticleKey::Hash(article_hash(file_hash, article_id)),
        title: Some(format!("bench article {article_id}")),
        published: Some(day),
        source: Some(format!("bench source {source_id}")),
    };
    *last = Some((article_id.to_owned(), article.clone()));
    article
}

impl Records for BenchRecords {
    fn next_record(&mut self) -> Result<Option<Record>, StoreError> {
        if !read(&mut self.reader, &mut self.record, &self.path)? {
            return Ok(None);
        }
        let start = self.record.position().map_or(0, Position::byte);
        let line = self.lines.line_at(start).map_err(|e| io_error(&self.path, &e))?;
        let parsed = self.rows.parse(&self.record, &self.index);
        Ok(Some(Record {
            line,
            end: self.reader.position().byte(),
            parsed,
        }))
    }
}

/// A bench article's synthetic `text_hash`: 40 hex digits naming the events file, then the
/// article id as 24 hex digits, so the articles of a file, numbered in file order, land at the
/// end of the unique index instead of all over it. Ids that are not numbers hash whole.
fn article_hash(file_hash: &str, article_id: &str) -> String {
    let file = synthetic_hash("bench", file_hash);
    match article_id.parse::<u64>() {
        Ok(n) => format!("{}{n:024x}", &file[..40]),
        Err(_) => synthetic_hash("bench", &format!("{file_hash}/{article_id}")),
    }
}

/// A bench event type → our kind and the roles of (src, dst).
fn kind(event_type: &str) -> Option<(EventKind, (Role, Role))> {
    let both = |role| (role, role);
    Some(match event_type {
        "met_with" => (EventKind::Meet, both(Role::Participant)),
        "held_talks" => (EventKind::Talks, both(Role::Participant)),
        "phone_call" => (EventKind::PhoneCall, both(Role::Participant)),
        "signed_agreement" => (EventKind::Agreement, both(Role::Signatory)),
        "visited" => (EventKind::Visit, (Role::Visitor, Role::Host)),
        _ => return None,
    })
}

fn non_empty(text: &str, fallback: &str) -> String {
    match text.trim() {
        "" => fallback.to_owned(),
        t => t.to_owned(),
    }
}

fn clip(text: &str) -> String {
    text.chars().take(32).collect()
}
