//! Stage 6c — assembly: frames become dated, placed events with one event per dyad, entity ids
//! are assigned, and visits implied by meetings abroad are added.

use std::collections::{BTreeSet, HashMap, HashSet};

use chrono::{Duration, NaiveDate};
use diplograph_core::{
    CountryCode, DatePoint, EventKind, Evidence, ExtractedEntity, ExtractedEvent, Modality, PlaceRef, Role,
    Span,
};

use crate::dates::{self, DateExpr, Value};
use crate::frames::{Frame, View};
use crate::gazetteer::Gazetteer;
use crate::mentions::{Context, What};
use crate::segment::Sentence;

/// How many of the latest events a sentence may refer back to (the visit an actor is on, the
/// planned trip a later sentence dates). Articles hold far fewer; the bound keeps the work
/// linear in the length of hostile texts with thousands of events.
const LOOKBACK: usize = 256;

/// What the assembler needs to know about one sentence.
pub(crate) struct SentenceFacts<'a> {
    pub(crate) sentence: &'a Sentence,
    pub(crate) view: &'a View<'a>,
    pub(crate) dates: Vec<DateExpr>,
    /// The lead sentence: an undated asserted event there is the story's news of the day.
    pub(crate) lead: bool,
}

/// An actor, before ids are assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub(crate) enum Actor {
    Person(usize),
    Country(CountryCode),
    Org(usize),
}

#[derive(Clone, Debug)]
struct Draft {
    kind: EventKind,
    modality: Modality,
    date: Option<DatePoint>,
    date_end: Option<DatePoint>,
    places: Vec<usize>,
    parts: Parts,
    confidence: f32,
    evidence: Evidence,
    trigger: Span,
    dated: Dated,
    /// A country named as the venue ("met … in West Germany") when no city is.
    venue: Option<CountryCode>,
}

/// Where an event's date came from.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Dated {
    /// A date expression in the sentence.
    Explicit,
    /// The date of the event the sentence continues.
    Inherited,
    /// The story's day, for an undated event that happened (wire copy reports the day's news).
    StoryDay,
    Unknown,
}

struct Last {
    sentence: u32,
    date: Option<DatePoint>,
    date_end: Option<DatePoint>,
    actors: Vec<Actor>,
}

/// Collects the events of an article, sentence by sentence.
pub(crate) struct Assembler<'g> {
    gaz: &'g Gazetteer,
    text: &'g str,
    reference: Option<NaiveDate>,
    dateline_place: Option<usize>,
    drafts: Vec<Draft>,
    last: Option<Last>,
    countries: BTreeSet<CountryCode>,
    places: Vec<usize>,
    orgs: Vec<usize>,
}

impl<'g> Assembler<'g> {
    pub(crate) fn new(
        gaz: &'g Gazetteer,
        text: &'g str,
        reference: Option<NaiveDate>,
        dateline_place: Option<usize>,
    ) -> Self {
        Self {
            gaz,
            text,
            reference,
            dateline_place,
            drafts: Vec::new(),
            last: None,
            countries: BTreeSet::new(),
            places: Vec::new(),
            orgs: Vec::new(),
        }
    }

    /// Adds the frames of one sentence.
    pub(crate) fn add(&mut self, ctx: &Context, facts: &SentenceFacts, frames: Vec<Frame>) {
        self.note_entities(facts.view);
        self.reschedule(facts);
        let mut last_actors = Vec::new();
        let mut last_date = None;
        for frame in frames {
            let actors: Vec<Actor> = frame.sides.iter().filter_map(|s| actor(s.what)).collect();
            let (date, date_end, modality, dated) = self.date_of(facts, &frame, &actors);
            let places = self.places_of(facts, &frame, &actors, date);
            let before = self.drafts.len();
            let base = self.base_draft(facts, &frame, modality, date, date_end, places);
            let confidence = confidence(&frame, dated != Dated::Explicit);
            for parts in dyads(ctx, facts.view, &frame, self.gaz, &base.places) {
                let places = places_for(ctx, &parts, &base.places);
                self.drafts.push(Draft {
                    parts,
                    places,
                    confidence,
                    dated,
                    ..base.clone()
                });
            }
            if self.drafts.len() > before {
                last_actors.extend(actors);
                last_date = last_date.or(Some((date, date_end)));
            }
        }
        if let Some((date, date_end)) = last_date {
            self.last = Some(Last {
                sentence: facts.sentence.index,
                date,
                date_end,
                actors: last_actors,
            });
        }
    }

