//! `staffplan whatif`: variants of the published roster (absences, volume and AHT shocks,
//! training blocks), each evaluated keeping the roster and optionally re-optimised, plus Monte
//! Carlo absence risk.

use std::path::PathBuf;

use super::common::{both, load_scenario_and_roster};
use crate::domain::{Variant, parse_absence, parse_change_spec, parse_training};
use crate::error::{Diagnostics, Result};
use crate::pipeline::outputs::{Files, write_outputs};
use crate::pipeline::{Pipeline, RunResult, Settings};
use crate::units::parse_fraction;
use crate::whatif::{self, MonteCarloOptions};

/// Arguments of `staffplan whatif`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan whatif S.toml --roster out/roster.csv --out out/whatif --absent A017@2026-11-24\n  \
    staffplan whatif S.toml --roster R.csv --out out --absent A017@2026-11-24T09:00/13:00 \
    --volume +15%\n  \
    staffplan whatif S.toml --roster R.csv --out out --volume chat:+30%@2026-11-25 --aht +5%\n  \
    staffplan whatif S.toml --roster R.csv --out out --training 6@2026-11-26T14:00/16:00 \
    --reoptimize\n  \
    staffplan whatif S.toml --roster R.csv --out out --monte-carlo 1000 --absence-rate 0.08 \
    --seed 7\n\n\
    Every run evaluates the published roster (\"baseline\"), each [[whatif]] block of the \
    scenario, and the variant given by the flags (\"cli\") if any. With --monte-carlo, \
    --absence-rate is the per-agent-day absence probability of the random weeks; without it, \
    the expected absence applied to the cli variant.\n\n\
    Writes DIR/whatif.csv (one row per variant), DIR/coverage.csv and DIR/summary.json \
    (baseline), DIR/roster-VARIANT.csv for each re-optimised variant, and with --monte-carlo \
    DIR/montecarlo.json and DIR/montecarlo_runs.csv.")]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Published roster (roster.csv of `staffplan roster`).
    #[arg(long)]
    roster: Option<PathBuf>,
    /// Agent absent: ID@DATE or ID@DATEThh:mm/hh:mm (repeatable).
    #[arg(long, value_name = "ID@DATE[Thh:mm/hh:mm]")]
    absent: Vec<String>,
    /// Volume change: +15%, QUEUE:+30%, QUEUE:+30%@DATE (repeatable).
    #[arg(long, value_name = "[QUEUE:]CHANGE[@DATE]", allow_hyphen_values = true)]
    volume: Vec<String>,
    /// AHT change, same forms as --volume (repeatable).
    #[arg(long, value_name = "[QUEUE:]CHANGE[@DATE]", allow_hyphen_values = true)]
    aht: Vec<String>,
    /// Training or meeting block: N@DATEThh:mm/hh:mm or ID,ID@DATEThh:mm/hh:mm (repeatable).
    #[arg(long, value_name = "WHO@DATEThh:mm/hh:mm")]
    training: Vec<String>,
    /// Absence rate: expected absence of the cli variant, or with --monte-carlo the
    /// per-agent-day probability (e.g. 0.08 or 8%).
    #[arg(long = "absence-rate", value_name = "RATE")]
    absence_rate: Option<String>,
    /// Re-optimise the roster of the cli variant (minimal changes to recover the target).
    #[arg(long)]
    reoptimize: bool,
    /// Re-optimisation: fixed cost of one change (on top of the change in paid time).
    #[arg(long = "change-cost", default_value_t = 10.0)]
    change_cost: f64,
    /// Monte Carlo: number of random weeks.
    #[arg(long = "monte-carlo", value_name = "RUNS")]
    monte_carlo: Option<String>,
    /// Seed of the Monte Carlo streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Monte Carlo: coefficient of variation of daily volume per queue (0 = forecast as is).
    #[arg(long = "volume-cv", default_value = "0")]
    volume_cv: String,
    /// Evaluate the agents on the queues without each queue's shrinkage (by default it is
    /// applied, as in `staffplan run` and `staffplan evaluate`).
    #[arg(long)]
    without_shrinkage: bool,
}

