//! What-if variants and Monte Carlo: effects checked against the baseline evaluation, bad input
//! reported with codes, Monte Carlo byte-identical at any thread count.

mod whatif_support;

use staffplan::domain::{Assignment, Roster};
use staffplan::domain::{Variant, parse_absence, parse_change_spec, parse_training};
use staffplan::error::Diagnostics;
use staffplan::evaluate::{EvaluateOptions, SkillGroups, shift_presence};
use staffplan::scenario::Scenario;
use staffplan::whatif::{self, MonteCarlo, MonteCarloOptions, evaluate_variant};
use whatif_support::*;

/// Three days, open 08:00–20:00; 10 agents 08:00–16:00 and 10 agents 12:00–20:00 every day.
fn fixture() -> (Scenario, Roster) {
    let scenario = voice_scenario(3, 30, "[queue.open]\ndaily = \"08:00-20:00\"");
    let mut roster = Roster::default();
    for day in 0..3i64 {
        for k in 0..20 {
            let start = day * 1440 + if k < 10 { 8 * 60 } else { 12 * 60 };
            roster.assignments.push(Assignment {
                agent_id: format!("A{k:03}"),
                slot: slot(
                    &scenario,
                    "voice",
                    start,
                    start + 8 * 60,
                    &[],
                    &format!("d{day}k{k}"),
                ),
            });
        }
    }
    roster
        .assignments
        .sort_by(|a, b| (&a.agent_id, a.slot.start).cmp(&(&b.agent_id, b.slot.start)));
    (scenario, roster)
}

fn run(variant: &Variant) -> whatif::VariantOutcome {
    let (scenario, roster) = fixture();
    let volumes = constant_volumes(&scenario, &[60.0]);
    let groups = SkillGroups::one_per_queue(&scenario);
    evaluate_variant(
        &scenario,
        &groups,
        &roster,
        &volumes,
        variant,
        EvaluateOptions::default(),
        &whatif::ReoptimizeOptions::default(),
    )
    .unwrap()
}

#[test]
fn whole_day_absence_hits_only_that_day() {
    let base = run(&Variant::default());
    let sick = run(&Variant {
        name: "sick".into(),
        absences: vec![
            parse_absence("A000@2026-11-24").unwrap(),
            parse_absence("A001@2026-11-24").unwrap(),
        ],
        ..Variant::default()
    });
    let (b, s) = (&base.evaluation.queues[0], &sick.evaluation.queues[0]);
    assert_eq!(b.days[0], s.days[0]);
    assert_eq!(b.days[2], s.days[2]);
    assert!(s.days[1].unwrap() < b.days[1].unwrap() - 0.01);
    // Two early agents fewer from 08:00 to 16:00 on day 1 (intervals 48+16 .. 48+32).
    for i in 48 + 16..48 + 32 {
        let diff = b.intervals[i].on_queue_agents - s.intervals[i].on_queue_agents;
        assert_eq!(diff, 2.0, "interval {i}");
    }
    assert!(s.understaffed_agent_hours >= b.understaffed_agent_hours);
}

#[test]
fn partial_absence_and_training_blocks() {
    let base = run(&Variant::default());
    let v = run(&Variant {
        name: "mixed".into(),
        absences: vec![parse_absence("A003@2026-11-23T09:00/13:00").unwrap()],
        training: vec![parse_training("6@2026-11-23T14:00/16:00").unwrap()],
        ..Variant::default()
    });
    let (b, q) = (&base.evaluation.queues[0], &v.evaluation.queues[0]);
    for i in 0..48 {
        let lost = b.intervals[i].on_queue_agents - q.intervals[i].on_queue_agents;
        let off = q.intervals[i].on_break - b.intervals[i].on_break;
        let (expected_lost, expected_off) = match i {
            18..=25 => (1.0, 0.0), // 09:00–13:00: absent, off shift
            28..=31 => (6.0, 6.0), // 14:00–16:00: training, on shift off queue
            _ => (0.0, 0.0),
        };
        assert_eq!((lost, off), (expected_lost, expected_off), "interval {i}");
    }
}

