//! Every file of a view, staged and committed together (all or none): `forecast.csv`,
//! `requirements.csv`, `shifts.csv`, `coverage.csv`, the roster files, `whatif.csv`,
//! `simulation.csv`, the Monte Carlo files, `summary.json`, `timings.json`, `report.html`.

use std::io::Write;
use std::path::{Path, PathBuf};

use serde_json::Value;

use super::report_data::report_data;
use super::summary::summaries;
use super::{Pipeline, RunResult};
use crate::error::{Error, Result};
use crate::export::coverage_csv::{CoverageTable, write_coverage_csv};
use crate::export::{RosterOutputs, stage_roster_outputs};
use crate::forecast::{ForecastSeries, write_forecast_csv};
use crate::output::OutputSet;
use crate::report::render_html;
use crate::schedule::export;
use crate::staffing;
use crate::whatif::write_whatif_csv;

/// The columns of `forecast.csv`: every queue's volume on the plan's grid, with the 80 %
/// prediction interval for queues forecast from history (empty for volumes read from a
/// forecast file).
fn forecast_series(result: &RunResult) -> Vec<ForecastSeries<'_, f64>> {
    result
        .volumes
        .volumes
        .iter()
        .map(|volume| ForecastSeries {
            queue: &volume.queue,
            volume: &volume.volume,
            aht_seconds: &volume.aht_seconds,
            prediction_interval: result
                .volumes
                .forecasts
                .iter()
                .find(|f| f.queue == volume.queue)
                .map(|f| (f.volume_low.as_slice(), f.volume_high.as_slice())),
        })
        .collect()
}

fn write_json(w: &mut dyn Write, value: &Value, name: &str) -> Result<()> {
    let text = serde_json::to_string_pretty(value)
        .map_err(|e| Error::io(Path::new(name), std::io::Error::other(e)))?;
    writeln!(w, "{text}").map_err(|e| Error::io(Path::new(name), e))
}

/// Which files a view writes besides those of the parts it computed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Files {
    /// `forecast.csv` and `requirements.csv`.
    pub volumes: bool,
    /// `report.html`.
    pub report: bool,
}

impl Files {
    /// Everything (`staffplan run`).
    pub const ALL: Files = Files {
        volumes: true,
        report: true,
    };
    /// Only the files of the parts computed (the stage subcommands).
    pub const PARTS: Files = Files {
        volumes: false,
        report: false,
    };
}

/// Writes every output of `result` into `out`, all or none (staged, then renamed together):
/// the files of each part it holds, plus `files`. `inputs` are never overwritten. Returns the
/// files written.
pub fn write_outputs(
    pipeline: &Pipeline<'_>,
    result: &RunResult,
    out: &Path,
    files: Files,
    inputs: Vec<PathBuf>,
) -> Result<Vec<PathBuf>> {
    let scenario = pipeline.scenario();
    std::fs::create_dir_all(out).map_err(|e| Error::io(out, e))?;
    let mut set = OutputSet::new(inputs);
    let horizon = &scenario.horizon;
    if files.volumes {
        let series = forecast_series(result);
        set.stage(&out.join("forecast.csv"), |w| {
            write_forecast_csv(w, horizon, &series)
        })?;
        set.stage(&out.join("requirements.csv"), |w| {
            staffing::write_requirements_csv(w, horizon, &result.requirements)
        })?;
    }
    if let Some(plan) = &result.plan {
        let input = plan.input(scenario);
        let rows = export::shift_rows(&input, &plan.schedule);
        set.stage(&out.join("shifts.csv"), |w| {
            export::write_shifts_csv(w, &rows)
        })?;
        if plan.roster.is_none() {
            // A plan without named agents: the slots are what evaluate, simulate and what-if
            // read back (one anonymous agent per slot).
            set.stage(&out.join("slots.csv"), |w| {
                crate::export::slots_csv::write_slots_csv(w, &plan.slots)
            })?;
        }
        if let Some(planned) = &plan.roster {
            let hours = result
                .check
                .as_ref()
                .map(|c| c.hours.clone())
                .unwrap_or_default();
            stage_roster_outputs(
                &mut set,
                &RosterOutputs {
                    out_dir: out,
                    horizon,
                    agents: &scenario.workforce.agents,
                    slots: &plan.slots,
                    roster: &planned.outcome.roster,
                    shortfall: &planned.outcome.shortfall,
                    hours: &hours,
                    ics_per_agent: pipeline.settings().ics_per_agent,
                    calendar_name: &scenario.plan.name,
                },
            )?;
        }
    }
    if let Some(plan_coverage) = &result.coverage {
        let queues: Vec<String> = scenario.queues.iter().map(|q| q.id.clone()).collect();
        set.stage(&out.join("coverage.csv"), |w| {
            write_coverage_csv(
                w,
                &CoverageTable {
                    horizon,
                    queues: &queues,
                    required_on_shift: &plan_coverage.required,
                    coverage: &plan_coverage.coverage,
                    evaluation: result.evaluation.as_ref(),
                },
            )
        })?;
    }
    if let Some(evaluation) = &result.evaluation {
        if let Some(simulation) = &result.simulation {
            set.stage(&out.join("simulation.csv"), |w| {
                crate::simulate::write_simulation_csv(w, horizon, evaluation, simulation)
            })?;
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
    if let Some(report) = &result.monte_carlo {
        set.stage(&out.join("montecarlo.json"), |w| {
            let value = serde_json::to_value(report)
                .map_err(|e| Error::io(Path::new("montecarlo.json"), std::io::Error::other(e)))?;
            write_json(w, &value, "montecarlo.json")
        })?;
        set.stage(&out.join("montecarlo_runs.csv"), |w| {
            w.write_all(&result.monte_carlo_runs_csv)
                .map_err(|e| Error::io(Path::new("montecarlo_runs.csv"), e))
        })?;
    }
    let (summary, timings) = summaries(scenario, result)?;
    set.stage(&out.join("summary.json"), |w| {
        write_json(w, &summary, "summary.json")
    })?;
    set.stage(&out.join("timings.json"), |w| {
        write_json(w, &timings, "timings.json")
    })?;
    if files.report {
        let report = report_data(scenario, result)?;
        set.stage(&out.join("report.html"), |w| {
            w.write_all(render_html(&report).as_bytes())
                .map_err(|e| Error::io(Path::new("report.html"), e))
        })?;
    }
    set.commit()
}
