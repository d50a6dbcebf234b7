//! `diplograph ingest PATH…`: articles from files, directories (recursively), JSON Lines or
//! standard input (`-`), extracted in parallel and stored in batched transactions, one savepoint
//! per article (an article's events are never split, and one that fails is rolled back alone).
//!
//! A reader thread reads and splits the inputs ([`sources`]); a feeder task extracts each
//! article on the blocking pool, `jobs` at a time; this task stores the extractions in input
//! order ([`batch`]), so a run is deterministic. Storing is idempotent (same URL or same
//! normalized text: a duplicate), so re-running after an interruption skips what is stored and
//! finishes the rest.
//!
//! Layout:
//! - `sources` — expanding paths, reading files, splitting them into articles.
//! - `batch` — gathering extractions that are ready into batches for `Store::apply_batch`.
//! - `progress` — the bar or log lines, and the [`progress::Tally`] summary.

mod batch;
mod progress;
mod sources;

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use diplograph_core::Extraction;
use diplograph_graph::Store;
use diplograph_ingest::Extractor;
use tokio::sync::Semaphore;
use tokio::task::JoinHandle;

use crate::import::Progress;
use progress::{Shown, Tally};
use sources::{Item, Source};

/// Settings of `diplograph ingest`.
#[derive(Args)]
pub(crate) struct IngestArgs {
    /// Files or directories to read (directories recursively: *.txt, *.text, *.json, *.jsonl,
    /// *.ndjson and files without an extension); `-` reads standard input. Each file holds one
    /// plain-text article (with or without a `date YYYY-MM-DD CITY —` header), a JSON article
    /// object, a JSON array of them, or JSON Lines.
    #[arg(value_name = "PATH", required = true)]
    pub(crate) paths: Vec<PathBuf>,

    /// Extraction threads; 0 uses every core.
    #[arg(long, env = "DIPLOGRAPH_INGEST_JOBS", default_value_t = 0, value_name = "N")]
    pub(crate) jobs: usize,

    /// How to show progress: `auto` (a bar on a terminal, log lines otherwise), `bar` or `log`.
    #[arg(long, env = "DIPLOGRAPH_INGEST_PROGRESS", value_enum, default_value_t = Progress::Auto)]
    pub(crate) progress: Progress,
}

pub(crate) async fn run(database_url: &str, args: IngestArgs) -> anyhow::Result<()> {
    let extractor = Arc::new(Extractor::new().context("compiling the gazetteer")?);
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let res = ingest(&store, extractor, &args).await;
    store.close().await;
    let tally = res?;
    println!("{}", tally.summary());
    if tally.failed > 0 {
        bail!("{} input(s) could not be read or stored", tally.failed);
    }
    Ok(())
}

async fn ingest(store: &Store, extractor: Arc<Extractor>, args: &IngestArgs) -> anyhow::Result<Tally> {
    let (sources, unlisted) = sources::expand(&args.paths);
    let total_bytes = total_bytes(&sources);
    let bar = match args.progress {
        Progress::Bar => true,
        Progress::Log => false,
        Progress::Auto => std::io::stderr().is_terminal(),
    };
    let mut shown = Shown::new(bar, total_bytes);
    let mut tally = Tally::default();
    for (origin, reason) in &unlisted {
        tally.failed += 1;
        shown.fail(origin, reason);
    }
    let jobs = match args.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    tracing::info!(files = sources.len(), jobs, "ingesting");
    let (tx, rx) = tokio::sync::mpsc::channel::<Item>(4 * jobs);
    let reader = std::thread::spawn(move || sources::read_all(sources, tx));
    let (work_tx, work_rx) = tokio::sync::mpsc::channel::<Work>(4 * jobs);
    let feeder = tokio::spawn(feed(rx, work_tx, extractor, jobs));
    let stored = batch::store_all(store, work_rx, &mut tally, &mut shown).await;
    // A storing error stops the run: dropping the receiver above stops the feeder and reader.
    let fed = feeder.await;
    stored?;
    fed.context("the extraction feeder stopped")?;
    if reader.join().is_err() {
        bail!("the reader thread panicked");
    }
    shown.finish();
    let seconds = shown.elapsed().as_secs_f64();
    tracing::info!(
        articles = tally.articles(),
        seconds = format!("{seconds:.1}"),
        per_second = format!("{:.0}", tally.articles() as f64 / seconds.max(1e-3)),
        "ingest finished"
    );
    Ok(tally)
}

/// What the feeder hands on, in input order.
pub(crate) enum Work {
    /// An article being extracted: where it came from, its share of the input, the extraction.
    Article {
        origin: String,
        bytes: u64,
        task: JoinHandle<Extraction>,
    },
    /// An input that could not be read or parsed.
    Failed { origin: String, reason: String },
}

/// Starts the extraction of every article read, at most `jobs` at a time, and passes the
/// pending extractions on in input order.
async fn feed(
    mut rx: tokio::sync::mpsc::Receiver<Item>,
    work_tx: tokio::sync::mpsc::Sender<Work>,
    extractor: Arc<Extractor>,
    jobs: usize,
) {
    let slots = Arc::new(Semaphore::new(jobs));
    while let Some(item) = rx.recv().await {
        let work = match item {
            Item::Failed { origin, reason } => Work::Failed { origin, reason },
            Item::Article { origin, input, bytes } => {
                let Ok(slot) = slots.clone().acquire_owned().await else {
                    return;
                };
                let extractor = extractor.clone();
                let task = tokio::task::spawn_blocking(move || {
                    let extraction = extractor.extract(&input);
                    drop(slot);
                    extraction
                });
                Work::Article { origin, bytes, task }
            }
        };
        if work_tx.send(work).await.is_err() {
            return;
        }
    }
}

/// The size of the input, when every source is a file.
fn total_bytes(sources: &[Source]) -> Option<u64> {
    sources
        .iter()
        .map(|s| match s {
            Source::Stdin => None,
            Source::File { bytes, .. } => Some(*bytes),
        })
        .sum()
}
