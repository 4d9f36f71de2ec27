//! `sdi milestones`: the table, placement, consistency notes and bad input.

use crate::support::Sdi;

#[test]
fn without_flags_it_prints_the_table() {
    Sdi::new()
        .args(["milestones"])
        .run()
        .success()
        .stdout_has("Single server")
        .stdout_has("Custom infrastructure")
        .stdout_has("100TB");
}

#[test]
fn places_a_system_with_its_cumulative_architecture() {
    let run = Sdi::new()
        .args([
            "milestones",
            "--users",
            "5M",
            "--rps",
            "20k",
            "--data",
            "3TB",
            "--json",
        ])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["consistent"], true);
    assert_eq!(json["tier"]["users"], "1M");
    let architecture: Vec<&str> = json["architecture"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v.as_str().unwrap())
        .collect();
    assert_eq!(architecture.first(), Some(&"single-server"));
    assert_eq!(architecture.last(), Some(&"kafka"));
    assert!(!architecture.contains(&"multi-region"));
    // Rows count from 1, in the JSON as in the text.
    assert_eq!(json["tier"]["row"], 4);
    assert!(
        json["placement"]
            .as_array()
            .unwrap()
            .iter()
            .all(|p| p["row"] == 4)
    );
    assert_eq!(json["placement"].as_array().unwrap().len(), 3);
}

#[test]
fn the_text_report_names_the_tier() {
    Sdi::new()
        .args([
            "milestones",
            "--users",
            "5M",
            "--rps",
            "20k",
            "--data",
            "3TB",
        ])
        .run()
        .success()
        .stdout_has("Tier: row 4 of 7 (1M users / 10K RPS / 1TB)")
        .stdout_has("Consistent: yes");
}

#[test]
fn a_metric_out_of_line_is_named() {
    let run = Sdi::new()
        .args(["milestones", "--users", "10M", "--rps", "1k", "--json"])
        .run();
    run.success();
    let json = run.json();
    assert_eq!(json["consistent"], false);
    assert_eq!(
        json["notes"][0],
        "10M users suggests about 100K RPS; you estimated 1k"
    );
}

#[test]
fn unreadable_values_are_errors() {
    Sdi::new()
        .args(["milestones", "--users", "lots"])
        .run()
        .failure()
        .stderr_has("--users")
        .stderr_has("unknown word `lots`");
    Sdi::new()
        .args(["milestones", "--data", "3 req/s"])
        .run()
        .failure()
        .stderr_has("data is a size");
}
