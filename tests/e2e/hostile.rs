//! Hostile strings in every parameter of every route, on SQLite and PostgreSQL: SQL injection and
//! path traversal in each path and query parameter the OpenAPI document lists (the others set to
//! valid values) and in each string field of the write bodies. No answer may be a 5xx, and the
//! store must be unchanged, except for the articles a write route accepted (counted). Raw
//! traversal paths never reach a file.

use std::collections::BTreeMap;

use serde_json::{Value, json};

use crate::helpers::TestApp;
use crate::pg::FreshDatabase;
use crate::store_rows::row_counts;

const KEY: &str = "e2e-hostile-key";

/// SQL injection, path traversal and other strings that must be handled as plain data.
pub(crate) const HOSTILE: &[&str] = &[
    "' OR '1'='1",
    "'; DROP TABLE article; --",
    "\" OR 1=1 --",
    "1 UNION SELECT name, sql FROM sqlite_master --",
    "1) OR pg_sleep(5) IS NULL --",
    "%' AND 1=0 UNION SELECT NULL --",
    "IRN'; DELETE FROM event; --",
    "../../../../etc/passwd",
    "..%2F..%2F..%2Fetc%2Fpasswd",
    "%2e%2e%2f%2e%2e%2fetc%2fpasswd",
    "..\\..\\..\\windows\\win.ini",
    "/etc/passwd",
    "....//....//etc/passwd",
    "\u{0}",
    "%00",
    "\r\nX-Injected: 1",
    "<script>alert(1)</script>",
    "${jndi:ldap://x/y}",
    "😀' 🇮🇷 \u{202e}",
];

/// Valid values for the parameters a request needs besides the one under test.
struct Valid {
    event: String,
    person: String,
}

impl Valid {
    fn for_param(&self, path: &str, name: &str) -> Option<String> {
        let value = match (path, name) {
            (p, "id") if p.starts_with("/v1/events/") => self.event.clone(),
            (_, "id" | "entity" | "actor") => self.person.clone(),
            ("/v1/graph/path", "from" | "to") => self.person.clone(),
            (_, "code" | "a" | "country") => "IRN".to_owned(),
            (_, "b" | "partner") => "IRQ".to_owned(),
            _ => return None,
        };
        Some(value)
    }
}

/// Percent-encodes everything but RFC 3986 unreserved characters.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// Every `GET` route's URL with `hostile` in one parameter, for each of its parameters.
fn read_urls(doc: &Value, valid: &Valid, hostile: &str) -> Vec<String> {
    let mut urls = Vec::new();
    for (path, ops) in doc["paths"].as_object().expect("paths") {
        let Some(op) = ops.get("get") else { continue };
        let params: Vec<(&str, &str)> = op["parameters"]
            .as_array()
            .map(|ps| {
                ps.iter()
                    .map(|p| (p["name"].as_str().expect("name"), p["in"].as_str().expect("in")))
                    .filter(|(_, place)| matches!(*place, "path" | "query"))
                    .collect()
            })
            .unwrap_or_default();
        for (target, _) in &params {
            let mut url = path.clone();
            let mut query = Vec::new();
            for (name, place) in &params {
                let value = if name == target {
                    Some(hostile.to_owned())
                } else {
                    valid.for_param(path, name)
                };
                match (*place, value) {
                    ("path", Some(v)) => url = url.replace(&format!("{{{name}}}"), &encode(&v)),
                    ("query", Some(v)) => query.push(format!("{name}={}", encode(&v))),
                    _ => {}
                }
            }
            if !query.is_empty() {
                url = format!("{url}?{}", query.join("&"));
            }
            urls.push(url);
        }
    }
    urls
}

