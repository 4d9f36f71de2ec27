//! Sessions driven by a script and a fake clock, on the example bank of the
//! format guide (tests/fixtures/valid).

use super::script::{FakeClock, Script};
use super::*;
use crate::bank::{Bank, Origin};

fn bank() -> Bank {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/valid");
    Bank::load(&Origin::Dir(dir)).expect("the example bank is valid")
}

fn settings(mode: Mode, minutes: f64) -> Settings {
    Settings {
        mode,
        minutes,
        id: "test-session".into(),
        only: None,
    }
}

/// Runs a session and returns the transcript, how it ended, and how many
/// times it was saved along the way.
fn sit(
    mode: Mode,
    minutes: f64,
    script: &mut Script,
    clock: &FakeClock,
) -> (Transcript, Ending, usize) {
    let bank = bank();
    let problem = bank.problem("paste-bin").unwrap();
    let mut saves = 0;
    let (t, ending) = run(
        problem,
        &bank.glossary,
        settings(mode, minutes),
        script,
        clock,
        &mut |_| saves += 1,
    );
    (t, ending, saves)
}

fn phase(t: &Transcript, id: PhaseId) -> &PhaseRecord {
    t.phases.iter().find(|p| p.phase == id).unwrap()
}

#[test]
fn a_full_practice_is_graded_and_self_graded() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .pace(20.0)
        .lines(&[
            "Users paste text and get a short link",
            "How big is a paste?",
            "",
        ])
        .lines(&["1M / day", "116", "3.6 TB"])
        .lines(&["POST /pastes and GET /pastes/{key}", ""])
        .lines(&[
            "metadata in a key-value store, text in S3 object storage",
            "",
        ])
        .lines(&["API servers behind a load balancer, cache hot pastes", ""])
        .lines(&["random keys from a UUID, retry on collision", ""])
        .lines(&["bottleneck is the metadata store", ""])
        // Review the marks: pick the second criterion, mark it covered by
        // mistake, pick it again and mark it missed, then accept.
        .choose(0)
        .choose(2)
        .choose(0)
        .choose(2)
        .choose(2)
        .choose(0);
    let (t, ending, saves) = sit(Mode::Practice, 45.0, &mut script, &clock);
    assert!(!script.ran_out, "the script answered every prompt");
    assert_eq!(ending, Ending::Finished);
    assert_eq!(t.status, Status::Completed);
    assert_eq!(saves, 8, "saved after each phase and at the end");
    let requirements = phase(&t, PhaseId::Requirements);
    assert_eq!(
        requirements.lines,
        ["Users paste text and get a short link"]
    );
    assert_eq!(
        requirements.questions[0].answer.as_deref(),
        Some("Ten kilobytes on average, capped at one megabyte.")
    );
    assert!(script.output().contains("Interviewer: Ten kilobytes"));
    let report = t.report.as_ref().unwrap();
    assert!(
        report.estimates.iter().all(|e| e.verdict == Verdict::Ok),
        "{:?}",
        report.estimates
    );
    // The first criterion kept its detected mark; the second, corrected
    // before the report was written, ends missed.
    assert_eq!(t.self_marks.len(), report.criteria.len());
    assert_eq!(
        report.criteria[0].self_mark,
        Some(report.criteria[0].detected)
    );
    assert_eq!(report.criteria[1].self_mark, Some(Mark::Missed));
    assert!(report.self_graded);
    assert!(report.score < report.detected_score || report.criteria[1].detected == Mark::Missed);
    // Practice gives feedback after a design phase.
    assert!(
        script.output().contains("Feedback on Data model"),
        "{}",
        script.output()
    );
}

#[test]
fn a_question_while_estimating_is_answered_and_the_estimate_asked_again() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .line("")
        .lines(&["How big is a paste?", "12", "", ""])
        .lines(&["", "", "", "", ""])
        .choose(1);
    let (t, _, _) = sit(Mode::Practice, 45.0, &mut script, &clock);
    assert!(!script.ran_out);
    let out = script.output();
    assert!(out.contains("Interviewer: Ten kilobytes"), "{out}");
    assert!(!out.contains("does not parse"), "{out}");
    let estimation = phase(&t, PhaseId::Estimation);
    assert_eq!(estimation.questions[0].question, "How big is a paste?");
    let first = t
        .estimates
        .values()
        .next()
        .expect("an estimate was answered");
    assert_eq!(first.attempts, ["12"]);
}

