//! Words as the grader compares them: tokens with their place in the text,
//! folded so that "Custom aliases", "custom alias" and "custom-alias" compare
//! equal, and rubric phrases (`Form`) matched against them.
//!
//! Folding is lower case and the Snowball English stemmer (`rust-stemmers`),
//! applied twice: once folds "aliases" to "alias" but "alias" to "alia", and a
//! second pass brings the two together. Numbers stay as written, with their
//! decimal points (`99.9` is one token, so it never matches `99.99`).
//!
//! Words join across hyphens and underscores only: "write-through",
//! "writethrough" and "write through" all match the phrase `write-through`, but
//! "a synchronous" never matches `asynchronous`, and "no SQL" never matches
//! `nosql`. A space in a phrase must be a word break in the text (or a hyphen).

use rust_stemmers::{Algorithm, Stemmer};
use std::cell::RefCell;
use std::collections::HashMap;
use std::rc::Rc;
use std::sync::OnceLock;

/// One word (or a meaningful symbol) of a text.
#[derive(Debug, Clone)]
pub(crate) struct Token {
    /// Lower-case and stemmed; numbers as written.
    pub norm: Rc<str>,
    /// Lower-case as written (`don't` as `dont`): for the reader's word lists,
    /// which care about the exact word ("explains" is not "explain").
    pub word: Rc<str>,
    /// Byte range in the text it came from.
    pub start: usize,
    pub end: usize,
    /// Joined to the previous word by a hyphen or underscore, with no space.
    pub hyphen_before: bool,
    /// A symbol (`/ + > < = &`), not a word.
    pub symbol: bool,
}

fn stemmer() -> &'static Stemmer {
    static STEMMER: OnceLock<Stemmer> = OnceLock::new();
    STEMMER.get_or_init(|| Stemmer::create(Algorithm::English))
}

/// FNV-1a, for the grader's maps and sets: short strings looked up
/// thousands of times per answer, where the standard hasher's resistance to
/// attack buys nothing (the keys are words, and a grade ends in milliseconds).
#[derive(Default, Clone, Copy)]
pub(crate) struct FnvHasher(u64);

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        let mut h = if self.0 == 0 {
            0xcbf2_9ce4_8422_2325
        } else {
            self.0
        };
        for b in bytes {
            h ^= u64::from(*b);
            h = h.wrapping_mul(0x0100_0000_01b3);
        }
        self.0 = h;
    }
}

pub(crate) type Fnv = std::hash::BuildHasherDefault<FnvHasher>;

/// A word as written (lower case) and folded.
type Folded = (Rc<str>, Rc<str>);

thread_local! {
    /// Words already folded: answers and rubrics repeat their words a lot.
    static FOLDED: RefCell<HashMap<String, Folded, Fnv>> = RefCell::new(HashMap::default());
}

mod built {
    // `FOLDS`: every word of the built-in bank, folded by the build script with
    // the same `fold_word`, sorted: looked up instead of stemmed at each start.
    include!(concat!(env!("OUT_DIR"), "/folds.rs"));
}

/// The folded form of one word (already lower case).
pub(crate) fn fold(word: &str) -> Rc<str> {
    folded_pair(word).1
}

/// The word as written and folded, shared with every other use of it.
fn folded_pair(word: &str) -> Folded {
    FOLDED.with(|cache| {
        if let Some(hit) = cache.borrow().get(word) {
            return hit.clone();
        }
        let written: Rc<str> = Rc::from(word);
        let known = built::FOLDS
            .binary_search_by(|(w, _)| (*w).cmp(word))
            .ok()
            .map(|i| built::FOLDS[i].1);
        let folded: Rc<str> = match known {
            Some("") => written.clone(),
            Some(folded) => Rc::from(folded),
            None => match super::fold::fold_word(stemmer(), word) {
                Some(folded) => Rc::from(folded),
                None => written.clone(),
            },
        };
        let mut cache = cache.borrow_mut();
        // A hostile answer could hold millions of distinct words; the cache is
        // a speed-up, not a store.
        if cache.len() > 100_000 {
            cache.clear();
        }
        cache.insert(word.to_string(), (written.clone(), folded.clone()));
        (written, folded)
    })
}

