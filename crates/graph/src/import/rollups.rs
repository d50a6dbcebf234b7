//! The tie rollup deltas of a batch's new events, summed in memory and written with one `tie`
//! and one `tie_day` statement per document: the same arithmetic as `rollup::add_event`.

use std::collections::HashMap;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality, Role};

use crate::error::StoreError;
use crate::import::entities::docs;
use crate::rollup::{Direction, EventFacts, contributions};

/// (country, partner, kind, modality, direction) of a tie row.
type TieKey = (CountryCode, CountryCode, EventKind, Modality, Direction);

#[derive(Default)]
struct TieDelta {
    n: i64,
    n_dated: i64,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
    tone: f64,
    /// The latest dated event (by last day, then id).
    last_event: Option<(NaiveDate, String)>,
}

/// The rollup rows a batch adds to.
#[derive(Default)]
pub(crate) struct RollupDeltas {
    ties: HashMap<TieKey, TieDelta>,
    days: HashMap<(TieKey, NaiveDate), (i64, f64)>,
}

impl RollupDeltas {
    /// Adds a new event, from its participants' roles and countries at event time.
    pub(crate) fn add(&mut self, event: &EventFacts<'_>, participants: &[(Role, Option<CountryCode>)]) {
        for c in contributions(event.kind, participants) {
            let key = (c.country, c.partner, event.kind, event.modality, c.direction);
            let tie = self.ties.entry(key).or_default();
            tie.n += 1;
            tie.tone += c.tone;
            let Some(first) = event.first_day else { continue };
            let last = event.last_day.unwrap_or(first);
            tie.n_dated += 1;
            tie.first = Some(tie.first.map_or(first, |f| f.min(first)));
            tie.last = Some(tie.last.map_or(last, |l| l.max(last)));
            let newer = tie
                .last_event
                .as_ref()
                .is_none_or(|(day, id)| (last, event.id) > (*day, id.as_str()));
            if newer {
                tie.last_event = Some((last, event.id.to_owned()));
            }
            let day = self.days.entry((key, first)).or_default();
            day.0 += 1;
            day.1 += c.tone;
        }
    }

    /// The JSON documents of the `tie` and `tie_day` bulk statements.
    pub(crate) fn encode(&self) -> Result<(Vec<String>, Vec<String>), StoreError> {
        let ties: Vec<_> = self
            .ties
            .iter()
            .map(|((country, partner, kind, modality, direction), t)| {
                let last_event = t.last_event.as_ref().map(|(_, id)| id.as_str());
                (
                    country,
                    partner,
                    kind.as_str(),
                    modality.as_str(),
                    direction.as_str(),
                    t.n,
                    t.n_dated,
                    t.first,
                    t.last,
                    t.tone,
                    last_event,
                )
            })
            .collect();
        let days: Vec<_> = self
            .days
            .iter()
            .map(
                |(((country, partner, kind, modality, direction), day), (n, tone))| {
                    (
                        country,
                        partner,
                        day,
                        kind.as_str(),
                        modality.as_str(),
                        direction.as_str(),
                        n,
                        tone,
                    )
                },
            )
            .collect();
        Ok((docs(&ties)?, docs(&days)?))
    }
}
