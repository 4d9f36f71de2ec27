//! The practice and mock engine: walks a problem's phases against a clock, asks
//! through a [`Prompter`], records a [`Transcript`], and grades it at the end.
//!
//! The engine never touches the terminal: the terminal prompter lives in `ui`,
//! and tests drive sessions with a scripted prompter and a fake clock
//! ([`script`]). Ctrl-C or Esc at any prompt keeps what was typed: the engine
//! returns the partial transcript, marked abandoned, for the caller to save.

mod clarify;
#[cfg(test)]
pub(crate) mod script;
#[cfg(test)]
mod tests;

use crate::bank::{Glossary, PhaseId, Problem};
use crate::grade::{self, Answer, Mark, Report};
use crate::quantity::{self, Verdict};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Ctrl-C or Esc at a prompt.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Interrupt;

/// What a prompt shows besides its label.
#[derive(Debug, Clone, Default)]
pub(crate) struct Prompt {
    pub label: String,
    /// A status line: time left in a mock, or how to use the prompt.
    pub status: String,
}

/// What a session or a drill shows the candidate, by kind: the terminal
/// prompter decides how each kind looks (a phase header bold, a verdict in its
/// colour), and no marker inside the text carries meaning.
#[derive(Debug, Clone, PartialEq)]
pub(crate) enum Event {
    /// The problem and how the session runs.
    Intro { title: String, body: String },
    /// A phase begins: "Phase 2/7: Estimation (5:00)", its goal, a note.
    Phase {
        index: usize,
        count: usize,
        phase: PhaseId,
        budget: String,
        goal: String,
        note: Option<String>,
    },
    /// A drill question: "[3/10] ... (latency)".
    Question {
        index: usize,
        count: usize,
        text: String,
        skill: crate::bank::Skill,
    },
    /// The interviewer's answer to a clarifying question.
    Interviewer(String),
    /// Guidance or a hint, asked for with `?`.
    Hint(String),
    /// An answer checked, in one voice: "off: 10bn req/s is 86,000x too high".
    Verdict { verdict: Verdict, text: String },
    /// The worked reference and why it matters.
    Reference(String),
    /// What a phase covered and what it did not yet.
    Feedback {
        phase: PhaseId,
        covered: Vec<String>,
        open: Vec<String>,
    },
    /// Something to act on now: the clock, a typo.
    Warning(String),
    /// Anything else worth a line.
    Note(String),
}

impl Event {
    /// The event as plain text: what a terminal shows without styles.
    pub(crate) fn plain(&self) -> String {
        match self {
            Event::Intro { title, body } => format!("{title}\n\n{body}"),
            Event::Phase {
                index,
                count,
                phase,
                budget,
                goal,
                note,
            } => {
                let mut text = format!(
                    "Phase {index}/{count}: {} ({budget})\n{goal}",
                    phase.title()
                );
                if let Some(note) = note {
                    text.push('\n');
                    text.push_str(note);
                }
                text
            }
            Event::Question {
                index,
                count,
                text,
                skill,
            } => format!("[{index}/{count}] {text}  ({skill})"),
            Event::Interviewer(text) => format!("Interviewer: {text}"),
            Event::Hint(text)
            | Event::Reference(text)
            | Event::Warning(text)
            | Event::Note(text) => text.clone(),
            Event::Verdict { text, .. } => text.clone(),
            Event::Feedback {
                phase,
                covered,
                open,
            } => {
                let mut text = format!("Feedback on {}:", phase.title());
                if !covered.is_empty() {
                    text.push_str(&format!("\n  covered: {}", covered.join("; ")));
                }
                if !open.is_empty() {
                    text.push_str("\n  not yet (the report says what a strong answer does):");
                    for o in open {
                        text.push_str(&format!("\n  - {o}"));
                    }
                }
                text
            }
        }
    }
}

