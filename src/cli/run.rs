//! `staffplan run`: the whole pipeline on one scenario, every output in one directory.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::mpsc;
use std::thread::JoinHandle;
use std::time::Duration;

use indicatif::{ProgressBar, ProgressStyle};

use super::common::{parse_time_limit, report_violations};
use super::sweep::{print_table, progress_bar, report_outcomes};
use crate::error::{Error, Result};
use crate::output::ensure_not_input;
use crate::pipeline::fanout::{FrontierRow, Shard, read_summary, run_into, run_tasks};
use crate::pipeline::outputs::{Files, write_outputs};
use crate::pipeline::summary::summaries;
use crate::pipeline::{Pipeline, RunResult, Settings, Stage};
use crate::scenario::Scenario;
use crate::units::format_number;

/// Arguments of `staffplan run`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Runs forecast (where the scenario gives history) -> staffing -> shift \
    plan -> roster (where it names agents) -> evaluation -> the scenario's [[whatif]] variants, \
    and writes forecast.csv, requirements.csv, shifts.csv, coverage.csv, roster.csv, \
    agent_hours.csv, slots.csv, shortfall.csv, roster.ics, whatif.csv, summary.json, \
    timings.json and report.html into DIR, all or none. Exit 1 when the roster checker finds a \
    broken rule.\n\n\
    Examples:\n  staffplan run scenarios/small-call-center.toml --out out/\n  \
    staffplan run scenarios/omnichannel.toml --out out/omni --time-limit 10m\n  \
    staffplan run scenarios/two-sites.toml --out out/two-sites --json > summary.json"
)]
pub struct Args {
    /// Scenario file(s) (TOML). With several, each is run (in parallel) into DIR/<file stem>/.
    #[arg(required = true, num_args = 1..)]
    scenario: Vec<PathBuf>,
    /// With several scenarios: run only the K-th of N shares of them (1-based), for batch
    /// engines (a Kubernetes indexed Job or a Slurm array passes its index + 1 as K).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Output directory.
    #[arg(long)]
    out: PathBuf,
    /// Wall-clock cap on each schedule solve ("10m"); none by default. Every phase of the solve
    /// has a budget of work, so without a cap the same scenario gives the same files on any
    /// machine; a cap that cuts a phase sets the status to time_limit and says what was left.
    #[arg(long)]
    time_limit: Option<String>,
    /// Eight-hour presence windows re-planned after the start windows on weeks solved by the
    /// local search (more work for a lower cost; 0 by default).
    #[arg(long, default_value_t = 0)]
    presence_windows: usize,
    /// One calendar per agent (roster-{id}.ics) instead of one roster.ics.
    #[arg(long)]
    ics_per_agent: bool,
    /// Nothing on standard output or standard error except errors.
    #[arg(long)]
    quiet: bool,
    /// Print summary.json on standard output instead of the table.
    #[arg(long)]
    json: bool,
}

/// A spinner for the running stage, shown only after the stage has taken a second and only on
/// a terminal.
struct StageProgress {
    sender: Option<mpsc::Sender<Option<&'static str>>>,
    handle: Option<JoinHandle<()>>,
}

