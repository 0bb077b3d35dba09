//! The assignment heuristic against independent optima: full enumeration on tiny instances
//! (every assignment of slots to agents or to nobody, judged by the checker) and the exact MIP
//! on medium ones. Every roster produced here is run through the checker.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use staffplan::check::roster::{CheckContext, ViolationKind, check_roster, check_shifts};
use staffplan::domain::WorkedShift;
use staffplan::domain::on_duty_agent_hours as planned_agent_hours;
use staffplan::domain::{Agent, BreakSlot, Contract, Rules, ShiftSlot, TimeOff};
use staffplan::roster::exact::reference;
use staffplan::roster::synthetic::{SplitMix, generate, local_instant};
use staffplan::roster::{RosterInput, assign};
use staffplan::time::Horizon;

struct Tiny {
    horizon: Horizon,
    agents: Vec<Agent>,
    time_off: Vec<TimeOff>,
    slots: Vec<ShiftSlot>,
    rules: Rules,
}

fn tiny(seed: u64) -> Tiny {
    let mut rng = SplitMix::new(seed);
    let zone: Tz = "Europe/Lisbon".parse().unwrap();
    let start = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
    let days = 4;
    let horizon = Horizon::new(start, days, 60, zone).unwrap();
    let skills = ["voice", "chat"];
    let agent_count = 2 + rng.below(2);
    let mut agents = Vec::new();
    let mut time_off = Vec::new();
    for k in 0..agent_count {
        let mut groups = vec![skills[rng.below(2)].to_string()];
        if rng.unit() < 0.3 {
            groups = vec!["chat".into(), "voice".into()];
        }
        let availability = std::array::from_fn(|_| {
            if rng.unit() < 0.15 {
                Vec::new()
            } else {
                vec![(6 * 60, 23 * 60)]
            }
        });
        let id = format!("T{k}");
        if rng.unit() < 0.25 {
            let day = rng.below(days as usize) as i64;
            let from = local_instant(zone, start + Duration::days(day), 12, 0);
            time_off.push(TimeOff {
                agent_id: id.clone(),
                start: from,
                end: from + Duration::hours(6),
                reason: "doctor".into(),
            });
        }
        agents.push(Agent {
            name: id.clone(),
            id,
            skill_groups: groups,
            time_zone: zone,
            contract: Contract {
                min_weekly_hours: 0.0,
                max_weekly_hours: [14.0, 21.0, 40.0][rng.below(3)],
                max_days_per_week: 2 + rng.below(2) as u32,
                max_consecutive_days: 2 + rng.below(2) as u32,
            },
            availability,
            preferred_template: None,
            preferred_start_minute: (rng.unit() < 0.5).then_some(8 * 60),
        });
    }
    let slot_count = 5 + rng.below(3);
    let mut slots = Vec::new();
    for k in 0..slot_count {
        let day = rng.below(days as usize) as i64;
        let hour = [6, 8, 13, 15][rng.below(4)];
        let length = [7, 8][rng.below(2)];
        let s = local_instant(zone, start + Duration::days(day), hour, 0);
        slots.push(ShiftSlot {
            slot_id: format!("s{k}"),
            template: format!("h{length}"),
            skill_group: skills[rng.below(2)].into(),
            start: s,
            end: s + Duration::hours(length),
            local_date: start + Duration::days(day),
            breaks: vec![BreakSlot {
                start: s + Duration::hours(3),
                end: s + Duration::minutes(210),
                paid: false,
            }],
            paid_seconds: f64::from(length as i32) * 3600.0 - 1800.0,
            cost: 1.0,
        });
    }
    let rules = Rules {
        min_rest_seconds: 11 * 3600,
        max_consecutive_days: 3,
        days_off_consecutive: rng.unit() < 0.5,
        spread_weekends: true,
    };
    Tiny {
        horizon,
        agents,
        time_off,
        slots,
        rules,
    }
}

/// Rules that adding shifts can only break more (everything but the days-off block).
fn monotone_clean(shifts: &[WorkedShift], t: &Tiny) -> bool {
    let report = check_shifts(shifts, &context(t, None));
    report
        .violations
        .iter()
        .all(|v| v.kind == ViolationKind::DaysOff)
}

fn context<'a>(t: &'a Tiny, plan: Option<&'a [ShiftSlot]>) -> CheckContext<'a> {
    CheckContext {
        agents: &t.agents,
        time_off: &t.time_off,
        rules: &t.rules,
        horizon: &t.horizon,
        plan,
    }
}

fn worked(slot: &ShiftSlot, agent: &Agent) -> WorkedShift {
    WorkedShift {
        line: 0,
        agent_id: agent.id.clone(),
        skill_group: slot.skill_group.clone(),
        start: slot.start,
        end: slot.end,
        paid_hours: slot.paid_seconds / 3600.0,
        breaks: slot.breaks.iter().map(|b| (b.start, b.end)).collect(),
    }
}

