//! A graded report, as terminal tables (comfy-table) or as Markdown: the score per
//! phase, the estimates (answer, reference, ratio, verdict), the two milestone
//! tiers, time against budget, the criteria with their evidence, red flags, the
//! level verdict, and what to study next.

use super::Palette;
use super::table::{Grade, graded_cell, new_table};
use crate::grade::{Credit, CriterionResult, EstimateResult, Mark, PhaseScore, Quote, Report};
use crate::quantity::{Verdict, format_number, ratio_phrase};
use comfy_table::Cell;
use std::fmt::Write as _;

fn verdict_grade(v: Verdict) -> Grade {
    match v {
        Verdict::Ok => Grade::Good,
        Verdict::Close => Grade::Fair,
        _ => Grade::Poor,
    }
}

fn mark_grade(m: Mark) -> Grade {
    match m {
        Mark::Covered => Grade::Good,
        Mark::Partial => Grade::Fair,
        Mark::Missed => Grade::Poor,
    }
}

fn score_grade(score: f64) -> Grade {
    if score >= 70.0 {
        Grade::Good
    } else if score >= 40.0 {
        Grade::Fair
    } else {
        Grade::Poor
    }
}

fn minutes(m: f64) -> String {
    let seconds = (m * 60.0).round() as i64;
    format!("{}:{:02}", seconds / 60, seconds % 60)
}

fn phase_time(p: &PhaseScore) -> String {
    match (p.reached, p.minutes) {
        (false, _) => "not reached".to_string(),
        (true, Some(m)) => {
            let over = p.overtime_minutes.filter(|o| *o > 0.0);
            match over {
                Some(o) => format!("{} (+{} over)", minutes(m), minutes(o)),
                None => minutes(m),
            }
        }
        (true, None) => "-".to_string(),
    }
}

/// Answer over reference: `0.346x`, `110x`, `3.5e9x` (magnitude words such as
/// `bn` would read as a unit here).
fn ratio_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(
        || "-".to_string(),
        |r| format!("{}x", format_number(r, false)),
    )
}

/// The answer in the question's unit, else as typed, else a dash.
fn answer_text(e: &EstimateResult) -> String {
    e.answer_shown
        .clone()
        .or_else(|| e.answer.clone())
        .unwrap_or_else(|| "-".into())
}

/// Why a criterion got its mark, in a line: the clause that earned it, the
/// claim that contradicted it, or the mention that did not count.
fn evidence_text(c: &CriterionResult) -> String {
    const SHORT: usize = 90;
    let clip = |text: &str| -> String {
        if text.chars().count() <= SHORT {
            return text.to_string();
        }
        let cut: String = text.chars().take(SHORT).collect();
        let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
        format!("{}...", &cut[..at])
    };
    if let Some(k) = &c.contradicted {
        return format!("contradicted: \"{}\"", clip(&k.text));
    }
    let earned: Vec<&Quote> = c
        .evidence
        .iter()
        .filter(|q| matches!(q.credit, Credit::Earned | Credit::KeywordList))
        .collect();
    let mut out = match earned.first() {
        Some(q) => {
            let more = if earned.len() > 1 {
                format!(" (+{} more)", earned.len() - 1)
            } else {
                String::new()
            };
            format!("\"{}\"{more}", clip(&q.text))
        }
        None => String::new(),
    };
    if c.mark() != Mark::Covered
        && let Some(q) = c
            .evidence
            .iter()
            .find(|q| !matches!(q.credit, Credit::Earned | Credit::KeywordList))
    {
        let why = match q.credit {
            Credit::NotAsserted => q.stance.label().to_string(),
            other => other.label().to_string(),
        };
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&format!("{why}: \"{}\"", clip(&q.text)));
    }
    if let Some(note) = &c.note {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(note);
    }
    if out.is_empty() { "-".into() } else { out }
}

fn mark_text(c: &CriterionResult) -> String {
    match c.self_mark {
        Some(m) if m != c.detected => format!("{} (detected: {})", m.as_str(), c.detected.as_str()),
        _ => c.mark().as_str().to_string(),
    }
}

