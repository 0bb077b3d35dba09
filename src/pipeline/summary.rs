//! `summary.json` and `timings.json` of every view, from one builder: each figure has one
//! name and one definition wherever it appears (the README lists them).
//!
//! - `required_on_queue_agent_hours`: agents the queues need (Erlang, before shrinkage).
//! - `required_agent_hours`: agents on shift and not on break the plan must cover (after
//!   shrinkage, zero while a queue is closed) — what the scheduler covers.
//! - `scheduled_agent_hours`: agents of the plan on shift and not on break, inside the horizon.
//! - `efficiency`: scheduled agent-hours that serve a requirement ÷ scheduled agent-hours
//!   (`(scheduled − surplus) ÷ scheduled`, never above 1).
//! - `understaffed_agent_hours`: requirement the plan leaves uncovered;
//!   `evaluated_understaffed_agent_hours`: on-queue agents the evaluated roster lacks against
//!   the Erlang requirement (after shrinkage).
//! - `service_level`, `service_level_by_day`: the Erlang evaluation of the roster;
//!   `simulated_service_level`, `simulated_service_level_by_day`: the same roster simulated,
//!   with the confidence interval.

use std::path::Path;

use serde_json::{Map, Value, json};

use super::RunResult;
use crate::error::{Error, Result};
use crate::evaluate::{round, summary_json};
use crate::scenario::Scenario;
use crate::schedule::export;
use crate::simulate::{Estimate, SimulationReport};

/// Keys of the schedule summary that are wall-clock times (kept out of `summary.json` so two
/// runs give the same bytes; they go to `timings.json`).
const TIMING_KEYS: [&str; 4] = [
    "solve_seconds",
    "lp_seconds",
    "rounding_seconds",
    "mip_seconds",
];

fn to_value<T: serde::Serialize>(value: &T) -> Result<Value> {
    serde_json::to_value(value)
        .map_err(|e| Error::io(Path::new("summary.json"), std::io::Error::other(e)))
}

