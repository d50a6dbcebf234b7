//! Stage 6a — the trigger lexicon: word patterns that announce an event of a kind, with the
//! modality some of them fix ("left for" is planned, "called off a trip to" is cancelled).
//!
//! Pattern syntax: space-separated elements, each a `|`-list of lower-case words; `*` skips up
//! to three words, `**` up to eight, `*np` up to eight that name no event; `~` marks the element
//! that must not be a noun (a verb form such as "visit" after "a", "the", "his" is a noun and
//! starts no event).

use std::sync::OnceLock;

use diplograph_core::{EventKind, Modality};

use crate::segment::{TokKind, Token};

/// How the participants are found around the trigger.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Form {
    /// Subject before, objects after ("X visited Y", "X met with Y").
    Verb,
    /// "At a joint press conference with X, Y said": X after the trigger, Y after the comma.
    Intro,
    /// The objects sit inside the trigger ("expelled two Russian diplomats").
    Inside,
    /// "X arrived" with no destination: a datelined story means the dateline city.
    Arrival,
    /// "X is in Y": a person's presence abroad is a visit.
    Presence,
    /// "The accord was signed by X and Y": the participants follow "by".
    Passive,
    /// Counts only with a joint subject of two or more ("X and Y agreed to …").
    Joint,
    /// The object follows "to" ("extradited a suspect to Britain").
    ToTarget,
    /// "X brokered an agreement between A and B": X mediates, A and B are the sides.
    Mediated,
}

/// A lexicon entry.
pub(crate) struct TriggerDef {
    pub(crate) kind: EventKind,
    pub(crate) form: Form,
    /// A modality the words themselves fix.
    pub(crate) modality: Option<Modality>,
    elements: Vec<Element>,
}

