//! Entities and events as one JSON-LD 1.1 document with its context inline (nothing is fetched).
//!
//! The vocabulary: schema.org where it fits (`Country`, `Person`, `Organization`, `Place`,
//! `Event` with `startDate`/`endDate`/`location`, `NewsArticle` with `url`, `headline`,
//! `datePublished`), and our own terms under `urn:diplograph:vocab:` (`kind`, `cameo`,
//! `goldstein`, `modality`, `confidence`, `participant` with `agent`/`role`/`country`, `mention`
//! with `article`/`sentence`/`start`/`end`/`evidence`/`extractor`). Nodes are named
//! `urn:diplograph:entity:ID`, `urn:diplograph:event:ID` and `urn:diplograph:article:ID`.
//! `@graph` holds the entities taking part in the events first, then the events.

use serde_json::{Value, json};

use crate::error::StoreError;
use crate::export::write::{ExportSink, Out};
use crate::model::{EventView, NodeView};

/// The vocabulary's namespace.
pub const VOCAB: &str = "urn:diplograph:vocab:";

fn context() -> Value {
    let id = |term: &str| json!({ "@id": term, "@type": "@id" });
    let typed = |term: &str, ty: &str| json!({ "@id": term, "@type": ty });
    json!({
        "schema": "https://schema.org/",
        "dg": VOCAB,
        "xsd": "http://www.w3.org/2001/XMLSchema#",
        "Country": "schema:Country",
        "Person": "schema:Person",
        "Organization": "schema:Organization",
        "Place": "schema:Place",
        "Event": "schema:Event",
        "NewsArticle": "schema:NewsArticle",
        "name": "schema:name",
        "startDate": "schema:startDate",
        "endDate": "schema:endDate",
        "location": "schema:location",
        "url": id("schema:url"),
        "headline": "schema:headline",
        "datePublished": "schema:datePublished",
        "publisher": "schema:publisher",
        "kind": "dg:kind",
        "cameo": "dg:cameo",
        "goldstein": typed("dg:goldstein", "xsd:double"),
        "modality": "dg:modality",
        "confidence": typed("dg:confidence", "xsd:double"),
        "participant": { "@id": "dg:participant", "@container": "@list" },
        "agent": id("dg:agent"),
        "role": "dg:role",
        "country": id("dg:country"),
        "mention": { "@id": "dg:mention", "@container": "@list" },
        "article": "dg:article",
        "sentence": typed("dg:sentence", "xsd:integer"),
        "start": typed("dg:start", "xsd:integer"),
        "end": typed("dg:end", "xsd:integer"),
        "evidence": "dg:evidence",
        "extractor": "dg:extractor",
    })
}

pub(crate) async fn write<S: ExportSink>(out: &mut Out<'_, S>) -> Result<u64, StoreError> {
    let head = json!({ "@context": context() }).to_string();
    // `{"@context":{…}` then `,"@graph":[` items `]}`.
    out.buf.extend_from_slice(&head.as_bytes()[..head.len() - 1]);
    out.buf.extend_from_slice(b",\"@graph\":[\n");
    let mut first = true;
    let mut n = out
        .each(|node: &NodeView, buf| item(buf, &mut first, &entity(node)))
        .await?;
    n += out
        .each(|event: &EventView, buf| item(buf, &mut first, &event_node(event)))
        .await?;
    out.buf.extend_from_slice(b"\n]}\n");
    Ok(n)
}

fn item(buf: &mut Vec<u8>, first: &mut bool, value: &Value) -> Result<(), StoreError> {
    if !std::mem::take(first) {
        buf.extend_from_slice(b",\n");
    }
    super::json(buf, value)
}

fn iri(kind: &str, id: &str) -> String {
    format!("urn:diplograph:{kind}:{id}")
}

fn entity(node: &NodeView) -> Value {
    let ty = match node.kind {
        diplograph_core::EntityKind::Country => "Country",
        diplograph_core::EntityKind::Person => "Person",
        diplograph_core::EntityKind::Organization => "Organization",
        diplograph_core::EntityKind::Place => "Place",
    };
    let mut value = json!({
        "@id": iri("entity", node.id.as_str()),
        "@type": ty,
        "name": node.name,
    });
    if let Some(country) = node.country {
        value["country"] = json!(iri("entity", country.as_str()));
    }
    value
}

fn event_node(event: &EventView) -> Value {
    let participants: Vec<Value> = event
        .participants
        .iter()
        .map(|p| {
            let mut value = json!({ "agent": iri("entity", p.entity_id.as_str()), "role": p.role.as_str() });
            if let Some(country) = p.country {
                value["country"] = json!(iri("entity", country.as_str()));
            }
            value
        })
        .collect();
    let places: Vec<Value> = event
        .places
        .iter()
        .map(|p| {
            let mut value = json!({ "@type": "Place", "name": p.name });
            if let Some(id) = &p.entity_id {
                value["@id"] = json!(iri("entity", id.as_str()));
            }
            if let Some(country) = p.country {
                value["country"] = json!(iri("entity", country.as_str()));
            }
            value
        })
        .collect();
    let mentions: Vec<Value> = event
        .mentions
        .iter()
        .map(|m| {
            let mut article = json!({ "@id": iri("article", m.article_id.as_str()), "@type": "NewsArticle" });
            for (key, text) in [
                ("url", &m.url),
                ("headline", &m.title),
                ("datePublished", &m.published),
                ("publisher", &m.source),
            ] {
                if let Some(text) = text {
                    article[key] = json!(text);
                }
            }
            json!({
                "article": article,
                "sentence": m.sentence,
                "start": m.start,
                "end": m.end,
                "evidence": m.evidence,
                "extractor": m.extractor,
            })
        })
        .collect();
    let mut value = json!({
        "@id": iri("event", event.id.as_str()),
        "@type": "Event",
        "name": format!("{} ({})", event.kind, event.modality.as_str()),
        "kind": event.kind.as_str(),
        "cameo": event.kind.cameo(),
        "goldstein": event.kind.goldstein(),
        "modality": event.modality.as_str(),
        "confidence": event.confidence,
        "participant": participants,
        "location": places,
        "mention": mentions,
    });
    if let Some(start) = event.date.start() {
        value["startDate"] = json!(start.to_string());
        value["endDate"] = json!(event.date.end().unwrap_or(start).to_string());
    }
    value
}
