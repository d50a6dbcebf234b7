//! Loading [`Memory`] from the store. Pages of events (with their participants) and a country's
//! day rows come back as one JSON document per query: row by row, the drivers' per-row cost (a
//! channel hop per row for SQLite) would dominate the load. Ids and codes are resolved once each
//! and the documents are read without copying their strings.

use std::collections::{BTreeSet, HashMap};

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityKind, EventKind, Modality, Role};
use serde::Deserialize;

use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::events::UNDATED_SORT_DAY;
use crate::memory::Memory;
use crate::memory::rollups::{DayEntry, Rollups, TieEntry};
use crate::memory::timelines::{Part, Timelines, uuid_key};
use crate::projection::{Node, Projection};
use crate::read::corrupt;
use crate::rollup::Direction;

/// Events per page.
const PAGE: i64 = 50_000;

/// Loads everything; `second` (when the pool has one) loads the rollups alongside.
pub(crate) async fn load(first: &mut Conn, second: Option<&mut Conn>) -> Result<Memory, StoreError> {
    let (graph, rollups) = match second {
        Some(second) => tokio::join!(load_graph(first), load_rollups(second)),
        None => {
            let graph = load_graph(first).await;
            (graph, load_rollups(first).await)
        }
    };
    let (projection, timelines, exact) = graph?;
    Ok(Memory {
        projection,
        rollups: rollups?,
        timelines,
        exact,
    })
}

const ENTITIES: &str = "select id, kind, name, country from entity";
const EVENTS_SQLITE: &str =
    "select json_group_array(json_array(e.id, e.kind, e.modality, e.sort_day, e.last_day,
        json((select json_group_array(json_array(p.entity_id, p.role, p.country))
              from participant p where p.event_id = e.id))))
     from event e where e.id > $1 and ($2 = '' or e.id <= $2)";
/// The last event id of the page after `$1`.
const BATCH_END: &str = "select id from event where id > $1 order by id limit 1 offset $2";
// PostgreSQL reads participant rows (which carry their event's kind, modality and day) and the
// rollups by COPY, without per-row protocol cost; the few spans apart.
const COPY_PARTICIPANTS: &str = "copy (select event_id, entity_id, role, country, kind, modality, sort_day
     from participant order by event_id) to stdout";
const SPANS: &str = "select id, last_day from event where last_day is not null and last_day <> first_day";

/// (id, kind, modality, sort day, last day, participants (entity, role, country))
type EventRow<'a> = (
    &'a str,
    &'a str,
    &'a str,
    &'a str,
    Option<&'a str>,
    Option<Vec<(&'a str, &'a str, Option<&'a str>)>>,
);
/// The same, owned: for documents whose strings carry escapes.
type OwnedEventRow = (
    String,
    String,
    String,
    String,
    Option<String>,
    Option<Vec<(String, String, Option<String>)>>,
);

/// Resolves names and codes once each.
#[derive(Default)]
struct Resolver {
    countries: HashMap<String, CountryCode>,
}

impl Resolver {
    fn country(&mut self, code: &str) -> Result<CountryCode, StoreError> {
        if let Some(c) = self.countries.get(code) {
            return Ok(*c);
        }
        let parsed = CountryCode::parse(code).map_err(corrupt)?;
        self.countries.insert(code.to_owned(), parsed);
        Ok(parsed)
    }
}

fn kind(text: &str) -> Result<EventKind, StoreError> {
    match EventKind::ALL.iter().find(|k| k.as_str() == text) {
        Some(kind) => Ok(*kind),
        None => EventKind::parse(text).map_err(corrupt),
    }
}

fn modality(text: &str) -> Result<Modality, StoreError> {
    match Modality::ALL.iter().find(|m| m.as_str() == text) {
        Some(m) => Ok(*m),
        None => Modality::parse(text).map_err(corrupt),
    }
}

fn role(text: &str) -> Result<Role, StoreError> {
    match Role::ALL.iter().find(|r| r.as_str() == text) {
        Some(r) => Ok(*r),
        None => Role::parse(text).map_err(corrupt),
    }
}

