//! Stage 6b — frames: who did what to whom around each trigger. Subjects come from the
//! trigger's clause, objects from the list after it ("met with A, B and other officials" → A,
//! B), roles from the kind (DESIGN §2), modality from the words around the trigger.

use diplograph_core::{EventKind, Modality, Role};

use crate::mentions::{Mention, What};
use crate::segment::Token;
use crate::triggers::{Form, TriggerHit, lexicon};

/// One side of an event, before entity ids are assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Side {
    pub(crate) what: What,
    pub(crate) role: Role,
    /// The mention it comes from (index into the sentence's mentions).
    pub(crate) mention: usize,
    /// Named before the trigger (the clause's subject) rather than after it.
    pub(crate) subject: bool,
}

/// An event read from one trigger, before dates and places are settled.
#[derive(Clone, Debug)]
pub(crate) struct Frame {
    pub(crate) kind: EventKind,
    pub(crate) modality: Modality,
    pub(crate) trigger: (usize, usize),
    pub(crate) sides: Vec<Side>,
    /// Places named as destinations or venues (gazetteer indices).
    pub(crate) places: Vec<usize>,
    /// Where the clause of the trigger starts and ends (tokens), for date attachment.
    pub(crate) clause: (usize, usize),
    /// A participant came from a pronoun or title-only reference.
    pub(crate) by_reference: bool,
    /// An arrival with no destination named ("X arrived last night").
    pub(crate) arrival: bool,
}

/// The sentence as the frame reader sees it.
pub(crate) struct View<'a> {
    pub(crate) toks: &'a [Token],
    pub(crate) mentions: &'a [Mention],
    pub(crate) quoted: &'a [bool],
    /// The speaker of the sentence's quote, when known.
    pub(crate) speaker: Option<What>,
}

const SAY: &[&str] = &[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "stated",
    "states",
    "announced",
    "announces",
    "noted",
    "notes",
    "remarked",
    "remarks",
    "stressed",
    "stresses",
    "reported",
    "reports",
    "declared",
    "explained",
    "insisted",
    "confirmed",
    "confirms",
    "acknowledged",
    "quoted",
    "according",
    "underlined",
    "emphasized",
    "emphasised",
    "asserted",
    "urged",
    "hoped",
];
const SEPARATORS: &[&str] = &["and", "or", ",", "plus", "including", "like", "with"];
const DESTINATION_NOUNS: &[&str] = &[
    "members",
    "member",
    "countries",
    "states",
    "nations",
    "neighbours",
    "neighbors",
    "allies",
    "partners",
    "city",
    "cities",
    "capital",
    "capitals",
    "town",
    "towns",
    "province",
    "provinces",
    "region",
    "port",
    "ports",
    "state",
    "republic",
    "resort",
    "holy",
];
const NEGATION: &[&str] = &[
    "not", "n't", "never", "no", "without", "refused", "declined", "denied", "deny", "denies", "nor",
];
const HYPOTHETICAL: &[&str] = &[
    "if",
    "could",
    "might",
    "may",
    "possible",
    "possibly",
    "unclear",
    "whether",
    "unless",
    "should",
    "perhaps",
    "maybe",
    "consider",
    "considering",
    "considered",
];
const FUTURE: &[&str] = &[
    "will",
    "'ll",
    "shall",
    "would",
    "expected",
    "scheduled",
    "plans",
    "planned",
    "planning",
    "plan",
    "intends",
    "intended",
    "due",
    "going",
    "set",
    "hopes",
    "hoped",
    "wants",
    "wanted",
    "prepared",
    "preparing",
    "tomorrow",
    "soon",
    "later",
    "next",
    "upcoming",
    "invited",
    "agreed",
    "decided",
    "offered",
    "proposed",
    "aims",
    "seeks",
    "sought",
    "trying",
    "tries",
    "try",
    "ready",
    "willing",
    "eager",
    "keen",
    "arrange",
    "arranged",
];
const POSTPONED: &[&str] = &[
    "postponed",
    "postpones",
    "postpone",
    "delayed",
    "deferred",
    "shelved",
    "rescheduled",
];
const CANCELLED: &[&str] = &[
    "cancelled",
    "canceled",
    "cancels",
    "cancel",
    "scrapped",
    "aborted",
    "abandoned",
];
const SPECULATIVE: &[&str] = &[
    "if",
    "unless",
    "unlikely",
    "likely",
    "whether",
    "possibility",
    "speculation",
];
/// Words opening a temporal clause, whose event the main clause presupposes.
const TEMPORAL_SUBORDINATORS: &[&str] = &["when", "once", "while", "during"];
const HABITUAL: &[&str] = &[
    "regularly",
    "often",
    "frequently",
    "usually",
    "routinely",
    "sometimes",
    "occasionally",
];
const REL_PRONOUNS: &[&str] = &["who", "which", "whose", "whom", "where"];

