//! Rubric scoring: an answer read as claims ([`claims`]), the rubric's evidence
//! found in it ([`evidence`]), estimate verdicts from the engine, the milestone
//! tiers of the candidate's numbers against the reference's, red flags, the
//! self-grade merge, a 0-100 score per phase and in total, and a level verdict
//! with its reasons.
//!
//! The score is the weighted share of the criteria (covered 1, partial 1/2,
//! missed 0) plus the estimation phase (ok 1, close 1/2, else 0, sharing the
//! rubric's `estimates_weight`), less the penalties of red flags raised. Every
//! mark carries the clauses behind it, so a candidate can see why it was given.

pub(crate) mod answers;
pub(crate) mod claims;
mod evidence;
mod fold;
mod sentences;
mod word_lists;
pub(crate) mod words;

pub(crate) use claims::{Lines, Reading, Stance};
pub(crate) use evidence::Credit;

use crate::bank::{Criterion, EvidenceItem, Glossary, Level, PhaseId, Problem, Scope, Skill, Term};
use crate::milestones::{self, Placement, TABLE};
use crate::quantity::{self, Verdict};
use evidence::{Hit, Scan};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// How many criteria one clause may earn: a dense sentence is worth a few
/// marks, not the rubric.
const CRITERIA_PER_CLAUSE: usize = 3;

crate::wire::wire_enum! {
    /// How far a criterion is met.
    pub(crate) enum Mark {
        Covered = "covered", "covered";
        Partial = "partial", "partial";
        Missed = "missed", "missed";
    }
}

impl Mark {
    pub(crate) fn credit(self) -> f64 {
        match self {
            Mark::Covered => 1.0,
            Mark::Partial => 0.5,
            Mark::Missed => 0.0,
        }
    }
}

/// What a candidate wrote: text per phase and an answer per estimate.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct Answer {
    pub phases: BTreeMap<PhaseId, String>,
    pub estimates: BTreeMap<String, String>,
    /// Phases a timed session never reached: they earn nothing.
    #[serde(default)]
    pub unreached: BTreeSet<PhaseId>,
    /// Typed in a session, a point per line (else a file, whose lines may wrap).
    #[serde(default)]
    pub typed: bool,
}

impl Answer {
    /// The answer read as claims, phase by phase.
    pub(crate) fn reading(&self) -> Reading {
        let lines = if self.typed {
            Lines::Typed
        } else {
            Lines::Wrapped
        };
        Reading::new(
            PhaseId::ALL
                .iter()
                .filter_map(|p| self.phases.get(p).map(|t| (*p, t.as_str()))),
            lines,
        )
    }

    fn answered(&self, phase: PhaseId) -> bool {
        self.phases
            .get(&phase)
            .is_some_and(|t| !t.trim().is_empty())
    }
}

/// A clause of the answer behind a mark, quoted.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Quote {
    /// The clause as written (shortened at a word when long).
    pub text: String,
    /// The words in it that matched.
    pub words: String,
    pub stance: Stance,
    pub phase: PhaseId,
    /// What the clause did for the mark.
    pub credit: Credit,
}

/// A claim that contradicts a criterion, and why it is wrong.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Contradicted {
    pub text: String,
    pub words: String,
    pub phase: PhaseId,
    pub why: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct CriterionResult {
    pub id: String,
    pub phase: PhaseId,
    pub level: Level,
    pub weight: f64,
    pub title: String,
    /// What the evidence shows.
    pub detected: Mark,
    /// What the candidate said after seeing the detected mark, if asked.
    pub self_mark: Option<Mark>,
    /// The candidate's words that earned items, one per item found.
    pub matched: Vec<String>,
    /// How many distinct evidence items were found, and how many were needed.
    pub found: usize,
    pub need: usize,
    /// The clauses behind the mark: those that earned it, and mentions that
    /// did not count (negated, questioned, in a list...).
    #[serde(default)]
    pub evidence: Vec<Quote>,
    /// An asserted claim that cancels the criterion's credit.
    #[serde(default)]
    pub contradicted: Option<Contradicted>,
    /// Why the mark is capped: the phase was not reached, or the evidence came
    /// only from a keyword list.
    #[serde(default)]
    pub note: Option<String>,
    pub strong: String,
    pub study: String,
}

