//! LP rounding with repair and improvement: an integer schedule from the LP relaxation that is
//! always available, and the MIP's starting point.
//!
//! 1. round the LP's agent counts (up, or down — both are tried);
//! 2. give every agent concrete breaks where they hurt coverage least;
//! 3. repair: while a coverable interval is short, add the shift that removes the most
//!    shortfall per unit of cost;
//! 4. improve: remove agents whose absence leaves coverage intact, move breaks to where they
//!    free agents, replace shifts by cheaper ones inside them; repeat while anything changes.

use super::AgentShift;
use super::allocate;
use super::budget::Cap;
use super::instance::{Instance, SupplyUse};

const EPS: f64 = 1e-9;

/// How LP values become agent counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Rounding {
    /// `ceil(x)`: a near-cover to prune.
    Up,
    /// `floor(x)`: a partial cover to repair.
    Down,
}

/// Working schedule with incremental coverage.
pub struct Working<'i> {
    inst: &'i Instance<'i>,
    /// Family index per template, in break order.
    family_of: Vec<Vec<usize>>,
    agents: Vec<Option<AgentShift>>,
    /// `present[g][i]`.
    present: Vec<Vec<f64>>,
    /// `required[i][q]`.
    required: Vec<Vec<f64>>,
    /// `demand[g][i]`: requirement of the queues a group serves.
    demand: Vec<Vec<f64>>,
    /// Candidates on shift in interval `i`.
    on_shift_at: Vec<Vec<usize>>,
    per_template_day: Vec<Vec<u32>>,
    per_day: Vec<u32>,
    /// Use of the workforce's supply limits.
    supply: SupplyUse,
    /// Component index of each group (groups linked through shared queues).
    component_of: Vec<usize>,
    /// Per component: its groups and queues.
    components: Vec<Component>,
    scratch: Vec<f64>,
}

impl<'i> Working<'i> {
    /// An empty schedule.
    pub fn new(inst: &'i Instance<'i>) -> Self {
        let input = inst.input;
        let groups = inst.group_queues.len();
        let queues = input.queues.len();
        let family_of = inst.families_of_templates();
        let required: Vec<Vec<f64>> = (0..inst.n)
            .map(|i| {
                (0..queues)
                    .map(|q| f64::from(input.required[q][i]))
                    .collect()
            })
            .collect();
        let demand = (0..groups)
            .map(|g| {
                (0..inst.n)
                    .map(|i| inst.group_queues[g].iter().map(|&q| required[i][q]).sum())
                    .collect()
            })
            .collect();
        let on_shift_at = inst.on_shift_at();
        let (component_of, components) = components(&inst.group_queues);
        Working {
            inst,
            family_of,
            agents: Vec::new(),
            present: vec![vec![0.0; inst.n]; groups],
            required,
            demand,
            on_shift_at,
            per_template_day: vec![
                vec![0; input.horizon.days() as usize];
                input.rules.templates.len()
            ],
            per_day: vec![0; input.horizon.days() as usize],
            supply: SupplyUse::new(inst),
            component_of,
            components,
            scratch: vec![0.0; groups],
        }
    }

    /// The agents, sorted.
    pub fn into_agents(self) -> Vec<AgentShift> {
        let mut agents: Vec<AgentShift> = self.agents.into_iter().flatten().collect();
        agents.sort();
        agents
    }

    /// Shortfall of interval `i` on the queues of `g`'s component (groups linked through
    /// shared queues), with `extra` added to group `g`'s presence. Other components do not
    /// change when `g` does, so differences of this are differences of the total.
    fn shortfall_at(&mut self, i: usize, g: usize, extra: f64) -> f64 {
        let component = self.component_of[g];
        let (groups, queues) = &self.components[component];
        if groups.len() == 1 {
            let demand: f64 = queues.iter().map(|&q| self.required[i][q]).sum();
            return (demand - self.present[g][i] - extra).max(0.0);
        }
        for (h, value) in self.scratch.iter_mut().enumerate() {
            *value = if self.component_of[h] == component {
                self.present[h][i]
            } else {
                0.0
            };
        }
        self.scratch[g] += extra;
        let present = std::mem::take(&mut self.scratch);
        let required: Vec<f64> = (0..self.required[i].len())
            .map(|q| {
                if queues.contains(&q) {
                    self.required[i][q]
                } else {
                    0.0
                }
            })
            .collect();
        let result = allocate::shortfall(&self.inst.group_queues, &present, &required);
        self.scratch = present;
        result
    }

