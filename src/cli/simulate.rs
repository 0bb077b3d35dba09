//! `staffplan simulate`: discrete-event simulation of a roster, next to the Erlang prediction.

use std::path::PathBuf;

use super::common::scenario_and_roster;
use crate::error::{Diagnostics, Error, Result};
use crate::evaluate::Evaluation;
use crate::output::{ensure_not_input, write_atomic};
use crate::pipeline::{Pipeline, Settings};
use crate::simulate::{HandleTime, SimulationOptions, SimulationReport, write_simulation_csv};
use crate::units::parse_fraction;

/// Arguments of `staffplan simulate`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan simulate scenarios/small-call-center.toml out/roster.csv\n  \
    staffplan simulate S.toml out/roster.csv --replications 100 --seed 7 -o out/simulation.csv\n  \
    staffplan simulate S.toml out/roster.csv --handle-time-cv 0.6\n\n\
    Poisson arrivals at the forecast rate, exponential (or lognormal) handle times, \
    exponential patience where the queue has one, FCFS; agents leave at shift and break \
    boundaries after finishing the current contact. Prints the weekly and daily service level \
    with its confidence interval next to the Erlang prediction.")]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Published roster (roster.csv; slots.csv for a plan without named agents).
    roster: PathBuf,
    /// Independent replications (2 to 100000).
    #[arg(long, default_value = "30")]
    replications: String,
    /// Seed of the random streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Lognormal handle times with this coefficient of variation (0 = exponential).
    #[arg(long = "handle-time-cv", default_value = "0")]
    handle_time_cv: String,
    /// Nobody abandons, even on queues with a patience.
    #[arg(long = "no-abandonment")]
    no_abandonment: bool,
    /// Simulate the agents without each queue's shrinkage (by default each agent is off the
    /// queue for its queue's shrinkage of every interval, as the evaluation assumes).
    #[arg(long)]
    without_shrinkage: bool,
    /// Confidence level of the intervals.
    #[arg(long, default_value = "0.99")]
    confidence: String,
    /// Write the per-interval comparison (simulation.csv) here.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

/// Checks and builds simulation options (W1010 for out-of-range values).
pub(crate) fn simulation_options(
    replications: &str,
    seed: u64,
    handle_time_cv: &str,
    abandonment: bool,
    confidence: &str,
) -> Result<SimulationOptions> {
    let mut errors = Diagnostics::new();
    let replications = match replications.trim().parse::<u64>() {
        Ok(n) if (2..=100_000).contains(&n) => n as u32,
        _ => {
            let text = replications.trim();
            let digits = !text.is_empty() && text.bytes().all(|b| b.is_ascii_digit());
            let shown = if digits && text.len() <= 20 {
                text.to_string()
            } else {
                crate::error::echo(text)
            };
            errors.push(
                "W1010",
                "--replications",
                format!("{shown} replications; a confidence interval needs 2 to 100000"),
                "use e.g. --replications 30",
            );
            30
        }
    };
    let cv = match parse_fraction(handle_time_cv) {
        Ok(cv) if (0.0..=5.0).contains(&cv) => cv,
        Ok(cv) => {
            errors.push(
                "W1010",
                "--handle-time-cv",
                format!(
                    "coefficient of variation {} is outside [0, 5]",
                    crate::units::format_value(cv)
                ),
                "use e.g. --handle-time-cv 0.6, or 0 for exponential handle times",
            );
            0.0
        }
        Err(cause) => {
            errors.push("W1010", "--handle-time-cv", cause, "use e.g. 0.6");
            0.0
        }
    };
    let confidence = match parse_fraction(confidence) {
        Ok(c) if c > 0.0 && c < 1.0 => c,
        _ => {
            errors.push(
                "W1010",
                "--confidence",
                format!(
                    "confidence {} must be a share between 0 and 1",
                    crate::error::echo(confidence)
                ),
                "use e.g. --confidence 0.99",
            );
            0.99
        }
    };
    errors.finish(SimulationOptions {
        replications,
        seed,
        handle_time: if cv > 0.0 {
            HandleTime::LogNormal { cv }
        } else {
            HandleTime::Exponential
        },
        abandonment,
        confidence,
        apply_shrinkage: true,
    })
}

/// Runs `staffplan simulate`.
pub fn run(args: Args) -> Result<i32> {
    let options = simulation_options(
        &args.replications,
        args.seed,
        &args.handle_time_cv,
        !args.no_abandonment,
        &args.confidence,
    )?;
    let (scenario, roster) = scenario_and_roster(&args.scenario, &args.roster)?;
    let settings = Settings {
        apply_shrinkage: !args.without_shrinkage,
        ..Settings::default()
    };
    let pipeline = Pipeline::new(&scenario, settings);
    let volumes = pipeline.volumes()?.volumes;
    let evaluation = pipeline.evaluate(&roster, &volumes)?;
    let report = pipeline.simulate(&roster, &volumes, options)?;
    print_comparison(&scenario, &evaluation, &report);
    if let Some(path) = &args.output {
        let mut inputs_list = scenario.input_files();
        inputs_list.push(args.roster.clone());
        ensure_not_input(path, &inputs_list)?;
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
        }
        write_atomic(path, |w| {
            write_simulation_csv(w, &scenario.horizon, &evaluation, &report)
        })?;
        println!("wrote {}", path.display());
    }
    Ok(0)
}

/// Prints weekly and daily service level, simulated (with CI) and predicted.
pub(crate) fn print_comparison(
    scenario: &crate::scenario::Scenario,
    evaluation: &Evaluation,
    report: &SimulationReport,
) {
    println!(
        "simulation: {} replications, seed {}, {:.0} % confidence intervals",
        report.replications,
        report.seed,
        report.confidence * 100.0
    );
    println!(
        "{:<12} {:<10} {:>10} {:>18} {:>8}",
        "queue", "period", "Erlang SL", "simulated SL", "inside"
    );
    for sim in &report.queues {
        let Some(predicted) = evaluation.queues.iter().find(|q| q.queue == sim.queue) else {
            continue;
        };
        let mut rows = vec![("week".to_string(), predicted.week, sim.week)];
        for (d, (p, s)) in predicted.days.iter().zip(&sim.days).enumerate() {
            rows.push((scenario.horizon.date_of_day(d).to_string(), *p, *s));
        }
        for (period, p, s) in rows {
            let (Some(p), Some(s)) = (p, s) else { continue };
            println!(
                "{:<12} {:<10} {:>9.1}% {:>10.1}% ± {:>4.1} {:>8}",
                sim.queue,
                period,
                p * 100.0,
                s.mean * 100.0,
                s.half_width * 100.0,
                if s.contains(p) { "yes" } else { "no" }
            );
        }
    }
}
