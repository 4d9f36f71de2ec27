//! Parser from tokens to an AST with spans.
//!
//! Grammar, loosest binding first:
//!
//! ```text
//! input    := sum (('->' | 'to' | 'in') target)?
//! sum      := product (('+' | '-') product)*
//! product  := unary (('*' | '/' | 'per' | TIMES) unary)*    TIMES := 'x' before a number or `(`
//! unary    := ('-' | '+')* HEDGE? MONEY? postfix          HEDGE := '~' | 'about' | ...
//! postfix  := atom ('^' exponent)? magnitude* unit?      (units only after a number,
//!                                                       a group or a call)
//! unit     := factor (factor | ('/' | 'per') factor)*    factor := WORD ('^' INT)?
//! atom     := NUMBER | '(' sum ')' | FUNC '(' sum (',' sum)* ')' | unit | NAME
//! target   := NUMBER? magnitude* unit? | ('/' | 'per') unit
//! ```
//!
//! A number followed by units is one quantity, so `x / 86400 s` divides by 86,400
//! seconds and `30 TB/day` is one rate; after a `/`, a word continues the unit only
//! when it is a known unit, so `100 / peak_factor` still divides by a name. A unit
//! never starts with `/`: `1000 / 5 / day` is 200 a day, as `1000 / 5 per day` is,
//! not 1000 divided by "5 a day" (only a conversion target such as `-> 1/s` starts
//! that way).
//!
//! The grammar is read without recursion: operators, signs and open parentheses
//! wait on the parser's own stack (operator precedence, as in a shunting yard),
//! so however deep an input nests, the thread's stack does not grow. Chains
//! (`1 + 2 + ...`, `2 * 3 * ...`, `- - 5`, `5 k k`) become flat nodes, and
//! parentheses and calls may nest [`MAX_NESTING`] deep, which bounds the depth of
//! the tree for the evaluator and for `Drop`.

use super::error::{ErrorKind, QuantityError, Span};
use super::lexer::{Tok, Token, tokenize};
use super::units::{self, AMBIGUOUS, HEDGES, Lookup, MONEY_SIGNS};
use super::{MAX_NESTING, MAX_SOURCE_BYTES};

/// One factor of a unit expression, such as `GB` or `s^-1` in `GB/s`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnitFactor {
    pub word: String,
    /// Negative in a denominator.
    pub exp: i8,
    pub span: Span,
    /// `None` for a word the tables do not know; evaluation reports it, with a
    /// suggestion that depends on the names in scope.
    pub lookup: Option<Lookup>,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) struct UnitExpr {
    pub factors: Vec<UnitFactor>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum BinOp {
    Add,
    Sub,
    Mul,
    Div,
}

#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Expr {
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
    /// Magnitudes after a number: `100M`, `99.9%`; `5 k M` has the factor 1e9.
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
    /// An odd number of minus signs before an operand (an even number cancels).
    Neg {
        inner: Box<Expr>,
        span: Span,
    },
    /// Operands joined left to right by operators of one precedence: a sum
    /// (`+`, `-`) or a product (`*`, `/`). Flat, however long the chain.
    Chain {
        first: Box<Expr>,
        rest: Vec<(BinOp, Expr)>,
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
    pub(crate) fn span(&self) -> Span {
        match self {
            Expr::Number { span, .. }
            | Expr::Var { span, .. }
            | Expr::Scaled { span, .. }
            | Expr::WithUnit { span, .. }
            | Expr::Group { span, .. }
            | Expr::Neg { span, .. }
            | Expr::Chain { span, .. }
            | Expr::Power { span, .. }
            | Expr::Call { span, .. } => *span,
            Expr::Unit(unit) => unit.span,
        }
    }

    /// Visits this node and every node below it, parents before children and
    /// children left to right, with a stack of its own (no recursion).
    pub(crate) fn walk<'a>(&'a self, visit: &mut dyn FnMut(&'a Expr)) {
        let mut stack = vec![self];
        while let Some(expr) = stack.pop() {
            visit(expr);
            match expr {
                Expr::Number { .. } | Expr::Var { .. } | Expr::Unit(_) => {}
                Expr::Scaled { inner, .. }
                | Expr::WithUnit { inner, .. }
                | Expr::Group { inner, .. }
                | Expr::Neg { inner, .. } => stack.push(inner),
                Expr::Chain { first, rest, .. } => {
                    stack.extend(rest.iter().rev().map(|(_, e)| e));
                    stack.push(first);
                }
                Expr::Power { base, exponent, .. } => {
                    stack.push(exponent);
                    stack.push(base);
                }
                Expr::Call { args, .. } => stack.extend(args.iter().rev()),
            }
        }
    }
}

/// The unit a result is converted to, as written after `->`.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Target {
    pub expr: Expr,
    /// The target as the user wrote it, trimmed: shown after the number.
    pub text: String,
}

