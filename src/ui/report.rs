//! A graded report as one document, drawn for the terminal or as Markdown:
//! the score and level, then phase by phase what the candidate wrote (and
//! asked) beside the marks of that phase's criteria and what a strong answer
//! says, the estimates, the milestone tiers, the claims to check, red flags,
//! the level verdict and what to study next. Both formats draw the same
//! document, so neither lacks a section.

use super::Palette;
use super::doc::{Block, Doc, Text, Tone};
use crate::grade::{Credit, CriterionResult, EstimateResult, Mark, PhaseScore, Quote, ReportView};
use crate::quantity::{Verdict, format_number, ratio_short};

fn verdict_tone(v: Verdict) -> Tone {
    match v {
        Verdict::Ok => Tone::Good,
        Verdict::Close => Tone::Fair,
        _ => Tone::Poor,
    }
}

fn mark_tone(m: Mark) -> Tone {
    match m {
        Mark::Covered => Tone::Good,
        Mark::Partial => Tone::Fair,
        Mark::Missed => Tone::Poor,
    }
}

fn score_tone(score: f64) -> Tone {
    if score >= 70.0 {
        Tone::Good
    } else if score >= 40.0 {
        Tone::Fair
    } else {
        Tone::Poor
    }
}

fn minutes(m: f64) -> String {
    crate::store::format_duration(m * 60.0)
}

fn phase_time(p: &PhaseScore) -> String {
    match (p.reached, p.minutes) {
        (false, _) => "not reached".to_string(),
        (true, Some(m)) => {
            let over = p.overtime_minutes.filter(|o| *o > 0.0);
            match over {
                Some(o) => format!("{} (+{} over)", minutes(m), minutes(o)),
                None => minutes(m),
            }
        }
        (true, None) => "-".to_string(),
    }
}

/// How far off, as the sentences say it: "9.6x low", "spot on".
fn ratio_text(ratio: Option<f64>) -> String {
    ratio.map_or_else(|| "-".to_string(), ratio_short)
}

/// The answer in the question's unit, else as typed, else a dash.
fn answer_text(e: &EstimateResult) -> String {
    e.answer_shown
        .clone()
        .or_else(|| e.answer.clone())
        .unwrap_or_else(|| "-".into())
}

/// Why a criterion got its mark, in a line: the clause that earned it, the
/// claim that contradicted it, or the mention that did not count.
fn evidence_text(c: &CriterionResult) -> String {
    const SHORT: usize = 90;
    let clip = |text: &str| -> String {
        if text.chars().count() <= SHORT {
            return text.to_string();
        }
        let cut: String = text.chars().take(SHORT).collect();
        let at = cut.rfind(char::is_whitespace).unwrap_or(cut.len());
        format!("{}...", &cut[..at])
    };
    if let Some(k) = &c.contradicted {
        return format!("contradicted: \"{}\"", clip(&k.text));
    }
    let earned: Vec<&Quote> = c
        .evidence
        .iter()
        .filter(|q| matches!(q.credit, Credit::Earned | Credit::KeywordList))
        .collect();
    let mut out = match earned.first() {
        Some(q) => {
            let more = if earned.len() > 1 {
                format!(" (+{} more)", earned.len() - 1)
            } else {
                String::new()
            };
            format!("\"{}\"{more}", clip(&q.text))
        }
        None => String::new(),
    };
    if c.mark() != Mark::Covered
        && let Some(q) = c
            .evidence
            .iter()
            .find(|q| !matches!(q.credit, Credit::Earned | Credit::KeywordList))
    {
        let why = match q.credit {
            Credit::NotAsserted => q.stance.label().to_string(),
            other => other.label().to_string(),
        };
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(&format!("{why}: \"{}\"", clip(&q.text)));
    }
    if let Some(note) = &c.note {
        if !out.is_empty() {
            out.push_str("; ");
        }
        out.push_str(note);
    }
    if out.is_empty() { "-".into() } else { out }
}

fn mark_text(c: &CriterionResult) -> String {
    match c.self_mark {
        Some(m) if m != c.detected => format!("{} (detected: {})", m.label(), c.detected.label()),
        _ => c.mark().label().to_string(),
    }
}

