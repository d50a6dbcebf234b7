//! Figures for dashboards and metrics: a country's series with one partner or all of them, the
//! size of the projection, and row counts.

use chrono::NaiveDate;
use diplograph_core::CountryCode;
use serde::Serialize;

use crate::db::{Arg, dynamic};
use crate::error::StoreError;
use crate::filter::EventFilter;
use crate::read::bilateral::series_rows;
use crate::read::{Interval, SeriesPoint};
use crate::store::Store;

/// How much the store holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct StoreCounts {
    pub articles: i64,
    pub entities: i64,
    pub events: i64,
}

const COUNTS: &str =
    "select (select count(*) from article), (select count(*) from entity), (select count(*) from event)";
const SERIES_ALL: &str = "select d.day, d.kind, d.direction, d.n, d.tone_sum from tie_day d
     where d.country = $1 and d.modality = $2 and d.day >= $3 and d.day <= $4";

impl Store {
    /// A country's events per period (dated events, from the per-day rollup), with one partner
    /// or, with `None`, with all of them together; oldest first.
    #[tracing::instrument(skip(self))]
    pub async fn series(
        &self,
        country: &CountryCode,
        partner: Option<&CountryCode>,
        filter: &EventFilter,
        interval: Interval,
    ) -> Result<Vec<SeriesPoint>, StoreError> {
        filter.check()?;
        let memory = self.read_memory(|m| {
            Some(match partner {
                Some(partner) => m.rollups.series(*country, *partner, filter, interval),
                None => m.rollups.series_all(*country, filter, interval),
            })
        });
        if let Some(series) = memory {
            return Ok(series);
        }
        let (lo, hi) = filter.day_bounds();
        let mut args: Vec<Arg> = vec![
            country.as_str().into(),
            filter.modality.as_str().into(),
            lo.into(),
            hi.into(),
        ];
        let mut sql = SERIES_ALL.to_owned();
        if let Some(partner) = partner {
            args.push(partner.as_str().into());
            sql.push_str(&format!(" and d.partner = ${}", args.len()));
        }
        sql.push_str(&filter.kinds_clause("d.kind", &mut args));
        let rows: Vec<(NaiveDate, String, String, i64, f64)> =
            self.conn().await?.fetch_all(dynamic(sql), args).await?;
        series_rows(rows, interval)
    }

    /// The projection's node and edge counts, `None` before it is loaded. Never waits on the
    /// database.
    pub fn projection_size(&self) -> Option<(usize, usize)> {
        self.memory_size()
    }

    /// How many articles, entities and events are stored.
    pub async fn counts(&self) -> Result<StoreCounts, StoreError> {
        let (articles, entities, events): (i64, i64, i64) = self
            .conn()
            .await?
            .fetch_optional(COUNTS, Vec::new())
            .await?
            .unwrap_or((0, 0, 0));
        Ok(StoreCounts {
            articles,
            entities,
            events,
        })
    }
}