/// `YYYY-MM-DD` (what both backends write for days).
fn day(text: &str) -> Result<NaiveDate, StoreError> {
    let b = text.as_bytes();
    let num = |r: std::ops::Range<usize>| -> Option<u32> {
        b.get(r)?.iter().try_fold(0u32, |n, &d| {
            d.is_ascii_digit().then(|| n * 10 + u32::from(d - b'0'))
        })
    };
    let parsed = if b.len() == 10 && b[4] == b'-' && b[7] == b'-' {
        NaiveDate::from_ymd_opt(
            num(0..4).unwrap_or(0) as i32,
            num(5..7).unwrap_or(0),
            num(8..10).unwrap_or(0),
        )
    } else {
        None
    };
    parsed.ok_or_else(|| corrupt(format!("day {text:?}")))
}

struct Graph {
    projection: Projection,
    timelines: Timelines,
    /// Entity index in `timelines` → position in `projection`.
    node_of: Vec<Option<u32>>,
    resolver: Resolver,
    exact: bool,
}

/// The event a COPY stream is in.
struct Current {
    id: String,
    kind: EventKind,
    modality: Modality,
    sort_day: NaiveDate,
    parts: Vec<Part>,
    positions: Vec<u32>,
}

async fn load_graph(conn: &mut Conn) -> Result<(Projection, Timelines, bool), StoreError> {
    let mut g = Graph {
        projection: Projection::default(),
        timelines: Timelines::default(),
        node_of: Vec::new(),
        resolver: Resolver::default(),
        exact: true,
    };
    let entities: Vec<(String, String, String, Option<String>)> =
        conn.fetch_all(ENTITIES, Vec::new()).await?;
    for (id, kind, name, country) in entities {
        let entity = g.timelines.entity(&id) as usize;
        let country = country.map(|c| g.resolver.country(&c)).transpose()?;
        let node = Node {
            id,
            kind: EntityKind::parse(&kind).map_err(corrupt)?,
            name,
            country,
        };
        let position_of = node.id.clone();
        g.projection.upsert_node(node);
        g.node_of.resize(g.node_of.len().max(entity + 1), None);
        g.node_of[entity] = g.projection.position(&position_of);
    }
    if conn.is_postgres() {
        g.load_copy(conn).await?;
    } else {
        g.load_pages(conn).await?;
    }
    g.timelines.seal();
    Ok((g.projection, g.timelines, g.exact))
}

/// Sends the document of every page of events (SQLite).
async fn fetch_pages(
    conn: &mut Conn,
    pages: &tokio::sync::mpsc::Sender<Result<String, StoreError>>,
) -> Result<(), StoreError> {
    let mut after = String::new();
    loop {
        let end: Option<(String,)> = conn.fetch_optional(BATCH_END, args![&after, PAGE - 1]).await?;
        let end = end.map(|(id,)| id).unwrap_or_default();
        let (doc,): (Option<String>,) = conn
            .fetch_optional(EVENTS_SQLITE, args![&after, &end])
            .await?
            .unwrap_or((None,));
        if let Some(doc) = doc
            && pages.send(Ok(doc)).await.is_err()
        {
            return Ok(());
        }
        if end.is_empty() {
            return Ok(());
        }
        after = end;
    }
}

fn borrow(row: &OwnedEventRow) -> EventRow<'_> {
    let parts = row.5.as_ref().map(|ps| {
        ps.iter()
            .map(|(e, r, c)| (e.as_str(), r.as_str(), c.as_deref()))
            .collect()
    });
    (&row.0, &row.1, &row.2, &row.3, row.4.as_deref(), parts)
}

