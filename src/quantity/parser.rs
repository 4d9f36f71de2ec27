//! Recursive-descent parser from tokens to an AST with spans.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! input    := sum (('->' | 'to' | 'in') target)?
//! sum      := product (('+' | '-') product)*
//! product  := unary (('*' | '/' | 'per') unary)*
//! unary    := '-' unary | postfix
//! postfix  := atom ('^' exponent)? magnitude* unit?      (units only after a number,
//!                                                       a group or a call)
//! unit     := factor (factor | ('/' | 'per') factor)*    factor := WORD ('^' INT)?
//! atom     := NUMBER | '(' sum ')' | FUNC '(' sum (',' sum)* ')' | unit | NAME
//! target   := NUMBER? magnitude* unit?
//! ```
//!
//! A number followed by units is one quantity, so `x / 86400 s` divides by 86,400
//! seconds and `30 TB/day` is one rate; after a `/`, a word continues the unit only
//! when it is a known unit, so `100 / peak_factor` still divides by a name.

use super::error::{ErrorKind, QuantityError, Span};
use super::lexer::{Tok, Token, tokenize};
use super::units::{self, AMBIGUOUS, Lookup};

/// One factor of a unit expression, such as `GB` or `s^-1` in `GB/s`.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitFactor {
    pub word: String,
    /// Negative in a denominator.
    pub exp: i8,
    pub span: Span,
    /// `None` for a word the tables do not know; evaluation reports it, with a
    /// suggestion that depends on the names in scope.
    pub lookup: Option<Lookup>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct UnitExpr {
    pub factors: Vec<UnitFactor>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
pub enum Expr {
    Number {
        value: f64,
        span: Span,
    },
    /// A name resolved by the environment (an assumption or an earlier estimate).
    Var {
        name: String,
        span: Span,
    },
    /// A unit on its own, worth one of it: `day` in `x / day`.
    Unit(UnitExpr),
    /// A magnitude after a number: `100M`, `99.9%`.
    Scaled {
        inner: Box<Expr>,
        factor: f64,
        span: Span,
    },
    /// A number followed by units: `500 GB`, `2 req/day`.
    WithUnit {
        inner: Box<Expr>,
        unit: UnitExpr,
        span: Span,
    },
    Group {
        inner: Box<Expr>,
        span: Span,
    },
    Neg {
        inner: Box<Expr>,
        span: Span,
    },
    Binary {
        op: BinOp,
        left: Box<Expr>,
        right: Box<Expr>,
        span: Span,
    },
    Power {
        base: Box<Expr>,
        exponent: Box<Expr>,
        span: Span,
    },
    Call {
        func: String,
        args: Vec<Expr>,
        span: Span,
    },
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Number { span, .. }
            | Expr::Var { span, .. }
            | Expr::Scaled { span, .. }
            | Expr::WithUnit { span, .. }
            | Expr::Group { span, .. }
            | Expr::Neg { span, .. }
            | Expr::Binary { span, .. }
            | Expr::Power { span, .. }
            | Expr::Call { span, .. } => *span,
            Expr::Unit(unit) => unit.span,
        }
    }

    fn children(&self) -> Vec<&Expr> {
        match self {
            Expr::Number { .. } | Expr::Var { .. } | Expr::Unit(_) => vec![],
            Expr::Scaled { inner, .. }
            | Expr::WithUnit { inner, .. }
            | Expr::Group { inner, .. }
            | Expr::Neg { inner, .. } => vec![inner],
            Expr::Binary { left, right, .. } => vec![left, right],
            Expr::Power { base, exponent, .. } => vec![base, exponent],
            Expr::Call { args, .. } => args.iter().collect(),
        }
    }

    /// Visits this node and every node below it.
    pub fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        visit(self);
        for child in self.children() {
            child.walk(visit);
        }
    }
}

