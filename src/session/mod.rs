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
use crate::quantity::{self, Verdict, ratio_phrase};
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

/// How a session talks to the candidate.
pub(crate) trait Prompter {
    /// Shows text (headers, feedback, the interviewer's answers).
    fn show(&mut self, text: &str);
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

/// How the caller wants the session run.
pub(crate) struct Settings {
    pub mode: Mode,
    /// The mock's length; phase budgets are scaled to it.
    pub minutes: f64,
    pub id: String,
}

/// Whether the session ran to the end.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ending {
    Finished,
    Interrupted,
}

enum Flow {
    Next,
    TimeUp,
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
    /// Phase budgets scale by this (mock length / problem length).
    scale: f64,
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
    let problem_minutes = problem.minutes().max(1.0);
    let (allowed, scale) = match settings.mode {
        Mode::Mock => (
            Some(settings.minutes * 60.0),
            settings.minutes / problem_minutes,
        ),
        Mode::Practice => (None, 1.0),
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
    };
    let mut session = Session {
        problem,
        glossary,
        mode: settings.mode,
        prompter,
        clock,
        start: clock.now(),
        allowed,
        scale,
        transcript,
        save,
    };
    let ending = session.walk();
    (session.transcript, ending)
}

fn clock_text(seconds: f64) -> String {
    let s = seconds.max(0.0).round() as u64;
    format!("{}:{:02}", s / 60, s % 60)
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

    fn walk(&mut self) -> Ending {
        self.intro();
        let mut ending = Ending::Finished;
        let phases = self.problem.phases.clone();
        for (i, phase) in phases.iter().enumerate() {
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
                budget_seconds: phase.minutes * self.scale * 60.0,
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
                    self.prompter
                        .show("\nTime is up. Let's look at how it went.");
                    self.not_reached(&phases[i + 1..]);
                    self.transcript.status = Status::Timeout;
                    break;
                }
                Err(Interrupt) => {
                    self.transcript.status = Status::Abandoned;
                    ending = Ending::Interrupted;
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
        self.transcript.report = Some(report);
        if ending == Ending::Finished && self.self_grade().is_err() {
            // Ctrl-C during the self-grade: keep the detected marks.
            self.transcript.status = Status::Abandoned;
            ending = Ending::Interrupted;
        }
        (self.save)(&self.transcript);
        ending
    }

    fn not_reached(&mut self, rest: &[crate::bank::Phase]) {
        for phase in rest {
            self.transcript.phases.push(PhaseRecord {
                phase: phase.id,
                lines: Vec::new(),
                questions: Vec::new(),
                started_at: self.elapsed(),
                seconds: 0.0,
                budget_seconds: phase.minutes * self.scale * 60.0,
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
                    score.budget_minutes *= self.scale;
                }
            }
        }
    }

    fn intro(&mut self) {
        let p = self.problem;
        let how = match self.mode {
            Mode::Practice => {
                "Practice: untimed, with hints (`?`) and feedback after each step.".to_string()
            }
            Mode::Mock => format!(
                "Mock interview: {} minutes, feedback only at the end.",
                quantity::format_number(self.allowed.unwrap_or(0.0) / 60.0, false)
            ),
        };
        self.prompter.show(&format!(
            "{}\n\n{}\n\n{how}\nType one point per line; an empty line ends a phase. Ctrl-C or Esc stops and keeps what you typed.",
            p.title, p.statement
        ));
    }

    fn phase_header(&mut self, i: usize, phase: &crate::bank::Phase) {
        let budget = phase.minutes * self.scale * 60.0;
        let mut header = format!(
            "\n== Phase {}/{}: {} ({}) ==\n{}",
            i + 1,
            self.problem.phases.len(),
            phase.id.title(),
            clock_text(budget),
            phase.goal
        );
        if phase.id == PhaseId::Requirements {
            header.push_str("\nAsk the interviewer by ending a line with `?`.");
        }
        self.prompter.show(&header);
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

    fn ask(&mut self, label: String, usage: &str) -> Result<String, Interrupt> {
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
                    self.prompter.show(&format!("Guidance: {guidance}"));
                } else {
                    self.prompter
                        .show("No hints in a mock: go with your best judgement.");
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
        match &answer {
            Some(a) => self.prompter.show(&format!("Interviewer: {a}")),
            None => self.prompter.show(
                "Interviewer: Good question. What would you assume? Say it, and we'll go with it.",
            ),
        }
        self.current().questions.push(Exchange { question, answer });
    }

    fn estimation(&mut self) -> Result<Flow, Interrupt> {
        let inputs: Vec<String> = self
            .problem
            .assumptions
            .iter()
            .map(|a| format!("  {} = {}  ({})", a.name, a.shown(), a.description))
            .collect();
        self.prompter.show(&format!(
            "Answer with a number (read in the unit asked) or an expression such as `100M * 2 / day`; the names below work too. Empty: skip.\n{}",
            inputs.join("\n")
        ));
        let estimates = self.problem.estimates.clone();
        let n = estimates.len();
        let inputs_scope: crate::bank::Scope = self
            .problem
            .assumptions
            .iter()
            .map(|a| (a.name.clone(), a.value.clone()))
            .collect();
        for (i, e) in estimates.iter().enumerate() {
            let label = format!("[{}/{n}] {} ({})", i + 1, e.question, e.unit_text);
            let usage = if self.mode == Mode::Practice {
                "`?` for a hint; end with ? to ask the interviewer; empty: skip"
            } else {
                "end with ? to ask; empty: skip"
            };
            loop {
                let answer = self.ask(label.clone(), usage)?;
                if answer == "?" {
                    if self.mode == Mode::Practice {
                        self.prompter.show(&format!("Hint: {}", e.hint));
                        self.transcript
                            .estimates
                            .entry(e.id.clone())
                            .or_default()
                            .hints += 1;
                    } else {
                        self.prompter.show("No hints in a mock.");
                    }
                    continue;
                }
                if answer.is_empty() {
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
                    self.prompter
                        .show(&format!("That does not parse: {message}\nTry again."));
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
                let shown = check.answer.as_ref().map(|a| a.text()).unwrap_or_default();
                let feedback = match (check.verdict, check.ratio) {
                    (Verdict::Ok, Some(r)) => format!(
                        "ok: {shown} is within {}x ({})",
                        quantity::format_number(e.tolerance, false),
                        ratio_phrase(r)
                    ),
                    (v, Some(r)) => format!("{v}: {shown} is {}", ratio_phrase(r)),
                    (v, None) => format!("{v}: {}", check.message),
                };
                let feedback = match (&check.note, check.ratio) {
                    // A range: say how it was read (the message says it already).
                    (Some(note), Some(_)) => format!("{feedback}; {note}"),
                    _ => feedback,
                };
                self.prompter.show(&feedback);
                if matches!(check.verdict, Verdict::Off | Verdict::UnitMismatch) {
                    self.prompter
                        .show("Try once more (a new answer), or press Enter to see the reference.");
                    let again = self.ask(label.clone(), "a new answer, or empty to move on")?;
                    if !again.is_empty() {
                        let check = quantity::check_answer(
                            &again,
                            &e.reference,
                            &e.unit,
                            &e.unit_text,
                            e.tolerance,
                            &inputs_scope,
                        );
                        if check.verdict != Verdict::Invalid {
                            self.transcript
                                .estimates
                                .entry(e.id.clone())
                                .or_default()
                                .attempts
                                .push(again);
                            let shown = check.answer.as_ref().map(|a| a.text()).unwrap_or_default();
                            self.prompter.show(&match check.ratio {
                                Some(_) => {
                                    format!("{}: {shown} is {}", check.verdict, check.message)
                                }
                                None => format!("{}: {}", check.verdict, check.message),
                            });
                        } else {
                            self.prompter.show("That does not parse either; moving on.");
                        }
                    }
                }
                let scope = self.problem.scope();
                self.prompter.show(&format!(
                    "Reference: {} = {} = {}\n{}",
                    e.expr,
                    self.problem.substituted(e, &scope),
                    Problem::shown_reference(e, &e.reference),
                    self.problem.explain(e, &scope, &Default::default())
                ));
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
            self.prompter.show(&lines.join("\n"));
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
        let covered: Vec<&str> = results
            .iter()
            .filter(|r| r.detected == Mark::Covered)
            .map(|r| r.title.as_str())
            .collect();
        let open: Vec<String> = results
            .iter()
            .filter(|r| r.detected != Mark::Covered)
            .map(|r| format!("  - {} ({}, {})", r.title, r.level, r.detected.as_str()))
            .collect();
        let mut text = format!("Feedback on {}:", phase.as_str());
        if !covered.is_empty() {
            text.push_str(&format!("\n  covered: {}", covered.join("; ")));
        }
        if !open.is_empty() {
            text.push_str("\n  not yet (the report says what a strong answer does):\n");
            text.push_str(&open.join("\n"));
        }
        self.prompter.show(&text);
    }

    /// The candidate confirms or corrects each detected mark.
    fn self_grade(&mut self) -> Result<(), Interrupt> {
        let Some(report) = self.transcript.report.as_mut() else {
            return Ok(());
        };
        let options = vec![
            "Review each mark (confirm or correct what the grader found)".to_string(),
            "Accept the detected marks".to_string(),
        ];
        if self
            .prompter
            .choose("Self-grade your answer?", &options, 0)?
            == 1
        {
            return Ok(());
        }
        let marks: Vec<String> = Mark::ALL.iter().map(|m| m.as_str().to_string()).collect();
        let total = report.criteria.len();
        let mut chosen = BTreeMap::new();
        for (i, c) in report.criteria.iter().enumerate() {
            let found = if c.matched.is_empty() {
                "no evidence found".to_string()
            } else {
                format!("found: {}", c.matched.join(", "))
            };
            let question = format!(
                "[{}/{total}] {} ({}, {}) - {found}",
                i + 1,
                c.title,
                c.phase.as_str(),
                c.level
            );
            let default = Mark::ALL.iter().position(|m| *m == c.detected).unwrap_or(2);
            let pick = self.prompter.choose(&question, &marks, default)?;
            chosen.insert(c.id.clone(), Mark::ALL[pick]);
        }
        report.apply_self_grade(&chosen, self.problem.rubric.estimates_weight);
        self.transcript.self_marks = chosen;
        Ok(())
    }
}
