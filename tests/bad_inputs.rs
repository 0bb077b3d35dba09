//! The bad-input corpus: every directory under `tests/bad_inputs/` is one broken input with its
//! expected error in `expect.toml` (`code`, `place`, optional `command` = ["staff", ...]). Each
//! case must fail with exit code 2, print the code with the place and a fix on one line, never
//! panic, and leave no output file behind.

mod util;

use std::path::Path;

use util::{Scratch, staffplan_in, stderr};

#[derive(serde::Deserialize)]
struct Expect {
    code: String,
    place: String,
    #[serde(default)]
    command: Option<Vec<String>>,
}

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
    if status != Some(2) {
        problems.push(format!("exit code {status:?}, expected 2"));
    }
    if err.contains("panicked") || err.contains("backtrace") {
        problems.push("panicked".into());
    }
    let line = err.lines().find(|l| l.contains(&expect.code));
    match line {
        None => problems.push(format!("code {} not printed", expect.code)),
        Some(line) => {
            if !line.contains(&expect.place) {
                problems.push(format!("place {:?} not on the line {line:?}", expect.place));
            }
            if !(line.contains(".toml") || line.contains(".csv")) {
                problems.push(format!("no file named on the line {line:?}"));
            }
            if !line.contains("fix:") {
                problems.push(format!("no fix on the line {line:?}"));
            }
        }
    }
    for line in err.lines().filter(|l| !l.trim().is_empty()) {
        if !line.starts_with("error: ") {
            problems.push(format!("stray stderr line {line:?}"));
        }
    }
    if after != before {
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
