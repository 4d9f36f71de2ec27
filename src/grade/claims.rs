//! An answer read as claims, the way an interviewer listens: points (a line, or
//! a paragraph that wraps), sentences, clauses, and the stance of every word.
//!
//! A clause is the unit that earns evidence. Its words are *asserted* unless a
//! cue says otherwise, and a cue governs only what it covers:
//!
//! - *negated*: "we will not use X", "retries are not safe" (the whole clause);
//!   "no X", "without X", "none of X" (the phrase after the cue);
//! - *rejected*: "instead of X", "rather than X", "avoid X" (the phrase after
//!   the cue); "X would be a bottleneck", "the classic mistake is X", "X is a
//!   bad idea" (the whole clause);
//! - *questioned*: a sentence that ends in `?` (a question to the interviewer);
//! - *conditional*: "if X, ...", "unless X", "fall back to X" (the condition,
//!   not the consequence: in "if the PSP times out we retry the charge", the
//!   retry is asserted);
//! - *described*: a clause in a rubric's voice, about what an answer does
//!   rather than what the design does ("Explains that a 301 is cached...",
//!   "Names the first bottleneck"): a description of an answer is not one.
//!
//! In "instead of floats we store integer cents", floats are rejected and
//! integer cents asserted. A rubric phrase that contains its own cue ("no
//! single point of failure", "out of scope") is not turned around by it.

use super::word_lists as lists;
use super::words::{Fnv, Form, Token, WordIndex, fold, tokenize};
use crate::bank::PhaseId;
use std::collections::{HashMap, HashSet};
use std::ops::Range;
use std::sync::OnceLock;
use unicode_segmentation::UnicodeSegmentation;

crate::wire::wire_enum! {
    /// How a clause holds a word: only asserted words earn evidence or raise flags.
    pub(crate) enum Stance {
        Asserted = "asserted", "asserted";
        Negated = "negated", "negated";
        Rejected = "rejected", "rejected";
        Questioned = "questioned", "questioned";
        Conditional = "conditional", "conditional";
        Described = "described", "described";
    }
}

/// No cue: the word is asserted, or questioned with its whole sentence.
const NO_CUE: u32 = u32::MAX;

/// How a token is held, and by which cue (a token index), so that a rubric
/// phrase containing its own cue is not turned around by it.
#[derive(Debug, Clone, Copy)]
struct Hold {
    stance: Stance,
    cue: u32,
}

const ASSERTED: Hold = Hold {
    stance: Stance::Asserted,
    cue: NO_CUE,
};

/// A stretch of a phase's text that makes one claim.
#[derive(Debug, Clone)]
pub(crate) struct Clause {
    /// Index into [`Reading::phases`].
    pub phase: usize,
    pub sentence: usize,
    pub tokens: Range<usize>,
    /// Byte range in the phase's text.
    pub span: Range<usize>,
}

/// One line typed, or one paragraph of a file.
#[derive(Debug, Clone)]
pub(crate) struct Point {
    pub phase: usize,
    pub tokens: Range<usize>,
}

/// A phase's text as written.
#[derive(Debug, Clone)]
pub(crate) struct PhaseText {
    pub phase: PhaseId,
    pub text: String,
}

/// How the lines of a text were written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Lines {
    /// Typed in a session: every line is a point.
    Typed,
    /// Written in a file: a line that continues a sentence joins it.
    Wrapped,
}

/// An answer, read.
#[derive(Debug, Default)]
pub(crate) struct Reading {
    pub phases: Vec<PhaseText>,
    pub tokens: Vec<Token>,
    holds: Vec<Hold>,
    /// The clause of each token.
    clause_of: Vec<u32>,
    pub clauses: Vec<Clause>,
    pub points: Vec<Point>,
    sentences: usize,
    index: WordIndex,
}

impl Reading {
    /// Reads the phases' texts, in the order given.
    pub(crate) fn new<'a>(
        texts: impl IntoIterator<Item = (PhaseId, &'a str)>,
        lines: Lines,
    ) -> Reading {
        let mut reading = Reading::default();
        for (phase, text) in texts {
            reading.read_phase(phase, text, lines);
        }
        reading.index = WordIndex::new(&reading.tokens);
        reading
    }

