//! The problem bank: problems and rubrics, loaded from the copy built into the
//! binary or from a folder, checked, and compiled into the types sessions, grading
//! and drills use.
//!
//! Loading and validation are one pass (`compile`): every issue in every file is
//! collected, so `sdi validate` reports them all at once, and a bank with errors is
//! never half-used. References are computed here by the estimation engine from
//! each problem's assumptions; no number in a problem file is an answer.

mod compile;
mod issue;
mod load;
mod locate;
pub(crate) mod model;
pub(crate) mod snapshot;
pub(crate) mod view;

pub(crate) use compile::{Glossary, placeholders};
pub(crate) use issue::Issue;
pub(crate) use load::{Origin, SourceRef, check_yaml_cost, list_sources};
pub(crate) use model::{Difficulty, Forms, Level, PhaseId, Phrase, Skill};

use crate::quantity::{self, Ast, Diagnostic, Quantity};
use std::collections::BTreeMap;

/// A checked, compiled bank.
#[derive(Debug, Clone)]
pub(crate) struct Bank {
    pub origin: Origin,
    pub problems: Vec<Problem>,
    /// The shared concept glossary (rubric-local concepts are in each rubric).
    pub glossary: Glossary,
}

/// The outcome of reading a bank: the bank when it has no errors, and every
/// issue found either way.
#[derive(Debug)]
pub(crate) struct Checked {
    /// The bank, when it has no errors and was asked for.
    pub bank: Option<Bank>,
    pub issues: Vec<Issue>,
    /// How many files were read.
    pub files: usize,
    /// How many problems passed every check.
    pub valid_problems: usize,
    /// The verdict is the build script's: the built-in bank was checked when
    /// the binary was built (see `crate::built`).
    pub at_build: bool,
}

/// What the build script records of a built-in bank that has no issue at all.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct CleanBank {
    pub problems: usize,
    pub files: usize,
}

impl Bank {
    /// Reads and checks the bank at `origin`, reporting every issue. With `keep`,
    /// the compiled bank comes back when it is clean; without, only the verdict
    /// (what `sdi validate` needs, in a fraction of the memory).
    pub(crate) fn check(origin: &Origin, keep: bool) -> anyhow::Result<Checked> {
        if let (Origin::Embedded, false, Some(clean)) = (origin, keep, crate::built::VERDICT) {
            return Ok(Checked {
                bank: None,
                issues: Vec::new(),
                files: clean.files,
                valid_problems: clean.problems,
                at_build: true,
            });
        }
        Bank::compile_check(origin, keep)
    }

    /// [`Bank::check`] done here and now, whatever the build found.
    pub(crate) fn compile_check(origin: &Origin, keep: bool) -> anyhow::Result<Checked> {
        let sources = list_sources(origin)?;
        let compiled = compile::compile(&sources, keep);
        let has_errors = compiled.issues.iter().any(Issue::is_error);
        Ok(Checked {
            bank: (keep && !has_errors).then(|| Bank {
                origin: origin.clone(),
                problems: compiled.problems,
                glossary: compiled.glossary,
            }),
            issues: compiled.issues,
            files: compiled.files,
            valid_problems: compiled.valid_problems,
            at_build: false,
        })
    }

    /// Reads a bank that must be valid: errors are summed up with a pointer to
    /// `sdi validate`.
    pub(crate) fn load(origin: &Origin) -> anyhow::Result<Bank> {
        let checked = Bank::check(origin, true)?;
        match checked.bank {
            Some(bank) => Ok(bank),
            None => {
                let errors: Vec<&Issue> = checked.issues.iter().filter(|i| i.is_error()).collect();
                let flag = match origin {
                    Origin::Embedded => String::new(),
                    Origin::Dir(dir) => format!(" --bank {}", dir.display()),
                };
                anyhow::bail!(
                    "{origin} has {} error{}; the first:\n{}\nrun `sdi validate{flag}` to see them all",
                    errors.len(),
                    if errors.len() == 1 { "" } else { "s" },
                    errors.first().map(|i| i.to_string()).unwrap_or_default()
                )
            }
        }
    }

    /// Reads a bank for one problem: that problem, its rubric, the glossary
    /// and the shared rubric, compiled and checked, so a command that uses one
    /// problem does not pay for the whole bank. When the problem's file is not
    /// `problems/ID.yaml` (or the id is unknown), the whole bank is loaded,
    /// which finds it by its id or suggests the closest one.
    pub(crate) fn load_problem(origin: &Origin, id: &str) -> anyhow::Result<Bank> {
        // A built-in bank the build found clean comes compiled (see `snapshot`;
        // the build writes snapshots only for a clean bank).
        if let Origin::Embedded = origin
            && let Some(bank) = snapshot::load(id)
        {
            return Ok(bank);
        }
        Bank::compile_problem(origin, id)
    }

