//! `staffplan schedule` end to end: outputs, the checker's agreement with coverage.csv,
//! determinism, shortfall explanations, option errors, DST.

mod util;

use std::path::Path;

use staffplan::scenario::Scenario;
use staffplan::schedule::{self, ScheduleInput, read_requirements_csv};
use staffplan::units::format_number;
use util::{Scratch, staffplan_in, stderr, stdout};

const SCENARIO: &str = r#"
[plan]
name = "cli week"
start = 2026-11-23
days = 2
interval_minutes = 30
time_zone = "America/Chicago"
cyclic = true

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
forecast = "volume.csv"

[[shift]]
name = "day8"
length = "8h30m"
paid = "8h"
start_window = "05:00-14:00"
start_step = "30m"
cost_per_hour = 20.0
[[shift.break]]
duration = "15m"
paid = true
earliest = "1h30m"
latest = "2h30m"
[[shift.break]]
duration = "30m"
paid = false
earliest = "3h30m"
latest = "5h"

[[shift]]
name = "part4"
length = "4h"
start_window = "06:00-20:00"
cost_per_hour = 22.0
"#;

/// A requirement CSV (UTC timestamps) with a double peak on each day.
fn requirements_csv() -> String {
    let zone: chrono_tz::Tz = "America/Chicago".parse().unwrap();
    let date = chrono::NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let horizon = staffplan::time::Horizon::new(date, 2, 30, zone).unwrap();
    let mut out = String::from("interval_start,queue,scheduled_agents\n");
    for i in 0..horizon.len() {
        let minute = horizon.local_minute(i) as f64 / 60.0;
        let agents = if (7.0..21.0).contains(&minute) {
            let peak = (-(minute - 10.5).powi(2) / 4.0).exp() * 9.0
                + (-(minute - 15.0).powi(2) / 5.0).exp() * 7.0;
            (peak.round() as u32).max(1)
        } else {
            0
        };
        out.push_str(&format!(
            "{},support,{agents}\n",
            staffplan::time::format_utc(horizon.start(i))
        ));
    }
    out
}

fn setup(scenario: &str) -> Scratch {
    let scratch = Scratch::new("schedule");
    scratch.write("scenario.toml", scenario);
    scratch.write("volume.csv", "interval_start,queue,volume\n");
    scratch.write("requirements.csv", &requirements_csv());
    scratch
}

