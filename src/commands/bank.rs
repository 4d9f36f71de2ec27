//! `sdi list`, `sdi show ID` and `sdi validate`: the bank as a learner and as an
//! author see it.

use crate::bank::view::{ListRow, ProblemView, ValidateView};
use crate::bank::{Bank, Header, Origin};
use crate::quantity;
use crate::ui::Palette;
use crate::ui::doc::{self, Block, Doc, Text, Tone};
use std::io::Write;

/// `sdi list`: one row per problem. `last_scores` maps a problem id to the score
/// of its latest completed session.
pub(super) fn list(
    problems: &[Header],
    last_scores: &dyn Fn(&str) -> Option<f64>,
    json: bool,
    palette: Palette,
) -> anyhow::Result<()> {
    let rows: Vec<ListRow> = problems
        .iter()
        .map(|h| ListRow::new(h, last_scores(&h.id)))
        .collect();
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    let mut doc = Doc::default();
    doc.push(Block::Table {
        header: ["ID", "Title", "Difficulty", "Tags", "Last score"]
            .map(String::from)
            .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                vec![
                    Text::plain(r.id.clone()),
                    Text::plain(r.title.clone()),
                    Text::plain(r.difficulty.label()),
                    Text::plain(r.tags.join(", ")),
                    Text::plain(
                        r.last_score
                            .map_or_else(|| "-".to_string(), |s| format!("{s:.0}")),
                    ),
                ]
            })
            .collect(),
    });
    write!(out, "{}", doc::render_text(&doc, palette, doc::width()))?;
    Ok(())
}

pub(super) fn show(
    bank: &Bank,
    id: &str,
    json: bool,
    key: bool,
    palette: Palette,
) -> anyhow::Result<()> {
    let view = ProblemView::new(bank.problem(id)?);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(());
    }
    write!(
        out,
        "{}",
        doc::render_text(&problem_doc(&view, key), palette, doc::width())
    )?;
    Ok(())
}

