//! `staffplan staff`: required agents per interval per queue.

use std::path::PathBuf;

use crate::error::Result;
use crate::output::{ensure_not_input, write_atomic};
use crate::pipeline::{Pipeline, Settings};
use crate::scenario::Scenario;
use crate::staffing::{self, QueueRequirements};

/// Arguments of `staffplan staff`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Examples:\n  staffplan staff scenarios/small-call-center.toml\n  \
    staffplan staff scenarios/omnichannel.toml -o out/requirements.csv"
)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Write requirements.csv here instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// Runs `staffplan staff`.
pub fn run(args: Args) -> Result<i32> {
    let scenario = super::common::load_scenario(&args.scenario)?;
    let pipeline = Pipeline::new(&scenario, Settings::default());
    let volumes = pipeline.volumes()?;
    let requirements = pipeline.requirements(&volumes.volumes)?;
    match &args.output {
        None => {
            let stdout = std::io::stdout();
            staffing::write_requirements_csv(stdout.lock(), &scenario.horizon, &requirements)?;
        }
        Some(path) => {
            ensure_not_input(path, &scenario.input_files())?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| crate::Error::io(parent, e))?;
            }
            write_atomic(path, |w| {
                staffing::write_requirements_csv(w, &scenario.horizon, &requirements)
            })?;
            print_summary(&scenario, &requirements);
            println!("wrote {}", path.display());
        }
    }
    Ok(0)
}

fn print_summary(scenario: &Scenario, requirements: &[QueueRequirements]) {
    let hours = scenario.horizon.interval_seconds() / 3600.0;
    println!(
        "{}: {} days from {} ({}), {} intervals of {} min",
        scenario.plan.name,
        scenario.plan.days,
        scenario.plan.start_date,
        scenario.plan.time_zone,
        scenario.horizon.len(),
        scenario.plan.interval_minutes
    );
    println!(
        "{:<16} {:>10} {:>14} {:>16} {:>12}",
        "queue", "volume", "peak required", "required hours", "scheduled h"
    );
    for queue in requirements {
        let volume: f64 = queue.intervals.iter().map(|r| r.volume).sum();
        let peak = queue
            .intervals
            .iter()
            .map(|r| r.required_agents)
            .max()
            .unwrap_or(0);
        let required: f64 = queue
            .intervals
            .iter()
            .map(|r| f64::from(r.required_agents) * hours)
            .sum();
        let scheduled: f64 = queue
            .intervals
            .iter()
            .map(|r| f64::from(r.scheduled_agents) * hours)
            .sum();
        println!(
            "{:<16} {:>10.0} {:>14} {:>16.1} {:>12.1}",
            queue.queue, volume, peak, required, scheduled
        );
    }
}
