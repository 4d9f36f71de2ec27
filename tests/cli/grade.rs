//! `sdi grade`: answers files scored against rubrics, the template, and the
//! errors a user can fix.

use crate::support::{SHIPPED, Sdi, by_id, corpus, fixtures};
use std::path::PathBuf;

/// A strong, average or weak answer to a shipped problem: the fixture where
/// there is one, else the calibration corpus's expert, mid or weak answer.
fn answers(problem: &str, which: &str) -> PathBuf {
    let fixture = fixtures()
        .join("answers")
        .join(problem)
        .join(format!("{which}.yaml"));
    if fixture.exists() {
        return fixture;
    }
    let kind = match which {
        "strong" => "expert",
        "average" => "mid",
        other => other,
    };
    corpus().join(problem).join(format!("{kind}.yaml"))
}

fn score(problem: &str, which: &str) -> f64 {
    let run = Sdi::new()
        .args(["grade", problem, "--json", "--answers"])
        .args([answers(problem, which)])
        .run();
    run.success();
    run.json()["score"].as_f64().expect("a score")
}

#[test]
fn strong_average_and_weak_answers_are_ordered_and_far_apart() {
    for problem in SHIPPED {
        let strong = score(problem, "strong");
        let average = score(problem, "average");
        let weak = score(problem, "weak");
        assert!(strong > 65.0, "{problem}: strong scored {strong:.0}");
        assert!(weak < 30.0, "{problem}: weak scored {weak:.0}");
        assert!(
            strong > average && average > weak,
            "{problem}: {strong:.0} > {average:.0} > {weak:.0}"
        );
    }
}

#[test]
fn the_json_report_has_scores_and_estimate_verdicts() {
    let run = Sdi::new()
        .args(["grade", "url-shortener", "--json", "--answers"])
        .args([answers("url-shortener", "strong")])
        .run();
    run.success();
    let json = run.json();
    let score = json["score"].as_f64().unwrap();
    assert!((0.0..=100.0).contains(&score));
    let estimates = json["estimates"].as_array().unwrap();
    assert!(!estimates.is_empty());
    for e in estimates {
        assert!(e["id"].is_string());
        assert!(
            ["ok", "close", "off", "unit-mismatch", "missing", "invalid"]
                .contains(&e["verdict"].as_str().unwrap())
        );
    }
    assert!(json["level"]["label"].is_string());
    assert!(json["phases"].as_array().unwrap().len() == 7);
}

#[test]
fn the_text_report_shows_the_tables_and_what_to_study() {
    Sdi::new()
        .args(["grade", "url-shortener", "--answers"])
        .args([answers("url-shortener", "weak")])
        .run()
        .success()
        .stdout_has("Estimation")
        .stdout_has("Your answer")
        .stdout_has("What you wrote")
        .stdout_has("What a strong answer says")
        .stdout_has("Scaling milestones")
        .stdout_has("Level verdict")
        .stdout_has("Study next");
}

#[test]
fn the_template_lists_every_phase_and_estimate_and_grades_as_empty() {
    let run = Sdi::new().args(["grade", "payments", "--template"]).run();
    run.success();
    let show = Sdi::new().args(["show", "payments", "--json"]).run().json();
    for e in show["estimates"].as_array().unwrap() {
        assert!(
            run.stdout
                .contains(&format!("  {}: \"\"", e["id"].as_str().unwrap()))
        );
    }
    // The inputs are listed, so an answers file can be written from it alone;
    // no reference is.
    for a in show["assumptions"].as_array().unwrap() {
        assert!(
            run.stdout
                .contains(&format!("#   {} = ", a["name"].as_str().unwrap())),
            "template lacks {}",
            a["name"]
        );
    }
    for e in show["estimates"].as_array().unwrap() {
        let reference = e["reference_shown"].as_str().unwrap();
        assert!(
            !run.stdout.contains(reference),
            "template gives {reference}"
        );
    }
    for phase in [
        "requirements:",
        "estimation:",
        "api:",
        "data-model:",
        "high-level-design:",
        "deep-dive:",
        "wrap-up:",
    ] {
        assert!(run.stdout.contains(phase), "template lacks {phase}");
    }
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(&file, &run.stdout).unwrap();
    let graded = Sdi::new()
        .args(["grade", "payments", "--json", "--answers"])
        .args([&file])
        .run();
    graded.success();
    let json = graded.json();
    assert_eq!(json["score"].as_f64().unwrap(), 0.0);
    assert!(
        json["estimates"]
            .as_array()
            .unwrap()
            .iter()
            .all(|e| e["verdict"] == "missing")
    );
}

fn grade_text(problem: &str, text: &str) -> crate::support::Run {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(&file, text).unwrap();
    Sdi::new()
        .args(["grade", problem, "--answers"])
        .args([&file])
        .run()
}

