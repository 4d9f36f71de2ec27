//! Shows a quantity the way an interviewer writes it: 3 significant figures with a
//! magnitude (`11.6k req/s`) or a unit prefix (`36.5 TB`), in a unit chosen for
//! the dimension: bytes with decimal prefixes, rates per second, durations in the
//! largest natural unit. Every shown text parses back to the same value within the
//! shown precision.

use super::units::{SECONDS_PER_DAY, SECONDS_PER_YEAR};
use super::{Dimension, Labels, Quantity};

/// A quantity as shown: the number in the shown unit, and the texts.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Shown {
    /// The value expressed in `unit` (not rounded).
    pub value: f64,
    /// The unit the value is in, e.g. `req/s`, `TB`, `1/s`; empty for a plain number.
    pub unit: String,
    /// The rounded number with its magnitude, e.g. `11.6k`.
    pub number: String,
}

impl Shown {
    /// The quantity in the unit chosen for its dimension.
    pub(crate) fn of(q: &Quantity) -> Shown {
        format_quantity(q)
    }

    /// The full text, e.g. `11.6k req/s`, `2.31k/s`, `365M`.
    pub(crate) fn text(&self) -> String {
        let unit = match self.unit.strip_prefix('1') {
            Some(rest) if rest.starts_with('/') => rest,
            _ => self.unit.as_str(),
        };
        // "1 server", not "1 servers" (and "1 server/s").
        let singular;
        let unit = match (self.number.as_str(), unit.split_once('/')) {
            ("1", Some((count, per))) if super::units::singular_of(count).is_some() => {
                singular = format!(
                    "{}/{per}",
                    super::units::singular_of(count).unwrap_or(count)
                );
                singular.as_str()
            }
            ("1", None) => super::units::singular_of(unit).unwrap_or(unit),
            _ => unit,
        };
        if unit.is_empty() {
            self.number.clone()
        } else if unit.starts_with('/') {
            format!("{}{unit}", self.number)
        } else {
            format!("{} {unit}", self.number)
        }
    }
}

const MAGNITUDES: [(f64, &str); 4] = [(1e12, "T"), (1e9, "bn"), (1e6, "M"), (1e3, "k")];

/// True when `v` can be shown: finite, and still finite once rounded to 3
/// significant figures (`1.7976931348623157e308` rounds up past the largest f64).
pub(crate) fn displayable(v: f64) -> bool {
    v.is_finite() && round3(v).is_finite()
}

/// Rounds to 3 significant figures.
fn round3(v: f64) -> f64 {
    if v == 0.0 || !v.is_finite() {
        return v;
    }
    format!("{v:.2e}").parse().unwrap_or(v)
}

/// A positive rounded mantissa in plain decimal, without trailing zeros.
fn decimal(m: f64) -> String {
    let digits = if m >= 100.0 {
        0
    } else if m >= 10.0 {
        1
    } else if m >= 1.0 {
        2
    } else {
        // 0.00123: enough decimals for 3 significant figures.
        (2 - m.log10().floor() as i32).clamp(0, 12) as usize
    };
    let text = format!("{m:.digits$}");
    if text.contains('.') {
        text.trim_end_matches('0').trim_end_matches('.').to_string()
    } else {
        group_thousands(&text)
    }
}

/// `29900` as `29,900`: from five digits on, a reader should not count them.
/// Four digits stay as they are (`8760 h`, `1024`), as people write them.
pub(crate) fn group_thousands(digits: &str) -> String {
    if digits.len() < 5 || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return digits.to_string();
    }
    let mut grouped = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            grouped.push(',');
        }
        grouped.push(c);
    }
    grouped
}

