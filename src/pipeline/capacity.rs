//! When the workforce truly cannot cover: which queue is short on which day, by how many
//! agent-hours, the resource that binds there in words, and who to hire to close it.
//!
//! A day is short when the roster's agents, allocated to the requirement as the scheduler
//! allocates them, leave part of it uncovered. The binding resource is the workforce limit the
//! plan has used up among those that could give that queue more on that day (the fewest agents
//! first): everyone who could work that day is working, or they are at their weekly days or
//! hours. Where no such limit binds, the roster's own rules (rest, consecutive days) or the
//! plan's (a template's `max_agents`, opening hours) are named instead.

use std::collections::BTreeMap;

use chrono::Datelike;
use serde::Serialize;

use super::{PlanCoverage, PlanResult};
use crate::domain::supply::{SupplyMeasure, SupplyResource};
use crate::scenario::Scenario;

/// Agent-hours below which a day is not reported short (float noise of quarter shares).
const MIN_REPORTED_HOURS: f64 = 0.05;

/// One queue short on one local day, and why.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CapacityShortfall {
    /// Queue id.
    pub queue: String,
    /// Local date (the plan's zone).
    pub local_date: String,
    /// Requirement left uncovered that day, agent-hours (on shift and not on break).
    pub missing_agent_hours: f64,
    /// The resource that binds, in words.
    pub binding: String,
}

/// Agents to hire to close the shortfall: how many, with which skill group, availability and
/// contract (a row to add to the agents file).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct HiringHint {
    /// Skill group they need.
    pub skill_group: String,
    /// How many.
    pub agents: u32,
    /// Availability Monday to Friday (`HH:MM-HH:MM` or `off`).
    pub weekdays: String,
    /// Availability Saturday and Sunday.
    pub weekend: String,
    /// Contract: paid hours per week at most.
    pub max_weekly_hours: f64,
    /// Contract: working days per week at most.
    pub max_days_per_week: u32,
    /// The short days it closes, `queue date`.
    pub closes: Vec<String>,
}

impl CapacityShortfall {
    /// `chat 2026-11-29: 22.25 agent-hours short; <binding>` (console and report).
    pub fn describe(&self) -> String {
        format!(
            "{} {}: {} agent-hours short; {}",
            self.queue,
            self.local_date,
            crate::units::format_number(self.missing_agent_hours, 2),
            self.binding
        )
    }
}

impl HiringHint {
    /// `3 agent(s) with skill group chat, weekdays ..., weekend ..., up to 40 h and 5 days a
    /// week (closes ...)` (console and report).
    pub fn describe(&self) -> String {
        format!(
            "{} agent(s) with skill group {}, weekdays {}, weekend {}, up to {} h and {} days a \
             week (closes {})",
            self.agents,
            self.skill_group,
            self.weekdays,
            self.weekend,
            crate::units::format_number(self.max_weekly_hours, 0),
            self.max_days_per_week,
            self.closes.join(", ")
        )
    }
}

