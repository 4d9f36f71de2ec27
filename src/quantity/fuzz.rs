//! The fuzz harness: generated inputs through every entry point of the engine
//! (parse, evaluate, display, the unit parser, the check), failing on a panic, a
//! non-finite number shown, or an input under 1 KB that takes over 10 ms.
//!
//! `fuzz` (ignored by default) feeds 1,000,000 inputs; run it with
//! `cargo test --release -- --ignored fuzz` (add `--nocapture` for the rate).
//! `fuzz_short` feeds 20,000 of them in every `cargo test`. The inputs mix random
//! bytes, random characters from the engine's alphabet, soups of its own tokens,
//! mutations of valid expressions, answers written as ranges, and nestings and
//! chains around the limits.
//!
//! Overflow: `cargo test --release` compiles without overflow checks, and
//! `[profile.release]` stays as it is. The engine does not rely on them: its
//! integer arithmetic (exponents of units and counts, depths, spans) is checked
//! explicitly (`checked_*`, comparisons against the limits before any cast), so it
//! behaves the same in every profile. The short run in `cargo test` (the test
//! profile, overflow checks on) catches any unchecked arithmetic left over.
//!
//! Reproducing: input `i` is generated from its own RNG, seeded from the run's
//! seed and `i`. A failure names both; `SDI_FUZZ_SEED`, `SDI_FUZZ_START` and
//! `SDI_FUZZ_INPUTS` replay a window, and `SDI_FUZZ_TRACE=1` prints each input
//! before it runs (for a crash that leaves no report, such as an abort).

use super::check::Check;
use super::display::displayable;
use super::units::{FUNCTIONS, HEDGES, all_words};
use super::{
    MAX_NESTING, MAX_SOURCE_BYTES, NoVariables, Quantity, Verdict, check_answer, evaluate,
    evaluate_unit, parse,
};
use std::collections::BTreeMap;
use std::io::Write;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::time::{Duration, Instant};

/// The seed of a run unless `SDI_FUZZ_SEED` says otherwise.
const DEFAULT_SEED: u64 = 0x5d1_f022;

/// Inputs shorter than this must each finish within [`SLOW`].
const TIMED_BELOW: usize = 1024;

/// The time one input may take, all entry points together. A debug build (the
/// short run in `cargo test`) is about ten times slower, and gets ten times more.
const SLOW: Duration = if cfg!(debug_assertions) {
    Duration::from_millis(100)
} else {
    Duration::from_millis(10)
};

#[test]
fn fuzz_short() {
    run(setting("SDI_FUZZ_INPUTS", 20_000), false);
}

#[test]
#[ignore = "a million inputs: run with `cargo test --release -- --ignored fuzz`"]
fn fuzz() {
    run(setting("SDI_FUZZ_INPUTS", 1_000_000), true);
}

