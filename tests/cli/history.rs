//! `sdi history`, `sdi report` and `sdi stats` over saved data, including a
//! corrupted history line and two processes writing at once.

use crate::support::{Home, Sdi};

fn session_line(id: &str, problem: &str, score: f64, status: &str) -> String {
    format!(
        r#"{{"kind":"session","id":"{id}","problem":"{problem}","title":"T","mode":"mock","started":1795559950,"seconds":2400.0,"status":"{status}","score":{score},"level":"mid","missed":["hot-keys"]}}"#
    )
}

fn drill_line(run: &str, skill: &str, verdict: &str) -> String {
    format!(
        r#"{{"kind":"drill","run":"{run}","at":1795559950,"template":"fundamentals/x","skill":"{skill}","verdict":"{verdict}","ratio":1.0,"seconds":12.0}}"#
    )
}

fn write_history(home: &Home, lines: &[String]) {
    std::fs::write(home.path().join("history.jsonl"), lines.join("\n") + "\n").unwrap();
}

#[test]
fn an_empty_history_says_how_to_start() {
    Sdi::new()
        .args(["history"])
        .run()
        .success()
        .stdout_has("No sessions yet");
    let run = Sdi::new().args(["history", "--json"]).run();
    assert_eq!(run.json(), serde_json::json!([]));
}

#[test]
fn a_corrupted_line_is_skipped_with_a_warning() {
    let home = Home::new();
    write_history(
        &home,
        &[
            session_line("s1", "chat", 71.0, "completed"),
            "{this is not json".into(),
            drill_line("r1", "qps", "ok"),
        ],
    );
    let run = home.sdi().args(["history", "--json"]).run();
    run.success().stderr_has("history.jsonl:2: skipped a line");
    assert_eq!(run.json()[0]["problem"], "chat");
    let stats = home.sdi().args(["stats", "--json"]).run();
    stats.success();
    assert_eq!(stats.json()["drills"]["answered"], 1);
    let text = std::fs::read_to_string(home.path().join("history.jsonl")).unwrap();
    assert!(
        text.contains("{this is not json"),
        "the bad line is never rewritten away"
    );
}

#[test]
fn stats_count_drills_per_skill_and_the_criteria_missed_most() {
    let home = Home::new();
    write_history(
        &home,
        &[
            drill_line("r1", "qps", "ok"),
            drill_line("r1", "qps", "off"),
            drill_line("r2", "storage", "ok"),
            session_line("s1", "url-shortener", 40.0, "completed"),
            session_line("s2", "url-shortener", 62.0, "completed"),
            // Stopped early: its misses say nothing, and its score is not charted.
            session_line("s3", "url-shortener", 3.0, "abandoned"),
        ],
    );
    let json = home.sdi().args(["stats", "--json"]).run().json();
    assert_eq!(json["drills"]["answered"], 3);
    assert_eq!(json["drills"]["correct"], 2);
    assert_eq!(json["drills"]["by_skill"]["qps"]["answered"], 2);
    assert_eq!(json["drills"]["by_skill"]["qps"]["correct"], 1);
    assert_eq!(json["drills"]["runs"].as_array().unwrap().len(), 2);
    assert_eq!(json["most_missed"][0]["id"], "hot-keys");
    assert_eq!(
        json["most_missed"][0]["count"], 2,
        "the abandoned session is not counted"
    );
    let never: Vec<&str> = json["never_practised"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert!(!never.contains(&"url-shortener"));
    assert!(never.contains(&"chat"));
    home.sdi()
        .args(["stats"])
        .run()
        .success()
        .stdout_has("qps")
        .stdout_has("Scores over the last 2 sessions")
        .stdout_has("1 abandoned, not charted")
        .stdout_has("Never practised");
}

#[test]
fn list_shows_the_last_score() {
    let home = Home::new();
    write_history(&home, &[session_line("s1", "chat", 71.0, "completed")]);
    let json = home.sdi().args(["list", "--json"]).run().json();
    let chat = json
        .as_array()
        .unwrap()
        .iter()
        .find(|p| p["id"] == "chat")
        .unwrap();
    assert_eq!(chat["last_score"], 71.0);
}

#[test]
fn report_finds_sessions_by_prefix_and_says_when_none_match() {
    let home = Home::new();
    home.sdi()
        .args(["report", "last"])
        .run()
        .failure()
        .stderr_has("no sessions yet");
    write_history(
        &home,
        &[session_line("20261124-aaaa", "chat", 50.0, "completed")],
    );
    home.sdi()
        .args(["report", "zzz"])
        .run()
        .failure()
        .stderr_has("no session `zzz`");
    // The history names a session whose transcript is missing.
    home.sdi()
        .args(["report", "2026"])
        .run()
        .failure()
        .stderr_has("cannot read the transcript");
}

#[test]
fn an_unwritable_home_is_a_clear_error() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("not-a-folder");
    std::fs::write(&file, "").unwrap();
    // Drills record answers: with no terminal they stop first, so check the
    // store through a command that writes nothing and reads the history.
    Sdi::new()
        .env("SDI_HOME", &file)
        .args(["history"])
        .run()
        .failure()
        .stderr_has("cannot read");
}

/// Every output names a status by its one wire name: `history --json` and
/// `stats --json` agree, and the text shows the label.
#[test]
fn history_and_stats_name_statuses_alike() {
    let home = Home::new();
    write_history(
        &home,
        &[
            session_line("s1", "chat", 40.0, "timeout"),
            session_line("s2", "chat", 70.0, "completed"),
        ],
    );
    let history = home.sdi().args(["history", "--json"]).run();
    history.success();
    let stats = home.sdi().args(["stats", "--json"]).run();
    stats.success();
    let statuses = |v: &serde_json::Value, key: &str| -> Vec<String> {
        let list = if key.is_empty() { v } else { &v[key] };
        let mut s: Vec<String> = list
            .as_array()
            .unwrap()
            .iter()
            .map(|r| r["status"].as_str().unwrap().to_string())
            .collect();
        s.sort();
        s
    };
    let from_history = statuses(&history.json(), "");
    assert_eq!(from_history, ["completed", "timeout"]);
    assert_eq!(statuses(&stats.json(), "sessions"), from_history);
    home.sdi()
        .args(["history"])
        .run()
        .success()
        .stdout_has("time up");
}
