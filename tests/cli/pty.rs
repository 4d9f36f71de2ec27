//! The paths only a terminal shows, driven in a pseudo-terminal: a full mock
//! answered at every prompt, Ctrl-C keeping a partial session, a drill with a
//! typo. Also: without a terminal, the interactive commands say what to use
//! instead.

use crate::support::{Home, Sdi, fixtures};
use expectrl::{ControlCode, Session, WaitStatus};
use std::process::Command;
use std::time::Duration;

fn spawn(home: &Home, args: &[&str]) -> Session {
    let mut cmd = Command::new(assert_cmd::cargo::cargo_bin("sdi"));
    cmd.args(args)
        .env("SDI_HOME", home.path())
        .env("NO_COLOR", "1")
        .env("TERM", "xterm")
        .env_remove("SDI_BANK");
    let mut session = Session::spawn(cmd).expect("sdi starts in a pseudo-terminal");
    session.set_expect_timeout(Some(Duration::from_secs(20)));
    session
}

/// Types a line and presses Enter (a carriage return, as a terminal sends it).
fn answer(p: &mut Session, text: &str) {
    p.send(format!("{text}\r"))
        .expect("the terminal accepts input");
}

fn exit_code(p: &Session) -> i32 {
    match p.get_process().wait().expect("sdi exits") {
        WaitStatus::Exited(_, code) => code,
        other => panic!("sdi did not exit normally: {other:?}"),
    }
}

fn bank_args(extra: &[&str]) -> Vec<String> {
    let mut args: Vec<String> = extra.iter().map(|s| s.to_string()).collect();
    args.push("--bank".into());
    args.push(fixtures().join("valid").display().to_string());
    args
}

