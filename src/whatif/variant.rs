//! What what-if variants do to a roster and a forecast, and their validation against a
//! scenario and a roster. The variants themselves and their text forms are domain types
//! ([`crate::domain::variant`]).

use chrono::{DateTime, Duration, NaiveDate, Utc};

use crate::domain::{Change, Roster, TrainingAgents, Variant, format_change, format_range};
use crate::error::{Diagnostics, Error, Result};
use crate::evaluate::{BlockKind, TimeBlock};
use crate::scenario::Scenario;
use crate::time::{Horizon, local_day_start, local_to_utc};
use crate::units::format_clock;
use crate::volume::QueueVolume;

/// Largest volume or AHT change accepted: +9900 %, 100 times the forecast (the largest
/// special-day multiplier); beyond it a change is a typo, not a scenario.
pub const MAX_CHANGE: f64 = 99.0;

impl Variant {
    /// Checks the variant against the scenario and the agents of the roster, collecting every
    /// problem: unknown agent (W1001), date outside the plan (W1002), change at or below −100 %
    /// (W1003), absence rate outside [0, 1] (W1004), unknown queue (W1007). `agents` (sorted)
    /// are the known agent ids, `None` to skip that check. `place` prefixes the messages (e.g.
    /// `whatif[0]`); `"command line"` locates them by flag (`--absent`).
    pub fn validate(
        &self,
        scenario: &Scenario,
        agents: Option<&[String]>,
        place: &str,
        errors: &mut Diagnostics,
    ) {
        // The variant of the command line is located by its flag (`--volume`).
        let at = |field: &str| {
            if place == "command line" {
                format!("--{}", field.replace('_', "-"))
            } else {
                format!("{place}.{field}")
            }
        };
        let plan = &scenario.plan;
        let last = plan.start_date + Duration::days(i64::from(plan.days) - 1);
        let check_date = |date: NaiveDate, field: &str, errors: &mut Diagnostics| {
            if scenario.horizon.day_of_date(date).is_none() {
                errors.push(
                    "W1002",
                    at(field),
                    format!(
                        "date {date} is outside the plan ({} to {last})",
                        plan.start_date
                    ),
                    format!("use a date from {} to {last}", plan.start_date),
                );
            }
        };
        let check_agent = |id: &str, field: &str, errors: &mut Diagnostics| {
            let Some(agents) = agents else { return };
            if agents.binary_search_by(|a| a.as_str().cmp(id)).is_err() {
                let suggestion = agents
                    .iter()
                    .map(|a| (strsim::levenshtein(a, id), a))
                    .min()
                    .filter(|(d, _)| *d <= 2)
                    .map(|(_, a)| format!(" (did you mean {a}?)"))
                    .unwrap_or_default();
                errors.push(
                    "W1001",
                    at(field),
                    format!("agent {} is neither in the roster nor in the scenario's agents{suggestion}", crate::error::echo(id)),
                    "use an agent id from the roster (roster.csv, column agent_id)",
                );
            }
        };
        for absence in &self.absences {
            check_agent(&absence.agent_id, "absent", errors);
            check_date(absence.date, "absent", errors);
        }
        if let Some(rate) = self.absence_rate {
            if !(0.0..=1.0).contains(&rate) || rate.is_nan() {
                errors.push(
                    "W1004",
                    at("absence_rate"),
                    format!(
                        "absence rate {} is outside [0, 1]",
                        crate::units::format_value(rate)
                    ),
                    "write a share such as 0.08 or \"8%\"",
                );
            }
        }
        for (field, changes, floor_allowed) in
            [("volume", &self.volume, true), ("aht", &self.aht, false)]
        {
            for change in changes {
                let too_low = if floor_allowed {
                    change.fraction < -1.0
                } else {
                    change.fraction <= -1.0
                };
                if change.fraction > MAX_CHANGE {
                    errors.push(
                        "W1003",
                        at(field),
                        format!(
                            "change {} is more than +{}% (the {field} times {})",
                            format_change(change),
                            MAX_CHANGE * 100.0,
                            MAX_CHANGE + 1.0
                        ),
                        format!(
                            "give a change between {} and +{}%, e.g. +15%",
                            if floor_allowed { "-100%" } else { "-99%" },
                            MAX_CHANGE * 100.0
                        ),
                    );
                }
                if too_low {
                    errors.push(
                        "W1003",
                        at(field),
                        format!(
                            "change {} would make the {field} negative{}",
                            format_change(change),
                            if floor_allowed { "" } else { " or zero" }
                        ),
                        if floor_allowed {
                            "a volume change is at least -100% (no contacts at all)"
                        } else {
                            "an AHT change must stay above -100%"
                        },
                    );
                }
                if let Some(queue) = &change.queue {
                    if scenario.queue(queue).is_none() {
                        let ids: Vec<&str> =
                            scenario.queues.iter().map(|q| q.id.as_str()).collect();
                        let hint = crate::scenario::toml_input::closest(queue, &ids)
                            .map_or_else(String::new, |best| format!("did you mean {best:?}? "));
                        errors.push(
                            "W1007",
                            at(field),
                            format!(
                                "queue {} is not in the scenario (queues: {})",
                                crate::error::echo(queue),
                                ids.join(", ")
                            ),
                            format!(
                                "{hint}use a queue id of the scenario, or drop the queue to \
                                 change all"
                            ),
                        );
                    }
                }
                if let Some(date) = change.date {
                    check_date(date, field, errors);
                }
            }
        }
        for training in &self.training {
            check_date(training.date, "training", errors);
            if let TrainingAgents::Named(ids) = &training.agents {
                for id in ids {
                    check_agent(id, "training", errors);
                }
            }
        }
    }