fn setting(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// What one run found.
#[derive(Default)]
struct Tally {
    values: usize,
    errors: usize,
    slowest: Duration,
    slowest_input: String,
    /// The slowest of the inputs held to [`SLOW`].
    slowest_timed: Duration,
    failures: Vec<String>,
}

fn run(inputs: u64, progress: bool) {
    let seed = setting("SDI_FUZZ_SEED", DEFAULT_SEED);
    let start = setting("SDI_FUZZ_START", 0);
    let trace = std::env::var_os("SDI_FUZZ_TRACE").is_some();
    let scope = scope();
    let references = references();
    let mut tally = Tally::default();
    let began = Instant::now();
    for index in start..start.saturating_add(inputs) {
        let src = generate(&mut input_rng(seed, index));
        if trace {
            // Straight to the process's stderr, past the test harness's capture,
            // so the input is on screen even if the process dies on it.
            let _ = writeln!(std::io::stderr(), "fuzz input {index}: {src:?}");
        }
        let attempt = || {
            let started = Instant::now();
            let outcome = catch_unwind(AssertUnwindSafe(|| exercise(&src, &scope, &references)));
            (outcome, started.elapsed())
        };
        let (outcome, mut took) = attempt();
        if src.len() < TIMED_BELOW && took > SLOW {
            // The machine may have been busy: the best of three decides.
            for _ in 0..2 {
                took = took.min(attempt().1);
            }
        }
        let failure = match outcome {
            Err(panic) => Some(format!("panicked: {}", panic_text(&*panic))),
            Ok(Err(problem)) => Some(problem),
            Ok(Ok(true)) => {
                tally.values += 1;
                None
            }
            Ok(Ok(false)) => {
                tally.errors += 1;
                None
            }
        };
        let failure = failure.or_else(|| {
            (src.len() < TIMED_BELOW && took > SLOW)
                .then(|| format!("took {took:?} (limit {SLOW:?})"))
        });
        if let Some(failure) = failure {
            tally.failures.push(format!(
                "input {index} ({} bytes) {failure}: {:?}",
                src.len(),
                shorten(&src)
            ));
        }
        if took > tally.slowest {
            tally.slowest = took;
            tally.slowest_input = shorten(&src);
        }
        if src.len() < TIMED_BELOW {
            tally.slowest_timed = tally.slowest_timed.max(took);
        }
        let done = index - start + 1;
        if progress && done.is_multiple_of(100_000) {
            let _ = writeln!(
                std::io::stderr(),
                "fuzz: {done} inputs checked in {:.1} s (seed {seed:#x})",
                began.elapsed().as_secs_f64()
            );
        }
    }
    let elapsed = began.elapsed();
    eprintln!(
        "fuzz: {inputs} inputs (seed {seed:#x}, from {start}) in {:.2} s, {:.0} inputs/s; \
         {} values, {} errors; slowest under {TIMED_BELOW} bytes {:?}; slowest {:?}: {:?}",
        elapsed.as_secs_f64(),
        inputs as f64 / elapsed.as_secs_f64().max(1e-9),
        tally.values,
        tally.errors,
        tally.slowest_timed,
        tally.slowest,
        tally.slowest_input,
    );
    assert!(
        tally.failures.is_empty(),
        "{} of {inputs} inputs failed (replay one with SDI_FUZZ_SEED={seed} SDI_FUZZ_START=<input> \
         SDI_FUZZ_INPUTS=1):\n{}",
        tally.failures.len(),
        tally
            .failures
            .iter()
            .take(20)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
}

/// Input `index`'s own generator, so any input can be replayed alone.
fn input_rng(seed: u64, index: u64) -> fastrand::Rng {
    fastrand::Rng::with_seed(seed ^ index.wrapping_mul(0x9e37_79b9_7f4a_7c15))
}

fn panic_text(panic: &(dyn std::any::Any + Send)) -> String {
    panic
        .downcast_ref::<&str>()
        .map(|s| (*s).to_string())
        .or_else(|| panic.downcast_ref::<String>().cloned())
        .unwrap_or_else(|| "a panic without a message".into())
}

fn shorten(src: &str) -> String {
    if src.chars().count() <= 200 {
        src.to_string()
    } else {
        let head: String = src.chars().take(160).collect();
        format!("{head}… ({} bytes)", src.len())
    }
}

/// The names an answer may use, as a problem's assumptions provide them.
fn scope() -> BTreeMap<String, Quantity> {
    let mut scope = BTreeMap::new();
    for (name, src) in [
        ("daily_users", "100M users"),
        ("peak_factor", "3"),
        ("record_size", "500 B"),
        ("per_day", "1e9 / day"),
        ("tiny", "1e-300"),
        ("huge", "1e300"),
        ("retention_period", "5 years"),
    ] {
        let q = evaluate(src, &NoVariables).expect("a valid scope").quantity;
        scope.insert(name.to_string(), q);
    }
    scope
}

/// Questions to check every input against: (reference, unit).
fn references() -> Vec<(Quantity, Quantity, &'static str)> {
    [
        ("11574 req/s", "req/s"),
        ("36.5 TB", "TB"),
        ("1.46 bn", "1 bn"),
        ("8.76 h", "h"),
        ("3 servers", "servers"),
    ]
    .into_iter()
    .map(|(reference, unit)| {
        let reference = evaluate(reference, &NoVariables).unwrap().quantity;
        let one = evaluate(unit, &NoVariables).unwrap().quantity;
        (reference, one, unit.trim_start_matches("1 "))
    })
    .collect()
}

/// Runs one input through every entry point. `Ok(true)` when it evaluated,
/// `Ok(false)` when it was refused with an error, `Err` for a broken promise.
fn exercise(
    src: &str,
    scope: &BTreeMap<String, Quantity>,
    references: &[(Quantity, Quantity, &str)],
) -> Result<bool, String> {
    if let Err(error) = parse(src) {
        // Spans stay in bounds: the source at the span exists.
        if src.get(error.span.start..error.span.end).is_none() {
            return Err(format!("parse error span {:?} out of bounds", error.span));
        }
    }
    let evaluated = match evaluate(src, scope) {
        Ok(evaluation) => {
            let shown = &evaluation.shown;
            if !evaluation.quantity.value.is_finite() || !displayable(shown.value) {
                return Err(format!("evaluated to a value not shown: {}", shown.text()));
            }
            shows_a_number(&shown.text())?;
            true
        }
        Err(diagnostic) => {
            let text = diagnostic.to_string();
            if text.is_empty() || src.len() > MAX_SOURCE_BYTES && text.len() > 2_000 {
                return Err(format!("an unreadable error: {} bytes", text.len()));
            }
            if diagnostic.error.help.is_none() {
                return Err(format!("an error without help: {text}"));
            }
            false
        }
    };
    match evaluate_unit(src) {
        Ok(unit) if !unit.value.is_finite() || unit.value == 0.0 => {
            return Err(format!("a unit worth {}", unit.value));
        }
        Ok(_) => {}
        Err(diagnostic) => {
            let _ = diagnostic.to_string();
        }
    }
    // Two questions per input, a different pair each time (by the input's
    // length): all of them over a run, at less than half the cost.
    for k in [0, 2] {
        let (reference, unit, unit_text) = &references[(src.len() + k) % references.len()];
        let check = check_answer(src, reference, unit, unit_text, 2.0, scope);
        check_is_sound(&check)?;
    }
    Ok(evaluated)
}

fn check_is_sound(check: &Check) -> Result<(), String> {
    if let Some(ratio) = check.ratio
        && !(displayable(ratio) && displayable(ratio.recip()))
    {
        return Err(format!("a ratio of {ratio}: {}", check.message));
    }
    if let Some(shown) = &check.answer
        && !displayable(shown.value)
    {
        return Err(format!("an answer shown as {}", shown.text()));
    }
    if let Some(shown) = &check.answer {
        shows_a_number(&shown.text())?;
    }
    if check.verdict != Verdict::Invalid {
        // Invalid quotes the input, which may say anything; the rest is ours.
        shows_a_number(&check.message)?;
    }
    Ok(())
}

/// Text the engine wrote must never show `inf` or `NaN` as a number.
fn shows_a_number(text: &str) -> Result<(), String> {
    let bad = text
        .split(|c: char| !c.is_alphanumeric())
        .any(|word| matches!(word, "inf" | "infx" | "NaN" | "NaNx"));
    if bad {
        Err(format!("shows a non-finite number: {text}"))
    } else {
        Ok(())
    }
}

/// Valid expressions and answers, for mutation.
const CORPUS: &[&str] = &[
    "100M * 10 / day -> req/s",
    "150e6 * 2 / 86400 s -> req/s",
    "30 TB/day * 5 years -> PB",
    "10 Gbps -> MB/s",
    "1 month -> s",
    "2^32 B -> GiB",
    "1 year * (1 - 99.9%) -> hour",
    "100M / day * 3650 days -> bn",
    "300M users * 50% * 2 / day -> req/s",
    "100M users * 2 req/day -> req/s",
    "ceil(11.6k req/s / (2k req/s))",
    "max(3 GB, 2000 MB) -> GB",
    "sqrt(4 s^2) -> s",
    "log2(1024)",
    "2000 req/s / (500 req/s/server)",
    "daily_users * 2 / day * peak_factor",
    "per_day * retention_period * record_size -> TB",
    "1000 / 5 / day",
    "100 / min(2, 4)",
    "-5 GB + 10 GB",
    "116,000 req/s",
    "~5 GB",
    "about 100M users",
    "3 x 10^5",
    "3×10^5",
    "$50M / month",
    "5 USD * 1M",
    "5 MBps -> MB/s",
    "5 msec",
    "5 / s -> per second",
    "10-15 tx/s",
    "10 to 15 tx/s",
    "10-15k req/s",
    "1.46 bn",
    "36500 GB",
    "11.6k",
    "((s^2)^2)^2 / s^8",
    "1e300 * tiny",
    "huge * 10",
];

/// Words and symbols the engine reads, plus some it must refuse.
fn vocabulary() -> Vec<&'static str> {
    let mut words: Vec<&'static str> = all_words().collect();
    words.extend(HEDGES);
    words.extend(FUNCTIONS.iter().map(|f| match *f {
        "ceil" => "ceil(",
        "floor" => "floor(",
        "round" => "round(",
        "min" => "min(",
        "max" => "max(",
        "sqrt" => "sqrt(",
        "log2" => "log2(",
        _ => "log10(",
    }));
    words.extend([
        "+",
        "-",
        "*",
        "/",
        "^",
        "(",
        ")",
        ",",
        "->",
        "→",
        "**",
        "per",
        "to",
        "in",
        "x",
        "X",
        "×",
        "~",
        "$",
        "€",
        "£",
        "%",
        "m",
        "b",
        "foo",
        "peak_factor",
        "daily_users",
        "tiny",
        "huge",
        "record_size",
        "0",
        "1",
        "2",
        "8",
        "9",
        "16",
        "17",
        "127",
        "128",
        "255",
        "256",
        "1e308",
        "1.7976931348623157e308",
        "4.9e-324",
        "1e-300",
        "1e309",
        "-0",
        "0.0",
        ".5",
        "5.",
        "1_000",
        "1,000",
        "1,000,000",
        "12,34",
        "1e",
        "1e+",
        "NaN",
        "inf",
        "µs",
        "\u{0}",
        "\n",
        "\t",
        " ",
    ]);
    words
}

fn generate(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..100) {
        0..=9 => random_bytes(rng),
        10..=24 => random_chars(rng),
        25..=49 => token_soup(rng),
        50..=74 => mutation(rng),
        75..=82 => range_answer(rng),
        _ => deep(rng),
    }
}

