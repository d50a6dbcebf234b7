//! The pipeline: article → sentences → mentions → frames → dated events, sentence by sentence
//! with the article's context (who is salient, which countries are in play, who is speaking).

use chrono::{Datelike, NaiveDate};
use diplograph_core::{ArticleMeta, EXTRACTOR_VERSION, Extraction, Warning, text_hash};

use crate::article::{ArticleInput, Header, parse_header};
use crate::assemble::{Assembler, SentenceFacts};
use crate::dates;
use crate::frames::{self, View};
use crate::gazetteer::{Entry, Gazetteer};
use crate::mentions::{self, Context, Mention, What};
use crate::segment::{self, Token};
use crate::triggers;
use crate::{IngestError, MAX_SENTENCES};

/// The extractor: compiled dictionaries plus the pipeline. Build once, share freely.
pub struct Extractor {
    gaz: Gazetteer,
}

impl Extractor {
    /// Compiles the embedded gazetteer (about a second in a debug build, far less in release).
    pub fn new() -> Result<Self, IngestError> {
        Ok(Self {
            gaz: Gazetteer::embedded()?,
        })
    }

    /// Extracts people, countries, places and dated events from one article. Never fails: what
    /// cannot be read becomes a warning.
    pub fn extract(&self, input: &ArticleInput) -> Extraction {
        let text = input.text.as_str();
        let header = parse_header(text);
        let published = input.published.or(header.published);
        let reference = reference_date(published, &header);
        // The dateline city is looked up once: it gives the home country and the day's venue.
        let dateline = self.dateline_entry(text, &header);
        let dateline_place = match dateline {
            Some(Entry::Place(p)) => Some(p),
            _ => None,
        };
        let home_country = match dateline {
            Some(Entry::Place(p)) => Some(self.gaz.places[p].country),
            Some(Entry::Country(c)) => Some(c),
            _ => None,
        }
        .map(|c| crate::gazetteer::in_era(c, reference));
        let mut warnings = Vec::new();
        if published.is_none() {
            warnings.push(Warning {
                code: "no_published_date".into(),
                message: "no publication date: relative dates stay unresolved".into(),
                sentence: None,
            });
        }
        let article = ArticleMeta {
            url: input.url.clone(),
            title: input.title.clone(),
            published: published.map(diplograph_core::DatePoint::Day),
            source: input.source.clone(),
            dateline: header.dateline.clone(),
            home_country,
            text_hash: text_hash(text),
            text_bytes: text.len(),
            extractor: EXTRACTOR_VERSION.to_owned(),
        };
        let mut ctx = Context::new(&self.gaz, home_country, reference);
        let mut asm = Assembler::new(&self.gaz, text, reference, dateline_place);
        let mut in_quote = false;
        let relaxed = self.gaz.lowercase_names(text);
        ctx.relaxed = relaxed;
        for (n, sentence) in segment::sentences(text, header.body_start)
            .into_iter()
            .enumerate()
        {
            if n >= MAX_SENTENCES {
                warnings.push(Warning {
                    code: "too_many_sentences".into(),
                    message: format!("only the first {MAX_SENTENCES} sentences were read"),
                    sentence: Some(sentence.index),
                });
                break;
            }
            let toks = segment::tokens(text, sentence.start, sentence.end);
            let skip = if n == 0 { header.lead_start } else { 0 };
            let toks: Vec<Token> = toks.into_iter().filter(|t| t.start >= skip).collect();
            let quoted = quote_mask(&toks, &mut in_quote);
            let hits = self.gaz.hits(text, &toks, relaxed);
            let found = mentions::find(&mut ctx, text, &toks, &hits, &quoted);
            let speaker = speaker(&ctx, &toks, &found, &quoted);
            if speaker.is_some() {
                ctx.speaker = speaker;
            }
            let view = View {
                toks: &toks,
                mentions: &found,
                quoted: &quoted,
                speaker: ctx.speaker,
            };
            let frames = frames::read(&view, &triggers::find(&toks));
            let facts = SentenceFacts {
                sentence: &sentence,
                view: &view,
                dates: dates::find(&toks),
                lead: n == 0,
            };
            asm.add(&ctx, &facts, frames);
            if let Some(p) = salient(&view) {
                ctx.salient = Some(p);
            }
        }
        let (entities, events) = asm.finish(&ctx);
        Extraction {
            article,
            entities,
            events,
            warnings,
        }
    }