enum Element {
    Words(Vec<&'static str>, bool),
    Skip(usize),
    /// Up to this many words, none of them naming an event of its own ("in Ottawa next month",
    /// never "prepare a summit").
    SkipPlain(usize),
}

/// Nouns that name an event: a plain skip never crosses one, and one that is the subject of its
/// clause takes that clause's tense (frames).
pub(crate) const EVENT_NOUNS: &[&str] = &[
    "summit",
    "summits",
    "meeting",
    "meetings",
    "talks",
    "discussions",
    "negotiations",
    "consultations",
    "visit",
    "visits",
    "trip",
    "trips",
    "conference",
    "agreement",
    "accord",
    "treaty",
];

/// A trigger found in a sentence: tokens `first..last`.
#[derive(Clone, Copy, Debug)]
pub(crate) struct TriggerHit {
    pub(crate) def: usize,
    pub(crate) first: usize,
    pub(crate) last: usize,
}

const VISIT_NOUNS: &str = "visit|visits|trip|trips|tour|journey|mission";
const CANCEL: &str =
    "cancelled|canceled|cancels|cancel|cancelling|canceling|scrapped|scraps|scrap|called|calls|call|calling";
const POSTPONE: &str =
    "postponed|postpones|postpone|postponing|delayed|delays|delay|put|puts|deferred|defers|shelved";
const AGREEMENTS: &str = "agreement|agreements|accord|accords|deal|deals|treaty|treaties|pact|pacts|memorandum|protocol|protocols|contract|contracts|convention|declaration|charter";
const DET: &str = "a|an|his|her|their|its|the|this|that";
const TIES: &str = "cooperation|co-operation|relations|ties|trade|links|partnership|relationship|collaboration|friendship|contacts";
const GROW: &str = "boost|expand|broaden|strengthen|deepen|develop|enhance|increase|improve|promote|further|widen|upgrade|intensify|bolster|foster|continue|step|consolidate|advance|cement|forge|build|resume|restore|normalize|normalise|diversify|raise|double|reinforce|maintain|boosting|expanding|broadening|strengthening|deepening|developing|enhancing|increasing|improving|promoting|furthering|widening|upgrading|intensifying|bolstering|fostering|consolidating|advancing|restoring|normalizing|normalising|maintaining";

fn table() -> Vec<(&'static str, EventKind, Form, Option<Modality>)> {
    use EventKind::*;
    use Form::*;
    let planned = Some(Modality::Planned);
    let v = |p: &'static str, k| (p, k, Verb, None);
    vec![
        // VISIT
        v("~visit|~visits|visited|visiting|~tour|toured|touring", Visit),
        ("arrived|arrives|arriving|landed|lands", Visit, Arrival, None),
        (
            "began|begins|begin|beginning|started|starts|start|opened|concluded|concludes|ended|ends|wound|wrapped|completed|completes|completing * a|an|his|her|their * VN",
            Visit,
            Arrival,
            None,
        ),
        (
            "here|is|was|are|were|while on|during a|an|his|her|their * official|state|working|private|two-day|three-day|four-day|five-day|one-day VN",
            Visit,
            Arrival,
            None,
        ),
        (
            "left|leaves|leave|leaving|departed|departs * for",
            Visit,
            Verb,
            planned,
        ),
        (
            "is|was|are|were|be|been|being|remained|remains|stayed|stays|staying in",
            Visit,
            Presence,
            None,
        ),
        v(
            "made|makes|make|making|paid|pays|pay|paying|undertook|undertakes|undertake|undertaking a|an|his|her|their|its * VN to|of|in",
            Visit,
        ),
        v("on|during a|an|his|her|their * VN to|of|in", Visit),
        v(
            "began|begins|begin|beginning|started|starts|start|kicked|opened|concluded|concludes|ended|ends|wound|wrapped|completed|completes|completing * a|an|his|her|their * VN to|of|in",
            Visit,
        ),
        v(
            "arrived|arrives|arrive|arriving|landed|lands|land|landing in|at",
            Visit,
        ),
        v(
            "travelled|traveled|travels|travel|travelling|traveling|flew|flies|fly|flying|went|goes|go|came|comes|stopped|stops|stopping to|in|over",
            Visit,
        ),
        v("taken|took|takes|take|brought|brings him|her|them to", Visit),
        (
            "left|leaves|leave|leaving|departed|departs|depart|set|sets|headed|heads|heading for|to",
            Visit,
            Verb,
            planned,
        ),
        ("en route to", Visit, Verb, planned),
        (
            "planned|scheduled|upcoming|forthcoming|proposed|expected|impending|coming|possible * VN to",
            Visit,
            Verb,
            planned,
        ),
        ("CANCEL * DET * VN * to", Visit, Verb, Some(Modality::Cancelled)),
        ("POSTPONE * DET * VN * to", Visit, Verb, Some(Modality::Postponed)),
        // MEET
        v("met|meets|meet|~meeting", Meet),
        v(
            "held|holds|hold|holding|had|has|have|having|chaired|attended|convened a|an|his|their * meeting|meetings|session|encounter|audience with",
            Meet,
        ),
        (
            "in|during|at|after|following|before|from a|an|the|their|his|her * meeting|meetings|audience|encounter with",
            Meet,
            Intro,
            None,
        ),
        (
            "in|during|at|after|following|before a|an|the|their|his|her * press|news conference|conferences with",
            Meet,
            Intro,
            None,
        ),
        v(
            "received|receives|receive|receiving|welcomed|welcomes|welcome|welcoming|hosted|hosts|host|hosting|greeted|greets|greet",
            Meet,
        ),
        v(
            "held|holds|hold|had|gave|give a * press|news conference|conferences with",
            Meet,
        ),
        v("paid|pays|pay|made a * courtesy call|calls on", Meet),
        v("sat|huddled down with", Meet),
        // TALKS
        v(
            "held|holds|hold|holding|had|has|have|having|began|begin|begins|opened|open|opens|resumed|resume|resumes|concluded|conclude|concludes|conducted|conduct|continued|continue|continues|wrapped|launched * talks|negotiations|discussions|consultations|dialogue|summit with",
            Talks,
        ),
        (
            "in|during|at|after|following|from * talks|negotiations|discussions|consultations with",
            Talks,
            Intro,
            None,
        ),
        v(
            "talked|talks|talk|talking|negotiated|negotiates|negotiate|negotiating|conferred|confers|confer|consulted|consults|consult|conversed|discussions|negotiations|consultations with",
            Talks,
        ),
        v("discussed|discusses|discuss|discussing ** with", Talks),
        // PHONE_CALL
        v(
            "spoke|speaks|speak|speaking|talked|talks|talk|talking|conferred|chatted|held|holds|had|has * by|over|on|via * phone|telephone|telephones|phones|videoconference|video with|to",
            PhoneCall,
        ),
        v("telephoned|telephones|phoned|phones|rang|rings", PhoneCall),
        v(
            "held|holds|had|has|made|makes|received|receives|in|during * telephone|phone conversation|conversations|call|calls|talks with|from",
            PhoneCall,
        ),
        // AGREEMENT
        v(
            "signed|signs|sign|signing|inked|inks|ink|clinched|clinches|sealed|seals|struck|strikes|initialed|initialled ** agreement|agreements|accord|accords|deal|deals|treaty|treaties|pact|pacts|memorandum|memorandums|memoranda|mou|mous|protocol|protocols|contract|contracts|convention|declaration|charter",
            Agreement,
        ),
        (
            "AGREEMENTS was|were|is|are|been|being signed|inked|sealed|initialed",
            Agreement,
            Passive,
            None,
        ),
        (
            "during|in|after|following|at|for * talk|talks|negotiations|discussions|summit",
            Talks,
            Verb,
            None,
        ),
        ("signing|signature of * AGREEMENTS", Agreement, Verb, None),
        (
            "targets|target|plan|plans|goal|goals|aim|aims|agreed|agreement|deal for|on|to * increased|expanded|greater|closer|higher|more|stronger|boost|increase|expand TIES",
            IntentToCooperate,
            Verb,
            None,
        ),
        ("invitation|invitations to", Invite, Verb, None),
        (
            "brokered|brokers|broker|mediated|mediates|mediate|facilitated|facilitates * AGREEMENTS * between",
            Agreement,
            Mediated,
            None,
        ),
        (
            "brokered|brokers|broker|mediated|mediates|mediate|hosted|hosts|host * talks|negotiations|meeting|meetings * between",
            Talks,
            Mediated,
            None,
        ),
        (
            "will|would|shall|to give|grant|lend|provide|donate|extend",
            IntentToCooperate,
            Verb,
            None,
        ),
        // "a summit in Ottawa next month between A and B": the venue and the day may come first.
        ("summit|meeting|meetings *np between", Meet, Passive, None),
        (
            "talks|negotiations|consultations *np between",
            Talks,
            Passive,
            None,
        ),
        (
            "will|would|shall|must|should|can|could * GROW * TIES",
            IntentToCooperate,
            Verb,
            None,
        ),
        (
            "talks|efforts|steps|measures|ways|mission|visit|trip on|to|for|aimed|at * GROW * TIES",
            IntentToCooperate,
            Verb,
            None,
        ),
        (
            "reaffirmed|reaffirms|renewed|renews|reiterated|reiterates|confirmed|affirmed|expressed * commitment|commitments|readiness|determination to|for * coordinate|cooperate|cooperation|work|coordination",
            IntentToCooperate,
            Verb,
            None,
        ),
        (
            "agreed|agree|agrees|pledged|decided|resolved to|that|upon|on",
            IntentToCooperate,
            Joint,
            None,
        ),
        (
            "agreed|agree|agrees|reached|reach|reaches * consensus|agreement|accord|deal|understanding",
            IntentToCooperate,
            Joint,
            None,
        ),
        (
            "offered|offers|offering|promised|promises|pledged|pledges|vowed|vows|willing|ready|prepared to",
            IntentToCooperate,
            Verb,
            None,
        ),
        ("offered|offers|offering", IntentToCooperate, Verb, None),
        (
            "shared|sharing|share|shares|exchanged|exchanging|exchange|exchanges * information|intelligence|evidence|expertise|data|experience|know-how with",
            IntentToCooperate,
            Verb,
            None,
        ),
        (
            "held|holding|hold|holds|launched|launch|launches|conducted|conduct|conducts|began|begin|begins|staged|stage|stages|started|start|starts|undertake|undertook ** exercises|exercise|drills|manoeuvres|maneuvers|games|patrols",
            IntentToCooperate,
            Joint,
            None,
        ),
        (
            "extradited|extradites|extradite|extraditing|deported|deports|deport",
            IntentToCooperate,
            ToTarget,
            None,
        ),
        (
            "held|holds|hold|holding|had|has|have|renewed|renew|renews|resumed|resume|resumes|began|begin|begins|started|start|starts|opened|open|opens|launched|continued|continue|continues * talks|negotiations|discussions|consultations|dialogue",
            Talks,
            Joint,
            None,
        ),
        (
            "gave|give|gives|giving|accorded|extended * welcome|reception * to",
            Meet,
            Verb,
            None,
        ),
        (
            "support|supports|supported|supporting|backed|backs|backing|defended|defends|defend|endorsed|endorses|endorse",
            Praise,
            Verb,
            None,
        ),
        ("return|returning|returned|returns|back from", Visit, Verb, None),
        ("VN * this|next week|month * by", Visit, Passive, planned),
        // INTENT_TO_COOPERATE
        v(
            "hope|hopes|hoped|hoping|seek|seeks|seeking|sought|want|wants|wanted|wish|wishes|ready|willing|intend|intends|aim|aims|aiming|agreed|agree|agrees|pledged|pledge|pledges|vowed|vow|vows|decided|decide|determined|eager|keen|committed|readiness|willingness|desire|determination|eagerness|interest * to|for|in * GROW * TIES",
            IntentToCooperate,
        ),
        v(
            "called|calls|call|urged|urges for * closer|stronger|expanded|broader|deeper|greater|better TIES",
            IntentToCooperate,
        ),
        // PRAISE
        v(
            "hailed|hails|hail|praised|praises|praise|lauded|lauds|laud|commended|commends|commend|applauded|applauds|applaud",
            Praise,
        ),
        // INVITE
        v("invited|invites|invite|inviting", Invite),
        v(
            "extended|extends|extend|issued|conveyed|delivered|sent|renewed an|a|the|his|her * invitation|invitations to",
            Invite,
        ),
        // CRITICIZE
        v(
            "condemned|condemns|condemn|criticized|criticised|criticizes|criticises|criticize|criticise|denounced|denounces|denounce|slammed|slams|rebuked|rebukes|censured|deplored|deplores",
            Criticize,
        ),
        (
            "summoned|summons|summon * ambassador|envoy|charge|diplomat|diplomats",
            Criticize,
            Inside,
            None,
        ),
        // ACCUSE
        v(
            "accused|accuses|accuse|accusing|blamed|blames|blame|blaming",
            Accuse,
        ),
        // THREATEN
        v(
            "threatened|threatens|threaten|threatening|warned|warns|warn",
            Threaten,
        ),
        // SANCTION
        v(
            "imposed|imposes|impose|imposing|slapped|slaps|levied|levies|tightened|tightens * sanctions|embargo|embargoes|tariffs|penalties on|against",
            Sanction,
        ),
        v("sanctioned", Sanction),
        // REDUCE_RELATIONS
        v(
            "recalled|recalls|recall|withdrew|withdraws|withdraw * ambassador|envoy|ambassadors|envoys from",
            ReduceRelations,
        ),
        (
            "expelled|expels|expel|expelling|ordered * diplomats|diplomat|ambassador|envoy|envoys|attaches",
            ReduceRelations,
            Inside,
            None,
        ),
        v(
            "severed|severs|sever|cut|cuts|broke|breaks|suspended|suspends|downgraded|downgrades|froze|freezes * ties|relations with",
            ReduceRelations,
        ),
    ]
}

fn compile(pattern: &'static str) -> Vec<Element> {
    pattern
        .split(' ')
        .map(|e| match e {
            "*" => Element::Skip(3),
            "**" => Element::Skip(8),
            "*np" => Element::SkipPlain(8),
            "VN" => Element::Words(VISIT_NOUNS.split('|').collect(), false),
            "CANCEL" => Element::Words(CANCEL.split('|').collect(), false),
            "POSTPONE" => Element::Words(POSTPONE.split('|').collect(), false),
            "DET" => Element::Words(DET.split('|').collect(), false),
            "TIES" => Element::Words(TIES.split('|').collect(), false),
            "GROW" => Element::Words(GROW.split('|').collect(), false),
            "AGREEMENTS" => Element::Words(AGREEMENTS.split('|').collect(), false),
            words => {
                let verb_only = words.contains('~');
                let leaked: Vec<&'static str> = words.split('|').map(|w| w.trim_start_matches('~')).collect();
                Element::Words(leaked, verb_only)
            }
        })
        .collect()
}

/// The compiled lexicon.
pub(crate) fn lexicon() -> &'static [TriggerDef] {
    static LEXICON: OnceLock<Vec<TriggerDef>> = OnceLock::new();
    LEXICON.get_or_init(|| {
        table()
            .into_iter()
            .map(|(p, kind, form, modality)| TriggerDef {
                kind,
                form,
                modality,
                elements: compile(p),
            })
            .collect()
    })
}

