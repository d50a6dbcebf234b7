//! One sentence, one reading: table-driven checks of the event frames on sentences written for
//! these tests in the style of today's wire copy (kind, modality, sides, date, place).

use diplograph_ingest::{ArticleInput, Extractor};
use serde_json::Value;
use std::sync::OnceLock;

fn extractor() -> &'static Extractor {
    static EXTRACTOR: OnceLock<Extractor> = OnceLock::new();
    EXTRACTOR.get_or_init(|| Extractor::new().expect("gazetteer compiles"))
}

/// Events of `text` published on Wednesday 2023-05-17, as (kind, modality, sides, date).
fn events(text: &str) -> Vec<(String, String, Vec<String>, String)> {
    let article = ArticleInput {
        published: "2023-05-17".parse().ok(),
        ..ArticleInput::from_text(text)
    };
    let out = serde_json::to_value(extractor().extract(&article)).expect("serializes");
    out["events"]
        .as_array()
        .expect("events")
        .iter()
        .map(|e: &Value| {
            let sides = e["participants"]
                .as_array()
                .expect("participants")
                .iter()
                .map(|p| {
                    format!(
                        "{}:{}",
                        p["country"].as_str().unwrap_or("?"),
                        p["role"].as_str().unwrap_or("?")
                    )
                })
                .collect();
            let date = e["date"].as_str().unwrap_or("").to_owned();
            (
                e["kind"].as_str().unwrap_or("").to_owned(),
                e["modality"].as_str().unwrap_or("").to_owned(),
                sides,
                date,
            )
        })
        .collect()
}

/// Asserts that some event has this kind, modality, these sides (country:role, any order) and date
/// (`""` undated, `"*"` any).
fn expect(text: &str, kind: &str, modality: &str, sides: &[&str], date: &str) {
    let found = events(text);
    let ok = found.iter().any(|(k, m, s, d)| {
        k == kind
            && m == modality
            && (date == "*" || d == date)
            && sides.iter().all(|want| s.iter().any(|got| got == want))
    });
    assert!(
        ok,
        "{text}\nwanted {kind}/{modality} {sides:?} {date}\ngot {found:#?}"
    );
}

fn expect_none(text: &str, kind: &str, modality: &str) {
    let found = events(text);
    assert!(
        !found.iter().any(|(k, m, _, _)| k == kind && m == modality),
        "{text}\nunexpected {kind}/{modality} in {found:#?}"
    );
}

#[test]
fn meetings_with_counterparts_and_receptions() {
    expect(
        "Iranian Foreign Minister Hossein Amir-Abdollahian met his Omani counterpart Badr Albusaidi in Tehran on Monday.",
        "MEET",
        "asserted",
        &["IRN:participant", "OMN:participant"],
        "2023-05-15",
    );
    expect(
        "Pakistani Prime Minister Shehbaz Sharif received visiting Chinese Foreign Minister Wang Yi in Islamabad on Sunday.",
        "MEET",
        "asserted",
        &["PAK:participant", "CHN:participant"],
        "2023-05-14",
    );
    expect(
        "On the sidelines of the summit on Tuesday, Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin.",
        "MEET",
        "asserted",
        &["TUR:participant", "RUS:participant"],
        "2023-05-16",
    );
}

#[test]
fn a_meeting_abroad_implies_a_visit() {
    expect(
        "Pakistani Prime Minister Shehbaz Sharif received visiting Chinese Foreign Minister Wang Yi in Islamabad on Sunday.",
        "VISIT",
        "asserted",
        &["CHN:visitor", "PAK:host"],
        "2023-05-14",
    );
}

#[test]
fn phone_calls() {
    expect(
        "Chinese President Xi Jinping held a phone call with his French counterpart Emmanuel Macron on Tuesday.",
        "PHONE_CALL",
        "asserted",
        &["CHN:participant", "FRA:participant"],
        "2023-05-16",
    );
    expect(
        "U.S. Secretary of State Antony Blinken spoke by phone with Saudi Foreign Minister Prince Faisal bin Farhan on Monday.",
        "PHONE_CALL",
        "asserted",
        &["USA:participant", "SAU:participant"],
        "2023-05-15",
    );
}

#[test]
fn visits_with_spans_plans_and_denials() {
    expect(
        "German Chancellor Olaf Scholz arrived in Beijing on Friday for a two-day visit.",
        "VISIT",
        "asserted",
        &["DEU:visitor", "CHN:host"],
        "2023-05-12",
    );
    expect(
        "Russian Foreign Minister Sergei Lavrov will visit Turkey on Friday, the ministry said.",
        "VISIT",
        "planned",
        &["RUS:visitor", "TUR:host"],
        "2023-05-19",
    );
    expect(
        "Israeli Prime Minister Benjamin Netanyahu has no plans to visit Egypt.",
        "VISIT",
        "denied",
        &["ISR:visitor", "EGY:host"],
        "",
    );
    expect(
        "Indian Prime Minister Narendra Modi postponed his visit to Russia.",
        "VISIT",
        "postponed",
        &["IND:visitor", "RUS:host"],
        "",
    );
    expect_none(
        "Indian Prime Minister Narendra Modi postponed his visit to Russia.",
        "VISIT",
        "asserted",
    );
}

