//! Reading bank files: from the copy built into the binary, or from a folder
//! (`--bank DIR`), and parsing each as YAML into its serde model with errors that
//! carry `line:column` and a hint an author can act on.

use super::issue::Issue;
use super::model::FORMAT_VERSION;
use anyhow::{Context, bail};
use serde::de::DeserializeOwned;
use std::path::{Path, PathBuf};

/// Bank files larger than this are refused unread.
pub(crate) const MAX_FILE_BYTES: u64 = 1024 * 1024;

/// Where a bank comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Origin {
    /// The `problems/` and `rubrics/` folders built into the binary.
    Embedded,
    /// A folder holding `problems/` and `rubrics/`.
    Dir(PathBuf),
}

impl std::fmt::Display for Origin {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Origin::Embedded => f.write_str("the built-in bank"),
            Origin::Dir(dir) => write!(f, "{}", dir.display()),
        }
    }
}

/// One bank file's text, named relative to the bank (`problems/chat.yaml`).
#[derive(Debug, Clone)]
pub(crate) struct SourceFile {
    pub path: String,
    /// Borrowed for the built-in bank (no copy at every start), owned when read
    /// from a folder.
    pub text: std::borrow::Cow<'static, str>,
    /// The same content as JSON, converted at build time for the built-in bank:
    /// read instead of the YAML because it parses many times faster.
    pub json: Option<&'static str>,
}

/// A bank file not read yet: files are read one at a time while checking, so a
/// bank of hundreds of problems never sits in memory all at once.
#[derive(Debug, Clone)]
pub(crate) struct SourceRef {
    /// Relative to the bank: `problems/chat.yaml`.
    pub path: String,
    location: Location,
}

#[derive(Debug, Clone)]
enum Location {
    Embedded {
        text: &'static str,
        json: Option<&'static str>,
    },
    File(PathBuf),
}

impl SourceRef {
    /// The file's text. Files that cannot be used (too large, not UTF-8,
    /// unreadable) are issues.
    pub(crate) fn read(&self) -> Result<SourceFile, Issue> {
        match &self.location {
            Location::Embedded { text, json } => Ok(SourceFile {
                path: self.path.clone(),
                text: std::borrow::Cow::Borrowed(text),
                json: *json,
            }),
            Location::File(file) => read_one(file, &self.path).map(|text| SourceFile {
                path: self.path.clone(),
                text: std::borrow::Cow::Owned(text),
                json: None,
            }),
        }
    }

    /// The file name without `.yaml`.
    pub(crate) fn stem(&self) -> &str {
        file_stem(&self.path)
    }

    pub(crate) fn is_problem(&self) -> bool {
        self.path.starts_with("problems/")
    }
}

/// Lists every bank file; a folder without `problems/` is an error.
/// A bank path's file name without `.yaml` (or `.yml`): the id it should hold.
pub(crate) fn file_stem(path: &str) -> &str {
    let name = path.rsplit('/').next().unwrap_or(path);
    name.strip_suffix(".yaml")
        .or_else(|| name.strip_suffix(".yml"))
        .unwrap_or(name)
}

pub(crate) fn list_sources(origin: &Origin) -> anyhow::Result<Vec<SourceRef>> {
    match origin {
        Origin::Embedded => Ok(crate::built::files()
            .iter()
            .map(|(path, text, json)| SourceRef {
                path: (*path).to_string(),
                location: Location::Embedded { text, json: *json },
            })
            .collect()),
        Origin::Dir(dir) => list_dir_sources(dir),
    }
}