impl StageProgress {
    fn new(enabled: bool) -> StageProgress {
        if !enabled {
            return StageProgress {
                sender: None,
                handle: None,
            };
        }
        let (sender, receiver) = mpsc::channel::<Option<&'static str>>();
        let handle = std::thread::spawn(move || {
            let style = ProgressStyle::with_template("{spinner} {msg} ({elapsed})")
                .unwrap_or_else(|_| ProgressStyle::default_spinner());
            let mut current: Option<&'static str> = None;
            let mut bar: Option<ProgressBar> = None;
            loop {
                match receiver.recv_timeout(Duration::from_secs(1)) {
                    Ok(next) => {
                        if let Some(bar) = bar.take() {
                            bar.finish_and_clear();
                        }
                        current = next;
                        if next.is_none() {
                            return;
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Timeout) => {
                        if let (Some(stage), None) = (current, &bar) {
                            let spinner = ProgressBar::new_spinner();
                            spinner.set_style(style.clone());
                            spinner.set_message(stage);
                            spinner.enable_steady_tick(Duration::from_millis(120));
                            bar = Some(spinner);
                        }
                    }
                    Err(mpsc::RecvTimeoutError::Disconnected) => return,
                }
            }
        });
        StageProgress {
            sender: Some(sender),
            handle: Some(handle),
        }
    }

    fn start(&self, stage: Stage) {
        if let Some(sender) = &self.sender {
            let _ = sender.send(Some(stage.name()));
        }
    }

    fn finish(&mut self) {
        if let Some(sender) = self.sender.take() {
            let _ = sender.send(None);
        }
        if let Some(handle) = self.handle.take() {
            let _ = handle.join();
        }
    }
}

/// Runs `staffplan run`.
pub fn run(args: Args) -> Result<i32> {
    let mut settings = match &args.time_limit {
        Some(limit) => Settings::with_time_limit(parse_time_limit(limit)?),
        None => Settings::default(),
    };
    settings.schedule.presence_windows = args.presence_windows;
    settings.ics_per_agent = args.ics_per_agent;
    if args.scenario.len() > 1 || args.shard.is_some() {
        return run_many(&args, settings);
    }
    let scenario = Scenario::load(&args.scenario[0])?;
    if !args.quiet {
        super::common::print_warnings(&scenario);
    }
    let inputs = scenario.input_files();
    ensure_not_input(&args.out, &inputs)?;
    for name in [
        "forecast.csv",
        "requirements.csv",
        "roster.csv",
        "summary.json",
    ] {
        ensure_not_input(&args.out.join(name), &inputs)?;
    }
    let pipeline = Pipeline::new(&scenario, settings);
    let show_progress = !args.quiet && !args.json && std::io::stderr().is_terminal();
    let mut progress = StageProgress::new(show_progress);
    let result = match pipeline.run(&mut |stage| progress.start(stage)) {
        Ok(result) => result,
        Err(e) => {
            progress.finish();
            return Err(e);
        }
    };
    progress.start(Stage::Export);
    let written = write_outputs(&pipeline, &result, &args.out, Files::ALL, inputs);
    progress.finish();
    let written = written?;
    if args.json {
        let (summary, _) = summaries(&scenario, &result)?;
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Error::io(std::path::Path::new("stdout"), std::io::Error::other(e)))?;
        println!("{text}");
    } else if !args.quiet {
        print_summary(&scenario, &result, &args.out, &written);
    }
    Ok(report_violations(&result.violations()))
}

/// Several scenarios, each into `DIR/<file stem>/` exactly as alone; one table.
fn run_many(args: &Args, settings: Settings) -> Result<i32> {
    let shard = args.shard.as_deref().map(Shard::parse).transpose()?;
    let mut stems: Vec<String> = Vec::new();
    for path in &args.scenario {
        let stem = path
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        if let Some(first) = stems.iter().position(|s| *s == stem) {
            return Err(Error::input(
                "R1005",
                path.display().to_string(),
                format!(
                    "{} and {} would both write {}",
                    args.scenario[first].display(),
                    path.display(),
                    args.out.join(&stem).display()
                ),
                "rename one of the files (the folder is the file stem)",
            ));
        }
        stems.push(stem);
    }
    let tasks: Vec<_> = args
        .scenario
        .iter()
        .zip(&stems)
        .enumerate()
        .filter(|(k, _)| shard.is_none_or(|s| s.owns(*k)))
        .map(|(_, (path, stem))| {
            let settings = settings.clone();
            (
                stem.clone(),
                args.out.join(stem),
                move |dir: &std::path::Path| run_into(&Scenario::load(path)?, settings, dir),
            )
        })
        .collect();
    let bar = progress_bar(tasks.len(), args.quiet || args.json);
    let outcomes = run_tasks(tasks, &|| bar.inc(1));
    bar.finish_and_clear();
    if !args.quiet {
        let rows: Vec<FrontierRow> = outcomes
            .iter()
            .filter(|o| o.result.is_ok())
            .filter_map(|o| {
                let summary = read_summary(&o.dir).ok()?;
                Some(FrontierRow::from_summary(&o.name, Vec::new(), &summary))
            })
            .collect();
        print_table("scenario", &rows);
        for outcome in &outcomes {
            match &outcome.result {
                Ok(written) => {
                    println!("wrote {} files to {}", written.len(), outcome.dir.display())
                }
                Err(_) => println!("{}: failed (see the errors above)", outcome.name),
            }
        }
    }
    Ok(report_outcomes(&outcomes))
}

