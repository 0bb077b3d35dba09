//! Required agents per interval per queue.
//!
//! - **Voice and chat** use the Erlang engine: the minimum number of agents on the queue that
//!   meets the service-level target (and ASA and occupancy caps when set), Erlang A when the
//!   queue has a patience, chat with its concurrency.
//! - **Email / back office** is deferrable work, not a queue Erlang describes. It is staffed by
//!   a backlog recursion (see [`backlog_staffing`]): every item is finished within
//!   `response_within` of open time after it arrives, and the backlog is worked down evenly.
//! - **Opening hours**: closed intervals need 0 agents; open intervals need at least the
//!   queue's `min_agents` even when volume is tiny.
//! - **Shrinkage**: scheduled agents = ceil(required / (1 − shrinkage)).

use std::io::Write;

use serde::Serialize;

use crate::csvio::{interval_cells, optional_number, write_rows};
use crate::erlang::{self, QueueModel, Targets, Workload};
use crate::error::{CodeInfo, Error, Result};
use crate::scenario::{Channel, Queue, Scenario};
use crate::time::{Horizon, format_local};
use crate::units::format_number;
use crate::volume::QueueVolume;

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[CodeInfo {
    code: "Q1001",
    title: "service target cannot be met",
    explanation: "No number of agents reaches the target in this interval, e.g. an ASA target \
                  below what even an idle agent can give, or a volume so large the search \
                  limit is hit. Loosen the target or check the volume and handle time.",
}];

/// Tolerance for float noise before rounding up (14 / 0.7 is 20.000000000000004).
const CEIL_TOLERANCE: f64 = 1e-9;

/// `ceil(x)` that ignores float noise just above an integer.
pub fn ceil_tolerant(x: f64) -> u32 {
    (x - CEIL_TOLERANCE).ceil().max(0.0) as u32
}

/// Agents to schedule so that `required` are on the queue after `shrinkage` (validated to be
/// in [0, 1)): `ceil(required / (1 − shrinkage))`, ignoring float noise.
pub fn scheduled_agents(required: u32, shrinkage: f64) -> u32 {
    erlang::scheduled_agents(required, shrinkage).unwrap_or(u32::MAX)
}

/// Whether the queue is open in each interval of the horizon: inside its opening hours and
/// not on a date closed by a `[[special_day]]`.
pub fn open_intervals(queue: &Queue, horizon: &Horizon) -> Vec<bool> {
    (0..horizon.len())
        .map(|i| {
            queue
                .opening_hours
                .is_open(horizon.weekday(i), horizon.local_minute(i))
                && !queue
                    .closed_dates
                    .contains(&horizon.local_start(i).date_naive())
        })
        .collect()
}

/// Requirement of one interval of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalRequirement {
    /// Contacts arriving.
    pub volume: f64,
    /// Average handle time, seconds.
    pub aht_seconds: f64,
    /// Whether the queue is open.
    pub open: bool,
    /// Agents needed on the queue.
    pub required_agents: u32,
    /// Agents to schedule (after shrinkage).
    pub scheduled_agents: u32,
    /// Predicted service level at `required_agents` (voice/chat).
    pub service_level: Option<f64>,
    /// Predicted ASA at `required_agents`, seconds (voice/chat).
    pub asa_seconds: Option<f64>,
    /// Predicted occupancy at `required_agents`.
    pub occupancy: Option<f64>,
    /// Work left at the end of the interval, agent-seconds (email).
    pub backlog_seconds: Option<f64>,
}

/// Requirements of one queue over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRequirements {
    /// Queue id.
    pub queue: String,
    /// One entry per horizon interval.
    pub intervals: Vec<IntervalRequirement>,
}

/// Erlang model of a queue.
pub fn queue_model(queue: &Queue) -> QueueModel {
    QueueModel {
        patience_seconds: queue.patience_seconds,
        concurrency: queue.concurrency,
    }
}

/// Erlang targets of a voice or chat queue.
pub fn queue_targets(queue: &Queue) -> Option<Targets> {
    queue.service.map(|service| Targets {
        service_level: service.fraction,
        answer_seconds: service.answer_seconds,
        asa_seconds: queue.asa_target_seconds,
        max_occupancy: queue.max_occupancy,
    })
}

