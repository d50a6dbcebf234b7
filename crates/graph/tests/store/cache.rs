//! Reads served from memory (rollups, timelines, cached events) give exactly what SQL gives
//! (`Store::uncached`), after loading, after an apply, a deduplicated report and a merge, and
//! after another process wrote to the same database.

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityId, EntityKind, EventKind, Modality, Role};
use diplograph_graph::{
    BilateralQuery, EventFilter, ImportFormat, ImportOptions, Interval, MergeRequest, PageRequest, Silent,
    Store, Subject, TiesQuery, TimelineQuery,
};
use serde_json::Value;

use crate::common::test_stores;
use crate::fixtures::{article, code, country, event, kadhimi_visit, part, person};
use crate::import::data;

/// JSON with every float rounded to 9 decimals: sums taken in another order may differ in the
/// last bits.
fn rounded(value: impl serde::Serialize) -> Value {
    fn walk(v: Value) -> Value {
        match v {
            Value::Number(n) if n.is_f64() => {
                let x = (n.as_f64().unwrap_or_default() * 1e9).round() / 1e9;
                serde_json::json!(x)
            }
            Value::Array(items) => Value::Array(items.into_iter().map(walk).collect()),
            Value::Object(map) => Value::Object(map.into_iter().map(|(k, v)| (k, walk(v))).collect()),
            other => other,
        }
    }
    walk(serde_json::to_value(value).unwrap())
}

fn day(s: &str) -> Option<NaiveDate> {
    s.parse().ok()
}

/// A few filters that exercise every path: totals, kinds, a date range, another modality.
fn filters() -> Vec<EventFilter> {
    vec![
        EventFilter::default(),
        EventFilter {
            kinds: vec![EventKind::Meet, EventKind::Visit],
            ..EventFilter::default()
        },
        EventFilter {
            from: day("2010-01-01"),
            to: day("2019-06-30"),
            ..EventFilter::default()
        },
        EventFilter {
            to: day("2016-07-01"),
            kinds: vec![EventKind::Talks],
            ..EventFilter::default()
        },
        EventFilter {
            modality: Modality::Planned,
            ..EventFilter::default()
        },
        // Bounds on the very days of events (GDELT's, the seed visit's).
        EventFilter {
            to: day("2016-07-01"),
            ..EventFilter::default()
        },
        EventFilter {
            from: day("2020-07-21"),
            to: day("2020-07-21"),
            ..EventFilter::default()
        },
    ]
}

/// Planned and undated events next to the asserted ones.
async fn apply_extras(store: &Store) {
    store
        .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
        .await
        .unwrap();
    let mut x = article(Some("https://b.example/2"), "text b");
    let irn = country("IRN", "Iran");
    let usa = country("USA", "United States");
    let zarif = person("p1", "Javad Zarif", Some("IRN"), Some("Foreign Minister"));
    let mut planned = event(
        EventKind::Visit,
        Some("2020-08"),
        vec![part(&zarif, Role::Visitor), part(&usa, Role::Host)],
        "Zarif will visit Washington.",
    );
    planned.modality = Modality::Planned;
    let undated = event(
        EventKind::Criticize,
        None,
        vec![part(&irn, Role::Source), part(&usa, Role::Target)],
        "Iran criticized the United States.",
    );
    x.entities = vec![irn, usa, zarif];
    x.events = vec![planned, undated];
    store.apply(&x).await.unwrap();
}

async fn countries(store: &Store) -> Vec<CountryCode> {
    let ranked = store
        .uncached()
        .centrality(EntityKind::Country, &EventFilter::default(), 1000)
        .await
        .unwrap();
    ranked.iter().map(|e| code(e.id.as_str())).collect()
}

async fn people(store: &Store) -> Vec<EntityId> {
    let mut ids: Vec<EntityId> = Vec::new();
    for prefix in ["person", "kadhimi", "zarif", "khamenei"] {
        let found = store.person_search(prefix, 6).await.unwrap();
        ids.extend(found.into_iter().map(|e| e.id));
    }
    ids
}