    fn dateline_entry(&self, text: &str, header: &Header) -> Option<Entry> {
        let (s, e) = header.dateline_span?;
        let toks = segment::tokens(text, s, e);
        self.gaz
            .hits(text, &toks, true)
            .into_iter()
            .find(|h| h.first == 0)
            .map(|h| h.entry)
    }
}

/// The day relative dates count from: the dateline's day when it is within a few days of the
/// publication date (wire stories are stamped in GMT), else the publication date.
fn reference_date(published: Option<NaiveDate>, header: &Header) -> Option<NaiveDate> {
    let published = published?;
    let Some((m, d)) = header.dateline_month_day else {
        return Some(published);
    };
    [published.year(), published.year() - 1, published.year() + 1]
        .into_iter()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, m, d))
        .find(|date| (*date - published).num_days().abs() <= 3)
        .or(Some(published))
}

/// Marks the tokens inside quotation marks; a quote may run on into the next sentence.
fn quote_mask(toks: &[Token], in_quote: &mut bool) -> Vec<bool> {
    let mut out = Vec::with_capacity(toks.len());
    let straight = toks.iter().filter(|t| t.lower() == "\"").count();
    if straight % 2 == 1 && toks.first().is_some_and(|t| t.lower() != "\"") && !*in_quote {
        // An odd straight quote that does not open the sentence: a quote closing from before.
        *in_quote = true;
    }
    for t in toks {
        match t.lower() {
            "“" => {
                *in_quote = true;
                out.push(true);
            }
            "”" => {
                out.push(true);
                *in_quote = false;
            }
            "\"" => {
                out.push(true);
                *in_quote = !*in_quote;
            }
            _ => out.push(*in_quote),
        }
    }
    out
}

const SAY: &[&str] = &[
    "said",
    "says",
    "told",
    "added",
    "remarked",
    "stated",
    "noted",
    "stressed",
    "declared",
    "explained",
    "asserted",
    "continued",
    "insisted",
    "according",
    "quoted",
];

/// The speaker of a sentence's quote: the actor next to a verb of saying outside the quote.
fn speaker(ctx: &Context, toks: &[Token], found: &[Mention], quoted: &[bool]) -> Option<What> {
    if !quoted.iter().any(|q| *q) {
        return None;
    }
    let say = (0..toks.len()).find(|&i| !quoted[i] && SAY.contains(&toks[i].lower()))?;
    let near = |m: &&Mention| !quoted.get(m.first).copied().unwrap_or(true) && !m.possessive;
    let before = found
        .iter()
        .filter(near)
        .rfind(|m| m.last <= say && say - m.last <= 1);
    let after = found
        .iter()
        .filter(near)
        .find(|m| m.first > say && m.first - say <= 2);
    let who = before.or(after)?.what;
    Some(match who {
        What::Person(p) => ctx.registry.people[p].country.map(What::Country).unwrap_or(who),
        What::Country(_) | What::Org(_) => who,
        What::Group { country: Some(c), .. } => What::Country(c),
        _ => return None,
    })
}

/// The person a following "he" most likely means: the first person of the main clause.
fn salient(view: &View) -> Option<usize> {
    let persons = || {
        view.mentions.iter().filter(|m| {
            matches!(m.what, What::Person(_)) && !view.quoted.get(m.first).copied().unwrap_or(false)
        })
    };
    let intro = intro_comma(view.toks);
    let pick = persons()
        .find(|m| m.first >= intro && !m.possessive)
        .or_else(|| persons().next())?;
    match pick.what {
        What::Person(p) => Some(p),
        _ => None,
    }
}

fn intro_comma(toks: &[Token]) -> usize {
    const PREPS: &[&str] = &[
        "at",
        "in",
        "during",
        "after",
        "before",
        "following",
        "with",
        "amid",
        "on",
    ];
    if !toks.first().is_some_and(|t| PREPS.contains(&t.lower())) {
        return 0;
    }
    toks.iter().position(|t| t.is(",")).map(|k| k + 1).unwrap_or(0)
}