    /// Shortfall of interval `i` over all queues.
    fn total_shortfall_at(&mut self, i: usize) -> f64 {
        let mut total = 0.0;
        for component in 0..self.components.len() {
            let g = self.components[component].0[0];
            total += self.shortfall_at(i, g, 0.0);
        }
        // Queues no group serves.
        total
            + (0..self.required[i].len())
                .filter(|q| !self.components.iter().any(|(_, qs)| qs.contains(q)))
                .map(|q| self.required[i][q])
                .sum::<f64>()
    }

    /// Change of total shortfall when `profile` (intervals, shares) is added with `sign` to
    /// group `g`.
    fn delta(&mut self, g: usize, profile: &[(usize, f64)], sign: f64) -> f64 {
        let mut total = 0.0;
        for &(i, share) in profile {
            let before = self.shortfall_at(i, g, 0.0);
            let after = self.shortfall_at(i, g, sign * share);
            total += after - before;
        }
        total
    }

    fn apply(&mut self, g: usize, profile: &[(usize, f64)], sign: f64) {
        for &(i, share) in profile {
            self.present[g][i] += sign * share;
        }
    }

    /// Net presence of an agent (shift minus breaks).
    fn profile(&self, agent: &AgentShift) -> Vec<(usize, f64)> {
        self.inst.net_presence(&self.family_of, agent)
    }

    /// Whether one more agent may start candidate `c` under the limits.
    fn may_add(&self, c: usize) -> bool {
        self.inst
            .may_add(c, &self.per_template_day, &self.per_day, &self.supply)
    }

    /// Whether an agent of candidate `c` may be removed under the minimum limits.
    fn may_remove(&self, c: usize) -> bool {
        self.inst.may_remove(c, &self.per_template_day)
    }

    /// The least room over `shares`'s intervals for group `g`: presence beyond the demand as a
    /// share of the demand (an interval without demand has room to spare). Relative, so that a
    /// short day's breaks go where they leave the most of the demand covered, not all to the
    /// quietest interval (which would leave it without anyone).
    fn room(&self, g: usize, shares: &[(usize, f64)]) -> f64 {
        shares
            .iter()
            .map(|&(i, _)| {
                let demand = self.demand[g][i];
                if demand > EPS {
                    (self.present[g][i] - demand) / demand
                } else {
                    self.present[g][i] + 1.0
                }
            })
            .fold(f64::INFINITY, f64::min)
    }

    /// Best start of break `k` for an agent of candidate `c` whose presence is applied:
    /// least added shortfall, then most room ([`Working::room`]), then earliest. Returns
    /// (start, delta).
    fn best_break(&mut self, c: usize, k: usize) -> (usize, f64) {
        let candidate = &self.inst.candidates[c];
        let f = self.family_of[candidate.template][k];
        let family = &self.inst.families[f];
        let g = self.inst.group_of(c);
        let s = candidate.start_offset;
        let mut best: Option<(usize, f64, f64)> = None;
        for t in s + family.earliest..=s + family.latest {
            let shares = self.inst.break_shares(family.duration_minutes, t);
            let delta = self.delta(g, &shares, -1.0);
            let surplus = self.room(g, &shares);
            let better = match best {
                None => true,
                Some((_, d, sp)) => delta < d - EPS || (delta <= d + EPS && surplus > sp + EPS),
            };
            if better {
                best = Some((t, delta, surplus));
            }
        }
        let (t, delta, _) = best.unwrap_or((s + family.earliest, 0.0, 0.0));
        (t, delta)
    }

    /// Adds one agent on candidate `c` with greedily placed breaks; returns the change of
    /// total shortfall.
    pub fn add(&mut self, c: usize) -> f64 {
        let g = self.inst.group_of(c);
        let shares = self.inst.presence[c].clone();
        let mut delta = self.delta(g, &shares, 1.0);
        self.apply(g, &shares, 1.0);
        let template = self.inst.candidates[c].template;
        let mut breaks = Vec::with_capacity(self.family_of[template].len());
        for k in 0..self.family_of[template].len() {
            let (t, d) = self.best_break(c, k);
            let f = self.family_of[template][k];
            let shares = self
                .inst
                .break_shares(self.inst.families[f].duration_minutes, t);
            self.apply(g, &shares, -1.0);
            delta += d;
            breaks.push(t);
        }
        let candidate = &self.inst.candidates[c];
        self.per_template_day[candidate.template][candidate.day] += 1;
        self.per_day[candidate.day] += 1;
        self.supply.count(self.inst, c, 1.0);
        self.agents.push(Some(AgentShift {
            candidate: c,
            break_offsets: breaks,
        }));
        delta
    }

