//! `staffplan sweep`: the same scenario at every combination of a few values (service-level
//! targets, shrinkage, AHT, volume, ...), each point a whole run into its own folder, and the
//! cost–service frontier of them all (`frontier.csv`, `frontier.html`). Also the view of
//! `staffplan run A.toml B.toml ...` (several scenarios side by side).

use std::path::{Path, PathBuf};

use indicatif::{ProgressBar, ProgressStyle};

use super::common::parse_time_limit;
use crate::error::{Diagnostics, Error, Result};
use crate::output::OutputSet;
use crate::pipeline::Settings;
use crate::pipeline::fanout::{
    FrontierRow, Point, Shard, TaskOutcome, cartesian, frontier_data, parse_vary, point_scenario,
    read_summary, run_into, run_tasks, write_frontier_csv,
};
use crate::report::render_frontier_html;
use crate::scenario::Scenario;

/// Arguments of `staffplan sweep`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "KEY is QUEUE_ID.FIELD (any [[queue]] key: service_level, answer_within, \
    shrinkage, aht, ...), plan.FIELD (a [plan] key) or volume (percent of the forecast, 90%, or a \
    change, +10%). Several --vary make every combination, the first varying slowest. Each point \
    is a whole run written to DIR/KEY=VALUE,.../ (the files of `staffplan run`); DIR/frontier.csv \
    and DIR/frontier.html show cost against weekly service level and paid agent-hours.\n\n\
    Points run in parallel (RAYON_NUM_THREADS sets the threads; results do not depend on it). \
    On a batch engine, give each task --shard K/N (its index + 1 of N) with the same --out on a \
    shared folder, then run once more with --collect.\n\n\
    Examples:\n  staffplan sweep scenarios/reference-week.toml --vary voice.service_level=0.70,0.75,0.80,0.85 --out out/sl\n  \
    staffplan sweep S.toml --vary voice.shrinkage=0.30,0.35 --vary volume=90%,100%,110% --out out/sweep\n  \
    staffplan sweep S.toml --vary voice.service_level=0.7,0.8 --out out/sweep --shard 2/2\n  \
    staffplan sweep S.toml --vary voice.service_level=0.7,0.8 --out out/sweep --collect"
)]
pub struct Args {
    /// Scenario file (TOML).
    scenario: PathBuf,
    /// KEY=V1,V2,... (repeatable).
    #[arg(
        long,
        required = true,
        value_name = "KEY=V1,V2,...",
        allow_hyphen_values = true
    )]
    vary: Vec<String>,
    /// Output directory (one folder per point, the frontier files).
    #[arg(long)]
    out: PathBuf,
    /// Run only the K-th of N shares of the points (1-based).
    #[arg(long, value_name = "K/N")]
    shard: Option<String>,
    /// Write frontier.csv and frontier.html from the points' folders, solving nothing.
    #[arg(long)]
    collect: bool,
    /// Wall-clock cap on each schedule solve ("10m"); none by default (every phase has a
    /// budget of work, so the points are the same on any machine).
    #[arg(long)]
    time_limit: Option<String>,
    /// No progress bar and no table.
    #[arg(long)]
    quiet: bool,
}

/// A progress bar over tasks on standard error (hidden with `--quiet` or off a terminal).
pub(crate) fn progress_bar(tasks: usize, quiet: bool) -> ProgressBar {
    if quiet {
        return ProgressBar::hidden();
    }
    let bar = ProgressBar::new(tasks as u64);
    if let Ok(style) = ProgressStyle::with_template("{bar:30} {pos}/{len} runs ({elapsed})") {
        bar.set_style(style);
    }
    bar
}

/// Prints the one-row-per-task table.
pub(crate) fn print_table(title: &str, rows: &[FrontierRow]) {
    println!(
        "{:<28} {:>12} {:>10}  {:<40} {:<26} status",
        title, "cost", "paid h", "weekly SL", "worst day"
    );
    for row in rows {
        let sl: Vec<String> = row
            .queues
            .iter()
            .map(|q| {
                format!(
                    "{} {}",
                    q.queue,
                    q.week
                        .map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0))
                )
            })
            .collect();
        let worst = row
            .queues
            .iter()
            .filter_map(|q| Some((q.worst_day?, q.worst_date.clone()?, &q.queue)))
            .min_by(|a, b| a.0.total_cmp(&b.0))
            .map_or_else(
                || "-".to_string(),
                |(v, date, queue)| format!("{queue} {date} {:.1}%", v * 100.0),
            );
        let number = |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{v:.2}"));
        println!(
            "{:<28} {:>12} {:>10}  {:<40} {:<26} {}",
            row.name,
            number(row.cost),
            number(row.paid_agent_hours),
            sl.join(", "),
            worst,
            row.status
        );
    }
}

