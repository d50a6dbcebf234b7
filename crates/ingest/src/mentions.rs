//! Stages 4–5 — mentions: the actors, places and groups a sentence names, with people built from
//! title + name runs and references ("he", "the president", "Rouhani", "the country") resolved
//! against what the article said before.

use chrono::NaiveDate;
use diplograph_core::CountryCode;

use crate::gazetteer::{Entry, Gazetteer, Hit};
use crate::people::{self, Registry};
use crate::segment::{TokKind, Token};

/// What a mention refers to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum What {
    /// An article person (index into the registry).
    Person(usize),
    Country(CountryCode),
    /// A gazetteer organization.
    Org(usize),
    /// A gazetteer place.
    Place(usize),
    /// A bare adjective ("Iraqi").
    Demonym(CountryCode),
    /// Unnamed officials; `vague` when "other …" (adds nobody beside named people).
    Group {
        country: Option<CountryCode>,
        vague: bool,
    },
    Region,
    /// "we", "our", "us" inside a quote: the speaker's side.
    Speaker,
}

/// A mention: token range in the sentence and what it refers to.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct Mention {
    pub(crate) first: usize,
    pub(crate) last: usize,
    pub(crate) what: What,
    /// Followed by "'s".
    pub(crate) possessive: bool,
    /// A pronoun or a title-only reference, resolved from context.
    pub(crate) reference: bool,
}

/// Article-level context the mentions of a sentence are resolved against.
pub(crate) struct Context<'g> {
    pub(crate) gaz: &'g Gazetteer,
    pub(crate) registry: Registry,
    /// The subject of the latest sentence that had a person in it.
    pub(crate) salient: Option<usize>,
    /// Countries in the order the article last named them (latest last).
    pub(crate) recent_countries: Vec<CountryCode>,
    pub(crate) home_country: Option<CountryCode>,
    pub(crate) reference_date: Option<NaiveDate>,
    /// The latest quote's speaker.
    pub(crate) speaker: Option<What>,
    /// The text writes names in lower case: accept lower-case names after titles.
    pub(crate) relaxed: bool,
}

/// Words that qualify a title ("deputy energy and mines minister").
const TITLE_MODIFIERS: &[&str] = &[
    "deputy",
    "vice",
    "first",
    "acting",
    "energy",
    "mines",
    "oil",
    "finance",
    "economy",
    "economics",
    "economic",
    "trade",
    "foreign",
    "defense",
    "defence",
    "interior",
    "commerce",
    "agriculture",
    "industry",
    "petroleum",
    "justice",
    "health",
    "education",
    "transport",
    "information",
    "culture",
    "labour",
    "labor",
    "planning",
    "development",
    "state",
    "chief",
    "senior",
    "and",
    "external",
    "treasury",
    "communications",
    "housing",
    "water",
    "power",
    "tourism",
    "investment",
];

/// Words between a demonym and a group noun: "Israeli intelligence officials".
const GROUP_MODIFIERS: &[&str] = &[
    "intelligence",
    "military",
    "security",
    "army",
    "government",
    "naval",
    "business",
    "peace",
];

/// A token range `first..last`.
type TokRange = (usize, usize);

/// Words for unnamed groups of officials.
const GROUP_NOUNS: &[&str] = &[
    "officials",
    "warships",
    "troops",
    "forces",
    "vessels",
    "soldiers",
    "navies",
    "negotiator",
    "leaders",
    "leadership",
    "delegation",
    "delegations",
    "side",
    "sides",
    "authorities",
    "government",
    "governments",
    "negotiators",
    "diplomats",
    "ministers",
    "envoys",
    "representatives",
    "counterparts",
    "officers",
    "lawmakers",
    "legislators",
    "administration",
];

const PRONOUNS: &[&str] = &["he", "she", "him", "his", "her", "hers"];
const WE: &[&str] = &["we", "our", "us", "ours"];

impl<'g> Context<'g> {
    /// A fresh context for one article.
    pub(crate) fn new(
        gaz: &'g Gazetteer,
        home_country: Option<CountryCode>,
        date: Option<NaiveDate>,
    ) -> Self {
        Context {
            gaz,
            registry: Registry::default(),
            salient: None,
            recent_countries: home_country.into_iter().collect(),
            home_country,
            reference_date: date,
            speaker: None,
            relaxed: false,
        }
    }

