//! Free text as the grader reads it: lower-case tokens with plurals folded, so
//! that a phrase matches however a candidate types it. "Base-62", "base 62" and
//! "BASE62s" all match the phrase `base62`; "hot keys" matches `hot key`.
//!
//! A phrase matches a run of whole tokens whose letters, joined, equal the
//! phrase's letters joined: hyphens and spaces never matter, word boundaries do
//! (`cap` does not match inside "capacity").

/// Words that turn a statement around ("we avoid 2PC"): a red flag named in
/// the same sentence after one of these is not raised.
const NEGATIONS: &[&str] = &[
    "not",
    "no",
    "never",
    "avoid",
    "avoids",
    "avoiding",
    "without",
    "instead",
    "rather",
    "nor",
    "neither",
    "against",
    "cannot",
    "dont",
    "wont",
    "shouldnt",
    "isnt",
    "arent",
    "wouldnt",
    "mustnt",
    "didnt",
    "doesnt",
    "prevent",
    "prevents",
    "forbid",
    "reject",
    "unlike",
    // A conditional or a caveat describes the anti-pattern rather than proposing it:
    // "if two servers read then write the counter, both pass".
    "if",
    "unless",
    "naive",
    "naively",
    "otherwise",
];
/// `don't` tokenizes as `don` + `t`.
const CONTRACTED: &[&str] = &[
    "don", "won", "shouldn", "can", "isn", "aren", "wouldn", "mustn", "didn", "doesn",
];
/// Words after a phrase that condemn it ("floats are a bad idea").
const CONDEMNING: &[&str] = &[
    "bad",
    "wrong",
    "mistake",
    "antipattern",
    "dangerous",
    "unsafe",
];

/// Symbols kept as tokens, because some phrases need them (`GET /`, `w + r > n`).
fn is_symbol(c: char) -> bool {
    matches!(c, '/' | '+' | '>' | '<' | '=')
}

/// Folds plurals so both sides of a match agree: keys -> key, entries -> entry,
/// indexes -> index; never touches `status`, `redis`, `class`.
pub fn stem(token: &str) -> String {
    let t = token;
    if t.len() > 4 && t.ends_with("ies") {
        return format!("{}y", &t[..t.len() - 3]);
    }
    if t.len() > 4 && (t.ends_with("xes") || t.ends_with("sses") || t.ends_with("shes")) {
        return t[..t.len() - 2].to_string();
    }
    if t.len() > 3
        && t.ends_with('s')
        && !t.ends_with("ss")
        && !t.ends_with("us")
        && !t.ends_with("is")
    {
        return t[..t.len() - 1].to_string();
    }
    t.to_string()
}

#[derive(Debug, Clone)]
struct Token {
    text: String,
    symbol: bool,
    sentence: usize,
    /// Byte range in the original text, for quoting what matched.
    start: usize,
    end: usize,
}

/// A text ready for matching.
#[derive(Debug, Clone)]
pub struct Text {
    raw: String,
    tokens: Vec<Token>,
    /// Indices of the word (non-symbol) tokens.
    words: Vec<usize>,
}

/// A phrase ready for matching: its letters joined, and whether it needs symbols.
#[derive(Debug, Clone)]
pub struct Phrase {
    joined: String,
    symbols: bool,
}

fn tokenize(raw: &str) -> Vec<Token> {
    let mut tokens = Vec::new();
    let mut sentence = 0;
    let mut current = String::new();
    let mut start = 0;
    let mut chars = raw.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if c.is_alphanumeric() || (c == '\'' && !current.is_empty()) {
            if current.is_empty() {
                start = i;
            }
            // Apostrophes join contractions (`don't` -> `dont`).
            if c != '\'' {
                current.extend(c.to_lowercase());
            }
            continue;
        }
        push_word(&mut tokens, &mut current, sentence, start, i);
        if is_symbol(c) {
            tokens.push(Token {
                text: c.to_string(),
                symbol: true,
                sentence,
                start: i,
                end: i + c.len_utf8(),
            });
        }
        // A sentence ends at . ! ? ; or a line break, but not at a decimal point.
        let decimal = c == '.' && chars.peek().is_some_and(|(_, n)| n.is_ascii_digit());
        if matches!(c, '.' | '!' | '?' | ';' | '\n') && !decimal {
            sentence += 1;
        }
    }
    push_word(&mut tokens, &mut current, sentence, start, raw.len());
    tokens
}

