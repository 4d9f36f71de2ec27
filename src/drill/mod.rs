//! Capacity-estimation drills: question templates from the bank's estimates
//! (assumptions redrawn within their ranges and rounded to numbers a person would
//! say) and from the fundamentals, chosen by a seeded RNG and the spaced-
//! repetition schedule, asked through a [`Prompter`] and checked by the engine.

pub(crate) mod fundamentals;
pub(crate) mod schedule;

use crate::bank::{Bank, Draw, Problem, Scope, Skill, placeholders};
use crate::quantity::{self, Quantity, Verdict, format_in_unit};
use crate::session::{Clock, Ending, Event, Interrupt, Prompt, Prompter};
use crate::store::DrillRecord;
use fundamentals::Fundamental;
use schedule::Schedule;
use serde::Serialize;
use std::collections::BTreeMap;

/// Where a template's questions come from.
#[derive(Debug, Clone)]
enum Source {
    /// A problem's estimate, by index into the bank.
    Estimate {
        problem: usize,
        estimate: usize,
    },
    Fundamental(Box<Fundamental>),
}

/// A question template: asked many times, with different numbers.
#[derive(Debug, Clone)]
pub(crate) struct Template {
    /// `url-shortener/write_qps`, `fundamentals/nines-downtime-year`.
    pub id: String,
    pub skill: Skill,
    source: Source,
}

/// One drill question with its reference and worked solution.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct Question {
    pub template: String,
    pub skill: Skill,
    pub problem: Option<String>,
    pub question: String,
    /// The unit to answer in.
    pub unit: String,
    pub tolerance: f64,
    /// The reference as a number in `unit`.
    pub reference: f64,
    pub reference_shown: String,
    /// The method, shown on `?` before answering.
    pub hint: String,
    /// The derivation with numbers, then why it works.
    pub solution: String,
    #[serde(skip)]
    pub reference_quantity: Quantity,
    #[serde(skip)]
    pub unit_quantity: Quantity,
    /// The problem's peak factor as drawn, which feedback names when an
    /// answer is off by it.
    #[serde(skip)]
    pub peak: Option<f64>,
}

/// Every template a drill may draw from.
pub(crate) struct Pool<'a> {
    bank: &'a Bank,
    pub templates: Vec<Template>,
}

