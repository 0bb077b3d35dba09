//! Exports for HR and agents: `roster.csv`, `agent_hours.csv` and iCalendar files. CSV cells
//! that hold text from HR systems go through [`csv_safe`] so that a spreadsheet never runs
//! them as formulas.

pub mod agent_hours;
pub mod csv_safe;
pub mod ics;
pub mod roster_csv;
pub mod slots_csv;

use crate::error::CodeInfo;

/// Error codes owned by the exports.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "X1001",
        title: "roster CSV cannot be read",
        explanation: "The roster file given to `staffplan check` is not a roster.csv written by \
                      staffplan: a column is missing, a row has the wrong number of cells, or a \
                      timestamp or number cannot be read. The message names the line. Check the \
                      file against the header agent_id,agent_name,local_date,shift_start_local,\
                      shift_end_local,utc_offset,start_utc,end_utc,paid_hours,skill_group,breaks.",
    },
    CodeInfo {
        code: "X1002",
        title: "shift plan CSV cannot be read",
        explanation: "slots.csv (the shift plan next to roster.csv, written by `staffplan \
                      roster`) is damaged: its header or a row cannot be read. Re-run `staffplan \
                      roster`, or check the roster without the plan by moving slots.csv away \
                      (then coverage is not checked).",
    },
];

/// Wraps a CSV error as an I/O error on `path`.
pub(crate) fn csv_error(path: &str, error: csv::Error) -> crate::Error {
    crate::Error::io(std::path::Path::new(path), std::io::Error::other(error))
}

/// What `staffplan roster` writes, besides `summary.json`.
#[derive(Debug, Clone, Copy)]
pub struct RosterOutputs<'a> {
    /// Output directory (created if missing).
    pub out_dir: &'a std::path::Path,
    /// Input files that must never be overwritten.
    pub inputs: &'a [std::path::PathBuf],
    /// The plan's horizon.
    pub horizon: &'a crate::time::Horizon,
    /// Agents.
    pub agents: &'a [crate::roster::Agent],
    /// The shift plan that was staffed.
    pub slots: &'a [crate::roster::ShiftSlot],
    /// The assignment result.
    pub outcome: &'a crate::roster::RosterOutcome,
    /// One `.ics` per agent (`roster-{id}.ics`) instead of one `roster.ics`.
    pub ics_per_agent: bool,
    /// Calendar name.
    pub calendar_name: &'a str,
}

/// Figures of a roster for `summary.json`.
#[derive(Debug, Clone, PartialEq, serde::Serialize)]
pub struct RosterSummary {
    /// On-duty agent-hours of the shift plan that no agent works.
    pub roster_shortfall_agent_hours: f64,
    /// On-duty agent-hours of the shift plan.
    pub roster_planned_agent_hours: f64,
    /// Agents in the scenario.
    pub roster_agents: usize,
    /// Agents with at least one shift.
    pub roster_agents_working: usize,
    /// Shifts assigned.
    pub roster_assignments: usize,
    /// Slots left unfilled.
    pub roster_unfilled_slots: usize,
    /// Agent-weeks under the contract minimum.
    pub roster_weeks_under_contract_min: usize,
    /// Files written, relative to the output directory.
    pub roster_files: Vec<String>,
}

/// Writes `roster.csv`, `agent_hours.csv`, `slots.csv`, `shortfall.csv` and the calendar(s)
/// atomically, all or none.
pub fn write_roster_outputs(o: &RosterOutputs<'_>) -> crate::Result<RosterSummary> {
    std::fs::create_dir_all(o.out_dir).map_err(|e| crate::Error::io(o.out_dir, e))?;
    let mut set = crate::output::OutputSet::new(o.inputs.to_vec());
    let summary = stage_roster_outputs(&mut set, o)?;
    set.commit()?;
    Ok(summary)
}