impl CriterionResult {
    /// The mark that counts: the self-grade when given, else the detected one.
    pub(crate) fn mark(&self) -> Mark {
        self.self_mark.unwrap_or(self.detected)
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct EstimateResult {
    pub id: String,
    pub question: String,
    pub unit: String,
    pub skill: Skill,
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
    /// How the answer was read when that is not plain to see ("read as the
    /// range 10 to 15 tx/s, checked at 12.2 tx/s").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub note: Option<String>,
    /// The likely slip behind a recognisable factor ("a factor of 8: bits and
    /// bytes mixed up?").
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub diagnosis: Option<String>,
    pub hint: String,
    pub explanation: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct FlagResult {
    pub id: String,
    pub title: String,
    pub penalty: f64,
    pub why: String,
    /// The words that raised it.
    pub matched: String,
    /// The clause that raised it.
    #[serde(default)]
    pub evidence: Option<Quote>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PhaseScore {
    pub phase: PhaseId,
    /// 0-100, or none when nothing in the phase is scored.
    pub score: Option<f64>,
    pub budget_minutes: f64,
    /// Time spent, in a live session.
    pub minutes: Option<f64>,
    pub overtime_minutes: Option<f64>,
    /// False when a mock ran out of time before this phase.
    pub reached: bool,
    /// Something was written in it.
    #[serde(default)]
    pub answered: bool,
    /// Written only as bare lines of terms: what it earns is partial at most.
    #[serde(default)]
    pub keyword_list: bool,
}

/// A system placed on the milestones table.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Tier {
    /// Each number with the row it reaches: "50M users: row 5; 347k RPS: row 5".
    pub metrics: String,
    /// The tier: the highest row reached, from 1 (as in every other view).
    pub row: usize,
    /// The tier's row of the table: "100M users / 1M RPS / 100TB".
    pub label: String,
    /// The architecture the tier needs that applies to this problem.
    pub architecture: Vec<String>,
    pub consistent: bool,
    pub notes: Vec<String>,
}

impl Tier {
    fn from(p: &Placement, scale: &crate::bank::Scale) -> Tier {
        // A problem whose load departs from the table's ratios says why; its
        // rows are not out of line, they are this problem.
        let notes = match (&scale.ratio, p.consistent) {
            (Some(ratio), false) => vec![format!(
                "The rows differ ({}), as expected here: {ratio}",
                p.rows_text()
            )],
            _ => p.notes.clone(),
        };
        Tier {
            metrics: p.rows_text(),
            row: p.tier,
            label: p.tier_label(),
            architecture: p
                .architecture()
                .into_iter()
                .filter(|i| *i != milestones::Item::SingleServer && scale.not_needed(*i).is_none())
                .map(|i| i.label().to_string())
                .collect(),
            consistent: p.consistent || scale.ratio.is_some(),
            notes,
        }
    }
}

#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct MilestoneComparison {
    /// Where the reference numbers put the system.
    pub reference: Option<Tier>,
    /// Where the candidate's numbers put it.
    pub candidate: Option<Tier>,
    /// What the design skips or over-reaches for, against the reference tier.
    pub notes: Vec<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct LevelVerdict {
    /// The highest bar met, if any.
    pub level: Option<Level>,
    /// "senior", or "below the mid bar".
    pub label: String,
    pub reasons: Vec<String>,
}

/// A graded answer.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Report {
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
    /// The one phase graded, when only one was practised.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<PhaseId>,
}

/// A report with what it needs to be read on its own: the session it came
/// from, and what the candidate wrote and asked, phase by phase. It is the
/// JSON of `grade --json` and `report --json` (the report's fields, then
/// `session` and `transcript`), and what the text and Markdown renderers draw.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ReportView<'a> {
    #[serde(flatten)]
    pub(crate) report: &'a Report,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub(crate) session: Option<SessionInfo>,
    pub(crate) transcript: Vec<Written>,
}

/// When and how a session ran.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct SessionInfo {
    pub(crate) id: String,
    /// UTC, `2026-11-25 14:21`.
    pub(crate) date: String,
    pub(crate) mode: crate::session::Mode,
    pub(crate) status: crate::session::Status,
    pub(crate) seconds: f64,
}

/// What the candidate wrote in one phase, and the questions asked in it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Written {
    pub(crate) phase: PhaseId,
    pub(crate) lines: Vec<String>,
    pub(crate) questions: Vec<crate::session::Exchange>,
}

impl<'a> ReportView<'a> {
    /// The report of a session, with its transcript.
    pub(crate) fn of_session(
        report: &'a Report,
        transcript: &crate::session::Transcript,
    ) -> ReportView<'a> {
        ReportView {
            report,
            session: Some(SessionInfo {
                id: transcript.id.clone(),
                date: crate::store::format_date(transcript.started),
                mode: transcript.mode,
                status: transcript.status,
                seconds: transcript.seconds,
            }),
            transcript: transcript
                .phases
                .iter()
                .filter(|p| !p.lines.is_empty() || !p.questions.is_empty())
                .map(|p| Written {
                    phase: p.phase,
                    lines: p.lines.clone(),
                    questions: p.questions.clone(),
                })
                .collect(),
        }
    }

    /// The report of an answers file, with the text of each phase.
    pub(crate) fn of_answer(report: &'a Report, answer: &Answer) -> ReportView<'a> {
        ReportView {
            report,
            session: None,
            transcript: answer
                .phases
                .iter()
                .map(|(phase, text)| Written {
                    phase: *phase,
                    lines: text
                        .lines()
                        .map(str::trim_end)
                        .filter(|l| !l.trim().is_empty())
                        .map(str::to_string)
                        .collect(),
                    questions: Vec::new(),
                })
                .filter(|w| !w.lines.is_empty())
                .collect(),
        }
    }
}

/// Bars for the level verdict: the share of a level's criteria (weighted) an
/// answer must cover, and the share of estimate credit the mid bar needs.
const LEVEL_BAR: [(Level, f64); 3] = [(Level::Mid, 0.6), (Level::Senior, 0.6), (Level::Staff, 0.5)];
const ESTIMATES_BAR: f64 = 0.5;
/// The mid bar for an answer that clears the senior bar: its depth shows the
/// basics were understood even where one was not spelled out, so half the
/// mid weight is breadth enough. Without this an expert who skipped the
/// metrics list and a state diagram read "below the mid bar".
const MID_BAR_WITH_DEPTH: f64 = 0.5;

