//! Rubric scoring: evidence detection over free text, estimate verdicts from the
//! engine, the milestone tiers of the candidate's numbers against the
//! reference's, red flags, the self-grade merge, a 0-100 score per phase and in
//! total, and a level verdict with its reasons.
//!
//! The score is the weighted share of the criteria (covered 1, partial 1/2,
//! missed 0) plus the estimation phase (ok 1, close 1/2, else 0, sharing the
//! rubric's `estimates_weight`), less the penalties of red flags raised.

pub mod answers;
pub mod text;

use crate::bank::{Criterion, Evidence, Glossary, Level, PhaseId, Problem, Scope};
use crate::milestones::{self, Placement, TABLE};
use crate::quantity::{self, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use text::{Phrase, Text};

/// How far a criterion is met.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Mark {
    Covered,
    Partial,
    Missed,
}

impl Mark {
    pub const ALL: [Mark; 3] = [Mark::Covered, Mark::Partial, Mark::Missed];

    pub fn credit(self) -> f64 {
        match self {
            Mark::Covered => 1.0,
            Mark::Partial => 0.5,
            Mark::Missed => 0.0,
        }
    }

    pub fn as_str(self) -> &'static str {
        match self {
            Mark::Covered => "covered",
            Mark::Partial => "partial",
            Mark::Missed => "missed",
        }
    }
}

/// What a candidate wrote: text per phase and an answer per estimate.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Answer {
    pub phases: BTreeMap<PhaseId, String>,
    pub estimates: BTreeMap<String, String>,
}

impl Answer {
    /// Everything written, in phase order: the text evidence is looked for in.
    pub fn all_text(&self) -> String {
        PhaseId::ALL
            .iter()
            .filter_map(|p| self.phases.get(p))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }

