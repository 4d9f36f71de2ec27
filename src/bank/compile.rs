//! Checks parsed bank files and compiles them into [`Problem`]s: names and ids,
//! expressions (parsed and evaluated by the engine, with the column of the error
//! inside the file), dimensions of references against their units, phases,
//! rubric criteria and their evidence. Every issue is collected, not just the
//! first.

use super::issue::Issue;
use super::load::{SourceFile, SourceRef, parse};
use super::locate::{FieldPath, Position, locate};
use super::model::{
    AssumptionDef, ContradictionDef, CriterionDef, EstimateDef, EvidenceDef, Forms, GlossaryFile,
    PhaseDef, PhaseId, ProblemFile, RedFlagDef, RubricFile, SharedFile,
};
use super::{
    Assumption, Clarification, Contradiction, Criterion, Draw, Estimate, Evidence, EvidenceItem,
    Phase, Problem, RedFlag, Rubric, Scale, Scope, Term,
};
use crate::quantity::{self, Diagnostic, Dimension, Quantity};
use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;

/// The smallest tolerance an estimate may have: interview numbers are rounded.
const MIN_TOLERANCE: f64 = 1.5;
const MAX_TOLERANCE: f64 = 10.0;

/// The checker's view of one file: its path and text, for locating fields.
struct Ctx<'a> {
    file: &'a SourceFile,
    issues: &'a mut Vec<Issue>,
}

impl Ctx<'_> {
    fn error(&mut self, path: &FieldPath, message: impl Into<String>) -> &mut Issue {
        let issue = Issue::error(&self.file.path, message).field(&self.file.text, path);
        self.issues.push(issue);
        self.issues.last_mut().expect("just pushed")
    }

    fn warning(&mut self, path: &FieldPath, message: impl Into<String>) -> &mut Issue {
        let issue = Issue::warning(&self.file.path, message).field(&self.file.text, path);
        self.issues.push(issue);
        self.issues.last_mut().expect("just pushed")
    }

    /// An engine diagnostic inside a field's expression, located at the exact
    /// column in the file when the expression sits on the key's line.
    fn expression_error(&mut self, path: &FieldPath, what: &str, d: &Diagnostic) {
        let position = locate(&self.file.text, path).map(|p| {
            let line = self.file.text.lines().nth(p.line - 1).unwrap_or("");
            let quoted = line
                .chars()
                .nth(p.column - 1)
                .is_some_and(|c| c == '"' || c == '\'');
            Position {
                line: p.line,
                column: p.column + usize::from(quoted) + d.column() - 1,
            }
        });
        let mut issue = Issue::error(
            &self.file.path,
            format!("{what} `{}`: {}", d.source, d.error),
        )
        .at(position)
        .field(&self.file.text, path);
        if let Some(help) = &d.error.help {
            issue = issue.hint(help.clone());
        }
        self.issues.push(issue);
    }

    /// Reports `parent.name` when its text is empty; the path is only built then.
    fn non_empty(&mut self, parent: &FieldPath, name: &str, text: &str) {
        if text.trim().is_empty() {
            self.error(&parent.key(name.to_string()), format!("`{name}` is empty"))
                .hint = Some(format!("write the {name}; see problems/README.md"));
        }
    }
}

/// The text without surrounding whitespace, reusing its allocation when there is
/// none to remove (the usual case).
fn tidy(text: String) -> String {
    if text.trim().len() == text.len() {
        text
    } else {
        text.trim().to_string()
    }
}

fn is_snake_identifier(s: &str) -> bool {
    let mut chars = s.chars();
    chars
        .next()
        .is_some_and(|c| c.is_ascii_lowercase() || c == '_')
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_')
}

fn is_kebab_id(s: &str) -> bool {
    !s.is_empty()
        && s.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && s.chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && !s.ends_with('-')
        && !s.contains("--")
}

/// Concept id -> every way of saying it.
pub(crate) type Glossary = BTreeMap<String, Arc<Forms>>;

/// What checking a bank gives: the problems (when asked to keep them), the
/// glossary, every issue, and counts for the summary.
pub(super) struct Compiled {
    pub problems: Vec<Problem>,
    pub glossary: Glossary,
    pub issues: Vec<Issue>,
    /// Files listed.
    pub files: usize,
    /// Problems that passed every check.
    pub valid_problems: usize,
}

/// A problem file's outcome: its id, path, and the problem if it compiled (kept
/// only when asked).
struct ProblemOutcome {
    id: String,
    path: String,
    ok: bool,
    problem: Option<Problem>,
}

/// Compiles every file, one at a time (a large bank is never in memory at once). Problems come out only if they
/// and their rubric are clean, and only when `keep` is set: `sdi validate` needs
/// the issues, not the problems.
pub(super) fn compile(sources: &[SourceRef], keep: bool) -> Compiled {
    let problem_refs: Vec<&SourceRef> = sources.iter().filter(|s| s.is_problem()).collect();
    let rubric_refs: Vec<&SourceRef> = sources
        .iter()
        .filter(|s| !s.is_problem() && !matches!(s.stem(), "glossary" | "shared"))
        .collect();
    let problem_stems: Vec<&str> = problem_refs.iter().map(|s| s.stem()).collect();

    let mut issues = Vec::new();
    // A glossary that does not parse makes every concept look unknown: its
    // own error is the one to fix, and the others would bury it.
    let (concepts, glossary_broken) = glossary(sources, &mut issues);
    let shared = shared_rubric(sources, &concepts, &mut issues);
    // Files are independent until merged: two threads take them from one
    // queue, rubrics (most of the work) first, so both stay busy to the end.
    // The results are merged in file order, so the issues read as one pass.
    let jobs: Vec<Job> = rubric_refs
        .iter()
        .map(|r| Job::Rubric(r))
        .chain(problem_refs.iter().map(|p| Job::Problem(p)))
        .collect();
    let done: Vec<std::sync::Mutex<Option<Done>>> =
        jobs.iter().map(|_| std::sync::Mutex::new(None)).collect();
    let next = std::sync::atomic::AtomicUsize::new(0);
    let work = || {
        loop {
            let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
            let Some(job) = jobs.get(i) else { break };
            let result = match job {
                Job::Rubric(src) => Done::Rubric(Box::new(compile_rubric_file(
                    src,
                    &concepts,
                    shared.as_ref(),
                    &problem_stems,
                    keep,
                ))),
                Job::Problem(src) => Done::Problem(Box::new(compile_problem_file(src, keep))),
            };
            *done[i].lock().expect("no worker panics") = Some(result);
        }
    };
    std::thread::scope(|scope| {
        // One problem (its file and its rubric) is too little work to pay
        // for a thread and its memory arena.
        if jobs.len() > 2 {
            scope.spawn(work);
        }
        work();
    });
    let mut rubrics: HashMap<String, Option<Rubric>> = HashMap::new();
    let mut rubric_issues = Vec::new();
    let mut broken_rubrics = BTreeSet::new();
    let mut checked = Vec::new();
    for (slot, job) in done.into_iter().zip(&jobs) {
        match slot.into_inner().expect("no worker panics") {
            Some(Done::Rubric(r)) => {
                let r = *r;
                rubric_issues.extend(r.issues);
                let Some(problem) = r.problem else {
                    if let Some(stem) = r.broken {
                        broken_rubrics.insert(stem);
                    }
                    continue;
                };
                if rubrics.contains_key(&problem) {
                    if let Job::Rubric(src) = job {
                        rubric_issues.push(second_rubric(src, &problem));
                    }
                    continue;
                }
                match r.rubric {
                    Some(rubric) => {
                        rubrics.insert(problem, rubric);
                    }
                    None => {
                        broken_rubrics.insert(problem);
                    }
                }
            }
            Some(Done::Problem(outcome)) => checked.push(*outcome),
            None => {}
        }
    }
    let (problems, problem_issues) = merge_problems(checked, &problem_refs);
    issues.extend(problem_issues);
    issues.extend(rubric_issues);
    if glossary_broken {
        issues.retain(|i| !i.message.starts_with("unknown concept"));
    }

    let mut out = Vec::new();
    let mut valid_problems = 0;
    for outcome in problems {
        if !outcome.ok {
            continue;
        }
        match rubrics.remove(&outcome.id) {
            Some(rubric) => {
                valid_problems += 1;
                if let (Some(mut problem), Some(rubric)) = (outcome.problem, rubric) {
                    problem.rubric = rubric;
                    out.push(problem);
                }
            }
            None if broken_rubrics.contains(&outcome.id) => {}
            None => issues.push(
                Issue::error(
                    &outcome.path,
                    format!("problem `{}` has no rubric", outcome.id),
                )
                .hint(format!(
                    "add rubrics/{}.yaml (the format is in problems/README.md)",
                    outcome.id
                )),
            ),
        }
    }
    Compiled {
        problems: out,
        glossary: concepts,
        issues,
        files: sources.len(),
        valid_problems,
    }
}

