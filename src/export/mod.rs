//! Exports for HR and agents: `roster.csv`, `agent_hours.csv` and iCalendar files. CSV cells
//! that hold text from HR systems go through [`csv_safe`] so that a spreadsheet never runs
//! them as formulas.

pub mod agent_hours;
pub mod csv_safe;
pub mod ics;
pub mod roster_csv;

use crate::error::CodeInfo;

/// Error codes owned by the exports.
pub const CODES: &[CodeInfo] = &[CodeInfo {
    code: "X1001",
    title: "roster CSV cannot be read",
    explanation: "The roster file given to `staffplan check` is not a roster.csv written by \
                      staffplan: a column is missing, a row has the wrong number of cells, or a \
                      timestamp or number cannot be read. The message names the line. Check the \
                      file against the header agent_id,agent_name,local_date,shift_start_local,\
                      shift_end_local,utc_offset,start_utc,end_utc,paid_hours,skill_group,breaks.",
}];

/// Wraps a CSV error as an I/O error on `path`.
pub(crate) fn csv_error(path: &str, error: csv::Error) -> crate::Error {
    crate::Error::io(std::path::Path::new(path), std::io::Error::other(error))
}
