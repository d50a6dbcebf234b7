//! The read side: ties, timelines, meetings, entities and search, on every backend.

use chrono::NaiveDate;
use diplograph_core::{EntityId, EventKind, Modality, Role};
use diplograph_graph::{EventFilter, PageRequest, StoreError, Subject, TiesQuery, TimelineQuery};

use crate::common::test_stores;
use crate::fixtures::{code, country, event, kadhimi_visit, part, person};

fn day(s: &str) -> NaiveDate {
    s.parse().unwrap()
}

fn page(limit: u32) -> PageRequest {
    PageRequest { cursor: None, limit }
}

#[tokio::test]
async fn ties_count_by_kind_and_direction_from_both_sides() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let irn = store.ties(&code("IRN"), &TiesQuery::default()).await.unwrap();
        assert_eq!(irn.partners.len(), 1, "{}", store.backend_name());
        let irq = &irn.partners[0];
        assert_eq!(irq.partner, code("IRQ"));
        assert_eq!(irq.total, 3);
        let visit = irq.kinds.iter().find(|k| k.kind == EventKind::Visit).unwrap();
        assert_eq!((visit.outgoing, visit.incoming, visit.mutual), (0, 1, 0));
        let meet = irq.kinds.iter().find(|k| k.kind == EventKind::Meet).unwrap();
        assert_eq!((meet.total, meet.mutual), (2, 2));
        assert_eq!(
            (irq.first_day, irq.last_day),
            (Some(day("2020-07-21")), Some(day("2020-07-21")))
        );
        // The host side of a visit scores CAMEO 043 (2.8); two meetings 1.0 each.
        assert!((irq.tone_sum - 4.8).abs() < 1e-9, "{}", irq.tone_sum);
        assert!((irq.tone_mean - 1.6).abs() < 1e-9);
        assert!(irq.last_event_id.is_some());
        assert_eq!(irn.latest_events.len(), 3);

        let from_iraq = store.ties(&code("IRQ"), &TiesQuery::default()).await.unwrap();
        let visit = from_iraq.partners[0]
            .kinds
            .iter()
            .find(|k| k.kind == EventKind::Visit)
            .unwrap();
        assert_eq!((visit.outgoing, visit.incoming), (1, 0));
        assert_eq!(from_iraq.partners[0].name.as_deref(), Some("Iran"));
    }
}

#[tokio::test]
async fn ties_filter_by_dates_kinds_and_modality() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let query = |from: &str, to: &str, kinds: Vec<EventKind>, modality| TiesQuery {
            filter: EventFilter {
                from: Some(day(from)),
                to: Some(day(to)),
                kinds,
                modality,
            },
            latest_events: 0,
        };
        let july = store
            .ties(
                &code("IRN"),
                &query("2020-07-01", "2020-07-31", vec![], Modality::Asserted),
            )
            .await
            .unwrap();
        assert_eq!(july.partners[0].total, 3, "{}", store.backend_name());
        assert_eq!(july.partners[0].first_day, Some(day("2020-07-21")));
        let august = store
            .ties(
                &code("IRN"),
                &query("2020-08-01", "2020-08-31", vec![], Modality::Asserted),
            )
            .await
            .unwrap();
        assert!(august.partners.is_empty());
        let visits = store
            .ties(
                &code("IRN"),
                &query(
                    "2020-01-01",
                    "2020-12-31",
                    vec![EventKind::Visit],
                    Modality::Asserted,
                ),
            )
            .await
            .unwrap();
        assert_eq!(visits.partners[0].total, 1);
        let planned = store
            .ties(
                &code("IRN"),
                &TiesQuery {
                    filter: EventFilter {
                        modality: Modality::Planned,
                        ..EventFilter::default()
                    },
                    latest_events: 3,
                },
            )
            .await
            .unwrap();
        assert!(planned.partners.is_empty() && planned.latest_events.is_empty());
        let reversed = query("2020-12-31", "2020-01-01", vec![], Modality::Asserted);
        assert!(matches!(
            store.ties(&code("IRN"), &reversed).await,
            Err(StoreError::InvalidInput(_))
        ));
    }
}

