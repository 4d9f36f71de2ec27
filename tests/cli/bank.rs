//! The bank: `list`, `show`, `validate`, `--bank` and `SDI_BANK`, and the broken
//! banks under tests/fixtures/invalid, each refused with where and what.

use crate::support::{SHIPPED, Sdi, fixtures};
use std::path::{Path, PathBuf};

fn valid_bank() -> PathBuf {
    fixtures().join("valid")
}

/// Copies a bank folder (problems/ and rubrics/) into `to`.
fn copy_bank(from: &Path, to: &Path) {
    for folder in ["problems", "rubrics"] {
        std::fs::create_dir_all(to.join(folder)).unwrap();
        for entry in std::fs::read_dir(from.join(folder)).unwrap() {
            let path = entry.unwrap().path();
            std::fs::copy(&path, to.join(folder).join(path.file_name().unwrap())).unwrap();
        }
    }
}

#[test]
fn each_broken_bank_is_refused_with_where_and_what() {
    let mut dirs: Vec<PathBuf> = std::fs::read_dir(fixtures().join("invalid"))
        .unwrap()
        .map(|e| e.unwrap().path())
        .collect();
    dirs.sort();
    assert!(dirs.len() >= 20, "the broken banks are missing");
    for dir in dirs {
        let name = dir.file_name().unwrap().to_string_lossy().into_owned();
        let run = Sdi::new().args(["validate", "--bank"]).args([&dir]).run();
        run.failure();
        assert_eq!(run.stdout, "", "{name}: validate prints issues to stderr");
        let text = run.stderr.replace(&dir.display().to_string(), "<bank>");
        insta::assert_snapshot!(format!("invalid_{name}"), text);
    }
}

#[test]
fn the_example_bank_in_the_format_guide_is_valid() {
    Sdi::new()
        .args(["validate", "--bank"])
        .args([valid_bank()])
        .run()
        .success()
        .stdout_has("ok, 1 problem");
    // The guide shows the same files: it must not drift from what is tested.
    let guide =
        std::fs::read_to_string(Path::new(env!("CARGO_MANIFEST_DIR")).join("problems/README.md"))
            .unwrap();
    for file in ["problems/paste-bin.yaml", "rubrics/paste-bin.yaml"] {
        let text = std::fs::read_to_string(valid_bank().join(file)).unwrap();
        assert!(
            guide.contains(&text),
            "problems/README.md does not show {file} as it is"
        );
    }
}

#[test]
fn a_file_over_one_mebibyte_is_refused_at_the_limit() {
    let dir = tempfile::tempdir().unwrap();
    copy_bank(&valid_bank(), dir.path());
    let mut text = std::fs::read_to_string(dir.path().join("problems/paste-bin.yaml")).unwrap();
    text.push_str(&format!("# {}\n", "x".repeat(1024 * 1024)));
    std::fs::write(dir.path().join("problems/paste-bin.yaml"), text).unwrap();
    Sdi::new()
        .args(["validate", "--bank"])
        .args([dir.path()])
        .run()
        .failure()
        .stderr_has(
            "problems/paste-bin.yaml: error: the file is over 1 MiB; bank files are limited to 1 MiB",
        );
}

#[test]
fn a_folder_without_problems_is_an_error() {
    let dir = tempfile::tempdir().unwrap();
    Sdi::new()
        .args(["list", "--bank"])
        .args([dir.path()])
        .run()
        .failure()
        .stderr_has("has no problems/ folder");
}

#[test]
fn bank_goes_before_or_after_the_subcommand_or_in_the_environment() {
    for args in [
        vec![
            "--bank".to_string(),
            valid_bank().display().to_string(),
            "list".into(),
            "--json".into(),
        ],
        vec![
            "list".into(),
            "--json".into(),
            "--bank".into(),
            valid_bank().display().to_string(),
        ],
    ] {
        let run = Sdi::new().args(&args).run();
        run.success();
        assert_eq!(run.json()[0]["id"], "paste-bin");
    }
    let run = Sdi::new()
        .env("SDI_BANK", valid_bank())
        .args(["list", "--json"])
        .run();
    assert_eq!(run.json()[0]["id"], "paste-bin");
}

#[test]
fn a_broken_bank_stops_other_commands_with_a_pointer_to_validate() {
    let dir = fixtures().join("invalid/unknown-name");
    Sdi::new()
        .args(["show", "paste-bin", "--bank"])
        .args([&dir])
        .run()
        .failure()
        .stderr_has("unknown word `reads_per_pate`")
        .stderr_has("run `sdi validate --bank");
}

