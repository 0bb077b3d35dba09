//! `staffplan forecast` end to end, its bad inputs, and forecasting inside a scenario
//! (`load_volumes` with `history = ...`).

mod util;

use std::fmt::Write as _;
use std::path::Path;

use chrono::{Datelike, Duration, NaiveDate};
use staffplan::scenario::Scenario;
use staffplan::time::{format_local, local_day_start};
use util::{Scratch, staffplan_in, stderr, stdout};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// 15-minute history in New York time, weekdays 08:00–18:00, two queues, with handle times;
/// `skip` dates have no rows (holidays).
fn history_csv(first: NaiveDate, days: i64, skip: &[NaiveDate]) -> String {
    let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let mut out = String::from("interval_start,queue,offered,aht_seconds\n");
    for queue in ["sales", "support"] {
        for d in 0..days {
            let day = first + Duration::days(d);
            if day.weekday().num_days_from_monday() >= 5 || skip.contains(&day) {
                continue;
            }
            let midnight = local_day_start(zone, day);
            for slot in 32..72 {
                let t = midnight + Duration::minutes(15 * slot);
                let base = if queue == "sales" { 20 } else { 35 };
                let volume = base + (slot % 7) + day.weekday().num_days_from_monday() as i64;
                writeln!(
                    out,
                    "{},{queue},{volume},{}",
                    format_local(t, zone),
                    200 + slot
                )
                .unwrap();
            }
        }
    }
    out
}

#[test]
fn forecast_writes_a_csv_for_every_queue_and_interval_and_reports_gaps() {
    let scratch = Scratch::new("forecast-cli");
    let holiday = date(2026, 10, 12);
    scratch.write(
        "history.csv",
        &history_csv(date(2026, 9, 7), 11 * 7, &[holiday]),
    );
    let args = [
        "forecast",
        "--history",
        "history.csv",
        "--start",
        "2026-11-23",
        "--days",
        "7",
        "--interval",
        "30m",
        "--time-zone",
        "America/New_York",
        "--special-day",
        "2026-11-26=closed",
        "-o",
        "out/forecast.csv",
    ];
    let output = staffplan_in(&scratch.dir, &args);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let report = stdout(&output);
    assert!(report.contains("1 missing day(s)"), "{report}");
    assert!(report.contains("2026-10-12"), "{report}");
    assert!(report.contains("closed weekdays (never any volume, forecast 0): Sat, Sun"));
    for method in [
        "seasonal-naive",
        "weekday-average",
        "profile",
        "holt-winters",
    ] {
        assert!(
            report.contains(method),
            "{method} missing from the table:\n{report}"
        );
    }
    let csv = std::fs::read_to_string(scratch.path("out/forecast.csv")).unwrap();
    let mut lines = csv.lines();
    assert_eq!(
        lines.next(),
        Some("interval_start,local_start,queue,volume,aht_seconds,volume_low,volume_high")
    );
    let rows: Vec<Vec<&str>> = lines.map(|l| l.split(',').collect()).collect();
    assert_eq!(rows.len(), 7 * 48 * 2);
    for row in &rows {
        let (volume, low, high): (f64, f64, f64) = (
            row[3].parse().unwrap(),
            row[5].parse().unwrap(),
            row[6].parse().unwrap(),
        );
        assert!(low <= volume && volume <= high, "{row:?}");
        let weekend = row[1].starts_with("2026-11-28") || row[1].starts_with("2026-11-29");
        if row[1].starts_with("2026-11-26") || weekend || row[1][11..13] < *"08" {
            assert_eq!(volume, 0.0, "{row:?}");
        }
        if row[1][11..].starts_with("10:00") && !weekend && !row[1].starts_with("2026-11-26") {
            assert!(volume > 30.0, "{row:?}");
            // History AHT at 10:00 is 200 + slot (40 and 41) weighted by volume.
            let aht: f64 = row[4].parse().unwrap();
            assert!((240.0..=241.0).contains(&aht), "{row:?}");
        }
    }
    // The output reads back as a forecast file.
    let zone = "America/New_York".parse().unwrap();
    let table = staffplan::volume::read_volume_csv(csv.as_bytes(), "forecast.csv", zone).unwrap();
    assert_eq!(table.queues(), vec!["sales", "support"]);
    // Same input, same bytes.
    let again = staffplan_in(&scratch.dir, &args);
    assert_eq!(again.status.code(), Some(0));
    assert_eq!(
        std::fs::read_to_string(scratch.path("out/forecast.csv")).unwrap(),
        csv
    );
}

