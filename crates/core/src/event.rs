//! Event kinds with their CAMEO codes, PLOVER types and Goldstein scores; roles and modality.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::CoreError;

/// What kind of diplomatic event happened (DESIGN §2).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum EventKind {
    Visit,
    Meet,
    Talks,
    PhoneCall,
    Agreement,
    IntentToCooperate,
    Praise,
    Invite,
    Criticize,
    Accuse,
    Threaten,
    Sanction,
    ReduceRelations,
}

/// Static facts about one kind: its wire name, CAMEO code, Goldstein score and PLOVER type.
struct KindInfo {
    name: &'static str,
    cameo: &'static str,
    goldstein: f64,
    plover: &'static str,
    directed: bool,
}

const KINDS: [(EventKind, KindInfo); 13] = {
    use EventKind::*;
    const fn k(
        name: &'static str,
        cameo: &'static str,
        goldstein: f64,
        plover: &'static str,
        directed: bool,
    ) -> KindInfo {
        KindInfo {
            name,
            cameo,
            goldstein,
            plover,
            directed,
        }
    }
    [
        (Visit, k("VISIT", "042", 1.9, "CONSULT", true)),
        (Meet, k("MEET", "040", 1.0, "CONSULT", false)),
        (Talks, k("TALKS", "046", 7.0, "CONSULT", false)),
        (PhoneCall, k("PHONE_CALL", "041", 1.0, "CONSULT", false)),
        (Agreement, k("AGREEMENT", "057", 8.0, "SUPPORT", false)),
        (
            IntentToCooperate,
            k("INTENT_TO_COOPERATE", "030", 4.0, "AGREE", true),
        ),
        (Praise, k("PRAISE", "051", 3.4, "SUPPORT", true)),
        (Invite, k("INVITE", "036", 4.0, "AGREE", true)),
        (Criticize, k("CRITICIZE", "111", -2.0, "ACCUSE", true)),
        (Accuse, k("ACCUSE", "112", -2.0, "ACCUSE", true)),
        (Threaten, k("THREATEN", "130", -4.4, "THREATEN", true)),
        (Sanction, k("SANCTION", "163", -8.0, "COERCE", true)),
        (
            ReduceRelations,
            k("REDUCE_RELATIONS", "161", -4.0, "SANCTION", true),
        ),
    ]
};

impl EventKind {
    /// Every kind, in table order.
    pub const ALL: [EventKind; 13] = {
        let mut all = [EventKind::Visit; 13];
        let mut i = 0;
        while i < 13 {
            all[i] = KINDS[i].0;
            i += 1;
        }
        all
    };

    fn info(self) -> &'static KindInfo {
        &KINDS[self as usize].1
    }

    /// The wire name, e.g. `PHONE_CALL`.
    pub fn as_str(self) -> &'static str {
        self.info().name
    }

    /// The primary CAMEO code (`042` for a visit).
    pub fn cameo(self) -> &'static str {
        self.info().cameo
    }

    /// The Goldstein score of the primary CAMEO code: the event's tone, −10 … +10.
    pub fn goldstein(self) -> f64 {
        self.info().goldstein
    }

    /// The PLOVER event type.
    pub fn plover(self) -> &'static str {
        self.info().plover
    }

    /// Whether the kind has a direction (source → target, visitor → host).
    pub fn is_directed(self) -> bool {
        self.info().directed
    }

    /// The roles its participants may take.
    pub fn roles(self) -> &'static [Role] {
        use EventKind::*;
        match self {
            Visit => &[Role::Visitor, Role::Host],
            Meet | Talks => &[Role::Participant, Role::Mediator],
            PhoneCall => &[Role::Participant],
            Agreement => &[Role::Signatory],
            _ => &[Role::Source, Role::Target],
        }
    }

    /// Parses a wire name, case-insensitively (`visit`, `PHONE_CALL`).
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let up = input.trim().to_ascii_uppercase();
        KINDS
            .iter()
            .find(|(_, info)| info.name == up)
            .map(|(kind, _)| *kind)
            .ok_or_else(|| CoreError::UnknownKind(input.chars().take(32).collect()))
    }

    /// The kind a CAMEO code (2–4 digits) maps to, if any. Sub-codes map to their parent
    /// where that parent is one of ours (`0421` → VISIT; `043`, a hosted visit, → VISIT). CAMEO has
    /// no code of its own for an invitation, so nothing maps to INVITE.
    pub fn from_cameo(code: &str) -> Option<Self> {
        use EventKind::*;
        let code = code.trim();
        if code.len() < 2 || !code.bytes().all(|b| b.is_ascii_digit()) {
            return None;
        }
        let three = &code[..code.len().min(3)];
        Some(match three {
            "042" | "043" => Visit,
            "040" | "044" | "045" => Meet,
            "046" => Talks,
            "041" => PhoneCall,
            "057" => Agreement,
            "030" | "031" | "032" | "033" | "034" | "035" | "036" | "037" | "038" | "039" => {
                IntentToCooperate
            }
            "051" => Praise,
            "110" | "111" => Criticize,
            "112" => Accuse,
            "130" | "131" | "132" | "133" | "134" | "135" | "136" | "137" | "138" | "139" => Threaten,
            "163" | "160" | "162" => Sanction,
            "161" | "164" | "165" | "166" => ReduceRelations,
            _ => return None,
        })
    }
}

