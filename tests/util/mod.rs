//! Shared CLI test harness: a scratch directory and a command runner.
#![allow(dead_code)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};

static COUNTER: AtomicUsize = AtomicUsize::new(0);

/// A scratch directory removed when dropped.
pub struct Scratch {
    pub dir: PathBuf,
}

impl Scratch {
    pub fn new(name: &str) -> Scratch {
        let n = COUNTER.fetch_add(1, Ordering::SeqCst);
        let dir =
            std::env::temp_dir().join(format!("staffplan-test-{name}-{}-{n}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("create scratch dir");
        Scratch { dir }
    }

    pub fn path(&self, name: &str) -> PathBuf {
        self.dir.join(name)
    }

    pub fn write(&self, name: &str, content: &str) -> PathBuf {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).expect("create parent");
        }
        std::fs::write(&path, content).expect("write fixture");
        path
    }

    /// Files below the directory, relative, sorted.
    pub fn files(&self) -> Vec<String> {
        let mut out = Vec::new();
        collect(&self.dir, &self.dir, &mut out);
        out.sort();
        out
    }
}

fn collect(root: &Path, dir: &Path, out: &mut Vec<String>) {
    if let Ok(entries) = std::fs::read_dir(dir) {
        for entry in entries.flatten() {
            let path = entry.path();
            if path.is_dir() {
                collect(root, &path, out);
            } else {
                out.push(path.strip_prefix(root).unwrap().display().to_string());
            }
        }
    }
}

impl Drop for Scratch {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.dir);
    }
}

/// Runs the staffplan binary with `args` in `cwd`.
pub fn staffplan_in(cwd: &Path, args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_staffplan"))
        .args(args)
        .current_dir(cwd)
        .env("RUST_BACKTRACE", "0")
        .output()
        .expect("run staffplan")
}

/// Runs the staffplan binary with `args` from the repository root.
pub fn staffplan(args: &[&str]) -> Output {
    staffplan_in(Path::new(env!("CARGO_MANIFEST_DIR")), args)
}

pub fn stdout(output: &Output) -> String {
    String::from_utf8_lossy(&output.stdout).into_owned()
}

pub fn stderr(output: &Output) -> String {
    String::from_utf8_lossy(&output.stderr).into_owned()
}

/// `summary.json` of an output folder, parsed.
pub fn summary_of(dir: &Path) -> serde_json::Value {
    let text = std::fs::read_to_string(dir.join("summary.json"))
        .unwrap_or_else(|e| panic!("{}: {e}", dir.join("summary.json").display()));
    serde_json::from_str(&text).expect("summary.json parses")
}

/// Path of a file in the repository.
pub fn repo(path: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join(path)
}

/// The independent checker's verdict on a plan, as written to `shifts.csv` and read back.
pub fn check_plan(
    input: &staffplan::schedule::ScheduleInput<'_>,
    plan: &staffplan::schedule::Schedule,
) -> staffplan::check::schedule::ScheduleCheck {
    use staffplan::schedule::export;
    let mut csv = Vec::new();
    export::write_shifts_csv(&mut csv, &export::shift_rows(input, plan)).unwrap();
    check_shifts_csv(input, &csv)
}

/// The independent checker's verdict on `shifts.csv` bytes.
pub fn check_shifts_csv(
    input: &staffplan::schedule::ScheduleInput<'_>,
    csv: &[u8],
) -> staffplan::check::schedule::ScheduleCheck {
    use staffplan::check::schedule::{PlanContext, check_schedule, read_shifts_csv};
    let rows = read_shifts_csv(csv, "shifts.csv").unwrap();
    check_schedule(
        &PlanContext {
            horizon: input.horizon,
            cyclic: input.cyclic,
            rules: input.rules,
            required: &input.required,
        },
        &rows,
    )
}

/// Asserts that the checker recomputed the plan's presence per skill group and the plan's
/// total shortfall per interval (the solver's allocation is one of many; the shortfall is
/// the least any allocation leaves).
pub fn assert_same_coverage(
    report: &staffplan::check::schedule::ScheduleCheck,
    plan: &staffplan::schedule::Schedule,
) {
    for (g, (mine, theirs)) in report
        .present
        .iter()
        .zip(&plan.coverage.present)
        .enumerate()
    {
        for (i, (a, b)) in mine.iter().zip(theirs).enumerate() {
            assert!((a - b).abs() < 1e-6, "group {g} interval {i}: {a} vs {b}");
        }
    }
    for (i, short) in report.shortfall.iter().enumerate() {
        let theirs: f64 = plan.coverage.shortfall.iter().map(|row| row[i]).sum();
        assert!(
            (short - theirs).abs() < 1e-6,
            "interval {i}: checker {short} short, plan {theirs}"
        );
    }
}

/// The small call center with `extra` lines after its queue's `min_agents` and each
/// `(from, to)` of `replace` replaced, written into `scratch` as `name` (data files by absolute
/// path).
pub fn small_call_center_with(
    scratch: &Scratch,
    name: &str,
    extra: &str,
    replace: &[(&str, &str)],
) -> PathBuf {
    let dir = repo("scenarios");
    let mut text = std::fs::read_to_string(dir.join("small-call-center.toml"))
        .unwrap()
        .replace(
            "min_agents = 2            # never fewer than two agents while open",
            &format!("min_agents = 2\n{extra}"),
        )
        .replace(
            "\"small-call-center.",
            &format!("\"{}/small-call-center.", dir.display()),
        );
    assert!(text.contains(extra), "the scenario's queue changed");
    for (from, to) in replace {
        assert!(text.contains(from), "the scenario has no {from}");
        text = text.replace(from, to);
    }
    scratch.write(name, &text)
}

/// The small call center with `extra` lines after its queue's `min_agents`.
pub fn small_call_center(scratch: &Scratch, name: &str, extra: &str) -> PathBuf {
    small_call_center_with(scratch, name, extra, &[])
}

/// `staffplan run scenario --out out --quiet`, which must succeed; its `summary.json`.
pub fn run_quiet(scenario: &Path, out: &Path) -> serde_json::Value {
    let output = staffplan(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    summary_of(out)
}

/// A JSON number.
pub fn number(value: &serde_json::Value) -> f64 {
    value
        .as_f64()
        .unwrap_or_else(|| panic!("not a number: {value}"))
}

/// `staffplan run scenario --out out` must be refused (exit 2) with `code` and `field` in the
/// message, and write nothing; `label` names the case in failures.
pub fn assert_run_refused(scenario: &Path, out: &Path, code: &str, field: &str, label: &str) {
    let output = staffplan(&[
        "run",
        scenario.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    let message = stderr(&output);
    assert_eq!(output.status.code(), Some(2), "{label}: {message}");
    assert!(
        message.contains(code) && message.contains(field),
        "{label}: {message}"
    );
    assert!(!out.exists(), "{label}: something was written");
}

/// Deterministic pseudo-random numbers for generated instances (Knuth's MMIX LCG).
pub struct Lcg(pub u64);

impl Lcg {
    /// A number in `0..n`.
    pub fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}
