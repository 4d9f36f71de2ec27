//! The tolerance check: compares a candidate's answer with a reference.
//!
//! With q = answer / reference, the verdict is `ok` when |log10 q| <= log10(tolerance),
//! `close` within the square of the tolerance (4x for the usual 2x), `off`
//! beyond, so a 10x slip is never half right; `unit-mismatch` when the dimensions differ,
//! `missing` when the answer is empty, `invalid` when it does not parse or is too
//! large a number to compare. A bare number is read in the question's unit, as a
//! candidate writing `11600` for a `req/s` question means.
//!
//! An answer is read the way a candidate writes it: a range (`10-15 tx/s`, `10 to
//! 15 tx/s`, `10-15k`) is checked at its geometric mean, and the message says so.
//! `calc` reads `10-15` as the subtraction it is; only an answer is a range.

use super::display::{Shown, displayable, format_in, format_quantity};
use super::eval::{Env, Evaluation, evaluate};
use super::lexer::{Tok, Token, tokenize};
use super::units::{self, HEDGES, Lookup};
use super::{Diagnostic, MAX_SOURCE_BYTES, Quantity};
use std::fmt;

crate::wire::wire_enum! {
    /// How an answer compares with its reference.
    pub(crate) enum Verdict {
        Ok = "ok", "ok";
        Close = "close", "close";
        Off = "off", "off";
        UnitMismatch = "unit-mismatch", "unit mismatch";
        Missing = "missing", "missing";
        Invalid = "invalid", "invalid";
    }
}

impl Verdict {
    /// Credit toward a score: full for `ok`, half for `close`, none otherwise.
    pub(crate) fn credit(self) -> f64 {
        match self {
            Verdict::Ok => 1.0,
            Verdict::Close => 0.5,
            _ => 0.0,
        }
    }