/// Every read of both handles, compared.
async fn assert_same(store: &Store, when: &str) {
    let sql = store.uncached();
    let name = format!("{} {when}", store.backend_name());
    let mut codes = countries(store).await;
    assert!(codes.len() > 5, "{name}");
    codes.truncate(30);
    for filter in filters() {
        let ties = TiesQuery {
            filter: filter.clone(),
            latest_events: 7,
        };
        for c in &codes {
            let (a, b) = (
                store.ties(c, &ties).await.unwrap(),
                sql.ties(c, &ties).await.unwrap(),
            );
            assert_eq!(rounded(&a), rounded(&b), "{name}: ties {c} {filter:?}");
        }
        for (x, y) in codes.iter().zip(codes.iter().skip(1)).take(6) {
            for interval in [Interval::Day, Interval::Week, Interval::Month, Interval::Year] {
                let query = BilateralQuery {
                    filter: filter.clone(),
                    interval,
                    events: PageRequest {
                        cursor: None,
                        limit: 4,
                    },
                };
                let (a, b) = (
                    store.bilateral(x, y, &query).await.unwrap(),
                    sql.bilateral(x, y, &query).await.unwrap(),
                );
                assert_eq!(
                    rounded(&a),
                    rounded(&b),
                    "{name}: bilateral {x} {y} {interval:?} {filter:?}"
                );
            }
        }
        for c in codes.iter().take(6) {
            for interval in [Interval::Week, Interval::Year] {
                let (a, b) = (
                    store.series(c, None, &filter, interval).await.unwrap(),
                    sql.series(c, None, &filter, interval).await.unwrap(),
                );
                assert_eq!(
                    rounded(&a),
                    rounded(&b),
                    "{name}: series {c} {interval:?} {filter:?}"
                );
                let partner = code("USA");
                let (a, b) = (
                    store.series(c, Some(&partner), &filter, interval).await.unwrap(),
                    sql.series(c, Some(&partner), &filter, interval).await.unwrap(),
                );
                assert_eq!(rounded(&a), rounded(&b), "{name}: series {c} USA {interval:?}");
            }
        }
        let (a, b) = (
            store.centrality(EntityKind::Country, &filter, 50).await.unwrap(),
            sql.centrality(EntityKind::Country, &filter, 50).await.unwrap(),
        );
        assert_eq!(rounded(&a), rounded(&b), "{name}: country centrality {filter:?}");
    }
    let mut subjects: Vec<Subject> = people(store).await.into_iter().map(Subject::Entity).collect();
    subjects.extend(codes.iter().take(5).map(|c| Subject::Country(*c)));
    subjects.extend(["SAU", "EGY", "IRQ"].map(|c| Subject::Country(code(c))));
    subjects.push(Subject::Entity(EntityId::parse("IRN").unwrap()));
    let counterparts = [
        None,
        Some(Subject::Country(code("USA"))),
        Some(Subject::Country(code("IRN"))),
    ];
    for subject in &subjects {
        for counterpart in &counterparts {
            for filter in filters() {
                assert_same_pages(store, &sql, subject, counterpart.as_ref(), &filter, &name).await;
            }
        }
    }
}

/// Three pages of a timeline, following the cursors.
async fn assert_same_pages(
    store: &Store,
    sql: &Store,
    subject: &Subject,
    counterpart: Option<&Subject>,
    filter: &EventFilter,
    name: &str,
) {
    let mut query = TimelineQuery {
        subject: subject.clone(),
        counterpart: counterpart.cloned(),
        filter: filter.clone(),
        page: PageRequest {
            cursor: None,
            limit: 3,
        },
    };
    for _ in 0..3 {
        let (a, b) = (
            store.timeline(&query).await.unwrap(),
            sql.timeline(&query).await.unwrap(),
        );
        assert_eq!(
            rounded(&a),
            rounded(&b),
            "{name}: timeline {subject:?} with {counterpart:?} {filter:?}"
        );
        match a.next_cursor {
            Some(cursor) => query.page.cursor = Some(cursor),
            None => break,
        }
    }
}