/// The glossary's concepts (none when the bank has no glossary), and whether
/// it failed to parse.
fn glossary(sources: &[SourceRef], issues: &mut Vec<Issue>) -> (Glossary, bool) {
    let Some(src) = sources
        .iter()
        .find(|s| !s.is_problem() && s.stem() == "glossary")
    else {
        return (Glossary::new(), false);
    };
    match read_and_parse::<GlossaryFile>(src, "glossary") {
        Ok((file, g)) => (check_glossary(&file, g, issues), false),
        Err(issue) => {
            let hint = issue.hint.clone().unwrap_or_default();
            issues.push(issue.hint(format!(
                "{hint}{}the rubrics' concepts are checked once the glossary reads",
                if hint.is_empty() { "" } else { "; " }
            )));
            (Glossary::new(), true)
        }
    }
}

/// The criteria and red flags every problem shares, from `rubrics/shared.yaml`.
fn shared_rubric(
    sources: &[SourceRef],
    concepts: &Glossary,
    issues: &mut Vec<Issue>,
) -> Option<(Vec<Criterion>, Vec<RedFlag>)> {
    let src = sources
        .iter()
        .find(|s| !s.is_problem() && s.stem() == "shared")?;
    match read_and_parse::<SharedFile>(src, "shared rubric") {
        Ok((file, s)) => {
            let mut ctx = Ctx {
                file: &file,
                issues,
            };
            check_version(&mut ctx, s.version);
            let no_local = Glossary::new();
            // The shared criteria join every kept rubric, so they are built.
            let resolver = Concepts {
                glossary: concepts,
                local: &no_local,
                keep: true,
            };
            let criteria = criteria(&mut ctx, s.criteria, &resolver, true, &mut BTreeSet::new());
            let flags = red_flags(&mut ctx, s.red_flags, &resolver);
            Some((criteria, flags))
        }
        Err(issue) => {
            issues.push(issue);
            None
        }
    }
}

fn read_and_parse<T: serde::de::DeserializeOwned + super::load::Versioned>(
    src: &SourceRef,
    kind: &str,
) -> Result<(SourceFile, T), Issue> {
    let file = src.read()?;
    let parsed = parse::<T>(&file, kind)?;
    Ok((file, parsed))
}

/// A problem file's outcome (none when it did not parse) and its issues.
type FileOutcome = (Option<ProblemOutcome>, Vec<Issue>);

/// Reads, parses and compiles one problem file.
fn compile_problem_file(src: &SourceRef, keep: bool) -> FileOutcome {
    let mut issues = Vec::new();
    let (file, def) = match read_and_parse::<ProblemFile>(src, "problem") {
        Ok(parsed) => parsed,
        Err(issue) => return (None, vec![issue]),
    };
    let mut ctx = Ctx {
        file: &file,
        issues: &mut issues,
    };
    let problem = compile_problem(&mut ctx, &def);
    let ok = problem.is_some() && !issues.iter().any(Issue::is_error);
    let problem = if keep { problem } else { None };
    let outcome = ProblemOutcome {
        id: def.id.clone(),
        path: file.path.clone(),
        ok,
        problem,
    };
    (Some(outcome), issues)
}

/// Puts the problems' outcomes and issues in file order, and reports a problem
/// id used by two files (the later one is the duplicate).
fn merge_problems(
    checked: Vec<FileOutcome>,
    refs: &[&SourceRef],
) -> (Vec<ProblemOutcome>, Vec<Issue>) {
    let mut outcomes = Vec::new();
    let mut issues = Vec::new();
    let mut seen_ids: HashMap<String, String> = HashMap::new();
    for (i, (outcome, more)) in checked.into_iter().enumerate() {
        issues.extend(more);
        let Some(mut outcome) = outcome else { continue };
        if let Some(first) = seen_ids.get(&outcome.id) {
            let mut issue = Issue::error(
                &outcome.path,
                format!("duplicate problem id `{}` (also in {first})", outcome.id),
            )
            .hint("every problem needs its own id");
            // Rare, so the file is read again to point at its `id:`.
            if let Some(file) = refs.get(i).and_then(|src| src.read().ok()) {
                issue = issue.field(&file.text, &FieldPath::root().key("id"));
            }
            issues.push(issue);
            outcome.ok = false;
        } else {
            seen_ids.insert(outcome.id.clone(), outcome.path.clone());
        }
        outcomes.push(outcome);
    }
    (outcomes, issues)
}