/// Distinct wrong claims (red flags and contradicted criteria, one per
/// sentence) at which an answer is judged by its errors first: a design that
/// double-charges or loses messages is not mid-level however much it covers.
/// No expert or mid answer of the calibration corpus makes more than two.
pub(crate) const WRONG_CLAIMS_CAP_AT: usize = 3;
/// The score such an answer can reach: the top of the below-mid band.
pub(crate) const WRONG_CLAIMS_CAP: f64 = 25.0;

/// The answer's wrong claims: each red flag raised, and each contradicting
/// sentence that raised no flag (a flag and a contradiction on the same words
/// are one mistake, two flags on one sentence are two).
pub(crate) fn wrong_claims(criteria: &[CriterionResult], flags: &[FlagResult]) -> Vec<String> {
    let mut claims: Vec<String> = flags.iter().map(|f| f.title.clone()).collect();
    let flagged: Vec<&str> = flags
        .iter()
        .map(|f| {
            f.evidence
                .as_ref()
                .map_or(f.matched.as_str(), |q| q.text.as_str())
        })
        .map(|t| t.trim_end_matches("..."))
        .collect();
    let mut sentences: Vec<&str> = Vec::new();
    for c in criteria {
        let Some(x) = &c.contradicted else { continue };
        let sentence = x.text.trim_end_matches("...");
        // A flag quotes a clause, a contradiction its whole sentence.
        let same = |other: &str| sentence.contains(other) || other.contains(sentence);
        if flagged.iter().any(|f| same(f)) || sentences.iter().any(|s| same(s)) {
            continue;
        }
        sentences.push(sentence);
        claims.push(format!("{}: {}", c.title, x.why));
    }
    claims
}

/// Grades an answer against the problem's rubric.
pub(crate) fn grade(problem: &Problem, glossary: &Glossary, answer: &Answer) -> Report {
    let reading = answer.reading();
    let criteria: Vec<&Criterion> = problem.rubric.criteria.iter().collect();
    let scan = Scan::new(&reading, terms(&criteria));
    let criteria = assess(&criteria, &scan, &answer.unreached);
    let estimates = estimate_results(problem, answer);
    let red_flags = problem
        .rubric
        .red_flags
        .iter()
        .filter_map(|flag| {
            raised(&flag.evidence.items, flag.evidence.need, &scan).map(|quote| FlagResult {
                id: flag.id.clone(),
                title: flag.title.clone(),
                penalty: flag.penalty,
                why: flag.why.clone(),
                matched: quote.words.clone(),
                evidence: Some(quote),
            })
        })
        .collect();
    let milestones = milestone_comparison(problem, glossary, &scan, &estimates);
    let keyword_list: BTreeSet<PhaseId> = reading
        .phases
        .iter()
        .zip(&scan.keyword_list)
        .filter(|(_, list)| **list)
        .map(|(p, _)| p.phase)
        .collect();
    let mut report = Report {
        only: None,
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
                reached: !answer.unreached.contains(&p.id),
                answered: answer.answered(p.id),
                keyword_list: keyword_list.contains(&p.id),
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

/// Every term the criteria look for, patterns' terms included: the list rule
/// reads these as the answer's terms. (Rubrics keep pattern terms specific,
/// since a plain word there would make ordinary prose read as a list.)
fn terms<'c>(criteria: &[&'c Criterion]) -> impl Iterator<Item = &'c Term> {
    criteria
        .iter()
        .flat_map(|c| &c.evidence.items)
        .flat_map(|item| &item.all)
}

impl Report {
    /// Applies the candidate's self-grade (criterion id -> mark) and rescores.
    pub(crate) fn apply_self_grade(
        &mut self,
        marks: &BTreeMap<String, Mark>,
        estimates_weight: f64,
    ) {
        for c in &mut self.criteria {
            if let Some(mark) = marks.get(&c.id) {
                c.self_mark = Some(*mark);
            }
        }
        self.self_graded = !marks.is_empty();
        self.rescore(estimates_weight);
    }

    /// Keeps one phase (a one-phase practice): its criteria, its estimates
    /// when it is estimation, its red flags and its row of the phase table.
    pub(crate) fn keep_phase(&mut self, phase: PhaseId, estimates_weight: f64) {
        self.only = Some(phase);
        self.criteria.retain(|c| c.phase == phase);
        if phase != PhaseId::Estimation {
            self.estimates.clear();
            self.milestones = MilestoneComparison::default();
        }
        self.phases.retain(|p| p.phase == phase);
        self.red_flags
            .retain(|f| f.evidence.as_ref().is_some_and(|q| q.phase == phase));
        self.rescore(estimates_weight);
    }

