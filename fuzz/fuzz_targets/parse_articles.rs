//! The input parser of `diplograph extract` and `ingest` (a JSON object, a JSON array, JSON
//! Lines or plain text) on arbitrary bytes: never panics, and every article it accepts is valid.
#![no_main]

use diplograph_ingest::{IngestError, parse_articles};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let lines = text.lines().count();
    for item in parse_articles(text) {
        match item {
            Ok(article) => assert!(article.validate().is_ok(), "accepted articles are valid"),
            Err(IngestError::Line { line, .. }) => assert!(line >= 1 && line <= lines, "line {line}"),
            Err(_) => {}
        }
    }
});
