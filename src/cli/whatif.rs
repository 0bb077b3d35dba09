//! `staffplan whatif`: variants of the published roster (absences, volume and AHT shocks,
//! training blocks), each evaluated keeping the roster and optionally re-optimised, plus Monte
//! Carlo absence risk.

use std::path::{Path, PathBuf};

use crate::error::{Diagnostics, Error, Result};
use crate::evaluate::{
    EvaluateOptions, SkillGroups, shift_presence, summary_json, write_coverage_csv,
};
use crate::output::OutputSet;
use crate::roster::Roster;
use crate::scenario::Scenario;
use crate::staffing;
use crate::units::parse_fraction;
use crate::volume::QueueVolume;
use crate::whatif::{
    self, MonteCarlo, MonteCarloOptions, ReoptimizeOptions, Variant, apply, parse_absence,
    parse_change_spec, parse_training,
};

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
    monte_carlo: Option<u64>,
    /// Seed of the Monte Carlo streams.
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Monte Carlo: coefficient of variation of daily volume per queue (0 = forecast as is).
    #[arg(long = "volume-cv", default_value = "0")]
    volume_cv: String,
    /// Apply each queue's shrinkage to the agents on the queue (off: breaks and absences are
    /// modelled explicitly).
    #[arg(long)]
    shrinkage: bool,
}

/// What every roster command needs.
pub(crate) struct Inputs {
    pub scenario: Scenario,
    pub groups: SkillGroups,
    pub volumes: Vec<QueueVolume>,
    pub roster: Roster,
}

/// Loads the scenario, its volumes and skill groups, and the roster.
pub(crate) fn load_inputs(scenario_path: &Path, roster_path: Option<&Path>) -> Result<Inputs> {
    let mut errors = Diagnostics::new();
    let (scenario, roster) = load_scenario_and_roster(scenario_path, roster_path, &mut errors)?;
    errors.check()?;
    finish_inputs(scenario, roster)
}

/// Loads the scenario and the roster, collecting input problems in `errors` (W1011 when no
/// roster is given).
pub(crate) fn load_scenario_and_roster(
    scenario_path: &Path,
    roster_path: Option<&Path>,
    errors: &mut Diagnostics,
) -> Result<(Option<Scenario>, Option<Roster>)> {
    let scenario = errors.take(Scenario::load(scenario_path))?;
    let roster = match (roster_path, &scenario) {
        (Some(path), Some(scenario)) => errors.take(load_roster(path, scenario))?,
        (None, _) => {
            errors.push(
                "W1011",
                scenario_path.display().to_string(),
                "no roster to evaluate",
                "pass the published roster with --roster out/roster.csv (from `staffplan \
                 roster`)",
            );
            None
        }
        (Some(_), None) => None,
    };
    Ok((scenario, roster))
}

/// Completes the inputs once the scenario and roster are known to be good.
pub(crate) fn finish_inputs(scenario: Option<Scenario>, roster: Option<Roster>) -> Result<Inputs> {
    let (Some(scenario), Some(roster)) = (scenario, roster) else {
        return Err(Error::input(
            "W1011",
            "",
            "the scenario or the roster could not be read",
            "fix the problems reported above",
        ));
    };
    let volumes = staffing::load_volumes(&scenario)?;
    let groups = SkillGroups::one_per_queue(&scenario);
    Ok(Inputs {
        scenario,
        groups,
        volumes,
        roster,
    })
}

