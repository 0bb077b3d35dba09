//! Multi-skill scheduling: a voice+chat skill group next to voice-only and chat-only groups.
//! Coverage must hold per queue, the checker must agree with the scheduler, and the optimum
//! must match an exhaustive search that checks each hour with Hall's condition.

mod util;

use std::path::Path;

use staffplan::scenario::Scenario;
use staffplan::schedule::{self, ScheduleInput, ScheduleOptions, export};

const SCENARIO: &str = r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "Europe/Lisbon"

[[queue]]
id = "voice"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[queue]]
id = "chat"
channel = "chat"
aht = "6m"
concurrency = 2
service_level = 0.8
answer_within = "60s"
forecast = "unused.csv"

[[skill_group]]
id = "blended"
queues = ["voice", "chat"]

[[skill_group]]
id = "voice-only"
queues = ["voice"]

[[skill_group]]
id = "chat-only"
queues = ["chat"]

[[shift]]
name = "blend"
length = "4h"
start_window = "08:00-12:00"
cost_per_hour = 12.0
skill_group = "blended"

[[shift]]
name = "voice"
length = "4h"
start_window = "08:00-12:00"
cost_per_hour = 10.0
skill_group = "voice-only"

[[shift]]
name = "chat"
length = "4h"
start_window = "08:00-12:00"
cost_per_hour = 10.0
skill_group = "chat-only"
"#;

/// Voice needs an agent at 08-10, chat at 10-12: one blended agent covers both (48 instead
/// of two single-skill shifts at 80); in the afternoon both queues need agents at once.
fn requirement() -> Vec<Vec<u32>> {
    let mut voice = vec![0u32; 24];
    let mut chat = vec![0u32; 24];
    voice[8..16].copy_from_slice(&[1, 1, 0, 0, 2, 2, 2, 2]);
    chat[8..16].copy_from_slice(&[0, 0, 1, 1, 1, 1, 1, 1]);
    vec![voice, chat]
}

/// Exhaustive search over agents per (template, start hour) with Hall's condition per hour.
fn brute_force(required: &[Vec<u32>]) -> f64 {
    // (group, start, cost): group 0 blended, 1 voice, 2 chat.
    let mut options = Vec::new();
    for (group, cost) in [(0usize, 48.0), (1, 40.0), (2, 40.0)] {
        for start in 8..=12 {
            options.push((group, start, cost));
        }
    }
    let mut best = f64::INFINITY;
    let total = options.len();
    let mut counts = vec![0u32; total];
    loop {
        let cost: f64 = counts
            .iter()
            .zip(&options)
            .map(|(&c, o)| f64::from(c) * o.2)
            .sum();
        if cost < best {
            let feasible = (0..24).all(|h| {
                let mut present = [0u32; 3];
                for (k, &(group, start, _)) in options.iter().enumerate() {
                    if h >= start && h < start + 4 {
                        present[group] += counts[k];
                    }
                }
                let (rv, rc) = (required[0][h], required[1][h]);
                present[1] + present[0] >= rv
                    && present[2] + present[0] >= rc
                    && present.iter().sum::<u32>() >= rv + rc
            });
            if feasible {
                best = cost;
            }
        }
        // Next combination with counts 0..=2.
        let mut k = 0;
        while k < total {
            counts[k] += 1;
            if counts[k] <= 2 {
                break;
            }
            counts[k] = 0;
            k += 1;
        }
        if k == total {
            break;
        }
    }
    best
}

#[test]
fn blended_group_covers_either_queue_and_the_checker_agrees() {
    let scenario =
        Scenario::from_toml(SCENARIO, Path::new("multi.toml"), Path::new(".")).expect("scenario");
    let input = ScheduleInput::new(&scenario, requirement());
    let options = ScheduleOptions {
        gap: 0.0,
        ..ScheduleOptions::default()
    };
    let plan = schedule::schedule(&input, &options).expect("schedule");

    // Coverage holds per queue.
    for q in 0..2 {
        for i in 0..24 {
            assert!(
                plan.coverage.scheduled[q][i] + 1e-9 >= f64::from(input.required[q][i]),
                "queue {q} interval {i}: {} < {}",
                plan.coverage.scheduled[q][i],
                input.required[q][i]
            );
            assert_eq!(plan.coverage.shortfall[q][i], 0.0);
        }
    }

    // The independent checker re-reads shifts.csv and agrees.
    let rows = export::shift_rows(&input, &plan);
    let mut csv = Vec::new();
    export::write_shifts_csv(&mut csv, &rows).unwrap();
    let report = util::check_shifts_csv(&input, &csv);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    util::assert_same_coverage(&report, &plan);
    assert!((report.cost - plan.report.cost).abs() < 1e-9);

    // Optimal, and cheaper than separate single-skill staffing would be.
    let oracle = brute_force(&input.required);
    assert!(
        (plan.report.cost - oracle).abs() < 1e-6,
        "model {}, enumeration {oracle}",
        plan.report.cost
    );
    assert!(
        rows.iter().any(|r| r.skill_group == "blended"),
        "a blended agent should follow the peak: {rows:?}"
    );
}

#[test]
fn checker_flags_a_broken_schedule() {
    let scenario =
        Scenario::from_toml(SCENARIO, Path::new("multi.toml"), Path::new(".")).expect("scenario");
    let input = ScheduleInput::new(&scenario, requirement());
    let plan = schedule::schedule(&input, &ScheduleOptions::default()).expect("schedule");
    let mut rows = export::shift_rows(&input, &plan);
    // Start outside the window, wrong group, and one agent fewer.
    rows[0].start_utc = "2026-11-23T07:00:00Z".into();
    rows[0].start_local = "2026-11-23T07:00:00+00:00".into();
    rows[0].end_utc = "2026-11-23T11:00:00Z".into();
    rows[0].skill_group = "chat-only".into();
    let mut csv = Vec::new();
    export::write_shifts_csv(&mut csv, &rows).unwrap();
    let report = util::check_shifts_csv(&input, &csv);
    let rules: Vec<&str> = report.violations.iter().map(|v| v.rule).collect();
    assert!(rules.contains(&"start_window"), "{rules:?}");
    assert!(rules.contains(&"skill_group"), "{rules:?}");
}
