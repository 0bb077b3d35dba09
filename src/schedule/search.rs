//! Weighted local search for one skill group covering one (aggregated) requirement: the
//! integer phase on instances too large for the exact pattern MIP.
//!
//! 1. [`lp_start`]: the LP's shift counts and break starts are rounded *cumulatively* along
//!    time, per template, its break families with the same offset. Rounding `X(t)` (shifts of
//!    a template started by `t`) and `Y(t)` (breaks of one of its families started by `t`) as
//!    `floor(· + θ)` keeps `X(t − latest) <= Y(t) <= X(t − earliest)`, the condition under which
//!    first-come-first-served hands every agent a break inside its window; so the start is a
//!    valid schedule of about the LP's cost, short of the requirement by the rounding error
//!    only.
//! 2. [`WeightedSearch::run`]: simulated annealing on cost plus *weighted* shortfall. Moves:
//!    a break to another start in its window, a shift a few intervals earlier or later, another
//!    template with the same start or end, remove an agent, add one where an interval is
//!    short. Every few thousand moves the weight of each interval still short grows, so the
//!    search stops paying for the same hole and the hard intervals get covered (as in weighting
//!    local search for set covering). A fixed number of moves from a fixed seed: the result
//!    does not depend on the machine's speed.
//!
//! The best schedule without coverable shortfall is returned; the caller repairs and polishes.

use std::collections::BTreeMap;

use super::AgentShift;
use super::budget::Cap;
use super::instance::{Instance, SupplyUse};
use super::repair::Random;
use super::templates::{horizon_index, interval_shares};

/// Most breaks per template the search handles (more: the caller uses ruin and recreate).
const MAX_BREAKS: usize = 6;

/// Whether the search applies: one skill group serving one queue, few breaks per template.
pub fn applies(inst: &Instance<'_>) -> bool {
    inst.group_queues.len() == 1
        && inst.group_queues[0].len() == 1
        && inst.input.queues.len() == 1
        && inst
            .input
            .rules
            .templates
            .iter()
            .all(|t| t.breaks.len() <= MAX_BREAKS)
}

/// Settings of one search run.
#[derive(Debug, Clone, Copy)]
pub struct SearchSettings {
    /// Moves tried.
    pub moves: u64,
    /// Seed of the move choices.
    pub seed: u64,
}

/// One agent in the search: candidate and break starts relative to the shift start.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Agent {
    candidate: usize,
    breaks: [u16; MAX_BREAKS],
}

/// Break rule of a template in intervals: (earliest, latest, relative shares).
struct BreakShape {
    earliest: usize,
    latest: usize,
    shares: Vec<(usize, f64)>,
}

struct TemplateShape {
    /// Relative presence shares of the whole shift.
    shares: Vec<(usize, f64)>,
    breaks: Vec<BreakShape>,
    /// Length in intervals (rounded up).
    span: usize,
}

/// Schedules rounded from the LP: cumulative rounding per template (see the module docs),
/// agents handed their breaks first-come-first-served.
///
/// `columns[c]` are the LP's agents per candidate, `breaks[f]` its break starts per family
/// `(first unwrapped interval, values)`.
pub fn lp_start(
    inst: &Instance<'_>,
    columns: &[f64],
    breaks: &[(usize, Vec<f64>)],
) -> Vec<AgentShift> {
    let templates = inst.input.rules.templates.len();
    let mut theta = vec![0.5; templates];
    let required = aggregated_requirement(inst);
    let score = |agents: &[AgentShift]| -> f64 {
        let coverage = super::evaluate(inst.input, &inst.candidates, agents);
        let present = &coverage.present[0];
        let short: f64 = required
            .iter()
            .zip(present)
            .map(|(r, p)| (r - p).max(0.0))
            .sum();
        let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
        cost + 1.5 * unit_cost(inst) * short
    };
    let mut best = round_cumulative(inst, columns, breaks, &theta).0;
    let mut best_score = score(&best);
    // Coordinate search over the offsets, two passes.
    for _ in 0..2 {
        for t in 0..templates {
            for step in 0..10 {
                let mut trial = theta.clone();
                trial[t] = f64::from(step) / 10.0 + 0.05;
                let agents = round_cumulative(inst, columns, breaks, &trial).0;
                let value = score(&agents);
                if value < best_score - 1e-9 {
                    best_score = value;
                    best = agents;
                    theta = trial;
                }
            }
        }
    }
    best
}

/// Agents of the cumulative rounding with offsets `theta` per template, and how many breaks
/// had to be moved into their window (none when the values satisfy the model's backlog
/// constraints exactly).
fn round_cumulative(
    inst: &Instance<'_>,
    columns: &[f64],
    breaks: &[(usize, Vec<f64>)],
    theta: &[f64],
) -> (Vec<AgentShift>, usize) {
    let rules = inst.input.rules;
    let mut agents = Vec::new();
    let mut clamped = 0;
    for (t, template) in rules.templates.iter().enumerate() {
        let mut members: Vec<usize> = (0..inst.candidates.len())
            .filter(|&c| inst.candidates[c].template == t)
            .collect();
        members.sort_by_key(|&c| (inst.candidates[c].start_offset, c));
        let th = theta[t];
        let mut total = 0.0;
        let mut previous = th.floor();
        let mut started: Vec<usize> = Vec::new();
        for &c in &members {
            total += columns[c].max(0.0);
            let now = (total + th + 1e-7).floor();
            for _ in 0..(now - previous).max(0.0) as usize {
                started.push(c);
            }
            previous = now;
        }
        let mut lists: Vec<Vec<usize>> = vec![Vec::new(); started.len()];
        for (f, family) in inst.families.iter().enumerate() {
            if family.template != t {
                continue;
            }
            let (t0, ys) = &breaks[f];
            let mut total = 0.0;
            let mut previous = th.floor();
            let mut next = 0;
            for (slot, y) in ys.iter().enumerate() {
                total += y.max(0.0);
                let now = (total + th + 1e-7).floor();
                let count = (now - previous).max(0.0) as usize;
                previous = now;
                for _ in 0..count {
                    if next < started.len() {
                        let s = inst.candidates[started[next]].start_offset;
                        let at = (t0 + slot).clamp(s + family.earliest, s + family.latest);
                        clamped += usize::from(at != t0 + slot);
                        lists[next].push(at);
                        next += 1;
                    }
                }
            }
            // Agents left without a break (rounding at the end): earliest allowed start.
            for (k, list) in lists.iter_mut().enumerate().skip(next) {
                let s = inst.candidates[started[k]].start_offset;
                list.push(s + family.earliest);
                clamped += 1;
            }
        }
        for (k, &c) in started.iter().enumerate() {
            let mut offsets = std::mem::take(&mut lists[k]);
            offsets.truncate(template.breaks.len());
            agents.push(AgentShift {
                candidate: c,
                break_offsets: offsets,
            });
        }
    }
    agents.sort();
    (agents, clamped)
}

