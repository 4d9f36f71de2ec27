//! The terminal prompter: inquire prompts on the terminal (inquire draws on
//! stderr), mapping Ctrl-C and Esc to [`Interrupt`] so sessions keep what was
//! typed.

use super::Palette;
use crate::quantity::Verdict;
use crate::session::{Event, Interrupt, Prompt, Prompter};
use inquire::InquireError;
use inquire::ui::RenderConfig;
use std::io::IsTerminal;

/// True when a person can answer prompts: both stdin and stderr are terminals.
/// Tests capture stderr, so `cargo test` never opens a real prompt.
pub(crate) fn has_terminal() -> bool {
    std::io::stdin().is_terminal() && std::io::stderr().is_terminal()
}

pub(crate) struct TerminalPrompter {
    palette: Palette,
}

impl TerminalPrompter {
    pub(crate) fn new(palette: Palette) -> TerminalPrompter {
        if !palette.enabled {
            inquire::set_global_render_config(RenderConfig::empty());
        }
        TerminalPrompter { palette }
    }
}

fn interrupted(e: InquireError) -> Interrupt {
    match e {
        InquireError::OperationCanceled | InquireError::OperationInterrupted => Interrupt,
        // The terminal went away: nothing more can be asked; stop as if interrupted
        // so what was typed is saved.
        _ => Interrupt,
    }
}

impl Prompter for TerminalPrompter {
    fn show(&mut self, event: Event) {
        let p = self.palette;
        let plain = event.plain();
        let text = match &event {
            Event::Intro { title, body } => format!("{}\n\n{body}", p.bold(title)),
            Event::Phase { .. } => {
                // The header line bold, with a blank line before it.
                let (first, rest) = plain.split_once('\n').unwrap_or((&plain, ""));
                format!("\n{}\n{rest}", p.bold(&format!("== {first} ==")))
            }
            Event::Question { .. } => format!("\n{}", p.bold(&plain)),
            Event::Interviewer(_) | Event::Hint(_) => p.dim(&plain),
            Event::Verdict { verdict, .. } => match verdict {
                Verdict::Ok => p.good(&plain),
                Verdict::Close => p.warn(&plain),
                _ => p.bad(&plain),
            },
            Event::Warning(_) => p.warn(&plain),
            Event::Feedback { .. } | Event::Reference(_) | Event::Note(_) => plain,
        };
        eprintln!("{text}");
    }

    fn ask(&mut self, prompt: &Prompt) -> Result<String, Interrupt> {
        let mut text = inquire::Text::new(&prompt.label);
        if !prompt.status.is_empty() {
            text = text.with_help_message(&prompt.status);
        }
        text.prompt().map_err(interrupted)
    }

    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, Interrupt> {
        inquire::Select::new(question, options.to_vec())
            .with_starting_cursor(default.min(options.len().saturating_sub(1)))
            .raw_prompt()
            .map(|choice| choice.index)
            .map_err(interrupted)
    }
}
