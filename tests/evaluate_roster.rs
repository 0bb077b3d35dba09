//! Evaluation of a roster against independent truth: Erlang C closed forms, hand-built mixtures,
//! the requirement definition, and the documented multi-skill allocation rule.

mod whatif_support;

use staffplan::domain::{Assignment, Roster};
use staffplan::erlang::{self, QueueModel, Workload};
use staffplan::evaluate::{EvaluateOptions, Evaluator, GroupStaffing, SkillGroups, shift_presence};
use staffplan::staffing;
use whatif_support::*;

fn evaluate(
    scenario: &staffplan::scenario::Scenario,
    groups: &SkillGroups,
    roster: &Roster,
    volumes: Vec<staffplan::volume::QueueVolume>,
    options: EvaluateOptions,
) -> staffplan::evaluate::Evaluation {
    let presences = shift_presence(roster, &[], &scenario.horizon, groups).unwrap();
    let staffing = GroupStaffing::from_presence(&presences, groups.len(), scenario.horizon.len());
    Evaluator::new(scenario, groups, volumes, options, Some(&staffing))
        .unwrap()
        .evaluate(&staffing)
}

#[test]
fn whole_day_staffing_matches_erlang_c_closed_form() {
    let scenario = voice_scenario(1, 30, "");
    let volumes = constant_volumes(&scenario, &[100.0]); // 10 Erlangs
    let roster = block_roster(&scenario, "voice", 13, 0, 24 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let e = evaluate(
        &scenario,
        &groups,
        &roster,
        volumes,
        EvaluateOptions::default(),
    );
    let c = erlang::erlang_c(10.0, 13);
    let sl = erlang_c_service_level(10.0, 13, 180.0, 20.0);
    let asa = c * 180.0 / 3.0;
    for r in &e.queues[0].intervals {
        assert_eq!(r.on_queue_agents, 13.0);
        assert!((r.service_level.unwrap() - sl).abs() < 1e-9);
        assert!((r.asa_seconds.unwrap() - asa).abs() < 1e-6);
        assert!((r.occupancy.unwrap() - 10.0 / 13.0).abs() < 1e-9);
        assert_eq!(r.abandon_rate, None);
    }
    assert!((e.queues[0].week.unwrap() - sl).abs() < 1e-9);
}

#[test]
fn a_break_is_a_time_mixture_of_staffing_levels() {
    let scenario = voice_scenario(1, 30, "");
    let volumes = constant_volumes(&scenario, &[100.0]);
    let mut roster = block_roster(&scenario, "voice", 13, 0, 24 * 60);
    // Agent 0 on break 10:00–10:15: half of interval 20.
    roster.assignments[0].slot = slot(&scenario, "voice", 0, 24 * 60, &[(600, 615)], "b");
    let groups = SkillGroups::one_per_queue(&scenario);
    let e = evaluate(
        &scenario,
        &groups,
        &roster,
        volumes,
        EvaluateOptions::default(),
    );
    let r = &e.queues[0].intervals[20];
    assert_eq!(r.scheduled_agents, 12.5);
    assert_eq!(r.on_break, 0.5);
    assert_eq!(r.on_queue_agents, 12.5);
    let expected = 0.5 * erlang_c_service_level(10.0, 12, 180.0, 20.0)
        + 0.5 * erlang_c_service_level(10.0, 13, 180.0, 20.0);
    assert!((r.service_level.unwrap() - expected).abs() < 1e-9);
    assert!((r.shortfall() - (f64::from(r.required_agents) - 12.5).max(0.0)).abs() < 1e-12);
}

/// A day whose volume rises and falls; the roster has exactly the required agents on the queue
/// in every interval (one one-interval shift per required agent).
fn exact_roster(
    scenario: &staffplan::scenario::Scenario,
    required: &[u32],
    per_interval: impl Fn(u32) -> u32,
) -> Roster {
    let step = i64::from(scenario.plan.interval_minutes);
    let mut roster = Roster::default();
    for (i, &n) in required.iter().enumerate() {
        for k in 0..per_interval(n) {
            let start = i as i64 * step;
            roster.assignments.push(Assignment {
                agent_id: format!("A{i:03}-{k:03}"),
                slot: slot(
                    scenario,
                    "voice",
                    start,
                    start + step,
                    &[],
                    &format!("s{i}-{k}"),
                ),
            });
        }
    }
    roster
}

fn profile(scenario: &staffplan::scenario::Scenario) -> Vec<staffplan::volume::QueueVolume> {
    let n = scenario.horizon.len();
    let volume: Vec<f64> = (0..n)
        .map(|i| {
            let x = i as f64 / n as f64 * std::f64::consts::PI;
            3.0 + 180.0 * x.sin().powi(2)
        })
        .collect();
    vec![staffplan::volume::QueueVolume {
        queue: "voice".into(),
        aht_seconds: vec![180.0; n],
        volume,
    }]
}

#[test]
fn a_roster_meeting_requirements_meets_the_target_everywhere() {
    let scenario = voice_scenario(
        1,
        30,
        "patience = \"3m\"\nshrinkage = 0.25\n[queue.open]\ndaily = \"07:00-21:00\"",
    );
    let volumes = profile(&scenario);
    let requirements = staffing::requirements(&scenario, &volumes).unwrap();
    let required: Vec<u32> = requirements[0]
        .intervals
        .iter()
        .map(|r| r.required_agents)
        .collect();
    assert!(required.iter().any(|&r| r > 10));
    let groups = SkillGroups::one_per_queue(&scenario);
    let target = 0.8;
    // Without shrinkage: on-queue agents = required.
    let roster = exact_roster(&scenario, &required, |n| n);
    let e = evaluate(
        &scenario,
        &groups,
        &roster,
        volumes.clone(),
        EvaluateOptions::default(),
    );
    // With shrinkage applied: scheduled = ceil(required / (1 − shrinkage)).
    let scheduled = exact_roster(&scenario, &required, |n| {
        staffing::scheduled_agents(n, 0.25)
    });
    let shrunk = evaluate(
        &scenario,
        &groups,
        &scheduled,
        volumes,
        EvaluateOptions {
            apply_shrinkage: true,
            absence_rate: 0.0,
        },
    );
    let mut open = 0;
    for (i, (a, b)) in e.queues[0]
        .intervals
        .iter()
        .zip(&shrunk.queues[0].intervals)
        .enumerate()
    {
        if !a.open {
            assert_eq!(
                a.service_level, None,
                "closed interval {i} has a service level"
            );
            continue;
        }
        open += 1;
        assert_eq!(a.on_queue_agents, f64::from(required[i]));
        assert!(
            a.service_level.unwrap() >= target - 1e-12,
            "interval {i}: {a:?}"
        );
        assert!(
            b.service_level.unwrap() >= target - 1e-12,
            "interval {i}: {b:?}"
        );
        assert!(a.abandon_rate.is_some());
        assert_eq!(a.shortfall(), 0.0);
    }
    assert_eq!(open, 28);
    assert_eq!(e.queues[0].understaffed_agent_hours, 0.0);
}

#[test]
fn erlang_a_values_come_from_the_engine() {
    let scenario = voice_scenario(1, 60, "patience = \"2m\"");
    let volumes = constant_volumes(&scenario, &[200.0]);
    let roster = block_roster(&scenario, "voice", 9, 0, 24 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let e = evaluate(
        &scenario,
        &groups,
        &roster,
        volumes,
        EvaluateOptions::default(),
    );
    let workload = Workload {
        volume: 200.0,
        interval_seconds: 3600.0,
        aht_seconds: 180.0,
    };
    let model = QueueModel {
        patience_seconds: Some(120.0),
        concurrency: 1,
    };
    let p = erlang::evaluate(&workload, &model, 20.0, 9);
    let r = &e.queues[0].intervals[5];
    assert_eq!(r.service_level, Some(p.service_level));
    assert_eq!(r.abandon_rate, p.p_abandon);
    assert_eq!(r.asa_seconds, Some(p.asa_seconds));
}

#[test]
fn day_and_week_service_levels_are_volume_weighted() {
    let scenario = voice_scenario(2, 60, "");
    let n = scenario.horizon.len();
    // Day 1: 100 contacts an hour; day 2: 300 an hour; same 8 agents throughout.
    let volume: Vec<f64> = (0..n).map(|i| if i < 24 { 100.0 } else { 300.0 }).collect();
    let volumes = vec![staffplan::volume::QueueVolume {
        queue: "voice".into(),
        aht_seconds: vec![180.0; n],
        volume,
    }];
    let roster = block_roster(&scenario, "voice", 20, 0, 48 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let e = evaluate(
        &scenario,
        &groups,
        &roster,
        volumes,
        EvaluateOptions::default(),
    );
    let day1 = erlang_c_service_level(5.0, 20, 180.0, 20.0);
    let day2 = erlang_c_service_level(15.0, 20, 180.0, 20.0);
    let q = &e.queues[0];
    assert!((q.days[0].unwrap() - day1).abs() < 1e-9);
    assert!((q.days[1].unwrap() - day2).abs() < 1e-9);
    let week = (100.0 * day1 + 300.0 * day2) / 400.0;
    assert!((q.week.unwrap() - week).abs() < 1e-9);
}

/// Two queues; group "sales" dedicated to sales, group "both" works sales and service.
/// Rule: dedicated agents first; shared agents split in proportion to the remaining
/// requirement.
#[test]
fn multi_skill_agents_split_by_remaining_requirement() {
    let scenario = scenario(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "sales"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"

[[queue]]
id = "service"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"
"#,
    );
    let volumes = constant_volumes(&scenario, &[200.0, 400.0]); // 10 and 20 Erlangs
    let requirements = staffing::requirements(&scenario, &volumes).unwrap();
    let (need_sales, need_service) = (
        requirements[0].intervals[0].required_agents,
        requirements[1].intervals[0].required_agents,
    );
    let groups = SkillGroups::new(
        &scenario,
        &[
            ("both".into(), vec!["sales".into(), "service".into()]),
            ("sales".into(), vec!["sales".into()]),
        ],
    )
    .unwrap();
    let roster_of = |dedicated: usize, shared: usize| {
        let mut roster = block_roster(&scenario, "sales", dedicated, 0, 24 * 60);
        let both = block_roster(&scenario, "both", shared, 0, 24 * 60);
        roster
            .assignments
            .extend(both.assignments.into_iter().map(|mut a| {
                a.agent_id.push('b');
                a
            }));
        roster
    };
    // Short: 5 dedicated sales, 20 shared. Remaining after dedicated: sales need − 5, service
    // need; the 20 shared are split in that proportion.
    let e = evaluate(
        &scenario,
        &groups,
        &roster_of(5, 20),
        volumes.clone(),
        EvaluateOptions::default(),
    );
    let rem_sales = f64::from(need_sales) - 5.0;
    let rem_service = f64::from(need_service);
    let to_sales = 20.0 * rem_sales / (rem_sales + rem_service);
    let sales = &e.queues[0].intervals[0];
    let service = &e.queues[1].intervals[0];
    assert!(
        (sales.on_queue_agents - (5.0 + to_sales)).abs() < 1e-9,
        "{sales:?}"
    );
    assert!((service.on_queue_agents - (20.0 - to_sales)).abs() < 1e-9);
    // Plenty: every queue gets at least its requirement.
    let e = evaluate(
        &scenario,
        &groups,
        &roster_of(5, 40),
        volumes,
        EvaluateOptions::default(),
    );
    assert!(e.queues[0].intervals[0].on_queue_agents >= f64::from(need_sales));
    assert!(e.queues[1].intervals[0].on_queue_agents >= f64::from(need_service));
    let total: f64 = e
        .queues
        .iter()
        .map(|q| q.intervals[0].on_queue_agents)
        .sum();
    assert!((total - 45.0).abs() < 1e-9);
}

/// Email: work finished within the response target, FIFO, at full capacity of the agents
/// present. 10 items of 30 minutes arrive every hour; response within 2 hours.
#[test]
fn email_service_is_the_share_of_work_done_in_time() {
    let scenario = scenario(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "mail"
channel = "email"
aht = "30m"
response_within = "2h"
forecast = "x.csv"
"#,
    );
    let volumes = constant_volumes(&scenario, &[10.0]); // 5 agent-hours of work per hour
    let groups = SkillGroups::one_per_queue(&scenario);
    // 5 agents: every hour's work is done in its own hour.
    let enough = evaluate(
        &scenario,
        &groups,
        &block_roster(&scenario, "mail", 5, 0, 24 * 60),
        volumes.clone(),
        EvaluateOptions::default(),
    );
    assert!(
        enough.queues[0]
            .intervals
            .iter()
            .all(|r| r.service_level == Some(1.0))
    );
    // 4 agents: the backlog grows by 1 agent-hour per hour. Work of hour k is finished during
    // hour k + (k + 1)/4 or so; it is late once its wait exceeds the 2-hour window.
    let short = evaluate(
        &scenario,
        &groups,
        &block_roster(&scenario, "mail", 4, 0, 24 * 60),
        volumes,
        EvaluateOptions::default(),
    );
    // Hand FIFO: hour k's 5 agent-hours occupy cumulative capacity [5k, 5k + 5) of the
    // 4-per-hour stream, i.e. hours [5k/4, (5k + 5)/4); on time while before hour k + 2.
    for k in 0..20usize {
        let (a, b) = (5.0 * k as f64 / 4.0, (5.0 * k as f64 + 5.0) / 4.0);
        let deadline = k as f64 + 2.0;
        let on_time = ((deadline.min(b) - a).max(0.0)) / (b - a);
        let got = short.queues[0].intervals[k].service_level.unwrap();
        assert!((got - on_time).abs() < 1e-9, "hour {k}: {got} vs {on_time}");
    }
}

/// A night shift across the fall-back change (New York, 2026-11-01 01:00–02:00 happens twice):
/// 00:00–08:00 local is 9 hours, all of them counted once; a local absence range is placed on
/// the UTC line with the zone's rules.
#[test]
fn presence_is_exact_across_a_dst_change() {
    use chrono::TimeZone;
    let scenario = scenario(
        r#"
[plan]
start = 2026-10-31
days = 2
interval_minutes = 30
time_zone = "America/New_York"

[[queue]]
id = "voice"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"
"#,
    );
    let zone = scenario.horizon.zone();
    let start = zone
        .with_ymd_and_hms(2026, 11, 1, 0, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    let end = zone
        .with_ymd_and_hms(2026, 11, 1, 8, 0, 0)
        .unwrap()
        .with_timezone(&chrono::Utc);
    assert_eq!((end - start).num_hours(), 9);
    let mut shift = slot(&scenario, "voice", 0, 60, &[], "night");
    shift.start = start;
    shift.end = end;
    shift.local_date = chrono::NaiveDate::from_ymd_opt(2026, 11, 1).unwrap();
    let roster = Roster {
        assignments: vec![Assignment {
            agent_id: "A1".into(),
            slot: shift,
        }],
        unfilled: Vec::new(),
    };
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let hours: f64 = presences[0].on_shift.iter().sum::<f64>() * 0.5;
    assert_eq!(hours, 9.0);
    // Absent 05:00–07:00 local on the DST day: two hours off, seven on.
    let variant = staffplan::domain::Variant {
        name: "v".into(),
        absences: vec![staffplan::domain::parse_absence("A1@2026-11-01T05:00/07:00").unwrap()],
        ..Default::default()
    };
    let volumes = constant_volumes(&scenario, &[10.0]);
    let applied = staffplan::whatif::apply(&variant, &scenario, &roster, &volumes).unwrap();
    let presences =
        shift_presence(&applied.roster, &applied.blocks, &scenario.horizon, &groups).unwrap();
    assert_eq!(presences[0].on_queue.iter().sum::<f64>() * 0.5, 7.0);
    let first_off = scenario
        .horizon
        .index_of(
            zone.with_ymd_and_hms(2026, 11, 1, 5, 0, 0)
                .unwrap()
                .with_timezone(&chrono::Utc),
        )
        .unwrap();
    let k = first_off - presences[0].first_interval;
    assert_eq!(&presences[0].on_queue[k..k + 4], &[0.0; 4]);
    assert_eq!(presences[0].on_queue[k - 1], 1.0);
}

/// `[[skill_group]]` tables of the scenario become the evaluation's skill groups.
#[test]
fn skill_groups_come_from_the_scenario() {
    let scenario = scenario(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "sales"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"

[[queue]]
id = "service"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"

[[skill_group]]
id = "blended"
queues = ["service", "sales"]

[[skill_group]]
id = "sales-only"
queues = ["sales"]
"#,
    );
    let groups = SkillGroups::from_scenario(&scenario);
    assert_eq!(groups.ids(), ["blended", "sales-only"]);
    assert_eq!(groups.queues_of(0), [0, 1]);
    assert_eq!(groups.queues_of(1), [0]);
    let plain = voice_scenario(1, 60, "");
    assert_eq!(SkillGroups::from_scenario(&plain).ids(), ["voice"]);
}