/// A parsed expression.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Ast {
    pub expr: Expr,
    pub target: Option<Target>,
}

impl Ast {
    /// An expression of nothing (`0`), standing in for one not parsed yet.
    pub(crate) fn placeholder() -> Ast {
        Ast {
            expr: Expr::Number {
                value: 0.0,
                span: Span::default(),
            },
            target: None,
        }
    }

    /// The names the expression reads from its environment, with their spans, in
    /// source order.
    pub(crate) fn variables(&self) -> Vec<(&str, Span)> {
        let mut out = Vec::new();
        self.expr.walk(&mut |e| {
            if let Expr::Var { name, span } = e {
                out.push((name.as_str(), *span));
            }
        });
        out.sort_by_key(|(_, span)| span.start);
        out
    }

    /// True when a magnitude word or sign is written: `50M`, `1.46 bn`, `20%`.
    pub(crate) fn has_magnitude(&self) -> bool {
        let mut found = false;
        self.expr.walk(&mut |e| {
            if matches!(e, Expr::Scaled { .. }) {
                found = true;
            }
        });
        found
    }

    /// True when the expression is a plain number: no unit, count or name, so a
    /// checker may read it in the question's unit (`11600` for `req/s`).
    pub(crate) fn is_bare_number(&self) -> bool {
        let mut bare = true;
        self.expr.walk(&mut |e| {
            if matches!(e, Expr::Var { .. } | Expr::Unit(_) | Expr::WithUnit { .. }) {
                bare = false;
            }
        });
        bare
    }
}

/// Refuses a source over [`MAX_SOURCE_BYTES`] before reading it.
fn check_length(src: &str) -> Result<(), QuantityError> {
    if src.len() <= MAX_SOURCE_BYTES {
        return Ok(());
    }
    let mut cut = MAX_SOURCE_BYTES;
    while !src.is_char_boundary(cut) {
        cut -= 1;
    }
    Err(QuantityError::new(
        ErrorKind::TooLong {
            len: src.len(),
            limit: MAX_SOURCE_BYTES,
        },
        Span::new(cut, src.len()),
    )
    .with_help("an estimate fits on a line: work it out in steps, each under the limit"))
}

pub(crate) fn parse(src: &str) -> Result<Ast, QuantityError> {
    check_length(src)?;
    let tokens = tokenize(src)?;
    if tokens.len() == 1 {
        return Err(
            QuantityError::new(ErrorKind::Empty, Span::new(0, src.len()))
                .with_help("write a number or an expression, e.g. `100M * 2 / day -> req/s`"),
        );
    }
    let mut parser = Parser::new(src, tokens);
    let expr = parser.expression()?;
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
pub(super) fn parse_unit(src: &str) -> Result<Target, QuantityError> {
    check_length(src)?;
    let tokens = tokenize(src)?;
    if tokens.len() == 1 {
        return Err(
            QuantityError::new(ErrorKind::Empty, Span::new(0, src.len()))
                .with_help("write a unit such as `req/s`, `TB` or `servers`"),
        );
    }
    let mut parser = Parser::new(src, tokens);
    let start = parser.span();
    let target = parser.target(start)?;
    parser.expect_end()?;
    Ok(target)
}

/// Where units may start after an operand: a conversion target reads `1/s` as
/// one unit; an expression reads `5 / day` as a division.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum UnitStart {
    Word,
    WordOrSlash,
}

struct Parser<'a> {
    src: &'a str,
    tokens: Vec<Token<'a>>,
    pos: usize,
}

/// What waits, on the parser's own stack, for the operand being read.
enum Pending {
    /// A binary operator, waiting for its right operand.
    Op(BinOp),
    /// A minus sign (an odd run of them), for the operand that follows.
    Neg(Span),
    /// A money sign (`$`), for the amount that follows.
    Money { currency: &'static str, span: Span },
    /// An open parenthesis: a group, or a call with the arguments read so far.
    Open(Open),
    /// A base whose exponent is a group or a call being read: `2^(...)`.
    Power {
        base: Expr,
        takes_units: bool,
        negative: Option<Span>,
    },
}

enum Open {
    Group {
        paren: Span,
    },
    Call {
        func: String,
        start: Span,
        args: Vec<Expr>,
    },
}

/// `+ -` bind looser than `* / per x`.
fn precedence(op: BinOp) -> u8 {
    match op {
        BinOp::Add | BinOp::Sub => 1,
        BinOp::Mul | BinOp::Div => 2,
    }
}

impl<'a> Parser<'a> {
    fn new(src: &'a str, tokens: Vec<Token<'a>>) -> Parser<'a> {
        Parser {
            src,
            tokens,
            pos: 0,
        }
    }

