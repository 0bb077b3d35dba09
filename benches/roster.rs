//! Roster assignment benches: a generated 500-agent, 15-minute week (the scale target:
//! under 60 s on a 2-core machine), with and without the one-block days-off rule.
//!
//! `cargo bench --bench roster`

use std::hint::black_box;
use std::time::Duration;

use chrono::NaiveDate;
use criterion::{Criterion, criterion_group, criterion_main};
use staffplan::domain::Rules;
use staffplan::roster::synthetic::generate;
use staffplan::roster::{RosterInput, assign};
use staffplan::time::Horizon;

fn roster_500_agents(c: &mut Criterion) {
    let zone: chrono_tz::Tz = "America/New_York".parse().expect("zone");
    let lisbon: chrono_tz::Tz = "Europe/Lisbon".parse().expect("zone");
    let start = NaiveDate::from_ymd_opt(2026, 11, 23).expect("date");
    let horizon = Horizon::new(start, 7, 15, zone).expect("horizon");
    let case = generate(500, &horizon, &[zone, lisbon], 0.95, 7);
    let mut group = c.benchmark_group("roster");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(40));
    for (name, days_off_consecutive) in [
        ("500 agents week", false),
        ("500 agents week, days off in one block", true),
    ] {
        let rules = Rules {
            days_off_consecutive,
            ..Rules::default()
        };
        let outcome = assign(RosterInput {
            slots: &case.slots,
            agents: &case.agents,
            time_off: &case.time_off,
            rules: &rules,
            horizon: &horizon,
        });
        eprintln!(
            "{name}: {} slots, {} assignments, shortfall {:.2} agent-hours, {:?}",
            case.slots.len(),
            outcome.roster.assignments.len(),
            outcome.shortfall_agent_hours(),
            outcome.stats
        );
        group.bench_function(name, |b| {
            b.iter(|| {
                black_box(assign(RosterInput {
                    slots: &case.slots,
                    agents: &case.agents,
                    time_off: &case.time_off,
                    rules: &rules,
                    horizon: &horizon,
                }))
            })
        });
    }
    group.finish();
}

criterion_group!(benches, roster_500_agents);
criterion_main!(benches);