#[test]
fn unknown_phase_and_estimate_ids_are_named() {
    // The message names the line and column of the key to fix.
    grade_text("url-shortener", "phases:\n  requirments: scope\n")
        .failure()
        .stderr_has("answers.yaml:2:3: unknown phase `requirments`: did you mean `requirements`?");
    grade_text(
        "url-shortener",
        "# mine\nphases:\n  api: GET /x\nestimates:\n  write_qps: 5\n  \"no_such_estimate\": 5\n",
    )
    .failure()
    .stderr_has("answers.yaml:6:3: unknown estimate `no_such_estimate`");
}

#[test]
fn a_file_for_another_problem_or_broken_yaml_is_refused() {
    grade_text("url-shortener", "problem: chat\n")
        .failure()
        .stderr_has("the file answers `chat`, not `url-shortener`");
    grade_text("url-shortener", "phases:\n  api: [unclosed\n")
        .failure()
        .stderr_has("answers.yaml:");
    grade_text("url-shortener", "")
        .failure()
        .stderr_has("--template");
}

#[test]
fn a_missing_answers_file_is_an_error_that_names_it() {
    Sdi::new()
        .args(["grade", "chat", "--answers", "/no/such/answers.yaml"])
        .run()
        .failure()
        .stderr_has("cannot read the answers file /no/such/answers.yaml");
}

#[test]
fn grading_needs_answers_or_the_template() {
    Sdi::new().args(["grade", "chat"]).run().code(2);
}

#[test]
fn the_example_answers_grade_on_the_example_bank() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("a.yaml");
    std::fs::write(
        &file,
        "phases:\n  data-model: metadata in DynamoDB, paste text in S3 object storage\nestimates:\n  write_qps: 12\n  read_qps: 1.2k\n  storage_total: 3.6 TB\n",
    )
    .unwrap();
    let run = Sdi::new()
        .args(["grade", "paste-bin", "--json", "--bank"])
        .args([fixtures().join("valid")])
        .args(["--answers"])
        .args([&file])
        .run();
    run.success();
    let json = run.json();
    let verdicts: Vec<&str> = json["estimates"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["verdict"].as_str().unwrap())
        .collect();
    assert_eq!(
        verdicts,
        ["ok", "off", "ok"],
        "1.2k is read in req/s and is 10x the reference"
    );
    let criterion = &json["criteria"][0];
    assert_eq!(criterion["detected"], "covered");
}

/// The whole text report, as a reader sees it (no color, no terminal width):
/// the phase table, estimates with ratios and derivations, milestones, criteria
/// with their evidence, the level verdict and what to study.
#[test]
fn the_text_report_reads_as_it_should() {
    let run = Sdi::new()
        .args(["--bank"])
        .args([fixtures().join("valid")])
        .args(["grade", "paste-bin", "--color", "never", "--answers"])
        .args([answers("paste-bin", "partial")])
        .run();
    run.success();
    insta::assert_snapshot!("report_paste_bin_partial", run.stdout);
}

/// Answers files that once were graded wrong or without a word: each is
/// refused at the line to fix, or read as meant.
#[test]
fn hostile_answers_files_are_refused_where_they_break() {
    let dir = tempfile::tempdir().unwrap();
    let cases: [(&str, &[u8], &str); 8] = [
        (
            "duplicate",
            b"estimates:\n  write_qps: \"1.16k req/s\"\n  write_qps: \"999 bn\"\n",
            "duplicate.yaml:3:3: `write_qps` is given twice under `estimates` (lines 2 and 3)",
        ),
        ("nul", b"phases:\n  api: \"a\0b\"\n", "nul.yaml:2:10: a NUL byte"),
        ("tab", b"phases:\n\tapi: x\n", "tab.yaml:2:1: a tab: YAML is indented with spaces"),
        (
            "binary",
            b"phases:\n  api: !!binary aGVsbG8=\n",
            "binary.yaml:2:8: a tagged value (such as !!binary) is not an answer",
        ),
        (
            "merge",
            b"base: &b\n  api: x\nphases:\n  <<: *b\n",
            "merge.yaml:4:3: a merge key (<<) is not supported",
        ),
        (
            "scalar",
            b"just a string\n",
            "expected a mapping with `problem`, `phases` and `estimates`",
        ),
        (
            "comments",
            b"# nothing\n# here\n",
            "the answers file has nothing to grade (only comments)",
        ),
        (
            "bomb",
            b"a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\ne: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n",
            "too costly to read",
        ),
    ];
    for (name, bytes, expected) in cases {
        let file = dir.path().join(format!("{name}.yaml"));
        std::fs::write(&file, bytes).unwrap();
        let run = Sdi::new()
            .args(["grade", "url-shortener", "--answers"])
            .args([&file])
            .run();
        run.failure().stderr_has(expected);
        assert!(
            !run.stderr.contains("struct"),
            "no Rust type names: {}",
            run.stderr
        );
    }
    // A byte-order mark is accepted.
    let file = dir.path().join("bom.yaml");
    std::fs::write(&file, b"\xef\xbb\xbfphases:\n  api: |\n    POST /urls\n").unwrap();
    Sdi::new()
        .args(["grade", "url-shortener", "--answers"])
        .args([&file])
        .run()
        .success();
    // Over 1 MiB, or not a file at all.
    let file = dir.path().join("big.yaml");
    std::fs::write(&file, "x".repeat(1024 * 1024 + 1)).unwrap();
    Sdi::new()
        .args(["grade", "url-shortener", "--answers"])
        .args([&file])
        .run()
        .failure()
        .stderr_has("over 1 MiB");
    Sdi::new()
        .args(["grade", "url-shortener", "--answers", "/dev/zero"])
        .run()
        .failure()
        .stderr_has("not a regular file (a device)");
}