    fn remove(&mut self, index: usize) {
        if let Some(agent) = self.agents[index].take() {
            let g = self.inst.group_of(agent.candidate);
            let profile = self.profile(&agent);
            self.apply(g, &profile, -1.0);
            let candidate = &self.inst.candidates[agent.candidate];
            self.per_template_day[candidate.template][candidate.day] -= 1;
            self.per_day[candidate.day] -= 1;
            self.supply.count(self.inst, agent.candidate, -1.0);
        }
    }

    /// Adds an agent with given breaks (none beyond the workforce's supply: a start from a
    /// rounded LP or a solver's tolerance loses those agents, and repair covers for them).
    fn insert(&mut self, agent: AgentShift) {
        if !self.supply.allows(self.inst, agent.candidate) {
            return;
        }
        let g = self.inst.group_of(agent.candidate);
        let profile = self.profile(&agent);
        self.apply(g, &profile, 1.0);
        let candidate = &self.inst.candidates[agent.candidate];
        self.per_template_day[candidate.template][candidate.day] += 1;
        self.per_day[candidate.day] += 1;
        self.supply.count(self.inst, agent.candidate, 1.0);
        self.agents.push(Some(agent));
    }

    /// Undoes the most recent [`Working::add`].
    fn undo_add(&mut self) {
        let last = self.agents.len() - 1;
        self.remove(last);
        self.agents.pop();
    }

    /// Shortfall of interval `i` on queues where it can be covered at all.
    fn coverable_shortfall(&mut self, i: usize) -> f64 {
        let total = self.total_shortfall_at(i);
        if total <= EPS {
            return 0.0;
        }
        // Requirement nobody can cover is a constant part of the shortfall.
        let fixed: f64 = (0..self.inst.input.queues.len())
            .filter(|&q| !self.inst.coverable[q][i])
            .map(|q| self.required[i][q])
            .sum();
        (total - fixed).max(0.0)
    }

    /// Adds shifts until every coverable interval is covered (or no shift helps). Not subject
    /// to the time limit: a plan that covers what it can is the least a solve returns.
    pub fn repair(&mut self) {
        self.repair_range(0, self.inst.n);
    }

    /// [`Working::repair`] restricted to intervals `from..to`.
    fn repair_range(&mut self, from: usize, to: usize) {
        if self.inst.supply_limits.is_empty() {
            self.repair_in_order(from, to);
        } else {
            self.repair_worst_first(from, to);
        }
    }

    /// Under the workforce's supply an agent added early in the week is one fewer for later:
    /// the interval short by the largest share of its requirement is served first, so a
    /// shortfall the supply forces is spread over the week (no day left to whatever the days
    /// before it left over).
    fn repair_worst_first(&mut self, from: usize, to: usize) {
        let to = to.min(self.inst.n);
        let mut hopeless = vec![false; self.inst.n];
        loop {
            let mut worst: Option<(usize, f64)> = None;
            for (i, &given_up) in hopeless.iter().enumerate().take(to).skip(from) {
                if given_up {
                    continue;
                }
                let short = self.coverable_shortfall(i);
                if short <= EPS {
                    continue;
                }
                let required: f64 = self.required[i].iter().sum();
                let share = short / required.max(1.0);
                if worst.is_none_or(|(_, s)| share > s + EPS) {
                    worst = Some((i, share));
                }
            }
            let Some((i, _)) = worst else {
                break;
            };
            match self.best_addition(i) {
                Some(c) => {
                    self.add(c);
                }
                None => hopeless[i] = true,
            }
        }
    }

