//! [`Store::apply`] and [`Store::apply_batch`]: extractions in, transactions out — the article,
//! its entities resolved, its events de-duplicated across articles, their mentions and the
//! rollups.
//!
//! `apply` stores one article in one transaction. `apply_batch` stores many in one transaction,
//! each article inside a savepoint of its own: an article is still all or nothing (its events
//! are never split, and one that fails is rolled back alone), while the commit and the look-ups
//! are shared. [`known::Known`] remembers, for the length of the transaction, what the database
//! has already answered or been told (entities by key, aliases, search terms, affiliations,
//! events by identity, places), so what a batch meets again costs no statement.
//!
//! Layout:
//! - `article` — storing one article inside an open transaction.
//! - `known` — the transaction's memory of stored rows.

mod article;
mod known;

use diplograph_core::{CountryCode, Extraction, Role};

use crate::db::Conn;
use crate::error::StoreError;
use crate::events;
use crate::model::ApplyReport;
use crate::store::Store;
use crate::validate;

pub(crate) use known::Known;

use article::Applied;

impl Store {
    /// Stores one extraction in one transaction and reports what changed.
    ///
    /// Idempotent: an article already stored (same URL, or same normalized text hash) changes
    /// nothing and comes back with `duplicate: true`. Events that match a stored event by kind,
    /// modality, overlapping date and participants (entity and role) add a mention to it instead
    /// of a new event. On any error nothing of the article is kept.
    #[tracing::instrument(skip_all, fields(url = ?extraction.article.url))]
    pub async fn apply(&self, extraction: &Extraction) -> Result<ApplyReport, StoreError> {
        validate::extraction(extraction)?;
        let (_guard, mut conn) = self.begin_write().await?;
        let applied = article::store(&mut conn, &mut Known::default(), extraction).await?;
        let counted = self.count_write(&mut conn).await?;
        conn.commit().await?;
        let report = self.remember(applied)?;
        self.written(counted).await?;
        Ok(report)
    }

    /// Stores many extractions in one transaction, in order, and reports each: what
    /// [`Store::apply`] of each in turn would store, in fewer round trips.
    ///
    /// Each article is stored inside a savepoint: one that fails (bad input, a refused row) is
    /// rolled back alone and comes back as its error, and the others are stored. The outer
    /// error means the transaction itself failed (the database went away, the commit was
    /// refused): then nothing of the batch is stored.
    #[tracing::instrument(skip_all, fields(articles = extractions.len()))]
    pub async fn apply_batch(
        &self,
        extractions: &[Extraction],
    ) -> Result<Vec<Result<ApplyReport, StoreError>>, StoreError> {
        let (_guard, mut conn) = self.begin_write().await?;
        let mut known = Known::default();
        let mut outcomes = Vec::with_capacity(extractions.len());
        for extraction in extractions {
            outcomes.push(in_savepoint(&mut conn, &mut known, extraction).await?);
        }
        let counted = self.count_write(&mut conn).await?;
        conn.commit().await?;
        let reports = outcomes
            .into_iter()
            .map(|outcome| match outcome {
                Ok(applied) => self.remember(applied).map(Ok),
                Err(err) => Ok(Err(err)),
            })
            .collect::<Result<Vec<_>, StoreError>>()?;
        self.written(counted).await?;
        Ok(reports)
    }

    /// Brings the memory in step with a committed article and returns its report; the caller
    /// holds the write lock.
    fn remember(&self, applied: Applied) -> Result<ApplyReport, StoreError> {
        let Applied {
            report,
            new_nodes,
            new_events,
        } = applied;
        self.update_memory(|memory| {
            new_nodes.into_iter().for_each(|node| memory.add_node(node));
            new_events.iter().for_each(|event| memory.add_event(event));
        })?;
        // A deduplicated event gained a mention (and maybe places): its cached view is stale.
        self.forget_events(&report.event_ids);
        tracing::debug!(?report, "applied");
        Ok(report)
    }
}

/// Stores one article of a batch inside a savepoint. The inner result is the article's; the
/// outer error means the savepoint itself failed, and with it the batch's transaction.
async fn in_savepoint(
    conn: &mut Conn,
    known: &mut Known,
    extraction: &Extraction,
) -> Result<Result<Applied, StoreError>, StoreError> {
    if let Err(err) = validate::extraction(extraction) {
        return Ok(Err(err));
    }
    conn.execute("savepoint article", Vec::new()).await?;
    match article::store(conn, known, extraction).await {
        Ok(applied) => {
            conn.execute("release savepoint article", Vec::new()).await?;
            Ok(Ok(applied))
        }
        Err(err) => {
            // What this article taught the cache may be undone with it.
            *known = Known::default();
            conn.execute("rollback to savepoint article", Vec::new()).await?;
            conn.execute("release savepoint article", Vec::new()).await?;
            tracing::debug!(%err, url = ?extraction.article.url, "article rolled back in its batch");
            Ok(Err(err))
        }
    }
}

/// Roles and countries, the shape rollups take.
pub(crate) fn role_countries(participants: &[events::Resolved]) -> Vec<(Role, Option<CountryCode>)> {
    participants.iter().map(|p| (p.role, p.country)).collect()
}
