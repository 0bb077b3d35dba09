//! Writers of `shifts.csv`, `coverage.csv` and `summary.json`.
//!
//! `shifts.csv` has one row per candidate shift used and break pattern (agents of the same
//! shift with the same break starts share a row): `template,skill_group,local_date,start_utc,
//! end_utc,start_local,end_local,agents,paid_hours,cost,break_starts_utc,break_starts_local`;
//! break starts are `;`-separated in the template's break order. Rows are sorted by start, then
//! template (file order), then break starts.
//!
//! `coverage.csv`: `interval_start,local_start,queue,required_agents,scheduled_agents,on_break,
//! shortfall,surplus`, ordered by interval then queue.

use std::borrow::Cow;
use std::io::Write;

use chrono::Duration;
use serde::{Deserialize, Serialize};

use super::{Schedule, ScheduleInput, ShortfallRun};
use crate::csvio::write_rows;
use crate::domain::{BreakSlot, ShiftSlot};
use crate::error::Result;
use crate::time::{format_local, format_utc};
use crate::units::format_number;

/// One row of `shifts.csv`.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct ShiftRow {
    /// Template name.
    pub template: String,
    /// Skill group id.
    pub skill_group: String,
    /// Local date the shift belongs to.
    pub local_date: String,
    /// UTC start.
    pub start_utc: String,
    /// UTC end.
    pub end_utc: String,
    /// Local start with offset.
    pub start_local: String,
    /// Local end with offset.
    pub end_local: String,
    /// Agents on this shift with these breaks.
    pub agents: u32,
    /// Paid hours per agent.
    pub paid_hours: String,
    /// Cost of all agents of the row.
    pub cost: String,
    /// Break starts in UTC, `;`-separated, template order.
    pub break_starts_utc: String,
    /// Break starts in local time with offset.
    pub break_starts_local: String,
}

/// Rows of `shifts.csv` for a schedule.
pub fn shift_rows(input: &ScheduleInput<'_>, schedule: &Schedule) -> Vec<ShiftRow> {
    let horizon = input.horizon;
    let zone = horizon.zone();
    let origin = horizon.horizon_start();
    let step = Duration::minutes(i64::from(horizon.interval_minutes()));
    let mut groups: Vec<(usize, Vec<usize>, u32)> = Vec::new();
    for agent in &schedule.agents {
        match groups.last_mut() {
            Some((c, b, n)) if *c == agent.candidate && *b == agent.break_offsets => *n += 1,
            _ => groups.push((agent.candidate, agent.break_offsets.clone(), 1)),
        }
    }
    let mut keyed: Vec<(chrono::DateTime<chrono::Utc>, usize, Vec<usize>, ShiftRow)> = groups
        .into_iter()
        .map(|(c, breaks, agents)| {
            let candidate = &schedule.candidates[c];
            let template = &input.rules.templates[candidate.template];
            let starts: Vec<chrono::DateTime<chrono::Utc>> =
                breaks.iter().map(|&t| origin + step * t as i32).collect();
            let row = ShiftRow {
                template: template.name.clone(),
                skill_group: input.rules.skill_groups[template.skill_group].id.clone(),
                local_date: candidate.local_date.to_string(),
                start_utc: format_utc(candidate.start),
                end_utc: format_utc(candidate.end),
                start_local: format_local(candidate.start, zone),
                end_local: format_local(candidate.end, zone),
                agents,
                paid_hours: format_number(f64::from(template.paid_minutes) / 60.0, 4),
                cost: format_number(f64::from(agents) * template.cost_per_agent(), 2),
                break_starts_utc: starts
                    .iter()
                    .map(|&s| format_utc(s))
                    .collect::<Vec<_>>()
                    .join(";"),
                break_starts_local: starts
                    .iter()
                    .map(|&s| format_local(s, zone))
                    .collect::<Vec<_>>()
                    .join(";"),
            };
            (candidate.start, candidate.template, breaks, row)
        })
        .collect();
    keyed.sort_by(|a, b| (a.0, a.1, &a.2).cmp(&(b.0, b.1, &b.2)));
    keyed.into_iter().map(|(_, _, _, row)| row).collect()
}

/// Writes `shifts.csv` (the header even when there are no rows).
pub fn write_shifts_csv<W: Write>(writer: W, rows: &[ShiftRow]) -> Result<()> {
    // Borrowed rows, as `Cow`s: a `Default` type that the header is read from.
    write_rows(writer, "shifts.csv", rows.iter().map(Cow::Borrowed))
}

/// One row of the shift plan's `coverage.csv`.
/// Totals of one queue in `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct QueueSummary {
    /// Queue id.
    pub queue: String,
    /// Required agent-hours.
    pub required_agent_hours: f64,
    /// On-queue agent-hours.
    pub scheduled_agent_hours: f64,
    /// Understaffed agent-hours.
    pub understaffed_agent_hours: f64,
}

