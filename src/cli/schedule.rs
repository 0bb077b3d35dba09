//! `staffplan schedule`: the cheapest week of shifts, breaks included, that covers the
//! requirement; writes shifts.csv, coverage.csv and summary.json and checks them.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use super::common::{parse_time_limit, report_violations};
use crate::error::{Error, Result};
use crate::output::ensure_not_input;
use crate::pipeline::outputs::{Files, write_outputs};
use crate::pipeline::{Pipeline, PlanCoverage, RunResult, Settings};
use crate::schedule::{self, Backend, Method, Progress, ScheduleOptions, export};
use crate::units::parse_fraction;

/// Arguments of `staffplan schedule`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan schedule scenarios/reference-week.toml --out out/week\n  \
    staffplan schedule scenarios/reference-week.toml --out out/week --gap 0.05% --presence-windows 20\n  \
    staffplan staff scenarios/small-call-center.toml -o req.csv && \\\n    \
    staffplan schedule scenarios/small-call-center.toml --requirements req.csv --out out/small\n\n\
The requirement covered is agents on shift and not on break per interval (the staffing's \
scheduled_agents). Exit code 1 when the checker finds a rule broken (a bug worth reporting).")]
pub struct Args {
    /// Scenario file (TOML) with [[shift]] templates.
    scenario: PathBuf,
    /// Directory for shifts.csv, coverage.csv and summary.json.
    #[arg(long)]
    out: PathBuf,
    /// Wall-clock cap on the whole solve ("10m"); none by default. Every phase has a budget of
    /// work (iterations, moves, nodes, windows), so without a cap the same input gives the same
    /// plan on any machine and under any load; a cap that cuts a phase sets the status to
    /// time_limit, and the summary (budget_left) and this command say what was left.
    #[arg(long)]
    time_limit: Option<String>,
    /// Eight-hour presence windows re-planned after the start windows on weeks solved by the
    /// local search: every agent on shift in the window re-planned at once, about a second of
    /// work each on the five-queue week (0 by default).
    #[arg(long, default_value_t = 0)]
    presence_windows: usize,
    /// Relative gap to the LP bound at which the MIP may stop.
    #[arg(long, default_value = "0.1%")]
    gap: String,
    /// mip (LP bound, rounding, then the exact pattern MIP when break patterns are few, else
    /// the weighted local search or ruin-and-recreate), implicit-mip (the MIP with break
    /// variables), rounding (LP bound and rounding with repair only) or search (the local
    /// search whatever the size).
    #[arg(long, default_value = "mip")]
    method: String,
    /// LP/MIP backend: microlp, or highs when built with --features highs.
    #[arg(long)]
    solver: Option<String>,
    /// Take the requirement from this requirements.csv (as written by `staffplan staff`)
    /// instead of computing it from the scenario's forecasts.
    #[arg(long)]
    requirements: Option<PathBuf>,
    /// No progress line and no summary on standard output.
    #[arg(long)]
    quiet: bool,
}

fn option_error(flag: &str, cause: String, fix: &str) -> Error {
    Error::input("H2003", format!("--{flag}"), cause, fix)
}

fn parse_options(args: &Args) -> Result<ScheduleOptions> {
    let time_limit = args
        .time_limit
        .as_deref()
        .map(parse_time_limit)
        .transpose()?;
    let gap = parse_fraction(&args.gap)
        .map_err(|cause| option_error("gap", cause, "write e.g. --gap 0.1%"))?;
    if !(0.0..=1.0).contains(&gap) {
        return Err(option_error(
            "gap",
            format!("{} is outside 0..100 %", args.gap),
            "write e.g. --gap 0.1%",
        ));
    }
    let method = match args.method.as_str() {
        "mip" => Method::Mip,
        "implicit-mip" => Method::ImplicitMip,
        "rounding" => Method::Rounding,
        "search" => Method::Search,
        other => {
            return Err(option_error(
                "method",
                format!("unknown method {}", crate::error::echo(other)),
                "use --method mip, implicit-mip, rounding or search",
            ));
        }
    };
    let backend = match &args.solver {
        None => Backend::default(),
        Some(name) => Backend::parse(name).ok_or_else(|| {
            let names: Vec<&str> = Backend::available().iter().map(Backend::name).collect();
            option_error(
                "solver",
                format!(
                    "solver {} is not available in this build",
                    crate::error::echo(name)
                ),
                &format!(
                    "use one of {} (HiGHS needs a build with --features highs)",
                    names.join(", ")
                ),
            )
        })?,
    };
    Ok(ScheduleOptions {
        time_limit,
        gap,
        method,
        backend,
        progress: None,
        presence_windows: args.presence_windows,
        mip_node_factor: 1.0,
    })
}

/// Prints `[schedule] phase  1.2s` on stderr while a solve runs longer than a second.
fn spawn_progress(progress: Progress, done: Arc<AtomicBool>) -> std::thread::JoinHandle<()> {
    std::thread::spawn(move || {
        let mut shown = false;
        while !done.load(Ordering::Relaxed) {
            std::thread::sleep(Duration::from_millis(100));
            let (phase, elapsed) = progress.current();
            if elapsed >= Duration::from_secs(1) && !done.load(Ordering::Relaxed) {
                eprint!(
                    "\r\x1b[2K[schedule] {phase} … {:.1}s",
                    elapsed.as_secs_f64()
                );
                shown = true;
            }
        }
        if shown {
            eprint!("\r\x1b[2K");
        }
    })
}

/// Runs `staffplan schedule`.
pub fn run(args: Args) -> Result<i32> {
    let mut options = parse_options(&args)?;
    let scenario = super::common::load_scenario(&args.scenario)?;
    if scenario.shifts.templates.is_empty() {
        return Err(Error::input(
            "H1001",
            format!("{} [[shift]]", args.scenario.display()),
            "the scenario defines no shift templates",
            "add at least one [[shift]] with name, length and start_window (see `staffplan \
             explain H1001`)",
        ));
    }
    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let progress = Progress::default();
    options.progress = Some(progress.clone());
    let pipeline = Pipeline::new(
        &scenario,
        Settings {
            schedule: options,
            ..Settings::default()
        },
    );
    let mut inputs = scenario.input_files();
    let mut result = RunResult::default();
    let mut goals = None;
    let required = match &args.requirements {
        Some(path) => {
            inputs.push(path.clone());
            let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
            let queues: Vec<String> = scenario.queues.iter().map(|q| q.id.clone()).collect();
            schedule::read_requirements_csv(
                std::io::BufReader::new(file),
                &path.display().to_string(),
                &scenario.horizon,
                &queues,
            )?
        }
        None => {
            let volumes = pipeline.volumes()?;
            result.requirements = pipeline.requirements(&volumes.volumes)?;
            goals = pipeline.service_goals(&volumes.volumes, &result.requirements)?;
            Pipeline::required_matrix(&result.requirements)
        }
    };
    for name in ["shifts.csv", "coverage.csv", "summary.json", "timings.json"] {
        ensure_not_input(&args.out.join(name), &inputs)?;
    }
    let done = Arc::new(AtomicBool::new(false));
    let handle = show_progress.then(|| spawn_progress(progress, done.clone()));
    let plan = pipeline.schedule(required, goals.as_ref());
    done.store(true, Ordering::Relaxed);
    if let Some(handle) = handle {
        let _ = handle.join();
    }
    let plan = plan?;
    result.schedule_check = Some(pipeline.check_schedule(&plan)?);
    let input = plan.input(&scenario);
    let summary = export::summary(
        &input,
        &plan.schedule,
        export::shift_rows(&input, &plan.schedule).len(),
    );
    result.coverage = Some(PlanCoverage::of_plan(&plan));
    result.plan = Some(plan);
    write_outputs(&pipeline, &result, &args.out, Files::PARTS, inputs)?;
    if !args.quiet {
        print_summary(&scenario.plan.name, &summary, &args);
    }
    for message in &summary.solver_messages {
        eprintln!("warning: H2001 schedule: {message}");
    }
    if let Some(note) = export::time_limit_note(summary.time_limit_seconds, &summary.budget_left) {
        eprintln!("warning: {note}");
    }
    let violations = result
        .schedule_check
        .as_ref()
        .map_or(&[][..], |c| c.violations.as_slice());
    Ok(report_violations(violations))
}

fn print_summary(plan: &str, summary: &export::Summary, args: &Args) {
    let bound = summary
        .lower_bound_cost
        .map_or_else(|| "n/a".to_string(), |b| format!("{b:.2}"));
    let gap = summary
        .gap
        .map_or_else(|| "n/a".to_string(), |g| format!("{:.3} %", g * 100.0));
    println!(
        "{}: {} ({}, {}) in {:.2}s",
        plan, summary.status, summary.solver, summary.source, summary.solve_seconds
    );
    match &summary.cost_terms {
        Some(terms) => {
            println!(
                "  total cost {:.2}   LP bound {bound}   gap {gap}",
                terms.total_cost
            );
            println!("  {}", terms.describe());
        }
        None => println!("  cost {:.2}   LP bound {bound}   gap {gap}", summary.cost),
    }
    println!(
        "  {} agent-shifts, paid {:.1} h; required on shift {:.1} h, scheduled {:.1} h, \
         efficiency {:.1} %",
        summary.agent_shifts,
        summary.paid_agent_hours,
        summary.required_agent_hours,
        summary.scheduled_agent_hours,
        summary.efficiency * 100.0
    );
    if summary.understaffed_agent_hours > 0.0 {
        println!(
            "  understaffed {:.2} agent-hours:",
            summary.understaffed_agent_hours
        );
        for run in &summary.shortfall {
            println!(
                "    {} {} .. {}: up to {} agents short — {}",
                run.queue,
                run.from,
                run.to,
                crate::units::format_number(run.missing_agents, 2),
                run.explanation
            );
        }
    }
    println!("wrote {}", args.out.display());
}
