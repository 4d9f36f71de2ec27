//! Splits an expression into tokens with byte spans.
//!
//! A number swallows its digits, underscores, fraction and exponent, but never the
//! letters after it: `100M` is the number 100 and the word `M`, `5ms` is 5 and `ms`.
//! Outside a function call's parentheses a comma between digit groups separates
//! thousands (`116,000`); inside one it separates arguments (`max(1,000)` is two).
//! The money signs `$` and `€`, and `~` (or `≈`) for "about", are words of their
//! own, read by the parser.

use super::error::{ErrorKind, QuantityError, Span};
use super::units::FUNCTIONS;

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) enum Tok<'a> {
    Number(f64),
    /// A word, borrowed from the source: no allocation per token.
    Word(&'a str),
    Plus,
    Minus,
    Star,
    Slash,
    Caret,
    LParen,
    RParen,
    Comma,
    Arrow,
    End,
}

impl Tok<'_> {
    pub(super) fn describe(&self) -> String {
        match self {
            Tok::Number(n) => format!("the number `{n}`"),
            Tok::Word(w) => format!("`{w}`"),
            Tok::Plus => "`+`".into(),
            Tok::Minus => "`-`".into(),
            Tok::Star => "`*`".into(),
            Tok::Slash => "`/`".into(),
            Tok::Caret => "`^`".into(),
            Tok::LParen => "`(`".into(),
            Tok::RParen => "`)`".into(),
            Tok::Comma => "`,`".into(),
            Tok::Arrow => "`->`".into(),
            Tok::End => "the end of the expression".into(),
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq)]
pub(super) struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Span,
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == 'µ' || c == 'μ'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub(super) fn tokenize<'a>(src: &'a str) -> Result<Vec<Token<'a>>, QuantityError> {
    let mut tokens: Vec<Token<'a>> = Vec::new();
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(src.len(), |(b, _)| *b);
    // For each open `(`, whether it opened a function call; and how many of them
    // did, so a comma inside any call is an argument separator.
    let mut parens: Vec<bool> = Vec::new();
    let mut calls_open = 0usize;
    let mut i = 0;
    while i < chars.len() {
        let (start, c) = chars[i];
        let next = chars.get(i + 1).map(|(_, c)| *c);
        if c.is_whitespace() {
            i += 1;
            continue;
        }
        let single = |tok: Tok<'a>, len: usize| Token {
            tok,
            span: Span::new(start, byte_at(i + len)),
        };
        let after_value = matches!(
            tokens.last().map(|t| t.tok),
            Some(Tok::Number(_) | Tok::RParen)
        );
        let token = if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit()))
        {
            let end = scan_number(&chars, i, calls_open == 0);
            let text: String = chars[i..end]
                .iter()
                .map(|(_, c)| *c)
                .filter(|c| *c != '_' && *c != ',')
                .collect();
            let span = Span::new(start, byte_at(end));
            let value = text.parse::<f64>().map_err(|_| {
                QuantityError::new(ErrorKind::BadNumber(src[span.start..span.end].into()), span)
                    .with_help("write a number such as `12`, `1.5`, `1e6` or `116,000`")
            })?;
            i = end;
            tokens.push(Token {
                tok: Tok::Number(value),
                span,
            });
            continue;
        } else if matches!(c, 'x' | 'X') && after_value && next.is_some_and(|n| n.is_ascii_digit())
        {
            // `3x10^5`: an `x` glued to the number after it is a times sign.
            single(Tok::Word(&src[start..start + 1]), 1)
        } else if is_word_start(c) {
            let mut end = i + 1;
            while end < chars.len() && is_word_char(chars[end].1) {
                end += 1;
            }
            let span = Span::new(start, byte_at(end));
            i = end;
            tokens.push(Token {
                tok: Tok::Word(&src[span.start..span.end]),
                span,
            });
            continue;
        } else {
            match (c, next) {
                ('-', Some('>')) => single(Tok::Arrow, 2),
                ('*', Some('*')) => single(Tok::Caret, 2),
                ('→', _) => single(Tok::Arrow, 1),
                ('+', _) => single(Tok::Plus, 1),
                ('-' | '−', _) => single(Tok::Minus, 1),
                ('*' | '×' | '·', _) => single(Tok::Star, 1),
                ('/' | '÷', _) => single(Tok::Slash, 1),
                ('^', _) => single(Tok::Caret, 1),
                ('(', _) => {
                    let call = matches!(
                        tokens.last().map(|t| t.tok),
                        Some(Tok::Word(w)) if FUNCTIONS.contains(&w)
                    );
                    parens.push(call);
                    calls_open += usize::from(call);
                    single(Tok::LParen, 1)
                }
                (')', _) => {
                    if parens.pop() == Some(true) {
                        calls_open -= 1;
                    }
                    single(Tok::RParen, 1)
                }
                (',', _) => single(Tok::Comma, 1),
                ('%', _) => single(Tok::Word("%"), 1),
                ('~' | '≈', _) => single(Tok::Word("~"), 1),
                ('$', _) => single(Tok::Word("$"), 1),
                ('€', _) => single(Tok::Word("€"), 1),
                _ => {
                    let span = Span::new(start, byte_at(i + 1));
                    let help = if c == '£' || c == '¥' {
                        "money is read in dollars or euros: write `$50M`, `50M USD` or `€50M`"
                    } else {
                        "remove it: an expression has numbers, words, `+ - * / ^ ( ) ,` and `->`"
                    };
                    return Err(
                        QuantityError::new(ErrorKind::UnexpectedChar(c), span).with_help(help)
                    );
                }
            }
        };
        i += match token.tok {
            Tok::Arrow if c == '-' => 2,
            Tok::Caret if c == '*' => 2,
            _ => 1,
        };
        tokens.push(token);
    }
    tokens.push(Token {
        tok: Tok::End,
        span: Span::new(src.len(), src.len()),
    });
    Ok(tokens)
}