#[tokio::test]
async fn undated_and_directed_events_roll_up_as_designed() {
    for store in test_stores().await {
        let mut x = crate::fixtures::article(Some("https://a.example/u"), "undated");
        let irn = country("IRN", "Iran");
        let usa = country("USA", "United States");
        let zarif = person(
            "p1",
            "Mohammad Javad Zarif",
            Some("IRN"),
            Some("Foreign Minister"),
        );
        x.events = vec![event(
            EventKind::Criticize,
            None,
            vec![part(&zarif, Role::Source), part(&usa, Role::Target)],
            "Zarif criticized Washington.",
        )];
        x.entities = vec![irn, usa, zarif];
        store.apply(&x).await.unwrap();
        let ties = store.ties(&code("USA"), &TiesQuery::default()).await.unwrap();
        let tie = &ties.partners[0];
        assert_eq!(tie.partner, code("IRN"), "{}", store.backend_name());
        assert_eq!(tie.kinds[0].incoming, 1);
        assert_eq!(
            (tie.first_day, tie.last_day, &tie.last_event_id),
            (None, None, &None)
        );
        assert!((tie.tone_sum + 2.0).abs() < 1e-9);
        // Undated events are listed without a date filter and left out with one.
        assert_eq!(ties.latest_events.len(), 1);
        let bounded = TiesQuery {
            filter: EventFilter {
                to: Some(day("2030-01-01")),
                ..EventFilter::default()
            },
            latest_events: 5,
        };
        let ties = store.ties(&code("USA"), &bounded).await.unwrap();
        assert!(ties.partners.is_empty() && ties.latest_events.is_empty());
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn timelines_are_newest_first_with_provenance_and_pages() {
    for store in test_stores().await {
        let first = store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let mut later = kadhimi_visit(Some("https://a.example/2"), "text b");
        for e in &mut later.events {
            e.date = diplograph_core::DatePoint::parse("2020-08-02").ok();
        }
        let second = store.apply(&later).await.unwrap();
        let kadhimi = store
            .event(&first.event_ids[0])
            .await
            .unwrap()
            .participants
            .into_iter()
            .find(|p| p.role == Role::Visitor)
            .unwrap()
            .entity_id;
        let mut query = TimelineQuery {
            subject: Subject::Entity(kadhimi.clone()),
            counterpart: None,
            filter: EventFilter::default(),
            page: page(4),
        };
        let page1 = store.timeline(&query).await.unwrap();
        assert_eq!(page1.items.len(), 4, "{}", store.backend_name());
        assert!(page1.items[..3].iter().all(|e| second.event_ids.contains(&e.id)));
        assert!(
            page1
                .items
                .iter()
                .all(|e| !e.mentions.is_empty() && !e.participants.is_empty())
        );
        query.page.cursor = page1.next_cursor.clone();
        let page2 = store.timeline(&query).await.unwrap();
        assert_eq!(page2.items.len(), 2);
        assert!(page2.next_cursor.is_none());
        let mut all: Vec<_> = page1
            .items
            .iter()
            .chain(&page2.items)
            .map(|e| e.id.clone())
            .collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), 6);

        // Kadhimi with Khamenei: the two meetings, newest first, with their evidence.
        let khamenei = store.person_search("khamenei", 5).await.unwrap().remove(0).id;
        query.counterpart = Some(Subject::Entity(khamenei));
        query.page = page(10);
        let met = store.timeline(&query).await.unwrap();
        let dates: Vec<String> = met.items.iter().map(|e| e.date.to_string()).collect();
        assert_eq!(dates, ["2020-08-02", "2020-07-21"]);
        assert!(met.items[1].mentions[0].evidence.contains("Khamenei"));

        // A country's timeline reaches events of the people acting for it.
        let iraq = TimelineQuery {
            subject: Subject::Country(code("IRQ")),
            counterpart: Some(Subject::Country(code("IRN"))),
            filter: EventFilter {
                from: Some(day("2020-08-01")),
                ..EventFilter::default()
            },
            page: page(10),
        };
        assert_eq!(store.timeline(&iraq).await.unwrap().items.len(), 3);
        let bad = TimelineQuery {
            page: PageRequest {
                cursor: Some("nonsense".into()),
                limit: 10,
            },
            ..iraq.clone()
        };
        assert!(matches!(
            store.timeline(&bad).await,
            Err(StoreError::InvalidInput(_))
        ));
        let zero = TimelineQuery {
            page: page(0),
            ..iraq
        };
        assert!(matches!(
            store.timeline(&zero).await,
            Err(StoreError::InvalidInput(_))
        ));
    }
}