    /// Recomputes scores, phase scores, the level verdict and the study list.
    pub(crate) fn rescore(&mut self, estimates_weight: f64) {
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
        let wrong = wrong_claims(&self.criteria, &self.red_flags).len();
        let cap = if wrong >= WRONG_CLAIMS_CAP_AT {
            WRONG_CLAIMS_CAP
        } else {
            100.0
        };
        self.score = total(&|c| c.mark()).min(cap);
        self.detected_score = total(&|c| c.detected).min(cap);
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
        self.level = level_verdict(
            &self.criteria,
            estimate_credit,
            &self.red_flags,
            &self.phases,
        );
        if let Some(phase) = self.only {
            self.level = LevelVerdict {
                level: None,
                label: "not judged on one phase".to_string(),
                reasons: vec![format!(
                    "Only {} was practised: the score is that phase's; a level needs the whole interview.",
                    phase.title()
                )],
            };
        } else if wrong >= WRONG_CLAIMS_CAP_AT {
            self.level.level = None;
            self.level.label = "below the mid bar".to_string();
            self.level.reasons.insert(
                0,
                format!(
                    "{wrong} wrong claims (red flags and contradicted criteria): an answer with \
                     {WRONG_CLAIMS_CAP_AT} or more is judged by its errors first, below the mid \
                     bar and at most {WRONG_CLAIMS_CAP:.0}; fix them before anything else"
                ),
            );
        }
        self.study = study_list(&self.criteria, &self.estimates);
    }
}

/// Quotes a clause (a whole sentence for a contradicting claim, which may
/// span its clauses), shortened at a word boundary when long.
fn quote(scan: &Scan, hit: Hit, stance: Stance, credit: Credit) -> Quote {
    const LONG: usize = 160;
    let reading = scan.reading;
    let written = if credit == Credit::Contradicts {
        reading.sentence_text(hit.clause)
    } else {
        reading.clause_text(hit.clause)
    };
    // Wrapped lines read as one line when quoted.
    let text = written.split_whitespace().collect::<Vec<_>>().join(" ");
    let text = if text.chars().count() > LONG {
        let cut: String = text.chars().take(LONG).collect();
        let at_word = cut
            .rfind(|c: char| c.is_whitespace())
            .map_or(cut.as_str(), |i| &cut[..i]);
        format!("{}...", at_word.trim_end_matches([',', ';', ':']))
    } else {
        text
    };
    Quote {
        text,
        words: reading
            .words(hit.first, hit.last)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" "),
        stance,
        phase: scan.phase_of(hit.clause),
        credit,
    }
}

/// Marks every criterion. Heavier criteria pick their clauses first, since a
/// clause may earn only a few criteria.
fn assess(
    criteria: &[&Criterion],
    scan: &Scan,
    unreached: &BTreeSet<PhaseId>,
) -> Vec<CriterionResult> {
    let mut order: Vec<usize> = (0..criteria.len()).collect();
    order.sort_by(|&a, &b| criteria[b].weight.total_cmp(&criteria[a].weight));
    let mut earned_by: HashMap<usize, Vec<usize>> = HashMap::new();
    let mut results: Vec<Option<CriterionResult>> = vec![None; criteria.len()];
    for i in order {
        results[i] = Some(assess_one(criteria[i], i, scan, unreached, &mut earned_by));
    }
    results.into_iter().flatten().collect()
}

