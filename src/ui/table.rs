//! comfy-table set up the same way everywhere: condensed borders, and colors only
//! when the palette allows them.

use super::Palette;
use comfy_table::{Cell, Color, ContentArrangement, Table, presets};

pub(crate) fn new_table(palette: Palette, header: &[&str]) -> Table {
    let mut table = Table::new();
    table
        .load_preset(presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic);
    if palette.enabled {
        table.enforce_styling();
    } else {
        table.force_no_tty();
    }
    table.set_header(header.iter().map(Cell::new));
    table
}

/// A cell colored by how good the thing in it is.
pub(crate) fn graded_cell(text: impl ToString, grade: Grade) -> Cell {
    let cell = Cell::new(text);
    match grade {
        Grade::Good => cell.fg(Color::Green),
        Grade::Fair => cell.fg(Color::Yellow),
        Grade::Poor => cell.fg(Color::Red),
        Grade::Neutral => cell,
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Grade {
    Good,
    Fair,
    Poor,
    Neutral,
}
