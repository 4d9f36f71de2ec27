//! Progress as documents: `sdi history`'s sessions, `sdi stats`, and the
//! summary a drill ends with. Each is drawn from the library's view of it
//! (the value `--json` prints) and nothing here computes.

use super::doc::{Block, Doc, Text, Tone};
use crate::drill::Summary;
use crate::quantity::{Verdict, ratio_short};
use crate::stats::Stats;
use crate::store::{HistoryRow, format_duration};

fn accuracy_tone(a: Option<f64>) -> Tone {
    match a {
        Some(a) if a >= 0.7 => Tone::Good,
        Some(a) if a >= 0.4 => Tone::Fair,
        Some(_) => Tone::Poor,
        None => Tone::Plain,
    }
}

fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::Ok => Tone::Good,
        Verdict::Close => Tone::Fair,
        _ => Tone::Poor,
    }
}

fn percent(a: Option<f64>) -> String {
    a.map_or_else(|| "-".to_string(), |a| format!("{:.0}%", a * 100.0))
}

fn seconds(m: Option<f64>) -> String {
    m.map_or_else(|| "-".to_string(), |m| format!("{m:.0}"))
}

/// "the last run", "the last 7 runs".
fn last_n(n: usize, one: &str, many: &str) -> String {
    if n == 1 {
        format!("the last {one}")
    } else {
        format!("the last {n} {many}")
    }
}

/// Values in 0..=`max` as a terminal sparkline.
fn sparkline(values: &[f64], max: f64) -> String {
    const BARS: [char; 8] = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];
    values
        .iter()
        .map(|v| {
            let i = ((v / max).clamp(0.0, 1.0) * 7.0).round() as usize;
            BARS[i]
        })
        .collect()
}

/// `sdi history`: the latest sessions, oldest first; `earlier` more are not shown.
pub(crate) fn history_doc(rows: &[HistoryRow<'_>], earlier: usize) -> Doc {
    let mut doc = Doc::default();
    if rows.is_empty() {
        doc.push(Block::Para(Text::plain(
            "No sessions yet: `sdi practice` or `sdi mock` starts one.",
        )));
        return doc;
    }
    if earlier > 0 {
        doc.push(Block::Para(Text::plain(format!(
            "{earlier} earlier sessions are not shown: `sdi history --json` lists them all"
        ))));
    }
    doc.push(Block::Table {
        header: [
            "Date (UTC)",
            "Problem",
            "Mode",
            "Score",
            "Level",
            "Duration",
            "Status",
            "Session",
        ]
        .map(String::from)
        .to_vec(),
        rows: rows
            .iter()
            .map(|r| {
                let s = r.record;
                vec![
                    Text::plain(r.date.clone()),
                    Text::plain(s.problem.clone()),
                    Text::plain(s.mode.label()),
                    Text::plain(
                        s.score
                            .map_or_else(|| "-".to_string(), |v| format!("{v:.0}")),
                    ),
                    Text::plain(s.level.clone().unwrap_or_else(|| "-".into())),
                    Text::plain(format_duration(s.seconds)),
                    Text::plain(s.status.label()),
                    Text::plain(s.id.clone()),
                ]
            })
            .collect(),
    });
    doc
}

/// `sdi stats`.
pub(crate) fn stats_doc(s: &Stats) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Heading("Drills".into()));
    if s.drills.answered == 0 {
        doc.push(Block::Para(Text::plain(
            "None yet: `sdi drill` asks ten questions.",
        )));
    } else {
        doc.push(Block::Para(Text::plain(format!(
            "{} answered, {} right ({}), median {} s per answer",
            s.drills.answered,
            s.drills.correct,
            percent(s.drills.accuracy),
            seconds(s.drills.median_seconds)
        ))));
        doc.push(Block::Table {
            header: ["Skill", "Answered", "Right", "Accuracy", "Median s"]
                .map(String::from)
                .to_vec(),
            rows: s
                .drills
                .by_skill
                .iter()
                .map(|(skill, t)| {
                    vec![
                        Text::plain(skill.as_str()),
                        Text::plain(t.answered.to_string()),
                        Text::plain(t.correct.to_string()),
                        Text::toned(percent(t.accuracy), accuracy_tone(t.accuracy)),
                        Text::plain(seconds(t.median_seconds)),
                    ]
                })
                .collect(),
        });
        doc.push(Block::Para(Text::plain(format!(
            "Accuracy over {}: {} (oldest to newest)",
            last_n(s.recent_accuracy.len(), "run", "runs"),
            sparkline(&s.recent_accuracy, 1.0)
        ))));
    }
    doc.push(Block::Heading("Practice and mock sessions".into()));
    let charted: Vec<_> = s.finished().collect();
    if charted.is_empty() {
        doc.push(Block::Para(Text::plain(
            "None finished yet: `sdi practice` or `sdi mock`.",
        )));
    }
    let abandoned = s.sessions.len() - charted.len();
    if abandoned > 0 {
        doc.push(Block::Para(Text::toned(
            format!("{abandoned} abandoned, not charted: `sdi history` lists them."),
            Tone::Dim,
        )));
    }
    if !charted.is_empty() {
        doc.push(Block::Para(Text::plain(format!(
            "Scores over {}: {} (0-100)",
            last_n(s.recent_scores.len(), "session", "sessions"),
            sparkline(&s.recent_scores, 100.0)
        ))));
        doc.push(Block::Table {
            header: ["Date (UTC)", "Problem", "Mode", "Score", ""]
                .map(String::from)
                .to_vec(),
            rows: charted
                .iter()
                .rev()
                .take(8)
                .rev()
                .map(|p| {
                    let score = p.score.unwrap_or(0.0);
                    vec![
                        Text::plain(p.date.clone()),
                        Text::plain(p.problem.clone()),
                        Text::plain(p.mode.label()),
                        Text::plain(format!("{score:.0}")),
                        Text::plain("█".repeat((score / 5.0).round() as usize)),
                    ]
                })
                .collect(),
        });
    }
    if !s.never_practised.is_empty() {
        doc.push(Block::Heading("Never practised".into()));
        doc.push(Block::Para(Text::plain(s.never_practised.join(", "))));
    }
    if !s.most_missed.is_empty() {
        doc.push(Block::Heading("Criteria missed most often".into()));
        doc.push(Block::Bullets(
            s.most_missed
                .iter()
                .map(|m| Text::plain(format!("{}x  {} ({})", m.count, m.title, m.id)))
                .collect(),
        ));
    }
    doc
}

