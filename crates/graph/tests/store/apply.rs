//! Storing extractions: round trips, idempotency, de-duplication, atomicity.

use diplograph_core::{EventKind, Modality, Role};

use crate::common::test_stores;
use crate::fixtures::{code, kadhimi_visit};

#[tokio::test]
async fn an_article_and_its_events_round_trip() {
    for store in test_stores().await {
        let x = kadhimi_visit(Some("https://example.org/a"), "text a");
        let report = store.apply(&x).await.unwrap();
        assert!(!report.duplicate);
        assert_eq!(report.new_events, 3, "{}", store.backend_name());
        assert_eq!(report.deduplicated_events, 0);
        // IRN, three people and the place Tehran.
        assert_eq!(report.new_entities, 5);
        assert_eq!(report.event_ids.len(), 3);

        let visit = store.event(&report.event_ids[0]).await.unwrap();
        assert_eq!(visit.kind, EventKind::Visit);
        assert_eq!(visit.modality, Modality::Asserted);
        assert_eq!(visit.date.to_string(), "2020-07-21");
        assert_eq!(visit.participants.len(), 2);
        let visitor = visit
            .participants
            .iter()
            .find(|p| p.role == Role::Visitor)
            .unwrap();
        assert_eq!(visitor.name, "Mustafa al-Kadhimi");
        assert_eq!(visitor.country, Some(code("IRQ")));
        let host = visit.participants.iter().find(|p| p.role == Role::Host).unwrap();
        assert_eq!(host.entity_id.as_str(), "IRN");
        assert_eq!(visit.places.len(), 1);
        assert_eq!(visit.places[0].name, "Tehran");
        assert_eq!(visit.mentions.len(), 1);
        let mention = &visit.mentions[0];
        assert_eq!(mention.url.as_deref(), Some("https://example.org/a"));
        assert_eq!(mention.article_id, report.article_id);
        assert!(mention.evidence.starts_with("Iraqi Prime Minister"));
        assert_eq!(mention.trigger.as_ref().unwrap().text, "met");
        assert_eq!(mention.published.as_deref(), Some("2020-07-22"));
    }
}