/// The lexicon entries by the words they can start with (every pattern starts with words).
fn first_words() -> &'static crate::FastMap<&'static str, Vec<usize>> {
    static INDEX: OnceLock<crate::FastMap<&'static str, Vec<usize>>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let mut index: crate::FastMap<&'static str, Vec<usize>> = crate::FastMap::default();
        for (def, entry) in lexicon().iter().enumerate() {
            if let Some(Element::Words(words, _)) = entry.elements.first() {
                for word in words {
                    index.entry(*word).or_default().push(def);
                }
            }
        }
        index
    })
}

const NOUN_MARKERS: &[&str] = &[
    "a",
    "an",
    "the",
    "his",
    "her",
    "their",
    "its",
    "'s",
    "this",
    "that",
    "first",
    "official",
    "state",
    "working",
    "two-day",
    "three-day",
    "one-day",
    "four-day",
    "five-day",
    "planned",
    "upcoming",
    "recent",
    "last",
    "latest",
    "previous",
    "our",
    "my",
    "your",
    "during",
    "whose",
    "weekend",
    "brief",
    "historic",
    "surprise",
    "rare",
    "such",
    "any",
    "no",
    "every",
    "second",
    "next",
];

/// Real words one slip away from a trigger word (`tools/gen_typo_stoplist.py`).
const TYPO_STOPLIST: &str = include_str!("../../../data/typo_stoplist.txt");
/// Shortest trigger word whose misspellings are forgiven: shorter words have too many real
/// neighbours ("met" → "me", "set").
const TYPO_MIN_LEN: usize = 7;

