//! Cost terms managers price (issue 18, item 3): `understaffing_cost` per queue (soft
//! coverage) and `cost_per_shift_start` per template (a price per distinct start time).
//!
//! - Small one-day instances against full enumeration, written independently of the model:
//!   the plan's total cost equals the enumerated optimum, its reported total equals the total
//!   recomputed from its agents, and the reported bound is at most the optimum.
//! - The small call center: soft coverage plans cheaper in total than hard coverage and says
//!   why each short interval is short; a high understaffing cost covers everything; start
//!   costs lower the number of start times; bad values are refused with codes.

mod util;

use std::collections::BTreeSet;
use std::path::Path;

use staffplan::scenario::Scenario;
use staffplan::schedule::{self, ScheduleInput, ScheduleOptions};
use util::{
    Lcg, Scratch, assert_run_refused, number, run_quiet, small_call_center, small_call_center_with,
};

/// One template of a generated instance.
#[derive(Debug, Clone)]
struct Template {
    hours: usize,
    first_start: usize,
    starts: usize,
    cost_per_hour: f64,
    start_cost: f64,
}

/// A one-day instance on a 60-minute UTC grid, one queue.
#[derive(Debug, Clone)]
struct Case {
    templates: Vec<Template>,
    required: Vec<u32>,
    understaffing_cost: Option<f64>,
}

impl Case {
    fn toml(&self) -> String {
        let mut text = String::from(
            r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"
"#,
        );
        if let Some(cost) = self.understaffing_cost {
            text.push_str(&format!("understaffing_cost = {cost:.1}\n"));
        }
        for (k, t) in self.templates.iter().enumerate() {
            text.push_str(&format!(
                "\n[[shift]]\nname = \"t{k}\"\nlength = \"{}h\"\nstart_window = \"{:02}:00-{:02}:00\"\n\
                 cost_per_hour = {:.1}\ncost_per_shift_start = {:.1}\n",
                t.hours,
                t.first_start,
                t.first_start + t.starts - 1,
                t.cost_per_hour,
                t.start_cost
            ));
        }
        text
    }

    /// Every (template, start hour).
    fn candidates(&self) -> Vec<(usize, usize)> {
        let mut out = Vec::new();
        for (k, t) in self.templates.iter().enumerate() {
            for s in 0..t.starts {
                out.push((k, t.first_start + s));
            }
        }
        out
    }

    /// Total cost of `counts` agents per candidate, or `None` when a hard requirement an agent
    /// could cover is left uncovered.
    fn total(&self, counts: &[u32]) -> Option<f64> {
        let candidates = self.candidates();
        let mut cover = [0u32; 24];
        let mut cost = 0.0;
        let mut starts = BTreeSet::new();
        let mut coverable = [false; 24];
        for (&(k, s), &n) in candidates.iter().zip(counts) {
            let t = &self.templates[k];
            for hour in s..(s + t.hours).min(24) {
                coverable[hour] = true;
                cover[hour] += n;
            }
            if n > 0 {
                cost += f64::from(n) * t.cost_per_hour * t.hours as f64;
                starts.insert((k, s));
            }
        }
        let start_cost: f64 = starts
            .iter()
            .map(|&(k, _)| self.templates[k].start_cost)
            .sum();
        // Every missing agent-hour is priced; without a price, one a shift could cover
        // makes the plan infeasible.
        let mut short = 0.0;
        let mut coverable_short = 0.0;
        for hour in 0..24 {
            let missing = f64::from(self.required[hour].saturating_sub(cover[hour]));
            short += missing;
            if coverable[hour] {
                coverable_short += missing;
            }
        }
        match self.understaffing_cost {
            Some(price) => Some(cost + start_cost + price * short),
            None if coverable_short > 0.0 => None,
            None => Some(cost + start_cost),
        }
    }

