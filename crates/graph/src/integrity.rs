//! [`Store::check_integrity`]: what `diplograph check` reports. Counts the stored records and
//! looks for what one transaction per article and exact rollups rule out: events nobody reports
//! (no mention) or with nobody taking part, rows pointing at missing rows, and tie rollups that
//! differ from a recount of the raw events.

use serde::Serialize;

use crate::error::StoreError;
use crate::store::Store;

/// Stored records, and every integrity problem found (empty when the store is sound).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct IntegrityReport {
    pub articles: i64,
    pub entities: i64,
    pub events: i64,
    pub mentions: i64,
    pub participants: i64,
    /// Rows of the country-level rollup (`tie`), all recounted.
    pub tie_rows: i64,
    /// One line per problem, most specific first.
    pub problems: Vec<String>,
}

impl IntegrityReport {
    /// Whether nothing is wrong.
    pub fn is_sound(&self) -> bool {
        self.problems.is_empty()
    }
}

const COUNTS: &str = "select (select count(*) from article), (select count(*) from entity), \
     (select count(*) from event), (select count(*) from mention), (select count(*) from participant), \
     (select count(*) from tie)";

/// (what is wrong, a query counting the rows it concerns).
const ORPHANS: [(&str, &str); 6] = [
    (
        "events without a mention",
        "select count(*) from event e where not exists (select 1 from mention m where m.event_id = e.id)",
    ),
    (
        "events without a participant",
        "select count(*) from event e where not exists (select 1 from participant p where p.event_id = e.id)",
    ),
    (
        "mentions of a missing event",
        "select count(*) from mention m where not exists (select 1 from event e where e.id = m.event_id)",
    ),
    (
        "mentions in a missing article",
        "select count(*) from mention m where not exists (select 1 from article a where a.id = m.article_id)",
    ),
    (
        "participants of a missing event",
        "select count(*) from participant p where not exists (select 1 from event e where e.id = p.event_id)",
    ),
    (
        "participants naming a missing entity",
        "select count(*) from participant p where not exists (select 1 from entity n where n.id = p.entity_id)",
    ),
];

impl Store {
    /// Counts what is stored and checks it: no orphaned rows, and every rollup row equal to a
    /// recount from the raw events ([`Store::recount_rollups_check`]). Reads everything, in
    /// one pass per table; it does not lock out writers, so run it on a quiet store for a
    /// consistent answer.
    #[tracing::instrument(skip(self))]
    pub async fn check_integrity(&self) -> Result<IntegrityReport, StoreError> {
        let mut conn = self.conn().await?;
        let counts: Option<(i64, i64, i64, i64, i64, i64)> = conn.fetch_optional(COUNTS, Vec::new()).await?;
        let (articles, entities, events, mentions, participants, tie_rows) = counts.unwrap_or_default();
        let mut problems = Vec::new();
        for (what, sql) in ORPHANS {
            let n: Option<(i64,)> = conn.fetch_optional(sql, Vec::new()).await?;
            let n = n.map_or(0, |(n,)| n);
            if n > 0 {
                problems.push(format!("{n} {what}"));
            }
        }
        drop(conn);
        problems.extend(
            self.recount_rollups_check()
                .await?
                .into_iter()
                .map(|diff| format!("rollup differs from a recount: {diff}")),
        );
        Ok(IntegrityReport {
            articles,
            entities,
            events,
            mentions,
            participants,
            tie_rows,
            problems,
        })
    }
}