/// A file to compile.
enum Job<'a> {
    Rubric(&'a SourceRef),
    Problem(&'a SourceRef),
}

/// A compiled file.
enum Done {
    Rubric(Box<RubricOutcome>),
    Problem(Box<FileOutcome>),
}

/// A rubric file's outcome: the problem it is for (none when it did not
/// parse or names no known problem), the rubric (`Some(None)` when clean but
/// not kept, `None` when broken), its issues, and the issue to report if
/// another rubric for the same problem came first.
struct RubricOutcome {
    problem: Option<String>,
    rubric: Option<Option<Rubric>>,
    issues: Vec<Issue>,
    /// The file's stem, when it did not parse.
    broken: Option<String>,
}

/// The error for a rubric whose problem already has one. Built only then: it
/// reads the file again to point at its `problem:` line, which every rubric
/// would otherwise pay for.
fn second_rubric(src: &SourceRef, problem: &str) -> Issue {
    let message = format!("a second rubric for `{problem}`");
    match src.read() {
        Ok(file) => {
            Issue::error(&file.path, message).field(&file.text, &FieldPath::root().key("problem"))
        }
        Err(issue) => issue,
    }
}

/// Reads, parses and compiles one rubric file.
fn compile_rubric_file(
    src: &SourceRef,
    concepts: &Glossary,
    shared: Option<&(Vec<Criterion>, Vec<RedFlag>)>,
    problem_stems: &[&str],
    keep: bool,
) -> RubricOutcome {
    let mut issues = Vec::new();
    let (file, mut def) = match read_and_parse::<RubricFile>(src, "rubric") {
        Ok(parsed) => parsed,
        Err(issue) => {
            return RubricOutcome {
                problem: None,
                rubric: None,
                issues: vec![issue],
                broken: Some(src.stem().to_string()),
            };
        }
    };
    let problem_path = FieldPath::root().key("problem");
    let mut ctx = Ctx {
        file: &file,
        issues: &mut issues,
    };
    if !problem_stems.contains(&def.problem.as_str()) {
        let hint = quantity::suggest_word(&def.problem, problem_stems).map_or_else(
            || {
                if problem_stems.is_empty() {
                    "a rubric belongs to a problem in problems/, and there are none".to_string()
                } else {
                    format!(
                        "a rubric belongs to a problem in problems/; there: {}",
                        problem_stems.join(", ")
                    )
                }
            },
            |s| format!("did you mean `{s}`?"),
        );
        ctx.error(
            &problem_path,
            format!("rubric for an unknown problem `{}`", def.problem),
        )
        .hint = Some(hint);
        return RubricOutcome {
            problem: None,
            rubric: None,
            issues,
            broken: None,
        };
    }
    if super::load::file_stem(&file.path) != def.problem.as_str() {
        ctx.error(
            &problem_path,
            format!(
                "the rubric for `{}` must be named rubrics/{}.yaml",
                def.problem, def.problem
            ),
        );
    }
    let shared_ids: BTreeSet<String> = shared
        .map(|(c, _)| c.iter().map(|c| c.id.clone()).collect())
        .unwrap_or_default();
    let before = ctx.issues.iter().filter(|i| i.is_error()).count();
    let rubric = compile_rubric(&mut ctx, &mut def, concepts, &shared_ids, shared, keep);
    let failed = ctx.issues.iter().filter(|i| i.is_error()).count() > before;
    RubricOutcome {
        problem: Some(def.problem.clone()),
        rubric: (!failed).then(|| keep.then_some(rubric)),
        issues,
        broken: None,
    }
}

fn check_version(ctx: &mut Ctx, version: u32) {
    if version == 0 {
        ctx.error(
            &FieldPath::root().key("version"),
            "version 0 does not exist",
        )
        .hint = Some("write `version: 1`".into());
    }
}

/// Concept id -> its forms, from the glossary file.
fn check_glossary(file: &SourceFile, g: GlossaryFile, issues: &mut Vec<Issue>) -> Glossary {
    let mut ctx = Ctx { file, issues };
    check_version(&mut ctx, g.version);
    concept_table(&mut ctx, g.concepts, &Glossary::new(), "concepts")
}

fn concept_table(
    ctx: &mut Ctx,
    entries: Vec<(String, Forms)>,
    glossary: &Glossary,
    key: &'static str,
) -> Glossary {
    let mut out = BTreeMap::new();
    for (id, mut forms) in entries {
        // Built only for an error: most concepts have none.
        let path = || FieldPath::root().key(key).key(id.clone());
        if !is_kebab_id(&id) {
            ctx.error(&path(), format!("concept id `{id}` is not kebab-case"))
                .hint = Some("use lower-case words joined by `-`: `cache-aside`".into());
        }
        if glossary.contains_key(&id) {
            ctx.error(
                &path(),
                format!("concept `{id}` is already in the glossary"),
            )
            .hint = Some("use the glossary's concept, or give this one another id".into());
        }
        if out.contains_key(&id) {
            ctx.error(&path(), format!("concept `{id}` is defined twice"));
        }
        if forms.iter().all(|f| f.trim().is_empty()) {
            ctx.error(&path(), format!("concept `{id}` has no words"))
                .hint = Some("list the ways people say it: [cache-aside, lazy loading]".into());
        }
        // The id itself is one more way to say it. Blank forms stay: they
        // match nothing, and leaving them saves copying the list.
        forms.push(&id.replace('-', " "));
        out.insert(id, Arc::new(forms));
    }
    out
}

fn compile_problem(ctx: &mut Ctx, def: &ProblemFile) -> Option<Problem> {
    let before = ctx.issues.iter().filter(|i| i.is_error()).count();
    let root = FieldPath::root();
    check_version(ctx, def.version);
    let stem = super::load::file_stem(&ctx.file.path).to_string();
    if !is_kebab_id(&def.id) {
        ctx.error(
            &root.key("id"),
            format!("problem id `{}` is not kebab-case", def.id),
        )
        .hint = Some("use lower-case words joined by `-`: `url-shortener`".into());
    } else if def.id != stem {
        ctx.error(
            &root.key("id"),
            format!("id `{}` does not match the file name `{stem}.yaml`", def.id),
        )
        .hint = Some(format!(
            "rename the file to {}.yaml or the id to `{stem}`",
            def.id
        ));
    }
    ctx.non_empty(&root, "title", &def.title);
    ctx.non_empty(&root, "summary", &def.summary);
    ctx.non_empty(&root, "statement", &def.statement);
    for (i, tag) in def.tags.iter().enumerate() {
        if !is_kebab_id(tag) {
            ctx.error(
                &root.key("tags").index(i),
                format!("tag `{tag}` is not kebab-case"),
            );
        }
    }

    let mut scope = Scope::new();
    // Names whose definition failed: what uses them is not reported again.
    let mut broken = BTreeSet::new();
    let assumptions = assumptions(ctx, &def.assumptions, &mut scope, &mut broken);
    let estimates = estimates(ctx, &def.estimates, &assumptions, &mut scope, &mut broken);
    let scale = scale(ctx, def, &scope, &broken);
    let clarifications = clarifications(ctx, def);
    let phases = phases(ctx, &def.phases);

    let after = ctx.issues.iter().filter(|i| i.is_error()).count();
    (after == before).then(|| Problem {
        id: def.id.clone(),
        title: def.title.clone(),
        difficulty: def.difficulty,
        tags: def.tags.clone(),
        summary: def.summary.trim().to_string(),
        statement: def.statement.trim().to_string(),
        sources: def.sources.clone(),
        assumptions,
        estimates,
        scale,
        clarifications,
        phases,
        rubric: Rubric {
            criteria: Vec::new(),
            red_flags: Vec::new(),
            estimates_weight: 0.0,
        },
    })
}

fn assumptions(
    ctx: &mut Ctx,
    defs: &[(String, AssumptionDef)],
    scope: &mut Scope,
    broken: &mut BTreeSet<String>,
) -> Vec<Assumption> {
    let mut out = Vec::new();
    for (name, def) in defs {
        let before = ctx.issues.len();
        let assumption = assumption(ctx, name, def, scope);
        if ctx.issues[before..].iter().any(Issue::is_error) {
            broken.insert(name.clone());
        }
        if let Some(a) = assumption {
            scope.insert(name.clone(), a.value.clone());
            out.push(a);
        }
    }
    out
}

fn assumption(ctx: &mut Ctx, name: &str, def: &AssumptionDef, scope: &Scope) -> Option<Assumption> {
    {
        let path = FieldPath::root().key("assumptions").key(name.to_string());
        if !is_snake_identifier(name) {
            ctx.error(
                &path,
                format!("assumption name `{name}` is not a snake_case identifier"),
            )
            .hint = Some("use lower-case words joined by `_`: `new_urls_per_day`".into());
            return None;
        }
        if quantity::is_reserved_word(name) {
            ctx.error(
                &path,
                format!("`{name}` is a word the engine already knows"),
            )
            .hint = Some(format!(
                "give the assumption a longer name, e.g. `{name}_count`"
            ));
            return None;
        }
        if scope.contains_key(name) {
            ctx.error(&path, format!("assumption `{name}` is defined twice"));
            return None;
        }
        ctx.non_empty(&path, "description", &def.description);
        let value = expression(ctx, &path.key("value"), "value", &def.value, scope)?;
        let draw = draw(ctx, &path, def, &value);
        Some(Assumption {
            name: name.to_string(),
            text: def.value.clone(),
            value,
            description: def.description.trim().to_string(),
            draw,
        })
    }
}

/// Evaluates an expression field, reporting its error at the right column.
fn expression(
    ctx: &mut Ctx,
    path: &FieldPath,
    what: &str,
    text: &str,
    scope: &Scope,
) -> Option<Quantity> {
    match quantity::evaluate_quantity(text, scope) {
        Ok(q) => Some(q),
        Err(d) => {
            ctx.expression_error(path, what, &d);
            None
        }
    }
}

fn draw(ctx: &mut Ctx, path: &FieldPath, def: &AssumptionDef, value: &Quantity) -> Draw {
    if def.range.is_some() && def.choices.is_some() {
        ctx.error(
            path,
            "an assumption has either `range` or `choices`, not both",
        );
        return Draw::Fixed;
    }
    let same_dimension = |ctx: &mut Ctx, p: &FieldPath, q: &Quantity| {
        if q.dim != value.dim {
            ctx.error(
                p,
                format!(
                    "this is {} but the value is {}",
                    q.dim.describe(),
                    value.dim.describe()
                ),
            )
            .hint = Some("a drill draws values of the same kind as the assumption".into());
            false
        } else {
            true
        }
    };
    if let Some([low, high]) = &def.range {
        let empty = Scope::new();
        let lo = expression(ctx, &path.key("range").index(0), "range", low, &empty);
        let hi = expression(ctx, &path.key("range").index(1), "range", high, &empty);
        let (Some(lo), Some(hi)) = (lo, hi) else {
            return Draw::Fixed;
        };
        if !same_dimension(ctx, &path.key("range").index(0), &lo)
            || !same_dimension(ctx, &path.key("range").index(1), &hi)
        {
            return Draw::Fixed;
        }
        if lo.value <= 0.0 || hi.value <= lo.value {
            ctx.error(
                &path.key("range"),
                format!("range [{low}, {high}] must be positive and low < high"),
            );
            return Draw::Fixed;
        }
        if value.value < lo.value * 0.999 || value.value > hi.value * 1.001 {
            ctx.warning(
                &path.key("range"),
                format!(
                    "the value `{}` is outside its range [{low}, {high}]",
                    def.value
                ),
            );
        }
        return Draw::Range((low.trim().to_string(), lo), (high.trim().to_string(), hi));
    }
    if let Some(choices) = &def.choices {
        let mut values = Vec::new();
        for (i, text) in choices.iter().enumerate() {
            let p = path.key("choices").index(i);
            if let Some(q) = expression(ctx, &p, "choice", text, &Scope::new())
                && same_dimension(ctx, &p, &q)
            {
                values.push((text.trim().to_string(), q));
            }
        }
        if values.is_empty() {
            ctx.error(&path.key("choices"), "`choices` is empty");
            return Draw::Fixed;
        }
        return Draw::Choices(values);
    }
    Draw::Fixed
}

fn estimates(
    ctx: &mut Ctx,
    defs: &[EstimateDef],
    assumptions: &[Assumption],
    scope: &mut Scope,
    broken: &mut BTreeSet<String>,
) -> Vec<Estimate> {
    let all_ids: Vec<&str> = defs.iter().map(|d| d.id.as_str()).collect();
    let mut inputs_of: HashMap<String, BTreeSet<String>> = assumptions
        .iter()
        .map(|a| (a.name.clone(), BTreeSet::from([a.name.clone()])))
        .collect();
    let mut out = Vec::new();
    if defs.is_empty() {
        ctx.error(
            &FieldPath::root().key("estimates"),
            "a problem needs at least one estimate",
        );
    }
    for (i, def) in defs.iter().enumerate() {
        let path = FieldPath::root().key("estimates").index(i);
        let ast = match quantity::parse(&def.expr) {
            Ok(ast) => ast,
            Err(error) => {
                let d = Diagnostic {
                    error,
                    source: def.expr.clone(),
                };
                ctx.expression_error(&path.key("expr"), "expr", &d);
                broken.insert(def.id.clone());
                continue;
            }
        };
        if ast
            .variables()
            .iter()
            .any(|(name, _)| broken.contains(*name))
        {
            broken.insert(def.id.clone());
            continue;
        }
        match estimate(
            ctx,
            &path,
            def,
            ast,
            &all_ids,
            &mut inputs_of,
            assumptions,
            scope,
        ) {
            Some(e) => {
                scope.insert(e.id.clone(), e.reference.clone());
                out.push(e);
            }
            None => {
                broken.insert(def.id.clone());
            }
        }
    }
    out
}

#[allow(clippy::too_many_arguments)]
fn estimate(
    ctx: &mut Ctx,
    path: &FieldPath,
    def: &EstimateDef,
    ast: quantity::Ast,
    all_ids: &[&str],
    inputs_of: &mut HashMap<String, BTreeSet<String>>,
    assumptions: &[Assumption],
    scope: &Scope,
) -> Option<Estimate> {
    if !is_snake_identifier(&def.id) {
        ctx.error(
            &path.key("id"),
            format!("estimate id `{}` is not a snake_case identifier", def.id),
        )
        .hint = Some("estimates are used by name in later expressions: `peak_qps`".into());
        return None;
    }
    if quantity::is_reserved_word(&def.id) {
        ctx.error(
            &path.key("id"),
            format!("`{}` is a word the engine already knows", def.id),
        );
        return None;
    }
    if scope.contains_key(&def.id) {
        ctx.error(
            &path.key("id"),
            format!(
                "`{}` is already an assumption or an earlier estimate",
                def.id
            ),
        );
        return None;
    }
    ctx.non_empty(path, "question", &def.question);
    ctx.non_empty(path, "hint", &def.hint);
    ctx.non_empty(path, "explanation", &def.explanation);

    let tolerance = def.tolerance.unwrap_or(2.0);
    if !(MIN_TOLERANCE..=MAX_TOLERANCE).contains(&tolerance) {
        ctx.error(
            &path.key("tolerance"),
            format!("tolerance {tolerance} is outside {MIN_TOLERANCE} to {MAX_TOLERANCE}"),
        )
        .hint = Some(
            "interview numbers are rounded on purpose: 2 (the default) means within 2x".into(),
        );
    }

    let unit = match quantity::evaluate_unit(&def.unit) {
        Ok(q) if q.value > 0.0 => q,
        Ok(_) => {
            ctx.error(
                &path.key("unit"),
                format!("unit `{}` is zero or negative", def.unit),
            );
            return None;
        }
        Err(d) => {
            ctx.expression_error(&path.key("unit"), "unit", &d);
            return None;
        }
    };

    // Names defined later get their own hint: order matters.
    for (name, span) in ast.variables() {
        if !scope.contains_key(name) && all_ids.contains(&name) {
            let d = Diagnostic {
                error: quantity::QuantityError::new(
                    quantity::ErrorKind::UnknownWord(name.to_string()),
                    span,
                )
                .with_help(format!(
                    "`{name}` is estimated later: move this estimate after it"
                )),
                source: def.expr.clone(),
            };
            ctx.expression_error(&path.key("expr"), "expr", &d);
            return None;
        }
    }
    let reference = match quantity::evaluate_expr(&ast.expr, &def.expr, scope) {
        Ok(q) => q,
        Err(d) => {
            ctx.expression_error(&path.key("expr"), "expr", &d);
            return None;
        }
    };
    if reference.dim != unit.dim {
        let shown = reference.to_string();
        ctx.error(
            &path.key("expr"),
            format!(
                "the reference is {} ({shown}) but `unit` is {} ({})",
                reference.dim.describe(),
                unit.dim.describe(),
                def.unit
            ),
        )
        .hint = Some(dimension_fix(reference.dim, unit.dim));
        return None;
    }
    if reference.value <= 0.0 {
        ctx.error(
            &path.key("expr"),
            format!("the reference is {reference}; an estimate must be positive"),
        );
        return None;
    }

    let mut inputs = BTreeSet::new();
    for (name, _) in ast.variables() {
        if let Some(set) = inputs_of.get(name) {
            inputs.extend(set.iter().cloned());
        }
    }
    inputs_of.insert(def.id.clone(), inputs.clone());
    let ordered: Vec<String> = assumptions
        .iter()
        .filter(|a| inputs.contains(&a.name))
        .map(|a| a.name.clone())
        .collect();
    if let Some(template) = &def.drill {
        check_drill_template(ctx, &path.key("drill"), template, &ordered, assumptions);
    }
    check_explanation(ctx, &path.key("explanation"), def, scope);

    Some(Estimate {
        id: def.id.clone(),
        question: def.question.trim().to_string(),
        expr: def.expr.clone(),
        ast,
        unit_text: def.unit.trim().to_string(),
        unit,
        skill: def.skill,
        tolerance,
        hint: def.hint.trim().to_string(),
        explanation: def.explanation.trim().to_string(),
        drill: def.drill.as_ref().map(|d| d.trim().to_string()),
        reference,
        inputs: ordered,
    })
}

fn dimension_fix(from: Dimension, to: Dimension) -> String {
    let missing = to.checked_div(from).map(|m| (m.time, m.info));
    match missing {
        Ok((1, 0)) => "multiply the expression by a duration (e.g. `* retention_period`)".into(),
        Ok((-1, 0)) => "divide the expression by a duration (e.g. `/ day`)".into(),
        Ok((0, 1)) => "multiply the expression by a size (e.g. `* record_size`)".into(),
        Ok((0, -1)) => "divide the expression by a size".into(),
        _ => format!(
            "the expression gives {} ({}); the unit is {} ({})",
            from.describe(),
            from.base_unit(),
            to.describe(),
            to.base_unit()
        ),
    }
}

/// Placeholders in an explanation name an assumption, an earlier estimate or
/// the estimate itself, so drills can fill in the numbers they drew.
fn check_explanation(ctx: &mut Ctx, path: &FieldPath, def: &EstimateDef, scope: &Scope) {
    let placeholders = match placeholders(&def.explanation) {
        Ok(p) => p,
        Err(message) => {
            ctx.error(path, message.replace("drill template", "explanation"));
            return;
        }
    };
    for name in placeholders {
        if name == def.id || scope.contains_key(&name) {
            continue;
        }
        let mut known: Vec<&str> = scope.keys().map(String::as_str).collect();
        known.push(&def.id);
        let hint = quantity::suggest_word(&name, &known).map_or_else(
            || "placeholders name assumptions, earlier estimates or this estimate".to_string(),
            |s| format!("did you mean `{{{s}}}`?"),
        );
        ctx.error(
            path,
            format!("`{{{name}}}` is not an assumption or an earlier estimate"),
        )
        .hint = Some(hint);
    }
}

/// Placeholders in a drill template: every one names an assumption, and every
/// input the estimate needs is stated.
fn check_drill_template(
    ctx: &mut Ctx,
    path: &FieldPath,
    template: &str,
    inputs: &[String],
    assumptions: &[Assumption],
) {
    let placeholders = match placeholders(template) {
        Ok(p) => p,
        Err(message) => {
            ctx.error(path, message);
            return;
        }
    };
    let names: Vec<&str> = assumptions.iter().map(|a| a.name.as_str()).collect();
    for name in &placeholders {
        if !names.contains(&name.as_str()) {
            let hint = quantity::suggest_word(name, &names).map_or_else(
                || format!("placeholders name assumptions: {}", names.join(", ")),
                |s| format!("did you mean `{{{s}}}`?"),
            );
            ctx.error(path, format!("`{{{name}}}` is not an assumption"))
                .hint = Some(hint);
        }
    }
    let missing: Vec<&String> = inputs
        .iter()
        .filter(|i| !placeholders.contains(i))
        .collect();
    if !missing.is_empty() {
        let list: Vec<String> = missing.iter().map(|m| format!("{{{m}}}")).collect();
        ctx.error(
            path,
            format!(
                "the drill does not state {}, which the estimate depends on",
                list.join(", ")
            ),
        )
        .hint = Some("a drill question must give every input it needs".into());
    }
}

/// The `{name}` placeholders of a template.
pub(crate) fn placeholders(template: &str) -> Result<Vec<String>, String> {
    let mut out = Vec::new();
    let mut rest = template;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        let close = after
            .find('}')
            .ok_or_else(|| "a `{` in the drill template is never closed".to_string())?;
        out.push(after[..close].trim().to_string());
        rest = &after[close + 1..];
    }
    Ok(out)
}

