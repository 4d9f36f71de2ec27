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

/// The build-time tables' hash: eight bytes per step (rotate, xor,
/// multiply, as rustc's `FxHasher`), with the length mixed in; words are
/// short, so this is a step or two where FNV takes one per byte. The
/// table's slot is its top bits (the low ones mix least).
pub(crate) fn table_hash(bytes: &[u8]) -> u64 {
    const K: u64 = 0x517c_c1b7_2722_0a95;
    let mut h = (bytes.len() as u64).wrapping_mul(K);
    let mut chunks = bytes.chunks_exact(8);
    for chunk in &mut chunks {
        let mut eight = [0; 8];
        eight.copy_from_slice(chunk);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(eight)).wrapping_mul(K);
    }
    let rest = chunks.remainder();
    if !rest.is_empty() {
        let mut eight = [0; 8];
        eight[..rest.len()].copy_from_slice(rest);
        h = (h.rotate_left(5) ^ u64::from_le_bytes(eight)).wrapping_mul(K);
    }
    h
}

/// The slot of `bytes` in a table of `size` slots (a power of two).
pub(crate) fn table_slot(bytes: &[u8], size: usize) -> usize {
    table_hash(bytes)
        .checked_shr(64 - size.trailing_zeros())
        .unwrap_or(0) as usize
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
