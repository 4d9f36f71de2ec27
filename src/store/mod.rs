//! Saved data under `$SDI_HOME` (else the platform data directory): the history
//! (`history.jsonl`, one record per session or drill answer) and one JSON
//! transcript per session (`sessions/<id>.json`).
//!
//! History lines are appended with one write each, under an exclusive file lock,
//! so two `sdi` processes at once lose nothing. Transcripts are written to a
//! temporary file and renamed into place, so a crash never leaves half a file. A
//! corrupted history line is skipped with a warning and never rewritten away.

mod time;

pub use time::{format_date, format_duration};

use crate::quantity::Verdict;
use crate::session::{Mode, Status, Transcript};
use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};

/// One line of `history.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub enum Record {
    Session(SessionRecord),
    Drill(DrillRecord),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct SessionRecord {
    pub id: String,
    pub problem: String,
    pub title: String,
    pub mode: Mode,
    /// Unix seconds.
    pub started: u64,
    pub seconds: f64,
    pub status: Status,
    /// 0-100 (for an abandoned session, the score of what was typed).
    pub score: Option<f64>,
    pub level: Option<String>,
    /// Criteria not covered, by id: what `stats` counts.
    #[serde(default)]
    pub missed: Vec<String>,
}

impl SessionRecord {
    pub fn from_transcript(t: &Transcript) -> SessionRecord {
        SessionRecord {
            id: t.id.clone(),
            problem: t.problem.clone(),
            title: t.title.clone(),
            mode: t.mode,
            started: t.started,
            seconds: t.seconds,
            status: t.status,
            score: t.report.as_ref().map(|r| r.score),
            level: t.report.as_ref().map(|r| r.level.label.clone()),
            missed: t
                .report
                .as_ref()
                .map(|r| {
                    r.criteria
                        .iter()
                        .filter(|c| c.mark() == crate::grade::Mark::Missed)
                        .map(|c| c.id.clone())
                        .collect()
                })
                .unwrap_or_default(),
        }
    }
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct DrillRecord {
    /// The `sdi drill` run this answer belongs to.
    pub run: String,
    /// Unix seconds.
    pub at: u64,
    /// The question template (`url-shortener/write_qps`, `fundamentals/nines-downtime`).
    pub template: String,
    pub skill: String,
    pub verdict: Verdict,
    /// answer / reference, when comparable.
    pub ratio: Option<f64>,
    pub seconds: f64,
}

/// The saved data folder.
#[derive(Debug, Clone)]
pub struct Store {
    root: PathBuf,
}

/// History as read: the records, and a warning per line that could not be read.
#[derive(Debug, Default)]
pub struct History {
    pub records: Vec<Record>,
    pub warnings: Vec<String>,
}

impl History {
    pub fn sessions(&self) -> impl Iterator<Item = &SessionRecord> {
        self.records.iter().filter_map(|r| match r {
            Record::Session(s) => Some(s),
            Record::Drill(_) => None,
        })
    }

    pub fn drills(&self) -> impl Iterator<Item = &DrillRecord> {
        self.records.iter().filter_map(|r| match r {
            Record::Drill(d) => Some(d),
            Record::Session(_) => None,
        })
    }

    /// The latest record of each session id (a session is recorded again when
    /// it ends, after a partial record).
    pub fn latest_sessions(&self) -> Vec<&SessionRecord> {
        let mut out: Vec<&SessionRecord> = Vec::new();
        for s in self.sessions() {
            match out.iter().position(|o| o.id == s.id) {
                Some(i) => out[i] = s,
                None => out.push(s),
            }
        }
        out
    }

