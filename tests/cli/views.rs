//! Every command's view in every format it has, as snapshots: text (at 80
//! columns), Markdown where there is one, and JSON. A change to what a user
//! sees shows up here as a diff to review.

use crate::support::{Home, fixtures};

fn bank() -> std::path::PathBuf {
    fixtures().join("valid")
}

fn run(home: &Home, args: &[&str]) -> String {
    let run = home
        .sdi()
        .env("COLUMNS", "80")
        .args(["--bank"])
        .args([bank()])
        .args(["--color", "never"])
        .args(args)
        .run();
    assert_eq!(run.code, Some(0), "{args:?}: {}", run.stderr);
    // Paths name the checkout, which differs between machines; the snapshot
    // keeps only the part under the fixtures folder.
    run.stdout
        .replace(fixtures().to_str().unwrap(), "[fixtures]")
}

fn seeded_home() -> Home {
    let home = Home::new();
    let lines = [
        r#"{"kind":"session","id":"20261125-100000-paste-bin-aaaa","problem":"paste-bin","title":"Design a paste bin","mode":"mock","started":1795559950,"seconds":2400.0,"status":"timeout","score":48.0,"level":"mid","missed":["object-storage-for-content"]}"#,
        r#"{"kind":"session","id":"20261125-110000-paste-bin-bbbb","problem":"paste-bin","title":"Design a paste bin","mode":"practice","started":1795563550,"seconds":1800.0,"status":"completed","score":71.0,"level":"senior","missed":[]}"#,
        r#"{"kind":"drill","run":"r1","at":1795559950,"template":"fundamentals/bits-to-bytes","skill":"conversion","verdict":"ok","ratio":1.0,"seconds":12.0}"#,
        r#"{"kind":"drill","run":"r1","at":1795559960,"template":"fundamentals/memory-scan","skill":"latency","verdict":"off","ratio":8.0,"seconds":30.0}"#,
    ];
    std::fs::write(home.path().join("history.jsonl"), lines.join("\n") + "\n").unwrap();
    home
}

#[test]
fn list_show_and_validate() {
    let home = Home::new();
    insta::assert_snapshot!("list_text", run(&home, &["list"]));
    insta::assert_snapshot!("list_json", run(&home, &["list", "--json"]));
    insta::assert_snapshot!("show_text", run(&home, &["show", "paste-bin"]));
    insta::assert_snapshot!("show_key_text", run(&home, &["show", "paste-bin", "--key"]));
    insta::assert_snapshot!("show_json", run(&home, &["show", "paste-bin", "--json"]));
    insta::assert_snapshot!("validate_json", run(&home, &["validate", "--json"]));
}

#[test]
fn the_report_in_three_formats() {
    let home = Home::new();
    let answers = fixtures().join("answers/paste-bin/partial.yaml");
    let answers = answers.to_str().unwrap();
    insta::assert_snapshot!(
        "grade_markdown",
        run(
            &home,
            &["grade", "paste-bin", "--markdown", "--answers", answers]
        )
    );
    insta::assert_snapshot!(
        "grade_json",
        run(
            &home,
            &["grade", "paste-bin", "--json", "--answers", answers]
        )
    );
}

#[test]
fn progress_views() {
    let home = seeded_home();
    insta::assert_snapshot!("history_text", run(&home, &["history"]));
    insta::assert_snapshot!("history_json", run(&home, &["history", "--json"]));
    insta::assert_snapshot!("stats_text", run(&home, &["stats"]));
    insta::assert_snapshot!("stats_json", run(&home, &["stats", "--json"]));
}

#[test]
fn drill_worksheets_and_milestones() {
    let home = Home::new();
    insta::assert_snapshot!(
        "drill_print",
        run(&home, &["drill", "--print", "--seed", "7", "-n", "3"])
    );
    insta::assert_snapshot!(
        "drill_print_key_json",
        run(
            &home,
            &[
                "drill", "--print", "--key", "--json", "--seed", "7", "-n", "3"
            ]
        )
    );
    insta::assert_snapshot!("milestones_text", run(&home, &["milestones"]));
    insta::assert_snapshot!(
        "milestones_placed_text",
        run(
            &home,
            &[
                "milestones",
                "--users",
                "5M",
                "--rps",
                "20k",
                "--data",
                "3TB"
            ]
        )
    );
    insta::assert_snapshot!(
        "milestones_placed_json",
        run(
            &home,
            &["milestones", "--users", "5M", "--rps", "20k", "--json"]
        )
    );
}