    fn read_phase(&mut self, phase: PhaseId, text: &str, lines: Lines) {
        let p = self.phases.len();
        self.phases.push(PhaseText {
            phase,
            text: text.to_string(),
        });
        // What an "Out of scope:" heading passes to the bullets under it.
        let mut carried: Option<Hold> = None;
        for span in points(text, lines) {
            let first = self.tokens.len();
            let mut tokens = Vec::new();
            tokenize(&text[span.clone()], &mut tokens);
            if tokens.is_empty() {
                continue;
            }
            for t in &mut tokens {
                t.start += span.start;
                t.end += span.start;
            }
            if !starts_with_bullet(&text[span.clone()]) {
                carried = None;
            }
            let mut heading = None;
            for sentence in sentences(text, span.clone()) {
                let from = tokens.partition_point(|t| t.start < sentence.start);
                let to = tokens.partition_point(|t| t.start < sentence.end);
                if from < to {
                    let question = ends_with_question(&text[sentence.clone()]);
                    heading = self.read_sentence(
                        text,
                        &tokens[from..to],
                        (p, first + from),
                        question,
                        carried,
                    );
                }
            }
            self.tokens.extend(tokens);
            self.points.push(Point {
                phase: p,
                tokens: first..self.tokens.len(),
            });
            if heading.is_some() {
                carried = heading;
            }
        }
    }

    /// Splits one sentence into clauses and decides the stance of each token.
    /// Returns the stance an "Out of scope:" heading passes to the lines after.
    fn read_sentence(
        &mut self,
        text: &str,
        tokens: &[Token],
        (phase, base): (usize, usize),
        question: bool,
        carried: Option<Hold>,
    ) -> Option<Hold> {
        let lex = lexicon();
        let gaps: Vec<&str> = (0..tokens.len())
            .map(|k| {
                if k == 0 {
                    ""
                } else {
                    &text[tokens[k - 1].end..tokens[k].start]
                }
            })
            .collect();
        // Clause boundaries, and which clauses end in a colon.
        let mut bounds = vec![0];
        let mut colon_ended = Vec::new();
        // Clauses that start after a semicolon: an "Out of scope:" list ends there.
        let mut after_semicolon = Vec::new();
        for (k, gap) in gaps.iter().enumerate().skip(1) {
            let colon = is_colon(gap);
            if colon {
                colon_ended.push(bounds.len() - 1);
            }
            if colon || splits(gap, tokens, k, lex) {
                if gap.contains(';') {
                    after_semicolon.push(bounds.len());
                }
                bounds.push(k);
            }
        }
        bounds.push(tokens.len());
        let sentence = self.sentences;
        self.sentences += 1;
        let mut pass = carried;
        for (c, w) in bounds.windows(2).enumerate() {
            let (from, to) = (w[0], w[1]);
            let words = &tokens[from..to];
            if after_semicolon.contains(&c) {
                pass = None;
            }
            let mut holds = if question {
                vec![
                    Hold {
                        stance: Stance::Questioned,
                        cue: NO_CUE,
                    };
                    words.len()
                ]
            } else if describes_an_answer(words, text, lex) {
                vec![
                    Hold {
                        stance: Stance::Described,
                        cue: NO_CUE,
                    };
                    words.len()
                ]
            } else {
                stances(words, &gaps[from..to], base + from, lex)
            };
            if let Some(h) = pass {
                for hold in holds.iter_mut().filter(|h| h.stance == Stance::Asserted) {
                    *hold = h;
                }
            }
            // A clause that ends in a colon and excludes ("Out of scope:",
            // "Not doing:") passes its stance to the clauses after it.
            if colon_ended.contains(&c)
                && let Some(h) = excluding(&holds)
                && names_no_choice(words, &holds, lex)
            {
                pass = Some(h);
            }
            let index = self.clauses.len() as u32;
            self.clauses.push(Clause {
                phase,
                sentence,
                tokens: base + from..base + to,
                span: words[0].start..words[words.len() - 1].end,
            });
            self.holds.extend(holds);
            self.clause_of
                .extend(std::iter::repeat_n(index, words.len()));
        }
        // A sentence that is only a heading ("Out of scope:") passes on.
        let last = &tokens[tokens.len() - 1];
        let heading = bounds.len() == 2 && text[last.end..].trim_start().starts_with(':');
        let holds = &self.holds[base..base + tokens.len()];
        if heading && names_no_choice(tokens, holds, lex) {
            excluding(holds)
        } else {
            None
        }
    }

    /// The first clause of each question to the interviewer in a phase.
    pub(crate) fn questions(&self, phase: PhaseId) -> Vec<usize> {
        let mut out: Vec<usize> = Vec::new();
        for (i, c) in self.clauses.iter().enumerate() {
            let asked = self.holds[c.tokens.start].stance == Stance::Questioned;
            let new_sentence = out
                .last()
                .is_none_or(|&last| self.clauses[last].sentence != c.sentence);
            if asked && new_sentence && self.phases[c.phase].phase == phase {
                out.push(i);
            }
        }
        out
    }