    /// The country a place belonged to on the article's date.
    pub(crate) fn place_country(&self, p: usize) -> CountryCode {
        crate::gazetteer::in_era(self.gaz.places[p].country, self.reference_date)
    }

    fn note_country(&mut self, code: CountryCode) {
        self.recent_countries.retain(|c| *c != code);
        self.recent_countries.push(code);
    }
}

/// Finds the mentions of one sentence. `quoted[i]` says whether token i is inside a quote;
/// `skip_until` masks a dateline.
pub(crate) fn find(
    ctx: &mut Context,
    text: &str,
    toks: &[Token],
    hits: &[Hit],
    quoted: &[bool],
) -> Vec<Mention> {
    // Hits are sorted and non-overlapping: index them by token once.
    let mut hit_index = vec![None; toks.len()];
    let mut cover = vec![None; toks.len()];
    for (h, hit) in hits.iter().enumerate() {
        if let Some(slot) = hit_index.get_mut(hit.first) {
            *slot = Some(h);
        }
        for slot in cover.iter_mut().take(hit.last).skip(hit.first) {
            *slot = Some(h);
        }
    }
    let mut b = MentionBuilder {
        ctx,
        text,
        toks,
        hits,
        quoted,
        out: Vec::new(),
        hit_index,
        cover,
    };
    b.run();
    b.out
}

struct MentionBuilder<'a, 'g> {
    ctx: &'a mut Context<'g>,
    text: &'a str,
    toks: &'a [Token],
    hits: &'a [Hit],
    quoted: &'a [bool],
    out: Vec<Mention>,
    /// The hit starting at each token.
    hit_index: Vec<Option<usize>>,
    /// The hit covering each token.
    cover: Vec<Option<usize>>,
}

impl MentionBuilder<'_, '_> {
    fn era(&self, country: Option<CountryCode>) -> Option<CountryCode> {
        country.map(|c| crate::gazetteer::in_era(c, self.ctx.reference_date))
    }

    fn hit_at(&self, i: usize) -> Option<Hit> {
        self.hit_index.get(i).copied().flatten().map(|h| self.hits[h])
    }

    /// Token `i` is a one-word place name (a surname such as "Santos" inside a name run).
    fn place_at(&self, i: usize) -> bool {
        self.hit_at(i)
            .is_some_and(|h| h.last == i + 1 && matches!(h.entry, Entry::Place(_)))
    }

    /// Token `i` is inside a gazetteer name other than a person's: a name run stops there. A
    /// word kept only to block a place reading ("Ali", "Austin") does not stop it.
    fn covered(&self, i: usize) -> bool {
        let hit = self.cover.get(i).copied().flatten().map(|h| self.hits[h]);
        hit.is_some_and(|h| !matches!(h.entry, Entry::Person(_) | Entry::Blocked))
    }

    fn is(&self, i: usize, word: &str) -> bool {
        self.toks.get(i).is_some_and(|t| t.is(word))
    }

    fn push(&mut self, first: usize, last: usize, what: What, reference: bool) {
        let possessive = self.is(last, "'s") || self.is(last, "'");
        let era = |c: CountryCode| crate::gazetteer::in_era(c, self.ctx.reference_date);
        let what = match what {
            What::Country(c) => What::Country(era(c)),
            What::Demonym(c) => What::Demonym(era(c)),
            What::Group { country, vague } => What::Group {
                country: country.map(era),
                vague,
            },
            other => other,
        };
        match what {
            What::Country(c) | What::Demonym(c) | What::Group { country: Some(c), .. } => {
                self.ctx.note_country(c)
            }
            // The countries people serve are in play too ("… met Saudi Foreign Minister X …
            // between the two countries").
            What::Person(p) if !reference => {
                if let Some(c) = self.ctx.registry.people[p].country {
                    self.ctx.note_country(c);
                }
            }
            What::Place(p) => {
                let c = self.ctx.place_country(p);
                self.ctx.note_country(c);
            }
            _ => {}
        }
        self.out.push(Mention {
            first,
            last,
            what,
            possessive,
            reference,
        });
    }

