//! Colors for terminal output, decided once from `--color`, `NO_COLOR` and whether
//! the stream is a terminal. Text is only ever wrapped in ANSI codes here.

use crate::cli::ColorChoice;
use std::io::IsTerminal;

/// Whether to color, and the few styles `sdi` uses.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    fn decide(choice: ColorChoice, is_terminal: bool) -> Palette {
        let no_color = std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => is_terminal && !no_color,
        };
        Palette { enabled }
    }

    pub fn for_stdout(choice: ColorChoice) -> Palette {
        Palette::decide(choice, std::io::stdout().is_terminal())
    }

    pub fn for_stderr(choice: ColorChoice) -> Palette {
        Palette::decide(choice, std::io::stderr().is_terminal())
    }

    pub fn plain() -> Palette {
        Palette { enabled: false }
    }

    fn paint(&self, code: &str, text: &str) -> String {
        if self.enabled {
            format!("\x1b[{code}m{text}\x1b[0m")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint("1", text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint("2", text)
    }

    pub fn good(&self, text: &str) -> String {
        self.paint("32", text)
    }

    pub fn warn(&self, text: &str) -> String {
        self.paint("33", text)
    }

    pub fn bad(&self, text: &str) -> String {
        self.paint("31", text)
    }

    pub fn error_label(&self) -> String {
        self.paint("1;31", "error:")
    }
}