/// Ends the word being read, if any, as a token.
fn push_word(
    tokens: &mut Vec<Token>,
    current: &mut String,
    sentence: usize,
    start: usize,
    end: usize,
) {
    if !current.is_empty() {
        tokens.push(Token {
            text: stem(current),
            symbol: false,
            sentence,
            start,
            end,
        });
        current.clear();
    }
}

impl Phrase {
    pub fn new(phrase: &str) -> Phrase {
        let tokens = tokenize(phrase);
        Phrase {
            symbols: tokens.iter().any(|t| t.symbol),
            joined: tokens.iter().map(|t| t.text.as_str()).collect(),
        }
    }

    pub fn is_empty(&self) -> bool {
        self.joined.is_empty()
    }
}

/// Where a phrase matched: token indices and the words as the candidate wrote them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Match {
    pub first: usize,
    pub last: usize,
    pub quote: String,
}

impl Text {
    pub fn new(raw: &str) -> Text {
        let tokens = tokenize(raw);
        let words = tokens
            .iter()
            .enumerate()
            .filter(|(_, t)| !t.symbol)
            .map(|(i, _)| i)
            .collect();
        Text {
            raw: raw.to_string(),
            tokens,
            words,
        }
    }

    pub fn is_empty(&self) -> bool {
        self.words.is_empty()
    }

    /// Every place the phrase matches.
    pub fn find_all(&self, phrase: &Phrase) -> Vec<Match> {
        if phrase.is_empty() {
            return Vec::new();
        }
        let stream: Vec<usize> = if phrase.symbols {
            (0..self.tokens.len()).collect()
        } else {
            self.words.clone()
        };
        let target = phrase.joined.as_str();
        let mut out = Vec::new();
        for (s, &first) in stream.iter().enumerate() {
            let mut joined = String::new();
            let mut previous = first;
            for &index in &stream[s..] {
                // A phrase is said within one sentence: "a feed; ranking later"
                // is not "feed ranking". A line break is no boundary here, since
                // answers files wrap long lines.
                let between = self
                    .raw
                    .get(self.tokens[previous].end..self.tokens[index].start)
                    .unwrap_or_default();
                // `99.9` and `node.js` are one thing; `path. Keys` is two.
                let ends_sentence = between.contains(['!', '?', ';'])
                    || (between.contains('.') && between.contains(char::is_whitespace));
                if ends_sentence {
                    break;
                }
                previous = index;
                joined.push_str(&self.tokens[index].text);
                if joined.len() >= target.len() {
                    if joined == target {
                        let quote =
                            self.raw[self.tokens[first].start..self.tokens[index].end].to_string();
                        out.push(Match {
                            first,
                            last: index,
                            quote,
                        });
                    }
                    break;
                }
                if !target.starts_with(joined.as_str()) {
                    break;
                }
            }
        }
        out
    }

    pub fn find(&self, phrase: &Phrase) -> Option<Match> {
        self.find_all(phrase).into_iter().next()
    }

    /// True when the match sits in a sentence that negates it: "we avoid two-phase
    /// commit", "never store the card number", "floats are a bad idea".
    pub fn is_negated(&self, m: &Match) -> bool {
        let sentence = self.tokens[m.first].sentence;
        let before = self.tokens[..m.first]
            .iter()
            .rev()
            .take_while(|t| t.sentence == sentence)
            .take(10);
        let mut previous: Option<&str> = None;
        for t in before {
            if NEGATIONS.contains(&t.text.as_str()) {
                return true;
            }
            // `don't` reads as `don` then `t` (walking backwards: `t` first).
            if previous == Some("t") && CONTRACTED.contains(&t.text.as_str()) {
                return true;
            }
            previous = Some(&t.text);
        }
        // After the phrase: "..., which we don't do", "... does not scale",
        // "... is a bad idea".
        let after: Vec<&str> = self.tokens[m.last + 1..]
            .iter()
            .take_while(|t| t.sentence == sentence)
            .take(8)
            .map(|t| t.text.as_str())
            .collect();
        after.iter().enumerate().any(|(i, w)| {
            CONDEMNING.contains(w)
                || matches!(
                    *w,
                    "never" | "not" | "cannot" | "dont" | "doesnt" | "wont" | "wouldnt" | "isnt"
                )
                || (CONTRACTED.contains(w) && after.get(i + 1) == Some(&"t"))
        })
    }

