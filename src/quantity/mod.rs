//! The estimation engine: reads an interview-style expression such as
//! `100M users * 2 req/day -> req/s`, tracks its dimensions, converts units, and
//! compares a candidate's answer with a reference.
//!
//! Everything else in `sdi` (references in problems, verdicts in sessions, drills,
//! milestones) stands on this module, so its semantics are fixed in docs/DESIGN.md and
//! documented in the README: a month is 30 days, a year 365 days, `B` is always the
//! byte, decimal prefixes are powers of 1000, and counts (`users`, `req`, ...) are
//! dimensionless labels kept only for display.
//!
//! The pipeline is `lexer` -> `parser` (an AST with spans) -> `eval` (a [`Quantity`])
//! -> `display` (3 significant figures) and `check` (the tolerance verdict). This
//! module depends on nothing else in the crate.
//!
//! Every input ends in a value or a typed error, never a panic, an overflowed stack
//! or an endless loop: the source is at most [`MAX_SOURCE_BYTES`], parentheses and
//! calls nest at most [`MAX_NESTING`] deep, chains of `+`, `*`, signs and
//! magnitudes are read in loops, exponents of units are checked against
//! [`MAX_EXPONENT`] rather than wrapped, and a value that is not finite, or would
//! not be once shown, is an error. The fuzz harness in `fuzz.rs` holds it to that.

mod check;
mod display;
mod error;
mod eval;
#[cfg(test)]
mod fuzz;
mod lexer;
mod parser;
#[cfg(test)]
mod properties;
mod units;

pub(crate) use check::{Verdict, check_answer, diagnose, ratio_short, verdict_sentence};
pub(crate) use display::{Shown, format_number};
pub(crate) use error::{Diagnostic, ErrorKind, QuantityError, Span};
pub(crate) use eval::{
    Evaluation, NoVariables, evaluate, evaluate_expr, evaluate_quantity, evaluate_unit,
};
pub(crate) use parser::{Ast, parse};
pub(crate) use units::is_reserved_word;

use std::fmt;

/// The longest expression read, in bytes. An estimate fits on a line; a longer
/// input is refused before it is read, so no later step has to bound its cost.
pub(crate) const MAX_SOURCE_BYTES: usize = 4096;

/// How deep parentheses and function calls may nest. Each level costs a few stack
/// frames in the parser and the evaluator; 256 levels is far beyond any estimate
/// and far below what the stack of a test thread (2 MiB) holds.
pub(crate) const MAX_NESTING: usize = 256;

/// The largest power a unit or a count may reach, either way (`s^16`, `B^-16`).
/// Interview quantities use powers up to 2; the bound keeps exponents far from
/// the ends of `i8`, so they are checked, never wrapped or saturated.
pub(crate) const MAX_EXPONENT: i8 = 16;

/// The physical dimension of a quantity: exponents of time (seconds) and
/// information (bytes). Counts such as users or requests are dimensionless.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, Default, Hash, serde::Serialize, serde::Deserialize,
)]
pub(crate) struct Dimension {
    pub time: i8,
    pub info: i8,
}

impl Dimension {
    pub(crate) const NONE: Dimension = Dimension { time: 0, info: 0 };
    pub(crate) const TIME: Dimension = Dimension { time: 1, info: 0 };
    pub(crate) const RATE: Dimension = Dimension { time: -1, info: 0 };
    pub(crate) const INFO: Dimension = Dimension { time: 0, info: 1 };
    pub(crate) const BANDWIDTH: Dimension = Dimension { time: -1, info: 1 };

    pub(crate) fn is_none(self) -> bool {
        self == Dimension::NONE
    }

    /// Builds a dimension from exponents computed in a wider type, or returns
    /// them back when one is beyond [`MAX_EXPONENT`].
    fn checked(time: i32, info: i32) -> Result<Dimension, Exponents> {
        let limit = i32::from(MAX_EXPONENT);
        if time.abs() > limit || info.abs() > limit {
            return Err(Exponents { time, info });
        }
        // In range of `i8` by the check above.
        Ok(Dimension {
            time: time as i8,
            info: info as i8,
        })
    }