/// Reads a published roster (`roster.csv` of `staffplan roster`, with `slots.csv` beside it
/// when present for the shift templates and costs).
pub(crate) fn load_roster(path: &Path, scenario: &Scenario) -> Result<Roster> {
    crate::export::roster_csv::load_roster(path, scenario)
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
    let monte_carlo = args.monte_carlo.map(|runs| MonteCarloOptions {
        runs: u32::try_from(runs).unwrap_or(u32::MAX),
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
    if !(args.change_cost.is_finite() && args.change_cost >= 0.0) {
        errors.push(
            "W1010",
            "--change-cost",
            format!("change cost {} must be zero or more", args.change_cost),
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
    let inputs = finish_inputs(scenario, roster)?;
    let scenario = &inputs.scenario;
    let options = EvaluateOptions {
        apply_shrinkage: args.shrinkage,
        absence_rate: 0.0,
    };
    let reoptimize_options = ReoptimizeOptions {
        change_cost: args.change_cost,
        min_rest_hours: scenario.workforce.rules.min_rest_seconds as f64 / 3600.0,
        ..ReoptimizeOptions::default()
    };
    let extra: Vec<Variant> = cli.iter().cloned().collect();
    let outcomes = whatif::evaluate_variants(
        scenario,
        &inputs.groups,
        &inputs.roster,
        &inputs.volumes,
        &extra,
        options,
        &reoptimize_options,
    )?;
    for outcome in &outcomes {
        for note in &outcome.notes {
            eprintln!("note: {}: {note}", outcome.name);
        }
    }

    let mut outputs = OutputSet::new(input_files(&inputs, &args));
    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let horizon = &scenario.horizon;
    let mut summary = summary_json(horizon, &outcomes[0].evaluation);
    let variants_json: serde_json::Map<String, serde_json::Value> = outcomes
        .iter()
        .map(|o| {
            (
                o.name.clone(),
                serde_json::json!({
                    "description": o.description,
                    "summary": summary_json(horizon, &o.evaluation),
                    "changes": o.changes,
                    "cost_delta": crate::evaluate::round(o.cost_delta, 2),
                }),
            )
        })
        .collect();
    summary["variants"] = serde_json::Value::Object(variants_json);
    outputs.stage(&args.out.join("whatif.csv"), |w| {
        whatif::write_whatif_csv(w, scenario, &outcomes)
    })?;
    outputs.stage(&args.out.join("coverage.csv"), |w| {
        write_coverage_csv(w, horizon, &outcomes[0].evaluation)
    })?;
    for outcome in &outcomes {
        if let Some(roster) = &outcome.reoptimized_roster {
            outputs.stage(
                &args.out.join(format!("roster-{}.csv", outcome.name)),
                |w| {
                    crate::export::roster_csv::write_roster_csv(
                        w,
                        roster,
                        &scenario.workforce.agents,
                    )
                },
            )?;
        }
    }
    if let Some(mc_options) = &monte_carlo {
        let base = cli.clone().unwrap_or_default();
        let applied = apply(&base, scenario, &inputs.roster, &inputs.volumes)?;
        let presences = shift_presence(&applied.roster, &applied.blocks, horizon, &inputs.groups)?;
        let mc = MonteCarlo::new(
            scenario,
            &inputs.groups,
            &presences,
            applied.volumes.clone(),
            options,
        )?;
        let (report, runs) = mc.run_with_details(mc_options)?;
        summary["monte_carlo"] = serde_json::to_value(&report)
            .map_err(|e| Error::io(&args.out.join("summary.json"), std::io::Error::other(e)))?;
        outputs.stage(&args.out.join("montecarlo.json"), |w| {
            serde_json::to_writer_pretty(&mut *w, &report)
                .map_err(|e| Error::io(Path::new("montecarlo.json"), std::io::Error::other(e)))?;
            writeln!(w).map_err(|e| Error::io(Path::new("montecarlo.json"), e))
        })?;
        outputs.stage(&args.out.join("montecarlo_runs.csv"), |w| {
            mc.write_runs_csv(w, &runs)
        })?;
        print_monte_carlo(&report);
    }
    outputs.stage(&args.out.join("summary.json"), |w| {
        serde_json::to_writer_pretty(&mut *w, &summary)
            .map_err(|e| Error::io(Path::new("summary.json"), std::io::Error::other(e)))?;
        writeln!(w).map_err(|e| Error::io(Path::new("summary.json"), e))
    })?;
    let written = outputs.commit()?;
    print!("{}", whatif::format_table(scenario, &outcomes));
    for path in written {
        println!("wrote {}", path.display());
    }
    Ok(0)
}

fn input_files(inputs: &Inputs, args: &Args) -> Vec<PathBuf> {
    let mut files = inputs.scenario.input_files();
    files.extend(args.roster.clone());
    files
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
