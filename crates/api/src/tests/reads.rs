//! Reads over the seed article: events, countries and ties, people and meetings, timeline,
//! entity search; CSV answers; ETag and 304.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};
use serde_json::Value;

use crate::app;
use crate::tests::{get_json, get_req, seeded_state, send, text_body};

/// The counts of `kind` with `partner` in a ties answer, as `(total, out, in, mutual)`.
fn counts(ties: &Value, partner: &str, kind: &str) -> (i64, i64, i64, i64) {
    let partner = ties["partners"]
        .as_array()
        .expect("partners")
        .iter()
        .find(|p| p["partner"] == partner)
        .unwrap_or_else(|| panic!("no partner {partner}: {ties}"));
    let k = partner["kinds"]
        .as_array()
        .expect("kinds")
        .iter()
        .find(|k| k["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} with {partner}"));
    let n = |f: &str| k[f].as_i64().expect("count");
    (n("total"), n("out"), n("in"), n("mutual"))
}

fn partners(ties: &Value) -> Vec<String> {
    let mut list: Vec<String> = ties["partners"]
        .as_array()
        .expect("partners")
        .iter()
        .map(|p| p["partner"].as_str().expect("code").to_owned())
        .collect();
    list.sort();
    list
}

#[tokio::test]
async fn ties_of_iran_match_the_seed() {
    let (state, _dir) = seeded_state().await;
    let (status, ties) = get_json(&state, "/v1/countries/IRN/ties").await;
    assert_eq!(status, StatusCode::OK, "{ties}");
    assert_eq!(partners(&ties), ["AFG", "CHN", "IRQ", "PAK", "QAT", "RUS", "TUR"]);
    let (_, out, incoming, _) = counts(&ties, "IRQ", "VISIT");
    assert!(out >= 1 && incoming >= 1, "{ties}");
    assert!(counts(&ties, "IRQ", "MEET").0 >= 2);
    assert!(counts(&ties, "IRQ", "TALKS").0 >= 1);
    assert!(counts(&ties, "RUS", "TALKS").0 >= 1);
    assert!(counts(&ties, "CHN", "INTENT_TO_COOPERATE").0 >= 1);
    assert!(ties["latest_events"].as_array().is_some_and(|e| !e.is_empty()));

    let (_, only_visits) = get_json(&state, "/v1/countries/irn/ties?kinds=VISIT&latest=0").await;
    assert_eq!(partners(&only_visits), ["IRQ"]);
    assert_eq!(only_visits["latest_events"], Value::Array(Vec::new()));
}

#[tokio::test]
async fn the_postponed_saudi_visit_shows_only_with_its_modality() {
    let (state, _dir) = seeded_state().await;
    let (_, asserted) = get_json(&state, "/v1/countries/IRQ/ties").await;
    assert!(!partners(&asserted).contains(&"SAU".to_owned()), "{asserted}");
    let (status, postponed) = get_json(&state, "/v1/countries/IRQ/ties?modality=postponed").await;
    assert_eq!(status, StatusCode::OK);
    assert!(partners(&postponed).contains(&"SAU".to_owned()), "{postponed}");
    let (_, timeline) = get_json(&state, "/v1/timeline?country=SAU&modality=postponed").await;
    let items = timeline["items"].as_array().expect("items");
    assert!(
        items
            .iter()
            .any(|e| e["kind"] == "VISIT" && e["modality"] == "postponed")
    );
}

