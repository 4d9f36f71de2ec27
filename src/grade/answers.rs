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
use std::fmt;

/// Answers files larger than this are refused at the limit.
pub(crate) const MAX_ANSWERS_BYTES: u64 = 1024 * 1024;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AnswersFile {
    /// The problem id, checked against the command line.
    #[serde(default)]
    problem: Option<String>,
    /// Phase id -> what was written for it, in file order, duplicates kept
    /// so they can be reported.
    #[serde(default, deserialize_with = "entries")]
    phases: Vec<(String, Written)>,
    /// Estimate id -> the answer.
    #[serde(default, deserialize_with = "entries")]
    estimates: Vec<(String, Written)>,
}

/// A mapping's entries in file order, every one kept (a serde map would keep
/// the last of two equal keys without a word).
fn entries<'de, D: Deserializer<'de>>(d: D) -> Result<Vec<(String, Written)>, D::Error> {
    struct Entries;
    impl<'de> Visitor<'de> for Entries {
        type Value = Vec<(String, Written)>;
        fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
            f.write_str("a mapping from ids to answers")
        }
        fn visit_map<A: de::MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
            let mut out = Vec::new();
            while let Some(entry) = map.next_entry::<String, Written>()? {
                out.push(entry);
            }
            Ok(out)
        }
        fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
            Ok(Vec::new())
        }
    }
    d.deserialize_any(Entries)
}

const TAGGED: &str =
    "a tagged value (such as !!binary) is not an answer: write plain text, or quote it";

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
            fn visit_bool<E: de::Error>(self, v: bool) -> Result<Written, E> {
                Ok(Written(v.to_string()))
            }
            // `!!binary` and other tags: an answer is plain text.
            fn visit_enum<A: de::EnumAccess<'de>>(self, _: A) -> Result<Written, A::Error> {
                Err(de::Error::custom(TAGGED))
            }
            fn visit_bytes<E: de::Error>(self, _: &[u8]) -> Result<Written, E> {
                Err(E::custom(TAGGED))
            }
            fn visit_map<A: de::MapAccess<'de>>(self, _: A) -> Result<Written, A::Error> {
                Err(de::Error::custom(
                    "an answer is text, a number or a list of lines, not a mapping",
                ))
            }
        }
        d.deserialize_any(V)
    }
}

/// An answers file that cannot be used, with what to fix.
#[derive(Debug, thiserror::Error)]
pub(crate) enum AnswersError {
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
    key_locations(text, section, key)
        .into_iter()
        .next()
        .unwrap_or_default()
}

/// Every place `key` sits under `section`, as `:line:column`.
fn key_locations(text: &str, section: &str, key: &str) -> Vec<String> {
    let mut out = Vec::new();
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
            out.push(format!(":{}:{}", i + 1, indent + 1));
        }
    }
    out
}

/// The first YAML feature an answers file has no use for, outside block text:
/// a tag (`phase: !!binary ...`), which changes what a value means, or a merge
/// key (`<<: *base`), which builds phases out of sight. Both are refused with
/// where they are.
fn unsupported_yaml(text: &str) -> Option<(String, &'static str)> {
    let mut block: Option<usize> = None;
    for (i, line) in text.lines().enumerate() {
        let body = line.trim_start();
        let indent = line.len() - body.len();
        if let Some(parent) = block {
            if body.is_empty() || indent > parent {
                continue;
            }
            block = None;
        }
        if body.starts_with("<<") {
            return Some((
                format!(":{}:{}", i + 1, indent + 1),
                "a merge key (<<) is not supported in an answers file: write the phases out",
            ));
        }
        let value = match body.split_once(": ") {
            Some((_, v)) => v.trim_start(),
            None => body.strip_prefix("- ").unwrap_or("").trim_start(),
        };
        if value.starts_with('!') {
            let column = line.len() - value.len() + 1;
            return Some((format!(":{}:{column}", i + 1), TAGGED));
        }
        let header = value.trim_end();
        if header.starts_with(['|', '>']) && header.len() <= 3 {
            block = Some(indent);
        }
    }
    None
}

/// `:line:column` of a byte offset.
fn position(text: &str, offset: usize) -> String {
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    format!(":{line}:{column}")
}

