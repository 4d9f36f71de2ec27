//! Typed engine errors with spans, and their rendering as a diagnostic that
//! shows the expression with carets under the part at fault.

use std::fmt;

/// A byte range in the expression source.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub(crate) struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub(crate) fn new(start: usize, end: usize) -> Span {
        Span { start, end }
    }

    pub(crate) fn to(self, other: Span) -> Span {
        Span {
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }

    /// The 1-based column (in characters) where the span starts in `src`.
    pub(crate) fn column(self, src: &str) -> usize {
        src.get(..self.start).map_or(1, |s| s.chars().count() + 1)
    }
}

/// What went wrong. Each variant names what a learner needs to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub(crate) enum ErrorKind {
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
    #[error("the expression is {len} bytes long, over the limit of {limit}")]
    TooLong { len: usize, limit: usize },
    #[error("parentheses and calls nested more than {limit} deep")]
    TooDeep { limit: usize },
    #[error("the result would be in {unit}, beyond the power {limit} a unit or count may take")]
    ExponentOutOfRange { unit: String, limit: i8 },
}

/// An engine error: what went wrong, where, and (usually) how to fix it.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
#[error("{kind}")]
pub(crate) struct QuantityError {
    pub kind: ErrorKind,
    /// The part of the expression at fault.
    pub span: Span,
    /// Further parts worth pointing at (the other side of a mismatch).
    pub also: Vec<Span>,
    /// What to do about it.
    pub help: Option<String>,
}

impl QuantityError {
    pub(crate) fn new(kind: ErrorKind, span: Span) -> QuantityError {
        QuantityError {
            kind,
            span,
            also: Vec::new(),
            help: None,
        }
    }

    pub(crate) fn with_help(mut self, help: impl Into<String>) -> QuantityError {
        self.help = Some(help.into());
        self
    }

    pub(crate) fn with_also(mut self, span: Span) -> QuantityError {
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
pub(crate) struct Diagnostic {
    pub error: QuantityError,
    pub source: String,
}

/// Sources longer than this (in characters) are shown as a window around the
/// part at fault, so an error in a long input stays one readable line.
const PICTURE_WIDTH: usize = 100;
/// How much of the source to show before the part at fault, in a window.
const PICTURE_LEAD: usize = 30;

impl Diagnostic {
    pub(crate) fn column(&self) -> usize {
        self.error.span.column(&self.source)
    }

    /// The caret line under the expression.
    pub(crate) fn carets(&self) -> String {
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

    /// The expression and its caret line as printed: whole when it is short, else
    /// a window of [`PICTURE_WIDTH`] characters around the part at fault, with `…`
    /// where the source goes on.
    pub(crate) fn picture(&self) -> (String, String) {
        let chars = self.source.chars().count();
        if chars <= PICTURE_WIDTH {
            return (self.source.clone(), self.carets());
        }
        let from = (self.column() - 1)
            .saturating_sub(PICTURE_LEAD)
            .min(chars - PICTURE_WIDTH);
        let to = from + PICTURE_WIDTH;
        let shown: String = self.source.chars().skip(from).take(PICTURE_WIDTH).collect();
        // One more caret slot: an error at the end points just past the last character.
        let carets: String = self
            .carets()
            .chars()
            .skip(from)
            .take(PICTURE_WIDTH + 1)
            .collect();
        let (before, pad) = if from > 0 { ("…", " ") } else { ("", "") };
        let after = if to < chars { "…" } else { "" };
        (
            format!("{before}{shown}{after}"),
            format!("{pad}{carets}").trim_end().to_string(),
        )
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (column {})", self.error, self.column())?;
        // A single-line source gets the caret picture; the alternate form (`{:#}`)
        // is what the binary prints, and it wants the picture too.
        if !self.source.contains('\n') {
            let (source, carets) = self.picture();
            write!(f, "\n  {source}\n  {carets}")?;
        }
        if let Some(help) = &self.error.help {
            write!(f, "\n  help: {help}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Diagnostic {}

#[cfg(test)]
mod tests {
    use super::*;

    fn diagnostic(source: &str, span: Span) -> Diagnostic {
        Diagnostic {
            error: QuantityError::new(ErrorKind::Empty, span),
            source: source.to_string(),
        }
    }

    #[test]
    fn a_short_source_is_shown_whole() {
        let d = diagnostic("5 + x", Span::new(4, 5));
        assert_eq!(d.picture(), ("5 + x".to_string(), "    ^".to_string()));
    }

    #[test]
    fn a_long_source_is_shown_around_the_fault() {
        let source = format!("{}oops{}", "1 + ".repeat(100), " + 1".repeat(100));
        let d = diagnostic(&source, Span::new(400, 404));
        let (shown, carets) = d.picture();
        assert!(shown.starts_with('…') && shown.ends_with('…'), "{shown}");
        assert_eq!(shown.chars().count(), PICTURE_WIDTH + 2);
        // The carets still sit under the word at fault.
        let at = carets.find('^').unwrap();
        assert_eq!(&shown.chars().skip(at).take(4).collect::<String>(), "oops");
        assert!(d.to_string().contains("(column 401)"));
    }

    #[test]
    fn a_fault_at_the_end_of_a_long_source_is_shown() {
        let source = "9".repeat(5000);
        let d = diagnostic(&source, Span::new(5000, 5000));
        let (shown, carets) = d.picture();
        assert!(shown.starts_with('…') && !shown.ends_with('…'));
        // The caret sits just past the last character.
        assert_eq!(carets.chars().count(), shown.chars().count() + 1);
        assert!(carets.ends_with(" ^"));
    }
}
