//! Fixtures shared by the evaluate/simulate/whatif tests: scenarios from TOML text, volumes
//! built in code, rosters of whole-day or explicit shifts. Nothing here reads /work/shared.
#![allow(dead_code)]

use std::path::Path;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use staffplan::domain::{Assignment, BreakSlot, Roster, ShiftSlot};
use staffplan::scenario::Scenario;
use staffplan::volume::QueueVolume;

/// A one-queue voice scenario in UTC, open around the clock.
pub fn voice_scenario(days: u32, interval_minutes: u32, extra_queue_lines: &str) -> Scenario {
    let text = format!(
        r#"
[plan]
start = 2026-11-23
days = {days}
interval_minutes = {interval_minutes}
time_zone = "UTC"

[[queue]]
id = "voice"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"
{extra_queue_lines}
"#
    );
    Scenario::from_toml(&text, Path::new("test.toml"), Path::new(".")).expect("valid scenario")
}

/// Scenario from full TOML text.
pub fn scenario(text: &str) -> Scenario {
    Scenario::from_toml(text, Path::new("test.toml"), Path::new(".")).expect("valid scenario")
}

/// Constant volume per interval for every queue of the scenario.
pub fn constant_volumes(scenario: &Scenario, per_interval: &[f64]) -> Vec<QueueVolume> {
    scenario
        .queues
        .iter()
        .zip(per_interval)
        .map(|(q, &v)| QueueVolume {
            queue: q.id.clone(),
            volume: vec![v; scenario.horizon.len()],
            aht_seconds: vec![q.aht_seconds; scenario.horizon.len()],
        })
        .collect()
}

pub fn utc(scenario: &Scenario, minutes_from_start: i64) -> DateTime<Utc> {
    scenario.horizon.horizon_start() + Duration::minutes(minutes_from_start)
}

/// A shift of `group` from `start` to `end` minutes after the horizon start, with breaks given
/// as (start, end) minutes after the horizon start.
pub fn slot(
    scenario: &Scenario,
    group: &str,
    start: i64,
    end: i64,
    breaks: &[(i64, i64)],
    id: &str,
) -> ShiftSlot {
    let start_utc = utc(scenario, start);
    let local_date: NaiveDate = start_utc
        .with_timezone(&scenario.horizon.zone())
        .date_naive();
    ShiftSlot {
        slot_id: id.to_string(),
        template: "T".into(),
        skill_group: group.into(),
        start: start_utc,
        end: utc(scenario, end),
        local_date,
        breaks: breaks
            .iter()
            .map(|&(a, b)| BreakSlot {
                start: utc(scenario, a),
                end: utc(scenario, b),
                paid: false,
            })
            .collect(),
        paid_seconds: ((end - start) * 60) as f64,
        cost: (end - start) as f64 / 60.0 * 20.0,
    }
}

/// `n` agents `A000..` of `group` each on one shift `start..end` (minutes from horizon start).
pub fn block_roster(scenario: &Scenario, group: &str, n: usize, start: i64, end: i64) -> Roster {
    let mut roster = Roster::default();
    for k in 0..n {
        roster.assignments.push(Assignment {
            agent_id: format!("A{k:03}"),
            slot: slot(scenario, group, start, end, &[], &format!("{group}#{k}")),
        });
    }
    roster
}

/// Erlang C service level 1 − C·exp(−(N − A)·t/AHT) from the crate's Erlang C probability
/// (an independent closed form of the engine's `evaluate`).
pub fn erlang_c_service_level(traffic: f64, agents: u32, aht: f64, answer: f64) -> f64 {
    let c = staffplan::erlang::erlang_c(traffic, agents);
    1.0 - c * (-(f64::from(agents) - traffic) * answer / aht).exp()
}