    fn run(&mut self) {
        let mut i = 0;
        while i < self.toks.len() {
            i = match self.hit_at(i) {
                Some(hit) => self.on_hit(i, hit),
                None => self.on_word(i),
            };
            i = self.served_country(i);
        }
    }

    /// "Zhao Ziyang of China": the country a person serves follows the name.
    fn served_country(&mut self, i: usize) -> usize {
        let Some(m) = self.out.last() else { return i };
        let What::Person(p) = m.what else { return i };
        if m.last != i || m.reference || !self.is(i, "of") {
            return i;
        }
        let Some(Hit {
            entry: Entry::Country(c),
            last: end,
            ..
        }) = self.hit_at(i + 1)
        else {
            return i;
        };
        let c = crate::gazetteer::in_era(c, self.ctx.reference_date);
        let rec = &mut self.ctx.registry.people[p];
        rec.country = rec.country.or(Some(c));
        if let Some(m) = self.out.last_mut() {
            m.last = end;
            m.possessive = self.toks.get(end).is_some_and(|t| t.is("'s"));
        }
        end
    }

    fn on_hit(&mut self, i: usize, hit: Hit) -> usize {
        match hit.entry {
            Entry::Title(_) => self.person_after_title(i, i, None),
            Entry::Country(c) | Entry::Demonym(c) => self.on_country(i, hit, c),
            Entry::Person(k) => self.known_person(i, i, hit.last, k, None, None),
            Entry::Place(p) => {
                self.push(i, hit.last, What::Place(p), false);
                hit.last
            }
            Entry::Org(o) => {
                // "fellow OPEC member Venezuela": the member is the actor, not the body.
                let member = ["member", "members", "partner", "ally", "member-state"]
                    .iter()
                    .any(|w| self.is(hit.last, w));
                if !member {
                    self.push(i, hit.last, What::Org(o), false);
                }
                hit.last
            }
            Entry::Region => {
                self.push(i, hit.last, What::Region, false);
                hit.last
            }
            Entry::Blocked => hit.last,
        }
    }

    /// A dictionary person; the name is the dictionary's, the written form an alias.
    fn known_person(
        &mut self,
        start: usize,
        name_from: usize,
        end: usize,
        k: usize,
        title: Option<String>,
        country: Option<CountryCode>,
    ) -> usize {
        const HONORIFICS: &[&str] = &[
            "ayatollah",
            "king",
            "queen",
            "prince",
            "princess",
            "sheikh",
            "president",
            "pope",
            "emir",
            "sultan",
            "mr",
            "mrs",
            "ms",
            "dr",
            "general",
            "crown",
            "premier",
            "chancellor",
            "minister",
            "secretary",
        ];
        let known = &self.ctx.gaz.people[k];
        let written = self.span_text(name_from, end);
        let first = written
            .split_whitespace()
            .next()
            .unwrap_or("")
            .trim_end_matches('.')
            .to_lowercase();
        // The text's spelling names the person ("Michael Armacost", not the dictionary's
        // "Michael H. Armacost") unless it carries an honorific ("Ayatollah Ali Khamenei").
        let plain = written.split_whitespace().count() >= 2 && !HONORIFICS.contains(&first.as_str());
        let (name, alias) = if plain {
            (written, known.name.clone())
        } else {
            (known.name.clone(), written)
        };
        let title = title.or_else(|| known_title(known, self.ctx.reference_date));
        let country = self.era(country.or(known.country));
        let idx = self.ctx.registry.resolve(&name, title.as_deref(), country);
        self.ctx.registry.people[idx].add_alias(&alias);
        self.push(start, end, What::Person(idx), false);
        end
    }