fn assess_one(
    c: &Criterion,
    index: usize,
    scan: &Scan,
    unreached: &BTreeSet<PhaseId>,
    earned_by: &mut HashMap<usize, Vec<usize>>,
) -> CriterionResult {
    let mut result = CriterionResult {
        id: c.id.clone(),
        phase: c.phase,
        level: c.level,
        weight: c.weight,
        title: c.title.clone(),
        detected: Mark::Missed,
        self_mark: None,
        matched: Vec::new(),
        found: 0,
        need: c.evidence.need,
        evidence: Vec::new(),
        contradicted: None,
        note: None,
        strong: c.strong.clone(),
        study: c.study.clone(),
    };
    if unreached.contains(&c.phase) {
        result.note = Some(format!("the {} phase was not reached", c.phase.title()));
        return result;
    }
    let mut only_listed = true;
    let mut unearned = Vec::new();
    // Words that earned one item cannot earn another: "sliding window
    // counter" is one algorithm, not "sliding window" and "window counter".
    let mut used: Vec<(usize, usize)> = Vec::new();
    for item in &c.evidence.items {
        let hits: Vec<Hit> = scan
            .hits(item)
            .into_iter()
            .filter(|h| !used.iter().any(|&(f, l)| h.first <= l && f <= h.last))
            .collect();
        // The criterion's own phase first: that is where a reader looks.
        let mut ordered: Vec<&Hit> = hits
            .iter()
            .filter(|h| scan.phase_of(h.clause) == c.phase)
            .collect();
        ordered.extend(hits.iter().filter(|h| scan.phase_of(h.clause) != c.phase));
        let chosen = ordered.into_iter().find(|h| {
            earned_by
                .get(&h.clause)
                .is_none_or(|who| who.contains(&index) || who.len() < CRITERIA_PER_CLAUSE)
        });
        match chosen {
            Some(&hit) => {
                used.push((hit.first, hit.last));
                let who = earned_by.entry(hit.clause).or_default();
                if !who.contains(&index) {
                    who.push(index);
                }
                let listed = scan.in_keyword_list(hit.clause);
                only_listed &= listed;
                let credit = if listed {
                    Credit::KeywordList
                } else {
                    Credit::Earned
                };
                result.found += 1;
                let q = quote(scan, hit, Stance::Asserted, credit);
                result.matched.push(q.words.clone());
                add_quote(&mut result.evidence, q);
            }
            None if !hits.is_empty() => {
                unearned.push(quote(scan, hits[0], Stance::Asserted, Credit::ClauseLimit))
            }
            None => {
                if let Some((o, credit)) = scan.unearned_mention(item) {
                    let hit = Hit {
                        clause: o.clause,
                        first: o.first,
                        last: o.last,
                    };
                    unearned.push(quote(scan, hit, o.stance, credit));
                }
            }
        }
    }
    // Questions to the interviewer count where the criterion asks for them
    // ("asks what is out of scope").
    if let Some(n) = c.evidence.questions {
        let asked = scan.reading.questions(c.phase);
        if asked.len() >= n {
            let clause = asked[0];
            let tokens = scan.reading.clauses[clause].tokens.clone();
            let hit = Hit {
                clause,
                first: tokens.start,
                last: tokens.end - 1,
            };
            result.found += 1;
            only_listed = false;
            let words = format!(
                "{} question{} to the interviewer",
                asked.len(),
                if asked.len() == 1 { "" } else { "s" }
            );
            result.matched.push(words.clone());
            let mut q = quote(scan, hit, Stance::Questioned, Credit::Earned);
            q.words = words;
            add_quote(&mut result.evidence, q);
        }
    }
    // The mentions that did not count explain a partial or missed mark; a few
    // are enough.
    for q in unearned.into_iter().take(3) {
        add_quote(&mut result.evidence, q);
    }
    result.contradicted = c.contradictions.iter().find_map(|k| {
        scan.claims(&k.claim).first().map(|&hit| {
            let q = quote(scan, hit, Stance::Asserted, Credit::Contradicts);
            Contradicted {
                text: q.text,
                words: q.words,
                phase: q.phase,
                why: k.why.clone(),
            }
        })
    });
    result.detected = if result.contradicted.is_some() {
        Mark::Missed
    } else if result.found >= c.evidence.need && !only_listed {
        Mark::Covered
    } else if result.found > 0 {
        Mark::Partial
    } else {
        Mark::Missed
    };
    if only_listed && result.found > 0 {
        result.note = Some("the evidence reads as a keyword list: partial at most".into());
    }
    result
}

/// Adds a quote, merging it into one of the same clause.
fn add_quote(quotes: &mut Vec<Quote>, q: Quote) {
    match quotes
        .iter_mut()
        .find(|x| x.text == q.text && x.credit == q.credit)
    {
        Some(x) if !x.words.contains(&q.words) => {
            x.words = format!("{}, {}", x.words, q.words);
        }
        Some(_) => {}
        None => quotes.push(q),
    }
}

/// The clause that raises a red flag: `need` of its items asserted.
fn raised(items: &[EvidenceItem], need: usize, scan: &Scan) -> Option<Quote> {
    let mut found = 0;
    let mut first = None;
    for item in items {
        if let Some(&hit) = scan.hits(item).first() {
            found += 1;
            first.get_or_insert(hit);
        }
    }
    (found >= need)
        .then_some(first)
        .flatten()
        .map(|hit| quote(scan, hit, Stance::Asserted, Credit::Earned))
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
    let peak = problem.peak_factor(&scope);
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
                skill: e.skill,
                answer: given.filter(|g| !g.is_empty()),
                answer_shown: check.answer.as_ref().map(|a| a.text()),
                reference: e.reference.value_in(&e.unit),
                reference_shown: Problem::shown_reference(e, &e.reference),
                derivation: problem.substituted(e, &scope),
                ratio: check.ratio,
                verdict: check.verdict,
                diagnosis: check
                    .ratio
                    .filter(|_| check.verdict != Verdict::Ok)
                    .and_then(|r| quantity::diagnose(r, peak)),
                message: check.message,
                note: check.note,
                hint: e.hint.clone(),
                explanation: problem.explain(e, &scope, &Default::default()),
            }
        })
        .collect()
}

/// The milestone tiers of an answer's numbers and of the references, with what
/// the design skips or over-reaches for: shown after the estimation phase.
pub(crate) fn placement(
    problem: &Problem,
    glossary: &Glossary,
    answer: &Answer,
) -> MilestoneComparison {
    let estimates = estimate_results(problem, answer);
    let reading = answer.reading();
    let scan = Scan::new(&reading, std::iter::empty());
    milestone_comparison(problem, glossary, &scan, &estimates)
}

/// The criteria of one phase, detected in that phase's text alone: feedback in
/// practice right after the phase.
pub(crate) fn phase_feedback(
    problem: &Problem,
    phase: PhaseId,
    text: &str,
) -> Vec<CriterionResult> {
    let reading = Reading::new([(phase, text)], Lines::Typed);
    let criteria: Vec<&Criterion> = problem
        .rubric
        .criteria
        .iter()
        .filter(|c| c.phase == phase)
        .collect();
    let scan = Scan::new(&reading, terms(&criteria));
    assess(&criteria, &scan, &BTreeSet::new())
}