/// The days short and the hiring hint of a planned and rostered `plan`, given the roster's
/// coverage of the requirement.
pub fn capacity_shortfall(
    scenario: &Scenario,
    plan: &PlanResult,
    coverage: &PlanCoverage,
) -> (Vec<CapacityShortfall>, Vec<HiringHint>) {
    let horizon = &scenario.horizon;
    let hours = horizon.interval_seconds() / 3600.0;
    let rules = &scenario.shifts;
    let mut short = Vec::new();
    for q in 0..scenario.queues.len() {
        for d in 0..horizon.days() as usize {
            let missing: f64 = horizon
                .day_range(d)
                .map(|i| coverage.coverage.shortfall[q][i])
                .sum::<f64>()
                * hours;
            if missing >= MIN_REPORTED_HOURS {
                short.push((q, d, missing));
            }
        }
    }
    if short.is_empty() {
        return (Vec::new(), Vec::new());
    }
    // What the plan uses of each workforce limit.
    let planned = plan.roster.as_ref();
    let used: Vec<f64> = planned.map_or_else(Vec::new, |p| {
        let on = p.agents_per_option();
        p.workforce.limits.iter().map(|l| l.total(&on)).collect()
    });
    let options = planned.map(|_| super::plan::shift_options(scenario));
    let mut entries = Vec::new();
    // Per skill group to hire for, per short day: missing hours, and whether everyone who could
    // work that day is working (then the day needs more people, not only more hours).
    let mut per_group: BTreeMap<usize, BTreeMap<usize, (f64, bool)>> = BTreeMap::new();
    for (q, d, missing) in short {
        let date = horizon.date_of_day(d);
        let serving: Vec<usize> = rules
            .skill_groups
            .iter()
            .enumerate()
            .filter(|(_, g)| g.queues.contains(&q))
            .map(|(g, _)| g)
            .collect();
        let mut binding = None;
        if let (Some(p), Some(options)) = (planned, &options) {
            let relevant = |resource: &SupplyResource| match *resource {
                SupplyResource::Day { plan_day } => plan_day == d,
                SupplyResource::WeekDays { week } | SupplyResource::WeekHours { week } => {
                    week == d / 7
                }
            };
            let tight = p
                .workforce
                .limits
                .iter()
                .enumerate()
                .filter(|(_, l)| relevant(&l.resource))
                .filter(|(_, l)| {
                    l.members.iter().any(|&(k, _)| {
                        options[k].plan_day == d && serving.contains(&options[k].skill_group)
                    })
                })
                .filter(|(l, limit)| {
                    let slack = match limit.measure {
                        SupplyMeasure::Shifts => 0.5,
                        SupplyMeasure::PaidHours => 8.0,
                    };
                    used[*l] >= limit.bound - slack
                })
                .min_by_key(|(l, limit)| (limit.agents, *l));
            binding = tight.map(|(_, limit)| match limit.resource {
                SupplyResource::Day { .. } => format!(
                    "all {} who can work on {} are working that day",
                    limit.who,
                    date.format("%a %d %b")
                ),
                SupplyResource::WeekDays { .. } => format!(
                    "the {} are at their days per week ({} shifts)",
                    limit.who, limit.bound
                ),
                SupplyResource::WeekHours { .. } => format!(
                    "the {} are at their weekly hours ({} h)",
                    limit.who,
                    crate::units::format_number(limit.bound, 1)
                ),
            });
            let day_bound = tight
                .is_some_and(|(_, limit)| matches!(limit.resource, SupplyResource::Day { .. }));
            if binding.is_some() {
                // Hire for the most dedicated group serving the queue.
                if let Some(&g) = serving
                    .iter()
                    .min_by_key(|&&g| (rules.skill_groups[g].queues.len(), g))
                {
                    let entry = per_group.entry(g).or_default().entry(d).or_default();
                    entry.0 += missing;
                    entry.1 |= day_bound;
                }
            } else if p.outcome.shortfall.iter().any(|s| {
                s.local_date == date
                    && serving
                        .iter()
                        .any(|&g| rules.skill_groups[g].id == s.skill_group)
            }) {
                binding = Some(
                    "the agents who could work it are held by rest, consecutive-day or \
                     one-shift-a-day limits (shortfall.csv lists them)"
                        .to_string(),
                );
            }
        }
        let binding = binding.unwrap_or_else(|| {
            plan.schedule
                .shortfall
                .iter()
                .find(|run| {
                    run.queue == scenario.queues[q].id && run.from.starts_with(&date.to_string())
                })
                .map_or_else(
                    || "the plan leaves it short (see the shortfall explanations)".to_string(),
                    |run| run.explanation.clone(),
                )
        });
        entries.push(CapacityShortfall {
            queue: scenario.queues[q].id.clone(),
            local_date: date.to_string(),
            missing_agent_hours: crate::evaluate::round(missing, 2),
            binding,
        });
    }
    (entries, hiring_hint(scenario, planned, &per_group))
}

