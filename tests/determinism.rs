//! Same input, same output, byte for byte, under load: every bundled scenario is run twice at
//! once, two `staffplan run` processes started together and competing for the cores (one of
//! them on a single rayon thread), and every file they write must be identical apart from
//! `timings.json`. With the default settings every phase of the solve ends on a budget of
//! work, never on the clock, so neither the load nor the number of threads may show in the
//! files.

mod util;

use std::path::Path;
use std::process::{Command, Stdio};
use std::sync::Mutex;

use util::Scratch;

/// One pair of runs at a time: the two processes of a pair compete with each other, not with
/// the other tests' pairs (which would only make the suite slower).
static ONE_PAIR_AT_A_TIME: Mutex<()> = Mutex::new(());

/// Runs `scenarios/{name}.toml` twice at once and compares the outputs.
fn twin_runs_write_the_same_bytes(name: &str) {
    let _pair = ONE_PAIR_AT_A_TIME
        .lock()
        .unwrap_or_else(|poisoned| poisoned.into_inner());
    let scratch = Scratch::new(&format!("twins-{name}"));
    let scenario = util::repo(&format!("scenarios/{name}.toml"));
    let spawn = |out: &str, threads: Option<&str>| {
        let mut command = Command::new(env!("CARGO_BIN_EXE_staffplan"));
        command
            .args(["run", scenario.to_str().unwrap(), "--out", out, "--quiet"])
            .current_dir(&scratch.dir)
            .env("RUST_BACKTRACE", "0")
            .stdout(Stdio::null())
            .stderr(Stdio::piped());
        if let Some(threads) = threads {
            command.env("RAYON_NUM_THREADS", threads);
        }
        command.spawn().expect("start staffplan")
    };
    // Both started before either is waited for: they run side by side.
    let first = spawn("a", None);
    let second = spawn("b", Some("1"));
    for (label, child) in [("a", first), ("b", second)] {
        let output = child.wait_with_output().expect("wait for staffplan");
        assert_eq!(
            output.status.code(),
            Some(0),
            "{name} run {label}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert!(
            !stderr.contains("time limit"),
            "{name} run {label}: no time limit by default, yet: {stderr}"
        );
    }
    let (a, b) = (scratch.path("a"), scratch.path("b"));
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    for required in ["shifts.csv", "coverage.csv", "summary.json", "timings.json"] {
        assert!(names.iter().any(|n| n == required), "{name}: {names:?}");
    }
    let mut other: Vec<String> = std::fs::read_dir(&b)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    other.sort();
    assert_eq!(names, other, "{name}: the two runs wrote different files");
    for file in names.iter().filter(|n| n.as_str() != "timings.json") {
        let read = |dir: &Path| std::fs::read(dir.join(file)).unwrap();
        assert!(
            read(&a) == read(&b),
            "{name}: {file} differs between two runs side by side"
        );
    }
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(a.join("summary.json")).unwrap()).unwrap();
    assert_ne!(summary["status"], "time_limit", "{name}: {summary}");
    assert_eq!(summary["time_limit_bound"], false, "{name}");
    assert!(summary["time_limit_seconds"].is_null(), "{name}");
    assert_eq!(summary["budget_left"], serde_json::json!([]), "{name}");
}

#[test]
fn small_call_center_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("small-call-center");
}

#[test]
fn omnichannel_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("omnichannel");
}

#[test]
fn two_sites_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("two-sites");
}

#[test]
fn reference_week_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("reference-week");
}

#[test]
fn reference_week_5q_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("reference-week-5q");
}

#[test]
#[ignore = "slow: two runs of the 500-agent week side by side (about 30 s)"]
fn large_twins_write_the_same_bytes() {
    twin_runs_write_the_same_bytes("large");
}

/// A time limit too short for the solve cuts it, and says so: status `time_limit`, the cap in
/// `time_limit_seconds`, `time_limit_bound` true, what each cut phase had left in
/// `budget_left`, and a warning on the console.
#[test]
fn a_binding_time_limit_is_reported_with_the_budget_left() {
    let scratch = Scratch::new("binding-limit");
    let output = util::staffplan_in(
        &util::repo(""),
        &[
            "schedule",
            "scenarios/reference-week.toml",
            "--requirements",
            "scenarios/reference-week.requirements.csv",
            "--time-limit",
            "1s",
            "--out",
            scratch.dir.to_str().unwrap(),
        ],
    );
    let stderr = util::stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    let summary: serde_json::Value =
        serde_json::from_slice(&std::fs::read(scratch.path("summary.json")).unwrap()).unwrap();
    assert_eq!(summary["status"], "time_limit", "{summary}");
    assert_eq!(summary["time_limit_bound"], true);
    assert_eq!(summary["time_limit_seconds"].as_f64(), Some(1.0));
    let cuts = summary["budget_left"].as_array().unwrap();
    assert!(!cuts.is_empty(), "{summary}");
    for cut in cuts {
        let (done, budget) = (
            cut["done"].as_u64().unwrap(),
            cut["budget"].as_u64().unwrap(),
        );
        assert!(done <= budget, "{cut}");
        assert!(cut["phase"].is_string() && cut["unit"].is_string(), "{cut}");
    }
    assert!(
        stderr.contains("warning: the time limit (1 s) cut the solve"),
        "{stderr}"
    );
    assert!(util::stdout(&output).contains("time_limit"));
}
