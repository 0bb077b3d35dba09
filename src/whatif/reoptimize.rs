//! Re-optimisation after a what-if: the fewest changes to the published roster that bring every
//! queue's daily service level back to its target.
//!
//! # Changes considered
//!
//! - **extend** a shift earlier or later by whole intervals (up to `max_shift_minutes`);
//! - **move** a shift earlier or later by whole intervals (same length, breaks move along);
//! - **add** a shift for an agent who has none that day (and is not absent that day), in the
//!   agent's skill group, copying the agent's own shift of another day (or one of the group's
//!   shifts) at a start time that shift's template already uses in the roster.
//!
//! Every change must keep the agent's shifts apart by at least `min_rest_hours`, must not add
//! a violation of the roster rules for that agent (contract hours and days, availability, time
//! off, rest, consecutive days — judged by the independent checker, [`crate::check::roster`],
//! when the scenario names its agents), and may only touch a day that misses its target. Each change costs `change_cost` plus its change of paid
//! time (at the shift's own cost rate).
//!
//! # Search
//!
//! The objective is the *deficit*: for every queue and day, the contacts that would have to be
//! answered in time to reach the target, `max(0, (target − SL_day) · volume_day)`, summed. It is
//! zero exactly when every day meets its target. Greedy: at each step apply the candidate change
//! with the largest deficit reduction (ties: lower cost, then generation order), until the
//! deficit is zero, no change helps, or `max_changes` is reached. Then drop any change whose
//! removal keeps the deficit at zero (last first). Greedy is not optimal in general; the tests
//! check it against exhaustive search on small cases.

use chrono::{DateTime, Duration, NaiveDate, Utc};
use serde::Serialize;

use crate::check::roster::{CheckContext, check_roster};
use crate::domain::{Assignment, Roster, ShiftSlot};
use crate::error::Result;
use crate::evaluate::{
    EvaluateOptions, Evaluation, Evaluator, GroupStaffing, ShiftPresence, SkillGroups,
    shift_presence,
};
use crate::scenario::Scenario;
use crate::whatif::AppliedVariant;
use crate::whatif::variant::local_instant;

/// Settings of the re-optimisation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ReoptimizeOptions {
    /// Fixed cost of one change (on top of the change in paid time).
    pub change_cost: f64,
    /// Most changes made.
    pub max_changes: usize,
    /// Largest extension or move, minutes.
    pub max_shift_minutes: u32,
    /// Minimum rest between two shifts of an agent, hours.
    pub min_rest_hours: f64,
}

impl Default for ReoptimizeOptions {
    fn default() -> Self {
        ReoptimizeOptions {
            change_cost: 10.0,
            max_changes: 20,
            max_shift_minutes: 120,
            min_rest_hours: 11.0,
        }
    }
}

/// Kind of roster change.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ChangeKind {
    /// Shift made longer.
    Extend,
    /// Shift moved.
    Move,
    /// Shift added on a day off.
    Add,
}

/// One change to the roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterChange {
    /// What kind.
    pub kind: ChangeKind,
    /// Agent.
    pub agent_id: String,
    /// The shift before (extend, move).
    pub before: Option<ShiftSlot>,
    /// The shift after.
    pub after: ShiftSlot,
    /// Cost of the change (fixed cost + change of shift cost).
    pub cost: f64,
}

impl RosterChange {
    /// e.g. `extend A017 2026-11-24 08:00-16:00 -> 07:00-16:00`.
    pub fn describe(&self, scenario: &Scenario) -> String {
        let zone = scenario.horizon.zone();
        let span = |s: &ShiftSlot| {
            format!(
                "{}-{}",
                s.start.with_timezone(&zone).format("%H:%M"),
                s.end.with_timezone(&zone).format("%H:%M")
            )
        };
        let kind = match self.kind {
            ChangeKind::Extend => "extend",
            ChangeKind::Move => "move",
            ChangeKind::Add => "add",
        };
        match &self.before {
            Some(before) => format!(
                "{kind} {} {} {} -> {}",
                self.agent_id,
                self.after.local_date,
                span(before),
                span(&self.after)
            ),
            None => format!(
                "{kind} {} {} {} ({})",
                self.agent_id,
                self.after.local_date,
                span(&self.after),
                self.after.template
            ),
        }
    }
}

/// The result of a re-optimisation.
#[derive(Debug, Clone, PartialEq)]
pub struct Reoptimization {
    /// The changed roster (what-if blocks still apply to it).
    pub roster: Roster,
    /// The changes, in the order applied.
    pub changes: Vec<RosterChange>,
    /// Sum of the changes' costs.
    pub cost_delta: f64,
    /// Evaluation of the changed roster.
    pub evaluation: Evaluation,
    /// Whether every queue-day meets its target.
    pub recovered: bool,
}

