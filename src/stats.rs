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

fn tally<'a>(records: impl Iterator<Item = &'a crate::store::DrillRecord>) -> Tally {
    let mut seconds = Vec::new();
    let mut correct = 0;
    for r in records {
        seconds.push(r.seconds);
        correct += usize::from(r.verdict.is_correct());
    }
    let answered = seconds.len();
    Tally {
        answered,
        correct,
        accuracy: (answered > 0).then(|| correct as f64 / answered as f64),
        median_seconds: median(&mut seconds),
    }
}

pub(crate) fn compute(history: &History, bank: Option<&Bank>) -> Stats {
    let drills: Vec<&crate::store::DrillRecord> = history.drills().collect();
    let overall = tally(drills.iter().copied());
    // One pass each, with maps keyed by skill and by run: linear in the history.
    let mut per_skill: BTreeMap<Skill, Vec<&crate::store::DrillRecord>> = BTreeMap::new();
    for d in &drills {
        per_skill.entry(d.skill).or_default().push(d);
    }
    let by_skill = per_skill
        .into_iter()
        .map(|(skill, records)| (skill, tally(records.into_iter())))
        .collect();
    let mut runs: Vec<DrillRun> = Vec::new();
    let mut run_index: HashMap<&str, usize> = HashMap::new();
    for d in &drills {
        match run_index.get(&*d.run) {
            Some(&i) => {
                runs[i].answered += 1;
                runs[i].correct += usize::from(d.verdict.is_correct());
            }
            None => {
                run_index.insert(&*d.run, runs.len());
                runs.push(DrillRun {
                    run: d.run.to_string(),
                    date: format_date(d.at),
                    answered: 1,
                    correct: usize::from(d.verdict.is_correct()),
                });
            }
        }
    }
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
            answered: overall.answered,
            correct: overall.correct,
            accuracy: overall.accuracy,
            median_seconds: overall.median_seconds,
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
