//! `staffplan check` end to end: the files written for a roster pass; a hand-broken roster.csv
//! fails with exit 1 and names each violation; a damaged file is bad input (exit 2).

mod util;

use chrono::Duration;
use staffplan::domain::{BreakSlot, ShiftSlot};
use staffplan::export::{RosterOutputs, stage_roster_outputs};
use staffplan::roster::synthetic::local_instant;
use staffplan::roster::{RosterInput, assign};
use staffplan::scenario::Scenario;
use util::{Scratch, staffplan, stdout, summary_of};

/// The two-sites scenario without [[shift]] sections, written to `scratch` with absolute paths.
fn scenario_file(scratch: &Scratch) -> std::path::PathBuf {
    let text = std::fs::read_to_string(util::repo("scenarios/two-sites.toml")).unwrap();
    let head = &text[..text.find("[[shift]]").unwrap()];
    let dir = util::repo("scenarios");
    let head = head.replace("\"two-sites.", &format!("\"{}/two-sites.", dir.display()));
    scratch.write("two-sites.toml", &head)
}

fn slots(scenario: &Scenario) -> Vec<ShiftSlot> {
    let zone = scenario.horizon.zone();
    let mut out = Vec::new();
    for day in 0..7 {
        let date = scenario.horizon.date_of_day(day);
        for (group, hour, count) in [("voice", 2, 2), ("voice", 9, 6), ("chat", 9, 4)] {
            for k in 0..count {
                let start = local_instant(zone, date, hour, 0);
                out.push(ShiftSlot {
                    slot_id: format!("{group}@{}#{k}", staffplan::time::format_utc(start)),
                    template: format!("{group}8"),
                    skill_group: group.into(),
                    start,
                    end: start + Duration::minutes(510),
                    local_date: date,
                    breaks: vec![BreakSlot {
                        start: start + Duration::hours(4),
                        end: start + Duration::minutes(270),
                        paid: false,
                    }],
                    paid_seconds: 8.0 * 3600.0,
                    cost: 0.0,
                });
            }
        }
    }
    out
}

