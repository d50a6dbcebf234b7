//! The tie rollups in memory: `tie` rows per (country, modality) and `tie_day` rows per
//! (country, modality, partner) sorted by day, plus country names. Ties, series and country
//! centrality read these instead of the tables; apply adds to them what it adds to the tables.

use std::collections::{BTreeMap, HashMap};

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality};

use crate::fasthash::FastMap;
use crate::filter::EventFilter;
use crate::ids::EventId;
use crate::read::{KindCounts, PartnerTie, series_of};
use crate::rollup::{Contribution, Direction};
use crate::{Interval, SeriesPoint};

/// One `tie` row of a country.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct TieEntry {
    pub(crate) partner: CountryCode,
    pub(crate) kind: EventKind,
    pub(crate) direction: Direction,
    pub(crate) n: i64,
    pub(crate) n_dated: i64,
    pub(crate) first: Option<NaiveDate>,
    pub(crate) last: Option<NaiveDate>,
    pub(crate) tone: f64,
    pub(crate) last_event: Option<String>,
}

/// One `tie_day` row of a (country, partner) pair.
#[derive(Clone, Copy, Debug, PartialEq)]
pub(crate) struct DayEntry {
    pub(crate) day: NaiveDate,
    pub(crate) kind: EventKind,
    pub(crate) direction: Direction,
    pub(crate) n: i64,
    pub(crate) tone: f64,
}

/// The rollups of every country.
#[derive(Default)]
pub(crate) struct Rollups {
    names: HashMap<CountryCode, String>,
    ties: FastMap<(CountryCode, Modality), Vec<TieEntry>>,
    days: FastMap<(CountryCode, Modality, CountryCode), Vec<DayEntry>>,
}

/// An event's facts, as rollups need them.
pub(crate) struct Counted<'a> {
    pub(crate) id: &'a str,
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    pub(crate) first_day: Option<NaiveDate>,
    pub(crate) last_day: Option<NaiveDate>,
}

impl Rollups {
    pub(crate) fn set_name(&mut self, code: CountryCode, name: String) {
        self.names.entry(code).or_insert(name);
    }

    /// Adds a stored `tie` row (loading).
    pub(crate) fn load_tie(&mut self, country: CountryCode, modality: Modality, entry: TieEntry) {
        self.ties.entry((country, modality)).or_default().push(entry);
    }

    /// Adds a stored `tie_day` row (loading; [`Rollups::seal`] sorts).
    pub(crate) fn load_day(
        &mut self,
        country: CountryCode,
        modality: Modality,
        partner: CountryCode,
        entry: DayEntry,
    ) {
        self.days
            .entry((country, modality, partner))
            .or_default()
            .push(entry);
    }

    /// Sorts the day rows once loading is done.
    pub(crate) fn seal(&mut self) {
        for rows in self.days.values_mut() {
            rows.sort_unstable_by_key(|d| (d.day, d.kind, d.direction));
        }
    }

    /// Adds one new event's contributions, as `rollup::add_contributions` does to the tables.
    pub(crate) fn add(&mut self, event: &Counted<'_>, contributions: &[Contribution]) {
        for c in contributions {
            let rows = self.ties.entry((c.country, event.modality)).or_default();
            let at = rows
                .iter()
                .position(|t| t.partner == c.partner && t.kind == event.kind && t.direction == c.direction);
            let tie = match at {
                Some(at) => &mut rows[at],
                None => {
                    rows.push(TieEntry {
                        partner: c.partner,
                        kind: event.kind,
                        direction: c.direction,
                        n: 0,
                        n_dated: 0,
                        first: None,
                        last: None,
                        tone: 0.0,
                        last_event: None,
                    });
                    rows.last_mut().expect("just pushed")
                }
            };
            tie.n += 1;
            tie.tone += c.tone;
            let Some(first) = event.first_day else { continue };
            tie.n_dated += 1;
            let last = event.last_day.unwrap_or(first);
            // The same comparisons as the SQL upsert, against the values before this event.
            let newer = match (tie.last, tie.last_event.as_deref()) {
                (None, _) => true,
                (Some(l), Some(e)) => last > l || (last == l && event.id > e),
                (Some(l), None) => last > l,
            };
            if newer {
                tie.last_event = Some(event.id.to_owned());
            }
            tie.first = Some(tie.first.map_or(first, |f| f.min(first)));
            tie.last = Some(tie.last.map_or(last, |l| l.max(last)));
            let days = self
                .days
                .entry((c.country, event.modality, c.partner))
                .or_default();
            let key = (first, event.kind, c.direction);
            let at = days.partition_point(|d| (d.day, d.kind, d.direction) < key);
            match days.get_mut(at) {
                Some(d) if (d.day, d.kind, d.direction) == key => {
                    d.n += 1;
                    d.tone += c.tone;
                }
                _ => days.insert(
                    at,
                    DayEntry {
                        day: first,
                        kind: event.kind,
                        direction: c.direction,
                        n: 1,
                        tone: c.tone,
                    },
                ),
            }
        }
    }