/// Contacts missing to reach each queue's daily target, summed over queues and days.
pub fn deficit(evaluation: &Evaluation, horizon: &crate::time::Horizon) -> f64 {
    let mut total = 0.0;
    for queue in &evaluation.queues {
        let Some(target) = queue.target else { continue };
        for d in 0..horizon.days() as usize {
            let mut volume = 0.0;
            let mut answered = 0.0;
            for i in horizon.day_range(d) {
                let r = &queue.intervals[i];
                if let (Some(sl), true) = (r.service_level, r.volume > 0.0) {
                    volume += r.volume;
                    answered += r.volume * sl;
                }
            }
            total += (target * volume - answered).max(0.0);
        }
    }
    total
}

fn failing_days(evaluation: &Evaluation) -> Vec<usize> {
    let mut days: Vec<usize> = evaluation
        .queues
        .iter()
        .filter_map(|q| q.target.map(|t| (q, t)))
        .flat_map(|(q, t)| {
            q.days
                .iter()
                .enumerate()
                .filter(move |(_, sl)| sl.is_some_and(|v| v < t - 1e-12))
                .map(|(d, _)| d)
        })
        .collect();
    days.sort_unstable();
    days.dedup();
    days
}

fn shifted(slot: &ShiftSlot, start: Duration, end: Duration, breaks: Duration) -> ShiftSlot {
    let mut s = slot.clone();
    s.start += start;
    s.end += end;
    for b in &mut s.breaks {
        b.start += breaks;
        b.end += breaks;
    }
    let added = (end - start).num_seconds() as f64;
    let rate = if slot.paid_seconds > 0.0 {
        slot.cost / slot.paid_seconds
    } else {
        0.0
    };
    s.paid_seconds = slot.paid_seconds + added;
    s.cost = slot.cost + rate * added;
    s
}

struct Search<'s, 'a> {
    scenario: &'s Scenario,
    groups: &'s SkillGroups,
    evaluator: &'s Evaluator<'a>,
    applied: &'s AppliedVariant,
    options: &'s ReoptimizeOptions,
}

impl Search<'_, '_> {
    fn presence(&self, agent_id: &str, slot: &ShiftSlot) -> Result<ShiftPresence> {
        let roster = Roster {
            assignments: vec![Assignment {
                agent_id: agent_id.to_string(),
                slot: slot.clone(),
            }],
            unfilled: Vec::new(),
        };
        let mut list = shift_presence(
            &roster,
            &self.applied.blocks,
            &self.scenario.horizon,
            self.groups,
        )?;
        Ok(list.remove(0))
    }

    /// Whether `slot` keeps the rest rule with the agent's other shifts (`skip` = index of the
    /// shift it replaces).
    fn rest_ok(
        &self,
        assignments: &[Assignment],
        agent: &str,
        slot: &ShiftSlot,
        skip: Option<usize>,
    ) -> bool {
        let rest = Duration::seconds((self.options.min_rest_hours * 3600.0) as i64);
        assignments.iter().enumerate().all(|(k, a)| {
            Some(k) == skip
                || a.agent_id != agent
                || a.slot.end + rest <= slot.start
                || slot.end + rest <= a.slot.start
        })
    }

    /// Violations of the roster rules (contract, availability, time off, rest, consecutive
    /// days) of `agent`'s shifts, by the independent checker; 0 when the scenario names no
    /// agents (the checker needs them).
    fn rule_violations(
        &self,
        assignments: &[Assignment],
        agent: &str,
        replace: Option<(usize, &ShiftSlot)>,
        add: Option<&ShiftSlot>,
    ) -> usize {
        let workforce = &self.scenario.workforce;
        if workforce.agents.is_empty() {
            return 0;
        }
        let mut mine: Vec<Assignment> = assignments
            .iter()
            .enumerate()
            .filter(|(_, a)| a.agent_id == agent)
            .map(|(k, a)| match replace {
                Some((index, slot)) if index == k => Assignment {
                    agent_id: a.agent_id.clone(),
                    slot: slot.clone(),
                },
                _ => a.clone(),
            })
            .collect();
        if let Some(slot) = add {
            mine.push(Assignment {
                agent_id: agent.to_string(),
                slot: slot.clone(),
            });
        }
        let roster = Roster {
            assignments: mine,
            unfilled: Vec::new(),
        };
        let context = CheckContext {
            agents: &workforce.agents,
            time_off: &workforce.time_off,
            rules: &workforce.rules,
            horizon: &self.scenario.horizon,
            plan: None,
        };
        check_roster(&roster, &context).violations.len()
    }

