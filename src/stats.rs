//! Progress, computed from the history: drill accuracy and speed per skill, the
//! trend over recent drill runs and sessions, scores over time, problems never
//! practised, and the rubric criteria missed most often.

use crate::bank::{Bank, Skill};
use crate::session::{Mode, Status};
use crate::store::{History, format_date};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

#[derive(Debug, Clone, Serialize, Default)]
pub(crate) struct Tally {
    pub answered: usize,
    pub correct: usize,
    /// correct / answered.
    pub accuracy: Option<f64>,
    pub median_seconds: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct DrillRun {
    pub run: String,
    pub date: String,
    pub answered: usize,
    pub correct: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Drills {
    pub answered: usize,
    pub correct: usize,
    pub accuracy: Option<f64>,
    pub median_seconds: Option<f64>,
    pub by_skill: BTreeMap<Skill, Tally>,
    /// Oldest first.
    pub runs: Vec<DrillRun>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct SessionPoint {
    pub id: String,
    pub date: String,
    pub problem: String,
    pub mode: Mode,
    pub status: Status,
    pub score: Option<f64>,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Missed {
    pub id: String,
    pub title: String,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub(crate) struct Stats {
    pub drills: Drills,
    /// Oldest first.
    pub sessions: Vec<SessionPoint>,
    /// Accuracy (0 to 1) of the latest drill runs, oldest first (at most 20).
    pub recent_accuracy: Vec<f64>,
    /// Scores of the latest finished sessions, oldest first (at most 20).
    pub recent_scores: Vec<f64>,
    pub never_practised: Vec<String>,
    pub most_missed: Vec<Missed>,
}

fn median(values: &mut [f64]) -> Option<f64> {
    if values.is_empty() {
        return None;
    }
    values.sort_by(f64::total_cmp);
    let mid = values.len() / 2;
    Some(if values.len().is_multiple_of(2) {
        (values[mid - 1] + values[mid]) / 2.0
    } else {
        values[mid]
    })
}

fn tally(mut seconds: Vec<f64>, correct: usize) -> Tally {
    let answered = seconds.len();
    Tally {
        answered,
        correct,
        accuracy: (answered > 0).then(|| correct as f64 / answered as f64),
        median_seconds: median(&mut seconds),
    }
}

/// Drill answers, summed as they are read: a history of millions of answers
/// is never held at once, only their seconds (for the medians) and the runs.
#[derive(Default)]
pub(crate) struct DrillTally {
    seconds: Vec<f64>,
    correct: usize,
    per_skill: BTreeMap<Skill, (Vec<f64>, usize)>,
    runs: Vec<DrillRun>,
    run_index: HashMap<std::rc::Rc<str>, usize>,
}

impl DrillTally {
    pub(crate) fn add(&mut self, d: &crate::store::DrillRecord) {
        let right = usize::from(d.verdict.is_correct());
        self.seconds.push(d.seconds);
        self.correct += right;
        let skill = self.per_skill.entry(d.skill).or_default();
        skill.0.push(d.seconds);
        skill.1 += right;
        match self.run_index.get(&d.run) {
            Some(&i) => {
                self.runs[i].answered += 1;
                self.runs[i].correct += right;
            }
            None => {
                self.run_index.insert(d.run.clone(), self.runs.len());
                self.runs.push(DrillRun {
                    run: d.run.to_string(),
                    date: format_date(d.at),
                    answered: 1,
                    correct: right,
                });
            }
        }
    }

    fn finish(self) -> Drills {
        let overall = tally(self.seconds, self.correct);
        Drills {
            answered: overall.answered,
            correct: overall.correct,
            accuracy: overall.accuracy,
            median_seconds: overall.median_seconds,
            by_skill: self
                .per_skill
                .into_iter()
                .map(|(skill, (seconds, correct))| (skill, tally(seconds, correct)))
                .collect(),
            runs: self.runs,
        }
    }
}

/// Stats from the sessions of `history` and the drill answers summed in `drills`.
pub(crate) fn compute_with(history: &History, drills: DrillTally, bank: Option<&Bank>) -> Stats {
    let Drills {
        answered,
        correct,
        accuracy,
        median_seconds,
        by_skill,
        runs,
    } = drills.finish();
    let sessions: Vec<SessionPoint> = history
        .latest_sessions()
        .into_iter()
        .map(|s| SessionPoint {
            id: s.id.clone(),
            date: format_date(s.started),
            problem: s.problem.clone(),
            mode: s.mode,
            status: s.status,
            score: s.score,
        })
        .collect();
    let practised: std::collections::HashSet<&str> =
        sessions.iter().map(|s| s.problem.as_str()).collect();
    let never_practised = bank
        .map(|b| {
            b.problems
                .iter()
                .filter(|p| !practised.contains(p.id.as_str()))
                .map(|p| p.id.clone())
                .collect()
        })
        .unwrap_or_default();
    // An abandoned session misses everything after the point it stopped, which
    // says nothing about what the candidate knows: only finished ones count.
    let mut counts: BTreeMap<String, usize> = BTreeMap::new();
    for s in history
        .latest_sessions()
        .into_iter()
        .filter(|s| s.status.finished())
    {
        for id in &s.missed {
            *counts.entry(id.clone()).or_insert(0) += 1;
        }
    }
    let titles: HashMap<&str, &str> = bank
        .iter()
        .flat_map(|b| &b.problems)
        .flat_map(|p| &p.rubric.criteria)
        .map(|c| (c.id.as_str(), c.title.as_str()))
        .collect();
    let title_of = |id: &str| {
        titles
            .get(id)
            .map_or_else(|| id.to_string(), |t| t.to_string())
    };
    let mut most_missed: Vec<Missed> = counts
        .into_iter()
        .map(|(id, count)| Missed {
            title: title_of(&id),
            id,
            count,
        })
        .collect();
    most_missed.sort_by(|a, b| b.count.cmp(&a.count).then(a.id.cmp(&b.id)));
    most_missed.truncate(8);
    // The trends stats charts: the latest runs and finished sessions. An
    // abandoned session is graded on what was typed before Ctrl-C, which would
    // drag the trend down for no reason.
    let recent_accuracy = runs
        .iter()
        .rev()
        .take(RECENT)
        .rev()
        .map(|r| r.correct as f64 / r.answered.max(1) as f64)
        .collect();
    let recent_scores = sessions
        .iter()
        .filter(|p| p.status.finished())
        .filter_map(|p| p.score)
        .collect::<Vec<f64>>();
    let recent_scores = recent_scores[recent_scores.len().saturating_sub(RECENT)..].to_vec();
    Stats {
        recent_accuracy,
        recent_scores,
        drills: Drills {
            answered,
            correct,
            accuracy,
            median_seconds,
            by_skill,
            runs,
        },
        sessions,
        never_practised,
        most_missed,
    }
}

/// How many drill runs and sessions the trends show.
const RECENT: usize = 20;

impl Stats {
    /// The sessions that ran to their end with a score, oldest first: the
    /// ones charted.
    pub(crate) fn finished(&self) -> impl Iterator<Item = &SessionPoint> {
        self.sessions
            .iter()
            .filter(|p| p.score.is_some() && p.status.finished())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn medians() {
        assert_eq!(median(&mut [3.0, 1.0, 2.0]), Some(2.0));
        assert_eq!(median(&mut [4.0, 1.0, 2.0, 3.0]), Some(2.5));
        assert_eq!(median(&mut []), None);
    }
}
