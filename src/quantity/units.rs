//! The unit, magnitude and count tables of docs/DESIGN.md ("The estimation engine").
//!
//! Units carry a dimension and a factor to base units (seconds, bytes). Magnitudes
//! (`k`, `M`, `bn`, `%`) are plain factors that may only follow a number. Counts
//! (`users`, `req`) are dimensionless labels. Lookups are case-sensitive for units
//! and magnitudes, because `MB` and `mb` or `M` and `m` mean different things, and
//! case-insensitive for count nouns, where case never changes the meaning.

use super::Dimension;
use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::OnceLock;

/// What a word means to the engine.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) enum Lookup {
    /// A unit of time, information, or both (`s`, `GB`, `Gbps`), optionally with a
    /// count label (`QPS` is `1/s` of queries).
    Unit {
        factor: f64,
        dim: Dimension,
        label: Option<&'static str>,
    },
    /// A magnitude that scales the number before it (`k`, `million`, `%`).
    Magnitude { factor: f64 },
    /// A dimensionless count noun (`users`), stored by its singular form.
    Count { singular: &'static str },
}

struct UnitRow {
    names: &'static [&'static str],
    factor: f64,
    dim: Dimension,
    label: Option<&'static str>,
}

const T: Dimension = Dimension::TIME;
const I: Dimension = Dimension::INFO;
const R: Dimension = Dimension::RATE;
const BW: Dimension = Dimension::BANDWIDTH;

const fn row(names: &'static [&'static str], factor: f64, dim: Dimension) -> UnitRow {
    UnitRow {
        names,
        factor,
        dim,
        label: None,
    }
}

pub(super) const SECONDS_PER_DAY: f64 = 86_400.0;
pub(super) const SECONDS_PER_MONTH: f64 = 30.0 * SECONDS_PER_DAY;
pub(super) const SECONDS_PER_YEAR: f64 = 365.0 * SECONDS_PER_DAY;

static UNITS: &[UnitRow] = &[
    // Time. A month is 30 days and a year 365 days: the interview conventions.
    row(
        &["ns", "nsec", "nsecs", "nanosecond", "nanoseconds"],
        1e-9,
        T,
    ),
    row(
        &[
            "us",
            "µs",
            "μs",
            "usec",
            "usecs",
            "microsecond",
            "microseconds",
        ],
        1e-6,
        T,
    ),
    row(
        &["ms", "msec", "msecs", "millisecond", "milliseconds"],
        1e-3,
        T,
    ),
    row(&["s", "sec", "secs", "second", "seconds"], 1.0, T),
    row(&["min", "mins", "minute", "minutes"], 60.0, T),
    row(&["h", "hr", "hrs", "hour", "hours"], 3_600.0, T),
    row(&["d", "day", "days"], SECONDS_PER_DAY, T),
    row(&["wk", "wks", "week", "weeks"], 7.0 * SECONDS_PER_DAY, T),
    row(&["mo", "month", "months"], SECONDS_PER_MONTH, T),
    row(&["y", "yr", "yrs", "year", "years"], SECONDS_PER_YEAR, T),
    // Information, in bytes. `B` is always the byte; `b` only with a prefix (bits).
    row(&["bit", "bits"], 0.125, I),
    row(&["B", "byte", "bytes"], 1.0, I),
    row(&["kB", "KB", "kilobyte", "kilobytes"], 1e3, I),
    row(&["MB", "megabyte", "megabytes"], 1e6, I),
    row(&["GB", "gigabyte", "gigabytes"], 1e9, I),
    row(&["TB", "terabyte", "terabytes"], 1e12, I),
    row(&["PB", "petabyte", "petabytes"], 1e15, I),
    row(&["EB", "exabyte", "exabytes"], 1e18, I),
    row(&["KiB", "kibibyte", "kibibytes"], 1024.0, I),
    row(&["MiB", "mebibyte", "mebibytes"], 1_048_576.0, I),
    row(&["GiB", "gibibyte", "gibibytes"], 1_073_741_824.0, I),
    row(&["TiB", "tebibyte", "tebibytes"], 1_099_511_627_776.0, I),
    row(
        &["PiB", "pebibyte", "pebibytes"],
        1_125_899_906_842_624.0,
        I,
    ),
    row(
        &["EiB", "exbibyte", "exbibytes"],
        1_152_921_504_606_846_976.0,
        I,
    ),
    row(
        &["kb", "Kb", "kbit", "kbits", "kilobit", "kilobits"],
        125.0,
        I,
    ),
    row(&["Mb", "Mbit", "Mbits", "megabit", "megabits"], 125e3, I),
    row(&["Gb", "Gbit", "Gbits", "gigabit", "gigabits"], 125e6, I),
    row(&["Tb", "Tbit", "Tbits", "terabit", "terabits"], 125e9, I),
    // Bit rates: 1 Gbps = 125 MB/s.
    row(&["bps"], 0.125, BW),
    row(&["kbps", "Kbps"], 125.0, BW),
    row(&["Mbps"], 125e3, BW),
    row(&["Gbps"], 125e6, BW),
    row(&["Tbps"], 125e9, BW),
    // Byte rates, as some write them: `MBps` is megabytes per second (`MB/s`).
    row(&["kBps", "KBps"], 1e3, BW),
    row(&["MBps"], 1e6, BW),
    row(&["GBps"], 1e9, BW),
    row(&["TBps"], 1e12, BW),
    // Request rates, with the count they are a rate of.
    UnitRow {
        names: &["QPS", "qps"],
        factor: 1.0,
        dim: R,
        label: Some("query"),
    },
    UnitRow {
        names: &["RPS", "rps"],
        factor: 1.0,
        dim: R,
        label: Some("req"),
    },
    UnitRow {
        names: &["TPS", "tps"],
        factor: 1.0,
        dim: R,
        label: Some("tx"),
    },
];

