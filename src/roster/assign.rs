//! Assigning named agents to the scheduled shift slots.
//!
//! Method (a constructive heuristic with exact rule checks, then augmenting repair and local
//! search; measured against brute force and a MIP optimum in `tests/roster_optimality.rs`):
//!
//! 1. Slots with the same skill group, template, start, end and paid time are one *class*:
//!    they are interchangeable for every rule, so the search works on classes.
//! 2. Static eligibility of an agent for a class: skill group, availability in the agent's own
//!    zone, no overlap with time off, and paid time within the weekly maximum.
//! 3. Construction, in start order or scarcest classes first (fewest eligible agents; both are
//!    tried, see 6): each slot goes to the feasible agent with the lowest added penalty
//!    (preferred template and start, same start across the week, hours below the contract
//!    minimum, weekend shifts spread, less flexible agents first).
//! 4. When no agent can take a slot directly, a breadth-first *augmenting path* search moves
//!    work along a chain: agent 1 drops one of its shifts to take the slot, agent 2 takes the
//!    dropped shift, and so on until an agent takes the last one directly (or the last dropped
//!    shift is shorter than the slot filled, a net gain). Every step is checked against every
//!    rule for the agent it changes, so the roster is valid at all times.
//!    A chain may also end with an agent trading one of its shifts for an open one on the
//!    same day to make room; during construction a chain may leave an earlier slot of equal
//!    coverage open to fill a later one (it frees an agent for the days still to come).
//! 5. Local search (moves and swaps between agents) lowers the penalty without losing
//!    coverage; a final augmenting pass retries the slots still open.
//! 6. With the one-block days-off rule, construction first only asks that each week's
//!    working days can still be completed to one block; gaps are then filled (from open slots
//!    or by taking a shift from an agent who can spare it) or cut, and everything after runs
//!    with the strict rule. Four strategies are tried (relaxed, strict, relaxed without
//!    neutral moves, relaxed scarcest first; without the rule: scarcest first and start
//!    order), until one fills every slot; the best roster is kept.
//!
//! The result is deterministic: agents are processed in id order, classes in a fixed order,
//! ties broken by index.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc, Weekday};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::calendar::{LocalShift, WeeklyAvailability, days_off_form_one_block, week_of};
use crate::domain::{Agent, Assignment, Roster, Rules, ShiftSlot, Shortfall, TimeOff};
use crate::time::Horizon;

/// Everything the assignment needs.
#[derive(Debug, Clone, Copy)]
pub struct RosterInput<'a> {
    /// Scheduled shift slots (one per agent needed).
    pub slots: &'a [ShiftSlot],
    /// Agents.
    pub agents: &'a [Agent],
    /// Approved time off.
    pub time_off: &'a [TimeOff],
    /// Rules for everyone.
    pub rules: &'a Rules,
    /// The plan's horizon (first date and number of days).
    pub horizon: &'a Horizon,
}

/// Counters of the search, for reports and benches.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct AssignStats {
    /// Slots in the plan.
    pub slots: usize,
    /// Interchangeable slot classes.
    pub classes: usize,
    /// Slots filled directly.
    pub direct: usize,
    /// Slots filled through an augmenting path.
    pub augmented: usize,
    /// Improving local-search moves and swaps.
    pub improvements: usize,
    /// Total penalty of preferences, stability, minimum hours and weekends at the end.
    pub penalty: f64,
}

/// The roster with its shortfall explained.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RosterOutcome {
    /// Assignments and unfilled slots.
    pub roster: Roster,
    /// Unfilled work grouped by shift, in start order.
    pub shortfall: Vec<Shortfall>,
    /// Counters.
    pub stats: AssignStats,
}

impl RosterOutcome {
    /// On-duty agent-hours of the plan that no agent works.
    pub fn shortfall_agent_hours(&self) -> f64 {
        self.roster.unfilled_agent_hours()
    }
}

// Penalty weights (per hour or per event); coverage always comes first.
const WEIGHT_TEMPLATE: f64 = 2.0;
const WEIGHT_START_HOUR: f64 = 1.0;
const WEIGHT_STABILITY_HOUR: f64 = 1.0;
const WEIGHT_UNDER_MIN_HOUR: f64 = 3.0;
const WEIGHT_WEEKEND: f64 = 2.0;
const WEIGHT_FLEXIBILITY: f64 = 0.5;
const WEIGHT_CONTINUE: f64 = 0.0;
const EPSILON: f64 = 1e-9;
/// Rule checks one augmenting search may spend before giving up.
const SEARCH_BUDGET: usize = 150_000;

struct Class {
    skill: String,
    template: String,
    start: DateTime<Utc>,
    end: DateTime<Utc>,
    paid: i64,
    weight: i64,
    /// Input slot indices, in slot-id order.
    slots: Vec<usize>,
    eligible: Vec<u32>,
}

struct AgentFacts {
    zone: usize,
    min_week_seconds: f64,
    max_week_seconds: i64,
    max_days: u32,
    max_consecutive: u32,
    preferred_template: Option<String>,
    preferred_start: Option<u32>,
    flexibility: f64,
}

