//! `roster.csv`: one row per agent per shift, for HR and payroll imports.
//!
//! `agent_id,agent_name,local_date,shift_start_local,shift_end_local,start_utc,end_utc,
//! paid_hours,skill_group,breaks` — every local time in the agent's own zone with its own UTC
//! offset (`2026-11-01T01:30-05:00`), so that any row's duration reads off it across a DST
//! change; UTC instants (`2026-11-24T13:00:00Z`); breaks as local `START/END` intervals with
//! offsets (`2026-11-24T12:00-05:00/2026-11-24T12:30-05:00`), `;`-separated. Rows are sorted by
//! agent id, then start.

use std::collections::BTreeMap;
use std::io::{Read, Write};

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::{Deserialize, Serialize};

use super::csv_safe::{neutralise, restore};
use crate::check::roster::{Violation, ViolationKind};
use crate::csvio::write_rows;
use crate::domain::WorkedShift;
use crate::domain::{Agent, Roster};
use crate::error::{Error, Result};
use crate::time::format_utc;
use crate::units::format_number;

/// Column names, in order.
pub const HEADER: [&str; 10] = [
    "agent_id",
    "agent_name",
    "local_date",
    "shift_start_local",
    "shift_end_local",
    "start_utc",
    "end_utc",
    "paid_hours",
    "skill_group",
    "breaks",
];

/// One row of `roster.csv`, as text.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RosterRow {
    /// Agent id.
    pub agent_id: String,
    /// Agent name (neutralised against CSV injection).
    pub agent_name: String,
    /// Local date of the start, agent's zone.
    pub local_date: String,
    /// Local start with its offset, `YYYY-MM-DDTHH:MM+01:00`.
    pub shift_start_local: String,
    /// Local end with its offset (which differs from the start's across a DST change).
    pub shift_end_local: String,
    /// Start, UTC.
    pub start_utc: String,
    /// End, UTC.
    pub end_utc: String,
    /// Paid hours.
    pub paid_hours: String,
    /// Skill group.
    pub skill_group: String,
    /// Breaks as local `START/END` with offsets, `;`-separated.
    pub breaks: String,
}

/// A local time with its own UTC offset, to the minute: `2026-11-01T01:30-05:00`.
const LOCAL_FORMAT: &str = "%Y-%m-%dT%H:%M%:z";

/// The rows of a roster, sorted by agent id then start. Agents missing from `agents` keep
/// their id as name and are shown in UTC.
pub fn roster_rows(roster: &Roster, agents: &[Agent]) -> Vec<RosterRow> {
    let by_id: BTreeMap<&str, &Agent> = agents.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut assignments: Vec<_> = roster.assignments.iter().collect();
    assignments.sort_by(|x, y| {
        (&x.agent_id, x.slot.start, &x.slot.slot_id).cmp(&(
            &y.agent_id,
            y.slot.start,
            &y.slot.slot_id,
        ))
    });
    assignments
        .into_iter()
        .map(|a| {
            let agent = by_id.get(a.agent_id.as_str());
            let zone = agent.map_or(Tz::UTC, |g| g.time_zone);
            let name = agent.map_or(a.agent_id.as_str(), |g| g.name.as_str());
            let start = a.slot.start.with_timezone(&zone);
            let end = a.slot.end.with_timezone(&zone);
            let breaks = a
                .slot
                .breaks
                .iter()
                .map(|b| {
                    format!(
                        "{}/{}",
                        b.start.with_timezone(&zone).format(LOCAL_FORMAT),
                        b.end.with_timezone(&zone).format(LOCAL_FORMAT)
                    )
                })
                .collect::<Vec<_>>()
                .join(";");
            RosterRow {
                agent_id: neutralise(&a.agent_id).into_owned(),
                agent_name: neutralise(name).into_owned(),
                local_date: start.format("%Y-%m-%d").to_string(),
                shift_start_local: start.format(LOCAL_FORMAT).to_string(),
                shift_end_local: end.format(LOCAL_FORMAT).to_string(),
                start_utc: format_utc(a.slot.start),
                end_utc: format_utc(a.slot.end),
                paid_hours: format_number(a.slot.paid_seconds / 3600.0, 4),
                skill_group: neutralise(&a.slot.skill_group).into_owned(),
                breaks,
            }
        })
        .collect()
}

/// Writes `roster.csv` (the header even when the roster is empty).
pub fn write_roster_csv<W: Write>(writer: W, roster: &Roster, agents: &[Agent]) -> Result<()> {
    write_rows(writer, "roster.csv", roster_rows(roster, agents))
}