/// Full-time hires for the short days of each skill group: per short day, the missing hours
/// over one shift's on-duty hours, and where everyone available that day is already working,
/// at least the shifts the plan would use if anyone could be hired (the plan without the
/// workforce) beyond those it has; enough for the worst day and for the week's hours;
/// available on the kinds of day (weekday, weekend) that are short.
fn hiring_hint(
    scenario: &Scenario,
    planned: Option<&super::PlannedRoster>,
    per_group: &BTreeMap<usize, BTreeMap<usize, (f64, bool)>>,
) -> Vec<HiringHint> {
    let horizon = &scenario.horizon;
    let rules = &scenario.shifts;
    let mut hints = Vec::new();
    for (&g, days) in per_group {
        // On-duty and paid hours one shift of the group gives at most.
        let (shift_hours, paid_hours) = rules
            .templates
            .iter()
            .filter(|t| t.skill_group == g)
            .map(|t| {
                let breaks: u32 = t.breaks.iter().map(|b| b.duration_minutes).sum();
                (
                    f64::from(t.length_minutes.saturating_sub(breaks)) / 60.0,
                    f64::from(t.paid_minutes) / 60.0,
                )
            })
            .fold((0.0f64, 0.0f64), |a, b| (a.0.max(b.0), a.1.max(b.1)));
        let shift_hours = shift_hours.max(1.0);
        let (max_weekly_hours, max_days) = (40.0f64, 5u32);
        let serving: Vec<usize> = rules
            .skill_groups
            .iter()
            .enumerate()
            .filter(|(_, h)| {
                h.queues
                    .iter()
                    .any(|q| rules.skill_groups[g].queues.contains(q))
            })
            .map(|(h, _)| h)
            .collect();
        let mut per_day = Vec::new();
        for (&d, &(missing, day_bound)) in days {
            let by_hours = (missing / shift_hours).ceil();
            let by_plan = planned.filter(|_| day_bound).map_or(0.0, |p| {
                let count = |map: &dyn Fn(usize) -> u32| -> f64 {
                    serving.iter().map(|&h| f64::from(map(h))).sum()
                };
                let wanted = count(&|h| p.anonymous_shifts.get(&(h, d)).copied().unwrap_or(0));
                let have = count(&|h| {
                    p.schedule
                        .agents
                        .iter()
                        .filter(|a| {
                            let c = &p.schedule.candidates[a.candidate];
                            c.day == d && rules.templates[c.template].skill_group == h
                        })
                        .count() as u32
                });
                (wanted - have).max(0.0)
            });
            per_day.push(by_hours.max(by_plan));
        }
        let worst_day = per_day.iter().copied().fold(0.0f64, f64::max);
        let week_hours: f64 = per_day.iter().sum::<f64>() * paid_hours.max(1.0);
        let by_week = (week_hours / max_weekly_hours).ceil();
        let agents = worst_day.max(by_week) as u32;
        let weekday = |d: usize| horizon.date_of_day(d).weekday().number_from_monday();
        let weekend_short = days.keys().any(|&d| weekday(d) >= 6);
        let weekday_short = days.keys().any(|&d| weekday(d) < 6);
        let closes =
            days.keys()
                .flat_map(|&d| {
                    rules.skill_groups[g].queues.iter().map(move |&q| {
                        format!("{} {}", scenario.queues[q].id, horizon.date_of_day(d))
                    })
                })
                .collect();
        hints.push(HiringHint {
            skill_group: rules.skill_groups[g].id.clone(),
            agents: agents.max(1),
            weekdays: if weekday_short { "00:00-24:00" } else { "off" }.to_string(),
            weekend: if weekend_short { "00:00-24:00" } else { "off" }.to_string(),
            max_weekly_hours,
            max_days_per_week: max_days,
            closes,
        });
    }
    hints
}
