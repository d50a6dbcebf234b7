//! In-process extractor throughput on a JSON Lines corpus (see bench/extract_bench.sh).
//!
//! `cargo bench -p diplograph-ingest --bench extract -- [CORPUS] [--passes N]`
//!
//! Parses the corpus once (not timed), compiles the gazetteer once (timed and reported on its
//! own), runs one untimed warm-up pass over every article, then N timed passes (default 3) of
//! `Extractor::extract` over every article, one at a time on this one thread; then one pass of
//! extract + `serde_json::to_string` (what the CLI does per article, less the write). Reports
//! articles/s and MB/s (of article text, 10^6 bytes) per pass and the median, on wall time and,
//! where Linux tells it (/proc/thread-self/schedstat), per second of this thread's CPU time — the
//! figure that stays put when other processes share the cores.
//!
//! The corpus defaults to $DIPLOGRAPH_BENCH_CORPUS or /tmp/diplograph-corpus.jsonl (made by
//! bench/extract_corpus.py). Without `--bench` (as when `cargo test --benches` runs it) it only
//! extracts a few articles of the seed as a smoke check, so a test run stays fast.

use std::hint::black_box;
use std::time::{Duration, Instant};

use diplograph_ingest::{ArticleInput, Extractor, parse_articles};

// The allocator of the `diplograph` binary, so the in-process figures are the binary's.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const DEFAULT_CORPUS: &str = "/tmp/diplograph-corpus.jsonl";
const SEED: &str = include_str!("../tests/data/tehran-2020-07-22.txt");

fn main() {
    let mut corpus = None;
    let mut passes = 3usize;
    let mut bench_mode = false;
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--bench" => bench_mode = true,
            "--passes" => {
                passes = args
                    .next()
                    .and_then(|n| n.parse().ok())
                    .filter(|&n| n > 0)
                    .unwrap_or_else(|| fail("--passes needs a positive number"));
            }
            a if a.starts_with('-') => {} // other harness flags (--nocapture, …)
            a => corpus = Some(a.to_owned()),
        }
    }
    if !bench_mode {
        smoke();
        return;
    }
    let path = corpus
        .or_else(|| std::env::var("DIPLOGRAPH_BENCH_CORPUS").ok())
        .unwrap_or_else(|| DEFAULT_CORPUS.to_owned());
    let input = std::fs::read_to_string(&path)
        .unwrap_or_else(|e| fail(&format!("{path}: {e} (make it with bench/extract_corpus.py)")));
    let articles: Vec<ArticleInput> = parse_articles(&input)
        .into_iter()
        .collect::<Result<_, _>>()
        .unwrap_or_else(|e| fail(&format!("{path}: {e}")));
    let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
    println!(
        "corpus: {path}: {} articles, {bytes} bytes of text ({:.2} MB)",
        articles.len(),
        bytes as f64 / 1e6
    );

    let t = Instant::now();
    let extractor = Extractor::new().unwrap_or_else(|e| fail(&e.to_string()));
    println!("gazetteer build (Extractor::new): {:.1} ms", ms(t.elapsed()));

    let (events, _, _) = pass(&extractor, &articles);
    println!("warm-up pass done ({events} events extracted per pass)");

    let n = articles.len();
    let mut runs = Vec::with_capacity(passes);
    for i in 1..=passes {
        let (_, elapsed, cpu) = pass(&extractor, &articles);
        let (aps, mbps) = rates_of(n, bytes, elapsed);
        println!(
            "pass {i}: extract          {:>8.1} ms  {aps:>9.0} articles/s  {mbps:>7.2} MB/s{}",
            ms(elapsed),
            cpu_note(n, bytes, cpu)
        );
        runs.push((elapsed, cpu));
    }
    runs.sort_by_key(|r| r.0);
    let (elapsed, _) = runs[runs.len() / 2];
    let (aps, mbps) = rates_of(n, bytes, elapsed);
    let mut cpus: Vec<Duration> = runs.iter().filter_map(|r| r.1).collect();
    cpus.sort();
    let cpu = cpus.get(cpus.len() / 2).copied();
    println!(
        "median: extract          {:>8.1} ms  {aps:>9.0} articles/s  {mbps:>7.2} MB/s{}  (1 thread)",
        ms(elapsed),
        cpu_note(n, bytes, cpu)
    );

    let (t, c) = (Instant::now(), thread_cpu());
    let mut json_bytes = 0usize;
    for article in &articles {
        let extraction = extractor.extract(article);
        json_bytes += serde_json::to_string(&extraction).map_or(0, |s| s.len());
    }
    let (elapsed, cpu) = (t.elapsed(), cpu_since(c));
    let (aps, mbps) = rates_of(n, bytes, elapsed);
    println!(
        "one pass: extract + JSON {:>8.1} ms  {aps:>9.0} articles/s  {mbps:>7.2} MB/s{}",
        ms(elapsed),
        cpu_note(n, bytes, cpu)
    );
    println!("json bytes: {json_bytes} (serde_json::to_string of every extraction, no newlines)");
}

/// One pass over every article: the number of events (so nothing is optimized away), the wall
/// time and this thread's CPU time.
fn pass(extractor: &Extractor, articles: &[ArticleInput]) -> (usize, Duration, Option<Duration>) {
    let (t, c) = (Instant::now(), thread_cpu());
    let mut events = 0usize;
    for article in articles {
        events += black_box(extractor.extract(black_box(article))).events.len();
    }
    (events, t.elapsed(), cpu_since(c))
}

/// This thread's time on a CPU (Linux: the first field of /proc/thread-self/schedstat, in ns).
fn thread_cpu() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    Some(Duration::from_nanos(
        stat.split_whitespace().next()?.parse().ok()?,
    ))
}

fn cpu_since(start: Option<Duration>) -> Option<Duration> {
    Some(thread_cpu()?.saturating_sub(start?))
}

fn cpu_note(articles: usize, bytes: usize, cpu: Option<Duration>) -> String {
    cpu.map_or_else(String::new, |c| {
        let (aps, mbps) = rates_of(articles, bytes, c);
        format!(
            "  | CPU {:>8.1} ms  {aps:>9.0} articles/CPU-s  {mbps:>7.2} MB/CPU-s",
            ms(c)
        )
    })
}

fn rates_of(articles: usize, bytes: usize, elapsed: Duration) -> (f64, f64) {
    let s = elapsed.as_secs_f64().max(1e-9);
    (articles as f64 / s, bytes as f64 / 1e6 / s)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn smoke() {
    let extractor = Extractor::new().unwrap_or_else(|e| fail(&e.to_string()));
    let article = ArticleInput::from_text(SEED);
    for _ in 0..3 {
        black_box(extractor.extract(&article));
    }
    println!("extract bench: smoke run only (use `cargo bench -p diplograph-ingest --bench extract`)");
}

fn fail(msg: &str) -> ! {
    eprintln!("error: {msg}");
    std::process::exit(2)
}