#[derive(Clone, Copy)]
struct Held {
    class: u32,
    slot: u32,
}

struct Search<'a> {
    input: RosterInput<'a>,
    classes: Vec<Class>,
    facts: Vec<AgentFacts>,
    /// Local facts per zone per class.
    local: Vec<Vec<LocalShift>>,
    /// Eligibility bitset per agent over classes.
    eligible_bits: Vec<Vec<u64>>,
    /// Eligible classes per agent, in start order.
    agent_classes: Vec<Vec<u32>>,
    held: Vec<Vec<Held>>,
    holder: Vec<Option<u32>>,
    free: Vec<Vec<usize>>,
    plan_days: i32,
    stats: AssignStats,
    /// Days-off blocks only need to be completable (construction phase).
    relaxed: bool,
    /// Construction may leave an earlier slot open to fill a later one of equal weight (it
    /// frees an agent for the days still to come).
    neutral_moves: bool,
    /// Construction fills the classes with the fewest eligible agents first (else in start
    /// order).
    scarce_first: bool,
    /// Per agent: week -> days of that week with at least one eligible class.
    open_days: Vec<BTreeMap<i32, u8>>,
}

/// Assigns agents to slots. See the module docs for the method.
pub fn assign(input: RosterInput<'_>) -> RosterOutcome {
    // Construction scarcest classes first and in start order; the one-block days-off rule
    // makes construction order matter more: there a relaxed build (gaps closed or cut
    // afterwards), a strict one and a relaxed one without neutral moves are tried too. The
    // best is kept (most coverage, then least penalty; ties keep the first).
    let strategies: &[(bool, bool, bool)] = if input.rules.days_off_consecutive {
        &[
            (true, true, false),
            (false, true, false),
            (true, false, false),
            (true, true, true),
        ]
    } else {
        &[(false, true, true), (false, true, false)]
    };
    let mut best: Option<RosterOutcome> = None;
    for &(relaxed, neutral, scarce_first) in strategies {
        if best.as_ref().is_some_and(|b| b.roster.unfilled.is_empty()) {
            break;
        }
        let other = run(input, relaxed, neutral, scarce_first);
        let key = |o: &RosterOutcome| (o.shortfall_agent_hours(), o.stats.penalty);
        let better = best.as_ref().is_none_or(|b| {
            key(&other).0 < key(b).0 - 1e-9
                || ((key(&other).0 - key(b).0).abs() <= 1e-9 && key(&other).1 < key(b).1 - 1e-9)
        });
        if better {
            best = Some(other);
        }
    }
    best.expect("at least one strategy runs")
}

fn run(
    input: RosterInput<'_>,
    relaxed: bool,
    neutral_moves: bool,
    scarce_first: bool,
) -> RosterOutcome {
    let mut search = Search::new(input);
    search.scarce_first = scarce_first;
    // With one block of days off, a relaxed build lets a gap day be filled later; the gaps
    // are then closed or cut and the search goes on with the strict rule.
    search.relaxed = relaxed && input.rules.days_off_consecutive;
    search.neutral_moves = neutral_moves;
    search.construct();
    search.neutral_moves = false;
    for _ in 0..3 {
        if search.repair_pass() == 0 {
            break;
        }
    }
    if search.relaxed {
        search.close_day_off_gaps();
        search.relaxed = false;
        for _ in 0..3 {
            if search.repair_pass() == 0 {
                break;
            }
        }
    }
    search.improve(4);
    search.repair_pass();
    search.finish()
}