impl Graph {
    /// SQLite: pages of events; the next page is asked for while this one is added, so that
    /// SQLite's worker thread works alongside.
    async fn load_pages(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        let (pages, mut docs) = tokio::sync::mpsc::channel::<Result<String, StoreError>>(1);
        let fetch = async move {
            let res = fetch_pages(conn, &pages).await;
            if let Err(err) = res {
                let _ = pages.send(Err(err)).await;
            }
        };
        // `move`: on a failure the receiver is dropped, which stops the fetching.
        let add = async move {
            while let Some(doc) = docs.recv().await {
                let doc = doc?;
                match serde_json::from_str::<Vec<EventRow<'_>>>(&doc) {
                    Ok(rows) => self.add_page(rows)?,
                    Err(_) => {
                        let rows: Vec<OwnedEventRow> = serde_json::from_str(&doc).map_err(corrupt)?;
                        self.add_page(rows.iter().map(borrow).collect())?;
                    }
                }
            }
            Ok::<(), StoreError>(())
        };
        let ((), added) = tokio::join!(fetch, add);
        added
    }

    /// PostgreSQL: every participant row by COPY, in event order, grouped into events here.
    async fn load_copy(&mut self, conn: &mut Conn) -> Result<(), StoreError> {
        let spans: HashMap<String, NaiveDate> =
            conn.fetch_all(SPANS, Vec::new()).await?.into_iter().collect();
        let mut current: Option<Current> = None;
        conn.copy_out_rows(COPY_PARTICIPANTS, |fields| {
            let &[
                Some(event),
                Some(entity),
                Some(role_text),
                country,
                Some(kind_text),
                Some(modality_text),
                Some(sort_day),
            ] = fields
            else {
                return Err(corrupt("participant row from copy"));
            };
            if current.as_ref().is_none_or(|c| c.id != event) {
                if let Some(done) = current.take() {
                    self.add_current(&done, &spans);
                }
                current = Some(Current {
                    id: event.to_owned(),
                    kind: kind(kind_text)?,
                    modality: modality(modality_text)?,
                    sort_day: day(sort_day)?,
                    parts: Vec::new(),
                    positions: Vec::new(),
                });
            }
            let (part, position) = self.part(entity, role_text, country)?;
            if let Some(c) = current.as_mut() {
                c.parts.push(part);
                c.positions.extend(position);
            }
            Ok(())
        })
        .await?;
        if let Some(done) = current {
            self.add_current(&done, &spans);
        }
        Ok(())
    }

    fn add_current(&mut self, c: &Current, spans: &HashMap<String, NaiveDate>) {
        let last_day = spans.get(&c.id).copied();
        self.add_one(
            &c.id,
            (c.kind, c.modality, c.sort_day, last_day),
            &c.parts,
            &c.positions,
        );
    }

    /// A participant resolved: its part and its position in the projection.
    fn part(
        &mut self,
        entity: &str,
        role_text: &str,
        country: Option<&str>,
    ) -> Result<(Part, Option<u32>), StoreError> {
        let entity = self.timelines.entity(entity);
        let country = country.map(|c| self.resolver.country(c)).transpose()?;
        let position = self.node_of.get(entity as usize).copied().flatten();
        let part = Part {
            entity,
            role: role(role_text)?,
            country,
        };
        Ok((part, position))
    }

    /// Adds one event (kind, modality, sort day, last day) to the projection (asserted only)
    /// and the timelines.
    fn add_one(
        &mut self,
        id: &str,
        (kind, modality, sort_day, last_day): (EventKind, Modality, NaiveDate, Option<NaiveDate>),
        parts: &[Part],
        positions: &[u32],
    ) {
        let first_day = (sort_day != UNDATED_SORT_DAY).then_some(sort_day);
        if modality == Modality::Asserted {
            self.projection
                .add_event_at(kind, first_day, last_day.or(first_day), positions);
        }
        match uuid_key(id) {
            Some(uuid) => {
                self.timelines.push_parts(uuid, kind, modality, sort_day, parts);
            }
            None => self.exact = false,
        }
    }

    /// Adds a page of events (SQLite).
    fn add_page(&mut self, mut rows: Vec<EventRow<'_>>) -> Result<(), StoreError> {
        // The documents come in id order; sorting is cheap insurance (and a no-op when sorted).
        rows.sort_by(|a, b| a.0.cmp(b.0));
        let mut parts: Vec<Part> = Vec::new();
        let mut positions: Vec<u32> = Vec::new();
        for (id, kind_text, modality_text, sort_day, last_day, participants) in &rows {
            parts.clear();
            positions.clear();
            for (entity, role_text, country) in participants.iter().flatten() {
                let (part, position) = self.part(entity, role_text, *country)?;
                parts.push(part);
                positions.extend(position);
            }
            let facts = (
                kind(kind_text)?,
                modality(modality_text)?,
                day(sort_day)?,
                last_day.map(day).transpose()?,
            );
            self.add_one(id, facts, &parts, &positions);
        }
        Ok(())
    }
}

