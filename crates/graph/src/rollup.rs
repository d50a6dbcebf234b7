//! Country-level tie rollups, maintained in the apply transaction and checkable by a recount.
//!
//! An event between actors of countries A ≠ B is a tie A–B. Directed kinds give `out` to the
//! acting side (visitor, source) and `in` to the other; symmetric kinds give `mutual` to both.
//! Each event counts once per ordered country pair and direction. `tie` holds totals (undated
//! events count but set neither first nor last day); `tie_day` holds dated events per day.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality, Role};
use serde::{Deserialize, Serialize};

use crate::db::{Conn, args};
use crate::error::StoreError;

/// Which way a tie points, seen from the country.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Direction {
    /// The country acted (visited, criticized, invited).
    Out,
    /// The partner acted on the country (came to visit, criticized it).
    In,
    /// A symmetric kind (met, held talks, signed).
    Mutual,
}

impl Direction {
    /// The wire name.
    pub fn as_str(self) -> &'static str {
        match self {
            Direction::Out => "out",
            Direction::In => "in",
            Direction::Mutual => "mutual",
        }
    }

    /// Parses a wire name.
    pub fn parse(input: &str) -> Option<Direction> {
        [Direction::Out, Direction::In, Direction::Mutual]
            .into_iter()
            .find(|d| d.as_str() == input)
    }
}

/// One event's contribution to one tie row.
#[derive(Clone, Copy, PartialEq, Debug)]
pub(crate) struct Contribution {
    pub(crate) country: CountryCode,
    pub(crate) partner: CountryCode,
    pub(crate) direction: Direction,
    pub(crate) tone: f64,
}

/// The facts about an event that rollups need.
pub(crate) struct EventFacts<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    pub(crate) first_day: Option<NaiveDate>,
    pub(crate) last_day: Option<NaiveDate>,
}

/// CAMEO 043, "host a visit": the host side of a visit is scored higher than the visitor's 042.
const HOSTED_VISIT_GOLDSTEIN: f64 = 2.8;

/// The tie rows an event adds to, from its participants' roles and countries at event time.
pub(crate) fn contributions(
    kind: EventKind,
    participants: &[(Role, Option<CountryCode>)],
) -> Vec<Contribution> {
    let mut out = Vec::new();
    if kind.is_directed() {
        let side = |actor: bool| -> BTreeSet<CountryCode> {
            participants
                .iter()
                .filter(|(role, _)| role.is_actor_side() == actor)
                .filter_map(|(_, country)| *country)
                .collect()
        };
        let (actors, others) = (side(true), side(false));
        let tone_in = if kind == EventKind::Visit {
            HOSTED_VISIT_GOLDSTEIN
        } else {
            kind.goldstein()
        };
        for &a in &actors {
            for &b in others.iter().filter(|&&b| b != a) {
                out.push(Contribution {
                    country: a,
                    partner: b,
                    direction: Direction::Out,
                    tone: kind.goldstein(),
                });
                out.push(Contribution {
                    country: b,
                    partner: a,
                    direction: Direction::In,
                    tone: tone_in,
                });
            }
        }
        return out;
    }
    let countries: BTreeSet<CountryCode> = participants.iter().filter_map(|(_, c)| *c).collect();
    for &a in &countries {
        for &b in countries.iter().filter(|&&b| b != a) {
            out.push(Contribution {
                country: a,
                partner: b,
                direction: Direction::Mutual,
                tone: kind.goldstein(),
            });
        }
    }
    out
}

/// How a row of new counts folds into a stored `tie` row: counts and tone add up, the first
/// and last day widen, the latest event moves forward. Shared by apply (one event) and the bulk
/// import (a batch's sums), so the two cannot drift apart.
macro_rules! tie_merge {
    () => {
        "on conflict (country, modality, partner, kind, direction) do update set
       n = tie.n + excluded.n,
       n_dated = tie.n_dated + excluded.n_dated,
       first_day = case when excluded.first_day is not null
                         and (tie.first_day is null or excluded.first_day < tie.first_day)
                        then excluded.first_day else tie.first_day end,
       last_day = case when excluded.last_day is not null
                        and (tie.last_day is null or excluded.last_day > tie.last_day)
                       then excluded.last_day else tie.last_day end,
       last_event_id = case when excluded.last_day is not null
                             and (tie.last_day is null or excluded.last_day > tie.last_day
                                  or (excluded.last_day = tie.last_day and excluded.last_event_id > tie.last_event_id))
                            then excluded.last_event_id else tie.last_event_id end,
       tone_sum = tie.tone_sum + excluded.tone_sum"
    };
}

/// The same for a `tie_day` row.
macro_rules! tie_day_merge {
    () => {
        "on conflict (country, modality, day, partner, kind, direction) do update set
       n = tie_day.n + excluded.n,
       tone_sum = tie_day.tone_sum + excluded.tone_sum"
    };
}

pub(crate) use {tie_day_merge, tie_merge};

const UPSERT_TIE: &str = concat!(
    "insert into tie
       (country, partner, kind, modality, direction, n, n_dated, first_day, last_day, tone_sum, last_event_id)
     values ($1, $2, $3, $4, $5, 1, $6, $7, $8, $9, $10) ",
    tie_merge!()
);

const UPSERT_TIE_DAY: &str = concat!(
    "insert into tie_day (country, partner, day, kind, modality, direction, n, tone_sum)
     values ($1, $2, $3, $4, $5, $6, 1, $7) ",
    tie_day_merge!()
);

/// Adds a new event to the rollups.
pub(crate) async fn add_event(
    conn: &mut Conn,
    event: &EventFacts<'_>,
    participants: &[(Role, Option<CountryCode>)],
) -> Result<(), StoreError> {
    add_contributions(conn, event, &contributions(event.kind, participants)).await
}

/// Adds some of an event's contributions (a merge rebuilds only the pairs it touched).
pub(crate) async fn add_contributions(
    conn: &mut Conn,
    event: &EventFacts<'_>,
    contributions: &[Contribution],
) -> Result<(), StoreError> {
    let dated = i64::from(event.first_day.is_some());
    let last_event = event.last_day.map(|_| event.id);
    for c in contributions {
        let (country, partner, direction) = (c.country.as_str(), c.partner.as_str(), c.direction.as_str());
        let (kind, modality) = (event.kind.as_str(), event.modality.as_str());
        conn.execute(
            UPSERT_TIE,
            args![
                country,
                partner,
                kind,
                modality,
                direction,
                dated,
                event.first_day,
                event.last_day,
                c.tone,
                last_event
            ],
        )
        .await?;
        if let Some(day) = event.first_day {
            conn.execute(
                UPSERT_TIE_DAY,
                args![country, partner, day, kind, modality, direction, c.tone],
            )
            .await?;
        }
    }
    Ok(())
}