#[test]
fn a_range_answer_is_checked_at_its_geometric_mean() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    std::fs::write(
        &file,
        "estimates:\n  write_qps: \"1-1.5k req/s\"\n  read_qps: \"about 100k\"\n  storage_total: \"1e300\"\n",
    )
    .unwrap();
    let run = Sdi::new()
        .args(["grade", "url-shortener", "--json", "--answers"])
        .args([&file])
        .run();
    run.success();
    let json = run.json();
    let estimate = |id: &str| by_id(&json["estimates"], id).clone();
    let write = estimate("write_qps");
    assert_eq!(write["verdict"], "ok", "{write}");
    let message = write["message"].as_str().unwrap();
    assert!(
        message.contains("read as the range 1k to 1.5k req/s, checked at 1.22k req/s"),
        "{message}"
    );
    assert_eq!(estimate("read_qps")["verdict"], "ok");
    // Too large to hold in bytes: invalid, with a message, never `inf`.
    let storage = estimate("storage_total");
    assert_eq!(storage["verdict"], "invalid", "{storage}");
    assert!(
        storage["message"]
            .as_str()
            .unwrap()
            .contains("too large to check")
    );
    assert!(!run.stdout.contains("inf"));
    // The text report says how it read the range, under the table.
    let text = Sdi::new()
        .args(["grade", "url-shortener", "--color", "never", "--answers"])
        .args([&file])
        .run();
    text.success()
        .stdout_has("write_qps: read as the range 1k to 1.5k req/s, checked at 1.22k req/s");
}

/// Every section of the text report is in the Markdown one, and neither
/// breaks a word at 60, 80 or 120 columns.
#[test]
fn markdown_holds_every_section_and_text_fits_the_width() {
    let file = answers("url-shortener", "weak");
    let markdown = Sdi::new()
        .args(["grade", "url-shortener", "--markdown", "--answers"])
        .args([&file])
        .run();
    markdown.success();
    for width in ["60", "80", "120"] {
        let text = Sdi::new()
            .env("COLUMNS", width)
            .args(["grade", "url-shortener", "--color", "never", "--answers"])
            .args([&file])
            .run();
        text.success();
        let w: usize = width.parse().unwrap();
        for line in text.stdout.lines() {
            assert!(line.chars().count() <= w, "{width}: {line:?}");
        }
        for heading in [
            "Phases",
            "Requirements",
            "Estimation",
            "What you wrote",
            "Scaling milestones",
            "Level verdict",
            "Study next",
            "What a strong answer says",
        ] {
            assert!(text.stdout.contains(heading), "{width}: no {heading}");
            assert!(
                markdown.stdout.contains(&format!("# {heading}")),
                "Markdown lacks {heading}"
            );
        }
        // Names a candidate types are never cut.
        for name in ["peak_read_qps", "storage_total", "redirect_bandwidth"] {
            assert!(text.stdout.contains(name), "{width}: {name} was broken");
        }
    }
}

/// An estimate off by a recognisable factor says what the slip looks like.
#[test]
fn a_factor_of_86400_is_named() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("answers.yaml");
    // A day's links given per second, and the peak factor left out.
    std::fs::write(
        &file,
        "estimates:\n  write_qps: \"100M req/s\"\n  peak_read_qps: \"116k req/s\"\n",
    )
    .unwrap();
    let json = Sdi::new()
        .args(["grade", "url-shortener", "--json", "--answers"])
        .args([&file])
        .run()
        .json();
    let diagnosis = |id: &str| {
        by_id(&json["estimates"], id)["diagnosis"]
            .as_str()
            .unwrap_or_default()
            .to_string()
    };
    assert!(
        diagnosis("write_qps").contains("per-day count given per second"),
        "{json}"
    );
    assert!(diagnosis("peak_read_qps").contains("peak factor left out"));
    Sdi::new()
        .args(["grade", "url-shortener", "--color", "never", "--answers"])
        .args([&file])
        .run()
        .success()
        .stdout_has("that looks like a per-day count given per second");
}