pub(crate) fn is_symbol(c: char) -> bool {
    matches!(c, '/' | '+' | '>' | '<' | '=' | '&' | '→')
}

/// Splits `text` into tokens, appending to `out`; byte offsets are into `text`.
pub(crate) fn tokenize(text: &str, out: &mut Vec<Token>) {
    let chars: Vec<(usize, char)> = text.char_indices().collect();
    let at = |i: usize| chars.get(i).map(|&(_, c)| c);
    let mut word = String::new();
    let mut start = 0;
    let mut hyphen_before = false;
    let mut i = 0;
    while i < chars.len() {
        let (pos, c) = chars[i];
        if c.is_alphanumeric() {
            if word.is_empty() {
                start = pos;
            }
            word.extend(c.to_lowercase());
            i += 1;
            continue;
        }
        let prev_digit =
            !word.is_empty() && at(i.wrapping_sub(1)).is_some_and(|p| p.is_ascii_digit());
        let next = at(i + 1);
        let next_digit = next.is_some_and(|n| n.is_ascii_digit());
        // `99.9`, `100:1` and `116,000` are one number each.
        if prev_digit && next_digit && matches!(c, '.' | ':' | ',') {
            if c != ',' {
                word.push(c);
            }
            i += 1;
            continue;
        }
        // `don't` is one word (`dont`); `we'd` is `we would` and `we'll` is
        // `we will`, so a clause keeps its verbs; `it's` and `PSP's` keep the
        // first word only.
        if matches!(c, '\'' | '’') && !word.is_empty() && next.is_some_and(char::is_alphabetic) {
            if word.ends_with('n') && matches!(next, Some('t' | 'T')) {
                i += 1;
                continue;
            }
            end_word(&mut word, start, pos, &mut hyphen_before, out);
            let mut suffix = String::new();
            while let Some(n) = at(i + 1).filter(|n| n.is_alphanumeric()) {
                suffix.extend(n.to_lowercase());
                i += 1;
            }
            let expanded = match suffix.as_str() {
                "d" => Some("would"),
                "ll" => Some("will"),
                "re" => Some("are"),
                "ve" => Some("have"),
                "m" => Some("am"),
                _ => None,
            };
            if let Some(word) = expanded {
                let end = chars.get(i + 1).map_or(text.len(), |&(p, _)| p);
                let (written, norm) = folded_pair(word);
                out.push(Token {
                    norm,
                    word: written,
                    start: pos,
                    end,
                    hyphen_before: false,
                    symbol: false,
                });
            }
            i += 1;
            continue;
        }
        let joins =
            matches!(c, '-' | '_') && !word.is_empty() && next.is_some_and(char::is_alphanumeric);
        end_word(&mut word, start, pos, &mut hyphen_before, out);
        if joins {
            hyphen_before = true;
        } else if is_symbol(c) {
            let symbol: Rc<str> = Rc::from(c.to_string());
            out.push(Token {
                norm: symbol.clone(),
                word: symbol,
                start: pos,
                end: pos + c.len_utf8(),
                hyphen_before: false,
                symbol: true,
            });
        }
        i += 1;
    }
    end_word(&mut word, start, text.len(), &mut hyphen_before, out);
}

fn end_word(
    word: &mut String,
    start: usize,
    end: usize,
    hyphen_before: &mut bool,
    out: &mut Vec<Token>,
) {
    if word.is_empty() {
        return;
    }
    let (written, norm) = folded_pair(word);
    out.push(Token {
        norm,
        word: written,
        start,
        end,
        hyphen_before: std::mem::take(hyphen_before),
        symbol: false,
    });
    word.clear();
}