#[test]
fn check_passes_a_written_roster_and_names_violations_in_a_broken_one() {
    let scratch = Scratch::new("check-cli");
    let path = scenario_file(&scratch);
    let scenario = Scenario::load(&path).unwrap();
    let w = &scenario.workforce;
    let slots = slots(&scenario);
    let outcome = assign(RosterInput {
        slots: &slots,
        agents: &w.agents,
        time_off: &w.time_off,
        rules: &w.rules,
        horizon: &scenario.horizon,
    });
    let out = scratch.dir.join("out");
    let hours = staffplan::check::roster::weekly_hours(
        &staffplan::domain::WorkedShift::from_roster(&outcome.roster),
        &w.agents,
        &scenario.horizon,
    );
    std::fs::create_dir_all(&out).unwrap();
    let mut set = staffplan::output::OutputSet::new(scenario.input_files());
    stage_roster_outputs(
        &mut set,
        &RosterOutputs {
            out_dir: &out,
            horizon: &scenario.horizon,
            agents: &w.agents,
            slots: &slots,
            roster: &outcome.roster,
            shortfall: &outcome.shortfall,
            hours: &hours,
            ics_per_agent: true,
            calendar_name: "Two sites",
        },
    )
    .unwrap();
    let written = set.commit().unwrap();
    assert!(written.iter().any(|p| p.ends_with("roster-LIS002.ics")));
    assert_eq!(
        written
            .iter()
            .filter(|p| p.extension().is_some_and(|e| e == "ics"))
            .count(),
        60
    );
    let roster = out.join("roster.csv");
    // Evaluation and what-if read the same roster back, slots and breaks included.
    let loaded = staffplan::export::roster_csv::load_roster(&roster, &scenario).unwrap();
    // Slots of one shift are interchangeable, so compare what each agent works.
    let worked = |r: &staffplan::domain::Roster| -> Vec<String> {
        r.assignments
            .iter()
            .map(|a| {
                format!(
                    "{} {} {} {} {:?} {}",
                    a.agent_id,
                    a.slot.start,
                    a.slot.end,
                    a.slot.skill_group,
                    a.slot.breaks,
                    a.slot.paid_seconds
                )
            })
            .collect()
    };
    assert!(
        worked(&loaded) == worked(&outcome.roster),
        "the roster read back differs"
    );
    assert_eq!(loaded.unfilled.len(), outcome.roster.unfilled.len());
    let clean = staffplan(&["check", path.to_str().unwrap(), roster.to_str().unwrap()]);
    assert_eq!(clean.status.code(), Some(0), "{}", stdout(&clean));
    assert!(stdout(&clean).contains("0 violation(s)"));
    assert!(stdout(&clean).contains("coverage:"));

    // Move one agent's second shift three hours earlier (rest below 11 h, and off the plan).
    let text = std::fs::read_to_string(&roster).unwrap();
    let mut lines: Vec<String> = text.lines().map(str::to_string).collect();
    let row = lines.iter().position(|l| l.starts_with("NYC001,")).unwrap() + 1;
    let fields: Vec<&str> = lines[row].split(',').collect();
    let start: chrono::DateTime<chrono::Utc> = fields[5].parse().unwrap();
    let end: chrono::DateTime<chrono::Utc> = fields[6].parse().unwrap();
    let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let (new_start, new_end) = (start - Duration::hours(14), end - Duration::hours(14));
    let mut changed: Vec<String> = fields.iter().map(|s| s.to_string()).collect();
    changed[2] = new_start
        .with_timezone(&zone)
        .format("%Y-%m-%d")
        .to_string();
    changed[3] = new_start
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M%:z")
        .to_string();
    changed[4] = new_end
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M%:z")
        .to_string();
    changed[5] = staffplan::time::format_utc(new_start);
    changed[6] = staffplan::time::format_utc(new_end);
    changed[9] = String::new();
    lines[row] = changed.join(",");
    let broken = scratch.write("out/broken.csv", &(lines.join("\n") + "\n"));
    let result = staffplan(&["check", path.to_str().unwrap(), broken.to_str().unwrap()]);
    assert_eq!(result.status.code(), Some(1), "{}", stdout(&result));
    let printed = stdout(&result);
    assert!(
        printed.contains("violation: not_in_plan agent NYC001"),
        "{printed}"
    );
    assert!(printed.contains("agent NYC001"), "{printed}");

    scratch.write("out/damaged.csv", "agent_id,name\nx,y\n");
    let damaged = staffplan(&[
        "check",
        path.to_str().unwrap(),
        scratch.dir.join("out/damaged.csv").to_str().unwrap(),
    ]);
    assert_eq!(damaged.status.code(), Some(2));
    assert!(util::stderr(&damaged).contains("X1001"));
}

/// `staffplan roster` then `staffplan check` on every scenario of the repository that names
/// agents; the others are refused with A1014.
#[test]
fn roster_and_check_every_scenario() {
    let mut rostered = 0;
    for entry in std::fs::read_dir(util::repo("scenarios")).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "toml") {
            continue;
        }
        let scratch = Scratch::new("roster-scenario");
        let out = scratch.dir.join("out");
        let scenario = Scenario::load(&path).unwrap();
        let result = staffplan(&[
            "roster",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--time-limit",
            "4s",
            "--quiet",
        ]);
        if scenario.workforce.agents.is_empty() || scenario.shifts.templates.is_empty() {
            assert_eq!(result.status.code(), Some(2), "{}", path.display());
            continue;
        }
        assert_eq!(
            result.status.code(),
            Some(0),
            "{}: {}",
            path.display(),
            util::stderr(&result)
        );
        let summary = summary_of(&out);
        let lost = summary["roster_shortfall_agent_hours"].as_f64().unwrap();
        assert_eq!(summary["roster_violations"], 0);
        let check = staffplan(&[
            "check",
            path.to_str().unwrap(),
            out.join("roster.csv").to_str().unwrap(),
        ]);
        assert_eq!(check.status.code(), Some(0), "{}", stdout(&check));
        assert!(
            stdout(&check).contains(&format!(
                "coverage: {} agent-hours",
                staffplan::units::format_number(lost, 2)
            )),
            "{}",
            stdout(&check)
        );
        // Hostile names stay neutralised in every CSV written.
        for file in ["roster.csv", "agent_hours.csv"] {
            let text = std::fs::read_to_string(out.join(file)).unwrap();
            assert!(
                !text.contains("\n=")
                    && !text.contains(",=")
                    && !text.contains(",@")
                    && !text.contains("\n@"),
                "{file}"
            );
        }
        rostered += 1;
    }
    assert!(rostered >= 1, "no scenario with agents");
}