    /// "The trip is set for April 6 to 8", "The minister leaves on April 7": a later sentence
    /// gives the day of a planned visit the article announced without one.
    fn reschedule(&mut self, facts: &SentenceFacts) {
        let view = facts.view;
        let word = |k: usize, words: &[&str]| view.toks.get(k).is_some_and(|t| words.contains(&t.lower()));
        let set_for = (0..view.toks.len()).any(|k| {
            word(k, &["trip", "visit", "tour", "journey"])
                && (k + 1..k + 5).any(|j| word(j, &["set", "scheduled", "planned", "due", "expected"]))
        });
        let leaves = (0..view.toks.len()).find(|&k| word(k, &["leaves", "leave", "departs", "depart"]));
        let Some(expr) = facts
            .dates
            .iter()
            .find(|d| set_for || leaves.is_some_and(|k| d.first > k && d.first <= k + 3))
        else {
            return;
        };
        let Some(date) = dates::resolve(expr.value, self.reference, true) else {
            return;
        };
        let who: Vec<Actor> = view.mentions.iter().filter_map(|m| actor(m.what)).collect();
        let draft = self.drafts.iter_mut().rev().take(LOOKBACK).find(|d| {
            d.kind == EventKind::Visit
                && d.modality == Modality::Planned
                && !matches!(d.date, Some(DatePoint::Day(_)))
                && (set_for
                    || d.parts
                        .iter()
                        .any(|(a, r, _)| *r == Role::Visitor && who.contains(a)))
        });
        if let Some(d) = draft {
            d.date = Some(date);
            d.dated = Dated::Explicit;
        }
    }

    fn note_entities(&mut self, view: &View) {
        for m in view.mentions {
            match m.what {
                What::Country(c) | What::Demonym(c) | What::Group { country: Some(c), .. } => {
                    self.countries.insert(c);
                }
                What::Place(p) if !self.places.contains(&p) => self.places.push(p),
                What::Org(o) if !self.orgs.contains(&o) => self.orgs.push(o),
                _ => {}
            }
        }
    }

    fn base_draft(
        &self,
        facts: &SentenceFacts,
        frame: &Frame,
        modality: Modality,
        date: Option<DatePoint>,
        date_end: Option<DatePoint>,
        places: Vec<usize>,
    ) -> Draft {
        let s = facts.sentence;
        let toks = facts.view.toks;
        let (ts, te) = (toks[frame.trigger.0].start, toks[frame.trigger.1 - 1].end);
        Draft {
            kind: frame.kind,
            modality,
            date,
            date_end,
            places,
            parts: Vec::new(),
            confidence: 0.0,
            evidence: Evidence {
                sentence: s.index,
                start: s.start,
                end: s.end,
                text: self.text[s.start..s.end].to_owned(),
            },
            trigger: Span {
                start: ts,
                end: te,
                text: self.text[ts..te].to_owned(),
            },
            dated: Dated::Unknown,
            venue: if frame.kind == EventKind::Visit {
                None
            } else {
                venue_country(facts.view, frame)
            },
        }
    }

