//! `Store::check_integrity`: counts, orphaned rows and rollups against a recount, on a sound
//! store and on one tampered with behind the store's back.

use sqlx::Connection;

use crate::common::{TestStore, test_stores};
use crate::fixtures::kadhimi_visit;

/// Runs `sql` on the test database over a connection of its own (as another program would).
async fn tamper(store: &TestStore, sql: &str) {
    let sql = sqlx::AssertSqlSafe(sql.to_owned());
    if store.backend_name() == "sqlite" {
        let mut conn = sqlx::SqliteConnection::connect(&store.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    } else {
        let mut conn = sqlx::PgConnection::connect(&store.url).await.unwrap();
        sqlx::raw_sql(sql).execute(&mut conn).await.unwrap();
        conn.close().await.unwrap();
    }
}

#[tokio::test]
async fn a_sound_store_is_counted_and_passes() {
    for store in test_stores().await {
        let empty = store.check_integrity().await.unwrap();
        assert_eq!((empty.articles, empty.events, empty.mentions), (0, 0, 0));
        assert!(empty.is_sound(), "{:?}", empty.problems);
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        store
            .apply(&kadhimi_visit(Some("https://b.example/2"), "text b"))
            .await
            .unwrap();
        let report = store.check_integrity().await.unwrap();
        let name = store.backend_name();
        assert_eq!(report.articles, 2, "{name}");
        assert_eq!(
            report.events, 3,
            "{name}: the second article repeats the first's events"
        );
        assert_eq!(report.mentions, 6, "{name}");
        assert_eq!(report.participants, 6, "{name}");
        assert_eq!(report.entities, 5, "{name}");
        assert!(report.tie_rows > 0, "{name}");
        assert!(report.is_sound(), "{name}: {:?}", report.problems);
    }
}

#[tokio::test]
async fn orphaned_events_and_wrong_rollups_are_reported() {
    for store in test_stores().await {
        store
            .apply(&kadhimi_visit(Some("https://a.example/1"), "text a"))
            .await
            .unwrap();
        tamper(
            &store,
            "delete from mention where evidence like 'Kadhimi also met%'",
        )
        .await;
        tamper(&store, "update tie set n = n + 1 where direction = 'out'").await;
        let report = store.check_integrity().await.unwrap();
        let name = store.backend_name();
        assert!(!report.is_sound(), "{name}");
        assert!(
            report.problems.contains(&"1 events without a mention".to_owned()),
            "{name}: {:?}",
            report.problems
        );
        assert!(
            report
                .problems
                .iter()
                .any(|p| p.starts_with("rollup differs from a recount: tie ")),
            "{name}: {:?}",
            report.problems
        );
    }
}