    /// A one-line description of what the variant changes.
    pub fn describe(&self) -> String {
        let mut parts = Vec::new();
        for a in &self.absences {
            parts.push(match &a.range {
                None => format!("absent {}@{}", a.agent_id, a.date),
                Some(r) => format!("absent {}@{}T{}", a.agent_id, a.date, format_range(r)),
            });
        }
        if let Some(rate) = self.absence_rate {
            parts.push(format!(
                "absence rate {}%",
                crate::units::format_number(rate * 100.0, 2)
            ));
        }
        for c in &self.volume {
            parts.push(format!("volume {}", format_change(c)));
        }
        for c in &self.aht {
            parts.push(format!("aht {}", format_change(c)));
        }
        for t in &self.training {
            let who = match &t.agents {
                TrainingAgents::Count(n) => n.to_string(),
                TrainingAgents::Named(ids) => ids.join(","),
            };
            parts.push(format!(
                "training {who}@{}T{}",
                t.date,
                format_range(&t.range)
            ));
        }
        if parts.is_empty() {
            "no change".into()
        } else {
            parts.join("; ")
        }
    }
}

/// A variant applied: the roster with whole-day absences removed, the time blocks of partial
/// absences and training, and the changed volumes.
#[derive(Debug, Clone, PartialEq)]
pub struct AppliedVariant {
    /// Roster without the shifts of agents absent for the day.
    pub roster: Roster,
    /// Partial absences and training blocks.
    pub blocks: Vec<TimeBlock>,
    /// Volumes after the volume and AHT changes.
    pub volumes: Vec<QueueVolume>,
    /// Expected random absence rate.
    pub absence_rate: f64,
    /// Remarks (e.g. an absent agent who had no shift that day).
    pub notes: Vec<String>,
    /// Agents absent for a whole local day (re-optimisation gives them no shift that day).
    pub absent_days: Vec<(String, NaiveDate)>,
}

/// UTC instant of a local date and minute (1440 = next local midnight).
pub fn local_instant(horizon: &Horizon, date: NaiveDate, minute: u32) -> Result<DateTime<Utc>> {
    let zone = horizon.zone();
    if minute >= 1440 {
        return Ok(local_day_start(zone, date + Duration::days(1)));
    }
    let naive = date
        .and_hms_opt(minute / 60, minute % 60, 0)
        .ok_or_else(|| {
            Error::input("W1006", date.to_string(), "invalid local time", "use HH:MM")
        })?;
    let text = format!("{date}T{}", format_clock(minute));
    local_to_utc(naive, zone, &text)
        .map_err(|e| Error::input(e.code(), text.clone(), e.cause(zone), e.fix()))
}

/// Multiplies `values` of the matching queue and day by `1 + fraction` for every change.
fn apply_changes(
    changes: &[Change],
    horizon: &Horizon,
    queue_ids: &[String],
    series: &mut [Vec<f64>],
) {
    for change in changes {
        for (q, values) in series.iter_mut().enumerate() {
            if change.queue.as_ref().is_some_and(|id| id != &queue_ids[q]) {
                continue;
            }
            let range = match change.date {
                Some(date) => match horizon.day_of_date(date) {
                    Some(d) => horizon.day_range(d),
                    None => continue,
                },
                None => 0..horizon.len(),
            };
            for v in &mut values[range] {
                *v = (*v * (1.0 + change.fraction)).max(0.0);
            }
        }
    }
}

