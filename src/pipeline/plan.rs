//! The shift plan and its roster together, the plan made within what the named agents can
//! supply ([`crate::roster::supply`]): every shift option some agent can work, and no more
//! shifts on a day, or days and hours in a week, than the agents who alone could work them
//! can give. The scheduler's LP relaxation under those limits is the plan's lower bound — a
//! bound of every roster the agents can work, since each limit holds for all of them.
//!
//! The limits leave out what only the roster sees (rest between shifts, consecutive days,
//! which agent takes which day), so the roster may still leave a slot unfilled. Then the
//! smallest day limit holding that slot is lowered to what the agents did staff and the plan
//! is made again: at most [`TIGHTENING_ROUNDS`] times (a count, the same on every machine),
//! keeping the plan whose roster leaves least requirement uncovered, then the cheapest.

use std::collections::BTreeMap;

use crate::domain::ShiftSlot;
use crate::domain::supply::{ShiftOption, Supply, SupplyResource};
use crate::error::Result;
use crate::roster::{RosterInput, RosterOutcome, assign};
use crate::scenario::{Scenario, ShiftRules};
use crate::schedule::{
    self, Schedule, ScheduleInput, ScheduleOptions, ServiceGoals, candidate_shifts, export,
};

/// Rounds of lowering a limit where the roster left slots unfilled.
pub const TIGHTENING_ROUNDS: usize = 3;

/// When the first plan leaves requirement uncovered (by the plan or by the roster), it is
/// made once more with this many times the MIP's node budget, and the better kept: under the
/// workforce's limits a small budget can stop at a plan the agents cannot staff in full. On
/// `large` the default 703 nodes leave 46 agent-hours uncovered and three tightening rounds
/// end at 273,720 (gap 1.61 %); 5,624 nodes find a plan that covers everything and that the
/// agents staff in full: 272,760 (gap 0.26 %), no tightening round.
pub const RETRY_NODE_FACTOR: f64 = 8.0;

/// A shift plan with its named-agent roster.
#[derive(Debug, Clone)]
pub struct PlannedRoster {
    /// The shift plan that was staffed.
    pub schedule: Schedule,
    /// The requirement it covers: the one asked for, or the one the service goals chose.
    pub required: Vec<Vec<u32>>,
    /// One slot per agent's worth of the plan.
    pub slots: Vec<ShiftSlot>,
    /// The assignment of named agents.
    pub outcome: RosterOutcome,
    /// What the agents can supply (limits as tightened for the plan kept).
    pub supply: Supply,
    /// What the agents can supply, limits as the workforce gives them (not tightened): what
    /// a shortfall is explained by.
    pub workforce: Supply,
    /// Per candidate of the plan (`schedule.candidates`), its option index in `supply`.
    pub option_of: Vec<usize>,
    /// Rounds the plan was made again after the roster left slots unfilled.
    pub tightening_rounds: usize,
    /// The LP bound of the first plan (the workforce's limits as they are: a bound of every
    /// roster), in cost terms.
    pub workforce_lower_bound_cost: Option<f64>,
    /// The LP bound of the plan without the workforce (anonymous agents), in cost terms.
    pub anonymous_lower_bound_cost: Option<f64>,
    /// Shifts per (skill group, plan day) of the plan without the workforce: what the
    /// requirement asks for when anyone can be hired.
    pub anonymous_shifts: BTreeMap<(usize, usize), u32>,
}

impl PlannedRoster {
    /// Agents of the plan per supply option.
    pub fn agents_per_option(&self) -> BTreeMap<usize, f64> {
        let mut on = BTreeMap::new();
        for agent in &self.schedule.agents {
            *on.entry(self.option_of[agent.candidate]).or_default() += 1.0;
        }
        on
    }
}