/// The unit a result is converted to, as written after `->`.
#[derive(Debug, Clone, PartialEq)]
pub struct Target {
    pub expr: Expr,
    /// The target as the user wrote it, trimmed: shown after the number.
    pub text: String,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub struct Ast {
    pub expr: Expr,
    pub target: Option<Target>,
}

impl Ast {
    /// The names the expression reads from its environment, with their spans, in
    /// source order.
    pub fn variables(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        self.expr.walk(&mut |e| {
            if let Expr::Var { name, span } = e {
                out.push((name.as_str(), *span));
            }
        });
        out.sort_by_key(|(_, span)| span.start);
        out
    }

    /// True when the expression is a plain number: no unit, count or name, so a
    /// checker may read it in the question's unit (`11600` for `req/s`).
    /// True when a magnitude word or sign is written: `50M`, `1.46 bn`, `20%`.
    pub fn has_magnitude(&self) -> bool {
        let mut found = false;
        self.expr.walk(&mut |e| {
            if matches!(e, Expr::Scaled { .. }) {
                found = true;
            }
        });
        found
    }

    pub fn is_bare_number(&self) -> bool {
        let mut bare = true;
        self.expr.walk(&mut |e| {
            if matches!(e, Expr::Var { .. } | Expr::Unit(_) | Expr::WithUnit { .. }) {
                bare = false;
            }
        });
        bare
    }
}

pub fn parse(src: &str) -> Result<Ast, QuantityError> {
    let tokens = tokenize(src)?;
    if tokens.len() == 1 {
        return Err(
            QuantityError::new(ErrorKind::Empty, Span::new(0, src.len()))
                .with_help("write a number or an expression, e.g. `100M * 2 / day -> req/s`"),
        );
    }
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
    };
    let expr = parser.sum()?;
    let target = if parser.at_conversion() {
        let arrow = parser.advance().span;
        Some(parser.target(arrow)?)
    } else {
        None
    };
    parser.expect_end()?;
    Ok(Ast { expr, target })
}

/// Parses a unit on its own, as written after `->`: `req/s`, `GB`, `1/s`, `bn`,
/// `M req/day`.
pub fn parse_unit(src: &str) -> Result<Target, QuantityError> {
    let tokens = tokenize(src)?;
    if tokens.len() == 1 {
        return Err(
            QuantityError::new(ErrorKind::Empty, Span::new(0, src.len()))
                .with_help("write a unit such as `req/s`, `TB` or `servers`"),
        );
    }
    let mut parser = Parser {
        src,
        tokens,
        pos: 0,
    };
    let start = parser.span();
    let target = parser.target(start)?;
    parser.expect_end()?;
    Ok(target)
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token<'a>>,
    pos: usize,
}

impl<'a> Parser<'a> {
    fn peek(&self) -> &Tok<'a> {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, offset: usize) -> &Tok<'a> {
        let i = (self.pos + offset).min(self.tokens.len() - 1);
        &self.tokens[i].tok
    }

    fn span(&self) -> Span {
        self.tokens[self.pos].span
    }

