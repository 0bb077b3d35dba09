//! `staffplan roster`: the pipeline's staffing, schedule and roster stages. When
//! the agents cannot staff the plan, the plan is made again with the requirement capped by
//! how many agents are available in each interval, and the roster is made for that plan; what
//! is still missing is reported (shortfall.csv, summary and standard output). The re-plan also
//! starts at most as many shifts a day as the agents' weekly day limits allow on average
//! (`max_headcount_per_day`), the scheduler's existing hook.

use std::path::PathBuf;

use super::common::{parse_time_limit, report_violations};
use crate::error::{Error, Result};
use crate::output::ensure_not_input;
use crate::pipeline::outputs::{Files, write_outputs};
use crate::pipeline::{Pipeline, PlanCoverage, PlannedRoster, RunResult, Settings};
use crate::scenario::Scenario;
use crate::units::format_number;

/// Arguments of `staffplan roster`.
#[derive(Debug, clap::Args)]
#[command(
    after_help = "Writes shifts.csv, coverage.csv (the shift plan), slots.csv (one row \
    per agent's worth of it), roster.csv (one row per agent per shift, for HR), \
    agent_hours.csv, shortfall.csv, roster.ics (or one .ics per agent) and summary.json \
    (roster_shortfall_agent_hours: on-duty agent-hours of the plan no agent works). The roster \
    is re-checked from roster.csv before it is written; exit 1 if a rule is broken.\n\n\
    Examples:\n  staffplan roster scenarios/two-sites.toml --out out/two-sites\n  \
    staffplan roster scenarios/two-sites.toml --out out/two-sites --ics-per-agent\n  \
    staffplan check scenarios/two-sites.toml out/two-sites/roster.csv"
)]
pub struct Args {
    /// Scenario file (TOML) with [[shift]] templates and agents.
    scenario: PathBuf,
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
    /// Nothing on standard output.
    #[arg(long)]
    quiet: bool,
}

/// Runs `staffplan roster`.
pub fn run(args: Args) -> Result<i32> {
    let mut settings = match &args.time_limit {
        Some(limit) => Settings::with_time_limit(parse_time_limit(limit)?),
        None => Settings::default(),
    };
    settings.schedule.presence_windows = args.presence_windows;
    settings.ics_per_agent = args.ics_per_agent;
    let scenario = super::common::load_scenario(&args.scenario)?;
    if scenario.shifts.templates.is_empty() {
        return Err(Error::input(
            "H1001",
            format!("{} [[shift]]", args.scenario.display()),
            "the scenario defines no shift templates",
            "add at least one [[shift]] with name, length and start_window",
        ));
    }
    if scenario.workforce.agents.is_empty() {
        return Err(Error::input(
            "A1014",
            args.scenario.display().to_string(),
            "the scenario names no agents",
            "add agents = \"agents.csv\" or [[agent]] tables",
        ));
    }
    let inputs = scenario.input_files();
    for name in ["shifts.csv", "coverage.csv", "roster.csv", "summary.json"] {
        ensure_not_input(&args.out.join(name), &inputs)?;
    }
    let pipeline = Pipeline::new(&scenario, settings);
    let volumes = pipeline.volumes()?;
    let requirements = pipeline.requirements(&volumes.volumes)?;
    let goals = pipeline.service_goals(&volumes.volumes, &requirements)?;
    let plan = pipeline.plan(Pipeline::required_matrix(&requirements), goals.as_ref())?;
    let Some(planned) = plan.roster.clone() else {
        return Err(Error::input(
            "A1014",
            args.scenario.display().to_string(),
            "the scenario names no agents",
            "add agents = \"agents.csv\" or [[agent]] tables",
        ));
    };
    // Check the plan and the roster as they will be read, before anything is written.
    let schedule_check = pipeline.check_schedule(&plan)?;
    let check = pipeline.check_roster(&planned.outcome.roster, Some(&plan.slots))?;
    let result = RunResult {
        requirements,
        coverage: Some(PlanCoverage::of_plan(&plan)),
        plan: Some(plan),
        schedule_check: Some(schedule_check),
        check: Some(check),
        ..RunResult::default()
    };
    write_outputs(&pipeline, &result, &args.out, Files::PARTS, inputs)?;

    if !args.quiet {
        print_roster(&scenario, &result, &planned);
        println!("wrote {}", args.out.display());
    }
    if let Some(plan) = &result.plan {
        let report = &plan.schedule.report;
        if let Some(note) =
            crate::schedule::export::time_limit_note(report.time_limit_seconds, &report.budget_left)
        {
            eprintln!("warning: {note}");
        }
    }
    Ok(report_violations(&result.violations()))
}

fn print_roster(scenario: &Scenario, result: &RunResult, planned: &PlannedRoster) {
    let outcome = &planned.outcome;
    let slots = result.plan.as_ref().map_or(0, |p| p.slots.len());
    let status = result
        .plan
        .as_ref()
        .map_or("-", |p| p.schedule.report.status.as_str());
    println!(
        "{}: {} agent-shifts planned ({}), {} named agents",
        scenario.plan.name,
        slots,
        status,
        scenario.workforce.agents.len()
    );
    if planned.tightening_rounds > 0 {
        println!(
            "  the roster could not staff the first plan within the agents' supply; planned \
             again {} time(s) with the day limits lowered to what the agents staffed",
            planned.tightening_rounds
        );
    }
    let working: std::collections::BTreeSet<&str> = outcome
        .roster
        .assignments
        .iter()
        .map(|a| a.agent_id.as_str())
        .collect();
    let under = result.check.as_ref().map_or(0, |c| {
        c.hours.iter().filter(|h| h.flag() == "under").count()
    });
    println!(
        "  {} shifts assigned to {} agents; {} agent-hours of the plan unstaffed; {} agent-weeks \
         under the contract minimum",
        outcome.roster.assignments.len(),
        working.len(),
        format_number(outcome.shortfall_agent_hours(), 2),
        under
    );
    for s in &outcome.shortfall {
        println!(
            "    missing {} × {} {} {}: {} agents have the skill, {} unavailable, {} on time \
             off, {} at a limit (rest, days, hours)",
            s.missing,
            s.skill_group,
            s.template,
            crate::time::format_local(s.start, scenario.horizon.zone()),
            s.with_skill,
            s.unavailable,
            s.on_time_off,
            s.at_limit
        );
    }
}