    /// The event's date: an expression in its clause, else the attribution of a quote, else the
    /// date of the event the sentence continues, else (lead sentence) the story's day.
    fn date_of(
        &self,
        facts: &SentenceFacts,
        frame: &Frame,
        actors: &[Actor],
    ) -> (Option<DatePoint>, Option<DatePoint>, Modality, Dated) {
        let mut modality = frame.modality;
        let view = facts.view;
        let anchor = frame.trigger.0;
        // "since last November" starts a period; it does not date the event.
        let since = |d: &DateExpr| d.first > 0 && view.toks[d.first - 1].is("since");
        let in_clause = |d: &&DateExpr| {
            d.first >= frame.clause.0
                && d.last <= frame.clause.1
                && !view.in_relative_clause(d.first, anchor)
                && !since(d)
        };
        let distance = |d: &DateExpr| {
            if d.first >= anchor {
                d.first - anchor
            } else {
                anchor - d.last + 1
            }
        };
        let quoted = view.quoted.get(anchor).copied().unwrap_or(false);
        let expr = facts
            .dates
            .iter()
            .filter(in_clause)
            .min_by_key(|d| distance(d))
            .or_else(|| {
                let attribution = |d: &&DateExpr| !view.quoted.get(d.first).copied().unwrap_or(false);
                quoted
                    .then(|| facts.dates.iter().filter(attribution).min_by_key(|d| distance(d)))
                    .flatten()
            });
        let Some(expr) = expr else {
            return self.inherited_date(facts, frame, actors, modality);
        };
        let word = view.toks[anchor].lower();
        let progressive =
            word.ends_with("ing") && anchor > 0 && matches!(view.toks[anchor - 1].lower(), "is" | "are");
        let present = progressive || word.ends_with('s') && !word.ends_with("ss");
        let later_today = matches!(expr.value, Value::Later) && present;
        // News present tense with a day is a schedule: "when he pays a visit on Friday".
        let scheduled = present
            && !progressive
            && frame.kind == EventKind::Visit
            && matches!(expr.value, Value::Weekday(_, None) | Value::MonthDay(..));
        let later_today = later_today || scheduled;
        if modality == Modality::Asserted && (explicitly_future(expr.value) || later_today) {
            modality = Modality::Planned;
        }
        let future = !matches!(modality, Modality::Asserted | Modality::Denied);
        let date = dates::resolve(expr.value, self.reference, future);
        // Something that happened cannot be dated after the story ("signed … to return it in 1999").
        let after_story = |d: DatePoint| {
            self.reference
                .is_some_and(|r| d.first_day() > r + Duration::days(1))
        };
        if modality == Modality::Asserted && date.is_some_and(after_story) {
            return self.inherited_date(facts, frame, actors, modality);
        }
        (date, span_end(facts, frame, date), modality, Dated::Explicit)
    }

    fn inherited_date(
        &self,
        facts: &SentenceFacts,
        frame: &Frame,
        actors: &[Actor],
        modality: Modality,
    ) -> (Option<DatePoint>, Option<DatePoint>, Modality, Dated) {
        let idx = facts.sentence.index;
        if let Some(last) = &self.last {
            let near = last.sentence + 2 >= idx;
            let continues =
                frame.by_reference || last.sentence == idx || actors.iter().any(|a| last.actors.contains(a));
            if near && continues && last.date.is_some() && modality == Modality::Asserted {
                let end = if frame.kind == EventKind::Visit {
                    last.date_end
                } else {
                    None
                };
                return (last.date, end, modality, Dated::Inherited);
            }
        }
        if modality == Modality::Asserted {
            let date = self.reference.map(DatePoint::Day);
            return (date, span_end(facts, frame, date), modality, Dated::StoryDay);
        }
        (None, None, modality, Dated::Unknown)
    }

    /// Destinations and venues: "in Tehran" in the clause, the visit the actor is on, or the
    /// dateline city for the lead sentence's news.
    fn places_of(
        &self,
        facts: &SentenceFacts,
        frame: &Frame,
        actors: &[Actor],
        date: Option<DatePoint>,
    ) -> Vec<usize> {
        let mut places = frame.places.clone();
        if frame.kind == EventKind::Visit {
            let has_host = frame.sides.iter().any(|s| s.role == Role::Host);
            if frame.arrival && places.is_empty() && !has_host {
                places.extend(self.dateline_place);
            }
            return places;
        }
        let view = facts.view;
        let here = (frame.clause.0..frame.clause.1).any(|k| view.toks[k].is("here"));
        if here && frame.places.is_empty() {
            places.extend(self.dateline_place);
        }
        for m in view.mentions {
            let What::Place(p) = m.what else { continue };
            // "in Geneva", "at Camp David", or a city naming the event: "Shultz' Moscow talks".
            let modifier = m.last == frame.trigger.0;
            let venue = modifier
                || m.first > 0 && (view.toks[m.first - 1].is("in") || view.toks[m.first - 1].is("at"));
            if venue && m.first >= frame.clause.0 && m.last <= frame.clause.1 && !places.contains(&p) {
                places.push(p);
            }
        }
        if places.is_empty() {
            places.extend(self.visit_place(actors, date));
        }
        let today = date.is_some() && date == self.reference.map(DatePoint::Day);
        let venue = venue_country(view, frame).is_some();
        if places.is_empty() && !venue && (facts.lead || today) && frame.modality == Modality::Asserted {
            places.extend(self.dateline_place);
        }
        places
    }