/// Applies a validated variant to a roster and volumes.
pub fn apply(
    variant: &Variant,
    scenario: &Scenario,
    roster: &Roster,
    volumes: &[QueueVolume],
) -> Result<AppliedVariant> {
    let horizon = &scenario.horizon;
    let mut notes = Vec::new();
    let mut blocks = Vec::new();
    let mut result = roster.clone();
    for absence in &variant.absences {
        match &absence.range {
            None => {
                let before = result.assignments.len();
                result.assignments.retain(|a| {
                    !(a.agent_id == absence.agent_id && a.slot.local_date == absence.date)
                });
                if result.assignments.len() == before {
                    notes.push(format!(
                        "{} has no shift starting on {}; the absence changes nothing",
                        absence.agent_id, absence.date
                    ));
                }
            }
            Some(range) => {
                let start = local_instant(horizon, absence.date, range.start_minute)?;
                let end = local_instant(horizon, absence.date, range.end_minute)?;
                let overlaps = result.assignments.iter().any(|a| {
                    a.agent_id == absence.agent_id && a.slot.start < end && a.slot.end > start
                });
                if !overlaps {
                    notes.push(format!(
                        "{} is not on shift on {} {}; the absence changes nothing",
                        absence.agent_id,
                        absence.date,
                        format_range(range)
                    ));
                }
                blocks.push(TimeBlock {
                    agent_id: absence.agent_id.clone(),
                    start,
                    end,
                    kind: BlockKind::Absent,
                });
            }
        }
    }
    for (t, training) in variant.training.iter().enumerate() {
        let start = local_instant(horizon, training.date, training.range.start_minute)?;
        let end = local_instant(horizon, training.date, training.range.end_minute)?;
        let chosen: Vec<String> = match &training.agents {
            TrainingAgents::Named(ids) => ids.clone(),
            TrainingAgents::Count(n) => {
                // Agents on shift for the whole block and not absent during it.
                let mut on_duty: Vec<String> = result
                    .assignments
                    .iter()
                    .filter(|a| a.slot.start <= start && a.slot.end >= end)
                    .filter(|a| {
                        !blocks.iter().any(|b| {
                            b.agent_id == a.agent_id
                                && b.kind == BlockKind::Absent
                                && b.start < end
                                && b.end > start
                        })
                    })
                    .map(|a| a.agent_id.clone())
                    .collect();
                on_duty.sort();
                on_duty.dedup();
                if on_duty.len() < *n as usize {
                    return Err(Error::input(
                        "W1008",
                        format!("{}.training[{t}]", variant.name),
                        format!(
                            "{n} agents are asked for training on {} {} but only {} are on \
                             shift for the whole block",
                            training.date,
                            format_range(&training.range),
                            on_duty.len()
                        ),
                        "ask for fewer agents, name them, or move the block",
                    ));
                }
                on_duty.truncate(*n as usize);
                on_duty
            }
        };
        for agent_id in chosen {
            blocks.push(TimeBlock {
                agent_id,
                start,
                end,
                kind: BlockKind::OffQueue,
            });
        }
    }
    blocks.sort();
    let queue_ids: Vec<String> = volumes.iter().map(|v| v.queue.clone()).collect();
    let mut series: Vec<Vec<f64>> = volumes.iter().map(|v| v.volume.clone()).collect();
    apply_changes(&variant.volume, horizon, &queue_ids, &mut series);
    let mut aht: Vec<Vec<f64>> = volumes.iter().map(|v| v.aht_seconds.clone()).collect();
    apply_changes(&variant.aht, horizon, &queue_ids, &mut aht);
    let volumes = queue_ids
        .into_iter()
        .zip(series.into_iter().zip(aht))
        .map(|(queue, (volume, aht_seconds))| QueueVolume {
            queue,
            volume,
            aht_seconds,
        })
        .collect();
    Ok(AppliedVariant {
        roster: result,
        blocks,
        volumes,
        absence_rate: variant.absence_rate.unwrap_or(0.0),
        notes,
        absent_days: variant
            .absences
            .iter()
            .filter(|a| a.range.is_none())
            .map(|a| (a.agent_id.clone(), a.date))
            .collect(),
    })
}
