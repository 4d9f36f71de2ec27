//! A document: what a command shows, as headings, paragraphs, lists, quotes
//! and tables, built once from a command's view and drawn by two renderers,
//! the terminal's and Markdown's. A section exists in both formats because
//! both draw the same document; only styling differs.
//!
//! The terminal renderer wraps prose to the width and lays tables out so that
//! no word is broken: when the columns cannot each fit their longest word, the
//! table is drawn as one record per row instead.

use super::Palette;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};
use std::fmt::Write;

/// How a piece of text is coloured on a terminal (and left plain in Markdown).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tone {
    Plain,
    Good,
    Fair,
    Poor,
    Strong,
    Dim,
}

/// A table cell: text and its tone.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Text {
    pub(crate) text: String,
    pub(crate) tone: Tone,
}

impl Text {
    pub(crate) fn plain(text: impl Into<String>) -> Text {
        Text {
            text: text.into(),
            tone: Tone::Plain,
        }
    }

    pub(crate) fn toned(text: impl Into<String>, tone: Tone) -> Text {
        Text {
            text: text.into(),
            tone,
        }
    }
}

impl From<String> for Text {
    fn from(text: String) -> Text {
        Text::plain(text)
    }
}

impl From<&str> for Text {
    fn from(text: &str) -> Text {
        Text::plain(text)
    }
}

/// One block of a document.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Block {
    /// The document's title and a line under it.
    Title(String, Option<String>),
    /// A section heading.
    Heading(String),
    /// A smaller heading inside a section.
    Subheading(String),
    /// Prose, wrapped to the width.
    Para(Text),
    /// A bulleted list.
    Bullets(Vec<Text>),
    /// A numbered list.
    Numbered(Vec<Text>),
    /// Lines as written by someone (the candidate, the interviewer): kept
    /// line by line, each wrapped on its own.
    Quote(Vec<String>),
    Table {
        header: Vec<String>,
        rows: Vec<Vec<Text>>,
    },
}

/// A document: blocks in order.
#[derive(Debug, Clone, Default, PartialEq)]
pub(crate) struct Doc {
    pub(crate) blocks: Vec<Block>,
}

impl Doc {
    pub(crate) fn push(&mut self, block: Block) -> &mut Doc {
        self.blocks.push(block);
        self
    }
}

/// The width to draw for: the terminal's when stdout is one, else `COLUMNS`
/// when set, else 100, so piped output is the same from one run to the next.
pub(crate) fn width() -> usize {
    use std::io::IsTerminal;
    if std::io::stdout().is_terminal()
        && let Some((terminal_size::Width(w), _)) = terminal_size::terminal_size()
    {
        return usize::from(w).max(MIN_WIDTH);
    }
    std::env::var("COLUMNS")
        .ok()
        .and_then(|c| c.trim().parse::<usize>().ok())
        .filter(|w| *w > 0)
        .unwrap_or(PIPED_WIDTH)
        .max(MIN_WIDTH)
}

/// Piped output's width when `COLUMNS` is not set.
const PIPED_WIDTH: usize = 100;
/// Narrower than this, nothing reads well; draw at this width.
const MIN_WIDTH: usize = 40;

fn paint(palette: Palette, text: &str, tone: Tone) -> String {
    match tone {
        Tone::Plain => text.to_string(),
        Tone::Good => palette.good(text),
        Tone::Fair => palette.warn(text),
        Tone::Poor => palette.bad(text),
        Tone::Strong => palette.bold(text),
        Tone::Dim => palette.dim(text),
    }
}

/// Wraps `text` to `width`: its first line starts with `first`, every later
/// line (wrapped, or a line of its own in `text`) with `rest`.
///
/// Lines break only at spaces, first fit: a word is never split, not even
/// at a hyphen ("write-through" stays whole, so a quoted term reads as
/// written), and a word longer than the line gets a line of its own.
fn wrap(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    wrap_to(
        text,
        width.max(first.len().max(rest.len()) + 10),
        first,
        rest,
    )
}