impl<'a> Search<'a> {
    fn new(input: RosterInput<'a>) -> Self {
        let plan_start = input.horizon.start_date();
        let plan_days = input.horizon.days() as i32;
        // Classes of interchangeable slots.
        let mut order: Vec<usize> = (0..input.slots.len()).collect();
        order.sort_by(|&x, &y| {
            let (a, b) = (&input.slots[x], &input.slots[y]);
            (a.start, a.end, &a.skill_group, &a.template, &a.slot_id).cmp(&(
                b.start,
                b.end,
                &b.skill_group,
                &b.template,
                &b.slot_id,
            ))
        });
        let mut classes: Vec<Class> = Vec::new();
        for index in order {
            let slot = &input.slots[index];
            let paid = slot.paid_seconds.round() as i64;
            let same = classes.last().is_some_and(|c| {
                c.start == slot.start
                    && c.end == slot.end
                    && c.skill == slot.skill_group
                    && c.template == slot.template
                    && c.paid == paid
            });
            if same {
                if let Some(last) = classes.last_mut() {
                    last.slots.push(index);
                }
            } else {
                classes.push(Class {
                    skill: slot.skill_group.clone(),
                    template: slot.template.clone(),
                    start: slot.start,
                    end: slot.end,
                    paid,
                    weight: slot.on_duty_seconds().max(1),
                    slots: vec![index],
                    eligible: Vec::new(),
                });
            }
        }
        // Zones of the agents.
        let mut zones: Vec<Tz> = Vec::new();
        for agent in input.agents {
            if !zones.contains(&agent.time_zone) {
                zones.push(agent.time_zone);
            }
        }
        let local: Vec<Vec<LocalShift>> = zones
            .iter()
            .map(|&zone| {
                classes
                    .iter()
                    .map(|c| LocalShift::new(c.start, c.end, zone, plan_start))
                    .collect()
            })
            .collect();
        let words = classes.len().div_ceil(64);
        let mut eligible_bits = vec![vec![0u64; words]; input.agents.len()];
        let mut facts = Vec::with_capacity(input.agents.len());
        let mut agent_classes = vec![Vec::new(); input.agents.len()];
        for (a, agent) in input.agents.iter().enumerate() {
            let zone = zones
                .iter()
                .position(|z| *z == agent.time_zone)
                .unwrap_or(0);
            let availability = WeeklyAvailability::new(&agent.availability);
            let time_off: Vec<&TimeOff> = input
                .time_off
                .iter()
                .filter(|t| t.agent_id == agent.id)
                .collect();
            let max_week_seconds = (agent.contract.max_weekly_hours * 3600.0).round() as i64;
            let mut eligible_slots = 0usize;
            for (c, class) in classes.iter_mut().enumerate() {
                let facts_here = &local[zone][c];
                let ok = agent.skill_groups.contains(&class.skill)
                    && class.paid <= max_week_seconds
                    && availability.contains(
                        facts_here.weekday,
                        facts_here.start_minute,
                        facts_here.wall_minutes,
                    )
                    && !time_off
                        .iter()
                        .any(|t| t.start < class.end && class.start < t.end);
                if ok {
                    class.eligible.push(a as u32);
                    eligible_bits[a][c / 64] |= 1 << (c % 64);
                    agent_classes[a].push(c as u32);
                    eligible_slots += class.slots.len();
                }
            }
            facts.push(AgentFacts {
                zone,
                min_week_seconds: agent.contract.min_weekly_hours * 3600.0,
                max_week_seconds,
                max_days: agent.contract.max_days_per_week.min(7),
                max_consecutive: agent
                    .contract
                    .max_consecutive_days
                    .min(input.rules.max_consecutive_days),
                preferred_template: agent.preferred_template.clone(),
                preferred_start: agent.preferred_start_minute,
                flexibility: eligible_slots as f64,
            });
        }
        let most = facts
            .iter()
            .map(|f| f.flexibility)
            .fold(0.0_f64, f64::max)
            .max(1.0);
        for f in &mut facts {
            f.flexibility /= most;
        }
        let free = classes
            .iter()
            .map(|c| c.slots.iter().rev().copied().collect())
            .collect();
        let stats = AssignStats {
            slots: input.slots.len(),
            classes: classes.len(),
            ..AssignStats::default()
        };
        let open_days = agent_classes
            .iter()
            .zip(&facts)
            .map(|(list, f)| {
                let mut weeks: BTreeMap<i32, u8> = BTreeMap::new();
                for &c in list {
                    let here = &local[f.zone][c as usize];
                    *weeks.entry(here.week()).or_default() |= 1 << (here.day - 7 * here.week());
                }
                weeks
            })
            .collect();
        Search {
            relaxed: false,
            neutral_moves: false,
            scarce_first: false,
            open_days,
            input,
            held: vec![Vec::new(); input.agents.len()],
            holder: vec![None; input.slots.len()],
            classes,
            facts,
            local,
            eligible_bits,
            agent_classes,
            free,
            plan_days,
            stats,
        }
    }

    fn local_of(&self, a: usize, c: usize) -> &LocalShift {
        &self.local[self.facts[a].zone][c]
    }

    fn is_eligible(&self, a: usize, c: usize) -> bool {
        self.eligible_bits[a][c / 64] & (1 << (c % 64)) != 0
    }

    /// Can agent `a` work class `c` after dropping its held shift number `drop` (if any)?
    /// Checks every rule that the change can break.
    fn fits(&self, a: usize, c: usize, drop: Option<usize>) -> bool {
        let facts = &self.facts[a];
        let class = &self.classes[c];
        let here = self.local_of(a, c);
        let week = here.week();
        let rest = self.input.rules.min_rest_seconds;
        let mut mask: u8 = 1 << (here.day - 7 * week);
        let mut seconds = class.paid;
        // Only days within the consecutive limit of this one matter (limit <= 31 by validation).
        let mut days: [i32; 64] = [0; 64];
        let mut count = 0usize;
        let mut dropped_week = None;
        for (k, held) in self.held[a].iter().enumerate() {
            let hc = held.class as usize;
            let there = self.local_of(a, hc);
            if Some(k) == drop {
                dropped_week = Some(there.week());
                continue;
            }
            if there.day == here.day {
                return false;
            }
            let other = &self.classes[hc];
            let gap = if other.end <= class.start {
                (class.start - other.end).num_seconds()
            } else if class.end <= other.start {
                (other.start - class.end).num_seconds()
            } else {
                return false;
            };
            if gap < rest {
                return false;
            }
            if there.week() == week {
                mask |= 1 << (there.day - 7 * week);
                seconds += other.paid;
            }
            if (there.day - here.day).unsigned_abs() <= facts.max_consecutive && count < days.len()
            {
                days[count] = there.day;
                count += 1;
            }
        }
        if mask.count_ones() > facts.max_days || seconds > facts.max_week_seconds {
            return false;
        }
        let days = &days[..count];
        let mut run = 1;
        let mut d = here.day - 1;
        while days.contains(&d) {
            run += 1;
            d -= 1;
        }
        let mut d = here.day + 1;
        while days.contains(&d) {
            run += 1;
            d += 1;
        }
        if run > facts.max_consecutive {
            return false;
        }
        if self.input.rules.days_off_consecutive {
            if !self.block_ok(a, week, mask) {
                return false;
            }
            if let Some(other_week) = dropped_week.filter(|w| *w != week) {
                let mask = self.week_mask(a, other_week, drop);
                if !self.block_ok(a, other_week, mask) {
                    return false;
                }
            }
        }
        true
    }