    /// The clause a token belongs to.
    pub(crate) fn clause_of(&self, token: usize) -> usize {
        self.clause_of[token] as usize
    }

    /// The stance of the words `first..=last` taken together: a cue inside
    /// the span does not turn the span around ("no single point of failure").
    pub(crate) fn stance(&self, first: usize, last: usize) -> Stance {
        let inside = |cue: u32| cue != NO_CUE && (first..=last).contains(&(cue as usize));
        let mut out = Stance::Asserted;
        for h in &self.holds[first..=last] {
            if h.stance == Stance::Questioned {
                return Stance::Questioned;
            }
            if h.stance != Stance::Asserted && !inside(h.cue) && out == Stance::Asserted {
                out = h.stance;
            }
        }
        out
    }

    /// Whether `phrase` can match anywhere (see [`WordIndex::check`]).
    pub(crate) fn check<'p>(&self, phrase: crate::bank::Phrase<'p>) -> super::words::Check<'p> {
        self.index.check(phrase)
    }

    /// Every match of a phrase, as (first, last) token indices, never across
    /// a clause boundary.
    pub(crate) fn find(&self, form: &Form<'_>) -> Vec<(usize, usize)> {
        if form.is_empty() || self.tokens.is_empty() {
            return Vec::new();
        }
        self.index.find(&self.tokens, form, |start| {
            self.clauses[self.clause_of(start)].tokens.end
        })
    }

    /// The clause as written, for quoting.
    pub(crate) fn clause_text(&self, clause: usize) -> &str {
        let c = &self.clauses[clause];
        whole_tokens(&self.phases[c.phase].text, c.span.clone())
    }

    /// The whole sentence a clause is in, as written.
    pub(crate) fn sentence_text(&self, clause: usize) -> &str {
        let c = &self.clauses[clause];
        let same = |o: &&Clause| o.sentence == c.sentence;
        let start = self.clauses.iter().filter(same).map(|o| o.span.start).min();
        let end = self.clauses.iter().filter(same).map(|o| o.span.end).max();
        whole_tokens(
            &self.phases[c.phase].text,
            start.unwrap_or(c.span.start)..end.unwrap_or(c.span.end),
        )
    }

    /// The words `first..=last` as written.
    pub(crate) fn words(&self, first: usize, last: usize) -> &str {
        let phase = &self.phases[self.clauses[self.clause_of(first)].phase];
        &phase.text[self.tokens[first].start..self.tokens[last].end]
    }

    /// The phase a clause is in.
    pub(crate) fn phase_of(&self, clause: usize) -> PhaseId {
        self.phases[self.clauses[clause].phase].phase
    }

    /// True when a word strictly between two tokens relates them (a verb, a
    /// preposition, a connective, an arrow) rather than lists them.
    pub(crate) fn related(&self, after: usize, before: usize) -> bool {
        (after + 1..before).any(|i| self.relates(i))
    }

    /// True when what stands between two terms separates them as in a list:
    /// a comma, a slash, "and", "or" ("Redis, Kafka and Cassandra"). Terms
    /// that merely follow one another ("a CDN caches videos") are prose.
    pub(crate) fn separated(&self, after: usize, before: usize) -> bool {
        let phase = &self.phases[self.clauses[self.clause_of(after)].phase];
        let gap = &phase.text[self.tokens[after].end..self.tokens[before].start];
        gap.contains([',', '/', '|', '&', '+', ';', '\n'])
            || (after + 1..before)
                .any(|i| matches!(&*self.tokens[i].word, "and" | "or" | "plus" | "nor"))
    }

    /// True when token `i` relates terms (a verb, a preposition, a connective).
    pub(crate) fn relates(&self, i: usize) -> bool {
        relates(&self.tokens[i])
    }

    /// True when token `i` makes a claim of the words around it (a verb, an
    /// auxiliary, a subordinator, a negation), not only a place or a link
    /// ("with", "via", "in"): a run of terms joined by prepositions alone is
    /// still a list.
    pub(crate) fn claims_something(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        let lex = lexicon();
        relates(t) && !lex.prepositions.contains(&t.word) && !lex.filler.contains(&t.word)
    }

    /// True when token `i` only strings terms together ("with", "and",
    /// "via", "plus", "we use"): it says nothing of its own.
    pub(crate) fn is_filler(&self, i: usize) -> bool {
        let t = &self.tokens[i];
        t.symbol || lexicon().filler.contains(&t.word)
    }

    /// The folded words of the text: for matching questions to answers.
    pub(crate) fn content_words(&self) -> impl Iterator<Item = &str> {
        self.tokens.iter().filter(|t| !t.symbol).map(|t| &*t.norm)
    }
}