#[test]
fn talks_between_countries_and_joint_subjects() {
    expect(
        "The Iranian and Iraqi foreign ministers held talks in Baghdad on Tuesday.",
        "TALKS",
        "asserted",
        &["IRN:participant", "IRQ:participant"],
        "2023-05-16",
    );
    expect(
        "Japan and South Korea signed an agreement on defense cooperation on Friday.",
        "AGREEMENT",
        "asserted",
        &["JPN:signatory", "KOR:signatory"],
        "2023-05-12",
    );
}

#[test]
fn hostile_and_directed_kinds() {
    expect(
        "Egypt condemned Israel's air strikes on Gaza on Monday.",
        "CRITICIZE",
        "asserted",
        &["EGY:source", "ISR:target"],
        "2023-05-15",
    );
    expect(
        "The United States imposed sanctions on Iran on Tuesday.",
        "SANCTION",
        "asserted",
        &["USA:source", "IRN:target"],
        "2023-05-16",
    );
    // An undated lead is the story's news of the day (the dateline-day rule).
    expect(
        "Saudi Arabia recalled its ambassador from Lebanon.",
        "REDUCE_RELATIONS",
        "asserted",
        &["SAU:source", "LBN:target"],
        "2023-05-17",
    );
    expect(
        "Kuwait expelled two Iranian diplomats on Sunday.",
        "REDUCE_RELATIONS",
        "asserted",
        &["KWT:source", "IRN:target"],
        "2023-05-14",
    );
    expect(
        "French President Emmanuel Macron invited Indian Prime Minister Narendra Modi to Paris.",
        "INVITE",
        "asserted",
        &["FRA:source", "IND:target"],
        "2023-05-17",
    );
}

#[test]
fn places_are_never_actors() {
    let found = events("Talks between Armenia and Azerbaijan in Geneva ended without a deal.");
    assert!(
        found
            .iter()
            .all(|(_, _, sides, _)| sides.iter().all(|s| !s.starts_with("CHE"))),
        "{found:#?}"
    );
}

#[test]
fn a_quote_speaks_for_its_speaker_and_a_pronoun_for_the_last_subject() {
    let text = "Iranian President Ebrahim Raisi arrived in Caracas on Monday. He met with Venezuelan President Nicolas Maduro. \
                \"We will expand our cooperation with Venezuela,\" Raisi said.";
    expect(
        text,
        "MEET",
        "asserted",
        &["IRN:participant", "VEN:participant"],
        "2023-05-15",
    );
    expect(
        text,
        "INTENT_TO_COOPERATE",
        "asserted",
        &["IRN:source", "VEN:target"],
        "*",
    );
}

#[test]
fn a_mediator_brokers_an_agreement_between_the_two_countries() {
    let text = "Iranian Foreign Minister Hossein Amir-Abdollahian met Saudi Foreign Minister Prince Faisal bin Farhan \
                in Beijing on Thursday. China brokered an agreement between the two countries in March.";
    expect(
        text,
        "AGREEMENT",
        "asserted",
        &["CHN:mediator", "IRN:signatory", "SAU:signatory"],
        "2023-03",
    );
}

#[test]
fn a_hyphenated_surname_refers_back_to_the_full_name() {
    let text = "Iranian Foreign Minister Hossein Amir-Abdollahian arrived in Riyadh on Saturday. \
                Amir-Abdollahian held talks with Crown Prince Mohammed bin Salman in Jeddah on Sunday.";
    expect(
        text,
        "TALKS",
        "asserted",
        &["IRN:participant", "SAU:participant"],
        "2023-05-14",
    );
}

#[test]
fn the_two_countries_as_a_joint_subject_state_an_intent() {
    let text = "Iranian Foreign Minister Hossein Amir-Abdollahian met his Saudi counterpart in Riyadh on Saturday. \
                The Saudi minister said the two countries would expand cooperation in trade.";
    expect(
        text,
        "INTENT_TO_COOPERATE",
        "asserted",
        &["IRN:source", "SAU:target"],
        "*",
    );
}

#[test]
fn a_misspelt_trigger_verb_still_reads() {
    expect(
        "Iranian Oil Minister Bijan Zanganeh also visted Gabon, Algeria and Libya last week.",
        "VISIT",
        "asserted",
        &["IRN:visitor", "GAB:host"],
        "*",
    );
    expect_none(
        "Iranian Oil Minister Bijan Zanganeh kept saying so in Algiers.",
        "VISIT",
        "asserted",
    );
}