impl View<'_> {
    /// Tokens `from..to`, empty when the range is empty or out of bounds (mentions may overlap).
    pub(crate) fn span(&self, from: usize, to: usize) -> &[Token] {
        self.toks.get(from..to).unwrap_or(&[])
    }

    fn is(&self, i: usize, w: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is(w))
    }

    /// The first token of the clause holding token `i`.
    pub(crate) fn clause_start(&self, i: usize) -> usize {
        let in_quote = self.quoted.get(i).copied().unwrap_or(false);
        (0..i)
            .rev()
            .find(|&k| {
                let t = &self.toks[k];
                t.is(";")
                    || t.is(":")
                    || t.is("but")
                    || !t.cap && SAY.contains(&t.lower()) && !in_quote
                    || t.is("that") && !t.cap
                    || self.quoted.get(k).copied().unwrap_or(false) != in_quote
            })
            .map(|k| k + 1)
            .unwrap_or(0)
    }

    /// The token after the last of the clause holding token `i`.
    pub(crate) fn clause_end(&self, i: usize) -> usize {
        let in_quote = self.quoted.get(i).copied().unwrap_or(false);
        (i..self.toks.len())
            .find(|&k| {
                let t = &self.toks[k];
                t.is(";") || t.is("but") || self.quoted.get(k).copied().unwrap_or(false) != in_quote
            })
            .unwrap_or(self.toks.len())
    }

    /// Whether token `i` sits in a relative clause (", who … ,") that `anchor` is not in.
    pub(crate) fn in_relative_clause(&self, i: usize, anchor: usize) -> bool {
        let range = |k: usize| {
            let start = (0..=k).rev().find(|&j| {
                self.is(j, ",")
                    && self
                        .toks
                        .get(j + 1)
                        .is_some_and(|t| REL_PRONOUNS.contains(&t.lower()))
            })?;
            if (start..k).any(|j| self.is(j, ",") && j > start) {
                return None;
            }
            let end = (k..self.toks.len())
                .find(|&j| self.is(j, ","))
                .unwrap_or(self.toks.len());
            Some((start, end))
        };
        match range(i) {
            Some((s, e)) => !(s <= anchor && anchor < e),
            None => false,
        }
    }

    /// The end of a sentence-initial prepositional phrase ("At a press conference with X, …").
    fn intro_end(&self) -> usize {
        const PREPS: &[&str] = &[
            "at",
            "in",
            "during",
            "after",
            "before",
            "following",
            "with",
            "amid",
            "despite",
            "speaking",
        ];
        if !self.toks.first().is_some_and(|t| PREPS.contains(&t.lower())) {
            return 0;
        }
        (0..self.toks.len())
            .find(|&k| self.is(k, ","))
            .map(|k| k + 1)
            .unwrap_or(0)
    }

    fn actor(&self, m: &Mention) -> Option<What> {
        match m.what {
            What::Person(_) | What::Country(_) | What::Org(_) => Some(m.what),
            What::Group { country: Some(_), .. } => Some(m.what),
            What::Speaker => self.speaker,
            _ => None,
        }
    }
}

/// Reads the frames of one sentence.
pub(crate) fn read(view: &View, triggers: &[TriggerHit]) -> Vec<Frame> {
    triggers.iter().filter_map(|t| frame(view, t)).collect()
}

