//! A scripted prompter and a fake clock, so sessions and drills run in tests
//! without a terminal: each step answers one prompt, and the clock moves only
//! when the script says so.

use super::{Clock, Interrupt, Prompt, Prompter};
use std::cell::Cell;
use std::collections::VecDeque;
use std::rc::Rc;

/// A clock that stands still until told to move.
#[derive(Clone, Default)]
pub(crate) struct FakeClock {
    seconds: Rc<Cell<f64>>,
    unix: u64,
}

impl FakeClock {
    /// A clock at `unix` seconds since the epoch.
    pub(crate) fn at(unix: u64) -> FakeClock {
        FakeClock {
            seconds: Rc::new(Cell::new(0.0)),
            unix,
        }
    }

    pub(crate) fn advance(&self, seconds: f64) {
        self.seconds.set(self.seconds.get() + seconds);
    }
}

impl Clock for FakeClock {
    fn now(&self) -> f64 {
        self.seconds.get()
    }
    fn unix(&self) -> u64 {
        self.unix + self.seconds.get() as u64
    }
}

#[derive(Debug, Clone)]
enum Step {
    Line(String),
    /// Pick an option by index; `None` takes the default.
    Choice(Option<usize>),
    Interrupt,
    Wait(f64),
}

/// Answers prompts from a list of steps; records what was shown and asked.
pub(crate) struct Script {
    steps: VecDeque<Step>,
    clock: FakeClock,
    /// Seconds every answer takes, on top of explicit waits.
    pace: f64,
    /// Everything shown, in order, as plain text.
    pub shown: Vec<String>,
    /// Everything shown, in order, as events.
    pub events: Vec<super::Event>,
    /// Every prompt asked, in order (labels and status lines).
    pub prompts: Vec<Prompt>,
    /// Set when a prompt came with no step left to answer it, or the wrong kind.
    pub ran_out: bool,
}

impl Script {
    pub(crate) fn new(clock: &FakeClock) -> Script {
        Script {
            steps: VecDeque::new(),
            clock: clock.clone(),
            pace: 0.0,
            shown: Vec::new(),
            events: Vec::new(),
            prompts: Vec::new(),
            ran_out: false,
        }
    }

    /// Every answer takes this many seconds.
    pub(crate) fn pace(mut self, seconds: f64) -> Script {
        self.pace = seconds;
        self
    }

    pub(crate) fn line(mut self, text: &str) -> Script {
        self.steps.push_back(Step::Line(text.to_string()));
        self
    }

    pub(crate) fn lines(mut self, lines: &[&str]) -> Script {
        for l in lines {
            self.steps.push_back(Step::Line((*l).to_string()));
        }
        self
    }

    pub(crate) fn choose(mut self, index: usize) -> Script {
        self.steps.push_back(Step::Choice(Some(index)));
        self
    }

    pub(crate) fn interrupt(mut self) -> Script {
        self.steps.push_back(Step::Interrupt);
        self
    }

    /// Lets time pass before the next answer.
    pub(crate) fn wait(mut self, seconds: f64) -> Script {
        self.steps.push_back(Step::Wait(seconds));
        self
    }

    /// Everything shown, joined: for `contains` checks.
    pub(crate) fn output(&self) -> String {
        self.shown.join("\n")
    }

    fn next(&mut self) -> Option<Step> {
        loop {
            match self.steps.pop_front()? {
                Step::Wait(s) => self.clock.advance(s),
                step => {
                    self.clock.advance(self.pace);
                    return Some(step);
                }
            }
        }
    }
}

impl Prompter for Script {
    fn show(&mut self, event: super::Event) {
        self.shown.push(event.plain());
        self.events.push(event);
    }

    fn ask(&mut self, prompt: &Prompt) -> Result<String, Interrupt> {
        self.prompts.push(prompt.clone());
        match self.next() {
            Some(Step::Line(text)) => Ok(text),
            Some(Step::Interrupt) => Err(Interrupt),
            _ => {
                self.ran_out = true;
                Err(Interrupt)
            }
        }
    }

    fn choose(
        &mut self,
        question: &str,
        options: &[String],
        default: usize,
    ) -> Result<usize, Interrupt> {
        self.prompts.push(Prompt {
            label: question.to_string(),
            status: options.join(" | "),
        });
        match self.next() {
            Some(Step::Choice(Some(i))) if i < options.len() => Ok(i),
            Some(Step::Choice(None)) => Ok(default),
            Some(Step::Interrupt) => Err(Interrupt),
            _ => {
                self.ran_out = true;
                Err(Interrupt)
            }
        }
    }
}