/// A roster file read back: the shifts, and the rows whose local columns contradict their
/// UTC instants (as `row` violations).
#[derive(Debug, Clone, PartialEq)]
pub struct RosterFile {
    /// Worked shifts, in file order.
    pub shifts: Vec<WorkedShift>,
    /// Rows whose local date/time, offset or breaks do not match the UTC instants.
    pub violations: Vec<Violation>,
    /// Agent names as written (after undoing the CSV-injection guard), by line.
    pub names: Vec<String>,
}

fn bad(source: &str, line: usize, cause: String) -> Error {
    Error::input(
        "X1001",
        format!("{source}:{line}"),
        cause,
        "give a roster.csv written by `staffplan roster` or `staffplan run` (header agent_id,\
         agent_name,local_date,shift_start_local,shift_end_local,start_utc,end_utc,paid_hours,\
         skill_group,breaks)",
    )
}

/// Reads `roster.csv`. `zone_of` gives an agent's zone (local columns are checked and breaks
/// resolved in it); unknown agents are read with the row's own UTC offset.
pub fn read_roster_csv<R: Read>(
    reader: R,
    source: &str,
    zone_of: &dyn Fn(&str) -> Option<Tz>,
) -> Result<RosterFile> {
    let mut csv = csv::ReaderBuilder::new()
        .flexible(false)
        .from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            crate::csvio::csv_not_utf8(&e, source)
                .unwrap_or_else(|| bad(source, 1, format!("cannot read the header: {e}")))
        })?
        .clone();
    let missing: Vec<&str> = HEADER
        .iter()
        .copied()
        .filter(|h| !headers.iter().any(|x| x == *h))
        .collect();
    if !missing.is_empty() {
        return Err(bad(
            source,
            1,
            format!("missing column(s) {}", missing.join(", ")),
        ));
    }
    let mut errors = Vec::new();
    let mut out = RosterFile {
        shifts: Vec::new(),
        violations: Vec::new(),
        names: Vec::new(),
    };
    for (index, record) in csv.records().enumerate() {
        // The record's own line: blank lines are skipped, so the index is not the line.
        let position = match &record {
            Ok(record) => record.position(),
            Err(error) => error.position(),
        };
        let line = position.map_or(index + 2, |p| p.line() as usize);
        let row = match record.and_then(|r| r.deserialize::<RosterRow>(Some(&headers))) {
            Ok(row) => row,
            Err(e) => {
                errors.push(
                    crate::csvio::csv_not_utf8(&e, source)
                        .unwrap_or_else(|| bad(source, line, format!("cannot read the row: {e}"))),
                );
                continue;
            }
        };
        match read_row(&row, line, zone_of, &mut out.violations) {
            Ok(shift) => {
                out.shifts.push(shift);
                out.names.push(restore(&row.agent_name).to_string());
            }
            Err(cause) => errors.push(bad(source, line, cause)),
        }
    }
    if errors.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(
            errors.into_iter().flat_map(|e| e.diagnostics()).collect(),
        ))
    }
}

fn parse_utc(text: &str, column: &str) -> std::result::Result<DateTime<Utc>, String> {
    DateTime::parse_from_rfc3339(text.trim())
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{column} {} is not a UTC timestamp like 2026-11-24T13:00:00Z",
                crate::error::echo(text)
            )
        })
}