fn random_bytes(rng: &mut fastrand::Rng) -> String {
    let len = if rng.u8(0..10) == 0 {
        rng.usize(0..1200)
    } else {
        rng.usize(0..48)
    };
    let bytes: Vec<u8> = (0..len).map(|_| rng.u8(..)).collect();
    String::from_utf8_lossy(&bytes).into_owned()
}

fn random_chars(rng: &mut fastrand::Rng) -> String {
    const ALPHABET: &[char] = &[
        '0', '1', '2', '5', '9', '.', 'e', 'E', '+', '-', '*', '/', '^', '(', ')', '%', ',', '~',
        '$', '€', '£', '→', '−', '×', '÷', '·', 'µ', 'μ', '_', ' ', 'k', 'M', 'b', 'n', 'T', 'x',
        'X', 's', 'm', 'h', 'd', 'y', 'B', 'i', 't', 'G', 'K', 'P', 'p', 'r', 'q', '>', '\t', '\n',
        '≈', '\u{301}', '\u{200b}',
    ];
    let len = rng.usize(0..40);
    (0..len)
        .map(|_| {
            if rng.u8(0..20) == 0 {
                rng.char(..)
            } else {
                ALPHABET[rng.usize(..ALPHABET.len())]
            }
        })
        .collect()
}