    /// The one-block days-off rule for a week's working days: strict, or (while relaxed)
    /// completable by working the open days of some block within the weekly day limit.
    fn block_ok(&self, a: usize, week: i32, mask: u8) -> bool {
        if !self.relaxed {
            return days_off_form_one_block(mask);
        }
        self.completion(a, week, mask).is_some()
    }

    /// The smallest block of days (as a mask) that contains `mask`, whose extra days the agent
    /// could work, within the weekly day limit.
    fn completion(&self, a: usize, week: i32, mask: u8) -> Option<u8> {
        if days_off_form_one_block(mask) {
            return Some(mask);
        }
        let open = self.open_days[a].get(&week).copied().unwrap_or(0);
        let max_days = self.facts[a].max_days.min(7);
        for length in 1..=max_days {
            for start in 0..7u32 {
                let block = (0..length).fold(0u8, |m, k| m | 1 << ((start + k) % 7));
                if mask & !block == 0 && (block & !mask) & !open == 0 {
                    return Some(block);
                }
            }
        }
        None
    }

    /// Moves a shift on `day` from another agent to agent `a` (to close a gap in `a`'s week)
    /// when the other agent's days off stay one block.
    fn steal_for_gap(&mut self, a: usize, day: i32) -> bool {
        let options: Vec<usize> = self.agent_classes[a]
            .iter()
            .map(|&c| c as usize)
            .filter(|&c| self.local_of(a, c).day == day)
            .collect();
        for c in options {
            if !self.fits(a, c, None) {
                continue;
            }
            for i in 0..self.classes[c].slots.len() {
                let slot = self.classes[c].slots[i];
                let Some(b) = self.holder[slot].map(|b| b as usize) else {
                    continue;
                };
                if b == a {
                    continue;
                }
                let Some(k) = self.held[b].iter().position(|h| h.slot as usize == slot) else {
                    continue;
                };
                let week = self.local_of(b, c).week();
                if days_off_form_one_block(self.week_mask(b, week, Some(k))) {
                    self.release(b, slot);
                    self.take(a, c, slot);
                    return true;
                }
            }
        }
        false
    }

    /// After a relaxed construction: fill the gap days of every agent whose days off are not
    /// one block, or cut the shifts outside the best block (the repair passes refill them).
    fn close_day_off_gaps(&mut self) {
        for a in 0..self.held.len() {
            let weeks: Vec<i32> = {
                let mut w: Vec<i32> = self.held[a]
                    .iter()
                    .map(|h| self.local_of(a, h.class as usize).week())
                    .collect();
                w.dedup();
                w
            };
            for week in weeks {
                let mask = self.week_mask(a, week, None);
                if days_off_form_one_block(mask) {
                    continue;
                }
                if let Some(block) = self.completion(a, week, mask) {
                    for k in 0..7 {
                        if (block & !mask) & (1 << k) == 0 {
                            continue;
                        }
                        let day = 7 * week + k;
                        let mut options: Vec<usize> = self.agent_classes[a]
                            .iter()
                            .map(|&c| c as usize)
                            .filter(|&c| !self.free[c].is_empty() && self.local_of(a, c).day == day)
                            .collect();
                        options.sort_by_key(|&c| std::cmp::Reverse(self.classes[c].weight));
                        let mut filled = false;
                        for c in options {
                            if self.fits(a, c, None) {
                                if let Some(slot) = self.free[c].pop() {
                                    self.take(a, c, slot);
                                    self.stats.direct += 1;
                                    filled = true;
                                }
                                break;
                            }
                        }
                        if !filled {
                            self.steal_for_gap(a, day);
                        }
                    }
                }
                let mask = self.week_mask(a, week, None);
                if days_off_form_one_block(mask) {
                    continue;
                }
                // Keep the block of shifts with the most coverage; open the rest.
                let in_week: Vec<(u8, i64, usize)> = self.held[a]
                    .iter()
                    .filter(|h| self.local_of(a, h.class as usize).week() == week)
                    .map(|h| {
                        let here = self.local_of(a, h.class as usize);
                        (
                            1u8 << (here.day - 7 * week),
                            self.classes[h.class as usize].weight,
                            h.slot as usize,
                        )
                    })
                    .collect();
                let max_days = self.facts[a].max_days.min(7);
                let mut best: (i64, u8) = (-1, 0);
                for length in 1..=max_days {
                    for start in 0..7u32 {
                        let block = (0..length).fold(0u8, |m, k| m | 1 << ((start + k) % 7));
                        if !days_off_form_one_block(mask & block) {
                            continue;
                        }
                        let kept: i64 = in_week
                            .iter()
                            .filter(|(bit, _, _)| bit & block != 0)
                            .map(|(_, w, _)| w)
                            .sum();
                        if kept > best.0 {
                            best = (kept, block);
                        }
                    }
                }
                for (bit, _, slot) in in_week {
                    if bit & best.1 == 0
                        && let Some(class) = self.release(a, slot)
                    {
                        self.free_slot(class, slot);
                    }
                }
            }
        }
    }

