//! What every command shares: help, version, usage errors, completions, pipes.

use crate::support::Sdi;

#[test]
fn help_lists_the_commands() {
    let run = Sdi::new().args(["--help"]).run();
    run.success();
    for command in [
        "list",
        "show",
        "practice",
        "mock",
        "grade",
        "drill",
        "calc",
        "milestones",
        "validate",
        "history",
        "report",
        "stats",
        "completions",
    ] {
        assert!(run.stdout.contains(command), "help lacks {command}");
    }
}

#[test]
fn an_unknown_subcommand_is_a_usage_error() {
    Sdi::new().args(["frobnicate"]).run().code(2);
}

#[test]
fn an_unknown_color_is_a_usage_error() {
    Sdi::new()
        .args(["--color", "sometimes", "calc", "1"])
        .run()
        .code(2);
}

#[test]
fn completions_are_generated() {
    Sdi::new()
        .args(["completions", "bash"])
        .run()
        .success()
        .stdout_has("_sdi()");
}

#[test]
fn color_always_colors_errors() {
    Sdi::new()
        .args(["--color", "always", "calc", "1 +"])
        .run()
        .failure()
        .stderr_has("\u{1b}[1m\u{1b}[31merror:");
}

#[test]
fn no_color_is_the_default_off_a_terminal() {
    let run = Sdi::new().args(["calc", "1 +"]).run();
    assert!(!run.stderr.contains('\u{1b}'), "{}", run.stderr);
}

#[test]
fn a_closed_pipe_ends_quietly_with_success() {
    use std::io::Read;
    use std::process::{Command, Stdio};
    let home = tempfile::tempdir().unwrap();
    // Far more output than a pipe holds, so sdi is still writing when the reader goes.
    let mut child = Command::new(assert_cmd::cargo::cargo_bin("sdi"))
        .args(["drill", "--print", "--key", "--count", "200", "--seed", "1"])
        .env("SDI_HOME", home.path())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut first = [0u8; 16];
    let mut stdout = child.stdout.take().unwrap();
    stdout.read_exact(&mut first).unwrap();
    drop(stdout);
    let output = child.wait_with_output().unwrap();
    assert_eq!(output.status.code(), Some(0));
    assert_eq!(
        String::from_utf8_lossy(&output.stderr),
        "",
        "no error, no panic"
    );
}

/// A user who clones the repository has nothing outside it: no file may point
/// at the documents the project was started from.
#[test]
fn the_repository_cites_nothing_outside_itself() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut stack = vec![root.to_path_buf()];
    let mut offenders = Vec::new();
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).unwrap() {
            let path = entry.unwrap().path();
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            if name.starts_with('.') || name == "target" {
                continue;
            }
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            let Ok(text) = std::fs::read_to_string(&path) else {
                continue;
            };
            // Spelled in pieces so that this file does not match itself.
            for tail in ["reference", "seeds", "DESIGN"] {
                let needle = format!("{}/{tail}", "shared");
                if text.contains(&needle) {
                    offenders.push(format!("{}: {needle}", path.display()));
                }
            }
        }
    }
    assert!(offenders.is_empty(), "{offenders:#?}");
}
