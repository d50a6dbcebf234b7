//! The document's parameter and body schemas held against the server, value by value: a value
//! the schema accepts must not be refused (`400`/`422`), and a value it refuses must not be
//! served (`2xx`). These are the two checks schemathesis runs (`scripts/hostile_test`:
//! "schema-valid request rejected", "schema-violating request accepted"), here over the
//! boundary values of each pattern, enum and length. The few values the server reads more
//! leniently than the document says (lower-case country codes, say) are listed as such. The
//! body schemas and the `Day` calendar are held the same way in `bodies`.

use axum::http::StatusCode;
use regex::Regex;
use serde_json::Value;

use crate::tests::{get_json, seeded_state, send};
use crate::{AppState, app, openapi};

/// Whether `value` is valid under `schema` (resolved in `doc`): `$ref`, `oneOf`/`anyOf`,
/// `enum`, `pattern`, `minLength`, `maxLength` — what the document's string schemas use — and
/// integers (`minimum`, `maximum`) and booleans as a query string writes them.
pub(super) fn valid(doc: &Value, schema: &Value, value: &str) -> bool {
    match schema["type"].as_str() {
        Some("integer") => {
            let written = value.strip_prefix('-').unwrap_or(value);
            let Some(n) = value
                .parse::<i64>()
                .ok()
                .filter(|_| written.bytes().all(|b| b.is_ascii_digit()))
            else {
                return false;
            };
            return schema["minimum"].as_i64().is_none_or(|min| n >= min)
                && schema["maximum"].as_i64().is_none_or(|max| n <= max);
        }
        Some("boolean") => return value == "true" || value == "false",
        _ => {}
    }
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return valid(doc, &doc["components"]["schemas"][name], value);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            return options
                .iter()
                .any(|o| o["type"] != "null" && valid(doc, o, value));
        }
    }
    let chars = value.chars().count() as u64;
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.iter().any(|a| a == value)
    {
        return false;
    }
    if let Some(pattern) = schema["pattern"].as_str() {
        let re = Regex::new(pattern).unwrap_or_else(|e| panic!("pattern {pattern}: {e}"));
        if !re.is_match(value) {
            return false;
        }
    }
    schema["minLength"].as_u64().is_none_or(|min| chars >= min)
        && schema["maxLength"].as_u64().is_none_or(|max| chars <= max)
}

/// The schema of parameter `name` of `method path` in the document.
fn param_schema(doc: &Value, method: &str, path: &str, name: &str) -> Value {
    let params = doc["paths"][path][method]["parameters"]
        .as_array()
        .unwrap_or_else(|| panic!("{method} {path} has no parameters"));
    let param = params
        .iter()
        .find(|p| p["name"] == name)
        .unwrap_or_else(|| panic!("{method} {path} has no parameter {name}"));
    param["schema"].clone()
}

/// Every byte but the unreserved ones percent-encoded.
fn encode(value: &str) -> String {
    value
        .bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b => format!("%{b:02X}"),
        })
        .collect()
}

/// One parameter probed with values: `uri` has `{}` where the encoded value goes.
struct Probe<'a> {
    path: &'a str,
    param: &'a str,
    uri: String,
    values: Vec<String>,
    /// Values the document refuses but the server reads (a leniency the description states).
    lenient: &'a [&'a str],
}

fn probe<'a>(path: &'a str, param: &'a str, uri: impl Into<String>, values: &[&str]) -> Probe<'a> {
    Probe {
        path,
        param,
        uri: uri.into(),
        values: values.iter().map(|v| (*v).to_owned()).collect(),
        lenient: &[],
    }
}

/// Checks one answer against the document's verdict on the value.
pub(super) fn judge(what: &str, schema_ok: bool, lenient: bool, status: StatusCode, body: &str) {
    let refused = status == StatusCode::BAD_REQUEST || status == StatusCode::UNPROCESSABLE_ENTITY;
    if schema_ok {
        assert!(
            !refused,
            "{what}: valid by the document, refused: {status} {body}"
        );
    } else if lenient {
        assert!(
            status.is_success(),
            "{what}: listed as read leniently, got {status} {body}"
        );
    } else {
        assert!(
            !status.is_success(),
            "{what}: invalid by the document, accepted: {status}"
        );
    }
}

async fn run_probe(state: &AppState, doc: &Value, p: &Probe<'_>) {
    let schema = param_schema(doc, "get", p.path, p.param);
    for value in &p.values {
        let uri = p.uri.replace("{}", &encode(value));
        let ok = valid(doc, &schema, value);
        let (status, res) = send(app(state.clone()), crate::tests::get_req(&uri)).await;
        let body = if status.is_success() && p.path == "/v1/stream" {
            String::new() // an endless stream: the status is the answer
        } else {
            crate::tests::text_body(res).await
        };
        let lenient = p.lenient.contains(&value.as_str());
        judge(
            &format!("GET {uri} ({} {value:?})", p.param),
            ok,
            lenient,
            status,
            &body,
        );
    }
}

