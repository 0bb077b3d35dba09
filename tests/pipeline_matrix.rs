//! Every bundled scenario through every view of the one pipeline: `run`, then `evaluate`,
//! `simulate`, `whatif` and `check` on the roster `run` published (`slots.csv` for a plan
//! without named agents, `shifts.csv` for its check). All succeed, and `evaluate` and the
//! what-if baseline report exactly the weekly and daily service levels `run` reported.

mod util;

use serde_json::Value;
use util::{Scratch, staffplan, stderr, stdout};

fn json(path: &std::path::Path) -> Value {
    let text = std::fs::read_to_string(path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    serde_json::from_str(&text).unwrap()
}

/// Interval length in hours, read off the first two rows of `coverage.csv`.
fn interval_hours(_days: &Value, dir: &std::path::Path) -> f64 {
    let text = std::fs::read_to_string(dir.join("coverage.csv")).unwrap();
    let starts: Vec<chrono::DateTime<chrono::Utc>> = text
        .lines()
        .skip(1)
        .map(|l| l.split(',').next().unwrap().parse().unwrap())
        .collect();
    let step = starts.iter().find(|t| **t > starts[0]).unwrap();
    (*step - starts[0]).num_seconds() as f64 / 3600.0
}

/// Sums of the `shortfall` and `evaluated_shortfall` columns of `coverage.csv`.
fn column_sums(path: &std::path::Path) -> (f64, f64) {
    let mut reader = csv::Reader::from_path(path).unwrap();
    let header = reader.headers().unwrap().clone();
    let col = |name: &str| header.iter().position(|h| h == name).unwrap();
    let (plan, evaluated) = (col("shortfall"), col("evaluated_shortfall"));
    let mut sums = (0.0, 0.0);
    for record in reader.records() {
        let record = record.unwrap();
        sums.0 += record[plan].parse::<f64>().unwrap();
        sums.1 += record[evaluated].parse::<f64>().unwrap();
    }
    sums
}

fn matrix(name: &str) {
    let scratch = Scratch::new(&format!("matrix-{name}"));
    let scenario = format!("scenarios/{name}.toml");
    let out = scratch.path("run");
    let run = staffplan(&["run", &scenario, "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(run.status.code(), Some(0), "{name} run: {}", stderr(&run));
    let summary = json(&out.join("summary.json"));
    let named = out.join("roster.csv").exists();
    let roster = if named {
        out.join("roster.csv")
    } else {
        out.join("slots.csv")
    };
    assert!(
        roster.exists(),
        "{name}: run wrote neither roster.csv nor slots.csv"
    );
    let roster = roster.to_str().unwrap();

    // evaluate: the same figures as run, to the last digit.
    let eval_dir = scratch.path("evaluate");
    let evaluate = staffplan(&[
        "evaluate",
        &scenario,
        "--roster",
        roster,
        "--out",
        eval_dir.to_str().unwrap(),
    ]);
    assert_eq!(
        evaluate.status.code(),
        Some(0),
        "{name} evaluate: {}",
        stderr(&evaluate)
    );
    let evaluated = json(&eval_dir.join("summary.json"));
    for key in [
        "service_level",
        "service_level_by_day",
        "asa_seconds",
        "worst_interval",
        "evaluated_understaffed_agent_hours",
    ] {
        assert!(
            summary.get(key).is_some(),
            "{name}: run's summary lacks {key}"
        );
        assert_eq!(
            evaluated[key], summary[key],
            "{name}: evaluate's {key} differs from run's"
        );
    }
    // The roster read back is the plan when every slot has an agent: the same coverage.csv.
    if summary["roster_shortfall_agent_hours"]
        .as_f64()
        .unwrap_or(0.0)
        == 0.0
    {
        assert_eq!(
            std::fs::read(eval_dir.join("coverage.csv")).unwrap(),
            std::fs::read(out.join("coverage.csv")).unwrap(),
            "{name}: evaluate's coverage.csv differs from run's"
        );
    }
    // One shortfall, told the same way in summary.json and coverage.csv, in both views.
    for (dir, figures) in [(&out, &summary), (&eval_dir, &evaluated)] {
        let hours = interval_hours(&figures["days"], dir);
        let (plan, evaluated_short) = column_sums(&dir.join("coverage.csv"));
        let said = figures["understaffed_agent_hours"].as_f64().unwrap();
        assert!(
            (plan * hours - said).abs() < 0.01 + 1e-6 * said,
            "{name} {}: coverage.csv shortfall {} vs summary {said}",
            dir.display(),
            plan * hours
        );
        let said = figures["evaluated_understaffed_agent_hours"]
            .as_f64()
            .unwrap();
        assert!(
            (evaluated_short * hours - said).abs() < 0.01 + 1e-6 * said,
            "{name}: coverage.csv evaluated_shortfall {} vs summary {said}",
            evaluated_short * hours
        );
    }
    if let Some(efficiency) = summary["efficiency"].as_f64() {
        assert!(
            (0.0..=1.0).contains(&efficiency),
            "{name}: efficiency {efficiency}"
        );
    }

    // simulate: the same roster, a few replications.
    let simulate = staffplan(&["simulate", &scenario, roster, "--replications", "2"]);
    assert_eq!(
        simulate.status.code(),
        Some(0),
        "{name} simulate: {}",
        stderr(&simulate)
    );
    assert!(
        stdout(&simulate).contains("simulated SL"),
        "{}",
        stdout(&simulate)
    );

    // whatif: the baseline is the roster as run evaluated it.
    let whatif_dir = scratch.path("whatif");
    let whatif = staffplan(&[
        "whatif",
        &scenario,
        "--roster",
        roster,
        "--out",
        whatif_dir.to_str().unwrap(),
        "--volume",
        "+10%",
    ]);
    assert_eq!(
        whatif.status.code(),
        Some(0),
        "{name} whatif: {}",
        stderr(&whatif)
    );
    let whatif_summary = json(&whatif_dir.join("summary.json"));
    let baseline = &whatif_summary["variants"]["baseline"]["summary"];
    for key in ["service_level", "service_level_by_day"] {
        assert_eq!(
            baseline[key], summary[key],
            "{name}: the what-if baseline's {key} differs from run's"
        );
    }

    // check: the roster (with its plan) or the shift plan, re-verified from the files.
    let checked = if named {
        roster.to_string()
    } else {
        out.join("shifts.csv").to_str().unwrap().to_string()
    };
    let check = staffplan(&["check", &scenario, &checked]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "{name} check: {}{}",
        stdout(&check),
        stderr(&check)
    );
    assert!(
        stdout(&check).contains(" 0 violation(s)"),
        "{}",
        stdout(&check)
    );
}

#[test]
fn small_call_center_through_every_view() {
    matrix("small-call-center");
}

#[test]
fn omnichannel_through_every_view() {
    matrix("omnichannel");
}

#[test]
fn two_sites_through_every_view() {
    matrix("two-sites");
}

#[test]
fn reference_week_through_every_view() {
    matrix("reference-week");
}

#[test]
fn reference_week_5q_through_every_view() {
    matrix("reference-week-5q");
}

#[test]
#[ignore = "slow: 500 agents; run in the named CI step"]
fn large_through_every_view() {
    matrix("large");
}

#[test]
fn evaluate_simulate_writes_the_simulated_service_level_with_its_interval() {
    let scratch = Scratch::new("matrix-simulate");
    let scenario = "scenarios/small-call-center.toml";
    let out = scratch.path("run");
    let run = staffplan(&["run", scenario, "--out", out.to_str().unwrap(), "--quiet"]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let eval_dir = scratch.path("evaluate");
    let evaluate = staffplan(&[
        "evaluate",
        scenario,
        "--roster",
        out.join("roster.csv").to_str().unwrap(),
        "--out",
        eval_dir.to_str().unwrap(),
        "--simulate",
        "--replications",
        "4",
    ]);
    assert_eq!(evaluate.status.code(), Some(0), "{}", stderr(&evaluate));
    let summary = json(&eval_dir.join("summary.json"));
    let week = &summary["simulated_service_level"]["support"];
    let (mean, low, high) = (
        week["mean"].as_f64().unwrap(),
        week["low"].as_f64().unwrap(),
        week["high"].as_f64().unwrap(),
    );
    assert!(low < mean && mean < high, "{week}");
    assert!((0.0..=1.0).contains(&mean), "{week}");
    // The simulated days are the evaluated days (closed Thanksgiving and Sunday have none).
    let days = summary["simulated_service_level_by_day"]["support"]
        .as_object()
        .unwrap();
    let evaluated = summary["service_level_by_day"]["support"]
        .as_object()
        .unwrap();
    assert_eq!(
        days.keys().collect::<Vec<_>>(),
        evaluated.keys().collect::<Vec<_>>()
    );
    for (date, value) in evaluated {
        assert_eq!(value.is_null(), days[date].is_null(), "{date}");
    }
    // Simulating adds figures; it changes none of the evaluation's.
    let plain = json(&out.join("summary.json"));
    assert_eq!(summary["service_level"], plain["service_level"]);
    assert!(eval_dir.join("simulation.csv").exists());
}