#[test]
fn practice_offers_a_hint_and_a_retry_when_far_off() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .line("")
        .lines(&["?", "500", "12"]) // hint, 40x too high, then a retry within 2x
        .lines(&["", ""]) // skip the other two estimates
        .lines(&["", "", "", "", ""])
        .choose(1);
    let (t, _, _) = sit(Mode::Practice, 45.0, &mut script, &clock);
    assert!(!script.ran_out);
    let out = script.output();
    assert!(out.contains("Hint: Divide the daily count"), "{out}");
    assert!(out.contains("off: 500 req/s is 43x too high"), "{out}");
    assert!(out.contains("Try once more"));
    assert!(
        out.contains("Reference: pastes_per_day / day = 1M / day = 11.6 req/s"),
        "{out}"
    );
    let record = &t.estimates["write_qps"];
    assert_eq!(record.attempts, ["500", "12"]);
    assert_eq!(record.hints, 1);
    let report = t.report.unwrap();
    assert_eq!(report.estimates[0].verdict, Verdict::Ok, "the retry counts");
    assert_eq!(report.estimates[1].verdict, Verdict::Missing);
}

#[test]
fn an_answer_that_does_not_parse_is_asked_again_and_not_counted() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .line("")
        .lines(&["12 rq/s", "12 req/s", "", ""])
        .lines(&["", "", "", "", ""])
        .choose(1);
    let (t, _, _) = sit(Mode::Mock, 45.0, &mut script, &clock);
    assert!(!script.ran_out);
    assert!(script.output().contains("did you mean `req`?"));
    assert_eq!(t.estimates["write_qps"].attempts, ["12 req/s"]);
}

#[test]
fn a_mock_whose_time_runs_out_in_the_third_phase() {
    // 10 minutes: requirements gets 1:07, scaled from 5 of 45; estimation its
    // floor of half a minute per estimate, 1:30.
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .wait(60.0)
        .lines(&["scope: create and read pastes", ""])
        .wait(200.0) // well over the estimation budget
        .lines(&["12", "120", "4 TB"])
        .wait(400.0) // past the 10 minutes, while typing the API
        .line("POST /pastes")
        .choose(1);
    let (t, ending, _) = sit(Mode::Mock, 10.0, &mut script, &clock);
    assert!(!script.ran_out, "{:?}", script.prompts);
    assert_eq!(ending, Ending::Finished);
    assert_eq!(t.status, Status::Timeout);
    assert!(script.output().contains("Time is up"));
    let api = phase(&t, PhaseId::Api);
    assert!(api.reached);
    assert_eq!(
        api.lines,
        ["POST /pastes"],
        "what was typed when time ran out is kept"
    );
    for id in [
        PhaseId::DataModel,
        PhaseId::HighLevelDesign,
        PhaseId::DeepDive,
        PhaseId::WrapUp,
    ] {
        assert!(!phase(&t, id).reached, "{id} was not reached");
    }
    let estimation = phase(&t, PhaseId::Estimation);
    assert!(
        estimation.seconds > estimation.budget_seconds,
        "overtime is recorded"
    );
    let report = t.report.unwrap();
    let scored = report
        .phases
        .iter()
        .find(|p| p.phase == PhaseId::Estimation)
        .unwrap();
    assert!(scored.overtime_minutes.unwrap() > 1.5);
    assert!(
        !report
            .phases
            .iter()
            .find(|p| p.phase == PhaseId::WrapUp)
            .unwrap()
            .reached
    );
    // Every prompt showed the time left.
    assert!(
        script
            .prompts
            .iter()
            .filter(|p| !p.status.contains('|'))
            .all(|p| p.status.contains("left"))
    );
}

#[test]
fn mock_gives_no_feedback_or_hints() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .lines(&["?", ""])
        .lines(&["?", "500", "", ""])
        .lines(&["", "", "", "", ""])
        .choose(1);
    let (t, _, _) = sit(Mode::Mock, 45.0, &mut script, &clock);
    assert!(!script.ran_out);
    let out = script.output();
    assert!(!out.contains("Hint:"));
    assert!(
        !out.contains("too high"),
        "no feedback during a mock: {out}"
    );
    assert!(!out.contains("Feedback on"));
    assert_eq!(t.estimates["write_qps"].attempts, ["500"]);
}

#[test]
fn ctrl_c_in_the_estimation_phase_keeps_what_was_typed() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .lines(&["store pastes for a year", "Who can read a paste?", ""])
        .line("12")
        .interrupt();
    let (t, ending, saves) = sit(Mode::Practice, 45.0, &mut script, &clock);
    assert_eq!(ending, Ending::Stopped);
    assert_eq!(t.status, Status::Abandoned);
    assert_eq!(
        phase(&t, PhaseId::Requirements).lines,
        ["store pastes for a year"]
    );
    assert_eq!(t.estimates["write_qps"].attempts, ["12"]);
    assert!(saves >= 2, "saved after requirements and at the end");
    // The partial answer is still graded, for `sdi report`.
    let report = t.report.unwrap();
    assert_eq!(report.estimates[0].verdict, Verdict::Ok);
    assert!(!report.self_graded, "no self-grade after Ctrl-C");
}

