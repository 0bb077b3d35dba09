//! `staffplan whatif`, `evaluate` and `simulate` on the command line: bad input is reported
//! with codes, all at once, exit code 2.

mod util;

use util::{Scratch, staffplan_in, stderr};

const SCENARIO: &str = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/Chicago"

[[queue]]
id = "support"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "support.csv"
"#;

#[test]
fn bad_whatif_flags_are_reported_together_with_codes() {
    let scratch = Scratch::new("whatif-bad-flags");
    scratch.write("s.toml", SCENARIO);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "whatif",
            "s.toml",
            "--out",
            "out",
            "--absent",
            "A017@2027-01-05",
            "--volume",
            "-150%",
            "--volume",
            "chat:+30%",
            "--monte-carlo",
            "0",
            "--absence-rate",
            "1.5",
            "--training",
            "6@2026-11-24",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    for code in [
        "W1011", "W1002", "W1003", "W1007", "W1005", "W1004", "W1006",
    ] {
        assert!(text.contains(code), "{code} missing:\n{text}");
    }
    assert!(
        text.contains("2027-01-05") && text.contains("2026-11-23 to 2026-11-29"),
        "{text}"
    );
    assert!(
        !scratch.path("out").exists(),
        "nothing is written on bad input"
    );
}

#[test]
fn bad_simulation_settings_exit_2() {
    let scratch = Scratch::new("simulate-bad-flags");
    scratch.write("s.toml", SCENARIO);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "simulate",
            "s.toml",
            "roster.csv",
            "--replications",
            "1",
            "--handle-time-cv",
            "9",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert_eq!(text.matches("W1010").count(), 2, "{text}");
}

#[test]
fn explain_knows_the_whatif_codes() {
    let scratch = Scratch::new("whatif-explain");
    for code in ["W1001", "W1005", "W1010", "W1013"] {
        let output = staffplan_in(&scratch.dir, &["explain", code]);
        assert_eq!(output.status.code(), Some(0), "{code}");
    }
}

/// A 2-day scenario with named agents, its forecast and a published roster.csv written with the
/// roster exporter.
fn published(scratch: &Scratch) {
    use chrono::{Duration, TimeZone, Utc};
    use staffplan::domain::{Assignment, Roster, ShiftSlot};
    let mut agents = String::new();
    let ids: Vec<String> = (0..11)
        .map(|k| format!("E{k:02}"))
        .chain((0..8).map(|k| format!("L{k:02}")))
        .collect();
    for id in &ids {
        agents.push_str(&format!(
            "\n[[agent]]\nid = \"{id}\"\nskills = [\"voice\"]\n"
        ));
    }
    scratch.write(
        "s.toml",
        &format!(
            r#"
[plan]
start = 2026-11-23
days = 2
interval_minutes = 30
time_zone = "UTC"

[[queue]]
id = "voice"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "voice.csv"
[queue.open]
daily = "08:00-20:00"
{agents}
[[whatif]]
name = "launch"
volume = "+10%@2026-11-23"
"#
        ),
    );
    let origin = Utc.with_ymd_and_hms(2026, 11, 23, 0, 0, 0).unwrap();
    let mut forecast = String::from("interval_start,queue,volume\n");
    for i in 0..96 {
        let t = origin + Duration::minutes(30 * i);
        let minute = (i % 48) * 30;
        let volume = if (480..720).contains(&minute) { 80 } else { 50 };
        forecast.push_str(&format!(
            "{},voice,{volume}\n",
            t.format("%Y-%m-%dT%H:%M:%SZ")
        ));
    }
    scratch.write("voice.csv", &forecast);
    let mut roster = Roster::default();
    for day in 0..2i64 {
        for (k, id) in ids.iter().enumerate() {
            if day == 1 && (id == "E10" || id == "L07") {
                continue;
            }
            let start = origin + Duration::days(day) + Duration::hours(if k < 11 { 8 } else { 12 });
            roster.assignments.push(Assignment {
                agent_id: id.clone(),
                slot: ShiftSlot {
                    slot_id: format!("{id}-{day}"),
                    template: "day".into(),
                    skill_group: "voice".into(),
                    start,
                    end: start + Duration::hours(8),
                    local_date: start.date_naive(),
                    breaks: Vec::new(),
                    paid_seconds: 8.0 * 3600.0,
                    cost: 8.0,
                },
            });
        }
    }
    let scenario = staffplan::scenario::Scenario::load(&scratch.path("s.toml")).unwrap();
    let mut csv = Vec::new();
    staffplan::export::roster_csv::write_roster_csv(&mut csv, &roster, &scenario.workforce.agents)
        .unwrap();
    scratch.write("roster.csv", &String::from_utf8(csv).unwrap());
}