/// Requirements of every queue.
pub fn requirements(
    scenario: &Scenario,
    volumes: &[QueueVolume],
) -> Result<Vec<QueueRequirements>> {
    scenario
        .queues
        .iter()
        .zip(volumes)
        .map(|(queue, volume)| queue_requirements(queue, volume, &scenario.horizon))
        .collect()
}

/// Requirements of one queue.
pub fn queue_requirements(
    queue: &Queue,
    volume: &QueueVolume,
    horizon: &Horizon,
) -> Result<QueueRequirements> {
    let open = open_intervals(queue, horizon);
    let intervals = match queue.channel {
        Channel::Email => backlog_staffing(queue, volume, horizon, &open),
        Channel::Voice | Channel::Chat => erlang_staffing(queue, volume, horizon, &open)?,
    };
    Ok(QueueRequirements {
        queue: queue.id.clone(),
        intervals,
    })
}

fn erlang_staffing(
    queue: &Queue,
    volume: &QueueVolume,
    horizon: &Horizon,
    open: &[bool],
) -> Result<Vec<IntervalRequirement>> {
    let model = queue_model(queue);
    let Some(targets) = queue_targets(queue) else {
        return Ok(Vec::new());
    };
    let interval_seconds = horizon.interval_seconds();
    (0..horizon.len())
        .map(|i| {
            let workload = Workload {
                volume: volume.volume[i],
                interval_seconds,
                aht_seconds: volume.aht_seconds[i],
            };
            if !open[i] {
                return Ok(IntervalRequirement {
                    volume: workload.volume,
                    aht_seconds: workload.aht_seconds,
                    open: false,
                    required_agents: 0,
                    scheduled_agents: 0,
                    service_level: None,
                    asa_seconds: None,
                    occupancy: None,
                    backlog_seconds: None,
                });
            }
            let needed = erlang::required_agents(&workload, &model, &targets).ok_or_else(|| {
                Error::input(
                    "Q1001",
                    format!(
                        "queue {} at {}",
                        queue.id,
                        format_local(horizon.start(i), horizon.zone())
                    ),
                    format!(
                        "no number of agents meets the targets for {} contacts with AHT {} s",
                        crate::units::format_number(workload.volume, 1),
                        crate::units::format_number(workload.aht_seconds, 0)
                    ),
                    "loosen the service-level/ASA target or check the volume and AHT",
                )
            })?;
            let mut required = needed.max(queue.min_agents);
            let mut performance =
                erlang::evaluate(&workload, &model, targets.answer_seconds, required);
            // An abandonment goal holds interval by interval too (the requirement is the
            // interval-scope one; day and week scopes judge it over the scope in the plan).
            if let Some(max) = queue.max_abandon_rate {
                while performance.p_abandon.is_some_and(|p| p > max) {
                    required += 1;
                    performance =
                        erlang::evaluate(&workload, &model, targets.answer_seconds, required);
                }
            }
            Ok(IntervalRequirement {
                volume: workload.volume,
                aht_seconds: workload.aht_seconds,
                open: true,
                required_agents: required,
                scheduled_agents: scheduled_agents(required, queue.shrinkage),
                service_level: Some(performance.service_level),
                asa_seconds: Some(performance.asa_seconds),
                occupancy: Some(performance.occupancy),
                backlog_seconds: None,
            })
        })
        .collect()
}