/// A rubric phrase ready for matching.
#[derive(Debug, Clone)]
pub(crate) struct Form {
    parts: Vec<Part>,
    /// The phrase uses symbols (`GET /`, `w + r > n`): symbols in the text
    /// count; otherwise they are skipped (`read/write` matches `read write`).
    symbols: bool,
}

#[derive(Debug, Clone)]
struct Part {
    norm: Rc<str>,
    hyphen_before: bool,
}

impl Form {
    pub(crate) fn new(phrase: &str) -> Form {
        let mut tokens = Vec::new();
        tokenize(phrase, &mut tokens);
        Form {
            symbols: tokens.iter().any(|t| t.symbol),
            parts: tokens
                .into_iter()
                .map(|t| Part {
                    norm: t.norm,
                    hyphen_before: t.hyphen_before,
                })
                .collect(),
        }
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.parts.is_empty()
    }

    /// The keys under which a match can start in a [`WordIndex`].
    fn anchors(&self) -> Vec<Rc<str>> {
        let Some(first) = self.parts.first() else {
            return Vec::new();
        };
        let mut keys = vec![first.norm.clone()];
        // `write-through` may be written `writethrough`.
        let group: String = std::iter::once(first)
            .chain(self.parts[1..].iter().take_while(|p| p.hyphen_before))
            .map(|p| &*p.norm)
            .collect();
        if group.len() > first.norm.len() {
            keys.push(Rc::from(group));
        }
        keys
    }
}

/// Where each folded word occurs, so a phrase is looked up, not scanned for.
#[derive(Debug, Default)]
pub(crate) struct WordIndex {
    at: HashMap<Rc<str>, Vec<u32>, Fnv>,
}

impl WordIndex {
    pub(crate) fn new(tokens: &[Token]) -> WordIndex {
        let mut at: HashMap<Rc<str>, Vec<u32>, Fnv> = HashMap::default();
        let mut i = 0;
        while i < tokens.len() {
            at.entry(tokens[i].norm.clone()).or_default().push(i as u32);
            // A hyphenated group is also found whole: `write-through` under
            // `writethrough`, for the phrase written without the hyphen.
            let mut j = i + 1;
            while j < tokens.len() && tokens[j].hyphen_before {
                j += 1;
            }
            if j > i + 1 && !tokens[i].hyphen_before {
                let joined: String = tokens[i..j].iter().map(|t| &*t.norm).collect();
                at.entry(Rc::from(joined)).or_default().push(i as u32);
            }
            i += 1;
        }
        for list in at.values_mut() {
            list.sort_unstable();
            list.dedup();
        }
        WordIndex { at }
    }

    /// The words (and hyphenated groups, joined) the index holds.
    pub(crate) fn keys(&self) -> impl Iterator<Item = &str> {
        self.at.keys().map(|k| &**k)
    }

    /// Every match of `form` as (first, last) token indices, in text order,
    /// never crossing a boundary `limit` gives for a start (the end of its clause).
    pub(crate) fn find(
        &self,
        tokens: &[Token],
        form: &Form,
        limit: impl Fn(usize) -> usize,
    ) -> Vec<(usize, usize)> {
        let mut starts: Vec<u32> = form
            .anchors()
            .iter()
            .filter_map(|k| self.at.get(k))
            .flatten()
            .copied()
            .collect();
        starts.sort_unstable();
        starts.dedup();
        starts
            .into_iter()
            .filter_map(|s| {
                let s = s as usize;
                match_at(tokens, s, limit(s), form).map(|last| (s, last))
            })
            .collect()
    }
}

