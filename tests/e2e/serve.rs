//! `diplograph serve` on the embedded SQLite default.

use serde_json::{Value, json};

use crate::helpers::{TestApp, diplograph, run_to_exit, sqlite_url};

#[tokio::test]
async fn serve_answers_health_and_readiness_and_creates_the_database() {
    let app = TestApp::sqlite(&[]);
    let db_path = app.db_path.clone().expect("sqlite app has a file");
    assert!(db_path.is_file(), "{} was not created", db_path.display());

    let res = app.get("/healthz").await;
    assert_eq!(res.status(), 200);
    assert!(res.headers().contains_key("x-request-id"));
    assert_eq!(res.json::<Value>().await.expect("json"), json!({"status": "ok"}));

    let res = app.get("/readyz").await;
    assert_eq!(res.status(), 200);
    assert_eq!(
        res.json::<Value>().await.expect("json"),
        json!({"status": "ready", "database": "sqlite"})
    );
}

#[tokio::test]
async fn unknown_route_is_a_json_404() {
    let app = TestApp::sqlite(&[]);
    let res = app.get("/v1/nothing-here").await;
    assert_eq!(res.status(), 404);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "not_found");
}

#[tokio::test]
async fn writes_need_the_api_key_when_one_is_set() {
    let app = TestApp::sqlite(&[("DIPLOGRAPH_API_KEY", "e2e-secret-key")]);
    let post = |key: Option<&str>| {
        let req = app.client.post(app.url("/healthz"));
        match key {
            Some(key) => req.bearer_auth(key),
            None => req,
        }
    };
    let res = post(None).send().await.expect("request");
    assert_eq!(res.status(), 401);
    let res = post(Some("wrong")).send().await.expect("request");
    assert_eq!(res.status(), 403);
    // The right key passes authentication and reaches the router, which has no POST /healthz.
    let res = post(Some("e2e-secret-key")).send().await.expect("request");
    assert_eq!(res.status(), 405);
    assert_eq!(app.get("/healthz").await.status(), 200);
    assert!(
        !app.stderr().join("\n").contains("e2e-secret-key"),
        "the key was logged"
    );
}

#[tokio::test]
async fn body_over_max_body_is_a_json_413() {
    let app = TestApp::sqlite(&[("DIPLOGRAPH_MAX_BODY", "1KiB")]);
    let res = app
        .client
        .post(app.url("/healthz"))
        .body(vec![b'x'; 4096])
        .send()
        .await
        .expect("request");
    assert_eq!(res.status(), 413);
    let body: Value = res.json().await.expect("json");
    assert_eq!(body["error"]["code"], "payload_too_large");
}

#[tokio::test]
async fn sigterm_stops_the_server_gracefully() {
    let mut app = TestApp::sqlite(&[]);
    assert_eq!(app.get("/healthz").await.status(), 200);
    let status = app.terminate();
    assert!(status.success(), "exit status {status:?}");
    let log = app.stderr().join("\n");
    assert!(log.contains("shutdown signal received"), "{log}");
}

#[test]
fn migrate_creates_and_migrates_the_database_then_exits() {
    let dir = tempfile::tempdir().expect("temp dir");
    let url = sqlite_url(dir.path(), "migrated.db");
    let out = run_to_exit(&["--database-url", &url, "migrate"], &[]);
    assert!(out.status.success(), "{}", out.stderr);
    assert!(dir.path().join("migrated.db").is_file());
    // A second run finds nothing to do and succeeds as well.
    let out = run_to_exit(&["migrate"], &[("DATABASE_URL", &url)]);
    assert!(out.status.success(), "{}", out.stderr);
}

#[test]
fn version_and_help_exit_zero() {
    for arg in ["--version", "--help"] {
        let status = diplograph().arg(arg).output().expect("run").status;
        assert!(status.success(), "{arg}: {status:?}");
    }
}

/// The partners in a ties answer.
fn partners(ties: &Value) -> Vec<String> {
    ties["partners"]
        .as_array()
        .expect("partners")
        .iter()
        .filter_map(|p| p["partner"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn serve_catches_up_with_an_ingest_run_by_another_process() {
    let app = TestApp::sqlite(&[("DIPLOGRAPH_SYNC_INTERVAL", "1")]);
    assert!(partners(&app.get_ok("/v1/countries/RUS/ties").await).is_empty());
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("lavrov.txt");
    std::fs::write(
        &article,
        "date 2020-08-01 MOSCOW — Russian Foreign Minister Sergei Lavrov met Iranian Foreign \
         Minister Mohammad Javad Zarif in Moscow on Saturday.",
    )
    .expect("write the article");
    let ingest = run_to_exit(
        &["ingest", article.to_str().expect("utf-8 path")],
        &[("DATABASE_URL", app.database_url.as_str())],
    );
    assert!(ingest.status.success(), "{}", ingest.stderr);
    // The server checks every second; give it a few.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(15);
    loop {
        let ties = app.get_ok("/v1/countries/RUS/ties").await;
        if partners(&ties) == ["IRN"] {
            break;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "the server never saw the other process's article: {ties}\n{:?}",
            app.stderr()
        );
        tokio::time::sleep(std::time::Duration::from_millis(200)).await;
    }
    assert!(
        app.stderr()
            .iter()
            .any(|line| line.contains("the store changed outside this process")),
        "{:?}",
        app.stderr()
    );
}
