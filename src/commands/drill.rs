//! `sdi drill`: ask (or, with --print, list) estimation questions; and `sdi stats`.

use super::Stopped;
use super::session::{require_terminal, warn};
use crate::bank::{Bank, Skill};
use crate::cli::DrillArgs;
use crate::drill::{self, Pool, schedule::Schedule};
use crate::quantity::format_number;
use crate::session::{Ending, SystemClock};
use crate::stats;
use crate::store::{Record, Store};
use crate::ui::Palette;
use crate::ui::doc;
use crate::ui::prompter::TerminalPrompter;
use anyhow::bail;
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
    let summary = drill::Summary::new(answered);
    let doc = crate::ui::progress::drill_summary_doc(&summary);
    let mut out = std::io::stdout().lock();
    writeln!(out)?;
    write!(out, "{}", doc::render_text(&doc, palette, doc::width()))?;
    if ending == Ending::Stopped {
        return Err(Stopped.into());
    }
    Ok(())
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
    let mut drills = stats::DrillTally::default();
    let history = store.history_streaming(&mut |d| drills.add(&d))?;
    warn(&history);
    let s = stats::compute_with(&history, drills, bank);
    let mut out = std::io::stdout().lock();
    if json {
        writeln!(out, "{}", serde_json::to_string_pretty(&s)?)?;
        return Ok(());
    }
    let doc = crate::ui::progress::stats_doc(&s);
    write!(out, "{}", doc::render_text(&doc, palette, doc::width()))?;
    Ok(())
}