/// Matches `form` starting at token `start`, within tokens `..end`; returns
/// the last token of the match.
fn match_at(tokens: &[Token], start: usize, end: usize, form: &Form) -> Option<usize> {
    let next_token = |mut i: usize| {
        i += 1;
        while i < end && !form.symbols && tokens[i].symbol {
            i += 1;
        }
        i
    };
    if start >= end || (tokens[start].symbol && !form.symbols) {
        return None;
    }
    let (mut ti, mut toff, mut pi, mut poff) = (start, 0, 0, 0);
    loop {
        let a = tokens[ti].norm.get(toff..)?;
        let b = form.parts[pi].norm.get(poff..)?;
        if a == b {
            pi += 1;
            if pi == form.parts.len() {
                return Some(ti);
            }
            ti = next_token(ti);
            if ti >= end {
                return None;
            }
            (toff, poff) = (0, 0);
        } else if !a.is_empty() && b.starts_with(a) {
            // The text's word ends inside the phrase's: only a hyphen may
            // vanish (`write-through` for `writethrough`).
            ti += 1;
            if ti >= end || !tokens[ti].hyphen_before {
                return None;
            }
            poff += a.len();
            toff = 0;
        } else if !b.is_empty() && a.starts_with(b) {
            // The phrase's word ends inside the text's: again only a hyphen
            // (`writethrough` for `write-through`).
            pi += 1;
            if pi == form.parts.len() || !form.parts[pi].hyphen_before {
                return None;
            }
            toff += b.len();
            poff = 0;
        } else {
            return None;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(text: &str, phrase: &str) -> bool {
        let mut tokens = Vec::new();
        tokenize(text, &mut tokens);
        let index = WordIndex::new(&tokens);
        !index
            .find(&tokens, &Form::new(phrase), |_| tokens.len())
            .is_empty()
    }

    #[test]
    fn case_plurals_and_inflections_fold() {
        assert!(matches("Custom aliases are reserved", "custom alias"));
        assert!(matches("a custom alias", "custom aliases"));
        assert!(matches("Watch out for hot keys", "hot key"));
        assert!(matches("secondary indexes", "secondary index"));
        assert!(matches("ledger entries", "ledger entry"));
        assert!(matches("each server leases a block", "lease"));
        assert!(matches("we shard by code", "sharding"));
        assert!(matches("RETRIES with backoff", "retry"));
    }

    #[test]
    fn words_join_across_hyphens_only() {
        for text in ["a write-through cache", "writethrough", "write through"] {
            assert!(matches(text, "write-through"), "{text}");
        }
        assert!(matches("a write-through cache", "write through"));
        assert!(matches("dead-letter queues", "dead letter queue"));
        assert!(matches("Base-62 codes", "base62"));
        assert!(matches("put-if-absent", "put if absent"));
        assert!(matches("expires_at", "expires at"));
        assert!(!matches("a synchronous standby", "asynchronous"));
        assert!(!matches("no SQL joins", "nosql"));
        assert!(!matches("base 62", "base62"));
    }

    #[test]
    fn word_boundaries_and_numbers() {
        assert!(!matches("capacity planning", "cap"));
        assert!(!matches("database", "base"));
        assert!(matches("the CAP theorem", "cap"));
        assert!(!matches("99.99% uptime", "99.9"));
        assert!(matches("99.9% uptime", "99.9"));
        assert!(matches("reads outnumber writes 100:1", "100:1"));
        assert!(matches("about 116,000 req/s", "116000"));
    }

    #[test]
    fn symbols_count_only_when_the_phrase_has_them() {
        assert!(matches("GET /api/v1/{code}", "get /"));
        assert!(!matches("we get the value", "get /"));
        assert!(matches("a read/write ratio", "read write ratio"));
        assert!(matches("W + R > N for quorum", "w + r > n"));
    }

    #[test]
    fn contractions_are_one_word() {
        let mut tokens = Vec::new();
        tokenize("We don't; it's the PSP's vault; we'll see", &mut tokens);
        let words: Vec<&str> = tokens.iter().map(|t| &*t.norm).collect();
        assert_eq!(
            words,
            [
                "we", "dont", "it", "the", "psp", "vault", "we", "will", "see"
            ]
        );
    }
}
