//! Graph queries over the projection, and the projection surviving a restart.

use diplograph_core::{EntityId, EntityKind, EventKind};
use diplograph_graph::{EventFilter, MergeRequest, NeighborhoodQuery, Store, StoreError};

use crate::common::test_stores;
use crate::fixtures::kadhimi_visit;

async fn person(store: &Store, name: &str) -> EntityId {
    store.person_search(name, 5).await.unwrap().remove(0).id
}

#[tokio::test]
async fn neighborhoods_are_capped_by_depth_and_top_k() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let kadhimi = person(&store, "kadhimi").await;
        let near = store
            .neighborhood(&kadhimi, &NeighborhoodQuery::default())
            .await
            .unwrap();
        let mut names: Vec<&str> = near.nodes.iter().map(|n| n.name.as_str()).collect();
        names.sort();
        assert_eq!(
            names,
            ["Ali Khamenei", "Hassan Rouhani", "Iran", "Mustafa al-Kadhimi"],
            "{}",
            store.backend_name()
        );
        assert_eq!((near.node_count, near.edge_count, near.truncated), (4, 3, false));
        let visit_edge = near
            .edges
            .iter()
            .find(|e| e.a.as_str() == "IRN" || e.b.as_str() == "IRN")
            .unwrap();
        assert_eq!(visit_edge.counts.get(&EventKind::Visit), Some(&1));

        let khamenei = person(&store, "khamenei").await;
        let wide = NeighborhoodQuery {
            depth: 2,
            ..NeighborhoodQuery::default()
        };
        let two_hops = store.neighborhood(&khamenei, &wide).await.unwrap();
        assert_eq!(two_hops.node_count, 4);
        assert_eq!(two_hops.nodes.iter().filter(|n| n.depth == 2).count(), 2);
        let narrow = NeighborhoodQuery {
            depth: 1,
            top_k: 1,
            count_only: true,
        };
        let capped = store.neighborhood(&kadhimi, &narrow).await.unwrap();
        assert_eq!(
            (capped.node_count, capped.truncated, capped.nodes.len()),
            (2, true, 0)
        );
        let too_deep = NeighborhoodQuery {
            depth: 4,
            ..NeighborhoodQuery::default()
        };
        assert!(matches!(
            store.neighborhood(&kadhimi, &too_deep).await,
            Err(StoreError::InvalidInput(_))
        ));
        let nobody = EntityId::parse("nobody").unwrap();
        assert!(matches!(
            store.neighborhood(&nobody, &wide).await,
            Err(StoreError::NotFound(_))
        ));
    }
}

#[tokio::test]
async fn paths_chain_encounters_with_their_events() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let (khamenei, rouhani) = (person(&store, "khamenei").await, person(&store, "rouhani").await);
        let path = store.path(&khamenei, &rouhani, 4).await.unwrap().unwrap();
        let names: Vec<&str> = path.nodes.iter().map(|n| n.name.as_str()).collect();
        assert_eq!(
            names,
            ["Ali Khamenei", "Mustafa al-Kadhimi", "Hassan Rouhani"],
            "{}",
            store.backend_name()
        );
        assert_eq!(path.hops.len(), 2);
        assert!(path.hops[0].events[0].mentions[0].evidence.contains("Khamenei"));
        assert!(store.path(&khamenei, &rouhani, 1).await.unwrap().is_none());
        assert!(matches!(
            store.path(&khamenei, &rouhani, 9).await,
            Err(StoreError::InvalidInput(_))
        ));
    }
}

#[tokio::test]
async fn centrality_ranks_people_and_countries() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let people = store
            .centrality(EntityKind::Person, &EventFilter::default(), 10)
            .await
            .unwrap();
        assert_eq!(people[0].name, "Mustafa al-Kadhimi", "{}", store.backend_name());
        assert_eq!((people[0].degree, people.len()), (2, 3));
        assert!((people.iter().map(|e| e.pagerank).sum::<f64>() - 1.0).abs() < 1e-6);
        let countries = store
            .centrality(EntityKind::Country, &EventFilter::default(), 10)
            .await
            .unwrap();
        let codes: Vec<&str> = countries.iter().map(|e| e.id.as_str()).collect();
        assert_eq!(codes.len(), 2);
        assert!(codes.contains(&"IRN") && codes.contains(&"IRQ"));
        assert_eq!(countries[0].weighted_degree, 3);
        let later = EventFilter {
            from: "2021-01-01".parse().ok(),
            ..EventFilter::default()
        };
        assert!(
            store
                .centrality(EntityKind::Person, &later, 10)
                .await
                .unwrap()
                .is_empty()
        );
        assert!(
            store
                .centrality(EntityKind::Country, &later, 10)
                .await
                .unwrap()
                .is_empty()
        );
    }
}

#[tokio::test]
async fn a_restart_rebuilds_the_same_projection() {
    for store in test_stores().await {
        // Loaded first, so everything below reaches it incrementally.
        assert_eq!(store.load_projection().await.unwrap(), (0, 0));
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        let mut later = kadhimi_visit(Some("https://a.example/2"), "text b");
        for e in &mut later.events {
            e.date = diplograph_core::DatePoint::parse("2021-03").ok();
        }
        later.entities[2].name = "Sayyid Ali Khamenei".into();
        store.apply(&later).await.unwrap();
        let before = store.projection_snapshot().await.unwrap();
        assert_eq!(before.0.len(), 6, "{}", store.backend_name());

        let restarted = Store::connect(&store.url).await.unwrap();
        assert_eq!(restarted.projection_snapshot().await.unwrap(), before);

        // A merge rebuilds the live projection; a restart agrees with it too.
        let split = person(&store, "sayyid").await;
        let khamenei = store.person_search("ali khamenei", 5).await.unwrap().remove(0).id;
        let request = MergeRequest {
            from: split,
            into: khamenei,
            reason: "same".into(),
            actor: "test".into(),
        };
        store.merge(&request).await.unwrap();
        let merged = store.projection_snapshot().await.unwrap();
        assert_eq!(merged.0.len(), 5);
        let again = Store::connect(&store.url).await.unwrap();
        assert_eq!(again.projection_snapshot().await.unwrap(), merged);
        restarted.close().await;
        again.close().await;
    }
}