fn read_row(
    row: &RosterRow,
    line: usize,
    zone_of: &dyn Fn(&str) -> Option<Tz>,
    violations: &mut Vec<Violation>,
) -> std::result::Result<WorkedShift, String> {
    let agent_id = restore(&row.agent_id).to_string();
    let start = parse_utc(&row.start_utc, "start_utc")?;
    let end = parse_utc(&row.end_utc, "end_utc")?;
    let paid_hours: f64 = row
        .paid_hours
        .trim()
        .parse()
        .ok()
        .filter(|h: &f64| h.is_finite() && *h >= 0.0)
        .ok_or_else(|| {
            format!(
                "paid_hours {} is not a number of hours",
                crate::error::echo(&row.paid_hours)
            )
        })?;
    let mut problems = Vec::new();
    let breaks = parse_breaks(&row.breaks)?;
    for &(from, to) in &breaks {
        if from < start || to > end || to <= from {
            problems.push(format!(
                "break {}/{} is not inside the shift",
                format_utc(from),
                format_utc(to)
            ));
        }
    }
    let zone = zone_of(&agent_id);
    let wall =
        |t: DateTime<Utc>| zone.map(|z| t.with_timezone(&z).format(LOCAL_FORMAT).to_string());
    for (column, text, utc_column, instant) in [
        (
            "shift_start_local",
            &row.shift_start_local,
            "start_utc",
            start,
        ),
        ("shift_end_local", &row.shift_end_local, "end_utc", end),
    ] {
        let local = parse_local(text, column)?;
        if local != instant {
            problems.push(format!(
                "{column} {} is not {utc_column} {}",
                crate::error::echo(text.trim()),
                format_utc(instant)
            ));
        } else if let Some(want) = wall(instant).filter(|w| w != text.trim()) {
            problems.push(format!(
                "{column} {} is not the agent's wall clock ({want})",
                crate::error::echo(text.trim())
            ));
        }
    }
    if let Some(zone) = zone {
        // The local date is the agent's own.
        let want = start.with_timezone(&zone).format("%Y-%m-%d").to_string();
        if want != row.local_date.trim() {
            problems.push(format!(
                "local_date {} is not the date of start_utc in {zone} ({want})",
                crate::error::echo(&row.local_date)
            ));
        }
        let written: Vec<&str> = row
            .breaks
            .split(';')
            .map(str::trim)
            .filter(|p| !p.is_empty())
            .collect();
        for (&(from, to), text) in breaks.iter().zip(written) {
            let want = format!(
                "{}/{}",
                from.with_timezone(&zone).format(LOCAL_FORMAT),
                to.with_timezone(&zone).format(LOCAL_FORMAT)
            );
            if want != text {
                problems.push(format!(
                    "break {} is not in the agent's zone {zone} ({want})",
                    crate::error::echo(text)
                ));
            }
        }
    }
    for message in problems {
        violations.push(Violation {
            kind: ViolationKind::Row,
            agent_id: agent_id.clone(),
            line,
            message,
        });
    }
    Ok(WorkedShift {
        line,
        agent_id,
        skill_group: restore(&row.skill_group).to_string(),
        start,
        end,
        paid_hours,
        breaks,
    })
}

/// A local time with its offset (`2026-11-01T01:30-05:00`) as a UTC instant.
fn parse_local(text: &str, column: &str) -> std::result::Result<DateTime<Utc>, String> {
    DateTime::parse_from_str(text.trim(), LOCAL_FORMAT)
        .map(|t| t.with_timezone(&Utc))
        .map_err(|_| {
            format!(
                "{column} {} is not a local time with its offset like 2026-11-24T08:00-05:00",
                crate::error::echo(text)
            )
        })
}

/// A break as UTC instants `(start, end)`.
type BreakSpan = (DateTime<Utc>, DateTime<Utc>);

/// Breaks `START/END;...`, each side a local time with its offset.
fn parse_breaks(text: &str) -> std::result::Result<Vec<BreakSpan>, String> {
    let mut out = Vec::new();
    for part in text.split(';').map(str::trim).filter(|p| !p.is_empty()) {
        let parsed = part.split_once('/').and_then(|(a, b)| {
            Some((parse_local(a, "break").ok()?, parse_local(b, "break").ok()?))
        });
        out.push(parsed.ok_or_else(|| {
            format!(
                "break {} is not like 2026-11-24T12:00-05:00/2026-11-24T12:30-05:00 \
                 (breaks are ;-separated)",
                crate::error::echo(part)
            )
        })?);
    }
    Ok(out)
}