    /// A country or demonym: a modifier of a title ("Iraqi Prime Minister …"), of a group
    /// ("the Russian and Chinese sides"), or an actor of its own.
    fn on_country(&mut self, i: usize, hit: Hit, code: CountryCode) -> usize {
        // "the head of Bank of Mexico": a country inside an institution's name is no actor.
        let institution = i >= 2
            && self.is(i - 1, "of")
            && self.toks[i - 2].cap
            && people::is_institution_word(self.toks[i - 2].lower());
        if institution {
            self.push(i, hit.last, What::Demonym(code), false);
            return hit.last;
        }
        let mut j = hit.last;
        if self.is(j, "'s") || self.is(j, "'") {
            j += 1;
        }
        if let Some(next) = self.hit_at(j).filter(|h| matches!(h.entry, Entry::Title(_))) {
            return self.person_after_title(i, next.first, Some(code));
        }
        if self.is(j, "counterpart") || self.is(j, "counterparts") {
            return self.person_after_title(i, j, Some(code));
        }
        // "U.S. Treasury James Baker", "Iranian Foreign Ministry spokesman X".
        let mut k = j;
        while k < j + 3
            && self
                .toks
                .get(k)
                .is_some_and(|t| t.cap && people::is_institution_word(t.lower()))
        {
            k += 1;
        }
        if k > j
            && let Some(h) = self
                .hit_at(k)
                .filter(|h| matches!(h.entry, Entry::Person(_) | Entry::Title(_)))
        {
            return self.person_after_title(i, h.first, Some(code));
        }
        if let Some(t) = self.title_prefix_run(j) {
            return self.titled_person(i, j, t, Some(code));
        }
        if let Some((codes, end)) = self.demonym_group(i) {
            for (c, (first, last)) in codes {
                self.push(
                    first,
                    last.max(first + 1),
                    What::Group {
                        country: Some(c),
                        vague: false,
                    },
                    false,
                );
            }
            return end;
        }
        // A plural demonym used as a noun ("the Palestinians") stands for its people's side; without
        // "the" and before a verb it may be a few people ("two Americans were hurt").
        let the = i > 0 && self.is(i - 1, "the");
        let plural = self.toks[hit.last - 1].lower().ends_with('s')
            && (the
                || !self
                    .toks
                    .get(hit.last)
                    .is_some_and(|t| t.kind == TokKind::Word && !t.cap));
        let what = match hit.entry {
            Entry::Demonym(_) if plural => What::Group {
                country: Some(code),
                vague: false,
            },
            Entry::Demonym(_) => What::Demonym(code),
            _ => What::Country(code),
        };
        self.push(i, hit.last, what, false);
        hit.last
    }

    /// "Russian and Chinese sides", "Iraqi officials": demonyms joined by "and"/"," before a
    /// group noun. Returns the countries and the end of the group noun.
    fn demonym_group(&self, i: usize) -> Option<(Vec<(CountryCode, TokRange)>, usize)> {
        let mut codes = Vec::new();
        let mut j = i;
        loop {
            let hit = self.hit_at(j)?;
            let (Entry::Demonym(c) | Entry::Country(c)) = hit.entry else {
                return None;
            };
            codes.push((c, (hit.first, hit.last)));
            j = hit.last;
            // "French Treasury officials", "senior Iraqi officials".
            let mut skipped = 0;
            while skipped < 3
                && (self.is(j, "senior")
                    || self.is(j, "top")
                    || self.is(j, "high-ranking")
                    || self.toks.get(j).is_some_and(|t| {
                        (TITLE_MODIFIERS.contains(&t.lower()) || GROUP_MODIFIERS.contains(&t.lower()))
                            && !t.is("and")
                    })
                    || self
                        .toks
                        .get(j)
                        .is_some_and(|t| t.cap && people::is_institution_word(t.lower())))
            {
                j += 1;
                skipped += 1;
            }
            let group_at = |k: usize| {
                self.toks
                    .get(k)
                    .is_some_and(|t| GROUP_NOUNS.contains(&t.lower()) || t.is("official"))
            };
            // "Israeli government officials", but also "the German government" on its own.
            let end = if group_at(j) {
                Some(j + 1)
            } else {
                (skipped > 0 && group_at(j - 1)).then_some(j)
            };
            if let Some(end) = end {
                if let Some(last) = codes.last_mut() {
                    last.1.1 = end;
                }
                return Some((codes, end));
            }
            if self.is(j, "and") || self.is(j, ",") {
                j += 1;
                continue;
            }
            return None;
        }
    }

    /// Words right before a title are part of it ("Economics Minister", "National Bank
    /// President", "deputy energy and mines minister"): returns the title's token index.
    fn title_prefix_run(&self, j: usize) -> Option<usize> {
        let mut k = j;
        while k < self.toks.len() && k < j + 5 {
            if let Some(h) = self.hit_at(k) {
                return matches!(h.entry, Entry::Title(_)).then_some(k).filter(|k| *k > j);
            }
            let t = &self.toks[k];
            let modifier = TITLE_MODIFIERS.contains(&t.lower()) && !(k == j && t.is("and"));
            if !(t.cap && t.kind == TokKind::Word || modifier) {
                return None;
            }
            k += 1;
        }
        None
    }

