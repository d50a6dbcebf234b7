//! Stage 2 — sentences and tokens with byte offsets into the text as received.
//!
//! Sentences end at `.`, `!` or `?` (plus closing quotes) before an upper-case start, and at
//! paragraph breaks; abbreviations ("Mr.", "Jan.", "U.S.") do not end a sentence. A run of text
//! longer than [`MAX_SENTENCE_BYTES`] without an end is cut at a space into pieces no longer
//! than that, so the work per sentence (superlinear in its length) stays bounded and the
//! extractor runs in time linear in the text, whatever the text.

/// Longest sentence, in bytes (news sentences are a few hundred); longer runs are cut.
pub(crate) const MAX_SENTENCE_BYTES: usize = 1_000;

/// How far back a word before a dot is read to tell an abbreviation (bytes).
const MAX_WORD_BYTES: usize = 64;

/// A sentence: index among the body's sentences and its byte range.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Sentence {
    pub(crate) index: u32,
    pub(crate) start: usize,
    pub(crate) end: usize,
}

/// What a token is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum TokKind {
    Word,
    Number,
    Punct,
}

/// A token with its byte range in the whole text.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Token {
    pub(crate) start: usize,
    pub(crate) end: usize,
    pub(crate) kind: TokKind,
    lower: String,
    /// Starts with an upper-case letter.
    pub(crate) cap: bool,
}

impl Token {
    /// Lower-cased text, with typographic apostrophes made plain.
    pub(crate) fn lower(&self) -> &str {
        &self.lower
    }

    /// Whether the token is this word (compare lower-case).
    pub(crate) fn is(&self, word: &str) -> bool {
        self.lower == word
    }
}

const ABBREVIATIONS: &[&str] = &[
    "mr", "mrs", "ms", "dr", "gen", "sen", "rep", "gov", "lt", "col", "capt", "maj", "sgt", "st", "jan",
    "feb", "mar", "apr", "jun", "jul", "aug", "sep", "sept", "oct", "nov", "dec", "inc", "corp", "co", "ltd",
    "no", "vs", "prof", "rev", "adm", "cmdr", "brig", "ft", "mt", "jr", "sr", "gens", "messrs",
];

/// Splits `text[body_start..]` into sentences.
pub(crate) fn sentences(text: &str, body_start: usize) -> Vec<Sentence> {
    let mut out = Vec::new();
    let bytes = text.as_bytes();
    let mut start = body_start;
    let mut i = body_start;
    while i < bytes.len() {
        let b = bytes[i];
        if b == b'\n' && paragraph_break(text, i) {
            push(&mut out, text, start, i);
            start = i + 1;
        } else if matches!(b, b'.' | b'!' | b'?') && !is_abbreviation(text, i) {
            let mut end = i + 1;
            while let Some(c) = text[end..].chars().next().filter(|c| is_closer(*c)) {
                end += c.len_utf8();
            }
            if starts_new_sentence(text, end) {
                push(&mut out, text, start, end);
                start = end;
                i = end;
                continue;
            }
        }
        i += 1;
    }
    push(&mut out, text, start, text.len());
    out
}

/// Adds `text[start..end]` as one sentence, or as several when it is too long.
fn push(out: &mut Vec<Sentence>, text: &str, mut start: usize, end: usize) {
    while end - start > MAX_SENTENCE_BYTES {
        let cut = cut_point(text, start, start + MAX_SENTENCE_BYTES);
        push_one(out, text, start, cut);
        start = cut;
    }
    push_one(out, text, start, end);
}

/// Where to cut a run that starts at `start` and may not reach past `limit`: its last space
/// (not its first character), else the last char boundary.
fn cut_point(text: &str, start: usize, mut limit: usize) -> usize {
    while !text.is_char_boundary(limit) {
        limit -= 1;
    }
    match text[start..limit].rfind(char::is_whitespace) {
        Some(i) if i > 0 => start + i,
        _ => limit,
    }
}

fn push_one(out: &mut Vec<Sentence>, text: &str, start: usize, end: usize) {
    let slice = &text[start..end];
    let lead = slice.len() - slice.trim_start().len();
    let trail = slice.len() - slice.trim_end().len();
    if lead + trail >= slice.len() {
        return;
    }
    let index = out.len() as u32;
    out.push(Sentence {
        index,
        start: start + lead,
        end: end - trail,
    });
}

