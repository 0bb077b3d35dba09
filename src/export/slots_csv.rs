//! `slots.csv`: the shift plan the roster staffs, one row per slot (one agent's worth of a
//! scheduled shift), so that `staffplan check` can verify coverage from files alone.
//!
//! `slot_id,template,skill_group,local_date,start_utc,end_utc,paid_hours,breaks` — breaks as
//! `START/END/paid|unpaid` in UTC, `;`-separated.

use std::borrow::Cow;
use std::io::{Read, Write};

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

use super::csv_safe::{neutralise, restore};
use crate::csvio::write_rows;
use crate::domain::{BreakSlot, ShiftSlot};
use crate::error::{Error, Result};
use crate::time::format_utc;
use crate::units::format_number;

/// Column names, in order.
pub const HEADER: [&str; 8] = [
    "slot_id",
    "template",
    "skill_group",
    "local_date",
    "start_utc",
    "end_utc",
    "paid_hours",
    "breaks",
];

/// One row of `slots.csv` (columns [`HEADER`]).
#[derive(Default, Serialize)]
struct SlotRow<'a> {
    slot_id: Cow<'a, str>,
    template: Cow<'a, str>,
    skill_group: Cow<'a, str>,
    local_date: String,
    start_utc: String,
    end_utc: String,
    paid_hours: String,
    breaks: String,
}

/// Writes the slots sorted by start, then id.
pub fn write_slots_csv<W: Write>(writer: W, slots: &[ShiftSlot]) -> Result<()> {
    let mut sorted: Vec<&ShiftSlot> = slots.iter().collect();
    sorted.sort_by(|a, b| (a.start, &a.slot_id).cmp(&(b.start, &b.slot_id)));
    let rows = sorted.into_iter().map(|slot| {
        let breaks = slot
            .breaks
            .iter()
            .map(|b| {
                format!(
                    "{}/{}/{}",
                    format_utc(b.start),
                    format_utc(b.end),
                    if b.paid { "paid" } else { "unpaid" }
                )
            })
            .collect::<Vec<_>>()
            .join(";");
        SlotRow {
            slot_id: neutralise(&slot.slot_id),
            template: neutralise(&slot.template),
            skill_group: neutralise(&slot.skill_group),
            local_date: slot.local_date.format("%Y-%m-%d").to_string(),
            start_utc: format_utc(slot.start),
            end_utc: format_utc(slot.end),
            paid_hours: format_number(slot.paid_seconds / 3600.0, 6),
            breaks,
        }
    });
    write_rows(writer, "slots.csv", rows)
}

/// Reads `slots.csv` back.
pub fn read_slots_csv<R: Read>(reader: R, source: &str) -> Result<Vec<ShiftSlot>> {
    let bad = |line: usize, cause: String| {
        Error::input(
            "X1002",
            format!("{source}:{line}"),
            cause,
            "give the slots.csv that `staffplan roster` wrote next to roster.csv",
        )
    };
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            crate::csvio::csv_not_utf8(&e, source)
                .unwrap_or_else(|| bad(1, format!("cannot read the header: {e}")))
        })?
        .clone();
    if headers.iter().collect::<Vec<_>>() != HEADER {
        return Err(bad(1, format!("the header must be {}", HEADER.join(","))));
    }
    let utc = |text: &str, line: usize| -> Result<DateTime<Utc>> {
        DateTime::parse_from_rfc3339(text)
            .map(|t| t.with_timezone(&Utc))
            .map_err(|_| {
                bad(
                    line,
                    format!("{} is not a UTC timestamp", crate::error::echo(text)),
                )
            })
    };
    let mut out = Vec::new();
    for (index, record) in csv.records().enumerate() {
        // The record's own line: blank lines are skipped, so the index is not the line.
        let position = match &record {
            Ok(record) => record.position(),
            Err(error) => error.position(),
        };
        let line = position.map_or(index + 2, |p| p.line() as usize);
        let r = record.map_err(|e| {
            crate::csvio::csv_not_utf8(&e, source)
                .unwrap_or_else(|| bad(line, format!("cannot read the row: {e}")))
        })?;
        let mut breaks = Vec::new();
        for part in r[7].split(';').filter(|p| !p.is_empty()) {
            let pieces: Vec<&str> = part.split('/').collect();
            if pieces.len() != 3 {
                return Err(bad(
                    line,
                    format!("break {} is not START/END/paid", crate::error::echo(part)),
                ));
            }
            breaks.push(BreakSlot {
                start: utc(pieces[0], line)?,
                end: utc(pieces[1], line)?,
                paid: pieces[2] == "paid",
            });
        }
        let paid_hours: f64 = r[6].parse().map_err(|_| {
            bad(
                line,
                format!("paid_hours {} is not a number", crate::error::echo(&r[6])),
            )
        })?;
        out.push(ShiftSlot {
            slot_id: restore(&r[0]).to_string(),
            template: restore(&r[1]).to_string(),
            skill_group: restore(&r[2]).to_string(),
            local_date: NaiveDate::parse_from_str(&r[3], "%Y-%m-%d").map_err(|_| {
                bad(
                    line,
                    format!("local_date {} is not a date", crate::error::echo(&r[3])),
                )
            })?,
            start: utc(&r[4], line)?,
            end: utc(&r[5], line)?,
            breaks,
            paid_seconds: paid_hours * 3600.0,
            cost: 0.0,
        });
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_under_the_header_read_back() {
        let header = crate::csvio::header::<SlotRow>().unwrap();
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADER);
    }
}