    /// Titles at `t` (one or more: "Leader of the Islamic Revolution Ayatollah"), then a name.
    fn person_after_title(&mut self, start: usize, t: usize, country: Option<CountryCode>) -> usize {
        self.titled_person(start, t, t, country)
    }

    /// Like [`Self::person_after_title`], with the title's words starting at `title_from`.
    fn titled_person(
        &mut self,
        start: usize,
        title_from: usize,
        t: usize,
        country: Option<CountryCode>,
    ) -> usize {
        let country = self.era(country);
        let mut j = t;
        let mut title = None;
        while let Some(h) = self.hit_at(j).filter(|h| matches!(h.entry, Entry::Title(_))) {
            if let Entry::Title(k) = h.entry
                && (self.ctx.gaz.titles[k].rank < 4 || title.is_none())
                && title.is_none()
            {
                title = Some(self.span_text(title_from, h.last));
            }
            j = h.last;
        }
        if self.is(j, "counterpart") || self.is(j, "counterparts") {
            j += 1;
        }
        // "Ambassador to Athens Nazmi Akiman": the posting is not part of the name.
        if title.is_some()
            && self.is(j, "to")
            && let Some(h) = self
                .hit_at(j + 1)
                .filter(|h| matches!(h.entry, Entry::Place(_) | Entry::Country(_)))
            && self.toks.get(h.last).is_some_and(|t| t.cap)
        {
            j = h.last;
        }
        let title = title.map(|t| tidy_title(&t));
        if let Some(h) = self.hit_at(j).filter(|h| matches!(h.entry, Entry::Person(_))) {
            let Entry::Person(k) = h.entry else { return h.last };
            return self.known_person(start, h.first, h.last, k, title, country);
        }
        let mut name_end = self.name_run(j);
        if name_end == j && self.ctx.relaxed {
            name_end = self.lowercase_run(j);
        }
        if name_end == j + 1
            && self
                .ctx
                .registry
                .by_surname(&self.span_text(j, name_end))
                .is_none()
        {
            let word = self.span_text(j, name_end);
            if let Some(idx) = self.known_by_surname(&word, title.as_deref()) {
                self.push(start, name_end, What::Person(idx), false);
                return name_end;
            }
        }
        if name_end == j + 1
            && country.is_none()
            && let Some(idx) = self.ctx.registry.by_surname(&self.span_text(j, name_end))
        {
            // "president Weizsaecker" after "West German president Richard von Weizsaecker".
            self.push(start, name_end, What::Person(idx), false);
            return name_end;
        }
        if name_end > j {
            let name = title_case_name(&self.span_text(j, name_end));
            let country = country.or_else(|| self.dictionary_country(&name));
            let country = country.or_else(|| self.list_mate_country(start));
            let country = country.or(self.bare_title_country(title.as_deref(), start));
            let idx = self.ctx.registry.resolve(&name, title.as_deref(), country);
            self.push(start, name_end, What::Person(idx), false);
            return name_end;
        }
        // A title with no name: "the president", "the Iraqi prime minister" (that person when the
        // article named one, else the country's officials).
        match title
            .as_deref()
            .and_then(|t| self.ctx.registry.by_title(t, country))
        {
            Some(idx) => self.push(start, j, What::Person(idx), true),
            None if country.is_some() => self.push(
                start,
                j.max(start + 1),
                What::Group {
                    country,
                    vague: false,
                },
                false,
            ),
            None => {}
        }
        j.max(start + 1)
    }

    /// "West German Finance Minister X and Bundesbank President Y": Y shares X's country.
    fn list_mate_country(&self, start: usize) -> Option<CountryCode> {
        let prev = self.out.last()?;
        let What::Person(p) = prev.what else { return None };
        let gap = self.toks.get(prev.last..start).unwrap_or(&[]);
        let listed = !gap.is_empty() && gap.iter().all(|t| t.is("and") || t.is(","));
        listed.then_some(self.ctx.registry.people[p].country).flatten()
    }

