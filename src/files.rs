//! Reading the files a user points `sdi` at (bank files, answers files, the
//! history, transcripts) so that no file can make it hang or eat the machine:
//! only regular files are opened (a FIFO would block, `/dev/zero` never ends),
//! and reading stops at a limit whatever size the file claims, since a device
//! or a growing file reports a size that means nothing.

use std::fs::File;
use std::io::{BufRead, Read};
use std::path::Path;

/// Why a file could not be read.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ReadError {
    #[error("{0} is not a regular file ({1}): give the path of a file")]
    NotAFile(String, &'static str),
    #[error("{0} is over the limit of {1}: is it the file you meant?")]
    TooLarge(String, String),
    #[error("{0} is not UTF-8 text (line {1}, column {2}): save it as UTF-8")]
    NotUtf8(String, usize, usize),
    #[error("cannot read {0}: {1}")]
    Io(String, std::io::Error),
}

impl ReadError {
    /// Where the trouble is, when it is a place in the file.
    #[cfg(test)]
    pub(crate) fn position(&self) -> Option<(usize, usize)> {
        match self {
            ReadError::NotUtf8(_, line, column) => Some((*line, *column)),
            _ => None,
        }
    }

    /// True when the file does not exist.
    pub(crate) fn is_missing(&self) -> bool {
        matches!(self, ReadError::Io(_, e) if e.kind() == std::io::ErrorKind::NotFound)
    }
}

/// A byte count as people read it: `1 MiB`, `64 KiB`.
pub(crate) fn size_text(bytes: u64) -> String {
    if bytes >= 1 << 20 && bytes.is_multiple_of(1 << 20) {
        format!("{} MiB", bytes >> 20)
    } else if bytes >= 1 << 10 && bytes.is_multiple_of(1 << 10) {
        format!("{} KiB", bytes >> 10)
    } else {
        format!("{bytes} bytes")
    }
}

/// Opens a regular file (following symbolic links) for reading; anything else
/// is refused before it is opened.
pub(crate) fn open_regular(path: &Path) -> Result<File, ReadError> {
    let shown = path.display().to_string();
    let meta = std::fs::metadata(path).map_err(|e| ReadError::Io(shown.clone(), e))?;
    if !meta.is_file() {
        return Err(ReadError::NotAFile(shown, kind_of(&meta)));
    }
    File::open(path).map_err(|e| ReadError::Io(shown, e))
}

fn kind_of(meta: &std::fs::Metadata) -> &'static str {
    let t = meta.file_type();
    if t.is_dir() {
        return "a folder";
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::FileTypeExt;
        if t.is_fifo() {
            return "a named pipe";
        }
        if t.is_char_device() || t.is_block_device() {
            return "a device";
        }
        if t.is_socket() {
            return "a socket";
        }
    }
    "not a file"
}

/// Reads a regular file as UTF-8 text, refusing it past `limit` bytes.
pub(crate) fn read_text(path: &Path, limit: u64) -> Result<String, ReadError> {
    let file = open_regular(path)?;
    read_bounded(file, &path.display().to_string(), limit)
}

/// Reads a stream as UTF-8 text, refusing it past `limit` bytes; `name` says
/// what it is in messages (a path, or "standard input").
pub(crate) fn read_bounded(source: impl Read, name: &str, limit: u64) -> Result<String, ReadError> {
    let mut bytes = Vec::new();
    source
        .take(limit + 1)
        .read_to_end(&mut bytes)
        .map_err(|e| ReadError::Io(name.to_string(), e))?;
    if bytes.len() as u64 > limit {
        return Err(ReadError::TooLarge(name.to_string(), size_text(limit)));
    }
    String::from_utf8(bytes).map_err(|e| {
        let valid = &e.as_bytes()[..e.utf8_error().valid_up_to()];
        let line = valid.iter().filter(|b| **b == b'\n').count() + 1;
        let column = valid.iter().rev().take_while(|b| **b != b'\n').count() + 1;
        ReadError::NotUtf8(name.to_string(), line, column)
    })
}