    /// The shift on duty in interval `i` whose addition lowers the shortfall most per unit of
    /// cost (ties: the first), if any lowers it.
    fn best_addition(&mut self, i: usize) -> Option<usize> {
        let mut best: Option<(usize, f64)> = None;
        let options = self.on_shift_at[i].clone();
        for c in options {
            if !self.may_add(c) {
                continue;
            }
            let delta = self.add(c);
            self.undo_add();
            let gain = -delta / self.inst.cost[c].max(EPS);
            if -delta > EPS && best.is_none_or(|(_, g)| gain > g + EPS) {
                best = Some((c, gain));
            }
        }
        best.map(|(c, _)| c)
    }

    /// Repairs intervals in time order.
    fn repair_in_order(&mut self, from: usize, to: usize) {
        let mut hopeless = vec![false; self.inst.n];
        let mut i = from;
        while i < to.min(self.inst.n) {
            if hopeless[i] || self.coverable_shortfall(i) <= EPS {
                i += 1;
                continue;
            }
            match self.best_addition(i) {
                Some(c) => {
                    self.add(c);
                }
                None => {
                    hopeless[i] = true;
                    i += 1;
                }
            }
        }
    }

    /// Removes agents whose absence does not increase the shortfall; most expensive and latest
    /// first. Returns whether any was removed.
    pub fn prune(&mut self) -> bool {
        let mut order: Vec<usize> = (0..self.agents.len())
            .filter(|&k| self.agents[k].is_some())
            .collect();
        order.sort_by(|&a, &b| {
            let (ca, cb) = (
                self.agents[a].as_ref().map_or(0, |x| x.candidate),
                self.agents[b].as_ref().map_or(0, |x| x.candidate),
            );
            self.inst.cost[cb]
                .total_cmp(&self.inst.cost[ca])
                .then(
                    self.inst.candidates[cb]
                        .start_offset
                        .cmp(&self.inst.candidates[ca].start_offset),
                )
                .then(b.cmp(&a))
        });
        let mut removed = false;
        for k in order {
            let Some(agent) = self.agents[k].clone() else {
                continue;
            };
            if !self.may_remove(agent.candidate) {
                continue;
            }
            let g = self.inst.group_of(agent.candidate);
            let profile = self.profile(&agent);
            if self.delta(g, &profile, -1.0) <= EPS {
                self.remove(k);
                removed = true;
            }
        }
        removed
    }

    /// Moves breaks to where they leave the most surplus. Returns whether any moved.
    #[allow(clippy::needless_range_loop)] // breaks[b] is rewritten inside the loop
    pub fn rebreak(&mut self) -> bool {
        let mut moved = false;
        for k in 0..self.agents.len() {
            let Some(agent) = self.agents[k].clone() else {
                continue;
            };
            let c = agent.candidate;
            let g = self.inst.group_of(c);
            let template = self.inst.candidates[c].template;
            let mut breaks = agent.break_offsets.clone();
            for b in 0..breaks.len() {
                let f = self.family_of[template][b];
                let duration = self.inst.families[f].duration_minutes;
                let old = self.inst.break_shares(duration, breaks[b]);
                self.apply(g, &old, 1.0);
                let old_delta = self.delta(g, &old, -1.0);
                let old_surplus = self.room(g, &old);
                let (t, delta) = self.best_break(c, b);
                let new = self.inst.break_shares(duration, t);
                let new_surplus = self.room(g, &new);
                let improves = delta < old_delta - EPS
                    || (delta <= old_delta + EPS && new_surplus > old_surplus + EPS);
                if t != breaks[b] && improves {
                    self.apply(g, &new, -1.0);
                    breaks[b] = t;
                    moved = true;
                } else {
                    self.apply(g, &old, -1.0);
                }
            }
            if let Some(slot) = self.agents[k].as_mut() {
                slot.break_offsets = breaks;
            }
        }
        moved
    }