    fn local_date(&self, t: DateTime<Utc>) -> NaiveDate {
        t.with_timezone(&self.scenario.horizon.zone()).date_naive()
    }

    /// Candidate changes touching the failing `days`: (index replaced or None, change).
    fn candidates(
        &self,
        assignments: &[Assignment],
        days: &[usize],
    ) -> Result<Vec<(Option<usize>, RosterChange)>> {
        let horizon = &self.scenario.horizon;
        let step = i64::from(horizon.interval_minutes());
        let steps = i64::from(self.options.max_shift_minutes) / step;
        let dates: Vec<NaiveDate> = days.iter().map(|&d| horizon.date_of_day(d)).collect();
        let mut out = Vec::new();
        let mut known: std::collections::BTreeMap<String, usize> = Default::default();
        let mut baseline = |agent: &str| -> usize {
            *known
                .entry(agent.to_string())
                .or_insert_with(|| self.rule_violations(assignments, agent, None, None))
        };
        for (k, a) in assignments.iter().enumerate() {
            if !dates.contains(&a.slot.local_date) {
                continue;
            }
            for n in 1..=steps {
                let delta = Duration::minutes(n * step);
                let options = [
                    (
                        ChangeKind::Extend,
                        -delta,
                        Duration::zero(),
                        Duration::zero(),
                    ),
                    (
                        ChangeKind::Extend,
                        Duration::zero(),
                        delta,
                        Duration::zero(),
                    ),
                    (ChangeKind::Move, -delta, -delta, -delta),
                    (ChangeKind::Move, delta, delta, delta),
                ];
                for (kind, start, end, breaks) in options {
                    let after = shifted(&a.slot, start, end, breaks);
                    if self.local_date(after.start) != a.slot.local_date
                        || !self.rest_ok(assignments, &a.agent_id, &after, Some(k))
                        || self.rule_violations(assignments, &a.agent_id, Some((k, &after)), None)
                            > baseline(&a.agent_id)
                    {
                        continue;
                    }
                    let cost = self.options.change_cost + after.cost - a.slot.cost;
                    out.push((
                        Some(k),
                        RosterChange {
                            kind,
                            agent_id: a.agent_id.clone(),
                            before: Some(a.slot.clone()),
                            after,
                            cost,
                        },
                    ));
                }
            }
        }
        // Adds: agents (sorted) without a shift that day.
        let mut agents: Vec<&str> = assignments.iter().map(|a| a.agent_id.as_str()).collect();
        agents.extend(self.scenario.workforce.agents.iter().map(|a| a.id.as_str()));
        agents.sort_unstable();
        agents.dedup();
        for &date in &dates {
            for &agent in &agents {
                let works = assignments
                    .iter()
                    .any(|a| a.agent_id == agent && a.slot.local_date == date);
                let absent = self
                    .applied
                    .absent_days
                    .iter()
                    .any(|(id, d)| id == agent && *d == date);
                if works || absent {
                    continue;
                }
                // The agent's own shift of another day, else a shift of one of its skill groups.
                let skills: Vec<&str> = self
                    .scenario
                    .workforce
                    .agent(agent)
                    .map(|a| a.skill_groups.iter().map(String::as_str).collect())
                    .unwrap_or_default();
                let Some(reference) =
                    assignments
                        .iter()
                        .find(|a| a.agent_id == agent)
                        .or_else(|| {
                            skills
                                .iter()
                                .find_map(|g| assignments.iter().find(|a| a.slot.skill_group == *g))
                        })
                else {
                    continue;
                };
                let mut starts: Vec<u32> = assignments
                    .iter()
                    .filter(|a| a.slot.template == reference.slot.template)
                    .map(|a| {
                        let local = a.slot.start.with_timezone(&horizon.zone());
                        chrono::Timelike::hour(&local) * 60 + chrono::Timelike::minute(&local)
                    })
                    .collect();
                starts.sort_unstable();
                starts.dedup();
                for minute in starts {
                    let Ok(start) = local_instant(horizon, date, minute) else {
                        continue;
                    };
                    let offset = start - reference.slot.start;
                    let mut after = shifted(&reference.slot, offset, offset, offset);
                    after.local_date = date;
                    after.slot_id = format!(
                        "{}@{}#reopt",
                        after.template,
                        crate::time::format_utc(start)
                    );
                    after.paid_seconds = reference.slot.paid_seconds;
                    after.cost = reference.slot.cost;
                    if !self.rest_ok(assignments, agent, &after, None)
                        || self.rule_violations(assignments, agent, None, Some(&after))
                            > baseline(agent)
                    {
                        continue;
                    }
                    let cost = self.options.change_cost + after.cost;
                    out.push((
                        None,
                        RosterChange {
                            kind: ChangeKind::Add,
                            agent_id: agent.to_string(),
                            before: None,
                            after,
                            cost,
                        },
                    ));
                }
            }
        }
        Ok(out)
    }
}