#[test]
fn backtest_prints_every_method_and_writes_nothing() {
    let scratch = Scratch::new("forecast-backtest");
    scratch.write("h.csv", &history_csv(date(2026, 9, 7), 8 * 7, &[]));
    let before = scratch.files();
    let output = staffplan_in(
        &scratch.dir,
        &[
            "forecast",
            "--history",
            "h.csv",
            "--backtest",
            "--days",
            "1",
            "--time-zone",
            "America/New_York",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let text = stdout(&output);
    for needle in [
        "queue sales:",
        "queue support:",
        "WAPE",
        "MAPE",
        "bias",
        "holt-winters",
    ] {
        assert!(text.contains(needle), "{needle} missing:\n{text}");
    }
    assert_eq!(scratch.files(), before);
}

#[test]
fn a_single_queue_file_takes_its_name_from_queue_and_prints_to_stdout() {
    let scratch = Scratch::new("forecast-single");
    let mut text = String::from("timestamp,calls\n");
    for d in 0..14 {
        let day = date(2026, 1, 5) + Duration::days(d);
        for h in 9..17 {
            writeln!(text, "{day}T{h:02}:00:00,{}", 10 + h).unwrap();
        }
    }
    scratch.write("bank.csv", &text);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "forecast",
            "--history",
            "bank.csv",
            "--queue",
            "phones",
            "--start",
            "2026-01-19",
            "--days",
            "1",
            "--interval",
            "60m",
            "--aht",
            "3m",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let csv = stdout(&output);
    assert_eq!(csv.lines().count(), 1 + 24);
    let nine = csv.lines().find(|l| l.contains("T09:00:00+00:00")).unwrap();
    assert!(nine.contains(",phones,19,180,"), "{nine}");
    // The method table goes to stderr so that the CSV on stdout stays clean.
    assert!(stderr(&output).contains("queue phones: method"));
}

struct BadCase {
    name: &'static str,
    history: String,
    extra: &'static [&'static str],
    code: &'static str,
    place: &'static str,
    cause: &'static str,
}

fn weekday_rows(days: i64, step_minutes: i64) -> String {
    let mut text = String::from("interval_start,queue,offered\n");
    for d in 0..days {
        let day = date(2026, 10, 5) + Duration::days(d);
        let mut minute = 8 * 60;
        while minute < 12 * 60 {
            writeln!(text, "{day}T{:02}:{:02}:00Z,q,5", minute / 60, minute % 60).unwrap();
            minute += step_minutes;
        }
    }
    text
}

#[test]
fn bad_history_fails_with_a_code_a_place_and_a_fix_and_never_panics() {
    // Day 4 was exported at 5 minutes, the other days at 15.
    let mut mixed = String::from("interval_start,queue,offered\n");
    for d in 0..10 {
        let day = date(2026, 10, 5) + Duration::days(d);
        let step = if d == 3 { 5 } else { 15 };
        let mut minute = 8 * 60;
        while minute < 12 * 60 {
            writeln!(mixed, "{day}T{:02}:{:02}:00Z,q,5", minute / 60, minute % 60).unwrap();
            minute += step;
        }
    }
    let cases = vec![
        BadCase {
            name: "empty file",
            history: String::new(),
            extra: &[],
            code: "V1009",
            place: "h.csv",
            cause: "empty",
        },
        BadCase {
            name: "header only",
            history: "interval_start,queue,offered\n".into(),
            extra: &[],
            code: "V1009",
            place: "h.csv",
            cause: "no data rows",
        },
        BadCase {
            name: "negative count",
            history: weekday_rows(10, 15).replacen(",q,5\n", ",q,-3\n", 3),
            extra: &[],
            code: "V1004",
            place: "h.csv:2 column offered",
            cause: "-3",
        },
        BadCase {
            name: "non-numeric count",
            history: weekday_rows(10, 15).replacen(",q,5\n", ",q,many\n", 1),
            extra: &[],
            code: "V1003",
            place: "h.csv:2 column offered",
            cause: "many",
        },
        BadCase {
            name: "mixed interval lengths",
            history: mixed,
            extra: &[],
            code: "F1002",
            place: "h.csv:",
            cause: "mixed interval lengths",
        },
        BadCase {
            name: "timestamp off the grid",
            history: weekday_rows(10, 15).replacen("T08:15:00Z", "T08:17:00Z", 1),
            extra: &[],
            code: "V1007",
            place: "h.csv:3 column interval_start",
            cause: "not on the 15 minutes grid",
        },
        BadCase {
            name: "rows coarser than the plan",
            history: weekday_rows(10, 60),
            extra: &["--interval", "15m"],
            code: "V1007",
            place: "h.csv",
            cause: "60 minutes apart",
        },
        BadCase {
            name: "shorter than a week",
            history: weekday_rows(4, 15),
            extra: &["--method", "weekday-average"],
            code: "F1001",
            place: "h.csv",
            cause: "at least 7 days",
        },
        BadCase {
            name: "duplicated row",
            history: weekday_rows(10, 15).replacen("T08:15:00Z", "T08:00:00Z", 1),
            extra: &[],
            code: "V1005",
            place: "h.csv:3 column interval_start",
            cause: "repeats line 2",
        },
        BadCase {
            name: "unsorted rows",
            history: weekday_rows(10, 15).replacen(
                "2026-10-05T08:15:00Z",
                "2026-10-04T08:15:00Z",
                1,
            ),
            extra: &[],
            code: "V1006",
            place: "h.csv:3 column interval_start",
            cause: "comes before line 2",
        },
        BadCase {
            name: "history after the start",
            history: weekday_rows(10, 15),
            extra: &["--start", "2026-10-01"],
            code: "F1003",
            place: "h.csv",
            cause: "no history before",
        },
        BadCase {
            name: "bad special day",
            history: weekday_rows(10, 15),
            extra: &["--special-day", "2026-11-26=0"],
            code: "F1004",
            place: "--special-day",
            cause: "greater than 0",
        },
        BadCase {
            name: "unknown method",
            history: weekday_rows(10, 15),
            extra: &["--method", "arima"],
            code: "F1005",
            place: "--method",
            cause: "arima",
        },
    ];
    let mut failures = Vec::new();
    for case in cases {
        let scratch = Scratch::new("forecast-bad");
        scratch.write("h.csv", &case.history);
        let before = scratch.files();
        let mut args = vec!["forecast", "--history", "h.csv", "-o", "f.csv"];
        if !case.extra.contains(&"--start") {
            args.extend(["--start", "2026-11-02"]);
        }
        args.extend(case.extra);
        let output = staffplan_in(&scratch.dir, &args);
        let err = stderr(&output);
        let line = err.lines().find(|l| l.contains(case.code)).unwrap_or("");
        let mut problems = Vec::new();
        if output.status.code() != Some(2) {
            problems.push(format!("exit {:?}", output.status.code()));
        }
        if err.contains("panicked") {
            problems.push("panicked".to_string());
        }
        if !line.starts_with("error: ") {
            problems.push(format!("no error line with {}", case.code));
        }
        if !line.contains(case.place) || !line.contains(case.cause) || !line.contains("fix:") {
            problems.push(format!("line lacks place/cause/fix: {line:?}"));
        }
        if scratch.files() != before {
            problems.push("an output file was written".into());
        }
        if !problems.is_empty() {
            failures.push(format!(
                "{}: {}\n  stderr: {err}",
                case.name,
                problems.join("; ")
            ));
        }
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_scenario_with_a_history_file_is_forecast_by_load_volumes() {
    let scratch = Scratch::new("forecast-scenario");
    scratch.write("history.csv", &history_csv(date(2026, 9, 7), 11 * 7, &[]));
    let scenario_text = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
history = "history.csv"

[[queue]]
id = "sales"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
history = "history.csv"

[[special_day]]
date = 2026-11-26
name = "Thanksgiving"
multiplier = "closed"

[[special_day]]
date = 2026-11-27
multiplier = "+50%"
queues = ["sales"]
"#;
    let path = scratch.write("scenario.toml", scenario_text);
    let scenario = Scenario::load(&path).unwrap();
    assert_eq!(scenario.special_days.len(), 2);
    let volumes = staffplan::pipeline::Pipeline::new(&scenario, Default::default())
        .volumes()
        .unwrap()
        .volumes;
    assert_eq!(volumes.len(), 2);
    let horizon = &scenario.horizon;
    let zone = horizon.zone();
    // The same numbers as the command line gives for the same history and plan.
    let output = staffplan_in(
        &scratch.dir,
        &[
            "forecast",
            "--history",
            "history.csv",
            "--start",
            "2026-11-23",
            "--interval",
            "30m",
            "--time-zone",
            "America/New_York",
            "--special-day",
            "2026-11-26=closed",
            "-o",
            "f.csv",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let table = staffplan::volume::load_volume_file(&scratch.path("f.csv"), zone).unwrap();
    for volume in &volumes {
        let cli: Vec<f64> = table.records_for(&volume.queue).map(|r| r.volume).collect();
        assert_eq!(cli.len(), horizon.len());
        for (i, &from_cli) in cli.iter().enumerate() {
            let day = horizon.date_of_day(horizon.day_of(i));
            let expected = if day == date(2026, 11, 27) && volume.queue == "sales" {
                from_cli * 1.5
            } else {
                from_cli
            };
            assert!(
                (volume.volume[i] - expected).abs() < 1e-3,
                "{} {}: {} vs {expected}",
                volume.queue,
                horizon.local_start(i),
                volume.volume[i]
            );
            if day == date(2026, 11, 26) {
                assert_eq!(volume.volume[i], 0.0);
            }
        }
        // The history has handle times: the forecast uses them, not the queue's aht.
        let ten = (0..horizon.len())
            .find(|&i| horizon.local_minute(i) == 600 && horizon.day_of(i) == 0)
            .unwrap();
        assert!((240.0..=242.0).contains(&volume.aht_seconds[ten]));
    }
}

#[test]
fn scenario_special_day_mistakes_are_reported_together() {
    let text = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
history = "history.csv"

[[special_day]]
date = "2026-13-01"
multiplier = 0.5

[[special_day]]
date = 2026-11-26
multiplier = -1

[[special_day]]
date = 2026-11-27
multiplier = "closed"
queues = ["salse"]

[[special_day]]
date = 2026-11-28
multipler = 2
"#;
    let error = Scenario::from_toml(text, Path::new("s.toml"), Path::new(".")).unwrap_err();
    let lines: Vec<String> = error
        .diagnostics()
        .iter()
        .map(ToString::to_string)
        .collect();
    let text = lines.join("\n");
    // Unknown keys are found first (the file is not validated further).
    assert!(
        text.contains("S1002") && text.contains("multiplier"),
        "{text}"
    );
    let fixed = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
history = "history.csv"

[[special_day]]
date = "2026-13-01"
multiplier = 0.5

[[special_day]]
date = 2026-11-26
multiplier = -1

[[special_day]]
date = 2026-11-27
multiplier = "closed"
queues = ["salse"]

[[special_day]]
date = 2026-11-27
multiplier = 2
"#;
    let error = Scenario::from_toml(fixed, Path::new("s.toml"), Path::new(".")).unwrap_err();
    let diagnostics = error.diagnostics();
    let places: Vec<&str> = diagnostics.iter().map(|d| d.place.as_str()).collect();
    assert!(
        diagnostics.iter().all(|d| d.code == "F1004"),
        "{diagnostics:?}"
    );
    // A queue the scenario does not have is a warning (F1008), not an error: the entry is
    // kept, so the next one on the same date is a duplicate.
    assert_eq!(
        places,
        vec![
            "s.toml special_day[0].date",
            "s.toml special_day[1].multiplier",
            "s.toml special_day[3].date",
        ],
        "{diagnostics:?}"
    );
    let warned = fixed
        .split("[[special_day]]")
        .enumerate()
        .filter(|(i, _)| matches!(i, 0 | 3))
        .map(|(i, part)| {
            if i == 0 {
                part.to_string()
            } else {
                format!("[[special_day]]{part}")
            }
        })
        .collect::<String>();
    let scenario = Scenario::from_toml(&warned, Path::new("s.toml"), Path::new(".")).unwrap();
    let warnings: Vec<String> = scenario.warnings.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    assert!(
        warnings[0].starts_with("F1008 s.toml special_day[0].queues: ")
            && warnings[0].contains("\"salse\"")
            && warnings[0].contains("changes nothing"),
        "{warnings:?}"
    );
}

#[test]
fn explain_knows_the_forecast_codes() {
    for code in ["F1001", "F1002", "F1003", "F1004", "F1005", "F1006"] {
        let output = util::staffplan(&["explain", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
        assert!(stdout(&output).starts_with(code));
    }
}