fn milestone_comparison(
    problem: &Problem,
    glossary: &Glossary,
    scan: &Scan,
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
        // Mentioned means asserted in the design (the phases after estimation).
        let mentions = |item: milestones::Item| {
            glossary.get(item.id()).map(|forms| {
                let term = Term {
                    forms: forms.clone(),
                };
                scan.occurrences(&term).iter().any(|o| {
                    o.stance == Stance::Asserted
                        && !matches!(
                            scan.phase_of(o.clause),
                            PhaseId::Requirements | PhaseId::Estimation
                        )
                })
            })
        };
        let design_written = scan.reading.phases.iter().any(|p| {
            !matches!(p.phase, PhaseId::Requirements | PhaseId::Estimation)
                && !p.text.trim().is_empty()
        });
        if design_written {
            // The first row (a single server) is where every system starts,
            // not a need; items the problem does not need are not asked for.
            let needed: Vec<milestones::Item> = r
                .architecture()
                .into_iter()
                .filter(|i| *i != milestones::Item::SingleServer && s.not_needed(*i).is_none())
                .collect();
            let skipped: Vec<&str> = needed
                .iter()
                .filter(|i| mentions(**i) == Some(false))
                .map(|i| i.label())
                .collect();
            if !skipped.is_empty() {
                notes.push(format!(
                    "At row {} the table expects {}; the design never mentions {}.",
                    r.tier,
                    needed
                        .iter()
                        .map(|i| i.label())
                        .collect::<Vec<_>>()
                        .join(", "),
                    skipped.join(", ")
                ));
            }
            for (item, why) in &s.not_needed {
                if mentions(*item) == Some(true) {
                    notes.push(format!(
                        "The design reaches for {}, which this problem does not need: {why}",
                        item.label()
                    ));
                }
            }
            for (i, m) in TABLE.iter().enumerate().skip(r.tier + 1) {
                for item in m.architecture {
                    if s.not_needed(*item).is_none() && mentions(*item) == Some(true) {
                        notes.push(format!(
                            "The design reaches for {} (a row {} measure: {} users / {} RPS) at row {}: say why it is needed, or leave it out.",
                            item.label().to_lowercase(),
                            i + 1,
                            m.label.users,
                            m.label.rps,
                            r.tier
                        ));
                    }
                }
            }
        }
        if let Some(c) = &candidate
            && c.tier != r.tier
        {
            notes.push(format!(
                "Your numbers ({}) put the system at row {}; the reference numbers ({}) at row {}.",
                c.rows_text(),
                c.tier,
                r.rows_text(),
                r.tier
            ));
        }
    }
    MilestoneComparison {
        reference: reference.as_ref().map(|p| Tier::from(p, s)),
        candidate: candidate.as_ref().map(|p| Tier::from(p, s)),
        notes,
    }
}

