//! `sdi milestones`: the scaling-milestones table, or where a system sits on it.

use crate::milestones::{self, Metric, MilestonesView, TABLE};
use crate::ui::Palette;
use crate::ui::doc::{self, Block, Doc, Text, Tone};
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
        let view = MilestonesView::new(placement.as_ref());
        writeln!(out, "{}", serde_json::to_string_pretty(&view)?)?;
        return Ok(());
    }
    let mut header = ["Users", "RPS", "Data", "Architecture"]
        .map(String::from)
        .to_vec();
    if placement.is_some() {
        header.push("Your numbers".into());
    }
    let rows = TABLE
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let row = i + 1;
            let tone = if placement.as_ref().is_some_and(|p| p.tier == row) {
                Tone::Strong
            } else {
                Tone::Plain
            };
            let mut cells = vec![
                Text::toned(m.label.users, tone),
                Text::toned(m.label.rps, tone),
                Text::toned(m.label.data, tone),
                Text::toned(labels(m.architecture), tone),
            ];
            if let Some(p) = &placement {
                let here: Vec<String> = p
                    .placed
                    .iter()
                    .filter(|placed| placed.row == row)
                    .map(|placed| format!("{} {}", placed.metric, placed.shown))
                    .collect();
                cells.push(Text::toned(here.join(", "), tone));
            }
            cells
        })
        .collect();
    let mut d = Doc::default();
    d.push(Block::Table { header, rows });
    if let Some(p) = placement {
        d.push(Block::Para(Text::plain(format!(
            "Your numbers: {}",
            p.rows_text()
        ))));
        d.push(Block::Para(Text::plain(format!(
            "Tier: row {} of {} ({})",
            p.tier,
            TABLE.len(),
            p.tier_label()
        ))));
        d.push(Block::Para(Text::plain(format!(
            "Architecture needed: {}",
            labels(&p.architecture())
        ))));
        if p.consistent {
            d.push(Block::Para(Text::toned(
                "Consistent: yes, the metrics agree within one row",
                Tone::Good,
            )));
        } else {
            d.push(Block::Para(Text::toned("Consistent: no", Tone::Fair)));
            d.push(Block::Bullets(
                p.notes.iter().map(|n| Text::plain(n.clone())).collect(),
            ));
        }
    }
    write!(out, "{}", doc::render_text(&d, palette, doc::width()))?;
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
