//! `GET /v1/stream` (live events, resumable) and `/metrics`.

use std::time::Duration;

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use axum::response::Response;
use http_body_util::BodyExt;
use serde_json::Value;

use crate::telemetry::tests::test_handle;
use crate::tests::{get_req, json_body, post_json, seed_body, send, test_state, text_body};
use crate::{ApiConfig, app};

/// Reads SSE frames from `res` until `done` says the text so far is enough (or 10 s pass).
async fn read_until(res: &mut Response, done: impl Fn(&str) -> bool) -> String {
    let mut text = String::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while !done(&text) {
        let frame = tokio::time::timeout_at(deadline, res.body_mut().frame())
            .await
            .unwrap_or_else(|_| panic!("stream went quiet; so far:\n{text}"))
            .expect("stream open")
            .expect("frame");
        if let Ok(data) = frame.into_data() {
            text.push_str(std::str::from_utf8(&data).expect("utf-8"));
        }
    }
    text
}

/// `(id, event name, data)` of each message in an SSE text.
fn messages(text: &str) -> Vec<(u64, String, Value)> {
    text.split("\n\n")
        .filter_map(|block| {
            let field = |name: &str| {
                block
                    .lines()
                    .find_map(|l| l.strip_prefix(name).map(|v| v.trim_start().to_owned()))
            };
            let id = field("id:")?.parse().ok()?;
            let data = serde_json::from_str(&field("data:")?).ok()?;
            Some((id, field("event:")?, data))
        })
        .collect()
}

#[tokio::test]
async fn a_connected_client_gets_the_new_events_and_can_resume() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, mut live) = send(app(state.clone()), get_req("/v1/stream")).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        live.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/event-stream")
    );

    let (_, res) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    let stored = json_body(res).await["stored"].clone();
    let n = stored["event_ids"].as_array().expect("ids").len();
    let text = read_until(&mut live, |t| messages(t).len() >= n).await;
    let got = messages(&text);
    assert!(got.iter().all(|(_, name, _)| name == "event"), "{text}");
    let ids: Vec<&Value> = got.iter().map(|(_, _, data)| &data["id"]).collect();
    assert_eq!(
        ids,
        stored["event_ids"]
            .as_array()
            .expect("ids")
            .iter()
            .collect::<Vec<_>>()
    );
    assert!(got.windows(2).all(|w| w[1].0 > w[0].0), "ids increase");

    // A client that saw only the first message catches up on the rest.
    let req = Request::get("/v1/stream")
        .header("last-event-id", got[0].0.to_string())
        .body(Body::empty())
        .expect("request");
    let (_, mut resumed) = send(app(state.clone()), req).await;
    let text = read_until(&mut resumed, |t| messages(t).len() >= n - 1).await;
    assert_eq!(messages(&text)[0].0, got[1].0);

    // Shutdown ends open streams, so a graceful stop does not wait for them forever.
    state.live.close();
    let rest = tokio::time::timeout(Duration::from_secs(5), live.into_body().collect()).await;
    assert!(rest.is_ok(), "the stream did not end on close");
}

#[tokio::test]
async fn a_garbled_last_event_id_is_a_400() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, res) = send(app(state), get_req("/v1/stream?last_event_id=yesterday")).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(json_body(res).await["error"]["code"], "bad_request");
}

#[tokio::test]
async fn metrics_count_requests_per_route_and_ingestion() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let state = state.with_metrics(test_handle());
    let (status, _) = send(app(state.clone()), post_json("/v1/articles", seed_body())).await;
    assert_eq!(status, StatusCode::CREATED);
    send(app(state.clone()), get_req("/v1/events/no-such-event")).await;
    let (status, res) = send(app(state), get_req("/metrics")).await;
    assert_eq!(status, StatusCode::OK);
    let text = text_body(res).await;
    for needle in [
        "http_requests_total{method=\"POST\",route=\"/v1/articles\",status=\"201\"}",
        "http_requests_total{method=\"GET\",route=\"/v1/events/{id}\",status=\"404\"}",
        "http_request_duration_seconds_bucket{method=\"POST\",route=\"/v1/articles\"",
        "diplograph_articles_total{result=\"stored\"}",
        "diplograph_events_total{result=\"new\"}",
    ] {
        assert!(text.contains(needle), "{needle} missing from:\n{text}");
    }
}

#[tokio::test]
async fn metrics_are_a_404_without_a_recorder() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (status, _) = send(app(state), get_req("/metrics")).await;
    assert_eq!(status, StatusCode::NOT_FOUND);
}

#[tokio::test]
async fn a_batch_announces_an_event_once_created_then_as_mentioned() {
    let (state, _dir) = test_state(ApiConfig::default()).await;
    let (_, mut live) = send(app(state.clone()), get_req("/v1/stream")).await;
    // Two outlets report the same meeting; both land in one transaction of the batch.
    let line = |url: &str, coda: &str| {
        serde_json::json!({
            "text": format!("On Monday, Foreign Minister Mohammad Javad Zarif met Sergei Lavrov in Moscow. {coda}"),
            "published": "2020-07-20",
            "url": url,
        })
        .to_string()
    };
    let body = format!(
        "{}\n{}\n",
        line("https://one.example/a", "The talks lasted two hours."),
        line("https://two.example/b", "Reporters were not admitted.")
    );
    let req = Request::post("/v1/articles/batch")
        .header(header::CONTENT_TYPE, "application/x-ndjson")
        .body(Body::from(body))
        .expect("request");
    let (status, res) = send(app(state.clone()), req).await;
    assert_eq!(status, StatusCode::OK);
    let answer = json_body(res).await;
    assert_eq!(answer["stored"], 2, "{answer}");
    let reports = &answer["results"];
    let n = reports[0]["stored"]["event_ids"].as_array().expect("ids").len();
    assert!(n > 0, "{answer}");
    assert_eq!(
        reports[0]["stored"]["event_ids"], reports[1]["stored"]["event_ids"],
        "{answer}"
    );
    let text = read_until(&mut live, |t| messages(t).len() >= 2 * n).await;
    let names: Vec<String> = messages(&text).into_iter().map(|(_, name, _)| name).collect();
    let want: Vec<&str> = [vec!["event"; n], vec!["mention"; n]].concat();
    assert_eq!(names, want, "{text}");
}
