//! Service goals over a day or the week (`service_scope`): the plan meets the scope's service
//! level (and ASA, abandonment, interval floor) by the evaluation, costs less than the
//! interval-scope plan, and on small instances agrees with full enumeration, its LP bound a
//! bound of the enumerated optimum.

mod util;

use std::path::Path;

use staffplan::erlang::{self, QueueModel, Workload};
use staffplan::pipeline::{Pipeline, Settings};
use staffplan::scenario::Scenario;
use staffplan::schedule::{candidate_shifts, horizon_index, interval_shares};
use util::{
    Scratch, assert_run_refused, number, run_quiet as run, small_call_center, staffplan, stderr,
    summary_of,
};

/// Per open interval with volume: (volume, service level, abandon rate) from coverage.csv.
fn intervals(out: &Path) -> Vec<(f64, f64, Option<f64>)> {
    let text = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (volume, level, abandon) = (
        column("volume"),
        column("service_level"),
        column("abandon_rate"),
    );
    lines
        .map(|line| line.split(',').collect::<Vec<_>>())
        .filter(|cells| !cells[level].is_empty())
        .map(|cells| {
            (
                cells[volume].parse().unwrap(),
                cells[level].parse().unwrap(),
                cells[abandon].parse().ok(),
            )
        })
        .collect()
}

