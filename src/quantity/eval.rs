//! Evaluates an AST to a [`Quantity`], checking dimensions as it goes.
//!
//! Every error names what the learner wrote and what to do instead: adding a size
//! to a rate names both sides, converting a rate to a size says "still a rate:
//! multiply by a duration", an unknown word gets a did-you-mean.

use super::display::{Shown, format_in, format_quantity};
use super::error::{Diagnostic, ErrorKind, QuantityError, Span};
use super::parser::{Ast, BinOp, Expr, Target, UnitExpr, parse};
use super::units::{self, Lookup};
use super::{Dimension, Labels, Quantity};

/// Names an expression may read: a problem's assumptions and earlier estimates.
pub trait Env {
    fn get(&self, name: &str) -> Option<Quantity>;
    /// Every name in scope, for did-you-mean suggestions.
    fn names(&self) -> Vec<String>;
}

/// The empty environment of `sdi calc`.
pub struct NoVariables;

impl Env for NoVariables {
    fn get(&self, _: &str) -> Option<Quantity> {
        None
    }
    fn names(&self) -> Vec<String> {
        Vec::new()
    }
}

impl<S: std::hash::BuildHasher> Env for std::collections::HashMap<String, Quantity, S> {
    fn get(&self, name: &str) -> Option<Quantity> {
        std::collections::HashMap::get(self, name).cloned()
    }
    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

impl Env for std::collections::BTreeMap<String, Quantity> {
    fn get(&self, name: &str) -> Option<Quantity> {
        std::collections::BTreeMap::get(self, name).cloned()
    }
    fn names(&self) -> Vec<String> {
        self.keys().cloned().collect()
    }
}

/// A successful evaluation: the quantity in base units, the unit it was
/// converted to (if any), and how it is shown.
#[derive(Debug, Clone, PartialEq)]
pub struct Evaluation {
    pub quantity: Quantity,
    /// One of the target unit, and its text as written, after `->`.
    pub target: Option<(Quantity, String)>,
    pub shown: Shown,
    pub ast: Ast,
}

/// Parses and evaluates `src`, converting to its `->` target if it has one.
pub fn evaluate(src: &str, env: &dyn Env) -> Result<Evaluation, Diagnostic> {
    let diagnostic = |error| Diagnostic {
        error,
        source: src.to_string(),
    };
    let ast = parse(src).map_err(diagnostic)?;
    evaluate_ast(ast, src, env).map_err(diagnostic)
}

/// Evaluates an expression parsed already (with its `->` target, if any).
pub fn evaluate_parsed(ast: Ast, src: &str, env: &dyn Env) -> Result<Evaluation, Diagnostic> {
    evaluate_ast(ast, src, env).map_err(|error| Diagnostic {
        error,
        source: src.to_string(),
    })
}

fn evaluate_ast(ast: Ast, src: &str, env: &dyn Env) -> Result<Evaluation, QuantityError> {
    let quantity = eval(&ast.expr, env, src)?;
    let (target, shown) = match &ast.target {
        Some(target) => {
            let unit = eval_target(target, env, src)?;
            check_conversion(&quantity, &unit, &ast.expr, target, src)?;
            let shown = format_in(&quantity, &unit, &target.text);
            (Some((unit, target.text.clone())), shown)
        }
        None => (None, format_quantity(&quantity)),
    };
    Ok(Evaluation {
        quantity,
        target,
        shown,
        ast,
    })
}

/// Parses and evaluates `src` to a quantity in base units, checking a `->`
/// conversion if it has one, without preparing it for display: what checks of a
/// whole bank need, many times over.
pub fn evaluate_quantity(src: &str, env: &dyn Env) -> Result<Quantity, Diagnostic> {
    let diagnostic = |error| Diagnostic {
        error,
        source: src.to_string(),
    };
    let ast = parse(src).map_err(diagnostic)?;
    let quantity = eval(&ast.expr, env, src).map_err(diagnostic)?;
    if let Some(target) = &ast.target {
        let unit = eval_target(target, env, src).map_err(diagnostic)?;
        check_conversion(&quantity, &unit, &ast.expr, target, src).map_err(diagnostic)?;
    }
    Ok(quantity)
}

/// Evaluates a unit on its own (`req/s`, `TB`, `bn`, `servers`): one of it.
pub fn evaluate_unit(src: &str) -> Result<Quantity, Diagnostic> {
    let diagnostic = |error| Diagnostic {
        error,
        source: src.to_string(),
    };
    let target = super::parser::parse_unit(src).map_err(diagnostic)?;
    eval_target(&target, &NoVariables, src).map_err(diagnostic)
}

/// Evaluates an expression that is already parsed (the parse is kept with the
/// problem, so references are computed without parsing twice).
pub fn evaluate_expr(expr: &Expr, src: &str, env: &dyn Env) -> Result<Quantity, Diagnostic> {
    eval(expr, env, src).map_err(|error| Diagnostic {
        error,
        source: src.to_string(),
    })
}

fn eval_target(target: &Target, env: &dyn Env, src: &str) -> Result<Quantity, QuantityError> {
    let unit = eval(&target.expr, env, src)?;
    if unit.value == 0.0 {
        return Err(
            QuantityError::new(ErrorKind::DivisionByZero, target.expr.span())
                .with_help("convert to a unit, not to zero"),
        );
    }
    Ok(unit)
}

fn check_conversion(
    value: &Quantity,
    unit: &Quantity,
    expr: &Expr,
    target: &Target,
    src: &str,
) -> Result<(), QuantityError> {
    if value.dim == unit.dim {
        return Ok(());
    }
    let from = format!(
        "{} ({})",
        value.dim.describe(),
        format_quantity(value).text()
    );
    let to = format!("{} ({})", unit.dim.describe(), target.text);
    let err = QuantityError::new(ErrorKind::ConversionMismatch { from, to }, expr.span())
        .with_also(target.expr.span());
    Err(err.with_help(conversion_fix(value.dim, unit.dim, src)))
}

/// What to multiply or divide by to go from one dimension to another.
fn conversion_fix(from: Dimension, to: Dimension, src: &str) -> String {
    let missing = to / from;
    let mut fix = match (missing.time, missing.info) {
        (1, 0) => format!(
            "{} multiply by a duration, e.g. `* 5 years`",
            if from.time < 0 { "still a rate:" } else { "" }
        )
        .trim()
        .to_string(),
        (-1, 0) => "divide by a duration, e.g. `/ day`, to get a rate".to_string(),
        (0, 1) => "multiply by a size per item, e.g. `* 500 B`".to_string(),
        (0, -1) => "divide by a size, e.g. `/ (1 KB)`, to count items".to_string(),
        (-1, 1) => "multiply by a size and divide by a duration, e.g. `* 1 KB / s`".to_string(),
        (1, 1) => "multiply by a size per item and a duration, e.g. `* 500 B * 1 year`".to_string(),
        (1, -1) => "divide by a bandwidth, e.g. `/ (1 Gbps)`, to get a duration".to_string(),
        _ => format!(
            "the result is {} in {}; the target is {} in {}",
            from.describe(),
            from.base_unit(),
            to.describe(),
            to.base_unit()
        ),
    };
    if let Some(hint) = byte_after_number_hint(src) {
        fix.push_str("; ");
        fix.push_str(&hint);
    }
    fix
}

/// When a number is written glued to `B` (`1.5B`), the learner may have meant
/// billion; say so in dimension errors.
fn byte_after_number_hint(src: &str) -> Option<String> {
    let bytes = src.as_bytes();
    let glued = bytes.windows(2).enumerate().any(|(i, w)| {
        w[0].is_ascii_digit()
            && w[1] == b'B'
            && !bytes.get(i + 2).is_some_and(|c| c.is_ascii_alphanumeric())
    });
    glued.then(|| "`B` is the byte: for billion write `bn`".to_string())
}

fn eval(expr: &Expr, env: &dyn Env, src: &str) -> Result<Quantity, QuantityError> {
    let q = match expr {
        Expr::Number { value, .. } => Quantity::number(*value),
        Expr::Var { name, span } => lookup_var(name, *span, env)?,
        Expr::Unit(unit) => eval_unit(unit, env)?,
        Expr::Scaled { inner, factor, .. } => {
            let mut q = eval(inner, env, src)?;
            q.value *= factor;
            q
        }
        Expr::WithUnit { inner, unit, .. } => {
            let q = eval(inner, env, src)?;
            let u = eval_unit(unit, env)?;
            Quantity {
                value: q.value * u.value,
                dim: q.dim * u.dim,
                labels: q.labels.mul(&u.labels),
            }
        }
        Expr::Group { inner, .. } => eval(inner, env, src)?,
        Expr::Neg { inner, .. } => {
            let mut q = eval(inner, env, src)?;
            q.value = -q.value;
            q
        }
        Expr::Binary {
            op, left, right, ..
        } => {
            let l = eval(left, env, src)?;
            let r = eval(right, env, src)?;
            binary(*op, l, r, left, right, src)?
        }
        Expr::Power { base, exponent, .. } => {
            let b = eval(base, env, src)?;
            let e = eval(exponent, env, src)?;
            power(b, e, base.span(), exponent.span())?
        }
        Expr::Call { func, args, span } => {
            let values = args
                .iter()
                .map(|a| eval(a, env, src))
                .collect::<Result<Vec<_>, _>>()?;
            call(func, values, args, *span)?
        }
    };
    if !q.value.is_finite() {
        return Err(QuantityError::new(ErrorKind::NotFinite, expr.span())
            .with_help("the numbers overflow: check the magnitudes and exponents"));
    }
    Ok(q)
}

fn lookup_var(name: &str, span: Span, env: &dyn Env) -> Result<Quantity, QuantityError> {
    if let Some(q) = env.get(name) {
        return Ok(q);
    }
    let names = env.names();
    let words = units::all_words().map(|w| -> &str { w });
    let suggestion = units::suggest(name, names.iter().map(String::as_str).chain(words));
    let mut err = QuantityError::new(ErrorKind::UnknownWord(name.to_string()), span);
    err = match suggestion {
        Some(s) => err.with_help(format!("did you mean `{s}`?")),
        None if names.is_empty() => {
            err.with_help("not a unit, magnitude or count the engine knows (see `sdi calc --help`)")
        }
        None => err.with_help(format!("names in scope: {}", preview(&names))),
    };
    Err(err)
}

fn preview(names: &[String]) -> String {
    let mut sorted: Vec<&str> = names.iter().map(String::as_str).collect();
    sorted.sort_unstable();
    let shown: Vec<&str> = sorted.iter().take(8).copied().collect();
    let more = sorted.len().saturating_sub(shown.len());
    if more > 0 {
        format!("{}, and {more} more", shown.join(", "))
    } else {
        shown.join(", ")
    }
}

fn eval_unit(unit: &UnitExpr, env: &dyn Env) -> Result<Quantity, QuantityError> {
    let mut q = Quantity::number(1.0);
    for factor in &unit.factors {
        let exp = factor.exp;
        let (value, dim, labels) = match factor.lookup {
            Some(Lookup::Unit { factor, dim, label }) => {
                (factor, dim, label.map(Labels::single).unwrap_or_default())
            }
            Some(Lookup::Count { singular }) => (1.0, Dimension::NONE, Labels::single(singular)),
            Some(Lookup::Magnitude { .. }) | None => {
                return Err(unknown_unit(&factor.word, factor.span, env));
            }
        };
        q.value *= value.powi(i32::from(exp));
        q.dim = q.dim * dim.pow(exp);
        q.labels = q.labels.mul(&labels.pow(exp));
    }
    Ok(q)
}

fn unknown_unit(word: &str, span: Span, env: &dyn Env) -> QuantityError {
    let err = QuantityError::new(ErrorKind::UnknownWord(word.to_string()), span);
    if env.get(word).is_some() {
        return err.with_help(format!(
            "`{word}` is a name, not a unit: write `*` to multiply, e.g. `3 * {word}`"
        ));
    }
    let special = match word {
        "mb" | "mB" => Some("did you mean `MB` (megabytes) or `Mb` (megabits)?"),
        "gb" | "gB" => Some("did you mean `GB` (gigabytes) or `Gb` (gigabits)?"),
        "G" => Some("for billion write `bn`; for gigabytes `GB`"),
        _ => None,
    };
    if let Some(help) = special {
        return err.with_help(help);
    }
    match units::suggest(word, units::all_words()) {
        Some(s) => err.with_help(format!("did you mean `{s}`?")),
        None => err.with_help(
            "not a unit the engine knows: units are listed in the README (`sdi calc --help`)",
        ),
    }
}

fn side(q: &Quantity, expr: &Expr, src: &str) -> String {
    let text = src.get(expr.span().start..expr.span().end).unwrap_or("");
    let text = if text.chars().count() > 24 {
        format_quantity(q).text()
    } else {
        text.to_string()
    };
    format!("{} ({text})", q.dim.describe())
}

fn binary(
    op: BinOp,
    l: Quantity,
    r: Quantity,
    left: &Expr,
    right: &Expr,
    src: &str,
) -> Result<Quantity, QuantityError> {
    match op {
        BinOp::Add | BinOp::Sub => {
            if l.dim != r.dim {
                let verb = if op == BinOp::Add { "add" } else { "subtract" };
                let mut help = format!(
                    "both sides of `{}` need the same dimension",
                    if op == BinOp::Add { "+" } else { "-" }
                );
                if let Some(hint) = byte_after_number_hint(src) {
                    help = format!("{help}; {hint}");
                }
                return Err(QuantityError::new(
                    ErrorKind::DimensionMismatch {
                        op: verb,
                        left: side(&l, left, src),
                        right: side(&r, right, src),
                    },
                    left.span(),
                )
                .with_also(right.span())
                .with_help(help));
            }
            let value = if op == BinOp::Add {
                l.value + r.value
            } else {
                l.value - r.value
            };
            let labels = if l.labels.is_empty() {
                r.labels
            } else {
                l.labels
            };
            Ok(Quantity {
                value,
                dim: l.dim,
                labels,
            })
        }
        BinOp::Mul => Ok(Quantity {
            value: l.value * r.value,
            dim: l.dim * r.dim,
            labels: l.labels.product(&r.labels),
        }),
        BinOp::Div => {
            if r.value == 0.0 {
                return Err(QuantityError::new(ErrorKind::DivisionByZero, right.span())
                    .with_help("the divisor is zero: check the assumptions it uses"));
            }
            Ok(Quantity {
                value: l.value / r.value,
                dim: l.dim / r.dim,
                labels: l.labels.div(&r.labels),
            })
        }
    }
}

fn power(
    base: Quantity,
    exp: Quantity,
    base_span: Span,
    exp_span: Span,
) -> Result<Quantity, QuantityError> {
    if !exp.dim.is_none() {
        return Err(QuantityError::new(
            ErrorKind::Invalid(format!(
                "an exponent must be a plain number, not {}",
                exp.dim.describe()
            )),
            exp_span,
        ));
    }
    if base.dim.is_none() {
        return Ok(Quantity {
            value: base.value.powf(exp.value),
            dim: Dimension::NONE,
            labels: Labels::default(),
        });
    }
    let n = exp.value;
    if n.fract() != 0.0 || n.abs() > 8.0 {
        return Err(QuantityError::new(
            ErrorKind::Invalid(format!(
                "{} can only be raised to a whole power from -8 to 8",
                base.dim.describe()
            )),
            exp_span,
        )
        .with_also(base_span));
    }
    let n = n as i8;
    Ok(Quantity {
        value: base.value.powi(i32::from(n)),
        dim: base.dim.pow(n),
        labels: base.labels.pow(n),
    })
}

fn call(
    func: &str,
    values: Vec<Quantity>,
    args: &[Expr],
    span: Span,
) -> Result<Quantity, QuantityError> {
    let arity = |n: usize| {
        if values.len() == n {
            Ok(())
        } else {
            Err(QuantityError::new(
                ErrorKind::Invalid(format!(
                    "`{func}` takes {n} argument{}",
                    if n == 1 { "" } else { "s" }
                )),
                span,
            ))
        }
    };
    let plain = |q: &Quantity, i: usize| {
        if q.dim.is_none() {
            Ok(q.value)
        } else {
            Err(QuantityError::new(
                ErrorKind::Invalid(format!(
                    "`{func}` needs a plain number, not {}",
                    q.dim.describe()
                )),
                args[i].span(),
            )
            .with_help(format!(
                "divide by a unit first, e.g. `{func}(x / (1 {}))`",
                example_unit(q.dim)
            )))
        }
    };
    match func {
        "ceil" | "floor" | "round" | "log2" | "log10" => {
            arity(1)?;
            let x = plain(&values[0], 0)?;
            let value = match func {
                "ceil" => x.ceil(),
                "floor" => x.floor(),
                "round" => x.round(),
                "log2" | "log10" if x <= 0.0 => {
                    return Err(QuantityError::new(
                        ErrorKind::Invalid(format!("`{func}` needs a positive number")),
                        args[0].span(),
                    ));
                }
                "log2" => x.log2(),
                _ => x.log10(),
            };
            let labels = if func.starts_with("log") {
                Labels::default()
            } else {
                values[0].labels
            };
            Ok(Quantity {
                value,
                dim: Dimension::NONE,
                labels,
            })
        }
        "sqrt" => {
            arity(1)?;
            let q = &values[0];
            if q.dim.time % 2 != 0 || q.dim.info % 2 != 0 || q.value < 0.0 {
                return Err(QuantityError::new(
                    ErrorKind::Invalid(format!(
                        "cannot take the square root of {}",
                        q.dim.describe()
                    )),
                    args[0].span(),
                ));
            }
            Ok(Quantity {
                value: q.value.sqrt(),
                dim: Dimension {
                    time: q.dim.time / 2,
                    info: q.dim.info / 2,
                },
                labels: Labels::default(),
            })
        }
        "min" | "max" => {
            if values.len() < 2 {
                return Err(QuantityError::new(
                    ErrorKind::Invalid(format!("`{func}` takes two or more arguments")),
                    span,
                ));
            }
            let first = &values[0];
            for (i, q) in values.iter().enumerate().skip(1) {
                if q.dim != first.dim {
                    return Err(QuantityError::new(
                        ErrorKind::DimensionMismatch {
                            op: "compare",
                            left: first.dim.describe(),
                            right: q.dim.describe(),
                        },
                        args[i].span(),
                    )
                    .with_also(args[0].span()));
                }
            }
            let pick = values.into_iter().reduce(|a, b| {
                let a_wins = if func == "min" {
                    a.value <= b.value
                } else {
                    a.value >= b.value
                };
                if a_wins { a } else { b }
            });
            Ok(pick.unwrap_or_else(|| Quantity::number(0.0)))
        }
        _ => Err(QuantityError::new(
            ErrorKind::UnknownWord(func.to_string()),
            span,
        )),
    }
}

fn example_unit(dim: Dimension) -> &'static str {
    match (dim.time, dim.info) {
        (1, 0) => "s",
        (-1, 0) => "req/s",
        (0, 1) => "GB",
        (-1, 1) => "MB/s",
        _ => "unit",
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::collections::HashMap;

    fn value(src: &str) -> f64 {
        let e = evaluate(src, &NoVariables).unwrap_or_else(|d| panic!("{src}: {d}"));
        e.shown.value
    }

    fn error(src: &str) -> Diagnostic {
        match evaluate(src, &NoVariables) {
            Ok(e) => panic!("{src} evaluated to {}", e.shown.text()),
            Err(d) => d,
        }
    }

    fn close(a: f64, b: f64) -> bool {
        ((a - b) / b).abs() < 1e-9
    }

    #[test]
    fn the_worked_examples_of_the_design() {
        for (src, expected) in [
            ("100M * 10 / day -> req/s", 100e6 * 10.0 / 86400.0),
            ("150e6 * 2 / 86400 s -> req/s", 150e6 * 2.0 / 86400.0),
            ("30 TB/day * 5 years -> PB", 54.75),
            ("10 Gbps -> MB/s", 1250.0),
            ("1 month -> s", 2_592_000.0),
            ("2^32 B -> GiB", 4.0),
            ("1 year * (1 - 99.9%) -> hour", 8.76),
            ("100M / day * 3650 days -> bn", 365.0),
            (
                "300M users * 50% * 2 / day -> req/s",
                300e6 * 0.5 * 2.0 / 86400.0,
            ),
            ("100M users * 2 req/day -> req/s", 200e6 / 86400.0),
        ] {
            let got = value(src);
            assert!(
                close(got, expected),
                "{src}: got {got}, expected {expected}"
            );
        }
    }

    #[test]
    fn conversions_agree_with_gnu_units() {
        // What `units -t FROM TO` (GNU units 2.22) prints, to its 8 significant digits.
        for (from, to, gnu) in [
            ("1 kB", "B", 1000.0),
            ("1 KiB", "B", 1024.0),
            ("1 MiB", "B", 1_048_576.0),
            ("1 GiB", "B", 1.073_741_8e9),
            ("1 TiB", "B", 1.099_511_6e12),
            ("1 PiB", "B", 1.125_899_9e15),
            ("1 MB", "B", 1e6),
            ("1 PB", "B", 1e15),
            ("1 bit", "B", 0.125),
            ("1 Mbit", "B", 125_000.0),
            ("1 Gbit", "B", 1.25e8),
            ("1 Gbps", "MB/s", 125.0),
            ("1 week", "s", 604_800.0),
            ("1 day", "s", 86_400.0),
            ("1 hour", "s", 3_600.0),
            ("1 minute", "s", 60.0),
            ("1 ms", "s", 0.001),
            ("1e9/day", "1/s", 11_574.074),
        ] {
            let got = value(&format!("{from} -> {to}"));
            assert!(
                ((got - gnu) / gnu).abs() < 1e-7,
                "{from} -> {to}: {got} vs GNU {gnu}"
            );
        }
        // Where the conventions differ on purpose: GNU's year is the tropical year
        // (31,556,926 s) and its month a twelfth of it; interviews use 365 and 30 days.
        assert_eq!(value("1 year -> s"), 31_536_000.0);
        assert_eq!(value("1 month -> s"), 2_592_000.0);
    }

    #[test]
    fn mixing_dimensions_is_refused_and_names_both_sides() {
        let d = error("500 GB + 3 req/s");
        let msg = d.to_string();
        assert!(msg.contains("a data size (500 GB)"), "{msg}");
        assert!(msg.contains("a rate (3 req/s)"), "{msg}");
        assert_eq!(d.carets(), "^^^^^^   ^^^^^^^");
    }

    #[test]
    fn a_rate_is_not_a_size_and_the_fix_says_so() {
        let d = error("30 TB/day * 365 * 5 -> PB");
        assert!(matches!(d.error.kind, ErrorKind::ConversionMismatch { .. }));
        let help = d.error.help.unwrap();
        assert!(
            help.contains("still a rate: multiply by a duration"),
            "{help}"
        );
    }

    #[test]
    fn bare_m_is_refused() {
        let d = error("5 m -> s");
        assert_eq!(d.column(), 3);
        assert!(d.error.help.unwrap().contains("`min`"));
    }

    #[test]
    fn unknown_words_get_a_suggestion() {
        let d = error("5 secnds");
        assert_eq!(d.error.kind, ErrorKind::UnknownWord("secnds".into()));
        assert_eq!(d.error.help.as_deref(), Some("did you mean `seconds`?"));
        let d = error("3 * usres");
        assert_eq!(d.error.help.as_deref(), Some("did you mean `users`?"));
    }

    #[test]
    fn division_by_zero_points_at_the_divisor() {
        let d = error("5 GB / (2 - 2)");
        assert_eq!(d.error.kind, ErrorKind::DivisionByZero);
        assert_eq!(d.column(), 8);
    }

    #[test]
    fn overflow_is_not_finite() {
        let d = error("10^400");
        assert_eq!(d.error.kind, ErrorKind::NotFinite);
    }

    #[test]
    fn billion_written_as_b_is_caught_where_it_meets_a_rate() {
        let d = error("1.5B * 2 / day -> req/s");
        assert!(d.error.help.unwrap().contains("billion write `bn`"));
    }

    #[test]
    fn variables_come_from_the_environment() {
        let mut env = HashMap::new();
        env.insert("daily_users".to_string(), Quantity::number(1e6));
        let e = evaluate("daily_users * 10 / day -> req/s", &env).unwrap();
        assert!(close(e.shown.value, 1e7 / 86400.0));
        let d = evaluate("daily_user * 2", &env).unwrap_err();
        assert_eq!(d.error.help.as_deref(), Some("did you mean `daily_users`?"));
        let d = evaluate("3 daily_users", &env).unwrap_err();
        assert!(d.error.help.unwrap().contains("3 * daily_users"));
    }

    #[test]
    fn functions() {
        assert_eq!(value("ceil(11.6k req/s / (2k req/s))"), 6.0);
        assert_eq!(value("max(3 GB, 2000 MB) -> GB"), 3.0);
        assert_eq!(value("log2(1024)"), 10.0);
        assert_eq!(value("sqrt(4 s^2) -> s"), 2.0);
        let d = error("ceil(5 GB)");
        assert!(d.error.help.unwrap().contains("divide by a unit first"));
    }

    #[test]
    fn labels_follow_the_arithmetic() {
        let e = evaluate("2000 req/s / (500 req/s/server)", &NoVariables).unwrap();
        assert_eq!(e.shown.text(), "4 servers");
        let e = evaluate("100M users * 2 req/user/day", &NoVariables).unwrap();
        assert_eq!(e.shown.text(), "2.31k req/s");
        let e = evaluate("100M users * 2 req/day", &NoVariables).unwrap();
        assert_eq!(e.shown.text(), "2.31k req/s");
    }
}
