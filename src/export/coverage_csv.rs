//! `coverage.csv`: one row per interval per queue (interval order, then scenario order), the
//! same columns in every view (`run`, `schedule`, `roster`, `evaluate`, `whatif`):
//!
//! - `interval_start` (UTC), `local_start` (with its offset), `queue`;
//! - the plan: `required_agents` (on the queue, before shrinkage; empty when the requirement was
//!   read from a file), `required_on_shift` (on shift and not on break, after shrinkage: what
//!   the plan covers), `scheduled_agents` (the plan's agents on shift and not on break working
//!   the queue), `on_break`, `shortfall` and `surplus` (against `required_on_shift`; the
//!   `shortfall` column summed times the interval length is `understaffed_agent_hours`);
//! - the evaluation of the roster (empty without one): `volume`, `service_level`,
//!   `asa_seconds`, `occupancy`, `abandon_rate`, `on_queue_agents` (after shrinkage: what the
//!   Erlang prediction used) and `evaluated_shortfall` (`required_agents − on_queue_agents`
//!   when positive; summed, `evaluated_understaffed_agent_hours`).
//!
//! An empty cell means "not known or not defined here" (a closed queue has no service level;
//! a queue nobody serves has no ASA), never zero.

use std::io::Write;

use serde::Serialize;

use crate::csvio::{interval_cells, optional_number, write_rows};
use crate::domain::Coverage;
use crate::error::Result;
use crate::evaluate::Evaluation;
use crate::time::Horizon;
use crate::units::format_number;

/// What `coverage.csv` shows: the plan's coverage of its requirement and, when a roster was
/// evaluated, its predicted service.
#[derive(Debug, Clone, Copy)]
pub struct CoverageTable<'a> {
    /// The planning grid.
    pub horizon: &'a Horizon,
    /// Queue ids, scenario order.
    pub queues: &'a [String],
    /// `required_on_shift[q][i]`: what the plan covers.
    pub required_on_shift: &'a [Vec<u32>],
    /// The plan's coverage of it.
    pub coverage: &'a Coverage,
    /// The roster's predicted service, when evaluated.
    pub evaluation: Option<&'a Evaluation>,
}

/// One row of `coverage.csv`.
#[derive(Default, Serialize)]
struct CoverageRow<'a> {
    interval_start: &'a str,
    local_start: &'a str,
    queue: &'a str,
    required_agents: String,
    required_on_shift: u32,
    scheduled_agents: String,
    on_break: String,
    shortfall: String,
    surplus: String,
    volume: String,
    service_level: String,
    asa_seconds: String,
    occupancy: String,
    abandon_rate: String,
    on_queue_agents: String,
    evaluated_shortfall: String,
}

/// Writes `coverage.csv`.
pub fn write_coverage_csv<W: Write>(writer: W, table: &CoverageTable<'_>) -> Result<()> {
    let cells = interval_cells(table.horizon);
    let coverage = table.coverage;
    let rows = cells.iter().enumerate().flat_map(|(i, (start, local))| {
        table.queues.iter().enumerate().map(move |(q, queue)| {
            let evaluated = table.evaluation.map(|e| &e.queues[q].intervals[i]);
            CoverageRow {
                interval_start: start,
                local_start: local,
                queue,
                required_agents: evaluated
                    .map_or_else(String::new, |r| r.required_agents.to_string()),
                required_on_shift: table.required_on_shift[q][i],
                scheduled_agents: format_number(coverage.scheduled[q][i], 3),
                on_break: format_number(coverage.on_break_queue[q][i], 3),
                shortfall: format_number(coverage.shortfall[q][i], 3),
                surplus: format_number(coverage.surplus[q][i], 3),
                volume: evaluated.map_or_else(String::new, |r| format_number(r.volume, 3)),
                service_level: optional_number(evaluated.and_then(|r| r.service_level), 4),
                asa_seconds: optional_number(evaluated.and_then(|r| r.asa_seconds), 1),
                occupancy: optional_number(evaluated.and_then(|r| r.occupancy), 4),
                abandon_rate: optional_number(evaluated.and_then(|r| r.abandon_rate), 4),
                on_queue_agents: evaluated
                    .map_or_else(String::new, |r| format_number(r.on_queue_agents, 3)),
                evaluated_shortfall: evaluated
                    .map_or_else(String::new, |r| format_number(r.shortfall(), 3)),
            }
        })
    });
    write_rows(writer, "coverage.csv", rows)
}