/// The scheduler's candidate shifts as the workforce sees them.
pub fn shift_options(scenario: &Scenario) -> Vec<ShiftOption> {
    let rules = &scenario.shifts;
    candidate_shifts(rules, &scenario.horizon)
        .iter()
        .map(|c| {
            let template = &rules.templates[c.template];
            ShiftOption {
                skill_group: template.skill_group,
                start: c.start,
                end: c.end,
                plan_day: c.day,
                paid_hours: f64::from(template.paid_minutes) / 60.0,
            }
        })
        .collect()
}

/// Plans shifts for `required` (agents on shift and not on break, per queue per interval)
/// within the scenario's workforce, and staffs them with its named agents.
pub fn plan_roster(
    scenario: &Scenario,
    mut required: Vec<Vec<u32>>,
    goals: Option<&ServiceGoals>,
    options: &ScheduleOptions,
) -> Result<PlannedRoster> {
    let rules = &scenario.shifts;
    let w = &scenario.workforce;
    let interval_required = required.clone();
    let all = candidate_shifts(rules, &scenario.horizon);
    let group_ids: Vec<String> = rules.skill_groups.iter().map(|g| g.id.clone()).collect();
    let option_index: BTreeMap<(usize, usize), usize> = all
        .iter()
        .enumerate()
        .map(|(k, c)| ((c.template, c.start_offset), k))
        .collect();
    let original = crate::roster::supply::supply(
        &w.agents,
        &w.time_off,
        &scenario.horizon,
        &group_ids,
        &shift_options(scenario),
    );
    let mut supply = original.clone();
    let mut best: Option<(f64, f64, PlannedRoster)> = None;
    let rounding = ScheduleOptions {
        method: schedule::Method::Rounding,
        ..options.clone()
    };
    let mut first_bound: Option<f64> = None;
    for round in 0..=TIGHTENING_ROUNDS {
        let mut input = ScheduleInput::new(scenario, required.clone());
        input.supply = Some(&supply);
        // The re-plans for the roster take the LP's rounding and repair: on `large` the integer
        // search under the workforce's limits took 10 s a round and its plans were no better.
        let Staffed {
            schedule,
            slots,
            outcome,
            option_of,
            uncovered,
        } = if round == 0 {
            input.goals = goals;
            let first = staffed(
                scenario,
                &input,
                schedule::schedule(&input, options)?,
                &option_index,
            );
            // Requirement the plan must cover (not what an understaffing cost prices) left
            // uncovered, or slots without an agent: a second attempt with a larger MIP budget,
            // the better of the two kept (see [`RETRY_NODE_FACTOR`]). Which part of it the
            // workforce truly lacks the first plan cannot tell (on `large` the shortfall it
            // blamed on the workforce was the search's).
            let retry = first.schedule.report.understaffed > 1e-9
                || !first.outcome.roster.unfilled.is_empty();
            if retry {
                let retry_options = ScheduleOptions {
                    mip_node_factor: options.mip_node_factor * RETRY_NODE_FACTOR,
                    ..options.clone()
                };
                let retry = staffed(
                    scenario,
                    &input,
                    schedule::schedule(&input, &retry_options)?,
                    &option_index,
                );
                let better = retry.uncovered < first.uncovered - 1e-6
                    || (retry.uncovered <= first.uncovered + 1e-6
                        && retry.schedule.report.plan_cost()
                            < first.schedule.report.plan_cost() - 1e-6);
                if better { retry } else { first }
            } else {
                first
            }
        } else {
            staffed(
                scenario,
                &input,
                schedule::schedule(&input, &rounding)?,
                &option_index,
            )
        };
        if round == 0 {
            first_bound = schedule.report.objective_bound;
            // With service goals the first plan chose the requirement; the re-plans cover it.
            if let Some(chosen) = &schedule.required {
                required = chosen.clone();
            }
        }
        let cost = schedule.report.cost;
        let done = outcome.roster.unfilled.is_empty();
        let planned = PlannedRoster {
            required: required.clone(),
            schedule,
            slots,
            outcome,
            supply: supply.clone(),
            workforce: original.clone(),
            option_of,
            tightening_rounds: round,
            workforce_lower_bound_cost: None,
            anonymous_lower_bound_cost: None,
            anonymous_shifts: BTreeMap::new(),
        };
        let tighter = if done || round == TIGHTENING_ROUNDS {
            None
        } else {
            Some(tightened(&supply, &planned, rules))
        };
        let better = best.as_ref().is_none_or(|(u, c, _)| {
            uncovered < u - 1e-6 || (uncovered <= u + 1e-6 && cost < c - 1e-6)
        });
        if better {
            best = Some((uncovered, cost, planned));
        }
        match tighter {
            Some(next) if next != supply => supply = next,
            _ => break,
        }
    }
    let (_, _, mut planned) = best.expect("at least one round runs");
    let covers_all = planned
        .schedule
        .coverage
        .shortfall
        .iter()
        .flatten()
        .all(|&s| s <= 1e-9);
    let with_goals = goals.is_some_and(|g| g.any());
    let report = &planned.schedule.report;
    planned.workforce_lower_bound_cost = if report.cost_terms.is_some() {
        // The first plan's LP prices the cost terms and the workforce as it is: a bound of
        // the total cost of every plan the agents can work, less the penalty of any
        // requirement this plan must but does not cover.
        first_bound.map(|b| (b - report.penalty * report.understaffed).min(report.plan_cost()))
    } else if with_goals {
        // The goal LP under the workforce as it is: a bound of every plan it can work that
        // meets the goals.
        first_bound.map(|b| b.min(planned.schedule.report.cost))
    } else if covers_all && planned.tightening_rounds == 0 {
        // The first plan's own LP: the workforce as it is, the whole requirement.
        first_bound.map(|b| b.min(planned.schedule.report.cost))
    } else {
        workforce_bound_at_coverage(scenario, &required, &original, &planned, &rounding)?
    };
    let report = &mut planned.schedule.report;
    if let Some(bound) = planned.workforce_lower_bound_cost {
        let cost = report.plan_cost();
        report.lower_bound_cost = Some(bound);
        report.gap = Some(if cost > 0.0 {
            ((cost - bound) / cost).max(0.0)
        } else {
            0.0
        });
    }
    // Only its LP bound and shift counts are read: the LP's rounding suffices.
    let mut anonymous_input = ScheduleInput::new(
        scenario,
        if with_goals {
            interval_required
        } else {
            required
        },
    );
    anonymous_input.goals = goals;
    let anonymous = schedule::schedule(&anonymous_input, &rounding)?;
    planned.anonymous_lower_bound_cost = anonymous.report.lower_bound_cost;
    for agent in &anonymous.agents {
        let c = &anonymous.candidates[agent.candidate];
        *planned
            .anonymous_shifts
            .entry((rules.templates[c.template].skill_group, c.day))
            .or_default() += 1;
    }
    Ok(planned)
}