    /// A country's partners as `Store::ties` reports them: from the totals without dates, from
    /// the day rows with a date range.
    pub(crate) fn partners(&self, country: CountryCode, filter: &EventFilter) -> Vec<PartnerTie> {
        let Some(rows) = self.ties.get(&(country, filter.modality)) else {
            return Vec::new();
        };
        let wanted = |kind: EventKind| filter.kinds.is_empty() || filter.kinds.contains(&kind);
        let mut acc = Acc::default();
        if filter.from.is_none() && filter.to.is_none() {
            for t in rows.iter().filter(|t| wanted(t.kind)) {
                acc.add(t.partner, t.kind, t.direction, t.n, t.first, t.last, t.tone);
                acc.latest(t.partner, t.last, t.last_event.as_deref());
            }
            return acc.finish(&self.names);
        }
        let (lo, hi) = filter.day_bounds();
        let mut partners: Vec<CountryCode> = rows.iter().map(|t| t.partner).collect();
        partners.sort_unstable();
        partners.dedup();
        for partner in partners {
            let mut sums: BTreeMap<(EventKind, Direction), (i64, f64, NaiveDate, NaiveDate)> =
                BTreeMap::new();
            for d in self.range(country, filter.modality, partner, lo, hi) {
                if !wanted(d.kind) {
                    continue;
                }
                let s = sums
                    .entry((d.kind, d.direction))
                    .or_insert((0, 0.0, d.day, d.day));
                s.0 += d.n;
                s.1 += d.tone;
                s.3 = d.day;
            }
            for ((kind, direction), (n, tone, first, last)) in sums {
                acc.add(partner, kind, direction, n, Some(first), Some(last), tone);
            }
        }
        acc.finish(&self.names)
    }

    /// The day rows of a pair within [lo, hi], oldest first.
    fn range(
        &self,
        country: CountryCode,
        modality: Modality,
        partner: CountryCode,
        lo: NaiveDate,
        hi: NaiveDate,
    ) -> &[DayEntry] {
        let Some(days) = self.days.get(&(country, modality, partner)) else {
            return &[];
        };
        let start = days.partition_point(|d| d.day < lo);
        let end = days.partition_point(|d| d.day <= hi);
        &days[start..end.max(start)]
    }

    /// The time series of a pair, as `Store::bilateral` reports it.
    pub(crate) fn series(
        &self,
        country: CountryCode,
        partner: CountryCode,
        filter: &EventFilter,
        interval: Interval,
    ) -> Vec<SeriesPoint> {
        let (lo, hi) = filter.day_bounds();
        let rows = self
            .range(country, filter.modality, partner, lo, hi)
            .iter()
            .filter(|d| filter.kinds.is_empty() || filter.kinds.contains(&d.kind))
            .map(|d| (d.day, d.kind, d.direction, d.n, d.tone));
        series_of(rows, interval)
    }

    /// The time series of a country with all its partners together.
    pub(crate) fn series_all(
        &self,
        country: CountryCode,
        filter: &EventFilter,
        interval: Interval,
    ) -> Vec<SeriesPoint> {
        let (lo, hi) = filter.day_bounds();
        let mut partners: Vec<CountryCode> = self
            .ties
            .get(&(country, filter.modality))
            .map(|rows| rows.iter().map(|t| t.partner).collect())
            .unwrap_or_default();
        partners.sort_unstable();
        partners.dedup();
        let mut rows: Vec<(NaiveDate, EventKind, Direction, i64, f64)> = partners
            .iter()
            .flat_map(|p| self.range(country, filter.modality, *p, lo, hi))
            .filter(|d| filter.kinds.is_empty() || filter.kinds.contains(&d.kind))
            .map(|d| (d.day, d.kind, d.direction, d.n, d.tone))
            .collect();
        rows.sort_by_key(|r| r.0);
        series_of(rows, interval)
    }

