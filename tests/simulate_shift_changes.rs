//! Shift changes in the simulation: only the agents whose stretch ends leave (after finishing
//! their contact), only the agents whose stretch starts come on, and the others keep what they
//! are handling.
//!
//! Issue 17: ciw's `Schedule(..., preemption=False)` takes *every* server off duty at *every*
//! shift change of the schedule (busy ones finish their customer) and adds the new head count
//! afresh, so for the length of the calls in progress a ciw pool has the new head count free
//! *plus* every busy server. With one schedule entry per interval that read 0.5 (Monday) to
//! 1.0 (Saturday) points more service than `staffplan simulate` on the small call center's
//! roster; with one server per agent ciw agrees with staffplan (BENCHMARKS.md, "Simulation
//! against ciw", `benches/ciw_compare.sh`). These tests pin staffplan's per-agent semantics to a
//! closed form, so that the simulation cannot drift to the pool's.
//!
//! Closed form: with an endless backlog (arrivals far above capacity, no abandonment) an agent
//! is busy all the time it is on duty. In a stretch `[a, b)` it starts a contact at `a` and
//! another at every completion before `b` (a Poisson process of rate 1/AHT while busy), so it
//! answers `1 + (b − a)/AHT` contacts on average, variance `(b − a)/AHT` (less the e^−10 chance
//! that a call outlasts a 30-minute break of a 3-minute AHT); a chat agent with
//! concurrency `c` is `c` such servers. A pool that re-issues every server at each change
//! answers one more contact per busy server per change: on this roster ciw's pool answers 678
//! (one entry per head-count change) or 694 (one per interval) contacts a replication against
//! the closed form's 648 (20 replications each), 7 to 12 standard errors of this test away.
//!
//! Seed 1, chosen before the first run, as in `simulate_erlang.rs`.

mod whatif_support;

use staffplan::domain::{Assignment, Roster};
use staffplan::evaluate::{SkillGroups, shift_presence};
use staffplan::simulate::{SimulationOptions, Simulator};
use whatif_support::*;

const SEED: u64 = 1;
const AHT: f64 = 180.0;

/// Nine agents on staggered 4-hour shifts (01:00, 01:30, … 05:00) with a 30-minute break two
/// hours in: the head count changes every half hour, and breaks of some coincide with the
/// starts of others.
fn staggered_roster(scenario: &staffplan::scenario::Scenario, group: &str) -> Roster {
    let mut roster = Roster::default();
    for k in 0..9i64 {
        let start = 60 + 30 * k;
        roster.assignments.push(Assignment {
            agent_id: format!("A{k:03}"),
            slot: slot(
                scenario,
                group,
                start,
                start + 240,
                &[(start + 120, start + 150)],
                &format!("s{k}"),
            ),
        });
    }
    roster
}

/// Mean answered contacts per replication and the closed form (mean, variance of one
/// replication).
fn answered_vs_closed_form(
    scenario: &staffplan::scenario::Scenario,
    group: &str,
    concurrency: f64,
    replications: u32,
) -> (f64, f64, f64, u64) {
    let volumes = constant_volumes(scenario, &[300.0]); // 100 Erlangs against at most 9 agents
    let roster = staggered_roster(scenario, group);
    let groups = SkillGroups::one_per_queue(scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let (mut mean, mut variance) = (0.0, 0.0);
    for p in &presences {
        for &(a, b) in &p.duty {
            let stretch = (b - a) as f64 / AHT;
            mean += concurrency * (1.0 + stretch);
            variance += concurrency * stretch;
        }
    }
    let options = SimulationOptions {
        replications,
        seed: SEED,
        abandonment: false,
        apply_shrinkage: false,
        ..SimulationOptions::default()
    };
    let runs = Simulator::new(scenario, &volumes, &presences, &groups, options).replications();
    let len = scenario.horizon.len();
    let mut answered = 0u64;
    let mut arrivals = 0u64;
    for run in &runs {
        let total = run.pooled(0, 0..len);
        answered += total.answered;
        arrivals += total.arrivals;
    }
    assert!(answered < arrivals, "the backlog must never empty");
    (
        answered as f64 / f64::from(replications),
        mean,
        variance,
        arrivals / u64::from(replications),
    )
}

#[test]
fn voice_agents_leave_and_join_one_by_one() {
    let scenario = voice_scenario(1, 30, "");
    let replications = 40;
    let (simulated, expected, variance, arrivals) =
        answered_vs_closed_form(&scenario, "voice", 1.0, replications);
    // Standard error of the mean over replications.
    let se = (variance / f64::from(replications)).sqrt();
    println!(
        "voice: {simulated:.1} answered per replication, closed form {expected:.1} (se {se:.2}), \
         {arrivals} arrivals"
    );
    assert!(
        (simulated - expected).abs() < 4.0 * se,
        "answered {simulated:.1} vs closed form {expected:.1} ± {:.1}",
        4.0 * se
    );
}

#[test]
fn chat_agents_keep_their_chats_across_shift_changes() {
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
concurrency = 3
service_level = 0.8
answer_within = "60s"
forecast = "unused.csv"
"#,
    );
    let replications = 40;
    let (simulated, expected, variance, arrivals) =
        answered_vs_closed_form(&scenario, "chat", 3.0, replications);
    let se = (variance / f64::from(replications)).sqrt();
    println!(
        "chat x3: {simulated:.1} answered per replication, closed form {expected:.1} (se \
         {se:.2}), {arrivals} arrivals"
    );
    assert!(
        (simulated - expected).abs() < 4.0 * se,
        "answered {simulated:.1} vs closed form {expected:.1} ± {:.1}",
        4.0 * se
    );
}