    /// The dimension of a product, unless an exponent leaves the allowed range.
    pub(crate) fn checked_mul(self, other: Dimension) -> Result<Dimension, Exponents> {
        Dimension::checked(
            i32::from(self.time) + i32::from(other.time),
            i32::from(self.info) + i32::from(other.info),
        )
    }

    /// The dimension of a quotient, unless an exponent leaves the allowed range.
    pub(crate) fn checked_div(self, other: Dimension) -> Result<Dimension, Exponents> {
        Dimension::checked(
            i32::from(self.time) - i32::from(other.time),
            i32::from(self.info) - i32::from(other.info),
        )
    }

    /// The dimension raised to `n`, unless an exponent leaves the allowed range.
    pub(crate) fn checked_pow(self, n: i32) -> Result<Dimension, Exponents> {
        Dimension::checked(
            i32::from(self.time).saturating_mul(n),
            i32::from(self.info).saturating_mul(n),
        )
    }

    /// A name a learner recognises, used in error messages.
    pub(crate) fn describe(self) -> String {
        match (self.time, self.info) {
            (0, 0) => "a plain number".into(),
            (1, 0) => "a duration".into(),
            (-1, 0) => "a rate".into(),
            (0, 1) => "a data size".into(),
            (-1, 1) => "a bandwidth".into(),
            (-1, -1) => "a rate per byte".into(),
            _ => format!("a quantity in {}", self.base_unit()),
        }
    }

    /// The dimension written in base units, e.g. `B/s` or `1/s`.
    pub(crate) fn base_unit(self) -> String {
        Exponents {
            time: i32::from(self.time),
            info: i32::from(self.info),
        }
        .base_unit()
    }
}

/// Exponents of time and information that may lie outside what a [`Dimension`]
/// holds: what an error reports when a product goes beyond [`MAX_EXPONENT`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Exponents {
    pub time: i32,
    pub info: i32,
}

impl Exponents {
    /// Written in base units: `B/s`, `1/s`, `s^513`.
    pub(crate) fn base_unit(self) -> String {
        let mut num = Vec::new();
        let mut den = Vec::new();
        for (name, exp) in [("B", self.info), ("s", self.time)] {
            match exp {
                0 => {}
                1 => num.push(name.to_string()),
                -1 => den.push(name.to_string()),
                e if e > 0 => num.push(format!("{name}^{e}")),
                e => den.push(format!("{name}^{}", -i64::from(e))),
            }
        }
        let num = if num.is_empty() {
            "1".to_string()
        } else {
            num.join("*")
        };
        if den.is_empty() {
            num
        } else {
            format!("{num}/{}", den.join("/"))
        }
    }
}

impl fmt::Display for Dimension {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe())
    }
}

/// The count nouns attached to a quantity (`users`, `req/user`), with exponents.
/// They never constrain arithmetic; they only make results readable.
///
/// Kept inline, sorted by name, up to [`Labels::CAPACITY`] of them: every
/// arithmetic step makes new labels, and a heap map per step costs more than the
/// arithmetic. A quantity with more count nouns than that is never shown anyway.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Labels {
    entries: [(&'static str, i8); Labels::CAPACITY],
    len: u8,
}

impl PartialEq for Labels {
    fn eq(&self, other: &Labels) -> bool {
        self.iter().eq(other.iter())
    }
}

impl Eq for Labels {}

/// Labels are written as `[name, exponent]` pairs (the compiled bank the
/// build script stores), and read back as the unit tables' own names.
impl serde::Serialize for Labels {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> serde::Deserialize<'de> for Labels {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Labels, D::Error> {
        use serde::de::Error;
        let pairs: Vec<(String, i8)> = serde::Deserialize::deserialize(d)?;
        let mut labels = Labels::default();
        for (name, exp) in pairs {
            let name = units::static_label(&name)
                .ok_or_else(|| D::Error::custom(format!("`{name}` is no unit's label")))?;
            labels
                .add(name, i32::from(exp))
                .map_err(|_| D::Error::custom("too many labels"))?;
        }
        Ok(labels)
    }
}

