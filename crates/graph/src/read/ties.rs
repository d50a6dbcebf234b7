//! A country's ties, read from the rollups (never from raw events): partners with counts by kind
//! and direction, first and last day, tone, and the latest events.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind};
use serde::Serialize;

use crate::db::{Arg, dynamic};
use crate::error::StoreError;
use crate::filter::{EventFilter, PageRequest, Subject};
use crate::ids::EventId;
use crate::model::EventView;
use crate::read::TimelineQuery;
use crate::read::event::corrupt;
use crate::rollup::Direction;
use crate::store::Store;

/// What [`Store::ties`] counts.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TiesQuery {
    pub filter: EventFilter,
    /// How many of the country's latest events to include (0–500).
    pub latest_events: u32,
}

impl Default for TiesQuery {
    fn default() -> Self {
        Self {
            filter: EventFilter::default(),
            latest_events: 5,
        }
    }
}

/// A country's bilateral ties.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TiesView {
    pub country: CountryCode,
    /// Partners, most events first.
    pub partners: Vec<PartnerTie>,
    /// The country's latest events under the same filter, newest first.
    pub latest_events: Vec<EventView>,
}

/// One partner of a country.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct PartnerTie {
    pub partner: CountryCode,
    pub name: Option<String>,
    /// Events counted over every kind and direction.
    pub total: i64,
    pub kinds: Vec<KindCounts>,
    /// First and last day of the dated events (undated events count but set neither).
    pub first_day: Option<NaiveDate>,
    pub last_day: Option<NaiveDate>,
    /// Goldstein sum and mean over the counted events.
    pub tone_sum: f64,
    pub tone_mean: f64,
    /// The latest dated event of the tie (only without a date filter).
    pub last_event_id: Option<EventId>,
}

/// Counts of one kind by direction, seen from the country.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct KindCounts {
    pub kind: EventKind,
    pub total: i64,
    /// The country acted (its visits abroad, its criticism).
    #[serde(rename = "out")]
    pub outgoing: i64,
    /// The partner acted on the country (visits received).
    #[serde(rename = "in")]
    pub incoming: i64,
    /// Symmetric kinds (meetings, talks, calls, agreements).
    pub mutual: i64,
}

impl KindCounts {
    /// Adds `n` events in a direction.
    pub(crate) fn add(&mut self, direction: Direction, n: i64) {
        self.total += n;
        match direction {
            Direction::Out => self.outgoing += n,
            Direction::In => self.incoming += n,
            Direction::Mutual => self.mutual += n,
        }
    }
}

#[derive(sqlx::FromRow)]
struct TieRow {
    partner: String,
    name: Option<String>,
    kind: String,
    direction: String,
    n: i64,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
    tone_sum: f64,
    last_event_id: Option<String>,
}

const TOTALS: &str =
    "select t.partner, e.name, t.kind, t.direction, t.n, t.first_day, t.last_day, t.tone_sum,
        t.last_event_id
     from tie t left join entity e on e.id = t.partner
     where t.country = $1 and t.modality = $2";
const BY_DAY: &str = "select d.partner, e.name, d.kind, d.direction, cast(sum(d.n) as bigint) as n,
        min(d.day) as first_day, max(d.day) as last_day, sum(d.tone_sum) as tone_sum,
        cast(null as text) as last_event_id
     from tie_day d left join entity e on e.id = d.partner
     where d.country = $1 and d.modality = $2 and d.day >= $3 and d.day <= $4";

impl Store {
    /// The partners of a country with counts by kind and direction, first/last day, tone and the
    /// latest events. Without dates it reads the `tie` totals (undated events included); with a
    /// date range it sums the per-day rollup.
    #[tracing::instrument(skip(self))]
    pub async fn ties(&self, country: &CountryCode, query: &TiesQuery) -> Result<TiesView, StoreError> {
        let filter = &query.filter;
        filter.check()?;
        let partners = match self.read_memory(|m| Some(m.rollups.partners(*country, filter))) {
            Some(partners) => partners,
            None => self.partners_sql(country, filter).await?,
        };
        let latest_events = self.latest(country, query).await?;
        Ok(TiesView {
            country: *country,
            partners,
            latest_events,
        })
    }

