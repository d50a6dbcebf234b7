//! `diplograph check`: counts and a sound verdict after an ingest, JSON on request, and a store
//! whose rollups were tampered with behind its back is reported with exit status 1.

use std::process::{Output, Stdio};

use crate::helpers::{diplograph, sqlite_url};
use crate::pg::FreshDatabase;

const SEED: &str = include_str!("../fixtures/tehran-2020-07-22.txt");

fn run(database_url: &str, args: &[&str]) -> Output {
    diplograph()
        .env("DATABASE_URL", database_url)
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .output()
        .expect("diplograph runs")
}

/// Ingests the seed article, then checks the store: sound, counted, also as JSON.
fn ingest_then_check(database_url: &str, dir: &std::path::Path) {
    let seed = dir.join("seed.txt");
    std::fs::write(&seed, SEED).expect("write seed");
    let ingest = run(
        database_url,
        &["ingest", "--progress", "log", seed.to_str().unwrap()],
    );
    assert!(
        ingest.status.success(),
        "{}",
        String::from_utf8_lossy(&ingest.stderr)
    );
    let text = run(database_url, &["check"]);
    let stdout = String::from_utf8_lossy(&text.stdout);
    assert!(
        text.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&text.stderr)
    );
    assert!(stdout.starts_with("articles: 1, entities: "), "{stdout}");
    assert!(stdout.contains("ok: no orphaned rows"), "{stdout}");
    let json = run(database_url, &["check", "--json"]);
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).expect("one JSON object");
    assert_eq!(report["articles"], 1);
    assert!(report["events"].as_i64().unwrap() >= 5, "{report}");
    assert_eq!(report["problems"], serde_json::json!([]));
}

#[test]
fn check_counts_a_sound_sqlite_store_and_reports_a_tampered_one() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path(), "check.db");
    ingest_then_check(&url, dir.path());
    let runtime = tokio::runtime::Runtime::new().expect("runtime");
    runtime.block_on(async {
        use sqlx::Connection;
        let mut conn = sqlx::SqliteConnection::connect(&url).await.expect("open");
        sqlx::raw_sql("update tie set n = n + 1")
            .execute(&mut conn)
            .await
            .expect("tamper");
        conn.close().await.expect("close");
    });
    let out = run(&url, &["check"]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(1), "{stdout}{stderr}");
    assert!(
        stdout.contains("problem: rollup differs from a recount: tie "),
        "{stdout}"
    );
    assert!(
        stderr.trim_end().ends_with("integrity problem(s) found"),
        "{stderr}"
    );
}

#[tokio::test]
async fn check_counts_a_sound_postgres_store() {
    let Some(db) = FreshDatabase::create("check_counts_a_sound_postgres_store").await else {
        return;
    };
    let url = db.url.clone();
    let dir = tempfile::tempdir().expect("temp dir");
    tokio::task::spawn_blocking(move || ingest_then_check(&url, dir.path()))
        .await
        .expect("the scenario passes");
}