/// One line of a line-based file, read with a length limit.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Line {
    /// The line's text, without its newline (invalid UTF-8 replaced).
    Text(String),
    /// A line longer than the limit, skipped whole without being kept.
    TooLong,
}

/// Reads lines of at most `limit` bytes each: memory stays bounded by the
/// limit, not by the file, and a file with no newline at all (a device, a
/// damaged file) costs one skipped line, not the machine.
pub(crate) struct Lines<R> {
    reader: R,
    limit: usize,
    done: bool,
}

impl<R: BufRead> Lines<R> {
    pub(crate) fn new(reader: R, limit: usize) -> Lines<R> {
        Lines {
            reader,
            limit,
            done: false,
        }
    }
}

impl<R: BufRead> Iterator for Lines<R> {
    type Item = std::io::Result<Line>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        let mut line: Vec<u8> = Vec::new();
        let mut too_long = false;
        loop {
            let buffer = match self.reader.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Some(Err(e)),
            };
            if buffer.is_empty() {
                self.done = true;
                if line.is_empty() && !too_long {
                    return None;
                }
                break;
            }
            let (chunk, found) = match buffer.iter().position(|&b| b == b'\n') {
                Some(i) => (&buffer[..i], Some(i)),
                None => (buffer, None),
            };
            if !too_long {
                if line.len() + chunk.len() > self.limit {
                    too_long = true;
                    line = Vec::new();
                } else {
                    line.extend_from_slice(chunk);
                }
            }
            let used = found.map_or(chunk.len(), |i| i + 1);
            self.reader.consume(used);
            if found.is_some() {
                break;
            }
        }
        Some(Ok(if too_long {
            Line::TooLong
        } else {
            if line.last() == Some(&b'\r') {
                line.pop();
            }
            Line::Text(String::from_utf8_lossy(&line).into_owned())
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn devices_folders_and_pipes_are_refused_unopened() {
        let dir = tempfile::tempdir().unwrap();
        let err = read_text(dir.path(), 1024).unwrap_err();
        assert!(err.to_string().contains("a folder"), "{err}");
        #[cfg(unix)]
        {
            let err = read_text(Path::new("/dev/zero"), 1024).unwrap_err();
            assert!(err.to_string().contains("a device"), "{err}");
            let link = dir.path().join("zero.yaml");
            std::os::unix::fs::symlink("/dev/zero", &link).unwrap();
            let err = read_text(&link, 1024).unwrap_err();
            assert!(err.to_string().contains("a device"), "{err}");
        }
    }

    #[test]
    fn reading_stops_at_the_limit() {
        let err = read_bounded(std::io::repeat(b'a'), "zeros", 1000).unwrap_err();
        assert!(
            err.to_string().contains("over the limit of 1000 bytes"),
            "{err}"
        );
        assert_eq!(read_bounded(&b"abc"[..], "x", 3).unwrap(), "abc");
        let err = read_bounded(&b"ok\n\xff"[..], "bin", 10).unwrap_err();
        assert_eq!(err.position(), Some((2, 1)));
    }

    #[test]
    fn long_lines_are_skipped_without_being_kept() {
        let text = format!("one\n{}\ntwo\r\nthree", "x".repeat(50));
        let lines: Vec<Line> = Lines::new(text.as_bytes(), 10)
            .map(|l| l.unwrap())
            .collect();
        assert_eq!(
            lines,
            [
                Line::Text("one".into()),
                Line::TooLong,
                Line::Text("two".into()),
                Line::Text("three".into())
            ]
        );
        // A stream without newlines is one line, skipped, and the reading ends.
        let endless = std::io::BufReader::new(std::io::repeat(0).take(1 << 20));
        let lines: Vec<Line> = Lines::new(endless, 1000).map(|l| l.unwrap()).collect();
        assert_eq!(lines, [Line::TooLong]);
    }
}
