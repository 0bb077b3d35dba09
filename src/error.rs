//! Errors: every problem with the user's input is a [`Diagnostic`] with a stable code, the place
//! (file, line, field), the cause and the fix. Validation collects all of them before failing.

use std::fmt;
use std::path::{Path, PathBuf};

use serde::Serialize;

/// One problem found in the input, in words a planner can act on.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Diagnostic {
    /// Stable code such as `S1004`; `staffplan explain CODE` prints the long help.
    pub code: &'static str,
    /// Where: `file:line:column`, a field path such as `queue[1].concurrency`, or both.
    pub place: String,
    /// What is wrong, with the offending value.
    pub cause: String,
    /// What to do about it.
    pub fix: String,
}

impl Diagnostic {
    /// A diagnostic with all parts given.
    pub fn new(
        code: &'static str,
        place: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Diagnostic {
            code,
            place: place.into(),
            cause: cause.into(),
            fix: fix.into(),
        }
    }
}

impl fmt::Display for Diagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.code)?;
        if !self.place.is_empty() {
            write!(f, " {}", shorten(&self.place, MAX_PART_BYTES))?;
        }
        write!(f, ": {}", shorten(&self.cause, MAX_PART_BYTES))?;
        if !self.fix.is_empty() {
            write!(f, "; fix: {}", shorten(&self.fix, MAX_PART_BYTES))?;
        }
        Ok(())
    }
}

/// Most characters of one piece of input (a cell, a header, a value) echoed in a message.
pub const ECHO_CHARS: usize = 64;

/// Most bytes of one part of a printed diagnostic (place, cause or fix): a safety net for input
/// echoed without [`echo`], so that a damaged file never floods the terminal.
pub const MAX_PART_BYTES: usize = 2_000;

/// A piece of the user's input as a message echoes it: quoted and escaped as `{:?}` writes it,
/// cut after [`ECHO_CHARS`] characters (`"abc…" (209715200 bytes)`), so that a 200 MB header
/// cell costs one line of stderr. Every message that repeats input goes through this.
pub fn echo(text: &str) -> String {
    match text.char_indices().nth(ECHO_CHARS) {
        None => format!("{text:?}"),
        Some((cut, _)) => {
            let quoted = format!("{:?}", &text[..cut]);
            format!("{}…\" ({} bytes)", &quoted[..quoted.len() - 1], text.len())
        }
    }
}

/// `text` cut to about `max` bytes: its beginning and end, with the number of bytes left out
/// in between. Short texts are returned unchanged.
pub fn shorten(text: &str, max: usize) -> std::borrow::Cow<'_, str> {
    if text.len() <= max {
        return std::borrow::Cow::Borrowed(text);
    }
    let tail_len = max / 5;
    let mut head = max - tail_len;
    while !text.is_char_boundary(head) {
        head -= 1;
    }
    let mut tail = text.len() - tail_len;
    while !text.is_char_boundary(tail) {
        tail += 1;
    }
    std::borrow::Cow::Owned(format!(
        "{} […{} bytes cut…] {}",
        &text[..head],
        tail - head,
        &text[tail..]
    ))
}

/// Errors of the library. [`Error::Input`] is bad input (exit code 2); the others are failures
/// of the environment or the solver.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// One or more problems with the input; each printed on its own line.
    #[error("{}", join_lines(.0))]
    Input(Vec<Diagnostic>),
    /// A file could not be read or written.
    #[error("{}", io_diagnostic(.path, .source))]
    Io {
        /// The file concerned.
        path: PathBuf,
        /// The operating-system error.
        source: std::io::Error,
    },
    /// The solver failed in a way that left no usable plan.
    #[error("{0}")]
    Solver(Diagnostic),
}

fn join_lines(diagnostics: &[Diagnostic]) -> String {
    diagnostics
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("\n")
}

impl Error {
    /// A single input diagnostic as an error.
    pub fn input(
        code: &'static str,
        place: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) -> Self {
        Error::Input(vec![Diagnostic::new(code, place, cause, fix)])
    }