#[tokio::test]
async fn reads_from_memory_equal_reads_from_sql() {
    for store in test_stores().await {
        let options = ImportOptions {
            batch_rows: 97,
            defer_indexes: None,
        };
        store
            .import(ImportFormat::Bench, &data("bench"), &options, &Silent)
            .await
            .unwrap();
        store
            .import(
                ImportFormat::Gdelt2,
                &data("gdelt2_sample.export.CSV"),
                &options,
                &Silent,
            )
            .await
            .unwrap();
        apply_extras(&store).await;
        assert_eq!(store.projection_size(), None);
        let (nodes, edges) = store.load_projection().await.unwrap();
        assert_eq!(store.projection_size(), Some((nodes, edges)));
        let counts = store.counts().await.unwrap();
        assert_eq!(counts.events, 400 + 7 + 3 + 2, "{}", store.backend_name());
        assert_same(&store, "after load").await;

        // Kept in step by apply: a new article, and another report of a stored meeting.
        store
            .apply(&kadhimi_visit(
                Some("https://c.example/3"),
                "text c, a second report",
            ))
            .await
            .unwrap();
        let fresh = talks(
            "https://d.example/4",
            ("IRQ", "Iraq"),
            ("USA", "United States"),
            "2021-03-01",
        );
        store.apply(&fresh).await.unwrap();
        assert_same(&store, "after apply").await;

        // And by merge.
        let found = store.person_search("person", 2).await.unwrap();
        let merge = MergeRequest {
            from: found[0].id.clone(),
            into: found[1].id.clone(),
            reason: "test".into(),
            actor: "tests".into(),
        };
        store.merge(&merge).await.unwrap();
        assert_same(&store, "after merge").await;
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

/// The timeline of Kadhimi (the fixtures' visitor), all of it.
async fn kadhimi_timeline(store: &Store) -> TimelineQuery {
    let kadhimi = store.person_search("kadhimi", 1).await.unwrap().remove(0).id;
    TimelineQuery {
        subject: Subject::Entity(kadhimi),
        counterpart: None,
        filter: EventFilter::default(),
        page: PageRequest::default(),
    }
}

#[tokio::test]
async fn a_second_report_shows_in_a_cached_event() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        store.load_projection().await.unwrap();
        let query = kadhimi_timeline(&store).await;
        let before = store.timeline(&query).await.unwrap();
        assert!(before.items.iter().all(|e| e.mentions.len() == 1));
        store
            .apply(&kadhimi_visit(Some("https://b.example/2"), "text b"))
            .await
            .unwrap();
        let after = store.timeline(&query).await.unwrap();
        assert!(
            after.items.iter().all(|e| e.mentions.len() == 2),
            "{}",
            store.backend_name()
        );
        assert_eq!(
            rounded(&after),
            rounded(store.uncached().timeline(&query).await.unwrap())
        );
    }
}

/// An article of talks between two countries.
fn talks(url: &str, a: (&str, &str), b: (&str, &str), day: &str) -> diplograph_core::Extraction {
    let mut x = article(Some(url), &format!("talks {url}"));
    let (a, b) = (country(a.0, a.1), country(b.0, b.1));
    let talks = event(
        EventKind::Talks,
        Some(day),
        vec![part(&a, Role::Participant), part(&b, Role::Participant)],
        "The two held talks.",
    );
    x.entities = vec![a, b];
    x.events = vec![talks];
    x
}

/// Ties of a country from memory and from SQL.
async fn ties_both(store: &Store, country: &str) -> (Value, Value) {
    let query = TiesQuery {
        filter: EventFilter::default(),
        latest_events: 5,
    };
    let c = code(country);
    (
        rounded(store.ties(&c, &query).await.unwrap()),
        rounded(store.uncached().ties(&c, &query).await.unwrap()),
    )
}

#[tokio::test]
async fn writes_of_another_process_reach_the_memory() {
    for store in test_stores().await {
        let name = store.backend_name();
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        store.load_projection().await.unwrap();
        assert!(!store.catch_up().await.unwrap(), "{name}: nothing happened yet");
        // Another process on the same database: a store handle with its own pool and memory.
        let other = Store::connect(&store.url).await.unwrap();
        other
            .apply(&talks(
                "https://b.example/2",
                ("IRQ", "Iraq"),
                ("USA", "United States"),
                "2021-03-01",
            ))
            .await
            .unwrap();
        let (memory, sql) = ties_both(&store, "USA").await;
        assert_ne!(memory, sql, "{name}: the memory is behind until it catches up");
        assert!(store.catch_up().await.unwrap(), "{name}");
        let (memory, sql) = ties_both(&store, "USA").await;
        assert_eq!(memory, sql, "{name}: caught up");
        assert!(!store.catch_up().await.unwrap(), "{name}: once is enough");

        // A write of this process after one of the other's reloads as well: the count moved by two.
        other
            .apply(&kadhimi_visit(Some("https://c.example/3"), "text c"))
            .await
            .unwrap();
        store
            .apply(&talks(
                "https://d.example/4",
                ("GBR", "United Kingdom"),
                ("FRA", "France"),
                "2021-04-01",
            ))
            .await
            .unwrap();
        for country in ["IRN", "GBR"] {
            let (memory, sql) = ties_both(&store, country).await;
            assert_eq!(memory, sql, "{name} {country}");
        }
        let query = kadhimi_timeline(&store).await;
        let timeline = store.timeline(&query).await.unwrap();
        assert!(
            !timeline.items.is_empty() && timeline.items.iter().all(|e| e.mentions.len() == 2),
            "{name}: the other process's second report shows"
        );
        assert!(
            !store.catch_up().await.unwrap(),
            "{name}: the write already caught up"
        );
        other.close().await;
    }
}