fn frame(view: &View, trig: &TriggerHit) -> Option<Frame> {
    let def = &lexicon()[trig.def];
    let clause = (view.clause_start(trig.first), view.clause_end(trig.last));
    let (objects, _) = match def.form {
        Form::Inside => (mentions_within(view, trig.first, trig.last), trig.last),
        // "extradited a suspect to Britain": the other side follows "to" in the clause.
        Form::ToTarget => {
            let to = (trig.last..clause.1)
                .find(|&k| view.is(k, "to"))
                .unwrap_or(clause.1);
            objects(view, to + 1, def.kind)
        }
        // "arrived from Helsinki": the origin is not the destination.
        Form::Arrival if view.is(trig.last, "from") => (Vec::new(), trig.last),
        _ => objects(view, trig.last, def.kind),
    };
    let intro = def.form == Form::Intro && !actor_before(view, clause.0, trig.first);
    let (objects, intro_subjects) = if intro {
        split_intro(view, objects)
    } else {
        (objects, Vec::new())
    };
    let mut subjects = match def.form {
        Form::Intro if intro && !intro_subjects.is_empty() => intro_subjects,
        Form::Intro if intro => intro_subject(view, trig.last, &objects),
        Form::Passive => objects.clone(),
        _ => subjects(view, trig.first, clause.0),
    };
    let objects = if def.form == Form::Passive {
        Vec::new()
    } else {
        objects
    };
    if def.form == Form::Presence {
        subjects.retain(|&m| matches!(view.mentions[m].what, What::Person(_)));
    }
    let mut modality = modality(view, trig, clause.0, def.modality, def.kind);
    let clause_words: Vec<&str> = view.span(clause.0, clause.1).iter().map(|t| t.lower()).collect();
    let habitual = clause_words.iter().any(|w| HABITUAL.contains(w))
        || clause_words.windows(3).any(|w| w == ["from", "time", "to"]);
    if habitual && modality == Modality::Asserted {
        modality = Modality::Hypothetical;
    }
    // "talked with X over the telephone" is a phone call.
    let phone_end = (trig.last..clause.1)
        .find(|&k| {
            view.is(k, ",")
                || view
                    .toks
                    .get(k)
                    .is_some_and(|t| REL_PRONOUNS.contains(&t.lower()))
        })
        .unwrap_or(clause.1);
    let by_phone = view
        .span(trig.last.min(phone_end), phone_end)
        .windows(3)
        .any(|w| {
            ["by", "over", "on", "via"].contains(&w[0].lower())
                && (w[1].is("telephone") || w[1].is("phone") || w[2].is("telephone") || w[2].is("phone"))
        });
    let kind = if by_phone && matches!(def.kind, EventKind::Talks | EventKind::Meet) {
        EventKind::PhoneCall
    } else {
        def.kind
    };
    // "will support X" promises support; "welcomed X's statement" praises X, receives nobody.
    let (kind, modality) = match kind {
        EventKind::Praise if modality == Modality::Planned => {
            (EventKind::IntentToCooperate, Modality::Asserted)
        }
        EventKind::Meet if welcomes_a_statement(view, trig) => (EventKind::Praise, modality),
        _ => (kind, modality),
    };
    let mut frame = Frame {
        kind,
        modality,
        trigger: (trig.first, trig.last),
        sides: Vec::new(),
        places: Vec::new(),
        clause,
        by_reference: false,
        arrival: def.form == Form::Arrival || def.form == Form::Passive && def.kind == EventKind::Visit,
    };
    // A joint form with a joint subject ("X and Y agreed to …") is one statement by both; with a
    // single subject it reads like a verb with objects ("Barak agreed to US mediation").
    let joint = def.form == Form::Joint && subjects.len() >= 2;
    let objects = if joint { Vec::new() } else { objects };
    if def.kind == EventKind::IntentToCooperate && hostile_before_object(view, trig.last, &objects) {
        return None;
    }
    if def.form == Form::Joint && !joint && objects.is_empty() {
        return None;
    }
    assign_roles(view, &mut frame, &subjects, &objects, def.form == Form::Mediated);
    if frame.sides.is_empty() {
        return None;
    }
    frame.by_reference = frame.sides.iter().any(|s| view.mentions[s.mention].reference);
    Some(frame)
}

