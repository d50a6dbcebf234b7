//! Bad requests against the real server, on SQLite and PostgreSQL: each gets the right 4xx, a
//! JSON error with the right code, and leaves every table of the database as it was (counted
//! after each request). Injection-like strings that are valid input get a normal answer and
//! change nothing either.

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::pg::FreshDatabase;
use crate::store_rows::row_counts;

const KEY: &str = "e2e-bad-requests-key";
const JSON: Option<&str> = Some("application/json");
const NDJSON: Option<&str> = Some("application/x-ndjson");

#[derive(Clone, Copy)]
enum Auth {
    Right,
    Missing,
    Wrong,
}

/// One request and what it must get: `(status, error code)`, `None` for a success.
struct Case {
    method: &'static str,
    path: String,
    content_type: Option<&'static str>,
    body: Vec<u8>,
    auth: Auth,
    status: u16,
    code: Option<&'static str>,
}

fn get(path: impl Into<String>, status: u16, code: &'static str) -> Case {
    Case {
        method: "GET",
        path: path.into(),
        content_type: None,
        body: Vec::new(),
        auth: Auth::Right,
        status,
        code: Some(code),
    }
}

fn post(
    path: &str,
    content_type: Option<&'static str>,
    body: impl Into<Vec<u8>>,
    status: u16,
    code: &'static str,
) -> Case {
    Case {
        method: "POST",
        path: path.to_owned(),
        content_type,
        body: body.into(),
        auth: Auth::Right,
        status,
        code: Some(code),
    }
}

fn article(fields: Value) -> Vec<u8> {
    fields.to_string().into_bytes()
}

fn with_auth(mut case: Case, auth: Auth) -> Case {
    case.auth = auth;
    case
}

fn ok(mut case: Case) -> Case {
    case.status = 200;
    case.code = None;
    case
}

