//! Validated ISO 3166-1 alpha-3 country codes.

use std::fmt;

use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::CoreError;
use crate::iso3166::CODES;

/// An ISO 3166-1 alpha-3 code (`IRN`), validated against the known list.
///
/// Alpha-2 input (`ir`) is accepted and normalized to alpha-3. Regional codes that some sources
/// use as actors (`EUR`, `AFR`, …) are not countries and are rejected.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct CountryCode([u8; 3]);

impl CountryCode {
    /// Parses an alpha-3 or alpha-2 code, case-insensitively and ignoring surrounding spaces.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        // Upper-case into a stack buffer: parsing is hot when the gazetteer loads.
        let trimmed = input.trim().as_bytes();
        let mut buf = [0u8; 3];
        let code: &[u8] = match trimmed.len() {
            2 | 3 => {
                for (b, c) in buf.iter_mut().zip(trimmed) {
                    *b = c.to_ascii_uppercase();
                }
                &buf[..trimmed.len()]
            }
            _ => &[],
        };
        let found = match code.len() {
            // CODES is sorted by alpha-3.
            3 => CODES
                .binary_search_by(|(a3, _)| a3.as_bytes().cmp(code))
                .ok()
                .map(|i| CODES[i].0),
            2 => CODES
                .iter()
                .find(|(_, a2)| a2.as_bytes() == code)
                .map(|(a3, _)| *a3),
            _ => None,
        };
        match found {
            Some(a3) => {
                let b = a3.as_bytes();
                Ok(Self([b[0], b[1], b[2]]))
            }
            None => Err(CoreError::UnknownCountry(input.trim().chars().take(16).collect())),
        }
    }

    /// The alpha-3 code.
    pub fn as_str(&self) -> &str {
        // The bytes always come from `CODES`, which are ASCII.
        std::str::from_utf8(&self.0).unwrap_or("???")
    }

    /// The alpha-2 code, when the country has one.
    pub fn alpha2(&self) -> Option<&'static str> {
        CODES
            .iter()
            .find(|(a3, _)| a3.as_bytes() == self.0)
            .map(|(_, a2)| *a2)
            .filter(|a2| !a2.is_empty())
    }

    /// Every code this type accepts, alpha-3, sorted.
    pub fn all() -> impl Iterator<Item = CountryCode> {
        CODES.iter().filter_map(|(a3, _)| CountryCode::parse(a3).ok())
    }
}

impl fmt::Display for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl fmt::Debug for CountryCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "CountryCode({})", self.as_str())
    }
}

impl std::str::FromStr for CountryCode {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

impl Serialize for CountryCode {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

impl<'de> Deserialize<'de> for CountryCode {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        let raw = String::deserialize(d)?;
        CountryCode::parse(&raw).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lowercase_alpha3_is_normalised() {
        assert_eq!(CountryCode::parse(" irn ").unwrap().as_str(), "IRN");
    }

    #[test]
    fn alpha2_is_normalised_to_alpha3() {
        assert_eq!(CountryCode::parse("iq").unwrap().as_str(), "IRQ");
        assert_eq!(CountryCode::parse("GB").unwrap().as_str(), "GBR");
        assert_eq!(CountryCode::parse("IRQ").unwrap().alpha2(), Some("IQ"));
    }

    #[test]
    fn kosovo_and_historical_states_are_accepted() {
        for code in ["XKX", "SUN", "YUG", "DDR", "CSK", "VAT", "PSE", "TWN"] {
            assert!(CountryCode::parse(code).is_ok(), "{code}");
        }
    }

    #[test]
    fn regional_and_malformed_codes_are_rejected() {
        for bad in ["EUR", "AFR", "", "I", "IRAN", "1RN", "ÍRN", "ZZZ", "AB\0"] {
            assert!(CountryCode::parse(bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn serde_round_trips_and_rejects_unknown_codes() {
        let code: CountryCode = serde_json::from_str("\"chn\"").unwrap();
        assert_eq!(serde_json::to_string(&code).unwrap(), "\"CHN\"");
        assert!(serde_json::from_str::<CountryCode>("\"EUR\"").is_err());
    }

    #[test]
    fn the_code_table_is_sorted_for_binary_search() {
        assert!(CODES.windows(2).all(|w| w[0].0 < w[1].0));
    }

    #[test]
    fn all_lists_more_than_240_codes() {
        assert!(CountryCode::all().count() > 240);
    }
}
