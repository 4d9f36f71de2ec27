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
#[inline]
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
#[inline]
pub(crate) fn table_slot(bytes: &[u8], size: usize) -> usize {
    table_hash(bytes)
        .checked_shr(64 - size.trailing_zeros())
        .unwrap_or(0) as usize
}

/// A build-time word table (the fold table, the reader's word lists) is
/// an open-addressing table of integers over one text: no pointers, so
/// nothing for the loader to relocate at every start, and a lookup touches
/// a page or two. Each entry holds where its word is in the text (24-bit
/// offset, 8-bit length) and, in its high half, what the table says of the
/// word. A word is never empty, so an entry is never 0, which marks a free
/// slot. The build script fills a table with [`table_slot`] and linear
/// probing, at most half full.
#[allow(dead_code)] // the library only reads tables
pub(crate) fn table_entry(word_at: usize, word_len: usize, payload: u32) -> u64 {
    word_at as u64 | (word_len as u64) << 24 | u64::from(payload) << 32
}

/// The word's place in the text, and the payload, of a [`table_entry`].
#[allow(dead_code)] // the build script only makes tables
#[inline]
pub(crate) fn table_entry_parts(entry: u64) -> (std::ops::Range<usize>, u32) {
    let at = (entry & 0xff_ffff) as usize;
    let len = (entry >> 24 & 0xff) as usize;
    (at..at + len, (entry >> 32) as u32)
}

/// What `table` (over `text`) says of `word`, when it holds the word.
#[allow(dead_code)] // the build script only makes tables
#[inline]
pub(crate) fn table_lookup(table: &[u64], text: &str, word: &str) -> Option<u32> {
    let mask = table.len() - 1;
    let mut slot = table_slot(word.as_bytes(), table.len());
    loop {
        let entry = table[slot];
        if entry == 0 {
            return None;
        }
        let (at, payload) = table_entry_parts(entry);
        if text.get(at) == Some(word) {
            return Some(payload);
        }
        slot = (slot + 1) & mask;
    }
}

/// A place in a table's text as a payload (24-bit offset, 8-bit length):
/// where the fold table keeps a word's folded form.
#[allow(dead_code)] // the library only unpacks
pub(crate) fn pack_range(at: usize, len: usize) -> u32 {
    at as u32 | (len as u32) << 24
}

/// The place [`pack_range`] packed.
#[allow(dead_code)] // the build script only packs
#[inline]
pub(crate) fn unpack_range(packed: u32) -> std::ops::Range<usize> {
    let at = (packed & 0xff_ffff) as usize;
    at..at + (packed >> 24) as usize
}
