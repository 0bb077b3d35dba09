//! Explaining understaffing in domain words: which intervals, which queue, how many agents
//! short, and the rule that binds.

use chrono::Datelike;
use serde::Serialize;

use super::instance::{Instance, SupplyUse};
use super::solve::SolveStatus;
use super::{AgentShift, Coverage};
use crate::time::{format_local, format_utc};
use crate::units::format_duration;

/// A run of consecutive understaffed intervals of one queue with the rule that binds.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShortfallRun {
    /// Queue id.
    pub queue: String,
    /// Local start of the first interval, with offset.
    pub from: String,
    /// Local end of the last interval, with offset.
    pub to: String,
    /// UTC start of the first interval.
    pub from_utc: String,
    /// Number of intervals.
    pub intervals: usize,
    /// Largest shortfall in the run, agents.
    pub missing_agents: f64,
    /// Shortfall summed over the run, agent-hours.
    pub missing_agent_hours: f64,
    /// `no_shift_on_duty`, `workforce`, `template_max_agents`, `max_headcount_per_day`,
    /// `understaffing_cost`, `time_limit` or `breaks_and_shares`.
    pub rule: String,
    /// The binding rule in words, with what to change.
    pub explanation: String,
}

/// Runs of understaffed intervals of `agents`, each with its binding rule.
pub fn explain_shortfall(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    coverage: &Coverage,
    status: SolveStatus,
) -> Vec<ShortfallRun> {
    let input = inst.input;
    let horizon = input.horizon;
    let zone = horizon.zone();
    let hours = input.interval_hours();
    let rules = input.rules;
    let days = horizon.days() as usize;
    let mut per_template_day = vec![vec![0u32; days]; rules.templates.len()];
    let mut per_day = vec![0u32; days];
    for agent in agents {
        let c = &inst.candidates[agent.candidate];
        per_template_day[c.template][c.day] += 1;
        per_day[c.day] += 1;
    }
    // What the plan uses of each of the workforce's supply limits.
    let mut supply = SupplyUse::new(inst);
    for agent in agents {
        supply.count(inst, agent.candidate, 1.0);
    }
    let mut runs = Vec::new();
    for (q, queue) in input.queues.iter().enumerate() {
        let mut i = 0;
        while i < inst.n {
            if coverage.shortfall[q][i] <= 1e-9 {
                i += 1;
                continue;
            }
            let coverable = inst.coverable[q][i];
            let first = i;
            while i < inst.n
                && coverage.shortfall[q][i] > 1e-9
                && inst.coverable[q][i] == coverable
                && horizon.day_of(i) == horizon.day_of(first)
            {
                i += 1;
            }
            let last = i - 1;
            let missing: Vec<f64> = (first..=last).map(|k| coverage.shortfall[q][k]).collect();
            let from = format_local(horizon.start(first), zone);
            let to = format_local(horizon.end_of(last), zone);
            let local = horizon.local_start(first);
            let when = format!(
                "{}-{} on {} {}",
                local.format("%H:%M"),
                horizon.end_of(last).with_timezone(&zone).format("%H:%M"),
                local.weekday(),
                local.date_naive()
            );
            let serving: Vec<usize> = rules
                .templates
                .iter()
                .enumerate()
                .filter(|(_, t)| inst.group_queues[t.skill_group].contains(&q))
                .map(|(k, _)| k)
                .collect();
            let (rule, explanation) = if !coverable {
                let templates: Vec<String> = serving
                    .iter()
                    .map(|&k| {
                        let t = &rules.templates[k];
                        format!(
                            "{} starts {} ({}, lasts {})",
                            t.name,
                            t.describe_windows(),
                            t.describe_days(),
                            format_duration(f64::from(t.length_minutes) * 60.0)
                        )
                    })
                    .collect();
                let listing = if templates.is_empty() {
                    "no [[shift]] template belongs to a skill group serving it".to_string()
                } else {
                    templates.join("; ")
                };
                (
                    "no_shift_on_duty",
                    format!(
                        "queue {queue} is open {when} but no shift can be on duty then: \
                         {listing}; widen a start_window, allow the day, or add a template \
                         that covers these hours"
                    ),
                )
            } else {
                // Limits reached on the days of shifts that could cover the run.
                let mut reached_template = Vec::new();
                let mut reached_day = Vec::new();
                // Whether every shift that could cover the run needs an agent the workforce
                // has no more of (then a template's limit is not what binds).
                let mut workforce_bound = !inst.supply_limits.is_empty();
                for (c, shares) in inst.presence.iter().enumerate() {
                    let candidate = &inst.candidates[c];
                    if !serving.contains(&candidate.template)
                        || !shares.iter().any(|&(k, _)| (first..=last).contains(&k))
                    {
                        continue;
                    }
                    workforce_bound &= !supply.allows(inst, c);
                    let template = &rules.templates[candidate.template];
                    if let Some(max) = template.max_agents
                        && per_template_day[candidate.template][candidate.day] >= max
                    {
                        let text = format!(
                            "{} has max_agents = {max} on {}",
                            template.name, candidate.local_date
                        );
                        if !reached_template.contains(&text) {
                            reached_template.push(text);
                        }
                    }
                    if let Some(max) = rules.max_headcount_per_day
                        && per_day[candidate.day] >= max
                    {
                        let text = format!("{} ({max} agents)", candidate.local_date);
                        if !reached_day.contains(&text) {
                            reached_day.push(text);
                        }
                    }
                }
                if workforce_bound {
                    (
                        "workforce",
                        format!(
                            "queue {queue} is short {when}: every shift that could cover it \
                             needs an agent the workforce does not have (the agents who can work \
                             it are all planned that day or at their weekly days or hours; \
                             capacity_shortfall names who, hiring_hint whom to add)"
                        ),
                    )
                } else if !reached_template.is_empty() {
                    (
                        "template_max_agents",
                        format!(
                            "queue {queue} is short {when}: every template that could cover it \
                             is at its limit: {}; raise max_agents",
                            reached_template.join("; ")
                        ),
                    )
                } else if !reached_day.is_empty() {
                    (
                        "max_headcount_per_day",
                        format!(
                            "queue {queue} is short {when}: [limits] max_headcount_per_day is \
                             reached on {}; raise it",
                            reached_day.join(", ")
                        ),
                    )
                } else if let Some(price) = input.understaffing_cost.get(q).copied().flatten() {
                    (
                        "understaffing_cost",
                        format!(
                            "queue {queue} is short {when}: covering it costs more than its \
                             understaffing_cost of {} per agent-hour (soft coverage); raise \
                             understaffing_cost to cover more, or remove it to cover all",
                            crate::units::format_value(price)
                        ),
                    )
                } else if matches!(status, SolveStatus::TimeLimit | SolveStatus::Heuristic) {
                    (
                        "time_limit",
                        format!(
                            "queue {queue} is short {when}: the search stopped before covering \
                             it; raise --time-limit"
                        ),
                    )
                } else {
                    (
                        "breaks_and_shares",
                        format!(
                            "queue {queue} is short {when}: the shifts that reach these intervals \
                             cover them only in part (a shift end or a break inside the \
                             interval); align shift lengths and breaks with the interval"
                        ),
                    )
                }
            };
            runs.push(ShortfallRun {
                queue: queue.clone(),
                from,
                to,
                from_utc: format_utc(horizon.start(first)),
                intervals: last - first + 1,
                missing_agents: missing.iter().copied().fold(0.0, f64::max),
                missing_agent_hours: missing.iter().sum::<f64>() * hours,
                rule: rule.to_string(),
                explanation,
            });
        }
    }
    runs
}
