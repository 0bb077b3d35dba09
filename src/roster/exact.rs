//! The exact roster model as a MIP (good_lp), the yardstick for the heuristic in
//! [`mod@super::assign`]: the largest on-duty coverage any roster can give under every rule. Its
//! LP relaxation is an upper bound on coverage for instances too large to solve exactly.
//!
//! Variables `x[a, c]` (agent `a` works one slot of class `c`), for statically eligible pairs.
//! Constraints: class counts; one shift per agent-local day; rest between shifts on different
//! days; days and paid hours per week; consecutive-day windows; with the one-block days-off
//! rule, at most one off→work change around each week.

use std::collections::BTreeMap;

use good_lp::{
    Expression, ProblemVariables, Solution, SolverModel, Variable, constraint, microlp, variable,
};

use super::RosterInput;
use crate::domain::calendar::{LocalShift, WeeklyAvailability};
use crate::domain::{ShiftSlot, TimeOff};

/// Result of the reference model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReferenceBound {
    /// Largest coverage in on-duty agent-hours (the MIP optimum, or the LP bound when
    /// `relaxed`).
    pub covered_agent_hours: f64,
    /// Planned on-duty agent-hours.
    pub planned_agent_hours: f64,
    /// True when integrality was relaxed (an upper bound on coverage).
    pub relaxed: bool,
}

impl ReferenceBound {
    /// The smallest shortfall any roster can have (or a lower bound on it when relaxed).
    pub fn shortfall_agent_hours(&self) -> f64 {
        (self.planned_agent_hours - self.covered_agent_hours).max(0.0)
    }
}