/// The shift plan's part of `summary.json`.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    /// Whether the plan wraps around.
    pub cyclic: bool,
    /// Requirement the plan covers, agent-hours: agents on shift and not on break, after
    /// shrinkage (the staffing's `scheduled_agents`).
    pub required_agent_hours: f64,
    /// Agents on shift, not on break, inside the horizon, agent-hours (surplus included).
    pub scheduled_agent_hours: f64,
    /// Paid hours of all shifts (whole shifts, even past the horizon end).
    pub paid_agent_hours: f64,
    /// Agent-hours on break inside the horizon.
    pub on_break_agent_hours: f64,
    /// Agent-hours beyond the requirement.
    pub surplus_agent_hours: f64,
    /// Requirement not covered, agent-hours.
    pub understaffed_agent_hours: f64,
    /// Scheduled agent-hours that serve a requirement ÷ scheduled agent-hours:
    /// `(scheduled − surplus) ÷ scheduled`, at most 1.
    pub efficiency: f64,
    /// Cost of the shifts (paid hours × rate + fixed costs).
    pub cost: f64,
    /// LP lower bound on the cost (see [`super::SolveReport::lower_bound_cost`]).
    pub lower_bound_cost: Option<f64>,
    /// (cost − lower_bound_cost) ÷ cost.
    pub gap: Option<f64>,
    /// Requested gap.
    pub gap_target: f64,
    /// `optimal`, `within_gap`, `time_limit` (an explicit time limit cut a phase; see
    /// `budget_left`) or `heuristic`.
    pub status: String,
    /// `microlp` or `highs` (the MIP backend).
    pub solver: String,
    /// `clarabel` or `highs` (the LP relaxation).
    pub lp_solver: String,
    /// `mip` or `rounding`.
    pub method: String,
    /// Which produced the schedule: `mip` or `rounding`.
    pub source: String,
    /// Cost of the rounding-and-repair schedule.
    pub rounding_cost: f64,
    /// Cost of the MIP schedule, when there was one.
    pub mip_cost: Option<f64>,
    /// Agent-shifts.
    pub agent_shifts: usize,
    /// Rows of shifts.csv.
    pub shift_rows: usize,
    /// Candidate shifts in the model.
    pub candidate_shifts: usize,
    /// Variables of the MIP.
    pub variables: usize,
    /// Constraints of the MIP.
    pub constraints: usize,
    /// Per queue.
    pub queues: Vec<QueueSummary>,
    /// Understaffed runs with the binding rule.
    pub shortfall: Vec<ShortfallRun>,
    /// Solver errors or crashes and what was kept instead (empty when none).
    pub solver_messages: Vec<String>,
    /// The explicit wall-clock cap of the solve (`--time-limit`), seconds; `null` without one
    /// (the default: every phase ends on its budget of work).
    pub time_limit_seconds: Option<f64>,
    /// Whether that cap cut a phase short: then the status is `time_limit` and the plan
    /// depends on the machine's speed and load.
    pub time_limit_bound: bool,
    /// The phases the cap cut: `phase`, `unit` of its budget, units `done` and its `budget`
    /// (empty when the cap did not bind).
    pub budget_left: Vec<super::BudgetLeft>,
    /// Wall time of the solve, seconds (varies run to run).
    pub solve_seconds: f64,
    /// Seconds in the LP relaxation.
    pub lp_seconds: f64,
    /// Seconds in rounding and repair.
    pub rounding_seconds: f64,
    /// Seconds in the MIP.
    pub mip_seconds: f64,
    /// With an understaffing cost or shift-start costs: the plan's cost terms and total (then
    /// `lower_bound_cost` and `gap` refer to the total); absent otherwise.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cost_terms: Option<super::cost_terms::CostTerms>,
}

/// The console line of a time limit that cut the solve: the limit and what each cut phase had
/// left of its budget of work; `None` when no cap bound.
pub fn time_limit_note(limit_seconds: Option<f64>, cuts: &[super::BudgetLeft]) -> Option<String> {
    if cuts.is_empty() {
        return None;
    }
    let limit = limit_seconds.map_or_else(String::new, |s| format!(" ({s} s)"));
    let phases: Vec<String> = cuts.iter().map(ToString::to_string).collect();
    Some(format!(
        "the time limit{limit} cut the solve, so the plan depends on the machine's speed: {}",
        phases.join("; ")
    ))
}

fn round(value: f64, decimals: i32) -> f64 {
    let factor = 10f64.powi(decimals);
    let rounded = (value * factor).round() / factor;
    if rounded == 0.0 { 0.0 } else { rounded }
}