impl fmt::Display for EventKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

impl std::str::FromStr for EventKind {
    type Err = CoreError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        Self::parse(s)
    }
}

/// A participant's role in an event (the entity's office is its title, never its role).
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Role {
    Visitor,
    Host,
    Participant,
    Mediator,
    Signatory,
    Source,
    Target,
}

impl Role {
    /// Every role.
    pub const ALL: [Role; 7] = [
        Role::Visitor,
        Role::Host,
        Role::Participant,
        Role::Mediator,
        Role::Signatory,
        Role::Source,
        Role::Target,
    ];

    /// The wire name, e.g. `visitor`.
    pub fn as_str(self) -> &'static str {
        match self {
            Role::Visitor => "visitor",
            Role::Host => "host",
            Role::Participant => "participant",
            Role::Mediator => "mediator",
            Role::Signatory => "signatory",
            Role::Source => "source",
            Role::Target => "target",
        }
    }

    /// Parses a wire name.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let low = input.trim().to_ascii_lowercase();
        Role::ALL
            .into_iter()
            .find(|r| r.as_str() == low)
            .ok_or_else(|| CoreError::UnknownRole(input.chars().take(32).collect()))
    }

    /// Whether this is the acting side of a directed event (visitor, source).
    pub fn is_actor_side(self) -> bool {
        matches!(self, Role::Visitor | Role::Source)
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Whether the text says the event happened, or something else about it.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Debug, Default, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Modality {
    /// It happened (the only modality that counts in ties).
    #[default]
    Asserted,
    /// Announced for the future.
    Planned,
    /// Was planned, then put off.
    Postponed,
    /// Was planned, then called off.
    Cancelled,
    /// Explicitly denied ("no plans to meet").
    Denied,
    /// Conditional or speculative.
    Hypothetical,
}

impl Modality {
    /// Every modality.
    pub const ALL: [Modality; 6] = [
        Modality::Asserted,
        Modality::Planned,
        Modality::Postponed,
        Modality::Cancelled,
        Modality::Denied,
        Modality::Hypothetical,
    ];

    /// The wire name, e.g. `postponed`.
    pub fn as_str(self) -> &'static str {
        match self {
            Modality::Asserted => "asserted",
            Modality::Planned => "planned",
            Modality::Postponed => "postponed",
            Modality::Cancelled => "cancelled",
            Modality::Denied => "denied",
            Modality::Hypothetical => "hypothetical",
        }
    }

    /// Parses a wire name.
    pub fn parse(input: &str) -> Result<Self, CoreError> {
        let low = input.trim().to_ascii_lowercase();
        Modality::ALL
            .into_iter()
            .find(|m| m.as_str() == low)
            .ok_or_else(|| CoreError::UnknownModality(input.chars().take(32).collect()))
    }
}

impl fmt::Display for Modality {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_kind_round_trips_through_its_wire_name() {
        for kind in EventKind::ALL {
            assert_eq!(EventKind::parse(kind.as_str()).unwrap(), kind);
            let json = serde_json::to_string(&kind).unwrap();
            assert_eq!(json, format!("\"{}\"", kind.as_str()));
        }
    }

    #[test]
    fn design_table_codes_and_scores_hold() {
        assert_eq!(EventKind::Visit.cameo(), "042");
        assert_eq!(EventKind::Visit.goldstein(), 1.9);
        assert_eq!(EventKind::Agreement.plover(), "SUPPORT");
        assert_eq!(EventKind::Sanction.goldstein(), -8.0);
        assert_eq!(EventKind::ReduceRelations.cameo(), "161");
        assert!(!EventKind::Meet.is_directed());
        assert!(EventKind::Invite.is_directed());
    }

    #[test]
    fn cameo_codes_map_to_kinds() {
        assert_eq!(EventKind::from_cameo("0421"), Some(EventKind::Visit));
        assert_eq!(EventKind::from_cameo("043"), Some(EventKind::Visit));
        assert_eq!(EventKind::from_cameo("046"), Some(EventKind::Talks));
        assert_eq!(EventKind::from_cameo("190"), None);
        assert_eq!(EventKind::from_cameo("x4"), None);
    }

    #[test]
    fn unknown_names_are_rejected() {
        assert!(EventKind::parse("DANCE").is_err());
        assert!(Role::parse("president").is_err());
        assert!(Modality::parse("maybe").is_err());
        assert_eq!(Modality::parse("Postponed").unwrap(), Modality::Postponed);
    }
}
