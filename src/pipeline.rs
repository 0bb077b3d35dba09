//! The manager's main job end to end (`staffplan run`): forecast (where the scenario gives
//! history) → staffing → shift plan → roster (where the scenario names agents) → evaluation →
//! the scenario's `[[whatif]]` variants → every output file, staged and committed together.
//!
//! Each stage is skipped when the scenario does not have what it needs: a scenario without
//! `[[shift]]` templates stops after staffing; one without agents evaluates the shift plan
//! itself (one anonymous agent per shift).

use std::io::Write;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

use serde_json::{Map, Value, json};

use crate::error::{Error, Result};
use crate::evaluate::{
    EvaluateOptions, Evaluation, Evaluator, GroupStaffing, SkillGroups, shift_presence,
    summary_json, write_coverage_csv,
};
use crate::export::{RosterOutputs, stage_roster_outputs};
use crate::forecast::{QueueForecast, forecast_from_history};
use crate::output::OutputSet;
use crate::report::{GanttRow, GanttShift, QueueSeries, ReportData, Table, render_html};
use crate::roster::check::{CheckContext, CheckReport, check_shifts};
use crate::roster::plan::{PlannedRoster, plan_roster};
use crate::roster::{Assignment, Roster, RosterOutcome, ShiftSlot};
use crate::scenario::{Scenario, VolumeSource};
use crate::schedule::{self, Schedule, ScheduleInput, ScheduleOptions, export};
use crate::staffing::{self, QueueRequirements, format_number, open_intervals};
use crate::time::{format_local, format_utc};
use crate::volume::{QueueVolume, align_to_horizon, load_volume_file};
use crate::whatif::{ReoptimizeOptions, VariantOutcome, evaluate_variants, write_whatif_csv};

/// The stages of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Volume per interval (forecast from history, or read from a forecast file).
    Forecast,
    /// Required agents per interval.
    Staffing,
    /// Shift plan (and roster, when the scenario names agents).
    Schedule,
    /// Predicted service of the roster.
    Evaluate,
    /// The scenario's what-if variants.
    WhatIf,
    /// Output files.
    Export,
}

impl Stage {
    /// Name shown in progress and timings.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Forecast => "forecast",
            Stage::Staffing => "staffing",
            Stage::Schedule => "schedule and roster",
            Stage::Evaluate => "evaluate",
            Stage::WhatIf => "what-if",
            Stage::Export => "export",
        }
    }
}

/// Settings of a run.
#[derive(Debug, Clone)]
pub struct RunOptions {
    /// Wall-clock budget of each schedule solve.
    pub time_limit: Duration,
    /// Re-plan with the agents' availability when they cannot staff the first plan.
    pub replan: bool,
    /// One calendar per agent instead of one `roster.ics`.
    pub ics_per_agent: bool,
}

impl Default for RunOptions {
    fn default() -> Self {
        RunOptions {
            time_limit: Duration::from_secs(10),
            replan: true,
            ics_per_agent: false,
        }
    }
}

/// The shift plan of a run and, when the scenario names agents, its roster.
#[derive(Debug, Clone)]
pub struct PlanResult {
    /// The plan with its roster (`roster` is `None` without agents).
    pub schedule: Schedule,
    /// Requirement the plan covers.
    pub required: Vec<Vec<u32>>,
    /// Rules of the plan.
    pub rules: crate::scenario::shifts::ShiftRules,
    /// One slot per agent's worth of the plan.
    pub slots: Vec<ShiftSlot>,
    /// Named-agent roster and re-plan facts.
    pub roster: Option<PlannedRoster>,
}

impl PlanResult {
    /// The schedule input of the plan.
    pub fn input<'a>(&'a self, scenario: &'a Scenario) -> ScheduleInput<'a> {
        let mut input = ScheduleInput::new(scenario, self.required.clone());
        input.rules = &self.rules;
        input
    }