/// The text of `span` widened to whole whitespace-separated tokens, so a
/// quote never stops inside one (`conversations/{id}`, not `conversations/{id`).
/// Closing punctuation that ends a sentence or a clause is left out.
fn whole_tokens(text: &str, span: Range<usize>) -> &str {
    let start = text[..span.start]
        .rfind(char::is_whitespace)
        .map_or(0, |i| {
            i + text[i..].chars().next().map_or(1, char::len_utf8)
        });
    let end = text[span.end..]
        .find(char::is_whitespace)
        .map_or(text.len(), |i| span.end + i);
    text[start..end].trim_end_matches([',', ';', ':', '.'])
}

/// The negating or rejecting hold of a heading, if it has one.
fn excluding(holds: &[Hold]) -> Option<Hold> {
    holds
        .iter()
        .find(|h| h.cue != NO_CUE && matches!(h.stance, Stance::Negated | Stance::Rejected))
        .copied()
}

/// True when a negating heading names no choice of its own, so that what
/// follows its colon is what it excludes: "Out of scope:", "Not doing:",
/// "Things we won't build:". "Not 301: browsers cache it" names the choice it
/// turns down, and what follows the colon is its reason, held as written.
fn names_no_choice(words: &[Token], holds: &[Hold], lex: &Lexicon) -> bool {
    let Some(cue) = holds.iter().map(|h| h.cue).find(|&c| c != NO_CUE) else {
        return false;
    };
    let first = holds.iter().position(|h| h.cue == cue).unwrap_or(0);
    words[first..]
        .iter()
        .all(|t| lex.heading.contains(&t.word) || lex.cue_words.contains(&*t.norm))
}

/// A colon that ends a clause ("Out of scope: X"), not one in a URL or a ratio.
fn is_colon(gap: &str) -> bool {
    gap.contains(':') && !gap.contains("://")
}

/// Byte ranges of the points of a text.
fn points(text: &str, lines: Lines) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut offset = 0;
    let mut open = false;
    for line in text.split_inclusive('\n') {
        let start = offset;
        offset += line.len();
        let body = line.trim();
        if body.is_empty() {
            open = false;
            continue;
        }
        let continues = lines == Lines::Wrapped
            && open
            && !starts_with_bullet(line)
            && out
                .last()
                .is_some_and(|prev| continues_sentence(&text[prev.clone()], body));
        match out.last_mut() {
            Some(prev) if continues => prev.end = offset,
            _ => out.push(start..offset),
        }
        open = true;
    }
    out
}

/// A wrapped line goes on with the sentence of the line before when that line
/// has no closing punctuation and this one starts in lower case, or the line
/// before ends on a word that cannot end a sentence ("reads from").
fn continues_sentence(previous: &str, line: &str) -> bool {
    let prev = previous.trim_end();
    if prev.ends_with(['.', '!', '?', ';', ':']) {
        return false;
    }
    let first = line.chars().next().unwrap_or(' ');
    if first.is_lowercase() || first.is_ascii_digit() || first == '(' {
        return true;
    }
    let last_word = prev
        .rsplit(|c: char| !c.is_alphanumeric())
        .next()
        .unwrap_or("")
        .to_lowercase();
    prev.ends_with(',')
        || matches!(
            last_word.as_str(),
            "a" | "an"
                | "the"
                | "of"
                | "to"
                | "for"
                | "from"
                | "with"
                | "by"
                | "in"
                | "on"
                | "and"
                | "or"
                | "into"
                | "via"
                | "than"
                | "as"
                | "at"
                | "is"
                | "are"
                | "be"
        )
}

fn starts_with_bullet(line: &str) -> bool {
    let body = line.trim_start();
    body.starts_with(['-', '*', '•', '–', '—'])
        || body.split_once(['.', ')']).is_some_and(|(n, _)| {
            !n.is_empty() && n.len() <= 2 && n.chars().all(|c| c.is_ascii_digit())
        })
}

