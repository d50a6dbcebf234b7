//! What the fuzz targets share: one extractor for the whole process, and the invariants every
//! extraction must keep whatever the input (offsets inside the text and on char boundaries,
//! spans that quote the text, participants that name an entity, confidences in 0–1).
//! A broken invariant panics, which libFuzzer reports as a crash with the input that caused it.

use std::collections::HashSet;
use std::sync::LazyLock;

use diplograph_ingest::Extractor;

/// Built once per process: compiling the gazetteer takes far longer than one extraction.
pub static EXTRACTOR: LazyLock<Extractor> =
    LazyLock::new(|| Extractor::new().expect("the embedded gazetteer compiles"));

/// Panics unless `out` is a well-formed extraction of `text`.
pub fn check_extraction(text: &str, out: &diplograph_core::Extraction) {
    assert_eq!(out.article.text_bytes, text.len(), "text_bytes");
    assert_eq!(out.article.text_hash.len(), 64, "text_hash is 64 hex digits");
    let ids: HashSet<&str> = out.entities.iter().map(|e| e.id.as_str()).collect();
    assert_eq!(ids.len(), out.entities.len(), "entity ids are unique");
    for entity in &out.entities {
        assert!(
            !entity.name.trim().is_empty(),
            "entity {:?} has a name",
            entity.id
        );
    }
    for event in &out.events {
        let ev = &event.evidence;
        assert_eq!(
            quote(text, ev.start, ev.end),
            Some(ev.text.as_str()),
            "evidence quotes the text"
        );
        if let Some(trigger) = &event.trigger {
            assert_eq!(
                quote(text, trigger.start, trigger.end),
                Some(trigger.text.as_str()),
                "trigger"
            );
            assert!(
                ev.start <= trigger.start && trigger.end <= ev.end,
                "trigger inside its sentence"
            );
        }
        assert!(
            (0.0..=1.0).contains(&event.confidence),
            "confidence {}",
            event.confidence
        );
        assert!(!event.participants.is_empty(), "an event has participants");
        for p in &event.participants {
            // A participant the extractor did not list is resolved by the store from its own
            // fields, so it must carry them.
            assert!(
                ids.contains(p.entity.as_str()) || !p.name.trim().is_empty(),
                "participant {:?} is an extracted entity or has a name",
                p.entity
            );
            if let Some(m) = &p.mention {
                assert_eq!(
                    quote(text, m.start, m.end),
                    Some(m.text.as_str()),
                    "participant mention"
                );
            }
        }
    }
}

/// `text[start..end]`, when that is a valid slice.
fn quote(text: &str, start: usize, end: usize) -> Option<&str> {
    if start > end {
        return None;
    }
    text.get(start..end)
}