fn scale(ctx: &mut Ctx, def: &ProblemFile, scope: &Scope, broken: &BTreeSet<String>) -> Scale {
    let Some(s) = &def.scale else {
        return Scale::default();
    };
    let mut check = |key: &str, name: &Option<String>, dim: Dimension, what: &str| {
        let name = name.as_ref().filter(|n| !broken.contains(*n))?;
        let path = FieldPath::root().key("scale").key(key.to_string());
        match scope.get(name) {
            None => {
                let names: Vec<&str> = scope.keys().map(String::as_str).collect();
                let hint = quantity::suggest_word(name, &names)
                    .map_or("name an assumption or an estimate".to_string(), |s| {
                        format!("did you mean `{s}`?")
                    });
                ctx.error(&path, format!("`{name}` is not an assumption or estimate"))
                    .hint = Some(hint);
                None
            }
            Some(q) if q.dim != dim => {
                ctx.error(
                    &path,
                    format!("`{name}` is {}, but `{key}` needs {what}", q.dim.describe()),
                );
                None
            }
            Some(_) => Some(name.clone()),
        }
    };
    let users = check("users", &s.users, Dimension::NONE, "a count");
    let rps = check("rps", &s.rps, Dimension::RATE, "a rate");
    let data = check("data", &s.data, Dimension::INFO, "a size");
    let mut not_needed = Vec::new();
    for (id, why) in &s.not_needed {
        let path = FieldPath::root()
            .key("scale")
            .key("not_needed")
            .key(id.clone());
        match crate::milestones::Item::parse(id) {
            Some(item) if not_needed.iter().any(|(i, _)| *i == item) => {
                ctx.error(&path, format!("`{id}` is listed twice"));
            }
            Some(item) => {
                if why.trim().is_empty() {
                    ctx.error(&path, format!("`{id}` needs a why")).hint =
                        Some("say in one line why this problem does not need it".into());
                }
                not_needed.push((item, tidy(why.clone())));
            }
            None => {
                let ids: Vec<&str> = crate::milestones::Item::ALL
                    .iter()
                    .map(|i| i.id())
                    .collect();
                let hint = quantity::suggest_word(id, &ids).map_or_else(
                    || format!("the items are: {}", ids.join(", ")),
                    |s| format!("did you mean `{s}`?"),
                );
                ctx.error(
                    &path,
                    format!("`{id}` is not an item of the milestones table"),
                )
                .hint = Some(hint);
            }
        }
    }
    Scale {
        users,
        rps,
        data,
        ratio: s
            .ratio
            .as_ref()
            .map(|r| tidy(r.clone()))
            .filter(|r| !r.is_empty()),
        not_needed,
    }
}