fn run(scratch: &Scratch, out: &str) -> std::process::Output {
    staffplan_in(
        &scratch.dir,
        &[
            "schedule",
            "scenario.toml",
            "--requirements",
            "requirements.csv",
            "--out",
            out,
            "--time-limit",
            "20s",
        ],
    )
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

#[test]
fn schedule_writes_checked_outputs_byte_identically() {
    let scratch = setup(SCENARIO);
    let first = run(&scratch, "out1");
    assert_eq!(first.status.code(), Some(0), "{}", stderr(&first));
    let second = run(&scratch, "out2");
    assert_eq!(second.status.code(), Some(0), "{}", stderr(&second));
    // Wall-clock times go to timings.json, so summary.json repeats too.
    for file in ["shifts.csv", "coverage.csv", "summary.json"] {
        assert_eq!(
            read(&scratch.path(&format!("out1/{file}"))),
            read(&scratch.path(&format!("out2/{file}"))),
            "{file} differs between two runs"
        );
    }
    assert!(stdout(&first).contains("LP bound"), "{}", stdout(&first));

    // summary.json keys and consistency.
    let summary: serde_json::Value =
        serde_json::from_str(&read(&scratch.path("out1/summary.json"))).unwrap();
    for key in [
        "required_agent_hours",
        "scheduled_agent_hours",
        "lower_bound_cost",
        "cost",
        "gap",
        "understaffed_agent_hours",
        "efficiency",
        "solver",
        "status",
    ] {
        assert!(summary.get(key).is_some(), "summary.json lacks {key}");
    }
    let timings: serde_json::Value =
        serde_json::from_str(&read(&scratch.path("out1/timings.json"))).unwrap();
    assert!(timings["solve_seconds"].as_f64().is_some(), "{timings}");
    let cost = summary["cost"].as_f64().unwrap();
    let bound = summary["lower_bound_cost"].as_f64().unwrap();
    let gap = summary["gap"].as_f64().unwrap();
    assert!(bound <= cost + 1e-6, "bound {bound} above cost {cost}");
    assert!((gap - (cost - bound) / cost).abs() < 1e-6);
    assert_eq!(summary["understaffed_agent_hours"].as_f64(), Some(0.0));
    let required = summary["required_agent_hours"].as_f64().unwrap();
    let scheduled = summary["scheduled_agent_hours"].as_f64().unwrap();
    assert!((summary["efficiency"].as_f64().unwrap() - required / scheduled).abs() < 1e-5);

    // The checker re-reads shifts.csv and reproduces coverage.csv.
    let scenario = Scenario::load(&scratch.path("scenario.toml")).unwrap();
    let requirement = read_requirements_csv(
        read(&scratch.path("requirements.csv")).as_bytes(),
        "requirements.csv",
        &scenario.horizon,
        &["support".to_string()],
    )
    .unwrap();
    let input = ScheduleInput::new(&scenario, requirement);
    let shifts = read(&scratch.path("out1/shifts.csv"));
    let report = util::check_shifts_csv(&input, shifts.as_bytes());
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!((report.cost - cost).abs() < 1e-3);
    let coverage = read(&scratch.path("out1/coverage.csv"));
    let mut lines = coverage.lines();
    assert_eq!(
        lines.next(),
        Some(
            "interval_start,local_start,queue,required_agents,required_on_shift,\
             scheduled_agents,on_break,shortfall,surplus,volume,service_level,asa_seconds,\
             occupancy,abandon_rate,on_queue_agents,evaluated_shortfall"
        )
    );
    for (i, line) in lines.enumerate() {
        let fields: Vec<&str> = line.split(',').collect();
        // The requirement came from a file: no Erlang need, no evaluation.
        assert_eq!(fields[3], "");
        assert_eq!(fields[4], input.required[0][i].to_string());
        // One queue, one skill group: the group's presence is the queue's.
        assert_eq!(fields[5], format_number(report.present[0][i], 3));
        assert_eq!(fields[6], format_number(report.on_break[0][i], 3));
        assert_eq!(fields[7], "0");
        assert!(fields[9..].iter().all(|f| f.is_empty()), "{line}");
    }
}

#[test]
fn uncoverable_requirement_is_reported_with_the_binding_rule() {
    // Nobody may start before 08:00 but the queue needs agents from 06:00.
    let scenario = SCENARIO
        .replace(
            "start_window = \"05:00-14:00\"",
            "start_window = \"08:00-14:00\"",
        )
        .replace(
            "start_window = \"06:00-20:00\"",
            "start_window = \"08:00-20:00\"",
        )
        .replace("cyclic = true", "cyclic = false");
    let scratch = setup(&scenario);
    let mut requirement = requirements_csv();
    // 06:00 and 06:30 local (12:00Z, 12:30Z) need 3 agents.
    requirement = requirement
        .replace(
            "2026-11-23T12:00:00Z,support,0",
            "2026-11-23T12:00:00Z,support,3",
        )
        .replace(
            "2026-11-23T12:30:00Z,support,0",
            "2026-11-23T12:30:00Z,support,3",
        );
    scratch.write("requirements.csv", &requirement);
    let output = run(&scratch, "out");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&scratch.path("out/summary.json"))).unwrap();
    let runs = summary["shortfall"].as_array().unwrap();
    let first = &runs[0];
    assert_eq!(first["queue"], "support");
    assert_eq!(first["rule"], "no_shift_on_duty");
    assert_eq!(first["from"], "2026-11-23T06:00:00-06:00");
    assert_eq!(first["to"], "2026-11-23T08:00:00-06:00");
    assert_eq!(first["missing_agents"].as_f64(), Some(3.0));
    let explanation = first["explanation"].as_str().unwrap();
    assert!(explanation.contains("08:00-14:00"), "{explanation}");
    assert!(summary["understaffed_agent_hours"].as_f64().unwrap() >= 3.0);
    assert!(stdout(&output).contains("no shift can be on duty"));
}