fn add_presence(staffing: &mut GroupStaffing, p: &ShiftPresence, sign: f64) {
    for (k, (s, q)) in p.on_shift.iter().zip(&p.on_queue).enumerate() {
        staffing.on_shift[p.group][p.first_interval + k] += sign * s;
        staffing.on_queue[p.group][p.first_interval + k] += sign * q;
    }
}

/// Every candidate change for the days that miss their target in the applied variant (the
/// search space of [`reoptimize`]'s first step; used by tests to check the greedy against
/// exhaustive search).
pub fn candidate_changes(
    scenario: &Scenario,
    groups: &SkillGroups,
    applied: &AppliedVariant,
    evaluate_options: EvaluateOptions,
    options: &ReoptimizeOptions,
) -> Result<Vec<RosterChange>> {
    let horizon = &scenario.horizon;
    let presences = shift_presence(&applied.roster, &applied.blocks, horizon, groups)?;
    let staffing = GroupStaffing::from_presence(&presences, groups.len(), horizon.len());
    let evaluate_options = EvaluateOptions {
        absence_rate: 1.0 - (1.0 - evaluate_options.absence_rate) * (1.0 - applied.absence_rate),
        ..evaluate_options
    };
    let evaluator = Evaluator::new(
        scenario,
        groups,
        applied.volumes.clone(),
        evaluate_options,
        None,
    )?;
    let search = Search {
        scenario,
        groups,
        evaluator: &evaluator,
        applied,
        options,
    };
    let days = failing_days(&evaluator.evaluate(&staffing));
    Ok(search
        .candidates(&applied.roster.assignments, &days)?
        .into_iter()
        .map(|(_, c)| c)
        .collect())
}

/// Applies changes to a roster: a change with a `before` shift replaces the agent's shift with
/// that slot id; an added shift is appended. Assignments are re-sorted.
pub fn apply_changes(roster: &Roster, changes: &[RosterChange]) -> Roster {
    let mut out = roster.clone();
    for change in changes {
        match &change.before {
            Some(before) => {
                if let Some(a) = out
                    .assignments
                    .iter_mut()
                    .find(|a| a.agent_id == change.agent_id && a.slot.slot_id == before.slot_id)
                {
                    a.slot = change.after.clone();
                }
            }
            None => out.assignments.push(Assignment {
                agent_id: change.agent_id.clone(),
                slot: change.after.clone(),
            }),
        }
    }
    out.assignments.sort_by(|a, b| {
        (&a.agent_id, a.slot.start, &a.slot.slot_id).cmp(&(
            &b.agent_id,
            b.slot.start,
            &b.slot.slot_id,
        ))
    });
    out
}