/// How a session talks to the candidate.
pub(crate) trait Prompter {
    /// Shows something (a phase header, feedback, the interviewer's answer).
    fn show(&mut self, event: Event);
    /// Asks for one line of input.
    fn ask(&mut self, prompt: &Prompt) -> Result<String, Interrupt>;
    /// Asks to pick one option; returns its index.
    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, Interrupt>;
}

/// Where the time comes from: the system clock, or a fake one in tests.
pub(crate) trait Clock {
    /// Seconds since some fixed start; only differences matter.
    fn now(&self) -> f64;
    /// Seconds since the Unix epoch, for the record.
    fn unix(&self) -> u64;
}

/// The real clock.
pub(crate) struct SystemClock {
    start: std::time::Instant,
}

impl SystemClock {
    pub(crate) fn new() -> SystemClock {
        SystemClock {
            start: std::time::Instant::now(),
        }
    }
}

impl Default for SystemClock {
    fn default() -> Self {
        SystemClock::new()
    }
}

impl Clock for SystemClock {
    fn now(&self) -> f64 {
        self.start.elapsed().as_secs_f64()
    }
    fn unix(&self) -> u64 {
        std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs())
    }
}

crate::wire::wire_enum! {
    /// How a session is run.
    pub(crate) enum Mode {
        /// Hints and immediate feedback, no clock.
        Practice = "practice", "practice";
        /// Timed, phase by phase.
        Mock = "mock", "mock";
    }
}

crate::wire::wire_enum! {
    /// How a session ended.
    pub(crate) enum Status {
        /// Every phase was walked.
        Completed = "completed", "completed";
        /// A mock's time ran out before the last phase ended.
        Timeout = "timeout", "time up";
        /// Ctrl-C or Esc.
        Abandoned = "abandoned", "abandoned";
        /// Still running: what a transcript says until its session ends.
        InProgress = "in-progress", "in progress";
        /// Found in progress with its process gone (killed, crashed, power cut):
        /// never written by a session, only concluded when reading.
        Interrupted = "interrupted", "interrupted";
    }
}

impl Status {
    /// A session that ran to its end, by time or by phases: charted in
    /// stats and counted for its missed criteria.
    pub(crate) fn finished(self) -> bool {
        matches!(self, Status::Completed | Status::Timeout)
    }
}

/// A clarifying question and the interviewer's answer (none when the bank has none).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Exchange {
    pub question: String,
    pub answer: Option<String>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct PhaseRecord {
    pub phase: PhaseId,
    /// What the candidate typed, one point per line.
    pub lines: Vec<String>,
    pub questions: Vec<Exchange>,
    /// Seconds from the session's start to the phase's start, and spent in it.
    pub started_at: f64,
    pub seconds: f64,
    pub budget_seconds: f64,
    pub reached: bool,
}

/// Every answer typed for one estimate, the last one counting.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub(crate) struct EstimateRecord {
    pub attempts: Vec<String>,
    pub hints: u32,
}

/// Everything a session records; saved as JSON and shown again by `sdi report`.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct Transcript {
    pub id: String,
    pub problem: String,
    pub title: String,
    pub mode: Mode,
    /// Unix seconds.
    pub started: u64,
    /// The time allowed, for a mock.
    pub minutes_allowed: Option<f64>,
    pub phases: Vec<PhaseRecord>,
    pub estimates: BTreeMap<String, EstimateRecord>,
    pub self_marks: BTreeMap<String, Mark>,
    pub status: Status,
    /// The process that ran the session, to tell a session still running
    /// from one whose process is gone.
    #[serde(default)]
    pub pid: Option<u32>,
    pub seconds: f64,
    pub report: Option<Report>,
    /// The one phase practised (`practice ID --phase P`), if only one was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub only: Option<PhaseId>,
}