/// Parses the variant flags into the `cli` variant (`None` when no flag is given).
#[allow(clippy::too_many_arguments)]
fn cli_variant(
    absent: &[String],
    volume: &[String],
    aht: &[String],
    training: &[String],
    absence_rate: Option<f64>,
    reoptimize: bool,
    errors: &mut Diagnostics,
) -> Option<Variant> {
    fn parse_each<T>(
        texts: &[String],
        flag: &str,
        parse: fn(&str) -> std::result::Result<T, String>,
        errors: &mut Diagnostics,
    ) -> Vec<T> {
        texts
            .iter()
            .filter_map(|text| match parse(text) {
                Ok(v) => Some(v),
                Err(cause) => {
                    errors.push(
                        "W1006",
                        flag,
                        cause,
                        "see `staffplan explain W1006` for the accepted forms",
                    );
                    None
                }
            })
            .collect()
    }
    let variant = Variant {
        name: "cli".into(),
        absences: parse_each(absent, "--absent", parse_absence, errors),
        absence_rate,
        volume: parse_each(volume, "--volume", parse_change_spec, errors),
        aht: parse_each(aht, "--aht", parse_change_spec, errors),
        training: parse_each(training, "--training", parse_training, errors),
        reoptimize,
    };
    let empty = absent.is_empty()
        && volume.is_empty()
        && aht.is_empty()
        && training.is_empty()
        && absence_rate.is_none();
    (!empty || reoptimize).then_some(variant)
}

/// `--monte-carlo RUNS`: a whole number from 1 to [`whatif::montecarlo::MAX_RUNS`], refused
/// (`W1005`) as the user wrote it, never wrapped or clamped into range.
fn monte_carlo_runs(text: &str, errors: &mut Diagnostics) -> Option<u32> {
    let max = whatif::montecarlo::MAX_RUNS;
    let fix = format!("ask for 1 to {max} runs, e.g. --monte-carlo 1000");
    let trimmed = text.trim();
    let digits = !trimmed.is_empty() && trimmed.bytes().all(|b| b.is_ascii_digit());
    match trimmed.parse::<u64>() {
        Ok(runs) if (1..=u64::from(max)).contains(&runs) => u32::try_from(runs).ok(),
        Ok(_) | Err(_) if digits => {
            let shown = if trimmed.len() <= 20 {
                trimmed.to_string()
            } else {
                crate::error::echo(trimmed)
            };
            errors.push(
                "W1005",
                "--monte-carlo",
                format!("{shown} runs asked for; Monte Carlo takes 1 to {max} runs"),
                fix,
            );
            None
        }
        _ => {
            errors.push(
                "W1005",
                "--monte-carlo",
                format!(
                    "{} is not a whole number of runs (1 to {max})",
                    crate::error::echo(text)
                ),
                fix,
            );
            None
        }
    }
}

fn fraction_flag(text: Option<&str>, flag: &str, errors: &mut Diagnostics) -> Option<f64> {
    let text = text?;
    match parse_fraction(text) {
        Ok(value) => Some(value),
        Err(cause) => {
            errors.push("W1006", flag, cause, "write a share such as 0.08 or 8%");
            None
        }
    }
}

