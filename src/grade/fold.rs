//! How one word is folded for matching: the Snowball English stemmer, applied
//! twice (once folds "aliases" to "alias" but "alias" to "alia"; a second pass
//! brings the two together). Words shorter than three letters, and words with
//! digits, stay as written.
//!
//! This file is shared with the build script, which folds every word of the
//! built-in bank ahead of time into a hash table (`FOLD_TABLE`): the two must
//! agree exactly, on the folding and on the table's hash and layout.

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

/// FNV-1a over bytes: the fold table's hash.
pub(crate) fn fnv1a(bytes: &[u8]) -> u64 {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// One entry of the fold table: where the word and its folded form are in
/// the table's text, and their lengths (a word is never empty, so an entry
/// is never 0, which marks a free slot).
#[allow(dead_code)] // the library only unpacks
pub(crate) fn pack_fold(
    word_at: usize,
    word_len: usize,
    folded_at: usize,
    folded_len: usize,
) -> u64 {
    word_at as u64 | (word_len as u64) << 24 | (folded_at as u64) << 32 | (folded_len as u64) << 56
}

/// The (word, folded) byte ranges of an entry made by [`pack_fold`].
#[allow(dead_code)] // the build script packs, only the library unpacks
pub(crate) fn unpack_fold(entry: u64) -> (std::ops::Range<usize>, std::ops::Range<usize>) {
    let word_at = (entry & 0xff_ffff) as usize;
    let word_len = (entry >> 24 & 0xff) as usize;
    let folded_at = (entry >> 32 & 0xff_ffff) as usize;
    let folded_len = (entry >> 56) as usize;
    (
        word_at..word_at + word_len,
        folded_at..folded_at + folded_len,
    )
}
