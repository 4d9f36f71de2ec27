//! Evaluates an AST to a [`Quantity`], checking dimensions as it goes.
//!
//! Every error names what the learner wrote and what to do instead: adding a size
//! to a rate names both sides, converting a rate to a size says "still a rate:
//! multiply by a duration", an unknown word gets a did-you-mean.
//!
//! Every step checks what it makes: a value must stay finite, and an exponent of
//! a unit within [`MAX_EXPONENT`]. The tree is walked with a stack of its own,
//! not by recursion, so no depth of nesting can exhaust the thread's stack; a
//! tree nested deeper than [`MAX_NESTING`] (which the parser never builds) is
//! refused all the same.

use super::display::{Shown, displayable, format_in, format_quantity};
use super::error::{Diagnostic, ErrorKind, QuantityError, Span};
use super::parser::{Ast, BinOp, Expr, Target, UnitExpr, parse};
use super::units::{self, Lookup};
use super::{Dimension, Exponents, LabelPower, Labels, MAX_EXPONENT, MAX_NESTING, Quantity};

/// Names an expression may read: a problem's assumptions and earlier estimates.
pub(crate) trait Env {
    fn get(&self, name: &str) -> Option<Quantity>;
    /// Every name in scope, for did-you-mean suggestions.
    fn names(&self) -> Vec<String>;
}

/// The empty environment of `sdi calc`.
pub(crate) struct NoVariables;

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
pub(crate) struct Evaluation {
    pub quantity: Quantity,
    /// One of the target unit, and its text as written, after `->`.
    pub target: Option<(Quantity, String)>,
    pub shown: Shown,
    pub ast: Ast,
}

/// Parses and evaluates `src`, converting to its `->` target if it has one.
pub(crate) fn evaluate(src: &str, env: &dyn Env) -> Result<Evaluation, Diagnostic> {
    let diagnostic = |error| Diagnostic {
        error,
        source: src.to_string(),
    };
    let ast = parse(src).map_err(diagnostic)?;
    evaluate_ast(ast, src, env).map_err(diagnostic)
}