#[test]
fn bad_options_are_usage_errors() {
    let scratch = setup(SCENARIO);
    for (flag, value) in [
        ("--gap", "150%"),
        ("--time-limit", "fast"),
        ("--method", "magic"),
        ("--solver", "cplex"),
    ] {
        let output = staffplan_in(
            &scratch.dir,
            &["schedule", "scenario.toml", "--out", "out", flag, value],
        );
        assert_eq!(output.status.code(), Some(2), "{flag} {value}");
        assert!(stderr(&output).contains("H2003"), "{}", stderr(&output));
    }
    assert!(!scratch.path("out").exists());
}

#[test]
fn bad_requirement_rows_are_located() {
    let scratch = setup(SCENARIO);
    scratch.write(
        "requirements.csv",
        "interval_start,queue,scheduled_agents\n2026-11-23T06:00:00Z,sales,3\n\
         2026-11-23T06:10:00Z,support,2\n",
    );
    let output = run(&scratch, "out");
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert!(
        err.contains("requirements.csv:2") && err.contains("unknown queue"),
        "{err}"
    );
    assert!(err.contains("requirements.csv:3"), "{err}");
}

#[test]
fn fall_back_night_starts_use_the_first_occurrence() {
    let text = r#"
[plan]
start = 2026-11-01
days = 1
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[shift]]
name = "night"
length = "2h"
start_window = "00:30-02:30"
start_step = "30m"
"#;
    let scenario = Scenario::from_toml(text, Path::new("dst.toml"), Path::new(".")).unwrap();
    let candidates = schedule::candidate_shifts(&scenario.shifts, &scenario.horizon);
    let starts: Vec<String> = candidates
        .iter()
        .map(|c| staffplan::time::format_local(c.start, scenario.plan.time_zone))
        .collect();
    assert_eq!(
        starts,
        [
            "2026-11-01T00:30:00-04:00",
            "2026-11-01T01:00:00-04:00",
            "2026-11-01T01:30:00-04:00",
            "2026-11-01T02:00:00-05:00",
            "2026-11-01T02:30:00-05:00",
        ]
    );
    // A 25-hour day: the requirement over all 50 intervals is covered and checked.
    let mut required = vec![0u32; scenario.horizon.len()];
    assert_eq!(required.len(), 50);
    for value in &mut required[2..8] {
        *value = 1;
    }
    let input = ScheduleInput::new(&scenario, vec![required]);
    let plan = schedule::schedule(&input, &schedule::ScheduleOptions::default()).unwrap();
    let rows = schedule::export::shift_rows(&input, &plan);
    let mut csv = Vec::new();
    schedule::export::write_shifts_csv(&mut csv, &rows).unwrap();
    let report = util::check_shifts_csv(&input, &csv);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert_eq!(report.shortfall.iter().sum::<f64>(), 0.0);
}

/// Runs `schedule` on a reference scenario with its committed requirement; returns the
/// summary and shifts.csv.
fn reference(name: &str, out: &Scratch) -> (serde_json::Value, String) {
    let root = util::repo("");
    let output = staffplan_in(
        &root,
        &[
            "schedule",
            &format!("scenarios/{name}.toml"),
            "--requirements",
            &format!("scenarios/{name}.requirements.csv"),
            "--out",
            out.dir.to_str().unwrap(),
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.path("summary.json"))).unwrap();
    (summary, read(&out.path("shifts.csv")))
}

#[test]
#[ignore = "slow: the reference week twice (about 6 s)"]
fn reference_week_is_checked_close_to_its_bound_and_repeatable() {
    let (summary, shifts) = reference("reference-week", &Scratch::new("reference-week"));
    // The acceptance target is within 0.1 % of the LP bound (measured 0.0998 % after the
    // window re-optimisation; the time is in BENCHMARKS.md, not here).
    assert!(summary["gap"].as_f64().unwrap() <= 0.001, "{summary}");
    assert_eq!(summary["status"], "within_gap", "{summary}");
    assert_eq!(summary["understaffed_agent_hours"].as_f64(), Some(0.0));
    let (again, shifts_again) = reference("reference-week", &Scratch::new("reference-week-2"));
    assert_eq!(summary["cost"], again["cost"]);
    assert!(
        shifts == shifts_again,
        "shifts.csv differs between two runs"
    );
}