#[test]
fn show_explains_each_reference_with_its_derivation_under_key() {
    // Without --key, the questions only: no reference is given away.
    let run = Sdi::new()
        .args(["show", "paste-bin", "--bank"])
        .args([valid_bank()])
        .run();
    run.success()
        .stdout_has("Estimates to make")
        .stdout_has("How many pastes are created per second on average?")
        .stdout_has("--key");
    for reference in ["11.6 req/s", "3.65 TB", "pastes_per_day / day", "why:"] {
        assert!(
            !run.stdout.contains(reference),
            "{reference} shown without --key"
        );
    }
    let run = Sdi::new()
        .args(["show", "paste-bin", "--key", "--bank"])
        .args([valid_bank()])
        .run();
    run.success()
        .stdout_has("write_qps = pastes_per_day / day")
        .stdout_has("= 1M / day")
        .stdout_has("= 11.6 req/s")
        .stdout_has("= 1M / day * 1 year * 10 KB")
        .stdout_has("= 3.65 TB");
}

#[test]
fn an_unknown_problem_suggests_the_closest() {
    Sdi::new()
        .args(["show", "paste-bn", "--bank"])
        .args([valid_bank()])
        .run()
        .failure()
        .stderr_has("did you mean `paste-bin`?");
}

fn shipped_bank() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).to_path_buf()
}

#[test]
fn the_shipped_bank_is_valid() {
    // Built in, the build script's verdict is reported, and says so.
    let counts = format!(
        "ok, {} problems in {} files (0 warnings",
        SHIPPED.len(),
        2 * SHIPPED.len() + 2
    );
    Sdi::new()
        .args(["validate"])
        .run()
        .success()
        .stdout_has(&format!(
            "the built-in bank: {counts}; checked when sdi was built)"
        ));
    // The same files as written, checked by this run: the same verdict.
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let run = Sdi::new().args(["validate", "--bank"]).args([root]).run();
    run.success().stdout_has(&format!("{counts})"));
    assert!(!run.stdout.contains("when sdi was built"), "{}", run.stdout);
}

#[test]
fn list_shows_the_shipped_problems_from_any_folder() {
    let elsewhere = tempfile::tempdir().unwrap();
    let run = Sdi::new()
        .current_dir(elsewhere.path())
        .args(["list", "--json"])
        .run();
    run.success();
    let ids: Vec<String> = run
        .json()
        .as_array()
        .unwrap()
        .iter()
        .map(|p| p["id"].as_str().unwrap().to_string())
        .collect();
    for id in SHIPPED {
        assert!(ids.iter().any(|i| i == id), "{id} missing from {ids:?}");
    }
    Sdi::new()
        .current_dir(elsewhere.path())
        .args(["list"])
        .run()
        .success()
        .stdout_has("url-shortener")
        .stdout_has("payments");
}