fn mentions_within(view: &View, first: usize, last: usize) -> Vec<usize> {
    (0..view.mentions.len())
        .filter(|&m| view.mentions[m].first >= first && view.mentions[m].last <= last)
        .collect()
}

/// The first actor of the clause, plus actors coordinated with it ("A and B met").
fn subjects(view: &View, trig_first: usize, clause_start: usize) -> Vec<usize> {
    if let Some(antecedent) = antecedent(view, trig_first) {
        return vec![antecedent];
    }
    if let Some(owner) = possessor(view, trig_first) {
        return vec![owner];
    }
    let intro = if clause_start == 0 { view.intro_end() } else { 0 };
    let start = clause_start.max(if intro < trig_first { intro } else { 0 });
    let eligible = |m: &Mention| {
        m.first >= start
            && m.last <= trig_first
            && !m.possessive
            && view.actor(m).is_some()
            && !view.in_relative_clause(m.first, trig_first)
    };
    let Some(first) = view.mentions.iter().position(eligible) else {
        return Vec::new();
    };
    let mut out = vec![first];
    let mut cur = first;
    while let Some(next) = view
        .mentions
        .iter()
        .position(|m| m.first > view.mentions[cur].first && eligible(m))
    {
        let gap = view.span(view.mentions[cur].last, view.mentions[next].first);
        let plain = gap
            .iter()
            .all(|t| t.is("and") || t.is(",") || t.is("as") || t.is("well") || t.is("the"))
            && gap.iter().any(|t| t.is("and") || t.is(","));
        // "X and the head of Bank of Mexico, Y, met": a description before an appositive name.
        let described = gap.len() <= 8
            && gap.first().is_some_and(|t| t.is("and"))
            && gap.last().is_some_and(|t| t.is(","))
            && gap.iter().any(|t| t.is("of"));
        // "the two countries" is two adjacent references that together are the subject.
        let pair = gap.is_empty() && view.mentions[cur].reference && view.mentions[next].reference;
        let joined = pair || !gap.is_empty() && (plain || described);
        if !joined {
            break;
        }
        out.push(next);
        cur = next;
    }
    out
}

/// "Shultz' Moscow talks with …", "Reagan's invitation to …": the owner of a noun trigger.
fn possessor(view: &View, trig_first: usize) -> Option<usize> {
    const NOUNS: &[&str] = &[
        "talks",
        "meeting",
        "meetings",
        "visit",
        "trip",
        "invitation",
        "call",
        "negotiations",
    ];
    if !view
        .toks
        .get(trig_first)
        .is_some_and(|t| NOUNS.contains(&t.lower()))
    {
        return None;
    }
    view.mentions.iter().rposition(|m| {
        let between = &view
            .mentions
            .iter()
            .filter(|x| x.first >= m.last && x.last <= trig_first)
            .count();
        m.possessive
            && m.last + 1 >= trig_first.saturating_sub(2)
            && m.last < trig_first
            && *between <= 1
            && view.actor(m).is_some()
    })
}

/// "X, who began a visit …": inside a relative clause the subject is the actor before ", who".
fn antecedent(view: &View, trig_first: usize) -> Option<usize> {
    let comma = (0..trig_first).rev().find(|&k| view.is(k, ","))?;
    let who = view
        .toks
        .get(comma + 1)
        .is_some_and(|t| t.is("who") || t.is("whose") || t.is("whom"));
    if !who {
        return None;
    }
    view.mentions
        .iter()
        .rposition(|m| m.last == comma && view.actor(m).is_some())
}

/// "welcomed President Reagan's latest statement": the object is something someone said or did.
fn welcomes_a_statement(view: &View, trig: &TriggerHit) -> bool {
    let word = view.toks[trig.first].lower();
    word.starts_with("welcom")
        && view
            .mentions
            .iter()
            .find(|m| m.first >= trig.last)
            .is_some_and(|m| m.possessive && m.first <= trig.last + 2)
}