#[test]
fn an_unknown_question_asks_for_an_assumption() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .lines(&["Which programming language should we use?", ""])
        .interrupt();
    let (t, _, _) = sit(Mode::Practice, 45.0, &mut script, &clock);
    assert!(script.output().contains("What would you assume?"));
    assert_eq!(phase(&t, PhaseId::Requirements).questions[0].answer, None);
}

#[test]
fn phases_a_mock_never_reached_earn_nothing_and_cap_the_level() {
    // The deep dive's words are said in the requirements, then time runs out
    // in the API phase: the deep-dive criterion earns nothing, and without a
    // deep dive the verdict cannot be senior.
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .wait(60.0)
        .lines(&[
            "Each paste key is a random key from a pre-generated pool, and a uuid fallback checks for a collision.",
            "",
        ])
        .lines(&["1M / day", "12", "4 TB"])
        .wait(900.0)
        .line("POST /pastes")
        .choose(1);
    let (t, _, _) = sit(Mode::Mock, 10.0, &mut script, &clock);
    assert_eq!(t.status, Status::Timeout);
    let report = t.report.unwrap();
    let keys = report
        .criteria
        .iter()
        .find(|c| c.id == "key-generation")
        .unwrap();
    assert_eq!(keys.detected, Mark::Missed);
    assert!(keys.note.as_deref().unwrap_or("").contains("not reached"));
    assert_ne!(report.level.level, Some(crate::bank::Level::Senior));
    assert!(
        report
            .level
            .reasons
            .iter()
            .any(|r| r.contains("deep dive was not reached")),
        "{:?}",
        report.level.reasons
    );
}

#[test]
fn a_mock_warns_at_five_minutes_left_and_when_a_phase_runs_over() {
    let clock = FakeClock::at(1_800_000_000);
    // Requirements has 1:07 of a 10-minute mock: the second line comes at 2:00.
    let mut script = Script::new(&clock)
        .line("create and read pastes")
        .wait(120.0)
        .line("pastes expire")
        .line("")
        .wait(240.0)
        .lines(&["12", "120", "4 TB"])
        .interrupt();
    let (_, ending, _) = sit(Mode::Mock, 10.0, &mut script, &clock);
    assert_eq!(ending, Ending::Stopped);
    let warnings: Vec<String> = script
        .events
        .iter()
        .filter_map(|e| match e {
            Event::Warning(w) => Some(w.clone()),
            _ => None,
        })
        .collect();
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("Requirements is past its 1:07 budget")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("left in the interview")),
        "{warnings:?}"
    );
    // Once each, not at every prompt.
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("left in the interview"))
            .count(),
        1
    );
}

#[test]
fn a_short_mock_keeps_every_estimate_answerable() {
    let bank = bank();
    let problem = bank.problem("paste-bin").unwrap();
    let b = budgets(problem, 3.0);
    let estimation = problem
        .phases
        .iter()
        .position(|p| p.id == PhaseId::Estimation)
        .unwrap();
    assert!(b[estimation] >= problem.estimates.len() as f64 * 30.0);
    assert!(b.iter().all(|s| *s >= 60.0));
    // At full length the problem's own budgets stand.
    let full = budgets(problem, problem.minutes());
    for (phase, seconds) in problem.phases.iter().zip(&full) {
        assert!((seconds - phase.minutes * 60.0).abs() < 1e-6 || *seconds == 60.0);
    }
}

#[test]
fn one_phase_can_be_practised_alone() {
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .lines(&[
            "metadata in a key-value store, text in S3 object storage",
            "",
        ])
        .choose(1);
    let bank = bank();
    let (t, ending) = run(
        bank.problem("paste-bin").unwrap(),
        &bank.glossary,
        Settings {
            only: Some(PhaseId::DataModel),
            ..settings(Mode::Practice, 45.0)
        },
        &mut script,
        &clock,
        &mut |_| {},
    );
    assert!(!script.ran_out, "{:?}", script.prompts);
    assert_eq!(ending, Ending::Finished);
    assert_eq!(t.phases.len(), 1);
    assert_eq!(t.phases[0].phase, PhaseId::DataModel);
    let report = t.report.unwrap();
    assert!(
        report
            .criteria
            .iter()
            .all(|c| c.phase == PhaseId::DataModel)
    );
    assert!(report.estimates.is_empty());
    assert_eq!(report.level.level, None);
    assert!(report.score > 0.0);
    assert!(script.output().contains("Phase 1/1: Data model"));
}
