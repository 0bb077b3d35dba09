//! `agent_hours.csv`: paid hours and days worked per agent per plan week, with the contract
//! limits and a flag when outside them.
//!
//! `agent_id,agent_name,week_start,paid_hours,days_worked,contract_min_hours,
//! contract_max_hours,flag` — `week_start` is the first plan date of the week; the minimum is
//! pro rata when the plan has fewer than seven days in that week; `flag` is `ok`, `under` or
//! `over`.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::Write;

use serde::Serialize;

use super::csv_safe::neutralise;
use crate::csvio::write_rows;
use crate::domain::Agent;
use crate::domain::WeekHours;
use crate::error::Result;
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

/// One row of `agent_hours.csv` (columns [`HEADER`]).
#[derive(Default, Serialize)]
struct AgentHoursRow<'a> {
    agent_id: Cow<'a, str>,
    agent_name: Cow<'a, str>,
    week_start: String,
    paid_hours: String,
    days_worked: u32,
    contract_min_hours: String,
    contract_max_hours: String,
    flag: &'a str,
}

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
    let mut sorted: Vec<&WeekHours> = hours.iter().collect();
    sorted.sort_by(|a, b| (&a.agent_id, a.week).cmp(&(&b.agent_id, b.week)));
    let rows = sorted.into_iter().map(|row| {
        let name = names.get(row.agent_id.as_str()).copied().unwrap_or("");
        let week_start = horizon.start_date() + chrono::Duration::days(i64::from(row.week) * 7);
        AgentHoursRow {
            agent_id: neutralise(&row.agent_id),
            agent_name: neutralise(name),
            week_start: week_start.format("%Y-%m-%d").to_string(),
            paid_hours: format_number(row.paid_hours, 2),
            days_worked: row.days_worked,
            contract_min_hours: format_number(row.min_hours, 2),
            contract_max_hours: format_number(row.max_hours, 2),
            flag: row.flag(),
        }
    });
    write_rows(writer, "agent_hours.csv", rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_are_written_under_the_header() {
        let header = crate::csvio::header::<AgentHoursRow>().unwrap();
        assert_eq!(header.iter().collect::<Vec<_>>(), HEADER);
    }
}
