//! The extractor never panics and finishes on any input: arbitrary UTF-8, word soup built from
//! its own lexicon (which reaches the deep frame and date code), empty, huge, all-caps and
//! punctuation-free texts.

use diplograph_ingest::{ArticleInput, Extractor};
use proptest::prelude::*;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new().expect("gazetteer compiles"))
}

fn article(text: &str) -> ArticleInput {
    ArticleInput {
        published: "2020-07-22".parse().ok(),
        ..ArticleInput::from_text(text)
    }
}

const SEED: &str = include_str!("data/tehran-2020-07-22.txt");

const VOCAB: &[&str] = &[
    "Iran",
    "Iraqi",
    "the",
    "U.S.",
    "Prime Minister",
    "President",
    "Ayatollah",
    "Ali",
    "Khamenei",
    "Rouhani",
    "met",
    "with",
    "visited",
    "arrived in",
    "Tehran",
    "Baghdad",
    "and",
    ",",
    ".",
    "“",
    "”",
    "\"",
    "'s",
    "’s",
    "he",
    "she",
    "her",
    "we",
    "our",
    "said",
    "on Saturday",
    "yesterday",
    "March 4",
    "in May",
    "last week",
    "who",
    "whom",
    ", who",
    "talks",
    "held talks with",
    "signed an agreement",
    "the two countries",
    "both",
    "sides",
    "Russian",
    "Chinese",
    "officials",
    "other",
    "senior",
    "of the country",
    "will",
    "not",
    "if",
    "postponed",
    "cancelled",
    "a two-day visit to",
    "counterpart",
    "Ambassador to",
    "of",
    "China",
    "by",
    "was signed by",
    "the parties",
    "agreed to",
    "offered to",
    "al-",
    "bin",
    "Mr.",
    "Jan.",
    "(",
    ")",
    ";",
    ":",
    "-",
    "—",
    "\n\n",
    "\n    ",
    "date 2020-07-22 TEHRAN —",
    "WASHINGTON, March 4 -",
    "here",
    "there",
    "after a meeting with",
    "At a press conference with",
    "telephone",
    "by phone",
    "invited",
    "hailed",
    "Leader of the Islamic Revolution",
    "Foreign Minister",
    "0",
    "1987",
    "2020-07-21",
    "tonight",
    "first",
];

fn soup() -> impl Strategy<Value = String> {
    prop::collection::vec(prop::sample::select(VOCAB), 0..120).prop_map(|words| words.join(" "))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    #[test]
    fn arbitrary_unicode_never_panics(text in "\\PC{0,400}") {
        let out = extractor().extract(&article(&text));
        for e in &out.events {
            prop_assert!(e.evidence.end <= text.len() && text.is_char_boundary(e.evidence.start));
        }
    }

    #[test]
    fn lexicon_soup_never_panics_and_offsets_hold(text in soup()) {
        let out = extractor().extract(&article(&text));
        for e in &out.events {
            prop_assert_eq!(&text[e.evidence.start..e.evidence.end], e.evidence.text.as_str());
            prop_assert!(!e.participants.is_empty());
        }
    }
}

#[test]
fn empty_and_blank_texts_give_nothing() {
    for text in ["", " ", "\n\n\t", ".", "date 2020-07-22 TEHRAN —"] {
        let out = extractor().extract(&article(text));
        assert!(out.events.is_empty(), "{text:?}");
    }
}

#[test]
fn all_caps_and_punctuation_free_copies_of_the_seed_finish() {
    let caps = extractor().extract(&article(&SEED.to_uppercase()));
    assert_eq!(caps.article.dateline.as_deref(), Some("Tehran"));
    let bare: String = SEED
        .chars()
        .filter(|c| c.is_alphanumeric() || c.is_whitespace())
        .collect();
    let out = extractor().extract(&article(&bare));
    assert!(
        out.events.len() <= 40,
        "a punctuation-free text yields a bounded number of events"
    );
}

#[test]
fn a_five_megabyte_article_is_read_without_panicking() {
    let mut text = String::with_capacity(5 * 1024 * 1024 + SEED.len());
    while text.len() < 5 * 1024 * 1024 {
        text.push_str(SEED);
    }
    let out = extractor().extract(&article(&text));
    assert!(out.events.len() > 100, "the repeated seed keeps yielding events");
    assert!(
        out.warnings.iter().any(|w| w.code == "too_many_sentences"),
        "long texts are capped with a warning"
    );
}