    /// [`Bank::load_problem`] compiled here and now, whatever the build made.
    pub(crate) fn compile_problem(origin: &Origin, id: &str) -> anyhow::Result<Bank> {
        let sources = list_sources(origin)?;
        let wanted = |s: &SourceRef| {
            s.stem() == id || (!s.is_problem() && matches!(s.stem(), "glossary" | "shared"))
        };
        if !sources.iter().any(|s| s.is_problem() && s.stem() == id) {
            return Bank::load(origin);
        }
        let one: Vec<SourceRef> = sources.into_iter().filter(wanted).collect();
        let compiled = compile::compile(&one, true);
        if compiled.issues.iter().any(Issue::is_error) {
            // Report as a whole-bank load would, pointing at `sdi validate`.
            return Bank::load(origin);
        }
        if !compiled.problems.iter().any(|p| p.id == id) {
            return Bank::load(origin);
        }
        Ok(Bank {
            origin: origin.clone(),
            problems: compiled.problems,
            glossary: compiled.glossary,
        })
    }

    /// The problems' headers only (id, title, difficulty, tags, summary), for
    /// `sdi list`: an index, read without checking the rest of the bank (`sdi
    /// validate` does that, and every command that uses a problem loads it whole).
    pub(crate) fn index(origin: &Origin) -> anyhow::Result<Vec<Header>> {
        let mut headers = Vec::new();
        for src in list_sources(origin)?.iter().filter(|s| s.is_problem()) {
            let file = src.read().map_err(|issue| anyhow::anyhow!("{issue}"))?;
            let header: Header = load::parse(&file, "problem").map_err(|issue| {
                anyhow::anyhow!("{issue}\nrun `sdi validate` to check the whole bank")
            })?;
            headers.push(header);
        }
        Ok(headers)
    }

    /// The problem with this id, or an error that suggests the closest id.
    pub(crate) fn problem(&self, id: &str) -> anyhow::Result<&Problem> {
        if let Some(p) = self.problems.iter().find(|p| p.id == id) {
            return Ok(p);
        }
        let ids: Vec<&str> = self.problems.iter().map(|p| p.id.as_str()).collect();
        let hint = match quantity::suggest_word(id, &ids) {
            Some(s) => format!("did you mean `{s}`?"),
            None if ids.is_empty() => "the bank has no problems".to_string(),
            None => format!("the problems are: {}", ids.join(", ")),
        };
        anyhow::bail!("no problem `{id}` in {}: {hint}", self.origin)
    }
}

/// What `sdi list` shows of a problem.
#[derive(Debug, Clone, serde::Deserialize)]
pub(crate) struct Header {
    #[serde(default)]
    version: u32,
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub summary: String,
}

impl load::Versioned for Header {
    fn version(&self) -> u32 {
        self.version
    }
}

/// A problem, checked and with its references computed.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Problem {
    pub id: String,
    pub title: String,
    pub difficulty: Difficulty,
    pub tags: Vec<String>,
    pub summary: String,
    pub statement: String,
    pub sources: Vec<String>,
    pub assumptions: Vec<Assumption>,
    pub estimates: Vec<Estimate>,
    pub scale: Scale,
    pub clarifications: Vec<Clarification>,
    pub phases: Vec<Phase>,
    pub rubric: Rubric,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Assumption {
    pub name: String,
    /// The expression as written: "100M".
    pub text: String,
    pub value: Quantity,
    pub description: String,
    pub draw: Draw,
}

impl Assumption {
    /// The value as a person reads it: as written when it is one quantity
    /// (`99.99%`, `3x`, `500 B`), else as the engine shows it.
    pub(crate) fn shown(&self) -> String {
        if is_literal(&self.text) {
            self.text.trim().to_string()
        } else {
            self.value.to_string()
        }
    }
}