/// The requirement the single group covers, zero where nothing can cover it.
fn aggregated_requirement(inst: &Instance<'_>) -> Vec<f64> {
    (0..inst.n)
        .map(|i| {
            inst.group_queues[0]
                .iter()
                .filter(|&&q| inst.coverable[q][i])
                .map(|&q| f64::from(inst.input.required[q][i]))
                .sum()
        })
        .collect()
}

/// Cost of one interval of presence with the cheapest template per present interval: the
/// scale of the search's weights and temperature.
fn unit_cost(inst: &Instance<'_>) -> f64 {
    let minutes = f64::from(inst.interval_minutes);
    inst.input
        .rules
        .templates
        .iter()
        .filter_map(|t| {
            let on = f64::from(t.length_minutes)
                - t.breaks
                    .iter()
                    .map(|b| f64::from(b.duration_minutes))
                    .sum::<f64>();
            (on > 0.0).then(|| t.cost_per_agent() / (on / minutes))
        })
        .fold(f64::INFINITY, f64::min)
        .clamp(1e-6, f64::MAX)
}

/// Simulated annealing with interval weights on one single-group instance.
pub struct WeightedSearch<'i> {
    inst: &'i Instance<'i>,
    n: usize,
    cyclic: bool,
    shapes: Vec<TemplateShape>,
    /// `at[template]`: candidate by start offset.
    at: Vec<BTreeMap<usize, usize>>,
    required: Vec<f64>,
    present: Vec<f64>,
    weight: Vec<f64>,
    agents: Vec<Agent>,
    cost: f64,
    short: f64,
    /// Templates the LP used, with their share of its agents (where added agents come from).
    mix: Vec<f64>,
    per_template_day: Vec<Vec<u32>>,
    per_day: Vec<u32>,
    /// Use of the workforce's supply limits.
    supply: SupplyUse,
    delta: Vec<f64>,
    touched: Vec<usize>,
    seen: Vec<bool>,
    /// Every presence and break share is a whole interval (lengths multiples of the
    /// interval): moves within a template are marked by their differences only.
    whole: bool,
}

const SHORT_EPS: f64 = 1e-9;

impl<'i> WeightedSearch<'i> {
    /// A search over `inst` (see [`applies`]) starting from `agents`; `mix[t]` is the share of
    /// template `t` among the LP's agents.
    pub fn new(inst: &'i Instance<'i>, agents: &[AgentShift], mix: &[f64]) -> Self {
        let rules = inst.input.rules;
        let minutes = inst.interval_minutes;
        let shapes = rules
            .templates
            .iter()
            .map(|t| TemplateShape {
                shares: interval_shares(0, t.length_minutes, minutes),
                breaks: t
                    .breaks
                    .iter()
                    .map(|b| BreakShape {
                        earliest: (b.earliest_minutes / minutes) as usize,
                        latest: (b.latest_minutes / minutes) as usize,
                        shares: interval_shares(0, b.duration_minutes, minutes),
                    })
                    .collect(),
                span: t.length_minutes.div_ceil(minutes) as usize,
            })
            .collect();
        let mut at = vec![BTreeMap::new(); rules.templates.len()];
        for (c, candidate) in inst.candidates.iter().enumerate() {
            at[candidate.template].insert(candidate.start_offset, c);
        }
        let n = inst.n;
        let days = inst.input.horizon.days() as usize;
        let required = aggregated_requirement(inst);
        let mut search = WeightedSearch {
            inst,
            n,
            cyclic: inst.input.cyclic,
            shapes,
            at,
            short: required.iter().sum(),
            required,
            present: vec![0.0; n],
            weight: vec![0.0; n],
            agents: Vec::with_capacity(agents.len() + 16),
            cost: 0.0,
            mix: mix.to_vec(),
            per_template_day: vec![vec![0; days]; rules.templates.len()],
            per_day: vec![0; days],
            supply: SupplyUse::new(inst),
            delta: vec![0.0; n],
            touched: Vec::with_capacity(128),
            seen: vec![false; n],
            whole: false,
        };
        search.whole = search.shapes.iter().all(|shape| {
            let whole = |shares: &[(usize, f64)]| {
                shares
                    .iter()
                    .enumerate()
                    .all(|(k, &(j, s))| j == k && (s - 1.0).abs() < 1e-12)
            };
            whole(&shape.shares)
                && shape.shares.len() == shape.span
                && shape.breaks.iter().all(|b| whole(&b.shares))
        });
        for agent in agents {
            // A start beyond the workforce's supply (an LP rounded up) loses those agents.
            if !search.supply.allows(inst, agent.candidate) {
                continue;
            }
            let s = inst.candidates[agent.candidate].start_offset;
            let mut breaks = [0u16; MAX_BREAKS];
            for (k, &t) in agent.break_offsets.iter().enumerate().take(MAX_BREAKS) {
                breaks[k] = (t - s) as u16;
            }
            search.insert(Agent {
                candidate: agent.candidate,
                breaks,
            });
        }
        search
    }

    fn index(&self, offset: usize) -> Option<usize> {
        horizon_index(offset, self.n, self.cyclic)
    }

    /// Adds `sign` times the presence of `agent` to the pending change.
    fn mark(&mut self, agent: &Agent, sign: f64) {
        let candidate = &self.inst.candidates[agent.candidate];
        let s = candidate.start_offset;
        let shape = &self.shapes[candidate.template];
        for &(j, share) in &shape.shares {
            if let Some(i) = horizon_index(s + j, self.n, self.cyclic) {
                if !self.seen[i] {
                    self.seen[i] = true;
                    self.touched.push(i);
                }
                self.delta[i] += sign * share;
            }
        }
        for (b, rule) in shape.breaks.iter().enumerate() {
            let t = s + usize::from(agent.breaks[b]);
            for &(j, share) in &rule.shares {
                if let Some(i) = horizon_index(t + j, self.n, self.cyclic) {
                    if !self.seen[i] {
                        self.seen[i] = true;
                        self.touched.push(i);
                    }
                    self.delta[i] -= sign * share;
                }
            }
        }
    }

    /// Adds `sign` to the pending change in the intervals at unwrapped offsets `range`.
    fn mark_range(&mut self, range: std::ops::Range<usize>, sign: f64) {
        for offset in range {
            if let Some(i) = horizon_index(offset, self.n, self.cyclic) {
                if !self.seen[i] {
                    self.seen[i] = true;
                    self.touched.push(i);
                }
                self.delta[i] += sign;
            }
        }
    }