/// Runs `staffplan whatif`.
pub fn run(args: Args) -> Result<i32> {
    let mut errors = Diagnostics::new();
    let rate = fraction_flag(args.absence_rate.as_deref(), "--absence-rate", &mut errors);
    let volume_cv = fraction_flag(Some(&args.volume_cv), "--volume-cv", &mut errors).unwrap_or(0.0);
    let monte_carlo = args
        .monte_carlo
        .as_deref()
        .and_then(|text| monte_carlo_runs(text, &mut errors))
        .map(|runs| MonteCarloOptions {
            runs,
            absence_rate: rate.unwrap_or(0.0),
            seed: args.seed,
            volume_cv,
        });
    let cli = cli_variant(
        &args.absent,
        &args.volume,
        &args.aht,
        &args.training,
        if monte_carlo.is_some() { None } else { rate },
        args.reoptimize,
        &mut errors,
    );
    if let Some(options) = &monte_carlo {
        if let Err(e) = whatif::montecarlo::validate_options(options) {
            errors.absorb(e)?;
        }
    }
    if !(args.change_cost.is_finite() && (0.0..=1e9).contains(&args.change_cost)) {
        errors.push(
            "W1010",
            "--change-cost",
            format!(
                "change cost {} is outside 0 to 1e9",
                crate::units::format_value(args.change_cost)
            ),
            "use e.g. --change-cost 10",
        );
    }
    let (scenario, roster) =
        load_scenario_and_roster(&args.scenario, args.roster.as_deref(), &mut errors)?;
    if let (Some(scenario), Some(cli)) = (&scenario, &cli) {
        match &roster {
            Some(roster) => {
                whatif::validate_variants(scenario, roster, std::slice::from_ref(cli), &mut errors)
            }
            None => cli.validate(scenario, None, "command line", &mut errors),
        }
    }
    errors.check()?;
    let (scenario, roster) = both(scenario, roster)?;
    let settings = Settings {
        apply_shrinkage: !args.without_shrinkage,
        change_cost: args.change_cost,
        ..Settings::default()
    };
    let pipeline = Pipeline::new(&scenario, settings);
    let volumes = pipeline.volumes()?;
    let extra: Vec<Variant> = cli.iter().cloned().collect();
    let outcomes = pipeline.whatif(&roster, &volumes.volumes, &extra)?;
    for outcome in &outcomes {
        for note in &outcome.notes {
            eprintln!("note: {}: {note}", outcome.name);
        }
    }
    let requirements = pipeline.requirements(&volumes.volumes)?;
    let mut result = RunResult {
        coverage: Some(pipeline.roster_coverage(&roster, &requirements)?),
        requirements,
        evaluation: outcomes.first().map(|o| o.evaluation.clone()),
        whatif: outcomes,
        volumes,
        ..RunResult::default()
    };
    if let Some(mc_options) = &monte_carlo {
        let base = cli.clone().unwrap_or_default();
        let (report, runs_csv) =
            pipeline.monte_carlo(&roster, &result.volumes.volumes, &base, mc_options)?;
        print_monte_carlo(&report);
        result.monte_carlo = Some(report);
        result.monte_carlo_runs_csv = runs_csv;
    }
    let mut inputs = scenario.input_files();
    inputs.extend(args.roster.clone());
    let written = write_outputs(&pipeline, &result, &args.out, Files::PARTS, inputs)?;
    print!("{}", whatif::format_table(&scenario, &result.whatif));
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(0)
}

fn print_monte_carlo(report: &whatif::MonteCarloReport) {
    println!(
        "Monte Carlo: {} runs, absence rate {:.1} % per agent-day, seed {}, {:.1} absent \
         agent-days per run on average",
        report.runs,
        report.absence_rate * 100.0,
        report.seed,
        report.mean_absent_agent_days
    );
    for q in &report.queues {
        let Some(week) = q.week else { continue };
        println!(
            "  {:<12} weekly SL p05 {:.1} %  p50 {:.1} %  p95 {:.1} %  P(below target) {}",
            q.queue,
            week.p05 * 100.0,
            week.p50 * 100.0,
            week.p95 * 100.0,
            q.p_week_below_target
                .map_or_else(|| "-".into(), |p| format!("{:.1} %", p * 100.0))
        );
        for risk in q.intervals_at_risk.iter().take(3) {
            println!(
                "      at risk {}  P(below) {:.0} %  mean SL {:.1} %",
                risk.local_start,
                risk.p_below_target * 100.0,
                risk.mean_service_level * 100.0
            );
        }
    }
}