/// The table a drill ends with.
pub(crate) fn drill_summary_doc(summary: &Summary) -> Doc {
    let mut doc = Doc::default();
    doc.push(Block::Table {
        header: [
            "#",
            "Skill",
            "Your answer",
            "Reference",
            "Verdict",
            "Seconds",
        ]
        .map(String::from)
        .to_vec(),
        rows: summary
            .rows
            .iter()
            .enumerate()
            .map(|(i, a)| {
                let verdict = match (a.verdict, a.ratio) {
                    (Some(v), Some(r)) => {
                        Text::toned(format!("{v} ({})", ratio_short(r)), verdict_tone(v))
                    }
                    (Some(v), None) => Text::toned(v.label(), verdict_tone(v)),
                    (None, _) => Text::plain("skipped"),
                };
                vec![
                    Text::plain((i + 1).to_string()),
                    Text::plain(a.question.skill.as_str()),
                    Text::plain(
                        a.answer_shown
                            .clone()
                            .or_else(|| a.answer.clone())
                            .unwrap_or_else(|| "-".into()),
                    ),
                    Text::plain(a.question.reference_shown.clone()),
                    verdict,
                    Text::plain(format!("{:.0}", a.seconds)),
                ]
            })
            .collect(),
    });
    doc.push(Block::Para(Text::plain(format!(
        "{} of {} answered within tolerance. `sdi stats` shows your progress.",
        summary.right, summary.counted
    ))));
    doc
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sparklines_scale_to_the_maximum() {
        assert_eq!(sparkline(&[0.0, 50.0, 100.0], 100.0), "▁▅█");
        assert_eq!(sparkline(&[], 1.0), "");
    }

    #[test]
    fn one_run_is_the_last_run() {
        assert_eq!(last_n(1, "run", "runs"), "the last run");
        assert_eq!(last_n(7, "run", "runs"), "the last 7 runs");
    }
}
