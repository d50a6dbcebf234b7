//! Events as CSV (one row per event, RFC 4180 quoting) or JSON Lines (one event view per line).

use std::io::Write;

use anyhow::Context;
use diplograph_graph::{EventView, ExportFilter, Store};

use crate::export_cmd::first_page;

/// The CSV columns. Lists (participants, places) are joined with `|`, in the same order in
/// every list column; provenance is the first mention (oldest report) plus the mention count.
pub(crate) const CSV_HEADER: [&str; 22] = [
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

/// Writes the events as CSV; returns how many.
pub(crate) async fn csv(store: &Store, filter: &ExportFilter, out: &mut impl Write) -> anyhow::Result<u64> {
    write_row(out, CSV_HEADER.iter().map(|s| (*s).to_owned()))?;
    each_page(store, filter, |event| write_row(out, csv_row(event))).await
}

/// Writes the events as JSON Lines; returns how many.
pub(crate) async fn jsonl(store: &Store, filter: &ExportFilter, out: &mut impl Write) -> anyhow::Result<u64> {
    each_page(store, filter, |event| {
        serde_json::to_writer(&mut *out, event).context("writing JSON")?;
        out.write_all(b"\n").context("writing the export")
    })
    .await
}

async fn each_page(
    store: &Store,
    filter: &ExportFilter,
    mut write: impl FnMut(&EventView) -> anyhow::Result<()>,
) -> anyhow::Result<u64> {
    let mut page = first_page();
    let mut written = 0u64;
    loop {
        let events = store
            .export_events(filter, &page)
            .await
            .context("reading events")?;
        for event in &events.items {
            write(event)?;
            written += 1;
        }
        match events.next_cursor {
            Some(cursor) => page.cursor = Some(cursor),
            None => return Ok(written),
        }
    }
}

fn csv_row(event: &EventView) -> Vec<String> {
    let join = |f: &dyn Fn(usize) -> String, n: usize| (0..n).map(f).collect::<Vec<_>>().join("|");
    let ps = &event.participants;
    let places = &event.places;
    let opt = |c: Option<&diplograph_core::CountryCode>| c.map(|c| c.to_string()).unwrap_or_default();
    let first = event.mentions.first();
    let date = if event.date.is_unknown() {
        String::new()
    } else {
        event.date.to_string()
    };
    vec![
        event.id.to_string(),
        event.kind.as_str().to_owned(),
        event.modality.as_str().to_owned(),
        date,
        event.confidence.to_string(),
        event.kind.cameo().to_owned(),
        event.kind.goldstein().to_string(),
        join(&|i| ps[i].entity_id.to_string(), ps.len()),
        join(&|i| ps[i].name.clone(), ps.len()),
        join(&|i| ps[i].role.as_str().to_owned(), ps.len()),
        join(&|i| opt(ps[i].country.as_ref()), ps.len()),
        join(&|i| places[i].name.clone(), places.len()),
        join(&|i| opt(places[i].country.as_ref()), places.len()),
        event.mentions.len().to_string(),
        first.map(|m| m.article_id.to_string()).unwrap_or_default(),
        first.and_then(|m| m.url.clone()).unwrap_or_default(),
        first.and_then(|m| m.title.clone()).unwrap_or_default(),
        first.and_then(|m| m.published.clone()).unwrap_or_default(),
        first.map(|m| m.sentence.to_string()).unwrap_or_default(),
        first.map(|m| m.start.to_string()).unwrap_or_default(),
        first.map(|m| m.end.to_string()).unwrap_or_default(),
        first.map(|m| m.evidence.clone()).unwrap_or_default(),
    ]
}

/// One CSV record: fields with a comma, quote or line break are quoted, quotes doubled.
fn write_row(out: &mut impl Write, fields: impl IntoIterator<Item = String>) -> anyhow::Result<()> {
    let mut line = String::new();
    for (i, field) in fields.into_iter().enumerate() {
        if i > 0 {
            line.push(',');
        }
        if field.contains([',', '"', '\n', '\r']) {
            line.push('"');
            line.push_str(&field.replace('"', "\"\""));
            line.push('"');
        } else {
            line.push_str(&field);
        }
    }
    line.push_str("\r\n");
    out.write_all(line.as_bytes()).context("writing the export")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_fields_with_separators_are_quoted() {
        let mut out = Vec::new();
        write_row(
            &mut out,
            ["a".to_owned(), "b,c".to_owned(), "say \"hi\"\n".to_owned()],
        )
        .unwrap();
        assert_eq!(
            String::from_utf8(out).unwrap(),
            "a,\"b,c\",\"say \"\"hi\"\"\n\"\r\n"
        );
    }
}