/// Solves the reference model; `relaxed` solves the LP relaxation only. `None` when the solver
/// fails.
pub fn reference(input: RosterInput<'_>, relaxed: bool) -> Option<ReferenceBound> {
    let plan_start = input.horizon.start_date();
    // Classes: (start, end, skill, paid) -> (count, on-duty seconds).
    let mut classes: BTreeMap<(i64, i64, &str, i64), (usize, i64)> = BTreeMap::new();
    for slot in input.slots {
        let key = (
            slot.start.timestamp(),
            slot.end.timestamp(),
            slot.skill_group.as_str(),
            slot.paid_seconds.round() as i64,
        );
        let entry = classes.entry(key).or_insert((0, 0));
        entry.0 += 1;
        entry.1 = entry.1.max(slot.on_duty_seconds());
    }
    let classes: Vec<_> = classes.into_iter().collect();
    let planned: i64 = input.slots.iter().map(ShiftSlot::on_duty_seconds).sum();
    let mut vars = ProblemVariables::new();
    // Per agent: the eligible classes with their variables and local facts.
    let mut per_agent: Vec<Vec<(usize, Variable, LocalShift)>> = Vec::new();
    let mut per_class: Vec<Vec<Variable>> = vec![Vec::new(); classes.len()];
    let mut objective = Expression::from(0.0);
    for agent in input.agents {
        let availability = WeeklyAvailability::new(&agent.availability);
        let off: Vec<&TimeOff> = input
            .time_off
            .iter()
            .filter(|t| t.agent_id == agent.id)
            .collect();
        let mut mine = Vec::new();
        for (c, ((start, end, skill, paid), (_, weight))) in classes.iter().enumerate() {
            let slot_start = chrono::DateTime::from_timestamp(*start, 0)?;
            let slot_end = chrono::DateTime::from_timestamp(*end, 0)?;
            let here = LocalShift::new(slot_start, slot_end, agent.time_zone, plan_start);
            let eligible = agent.skill_groups.iter().any(|s| s == skill)
                && (*paid as f64) <= agent.contract.max_weekly_hours * 3600.0
                && availability.contains(here.weekday, here.start_minute, here.wall_minutes)
                && !off.iter().any(|t| t.start < slot_end && slot_start < t.end);
            if !eligible {
                continue;
            }
            let x = if relaxed {
                vars.add(variable().min(0.0).max(1.0))
            } else {
                vars.add(variable().binary())
            };
            objective += *weight as f64 / 3600.0 * x;
            per_class[c].push(x);
            mine.push((c, x, here));
        }
        per_agent.push(mine);
    }
    let mut constraints = Vec::new();
    for (c, xs) in per_class.iter().enumerate() {
        if !xs.is_empty() {
            let sum: Expression = xs.iter().copied().sum();
            constraints.push(constraint!(sum <= classes[c].1.0 as f64));
        }
    }
    for (agent, mine) in input.agents.iter().zip(&per_agent) {
        if mine.is_empty() {
            continue;
        }
        let mut by_day: BTreeMap<i32, Vec<(usize, Variable)>> = BTreeMap::new();
        for &(c, x, here) in mine {
            by_day.entry(here.day).or_default().push((c, x));
        }
        let day_sum = |day: i32| -> Expression {
            by_day
                .get(&day)
                .map(|list| list.iter().map(|(_, x)| *x).sum())
                .unwrap_or_else(|| Expression::from(0.0))
        };
        for day in by_day.keys() {
            constraints.push(constraint!(day_sum(*day) <= 1.0));
        }
        // Rest: a shift and the conflicting shifts of one later day exclude each other.
        for &(c, x, here) in mine {
            let (c_start, c_end) = (classes[c].0.0, classes[c].0.1);
            for (&day, list) in by_day.range(here.day + 1..) {
                let conflicting: Vec<Variable> = list
                    .iter()
                    .filter(|(d, _)| {
                        let (d_start, d_end) = (classes[*d].0.0, classes[*d].0.1);
                        let gap = if c_end <= d_start {
                            d_start - c_end
                        } else if d_end <= c_start {
                            c_start - d_end
                        } else {
                            -1
                        };
                        gap < input.rules.min_rest_seconds
                    })
                    .map(|(_, v)| *v)
                    .collect();
                if conflicting.is_empty() {
                    if day > here.day + 3 {
                        break;
                    }
                    continue;
                }
                let sum: Expression = conflicting.into_iter().sum();
                constraints.push(constraint!(x + sum <= 1.0));
            }
        }
        let first = *by_day.keys().next().unwrap_or(&0);
        let last = *by_day.keys().last().unwrap_or(&0);
        let weeks: Vec<i32> = (first.div_euclid(7)..=last.div_euclid(7)).collect();
        for &week in &weeks {
            let days: Expression = (7 * week..7 * week + 7).map(day_sum).sum();
            constraints.push(constraint!(
                days <= f64::from(agent.contract.max_days_per_week)
            ));
            let hours: Expression = mine
                .iter()
                .filter(|(_, _, here)| here.week() == week)
                .map(|(c, x, _)| classes[*c].0.3 as f64 / 3600.0 * *x)
                .sum();
            constraints.push(constraint!(hours <= agent.contract.max_weekly_hours));
            if input.rules.days_off_consecutive {
                // t_d >= y_d - y_(d-1) around the week; at most one block of work.
                let mut changes = Expression::from(0.0);
                for k in 0..7 {
                    let t = vars.add(variable().min(0.0));
                    let today = 7 * week + k;
                    let yesterday = 7 * week + (k + 6) % 7;
                    constraints.push(constraint!(t >= day_sum(today) - day_sum(yesterday)));
                    changes += t;
                }
                constraints.push(constraint!(changes <= 1.0));
            }
        }
        let limit = agent
            .contract
            .max_consecutive_days
            .min(input.rules.max_consecutive_days) as i32;
        for from in first - limit..=last {
            let window: Expression = (from..=from + limit).map(day_sum).sum();
            constraints.push(constraint!(window <= f64::from(limit)));
        }
    }
    let mut model = vars.maximise(objective.clone()).using(microlp);
    for c in constraints {
        model = model.with(c);
    }
    let solution = model.solve().ok()?;
    Some(ReferenceBound {
        covered_agent_hours: solution.eval(&objective),
        planned_agent_hours: planned as f64 / 3600.0,
        relaxed,
    })
}