impl Transcript {
    /// The answer as the grader reads it.
    pub(crate) fn answer(&self) -> Answer {
        let mut answer = Answer {
            typed: true,
            // A phase never walked (time ran out, or the session was
            // stopped before it) earns nothing.
            unreached: PhaseId::ALL
                .into_iter()
                .filter(|id| !self.phases.iter().any(|p| p.phase == *id && p.reached))
                .collect(),
            ..Answer::default()
        };
        for p in &self.phases {
            let mut lines = p.lines.clone();
            lines.extend(p.questions.iter().map(|q| q.question.clone()));
            if !lines.is_empty() {
                answer.phases.insert(p.phase, lines.join("\n"));
            }
        }
        for (id, e) in &self.estimates {
            if let Some(last) = e.attempts.last() {
                answer.estimates.insert(id.clone(), last.clone());
            }
        }
        answer
    }
}

/// A problem for `--random`: one never practised if there is one, else one of
/// those practised longest ago.
pub(crate) fn least_practised<'a>(
    problems: &'a [Problem],
    history: &crate::store::History,
    rng: &mut fastrand::Rng,
) -> Option<&'a Problem> {
    let sessions = history.latest_sessions();
    let last_seen = |p: &Problem| {
        sessions
            .iter()
            .filter(|s| s.problem == p.id)
            .map(|s| s.started)
            .max()
    };
    let never: Vec<&Problem> = problems.iter().filter(|p| last_seen(p).is_none()).collect();
    let pool = if never.is_empty() {
        let oldest = problems.iter().filter_map(last_seen).min();
        problems.iter().filter(|p| last_seen(p) == oldest).collect()
    } else {
        never
    };
    (!pool.is_empty()).then(|| pool[rng.usize(..pool.len())])
}

/// How the caller wants the session run.
pub(crate) struct Settings {
    pub mode: Mode,
    /// The mock's length; phase budgets are scaled to it (with floors, see
    /// [`budgets`]).
    pub minutes: f64,
    pub id: String,
    /// Practise only this phase (`practice ID --phase P`).
    pub only: Option<PhaseId>,
}

/// Whether the session ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    Finished,
    /// Ctrl-C or Esc at a prompt ([`Interrupt`]): what was entered is kept.
    Stopped,
}

enum Flow {
    Next,
    TimeUp,
}

/// The least time a phase gets however short the mock: a minute to say
/// anything at all, and in estimation half a minute per estimate.
const PHASE_FLOOR_SECONDS: f64 = 60.0;
const ESTIMATE_FLOOR_SECONDS: f64 = 30.0;
/// When a mock warns that time is running out.
const WARN_LEFT_SECONDS: f64 = 300.0;

/// Each phase's budget in seconds for a mock of `minutes`: the problem's
/// budgets scaled to the length, each at least its floor. The total can exceed
/// `minutes` when the floors demand it; the mock then runs that long.
pub(crate) fn budgets(problem: &Problem, minutes: f64) -> Vec<f64> {
    let scale = minutes / problem.minutes().max(1.0);
    problem
        .phases
        .iter()
        .map(|phase| {
            let floor = if phase.id == PhaseId::Estimation {
                (problem.estimates.len() as f64 * ESTIMATE_FLOOR_SECONDS).max(PHASE_FLOOR_SECONDS)
            } else {
                PHASE_FLOOR_SECONDS
            };
            (phase.minutes * 60.0 * scale).max(floor)
        })
        .collect()
}

struct Session<'a> {
    problem: &'a Problem,
    glossary: &'a Glossary,
    mode: Mode,
    prompter: &'a mut dyn Prompter,
    clock: &'a dyn Clock,
    start: f64,
    /// Seconds allowed in a mock.
    allowed: Option<f64>,
    /// Each phase's budget in seconds, in the problem's order.
    budgets: Vec<f64>,
    only: Option<PhaseId>,
    /// The five-minute warning was given.
    warned_left: bool,
    /// The phase whose overrun was announced.
    warned_over: Option<PhaseId>,
    transcript: Transcript,
    save: &'a mut dyn FnMut(&Transcript),
}