    /// The least total over every count vector (each candidate 0..=most agents).
    fn optimum(&self) -> f64 {
        let n = self.candidates().len();
        let most = self.required.iter().copied().max().unwrap_or(0);
        let mut counts = vec![0u32; n];
        let mut best = f64::INFINITY;
        loop {
            if let Some(total) = self.total(&counts) {
                best = best.min(total);
            }
            let mut k = 0;
            while k < n {
                if counts[k] < most {
                    counts[k] += 1;
                    break;
                }
                counts[k] = 0;
                k += 1;
            }
            if k == n {
                break;
            }
        }
        best
    }
}

fn generate(random: &mut Lcg, understaffing: bool, starts: bool) -> Case {
    let templates = (0..3)
        .map(|_| Template {
            hours: 3 + random.below(4) as usize,
            first_start: 6 + random.below(4) as usize,
            starts: 2 + random.below(2) as usize,
            cost_per_hour: 8.0 + random.below(5) as f64,
            start_cost: if starts {
                [0.0, 15.0, 40.0][random.below(3) as usize]
            } else {
                0.0
            },
        })
        .collect();
    let mut required = vec![0u32; 24];
    for value in &mut required[7..19] {
        *value = random.below(4) as u32;
    }
    Case {
        templates,
        required,
        understaffing_cost: understaffing.then(|| 6.0 + random.below(10) as f64),
    }
}

/// The plan of `case` checked against enumeration; returns (plan total, optimum).
fn check(case: &Case, label: &str) -> (f64, f64) {
    let scenario = Scenario::from_toml(&case.toml(), Path::new("cost.toml"), Path::new("."))
        .unwrap_or_else(|e| panic!("{label}: {e}"));
    let input = ScheduleInput::new(&scenario, vec![case.required.clone()]);
    let plan = schedule::schedule(&input, &ScheduleOptions::default()).expect(label);
    let total = plan
        .report
        .cost_terms
        .as_ref()
        .map_or(plan.report.cost, |t| t.total_cost);
    // The plan's total from its agents, by the enumeration's own arithmetic.
    let candidates = case.candidates();
    let mut counts = vec![0u32; candidates.len()];
    for agent in &plan.agents {
        let c = &plan.candidates[agent.candidate];
        let at = candidates
            .iter()
            .position(|&(k, s)| k == c.template && s == (c.local_minute / 60) as usize)
            .expect("a candidate of the case");
        counts[at] += 1;
    }
    let recomputed = case
        .total(&counts)
        .expect("the plan covers every hard requirement");
    assert!(
        (recomputed - total).abs() < 1e-6,
        "{label}: reported total {total} but the agents cost {recomputed}: {counts:?} {case:?}"
    );
    let optimum = case.optimum();
    let bound = plan.report.lower_bound_cost.expect("a bound");
    assert!(
        bound <= optimum + 1e-6,
        "{label}: bound {bound} above the optimum {optimum}"
    );
    assert!(bound <= total + 1e-6, "{label}");
    (total, optimum)
}

#[test]
fn soft_coverage_matches_enumeration() {
    let mut random = Lcg(18);
    for case_no in 0..30 {
        let case = generate(&mut random, true, false);
        let (total, optimum) = check(&case, &format!("soft case {case_no}"));
        assert!(
            (total - optimum).abs() < 1e-6,
            "soft case {case_no}: plan {total}, optimum {optimum}: {case:?}"
        );
    }
}

#[test]
fn shift_start_costs_match_enumeration() {
    let mut random = Lcg(1803);
    for case_no in 0..30 {
        let case = generate(&mut random, false, true);
        let (total, optimum) = check(&case, &format!("start case {case_no}"));
        assert!(
            (total - optimum).abs() < 1e-6,
            "start case {case_no}: plan {total}, optimum {optimum}: {case:?}"
        );
    }
}

#[test]
fn both_terms_match_enumeration() {
    let mut random = Lcg(31);
    for case_no in 0..30 {
        let case = generate(&mut random, true, true);
        let (total, optimum) = check(&case, &format!("both case {case_no}"));
        assert!(
            (total - optimum).abs() < 1e-6,
            "both case {case_no}: plan {total}, optimum {optimum}: {case:?}"
        );
    }
}

