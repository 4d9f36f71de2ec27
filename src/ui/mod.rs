//! Everything that touches the terminal: colors, tables, the inquire prompter and
//! the rendering of reports as text and Markdown. The rest of the library hands
//! this module plain data.

pub(crate) mod doc;
mod palette;
pub(crate) mod progress;
pub(crate) mod prompter;
pub(crate) mod report;

pub use palette::Palette;