/// Returns the index one past the number starting at `i`: digits with single
/// underscores between them (or, when `thousands`, groups of three after commas:
/// `1,234,567`), an optional fraction, an optional exponent.
fn scan_number(chars: &[(usize, char)], mut i: usize, thousands: bool) -> usize {
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let digit_at = |i: usize| at(i).is_some_and(|c| c.is_ascii_digit());
    let digits = |mut i: usize| {
        while let Some(c) = at(i) {
            let underscore_between_digits = c == '_' && digit_at(i + 1) && i > 0 && digit_at(i - 1);
            if c.is_ascii_digit() || underscore_between_digits {
                i += 1;
            } else {
                break;
            }
        }
        i
    };
    let start = i;
    i = digits(i);
    // `116,000`: a lead of one to three digits, then groups of exactly three.
    let lead = i - start;
    let plain_lead = (1..=3).contains(&lead) && (start..i).all(digit_at);
    if thousands && plain_lead {
        while at(i) == Some(',') && (i + 1..i + 4).all(digit_at) && !digit_at(i + 4) {
            i += 4;
        }
    }
    if at(i) == Some('.') && digit_at(i + 1) {
        i = digits(i + 1);
    } else if at(i) == Some('.') && !at(i + 1).is_some_and(is_word_start) {
        // `5.` is five; but `5.x` leaves the dot to be reported.
        i += 1;
    }
    if matches!(at(i), Some('e' | 'E')) {
        let sign = usize::from(matches!(at(i + 1), Some('+' | '-')));
        if digit_at(i + 1 + sign) {
            i = digits(i + 1 + sign);
        }
    }
    i
}

#[cfg(test)]
mod tests {
    use super::*;

    fn toks(src: &str) -> Vec<Tok<'_>> {
        tokenize(src).unwrap().into_iter().map(|t| t.tok).collect()
    }

    #[test]
    fn numbers_in_every_written_form() {
        for (src, value) in [
            ("12", 12.0),
            ("1.5", 1.5),
            ("1e6", 1e6),
            ("2.5E-3", 2.5e-3),
            ("1e+9", 1e9),
            ("1_000_000", 1e6),
            (".5", 0.5),
        ] {
            assert_eq!(toks(src), vec![Tok::Number(value), Tok::End], "{src}");
        }
    }

    #[test]
    fn letters_after_a_number_are_a_separate_word() {
        assert_eq!(
            toks("100M"),
            vec![Tok::Number(100.0), Tok::Word("M"), Tok::End]
        );
        assert_eq!(
            toks("5ms"),
            vec![Tok::Number(5.0), Tok::Word("ms"), Tok::End]
        );
        assert_eq!(toks("1e"), vec![Tok::Number(1.0), Tok::Word("e"), Tok::End]);
    }

    #[test]
    fn arrows_and_micro_sign() {
        assert_eq!(
            toks("3 µs -> ns"),
            vec![
                Tok::Number(3.0),
                Tok::Word("µs"),
                Tok::Arrow,
                Tok::Word("ns"),
                Tok::End
            ]
        );
    }

    #[test]
    fn unexpected_characters_point_at_themselves() {
        let err = tokenize("5 + £3").unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnexpectedChar('£'));
        assert_eq!(err.span, Span::new(4, 6));
        assert!(err.help.unwrap().contains("`50M USD`"));
    }

    #[test]
    fn commas_separate_thousands_outside_calls_only() {
        assert_eq!(toks("116,000"), vec![Tok::Number(116_000.0), Tok::End]);
        assert_eq!(
            toks("1,234,567.5"),
            vec![Tok::Number(1_234_567.5), Tok::End]
        );
        // Not groups of three: the comma stays a comma.
        assert_eq!(
            toks("12,34"),
            vec![Tok::Number(12.0), Tok::Comma, Tok::Number(34.0), Tok::End]
        );
        assert_eq!(
            toks("1234,567"),
            vec![
                Tok::Number(1234.0),
                Tok::Comma,
                Tok::Number(567.0),
                Tok::End
            ]
        );
        // In a call, arguments; in a group inside a call, still arguments.
        let call = toks("max(1,000, (2,000))");
        assert_eq!(call.iter().filter(|t| **t == Tok::Comma).count(), 3);
        // After the call closes, thousands again.
        assert_eq!(toks("max(1, 2) * 1,000")[7], Tok::Number(1000.0));
    }

    #[test]
    fn money_signs_tilde_and_a_glued_times() {
        assert_eq!(
            toks("~$50M"),
            vec![
                Tok::Word("~"),
                Tok::Word("$"),
                Tok::Number(50.0),
                Tok::Word("M"),
                Tok::End
            ]
        );
        assert_eq!(
            toks("3x10^5"),
            vec![
                Tok::Number(3.0),
                Tok::Word("x"),
                Tok::Number(10.0),
                Tok::Caret,
                Tok::Number(5.0),
                Tok::End
            ]
        );
        // Not after a number, `x10` is a word (a name).
        assert_eq!(toks("x10"), vec![Tok::Word("x10"), Tok::End]);
    }
}