/// Prints each failed task's errors with its name; the exit code of the whole: 2 when a task
/// failed, 1 when a checker found a rule broken, else 0.
pub(crate) fn report_outcomes(outcomes: &[TaskOutcome]) -> i32 {
    let mut code = 0;
    for outcome in outcomes {
        match &outcome.result {
            Err(error) => {
                for diagnostic in error.diagnostics() {
                    eprintln!("error: {}: {diagnostic}", outcome.name);
                }
                code = 2;
            }
            Ok(_) => {
                for violation in &outcome.violations {
                    eprintln!("error: {}: checker: {violation}", outcome.name);
                }
                if !outcome.violations.is_empty() && code == 0 {
                    code = 1;
                }
            }
        }
    }
    code
}

/// Runs `staffplan sweep`.
pub fn run(args: Args) -> Result<i32> {
    let settings = match &args.time_limit {
        Some(limit) => Settings::with_time_limit(parse_time_limit(limit)?),
        None => Settings::default(),
    };
    let text = crate::csvio::read_text_file(&args.scenario, "S1020")?;
    let scenario = Scenario::load(&args.scenario)?;
    let mut errors = Diagnostics::new();
    let varies: Vec<_> = args
        .vary
        .iter()
        .filter_map(|v| match parse_vary(v, &scenario) {
            Ok(vary) => Some(vary),
            Err(d) => {
                errors.push(d.code, d.place, d.cause, d.fix);
                None
            }
        })
        .collect();
    let shard = args.shard.as_deref().map(Shard::parse).transpose();
    if let Err(e) = &shard {
        for d in e.diagnostics() {
            errors.push(d.code, d.place, d.cause, d.fix);
        }
    }
    errors.check()?;
    let shard = shard?;
    let points = cartesian(&varies);
    // Every point is checked before anything is written.
    let mut prepared = Vec::new();
    for point in &points {
        match point_scenario(&args.scenario, &text, point, &settings) {
            Ok(ready) => prepared.push(Some(ready)),
            Err(e) => {
                errors.absorb(e)?;
                prepared.push(None);
            }
        }
    }
    errors.check()?;
    crate::output::ensure_not_input(&args.out, &scenario.input_files())?;
    if args.collect {
        return collect(&scenario, &points, &args.out, args.quiet);
    }
    let tasks: Vec<_> = points
        .iter()
        .zip(prepared)
        .enumerate()
        .filter(|(k, _)| shard.is_none_or(|s| s.owns(*k)))
        .filter_map(|(_, (point, ready))| {
            let (point_scenario, point_settings) = ready?;
            Some((
                point.name(),
                args.out.join(point.name()),
                move |dir: &Path| run_into(&point_scenario, point_settings, dir),
            ))
        })
        .collect();
    let bar = progress_bar(tasks.len(), args.quiet);
    let outcomes = run_tasks(tasks, &|| bar.inc(1));
    bar.finish_and_clear();
    let code = report_outcomes(&outcomes);
    if code == 2 {
        return Ok(code);
    }
    match shard {
        Some(s) if s.count > 1 => {
            if !args.quiet {
                println!(
                    "shard {}/{}: {} of {} points written to {}; run every shard, then the same \
                     command with --collect for the frontier",
                    s.index,
                    s.count,
                    outcomes.len(),
                    points.len(),
                    args.out.display()
                );
            }
            Ok(code)
        }
        _ => Ok(collect(&scenario, &points, &args.out, args.quiet)?.max(code)),
    }
}

/// Reads every point's `summary.json` and writes `frontier.csv` and `frontier.html` (R1004
/// when a point is missing; nothing written then).
fn collect(scenario: &Scenario, points: &[Point], out: &Path, quiet: bool) -> Result<i32> {
    let missing: Vec<String> = points
        .iter()
        .map(Point::name)
        .filter(|name| !out.join(name).join("summary.json").exists())
        .collect();
    if !missing.is_empty() {
        return Err(Error::input(
            "R1004",
            out.display().to_string(),
            format!(
                "{} of {} points have no summary.json: {}",
                missing.len(),
                points.len(),
                crate::error::echo(&missing.join(", "))
            ),
            "run the shards that write them (or the sweep without --shard), then --collect",
        ));
    }
    let mut rows = Vec::new();
    for point in points {
        let summary = read_summary(&out.join(point.name()))?;
        rows.push(FrontierRow::from_summary(
            &point.name(),
            point.values.clone(),
            &summary,
        ));
    }
    let mut set = OutputSet::new(scenario.input_files());
    set.stage(&out.join("frontier.csv"), |w| write_frontier_csv(w, &rows))?;
    let html = render_frontier_html(&frontier_data(scenario, &rows));
    set.stage(&out.join("frontier.html"), |w| {
        w.write_all(html.as_bytes())
            .map_err(|e| Error::io(Path::new("frontier.html"), e))
    })?;
    set.commit()?;
    if !quiet {
        print_table("point", &rows);
        println!(
            "wrote {} and {}",
            out.join("frontier.csv").display(),
            out.join("frontier.html").display()
        );
    }
    Ok(0)
}
