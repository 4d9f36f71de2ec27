//! `sdi grade ID --answers FILE` and `sdi grade ID --template`.

use super::Format;
use crate::bank::Bank;
use crate::grade::{self, answers};
use crate::ui::{Palette, report};
use std::io::Write;
use std::path::Path;

pub(super) fn template(bank: &Bank, id: &str) -> anyhow::Result<()> {
    let problem = bank.problem(id)?;
    write!(std::io::stdout().lock(), "{}", answers::template(problem))?;
    Ok(())
}

pub(super) fn run(
    bank: &Bank,
    id: &str,
    file: &Path,
    format: Format,
    palette: Palette,
) -> anyhow::Result<()> {
    let problem = bank.problem(id)?;
    let text = read_answers(file)?;
    let answer = answers::parse(problem, &file.display().to_string(), &text)?;
    let report = grade::grade(problem, &bank.glossary, &answer);
    let view = grade::ReportView::of_answer(&report, &answer);
    print_report(&view, format, palette)
}

/// A report view in the format asked for.
pub(super) fn print_report(
    view: &grade::ReportView<'_>,
    format: Format,
    palette: Palette,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    match format {
        Format::Json => writeln!(out, "{}", serde_json::to_string_pretty(view)?)?,
        Format::Markdown => write!(out, "{}", report::render_markdown(view))?,
        Format::Text => write!(out, "{}", report::render_text(view, palette))?,
    }
    Ok(())
}

/// Reads the answers file, or stdin for `-`, with a clear message when it
/// cannot be read: only a regular file, never past 1 MiB.
fn read_answers(file: &Path) -> anyhow::Result<String> {
    let limit = answers::MAX_ANSWERS_BYTES;
    let read = if file == Path::new("-") {
        crate::files::read_bounded(std::io::stdin().lock(), "standard input", limit)
    } else {
        crate::files::read_text(file, limit)
    };
    read.map_err(|e| match e {
        crate::files::ReadError::TooLarge(name, _) => anyhow::anyhow!(
            "{name} is over 1 MiB: an answers file is text for seven phases and a few numbers"
        ),
        crate::files::ReadError::Io(name, io) => {
            anyhow::anyhow!("cannot read the answers file {name}: {io}")
        }
        other => anyhow::anyhow!("the answers file: {other}"),
    })
}
