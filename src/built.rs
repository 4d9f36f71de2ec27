//! What the build script made of the bank: the files built into the binary,
//! and the verdict of checking them.
//!
//! The build script compiles the built-in bank with the same compiler as `sdi
//! validate --bank DIR` (it includes `src/bank` and `src/quantity`), so a clean
//! bank is known clean before the binary exists, and `sdi validate` reports that
//! instead of compiling 1.7 MB of rubrics at every run. A bank with any issue
//! records no verdict: it is checked at run time, where every issue is reported
//! with its file, line and column.
//!
//! A clean bank's problems are also stored compiled (`bank::snapshot`), so a
//! command that uses one problem reads it without compiling it.

include!(concat!(env!("OUT_DIR"), "/embedded_bank.rs"));
include!(concat!(env!("OUT_DIR"), "/bank_verdict.rs"));
include!(concat!(env!("OUT_DIR"), "/bank_snapshots.rs"));

/// The bank files built into sdi (the build script's copy of this module gives
/// it the same files before they are built in).
pub(crate) fn files() -> &'static [(&'static str, &'static str, Option<&'static str>)] {
    FILES
}