#[test]
fn whatif_end_to_end_with_reoptimisation_and_monte_carlo() {
    use staffplan::check::roster::{CheckContext, check_shifts};
    let scratch = Scratch::new("whatif-e2e");
    published(&scratch);
    let args = |out: &str| {
        vec![
            "whatif".to_string(),
            "s.toml".into(),
            "--roster".into(),
            "roster.csv".into(),
            "--out".into(),
            out.into(),
            "--absent".into(),
            "E00@2026-11-24".into(),
            "--absent".into(),
            "E01@2026-11-24".into(),
            "--reoptimize".into(),
        ]
    };
    let run = |out: &str, extra: &[&str], threads: &str| {
        let mut a = args(out);
        a.extend(extra.iter().map(|s| s.to_string()));
        let output = std::process::Command::new(env!("CARGO_BIN_EXE_staffplan"))
            .args(&a)
            .current_dir(&scratch.dir)
            .env("RAYON_NUM_THREADS", threads)
            .output()
            .unwrap();
        assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
        util::stdout(&output)
    };
    let table = run("out1", &[], "1");
    assert!(table.contains("baseline") && table.contains("launch") && table.contains("cli"));
    let whatif = std::fs::read_to_string(scratch.path("out1/whatif.csv")).unwrap();
    let mut rows = csv::Reader::from_reader(whatif.as_bytes());
    let header = rows.headers().unwrap().clone();
    let column = |name: &str| header.iter().position(|h| h == name).unwrap();
    let records: Vec<csv::StringRecord> = rows.records().map(|r| r.unwrap()).collect();
    assert_eq!(records.len(), 3);
    let cli = &records[2];
    assert_eq!(&cli[column("variant")], "cli");
    assert_ne!(
        &cli[column("days_below_target")],
        "0",
        "the absences should hurt"
    );
    assert_eq!(&cli[column("reoptimized_days_below_target")], "0");
    assert!(!cli[column("changes")].is_empty());
    // The re-optimised roster is written, reads back, and the checker accepts it.
    let text = std::fs::read_to_string(scratch.path("out1/roster-cli.csv")).unwrap();
    let scenario = staffplan::scenario::Scenario::load(&scratch.path("s.toml")).unwrap();
    let workforce = &scenario.workforce;
    let file =
        staffplan::export::roster_csv::read_roster_csv(text.as_bytes(), "roster-cli.csv", &|id| {
            workforce.agent(id).map(|a| a.time_zone)
        })
        .unwrap();
    assert!(file.violations.is_empty());
    let context = CheckContext {
        agents: &workforce.agents,
        time_off: &workforce.time_off,
        rules: &workforce.rules,
        horizon: &scenario.horizon,
        plan: None,
    };
    let report = check_shifts(&file.shifts, &context);
    assert!(report.is_clean(), "{:?}", report.violations);
    // And `staffplan check` agrees (exit 0: no violation).
    let output = staffplan_in(&scratch.dir, &["check", "s.toml", "out1/roster-cli.csv"]);
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}{}",
        util::stdout(&output),
        stderr(&output)
    );
    // Monte Carlo: byte-identical with 1 and 2 threads.
    let mc = [
        "--monte-carlo",
        "300",
        "--absence-rate",
        "0.08",
        "--seed",
        "7",
    ];
    run("mc1", &mc, "1");
    run("mc2", &mc, "2");
    for file in [
        "whatif.csv",
        "montecarlo.json",
        "montecarlo_runs.csv",
        "summary.json",
        "coverage.csv",
    ] {
        let a = std::fs::read(scratch.path(&format!("mc1/{file}"))).unwrap();
        let b = std::fs::read(scratch.path(&format!("mc2/{file}"))).unwrap();
        assert!(a == b, "{file} differs between 1 and 2 threads");
    }
    // Unknown agent: W1001 with a suggestion.
    let output = staffplan_in(
        &scratch.dir,
        &[
            "whatif",
            "s.toml",
            "--roster",
            "roster.csv",
            "--out",
            "bad",
            "--absent",
            "E0@2026-11-24",
        ],
    );
    assert_eq!(output.status.code(), Some(2));
    let text = stderr(&output);
    assert!(
        text.contains("W1001") && text.contains("did you mean"),
        "{text}"
    );
}

#[test]
fn evaluate_and_simulate_commands() {
    let scratch = Scratch::new("evaluate-e2e");
    published(&scratch);
    let output = staffplan_in(
        &scratch.dir,
        &[
            "evaluate",
            "s.toml",
            "--roster",
            "roster.csv",
            "--out",
            "eval",
            "--simulate",
            "--replications",
            "5",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    for file in ["coverage.csv", "summary.json", "simulation.csv"] {
        assert!(scratch.path(&format!("eval/{file}")).exists(), "{file}");
    }
    let summary: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(scratch.path("eval/summary.json")).unwrap())
            .unwrap();
    let weekly = summary["service_level"]["voice"].as_f64().unwrap();
    assert!(weekly > 0.8 && weekly < 1.0, "{weekly}");
    let output = staffplan_in(
        &scratch.dir,
        &[
            "simulate",
            "s.toml",
            "roster.csv",
            "--replications",
            "5",
            "-o",
            "sim.csv",
        ],
    );
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    assert!(util::stdout(&output).contains("Erlang SL"));
    assert!(scratch.path("sim.csv").exists());
}
