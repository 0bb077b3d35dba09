//! The bad-input corpus: every directory under `tests/bad_inputs/` is one broken input with its
//! expected error in `expect.toml` (`code`, `place`, optional `command` = ["staff", ...],
//! optional `cause` and `fix`: words the line's cause and fix must contain). Each case must
//! fail with exit code 2, print the code with the place and a fix on one line, never panic,
//! keep every stderr line short (echoed input is cut), and leave no output file behind.
//!
//! A case with `severity = "warning"` is suspicious but valid input: the command succeeds
//! (exit 0) and prints `warning: CODE place: cause; fix: ...` on stderr, no error.

mod util;

use std::path::Path;

use util::{Scratch, staffplan_in, stderr};

#[derive(serde::Deserialize)]
#[serde(deny_unknown_fields)]
struct Expect {
    code: String,
    place: String,
    #[serde(default)]
    command: Option<Vec<String>>,
    /// Words the cause (between the place and `; fix:`) must contain.
    #[serde(default)]
    cause: Option<String>,
    /// Words the fix (after `fix:`) must contain.
    #[serde(default)]
    fix: Option<String>,
    /// `"warning"`: the command succeeds and warns; default: it fails with the error.
    #[serde(default)]
    severity: Option<String>,
}

impl Expect {
    fn warning(&self) -> bool {
        self.severity.as_deref() == Some("warning")
    }
}

/// Longest stderr line a case may print: echoed input is cut (`error::echo`), so a damaged
/// file never floods the terminal.
const MAX_LINE: usize = 1_500;

fn copy_dir(from: &Path, to: &Path) {
    for entry in std::fs::read_dir(from).unwrap().flatten() {
        let target = to.join(entry.file_name());
        if entry.path().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            copy_dir(&entry.path(), &target);
        } else if entry.file_name() != "expect.toml" {
            std::fs::copy(entry.path(), target).unwrap();
        }
    }
}

fn cases() -> Vec<std::path::PathBuf> {
    let root = util::repo("tests/bad_inputs");
    let mut cases: Vec<_> = std::fs::read_dir(root)
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.join("expect.toml").exists())
        .collect();
    cases.sort();
    cases
}

#[test]
fn every_bad_input_fails_with_its_code_place_and_no_output() {
    let cases = cases();
    assert!(cases.len() >= 40, "corpus has only {} cases", cases.len());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case.file_name().unwrap().to_string_lossy().into_owned();
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(case.join("expect.toml")).unwrap()).unwrap();
        assert!(
            name.starts_with(&expect.code),
            "{name}: directory name must start with its code"
        );
        let scratch = Scratch::new("bad");
        copy_dir(case, &scratch.dir);
        let before = scratch.files();
        let command: Vec<String> = expect.command.clone().unwrap_or_else(|| {
            ["staff", "scenario.toml", "-o", "out/requirements.csv"]
                .map(String::from)
                .to_vec()
        });
        let args: Vec<&str> = command.iter().map(String::as_str).collect();
        let output = staffplan_in(&scratch.dir, &args);
        let err = stderr(&output);
        let problems = check_case(
            &expect,
            output.status.code(),
            &err,
            &before,
            &scratch.files(),
        );
        if !problems.is_empty() {
            failures.push(format!(
                "{name}:\n  {}\n  stderr: {err}",
                problems.join("\n  ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn check_case(
    expect: &Expect,
    status: Option<i32>,
    err: &str,
    before: &[String],
    after: &[String],
) -> Vec<String> {
    let mut problems = Vec::new();
    let (expected_status, prefix) = if expect.warning() {
        (Some(0), "warning: ")
    } else {
        (Some(2), "error: ")
    };
    if status != expected_status {
        problems.push(format!(
            "exit code {status:?}, expected {expected_status:?}"
        ));
    }
    if err.contains("panicked") || err.contains("backtrace") {
        problems.push("panicked".into());
    }
    let line = err
        .lines()
        .find(|l| l.starts_with(&format!("{prefix}{} ", expect.code)));
    match line {
        None => problems.push(format!("{prefix}{} not printed", expect.code)),
        Some(line) => {
            if !line.contains(&expect.place) {
                problems.push(format!("place {:?} not on the line {line:?}", expect.place));
            }
            // A command-line flag is its own place; anything else names its file.
            if !(line.contains(".toml") || line.contains(".csv") || expect.place.starts_with("--"))
            {
                problems.push(format!("no file named on the line {line:?}"));
            }
            match line.split_once("; fix: ") {
                None => problems.push(format!("no fix on the line {line:?}")),
                Some((head, fix)) => {
                    let cause = head.split_once(": ").map_or("", |(_, cause)| cause);
                    if let Some(words) = &expect.cause {
                        if !cause.contains(words.as_str()) {
                            problems.push(format!("cause lacks {words:?}: {line:?}"));
                        }
                    }
                    if let Some(words) = &expect.fix {
                        if !fix.contains(words.as_str()) {
                            problems.push(format!("fix lacks {words:?}: {line:?}"));
                        }
                    }
                }
            }
        }
    }
    for line in err.lines().filter(|l| !l.trim().is_empty()) {
        if !(line.starts_with("error: ") || expect.warning() && line.starts_with("warning: ")) {
            problems.push(format!("stray stderr line {line:?}"));
        }
        if line.len() > MAX_LINE {
            problems.push(format!(
                "stderr line of {} bytes (at most {MAX_LINE}): {:?}...",
                line.len(),
                line.chars().take(200).collect::<String>()
            ));
        }
    }
    if !expect.warning() && after != before {
        problems.push(format!("files changed: before {before:?}, after {after:?}"));
    }
    problems
}

#[test]
fn every_corpus_code_has_long_help() {
    for case in cases() {
        let expect: Expect =
            toml::from_str(&std::fs::read_to_string(case.join("expect.toml")).unwrap()).unwrap();
        assert!(
            staffplan::cli::explain::explain(&expect.code).is_some(),
            "{} has no explanation",
            expect.code
        );
    }
}