/// A problem as a document: what a candidate needs to sit it, and with `key`
/// the worked references and what strong answers say.
fn problem_doc(p: &ProblemView, key: bool) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Title(
        format!("{}  ({}, {})", p.title, p.id, p.difficulty.label()),
        Some(format!("tags: {}", p.tags.join(", "))),
    ));
    doc.push(Block::Para(Text::plain(p.statement.trim())));
    doc.push(Block::Heading("Assumptions".into()));
    doc.push(Block::Table {
        header: ["Name", "Value", "Meaning", "Drills draw"]
            .map(String::from)
            .to_vec(),
        rows: p
            .assumptions
            .iter()
            .map(|a| {
                vec![
                    Text::plain(a.name.clone()),
                    Text::plain(a.shown.clone()),
                    Text::plain(a.description.clone()),
                    Text::plain(a.draws.clone().unwrap_or_else(|| "-".into())),
                ]
            })
            .collect(),
    });
    doc.push(Block::Heading("What the interviewer answers".into()));
    doc.push(Block::Bullets(
        p.clarifications
            .iter()
            .map(|c| Text::plain(format!("{}\n{}", c.question, c.answer)))
            .collect(),
    ));
    if key {
        doc.push(Block::Heading("Estimates, with worked references".into()));
        let items = p
            .estimates
            .iter()
            .map(|e| {
                let mut text = format!(
                    "{}  [{}, answer in {}, within {}x]\n{} = {}",
                    e.question,
                    e.skill,
                    e.unit,
                    quantity::format_number(e.tolerance, false),
                    e.id,
                    e.expression
                );
                if e.derivation != e.expression {
                    text.push_str(&format!("\n  = {}", e.derivation));
                }
                text.push_str(&format!(
                    "\n  = {}\nwhy: {}",
                    e.reference_shown,
                    one_line(&e.explanation)
                ));
                Text::plain(text)
            })
            .collect();
        doc.push(Block::Numbered(items));
    } else {
        doc.push(Block::Heading("Estimates to make".into()));
        doc.push(Block::Numbered(
            p.estimates
                .iter()
                .map(|e| {
                    Text::plain(format!(
                        "{}  [{}, answer in {}, within {}x]",
                        e.question,
                        e.skill,
                        e.unit,
                        quantity::format_number(e.tolerance, false)
                    ))
                })
                .collect(),
        ));
        doc.push(Block::Para(Text::toned(
            format!(
                "The references are hidden: `sdi show {} --key` shows them worked out, with what strong answers say.",
                p.id
            ),
            Tone::Dim,
        )));
    }
    if !p.scale.not_needed.is_empty() || p.scale.ratio.is_some() {
        doc.push(Block::Heading(
            "Scaling milestones, for this problem".into(),
        ));
        let mut items: Vec<Text> = p
            .scale
            .ratio
            .iter()
            .map(|r| Text::plain(one_line(r)))
            .collect();
        items.extend(p.scale.not_needed.iter().map(|n| {
            Text::plain(format!(
                "not needed here: {}, because {}",
                n.item.label(),
                one_line(&n.why)
            ))
        }));
        doc.push(Block::Bullets(items));
    }
    doc.push(Block::Heading("Phases".into()));
    doc.push(Block::Table {
        header: ["Phase", "Minutes", "Goal"].map(String::from).to_vec(),
        rows: p
            .phases
            .iter()
            .map(|ph| {
                vec![
                    Text::plain(ph.id.title()),
                    Text::plain(quantity::format_number(ph.minutes, false)),
                    Text::plain(ph.goal.clone()),
                ]
            })
            .collect(),
    });
    if key {
        doc.push(Block::Heading("What strong answers say".into()));
        doc.push(Block::Bullets(
            p.rubric
                .criteria
                .iter()
                .map(|c| {
                    Text::plain(format!(
                        "{} [{}, {}, weight {}]: {}",
                        c.title,
                        c.phase.title(),
                        c.level,
                        quantity::format_number(c.weight, false),
                        one_line(&c.strong)
                    ))
                })
                .collect(),
        ));
    }
    let own = p.rubric.criteria.iter().filter(|c| !c.shared).count();
    doc.push(Block::Para(Text::plain(format!(
        "Rubric: {} ({own} for this problem, {} shared), {}.",
        plural(p.rubric.criteria.len(), "criterion", "criteria"),
        p.rubric.criteria.len() - own,
        plural(p.rubric.red_flags.len(), "red flag", "red flags"),
    ))));
    doc.push(Block::Para(Text::plain(format!(
        "Sit it: `sdi practice {id}` or `sdi mock {id}`; or write your answer in a file from `sdi grade {id} --template > answers.yaml` and score it with `sdi grade {id} --answers answers.yaml`.",
        id = p.id
    ))));
    if !p.sources.is_empty() {
        doc.push(Block::Subheading("Sources".into()));
        doc.push(Block::Bullets(
            p.sources
                .iter()
                .map(|s| Text::toned(s.clone(), Tone::Dim))
                .collect(),
        ));
    }
    doc
}

/// "1 red flag", "3 red flags".
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `sdi validate`: every issue to stderr, a summary to stdout, exit 1 on
/// errors; with `--json`, the findings as one value on stdout.
pub(super) fn validate(origin: &Origin, json: bool, palette: Palette) -> anyhow::Result<()> {
    let checked = super::leak(Bank::check(origin, false)?);
    let errors = checked.issues.iter().filter(|i| i.is_error()).count();
    let view = ValidateView {
        bank: origin.to_string(),
        ok: errors == 0,
        problems: checked.valid_problems,
        files: checked.files,
        errors,
        warnings: checked.issues.len() - errors,
        issues: checked.issues.clone(),
        checked_when_built: checked.at_build,
    };
    if json {
        writeln!(
            std::io::stdout().lock(),
            "{}",
            serde_json::to_string_pretty(&view)?
        )?;
        if !view.ok {
            return Err(super::Reported.into());
        }
        return Ok(());
    }
    {
        let mut err = std::io::stderr().lock();
        for issue in &view.issues {
            let label = format!("{}:", issue.severity.label());
            let label = if issue.is_error() {
                palette.bad(&label)
            } else {
                palette.warn(&label)
            };
            writeln!(err, "{}: {label} {}", issue.location(), issue.body())?;
        }
    }
    if !view.ok {
        anyhow::bail!(
            "{}: {} and {} in {}",
            view.bank,
            plural(view.errors, "error", "errors"),
            plural(view.warnings, "warning", "warnings"),
            plural(view.files, "file", "files")
        );
    }
    writeln!(
        std::io::stdout().lock(),
        "{}: ok, {} in {} ({}{})",
        view.bank,
        plural(view.problems, "problem", "problems"),
        plural(view.files, "file", "files"),
        plural(view.warnings, "warning", "warnings"),
        if view.checked_when_built {
            "; checked when sdi was built"
        } else {
            ""
        }
    )?;
    Ok(())
}
