//! Opening databases: good URLs work, bad ones fail with a one-line message naming the problem.

use diplograph_graph::{Store, StoreError};

use crate::common::{postgres_admin_url, test_stores, with_database};

async fn connect_error(url: &str) -> String {
    match Store::connect(url).await {
        Ok(_) => panic!("{url} should not connect"),
        Err(StoreError::Connect(message)) => {
            assert!(!message.contains('\n'), "one line: {message}");
            message
        }
        Err(other) => panic!("{url}: expected a connect error, got {other:?}"),
    }
}

#[tokio::test]
async fn fresh_stores_migrate_and_answer_pings() {
    for store in test_stores().await {
        store.ping().await.unwrap();
        // Migrating twice is a no-op.
        store.migrate().await.unwrap();
        assert!(["sqlite", "postgres"].contains(&store.backend_name()));
    }
}

#[tokio::test]
async fn in_memory_sqlite_keeps_its_data_across_connections() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    store.migrate().await.unwrap();
    store.ping().await.unwrap();
    assert_eq!(store.backend_name(), "sqlite");
}

#[tokio::test]
async fn unknown_schemes_and_malformed_urls_are_rejected() {
    assert!(
        connect_error("mysql://localhost/db")
            .await
            .contains("unsupported database url scheme")
    );
    assert!(
        connect_error("diplograph.db")
            .await
            .contains("invalid database url")
    );
    assert!(
        connect_error("postgres://u:pw@host:notaport/db")
            .await
            .contains("invalid postgres url")
    );
}

#[tokio::test]
async fn sqlite_file_in_a_missing_directory_names_the_directory() {
    let message = connect_error("sqlite:///nonexistent-dir-for-diplograph/x.db?mode=rwc").await;
    assert!(
        message.contains("directory /nonexistent-dir-for-diplograph does not exist"),
        "{message}"
    );
}

#[tokio::test]
async fn sqlite_file_that_does_not_exist_without_rwc_is_reported() {
    let path = std::env::temp_dir().join(format!("diplograph-missing-{}.db", uuid::Uuid::now_v7().simple()));
    let message = connect_error(&format!("sqlite://{}", path.display())).await;
    assert!(
        message.contains("does not exist") && message.contains("mode=rwc"),
        "{message}"
    );
}

#[tokio::test]
async fn unreachable_postgres_is_reported_without_the_password() {
    // Port 1 on loopback refuses connections at once.
    let message = connect_error("postgres://someone:hunter2@127.0.0.1:1/db").await;
    assert!(
        message.contains("cannot connect to postgres at 127.0.0.1:1"),
        "{message}"
    );
    assert!(!message.contains("hunter2"), "{message}");
    assert!(message.contains("someone:***@"), "{message}");
}

#[tokio::test]
async fn debug_output_never_shows_the_password() {
    let store = Store::connect("sqlite::memory:").await.unwrap();
    assert!(format!("{store:?}").contains("sqlite"));
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let store = Store::connect(&admin_url).await.unwrap();
    let shown = format!("{store:?}");
    let password = admin_url
        .split_once("://")
        .and_then(|(_, rest)| rest.split_once('@'))
        .and_then(|(userinfo, _)| userinfo.split_once(':'))
        .map(|(_, password)| password.to_owned());
    if let Some(password) = password {
        assert!(!shown.contains(&format!(":{password}@")), "{shown}");
        assert!(shown.contains(":***@"), "{shown}");
    }
}

#[tokio::test]
async fn wrong_postgres_password_and_missing_database_are_named() {
    let Some(admin_url) = postgres_admin_url() else {
        return;
    };
    let bad_password = admin_url.replacen(":diplograph_test@", ":wrong-password@", 1);
    if bad_password != admin_url {
        let message = connect_error(&bad_password).await;
        assert!(message.contains("password authentication failed"), "{message}");
        assert!(!message.contains("wrong-password"), "{message}");
    }
    let message = connect_error(&with_database(&admin_url, "diplograph_no_such_db")).await;
    assert!(message.contains("does not exist"), "{message}");
}
