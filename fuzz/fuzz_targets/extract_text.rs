//! The extractor on arbitrary bytes read as text (invalid UTF-8 replaced), no metadata: never
//! panics, and the extraction keeps its invariants.
#![no_main]

use diplograph_fuzz::{EXTRACTOR, check_extraction};
use diplograph_ingest::ArticleInput;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let input = ArticleInput::from_text(String::from_utf8_lossy(data).into_owned());
    let out = EXTRACTOR.extract(&input);
    check_extraction(&input.text, &out);
});
