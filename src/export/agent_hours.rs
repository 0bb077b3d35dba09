//! `agent_hours.csv`: paid hours and days worked per agent per plan week, with the contract
//! limits and a flag when outside them.
//!
//! `agent_id,agent_name,week_start,paid_hours,days_worked,contract_min_hours,
//! contract_max_hours,flag` — `week_start` is the first plan date of the week; the minimum is
//! pro rata when the plan has fewer than seven days in that week; `flag` is `ok`, `under` or
//! `over`.

use std::collections::BTreeMap;
use std::io::Write;

use super::csv_error;
use super::csv_safe::neutralise;
use crate::domain::Agent;
use crate::domain::WeekHours;
use crate::error::{Error, Result};
use crate::time::Horizon;
use crate::units::format_number;

/// Column names, in order.
pub const HEADER: [&str; 8] = [
    "agent_id",
    "agent_name",
    "week_start",
    "paid_hours",
    "days_worked",
    "contract_min_hours",
    "contract_max_hours",
    "flag",
];

/// Writes `agent_hours.csv` from per-week hours (see [`crate::check::roster::weekly_hours`]).
pub fn write_agent_hours_csv<W: Write>(
    writer: W,
    hours: &[WeekHours],
    agents: &[Agent],
    horizon: &Horizon,
) -> Result<()> {
    let names: BTreeMap<&str, &str> = agents
        .iter()
        .map(|a| (a.id.as_str(), a.name.as_str()))
        .collect();
    let mut rows: Vec<&WeekHours> = hours.iter().collect();
    rows.sort_by(|a, b| (&a.agent_id, a.week).cmp(&(&b.agent_id, b.week)));
    let mut csv = csv::Writer::from_writer(writer);
    csv.write_record(HEADER)
        .map_err(|e| csv_error("agent_hours.csv", e))?;
    for row in rows {
        let name = names.get(row.agent_id.as_str()).copied().unwrap_or("");
        let week_start = horizon.start_date() + chrono::Duration::days(i64::from(row.week) * 7);
        csv.write_record([
            neutralise(&row.agent_id).as_ref(),
            neutralise(name).as_ref(),
            &week_start.format("%Y-%m-%d").to_string(),
            &format_number(row.paid_hours, 2),
            &row.days_worked.to_string(),
            &format_number(row.min_hours, 2),
            &format_number(row.max_hours, 2),
            row.flag(),
        ])
        .map_err(|e| csv_error("agent_hours.csv", e))?;
    }
    csv.flush()
        .map_err(|e| Error::io(std::path::Path::new("agent_hours.csv"), e))
}
