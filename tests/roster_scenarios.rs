//! The two-sites agents (60 named agents in New York and Lisbon, full and part time, voice,
//! chat and both, with time off and one-block days off) staff a week of voice and chat shifts
//! with zero rule violations; the coverage lost is reported. The shift plan here is a fixed
//! follow-the-sun pattern; `staffplan roster` uses the scheduler's plan instead.

mod util;

use chrono::{Datelike, Duration};
use staffplan::check::roster::{CheckContext, check_shifts};
use staffplan::domain::{BreakSlot, ShiftSlot};
use staffplan::export::roster_csv::{read_roster_csv, write_roster_csv};
use staffplan::roster::synthetic::local_instant;
use staffplan::roster::{RosterInput, assign};
use staffplan::scenario::Scenario;

/// The two-sites scenario without its [[shift]] sections (the agents, time off and rules are
/// the real files).
fn two_sites_workforce() -> Scenario {
    let text = std::fs::read_to_string(util::repo("scenarios/two-sites.toml")).unwrap();
    let cut = text.find("[[shift]]").unwrap();
    Scenario::from_toml(
        &text[..cut],
        &util::repo("scenarios/two-sites.toml"),
        &util::repo("scenarios"),
    )
    .unwrap()
}

fn plan(scenario: &Scenario) -> Vec<ShiftSlot> {
    let zone = scenario.horizon.zone();
    let mut slots = Vec::new();
    // (skill group, start hour, count on a weekday)
    let pattern = [
        ("voice", 2, 3),
        ("voice", 5, 2),
        ("voice", 8, 5),
        ("voice", 9, 4),
        ("voice", 12, 4),
        ("voice", 13, 3),
        ("chat", 3, 2),
        ("chat", 8, 3),
        ("chat", 10, 2),
        ("chat", 11, 2),
    ];
    for day in 0..7 {
        let date = scenario.horizon.date_of_day(day);
        let weekend = date.weekday().num_days_from_monday() >= 5;
        for (group, hour, count) in pattern {
            let count = if weekend { (count + 1) / 2 } else { count };
            for k in 0..count {
                let start = local_instant(zone, date, hour, 0);
                slots.push(ShiftSlot {
                    slot_id: format!("{group}8@{}#{k}", staffplan::time::format_utc(start)),
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
                    cost: 160.0,
                });
            }
        }
    }
    slots
}

#[test]
fn sixty_named_agents_in_two_zones_roster_without_violations() {
    let scenario = two_sites_workforce();
    let w = &scenario.workforce;
    assert_eq!(w.agents.len(), 60);
    assert_eq!(
        w.agents
            .iter()
            .filter(|a| a.time_zone.name() == "Europe/Lisbon")
            .count(),
        24
    );
    assert!(w.rules.days_off_consecutive);
    let slots = plan(&scenario);
    let outcome = assign(RosterInput {
        slots: &slots,
        agents: &w.agents,
        time_off: &w.time_off,
        rules: &w.rules,
        horizon: &scenario.horizon,
    });
    // Checked from the CSV HR gets.
    let mut bytes = Vec::new();
    write_roster_csv(&mut bytes, &outcome.roster, &w.agents).unwrap();
    let zone_of = |id: &str| w.agent(id).map(|a| a.time_zone);
    let file = read_roster_csv(bytes.as_slice(), "roster.csv", &zone_of).unwrap();
    assert!(file.violations.is_empty(), "{:?}", file.violations);
    let report = check_shifts(
        &file.shifts,
        &CheckContext {
            agents: &w.agents,
            time_off: &w.time_off,
            rules: &w.rules,
            horizon: &scenario.horizon,
            plan: Some(&slots),
        },
    );
    assert!(report.is_clean(), "{:#?}", report.violations);
    let planned = staffplan::domain::on_duty_agent_hours(&slots);
    let lost = outcome.shortfall_agent_hours();
    eprintln!(
        "two-sites: {} slots, {planned} planned agent-hours, {lost} lost, {} assignments, stats {:?}",
        slots.len(),
        outcome.roster.assignments.len(),
        outcome.stats
    );
    assert!((report.shortfall_agent_hours.unwrap() - lost).abs() < 1e-9);
    // Lisbon agents work New York's early shifts: 02:00 in New York is 07:00 in Lisbon.
    let early: Vec<_> = outcome
        .roster
        .assignments
        .iter()
        .filter(|a| {
            a.slot
                .start
                .with_timezone(&scenario.horizon.zone())
                .format("%H")
                .to_string()
                == "02"
        })
        .collect();
    assert!(!early.is_empty() && early.iter().all(|a| a.agent_id.starts_with("LIS")));
    // The hostile names are neutralised in the file.
    let text = String::from_utf8(bytes).unwrap();
    assert!(
        text.contains("'=HYPERLINK(\"\"http://x\"\",\"\"y\"\")") && text.contains("'@mention Doe")
    );
    assert!(lost < 0.05 * planned, "{lost} of {planned}");
}
