//! The terminal prompter: inquire prompts on the terminal (inquire draws on
//! stderr), mapping Ctrl-C and Esc to [`Interrupt`] so sessions keep what was
//! typed.

use super::Palette;
use crate::session::{Interrupt, Prompt, Prompter};
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
    fn show(&mut self, text: &str) {
        let text = if let Some(rest) = text.strip_prefix("\n== ") {
            format!("\n{}", self.palette.bold(&format!("== {rest}")))
        } else {
            text.to_string()
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
