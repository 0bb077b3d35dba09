//! `staffplan erlang`, the quick calculator, against published values.

mod util;

use util::{staffplan, stderr, stdout};

fn json(args: &[&str]) -> serde_json::Value {
    let mut all = vec!["erlang"];
    all.extend_from_slice(args);
    all.extend_from_slice(&["--format", "json"]);
    let output = staffplan(&all);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    serde_json::from_str(&stdout(&output)).expect("JSON output")
}

const PW1: [&str; 8] = [
    "--volume",
    "100",
    "--interval",
    "30m",
    "--aht",
    "180s",
    "--sl",
    "80/20",
];

#[test]
fn pyworkforce_case_prints_14_agents_and_sl_0_888() {
    // rodrigo-arenas/pyworkforce pyworkforce/queuing/tests/test_erlang.py: 14 raw agents,
    // service level 0.888, occupancy 0.714, P(wait) 0.174. The source's answer time is
    // 0.33 min = 19.8 s (SL 0.8878526927); at exactly 20 s, as here, SL = 0.8883500192
    // (50-digit mpmath); both print as 0.888.
    let mut args = vec!["erlang"];
    args.extend_from_slice(&PW1);
    let output = staffplan(&args);
    assert_eq!(output.status.code(), Some(0));
    let text = stdout(&output);
    assert!(text.contains("agents            14"), "{text}");
    assert!(text.contains("service level     0.888"), "{text}");
    let value = json(&PW1);
    assert_eq!(value["agents"], 14);
    assert!((value["service_level"].as_f64().unwrap() - 0.8883500192).abs() < 1e-9);
    assert!((value["occupancy"].as_f64().unwrap() - 0.7142857143).abs() < 1e-9);
    assert!((value["p_wait"].as_f64().unwrap() - 0.1741319336).abs() < 1e-9);
    assert!((value["traffic_erlangs"].as_f64().unwrap() - 10.0).abs() < 1e-12);
    assert!(value["p_abandon"].is_null());
    for key in ["scheduled_agents", "asa_seconds"] {
        assert!(value.get(key).is_some(), "missing {key}");
    }
}

#[test]
fn shrinkage_of_30_percent_schedules_20() {
    let mut args = PW1.to_vec();
    args.extend_from_slice(&["--shrinkage", "0.3"]);
    let value = json(&args);
    assert_eq!(value["agents"], 14);
    assert_eq!(value["scheduled_agents"], 20);
}

#[test]
fn occupancy_cap_of_70_percent_needs_15() {
    // pyworkforce PW2: max occupancy 0.70 -> 15 agents, SL 0.941 (0.9414528429 at 20 s).
    let mut args = PW1.to_vec();
    args.extend_from_slice(&["--max-occupancy", "0.7"]);
    let value = json(&args);
    assert_eq!(value["agents"], 15);
    assert!((value["service_level"].as_f64().unwrap() - 0.9414528429).abs() < 1e-9);
}

#[test]
fn erlang_a_with_given_agents_matches_the_reference() {
    // EA1: 100 calls / 30 min, AHT 3 min, patience 5 min, N = 14, t = 20 s.
    let value = json(&[
        "--volume",
        "100",
        "--interval",
        "30m",
        "--aht",
        "3m",
        "--sl",
        "80/20",
        "--patience",
        "5m",
        "--agents",
        "14",
    ]);
    assert_eq!(value["agents"], 14);
    assert!((value["p_wait"].as_f64().unwrap() - 0.1452601143).abs() < 1e-9);
    assert!((value["p_abandon"].as_f64().unwrap() - 0.01398374412).abs() < 1e-9);
    assert!((value["service_level"].as_f64().unwrap() - 0.9167920919).abs() < 1e-9);
}

#[test]
fn evaluating_too_few_agents_reports_targets_not_met() {
    let mut args = PW1.to_vec();
    args.extend_from_slice(&["--agents", "12"]);
    let value = json(&args);
    assert_eq!(value["meets_targets"], false);
    assert!(value["service_level"].as_f64().unwrap() < 0.8);
}

#[test]
fn bad_arguments_exit_2_with_codes() {
    let cases: &[(&[&str], &str)] = &[
        (&["--volume", "-5", "--aht", "3m"], "E1001"),
        (&["--volume", "ten", "--aht", "3m"], "E1001"),
        (&["--volume", "10", "--aht", "180"], "E1002"),
        (
            &["--volume", "10", "--aht", "3m", "--sl", "150/20"],
            "E1003",
        ),
        (
            &["--volume", "10", "--aht", "3m", "--shrinkage", "1.2"],
            "E1004",
        ),
        (
            &["--volume", "10", "--aht", "3m", "--concurrency", "0"],
            "E1005",
        ),
        (
            &["--volume", "10", "--aht", "3m", "--interval", "7x"],
            "E1002",
        ),
    ];
    for (args, code) in cases {
        let mut all = vec!["erlang"];
        all.extend_from_slice(args);
        let output = staffplan(&all);
        assert_eq!(output.status.code(), Some(2), "{args:?}");
        let err = stderr(&output);
        assert!(err.contains(code), "{args:?}: {err}");
        assert!(!err.contains("panicked"), "{args:?}: {err}");
    }
}

#[test]
fn explain_prints_long_help_and_refuses_unknown_codes() {
    let output = staffplan(&["explain", "s1002"]);
    assert_eq!(output.status.code(), Some(0));
    assert!(stdout(&output).contains("unknown key"));
    let output = staffplan(&["explain", "Z9999"]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("E1007"));
}