    /// The roster evaluated: the named agents' roster, or one anonymous agent per slot. In a
    /// cyclic plan, the part of a shift that runs past the end of the week is also placed at
    /// the start of the week (last week's Sunday night covers this Monday morning), as the
    /// scheduler counts it.
    pub fn evaluated_roster(&self, scenario: &Scenario) -> Roster {
        let mut roster = self.plain_roster();
        if scenario.plan.cyclic {
            let horizon = &scenario.horizon;
            let week = horizon.horizon_end() - horizon.horizon_start();
            let wrapped: Vec<Assignment> = roster
                .assignments
                .iter()
                .filter(|a| a.slot.end > horizon.horizon_end())
                .map(|a| {
                    let mut slot = a.slot.clone();
                    slot.slot_id = format!("{}~wrapped", slot.slot_id);
                    slot.start -= week;
                    slot.end -= week;
                    for b in &mut slot.breaks {
                        b.start -= week;
                        b.end -= week;
                    }
                    Assignment {
                        agent_id: a.agent_id.clone(),
                        slot,
                    }
                })
                .collect();
            roster.assignments.extend(wrapped);
        }
        roster
    }

    fn plain_roster(&self) -> Roster {
        match &self.roster {
            Some(planned) => planned.outcome.roster.clone(),
            None => Roster {
                assignments: self
                    .slots
                    .iter()
                    .map(|slot| Assignment {
                        agent_id: slot.slot_id.clone(),
                        slot: slot.clone(),
                    })
                    .collect(),
                unfilled: Vec::new(),
            },
        }
    }
}

/// Everything a run computed.
#[derive(Debug, Clone)]
pub struct RunResult {
    /// Volume per queue on the plan's grid.
    pub volumes: Vec<QueueVolume>,
    /// Forecasts made from history (queues with `history =`).
    pub forecasts: Vec<QueueForecast>,
    /// Required agents.
    pub requirements: Vec<QueueRequirements>,
    /// Shift plan and roster (scenarios with `[[shift]]` templates).
    pub plan: Option<PlanResult>,
    /// Predicted service of the roster (or of the plan).
    pub evaluation: Option<Evaluation>,
    /// What-if outcomes, `baseline` first (scenarios with `[[whatif]]` blocks).
    pub whatif: Vec<VariantOutcome>,
    /// Independent re-check of the roster as HR will read it.
    pub check: Option<CheckReport>,
    /// Wall time per stage, seconds.
    pub timings: Vec<(String, f64)>,
}

/// Runs every stage. `on_stage` is called when a stage starts (for progress display).
pub fn run(
    scenario: &Scenario,
    options: &RunOptions,
    on_stage: &mut dyn FnMut(Stage),
) -> Result<RunResult> {
    let mut timings = Vec::new();
    let mut clock = |stage: Stage, started: Instant| {
        timings.push((stage.name().to_string(), started.elapsed().as_secs_f64()));
    };

    on_stage(Stage::Forecast);
    let started = Instant::now();
    let (volumes, forecasts) = load_volumes(scenario)?;
    clock(Stage::Forecast, started);

    on_stage(Stage::Staffing);
    let started = Instant::now();
    let requirements = staffing::requirements(scenario, &volumes)?;
    clock(Stage::Staffing, started);

    let mut plan = None;
    if !scenario.shifts.templates.is_empty() {
        on_stage(Stage::Schedule);
        let started = Instant::now();
        let required: Vec<Vec<u32>> = requirements
            .iter()
            .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
            .collect();
        let schedule_options = ScheduleOptions {
            time_limit: options.time_limit,
            ..ScheduleOptions::default()
        };
        plan = Some(if scenario.workforce.agents.is_empty() {
            let input = ScheduleInput::new(scenario, required.clone());
            let schedule = schedule::schedule(&input, &schedule_options)?;
            let slots = export::shift_slots(&input, &schedule);
            PlanResult {
                schedule,
                required,
                rules: scenario.shifts.clone(),
                slots,
                roster: None,
            }
        } else {
            let planned = plan_roster(scenario, required, &schedule_options, options.replan)?;
            PlanResult {
                schedule: planned.schedule.clone(),
                required: planned.required.clone(),
                rules: planned.rules.clone(),
                slots: planned.slots.clone(),
                roster: Some(planned),
            }
        });
        clock(Stage::Schedule, started);
    }

    let mut evaluation = None;
    let mut whatif = Vec::new();
    let mut check = None;
    if let Some(plan) = &plan {
        on_stage(Stage::Evaluate);
        let started = Instant::now();
        let groups = SkillGroups::from_scenario(scenario);
        let roster = plan.evaluated_roster(scenario);
        let evaluate_options = EvaluateOptions {
            apply_shrinkage: true,
            absence_rate: 0.0,
        };
        let presences = shift_presence(&roster, &[], &scenario.horizon, &groups)?;
        let staffing_now =
            GroupStaffing::from_presence(&presences, groups.len(), scenario.horizon.len());
        evaluation = Some(
            Evaluator::new(
                scenario,
                &groups,
                volumes.clone(),
                evaluate_options,
                Some(&staffing_now),
            )?
            .evaluate(&staffing_now),
        );
        if let Some(planned) = &plan.roster {
            check = Some(check_roster(scenario, &planned.outcome, &plan.slots)?);
        }
        clock(Stage::Evaluate, started);

        if !scenario.whatif.is_empty() {
            on_stage(Stage::WhatIf);
            let started = Instant::now();
            let reoptimize = ReoptimizeOptions {
                min_rest_hours: scenario.workforce.rules.min_rest_seconds as f64 / 3600.0,
                ..ReoptimizeOptions::default()
            };
            whatif = evaluate_variants(
                scenario,
                &groups,
                &roster,
                &volumes,
                &[],
                evaluate_options,
                &reoptimize,
            )?;
            clock(Stage::WhatIf, started);
        }
    }
    Ok(RunResult {
        volumes,
        forecasts,
        requirements,
        plan,
        evaluation,
        whatif,
        check,
        timings,
    })
}

