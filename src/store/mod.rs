//! Saved data under `$SDI_HOME` (else the platform data directory): the history
//! (`history.jsonl`, one record per session or drill answer) and one JSON
//! transcript per session (`sessions/<id>.json`).
//!
//! History lines are appended with one write each, under an exclusive file lock,
//! so two `sdi` processes at once lose nothing. Transcripts are written to a
//! temporary file and renamed into place, so a crash never leaves half a file. A
//! corrupted history line is skipped with a warning and never rewritten away.

mod time;

pub(crate) use time::{format_date, format_duration};

use crate::bank::Skill;
use crate::quantity::Verdict;
use crate::session::{Mode, Status, Transcript};
use anyhow::{Context, anyhow};
use serde::{Deserialize, Serialize};
use std::collections::HashSet;
use std::fs::{File, OpenOptions};
use std::io::Write;
use std::path::{Path, PathBuf};
use std::rc::Rc;

/// One line of `history.jsonl`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase")]
pub(crate) enum Record {
    Session(SessionRecord),
    Drill(DrillRecord),
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct SessionRecord {
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
    pub(crate) fn from_transcript(t: &Transcript) -> SessionRecord {
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

/// One drill answer. The run and template names repeat across hundreds of
/// thousands of records, so they are shared, not copied.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub(crate) struct DrillRecord {
    /// The `sdi drill` run this answer belongs to.
    pub run: Rc<str>,
    /// Unix seconds.
    pub at: u64,
    /// The question template (`url-shortener/write_qps`, `fundamentals/nines-downtime`).
    pub template: Rc<str>,
    pub skill: Skill,
    pub verdict: Verdict,
    /// answer / reference, when comparable.
    pub ratio: Option<f64>,
    pub seconds: f64,
}

/// History lines longer than this are not records (a record is a few hundred
/// bytes): they are skipped, never held in memory.
const HISTORY_LINE_LIMIT: usize = 1024 * 1024;
/// Transcripts larger than this are not read.
const TRANSCRIPT_LIMIT: u64 = 16 * 1024 * 1024;

/// Appends `bytes` to a file opened for appending, starting a new line first
/// when the file's last line was cut short; on failure, truncates the file
/// back to where it was.
fn append_whole(file: &mut File, bytes: &[u8]) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    let before = file.metadata()?.len();
    let mut ends_a_line = true;
    if before > 0 {
        file.seek(SeekFrom::Start(before - 1))?;
        let mut last = [0u8; 1];
        file.read_exact(&mut last)?;
        ends_a_line = last[0] == b'\n';
    }
    let mut text = Vec::with_capacity(bytes.len() + 1);
    if !ends_a_line {
        text.push(b'\n');
    }
    text.extend_from_slice(bytes);
    let written = file.write_all(&text).and_then(|()| file.flush());
    if written.is_err() {
        // Leave no fragment for the next record to glue onto.
        let _ = file.set_len(before);
    }
    written
}

/// Reads one transcript, bounded.
fn read_transcript(path: &Path) -> anyhow::Result<Transcript> {
    let text = crate::files::read_text(path, TRANSCRIPT_LIMIT)
        .map_err(|e| anyhow!("cannot read the transcript: {e}"))?;
    serde_json::from_str(&text)
        .with_context(|| format!("{} is not a transcript sdi can read", path.display()))
}

/// True when the process that ran a session is still alive (on Linux, by
/// asking the kernel through /proc; elsewhere a session found in progress is
/// taken as interrupted, the safe side for a record).
fn still_running(pid: Option<u32>) -> bool {
    let Some(pid) = pid else {
        return false;
    };
    if pid == std::process::id() {
        return true;
    }
    #[cfg(target_os = "linux")]
    {
        Path::new("/proc").join(pid.to_string()).exists()
    }
    #[cfg(not(target_os = "linux"))]
    {
        false
    }
}

/// A session as `sdi history` lists it: the record, and its date.
#[derive(Debug, Clone, serde::Serialize)]
pub(crate) struct HistoryRow<'a> {
    #[serde(flatten)]
    pub(crate) record: &'a SessionRecord,
    /// UTC, `2026-11-25 14:21`.
    pub(crate) date: String,
}

