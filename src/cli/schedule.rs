//! `staffplan schedule`: the cheapest week of shifts, breaks included, that covers the
//! requirement; writes shifts.csv, coverage.csv and summary.json and checks them.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use crate::error::{Error, Result};
use crate::output::{OutputSet, ensure_not_input};
use crate::scenario::Scenario;
use crate::schedule::{
    self, Backend, Method, Progress, ScheduleInput, ScheduleOptions, check, export,
};
use crate::staffing;
use crate::units::{parse_duration, parse_fraction};

/// Arguments of `staffplan schedule`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan schedule scenarios/reference-week.toml --out out/week\n  \
    staffplan schedule scenarios/reference-week.toml --out out/week --time-limit 30s --gap 0.05%\n  \
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
    /// Wall-clock budget for the whole solve. On weeks solved by the local search, each 1.5 s
    /// beyond 10 s buys one more eight-hour presence window (a fixed amount of work, so a
    /// given limit gives the same plan on every run unless the limit itself binds).
    #[arg(long, default_value = "10s")]
    time_limit: String,
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
    let seconds = parse_duration(&args.time_limit)
        .map_err(|cause| option_error("time-limit", cause, "write e.g. --time-limit 10s"))?;
    if !(seconds > 0.0 && seconds <= 86_400.0) {
        return Err(option_error(
            "time-limit",
            format!("{} is outside (0, 1 day]", args.time_limit),
            "write e.g. --time-limit 10s",
        ));
    }
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
                format!("unknown method {other:?}"),
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
                format!("solver {name:?} is not available in this build"),
                &format!(
                    "use one of {} (HiGHS needs a build with --features highs)",
                    names.join(", ")
                ),
            )
        })?,
    };
    Ok(ScheduleOptions {
        time_limit: Duration::from_secs_f64(seconds),
        gap,
        method,
        backend,
        progress: None,
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
    let scenario = Scenario::load(&args.scenario)?;
    if scenario.shifts.templates.is_empty() {
        return Err(Error::input(
            "H1001",
            format!("{} [[shift]]", args.scenario.display()),
            "the scenario defines no shift templates",
            "add at least one [[shift]] with name, length and start_window (see `staffplan \
             explain H1001`)",
        ));
    }
    let mut inputs = scenario.input_files();
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
            let volumes = staffing::load_volumes(&scenario)?;
            let requirements = staffing::requirements(&scenario, &volumes)?;
            requirements
                .iter()
                .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
                .collect()
        }
    };
    let targets = ["shifts.csv", "coverage.csv", "summary.json"].map(|f| args.out.join(f));
    for target in &targets {
        ensure_not_input(target, &inputs)?;
    }
    let input = ScheduleInput::new(&scenario, required);

    let show_progress = !args.quiet && std::io::stderr().is_terminal();
    let progress = Progress::default();
    options.progress = Some(progress.clone());
    let done = Arc::new(AtomicBool::new(false));
    let handle = show_progress.then(|| spawn_progress(progress, done.clone()));
    let result = schedule::schedule(&input, &options);
    done.store(true, Ordering::Relaxed);
    if let Some(handle) = handle {
        let _ = handle.join();
    }
    let plan = result?;

    let rows = export::shift_rows(&input, &plan);
    let mut shifts_csv = Vec::new();
    export::write_shifts_csv(&mut shifts_csv, &rows)?;
    // The checker re-reads what is about to be written.
    let read_back = check::read_shifts_csv(&shifts_csv[..], "shifts.csv")?;
    let report = check::check_schedule(&input, &read_back);
    let summary = export::summary(&input, &scenario.plan.name, &plan, rows.len());

    std::fs::create_dir_all(&args.out).map_err(|e| Error::io(&args.out, e))?;
    let mut outputs = OutputSet::new(inputs);
    outputs.stage(&targets[0], |w| {
        w.write_all(&shifts_csv)
            .map_err(|e| Error::io(&targets[0], e))
    })?;
    outputs.stage(&targets[1], |w| {
        export::write_coverage_csv(w, &input, &plan.coverage)
    })?;
    outputs.stage(&targets[2], |w| export::write_summary_json(w, &summary))?;
    outputs.commit()?;

    if !args.quiet {
        print_summary(&summary, &args);
    }
    for message in &summary.solver_messages {
        eprintln!("warning: H2001 schedule: {message}");
    }
    if !report.violations.is_empty() {
        for violation in &report.violations {
            eprintln!("error: checker: {violation}");
        }
        return Ok(1);
    }
    Ok(0)
}

fn print_summary(summary: &export::Summary, args: &Args) {
    let bound = summary
        .lower_bound_cost
        .map_or_else(|| "n/a".to_string(), |b| format!("{b:.2}"));
    let gap = summary
        .gap
        .map_or_else(|| "n/a".to_string(), |g| format!("{:.3} %", g * 100.0));
    println!(
        "{}: {} ({}, {}) in {:.2}s",
        summary.plan, summary.status, summary.solver, summary.source, summary.solve_seconds
    );
    println!("  cost {:.2}   LP bound {bound}   gap {gap}", summary.cost);
    println!(
        "  {} agent-shifts, paid {:.1} h; required {:.1} h, on queue {:.1} h, efficiency {:.1} %",
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
                crate::staffing::format_number(run.missing_agents, 2),
                run.explanation
            );
        }
    }
    println!("wrote {}", args.out.display());
}