    fn bare_title_country(&self, title: Option<&str>, start: usize) -> Option<CountryCode> {
        const INTERNATIONAL: &[&str] = &[
            "pope",
            "secretary-general",
            "secretary general",
            "cardinal",
            "archbishop",
            "managing director",
        ];
        let preceded_by_foreign = start > 0 && self.is(start - 1, "'s");
        let national = title.is_some_and(|t| !INTERNATIONAL.iter().any(|i| t.eq_ignore_ascii_case(i)));
        (national && !preceded_by_foreign)
            .then_some(self.ctx.home_country)
            .flatten()
    }

    fn dictionary_country(&self, name: &str) -> Option<CountryCode> {
        let key = people::name_key(name);
        let surname = people::surname_key(name);
        self.ctx
            .gaz
            .people_with_surname(&surname)
            .iter()
            .map(|k| &self.ctx.gaz.people[*k])
            .find(|p| p.key == key)
            .and_then(|p| p.country)
    }

    /// The end of a name run starting at `j` (== `j` when there is none).
    fn name_run(&self, j: usize) -> usize {
        let mut k = j;
        let mut last_cap = j;
        while k < self.toks.len() && k < j + 5 {
            let t = &self.toks[k];
            let initial = t.cap && t.lower().len() == 1 && self.is(k + 1, ".");
            if initial {
                k += 2;
                continue;
            }
            let after_particle = k > j && people::is_particle(self.toks[k - 1].lower());
            let blocked = self.covered(k) && !after_particle && !(k > j && self.place_at(k));
            if !people::is_name_token(t) || blocked || people::is_not_name(t.lower()) {
                break;
            }
            if people::is_institution_word(t.lower()) {
                return j;
            }
            k += 1;
            if t.cap || t.lower().contains('-') {
                last_cap = k;
            }
        }
        let first_ok = self.toks.get(j).is_some_and(|t| t.cap || t.lower().contains('-'));
        if first_ok { last_cap } else { j }
    }

    /// In lower-case copy, the words after a title up to punctuation or a verb: "ali akbar velayati".
    fn lowercase_run(&self, j: usize) -> usize {
        const STOP: &[&str] = &[
            "said", "says", "told", "met", "meets", "visited", "is", "was", "has", "had", "will", "would",
            "and", "or", "of", "in", "on", "at", "to", "for", "with", "who", "which", "arrived", "left",
        ];
        let mut k = j;
        while k < self.toks.len() && k < j + 4 {
            let t = &self.toks[k];
            let word = t.kind == TokKind::Word && t.lower().chars().all(|c| c.is_alphabetic() || c == '-');
            if !word
                || STOP.contains(&t.lower())
                || t.lower().ends_with("ed")
                || people::is_not_name(t.lower())
            {
                break;
            }
            k += 1;
        }
        let ends_cleanly = self
            .toks
            .get(k)
            .is_none_or(|t| t.kind == TokKind::Punct || STOP.contains(&t.lower()));
        if k >= j + 2 && ends_cleanly { k } else { j }
    }

    fn on_word(&mut self, i: usize) -> usize {
        let tok = &self.toks[i];
        let lower = tok.lower();
        if self.ctx.relaxed
            && !tok.cap
            && tok.kind == TokKind::Word
            && lower.len() > 3
            && !people::is_not_name(lower)
            && let Some(p) = self.ctx.registry.by_surname(lower)
        {
            self.push(i, i + 1, What::Person(p), false);
            return i + 1;
        }
        if PRONOUNS.contains(&lower) {
            let feminine = matches!(lower, "she" | "her" | "hers");
            if let Some(p) = self.pronoun_referent(i, feminine) {
                self.ctx.registry.people[p].feminine |= feminine;
                self.push(i, i + 1, What::Person(p), true);
            }
            return i + 1;
        }
        if lower == "it"
            && let Some(c) = self.country_it(i)
        {
            self.push(i, i + 1, What::Country(c), true);
            return i + 1;
        }
        if WE.contains(&lower) && self.quoted.get(i).copied().unwrap_or(false) {
            self.push(i, i + 1, What::Speaker, true);
            return i + 1;
        }
        if let Some(end) = self.country_reference(i) {
            return end;
        }
        if lower == "counterpart" {
            return self.person_after_title(i, i, None);
        }
        if GROUP_NOUNS.contains(&lower) {
            return self.group(i);
        }
        if people::can_start_name(tok) {
            return self.untitled_name(i);
        }
        i + 1
    }