#[tokio::test]
async fn meetings_list_a_persons_encounters() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let kadhimi = store.person_search("Kadhimi", 5).await.unwrap().remove(0);
        let meetings = store
            .meetings(&kadhimi.id, &EventFilter::default(), &page(10))
            .await
            .unwrap();
        let kinds: Vec<EventKind> = meetings.items.iter().map(|e| e.kind).collect();
        assert_eq!(kinds.len(), 3, "{}", store.backend_name());
        assert_eq!(kinds.iter().filter(|k| **k == EventKind::Meet).count(), 2);
        let counterparts: Vec<&str> = meetings
            .items
            .iter()
            .flat_map(|e| &e.participants)
            .filter(|p| p.entity_id != kadhimi.id)
            .map(|p| p.name.as_str())
            .collect();
        assert!(counterparts.contains(&"Ali Khamenei") && counterparts.contains(&"Hassan Rouhani"));
    }
}

#[tokio::test]
async fn entities_come_with_aliases_affiliations_and_search() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let found = store.person_search("  MUSTAFA al", 10).await.unwrap();
        assert_eq!(found.len(), 1, "{}", store.backend_name());
        let kadhimi = store.entity(&found[0].id).await.unwrap();
        assert_eq!(kadhimi.name, "Mustafa al-Kadhimi");
        assert_eq!(kadhimi.country, Some(code("IRQ")));
        assert_eq!(kadhimi.aliases, ["al-Kadhimi"]);
        assert_eq!(kadhimi.affiliations[0].title.as_deref(), Some("Prime Minister"));
        assert_eq!(
            store.entity_search("ira", None, 10).await.unwrap()[0].id.as_str(),
            "IRN"
        );
        assert!(store.person_search("ira", 10).await.unwrap().is_empty());
        assert!(store.person_search("zzz", 10).await.unwrap().is_empty());
        assert!(matches!(
            store.person_search("--", 10).await,
            Err(StoreError::InvalidInput(_))
        ));
        let missing = store
            .entity(&EntityId::parse("nobody").unwrap())
            .await
            .unwrap_err();
        assert!(matches!(missing, StoreError::NotFound(_)));
        assert_eq!(missing.to_string(), "entity nobody not found");
    }
}

#[tokio::test]
async fn bilateral_series_bucket_the_daily_rollup() {
    use diplograph_graph::{BilateralQuery, Interval};
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let mut later = kadhimi_visit(Some("https://a.example/2"), "text b");
        for e in &mut later.events {
            e.date = diplograph_core::DatePoint::parse("2020-08-02").ok();
        }
        store.apply(&later).await.unwrap();
        let query = BilateralQuery {
            filter: EventFilter::default(),
            interval: Interval::Month,
            events: page(2),
        };
        let view = store.bilateral(&code("IRQ"), &code("IRN"), &query).await.unwrap();
        let periods: Vec<(&str, i64)> = view.series.iter().map(|p| (p.period.as_str(), p.total)).collect();
        assert_eq!(
            periods,
            [("2020-07", 3), ("2020-08", 3)],
            "{}",
            store.backend_name()
        );
        let visit = view.series[0]
            .kinds
            .iter()
            .find(|k| k.kind == EventKind::Visit)
            .unwrap();
        assert_eq!((visit.outgoing, visit.incoming), (1, 0));
        assert_eq!(view.events.items.len(), 2);
        assert!(view.events.next_cursor.is_some());

        let yearly = BilateralQuery {
            interval: Interval::Year,
            filter: EventFilter {
                kinds: vec![EventKind::Meet],
                ..EventFilter::default()
            },
            events: page(10),
        };
        let view = store
            .bilateral(&code("IRN"), &code("IRQ"), &yearly)
            .await
            .unwrap();
        assert_eq!(view.series.len(), 1);
        assert_eq!(
            (view.series[0].period.as_str(), view.series[0].total),
            ("2020", 4)
        );
        assert_eq!(view.events.items.len(), 4);
        let none = store
            .bilateral(&code("IRN"), &code("USA"), &yearly)
            .await
            .unwrap();
        assert!(none.series.is_empty() && none.events.items.is_empty());
    }
}