    fn visit_place(&self, actors: &[Actor], date: Option<DatePoint>) -> Option<usize> {
        self.drafts.iter().rev().take(LOOKBACK).find_map(|d| {
            let visitor = d
                .parts
                .iter()
                .any(|(a, r, _)| *r == Role::Visitor && actors.contains(a));
            let same_time = match (d.date, date) {
                (Some(a), Some(b)) => {
                    let end = d.date_end.unwrap_or(a).last_day();
                    a.first_day() <= b.last_day() && b.first_day() <= end
                }
                _ => true,
            };
            (d.kind == EventKind::Visit && d.modality == Modality::Asserted && visitor && same_time)
                .then(|| d.places.first().copied())
                .flatten()
        })
    }

    /// Entities and events, with ids: ISO3 for countries, p1…, o1…, l1… for the rest.
    pub(crate) fn finish(mut self, ctx: &Context) -> (Vec<ExtractedEntity>, Vec<ExtractedEvent>) {
        self.adopt_later_dates(ctx);
        self.add_implied_visits(ctx);
        let output = crate::output::Output {
            gaz: self.gaz,
            ctx,
            countries: &self.countries,
            places: &self.places,
            orgs: &self.orgs,
        };
        let entities = output.entities();
        let events = self
            .drafts
            .iter()
            .map(|d| ExtractedEvent {
                kind: d.kind,
                modality: d.modality,
                date: d.date,
                date_end: d.date_end,
                places: match (d.places.is_empty(), d.venue) {
                    (true, Some(c)) => vec![PlaceRef {
                        name: self.gaz.country_name(c),
                        country: Some(c),
                    }],
                    _ => d.places.iter().map(|p| place_ref(ctx, *p)).collect(),
                },
                participants: d
                    .parts
                    .iter()
                    .map(|(a, role, span)| output.participant(*a, *role, *span, self.text))
                    .collect(),
                confidence: d.confidence,
                evidence: d.evidence.clone(),
                trigger: Some(d.trigger.clone()),
            })
            .collect();
        (entities, events)
    }

    /// A lead dated only by the story's day takes the explicit date of a later report of the
    /// same event ("have signed an agreement" … "the accord was signed here yesterday").
    fn adopt_later_dates(&mut self, ctx: &Context) {
        let countries = |d: &Draft| -> BTreeSet<CountryCode> {
            d.parts
                .iter()
                .filter_map(|(a, _, _)| country_of(ctx, *a, self.gaz))
                .collect()
        };
        let sets: Vec<BTreeSet<CountryCode>> = self.drafts.iter().map(countries).collect();
        // The first explicitly dated event of each kind, modality and set of countries.
        let mut first_dated: HashMap<(EventKind, Modality, &BTreeSet<CountryCode>), usize> = HashMap::new();
        for (i, d) in self.drafts.iter().enumerate() {
            if d.dated == Dated::Explicit && d.date.is_some() {
                first_dated.entry((d.kind, d.modality, &sets[i])).or_insert(i);
            }
        }
        let adopted: Vec<(usize, usize)> = (0..self.drafts.len())
            .filter(|&i| self.drafts[i].dated == Dated::StoryDay)
            .filter_map(|i| {
                let d = &self.drafts[i];
                first_dated.get(&(d.kind, d.modality, &sets[i])).map(|&j| (i, j))
            })
            .collect();
        for (i, j) in adopted {
            (self.drafts[i].date, self.drafts[i].date_end) = (self.drafts[j].date, self.drafts[j].date_end);
            self.drafts[i].dated = Dated::Inherited;
        }
    }

