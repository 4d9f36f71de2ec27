//! `sdi list`, `sdi show ID` and `sdi validate`: the bank as a learner and as an
//! author see it.

use crate::bank::{Bank, Draw, Header, Origin, Problem};
use crate::quantity;
use crate::ui::Palette;
use crate::ui::table::new_table;
use serde_json::{Value, json};
use std::io::Write;

/// `sdi list`: one row per problem. `last_scores` maps a problem id to the score
/// of its latest completed session.
pub(super) fn list(
    problems: &[Header],
    last_scores: &dyn Fn(&str) -> Option<f64>,
    json: bool,
    palette: Palette,
) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<Value> = problems
            .iter()
            .map(|p| {
                json!({
                    "id": p.id,
                    "title": p.title,
                    "difficulty": p.difficulty.as_str(),
                    "tags": p.tags,
                    "summary": p.summary.trim(),
                    "last_score": last_scores(&p.id),
                })
            })
            .collect();
        writeln!(out, "{}", serde_json::to_string_pretty(&rows)?)?;
        return Ok(());
    }
    let mut table = new_table(
        palette,
        &["ID", "Title", "Difficulty", "Tags", "Last score"],
    );
    for p in problems {
        let score = last_scores(&p.id).map_or_else(|| "-".to_string(), |s| format!("{s:.0}"));
        table.add_row(vec![
            p.id.clone(),
            p.title.clone(),
            p.difficulty.as_str().to_string(),
            p.tags.join(", "),
            score,
        ]);
    }
    writeln!(out, "{table}")?;
    Ok(())
}

/// The derivation of every estimate: the expression, the values substituted, the result.
pub(super) struct Worked {
    pub expression: String,
    pub substituted: String,
    pub shown: String,
    pub value: f64,
    /// The explanation with its placeholders filled.
    pub explanation: String,
}

pub(super) fn worked(problem: &Problem) -> Vec<Worked> {
    let scope = problem.scope();
    problem
        .estimates
        .iter()
        .map(|e| Worked {
            expression: e.expr.clone(),
            substituted: problem.substituted(e, &scope),
            shown: Problem::shown_reference(e, &e.reference),
            value: e.reference.value_in(&e.unit),
            explanation: problem.explain(e, &scope, &Default::default()),
        })
        .collect()
}

pub(super) fn show(bank: &Bank, id: &str, json: bool, palette: Palette) -> anyhow::Result<()> {
    let p = bank.problem(id)?;
    let worked = worked(p);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(
            out,
            "{}",
            serde_json::to_string_pretty(&show_json(p, &worked))?
        )?;
        return Ok(());
    }
    writeln!(
        out,
        "{}  ({}, {})",
        palette.bold(&p.title),
        p.id,
        p.difficulty.as_str()
    )?;
    writeln!(
        out,
        "{}",
        palette.dim(&format!("tags: {}", p.tags.join(", ")))
    )?;
    writeln!(out)?;
    writeln!(out, "{}", p.statement)?;
    writeln!(out)?;

    writeln!(out, "{}", palette.bold("Assumptions"))?;
    let mut table = new_table(palette, &["Name", "Value", "Meaning", "Drills draw"]);
    for a in &p.assumptions {
        let draw = match &a.draw {
            Draw::Fixed => "-".to_string(),
            Draw::Range((lo, _), (hi, _)) => format!("{lo} to {hi}"),
            Draw::Choices(c) => c
                .iter()
                .map(|(text, _)| text.as_str())
                .collect::<Vec<_>>()
                .join(", "),
        };
        table.add_row(vec![a.name.clone(), a.shown(), a.description.clone(), draw]);
    }
    writeln!(out, "{table}")?;
    writeln!(out)?;

    writeln!(out, "{}", palette.bold("What the interviewer answers"))?;
    for c in &p.clarifications {
        writeln!(out, "  Q: {}", c.question)?;
        writeln!(out, "  A: {}", c.answer)?;
    }
    writeln!(out)?;

    writeln!(out, "{}", palette.bold("Estimates, with worked references"))?;
    for (i, (e, w)) in p.estimates.iter().zip(&worked).enumerate() {
        writeln!(
            out,
            "{}. {}  [{}, answer in {}, within {}x]",
            i + 1,
            e.question,
            e.skill,
            e.unit_text,
            quantity::format_number(e.tolerance, false)
        )?;
        let pad = " ".repeat(e.id.len() + 1);
        writeln!(out, "   {} = {}", e.id, w.expression)?;
        if w.substituted != w.expression {
            writeln!(out, "   {pad}= {}", w.substituted)?;
        }
        writeln!(out, "   {pad}= {}", palette.bold(&w.shown))?;
        writeln!(
            out,
            "   {}",
            palette.dim(&format!("why: {}", one_line(&w.explanation)))
        )?;
    }
    writeln!(out)?;

    if !p.scale.not_needed.is_empty() || p.scale.ratio.is_some() {
        writeln!(
            out,
            "{}",
            palette.bold("Scaling milestones, for this problem")
        )?;
        if let Some(ratio) = &p.scale.ratio {
            writeln!(out, "  {}", one_line(ratio))?;
        }
        for (item, why) in &p.scale.not_needed {
            writeln!(
                out,
                "  not needed here: {}, because {}",
                item.label(),
                one_line(why)
            )?;
        }
        writeln!(out)?;
    }

    writeln!(out, "{}", palette.bold("Phases"))?;
    let mut table = new_table(palette, &["Phase", "Minutes", "Goal"]);
    for phase in &p.phases {
        table.add_row(vec![
            phase.id.title().to_string(),
            quantity::format_number(phase.minutes, false),
            phase.goal.clone(),
        ]);
    }
    writeln!(out, "{table}")?;
    let own = p.rubric.criteria.iter().filter(|c| !c.shared).count();
    writeln!(
        out,
        "\nRubric: {} ({own} for this problem, {} shared), {}.\nSit it: `sdi practice {id}` or `sdi mock {id}`; or write your answer in a file from `sdi grade {id} --template > answers.yaml` and score it with `sdi grade {id} --answers answers.yaml`.",
        plural(p.rubric.criteria.len(), "criterion", "criteria"),
        p.rubric.criteria.len() - own,
        plural(p.rubric.red_flags.len(), "red flag", "red flags"),
        id = p.id
    )?;
    if !p.sources.is_empty() {
        writeln!(out, "\n{}", palette.dim("Sources:"))?;
        for s in &p.sources {
            writeln!(out, "{}", palette.dim(&format!("  - {s}")))?;
        }
    }
    Ok(())
}