/// "ready to attack X" is no offer of cooperation.
fn hostile_before_object(view: &View, from: usize, objects: &[usize]) -> bool {
    const HOSTILE: &[&str] = &[
        "attack",
        "fight",
        "strike",
        "retaliate",
        "punish",
        "sanction",
        "invade",
        "bomb",
        "confront",
        "expel",
        "destroy",
        "crush",
        "isolate",
        "boycott",
        "oppose",
        "resist",
        "hit",
        "war",
    ];
    let Some(first) = objects.first() else {
        return false;
    };
    let to = view.mentions[*first].first;
    view.span(from.min(to), to)
        .iter()
        .any(|t| HOSTILE.contains(&t.lower()))
}

/// Whether an actor is named between the clause start and the trigger.
fn actor_before(view: &View, from: usize, to: usize) -> bool {
    view.mentions
        .iter()
        .any(|m| m.first >= from && m.last <= to && view.actor(m).is_some())
}

/// "After talks with A, B and C, D and E signed …": the intro's list ends at the comma after which
/// actors joined only by "and" are followed by a verb; those actors are the main clause's subject.
fn split_intro(view: &View, objects: Vec<usize>) -> (Vec<usize>, Vec<usize>) {
    let verb_after = |m: usize| {
        view.toks.get(view.mentions[m].last).is_some_and(|t| {
            !t.cap && t.kind == crate::segment::TokKind::Word && !SEPARATORS.contains(&t.lower())
        })
    };
    let Some(&last) = objects.last() else {
        return (objects, Vec::new());
    };
    if !verb_after(last) {
        return (objects, Vec::new());
    }
    for k in 1..objects.len() {
        let comma_before = view
            .span(
                view.mentions[objects[k - 1]].last,
                view.mentions[objects[k]].first,
            )
            .iter()
            .all(|t| t.is(","));
        let and_joined = objects[k..].windows(2).all(|w| {
            let gap = view.span(view.mentions[w[0]].last, view.mentions[w[1]].first);
            !gap.is_empty() && gap.iter().all(|t| t.is("and") || t.is("the"))
        });
        if comma_before && and_joined {
            return (objects[..k].to_vec(), objects[k..].to_vec());
        }
    }
    (objects, Vec::new())
}

/// For "At a press conference with X, Y said": Y is the first actor after the comma.
fn intro_subject(view: &View, from: usize, objects: &[usize]) -> Vec<usize> {
    let after = objects.last().map(|m| view.mentions[*m].last).unwrap_or(from);
    let Some(comma) = (after..view.toks.len()).find(|&k| view.is(k, ",")) else {
        return Vec::new();
    };
    view.mentions
        .iter()
        .position(|m| m.first > comma && view.actor(m).is_some() && !m.possessive)
        .into_iter()
        .collect()
}

/// The list of mentions right after the trigger: "A, B and C", "the Iraqi cities of X and Y".
fn objects(view: &View, from: usize, kind: EventKind) -> (Vec<usize>, usize) {
    let reach = match kind {
        EventKind::IntentToCooperate => 12,
        EventKind::Praise => 6,
        _ => 4,
    };
    let Some(mut cur) = view.mentions.iter().position(|m| {
        // Only a visit's destination may be a place or an adjective ("the Iraqi cities of …").
        (kind == EventKind::Visit || view.actor(m).is_some())
            && (m.first <= from + 4 || !m.reference)
            && m.first >= from
            && m.first <= from + reach
            && view
                .span(from, m.first)
                .iter()
                .all(|t| t.kind != crate::segment::TokKind::Punct && !t.is("and") && !t.is("but"))
    }) else {
        return (Vec::new(), from);
    };
    let mut out = vec![cur];
    let mut closed = false;
    loop {
        let end = view.mentions[cur].last;
        let Some(next) = view
            .mentions
            .iter()
            .position(|m| m.first >= end && m.first <= end + 10)
        else {
            break;
        };
        let gap = view.span(end, view.mentions[next].first);
        // "A, B and C, D said": after "and C" the list is closed; a bare comma ends it.
        if closed && !gap.is_empty() && gap.iter().all(|t| t.is(",")) {
            break;
        }
        if !list_gap(view, end, view.mentions[next].first, kind) {
            break;
        }
        closed |= gap.iter().any(|t| t.is("and") || t.is("or"));
        out.push(next);
        cur = next;
    }
    let end = view.mentions[cur].last;
    (out, end)
}

