//! `diplograph extract [FILE…|-] [--format json|text]`: run the extractor, store nothing.
//!
//! Input per file: plain text (with or without the `date YYYY-MM-DD CITY —` header), a JSON
//! article object, a JSON array of them, or JSON Lines. Output: one JSON object per article per
//! line, in input order; or a readable summary. A bad file or line is reported on stderr with its
//! path (and line) and the run goes on; the exit status says whether anything failed.
//!
//! The gazetteer compiles on a thread of its own while the first input is read; articles are
//! extracted and rendered in blocks, each block split across `--jobs` threads (default: every
//! core) and written back in input order.

use std::io::{Read, Write};
use std::path::PathBuf;

use anyhow::{Context, anyhow, bail};
use clap::{Args, ValueEnum};
use diplograph_core::{Extraction, Role};
use diplograph_ingest::{ArticleInput, Extractor, IngestError, parse_articles};

/// Articles per thread in one block: enough to amortize starting the threads, few enough to
/// keep memory flat on large inputs.
const BLOCK_PER_THREAD: usize = 256;

/// Settings of `diplograph extract`.
#[derive(Args)]
pub(crate) struct ExtractArgs {
    /// Files to read; `-` (or none) reads standard input.
    #[arg(value_name = "FILE")]
    pub(crate) files: Vec<PathBuf>,

    /// Output format: one JSON object per article per line, or a readable summary.
    #[arg(long, value_enum, default_value_t = Format::Json)]
    pub(crate) format: Format,

    /// Extraction threads; 0 uses every core. The output order is the input order either way.
    #[arg(long, short = 'j', value_name = "N", default_value_t = 0)]
    pub(crate) jobs: usize,
}

/// Output formats of `extract`.
#[derive(Clone, Copy, ValueEnum)]
pub(crate) enum Format {
    Json,
    Text,
}

pub(crate) fn run(args: ExtractArgs) -> anyhow::Result<()> {
    let mut compiling = Some(std::thread::spawn(Extractor::new));
    let mut extractor = None;
    let jobs = match args.jobs {
        0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
        n => n,
    };
    let files = if args.files.is_empty() {
        vec![PathBuf::from("-")]
    } else {
        args.files
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let mut failures = 0usize;
    for path in &files {
        let name = path.display().to_string();
        let input = match read_input(path) {
            Ok(input) => input,
            Err(err) => {
                eprintln!("error: {name}: {err:#}");
                failures += 1;
                continue;
            }
        };
        let extractor = ready(&mut extractor, &mut compiling)?;
        let mut articles = parse_articles(&input).into_iter();
        loop {
            let block: Vec<Result<ArticleInput, IngestError>> =
                articles.by_ref().take(BLOCK_PER_THREAD * jobs).collect();
            if block.is_empty() {
                break;
            }
            let mut good = Vec::with_capacity(block.len());
            for article in block {
                match article {
                    Ok(article) => good.push(article),
                    Err(err) => {
                        eprintln!("error: {name}: {err}");
                        failures += 1;
                    }
                }
            }
            for rendered in render(extractor, &good, args.format, jobs)? {
                out.write_all(&rendered).context("writing the output")?;
            }
        }
    }
    out.flush().context("writing the output")?;
    if failures > 0 {
        bail!("{failures} input(s) could not be read as articles");
    }
    Ok(())
}

/// The extractor, once the thread compiling it is done.
fn ready<'a>(
    extractor: &'a mut Option<Extractor>,
    compiling: &mut Option<std::thread::JoinHandle<Result<Extractor, IngestError>>>,
) -> anyhow::Result<&'a Extractor> {
    if let Some(handle) = compiling.take() {
        let compiled = handle
            .join()
            .map_err(|_| anyhow!("the gazetteer thread panicked"))?
            .context("compiling the gazetteer")?;
        *extractor = Some(compiled);
    }
    extractor
        .as_ref()
        .ok_or_else(|| anyhow!("the gazetteer failed to compile"))
}