/// The table: ids that exist come from the seeded store.
fn cases(event: &str, person: &str) -> Vec<Case> {
    let ten_mb = format!(r#"{{"text":"{}"}}"#, "x".repeat(10 * 1024 * 1024)).into_bytes();
    let long_url = "u".repeat(3000);
    let long_q = "k".repeat(101);
    let mut cases = vec![
        // Bodies of POST /v1/articles.
        post(
            "/v1/articles",
            JSON,
            r#"{"text": "unterminated"#,
            400,
            "invalid_json",
        ),
        post("/v1/articles", JSON, "not json at all", 400, "invalid_json"),
        post("/v1/articles", JSON, "[1, 2]", 422, "invalid_body"),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": 42})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": null})),
            422,
            "invalid_body",
        ),
        post("/v1/articles", JSON, article(json!({})), 422, "invalid_body"),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": ""})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": " \n\t "})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "published": "2020-02-30"})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "published": "yesterday"})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "published": "1066-10-14"})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "author": "me"})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif\u{0} met Lavrov."})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "url": 5})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            article(json!({"text": "Zarif met Lavrov.", "url": long_url})),
            422,
            "invalid_body",
        ),
        post(
            "/v1/articles",
            JSON,
            b"{\"text\":\"Zarif met \xff Lavrov.\"}".to_vec(),
            400,
            "invalid_json",
        ),
        post(
            "/v1/articles",
            None,
            article(json!({"text": "Zarif met Lavrov."})),
            415,
            "unsupported_media_type",
        ),
        post(
            "/v1/articles",
            Some("text/plain"),
            "Zarif met Lavrov.",
            415,
            "unsupported_media_type",
        ),
        post("/v1/articles", JSON, ten_mb.clone(), 413, "payload_too_large"),
        with_auth(
            post(
                "/v1/articles",
                JSON,
                article(json!({"text": "Zarif met Lavrov."})),
                401,
                "unauthorized",
            ),
            Auth::Missing,
        ),
        with_auth(
            post(
                "/v1/articles",
                JSON,
                article(json!({"text": "Zarif met Lavrov."})),
                403,
                "forbidden",
            ),
            Auth::Wrong,
        ),
        // The other writes.
        post("/v1/extract", JSON, "{", 400, "invalid_json"),
        post(
            "/v1/extract",
            JSON,
            article(json!({"text": ""})),
            422,
            "invalid_body",
        ),
        with_auth(
            post(
                "/v1/extract",
                JSON,
                article(json!({"text": "x"})),
                401,
                "unauthorized",
            ),
            Auth::Missing,
        ),
        post("/v1/articles/batch", NDJSON, "\n\n", 422, "invalid_body"),
        post(
            "/v1/articles/batch",
            Some("application/xml"),
            "<a/>",
            415,
            "unsupported_media_type",
        ),
        post("/v1/articles/batch", NDJSON, ten_mb, 413, "payload_too_large"),
        with_auth(
            post(
                "/v1/articles/batch",
                NDJSON,
                "{\"text\":\"x\"}",
                401,
                "unauthorized",
            ),
            Auth::Missing,
        ),
        post(
            "/v1/entities/no-such-entity/merge",
            JSON,
            article(json!({"into": person, "reason": "test"})),
            404,
            "not_found",
        ),
        post(
            &format!("/v1/entities/{person}/merge"),
            JSON,
            article(json!({"into": person, "reason": "test"})),
            400,
            "bad_request",
        ),
        post(
            &format!("/v1/entities/{person}/merge"),
            JSON,
            article(json!({"into": "IRN", "reason": "test"})),
            400,
            "bad_request",
        ),
        post(
            "/v1/entities/IRN/merge",
            JSON,
            article(json!({"into": "IRQ", "reason": "test"})),
            400,
            "bad_request",
        ),
        post(
            &format!("/v1/entities/{person}/merge"),
            JSON,
            article(json!({"into": "IRN"})),
            422,
            "invalid_body",
        ),
        with_auth(
            post(
                &format!("/v1/entities/{person}/merge"),
                JSON,
                article(json!({"into": "x", "reason": "r"})),
                403,
                "forbidden",
            ),
            Auth::Wrong,
        ),
        post("/v1/countries/IRN/ties", JSON, "{}", 405, "method_not_allowed"),
        // Reads: codes, ids, dates, kinds, limits, cursors, depths, formats.
        get("/v1/countries/XYZ/ties", 404, "not_found"),
        get("/v1/countries/Iran!!/ties", 400, "bad_request"),
        get("/v1/countries/QQ", 404, "not_found"),
        get("/v1/countries/IRN/ties?from=2020-13-01", 400, "bad_request"),
        get("/v1/countries/IRN/ties?from=2020-07", 400, "bad_request"),
        get(
            "/v1/countries/IRN/ties?from=2021-01-01&to=2020-01-01",
            400,
            "bad_request",
        ),
        get("/v1/countries/IRN/ties?to=0001-01-01", 400, "bad_request"),
        get("/v1/countries/IRN/ties?kinds=VISIT,LUNCH", 400, "bad_request"),
        get("/v1/countries/IRN/ties?modality=rumoured", 400, "bad_request"),
        get("/v1/countries/IRN/ties?latest=501", 400, "bad_request"),
        get("/v1/timeline?country=IRN&limit=-1", 400, "bad_request"),
        get("/v1/timeline?country=IRN&limit=0", 400, "bad_request"),
        get(
            "/v1/timeline?country=IRN&limit=99999999999999999999",
            400,
            "bad_request",
        ),
        get("/v1/timeline?country=IRN&cursor=zzzz", 400, "bad_request"),
        get(
            "/v1/timeline?country=IRN&cursor=%27%20or%201%3D1--",
            400,
            "bad_request",
        ),
        get("/v1/timeline?country=IRN&cursor=abcd", 400, "bad_request"),
        get("/v1/timeline", 400, "bad_request"),
        get(
            format!("/v1/timeline?actor={person}&country=IRN"),
            400,
            "bad_request",
        ),
        get("/v1/timeline?country=IRN&format=xml", 400, "bad_request"),
        get(
            "/v1/events/0190a000-0000-7000-8000-000000000000",
            404,
            "not_found",
        ),
        get("/v1/events/not%20an%20id", 400, "bad_request"),
        get(
            format!("/v1/events/{event}%27%3B%20drop%20table%20event%3B--"),
            400,
            "bad_request",
        ),
        get("/v1/people/unknown-person", 404, "not_found"),
        get("/v1/people/IRN", 404, "not_found"),
        get("/v1/people?q=", 400, "bad_request"),
        get(format!("/v1/people?q={long_q}"), 400, "bad_request"),
        get("/v1/people?q=kadhimi&limit=101", 400, "bad_request"),
        get("/v1/graph/neighborhood?entity=IRN&depth=99", 400, "bad_request"),
        get("/v1/graph/neighborhood?entity=IRN&depth=0", 400, "bad_request"),
        get("/v1/graph/neighborhood", 400, "bad_request"),
        get("/v1/graph/neighborhood?entity=nobody-at-all", 404, "not_found"),
        get(
            "/v1/graph/neighborhood?entity=IRN&count_only=maybe",
            400,
            "bad_request",
        ),
        get("/v1/graph/path?from=IRN", 400, "bad_request"),
        get("/v1/graph/path?from=IRN&to=IRQ&max_depth=99", 400, "bad_request"),
        get("/v1/graph/path?from=IRN&to=nobody-at-all", 404, "not_found"),
        get("/v1/graph/centrality?kind=planet", 400, "bad_request"),
        get("/v1/graph/centrality?kind=place", 400, "bad_request"),
        get("/v1/ties/IRN/IRQ?interval=fortnight", 400, "bad_request"),
        get("/v1/ties/IRN/XYZ", 404, "not_found"),
        get("/v1/stats/timeseries?country=IRN", 400, "bad_request"),
        get("/v1/stream?last_event_id=yesterday", 400, "bad_request"),
        get("/v1/no/such/route", 404, "not_found"),
        // Injection-like strings that are valid input: a normal answer, nothing changes.
        ok(get(
            "/v1/people?q=Robert%27)%3B%20DROP%20TABLE%20entity%3B--",
            0,
            "",
        )),
        ok(get("/v1/entities/search?q=%25%27%20OR%20%271%27%3D%271", 0, "")),
        ok(get(
            "/v1/entities/search?q=%3Cscript%3Ealert(1)%3C%2Fscript%3E",
            0,
            "",
        )),
    ];
    cases.push(ok(post(
        "/v1/extract",
        JSON,
        article(json!({"text": "'); DROP TABLE article; --"})),
        0,
        "",
    )));
    cases
}