impl<'a> Pool<'a> {
    /// The bank's estimates (only `problem`'s when given) and the fundamentals
    /// (unless a problem is given).
    pub(crate) fn new(bank: &'a Bank, problem: Option<&str>) -> anyhow::Result<Pool<'a>> {
        let mut templates = Vec::new();
        if let Some(id) = problem {
            bank.problem(id)?;
        }
        for (pi, p) in bank.problems.iter().enumerate() {
            if problem.is_some_and(|id| id != p.id) {
                continue;
            }
            for (ei, e) in p.estimates.iter().enumerate() {
                templates.push(Template {
                    id: format!("{}/{}", p.id, e.id),
                    skill: e.skill,
                    source: Source::Estimate {
                        problem: pi,
                        estimate: ei,
                    },
                });
            }
        }
        if problem.is_none() {
            for f in fundamentals::load()? {
                templates.push(Template {
                    id: f.id.clone(),
                    skill: f.skill,
                    source: Source::Fundamental(Box::new(f)),
                });
            }
        }
        Ok(Pool { bank, templates })
    }

    /// The skills the pool has questions for.
    pub(crate) fn skills(&self) -> Vec<Skill> {
        let mut skills: Vec<Skill> = self.templates.iter().map(|t| t.skill).collect();
        skills.sort();
        skills.dedup();
        skills
    }

    /// Draws one question from a template.
    pub(crate) fn question(
        &self,
        template: &Template,
        rng: &mut fastrand::Rng,
    ) -> anyhow::Result<Question> {
        match &template.source {
            Source::Fundamental(f) => fundamental_question(f, rng),
            Source::Estimate { problem, estimate } => {
                let p = &self.bank.problems[*problem];
                estimate_question(p, *estimate, &template.id, rng)
            }
        }
    }

    /// Picks `count` templates: those due first, then round-robin over skills,
    /// weakest first, so a session mixes skills and favours what needs work.
    pub(crate) fn select(
        &self,
        schedule: &Schedule,
        count: usize,
        skill: Option<Skill>,
        rng: &mut fastrand::Rng,
    ) -> Vec<&Template> {
        let mut candidates: Vec<&Template> = self
            .templates
            .iter()
            .filter(|t| skill.is_none_or(|s| t.skill == s))
            .collect();
        if candidates.is_empty() {
            return Vec::new();
        }
        rng.shuffle(&mut candidates);
        let (mut due, rest): (Vec<&Template>, Vec<&Template>) =
            candidates.into_iter().partition(|t| schedule.is_due(&t.id));
        due.sort_by_key(|t| {
            let s = &schedule.templates[&t.id];
            (s.leitner_box, s.last_run)
        });
        // The rest, grouped by skill: never-seen templates before seen ones,
        // lower boxes before higher.
        let mut by_skill: BTreeMap<Skill, Vec<&Template>> = BTreeMap::new();
        for t in rest {
            by_skill.entry(t.skill).or_default().push(t);
        }
        for group in by_skill.values_mut() {
            group.sort_by_key(|t| schedule.templates.get(&t.id).map_or(0, |s| s.leitner_box));
        }
        let mut skills: Vec<Skill> = by_skill.keys().copied().collect();
        rng.shuffle(&mut skills);
        // Weakest first; skills never drilled count as weakest.
        skills.sort_by(|a, b| {
            let acc = |s: &Skill| schedule.accuracy(*s).unwrap_or(-1.0);
            acc(a).total_cmp(&acc(b))
        });
        let mut order = due;
        let mut round = 0;
        loop {
            let mut added = false;
            for s in &skills {
                if let Some(t) = by_skill[s].get(round) {
                    order.push(t);
                    added = true;
                }
            }
            if !added {
                break;
            }
            round += 1;
        }
        // More questions than templates: go round again, with fresh numbers.
        order.iter().cycle().take(count).copied().collect()
    }
}

/// Rounds to a number a person would say: 1, 2, 2.5 or 5 times a power of ten.
pub(crate) fn nice(v: f64) -> f64 {
    if v <= 0.0 || !v.is_finite() {
        return v;
    }
    let k = v.log10().floor();
    let base = 10f64.powf(k);
    let m = v / base;
    let candidates = [1.0, 2.0, 2.5, 5.0, 10.0];
    let best = candidates
        .iter()
        .min_by(|a, b| (m / **a).ln().abs().total_cmp(&(m / **b).ln().abs()))
        .copied()
        .unwrap_or(1.0);
    // `2.5e1` as f64 can come out as 25.000000000000004: tidy it.
    let rounded = best * base;
    format!("{rounded:.6e}").parse().unwrap_or(rounded)
}

/// Draws a value in [lo, hi], log-uniformly, rounded in the unit it is shown in.
fn draw_in_range(lo: &Quantity, hi: &Quantity, rng: &mut fastrand::Rng) -> Quantity {
    let (a, b) = (lo.value.ln(), hi.value.ln());
    let raw = (a + rng.f64() * (b - a)).exp();
    let mut q = Quantity {
        value: raw,
        dim: lo.dim,
        labels: lo.labels,
    };
    // Round the number as shown (`7.3 years` -> `5 years`), not in base units.
    let shown = quantity::Shown::of(&q);
    if shown.value > 0.0 {
        q.value = nice(shown.value) * (raw / shown.value);
    }
    q.value = q.value.clamp(lo.value, hi.value);
    q
}

fn fill(template: &str, values: &BTreeMap<String, String>) -> String {
    crate::bank::fill_placeholders(template, |name| values.get(name).cloned())
}

/// True when an explanation states a number outside its placeholders.
fn has_written_numbers(explanation: &str) -> bool {
    let outside = crate::bank::fill_placeholders(explanation, |_| Some(String::new()));
    outside.chars().any(|c| c.is_ascii_digit())
}

fn fundamental_question(f: &Fundamental, rng: &mut fastrand::Rng) -> anyhow::Result<Question> {
    let mut picks = BTreeMap::new();
    let mut texts = BTreeMap::new();
    for (name, choices) in &f.params {
        let i = rng.usize(..choices.len());
        picks.insert(name.clone(), i);
        texts.insert(name.clone(), choices[i].0.clone());
    }
    let reference = f.evaluate(&picks).map_err(anyhow::Error::new)?;
    let shown = format_in_unit(&reference, &f.unit, &f.unit_text);
    // The expression with the chosen values written in.
    let mut substituted = String::new();
    let mut last = 0;
    for (name, span) in f.ast.variables() {
        substituted.push_str(&f.expr[last..span.start]);
        substituted.push_str(&texts.get(name).cloned().unwrap_or_else(|| name.to_string()));
        last = span.end;
    }
    substituted.push_str(&f.expr[last..]);
    let question = fill(&f.question, &texts);
    texts.insert("answer".to_string(), shown.clone());
    let explanation = fill(&f.explanation, &texts);
    Ok(Question {
        template: f.id.clone(),
        skill: f.skill,
        problem: None,
        question,
        unit: f.unit_text.clone(),
        tolerance: f.tolerance,
        reference: reference.value_in(&f.unit),
        reference_shown: shown.clone(),
        hint: f.hint.clone(),
        solution: format!("{substituted} = {shown}\n{explanation}"),
        reference_quantity: reference,
        unit_quantity: f.unit.clone(),
        peak: None,
    })
}

fn estimate_question(
    p: &Problem,
    index: usize,
    id: &str,
    rng: &mut fastrand::Rng,
) -> anyhow::Result<Question> {
    let e = &p.estimates[index];
    let mut overrides = Scope::new();
    let mut texts = BTreeMap::new();
    for name in &e.inputs {
        let Some(a) = p.assumptions.iter().find(|a| &a.name == name) else {
            continue;
        };
        let (value, text) = match &a.draw {
            Draw::Fixed => (a.value.clone(), a.value.to_string()),
            Draw::Range((_, lo), (_, hi)) => {
                let q = draw_in_range(lo, hi, rng);
                let text = q.to_string();
                (q, text)
            }
            Draw::Choices(choices) => {
                let (text, q) = &choices[rng.usize(..choices.len())];
                (q.clone(), text.clone())
            }
        };
        overrides.insert(name.clone(), value);
        texts.insert(name.clone(), text);
    }
    let scope = p.scope_with(&overrides).map_err(anyhow::Error::new)?;
    let reference = scope
        .get(&e.id)
        .cloned()
        .ok_or_else(|| anyhow::anyhow!("{id}: no reference"))?;
    let question = match &e.drill {
        Some(template) if placeholders(template).is_ok() => fill(template, &texts),
        _ => {
            let given: Vec<String> = e
                .inputs
                .iter()
                .filter_map(|name| {
                    let a = p.assumptions.iter().find(|a| &a.name == name)?;
                    Some(format!("{}: {}", a.description, texts.get(name)?))
                })
                .collect();
            format!("{} ({}). {}", p.title, given.join("; "), e.question)
        }
    };
    // The worked solution: every estimate the answer builds on, in order.
    let mut needed = vec![index];
    let mut i = 0;
    while i < needed.len() {
        let current = &p.estimates[needed[i]];
        for (name, _) in current.ast.variables() {
            if let Some(j) = p.estimates.iter().position(|x| x.id == name)
                && !needed.contains(&j)
            {
                needed.push(j);
            }
        }
        i += 1;
    }
    needed.sort_unstable();
    let steps: Vec<String> = needed
        .iter()
        .map(|&j| {
            let step = &p.estimates[j];
            format!(
                "{} = {} = {}",
                step.id,
                p.substituted_as(step, &scope, &texts),
                Problem::shown_reference(step, &scope[&step.id])
            )
        })
        .collect();
    let shown = Problem::shown_reference(e, &reference);
    // Placeholders take the drawn numbers. A number the author wrote into the
    // text itself speaks of the problem as stated; with other numbers drawn,
    // say so rather than contradict the draw.
    let redrawn = overrides.iter().any(|(name, value)| {
        p.assumptions
            .iter()
            .any(|a| &a.name == name && a.value.value != value.value)
    });
    let explanation = p.explain(e, &scope, &texts);
    // An author who wrote placeholders has said which numbers are the
    // problem's; the others are facts ("a 32-bit integer holds 4.3 billion").
    let uses_placeholders = placeholders(&e.explanation).is_ok_and(|p| !p.is_empty());
    let explanation = if redrawn && !uses_placeholders && has_written_numbers(&e.explanation) {
        format!("In the problem as stated: {explanation}")
    } else {
        explanation
    };
    Ok(Question {
        template: id.to_string(),
        skill: e.skill,
        problem: Some(p.id.clone()),
        question,
        unit: e.unit_text.clone(),
        tolerance: e.tolerance,
        reference: reference.value_in(&e.unit),
        reference_shown: shown,
        hint: e.hint.clone(),
        solution: format!("{}\n{explanation}", steps.join("\n")),
        reference_quantity: reference,
        unit_quantity: e.unit.clone(),
        peak: p.peak_factor(&scope),
    })
}

/// Picks templates and draws their questions: the same seed and history give
/// the same questions.
pub(crate) fn questions(
    pool: &Pool,
    schedule: &Schedule,
    count: usize,
    skill: Option<Skill>,
    seed: u64,
) -> anyhow::Result<Vec<Question>> {
    let mut rng = fastrand::Rng::with_seed(seed);
    let templates = pool.select(schedule, count, skill, &mut rng);
    templates
        .into_iter()
        .map(|t| pool.question(t, &mut rng))
        .collect()
}

/// One question as answered in a drill.
#[derive(Debug, Clone)]
pub(crate) struct Answered {
    pub question: Question,
    /// None when skipped.
    pub answer: Option<String>,
    pub answer_shown: Option<String>,
    pub verdict: Option<Verdict>,
    pub ratio: Option<f64>,
    pub seconds: f64,
}

/// A drill run, summed up: every question as answered, and how many were
/// right out of those answered.
pub(crate) struct Summary {
    pub(crate) rows: Vec<Answered>,
    pub(crate) right: usize,
    pub(crate) counted: usize,
}

impl Summary {
    pub(crate) fn new(rows: Vec<Answered>) -> Summary {
        let right = rows
            .iter()
            .filter(|a| a.verdict.is_some_and(Verdict::is_correct))
            .count();
        let counted = rows.iter().filter(|a| a.verdict.is_some()).count();
        Summary {
            rows,
            right,
            counted,
        }
    }
}

/// Asks the questions in turn; `record` gets each answer as it is checked (so
/// Ctrl-C keeps the answers given so far). An answer that does not parse is
/// asked again and not counted; `?` shows the hint; an empty answer skips.
pub(crate) fn run(
    questions: &[Question],
    run_id: &str,
    prompter: &mut dyn Prompter,
    clock: &dyn Clock,
    record: &mut dyn FnMut(DrillRecord),
) -> (Vec<Answered>, Ending) {
    let mut answered = Vec::new();
    let total = questions.len();
    for (i, q) in questions.iter().enumerate() {
        prompter.show(Event::Question {
            index: i + 1,
            count: total,
            text: q.question.clone(),
            skill: q.skill,
        });
        let started = clock.now();
        let outcome = loop {
            let prompt = Prompt {
                label: format!("Answer in {}:", q.unit),
                status: "a number or an expression; `?` for a hint; empty to skip".into(),
            };
            let answer = match prompter.ask(&prompt) {
                Ok(a) => a.trim().to_string(),
                Err(Interrupt) => return (answered, Ending::Stopped),
            };
            if answer.is_empty() {
                break None;
            }
            if answer == "?" {
                prompter.show(Event::Hint(format!("Hint: {}", q.hint)));
                continue;
            }
            let check = quantity::check_answer(
                &answer,
                &q.reference_quantity,
                &q.unit_quantity,
                &q.unit,
                q.tolerance,
                &quantity::NoVariables,
            );
            if check.verdict == Verdict::Invalid {
                let message = check.error.map_or(check.message, |d| d.to_string());
                prompter.show(Event::Warning(format!(
                    "That does not parse: {message}\nTry again (not counted)."
                )));
                continue;
            }
            break Some((answer, check));
        };
        let seconds = clock.now() - started;
        let Some((answer, check)) = outcome else {
            prompter.show(Event::Reference(format!(
                "Skipped. Reference: {}\n{}",
                q.reference_shown, q.solution
            )));
            answered.push(Answered {
                question: q.clone(),
                answer: None,
                answer_shown: None,
                verdict: None,
                ratio: None,
                seconds,
            });
            continue;
        };
        prompter.show(Event::Verdict {
            verdict: check.verdict,
            text: format!(
                "{} ({seconds:.0} s)",
                quantity::verdict_sentence(&check, q.tolerance, q.peak)
            ),
        });
        prompter.show(Event::Reference(format!(
            "Reference: {}\n{}",
            q.reference_shown, q.solution
        )));
        record(DrillRecord {
            run: run_id.into(),
            at: clock.unix(),
            template: q.template.as_str().into(),
            skill: q.skill,
            verdict: check.verdict,
            ratio: check.ratio,
            seconds,
        });
        answered.push(Answered {
            question: q.clone(),
            answer_shown: check.answer.as_ref().map(|a| a.text()),
            answer: Some(answer),
            verdict: Some(check.verdict),
            ratio: check.ratio,
            seconds,
        });
    }
    (answered, Ending::Finished)
}

#[cfg(test)]
mod tests;
