//! `staffplan run` end to end on every bundled scenario, re-checked by the independent checker
//! and against what the written CSVs say.

mod util;

use std::collections::BTreeMap;
use std::path::Path;

use util::{Scratch, repo, staffplan, stderr, stdout};

fn scenarios() -> Vec<String> {
    let mut list: Vec<String> = std::fs::read_dir(repo("scenarios"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(".toml"))
        .collect();
    list.sort();
    list
}

/// Runs the pipeline on `scenario` into `out`, then the checker on the roster if one was made.
fn run_and_check(scenario: &str, out: &Path) {
    let path = format!("scenarios/{scenario}");
    let output = staffplan(&["run", &path, "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{scenario}: {}",
        stderr(&output)
    );
    assert!(stdout(&output).is_empty(), "--quiet prints nothing");
    for file in [
        "forecast.csv",
        "requirements.csv",
        "summary.json",
        "timings.json",
        "report.html",
    ] {
        assert!(out.join(file).exists(), "{scenario}: {file} missing");
    }
    let roster = out.join("roster.csv");
    if roster.exists() {
        let check = staffplan(&["check", &path, roster.to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "{scenario}: checker: {}{}",
            stdout(&check),
            stderr(&check)
        );
    }
    // No temporary file is left behind.
    for entry in std::fs::read_dir(out).unwrap().flatten() {
        let name = entry.file_name().to_string_lossy().into_owned();
        assert!(!name.ends_with(".tmp"), "{scenario}: leftover {name}");
    }
}

#[test]
fn every_scenario_runs_and_its_roster_passes_the_checker() {
    let list = scenarios();
    assert!(list.len() >= 4, "{list:?}");
    for scenario in list.iter().filter(|s| s.as_str() != "large.toml") {
        let scratch = Scratch::new("run");
        run_and_check(scenario, &scratch.path("out"));
    }
}

#[test]
#[ignore = "slow: 500 agents; run in the named CI step"]
fn the_large_scenario_runs_and_its_roster_passes_the_checker() {
    let scratch = Scratch::new("run-large");
    run_and_check("large.toml", &scratch.path("out"));
}

fn read_rows(path: &Path) -> Vec<BTreeMap<String, String>> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header: Vec<String> = reader.headers().unwrap().iter().map(String::from).collect();
    reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            header
                .iter()
                .cloned()
                .zip(r.iter().map(String::from))
                .collect()
        })
        .collect()
}

fn number(row: &BTreeMap<String, String>, key: &str) -> f64 {
    row[key].parse().unwrap_or(0.0)
}

