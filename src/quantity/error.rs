//! Typed engine errors with spans, and their rendering as a diagnostic that
//! shows the expression with carets under the part at fault.

use std::fmt;

/// A byte range in the expression source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The 1-based column (in characters) where the span starts in `src`.
    pub fn column(self, src: &str) -> usize {
        src.get(..self.start).map_or(1, |s| s.chars().count() + 1)
    }
}

/// What went wrong. Each variant names what a learner needs to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum ErrorKind {
    #[error("empty expression")]
    Empty,
    #[error("unexpected character `{0}`")]
    UnexpectedChar(char),
    #[error("malformed number `{0}`")]
    BadNumber(String),
    #[error("expected {expected}, found {found}")]
    Expected { expected: String, found: String },
    #[error("unknown word `{0}`")]
    UnknownWord(String),
    #[error("ambiguous word `{0}`")]
    Ambiguous(String),
    #[error("cannot {op} {left} and {right}")]
    DimensionMismatch {
        op: &'static str,
        left: String,
        right: String,
    },
    #[error("cannot convert {from} to {to}")]
    ConversionMismatch { from: String, to: String },
    #[error("{0}")]
    Invalid(String),
    #[error("division by zero")]
    DivisionByZero,
    #[error("the result is not a finite number")]
    NotFinite,
}

/// An engine error: what went wrong, where, and (usually) how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub struct QuantityError {
    pub kind: ErrorKind,
    /// The part of the expression at fault.
    pub span: Span,
    /// Further parts worth pointing at (the other side of a mismatch).
    pub also: Vec<Span>,
    /// What to do about it.
    pub help: Option<String>,
}

impl QuantityError {
    pub fn new(kind: ErrorKind, span: Span) -> QuantityError {
        QuantityError {
            kind,
            span,
            also: Vec::new(),
            help: None,
        }
    }

    pub fn with_help(mut self, help: impl Into<String>) -> QuantityError {
        self.help = Some(help.into());
        self
    }

    pub fn with_also(mut self, span: Span) -> QuantityError {
        self.also.push(span);
        self
    }
}

/// An error together with the expression it came from, printed with carets:
///
/// ```text
/// cannot add a data size (500 GB) and a rate (3 req/s) at column 1
///   500 GB + 3 req/s
///   ^^^^^^   ^^^^^^^
///   help: ...
/// ```
#[derive(Debug, Clone, PartialEq)]
pub struct Diagnostic {
    pub error: QuantityError,
    pub source: String,
}

impl Diagnostic {
    pub fn column(&self) -> usize {
        self.error.span.column(&self.source)
    }

    /// The caret line under the expression.
    pub fn carets(&self) -> String {
        let width = self.source.chars().count() + 1;
        let mut line = vec![' '; width];
        for span in std::iter::once(&self.error.span).chain(&self.error.also) {
            let start = span.column(&self.source) - 1;
            let len = self
                .source
                .get(span.start..span.end)
                .map_or(1, |s| s.chars().count())
                .max(1);
            for slot in line.iter_mut().skip(start).take(len) {
                *slot = '^';
            }
        }
        line.into_iter().collect::<String>().trim_end().to_string()
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (column {})", self.error, self.column())?;
        // A single-line source gets the caret picture; the alternate form (`{:#}`)
        // is what the binary prints, and it wants the picture too.
        if !self.source.contains('\n') {
            write!(f, "\n  {}\n  {}", self.source, self.carets())?;
        }
        if let Some(help) = &self.error.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}