/// [`wrap`] to exactly `width`, however narrow (a table's column).
fn wrap_to(text: &str, width: usize, first: &str, rest: &str) -> Vec<String> {
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let lead = if i == 0 { first } else { rest };
        if line.trim().is_empty() {
            out.push(String::new());
            continue;
        }
        let mut current = String::from(lead);
        let mut used = columns(lead);
        // Whether `current` holds a word yet, and the spaces after its last one.
        let mut started = false;
        let mut spaces = "";
        for (word, after) in words_and_spaces(line) {
            let needed = columns(word);
            if started && used + spaces.len() + needed > width {
                out.push(std::mem::replace(&mut current, String::from(rest)));
                used = columns(rest);
            } else {
                current.push_str(spaces);
                used += spaces.len();
            }
            current.push_str(word);
            used += needed;
            started = true;
            spaces = after;
        }
        out.push(current);
    }
    out
}

/// A line as words, each with the run of spaces after it; spaces before the
/// first word come as an empty word, so an indented line stays indented.
fn words_and_spaces(line: &str) -> impl Iterator<Item = (&str, &str)> {
    let bytes = line.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        if at >= bytes.len() {
            return None;
        }
        let start = at;
        while at < bytes.len() && bytes[at] != b' ' {
            at += 1;
        }
        let word_end = at;
        while at < bytes.len() && bytes[at] == b' ' {
            at += 1;
        }
        // Spaces are ASCII, so both ends are character boundaries.
        Some((&line[start..word_end], &line[word_end..at]))
    })
}

/// The columns `text` takes on a terminal.
fn columns(text: &str) -> usize {
    if text.is_ascii() {
        text.len()
    } else {
        unicode_width::UnicodeWidthStr::width(text)
    }
}

/// The document for a terminal (or a pipe): wrapped to `width`, coloured by
/// `palette`.
pub(crate) fn render_text(doc: &Doc, palette: Palette, width: usize) -> String {
    let mut out = String::new();
    for (i, block) in doc.blocks.iter().enumerate() {
        // A blank line between blocks; a heading keeps its content close.
        let after_heading =
            i > 0 && matches!(doc.blocks[i - 1], Block::Heading(_) | Block::Subheading(_));
        if i > 0 && !after_heading && !out.ends_with("\n\n") {
            out.push('\n');
        }
        match block {
            Block::Title(title, under) => {
                for line in wrap(title, width, "", "") {
                    let _ = writeln!(out, "{}", palette.bold(&line));
                }
                if let Some(under) = under {
                    for line in wrap(under, width, "", "") {
                        let _ = writeln!(out, "{}", palette.dim(&line));
                    }
                }
                out.push('\n');
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "{}", palette.bold(h));
            }
            Block::Subheading(h) => {
                let _ = writeln!(out, "{}", palette.bold(h));
            }
            Block::Para(t) => {
                for line in wrap(&t.text, width, "", "") {
                    let _ = writeln!(out, "{}", paint(palette, &line, t.tone));
                }
            }
            Block::Bullets(items) => {
                for t in items {
                    for line in wrap(&t.text, width, "  - ", "    ") {
                        let _ = writeln!(out, "{}", paint(palette, &line, t.tone));
                    }
                }
            }
            Block::Numbered(items) => {
                for (n, t) in items.iter().enumerate() {
                    let first = format!("  {}. ", n + 1);
                    let rest = " ".repeat(first.len());
                    for line in wrap(&t.text, width, &first, &rest) {
                        let _ = writeln!(out, "{}", paint(palette, &line, t.tone));
                    }
                }
            }
            Block::Quote(lines) => {
                for l in lines {
                    for line in wrap(l, width, "  > ", "    ") {
                        let _ = writeln!(out, "{line}");
                    }
                }
            }
            Block::Table { header, rows } => {
                out.push_str(&table_text(header, rows, palette, width));
            }
        }
    }
    out
}

