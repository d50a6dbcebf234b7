//! Events as GDELT 2.0 event rows (the raw `*.export.CSV` layout: 61 tab-separated columns, no
//! header, no quoting), so tools that read GDELT can read our events.
//!
//! One row per dated event. Actor 1 is the acting side (visitor, source) of a directed kind and
//! the first participant otherwise; actor 2 the first participant of the other side (of another
//! country, when there is one). Actor codes and country codes are the participants' ISO 3166
//! alpha-3 countries, names are upper-cased as GDELT writes them. `EventCode` is the kind's
//! CAMEO code with its base, root and quad class, `GoldsteinScale` its Goldstein score;
//! `NumMentions`/`NumSources`/`NumArticles` count the event's mentions, distinct sources and
//! articles; `AvgTone` is 0 (we do not score document tone); `ActionGeo_FullName` is the first
//! place; `DATEADDED` the first report's publication day; `SOURCEURL` its URL (or
//! `urn:diplograph:article:ID` when it has none). `GLOBALEVENTID` is a stable 63-bit hash of the
//! event id. Undated events are left out: GDELT has no row without a date. Rows come from the
//! flat path (`export::flat`), as CSV's do, not from event views.

use std::collections::BTreeSet;
use std::io::Write;

use chrono::Datelike;

use crate::error::StoreError;
use crate::export::flat::{FlatEvent, FlatParticipant};
use crate::export::write::{ExportSink, Out};

/// Columns of a GDELT 2.0 event row.
pub(crate) const COLUMNS: usize = 61;

pub(crate) async fn write<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    let mut rows = 0u64;
    let events = out
        .each_flat(|event, buf| rows += u64::from(row(event, buf)))
        .await?;
    tracing::debug!(events, rows, "gdelt rows written (undated events left out)");
    Ok(rows)
}

/// The `GLOBALEVENTID` of an event: FNV-1a over its id, folded to 63 bits (never negative).
pub fn gdelt_event_id(id: &str) -> u64 {
    let hash = id.bytes().fold(0xcbf2_9ce4_8422_2325u64, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    });
    hash & (u64::MAX >> 1)
}

/// Writes the event's row; false when it has no date.
fn row(event: &FlatEvent<'_>, buf: &mut Vec<u8>) -> bool {
    let Some(day) = event.first_day else {
        return false;
    };
    let (actor1, actor2) = actors(event);
    let cameo = event.kind.cameo();
    let first = event.reports.first();
    let mut cols: Vec<String> = vec![String::new(); COLUMNS];
    cols[0] = gdelt_event_id(event.id).to_string();
    cols[1] = day.format("%Y%m%d").to_string();
    cols[2] = day.format("%Y%m").to_string();
    cols[3] = day.year().to_string();
    let fraction = f64::from(day.month() * 30 + day.day()) / 365.0;
    cols[4] = format!("{:.4}", f64::from(day.year()) + fraction.min(0.9999));
    for (base, actor) in [(5, actor1), (15, actor2)] {
        let Some(p) = actor else { continue };
        let code = p.country.as_deref().unwrap_or_default().to_owned();
        cols[base] = code.clone();
        cols[base + 1] = clean(&p.name).to_uppercase();
        cols[base + 2] = code;
    }
    cols[25] = u8::from(first.is_some_and(|m| m.sentence == 0)).to_string();
    cols[26] = cameo.to_owned();
    cols[27] = cameo.get(..3).unwrap_or(cameo).to_owned();
    cols[28] = cameo.get(..2).unwrap_or(cameo).to_owned();
    cols[29] = quad_class(cameo).to_string();
    cols[30] = event.kind.goldstein().to_string();
    cols[31] = event.reports.len().to_string();
    let sources: BTreeSet<&str> = event.reports.iter().filter_map(|m| m.source.as_deref()).collect();
    cols[32] = sources.len().max(1).to_string();
    let articles: BTreeSet<&str> = event.reports.iter().map(|m| m.article_id.as_ref()).collect();
    cols[33] = articles.len().to_string();
    cols[34] = "0".to_owned();
    cols[35] = "0".to_owned();
    cols[43] = "0".to_owned();
    match event.places.first() {
        Some(place) => {
            cols[51] = "4".to_owned();
            cols[52] = clean(&place.name);
        }
        None => cols[51] = "0".to_owned(),
    }
    let published = first
        .and_then(|m| m.published.as_deref())
        .and_then(|p| chrono::NaiveDate::parse_from_str(p, "%Y-%m-%d").ok())
        .unwrap_or(day);
    cols[59] = published.format("%Y%m%d000000").to_string();
    cols[60] = match first {
        Some(m) => m
            .url
            .as_deref()
            .map(clean)
            .unwrap_or_else(|| format!("urn:diplograph:article:{}", m.article_id)),
        None => format!("urn:diplograph:event:{}", event.id),
    };
    // Writing to a Vec cannot fail.
    let _ = writeln!(buf, "{}", cols.join("\t"));
    true
}

/// Actor 1 and actor 2 of the event's row.
fn actors<'e>(
    event: &'e FlatEvent<'_>,
) -> (Option<&'e FlatParticipant<'e>>, Option<&'e FlatParticipant<'e>>) {
    let ps = event.participants;
    let directed = event.kind.is_directed();

    let acting = |p: &&FlatParticipant<'_>| !directed || p.role.is_actor_side();
    let actor1 = ps.iter().find(acting).or(ps.first());
    let Some(a1) = actor1 else {
        return (None, None);
    };
    let other = |p: &&FlatParticipant<'_>| {
        p.entity_id != a1.entity_id && (!directed || p.role.is_actor_side() != a1.role.is_actor_side())
    };
    let actor2 = ps
        .iter()
        .filter(other)
        .find(|p| p.country.is_some() && p.country != a1.country)
        .or_else(|| ps.iter().find(other));
    (Some(a1), actor2)
}

/// CAMEO's four classes by root code: verbal and material cooperation, verbal and material
/// conflict.
fn quad_class(cameo: &str) -> u8 {
    match cameo.get(..2).and_then(|r| r.parse::<u8>().ok()).unwrap_or(0) {
        1..=5 => 1,
        6..=8 => 2,
        9..=13 => 3,
        _ => 4,
    }
}

/// A field without the tabs and line breaks that would split the row.
fn clean(text: &str) -> String {
    text.replace(['\t', '\n', '\r'], " ")
}

#[cfg(test)]
mod tests {
    use diplograph_core::EventKind;

    use super::*;

    #[test]
    fn event_ids_hash_to_stable_non_negative_63_bit_numbers() {
        let id = gdelt_event_id("0190a1b2-0000-7000-8000-000000000001");
        assert_eq!(id, gdelt_event_id("0190a1b2-0000-7000-8000-000000000001"));
        assert_ne!(id, gdelt_event_id("0190a1b2-0000-7000-8000-000000000002"));
        assert!(i64::try_from(id).is_ok());
    }

    #[test]
    fn quad_classes_follow_the_root_code() {
        assert_eq!(quad_class(EventKind::Visit.cameo()), 1);
        assert_eq!(quad_class(EventKind::Agreement.cameo()), 1);
        assert_eq!(quad_class(EventKind::Criticize.cameo()), 3);
        assert_eq!(quad_class(EventKind::Sanction.cameo()), 4);
        assert_eq!(quad_class("073"), 2);
    }
}
