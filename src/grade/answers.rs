//! The written answers file `sdi grade ID --answers FILE` reads, and the
//! skeleton `sdi grade ID --template` prints.
//!
//! ```yaml
//! problem: url-shortener          # optional; must match ID when given
//! phases:
//!   requirements: |
//!     ...
//! estimates:
//!   write_qps: "1.2k req/s"       # a number (read in the question's unit) or an expression
//! ```

use super::Answer;
use crate::bank::{PhaseId, Problem};
use crate::quantity;
use serde::Deserialize;
use serde::de::{self, Deserializer, Visitor};
use std::collections::BTreeMap;
use std::fmt;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    /// The problem id, checked against the command line.
    #[serde(default)]
    problem: Option<String>,
    /// Phase id -> what was written for it.
    #[serde(default)]
    phases: BTreeMap<String, Written>,
    /// Estimate id -> the answer.
    #[serde(default)]
    estimates: BTreeMap<String, Written>,
}

/// Text, a number, a list of lines, or nothing (an empty key in a template).
#[derive(Debug)]
struct Written(String);

impl<'de> Deserialize<'de> for Written {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Written, D::Error> {
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Written;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("text, a number, or a list of lines")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Written, E> {
                Ok(Written(v.to_string()))
            }
            fn visit_i64<E: de::Error>(self, v: i64) -> Result<Written, E> {
                Ok(Written(v.to_string()))
            }
            fn visit_u64<E: de::Error>(self, v: u64) -> Result<Written, E> {
                Ok(Written(v.to_string()))
            }
            fn visit_f64<E: de::Error>(self, v: f64) -> Result<Written, E> {
                Ok(Written(v.to_string()))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Written, E> {
                Ok(Written(String::new()))
            }
            fn visit_none<E: de::Error>(self) -> Result<Written, E> {
                Ok(Written(String::new()))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Written, A::Error> {
                let mut lines = Vec::new();
                while let Some(Written(line)) = seq.next_element()? {
                    lines.push(line);
                }
                Ok(Written(lines.join("\n")))
            }
        }
        d.deserialize_any(V)
    }
}

/// An answers file that cannot be used, with what to fix.
#[derive(Debug, thiserror::Error)]
pub enum AnswersError {
    #[error("{file}{location}: {message}")]
    Syntax {
        file: String,
        location: String,
        message: String,
    },
    #[error("{file}{location}: {message}")]
    Content {
        file: String,
        location: String,
        message: String,
    },
}

/// Where `key` sits under the top-level `section` of an answers file, as
/// `:line:column`, so an unknown id points at the line to fix. Serde has
/// already checked the shape; this only finds the line.
fn key_location(text: &str, section: &str, key: &str) -> String {
    let mut inside = false;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        if body.is_empty() || body.starts_with('#') {
            continue;
        }
        let indent = line.len() - body.len();
        if indent == 0 {
            inside = body
                .strip_prefix(section)
                .is_some_and(|r| r.trim_start().starts_with(':'));
            continue;
        }
        let name = body
            .split(':')
            .next()
            .unwrap_or("")
            .trim()
            .trim_matches(['"', '\'']);
        if inside && name == key {
            return format!(":{}:{}", i + 1, indent + 1);
        }
    }
    String::new()
}

/// Reads an answers file's text for `problem`.
pub fn parse(problem: &Problem, file: &str, text: &str) -> Result<Answer, AnswersError> {
    let def: AnswersFile = if text.trim().is_empty() {
        return Err(AnswersError::Content {
            file: file.to_string(),
            location: String::new(),
            message: format!(
                "the answers file is empty: start from `sdi grade {} --template`",
                problem.id
            ),
        });
    } else {
        serde_yaml::from_str(text).map_err(|e| {
            let full = e.to_string();
            let message = full.find(" at line ").map_or(full.as_str(), |i| &full[..i]).to_string();
            AnswersError::Syntax {
                file: file.to_string(),
                location: e
                    .location()
                    .map(|l| format!(":{}:{}", l.line(), l.column()))
                    .unwrap_or_default(),
                message: format!(
                    "{message} (an answers file has `problem`, `phases` and `estimates`; see `sdi grade {} --template`)",
                    problem.id
                ),
            }
        })?
    };
    let content = |location: String, message: String| AnswersError::Content {
        file: file.to_string(),
        location,
        message,
    };
    if let Some(id) = &def.problem
        && id != &problem.id
    {
        let line = text
            .lines()
            .position(|l| l.starts_with("problem"))
            .map_or_else(String::new, |i| format!(":{}:1", i + 1));
        return Err(content(
            line,
            format!(
                "the file answers `{id}`, not `{}`: pass the matching ID or fix `problem:`",
                problem.id
            ),
        ));
    }
    let mut answer = Answer::default();
    let phase_ids: Vec<&str> = PhaseId::ALL.iter().map(|p| p.as_str()).collect();
    for (key, Written(written)) in def.phases {
        let Some(phase) = PhaseId::parse(&key) else {
            let hint = quantity::suggest_word(&key, &phase_ids).map_or_else(
                || format!("the phases are: {}", phase_ids.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            let location = key_location(text, "phases", &key);
            return Err(content(location, format!("unknown phase `{key}`: {hint}")));
        };
        answer.phases.insert(phase, written);
    }
    let estimate_ids: Vec<&str> = problem.estimates.iter().map(|e| e.id.as_str()).collect();
    for (key, Written(value)) in def.estimates {
        if !estimate_ids.contains(&key.as_str()) {
            let hint = quantity::suggest_word(&key, &estimate_ids).map_or_else(
                || {
                    format!(
                        "the estimates of `{}` are: {}",
                        problem.id,
                        estimate_ids.join(", ")
                    )
                },
                |s| format!("did you mean `{s}`?"),
            );
            let location = key_location(text, "estimates", &key);
            return Err(content(
                location,
                format!("unknown estimate `{key}`: {hint}"),
            ));
        }
        answer.estimates.insert(key, value);
    }
    Ok(answer)
}

/// A skeleton answers file: every phase and estimate id, questions as comments.
pub fn template(problem: &Problem) -> String {
    let mut out = format!(
        "# Answers for `{}`: {}\n# Fill in, then: sdi grade {} --answers THIS_FILE\n# Phases take free text; estimates take a number (in the unit asked) or an\n# engine expression such as \"100M * 10 / day\" (assumption names work too).\nproblem: {}\nphases:\n",
        problem.id, problem.title, problem.id, problem.id
    );
    for phase in &problem.phases {
        out.push_str(&format!("  # {}: {}\n", phase.id.title(), phase.goal));
        out.push_str(&format!("  {}: |\n    \n", phase.id.as_str()));
    }
    out.push_str("estimates:\n");
    for e in &problem.estimates {
        out.push_str(&format!("  # {} (answer in {})\n", e.question, e.unit_text));
        out.push_str(&format!("  {}: \"\"\n", e.id));
    }
    out
}
