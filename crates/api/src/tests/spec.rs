//! The OpenAPI document: version 3.1, every route listed, and real responses valid against the
//! schemas the document gives for them (so a view and its mirror in `dto` cannot drift apart).

use axum::http::StatusCode;
use serde_json::{Value, json};

use crate::tests::{SEED, get_json, json_body, post_json, seeded_state, send};
use crate::{ROUTES, app, openapi};

fn document() -> Value {
    serde_json::to_value(openapi()).expect("the document serializes")
}

#[tokio::test]
async fn the_document_is_openapi_3_1_and_lists_every_route() {
    let (state, _dir) = seeded_state().await;
    let (status, served) = get_json(&state, "/openapi.json").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(served, document());
    assert!(
        served["openapi"].as_str().is_some_and(|v| v.starts_with("3.1")),
        "{}",
        served["openapi"]
    );
    for route in ROUTES {
        let (method, path) = route.split_once(' ').expect("METHOD /path");
        let op = &served["paths"][path][method.to_lowercase()];
        assert!(op.is_object(), "{route} is not in the document");
        assert!(op["responses"].is_object(), "{route} has no responses");
        assert!(
            !op["tags"].as_array().is_none_or(Vec::is_empty),
            "{route} has no tag"
        );
    }
    let listed: usize = served["paths"]
        .as_object()
        .expect("paths")
        .values()
        .map(|item| item.as_object().expect("path item").len())
        .sum();
    assert_eq!(
        listed,
        ROUTES.len(),
        "a route was added: list it in ROUTES and test its responses"
    );
    assert!(served["components"]["securitySchemes"]["api_key"].is_object());
}

#[tokio::test]
async fn swagger_ui_is_served_from_the_binary() {
    let (state, _dir) = seeded_state().await;
    let (status, res) = send(app(state), crate::tests::get_req("/docs/")).await;
    assert_eq!(status, StatusCode::OK);
    let html = crate::tests::text_body(res).await;
    assert!(html.contains("swagger"), "{html}");
    assert!(
        !html.contains("https://"),
        "the page loads something from the network"
    );
}

#[tokio::test]
async fn responses_match_their_schemas() {
    let (state, _dir) = seeded_state().await;
    let doc = document();
    let (_, people) = get_json(&state, "/v1/people?q=kadhimi").await;
    let person = people["items"][0]["id"].as_str().expect("a person").to_owned();
    let (_, timeline) = get_json(&state, "/v1/timeline?country=IRN&limit=1").await;
    let event = timeline["items"][0]["id"].as_str().expect("an event").to_owned();
    let reads = [
        "/healthz".to_owned(),
        "/readyz".to_owned(),
        format!("/v1/events/{event}"),
        "/v1/countries".to_owned(),
        "/v1/countries/IRN".to_owned(),
        "/v1/countries/IRN/ties".to_owned(),
        "/v1/ties/IRN/IRQ?interval=day".to_owned(),
        "/v1/stats/timeseries?country=IRN&partner=IRQ".to_owned(),
        "/v1/people?q=rouhani".to_owned(),
        format!("/v1/people/{person}"),
        format!("/v1/people/{person}/meetings"),
        "/v1/timeline?country=IRN".to_owned(),
        "/v1/entities/search?q=tehran".to_owned(),
        format!("/v1/entities/{person}"),
        "/v1/graph/neighborhood?entity=IRN&depth=2".to_owned(),
        format!("/v1/graph/path?from={person}&to=RUS"),
        "/v1/graph/centrality?kind=person".to_owned(),
        "/v1/graph/centrality".to_owned(),
    ];
    for uri in &reads {
        let (status, body) = get_json(&state, uri).await;
        assert_eq!(status, StatusCode::OK, "{uri}: {body}");
        let schema = response_schema(&doc, "get", uri, "200");
        assert_valid(&body, &schema, &doc, uri);
    }
    let writes = [
        ("/v1/extract", "200", json!({"text": SEED})),
        (
            "/v1/articles",
            "201",
            json!({"text": "Zarif met Lavrov in Moscow on 2020-07-20."}),
        ),
        ("/v1/articles", "200", json!({"text": SEED})),
    ];
    for (uri, status, body) in writes {
        let (got, res) = send(app(state.clone()), post_json(uri, body.to_string())).await;
        assert_eq!(got.as_str(), status, "{uri}");
        let body = json_body(res).await;
        assert_valid(&body, &response_schema(&doc, "post", uri, status), &doc, uri);
    }
    let (_, err) = get_json(&state, "/v1/events/nope").await;
    assert_valid(
        &err,
        &response_schema(&doc, "get", "/v1/events/x", "404"),
        &doc,
        "404",
    );
}

