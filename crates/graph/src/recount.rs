//! [`Store::recount_rollups_check`]: recompute the rollups from raw events and compare.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality, Role};

use crate::db::Conn;
use crate::error::StoreError;
use crate::read::corrupt;
use crate::rollup::contributions;
use crate::store::Store;

/// (country, partner, kind, modality, direction)
type TieKey = (String, String, String, String, String);

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
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

#[derive(Clone, Debug, Default, PartialEq, sqlx::FromRow)]
struct TieDayRow {
    country: String,
    partner: String,
    day: NaiveDate,
    kind: String,
    modality: String,
    direction: String,
    n: i64,
    tone_sum: f64,
}

impl Store {
    /// Recomputes every rollup row from the raw events and returns the differences, one line
    /// each; empty when the rollups are exact. Reads everything: a check for tests and operators.
    pub async fn recount_rollups_check(&self) -> Result<Vec<String>, StoreError> {
        let mut conn = self.conn().await?;
        let (want_ties, want_days) = recount(&mut conn).await?;
        let ties: Vec<TieRow> = conn.fetch_all("select country, partner, kind, modality, direction, n, n_dated, first_day, last_day, tone_sum, last_event_id from tie", Vec::new()).await?;
        let days: Vec<TieDayRow> = conn
            .fetch_all(
                "select country, partner, day, kind, modality, direction, n, tone_sum from tie_day",
                Vec::new(),
            )
            .await?;
        let have_ties: BTreeMap<TieKey, TieRow> = ties.into_iter().map(|r| (tie_key(&r), r)).collect();
        let have_days: BTreeMap<(TieKey, NaiveDate), TieDayRow> =
            days.into_iter().map(|r| ((day_key(&r), r.day), r)).collect();
        let mut diffs = compare("tie", &want_ties, &have_ties, |a, b| {
            TieRow {
                tone_sum: 0.0,
                ..a.clone()
            } == TieRow {
                tone_sum: 0.0,
                ..b.clone()
            } && close(a.tone_sum, b.tone_sum)
        });
        diffs.extend(compare("tie_day", &want_days, &have_days, |a, b| {
            a.n == b.n && close(a.tone_sum, b.tone_sum)
        }));
        Ok(diffs)
    }
}

fn close(a: f64, b: f64) -> bool {
    (a - b).abs() < 1e-6
}

fn tie_key(r: &TieRow) -> TieKey {
    (
        r.country.clone(),
        r.partner.clone(),
        r.kind.clone(),
        r.modality.clone(),
        r.direction.clone(),
    )
}

fn day_key(r: &TieDayRow) -> TieKey {
    (
        r.country.clone(),
        r.partner.clone(),
        r.kind.clone(),
        r.modality.clone(),
        r.direction.clone(),
    )
}

fn compare<K: Ord + std::fmt::Debug, V: std::fmt::Debug>(
    table: &str,
    want: &BTreeMap<K, V>,
    have: &BTreeMap<K, V>,
    same: impl Fn(&V, &V) -> bool,
) -> Vec<String> {
    let mut diffs = Vec::new();
    for (key, w) in want {
        match have.get(key) {
            None => diffs.push(format!("{table} {key:?}: missing, recount gives {w:?}")),
            Some(h) if !same(w, h) => {
                diffs.push(format!("{table} {key:?}: stored {h:?}, recount gives {w:?}"))
            }
            Some(_) => {}
        }
    }
    for key in have.keys().filter(|k| !want.contains_key(k)) {
        diffs.push(format!("{table} {key:?}: stored but no event supports it"));
    }
    diffs
}

/// (id, kind, modality, first_day, last_day)
type EventRow = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);

type Recount = (BTreeMap<TieKey, TieRow>, BTreeMap<(TieKey, NaiveDate), TieDayRow>);

async fn recount(conn: &mut Conn) -> Result<Recount, StoreError> {
    let events: Vec<EventRow> = conn
        .fetch_all(
            "select id, kind, modality, first_day, last_day from event order by id",
            Vec::new(),
        )
        .await?;
    let rows: Vec<(String, String, Option<String>)> = conn
        .fetch_all("select event_id, role, country from participant", Vec::new())
        .await?;
    let mut participants: HashMap<String, Vec<(Role, Option<CountryCode>)>> = HashMap::new();
    for (event_id, role, country) in rows {
        let country = country
            .map(|c| CountryCode::parse(&c).map_err(corrupt))
            .transpose()?;
        participants
            .entry(event_id)
            .or_default()
            .push((Role::parse(&role).map_err(corrupt)?, country));
    }
    let (mut ties, mut days) = (BTreeMap::new(), BTreeMap::new());
    for (id, kind, modality, first_day, last_day) in events {
        let kind = EventKind::parse(&kind).map_err(corrupt)?;
        let modality = Modality::parse(&modality).map_err(corrupt)?;
        let parts = participants.get(&id).map(Vec::as_slice).unwrap_or_default();
        for c in contributions(kind, parts) {
            let key: TieKey = (
                c.country.as_str().to_owned(),
                c.partner.as_str().to_owned(),
                kind.as_str().to_owned(),
                modality.as_str().to_owned(),
                c.direction.as_str().to_owned(),
            );
            let tie = ties.entry(key.clone()).or_insert_with(|| TieRow {
                country: key.0.clone(),
                partner: key.1.clone(),
                kind: key.2.clone(),
                modality: key.3.clone(),
                direction: key.4.clone(),
                ..TieRow::default()
            });
            add(tie, &id, first_day, last_day, c.tone);
            if let Some(day) = first_day {
                let row = days.entry((key.clone(), day)).or_insert_with(|| TieDayRow {
                    country: key.0.clone(),
                    partner: key.1.clone(),
                    day,
                    kind: key.2.clone(),
                    modality: key.3.clone(),
                    direction: key.4.clone(),
                    ..TieDayRow::default()
                });
                row.n += 1;
                row.tone_sum += c.tone;
            }
        }
    }
    Ok((ties, days))
}

/// The same arithmetic as the upsert in `rollup`, in Rust.
fn add(tie: &mut TieRow, id: &str, first_day: Option<NaiveDate>, last_day: Option<NaiveDate>, tone: f64) {
    tie.n += 1;
    tie.tone_sum += tone;
    let Some(first) = first_day else { return };
    tie.n_dated += 1;
    tie.first_day = Some(tie.first_day.map_or(first, |f| f.min(first)));
    let last = last_day.unwrap_or(first);
    let newer = match (tie.last_day, tie.last_event_id.as_deref()) {
        (Some(l), Some(e)) => last > l || (last == l && id > e),
        _ => true,
    };
    if newer {
        tie.last_day = Some(last);
        tie.last_event_id = Some(id.to_owned());
    }
}
