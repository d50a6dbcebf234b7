//! The flat export path, for formats with one row per event (CSV, GDELT): each event with what
//! its row needs — participants, places, its mentions with their articles — without building
//! event views.
//!
//! Events are read in keyset pages (`read::page_events`) by four queries (events,
//! participants, places, mentions), each of which returns the whole page as one JSON array built
//! by the database: a page crosses the driver as four values instead of thousands of rows,
//! which is where the time of a row-by-row read goes. A task of its own reads one page ahead of
//! the writer, so the database and the formatting run on two cores.
//!
//! The orders are those of `read::load_events` (participants by role, name and entity id,
//! places by name, mentions by id: the first is the oldest report), so a row says what the
//! event's view says. PostgreSQL sorts in its collation and names participants in the query.
//! SQLite's collation is byte order, so there the page's rows come unsorted and participants
//! without names (a join per participant would cost more than the rest of the page), and are
//! sorted here, with names from a map of the entities met so far that the reading task keeps
//! filled.
//!
//! Layout:
//! - `mod` — the rows of a page ([`FlatEvent`]) and how they are put together.
//! - `read` — the queries and the reading task ([`FlatPages`]).

mod read;

use std::borrow::Cow;
use std::cmp::Ordering;

use diplograph_core::{DatePoint, EventKind, FuzzyDate, Modality, Role};
use serde::Deserialize;

use crate::error::StoreError;
use crate::fasthash::FastMap;
use crate::read::corrupt;

pub(crate) use read::FlatPages;

/// One event as a flat row sees it, borrowed from its page.
pub(crate) struct FlatEvent<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    /// The date as stored, checked: `DatePoint::parse` takes only the canonical forms its
    /// `Display` writes (trimmed), so the text is what the parsed date would print.
    pub(crate) date: (Option<&'a str>, Option<&'a str>),
    /// The first day the date covers (`FuzzyDate::day_range`), when it is dated.
    pub(crate) first_day: Option<chrono::NaiveDate>,
    pub(crate) confidence: f64,
    pub(crate) participants: &'a [FlatParticipant<'a>],
    pub(crate) places: &'a [FlatPlace<'a>],
    /// The event's mentions with their articles, oldest (the first report) first.
    pub(crate) reports: &'a [FlatMention<'a>],
}

#[derive(Deserialize)]
pub(crate) struct FlatParticipant<'a> {
    #[serde(borrow)]
    event_id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) entity_id: Cow<'a, str>,
    pub(crate) role: Role,
    #[serde(borrow)]
    pub(crate) country: Option<Cow<'a, str>>,
    /// Filled from the page's names when the query leaves it out (SQLite).
    #[serde(borrow, default)]
    pub(crate) name: Cow<'a, str>,
}

#[derive(Deserialize)]
pub(crate) struct FlatPlace<'a> {
    #[serde(borrow)]
    event_id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) name: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) country: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
pub(crate) struct FlatMention<'a> {
    #[serde(borrow)]
    event_id: Cow<'a, str>,
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) article_id: Cow<'a, str>,
    #[serde(borrow)]
    pub(crate) url: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) title: Option<Cow<'a, str>>,
    #[serde(borrow)]
    pub(crate) published: Option<Cow<'a, str>>,
    pub(crate) sentence: i64,
    pub(crate) start: i64,
    pub(crate) end: i64,
    #[serde(borrow)]
    pub(crate) evidence: Cow<'a, str>,
    /// The article's source (outlet).
    #[serde(borrow)]
    pub(crate) source: Option<Cow<'a, str>>,
}

#[derive(Deserialize)]
struct EventJson<'a> {
    #[serde(borrow)]
    id: Cow<'a, str>,
    #[serde(borrow)]
    kind: Cow<'a, str>,
    #[serde(borrow)]
    modality: Cow<'a, str>,
    #[serde(borrow)]
    date_start: Option<Cow<'a, str>>,
    #[serde(borrow)]
    date_end: Option<Cow<'a, str>>,
    /// In units of 2⁻³¹ when that is exact (see the module docs of `read`)...
    scaled: Option<i64>,
    /// ...else as text: JSON numbers would round it on the way.
    #[serde(borrow)]
    confidence: Option<Cow<'a, str>>,
}

impl EventJson<'_> {
    fn confidence(&self) -> Result<f64, StoreError> {
        match (self.scaled, &self.confidence) {
            (Some(scaled), _) => Ok(scaled as f64 / 2_147_483_648.0),
            (None, Some(text)) => text.parse().map_err(corrupt),
            (None, None) => Err(StoreError::Database(
                "export page: an event without confidence".into(),
            )),
        }
    }
}