#[tokio::test]
async fn bad_requests_get_4xx_json_and_change_nothing_on_sqlite() {
    let app = TestApp::sqlite(&[("DIPLOGRAPH_API_KEY", KEY)]);
    run_table(&app).await;
}

#[tokio::test]
async fn bad_requests_get_4xx_json_and_change_nothing_on_postgres() {
    let Some(db) = FreshDatabase::create("bad_requests_get_4xx_json_and_change_nothing_on_postgres").await
    else {
        return;
    };
    let app = TestApp::spawn(&db.url, &[("DIPLOGRAPH_API_KEY", KEY)]);
    run_table(&app).await;
}

async fn run_table(app: &TestApp) {
    let (event, person) = app.seed_ids(KEY).await;
    let before = row_counts(&app.database_url).await;
    let cases = cases(&event, &person);
    assert!(cases.len() >= 40, "{} cases", cases.len());
    for case in cases {
        let what = format!("{} {}", case.method, &case.path[..case.path.len().min(120)]);
        let (status, body) = send(app, &case).await;
        assert_eq!(status, case.status, "{what}: {body}");
        match case.code {
            Some(code) => {
                let json: Value =
                    serde_json::from_str(&body).unwrap_or_else(|e| panic!("{what}: not json ({e}): {body}"));
                assert_eq!(json["error"]["code"], code, "{what}: {body}");
                assert!(
                    json["error"]["message"].as_str().is_some_and(|m| !m.is_empty()),
                    "{what}"
                );
            }
            None => assert!(serde_json::from_str::<Value>(&body).is_ok(), "{what}: {body}"),
        }
        assert_eq!(
            row_counts(&app.database_url).await,
            before,
            "{what} changed the store"
        );
    }
    let log = app.stderr().join("\n");
    assert!(!log.contains(KEY), "the api key was logged");
    assert!(
        !log.contains("internal error"),
        "a bad request caused an internal error:\n{log}"
    );
}

/// Sends a case with its body, content type and key; the status and the body text.
async fn send(app: &TestApp, case: &Case) -> (u16, String) {
    let method = reqwest::Method::from_bytes(case.method.as_bytes()).expect("method");
    let mut req = app
        .client
        .request(method, app.url(&case.path))
        .body(case.body.clone());
    if let Some(content_type) = case.content_type {
        req = req.header("content-type", content_type);
    }
    req = match case.auth {
        Auth::Right => req.bearer_auth(KEY),
        Auth::Wrong => req.bearer_auth("not-the-key"),
        Auth::Missing => req,
    };
    let res = req
        .send()
        .await
        .unwrap_or_else(|e| panic!("{} {}: {e}", case.method, case.path));
    let status = res.status().as_u16();
    (status, res.text().await.expect("body"))
}
