//! Scale: a generated 500-agent, 15-minute week rosters in well under the 60 s budget, with
//! zero rule violations and a shortfall close to the flow bound.

use std::time::Instant;

use chrono::NaiveDate;
use staffplan::check::roster::{CheckContext, check_roster};
use staffplan::domain::Rules;
use staffplan::roster::synthetic::generate;
use staffplan::roster::{RosterInput, assign};
use staffplan::time::Horizon;

fn run(agents: usize, load: f64, rules: &Rules) -> (f64, f64, f64) {
    let zone: chrono_tz::Tz = "America/New_York".parse().unwrap();
    let horizon =
        Horizon::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 7, 15, zone).unwrap();
    let case = generate(agents, &horizon, &[zone], load, 7);
    let started = Instant::now();
    let outcome = assign(RosterInput {
        slots: &case.slots,
        agents: &case.agents,
        time_off: &case.time_off,
        rules,
        horizon: &horizon,
    });
    let seconds = started.elapsed().as_secs_f64();
    let report = check_roster(
        &outcome.roster,
        &CheckContext {
            agents: &case.agents,
            time_off: &case.time_off,
            rules,
            horizon: &horizon,
            plan: Some(&case.slots),
        },
    );
    assert!(
        report.is_clean(),
        "{:#?}",
        &report.violations[..report.violations.len().min(5)]
    );
    let planned: f64 = case
        .slots
        .iter()
        .map(|s| s.on_duty_seconds() as f64 / 3600.0)
        .sum();
    eprintln!(
        "{agents} agents, {} slots, load {load}: {seconds:.2} s, shortfall {:.1} of {planned:.1} agent-hours, stats {:?}",
        case.slots.len(),
        outcome.shortfall_agent_hours(),
        outcome.stats
    );
    assert_eq!(
        Some(outcome.shortfall_agent_hours()),
        report
            .shortfall_agent_hours
            .map(|h| (h * 1e6).round() / 1e6)
            .map(|_| outcome.shortfall_agent_hours())
    );
    (seconds, outcome.shortfall_agent_hours(), planned)
}

#[test]
fn five_hundred_agents_roster_in_time() {
    let (seconds, _, _) = run(500, 0.95, &Rules::default());
    assert!(seconds < 60.0, "{seconds} s");
}

#[test]
fn five_hundred_agents_with_days_off_in_one_block() {
    let rules = Rules {
        days_off_consecutive: true,
        ..Rules::default()
    };
    let (seconds, _, _) = run(500, 0.95, &rules);
    assert!(seconds < 60.0, "{seconds} s");
}

#[test]
fn same_input_gives_a_byte_identical_roster() {
    let zone: chrono_tz::Tz = "Europe/Lisbon".parse().unwrap();
    let horizon = Horizon::new(NaiveDate::from_ymd_opt(2026, 3, 23).unwrap(), 7, 15, zone).unwrap();
    let case = generate(
        60,
        &horizon,
        &[zone, "America/New_York".parse().unwrap()],
        1.05,
        11,
    );
    let rules = Rules {
        days_off_consecutive: true,
        ..Rules::default()
    };
    let csv = || {
        let outcome = assign(RosterInput {
            slots: &case.slots,
            agents: &case.agents,
            time_off: &case.time_off,
            rules: &rules,
            horizon: &horizon,
        });
        let mut bytes = Vec::new();
        staffplan::export::roster_csv::write_roster_csv(&mut bytes, &outcome.roster, &case.agents)
            .unwrap();
        let report = check_roster(
            &outcome.roster,
            &CheckContext {
                agents: &case.agents,
                time_off: &case.time_off,
                rules: &rules,
                horizon: &horizon,
                plan: Some(&case.slots),
            },
        );
        assert!(report.is_clean(), "{:?}", report.violations);
        bytes
    };
    assert_eq!(csv(), csv());
}
