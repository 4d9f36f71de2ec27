//! Drill generation and the drill loop, on the built-in bank and the
//! fundamentals.

use super::*;
use crate::bank::Origin;
use crate::session::script::{FakeClock, Script};
use crate::store::DrillRecord;

fn bank() -> Bank {
    Bank::load(&Origin::Embedded).expect("the built-in bank is valid")
}

#[test]
fn nice_numbers_are_what_a_person_would_say() {
    assert_eq!(nice(317.0), 250.0);
    assert_eq!(nice(80e6), 100e6);
    assert_eq!(nice(70e6), 50e6);
    assert_eq!(nice(1.7), 2.0);
    assert_eq!(nice(0.3), 0.25);
    assert_eq!(nice(9.0), 10.0);
    assert_eq!(nice(22.0), 20.0);
}

#[test]
fn the_same_seed_and_history_give_the_same_questions() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let schedule = Schedule::default();
    let texts = |seed| -> Vec<(String, String)> {
        questions(&pool, &schedule, 10, None, seed)
            .unwrap()
            .into_iter()
            .map(|q| (q.question, q.reference_shown))
            .collect()
    };
    assert_eq!(texts(7), texts(7));
    assert_ne!(texts(7), texts(8));
}

#[test]
fn a_fresh_drill_mixes_at_least_five_skills() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    for seed in 0..20 {
        let qs = questions(&pool, &Schedule::default(), 10, None, seed).unwrap();
        let mut skills: Vec<Skill> = qs.iter().map(|q| q.skill).collect();
        skills.sort();
        skills.dedup();
        assert!(skills.len() >= 5, "seed {seed}: {skills:?}");
    }
}

#[test]
fn every_template_gives_valid_questions_across_many_seeds() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let mut rng = fastrand::Rng::with_seed(1);
    for t in &pool.templates {
        for _ in 0..40 {
            let q = pool.question(t, &mut rng).unwrap();
            assert!(
                q.reference.is_finite() && q.reference > 0.0,
                "{}: reference {} in {}",
                t.id,
                q.reference,
                q.unit
            );
            assert!(
                !q.question.contains('{'),
                "{}: a placeholder was left: {}",
                t.id,
                q.question
            );
            assert!(!q.solution.is_empty());
            assert!(
                !q.solution.contains('{'),
                "{}: a placeholder was left in the solution: {}",
                t.id,
                q.solution
            );
        }
    }
}

#[test]
fn redrawn_assumptions_stay_in_range_and_are_round() {
    let bank = bank();
    let mut rng = fastrand::Rng::with_seed(3);
    for p in &bank.problems {
        for a in &p.assumptions {
            if let Draw::Range((_, lo), (_, hi)) = &a.draw {
                for _ in 0..50 {
                    let q = draw_in_range(lo, hi, &mut rng);
                    assert!(
                        q.value >= lo.value && q.value <= hi.value,
                        "{}/{}",
                        p.id,
                        a.name
                    );
                }
            }
        }
    }
}

#[test]
fn questions_from_a_problem_state_their_inputs() {
    let bank = bank();
    let pool = Pool::new(&bank, Some("url-shortener")).unwrap();
    assert!(
        pool.templates
            .iter()
            .all(|t| t.id.starts_with("url-shortener/"))
    );
    let qs = questions(&pool, &Schedule::default(), 6, None, 11).unwrap();
    for q in qs {
        assert_eq!(q.problem.as_deref(), Some("url-shortener"));
        assert!(q.solution.contains(" = "), "{}", q.solution);
    }
}

#[test]
fn solutions_repeat_the_numbers_the_question_gave() {
    // A drawn `5%` must read `5%` in the worked solution too, not `0.05`.
    let bank = bank();
    let pool = Pool::new(&bank, Some("rate-limiter")).unwrap();
    let template = pool
        .templates
        .iter()
        .find(|t| t.id == "rate-limiter/sliding_log_memory")
        .expect("the template exists");
    let mut rng = fastrand::Rng::with_seed(5);
    for _ in 0..20 {
        let q = pool.question(template, &mut rng).unwrap();
        let share = q
            .question
            .split_whitespace()
            .find(|w| w.ends_with('%'))
            .expect("the question states a share");
        assert!(
            q.solution.contains(&format!("* {share} *")),
            "{}\n{}",
            q.question,
            q.solution
        );
    }
}

