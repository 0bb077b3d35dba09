//! Reading a requirement matrix from a `requirements.csv` as written by `staffplan staff`, so a
//! requirement can be reviewed or edited between staffing and scheduling.

use std::io::Read;

use crate::error::{Diagnostics, Error, Result};
use crate::time::{Horizon, parse_timestamp};

/// Reads `interval_start`, `queue` and `scheduled_agents` columns into `required[q][i]` for the
/// given queue ids; rows absent from the file count as zero.
pub fn read_requirements_csv<R: Read>(
    reader: R,
    source: &str,
    horizon: &Horizon,
    queues: &[String],
) -> Result<Vec<Vec<u32>>> {
    let fix = "give a requirements.csv as written by `staffplan staff` (columns interval_start, \
               queue, scheduled_agents)";
    let mut csv = csv::Reader::from_reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| Error::input("H2002", source, format!("cannot read the header: {e}"), fix))?
        .clone();
    let column = |name: &str| headers.iter().position(|h| h.trim() == name);
    let (Some(time_col), Some(queue_col), Some(value_col)) = (
        column("interval_start"),
        column("queue"),
        column("scheduled_agents"),
    ) else {
        return Err(Error::input(
            "H2002",
            format!("{source}:1"),
            format!(
                "missing columns; the header is {:?}",
                headers.iter().collect::<Vec<_>>()
            ),
            fix,
        ));
    };
    let mut required = vec![vec![0u32; horizon.len()]; queues.len()];
    let mut seen = vec![vec![false; horizon.len()]; queues.len()];
    let mut errors = Diagnostics::new();
    for (k, record) in csv.records().enumerate() {
        let line = k + 2;
        let place = format!("{source}:{line}");
        if errors.len() >= 20 {
            break;
        }
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push("H2002", place, format!("cannot read the row: {e}"), fix);
                continue;
            }
        };
        let field = |c: usize| record.get(c).unwrap_or("").trim();
        let Some(q) = queues.iter().position(|id| id == field(queue_col)) else {
            errors.push(
                "H2002",
                place,
                format!("unknown queue {:?}", field(queue_col)),
                format!("use one of the scenario's queues: {}", queues.join(", ")),
            );
            continue;
        };
        let i = match parse_timestamp(field(time_col), horizon.zone()) {
            Ok(t) => horizon.index_of(t),
            Err(e) => {
                errors.push(e.code(), place, e.cause(horizon.zone()), e.fix());
                continue;
            }
        };
        let Some(i) = i else {
            errors.push(
                "H2002",
                place,
                format!("{} is not an interval start of the plan", field(time_col)),
                "use the plan's interval grid (same start, days and interval as the scenario)",
            );
            continue;
        };
        let Ok(value) = field(value_col).parse::<u32>() else {
            errors.push(
                "H2002",
                place,
                format!(
                    "scheduled_agents {:?} is not a whole number",
                    field(value_col)
                ),
                "write whole agents, e.g. 12",
            );
            continue;
        };
        if seen[q][i] {
            errors.push(
                "H2002",
                place,
                format!(
                    "a second row for queue {} at {}",
                    queues[q],
                    field(time_col)
                ),
                "give one row per queue and interval",
            );
            continue;
        }
        seen[q][i] = true;
        required[q][i] = value;
    }
    errors.finish(required)
}