static MAGNITUDES: &[(&[&str], f64)] = &[
    (&["k", "K", "thousand", "thousands"], 1e3),
    (&["M", "mn", "million", "millions"], 1e6),
    (&["bn", "billion", "billions"], 1e9),
    (&["T", "tn", "trillion", "trillions"], 1e12),
    (&["hundred", "hundreds"], 1e2),
    (&["%", "percent"], 0.01),
    // `3x` reads as "three times": a factor of one, so `peak = avg * 3x` works.
    (&["x", "times"], 1.0),
];

/// Count nouns: (singular used for display in a denominator, plural for a
/// numerator, other spellings). Matched case-insensitively.
static COUNTS: &[(&str, &str, &[&str])] = &[
    ("user", "users", &[]),
    ("DAU", "DAU", &[]),
    ("MAU", "MAU", &[]),
    ("req", "req", &["reqs", "request", "requests"]),
    ("query", "queries", &[]),
    ("op", "ops", &["operation", "operations"]),
    ("message", "messages", &["msg", "msgs"]),
    ("read", "reads", &[]),
    ("write", "writes", &[]),
    ("event", "events", &[]),
    ("tx", "tx", &["txn", "txns", "transaction", "transactions"]),
    ("URL", "URLs", &[]),
    ("link", "links", &[]),
    ("tweet", "tweets", &[]),
    ("post", "posts", &[]),
    ("photo", "photos", &[]),
    ("video", "videos", &[]),
    ("image", "images", &[]),
    ("file", "files", &[]),
    ("payment", "payments", &[]),
    ("server", "servers", &[]),
    ("node", "nodes", &[]),
    ("machine", "machines", &[]),
    ("host", "hosts", &[]),
    ("instance", "instances", &[]),
    ("connection", "connections", &["conn", "conns"]),
    ("item", "items", &[]),
    ("key", "keys", &[]),
    ("record", "records", &[]),
    ("row", "rows", &[]),
    ("entry", "entries", &[]),
    ("object", "objects", &[]),
    ("click", "clicks", &[]),
    ("visit", "visits", &[]),
    ("view", "views", &[]),
    ("page", "pages", &[]),
    ("session", "sessions", &[]),
    ("device", "devices", &[]),
    ("chat", "chats", &[]),
    ("group", "groups", &[]),
    ("member", "members", &[]),
    ("notification", "notifications", &[]),
    ("call", "calls", &[]),
    ("hit", "hits", &[]),
    ("miss", "misses", &[]),
    ("shard", "shards", &[]),
    ("partition", "partitions", &[]),
    ("replica", "replicas", &[]),
    ("core", "cores", &["cpu", "cpus"]),
    ("thread", "threads", &[]),
    ("packet", "packets", &[]),
    ("person", "people", &[]),
    ("customer", "customers", &[]),
    ("merchant", "merchants", &[]),
    ("order", "orders", &[]),
    ("account", "accounts", &[]),
    ("rule", "rules", &[]),
    ("client", "clients", &[]),
    ("token", "tokens", &[]),
    ("char", "chars", &["character", "characters"]),
    ("digit", "digits", &[]),
    ("id", "ids", &[]),
    ("code", "codes", &[]),
    ("bucket", "buckets", &[]),
    ("counter", "counters", &[]),
    ("region", "regions", &[]),
    ("datacenter", "datacenters", &[]),
    ("follower", "followers", &[]),
    ("like", "likes", &[]),
    ("comment", "comments", &[]),
    ("upload", "uploads", &[]),
    ("search", "searches", &[]),
    ("lookup", "lookups", &[]),
    ("redirect", "redirects", &[]),
    ("refund", "refunds", &[]),
    ("transfer", "transfers", &[]),
    ("charge", "charges", &[]),
    ("heartbeat", "heartbeats", &[]),
    ("receipt", "receipts", &[]),
    ("line", "lines", &[]),
    ("webhook", "webhooks", &[]),
    ("entity", "entities", &[]),
    // Money is a count too: `$50M` is 50M USD, and no arithmetic depends on it.
    ("USD", "USD", &["dollar", "dollars"]),
    ("EUR", "EUR", &["euro", "euros"]),
];