    /// "he"/"his": the subject of this sentence when one came before, else the salient person.
    fn pronoun_referent(&self, i: usize, feminine: bool) -> Option<usize> {
        let people = &self.ctx.registry.people;
        // "she"/"her" prefer a person already called "she" (Thatcher, not Ryzhkov).
        if feminine && people.iter().any(|p| p.feminine) {
            let here = self.out.iter().rev().find_map(|m| match m.what {
                What::Person(p) if m.last <= i && people[p].feminine => Some(p),
                _ => None,
            });
            return here.or_else(|| people.iter().rposition(|p| p.feminine));
        }
        let earlier = self
            .out
            .iter()
            .find(|m| m.last <= i && matches!(m.what, What::Person(_)));
        match earlier.map(|m| m.what) {
            Some(What::Person(p)) => Some(p),
            _ => self.ctx.salient,
        }
    }

    /// "Syria says it is willing …": "it" as a subject right after a country named in the sentence.
    fn country_it(&self, i: usize) -> Option<CountryCode> {
        const VERBS: &[&str] = &[
            "is", "was", "has", "had", "will", "would", "could", "says", "said", "wants", "plans", "hopes",
            "can",
        ];
        if !self.toks.get(i + 1).is_some_and(|t| VERBS.contains(&t.lower())) {
            return None;
        }
        self.out.iter().rev().find_map(|m| match m.what {
            What::Country(c) if m.last <= i => Some(c),
            _ => None,
        })
    }

    /// "the country", "his country", "the two countries", "both sides".
    fn country_reference(&mut self, i: usize) -> Option<usize> {
        let parties = self.is(i, "the") && self.is(i + 1, "parties");
        let two = (self.is(i, "the") && self.is(i + 1, "two")) || self.is(i, "both") || parties;
        let noun_at = if self.is(i, "both") || parties {
            i + 1
        } else {
            i + 2
        };
        if two
            && [
                "countries",
                "sides",
                "nations",
                "neighbors",
                "neighbours",
                "governments",
                "parties",
                "leaders",
                "ministers",
                "presidents",
                "delegations",
            ]
            .iter()
            .any(|w| self.is(noun_at, w))
        {
            // "China brokered a deal between the two countries": a country acting in this sentence
            // is not one of the two.
            let acting: Vec<CountryCode> = self
                .out
                .iter()
                .filter_map(|m| match m.what {
                    What::Country(c) => Some(c),
                    _ => None,
                })
                .collect();
            let mut pair: Vec<CountryCode> = self
                .ctx
                .recent_countries
                .iter()
                .rev()
                .filter(|c| !acting.contains(c))
                .take(2)
                .copied()
                .collect();
            pair.reverse();
            if pair.len() == 2 {
                for (k, c) in pair.into_iter().enumerate() {
                    let (first, last) = if k == 0 {
                        (i, noun_at)
                    } else {
                        (noun_at, noun_at + 1)
                    };
                    self.out.push(Mention {
                        first,
                        last,
                        what: What::Group {
                            country: Some(c),
                            vague: false,
                        },
                        possessive: false,
                        reference: true,
                    });
                }
            }
            return Some(noun_at + 1);
        }
        if (self.is(i, "the") || self.is(i, "that")) && self.is(i + 1, "country") {
            if let Some(c) = self.ctx.recent_countries.last().copied() {
                self.push(i, i + 2, What::Country(c), true);
            }
            return Some(i + 2);
        }
        None
    }

    /// "officials", "senior officials of the country", "Iraqi officials" (handled earlier).
    fn group(&mut self, i: usize) -> usize {
        let vague = (i >= 1 && self.is(i - 1, "other")) || (i >= 2 && self.is(i - 2, "other"));
        let mut end = i + 1;
        let mut country = None;
        if self.is(i + 1, "of") || self.is(i + 1, "from") {
            let k = if self.is(i + 2, "the") && !self.is(i + 3, "country") {
                i + 3
            } else {
                i + 2
            };
            if self.is(k, "the") && self.is(k + 1, "country") {
                country = self.ctx.recent_countries.last().copied();
                end = k + 2;
            } else if let Some(h) = self.hit_at(k)
                && let Entry::Country(c) | Entry::Demonym(c) = h.entry
            {
                country = Some(c);
                end = h.last;
            }
        }
        self.push(i, end, What::Group { country, vague }, false);
        end
    }