    /// The score of the latest finished session of a problem.
    pub fn last_score(&self, problem: &str) -> Option<f64> {
        self.latest_sessions()
            .into_iter()
            .filter(|s| s.problem == problem && s.status != Status::Abandoned)
            .filter_map(|s| s.score)
            .next_back()
    }
}

impl Store {
    /// `$SDI_HOME` when set, else `<data dir>/sdi`.
    pub fn locate() -> anyhow::Result<Store> {
        if let Some(home) = std::env::var_os("SDI_HOME").filter(|h| !h.is_empty()) {
            return Ok(Store {
                root: PathBuf::from(home),
            });
        }
        let data = dirs::data_dir().ok_or_else(|| {
            anyhow!("no data directory on this system: set SDI_HOME to a folder sdi may write")
        })?;
        Ok(Store {
            root: data.join("sdi"),
        })
    }

    pub fn at(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    pub fn root(&self) -> &Path {
        &self.root
    }

    fn history_path(&self) -> PathBuf {
        self.root.join("history.jsonl")
    }

    fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }

    /// Creates the folders and checks they can be written, so a session never
    /// starts only to fail at its end.
    pub fn ensure_writable(&self) -> anyhow::Result<()> {
        let hint = "set SDI_HOME to a folder you can write";
        std::fs::create_dir_all(self.sessions_dir())
            .with_context(|| format!("cannot create {} ({hint})", self.sessions_dir().display()))?;
        OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.history_path())
            .with_context(|| format!("cannot write {} ({hint})", self.history_path().display()))?;
        let probe = self
            .sessions_dir()
            .join(format!(".probe-{}", std::process::id()));
        File::create(&probe).with_context(|| {
            format!("cannot write in {} ({hint})", self.sessions_dir().display())
        })?;
        let _ = std::fs::remove_file(probe);
        Ok(())
    }

    /// Appends one record: one write of one line, under an exclusive lock, flushed.
    pub fn append(&self, record: &Record) -> anyhow::Result<()> {
        self.append_all(std::slice::from_ref(record))
    }

    /// Appends records in one write, under an exclusive lock, flushed: two `sdi`
    /// processes appending at once never interleave or lose a line.
    pub fn append_all(&self, records: &[Record]) -> anyhow::Result<()> {
        if records.is_empty() {
            return Ok(());
        }
        let mut text = String::new();
        for r in records {
            text.push_str(&serde_json::to_string(r)?);
            text.push('\n');
        }
        std::fs::create_dir_all(&self.root)
            .with_context(|| format!("cannot create {}", self.root.display()))?;
        let mut file = OpenOptions::new()
            .create(true)
            .append(true)
            .open(self.history_path())
            .with_context(|| format!("cannot write {}", self.history_path().display()))?;
        file.lock().context("cannot lock the history file")?;
        let written = file.write_all(text.as_bytes()).and_then(|()| file.flush());
        let _ = file.unlock();
        written.with_context(|| format!("cannot append to {}", self.history_path().display()))
    }