    fn advance(&mut self) -> Token<'a> {
        let token = self.tokens[self.pos];
        if self.pos < self.tokens.len() - 1 {
            self.pos += 1;
        }
        token
    }

    fn peek_word(&self) -> Option<&'a str> {
        match self.peek() {
            Tok::Word(w) => Some(w),
            _ => None,
        }
    }

    fn at_conversion(&self) -> bool {
        matches!(self.peek(), Tok::Arrow) || matches!(self.peek_word(), Some("to" | "in"))
    }

    fn error_expected(&self, expected: &str) -> QuantityError {
        QuantityError::new(
            ErrorKind::Expected {
                expected: expected.into(),
                found: self.peek().describe(),
            },
            self.span(),
        )
    }

    fn expect_end(&self) -> Result<(), QuantityError> {
        match self.peek() {
            Tok::End => Ok(()),
            Tok::RParen => Err(self
                .error_expected("an operator or the end")
                .with_help("this `)` has no matching `(`")),
            // `100M users x 2`: an `x` used as a times sign.
            Tok::Word(w) if matches!(*w, "x" | "X") => Err(self
                .error_expected("an operator or the end")
                .with_help("write `*` to multiply; `x` only follows a number, as a factor (`3x`)")),
            Tok::Word(w) if matches!(units::lookup(w), Some(Lookup::Magnitude { .. })) => Err(self
                .error_expected("an operator or the end")
                .with_help(format!("put `{w}` right after a number, e.g. `5{w}`"))),
            Tok::Number(_) | Tok::Word(_) | Tok::LParen => Err(self
                .error_expected("an operator (+ - * / per) or `->`")
                .with_help("write `*` to multiply; units go right after a number (`3 GB`)")),
            _ => Err(self.error_expected("an operator or the end")),
        }
    }

    fn sum(&mut self) -> Result<Expr, QuantityError> {
        let mut left = self.product()?;
        loop {
            let op = match self.peek() {
                Tok::Plus => BinOp::Add,
                Tok::Minus => BinOp::Sub,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.product()?;
            left = binary(op, left, right);
        }
    }

    fn product(&mut self) -> Result<Expr, QuantityError> {
        let mut left = self.unary()?;
        loop {
            let op = match self.peek() {
                Tok::Star => BinOp::Mul,
                Tok::Slash => BinOp::Div,
                Tok::Word(w) if *w == "per" => BinOp::Div,
                _ => return Ok(left),
            };
            self.advance();
            let right = self.unary()?;
            left = binary(op, left, right);
        }
    }

    fn unary(&mut self) -> Result<Expr, QuantityError> {
        match self.peek() {
            Tok::Minus => {
                let start = self.advance().span;
                let inner = self.unary()?;
                let span = start.to(inner.span());
                Ok(Expr::Neg {
                    inner: Box::new(inner),
                    span,
                })
            }
            Tok::Plus => {
                self.advance();
                self.unary()
            }
            _ => self.postfix(),
        }
    }

    fn postfix(&mut self) -> Result<Expr, QuantityError> {
        let atom = self.atom()?;
        let takes_units = matches!(
            atom,
            Expr::Number { .. } | Expr::Group { .. } | Expr::Call { .. }
        );
        let mut expr = atom;
        if matches!(self.peek(), Tok::Caret) {
            self.advance();
            let exponent = self.exponent()?;
            let span = expr.span().to(exponent.span());
            expr = Expr::Power {
                base: Box::new(expr),
                exponent: Box::new(exponent),
                span,
            };
        }
        if takes_units {
            expr = self.magnitudes(expr)?;
            expr = self.juxtaposed_unit(expr)?;
        }
        Ok(expr)
    }

    fn exponent(&mut self) -> Result<Expr, QuantityError> {
        match self.peek() {
            Tok::Minus => {
                let start = self.advance().span;
                let inner = self.exponent()?;
                let span = start.to(inner.span());
                Ok(Expr::Neg {
                    inner: Box::new(inner),
                    span,
                })
            }
            Tok::Number(value) => {
                let value = *value;
                let span = self.advance().span;
                Ok(Expr::Number { value, span })
            }
            Tok::LParen | Tok::Word(_) => self.atom(),
            _ => Err(self.error_expected("an exponent")),
        }
    }

    fn magnitudes(&mut self, mut expr: Expr) -> Result<Expr, QuantityError> {
        while let Some(word) = self.peek_word() {
            let Some(Lookup::Magnitude { factor }) = units::lookup(word) else {
                break;
            };
            let span = expr.span().to(self.advance().span);
            expr = Expr::Scaled {
                inner: Box::new(expr),
                factor,
                span,
            };
        }
        Ok(expr)
    }

    /// Units written right after a number: `500 GB`, `2 req/day`, `1.5B users`.
    fn juxtaposed_unit(&mut self, expr: Expr) -> Result<Expr, QuantityError> {
        let starts_unit = match self.peek() {
            Tok::Word(w) => !units::is_keyword(w) && !is_function_call(w, self.peek_at(1)),
            Tok::Slash => self.unit_follows_operator(),
            _ => false,
        };
        if !starts_unit {
            return Ok(expr);
        }
        let unit = self.unit_expr()?;
        // `1.5B users`: a byte count of users is never meant; billion is `bn`.
        if let [first, second, ..] = unit.factors.as_slice()
            && first.word == "B"
            && first.exp == 1
            && second.exp > 0
            && matches!(second.lookup, Some(Lookup::Count { .. }))
        {
            return Err(
                QuantityError::new(ErrorKind::Ambiguous("B".into()), first.span).with_help(
                    format!(
                        "`B` is the byte; for billion write `bn` (e.g. `1.5bn {}`)",
                        second.word
                    ),
                ),
            );
        }
        let span = expr.span().to(unit.span);
        Ok(Expr::WithUnit {
            inner: Box::new(expr),
            unit,
            span,
        })
    }

    /// After `/` or `per`, a unit continues only if a known unit word follows.
    fn unit_follows_operator(&self) -> bool {
        match self.peek_at(1) {
            Tok::Word(w) => {
                !units::is_keyword(w)
                    && matches!(
                        units::lookup(w),
                        Some(Lookup::Unit { .. } | Lookup::Count { .. })
                    )
                    || AMBIGUOUS.iter().any(|(a, _)| a == w)
            }
            _ => false,
        }
    }

    fn unit_expr(&mut self) -> Result<UnitExpr, QuantityError> {
        let start = self.span();
        let mut factors: Vec<UnitFactor> = Vec::new();
        loop {
            let sign = match self.peek() {
                Tok::Word(w) if *w == "per" && self.unit_follows_operator() => -1,
                Tok::Slash if self.unit_follows_operator() => -1,
                Tok::Word(w)
                    if !units::is_keyword(w)
                        && !matches!(units::lookup(w), Some(Lookup::Magnitude { .. }))
                        && !is_function_call(w, self.peek_at(1))
                        && (factors.is_empty() || units::lookup(w).is_some()) =>
                {
                    1
                }
                _ => break,
            };
            if sign < 0 {
                self.advance();
            }
            let token = self.advance();
            // `unit_follows_operator` checked that a word follows the operator.
            let Tok::Word(word) = token.tok else {
                return Err(QuantityError::new(
                    ErrorKind::Expected {
                        expected: "a unit".into(),
                        found: token.tok.describe(),
                    },
                    token.span,
                ));
            };
            if let Some((_, help)) = AMBIGUOUS.iter().find(|(a, _)| *a == word) {
                return Err(
                    QuantityError::new(ErrorKind::Ambiguous(word.to_string()), token.span)
                        .with_help(*help),
                );
            }
            let mut exp: i8 = 1;
            let mut span = token.span;
            if matches!(self.peek(), Tok::Caret) {
                let (value, exp_span) = self.small_integer_exponent()?;
                exp = value;
                span = span.to(exp_span);
            }
            factors.push(UnitFactor {
                lookup: units::lookup(word),
                word: word.to_string(),
                exp: exp.saturating_mul(sign),
                span,
            });
        }
        let end = factors.last().map_or(start, |f| f.span);
        if factors.is_empty() {
            return Err(self.error_expected("a unit"));
        }
        Ok(UnitExpr {
            factors,
            span: start.to(end),
        })
    }

    fn small_integer_exponent(&mut self) -> Result<(i8, Span), QuantityError> {
        let caret = self.advance().span;
        let negative = matches!(self.peek(), Tok::Minus);
        if negative {
            self.advance();
        }
        match self.peek() {
            Tok::Number(n) if n.fract() == 0.0 && *n <= 8.0 => {
                let n = *n as i8;
                let span = caret.to(self.advance().span);
                Ok((if negative { -n } else { n }, span))
            }
            _ => Err(self
                .error_expected("a whole-number exponent from -8 to 8")
                .with_help("a unit can be squared (`s^2`) but not raised to other powers")),
        }
    }

    fn atom(&mut self) -> Result<Expr, QuantityError> {
        let token = self.tokens[self.pos];
        match token.tok {
            Tok::Number(value) => {
                self.advance();
                Ok(Expr::Number {
                    value,
                    span: token.span,
                })
            }
            Tok::LParen => {
                self.advance();
                let inner = self.sum()?;
                if !matches!(self.peek(), Tok::RParen) {
                    return Err(self
                        .error_expected("`)`")
                        .with_also(token.span)
                        .with_help("close the `(` opened here"));
                }
                let span = token.span.to(self.advance().span);
                Ok(Expr::Group {
                    inner: Box::new(inner),
                    span,
                })
            }
            Tok::Slash if self.unit_follows_operator() => Ok(Expr::Unit(self.unit_expr()?)),
            Tok::Word(word) => self.word_atom(word, token.span),
            _ => Err(self.error_expected("a number, a name or `(`")),
        }
    }

    fn word_atom(&mut self, word: &str, span: Span) -> Result<Expr, QuantityError> {
        if let Some((_, help)) = AMBIGUOUS.iter().find(|(a, _)| *a == word) {
            return Err(
                QuantityError::new(ErrorKind::Ambiguous(word.into()), span).with_help(*help)
            );
        }
        if units::is_keyword(word) {
            return Err(self.error_expected("a number, a name or `(`"));
        }
        if is_function_call(word, self.peek_at(1)) {
            return self.call(word.to_string(), span);
        }
        match units::lookup(word) {
            Some(Lookup::Unit { .. } | Lookup::Count { .. }) => Ok(Expr::Unit(self.unit_expr()?)),
            // `x` is "times" only right after a number (`3x`); alone it is a name.
            Some(Lookup::Magnitude { factor }) if factor != 1.0 || word == "hundred" => {
                Err(QuantityError::new(
                    ErrorKind::Invalid(format!(
                        "`{word}` is a magnitude and needs a number before it"
                    )),
                    span,
                )
                .with_help(format!("write it right after a number, e.g. `5{word}`")))
            }
            Some(Lookup::Magnitude { .. }) | None => {
                self.advance();
                Ok(Expr::Var {
                    name: word.to_string(),
                    span,
                })
            }
        }
    }

    fn call(&mut self, func: String, start: Span) -> Result<Expr, QuantityError> {
        self.advance(); // name
        self.advance(); // (
        let mut args = vec![self.sum()?];
        while matches!(self.peek(), Tok::Comma) {
            self.advance();
            args.push(self.sum()?);
        }
        if !matches!(self.peek(), Tok::RParen) {
            return Err(self.error_expected("`,` or `)`").with_also(start));
        }
        let span = start.to(self.advance().span);
        Ok(Expr::Call { func, args, span })
    }

    fn target(&mut self, arrow: Span) -> Result<Target, QuantityError> {
        let start = self.span();
        let expr = match *self.peek() {
            Tok::Number(value) => {
                let span = self.advance().span;
                let number = self.magnitudes(Expr::Number { value, span })?;
                self.juxtaposed_unit(number)?
            }
            Tok::Word(w) if matches!(units::lookup(w), Some(Lookup::Magnitude { .. })) => {
                // A bare magnitude (`-> bn`) is a number: one billion.
                let span = self.span();
                let one = Expr::Number { value: 1.0, span };
                let scaled = self.magnitudes(one)?;
                self.juxtaposed_unit(scaled)?
            }
            Tok::Word(w) if !units::is_keyword(w) && !is_function_call(w, self.peek_at(1)) => {
                if let Some((_, help)) = AMBIGUOUS.iter().find(|(a, _)| *a == w) {
                    return Err(
                        QuantityError::new(ErrorKind::Ambiguous(w.to_string()), start)
                            .with_help(*help),
                    );
                }
                Expr::Unit(self.unit_expr()?)
            }
            Tok::Slash => Expr::Unit(self.unit_expr()?),
            _ => {
                return Err(self
                    .error_expected("a unit to convert to")
                    .with_also(arrow)
                    .with_help(
                        "e.g. `-> req/s`, `-> GB`, `-> 1/s`, or `-> M` for a plain number",
                    ));
            }
        };
        let end = expr.span();
        let text = self.src[start.start..end.end].trim().to_string();
        Ok(Target { expr, text })
    }
}