/// Byte ranges of the sentences in `span`: Unicode sentence boundaries, not
/// split after common abbreviations ("e.g. Redis").
fn sentences(text: &str, span: Range<usize>) -> Vec<Range<usize>> {
    let mut out: Vec<Range<usize>> = Vec::new();
    let mut glue = false;
    // A point's lines are one stretch of prose: a line break inside it (a
    // wrapped line) is a space, not the end of a sentence.
    let flat = text[span.clone()].replace(['\n', '\r'], " ");
    let segments: Vec<(usize, &str)> = match super::sentences::ascii_breaks(&flat) {
        Some(breaks) => std::iter::once(0)
            .chain(breaks.iter().copied())
            .zip(breaks.iter().copied().chain(std::iter::once(flat.len())))
            .filter(|(from, to)| from < to)
            .map(|(from, to)| (from, &flat[from..to]))
            .collect(),
        None => flat.split_sentence_bound_indices().collect(),
    };
    for (i, s) in segments {
        let range = span.start + i..span.start + i + s.len();
        match out.last_mut() {
            Some(prev) if glue => prev.end = range.end,
            _ => out.push(range),
        }
        let lower = s.trim_end().to_lowercase();
        // A `?` or `!` with no space after it is inside a token
        // (`/autocomplete?prefix=ab`), not the end of a sentence.
        let inside_token = (s.ends_with(['?', '!'])
            && flat[i + s.len()..]
                .chars()
                .next()
                .is_some_and(|c| !c.is_whitespace()))
            || placeholder_mark(s.trim_end());
        glue = inside_token
            || ["e.g.", "i.e.", "vs.", "etc.", "approx.", "incl.", "cf."]
                .iter()
                .any(|a| lower.ends_with(a));
    }
    // Unicode keeps "lose clicks. 404 for unknown codes" together, since a
    // lower-case word follows the number; a period after a word, then a
    // number, ends a sentence unless the word is an abbreviation ("No. 5").
    let mut split = Vec::with_capacity(out.len());
    for range in out {
        let mut start = range.start;
        let bytes = text.as_bytes();
        for i in range.start + 1..range.end.saturating_sub(2) {
            let ends_word = bytes[i] == b'.' && bytes[i - 1].is_ascii_alphabetic();
            if ends_word
                && bytes[i + 1] == b' '
                && bytes[i + 2].is_ascii_digit()
                && !abbreviation_before(&text[start..i])
            {
                split.push(start..i + 1);
                start = i + 2;
            }
        }
        split.push(start..range.end);
    }
    split
}

/// True when the text ends in a word that takes a number after its period.
fn abbreviation_before(text: &str) -> bool {
    let word = text
        .rsplit(|c: char| !c.is_ascii_alphabetic() && c != '.')
        .next()
        .unwrap_or("")
        .to_ascii_lowercase();
    word.len() <= 1
        || word.contains('.')
        || [
            "no", "nos", "vol", "ch", "fig", "pp", "sec", "eq", "ref", "approx", "ca", "vs", "ver",
            "art", "est", "chap", "pg", "nr", "op", "min", "max", "avg", "incl", "cf",
        ]
        .contains(&word.as_str())
}

fn ends_with_question(sentence: &str) -> bool {
    let end = sentence
        .trim_end()
        .trim_end_matches(['"', '\'', ')', '”', '’']);
    end.ends_with('?') && !placeholder_mark(end)
}

/// A `?` that stands for a value, as in SQL (`WHERE id = ?`, `VALUES (?, ?)`):
/// it follows a space, `=`, `(` or `,` rather than a word.
fn placeholder_mark(text: &str) -> bool {
    let mut chars = text.chars().rev();
    chars.next() == Some('?')
        && chars
            .next()
            .is_some_and(|c| matches!(c, ' ' | '=' | '(' | ','))
}

/// How far a cue reaches.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Reach {
    /// The whole clause.
    Clause,
    /// From the cue to the end of its phrase.
    Forward,
    /// `not`: the whole clause after a verb or a subject ("we will not use X"),
    /// only what follows after a noun ("302 not 301").
    Not,
}

struct Cue {
    /// The cue's words, folded, with whether each is joined to the one before
    /// by a hyphen (`anti-pattern`).
    words: Vec<(String, bool)>,
    stance: Stance,
    reach: Reach,
    /// Words that, right after the cue, undo it ("no more than", "not only").
    unless_next: Vec<String>,
    /// Extra words that end this cue's phrase ("replace X with Y").
    ends_at: Vec<String>,
}

mod built_lists {
    // `LIST_TABLE` over `LIST_TEXT`: every word of `word_lists::LISTS` (and
    // every form of its verbs) with the lists it is on, by the build script.
    include!(concat!(env!("OUT_DIR"), "/word_lists.rs"));
}