/// Misspelt opening words ("visted", "vistied") → the trigger word they stand for: one dropped
/// letter or two swapped neighbours, at least six letters, not a real word, not two triggers.
fn typos() -> &'static crate::FastMap<String, &'static str> {
    static INDEX: OnceLock<crate::FastMap<String, &'static str>> = OnceLock::new();
    INDEX.get_or_init(|| {
        let stop: crate::FastSet<&str> = TYPO_STOPLIST.lines().filter(|l| !l.starts_with('#')).collect();
        let by_first = first_words();
        let mut index: crate::FastMap<String, Option<&'static str>> = crate::FastMap::default();
        for &word in by_first
            .keys()
            .filter(|w| w.len() >= TYPO_MIN_LEN && w.is_ascii())
        {
            for slip in slips(word) {
                if !by_first.contains_key(slip.as_str()) && !stop.contains(slip.as_str()) {
                    index
                        .entry(slip)
                        .and_modify(|w| *w = w.filter(|w| *w == word))
                        .or_insert(Some(word));
                }
            }
        }
        index.into_iter().filter_map(|(k, w)| Some((k, w?))).collect()
    })
}

fn slips(word: &str) -> Vec<String> {
    let b = word.as_bytes();
    let dropped = (0..b.len()).map(|i| [&b[..i], &b[i + 1..]].concat());
    let swapped = (0..b.len() - 1).filter(|&i| b[i] != b[i + 1]).map(|i| {
        let mut s = b.to_vec();
        s.swap(i, i + 1);
        s
    });
    dropped
        .chain(swapped)
        .filter_map(|s| String::from_utf8(s).ok())
        .collect()
}

