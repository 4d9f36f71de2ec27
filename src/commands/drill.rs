//! `sdi drill`: ask (or, with --print, list) estimation questions; and `sdi stats`.

use super::Interrupted;
use super::session::{require_terminal, warn};
use crate::bank::{Bank, Skill};
use crate::cli::DrillArgs;
use crate::drill::{self, Pool, schedule::Schedule};
use crate::quantity::{format_number, ratio_short};
use crate::session::{Ending, SystemClock};
use crate::stats::{self, sparkline};
use crate::store::{Record, Store};
use crate::ui::Palette;
use crate::ui::prompter::TerminalPrompter;
use crate::ui::table::{Grade, graded_cell, new_table};
use anyhow::bail;
use comfy_table::Cell;
use std::io::Write;

fn parse_skill(text: &str, pool: &Pool) -> anyhow::Result<Skill> {
    let available: Vec<&str> = pool.skills().iter().map(|s| s.as_str()).collect();
    match Skill::parse(text) {
        Some(s) if pool.skills().contains(&s) => Ok(s),
        Some(s) => bail!(
            "no drill questions train `{s}` here; the skills are: {}",
            available.join(", ")
        ),
        None => {
            let hint = crate::quantity::suggest_word(text, &available).map_or_else(
                || format!("the skills are: {}", available.join(", ")),
                |s| format!("did you mean `{s}`?"),
            );
            bail!("unknown skill `{text}`: {hint}")
        }
    }
}

pub(super) fn run(
    bank: &Bank,
    args: &DrillArgs,
    palette: Palette,
    err_palette: Palette,
) -> anyhow::Result<()> {
    let pool = Pool::new(bank, args.problem.as_deref())?;
    let skill = args
        .skill
        .as_deref()
        .map(|s| parse_skill(s, &pool))
        .transpose()?;
    let store = Store::locate()?;
    let history = if args.print {
        store.history().unwrap_or_default()
    } else {
        store.history()?
    };
    warn(&history);
    let schedule = Schedule::replay(history.drills());
    let seed = args.seed.unwrap_or_else(|| fastrand::u64(..1_000_000));
    let count = args.count as usize;
    let questions = drill::questions(&pool, &schedule, count, skill, seed)?;
    if args.print {
        return print(&questions, seed, args.key, args.json);
    }
    require_terminal(
        "drill",
        "`sdi drill --print` lists the questions (add --key for the answers)",
    )?;
    store.ensure_writable()?;
    let clock = SystemClock::new();
    let run_id = Store::new_session_id(crate::session::Clock::unix(&clock), "drill");
    eprintln!(
        "{} questions (seed {seed}: `sdi drill --seed {seed}` asks the same ones). Answer with a number or an expression; empty to skip; Ctrl-C to stop.",
        questions.len()
    );
    let mut prompter = TerminalPrompter::new(err_palette);
    let mut failed = false;
    let mut record = |r| {
        if let Err(e) = store.append(&Record::Drill(r))
            && !failed
        {
            failed = true;
            eprintln!("warning: the answer could not be saved: {e:#}");
        }
    };
    let (answered, ending) = drill::run(&questions, &run_id, &mut prompter, &clock, &mut record);
    let mut table = new_table(
        palette,
        &[
            "#",
            "Skill",
            "Your answer",
            "Reference",
            "Verdict",
            "Seconds",
        ],
    );
    for (i, a) in answered.iter().enumerate() {
        let verdict = match (a.verdict, a.ratio) {
            (Some(v), Some(r)) => graded_cell(format!("{v} ({})", ratio_short(r)), grade_of(v)),
            (Some(v), None) => graded_cell(v.to_string(), grade_of(v)),
            (None, _) => Cell::new("skipped"),
        };
        table.add_row(vec![
            Cell::new(i + 1),
            Cell::new(a.question.skill.as_str()),
            Cell::new(
                a.answer_shown
                    .clone()
                    .or_else(|| a.answer.clone())
                    .unwrap_or_else(|| "-".into()),
            ),
            Cell::new(&a.question.reference_shown),
            verdict,
            Cell::new(format!("{:.0}", a.seconds)),
        ]);
    }
    let right = answered
        .iter()
        .filter(|a| a.verdict.is_some_and(|v| v.is_correct()))
        .count();
    let counted = answered.iter().filter(|a| a.verdict.is_some()).count();
    let mut out = std::io::stdout().lock();
    writeln!(out, "\n{table}")?;
    writeln!(
        out,
        "{right} of {counted} answered within tolerance. `sdi stats` shows your progress."
    )?;
    if ending == Ending::Interrupted {
        return Err(Interrupted.into());
    }
    Ok(())
}

fn grade_of(v: crate::quantity::Verdict) -> Grade {
    match v {
        crate::quantity::Verdict::Ok => Grade::Good,
        crate::quantity::Verdict::Close => Grade::Fair,
        _ => Grade::Poor,
    }
}

