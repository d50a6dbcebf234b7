//! Events as CSV: one row per event (RFC 4180: a field with a comma, quote or line break is
//! quoted, quotes doubled; rows end in CRLF). List columns (participants, places) are joined with
//! `|`, in the same order in every list column; provenance is the first mention (the oldest
//! report) plus the number of mentions. Rows come from the flat path (`export::flat`), not from
//! event views.

use std::io::Write;

use crate::error::StoreError;
use crate::export::flat::FlatEvent;
use crate::export::write::{ExportSink, Out};

/// The CSV columns.
pub const CSV_HEADER: [&str; 22] = [
    "event_id",
    "kind",
    "modality",
    "date",
    "confidence",
    "cameo",
    "goldstein",
    "participant_ids",
    "participant_names",
    "participant_roles",
    "participant_countries",
    "places",
    "place_countries",
    "mentions",
    "article_id",
    "url",
    "title",
    "published",
    "sentence",
    "start",
    "end",
    "evidence",
];

pub(crate) async fn write<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    out.buf.extend_from_slice(CSV_HEADER.join(",").as_bytes());
    out.buf.extend_from_slice(b"\r\n");
    out.each_flat(row).await
}

fn row(event: &FlatEvent<'_>, buf: &mut Vec<u8>) {
    let ps = event.participants;
    let places = event.places;
    for text in [event.id, event.kind.as_str(), event.modality.as_str()] {
        buf.extend_from_slice(text.as_bytes());
        buf.push(b',');
    }
    // A date is `start` or `start/end`, as `FuzzyDate` prints it.
    if let (Some(start), end) = event.date {
        buf.extend_from_slice(start.as_bytes());
        if let Some(end) = end {
            buf.push(b'/');
            buf.extend_from_slice(end.as_bytes());
        }
    }
    // Writing to a Vec cannot fail.
    let _ = write!(
        buf,
        ",{},{},{},",
        event.confidence,
        event.kind.cameo(),
        event.kind.goldstein()
    );
    list(buf, ps.iter().map(|p| p.entity_id.as_ref()));
    list(buf, ps.iter().map(|p| p.name.as_ref()));
    list(buf, ps.iter().map(|p| p.role.as_str()));
    list(buf, ps.iter().map(|p| p.country.as_deref().unwrap_or_default()));
    list(buf, places.iter().map(|p| p.name.as_ref()));
    list(
        buf,
        places.iter().map(|p| p.country.as_deref().unwrap_or_default()),
    );
    let _ = write!(buf, "{},", event.reports.len());
    match event.reports.first() {
        Some(m) => {
            field(buf, &m.article_id);
            for text in [&m.url, &m.title, &m.published] {
                buf.push(b',');
                field(buf, text.as_deref().unwrap_or_default());
            }
            let _ = write!(buf, ",{},{},{},", m.sentence, m.start, m.end);
            field(buf, &m.evidence);
        }
        None => buf.extend_from_slice(b",,,,,,,"),
    }
    buf.extend_from_slice(b"\r\n");
}

/// One field made of items joined with `|`, then the separator.
fn list<'a>(buf: &mut Vec<u8>, items: impl Iterator<Item = &'a str> + Clone) {
    let quoted = items.clone().any(needs_quotes);
    if quoted {
        buf.push(b'"');
    }
    for (i, item) in items.enumerate() {
        if i > 0 {
            buf.push(b'|');
        }
        escaped(buf, item, quoted);
    }
    if quoted {
        buf.push(b'"');
    }
    buf.push(b',');
}

/// One field, quoted when it must be.
pub(crate) fn field(buf: &mut Vec<u8>, text: &str) {
    let quoted = needs_quotes(text);
    if quoted {
        buf.push(b'"');
    }
    escaped(buf, text, quoted);
    if quoted {
        buf.push(b'"');
    }
}

fn needs_quotes(text: &str) -> bool {
    text.bytes().any(|b| matches!(b, b',' | b'"' | b'\n' | b'\r'))
}

fn escaped(buf: &mut Vec<u8>, text: &str, quoted: bool) {
    if !quoted {
        buf.extend_from_slice(text.as_bytes());
        return;
    }
    for part in text.split_inclusive('"') {
        buf.extend_from_slice(part.as_bytes());
        if part.ends_with('"') {
            buf.push(b'"');
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fields_with_separators_are_quoted_and_quotes_doubled() {
        let mut buf = Vec::new();
        field(&mut buf, "a");
        buf.push(b',');
        field(&mut buf, "b,c");
        buf.push(b',');
        field(&mut buf, "say \"hi\"\n");
        assert_eq!(String::from_utf8(buf).unwrap(), "a,\"b,c\",\"say \"\"hi\"\"\n\"");
    }

    #[test]
    fn a_list_is_quoted_as_one_field() {
        let mut buf = Vec::new();
        list(&mut buf, ["Paris", "Washington, D.C."].into_iter());
        assert_eq!(String::from_utf8(buf).unwrap(), "\"Paris|Washington, D.C.\",");
    }
}