    /// An I/O error on `path`.
    pub fn io(path: &Path, source: std::io::Error) -> Self {
        Error::Io {
            path: path.to_path_buf(),
            source,
        }
    }

    /// The diagnostics carried by this error (an I/O error gives one with code `O1001`).
    pub fn diagnostics(&self) -> Vec<Diagnostic> {
        match self {
            Error::Input(list) => list.clone(),
            Error::Io { path, source } => vec![io_diagnostic(path, source)],
            Error::Solver(d) => vec![d.clone()],
        }
    }

    /// The codes carried by this error, in order.
    pub fn codes(&self) -> Vec<&'static str> {
        self.diagnostics().iter().map(|d| d.code).collect()
    }
}

/// The `O1001` diagnostic of an operating-system error on `path`: what the error means for
/// that path, in words, with the system's own message, and what to do about it.
fn io_diagnostic(path: &Path, source: &std::io::Error) -> Diagnostic {
    use std::io::ErrorKind;
    let shown = path.display().to_string();
    let (cause, fix) = match source.kind() {
        ErrorKind::NotFound => (
            "no such file or directory".to_string(),
            "check the path (paths in a scenario are relative to the scenario file)",
        ),
        ErrorKind::PermissionDenied => (
            "permission denied".to_string(),
            "check the permissions of the file and its directory, or choose another path",
        ),
        ErrorKind::AlreadyExists => (
            format!("{shown} exists and is a file, where a directory is needed"),
            "give a directory (new or existing) as the output, or move the file away",
        ),
        ErrorKind::NotADirectory => (
            format!("a part of {shown} is a file, where a directory is needed"),
            "give a path whose every folder is a directory, or move the file away",
        ),
        ErrorKind::IsADirectory => (
            format!("{shown} is a directory, where a file is needed"),
            "give the path of a file, not of a directory",
        ),
        ErrorKind::StorageFull | ErrorKind::QuotaExceeded => (
            "no space left on the disk".to_string(),
            "free some space, or write the outputs to another disk",
        ),
        ErrorKind::ReadOnlyFilesystem => (
            "the file system is read-only".to_string(),
            "write the outputs to a writable directory",
        ),
        ErrorKind::InvalidData => (
            "the file is not UTF-8 text".to_string(),
            "save the file as UTF-8 (in a spreadsheet: Save As, CSV UTF-8)",
        ),
        ErrorKind::Interrupted => ("interrupted".to_string(), "run the command again"),
        _ => (
            String::new(),
            "check that the path exists and that you may read or write it",
        ),
    };
    let system = source.to_string();
    let cause = if cause.is_empty() || system.to_lowercase().starts_with(&cause.to_lowercase()) {
        system
    } else {
        format!("{cause} ({system})")
    };
    Diagnostic::new("O1001", shown, cause, fix)
}

/// Result with the library's [`Error`].
pub type Result<T, E = Error> = std::result::Result<T, E>;

/// Collects diagnostics during validation so that all of them are reported at once.
#[derive(Debug, Default)]
pub struct Diagnostics {
    list: Vec<Diagnostic>,
}

impl Diagnostics {
    /// An empty collection.
    pub fn new() -> Self {
        Self::default()
    }

    /// Adds one diagnostic.
    pub fn push(
        &mut self,
        code: &'static str,
        place: impl Into<String>,
        cause: impl Into<String>,
        fix: impl Into<String>,
    ) {
        self.list.push(Diagnostic::new(code, place, cause, fix));
    }

    /// Adds the diagnostics of an input error (a file that cannot be read counts: it is a
    /// path the user gave), or returns other errors unchanged.
    pub fn absorb(&mut self, error: Error) -> Result<()> {
        match error {
            Error::Input(list) => {
                self.list.extend(list);
                Ok(())
            }
            io @ Error::Io { .. } => {
                self.list.extend(io.diagnostics());
                Ok(())
            }
            other => Err(other),
        }
    }

    /// Runs `result`, keeping its value or absorbing its input diagnostics.
    pub fn take<T>(&mut self, result: Result<T>) -> Result<Option<T>> {
        match result {
            Ok(value) => Ok(Some(value)),
            Err(error) => self.absorb(error).map(|()| None),
        }
    }