fn list_dir_sources(dir: &Path) -> anyhow::Result<Vec<SourceRef>> {
    if !dir.is_dir() {
        bail!(
            "bank folder {} does not exist or is not a folder (a bank holds problems/ and rubrics/)",
            dir.display()
        );
    }
    if !dir.join("problems").is_dir() {
        bail!(
            "{} has no problems/ folder: a bank holds problems/<id>.yaml and rubrics/<id>.yaml",
            dir.display()
        );
    }
    let mut sources = Vec::new();
    for folder in ["problems", "rubrics"] {
        let path = dir.join(folder);
        if !path.is_dir() {
            continue;
        }
        let mut names: Vec<PathBuf> = std::fs::read_dir(&path)
            .with_context(|| format!("cannot list {}", path.display()))?
            .filter_map(|entry| entry.ok().map(|e| e.path()))
            .filter(|p| matches!(p.extension().and_then(|e| e.to_str()), Some("yaml" | "yml")))
            .collect();
        names.sort();
        for file in names {
            let name = file
                .file_name()
                .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
            sources.push(SourceRef {
                path: format!("{folder}/{name}"),
                location: Location::File(file),
            });
        }
    }
    Ok(sources)
}

fn read_one(file: &Path, relative: &str) -> Result<String, Issue> {
    crate::files::read_text(file, MAX_FILE_BYTES).map_err(|e| {
        use crate::files::ReadError;
        match e {
            ReadError::TooLarge(..) => Issue::error(
                relative,
                "the file is over 1 MiB; bank files are limited to 1 MiB",
            )
            .hint("split the content, or check that this is the file you meant"),
            ReadError::NotAFile(_, kind) => {
                Issue::error(relative, format!("this is {kind}, not a regular file")).hint(
                    "a bank holds YAML files: remove it or replace it with the file it stands for",
                )
            }
            ReadError::NotUtf8(_, line, column) => Issue::error(
                relative,
                "the file is not UTF-8 text (is it a binary file?)",
            )
            .at(Some(super::locate::Position { line, column }))
            .hint("save the file as UTF-8"),
            ReadError::Io(_, io) => Issue::error(relative, format!("cannot read the file: {io}")),
        }
    })
}

/// The `version:` a file declares at its top level, read before the full parse so
/// that a newer format is refused with a clear message rather than a list of
/// unknown keys.
fn declared_version(text: &str) -> Option<(u64, usize)> {
    text.lines().enumerate().find_map(|(i, line)| {
        let rest = line.strip_prefix("version:")?;
        let value = rest.split('#').next()?.trim();
        value.parse::<u64>().ok().map(|v| (v, i + 1))
    })
}

/// Parses one file into its model. The error says where and what, with a hint.
pub(super) fn parse<T: DeserializeOwned + Versioned>(
    file: &SourceFile,
    kind: &str,
) -> Result<T, Issue> {
    // The built-in bank's JSON is the fast path (its YAML text is not even
    // touched); when it fails, the YAML parse below gives the same error with its
    // line and column.
    if let Some(json) = file.json
        && let Ok(parsed) = serde_json::from_str::<T>(json)
        && parsed.version() <= FORMAT_VERSION
    {
        return Ok(parsed);
    }
    let text = &file.text;
    let meaningful = text
        .lines()
        .any(|l| !l.trim().is_empty() && !l.trim_start().starts_with('#'));
    if !meaningful {
        return Err(Issue::error(&file.path, "the file is empty").hint(format!(
            "a {kind} file is a YAML mapping starting with `version: {FORMAT_VERSION}`; see problems/README.md"
        )));
    }
    if let Some((version, line)) = declared_version(text)
        && version > u64::from(FORMAT_VERSION)
    {
        return Err(Issue::error(
            &file.path,
            format!(
                "this file uses format version {version}, but this sdi reads version {FORMAT_VERSION}"
            ),
        )
        .at(Some(super::locate::Position { line, column: 10 }))
        .hint("upgrade sdi to read it"));
    }
    if let Err(why) = check_yaml_cost(text) {
        return Err(Issue::error(
            &file.path,
            format!("the file is too costly to read: {why}"),
        ));
    }
    serde_yaml::from_str::<T>(text).map_err(|e| yaml_issue(&file.path, kind, text, &e))
}