impl<'a> HistoryRow<'a> {
    pub(crate) fn new(record: &'a SessionRecord) -> HistoryRow<'a> {
        HistoryRow {
            record,
            date: format_date(record.started),
        }
    }
}

/// The saved data folder.
#[derive(Debug, Clone)]
pub(crate) struct Store {
    root: PathBuf,
}

/// History as read: the sessions and the drill answers, each in file order
/// (kept apart, so hundreds of thousands of small drill records do not each
/// take the room of a session record), and a warning per line that could not
/// be read.
#[derive(Debug, Default)]
pub(crate) struct History {
    session_records: Vec<SessionRecord>,
    drill_records: Vec<DrillRecord>,
    pub warnings: Vec<String>,
}

impl History {
    pub(crate) fn sessions(&self) -> impl Iterator<Item = &SessionRecord> {
        self.session_records.iter()
    }

    pub(crate) fn drills(&self) -> impl Iterator<Item = &DrillRecord> {
        self.drill_records.iter()
    }

    /// How many records were read.
    #[cfg(test)]
    pub(crate) fn len(&self) -> usize {
        self.session_records.len() + self.drill_records.len()
    }

    /// The latest record of each session id (a session is recorded again when
    /// it ends, after a partial record), in the order sessions first appear:
    /// one pass with a map, so 40,000 sessions cost no more than their reading.
    pub(crate) fn latest_sessions(&self) -> Vec<&SessionRecord> {
        let mut out: Vec<&SessionRecord> = Vec::new();
        let mut at: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
        for s in self.sessions() {
            match at.get(s.id.as_str()) {
                Some(&i) => out[i] = s,
                None => {
                    at.insert(s.id.as_str(), out.len());
                    out.push(s);
                }
            }
        }
        out
    }

