//! `GET /v1/export`: every format streamed with its media type and file name, parsed back;
//! filters; bad parameters are `400` JSON; reads need a key when read keys are set.

use axum::http::{StatusCode, header};

use crate::app;
use crate::tests::stack::keyed_config_with;
use crate::tests::{assert_error, get_req, seeded_state, send, test_state, text_body};

/// `GET uri`: the status, the content type, the content disposition and the body.
async fn fetch(state: &crate::AppState, uri: &str) -> (StatusCode, String, String, String) {
    let (status, res) = send(app(state.clone()), get_req(uri)).await;
    let header = |name| {
        res.headers()
            .get(name)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    };
    let (content_type, disposition) = (header(header::CONTENT_TYPE), header(header::CONTENT_DISPOSITION));
    assert!(
        res.headers().get(header::ETAG).is_none(),
        "a stream carries no ETag"
    );
    (status, content_type, disposition, text_body(res).await)
}

#[tokio::test]
async fn every_format_streams_with_its_media_type_and_file_name() {
    let (state, _dir) = seeded_state().await;
    let (status, ct, disposition, csv) = fetch(&state, "/v1/export?format=csv").await;
    assert_eq!((status, ct.as_str()), (StatusCode::OK, "text/csv; charset=utf-8"));
    assert_eq!(disposition, "attachment; filename=\"diplograph.csv\"");
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    assert_eq!(&reader.headers().expect("header")[0], "event_id");
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a record")).collect();
    assert!(rows.len() >= 5, "{csv}");

    let (_, ct, _, jsonl) = fetch(&state, "/v1/export?format=jsonl").await;
    assert_eq!(ct, "application/x-ndjson");
    let events = jsonl
        .lines()
        .map(|l| serde_json::from_str::<serde_json::Value>(l).expect("JSON line"))
        .filter(|r| r["type"] == "event")
        .count();
    assert_eq!(events, rows.len(), "csv and jsonl hold the same events");

    let (_, ct, _, jsonld) = fetch(&state, "/v1/export?format=jsonld").await;
    assert_eq!(ct, "application/ld+json");
    let doc: serde_json::Value = serde_json::from_str(&jsonld).expect("a JSON-LD document");
    assert!(doc["@graph"].as_array().is_some_and(|g| g.len() > events));

    let (_, ct, disposition, gdelt) = fetch(&state, "/v1/export?format=gdelt").await;
    assert!(ct.starts_with("text/tab-separated-values"), "{ct}");
    assert_eq!(disposition, "attachment; filename=\"diplograph.export.CSV\"");
    assert!(gdelt.lines().count() >= 1 && gdelt.lines().all(|l| l.split('\t').count() == 61));

    for (format, root) in [("graphml", "<graphml"), ("gexf", "<gexf")] {
        let (status, ct, _, xml) = fetch(&state, &format!("/v1/export?format={format}")).await;
        assert_eq!(status, StatusCode::OK);
        assert_eq!(ct, format!("application/{format}+xml"));
        assert!(
            xml.starts_with("<?xml") && xml.contains(root) && xml.contains("<edge "),
            "{xml}"
        );
    }
}

#[tokio::test]
async fn filters_narrow_the_export() {
    let (state, _dir) = seeded_state().await;
    let (_, _, _, all) = fetch(&state, "/v1/export?format=csv").await;
    let (_, _, _, meet) = fetch(
        &state,
        "/v1/export?format=csv&kinds=MEET&country=ir&from=2020-07-01",
    )
    .await;
    let rows = |text: &str| text.lines().count() - 1;
    assert!(rows(&meet) >= 1 && rows(&meet) < rows(&all), "{meet}");
    assert!(meet.lines().skip(1).all(|l| l.contains(",MEET,")), "{meet}");
    let (_, _, _, none) = fetch(&state, "/v1/export?format=csv&to=1999-12-31").await;
    assert_eq!(rows(&none), 0, "{none}");
}

#[tokio::test]
async fn bad_parameters_are_400_json() {
    let (state, _dir) = seeded_state().await;
    for uri in [
        "/v1/export",
        "/v1/export?format=xlsx",
        "/v1/export?format=csv&from=2020-13-01",
        "/v1/export?format=csv&from=2020-02-01&to=2020-01-01",
        "/v1/export?format=csv&country=ZZZ",
        "/v1/export?format=csv&kinds=PARTY",
        "/v1/export?format=csv&modality=maybe",
    ] {
        let (status, res) = send(app(state.clone()), get_req(uri)).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{uri}");
        assert_error(res, "bad_request").await;
    }
}

#[tokio::test]
async fn the_export_is_a_read_guarded_by_read_keys() {
    let (state, _dir) = test_state(keyed_config_with(Some("reader"))).await;
    let (status, res) = send(app(state.clone()), get_req("/v1/export?format=csv")).await;
    assert_eq!(status, StatusCode::UNAUTHORIZED);
    assert_error(res, "unauthorized").await;
    let mut req = get_req("/v1/export?format=csv");
    req.headers_mut()
        .insert(header::AUTHORIZATION, "Bearer reader".parse().expect("header"));
    let (status, res) = send(app(state), req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(text_body(res).await.starts_with("event_id,"));
}
