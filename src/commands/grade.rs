//! `sdi grade ID --answers FILE` and `sdi grade ID --template`.

use crate::bank::Bank;
use crate::grade::{self, answers};
use crate::ui::{Palette, report};
use anyhow::Context;
use std::io::Write;
use std::path::Path;

pub fn template(bank: &Bank, id: &str) -> anyhow::Result<()> {
    let problem = bank.problem(id)?;
    write!(std::io::stdout().lock(), "{}", answers::template(problem))?;
    Ok(())
}

pub fn run(bank: &Bank, id: &str, file: &Path, json: bool, palette: Palette) -> anyhow::Result<()> {
    let problem = bank.problem(id)?;
    let text = read_answers(file)?;
    let answer = answers::parse(problem, &file.display().to_string(), &text)?;
    let report = grade::grade(problem, &bank.glossary, &answer);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&report)?)?;
    } else {
        write!(out, "{}", report::render_text(&report, palette))?;
    }
    Ok(())
}

/// Reads the answers file, or stdin for `-`, with a clear message when it
/// cannot be read.
fn read_answers(file: &Path) -> anyhow::Result<String> {
    if file == Path::new("-") {
        let mut text = String::new();
        std::io::Read::read_to_string(&mut std::io::stdin(), &mut text)
            .context("cannot read answers from stdin")?;
        return Ok(text);
    }
    let bytes = std::fs::read(file)
        .with_context(|| format!("cannot read the answers file {}", file.display()))?;
    String::from_utf8(bytes).map_err(|_| anyhow::anyhow!("{} is not UTF-8 text", file.display()))
}