/// The write requests with `hostile` in each string field: `(path, body)`.
fn write_bodies(valid: &Valid, hostile: &str, n: usize) -> Vec<(String, Value)> {
    let text = format!("On Monday, Iranian envoy {n} met Sergei Lavrov in Moscow. {hostile}");
    let url = format!("https://example.test/hostile/{n}");
    vec![
        ("/v1/extract".to_owned(), json!({"text": hostile})),
        (
            "/v1/extract".to_owned(),
            json!({"text": text, "url": hostile, "title": hostile, "source": hostile}),
        ),
        (
            "/v1/articles".to_owned(),
            json!({"text": text, "url": url, "title": hostile, "source": hostile}),
        ),
        (
            "/v1/articles".to_owned(),
            json!({"text": text, "url": hostile, "published": hostile}),
        ),
        (
            format!("/v1/entities/{}/merge", encode(hostile)),
            json!({"into": valid.person, "reason": "x"}),
        ),
        (
            format!("/v1/entities/{}/merge", valid.person),
            json!({"into": hostile, "reason": hostile}),
        ),
    ]
}

#[tokio::test]
async fn hostile_strings_in_every_parameter_are_data_on_sqlite() {
    let app = TestApp::sqlite(&[("DIPLOGRAPH_API_KEY", KEY)]);
    run(&app).await;
}

#[tokio::test]
async fn hostile_strings_in_every_parameter_are_data_on_postgres() {
    let Some(db) = FreshDatabase::create("hostile_strings_in_every_parameter_are_data_on_postgres").await
    else {
        return;
    };
    let app = TestApp::spawn(&db.url, &[("DIPLOGRAPH_API_KEY", KEY)]);
    run(&app).await;
}

async fn run(app: &TestApp) {
    let (event, person) = app.seed_ids(KEY).await;
    let valid = Valid { event, person };
    let doc = app.get_ok("/openapi.json").await;
    let before = row_counts(&app.database_url).await;
    let mut reads = 0;
    for hostile in HOSTILE {
        for url in read_urls(&doc, &valid, hostile) {
            // `send` returns with the response head, so an open stream does not block.
            let res = app.client.get(app.url(&url)).bearer_auth(KEY).send().await;
            let status = res.unwrap_or_else(|e| panic!("GET {url}: {e}")).status().as_u16();
            assert!(status < 500, "GET {url}: {status}");
            reads += 1;
        }
    }
    assert!(reads >= 60 * HOSTILE.len(), "{reads} reads");
    assert_eq!(
        row_counts(&app.database_url).await,
        before,
        "hostile reads changed the store"
    );

    let mut stored = 0;
    let mut refused = Vec::new();
    for (n, hostile) in HOSTILE.iter().enumerate() {
        for (path, body) in write_bodies(&valid, hostile, n) {
            let res = app
                .client
                .post(app.url(&path))
                .bearer_auth(KEY)
                .json(&body)
                .send()
                .await
                .unwrap_or_else(|e| panic!("POST {path}: {e}"));
            let status = res.status().as_u16();
            assert!(status < 500, "POST {path} {body}: {status}");
            stored += usize::from(status == 201);
            if path == "/v1/articles" && status != 201 {
                refused.push(format!("{status} {}", res.text().await.unwrap_or_default()));
            }
        }
    }
    let after = row_counts(&app.database_url).await;
    assert_eq!(
        after.keys().collect::<Vec<_>>(),
        before.keys().collect::<Vec<_>>(),
        "tables"
    );
    assert_eq!(
        after["article"] - before["article"],
        i64::try_from(stored).expect("count")
    );
    // Each hostile string is stored as a title and source, but for NUL, which a text refuses.
    assert!(
        stored >= HOSTILE.len() - 1,
        "only {stored} hostile articles stored: {refused:#?}"
    );
    assert!(refused.iter().all(|r| r.starts_with("422 ")), "{refused:#?}");
    assert_merge_log_unchanged(&before, &after);
    let log = app.stderr().join("\n");
    assert!(!log.contains(" ERROR "), "an error was logged:\n{log}");
}

fn assert_merge_log_unchanged(before: &BTreeMap<String, i64>, after: &BTreeMap<String, i64>) {
    for table in before.keys().filter(|t| t.contains("merge")) {
        assert_eq!(
            before[table], after[table],
            "{table}: a hostile merge went through"
        );
    }
}
