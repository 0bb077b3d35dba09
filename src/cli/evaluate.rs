//! `staffplan evaluate`: the predicted service of a roster (coverage.csv, summary.json),
//! optionally checked by simulation.

use std::path::PathBuf;

use super::common::scenario_and_roster;
use crate::error::Result;
use crate::pipeline::outputs::{Files, write_outputs};
use crate::pipeline::{Pipeline, RunResult, Settings};

/// Arguments of `staffplan evaluate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan evaluate scenarios/small-call-center.toml --roster out/roster.csv --out out/eval\n  \
    staffplan evaluate S.toml --roster out/roster.csv --out out/eval --simulate --seed 7\n\n\
    Writes DIR/coverage.csv (per interval per queue: required, scheduled, on break, shortfall, \
    surplus, volume, service level, ASA, occupancy, abandonment) and DIR/summary.json (weekly \
    and daily service level per queue, with --simulate also the simulated ones with their 99 % \
    confidence interval), DIR/timings.json; with --simulate also DIR/simulation.csv.")]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Published roster (roster.csv; slots.csv for a plan without named agents).
    #[arg(long)]
    roster: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Evaluate the agents on the queues without each queue's shrinkage (by default it is
    /// applied, as in `staffplan run`: the plan covers a requirement inflated by it).
    #[arg(long)]
    without_shrinkage: bool,
    /// Also simulate the roster and compare.
    #[arg(long)]
    simulate: bool,
    /// Simulation replications (2 to 100000).
    #[arg(long, default_value = "30")]
    replications: String,
    /// Simulation seed.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Simulation: lognormal handle times with this coefficient of variation (0 = exponential).
    #[arg(long = "handle-time-cv", default_value = "0")]
    handle_time_cv: String,
}

/// Runs `staffplan evaluate`.
pub fn run(args: Args) -> Result<i32> {
    let simulation = if args.simulate {
        Some(super::simulate::simulation_options(
            &args.replications,
            args.seed,
            &args.handle_time_cv,
            true,
            "0.99",
        )?)
    } else {
        None
    };
    let (scenario, roster) = scenario_and_roster(&args.scenario, &args.roster)?;
    let settings = Settings {
        apply_shrinkage: !args.without_shrinkage,
        ..Settings::default()
    };
    let pipeline = Pipeline::new(&scenario, settings);
    let mut result = RunResult {
        volumes: pipeline.volumes()?,
        ..RunResult::default()
    };
    result.requirements = pipeline.requirements(&result.volumes.volumes)?;
    result.coverage = Some(pipeline.roster_coverage(&roster, &result.requirements)?);
    let evaluation = pipeline.evaluate(&roster, &result.volumes.volumes)?;
    for queue in &evaluation.queues {
        println!(
            "{:<12} weekly SL {}  understaffed {:.1} agent-h",
            queue.queue,
            queue
                .week
                .map_or_else(|| "-".into(), |v| format!("{:.1} %", v * 100.0)),
            queue.understaffed_agent_hours
        );
    }
    if let Some(options) = simulation {
        let report = pipeline.simulate(&roster, &result.volumes.volumes, options)?;
        super::simulate::print_comparison(&scenario, &evaluation, &report);
        result.simulation = Some(report);
    }
    result.evaluation = Some(evaluation);
    let mut files = scenario.input_files();
    files.push(args.roster.clone());
    for path in write_outputs(&pipeline, &result, &args.out, Files::PARTS, files)? {
        println!("wrote {}", path.display());
    }
    Ok(0)
}