    /// True when nothing was collected.
    pub fn is_empty(&self) -> bool {
        self.list.is_empty()
    }

    /// Number of diagnostics collected.
    pub fn len(&self) -> usize {
        self.list.len()
    }

    /// `Ok(value)` when nothing was collected, else all diagnostics as one error.
    pub fn finish<T>(self, value: T) -> Result<T> {
        if self.list.is_empty() {
            Ok(value)
        } else {
            Err(Error::Input(self.list))
        }
    }

    /// `Err` with everything collected so far, if anything was.
    pub fn check(&mut self) -> Result<()> {
        if self.list.is_empty() {
            Ok(())
        } else {
            Err(Error::Input(std::mem::take(&mut self.list)))
        }
    }
}

/// The long help of one error code, printed by `staffplan explain CODE`.
#[derive(Debug, Clone, Copy)]
pub struct CodeInfo {
    /// The code, e.g. `S1004`.
    pub code: &'static str,
    /// One-line title.
    pub title: &'static str,
    /// Several lines: why it happens and how to fix it, with an example where it helps.
    pub explanation: &'static str,
}

/// Codes that are not owned by one module (I/O and output).
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "O1001",
        title: "a file could not be read or written",
        explanation: "The operating system refused to read an input or write an output. Check \
                      that the path exists, that it is spelled as in the scenario (relative paths \
                      are relative to the scenario file), and that you may read or write it.",
    },
    CodeInfo {
        code: "O1003",
        title: "a text file is not UTF-8",
        explanation: "staffplan reads scenarios and CSV files as UTF-8. The file has a byte that \
                      is not UTF-8 at the line and byte offset given, usually because it was \
                      saved as Latin-1 or Windows-1252 (an accented name from an HR export), or \
                      as UTF-16 (\"Unicode text\"). Save it as UTF-8: in a spreadsheet, Save As \
                      \"CSV UTF-8\"; in an editor, choose the UTF-8 encoding.",
    },
    CodeInfo {
        code: "O1002",
        title: "an output would overwrite an input",
        explanation: "staffplan never overwrites its inputs. The output path you gave is also an \
                      input of this run (a scenario, forecast, history or agents file). Choose \
                      another --out directory or output file name.",
    },
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn echo_quotes_short_input_and_cuts_long_input() {
        assert_eq!(echo("S001"), "\"S001\"");
        assert_eq!(echo("a\"b"), "\"a\\\"b\"");
        let long = "é".repeat(100_000);
        let shown = echo(&long);
        assert!(
            shown.starts_with(&format!("\"{}", "é".repeat(ECHO_CHARS))),
            "{shown}"
        );
        assert!(shown.ends_with("…\" (200000 bytes)"), "{shown}");
        assert!(shown.len() < 200);
    }

    #[test]
    fn printed_diagnostics_stay_short_whatever_they_carry() {
        let huge = "x".repeat(10_000_000);
        let diagnostic = Diagnostic::new("V1011", &huge, &huge, &huge);
        let line = diagnostic.to_string();
        assert!(line.len() < 4 * MAX_PART_BYTES, "{}", line.len());
        assert!(line.contains("bytes cut"));
        assert_eq!(shorten("short", 10), "short");
        let accents = "é".repeat(1000);
        let cut = shorten(&accents, 101);
        assert!(cut.contains("bytes cut"), "{cut}");
    }

    #[test]
    fn os_errors_say_what_they_mean_for_the_path() {
        let error = Error::io(
            Path::new("out.csv"),
            std::io::Error::from(std::io::ErrorKind::AlreadyExists),
        );
        let line = error.to_string();
        assert!(
            line.starts_with("O1001 out.csv: out.csv exists and is a file"),
            "{line}"
        );
        assert!(line.contains("fix: give a directory"), "{line}");
        let error = Error::io(
            Path::new("x.csv"),
            std::io::Error::from(std::io::ErrorKind::NotFound),
        );
        assert!(error.to_string().contains("no such file or directory"));
    }
}