/// The longest word of a text, in columns: a table column narrower than
/// this would break it.
fn longest_word(text: &str) -> usize {
    text.split_whitespace()
        .map(unicode_width::UnicodeWidthStr::width)
        .max()
        .unwrap_or(0)
}

/// The widest line of a text, in columns.
fn widest_line(text: &str) -> usize {
    text.lines().map(columns).max().unwrap_or(0)
}

/// Column widths that fill at most `budget`: each column is as wide as a
/// common level allows (never below its longest word, `needed`, which all
/// fit: the caller checked; never above its widest line, `natural`), the
/// level as high as the budget allows, and what is left over goes to the
/// first columns that can still use it.
fn fit_columns(natural: &[usize], needed: &[usize], budget: usize) -> Vec<usize> {
    let at = |level: usize| -> Vec<usize> {
        natural
            .iter()
            .zip(needed)
            .map(|(&n, &least)| level.min(n).max(least))
            .collect()
    };
    let top = natural.iter().copied().max().unwrap_or(0);
    // The highest level that fits, by bisection: widths grow with the level.
    let (mut low, mut high) = (0, top);
    while low < high {
        let mid = (low + high).div_ceil(2);
        if at(mid).iter().sum::<usize>() <= budget {
            low = mid;
        } else {
            high = mid - 1;
        }
    }
    let mut widths = at(low);
    let mut left = budget.saturating_sub(widths.iter().sum());
    for (w, &n) in widths.iter_mut().zip(natural) {
        let more = (n - (*w).min(n)).min(left);
        *w += more;
        left -= more;
    }
    widths
}

fn table_text(header: &[String], rows: &[Vec<Text>], palette: Palette, width: usize) -> String {
    let columns = header.len();
    // Each column needs its longest word plus a space either side and a border.
    // The most `measure` gives any cell of column `c`, its header included.
    let most = |c: usize, measure: fn(&str) -> usize| {
        rows.iter()
            .filter_map(|r| r.get(c))
            .map(|t| measure(&t.text))
            .chain(std::iter::once(measure(&header[c])))
            .max()
            .unwrap_or(1)
    };
    let needed: Vec<usize> = (0..columns).map(|c| most(c, longest_word)).collect();
    // A border and a space either side per column, and the last border.
    let frame = columns * 3 + 1;
    let total: usize = needed.iter().sum::<usize>() + frame;
    if total > width {
        return records_text(header, rows, palette, width);
    }
    let natural: Vec<usize> = (0..columns)
        .map(|c| most(c, widest_line).max(needed[c]))
        .collect();
    let widths = fit_columns(&natural, &needed, width - frame);
    // Cells are wrapped here, to the widths just chosen, so the table only
    // draws them: arranging and wrapping is most of what drawing a table
    // costs, and here it is one pass at spaces.
    let wrapped = |text: &str, c: usize| wrap_to(text, widths[c], "", "").join("\n");
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Disabled);
    if palette.enabled {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(
        header
            .iter()
            .enumerate()
            .map(|(c, h)| Cell::new(wrapped(h, c))),
    );
    for row in rows {
        table.add_row(row.iter().enumerate().map(|(c, t)| {
            let cell = Cell::new(wrapped(&t.text, c));
            match t.tone {
                Tone::Good => cell.fg(Color::Green),
                Tone::Fair => cell.fg(Color::Yellow),
                Tone::Poor => cell.fg(Color::Red),
                Tone::Strong => cell.add_attribute(comfy_table::Attribute::Bold),
                Tone::Dim => cell.add_attribute(comfy_table::Attribute::Dim),
                Tone::Plain => cell,
            }
        }));
    }
    format!("{table}\n")
}