/// The money signs written before an amount (`$50M`), with the count they stand for.
pub(super) const MONEY_SIGNS: &[(&str, &str)] = &[("$", "USD"), ("€", "EUR")];

/// Words that mark an estimate as approximate when written before a number
/// (`~5 GB`, `about 100M users`): read and ignored, since every estimate is one.
pub(super) const HEDGES: &[&str] = &["~", "about", "roughly", "approx", "approximately"];

/// Words with a meaning of their own in the grammar.
const KEYWORDS: &[&str] = &["per", "to", "in"];
pub(super) const FUNCTIONS: &[&str] = &[
    "ceil", "floor", "round", "min", "max", "sqrt", "log2", "log10",
];

/// The tables as maps, built once: exact spellings, and lower-cased spellings
/// for the words whose case never matters (count nouns, long unit names).
struct Index {
    exact: HashMap<&'static str, Lookup, Fnv>,
    /// Keys are the tables' own text where it is already lower case (nearly
    /// all of them), so building the index copies almost nothing.
    folded: HashMap<Cow<'static, str>, Lookup, Fnv>,
}

/// FNV-1a: words are short and the table is ours, so a simple hash beats the
/// default (DoS-resistant) one, and lookups sit on every expression's path.
#[derive(Default, Clone, Copy)]
struct Fnv;

struct FnvHasher(u64);

impl std::hash::BuildHasher for Fnv {
    type Hasher = FnvHasher;
    fn build_hasher(&self) -> FnvHasher {
        FnvHasher(0xcbf2_9ce4_8422_2325)
    }
}

impl std::hash::Hasher for FnvHasher {
    fn finish(&self) -> u64 {
        self.0
    }
    fn write(&mut self, bytes: &[u8]) {
        for b in bytes {
            self.0 ^= u64::from(*b);
            self.0 = self.0.wrapping_mul(0x0100_0000_01b3);
        }
    }
}

/// The tables' own copy of a label (`req`, `user`), for labels read back
/// from a compiled bank: labels are compared and shown as the tables hold them.
pub(crate) fn static_label(name: &str) -> Option<&'static str> {
    UNITS
        .iter()
        .filter_map(|unit| unit.label)
        .chain(COUNTS.iter().map(|(singular, _, _)| *singular))
        .find(|label| *label == name)
}