    fn peek(&self) -> &Tok<'a> {
        &self.tokens[self.pos].tok
    }

    fn peek_at(&self, offset: usize) -> &Tok<'a> {
        let i = self.pos.saturating_add(offset).min(self.tokens.len() - 1);
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

    /// `x` used as a times sign: `3 x 10^5`, `100M users x 2`, `2 x (3 GB)`.
    /// Right after a number and before anything else, `3x` is a factor of one.
    fn at_times_x(&self) -> bool {
        matches!(self.peek_word(), Some("x" | "X"))
            && matches!(self.peek_at(1), Tok::Number(_) | Tok::LParen)
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
            Tok::Comma => Err(self.error_expected("an operator or the end").with_help(
                "a comma separates thousands (`116,000`) or the arguments of a call (`max(2, 3)`)",
            )),
            // `100M users x peak`: an `x` used as a times sign before a name.
            Tok::Word(w) if matches!(*w, "x" | "X") => {
                Err(self.error_expected("an operator or the end").with_help(
                    "write `*` to multiply; `x` is a times sign only before a number (`3 x 10^5`)",
                ))
            }
            Tok::Word(w) if matches!(units::lookup(w), Some(Lookup::Magnitude { .. })) => Err(self
                .error_expected("an operator or the end")
                .with_help(format!("put `{w}` right after a number, e.g. `5{w}`"))),
            Tok::Number(_) | Tok::Word(_) | Tok::LParen => Err(self
                .error_expected("an operator (+ - * / per) or `->`")
                .with_help("write `*` to multiply; units go right after a number (`3 GB`)")),
            _ => Err(self.error_expected("an operator or the end").with_help(
                "convert once, at the end (`-> UNIT`); join other parts with an operator",
            )),
        }
    }

    /// A sum of products of operands, with parentheses and calls: everything
    /// before a conversion. Read in one loop over two stacks (operands, and what
    /// waits for them), never by recursion.
    fn expression(&mut self) -> Result<Expr, QuantityError> {
        // Sized for the usual estimate, so most parses allocate once per stack.
        let mut pending: Vec<Pending> = Vec::with_capacity(8);
        let mut operands: Vec<Expr> = Vec::with_capacity(8);
        let mut open = 0usize;
        'operand: loop {
            let Some(mut operand) = self.operand(&mut pending, &mut open)? else {
                // A parenthesis opened: its first operand comes next.
                continue 'operand;
            };
            loop {
                operand = finish(operand, &mut pending);
                operands.push(operand);
                let op = match self.peek() {
                    Tok::Plus => Some(BinOp::Add),
                    Tok::Minus => Some(BinOp::Sub),
                    Tok::Star => Some(BinOp::Mul),
                    Tok::Word("x" | "X") if self.at_times_x() => Some(BinOp::Mul),
                    Tok::Slash => Some(BinOp::Div),
                    Tok::Word("per") => Some(BinOp::Div),
                    _ => None,
                };
                if let Some(op) = op {
                    self.advance();
                    reduce(&mut pending, &mut operands, precedence(op));
                    pending.push(Pending::Op(op));
                    continue 'operand;
                }
                let innermost = pending.iter().rev().find_map(|p| match p {
                    Pending::Open(open) => Some(open),
                    _ => None,
                });
                match (self.peek(), innermost) {
                    (Tok::RParen, Some(_)) => {
                        reduce(&mut pending, &mut operands, 0);
                        let inner = pop(&mut operands, self.span())?;
                        let close = self.advance().span;
                        open -= 1;
                        let closed = match pending.pop() {
                            Some(Pending::Open(Open::Group { paren })) => Expr::Group {
                                inner: Box::new(inner),
                                span: paren.to(close),
                            },
                            Some(Pending::Open(Open::Call {
                                func,
                                start,
                                mut args,
                            })) => {
                                args.push(inner);
                                Expr::Call {
                                    func,
                                    args,
                                    span: start.to(close),
                                }
                            }
                            _ => return Err(self.internal(close)),
                        };
                        match self.after_close(closed, &mut pending, &mut open)? {
                            Some(next) => operand = next,
                            None => continue 'operand,
                        }
                    }
                    (Tok::Comma, Some(Open::Call { .. })) => {
                        reduce(&mut pending, &mut operands, 0);
                        let arg = pop(&mut operands, self.span())?;
                        let comma = self.advance().span;
                        match pending.last_mut() {
                            Some(Pending::Open(Open::Call { args, .. })) => args.push(arg),
                            _ => return Err(self.internal(comma)),
                        }
                        continue 'operand;
                    }
                    (_, Some(Open::Group { paren })) => {
                        return Err(self
                            .error_expected("`)`")
                            .with_also(*paren)
                            .with_help("close the `(` opened here"));
                    }
                    (_, Some(Open::Call { start, .. })) => {
                        return Err(self
                            .error_expected("`,` or `)`")
                            .with_also(*start)
                            .with_help(
                                "close the call with `)`, or separate its arguments with `,`",
                            ));
                    }
                    (_, None) => {
                        // The end of the expression: `->`, the end, or what
                        // `expect_end` will report.
                        reduce(&mut pending, &mut operands, 0);
                        return pop(&mut operands, self.span());
                    }
                }
            }
        }
    }

    /// A bug in the parser, reported rather than panicked on.
    fn internal(&self, span: Span) -> QuantityError {
        QuantityError::new(ErrorKind::Invalid("the parser lost its place".into()), span)
            .with_help("this is a bug in sdi: please report the expression")
    }

    /// Reads the start of an operand: signs, a hedge, a money sign, then either
    /// an atom (returned with what follows it) or an opening parenthesis (pushed,
    /// `None` returned).
    fn operand(
        &mut self,
        pending: &mut Vec<Pending>,
        open: &mut usize,
    ) -> Result<Option<Expr>, QuantityError> {
        if let Some(span) = self.signs(true) {
            pending.push(Pending::Neg(span));
        }
        self.hedge()?;
        if let Some((currency, span)) = self.money_sign()? {
            pending.push(Pending::Money { currency, span });
        }
        if self.open(pending, open)? {
            return Ok(None);
        }
        let atom = self.atom()?;
        let takes_units = matches!(atom, Expr::Number { .. });
        self.after_atom(atom, takes_units, pending, open)
    }

    /// Minus signs (and, where `plus`, plus signs) before an operand, counted in a
    /// loop: the span of the first minus when their number is odd.
    fn signs(&mut self, plus: bool) -> Option<Span> {
        let mut negative: Option<Span> = None;
        loop {
            match self.peek() {
                Tok::Minus => {
                    let span = self.advance().span;
                    negative = match negative {
                        Some(_) => None,
                        None => Some(span),
                    };
                }
                Tok::Plus if plus => {
                    self.advance();
                }
                _ => return negative,
            }
        }
    }

    /// Opens a group or a call if one starts here, refusing to nest deeper than
    /// [`MAX_NESTING`].
    fn open(
        &mut self,
        pending: &mut Vec<Pending>,
        open: &mut usize,
    ) -> Result<bool, QuantityError> {
        let token = self.tokens[self.pos];
        let (level, paren) = match token.tok {
            Tok::LParen => (Open::Group { paren: token.span }, token.span),
            Tok::Word(word) if is_function_call(word, self.peek_at(1)) => {
                let paren = self.tokens[(self.pos + 1).min(self.tokens.len() - 1)].span;
                let call = Open::Call {
                    func: word.to_string(),
                    start: token.span,
                    args: Vec::new(),
                };
                (call, paren)
            }
            _ => return Ok(false),
        };
        if *open >= MAX_NESTING {
            return Err(
                QuantityError::new(ErrorKind::TooDeep { limit: MAX_NESTING }, paren)
                    .with_help("an estimate never needs this many levels: work it out in steps"),
            );
        }
        if matches!(level, Open::Call { .. }) {
            self.advance(); // the name
        }
        self.advance(); // the parenthesis
        *open += 1;
        pending.push(Pending::Open(level));
        Ok(true)
    }

    /// After an atom: an optional `^ exponent`, then (for a number, a group or a
    /// call) magnitudes and units. `None` when the exponent opens a parenthesis:
    /// the power is finished when it closes.
    fn after_atom(
        &mut self,
        atom: Expr,
        takes_units: bool,
        pending: &mut Vec<Pending>,
        open: &mut usize,
    ) -> Result<Option<Expr>, QuantityError> {
        if !matches!(self.peek(), Tok::Caret) {
            return self.units_after(atom, takes_units).map(Some);
        }
        self.advance();
        let negative = self.signs(false);
        pending.push(Pending::Power {
            base: atom,
            takes_units,
            negative,
        });
        if self.open(pending, open)? {
            return Ok(None);
        }
        let exponent = match self.peek() {
            Tok::Number(value) => {
                let value = *value;
                let span = self.advance().span;
                Expr::Number { value, span }
            }
            Tok::Word(_) => self.atom()?,
            _ => {
                return Err(self
                    .error_expected("an exponent")
                    .with_help("write a number after `^`, e.g. `2^10`"));
            }
        };
        self.close_power(exponent, pending).map(Some)
    }

    /// The power waiting on top of `pending`, raised to `exponent`, with the
    /// units that may follow it.
    fn close_power(
        &mut self,
        exponent: Expr,
        pending: &mut Vec<Pending>,
    ) -> Result<Expr, QuantityError> {
        let Some(Pending::Power {
            base,
            takes_units,
            negative,
        }) = pending.pop()
        else {
            return Err(self.internal(exponent.span()));
        };
        self.units_after(power(base, exponent, negative), takes_units)
    }

    /// A group or a call just closed: the exponent of a pending power, or an
    /// operand in its own right (which may have a power, magnitudes and units).
    fn after_close(
        &mut self,
        closed: Expr,
        pending: &mut Vec<Pending>,
        open: &mut usize,
    ) -> Result<Option<Expr>, QuantityError> {
        if matches!(pending.last(), Some(Pending::Power { .. })) {
            return self.close_power(closed, pending).map(Some);
        }
        self.after_atom(closed, true, pending, open)
    }

    /// Magnitudes and units after a number, a group or a call.
    fn units_after(&mut self, expr: Expr, takes_units: bool) -> Result<Expr, QuantityError> {
        if !takes_units {
            return Ok(expr);
        }
        let expr = self.magnitudes(expr)?;
        self.juxtaposed_unit(expr, UnitStart::Word)
    }

    /// Skips `~`, `about`, `roughly`, `approx` before a number: every estimate is
    /// approximate. `~` anywhere else is an error; the words are names there.
    fn hedge(&mut self) -> Result<(), QuantityError> {
        let Some(word) = self.peek_word() else {
            return Ok(());
        };
        if !HEDGES.contains(&word) {
            return Ok(());
        }
        let before_amount = match self.peek_at(1) {
            Tok::Number(_) => true,
            Tok::Word(w) => MONEY_SIGNS.iter().any(|(s, _)| s == w),
            _ => false,
        };
        if before_amount {
            self.advance();
        } else if word == "~" {
            self.advance();
            return Err(self
                .error_expected("a number after `~`")
                .with_help("`~` marks an estimate and goes right before a number, e.g. `~5 GB`"));
        }
        Ok(())
    }

    /// A money sign before an amount (`$50M`): the currency it stands for.
    fn money_sign(&mut self) -> Result<Option<(&'static str, Span)>, QuantityError> {
        let Some(sign) = self.peek_word() else {
            return Ok(None);
        };
        let Some((_, currency)) = MONEY_SIGNS.iter().find(|(s, _)| *s == sign) else {
            return Ok(None);
        };
        let span = self.advance().span;
        if !matches!(self.peek(), Tok::Number(_)) {
            return Err(self
                .error_expected(&format!("an amount after `{sign}`"))
                .with_help(format!(
                    "write the amount right after the sign (`{sign}50M`), or the currency after it (`50M {currency}`)"
                )));
        }
        Ok(Some((currency, span)))
    }

    /// The magnitudes after a number, as one factor: `5 k M` is 5e9.
    fn magnitudes(&mut self, expr: Expr) -> Result<Expr, QuantityError> {
        let mut factor = 1.0;
        let mut end: Option<Span> = None;
        while let Some(word) = self.peek_word() {
            if self.at_times_x() {
                break;
            }
            let Some(Lookup::Magnitude { factor: f }) = units::lookup(word) else {
                break;
            };
            factor *= f;
            end = Some(self.advance().span);
        }
        Ok(match end {
            Some(end) => {
                let span = expr.span().to(end);
                Expr::Scaled {
                    inner: Box::new(expr),
                    factor,
                    span,
                }
            }
            None => expr,
        })
    }

    /// Units written right after a number: `500 GB`, `2 req/day`, `1.5B users`.
    fn juxtaposed_unit(&mut self, expr: Expr, start: UnitStart) -> Result<Expr, QuantityError> {
        let starts_unit = match self.peek() {
            Tok::Word(w) => {
                !units::is_keyword(w)
                    && !is_function_call(w, self.peek_at(1))
                    && !self.at_times_x()
                    && !HEDGES.contains(w)
                    && !MONEY_SIGNS.iter().any(|(s, _)| s == w)
            }
            Tok::Slash => start == UnitStart::WordOrSlash && self.unit_follows_operator(),
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

    /// After `/` or `per`, a unit continues only if a known unit word follows,
    /// and not a call: `100 / min(2, 4)` divides by the smaller of two numbers.
    fn unit_follows_operator(&self) -> bool {
        match self.peek_at(1) {
            Tok::Word(w) => {
                !units::is_keyword(w)
                    && !is_function_call(w, self.peek_at(2))
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
                exp: exp * sign,
                span,
            });
        }
        let end = factors.last().map_or(start, |f| f.span);
        if factors.is_empty() {
            return Err(self
                .error_expected("a unit")
                .with_help("write a unit such as `GB`, `req/s` or `per day`"));
        }
        Ok(UnitExpr {
            factors,
            span: start.to(end),
        })
    }

    /// The power of a unit factor (`s^2`, `s^-1`): a whole number from -8 to 8.
    fn small_integer_exponent(&mut self) -> Result<(i8, Span), QuantityError> {
        let caret = self.advance().span;
        let negative = matches!(self.peek(), Tok::Minus);
        if negative {
            self.advance();
        }
        match self.peek() {
            Tok::Number(n) if n.fract() == 0.0 && *n <= 8.0 => {
                // A whole number from 0 to 8: exact in `i8`.
                let n = *n as i8;
                let span = caret.to(self.advance().span);
                Ok((if negative { -n } else { n }, span))
            }
            _ => Err(self
                .error_expected("a whole-number exponent from -8 to 8")
                .with_help("a unit can be squared (`s^2`) but not raised to other powers")),
        }
    }

    /// A number, a unit, or a name. Parentheses and calls are opened by the
    /// caller, on its own stack.
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
            Tok::Slash if self.unit_follows_operator() => Ok(Expr::Unit(self.unit_expr()?)),
            Tok::Word(word) => self.word_atom(word, token.span),
            _ => Err(self
                .error_expected("a number, a name or `(`")
                .with_help("an operand goes here, e.g. `5`, `5 GB`, `peak_factor` or `(2 + 3)`")),
        }
    }

    fn word_atom(&mut self, word: &str, span: Span) -> Result<Expr, QuantityError> {
        if let Some((_, help)) = AMBIGUOUS.iter().find(|(a, _)| *a == word) {
            return Err(
                QuantityError::new(ErrorKind::Ambiguous(word.into()), span).with_help(*help)
            );
        }
        if units::is_keyword(word) {
            return Err(self
                .error_expected("a number, a name or `(`")
                .with_help(format!(
                    "`{word}` joins two parts: write a number or a name first"
                )));
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

    fn target(&mut self, arrow: Span) -> Result<Target, QuantityError> {
        let start = self.span();
        let expr = match *self.peek() {
            Tok::Number(value) => {
                let span = self.advance().span;
                let number = self.magnitudes(Expr::Number { value, span })?;
                self.juxtaposed_unit(number, UnitStart::WordOrSlash)?
            }
            Tok::Word(w) if matches!(units::lookup(w), Some(Lookup::Magnitude { .. })) => {
                // A bare magnitude (`-> bn`) is a number: one billion.
                let span = self.span();
                let one = Expr::Number { value: 1.0, span };
                let scaled = self.magnitudes(one)?;
                self.juxtaposed_unit(scaled, UnitStart::WordOrSlash)?
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
            // `-> /s`, `-> per second`.
            Tok::Slash | Tok::Word("per") if self.unit_follows_operator() => {
                Expr::Unit(self.unit_expr()?)
            }
            _ => {
                return Err(self
                    .error_expected("a unit to convert to")
                    .with_also(arrow)
                    .with_help(
                        "e.g. `-> req/s`, `-> GB`, `-> 1/s`, `-> per second`, or `-> M` for a plain number",
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

/// Applies the signs and money sign waiting for an operand just read.
fn finish(mut operand: Expr, pending: &mut Vec<Pending>) -> Expr {
    loop {
        operand = match pending.last() {
            Some(Pending::Money { currency, span }) => {
                let (currency, span) = (*currency, *span);
                pending.pop();
                let unit = UnitExpr {
                    factors: vec![UnitFactor {
                        word: currency.to_string(),
                        exp: 1,
                        span,
                        lookup: units::lookup(currency),
                    }],
                    span,
                };
                let whole = span.to(operand.span());
                Expr::WithUnit {
                    inner: Box::new(operand),
                    unit,
                    span: whole,
                }
            }
            Some(Pending::Neg(span)) => {
                let whole = span.to(operand.span());
                pending.pop();
                Expr::Neg {
                    inner: Box::new(operand),
                    span: whole,
                }
            }
            _ => return operand,
        };
    }
}

/// Applies the waiting operators that bind at least as tightly as `min`, left
/// to right, into flat chains.
fn reduce(pending: &mut Vec<Pending>, operands: &mut Vec<Expr>, min: u8) {
    while let Some(Pending::Op(op)) = pending.last() {
        let op = *op;
        if precedence(op) < min || operands.len() < 2 {
            return;
        }
        pending.pop();
        let (Some(right), Some(left)) = (operands.pop(), operands.pop()) else {
            return;
        };
        operands.push(link(left, op, right));
    }
}

/// `left op right`, extending `left` when it is a chain of the same precedence:
/// `1 + 2 + 3` is one chain of three operands.
fn link(left: Expr, op: BinOp, right: Expr) -> Expr {
    match left {
        Expr::Chain {
            first,
            mut rest,
            span,
        } if rest
            .first()
            .is_some_and(|(o, _)| precedence(*o) == precedence(op)) =>
        {
            let span = span.to(right.span());
            rest.push((op, right));
            Expr::Chain { first, rest, span }
        }
        left => {
            let span = left.span().to(right.span());
            let mut rest = Vec::with_capacity(4);
            rest.push((op, right));
            Expr::Chain {
                first: Box::new(left),
                rest,
                span,
            }
        }
    }
}

/// The last operand, or an error at `span` if there is none (a parser bug).
fn pop(operands: &mut Vec<Expr>, span: Span) -> Result<Expr, QuantityError> {
    operands.pop().ok_or_else(|| {
        QuantityError::new(ErrorKind::Invalid("the parser lost its place".into()), span)
            .with_help("this is a bug in sdi: please report the expression")
    })
}

fn power(base: Expr, exponent: Expr, negative: Option<Span>) -> Expr {
    let exponent = match negative {
        Some(start) => {
            let span = start.to(exponent.span());
            Expr::Neg {
                inner: Box::new(exponent),
                span,
            }
        }
        None => exponent,
    };
    let span = base.span().to(exponent.span());
    Expr::Power {
        base: Box::new(base),
        exponent: Box::new(exponent),
        span,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The operators and operands of a chain, for assertions.
    fn links(expr: &Expr) -> (&Expr, Vec<(BinOp, &Expr)>) {
        let Expr::Chain { first, rest, .. } = expr else {
            panic!("expected a chain, got {expr:?}")
        };
        (first, rest.iter().map(|(op, e)| (*op, e)).collect())
    }

    #[test]
    fn a_number_with_units_is_one_quantity() {
        let ast = parse("x / 86400 s").unwrap();
        let (_, rest) = links(&ast.expr);
        assert_eq!(rest[0].0, BinOp::Div);
        assert!(matches!(rest[0].1, Expr::WithUnit { .. }));
    }

    #[test]
    fn a_slash_continues_a_unit_only_before_a_unit() {
        let ast = parse("30 TB/day * 5").unwrap();
        let (first, _) = links(&ast.expr);
        let Expr::WithUnit { unit, .. } = first else {
            panic!()
        };
        assert_eq!(unit.factors.len(), 2);
        assert_eq!(unit.factors[1].exp, -1);
        // `100 / peak` divides by a name.
        let ast = parse("100 / peak").unwrap();
        assert_eq!(links(&ast.expr).1[0].0, BinOp::Div);
    }

    #[test]
    fn a_bare_number_before_a_slash_is_divided() {
        // `1000 / 5 / day` is (1000 / 5) / day: three operands, not 1000 / (5/day).
        let ast = parse("1000 / 5 / day").unwrap();
        let (_, rest) = links(&ast.expr);
        assert_eq!(rest.len(), 2);
        assert!(matches!(rest[0].1, Expr::Number { .. }));
        assert!(matches!(rest[1].1, Expr::Unit(_)));
        // A conversion target still reads `1/s` as one unit.
        let target = parse("5 -> 1/s").unwrap().target.unwrap();
        assert!(matches!(target.expr, Expr::WithUnit { .. }));
    }

    #[test]
    fn min_and_max_after_a_slash_are_calls() {
        let ast = parse("100 / min(2, 4)").unwrap();
        let (_, rest) = links(&ast.expr);
        assert!(matches!(rest[0].1, Expr::Call { .. }));
        let ast = parse("100 per max(2, 4)").unwrap();
        assert!(matches!(links(&ast.expr).1[0].1, Expr::Call { .. }));
        // Without a parenthesis, `min` is still minutes.
        let ast = parse("5 GB/min").unwrap();
        assert!(matches!(ast.expr, Expr::WithUnit { .. }));
    }

    #[test]
    fn long_chains_are_flat() {
        let sum = vec!["1"; 2000].join("+");
        let ast = parse(&sum).unwrap();
        assert_eq!(links(&ast.expr).1.len(), 1999);
        let signs = format!("{}5", "-".repeat(3001));
        let Expr::Neg { inner, .. } = parse(&signs).unwrap().expr else {
            panic!("an odd number of signs negates")
        };
        assert!(matches!(*inner, Expr::Number { .. }));
        let magnitudes = format!("5{}", " k".repeat(1000));
        assert!(matches!(
            parse(&magnitudes).unwrap().expr,
            Expr::Scaled { .. }
        ));
    }

    #[test]
    fn nesting_is_bounded_with_the_column_of_the_parenthesis() {
        let ok = format!("{}1{}", "(".repeat(MAX_NESTING), ")".repeat(MAX_NESTING));
        assert!(parse(&ok).is_ok());
        let deep = format!(
            "{}1{}",
            "(".repeat(MAX_NESTING + 1),
            ")".repeat(MAX_NESTING + 1)
        );
        let err = parse(&deep).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep { limit: 256 });
        assert_eq!(err.span, Span::new(MAX_NESTING, MAX_NESTING + 1));
        let calls = format!("{}1{}", "sqrt(".repeat(300), ")".repeat(300));
        let err = parse(&calls).unwrap_err();
        assert_eq!(err.kind, ErrorKind::TooDeep { limit: 256 });
        assert_eq!(err.span.start, 256 * 5 + 4);
        assert!(err.help.unwrap().contains("in steps"));
    }

    #[test]
    fn a_source_over_the_limit_is_refused_at_once() {
        let long = "1+".repeat(MAX_SOURCE_BYTES);
        let err = parse(&long).unwrap_err();
        assert_eq!(
            err.kind,
            ErrorKind::TooLong {
                len: 2 * MAX_SOURCE_BYTES,
                limit: MAX_SOURCE_BYTES
            }
        );
        assert_eq!(err.span.start, MAX_SOURCE_BYTES);
        // A multi-byte character across the limit: the span starts on a boundary.
        let wide = "µ".repeat(MAX_SOURCE_BYTES);
        let err = parse(&wide).unwrap_err();
        assert!(wide.is_char_boundary(err.span.start));
        assert!(parse_unit(&long).is_err());
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
        let err = parse("100M users x peak").unwrap_err();
        assert_eq!(err.span, Span::new(11, 12));
        assert!(err.help.unwrap().contains("write `*` to multiply"));
        let err = parse("116,0").unwrap_err();
        assert!(err.help.unwrap().contains("`116,000`"));
    }

    #[test]
    fn x_before_a_number_is_times() {
        for src in [
            "3 x 10^5",
            "3x10^5",
            "3 X 10",
            "100M users x 2",
            "2 x (3 GB)",
        ] {
            let ast = parse(src).unwrap_or_else(|e| panic!("{src}: {e}"));
            assert_eq!(links(&ast.expr).1[0].0, BinOp::Mul, "{src}");
        }
        // At the end, `3x` is a factor of one.
        assert!(matches!(parse("3x").unwrap().expr, Expr::Scaled { .. }));
    }

    #[test]
    fn hedges_and_money_signs() {
        for src in [
            "~5 GB",
            "about 5 GB",
            "roughly 5 GB",
            "approx 5 GB",
            "≈ 5 GB",
        ] {
            assert!(
                matches!(parse(src).unwrap().expr, Expr::WithUnit { .. }),
                "{src}"
            );
        }
        // Not before a number, `about` is a name; `~` is refused.
        assert!(matches!(parse("about").unwrap().expr, Expr::Var { .. }));
        let err = parse("~ GB").unwrap_err();
        assert!(err.help.unwrap().contains("`~5 GB`"));
        let Expr::WithUnit { unit, .. } = parse("$50M").unwrap().expr else {
            panic!("money is a quantity with a count")
        };
        assert_eq!(unit.factors[0].word, "USD");
        let err = parse("$ users").unwrap_err();
        assert!(err.help.unwrap().contains("`$50M`"));
    }

    #[test]
    fn a_target_may_be_per_a_unit() {
        let target = parse("5 / s -> per second").unwrap().target.unwrap();
        assert_eq!(target.text, "per second");
        assert!(parse("5 -> per").is_err());
    }
}
