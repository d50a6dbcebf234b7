//! The seed article (DESIGN's specification) must yield every required event of its expected
//! file, with date and modality, and none of the forbidden readings. The expected file is read
//! as written (a copy of ../shared/seed), never a copy of our own output.

use diplograph_ingest::{Extractor, parse_articles};
use serde_json::Value;

fn extraction() -> Value {
    let text = include_str!("data/tehran-2020-07-22.txt");
    let article = parse_articles(text).remove(0).expect("seed parses");
    let out = Extractor::new().expect("gazetteer compiles").extract(&article);
    serde_json::to_value(out).expect("extraction serializes")
}

fn expected() -> Value {
    serde_json::from_str(include_str!("data/tehran-2020-07-22.expected.json")).expect("expected file parses")
}

fn norm(s: &str) -> String {
    s.to_lowercase()
        .replace('-', " ")
        .chars()
        .filter(|c| c.is_alphanumeric() || *c == ' ')
        .collect()
}

/// A name matches when the tokens of one are a subset of the other's ("Kadhimi" ~ "Mustafa al-Kadhimi").
fn name_matches(want: &str, got: &str) -> bool {
    let tokens = |s: &str| -> Vec<String> {
        norm(s)
            .split_whitespace()
            .filter(|t| !["al", "el", "bin"].contains(t))
            .map(str::to_owned)
            .collect()
    };
    let (w, g) = (tokens(want), tokens(got));
    !w.is_empty() && !g.is_empty() && (w.iter().all(|t| g.contains(t)) || g.iter().all(|t| w.contains(t)))
}

/// An ISO3 side matches the country or anyone acting for it; a name matches a person.
fn participant_matches(want: &str, p: &Value) -> bool {
    if want.len() == 3 && want.chars().all(|c| c.is_ascii_uppercase()) {
        return p["country"] == want || p["entity"] == want;
    }
    p["name"].as_str().is_some_and(|n| name_matches(want, n))
}

fn has_all(event: &Value, names: &[&str]) -> bool {
    let parts = event["participants"].as_array().expect("participants");
    names
        .iter()
        .all(|n| parts.iter().any(|p| participant_matches(n, p)))
}

fn kind_ok(want: &str, got: &str) -> bool {
    want == got || (matches!(want, "MEET" | "TALKS") && matches!(got, "MEET" | "TALKS"))
}

fn date_ok(want: &Value, event: &Value) -> bool {
    match want.as_str() {
        None => true,
        Some(w) => {
            let (d, end) = (event["date"].as_str().unwrap_or(""), event["date_end"].as_str());
            d == w || end.is_some_and(|e| d.len() == 10 && d <= w && w <= e)
        }
    }
}

#[test]
fn every_required_seed_event_is_extracted_with_its_date_and_modality() {
    let (out, exp) = (extraction(), expected());
    let events = out["events"].as_array().expect("events");
    for want in exp["events"].as_array().expect("expected events") {
        let kind = want["kind"].as_str().unwrap();
        let modality = want["modality"].as_str().unwrap_or("asserted");
        let found = |names: &[&str]| {
            events.iter().any(|e| {
                kind_ok(kind, e["kind"].as_str().unwrap())
                    && e["modality"] == modality
                    && has_all(e, names)
                    && date_ok(&want["date"], e)
            })
        };
        let ok = if kind == "INTENT_TO_COOPERATE" {
            let source = want["source_country"].as_str().unwrap();
            want["targets"]
                .as_array()
                .unwrap()
                .iter()
                .all(|t| found(&[source, t.as_str().unwrap()]))
        } else {
            let names: Vec<&str> = match want["participants"].as_array() {
                Some(ps) => ps.iter().map(|p| p.as_str().unwrap()).collect(),
                None => vec![
                    want["visitor"].as_str().unwrap(),
                    want["host_country"].as_str().unwrap(),
                ],
            };
            found(&names)
        };
        assert!(ok, "missing {kind}/{modality} {want}");
    }
}

#[test]
fn no_forbidden_seed_reading_is_extracted() {
    let (out, exp) = (extraction(), expected());
    let events = out["events"].as_array().expect("events");
    let entities = out["entities"].as_array().expect("entities");
    for rule in exp["must_not"].as_array().expect("must_not") {
        let kind = rule["kind"].as_str().unwrap();
        let asserted_visit = |e: &&Value| e["kind"] == "VISIT" && e["modality"] == "asserted";
        let hit = match kind {
            "VISIT" if rule.get("host_country").is_some() => events.iter().filter(asserted_visit).any(|e| {
                has_all(
                    e,
                    &[
                        rule["visitor"].as_str().unwrap(),
                        rule["host_country"].as_str().unwrap(),
                    ],
                )
            }),
            "VISIT" => events.iter().filter(asserted_visit).any(|e| {
                e["participants"].as_array().unwrap().iter().any(|p| {
                    p["role"] == "visitor"
                        && name_matches(
                            rule["visitor"].as_str().unwrap(),
                            p["name"].as_str().unwrap_or(""),
                        )
                })
            }),
            "MEET" => {
                let names: Vec<&str> = rule["participants"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|p| p.as_str().unwrap())
                    .collect();
                events
                    .iter()
                    .any(|e| matches!(e["kind"].as_str(), Some("MEET" | "TALKS")) && has_all(e, &names))
            }
            _ => {
                let bad: Vec<&str> = rule["as"].as_str().unwrap().split('|').collect();
                entities.iter().any(|en| {
                    name_matches(
                        rule["entity"].as_str().unwrap(),
                        en["name"].as_str().unwrap_or(""),
                    ) && bad.contains(&en["kind"].as_str().unwrap_or(""))
                })
            }
        };
        assert!(!hit, "forbidden: {rule}");
    }
}

#[test]
fn seed_ties_of_iran_have_exactly_the_expected_partners() {
    let (out, exp) = (extraction(), expected());
    let mut partners = std::collections::BTreeSet::new();
    for e in out["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["modality"] == "asserted")
    {
        let countries: Vec<&str> = e["participants"]
            .as_array()
            .unwrap()
            .iter()
            .filter_map(|p| p["country"].as_str())
            .collect();
        if countries.contains(&"IRN") {
            partners.extend(countries.into_iter().filter(|c| *c != "IRN").map(str::to_owned));
        }
    }
    let want: std::collections::BTreeSet<String> = exp["expected_bilateral_ties_of_IRN"]
        .as_object()
        .unwrap()
        .keys()
        .filter(|k| k.len() == 3)
        .cloned()
        .collect();
    assert_eq!(partners, want);
}

#[test]
fn evidence_offsets_point_into_the_text_as_received() {
    let text = include_str!("data/tehran-2020-07-22.txt");
    for e in extraction()["events"].as_array().unwrap() {
        let (s, end) = (
            e["evidence"]["start"].as_u64().unwrap() as usize,
            e["evidence"]["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[s..end], e["evidence"]["text"].as_str().unwrap());
        let t = &e["trigger"];
        let (ts, te) = (
            t["start"].as_u64().unwrap() as usize,
            t["end"].as_u64().unwrap() as usize,
        );
        assert_eq!(&text[ts..te], t["text"].as_str().unwrap());
        assert!(s <= ts && te <= end);
    }
}
