//! Who is on shift and who is on the queue, per interval: the roster turned into (fractional)
//! agent counts per skill group.
//!
//! An agent contributes to interval `i` the fraction of `i` it spends on shift (`on_shift`) and
//! the fraction it spends on the queue (`on_queue`: on shift, not on a break, not in a what-if
//! training block, not absent). A 15-minute break inside a 30-minute interval is half an agent.
//! Times are handled as whole seconds from the horizon start; the grid is uniform in UTC, so
//! the interval of second `t` is `t / interval_seconds`.

use chrono::{DateTime, NaiveDate, Utc};

use crate::domain::{Assignment, Roster};
use crate::error::{Error, Result};
use crate::scenario::Scenario;
use crate::time::Horizon;

/// Which queues each skill group works. Groups are kept sorted by id.
#[derive(Debug, Clone, PartialEq)]
pub struct SkillGroups {
    ids: Vec<String>,
    /// Queue indices (scenario order) of each group, ascending.
    queues: Vec<Vec<usize>>,
}

impl SkillGroups {
    /// One group per queue, named after the queue: the layout of a scenario without
    /// `[[skill_group]]` tables.
    pub fn one_per_queue(scenario: &Scenario) -> SkillGroups {
        let mut pairs: Vec<(String, Vec<usize>)> = scenario
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| (queue.id.clone(), vec![q]))
            .collect();
        pairs.sort();
        SkillGroups {
            ids: pairs.iter().map(|p| p.0.clone()).collect(),
            queues: pairs.into_iter().map(|p| p.1).collect(),
        }
    }

    /// The scenario's skill groups (`[[skill_group]]`, or one per queue when it defines none).
    pub fn from_scenario(scenario: &Scenario) -> SkillGroups {
        let mut pairs: Vec<(String, Vec<usize>)> = scenario
            .shifts
            .skill_groups
            .iter()
            .map(|g| {
                let mut queues = g.queues.clone();
                queues.sort_unstable();
                queues.dedup();
                (g.id.clone(), queues)
            })
            .collect();
        if pairs.is_empty() {
            return SkillGroups::one_per_queue(scenario);
        }
        pairs.sort();
        SkillGroups {
            ids: pairs.iter().map(|p| p.0.clone()).collect(),
            queues: pairs.into_iter().map(|p| p.1).collect(),
        }
    }

    /// Groups from `(group id, queue ids)` pairs; every queue id must exist in the scenario.
    pub fn new(scenario: &Scenario, groups: &[(String, Vec<String>)]) -> Result<SkillGroups> {
        let mut pairs = Vec::new();
        for (id, queue_ids) in groups {
            let mut indices = Vec::new();
            for queue_id in queue_ids {
                let Some(q) = scenario.queues.iter().position(|q| &q.id == queue_id) else {
                    return Err(Error::input(
                        "W1012",
                        format!("skill group {}", crate::error::echo(id)),
                        format!(
                            "queue {} is not a queue of the scenario",
                            crate::error::echo(queue_id)
                        ),
                        "list queue ids from the scenario's [[queue]] tables",
                    ));
                };
                indices.push(q);
            }
            indices.sort_unstable();
            indices.dedup();
            pairs.push((id.clone(), indices));
        }
        pairs.sort();
        pairs.dedup_by(|a, b| a.0 == b.0);
        Ok(SkillGroups {
            ids: pairs.iter().map(|p| p.0.clone()).collect(),
            queues: pairs.into_iter().map(|p| p.1).collect(),
        })
    }

    /// Number of groups.
    pub fn len(&self) -> usize {
        self.ids.len()
    }

    /// True when there are no groups.
    pub fn is_empty(&self) -> bool {
        self.ids.is_empty()
    }

    /// Group ids, sorted.
    pub fn ids(&self) -> &[String] {
        &self.ids
    }

    /// Index of a group id.
    pub fn index_of(&self, id: &str) -> Option<usize> {
        self.ids.binary_search_by(|g| g.as_str().cmp(id)).ok()
    }

    /// Queue indices worked by group `g`.
    pub fn queues_of(&self, g: usize) -> &[usize] {
        &self.queues[g]
    }
}

/// What a what-if block does to an agent's time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum BlockKind {
    /// The agent is not there (sick for part of the day): off shift.
    Absent,
    /// The agent is there but off the queue (meeting, training, coaching).
    OffQueue,
}

/// A stretch of one agent's time taken away from the queue by a what-if variant.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct TimeBlock {
    /// Agent id.
    pub agent_id: String,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Absent or off the queue.
    pub kind: BlockKind,
}

/// One assignment's presence on the grid.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftPresence {
    /// Agent id.
    pub agent_id: String,
    /// Skill group index in [`SkillGroups`].
    pub group: usize,
    /// Local start date of the shift.
    pub local_date: NaiveDate,
    /// Plan day of `local_date` (`None` when the shift starts outside the plan).
    pub day: Option<usize>,
    /// First interval touched.
    pub first_interval: usize,
    /// Fraction of each interval from `first_interval` on shift.
    pub on_shift: Vec<f64>,
    /// Fraction of each interval from `first_interval` on the queue.
    pub on_queue: Vec<f64>,
    /// On-queue stretches, seconds from the horizon start, sorted and disjoint (for the
    /// simulation).
    pub duty: Vec<(i64, i64)>,
}

