//! The document's request-body schemas (articles, merges, NDJSON batches) and its `Day`
//! calendar held against the server, value by value, with the checks of `params`.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::tests::params::{judge, valid};
use crate::tests::{get_json, seeded_state, send};
use crate::{AppState, app, openapi};

/// `POST uri` with `body` as `content_type`; the status and the body text.
async fn post(state: &AppState, uri: &str, content_type: &str, body: String) -> (StatusCode, String) {
    let req = Request::post(uri)
        .header(header::CONTENT_TYPE, content_type)
        .body(Body::from(body))
        .expect("request");
    let (status, res) = send(app(state.clone()), req).await;
    (status, crate::tests::text_body(res).await)
}

#[tokio::test]
async fn body_schemas_agree_with_the_server() {
    let (state, _dir) = seeded_state().await;
    let doc = serde_json::to_value(openapi()).expect("document");
    let schemas = &doc["components"]["schemas"];
    let article = &schemas["ArticleRequest"]["properties"];
    let fields: [(&str, Vec<String>); 3] = [
        (
            "text",
            [
                "Zarif met Lavrov.",
                "",
                " \n\t ",
                "\u{3000}",
                "a\u{0}b",
                "\u{feff}",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        (
            "published",
            [
                "2020-07-22",
                "20200722",
                "2020-07-22T10:00:00Z",
                "2020-07-22T10:00:00.123+03:30",
                " 2020-07-22 ",
                "",
                "   ",
                "2020-02-30",
                "1066-10-14",
                "yesterday",
                "2020-07-22T25:00:00Z",
            ]
            .map(str::to_owned)
            .to_vec(),
        ),
        (
            "url",
            vec![
                "https://example.test/a".to_owned(),
                "u".repeat(2048),
                "u".repeat(2049),
                "\u{e9}".repeat(2048),
                "a\u{0}".to_owned(),
            ],
        ),
    ];
    for (field, values) in fields {
        for value in values {
            let mut body = serde_json::json!({"text": "Zarif met Lavrov."});
            body[field] = Value::String(value.clone());
            let ok = valid(&doc, &article[field], &value);
            let (status, text) = post(&state, "/v1/extract", "application/json", body.to_string()).await;
            judge(
                &format!("POST /v1/extract {field}={value:.40?}"),
                ok,
                false,
                status,
                &text,
            );
        }
    }

    // Merges into an entity that does not exist: a valid body gets 404, and nothing merges.
    let merge = &schemas["MergeBody"]["properties"];
    let (_, people) = get_json(&state, "/v1/people?q=kadhimi").await;
    let person = people["items"][0]["id"].as_str().expect("a person").to_owned();
    let uri = format!("/v1/entities/{person}/merge");
    let cases = [
        ("nobody-here", "r".to_owned()),
        (" nobody ", "r".to_owned()),
        ("", "r".to_owned()),
        ("a b", "r".to_owned()),
        ("nobody", String::new()),
        ("nobody", "   ".to_owned()),
        ("nobody", "x".repeat(500)),
        ("nobody", "x".repeat(501)),
        ("nobody", "a\u{0}b".to_owned()),
    ];
    for (into, reason) in cases {
        let ok = valid(&doc, &merge["into"], into) && valid(&doc, &merge["reason"], &reason);
        let body = serde_json::json!({"into": into, "reason": reason}).to_string();
        let (status, text) = post(&state, &uri, "application/json", body).await;
        judge(
            &format!("merge into {into:?} reason {reason:.20?}"),
            ok,
            false,
            status,
            &text,
        );
    }

    let batch = &doc["paths"]["/v1/articles/batch"]["post"]["requestBody"]["content"]["application/x-ndjson"]
        ["schema"];
    for body in [
        "",
        "\n\n",
        " \t\r\n",
        "\u{b}",
        "{}",
        "{\"text\":\"Zarif met Lavrov.\"}\n",
    ] {
        let ok = valid(&doc, batch, body);
        let (status, text) = post(
            &state,
            "/v1/articles/batch",
            "application/x-ndjson",
            body.to_owned(),
        )
        .await;
        judge(&format!("batch {body:?}"), ok, false, status, &text);
    }
}

#[test]
fn the_day_pattern_is_exactly_the_calendar_the_server_reads() {
    let doc = serde_json::to_value(openapi()).expect("document");
    let day = &doc["components"]["schemas"]["Day"];
    assert_eq!(day["format"], "date");
    assert_eq!(
        (diplograph_core::MIN_YEAR, diplograph_core::MAX_YEAR),
        (1800, 2200)
    );
    let years = [
        1799, 1800, 1801, 1896, 1900, 1904, 1999, 2000, 2019, 2020, 2024, 2100, 2104, 2199, 2200, 2201,
    ];
    let mut checked = 0;
    for year in years {
        for month in 0..=13 {
            for day_of_month in 0..=32 {
                let value = format!("{year:04}-{month:02}-{day_of_month:02}");
                let server = crate::query::parse_day("from", &value).is_ok();
                assert_eq!(valid(&doc, day, &value), server, "{value}");
                checked += 1;
            }
        }
    }
    assert!(checked > 7000);
}
