//! `sdi milestones`: the scaling-milestones table, or where a system sits on it.

use crate::milestones::{self, Metric, TABLE};
use crate::ui::Palette;
use crate::ui::table::new_table;
use comfy_table::{Attribute, Cell};
use serde_json::json;
use std::io::Write;

pub(super) fn run(
    users: Option<&str>,
    rps: Option<&str>,
    data: Option<&str>,
    json: bool,
    palette: Palette,
) -> anyhow::Result<()> {
    let read =
        |metric, text: Option<&str>| text.map(|t| milestones::read_metric(metric, t)).transpose();
    let users = read(Metric::Users, users)?;
    let rps = read(Metric::Rps, rps)?;
    let data = read(Metric::Data, data)?;
    let placement = milestones::place(users, rps, data);
    let mut out = std::io::stdout().lock();
    if json {
        let value = match &placement {
            None => json!({ "milestones": TABLE }),
            Some(p) => json!({
                "placement": p.placed,
                "tier": {
                    "row": p.tier,
                    "users": TABLE[p.tier - 1].label.users,
                    "rps": TABLE[p.tier - 1].label.rps,
                    "data": TABLE[p.tier - 1].label.data,
                    "adds": TABLE[p.tier - 1].architecture,
                },
                "architecture": p.architecture(),
                "consistent": p.consistent,
                "notes": p.notes,
            }),
        };
        writeln!(out, "{}", serde_json::to_string_pretty(&value)?)?;
        return Ok(());
    }
    let mut header = vec!["Users", "RPS", "Data", "Architecture"];
    if placement.is_some() {
        header.push("Your numbers");
    }
    let mut table = new_table(palette, &header);
    for (i, m) in TABLE.iter().enumerate() {
        let row = i + 1;
        let mut cells = vec![
            Cell::new(m.label.users),
            Cell::new(m.label.rps),
            Cell::new(m.label.data),
            Cell::new(labels(m.architecture)),
        ];
        if let Some(p) = &placement {
            let here: Vec<String> = p
                .placed
                .iter()
                .filter(|placed| placed.row == row)
                .map(|placed| format!("{} {}", placed.metric, placed.shown))
                .collect();
            cells.push(Cell::new(here.join(", ")));
            if row == p.tier {
                cells = cells
                    .into_iter()
                    .map(|c| c.add_attribute(Attribute::Bold))
                    .collect();
            }
        }
        table.add_row(cells);
    }
    writeln!(out, "{table}")?;
    if let Some(p) = placement {
        writeln!(out)?;
        writeln!(out, "Your numbers: {}", p.rows_text())?;
        writeln!(
            out,
            "Tier: row {} of {} ({})",
            p.tier,
            TABLE.len(),
            palette.bold(&p.tier_label())
        )?;
        writeln!(out, "Architecture needed: {}", labels(&p.architecture()))?;
        if p.consistent {
            writeln!(
                out,
                "Consistent: {}",
                palette.good("yes, the metrics agree within one row")
            )?;
        } else {
            writeln!(out, "Consistent: {}", palette.warn("no"))?;
            for note in &p.notes {
                writeln!(out, "  - {note}")?;
            }
        }
    }
    Ok(())
}

/// Architecture items as the table names them: "Read replicas, CDN".
fn labels(items: &[milestones::Item]) -> String {
    items
        .iter()
        .map(|i| i.label())
        .collect::<Vec<_>>()
        .join(", ")
}