    /// Adds replacing `old` by `new` to the pending change: the same as marking `old` with
    /// −1 and `new` with +1, by their differences only when both are of one template with
    /// whole-interval shares (a break or shift move touches a few intervals, not the shift).
    fn mark_change(&mut self, old: &Agent, new: &Agent) {
        let (a, b) = (
            &self.inst.candidates[old.candidate],
            &self.inst.candidates[new.candidate],
        );
        if !self.whole || a.template != b.template {
            self.mark(old, -1.0);
            self.mark(new, 1.0);
            return;
        }
        let (s0, s1) = (a.start_offset, b.start_offset);
        let shape = &self.shapes[a.template];
        let span = shape.span;
        let mut breaks = [(0usize, 0usize, 0usize); MAX_BREAKS];
        for (k, rule) in shape.breaks.iter().enumerate() {
            let from = s0 + usize::from(old.breaks[k]);
            let to = s1 + usize::from(new.breaks[k]);
            if from != to {
                breaks[k] = (from, to, rule.shares.len());
            }
        }
        if s1 > s0 {
            self.mark_range(s0..(s0 + span).min(s1), -1.0);
            self.mark_range((s0 + span).max(s1)..s1 + span, 1.0);
        } else if s1 < s0 {
            self.mark_range(s1..(s1 + span).min(s0), 1.0);
            self.mark_range((s1 + span).max(s0)..s0 + span, -1.0);
        }
        for (from, to, length) in breaks {
            self.mark_range(from..from + length, 1.0);
            self.mark_range(to..to + length, -1.0);
        }
    }

    /// Weighted and plain change of shortfall of the pending change; applies it when asked,
    /// and clears it.
    fn settle(&mut self, apply: bool) -> (f64, f64) {
        let mut plain = 0.0;
        let mut weighted = 0.0;
        for &i in &self.touched {
            let before = (self.required[i] - self.present[i]).max(0.0);
            let after = (self.required[i] - self.present[i] - self.delta[i]).max(0.0);
            plain += after - before;
            weighted += self.weight[i] * (after - before);
            if apply {
                self.present[i] += self.delta[i];
            }
            self.delta[i] = 0.0;
            self.seen[i] = false;
        }
        self.touched.clear();
        if apply {
            self.short += plain;
        }
        (weighted, plain)
    }

    fn count(&mut self, candidate: usize, change: i32) {
        let c = &self.inst.candidates[candidate];
        let slot = &mut self.per_template_day[c.template][c.day];
        *slot = slot.saturating_add_signed(change);
        let day = &mut self.per_day[c.day];
        *day = day.saturating_add_signed(change);
        self.supply
            .count(self.inst, candidate, f64::from(change.signum()));
    }

    fn insert(&mut self, agent: Agent) {
        self.mark(&agent, 1.0);
        self.settle(true);
        self.cost += self.inst.cost[agent.candidate];
        self.count(agent.candidate, 1);
        self.agents.push(agent);
    }

    /// Whether replacing `old` (if any) by `new` (if any) keeps the per-template and per-day
    /// limits.
    fn within_limits(&self, old: Option<usize>, new: Option<usize>) -> bool {
        if let Some(n) = new
            && !self.supply.allows_swap(self.inst, old, n)
        {
            return false;
        }
        let rules = self.inst.input.rules;
        let key = |c: usize| {
            let candidate = &self.inst.candidates[c];
            (candidate.template, candidate.day)
        };
        if let Some(n) = new {
            let (t, d) = key(n);
            let same_slot = old.is_some_and(|o| key(o) == (t, d));
            if !same_slot {
                if let Some(max) = rules.templates[t].max_agents
                    && self.per_template_day[t][d] >= max
                {
                    return false;
                }
                let same_day = old.is_some_and(|o| key(o).1 == d);
                if !same_day
                    && let Some(max) = rules.max_headcount_per_day
                    && self.per_day[d] >= max
                {
                    return false;
                }
            }
        }
        if let Some(o) = old {
            let (t, d) = key(o);
            let same_slot = new.is_some_and(|n| key(n) == (t, d));
            if !same_slot
                && let Some(min) = rules.templates[t].min_agents
                && self.per_template_day[t][d] <= min
            {
                return false;
            }
        }
        true
    }

    /// Break starts for a new agent on `candidate`: each break where presence exceeds the
    /// requirement most (counting the agent itself and without `replaced`), earliest on ties.
    fn place_breaks(&mut self, candidate: usize, replaced: Option<&Agent>) -> [u16; MAX_BREAKS] {
        if let Some(old) = replaced {
            self.mark(old, -1.0);
        }
        let c = &self.inst.candidates[candidate];
        let s = c.start_offset;
        let template = c.template;
        // Presence of the new agent without breaks.
        let shares = self.shapes[template].shares.clone();
        for &(j, share) in &shares {
            if let Some(i) = self.index(s + j) {
                if !self.seen[i] {
                    self.seen[i] = true;
                    self.touched.push(i);
                }
                self.delta[i] += share;
            }
        }
        let mut breaks = [0u16; MAX_BREAKS];
        for (b, rule) in self.shapes[template].breaks.iter().enumerate() {
            let mut best = (f64::NEG_INFINITY, rule.earliest);
            for o in rule.earliest..=rule.latest {
                let mut least = f64::INFINITY;
                for &(j, _) in &rule.shares {
                    let slack = match self.index(s + o + j) {
                        Some(i) => self.present[i] + self.delta[i] - self.required[i],
                        None => f64::INFINITY,
                    };
                    least = least.min(slack);
                }
                if least > best.0 + 1e-9 {
                    best = (least, o);
                }
            }
            breaks[b] = best.1 as u16;
        }
        // Clear the pending change without applying it.
        for &i in &self.touched {
            self.delta[i] = 0.0;
            self.seen[i] = false;
        }
        self.touched.clear();
        breaks
    }

