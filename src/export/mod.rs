//! Exports for HR and agents: `roster.csv`, `agent_hours.csv` and iCalendar files. CSV cells
//! that hold text from HR systems go through [`csv_safe`] so that a spreadsheet never runs
//! them as formulas.

pub mod agent_hours;
pub mod coverage_csv;
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
                      shift_end_local,start_utc,end_utc,paid_hours,skill_group,breaks (local times with their offsets).",
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

/// The roster files of a view, besides `summary.json`.
#[derive(Debug, Clone, Copy)]
pub struct RosterOutputs<'a> {
    /// Output directory.
    pub out_dir: &'a std::path::Path,
    /// The plan's horizon.
    pub horizon: &'a crate::time::Horizon,
    /// Agents.
    pub agents: &'a [crate::domain::Agent],
    /// The shift plan that was staffed.
    pub slots: &'a [crate::domain::ShiftSlot],
    /// The roster.
    pub roster: &'a crate::domain::Roster,
    /// The planned work no agent could take, with the reasons.
    pub shortfall: &'a [crate::domain::Shortfall],
    /// Paid hours per agent per plan week (as the checker recomputed them from `roster.csv`).
    pub hours: &'a [crate::domain::WeekHours],
    /// One `.ics` per agent (`roster-{id}.ics`) instead of one `roster.ics`.
    pub ics_per_agent: bool,
    /// Calendar name.
    pub calendar_name: &'a str,
}

/// Stages `roster.csv`, `agent_hours.csv`, `slots.csv`, `shortfall.csv` and the calendar(s)
/// into `set` (committed by the caller together with its other outputs).
pub fn stage_roster_outputs(
    set: &mut crate::output::OutputSet,
    o: &RosterOutputs<'_>,
) -> crate::Result<()> {
    let roster = o.roster;
    let stage = |set: &mut crate::output::OutputSet,
                 name: String,
                 fill: &dyn Fn(&mut dyn std::io::Write) -> crate::Result<()>|
     -> crate::Result<()> { set.stage(&o.out_dir.join(&name), |w| fill(w)) };
    stage(set, "roster.csv".into(), &|w| {
        roster_csv::write_roster_csv(w, roster, o.agents)
    })?;
    stage(set, "agent_hours.csv".into(), &|w| {
        agent_hours::write_agent_hours_csv(w, o.hours, o.agents, o.horizon)
    })?;
    stage(set, "slots.csv".into(), &|w| {
        slots_csv::write_slots_csv(w, o.slots)
    })?;
    stage(set, "shortfall.csv".into(), &|w| {
        write_shortfall_csv(w, o.shortfall)
    })?;
    let dtstamp = o.horizon.horizon_start();
    if o.ics_per_agent {
        for agent in o.agents {
            let mine: Vec<&crate::domain::Assignment> = roster
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
        let all: Vec<&crate::domain::Assignment> = roster.assignments.iter().collect();
        let calendar = ics::calendar(o.calendar_name, &all, o.agents, dtstamp);
        stage(set, "roster.ics".into(), &|w| ics::write_ics(w, &calendar))?;
    }
    Ok(())
}

/// Writes `shortfall.csv`: the unfilled work per shift with the reasons, in start order:
/// `local_date,start_utc,end_utc,skill_group,template,missing,agent_hours,agents_with_skill,
/// unavailable,on_time_off,at_limit`.
pub fn write_shortfall_csv<W: std::io::Write>(
    writer: W,
    shortfall: &[crate::domain::Shortfall],
) -> crate::Result<()> {
    let rows = shortfall.iter().map(|s| ShortfallRow {
        local_date: s.local_date.format("%Y-%m-%d").to_string(),
        start_utc: crate::time::format_utc(s.start),
        end_utc: crate::time::format_utc(s.end),
        skill_group: csv_safe::neutralise(&s.skill_group),
        template: csv_safe::neutralise(&s.template),
        missing: s.missing,
        agent_hours: crate::units::format_number(s.agent_hours, 2),
        agents_with_skill: s.with_skill,
        unavailable: s.unavailable,
        on_time_off: s.on_time_off,
        at_limit: s.at_limit,
    });
    crate::csvio::write_rows(writer, "shortfall.csv", rows)
}

/// One row of `shortfall.csv`.
#[derive(Default, serde::Serialize)]
struct ShortfallRow<'a> {
    local_date: String,
    start_utc: String,
    end_utc: String,
    skill_group: std::borrow::Cow<'a, str>,
    template: std::borrow::Cow<'a, str>,
    missing: u32,
    agent_hours: String,
    agents_with_skill: u32,
    unavailable: u32,
    on_time_off: u32,
    at_limit: u32,
}