    async fn partners_sql(
        &self,
        country: &CountryCode,
        filter: &EventFilter,
    ) -> Result<Vec<PartnerTie>, StoreError> {
        let mut args: Vec<Arg> = vec![country.as_str().into(), filter.modality.as_str().into()];
        let dated = filter.from.is_some() || filter.to.is_some();
        let mut sql = if dated {
            let (lo, hi) = filter.day_bounds();
            args.extend([Arg::from(lo), Arg::from(hi)]);
            BY_DAY.to_owned()
        } else {
            TOTALS.to_owned()
        };
        let column = if dated { "d.kind" } else { "t.kind" };
        sql.push_str(&filter.kinds_clause(column, &mut args));
        if dated {
            sql.push_str(" group by d.partner, e.name, d.kind, d.direction");
        }
        let rows: Vec<TieRow> = self.conn().await?.fetch_all(dynamic(sql), args).await?;
        partners(rows)
    }

    async fn latest(&self, country: &CountryCode, query: &TiesQuery) -> Result<Vec<EventView>, StoreError> {
        if query.latest_events == 0 {
            return Ok(Vec::new());
        }
        let timeline = TimelineQuery {
            subject: Subject::Country(*country),
            counterpart: None,
            filter: query.filter.clone(),
            page: PageRequest {
                cursor: None,
                limit: query.latest_events,
            },
        };
        Ok(self.timeline(&timeline).await?.items)
    }
}

fn partners(rows: Vec<TieRow>) -> Result<Vec<PartnerTie>, StoreError> {
    let mut by_partner: BTreeMap<String, (PartnerTie, Option<(NaiveDate, String)>)> = BTreeMap::new();
    for row in rows {
        let kind = EventKind::parse(&row.kind).map_err(corrupt)?;
        let direction = Direction::parse(&row.direction).ok_or_else(|| corrupt(&row.direction))?;
        let (tie, latest) = match by_partner.get_mut(&row.partner) {
            Some(entry) => entry,
            None => {
                let partner = CountryCode::parse(&row.partner).map_err(corrupt)?;
                by_partner
                    .entry(row.partner.clone())
                    .or_insert((empty_tie(partner, row.name.clone()), None))
            }
        };
        tie.total += row.n;
        tie.tone_sum += row.tone_sum;
        tie.first_day = min_opt(tie.first_day, row.first_day);
        tie.last_day = tie.last_day.max(row.last_day);
        if let (Some(day), Some(id)) = (row.last_day, row.last_event_id)
            && latest.as_ref().is_none_or(|(d, i)| (day, &id) > (*d, i))
        {
            *latest = Some((day, id));
        }
        let counts = match tie.kinds.iter_mut().find(|k| k.kind == kind) {
            Some(counts) => counts,
            None => {
                tie.kinds.push(KindCounts {
                    kind,
                    total: 0,
                    outgoing: 0,
                    incoming: 0,
                    mutual: 0,
                });
                tie.kinds.last_mut().ok_or_else(|| corrupt("empty kinds"))?
            }
        };
        counts.add(direction, row.n);
    }
    let mut partners: Vec<PartnerTie> = by_partner
        .into_values()
        .map(|(mut tie, latest)| {
            settle_tone(&mut tie);
            tie.last_event_id = latest.map(|(_, id)| EventId::from_db(id));
            tie.kinds.sort_by_key(|k| k.kind);
            tie
        })
        .collect();
    partners.sort_by(|a, b| b.total.cmp(&a.total).then(a.partner.cmp(&b.partner)));
    Ok(partners)
}

/// A partner with nothing counted yet.
pub(crate) fn empty_tie(partner: CountryCode, name: Option<String>) -> PartnerTie {
    PartnerTie {
        partner,
        name,
        total: 0,
        kinds: Vec::new(),
        first_day: None,
        last_day: None,
        tone_sum: 0.0,
        tone_mean: 0.0,
        last_event_id: None,
    }
}

/// The earlier of two days, either possibly unknown.
pub(crate) fn min_opt(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// Rounds the Goldstein sum to 10⁻⁶ and sets the mean: sums of tenths come out of the database
/// in whatever order it adds them (79.2 or 79.19999999999999), and the same ties must read the
/// same whichever path or restore computed them.
pub(crate) fn settle_tone(tie: &mut PartnerTie) {
    let round = |x: f64| (x * 1e6).round() / 1e6;
    tie.tone_sum = round(tie.tone_sum);
    tie.tone_mean = if tie.total > 0 {
        round(tie.tone_sum / tie.total as f64)
    } else {
        0.0
    };
}