fn clarifications(ctx: &mut Ctx, def: &ProblemFile) -> Vec<Clarification> {
    if def.clarifications.is_empty() {
        ctx.error(
            &FieldPath::root().key("clarifications"),
            "a problem needs clarifications for the requirements phase",
        );
    }
    def.clarifications
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let path = FieldPath::root().key("clarifications").index(i);
            ctx.non_empty(&path, "question", &c.question);
            ctx.non_empty(&path, "answer", &c.answer);
            Clarification {
                question: c.question.trim().to_string(),
                answer: c.answer.trim().to_string(),
                keywords: c.keywords.clone(),
            }
        })
        .collect()
}

fn phases(ctx: &mut Ctx, defs: &[PhaseDef]) -> Vec<Phase> {
    let path = FieldPath::root().key("phases");
    let ids: Vec<PhaseId> = defs.iter().map(|p| p.id).collect();
    if ids != PhaseId::ALL {
        let missing: Vec<&str> = PhaseId::ALL
            .iter()
            .filter(|p| !ids.contains(p))
            .map(|p| p.as_str())
            .collect();
        let mut message =
            "the phases must be the seven standard ones, each once, in order".to_string();
        if !missing.is_empty() {
            message.push_str(&format!("; missing: {}", missing.join(", ")));
        }
        ctx.error(&path, message).hint = Some(format!(
            "the order is: {}",
            PhaseId::ALL.map(PhaseId::as_str).join(", ")
        ));
    }
    defs.iter()
        .enumerate()
        .map(|(i, p)| {
            let item = path.index(i);
            if !(p.minutes > 0.0 && p.minutes <= 120.0) {
                ctx.error(
                    &item.key("minutes"),
                    format!("{} minutes is not a time budget", p.minutes),
                )
                .hint = Some("give each phase a positive number of minutes".into());
            }
            ctx.non_empty(&item, "goal", &p.goal);
            ctx.non_empty(&item, "guidance", &p.guidance);
            Phase {
                id: p.id,
                minutes: p.minutes,
                goal: p.goal.trim().to_string(),
                guidance: p.guidance.trim().to_string(),
            }
        })
        .collect()
}