#[test]
fn skill_filter_and_due_templates_first() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let only = questions(&pool, &Schedule::default(), 5, Some(Skill::Availability), 2).unwrap();
    assert!(only.iter().all(|q| q.skill == Skill::Availability));

    // A template missed last run comes back first.
    let missed = "fundamentals/seconds-in-period";
    let records = [DrillRecord {
        run: "r0".into(),
        at: 0,
        template: missed.into(),
        skill: Skill::Conversion,
        verdict: Verdict::Off,
        ratio: Some(40.0),
        seconds: 5.0,
    }];
    let schedule = Schedule::replay(&records);
    for seed in 0..5 {
        let qs = questions(&pool, &schedule, 3, None, seed).unwrap();
        assert_eq!(qs[0].template, missed);
    }
}

#[test]
fn a_typo_is_asked_again_and_not_counted() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let qs = questions(&pool, &Schedule::default(), 3, None, 5).unwrap();
    let clock = FakeClock::at(1_800_000_000);
    let right: Vec<String> = qs
        .iter()
        .map(|q| format!("{} {}", q.reference, q.unit))
        .collect();
    let mut script = Script::new(&clock)
        .pace(4.0)
        .line("12 rq/s")
        .line(&right[0])
        .line("")
        .line(&right[2]);
    let mut records = Vec::new();
    let (answered, ending) = run(&qs, "run-1", &mut script, &clock, &mut |r| records.push(r));
    assert!(!script.ran_out);
    assert_eq!(ending, Ending::Finished);
    assert_eq!(records.len(), 2, "the typo and the skip are not recorded");
    assert_eq!(records[0].verdict, Verdict::Ok);
    assert_eq!(
        records[0].seconds, 8.0,
        "time counts from the question to the accepted answer"
    );
    assert!(answered[1].answer.is_none());
    assert!(script.output().contains("That does not parse"));
}

#[test]
fn a_question_mark_shows_the_hint_and_asks_again() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let qs = questions(&pool, &Schedule::default(), 1, None, 3).unwrap();
    let clock = FakeClock::at(1_800_000_000);
    let right = format!("{} {}", qs[0].reference, qs[0].unit);
    let mut script = Script::new(&clock).line("?").line(&right);
    let mut records = Vec::new();
    let (answered, _) = run(&qs, "run-1", &mut script, &clock, &mut |r| records.push(r));
    assert!(!script.ran_out);
    assert!(!qs[0].hint.is_empty());
    assert!(
        script.output().contains(&format!("Hint: {}", qs[0].hint)),
        "{}",
        script.output()
    );
    assert_eq!(records.len(), 1, "the hint is not an answer");
    assert_eq!(answered[0].verdict, Some(Verdict::Ok));
}

#[test]
fn ctrl_c_keeps_the_answers_given() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let qs = questions(&pool, &Schedule::default(), 3, None, 5).unwrap();
    let clock = FakeClock::at(1_800_000_000);
    let mut script = Script::new(&clock)
        .line(&format!("{} {}", qs[0].reference, qs[0].unit))
        .interrupt();
    let mut records = Vec::new();
    let (answered, ending) = run(&qs, "run-1", &mut script, &clock, &mut |r| records.push(r));
    assert_eq!(ending, Ending::Stopped);
    assert_eq!(answered.len(), 1);
    assert_eq!(records.len(), 1);
}

/// The template `id` drawn until its question mentions `given`.
fn fundamental_with(pool: &Pool, id: &str, given: &str) -> Question {
    let mut rng = fastrand::Rng::with_seed(5);
    let t = pool
        .templates
        .iter()
        .find(|t| t.id == id)
        .unwrap_or_else(|| panic!("no template {id}"));
    (0..200)
        .map(|_| pool.question(t, &mut rng).unwrap())
        .find(|q| q.question.contains(given))
        .unwrap_or_else(|| panic!("{id} never drew {given}"))
}

fn verdict(q: &Question, answer: &str) -> Verdict {
    quantity::check_answer(
        answer,
        &q.reference_quantity,
        &q.unit_quantity,
        &q.unit,
        q.tolerance,
        &quantity::NoVariables,
    )
    .verdict
}