/// The report as terminal tables.
pub(crate) fn render_text(r: &Report, palette: Palette) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}  ({})", palette.bold(&r.title), r.problem);
    let score = format!("{:.0}/100", r.score);
    let score = match score_grade(r.score) {
        Grade::Good => palette.good(&score),
        Grade::Fair => palette.warn(&score),
        _ => palette.bad(&score),
    };
    let _ = write!(out, "Score {score}");
    if r.self_graded {
        let _ = write!(
            out,
            "  (self-graded; evidence alone: {:.0})",
            r.detected_score
        );
    }
    let _ = writeln!(out, "   Level: {}", palette.bold(&r.level.label));
    let _ = writeln!(out);

    let mut table = new_table(palette, &["Phase", "Score", "Time", "Budget"]);
    for p in &r.phases {
        table.add_row(vec![
            Cell::new(p.phase.title()),
            p.score.map_or_else(
                || Cell::new("-"),
                |s| graded_cell(format!("{s:.0}"), score_grade(s)),
            ),
            Cell::new(phase_time(p)),
            Cell::new(minutes(p.budget_minutes)),
        ]);
    }
    let _ = writeln!(out, "{table}\n");

    if !r.estimates.is_empty() {
        let _ = writeln!(out, "{}", palette.bold("Estimates"));
        let mut table = new_table(
            palette,
            &["Estimate", "Your answer", "Reference", "Ratio", "Verdict"],
        );
        for e in &r.estimates {
            let answer = answer_text(e);
            let verdict = match e.verdict {
                Verdict::Ok | Verdict::Close | Verdict::Off => match e.ratio {
                    Some(ratio) => format!("{} ({})", e.verdict, ratio_phrase(ratio)),
                    None => format!("{} ({})", e.verdict, e.message),
                },
                _ => e.verdict.to_string(),
            };
            table.add_row(vec![
                Cell::new(&e.id),
                Cell::new(answer),
                Cell::new(&e.reference_shown),
                Cell::new(ratio_text(e.ratio)),
                graded_cell(verdict, verdict_grade(e.verdict)),
            ]);
        }
        let _ = writeln!(out, "{table}");
        for e in &r.estimates {
            if let Some(note) = &e.note {
                let _ = writeln!(out, "  {}: {note}", e.id);
            }
        }
        for e in r.estimates.iter().filter(|e| e.verdict != Verdict::Ok) {
            let _ = writeln!(out, "  {}: {} = {}", e.id, e.derivation, e.reference_shown);
            if matches!(e.verdict, Verdict::UnitMismatch | Verdict::Invalid) {
                let _ = writeln!(
                    out,
                    "    {}",
                    palette.dim(e.message.lines().next().unwrap_or(""))
                );
            }
        }
        let _ = writeln!(out);
    }

    let m = &r.milestones;
    if m.reference.is_some() || m.candidate.is_some() {
        let _ = writeln!(out, "{}", palette.bold("Scaling milestones"));
        let mut table = new_table(
            palette,
            &[
                "",
                "Numbers and their rows",
                "Tier",
                "Architecture it needs here",
            ],
        );
        for (who, tier) in [("Yours", &m.candidate), ("Reference", &m.reference)] {
            match tier {
                Some(t) => table.add_row(vec![
                    who.to_string(),
                    t.metrics.clone(),
                    format!("row {}", t.row),
                    t.architecture.join(", "),
                ]),
                None => table.add_row(vec![
                    who.to_string(),
                    "not enough numbers to place".into(),
                    "-".into(),
                    "-".into(),
                ]),
            };
        }
        let _ = writeln!(out, "{table}");
        for note in m
            .notes
            .iter()
            .chain(m.candidate.iter().flat_map(|c| &c.notes))
        {
            let _ = writeln!(out, "  - {note}");
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "{}", palette.bold("Criteria"));
    let mut table = new_table(
        palette,
        &["Criterion", "Phase", "Level", "Weight", "Mark", "Why"],
    );
    for c in &r.criteria {
        table.add_row(vec![
            Cell::new(&c.title),
            Cell::new(c.phase.title()),
            Cell::new(c.level.as_str()),
            Cell::new(format_number(c.weight, false)),
            graded_cell(
                format!("{} ({}/{})", mark_text(c), c.found.min(c.need), c.need),
                mark_grade(c.mark()),
            ),
            Cell::new(evidence_text(c)),
        ]);
    }
    let _ = writeln!(out, "{table}\n");
    for note in phase_notes(r) {
        let _ = writeln!(out, "  - {note}");
    }
    let contradicted: Vec<&CriterionResult> = r
        .criteria
        .iter()
        .filter(|c| c.contradicted.is_some())
        .collect();
    if !contradicted.is_empty() {
        let _ = writeln!(out, "{}", palette.warn("Claims to check"));
        for c in contradicted {
            if let Some(k) = &c.contradicted {
                let _ = writeln!(
                    out,
                    "  - \"{}\" ({}): {} No credit for \"{}\".",
                    k.text,
                    k.phase.title(),
                    k.why,
                    c.title
                );
            }
        }
        let _ = writeln!(out);
    }

    if !r.red_flags.is_empty() {
        let _ = writeln!(out, "{}", palette.bad("Red flags"));
        for f in &r.red_flags {
            let wrote = f.evidence.as_ref().map_or(&f.matched, |q| &q.text);
            let _ = writeln!(
                out,
                "  - {} (-{} points, you wrote \"{}\"): {}",
                f.title,
                format_number(f.penalty, false),
                wrote,
                f.why
            );
        }
        let _ = writeln!(out);
    }

    let _ = writeln!(out, "{} {}", palette.bold("Level verdict:"), r.level.label);
    for reason in &r.level.reasons {
        let _ = writeln!(out, "  - {reason}");
    }
    if !r.study.is_empty() {
        let _ = writeln!(out, "\n{}", palette.bold("Study next"));
        for (i, s) in r.study.iter().enumerate() {
            let _ = writeln!(out, "  {}. {s}", i + 1);
        }
    }
    let missed: Vec<&CriterionResult> = r
        .criteria
        .iter()
        .filter(|c| c.mark() == Mark::Missed)
        .take(3)
        .collect();
    if !missed.is_empty() {
        let _ = writeln!(out, "\n{}", palette.bold("What a strong answer says"));
        for c in missed {
            let _ = writeln!(out, "  - {}: {}", c.title, c.strong);
        }
    }
    out
}