impl Labels {
    const CAPACITY: usize = 4;

    pub(crate) fn single(name: &'static str) -> Labels {
        let mut labels = Labels::default();
        // A first entry with exponent 1 always fits.
        let _ = labels.add(name, 1);
        labels
    }

    fn iter(&self) -> impl Iterator<Item = (&'static str, i8)> + '_ {
        self.entries[..usize::from(self.len)].iter().copied()
    }

    /// Adds `exp` to the exponent of `name`, keeping the entries sorted and
    /// dropping the ones that cancel out. An exponent beyond [`MAX_EXPONENT`] is
    /// an error, not a saturated or wrapped one: `users^127 / users^127` must not
    /// pass for a plain number.
    fn add(&mut self, name: &'static str, exp: i32) -> Result<(), LabelPower> {
        let limit = i32::from(MAX_EXPONENT);
        let len = usize::from(self.len);
        match self.entries[..len].binary_search_by(|(n, _)| n.cmp(&name)) {
            Ok(i) => {
                let e = i32::from(self.entries[i].1) + exp;
                if e.abs() > limit {
                    return Err(LabelPower { name, exp: e });
                }
                if e == 0 {
                    self.entries.copy_within(i + 1..len, i);
                    self.entries[len - 1] = ("", 0);
                    self.len -= 1;
                } else {
                    // In range of `i8` by the check above.
                    self.entries[i].1 = e as i8;
                }
            }
            Err(_) if exp.abs() > limit => return Err(LabelPower { name, exp }),
            Err(i) if exp != 0 && len < Labels::CAPACITY => {
                self.entries.copy_within(i..len, i + 1);
                self.entries[i] = (name, exp as i8);
                self.len += 1;
            }
            Err(_) => {}
        }
        Ok(())
    }

    pub(crate) fn is_empty(&self) -> bool {
        self.len == 0
    }

    fn combine(&self, other: &Labels, sign: i32) -> Result<Labels, LabelPower> {
        let mut out = *self;
        for (name, exp) in other.iter() {
            out.add(name, i32::from(exp) * sign)?;
        }
        Ok(out)
    }

    pub(crate) fn mul(&self, other: &Labels) -> Result<Labels, LabelPower> {
        self.combine(other, 1)
    }

    pub(crate) fn div(&self, other: &Labels) -> Result<Labels, LabelPower> {
        self.combine(other, -1)
    }

    /// Only the labels in the denominator: what is left of `users * req/day`
    /// once the left side's count has been read as "per user".
    pub(crate) fn without_numerator(&self) -> Labels {
        let mut out = Labels::default();
        for (name, exp) in self.iter().filter(|(_, e)| *e < 0) {
            // Copied from labels that are in range already.
            let _ = out.add(name, i32::from(exp));
        }
        out
    }

    fn has_numerator(&self) -> bool {
        self.iter().any(|(_, e)| e > 0)
    }

    /// The labels of a product. `100M users * 2 req/day` is read the way it is
    /// meant, as requests per day, rather than as user-requests.
    pub(crate) fn product(&self, other: &Labels) -> Result<Labels, LabelPower> {
        let labels = self.mul(other)?;
        if self.has_numerator() && other.has_numerator() && labels.numerator().len() > 1 {
            self.without_numerator().mul(other)
        } else {
            Ok(labels)
        }
    }

    pub(crate) fn pow(&self, n: i32) -> Result<Labels, LabelPower> {
        let mut out = Labels::default();
        for (name, exp) in self.iter() {
            out.add(name, i32::from(exp).saturating_mul(n))?;
        }
        Ok(out)
    }

    /// Labels with a positive exponent, in display form (plural).
    pub(crate) fn numerator(&self) -> Vec<String> {
        self.iter()
            .filter(|(_, e)| *e > 0)
            .map(|(name, e)| with_exponent(units::plural_of(name), e))
            .collect()
    }

    /// Labels with a negative exponent, in display form (singular).
    pub(crate) fn denominator(&self) -> Vec<String> {
        self.iter()
            .filter(|(_, e)| *e < 0)
            .map(|(name, e)| with_exponent(name, -e))
            .collect()
    }
}

/// A count raised beyond [`MAX_EXPONENT`]: `users^17`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct LabelPower {
    pub name: &'static str,
    pub exp: i32,
}

