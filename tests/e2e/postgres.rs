//! `diplograph migrate` and `serve` against a real PostgreSQL server, on a fresh database.

use serde_json::{Value, json};

use crate::helpers::{TestApp, run_to_exit};
use crate::pg::FreshDatabase;

#[tokio::test]
async fn migrate_then_serve_on_postgres_answers_health_and_readiness() {
    let Some(db) = FreshDatabase::create("migrate_then_serve_on_postgres_answers_health_and_readiness").await
    else {
        return;
    };
    let out = run_to_exit(&["migrate"], &[("DATABASE_URL", &db.url)]);
    assert!(out.status.success(), "migrate failed: {}", out.stderr);

    let app = TestApp::spawn(&db.url, &[]);
    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(res.json::<Value>().await.expect("json"), json!({"status": "ok"}));
    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.expect("json"),
        json!({"status": "ready", "database": "postgres"})
    );

    let log = format!("{}\n{}", out.stderr, app.stderr().join("\n"));
    if let Some(password) = password_of(&db.url) {
        assert!(!log.contains(password), "the database password was logged");
    }
}

#[tokio::test]
async fn serve_migrates_a_fresh_postgres_database_itself() {
    let Some(db) = FreshDatabase::create("serve_migrates_a_fresh_postgres_database_itself").await else {
        return;
    };
    let app = TestApp::spawn(&db.url, &[]);
    assert_eq!(app.get("/readyz").await.status(), 200);
}

/// The password of `scheme://user:password@host/…`, if any.
fn password_of(url: &str) -> Option<&str> {
    let authority = url.split_once("://")?.1.split('/').next()?;
    let userinfo = authority.rsplit_once('@')?.0;
    userinfo
        .split_once(':')
        .map(|(_, pw)| pw)
        .filter(|pw| !pw.is_empty())
}
