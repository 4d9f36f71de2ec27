//! The commands behind the command line: each reads its inputs, calls the library
//! and prints to stdout (data) or stderr (diagnostics). Errors are `anyhow` here, at
//! the edge, with context; [`exit_code_for`] maps them to exit codes.

mod calc;
mod milestones;

use crate::cli::{Cli, Command};
use crate::ui::Palette;
use std::process::ExitCode;

/// The user pressed Ctrl-C or Esc at a prompt; what they typed has been saved.
#[derive(Debug, thiserror::Error)]
#[error("interrupted")]
pub struct Interrupted;

/// Runs one command line.
pub fn run(cli: Cli) -> anyhow::Result<()> {
    let out_palette = Palette::for_stdout(cli.color);
    match cli.command {
        Command::Calc { expr, json } => calc::run(&expr.join(" "), json.json),
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
        other => anyhow::bail!(
            "`sdi {}` is not yet available in this build",
            command_name(&other)
        ),
    }
}

fn command_name(command: &Command) -> &'static str {
    match command {
        Command::List(_) => "list",
        Command::Show { .. } => "show",
        Command::Practice { .. } => "practice",
        Command::Mock { .. } => "mock",
        Command::Grade { .. } => "grade",
        Command::Drill(_) => "drill",
        Command::Calc { .. } => "calc",
        Command::Milestones { .. } => "milestones",
        Command::Validate => "validate",
        Command::History(_) => "history",
        Command::Report { .. } => "report",
        Command::Stats(_) => "stats",
        Command::Completions { .. } => "completions",
    }
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
        if cause.downcast_ref::<Interrupted>().is_some() {
            return ExitCode::from(130);
        }
    }
    eprintln!("{} {err:#}", palette.error_label());
    ExitCode::from(1)
}