/// A shift plan with its roster.
struct Staffed {
    schedule: Schedule,
    slots: Vec<ShiftSlot>,
    outcome: RosterOutcome,
    /// Per candidate of the plan, its option index in the supply.
    option_of: Vec<usize>,
    /// Agent-hours of requirement uncovered by the plan or left without an agent by the
    /// roster.
    uncovered: f64,
}

/// Staffs `schedule` (made for `input`) with the scenario's named agents.
fn staffed(
    scenario: &Scenario,
    input: &ScheduleInput<'_>,
    schedule: Schedule,
    option_index: &BTreeMap<(usize, usize), usize>,
) -> Staffed {
    let w = &scenario.workforce;
    let slots = export::shift_slots(input, &schedule);
    let outcome = assign(RosterInput {
        slots: &slots,
        agents: &w.agents,
        time_off: &w.time_off,
        rules: &w.rules,
        horizon: &scenario.horizon,
    });
    let option_of: Vec<usize> = schedule
        .candidates
        .iter()
        .map(|c| option_index[&(c.template, c.start_offset)])
        .collect();
    let hours = scenario.horizon.interval_seconds() / 3600.0;
    let uncovered = schedule.coverage.shortfall.iter().flatten().sum::<f64>() * hours
        + outcome.shortfall_agent_hours();
    Staffed {
        schedule,
        slots,
        outcome,
        option_of,
        uncovered,
    }
}