#[test]
#[ignore = "slow: the five-queue reference week (about 6 s)"]
fn five_queue_week_is_checked_and_close_to_its_bound() {
    let (summary, _) = reference("reference-week-5q", &Scratch::new("reference-week-5q"));
    // Measured 0.53 % (0.59 % before the window re-optimisation); see BENCHMARKS.md.
    assert!(summary["gap"].as_f64().unwrap() < 0.006, "{summary}");
    assert_eq!(summary["understaffed_agent_hours"].as_f64(), Some(0.0));
}

#[test]
fn committed_reference_requirements_match_the_erlang_engine() {
    // The benchmarks read the precomputed requirement; it must be what staffing computes.
    for name in ["reference-week", "reference-week-5q"] {
        let scenario = Scenario::load(&util::repo(&format!("scenarios/{name}.toml"))).unwrap();
        let volumes = staffplan::pipeline::Pipeline::new(&scenario, Default::default())
            .volumes()
            .unwrap()
            .volumes;
        let requirements = staffplan::staffing::requirements(&scenario, &volumes).unwrap();
        let computed: Vec<Vec<u32>> = requirements
            .iter()
            .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
            .collect();
        let queues: Vec<String> = scenario.queues.iter().map(|q| q.id.clone()).collect();
        let committed = read_requirements_csv(
            read(&util::repo(&format!("scenarios/{name}.requirements.csv"))).as_bytes(),
            name,
            &scenario.horizon,
            &queues,
        )
        .unwrap();
        assert_eq!(
            computed, committed,
            "{name}: regenerate with make_reference_week.py"
        );
    }
}

#[test]
fn regression_no_requirement_gives_an_empty_optimal_schedule() {
    // Clarabel cannot factor a model without rows; nothing to cover must not reach it.
    let scratch = setup(SCENARIO);
    scratch.write(
        "requirements.csv",
        "interval_start,queue,scheduled_agents\n2026-11-23T14:00:00Z,support,0\n",
    );
    let output = run(&scratch, "out");
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary: serde_json::Value =
        serde_json::from_str(&read(&scratch.path("out/summary.json"))).unwrap();
    assert_eq!(summary["cost"].as_f64(), Some(0.0));
    assert_eq!(summary["status"], "optimal");
    assert_eq!(read(&scratch.path("out/shifts.csv")).lines().count(), 1);
}

#[test]
fn a_time_limit_before_the_lp_is_solved_keeps_a_checked_plan_and_says_so() {
    // 10 ms cannot solve the reference week's LP relaxation (about 0.5 s): the solver gives up,
    // the repaired rounding is kept, written and checked, and nothing claims optimality.
    let out = Scratch::new("lp-time-limit");
    let root = util::repo("");
    let output = staffplan_in(
        &root,
        &[
            "schedule",
            "scenarios/reference-week.toml",
            "--requirements",
            "scenarios/reference-week.requirements.csv",
            "--time-limit",
            "0.01s",
            "--out",
            out.dir.to_str().unwrap(),
        ],
    );
    let err = stderr(&output);
    assert_eq!(output.status.code(), Some(0), "{err}");
    assert!(
        err.contains("warning: H2001 schedule: the LP relaxation failed"),
        "{err}"
    );
    let summary: serde_json::Value =
        serde_json::from_str(&read(&out.path("summary.json"))).unwrap();
    assert!(
        summary["gap"].is_null() && summary["lower_bound_cost"].is_null(),
        "{summary}"
    );
    assert_ne!(summary["status"], "optimal");
    assert_ne!(summary["status"], "within_gap");
    let messages = summary["solver_messages"].as_array().unwrap();
    assert!(messages.len() == 1 && messages[0].as_str().unwrap().contains("LP"));
    assert!(read(&out.path("shifts.csv")).lines().count() > 1);
}