    /// Runs the search; returns the cheapest schedule without coverable shortfall it met, or
    /// its final state when it met none.
    pub fn run(mut self, settings: SearchSettings, cap: &Cap) -> Vec<AgentShift> {
        let unit = unit_cost(self.inst);
        // Scales found on the reference week (cost per present interval 5.26).
        let start_weight = 1.33 * unit;
        let weight_step = 0.38 * unit;
        let period = (30 * self.n).max(1000) as u64;
        let t_start = 0.19 * unit;
        let t_end = 0.057 * unit;
        for w in &mut self.weight {
            *w = start_weight;
        }
        let moves = settings.moves.max(1);
        let cooling = (t_end / t_start).powf(1.0 / moves as f64);
        let mut temperature = t_start;
        let mut random = Random(settings.seed | 1);
        let mut best: Option<(f64, Vec<Agent>)> =
            (self.short <= SHORT_EPS).then(|| (self.cost, self.agents.clone()));

        let templates = self.shapes.len();
        // The last fifth raises weights faster so the search ends covered; when it still
        // has not, up to a quarter more moves at the final temperature.
        let late = moves - moves / 5;
        let limit = moves + moves / 4;
        for step in 0..limit {
            if step >= moves && best.is_some() {
                break;
            }
            if step < moves {
                temperature *= cooling;
            }
            if step % period == 0 {
                if step > 0
                    && cap.stops(
                        &format!("weighted local search, seed {:#x}", settings.seed),
                        "moves",
                        step,
                        moves,
                    )
                {
                    break;
                }
                let raise = if step >= late {
                    4.0 * weight_step
                } else {
                    weight_step
                };
                for i in 0..self.n {
                    if self.present[i] < self.required[i] - SHORT_EPS {
                        self.weight[i] += raise;
                    }
                }
            }
            let kind = random.below(100);
            if kind >= 93 {
                self.try_add(&mut random, temperature);
            } else if !self.agents.is_empty() {
                let k = random.below(self.agents.len());
                let agent = self.agents[k];
                let proposal: Option<Option<Agent>> = if kind < 40 {
                    self.break_move(&agent, &mut random)
                } else if kind < 70 {
                    self.shift_move(&agent, &mut random)
                } else if kind < 75 && templates > 1 {
                    self.template_move(&agent, &mut random)
                } else {
                    Some(None)
                };
                let Some(replacement) = proposal else {
                    continue;
                };
                let new_candidate = replacement.map(|a| a.candidate);
                if new_candidate != Some(agent.candidate)
                    && !self.within_limits(Some(agent.candidate), new_candidate)
                {
                    continue;
                }
                let cost_change = replacement.map_or(0.0, |a| self.inst.cost[a.candidate])
                    - self.inst.cost[agent.candidate];
                match &replacement {
                    Some(new) => self.mark_change(&agent, new),
                    None => self.mark(&agent, -1.0),
                }
                let (weighted, _) = self.settle(false);
                let change = cost_change + weighted;
                if change <= 0.0 || random.unit() < (-change / temperature).exp() {
                    self.count(agent.candidate, -1);
                    match replacement {
                        Some(new) => {
                            self.mark_change(&agent, &new);
                            self.count(new.candidate, 1);
                            self.agents[k] = new;
                        }
                        None => {
                            self.mark(&agent, -1.0);
                            self.agents.swap_remove(k);
                        }
                    }
                    self.settle(true);
                    self.cost += cost_change;
                }
            }
            if self.short <= SHORT_EPS && best.as_ref().is_none_or(|b| self.cost < b.0 - 1e-9) {
                best = Some((self.cost, self.agents.clone()));
            }
        }
        if best.is_none() {
            self.close_gaps(&mut random, 200 * self.n as u64);
            if self.short <= SHORT_EPS {
                best = Some((self.cost, self.agents.clone()));
            }
        }
        let agents = match best {
            Some((_, agents)) => agents,
            None => self.agents.clone(),
        };
        self.to_agent_shifts(&agents)
    }

    /// Moves breaks and shifts (no cost change) while that does not add shortfall, to cover
    /// what the annealing left short.
    fn close_gaps(&mut self, random: &mut Random, moves: u64) {
        for _ in 0..moves {
            if self.short <= SHORT_EPS || self.agents.is_empty() {
                break;
            }
            let k = random.below(self.agents.len());
            let agent = self.agents[k];
            let proposal = if random.below(2) == 0 {
                self.break_move(&agent, random)
            } else {
                self.shift_move(&agent, random)
            };
            let Some(Some(new)) = proposal else {
                continue;
            };
            if new.candidate != agent.candidate
                && !self.within_limits(Some(agent.candidate), Some(new.candidate))
            {
                continue;
            }
            self.mark(&agent, -1.0);
            self.mark(&new, 1.0);
            let (_, plain) = self.settle(false);
            if plain < -SHORT_EPS || (plain <= SHORT_EPS && random.below(2) == 0) {
                self.mark(&agent, -1.0);
                self.mark(&new, 1.0);
                self.settle(true);
                self.count(agent.candidate, -1);
                self.count(new.candidate, 1);
                self.agents[k] = new;
            }
        }
    }

    fn to_agent_shifts(&self, agents: &[Agent]) -> Vec<AgentShift> {
        let mut out: Vec<AgentShift> = agents
            .iter()
            .map(|a| {
                let c = &self.inst.candidates[a.candidate];
                let count = self.shapes[c.template].breaks.len();
                AgentShift {
                    candidate: a.candidate,
                    break_offsets: a.breaks[..count]
                        .iter()
                        .map(|&o| c.start_offset + usize::from(o))
                        .collect(),
                }
            })
            .collect();
        out.sort();
        out
    }

    fn break_move(&self, agent: &Agent, random: &mut Random) -> Option<Option<Agent>> {
        let template = self.inst.candidates[agent.candidate].template;
        let rules = &self.shapes[template].breaks;
        if rules.is_empty() {
            return None;
        }
        let b = random.below(rules.len());
        let rule = &rules[b];
        let o = rule.earliest + random.below(rule.latest - rule.earliest + 1);
        if o == usize::from(agent.breaks[b]) {
            return None;
        }
        let mut moved = *agent;
        moved.breaks[b] = o as u16;
        Some(Some(moved))
    }

    fn shift_move(&self, agent: &Agent, random: &mut Random) -> Option<Option<Agent>> {
        let candidate = &self.inst.candidates[agent.candidate];
        let step = 1 + random.below(3);
        let start = if random.below(2) == 0 {
            candidate.start_offset + step
        } else {
            candidate.start_offset.checked_sub(step)?
        };
        let &c = self.at[candidate.template].get(&start)?;
        Some(Some(Agent {
            candidate: c,
            breaks: agent.breaks,
        }))
    }

    fn template_move(&mut self, agent: &Agent, random: &mut Random) -> Option<Option<Agent>> {
        let candidate = &self.inst.candidates[agent.candidate];
        let templates = self.shapes.len();
        let other = random.below(templates);
        if other == candidate.template || self.mix[other] <= 0.0 {
            return None;
        }
        let start = if random.below(2) == 0 {
            candidate.start_offset
        } else {
            (candidate.start_offset + self.shapes[candidate.template].span)
                .checked_sub(self.shapes[other].span)?
        };
        let &c = self.at[other].get(&start)?;
        let breaks = self.place_breaks(c, Some(agent));
        Some(Some(Agent {
            candidate: c,
            breaks,
        }))
    }