fn print(questions: &[drill::Question], seed: u64, key: bool, json: bool) -> anyhow::Result<()> {
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(questions)?)?;
        return Ok(());
    }
    if key {
        writeln!(
            out,
            "Drill worksheet with answers (seed {seed}; `sdi drill --seed {seed} --print` prints it without)\n"
        )?;
    } else {
        writeln!(
            out,
            "Drill worksheet (seed {seed}; `sdi drill --seed {seed} --print --key` prints the answers)\n"
        )?;
    }
    for (i, q) in questions.iter().enumerate() {
        writeln!(
            out,
            "{}. {}  [{}; answer in {}]",
            i + 1,
            q.question,
            q.skill,
            q.unit
        )?;
        if key {
            writeln!(
                out,
                "   Answer: {} (within {}x)",
                q.reference_shown,
                format_number(q.tolerance, false)
            )?;
            for line in q.solution.lines() {
                writeln!(out, "   {line}")?;
            }
        }
        writeln!(out)?;
    }
    Ok(())
}

pub(super) fn stats(bank: Option<&Bank>, json: bool, palette: Palette) -> anyhow::Result<()> {
    let store = Store::locate()?;
    let history = store.history()?;
    warn(&history);
    let s = stats::compute(&history, bank);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(());
    }
    let pct = |a: Option<f64>| a.map_or_else(|| "-".to_string(), |a| format!("{:.0}%", a * 100.0));
    let secs = |m: Option<f64>| m.map_or_else(|| "-".to_string(), |m| format!("{m:.0}"));
    writeln!(out, "{}", palette.bold("Drills"))?;
    if s.drills.answered == 0 {
        writeln!(out, "  none yet: `sdi drill` asks ten questions")?;
    } else {
        writeln!(
            out,
            "  {} answered, {} right ({}), median {} s per answer",
            s.drills.answered,
            s.drills.correct,
            pct(s.drills.accuracy),
            secs(s.drills.median_seconds)
        )?;
        let mut table = new_table(
            palette,
            &["Skill", "Answered", "Right", "Accuracy", "Median s"],
        );
        for (skill, t) in &s.drills.by_skill {
            table.add_row(vec![
                Cell::new(skill),
                Cell::new(t.answered),
                Cell::new(t.correct),
                graded_cell(
                    pct(t.accuracy),
                    t.accuracy.map_or(Grade::Neutral, |a| {
                        if a >= 0.7 {
                            Grade::Good
                        } else if a >= 0.4 {
                            Grade::Fair
                        } else {
                            Grade::Poor
                        }
                    }),
                ),
                Cell::new(secs(t.median_seconds)),
            ]);
        }
        writeln!(out, "{table}")?;
        let recent: Vec<f64> = s
            .drills
            .runs
            .iter()
            .rev()
            .take(20)
            .rev()
            .map(|r| r.correct as f64 / r.answered.max(1) as f64)
            .collect();
        writeln!(
            out,
            "  accuracy over {}: {} (oldest to newest)",
            last_n(recent.len(), "run", "runs"),
            sparkline(&recent, 1.0)
        )?;
    }
    writeln!(out, "\n{}", palette.bold("Practice and mock sessions"))?;
    // Scores of finished sessions only: an abandoned one is graded on what was
    // typed before Ctrl-C, which would drag the trend down for no reason.
    let scored: Vec<&stats::SessionPoint> = s
        .sessions
        .iter()
        .filter(|p| p.score.is_some() && p.status.finished())
        .collect();
    let abandoned = s.sessions.iter().filter(|p| !p.status.finished()).count();
    if scored.is_empty() {
        writeln!(out, "  none finished yet: `sdi practice` or `sdi mock`")?;
    }
    if abandoned > 0 {
        writeln!(
            out,
            "  ({abandoned} abandoned, not charted: `sdi history` lists them)"
        )?;
    }
    if !scored.is_empty() {
        let scores: Vec<f64> = scored
            .iter()
            .rev()
            .take(20)
            .rev()
            .filter_map(|p| p.score)
            .collect();
        writeln!(
            out,
            "  scores over {}: {} (0-100)",
            last_n(scores.len(), "session", "sessions"),
            sparkline(&scores, 100.0)
        )?;
        for p in scored.iter().rev().take(8).rev() {
            let bar = "█".repeat((p.score.unwrap_or(0.0) / 5.0).round() as usize);
            writeln!(
                out,
                "  {}  {:<14} {:<8} {:>3.0} {bar}",
                p.date,
                p.problem,
                p.mode.label(),
                p.score.unwrap_or(0.0)
            )?;
        }
    }
    if !s.never_practised.is_empty() {
        writeln!(
            out,
            "\n{} {}",
            palette.bold("Never practised:"),
            s.never_practised.join(", ")
        )?;
    }
    if !s.most_missed.is_empty() {
        writeln!(out, "\n{}", palette.bold("Criteria missed most often"))?;
        for m in &s.most_missed {
            writeln!(out, "  {:>2}x  {} ({})", m.count, m.title, m.id)?;
        }
    }
    Ok(())
}

/// "the last run", "the last 7 runs".
fn last_n(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("the last {one}")
    } else {
        format!("the last {n} {many}")
    }
}