#[tokio::test]
async fn applying_the_same_article_twice_changes_nothing() {
    for store in test_stores().await {
        let x = kadhimi_visit(Some("https://example.org/a"), "text a");
        let first = store.apply(&x).await.unwrap();
        let again = store.apply(&x).await.unwrap();
        assert!(again.duplicate, "{}", store.backend_name());
        assert_eq!(again.article_id, first.article_id);
        assert_eq!(again.event_ids, first.event_ids);
        assert_eq!(
            (again.new_entities, again.new_events, again.deduplicated_events),
            (0, 0, 0)
        );
        // The same text under another URL, and the same URL with another text, are the same article.
        let rewrapped = kadhimi_visit(Some("https://mirror.example/a"), "  text\n a ");
        assert!(store.apply(&rewrapped).await.unwrap().duplicate);
        let edited = kadhimi_visit(Some("https://example.org/a"), "text a, corrected");
        assert!(store.apply(&edited).await.unwrap().duplicate);
        let visit = store.event(&first.event_ids[0]).await.unwrap();
        assert_eq!(visit.mentions.len(), 1);
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn two_articles_reporting_the_same_meeting_give_one_event_with_two_mentions() {
    for store in test_stores().await {
        let a = store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let mut later = kadhimi_visit(Some("https://b.example/2"), "text b");
        // The second source writes the name differently and lists Rouhani first.
        later.entities[1].name = "Mustafa Al Kadhimi".into();
        later.events[2].participants.reverse();
        let b = store.apply(&later).await.unwrap();
        assert!(!b.duplicate);
        assert_eq!(b.new_events, 0, "{}", store.backend_name());
        assert_eq!(b.deduplicated_events, 3);
        assert_eq!(b.new_entities, 0);
        assert_eq!(b.event_ids, a.event_ids);
        let meeting = store.event(&a.event_ids[1]).await.unwrap();
        assert_eq!(meeting.mentions.len(), 2);
        let urls: Vec<_> = meeting.mentions.iter().map(|m| m.url.clone().unwrap()).collect();
        assert_eq!(urls, ["https://a.example/1", "https://b.example/2"]);
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn a_different_day_or_modality_is_a_different_event() {
    for store in test_stores().await {
        let a = store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let mut next_day = kadhimi_visit(Some("https://a.example/2"), "text b");
        for event in &mut next_day.events {
            event.date = diplograph_core::DatePoint::parse("2020-07-23").ok();
        }
        next_day.events[0].modality = Modality::Planned;
        let b = store.apply(&next_day).await.unwrap();
        assert_eq!(
            (b.new_events, b.deduplicated_events),
            (3, 0),
            "{}",
            store.backend_name()
        );
        assert!(b.event_ids.iter().all(|id| !a.event_ids.contains(id)));
        // A month-precision report overlaps the day and joins the existing event.
        let mut vague = kadhimi_visit(Some("https://a.example/3"), "text c");
        for event in &mut vague.events {
            event.date = diplograph_core::DatePoint::parse("2020-07").ok();
        }
        let c = store.apply(&vague).await.unwrap();
        assert_eq!(c.new_events, 0);
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn an_apply_that_fails_midway_leaves_nothing_behind() {
    for store in test_stores().await {
        let mut x = kadhimi_visit(Some("https://a.example/1"), "text a");
        // The last event names a "country" without an ISO code, which fails after the article,
        // the entities and the first events were written.
        let mut bogus = x.events[2].participants[1].clone();
        bogus.entity = "Atlantis".into();
        bogus.name = "Atlantis".into();
        bogus.kind = diplograph_core::EntityKind::Country;
        bogus.country = None;
        x.events[2].participants[1] = bogus;
        let err = store.apply(&x).await.unwrap_err();
        assert!(err.to_string().contains("no ISO 3166 code"), "{err}");
        // Nothing was kept: the article applies cleanly afterwards, as new.
        let fixed = kadhimi_visit(Some("https://a.example/1"), "text a");
        let report = store.apply(&fixed).await.unwrap();
        assert!(!report.duplicate, "{}", store.backend_name());
        assert_eq!((report.new_entities, report.new_events), (5, 3));
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn bad_extractions_are_rejected_before_any_write() {
    for store in test_stores().await {
        let mut x = kadhimi_visit(None, "text a");
        x.article.text_hash = "not a hash".into();
        assert!(matches!(
            store.apply(&x).await,
            Err(diplograph_graph::StoreError::InvalidInput(_))
        ));
        let mut x = kadhimi_visit(None, "text a");
        x.events[0].evidence.text = "nul \0 byte".into();
        assert!(matches!(
            store.apply(&x).await,
            Err(diplograph_graph::StoreError::InvalidInput(_))
        ));
        assert!(
            !store
                .apply(&kadhimi_visit(None, "text a"))
                .await
                .unwrap()
                .duplicate
        );
    }
}

#[tokio::test]
async fn same_name_different_countries_stay_two_people() {
    for store in test_stores().await {
        let a = kadhimi_visit(Some("https://a.example/1"), "text a");
        store.apply(&a).await.unwrap();
        let mut b = kadhimi_visit(Some("https://a.example/2"), "text b");
        // Another Ali Khamenei, from another country: a new person, so a new meeting event.
        b.entities[2].country = Some(code("AFG"));
        for event in &mut b.events {
            for p in &mut event.participants {
                if p.entity == "p2" {
                    p.country = Some(code("AFG"));
                }
            }
        }
        let report = store.apply(&b).await.unwrap();
        assert_eq!(report.new_entities, 1, "{}", store.backend_name());
        assert_eq!((report.new_events, report.deduplicated_events), (1, 2));
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn concurrent_applies_store_each_article_and_event_once() {
    for test_store in test_stores().await {
        let mut tasks = Vec::new();
        for i in 0..6 {
            let store = test_store.store.clone();
            tasks.push(tokio::spawn(async move {
                let x = if i % 2 == 0 {
                    kadhimi_visit(Some("https://same.example/"), "same text")
                } else {
                    kadhimi_visit(Some(&format!("https://other.example/{i}")), &format!("text {i}"))
                };
                store.apply(&x).await
            }));
        }
        let mut reports = Vec::new();
        for task in tasks {
            reports.push(task.await.unwrap().unwrap());
        }
        let stored: Vec<_> = reports.iter().filter(|r| !r.duplicate).collect();
        assert_eq!(stored.len(), 4, "{}", test_store.backend_name());
        assert_eq!(stored.iter().map(|r| r.new_events).sum::<usize>(), 3);
        let mut ids: Vec<_> = reports.iter().flat_map(|r| r.event_ids.clone()).collect();
        ids.sort();
        ids.dedup();
        assert_eq!(ids.len(), 3);
        assert_eq!(test_store.event(&ids[0]).await.unwrap().mentions.len(), 4);
        assert_eq!(
            test_store.recount_rollups_check().await.unwrap(),
            Vec::<String>::new()
        );
    }
}

#[tokio::test]
async fn an_in_memory_store_applies_and_reads() {
    let store = diplograph_graph::Store::connect("sqlite::memory:").await.unwrap();
    store.migrate().await.unwrap();
    let report = store.apply(&kadhimi_visit(None, "text a")).await.unwrap();
    let ties = store.ties(&code("IRQ"), &Default::default()).await.unwrap();
    assert_eq!(ties.partners[0].total, 3);
    assert_eq!(ties.latest_events.len(), 3);
    assert_eq!(
        store
            .event(&report.event_ids[2])
            .await
            .unwrap()
            .participants
            .len(),
        2
    );
}