/// The report as a document.
pub(crate) fn report_doc(view: &ReportView<'_>) -> Doc {
    let r = view.report;
    let mut doc = Doc::default();
    let under = view.session.as_ref().map(|s| {
        format!(
            "{} · {} · {} · {}",
            s.date,
            s.mode.label(),
            s.status.label(),
            crate::store::format_duration(s.seconds)
        )
    });
    doc.push(Block::Title(format!("{} ({})", r.title, r.problem), under));
    let mut score = format!("Score {:.0}/100", r.score);
    if r.self_graded {
        score.push_str(&format!(
            " (self-graded; evidence alone: {:.0})",
            r.detected_score
        ));
    }
    score.push_str(&format!(" · Level: {}", r.level.label));
    doc.push(Block::Para(Text::toned(score, score_tone(r.score))));

    doc.push(Block::Heading("Phases".into()));
    doc.push(Block::Table {
        header: vec![
            "Phase".into(),
            "Score".into(),
            "Time".into(),
            "Budget".into(),
        ],
        rows: r
            .phases
            .iter()
            .map(|p| {
                vec![
                    Text::plain(p.phase.title()),
                    p.score.map_or_else(
                        || Text::plain("-"),
                        |s| Text::toned(format!("{s:.0}"), score_tone(s)),
                    ),
                    Text::plain(phase_time(p)),
                    Text::plain(minutes(p.budget_minutes)),
                ]
            })
            .collect(),
    });

    for p in &r.phases {
        phase_section(&mut doc, view, p);
    }

    let m = &r.milestones;
    if m.reference.is_some() || m.candidate.is_some() {
        doc.push(Block::Heading("Scaling milestones".into()));
        doc.push(Block::Table {
            header: vec![
                String::new(),
                "Numbers and their rows".into(),
                "Tier".into(),
                "Architecture it needs here".into(),
            ],
            rows: [("Yours", &m.candidate), ("Reference", &m.reference)]
                .into_iter()
                .map(|(who, tier)| match tier {
                    Some(t) => vec![
                        Text::plain(who),
                        Text::plain(t.metrics.clone()),
                        Text::plain(format!("row {}", t.row)),
                        Text::plain(if t.architecture.is_empty() {
                            "-".to_string()
                        } else {
                            t.architecture.join(", ")
                        }),
                    ],
                    None => vec![
                        Text::plain(who),
                        Text::plain("not enough numbers to place"),
                        Text::plain("-"),
                        Text::plain("-"),
                    ],
                })
                .collect(),
        });
        let notes: Vec<Text> = m
            .notes
            .iter()
            .chain(m.candidate.iter().flat_map(|c| &c.notes))
            .map(|n| Text::plain(n.clone()))
            .collect();
        if !notes.is_empty() {
            doc.push(Block::Bullets(notes));
        }
    }

    let claims: Vec<Text> = r
        .criteria
        .iter()
        .filter_map(|c| {
            c.contradicted.as_ref().map(|k| {
                Text::plain(format!(
                    "\"{}\" ({}): {} No credit for \"{}\".",
                    k.text,
                    k.phase.title(),
                    k.why,
                    c.title
                ))
            })
        })
        .collect();
    if !claims.is_empty() {
        doc.push(Block::Heading("Claims to check".into()));
        doc.push(Block::Bullets(claims));
    }
    if !r.red_flags.is_empty() {
        doc.push(Block::Heading("Red flags".into()));
        doc.push(Block::Bullets(
            r.red_flags
                .iter()
                .map(|f| {
                    let wrote = f.evidence.as_ref().map_or(&f.matched, |q| &q.text);
                    Text::plain(format!(
                        "{} (-{} points, you wrote \"{}\"): {}",
                        f.title,
                        format_number(f.penalty, false),
                        wrote,
                        f.why
                    ))
                })
                .collect(),
        ));
    }
    doc.push(Block::Heading(format!("Level verdict: {}", r.level.label)));
    doc.push(Block::Bullets(
        r.level
            .reasons
            .iter()
            .map(|x| Text::plain(x.clone()))
            .collect(),
    ));
    if !r.study.is_empty() {
        doc.push(Block::Heading("Study next".into()));
        doc.push(Block::Numbered(
            r.study.iter().map(|x| Text::plain(x.clone())).collect(),
        ));
    }
    doc
}