/// Reads an answers file's text for `problem`.
pub(crate) fn parse(problem: &Problem, file: &str, text: &str) -> Result<Answer, AnswersError> {
    // A byte-order mark is how some editors start a UTF-8 file.
    let text = text.strip_prefix('\u{feff}').unwrap_or(text);
    let syntax = |location: String, message: String| AnswersError::Syntax {
        file: file.to_string(),
        location,
        message,
    };
    if let Some(at) = text.find('\0') {
        return Err(syntax(
            position(text, at),
            "a NUL byte: this looks like a binary file, and an answers file is YAML text".into(),
        ));
    }
    let meaningful = text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !meaningful {
        return Err(AnswersError::Content {
            file: file.to_string(),
            location: String::new(),
            message: format!(
                "the answers file has nothing to grade{}: start from `sdi grade {} --template`",
                if text.trim().is_empty() {
                    ""
                } else {
                    " (only comments)"
                },
                problem.id
            ),
        });
    }
    if let Some((at, what)) = unsupported_yaml(text) {
        return Err(syntax(at, what.into()));
    }
    if let Err(why) = crate::bank::check_yaml_cost(text) {
        return Err(syntax(
            String::new(),
            format!("the file is too costly to read: {why}"),
        ));
    }
    let def: AnswersFile = serde_yaml::from_str(text).map_err(|e| {
        let full = e.to_string();
        let message = full.find(" at line ").map_or(full.as_str(), |i| &full[..i]);
        let location = e
            .location()
            .map(|l| format!(":{}:{}", l.line(), l.column()))
            .unwrap_or_default();
        let line = e
            .location()
            .and_then(|l| text.lines().nth(l.line().saturating_sub(1)))
            .unwrap_or("");
        let message = if line.contains('\t')
            || message.contains("cannot start any token") && text.contains('\t')
        {
            "a tab: YAML is indented with spaces, not tabs".to_string()
        } else if let Some(i) = message.find("expected struct ") {
            // serde names the Rust type; the reader thinks of a mapping.
            format!(
                "{}expected a mapping with `problem`, `phases` and `estimates`",
                &message[..i]
            )
        } else {
            format!(
                "{message} (an answers file has `problem`, `phases` and `estimates`; see `sdi grade {} --template`)",
                problem.id
            )
        };
        syntax(location, message)
    })?;
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
    for (section, entries) in [("phases", &def.phases), ("estimates", &def.estimates)] {
        let mut seen = std::collections::BTreeSet::new();
        for (key, _) in entries {
            if !seen.insert(key.as_str()) {
                let places = key_locations(text, section, key);
                let lines: Vec<&str> = places
                    .iter()
                    .map(|p| p.trim_start_matches(':').split(':').next().unwrap_or(""))
                    .collect();
                return Err(content(
                    places.get(1).cloned().unwrap_or_default(),
                    format!(
                        "`{key}` is given twice under `{section}` (lines {}): keep one",
                        lines.join(" and ")
                    ),
                ));
            }
        }
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
pub(crate) fn template(problem: &Problem) -> String {
    let mut out = format!(
        "# Answers for `{}`: {}\n# Fill in, then: sdi grade {} --answers THIS_FILE\n# Phases take free text; estimates take a number (in the unit asked) or an\n# engine expression such as \"100M * 10 / day\" (assumption names work too).\nproblem: {}\nphases:\n",
        problem.id, problem.title, problem.id, problem.id
    );
    for phase in &problem.phases {
        out.push_str(&format!("  # {}: {}\n", phase.id.title(), phase.goal));
        out.push_str(&format!("  {}: |\n    \n", phase.id.as_str()));
    }
    out.push_str("estimates:\n");
    // The inputs, so the file can be written without the problem open; an
    // estimate may use these names ("new_urls_per_day / day").
    out.push_str("  # The assumptions, by name:\n");
    for a in &problem.assumptions {
        out.push_str(&format!(
            "  #   {} = {}  ({})\n",
            a.name,
            a.shown(),
            a.description
        ));
    }
    for e in &problem.estimates {
        out.push_str(&format!("  # {} (answer in {})\n", e.question, e.unit_text));
        out.push_str(&format!("  {}: \"\"\n", e.id));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Bank, Origin};

    fn paste_bin() -> Problem {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        Bank::load(&Origin::Dir(dir))
            .unwrap()
            .problem("paste-bin")
            .unwrap()
            .clone()
    }

    fn error(text: &str) -> String {
        parse(&paste_bin(), "a.yaml", text).unwrap_err().to_string()
    }

    #[test]
    fn phases_and_estimates_are_read_as_written() {
        let answer = parse(
            &paste_bin(),
            "a.yaml",
            "problem: paste-bin\nphases:\n  api: |\n    POST /pastes\n    GET /pastes/{key}\nestimates:\n  write_qps: 12\n  storage_total: \"3.6 TB\"\n",
        )
        .unwrap();
        assert_eq!(
            answer.phases[&PhaseId::Api],
            "POST /pastes\nGET /pastes/{key}\n"
        );
        // A bare YAML number is an answer too, read in the question's unit.
        assert_eq!(answer.estimates["write_qps"], "12");
        assert_eq!(answer.estimates["storage_total"], "3.6 TB");
        assert!(!answer.typed);
    }

    #[test]
    fn an_unknown_id_is_named_with_the_closest() {
        let e = error("phases:\n  datamodel: x\n");
        assert!(e.contains("datamodel"), "{e}");
        assert!(e.contains("data-model"), "{e}");
        let e = error("estimates:\n  write_qsp: \"12\"\n");
        assert!(e.contains("write_qps"), "{e}");
    }

    #[test]
    fn another_problems_file_is_refused() {
        let e = error("problem: chat\nphases:\n  api: x\n");
        assert!(e.contains("chat") && e.contains("paste-bin"), "{e}");
    }

    #[test]
    fn a_key_given_twice_names_both_lines() {
        let e = error("estimates:\n  write_qps: \"1\"\n  write_qps: \"2\"\n");
        assert!(e.contains("lines 2 and 3"), "{e}");
    }

    #[test]
    fn a_byte_order_mark_is_skipped_and_empty_files_say_so() {
        let answer = parse(&paste_bin(), "a.yaml", "\u{feff}phases:\n  api: x\n").unwrap();
        assert_eq!(answer.phases[&PhaseId::Api], "x");
        assert!(error("# only a comment\n").contains("nothing to grade (only comments)"));
        assert!(error("").contains("nothing to grade"));
    }

    #[test]
    fn the_template_parses_back_and_names_every_input() {
        let p = paste_bin();
        let t = template(&p);
        for a in &p.assumptions {
            assert!(t.contains(&format!("#   {} = ", a.name)), "{}", a.name);
        }
        // Empty, it is a file with nothing written, not an error of shape.
        let answer = parse(&p, "t.yaml", &t).unwrap();
        assert!(answer.estimates.values().all(String::is_empty));
    }
}