/// Stages the roster files of [`write_roster_outputs`] into `set` (committed by the caller
/// together with its other outputs) and returns the roster summary.
pub fn stage_roster_outputs(
    set: &mut crate::output::OutputSet,
    o: &RosterOutputs<'_>,
) -> crate::Result<RosterSummary> {
    use crate::roster::check::{WorkedShift, weekly_hours};
    let roster = &o.outcome.roster;
    let hours = weekly_hours(&WorkedShift::from_roster(roster), o.agents, o.horizon);
    let mut files = Vec::new();
    let mut stage = |set: &mut crate::output::OutputSet,
                     name: String,
                     fill: &dyn Fn(&mut dyn std::io::Write) -> crate::Result<()>|
     -> crate::Result<()> {
        set.stage(&o.out_dir.join(&name), |w| fill(w))?;
        files.push(name);
        Ok(())
    };
    stage(set, "roster.csv".into(), &|w| {
        roster_csv::write_roster_csv(w, roster, o.agents)
    })?;
    stage(set, "agent_hours.csv".into(), &|w| {
        agent_hours::write_agent_hours_csv(w, &hours, o.agents, o.horizon)
    })?;
    stage(set, "slots.csv".into(), &|w| {
        slots_csv::write_slots_csv(w, o.slots)
    })?;
    stage(set, "shortfall.csv".into(), &|w| {
        write_shortfall_csv(w, &o.outcome.shortfall, o.horizon)
    })?;
    let dtstamp = o.horizon.horizon_start();
    if o.ics_per_agent {
        for agent in o.agents {
            let mine: Vec<&crate::roster::Assignment> = roster
                .assignments
                .iter()
                .filter(|a| a.agent_id == agent.id)
                .collect();
            let calendar = ics::calendar(
                &format!("{} — {}", o.calendar_name, agent.name),
                &mine,
                o.agents,
                dtstamp,
            );
            stage(set, ics::agent_file_name(&agent.id), &|w| {
                ics::write_ics(w, &calendar)
            })?;
        }
    } else {
        let all: Vec<&crate::roster::Assignment> = roster.assignments.iter().collect();
        let calendar = ics::calendar(o.calendar_name, &all, o.agents, dtstamp);
        stage(set, "roster.ics".into(), &|w| ics::write_ics(w, &calendar))?;
    }
    let working: std::collections::BTreeSet<&str> = roster
        .assignments
        .iter()
        .map(|a| a.agent_id.as_str())
        .collect();
    Ok(RosterSummary {
        roster_shortfall_agent_hours: o.outcome.shortfall_agent_hours(),
        roster_planned_agent_hours: crate::roster::exact::planned_agent_hours(o.slots),
        roster_agents: o.agents.len(),
        roster_agents_working: working.len(),
        roster_assignments: roster.assignments.len(),
        roster_unfilled_slots: roster.unfilled.len(),
        roster_weeks_under_contract_min: hours.iter().filter(|h| h.flag() == "under").count(),
        roster_files: files,
    })
}

/// Writes `shortfall.csv`: the unfilled work per shift with the reasons, in start order:
/// `local_date,start_utc,end_utc,skill_group,template,missing,agent_hours,agents_with_skill,
/// unavailable,on_time_off,at_limit`.
pub fn write_shortfall_csv<W: std::io::Write>(
    writer: W,
    shortfall: &[crate::roster::Shortfall],
    horizon: &crate::time::Horizon,
) -> crate::Result<()> {
    let mut csv = csv::Writer::from_writer(writer);
    let e = |e| csv_error("shortfall.csv", e);
    csv.write_record([
        "local_date",
        "start_utc",
        "end_utc",
        "skill_group",
        "template",
        "missing",
        "agent_hours",
        "agents_with_skill",
        "unavailable",
        "on_time_off",
        "at_limit",
    ])
    .map_err(e)?;
    let _ = horizon;
    for s in shortfall {
        csv.write_record([
            s.local_date.format("%Y-%m-%d").to_string(),
            crate::time::format_utc(s.start),
            crate::time::format_utc(s.end),
            csv_safe::neutralise(&s.skill_group).into_owned(),
            csv_safe::neutralise(&s.template).into_owned(),
            s.missing.to_string(),
            crate::staffing::format_number(s.agent_hours, 2),
            s.with_skill.to_string(),
            s.unavailable.to_string(),
            s.on_time_off.to_string(),
            s.at_limit.to_string(),
        ])
        .map_err(e)?;
    }
    csv.flush()
        .map_err(|e| crate::Error::io(std::path::Path::new("shortfall.csv"), e))
}