/// Resolves concept ids: the rubric's own first, then the glossary.
struct Concepts<'a> {
    glossary: &'a Glossary,
    local: &'a Glossary,
    /// The compiled evidence is wanted (not only its issues, as for `sdi
    /// validate`, which then builds nothing it would throw away).
    keep: bool,
}

impl Concepts<'_> {
    fn get(&self, id: &str) -> Option<&Arc<Forms>> {
        self.local.get(id).or_else(|| self.glossary.get(id))
    }

    fn ids(&self) -> Vec<&str> {
        self.local
            .keys()
            .chain(self.glossary.keys())
            .map(String::as_str)
            .collect()
    }
}

fn compile_rubric(
    ctx: &mut Ctx,
    def: &mut RubricFile,
    glossary: &Glossary,
    shared_ids: &BTreeSet<String>,
    shared: Option<&(Vec<Criterion>, Vec<RedFlag>)>,
    keep: bool,
) -> Rubric {
    check_version(ctx, def.version);
    let local = concept_table(ctx, std::mem::take(&mut def.concepts), glossary, "concepts");
    let resolver = Concepts {
        glossary,
        local: &local,
        keep,
    };
    let mut seen = shared_ids.clone();
    if def.criteria.is_empty() {
        ctx.error(
            &FieldPath::root().key("criteria"),
            "a rubric needs criteria",
        );
    }
    let mut criteria = criteria(
        ctx,
        std::mem::take(&mut def.criteria),
        &resolver,
        false,
        &mut seen,
    );
    let mut flags = red_flags(ctx, std::mem::take(&mut def.red_flags), &resolver);
    let own_weight: f64 = criteria.iter().map(|c| c.weight).sum();
    let shared_weight: f64 = shared.map_or(0.0, |(c, _)| c.iter().map(|c| c.weight).sum());
    let estimates_weight = match def.estimates_weight {
        Some(w) if !(w >= 0.0 && w.is_finite()) => {
            ctx.error(
                &FieldPath::root().key("estimates_weight"),
                format!("estimates_weight {w} must be zero or more"),
            );
            0.0
        }
        Some(w) => w,
        // About a tenth of the total: estimation is one of seven phases, and
        // numbers alone must not carry an answer with no design in it.
        None => (own_weight + shared_weight) / 8.0,
    };
    // The shared criteria join a rubric that is kept; checking needs only their ids.
    if keep && let Some((shared_criteria, shared_flags)) = shared {
        criteria.extend(shared_criteria.iter().cloned());
        flags.extend(shared_flags.iter().cloned());
    }
    Rubric {
        criteria,
        red_flags: flags,
        estimates_weight,
    }
}