/// The lexicon entries a token can open: by its word, or, for a lower-case word the lexicon
/// does not know, by the trigger word it misspells.
fn openers(tok: &Token) -> Option<(&'static [usize], bool)> {
    let by_first = first_words();
    if let Some(defs) = by_first.get(tok.lower()) {
        return Some((defs, false));
    }
    if tok.cap || tok.lower().len() < TYPO_MIN_LEN - 1 {
        return None;
    }
    let word = typos().get(tok.lower())?;
    by_first.get(word).map(|defs| (defs.as_slice(), true))
}

/// Finds the triggers of a sentence; overlapping hits keep the longest, then the earliest.
pub(crate) fn find(toks: &[Token]) -> Vec<TriggerHit> {
    let lex = lexicon();
    let mut hits: Vec<TriggerHit> = Vec::new();
    for first in 0..toks.len() {
        let Some((defs, misspelt)) = openers(&toks[first]) else {
            continue;
        };
        for &def in defs {
            let elements = &lex[def].elements;
            let last = if misspelt {
                // The opening word matched through its spelling; check the rest.
                let noun = matches!(elements.first(), Some(Element::Words(_, true)))
                    && first > 0
                    && NOUN_MARKERS.contains(&toks[first - 1].lower());
                (!noun).then(|| match_at(elements, toks, first + 1, 1)).flatten()
            } else {
                match_at(elements, toks, first, 0)
            };
            if let Some(last) = last {
                hits.push(TriggerHit { def, first, last });
            }
        }
    }
    hits.sort_by_key(|h| (h.first, std::cmp::Reverse(h.last)));
    let mut kept: Vec<TriggerHit> = Vec::new();
    for h in hits {
        let overlaps = kept.iter().any(|k| h.first < k.last && k.first < h.last);
        let longer = kept
            .iter()
            .position(|k| h.first < k.last && k.first < h.last && h.last - h.first > k.last - k.first);
        match (overlaps, longer) {
            (false, _) => kept.push(h),
            (true, Some(i))
                if kept
                    .iter()
                    .filter(|k| h.first < k.last && k.first < h.last)
                    .count()
                    == 1 =>
            {
                kept[i] = h
            }
            _ => {}
        }
    }
    kept
}

