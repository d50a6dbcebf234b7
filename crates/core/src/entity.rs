//! Entities: countries, people with dated affiliations, organizations and places.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{CoreError, CountryCode, DatePoint};

/// What an entity is.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum EntityKind {
    Country,
    Person,
    Organization,
    Place,
}

impl EntityKind {
    /// Every kind.
    pub const ALL: [EntityKind; 4] = [
        EntityKind::Country,
        EntityKind::Person,
        EntityKind::Organization,
        EntityKind::Place,
    ];

    /// The wire name, e.g. `person`.
    pub fn as_str(self) -> &'static str {
        match self {
            EntityKind::Country => "country",
            EntityKind::Person => "person",
            EntityKind::Organization => "organization",
            EntityKind::Place => "place",
        }
    }

    /// Parses a wire name.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let low = input.trim().to_ascii_lowercase();
        EntityKind::ALL
            .into_iter()
            .find(|k| k.as_str() == low)
            .ok_or_else(|| CoreError::UnknownEntityKind(input.chars().take(32).collect()))
    }
}

impl fmt::Display for EntityKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A stable entity id: the ISO3 code for a country, an opaque string (UUID v7) otherwise.
#[derive(Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(transparent)]
pub struct EntityId(String);

impl EntityId {
    /// Longest id accepted from users.
    pub const MAX_LEN: usize = 64;

    /// Validates an id: 1–64 characters of ASCII letters, digits, `-`, `_`, `:` or `.`.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let ok = !input.is_empty()
            && input.len() <= Self::MAX_LEN
            && input
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"-_:.".contains(&b));
        if !ok {
            return Err(CoreError::InvalidId(input.chars().take(32).collect()));
        }
        Ok(Self(input.to_owned()))
    }

    /// The id of a country entity.
    pub fn country(code: CountryCode) -> Self {
        Self(code.as_str().to_owned())
    }

    /// The id as text.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for EntityId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// A person's office in a country's service, with optional dates.
#[derive(Clone, PartialEq, Eq, Debug, Serialize, Deserialize)]
pub struct Affiliation {
    /// The state the person serves.
    pub country: CountryCode,
    /// The office ("Prime Minister"), when known.
    pub title: Option<String>,
    /// When the office began, when known.
    pub from: Option<DatePoint>,
    /// When it ended, when known.
    pub to: Option<DatePoint>,
}

impl Affiliation {
    /// Whether the affiliation held on a day (unknown bounds are open).
    pub fn holds_on(&self, day: chrono::NaiveDate) -> bool {
        self.from.is_none_or(|f| f.first_day() <= day) && self.to.is_none_or(|t| day <= t.last_day())
    }
}

/// A person: canonical full name, aliases and dated affiliations.
#[derive(Clone, PartialEq, Debug, Serialize, Deserialize)]
pub struct Person {
    pub id: EntityId,
    pub name: String,
    pub aliases: Vec<String>,
    pub affiliations: Vec<Affiliation>,
}

impl Person {
    /// The country the person served on a day, or the latest known affiliation when the day is
    /// unknown or no affiliation covers it.
    pub fn country_on(&self, day: Option<chrono::NaiveDate>) -> Option<CountryCode> {
        let dated = day.and_then(|d| self.affiliations.iter().find(|a| a.holds_on(d)));
        dated.or_else(|| self.affiliations.last()).map(|a| a.country)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn day(s: &str) -> chrono::NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn ids_reject_spaces_quotes_and_overlong_input() {
        assert!(EntityId::parse("0190e7a4-7d3c-7000-8000-000000000000").is_ok());
        for bad in ["", "a b", "x'; drop table", "../etc", &"a".repeat(65)] {
            assert!(EntityId::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn affiliation_dates_pick_the_country_of_the_day() {
        let person = Person {
            id: EntityId::parse("p1").unwrap(),
            name: "Someone".into(),
            aliases: vec![],
            affiliations: vec![
                Affiliation {
                    country: CountryCode::parse("FRA").unwrap(),
                    title: None,
                    from: None,
                    to: DatePoint::parse("2010").ok(),
                },
                Affiliation {
                    country: CountryCode::parse("DEU").unwrap(),
                    title: Some("Envoy".into()),
                    from: DatePoint::parse("2011-03").ok(),
                    to: None,
                },
            ],
        };
        assert_eq!(
            person.country_on(Some(day("2005-01-01"))).unwrap().as_str(),
            "FRA"
        );
        assert_eq!(
            person.country_on(Some(day("2011-03-31"))).unwrap().as_str(),
            "DEU"
        );
        assert_eq!(person.country_on(None).unwrap().as_str(), "DEU");
    }

    #[test]
    fn entity_kinds_parse() {
        assert_eq!(EntityKind::parse("Person").unwrap(), EntityKind::Person);
        assert!(EntityKind::parse("city").is_err());
    }
}