#[test]
fn week_scope_is_cheaper_and_meets_the_week_by_evaluation_and_simulation() {
    let scratch = Scratch::new("goal-week");
    let interval = run(
        &small_call_center(&scratch, "interval.toml", "service_scope = \"interval\""),
        &scratch.path("interval"),
    );
    let week_path = small_call_center(&scratch, "week.toml", "service_scope = \"week\"");
    let week = run(&week_path, &scratch.path("week"));
    let (cost_interval, cost_week) = (number(&interval["cost"]), number(&week["cost"]));
    assert!(
        cost_week <= 0.97 * cost_interval,
        "week scope costs {cost_week}, interval scope {cost_interval}: not 3 % cheaper"
    );
    let level = number(&week["service_level"]["support"]);
    assert!(level >= 0.8, "weekly service level {level} below 80 %");
    // The bound is of the model with the goal: at most the plan's cost, and below the
    // interval plan's (the week goal is looser).
    let bound = number(&week["lower_bound_cost"]);
    assert!(bound <= cost_week + 1e-6 && bound < cost_interval);
    // The roster staffs the whole plan, so the evaluation is of the plan as made.
    assert_eq!(number(&week["roster_shortfall_agent_hours"]), 0.0);

    // The simulated week: its 99 % interval reaches 80 %.
    let eval = scratch.path("eval");
    let output = staffplan(&[
        "evaluate",
        week_path.to_str().unwrap(),
        "--roster",
        scratch.path("week").join("roster.csv").to_str().unwrap(),
        "--out",
        eval.to_str().unwrap(),
        "--simulate",
        "--replications",
        "60",
    ]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let summary = summary_of(&eval);
    assert_eq!(
        number(&summary["service_level"]["support"]),
        level,
        "evaluate gives run's weekly level"
    );
    let high = number(&summary["simulated_service_level"]["support"]["high"]);
    assert!(high >= 0.8, "simulated 99 % interval ends at {high}");
}

#[test]
fn day_scope_meets_every_day_and_a_floor_holds_every_interval() {
    let scratch = Scratch::new("goal-day-floor");
    let day = run(
        &small_call_center(&scratch, "day.toml", "service_scope = \"day\""),
        &scratch.path("day"),
    );
    let days = day["service_level_by_day"]["support"].as_object().unwrap();
    assert!(days.values().any(|v| !v.is_null()));
    for (date, level) in days {
        if let Some(level) = level.as_f64() {
            assert!(level >= 0.8, "{date}: {level} below the daily 80 %");
        }
    }
    let floor_path = small_call_center(
        &scratch,
        "floor.toml",
        "service_scope = \"week\"\ninterval_floor = 0.6",
    );
    let floor = run(&floor_path, &scratch.path("floor"));
    assert!(number(&floor["service_level"]["support"]) >= 0.8);
    let rows = intervals(&scratch.path("floor"));
    assert!(rows.len() > 50);
    for (volume, level, _) in rows {
        if volume > 0.0 {
            assert!(
                level >= 0.6 - 1e-9,
                "an interval at {level} under the 0.6 floor"
            );
        }
    }
    // Without the floor the week goal leaves some interval below it (so the test can fail).
    let week = small_call_center(&scratch, "week.toml", "service_scope = \"week\"");
    run(&week, &scratch.path("week"));
    assert!(
        intervals(&scratch.path("week"))
            .iter()
            .any(|&(v, l, _)| v > 0.0 && l < 0.6)
    );
}

#[test]
fn asa_and_abandonment_goals_over_the_week_are_met() {
    let scratch = Scratch::new("goal-asa-abandon");
    let path = small_call_center(
        &scratch,
        "goals.toml",
        "service_scope = \"week\"\npatience = \"90s\"\nasa_target = \"25s\"\nmax_abandon_rate = 0.04",
    );
    let summary = run(&path, &scratch.path("out"));
    assert!(number(&summary["service_level"]["support"]) >= 0.8);
    let asa = number(&summary["asa_seconds"]["support"]);
    assert!(asa <= 25.0 + 1e-9, "weekly ASA {asa} s above 25 s");
    let rows = intervals(&scratch.path("out"));
    let volume: f64 = rows.iter().map(|r| r.0).sum();
    let abandoned: f64 = rows.iter().map(|r| r.0 * r.2.unwrap()).sum();
    assert!(
        abandoned / volume <= 0.04 + 1e-9,
        "weekly abandonment {} above 4 %",
        abandoned / volume
    );
}

#[test]
fn bad_goals_are_refused_with_codes() {
    let scratch = Scratch::new("goal-bad");
    for (extra, code, field) in [
        ("service_scope = \"month\"", "S1021", "service_scope"),
        (
            "service_scope = \"week\"\ninterval_floor = 0.9",
            "S1021",
            "interval_floor",
        ),
        ("interval_floor = 0.5", "S1021", "interval_floor"),
        (
            "service_scope = \"week\"\ninterval_floor = 0",
            "S1007",
            "interval_floor",
        ),
        ("max_abandon_rate = 0.05", "S1021", "max_abandon_rate"),
    ] {
        let path = small_call_center(&scratch, "bad.toml", extra);
        assert_run_refused(&path, &scratch.path("bad-out"), code, field, extra);
    }
}

/// One or two days of 60-minute intervals, two templates without breaks, a handful of starts.
fn tiny(scratch: &Scratch, scope: &str, days: u32, seed: u64) -> Scenario {
    let mut csv = String::from("interval_start,queue,volume\n");
    let mut state = seed;
    for d in 0..days {
        for h in 0..24 {
            state = state
                .wrapping_mul(6_364_136_223_846_793_005)
                .wrapping_add(1_442_695_040_888_963_407);
            let volume = if (8..16).contains(&h) {
                10 + (state >> 33) % 50
            } else {
                0
            };
            csv.push_str(&format!(
                "2026-11-{:02}T{h:02}:00:00Z,support,{volume}\n",
                23 + d
            ));
        }
    }
    scratch.write(&format!("tiny-{seed}.csv"), &csv);
    let text = format!(
        r#"
[plan]
start = 2026-11-23
days = {days}
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "support"
channel = "voice"
aht = "4m"
service_level = 0.8
answer_within = "20s"
service_scope = "{scope}"
forecast = "tiny-{seed}.csv"
[queue.open]
daily = "08:00-16:00"

[[shift]]
name = "four"
length = "4h"
start_window = "08:00-12:00"
start_step = "2h"
cost_per_hour = 10.0

[[shift]]
name = "eight"
length = "8h"
start_window = "08:00-08:00"
cost_per_hour = 9.0
"#
    );
    let path = scratch.write(&format!("tiny-{seed}.toml"), &text);
    Scenario::from_toml(&text, &path, scratch.path("").as_path()).unwrap()
}

/// Whether whole agents per interval meet the scope goal, by Erlang C directly.
struct Judge {
    volume: Vec<f64>,
    /// `level[i][k]`: service level of `k` agents in interval `i`.
    level: Vec<Vec<f64>>,
    scopes: Vec<Vec<usize>>,
}

impl Judge {
    fn new(scenario: &Scenario, most: usize) -> Judge {
        let horizon = &scenario.horizon;
        let n = horizon.len();
        let volumes = Pipeline::new(scenario, Settings::default())
            .volumes()
            .unwrap()
            .volumes;
        let level = (0..n)
            .map(|i| {
                (0..=most as u32)
                    .map(|k| {
                        erlang::evaluate(
                            &Workload {
                                volume: volumes[0].volume[i],
                                interval_seconds: horizon.interval_seconds(),
                                aht_seconds: volumes[0].aht_seconds[i],
                            },
                            &QueueModel {
                                patience_seconds: None,
                                concurrency: 1,
                            },
                            20.0,
                            k,
                        )
                        .service_level
                    })
                    .collect()
            })
            .collect();
        let scopes = match scenario.queues[0].service_scope {
            staffplan::scenario::ServiceScope::Day => (0..horizon.days() as usize)
                .map(|d| horizon.day_range(d).collect())
                .collect(),
            _ => vec![(0..n).collect()],
        };
        Judge {
            volume: volumes[0].volume.clone(),
            level,
            scopes,
        }
    }

    fn meets(&self, agents: &[u32]) -> bool {
        self.scopes.iter().all(|scope| {
            let (mut volume, mut answered) = (0.0, 0.0);
            for &i in scope {
                let v = self.volume[i];
                if v > 0.0 {
                    volume += v;
                    let k = (agents[i] as usize).min(self.level[i].len() - 1);
                    answered += v * self.level[i][k];
                }
            }
            volume == 0.0 || answered >= 0.8 * volume - 1e-9
        })
    }
}

/// The cheapest schedule meeting the scope goal that costs less than `limit`, by enumerating
/// every count per candidate shift (depth first, pruned by cost); `limit` when none does.
fn enumerate(scenario: &Scenario, judge: &Judge, day: Option<usize>, limit: f64) -> f64 {
    let horizon = &scenario.horizon;
    let candidates: Vec<_> = candidate_shifts(&scenario.shifts, horizon)
        .into_iter()
        .filter(|c| day.is_none_or(|d| c.day == d))
        .collect();
    let n = horizon.len();
    let presence: Vec<Vec<usize>> = candidates
        .iter()
        .map(|c| {
            let template = &scenario.shifts.templates[c.template];
            interval_shares(c.start_offset, template.length_minutes, 60)
                .into_iter()
                .filter_map(|(offset, share)| {
                    assert_eq!(share, 1.0);
                    horizon_index(offset, n, false)
                })
                .collect()
        })
        .collect();
    let cost: Vec<f64> = candidates
        .iter()
        .map(|c| scenario.shifts.templates[c.template].cost_per_agent())
        .collect();
    fn search(
        c: usize,
        spent: f64,
        agents: &mut Vec<u32>,
        presence: &[Vec<usize>],
        cost: &[f64],
        judge: &Judge,
        best: &mut f64,
    ) {
        if spent >= *best - 1e-9 {
            return;
        }
        if judge.meets(agents) {
            *best = spent;
            return;
        }
        if c == presence.len() {
            return;
        }
        // Without candidate c, then one more agent on it (and recurse on c again).
        search(c + 1, spent, agents, presence, cost, judge, best);
        for &i in &presence[c] {
            agents[i] += 1;
        }
        search(c, spent + cost[c], agents, presence, cost, judge, best);
        for &i in &presence[c] {
            agents[i] -= 1;
        }
    }
    let mut best = limit;
    search(0, 0.0, &mut vec![0; n], &presence, &cost, judge, &mut best);
    best
}

#[test]
fn small_instances_agree_with_enumeration_and_the_bound_bounds_them() {
    let scratch = Scratch::new("goal-enumeration");
    for (scope, days, seed) in [
        ("week", 1, 1),
        ("week", 1, 2),
        ("week", 1, 5),
        ("day", 2, 3),
    ] {
        let scenario = tiny(&scratch, scope, days, seed);
        let pipeline = Pipeline::new(&scenario, Settings::default());
        let volumes = pipeline.volumes().unwrap();
        let requirements = pipeline.requirements(&volumes.volumes).unwrap();
        let goals = pipeline
            .service_goals(&volumes.volumes, &requirements)
            .unwrap()
            .expect("a week or day scope has goals");
        let plan = pipeline
            .schedule(Pipeline::required_matrix(&requirements), Some(&goals))
            .unwrap();
        let report = &plan.schedule.report;
        // The plan meets the goal by Erlang C directly, and nothing cheaper does.
        let judge = Judge::new(&scenario, 64);
        let agents: Vec<u32> = plan.schedule.coverage.scheduled[0]
            .iter()
            .map(|&x| {
                assert_eq!(x.fract(), 0.0);
                x as u32
            })
            .collect();
        assert!(
            judge.meets(&agents),
            "{scope}, seed {seed}: the plan misses its goal"
        );
        let optimum = if scope == "day" {
            // Days are separate goals over separate shifts: the optimum is the sum of each
            // day's, each enumerated below the plan's cost that day.
            (0..days as usize)
                .map(|d| {
                    let day_cost: f64 = plan
                        .schedule
                        .agents
                        .iter()
                        .filter(|a| plan.schedule.candidates[a.candidate].day == d)
                        .map(|a| {
                            let c = &plan.schedule.candidates[a.candidate];
                            scenario.shifts.templates[c.template].cost_per_agent()
                        })
                        .sum();
                    let one_day = Judge {
                        volume: judge.volume.clone(),
                        level: judge.level.clone(),
                        scopes: vec![judge.scopes[d].clone()],
                    };
                    enumerate(&scenario, &one_day, Some(d), day_cost + 1e-6)
                })
                .sum()
        } else {
            enumerate(&scenario, &judge, None, report.cost + 1e-6)
        };
        assert!(
            (report.cost - optimum).abs() < 1e-6,
            "{scope} {days} day(s), seed {seed}: plan {} against the enumerated optimum {optimum}",
            report.cost
        );
        let bound = report.lower_bound_cost.expect("the goal LP solved");
        assert!(
            bound <= optimum + 1e-6,
            "{scope}, seed {seed}: bound {bound} above the optimum {optimum}"
        );
    }
}