/// `summary.json` (deterministic) and `timings.json` of whatever `result` holds.
pub fn summaries(scenario: &Scenario, result: &RunResult) -> Result<(Value, Value)> {
    let mut summary = Map::new();
    let mut timings = Map::new();
    summary.insert("plan".into(), json!(scenario.plan.name));
    summary.insert("time_zone".into(), json!(scenario.plan.time_zone.name()));
    summary.insert("start".into(), json!(scenario.plan.start_date.to_string()));
    summary.insert("days".into(), json!(scenario.plan.days));
    summary.insert(
        "special_days".into(),
        to_value(&crate::scenario::special_days::applied_special_days(
            scenario,
        ))?,
    );
    let hours = scenario.horizon.interval_seconds() / 3600.0;
    if !result.requirements.is_empty() {
        let required_hours: f64 = result
            .requirements
            .iter()
            .flat_map(|q| &q.intervals)
            .map(|r| f64::from(r.required_agents) * hours)
            .sum();
        summary.insert(
            "required_on_queue_agent_hours".into(),
            json!(round(required_hours, 3)),
        );
    }
    if let Some(plan) = &result.plan {
        let input = plan.input(scenario);
        let rows = export::shift_rows(&input, &plan.schedule);
        let schedule_summary = export::summary(&input, &plan.schedule, rows.len());
        if let Value::Object(map) = to_value(&schedule_summary)? {
            for (key, value) in map {
                if TIMING_KEYS.contains(&key.as_str()) {
                    timings.insert(key, value);
                } else {
                    summary.insert(key, value);
                }
            }
        }
        if let Some(check) = &result.schedule_check {
            summary.insert("schedule_violations".into(), json!(check.violations.len()));
        }
        if let Some(planned) = &plan.roster {
            let outcome = &planned.outcome;
            let roster = &outcome.roster;
            let working: std::collections::BTreeSet<&str> = roster
                .assignments
                .iter()
                .map(|a| a.agent_id.as_str())
                .collect();
            summary.insert(
                "roster_shortfall_agent_hours".into(),
                json!(round(outcome.shortfall_agent_hours(), 3)),
            );
            summary.insert(
                "roster_planned_agent_hours".into(),
                json!(round(crate::domain::on_duty_agent_hours(&plan.slots), 3)),
            );
            summary.insert(
                "roster_agents".into(),
                json!(scenario.workforce.agents.len()),
            );
            summary.insert("roster_agents_working".into(), json!(working.len()));
            summary.insert("roster_assignments".into(), json!(roster.assignments.len()));
            summary.insert("roster_unfilled_slots".into(), json!(roster.unfilled.len()));
            if let Some(check) = &result.check {
                summary.insert(
                    "roster_weeks_under_contract_min".into(),
                    json!(check.hours.iter().filter(|h| h.flag() == "under").count()),
                );
            }
            summary.insert(
                "roster_tightening_rounds".into(),
                json!(planned.tightening_rounds),
            );
            summary.insert(
                "anonymous_lower_bound_cost".into(),
                json!(planned.anonymous_lower_bound_cost.map(|b| round(b, 4))),
            );
        }
    }
    if let (None, Some(coverage)) = (&result.plan, &result.coverage) {
        // A roster read back stands as the plan: the same figure, from the same coverage.
        summary.insert(
            "understaffed_agent_hours".into(),
            json!(round(
                coverage.understaffed_agent_hours(&scenario.horizon),
                3
            )),
        );
    }
    if let Some(check) = &result.check {
        summary.insert("roster_violations".into(), json!(check.violations.len()));
    }
    if result.plan.is_some() {
        summary.insert(
            "capacity_shortfall".into(),
            to_value(&result.capacity_shortfall)?,
        );
        summary.insert("hiring_hint".into(), to_value(&result.hiring_hint)?);
    }
    if let Some(evaluation) = &result.evaluation {
        if let Value::Object(map) = summary_json(&scenario.horizon, evaluation) {
            for (key, value) in map {
                // The plan's understaffing keeps its name; the roster's evaluation is prefixed.
                let key = match key.as_str() {
                    "understaffed_agent_hours" | "understaffed_agent_hours_by_queue" => {
                        format!("evaluated_{key}")
                    }
                    _ => key,
                };
                summary.insert(key, value);
            }
        }
    }
    if let Some(evaluation) = &result.evaluation {
        let goals = crate::evaluate::goal_outcomes(scenario, evaluation);
        if !goals.is_empty() {
            summary.insert("service_goals".into(), to_value(&goals)?);
        }
    }
    if let Some(simulation) = &result.simulation {
        insert_simulation(&mut summary, scenario, simulation);
    }
    if !result.volumes.forecasts.is_empty() {
        let forecasts: Map<String, Value> = result
            .volumes
            .forecasts
            .iter()
            .map(|f| {
                let best = f.backtest.as_ref().and_then(|b| {
                    b.scores
                        .iter()
                        .find(|s| s.method == f.method)
                        .map(|s| s.accuracy.wape)
                });
                (
                    f.queue.clone(),
                    json!({
                        "method": f.method.name(),
                        "backtest_wape": best.map(|w| round(w, 6)),
                        "missing_days": f.report.missing_days.iter().map(|d| d.to_string()).collect::<Vec<_>>(),
                    }),
                )
            })
            .collect();
        summary.insert("forecast".into(), Value::Object(forecasts));
    }
    if !result.whatif.is_empty() {
        summary.insert(
            "whatif_variants".into(),
            json!(
                result
                    .whatif
                    .iter()
                    .map(|o| o.name.clone())
                    .collect::<Vec<_>>()
            ),
        );
        let variants: Map<String, Value> = result
            .whatif
            .iter()
            .map(|o| {
                (
                    o.name.clone(),
                    json!({
                        "description": o.description,
                        "summary": summary_json(&scenario.horizon, &o.evaluation),
                        "changes": o.changes,
                        "cost_delta": round(o.cost_delta, 2),
                    }),
                )
            })
            .collect();
        summary.insert("variants".into(), Value::Object(variants));
    }
    if let Some(report) = &result.monte_carlo {
        summary.insert("monte_carlo".into(), to_value(report)?);
    }
    for (stage, seconds) in &result.timings {
        timings.insert(
            format!("{}_seconds", stage.replace([' ', '-'], "_")),
            json!(round(*seconds, 3)),
        );
    }
    Ok((Value::Object(summary), Value::Object(timings)))
}

/// `simulated_service_level` (week) and `simulated_service_level_by_day` per queue, each
/// `{mean, low, high}` at the report's confidence level.
fn insert_simulation(
    summary: &mut Map<String, Value>,
    scenario: &Scenario,
    report: &SimulationReport,
) {
    let estimate = |e: &Option<Estimate>| match e {
        Some(e) if e.mean.is_finite() => json!({
            "mean": round(e.mean, 6),
            "low": if e.low().is_finite() { json!(round(e.low(), 6)) } else { Value::Null },
            "high": if e.high().is_finite() { json!(round(e.high(), 6)) } else { Value::Null },
        }),
        _ => Value::Null,
    };
    let mut week = Map::new();
    let mut by_day = Map::new();
    for queue in &report.queues {
        week.insert(queue.queue.clone(), estimate(&queue.week));
        let days: Map<String, Value> = queue
            .days
            .iter()
            .enumerate()
            .map(|(d, e)| (scenario.horizon.date_of_day(d).to_string(), estimate(e)))
            .collect();
        by_day.insert(queue.queue.clone(), Value::Object(days));
    }
    summary.insert(
        "simulation".into(),
        json!({
            "replications": report.replications,
            "seed": report.seed,
            "confidence": report.confidence,
        }),
    );
    summary.insert("simulated_service_level".into(), Value::Object(week));
    summary.insert(
        "simulated_service_level_by_day".into(),
        Value::Object(by_day),
    );
}