/// Formats a number with 3 significant figures, using `k M bn T` when
/// `magnitudes` is set and scientific notation for the very large or small.
pub(crate) fn format_number(v: f64, magnitudes: bool) -> String {
    if v == 0.0 {
        return "0".into();
    }
    if v < 0.0 {
        return format!("-{}", format_number(-v, magnitudes));
    }
    if !v.is_finite() {
        return v.to_string();
    }
    let r = round3(v);
    if r >= 1e15 || (!magnitudes && r >= 1e6) {
        return scientific(r);
    }
    if magnitudes {
        for (size, suffix) in MAGNITUDES {
            if r >= size {
                return format!("{}{suffix}", decimal(round3(r / size)));
            }
        }
    }
    if r < 1e-3 {
        return scientific(r);
    }
    decimal(r)
}

fn scientific(r: f64) -> String {
    let text = format!("{r:.2e}");
    match text.split_once('e') {
        Some((mantissa, exp)) => {
            let mantissa = mantissa.trim_end_matches('0').trim_end_matches('.');
            format!("{mantissa}e{exp}")
        }
        None => text,
    }
}

fn join_unit(numerator: &[String], base: &str, denominators: &[String]) -> String {
    let mut unit = numerator.join(" ");
    if !base.is_empty() {
        if !unit.is_empty() && !base.starts_with('/') {
            unit.push(' ');
        }
        unit.push_str(base);
    }
    for d in denominators {
        unit.push('/');
        unit.push_str(d);
    }
    unit
}

/// Chooses a unit for the quantity's dimension and formats it.
pub(super) fn format_quantity(q: &Quantity) -> Shown {
    let den = q.labels.denominator();
    let num = q.labels.numerator();
    let v = q.value;
    let (value, unit, magnitudes) = match (q.dim.time, q.dim.info) {
        (0, 0) => (v, join_unit(&num, "", &den), true),
        (-1, 0) => {
            // Slow rates read better per day: `2 req/day/user`, not `2.31e-5 req/s`.
            let (value, per) = if v.abs() >= 0.1 || v == 0.0 {
                (v, "/s")
            } else if v.abs() * SECONDS_PER_DAY >= 0.1 {
                (v * SECONDS_PER_DAY, "/day")
            } else {
                (v * SECONDS_PER_YEAR, "/year")
            };
            let base = if num.is_empty() {
                format!("1{per}")
            } else {
                per.to_string()
            };
            (value, join_unit(&num, &base, &den), true)
        }
        (1, 0) => {
            let (value, name) = time_unit(v);
            (value, join_unit(&[], name, &den), name == "years")
        }
        (0, 1) => {
            let (value, name) = byte_unit(v, "");
            (value, join_unit(&[], &name, &den), false)
        }
        (-1, 1) => {
            let (value, name) = byte_unit(v, "/s");
            (value, join_unit(&[], &name, &den), false)
        }
        _ => (v, join_unit(&[], &q.dim.base_unit(), &den), true),
    };
    let value = if value == 0.0 { 0.0 } else { value };
    Shown {
        number: format_number(value, magnitudes),
        value,
        unit,
    }
}

/// Formats `q` in the unit `unit` (one of it), written `text` by the user.
pub(super) fn format_in(q: &Quantity, unit: &Quantity, text: &str) -> Shown {
    let value = q.value / unit.value;
    let number = if unit.dim == Dimension::NONE && unit.labels == Labels::default() {
        // A magnitude target (`-> bn`) already says the magnitude: no second one.
        format_number(value, false)
    } else if unit.dim.info != 0 || unit.dim == Dimension::TIME {
        // Someone who asks for `MB/s` or `s` wants `1250 MB/s`, not `1.25k MB/s`;
        // magnitudes only for the very large (`2.59M s`).
        if round3(value.abs()) >= 1e6 {
            format_number(value, true)
        } else {
            format_number(value, false)
        }
    } else {
        format_number(value, true)
    };
    Shown {
        number,
        value,
        unit: text.to_string(),
    }
}