fn print_summary(
    scenario: &Scenario,
    result: &RunResult,
    out: &std::path::Path,
    written: &[PathBuf],
) {
    let Ok((summary, _)) = summaries(scenario, result) else {
        return;
    };
    let number = |key: &str, decimals: usize| {
        summary
            .get(key)
            .and_then(|v| v.as_f64())
            .map_or_else(|| "-".to_string(), |v| format_number(v, decimals))
    };
    let percent = |key: &str| {
        summary
            .get(key)
            .and_then(|v| v.as_f64())
            .map_or_else(|| "-".to_string(), |v| format!("{:.2} %", v * 100.0))
    };
    println!(
        "{} — {} days from {} ({}), {}-minute intervals",
        scenario.plan.name,
        scenario.plan.days,
        scenario.plan.start_date,
        scenario.plan.time_zone,
        scenario.plan.interval_minutes
    );
    for forecast in &result.volumes.forecasts {
        let wape = forecast
            .backtest
            .as_ref()
            .and_then(|b| b.scores.iter().find(|s| s.method == forecast.method))
            .map_or_else(String::new, |s| {
                format!(", backtest WAPE {:.1} %", s.accuracy.wape * 100.0)
            });
        println!(
            "  {:<22} {}: {}{wape}",
            "forecast",
            forecast.queue,
            forecast.method.name()
        );
    }
    if result.plan.is_some() {
        println!(
            "  {:<22} {} agent-hours on the queues, {} on shift after shrinkage",
            "required",
            number("required_on_queue_agent_hours", 1),
            number("required_agent_hours", 1)
        );
    } else {
        println!(
            "  {:<22} {} agent-hours on the queues",
            "required",
            number("required_on_queue_agent_hours", 1)
        );
    }
    // With cost terms the bound and gap refer to the total, and the total is what is shown.
    let cost_terms = summary.get("cost_terms").and_then(|t| {
        serde_json::from_value::<crate::schedule::cost_terms::CostTerms>(t.clone()).ok()
    });
    if result.plan.is_some() {
        let (label, cost) = match &cost_terms {
            Some(terms) => ("total cost", format_number(terms.total_cost, 2)),
            None => ("cost", number("cost", 2)),
        };
        println!(
            "  {:<22} {} (LP bound {}, gap {}, {})",
            label,
            cost,
            number("lower_bound_cost", 2),
            percent("gap"),
            summary
                .get("status")
                .and_then(|v| v.as_str())
                .unwrap_or("-")
        );
        if let Some(terms) = &cost_terms {
            println!("  {:<22} {}", "cost terms", terms.describe());
        }
    }
    if result.plan.is_some() {
        println!(
            "  {:<22} {} paid, {} on shift off break; efficiency {}",
            "agent-hours",
            number("paid_agent_hours", 1),
            number("scheduled_agent_hours", 1),
            percent("efficiency")
        );
        println!(
            "  {:<22} {} agent-hours understaffed in the plan",
            "shortfall",
            number("understaffed_agent_hours", 2)
        );
    }
    if let Some(planned) = result.plan.as_ref().and_then(|p| p.roster.as_ref()) {
        println!(
            "  {:<22} {} shifts for {} agents; {} agent-hours of shifts without an agent",
            "roster",
            planned.outcome.roster.assignments.len(),
            scenario.workforce.agents.len(),
            format_number(planned.outcome.shortfall_agent_hours(), 2),
        );
    }
    if let Some(evaluation) = &result.evaluation {
        for queue in &evaluation.queues {
            println!(
                "  {:<22} {}: {}{}",
                "weekly service level",
                queue.queue,
                queue
                    .week
                    .map_or_else(|| "-".into(), |v| format!("{:.1} %", v * 100.0)),
                queue
                    .target
                    .map_or_else(String::new, |t| format!(" (target {:.0} %)", t * 100.0))
            );
        }
    }
    if let Some(evaluation) = &result.evaluation {
        for goal in crate::evaluate::goal_outcomes(scenario, evaluation) {
            println!("  {:<22} {}", "service goal", goal.describe());
        }
    }
    for short in &result.capacity_shortfall {
        println!("  {:<22} {}", "capacity shortfall", short.describe());
    }
    for hint in &result.hiring_hint {
        println!("  {:<22} {}", "hiring hint", hint.describe());
    }
    if !result.whatif.is_empty() {
        println!();
        print!("{}", crate::whatif::format_table(scenario, &result.whatif));
    }
    if let Some(plan) = &result.plan {
        let report = &plan.schedule.report;
        for message in &report.solver_messages {
            eprintln!("warning: H2001 schedule: {message}");
        }
        if let Some(note) =
            crate::schedule::export::time_limit_note(report.time_limit_seconds, &report.budget_left)
        {
            eprintln!("warning: {note}");
        }
    }
    let names: Vec<String> = written
        .iter()
        .filter_map(|p| p.file_name().map(|n| n.to_string_lossy().into_owned()))
        .collect();
    println!(
        "wrote {} files to {}: {}",
        names.len(),
        out.display(),
        names.join(", ")
    );
}