/// How much a YAML text may expand to, through anchors and aliases: a few
/// times the text itself, and never more than this.
const EXPANSION_LIMIT: usize = 8 * 1024 * 1024;
/// How deeply brackets may nest in a YAML text.
const NESTING_LIMIT: usize = 256;

/// Checks that a YAML text is cheap to parse: its flow brackets nest at most
/// 256 deep (a parser takes quadratic time in the depth), and its aliases do
/// not expand it past a few times its size (a 500 KB string aliased 10,000
/// times is 5 GB). Texts without both an anchor (`&`) and an alias (`*`)
/// where a node can start cannot alias, so they skip the expansion pass.
pub(crate) fn check_yaml_cost(text: &str) -> Result<(), String> {
    let mut depth = 0usize;
    let mut deepest = 0usize;
    for b in text.bytes() {
        match b {
            b'[' | b'{' => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            b']' | b'}' => depth = depth.saturating_sub(1),
            b'\n' => {}
            _ => {}
        }
    }
    if deepest > NESTING_LIMIT {
        return Err(format!(
            "brackets nest {deepest} deep; the limit is {NESTING_LIMIT}: write the values out"
        ));
    }
    if !(starts_a_node(text, b'&') && starts_a_node(text, b'*')) {
        return Ok(());
    }
    let limit = (text.len() * 4).clamp(64 * 1024, EXPANSION_LIMIT);
    let mut budget = Budget { left: limit };
    match serde::de::DeserializeSeed::deserialize(
        &mut budget,
        serde_yaml::Deserializer::from_str(text),
    ) {
        Err(e) if e.to_string().contains(EXPANDS) => Err(format!(
            "its aliases expand it past {}: write the values out instead of aliasing them",
            crate::files::size_text(limit as u64)
        )),
        // Other errors are the real parse's to report.
        _ => Ok(()),
    }
}

const EXPANDS: &str = "the aliases expand the text too far";

/// Whether `indicator` (`&` for an anchor, `*` for an alias) occurs where a
/// YAML node can start: at the start of a line or after a space, `[`, `{` or
/// `,`. Text that never does (`?from=&to=` in an answer) cannot alias, and
/// skips the expansion pass.
fn starts_a_node(text: &str, indicator: u8) -> bool {
    let bytes = text.as_bytes();
    bytes.iter().enumerate().any(|(i, &b)| {
        b == indicator
            && (i == 0
                || matches!(
                    bytes[i - 1],
                    b' ' | b'\t' | b'\n' | b'\r' | b'[' | b'{' | b','
                ))
    })
}

/// Walks any YAML value, counting the bytes it expands to, and stops when the
/// budget runs out: aliases are replayed by the parser, so they are counted.
struct Budget {
    left: usize,
}

impl Budget {
    fn spend<E: serde::de::Error>(&mut self, n: usize) -> Result<(), E> {
        self.left = self
            .left
            .checked_sub(n + 1)
            .ok_or_else(|| E::custom(EXPANDS))?;
        Ok(())
    }
}

impl<'de> serde::de::DeserializeSeed<'de> for &mut Budget {
    type Value = ();
    fn deserialize<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
}

impl<'de> serde::de::Visitor<'de> for &mut Budget {
    type Value = ();
    fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("any value")
    }
    fn visit_bool<E: serde::de::Error>(self, _: bool) -> Result<(), E> {
        self.spend(1)
    }
    fn visit_i64<E: serde::de::Error>(self, _: i64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_u64<E: serde::de::Error>(self, _: u64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_f64<E: serde::de::Error>(self, _: f64) -> Result<(), E> {
        self.spend(8)
    }
    fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<(), E> {
        self.spend(v.len())
    }
    fn visit_bytes<E: serde::de::Error>(self, v: &[u8]) -> Result<(), E> {
        self.spend(v.len())
    }
    fn visit_unit<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_none<E: serde::de::Error>(self) -> Result<(), E> {
        self.spend(0)
    }
    fn visit_some<D: serde::Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
        d.deserialize_any(self)
    }
    fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while seq.next_element_seed(&mut *self)?.is_some() {}
        Ok(())
    }
    fn visit_map<A: serde::de::MapAccess<'de>>(self, mut map: A) -> Result<(), A::Error> {
        self.spend(0)?;
        while map.next_key_seed(&mut *self)?.is_some() {
            map.next_value_seed(&mut *self)?;
        }
        Ok(())
    }
    fn visit_enum<A: serde::de::EnumAccess<'de>>(self, data: A) -> Result<(), A::Error> {
        use serde::de::VariantAccess;
        let ((), variant) = data.variant_seed(&mut *self)?;
        variant.newtype_variant_seed(&mut *self)
    }
}