    /// Reads the history; a missing file is an empty history.
    pub fn history(&self) -> anyhow::Result<History> {
        let text = match std::fs::read(self.history_path()) {
            Ok(bytes) => String::from_utf8_lossy(&bytes).into_owned(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(History::default()),
            Err(e) => {
                return Err(e)
                    .with_context(|| format!("cannot read {}", self.history_path().display()));
            }
        };
        let mut history = History::default();
        for (i, line) in text.lines().enumerate() {
            if line.trim().is_empty() {
                continue;
            }
            match serde_json::from_str::<Record>(line) {
                Ok(r) => history.records.push(r),
                Err(e) => history.warnings.push(format!(
                    "{}:{}: skipped a line that is not a history record ({e})",
                    self.history_path().display(),
                    i + 1
                )),
            }
        }
        Ok(history)
    }

    /// Writes a transcript whole: to a temporary file, then renamed into place.
    pub fn save_transcript(&self, t: &Transcript) -> anyhow::Result<PathBuf> {
        let dir = self.sessions_dir();
        std::fs::create_dir_all(&dir)
            .with_context(|| format!("cannot create {}", dir.display()))?;
        let path = dir.join(format!("{}.json", t.id));
        let temp = dir.join(format!(".{}.{}.tmp", t.id, std::process::id()));
        let text = serde_json::to_string_pretty(t)?;
        std::fs::write(&temp, text).with_context(|| format!("cannot write {}", temp.display()))?;
        std::fs::rename(&temp, &path)
            .with_context(|| format!("cannot move {} into place", path.display()))?;
        Ok(path)
    }

    /// Finds a session by id, unique id prefix, or `last`.
    pub fn find_session(&self, wanted: &str) -> anyhow::Result<Transcript> {
        let history = self.history()?;
        let sessions = history.latest_sessions();
        let id = if wanted == "last" {
            sessions.last().map(|s| s.id.clone()).ok_or_else(|| {
                anyhow!("no sessions yet: start one with `sdi practice` or `sdi mock`")
            })?
        } else {
            let matching: Vec<&&SessionRecord> = sessions
                .iter()
                .filter(|s| s.id.starts_with(wanted))
                .collect();
            match matching.as_slice() {
                [one] => one.id.clone(),
                [] => {
                    // The transcript may exist without a history line (a crash).
                    if self.sessions_dir().join(format!("{wanted}.json")).is_file() {
                        wanted.to_string()
                    } else {
                        anyhow::bail!("no session `{wanted}`: `sdi history` lists them")
                    }
                }
                many => anyhow::bail!(
                    "`{wanted}` matches {} sessions ({}): give more of the id",
                    many.len(),
                    many.iter()
                        .map(|s| s.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            }
        };
        let path = self.sessions_dir().join(format!("{id}.json"));
        let text = std::fs::read_to_string(&path)
            .with_context(|| format!("cannot read the transcript {}", path.display()))?;
        serde_json::from_str(&text)
            .with_context(|| format!("{} is not a transcript sdi can read", path.display()))
    }

    /// A new session id: the time, the problem, and a suffix that keeps two
    /// sessions started in the same second apart.
    pub fn new_session_id(unix: u64, problem: &str) -> String {
        let nanos = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
        let suffix = (nanos ^ std::process::id().rotate_left(16)) & 0xffff;
        format!("{}-{problem}-{suffix:04x}", time::compact(unix))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn drill(run: &str) -> Record {
        Record::Drill(DrillRecord {
            run: run.into(),
            at: 1,
            template: "t".into(),
            skill: "qps".into(),
            verdict: Verdict::Ok,
            ratio: Some(1.0),
            seconds: 3.0,
        })
    }

    #[test]
    fn a_corrupted_line_is_skipped_with_a_warning_and_kept() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        store.append(&drill("a")).unwrap();
        std::fs::OpenOptions::new()
            .append(true)
            .open(dir.path().join("history.jsonl"))
            .unwrap()
            .write_all(b"{not json\n")
            .unwrap();
        store.append(&drill("b")).unwrap();
        let history = store.history().unwrap();
        assert_eq!(history.records.len(), 2);
        assert_eq!(history.warnings.len(), 1);
        assert!(history.warnings[0].contains("history.jsonl:2"));
        // Never rewritten away.
        let text = std::fs::read_to_string(dir.path().join("history.jsonl")).unwrap();
        assert!(text.contains("{not json"));
    }

    #[test]
    fn concurrent_appends_lose_nothing() {
        let dir = tempfile::tempdir().unwrap();
        let threads: Vec<_> = (0..8)
            .map(|t| {
                let store = Store::at(dir.path());
                std::thread::spawn(move || {
                    for i in 0..50 {
                        store.append(&drill(&format!("{t}-{i}"))).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let history = Store::at(dir.path()).history().unwrap();
        assert_eq!(history.records.len(), 400);
        assert!(history.warnings.is_empty());
    }

    #[test]
    fn an_unwritable_home_is_refused_before_anything_starts() {
        let dir = tempfile::tempdir().unwrap();
        let blocker = dir.path().join("a-file");
        std::fs::write(&blocker, "").unwrap();
        // A folder cannot be created under a file.
        let err = Store::at(blocker.join("sdi"))
            .ensure_writable()
            .unwrap_err();
        assert!(format!("{err:#}").contains("set SDI_HOME"), "{err:#}");
    }
}
