//! The commands behind the command line: each reads its inputs, calls the library
//! and prints to stdout (data) or stderr (diagnostics). Errors are `anyhow` here, at
//! the edge, with context; [`exit_code_for`] maps them to exit codes.

mod bank;
mod calc;
mod drill;
mod grade;
mod milestones;
mod session;

use crate::bank::{Bank, Origin};
use crate::cli::{Cli, Command};
use crate::ui::Palette;
use std::process::ExitCode;

/// A session or drill stopped at the user's Ctrl-C or Esc; every line entered
/// has been saved. Exits 130, as an interrupted command does.
#[derive(Debug, thiserror::Error)]
#[error("stopped")]
pub struct Stopped;

/// The failure was already reported in the command's output (`validate
/// --json` lists its errors there): exit 1 without another message.
#[derive(Debug, thiserror::Error)]
#[error("reported")]
pub(crate) struct Reported;

/// How a command prints its view.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Format {
    Text,
    Markdown,
    Json,
}

impl Format {
    fn of(json: bool, markdown: bool) -> Format {
        match (json, markdown) {
            (true, _) => Format::Json,
            (false, true) => Format::Markdown,
            (false, false) => Format::Text,
        }
    }
}

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let out_palette = Palette::for_stdout(cli.color);
    let err_palette = Palette::for_stderr(cli.color);
    let origin = cli.bank.clone().map_or(Origin::Embedded, Origin::Dir);
    match cli.command {
        Command::List(json) => {
            let problems = Bank::index(&origin)?;
            // The last scores are a nicety: a missing or unreadable home is not an error here.
            let history = crate::store::Store::locate()
                .and_then(|s| s.sessions())
                .unwrap_or_default();
            session::warn(&history);
            bank::list(
                &problems,
                &|id| history.last_score(id),
                json.json,
                out_palette,
            )
        }
        Command::Practice { id, random, phase } => session::run(
            &load_for(&origin, id.as_deref())?,
            session::Sitting {
                mode: crate::session::Mode::Practice,
                id: id.as_deref(),
                random,
                minutes: 45,
                only: phase.as_deref().and_then(crate::bank::PhaseId::from_wire),
            },
            out_palette,
            err_palette,
        ),
        Command::Mock {
            id,
            minutes,
            random,
        } => session::run(
            &load_for(&origin, id.as_deref())?,
            session::Sitting {
                mode: crate::session::Mode::Mock,
                id: id.as_deref(),
                random,
                minutes,
                only: None,
            },
            out_palette,
            err_palette,
        ),
        Command::History(json) => session::history(json.json, out_palette),
        Command::Drill(args) => drill::run(
            &load_for(&origin, args.problem.as_deref())?,
            &args,
            out_palette,
            err_palette,
        ),
        Command::Stats(json) => {
            drill::stats(Bank::load(&origin).ok().as_ref(), json.json, out_palette)
        }
        Command::Report {
            session: wanted,
            markdown,
            json,
        } => {
            let bank = Bank::load(&origin).ok();
            let format = Format::of(json.json, markdown);
            session::show_report(bank.as_ref(), &wanted, format, out_palette)
        }
        Command::Show { id, key, json } => bank::show(
            &Bank::load_problem(&origin, &id)?,
            &id,
            json.json,
            key,
            out_palette,
        ),
        Command::Validate(json) => bank::validate(&origin, json.json, err_palette),
        Command::Grade {
            id,
            answers,
            template,
            markdown,
            json,
        } => {
            let bank = leak(Bank::load_problem(&origin, &id)?);
            match answers {
                Some(file) if !template => grade::run(
                    bank,
                    &id,
                    &file,
                    Format::of(json.json, markdown),
                    out_palette,
                ),
                _ => grade::template(bank, &id),
            }
        }
        Command::Calc { expr, json } => {
            // Each word trimmed: the binary shields an unquoted `->` as ` ->`.
            let words: Vec<&str> = expr.iter().map(|w| w.trim()).collect();
            calc::run(&words.join(" "), json.json)
        }
        Command::Milestones {
            users,
            rps,
            data,
            json,
        } => milestones::run(
            users.as_deref(),
            rps.as_deref(),
            data.as_deref(),
            json.json,
            out_palette,
        ),
        Command::Completions { shell } => {
            let mut command = <Cli as clap::CommandFactory>::command();
            clap_complete::generate(shell, &mut command, "sdi", &mut std::io::stdout());
            Ok(())
        }
    }
}

/// The bank a command needs: one problem's part of it when the command names
/// a problem, else all of it.
fn load_for(origin: &Origin, id: Option<&str>) -> anyhow::Result<Bank> {
    match id {
        Some(id) => Bank::load_problem(origin, id),
        None => Bank::load(origin),
    }
}

/// Keeps a value until the process ends instead of freeing it: `sdi` exits right
/// after a command, and freeing a whole bank piece by piece costs more than
/// listing it.
pub fn leak<T>(value: T) -> &'static T {
    Box::leak(Box::new(value))
}

/// Prints the error (unless it needs no words) and picks the exit code: 0 for a
/// closed pipe (`sdi list | head -1`), 130 after Ctrl-C, 1 otherwise.
pub fn exit_code_for(err: &anyhow::Error, palette: &Palette) -> ExitCode {
    for cause in err.chain() {
        if let Some(io) = cause.downcast_ref::<std::io::Error>()
            && io.kind() == std::io::ErrorKind::BrokenPipe
        {
            return ExitCode::SUCCESS;
        }
        if cause.downcast_ref::<Stopped>().is_some() {
            return ExitCode::from(130);
        }
        if cause.downcast_ref::<Reported>().is_some() {
            return ExitCode::from(1);
        }
    }
    eprintln!("{} {err:#}", palette.error_label());
    ExitCode::from(1)
}
