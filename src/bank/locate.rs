//! Finds where a field sits in a YAML file, for diagnostics about values that
//! parsed fine but mean something wrong (an unknown name in an expression, a
//! duplicate id). serde keeps no positions after deserializing, so this walks the
//! text of block-style YAML, the style bank files are written in: keys by
//! indentation, list items by their `- ` markers. When the file is written some
//! other way (flow style), it finds nothing and the diagnostic goes without a line.

/// One step of a field path: a mapping key or a list index.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Step {
    /// Static for the format's own keys (no allocation), owned for names.
    Key(std::borrow::Cow<'static, str>),
    Index(usize),
}

/// A field path such as `estimates[2].expr`. Paths are built for every field
/// checked, so they live inline (no allocation but for a name that is not one of
/// the format's own keys); bank files never nest deeper than [`MAX_DEPTH`].
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub(crate) struct FieldPath {
    steps: [Step; MAX_DEPTH],
    len: u8,
}

pub(super) const MAX_DEPTH: usize = 8;

impl Default for Step {
    fn default() -> Step {
        Step::Index(0)
    }
}

impl FieldPath {
    pub(crate) fn root() -> FieldPath {
        FieldPath::default()
    }

    #[cfg(test)]
    pub(crate) fn new(steps: Vec<Step>) -> FieldPath {
        let mut path = FieldPath::root();
        for step in steps {
            path = path.push(step);
        }
        path
    }

    fn push(&self, step: Step) -> FieldPath {
        let mut path = self.clone();
        if usize::from(path.len) < MAX_DEPTH {
            path.steps[usize::from(path.len)] = step;
            path.len += 1;
        }
        path
    }

    pub(crate) fn steps(&self) -> &[Step] {
        &self.steps[..usize::from(self.len)]
    }

    pub(crate) fn key(&self, key: impl Into<std::borrow::Cow<'static, str>>) -> FieldPath {
        self.push(Step::Key(key.into()))
    }

    pub(crate) fn index(&self, i: usize) -> FieldPath {
        self.push(Step::Index(i))
    }
}

impl std::fmt::Display for FieldPath {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for (i, step) in self.steps().iter().enumerate() {
            match step {
                Step::Key(k) if i == 0 => write!(f, "{k}")?,
                Step::Key(k) => write!(f, ".{k}")?,
                Step::Index(n) => write!(f, "[{n}]")?,
            }
        }
        Ok(())
    }
}

/// A 1-based line and column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Position {
    pub line: usize,
    pub column: usize,
}

struct Line<'a> {
    /// 0-based line number.
    number: usize,
    /// Column (0-based, in chars) where the content starts after `- ` markers.
    content_col: usize,
    /// Columns of the `- ` markers on this line.
    dashes: Vec<usize>,
    content: &'a str,
}

fn split_lines(text: &str) -> Vec<Line<'_>> {
    text.lines()
        .enumerate()
        .filter_map(|(number, raw)| {
            let mut col = raw.len() - raw.trim_start_matches(' ').len();
            let mut rest = &raw[col..];
            let mut dashes = Vec::new();
            while let Some(after) = rest
                .strip_prefix("- ")
                .or_else(|| (rest == "-").then_some(""))
            {
                dashes.push(col);
                let spaces = after.len() - after.trim_start_matches(' ').len();
                col += 1 + (rest.len() - 1 - after.len()) + spaces;
                rest = &after[spaces..];
            }
            let blank = rest.is_empty() || rest.starts_with('#');
            if blank && dashes.is_empty() {
                return None;
            }
            Some(Line {
                number,
                content_col: col,
                dashes,
                content: rest,
            })
        })
        .collect()
}

/// The key of a `key: value` line, unquoted.
fn key_of(content: &str) -> Option<&str> {
    let colon = content.find(':')?;
    let after = &content[colon + 1..];
    if !(after.is_empty() || after.starts_with(' ')) {
        return None;
    }
    Some(content[..colon].trim().trim_matches('"').trim_matches('\''))
}