/// Volume of every queue: forecast from history, or read from the forecast file.
fn load_volumes(scenario: &Scenario) -> Result<(Vec<QueueVolume>, Vec<QueueForecast>)> {
    let mut errors = crate::error::Diagnostics::new();
    let mut volumes = Vec::new();
    let mut forecasts = Vec::new();
    for queue in &scenario.queues {
        let result = match &queue.volume_source {
            VolumeSource::Forecast(path) => {
                let open = open_intervals(queue, &scenario.horizon);
                load_volume_file(path, scenario.plan.time_zone).and_then(|table| {
                    align_to_horizon(
                        &table,
                        &queue.id,
                        &scenario.horizon,
                        queue.aht_seconds,
                        &open,
                    )
                })
            }
            VolumeSource::History(path) => forecast_from_history(
                path,
                &queue.id,
                &scenario.horizon,
                &scenario.special_days,
                queue.aht_seconds,
            )
            .map(|forecast| {
                let volume = QueueVolume {
                    queue: queue.id.clone(),
                    volume: forecast.volume.clone(),
                    aht_seconds: forecast
                        .aht_seconds
                        .iter()
                        .map(|a| a.unwrap_or(queue.aht_seconds))
                        .collect(),
                };
                forecasts.push(forecast);
                volume
            }),
        };
        if let Some(volume) = errors.take(result)? {
            volumes.push(volume);
        }
    }
    errors.finish((volumes, forecasts))
}

/// Re-reads the roster as HR will (roster.csv bytes) and checks every rule and the coverage
/// of the plan, independently of the assignment.
pub(crate) fn check_roster(
    scenario: &Scenario,
    outcome: &RosterOutcome,
    slots: &[ShiftSlot],
) -> Result<CheckReport> {
    let w = &scenario.workforce;
    let mut bytes = Vec::new();
    crate::export::roster_csv::write_roster_csv(&mut bytes, &outcome.roster, &w.agents)?;
    let zone_of = |id: &str| w.agent(id).map(|a| a.time_zone);
    let file =
        crate::export::roster_csv::read_roster_csv(bytes.as_slice(), "roster.csv", &zone_of)?;
    let mut report = check_shifts(
        &file.shifts,
        &CheckContext {
            agents: &w.agents,
            time_off: &w.time_off,
            rules: &w.rules,
            horizon: &scenario.horizon,
            plan: Some(slots),
        },
    );
    report.violations.extend(file.violations);
    Ok(report)
}

/// Keys of the schedule summary that are wall-clock times (kept out of `summary.json` so two
/// runs give the same bytes; they go to `timings.json`).
const TIMING_KEYS: [&str; 4] = [
    "solve_seconds",
    "lp_seconds",
    "rounding_seconds",
    "mip_seconds",
];