fn level_verdict(
    criteria: &[CriterionResult],
    estimate_credit: Option<f64>,
    flags: &[FlagResult],
    phases: &[PhaseScore],
) -> LevelVerdict {
    // Senior and staff answers are about depth: they need a deep dive that
    // was reached and answered.
    let deep_dive = phases.iter().find(|p| p.phase == PhaseId::DeepDive);
    let no_deep_dive = match deep_dive {
        Some(p) if !p.reached => Some("the deep dive was not reached"),
        Some(p) if !p.answered => Some("the deep dive was not answered"),
        _ => None,
    };
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
    let senior_depth = no_deep_dive.is_none()
        && coverage(Level::Senior).is_none_or(|(share, ..)| share >= LEVEL_BAR[1].1);
    let mut reasons = Vec::new();
    let mut met: Option<Level> = None;
    for (level, bar) in LEVEL_BAR {
        let what = match level {
            Level::Mid => "breadth",
            Level::Senior => "depth and trade-offs",
            Level::Staff => "deep dives and failure modes",
        };
        let (mut ok, mut reason) = match coverage(level) {
            Some((share, covered, count)) => {
                // Said only where it decides: breadth short of the usual bar.
                let relaxed = level == Level::Mid && senior_depth && share < bar;
                let bar = if relaxed { MID_BAR_WITH_DEPTH } else { bar };
                (
                    share >= bar,
                    format!(
                        "{level} ({what}): {covered} of {count} criteria covered, {:.0}% of the weight (bar {:.0}%{})",
                        share * 100.0,
                        bar * 100.0,
                        if relaxed {
                            ", as the senior bar is met"
                        } else {
                            ""
                        }
                    ),
                )
            }
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
        if level != Level::Mid
            && let Some(why) = no_deep_dive
        {
            reason.push_str(&format!("; {why}"));
            ok = false;
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
    // Each skill once, the most often wrong first (ties in the problem's order).
    let mut skills: Vec<(Skill, usize)> = Vec::new();
    for e in estimates.iter().filter(|e| {
        matches!(
            e.verdict,
            Verdict::Off | Verdict::UnitMismatch | Verdict::Missing | Verdict::Invalid
        )
    }) {
        match skills.iter_mut().find(|(s, _)| *s == e.skill) {
            Some((_, n)) => *n += 1,
            None => skills.push((e.skill, 1)),
        }
    }
    skills.sort_by_key(|s| std::cmp::Reverse(s.1));
    if let Some((first, _)) = skills.first() {
        let names: Vec<&str> = skills.iter().map(|(s, _)| s.as_str()).collect();
        out.push(format!(
            "Estimation ({}): redo these with `sdi drill --skill {}`",
            names.join(", "),
            first.as_str()
        ));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::bank::{Bank, Origin};

    fn bank() -> Bank {
        let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        Bank::load(&Origin::Dir(dir)).expect("the example bank is valid")
    }

    fn answer(phases: &[(PhaseId, &str)]) -> Answer {
        Answer {
            phases: phases.iter().map(|(p, t)| (*p, t.to_string())).collect(),
            ..Answer::default()
        }
    }

    fn marks(report: &Report) -> BTreeMap<&str, Mark> {
        report
            .criteria
            .iter()
            .map(|c| (c.id.as_str(), c.detected))
            .collect()
    }

    /// A criterion that looks for one phrase.
    fn criterion(id: &str, phrase: &str) -> Criterion {
        Criterion {
            id: id.into(),
            phase: PhaseId::DataModel,
            level: Level::Mid,
            weight: 1.0,
            title: id.into(),
            strong: String::new(),
            evidence: crate::bank::Evidence {
                items: vec![EvidenceItem {
                    all: vec![Term {
                        forms: std::sync::Arc::new(crate::bank::Forms::one(phrase)),
                    }],
                    none: Vec::new(),
                }],
                questions: None,
                need: 1,
            },
            contradictions: Vec::new(),
            study: String::new(),
            shared: false,
        }
    }

    #[test]
    fn one_clause_earns_at_most_three_criteria() {
        let bank = bank();
        let mut problem = bank.problem("paste-bin").unwrap().clone();
        problem
            .rubric
            .criteria
            .push(criterion("scoping", "requirements"));
        problem.rubric.criteria.push(criterion("targets", "p99"));
        let problem = &problem;
        let dense = "Metadata sits in a database while the text goes to object storage, a random key is checked for collision, the requirements are written down and p99 is held under 50 ms";
        let report = grade(
            problem,
            &bank.glossary,
            &answer(&[(PhaseId::DataModel, dense)]),
        );
        let earning = report.criteria.iter().filter(|c| c.found > 0).count();
        assert_eq!(earning, CRITERIA_PER_CLAUSE, "{:?}", marks(&report));
        assert!(
            report
                .criteria
                .iter()
                .any(|c| c.evidence.iter().any(|q| q.credit == Credit::ClauseLimit)),
            "the report says why the fourth did not count"
        );
        // Said in separate sentences, each earns.
        let spread = "Metadata goes in the database and the text in object storage.\nEach random key is checked for a collision.\nThe requirements are clarified first.\nRedirects take p99 under 50 ms at 99.9% availability.";
        let report = grade(
            problem,
            &bank.glossary,
            &answer(&[(PhaseId::DataModel, spread)]),
        );
        assert!(report.criteria.iter().filter(|c| c.found > 0).count() > CRITERIA_PER_CLAUSE);
    }

    #[test]
    fn senior_needs_a_deep_dive_that_was_answered() {
        let bank = bank();
        let problem = bank.problem("paste-bin").unwrap();
        let design = "We clarify the requirements and assume 1M pastes a day.\n\
                      Metadata goes in a key-value store and the text in object storage.\n\
                      Each paste key is a random key, and a uuid is checked for a collision.";
        let mut a = answer(&[(PhaseId::DataModel, design)]);
        a.estimates = problem
            .estimates
            .iter()
            .map(|e| (e.id.clone(), Problem::shown_reference(e, &e.reference)))
            .collect();
        let without = grade(problem, &bank.glossary, &a);
        assert!(
            without
                .level
                .reasons
                .iter()
                .any(|r| r.contains("deep dive was not answered")),
            "{:?}",
            without.level.reasons
        );
        assert_ne!(without.level.level, Some(Level::Senior));
        a.phases.insert(
            PhaseId::DeepDive,
            "Keys come from a pre-generated pool, so a collision never reaches the store.".into(),
        );
        let with = grade(problem, &bank.glossary, &a);
        assert!(
            !with
                .level
                .reasons
                .iter()
                .any(|r| r.contains("deep dive was not")),
            "{:?}",
            with.level.reasons
        );
    }

    #[test]
    fn depth_lowers_the_breadth_an_answer_needs_for_the_mid_bar() {
        let bank = bank();
        let mut problem = bank.problem("paste-bin").unwrap().clone();
        let at = |level, weight, c: Criterion| Criterion { level, weight, ..c };
        problem.rubric.criteria = vec![
            at(Level::Mid, 1.1, criterion("storage", "object storage")),
            at(Level::Mid, 1.0, criterion("metrics", "error rate")),
            at(Level::Senior, 1.0, criterion("pool", "pre-generated pool")),
            at(Level::Staff, 1.0, criterion("regions", "second region")),
        ];
        let mut a = answer(&[
            (PhaseId::DataModel, "The text goes to object storage."),
            (PhaseId::DeepDive, "Keys come from a pre-generated pool."),
        ]);
        a.estimates = problem
            .estimates
            .iter()
            .map(|e| (e.id.clone(), Problem::shown_reference(e, &e.reference)))
            .collect();
        // 52% of the mid weight: short of 60%, but the senior bar is met.
        let deep = grade(&problem, &bank.glossary, &a);
        assert_eq!(deep.level.level, Some(Level::Senior), "{:?}", deep.level);
        assert!(deep.level.reasons[0].contains("bar 50%, as the senior bar is met"));
        // The same breadth without the depth stays below the mid bar.
        a.phases
            .insert(PhaseId::DeepDive, "Keys are random.".into());
        let shallow = grade(&problem, &bank.glossary, &a);
        assert_eq!(shallow.level.level, None, "{:?}", shallow.level);
        assert!(shallow.level.reasons[0].contains("(bar 60%)"));
    }

    #[test]
    fn an_asserted_contradiction_cancels_the_credit_and_a_negated_one_does_not() {
        let bank = bank();
        let mut problem = bank.problem("paste-bin").unwrap().clone();
        let mut keys = criterion("keys", "random key");
        let claim = criterion("claim", "collisions are impossible")
            .evidence
            .items
            .remove(0);
        keys.contradictions.push(crate::bank::Contradiction {
            claim,
            why: "random keys collide by the birthday bound".into(),
        });
        problem.rubric.criteria.push(keys);
        let keys_of = |text: &str| {
            let report = grade(
                &problem,
                &bank.glossary,
                &answer(&[(PhaseId::DataModel, text)]),
            );
            let c = report
                .criteria
                .into_iter()
                .find(|c| c.id == "keys")
                .unwrap();
            (c.detected, c.contradicted)
        };
        let (mark, why) = keys_of("Each paste gets a random key, so collisions are impossible.");
        assert_eq!(mark, Mark::Missed);
        assert!(why.unwrap().why.contains("birthday"));
        let (mark, why) =
            keys_of("Each paste gets a random key; collisions are not impossible, so we check.");
        assert_eq!(mark, Mark::Covered);
        assert!(why.is_none());
    }

    #[test]
    fn three_wrong_claims_put_the_answer_below_the_mid_bar() {
        let bank = bank();
        let mut problem = bank.problem("paste-bin").unwrap().clone();
        for (id, phrase) in [
            ("md5", "first 6 chars of md5"),
            ("sync", "update the view count synchronously"),
        ] {
            let c = criterion(id, phrase);
            problem.rubric.red_flags.push(crate::bank::RedFlag {
                id: id.into(),
                title: id.into(),
                evidence: c.evidence.clone(),
                penalty: 1.0,
                why: String::new(),
            });
        }
        let good = "Metadata in Postgres, the text in object storage.
                    Keys are random and checked for a collision on insert.";
        let wrong = [
            "Store the text in MySQL as a blob column.",
            "Keys are the first 6 chars of MD5 of the text.",
            "We update the view count synchronously on every read.",
        ];
        let graded = |n: usize| {
            let text = format!("{good}\n{}", wrong[..n].join("\n"));
            grade(
                &problem,
                &bank.glossary,
                &answer(&[(PhaseId::DataModel, &text)]),
            )
        };
        let two = graded(2);
        assert_eq!(wrong_claims(&two.criteria, &two.red_flags).len(), 2);
        assert!(!two.level.reasons[0].contains("wrong claims"));
        let three = graded(3);
        assert_eq!(wrong_claims(&three.criteria, &three.red_flags).len(), 3);
        assert!(three.score <= WRONG_CLAIMS_CAP);
        assert_eq!(three.level.level, None);
        assert!(
            three.level.reasons[0].starts_with("3 wrong claims"),
            "{:?}",
            three.level.reasons
        );
    }

    #[test]
    fn study_next_names_each_wrong_skill_once_most_missed_first() {
        let bank = bank();
        let problem = bank.problem("paste-bin").unwrap();
        let mut report = grade(problem, &bank.glossary, &answer(&[]));
        // Skills in the order peak, qps, peak, storage, qps, peak.
        let skills = [
            Skill::Peak,
            Skill::Qps,
            Skill::Peak,
            Skill::Storage,
            Skill::Qps,
            Skill::Peak,
        ];
        let template = report.estimates[0].clone();
        report.estimates = skills
            .iter()
            .map(|s| EstimateResult {
                skill: *s,
                verdict: Verdict::Off,
                ..template.clone()
            })
            .collect();
        let study = study_list(&report.criteria, &report.estimates);
        assert_eq!(
            study.last().unwrap(),
            "Estimation (peak, qps, storage): redo these with `sdi drill --skill peak`"
        );
    }

    #[test]
    fn an_unreached_phase_earns_nothing() {
        let bank = bank();
        let problem = bank.problem("paste-bin").unwrap();
        let mut a = answer(&[(
            PhaseId::DataModel,
            "Metadata in Postgres, the text in object storage.",
        )]);
        let covered = grade(problem, &bank.glossary, &a);
        assert_eq!(marks(&covered)["object-storage-for-content"], Mark::Covered);
        a.unreached.insert(PhaseId::DataModel);
        let unreached = grade(problem, &bank.glossary, &a);
        assert_eq!(
            marks(&unreached)["object-storage-for-content"],
            Mark::Missed
        );
        assert!(
            unreached
                .phases
                .iter()
                .any(|p| p.phase == PhaseId::DataModel && !p.reached)
        );
    }
}