fn is_closer(c: char) -> bool {
    matches!(c, '"' | '\'' | '”' | '’' | ')' | ']' | '»')
}

/// A blank line, or a line break followed by an indent of two or more spaces (wire copy).
fn paragraph_break(text: &str, nl: usize) -> bool {
    let rest = &text[nl + 1..];
    let indent = rest.len() - rest.trim_start_matches([' ', '\t', '\r']).len();
    rest[indent..].starts_with('\n') || indent >= 2 || rest.trim().is_empty()
}

fn starts_new_sentence(text: &str, end: usize) -> bool {
    let rest = &text[end..];
    let trimmed = rest.trim_start();
    if trimmed.len() == rest.len() {
        return rest.is_empty();
    }
    match trimmed.chars().next() {
        None => true,
        Some(c) => c.is_uppercase() || c.is_ascii_digit() || matches!(c, '"' | '“' | '‘' | '\'' | '(' | '['),
    }
}

/// The word before the dot at `dot` is an abbreviation, an initial or a dotted acronym.
fn is_abbreviation(text: &str, dot: usize) -> bool {
    if text.as_bytes()[dot] != b'.' {
        return false;
    }
    let before = &text[..dot];
    let word_start = before
        .char_indices()
        .rev()
        .take_while(|(i, c)| dot - i <= MAX_WORD_BYTES && (c.is_alphanumeric() || *c == '.'))
        .last()
        .map(|(i, _)| i)
        .unwrap_or(dot);
    let word = &before[word_start..];
    if word.is_empty() {
        return false;
    }
    if word.contains('.') {
        return true; // U.S. / U.N. / U.S.S.R.
    }
    let mut chars = word.chars();
    if let (Some(c), None) = (chars.next(), chars.next()) {
        return c.is_uppercase(); // an initial: "George W. Bush"
    }
    ABBREVIATIONS.contains(&word.to_ascii_lowercase().as_str())
}

/// Tokenizes `text[start..end]`; offsets are into the whole text.
pub(crate) fn tokens(text: &str, start: usize, end: usize) -> Vec<Token> {
    let s = &text[start..end];
    let chars: Vec<(usize, char)> = s.char_indices().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let (off, c) = chars[i];
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let j = if c.is_alphanumeric() {
            word_end(&chars, i)
        } else if matches!(c, '\'' | '’') && is_possessive_s(&chars, i + 1) {
            i + 2
        } else {
            i + 1
        };
        let end_off = chars.get(j).map(|(o, _)| *o).unwrap_or(s.len());
        out.push(make_token(&s[off..end_off], start + off, start + end_off));
        i = j;
    }
    out
}

fn word_end(chars: &[(usize, char)], i: usize) -> usize {
    let numeric = chars[i].1.is_ascii_digit();
    let alnum = |k: usize| chars.get(k).is_some_and(|(_, c)| c.is_alphanumeric());
    let mut j = i;
    loop {
        while alnum(j) {
            j += 1;
        }
        let Some(&(_, c)) = chars.get(j) else { return j };
        let joins = match c {
            '-' | '&' => alnum(j + 1) && !numeric,
            '\'' | '’' => alnum(j + 1) && !is_possessive_s(chars, j + 1),
            ',' | '.' if numeric => chars.get(j + 1).is_some_and(|(_, d)| d.is_ascii_digit()),
            '.' => dotted_acronym(chars, i, j),
            _ => false,
        };
        if !joins {
            return j;
        }
        j += 1;
        if c == '.' && !alnum(j) {
            return j; // the final dot of "U.S."
        }
    }
}

fn is_possessive_s(chars: &[(usize, char)], k: usize) -> bool {
    chars.get(k).is_some_and(|(_, c)| *c == 's' || *c == 'S')
        && !chars.get(k + 1).is_some_and(|(_, c)| c.is_alphanumeric())
}

