//! The checker on hand-broken rosters: each broken rule is reported by name, read back from
//! roster.csv (the file HR gets), and a clean roster passes.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use staffplan::check::roster::{CheckContext, CheckReport, ViolationKind, check_shifts};
use staffplan::domain::{
    Agent, Assignment, BreakSlot, Contract, Roster, Rules, ShiftSlot, TimeOff,
};
use staffplan::export::roster_csv::{read_roster_csv, write_roster_csv};
use staffplan::roster::synthetic::local_instant;
use staffplan::time::Horizon;

fn zone() -> Tz {
    "America/New_York".parse().unwrap()
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn agent(id: &str, skills: &[&str], max_hours: f64, max_days: u32, max_consecutive: u32) -> Agent {
    Agent {
        id: id.into(),
        name: format!("Agent {id}"),
        skill_groups: skills.iter().map(|s| s.to_string()).collect(),
        time_zone: zone(),
        contract: Contract {
            min_weekly_hours: 0.0,
            max_weekly_hours: max_hours,
            max_days_per_week: max_days,
            max_consecutive_days: max_consecutive,
        },
        availability: std::array::from_fn(|_| vec![(0, 1440)]),
        preferred_template: None,
        preferred_start_minute: None,
    }
}

fn slot(skill: &str, day: i64, hour: u32, hours: i64) -> ShiftSlot {
    let start = local_instant(zone(), monday() + Duration::days(day), hour, 0);
    ShiftSlot {
        slot_id: format!("{skill}@{start}"),
        template: format!("{hours}h"),
        skill_group: skill.into(),
        start,
        end: start + Duration::hours(hours),
        local_date: monday() + Duration::days(day),
        breaks: vec![BreakSlot {
            start: start + Duration::hours(4),
            end: start + Duration::minutes(270),
            paid: false,
        }],
        paid_seconds: hours as f64 * 3600.0 - 1800.0,
        cost: 0.0,
    }
}

fn roster(list: &[(&str, ShiftSlot)]) -> Roster {
    Roster {
        assignments: list
            .iter()
            .map(|(id, s)| Assignment {
                agent_id: id.to_string(),
                slot: s.clone(),
            })
            .collect(),
        unfilled: Vec::new(),
    }
}

/// Writes the roster to CSV, reads it back and checks it (the `staffplan check` path).
fn check_via_csv(
    roster: &Roster,
    agents: &[Agent],
    time_off: &[TimeOff],
    rules: &Rules,
    plan: Option<&[ShiftSlot]>,
) -> CheckReport {
    let mut bytes = Vec::new();
    write_roster_csv(&mut bytes, roster, agents).unwrap();
    let zone_of = |id: &str| agents.iter().find(|a| a.id == id).map(|a| a.time_zone);
    let file = read_roster_csv(bytes.as_slice(), "roster.csv", &zone_of).unwrap();
    assert!(file.violations.is_empty(), "{:?}", file.violations);
    let horizon = Horizon::new(monday(), 7, 30, zone()).unwrap();
    check_shifts(
        &file.shifts,
        &CheckContext {
            agents,
            time_off,
            rules,
            horizon: &horizon,
            plan,
        },
    )
}

fn kinds_of(report: &CheckReport, agent: &str) -> Vec<ViolationKind> {
    let mut kinds: Vec<ViolationKind> = report
        .violations
        .iter()
        .filter(|v| v.agent_id == agent)
        .map(|v| v.kind)
        .collect();
    kinds.dedup();
    kinds
}

#[test]
fn each_broken_rule_is_reported_by_name() {
    let agents = vec![
        agent("REST", &["voice"], 40.0, 5, 5),
        agent("SIXDAYS", &["voice"], 60.0, 7, 5),
        agent("OFF", &["voice"], 40.0, 5, 5),
        agent("NOSKILL", &["voice"], 40.0, 5, 5),
        agent("HOURS", &["voice"], 20.0, 5, 5),
        agent("GOOD", &["voice", "chat"], 40.0, 5, 5),
    ];
    let off_start = local_instant(zone(), monday() + Duration::days(2), 0, 0);
    let time_off = vec![TimeOff {
        agent_id: "OFF".into(),
        start: off_start,
        end: off_start + Duration::days(1),
        reason: "vacation".into(),
    }];
    let mut list = vec![
        // Ends Tuesday 22:00, starts Wednesday 07:00: 9 h of rest.
        ("REST", slot("voice", 1, 14, 8)),
        ("REST", slot("voice", 2, 7, 8)),
        // Wednesday is a day of approved time off.
        ("OFF", slot("voice", 2, 9, 8)),
        // A chat shift for a voice-only agent.
        ("NOSKILL", slot("chat", 0, 9, 8)),
        // Three 8-hour shifts (22.5 paid hours) on a 20-hour contract.
        ("HOURS", slot("voice", 0, 9, 8)),
        ("HOURS", slot("voice", 1, 9, 8)),
        ("HOURS", slot("voice", 2, 9, 8)),
        ("GOOD", slot("chat", 0, 9, 8)),
        ("GOOD", slot("voice", 1, 9, 8)),
    ];
    // Six days in a row with at most five consecutive days allowed.
    for day in 0..6 {
        list.push(("SIXDAYS", slot("voice", day, 9, 8)));
    }
    let report = check_via_csv(&roster(&list), &agents, &time_off, &Rules::default(), None);
    assert_eq!(kinds_of(&report, "REST"), [ViolationKind::Rest]);
    assert_eq!(
        kinds_of(&report, "SIXDAYS"),
        [ViolationKind::ConsecutiveDays]
    );
    assert_eq!(kinds_of(&report, "OFF"), [ViolationKind::TimeOff]);
    assert_eq!(kinds_of(&report, "NOSKILL"), [ViolationKind::Skill]);
    assert_eq!(kinds_of(&report, "HOURS"), [ViolationKind::WeeklyHours]);
    assert_eq!(kinds_of(&report, "GOOD"), []);
    let rest = report
        .violations
        .iter()
        .find(|v| v.kind == ViolationKind::Rest)
        .unwrap();
    assert!(rest.message.contains("rest of 9h"), "{}", rest.message);
    assert_eq!(
        rest.line, 10,
        "the second REST row (agents sorted: GOOD, HOURS, NOSKILL, OFF, REST)"
    );
    assert_eq!(
        report
            .violations
            .iter()
            .find(|v| v.kind == ViolationKind::Rest)
            .map(|v| v.kind.as_str()),
        Some("rest")
    );
}

#[test]
fn days_off_availability_overlap_and_plan_rules() {
    let mut agents = vec![
        agent("BLOCK", &["voice"], 40.0, 5, 5),
        agent("AVAIL", &["voice"], 40.0, 5, 5),
        agent("TWICE", &["voice"], 40.0, 5, 5),
    ];
    agents[1].availability[0] = vec![(8 * 60, 12 * 60)];
    let rules = Rules {
        days_off_consecutive: true,
        ..Rules::default()
    };
    let plan = vec![
        slot("voice", 0, 9, 8),
        slot("voice", 2, 9, 8),
        slot("voice", 4, 9, 8),
    ];
    let list = vec![
        // Works Mon, Wed, Fri: days off Tue, Thu and Sat-Sun are three blocks.
        ("BLOCK", plan[0].clone()),
        ("BLOCK", plan[1].clone()),
        ("BLOCK", plan[2].clone()),
        // Monday 09:00-17:00 but available 08:00-12:00 only; and a shift the plan lacks.
        ("AVAIL", plan[0].clone()),
        ("TWICE", slot("voice", 3, 6, 5)),
        ("TWICE", slot("voice", 3, 18, 5)),
    ];
    let report = check_via_csv(&roster(&list), &agents, &[], &rules, Some(&plan));
    let block = kinds_of(&report, "BLOCK");
    assert!(block.contains(&ViolationKind::DaysOff), "{block:?}");
    let avail = kinds_of(&report, "AVAIL");
    assert!(avail.contains(&ViolationKind::Availability), "{avail:?}");
    // Two agents on Monday's one planned slot: the row after the first is over the plan.
    assert_eq!(
        report
            .violations
            .iter()
            .filter(|v| v.kind == ViolationKind::OverPlan)
            .count(),
        1
    );
    let twice = kinds_of(&report, "TWICE");
    assert!(
        twice.contains(&ViolationKind::SameDay) && twice.contains(&ViolationKind::NotInPlan),
        "{twice:?}"
    );
    // Every planned slot is worked (one twice), so nothing is lost.
    assert_eq!(report.shortfall_agent_hours, Some(0.0));
}

#[test]
fn a_clean_roster_passes_and_its_hours_are_counted() {
    let agents = vec![agent("A", &["voice"], 40.0, 5, 5)];
    let plan: Vec<ShiftSlot> = (0..5)
        .map(|d| slot("voice", d, 9, 8))
        .chain([slot("voice", 5, 9, 8)])
        .collect();
    let list: Vec<(&str, ShiftSlot)> = plan[..5].iter().map(|s| ("A", s.clone())).collect();
    let report = check_via_csv(&roster(&list), &agents, &[], &Rules::default(), Some(&plan));
    assert!(report.is_clean(), "{:?}", report.violations);
    assert_eq!(report.hours.len(), 1);
    assert!((report.hours[0].paid_hours - 37.5).abs() < 1e-9);
    assert_eq!(report.hours[0].days_worked, 5);
    assert_eq!(report.shortfall_agent_hours, Some(7.5));
}

#[test]
fn a_tampered_local_time_is_a_row_violation() {
    let agents = vec![agent("A", &["voice"], 40.0, 5, 5)];
    let mut bytes = Vec::new();
    write_roster_csv(
        &mut bytes,
        &roster(&[("A", slot("voice", 0, 9, 8))]),
        &agents,
    )
    .unwrap();
    let text = String::from_utf8(bytes)
        .unwrap()
        .replace("2026-11-23T09:00", "2026-11-23T10:00");
    let zone_of = |_: &str| Some(zone());
    let file = read_roster_csv(text.as_bytes(), "roster.csv", &zone_of).unwrap();
    assert_eq!(file.violations.len(), 1);
    assert_eq!(file.violations[0].kind, ViolationKind::Row);
    let broken = "agent_id,agent_name\nA,x\n";
    let err = read_roster_csv(broken.as_bytes(), "roster.csv", &zone_of).unwrap_err();
    assert_eq!(err.codes(), ["X1001"]);
    let _: DateTime<Utc> = file.shifts[0].start;
}
