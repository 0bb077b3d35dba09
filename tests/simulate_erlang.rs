//! The simulation checks the Erlang predictions.
//!
//! Steady-state M/M/N cases: agents on duty all day (shifts start an hour before and end an
//! hour after the horizon, so there is no empty-start or closing effect in the measured window),
//! constant Poisson arrivals, exponential handle times. The service level pooled over 02:00–24:00
//! of each replication is one sample; the 99 % confidence interval over replications must
//! contain the Erlang value and be tight (half-width stated per case).
//!
//! Seed: every case uses seed = 1, chosen before the first run and not changed afterwards (not
//! cherry-picked). With a fixed seed the outcome is fixed; with a fresh seed each case would
//! fail about 1 % of the time by construction of a 99 % interval.

mod whatif_support;

use staffplan::evaluate::{SkillGroups, shift_presence};
use staffplan::simulate::{HandleTime, SimulationOptions, Simulator, ratio_estimate};
use whatif_support::*;

const SEED: u64 = 1;

struct Case {
    traffic: f64,
    agents: u32,
    replications: u32,
    max_half_width: f64,
}

/// Simulated pooled service level (02:00–24:00) with its 99 % CI, and the Erlang C value.
fn run_case(case: &Case, patience: Option<&str>) -> (staffplan::simulate::Estimate, f64, f64) {
    let extra = patience
        .map(|p| format!("patience = \"{p}\""))
        .unwrap_or_default();
    let scenario = voice_scenario(1, 30, &extra);
    let volume = case.traffic * 1800.0 / 180.0;
    let volumes = constant_volumes(&scenario, &[volume]);
    let roster = block_roster(&scenario, "voice", case.agents as usize, -60, 24 * 60 + 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let options = SimulationOptions {
        replications: case.replications,
        seed: SEED,
        handle_time: HandleTime::Exponential,
        abandonment: true,
        confidence: 0.99,
        apply_shrinkage: false,
    };
    let simulator = Simulator::new(&scenario, &volumes, &presences, &groups, options);
    let runs = simulator.replications();
    let pooled: Vec<_> = runs.iter().map(|r| r.pooled(0, 4..48)).collect();
    let sl: Vec<(f64, f64)> = pooled
        .iter()
        .map(|c| (c.answered_in_time as f64, c.arrivals as f64))
        .collect();
    let abandon: Vec<(f64, f64)> = pooled
        .iter()
        .map(|c| (c.abandoned as f64, c.arrivals as f64))
        .collect();
    let estimate_sl = ratio_estimate(&sl, 0.99).unwrap();
    let mean_abandon = ratio_estimate(&abandon, 0.99).unwrap().mean;
    let erlang = erlang_c_service_level(case.traffic, case.agents, 180.0, 20.0);
    (estimate_sl, erlang, mean_abandon)
}

fn check_c(case: &Case) {
    let (sim, erlang, _) = run_case(case, None);
    println!(
        "M/M/{} at {} Erlangs: simulated SL {:.4} ± {:.4} (99 %, {} replications), Erlang C {:.4}",
        case.agents, case.traffic, sim.mean, sim.half_width, case.replications, erlang
    );
    assert!(
        sim.half_width <= case.max_half_width,
        "CI too wide: ± {:.4}",
        sim.half_width
    );
    assert!(
        sim.contains(erlang),
        "Erlang C {erlang:.4} outside the simulated 99 % CI {:.4} ± {:.4}",
        sim.mean,
        sim.half_width
    );
}

#[test]
fn mm_n_10_erlangs_quick() {
    check_c(&Case {
        traffic: 10.0,
        agents: 13,
        replications: 40,
        max_half_width: 0.03,
    });
}

#[test]
fn mm_n_100_erlangs_quick() {
    check_c(&Case {
        traffic: 100.0,
        agents: 107,
        replications: 24,
        max_half_width: 0.03,
    });
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_10_erlangs_tight() {
    check_c(&Case {
        traffic: 10.0,
        agents: 13,
        replications: 200,
        max_half_width: 0.01,
    });
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_100_erlangs_tight() {
    check_c(&Case {
        traffic: 100.0,
        agents: 107,
        replications: 150,
        max_half_width: 0.01,
    });
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_500_erlangs_tight() {
    check_c(&Case {
        traffic: 500.0,
        agents: 514,
        replications: 160,
        max_half_width: 0.01,
    });
}

/// Where Erlang drifts: after an under-staffed interval the backlog carries over. Erlang treats
/// every interval as an independent steady state, so it predicts the normal service level for
/// the interval after a break wave; the simulation shows it far below.
#[test]
fn erlang_drifts_after_a_shift_change_backlog() {
    let scenario = voice_scenario(1, 30, "");
    let volumes = constant_volumes(&scenario, &[100.0]); // 10 Erlangs
    let mut roster = block_roster(&scenario, "voice", 13, -60, 24 * 60 + 60);
    // Five agents on break 10:00–10:30: 8 agents for 10 Erlangs, an overloaded interval.
    for assignment in roster.assignments.iter_mut().take(5) {
        assignment.slot = slot(&scenario, "voice", -60, 24 * 60 + 60, &[(600, 630)], "b");
    }
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let options = SimulationOptions {
        replications: 100,
        seed: SEED,
        ..SimulationOptions::default()
    };
    let simulator = Simulator::new(&scenario, &volumes, &presences, &groups, options);
    let runs = simulator.replications();
    let report = simulator.report(&runs);
    let after = report.queues[0].intervals[21].service_level.unwrap();
    // 14:00–24:00, far from the disturbance, pooled.
    let pairs: Vec<(f64, f64)> = runs
        .iter()
        .map(|r| {
            let c = r.pooled(0, 28..48);
            (c.answered_in_time as f64, c.arrivals as f64)
        })
        .collect();
    let steady = ratio_estimate(&pairs, 0.99).unwrap();
    let erlang = erlang_c_service_level(10.0, 13, 180.0, 20.0);
    println!(
        "10:30 after the break wave: simulated {:.3} ± {:.3}, Erlang C {erlang:.3}; 14:00-24:00: \
         simulated {:.3} ± {:.3}",
        after.mean, after.half_width, steady.mean, steady.half_width
    );
    assert!(after.high() < erlang - 0.15, "no drift seen: {after:?}");
    // Away from the disturbance the two agree again.
    assert!(steady.contains(erlang), "{steady:?} vs {erlang}");
}

/// Same seed, same counts; another seed, other counts.
#[test]
fn simulation_is_deterministic_per_seed() {
    let scenario = voice_scenario(1, 60, "patience = \"2m\"");
    let volumes = constant_volumes(&scenario, &[200.0]);
    let roster = block_roster(&scenario, "voice", 10, 0, 24 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let options = |seed| SimulationOptions {
        replications: 3,
        seed,
        ..SimulationOptions::default()
    };
    let a = Simulator::new(&scenario, &volumes, &presences, &groups, options(5)).replications();
    let b = Simulator::new(&scenario, &volumes, &presences, &groups, options(5)).replications();
    let c = Simulator::new(&scenario, &volumes, &presences, &groups, options(6)).replications();
    assert_eq!(a, b);
    assert_ne!(a, c);
    // Conservation: every arrival is answered, abandoned, or left waiting at the end.
    for run in &a {
        let total = run.pooled(0, 0..24);
        assert!(total.answered + total.abandoned <= total.arrivals);
        assert!(total.arrivals > 4000);
    }
}

/// Erlang A (exponential patience): service level over all arrivals and abandonment.
fn check_a(case: &Case, patience_seconds: f64) {
    let (sim, _, sim_abandon) = run_case(case, Some(&format!("{patience_seconds}s")));
    let performance = staffplan::erlang::evaluate(
        &staffplan::erlang::Workload {
            volume: case.traffic * 10.0,
            interval_seconds: 1800.0,
            aht_seconds: 180.0,
        },
        &staffplan::erlang::QueueModel {
            patience_seconds: Some(patience_seconds),
            concurrency: 1,
        },
        20.0,
        case.agents,
    );
    let (service_level, p_abandon) = (
        performance.service_level,
        performance.p_abandon.unwrap_or(f64::NAN),
    );
    println!(
        "M/M/{}+M at {} Erlangs, patience {patience_seconds} s: simulated SL {:.4} ± {:.4} (99 %, \
         {} replications), Erlang A {:.4}; abandonment simulated {:.4}, Erlang A {:.4}",
        case.agents,
        case.traffic,
        sim.mean,
        sim.half_width,
        case.replications,
        service_level,
        sim_abandon,
        p_abandon
    );
    assert!(
        sim.half_width <= case.max_half_width,
        "CI too wide: ± {:.4}",
        sim.half_width
    );
    assert!(
        sim.contains(service_level),
        "Erlang A {:.4} outside the simulated 99 % CI {:.4} ± {:.4}",
        service_level,
        sim.mean,
        sim.half_width
    );
    assert!((sim_abandon - p_abandon).abs() < 0.01);
}

#[test]
fn mm_n_m_10_erlangs_quick() {
    check_a(
        &Case {
            traffic: 10.0,
            agents: 11,
            replications: 40,
            max_half_width: 0.03,
        },
        120.0,
    );
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_m_10_erlangs_tight() {
    check_a(
        &Case {
            traffic: 10.0,
            agents: 11,
            replications: 200,
            max_half_width: 0.01,
        },
        120.0,
    );
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_m_100_erlangs_overloaded_tight() {
    check_a(
        &Case {
            traffic: 100.0,
            agents: 98,
            replications: 150,
            max_half_width: 0.01,
        },
        180.0,
    );
}

#[test]
#[ignore = "long: tight confidence intervals (run in the slow CI step)"]
fn mm_n_m_500_erlangs_tight() {
    check_a(
        &Case {
            traffic: 500.0,
            agents: 505,
            replications: 160,
            max_half_width: 0.01,
        },
        120.0,
    );
}

/// Chat with concurrency 2: the engine models N agents as 2N independent servers; the
/// simulation lets each agent hold two chats at once. The two must agree.
///
/// Disclosure: the first version of this test used 40 replications and fell just outside
/// (0.6587 ± 0.0178 against 0.6402, about 2.7 standard errors): a 99 % interval misses 1 % of
/// the time. It now uses 300 replications (still seed 1), which agree (0.6393 ± 0.0075); the
/// seed was not changed.
#[test]
fn chat_concurrency_matches_the_engine() {
    let scenario = scenario(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 30
time_zone = "UTC"

[[queue]]
id = "chat"
channel = "chat"
aht = "180s"
concurrency = 2
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"
"#,
    );
    let volumes = constant_volumes(&scenario, &[100.0]); // 10 Erlangs on 2 × 6 slots
    let roster = block_roster(&scenario, "chat", 6, -60, 24 * 60 + 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let options = SimulationOptions {
        replications: 300,
        seed: SEED,
        ..SimulationOptions::default()
    };
    let runs = Simulator::new(&scenario, &volumes, &presences, &groups, options).replications();
    let pairs: Vec<(f64, f64)> = runs
        .iter()
        .map(|r| {
            let c = r.pooled(0, 4..48);
            (c.answered_in_time as f64, c.arrivals as f64)
        })
        .collect();
    let sim = ratio_estimate(&pairs, 0.99).unwrap();
    let erlang = erlang_c_service_level(10.0, 12, 180.0, 20.0);
    println!(
        "chat 6 agents x 2: simulated {:.4} ± {:.4}, Erlang C on 12 servers {erlang:.4}",
        sim.mean, sim.half_width
    );
    assert!(sim.contains(erlang));
    assert!(sim.half_width < 0.03);
}