/// Re-optimises the roster of an applied variant (see the module documentation).
pub fn reoptimize(
    scenario: &Scenario,
    groups: &SkillGroups,
    applied: &AppliedVariant,
    evaluate_options: EvaluateOptions,
    options: &ReoptimizeOptions,
) -> Result<Reoptimization> {
    let horizon = &scenario.horizon;
    let evaluate_options = EvaluateOptions {
        absence_rate: 1.0 - (1.0 - evaluate_options.absence_rate) * (1.0 - applied.absence_rate),
        ..evaluate_options
    };
    let mut assignments = applied.roster.assignments.clone();
    let mut presences = shift_presence(&applied.roster, &applied.blocks, horizon, groups)?;
    let mut staffing = GroupStaffing::from_presence(&presences, groups.len(), horizon.len());
    // Table with room for a few more agents per group.
    let mut capacity = staffing.clone();
    for group in &mut capacity.on_queue {
        for x in group.iter_mut() {
            *x += 4.0;
        }
    }
    let evaluator = Evaluator::new(
        scenario,
        groups,
        applied.volumes.clone(),
        evaluate_options,
        Some(&capacity),
    )?;
    let search = Search {
        scenario,
        groups,
        evaluator: &evaluator,
        applied,
        options,
    };
    let mut evaluation = evaluator.evaluate(&staffing);
    let mut current = deficit(&evaluation, horizon);
    let mut changes: Vec<(Option<usize>, RosterChange)> = Vec::new();
    while current > 1e-9 && changes.len() < options.max_changes {
        let days = failing_days(&evaluation);
        let mut best: Option<(f64, f64, usize)> = None;
        let candidates = search.candidates(&assignments, &days)?;
        let mut trial_presences = Vec::with_capacity(candidates.len());
        for (c, (replaced, change)) in candidates.iter().enumerate() {
            let new = search.presence(&change.agent_id, &change.after)?;
            let mut trial = staffing.clone();
            if let Some(k) = replaced {
                add_presence(&mut trial, &presences[*k], -1.0);
            }
            add_presence(&mut trial, &new, 1.0);
            let value = deficit(&search.evaluator.evaluate(&trial), horizon);
            trial_presences.push(new);
            let better = match best {
                None => true,
                Some((v, cost, _)) => {
                    value < v - 1e-9 || (value <= v + 1e-9 && change.cost < cost - 1e-9)
                }
            };
            if better {
                best = Some((value, change.cost, c));
            }
        }
        let Some((value, _, c)) = best else { break };
        if value >= current - 1e-9 {
            break;
        }
        let (replaced, change) = candidates[c].clone();
        let new = trial_presences.swap_remove(c);
        match replaced {
            Some(k) => {
                add_presence(&mut staffing, &presences[k], -1.0);
                assignments[k].slot = change.after.clone();
                presences[k] = new;
                add_presence(&mut staffing, &presences[k], 1.0);
            }
            None => {
                add_presence(&mut staffing, &new, 1.0);
                assignments.push(Assignment {
                    agent_id: change.agent_id.clone(),
                    slot: change.after.clone(),
                });
                presences.push(new);
            }
        }
        // A second change of the same shift is one change: keep the original `before`.
        let index = replaced.unwrap_or(assignments.len() - 1);
        match changes.iter_mut().find(|(i, _)| *i == Some(index)) {
            Some((_, earlier)) => {
                let original_cost = earlier.before.as_ref().map_or(0.0, |b| b.cost);
                earlier.cost = options.change_cost + change.after.cost - original_cost;
                if earlier.kind != ChangeKind::Add && change.kind != earlier.kind {
                    earlier.kind = ChangeKind::Extend;
                }
                earlier.after = change.after;
            }
            None => changes.push((Some(index), change)),
        }
        evaluation = evaluator.evaluate(&staffing);
        current = deficit(&evaluation, horizon);
    }
    // Prune: undo a change (last first) when the target still holds without it and no later
    // change touched the same shift.
    if current <= 1e-9 {
        let mut k = changes.len();
        while k > 0 {
            k -= 1;
            let (Some(index), change) = changes[k].clone() else {
                continue;
            };
            if changes[k + 1..].iter().any(|(i, _)| *i == Some(index)) {
                continue;
            }
            let mut trial = staffing.clone();
            add_presence(&mut trial, &presences[index], -1.0);
            let restored = match &change.before {
                Some(before) => Some(search.presence(&change.agent_id, before)?),
                None => None,
            };
            if let Some(p) = &restored {
                add_presence(&mut trial, p, 1.0);
            }
            if deficit(&evaluator.evaluate(&trial), horizon) <= 1e-9 {
                staffing = trial;
                match (change.before, restored) {
                    (Some(before), Some(p)) => {
                        assignments[index].slot = before;
                        presences[index] = p;
                    }
                    _ => {
                        // An added shift: neutralise it (removed from the roster below).
                        presences[index].on_shift.iter_mut().for_each(|x| *x = 0.0);
                        presences[index].on_queue.iter_mut().for_each(|x| *x = 0.0);
                        assignments[index].slot.slot_id.clear();
                    }
                }
                changes.remove(k);
            }
        }
        assignments.retain(|a| !a.slot.slot_id.is_empty());
        evaluation = evaluator.evaluate(&staffing);
        current = deficit(&evaluation, horizon);
    }
    assignments.sort_by(|a, b| {
        (&a.agent_id, a.slot.start, &a.slot.slot_id).cmp(&(
            &b.agent_id,
            b.slot.start,
            &b.slot.slot_id,
        ))
    });
    let changes: Vec<RosterChange> = changes.into_iter().map(|(_, c)| c).collect();
    let cost_delta = changes.iter().map(|c| c.cost).sum();
    Ok(Reoptimization {
        roster: Roster {
            assignments,
            unfilled: applied.roster.unfilled.clone(),
        },
        changes,
        cost_delta,
        evaluation,
        recovered: current <= 1e-9,
    })
}
