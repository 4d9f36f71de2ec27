//! The bank as commands show it: `list`'s rows, `show`'s problem and
//! `validate`'s findings, each one value built from the domain types. JSON is
//! the value serialized; the terminal and Markdown draw the same value.

use super::{Difficulty, Draw, Header, Issue, PhaseId, Problem, Skill};
use crate::bank::Level;
use crate::milestones::Item;
use serde::Serialize;

/// One row of `sdi list`.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ListRow {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) difficulty: Difficulty,
    pub(crate) tags: Vec<String>,
    pub(crate) summary: String,
    /// The score of the latest finished session on it.
    pub(crate) last_score: Option<f64>,
}

impl ListRow {
    pub(crate) fn new(h: &Header, last_score: Option<f64>) -> ListRow {
        ListRow {
            id: h.id.clone(),
            title: h.title.clone(),
            difficulty: h.difficulty,
            tags: h.tags.clone(),
            summary: h.summary.trim().to_string(),
            last_score,
        }
    }
}

/// A problem as `sdi show` presents it: everything, references and the rubric
/// included. The terminal leaves the references, derivations and strong
/// answers out unless `--key` is given; JSON always has them.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ProblemView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) difficulty: Difficulty,
    pub(crate) tags: Vec<String>,
    pub(crate) summary: String,
    pub(crate) statement: String,
    pub(crate) sources: Vec<String>,
    pub(crate) assumptions: Vec<AssumptionView>,
    pub(crate) estimates: Vec<EstimateView>,
    pub(crate) scale: ScaleView,
    pub(crate) clarifications: Vec<ClarificationView>,
    pub(crate) phases: Vec<PhaseView>,
    pub(crate) rubric: RubricView,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct AssumptionView {
    pub(crate) name: String,
    /// As written in the problem file.
    pub(crate) value: String,
    /// As a person reads it.
    pub(crate) shown: String,
    pub(crate) description: String,
    /// What drills draw from: "5 KB to 50 KB", "99.9%, 99.99%", or none.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) draws: Option<String>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct EstimateView {
    pub(crate) id: String,
    pub(crate) question: String,
    pub(crate) unit: String,
    pub(crate) skill: Skill,
    pub(crate) tolerance: f64,
    /// A number in `unit`.
    pub(crate) reference: f64,
    pub(crate) reference_shown: String,
    pub(crate) expression: String,
    /// The expression with the values written in.
    pub(crate) derivation: String,
    pub(crate) hint: String,
    /// With its placeholders filled.
    pub(crate) explanation: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ScaleView {
    pub(crate) users: Option<String>,
    pub(crate) rps: Option<String>,
    pub(crate) data: Option<String>,
    pub(crate) ratio: Option<String>,
    pub(crate) not_needed: Vec<NotNeeded>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct NotNeeded {
    pub(crate) item: Item,
    pub(crate) why: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct ClarificationView {
    pub(crate) question: String,
    pub(crate) answer: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct PhaseView {
    pub(crate) id: PhaseId,
    pub(crate) minutes: f64,
    pub(crate) goal: String,
    pub(crate) guidance: String,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RubricView {
    pub(crate) estimates_weight: f64,
    pub(crate) criteria: Vec<CriterionView>,
    pub(crate) red_flags: Vec<RedFlagView>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct CriterionView {
    pub(crate) id: String,
    pub(crate) phase: PhaseId,
    pub(crate) level: Level,
    pub(crate) weight: f64,
    pub(crate) title: String,
    pub(crate) strong: String,
    pub(crate) study: String,
    pub(crate) shared: bool,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct RedFlagView {
    pub(crate) id: String,
    pub(crate) title: String,
    pub(crate) penalty: f64,
    pub(crate) why: String,
}

impl ProblemView {
    pub(crate) fn new(p: &Problem) -> ProblemView {
        let scope = p.scope();
        ProblemView {
            id: p.id.clone(),
            title: p.title.clone(),
            difficulty: p.difficulty,
            tags: p.tags.clone(),
            summary: p.summary.clone(),
            statement: p.statement.clone(),
            sources: p.sources.clone(),
            assumptions: p
                .assumptions
                .iter()
                .map(|a| AssumptionView {
                    name: a.name.clone(),
                    value: a.text.clone(),
                    shown: a.shown(),
                    description: a.description.clone(),
                    draws: match &a.draw {
                        Draw::Fixed => None,
                        Draw::Range((lo, _), (hi, _)) => Some(format!("{lo} to {hi}")),
                        Draw::Choices(c) => Some(
                            c.iter()
                                .map(|(text, _)| text.as_str())
                                .collect::<Vec<_>>()
                                .join(", "),
                        ),
                    },
                })
                .collect(),
            estimates: p
                .estimates
                .iter()
                .map(|e| EstimateView {
                    id: e.id.clone(),
                    question: e.question.clone(),
                    unit: e.unit_text.clone(),
                    skill: e.skill,
                    tolerance: e.tolerance,
                    reference: e.reference.value_in(&e.unit),
                    reference_shown: Problem::shown_reference(e, &e.reference),
                    expression: e.expr.clone(),
                    derivation: p.substituted(e, &scope),
                    hint: e.hint.clone(),
                    explanation: p.explain(e, &scope, &Default::default()),
                })
                .collect(),
            scale: ScaleView {
                users: p.scale.users.clone(),
                rps: p.scale.rps.clone(),
                data: p.scale.data.clone(),
                ratio: p.scale.ratio.clone(),
                not_needed: p
                    .scale
                    .not_needed
                    .iter()
                    .map(|(item, why)| NotNeeded {
                        item: *item,
                        why: why.clone(),
                    })
                    .collect(),
            },
            clarifications: p
                .clarifications
                .iter()
                .map(|c| ClarificationView {
                    question: c.question.clone(),
                    answer: c.answer.clone(),
                })
                .collect(),
            phases: p
                .phases
                .iter()
                .map(|ph| PhaseView {
                    id: ph.id,
                    minutes: ph.minutes,
                    goal: ph.goal.clone(),
                    guidance: ph.guidance.clone(),
                })
                .collect(),
            rubric: RubricView {
                estimates_weight: p.rubric.estimates_weight,
                criteria: p
                    .rubric
                    .criteria
                    .iter()
                    .map(|c| CriterionView {
                        id: c.id.clone(),
                        phase: c.phase,
                        level: c.level,
                        weight: c.weight,
                        title: c.title.clone(),
                        strong: c.strong.clone(),
                        study: c.study.clone(),
                        shared: c.shared,
                    })
                    .collect(),
                red_flags: p
                    .rubric
                    .red_flags
                    .iter()
                    .map(|f| RedFlagView {
                        id: f.id.clone(),
                        title: f.title.clone(),
                        penalty: f.penalty,
                        why: f.why.clone(),
                    })
                    .collect(),
            },
        }
    }
}

/// What `sdi validate` found.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ValidateView {
    /// Where the bank is: "the built-in bank", or a folder.
    pub(crate) bank: String,
    pub(crate) ok: bool,
    pub(crate) problems: usize,
    pub(crate) files: usize,
    pub(crate) errors: usize,
    pub(crate) warnings: usize,
    pub(crate) issues: Vec<Issue>,
    /// The verdict is the one the build script reached on the built-in bank
    /// (the same compiler, the same files), not a check made by this run.
    pub(crate) checked_when_built: bool,
}
