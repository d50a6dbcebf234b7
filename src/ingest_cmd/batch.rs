//! Storing extractions in input order, in batches: up to [`MAX_BATCH`] articles, or what came
//! within [`MAX_WAIT`] of the batch's first article, go to `Store::apply_batch` as one
//! transaction, one savepoint per article. A batch shares its commit and its look-ups (the
//! countries, people and events a run of wire stories names again and again); the time bound
//! keeps a slow input (standard input, say) stored and shown as it comes.

use std::time::Duration;

use anyhow::Context;
use diplograph_core::Extraction;
use diplograph_graph::Store;
use tokio::sync::mpsc::Receiver;

use crate::ingest_cmd::Work;
use crate::ingest_cmd::progress::{Shown, Tally};

/// Most articles in one transaction: an interrupted run redoes at most this many.
pub(crate) const MAX_BATCH: usize = 256;
/// Longest an extracted article waits for its batch to fill.
pub(crate) const MAX_WAIT: Duration = Duration::from_millis(200);

/// Extracted articles waiting to be stored: where each came from and its share of the input,
/// and the extractions, in the same order.
#[derive(Default)]
struct Batch {
    inputs: Vec<(String, u64)>,
    extractions: Vec<Extraction>,
}

/// Stores everything the feeder sends, in order, counting and showing each article. A store
/// error fails its article (or, when the transaction failed, its batch) and the run goes on;
/// a panic in the extractor is a bug and stops the run.
pub(crate) async fn store_all(
    store: &Store,
    mut rx: Receiver<Work>,
    tally: &mut Tally,
    shown: &mut Shown,
) -> anyhow::Result<()> {
    let mut batch = Batch::default();
    let mut deadline = tokio::time::Instant::now();
    loop {
        let work = match batch.inputs.is_empty() {
            true => rx.recv().await,
            false => match tokio::time::timeout_at(deadline, rx.recv()).await {
                Ok(work) => work,
                Err(_) => {
                    flush(store, &mut batch, tally, shown).await;
                    continue;
                }
            },
        };
        let Some(work) = work else {
            flush(store, &mut batch, tally, shown).await;
            return Ok(());
        };
        match work {
            Work::Failed { origin, reason } => {
                tally.failed += 1;
                shown.fail(&origin, &reason);
            }
            Work::Article {
                origin,
                bytes,
                mut task,
            } => {
                let joined = match batch.inputs.is_empty() {
                    true => {
                        deadline = tokio::time::Instant::now() + MAX_WAIT;
                        task.await
                    }
                    false => match tokio::time::timeout_at(deadline, &mut task).await {
                        Ok(joined) => joined,
                        Err(_) => {
                            // The batch waited long enough: store it while this one is extracted.
                            flush(store, &mut batch, tally, shown).await;
                            deadline = tokio::time::Instant::now() + MAX_WAIT;
                            task.await
                        }
                    },
                };
                let extraction = joined.with_context(|| format!("extracting an article of {origin}"))?;
                batch.inputs.push((origin, bytes));
                batch.extractions.push(extraction);
                if batch.inputs.len() >= MAX_BATCH {
                    flush(store, &mut batch, tally, shown).await;
                }
            }
        }
    }
}

/// Stores the batch and empties it.
async fn flush(store: &Store, batch: &mut Batch, tally: &mut Tally, shown: &mut Shown) {
    if batch.inputs.is_empty() {
        return;
    }
    let outcomes = store.apply_batch(&batch.extractions).await;
    let done = batch.inputs.drain(..).zip(batch.extractions.drain(..));
    for (i, ((origin, bytes), extraction)) in done.enumerate() {
        let outcome = match &outcomes {
            Ok(each) => each.get(i).map(|res| res.as_ref().map_err(ToString::to_string)),
            Err(err) => Some(Err(err.to_string())),
        };
        match outcome {
            Some(Ok(report)) => tally.stored(&extraction, report),
            Some(Err(reason)) => {
                tally.failed += 1;
                shown.fail(&origin, &format!("cannot store the article: {reason}"));
            }
            None => {
                tally.failed += 1;
                shown.fail(&origin, "cannot store the article: no outcome reported");
            }
        }
        shown.advance(bytes, tally);
    }
}