const FUNCTION_NAMES: &[&str] = units::FUNCTIONS;

fn is_function_call(word: &str, next: &Tok) -> bool {
    FUNCTION_NAMES.contains(&word) && matches!(next, Tok::LParen)
}

fn binary(op: BinOp, left: Expr, right: Expr) -> Expr {
    let span = left.span().to(right.span());
    Expr::Binary {
        op,
        left: Box::new(left),
        right: Box::new(right),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_number_with_units_is_one_quantity() {
        let ast = parse("x / 86400 s").unwrap();
        let Expr::Binary { op, right, .. } = ast.expr else {
            panic!("expected a division")
        };
        assert_eq!(op, BinOp::Div);
        assert!(matches!(*right, Expr::WithUnit { .. }));
    }

    #[test]
    fn a_slash_continues_a_unit_only_before_a_unit() {
        let ast = parse("30 TB/day * 5").unwrap();
        let Expr::Binary { left, .. } = ast.expr else {
            panic!()
        };
        let Expr::WithUnit { unit, .. } = *left else {
            panic!()
        };
        assert_eq!(unit.factors.len(), 2);
        assert_eq!(unit.factors[1].exp, -1);
        // `100 / peak` divides by a name.
        let ast = parse("100 / peak").unwrap();
        assert!(matches!(ast.expr, Expr::Binary { op: BinOp::Div, .. }));
    }

    #[test]
    fn power_binds_before_units() {
        let ast = parse("2^32 B").unwrap();
        let Expr::WithUnit { inner, .. } = ast.expr else {
            panic!("expected units after the power")
        };
        assert!(matches!(*inner, Expr::Power { .. }));
    }

    #[test]
    fn conversion_targets() {
        for (src, text) in [
            ("1 -> req/s", "req/s"),
            ("1 to 1/s", "1/s"),
            ("1 in bn", "bn"),
            ("1 -> M req/day", "M req/day"),
            ("1 h -> min", "min"),
        ] {
            assert_eq!(parse(src).unwrap().target.unwrap().text, text, "{src}");
        }
    }

    #[test]
    fn variables_are_listed_in_order() {
        let ast = parse("alpha * 2 + beta / day").unwrap();
        let names: Vec<&str> = ast.variables().into_iter().map(|(n, _)| n).collect();
        assert_eq!(names, ["alpha", "beta"]);
    }

    #[test]
    fn bare_numbers() {
        assert!(parse("11.6k").unwrap().is_bare_number());
        assert!(parse("100M * 2 / 86400").unwrap().is_bare_number());
        assert!(!parse("11.6k req/s").unwrap().is_bare_number());
        assert!(!parse("x * 2").unwrap().is_bare_number());
    }

    #[test]
    fn ambiguous_words_are_refused_with_a_hint() {
        let err = parse("5 m -> s").unwrap_err();
        assert_eq!(err.kind, ErrorKind::Ambiguous("m".into()));
        assert!(err.help.unwrap().contains("min"));
        let err = parse("1.5B users").unwrap_err();
        assert!(err.help.unwrap().contains("bn"));
        assert_eq!(err.span, Span::new(3, 4));
    }

    #[test]
    fn errors_point_at_the_offending_token() {
        let err = parse("(1 + 2").unwrap_err();
        assert_eq!(err.span, Span::new(6, 6));
        let err = parse("3 4").unwrap_err();
        assert_eq!(err.span, Span::new(2, 3));
        let err = parse("5 +").unwrap_err();
        assert!(matches!(err.kind, ErrorKind::Expected { .. }));
        let err = parse("100M users x 2").unwrap_err();
        assert_eq!(err.span, Span::new(11, 12));
        assert!(err.help.unwrap().contains("write `*` to multiply"));
    }
}
