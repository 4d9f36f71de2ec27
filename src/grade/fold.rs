//! How one word is folded for matching: the Snowball English stemmer, applied
//! twice (once folds "aliases" to "alias" but "alias" to "alia"; a second pass
//! brings the two together). Words shorter than three letters, and words with
//! digits, stay as written.
//!
//! This file is shared with the build script, which folds every word of the
//! built-in bank ahead of time (`FOLDS`): the two must agree exactly.

use rust_stemmers::Stemmer;

/// The folded form of a lower-case word, or `None` when it folds to itself.
pub(crate) fn fold_word(stemmer: &Stemmer, word: &str) -> Option<String> {
    if word.len() < 3 || !word.chars().all(char::is_alphabetic) {
        return None;
    }
    let once = stemmer.stem(word);
    if once == word {
        return None;
    }
    let twice = stemmer.stem(&once).into_owned();
    Some(twice)
}