/// Where the field at `path` starts in `text`: the value's position when it is on
/// the key's line, else the key's.
pub(crate) fn locate(text: &str, path: &FieldPath) -> Option<Position> {
    let lines = split_lines(text);
    // The block being searched: a slice of lines and the column its keys sit at.
    let mut block: &[Line] = &lines;
    let mut block_col: usize = 0;
    let mut found: Option<Position> = None;
    for step in path.steps() {
        match step {
            Step::Key(key) => {
                // A key not found (the path goes into a flow mapping) leaves the
                // best position so far: the enclosing field.
                let Some(at) = block
                    .iter()
                    .position(|l| l.content_col == block_col && key_of(l.content) == Some(key))
                else {
                    return found;
                };
                let line = &block[at];
                let colon = line.content.find(':').unwrap_or(0);
                let value = &line.content[colon + 1..];
                let value_offset = value.len() - value.trim_start().len();
                found = Some(if value.trim().is_empty() {
                    Position {
                        line: line.number + 1,
                        column: line.content_col + 1,
                    }
                } else {
                    Position {
                        line: line.number + 1,
                        column: line.content_col + colon + 1 + value_offset + 1,
                    }
                });
                // The value's block: following lines indented deeper than the key
                // (or list items at the key's column, which YAML allows).
                let rest = &block[at + 1..];
                let end = rest
                    .iter()
                    .position(|l| {
                        let starts = l.dashes.first().copied().unwrap_or(l.content_col);
                        starts < block_col || (starts == block_col && l.dashes.is_empty())
                    })
                    .unwrap_or(rest.len());
                block = &rest[..end];
                block_col = block.first().map_or(block_col + 2, |l| {
                    l.dashes.first().copied().unwrap_or(l.content_col)
                });
            }
            Step::Index(n) => {
                // Items are lines with a dash at the block's column.
                let dash_col = block_col;
                let starts: Vec<usize> = block
                    .iter()
                    .enumerate()
                    .filter(|(_, l)| l.dashes.first() == Some(&dash_col))
                    .map(|(i, _)| i)
                    .collect();
                let Some(&start) = starts.get(*n) else {
                    // A flow list (`[a, b]`): the enclosing key is the best we have.
                    return found;
                };
                let end = starts.get(n + 1).copied().unwrap_or(block.len());
                let first = &block[start];
                found = Some(Position {
                    line: first.number + 1,
                    column: dash_col + 1,
                });
                // Keys of the item sit after its dash (nested dashes aside).
                block_col = if first.dashes.len() > 1 {
                    first.dashes[1]
                } else {
                    first.content_col
                };
                let item = &block[start..end];
                // The first line's content starts at block_col already; later lines
                // are plain keys at that column.
                block = item;
                if first.dashes.len() > 1 {
                    // A list of lists: keep the nested dash as the next index level.
                    continue;
                }
                // Let key lookups see the first line as a key at block_col.
            }
        }
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;

    const DOC: &str = "\
version: 1
id: demo
assumptions:
  users_per_day:
    value: \"100M\"
    description: people
estimates:
  - id: first
    expr: \"users_per_day / day\"
    unit: req/s
  - id: second
    expr: first * 2
phases:
- id: requirements
  minutes: 5
";

    fn at(path: &[&str]) -> Option<(usize, usize)> {
        let steps = path
            .iter()
            .map(|s| match s.parse::<usize>() {
                Ok(n) => Step::Index(n),
                Err(_) => Step::Key(s.to_string().into()),
            })
            .collect();
        locate(DOC, &FieldPath::new(steps)).map(|p| (p.line, p.column))
    }

    #[test]
    fn finds_top_level_and_nested_keys() {
        assert_eq!(at(&["id"]), Some((2, 5)));
        assert_eq!(
            at(&["assumptions", "users_per_day", "value"]),
            Some((5, 12))
        );
        assert_eq!(at(&["assumptions", "users_per_day"]), Some((4, 3)));
    }

    #[test]
    fn finds_list_items_and_their_keys() {
        assert_eq!(at(&["estimates", "0", "expr"]), Some((9, 11)));
        assert_eq!(at(&["estimates", "1", "expr"]), Some((12, 11)));
        assert_eq!(at(&["estimates", "1", "id"]), Some((11, 9)));
        assert_eq!(at(&["estimates", "1"]), Some((11, 3)));
    }

    #[test]
    fn lists_may_sit_at_the_key_column() {
        assert_eq!(at(&["phases", "0", "minutes"]), Some((15, 12)));
    }

    #[test]
    fn missing_paths_give_the_nearest_field_found() {
        assert_eq!(at(&["estimates", "5"]), Some((7, 1)));
        assert_eq!(at(&["nope"]), None);
    }

    #[test]
    fn paths_print_like_serde_paths() {
        let path = FieldPath::root().key("estimates").index(2).key("expr");
        assert_eq!(path.to_string(), "estimates[2].expr");
    }
}