/// One phase: what was written and asked, then its marks (or its estimates),
/// then what a strong answer says where this one fell short.
fn phase_section(doc: &mut Doc, view: &ReportView<'_>, p: &PhaseScore) {
    let r = view.report;
    let mut heading = p.phase.title().to_string();
    if let Some(s) = p.score {
        heading.push_str(&format!(" ({s:.0}/100)"));
    }
    doc.push(Block::Heading(heading));
    if !p.reached {
        doc.push(Block::Para(Text::toned(
            "Not reached: the time ran out or the session stopped before it.",
            Tone::Dim,
        )));
    }
    if let Some(w) = view.transcript.iter().find(|w| w.phase == p.phase) {
        if !w.lines.is_empty() {
            doc.push(Block::Subheading("What you wrote".into()));
            doc.push(Block::Quote(w.lines.clone()));
        }
        if !w.questions.is_empty() {
            doc.push(Block::Subheading("What you asked".into()));
            doc.push(Block::Bullets(
                w.questions
                    .iter()
                    .map(|q| {
                        Text::plain(format!(
                            "{} Interviewer: {}",
                            q.question,
                            q.answer
                                .as_deref()
                                .unwrap_or("(no prepared answer: state an assumption)")
                        ))
                    })
                    .collect(),
            ));
        }
    }
    if p.keyword_list {
        doc.push(Block::Para(Text::toned(
            "This phase reads as a keyword list: name a term in a sentence that says what it does, and why.",
            Tone::Fair,
        )));
    }
    if p.phase == crate::bank::PhaseId::Estimation && !r.estimates.is_empty() {
        estimates_section(doc, &r.estimates);
    }
    let criteria: Vec<&CriterionResult> =
        r.criteria.iter().filter(|c| c.phase == p.phase).collect();
    if !criteria.is_empty() {
        doc.push(Block::Table {
            header: vec![
                "Criterion".into(),
                "Level".into(),
                "Weight".into(),
                "Mark".into(),
                "Why".into(),
            ],
            rows: criteria
                .iter()
                .map(|c| {
                    vec![
                        Text::plain(c.title.clone()),
                        Text::plain(c.level.label()),
                        Text::plain(format_number(c.weight, false)),
                        Text::toned(
                            format!("{} ({}/{})", mark_text(c), c.found.min(c.need), c.need),
                            mark_tone(c.mark()),
                        ),
                        Text::plain(evidence_text(c)),
                    ]
                })
                .collect(),
        });
        let strong: Vec<Text> = criteria
            .iter()
            .filter(|c| c.mark() != Mark::Covered)
            .map(|c| Text::plain(format!("{}: {}", c.title, c.strong)))
            .collect();
        if !strong.is_empty() {
            doc.push(Block::Subheading("What a strong answer says".into()));
            doc.push(Block::Bullets(strong));
        }
    }
}

fn estimates_section(doc: &mut Doc, estimates: &[EstimateResult]) {
    doc.push(Block::Table {
        header: vec![
            "Estimate".into(),
            "Your answer".into(),
            "Reference".into(),
            "Ratio".into(),
            "Verdict".into(),
        ],
        rows: estimates
            .iter()
            .map(|e| {
                vec![
                    Text::plain(e.id.clone()),
                    Text::plain(answer_text(e)),
                    Text::plain(e.reference_shown.clone()),
                    Text::plain(ratio_text(e.ratio)),
                    Text::toned(e.verdict.label(), verdict_tone(e.verdict)),
                ]
            })
            .collect(),
    });
    let mut notes: Vec<Text> = Vec::new();
    for e in estimates {
        if let Some(note) = &e.note {
            notes.push(Text::plain(format!("{}: {note}", e.id)));
        }
        if e.verdict == Verdict::Ok {
            continue;
        }
        let mut line = format!("{}: {} = {}", e.id, e.derivation, e.reference_shown);
        if let Some(slip) = &e.diagnosis {
            line.push_str(&format!(" (yours is {}: {slip})", ratio_text(e.ratio)));
        }
        if matches!(e.verdict, Verdict::UnitMismatch | Verdict::Invalid) {
            line.push_str(&format!(" ({})", e.message.lines().next().unwrap_or("")));
        }
        notes.push(Text::plain(line));
    }
    if !notes.is_empty() {
        doc.push(Block::Bullets(notes));
    }
}

/// The report for a terminal.
pub(crate) fn render_text(view: &ReportView<'_>, palette: Palette) -> String {
    super::doc::render_text(&report_doc(view), palette, super::doc::width())
}

/// The report as Markdown, for notes or a mentor.
pub(crate) fn render_markdown(view: &ReportView<'_>) -> String {
    super::doc::render_markdown(&report_doc(view))
}