fn token_soup(rng: &mut fastrand::Rng) -> String {
    let words = vocabulary();
    let count = rng.usize(0..24);
    let glue = if rng.bool() { " " } else { "" };
    let mut out = String::new();
    for i in 0..count {
        if i > 0 {
            out.push_str(glue);
        }
        match rng.u8(0..4) {
            0 => out.push_str(&number(rng)),
            _ => out.push_str(words[rng.usize(..words.len())]),
        }
    }
    out
}

/// A number as a candidate might write it, or one at the edges of `f64`.
fn number(rng: &mut fastrand::Rng) -> String {
    match rng.u8(0..8) {
        0 => rng.u32(..).to_string(),
        1 => format!("{}", rng.f64() * 10f64.powi(rng.i32(-12..16))),
        2 => format!("{}e{}", rng.u8(1..10), rng.i32(-330..330)),
        3 => format!("{}.{}", rng.u16(..), rng.u16(..)),
        4 => format!("{},{:03}", rng.u16(1..1000), rng.u16(0..1000)),
        5 => format!("{}_{:03}", rng.u16(1..1000), rng.u16(0..1000)),
        6 => [
            "0",
            "1e308",
            "1.7976931348623157e308",
            "5e-324",
            "2.2250738585072014e-308",
        ][rng.usize(..5)]
        .to_string(),
        _ => rng.u8(..).to_string(),
    }
}