    /// The content words of the text, for matching questions to answers.
    pub fn words(&self) -> impl Iterator<Item = &str> {
        self.words.iter().map(|&i| self.tokens[i].text.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn matches(text: &str, phrase: &str) -> bool {
        Text::new(text).find(&Phrase::new(phrase)).is_some()
    }

    #[test]
    fn hyphens_spaces_case_and_plurals_do_not_matter() {
        for text in ["Base-62 codes", "base 62", "BASE62s", "we use base62."] {
            assert!(matches(text, "base62"), "{text}");
        }
        assert!(matches("Watch out for hot keys", "hot key"));
        assert!(!matches("read a feed; ranking later", "feed ranking"));
        assert!(!matches("the hot path. Keys are random", "hot key"));
        assert!(matches("we watch for hot\nkeys", "hot key"));
        assert!(matches("write-through cache", "write through"));
        assert!(matches("a writethrough cache", "write-through"));
        assert!(matches("dead letter queues", "dead-letter queue"));
        assert!(matches("secondary indexes", "secondary index"));
        assert!(matches("ledger entries", "ledger entry"));
    }

    #[test]
    fn word_boundaries_matter() {
        assert!(!matches("capacity planning", "cap"));
        assert!(!matches("database", "base"));
        assert!(matches("the CAP theorem", "cap"));
        assert!(!matches("99.99% uptime", "99.9"));
        assert!(matches("99.9% uptime", "99.9"));
    }

    #[test]
    fn symbols_count_only_when_the_phrase_has_them() {
        assert!(matches("GET /api/v1/{code}", "get /"));
        assert!(!matches("we get the value", "get /"));
        assert!(matches("req/s", "req s"));
        assert!(matches("W + R > N for quorum", "w + r > n"));
    }

    #[test]
    fn the_quote_is_what_the_candidate_wrote() {
        let m = Text::new("We'll use Base-62 IDs")
            .find(&Phrase::new("base62"))
            .unwrap();
        assert_eq!(m.quote, "Base-62");
    }

    #[test]
    fn negation_in_the_same_sentence() {
        let negated = |text: &str, phrase: &str| {
            let t = Text::new(text);
            let m = t.find(&Phrase::new(phrase)).unwrap();
            t.is_negated(&m)
        };
        assert!(negated(
            "We avoid two-phase commit across services.",
            "two-phase commit"
        ));
        assert!(negated(
            "Never store the raw card number",
            "store the raw card number"
        ));
        assert!(negated("Don't use floats for money", "floats for money"));
        assert!(negated("Use integer cents instead of floats", "floats"));
        assert!(negated("Floats are a bad idea for money", "floats"));
        assert!(negated(
            "If two servers read the counter then write it back, both pass",
            "read the counter then write it back"
        ));
        assert!(negated(
            "The pull model would query all followees' posts, which we don't do",
            "query all followees posts"
        ));
        assert!(negated(
            "Modulo hashing does not survive a resize",
            "modulo hashing"
        ));
        assert!(!negated(
            "We use two-phase commit. It is not slow.",
            "two-phase commit"
        ));
        assert!(!negated("Store amounts as floats", "floats"));
    }

    #[test]
    fn stems_fold_plurals_only() {
        assert_eq!(stem("keys"), "key");
        assert_eq!(stem("caches"), "cache");
        assert_eq!(stem("entries"), "entry");
        assert_eq!(stem("status"), "status");
        assert_eq!(stem("redis"), "redis");
        assert_eq!(stem("class"), "class");
        assert_eq!(stem("boxes"), "box");
    }
}
