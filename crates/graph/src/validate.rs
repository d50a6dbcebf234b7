//! Checks an extraction before anything is written, so bad input is rejected whole.

use diplograph_core::Extraction;

use crate::error::StoreError;

/// Longest URL, title, name or evidence sentence accepted.
const MAX_FIELD_BYTES: usize = 64 * 1024;

/// Rejects what the database cannot store faithfully: a malformed text hash, NUL bytes (which
/// PostgreSQL refuses), overlong fields, confidences outside 0–1.
pub(crate) fn extraction(extraction: &Extraction) -> Result<(), StoreError> {
    let article = &extraction.article;
    let hash = &article.text_hash;
    if hash.len() != 64 || !hash.bytes().all(|b| b.is_ascii_hexdigit()) {
        return Err(StoreError::InvalidInput(
            "text_hash must be 64 hex digits (see text_hash())".into(),
        ));
    }
    let meta = [&article.url, &article.title, &article.source, &article.dateline];
    for value in meta.into_iter().flatten() {
        text("article field", value)?;
    }
    for entity in &extraction.entities {
        text("entity name", &entity.name)?;
        entity.aliases.iter().try_for_each(|a| text("alias", a))?;
    }
    for event in &extraction.events {
        text("evidence", &event.evidence.text)?;
        if !(0.0..=1.0).contains(&event.confidence) {
            return Err(StoreError::InvalidInput(format!(
                "confidence {} outside 0–1",
                event.confidence
            )));
        }
        for p in &event.participants {
            text("participant name", &p.name)?;
        }
        for place in &event.places {
            text("place name", &place.name)?;
        }
    }
    Ok(())
}

fn text(what: &str, value: &str) -> Result<(), StoreError> {
    if value.contains('\0') {
        return Err(StoreError::InvalidInput(format!("{what} contains a NUL byte")));
    }
    if value.len() > MAX_FIELD_BYTES {
        return Err(StoreError::InvalidInput(format!(
            "{what} longer than {MAX_FIELD_BYTES} bytes"
        )));
    }
    Ok(())
}