/// "U.S", "U.S.S.R": single letters separated by dots.
fn dotted_acronym(chars: &[(usize, char)], i: usize, j: usize) -> bool {
    let single = j - i == 1 || chars[i..j].iter().all(|(_, c)| c.is_uppercase() || *c == '.');
    let next_is_letter_dot = chars.get(j + 1).is_some_and(|(_, c)| c.is_uppercase())
        && chars.get(j + 2).is_none_or(|(_, c)| !c.is_alphanumeric());
    let seen_dot = chars[i..j].iter().any(|(_, c)| *c == '.');
    chars[i].1.is_uppercase() && single && (next_is_letter_dot || seen_dot)
}

fn make_token(raw: &str, start: usize, end: usize) -> Token {
    let first = raw.chars().next().unwrap_or(' ');
    let kind = if first.is_ascii_digit() {
        TokKind::Number
    } else if first.is_alphanumeric() {
        TokKind::Word
    } else {
        TokKind::Punct
    };
    let lower = if raw.bytes().all(|b| b.is_ascii() && !b.is_ascii_uppercase()) {
        raw.to_owned()
    } else if raw.contains('’') {
        raw.to_lowercase().replace('’', "'")
    } else {
        raw.to_lowercase()
    };
    Token {
        start,
        end,
        kind,
        lower,
        cap: first.is_uppercase(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn split(text: &str) -> Vec<&str> {
        sentences(text, 0).iter().map(|s| &text[s.start..s.end]).collect()
    }

    fn toks(text: &str) -> Vec<&str> {
        tokens(text, 0, text.len())
            .iter()
            .map(|t| &text[t.start..t.end])
            .collect()
    }

    #[test]
    fn runs_longer_than_a_sentence_are_cut_at_spaces() {
        // Found by measuring the fuzz corpus grown large: 50 KB without a sentence end took 19 s.
        let text = "on March 4 Iran met Iraq on Tuesday and ".repeat(2_000);
        let parts = split(&text);
        assert!(parts.len() >= text.len() / MAX_SENTENCE_BYTES, "{}", parts.len());
        for part in &parts {
            assert!(part.len() <= MAX_SENTENCE_BYTES, "{}", part.len());
            assert!(!part.starts_with(' ') && !part.ends_with(' '));
        }
        assert_eq!(
            parts.concat().replace(' ', ""),
            text.replace(' ', ""),
            "nothing is lost"
        );
        // No space at all: cut at a char boundary.
        let wide = "é".repeat(1_500);
        let parts = split(&wide);
        assert_eq!(parts.len(), 3);
        assert!(parts.iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        assert_eq!(parts.concat(), wide);
    }

    #[test]
    fn a_long_dotted_run_is_read_in_linear_time() {
        let text = "a.".repeat(200_000);
        assert!(split(&text).iter().all(|p| p.len() <= MAX_SENTENCE_BYTES));
        assert!(
            is_abbreviation("in the U.S.", 10),
            "short words are still read whole"
        );
    }

    #[test]
    fn abbreviations_do_not_end_sentences() {
        let text = "Mr. Smith met Gen. Jones on Jan. 9 in the U.S. Capitol. He left. George W. Bush came.";
        assert_eq!(split(text).len(), 3);
    }

    #[test]
    fn quotes_and_paragraphs_end_sentences() {
        let text = "“We hope so.” Rouhani said.\n\nThe president\nhailed it.\n    Next paragraph";
        assert_eq!(
            split(text),
            vec![
                "“We hope so.”",
                "Rouhani said.",
                "The president\nhailed it.",
                "Next paragraph"
            ]
        );
    }

    #[test]
    fn tokens_keep_names_acronyms_and_possessives() {
        assert_eq!(
            toks("Iraqi al-Kadhimi’s U.S. visit"),
            vec!["Iraqi", "al-Kadhimi", "’s", "U.S.", "visit"]
        );
        assert_eq!(
            toks("$20 million, 1,000."),
            vec!["$", "20", "million", ",", "1,000", "."]
        );
        assert_eq!(
            toks("O'Brien's one-day trip"),
            vec!["O'Brien", "'s", "one-day", "trip"]
        );
        assert_eq!(toks("the U.S."), vec!["the", "U.S."]);
    }

    #[test]
    fn offsets_point_into_the_original_text() {
        let text = "  date x. Zarif, Iran’s minister.";
        for t in tokens(text, 2, text.len()) {
            assert!(text.is_char_boundary(t.start) && text.is_char_boundary(t.end));
        }
    }
}
