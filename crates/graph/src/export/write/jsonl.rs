//! The `jsonl` export: the entity records, then the article records, then the event records,
//! one JSON object per line (see `export::records` for the fields). `import --format jsonl`
//! reads it back.

use serde::Serialize;

use crate::error::StoreError;
use crate::export::write::{ExportSink, Out, json};
use crate::export::{ArticleRecord, EntityRecord, EventRecord};

/// A borrowed `Record`: the same lines without copying each item.
#[derive(Serialize)]
#[serde(tag = "type", rename_all = "lowercase")]
enum Line<'a> {
    Entity(&'a EntityRecord),
    Article(&'a ArticleRecord),
    Event(&'a EventRecord),
}

pub(crate) async fn write<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    let mut n = out
        .each(|e: &EntityRecord, buf| line(buf, &Line::Entity(e)))
        .await?;
    n += out
        .each(|a: &ArticleRecord, buf| line(buf, &Line::Article(a)))
        .await?;
    n += out
        .each(|e: &EventRecord, buf| line(buf, &Line::Event(e)))
        .await?;
    Ok(n)
}

fn line(buf: &mut Vec<u8>, record: &Line<'_>) -> Result<(), StoreError> {
    json(buf, record)?;
    buf.push(b'\n');
    Ok(())
}