/// Runs a practice or mock session. `save` is called after every phase with the
/// transcript so far (the caller writes it to disk, so a crash loses at most a
/// phase). Returns the final transcript, graded, and how it ended.
pub(crate) fn run(
    problem: &Problem,
    glossary: &Glossary,
    settings: Settings,
    prompter: &mut dyn Prompter,
    clock: &dyn Clock,
    save: &mut dyn FnMut(&Transcript),
) -> (Transcript, Ending) {
    let (allowed, budgets) = match settings.mode {
        Mode::Mock => {
            let budgets = budgets(problem, settings.minutes);
            (Some(budgets.iter().sum::<f64>()), budgets)
        }
        Mode::Practice => (
            None,
            problem.phases.iter().map(|p| p.minutes * 60.0).collect(),
        ),
    };
    let transcript = Transcript {
        id: settings.id,
        problem: problem.id.clone(),
        title: problem.title.clone(),
        mode: settings.mode,
        started: clock.unix(),
        minutes_allowed: allowed.map(|s| s / 60.0),
        phases: Vec::new(),
        estimates: BTreeMap::new(),
        self_marks: BTreeMap::new(),
        status: Status::InProgress,
        pid: Some(std::process::id()),
        seconds: 0.0,
        report: None,
        only: settings.only,
    };
    let mut session = Session {
        problem,
        glossary,
        mode: settings.mode,
        prompter,
        clock,
        start: clock.now(),
        allowed,
        budgets,
        only: settings.only,
        warned_left: false,
        warned_over: None,
        transcript,
        save,
    };
    let ending = session.walk(settings.minutes);
    (session.transcript, ending)
}

/// `m:ss`, for clocks and budgets (one formatter for every clock shown).
fn clock_text(seconds: f64) -> String {
    crate::store::format_duration(seconds)
}