/// "1 red flag", "3 red flags".
pub(super) fn plural(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

fn one_line(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn show_json(p: &Problem, worked: &[Worked]) -> Value {
    json!({
        "id": p.id,
        "title": p.title,
        "difficulty": p.difficulty.as_str(),
        "tags": p.tags,
        "summary": p.summary,
        "statement": p.statement,
        "sources": p.sources,
        "assumptions": p.assumptions.iter().map(|a| json!({
            "name": a.name,
            "value": a.text,
            "shown": a.shown(),
            "description": a.description,
        })).collect::<Vec<_>>(),
        "estimates": p.estimates.iter().zip(worked).map(|(e, w)| json!({
            "id": e.id,
            "question": e.question,
            "unit": e.unit_text,
            "skill": e.skill.as_str(),
            "tolerance": e.tolerance,
            "reference": w.value,
            "reference_shown": w.shown,
            "expression": w.expression,
            "derivation": w.substituted,
            "hint": e.hint,
            "explanation": w.explanation,
        })).collect::<Vec<_>>(),
        "scale": {
            "users": p.scale.users,
            "rps": p.scale.rps,
            "data": p.scale.data,
            "ratio": p.scale.ratio,
            "not_needed": p.scale.not_needed.iter().map(|(item, why)| json!({
                "item": item,
                "why": why,
            })).collect::<Vec<_>>(),
        },
        "clarifications": p.clarifications.iter().map(|c| json!({
            "question": c.question,
            "answer": c.answer,
        })).collect::<Vec<_>>(),
        "phases": p.phases.iter().map(|ph| json!({
            "id": ph.id.as_str(),
            "minutes": ph.minutes,
            "goal": ph.goal,
            "guidance": ph.guidance,
        })).collect::<Vec<_>>(),
        "rubric": {
            "estimates_weight": p.rubric.estimates_weight,
            "criteria": p.rubric.criteria.iter().map(|c| json!({
                "id": c.id,
                "phase": c.phase.as_str(),
                "level": c.level.as_str(),
                "weight": c.weight,
                "title": c.title,
                "strong": c.strong,
                "study": c.study,
                "shared": c.shared,
            })).collect::<Vec<_>>(),
            "red_flags": p.rubric.red_flags.iter().map(|f| json!({
                "id": f.id,
                "title": f.title,
                "penalty": f.penalty,
                "why": f.why,
            })).collect::<Vec<_>>(),
        },
    })
}

/// `sdi validate`: every issue to stderr, a summary to stdout, exit 1 on errors.
pub(super) fn validate(origin: &Origin, palette: Palette) -> anyhow::Result<()> {
    let checked = super::leak(Bank::check(origin, false)?);
    let errors = checked.issues.iter().filter(|i| i.is_error()).count();
    let warnings = checked.issues.len() - errors;
    {
        let mut err = std::io::stderr().lock();
        for issue in &checked.issues {
            let text = issue.to_string();
            let text = if issue.is_error() {
                text.replacen(": error: ", &format!(": {} ", palette.bad("error:")), 1)
            } else {
                text.replacen(
                    ": warning: ",
                    &format!(": {} ", palette.warn("warning:")),
                    1,
                )
            };
            writeln!(err, "{text}")?;
        }
    }
    let problems = checked.valid_problems;
    if errors > 0 {
        anyhow::bail!(
            "{origin}: {} and {} in {}",
            plural(errors, "error", "errors"),
            plural(warnings, "warning", "warnings"),
            plural(checked.files, "file", "files")
        );
    }
    writeln!(
        std::io::stdout().lock(),
        "{origin}: ok, {} in {} ({})",
        plural(problems, "problem", "problems"),
        plural(checked.files, "file", "files"),
        plural(warnings, "warning", "warnings")
    )?;
    Ok(())
}
