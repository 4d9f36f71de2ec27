//! `sdi practice`, `sdi mock`, `sdi history` and `sdi report`.

use super::Stopped;
use crate::bank::{Bank, Problem};
use crate::session::{self, Ending, Mode, Prompter, Settings, SystemClock, Transcript};
use crate::store::{History, HistoryRow, Record, SessionRecord, Store};
use crate::ui::Palette;
use crate::ui::prompter::{TerminalPrompter, has_terminal};
use anyhow::bail;
use std::io::Write;

/// Refuses to start an interactive command without a terminal, pointing to the
/// command that works without one.
pub(super) fn require_terminal(command: &str, instead: &str) -> anyhow::Result<()> {
    if !has_terminal() {
        bail!(
            "`sdi {command}` asks questions and needs a terminal (stdin and stderr), and there is none here; {instead}"
        );
    }
    Ok(())
}

/// Prints the history's warnings (corrupted lines) to stderr.
pub(super) fn warn(history: &History) {
    for w in &history.warnings {
        eprintln!("warning: {w}");
    }
}

/// The problem to sit: the one named, one picked at random (least recently
/// practised first), or one the candidate picks from a list.
fn pick<'a>(
    bank: &'a Bank,
    id: Option<&str>,
    random: bool,
    history: &History,
    prompter: &mut dyn Prompter,
) -> anyhow::Result<Option<&'a Problem>> {
    if let Some(id) = id {
        return Ok(Some(bank.problem(id)?));
    }
    if random {
        let mut rng = fastrand::Rng::new();
        return Ok(session::least_practised(&bank.problems, history, &mut rng));
    }
    let options: Vec<String> = bank
        .problems
        .iter()
        .map(|p| format!("{:<16} {} ({})", p.id, p.title, p.difficulty.as_str()))
        .collect();
    match prompter.choose("Which problem?", &options, 0) {
        Ok(i) => Ok(bank.problems.get(i)),
        Err(_) => Ok(None),
    }
}

/// What the candidate asked to sit.
pub(super) struct Sitting<'a> {
    pub(super) mode: Mode,
    pub(super) id: Option<&'a str>,
    pub(super) random: bool,
    pub(super) minutes: u32,
    pub(super) only: Option<crate::bank::PhaseId>,
}

pub(super) fn run(
    bank: &Bank,
    sitting: Sitting<'_>,
    palette: Palette,
    err_palette: Palette,
) -> anyhow::Result<()> {
    let Sitting {
        mode,
        id,
        random,
        minutes,
        only,
    } = sitting;
    let command = mode.label();
    require_terminal(
        command,
        "write your answers in a file instead: `sdi grade ID --template > answers.yaml`, then `sdi grade ID --answers answers.yaml`",
    )?;
    let store = Store::locate()?;
    store.ensure_writable()?;
    let history = store.history()?;
    warn(&history);
    let mut prompter = TerminalPrompter::new(err_palette);
    let Some(problem) = pick(bank, id, random, &history, &mut prompter)? else {
        return Err(Stopped.into());
    };
    let clock = SystemClock::new();
    let session_id = Store::new_session_id(session::Clock::unix(&clock), &problem.id);
    let mut save_failed = false;
    let mut save = |t: &Transcript| {
        if let Err(e) = store.save_transcript(t)
            && !save_failed
        {
            save_failed = true;
            eprintln!("warning: the transcript could not be saved: {e:#}");
        }
    };
    let settings = Settings {
        mode,
        minutes: f64::from(minutes),
        id: session_id.clone(),
        only,
    };
    let (transcript, ending) = session::run(
        problem,
        &bank.glossary,
        settings,
        &mut prompter,
        &clock,
        &mut save,
    );
    store.append(&Record::Session(SessionRecord::from_transcript(
        &transcript,
    )))?;
    if ending == Ending::Stopped {
        // inquire drops the line being typed on Ctrl-C; every line entered
        // before it is in the transcript.
        eprintln!(
            "\nStopped. Every line you entered is saved (the line being typed when you stopped was not): `sdi report {session_id}` shows it."
        );
        return Err(Stopped.into());
    }
    if let Some(r) = &transcript.report {
        let view = crate::grade::ReportView::of_session(r, &transcript);
        writeln!(std::io::stdout().lock())?;
        super::grade::print_report(&view, super::Format::Text, palette)?;
    }
    eprintln!("\nSaved as {session_id}: `sdi report {session_id}` shows this report again.");
    Ok(())
}

pub(super) fn history(json: bool, palette: Palette) -> anyhow::Result<()> {
    let store = Store::locate()?;
    let history = store.sessions()?;
    warn(&history);
    let interrupted = store.interrupted(&history);
    let mut sessions = history.latest_sessions();
    sessions.extend(interrupted.iter());
    sessions.sort_by_key(|s| s.started);
    let mut out = std::io::stdout().lock();
    if json {
        let rows: Vec<HistoryRow> = sessions.iter().map(|s| HistoryRow::new(s)).collect();
        serde_json::to_writer_pretty(&mut out, &rows)?;
        writeln!(out)?;
        return Ok(());
    }
    // A table of thousands of rows helps nobody: the latest are shown, and
    // `--json` lists every one.
    let earlier = sessions.len().saturating_sub(HISTORY_ROWS);
    let rows: Vec<HistoryRow> = sessions[earlier..]
        .iter()
        .map(|s| HistoryRow::new(s))
        .collect();
    let doc = crate::ui::progress::history_doc(&rows, earlier);
    write!(
        out,
        "{}",
        crate::ui::doc::render_text(&doc, palette, crate::ui::doc::width())
    )?;
    Ok(())
}

/// The sessions `sdi history` shows as a table: the latest.
const HISTORY_ROWS: usize = 50;

pub(super) fn show_report(
    bank: Option<&Bank>,
    wanted: &str,
    format: super::Format,
    palette: Palette,
) -> anyhow::Result<()> {
    let store = Store::locate()?;
    let transcript = store.find_session(wanted)?;
    let report = match (&transcript.report, bank) {
        (Some(r), _) => r.clone(),
        (None, Some(bank)) => {
            let problem = bank.problem(&transcript.problem)?;
            crate::grade::grade(problem, &bank.glossary, &transcript.answer())
        }
        (None, None) => bail!("session {} has no report", transcript.id),
    };
    let view = crate::grade::ReportView::of_session(&report, &transcript);
    super::grade::print_report(&view, format, palette)
}