/// The roster in a `roster.csv` as shift slots: each row takes a matching slot of `plan`
/// (same start, end and skill group; the plan's `slots.csv` next to the roster) so that slot
/// ids, templates and paid breaks are kept; rows without one become slots of their own
/// (template `roster`, breaks unpaid up to the unpaid time the row implies).
pub fn roster_from_shifts(
    shifts: &[WorkedShift],
    plan: Option<&[crate::domain::ShiftSlot]>,
    plan_zone: Tz,
) -> Roster {
    use crate::domain::{BreakSlot, ShiftSlot};
    type Key<'k> = (DateTime<Utc>, DateTime<Utc>, &'k str);
    let mut unused: BTreeMap<Key<'_>, Vec<&ShiftSlot>> = BTreeMap::new();
    for slot in plan.unwrap_or(&[]) {
        unused
            .entry((slot.start, slot.end, slot.skill_group.as_str()))
            .or_default()
            .push(slot);
    }
    for list in unused.values_mut() {
        list.sort_by(|a, b| b.slot_id.cmp(&a.slot_id));
    }
    let mut assignments = Vec::new();
    for shift in shifts {
        // The row's own breaks are what the agent works: take the planned slot with the same
        // breaks when there is one, else any slot of the shift with the row's breaks.
        let breaks_of_row = || {
            let mut unpaid = (shift.end - shift.start).num_seconds()
                - (shift.paid_hours * 3600.0).round() as i64;
            shift
                .breaks
                .iter()
                .map(|&(start, end)| {
                    let length = (end - start).num_seconds();
                    let paid = unpaid < length;
                    if !paid {
                        unpaid -= length;
                    }
                    BreakSlot { start, end, paid }
                })
                .collect::<Vec<_>>()
        };
        let same_breaks = |slot: &ShiftSlot| {
            slot.breaks.len() == shift.breaks.len()
                && slot
                    .breaks
                    .iter()
                    .zip(&shift.breaks)
                    .all(|(b, &(start, end))| b.start == start && b.end == end)
        };
        let matched = unused
            .get_mut(&(shift.start, shift.end, shift.skill_group.as_str()))
            .and_then(|list| {
                let k = list
                    .iter()
                    .rposition(|s| same_breaks(s))
                    .or(list.len().checked_sub(1))?;
                Some(list.remove(k))
            });
        let slot = match matched {
            Some(slot) if same_breaks(slot) => slot.clone(),
            Some(slot) => ShiftSlot {
                breaks: breaks_of_row(),
                ..slot.clone()
            },
            None => ShiftSlot {
                slot_id: format!("roster@{}#{}", format_utc(shift.start), shift.agent_id),
                template: "roster".into(),
                skill_group: shift.skill_group.clone(),
                start: shift.start,
                end: shift.end,
                local_date: shift.start.with_timezone(&plan_zone).date_naive(),
                breaks: breaks_of_row(),
                paid_seconds: shift.paid_hours * 3600.0,
                cost: 0.0,
            },
        };
        assignments.push(crate::domain::Assignment {
            agent_id: shift.agent_id.clone(),
            slot,
        });
    }
    assignments.sort_by(|x, y| {
        (&x.agent_id, x.slot.start, &x.slot.slot_id).cmp(&(
            &y.agent_id,
            y.slot.start,
            &y.slot.slot_id,
        ))
    });
    let mut unfilled: Vec<ShiftSlot> = unused.into_values().flatten().cloned().collect();
    unfilled.sort_by(|a, b| (a.start, &a.slot_id).cmp(&(b.start, &b.slot_id)));
    Roster {
        assignments,
        unfilled,
    }
}

/// Reads a published `roster.csv` (and the `slots.csv` beside it, when there) for the
/// evaluation and what-if commands; a `slots.csv` given instead (a scenario without named
/// agents) is the plan with one anonymous agent per slot. Rows whose local columns contradict
/// their UTC instants are refused (`X1001`).
pub fn load_roster(path: &std::path::Path, scenario: &crate::scenario::Scenario) -> Result<Roster> {
    let bytes = std::fs::read(path).map_err(|e| Error::io(path, e))?;
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    if first_line.starts_with(super::slots_csv::HEADER.join(",").as_bytes()) {
        // A shift plan without names (slots.csv): one anonymous agent per slot.
        let slots =
            super::slots_csv::read_slots_csv(bytes.as_slice(), &path.display().to_string())?;
        return Ok(Roster::of_slots(&slots));
    }
    let w = &scenario.workforce;
    let zone_of = |id: &str| w.agent(id).map(|a| a.time_zone);
    let file = read_roster_csv(bytes.as_slice(), &path.display().to_string(), &zone_of)?;
    if let Some(v) = file.violations.first() {
        return Err(bad(&path.display().to_string(), v.line, v.message.clone()));
    }
    let slots_path = path
        .parent()
        .map(|p| p.join("slots.csv"))
        .filter(|p| p.exists());
    let plan = match &slots_path {
        Some(p) => {
            let text = std::fs::read(p).map_err(|e| Error::io(p, e))?;
            Some(super::slots_csv::read_slots_csv(
                text.as_slice(),
                &p.display().to_string(),
            )?)
        }
        None => None,
    };
    Ok(roster_from_shifts(
        &file.shifts,
        plan.as_deref(),
        scenario.horizon.zone(),
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_under_the_header_read_back() {
        let header = crate::csvio::header::<RosterRow>().unwrap();
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADER);
    }
}