const TIES: &str =
    "select country, partner, kind, modality, direction, n, n_dated, first_day, last_day, tone_sum,
        last_event_id from tie";
const COUNTRY_NAMES: &str = "select id, name from entity where kind = 'country'";
// SQLite: a country's day rows as one JSON array; sums as text, so that they parse back exactly.
// PostgreSQL: all of them by COPY (whose float output is exact).
const DAYS_SQLITE: &str = "select json_group_array(json_array(partner, day, kind, modality, direction, n,
        printf('%.17g', tone_sum)))
     from tie_day where country = $1";
const COPY_DAYS: &str =
    "copy (select country, partner, day, kind, modality, direction, n, tone_sum from tie_day)
     to stdout";

/// (partner, day, kind, modality, direction, events, tone sum)
#[derive(Deserialize)]
struct DayRow<'a>(&'a str, &'a str, &'a str, &'a str, &'a str, i64, &'a str);

#[derive(sqlx::FromRow)]
struct TieRow {
    country: String,
    partner: String,
    kind: String,
    modality: String,
    direction: String,
    n: i64,
    n_dated: i64,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
    tone_sum: f64,
    last_event_id: Option<String>,
}

async fn load_rollups(conn: &mut Conn) -> Result<Rollups, StoreError> {
    let mut rollups = Rollups::default();
    let mut resolver = Resolver::default();
    let names: Vec<(String, String)> = conn.fetch_all(COUNTRY_NAMES, Vec::new()).await?;
    for (code, name) in names {
        if let Ok(code) = CountryCode::parse(&code) {
            rollups.set_name(code, name);
        }
    }
    let ties: Vec<TieRow> = conn.fetch_all(TIES, Vec::new()).await?;
    let mut countries: BTreeSet<String> = BTreeSet::new();
    for row in ties {
        let country = resolver.country(&row.country)?;
        if !countries.contains(&row.country) {
            countries.insert(row.country.clone());
        }
        let entry = TieEntry {
            partner: resolver.country(&row.partner)?,
            kind: kind(&row.kind)?,
            direction: direction(&row.direction)?,
            n: row.n,
            n_dated: row.n_dated,
            first: row.first_day,
            last: row.last_day,
            tone: row.tone_sum,
            last_event: row.last_event_id,
        };
        rollups.load_tie(country, modality(&row.modality)?, entry);
    }
    if conn.is_postgres() {
        conn.copy_out_rows(COPY_DAYS, |fields| {
            let &[
                Some(country),
                Some(partner),
                Some(day_text),
                Some(kind_text),
                Some(modality_text),
                Some(dir),
                Some(n),
                Some(tone),
            ] = fields
            else {
                return Err(corrupt("tie_day row from copy"));
            };
            let entry = DayEntry {
                day: day(day_text)?,
                kind: kind(kind_text)?,
                direction: direction(dir)?,
                n: n.parse().map_err(corrupt)?,
                tone: tone.parse().map_err(corrupt)?,
            };
            let (country, partner) = (resolver.country(country)?, resolver.country(partner)?);
            rollups.load_day(country, modality(modality_text)?, partner, entry);
            Ok(())
        })
        .await?;
    } else {
        for country in countries {
            let code = resolver.country(&country)?;
            let (doc,): (Option<String>,) = conn
                .fetch_optional(DAYS_SQLITE, args![&country])
                .await?
                .unwrap_or((None,));
            let Some(doc) = doc else { continue };
            let rows: Vec<DayRow<'_>> = serde_json::from_str(&doc).map_err(corrupt)?;
            for DayRow(partner, day_text, kind_text, modality_text, dir, n, tone) in rows {
                let entry = DayEntry {
                    day: day(day_text)?,
                    kind: kind(kind_text)?,
                    direction: direction(dir)?,
                    n,
                    tone: tone.parse().map_err(corrupt)?,
                };
                rollups.load_day(code, modality(modality_text)?, resolver.country(partner)?, entry);
            }
        }
    }
    rollups.seal();
    Ok(rollups)
}

fn direction(text: &str) -> Result<Direction, StoreError> {
    Direction::parse(text).ok_or_else(|| corrupt(text))
}
