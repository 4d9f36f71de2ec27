//! Spaced repetition: a Leitner box per question template, replayed from the
//! drill records in the history. A right answer moves a template up a box, a
//! wrong one back to the first. A template in box b is due again after
//! 1, 2, 4, 8 or 16 drill runs; the schedule counts runs, not days, so the same
//! history always gives the same schedule (and `--seed` the same questions).

use crate::bank::Skill;
use crate::store::DrillRecord;
use std::collections::BTreeMap;

pub(crate) const BOXES: u8 = 5;
/// Runs to wait before a template in box b (1-based) is due again.
const INTERVAL: [usize; BOXES as usize] = [1, 2, 4, 8, 16];

#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct TemplateState {
    /// 1 to 5.
    pub leitner_box: u8,
    /// Index of the last run that asked it.
    pub last_run: usize,
    pub answered: usize,
    pub correct: usize,
}

#[derive(Debug, Clone, Default)]
pub(crate) struct Schedule {
    pub templates: BTreeMap<String, TemplateState>,
    /// Drill runs in the history; the next run has this index.
    pub runs: usize,
    /// Per skill: (answered, correct).
    pub skills: BTreeMap<Skill, (usize, usize)>,
}

impl Schedule {
    /// Replays the drill records in order.
    pub(crate) fn replay<'a>(records: impl IntoIterator<Item = &'a DrillRecord>) -> Schedule {
        let mut schedule = Schedule::default();
        let mut run_index: BTreeMap<&str, usize> = BTreeMap::new();
        for r in records {
            let next = run_index.len();
            let run = *run_index.entry(&*r.run).or_insert(next);
            let correct = r.verdict.is_correct();
            let state = schedule
                .templates
                .entry(r.template.to_string())
                .or_insert(TemplateState {
                    leitner_box: 1,
                    last_run: run,
                    answered: 0,
                    correct: 0,
                });
            state.leitner_box = if correct {
                (state.leitner_box + 1).min(BOXES)
            } else {
                1
            };
            state.last_run = run;
            state.answered += 1;
            state.correct += usize::from(correct);
            let skill = schedule.skills.entry(r.skill).or_insert((0, 0));
            skill.0 += 1;
            skill.1 += usize::from(correct);
        }
        schedule.runs = run_index.len();
        schedule
    }

    /// True when a seen template should come back in the next run.
    pub(crate) fn is_due(&self, template: &str) -> bool {
        self.templates.get(template).is_some_and(|s| {
            self.runs - s.last_run >= INTERVAL[usize::from(s.leitner_box.clamp(1, BOXES)) - 1]
        })
    }

    /// A skill's accuracy so far, if it was ever drilled.
    pub(crate) fn accuracy(&self, skill: Skill) -> Option<f64> {
        self.skills
            .get(&skill)
            .filter(|(answered, _)| *answered > 0)
            .map(|(answered, correct)| *correct as f64 / *answered as f64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::quantity::Verdict;

    fn record(run: &str, template: &str, verdict: Verdict) -> DrillRecord {
        DrillRecord {
            run: run.into(),
            at: 0,
            template: template.into(),
            skill: Skill::Qps,
            verdict,
            ratio: None,
            seconds: 1.0,
        }
    }

    #[test]
    fn right_answers_move_up_a_box_and_a_wrong_one_back_to_the_first() {
        let records = [
            record("r1", "t", Verdict::Ok),
            record("r2", "t", Verdict::Ok),
            record("r3", "t", Verdict::Ok),
        ];
        assert_eq!(Schedule::replay(&records).templates["t"].leitner_box, 4);
        let records = [
            record("r1", "t", Verdict::Ok),
            record("r2", "t", Verdict::Ok),
            record("r3", "t", Verdict::Off),
        ];
        assert_eq!(Schedule::replay(&records).templates["t"].leitner_box, 1);
        let records = [record("r1", "t", Verdict::Close)];
        assert_eq!(
            Schedule::replay(&records).templates["t"].leitner_box,
            1,
            "close is not right"
        );
    }

    #[test]
    fn the_box_never_passes_the_last() {
        let records: Vec<DrillRecord> = (0..10)
            .map(|i| record(&format!("r{i}"), "t", Verdict::Ok))
            .collect();
        assert_eq!(Schedule::replay(&records).templates["t"].leitner_box, BOXES);
    }

    #[test]
    fn missed_templates_come_back_sooner() {
        // Run 0: `missed` wrong (box 1), `known` right (box 2). Next run is run 1.
        let records = [
            record("r0", "missed", Verdict::Off),
            record("r0", "known", Verdict::Ok),
        ];
        let s = Schedule::replay(&records);
        assert!(s.is_due("missed"), "box 1 is due the next run");
        assert!(!s.is_due("known"), "box 2 waits two runs");
        // After one more run without them, the box-2 template is due too.
        let records = [
            record("r0", "missed", Verdict::Off),
            record("r0", "known", Verdict::Ok),
            record("r1", "other", Verdict::Ok),
        ];
        assert!(Schedule::replay(&records).is_due("known"));
        assert!(!Schedule::replay(&records).is_due("never-seen"));
    }

    #[test]
    fn skills_keep_their_accuracy() {
        let records = [
            record("r0", "a", Verdict::Ok),
            record("r0", "b", Verdict::Off),
            record("r0", "c", Verdict::Ok),
        ];
        let s = Schedule::replay(&records);
        assert_eq!(s.accuracy(Skill::Qps), Some(2.0 / 3.0));
        assert_eq!(s.accuracy(Skill::Storage), None);
        assert_eq!(s.runs, 1);
    }
}