#[tokio::test]
async fn kadhimi_is_found_and_his_meetings_carry_their_evidence() {
    let (state, _dir) = seeded_state().await;
    let (status, people) = get_json(&state, "/v1/people?q=Kadhimi").await;
    assert_eq!(status, StatusCode::OK);
    let kadhimi = &people["items"][0];
    assert_eq!(kadhimi["name"], "Mustafa al-Kadhimi", "{people}");
    let id = kadhimi["id"].as_str().expect("id");

    let (status, person) = get_json(&state, &format!("/v1/people/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(person["affiliations"][0]["country"], "IRQ");

    let (status, meetings) = get_json(&state, &format!("/v1/people/{id}/meetings")).await;
    assert_eq!(status, StatusCode::OK);
    let met_on_21 = |name: &str| {
        meetings["items"].as_array().expect("items").iter().any(|e| {
            e["kind"] == "MEET"
                && e["date"].as_str().is_some_and(|d| d.starts_with("2020-07-21"))
                && e["participants"]
                    .as_array()
                    .expect("p")
                    .iter()
                    .any(|p| p["name"] == name)
                && e["mentions"][0]["evidence"]
                    .as_str()
                    .is_some_and(|s| s.contains("He met with"))
        })
    };
    assert!(met_on_21("Ali Khamenei"), "{meetings}");
    assert!(met_on_21("Hassan Rouhani"), "{meetings}");
}

#[tokio::test]
async fn an_event_has_its_mentions_and_articles() {
    let (state, _dir) = seeded_state().await;
    let (_, timeline) = get_json(&state, "/v1/timeline?country=IRN&limit=1").await;
    let id = timeline["items"][0]["id"].as_str().expect("id").to_owned();
    assert!(timeline["next_cursor"].is_string(), "{timeline}");
    let (status, event) = get_json(&state, &format!("/v1/events/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(event["id"], id.as_str());
    let mention = &event["mentions"][0];
    assert_eq!(mention["url"], "https://example.test/tehran-2020-07-22");
    assert!(mention["evidence"].as_str().is_some_and(|s| !s.is_empty()));
}

#[tokio::test]
async fn timeline_pages_do_not_overlap_and_end() {
    let (state, _dir) = seeded_state().await;
    let mut seen: Vec<String> = Vec::new();
    let mut uri = "/v1/timeline?country=IRN&limit=2".to_owned();
    for _ in 0..50 {
        let (status, page) = get_json(&state, &uri).await;
        assert_eq!(status, StatusCode::OK, "{page}");
        for item in page["items"].as_array().expect("items") {
            let id = item["id"].as_str().expect("id").to_owned();
            assert!(!seen.contains(&id), "{id} twice");
            seen.push(id);
        }
        match page["next_cursor"].as_str() {
            Some(cursor) => uri = format!("/v1/timeline?country=IRN&limit=2&cursor={cursor}"),
            None => break,
        }
    }
    let (_, all) = get_json(&state, "/v1/timeline?country=IRN&limit=500").await;
    assert_eq!(all["items"].as_array().expect("items").len(), seen.len());
}

#[tokio::test]
async fn timeline_with_a_counterpart_keeps_only_shared_events() {
    let (state, _dir) = seeded_state().await;
    let (_, pair) = get_json(&state, "/v1/timeline?country=IRN&counterpart=IRQ").await;
    let items = pair["items"].as_array().expect("items");
    assert!(!items.is_empty());
    for event in items {
        let countries: Vec<&str> = event["participants"]
            .as_array()
            .expect("participants")
            .iter()
            .filter_map(|p| p["country"].as_str())
            .collect();
        assert!(countries.contains(&"IRQ"), "{event}");
    }
}

#[tokio::test]
async fn countries_and_entities_are_found() {
    let (state, _dir) = seeded_state().await;
    let (status, iran) = get_json(&state, "/v1/countries/IR").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(iran["id"], "IRN");
    let (status, found) = get_json(&state, "/v1/entities/search?q=bagh&kind=place").await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(found["items"][0]["name"], "Baghdad", "{found}");
    let id = found["items"][0]["id"].as_str().expect("id");
    let (status, baghdad) = get_json(&state, &format!("/v1/entities/{id}")).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(baghdad["country"], "IRQ");
    let (status, _) = get_json(&state, &format!("/v1/people/{id}")).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "a place is not a person");
}

#[tokio::test]
async fn lists_answer_csv_by_accept_or_format() {
    let (state, _dir) = seeded_state().await;
    let req = Request::get("/v1/countries/IRN/ties")
        .header(header::ACCEPT, "text/csv")
        .body(Body::empty())
        .expect("request");
    let (status, res) = send(app(state.clone()), req).await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        res.headers()[header::CONTENT_TYPE]
            .to_str()
            .expect("ascii")
            .starts_with("text/csv")
    );
    let csv = text_body(res).await;
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let headers = reader.headers().expect("header line").clone();
    assert_eq!(&headers[1], "partner");
    let rows: Vec<csv::StringRecord> = reader.records().collect::<Result<_, _>>().expect("valid csv");
    assert!(rows.iter().any(|r| &r[1] == "IRQ" && &r[3] == "VISIT"), "{csv}");

    for uri in [
        "/v1/timeline?country=IRN&format=csv",
        "/v1/people?q=rouhani&format=csv",
        "/v1/entities/search?q=iran&format=CSV",
    ] {
        let (status, res) = send(app(state.clone()), get_req(uri)).await;
        assert_eq!(status, StatusCode::OK, "{uri}");
        let csv = text_body(res).await;
        let mut reader = csv::Reader::from_reader(csv.as_bytes());
        let width = reader.headers().expect("header").len();
        for row in reader.records() {
            assert_eq!(row.expect("valid row").len(), width, "{uri}: {csv}");
        }
    }
}

#[tokio::test]
async fn reads_carry_an_etag_and_if_none_match_gets_304() {
    let (state, _dir) = seeded_state().await;
    let (status, res) = send(app(state.clone()), get_req("/v1/countries/IRN/ties")).await;
    assert_eq!(status, StatusCode::OK);
    let etag = res.headers()[header::ETAG].clone();
    assert!(etag.to_str().expect("ascii").starts_with("W/\""));
    assert!(
        res.headers()[header::CACHE_CONTROL]
            .to_str()
            .expect("ascii")
            .contains("no-cache")
    );

    let req = Request::get("/v1/countries/IRN/ties")
        .header(header::IF_NONE_MATCH, etag.clone())
        .body(Body::empty())
        .expect("request");
    let (status, res) = send(app(state.clone()), req).await;
    assert_eq!(status, StatusCode::NOT_MODIFIED);
    assert_eq!(res.headers()[header::ETAG], etag);
    assert!(text_body(res).await.is_empty());

    // Another representation of the same resource has another tag.
    let (_, res) = send(app(state), get_req("/v1/countries/IRN/ties?format=csv")).await;
    assert_ne!(res.headers()[header::ETAG], etag);
}

#[tokio::test]
async fn merging_two_spellings_folds_one_person_into_the_other() {
    let (state, _dir) = seeded_state().await;
    for (text, day) in [
        (
            "On Monday, Iranian envoy Kazem Gharibabadi met Sergei Lavrov in Moscow.",
            "2020-08-03",
        ),
        (
            "On Tuesday, Iranian envoy Kazim Gharib-Abadi met Sergei Lavrov in Moscow.",
            "2020-08-04",
        ),
    ] {
        let body = serde_json::json!({"text": text, "published": day}).to_string();
        let (status, _) = send(app(state.clone()), crate::tests::post_json("/v1/articles", body)).await;
        assert_eq!(status, StatusCode::CREATED);
    }
    let id_of = async |q: &str| {
        let (_, found) = get_json(&state, &format!("/v1/people?q={q}")).await;
        found["items"][0]["id"].as_str().expect("id").to_owned()
    };
    let (from, into) = (id_of("Kazim").await, id_of("Kazem").await);
    let body = serde_json::json!({"into": into, "reason": "transliteration"}).to_string();
    let (status, res) = send(
        app(state.clone()),
        crate::tests::post_json(&format!("/v1/entities/{from}/merge"), body),
    )
    .await;
    let report = crate::tests::json_body(res).await;
    assert_eq!(status, StatusCode::OK, "{report}");
    // The old id leads to the survivor, and so do its meetings.
    let (status, survivor) = get_json(&state, &format!("/v1/people/{from}")).await;
    assert_eq!(status, StatusCode::OK, "{survivor}");
    assert_eq!(survivor["id"], into.as_str());
    for id in [&into, &from] {
        let (_, meetings) = get_json(&state, &format!("/v1/people/{id}/meetings?kinds=MEET")).await;
        assert_eq!(meetings["items"].as_array().map(Vec::len), Some(2), "{meetings}");
    }
}