/// How drills may redraw an assumption.
// A few per problem, so the size of the range variant does not matter.
#[allow(clippy::large_enum_variant)]
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) enum Draw {
    Fixed,
    /// Low and high, each as written (`"5 KB"`) and as a value.
    Range((String, Quantity), (String, Quantity)),
    /// Each choice as written (`"99.9%"`) and its value.
    Choices(Vec<(String, Quantity)>),
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Estimate {
    pub id: String,
    pub question: String,
    /// The expression as written, and parsed.
    pub expr: String,
    /// Not stored in the compiled bank: parsed again from `expr` when read.
    #[serde(skip, default = "Ast::placeholder")]
    pub ast: Ast,
    /// The answer unit as written ("req/s"), and one of it.
    pub unit_text: String,
    pub unit: Quantity,
    pub skill: Skill,
    pub tolerance: f64,
    pub hint: String,
    pub explanation: String,
    pub drill: Option<String>,
    /// Computed from the problem's assumptions.
    pub reference: Quantity,
    /// The assumptions it depends on, directly or through earlier estimates, in
    /// the problem's order.
    pub inputs: Vec<String>,
}

/// The names that place the system on the milestones table.
#[derive(Debug, Clone, Default, serde::Serialize, serde::Deserialize)]
pub(crate) struct Scale {
    pub users: Option<String>,
    pub rps: Option<String>,
    pub data: Option<String>,
    /// Why the load departs from the table's ratios, if it does.
    pub ratio: Option<String>,
    /// Architecture items the problem does not need, and why.
    pub not_needed: Vec<(crate::milestones::Item, String)>,
}

impl Scale {
    /// Why the problem does not need an item, or `None` when it does.
    pub(crate) fn not_needed(&self, item: crate::milestones::Item) -> Option<&str> {
        self.not_needed
            .iter()
            .find(|(i, _)| *i == item)
            .map(|(_, why)| why.as_str())
    }
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Clarification {
    pub question: String,
    pub answer: String,
    pub keywords: Vec<String>,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Phase {
    pub id: PhaseId,
    pub minutes: f64,
    pub goal: String,
    pub guidance: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Rubric {
    /// The problem's criteria, then the shared ones.
    pub criteria: Vec<Criterion>,
    pub red_flags: Vec<RedFlag>,
    /// The estimation phase's total weight.
    pub estimates_weight: f64,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Criterion {
    pub id: String,
    pub phase: PhaseId,
    pub level: Level,
    pub weight: f64,
    pub title: String,
    pub strong: String,
    pub evidence: Evidence,
    /// Claims that cancel the criterion's credit when asserted.
    pub contradictions: Vec<Contradiction>,
    pub study: String,
    /// From `rubrics/shared.yaml`.
    pub shared: bool,
}

/// What to look for: items (a concept, a phrase, or terms that must meet in
/// one clause), and how many distinct items make the evidence complete.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Evidence {
    pub items: Vec<EvidenceItem>,
    /// Questions to the interviewer (in the criterion's phase) that make one
    /// more item, if the criterion counts them.
    pub questions: Option<usize>,
    pub need: usize,
}

/// One thing to look for: every term of `all` asserted in one clause, and no
/// term of `none` asserted in its sentence. A concept or a phrase is an item
/// of one term.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct EvidenceItem {
    pub all: Vec<Term>,
    pub none: Vec<Term>,
}

/// A concept (all its ways of saying it) or a literal phrase.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Term {
    #[serde(with = "snapshot::shared_forms")]
    /// Every way of saying it (shared with the glossary, not copied per criterion).
    pub forms: std::sync::Arc<Forms>,
}

/// A claim that contradicts a criterion, and why it is wrong.
#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct Contradiction {
    pub claim: EvidenceItem,
    pub why: String,
}

#[derive(Debug, Clone, serde::Serialize, serde::Deserialize)]
pub(crate) struct RedFlag {
    pub id: String,
    pub title: String,
    pub evidence: Evidence,
    pub penalty: f64,
    pub why: String,
}

/// True for a written value that is one quantity (`100M`, `20%`, `5k req/s`),
/// not an expression (`(100M) * 2`).
fn is_literal(text: &str) -> bool {
    !text.contains(['+', '*', '^', '(', ')'])
        && !text.contains(" - ")
        && !text.trim().starts_with('-')
}

/// `text` with every `{name}` replaced by `value(name)`; a name it does not
/// know stays as written (validation has already refused those).
pub(crate) fn fill_placeholders(
    text: &str,
    mut value: impl FnMut(&str) -> Option<String>,
) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let Some(close) = after.find('}') else {
            break;
        };
        out.push_str(&rest[..open]);
        let name = after[..close].trim();
        match value(name) {
            Some(v) => out.push_str(&v),
            None => out.push_str(&rest[open..open + close + 2]),
        }
        rest = &after[close + 1..];
    }
    out.push_str(rest);
    out
}