#[tokio::test]
async fn parameter_schemas_agree_with_the_server() {
    let (state, _dir) = seeded_state().await;
    let doc = serde_json::to_value(openapi()).expect("document");
    let (_, page) = get_json(&state, "/v1/timeline?country=IRN&limit=1").await;
    let cursor = page["next_cursor"].as_str().expect("a second page").to_owned();
    let long_hex = "ab".repeat(129);
    let id64 = "x".repeat(64);
    let id65 = "x".repeat(65);
    let q100 = "k".repeat(100);
    let q101 = "k".repeat(101);
    let days = [
        "2020-07-22",
        "1800-01-01",
        "2200-12-31",
        "1799-12-31",
        "2201-01-01",
        "2020-02-29",
        "2019-02-29",
        "2100-02-29",
        "2020-04-31",
        "2020-13-01",
        "2020-1-01",
        " 2020-01-01",
        "+2020-01-01",
        "20200101",
        "",
        "2020-07-22T00:00:00Z",
        "\u{662}\u{660}\u{662}\u{660}-\u{660}\u{661}-\u{660}\u{661}",
    ];
    let mut probes = vec![
        probe("/v1/countries", "from", "/v1/countries?from={}", &days),
        probe("/v1/export", "to", "/v1/export?format=csv&to={}", &days),
        probe(
            "/v1/countries",
            "kinds",
            "/v1/countries?kinds={}",
            &[
                "",
                "VISIT",
                "visit",
                "Phone_Call",
                "VISIT,MEET",
                " visit , meet ",
                ",,",
                " , ",
                "VISIT,LUNCH",
                "PHONE CALL",
                "VISIT;MEET",
                "VISIT,",
                "REDUCE_RELATIONS",
            ],
        ),
        probe(
            "/v1/countries",
            "modality",
            "/v1/countries?modality={}",
            &[
                "",
                "asserted",
                "PLANNED",
                " denied ",
                "  ",
                "rumoured",
                "asserted,planned",
            ],
        ),
        probe(
            "/v1/timeline",
            "cursor",
            "/v1/timeline?country=IRN&cursor={}",
            &["", &cursor, &cursor.to_uppercase(), "zz", "abc", &long_hex],
        ),
        probe(
            "/v1/people",
            "q",
            "/v1/people?q={}",
            &[
                "Kadhimi", "k", "  k  ", "", "   ", "\u{3000}", "!!!", "\u{feff}", &q100, &q101,
            ],
        ),
        probe(
            "/v1/entities/search",
            "kind",
            "/v1/entities/search?q=a&kind={}",
            &["", "  ", "person", "PLACE", " Organization ", "planet", "persons"],
        ),
        probe(
            "/v1/graph/centrality",
            "kind",
            "/v1/graph/centrality?kind={}",
            &["", " ", "country", "PERSON", "organization", "place", "planet"],
        ),
        probe(
            "/v1/ties/{a}/{b}",
            "interval",
            "/v1/ties/IRN/IRQ?interval={}",
            &["", "day", "WEEK", " month ", "year", "  ", "fortnight"],
        ),
        probe(
            "/v1/export",
            "format",
            "/v1/export?format={}",
            &[
                "csv",
                "JSONL",
                " graphml ",
                "gexf",
                "jsonld",
                "gdelt",
                "",
                "  ",
                "xml",
            ],
        ),
        probe(
            "/v1/export",
            "country",
            "/v1/export?format=csv&country={}",
            &["IRN", "IR", "XYZ", "EU", "Iran"],
        ),
        probe(
            "/v1/stats/timeseries",
            "partner",
            "/v1/stats/timeseries?country=IRN&partner={}",
            &["IRQ", "IQ", "SUN", "XYZ", "", "Iraq!"],
        ),
        probe(
            "/v1/entities/{id}",
            "id",
            "/v1/entities/{}",
            &["IRN", "a", &id64, &id65, "a b", "\u{e9}", "a:b.c_d-e"],
        ),
        probe(
            "/v1/graph/neighborhood",
            "entity",
            "/v1/graph/neighborhood?entity={}",
            &["IRN", " irn ", "nobody", "", "   ", "a b", &id65],
        ),
        probe(
            "/v1/stream",
            "last_event_id",
            "/v1/stream?last_event_id={}",
            &["", "5", " 7 ", "x", "-1", "+5", "18446744073709551616"],
        ),
    ];
    let integers = [
        "", "0", "1", "3", "4", "100", "101", "500", "501", "-1", " 5", "+5", "1.5", "x",
    ];
    probes.push(probe("/v1/people", "limit", "/v1/people?q=k&limit={}", &integers));
    probes.push(probe(
        "/v1/timeline",
        "limit",
        "/v1/timeline?country=IRN&limit={}",
        &integers,
    ));
    probes.push(probe(
        "/v1/countries/{code}/ties",
        "latest",
        "/v1/countries/IRN/ties?latest={}",
        &integers,
    ));
    probes.push(probe(
        "/v1/graph/neighborhood",
        "depth",
        "/v1/graph/neighborhood?entity=IRN&depth={}",
        &integers,
    ));
    let mut count_only = probe(
        "/v1/graph/neighborhood",
        "count_only",
        "/v1/graph/neighborhood?entity=IRN&count_only={}",
        &["true", "false", "", "maybe", " true", "1", "0", "TRUE"],
    );
    count_only.lenient = &["1", "0", "TRUE"];
    probes.push(count_only);
    let mut codes = probe(
        "/v1/countries/{code}",
        "code",
        "/v1/countries/{}",
        &["IRN", "irn", "IR", "XKX", "XYZ", "Iran!!", "EU"],
    );
    codes.lenient = &["irn"];
    probes.push(codes);
    let mut big_id = probe(
        "/v1/stream",
        "last_event_id",
        "/v1/stream?last_event_id={}",
        &["18446744073709551615"],
    );
    big_id.lenient = &["18446744073709551615"];
    probes.push(big_id);
    for p in &probes {
        run_probe(&state, &doc, p).await;
    }
}