fn evaluate_ast(ast: Ast, src: &str, env: &dyn Env) -> Result<Evaluation, QuantityError> {
    let quantity = eval(&ast.expr, env, src)?;
    let (target, shown) = match &ast.target {
        Some(target) => {
            let unit = eval_target(target, env, src)?;
            check_conversion(&quantity, &unit, &ast.expr, target, src)?;
            let shown = format_in(&quantity, &unit, &target.text);
            if !displayable(shown.value) {
                // `1e300 -> 1e-300`: each side is finite, the quotient is not.
                return Err(QuantityError::new(ErrorKind::NotFinite, target.expr.span())
                    .with_also(ast.expr.span())
                    .with_help(format!(
                        "the result is too large to show in `{}`: convert to a larger unit",
                        target.text
                    )));
            }
            (Some((unit, target.text.clone())), shown)
        }
        None => {
            let shown = format_quantity(&quantity);
            if !displayable(shown.value) {
                // `1.7976931348623157e308`: finite, but 3 significant figures round it up
                // past the largest number there is.
                return Err(
                    QuantityError::new(ErrorKind::NotFinite, ast.expr.span()).with_help(
                        "the result is too large to show: check the magnitudes and exponents",
                    ),
                );
            }
            (None, shown)
        }
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
pub(crate) fn evaluate_quantity(src: &str, env: &dyn Env) -> Result<Quantity, Diagnostic> {
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
pub(crate) fn evaluate_unit(src: &str) -> Result<Quantity, Diagnostic> {
    let diagnostic = |error| Diagnostic {
        error,
        source: src.to_string(),
    };
    let target = super::parser::parse_unit(src).map_err(diagnostic)?;
    eval_target(&target, &NoVariables, src).map_err(diagnostic)
}

/// Evaluates an expression that is already parsed (the parse is kept with the
/// problem, so references are computed without parsing twice).
pub(crate) fn evaluate_expr(expr: &Expr, src: &str, env: &dyn Env) -> Result<Quantity, Diagnostic> {
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
    let missing = (
        i32::from(to.time) - i32::from(from.time),
        i32::from(to.info) - i32::from(from.info),
    );
    let mut fix = match missing {
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

/// What is left to do for a node of the tree, on the evaluator's own stack.
enum Task<'e> {
    /// Evaluate the node; `nesting` counts the groups and calls around it.
    Visit(&'e Expr, usize),
    /// Combine the values of the node's children, which are on the value stack.
    Finish(&'e Expr),
    /// Apply link `i` of a chain to the value so far and the link's operand.
    Link(&'e Expr, usize),
}

/// Evaluates `root` depth first, left to right (so the first error is the one a
/// reader meets first), with explicit stacks of tasks and values.
fn eval(root: &Expr, env: &dyn Env, src: &str) -> Result<Quantity, QuantityError> {
    // Sized for the usual estimate, so most evaluations allocate once per stack.
    let mut tasks = Vec::with_capacity(16);
    tasks.push(Task::Visit(root, 0));
    let mut values: Vec<Quantity> = Vec::with_capacity(8);
    while let Some(task) = tasks.pop() {
        match task {
            Task::Visit(expr, nesting) => match expr {
                Expr::Number { value, span } => {
                    values.push(finite(Quantity::number(*value), *span)?);
                }
                Expr::Var { name, span } => {
                    values.push(finite(lookup_var(name, *span, env)?, *span)?)
                }
                Expr::Unit(unit) => values.push(finite(eval_unit(unit, env)?, unit.span)?),
                Expr::Scaled { inner, .. }
                | Expr::WithUnit { inner, .. }
                | Expr::Neg { inner, .. } => {
                    tasks.push(Task::Finish(expr));
                    tasks.push(Task::Visit(inner, nesting));
                }
                Expr::Group { inner, .. } => tasks.push(Task::Visit(inner, deeper(expr, nesting)?)),
                Expr::Power { base, exponent, .. } => {
                    tasks.push(Task::Finish(expr));
                    tasks.push(Task::Visit(exponent, nesting));
                    tasks.push(Task::Visit(base, nesting));
                }
                Expr::Call { args, .. } => {
                    let nesting = deeper(expr, nesting)?;
                    tasks.push(Task::Finish(expr));
                    tasks.extend(args.iter().rev().map(|a| Task::Visit(a, nesting)));
                }
                Expr::Chain { first, rest, .. } => {
                    for (i, (_, operand)) in rest.iter().enumerate().rev() {
                        tasks.push(Task::Link(expr, i));
                        tasks.push(Task::Visit(operand, nesting));
                    }
                    tasks.push(Task::Visit(first, nesting));
                }
            },
            Task::Finish(expr) => {
                let q = finish(expr, &mut values, env)?;
                values.push(finite(q, expr.span())?);
            }
            Task::Link(expr, i) => {
                let Expr::Chain { first, rest, .. } = expr else {
                    return Err(lost(expr.span()));
                };
                let (op, right) = &rest[i];
                let r = take(&mut values, right.span())?;
                let l = take(&mut values, expr.span())?;
                // The span of the chain so far: what the left side of a mismatch is.
                let left = match i.checked_sub(1) {
                    Some(previous) => first.span().to(rest[previous].1.span()),
                    None => first.span(),
                };
                let q = binary(*op, l, r, left, right, src)?;
                values.push(finite(q, left.to(right.span()))?);
            }
        }
    }
    take(&mut values, root.span())
}

/// The values of `expr`'s children, combined.
fn finish(
    expr: &Expr,
    values: &mut Vec<Quantity>,
    env: &dyn Env,
) -> Result<Quantity, QuantityError> {
    let span = expr.span();
    Ok(match expr {
        Expr::Scaled { factor, .. } => {
            let mut q = take(values, span)?;
            q.value *= factor;
            q
        }
        Expr::WithUnit { unit, span, .. } => {
            let q = take(values, *span)?;
            let u = eval_unit(unit, env)?;
            Quantity {
                value: q.value * u.value,
                dim: q.dim.checked_mul(u.dim).map_err(|e| too_high(e, *span))?,
                labels: q
                    .labels
                    .mul(&u.labels)
                    .map_err(|e| label_too_high(e, *span))?,
            }
        }
        Expr::Neg { .. } => {
            let mut q = take(values, span)?;
            q.value = -q.value;
            q
        }
        Expr::Power {
            base,
            exponent,
            span,
        } => {
            let e = take(values, exponent.span())?;
            let b = take(values, base.span())?;
            power(b, e, base.span(), exponent.span(), *span)?
        }
        Expr::Call { func, args, span } => {
            let from = values
                .len()
                .checked_sub(args.len())
                .ok_or_else(|| lost(*span))?;
            let arguments = values.split_off(from);
            call(func, arguments, args, *span)?
        }
        _ => return Err(lost(span)),
    })
}

/// One level deeper inside `expr` (a group or a call), within [`MAX_NESTING`].
fn deeper(expr: &Expr, nesting: usize) -> Result<usize, QuantityError> {
    if nesting >= MAX_NESTING {
        return Err(
            QuantityError::new(ErrorKind::TooDeep { limit: MAX_NESTING }, expr.span())
                .with_help("an estimate never needs this many levels: work it out in steps"),
        );
    }
    Ok(nesting + 1)
}

/// The last value computed: a child's, which the task order guarantees.
fn take(values: &mut Vec<Quantity>, span: Span) -> Result<Quantity, QuantityError> {
    values.pop().ok_or_else(|| lost(span))
}

/// A bug in the evaluator, reported rather than panicked on.
fn lost(span: Span) -> QuantityError {
    QuantityError::new(
        ErrorKind::Invalid("the evaluator lost its place".into()),
        span,
    )
    .with_help("this is a bug in sdi: please report the expression")
}

fn finite(q: Quantity, span: Span) -> Result<Quantity, QuantityError> {
    check_finite(&q, span)?;
    Ok(q)
}

fn check_finite(q: &Quantity, span: Span) -> Result<(), QuantityError> {
    if q.value.is_finite() {
        return Ok(());
    }
    Err(QuantityError::new(ErrorKind::NotFinite, span)
        .with_help("the numbers overflow: check the magnitudes and exponents"))
}

/// A product or power whose dimension leaves the range of exponents.
fn too_high(exponents: Exponents, span: Span) -> QuantityError {
    QuantityError::new(
        ErrorKind::ExponentOutOfRange {
            unit: exponents.base_unit(),
            limit: MAX_EXPONENT,
        },
        span,
    )
    .with_help("units take small whole powers (`s^2`, `1/s`): check the `^` and what is multiplied")
}

/// A product or power whose count labels leave the range of exponents.
fn label_too_high(power: LabelPower, span: Span) -> QuantityError {
    QuantityError::new(
        ErrorKind::ExponentOutOfRange {
            unit: format!("{}^{}", power.name, power.exp),
            limit: MAX_EXPONENT,
        },
        span,
    )
    .with_help("counts take small whole powers (`users^2`): check the `^` and what is multiplied")
}

/// Words people type for an operation the engine writes as a symbol.
fn operator_word(word: &str) -> Option<&'static str> {
    match word.to_ascii_lowercase().as_str() {
        "of" => Some("for a share of something, multiply: `40% * 1M` is 40% of 1M"),
        "times" => Some("to multiply, write `*`: `3 * 100M`"),
        "per" => Some("for a rate, divide: `100M / day` (or write the unit, `req/day`)"),
        "plus" => Some("to add, write `+`"),
        "minus" => Some("to subtract, write `-`"),
        "over" | "divided" => Some("to divide, write `/`"),
        _ => None,
    }
}

fn lookup_var(name: &str, span: Span, env: &dyn Env) -> Result<Quantity, QuantityError> {
    if let Some(q) = env.get(name) {
        return Ok(q);
    }
    if let Some(help) = operator_word(name) {
        return Err(
            QuantityError::new(ErrorKind::UnknownWord(name.to_string()), span).with_help(help),
        );
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
        let exp = i32::from(exp);
        q.value *= value.powi(exp);
        q.dim = dim
            .checked_pow(exp)
            .and_then(|d| q.dim.checked_mul(d))
            .map_err(|e| too_high(e, factor.span))?;
        q.labels = labels
            .pow(exp)
            .and_then(|l| q.labels.mul(&l))
            .map_err(|e| label_too_high(e, factor.span))?;
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
        "mbps" | "MBPS" | "mBps" => {
            Some("did you mean `Mbps` (megabits per second) or `MBps` (megabytes per second)?")
        }
        "gb" | "gB" => Some("did you mean `GB` (gigabytes) or `Gb` (gigabits)?"),
        "G" => Some("for billion write `bn`; for gigabytes `GB`"),
        _ => None,
    };
    if let Some(help) = special.or_else(|| operator_word(word)) {
        return err.with_help(help);
    }
    match units::suggest(word, units::all_words()) {
        Some(s) => err.with_help(format!("did you mean `{s}`?")),
        None => err.with_help(
            "not a unit the engine knows: units are listed in the README (`sdi calc --help`)",
        ),
    }
}

fn side(q: &Quantity, span: Span, src: &str) -> String {
    let text = src.get(span.start..span.end).unwrap_or("");
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
    left: Span,
    right: &Expr,
    src: &str,
) -> Result<Quantity, QuantityError> {
    let whole = left.to(right.span());
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
                        right: side(&r, right.span(), src),
                    },
                    left,
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
            dim: l.dim.checked_mul(r.dim).map_err(|e| too_high(e, whole))?,
            labels: l
                .labels
                .product(&r.labels)
                .map_err(|e| label_too_high(e, whole))?,
        }),
        BinOp::Div => {
            if r.value == 0.0 {
                return Err(QuantityError::new(ErrorKind::DivisionByZero, right.span())
                    .with_help("the divisor is zero: check the assumptions it uses"));
            }
            Ok(Quantity {
                value: l.value / r.value,
                dim: l.dim.checked_div(r.dim).map_err(|e| too_high(e, whole))?,
                labels: l
                    .labels
                    .div(&r.labels)
                    .map_err(|e| label_too_high(e, whole))?,
            })
        }
    }
}

fn power(
    base: Quantity,
    exp: Quantity,
    base_span: Span,
    exp_span: Span,
    span: Span,
) -> Result<Quantity, QuantityError> {
    if !exp.dim.is_none() {
        return Err(QuantityError::new(
            ErrorKind::Invalid(format!(
                "an exponent must be a plain number, not {}",
                exp.dim.describe()
            )),
            exp_span,
        )
        .with_help("divide the exponent by its unit, or write the power as a number (`2^10`)"));
    }
    if base.dim.is_none() && base.value < 0.0 && exp.value.fract() != 0.0 {
        return Err(QuantityError::new(
            ErrorKind::Invalid(format!(
                "a negative number has no power `^{}`",
                super::format_number(exp.value, true)
            )),
            exp_span,
        )
        .with_also(base_span)
        .with_help("only whole powers of a negative number exist: check the sign of the base"));
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
        .with_also(base_span)
        .with_help("use a whole power (`s^2`), or divide the base by its unit first"));
    }
    // A whole number from -8 to 8, by the check above.
    let n = n as i32;
    Ok(Quantity {
        value: base.value.powi(n),
        dim: base.dim.checked_pow(n).map_err(|e| too_high(e, span))?,
        labels: base.labels.pow(n).map_err(|e| label_too_high(e, span))?,
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
            )
            .with_help(format!("write it as `{func}(x)`")))
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
                        ErrorKind::Invalid(format!(
                            "`{func}` needs a positive number, not {}",
                            super::format_number(x, true)
                        )),
                        args[0].span(),
                    )
                    .with_help("a logarithm is defined only above zero: check the argument"));
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
            if q.dim.time % 2 != 0 || q.dim.info % 2 != 0 {
                return Err(QuantityError::new(
                    ErrorKind::Invalid(format!(
                        "cannot take the square root of {}",
                        q.dim.describe()
                    )),
                    args[0].span(),
                )
                .with_help("only even powers of units have a square root (`sqrt(4 s^2)`)"));
            }
            if q.value < 0.0 {
                return Err(QuantityError::new(
                    ErrorKind::Invalid(format!(
                        "cannot take the square root of a negative number ({})",
                        format_quantity(q).text()
                    )),
                    args[0].span(),
                )
                .with_help("the argument of `sqrt` must be zero or more: check its sign"));
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
                )
                .with_help(format!("separate them with commas: `{func}(2 GB, 3 GB)`")));
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
                    .with_also(args[0].span())
                    .with_help(format!("`{func}` compares quantities of one dimension")));
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
        _ => Err(
            QuantityError::new(ErrorKind::UnknownWord(func.to_string()), span)
                .with_help(format!("the functions are {}", units::FUNCTIONS.join(", "))),
        ),
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
        let d = evaluate("40% of", &NoVariables).unwrap_err();
        assert!(d.error.help.as_deref().unwrap().contains("`40% * 1M`"));
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
    fn the_deepest_expressions_fit_a_small_stack() {
        // Parser and evaluator keep their own stacks: 256 levels of every kind
        // of nesting evaluate on a thread with a 256 KiB stack, in a debug build.
        let n = MAX_NESTING;
        let cases = [
            format!("{}1{}", "(".repeat(n), ")".repeat(n)),
            format!("{}4{}", "sqrt(".repeat(n), ")".repeat(n)),
            format!("{}1{}", "max(1, ".repeat(n), ")".repeat(n)),
            format!("{}1{}", "-$(~".repeat(n), ") k".repeat(n)),
            format!("2^{}1{}", "-(".repeat(n), ")".repeat(n)),
            format!("{}1{}", "(1 + 2 * ".repeat(n), ") GB / s".repeat(n)),
        ];
        let outcome = std::thread::Builder::new()
            .stack_size(256 * 1024)
            .spawn(move || {
                cases
                    .iter()
                    .map(|src| evaluate(src, &NoVariables).map(|e| e.shown.text()))
                    .collect::<Vec<_>>()
            })
            .unwrap()
            .join()
            .unwrap();
        assert_eq!(outcome[0].as_deref(), Ok("1"));
        assert_eq!(outcome[1].as_deref(), Ok("1"));
        assert_eq!(outcome[2].as_deref(), Ok("1"));
        // Errors are fine (units pile up beyond the allowed power); overflowing is not.
        assert!(outcome[5].is_err());
    }

    #[test]
    fn a_tree_nested_too_deep_by_hand_is_refused() {
        // The parser never builds one; the evaluator holds the same limit anyway.
        let mut expr = Expr::Number {
            value: 1.0,
            span: Span::new(0, 1),
        };
        for _ in 0..=MAX_NESTING {
            expr = Expr::Group {
                inner: Box::new(expr),
                span: Span::new(0, 1),
            };
        }
        let d = evaluate_expr(&expr, "1", &NoVariables).unwrap_err();
        assert_eq!(d.error.kind, ErrorKind::TooDeep { limit: 256 });
    }

    #[test]
    fn chains_of_any_length_evaluate() {
        let src = vec!["1"; 2000].join("+");
        assert_eq!(value(&src), 2000.0);
        let src = format!("{}5", "-".repeat(4001));
        assert_eq!(value(&src), -5.0);
        let src = format!("1e-300{}", " k".repeat(200));
        assert!(matches!(error(&src).error.kind, ErrorKind::NotFinite));
    }

    #[test]
    fn exponents_of_units_are_checked() {
        let d = error("((s^8)^8)^8 * s / ((s^8)^8)^8 + 5");
        assert_eq!(
            d.error.kind,
            ErrorKind::ExponentOutOfRange {
                unit: "s^64".into(),
                limit: 16
            }
        );
        assert_eq!(d.column(), 2);
        assert!(d.error.help.unwrap().contains("small whole powers"));
        assert!(matches!(
            error("users^8 * users^8 * users").error.kind,
            ErrorKind::ExponentOutOfRange { .. }
        ));
        assert!(matches!(
            error("1 s^8 s^8 s").error.kind,
            ErrorKind::ExponentOutOfRange { .. }
        ));
        assert_eq!(value("(s^4)^4 / (s^8)^2"), 1.0);
    }

    #[test]
    fn a_result_too_large_to_show_is_an_error() {
        let d = error("1e300 -> 1e-300");
        assert_eq!(d.error.kind, ErrorKind::NotFinite);
        assert_eq!(d.column(), 10);
        assert!(d.error.help.unwrap().contains("larger unit"));
        let d = error("1.7976931348623157e308");
        assert_eq!(d.error.kind, ErrorKind::NotFinite);
        assert_eq!(value("1.7e308"), 1.7e308);
    }

    #[test]
    fn what_candidates_type() {
        for (src, expected) in [
            ("1000 / 5 / day -> 1/day", 200.0),
            ("1000 / 5 per day -> 1/day", 200.0),
            ("1 bn / 30 / day -> 1/day", 1e9 / 30.0),
            ("100 / min(2, 4)", 50.0),
            ("100 / max(2, 4)", 25.0),
            ("-5 GB + 10 GB -> GB", 5.0),
            ("116,000 req/s -> req/s", 116_000.0),
            ("1,000,000 * 2", 2e6),
            ("~5 GB -> GB", 5.0),
            ("about 100M users -> M", 100.0),
            ("roughly 3 * approx 4", 12.0),
            ("3 x 10^5", 3e5),
            ("3×10^5", 3e5),
            ("3x10^5", 3e5),
            ("$50M -> M USD", 50.0),
            ("5 USD * 1M -> M USD", 5.0),
            ("€2 * 3 -> EUR", 6.0),
            ("5 MBps -> MB/s", 5.0),
            ("8 Mbps -> MBps", 1.0),
            ("5 msec -> ms", 5.0),
            ("5 / s -> per second", 5.0),
            ("2 GB/min -> B/s", 2e9 / 60.0),
        ] {
            let got = value(src);
            assert!(
                close(got, expected),
                "{src}: got {got}, expected {expected}"
            );
        }
        assert_eq!(
            evaluate("$50M", &NoVariables).unwrap().shown.text(),
            "50M USD"
        );
        assert_eq!(
            evaluate("1000 / 5 / day", &NoVariables)
                .unwrap()
                .shown
                .text(),
            "200/day"
        );
        // In `calc`, `10-15` is a subtraction.
        assert_eq!(value("10-15"), -5.0);
    }

    #[test]
    fn the_square_root_of_a_negative_number_says_so() {
        let d = error("sqrt(-4)");
        assert!(
            d.error
                .to_string()
                .contains("square root of a negative number (-4)"),
            "{d}"
        );
        assert_eq!(d.column(), 6);
        let d = error("(-8)^0.5");
        assert!(
            d.error
                .to_string()
                .contains("a negative number has no power")
        );
        let d = error("sqrt(5 s)");
        assert!(d.error.to_string().contains("square root of a duration"));
    }

    #[test]
    fn unknown_money_and_rates_are_not_suggested_as_other_units() {
        // `USD` was suggested as `us` (microseconds) before money was a count.
        assert!(evaluate("5 USD * 1M", &NoVariables).is_ok());
        let d = error("5 mbps");
        assert!(d.error.help.unwrap().contains("`Mbps`"));
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