    /// Can agent `a` give up its held shift number `k` without breaking a rule? Only the
    /// one-block days-off rule can break by working less.
    fn can_drop(&self, a: usize, k: usize) -> bool {
        if !self.input.rules.days_off_consecutive {
            return true;
        }
        let week = self.local_of(a, self.held[a][k].class as usize).week();
        self.block_ok(a, week, self.week_mask(a, week, Some(k)))
    }

    fn week_mask(&self, a: usize, week: i32, skip: Option<usize>) -> u8 {
        let mut mask = 0u8;
        for (k, held) in self.held[a].iter().enumerate() {
            if Some(k) == skip {
                continue;
            }
            let there = self.local_of(a, held.class as usize);
            if there.week() == week {
                mask |= 1 << (there.day - 7 * week);
            }
        }
        mask
    }

    /// Penalty of agent `a` holding `held` (lower is better).
    fn penalty(&self, a: usize, held: &[Held]) -> f64 {
        let facts = &self.facts[a];
        let mut total = 0.0;
        let weeks = week_of(self.plan_days - 1) + 1;
        let mut week_stats: Vec<(f64, u32, u32, u32)> =
            vec![(0.0, u32::MAX, 0, 0); weeks.max(1) as usize + 2];
        for h in held {
            let c = h.class as usize;
            let class = &self.classes[c];
            let here = self.local_of(a, c);
            if let Some(t) = &facts.preferred_template
                && *t != class.template
            {
                total += WEIGHT_TEMPLATE;
            }
            if let Some(p) = facts.preferred_start {
                total += WEIGHT_START_HOUR * clock_distance(here.start_minute, p) as f64 / 60.0;
            }
            // Week slot: -1 and beyond the plan are folded to the ends.
            let w = (here.week() + 1).clamp(0, weeks + 1) as usize;
            let stats = &mut week_stats[w];
            stats.0 += class.paid as f64;
            stats.1 = stats.1.min(here.start_minute);
            stats.2 = stats.2.max(here.start_minute);
            if here.is_weekend() {
                stats.3 += 1;
            }
        }
        for (w, stats) in week_stats.iter().enumerate() {
            if stats.1 != u32::MAX {
                total += WEIGHT_STABILITY_HOUR * f64::from(stats.2 - stats.1) / 60.0;
            }
            if self.input.rules.spread_weekends {
                total += WEIGHT_WEEKEND * f64::from(stats.3 * stats.3);
            }
            let week = w as i32 - 1;
            if (0..weeks).contains(&week) && facts.min_week_seconds > 0.0 {
                let plan_days_in_week = (self.plan_days - 7 * week).clamp(0, 7);
                let minimum = facts.min_week_seconds * f64::from(plan_days_in_week) / 7.0;
                total += WEIGHT_UNDER_MIN_HOUR * (minimum - stats.0).max(0.0) / 3600.0;
            }
        }
        total
    }

    fn penalty_with(&self, a: usize, add: Option<Held>, drop: Option<usize>) -> f64 {
        let mut held: Vec<Held> = self.held[a]
            .iter()
            .enumerate()
            .filter(|(k, _)| Some(*k) != drop)
            .map(|(_, h)| *h)
            .collect();
        held.extend(add);
        self.penalty(a, &held)
    }

    fn take(&mut self, a: usize, class: usize, slot: usize) {
        self.holder[slot] = Some(a as u32);
        let start = self.classes[class].start;
        let position = self.held[a]
            .iter()
            .position(|h| self.classes[h.class as usize].start > start)
            .unwrap_or(self.held[a].len());
        self.held[a].insert(
            position,
            Held {
                class: class as u32,
                slot: slot as u32,
            },
        );
    }

    fn release(&mut self, a: usize, slot: usize) -> Option<usize> {
        let k = self.held[a].iter().position(|h| h.slot as usize == slot)?;
        let held = self.held[a].remove(k);
        self.holder[slot] = None;
        Some(held.class as usize)
    }