    /// A capitalized run that names a person without a title ("Otto Stich", "Rouhani"), or a
    /// title modifier run ("Economics Minister …").
    fn untitled_name(&mut self, i: usize) -> usize {
        if let Some(t) = self.title_prefix_run(i) {
            return self.titled_person(i, i, t, None);
        }
        let mut end = self.name_run(i);
        // Without a title a place inside the run ends it: "West Berlin" is no person.
        if let Some(k) = (i + 1..end).find(|&k| self.place_at(k)) {
            end = if k - i >= 2 { k } else { i };
        }
        if end == i {
            return i + 1;
        }
        let name = self.span_text(i, end);
        let tokens = end - i;
        let existing = if tokens == 1 {
            self.ctx.registry.by_surname(&name)
        } else {
            None
        };
        let idx = match existing {
            Some(idx) => Some(idx),
            None if tokens >= 2 => {
                let country = self.era(self.dictionary_country(&name));
                Some(self.ctx.registry.resolve(&name, None, country))
            }
            None => self.known_by_surname(&name, None),
        };
        if let Some(idx) = idx {
            self.push(i, end, What::Person(idx), false);
        }
        end
    }

    /// A lone surname of a known person in office on the article's date ("Putin said").
    fn known_by_surname(&mut self, word: &str, title: Option<&str>) -> Option<usize> {
        let key = people::surname_key(word);
        let date = self.ctx.reference_date?;
        let gaz = self.ctx.gaz;
        let mut active = gaz
            .people_with_surname(&key)
            .iter()
            .map(|k| &gaz.people[*k])
            .filter(|p| {
                p.from.is_some_and(|f| f.first_day() <= date) && p.to.is_none_or(|t| date <= t.last_day())
            });
        let first = active.next()?;
        if active.any(|p| p.name != first.name) {
            return None;
        }
        let title = title
            .map(str::to_owned)
            .or_else(|| known_title(first, Some(date)));
        let (name, country) = (first.name.clone(), self.era(first.country));
        Some(self.ctx.registry.resolve(&name, title.as_deref(), country))
    }

    fn span_text(&self, first: usize, last: usize) -> String {
        let (s, e) = (self.toks[first].start, self.toks[last - 1].end);
        self.text[s..e].split_whitespace().collect::<Vec<_>>().join(" ")
    }
}

/// "ali akbar velayati" → "Ali Akbar Velayati"; names already capitalized stay as written.
fn title_case_name(name: &str) -> String {
    if name.chars().any(|c| c.is_uppercase()) {
        return name.to_owned();
    }
    name.split(' ')
        .map(|w| {
            let mut c = w.chars();
            c.next()
                .map(|f| f.to_uppercase().chain(c).collect())
                .unwrap_or_default()
        })
        .collect::<Vec<String>>()
        .join(" ")
}

/// The dictionary title when the role covers the date.
fn known_title(p: &crate::gazetteer::KnownPerson, date: Option<NaiveDate>) -> Option<String> {
    let date = date?;
    let holds = p.from.is_none_or(|f| f.first_day() <= date) && p.to.is_none_or(|t| date <= t.last_day());
    holds.then(|| p.title.clone()).flatten()
}

/// "Foreign Minister" stays; "the Iraqi prime minister" → "Prime Minister".
fn tidy_title(raw: &str) -> String {
    raw.split_whitespace()
        .skip_while(|w| {
            matches!(
                w.to_ascii_lowercase().as_str(),
                "the" | "his" | "her" | "its" | "their"
            )
        })
        .map(|w| {
            let mut c = w.chars();
            match c.next() {
                Some(f) if w.len() > 2 || f.is_uppercase() => f.to_uppercase().chain(c).collect(),
                Some(f) => std::iter::once(f).chain(c).collect(),
                None => String::new(),
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
        .replace(" Of ", " of ")
        .replace(" The ", " the ")
}