    /// (country, partner, events) of every tie under a filter, for country centrality.
    pub(crate) fn edges(&self, filter: &EventFilter) -> Vec<(CountryCode, CountryCode, i64)> {
        let mut out = Vec::new();
        let wanted = |kind: EventKind| filter.kinds.is_empty() || filter.kinds.contains(&kind);
        let dated = filter.from.is_some() || filter.to.is_some();
        let (lo, hi) = filter.day_bounds();
        for (&(country, modality), rows) in &self.ties {
            if modality != filter.modality {
                continue;
            }
            let mut sums: BTreeMap<CountryCode, i64> = BTreeMap::new();
            for t in rows.iter().filter(|t| wanted(t.kind)) {
                *sums.entry(t.partner).or_default() += if dated { 0 } else { t.n };
            }
            if dated {
                for (partner, sum) in sums.iter_mut() {
                    *sum = self
                        .range(country, modality, *partner, lo, hi)
                        .iter()
                        .filter(|d| wanted(d.kind))
                        .map(|d| d.n)
                        .sum();
                }
            }
            out.extend(
                sums.into_iter()
                    .filter(|(_, n)| *n > 0)
                    .map(|(p, n)| (country, p, n)),
            );
        }
        out
    }

    /// Country names (the entity names of countries).
    pub(crate) fn names(&self) -> &HashMap<CountryCode, String> {
        &self.names
    }
}

/// Partners being summed, in the shape of `read::ties`.
#[derive(Default)]
struct Acc {
    by_partner: BTreeMap<CountryCode, (PartnerTie, Option<(NaiveDate, String)>)>,
}

impl Acc {
    #[allow(clippy::too_many_arguments)]
    fn add(
        &mut self,
        partner: CountryCode,
        kind: EventKind,
        direction: Direction,
        n: i64,
        first: Option<NaiveDate>,
        last: Option<NaiveDate>,
        tone: f64,
    ) {
        let (tie, _) = self
            .by_partner
            .entry(partner)
            .or_insert_with(|| (crate::read::empty_tie(partner, None), None));
        tie.total += n;
        tie.tone_sum += tone;
        tie.first_day = crate::read::min_opt(tie.first_day, first);
        tie.last_day = tie.last_day.max(last);
        let counts = match tie.kinds.iter().position(|k| k.kind == kind) {
            Some(at) => &mut tie.kinds[at],
            None => {
                tie.kinds.push(KindCounts {
                    kind,
                    total: 0,
                    outgoing: 0,
                    incoming: 0,
                    mutual: 0,
                });
                tie.kinds.last_mut().expect("just pushed")
            }
        };
        counts.add(direction, n);
    }

    fn latest(&mut self, partner: CountryCode, last: Option<NaiveDate>, id: Option<&str>) {
        let (Some(day), Some(id), Some((_, latest))) = (last, id, self.by_partner.get_mut(&partner)) else {
            return;
        };
        if latest.as_ref().is_none_or(|(d, i)| (day, id) > (*d, i.as_str())) {
            *latest = Some((day, id.to_owned()));
        }
    }

    fn finish(self, names: &HashMap<CountryCode, String>) -> Vec<PartnerTie> {
        let mut partners: Vec<PartnerTie> = self
            .by_partner
            .into_values()
            .map(|(mut tie, latest)| {
                tie.name = names.get(&tie.partner).cloned();
                crate::read::settle_tone(&mut tie);
                tie.last_event_id = latest.map(|(_, id)| EventId::from_db(id));
                tie.kinds.sort_by_key(|k| k.kind);
                tie
            })
            .collect();
        partners.sort_by(|a, b| b.total.cmp(&a.total).then(a.partner.cmp(&b.partner)));
        partners
    }
}