/// A table too wide for the width, one record per row: the first column as
/// the record's title, then the other columns as "Header: value", joined by
/// " · " and wrapped under it.
fn records_text(header: &[String], rows: &[Vec<Text>], palette: Palette, width: usize) -> String {
    let mut out = String::new();
    for row in rows {
        let mut cells = row.iter().zip(header);
        if let Some((first, _)) = cells.next() {
            for line in wrap(&first.text, width, "", "  ") {
                let _ = writeln!(out, "{}", palette.bold(&line));
            }
        }
        let fields: Vec<String> = cells
            .filter(|(cell, _)| !cell.text.trim().is_empty())
            .map(|(cell, name)| {
                let text = cell.text.replace('\n', " ");
                if name.is_empty() {
                    text
                } else {
                    format!("{name}: {text}")
                }
            })
            .collect();
        for line in wrap(&fields.join(" · "), width, "  ", "  ") {
            let _ = writeln!(out, "{line}");
        }
    }
    out
}

/// Escapes what Markdown would read as markup inside a table cell.
fn cell_md(text: &str) -> String {
    text.replace('|', "\\|").replace('\n', "<br>")
}

/// The document as Markdown: the same blocks, no colour.
pub(crate) fn render_markdown(doc: &Doc) -> String {
    let mut out = String::new();
    for block in &doc.blocks {
        match block {
            Block::Title(title, under) => {
                let _ = writeln!(out, "# {title}\n");
                if let Some(under) = under {
                    let _ = writeln!(out, "_{under}_\n");
                }
            }
            Block::Heading(h) => {
                let _ = writeln!(out, "## {h}\n");
            }
            Block::Subheading(h) => {
                let _ = writeln!(out, "### {h}\n");
            }
            Block::Para(t) => {
                let _ = writeln!(out, "{}\n", t.text);
            }
            Block::Bullets(items) => {
                for t in items {
                    let _ = writeln!(out, "- {}", t.text.replace('\n', "\n  "));
                }
                out.push('\n');
            }
            Block::Numbered(items) => {
                for (n, t) in items.iter().enumerate() {
                    let _ = writeln!(out, "{}. {}", n + 1, t.text.replace('\n', "\n   "));
                }
                out.push('\n');
            }
            Block::Quote(lines) => {
                for l in lines {
                    let _ = writeln!(out, "> {l}  ");
                }
                out.push('\n');
            }
            Block::Table { header, rows } => {
                let _ = writeln!(out, "| {} |", header.join(" | "));
                let _ = writeln!(out, "|{}", "---|".repeat(header.len()));
                for row in rows {
                    let cells: Vec<String> = row.iter().map(|t| cell_md(&t.text)).collect();
                    let _ = writeln!(out, "| {} |", cells.join(" | "));
                }
                out.push('\n');
            }
        }
    }
    out.trim_end().to_string() + "\n"
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample() -> Doc {
        let mut doc = Doc::default();
        doc.push(Block::Title("A title".into(), Some("under it".into())))
            .push(Block::Heading("Section".into()))
            .push(Block::Para(Text::plain(
                "A paragraph long enough to wrap at sixty columns when it is drawn on a narrow terminal window.",
            )))
            .push(Block::Table {
                header: vec!["Name".into(), "What it means".into()],
                rows: vec![vec![
                    Text::plain("daily_active_users"),
                    Text::plain("users who open the app on a given day, counted once each"),
                ]],
            });
        doc
    }

    #[test]
    fn no_word_is_broken_at_any_width() {
        for width in [40, 60, 80, 120] {
            let text = render_text(&sample(), Palette::plain(), width);
            for word in ["daily_active_users", "paragraph", "terminal"] {
                assert!(text.contains(word), "width {width}: {word} broken:\n{text}");
            }
            for line in text.lines() {
                assert!(
                    unicode_width::UnicodeWidthStr::width(line) <= width,
                    "width {width}: {line:?} is too long"
                );
            }
        }
    }

    #[test]
    fn every_block_reaches_markdown() {
        let md = render_markdown(&sample());
        assert!(md.starts_with("# A title\n\n_under it_"));
        assert!(md.contains("## Section"));
        assert!(md.contains("| Name | What it means |"));
        assert!(md.contains("| daily_active_users | users who open"));
    }
}
