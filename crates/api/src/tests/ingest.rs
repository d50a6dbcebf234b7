//! Ingestion: extract only, store one article, store a batch of NDJSON lines.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::{Value, json};

use crate::tests::{SEED, assert_error, json_body, post_json, seed_body, send, test_state};
use crate::{ApiConfig, app};

fn post_ndjson(body: impl Into<Body>) -> Request<Body> {
    Request::post("/v1/articles/batch")
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(body.into())
        .expect("request")
}

fn kinds(events: &Value) -> Vec<&str> {
    events
        .as_array()
        .expect("events")
        .iter()
        .filter_map(|e| e["kind"].as_str())
        .collect()
}

#[tokio::test]
async fn extract_returns_the_extraction_and_stores_nothing() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state.clone()), post_json("/v1/extract", seed_body())).await;
    assert_eq!(status, StatusCode::OK);
    let body = json_body(res).await;
    assert_eq!(body["article"]["published"], "2020-07-22");
    assert_eq!(body["article"]["home_country"], "IRN");
    let kinds = kinds(&body["events"]);
    assert!(kinds.contains(&"VISIT") && kinds.contains(&"MEET"), "{kinds:?}");

    let found = state.store.person_search("Kadhimi", 10).await.expect("search");
    assert!(found.is_empty(), "extract stored something: {found:?}");
}

#[tokio::test]
async fn storing_an_article_reports_ids_and_a_second_time_changes_nothing() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    assert_eq!(status, StatusCode::CREATED);
    let first = json_body(res).await;
    let stored = &first["stored"];
    assert_eq!(stored["duplicate"], false);
    assert!(stored["new_events"].as_u64().is_some_and(|n| n >= 5), "{stored}");
    let event_ids = stored["event_ids"].as_array().expect("ids").clone();
    assert!(!event_ids.is_empty());
    assert!(first["extraction"]["events"].is_array());

    let (status, res) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    assert_eq!(status, StatusCode::OK);
    let again = json_body(res).await;
    assert_eq!(again["stored"]["duplicate"], true);
    assert_eq!(again["stored"]["new_events"], 0);
    assert_eq!(again["stored"]["article_id"], stored["article_id"]);

    let found = state.store.person_search("Kadhimi", 10).await.expect("search");
    assert_eq!(found.len(), 1, "{found:?}");
}

#[tokio::test]
async fn a_rewrapped_copy_of_a_stored_article_is_a_duplicate() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, _) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    assert_eq!(status, StatusCode::CREATED);
    let rewrapped = json!({"text": SEED.split_whitespace().collect::<Vec<_>>().join("  ")}).to_string();
    let (status, res) = send(app(state), post_json("/v1/articles", rewrapped)).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(json_body(res).await["stored"]["duplicate"], true);
}

#[tokio::test]
async fn a_batch_stores_good_lines_and_reports_bad_ones_by_number() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let lines = [
        json!({"text": SEED, "url": "https://example.test/seed"}).to_string(),
        String::new(),
        "{not json".to_owned(),
        json!({"text": 42}).to_string(),
        json!({"text": "   "}).to_string(),
        json!({"text": "On Monday, Foreign Minister Mohammad Javad Zarif met Sergei Lavrov in Moscow.",
               "published": "2020-07-20", "url": "https://example.test/moscow"})
        .to_string(),
        json!({"text": SEED, "url": "https://example.test/seed"}).to_string(),
    ];
    let mut body = lines.join("\n").into_bytes();
    body.extend_from_slice(b"\n\xff\xfe\n");
    let (status, res) = send(app(state.clone()), post_ndjson(body)).await;
    assert_eq!(status, StatusCode::OK);
    let body = json_body(res).await;
    assert_eq!(body["lines"], 7, "{body}");
    assert_eq!(body["stored"], 2, "{body}");
    assert_eq!(body["duplicates"], 1, "{body}");
    assert_eq!(body["failed"], 4, "{body}");
    let line = |n: u64| {
        body["results"]
            .as_array()
            .expect("results")
            .iter()
            .find(|r| r["line"] == n)
            .cloned()
            .unwrap_or_else(|| panic!("no result for line {n}: {body}"))
    };
    assert_eq!(line(1)["status"], "stored");
    assert_eq!(line(3)["error"]["code"], "invalid_json");
    assert_eq!(line(4)["error"]["code"], "invalid_body");
    assert_eq!(line(5)["error"]["code"], "invalid_body");
    assert_eq!(line(6)["status"], "stored");
    assert_eq!(line(7)["status"], "duplicate");
    assert_eq!(line(8)["error"]["code"], "invalid_json");
}

#[tokio::test]
async fn a_batch_needs_ndjson_and_at_least_one_line() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state.clone()), post_ndjson("\n \n")).await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
    assert_error(res, "invalid_body").await;
    let req = Request::post("/v1/articles/batch")
        .header(header::CONTENT_TYPE, "text/csv")
        .body(Body::from("text\nhello"))
        .expect("request");
    let (status, res) = send(app(state), req).await;
    assert_eq!(status, StatusCode::UNSUPPORTED_MEDIA_TYPE);
    assert_error(res, "unsupported_media_type").await;
}
