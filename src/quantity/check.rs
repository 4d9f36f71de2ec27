//! The tolerance check: compares a candidate's answer with a reference.
//!
//! With q = answer / reference, the verdict is `ok` when |log10 q| <= log10(tolerance),
//! `close` within the square of the tolerance (4x for the usual 2x), `off`
//! beyond, so a 10x slip is never half right; `unit-mismatch` when the dimensions differ,
//! `missing` when the answer is empty, `invalid` when it does not parse. A bare
//! number is read in the question's unit, as a candidate writing `11600` for a
//! `req/s` question means.

use super::display::{Shown, format_in};
use super::eval::{Env, evaluate};
use super::{Diagnostic, Quantity};
use std::fmt;

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Verdict {
    Ok,
    Close,
    Off,
    UnitMismatch,
    Missing,
    Invalid,
}

impl Verdict {
    pub fn as_str(self) -> &'static str {
        match self {
            Verdict::Ok => "ok",
            Verdict::Close => "close",
            Verdict::Off => "off",
            Verdict::UnitMismatch => "unit-mismatch",
            Verdict::Missing => "missing",
            Verdict::Invalid => "invalid",
        }
    }

    /// Credit toward a score: full for `ok`, half for `close`, none otherwise.
    pub fn credit(self) -> f64 {
        match self {
            Verdict::Ok => 1.0,
            Verdict::Close => 0.5,
            _ => 0.0,
        }
    }

    /// True when the answer counts as right for drills and spaced repetition.
    pub fn is_correct(self) -> bool {
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
pub struct Check {
    pub verdict: Verdict,
    /// answer / reference, when both are comparable.
    pub ratio: Option<f64>,
    /// The answer expressed in the question's unit.
    pub answer: Option<Shown>,
    /// What to tell the learner: "3.2x too high", or what is wrong with the answer.
    pub message: String,
    /// The parse or evaluation error, for `invalid`.
    pub error: Option<Diagnostic>,
}

/// "3.2x too high", "2.4x too low", "12,000x too low", "spot on".
pub fn ratio_phrase(ratio: f64) -> String {
    match factor_text(ratio) {
        Some((factor, high)) => format!("{factor}x too {}", if high { "high" } else { "low" }),
        None => "spot on".to_string(),
    }
}

/// The same in a table cell: "3.2x high", "2.4x low", "spot on".
pub fn ratio_short(ratio: f64) -> String {
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
        let mut grouped = String::new();
        for (i, c) in plain.chars().enumerate() {
            if i > 0 && (plain.len() - i) % 3 == 0 {
                grouped.push(',');
            }
            grouped.push(c);
        }
        grouped
    } else {
        super::format_number(factor, false)
    };
    Some((text, ratio > 1.0))
}

/// Checks `answer` against `reference`. `unit` is one of the question's unit and
/// `unit_text` how it is written; `env` lets answers use the problem's names.
pub fn check_answer(
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
    };
    if answer.trim().is_empty() {
        return outcome(Verdict::Missing, None, None, "no answer".into(), None);
    }
    let evaluation = match evaluate(answer.trim(), env) {
        Ok(e) => e,
        Err(d) => {
            return outcome(Verdict::Invalid, None, None, d.to_string(), Some(d));
        }
    };
    let mut value = evaluation.quantity.clone();
    // A bare number is read in the unit asked (`11600` for req/s). When that
    // unit is itself a magnitude (`bn`, `M`), an answer that says its magnitude
    // (`1.46 bn`, `50M`) or is written out in full (`1.46e9`) already is the
    // number: nobody means a billion billions.
    let magnitude_unit = unit.dim == super::Dimension::NONE && unit.value != 1.0;
    let as_written = magnitude_unit
        && (evaluation.ast.has_magnitude() || (unit.value > 1.0 && value.value >= unit.value));
    if evaluation.ast.is_bare_number() && evaluation.target.is_none() && !as_written {
        value.value *= unit.value;
        value.dim = unit.dim;
        value.labels = unit.labels;
    }
    if value.dim != reference.dim {
        let message = format!(
            "the answer is {} ({}) but the question asks for {} ({unit_text})",
            value.dim.describe(),
            evaluation.shown.text(),
            reference.dim.describe()
        );
        return outcome(Verdict::UnitMismatch, None, None, message, None);
    }
    let shown = format_in(&value, unit, unit_text);
    if value.value <= 0.0 || reference.value <= 0.0 {
        let message = "an estimate must be a positive number".to_string();
        return outcome(Verdict::Off, None, Some(shown), message, None);
    }
    let ratio = value.value / reference.value;
    let error = ratio.log10().abs();
    let verdict = if error <= tolerance.log10() + 1e-12 {
        Verdict::Ok
    } else if error <= 2.0 * tolerance.log10() + 1e-12 {
        Verdict::Close
    } else {
        Verdict::Off
    };
    outcome(verdict, Some(ratio), Some(shown), ratio_phrase(ratio), None)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::{NoVariables, eval_str};

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