/// The JSON schema of one response of the operation whose path template matches `uri`.
fn response_schema(doc: &Value, method: &str, uri: &str, status: &str) -> Value {
    let path = uri.split('?').next().unwrap_or(uri);
    let (template, item) = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .find(|(template, _)| matches_template(template, path))
        .unwrap_or_else(|| panic!("no path for {path}"));
    let schema = &item[method]["responses"][status]["content"]["application/json"]["schema"];
    assert!(
        schema.is_object(),
        "{method} {template} {status} has no JSON schema"
    );
    schema.clone()
}

fn matches_template(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len() && t.iter().zip(&p).all(|(t, p)| t == p || t.starts_with('{'))
}

fn assert_valid(value: &Value, schema: &Value, doc: &Value, what: &str) {
    let mut errors = Vec::new();
    check(value, schema, doc, "$", &mut errors);
    assert!(
        errors.is_empty(),
        "{what} does not match its schema:\n{}",
        errors.join("\n")
    );
}

/// A small JSON Schema check for the subset utoipa emits: `$ref`, `oneOf`/`anyOf`/`allOf`,
/// `type` (one or a list), `enum`, `properties`/`required`/`additionalProperties`, `items`.
/// Keys the schema does not declare are errors: that is the drift this test exists to catch.
fn check(value: &Value, schema: &Value, doc: &Value, at: &str, errors: &mut Vec<String>) {
    if let Some(reference) = schema["$ref"].as_str() {
        let name = reference.trim_start_matches("#/components/schemas/");
        return check(value, &doc["components"]["schemas"][name], doc, at, errors);
    }
    for key in ["oneOf", "anyOf"] {
        if let Some(options) = schema[key].as_array() {
            let fits = options.iter().any(|option| {
                let mut e = Vec::new();
                check(value, option, doc, at, &mut e);
                e.is_empty()
            });
            if !fits {
                errors.push(format!("{at}: {value} fits none of {key}"));
            }
            return;
        }
    }
    for part in schema["allOf"].as_array().into_iter().flatten() {
        check(value, part, doc, at, errors);
    }
    if let Some(types) = types_of(schema)
        && !types.iter().any(|t| has_type(value, t))
    {
        errors.push(format!("{at}: {value} is not {types:?}"));
        return;
    }
    if let Some(allowed) = schema["enum"].as_array()
        && !allowed.contains(value)
    {
        errors.push(format!("{at}: {value} not in {allowed:?}"));
    }
    match value {
        Value::Object(map) => check_object(map, schema, doc, at, errors),
        Value::Array(items) if schema["items"].is_object() => {
            for (i, item) in items.iter().enumerate() {
                check(item, &schema["items"], doc, &format!("{at}[{i}]"), errors);
            }
        }
        _ => {}
    }
}

fn check_object(
    map: &serde_json::Map<String, Value>,
    schema: &Value,
    doc: &Value,
    at: &str,
    errors: &mut Vec<String>,
) {
    for required in schema["required"].as_array().into_iter().flatten() {
        let name = required.as_str().unwrap_or_default();
        if !map.contains_key(name) {
            errors.push(format!("{at}: missing required {name}"));
        }
    }
    for (key, item) in map {
        let sub = &schema["properties"][key];
        let extra = &schema["additionalProperties"];
        if sub.is_object() {
            check(item, sub, doc, &format!("{at}.{key}"), errors);
        } else if extra.is_object() {
            check(item, extra, doc, &format!("{at}.{key}"), errors);
        } else if schema["properties"].is_object() || schema["type"] == "object" {
            errors.push(format!("{at}: undeclared key {key}"));
        }
    }
}

fn types_of(schema: &Value) -> Option<Vec<String>> {
    match &schema["type"] {
        Value::String(t) => Some(vec![t.clone()]),
        Value::Array(ts) => Some(ts.iter().filter_map(|t| t.as_str().map(str::to_owned)).collect()),
        _ => None,
    }
}

fn has_type(value: &Value, t: &str) -> bool {
    match t {
        "null" => value.is_null(),
        "boolean" => value.is_boolean(),
        "integer" => value.is_i64() || value.is_u64(),
        "number" => value.is_number(),
        "string" => value.is_string(),
        "array" => value.is_array(),
        "object" => value.is_object(),
        _ => false,
    }
}

#[test]
fn the_schema_check_catches_drift() {
    let doc = document();
    let schema = json!({"$ref": "#/components/schemas/Event"});
    let event = json!({"id": "e", "kind": "VISIT", "modality": "asserted", "date": null,
        "confidence": 0.9, "participants": [], "places": [], "mentions": []});
    let errors = |value: &Value| {
        let mut e = Vec::new();
        check(value, &schema, &doc, "$", &mut e);
        e
    };
    assert!(errors(&event).is_empty(), "{:?}", errors(&event));
    let mut extra = event.clone();
    extra["surprise"] = json!(1);
    assert!(!errors(&extra).is_empty());
    let mut wrong_kind = event.clone();
    wrong_kind["kind"] = json!("LUNCH");
    assert!(!errors(&wrong_kind).is_empty());
    let mut missing = event;
    missing.as_object_mut().expect("object").remove("mentions");
    assert!(!errors(&missing).is_empty());
}