    /// A foreign official who meets, talks or signs in a country visited it (DESIGN: place →
    /// visit), unless the article already says so.
    fn add_implied_visits(&mut self, ctx: &Context) {
        // (visitor, host country) of every visit told, and of those added.
        let mut visits: HashSet<(Actor, CountryCode)> = HashSet::new();
        for v in self.drafts.iter().filter(|v| v.kind == EventKind::Visit) {
            for (x, r, _) in &v.parts {
                for (host, _, _) in &v.parts {
                    if let (Role::Visitor, Actor::Country(c)) = (r, host) {
                        visits.insert((*x, *c));
                    }
                }
            }
        }
        let mut implied = Vec::new();
        for d in &self.drafts {
            if !matches!(d.kind, EventKind::Meet | EventKind::Talks | EventKind::Agreement)
                || d.modality != Modality::Asserted
            {
                continue;
            }
            let host = match d.places.first() {
                Some(&place) => ctx.place_country(place),
                None => match d.venue {
                    Some(c) => c,
                    None => continue,
                },
            };
            for (a, _, span) in &d.parts {
                let Actor::Person(p) = a else { continue };
                let Some(home) = ctx.registry.people[*p].country else {
                    continue;
                };
                if home == host || !visits.insert((*a, host)) {
                    continue;
                }
                let parts = vec![
                    (*a, Role::Visitor, *span),
                    (Actor::Country(host), Role::Host, None),
                ];
                implied.push(Draft {
                    kind: EventKind::Visit,
                    parts,
                    places: d.places.first().copied().into_iter().collect(),
                    confidence: 0.6,
                    date_end: None,
                    ..d.clone()
                });
            }
        }
        self.drafts.extend(implied);
    }
}

fn actor(what: What) -> Option<Actor> {
    match what {
        What::Person(p) => Some(Actor::Person(p)),
        What::Country(c) | What::Group { country: Some(c), .. } => Some(Actor::Country(c)),
        What::Org(o) => Some(Actor::Org(o)),
        _ => None,
    }
}

fn explicitly_future(v: Value) -> bool {
    matches!(
        v,
        Value::Offset(1..) | Value::Weekday(_, Some(1)) | Value::MonthOffset(1..) | Value::YearOffset(1..)
    )
}

/// "a two-day visit" from 2020-07-21 ends 2020-07-22.
fn span_end(facts: &SentenceFacts, frame: &Frame, date: Option<DatePoint>) -> Option<DatePoint> {
    let Some(DatePoint::Day(start)) = date else {
        return None;
    };
    if frame.kind != EventKind::Visit {
        return None;
    }
    let days = dates::span_days(facts.view.span(frame.clause.0, frame.clause.1))?;
    (2..=60)
        .contains(&days)
        .then(|| DatePoint::Day(start + Duration::days(days - 1)))
}

fn confidence(frame: &Frame, inherited: bool) -> f32 {
    let mut c: f32 = match frame.kind {
        EventKind::IntentToCooperate | EventKind::Praise | EventKind::Threaten => 0.7,
        _ => 0.9,
    };
    if frame.by_reference {
        c -= 0.1;
    }
    if inherited {
        c -= 0.1;
    }
    c
}

fn country_of(ctx: &Context, a: Actor, gaz: &Gazetteer) -> Option<CountryCode> {
    match a {
        Actor::Person(p) => ctx.registry.people[p].country,
        Actor::Country(c) => Some(c),
        Actor::Org(o) => gaz.orgs[o].country,
    }
}

type Parts = Vec<(Actor, Role, Option<(usize, usize)>)>;

