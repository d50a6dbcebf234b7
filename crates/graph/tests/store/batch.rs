//! `Store::apply_batch`: many articles in one transaction store what applying them one by one
//! stores (reports, entities, events, mentions, rollups, the memory), and an article that fails
//! inside a batch is rolled back alone while the others are stored.

use std::collections::BTreeMap;

use diplograph_core::{EntityKind, EventKind, ExtractedEntity, Extraction, Role};
use diplograph_graph::{ApplyReport, ExportFilter, ExportFormat, Store, StoreError, TiesQuery};

use crate::common::{export_text, test_stores};
use crate::fixtures::{article, code, country, event, kadhimi_visit, part, person};

/// What two stores filled with the same articles must share, ids aside (they are random): the
/// counts, every event's row without its ids, each country's ties, and exact rollups.
async fn fingerprint(store: &Store) -> (String, Vec<String>, BTreeMap<String, String>) {
    let counts = store.counts().await.unwrap();
    let (text, _) = export_text(store, ExportFormat::Csv, &ExportFilter::default()).await;
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let mut rows: Vec<String> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            // Leave out event_id, participant_ids and article_id.
            let kept: Vec<&str> = (0..r.len())
                .filter(|i| ![0, 7, 14].contains(i))
                .map(|i| &r[i])
                .collect();
            kept.join(",")
        })
        .collect();
    rows.sort();
    let mut ties = BTreeMap::new();
    for c in ["IRN", "IRQ", "USA", "FRA"] {
        ties.insert(c.to_owned(), partners(store, c).await);
    }
    assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    let counts = format!("{} {} {}", counts.articles, counts.entities, counts.events);
    (counts, rows, ties)
}

/// Articles that exercise every path: two reports of one visit, the same article twice, a
/// person first known by name only and then with a country, and a call with another country.
fn articles() -> Vec<Extraction> {
    let mut nameless = article(Some("https://example.org/rouhani"), "rouhani alone");
    let rouhani = person("r", "Hassan Rouhani", None, None);
    let irq = country("IRQ", "Iraq");
    nameless.events = vec![event(
        EventKind::PhoneCall,
        Some("2020-08-01"),
        vec![part(&rouhani, Role::Participant), part(&irq, Role::Participant)],
        "Rouhani called Iraq.",
    )];
    nameless.entities = vec![rouhani, irq];
    let mut call = article(Some("https://example.org/call"), "macron calls");
    let (fra, macron) = (
        country("FRA", "France"),
        person("m", "Emmanuel Macron", Some("FRA"), Some("President")),
    );
    let khamenei = person("k", "Ali Khamenei", Some("IRN"), None);
    call.events = vec![event(
        EventKind::PhoneCall,
        Some("2020-07-30"),
        vec![
            part(&macron, Role::Participant),
            part(&khamenei, Role::Participant),
        ],
        "Macron called Khamenei.",
    )];
    call.entities = vec![fra, macron, khamenei];
    let first = kadhimi_visit(Some("https://example.org/1"), "first report");
    vec![
        nameless,
        first.clone(),
        kadhimi_visit(Some("https://example.org/2"), "second report"),
        first,
        call,
    ]
}

/// A country's partners with their totals.
async fn partners(store: &Store, country: &str) -> String {
    let query = TiesQuery {
        latest_events: 0,
        ..TiesQuery::default()
    };
    let view = store.ties(&code(country), &query).await.unwrap();
    let partners: Vec<String> = view
        .partners
        .iter()
        .map(|p| format!("{}:{}", p.partner.as_str(), p.total))
        .collect();
    partners.join(" ")
}

fn summary(report: &ApplyReport) -> (bool, usize, usize, usize, usize, usize) {
    (
        report.duplicate,
        report.new_entities,
        report.merged_entities,
        report.new_events,
        report.deduplicated_events,
        report.event_ids.len(),
    )
}

#[tokio::test]
async fn a_batch_stores_what_one_by_one_applies_store() {
    let (singles, batched) = (test_stores().await, test_stores().await);
    for (single, batch) in singles.iter().zip(&batched) {
        let name = batch.backend_name();
        batch.load_projection().await.unwrap();
        let mut one_by_one = Vec::new();
        for x in articles() {
            one_by_one.push(summary(&single.apply(&x).await.unwrap()));
        }
        let reports = batch.apply_batch(&articles()).await.unwrap();
        let together: Vec<_> = reports.iter().map(|r| summary(r.as_ref().unwrap())).collect();
        assert_eq!(together, one_by_one, "{name}");
        assert!(together[3].0, "{name}: the repeated article is a duplicate");
        assert_eq!(together[2].4, 3, "{name}: the second report adds mentions");
        assert_eq!(fingerprint(single).await, fingerprint(batch).await, "{name}");
        // The memory followed the batch: ties from memory are what SQL says.
        let cached = partners(batch, "IRN").await;
        assert_eq!(cached, partners(&batch.uncached(), "IRN").await, "{name}");
        assert!(cached.contains("IRQ:"), "{name}: {cached}");
        // Applying the batch again changes nothing.
        let again = batch.apply_batch(&articles()).await.unwrap();
        assert!(again.iter().all(|r| r.as_ref().unwrap().duplicate), "{name}");
        assert_eq!(fingerprint(single).await, fingerprint(batch).await, "{name}");
    }
}

/// An article that fails half-way through storing: a person is resolved, then a "country"
/// without an ISO code is refused.
fn failing(url: &str) -> Extraction {
    let mut x = article(Some(url), "a bad article");
    let bogus = ExtractedEntity {
        id: "atlantis".into(),
        kind: EntityKind::Country,
        name: "Atlantis".into(),
        country: None,
        title: None,
        aliases: vec![],
    };
    x.entities = vec![person("z", "Zed Zebulon", Some("GRC"), None), bogus];
    x
}

#[tokio::test]
async fn a_failing_article_inside_a_batch_leaves_the_others_stored() {
    for store in test_stores().await {
        let name = store.backend_name();
        let mut invalid = kadhimi_visit(Some("https://example.org/invalid"), "invalid");
        invalid.events[0].confidence = 2.0;
        let batch = vec![
            kadhimi_visit(Some("https://example.org/1"), "first report"),
            failing("https://example.org/bad"),
            invalid,
            kadhimi_visit(Some("https://example.org/2"), "second report"),
        ];
        let reports = store.apply_batch(&batch).await.unwrap();
        let first = reports[0].as_ref().unwrap();
        assert_eq!(first.new_events, 3, "{name}");
        let err = reports[1].as_ref().unwrap_err().to_string();
        assert!(err.contains("ISO 3166"), "{name}: {err}");
        assert!(matches!(reports[2], Err(StoreError::InvalidInput(_))), "{name}");
        let second = reports[3].as_ref().unwrap();
        assert_eq!((second.new_events, second.deduplicated_events), (0, 3), "{name}");
        assert_eq!(second.event_ids, first.event_ids, "{name}");
        // Nothing of the failed article is kept: not its person, not its URL.
        assert!(store.person_search("zed", 5).await.unwrap().is_empty(), "{name}");
        let counts = store.counts().await.unwrap();
        assert_eq!((counts.articles, counts.events), (2, 3), "{name}");
        let mut fixed = failing("https://example.org/bad");
        fixed.entities.pop();
        let report = store.apply(&fixed).await.unwrap();
        assert!(!report.duplicate, "{name}");
        assert_eq!(report.new_entities, 1, "{name}: the person, created now");
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}
