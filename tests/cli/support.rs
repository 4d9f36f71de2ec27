//! The test harness: a builder for one run of `sdi` with an isolated environment
//! (its own `SDI_HOME`, no `SDI_BANK`, no color), and assertions on the result.

// Each test module uses a different part of the harness.
#![allow(dead_code)]

use assert_cmd::Command;
use std::path::{Path, PathBuf};
use tempfile::TempDir;

/// A scratch home for saved data, kept alive for the test's duration so several
/// runs can share it.
pub(crate) struct Home {
    dir: TempDir,
}

impl Home {
    pub(crate) fn new() -> Home {
        Home {
            dir: tempfile::tempdir().expect("a temp dir"),
        }
    }

    pub(crate) fn path(&self) -> &Path {
        self.dir.path()
    }

    pub(crate) fn sdi(&self) -> Sdi {
        Sdi::in_home(self.path().to_path_buf())
    }
}

pub(crate) struct Sdi {
    cmd: Command,
    // Keeps a one-off home alive until the run ends.
    _own_home: Option<Home>,
}

impl Sdi {
    /// A run with a fresh, empty home.
    pub(crate) fn new() -> Sdi {
        let home = Home::new();
        let mut sdi = Sdi::in_home(home.path().to_path_buf());
        sdi._own_home = Some(home);
        sdi
    }

    fn in_home(home: PathBuf) -> Sdi {
        let mut cmd = Command::cargo_bin("sdi").expect("the sdi binary");
        cmd.env("SDI_HOME", home)
            .env_remove("SDI_BANK")
            .env("NO_COLOR", "1")
            .env("COLUMNS", "120");
        Sdi {
            cmd,
            _own_home: None,
        }
    }

    pub(crate) fn args<I, S>(mut self, args: I) -> Sdi
    where
        I: IntoIterator<Item = S>,
        S: AsRef<std::ffi::OsStr>,
    {
        self.cmd.args(args);
        self
    }

    pub(crate) fn env(mut self, key: &str, value: impl AsRef<std::ffi::OsStr>) -> Sdi {
        self.cmd.env(key, value);
        self
    }

    pub(crate) fn stdin(mut self, input: impl Into<Vec<u8>>) -> Sdi {
        self.cmd.write_stdin(input);
        self
    }

    pub(crate) fn current_dir(mut self, dir: impl AsRef<Path>) -> Sdi {
        self.cmd.current_dir(dir);
        self
    }

    pub(crate) fn run(mut self) -> Run {
        let output = self.cmd.output().expect("sdi runs");
        Run {
            stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&output.stderr).into_owned(),
            code: output.status.code(),
        }
    }
}

/// What one run printed and how it exited.
#[derive(Debug)]
pub(crate) struct Run {
    pub stdout: String,
    pub stderr: String,
    pub code: Option<i32>,
}

impl Run {
    #[track_caller]
    pub(crate) fn code(&self, expected: i32) -> &Run {
        assert_eq!(
            self.code,
            Some(expected),
            "exit code\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn success(&self) -> &Run {
        self.code(0)
    }

    #[track_caller]
    pub(crate) fn failure(&self) -> &Run {
        self.code(1)
    }

    #[track_caller]
    pub(crate) fn stdout_has(&self, needle: &str) -> &Run {
        assert!(
            self.stdout.contains(needle),
            "stdout lacks {needle:?}\n--- stdout\n{}\n--- stderr\n{}",
            self.stdout,
            self.stderr
        );
        self
    }

    #[track_caller]
    pub(crate) fn stderr_has(&self, needle: &str) -> &Run {
        assert!(
            self.stderr.contains(needle),
            "stderr lacks {needle:?}\n--- stderr\n{}\n--- stdout\n{}",
            self.stderr,
            self.stdout
        );
        self
    }

    #[track_caller]
    pub(crate) fn json(&self) -> serde_json::Value {
        serde_json::from_str(&self.stdout).unwrap_or_else(|e| {
            panic!(
                "stdout is not JSON ({e}):\n{}\n{}",
                self.stdout, self.stderr
            )
        })
    }
}

/// The problems the built-in bank ships. The first five have strong, average
/// and weak answers under `tests/fixtures/answers/`; every one has a blind
/// calibration corpus under `tests/grading/`.
pub(crate) const SHIPPED: [&str; 13] = [
    "ad-click-aggregation",
    "chat",
    "file-sync",
    "news-feed",
    "notification-system",
    "payments",
    "rate-limiter",
    "ride-hailing",
    "ticket-booking",
    "typeahead",
    "url-shortener",
    "video-streaming",
    "web-crawler",
];

/// The directory holding test fixtures.
pub(crate) fn fixtures() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures")
}

/// The calibration corpus: answers graded by hand (`tests/grading/`).
pub(crate) fn corpus() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/grading")
}

/// The entry of a JSON list (criteria, estimates) with the given `id`.
#[track_caller]
pub(crate) fn by_id<'a>(list: &'a serde_json::Value, id: &str) -> &'a serde_json::Value {
    list.as_array()
        .unwrap_or_else(|| panic!("{list} is not a list"))
        .iter()
        .find(|e| e["id"] == id)
        .unwrap_or_else(|| panic!("no entry `{id}`"))
}

/// Relative closeness for floats printed in JSON.
#[track_caller]
pub(crate) fn assert_close(got: &serde_json::Value, expected: f64) {
    let got = got
        .as_f64()
        .unwrap_or_else(|| panic!("{got} is not a number"));
    assert!(
        ((got - expected) / expected).abs() < 1e-9,
        "got {got}, expected {expected}"
    );
}
