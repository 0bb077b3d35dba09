//! `staffplan evaluate`: the predicted service of a roster (coverage.csv, summary.json),
//! optionally checked by simulation.

use std::path::{Path, PathBuf};

use crate::error::{Error, Result};
use crate::evaluate::{
    EvaluateOptions, Evaluator, GroupStaffing, shift_presence, summary_json, write_coverage_csv,
};
use crate::output::OutputSet;
use crate::simulate::{Simulator, write_simulation_csv};

/// Arguments of `staffplan evaluate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan evaluate scenarios/small-call-center.toml --roster out/roster.csv --out out/eval\n  \
    staffplan evaluate S.toml --roster out/roster.csv --out out/eval --simulate --seed 7\n\n\
    Writes DIR/coverage.csv (per interval per queue: required, scheduled, on break, shortfall, \
    surplus, volume, service level, ASA, occupancy, abandonment) and DIR/summary.json (weekly \
    and daily service level per queue); with --simulate also DIR/simulation.csv.")]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Published roster (roster.csv).
    #[arg(long)]
    roster: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Apply each queue's shrinkage to the agents on the queue.
    #[arg(long)]
    shrinkage: bool,
    /// Also simulate the roster and compare.
    #[arg(long)]
    simulate: bool,
    /// Simulation replications.
    #[arg(long, default_value_t = 30)]
    replications: u32,
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
            args.replications,
            args.seed,
            &args.handle_time_cv,
            true,
            "0.99",
        )?)
    } else {
        None
    };
    let inputs = super::whatif::load_inputs(&args.scenario, Some(&args.roster))?;
    let scenario = &inputs.scenario;
    let horizon = &scenario.horizon;
    let presences = shift_presence(&inputs.roster, &[], horizon, &inputs.groups)?;
    let staffing = GroupStaffing::from_presence(&presences, inputs.groups.len(), horizon.len());
    let options = EvaluateOptions {
        apply_shrinkage: args.shrinkage,
        absence_rate: 0.0,
    };
    let evaluation = Evaluator::new(
        scenario,
        &inputs.groups,
        inputs.volumes.clone(),
        options,
        None,
    )?
    .evaluate(&staffing);
    let mut files = scenario.input_files();
    files.push(args.roster.clone());
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let mut outputs = OutputSet::new(files);
    outputs.stage(&args.out.join("coverage.csv"), |w| {
        write_coverage_csv(w, horizon, &evaluation)
    })?;
    let summary = summary_json(horizon, &evaluation);
    outputs.stage(&args.out.join("summary.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)
            .map_err(|e| Error::io(Path::new("summary.json"), std::io::Error::other(e)))?;
        writeln!(w).map_err(|e| Error::io(Path::new("summary.json"), e))
    })?;
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
        let report = Simulator::new(
            scenario,
            &inputs.volumes,
            &presences,
            &inputs.groups,
            options,
        )
        .run();
        super::simulate::print_comparison(scenario, &evaluation, &report);
        outputs.stage(&args.out.join("simulation.csv"), |w| {
            write_simulation_csv(w, horizon, &evaluation, &report)
        })?;
    }
    for path in outputs.commit()? {
        println!("wrote {}", path.display());
    }
    Ok(0)
}