/// The largest time unit in which the value, rounded, is at least 1.
fn time_unit(seconds: f64) -> (f64, &'static str) {
    const UNITS: [(f64, &str); 8] = [
        (SECONDS_PER_YEAR, "years"),
        (SECONDS_PER_DAY, "days"),
        (3_600.0, "h"),
        (60.0, "min"),
        (1.0, "s"),
        (1e-3, "ms"),
        (1e-6, "µs"),
        (1e-9, "ns"),
    ];
    let a = seconds.abs();
    let (size, name) = UNITS
        .into_iter()
        .find(|(size, _)| round3(a / size) >= 1.0)
        .unwrap_or(if a == 0.0 { (1.0, "s") } else { (1e-9, "ns") });
    let name = match (name, round3(a / size) == 1.0) {
        ("years", true) => "year",
        ("days", true) => "day",
        _ => name,
    };
    (seconds / size, name)
}

fn byte_unit(bytes: f64, suffix: &str) -> (f64, String) {
    let a = round3(bytes.abs());
    if a > 0.0 && a < 1.0 {
        return (
            bytes * 8.0,
            format!("bits{suffix}").replace("bits/s", "bps"),
        );
    }
    let prefixes = ["B", "kB", "MB", "GB", "TB", "PB", "EB"];
    let mut index = 0;
    while index + 1 < prefixes.len() && a >= 1000f64.powi(index as i32 + 1) {
        index += 1;
    }
    (
        bytes / 1000f64.powi(index as i32),
        format!("{}{suffix}", prefixes[index]),
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::eval_str;

    fn shown(src: &str) -> String {
        eval_str(src).unwrap().shown.text()
    }

    #[test]
    fn three_significant_figures_with_a_magnitude() {
        assert_eq!(format_number(11_574.07, true), "11.6k");
        assert_eq!(format_number(365e6, true), "365M");
        assert_eq!(format_number(1.5e9, true), "1.5bn");
        assert_eq!(format_number(999_700.0, true), "1M");
        assert_eq!(format_number(54.75, true), "54.8");
        assert_eq!(format_number(0.000_123_4, true), "1.23e-4");
        assert_eq!(format_number(0.05, true), "0.05");
        assert_eq!(format_number(-2500.0, true), "-2.5k");
        assert_eq!(format_number(4.2e18, true), "4.2e18");
    }

    #[test]
    fn the_largest_numbers_are_displayable_only_below_rounding_overflow() {
        assert!(displayable(1e308));
        assert!(displayable(-1.79e308));
        assert!(!displayable(f64::MAX));
        assert!(!displayable(f64::INFINITY));
        assert!(!displayable(f64::NAN));
        assert!(displayable(f64::MIN_POSITIVE / 1e10));
    }

    #[test]
    fn each_dimension_gets_its_natural_unit() {
        assert_eq!(shown("100M * 10 / day"), "11.6k/s");
        assert_eq!(shown("100M * 10 req / day"), "11.6k req/s");
        assert_eq!(shown("100M * 365 * 1 KB"), "36.5 TB");
        assert_eq!(shown("1 year * (1 - 99.9%)"), "8.76 h");
        assert_eq!(shown("10 Gbps"), "1.25 GB/s");
        assert_eq!(shown("150 µs"), "150 µs");
        assert_eq!(shown("2 req/user/day"), "2 req/day/user");
        assert_eq!(shown("10 GB/user"), "10 GB/user");
        assert_eq!(shown("3 days"), "3 days");
        assert_eq!(shown("1 year"), "1 year");
        assert_eq!(shown("10 years"), "10 years");
        assert_eq!(shown("59.99 s"), "1 min");
        assert_eq!(shown("0.5 B"), "4 bits");
    }

    #[test]
    fn conversions_show_the_target_as_written() {
        assert_eq!(shown("30 TB/day * 5 years -> PB"), "54.8 PB");
        assert_eq!(shown("100M / day * 3650 days -> bn"), "365 bn");
        assert_eq!(shown("1e9/day -> 1/s"), "11.6k/s");
        assert_eq!(shown("100M * 10 / day -> req/s"), "11.6k req/s");
        assert_eq!(shown("10 Gbps -> MB/s"), "1250 MB/s");
        assert_eq!(shown("1 month -> s"), "2.59M s");
    }
}