/// Whether the words between two mentions continue a list.
fn list_gap(view: &View, from: usize, to: usize, kind: EventKind) -> bool {
    let gap = view.span(from, to);
    if gap.is_empty() {
        return true;
    }
    let destination = kind == EventKind::Visit
        && gap
            .iter()
            .all(|t| DESTINATION_NOUNS.contains(&t.lower()) || t.is("of") || t.is("the"));
    if destination {
        return true;
    }
    const FILLER: &[&str] = &[
        "as",
        "well",
        "the",
        "along",
        "senior",
        "top",
        "high-ranking",
        "several",
        "visiting",
        "fellow",
        "leading",
        "both",
        "his",
        "her",
        "their",
    ];
    if gap
        .iter()
        .all(|t| SEPARATORS.contains(&t.lower()) || FILLER.contains(&t.lower()))
    {
        return gap.iter().any(|t| SEPARATORS.contains(&t.lower()));
    }
    // "… as well as all other friendly states such as China": filler before "such as"/"including".
    let lowered = gap
        .iter()
        .all(|t| !t.cap && t.kind != crate::segment::TokKind::Punct || t.is(","));
    let ends_with_cue = gap.last().is_some_and(|t| t.is("including") || t.is("like"))
        || (gap.len() >= 2 && gap[gap.len() - 2].is("such") && gap[gap.len() - 1].is("as"));
    lowered && ends_with_cue && gap.len() <= 10
}

/// Whether the trigger is an event noun whose clause's verb, after it, is in the future.
fn nominal_with_future_verb(view: &View, trig: &TriggerHit) -> bool {
    // Event nouns can be the subject of their own clause: "Shultz's talks with X will focus on …"
    // announces the talks; "… talks with X ended on Tuesday" reports them.
    if !crate::triggers::EVENT_NOUNS.contains(&view.toks[trig.first].lower()) {
        return false;
    }
    let mut k = trig.last;
    while k < view.toks.len() && k < trig.last + 12 {
        let t = &view.toks[k];
        let word = t.lower();
        if t.kind == crate::segment::TokKind::Punct && !view.is(k, "'s") {
            return false;
        }
        if matches!(word, "will" | "shall" | "'ll") {
            return true;
        }
        if matches!(word, "is" | "are") {
            let next = view.toks.get(k + 1).map(|t| t.lower());
            return matches!(next, Some("expected" | "scheduled" | "due" | "set" | "to"));
        }
        if !t.cap
            && (word.ends_with("ed") || matches!(word, "was" | "were" | "had" | "has" | "have" | "would"))
        {
            return false;
        }
        k += 1;
    }
    false
}