#[test]
fn a_visit_in_a_when_clause_is_announced_even_under_a_condition() {
    // The meeting is conditional; the visit it depends on is presupposed, so planned.
    expect(
        "If the talks go well, Kenyan President William Ruto is likely to meet Ugandan President Yoweri Museveni when he pays a two-day visit to Kampala on Friday.",
        "VISIT",
        "planned",
        &["KEN:visitor", "UGA:host"],
        "2023-05-19",
    );
    expect_none(
        "If the talks go well, Kenyan President William Ruto is likely to meet Ugandan President Yoweri Museveni when he pays a two-day visit to Kampala on Friday.",
        "MEET",
        "planned",
    );
}

#[test]
fn a_first_name_that_is_also_a_town_name_stays_in_the_person_name() {
    let article = ArticleInput {
        published: "2023-05-17".parse().ok(),
        ..ArticleInput::from_text("Iranian Foreign Minister Ali Akbar Velayati visited Havana on Monday.")
    };
    let out = serde_json::to_value(extractor().extract(&article)).expect("serializes");
    let visitor = out["events"][0]["participants"]
        .as_array()
        .expect("participants")
        .iter()
        .find(|p| p["role"] == "visitor")
        .cloned()
        .expect("a visitor");
    assert_eq!(visitor["name"], "Ali Akbar Velayati", "{out:#}");
    assert_eq!(visitor["kind"], "person");
    assert_eq!(visitor["country"], "IRN");
}

#[test]
fn talks_named_as_the_subject_take_the_tense_of_their_verb() {
    expect(
        "Blinken's talks with Chinese Foreign Minister Wang Yi will focus on trade and Taiwan.",
        "TALKS",
        "planned",
        &["CHN:participant"],
        "",
    );
    expect_none(
        "Blinken's talks with Chinese Foreign Minister Wang Yi will focus on trade and Taiwan.",
        "TALKS",
        "asserted",
    );
    expect(
        "U.S. Secretary of State Antony Blinken's Beijing talks with Chinese Foreign Minister Wang Yi ended on Monday.",
        "TALKS",
        "asserted",
        &["USA:participant", "CHN:participant"],
        "2023-05-15",
    );
}

#[test]
fn a_city_naming_the_talks_is_their_venue_not_the_dateline() {
    // The Beijing talks imply a visit to China, never one by the Chinese side to the dateline's country.
    let text = "WASHINGTON, May 17 - U.S. Secretary of State Antony Blinken's Beijing talks with Chinese Foreign Minister Wang Yi ended on Monday.";
    expect(
        text,
        "VISIT",
        "asserted",
        &["USA:visitor", "CHN:host"],
        "2023-05-15",
    );
    expect_none(text.replace("USA", "").as_str(), "VISIT", "planned");
    assert!(
        !events(text)
            .iter()
            .any(|(k, _, s, _)| k == "VISIT" && s.iter().any(|x| x == "USA:host")),
        "{:#?}",
        events(text)
    );
}

#[test]
fn a_summit_between_two_leaders_may_name_its_venue_and_day_first() {
    expect(
        "The talks prepare a summit in Ottawa next month between U.S. President Joe Biden and Canadian Prime Minister Justin Trudeau.",
        "MEET",
        "planned",
        &["USA:participant", "CAN:participant"],
        "2023-06",
    );
}

#[test]
fn a_leader_or_negotiator_named_with_a_demonym_acts_for_that_country() {
    expect(
        "Kenyan leader William Ruto met Ugandan negotiator Ruth Nankabirwa in Nairobi on Monday.",
        "MEET",
        "asserted",
        &["KEN:participant", "UGA:participant"],
        "2023-05-15",
    );
}

#[test]
fn the_plural_demonym_with_the_is_a_side() {
    expect(
        "Israel and the Palestinians reached a consensus to exchange information on water resources on Monday.",
        "INTENT_TO_COOPERATE",
        "asserted",
        &["ISR:source", "PSE:target"],
        "*",
    );
    // Without "the", before a verb, a plural demonym is a few people, not a side.
    assert!(
        events("Two Americans were hurt in Baghdad on Monday.").is_empty(),
        "{:#?}",
        events("Two Americans were hurt in Baghdad on Monday.")
    );
}

#[test]
fn a_government_named_by_its_demonym_acts_for_its_country() {
    expect(
        "The German government on Monday praised France for its proposal for a ceasefire.",
        "PRAISE",
        "asserted",
        &["DEU:source", "FRA:target"],
        "2023-05-15",
    );
    expect(
        "Israeli government officials met Jordanian officials in Amman on Monday.",
        "MEET",
        "asserted",
        &["ISR:participant", "JOR:participant"],
        "2023-05-15",
    );
}