fn match_at(elements: &[Element], toks: &[Token], at: usize, e: usize) -> Option<usize> {
    let Some(element) = elements.get(e) else {
        return Some(at);
    };
    match element {
        Element::Skip(n) | Element::SkipPlain(n) => (0..=*n).find_map(|k| {
            let skipped = &toks.get(at..at + k)?;
            let plain =
                |t: &Token| !matches!(element, Element::SkipPlain(_)) || !EVENT_NOUNS.contains(&t.lower());
            let words = skipped
                .iter()
                .all(|t| (t.kind != TokKind::Punct || t.lower() == "-") && plain(t));
            if words {
                match_at(elements, toks, at + k, e + 1)
            } else {
                None
            }
        }),
        Element::Words(words, verb_only) => {
            let tok = toks.get(at)?;
            if !words.contains(&tok.lower()) {
                return None;
            }
            if *verb_only && at > 0 && NOUN_MARKERS.contains(&toks[at - 1].lower()) {
                return None;
            }
            match_at(elements, toks, at + 1, e + 1)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tokens;

    fn kinds(text: &str) -> Vec<(EventKind, String)> {
        let toks = tokens(text, 0, text.len());
        find(&toks)
            .into_iter()
            .map(|h| {
                (
                    lexicon()[h.def].kind,
                    text[toks[h.first].start..toks[h.last - 1].end].to_owned(),
                )
            })
            .collect()
    }

    #[test]
    fn one_slip_in_a_long_trigger_word_is_forgiven_but_real_words_are_not() {
        assert_eq!(kinds("He also visted Gabon")[0].0, EventKind::Visit);
        assert_eq!(kinds("Zarif disucssed trade with Pompeo")[0].0, EventKind::Talks);
        // Real words next to a trigger word, short words and capitalized names stay as they are.
        for text in [
            "He kept saying so",
            "She was seeing friends",
            "meting out punishment",
            "Jimmy Carter spoke",
            "He visted",
        ] {
            let found = kinds(text);
            assert!(
                text == "He visted" && found.len() == 1 || found.is_empty(),
                "{text}: {found:?}"
            );
        }
        assert!(kinds("He mt Putin").is_empty());
        assert!(kinds("Visted Gabon").is_empty());
    }

    #[test]
    fn verbs_and_governed_nouns_trigger() {
        assert_eq!(
            kinds("Zarif made a one-day visit to the Iraqi cities")[0].0,
            EventKind::Visit
        );
        assert_eq!(kinds("he met with Khamenei")[0].0, EventKind::Meet);
        assert_eq!(
            kinds("we have had fruitful talks with the Russian")[0].0,
            EventKind::Talks
        );
        assert_eq!(kinds("they spoke by telephone with")[0].0, EventKind::PhoneCall);
        assert_eq!(
            kinds("signed a debt rescheduling agreement")[0].0,
            EventKind::Agreement
        );
        assert_eq!(
            kinds("We hope to boost our cooperation with")[0].0,
            EventKind::IntentToCooperate
        );
    }

    #[test]
    fn nouns_without_a_governing_verb_do_not_trigger() {
        assert!(kinds("Kadhimi's visit to Tehran will serve as a milestone").is_empty());
        assert!(kinds("for a two-day visit to discuss").is_empty());
    }

    #[test]
    fn fixed_modalities_come_from_the_words() {
        let toks = tokens("he called off a planned trip to", 0, 31);
        let hit = find(&toks)[0];
        assert_eq!(lexicon()[hit.def].modality, Some(Modality::Cancelled));
    }
}