/// The summary of a schedule.
pub fn summary(input: &ScheduleInput<'_>, schedule: &Schedule, rows: usize) -> Summary {
    let hours = input.interval_hours();
    let coverage = &schedule.coverage;
    let sum = |m: &Vec<Vec<f64>>| m.iter().flatten().sum::<f64>() * hours;
    let required: f64 = input
        .required
        .iter()
        .flatten()
        .map(|&r| f64::from(r))
        .sum::<f64>()
        * hours;
    let scheduled = sum(&coverage.scheduled);
    let paid: f64 = schedule
        .agents
        .iter()
        .map(|a| {
            f64::from(input.rules.templates[schedule.candidates[a.candidate].template].paid_minutes)
                / 60.0
        })
        .sum();
    let report = &schedule.report;
    let queues = input
        .queues
        .iter()
        .enumerate()
        .map(|(q, id)| QueueSummary {
            queue: id.clone(),
            required_agent_hours: round(
                input.required[q].iter().map(|&r| f64::from(r)).sum::<f64>() * hours,
                3,
            ),
            scheduled_agent_hours: round(coverage.scheduled[q].iter().sum::<f64>() * hours, 3),
            understaffed_agent_hours: round(coverage.shortfall[q].iter().sum::<f64>() * hours, 3),
        })
        .collect();
    let surplus = sum(&coverage.surplus);
    Summary {
        cyclic: input.cyclic,
        required_agent_hours: round(required, 3),
        scheduled_agent_hours: round(scheduled, 3),
        paid_agent_hours: round(paid, 3),
        on_break_agent_hours: round(sum(&coverage.on_break), 3),
        surplus_agent_hours: round(surplus, 3),
        understaffed_agent_hours: round(sum(&coverage.shortfall), 3),
        efficiency: if scheduled > 0.0 {
            round(((scheduled - surplus) / scheduled).clamp(0.0, 1.0), 6)
        } else {
            0.0
        },
        cost: round(report.cost, 4),
        lower_bound_cost: report.lower_bound_cost.map(|b| round(b, 4)),
        gap: report.gap.map(|g| round(g, 8)),
        gap_target: report.gap_target,
        status: report.status.as_str().to_string(),
        solver: report.solver.clone(),
        lp_solver: report.lp_solver.clone(),
        method: report.method.clone(),
        source: report.source.clone(),
        rounding_cost: round(report.rounding_cost, 4),
        mip_cost: report.mip_cost.map(|c| round(c, 4)),
        agent_shifts: schedule.agents.len(),
        shift_rows: rows,
        candidate_shifts: report.candidate_shifts,
        variables: report.variables,
        constraints: report.constraints,
        queues,
        shortfall: schedule.shortfall.clone(),
        solver_messages: report.solver_messages.clone(),
        time_limit_seconds: report.time_limit_seconds,
        time_limit_bound: report.time_limit_bound,
        budget_left: report.budget_left.clone(),
        solve_seconds: round(report.solve_seconds, 3),
        lp_seconds: round(report.lp_seconds, 3),
        rounding_seconds: round(report.rounding_seconds, 3),
        mip_seconds: round(report.mip_seconds, 3),
        cost_terms: report
            .cost_terms
            .as_ref()
            .map(|t| super::cost_terms::CostTerms {
                understaffed_agent_hours: round(t.understaffed_agent_hours, 3),
                understaffing_cost: round(t.understaffing_cost, 4),
                shift_starts: t.shift_starts,
                shift_start_cost: round(t.shift_start_cost, 4),
                total_cost: round(t.total_cost, 4),
            }),
    }
}

/// The schedule as one slot per agent, for the roster: `{template}@{start UTC}#{k}`.
pub fn shift_slots(input: &ScheduleInput<'_>, schedule: &Schedule) -> Vec<ShiftSlot> {
    let origin = input.horizon.horizon_start();
    let step = Duration::minutes(i64::from(input.horizon.interval_minutes()));
    let mut slots: Vec<ShiftSlot> = Vec::with_capacity(schedule.agents.len());
    let mut counter: std::collections::BTreeMap<String, usize> = Default::default();
    for agent in &schedule.agents {
        let candidate = &schedule.candidates[agent.candidate];
        let template = &input.rules.templates[candidate.template];
        let key = format!("{}@{}", template.name, format_utc(candidate.start));
        let k = counter.entry(key.clone()).or_insert(0);
        *k += 1;
        let breaks = template
            .breaks
            .iter()
            .zip(&agent.break_offsets)
            .map(|(rule, &t)| {
                let start = origin + step * t as i32;
                BreakSlot {
                    start,
                    end: start + Duration::minutes(i64::from(rule.duration_minutes)),
                    paid: rule.paid,
                }
            })
            .collect();
        slots.push(ShiftSlot {
            slot_id: format!("{key}#{k}"),
            template: template.name.clone(),
            skill_group: input.rules.skill_groups[template.skill_group].id.clone(),
            start: candidate.start,
            end: candidate.end,
            local_date: candidate.local_date,
            breaks,
            paid_seconds: f64::from(template.paid_minutes) * 60.0,
            cost: template.cost_per_agent(),
        });
    }
    slots
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_plan_without_shifts_writes_the_header() {
        let mut bytes = Vec::new();
        write_shifts_csv(&mut bytes, &[]).unwrap();
        assert_eq!(
            String::from_utf8(bytes).unwrap(),
            "template,skill_group,local_date,start_utc,end_utc,start_local,end_local,agents,\
             paid_hours,cost,break_starts_utc,break_starts_local\n"
        );
    }
}
