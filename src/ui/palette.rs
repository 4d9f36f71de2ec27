//! Colors for terminal output, decided once from `--color` and, for `auto`,
//! by `anstream` from the stream and the environment (`NO_COLOR`,
//! `CLICOLOR_FORCE`, `TERM=dumb`). Text is only ever styled here, with
//! `anstyle`'s styles.

use crate::cli::ColorChoice;
use anstyle::{AnsiColor, Style};

/// Whether to color, and the few styles `sdi` uses.
#[derive(Debug, Clone, Copy)]
pub struct Palette {
    pub enabled: bool,
}

impl Palette {
    fn decide(choice: ColorChoice, auto: anstream::ColorChoice) -> Palette {
        let enabled = match choice {
            ColorChoice::Always => true,
            ColorChoice::Never => false,
            ColorChoice::Auto => auto != anstream::ColorChoice::Never,
        };
        Palette { enabled }
    }

    pub fn for_stdout(choice: ColorChoice) -> Palette {
        Palette::decide(choice, anstream::AutoStream::choice(&std::io::stdout()))
    }

    pub fn for_stderr(choice: ColorChoice) -> Palette {
        Palette::decide(choice, anstream::AutoStream::choice(&std::io::stderr()))
    }

    pub fn plain() -> Palette {
        Palette { enabled: false }
    }

    fn paint(&self, style: Style, text: &str) -> String {
        if self.enabled {
            format!("{style}{text}{style:#}")
        } else {
            text.to_string()
        }
    }

    pub fn bold(&self, text: &str) -> String {
        self.paint(Style::new().bold(), text)
    }

    pub fn dim(&self, text: &str) -> String {
        self.paint(Style::new().dimmed(), text)
    }

    pub fn good(&self, text: &str) -> String {
        self.paint(AnsiColor::Green.on_default(), text)
    }

    pub fn warn(&self, text: &str) -> String {
        self.paint(AnsiColor::Yellow.on_default(), text)
    }

    pub fn bad(&self, text: &str) -> String {
        self.paint(AnsiColor::Red.on_default(), text)
    }

    pub fn error_label(&self) -> String {
        self.paint(AnsiColor::Red.on_default().bold(), "error:")
    }
}