impl Session<'_> {
    fn elapsed(&self) -> f64 {
        self.clock.now() - self.start
    }

    fn time_up(&self) -> bool {
        self.allowed.is_some_and(|a| self.elapsed() >= a)
    }

    fn current(&mut self) -> &mut PhaseRecord {
        self.transcript
            .phases
            .last_mut()
            .expect("a phase has started")
    }

    fn walk(&mut self, minutes: f64) -> Ending {
        self.intro(minutes);
        let mut ending = Ending::Finished;
        let phases = self.problem.phases.clone();
        for (i, phase) in phases.iter().enumerate() {
            if self.only.is_some_and(|only| only != phase.id) {
                continue;
            }
            if self.time_up() {
                self.not_reached(&phases[i..]);
                self.transcript.status = Status::Timeout;
                break;
            }
            let started_at = self.elapsed();
            self.transcript.phases.push(PhaseRecord {
                phase: phase.id,
                lines: Vec::new(),
                questions: Vec::new(),
                started_at,
                seconds: 0.0,
                budget_seconds: self.budgets[i],
                reached: true,
            });
            self.phase_header(i, phase);
            let flow = match phase.id {
                PhaseId::Estimation => self.estimation(),
                _ => self.points(phase.id, &phase.guidance),
            };
            let seconds = self.elapsed() - started_at;
            self.current().seconds = seconds;
            match flow {
                Ok(Flow::Next) => {
                    if self.mode == Mode::Practice && phase.id != PhaseId::Estimation {
                        self.phase_feedback(phase.id);
                    }
                    (self.save)(&self.transcript);
                }
                Ok(Flow::TimeUp) => {
                    self.prompter.show(Event::Warning(
                        "Time is up. Let's look at how it went.".into(),
                    ));
                    self.not_reached(&phases[i + 1..]);
                    self.transcript.status = Status::Timeout;
                    break;
                }
                Err(Interrupt) => {
                    self.transcript.status = Status::Abandoned;
                    ending = Ending::Stopped;
                    break;
                }
            }
        }
        if self.transcript.status == Status::InProgress {
            self.transcript.status = Status::Completed;
        }
        self.transcript.seconds = self.elapsed();
        let mut report = grade::grade(self.problem, self.glossary, &self.transcript.answer());
        self.apply_times(&mut report);
        if let Some(only) = self.only {
            report.keep_phase(only, self.problem.rubric.estimates_weight);
        }
        self.transcript.report = Some(report);
        if ending == Ending::Finished && self.self_grade().is_err() {
            // Ctrl-C during the self-grade: keep the detected marks.
            self.transcript.status = Status::Abandoned;
            ending = Ending::Stopped;
        }
        (self.save)(&self.transcript);
        ending
    }

    fn not_reached(&mut self, rest: &[crate::bank::Phase]) {
        let first = self.problem.phases.len() - rest.len();
        for (k, phase) in rest.iter().enumerate() {
            if self.only.is_some_and(|only| only != phase.id) {
                continue;
            }
            self.transcript.phases.push(PhaseRecord {
                phase: phase.id,
                lines: Vec::new(),
                questions: Vec::new(),
                started_at: self.elapsed(),
                seconds: 0.0,
                budget_seconds: self.budgets[first + k],
                reached: false,
            });
        }
    }

    fn apply_times(&self, report: &mut Report) {
        for score in &mut report.phases {
            match self
                .transcript
                .phases
                .iter()
                .find(|p| p.phase == score.phase)
            {
                Some(record) => {
                    score.budget_minutes = record.budget_seconds / 60.0;
                    score.minutes = Some(record.seconds / 60.0);
                    score.overtime_minutes =
                        Some(((record.seconds - record.budget_seconds) / 60.0).max(0.0));
                    score.reached = record.reached;
                }
                None => {
                    score.reached = false;
                    if let Some(i) = self.problem.phases.iter().position(|p| p.id == score.phase) {
                        score.budget_minutes = self.budgets[i] / 60.0;
                    }
                }
            }
        }
    }

    fn intro(&mut self, minutes: f64) {
        let p = self.problem;
        let how = match (self.mode, self.only) {
            (Mode::Practice, Some(only)) => format!(
                "Practice, one phase: {}. Untimed, with hints (`?`) and feedback at its end.",
                only.title()
            ),
            (Mode::Practice, None) => {
                "Practice: untimed, with hints (`?`) and feedback after each step.".to_string()
            }
            (Mode::Mock, _) => {
                let allowed = self.allowed.unwrap_or(0.0) / 60.0;
                let mut how = format!(
                    "Mock interview: {} minutes, feedback only at the end. You are warned when five minutes are left and when a phase runs over its budget.",
                    quantity::format_number(allowed, false)
                );
                if allowed > minutes + 1e-9 {
                    how.push_str(&format!(
                        " (You asked for {} minutes; each phase keeps a minimum, and estimation half a minute per estimate, so this problem needs {}.)",
                        quantity::format_number(minutes, false),
                        quantity::format_number(allowed, false)
                    ));
                }
                how
            }
        };
        self.prompter.show(Event::Intro {
            title: p.title.clone(),
            body: format!(
                "{}\n\n{how}\nType one point per line; an empty line ends a phase. Ctrl-C or Esc stops; every line you have entered is kept.",
                p.statement
            ),
        });
    }

    fn phase_header(&mut self, i: usize, phase: &crate::bank::Phase) {
        let (index, count) = match self.only {
            Some(_) => (1, 1),
            None => (i + 1, self.problem.phases.len()),
        };
        self.prompter.show(Event::Phase {
            index,
            count,
            phase: phase.id,
            budget: clock_text(self.budgets[i]),
            goal: phase.goal.clone(),
            note: (phase.id == PhaseId::Requirements)
                .then(|| "Ask the interviewer by ending a line with `?`.".to_string()),
        });
    }

    /// The status line: time left in a mock, the phase's clock against its budget.
    fn status(&self, usage: &str) -> String {
        let Some(allowed) = self.allowed else {
            return usage.to_string();
        };
        let phase = self.transcript.phases.last();
        let in_phase = phase.map_or(0.0, |p| self.elapsed() - p.started_at);
        let budget = phase.map_or(0.0, |p| p.budget_seconds);
        let over = if in_phase > budget {
            " (over budget)"
        } else {
            ""
        };
        format!(
            "{} left · this phase {} of {}{over} · {usage}",
            clock_text(allowed - self.elapsed()),
            clock_text(in_phase),
            clock_text(budget)
        )
    }

    /// Warnings a mock gives at the next prompt, never cutting a line off:
    /// five minutes left, and a phase past its budget (once each).
    fn clock_warnings(&mut self) {
        let Some(allowed) = self.allowed else {
            return;
        };
        let left = allowed - self.elapsed();
        if !self.warned_left && left <= WARN_LEFT_SECONDS && left > 0.0 {
            self.warned_left = true;
            self.prompter.show(Event::Warning(format!(
                "{} left in the interview: make sure the deep dive and the wrap-up get said.",
                clock_text(left)
            )));
        }
        if let Some(p) = self.transcript.phases.last() {
            let in_phase = self.elapsed() - p.started_at;
            if in_phase > p.budget_seconds && self.warned_over != Some(p.phase) {
                let phase = p.phase;
                let budget = p.budget_seconds;
                self.warned_over = Some(phase);
                self.prompter.show(Event::Warning(format!(
                    "{} is past its {} budget: wrap it up and move on (an empty line).",
                    phase.title(),
                    clock_text(budget)
                )));
            }
        }
    }

    fn ask(&mut self, label: String, usage: &str) -> Result<String, Interrupt> {
        self.clock_warnings();
        let prompt = Prompt {
            label,
            status: self.status(usage),
        };
        self.prompter.ask(&prompt).map(|s| s.trim().to_string())
    }

    /// A design phase (or requirements): points one per line until an empty line.
    fn points(&mut self, phase: PhaseId, guidance: &str) -> Result<Flow, Interrupt> {
        let usage = match (self.mode, phase) {
            (Mode::Practice, PhaseId::Requirements) => {
                "end a line with ? to ask the interviewer; `?` alone for guidance; empty line: next phase"
            }
            (Mode::Practice, _) => "`?` for guidance; empty line: next phase",
            (Mode::Mock, PhaseId::Requirements) => "end with ? to ask; empty line: next phase",
            (Mode::Mock, _) => "empty line: next phase",
        };
        loop {
            let line = self.ask(format!("{}:", phase.title()), usage)?;
            if line.is_empty() {
                return Ok(Flow::Next);
            }
            if line == "?" {
                if self.mode == Mode::Practice {
                    self.prompter
                        .show(Event::Hint(format!("Guidance: {guidance}")));
                } else {
                    self.prompter.show(Event::Note(
                        "No hints in a mock: go with your best judgement.".into(),
                    ));
                }
            } else if phase == PhaseId::Requirements && line.ends_with('?') {
                self.ask_interviewer(line);
            } else {
                self.current().lines.push(line);
            }
            if self.time_up() {
                return Ok(Flow::TimeUp);
            }
        }
    }

    /// A clarifying question: the interviewer answers from the bank's
    /// clarifications, or asks the candidate to state an assumption.
    fn ask_interviewer(&mut self, question: String) {
        let answer =
            clarify::answer(&question, &self.problem.clarifications).map(|c| c.answer.clone());
        self.prompter
            .show(Event::Interviewer(answer.clone().unwrap_or_else(|| {
                "Good question. What would you assume? Say it, and we'll go with it.".into()
            })));
        self.current().questions.push(Exchange { question, answer });
    }

    fn estimation(&mut self) -> Result<Flow, Interrupt> {
        let inputs: Vec<String> = self
            .problem
            .assumptions
            .iter()
            .map(|a| format!("  {} = {}  ({})", a.name, a.shown(), a.description))
            .collect();
        self.prompter.show(Event::Note(format!(
            "Answer with a number (read in the unit asked) or an expression such as `100M * 2 / day`; the names below work too. Empty: skip.\n{}",
            inputs.join("\n")
        )));
        let estimates = self.problem.estimates.clone();
        let n = estimates.len();
        let inputs_scope: crate::bank::Scope = self
            .problem
            .assumptions
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        let peak = self.problem.peak_factor(&self.problem.scope());
        for (i, e) in estimates.iter().enumerate() {
            let label = format!("[{}/{n}] {} ({})", i + 1, e.question, e.unit_text);
            let usage = if self.mode == Mode::Practice {
                "`?` for a hint; end with ? to ask the interviewer; empty: skip"
            } else {
                "end with ? to ask; empty: skip"
            };
            let mut tries = 0;
            loop {
                let usage = if tries > 0 {
                    "a new answer, or empty to see the reference"
                } else {
                    usage
                };
                let answer = self.ask(label.clone(), usage)?;
                if answer == "?" {
                    if self.mode == Mode::Practice {
                        self.prompter.show(Event::Hint(format!("Hint: {}", e.hint)));
                        self.transcript
                            .estimates
                            .entry(e.id.clone())
                            .or_default()
                            .hints += 1;
                    } else {
                        self.prompter
                            .show(Event::Note("No hints in a mock.".into()));
                    }
                    continue;
                }
                if answer.is_empty() {
                    if tries > 0 {
                        self.show_reference(e);
                    }
                    break;
                }
                // Candidates check their inputs while they estimate, as they
                // would aloud: a question is answered, and the estimate asked again.
                if answer.ends_with('?') && answer.contains(char::is_alphabetic) {
                    self.ask_interviewer(answer);
                    continue;
                }
                let check = quantity::check_answer(
                    &answer,
                    &e.reference,
                    &e.unit,
                    &e.unit_text,
                    e.tolerance,
                    &inputs_scope,
                );
                if check.verdict == Verdict::Invalid {
                    // Not counted: a typo is not an estimate.
                    let message = check.error.map_or(check.message, |d| d.to_string());
                    self.prompter.show(Event::Warning(format!(
                        "That does not parse: {message}\nTry again (not counted)."
                    )));
                    continue;
                }
                self.transcript
                    .estimates
                    .entry(e.id.clone())
                    .or_default()
                    .attempts
                    .push(answer);
                if self.mode == Mode::Mock {
                    break;
                }
                tries += 1;
                self.prompter.show(Event::Verdict {
                    verdict: check.verdict,
                    text: quantity::verdict_sentence(&check, e.tolerance, peak),
                });
                // One more try after a wrong number, then the reference.
                if tries == 1 && matches!(check.verdict, Verdict::Off | Verdict::UnitMismatch) {
                    self.prompter.show(Event::Note(
                        "Try once more (a new answer), or press Enter to see the reference.".into(),
                    ));
                    continue;
                }
                self.show_reference(e);
                break;
            }
            if self.time_up() {
                return Ok(Flow::TimeUp);
            }
        }
        if self.mode == Mode::Practice {
            self.show_placement();
        }
        Ok(Flow::Next)
    }

    fn show_reference(&mut self, e: &crate::bank::Estimate) {
        let scope = self.problem.scope();
        self.prompter.show(Event::Reference(format!(
            "Reference: {} = {} = {}\n{}",
            e.expr,
            self.problem.substituted(e, &scope),
            Problem::shown_reference(e, &e.reference),
            self.problem.explain(e, &scope, &Default::default())
        )));
    }

    fn show_placement(&mut self) {
        let comparison = grade::placement(self.problem, self.glossary, &self.transcript.answer());
        let mut lines = vec!["Scaling milestones:".to_string()];
        for (who, tier) in [
            ("your numbers", &comparison.candidate),
            ("the reference", &comparison.reference),
        ] {
            if let Some(t) = tier {
                lines.push(format!(
                    "  {who}: {} -> tier: row {}, which needs {}",
                    t.metrics,
                    t.row,
                    if t.architecture.is_empty() {
                        "nothing beyond a single server".to_string()
                    } else {
                        t.architecture.join(", ")
                    }
                ));
            }
        }
        if lines.len() > 1 {
            lines.extend(
                comparison
                    .candidate
                    .iter()
                    .flat_map(|c| c.notes.iter().map(|n| format!("  - {n}"))),
            );
            // What the table lists that this problem does not need is itself a lesson.
            for (item, why) in &self.problem.scale.not_needed {
                lines.push(format!(
                    "  not needed here: {}, because {why}",
                    item.label()
                ));
            }
            self.prompter.show(Event::Note(lines.join("\n")));
        }
    }

    fn phase_feedback(&mut self, phase: PhaseId) {
        let text = self
            .transcript
            .phases
            .last()
            .map(|p| p.lines.join("\n"))
            .unwrap_or_default();
        let results = grade::phase_feedback(self.problem, phase, &text);
        if results.is_empty() {
            return;
        }
        self.prompter.show(Event::Feedback {
            phase,
            covered: results
                .iter()
                .filter(|r| r.detected == Mark::Covered)
                .map(|r| r.title.clone())
                .collect(),
            open: results
                .iter()
                .filter(|r| r.detected != Mark::Covered)
                .map(|r| format!("{} ({}, {})", r.title, r.level, r.detected.as_str()))
                .collect(),
        });
    }

    /// The self-grade: every criterion in one list with the grader's mark
    /// pre-selected; the candidate changes any of them, as often as needed,
    /// and accepts the list when it is right. Nothing is written before that.
    fn self_grade(&mut self) -> Result<(), Interrupt> {
        let Some(report) = self.transcript.report.as_mut() else {
            return Ok(());
        };
        let options = vec![
            "Review the marks (change any the grader got wrong)".to_string(),
            "Accept the detected marks".to_string(),
        ];
        if self
            .prompter
            .choose("Self-grade your answer?", &options, 0)?
            == 1
        {
            return Ok(());
        }
        let mut chosen: BTreeMap<String, Mark> = report
            .criteria
            .iter()
            .map(|c| (c.id.clone(), c.detected))
            .collect();
        let marks: Vec<String> = Mark::ALL.iter().map(|m| m.label().to_string()).collect();
        let mut cursor = 0;
        loop {
            let mut list: Vec<String> = vec!["Accept these marks and write the report".to_string()];
            list.extend(report.criteria.iter().map(|c| {
                let mark = chosen[&c.id];
                let changed = if mark == c.detected { "" } else { " (changed)" };
                format!(
                    "{:<8} {} [{}, {}]{changed}",
                    mark.label(),
                    c.title,
                    c.phase.title(),
                    c.level
                )
            }));
            let pick = self
                .prompter
                .choose("Pick a mark to change, or accept:", &list, cursor)?;
            if pick == 0 {
                break;
            }
            let c = &report.criteria[pick - 1];
            let found = if c.matched.is_empty() {
                "no evidence found".to_string()
            } else {
                format!("found: {}", c.matched.join(", "))
            };
            let question = format!("{} - {found}. Your mark:", c.title);
            let current = Mark::ALL
                .iter()
                .position(|m| *m == chosen[&c.id])
                .unwrap_or(2);
            let mark = self.prompter.choose(&question, &marks, current)?;
            chosen.insert(c.id.clone(), Mark::ALL[mark]);
            cursor = pick;
        }
        report.apply_self_grade(&chosen, self.problem.rubric.estimates_weight);
        self.transcript.self_marks = chosen;
        Ok(())
    }
}
