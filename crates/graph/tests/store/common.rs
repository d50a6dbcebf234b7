//! Fresh stores for every test: a temporary SQLite file always, and a new PostgreSQL database when
//! `DIPLOGRAPH_TEST_POSTGRES_URL` is set. Both are removed when the test ends, even on a panic.

use std::io::Write;
use std::ops::Deref;
use std::path::PathBuf;
use std::sync::Once;

use diplograph_graph::{ExportFilter, ExportFormat, ExportSink, Store, StoreError};
use sqlx::Connection;

/// The env var naming a PostgreSQL role with CREATEDB, e.g. `postgres://u:p@127.0.0.1:5432/postgres`.
pub(crate) const PG_ENV: &str = "DIPLOGRAPH_TEST_POSTGRES_URL";

/// A migrated store on a fresh database, dropped with the value.
pub(crate) struct TestStore {
    pub(crate) store: Store,
    /// The database URL, to open a second store on the same data (a "restart").
    pub(crate) url: String,
    _cleanup: Cleanup,
}

impl Deref for TestStore {
    type Target = Store;
    fn deref(&self) -> &Store {
        &self.store
    }
}

enum Cleanup {
    File(PathBuf),
    Database { admin_url: String, name: String },
}

/// An export gathered in memory.
#[derive(Default)]
struct Gathered(Vec<u8>);

impl ExportSink for Gathered {
    async fn write(&mut self, chunk: Vec<u8>) -> Result<(), StoreError> {
        self.0.extend_from_slice(&chunk);
        Ok(())
    }
}

/// An export as text, and the number of items `write_export` reported.
pub(crate) async fn export_text(store: &Store, format: ExportFormat, filter: &ExportFilter) -> (String, u64) {
    let mut sink = Gathered::default();
    let items = store.write_export(format, filter, &mut sink).await.unwrap();
    (String::from_utf8(sink.0).unwrap(), items)
}

/// Every available backend, each on a fresh, migrated database.
pub(crate) async fn test_stores() -> Vec<TestStore> {
    let mut stores = vec![sqlite_store().await];
    if let Some(admin_url) = postgres_admin_url() {
        stores.push(postgres_store(&admin_url).await);
    }
    stores
}

/// A fresh SQLite store in a temporary file.
pub(crate) async fn sqlite_store() -> TestStore {
    let path = std::env::temp_dir().join(format!("diplograph-test-{}.db", uuid::Uuid::now_v7().simple()));
    let url = format!("sqlite://{}?mode=rwc", path.display());
    let store = Store::connect(&url)
        .await
        .expect("temporary sqlite database opens");
    store.migrate().await.expect("sqlite migrations apply");
    TestStore {
        store,
        url,
        _cleanup: Cleanup::File(path),
    }
}

/// The admin URL, or `None` after a loud skip notice. Under `CI=true` a missing URL fails the test.
pub(crate) fn postgres_admin_url() -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if is_ci() => panic!("{PG_ENV} is not set, and CI=true makes the PostgreSQL tests mandatory"),
        _ => {
            static NOTICE: Once = Once::new();
            NOTICE.call_once(|| {
                // Written to the real stderr, which the test harness does not capture.
                let _ = writeln!(
                    std::io::stderr(),
                    "\n!!! SKIPPING POSTGRESQL STORE TESTS: {PG_ENV} is not set (run scripts/test) !!!\n"
                );
            });
            None
        }
    }
}

fn is_ci() -> bool {
    std::env::var("CI").is_ok_and(|v| v == "true" || v == "1")
}

async fn postgres_store(admin_url: &str) -> TestStore {
    let name = format!("diplograph_test_{}", uuid::Uuid::now_v7().simple());
    let mut admin = sqlx::PgConnection::connect(admin_url)
        .await
        .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {PG_ENV}: {e}"));
    sqlx::raw_sql(sqlx::AssertSqlSafe(format!("create database {name}")))
        .execute(&mut admin)
        .await
        .expect("test role may create databases");
    let _ = admin.close().await;
    let cleanup = Cleanup::Database {
        admin_url: admin_url.to_owned(),
        name: name.clone(),
    };
    let url = with_database(admin_url, &name);
    let store = Store::connect(&url).await.expect("fresh postgres database opens");
    store.migrate().await.expect("postgres migrations apply");
    TestStore {
        store,
        url,
        _cleanup: cleanup,
    }
}

/// The same URL naming another database.
pub(crate) fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    let mut out = format!("{}/{name}", &base[..path_start]);
    if let Some(query) = query {
        out.push('?');
        out.push_str(query);
    }
    out
}

impl Drop for Cleanup {
    fn drop(&mut self) {
        match self {
            Cleanup::File(path) => {
                for suffix in ["", "-wal", "-shm"] {
                    let _ = std::fs::remove_file(format!("{}{suffix}", path.display()));
                }
            }
            Cleanup::Database { admin_url, name } => {
                let (admin_url, name) = (admin_url.clone(), name.clone());
                // Drop runs inside the test's runtime, which cannot block: use a thread of our own.
                let dropped = std::thread::spawn(move || drop_database(&admin_url, &name)).join();
                if let Ok(Err(e)) = dropped {
                    let _ = writeln!(std::io::stderr(), "warning: could not drop test database: {e}");
                }
            }
        }
    }
}

fn drop_database(admin_url: &str, name: &str) -> Result<(), sqlx::Error> {
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async {
        let mut admin = sqlx::PgConnection::connect(admin_url).await?;
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!(
            "drop database if exists {name} with (force)"
        )))
        .execute(&mut admin)
        .await?;
        admin.close().await
    })
}