/// Staffing of deferrable work (email, back office) by a backlog recursion.
///
/// Work of an interval is `volume × AHT` agent-seconds. Deadlines count open intervals: work
/// arriving in open interval `k` (or while closed, before open interval `k`) must be finished
/// by the end of open interval `k + W − 1`, where `W = response_within / interval` (at least 1).
/// In each open interval the capacity needed is the larger of
/// - the work whose deadline is this interval (the response target binds), and
/// - the backlog divided by `W` (work the queue down evenly rather than at the last moment;
///   with steady inflow `w` this settles at exactly `w`, the workload rate),
///
/// and the agents are `ceil(capacity / (interval × max_occupancy))`, at least `min_agents`.
/// Agents then work FIFO at full productive capacity, so the backlog carried forward reflects
/// the integer staffing. Closed intervals have no agents; their arrivals wait for the opening.
pub fn backlog_staffing(
    queue: &Queue,
    volume: &QueueVolume,
    horizon: &Horizon,
    open: &[bool],
) -> Vec<IntervalRequirement> {
    let interval_seconds = horizon.interval_seconds();
    let response = queue.response_within_seconds.unwrap_or(interval_seconds);
    let window = ((response / interval_seconds).floor() as usize).max(1);
    let productive = interval_seconds * queue.max_occupancy.unwrap_or(1.0);
    // FIFO backlog: (deadline as open-interval count, agent-seconds of work).
    let mut backlog: std::collections::VecDeque<(usize, f64)> = Default::default();
    let mut open_index = 0usize;
    let mut out = Vec::with_capacity(horizon.len());
    for (i, &is_open) in open.iter().enumerate() {
        let work = volume.volume[i] * volume.aht_seconds[i];
        if work > 0.0 {
            backlog.push_back((open_index + window - 1, work));
        }
        if !is_open {
            out.push(IntervalRequirement {
                volume: volume.volume[i],
                aht_seconds: volume.aht_seconds[i],
                open: false,
                required_agents: 0,
                scheduled_agents: 0,
                service_level: None,
                asa_seconds: None,
                occupancy: None,
                backlog_seconds: Some(backlog.iter().map(|(_, w)| w).sum()),
            });
            continue;
        }
        let total: f64 = backlog.iter().map(|(_, w)| w).sum();
        let due: f64 = backlog
            .iter()
            .filter(|(deadline, _)| *deadline <= open_index)
            .map(|(_, w)| w)
            .sum();
        let capacity = due.max(total / window as f64);
        let required = ceil_tolerant(capacity / productive).max(queue.min_agents);
        let mut remaining = f64::from(required) * productive;
        let mut done = 0.0;
        while remaining > 0.0 {
            let Some(front) = backlog.front_mut() else {
                break;
            };
            let take = front.1.min(remaining);
            front.1 -= take;
            remaining -= take;
            done += take;
            if front.1 <= 1e-9 {
                backlog.pop_front();
            }
        }
        open_index += 1;
        out.push(IntervalRequirement {
            volume: volume.volume[i],
            aht_seconds: volume.aht_seconds[i],
            open: true,
            required_agents: required,
            scheduled_agents: scheduled_agents(required, queue.shrinkage),
            service_level: None,
            asa_seconds: None,
            occupancy: (required > 0).then(|| done / (f64::from(required) * interval_seconds)),
            backlog_seconds: Some(backlog.iter().map(|(_, w)| w).sum()),
        });
    }
    out
}

/// Writes `requirements.csv`: `interval_start,local_start,queue,volume,aht_seconds,
/// required_agents,scheduled_agents,service_level,asa_seconds,occupancy`, ordered by interval
/// then queue (scenario order).
pub fn write_requirements_csv<W: Write>(
    writer: W,
    horizon: &Horizon,
    requirements: &[QueueRequirements],
) -> Result<()> {
    let cells = interval_cells(horizon);
    let rows = cells.iter().enumerate().flat_map(|(i, (start, local))| {
        requirements.iter().map(move |queue| {
            let r = &queue.intervals[i];
            RequirementRow {
                interval_start: start,
                local_start: local,
                queue: &queue.queue,
                volume: format_number(r.volume, 3),
                aht_seconds: format_number(r.aht_seconds, 3),
                required_agents: r.required_agents,
                scheduled_agents: r.scheduled_agents,
                service_level: optional_number(r.service_level, 4),
                asa_seconds: optional_number(r.asa_seconds, 1),
                occupancy: optional_number(r.occupancy, 4),
            }
        })
    });
    write_rows(writer, "requirements.csv", rows)
}

/// One row of `requirements.csv`.
#[derive(Default, Serialize)]
struct RequirementRow<'a> {
    interval_start: &'a str,
    local_start: &'a str,
    queue: &'a str,
    volume: String,
    aht_seconds: String,
    required_agents: u32,
    scheduled_agents: u32,
    service_level: String,
    asa_seconds: String,
    occupancy: String,
}