fn criteria(
    ctx: &mut Ctx,
    defs: Vec<CriterionDef>,
    concepts: &Concepts,
    shared: bool,
    seen: &mut BTreeSet<String>,
) -> Vec<Criterion> {
    let mut out = Vec::with_capacity(defs.len());
    for (i, def) in defs.into_iter().enumerate() {
        let path = FieldPath::root().key("criteria").index(i);
        if !is_kebab_id(&def.id) {
            ctx.error(
                &path.key("id"),
                format!("criterion id `{}` is not kebab-case", def.id),
            );
        } else if !seen.insert(def.id.clone()) {
            ctx.error(
                &path.key("id"),
                format!(
                    "criterion id `{}` is used twice (here or in shared.yaml)",
                    def.id
                ),
            );
        }
        if def.phase == PhaseId::Estimation {
            ctx.error(
                &path.key("phase"),
                "criteria cannot be in the estimation phase",
            )
            .hint = Some("estimates score the estimation phase; pick another phase".into());
        }
        if !(def.weight > 0.0 && def.weight.is_finite()) {
            ctx.error(
                &path.key("weight"),
                format!("weight {} must be positive", def.weight),
            )
            .hint = Some("weights are positive numbers, usually 1 to 5".into());
        }
        ctx.non_empty(&path, "title", &def.title);
        ctx.non_empty(&path, "strong", &def.strong);
        ctx.non_empty(&path, "study", &def.study);
        let evidence = evidence(ctx, &path.key("evidence"), def.evidence, concepts);
        let contradictions = contradictions(
            ctx,
            &path.key("contradictions"),
            def.contradictions,
            concepts,
        );
        out.push(Criterion {
            contradictions,
            id: def.id,
            phase: def.phase,
            level: def.level,
            weight: def.weight,
            title: tidy(def.title),
            strong: tidy(def.strong),
            evidence,
            study: tidy(def.study),
            shared,
        });
    }
    out
}

fn red_flags(ctx: &mut Ctx, defs: Vec<RedFlagDef>, concepts: &Concepts) -> Vec<RedFlag> {
    let mut seen = BTreeSet::new();
    defs.into_iter()
        .enumerate()
        .map(|(i, def)| {
            let path = FieldPath::root().key("red_flags").index(i);
            if !is_kebab_id(&def.id) {
                ctx.error(
                    &path.key("id"),
                    format!("red flag id `{}` is not kebab-case", def.id),
                );
            } else if !seen.insert(def.id.clone()) {
                ctx.error(
                    &path.key("id"),
                    format!("red flag id `{}` is used twice", def.id),
                );
            }
            if !(def.penalty > 0.0 && def.penalty <= 100.0) {
                ctx.error(
                    &path.key("penalty"),
                    format!("penalty {} must be between 0 and 100 points", def.penalty),
                );
            }
            ctx.non_empty(&path, "title", &def.title);
            ctx.non_empty(&path, "why", &def.why);
            RedFlag {
                evidence: evidence(ctx, &path.key("evidence"), def.evidence, concepts),
                id: def.id,
                title: tidy(def.title),
                penalty: def.penalty,
                why: tidy(def.why),
            }
        })
        .collect()
}

fn evidence(ctx: &mut Ctx, path: &FieldPath, def: EvidenceDef, concepts: &Concepts) -> Evidence {
    let count = def.concepts.len()
        + def.phrases.len()
        + def.patterns.len()
        + usize::from(def.questions.is_some());
    if def.questions == Some(0) {
        ctx.error(&path.key("questions"), "questions must be 1 or more")
            .hint = Some("how many questions to the interviewer make one item".into());
    }
    let mut items = Vec::with_capacity(count);
    for (i, id) in def.concepts.iter().enumerate() {
        match concepts.get(id) {
            Some(_) if !concepts.keep => {}
            Some(forms) => items.push(EvidenceItem {
                all: vec![Term {
                    forms: forms.clone(),
                }],
                none: Vec::new(),
            }),
            None => {
                let ids = concepts.ids();
                let hint = quantity::suggest_word(id, &ids).map_or_else(
                    || "add it to the rubric's `concepts:` or to rubrics/glossary.yaml".to_string(),
                    |s| format!("did you mean `{s}`?"),
                );
                ctx.error(
                    &path.key("concepts").index(i),
                    format!("unknown concept `{id}`"),
                )
                .hint = Some(hint);
            }
        }
    }
    for (i, phrase) in def.phrases.into_iter().enumerate() {
        if !concepts.keep {
            if phrase.trim().is_empty() {
                ctx.error(
                    &path.key("phrases").index(i),
                    "an empty phrase matches nothing",
                );
            }
            continue;
        }
        if let Some(term) = phrase_term(ctx, &path.key("phrases").index(i), phrase) {
            items.push(EvidenceItem {
                all: vec![term],
                none: Vec::new(),
            });
        }
    }
    for (i, pattern) in def.patterns.into_iter().enumerate() {
        let at = path.key("patterns").index(i);
        if let Some(item) = pattern_item(ctx, &at, pattern.all, pattern.none, concepts) {
            items.push(item);
        }
    }
    if count == 0 {
        ctx.error(
            path,
            "evidence needs at least one concept, phrase or pattern",
        )
        .hint =
            Some("list `concepts:` from the glossary, literal `phrases:` or `patterns:`".into());
    }
    let need = def.need.unwrap_or(1) as usize;
    if need == 0 || need > count.max(1) {
        ctx.error(
            &path.key("need"),
            format!("need {need} is not between 1 and the {count} items listed"),
        );
    }
    Evidence {
        items,
        questions: def.questions.map(|n| n as usize),
        need: need.clamp(1, count.max(1)),
    }
}