    /// The design text: the phases after estimation.
    pub fn design_text(&self) -> String {
        PhaseId::ALL
            .iter()
            .filter(|p| !matches!(p, PhaseId::Requirements | PhaseId::Estimation))
            .filter_map(|p| self.phases.get(p))
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct CriterionResult {
    pub id: String,
    pub phase: PhaseId,
    pub level: Level,
    pub weight: f64,
    pub title: String,
    /// What the evidence shows.
    pub detected: Mark,
    /// What the candidate said after seeing the detected mark, if asked.
    pub self_mark: Option<Mark>,
    /// The candidate's words that matched, one per evidence item found.
    pub matched: Vec<String>,
    /// How many distinct evidence items were found, and how many were needed.
    pub found: usize,
    pub need: usize,
    pub strong: String,
    pub study: String,
}

impl CriterionResult {
    /// The mark that counts: the self-grade when given, else the detected one.
    pub fn mark(&self) -> Mark {
        self.self_mark.unwrap_or(self.detected)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct EstimateResult {
    pub id: String,
    pub question: String,
    pub unit: String,
    pub skill: String,
    /// What the candidate answered, as typed.
    pub answer: Option<String>,
    /// The answer in the question's unit.
    pub answer_shown: Option<String>,
    /// The reference as a number in `unit`.
    pub reference: f64,
    pub reference_shown: String,
    /// The expression with values substituted.
    pub derivation: String,
    pub ratio: Option<f64>,
    pub verdict: Verdict,
    pub message: String,
    pub hint: String,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct FlagResult {
    pub id: String,
    pub title: String,
    pub penalty: f64,
    pub why: String,
    /// The words that raised it.
    pub matched: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PhaseScore {
    pub phase: PhaseId,
    /// 0-100, or none when nothing in the phase is scored.
    pub score: Option<f64>,
    pub budget_minutes: f64,
    /// Time spent, in a live session.
    pub minutes: Option<f64>,
    pub overtime_minutes: Option<f64>,
    /// False when a mock ran out of time before this phase.
    pub reached: bool,
}

/// A system placed on the milestones table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tier {
    /// The numbers placed: "5M users, 20k RPS, 3 TB stored".
    pub metrics: String,
    /// Row of the table, from 0.
    pub row: usize,
    /// "1M users / 10K RPS / 1TB".
    pub label: String,
    pub architecture: Vec<String>,
    pub consistent: bool,
    pub notes: Vec<String>,
}

impl Tier {
    fn from(p: &Placement) -> Tier {
        let metrics: Vec<String> = p
            .placed
            .iter()
            .map(|m| match m.metric {
                milestones::Metric::Users => format!("{} users", m.shown),
                milestones::Metric::Rps => format!("{} RPS", m.shown),
                milestones::Metric::Data => format!("{} stored", m.shown),
            })
            .collect();
        Tier {
            metrics: metrics.join(", "),
            row: p.tier,
            label: p.tier_label(),
            architecture: p.architecture().into_iter().map(String::from).collect(),
            consistent: p.consistent,
            notes: p.notes.clone(),
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct MilestoneComparison {
    /// Where the reference numbers put the system.
    pub reference: Option<Tier>,
    /// Where the candidate's numbers put it.
    pub candidate: Option<Tier>,
    /// What the design skips or over-reaches for, against the reference tier.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LevelVerdict {
    /// The highest bar met, if any.
    pub level: Option<Level>,
    /// "senior", or "below the mid bar".
    pub label: String,
    pub reasons: Vec<String>,
}

/// A graded answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Report {
    pub problem: String,
    pub title: String,
    /// 0-100: with the self-grade when there is one.
    pub score: f64,
    /// 0-100 from the evidence alone.
    pub detected_score: f64,
    pub self_graded: bool,
    pub phases: Vec<PhaseScore>,
    pub criteria: Vec<CriterionResult>,
    pub estimates: Vec<EstimateResult>,
    pub red_flags: Vec<FlagResult>,
    pub milestones: MilestoneComparison,
    pub level: LevelVerdict,
    /// What to study next, most important first.
    pub study: Vec<String>,
}

/// Bars for the level verdict: the share of a level's criteria (weighted) an
/// answer must cover, and the share of estimate credit the mid bar needs.
const LEVEL_BAR: [(Level, f64); 3] = [(Level::Mid, 0.6), (Level::Senior, 0.6), (Level::Staff, 0.5)];
const ESTIMATES_BAR: f64 = 0.5;

/// Grades an answer against the problem's rubric.
pub fn grade(problem: &Problem, glossary: &Glossary, answer: &Answer) -> Report {
    let text = Text::new(&answer.all_text());
    let criteria: Vec<CriterionResult> = problem
        .rubric
        .criteria
        .iter()
        .map(|c| criterion_result(c, &text))
        .collect();
    let estimates = estimate_results(problem, answer);
    let red_flags = problem
        .rubric
        .red_flags
        .iter()
        .filter_map(|flag| {
            raised(&flag.evidence, &text).map(|matched| FlagResult {
                id: flag.id.clone(),
                title: flag.title.clone(),
                penalty: flag.penalty,
                why: flag.why.clone(),
                matched,
            })
        })
        .collect();
    let milestones = milestone_comparison(problem, glossary, answer, &estimates);
    let mut report = Report {
        problem: problem.id.clone(),
        title: problem.title.clone(),
        score: 0.0,
        detected_score: 0.0,
        self_graded: false,
        phases: problem
            .phases
            .iter()
            .map(|p| PhaseScore {
                phase: p.id,
                score: None,
                budget_minutes: p.minutes,
                minutes: None,
                overtime_minutes: None,
                reached: true,
            })
            .collect(),
        criteria,
        estimates,
        red_flags,
        milestones,
        level: LevelVerdict {
            level: None,
            label: String::new(),
            reasons: Vec::new(),
        },
        study: Vec::new(),
    };
    report.rescore(problem.rubric.estimates_weight);
    report
}

impl Report {
    /// Applies the candidate's self-grade (criterion id -> mark) and rescores.
    pub fn apply_self_grade(&mut self, marks: &BTreeMap<String, Mark>, estimates_weight: f64) {
        for c in &mut self.criteria {
            if let Some(mark) = marks.get(&c.id) {
                c.self_mark = Some(*mark);
            }
        }
        self.self_graded = !marks.is_empty();
        self.rescore(estimates_weight);
    }

    /// Recomputes scores, phase scores, the level verdict and the study list.
    pub fn rescore(&mut self, estimates_weight: f64) {
        let estimate_credit = if self.estimates.is_empty() {
            None
        } else {
            Some(
                self.estimates
                    .iter()
                    .map(|e| e.verdict.credit())
                    .sum::<f64>()
                    / self.estimates.len() as f64,
            )
        };
        let penalty: f64 = self.red_flags.iter().map(|f| f.penalty).sum();
        let total = |mark: &dyn Fn(&CriterionResult) -> Mark| {
            let possible: f64 = self.criteria.iter().map(|c| c.weight).sum::<f64>()
                + estimate_credit.map_or(0.0, |_| estimates_weight);
            let earned: f64 = self
                .criteria
                .iter()
                .map(|c| c.weight * mark(c).credit())
                .sum::<f64>()
                + estimate_credit.map_or(0.0, |credit| credit * estimates_weight);
            if possible > 0.0 {
                (earned / possible * 100.0 - penalty).clamp(0.0, 100.0)
            } else {
                0.0
            }
        };
        self.score = total(&|c| c.mark());
        self.detected_score = total(&|c| c.detected);
        for phase in &mut self.phases {
            phase.score = if phase.phase == PhaseId::Estimation {
                estimate_credit.map(|c| c * 100.0)
            } else {
                let of_phase: Vec<&CriterionResult> = self
                    .criteria
                    .iter()
                    .filter(|c| c.phase == phase.phase)
                    .collect();
                let possible: f64 = of_phase.iter().map(|c| c.weight).sum();
                (possible > 0.0).then(|| {
                    of_phase
                        .iter()
                        .map(|c| c.weight * c.mark().credit())
                        .sum::<f64>()
                        / possible
                        * 100.0
                })
            };
        }
        self.level = level_verdict(&self.criteria, estimate_credit, &self.red_flags);
        self.study = study_list(&self.criteria, &self.estimates);
    }
}

/// Detects one criterion's evidence in the text.
pub fn criterion_result(c: &Criterion, text: &Text) -> CriterionResult {
    let (found, matched) = detect(&c.evidence, text);
    let detected = if found >= c.evidence.need {
        Mark::Covered
    } else if found > 0 {
        Mark::Partial
    } else {
        Mark::Missed
    };
    CriterionResult {
        id: c.id.clone(),
        phase: c.phase,
        level: c.level,
        weight: c.weight,
        title: c.title.clone(),
        detected,
        self_mark: None,
        matched,
        found,
        need: c.evidence.need,
        strong: c.strong.clone(),
        study: c.study.clone(),
    }
}

/// How many distinct evidence items appear, and the candidate's words for each.
pub fn detect(evidence: &Evidence, text: &Text) -> (usize, Vec<String>) {
    let mut quotes: Vec<String> = Vec::new();
    let mut found = 0;
    for item in &evidence.items {
        let hit = item
            .forms
            .iter()
            .find_map(|form| text.find(&Phrase::new(form)));
        if let Some(m) = hit {
            found += 1;
            if !quotes.iter().any(|q| q.eq_ignore_ascii_case(&m.quote)) {
                quotes.push(m.quote);
            }
        }
    }
    (found, quotes)
}

/// The words that raise a red flag, unless every mention is negated.
fn raised(evidence: &Evidence, text: &Text) -> Option<String> {
    let mut found = 0;
    let mut quote = None;
    for item in &evidence.items {
        let hit = item.forms.iter().find_map(|form| {
            text.find_all(&Phrase::new(form))
                .into_iter()
                .find(|m| !text.is_negated(m))
        });
        if let Some(m) = hit {
            found += 1;
            quote.get_or_insert(m.quote);
        }
    }
    (found >= evidence.need).then_some(quote).flatten()
}

/// The problem's assumptions only: answers may use the given inputs by name, not
/// the references.
fn assumption_scope(problem: &Problem) -> Scope {
    problem
        .assumptions
        .iter()
        .map(|a| (a.name.clone(), a.value.clone()))
        .collect()
}

fn estimate_results(problem: &Problem, answer: &Answer) -> Vec<EstimateResult> {
    let scope = problem.scope();
    let inputs = assumption_scope(problem);
    problem
        .estimates
        .iter()
        .map(|e| {
            let given = answer.estimates.get(&e.id).map(|s| s.trim().to_string());
            let check = quantity::check_answer(
                given.as_deref().unwrap_or(""),
                &e.reference,
                &e.unit,
                &e.unit_text,
                e.tolerance,
                &inputs,
            );
            EstimateResult {
                id: e.id.clone(),
                question: e.question.clone(),
                unit: e.unit_text.clone(),
                skill: e.skill.as_str().to_string(),
                answer: given.filter(|g| !g.is_empty()),
                answer_shown: check.answer.as_ref().map(|a| a.text()),
                reference: e.reference.value_in(&e.unit),
                reference_shown: Problem::shown_reference(e, &e.reference),
                derivation: problem.substituted(e, &scope),
                ratio: check.ratio,
                verdict: check.verdict,
                message: check.message,
                hint: e.hint.clone(),
                explanation: e.explanation.clone(),
            }
        })
        .collect()
}

/// Glossary concepts for the milestones' architecture items.
fn architecture_concept(item: &str) -> &'static str {
    match item {
        "Single server" => "single-server",
        "Read replicas" => "read-replica",
        "CDN" => "cdn",
        "Sharding" => "sharding",
        "Caching" => "caching",
        "Microservices" => "microservices",
        "Kafka" => "kafka",
        "Multi-region" => "multi-region",
        "Edge" => "edge",
        "Global distribution" => "global-distribution",
        _ => "custom-infrastructure",
    }
}

/// The milestone tiers of an answer's numbers and of the references, with what
/// the design skips or over-reaches for: shown after the estimation phase.
pub fn placement(problem: &Problem, glossary: &Glossary, answer: &Answer) -> MilestoneComparison {
    let estimates = estimate_results(problem, answer);
    milestone_comparison(problem, glossary, answer, &estimates)
}

/// The criteria of one phase, detected in that phase's text alone: feedback in
/// practice right after the phase.
pub fn phase_feedback(problem: &Problem, phase: PhaseId, text: &str) -> Vec<CriterionResult> {
    let text = Text::new(text);
    problem
        .rubric
        .criteria
        .iter()
        .filter(|c| c.phase == phase)
        .map(|c| criterion_result(c, &text))
        .collect()
}

fn milestone_comparison(
    problem: &Problem,
    glossary: &Glossary,
    answer: &Answer,
    estimates: &[EstimateResult],
) -> MilestoneComparison {
    let scope = problem.scope();
    let reference_of =
        |name: &Option<String>| name.as_ref().and_then(|n| scope.get(n)).map(|q| q.value);
    // The candidate's number for a name: their answer when the name is an
    // estimate they answered sensibly, the given value when it is an assumption.
    let candidate_of = |name: &Option<String>| -> Option<f64> {
        let name = name.as_ref()?;
        match problem.estimate(name) {
            Some(e) => {
                let result = estimates.iter().find(|r| r.id == *name)?;
                if matches!(
                    result.verdict,
                    Verdict::Missing | Verdict::Invalid | Verdict::UnitMismatch
                ) {
                    return None;
                }
                result.ratio.map(|r| r * e.reference.value)
            }
            None => scope.get(name).map(|q| q.value),
        }
    };
    let s = &problem.scale;
    let reference = milestones::place(
        reference_of(&s.users),
        reference_of(&s.rps),
        reference_of(&s.data),
    );
    let candidate = milestones::place(
        candidate_of(&s.users),
        candidate_of(&s.rps),
        candidate_of(&s.data),
    );
    let mut notes = Vec::new();
    if let Some(r) = &reference {
        let design = Text::new(&answer.design_text());
        let mentions = |item: &str| {
            glossary.get(architecture_concept(item)).map(|forms| {
                forms.iter().any(|f| {
                    design
                        .find_all(&Phrase::new(f))
                        .iter()
                        .any(|m| !design.is_negated(m))
                })
            })
        };
        if !design.is_empty() {
            // The first row (a single server) is where every system starts, not a need.
            let skipped: Vec<&str> = TABLE
                .iter()
                .take(r.tier + 1)
                .skip(1)
                .flat_map(|m| m.architecture.iter().copied())
                .filter(|item| mentions(item) == Some(false))
                .collect();
            if !skipped.is_empty() {
                notes.push(format!(
                    "At {} the table expects {}; the design never mentions {}.",
                    r.tier_label(),
                    r.architecture().join(", "),
                    skipped.join(", ")
                ));
            }
            for (row, m) in TABLE.iter().enumerate().skip(r.tier + 2) {
                for item in m.architecture {
                    if mentions(item) == Some(true) {
                        notes.push(format!(
                            "The design reaches for {} (a {} users / {} RPS measure) at {}: say why it is needed, or leave it out.",
                            item.to_lowercase(),
                            TABLE[row].label.users,
                            TABLE[row].label.rps,
                            r.tier_label()
                        ));
                    }
                }
            }
        }
        if let Some(c) = &candidate
            && c.tier != r.tier
        {
            notes.push(format!(
                "Your numbers put the system at {}; the reference numbers at {}.",
                c.tier_label(),
                r.tier_label()
            ));
        }
    }
    MilestoneComparison {
        reference: reference.as_ref().map(Tier::from),
        candidate: candidate.as_ref().map(Tier::from),
        notes,
    }
}

fn level_verdict(
    criteria: &[CriterionResult],
    estimate_credit: Option<f64>,
    flags: &[FlagResult],
) -> LevelVerdict {
    let coverage = |level: Level| {
        let of_level: Vec<&CriterionResult> =
            criteria.iter().filter(|c| c.level == level).collect();
        let possible: f64 = of_level.iter().map(|c| c.weight).sum();
        let covered = of_level
            .iter()
            .filter(|c| c.mark() == Mark::Covered)
            .count();
        (possible > 0.0).then(|| {
            (
                of_level
                    .iter()
                    .map(|c| c.weight * c.mark().credit())
                    .sum::<f64>()
                    / possible,
                covered,
                of_level.len(),
            )
        })
    };
    let mut reasons = Vec::new();
    let mut met: Option<Level> = None;
    for (level, bar) in LEVEL_BAR {
        let what = match level {
            Level::Mid => "breadth",
            Level::Senior => "depth and trade-offs",
            Level::Staff => "deep dives and failure modes",
        };
        let (mut ok, mut reason) = match coverage(level) {
            Some((share, covered, count)) => (
                share >= bar,
                format!(
                    "{level} ({what}): {covered} of {count} criteria covered, {:.0}% of the weight (bar {:.0}%)",
                    share * 100.0,
                    bar * 100.0
                ),
            ),
            None => (
                true,
                format!("{level} ({what}): no {level} criteria in this rubric"),
            ),
        };
        if level == Level::Mid
            && let Some(credit) = estimate_credit
        {
            reason.push_str(&format!(
                "; estimates {:.0}% (bar {:.0}%)",
                credit * 100.0,
                ESTIMATES_BAR * 100.0
            ));
            ok &= credit >= ESTIMATES_BAR;
        }
        if level == Level::Staff && !flags.is_empty() {
            reason.push_str(&format!("; {} red flag(s) raised", flags.len()));
            ok = false;
        }
        let previous_met = match level {
            Level::Mid => true,
            Level::Senior => met == Some(Level::Mid),
            Level::Staff => met == Some(Level::Senior),
        };
        let verdict = if ok && previous_met {
            met = Some(level);
            "met"
        } else if ok {
            "met, but the bar below is not"
        } else {
            "not met"
        };
        reasons.push(format!("{reason}: {verdict}"));
    }
    LevelVerdict {
        level: met,
        label: met.map_or_else(
            || "below the mid bar".to_string(),
            |l| l.as_str().to_string(),
        ),
        reasons,
    }
}

fn study_list(criteria: &[CriterionResult], estimates: &[EstimateResult]) -> Vec<String> {
    let mut missed: Vec<&CriterionResult> = criteria
        .iter()
        .filter(|c| c.mark() != Mark::Covered)
        .collect();
    // Heaviest first; missed before partial at the same weight.
    missed.sort_by(|a, b| {
        b.weight
            .total_cmp(&a.weight)
            .then((a.mark() == Mark::Partial).cmp(&(b.mark() == Mark::Partial)))
    });
    let mut out: Vec<String> = missed
        .iter()
        .map(|c| format!("{} ({}): {}", c.title, c.mark().as_str(), c.study))
        .collect();
    let mut skills: Vec<&str> = estimates
        .iter()
        .filter(|e| {
            matches!(
                e.verdict,
                Verdict::Off | Verdict::UnitMismatch | Verdict::Missing | Verdict::Invalid
            )
        })
        .map(|e| e.skill.as_str())
        .collect();
    skills.dedup();
    if !skills.is_empty() {
        out.push(format!(
            "Estimation ({}): redo these with `sdi drill --skill {}`",
            skills.join(", "),
            skills[0]
        ));
    }
    out
}