fn mutation(rng: &mut fastrand::Rng) -> String {
    let mut src: Vec<char> = CORPUS[rng.usize(..CORPUS.len())].chars().collect();
    let words = vocabulary();
    for _ in 0..rng.usize(1..5) {
        let at = rng.usize(0..=src.len());
        match rng.u8(0..8) {
            0 if !src.is_empty() => {
                let end = (at + rng.usize(1..4)).min(src.len());
                src.drain(at.min(end)..end);
            }
            1 => {
                let word: Vec<char> = words[rng.usize(..words.len())].chars().collect();
                src.splice(at..at, word);
            }
            2 => {
                let n: Vec<char> = number(rng).chars().collect();
                src.splice(at..at, n);
            }
            3 if !src.is_empty() => {
                let from = rng.usize(..src.len());
                let end = (from + rng.usize(1..12)).min(src.len());
                let copy: Vec<char> = src[from..end].to_vec();
                src.splice(at..at, copy);
            }
            4 if src.len() > 1 => {
                let a = rng.usize(..src.len());
                let b = rng.usize(..src.len());
                src.swap(a, b);
            }
            5 => {
                src.insert(0, '(');
                src.push(')');
            }
            6 => {
                let prefix = ["-", "~", "$", "about ", "- -", "€"][rng.usize(..6)];
                src.splice(0..0, prefix.chars());
            }
            _ => {
                let c = ['-', ',', 'x', ' ', '/', '^', '%', 'k'][rng.usize(..8)];
                src.insert(at, c);
            }
        }
    }
    src.into_iter().collect()
}

fn range_answer(rng: &mut fastrand::Rng) -> String {
    let magnitudes = ["", "k", "M", " bn", "%", "x", " k"];
    let units = [
        "", " tx/s", " req/s", " TB", " GB/day", " users", " h", " bn", " s^2",
    ];
    let end = |rng: &mut fastrand::Rng| {
        format!(
            "{}{}",
            number(rng),
            magnitudes[rng.usize(..magnitudes.len())]
        )
    };
    let hedge = if rng.u8(0..4) == 0 { "~" } else { "" };
    let sep = ["-", " - ", " to ", "−", "--"][rng.usize(..5)];
    format!(
        "{hedge}{}{sep}{}{}",
        end(rng),
        end(rng),
        units[rng.usize(..units.len())]
    )
}

/// Nestings and chains around the limits, and some well beyond them.
fn deep(rng: &mut fastrand::Rng) -> String {
    let depth = match rng.u8(0..4) {
        0 => rng.usize(MAX_NESTING - 3..MAX_NESTING + 3),
        1 => rng.usize(0..600),
        2 => rng.usize(0..40),
        _ => rng.usize(1000..6000),
    };
    let leaf = ["1", "2 GB", "x", "1e300", "s", "-1", "5 req/s"][rng.usize(..7)];
    match rng.u8(0..10) {
        0 => format!("{}{leaf}{}", "(".repeat(depth), ")".repeat(depth)),
        1 => {
            let f = ["sqrt(", "ceil(", "max(1, ", "min(2 GB, ", "log2("][rng.usize(..5)];
            format!("{}{leaf}{}", f.repeat(depth), ")".repeat(depth))
        }
        2 => format!(
            "{}{leaf}",
            ["-", "- ", "+", "-+"][rng.usize(..4)].repeat(depth)
        ),
        3 => {
            let op = ["+", " * ", "/", " per ", "-", " x "][rng.usize(..6)];
            vec![leaf; depth.max(1)].join(op)
        }
        4 => format!(
            "{leaf}{}",
            [" k", "M", "%", " x", " bn"][rng.usize(..5)].repeat(depth)
        ),
        5 => format!("{}{leaf}{}", "(".repeat(depth), ")^2".repeat(depth)),
        6 => format!("{}s{}", "(".repeat(depth % 40), "^8)".repeat(depth % 40)),
        7 => format!("2^{}1{}", "-(".repeat(depth), ")".repeat(depth)),
        8 => format!("{}{leaf}", "~".repeat(depth)),
        _ => {
            // Unbalanced: opens without closes, or the reverse.
            if rng.bool() {
                "(".repeat(depth)
            } else {
                format!("1{}", ")".repeat(depth))
            }
        }
    }
}