    fn try_add(&mut self, random: &mut Random, temperature: f64) {
        let i = random.below(self.n);
        if self.present[i] >= self.required[i] - SHORT_EPS {
            return;
        }
        let mut pick = random.unit();
        let mut template = None;
        for (t, &share) in self.mix.iter().enumerate() {
            if share > 0.0 {
                template = Some(t);
                if pick < share {
                    break;
                }
                pick -= share;
            }
        }
        let Some(template) = template else {
            return;
        };
        let span = self.shapes[template].span.max(1);
        let back = random.below(span);
        // A shift covering interval `i` starts `back` intervals before it (before the horizon
        // start, in a cyclic plan, means near its end).
        let start = match i.checked_sub(back) {
            Some(s) => s,
            None if self.cyclic => i + self.n - back,
            None => return,
        };
        let Some(&c) = self.at[template].get(&start) else {
            return;
        };
        if !self.within_limits(None, Some(c)) {
            return;
        }
        let breaks = self.place_breaks(c, None);
        let agent = Agent {
            candidate: c,
            breaks,
        };
        self.mark(&agent, 1.0);
        let (weighted, _) = self.settle(false);
        let change = self.inst.cost[c] + weighted;
        if change <= 0.0 || random.unit() < (-change / temperature).exp() {
            self.insert(agent);
        }
    }
}

/// Intervals a chain search expands at most (the chains that close a unit are short; the
/// searches that fail would otherwise explore the whole week).
const CHAIN_NODES: usize = 100;

/// A move of one agent found by [`Descent::augment`]: agent index and its new form.
type ChainMove = (usize, Agent);

/// Exact cost descent on a covered schedule: an agent is removed (or replaced by a cheaper
/// template at the same start or end) and the shortfall this leaves is closed by *ejection
/// chains* of cost-neutral moves, each found as a shortest augmenting path: a break leaves the
/// short interval for another start in its window, whose interval may then be short in turn,
/// until an interval with surplus takes the break; shifts one interval earlier or later with
/// their breaks in place link the chain as well. The change is kept when the chains close all
/// the shortfall, else undone. Needs whole-interval shares (every length a multiple of the
/// interval); the moves are then exact.
struct Descent<'s, 'i> {
    search: &'s mut WeightedSearch<'i>,
    alive: Vec<bool>,
    /// Per interval: (agent, break) with a break starting there.
    breaks_at: Vec<Vec<(usize, usize)>>,
    /// Per interval: agents whose shift starts there.
    starts_at: Vec<Vec<usize>>,
    /// Per interval: agents whose shift's last interval it is.
    lasts_at: Vec<Vec<usize>>,
    shift_moves: bool,
    // Search scratch.
    parent: Vec<Option<(usize, ChainMove)>>,
    visited: Vec<bool>,
    used: Vec<bool>,
    queue: Vec<usize>,
    used_list: Vec<usize>,
}

impl<'s, 'i> Descent<'s, 'i> {
    fn new(search: &'s mut WeightedSearch<'i>) -> Self {
        let n = search.n;
        let count = search.agents.len();
        let rules = search.inst.input.rules;
        let shift_moves = !(rules.max_headcount_per_day.is_some()
            || !search.inst.supply_limits.is_empty()
            || rules
                .templates
                .iter()
                .any(|t| t.max_agents.is_some() || t.min_agents.is_some_and(|m| m > 0)));
        let mut descent = Descent {
            search,
            alive: vec![true; count],
            breaks_at: vec![Vec::new(); n],
            starts_at: vec![Vec::new(); n],
            lasts_at: vec![Vec::new(); n],
            shift_moves,
            parent: vec![None; n],
            visited: vec![false; n],
            used: vec![false; count],
            queue: Vec::with_capacity(n),
            used_list: Vec::new(),
        };
        for k in 0..count {
            descent.index(k, true);
        }
        descent
    }

    /// Whether every presence and break share of the instance is a whole interval.
    fn applies(search: &WeightedSearch<'_>) -> bool {
        let whole = |shares: &[(usize, f64)]| shares.iter().all(|&(_, s)| (s - 1.0).abs() < 1e-12);
        search.shapes.iter().all(|shape| {
            whole(&shape.shares)
                && shape.shares.len() == shape.span
                && shape.breaks.iter().all(|b| {
                    // Inside the shift, not at its first or last interval.
                    whole(&b.shares) && b.earliest >= 1 && b.latest + b.shares.len() < shape.span
                })
        })
    }

    fn position(&self, offset: usize) -> Option<usize> {
        self.search.index(offset)
    }

    /// Adds (`add`) or removes agent `k` from the interval lists.
    fn index(&mut self, k: usize, add: bool) {
        let agent = self.search.agents[k];
        let candidate = &self.search.inst.candidates[agent.candidate];
        let s = candidate.start_offset;
        let shape = &self.search.shapes[candidate.template];
        let mut entries = Vec::with_capacity(shape.breaks.len());
        for b in 0..shape.breaks.len() {
            if let Some(i) = self.position(s + usize::from(agent.breaks[b])) {
                entries.push((i, b));
            }
        }
        let first = self.position(s);
        let last = self.position(s + shape.span.max(1) - 1);
        for (i, b) in entries {
            if add {
                self.breaks_at[i].push((k, b));
            } else if let Some(p) = self.breaks_at[i].iter().position(|&e| e == (k, b)) {
                self.breaks_at[i].swap_remove(p);
            }
        }
        for (list, at) in [(&mut self.starts_at, first), (&mut self.lasts_at, last)] {
            if let Some(i) = at {
                if add {
                    list[i].push(k);
                } else if let Some(p) = list[i].iter().position(|&e| e == k) {
                    list[i].swap_remove(p);
                }
            }
        }
    }

    /// Sets agent `k` to `new` (`None`: removed), updating presence, cost and lists; returns
    /// its previous form.
    fn set(&mut self, k: usize, new: Option<Agent>) -> Option<Agent> {
        let old = self.alive[k].then(|| self.search.agents[k]);
        match (&old, &new) {
            (Some(old), Some(new)) => self.search.mark_change(old, new),
            (Some(old), None) => self.search.mark(old, -1.0),
            (None, Some(new)) => self.search.mark(new, 1.0),
            (None, None) => {}
        }
        if let Some(old) = &old {
            self.index(k, false);
            self.search.count(old.candidate, -1);
            self.search.cost -= self.search.inst.cost[old.candidate];
        }
        if let Some(new) = &new {
            self.search.count(new.candidate, 1);
            self.search.cost += self.search.inst.cost[new.candidate];
        }
        self.search.settle(true);
        match new {
            Some(new) => {
                self.search.agents[k] = new;
                self.alive[k] = true;
                self.index(k, true);
            }
            None => self.alive[k] = false,
        }
        old
    }

    fn slack(&self, i: usize) -> f64 {
        self.search.present[i] - self.search.required[i]
    }

