//! Extraction speed on hostile inputs, for RELIABILITY.md's "no input slower than 1 s per MB":
//! times every file of the given folders (fuzz corpora, read as the `extract_text` target reads
//! them), then grows the slowest ones by repetition to about `--mb` MB each and times those,
//! beside generated worst cases (one endless sentence, all caps, no spaces, a name repeated,
//! quotes, datelines, random Unicode, the seed article repeated). Prints MB/s for each and exits
//! with status 1 when any large input runs slower than 1 s per MB.
//!
//! `cargo run --release -p diplograph-ingest --example slowest -- [--mb 1] [--top 10] DIR…`

use std::time::Instant;

use diplograph_ingest::{ArticleInput, Extractor};

// The allocator of the `diplograph` binary, so the figures match it.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

const SEED: &str = include_str!("../tests/data/tehran-2020-07-22.txt");
const WORDS: &[&str] = &[
    "Iran",
    "Iraqi",
    "Prime",
    "Minister",
    "President",
    "Rouhani",
    "met",
    "with",
    "visited",
    "Tehran",
    "Baghdad",
    "and",
    "the",
    "he",
    "said",
    "on",
    "Saturday",
    "talks",
    "Russian",
    "Chinese",
    "will",
    "not",
    "postponed",
    "counterpart",
    "of",
    "China",
    "who",
    "signed",
    "an",
    "agreement",
    "Khamenei",
];

struct Timed {
    name: String,
    bytes: usize,
    seconds: f64,
}

impl Timed {
    fn seconds_per_mb(&self) -> f64 {
        self.seconds / (self.bytes as f64 / 1e6)
    }
}

fn time(extractor: &Extractor, name: String, text: String) -> Timed {
    let bytes = text.len();
    let input = ArticleInput::from_text(text);
    let started = Instant::now();
    let out = extractor.extract(&input);
    let seconds = started.elapsed().as_secs_f64();
    std::hint::black_box(out);
    Timed { name, bytes, seconds }
}

/// `unit` repeated (paragraph-separated) up to about `bytes`.
fn grow(unit: &str, bytes: usize) -> String {
    let mut text = String::with_capacity(bytes + unit.len() + 2);
    while text.len() < bytes {
        text.push_str(unit);
        text.push_str("\n\n");
    }
    text
}

/// A deterministic pseudo-random sequence (xorshift), so runs are comparable.
fn xorshift(state: &mut u64) -> u64 {
    *state ^= *state << 13;
    *state ^= *state >> 7;
    *state ^= *state << 17;
    *state
}

fn generated(bytes: usize) -> Vec<(String, String)> {
    let mut state = 0x2545_f491_4f6c_dd1d_u64;
    let mut soup = String::with_capacity(bytes + 16);
    while soup.len() < bytes {
        soup.push_str(WORDS[(xorshift(&mut state) % WORDS.len() as u64) as usize]);
        soup.push(' ');
    }
    let mut unicode = String::with_capacity(bytes + 4);
    while unicode.len() < bytes {
        let c = char::from_u32((xorshift(&mut state) % 0x3_0000) as u32).unwrap_or(' ');
        unicode.push(c);
    }
    let fill = |unit: &str| unit.repeat(bytes / unit.len() + 1);
    vec![
        ("seed article repeated".into(), grow(SEED, bytes)),
        (
            "one sentence of lexicon words, no punctuation".into(),
            soup.clone(),
        ),
        (
            "lexicon words in sentences".into(),
            soup.replace(" the ", ". The "),
        ),
        ("all caps".into(), soup.to_uppercase()),
        ("no spaces".into(), soup.replace(' ', "")),
        ("one name repeated".into(), fill("Khamenei ")),
        (
            "titles and names".into(),
            fill("Iraqi Prime Minister Mustafa al-Kadhimi met President "),
        ),
        ("quotes".into(), fill("“Iran met Iraq,” he said. \"")),
        ("datelines".into(), fill("TEHRAN, March 4 (Reuters) - ")),
        ("dotted initials, no spaces".into(), fill("a.")),
        (
            "dates, no punctuation".into(),
            fill("on March 4 Iran met Iraq on Tuesday and "),
        ),
        ("random Unicode".into(), unicode),
    ]
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let (mut mb, mut top, mut dirs) = (1.0_f64, 10_usize, Vec::new());
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--mb" => mb = args.next().ok_or("--mb needs a value")?.parse()?,
            "--top" => top = args.next().ok_or("--top needs a value")?.parse()?,
            _ => dirs.push(arg),
        }
    }
    let bytes = (mb * 1e6) as usize;
    let extractor = Extractor::new()?;
    let mut units = Vec::new();
    for dir in &dirs {
        for entry in std::fs::read_dir(dir)? {
            let path = entry?.path();
            let text = String::from_utf8_lossy(&std::fs::read(&path)?).into_owned();
            units.push(time(&extractor, path.display().to_string(), text));
        }
    }
    units.sort_by(|a, b| b.seconds_per_mb().total_cmp(&a.seconds_per_mb()));
    let total: usize = units.iter().map(|u| u.bytes).sum();
    let seconds: f64 = units.iter().map(|u| u.seconds).sum();
    println!(
        "corpus: {} units, {:.2} MB in {seconds:.2} s; slowest single unit {:.1} ms",
        units.len(),
        total as f64 / 1e6,
        units.iter().map(|u| u.seconds).fold(0.0, f64::max) * 1e3
    );
    let mut large = Vec::new();
    for unit in units.iter().filter(|u| u.bytes > 0).take(top) {
        let text = String::from_utf8_lossy(&std::fs::read(&unit.name)?).into_owned();
        let name = format!("{} grown", unit.name.rsplit('/').next().unwrap_or(&unit.name));
        large.push(time(&extractor, name, grow(&text, bytes)));
    }
    for (name, text) in generated(bytes) {
        large.push(time(&extractor, name, text));
    }
    let mut slow = 0;
    for t in &large {
        let verdict = if t.seconds_per_mb() > 1.0 {
            "SLOWER THAN 1 s/MB"
        } else {
            "ok"
        };
        slow += usize::from(t.seconds_per_mb() > 1.0);
        println!(
            "{:>8.2} MB/s  {:>6.2} MB in {:>6.3} s  {verdict:<4}  {}",
            t.bytes as f64 / 1e6 / t.seconds,
            t.bytes as f64 / 1e6,
            t.seconds,
            t.name
        );
    }
    if slow > 0 {
        return Err(format!("{slow} input(s) slower than 1 s per MB").into());
    }
    Ok(())
}