    /// True when the answer counts as right for drills and spaced repetition.
    pub(crate) fn is_correct(self) -> bool {
        self == Verdict::Ok
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// The outcome of checking one answer.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Check {
    pub verdict: Verdict,
    /// answer / reference, when both are comparable.
    pub ratio: Option<f64>,
    /// The answer expressed in the question's unit.
    pub answer: Option<Shown>,
    /// What to tell the learner: "3.2x too high", or what is wrong with the answer.
    pub message: String,
    /// The parse or evaluation error, for `invalid`.
    pub error: Option<Diagnostic>,
    /// How the answer was read when that is not plain to see: "read as the range
    /// 10 to 15 tx/s, checked at 12.2 tx/s". Also at the end of `message`.
    pub note: Option<String>,
}

/// "3.2x too high", "2.4x too low", "12,000x too low", "spot on".
pub(crate) fn ratio_phrase(ratio: f64) -> String {
    match factor_text(ratio) {
        Some((factor, high)) => format!("{factor}x too {}", if high { "high" } else { "low" }),
        None => "spot on".to_string(),
    }
}

/// The same in a table cell: "3.2x high", "2.4x low", "spot on".
pub(crate) fn ratio_short(ratio: f64) -> String {
    match factor_text(ratio) {
        Some((factor, high)) => format!("{factor}x {}", if high { "high" } else { "low" }),
        None => "spot on".to_string(),
    }
}

/// How many times off, as a person says it (`3.2`, `40`, `12,000`), and
/// whether too high; `None` within 5%. A factor is always at least 1, since
/// "0.04x" makes a reader do the division we should have done.
fn factor_text(ratio: f64) -> Option<(String, bool)> {
    let factor = if ratio >= 1.0 { ratio } else { 1.0 / ratio };
    if factor < 1.05 {
        return None;
    }
    let text = if factor < 9.95 {
        format!("{factor:.1}")
    } else if factor < 999.5 {
        format!("{factor:.0}")
    } else if factor < 1e12 {
        // Two significant figures with thousands separators: 12,000.
        let digits = factor.log10().floor() as i32;
        let rounded = (factor / 10f64.powi(digits - 1)).round() * 10f64.powi(digits - 1);
        let plain = format!("{rounded:.0}");
        if plain.len() == 4 {
            // 1,000x to 9,900x: grouped like the larger factors beside them.
            format!("{},{}", &plain[..1], &plain[1..])
        } else {
            super::display::group_thousands(&plain)
        }
    } else {
        super::format_number(factor, false)
    };
    Some((text, ratio > 1.0))
}

/// The factors behind the usual slips, each with what it says when the answer
/// is too high by it and when too low.
const SLIPS: &[(f64, &str, &str)] = &[
    (
        86_400.0,
        "that looks like a per-day count given per second (divide by 86,400)",
        "that looks like a per-second rate divided by 86,400 once too often",
    ),
    (
        3_600.0,
        "a factor of 3,600: per hour given per second?",
        "a factor of 3,600: per second given per hour?",
    ),
    (
        365.0,
        "a factor of 365: days and years mixed up?",
        "a factor of 365: days and years mixed up?",
    ),
    (
        60.0,
        "a factor of 60: seconds, minutes and hours mixed up?",
        "a factor of 60: seconds, minutes and hours mixed up?",
    ),
    (
        30.0,
        "a factor of 30: days and months mixed up?",
        "a factor of 30: days and months mixed up?",
    ),
    (
        24.0,
        "a factor of 24: hours and days mixed up?",
        "a factor of 24: hours and days mixed up?",
    ),
    (
        8.0,
        "a factor of 8: bits and bytes mixed up?",
        "a factor of 8: bits and bytes mixed up?",
    ),
    (
        7.0,
        "a factor of 7: days and weeks mixed up?",
        "a factor of 7: days and weeks mixed up?",
    ),
    (
        1e6,
        "a factor of a million: two prefix steps off (k to G, MB to TB)?",
        "a factor of a million: two prefix steps off (k to G, MB to TB)?",
    ),
    (
        1_000.0,
        "a factor of 1,000: one prefix step off (k, M, G, T)?",
        "a factor of 1,000: one prefix step off (k, M, G, T)?",
    ),
    (
        1_024.0,
        "a factor of 1,024: one binary prefix step off (KiB, MiB)?",
        "a factor of 1,024: one binary prefix step off (KiB, MiB)?",
    ),
    (
        100.0,
        "a factor of 100: a percentage used as a whole number (20 for 20%)?",
        "a factor of 100: a percentage divided by 100 twice?",
    ),
];

/// How close a ratio must be to a slip's factor to name it: answers are
/// rounded, but 7 and 8 must stay apart.
const SLIP_WINDOW: f64 = 1.06;

/// Names the likely slip behind an answer off by a recognisable factor: "that
/// looks like a per-day count given per second". `peak` is the problem's peak
/// factor, when it has one (left out, or applied where the average was asked).
pub(crate) fn diagnose(ratio: f64, peak: Option<f64>) -> Option<String> {
    if !ratio.is_finite() || ratio <= 0.0 {
        return None;
    }
    let high = ratio > 1.0;
    let factor = if high { ratio } else { 1.0 / ratio };
    let closeness = |f: f64| (factor / f).ln().abs();
    let window = SLIP_WINDOW.ln();
    let peak = peak.filter(|p| *p >= 1.5);
    let best = SLIPS
        .iter()
        .map(|(f, up, down)| (closeness(*f), if high { *up } else { *down }))
        .filter(|(d, _)| *d <= window)
        .min_by(|a, b| a.0.total_cmp(&b.0));
    let peak_match = peak
        .map(closeness)
        .filter(|d| *d <= window && best.is_none_or(|(b, _)| *d < b));
    match (peak_match, peak) {
        (Some(_), Some(p)) => Some(if high {
            format!(
                "about the peak factor ({}x): the peak applied where the average was asked?",
                super::format_number(p, false)
            )
        } else {
            format!(
                "about the peak factor ({}x): the peak factor left out?",
                super::format_number(p, false)
            )
        }),
        _ => best.map(|(_, text)| text.to_string()),
    }
}

/// A checked answer in one voice, for sessions, drills and reports: "ok:
/// 1.16k req/s, within 2x of the reference", "off: 10bn req/s is 86,000x too
/// high: that looks like a per-day count given per second".
pub(crate) fn verdict_sentence(check: &Check, tolerance: f64, peak: Option<f64>) -> String {
    let shown = check.answer.as_ref().map(|a| a.text()).unwrap_or_default();
    let mut text = match (check.verdict, check.ratio) {
        (Verdict::Ok, Some(r)) => {
            let how =
                factor_text(r).map_or_else(String::new, |_| format!(" ({})", ratio_phrase(r)));
            format!(
                "ok: {shown}, within {}x of the reference{how}",
                super::format_number(tolerance, false)
            )
        }
        (verdict, Some(r)) => {
            let mut text = format!("{verdict}: {shown} is {}", ratio_phrase(r));
            if let Some(slip) = diagnose(r, peak) {
                text.push_str(": ");
                text.push_str(&slip);
            }
            text
        }
        (verdict, None) => format!("{verdict}: {}", check.message),
    };
    if let (Some(note), Some(_)) = (&check.note, check.ratio) {
        text.push_str("; ");
        text.push_str(note);
    }
    text
}

/// Checks `answer` against `reference`. `unit` is one of the question's unit and
/// `unit_text` how it is written; `env` lets answers use the problem's names.
pub(crate) fn check_answer(
    answer: &str,
    reference: &Quantity,
    unit: &Quantity,
    unit_text: &str,
    tolerance: f64,
    env: &dyn Env,
) -> Check {
    let outcome = |verdict, ratio, answer, message: String, error| Check {
        verdict,
        ratio,
        answer,
        message,
        error,
        note: None,
    };
    let answer = answer.trim();
    if answer.is_empty() {
        return outcome(Verdict::Missing, None, None, "no answer".into(), None);
    }
    let reading = match read_answer(answer, unit, unit_text, env) {
        Ok(reading) => reading,
        Err(d) => {
            return outcome(Verdict::Invalid, None, None, d.to_string(), Some(d));
        }
    };
    let value = reading.value;
    if !displayable(value.value) || !displayable(value.value / unit.value) {
        // `1e300` for a question in TB: each number is finite, the bytes are not.
        let message = format!(
            "`{answer}` is too large to check: read in {unit_text}, it is beyond the largest \
             number the engine holds; check the magnitude"
        );
        return outcome(Verdict::Invalid, None, None, message, None);
    }
    if value.dim != reference.dim {
        let message = format!(
            "the answer is {} ({}) but the question asks for {} ({unit_text})",
            value.dim.describe(),
            reading.shown,
            reference.dim.describe()
        );
        return outcome(Verdict::UnitMismatch, None, None, message, None);
    }
    let shown = format_in(&value, unit, unit_text);
    let with_note = |message: String| match &reading.note {
        Some(note) => format!("{message} ({note})"),
        None => message,
    };
    if value.value <= 0.0 || reference.value <= 0.0 {
        let message = with_note("an estimate must be a positive number".to_string());
        let mut check = outcome(Verdict::Off, None, Some(shown), message, None);
        check.note = reading.note;
        return check;
    }
    let ratio = value.value / reference.value;
    if !displayable(ratio) || !displayable(ratio.recip()) {
        let message = format!(
            "`{answer}` is too far from any estimate to compare (over 1e300 times off): \
             check the magnitude"
        );
        return outcome(Verdict::Invalid, None, None, message, None);
    }
    let error = ratio.log10().abs();
    let verdict = if error <= tolerance.log10() + 1e-12 {
        Verdict::Ok
    } else if error <= 2.0 * tolerance.log10() + 1e-12 {
        Verdict::Close
    } else {
        Verdict::Off
    };
    let message = with_note(ratio_phrase(ratio));
    let mut check = outcome(verdict, Some(ratio), Some(shown), message, None);
    check.note = reading.note;
    check
}

/// An answer as the candidate means it: the value in base units, the text the
/// engine showed for it, and a note when it was read as a range.
struct Reading {
    value: Quantity,
    shown: String,
    note: Option<String>,
}

fn read_answer(
    answer: &str,
    unit: &Quantity,
    unit_text: &str,
    env: &dyn Env,
) -> Result<Reading, Diagnostic> {
    if let Some(range) = read_range(answer, unit, unit_text, env) {
        return Ok(range);
    }
    let evaluation = evaluate(answer, env)?;
    Ok(Reading {
        value: as_meant(&evaluation, unit),
        shown: evaluation.shown.text(),
        note: None,
    })
}

/// The value an evaluated answer means. A bare number is read in the unit asked
/// (`11600` for req/s). When that unit is itself a magnitude (`bn`, `M`), an
/// answer that says its magnitude (`1.46 bn`, `50M`) or is written out in full
/// (`1.46e9`) already is the number: nobody means a billion billions.
fn as_meant(evaluation: &Evaluation, unit: &Quantity) -> Quantity {
    let mut value = evaluation.quantity.clone();
    let magnitude_unit = unit.dim == super::Dimension::NONE && unit.value != 1.0;
    let as_written = magnitude_unit
        && (evaluation.ast.has_magnitude() || (unit.value > 1.0 && value.value >= unit.value));
    if evaluation.ast.is_bare_number() && evaluation.target.is_none() && !as_written {
        value.value *= unit.value;
        value.dim = unit.dim;
        value.labels = unit.labels;
    }
    value
}

/// Reads `10-15 tx/s`, `10 to 15 tx/s`, `~10-15k` as a range checked at its
/// geometric mean: two numbers (with magnitudes), a `-` or `to`, and an optional
/// unit that applies to both. A lower bound without a magnitude takes the upper
/// one's when it is the smaller number (`10-15k` is 10k to 15k, `500-2k` is 500
/// to 2,000). With `-`, the first must be the smaller, or it is a subtraction.
/// `None` when the answer is not written so, or either end does not evaluate.
fn read_range(answer: &str, unit: &Quantity, unit_text: &str, env: &dyn Env) -> Option<Reading> {
    if answer.len() > MAX_SOURCE_BYTES {
        // Refused by the evaluation, with its message.
        return None;
    }
    let tokens = tokenize(answer).ok()?;
    let mut i = 0;
    if matches!(tokens[i].tok, Tok::Word(w) if HEDGES.contains(&w)) {
        i += 1;
    }
    let lo = RangeEnd::read(&tokens, i)?;
    let dash = match tokens.get(lo.next)?.tok {
        Tok::Minus => true,
        Tok::Word("to") => false,
        _ => return None,
    };
    let hi = RangeEnd::read(&tokens, lo.next + 1)?;
    let rest = tokens.get(hi.next)?;
    let unit_follows = match rest.tok {
        Tok::End => true,
        Tok::Word(w) => matches!(
            units::lookup(w),
            Some(Lookup::Unit { .. } | Lookup::Count { .. })
        ),
        _ => false,
    };
    if !unit_follows {
        return None;
    }
    let rest = &answer[rest.span.start..];
    let hi_magnitudes = &answer[hi.number_end..hi.span.end];
    let lo_text = &answer[lo.span.start..lo.span.end];
    let lo_text =
        if lo.number_end == lo.span.end && !hi_magnitudes.is_empty() && lo.number < hi.number {
            format!("{lo_text}{hi_magnitudes}")
        } else {
            lo_text.to_string()
        };
    let hi_text = &answer[hi.span.start..hi.span.end];
    let end = |text: &str| -> Option<Quantity> {
        let source = format!("{text} {rest}");
        let evaluation = evaluate(source.trim(), env).ok()?;
        let value = as_meant(&evaluation, unit);
        (value.value > 0.0 && displayable(value.value)).then_some(value)
    };
    let (low, high) = (end(&lo_text)?, end(hi_text)?);
    if low.dim != high.dim || (dash && low.value >= high.value) {
        return None;
    }
    let mut value = low.clone();
    value.value = low.value.sqrt() * high.value.sqrt();
    let shown = |q: &Quantity| format_in(q, unit, unit_text);
    let (low_shown, high_shown, mean_shown) = if low.dim == unit.dim {
        (
            shown(&low).number,
            shown(&high).text(),
            shown(&value).text(),
        )
    } else {
        // The wrong dimension: the check says so; show the range as written.
        let own = |q: &Quantity| format_quantity(q).text();
        (own(&low), own(&high), own(&value))
    };
    let note = format!("read as the range {low_shown} to {high_shown}, checked at {mean_shown}");
    Some(Reading {
        shown: format_quantity(&value).text(),
        value,
        note: Some(note),
    })
}

/// One end of a range: a number and the magnitude words after it (`15`, `15k`,
/// `1.5 bn`).
struct RangeEnd {
    /// The whole end, magnitudes included.
    span: super::Span,
    /// The number as written, and where it ends in the source.
    number: f64,
    number_end: usize,
    /// The index of the token after it.
    next: usize,
}

impl RangeEnd {
    fn read(tokens: &[Token<'_>], mut i: usize) -> Option<RangeEnd> {
        let first = tokens.get(i)?;
        let Tok::Number(number) = first.tok else {
            return None;
        };
        let mut span = first.span;
        i += 1;
        while let Some(Token {
            tok: Tok::Word(w),
            span: word,
        }) = tokens.get(i)
        {
            if !matches!(units::lookup(w), Some(Lookup::Magnitude { .. })) {
                break;
            }
            span = span.to(*word);
            i += 1;
        }
        Some(RangeEnd {
            span,
            number,
            number_end: first.span.end,
            next: i,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{NoVariables, eval_str};

    fn close(a: f64, b: f64) -> bool {
        ((a - b) / b).abs() < 1e-9
    }

    fn check(answer: &str, reference: &str, unit: &str, tolerance: f64) -> Check {
        let reference = eval_str(reference).unwrap().quantity;
        // A magnitude (`bn`) needs a number before it, as the bank writes it.
        let unit_q = eval_str(unit)
            .or_else(|_| eval_str(&format!("1{unit}")))
            .unwrap()
            .quantity;
        check_answer(answer, &reference, &unit_q, unit, tolerance, &NoVariables)
    }

    #[test]
    fn verdicts_follow_the_log_ratio() {
        let r = "11574 req/s";
        assert_eq!(check("11.6k req/s", r, "req/s", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("20k req/s", r, "req/s", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("30k req/s", r, "req/s", 2.0).verdict, Verdict::Close);
        assert_eq!(check("3k req/s", r, "req/s", 2.0).verdict, Verdict::Close);
        assert_eq!(check("2.5k req/s", r, "req/s", 2.0).verdict, Verdict::Off);
        assert_eq!(check("1.2k req/s", r, "req/s", 2.0).verdict, Verdict::Off);
        assert_eq!(check("30k req/s", r, "req/s", 3.0).verdict, Verdict::Ok);
        // Close is within the square of the tolerance: 2.25x for 1.5x.
        assert_eq!(check("20k req/s", r, "req/s", 1.5).verdict, Verdict::Close);
        assert_eq!(check("30k req/s", r, "req/s", 1.5).verdict, Verdict::Off);
    }

    #[test]
    fn an_answer_in_a_magnitude_unit_is_not_scaled_twice() {
        let r = "1.46 bn";
        for answer in ["1.46", "1.46 bn", "1.46bn", "1460M", "1.46e9", "1460000000"] {
            let c = check(answer, r, "bn", 2.0);
            assert_eq!(c.verdict, Verdict::Ok, "{answer}: {}", c.message);
        }
        assert_eq!(check("2000", r, "bn", 2.0).verdict, Verdict::Off);
        assert_eq!(check("50M", "50M", "M", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("50", "50M", "M", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("99.9%", "99.9%", "%", 1.5).verdict, Verdict::Ok);
        assert_eq!(check("99.9", "99.9%", "%", 1.5).verdict, Verdict::Ok);
    }

    #[test]
    fn a_recognisable_factor_names_its_slip() {
        let d = |r: f64| diagnose(r, Some(3.0)).unwrap_or_default();
        assert!(d(86_000.0).contains("per-day count given per second"));
        assert!(d(1.0 / 86_400.0).contains("divided by 86,400 once too often"));
        assert!(d(3_600.0).contains("3,600"));
        assert!(d(1.0 / 60.0).contains("factor of 60"));
        assert!(d(24.0).contains("hours and days"));
        assert!(d(7.0).contains("days and weeks"));
        assert!(d(30.0).contains("days and months"));
        assert!(d(365.0).contains("days and years"));
        assert!(d(1.0 / 8.0).contains("bits and bytes"));
        assert!(d(1_000.0).contains("one prefix step"));
        assert!(d(1_024.0).contains("binary prefix"));
        assert!(d(100.0).contains("percentage"));
        assert!(d(3.0).contains("peak factor (3x)"));
        assert!(d(1.0 / 3.0).contains("peak factor left out"));
        // Rounded answers still match; a factor of nothing known says nothing.
        assert!(d(7.9).contains("bits and bytes"));
        assert!(d(7.1).contains("days and weeks"));
        assert_eq!(diagnose(13.0, None), None);
        assert_eq!(diagnose(3.0, None), None);
    }

    #[test]
    fn exactly_at_the_tolerance_is_ok() {
        assert_eq!(check("200", "100", "1", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("50", "100", "1", 2.0).verdict, Verdict::Ok);
        assert_eq!(check("400", "100", "1", 2.0).verdict, Verdict::Close);
        assert_eq!(check("1000", "100", "1", 2.0).verdict, Verdict::Off);
    }

    #[test]
    fn a_bare_number_is_read_in_the_question_unit() {
        let c = check("11600", "11574 req/s", "req/s", 2.0);
        assert_eq!(c.verdict, Verdict::Ok);
        let c = check("36.5", "36.5 TB", "TB", 2.0);
        assert_eq!(c.verdict, Verdict::Ok);
        assert_eq!(c.answer.unwrap().text(), "36.5 TB");
    }

    #[test]
    fn expressions_and_other_units_are_converted() {
        let c = check("100M * 10 / day", "11574 req/s", "req/s", 2.0);
        assert_eq!(c.verdict, Verdict::Ok);
        let c = check("36500 GB", "36.5 TB", "TB", 2.0);
        assert_eq!(c.verdict, Verdict::Ok);
    }

    #[test]
    fn wrong_dimension_empty_and_garbage() {
        let c = check("36 TB", "11574 req/s", "req/s", 2.0);
        assert_eq!(c.verdict, Verdict::UnitMismatch);
        assert!(c.message.contains("a data size"), "{}", c.message);
        assert_eq!(check("  ", "1", "1", 2.0).verdict, Verdict::Missing);
        assert_eq!(check("12 +", "1", "1", 2.0).verdict, Verdict::Invalid);
        assert_eq!(check("-5", "1", "1", 2.0).verdict, Verdict::Off);
    }

    #[test]
    fn a_range_is_checked_at_its_geometric_mean_and_says_so() {
        let r = "12 tx/s";
        for answer in [
            "10-15 tx/s",
            "10 - 15 tx/s",
            "10 to 15 tx/s",
            "~10-15 tx/s",
            "10-15",
        ] {
            let c = check(answer, r, "tx/s", 2.0);
            assert_eq!(c.verdict, Verdict::Ok, "{answer}: {}", c.message);
            assert!(
                c.message
                    .contains("read as the range 10 to 15 tx/s, checked at 12.2 tx/s"),
                "{answer}: {}",
                c.message
            );
            assert!(close(c.ratio.unwrap(), 150f64.sqrt() / 12.0));
            assert_eq!(c.answer.unwrap().text(), "12.2 tx/s");
            assert!(c.note.is_some());
        }
        // A magnitude on the upper end only covers both when the lower is smaller.
        let c = check("10-15k req/s", "12k req/s", "req/s", 2.0);
        assert!(
            c.message.contains("the range 10k to 15k req/s"),
            "{}",
            c.message
        );
        let c = check("500-2k req/s", "1k req/s", "req/s", 2.0);
        assert!(
            c.message.contains("the range 500 to 2k req/s"),
            "{}",
            c.message
        );
        // In a magnitude unit, as for a single number.
        let c = check("1-2", "1.46 bn", "bn", 2.0);
        assert_eq!(c.verdict, Verdict::Ok, "{}", c.message);
        // A difference that is positive stays a difference; a plain answer has no note.
        let c = check("15-10", "5", "1", 2.0);
        assert_eq!((c.ratio, c.note), (Some(1.0), None));
        // The wrong dimension is still named.
        let c = check("10-15 GB", "12 tx/s", "tx/s", 2.0);
        assert_eq!(c.verdict, Verdict::UnitMismatch);
    }

    #[test]
    fn an_answer_too_large_to_hold_is_invalid_never_inf() {
        for (answer, reference, unit) in [
            ("1e300", "36.5 TB", "TB"),
            ("1e300 TB", "36.5 TB", "TB"),
            ("5e-324 B", "36.5 TB", "TB"),
            ("1e300", "1e-10 s", "years"),
        ] {
            let c = check(answer, reference, unit, 2.0);
            assert_eq!(c.verdict, Verdict::Invalid, "{answer}: {}", c.message);
            assert!(!c.message.contains("inf"), "{}", c.message);
            assert!(c.message.contains("check the magnitude"), "{}", c.message);
        }
        // Far off but representable: off, with the factor written out.
        let c = check("1e200", "11574 req/s", "req/s", 2.0);
        assert_eq!(c.verdict, Verdict::Off);
        assert_eq!(c.message, "8.64e195x too high");
    }

    #[test]
    fn feedback_says_how_far_and_which_way() {
        assert_eq!(check("32", "10", "1", 2.0).message, "3.2x too high");
        assert_eq!(check("4", "10", "1", 2.0).message, "2.5x too low");
        assert_eq!(check("400", "10", "1", 2.0).message, "40x too high");
        assert_eq!(check("10.2", "10", "1", 2.0).message, "spot on");
        assert_eq!(check("1k", "10M", "1", 2.0).message, "10,000x too low");
        assert_eq!(check("1", "123456", "1", 2.0).message, "120,000x too low");
        assert_eq!(ratio_short(0.25), "4.0x low");
    }
}
