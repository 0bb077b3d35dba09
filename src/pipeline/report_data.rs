//! What `report.html` shows, from whatever a view computed: the summary figures, the queues'
//! required and scheduled agents and service level, the roster as a Gantt chart, the what-if
//! table, the forecast accuracy and the notes.

use std::path::Path;

use serde_json::Value;

use super::RunResult;
use crate::error::{Error, Result};
use crate::report::{GanttRow, GanttShift, QueueSeries, ReportData, Table};
use crate::scenario::Scenario;
use crate::units::format_number;
use crate::whatif::write_whatif_csv;

/// What the report shows, from a run.
pub fn report_data(scenario: &Scenario, result: &RunResult) -> Result<ReportData> {
    let horizon = &scenario.horizon;
    let zone = horizon.zone();
    let origin = horizon.horizon_start();
    let minutes = |t: chrono::DateTime<chrono::Utc>| (t - origin).num_seconds() as f64 / 60.0;
    let days = (0..horizon.days() as usize)
        .map(|d| {
            let range = horizon.day_range(d);
            let start = minutes(horizon.start(range.start));
            let end = minutes(horizon.end_of(range.end.saturating_sub(1).max(range.start)));
            (
                horizon.date_of_day(d).format("%a %d %b").to_string(),
                range.start,
                start,
                end - start,
            )
        })
        .collect();
    let interval_labels = (0..horizon.len())
        .map(|i| horizon.local_start(i).format("%a %H:%M").to_string())
        .collect();
    let queues = match &result.evaluation {
        Some(evaluation) => evaluation
            .queues
            .iter()
            .map(|q| QueueSeries {
                queue: q.queue.clone(),
                required: q
                    .intervals
                    .iter()
                    .map(|r| f64::from(r.required_agents))
                    .collect(),
                scheduled: q.intervals.iter().map(|r| r.on_queue_agents).collect(),
                service_level: q.intervals.iter().map(|r| r.service_level).collect(),
                target: q.target,
                floor: scenario.queue(&q.queue).and_then(|x| x.interval_floor),
            })
            .collect(),
        None => result
            .requirements
            .iter()
            .map(|q| QueueSeries {
                queue: q.queue.clone(),
                required: q
                    .intervals
                    .iter()
                    .map(|r| f64::from(r.required_agents))
                    .collect(),
                scheduled: Vec::new(),
                service_level: q.intervals.iter().map(|r| r.service_level).collect(),
                target: scenario
                    .queue(&q.queue)
                    .and_then(|x| x.service.map(|s| s.fraction)),
                floor: scenario.queue(&q.queue).and_then(|x| x.interval_floor),
            })
            .collect(),
    };
    let gantt = match result.plan.as_ref().and_then(|p| p.roster.as_ref()) {
        Some(planned) => {
            let mut rows: Vec<GanttRow> = Vec::new();
            for agent in &scenario.workforce.agents {
                let shifts: Vec<GanttShift> = planned
                    .outcome
                    .roster
                    .assignments
                    .iter()
                    .filter(|a| a.agent_id == agent.id)
                    .map(|a| {
                        let local_start = a.slot.start.with_timezone(&zone);
                        let local_end = a.slot.end.with_timezone(&zone);
                        GanttShift {
                            start: minutes(a.slot.start),
                            end: minutes(a.slot.end),
                            breaks: a
                                .slot
                                .breaks
                                .iter()
                                .map(|b| (minutes(b.start), minutes(b.end)))
                                .collect(),
                            label: format!(
                                "{} {}: {} {}-{} ({})",
                                agent.name,
                                local_start.format("%a %d"),
                                a.slot.template,
                                local_start.format("%H:%M"),
                                local_end.format("%H:%M"),
                                a.slot.skill_group
                            ),
                        }
                    })
                    .collect();
                rows.push(GanttRow {
                    agent_id: agent.id.clone(),
                    agent_name: agent.name.clone(),
                    shifts,
                });
            }
            rows
        }
        None => Vec::new(),
    };
    let (summary, _) = super::summary::summaries(scenario, result)?;
    let mut summary_rows = Vec::new();
    let figure = |key: &str| summary.get(key).cloned().unwrap_or(Value::Null);
    let push = |rows: &mut Vec<Vec<String>>, label: &str, value: String| {
        rows.push(vec![label.to_string(), value]);
    };
    let number = |v: &Value, decimals: usize| {
        v.as_f64()
            .map_or_else(|| "-".to_string(), |x| format_number(x, decimals))
    };
    push(
        &mut summary_rows,
        "required agent-hours on the queues",
        number(&figure("required_on_queue_agent_hours"), 1),
    );
    if result.plan.is_some() {
        push(&mut summary_rows, "cost", number(&figure("cost"), 2));
        if let Ok(terms) =
            serde_json::from_value::<crate::schedule::cost_terms::CostTerms>(figure("cost_terms"))
        {
            push(
                &mut summary_rows,
                "total cost (what the plan minimises)",
                format!(
                    "{} = {}",
                    format_number(terms.total_cost, 2),
                    terms.describe()
                ),
            );
        }
        push(
            &mut summary_rows,
            "LP lower bound",
            number(&figure("lower_bound_cost"), 2),
        );
        push(
            &mut summary_rows,
            "gap to the bound",
            figure("gap")
                .as_f64()
                .map_or_else(|| "-".into(), |g| format!("{:.3} %", g * 100.0)),
        );
        push(
            &mut summary_rows,
            "paid agent-hours",
            number(&figure("paid_agent_hours"), 1),
        );
        push(
            &mut summary_rows,
            "schedule efficiency (required ÷ scheduled)",
            figure("efficiency")
                .as_f64()
                .map_or_else(|| "-".into(), |e| format!("{:.1} %", e * 100.0)),
        );
        push(
            &mut summary_rows,
            "plan understaffed agent-hours",
            number(&figure("understaffed_agent_hours"), 2),
        );
    }
    if result.plan.as_ref().is_some_and(|p| p.roster.is_some()) {
        push(
            &mut summary_rows,
            "roster: shifts without an agent (agent-hours)",
            number(&figure("roster_shortfall_agent_hours"), 2),
        );
    }
    if let Some(evaluation) = &result.evaluation {
        for queue in &evaluation.queues {
            let target = queue
                .target
                .map_or_else(String::new, |t| format!(" (target {:.0} %)", t * 100.0));
            push(
                &mut summary_rows,
                &format!("weekly service level, {}", queue.queue),
                queue
                    .week
                    .map_or_else(|| "-".into(), |v| format!("{:.1} %{target}", v * 100.0)),
            );
        }
    }
    if let Some(evaluation) = &result.evaluation {
        for goal in crate::evaluate::goal_outcomes(scenario, evaluation) {
            push(&mut summary_rows, "service goal", goal.describe());
        }
    }
    for short in &result.capacity_shortfall {
        push(&mut summary_rows, "capacity shortfall", short.describe());
    }
    for hint in &result.hiring_hint {
        push(&mut summary_rows, "hiring hint", hint.describe());
    }
    let mut notes = Vec::new();
    if let Some(plan) = &result.plan {
        notes.extend(plan.schedule.report.solver_messages.iter().cloned());
        for run in &plan.schedule.shortfall {
            notes.push(run.explanation.clone());
        }
        if let Some(planned) = &plan.roster
            && planned.tightening_rounds > 0
        {
            notes.push(format!(
                "The roster could not staff the first plan within the agents' supply; the plan \
                 was made again {} time(s) with the day limits lowered to what the agents \
                 staffed.",
                planned.tightening_rounds
            ));
        }
    }
    for forecast in &result.volumes.forecasts {
        notes.extend(forecast.notes.iter().cloned());
    }
    let whatif = (!result.whatif.is_empty())
        .then(|| csv_table(|w| write_whatif_csv(w, scenario, &result.whatif)))
        .transpose()?;
    let forecast_accuracy = (!result.volumes.forecasts.is_empty()).then(|| {
        let mut table = Table {
            header: ["queue", "method", "chosen", "WAPE", "MAPE", "bias"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        for forecast in &result.volumes.forecasts {
            if let Some(backtest) = &forecast.backtest {
                for score in &backtest.scores {
                    table.rows.push(vec![
                        forecast.queue.clone(),
                        score.method.name().to_string(),
                        if score.method == forecast.method {
                            "✓".into()
                        } else {
                            String::new()
                        },
                        format!("{:.1} %", score.accuracy.wape * 100.0),
                        format!("{:.1} %", score.accuracy.mape * 100.0),
                        format!("{:+.1} %", score.accuracy.bias * 100.0),
                    ]);
                }
            }
        }
        table
    });
    Ok(ReportData {
        title: scenario.plan.name.clone(),
        zone: zone.name().to_string(),
        interval_labels,
        interval_minutes: horizon.interval_minutes(),
        days,
        summary: Table {
            header: vec!["figure".into(), "value".into()],
            rows: summary_rows,
        },
        queues,
        gantt,
        whatif,
        forecast_accuracy,
        notes,
    })
}

/// A CSV writer's output as a table.
fn csv_table(fill: impl FnOnce(&mut Vec<u8>) -> Result<()>) -> Result<Table> {
    let mut bytes = Vec::new();
    fill(&mut bytes)?;
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let io = |e: csv::Error| Error::io(Path::new("table"), std::io::Error::other(e));
    let header = reader
        .headers()
        .map_err(io)?
        .iter()
        .map(String::from)
        .collect();
    let rows = reader
        .records()
        .map(|r| r.map(|r| r.iter().map(String::from).collect()))
        .collect::<std::result::Result<_, _>>()
        .map_err(io)?;
    Ok(Table { header, rows })
}