/// Extracts and renders `articles` on up to `jobs` threads: one buffer per thread, in order.
fn render(
    extractor: &Extractor,
    articles: &[ArticleInput],
    format: Format,
    jobs: usize,
) -> anyhow::Result<Vec<Vec<u8>>> {
    let render_part = |part: &[ArticleInput]| -> anyhow::Result<Vec<u8>> {
        let mut buf = Vec::new();
        for article in part {
            write_one(&mut buf, &extractor.extract(article), format)?;
        }
        Ok(buf)
    };
    if jobs <= 1 || articles.len() <= 1 {
        return Ok(vec![render_part(articles)?]);
    }
    let per_thread = articles.len().div_ceil(jobs);
    std::thread::scope(|scope| {
        let parts: Vec<_> = articles
            .chunks(per_thread)
            .map(|part| scope.spawn(move || render_part(part)))
            .collect();
        parts
            .into_iter()
            .map(|part| {
                part.join()
                    .map_err(|_| anyhow!("an extraction thread panicked"))?
            })
            .collect()
    })
}

fn read_input(path: &PathBuf) -> anyhow::Result<String> {
    let bytes = if path.as_os_str() == "-" {
        let mut buf = Vec::new();
        std::io::stdin()
            .read_to_end(&mut buf)
            .context("reading standard input")?;
        buf
    } else {
        std::fs::read(path).context("reading the file")?
    };
    String::from_utf8(bytes).context("the input is not valid UTF-8")
}

fn write_one(out: &mut impl Write, extraction: &Extraction, format: Format) -> anyhow::Result<()> {
    match format {
        Format::Json => {
            serde_json::to_writer(&mut *out, extraction).context("writing JSON")?;
            writeln!(out)?;
        }
        Format::Text => write_text(out, extraction)?,
    }
    Ok(())
}

fn write_text(out: &mut impl Write, ex: &Extraction) -> std::io::Result<()> {
    let a = &ex.article;
    let or_dash = |s: Option<String>| s.unwrap_or_else(|| "-".into());
    writeln!(
        out,
        "== {} | published {} | dateline {} ({})",
        a.url
            .clone()
            .or(a.title.clone())
            .unwrap_or_else(|| "(untitled)".into()),
        or_dash(a.published.map(|d| d.to_string())),
        or_dash(a.dateline.clone()),
        or_dash(a.home_country.map(|c| c.to_string())),
    )?;
    for e in ex
        .entities
        .iter()
        .filter(|e| e.kind == diplograph_core::EntityKind::Person)
    {
        let country = or_dash(e.country.map(|c| c.to_string()));
        writeln!(
            out,
            "person  {} ({country}, {})",
            e.name,
            e.title.as_deref().unwrap_or("-")
        )?;
    }
    for ev in &ex.events {
        let sides: Vec<String> = ev
            .participants
            .iter()
            .map(|p| {
                let arrow = if matches!(p.role, Role::Visitor | Role::Source) {
                    " →"
                } else {
                    ""
                };
                format!("{} [{}]{arrow}", p.name, p.role)
            })
            .collect();
        let places: Vec<&str> = ev.places.iter().map(|p| p.name.as_str()).collect();
        let date = match (ev.date, ev.date_end) {
            (Some(d), Some(e)) => format!("{d}/{e}"),
            (Some(d), None) => d.to_string(),
            _ => "undated".into(),
        };
        writeln!(
            out,
            "{date:<21} {:<19} {:<9} {}",
            ev.kind.as_str(),
            ev.modality.as_str(),
            sides.join("  ")
        )?;
        if !places.is_empty() {
            writeln!(out, "{:52}in {}", "", places.join(", "))?;
        }
        writeln!(
            out,
            "{:52}s{}: {}",
            "",
            ev.evidence.sentence,
            ev.evidence.text.split_whitespace().collect::<Vec<_>>().join(" ")
        )?;
    }
    for w in &ex.warnings {
        writeln!(out, "warning {}: {}", w.code, w.message)?;
    }
    writeln!(out)
}