#[test]
fn a_full_mock_answered_at_every_prompt() {
    let home = Home::new();
    let args = bank_args(&["mock", "paste-bin", "--minutes", "20"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut p = spawn(&home, &args);
    p.expect("Phase 1/7: Requirements").unwrap();
    answer(
        &mut p,
        "Users paste text and get a short link; p99 reads under 100 ms",
    );
    answer(&mut p, "How big is a paste?");
    p.expect("Interviewer: Ten kilobytes").unwrap();
    answer(&mut p, "");
    p.expect("Phase 2/7: Estimation").unwrap();
    p.expect("left").unwrap();
    answer(&mut p, "12");
    answer(&mut p, "1.2k req/s");
    answer(&mut p, "3.6 TB");
    for (phase, text) in [
        (
            "API",
            "POST /pastes returns a key, GET /pastes/{key} returns the text",
        ),
        (
            "Data model",
            "metadata in a key-value store; paste text in S3 object storage",
        ),
        (
            "High-level design",
            "stateless API servers behind a load balancer, a cache for hot pastes",
        ),
        (
            "Deep dive",
            "random base62 keys from a UUID, retry on collision",
        ),
        (
            "Wrap-up",
            "the metadata store is the first bottleneck; alert on p99 latency",
        ),
    ] {
        p.expect(phase).unwrap();
        answer(&mut p, text);
        answer(&mut p, "");
    }
    p.expect("Self-grade your answer?").unwrap();
    // The second option accepts the detected marks.
    p.send("\x1b[B").unwrap();
    answer(&mut p, "");
    p.expect("Score").unwrap();
    // The report quotes the candidate's own lines, phase by phase.
    p.expect("What you wrote").unwrap();
    p.expect("> Users paste text and get a short link").unwrap();
    p.expect("How big is a paste? Interviewer: Ten kilobytes")
        .unwrap();
    p.expect("> metadata in a key-value store").unwrap();
    p.expect("Level verdict").unwrap();
    p.expect("Saved as").unwrap();
    assert_eq!(exit_code(&p), 0);
    // The Markdown export holds the transcript too, and the JSON its lines.
    home.sdi()
        .args(bank_args(&["report", "last", "--markdown"]))
        .run()
        .success()
        .stdout_has("### What you wrote")
        .stdout_has("> random base62 keys from a UUID, retry on collision");
    let json = home
        .sdi()
        .args(bank_args(&["report", "last", "--json"]))
        .run()
        .json();
    assert_eq!(json["session"]["mode"], "mock");
    assert_eq!(json["transcript"][0]["phase"], "requirements");
    assert_eq!(
        json["transcript"][0]["questions"][0]["question"],
        "How big is a paste?"
    );

    let run = home.sdi().args(["history", "--json"]).run();
    run.success();
    let sessions = run.json();
    assert_eq!(sessions.as_array().unwrap().len(), 1);
    assert_eq!(sessions[0]["problem"], "paste-bin");
    assert_eq!(sessions[0]["mode"], "mock");
    assert_eq!(sessions[0]["status"], "completed");
    assert!(sessions[0]["score"].as_f64().unwrap() > 50.0);
}

#[test]
fn ctrl_c_in_the_middle_of_a_mock_keeps_the_partial_session() {
    let home = Home::new();
    let args = bank_args(&["mock", "paste-bin"]);
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    let mut p = spawn(&home, &args);
    p.expect("Phase 1/7").unwrap();
    answer(&mut p, "pastes are kept for a year");
    answer(&mut p, "");
    p.expect("Phase 2/7: Estimation").unwrap();
    answer(&mut p, "12 req/s");
    p.expect("[2/3]").unwrap();
    p.send(ControlCode::EndOfText).unwrap();
    p.expect("Every line you entered is saved").unwrap();
    assert_eq!(exit_code(&p), 130);

    let run = home.sdi().args(["history", "--json"]).run();
    let sessions = run.json();
    assert_eq!(sessions[0]["status"], "abandoned");
    assert_eq!(sessions[0]["problem"], "paste-bin");
    home.sdi()
        .args(bank_args(&["report", "last", "--markdown"]))
        .run()
        .success()
        .stdout_has("| write_qps | 12 req/s |")
        .stdout_has("abandoned");
    let transcript = std::fs::read_dir(home.path().join("sessions"))
        .unwrap()
        .count();
    assert_eq!(transcript, 1, "one transcript, no temp files left");
}

#[test]
fn a_three_question_drill_with_a_typo() {
    let home = Home::new();
    let printed = home
        .sdi()
        .args(["drill", "--seed", "42", "--count", "3", "--print", "--json"])
        .run();
    printed.success();
    let questions = printed.json();
    let questions = questions.as_array().unwrap();
    assert_eq!(questions.len(), 3);
    let mut p = spawn(&home, &["drill", "--seed", "42", "--count", "3"]);
    for (i, q) in questions.iter().enumerate() {
        p.expect(format!("[{}/3]", i + 1).as_str()).unwrap();
        let right = format!(
            "{} {}",
            q["reference"].as_f64().unwrap(),
            q["unit"].as_str().unwrap()
        );
        if i == 0 {
            answer(&mut p, "12 qqq");
            p.expect("That does not parse").unwrap();
        }
        answer(&mut p, &right);
        p.expect("ok:").unwrap();
    }
    p.expect("3 of 3 answered within tolerance").unwrap();
    assert_eq!(exit_code(&p), 0);

    let stats = home.sdi().args(["stats", "--json"]).run();
    stats.success();
    let json = stats.json();
    assert_eq!(json["drills"]["answered"], 3, "the typo is not counted");
    assert_eq!(json["drills"]["correct"], 3);
}

#[test]
fn without_a_terminal_interactive_commands_point_elsewhere() {
    for (command, pointer) in [
        ("practice", "sdi grade ID --answers"),
        ("mock", "sdi grade ID --answers"),
        ("drill", "sdi drill --print"),
    ] {
        let run = Sdi::new().args(bank_args(&[command])).run();
        run.failure()
            .stderr_has("needs a terminal")
            .stderr_has(pointer);
    }
}
