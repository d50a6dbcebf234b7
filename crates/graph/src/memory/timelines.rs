//! Timelines in memory: a compact skeleton of every stored event (id, kind, modality, sort day,
//! participants with role and country) and, per entity and per country, its events sorted by
//! (sort day, id). A timeline page is a walk back from the newest (or the cursor) through one
//! such list; the events themselves (names, places, mentions) are read from the store.

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Modality, Role};
use uuid::Uuid;

use crate::fasthash::FastMap;
use crate::filter::{EventFilter, Subject};

/// An event's place in the skeleton.
pub(crate) type EventIdx = u32;
/// An entity's place in the interner.
pub(crate) type EntityIdx = u32;

/// What a timeline needs of an event.
#[derive(Clone, Copy, Debug)]
struct Facts {
    id: u128,
    sort_day: NaiveDate,
    kind: EventKind,
    modality: Modality,
    /// Range of its participants in `Timelines::parts`.
    first_part: u32,
    n_parts: u16,
}

/// One participant: entity, role, country at the time.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Part {
    pub(crate) entity: EntityIdx,
    pub(crate) role: Role,
    pub(crate) country: Option<CountryCode>,
}

/// Every stored event's skeleton and the per-subject indexes.
#[derive(Default)]
pub(crate) struct Timelines {
    facts: Vec<Facts>,
    parts: Vec<Part>,
    by_id: FastMap<u128, EventIdx>,
    entity_ids: FastMap<String, EntityIdx>,
    by_entity: Vec<Vec<EventIdx>>,
    by_country: FastMap<CountryCode, Vec<EventIdx>>,
}

/// One event to add: id, kind, modality, sort day, participants (entity id, role, country).
pub(crate) struct Skeleton<'a> {
    pub(crate) id: u128,
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    pub(crate) sort_day: NaiveDate,
    pub(crate) participants: &'a [(&'a str, Role, Option<CountryCode>)],
}

/// A page of event ids, newest first, and the key of the last one when more follow.
pub(crate) struct IdPage {
    pub(crate) ids: Vec<(NaiveDate, u128)>,
    pub(crate) more: bool,
}

impl Timelines {
    /// The interned index of an entity id, added when new.
    pub(crate) fn entity(&mut self, id: &str) -> EntityIdx {
        if let Some(&idx) = self.entity_ids.get(id) {
            return idx;
        }
        let idx = self.by_entity.len() as EntityIdx;
        self.entity_ids.insert(id.to_owned(), idx);
        self.by_entity.push(Vec::new());
        idx
    }

    /// Adds an event while loading: the lists are sorted once at the end ([`Timelines::seal`]).
    /// Returns its index, or `None` when it was known already.
    pub(crate) fn push(&mut self, event: &Skeleton<'_>) -> Option<EventIdx> {
        let mut parts = Vec::with_capacity(event.participants.len());
        for &(entity, role, country) in event.participants {
            parts.push(Part {
                entity: self.entity(entity),
                role,
                country,
            });
        }
        self.push_parts(event.id, event.kind, event.modality, event.sort_day, &parts)
    }

    /// [`Timelines::push`] with participants already interned.
    pub(crate) fn push_parts(
        &mut self,
        id: u128,
        kind: EventKind,
        modality: Modality,
        sort_day: NaiveDate,
        parts: &[Part],
    ) -> Option<EventIdx> {
        if self.by_id.contains_key(&id) {
            return None;
        }
        let idx = self.facts.len() as EventIdx;
        self.facts.push(Facts {
            id,
            sort_day,
            kind,
            modality,
            first_part: self.parts.len() as u32,
            n_parts: parts.len() as u16,
        });
        self.parts.extend_from_slice(parts);
        self.by_id.insert(id, idx);
        // Each entity and country once, even when it takes part twice (no allocation: events
        // have a handful of participants).
        for (i, p) in parts.iter().enumerate() {
            if !parts[..i].iter().any(|q| q.entity == p.entity) {
                self.by_entity[p.entity as usize].push(idx);
            }
            if let Some(country) = p.country
                && !parts[..i].iter().any(|q| q.country == Some(country))
            {
                self.by_country.entry(country).or_default().push(idx);
            }
        }
        Some(idx)
    }

    /// Sorts every list by (sort day, id), once loading is done.
    pub(crate) fn seal(&mut self) {
        let facts = &self.facts;
        let key = |&idx: &EventIdx| (facts[idx as usize].sort_day, facts[idx as usize].id);
        for list in self.by_entity.iter_mut().chain(self.by_country.values_mut()) {
            list.sort_unstable_by_key(key);
        }
    }

