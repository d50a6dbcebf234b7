//! Small builders for extractions, in the shape the extractor produces.

use diplograph_core::{
    ArticleMeta, CountryCode, DatePoint, EntityKind, EventKind, Evidence, ExtractedEntity, ExtractedEvent,
    Extraction, Modality, Participant, PlaceRef, Role, Span, text_hash,
};

pub(crate) fn code(c: &str) -> CountryCode {
    CountryCode::parse(c).unwrap()
}

/// An article with a URL (or none) and a text; the hash comes from the text.
pub(crate) fn article(url: Option<&str>, text: &str) -> Extraction {
    Extraction {
        article: ArticleMeta {
            url: url.map(str::to_owned),
            title: Some(format!("title of {}", url.unwrap_or("an article"))),
            published: DatePoint::parse("2020-07-22").ok(),
            source: Some("IRNA".into()),
            dateline: Some("Tehran".into()),
            home_country: Some(code("IRN")),
            text_hash: text_hash(text),
            text_bytes: text.len(),
            extractor: "test-extractor/1".into(),
        },
        ..Extraction::default()
    }
}

pub(crate) fn country(c: &str, name: &str) -> ExtractedEntity {
    ExtractedEntity {
        id: c.into(),
        kind: EntityKind::Country,
        name: name.into(),
        country: Some(code(c)),
        title: None,
        aliases: vec![],
    }
}

pub(crate) fn person(id: &str, name: &str, c: Option<&str>, title: Option<&str>) -> ExtractedEntity {
    let surname = name.rsplit(' ').next().unwrap_or(name).to_owned();
    ExtractedEntity {
        id: id.into(),
        kind: EntityKind::Person,
        name: name.into(),
        country: c.map(code),
        title: title.map(str::to_owned),
        aliases: vec![surname],
    }
}

/// A participant pointing at an entity of the extraction.
pub(crate) fn part(entity: &ExtractedEntity, role: Role) -> Participant {
    Participant {
        entity: entity.id.clone(),
        name: entity.name.clone(),
        kind: entity.kind,
        country: entity.country,
        role,
        mention: Some(Span {
            start: 0,
            end: entity.name.len(),
            text: entity.name.clone(),
        }),
    }
}

pub(crate) fn event(
    kind: EventKind,
    date: Option<&str>,
    participants: Vec<Participant>,
    sentence: &str,
) -> ExtractedEvent {
    ExtractedEvent {
        kind,
        modality: Modality::Asserted,
        date: date.map(|d| DatePoint::parse(d).unwrap()),
        date_end: None,
        places: vec![],
        participants,
        confidence: 0.9,
        evidence: Evidence {
            sentence: 1,
            start: 10,
            end: 10 + sentence.len(),
            text: sentence.into(),
        },
        trigger: Some(Span {
            start: 20,
            end: 23,
            text: "met".into(),
        }),
    }
}

/// Kadhimi (IRQ) visits Iran and meets Khamenei and Rouhani on 2020-07-21.
pub(crate) fn kadhimi_visit(url: Option<&str>, text: &str) -> Extraction {
    let mut x = article(url, text);
    let irn = country("IRN", "Iran");
    let kadhimi = person("p1", "Mustafa al-Kadhimi", Some("IRQ"), Some("Prime Minister"));
    let khamenei = person("p2", "Ali Khamenei", Some("IRN"), Some("Supreme Leader"));
    let rouhani = person("p3", "Hassan Rouhani", Some("IRN"), Some("President"));
    let mut visit = event(
        EventKind::Visit,
        Some("2020-07-21"),
        vec![part(&kadhimi, Role::Visitor), part(&irn, Role::Host)],
        "Iraqi Prime Minister Mustafa al-Kadhimi arrived in Tehran on Tuesday.",
    );
    visit.places.push(PlaceRef {
        name: "Tehran".into(),
        country: Some(code("IRN")),
    });
    let meet_khamenei = event(
        EventKind::Meet,
        Some("2020-07-21"),
        vec![
            part(&kadhimi, Role::Participant),
            part(&khamenei, Role::Participant),
        ],
        "Kadhimi met with Supreme Leader Ayatollah Ali Khamenei.",
    );
    let meet_rouhani = event(
        EventKind::Meet,
        Some("2020-07-21"),
        vec![
            part(&kadhimi, Role::Participant),
            part(&rouhani, Role::Participant),
        ],
        "Kadhimi also met President Hassan Rouhani.",
    );
    x.entities = vec![irn, kadhimi, khamenei, rouhani];
    x.events = vec![visit, meet_khamenei, meet_rouhani];
    x
}