/// The lists (bits by `word_lists`' numbers) `word` is on; 0 for none.
fn lists_of(word: &str) -> u32 {
    super::fold::table_lookup(&built_lists::LIST_TABLE, built_lists::LIST_TEXT, word).unwrap_or(0)
}

/// One of the reader's word lists (see `word_lists`), looked up in the
/// build script's table: nothing to build at run time.
#[derive(Clone, Copy)]
struct WordList(u32);

impl WordList {
    fn of(list: usize) -> WordList {
        WordList(1 << list)
    }

    /// Whether `word` (as written, lower case) is on the list.
    fn contains(&self, word: &str) -> bool {
        lists_of(word) & self.0 != 0
    }
}

/// The word lists the reader works from, folded like the text.
struct Lexicon {
    relation: WordList,
    split_after_comma: WordList,
    split_always: WordList,
    subjects: WordList,
    auxiliaries: WordList,
    scope_end: WordList,
    /// Words of a heading that excludes without naming a choice ("not doing").
    heading: WordList,
    /// Every word of every cue.
    cue_words: HashSet<String, Fnv>,
    hypothetical: WordList,
    trouble: WordList,
    cures: WordList,
    filler: WordList,
    prepositions: WordList,
    describing: WordList,
    cues: Vec<Cue>,
    /// The cues by their first word, each list in the order of `cues`: a
    /// token is checked against the few cues it could start, not all of them.
    cues_by_first: HashMap<String, Vec<usize>, Fnv>,
}

fn folded(words: &str) -> Vec<String> {
    words
        .split_whitespace()
        .map(|w| fold(w).to_string())
        .collect()
}

fn lexicon() -> &'static Lexicon {
    static LEXICON: OnceLock<Lexicon> = OnceLock::new();
    LEXICON.get_or_init(build_lexicon)
}

fn cue(words: &str, stance: Stance, reach: Reach) -> Cue {
    let mut tokens = Vec::new();
    tokenize(words, &mut tokens);
    Cue {
        words: tokens
            .into_iter()
            .map(|t| (t.norm.to_string(), t.hyphen_before))
            .collect(),
        stance,
        reach,
        unless_next: Vec::new(),
        ends_at: Vec::new(),
    }
}

fn build_lexicon() -> Lexicon {
    use Reach::{Clause, Forward, Not};
    use Stance::{Conditional, Negated, Rejected};
    let mut cues = Vec::new();
    let mut add = |list: &str, stance: Stance, reach: Reach| {
        for words in list.split(',') {
            cues.push(cue(words.trim(), stance, reach));
        }
    };
    // "X cannot", "X is out of scope".
    add(
        "cannot, neither, out of scope, not in scope, non-goal, nongoal, unnecessary, no need",
        Negated,
        Clause,
    );
    // Like "not": "we will never X" turns the clause around, but in "a device
    // never sees a stale list" the device is still there.
    add("never", Negated, Not);
    // "no ledger", "without a key".
    add(
        "without, none, nothing, nor, lack, lacks, lacking",
        Negated,
        Forward,
    );
    // "the classic mistake is X", "X is a bad idea", "X would be a bottleneck".
    add(
        "mistake, anti-pattern, antipattern, pitfall, naive, naively, tempting, footgun, \
         bad idea, bad choice, bad practice, bad fit, poor choice, poor fit, dangerous, unsafe, \
         fragile, overkill, wasteful, error-prone, bottleneck, single point of failure, spof, \
         recipe for",
        Rejected,
        Clause,
    );
    // "instead of X", "avoid X".
    add(
        "instead of, rather than, in place of, as opposed to, avoid, avoids, avoiding, \
         steer clear of, get rid of, move away from, prevent, prevents, preventing, \
         guard against, protect against, beware of, beware, rules out, ruled out, rule out, \
         excludes, which excludes",
        Rejected,
        Forward,
    );
    // "if X, ...", "fall back to X".
    add(
        "if, unless, whether, in case, in the event, fall back, falls back, falling back, \
         fallback, as a last resort",
        Conditional,
        Forward,
    );
    cues.push(Cue {
        unless_next: folded("more less later fewer longer matter"),
        ..cue("no", Negated, Forward)
    });
    cues.push(Cue {
        ends_at: folded("with by"),
        ..cue("replace", Rejected, Forward)
    });
    // "a 32-bit id is out": dismissed, unlike "out of scope" (above).
    for words in ["is out", "are out", "is a no-go", "is not an option"] {
        cues.push(Cue {
            unless_next: folded("of"),
            ..cue(words, Rejected, Clause)
        });
    }
    cues.push(Cue {
        unless_next: folded("only just necessarily"),
        ..cue("not", Negated, Not)
    });
    for w in "dont doesnt didnt isnt arent wasnt werent wont wouldnt shouldnt cant couldnt mustnt hasnt havent hadnt aint".split(' ') {
        cues.push(cue(w, Negated, Clause));
    }
    Lexicon {
        relation: WordList::of(lists::RELATION),
        split_after_comma: WordList::of(lists::SPLIT_AFTER_COMMA),
        split_always: WordList::of(lists::SPLIT_ALWAYS),
        subjects: WordList::of(lists::SUBJECTS),
        auxiliaries: WordList::of(lists::AUXILIARIES),
        scope_end: WordList::of(lists::SCOPE_END),
        heading: WordList::of(lists::HEADING),
        cue_words: cues
            .iter()
            .flat_map(|c| c.words.iter().map(|(w, _)| w.to_string()))
            .collect(),
        hypothetical: WordList::of(lists::HYPOTHETICAL),
        trouble: WordList::of(lists::TROUBLE),
        cures: WordList::of(lists::CURES),
        filler: WordList::of(lists::FILLER),
        prepositions: WordList::of(lists::PREPOSITIONS),
        describing: WordList::of(lists::DESCRIBING),
        cues_by_first: {
            let mut by_first: HashMap<String, Vec<usize>, Fnv> = HashMap::default();
            for (i, cue) in cues.iter().enumerate() {
                if let Some((first, _)) = cue.words.first() {
                    by_first.entry(first.clone()).or_default().push(i);
                }
            }
            by_first
        },
        cues,
    }
}