fn with_exponent(name: &str, e: i8) -> String {
    if e == 1 {
        name.to_string()
    } else {
        format!("{name}^{e}")
    }
}

/// A value with its dimension, stored in base units (seconds and bytes).
#[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
pub(crate) struct Quantity {
    pub value: f64,
    pub dim: Dimension,
    pub labels: Labels,
}

impl Quantity {
    pub(crate) fn number(value: f64) -> Quantity {
        Quantity {
            value,
            dim: Dimension::NONE,
            labels: Labels::default(),
        }
    }

    pub(crate) fn new(value: f64, dim: Dimension) -> Quantity {
        Quantity {
            value,
            dim,
            labels: Labels::default(),
        }
    }

    /// The value expressed in `unit`, which must have the same dimension.
    pub(crate) fn value_in(&self, unit: &Quantity) -> f64 {
        self.value / unit.value
    }
}

impl fmt::Display for Quantity {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&display::format_quantity(self).text())
    }
}

/// `q` expressed in `unit` (one of it), written `text`, as shown: `11.6k req/s`.
pub(crate) fn format_in_unit(q: &Quantity, unit: &Quantity, text: &str) -> String {
    display::format_in(q, unit, text).text()
}

/// The closest of `candidates` to `word`, if it is a plausible typo of it.
pub(crate) fn suggest_word(word: &str, candidates: &[&str]) -> Option<String> {
    units::suggest(word, candidates.iter().copied())
}

/// Evaluates `src` with no variables and returns the quantity, for callers (tests,
/// the milestones flags) that only need a value.
pub(crate) fn eval_str(src: &str) -> Result<Evaluation, Diagnostic> {
    evaluate(src, &NoVariables)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_cancel_and_stay_sorted() {
        let per_user = Labels::single("req").div(&Labels::single("user")).unwrap();
        assert_eq!(per_user.numerator(), ["req"]);
        assert_eq!(per_user.denominator(), ["user"]);
        let back = per_user.mul(&Labels::single("user")).unwrap();
        assert_eq!(back, Labels::single("req"));
        assert!(back.div(&Labels::single("req")).unwrap().is_empty());
    }

    #[test]
    fn labels_beyond_capacity_are_dropped_not_a_panic() {
        let mut many = Labels::default();
        for name in ["a", "b", "c", "d", "e", "f"] {
            many = many.mul(&Labels::single(name)).unwrap();
        }
        assert_eq!(many.numerator().len(), Labels::CAPACITY);
    }

    #[test]
    fn exponents_are_checked_never_wrapped() {
        let s = Dimension::TIME;
        let s8 = s.checked_pow(8).unwrap();
        assert_eq!(s8.checked_mul(s8).unwrap().time, 16);
        let err = s8.checked_pow(8).unwrap_err();
        assert_eq!(err.time, 64);
        assert_eq!(err.base_unit(), "s^64");
        assert!(s8.checked_mul(s8).unwrap().checked_mul(s).is_err());
        assert!(Dimension::RATE.checked_pow(-17).is_err());
        let users = Labels::single("user");
        let sixteen = users.pow(16).unwrap();
        let err = sixteen.mul(&users).unwrap_err();
        assert_eq!((err.name, err.exp), ("user", 17));
        assert!(users.pow(i32::MAX).is_err());
    }
}
