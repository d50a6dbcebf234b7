//! `diplograph export --format csv|jsonl|graphml|gexf|jsonld|gdelt [--from --to --country --kinds
//! --modality] [-o FILE]`: the stored events, records or entity graph, written page by page as
//! they are read (by the graph crate's writers, which the API's `GET /v1/export` shares), so
//! memory stays flat however large the store.

use std::io::Write;
use std::path::PathBuf;

use anyhow::Context;
use chrono::NaiveDate;
use clap::Args;
use diplograph_core::{CountryCode, EventKind, Modality};
use diplograph_graph::{ExportFilter, ExportFormat, ExportSink, Store, StoreError};

/// Settings of `diplograph export`.
#[derive(Args)]
pub(crate) struct ExportArgs {
    /// What to write: `csv` (one row per event), `jsonl` (entity, article and event records, one
    /// JSON object per line: a backup `import --format jsonl` restores), `graphml` or `gexf` (the
    /// entity graph with aggregated edge weights, for Gephi or networkx), `jsonld` (JSON-LD,
    /// schema.org terms where they fit) or `gdelt` (GDELT 2.0 event rows, 61 tab-separated columns).
    #[arg(long, value_parser = parse_format)]
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
    /// hypothetical). Default: `asserted` for graphml, gexf and gdelt, every modality otherwise.
    #[arg(long, value_parser = parse_modality)]
    pub(crate) modality: Option<Modality>,

    /// File to write (replaced if it exists); standard output when absent or `-`.
    #[arg(short = 'o', long = "output", value_name = "FILE")]
    pub(crate) output: Option<PathBuf>,
}

pub(crate) async fn run(database_url: &str, args: ExportArgs) -> anyhow::Result<()> {
    let store = Store::connect(database_url)
        .await
        .context("connecting to the database")?;
    store.migrate().await.context("migrating the database")?;
    let res = export(&store, &args).await;
    store.close().await;
    let written = res?;
    tracing::info!(items = written, format = args.format.as_str(), "export finished");
    Ok(())
}

async fn export(store: &Store, args: &ExportArgs) -> anyhow::Result<u64> {
    let filter = ExportFilter {
        from: args.from,
        to: args.to,
        kinds: args.kinds.clone(),
        country: args.country,
        modality: args.modality.or(args.format.default_modality()),
    };
    filter.check()?;
    let sink: Box<dyn Write + Send> = match args.output.as_deref() {
        None => Box::new(std::io::stdout()),
        Some(path) if path.as_os_str() == "-" => Box::new(std::io::stdout()),
        Some(path) => {
            Box::new(std::fs::File::create(path).with_context(|| format!("creating {}", path.display()))?)
        }
    };
    let mut sink = FileSink(sink);
    let written = store
        .write_export(args.format, &filter, &mut sink)
        .await
        .context("writing the export")?;
    sink.0.flush().context("writing the export")?;
    Ok(written)
}

/// A file or standard output as an export sink.
struct FileSink(Box<dyn Write + Send>);

impl ExportSink for FileSink {
    async fn write(&mut self, chunk: Vec<u8>) -> Result<(), StoreError> {
        self.0
            .write_all(&chunk)
            .map_err(|e| StoreError::Io(format!("cannot write the export: {e}")))
    }
}

fn parse_format(input: &str) -> Result<ExportFormat, String> {
    ExportFormat::parse(input).map_err(|e| e.to_string())
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