/// Largest coverage (on-duty seconds) of any valid roster, by depth-first enumeration.
fn brute_force(t: &Tiny) -> i64 {
    fn go(t: &Tiny, k: usize, chosen: &mut Vec<WorkedShift>, covered: i64, best: &mut i64) {
        if k == t.slots.len() {
            if covered > *best && check_shifts(chosen, &context(t, None)).is_clean() {
                *best = covered;
            }
            return;
        }
        let slot = &t.slots[k];
        let weight = slot.on_duty_seconds();
        for agent in &t.agents {
            chosen.push(worked(slot, agent));
            if monotone_clean(chosen, t) {
                go(t, k + 1, chosen, covered + weight, best);
            }
            chosen.pop();
        }
        go(t, k + 1, chosen, covered, best);
    }
    let mut best = 0;
    go(t, 0, &mut Vec::new(), 0, &mut best);
    best
}

#[test]
fn heuristic_matches_brute_force_on_tiny_instances() {
    let mut optimal = 0;
    let mut total_gap = 0.0;
    let cases = 150;
    for seed in 0..cases {
        let t = tiny(seed);
        let outcome = assign(RosterInput {
            slots: &t.slots,
            agents: &t.agents,
            time_off: &t.time_off,
            rules: &t.rules,
            horizon: &t.horizon,
        });
        let report = check_roster(&outcome.roster, &context(&t, Some(&t.slots)));
        assert!(report.is_clean(), "seed {seed}: {:?}", report.violations);
        let planned = planned_agent_hours(&t.slots);
        let best = brute_force(&t) as f64 / 3600.0;
        let covered = planned - outcome.shortfall_agent_hours();
        assert!(
            covered <= best + 1e-9,
            "seed {seed}: heuristic {covered} beats the optimum {best}?"
        );
        // The MIP agrees with enumeration (it is the yardstick for medium instances).
        let mip = reference(
            RosterInput {
                slots: &t.slots,
                agents: &t.agents,
                time_off: &t.time_off,
                rules: &t.rules,
                horizon: &t.horizon,
            },
            false,
        )
        .unwrap();
        assert!(
            (mip.covered_agent_hours - best).abs() < 1e-6,
            "seed {seed}: MIP {} vs enumeration {best}",
            mip.covered_agent_hours
        );
        if covered + 1e-9 >= best {
            optimal += 1;
        } else {
            total_gap += best - covered;
            eprintln!(
                "seed {seed}: heuristic covers {covered} h, optimum {best} h (one-block days off: {})",
                t.rules.days_off_consecutive
            );
        }
    }
    eprintln!("optimal on {optimal}/{cases} tiny instances; total gap {total_gap} agent-hours");
    assert!(
        optimal * 100 >= cases as usize * 95,
        "optimal on only {optimal}/{cases}"
    );
}

#[test]
fn heuristic_is_close_to_the_mip_optimum_on_medium_instances() {
    let zone: Tz = "America/New_York".parse().unwrap();
    let horizon =
        Horizon::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 7, 15, zone).unwrap();
    let seeds: Vec<(u64, bool)> = match std::env::var("ROSTER_MIP_SEEDS") {
        // e.g. ROSTER_MIP_SEEDS=3,4,5 (odd seeds without, even seeds with one-block days off)
        Ok(list) => list
            .split(',')
            .filter_map(|s| s.trim().parse().ok())
            .map(|s: u64| (s, s % 2 == 0))
            .collect(),
        Err(_) => vec![(1, false), (2, true), (4, true)],
    };
    for (seed, days_off_consecutive) in seeds {
        let case = generate(8, &horizon, &[zone], 1.1, seed);
        let rules = Rules {
            days_off_consecutive,
            ..Rules::default()
        };
        let input = RosterInput {
            slots: &case.slots,
            agents: &case.agents,
            time_off: &case.time_off,
            rules: &rules,
            horizon: &horizon,
        };
        let outcome = assign(input);
        let report = check_roster(
            &outcome.roster,
            &CheckContext {
                agents: &case.agents,
                time_off: &case.time_off,
                rules: &rules,
                horizon: &horizon,
                plan: Some(&case.slots),
            },
        );
        assert!(report.is_clean(), "{:?}", report.violations);
        let mip = reference(input, false).unwrap();
        let heuristic = outcome.shortfall_agent_hours();
        let optimum = mip.shortfall_agent_hours();
        eprintln!(
            "seed {seed}: {} slots, planned {:.1} h, heuristic shortfall {heuristic:.2} h, MIP optimum {optimum:.2} h",
            case.slots.len(),
            mip.planned_agent_hours
        );
        assert!(heuristic + 1e-6 >= optimum);
        assert!(
            heuristic - optimum <= 0.03 * mip.planned_agent_hours + 1e-6,
            "gap {}",
            heuristic - optimum
        );
    }
}
