//! A fresh PostgreSQL database per test, created from `DIPLOGRAPH_TEST_POSTGRES_URL` (a role
//! with CREATEDB, as `scripts/test` prepares) and dropped when the value is dropped.

use std::io::Write;

use sqlx::Connection;

/// The variable naming the admin URL, e.g. `postgres://u:p@127.0.0.1:5432/postgres`.
const PG_ENV: &str = "DIPLOGRAPH_TEST_POSTGRES_URL";

/// An empty database that exists as long as this value.
pub(crate) struct FreshDatabase {
    /// URL of the new database, for `DATABASE_URL`.
    pub(crate) url: String,
    admin_url: String,
    name: String,
}

impl FreshDatabase {
    /// Creates `diplograph_e2e_<uuid>`, or returns `None` after a loud skip line when the
    /// variable is unset. Under `CI=true` an unset variable is a failure: CI must run these tests.
    pub(crate) async fn create(test: &str) -> Option<FreshDatabase> {
        let admin_url = admin_url(test)?;
        let name = format!("diplograph_e2e_{}", uuid::Uuid::now_v7().simple());
        let mut admin = sqlx::PgConnection::connect(&admin_url)
            .await
            .unwrap_or_else(|e| panic!("cannot reach PostgreSQL at {PG_ENV}: {e}"));
        sqlx::raw_sql(sqlx::AssertSqlSafe(format!("create database {name}")))
            .execute(&mut admin)
            .await
            .expect("the test role may create databases");
        let _ = admin.close().await;
        Some(FreshDatabase {
            url: with_database(&admin_url, &name),
            admin_url,
            name,
        })
    }
}

impl Drop for FreshDatabase {
    fn drop(&mut self) {
        let (admin_url, name) = (self.admin_url.clone(), self.name.clone());
        // Drop may run inside a test's runtime, which cannot block: use a thread of our own.
        let dropped = std::thread::spawn(move || drop_database(&admin_url, &name)).join();
        if let Ok(Err(e)) = dropped {
            let _ = writeln!(
                std::io::stderr(),
                "warning: could not drop test database {}: {e}",
                self.name
            );
        }
    }
}

fn admin_url(test: &str) -> Option<String> {
    match std::env::var(PG_ENV) {
        Ok(url) if !url.trim().is_empty() => Some(url),
        _ if std::env::var("CI").is_ok_and(|v| v == "true" || v == "1") => {
            panic!("CI=true but {PG_ENV} is not set: {test} must run on PostgreSQL")
        }
        _ => {
            // Written to the real stderr, which the test harness does not capture.
            let _ = writeln!(
                std::io::stderr(),
                "\n!!! SKIPPED {test}: {PG_ENV} is not set (scripts/test sets it) !!!\n"
            );
            None
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

/// The same URL naming database `name` instead.
fn with_database(url: &str, name: &str) -> String {
    let (base, query) = url.split_once('?').map_or((url, None), |(b, q)| (b, Some(q)));
    let authority_start = base.find("://").map_or(0, |i| i + 3);
    let path_start = base[authority_start..]
        .find('/')
        .map_or(base.len(), |i| authority_start + i);
    match query {
        Some(query) => format!("{}/{name}?{query}", &base[..path_start]),
        None => format!("{}/{name}", &base[..path_start]),
    }
}

#[test]
fn with_database_replaces_the_path_and_keeps_the_query() {
    assert_eq!(
        with_database("postgres://u:p@h:5432/postgres?sslmode=disable", "x"),
        "postgres://u:p@h:5432/x?sslmode=disable"
    );
    assert_eq!(with_database("postgres://u@h", "x"), "postgres://u@h/x");
}