/// The workforce-aware LP bound in cost terms at the plan's own coverage: the least any plan
/// the agents can work costs when it covers at least what `planned` covers. With the whole
/// requirement covered it is the LP bound of the plan as asked; where the plan leaves part of
/// it uncovered, the LP is solved again for the requirement less that part (rounded up per
/// interval, so the plan is one of the plans it bounds). Always the workforce as it is, not
/// the limits the tightening rounds lowered: those are the roster's, not necessary conditions.
fn workforce_bound_at_coverage(
    scenario: &Scenario,
    required: &[Vec<u32>],
    supply: &Supply,
    planned: &PlannedRoster,
    rounding: &ScheduleOptions,
) -> Result<Option<f64>> {
    let shortfall = &planned.schedule.coverage.shortfall;
    let reduced: Vec<Vec<u32>> = required
        .iter()
        .zip(shortfall)
        .map(|(need, short)| {
            need.iter()
                .zip(short)
                .map(|(&n, &s)| n.saturating_sub((s - 1e-9).ceil().max(0.0) as u32))
                .collect()
        })
        .collect();
    let mut input = ScheduleInput::new(scenario, reduced);
    input.supply = Some(supply);
    let relaxed = schedule::schedule(&input, rounding)?;
    // The LP's objective prices coverable shortfall; at this coverage the plan has none, so
    // the objective bounds its cost.
    Ok(relaxed
        .report
        .objective_bound
        .map(|b| b.min(planned.schedule.report.cost)))
}

/// The supply with each unfilled slot's smallest day limit lowered to what the roster staffed
/// of it.
fn tightened(supply: &Supply, planned: &PlannedRoster, rules: &ShiftRules) -> Supply {
    let mut next = supply.clone();
    // Agents planned and agents unfilled per option.
    let planned_on = planned.agents_per_option();
    // Unfilled slots per option (a slot is its template at its start).
    let mut option_at: BTreeMap<(&str, chrono::DateTime<chrono::Utc>), usize> = BTreeMap::new();
    for (c, candidate) in planned.schedule.candidates.iter().enumerate() {
        let name = rules.templates[candidate.template].name.as_str();
        option_at.insert((name, candidate.start), planned.option_of[c]);
    }
    let mut unfilled_on: BTreeMap<usize, f64> = BTreeMap::new();
    for slot in &planned.outcome.roster.unfilled {
        if let Some(&k) = option_at.get(&(slot.template.as_str(), slot.start)) {
            *unfilled_on.entry(k).or_default() += 1.0;
        }
    }
    let mut lowered: Vec<usize> = Vec::new();
    for &k in unfilled_on.keys() {
        // The smallest day limit holding option k (fewest agents behind it).
        let smallest = supply
            .limits
            .iter()
            .enumerate()
            .filter(|(_, l)| {
                matches!(l.resource, SupplyResource::Day { .. })
                    && l.members.iter().any(|&(m, _)| m == k)
            })
            .min_by_key(|(l, limit)| (limit.agents, *l))
            .map(|(l, _)| l);
        if let Some(l) = smallest
            && !lowered.contains(&l)
        {
            lowered.push(l);
        }
    }
    for l in lowered {
        let limit = &supply.limits[l];
        let used = limit.total(&planned_on);
        let missing = limit.total(&unfilled_on);
        next.limits[l].bound = next.limits[l].bound.min((used - missing).max(0.0));
    }
    next
}