/// True for a clause in a rubric's voice: it opens on a verb about what a
/// candidate does ("Explains that", "Names the first bottleneck"), with no
/// subject. A candidate says "we shard", not "Says that it shards".
fn describes_an_answer(words: &[Token], text: &str, lex: &Lexicon) -> bool {
    let Some(first) = words.first() else {
        return false;
    };
    lex.describing
        .contains(text[first.start..first.end].to_lowercase().as_str())
        && !first.hyphen_before
        // "Notes are kept in Postgres": a plural noun before its verb.
        && words.get(1).is_none_or(|next| {
            !matches!(
                &*next.word,
                "is" | "are" | "was" | "were" | "be" | "can" | "will" | "would" | "should"
                    | "must" | "may" | "might" | "do" | "does" | "did" | "has" | "have" | "had"
            )
        })
}

/// True for a word that relates terms rather than lists them.
fn relates(t: &Token) -> bool {
    if t.symbol {
        return matches!(&*t.norm, ">" | "=" | "→");
    }
    lexicon().relation.contains(&t.word)
}

/// True when a clause starts at token `k` (`gap` is the text before it).
fn splits(gap: &str, tokens: &[Token], k: usize, lex: &Lexicon) -> bool {
    let t = &tokens[k];
    if t.hyphen_before {
        return false;
    }
    if gap.contains(';') {
        return true;
    }
    // A spaced dash: "ranges - no coordination per request".
    let trimmed = gap.trim();
    if gap.contains(['–', '—'])
        || ((trimmed == "-" || trimmed == "--")
            && gap.starts_with(char::is_whitespace)
            && gap.ends_with(char::is_whitespace))
    {
        return true;
    }
    let norm = &*t.word;
    let next_is_subject = tokens
        .get(k + 1)
        .is_some_and(|n| lex.subjects.contains(&n.word));
    if gap.contains(',') && lex.split_after_comma.contains(norm) {
        return true;
    }
    if lex.split_always.contains(norm) {
        return true;
    }
    // "so we", "so that", "and we", ", or we".
    (norm == "so" && (next_is_subject || tokens.get(k + 1).is_some_and(|n| &*n.word == "that")))
        || (matches!(norm, "and" | "or") && next_is_subject)
}

