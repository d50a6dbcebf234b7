//! `diplograph export --format csv|jsonl|graphml|gexf [--from --to --country --kinds --modality]
//! [-o FILE]`: the stored events (csv, jsonl) or the entity graph (graphml, gexf), written page
//! by page as they are read, so memory stays flat however large the store.
//!
//! Layout:
//! - `events` — one event per CSV row or JSON line, with participants, places and provenance.
//! - `graph` — GraphML and GEXF: entities as nodes, shared events as weighted edges.

mod events;
mod graph;

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::{Args, ValueEnum};
use diplograph_core::{CountryCode, EventKind, Modality};
use diplograph_graph::{ExportFilter, ExportPage, Store};

/// Settings of `diplograph export`.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// What to write: events (`csv`, one row per event; `jsonl`, one JSON object per event) or
    /// the entity graph with aggregated edge weights (`graphml`, `gexf`, for Gephi or networkx).
    #[arg(long, value_enum)]
    pub(crate) format: ExportFormat,

    /// Only events whose first day is on or after this day (YYYY-MM-DD); undated events are left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub(crate) from: Option<NaiveDate>,

    /// Only events whose first day is on or before this day (YYYY-MM-DD); undated events are left out.
    #[arg(long, value_name = "YYYY-MM-DD", value_parser = parse_day)]
    pub(crate) to: Option<NaiveDate>,

    /// Only events in which someone acting for this country (ISO 3166 alpha-3 or alpha-2) takes part.
    #[arg(long, value_name = "CODE", value_parser = parse_country)]
    pub(crate) country: Option<CountryCode>,

    /// Only these event kinds, comma-separated (e.g. VISIT,MEET,TALKS).
    #[arg(long, value_name = "KINDS", value_delimiter = ',', value_parser = parse_kind)]
    pub(crate) kinds: Vec<EventKind>,

    /// Only events of this modality (asserted, planned, postponed, cancelled, denied,
    /// hypothetical). Default: every modality for csv and jsonl, `asserted` for the graph.
    #[arg(long, value_parser = parse_modality)]
    pub(crate) modality: Option<Modality>,

    /// File to write (replaced if it exists); standard output when absent or `-`.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

/// Export formats.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub(crate) enum ExportFormat {
    Csv,
    Jsonl,
    Graphml,
    Gexf,
}

/// Items read from the store per page.
const PAGE: u32 = 1_000;

pub(crate) async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let res = export(&store, &args).await;
    store.close().await;
    let written = res?;
    tracing::info!(items = written, format = ?args.format, "export finished");
    Ok(())
}

async fn export(store: &Store, args: &ExportArgs) -> anyhow::Result<u64> {
    let graph = matches!(args.format, ExportFormat::Graphml | ExportFormat::Gexf);
    let filter = ExportFilter {
        from: args.from,
        to: args.to,
        kinds: args.kinds.clone(),
        country: args.country,
        modality: match (args.modality, graph) {
            (Some(m), _) => Some(m),
            (None, true) => Some(Modality::Asserted),
            (None, false) => None,
        },
    };
    let sink: Box<dyn Write> = match args.output.as_deref() {
        None => Box::new(std::io::stdout().lock()),
        Some(path) if path.as_os_str() == "-" => Box::new(std::io::stdout().lock()),
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
    };
    let mut out = std::io::BufWriter::with_capacity(1 << 16, sink);
    let written = match args.format {
        ExportFormat::Csv => events::csv(store, &filter, &mut out).await?,
        ExportFormat::Jsonl => events::jsonl(store, &filter, &mut out).await?,
        ExportFormat::Graphml => graph::graphml(store, &filter, &mut out).await?,
        ExportFormat::Gexf => graph::gexf(store, &filter, &mut out).await?,
    };
    out.flush().context("writing the export")?;
    Ok(written)
}

/// The first page of an export.
fn first_page() -> ExportPage {
    ExportPage {
        cursor: None,
        limit: PAGE,
    }
}

fn parse_day(input: &str) -> Result<NaiveDate, String> {
    NaiveDate::parse_from_str(input.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{input:?} is not a YYYY-MM-DD day"))
}

fn parse_country(input: &str) -> Result<CountryCode, String> {
    CountryCode::parse(input).map_err(|e| e.to_string())
}

fn parse_kind(input: &str) -> Result<EventKind, String> {
    EventKind::parse(input.trim()).map_err(|e| e.to_string())
}

fn parse_modality(input: &str) -> Result<Modality, String> {
    Modality::parse(input.trim()).map_err(|e| e.to_string())
}