fn index() -> &'static Index {
    static INDEX: OnceLock<Index> = OnceLock::new();
    INDEX.get_or_init(|| {
        // Sized to the tables (a map's memory is most of what `sdi calc`
        // touches, and each page touched first costs a fault).
        let names: usize = UNITS.iter().map(|u| u.names.len()).sum();
        let magnitudes: usize = MAGNITUDES.iter().map(|(names, _)| names.len()).sum();
        let counts: usize = COUNTS.iter().map(|(_, _, others)| others.len() + 2).sum();
        let mut exact = HashMap::with_capacity_and_hasher(names + magnitudes + counts, Fnv);
        let long_names = UNITS
            .iter()
            .flat_map(|u| u.names.iter())
            .filter(|n| n.len() > 3)
            .count();
        let mut folded = HashMap::with_capacity_and_hasher(long_names + counts, Fnv);
        for unit in UNITS {
            let lookup = Lookup::Unit {
                factor: unit.factor,
                dim: unit.dim,
                label: unit.label,
            };
            for name in unit.names {
                exact.entry(*name).or_insert(lookup);
                // Long lower-case names (`days`, `bytes`) also match in any case
                // (`Days`, `BYTES`); short symbols never do, since `MB` and `mb` differ.
                if name.len() > 3 && name.bytes().all(|b| b.is_ascii_lowercase()) {
                    folded.entry(Cow::Borrowed(*name)).or_insert(lookup);
                }
            }
        }
        for (names, factor) in MAGNITUDES {
            for name in *names {
                exact
                    .entry(*name)
                    .or_insert(Lookup::Magnitude { factor: *factor });
            }
        }
        for (singular, plural, others) in COUNTS {
            let lookup = Lookup::Count { singular };
            for name in [*singular, *plural].iter().chain(others.iter()) {
                exact.entry(*name).or_insert(lookup);
                let key = if name.bytes().any(|b| b.is_ascii_uppercase()) {
                    Cow::Owned(name.to_ascii_lowercase())
                } else {
                    Cow::Borrowed(*name)
                };
                folded.entry(key).or_insert(lookup);
            }
        }
        Index { exact, folded }
    })
}

/// Looks a word up in the unit, magnitude and count tables.
pub(crate) fn lookup(word: &str) -> Option<Lookup> {
    let index = index();
    if let Some(found) = index.exact.get(word) {
        return Some(*found);
    }
    if word.bytes().any(|b| b.is_ascii_uppercase()) {
        index.folded.get(&*word.to_ascii_lowercase()).copied()
    } else {
        index.folded.get(word).copied()
    }
}

/// The singular of a plural count noun (`servers` -> `server`), for "1 server".
pub(super) fn singular_of(plural: &str) -> Option<&'static str> {
    COUNTS
        .iter()
        .find(|(s, p, _)| *p == plural && s != p)
        .map(|(s, _, _)| *s)
}

/// The plural display form of a count stored by its singular.
pub(super) fn plural_of(singular: &str) -> &str {
    COUNTS
        .iter()
        .find(|(s, _, _)| *s == singular)
        .map_or(singular, |(_, p, _)| p)
}

/// True when `word` means something to the engine, so an assumption may not be
/// named after it (it would be shadowed or would shadow the unit).
pub(crate) fn is_reserved_word(word: &str) -> bool {
    lookup(word).is_some()
        || KEYWORDS.contains(&word)
        || FUNCTIONS.contains(&word)
        || HEDGES.contains(&word)
        || AMBIGUOUS.iter().any(|(w, _)| *w == word)
}

pub(super) fn is_keyword(word: &str) -> bool {
    KEYWORDS.contains(&word)
}

/// Words refused because they could mean two things, with what to write instead.
pub(super) const AMBIGUOUS: &[(&str, &str)] = &[
    (
        "m",
        "`m` is ambiguous: write `min` for minutes or `M` for million",
    ),
    (
        "b",
        "`b` alone is ambiguous: write `bit` for bits, `B` for bytes or `bn` for billion",
    ),
];

/// Every word the engine knows, for did-you-mean suggestions.
pub(super) fn all_words() -> impl Iterator<Item = &'static str> {
    UNITS
        .iter()
        .flat_map(|u| u.names.iter().copied())
        .chain(MAGNITUDES.iter().flat_map(|(n, _)| n.iter().copied()))
        .chain(COUNTS.iter().flat_map(|(s, p, o)| {
            let plural = (s != p).then_some(*p);
            std::iter::once(*s).chain(plural).chain(o.iter().copied())
        }))
        .chain(FUNCTIONS.iter().copied())
}