/// The stance of each token of one clause; `gaps[k]` is the text before token
/// `k`, and `base` the index of the first token in the reading.
fn stances(tokens: &[Token], gaps: &[&str], base: usize, lex: &Lexicon) -> Vec<Hold> {
    let mut holds = vec![ASSERTED; tokens.len()];
    let mut clause_hold: Option<Hold> = None;
    let mut forward: Vec<(usize, usize, Hold)> = Vec::new();
    let mut k = 0;
    while k < tokens.len() {
        let Some((cue, len)) = cue_at(tokens, k, lex) else {
            k += 1;
            continue;
        };
        let hold = Hold {
            stance: cue.stance,
            cue: (base + k) as u32,
        };
        let reach = match cue.reach {
            Reach::Not if k > 0 && !lex.auxiliaries.contains(&tokens[k - 1].word) => Reach::Forward,
            Reach::Not => Reach::Clause,
            reach => reach,
        };
        if reach == Reach::Clause {
            clause_hold.get_or_insert(hold);
        } else {
            let end = scope_end(tokens, gaps, k + len, cue, lex);
            forward.push((k, end, hold));
        }
        k += len;
    }
    // "X would be a bottleneck", "we could lose counters": a hypothetical
    // trouble rejects the clause, unless it is being cured ("would avoid hotspots").
    if clause_hold.is_none() {
        clause_hold = tokens.iter().enumerate().find_map(|(k, t)| {
            let window = &tokens[k + 1..tokens.len().min(k + 5)];
            (lex.hypothetical.contains(&t.word)
                && window.iter().any(|w| lex.trouble.contains(&w.word))
                && !window.iter().any(|w| lex.cures.contains(&w.word)))
            .then_some(Hold {
                stance: Stance::Rejected,
                cue: (base + k) as u32,
            })
        });
    }
    if let Some(h) = clause_hold {
        holds.fill(h);
    }
    // An earlier cue governs what a later one says inside its reach: in "no
    // no-joins" or "no never-lose", the outer "no" negates the whole phrase.
    for (from, to, hold) in forward.into_iter().rev() {
        for h in &mut holds[from..to] {
            *h = hold;
        }
    }
    holds
}

/// The cue starting at token `k`, and how many tokens it spans.
fn cue_at<'l>(tokens: &[Token], k: usize, lex: &'l Lexicon) -> Option<(&'l Cue, usize)> {
    let candidates = lex.cues_by_first.get(&*tokens.get(k)?.norm)?;
    candidates.iter().map(|&i| &lex.cues[i]).find_map(|cue| {
        let n = cue.words.len();
        if n == 0 || k + n > tokens.len() {
            return None;
        }
        // A cue inside a hyphenated compound is no cue (`put-if-absent`, `no-op`).
        let outside =
            !tokens[k].hyphen_before && tokens.get(k + n).is_none_or(|t| !t.hyphen_before);
        let same = cue
            .words
            .iter()
            .zip(&tokens[k..k + n])
            .enumerate()
            .all(|(i, ((w, joined), t))| *w == *t.norm && (i == 0 || *joined == t.hyphen_before));
        if !(outside && same) {
            return None;
        }
        if tokens
            .get(k + n)
            .is_some_and(|next| cue.unless_next.iter().any(|w| *w == *next.norm))
        {
            return None;
        }
        Some((cue, n))
    })
}

/// Where a forward cue's phrase ends: at a comma, at a word that starts another
/// thought ("by", "so", "which", a subject), at "and"/"or" before a verb, or at
/// the clause's end. A condition keeps its own subject ("if we lose the leader").
fn scope_end(tokens: &[Token], gaps: &[&str], from: usize, cue: &Cue, lex: &Lexicon) -> usize {
    for i in from..tokens.len() {
        if gaps[i].contains([',', '(', ')']) {
            return i;
        }
        // A cue governs at least the word after it ("no by-the-code").
        if i == from {
            continue;
        }
        let norm = &*tokens[i].word;
        let own_subject = cue.stance == Stance::Conditional && i < from + 2;
        // "by" starts a means ("no double charge by keying on the attempt"),
        // but in "no sharding by user id" it is part of what is turned down.
        let means = norm != "by" || tokens.get(i + 1).is_some_and(|n| n.word.ends_with("ing"));
        if means && lex.scope_end.contains(norm) && !(lex.subjects.contains(norm) && own_subject) {
            return i;
        }
        if cue.ends_at.iter().any(|w| **w == *tokens[i].norm) {
            return i;
        }
        let verb_next = tokens
            .get(i + 1)
            .is_some_and(|n| lex.relation.contains(&n.word) && !lex.subjects.contains(&n.word));
        if matches!(norm, "and" | "or") && verb_next {
            return i;
        }
        // "if two servers read then write": `then` ends a condition only
        // before its consequence's subject ("then we retry").
        if norm == "then"
            && tokens
                .get(i + 1)
                .is_some_and(|n| lex.subjects.contains(&n.word))
        {
            return i;
        }
    }
    tokens.len()
}

#[cfg(test)]
mod tests;
