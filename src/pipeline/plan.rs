//! Shift plan and roster together: schedule the requirement, expand the plan into one slot per
//! agent, assign named agents; when the agents cannot staff the plan, plan again with the
//! requirement capped by how many agents are available in each interval (and no more shifts a
//! day than the agents' weekly day limits allow on average), and keep whichever plan leaves
//! less of the requirement without a named agent.

use crate::domain::ShiftSlot;
use crate::error::Result;
use crate::roster::capacity::availability_caps;
use crate::roster::{RosterInput, RosterOutcome, assign};
use crate::scenario::Scenario;
use crate::scenario::shifts::ShiftRules;
use crate::schedule::{self, Schedule, ScheduleInput, ScheduleOptions, export};

/// A shift plan with its named-agent roster.
#[derive(Debug, Clone)]
pub struct PlannedRoster {
    /// The shift plan that was staffed.
    pub schedule: Schedule,
    /// The requirement the plan covers (capped when re-planned).
    pub required: Vec<Vec<u32>>,
    /// The plan's rules (with the headcount limit when re-planned).
    pub rules: ShiftRules,
    /// One slot per agent's worth of the plan.
    pub slots: Vec<ShiftSlot>,
    /// The assignment of named agents.
    pub outcome: RosterOutcome,
    /// True when the agents could not staff the first plan and the re-plan was kept.
    pub replanned: bool,
    /// Agent-hours of requirement no available agent can cover (removed by the re-plan).
    pub capped_agent_hours: f64,
    /// Unstaffed agent-hours of the first plan, when re-planned.
    pub first_plan_shortfall_agent_hours: Option<f64>,
    /// The per-day shift limit the re-plan used.
    pub replan_shifts_per_day: u32,
}

impl PlannedRoster {
    /// The schedule input this plan was made from.
    pub fn input<'a>(&'a self, scenario: &'a Scenario) -> ScheduleInput<'a> {
        let mut input = ScheduleInput::new(scenario, self.required.clone());
        input.rules = &self.rules;
        input
    }
}

fn attempt(
    scenario: &Scenario,
    rules: &ShiftRules,
    required: Vec<Vec<u32>>,
    options: &ScheduleOptions,
) -> Result<(Schedule, Vec<ShiftSlot>, RosterOutcome)> {
    let mut input = ScheduleInput::new(scenario, required);
    input.rules = rules;
    let schedule = schedule::schedule(&input, options)?;
    let slots = export::shift_slots(&input, &schedule);
    let w = &scenario.workforce;
    let outcome = assign(RosterInput {
        slots: &slots,
        agents: &w.agents,
        time_off: &w.time_off,
        rules: &w.rules,
        horizon: &scenario.horizon,
    });
    Ok((schedule, slots, outcome))
}

/// The requirement capped, queue by queue, by the agents available in its skill groups, and
/// the agent-hours removed.
pub fn capped_requirement(scenario: &Scenario, required: &[Vec<u32>]) -> (Vec<Vec<u32>>, f64) {
    let groups: Vec<String> = scenario
        .shifts
        .skill_groups
        .iter()
        .map(|g| g.id.clone())
        .collect();
    let w = &scenario.workforce;
    let caps = availability_caps(&w.agents, &w.time_off, &scenario.horizon, &groups);
    let hours = scenario.horizon.interval_seconds() / 3600.0;
    let mut removed = 0.0;
    let mut out = required.to_vec();
    for (q, row) in out.iter_mut().enumerate() {
        for (i, value) in row.iter_mut().enumerate() {
            let cap = scenario
                .shifts
                .skill_groups
                .iter()
                .enumerate()
                .filter(|(_, g)| g.queues.contains(&q))
                .map(|(g, _)| caps.per_group[g][i])
                .max()
                .unwrap_or(0);
            if *value > cap {
                removed += f64::from(*value - cap) * hours;
                *value = cap;
            }
        }
    }
    (out, removed)
}

/// Plans shifts for `required` (agents on shift and not on break, per queue per interval) and
/// staffs them with the scenario's agents; re-plans with availability unless `replan` is false.
pub fn plan_roster(
    scenario: &Scenario,
    required: Vec<Vec<u32>>,
    options: &ScheduleOptions,
    replan: bool,
) -> Result<PlannedRoster> {
    let (schedule, slots, outcome) =
        attempt(scenario, &scenario.shifts, required.clone(), options)?;
    let per_day: u32 = scenario
        .workforce
        .agents
        .iter()
        .map(|a| a.contract.max_days_per_week)
        .sum::<u32>()
        .div_ceil(7);
    let first = PlannedRoster {
        schedule,
        required: required.clone(),
        rules: scenario.shifts.clone(),
        slots,
        outcome,
        replanned: false,
        capped_agent_hours: 0.0,
        first_plan_shortfall_agent_hours: None,
        replan_shifts_per_day: per_day,
    };
    if first.outcome.roster.unfilled.is_empty() || !replan {
        return Ok(first);
    }
    let mut limited_rules = scenario.shifts.clone();
    limited_rules.max_headcount_per_day = Some(
        limited_rules
            .max_headcount_per_day
            .map_or(per_day, |m| m.min(per_day)),
    );
    let (limited, removed) = capped_requirement(scenario, &required);
    let (schedule, slots, outcome) = attempt(scenario, &limited_rules, limited.clone(), options)?;
    let first_shortfall = first.outcome.shortfall_agent_hours();
    if outcome.shortfall_agent_hours() < first_shortfall {
        Ok(PlannedRoster {
            schedule,
            required: limited,
            rules: limited_rules,
            slots,
            outcome,
            replanned: true,
            capped_agent_hours: removed,
            first_plan_shortfall_agent_hours: Some(first_shortfall),
            replan_shifts_per_day: per_day,
        })
    } else {
        Ok(first)
    }
}