fn modality(
    view: &View,
    trig: &TriggerHit,
    clause_start: usize,
    fixed: Option<Modality>,
    kind: EventKind,
) -> Modality {
    if let Some(m @ (Modality::Cancelled | Modality::Postponed)) = fixed {
        return m;
    }
    let lo = clause_start.max(trig.first.saturating_sub(6));
    let window: Vec<&str> = (lo..trig.first)
        .filter(|&k| !view.toks[k].cap && !view.in_relative_clause(k, trig.first))
        .map(|k| view.toks[k].lower())
        .collect();
    let has = |words: &[&str]| window.iter().any(|w| words.contains(w));
    if has(NEGATION) {
        return Modality::Denied;
    }
    // Conditionals scope over their whole clause: "it is thought unlikely that X and Y will …";
    // but not into a temporal clause, whose event is presupposed: "if the talks go well, he is
    // likely to meet Moi when he pays a visit to Nairobi" announces the visit.
    let presupposed_from = (0..trig.first)
        .rev()
        .take_while(|&k| !view.is(k, ";"))
        .find(|&k| TEMPORAL_SUBORDINATORS.contains(&view.toks[k].lower()) && !view.toks[k].cap)
        .map_or(0, |k| k + 1);
    let clause_words = (clause_start.max(presupposed_from)..trig.first)
        .filter(|&k| !view.toks[k].cap && !view.in_relative_clause(k, trig.first))
        .map(|k| view.toks[k].lower());
    let sentence_before = view
        .span(presupposed_from, trig.first)
        .iter()
        .filter(|t| !t.cap)
        .map(|t| t.lower());
    if has(HYPOTHETICAL)
        || clause_words
            .clone()
            .chain(sentence_before)
            .any(|w| SPECULATIVE.contains(&w))
    {
        return Modality::Hypothetical;
    }
    // "the first senior official to visit Yugoslavia" reports a visit that happened.
    let before: Vec<&str> = view
        .span(clause_start, trig.first)
        .iter()
        .map(|t| t.lower())
        .collect();
    let first_to = before.iter().any(|w| matches!(*w, "first" | "only" | "last"))
        && before
            .iter()
            .any(|w| matches!(*w, "was" | "were" | "became" | "had"));
    let infinitive =
        trig.first > 0 && view.is(trig.first - 1, "to") && kind != EventKind::IntentToCooperate && !first_to;
    let planned = fixed == Some(Modality::Planned)
        || has(FUTURE) && kind != EventKind::IntentToCooperate
        || infinitive
        || nominal_with_future_verb(view, trig);
    if !planned {
        return Modality::Asserted;
    }
    let rest: Vec<&str> = view
        .span(trig.first, view.toks.len())
        .iter()
        .map(|t| t.lower())
        .collect();
    let sentence_has = |words: &[&str]| rest.iter().chain(window.iter()).any(|w| words.contains(w));
    let put_off = rest
        .windows(2)
        .any(|w| (w[0] == "put" || w[0] == "puts") && w[1] == "off");
    let called_off = rest
        .windows(2)
        .any(|w| (w[0] == "called" || w[0] == "calls") && w[1] == "off");
    if sentence_has(POSTPONED) || put_off {
        Modality::Postponed
    } else if sentence_has(CANCELLED) || called_off {
        Modality::Cancelled
    } else {
        Modality::Planned
    }
}

fn assign_roles(view: &View, frame: &mut Frame, subjects: &[usize], objects: &[usize], mediated: bool) {
    if mediated {
        let role = if frame.kind == EventKind::Agreement {
            Role::Signatory
        } else {
            Role::Participant
        };
        let side = |m: usize, role: Role| {
            view.actor(&view.mentions[m]).map(|what| Side {
                what,
                role,
                mention: m,
                subject: false,
            })
        };
        if objects.len() >= 2 {
            frame
                .sides
                .extend(subjects.iter().filter_map(|&m| side(m, Role::Mediator)));
            frame.sides.extend(objects.iter().filter_map(|&m| side(m, role)));
        }
        return;
    }
    let side = |m: usize, role: Role| {
        let subject = subjects.contains(&m);
        view.actor(&view.mentions[m]).map(|what| Side {
            what,
            role,
            mention: m,
            subject,
        })
    };
    let named = objects.iter().any(|&m| {
        matches!(
            view.mentions[m].what,
            What::Person(_) | What::Country(_) | What::Org(_)
        )
    });
    let objects: Vec<usize> = objects
        .iter()
        .copied()
        .filter(|&m| match view.mentions[m].what {
            What::Group { vague, .. } => !vague && !named,
            _ => true,
        })
        .collect();
    match frame.kind {
        EventKind::Visit => {
            frame
                .sides
                .extend(subjects.iter().filter_map(|&m| side(m, Role::Visitor)));
            for &m in &objects {
                match view.mentions[m].what {
                    What::Place(p) => frame.places.push(p),
                    What::Country(c) | What::Demonym(c) => frame.sides.push(Side {
                        what: What::Country(c),
                        role: Role::Host,
                        mention: m,
                        subject: false,
                    }),
                    _ => {}
                }
            }
        }
        EventKind::Meet | EventKind::Talks | EventKind::PhoneCall | EventKind::Agreement => {
            let role = if frame.kind == EventKind::Agreement {
                Role::Signatory
            } else {
                Role::Participant
            };
            frame
                .sides
                .extend(subjects.iter().chain(&objects).filter_map(|&m| side(m, role)));
        }
        _ => {
            frame
                .sides
                .extend(subjects.iter().filter_map(|&m| side(m, Role::Source)));
            frame
                .sides
                .extend(objects.iter().filter_map(|&m| side(m, Role::Target)));
        }
    }
}