/// One participant list per dyad (DESIGN §2: a list of counterparts is separate encounters).
fn dyads(ctx: &Context, view: &View, frame: &Frame, gaz: &Gazetteer, places: &[usize]) -> Vec<Parts> {
    let span = |m: usize| {
        let mention = &view.mentions[m];
        (view.toks[mention.first].start, view.toks[mention.last - 1].end)
    };
    let sides: Vec<(Actor, Role, bool, (usize, usize))> = frame
        .sides
        .iter()
        .filter_map(|s| actor(s.what).map(|a| (a, s.role, s.subject, span(s.mention))))
        .collect();
    let mut out = Vec::new();
    let foreign = |a: Actor, b: Actor| {
        a != b
            && !matches!((a, b, country_of(ctx, a, gaz), country_of(ctx, b, gaz)),
            (Actor::Country(x), _, _, Some(y)) | (_, Actor::Country(x), Some(y), _) if x == y)
    };
    match frame.kind {
        EventKind::Visit => {
            let mut hosts: Vec<Actor> = sides.iter().filter(|s| s.1 == Role::Host).map(|s| s.0).collect();
            for p in places {
                let host = Actor::Country(ctx.place_country(*p));
                if !hosts.contains(&host) {
                    hosts.push(host);
                }
            }
            for v in sides.iter().filter(|s| s.1 == Role::Visitor) {
                for h in &hosts {
                    let home = country_of(ctx, v.0, gaz);
                    if foreign(v.0, *h) && home != country_of(ctx, *h, gaz) {
                        out.push(vec![(v.0, Role::Visitor, Some(v.3)), (*h, Role::Host, None)]);
                    }
                }
            }
        }
        // A mediated event is one encounter: the mediator and both sides.
        k if !k.is_directed() && sides.iter().any(|s| s.1 == Role::Mediator) => {
            let parties: Vec<_> = sides.iter().filter(|s| s.1 != Role::Mediator).collect();
            if parties.len() >= 2 && foreign(parties[0].0, parties[1].0) {
                out.push(sides.iter().map(|s| (s.0, s.1, Some(s.3))).collect());
            }
        }
        k if !k.is_directed() => {
            let subj: Vec<_> = sides.iter().filter(|s| s.2).collect();
            let obj: Vec<_> = sides.iter().filter(|s| !s.2).collect();
            if !subj.is_empty() && !obj.is_empty() {
                for s in &subj {
                    for o in obj.iter().filter(|o| foreign(s.0, o.0)) {
                        out.push(vec![(s.0, s.1, Some(s.3)), (o.0, o.1, Some(o.3))]);
                    }
                }
            } else {
                let all = if subj.len() >= 2 {
                    subj
                } else if k == EventKind::Agreement {
                    obj
                } else {
                    Vec::new()
                };
                let mut uniq: Vec<_> = all.into_iter().map(|s| (s.0, s.1, Some(s.3))).collect();
                uniq.dedup_by_key(|p| p.0);
                if uniq.len() >= 2
                    && uniq
                        .iter()
                        .all(|a| uniq.iter().all(|b| a.0 == b.0 || foreign(a.0, b.0)))
                {
                    out.push(uniq);
                }
            }
        }
        _ => {
            // "The parties agreed to continue cooperation": a joint subject states it together.
            let sources: Vec<_> = sides.iter().filter(|s| s.1 == Role::Source).collect();
            let targets: Vec<_> = sides.iter().filter(|s| s.1 == Role::Target).collect();
            // "talks on improving relations between the two countries": the pair itself.
            let unknown_source = sources.iter().all(|s| country_of(ctx, s.0, gaz).is_none());
            if frame.kind == EventKind::IntentToCooperate && targets.len() == 2 && unknown_source {
                let (a, b) = (targets[0], targets[1]);
                if foreign(a.0, b.0) {
                    out.push(vec![
                        (a.0, Role::Source, Some(a.3)),
                        (b.0, Role::Target, Some(b.3)),
                    ]);
                }
                return out;
            }
            let joint =
                frame.kind == EventKind::IntentToCooperate && sources.len() >= 2 && targets.is_empty();
            if joint {
                let first = sources[0];
                for t in sources.iter().skip(1).filter(|t| foreign(first.0, t.0)) {
                    out.push(vec![
                        (first.0, Role::Source, Some(first.3)),
                        (t.0, Role::Target, Some(t.3)),
                    ]);
                }
            }
            for s in sides.iter().filter(|s| s.1 == Role::Source) {
                for t in sides.iter().filter(|t| t.1 == Role::Target && foreign(s.0, t.0)) {
                    out.push(vec![(s.0, s.1, Some(s.3)), (t.0, t.1, Some(t.3))]);
                }
            }
        }
    }
    out
}

/// A visit's places are those in the host country; other events keep theirs.
fn places_for(ctx: &Context, parts: &Parts, places: &[usize]) -> Vec<usize> {
    let host = parts.iter().find_map(|(a, r, _)| match (a, r) {
        (Actor::Country(c), Role::Host) => Some(*c),
        _ => None,
    });
    match host {
        Some(h) => places
            .iter()
            .copied()
            .filter(|p| ctx.place_country(*p) == h)
            .collect(),
        None => places.to_vec(),
    }
}

/// "in West Germany" after the trigger, inside its clause.
fn venue_country(view: &View, frame: &Frame) -> Option<CountryCode> {
    view.mentions.iter().find_map(|m| {
        let inside = m.first >= frame.trigger.1 && m.last <= frame.clause.1;
        let after_in = m.first > 0 && view.toks[m.first - 1].is("in");
        match m.what {
            What::Country(c) if inside && after_in => Some(c),
            _ => None,
        }
    })
}

fn place_ref(ctx: &Context, p: usize) -> PlaceRef {
    PlaceRef {
        name: ctx.gaz.places[p].name.clone(),
        country: Some(ctx.place_country(p)),
    }
}
