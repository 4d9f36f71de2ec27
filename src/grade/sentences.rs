//! Sentence boundaries of ASCII text by the rules of Unicode's UAX #29 (the
//! rules `unicode-segmentation` implements), for the common case: an answer
//! written in ASCII. The general rules look every character up in Unicode's
//! tables; ASCII has a dozen classes, decided by a `match`. Any other text
//! goes to `unicode-segmentation`, and a test holds the two to the same
//! boundaries.
//!
//! The text has no line breaks (the reader turns them into spaces first),
//! so the rules about paragraph separators never apply.

/// A character's class in the sentence rules, for ASCII.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Class {
    Lower,
    Upper,
    Numeric,
    /// `.`
    ATerm,
    /// `!` and `?`
    STerm,
    /// Quotes and brackets.
    Close,
    /// `,` `-` `:` `;`
    SContinue,
    /// Spaces and tabs.
    Sp,
    Other,
}

fn class(b: u8) -> Class {
    match b {
        b'a'..=b'z' => Class::Lower,
        b'A'..=b'Z' => Class::Upper,
        b'0'..=b'9' => Class::Numeric,
        b'.' => Class::ATerm,
        b'!' | b'?' => Class::STerm,
        b'"' | b'\'' | b'(' | b')' | b'[' | b']' | b'{' | b'}' => Class::Close,
        b',' | b'-' | b':' | b';' => Class::SContinue,
        b' ' | b'\t' | 0x0b | 0x0c => Class::Sp,
        _ => Class::Other,
    }
}

fn is_sa_term(c: Class) -> bool {
    matches!(c, Class::ATerm | Class::STerm)
}

/// Where each sentence of `text` starts, after the first (which starts at 0),
/// when `text` is ASCII without line breaks; `None` for any other text.
pub(super) fn ascii_breaks(text: &str) -> Option<Vec<usize>> {
    let bytes = text.as_bytes();
    if !text.is_ascii() || bytes.iter().any(|&b| b == b'\n' || b == b'\r') {
        return None;
    }
    let classes: Vec<Class> = bytes.iter().map(|&b| class(b)).collect();
    let at = |i: usize| classes.get(i).copied();
    let mut breaks = Vec::new();
    let mut t = 0;
    while t < classes.len() {
        if !is_sa_term(classes[t]) {
            t += 1;
            continue;
        }
        // SATerm Close* Sp*: a break can only come after all of it (SB9, SB10).
        let mut j = t + 1;
        while at(j) == Some(Class::Close) {
            j += 1;
        }
        while at(j) == Some(Class::Sp) {
            j += 1;
        }
        let Some(next) = at(j) else {
            break; // the end of the text (SB2)
        };
        let aterm = classes[t] == Class::ATerm;
        let kept =
            // SB6: a decimal point ("1.5").
            aterm && j == t + 1 && next == Class::Numeric
            // SB7: an initial or abbreviation before a capital ("U.S").
            || aterm
                && j == t + 1
                && next == Class::Upper
                && t > 0
                && matches!(classes[t - 1], Class::Upper | Class::Lower)
            // SB8: what follows, past anything but letters and terminators,
            // is lower case ("etc. and so on").
            || aterm
                && classes[j..]
                    .iter()
                    .find(|&&c| matches!(c, Class::Upper | Class::Lower) || is_sa_term(c))
                    == Some(&Class::Lower)
            // SB8a: a continuation or another terminator ("?!", "e.g., a").
            || matches!(next, Class::SContinue) || is_sa_term(next);
        if !kept {
            breaks.push(j); // SB11
        }
        t += 1;
    }
    Some(breaks)
}

#[cfg(test)]
mod tests {
    use super::*;
    use unicode_segmentation::UnicodeSegmentation;

    fn by_unicode(text: &str) -> Vec<usize> {
        text.split_sentence_bound_indices()
            .map(|(i, _)| i)
            .filter(|&i| i > 0)
            .collect()
    }

    fn agrees(text: &str) {
        assert_eq!(
            ascii_breaks(text).expect("ASCII"),
            by_unicode(text),
            "{text:?}"
        );
    }

    #[test]
    fn the_rules_hold_for_the_cases_they_name() {
        for text in [
            "We shard by id. Reads go to replicas.",
            "It costs 1.5 ms. Then 2 ms.",
            "The U.S. market is large.",
            "Use a cache, e.g. Redis. Then shard.",
            "Really?! Yes. \"Quoted.\" (Bracketed.) Next.",
            "Done... and more. Ok",
            "lose clicks. 404 for unknown codes",
            "What? no. Yes!  Two spaces.",
            "A.B.C. D",
            "",
            ".",
            "?? ",
        ] {
            agrees(text);
        }
    }

    #[test]
    fn ascii_text_breaks_where_unicode_segmentation_does() {
        // A fixed stream of texts over the characters the rules care about:
        // every class, repeated so that runs of each occur.
        let alphabet = b"aAbZ09.!?\"')(][},-:; \t#/+xyzQ..  ";
        let mut state: u64 = 0x2545_f491_4f6c_dd1d;
        let mut next = move || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut breaks = 0;
        for _ in 0..20_000 {
            let len = (next() % 32) as usize;
            let text: String = (0..len)
                .map(|_| alphabet[(next() % alphabet.len() as u64) as usize] as char)
                .collect();
            agrees(&text);
            breaks += by_unicode(&text).len();
        }
        // The stream does reach the rules: thousands of sentence breaks.
        assert!(breaks > 5_000, "{breaks}");
    }

    #[test]
    fn other_text_is_left_to_unicode_segmentation() {
        assert_eq!(ascii_breaks("naïve. Yes"), None);
        assert_eq!(ascii_breaks("two\nlines"), None);
    }
}