/// A true capacity shortfall: two agents work Saturdays. The plan stays within what they can
/// give and spreads the shortfall over the day, `capacity_shortfall` names Saturday and the
/// binding resource, and the hiring hint, added to the agents file, closes it.
#[test]
fn a_capacity_shortfall_is_named_spread_and_closed_by_the_hiring_hint() {
    let scratch = Scratch::new("roster-capacity");
    let dir = util::repo("scenarios");
    let text = std::fs::read_to_string(dir.join("small-call-center.toml"))
        .unwrap()
        .replace(
            "\"small-call-center.",
            &format!("\"{}/small-call-center.", dir.display()),
        )
        .replace(
            &format!(
                "agents = \"{}/small-call-center.agents.csv\"",
                dir.display()
            ),
            "agents = \"agents.csv\"",
        );
    let agents = std::fs::read_to_string(dir.join("small-call-center.agents.csv")).unwrap();
    // Everyone off on weekends but the first two.
    let mut rows: Vec<String> = Vec::new();
    for (k, line) in agents.lines().enumerate() {
        let mut cells: Vec<&str> = line.split(',').collect();
        if k > 2 {
            let last = cells.len() - 1;
            cells[last] = "off";
        }
        rows.push(cells.join(","));
    }
    scratch.write("agents.csv", &(rows.join("\n") + "\n"));
    let path = scratch.write("short.toml", &text);
    let out = scratch.path("out");
    let run = |out: &std::path::Path| {
        let result = staffplan(&[
            "run",
            path.to_str().unwrap(),
            "--out",
            out.to_str().unwrap(),
            "--quiet",
        ]);
        assert_eq!(result.status.code(), Some(0), "{}", util::stderr(&result));
        summary_of(out)
    };
    let summary = run(&out);
    let short = summary["capacity_shortfall"].as_array().unwrap();
    let saturday: Vec<&serde_json::Value> = short
        .iter()
        .filter(|s| s["local_date"] == "2026-11-28")
        .collect();
    assert_eq!(saturday.len(), 1, "{short:?}");
    assert_eq!(saturday[0]["queue"], "support");
    assert!(saturday[0]["missing_agent_hours"].as_f64().unwrap() > 1.0);
    let binding = saturday[0]["binding"].as_str().unwrap();
    assert!(
        binding.contains("2 agents") && binding.contains("Sat 28 Nov"),
        "{binding}"
    );
    // Every roster slot has its agent: the plan asked only for what they can give.
    assert_eq!(summary["roster_shortfall_agent_hours"].as_f64(), Some(0.0));
    // Spread: no open Saturday interval is left without an agent.
    let coverage = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    for line in coverage.lines().skip(1) {
        let cells: Vec<&str> = line.split(',').collect();
        if cells[1].starts_with("2026-11-28") && cells[4] != "0" {
            let on_queue: f64 = cells[14].parse().unwrap();
            assert!(on_queue > 0.0, "nobody on the queue: {line}");
        }
    }
    // The hint, added to the agents file, closes the shortfall.
    let hints = summary["hiring_hint"].as_array().unwrap();
    assert_eq!(hints.len(), 1, "{hints:?}");
    let hint = &hints[0];
    assert_eq!(hint["skill_group"], "support");
    assert_eq!(hint["weekdays"], "off");
    let hires = hint["agents"].as_u64().unwrap();
    assert!((1..=20).contains(&hires), "{hint}");
    for k in 0..hires {
        rows.push(format!(
            "H{k:03},Hire {k},support,America/Chicago,0,{},{},5,,{},{}",
            hint["max_weekly_hours"],
            hint["max_days_per_week"],
            hint["weekdays"].as_str().unwrap(),
            hint["weekend"].as_str().unwrap()
        ));
    }
    scratch.write("agents.csv", &(rows.join("\n") + "\n"));
    let after = run(&scratch.path("out-hired"));
    assert_eq!(
        after["capacity_shortfall"].as_array().map(Vec::len),
        Some(0),
        "{}",
        after["capacity_shortfall"]
    );
}