#[test]
fn each_shipped_problem_has_the_depth_the_product_promises() {
    for id in SHIPPED {
        let json = Sdi::new().args(["show", id, "--json"]).run().json();
        let phases: Vec<&str> = json["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["id"].as_str().unwrap())
            .collect();
        assert_eq!(
            phases,
            [
                "requirements",
                "estimation",
                "api",
                "data-model",
                "high-level-design",
                "deep-dive",
                "wrap-up"
            ],
            "{id}"
        );
        let minutes: f64 = json["phases"]
            .as_array()
            .unwrap()
            .iter()
            .map(|p| p["minutes"].as_f64().unwrap())
            .sum();
        assert_eq!(minutes, 45.0, "{id}: the phase budgets sum to 45 minutes");
        assert!(
            json["clarifications"].as_array().unwrap().len() >= 8,
            "{id}: clarifications"
        );
        let estimates = json["estimates"].as_array().unwrap();
        assert!(estimates.len() >= 6, "{id}: estimates");
        let skills: std::collections::BTreeSet<&str> = estimates
            .iter()
            .map(|e| e["skill"].as_str().unwrap())
            .collect();
        assert!(skills.len() >= 4, "{id}: skills {skills:?}");
        for e in estimates {
            let reference = e["reference"].as_f64().unwrap();
            assert!(reference.is_finite() && reference > 0.0, "{id}/{}", e["id"]);
            assert!(e["tolerance"].as_f64().unwrap() >= 1.5);
            assert!(!e["hint"].as_str().unwrap().is_empty());
            assert!(e["unit"].is_string() && e["question"].is_string());
        }
        let criteria = json["rubric"]["criteria"].as_array().unwrap();
        let own: Vec<_> = criteria.iter().filter(|c| c["shared"] == false).collect();
        assert!(own.len() >= 14, "{id}: {} criteria of its own", own.len());
        for level in ["mid", "senior", "staff"] {
            assert!(
                own.iter().any(|c| c["level"] == level),
                "{id}: no {level} criterion"
            );
        }
        for phase in [
            "requirements",
            "api",
            "data-model",
            "high-level-design",
            "deep-dive",
            "wrap-up",
        ] {
            assert!(
                own.iter().any(|c| c["phase"] == phase),
                "{id}: no criterion for {phase}"
            );
        }
        for c in criteria {
            assert!(c["weight"].as_f64().unwrap() > 0.0);
        }
    }
}

#[test]
fn doubling_every_assumption_changes_the_references() {
    let dir = tempfile::tempdir().unwrap();
    copy_bank(&shipped_bank(), dir.path());
    let path = dir.path().join("problems/url-shortener.yaml");
    let text = std::fs::read_to_string(&path).unwrap();
    let doubled: String = text
        .lines()
        .map(|line| match line.trim_start().strip_prefix("value: ") {
            Some(value) => {
                let indent = &line[..line.len() - line.trim_start().len()];
                format!("{indent}value: \"({}) * 2\"\n", value.trim_matches('"'))
            }
            None => format!("{line}\n"),
        })
        .collect();
    assert_ne!(doubled, text);
    std::fs::write(&path, doubled).unwrap();
    let before = Sdi::new()
        .args(["show", "url-shortener", "--json"])
        .run()
        .json();
    let after = Sdi::new()
        .args(["show", "url-shortener", "--json", "--bank"])
        .args([dir.path()])
        .run()
        .json();
    let references = |json: &serde_json::Value| -> Vec<f64> {
        json["estimates"]
            .as_array()
            .unwrap()
            .iter()
            .map(|e| e["reference"].as_f64().unwrap())
            .collect()
    };
    let (before, after) = (references(&before), references(&after));
    assert_eq!(before.len(), after.len());
    let changed = before
        .iter()
        .zip(&after)
        .filter(|(b, a)| (*b - *a).abs() > 1e-9 * b.abs())
        .count();
    assert!(
        changed >= before.len() - 1,
        "only {changed} of {} references moved",
        before.len()
    );
}

/// Banks that once made `validate` and `list` hang or eat the machine: a file
/// that is a device or a pipe, aliases that expand a small file into
/// gigabytes, brackets nested 100,000 deep. Each is refused, quickly, with
/// where and what.
#[cfg(unix)]
#[test]
fn hostile_bank_files_are_refused_quickly() {
    /// What the case is, how it damages a bank, and the message it must get.
    type Case = (&'static str, Box<dyn Fn(&Path)>, &'static str);
    let cases: Vec<Case> = vec![
        (
            "a symlink to /dev/zero",
            Box::new(|dir: &Path| {
                std::os::unix::fs::symlink("/dev/zero", dir.join("problems/zero.yaml")).unwrap()
            }),
            "problems/zero.yaml: error: this is a device, not a regular file",
        ),
        (
            "a named pipe",
            Box::new(|dir: &Path| {
                let path = dir.join("problems/pipe.yaml");
                let status = std::process::Command::new("mkfifo")
                    .arg(&path)
                    .status()
                    .unwrap();
                assert!(status.success());
            }),
            "problems/pipe.yaml: error: this is a named pipe, not a regular file",
        ),
        (
            "a string aliased ten thousand times",
            Box::new(|dir: &Path| {
                let mut text = format!("big: &big \"{}\"\nlist:\n", "x".repeat(50_000));
                for _ in 0..10_000 {
                    text.push_str("  - *big\n");
                }
                std::fs::write(dir.join("problems/bomb.yaml"), text).unwrap();
            }),
            "problems/bomb.yaml: error: the file is too costly to read: its aliases expand it",
        ),
        (
            "an aliased glossary",
            Box::new(|dir: &Path| {
                let mut text = format!(
                    "version: 1\nbig: &big \"{}\"\nconcepts:\n  x: [a]\nmore:\n",
                    "y".repeat(50_000)
                );
                for _ in 0..5_000 {
                    text.push_str("  - *big\n");
                }
                std::fs::write(dir.join("rubrics/glossary.yaml"), text).unwrap();
            }),
            "rubrics/glossary.yaml: error: the file is too costly to read",
        ),
        (
            "brackets nested 100,000 deep",
            Box::new(|dir: &Path| {
                let text = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
                std::fs::write(dir.join("problems/deep.yaml"), text).unwrap();
            }),
            "problems/deep.yaml: error: the file is too costly to read: brackets nest 100000 deep",
        ),
    ];
    for (what, make, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        copy_bank(&valid_bank(), dir.path());
        make(dir.path());
        let started = std::time::Instant::now();
        Sdi::new()
            .args(["validate", "--bank"])
            .args([dir.path()])
            .run()
            .failure()
            .stderr_has(expected);
        // `list` reads the headers: it must not hang on them either.
        let _ = Sdi::new().args(["list", "--bank"]).args([dir.path()]).run();
        assert!(
            started.elapsed() < std::time::Duration::from_secs(10),
            "{what} took {:?}",
            started.elapsed()
        );
    }
}
