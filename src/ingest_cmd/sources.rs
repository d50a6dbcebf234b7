//! What `ingest` reads: the paths named on the command line, expanded (directories recursively,
//! `-` for standard input), then read one file at a time on a thread of their own.

use std::io::Read;
use std::path::{Path, PathBuf};

use diplograph_ingest::{ArticleInput, parse_articles};
use tokio::sync::mpsc::Sender;

/// File extensions read inside a directory; a file named on the command line is always read.
const ARTICLE_EXTENSIONS: [&str; 5] = ["txt", "text", "json", "jsonl", "ndjson"];

/// One input to read.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) enum Source {
    Stdin,
    File { path: PathBuf, bytes: u64 },
}

/// What the reader hands on: an article to extract and store, or an input that failed.
#[derive(Debug)]
pub(crate) enum Item {
    Article {
        origin: String,
        input: Box<ArticleInput>,
        /// The article's share of its file's bytes, for the progress bar.
        bytes: u64,
    },
    Failed {
        origin: String,
        reason: String,
    },
}

/// The files to read, in command-line order (directories sorted by path), and the paths that
/// could not be listed, with their reasons.
pub(crate) fn expand(paths: &[PathBuf]) -> (Vec<Source>, Vec<(String, String)>) {
    let mut sources = Vec::new();
    let mut failed = Vec::new();
    for path in paths {
        if path.as_os_str() == "-" {
            sources.push(Source::Stdin);
            continue;
        }
        match std::fs::metadata(path) {
            Ok(meta) if meta.is_dir() => walk(path, &mut sources, &mut failed),
            Ok(meta) => sources.push(Source::File {
                path: path.clone(),
                bytes: meta.len(),
            }),
            Err(err) => failed.push((path.display().to_string(), err.to_string())),
        }
    }
    (sources, failed)
}

fn walk(dir: &Path, sources: &mut Vec<Source>, failed: &mut Vec<(String, String)>) {
    let entries = match std::fs::read_dir(dir) {
        Ok(entries) => entries,
        Err(err) => {
            failed.push((dir.display().to_string(), err.to_string()));
            return;
        }
    };
    let mut paths: Vec<PathBuf> = entries.filter_map(|e| e.ok().map(|e| e.path())).collect();
    paths.sort();
    for path in paths {
        let hidden = path
            .file_name()
            .and_then(|n| n.to_str())
            .is_some_and(|n| n.starts_with('.'));
        if hidden {
            continue;
        }
        match std::fs::metadata(&path) {
            Ok(meta) if meta.is_dir() => walk(&path, sources, failed),
            Ok(meta) if is_article_file(&path) => sources.push(Source::File {
                path,
                bytes: meta.len(),
            }),
            Ok(_) => tracing::debug!("skipping {} (not an article file)", path.display()),
            Err(err) => failed.push((path.display().to_string(), err.to_string())),
        }
    }
}

fn is_article_file(path: &Path) -> bool {
    match path.extension().and_then(|e| e.to_str()) {
        None => true,
        Some(ext) => ARTICLE_EXTENSIONS.contains(&ext.to_ascii_lowercase().as_str()),
    }
}

/// Reads every source in order and sends its articles (or its failures) down `tx`. Runs on a
/// thread of its own; stops early when the receiver is gone.
pub(crate) fn read_all(sources: Vec<Source>, tx: Sender<Item>) {
    for source in sources {
        let (origin, text) = match &source {
            Source::Stdin => ("-".to_owned(), read_stdin()),
            Source::File { path, .. } => (path.display().to_string(), read_file(path)),
        };
        let items = match text {
            Ok(text) => split(&origin, &text, source_bytes(&source, &text)),
            Err(reason) => vec![Item::Failed { origin, reason }],
        };
        for item in items {
            if tx.blocking_send(item).is_err() {
                return;
            }
        }
    }
}

fn source_bytes(source: &Source, text: &str) -> u64 {
    match source {
        Source::Stdin => text.len() as u64,
        Source::File { bytes, .. } => *bytes,
    }
}

/// The articles of one input, each with its share of the input's bytes.
fn split(origin: &str, text: &str, bytes: u64) -> Vec<Item> {
    let parsed = parse_articles(text);
    let n = parsed.len().max(1) as u64;
    let mut items = Vec::with_capacity(parsed.len());
    for (i, res) in parsed.into_iter().enumerate() {
        // The last item takes the rounding remainder, so a file adds up to its size.
        let share = if i as u64 == n - 1 {
            bytes - (bytes / n) * (n - 1)
        } else {
            bytes / n
        };
        items.push(match res {
            Ok(input) => Item::Article {
                origin: origin.to_owned(),
                input: Box::new(input),
                bytes: share,
            },
            Err(err) => Item::Failed {
                origin: origin.to_owned(),
                reason: err.to_string(),
            },
        });
    }
    items
}

fn read_file(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read the file: {e}"))?;
    String::from_utf8(bytes).map_err(|_| "the file is not valid UTF-8".to_owned())
}

fn read_stdin() -> Result<String, String> {
    let mut buf = Vec::new();
    std::io::stdin()
        .read_to_end(&mut buf)
        .map_err(|e| format!("cannot read standard input: {e}"))?;
    String::from_utf8(buf).map_err(|_| "standard input is not valid UTF-8".to_owned())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn directories_are_walked_recursively_in_path_order_skipping_other_files() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("b/c")).unwrap();
        for name in [
            "b/c/z.txt",
            "a.jsonl",
            "b/y.json",
            "skip.png",
            ".hidden.txt",
            "NOEXT",
        ] {
            std::fs::write(dir.path().join(name), "x").unwrap();
        }
        let (sources, failed) = expand(&[dir.path().to_path_buf(), dir.path().join("missing")]);
        let names: Vec<String> = sources
            .iter()
            .map(|s| match s {
                Source::File { path, .. } => path.strip_prefix(dir.path()).unwrap().display().to_string(),
                Source::Stdin => "-".into(),
            })
            .collect();
        assert_eq!(names, ["NOEXT", "a.jsonl", "b/c/z.txt", "b/y.json"]);
        assert_eq!(failed.len(), 1);
        assert!(failed[0].0.ends_with("missing"));
    }

    #[test]
    fn a_file_is_split_into_articles_whose_bytes_add_up() {
        let text = "{\"text\":\"Iran hailed Iraq.\"}\nnot json\n{\"text\":\"Iraq hailed Iran.\"}\n";
        let items = split("f.jsonl", text, 100);
        assert_eq!(items.len(), 3);
        let total: u64 = items
            .iter()
            .map(|i| match i {
                Item::Article { bytes, .. } => *bytes,
                Item::Failed { .. } => 0,
            })
            .sum();
        assert_eq!(total, 67);
        assert!(matches!(&items[1], Item::Failed { reason, .. } if reason.starts_with("line 2")));
    }
}
