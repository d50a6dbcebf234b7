//! Merging a wrongly split entity: everything moves, duplicate events fold, rollups stay exact.

use diplograph_core::{EntityId, EventKind};
use diplograph_graph::{MergeRequest, StoreError, TiesQuery};

use crate::common::test_stores;
use crate::fixtures::{code, kadhimi_visit};

fn request(from: &EntityId, into: &EntityId) -> MergeRequest {
    MergeRequest {
        from: from.clone(),
        into: into.clone(),
        reason: "same person".into(),
        actor: "test".into(),
    }
}

#[tokio::test]
async fn merging_a_split_person_folds_the_duplicate_events() {
    for store in test_stores().await {
        let a = store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        // Another source spells the name so differently that the resolver keeps two people.
        let mut b = kadhimi_visit(Some("https://b.example/2"), "text b");
        b.entities[1].name = "Mustafa Abdellatif Mashatt".into();
        b.entities[1].aliases = vec!["Mashatt".into()];
        for event in &mut b.events {
            for p in event.participants.iter_mut().filter(|p| p.entity == "p1") {
                p.name = "Mustafa Abdellatif Mashatt".into();
            }
        }
        let b = store.apply(&b).await.unwrap();
        assert_eq!(b.new_events, 3, "{}", store.backend_name());
        let before = store.ties(&code("IRN"), &TiesQuery::default()).await.unwrap();
        assert_eq!(before.partners[0].total, 6);

        let kadhimi = store.person_search("kadhimi", 5).await.unwrap().remove(0).id;
        let split = store.person_search("mashatt", 5).await.unwrap().remove(0).id;
        let report = store.merge(&request(&split, &kadhimi)).await.unwrap();
        assert_eq!((report.events_moved, report.events_folded), (3, 3));

        let merged = store.entity(&split).await.unwrap();
        assert_eq!(merged.id, kadhimi, "the old id leads to the merged entity");
        assert!(merged.aliases.iter().any(|a| a == "Mashatt"));
        let meeting = store.event(&a.event_ids[1]).await.unwrap();
        assert_eq!(meeting.mentions.len(), 2);
        assert!(matches!(
            store.event(&b.event_ids[1]).await,
            Err(StoreError::NotFound(_))
        ));
        let after = store.ties(&code("IRN"), &TiesQuery::default()).await.unwrap();
        let irq = &after.partners[0];
        assert_eq!(irq.total, 3);
        assert_eq!(
            irq.kinds
                .iter()
                .find(|k| k.kind == EventKind::Meet)
                .unwrap()
                .mutual,
            2
        );
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}

#[tokio::test]
async fn merges_of_countries_mixed_kinds_or_missing_entities_are_refused() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let kadhimi = store.person_search("kadhimi", 5).await.unwrap().remove(0).id;
        let rouhani = store.person_search("rouhani", 5).await.unwrap().remove(0).id;
        let iran = EntityId::parse("IRN").unwrap();
        let iraq_place = store.entity_search("tehran", None, 5).await.unwrap().remove(0).id;
        let err = store.merge(&request(&iran, &iran)).await.unwrap_err();
        assert!(
            matches!(err, StoreError::InvalidInput(_)),
            "{}",
            store.backend_name()
        );
        let err = store.merge(&request(&kadhimi, &iraq_place)).await.unwrap_err();
        assert!(
            err.to_string().contains("cannot merge a person into a place"),
            "{err}"
        );
        let nobody = EntityId::parse("nobody").unwrap();
        assert!(matches!(
            store.merge(&request(&nobody, &kadhimi)).await,
            Err(StoreError::NotFound(_))
        ));
        // A refused merge changes nothing; a real one between two people works and is exact.
        store.merge(&request(&rouhani, &kadhimi)).await.unwrap();
        assert_eq!(store.recount_rollups_check().await.unwrap(), Vec::<String>::new());
    }
}