#[test]
fn volume_and_aht_changes_by_queue_and_day() {
    let base = run(&Variant::default());
    let v = run(&Variant {
        name: "launch".into(),
        volume: vec![parse_change_spec("voice:+15%@2026-11-25").unwrap()],
        aht: vec![parse_change_spec("+0%").unwrap()],
        ..Variant::default()
    });
    let (b, q) = (&base.evaluation.queues[0], &v.evaluation.queues[0]);
    for i in 0..b.intervals.len() {
        let factor = if i >= 96 { 1.15 } else { 1.0 };
        assert!((q.intervals[i].volume - b.intervals[i].volume * factor).abs() < 1e-9);
    }
    assert_eq!(q.days[0], b.days[0]);
    assert!(q.days[2].unwrap() < b.days[2].unwrap());
    assert!(q.intervals[100].required_agents >= b.intervals[100].required_agents);
}

#[test]
fn bad_variants_are_reported_with_codes_all_at_once() {
    let (scenario, roster) = fixture();
    let mut agents: Vec<String> = roster
        .assignments
        .iter()
        .map(|a| a.agent_id.clone())
        .collect();
    agents.sort();
    agents.dedup();
    let variant = Variant {
        name: "bad".into(),
        absences: vec![
            parse_absence("A0017@2026-11-24").unwrap(),
            parse_absence("A001@2026-12-24").unwrap(),
        ],
        volume: vec![parse_change_spec("-150%").unwrap()],
        absence_rate: Some(1.5),
        aht: vec![parse_change_spec("sales:+5%").unwrap()],
        ..Variant::default()
    };
    let mut errors = Diagnostics::new();
    variant.validate(&scenario, Some(&agents), "--absent", &mut errors);
    let error = errors.finish(()).unwrap_err();
    let codes = error.codes();
    for code in ["W1001", "W1002", "W1003", "W1004", "W1007"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let text = error.to_string();
    assert!(text.contains("A0017"), "{text}");
    assert!(
        text.contains("2026-12-24") && text.contains("2026-11-23 to 2026-11-25"),
        "{text}"
    );
    let zero = whatif::montecarlo::validate_options(&MonteCarloOptions {
        runs: 0,
        absence_rate: 0.08,
        seed: 7,
        volume_cv: 0.0,
    })
    .unwrap_err();
    assert_eq!(zero.codes(), vec!["W1005"]);
    assert!(
        format!("{:?}", parse_absence("A017@24/11/2026").unwrap_err()).contains("is not a date")
    );
}

#[test]
fn whatif_blocks_in_the_scenario_are_validated() {
    let text = r#"
[plan]
start = 2026-11-23
days = 3
interval_minutes = 30
time_zone = "UTC"

[[queue]]
id = "voice"
channel = "voice"
aht = "180s"
service_level = 0.8
answer_within = "20s"
forecast = "x.csv"

[[whatif]]
name = "flu"
absent = ["A001@2026-11-24", "A002@2026-11-24T09:00/13:00"]
volume = "+15%"
reoptimize = true

[[whatif]]
name = "bad"
absent = ["A001@2027-01-01"]
volume = ["-150%", "voice:+lots"]
absence_rate = 2.0

[[whatif]]
name = "flu"
aht = "+5%"
"#;
    let error = Scenario::from_toml(
        text,
        std::path::Path::new("s.toml"),
        std::path::Path::new("."),
    )
    .unwrap_err();
    let codes = error.codes();
    for code in ["W1002", "W1003", "W1006", "W1004", "W1009"] {
        assert!(codes.contains(&code), "{code} missing from {codes:?}");
    }
    let good = text.split("[[whatif]]\nname = \"bad\"").next().unwrap();
    let scenario = Scenario::from_toml(
        good,
        std::path::Path::new("s.toml"),
        std::path::Path::new("."),
    )
    .unwrap();
    assert_eq!(scenario.whatif.len(), 1);
    assert!(scenario.whatif[0].reoptimize);
    assert_eq!(scenario.whatif[0].absences.len(), 2);
    // Unknown keys inside [[whatif]] are reported with a suggestion.
    let typo = good.replace("reoptimize", "reoptimise");
    let error = Scenario::from_toml(
        &typo,
        std::path::Path::new("s.toml"),
        std::path::Path::new("."),
    )
    .unwrap_err();
    assert_eq!(error.codes(), vec!["S1002"]);
    assert!(error.to_string().contains("reoptimize"));
}

fn monte_carlo_output(threads: usize, options: MonteCarloOptions) -> (String, String) {
    let (scenario, roster) = fixture();
    let volumes = constant_volumes(&scenario, &[60.0]);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let mc = MonteCarlo::new(
        &scenario,
        &groups,
        &presences,
        volumes,
        EvaluateOptions::default(),
    )
    .unwrap();
    let pool = rayon::ThreadPoolBuilder::new()
        .num_threads(threads)
        .build()
        .unwrap();
    let (report, runs) = pool.install(|| mc.run_with_details(&options)).unwrap();
    let mut csv = Vec::new();
    mc.write_runs_csv(&mut csv, &runs).unwrap();
    (
        serde_json::to_string_pretty(&report).unwrap(),
        String::from_utf8(csv).unwrap(),
    )
}

#[test]
fn monte_carlo_is_byte_identical_with_one_or_two_threads() {
    let options = MonteCarloOptions {
        runs: 200,
        absence_rate: 0.08,
        seed: 7,
        volume_cv: 0.05,
    };
    let one = monte_carlo_output(1, options);
    let two = monte_carlo_output(2, options);
    assert_eq!(one, two);
    let other_seed = monte_carlo_output(2, MonteCarloOptions { seed: 8, ..options });
    assert_ne!(one.1, other_seed.1);
}

#[test]
fn monte_carlo_absences_follow_the_rate() {
    let (report, _) = monte_carlo_output(
        2,
        MonteCarloOptions {
            runs: 400,
            absence_rate: 0.1,
            seed: 1,
            volume_cv: 0.0,
        },
    );
    let report: serde_json::Value = serde_json::from_str(&report).unwrap();
    // 20 agents × 3 days × 0.1 = 6 absent agent-days per run; sd of the mean over 400 runs is
    // sqrt(60·0.1·0.9/400) ≈ 0.116.
    let mean = report["mean_absent_agent_days"].as_f64().unwrap();
    assert!((mean - 6.0).abs() < 0.5, "{mean}");
    let queue = &report["queues"][0];
    let p = queue["p_week_below_target"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&p));
    let week = &queue["week"];
    assert!(week["p05"].as_f64() <= week["p50"].as_f64());
    assert!(week["p50"].as_f64() <= week["p95"].as_f64());
    // No absence: every run is the baseline.
    let (none, _) = monte_carlo_output(
        1,
        MonteCarloOptions {
            runs: 5,
            absence_rate: 0.0,
            seed: 1,
            volume_cv: 0.0,
        },
    );
    let none: serde_json::Value = serde_json::from_str(&none).unwrap();
    let base = run(&Variant::default()).evaluation.queues[0].week.unwrap();
    let w = &none["queues"][0]["week"];
    assert!((w["min"].as_f64().unwrap() - base).abs() < 1e-12);
    assert!((w["max"].as_f64().unwrap() - base).abs() < 1e-12);
    // Everybody absent: nobody answers.
    let (all, _) = monte_carlo_output(
        1,
        MonteCarloOptions {
            runs: 3,
            absence_rate: 1.0,
            seed: 1,
            volume_cv: 0.0,
        },
    );
    let all: serde_json::Value = serde_json::from_str(&all).unwrap();
    assert_eq!(all["queues"][0]["week"]["max"].as_f64(), Some(0.0));
    assert_eq!(all["queues"][0]["p_week_below_target"].as_f64(), Some(1.0));
}