    fn free_slot(&mut self, class: usize, slot: usize) {
        let list = &mut self.free[class];
        list.push(slot);
        // Keep the lowest slot id on top so that slots fill in id order.
        list.sort_unstable_by(|x, y| y.cmp(x));
    }

    /// Best agent to take class `c` directly, by added penalty.
    fn best_direct(&self, c: usize) -> Option<usize> {
        let mut best: Option<(f64, usize)> = None;
        for &a in &self.classes[c].eligible {
            let a = a as usize;
            if !self.fits(a, c, None) {
                continue;
            }
            let added = self.penalty_with(
                a,
                Some(Held {
                    class: c as u32,
                    slot: 0,
                }),
                None,
            ) - self.penalty(a, &self.held[a])
                + WEIGHT_FLEXIBILITY * self.facts[a].flexibility
                - self.continuity_bonus(a, c);
            if best.is_none_or(|(cost, _)| added < cost - EPSILON) {
                best = Some((added, a));
            }
        }
        best.map(|(_, a)| a)
    }

    /// With one block of days off, an agent who worked the day before (or after) should keep
    /// going: a day left out in the middle of the week ends the agent's week.
    fn continuity_bonus(&self, a: usize, c: usize) -> f64 {
        if !self.input.rules.days_off_consecutive {
            return 0.0;
        }
        let day = self.local_of(a, c).day;
        let next_to = self.held[a].iter().any(|h| {
            let other = self.local_of(a, h.class as usize).day;
            other == day - 1 || other == day + 1
        });
        if next_to { WEIGHT_CONTINUE } else { 0.0 }
    }

    fn fill_one(&mut self, c: usize) -> bool {
        if self.free[c].is_empty() {
            return false;
        }
        if let Some(a) = self.best_direct(c) {
            if let Some(slot) = self.free[c].pop() {
                self.take(a, c, slot);
                self.stats.direct += 1;
                return true;
            }
        }
        if self.augment(c) {
            self.stats.augmented += 1;
            return true;
        }
        false
    }

    /// Fills the classes in start order, or scarcest first (fewest agents eligible, ties in
    /// start order), so that the agents only a few classes can use (weekend, late,
    /// multi-skill) are not spent first on slots anyone could take.
    fn construct(&mut self) {
        let mut order: Vec<usize> = (0..self.classes.len()).collect();
        if self.scarce_first {
            let mut eligible = vec![0usize; self.classes.len()];
            for classes in &self.agent_classes {
                for &c in classes {
                    eligible[c as usize] += 1;
                }
            }
            order.sort_by_key(|&c| (eligible[c], c));
        }
        for c in order {
            while self.fill_one(c) {}
        }
    }

    /// Retries every class with open slots; returns the number of slots filled.
    fn repair_pass(&mut self) -> usize {
        let mut filled = 0;
        for c in 0..self.classes.len() {
            while !self.free[c].is_empty() && self.augment(c) {
                self.stats.augmented += 1;
                filled += 1;
            }
        }
        filled
    }

