//! `staffplan check`: re-verifies a roster from `roster.csv` and the scenario alone (and the
//! coverage against `slots.csv` when it lies next to the roster), or a shift plan from
//! `shifts.csv` (templates, limits and coverage). Exit 1 on any violation.

use std::path::PathBuf;

use crate::check::roster::{CheckContext, check_shifts};
use crate::check::schedule::{PlanContext, check_schedule, read_shifts_csv};
use crate::error::{Error, Result};
use crate::export::roster_csv::read_roster_csv;
use crate::export::slots_csv::read_slots_csv;
use crate::pipeline::{Pipeline, Settings};
use crate::scenario::Scenario;
use crate::staffing::open_intervals;
use crate::units::format_number;

/// Arguments of `staffplan check`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Checks every rule: skill groups, availability, time off, one shift per \
    day, rest between shifts, consecutive days, days and paid hours per week, one block of days \
    off (when the rule is on), and, with slots.csv next to the roster, that every row is a \
    planned shift and no shift has more agents than planned.\n\n\
    Examples:\n  staffplan check scenarios/two-sites.toml out/roster.csv\n  \
    staffplan check scenarios/two-sites.toml out/roster.csv --json"
)]
pub struct Args {
    /// Scenario file (TOML) with the agents, time off and rules.
    scenario: PathBuf,
    /// The roster.csv (or shifts.csv) to check.
    roster: PathBuf,
    /// Print the report as JSON.
    #[arg(long)]
    json: bool,
}

/// Runs `staffplan check`.
pub fn run(args: Args) -> Result<i32> {
    let scenario = super::common::load_scenario(&args.scenario)?;
    let text = std::fs::read(&args.roster).map_err(|e| Error::io(&args.roster, e))?;
    let header = text.split(|&b| b == b'\n').next().unwrap_or_default();
    if header.starts_with(b"template,skill_group,") {
        return check_shift_plan(&scenario, &text, &args);
    }
    let workforce = &scenario.workforce;
    let zone_of = |id: &str| workforce.agent(id).map(|a| a.time_zone);
    let file = read_roster_csv(
        text.as_slice(),
        &args.roster.display().to_string(),
        &zone_of,
    )?;
    let slots_path = args
        .roster
        .parent()
        .map(|p| p.join("slots.csv"))
        .filter(|p| p.exists());
    let plan = match &slots_path {
        Some(path) => {
            let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
            Some(read_slots_csv(
                bytes.as_slice(),
                &path.display().to_string(),
            )?)
        }
        None => None,
    };
    let mut report = check_shifts(
        &file.shifts,
        &CheckContext {
            agents: &workforce.agents,
            time_off: &workforce.time_off,
            rules: &workforce.rules,
            horizon: &scenario.horizon,
            plan: plan.as_deref(),
        },
    );
    report.violations.extend(file.violations);
    report
        .violations
        .sort_by(|a, b| (&a.agent_id, a.line, a.kind).cmp(&(&b.agent_id, b.line, b.kind)));
    if args.json {
        let json = serde_json::to_string_pretty(&report)
            .map_err(|e| Error::io(&args.roster, std::io::Error::other(e)))?;
        println!("{json}");
    } else {
        for violation in &report.violations {
            println!("violation: {violation}");
        }
        for week in report.hours.iter().filter(|h| h.flag() == "under") {
            println!(
                "note: agent {} works {} paid hours in plan week {}, under the contract minimum \
                 {} (allowed, not a violation)",
                week.agent_id,
                format_number(week.paid_hours, 2),
                week.week + 1,
                format_number(week.min_hours, 2)
            );
        }
        match report.shortfall_agent_hours {
            Some(hours) => println!(
                "coverage: {} agent-hours of the shift plan not worked",
                format_number(hours, 2)
            ),
            None => println!("coverage: not checked (no slots.csv next to the roster)"),
        }
        println!(
            "{}: {} shifts, {} violation(s)",
            args.roster.display(),
            file.shifts.len(),
            report.violations.len()
        );
    }
    Ok(if report.violations.is_empty() { 0 } else { 1 })
}

/// `staffplan check S.toml shifts.csv`: the shift plan against the scenario's templates,
/// skill groups and limits, and its coverage against the scenario's requirement.
fn check_shift_plan(scenario: &Scenario, text: &[u8], args: &Args) -> Result<i32> {
    let pipeline = Pipeline::new(scenario, Settings::default());
    let volumes = pipeline.volumes()?;
    let requirements = pipeline.requirements(&volumes.volumes)?;
    let mut required = Pipeline::required_matrix(&requirements);
    for (queue, row) in scenario.queues.iter().zip(required.iter_mut()) {
        for (value, open) in row.iter_mut().zip(open_intervals(queue, &scenario.horizon)) {
            if !open {
                *value = 0;
            }
        }
    }
    let rows = read_shifts_csv(text, &args.roster.display().to_string())?;
    let report = check_schedule(
        &PlanContext {
            horizon: &scenario.horizon,
            cyclic: scenario.plan.cyclic,
            rules: &scenario.shifts,
            required: &required,
        },
        &rows,
    );
    let short = report.shortfall_agent_hours(&scenario.horizon);
    if args.json {
        let json = serde_json::json!({
            "violations": report.violations.iter().map(ToString::to_string).collect::<Vec<_>>(),
            "agent_shifts": report.agent_shifts,
            "cost": crate::evaluate::round(report.cost, 4),
            "understaffed_agent_hours": crate::evaluate::round(short, 3),
        });
        println!("{json:#}");
    } else {
        for violation in &report.violations {
            println!("violation: {violation}");
        }
        println!(
            "coverage: {} agent-hours of the requirement uncovered; cost {}",
            format_number(short, 2),
            format_number(report.cost, 2)
        );
        println!(
            "{}: {} agent-shifts, {} violation(s)",
            args.roster.display(),
            report.agent_shifts,
            report.violations.len()
        );
    }
    Ok(if report.violations.is_empty() { 0 } else { 1 })
}