    /// Adds an event after loading, keeping every list sorted.
    pub(crate) fn insert(&mut self, event: &Skeleton<'_>) {
        let Some(idx) = self.push(event) else { return };
        let (entities, countries) = self.subjects_of(idx);
        let facts = &self.facts;
        let key = |i: EventIdx| (facts[i as usize].sort_day, facts[i as usize].id);
        let new_key = key(idx);
        // `push` appended it to each list; move it to its sorted place.
        let place = |list: &mut Vec<EventIdx>| {
            if let Some(last) = list.pop() {
                let at = list.partition_point(|&i| key(i) < new_key);
                list.insert(at, last);
            }
        };
        for entity in entities {
            place(&mut self.by_entity[entity as usize]);
        }
        for country in countries {
            if let Some(list) = self.by_country.get_mut(&country) {
                place(list);
            }
        }
    }

    /// The distinct entities and countries taking part in an event.
    fn subjects_of(&self, idx: EventIdx) -> (Vec<EntityIdx>, Vec<CountryCode>) {
        let parts = self.parts_of(idx);
        let mut entities: Vec<EntityIdx> = parts.iter().map(|p| p.entity).collect();
        entities.sort_unstable();
        entities.dedup();
        let mut countries: Vec<CountryCode> = parts.iter().filter_map(|p| p.country).collect();
        countries.sort_unstable();
        countries.dedup();
        (entities, countries)
    }

    fn parts_of(&self, idx: EventIdx) -> &[Part] {
        let f = &self.facts[idx as usize];
        &self.parts[f.first_part as usize..f.first_part as usize + f.n_parts as usize]
    }

    /// Number of events known.
    pub(crate) fn len(&self) -> usize {
        self.facts.len()
    }

    /// One page of a timeline: events of `subject` (with `counterpart` also taking part) that
    /// pass the filter, newest first, after the cursor key; `limit` of them and whether more
    /// follow. Mirrors the SQL of `read::timeline` exactly.
    pub(crate) fn page(
        &self,
        subject: &Subject,
        counterpart: Option<&Subject>,
        filter: &EventFilter,
        after: Option<(NaiveDate, u128)>,
        limit: usize,
    ) -> IdPage {
        // "Events of the subject with the counterpart" is symmetric: walk the shorter list.
        let mut list = self.list(subject);
        if let Some(counterpart) = counterpart {
            let other = self.list(counterpart);
            if other.len() < list.len() {
                list = other;
            }
        }
        let key = |i: EventIdx| {
            let f = &self.facts[i as usize];
            (f.sort_day, f.id)
        };
        let end = match after {
            Some(cursor) => list.partition_point(|&i| key(i) < cursor),
            None => list.len(),
        };
        let (lo, hi) = filter.day_bounds();
        let subject = self.resolve(subject);
        let counterpart = counterpart.map(|c| self.resolve(c));
        let mut ids = Vec::with_capacity(limit.min(list.len()));
        for &idx in list[..end].iter().rev() {
            let f = &self.facts[idx as usize];
            if f.sort_day < lo {
                break;
            }
            if f.sort_day > hi
                || f.modality != filter.modality
                || (!filter.kinds.is_empty() && !filter.kinds.contains(&f.kind))
            {
                continue;
            }
            if let Some(counterpart) = &counterpart
                && !self.meets(idx, &subject, counterpart)
            {
                continue;
            }
            if ids.len() == limit {
                return IdPage { ids, more: true };
            }
            ids.push((f.sort_day, f.id));
        }
        IdPage { ids, more: false }
    }

    /// The events of a subject, sorted by (sort day, id).
    fn list(&self, subject: &Subject) -> &[EventIdx] {
        match subject {
            Subject::Entity(id) => self
                .entity_ids
                .get(id.as_str())
                .map_or(&[][..], |&e| &self.by_entity[e as usize]),
            Subject::Country(code) => self.by_country.get(code).map_or(&[][..], Vec::as_slice),
        }
    }

    fn resolve(&self, subject: &Subject) -> Resolved {
        match subject {
            Subject::Entity(id) => Resolved::Entity(self.entity_ids.get(id.as_str()).copied()),
            Subject::Country(code) => Resolved::Country(*code),
        }
    }

    /// Whether some participant matches the subject and another participant (not the same
    /// entity in the same role) matches the counterpart.
    fn meets(&self, idx: EventIdx, subject: &Resolved, counterpart: &Resolved) -> bool {
        let parts = self.parts_of(idx);
        parts.iter().any(|p| {
            subject.matches(p)
                && parts
                    .iter()
                    .any(|q| counterpart.matches(q) && (q.entity != p.entity || q.role != p.role))
        })
    }
}

/// A subject as the skeleton knows it.
enum Resolved {
    Entity(Option<EntityIdx>),
    Country(CountryCode),
}

impl Resolved {
    fn matches(&self, part: &Part) -> bool {
        match self {
            Resolved::Entity(entity) => *entity == Some(part.entity),
            Resolved::Country(code) => part.country == Some(*code),
        }
    }
}

/// An event id as the skeleton keys it, when it is a uuid.
pub(crate) fn uuid_key(id: &str) -> Option<u128> {
    Uuid::parse_str(id).ok().map(|u| u.as_u128())
}

/// The text of an event id kept as a uuid.
pub(crate) fn uuid_text(id: u128) -> String {
    Uuid::from_u128(id).to_string()
}