/// Every name a problem defines (assumptions, then estimates), with its value.
pub(crate) type Scope = BTreeMap<String, Quantity>;

impl Problem {
    pub(crate) fn estimate(&self, id: &str) -> Option<&Estimate> {
        self.estimates.iter().find(|e| e.id == id)
    }

    /// The total of the phase budgets, in minutes.
    pub(crate) fn minutes(&self) -> f64 {
        self.phases.iter().map(|p| p.minutes).sum()
    }

    /// The assumptions' values with `overrides` in place of some, then every
    /// estimate computed from them, in order.
    pub(crate) fn scope_with(&self, overrides: &Scope) -> Result<Scope, Diagnostic> {
        let mut scope = Scope::new();
        for a in &self.assumptions {
            let value = overrides
                .get(&a.name)
                .cloned()
                .unwrap_or_else(|| a.value.clone());
            scope.insert(a.name.clone(), value);
        }
        for e in &self.estimates {
            let value = quantity::evaluate_expr(&e.ast.expr, &e.expr, &scope)?;
            scope.insert(e.id.clone(), value);
        }
        Ok(scope)
    }

    /// The scope of the problem as written.
    pub(crate) fn scope(&self) -> Scope {
        let mut scope: Scope = self
            .assumptions
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        for e in &self.estimates {
            scope.insert(e.id.clone(), e.reference.clone());
        }
        scope
    }

    /// The estimate's expression with each name replaced by its value, so a
    /// learner sees how the number was reached: `100M * 10 / day`.
    pub(crate) fn substituted(&self, estimate: &Estimate, scope: &Scope) -> String {
        self.substituted_as(estimate, scope, &BTreeMap::new())
    }

    /// Like [`Problem::substituted`], with some values written as `shown`
    /// gives them: a drill repeats the words of its question (`5%`), where
    /// the value alone would print as `0.05`.
    pub(crate) fn substituted_as(
        &self,
        estimate: &Estimate,
        scope: &Scope,
        shown: &BTreeMap<String, String>,
    ) -> String {
        let mut out = String::new();
        let mut last = 0;
        for (name, span) in estimate.ast.variables() {
            let Some(value) = scope.get(name) else {
                continue;
            };
            out.push_str(&estimate.expr[last..span.start]);
            // An earlier estimate reads best in its own unit (`11.6 req/s`), an
            // assumption as the author wrote it (`20%`, `3x`) when it is a plain literal.
            let text = match (
                self.estimate(name),
                self.assumptions.iter().find(|a| a.name == name),
            ) {
                _ if shown.contains_key(name) => shown[name].clone(),
                (Some(e), _) => Problem::shown_reference(e, value),
                (None, Some(a)) if a.value == *value && is_literal(&a.text) => {
                    a.text.trim().to_string()
                }
                _ => value.to_string(),
            };
            // A number with units binds as one quantity, so no parentheses are
            // needed, except around a negative value.
            if text.starts_with('-') {
                out.push_str(&format!("({text})"));
            } else {
                out.push_str(&text);
            }
            last = span.end;
        }
        out.push_str(&estimate.expr[last..]);
        out
    }

    /// The estimate's explanation with its `{name}` placeholders (assumptions
    /// and estimates) filled from `scope`: a drill that draws other numbers
    /// explains with the numbers it drew, so the text cannot contradict them.
    pub(crate) fn explain(
        &self,
        estimate: &Estimate,
        scope: &Scope,
        shown: &BTreeMap<String, String>,
    ) -> String {
        fill_placeholders(&estimate.explanation, |name| {
            if let Some(text) = shown.get(name) {
                return Some(text.clone());
            }
            let value = scope.get(name)?;
            Some(match self.estimate(name) {
                Some(e) => Problem::shown_reference(e, value),
                None => match self.assumptions.iter().find(|a| a.name == name) {
                    Some(a) if a.value == *value => a.shown(),
                    _ => value.to_string(),
                },
            })
        })
    }

    /// The problem's peak factor (its `peak_factor` assumption, as drawn in
    /// `scope`), which feedback names when an answer is off by it.
    pub(crate) fn peak_factor(&self, scope: &Scope) -> Option<f64> {
        scope
            .get("peak_factor")
            .filter(|q| q.dim == quantity::Dimension::NONE)
            .map(|q| q.value)
    }

    /// The reference in the estimate's unit, as shown: `11.6k req/s`.
    pub(crate) fn shown_reference(estimate: &Estimate, value: &Quantity) -> String {
        quantity::format_in_unit(value, &estimate.unit, &estimate.unit_text)
    }
}