/// The run's `summary.json` (deterministic) and `timings.json` objects.
pub fn summaries(scenario: &Scenario, result: &RunResult) -> Result<(Value, Value)> {
    let to_value = |v: serde_json::Result<Value>| {
        v.map_err(|e| Error::io(Path::new("summary.json"), std::io::Error::other(e)))
    };
    let mut summary = Map::new();
    let mut timings = Map::new();
    summary.insert("plan".into(), json!(scenario.plan.name));
    summary.insert("time_zone".into(), json!(scenario.plan.time_zone.name()));
    summary.insert("start".into(), json!(scenario.plan.start_date.to_string()));
    summary.insert("days".into(), json!(scenario.plan.days));
    let hours = scenario.horizon.interval_seconds() / 3600.0;
    let required_hours: f64 = result
        .requirements
        .iter()
        .flat_map(|q| &q.intervals)
        .map(|r| f64::from(r.required_agents) * hours)
        .sum();
    summary.insert(
        "required_on_queue_agent_hours".into(),
        json!(crate::evaluate::round(required_hours, 3)),
    );
    if let Some(plan) = &result.plan {
        let input = plan.input(scenario);
        let rows = export::shift_rows(&input, &plan.schedule);
        let schedule_summary =
            export::summary(&input, &scenario.plan.name, &plan.schedule, rows.len());
        if let Value::Object(map) = to_value(serde_json::to_value(&schedule_summary))? {
            for (key, value) in map {
                if TIMING_KEYS.contains(&key.as_str()) {
                    timings.insert(key, value);
                } else if key != "plan" {
                    summary.insert(key, value);
                }
            }
        }
        if let Some(planned) = &plan.roster {
            let outcome = &planned.outcome;
            summary.insert(
                "roster_shortfall_agent_hours".into(),
                json!(crate::evaluate::round(outcome.shortfall_agent_hours(), 3)),
            );
            summary.insert(
                "roster_agents".into(),
                json!(scenario.workforce.agents.len()),
            );
            summary.insert(
                "roster_assignments".into(),
                json!(outcome.roster.assignments.len()),
            );
            summary.insert(
                "roster_unfilled_slots".into(),
                json!(outcome.roster.unfilled.len()),
            );
            summary.insert("roster_replanned".into(), json!(planned.replanned));
            summary.insert(
                "roster_violations".into(),
                json!(result.check.as_ref().map_or(0, |c| c.violations.len())),
            );
        }
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
    if !result.forecasts.is_empty() {
        let forecasts: Map<String, Value> = result
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
                        "backtest_wape": best.map(|w| crate::evaluate::round(w, 6)),
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
    }
    for (stage, seconds) in &result.timings {
        timings.insert(
            format!("{}_seconds", stage.replace([' ', '-'], "_")),
            json!(crate::evaluate::round(*seconds, 3)),
        );
    }
    Ok((Value::Object(summary), Value::Object(timings)))
}

/// Writes `forecast.csv`: every queue's volume on the plan's grid, with the 80 % prediction
/// interval for queues forecast from history (empty for volumes read from a forecast file).
pub fn write_forecast_csv<W: Write>(
    writer: W,
    scenario: &Scenario,
    result: &RunResult,
) -> Result<()> {
    let horizon = &scenario.horizon;
    let io = |e: csv::Error| Error::io(Path::new("forecast.csv"), std::io::Error::other(e));
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record([
        "interval_start",
        "local_start",
        "queue",
        "volume",
        "aht_seconds",
        "volume_low",
        "volume_high",
    ])
    .map_err(io)?;
    for i in 0..horizon.len() {
        let start = format_utc(horizon.start(i));
        let local = format_local(horizon.start(i), horizon.zone());
        for volume in &result.volumes {
            let forecast = result.forecasts.iter().find(|f| f.queue == volume.queue);
            csv.write_record([
                start.as_str(),
                local.as_str(),
                volume.queue.as_str(),
                &format_number(volume.volume[i], 3),
                &format_number(volume.aht_seconds[i], 1),
                &forecast.map_or_else(String::new, |f| format_number(f.volume_low[i], 3)),
                &forecast.map_or_else(String::new, |f| format_number(f.volume_high[i], 3)),
            ])
            .map_err(io)?;
        }
    }
    csv.flush()
        .map_err(|e| Error::io(Path::new("forecast.csv"), e))
}

fn write_json(w: &mut dyn Write, value: &Value, name: &str) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::io(Path::new(name), std::io::Error::other(e)))?;
    writeln!(w, "{text}").map_err(|e| Error::io(Path::new(name), e))
}

