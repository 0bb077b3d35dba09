//! Small schedules against full enumeration: an exhaustive search over every (shift start,
//! break start) pattern count, written independently of the model, must find the same optimum
//! cost as the scheduler; every schedule also passes the independent checker.

mod util;

use std::path::Path;

use staffplan::scenario::Scenario;
use staffplan::schedule::{self, Method, ScheduleInput, ScheduleOptions};

/// Deterministic pseudo-random numbers for instance generation.
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

fn scenario(templates: &str, cyclic: bool) -> Scenario {
    let text = format!(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"
cyclic = {cyclic}

[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

{templates}
"#
    );
    Scenario::from_toml(&text, Path::new("brute.toml"), Path::new(".")).expect("valid scenario")
}

/// One explicit pattern: cost and the hours (0..24, wrapped when cyclic) an agent is present.
#[derive(Debug, Clone)]
struct Pattern {
    start: usize,
    cost: f64,
    present: Vec<usize>,
}

/// Every (template, start hour, break hours) pattern, from the rules as a planner reads them.
fn patterns(scenario: &Scenario, cyclic: bool) -> Vec<Pattern> {
    let mut out = Vec::new();
    for template in &scenario.shifts.templates {
        let length = (template.length_minutes / 60) as usize;
        for start_minute in template.start_minutes() {
            let start = (start_minute / 60) as usize;
            // Every combination of break start hours.
            let mut combos: Vec<Vec<usize>> = vec![vec![]];
            for rule in &template.breaks {
                let mut next = Vec::new();
                for combo in &combos {
                    for offset in rule.earliest_minutes / 60..=rule.latest_minutes / 60 {
                        let mut c = combo.clone();
                        c.push(start + offset as usize);
                        next.push(c);
                    }
                }
                combos = next;
            }
            for combo in combos {
                let mut present = Vec::new();
                for hour in start..start + length {
                    let on_break = template.breaks.iter().zip(&combo).any(|(rule, &b)| {
                        hour >= b && hour < b + (rule.duration_minutes / 60) as usize
                    });
                    if on_break {
                        continue;
                    }
                    if hour < 24 {
                        present.push(hour);
                    } else if cyclic {
                        present.push(hour - 24);
                    }
                }
                out.push(Pattern {
                    start,
                    cost: template.cost_per_agent(),
                    present,
                });
            }
        }
    }
    out.sort_by_key(|p| p.start);
    out
}

/// Exhaustive search: counts 0..=max per pattern in start order; an hour is checked once no
/// later pattern can cover it (non-cyclic), everything at the end.
fn brute_force(patterns: &[Pattern], required: &[u32], cyclic: bool) -> f64 {
    let max = *required.iter().max().unwrap_or(&0) as usize;
    let mut best = f64::INFINITY;
    let mut coverage = vec![0u32; 24];
    #[allow(clippy::too_many_arguments)]
    fn search(
        k: usize,
        cost: f64,
        patterns: &[Pattern],
        required: &[u32],
        cyclic: bool,
        max: usize,
        coverage: &mut Vec<u32>,
        best: &mut f64,
    ) {
        if cost >= *best - 1e-9 {
            return;
        }
        if k == patterns.len() {
            if coverage.iter().zip(required).all(|(c, r)| c >= r) {
                *best = cost;
            }
            return;
        }
        if !cyclic {
            // Hours before this pattern's start are final.
            let start = patterns[k].start.min(24);
            if (0..start).any(|h| coverage[h] < required[h]) {
                return;
            }
        }
        for count in 0..=max {
            for &h in &patterns[k].present {
                coverage[h] += count as u32;
            }
            search(
                k + 1,
                cost + count as f64 * patterns[k].cost,
                patterns,
                required,
                cyclic,
                max,
                coverage,
                best,
            );
            for &h in &patterns[k].present {
                coverage[h] -= count as u32;
            }
        }
    }
    search(
        0,
        0.0,
        patterns,
        required,
        cyclic,
        max,
        &mut coverage,
        &mut best,
    );
    best
}

fn solve_and_check(scenario: &Scenario, required: Vec<u32>, method: Method) -> f64 {
    let input = ScheduleInput::new(scenario, vec![required]);
    let options = ScheduleOptions {
        method,
        gap: 0.0,
        ..ScheduleOptions::default()
    };
    let plan = schedule::schedule(&input, &options).expect("schedule");
    let report = util::check_plan(&input, &plan);
    assert!(report.violations.is_empty(), "{:?}", report.violations);
    assert!((report.cost - plan.report.cost).abs() < 1e-6);
    util::assert_same_coverage(&report, &plan);
    let short: f64 = report.shortfall.iter().sum();
    assert_eq!(short, 0.0, "coverable requirement left uncovered");
    plan.report.cost
}

const TEMPLATES: &str = r#"
[[shift]]
name = "short"
length = "3h"
start_window = "06:00-12:00"
cost_per_hour = 11.0

[[shift]]
name = "long"
length = "6h"
start_window = "06:00-10:00"
cost_per_hour = 10.0
[[shift.break]]
duration = "1h"
paid = false
earliest = "2h"
latest = "3h"
"#;

#[test]
fn fixed_instance_matches_enumeration() {
    let scenario = scenario(TEMPLATES, false);
    let mut required = vec![0u32; 24];
    required[6..15].copy_from_slice(&[1, 2, 2, 3, 2, 2, 2, 1, 1]);
    let oracle = brute_force(&patterns(&scenario, false), &required, false);
    let cost = solve_and_check(&scenario, required.clone(), Method::Mip);
    assert!(
        (cost - oracle).abs() < 1e-6,
        "model {cost}, enumeration {oracle}"
    );
    let implicit = solve_and_check(&scenario, required, Method::ImplicitMip);
    assert!(
        (implicit - oracle).abs() < 1e-6,
        "implicit model {implicit}, enumeration {oracle}"
    );
}

#[test]
fn random_instances_match_enumeration() {
    let mut random = Lcg(20261123);
    let scenario = scenario(TEMPLATES, false);
    for case in 0..8 {
        let mut required = vec![0u32; 24];
        for value in &mut required[6..15] {
            *value = random.below(3) as u32;
        }
        let oracle = brute_force(&patterns(&scenario, false), &required, false);
        let cost = solve_and_check(&scenario, required.clone(), Method::Mip);
        assert!(
            (cost - oracle).abs() < 1e-6,
            "case {case} {required:?}: model {cost}, enumeration {oracle}"
        );
    }
}

#[test]
fn cyclic_night_shift_wraps_onto_the_morning() {
    let templates = r#"
[[shift]]
name = "night"
length = "8h"
start_window = "20:00-23:00"
cost_per_hour = 12.0
[[shift.break]]
duration = "1h"
paid = true
earliest = "3h"
latest = "5h"

[[shift]]
name = "day"
length = "4h"
start_window = "05:00-08:00"
cost_per_hour = 10.0
"#;
    let scenario = scenario(templates, true);
    let mut required = vec![0u32; 24];
    for hour in [0, 1, 2, 3, 4, 5, 21, 22, 23] {
        required[hour] = 1;
    }
    required[2] = 2;
    required[6] = 1;
    let oracle = brute_force(&patterns(&scenario, true), &required, true);
    let cost = solve_and_check(&scenario, required, Method::Mip);
    assert!(
        (cost - oracle).abs() < 1e-6,
        "model {cost}, enumeration {oracle}"
    );
}

#[test]
fn rounding_alone_is_never_below_the_optimum_and_covers() {
    let mut random = Lcg(7);
    let scenario = scenario(TEMPLATES, false);
    for _ in 0..4 {
        let mut required = vec![0u32; 24];
        for value in &mut required[6..15] {
            *value = random.below(4) as u32;
        }
        let oracle = brute_force(&patterns(&scenario, false), &required, false);
        let cost = solve_and_check(&scenario, required, Method::Rounding);
        assert!(
            cost >= oracle - 1e-6,
            "rounding {cost} below optimum {oracle}"
        );
    }
}

/// Solves with `method` and returns (cost, lower bound) after the checker accepted the plan.
fn solve_with_bound(scenario: &Scenario, required: Vec<u32>, method: Method) -> (f64, f64) {
    let input = ScheduleInput::new(scenario, vec![required.clone()]);
    let options = ScheduleOptions {
        method,
        gap: 0.0,
        ..ScheduleOptions::default()
    };
    let plan = schedule::schedule(&input, &options).expect("schedule");
    let cost = solve_and_check(scenario, required, method);
    assert_eq!(cost, plan.report.cost, "same input, same schedule");
    (cost, plan.report.lower_bound_cost.expect("a bound"))
}

#[test]
fn local_search_covers_never_beats_the_optimum_and_its_bound_holds() {
    // The weighted local search and the bound from priced duals (Clarabel at loose
    // tolerances) on instances small enough to enumerate: the schedule covers, costs at least
    // the optimum, and the bound is at most the optimum.
    let mut random = Lcg(99);
    for (templates, cyclic) in [(TEMPLATES, false), (TEMPLATES, true)] {
        let scenario = scenario(templates, cyclic);
        for case in 0..5 {
            let mut required = vec![0u32; 24];
            for value in &mut required[6..15] {
                *value = random.below(3) as u32;
            }
            let oracle = brute_force(&patterns(&scenario, cyclic), &required, cyclic);
            let (cost, bound) = solve_with_bound(&scenario, required.clone(), Method::Search);
            assert!(
                cost >= oracle - 1e-6,
                "case {case} {required:?}: search {cost} below the optimum {oracle}"
            );
            assert!(
                bound <= oracle + 1e-6,
                "case {case} {required:?}: bound {bound} above the optimum {oracle}"
            );
            // The exact pattern MIP still proves the optimum with the priced bound.
            let (exact, exact_bound) = solve_with_bound(&scenario, required.clone(), Method::Mip);
            assert!(
                (exact - oracle).abs() < 1e-6,
                "case {case}: mip {exact} vs {oracle}"
            );
            assert!(exact_bound <= oracle + 1e-6);
        }
    }
}
