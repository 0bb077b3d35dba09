//! Independent parts: skill groups that share no queue are scheduled apart, and a group that
//! alone serves two queues against their summed requirement. The joined schedule must pass the
//! checker queue by queue and cost what an exhaustive search finds for each group on its own.

use std::path::Path;

use staffplan::scenario::Scenario;
use staffplan::schedule::{self, ScheduleInput, ScheduleOptions, check, export};

const SCENARIO: &str = r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "voice-en"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[queue]]
id = "voice-es"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[queue]]
id = "chat"
channel = "chat"
aht = "6m"
service_level = 0.8
answer_within = "60s"
forecast = "unused.csv"

[[skill_group]]
id = "voice"
queues = ["voice-en", "voice-es"]

[[skill_group]]
id = "digital"
queues = ["chat"]

[[shift]]
name = "voice-short"
length = "3h"
start_window = "08:00-12:00"
cost_per_hour = 11.0
skill_group = "voice"

[[shift]]
name = "voice-long"
length = "5h"
start_window = "08:00-12:00"
cost_per_hour = 10.0
skill_group = "voice"

[[shift]]
name = "chat"
length = "4h"
start_window = "08:00-12:00"
cost_per_hour = 10.0
skill_group = "digital"
"#;

struct Lcg(u64);

impl Lcg {
    fn below(&mut self, n: u64) -> u64 {
        self.0 = self
            .0
            .wrapping_mul(6_364_136_223_846_793_005)
            .wrapping_add(1_442_695_040_888_963_407);
        (self.0 >> 33) % n
    }
}

/// Cheapest counts per (length, start hour 8..=12) covering `required`, by enumeration.
fn brute_force(shifts: &[(usize, f64)], required: &[u32]) -> f64 {
    let options: Vec<(usize, usize, f64)> = shifts
        .iter()
        .flat_map(|&(length, cost)| (8..=12).map(move |start| (start, length, cost)))
        .collect();
    let max = *required.iter().max().unwrap_or(&0);
    let mut counts = vec![0u32; options.len()];
    let mut best = f64::INFINITY;
    loop {
        let cost: f64 = counts
            .iter()
            .zip(&options)
            .map(|(&c, o)| f64::from(c) * o.2)
            .sum();
        if cost < best {
            let covered = (0..24).all(|h| {
                let present: u32 = options
                    .iter()
                    .zip(&counts)
                    .filter(|((start, length, _), _)| h >= *start && h < start + length)
                    .map(|(_, &c)| c)
                    .sum();
                present >= required[h]
            });
            if covered {
                best = cost;
            }
        }
        let mut k = 0;
        while k < counts.len() {
            counts[k] += 1;
            if counts[k] <= max {
                break;
            }
            counts[k] = 0;
            k += 1;
        }
        if k == counts.len() {
            break;
        }
    }
    best
}

#[test]
fn parts_are_scheduled_apart_at_the_cost_of_each_alone() {
    let scenario =
        Scenario::from_toml(SCENARIO, Path::new("parts.toml"), Path::new(".")).expect("scenario");
    let mut random = Lcg(5);
    for case in 0..4 {
        let mut required = vec![vec![0u32; 24]; 3];
        for row in &mut required {
            for value in &mut row[8..16] {
                *value = random.below(2) as u32;
            }
        }
        let input = ScheduleInput::new(&scenario, required.clone());
        let options = ScheduleOptions {
            gap: 0.0,
            ..ScheduleOptions::default()
        };
        let plan = schedule::schedule(&input, &options).expect("schedule");
        let rows = export::shift_rows(&input, &plan);
        let mut csv = Vec::new();
        export::write_shifts_csv(&mut csv, &rows).unwrap();
        let read = check::read_shifts_csv(&csv[..], "shifts.csv").unwrap();
        let report = check::check_schedule(&input, &read);
        assert!(report.violations.is_empty(), "{:?}", report.violations);
        assert!((report.cost - plan.report.cost).abs() < 1e-6);
        for (q, row) in report.coverage.shortfall.iter().enumerate() {
            assert_eq!(row.iter().sum::<f64>(), 0.0, "case {case}: queue {q} short");
        }
        let voice: Vec<u32> = (0..24).map(|h| required[0][h] + required[1][h]).collect();
        let oracle =
            brute_force(&[(3, 33.0), (5, 50.0)], &voice) + brute_force(&[(4, 40.0)], &required[2]);
        assert!(
            (plan.report.cost - oracle).abs() < 1e-6,
            "case {case}: joined {} vs enumeration {oracle}",
            plan.report.cost
        );
        let bound = plan.report.lower_bound_cost.expect("bound");
        assert!(
            bound <= oracle + 1e-6,
            "case {case}: bound {bound} > {oracle}"
        );
    }
}