/// Writes every output of the run into `out`, all or none (staged, then renamed together).
/// Returns the files written.
pub fn write_outputs(
    scenario: &Scenario,
    result: &RunResult,
    out: &Path,
    options: &RunOptions,
) -> Result<Vec<PathBuf>> {
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut set = OutputSet::new(scenario.input_files());
    let horizon = &scenario.horizon;
    set.stage(&out.join("forecast.csv"), |w| {
        write_forecast_csv(w, scenario, result)
    })?;
    set.stage(&out.join("requirements.csv"), |w| {
        staffing::write_requirements_csv(w, horizon, &result.requirements)
    })?;
    if let Some(plan) = &result.plan {
        let input = plan.input(scenario);
        let rows = export::shift_rows(&input, &plan.schedule);
        set.stage(&out.join("shifts.csv"), |w| {
            export::write_shifts_csv(w, &rows)
        })?;
        match &result.evaluation {
            Some(evaluation) => set.stage(&out.join("coverage.csv"), |w| {
                write_coverage_csv(w, horizon, evaluation)
            })?,
            None => set.stage(&out.join("coverage.csv"), |w| {
                export::write_coverage_csv(w, &input, &plan.schedule.coverage)
            })?,
        }
        if let Some(planned) = &plan.roster {
            stage_roster_outputs(
                &mut set,
                &RosterOutputs {
                    out_dir: out,
                    inputs: &scenario.input_files(),
                    horizon,
                    agents: &scenario.workforce.agents,
                    slots: &plan.slots,
                    outcome: &planned.outcome,
                    ics_per_agent: options.ics_per_agent,
                    calendar_name: &scenario.plan.name,
                },
            )?;
        }
    }
    if !result.whatif.is_empty() {
        set.stage(&out.join("whatif.csv"), |w| {
            write_whatif_csv(w, scenario, &result.whatif)
        })?;
        for outcome in &result.whatif {
            if let Some(roster) = &outcome.reoptimized_roster {
                set.stage(&out.join(format!("roster-{}.csv", outcome.name)), |w| {
                    crate::export::roster_csv::write_roster_csv(
                        w,
                        roster,
                        &scenario.workforce.agents,
                    )
                })?;
            }
        }
    }
    let (summary, timings) = summaries(scenario, result)?;
    set.stage(&out.join("summary.json"), |w| {
        write_json(w, &summary, "summary.json")
    })?;
    set.stage(&out.join("timings.json"), |w| {
        write_json(w, &timings, "timings.json")
    })?;
    let report = report_data(scenario, result)?;
    set.stage(&out.join("report.html"), |w| {
        w.write_all(render_html(&report).as_bytes())
            .map_err(|e| Error::io(Path::new("report.html"), e))
    })?;
    set.commit()
}

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
    let (summary, _) = summaries(scenario, result)?;
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
    let mut notes = Vec::new();
    if let Some(plan) = &result.plan {
        notes.extend(plan.schedule.report.solver_messages.iter().cloned());
        for run in &plan.schedule.shortfall {
            notes.push(run.explanation.clone());
        }
        if let Some(planned) = &plan.roster {
            if planned.replanned {
                notes.push(format!(
                    "The agents could not staff the first plan ({} agent-hours short); the plan \
                     was made again with the requirement capped by availability.",
                    format_number(planned.first_plan_shortfall_agent_hours.unwrap_or(0.0), 1)
                ));
            }
        }
    }
    for forecast in &result.forecasts {
        notes.extend(forecast.notes.iter().cloned());
    }
    let whatif = (!result.whatif.is_empty())
        .then(|| csv_table(|w| write_whatif_csv(w, scenario, &result.whatif)))
        .transpose()?;
    let forecast_accuracy = (!result.forecasts.is_empty()).then(|| {
        let mut table = Table {
            header: ["queue", "method", "chosen", "WAPE", "MAPE", "bias"]
                .map(String::from)
                .to_vec(),
            rows: Vec::new(),
        };
        for forecast in &result.forecasts {
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