    /// The score of the latest finished session of a problem.
    pub(crate) fn last_score(&self, problem: &str) -> Option<f64> {
        self.latest_sessions()
            .into_iter()
            .filter(|s| s.problem == problem && s.status != Status::Abandoned)
            .filter_map(|s| s.score)
            .next_back()
    }
}

impl Store {
    /// `$SDI_HOME` when set, else `<data dir>/sdi`.
    pub(crate) fn locate() -> anyhow::Result<Store> {
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

    #[cfg(test)]
    pub(crate) fn at(root: impl Into<PathBuf>) -> Store {
        Store { root: root.into() }
    }

    fn history_path(&self) -> PathBuf {
        self.root.join("history.jsonl")
    }

    fn sessions_dir(&self) -> PathBuf {
        self.root.join("sessions")
    }

    /// Creates the folders and checks they can be written, so a session never
    /// starts only to fail at its end.
    pub(crate) fn ensure_writable(&self) -> anyhow::Result<()> {
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
    pub(crate) fn append(&self, record: &Record) -> anyhow::Result<()> {
        self.append_all(std::slice::from_ref(record))
    }

    /// Appends records in one write, under an exclusive lock, flushed: two `sdi`
    /// processes appending at once never interleave or lose a line. A last line
    /// cut short (a full disk, a crash) is ended first, so the next record never
    /// glues onto it; a write that fails is undone, so it leaves no fragment.
    pub(crate) fn append_all(&self, records: &[Record]) -> anyhow::Result<()> {
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
        let path = self.history_path();
        let mut file = OpenOptions::new()
            .create(true)
            .read(true)
            .append(true)
            .open(&path)
            .with_context(|| format!("cannot write {}", path.display()))?;
        file.lock().context("cannot lock the history file")?;
        let written = append_whole(&mut file, text.as_bytes());
        let _ = file.unlock();
        written.with_context(|| format!("cannot append to {}", path.display()))
    }

    /// Reads the history, drills and sessions; a missing file is an empty
    /// history. The file is read a line at a time (a line over 1 MiB is
    /// skipped with a warning), so memory follows what is kept, not the file.
    pub(crate) fn history(&self) -> anyhow::Result<History> {
        let mut drills = Vec::new();
        let mut history = self.read_history(Some(&mut |d| drills.push(d)))?;
        history.drill_records = drills;
        Ok(history)
    }

    /// Reads the sessions, and hands each drill answer to `drill` as it is
    /// read instead of keeping it (`sdi stats` sums them): memory follows the
    /// sessions, not the millions of answers a long history may hold.
    pub(crate) fn history_streaming(
        &self,
        drill: &mut dyn FnMut(DrillRecord),
    ) -> anyhow::Result<History> {
        self.read_history(Some(drill))
    }

    /// Reads only the sessions of the history (for `history`, `list` and
    /// `report`): drill answers, by far the most lines, are not kept.
    pub(crate) fn sessions(&self) -> anyhow::Result<History> {
        self.read_history(None)
    }

    fn read_history(
        &self,
        mut drills: Option<&mut dyn FnMut(DrillRecord)>,
    ) -> anyhow::Result<History> {
        let path = self.history_path();
        let file = match crate::files::open_regular(&path) {
            Ok(f) => f,
            Err(e) if e.is_missing() => return Ok(History::default()),
            Err(e) => return Err(anyhow!("{e}")),
        };
        let mut history = History::default();
        let mut names: HashSet<Rc<str>> = HashSet::new();
        let mut share = |name: &mut Rc<str>| match names.get(name) {
            Some(known) => *name = known.clone(),
            None => {
                names.insert(name.clone());
            }
        };
        let lines = crate::files::Lines::new(std::io::BufReader::new(file), HISTORY_LINE_LIMIT);
        for (i, line) in lines.enumerate() {
            let line = line.with_context(|| format!("cannot read {}", path.display()))?;
            let where_ = format!("{}:{}", path.display(), i + 1);
            match line {
                crate::files::Line::TooLong => history.warnings.push(format!(
                    "{where_}: skipped a line over 1 MiB (not a history record)"
                )),
                crate::files::Line::Text(text) if text.trim().is_empty() => {}
                // `sdi` writes the kind first: drills are skipped unread
                // when only sessions are wanted.
                crate::files::Line::Text(text)
                    if drills.is_none() && text.starts_with(r#"{"kind":"drill""#) => {}
                crate::files::Line::Text(text) => match serde_json::from_str::<Record>(&text) {
                    Ok(Record::Drill(mut d)) => {
                        if let Some(keep) = drills.as_mut() {
                            share(&mut d.run);
                            share(&mut d.template);
                            keep(d);
                        }
                    }
                    Ok(Record::Session(r)) => history.session_records.push(r),
                    Err(e) => history.warnings.push(format!(
                        "{where_}: skipped a line that is not a history record ({e})"
                    )),
                },
            }
        }
        Ok(history)
    }

    /// Writes a transcript whole: to a temporary file, then renamed into place.
    pub(crate) fn save_transcript(&self, t: &Transcript) -> anyhow::Result<PathBuf> {
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
    pub(crate) fn find_session(&self, wanted: &str) -> anyhow::Result<Transcript> {
        let history = self.sessions()?;
        let interrupted = self.interrupted(&history);
        let mut sessions = history.latest_sessions();
        sessions.extend(interrupted.iter());
        sessions.sort_by_key(|s| s.started);
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
        let mut transcript = read_transcript(&path)?;
        if transcript.status == Status::InProgress && !still_running(transcript.pid) {
            transcript.status = Status::Interrupted;
        }
        Ok(transcript)
    }

    /// Sessions whose transcript says they are in progress but whose process
    /// is gone (killed, crashed), and which the history never recorded: they
    /// are listed as interrupted, never as completed. Only transcripts missing
    /// from the history are opened.
    pub(crate) fn interrupted(&self, history: &History) -> Vec<SessionRecord> {
        let known: HashSet<&str> = history.sessions().map(|s| s.id.as_str()).collect();
        let Ok(entries) = std::fs::read_dir(self.sessions_dir()) else {
            return Vec::new();
        };
        let mut out: Vec<SessionRecord> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| {
                let name = e.file_name().to_string_lossy().into_owned();
                let id = name.strip_suffix(".json")?.to_string();
                (!id.starts_with('.') && !known.contains(id.as_str())).then_some(e.path())
            })
            .filter_map(|path| read_transcript(&path).ok())
            .filter(|t| t.status == Status::InProgress && !still_running(t.pid))
            .map(|mut t| {
                t.status = Status::Interrupted;
                SessionRecord::from_transcript(&t)
            })
            .collect();
        out.sort_by_key(|s| s.started);
        out
    }

    /// A new session id: the time, the problem, and a suffix that keeps two
    /// sessions started in the same second apart.
    pub(crate) fn new_session_id(unix: u64, problem: &str) -> String {
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

    /// Bytes written to the history as they are, as a crash or another tool might.
    fn append_raw(dir: &Path, bytes: &[u8]) {
        OpenOptions::new()
            .append(true)
            .open(dir.join("history.jsonl"))
            .unwrap()
            .write_all(bytes)
            .unwrap();
    }

    fn drill(run: &str) -> Record {
        Record::Drill(DrillRecord {
            run: run.into(),
            at: 1,
            template: "t".into(),
            skill: Skill::Qps,
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
        append_raw(dir.path(), b"{not json\n");
        store.append(&drill("b")).unwrap();
        let history = store.history().unwrap();
        assert_eq!(history.len(), 2);
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
        assert_eq!(history.len(), 400);
        assert!(history.warnings.is_empty());
    }

    #[test]
    fn a_line_cut_short_does_not_swallow_the_next_record() {
        // A full disk or a crash left half a record at the end of the file.
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        store.append(&drill("a")).unwrap();
        append_raw(dir.path(), br#"{"kind":"drill","run":"b","at":1,"templ"#);
        store
            .append_all(&[drill("c"), drill("d"), drill("e")])
            .unwrap();
        let history = store.history().unwrap();
        let runs: Vec<&str> = history.drills().map(|d| &*d.run).collect();
        assert_eq!(runs, ["a", "c", "d", "e"], "every new answer is kept");
        assert_eq!(
            history.warnings.len(),
            1,
            "the fragment is skipped, with a warning"
        );
    }

    #[test]
    fn a_history_that_is_not_a_file_is_refused_and_long_lines_are_skipped() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        std::fs::write(
            dir.path().join("history.jsonl"),
            format!("{}\n", "x".repeat(2 * HISTORY_LINE_LIMIT)),
        )
        .unwrap();
        store.append(&drill("a")).unwrap();
        let history = store.history().unwrap();
        assert_eq!(history.len(), 1);
        assert!(history.warnings[0].contains("over 1 MiB"));
        #[cfg(unix)]
        {
            let dir = tempfile::tempdir().unwrap();
            std::os::unix::fs::symlink("/dev/zero", dir.path().join("history.jsonl")).unwrap();
            let err = Store::at(dir.path()).history().unwrap_err();
            assert!(format!("{err}").contains("a device"), "{err}");
        }
    }

    #[test]
    fn a_session_found_in_progress_with_its_process_gone_is_interrupted() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::at(dir.path());
        // A process that has exited: its id names no running process.
        let mut child = std::process::Command::new("true").spawn().unwrap();
        let gone = child.id();
        child.wait().unwrap();
        let transcript = Transcript {
            id: "20260101-000000-chat-abcd".into(),
            problem: "chat".into(),
            title: "Chat".into(),
            mode: Mode::Mock,
            started: 1_700_000_000,
            minutes_allowed: Some(45.0),
            phases: Vec::new(),
            estimates: Default::default(),
            self_marks: Default::default(),
            status: Status::InProgress,
            pid: Some(gone),
            seconds: 120.0,
            report: None,
            only: None,
        };
        store.save_transcript(&transcript).unwrap();
        let history = store.history().unwrap();
        let interrupted = store.interrupted(&history);
        assert_eq!(interrupted.len(), 1);
        assert_eq!(interrupted[0].status, Status::Interrupted);
        let found = store.find_session("20260101").unwrap();
        assert_eq!(
            found.status,
            Status::Interrupted,
            "never shown as completed"
        );
        // A session still running (this process) is not interrupted.
        let running = Transcript {
            id: "20260101-000001-chat-abcd".into(),
            pid: Some(std::process::id()),
            ..transcript
        };
        store.save_transcript(&running).unwrap();
        assert_eq!(store.interrupted(&history).len(), 1);
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
