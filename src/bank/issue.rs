//! A problem found in a bank file, said the way an author can act on it:
//! `problems/chat.yaml:12:11: estimates[2].expr: unknown name `dau``, then a hint.

use super::locate::{FieldPath, Position, locate};
use std::fmt;

crate::wire::wire_enum! {
    /// How bad a problem in a bank file is: an error fails `validate`.
    pub(crate) enum Severity {
        Error = "error", "error";
        Warning = "warning", "warning";
    }
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub(crate) struct Issue {
    pub severity: Severity,
    /// The file, relative to the bank: `problems/chat.yaml`.
    pub file: String,
    pub line: Option<usize>,
    pub column: Option<usize>,
    /// The field path: `estimates[2].expr`.
    pub field: Option<String>,
    pub message: String,
    /// What to do about it.
    pub hint: Option<String>,
}

impl Issue {
    pub(crate) fn error(file: &str, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Error,
            file: file.to_string(),
            line: None,
            column: None,
            field: None,
            message: message.into(),
            hint: None,
        }
    }

    pub(crate) fn warning(file: &str, message: impl Into<String>) -> Issue {
        Issue {
            severity: Severity::Warning,
            ..Issue::error(file, message)
        }
    }

    pub(crate) fn at(mut self, position: Option<Position>) -> Issue {
        if let Some(p) = position {
            self.line = Some(p.line);
            self.column = Some(p.column);
        }
        self
    }

    /// Names the field and finds its line and column in `text`.
    pub(crate) fn field(mut self, text: &str, path: &FieldPath) -> Issue {
        self.field = Some(path.to_string());
        if self.line.is_none() {
            self = self.at(locate(text, path));
        }
        self
    }

    pub(crate) fn hint(mut self, hint: impl Into<String>) -> Issue {
        self.hint = Some(hint.into());
        self
    }

    pub(crate) fn is_error(&self) -> bool {
        self.severity == Severity::Error
    }
}

impl Issue {
    /// Where: `problems/chat.yaml:12:11`.
    pub(crate) fn location(&self) -> String {
        let mut at = self.file.clone();
        if let Some(line) = self.line {
            at.push_str(&format!(":{line}"));
            if let Some(column) = self.column {
                at.push_str(&format!(":{column}"));
            }
        }
        at
    }

    /// What, and what to do: the field, the message, then the hint's lines.
    pub(crate) fn body(&self) -> String {
        let mut body = String::new();
        if let Some(field) = &self.field {
            body.push_str(&format!("{field}: "));
        }
        body.push_str(&self.message);
        if let Some(hint) = &self.hint {
            for (i, line) in hint.lines().enumerate() {
                let lead = if i == 0 { "hint: " } else { "      " };
                body.push_str(&format!("\n    {lead}{line}"));
            }
        }
        body
    }
}

impl fmt::Display for Issue {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {}: {}",
            self.location(),
            self.severity.label(),
            self.body()
        )
    }
}
