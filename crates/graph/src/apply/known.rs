//! [`Known`]: what an apply transaction has already read from the database or written to it, so
//! that the articles of a batch do not ask for or write the same rows again. A batch of wire
//! stories names the same countries, leaders and events over and over: after the first article,
//! most look-ups are answered here and most `insert … on conflict do nothing` are skipped.
//!
//! Everything here is true of the open transaction, which holds the write lock, so nothing else
//! changes the rows behind it. It lives for one transaction only, and the batch forgets it all
//! when an article is rolled back to its savepoint (what that article taught it may be undone).

use std::collections::{HashMap, HashSet};

use chrono::NaiveDate;
use diplograph_core::{Affiliation, CountryCode, EntityKind};

use crate::resolve::StoredEntity;

/// A stored event with an identity key: its id and days, as `events::FIND_SAME` reads them.
pub(crate) type SameEvent = (String, Option<NaiveDate>, Option<NaiveDate>);

/// The transaction's memory of stored rows.
#[derive(Default)]
pub(crate) struct Known {
    /// Country entities that exist.
    countries: HashSet<CountryCode>,
    /// (kind, resolve key) → the entity with that key, or `None` when there is none.
    entities: HashMap<(EntityKind, String), Option<StoredEntity>>,
    /// `alias` rows: (entity id, normalized alias).
    aliases: HashSet<(String, String)>,
    /// `search_term` rows: (entity id, term).
    terms: HashSet<(String, String)>,
    /// `affiliation` rows: (entity id, country, title).
    affiliation_rows: HashSet<(String, CountryCode, String)>,
    /// A person's affiliations as read, until one is added.
    affiliations: HashMap<String, Vec<Affiliation>>,
    /// Identity key → the stored events with it, in id order.
    same: HashMap<String, Vec<SameEvent>>,
    /// `event_place` rows: (event id, name).
    places: HashSet<(String, String)>,
}

impl Known {
    /// Whether the country's entity exists; records that it does from now on.
    pub(crate) fn country_exists(&mut self, code: CountryCode) -> bool {
        !self.countries.insert(code)
    }

    /// The entity with a resolve key, when the database has been asked (`Some(None)`: none).
    pub(crate) fn entity(&self, kind: EntityKind, key: &str) -> Option<Option<StoredEntity>> {
        self.entities.get(&(kind, key.to_owned())).cloned()
    }

    /// Records which entity has a resolve key (`None`: none).
    pub(crate) fn set_entity(&mut self, kind: EntityKind, key: &str, entity: Option<StoredEntity>) {
        self.entities.insert((kind, key.to_owned()), entity);
    }

    /// Whether an alias row is known to exist; records that it will from now on.
    pub(crate) fn alias_stored(&mut self, entity_id: &str, normalized: &str) -> bool {
        !insert_pair(&mut self.aliases, entity_id, normalized)
    }

    /// Whether a search term row is known to exist; records that it will from now on.
    pub(crate) fn term_stored(&mut self, entity_id: &str, term: &str) -> bool {
        !insert_pair(&mut self.terms, entity_id, term)
    }

    /// Whether an affiliation row is known to exist; records that it will from now on, and
    /// forgets the person's affiliations as read, which may be about to change.
    pub(crate) fn affiliation_stored(&mut self, entity_id: &str, country: CountryCode, title: &str) -> bool {
        let row = (entity_id.to_owned(), country, title.to_owned());
        if self.affiliation_rows.contains(&row) {
            return true;
        }
        self.affiliation_rows.insert(row);
        self.affiliations.remove(entity_id);
        false
    }

    /// A person's affiliations, when read since the last change.
    pub(crate) fn affiliations(&self, entity_id: &str) -> Option<&[Affiliation]> {
        self.affiliations.get(entity_id).map(Vec::as_slice)
    }

    pub(crate) fn set_affiliations(&mut self, entity_id: &str, affiliations: Vec<Affiliation>) {
        self.affiliations.insert(entity_id.to_owned(), affiliations);
    }

    /// The stored events with an identity key, when read.
    pub(crate) fn same(&self, key: &str) -> Option<&[SameEvent]> {
        self.same.get(key).map(Vec::as_slice)
    }

    pub(crate) fn set_same(&mut self, key: &str, events: Vec<SameEvent>) {
        self.same.insert(key.to_owned(), events);
    }

    /// Adds an event just inserted to its identity key's list, in id order, if the list is held.
    pub(crate) fn add_same(&mut self, key: &str, event: SameEvent) {
        if let Some(events) = self.same.get_mut(key) {
            let at = events.partition_point(|(id, _, _)| id.as_str() < event.0.as_str());
            events.insert(at, event);
        }
    }

    /// Whether an event's place row is known to exist; records that it will from now on.
    pub(crate) fn place_stored(&mut self, event_id: &str, name: &str) -> bool {
        !insert_pair(&mut self.places, event_id, name)
    }
}

/// Inserts a pair into a set; true when it was not there.
fn insert_pair(set: &mut HashSet<(String, String)>, a: &str, b: &str) -> bool {
    set.insert((a.to_owned(), b.to_owned()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_new_once() {
        let mut known = Known::default();
        assert!(!known.alias_stored("e1", "kadhimi"));
        assert!(known.alias_stored("e1", "kadhimi"));
        assert!(!known.alias_stored("e2", "kadhimi"));
        assert!(!known.country_exists(CountryCode::parse("IRN").unwrap()));
        assert!(known.country_exists(CountryCode::parse("IRN").unwrap()));
    }

    #[test]
    fn a_new_affiliation_forgets_the_ones_read() {
        let mut known = Known::default();
        known.set_affiliations("p1", Vec::new());
        assert!(known.affiliations("p1").is_some());
        let irn = CountryCode::parse("IRN").unwrap();
        assert!(!known.affiliation_stored("p1", irn, "President"));
        assert!(known.affiliations("p1").is_none());
        known.set_affiliations("p1", Vec::new());
        assert!(known.affiliation_stored("p1", irn, "President"));
        assert!(known.affiliations("p1").is_some(), "a known row changes nothing");
    }

    #[test]
    fn events_join_their_identity_list_in_id_order() {
        let mut known = Known::default();
        known.add_same("k", ("b".into(), None, None));
        assert!(known.same("k").is_none(), "a list never read is not started");
        known.set_same("k", vec![("a".into(), None, None), ("c".into(), None, None)]);
        known.add_same("k", ("b".into(), None, None));
        let ids: Vec<&str> = known.same("k").unwrap().iter().map(|e| e.0.as_str()).collect();
        assert_eq!(ids, ["a", "b", "c"]);
    }
}