/// Notes on phases that were written as keyword lists.
fn phase_notes(r: &Report) -> Vec<String> {
    r.phases
        .iter()
        .filter(|p| p.keyword_list)
        .map(|p| {
            format!(
                "{} reads as a keyword list: name a term in a sentence that says what it does, and why",
                p.phase.title()
            )
        })
        .collect()
}

/// The report as Markdown, for notes or sharing.
pub(crate) fn render_markdown(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "# {} ({})\n", r.title, r.problem);
    let _ = write!(out, "**Score {:.0}/100**", r.score);
    if r.self_graded {
        let _ = write!(
            out,
            " (self-graded; evidence alone: {:.0})",
            r.detected_score
        );
    }
    let _ = writeln!(out, " · **Level: {}**\n", r.level.label);
    let _ = writeln!(
        out,
        "## Phases\n\n| Phase | Score | Time | Budget |\n|---|---|---|---|"
    );
    for p in &r.phases {
        let score = p
            .score
            .map_or_else(|| "-".to_string(), |s| format!("{s:.0}"));
        let _ = writeln!(
            out,
            "| {} | {score} | {} | {} |",
            p.phase.title(),
            phase_time(p),
            minutes(p.budget_minutes)
        );
    }
    if !r.estimates.is_empty() {
        let _ = writeln!(
            out,
            "\n## Estimates\n\n| Estimate | Your answer | Reference | Ratio | Verdict |\n|---|---|---|---|---|"
        );
        for e in &r.estimates {
            let answer = answer_text(e);
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                e.id,
                answer.replace('|', "\\|"),
                e.reference_shown,
                ratio_text(e.ratio),
                e.verdict
            );
        }
        let _ = writeln!(out, "\nDerivations:\n");
        for e in &r.estimates {
            let _ = writeln!(
                out,
                "- `{}` = `{}` = {}",
                e.id, e.derivation, e.reference_shown
            );
        }
    }
    let m = &r.milestones;
    if m.reference.is_some() || m.candidate.is_some() {
        let _ = writeln!(
            out,
            "\n## Scaling milestones\n\n| | Numbers and their rows | Tier | Architecture it needs here |\n|---|---|---|---|"
        );
        for (who, tier) in [("Yours", &m.candidate), ("Reference", &m.reference)] {
            match tier {
                Some(t) => {
                    let _ = writeln!(
                        out,
                        "| {who} | {} | row {} | {} |",
                        t.metrics,
                        t.row,
                        t.architecture.join(", ")
                    );
                }
                None => {
                    let _ = writeln!(out, "| {who} | - | - | - |");
                }
            }
        }
        for note in &m.notes {
            let _ = writeln!(out, "\n- {note}");
        }
    }
    let _ = writeln!(
        out,
        "\n## Criteria\n\n| Criterion | Phase | Level | Weight | Mark | Evidence |\n|---|---|---|---|---|---|"
    );
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            c.title,
            c.phase.title(),
            c.level,
            format_number(c.weight, false),
            mark_text(c),
            evidence_text(c).replace('|', "\\|")
        );
    }
    let notes = phase_notes(r);
    if !notes.is_empty() {
        let _ = writeln!(out);
        for note in notes {
            let _ = writeln!(out, "- {note}");
        }
    }
    if r.criteria.iter().any(|c| c.contradicted.is_some()) {
        let _ = writeln!(out, "\n## Claims to check\n");
        for c in &r.criteria {
            if let Some(k) = &c.contradicted {
                let _ = writeln!(
                    out,
                    "- \"{}\" ({}): {} No credit for \"{}\".",
                    k.text,
                    k.phase.title(),
                    k.why,
                    c.title
                );
            }
        }
    }
    if !r.red_flags.is_empty() {
        let _ = writeln!(out, "\n## Red flags\n");
        for f in &r.red_flags {
            let _ = writeln!(
                out,
                "- **{}** (-{}): {}",
                f.title,
                format_number(f.penalty, false),
                f.why
            );
        }
    }
    let _ = writeln!(out, "\n## Level verdict: {}\n", r.level.label);
    for reason in &r.level.reasons {
        let _ = writeln!(out, "- {reason}");
    }
    if !r.study.is_empty() {
        let _ = writeln!(out, "\n## Study next\n");
        for (i, s) in r.study.iter().enumerate() {
            let _ = writeln!(out, "{}. {s}", i + 1);
        }
    }
    out
}