/// A page as the database wrote it: four JSON arrays, and whether its rows are to be named and
/// sorted here.
pub(crate) struct RawPage {
    events: String,
    participants: String,
    places: String,
    mentions: String,
    /// SQLite: participants come without names, and the rows unsorted.
    arrange: bool,
}

impl RawPage {
    /// Calls `write` with every event of the page, in id order; returns how many. `names` maps
    /// the entity ids of the page to names when the page is to be arranged here.
    pub(crate) fn each<'s>(
        &'s self,
        names: &'s FastMap<String, String>,
        mut write: impl FnMut(&FlatEvent<'_>),
    ) -> Result<u64, StoreError> {
        let mut events: Vec<EventJson<'s>> = parse(&self.events)?;
        let mut participants: Vec<FlatParticipant<'s>> = parse(&self.participants)?;
        let mut places: Vec<FlatPlace<'s>> = parse(&self.places)?;
        let mut mentions: Vec<FlatMention<'s>> = parse(&self.mentions)?;
        if self.arrange {
            // An entity that is gone drops its participant, as the join of the event views does.
            participants.retain_mut(|p| match names.get(p.entity_id.as_ref()) {
                Some(name) => {
                    p.name = Cow::Borrowed(name);
                    true
                }
                None => false,
            });
            if !events.is_sorted_by(|a, b| a.id <= b.id) {
                events.sort_unstable_by(|a, b| a.id.cmp(&b.id));
            }
            sort_groups(
                &mut participants,
                |p| &p.event_id,
                |a, b| {
                    (a.role.as_str(), &*a.name, &*a.entity_id).cmp(&(
                        b.role.as_str(),
                        &*b.name,
                        &*b.entity_id,
                    ))
                },
            );
            sort_groups(&mut places, |p| &p.event_id, |a, b| a.name.cmp(&b.name));
            sort_groups(&mut mentions, |m| &m.event_id, |a, b| a.id.cmp(&b.id));
        }
        let (mut at_participant, mut at_place, mut at_mention) = (0, 0, 0);
        for event in &events {
            let id = event.id.as_ref();
            let reports = take(&mentions, &mut at_mention, |m| m.event_id == id);
            let point = |s: &Option<Cow<'_, str>>| {
                s.as_deref()
                    .map(|s| DatePoint::parse(s).map_err(corrupt))
                    .transpose()
            };
            let span = FuzzyDate::new(point(&event.date_start)?, point(&event.date_end)?).map_err(corrupt)?;
            write(&FlatEvent {
                id,
                kind: EventKind::parse(&event.kind).map_err(corrupt)?,
                modality: Modality::parse(&event.modality).map_err(corrupt)?,
                date: (
                    event.date_start.as_deref().map(str::trim),
                    event.date_end.as_deref().map(str::trim),
                ),
                confidence: event.confidence()?,
                first_day: span.day_range().map(|(first, _)| first),
                participants: take(&participants, &mut at_participant, |p| p.event_id == id),
                places: take(&places, &mut at_place, |p| p.event_id == id),
                reports,
            });
        }
        if at_participant < participants.len() || at_place < places.len() || at_mention < mentions.len() {
            return Err(StoreError::Database(
                "export page out of step: rows of events not in the page".into(),
            ));
        }
        Ok(events.len() as u64)
    }
}

/// Sorts rows by event id, then each event's rows by `order`. Rows usually come grouped by event
/// already (in primary key order), and an event has few rows.
fn sort_groups<T>(rows: &mut [T], event: impl Fn(&T) -> &Cow<'_, str>, order: impl Fn(&T, &T) -> Ordering) {
    if !rows.is_sorted_by(|a, b| event(a) <= event(b)) {
        rows.sort_by(|a, b| event(a).cmp(event(b)));
    }
    for group in rows.chunk_by_mut(|a, b| event(a) == event(b)) {
        group.sort_unstable_by(&order);
    }
}

/// The rows at `at` that belong to one event (rows come in event order), moving `at` past them.
fn take<'s, T>(rows: &'s [T], at: &mut usize, same: impl Fn(&T) -> bool) -> &'s [T] {
    let start = *at;
    while rows.get(*at).is_some_and(&same) {
        *at += 1;
    }
    &rows[start..*at]
}

fn parse<'a, T: Deserialize<'a>>(json: &'a str) -> Result<Vec<T>, StoreError> {
    serde_json::from_str(json).map_err(|e| StoreError::Database(format!("export page does not parse: {e}")))
}