/// Distinct (template, local start time) of a plan's `shifts.csv`.
fn start_times(out: &Path) -> BTreeSet<(String, String)> {
    let text = std::fs::read_to_string(out.join("shifts.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (template, start) = (column("template"), column("start_local"));
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .map(|cells| {
            (
                cells[template].to_string(),
                cells[start][11..16].to_string(),
            )
        })
        .collect()
}

#[test]
fn soft_coverage_trades_shifts_for_understaffing_on_the_small_call_center() {
    let scratch = Scratch::new("cost-soft");
    let hard = run_quiet(
        &small_call_center(&scratch, "hard.toml", ""),
        &scratch.path("hard"),
    );
    assert!(
        hard.get("cost_terms").is_none(),
        "no cost terms without prices"
    );
    let soft_out = scratch.path("soft");
    let soft = run_quiet(
        &small_call_center(&scratch, "soft.toml", "understaffing_cost = 30.0"),
        &soft_out,
    );
    let terms = &soft["cost_terms"];
    let (total, short) = (
        number(&terms["total_cost"]),
        number(&terms["understaffed_agent_hours"]),
    );
    // Cheaper in total than covering everything, by leaving some agent-hours short.
    assert!(total < number(&hard["cost"]) - 1.0, "{terms}");
    assert!(short > 0.0, "{terms}");
    assert!((number(&terms["understaffing_cost"]) - 30.0 * short).abs() < 1e-6);
    assert!((number(&soft["cost"]) + 30.0 * short - total).abs() < 1e-3);
    assert!((number(&soft["understaffed_agent_hours"]) - short).abs() < 1e-6);
    // The bound and gap refer to the total.
    let bound = number(&soft["lower_bound_cost"]);
    assert!(bound <= total + 1e-6 && bound > number(&soft["cost"]) * 0.9);
    assert!((number(&soft["gap"]) - (total - bound) / total).abs() < 1e-6);
    // Every short run says the price is what binds.
    let runs = soft["shortfall"].as_array().unwrap();
    assert!(!runs.is_empty());
    for run in runs {
        assert_eq!(run["rule"], "understaffing_cost", "{run}");
    }
}

#[test]
fn a_high_understaffing_cost_covers_the_whole_requirement() {
    let scratch = Scratch::new("cost-high");
    let hard = run_quiet(
        &small_call_center(&scratch, "hard.toml", ""),
        &scratch.path("hard"),
    );
    let high = run_quiet(
        &small_call_center(&scratch, "high.toml", "understaffing_cost = 100000.0"),
        &scratch.path("high"),
    );
    assert_eq!(number(&high["cost_terms"]["understaffed_agent_hours"]), 0.0);
    assert_eq!(number(&high["understaffed_agent_hours"]), 0.0);
    assert!(number(&high["cost"]) <= number(&hard["cost"]) + 1e-6);
}

#[test]
fn shift_start_costs_plan_fewer_start_times() {
    let scratch = Scratch::new("cost-starts");
    let plain_out = scratch.path("plain");
    let plain = run_quiet(&small_call_center(&scratch, "plain.toml", ""), &plain_out);
    let price = 200.0;
    let priced_out = scratch.path("priced");
    let line = format!("cost_per_shift_start = {price}\ncost_per_hour");
    let priced = run_quiet(
        &small_call_center_with(
            &scratch,
            "priced.toml",
            "",
            &[("cost_per_hour", line.as_str())],
        ),
        &priced_out,
    );
    let before = start_times(&plain_out);
    let after = start_times(&priced_out);
    let terms = &priced["cost_terms"];
    assert_eq!(number(&terms["shift_starts"]) as usize, after.len());
    assert!((number(&terms["shift_start_cost"]) - price * after.len() as f64).abs() < 1e-6);
    assert!(
        after.len() < before.len(),
        "{} start times with a price, {} without",
        after.len(),
        before.len()
    );
    // The unpriced plan is one of the plans priced: the total is at most its priced total.
    let total = number(&terms["total_cost"]);
    assert!(total <= number(&plain["cost"]) + price * before.len() as f64 + 1e-6);
    assert!((number(&priced["cost"]) + price * after.len() as f64 - total).abs() < 1e-3);
    assert!(number(&priced["lower_bound_cost"]) <= total + 1e-6);
}

#[test]
fn bad_cost_terms_are_refused_with_codes() {
    let scratch = Scratch::new("cost-bad");
    for (extra, replace, code, field) in [
        (
            "understaffing_cost = 0",
            None,
            "H1010",
            "understaffing_cost",
        ),
        (
            "understaffing_cost = -5.0",
            None,
            "H1010",
            "understaffing_cost",
        ),
        (
            "understaffing_cost = \"a lot\"",
            None,
            "H1010",
            "understaffing_cost",
        ),
        (
            "service_scope = \"week\"\nunderstaffing_cost = 30.0",
            None,
            "S1021",
            "understaffing_cost",
        ),
        (
            "",
            Some("cost_per_shift_start = -1.0\ncost_per_hour"),
            "H1010",
            "cost_per_shift_start",
        ),
        (
            "service_scope = \"week\"",
            Some("cost_per_shift_start = 50.0\ncost_per_hour"),
            "S1021",
            "cost_per_shift_start",
        ),
    ] {
        let replace: Vec<(&str, &str)> = replace
            .map(|r| vec![("cost_per_hour", r)])
            .unwrap_or_default();
        let path = small_call_center_with(&scratch, "bad.toml", extra, &replace);
        assert_run_refused(&path, &scratch.path("bad-out"), code, field, extra);
    }
}

#[test]
fn cost_term_plans_are_byte_identical_on_two_runs() {
    let scratch = Scratch::new("cost-twice");
    let path = small_call_center_with(
        &scratch,
        "both.toml",
        "understaffing_cost = 35.0",
        &[(
            "cost_per_hour",
            "cost_per_shift_start = 150.0\ncost_per_hour",
        )],
    );
    let (first, second) = (scratch.path("first"), scratch.path("second"));
    run_quiet(&path, &first);
    run_quiet(&path, &second);
    let mut files = 0;
    for entry in std::fs::read_dir(&first).unwrap().flatten() {
        let name = entry.file_name();
        if name == "timings.json" || entry.path().is_dir() {
            continue;
        }
        files += 1;
        assert_eq!(
            std::fs::read(entry.path()).unwrap(),
            std::fs::read(second.join(&name)).unwrap(),
            "{} differs between two runs",
            name.to_string_lossy()
        );
    }
    assert!(files >= 10, "only {files} files written");
}

#[test]
fn a_time_limit_caps_the_whole_cost_term_solve_and_says_so() {
    let scratch = Scratch::new("cost-cap");
    let path = small_call_center_with(
        &scratch,
        "capped.toml",
        "understaffing_cost = 35.0",
        &[(
            "cost_per_hour",
            "cost_per_shift_start = 150.0\ncost_per_hour",
        )],
    );
    let out = scratch.path("capped");
    let output = util::staffplan(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
        "--time-limit",
        "0.01s",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", util::stderr(&output));
    let summary = util::summary_of(&out);
    assert_eq!(summary["status"], "time_limit");
    assert_eq!(summary["time_limit_bound"], true);
    assert_eq!(number(&summary["time_limit_seconds"]), 0.01);
    assert!(!summary["budget_left"].as_array().unwrap().is_empty());
    // A plan is still written and priced: its total is what its agents cost.
    let terms = &summary["cost_terms"];
    let total = number(&summary["cost"])
        + number(&terms["understaffing_cost"])
        + number(&terms["shift_start_cost"]);
    assert!((total - number(&terms["total_cost"])).abs() < 1e-3);
}