/// Subtracts the union of `cuts` from the sorted disjoint `segments`.
fn subtract(segments: &[(i64, i64)], cuts: &[(i64, i64)]) -> Vec<(i64, i64)> {
    let mut out = Vec::new();
    for &(start, end) in segments {
        let mut pieces = vec![(start, end)];
        for &(cut_start, cut_end) in cuts {
            let mut next = Vec::with_capacity(pieces.len() + 1);
            for (a, b) in pieces {
                if cut_end <= a || cut_start >= b {
                    next.push((a, b));
                    continue;
                }
                if cut_start > a {
                    next.push((a, cut_start));
                }
                if cut_end < b {
                    next.push((cut_end, b));
                }
            }
            pieces = next;
        }
        out.extend(pieces);
    }
    out.retain(|(a, b)| b > a);
    out.sort_unstable();
    out
}

/// Adds the time of `segments` to `target` (one entry per interval from `first`), as fractions
/// of an interval of `step` seconds; `len` is the number of intervals of the horizon.
fn accumulate(segments: &[(i64, i64)], step: i64, len: usize, first: usize, target: &mut [f64]) {
    for &(a, b) in segments {
        let a = a.max(0);
        let b = b.min(step * len as i64);
        let mut t = a;
        while t < b {
            let i = (t / step) as usize;
            let stop = ((i as i64 + 1) * step).min(b);
            target[i - first] += (stop - t) as f64 / step as f64;
            t = stop;
        }
    }
}

/// Presence of every assignment of `roster` with the what-if `blocks` applied. Assignments in
/// a skill group that `groups` does not know are an error (`W1013`).
pub fn shift_presence(
    roster: &Roster,
    blocks: &[TimeBlock],
    horizon: &Horizon,
    groups: &SkillGroups,
) -> Result<Vec<ShiftPresence>> {
    let origin = horizon.horizon_start();
    let seconds = |t: DateTime<Utc>| (t - origin).num_seconds();
    let step = horizon.interval_seconds() as i64;
    let len = horizon.len();
    let mut out = Vec::with_capacity(roster.assignments.len());
    for Assignment { agent_id, slot } in &roster.assignments {
        let Some(group) = groups.index_of(&slot.skill_group) else {
            return Err(Error::input(
                "W1013",
                format!("roster, agent {agent_id}, shift {}", slot.slot_id),
                format!(
                    "skill group {} is not known (known: {})",
                    crate::error::echo(&slot.skill_group),
                    groups.ids().join(", ")
                ),
                "declare the skill group in the scenario or fix the roster",
            ));
        };
        let (start, end) = (seconds(slot.start), seconds(slot.end));
        let mine: Vec<&TimeBlock> = blocks
            .iter()
            .filter(|b| &b.agent_id == agent_id && b.start < slot.end && b.end > slot.start)
            .collect();
        let span = |kind: Option<BlockKind>| -> Vec<(i64, i64)> {
            mine.iter()
                .filter(|b| kind.is_none_or(|k| b.kind == k))
                .map(|b| (seconds(b.start), seconds(b.end)))
                .collect()
        };
        let present = subtract(&[(start, end)], &span(Some(BlockKind::Absent)));
        let mut off: Vec<(i64, i64)> = slot
            .breaks
            .iter()
            .map(|b| (seconds(b.start), seconds(b.end)))
            .collect();
        off.extend(span(Some(BlockKind::OffQueue)));
        let duty = subtract(&present, &off);
        let clipped_start = start.clamp(0, step * len as i64);
        let clipped_end = end.clamp(0, step * len as i64);
        let first_interval = ((clipped_start / step) as usize).min(len.saturating_sub(1));
        let last = if clipped_end > clipped_start {
            ((clipped_end - 1) / step) as usize + 1
        } else {
            first_interval
        };
        let width = last.saturating_sub(first_interval);
        let mut on_shift = vec![0.0; width];
        let mut on_queue = vec![0.0; width];
        accumulate(&present, step, len, first_interval, &mut on_shift);
        accumulate(&duty, step, len, first_interval, &mut on_queue);
        out.push(ShiftPresence {
            agent_id: agent_id.clone(),
            group,
            local_date: slot.local_date,
            day: horizon.day_of_date(slot.local_date),
            first_interval,
            on_shift,
            on_queue,
            duty,
        });
    }
    Ok(out)
}

/// Agents per skill group per interval (fractional: time averages).
#[derive(Debug, Clone, PartialEq)]
pub struct GroupStaffing {
    /// `on_shift[g][i]`: agents of group `g` on shift in interval `i`.
    pub on_shift: Vec<Vec<f64>>,
    /// `on_queue[g][i]`: agents of group `g` on the queue in interval `i`.
    pub on_queue: Vec<Vec<f64>>,
}

impl GroupStaffing {
    /// Sums the presences of the given shifts.
    pub fn from_presence<'a>(
        presences: impl IntoIterator<Item = &'a ShiftPresence>,
        groups: usize,
        intervals: usize,
    ) -> GroupStaffing {
        let mut on_shift = vec![vec![0.0; intervals]; groups];
        let mut on_queue = vec![vec![0.0; intervals]; groups];
        for p in presences {
            let first = p.first_interval;
            for (k, (s, q)) in p.on_shift.iter().zip(&p.on_queue).enumerate() {
                on_shift[p.group][first + k] += s;
                on_queue[p.group][first + k] += q;
            }
        }
        GroupStaffing { on_shift, on_queue }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn subtract_cuts_holes() {
        assert_eq!(
            subtract(&[(0, 100)], &[(10, 20), (15, 30), (90, 200)]),
            vec![(0, 10), (30, 90)]
        );
        assert_eq!(subtract(&[(0, 100)], &[(-5, 500)]), vec![]);
    }

    #[test]
    fn accumulate_splits_across_intervals() {
        let mut v = vec![0.0; 3];
        accumulate(&[(900, 2700), (3000, 3600)], 1800, 3, 0, &mut v);
        assert_eq!(v, vec![0.5, 0.5 + 1.0 / 3.0, 0.0]);
    }
}