    /// Closes one unit of shortfall at interval `target` by the shortest chain of cost-neutral
    /// moves ending in an interval with a unit of surplus; logs the previous forms of the
    /// agents it moves. False when no chain exists.
    fn augment(&mut self, target: usize, log: &mut Vec<(usize, Option<Agent>)>) -> bool {
        self.queue.clear();
        self.queue.push(target);
        self.visited[target] = true;
        let mut head = 0;
        let mut found = None;
        'search: while head < self.queue.len() && head < CHAIN_NODES {
            let i = self.queue[head];
            head += 1;
            let mut edges: Vec<(usize, ChainMove)> = Vec::new();
            self.edges(i, &mut edges);
            for (j, (k, new)) in edges {
                if self.visited[j] || self.used[k] {
                    continue;
                }
                self.visited[j] = true;
                self.used[k] = true;
                self.used_list.push(k);
                self.parent[j] = Some((i, (k, new)));
                if self.slack(j) >= 1.0 - SHORT_EPS {
                    found = Some(j);
                    break 'search;
                }
                self.queue.push(j);
            }
        }
        let mut moves = Vec::new();
        if let Some(mut j) = found {
            while j != target {
                let (i, step) = self.parent[j].expect("chain parent");
                moves.push(step);
                j = i;
            }
        }
        for &i in &self.queue {
            self.visited[i] = false;
            self.parent[i] = None;
        }
        if let Some(j) = found {
            self.visited[j] = false;
            self.parent[j] = None;
        }
        for &k in &self.used_list {
            self.used[k] = false;
        }
        self.used_list.clear();
        if found.is_none() {
            return false;
        }
        for (k, new) in moves {
            let old = self.set(k, Some(new));
            log.push((k, old));
        }
        true
    }

    /// Cost-neutral moves of one agent adding a unit of presence at `i` and taking one at
    /// another interval: `(that interval, (agent, new form))`.
    fn edges(&self, i: usize, out: &mut Vec<(usize, ChainMove)>) {
        let search = &*self.search;
        for &(k, b) in &self.breaks_at[i] {
            let agent = search.agents[k];
            let candidate = &search.inst.candidates[agent.candidate];
            let s = candidate.start_offset;
            let rule = &search.shapes[candidate.template].breaks[b];
            let current = usize::from(agent.breaks[b]);
            let length = rule.shares.len();
            if length == 1 {
                for o in rule.earliest..=rule.latest {
                    if o == current {
                        continue;
                    }
                    if let Some(j) = self.position(s + o) {
                        let mut moved = agent;
                        moved.breaks[b] = o as u16;
                        out.push((j, (k, moved)));
                    }
                }
            } else if current < rule.latest {
                // Starts at `i`: one later frees `i` and takes the interval after its end.
                if let Some(j) = self.position(s + current + length) {
                    let mut moved = agent;
                    moved.breaks[b] = (current + 1) as u16;
                    out.push((j, (k, moved)));
                }
            }
        }
        self.long_break_edges(i, out);
        if self.shift_moves {
            self.shift_edges(i, out);
        }
    }

    /// Breaks longer than one interval whose last interval is `i`, one interval earlier.
    fn long_break_edges(&self, i: usize, out: &mut Vec<(usize, ChainMove)>) {
        let search = &*self.search;
        let n = search.n;
        for back in 1..4usize {
            let p = if i >= back {
                i - back
            } else if search.cyclic {
                i + n - back
            } else {
                continue;
            };
            for &(k, b) in &self.breaks_at[p] {
                let agent = search.agents[k];
                let candidate = &search.inst.candidates[agent.candidate];
                let rule = &search.shapes[candidate.template].breaks[b];
                let length = rule.shares.len();
                let current = usize::from(agent.breaks[b]);
                if length != back + 1 || current <= rule.earliest {
                    continue;
                }
                if let Some(j) = self.position(candidate.start_offset + current - 1) {
                    let mut moved = agent;
                    moved.breaks[b] = (current - 1) as u16;
                    out.push((j, (k, moved)));
                }
            }
        }
    }

    /// Shifts one interval earlier (starting at `i`) or later (ending at `i`), breaks in place.
    fn shift_edges(&self, i: usize, out: &mut Vec<(usize, ChainMove)>) {
        let search = &*self.search;
        let n = search.n;
        // Starts at i + 1: one earlier gains `i`, loses its last interval.
        if let Some(next) = self.position(i + 1) {
            for &k in &self.starts_at[next] {
                let agent = search.agents[k];
                let candidate = &search.inst.candidates[agent.candidate];
                let s = candidate.start_offset;
                let shape = &search.shapes[candidate.template];
                if s == 0 {
                    continue;
                }
                let Some(&c) = search.at[candidate.template].get(&(s - 1)) else {
                    continue;
                };
                let mut moved = Agent {
                    candidate: c,
                    breaks: agent.breaks,
                };
                let mut fits = true;
                for (b, rule) in shape.breaks.iter().enumerate() {
                    let o = usize::from(agent.breaks[b]) + 1;
                    fits &= o <= rule.latest;
                    moved.breaks[b] = o as u16;
                }
                if !fits {
                    continue;
                }
                if let Some(j) = self.position(s + shape.span - 1) {
                    out.push((j, (k, moved)));
                }
            }
        }
        // Last interval at i - 1: one later gains `i`, loses its first interval.
        let previous = if i > 0 {
            Some(i - 1)
        } else if search.cyclic {
            Some(n - 1)
        } else {
            None
        };
        if let Some(previous) = previous {
            for &k in &self.lasts_at[previous] {
                let agent = search.agents[k];
                let candidate = &search.inst.candidates[agent.candidate];
                let s = candidate.start_offset;
                let shape = &search.shapes[candidate.template];
                let Some(&c) = search.at[candidate.template].get(&(s + 1)) else {
                    continue;
                };
                let mut moved = Agent {
                    candidate: c,
                    breaks: agent.breaks,
                };
                let mut fits = true;
                for (b, rule) in shape.breaks.iter().enumerate() {
                    let o = usize::from(agent.breaks[b]);
                    fits &= o > rule.earliest;
                    moved.breaks[b] = o.saturating_sub(1) as u16;
                }
                if !fits {
                    continue;
                }
                if let Some(j) = self.position(s) {
                    out.push((j, (k, moved)));
                }
            }
        }
    }

    /// Undoes the logged changes, last first.
    fn undo(&mut self, log: &mut Vec<(usize, Option<Agent>)>) {
        while let Some((k, old)) = log.pop() {
            self.set(k, old);
        }
    }

    /// Closes the shortfall in the intervals of `span` (unwrapped offsets) by chains; false
    /// when some unit stays short.
    fn close(
        &mut self,
        span: std::ops::Range<usize>,
        log: &mut Vec<(usize, Option<Agent>)>,
    ) -> bool {
        for offset in span {
            let Some(i) = self.position(offset) else {
                continue;
            };
            while self.slack(i) < -SHORT_EPS {
                if !self.augment(i, log) {
                    return false;
                }
            }
        }
        true
    }

    /// Closes whatever shortfall the schedule has; false when some stays.
    fn close_all(&mut self) -> bool {
        let mut log = Vec::new();
        let mut ok = true;
        for i in 0..self.search.n {
            while self.slack(i) < -SHORT_EPS && self.search.required[i] > 0.0 {
                if !self.augment(i, &mut log) {
                    ok = false;
                    break;
                }
            }
        }
        ok
    }

    /// Covers the shortfall chains cannot close with new agents of the cheapest template
    /// the LP used (any template when it used none), each placed where it covers most
    /// short intervals (earliest start on ties), chains closing what it leaves.
    fn cover_rest(&mut self) {
        let templates = self.search.shapes.len();
        let used_by_lp = |t: usize| self.search.mix.get(t).is_some_and(|&m| m > 0.0);
        let any_used = (0..templates).any(used_by_lp);
        let Some(template) = (0..templates)
            .filter(|&t| !any_used || used_by_lp(t))
            .filter(|&t| !self.search.at[t].is_empty())
            .min_by(|&a, &b| {
                let cost = |t: usize| {
                    self.search.inst.cost[*self.search.at[t].values().next().unwrap_or(&0)]
                };
                cost(a).total_cmp(&cost(b)).then(a.cmp(&b))
            })
        else {
            return;
        };
        let span = self.search.shapes[template].span.max(1);
        let n = self.search.n;
        for i in 0..n {
            while self.slack(i) < -SHORT_EPS && self.search.required[i] > 0.0 {
                let mut best: Option<(usize, usize)> = None;
                for back in 0..span {
                    let start = match i.checked_sub(back) {
                        Some(start) => start,
                        None if self.search.cyclic => i + n - back,
                        None => continue,
                    };
                    let Some(&c) = self.search.at[template].get(&start) else {
                        continue;
                    };
                    if !self.search.within_limits(None, Some(c)) {
                        continue;
                    }
                    let covered = (start..start + span)
                        .filter_map(|o| self.position(o))
                        .filter(|&j| self.slack(j) < -SHORT_EPS)
                        .count();
                    if best.is_none_or(|(most, s)| covered > most || (covered == most && start < s))
                    {
                        best = Some((covered, start));
                    }
                }
                let Some((_, start)) = best else {
                    break;
                };
                let c = self.search.at[template][&start];
                let breaks = self.search.place_breaks(c, None);
                self.search.insert(Agent {
                    candidate: c,
                    breaks,
                });
                let k = self.search.agents.len() - 1;
                self.alive.push(true);
                self.used.push(false);
                self.index(k, true);
                let mut log = Vec::new();
                for o in start..start + span {
                    if let Some(j) = self.position(o) {
                        while self.slack(j) < -SHORT_EPS && self.search.required[j] > 0.0 {
                            if !self.augment(j, &mut log) {
                                break;
                            }
                        }
                    }
                }
            }
        }
    }

    /// Tries to replace agent `k` by `replacement` (`None`: remove it) and close the
    /// shortfall left; keeps the change when it succeeds.
    fn attempt(&mut self, k: usize, replacement: Option<Agent>) -> bool {
        let agent = self.search.agents[k];
        let candidate = &self.search.inst.candidates[agent.candidate];
        let s = candidate.start_offset;
        let span = self.search.shapes[candidate.template].span;
        let mut log = Vec::new();
        let old = self.set(k, replacement);
        log.push((k, old));
        if self.close(s..s + span, &mut log) {
            true
        } else {
            self.undo(&mut log);
            false
        }
    }

    /// One pass over the agents, most expensive first (unless the time limit cuts it): a second
    /// pass found nothing more on the reference weeks and costs as much as the first.
    fn run(&mut self, cap: &Cap) {
        let templates = self.search.shapes.len();
        let mut order: Vec<usize> = (0..self.search.agents.len()).collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (
                self.search.agents[a].candidate,
                self.search.agents[b].candidate,
            );
            self.search.inst.cost[cb]
                .total_cmp(&self.search.inst.cost[ca])
                .then(ca.cmp(&cb))
                .then(a.cmp(&b))
        });
        let agents = order.len() as u64;
        for (step, k) in order.into_iter().enumerate() {
            if step % 64 == 0 && cap.stops("chain descent", "agents", step as u64, agents) {
                return;
            }
            if !self.alive[k] {
                continue;
            }
            let agent = self.search.agents[k];
            if !self.search.within_limits(Some(agent.candidate), None) {
                continue;
            }
            if self.attempt(k, None) {
                continue;
            }
            // A cheaper template with the same start or the same end.
            let candidate = &self.search.inst.candidates[agent.candidate];
            let cost = self.search.inst.cost[agent.candidate];
            let span = self.search.shapes[candidate.template].span;
            let s = candidate.start_offset;
            for other in 0..templates {
                if other == candidate.template {
                    continue;
                }
                for start in [
                    Some(s),
                    (s + span).checked_sub(self.search.shapes[other].span),
                ] {
                    let Some(start) = start else { continue };
                    let Some(&c) = self.search.at[other].get(&start) else {
                        continue;
                    };
                    if self.search.inst.cost[c] >= cost - 1e-9
                        || !self.search.within_limits(Some(agent.candidate), Some(c))
                    {
                        continue;
                    }
                    let breaks = self.search.place_breaks(c, Some(&agent));
                    let new = Agent {
                        candidate: c,
                        breaks,
                    };
                    if self.attempt(k, Some(new)) {
                        break;
                    }
                }
                if !self.alive[k] || self.search.agents[k] != agent {
                    break;
                }
            }
        }
    }

    /// The agents left.
    fn agents(&self) -> Vec<Agent> {
        self.search
            .agents
            .iter()
            .zip(&self.alive)
            .filter(|(_, alive)| **alive)
            .map(|(a, _)| *a)
            .collect()
    }
}