/// A literal phrase as a term; an empty one is an error.
fn phrase_term(ctx: &mut Ctx, path: &FieldPath, phrase: String) -> Option<Term> {
    if phrase.trim().is_empty() {
        ctx.error(path, "an empty phrase matches nothing");
        return None;
    }
    Some(Term {
        forms: Arc::new(Forms::one(&phrase)),
    })
}

/// A pattern's terms: a concept id where one is known, else a literal phrase.
fn pattern_item(
    ctx: &mut Ctx,
    path: &FieldPath,
    all: Vec<String>,
    none: Vec<String>,
    concepts: &Concepts,
) -> Option<EvidenceItem> {
    if all.is_empty() {
        ctx.error(
            &path.key("all"),
            "a pattern needs at least one term in `all`",
        )
        .hint = Some("list the concepts or phrases that must meet in one clause".into());
        return None;
    }
    if !concepts.keep {
        // Checking only: an unknown id is a phrase, so only empty ones are wrong.
        for (key, list) in [("all", &all), ("none", &none)] {
            for (i, name) in list.iter().enumerate() {
                if name.trim().is_empty() {
                    ctx.error(&path.key(key).index(i), "an empty phrase matches nothing");
                }
            }
        }
        return None;
    }
    let terms = |list: Vec<String>, at: FieldPath, ctx: &mut Ctx| -> Vec<Term> {
        list.into_iter()
            .enumerate()
            .filter_map(|(i, name)| match concepts.get(&name) {
                Some(forms) => Some(Term {
                    forms: forms.clone(),
                }),
                None => phrase_term(ctx, &at.index(i), name),
            })
            .collect()
    };
    let all = terms(all, path.key("all"), ctx);
    let none = terms(none, path.key("none"), ctx);
    Some(EvidenceItem { all, none })
}

/// A criterion's contradicting claims.
fn contradictions(
    ctx: &mut Ctx,
    path: &FieldPath,
    defs: Vec<ContradictionDef>,
    concepts: &Concepts,
) -> Vec<Contradiction> {
    defs.into_iter()
        .enumerate()
        .filter_map(|(i, def)| {
            let at = path.index(i);
            ctx.non_empty(&at, "why", &def.why);
            let claim = pattern_item(ctx, &at, def.all, def.none, concepts)?;
            Some(Contradiction {
                claim,
                why: tidy(def.why),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use crate::bank::{Bank, Origin};

    /// The example bank with one edit to the problem file: the issues
    /// `validate` finds, as printed.
    fn issues_after(edit: impl Fn(String) -> String) -> Vec<String> {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let dir = tempfile::tempdir().unwrap();
        for sub in ["problems", "rubrics"] {
            std::fs::create_dir_all(dir.path().join(sub)).unwrap();
            for entry in std::fs::read_dir(from.join(sub)).unwrap() {
                let path = entry.unwrap().path();
                let mut text = std::fs::read_to_string(&path).unwrap();
                if path.ends_with("problems/paste-bin.yaml") {
                    let edited = edit(text.clone());
                    assert_ne!(edited, text, "the edit changed nothing");
                    text = edited;
                }
                std::fs::write(dir.path().join(sub).join(path.file_name().unwrap()), text).unwrap();
            }
        }
        Bank::check(&Origin::Dir(dir.path().to_path_buf()), false)
            .unwrap()
            .issues
            .iter()
            .map(ToString::to_string)
            .collect()
    }

    fn one_issue(edit: impl Fn(String) -> String) -> String {
        let issues = issues_after(edit);
        assert_eq!(issues.len(), 1, "{issues:#?}");
        issues[0].clone()
    }

    /// `sdi validate` reports the build script's verdict on the built-in bank:
    /// it must be what compiling the built-in files now finds.
    #[test]
    fn the_build_verdict_is_what_a_check_now_finds() {
        let now = Bank::compile_check(&Origin::Embedded, false).unwrap();
        assert!(now.issues.is_empty(), "{:?}", now.issues);
        let built = crate::built::VERDICT.expect("a clean bank has a verdict from the build");
        assert_eq!(built.problems, now.valid_problems);
        assert_eq!(built.files, now.files);
        let reported = Bank::check(&Origin::Embedded, false).unwrap();
        assert!(reported.at_build && !now.at_build);
        assert_eq!(
            (reported.valid_problems, reported.files),
            (now.valid_problems, now.files)
        );
    }

    #[test]
    fn the_example_bank_is_clean() {
        let from = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
        let checked = Bank::check(&Origin::Dir(from), false).unwrap();
        assert!(checked.issues.is_empty(), "{:?}", checked.issues);
    }

    #[test]
    fn a_tolerance_below_the_floor_is_refused() {
        let issue = one_issue(|t| t.replacen("    tolerance: 2\n", "    tolerance: 1.1\n", 1));
        assert!(issue.contains("tolerance 1.1 is outside 1.5"), "{issue}");
        assert!(issue.contains("problems/paste-bin.yaml:"), "{issue}");
    }

    #[test]
    fn an_explanation_names_only_known_numbers() {
        let issue = one_issue(|t| t.replacen("{write_qps} of writes", "{write_qsp} of writes", 1));
        assert!(
            issue.contains("`{write_qsp}` is not an assumption"),
            "{issue}"
        );
        assert!(issue.contains("did you mean `{write_qps}`?"), "{issue}");
    }

    #[test]
    fn a_drill_must_state_every_input() {
        let issue = one_issue(|t| {
            t.replacen(
                "receives {pastes_per_day} new pastes a day",
                "receives many new pastes a day",
                1,
            )
        });
        assert!(issue.contains("does not state {pastes_per_day}"), "{issue}");
    }

    #[test]
    fn a_reference_in_the_wrong_dimension_says_what_to_multiply() {
        let issue = one_issue(|t| t.replacen("unit: \"TB\"", "unit: \"req/s\"", 1));
        assert!(issue.contains("the reference is"), "{issue}");
        assert!(issue.contains("hint:"), "{issue}");
    }

    #[test]
    fn an_unknown_name_in_an_expression_is_located() {
        let issue = one_issue(|t| {
            t.replacen(
                "expr: \"pastes_per_day / day\"",
                "expr: \"pastes_per_dya / day\"",
                1,
            )
        });
        assert!(issue.contains("pastes_per_dya"), "{issue}");
        assert!(issue.contains("pastes_per_day"), "{issue}");
    }

    #[test]
    fn a_later_estimate_cannot_be_used_early() {
        let issues = issues_after(|t| {
            t.replacen(
                "expr: \"pastes_per_day / day\"",
                "expr: \"read_qps / 10\"",
                1,
            )
        });
        assert!(
            issues.iter().any(|i| i.contains("is estimated later")),
            "{issues:#?}"
        );
    }
}