    /// Replaces agents by a cheaper shift of the same group lying inside theirs when coverage
    /// holds. Returns whether any was replaced.
    pub fn replace_cheaper(&mut self, cap: &Cap) -> bool {
        let mut replaced = false;
        let agents = self.agents.len();
        for k in 0..agents {
            if cap.stops("cheaper shifts", "agents", k as u64, agents as u64) {
                break;
            }
            let Some(agent) = self.agents[k].clone() else {
                continue;
            };
            let c = agent.candidate;
            if !self.may_remove(c) {
                continue;
            }
            let g = self.inst.group_of(c);
            let cost = self.inst.cost[c];
            let span: Vec<usize> = self.inst.presence[c].iter().map(|p| p.0).collect();
            let Some(&first) = span.first() else {
                continue;
            };
            let mut options: Vec<usize> = self.on_shift_at[first]
                .iter()
                .copied()
                .filter(|&o| {
                    o != c
                        && self.inst.group_of(o) == g
                        && self.inst.cost[o] < cost - EPS
                        && self.inst.presence[o].iter().all(|p| span.contains(&p.0))
                })
                .collect();
            // Also those starting later inside the span.
            for &i in span.iter().skip(1) {
                for &o in &self.on_shift_at[i] {
                    if o != c
                        && !options.contains(&o)
                        && self.inst.group_of(o) == g
                        && self.inst.cost[o] < cost - EPS
                        && self.inst.presence[o].iter().all(|p| span.contains(&p.0))
                    {
                        options.push(o);
                    }
                }
            }
            options.sort_by(|&a, &b| {
                self.inst.cost[a]
                    .total_cmp(&self.inst.cost[b])
                    .then(a.cmp(&b))
            });
            let profile = self.profile(&agent);
            let removal = self.delta(g, &profile, -1.0);
            self.remove(k);
            let mut done = false;
            for o in options {
                if !self.may_add(o) {
                    continue;
                }
                let delta = self.add(o);
                if removal + delta <= EPS {
                    done = true;
                    break;
                }
                self.undo_add();
            }
            if done {
                replaced = true;
            } else {
                // Put the agent back exactly as it was.
                self.apply(g, &profile, 1.0);
                let candidate = &self.inst.candidates[c];
                self.per_template_day[candidate.template][candidate.day] += 1;
                self.per_day[candidate.day] += 1;
                self.supply.count(self.inst, c, 1.0);
                self.agents[k] = Some(agent);
            }
        }
        replaced
    }
}

/// An integer schedule from LP values `x` (one per candidate), rounded with `rounding`, then
/// repaired and improved until nothing changes (at most [`IMPROVE_PASSES`] passes) or the
/// `cap` is reached.
pub fn round_and_repair(
    inst: &Instance<'_>,
    x: &[f64],
    rounding: Rounding,
    cap: &Cap,
) -> Vec<AgentShift> {
    let mut working = Working::new(inst);
    for (c, &value) in x.iter().enumerate() {
        let count = match rounding {
            Rounding::Up => (value - 1e-6).ceil(),
            Rounding::Down => (value + 1e-6).floor(),
        }
        .max(0.0) as usize;
        for _ in 0..count {
            if working.may_add(c) {
                working.add(c);
            }
        }
    }
    improve(&mut working, cap);
    working.into_agents()
}

/// Passes of prune / move breaks / replace at most in [`improve`].
pub const IMPROVE_PASSES: usize = 20;

/// Repair, then prune / move breaks / replace until no change, at most [`IMPROVE_PASSES`]
/// passes.
pub fn improve(working: &mut Working<'_>, cap: &Cap) {
    working.repair();
    let passes = IMPROVE_PASSES as u64;
    for pass in 0..IMPROVE_PASSES {
        let mut changed = working.prune();
        if cap.stops("improvement", "passes", pass as u64, passes) {
            break;
        }
        changed |= working.rebreak();
        changed |= working.prune();
        if cap.stops("improvement", "passes", pass as u64, passes) {
            break;
        }
        changed |= working.replace_cheaper(cap);
        if !changed {
            break;
        }
    }
}

/// `agents` with shifts added until every coverable interval is covered (no improvement).
pub fn repaired(inst: &Instance<'_>, agents: &[AgentShift]) -> Vec<AgentShift> {
    let mut working = Working::new(inst);
    for agent in agents {
        working.insert(agent.clone());
    }
    working.repair();
    working.into_agents()
}

/// Improves a given integer schedule (e.g. the MIP's) with the same moves.
pub fn polish(inst: &Instance<'_>, agents: &[AgentShift], cap: &Cap) -> Vec<AgentShift> {
    let mut working = Working::new(inst);
    for agent in agents {
        working.insert(agent.clone());
    }
    improve(&mut working, cap);
    working.into_agents()
}

/// Small deterministic random numbers (xorshift64*), so that searches repeat exactly.
pub(crate) struct Random(pub(crate) u64);