/// Words longer than this get no suggestion: no known word or sensible name is
/// near that long, and the edit distance costs the product of the two lengths.
const LONGEST_SUGGESTED: usize = 64;

/// The closest known word to `word` among `candidates`, if it is close enough to
/// be a plausible typo.
pub(super) fn suggest<'a>(word: &str, candidates: impl Iterator<Item = &'a str>) -> Option<String> {
    let length = word.chars().count();
    if length > LONGEST_SUGGESTED {
        return None;
    }
    let lower = word.to_lowercase();
    let limit = match length {
        0..=4 => 1,
        5..=7 => 2,
        _ => 3,
    };
    let mut best: Option<(usize, &str)> = None;
    let mut candidate_lower = String::new();
    for candidate in candidates {
        // Each edit changes the length by one at most: a word much longer or
        // shorter is never within the limit, whatever its letters.
        if candidate == word || candidate.chars().count().abs_diff(length) > limit {
            continue;
        }
        candidate_lower.clear();
        candidate_lower.extend(candidate.chars().flat_map(char::to_lowercase));
        // Case slips (`gb`, `Kib`) cost less than other edits; transposed
        // letters (`usres`) count as one edit.
        let distance = if candidate_lower == lower {
            0
        } else {
            strsim::osa_distance(&lower, &candidate_lower)
        };
        if distance <= limit && best.is_none_or(|(d, _)| distance < d) {
            best = Some((distance, candidate));
        }
    }
    best.map(|(_, w)| w.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn b_is_the_byte_and_prefixed_b_is_bits() {
        assert!(matches!(lookup("B"), Some(Lookup::Unit { factor, .. }) if factor == 1.0));
        assert!(matches!(lookup("Mb"), Some(Lookup::Unit { factor, .. }) if factor == 125e3));
        assert!(lookup("b").is_none());
        assert!(lookup("m").is_none());
    }

    #[test]
    fn counts_match_any_case_but_units_do_not() {
        assert!(matches!(
            lookup("Users"),
            Some(Lookup::Count { singular: "user" })
        ));
        assert!(matches!(
            lookup("requests"),
            Some(Lookup::Count { singular: "req" })
        ));
        assert!(lookup("mb").is_none());
        assert!(lookup("gb").is_none());
    }

    #[test]
    fn no_word_means_two_things() {
        // `min` is both minutes and a function; a call is told apart by its `(`.
        let words: Vec<&str> = all_words().filter(|w| !FUNCTIONS.contains(w)).collect();
        for (i, w) in words.iter().enumerate() {
            assert!(
                !words[i + 1..].contains(w),
                "`{w}` appears twice in the tables"
            );
        }
    }

    #[test]
    fn suggestions_catch_typos_and_case_slips() {
        assert_eq!(suggest("gb", all_words()).as_deref(), Some("GB"));
        assert_eq!(suggest("secnds", all_words()).as_deref(), Some("seconds"));
        assert_eq!(suggest("usres", all_words()).as_deref(), Some("users"));
        assert_eq!(suggest("zzzzzz", all_words()), None);
    }

    #[test]
    fn a_very_long_word_gets_no_suggestion_and_costs_nothing() {
        let long = "q".repeat(130_000);
        // Never compared: the length alone rules every candidate out.
        assert_eq!(suggest(&long, all_words()), None);
        // Just past a known word's length, a typo is still caught.
        assert_eq!(
            suggest("notificationss", all_words()).as_deref(),
            Some("notifications")
        );
    }

    #[test]
    fn money_and_byte_rates_are_known() {
        assert!(matches!(
            lookup("USD"),
            Some(Lookup::Count { singular: "USD" })
        ));
        assert!(matches!(
            lookup("usd"),
            Some(Lookup::Count { singular: "USD" })
        ));
        assert!(matches!(lookup("MBps"), Some(Lookup::Unit { factor, .. }) if factor == 1e6));
        assert!(matches!(lookup("Mbps"), Some(Lookup::Unit { factor, .. }) if factor == 125e3));
        assert!(matches!(lookup("msec"), Some(Lookup::Unit { factor, .. }) if factor == 1e-3));
        assert!(is_reserved_word("about"));
    }
}
