//! Splits an expression into tokens with byte spans.
//!
//! A number swallows its digits, underscores, fraction and exponent, but never the
//! letters after it: `100M` is the number 100 and the word `M`, `5ms` is 5 and `ms`.

use super::error::{ErrorKind, QuantityError, Span};

#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Tok<'a> {
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
    pub fn describe(&self) -> String {
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
pub struct Token<'a> {
    pub tok: Tok<'a>,
    pub span: Span,
}

fn is_word_start(c: char) -> bool {
    c.is_alphabetic() || c == '_' || c == 'µ' || c == 'μ'
}

fn is_word_char(c: char) -> bool {
    c.is_alphanumeric() || c == '_'
}

pub fn tokenize<'a>(src: &'a str) -> Result<Vec<Token<'a>>, QuantityError> {
    let mut tokens = Vec::new();
    let chars: Vec<(usize, char)> = src.char_indices().collect();
    let byte_at = |i: usize| chars.get(i).map_or(src.len(), |(b, _)| *b);
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
        let token = if c.is_ascii_digit() || (c == '.' && next.is_some_and(|n| n.is_ascii_digit()))
        {
            let end = scan_number(&chars, i);
            let text: String = chars[i..end]
                .iter()
                .map(|(_, c)| *c)
                .filter(|c| *c != '_')
                .collect();
            let span = Span::new(start, byte_at(end));
            let value = text.parse::<f64>().map_err(|_| {
                QuantityError::new(ErrorKind::BadNumber(src[span.start..span.end].into()), span)
            })?;
            i = end;
            tokens.push(Token {
                tok: Tok::Number(value),
                span,
            });
            continue;
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
                ('(', _) => single(Tok::LParen, 1),
                (')', _) => single(Tok::RParen, 1),
                (',', _) => single(Tok::Comma, 1),
                ('%', _) => single(Tok::Word("%"), 1),
                _ => {
                    let span = Span::new(start, byte_at(i + 1));
                    let mut err = QuantityError::new(ErrorKind::UnexpectedChar(c), span);
                    if c == '$' || c == '€' || c == '£' {
                        err = err.with_help(
                            "money is not a unit here: write the amount as a plain number",
                        );
                    }
                    return Err(err);
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
/// underscores between them, an optional fraction, an optional exponent.
fn scan_number(chars: &[(usize, char)], mut i: usize) -> usize {
    let at = |i: usize| chars.get(i).map(|(_, c)| *c);
    let digits = |mut i: usize| {
        while let Some(c) = at(i) {
            let underscore_between_digits = c == '_'
                && at(i + 1).is_some_and(|n| n.is_ascii_digit())
                && i > 0
                && at(i - 1).is_some_and(|p| p.is_ascii_digit());
            if c.is_ascii_digit() || underscore_between_digits {
                i += 1;
            } else {
                break;
            }
        }
        i
    };
    i = digits(i);
    if at(i) == Some('.') && at(i + 1).is_some_and(|c| c.is_ascii_digit()) {
        i = digits(i + 1);
    } else if at(i) == Some('.') && !at(i + 1).is_some_and(is_word_start) {
        // `5.` is five; but `5.x` leaves the dot to be reported.
        i += 1;
    }
    if matches!(at(i), Some('e' | 'E')) {
        let sign = usize::from(matches!(at(i + 1), Some('+' | '-')));
        if at(i + 1 + sign).is_some_and(|c| c.is_ascii_digit()) {
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
        let err = tokenize("5 + $3").unwrap_err();
        assert_eq!(err.kind, ErrorKind::UnexpectedChar('$'));
        assert_eq!(err.span, Span::new(4, 5));
    }
}