impl Random {
    pub(crate) fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub(crate) fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }

    /// Uniform in [0, 1).
    pub(crate) fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

impl Working<'_> {
    /// Cost plus the penalty of coverable shortfall.
    fn objective(&mut self) -> f64 {
        let cost: f64 = self
            .agents
            .iter()
            .flatten()
            .map(|a| self.inst.cost[a.candidate])
            .sum();
        let under: f64 = (0..self.inst.n).map(|i| self.coverable_shortfall(i)).sum();
        cost + self.inst.penalty * under
    }
}

/// Ruin and recreate: `rounds` times, remove the agents on shift in a random stretch of time
/// and cover it again greedily, keeping the result when it is no worse. Deterministic for a
/// given `seed` unless the `cap` cuts it short.
pub fn ruin_and_recreate(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    rounds: usize,
    seed: u64,
    target: f64,
    cap: &Cap,
) -> Vec<AgentShift> {
    let mut working = Working::new(inst);
    for agent in agents {
        working.insert(agent.clone());
    }
    let mut random = Random(seed | 1);
    let mut current = working.objective();
    let n = inst.n;
    let longest = inst.presence.iter().map(Vec::len).max().unwrap_or(1);
    let mut best_value = current;
    let mut best_agents = working.agents.clone();
    for round in 0..rounds {
        if best_value <= target
            || cap.stops("ruin and recreate", "rounds", round as u64, rounds as u64)
        {
            break;
        }
        let width = 4 + random.below(24);
        let from = random.below(n);
        let to = from + width;
        let saved_agents = working.agents.clone();
        let saved_present = working.present.clone();
        let saved_template = working.per_template_day.clone();
        let saved_day = working.per_day.clone();
        let saved_supply = working.supply.clone();
        // Remove (about two thirds of) the agents on shift in the stretch.
        for k in 0..working.agents.len() {
            let Some(agent) = &working.agents[k] else {
                continue;
            };
            let touches = inst.presence[agent.candidate]
                .iter()
                .any(|&(i, _)| (from..to).contains(&i) || (from..to).contains(&(i + n)));
            if touches && random.below(3) != 0 && working.may_remove(agent.candidate) {
                working.remove(k);
            }
        }
        let lo = from.saturating_sub(longest);
        let hi = (to + longest).min(n);
        working.repair_range(lo, hi);
        if to > n {
            working.repair_range(0, (to - n + longest).min(n));
        }
        working.prune();
        let candidate = working.objective();
        if candidate <= current + 1e-9 {
            current = candidate;
            working.agents.retain(Option::is_some);
            if current < best_value - 1e-9 {
                best_value = current;
                best_agents = working.agents.clone();
            }
        } else {
            working.agents = saved_agents;
            working.present = saved_present;
            working.per_template_day = saved_template;
            working.per_day = saved_day;
            working.supply = saved_supply;
        }
    }
    let mut working = Working::new(inst);
    for agent in best_agents.into_iter().flatten() {
        working.insert(agent);
    }
    working.rebreak();
    working.prune();
    working.into_agents()
}

/// Groups and queues of one component of the skill-group / queue graph.
pub(crate) type Component = (Vec<usize>, Vec<usize>);

/// Connected components of the skill-group / queue graph: (component of each group,
/// per component its groups and queues).
pub(crate) fn components(group_queues: &[Vec<usize>]) -> (Vec<usize>, Vec<Component>) {
    let groups = group_queues.len();
    let mut component_of = vec![usize::MAX; groups];
    let mut components: Vec<Component> = Vec::new();
    for start in 0..groups {
        if component_of[start] != usize::MAX {
            continue;
        }
        let id = components.len();
        let mut members = vec![start];
        let mut queues: Vec<usize> = Vec::new();
        component_of[start] = id;
        let mut k = 0;
        while k < members.len() {
            let g = members[k];
            k += 1;
            for &q in &group_queues[g] {
                if !queues.contains(&q) {
                    queues.push(q);
                }
            }
            for (h, qs) in group_queues.iter().enumerate() {
                if component_of[h] == usize::MAX && qs.iter().any(|q| queues.contains(q)) {
                    component_of[h] = id;
                    members.push(h);
                }
            }
        }
        components.push((members, queues));
    }
    (component_of, components)
}
