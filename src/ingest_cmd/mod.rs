//! `diplograph ingest PATH…`: articles from files, directories (recursively), JSON Lines or
//! standard input (`-`), extracted in parallel and stored one article per transaction.
//!
//! A reader thread reads and splits the inputs ([`sources`]); each article is extracted on the
//! blocking pool, at most `2 × jobs` at a time; the results are stored in input order by this
//! task, so a run is deterministic. Storing is idempotent (same URL or same normalized text:
//! a duplicate), so re-running after an interruption skips what is stored and finishes the rest.
//!
//! Layout:
//! - `sources` — expanding paths, reading files, splitting them into articles.
//! - `progress` — the bar or log lines, and the [`progress::Tally`] summary.

mod progress;
mod sources;

use std::collections::VecDeque;
use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::{Context, bail};
use clap::Args;
use diplograph_core::Extraction;
use diplograph_graph::Store;
use diplograph_ingest::Extractor;
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

/// An article being extracted: where it came from, its share of the input, the extraction.
struct Pending {
    origin: String,
    bytes: u64,
    task: JoinHandle<Extraction>,
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
    let (tx, mut rx) = tokio::sync::mpsc::channel::<Item>(4 * jobs);
    let reader = std::thread::spawn(move || sources::read_all(sources, tx));
    let mut pending: VecDeque<Pending> = VecDeque::with_capacity(2 * jobs);
    while let Some(item) = rx.recv().await {
        match item {
            Item::Failed { origin, reason } => {
                tally.failed += 1;
                shown.fail(&origin, &reason);
            }
            Item::Article { origin, input, bytes } => {
                if pending.len() >= 2 * jobs
                    && let Some(next) = pending.pop_front()
                {
                    store_one(store, next, &mut tally, &mut shown).await?;
                }
                let extractor = extractor.clone();
                let task = tokio::task::spawn_blocking(move || extractor.extract(&input));
                pending.push_back(Pending { origin, bytes, task });
            }
        }
    }
    while let Some(next) = pending.pop_front() {
        store_one(store, next, &mut tally, &mut shown).await?;
    }
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

/// Waits for one extraction and stores it. A store error fails that article only; a panic in
/// the extractor is a bug and stops the run.
async fn store_one(
    store: &Store,
    pending: Pending,
    tally: &mut Tally,
    shown: &mut Shown,
) -> anyhow::Result<()> {
    let extraction = pending
        .task
        .await
        .with_context(|| format!("extracting an article of {}", pending.origin))?;
    match store.apply(&extraction).await {
        Ok(report) => tally.stored(&extraction, &report),
        Err(err) => {
            tally.failed += 1;
            shown.fail(&pending.origin, &format!("cannot store the article: {err}"));
        }
    }
    shown.advance(pending.bytes, tally);
    Ok(())
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
