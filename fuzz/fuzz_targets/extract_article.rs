//! The extractor on a structured article: arbitrary text with a publication date (any day the
//! store accepts, which drives relative-date resolution) and metadata.
#![no_main]

use arbitrary::Arbitrary;
use chrono::NaiveDate;
use diplograph_fuzz::{EXTRACTOR, check_extraction};
use diplograph_ingest::ArticleInput;
use libfuzzer_sys::fuzz_target;

#[derive(Arbitrary, Debug)]
struct Article {
    text: String,
    url: Option<String>,
    title: Option<String>,
    /// Days since 1800-01-01, so every value is a day within the years the store accepts.
    published: Option<u16>,
    source: Option<String>,
}

fuzz_target!(|a: Article| {
    let base = NaiveDate::from_ymd_opt(1800, 1, 1).expect("a valid day");
    let input = ArticleInput {
        text: a.text,
        url: a.url,
        title: a.title,
        published: a
            .published
            .and_then(|d| base.checked_add_days(chrono::Days::new(u64::from(d) * 2))),
        source: a.source,
    };
    let out = EXTRACTOR.extract(&input);
    check_extraction(&input.text, &out);
    assert_eq!(out.article.url, input.url);
});