    /// Breadth-first augmenting path for one open slot of class `root`.
    fn augment(&mut self, root: usize) -> bool {
        struct Node {
            class: usize,
            /// (parent node, agent who dropped this slot to take the parent's class, slot).
            via: Option<(usize, usize, usize)>,
        }
        if self.free[root].is_empty() {
            return false;
        }
        let mut nodes = vec![Node {
            class: root,
            via: None,
        }];
        let mut seen_class = vec![false; self.classes.len()];
        let mut seen_agent = vec![false; self.input.agents.len()];
        seen_class[root] = true;
        let mut budget = SEARCH_BUDGET;
        let mut partial: Option<usize> = None;
        let mut found: Option<(usize, usize)> = None;
        // (node, agent, held slot dropped and left open, class taken instead).
        let mut replacement: Option<(usize, usize, usize, usize)> = None;
        let mut next = 0;
        'search: while next < nodes.len() {
            let n = next;
            next += 1;
            let class = nodes[n].class;
            if n > 0
                && partial.is_none()
                && (self.classes[class].weight < self.classes[root].weight
                    || (self.neutral_moves
                        && self.classes[class].weight == self.classes[root].weight
                        && class < root))
            {
                partial = Some(n);
            }
            for i in 0..self.classes[class].eligible.len() {
                let a = self.classes[class].eligible[i] as usize;
                if seen_agent[a] {
                    continue;
                }
                if budget == 0 {
                    break 'search;
                }
                budget -= 1;
                if self.fits(a, class, None) {
                    found = Some((n, a));
                    break 'search;
                }
                let mut used = false;
                for k in 0..self.held[a].len() {
                    let dropped = self.held[a][k];
                    let dc = dropped.class as usize;
                    budget = budget.saturating_sub(1);
                    if replacement.is_none() {
                        replacement = self
                            .replacement_for(a, k, class, root)
                            .map(|d| (n, a, dropped.slot as usize, d));
                        budget = budget.saturating_sub(4);
                    }
                    if !self.fits(a, class, Some(k)) {
                        continue;
                    }
                    if seen_class[dc] {
                        continue;
                    }
                    seen_class[dc] = true;
                    used = true;
                    nodes.push(Node {
                        class: dc,
                        via: Some((n, a, dropped.slot as usize)),
                    });
                }
                if used {
                    seen_agent[a] = true;
                }
            }
        }
        let (leaf, last_agent, swap) = match (found, replacement, partial) {
            (Some((leaf, a)), _, _) => (leaf, Some(a), None),
            (None, Some((leaf, a, slot, d)), _) => (leaf, Some(a), Some((slot, d))),
            (None, None, Some(leaf)) => (leaf, None, None),
            (None, None, None) => return false,
        };
        // Collect the chain from the leaf up to the root.
        let mut chain = Vec::new();
        let mut n = leaf;
        while let Some((parent, agent, slot)) = nodes[n].via {
            chain.push((n, parent, agent, slot));
            n = parent;
        }
        // First every agent on the chain releases the slot it drops ...
        for &(_, _, agent, slot) in &chain {
            self.release(agent, slot);
        }
        // ... then each takes the slot its parent needs filled.
        for &(_, parent, agent, _) in &chain {
            let parent_class = nodes[parent].class;
            let slot = match nodes[parent].via {
                Some((_, _, parent_slot)) => parent_slot,
                None => match self.free[root].pop() {
                    Some(slot) => slot,
                    None => return false,
                },
            };
            self.take(agent, parent_class, slot);
        }
        if let (Some(a), Some((open, d))) = (last_agent, swap) {
            // The last agent trades one of its shifts for another open one to make room.
            if let Some(class) = self.release(a, open) {
                self.free_slot(class, open);
            }
            if let Some(slot) = self.free[d].pop() {
                self.take(a, d, slot);
            }
        }
        let leaf_class = nodes[leaf].class;
        let leaf_slot = nodes[leaf].via.map(|(_, _, slot)| slot);
        match (last_agent, leaf_slot) {
            (Some(a), Some(slot)) => self.take(a, leaf_class, slot),
            (Some(a), None) => {
                if let Some(slot) = self.free[root].pop() {
                    self.take(a, root, slot);
                }
            }
            (None, Some(slot)) => self.free_slot(leaf_class, slot),
            (None, None) => {}
        }
        true
    }

    /// An open class `d` on the same day as agent `a`'s held shift `k` such that trading `k`
    /// for `d` lets `a` also take `class`, with a net gain in coverage for the path to `root`.
    fn replacement_for(&mut self, a: usize, k: usize, class: usize, root: usize) -> Option<usize> {
        let held = self.held[a][k];
        let dropped_class = held.class as usize;
        let day = self.local_of(a, dropped_class).day;
        let gain_without = self.classes[root].weight - self.classes[dropped_class].weight;
        let candidates: Vec<usize> = self.agent_classes[a]
            .iter()
            .map(|&d| d as usize)
            .filter(|&d| {
                d != class
                    && d != root
                    && d != dropped_class
                    && !self.free[d].is_empty()
                    && self.local_of(a, d).day == day
                    && gain_without + self.classes[d].weight > 0
            })
            .collect();
        for d in candidates {
            if !self.fits(a, d, Some(k)) {
                continue;
            }
            // Try the trade, test the class, undo.
            self.held[a][k] = Held {
                class: d as u32,
                slot: u32::MAX,
            };
            let fits = self.fits(a, class, None);
            self.held[a][k] = held;
            if fits {
                return Some(d);
            }
        }
        None
    }

    /// Moves and swaps that lower the total penalty; coverage never changes.
    fn improve(&mut self, passes: usize) {
        for _ in 0..passes {
            let mut changed = 0;
            for slot in 0..self.holder.len() {
                if let Some(a) = self.holder[slot] {
                    if self.improve_slot(a as usize, slot) {
                        changed += 1;
                    }
                }
            }
            self.stats.improvements += changed;
            if changed == 0 {
                break;
            }
        }
    }

    fn improve_slot(&mut self, a: usize, slot: usize) -> bool {
        let Some(k) = self.held[a].iter().position(|h| h.slot as usize == slot) else {
            return false;
        };
        let c = self.held[a][k].class as usize;
        let base_a = self.penalty(a, &self.held[a]);
        let without_a = self.penalty_with(a, None, Some(k));
        // Move to another agent.
        if self.can_drop(a, k) {
            let mut best: Option<(f64, usize)> = None;
            for &b in &self.classes[c].eligible {
                let b = b as usize;
                if b == a || !self.fits(b, c, None) {
                    continue;
                }
                let delta = without_a - base_a
                    + self.penalty_with(
                        b,
                        Some(Held {
                            class: c as u32,
                            slot: slot as u32,
                        }),
                        None,
                    )
                    - self.penalty(b, &self.held[b]);
                if delta < -1e-6 && best.is_none_or(|(d, _)| delta < d - EPSILON) {
                    best = Some((delta, b));
                }
            }
            if let Some((_, b)) = best {
                self.release(a, slot);
                self.take(b, c, slot);
                return true;
            }
        }
        // Swap with a shift of another agent.
        let mut best: Option<(f64, usize, usize)> = None;
        for &b in &self.classes[c].eligible {
            let b = b as usize;
            if b == a {
                continue;
            }
            let base_b = self.penalty(b, &self.held[b]);
            for j in 0..self.held[b].len() {
                let other = self.held[b][j];
                let d = other.class as usize;
                if d == c || !self.is_eligible(a, d) {
                    continue;
                }
                if !self.fits(a, d, Some(k)) || !self.fits(b, c, Some(j)) {
                    continue;
                }
                let new_a = {
                    let mut held: Vec<Held> = self.held[a].clone();
                    held[k] = other;
                    self.penalty(a, &held)
                };
                let new_b = {
                    let mut held: Vec<Held> = self.held[b].clone();
                    held[j] = Held {
                        class: c as u32,
                        slot: slot as u32,
                    };
                    self.penalty(b, &held)
                };
                let delta = new_a + new_b - base_a - base_b;
                if delta < -1e-6 && best.is_none_or(|(x, _, _)| delta < x - EPSILON) {
                    best = Some((delta, b, other.slot as usize));
                }
            }
        }
        if let Some((_, b, other_slot)) = best {
            let d = self.release(b, other_slot);
            self.release(a, slot);
            if let Some(d) = d {
                self.take(a, d, other_slot);
            }
            self.take(b, c, slot);
            return true;
        }
        false
    }

    fn finish(mut self) -> RosterOutcome {
        let slots = self.input.slots;
        let agents = self.input.agents;
        let mut assignments: Vec<Assignment> = Vec::new();
        for (a, held) in self.held.iter().enumerate() {
            for h in held {
                assignments.push(Assignment {
                    agent_id: agents[a].id.clone(),
                    slot: slots[h.slot as usize].clone(),
                });
            }
        }
        assignments.sort_by(|x, y| {
            (&x.agent_id, x.slot.start, &x.slot.slot_id).cmp(&(
                &y.agent_id,
                y.slot.start,
                &y.slot.slot_id,
            ))
        });
        let mut unfilled: Vec<ShiftSlot> = (0..slots.len())
            .filter(|&s| self.holder[s].is_none())
            .map(|s| slots[s].clone())
            .collect();
        unfilled.sort_by(|x, y| (x.start, &x.slot_id).cmp(&(y.start, &y.slot_id)));
        let shortfall = self.explain_shortfall();
        self.stats.penalty = (0..agents.len())
            .map(|a| self.penalty(a, &self.held[a]))
            .sum();
        RosterOutcome {
            roster: Roster {
                assignments,
                unfilled,
            },
            shortfall,
            stats: self.stats,
        }
    }

    fn explain_shortfall(&self) -> Vec<Shortfall> {
        let zone = self.input.horizon.zone();
        let mut out = Vec::new();
        for (c, class) in self.classes.iter().enumerate() {
            let missing = self.free[c].len();
            if missing == 0 {
                continue;
            }
            let mut with_skill = 0;
            let mut unavailable = 0;
            let mut on_time_off = 0;
            let mut at_limit = 0;
            for (a, agent) in self.input.agents.iter().enumerate() {
                if !agent.skill_groups.contains(&class.skill) {
                    continue;
                }
                with_skill += 1;
                if self.is_eligible(a, c) {
                    at_limit += 1;
                    continue;
                }
                let off =
                    self.input.time_off.iter().any(|t| {
                        t.agent_id == agent.id && t.start < class.end && class.start < t.end
                    });
                if off {
                    on_time_off += 1;
                } else {
                    unavailable += 1;
                }
            }
            let weight: i64 = self.classes[c]
                .slots
                .iter()
                .filter(|&&s| self.holder[s].is_none())
                .map(|&s| self.input.slots[s].on_duty_seconds())
                .sum();
            out.push(Shortfall {
                skill_group: class.skill.clone(),
                template: class.template.clone(),
                start: class.start,
                end: class.end,
                local_date: class.start.with_timezone(&zone).date_naive(),
                missing: missing as u32,
                agent_hours: weight as f64 / 3600.0,
                with_skill,
                unavailable,
                on_time_off,
                at_limit,
            });
        }
        out
    }
}

/// Minutes between two clock times, the short way around midnight.
fn clock_distance(a: u32, b: u32) -> u32 {
    let d = a.abs_diff(b) % 1440;
    d.min(1440 - d)
}

/// Short weekday name used in messages.
pub fn weekday_name(weekday: Weekday) -> &'static str {
    match weekday {
        Weekday::Mon => "Mon",
        Weekday::Tue => "Tue",
        Weekday::Wed => "Wed",
        Weekday::Thu => "Thu",
        Weekday::Fri => "Fri",
        Weekday::Sat => "Sat",
        Weekday::Sun => "Sun",
    }
}