/// Exact cost descent (see [`Descent`]) on `agents`: closes any shortfall it can by chains,
/// then removes agents or makes them cheaper while chains keep everything covered. Returns
/// `agents` unchanged when the instance has fractional shares.
pub fn descend(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    mix: &[f64],
    cap: &Cap,
) -> Vec<AgentShift> {
    let mut search = WeightedSearch::new(inst, agents, mix);
    if !Descent::applies(&search) {
        return agents.to_vec();
    }
    let mut descent = Descent::new(&mut search);
    if !descent.close_all() {
        descent.cover_rest();
    }
    descent.run(cap);
    let kept = descent.agents();
    search.to_agent_shifts(&kept)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::schedule::ScheduleInput;

    fn scenario() -> Scenario {
        let text = r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 15
time_zone = "UTC"
cyclic = true
[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"
[[shift]]
name = "short"
length = "4h"
start_window = "00:00-24:00"
cost_per_hour = 22.0
[[shift]]
name = "long"
length = "8h30m"
paid = "8h"
start_window = "00:00-24:00"
cost_per_hour = 20.0
[[shift.break]]
duration = "15m"
earliest = "1h30m"
latest = "2h30m"
[[shift.break]]
duration = "30m"
paid = false
earliest = "3h30m"
latest = "5h"
"#;
        Scenario::from_toml(text, "t.toml".as_ref(), ".".as_ref()).unwrap()
    }

    /// Any fractional solution whose break mass lies inside each shift's own windows satisfies
    /// the backlog constraints; rounding it cumulatively with one offset per template must then
    /// hand every agent breaks inside its windows first-come-first-served, with no correction.
    #[test]
    fn cumulative_rounding_keeps_every_break_in_its_window() {
        let scenario = scenario();
        let input = ScheduleInput::new(&scenario, vec![vec![3; 96]]);
        let inst = Instance::new(&input);
        let mut random = Random(2026);
        for case in 0..20 {
            let columns: Vec<f64> = (0..inst.candidates.len())
                .map(|_| {
                    if random.below(3) == 0 {
                        random.below(4) as f64 + random.unit()
                    } else {
                        0.0
                    }
                })
                .collect();
            let mut breaks = Vec::new();
            for family in &inst.families {
                let starts = family
                    .members
                    .iter()
                    .map(|&c| inst.candidates[c].start_offset);
                let t0 = starts.clone().min().unwrap() + family.earliest;
                let t1 = starts.max().unwrap() + family.latest;
                let mut ys = vec![0.0; t1 - t0 + 1];
                for &c in &family.members {
                    // Split the shift's agents over two random starts in its window.
                    let s = inst.candidates[c].start_offset;
                    let width = family.latest - family.earliest + 1;
                    let part = random.unit();
                    let a = s + family.earliest + random.below(width);
                    let b = s + family.earliest + random.below(width);
                    ys[a - t0] += columns[c] * part;
                    ys[b - t0] += columns[c] * (1.0 - part);
                }
                breaks.push((t0, ys));
            }
            for step in 0..10 {
                let theta = [f64::from(step) / 10.0 + 0.05, 0.95 - f64::from(step) / 10.0];
                let (agents, clamped) = round_cumulative(&inst, &columns, &breaks, &theta);
                assert_eq!(clamped, 0, "case {case} theta {theta:?}");
                for (t, &offset) in theta.iter().enumerate() {
                    let total: f64 = (0..inst.candidates.len())
                        .filter(|&c| inst.candidates[c].template == t)
                        .map(|c| columns[c])
                        .sum();
                    let count = agents
                        .iter()
                        .filter(|a| inst.candidates[a.candidate].template == t)
                        .count();
                    assert_eq!(
                        count as f64,
                        (total + offset + 1e-7).floor() - offset.floor()
                    );
                }
                for agent in &agents {
                    let candidate = &inst.candidates[agent.candidate];
                    let rules = &scenario.shifts.templates[candidate.template].breaks;
                    assert_eq!(agent.break_offsets.len(), rules.len());
                    for (rule, &t) in rules.iter().zip(&agent.break_offsets) {
                        let relative = (t - candidate.start_offset) as u32 * 15;
                        assert!(
                            (rule.earliest_minutes..=rule.latest_minutes).contains(&relative),
                            "case {case}: break at +{relative} min outside {rule:?}"
                        );
                    }
                }
            }
        }
    }
    /// The chain descent keeps every break in its window, never adds shortfall, never costs
    /// more, and closes shortfall a break or shift chain can close.
    #[test]
    fn descent_keeps_coverage_and_lowers_cost() {
        let scenario = scenario();
        let mut random = Random(7);
        for case in 0..6 {
            let required: Vec<u32> = (0..96)
                .map(|i| 2 + (i as u32 / 8) % 4 + u32::from(random.below(3) == 0))
                .collect();
            let input = ScheduleInput::new(&scenario, vec![required.clone()]);
            let inst = Instance::new(&input);
            let far = Cap::none();
            let start = super::super::repair::repaired(&inst, &[]);
            let mix = vec![0.5, 0.5];
            let before = super::super::evaluate(&input, &inst.candidates, &start);
            let after_agents = descend(&inst, &start, &mix, &far);
            let after = super::super::evaluate(&input, &inst.candidates, &after_agents);
            let cost = |agents: &[AgentShift]| -> f64 {
                agents.iter().map(|a| inst.cost[a.candidate]).sum()
            };
            assert!(cost(&after_agents) <= cost(&start) + 1e-9, "case {case}");
            for (i, &r) in required.iter().enumerate() {
                let short_before = (f64::from(r) - before.present[0][i]).max(0.0);
                let short_after = (f64::from(r) - after.present[0][i]).max(0.0);
                assert!(
                    short_after <= short_before + 1e-9,
                    "case {case} interval {i}"
                );
            }
            for agent in &after_agents {
                let candidate = &inst.candidates[agent.candidate];
                let rules = &scenario.shifts.templates[candidate.template].breaks;
                assert_eq!(agent.break_offsets.len(), rules.len());
                for (rule, &t) in rules.iter().zip(&agent.break_offsets) {
                    let relative = (t - candidate.start_offset) as u32 * 15;
                    assert!((rule.earliest_minutes..=rule.latest_minutes).contains(&relative));
                }
            }
            // A removed agent leaves shortfall that chains close: take one agent out.
            let mut fewer = after_agents.clone();
            fewer.remove(fewer.len() / 2);
            let closed = descend(&inst, &fewer, &mix, &far);
            let covered = super::super::evaluate(&input, &inst.candidates, &closed);
            let shortfall: f64 = (0..96)
                .map(|i| (f64::from(required[i]) - covered.present[0][i]).max(0.0))
                .sum();
            let present = super::super::evaluate(&input, &inst.candidates, &fewer);
            let open: f64 = (0..96)
                .map(|i| (f64::from(required[i]) - present.present[0][i]).max(0.0))
                .sum();
            assert!(shortfall <= open + 1e-9, "case {case}");
        }
    }
    /// Marking a break or shift move by its differences equals marking the old agent out and
    /// the new one in.
    #[test]
    fn mark_change_equals_full_marking() {
        let scenario = scenario();
        let input = ScheduleInput::new(&scenario, vec![vec![3; 96]]);
        let inst = Instance::new(&input);
        let start = super::super::repair::repaired(&inst, &[]);
        let mut search = WeightedSearch::new(&inst, &start, &[0.5, 0.5]);
        assert!(search.whole);
        let mut random = Random(11);
        let mut tried = 0;
        for _ in 0..2000 {
            let agent = search.agents[random.below(search.agents.len())];
            let proposal = if random.below(2) == 0 {
                search.break_move(&agent, &mut random)
            } else {
                search.shift_move(&agent, &mut random)
            };
            let Some(Some(new)) = proposal else { continue };
            tried += 1;
            search.mark(&agent, -1.0);
            search.mark(&new, 1.0);
            let full = search.delta.clone();
            search.settle(false);
            search.mark_change(&agent, &new);
            assert_eq!(full, search.delta);
            search.settle(false);
        }
        assert!(tried > 500);
    }
}