/// A file with a format version.
pub(super) trait Versioned {
    /// The format version it declares (0 when it declares none).
    fn version(&self) -> u32;
}

fn yaml_issue(path: &str, kind: &str, text: &str, err: &serde_yaml::Error) -> Issue {
    let full = err.to_string();
    // The location is reported separately, as file:line:column.
    let message = full
        .find(" at line ")
        .map_or(full.as_str(), |i| &full[..i])
        .to_string();
    // serde names the Rust type; an author thinks of a mapping.
    let message = match message.find("expected struct ") {
        Some(i) => format!("{}expected a mapping", &message[..i]),
        None => message,
    };
    let mut issue = Issue::error(path, message.clone());
    if let Some(location) = err.location() {
        issue = issue.at(Some(super::locate::Position {
            line: location.line(),
            column: location.column(),
        }));
    }
    let line_text = issue
        .line
        .and_then(|l| text.lines().nth(l.saturating_sub(1)))
        .unwrap_or("");
    let hint = if line_text.contains('\t')
        || message.contains("cannot start any token") && text.contains('\t')
    {
        Some("YAML does not allow tabs for indentation: use spaces".to_string())
    } else if let Some(field) = between(&message, "unknown field `", "`") {
        let expected: Vec<&str> = message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
            .map(|list| list.split(", ").map(|s| s.trim_matches('`')).collect())
            .unwrap_or_default();
        Some(match crate::quantity::suggest_word(field, &expected) {
            Some(s) => format!("did you mean `{s}`?"),
            None => format!("the keys allowed here are: {}", expected.join(", ")),
        })
    } else if let Some(field) = between(&message, "missing field `", "`") {
        let rest = issue.line.map_or(0, |l| {
            text.lines()
                .skip(l)
                .filter(|l| !l.trim().is_empty())
                .count()
        });
        Some(if rest <= 3 {
            format!("add `{field}:` here, or check whether the file was cut short")
        } else {
            format!("add `{field}:` here (the {kind} format is in problems/README.md)")
        })
    } else if message.contains("unknown variant") {
        message
            .split("expected one of ")
            .nth(1)
            .or_else(|| message.split("expected ").nth(1))
            .map(|list| format!("use one of {list}"))
    } else if message.contains("invalid type: sequence") && issue.line.unwrap_or(1) <= 1 {
        Some(format!(
            "a {kind} file is a mapping (keys such as `version:` and `id:`), not a list"
        ))
    } else if message.contains("recursion limit") || message.contains("repetition limit") {
        Some(
            "the file expands aliases too deeply (an alias bomb?): write the values out"
                .to_string(),
        )
    } else if message.contains("EOF") || message.contains("end of the stream") {
        Some("the file ends in the middle of a value: is it truncated?".to_string())
    } else if message.contains("did not find expected")
        || message.contains("mapping values are not allowed")
    {
        Some("check the indentation and quoting on this line and the one before".to_string())
    } else {
        None
    };
    match hint {
        Some(h) => issue.hint(h),
        None => issue,
    }
}

fn between<'a>(text: &'a str, start: &str, end: &str) -> Option<&'a str> {
    let from = text.find(start)? + start.len();
    let len = text[from..].find(end)?;
    Some(&text[from..from + len])
}