#[test]
fn small_scenario_summary_matches_what_the_csvs_say() {
    let scratch = Scratch::new("run-summary");
    let out = scratch.path("out");
    run_and_check("small-call-center.toml", &out);
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    let get = |key: &str| summary[key].as_f64().unwrap_or_else(|| panic!("{key}"));
    let close = |a: f64, b: f64, what: &str| {
        assert!(
            (a - b).abs() <= 1e-6 * b.abs().max(1.0),
            "{what}: {a} vs {b}"
        )
    };
    let half_hour = 0.5;
    let requirements = read_rows(&out.join("requirements.csv"));
    close(
        requirements
            .iter()
            .map(|r| number(r, "required_agents"))
            .sum::<f64>()
            * half_hour,
        get("required_on_queue_agent_hours"),
        "required on-queue hours",
    );
    close(
        requirements
            .iter()
            .map(|r| number(r, "scheduled_agents"))
            .sum::<f64>()
            * half_hour,
        get("required_agent_hours"),
        "required (scheduled) hours",
    );
    let shifts = read_rows(&out.join("shifts.csv"));
    close(
        shifts.iter().map(|r| number(r, "cost")).sum(),
        get("cost"),
        "cost",
    );
    let shift_paid: f64 = shifts
        .iter()
        .map(|r| number(r, "agents") * number(r, "paid_hours"))
        .sum();
    close(
        shift_paid,
        get("paid_agent_hours"),
        "paid hours from shifts.csv",
    );
    let roster = read_rows(&out.join("roster.csv"));
    assert_eq!(roster.len() as f64, get("roster_assignments"));
    let roster_paid: f64 = roster.iter().map(|r| number(r, "paid_hours")).sum();
    // Every planned shift is staffed: the roster's paid hours are the plan's minus the shortfall.
    assert_eq!(get("roster_shortfall_agent_hours"), 0.0);
    close(
        roster_paid,
        get("paid_agent_hours"),
        "paid hours from roster.csv",
    );
    assert_eq!(get("roster_violations"), 0.0);
    // Weekly service level: volume-weighted mean of coverage.csv's interval service levels.
    let coverage = read_rows(&out.join("coverage.csv"));
    let (mut weight, mut sum) = (0.0, 0.0);
    for row in coverage.iter().filter(|r| !r["service_level"].is_empty()) {
        weight += number(row, "volume");
        sum += number(row, "volume") * number(row, "service_level");
    }
    let weekly = summary["service_level"]["support"].as_f64().unwrap();
    // coverage.csv rounds each interval's service level to 4 decimals.
    assert!(
        (sum / weight - weekly).abs() < 1e-4,
        "{} vs {weekly}",
        sum / weight
    );
    assert!(
        weekly >= 0.8,
        "the published roster meets the weekly target"
    );
    // Efficiency is required ÷ scheduled on-queue agent-hours.
    close(
        get("efficiency"),
        get("required_agent_hours") / get("scheduled_agent_hours"),
        "efficiency",
    );
    // Thanksgiving is closed: no requirement, no shift.
    assert!(
        requirements
            .iter()
            .filter(|r| r["local_start"].starts_with("2026-11-26"))
            .all(|r| r["required_agents"] == "0")
    );
    assert!(!roster.iter().any(|r| r["local_date"] == "2026-11-26"));
}

#[test]
fn two_runs_give_the_same_bytes() {
    let scratch = Scratch::new("run-twice");
    let (a, b) = (scratch.path("a"), scratch.path("b"));
    run_and_check("small-call-center.toml", &a);
    run_and_check("small-call-center.toml", &b);
    let mut names: Vec<String> = std::fs::read_dir(&a)
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert!(names.len() >= 12, "{names:?}");
    for name in names.iter().filter(|n| n.as_str() != "timings.json") {
        assert_eq!(
            std::fs::read(a.join(name)).unwrap(),
            std::fs::read(b.join(name)).unwrap(),
            "{name} differs between runs"
        );
    }
}

#[test]
fn json_mode_prints_the_summary_and_bad_scenarios_write_nothing() {
    let scratch = Scratch::new("run-json");
    let out = scratch.path("out");
    let output = staffplan(&[
        "run",
        "scenarios/small-call-center.toml",
        "--out",
        out.to_str().unwrap(),
        "--json",
    ]);
    assert_eq!(output.status.code(), Some(0));
    let printed: serde_json::Value = serde_json::from_str(&stdout(&output)).unwrap();
    let written: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("summary.json")).unwrap()).unwrap();
    assert_eq!(printed, written);
    // A broken scenario: exit 2, one line per problem, no output directory content.
    let broken = scratch.write(
        "broken.toml",
        &std::fs::read_to_string(repo("scenarios/small-call-center.toml"))
            .unwrap()
            .replace("service_level = 0.80", "service_level = 1.5")
            .replace("agents = \"small", "agents = \"../missing"),
    );
    let out2 = scratch.path("out2");
    let output = staffplan(&[
        "run",
        broken.to_str().unwrap(),
        "--out",
        out2.to_str().unwrap(),
    ]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(err.contains("S1007"), "{err}");
    assert!(err.lines().all(|l| l.starts_with("error: ")), "{err}");
    assert!(!out2.exists() || std::fs::read_dir(&out2).unwrap().count() == 0);
}
