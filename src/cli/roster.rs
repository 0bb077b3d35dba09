//! `staffplan roster`: staff → schedule → one slot per scheduled agent → named agents. When
//! the agents cannot staff the plan, the plan is made again with the requirement capped by
//! how many agents are available in each interval, and the roster is made for that plan; what
//! is still missing is reported (shortfall.csv, summary and standard output). The re-plan also
//! starts at most as many shifts a day as the agents' weekly day limits allow on average
//! (`max_headcount_per_day`), the scheduler's existing hook.

use std::path::PathBuf;
use std::time::Duration;

use crate::error::{Error, Result};
use crate::export::{RosterOutputs, write_roster_outputs};
use crate::output::{OutputSet, ensure_not_input};
use crate::roster::plan::plan_roster;
use crate::scenario::Scenario;
use crate::schedule::{ScheduleOptions, export};
use crate::staffing::{self, format_number};
use crate::units::parse_duration;

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
    /// Wall-clock budget of each schedule solve.
    #[arg(long, default_value = "10s")]
    time_limit: String,
    /// One calendar per agent (roster-{id}.ics) instead of one roster.ics.
    #[arg(long)]
    ics_per_agent: bool,
    /// Keep the first plan even when the agents cannot staff it.
    #[arg(long)]
    no_replan: bool,
    /// Nothing on standard output.
    #[arg(long)]
    quiet: bool,
}

/// Runs `staffplan roster`.
pub fn run(args: Args) -> Result<i32> {
    let seconds = parse_duration(&args.time_limit)
        .ok()
        .filter(|s| *s > 0.0 && *s <= 86_400.0)
        .ok_or_else(|| {
            Error::input(
                "H2003",
                "--time-limit",
                format!("{:?} is not a duration in (0, 1 day]", args.time_limit),
                "write e.g. --time-limit 10s",
            )
        })?;
    let options = ScheduleOptions {
        time_limit: Duration::from_secs_f64(seconds),
        ..ScheduleOptions::default()
    };
    let scenario = Scenario::load(&args.scenario)?;
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
    let schedule_files = ["shifts.csv", "coverage.csv", "summary.json"].map(|f| args.out.join(f));
    for target in &schedule_files {
        ensure_not_input(target, &inputs)?;
    }
    let volumes = staffing::load_volumes(&scenario)?;
    let requirements = staffing::requirements(&scenario, &volumes)?;
    let required: Vec<Vec<u32>> = requirements
        .iter()
        .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
        .collect();
    let planned = plan_roster(&scenario, required, &options, !args.no_replan)?;
    let input = planned.input(&scenario);
    let (plan, slots, outcome) = (&planned.schedule, &planned.slots, &planned.outcome);
    let (replanned, capped_hours, first_shortfall, per_day) = (
        planned.replanned,
        planned.capped_agent_hours,
        planned.first_plan_shortfall_agent_hours,
        planned.replan_shifts_per_day,
    );
    let w = &scenario.workforce;

    // Check the roster as HR will read it, before anything is written.
    let report = crate::pipeline::check_roster(&scenario, outcome, slots)?;

    let rows = export::shift_rows(&input, plan);
    let schedule_summary = export::summary(&input, &scenario.plan.name, plan, rows.len());
    let roster_summary = write_roster_outputs(&RosterOutputs {
        out_dir: &args.out,
        inputs: &inputs,
        horizon: &scenario.horizon,
        agents: &w.agents,
        slots,
        outcome,
        ics_per_agent: args.ics_per_agent,
        calendar_name: &scenario.plan.name,
    })?;
    let mut summary = serde_json::to_value(&schedule_summary)
        .map_err(|e| Error::io(&schedule_files[2], std::io::Error::other(e)))?;
    let roster_value = serde_json::to_value(&roster_summary)
        .map_err(|e| Error::io(&schedule_files[2], std::io::Error::other(e)))?;
    if let (Some(map), Some(extra)) = (summary.as_object_mut(), roster_value.as_object()) {
        for (key, value) in extra {
            map.insert(key.clone(), value.clone());
        }
        map.insert("roster_replanned".into(), replanned.into());
        map.insert(
            "roster_requirement_capped_agent_hours".into(),
            serde_json::json!(capped_hours),
        );
        map.insert(
            "roster_first_plan_shortfall_agent_hours".into(),
            serde_json::json!(first_shortfall),
        );
        map.insert(
            "roster_violations".into(),
            serde_json::json!(report.violations.len()),
        );
    }
    let mut outputs = OutputSet::new(inputs);
    outputs.stage(&schedule_files[0], |w| export::write_shifts_csv(w, &rows))?;
    outputs.stage(&schedule_files[1], |w| {
        export::write_coverage_csv(w, &input, &plan.coverage)
    })?;
    outputs.stage(&schedule_files[2], |w| {
        let text = serde_json::to_string_pretty(&summary)
            .map_err(|e| Error::io(&schedule_files[2], std::io::Error::other(e)))?;
        writeln!(w, "{text}").map_err(|e| Error::io(&schedule_files[2], e))
    })?;
    outputs.commit()?;

    if !args.quiet {
        println!(
            "{}: {} agent-shifts planned ({}), {} named agents",
            scenario.plan.name,
            slots.len(),
            schedule_summary.status,
            w.agents.len()
        );
        if replanned {
            println!(
                "  the agents could not staff the first plan ({} agent-hours short); re-planned \
                 with the requirement capped by availability ({} agent-hours of requirement no \
                 available agent can cover) and at most {per_day} shifts a day",
                format_number(first_shortfall.unwrap_or(0.0), 2),
                format_number(capped_hours, 2)
            );
        }
        println!(
            "  {} shifts assigned to {} agents; {} agent-hours of the plan unstaffed; {} agent-weeks \
             under the contract minimum",
            roster_summary.roster_assignments,
            roster_summary.roster_agents_working,
            format_number(roster_summary.roster_shortfall_agent_hours, 2),
            roster_summary.roster_weeks_under_contract_min
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
        println!("wrote {}", args.out.display());
    }
    if !report.violations.is_empty() {
        for violation in &report.violations {
            eprintln!("error: checker: {violation}");
        }
        return Ok(1);
    }
    Ok(0)
}