#[test]
fn exact_conversions_do_not_accept_a_factor_of_two() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let q = fundamental_with(&pool, "fundamentals/bits-to-bytes", "1 Gbps");
    assert_eq!(verdict(&q, "125"), Verdict::Ok);
    assert_eq!(verdict(&q, "110"), Verdict::Ok);
    // Forgetting half the factor of 8 is a real mistake, not rounding.
    assert_ne!(verdict(&q, "250"), Verdict::Ok);
    assert_ne!(verdict(&q, "1000"), Verdict::Ok);

    let q = fundamental_with(&pool, "fundamentals/seconds-in-period", "1 day");
    assert_eq!(verdict(&q, "86400"), Verdict::Ok);
    // 10^5 for a day is the usual rounding and stays within 1.2x.
    assert_eq!(verdict(&q, "100k"), Verdict::Ok);
    assert_ne!(verdict(&q, "3600 * 48"), Verdict::Ok);

    // A sizing drill on given figures keeps more slack than a conversion, and
    // every fundamentals tolerance stays below the problems' default.
    let servers = fundamental_with(&pool, "fundamentals/servers-for-peak", "req/s");
    assert!(servers.tolerance > q.tolerance);
    for f in fundamentals::load().unwrap() {
        assert!(f.tolerance <= 2.0, "{}: {}", f.id, f.tolerance);
    }
}

#[test]
fn explanations_speak_of_the_numbers_drawn() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let q = fundamental_with(&pool, "fundamentals/nines-downtime-day", "99.99%");
    assert!(
        q.solution.contains("99.99% leaves 8.64 s"),
        "{}",
        q.solution
    );
    let q = fundamental_with(&pool, "fundamentals/nines-downtime-day", "99.9%");
    assert!(q.solution.contains("99.9% leaves 86.4 s"), "{}", q.solution);
    let q = fundamental_with(&pool, "fundamentals/parallel-availability", "99.9%");
    assert!(q.solution.contains("31.5 s"), "{}", q.solution);
    let q = fundamental_with(&pool, "fundamentals/littles-law", "10k req/s");
    assert!(q.solution.contains("Little's law"), "{}", q.solution);
}

#[test]
fn a_problem_drill_explains_with_the_numbers_it_drew() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    // The problem states 99.99%; a drill that draws 99.9% must not say
    // "under an hour" of its own numbers.
    // "99.9% " with its space: not 99.95% or 99.99%.
    let q = fundamental_with(&pool, "payments/allowed_downtime", "99.9% ");
    assert!(
        q.solution
            .contains(&format!("{} a year at 99.9%", q.reference_shown)),
        "{}",
        q.solution
    );
    assert!(!q.solution.contains("In the problem as stated"));
    // No shipped explanation is left to contradict a draw.
    let mut rng = fastrand::Rng::with_seed(3);
    for t in pool
        .templates
        .iter()
        .filter(|t| !t.id.starts_with("fundamentals/"))
    {
        for _ in 0..5 {
            let q = pool.question(t, &mut rng).unwrap();
            assert!(!q.solution.contains("In the problem as stated"), "{}", t.id);
        }
    }
}

#[test]
fn the_fundamentals_a_candidate_is_expected_to_know_are_drilled() {
    let ids: Vec<String> = fundamentals::load()
        .unwrap()
        .into_iter()
        .map(|f| f.id)
        .collect();
    for id in [
        "parallel-availability",
        "serial-availability",
        "hdd-random-reads",
        "ssd-random-reads",
        "memory-scan",
        "littles-law",
    ] {
        assert!(ids.contains(&format!("fundamentals/{id}")), "no drill {id}");
    }
}

#[test]
fn a_drill_answer_off_by_a_known_factor_names_the_slip() {
    let bank = bank();
    let pool = Pool::new(&bank, None).unwrap();
    let q = fundamental_with(&pool, "fundamentals/bits-to-bytes", "1 Gbps");
    let clock = FakeClock::at(1_800_000_000);
    // 1000 MB/s for a 1 Gbps link: bits taken for bytes.
    let mut script = Script::new(&clock).line("1000");
    let (_, ending) = run(&[q], "run-1", &mut script, &clock, &mut |_| {});
    assert_eq!(ending, Ending::Finished);
    let verdict = script
        .events
        .iter()
        .find_map(|e| match e {
            Event::Verdict { verdict, text } => Some((*verdict, text.clone())),
            _ => None,
        })
        .unwrap();
    assert_eq!(verdict.0, Verdict::Off);
    assert!(
        verdict
            .1
            .starts_with("off: 1000 MB/s is 8.0x too high: a factor of 8: bits and bytes"),
        "{}",
        verdict.1
    );
}
