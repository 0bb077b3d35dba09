//! Cost terms managers price beside the shifts: understaffing and shift starts.
//!
//! - **Understaffing** (`understaffing_cost` of a `[[queue]]`, money per agent-hour): coverage of
//!   that queue becomes soft. The plan covers an agent-hour of the requirement only when that
//!   costs less than leaving it uncovered. Queues without it keep hard coverage.
//! - **Shift starts** (`cost_per_shift_start` of a `[[shift]]`): a price for each distinct
//!   local start time (clock time, on any day of the plan) the plan uses of the template. It is
//!   the "number of shifts" term of the shift-design problem (Musliu, Schaerf & Slany), and it
//!   keeps schedules simple: fewer start times, the same ones every day.
//!
//! The plan minimises the **total cost**: shift cost plus understaffing cost plus start cost.
//!
//! 1. **LP relaxation.** The interval model with each queue's understaffing slack priced at its
//!    own cost. Start costs being non-negative, its optimum bounds the total. With start costs,
//!    a second LP adds per start time `s[k] ∈ [0, 1]`, priced, with `x[c] ≤ U[c]·s[k]` for the
//!    candidates `c` starting at `k`. `U[c] = ⌊T / cost[c]⌋`, `T` the total of the plan found:
//!    no plan cheaper than `T` has more agents on `c`, so this LP bounds every plan that could
//!    improve on it. The report keeps the larger bound.
//! 2. **Integer plan.** The requirement less the LP's understaffing (rounded to whole agents)
//!    goes through the interval scheduler.
//! 3. **Descent on the total** (a budget of evaluated moves): drop agents whose cost exceeds
//!    the understaffing they prevent; add the shifts that cost less than the understaffing they
//!    remove; close start times (take their agents out, re-cover from the start times still in
//!    use, trim) while the total falls. Every limit holds throughout: template and daily
//!    headcount limits, the workforce's supply.

use super::allocate;
use super::budget::Cap;
use super::instance::{Instance, SupplyUse};
use super::{AgentShift, CandidateShift, Schedule, ScheduleInput, ScheduleOptions};
use crate::error::Result;
use crate::scenario::ShiftRules;
use serde::{Deserialize, Serialize};

const EPS: f64 = 1e-7;

/// Moves the descent may evaluate (a budget of work, the same on every machine): one per
/// shift added, dropped or tried.
pub const DESCENT_MOVES: u64 = 2_000_000;

/// The cost terms of a plan, as `summary.json` reports them.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct CostTerms {
    /// Agent-hours left below the requirement on queues with an understaffing cost.
    pub understaffed_agent_hours: f64,
    /// Their cost: agent-hours × each queue's understaffing cost.
    pub understaffing_cost: f64,
    /// Distinct start times the plan uses of templates with a start cost.
    pub shift_starts: usize,
    /// Their cost: each start time × its template's `cost_per_shift_start`.
    pub shift_start_cost: f64,
    /// Shift cost + understaffing cost + start cost: what the plan minimises.
    pub total_cost: f64,
}

impl CostTerms {
    /// The total in words, for the console and the report: `shifts 24840 + understaffing
    /// 1830 (61 agent-hours short) + shift starts 0 (0 start times)`.
    pub fn describe(&self) -> String {
        use crate::units::format_number;
        let shifts = self.total_cost - self.understaffing_cost - self.shift_start_cost;
        format!(
            "shifts {} + understaffing {} ({} agent-hours short) + shift starts {} ({} start \
             times)",
            format_number(shifts, 2),
            format_number(self.understaffing_cost, 2),
            format_number(self.understaffed_agent_hours, 1),
            format_number(self.shift_start_cost, 2),
            self.shift_starts
        )
    }
}

/// A start time of a template: `(template, minutes after local midnight, modulo a day)`.
type StartTime = (usize, u32);

/// The start time of candidate `c`.
fn start_time(c: &CandidateShift) -> StartTime {
    (c.template, c.local_minute % 1440)
}

/// The price of start time `time` under `rules` (0: not priced).
fn start_price(rules: &ShiftRules, time: StartTime) -> f64 {
    rules.templates[time.0].cost_per_shift_start
}

/// Per candidate its start time's index, and the start times in order.
fn start_times(inst: &Instance<'_>) -> (Vec<usize>, Vec<StartTime>) {
    let mut times: std::collections::BTreeMap<StartTime, usize> = Default::default();
    for c in &inst.candidates {
        times.entry(start_time(c)).or_insert(0);
    }
    for (k, value) in times.values_mut().enumerate() {
        *value = k;
    }
    let key_of = inst
        .candidates
        .iter()
        .map(|c| times[&start_time(c)])
        .collect();
    (key_of, times.into_keys().collect())
}

/// The cost terms of `agents` on `inst` (its input's requirement and prices), `coverage`
/// their coverage ([`super::evaluate`]).
pub(crate) fn cost_terms_of(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    coverage: &super::Coverage,
) -> CostTerms {
    let input = inst.input;
    let hours = input.interval_hours();
    let mut understaffed = 0.0;
    let mut understaffing_cost = 0.0;
    for (q, row) in coverage.shortfall.iter().enumerate() {
        if let Some(price) = input.understaffing_cost.get(q).copied().flatten() {
            let short: f64 = row.iter().sum::<f64>() * hours;
            understaffed += short;
            understaffing_cost += short * price;
        }
    }
    let (key_of, times) = start_times(inst);
    let mut used = vec![false; times.len()];
    for agent in agents {
        used[key_of[agent.candidate]] = true;
    }
    let rules = input.rules;
    let priced = |k: usize| start_price(rules, times[k]);
    let shift_starts = (0..times.len())
        .filter(|&k| used[k] && priced(k) > 0.0)
        .count();
    let shift_start_cost: f64 = (0..times.len())
        .filter(|&k| used[k])
        .map(priced)
        .fold(0.0, |a, b| a + b);
    let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
    CostTerms {
        understaffed_agent_hours: understaffed,
        understaffing_cost,
        shift_starts,
        shift_start_cost,
        total_cost: cost + understaffing_cost + shift_start_cost,
    }
}

/// The state the descent changes (cloned to try a start-time closure).
#[derive(Clone)]
struct State {
    agents: Vec<AgentShift>,
    /// `present[g][i]`.
    present: Vec<Vec<f64>>,
    /// Priced shortfall per interval.
    loss: Vec<f64>,
    per_template_day: Vec<Vec<u32>>,
    per_day: Vec<u32>,
    supply: SupplyUse,
    /// Agents per start time.
    on_start: Vec<u32>,
}

/// A plan under descent on its total cost ([module documentation](self)).
struct CostedPlan<'i> {
    inst: &'i Instance<'i>,
    family_of: Vec<Vec<usize>>,
    /// `required[i][q]`.
    required: Vec<Vec<f64>>,
    /// `price[i][q]`: the objective's price of a missing agent-interval (0 where nothing can
    /// cover it: that part is the same for every plan).
    price: Vec<Vec<f64>>,
    key_of: Vec<usize>,
    /// Price of each start time.
    start_price: Vec<f64>,
    /// Candidates on shift in each interval.
    on_shift_at: Vec<Vec<usize>>,
    state: State,
    moves_left: u64,
    scratch: Vec<f64>,
}

impl<'i> CostedPlan<'i> {
    fn new(inst: &'i Instance<'i>, agents: &[AgentShift], moves: u64) -> Self {
        let input = inst.input;
        let queues = input.queues.len();
        let required: Vec<Vec<f64>> = (0..inst.n)
            .map(|i| {
                (0..queues)
                    .map(|q| f64::from(input.required[q][i]))
                    .collect()
            })
            .collect();
        let price: Vec<Vec<f64>> = (0..inst.n)
            .map(|i| {
                (0..queues)
                    .map(|q| {
                        if inst.coverable[q][i] {
                            inst.under_penalty[q]
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let (key_of, times) = start_times(inst);
        let start_price = if input.shift_start_costs {
            times
                .iter()
                .map(|&time| start_price(input.rules, time))
                .collect()
        } else {
            vec![0.0; times.len()]
        };
        let on_shift_at = inst.on_shift_at();
        let groups = inst.group_queues.len();
        let days = input.horizon.days() as usize;
        let mut plan = CostedPlan {
            inst,
            family_of: inst.families_of_templates(),
            required,
            price,
            key_of,
            start_price,
            on_shift_at,
            state: State {
                agents: Vec::with_capacity(agents.len()),
                present: vec![vec![0.0; inst.n]; groups],
                loss: vec![0.0; inst.n],
                per_template_day: vec![vec![0; days]; input.rules.templates.len()],
                per_day: vec![0; days],
                supply: SupplyUse::new(inst),
                on_start: vec![0; times.len()],
            },
            moves_left: moves,
            scratch: vec![0.0; groups],
        };
        for i in 0..inst.n {
            plan.state.loss[i] = plan.loss_with(i, 0, 0.0);
        }
        for agent in agents {
            plan.insert(agent.clone());
        }
        plan
    }

    /// Priced shortfall of interval `i` with `extra` added to group `g`'s presence.
    fn loss_with(&mut self, i: usize, g: usize, extra: f64) -> f64 {
        for (h, value) in self.scratch.iter_mut().enumerate() {
            *value = self.state.present[h][i];
        }
        self.scratch[g] += extra;
        let allocation =
            allocate::allocate(&self.inst.group_queues, &self.scratch, &self.required[i]);
        self.required[i]
            .iter()
            .zip(&allocation.covered)
            .zip(&self.price[i])
            .map(|((r, c), p)| p * (r - c).max(0.0))
            .sum()
    }

    /// Change of priced shortfall when `profile` is added to group `g` with `sign`.
    fn loss_delta(&mut self, g: usize, profile: &[(usize, f64)], sign: f64) -> f64 {
        let mut total = 0.0;
        for &(i, share) in profile {
            total += self.loss_with(i, g, sign * share) - self.state.loss[i];
        }
        total
    }

    fn apply(&mut self, g: usize, profile: &[(usize, f64)], sign: f64) {
        for &(i, share) in profile {
            self.state.present[g][i] += sign * share;
            self.state.loss[i] = self.loss_with(i, g, 0.0);
        }
    }

    fn count(&mut self, c: usize, sign: i32) {
        let candidate = &self.inst.candidates[c];
        let (t, d) = (candidate.template, candidate.day);
        let k = self.key_of[c];
        let state = &mut self.state;
        state.per_template_day[t][d] = state.per_template_day[t][d].saturating_add_signed(sign);
        state.per_day[d] = state.per_day[d].saturating_add_signed(sign);
        state.on_start[k] = state.on_start[k].saturating_add_signed(sign);
        state.supply.count(self.inst, c, f64::from(sign));
    }

    fn insert(&mut self, agent: AgentShift) {
        let g = self.inst.group_of(agent.candidate);
        let profile = self.inst.net_presence(&self.family_of, &agent);
        self.apply(g, &profile, 1.0);
        self.count(agent.candidate, 1);
        self.state.agents.push(agent);
    }

    fn remove(&mut self, index: usize) -> AgentShift {
        let agent = self.state.agents.remove(index);
        let g = self.inst.group_of(agent.candidate);
        let profile = self.inst.net_presence(&self.family_of, &agent);
        self.apply(g, &profile, -1.0);
        self.count(agent.candidate, -1);
        agent
    }

    /// Change of the total when the agent at `index` leaves.
    fn removal_delta(&mut self, index: usize) -> f64 {
        let agent = &self.state.agents[index];
        let c = agent.candidate;
        let g = self.inst.group_of(c);
        let profile = self.inst.net_presence(&self.family_of, agent);
        let start = if self.state.on_start[self.key_of[c]] == 1 {
            self.start_price[self.key_of[c]]
        } else {
            0.0
        };
        self.loss_delta(g, &profile, -1.0) - self.inst.cost[c] - start
    }

    /// One agent on candidate `c` with each break where it leaves the least priced shortfall
    /// (then the earliest), and the change of the total it makes; nothing is changed.
    fn trial(&mut self, c: usize) -> (f64, AgentShift) {
        let g = self.inst.group_of(c);
        let shares = self.inst.presence[c].clone();
        let mut delta = self.loss_delta(g, &shares, 1.0);
        self.apply(g, &shares, 1.0);
        let template = self.inst.candidates[c].template;
        let start = self.inst.candidates[c].start_offset;
        let mut placed = Vec::new();
        let mut breaks = Vec::with_capacity(self.family_of[template].len());
        for &f in &self.family_of[template].clone() {
            let family = &self.inst.families[f];
            let (duration, earliest, latest) =
                (family.duration_minutes, family.earliest, family.latest);
            let mut best: Option<(usize, f64)> = None;
            for t in start + earliest..=start + latest {
                let shares = self.inst.break_shares(duration, t);
                let d = self.loss_delta(g, &shares, -1.0);
                if best.is_none_or(|(_, b)| d < b - EPS) {
                    best = Some((t, d));
                }
            }
            let (t, d) = best.unwrap_or((start + earliest, 0.0));
            let shares = self.inst.break_shares(duration, t);
            self.apply(g, &shares, -1.0);
            placed.push(shares);
            delta += d;
            breaks.push(t);
        }
        for shares in placed.iter().rev() {
            self.apply(g, shares, 1.0);
        }
        self.apply(g, &shares, -1.0);
        let k = self.key_of[c];
        let opening = if self.state.on_start[k] == 0 {
            self.start_price[k]
        } else {
            0.0
        };
        let agent = AgentShift {
            candidate: c,
            break_offsets: breaks,
        };
        (delta + self.inst.cost[c] + opening, agent)
    }

    fn may_add(&self, c: usize) -> bool {
        self.inst.may_add(
            c,
            &self.state.per_template_day,
            &self.state.per_day,
            &self.state.supply,
        )
    }

    fn may_remove(&self, c: usize) -> bool {
        self.inst.may_remove(c, &self.state.per_template_day)
    }

    /// Removes every agent whose leaving lowers the total, most expensive first.
    fn drop_agents(&mut self) -> bool {
        let mut changed = false;
        // Each agent is looked up again when its turn comes: removals shift the indices.
        let mut targets = self.state.agents.clone();
        let cost = &self.inst.cost;
        targets.sort_by(|a, b| {
            cost[b.candidate]
                .total_cmp(&cost[a.candidate])
                .then(b.cmp(a))
        });
        for agent in targets {
            if self.moves_left == 0 {
                break;
            }
            self.moves_left -= 1;
            let Some(index) = self.state.agents.iter().position(|a| *a == agent) else {
                continue;
            };
            if !self.may_remove(agent.candidate) {
                continue;
            }
            if self.removal_delta(index) < -EPS {
                self.remove(index);
                changed = true;
            }
        }
        changed
    }

    /// Adds the shift that lowers the total most while one does; with `open_only`, only on
    /// start times already in use. Candidates on duty in an interval with priced shortfall
    /// are tried, lazily: each keeps the change it made when last evaluated (an addition only
    /// lowers what others can remove), and the best is evaluated again before it is added.
    fn add_agents(&mut self, open_only: bool) -> bool {
        use std::cmp::Reverse;
        use std::collections::BinaryHeap;
        /// A change of the total as an ordered key (most negative first out of a max-heap).
        fn key(delta: f64) -> Reverse<i64> {
            Reverse((delta * 1e6).round() as i64)
        }
        let eligible = |plan: &Self, c: usize| {
            !(open_only && plan.state.on_start[plan.key_of[c]] == 0) && plan.may_add(c)
        };
        let mut tried = vec![false; self.inst.candidates.len()];
        let mut heap: BinaryHeap<(Reverse<i64>, Reverse<usize>)> = BinaryHeap::new();
        for i in 0..self.inst.n {
            if self.state.loss[i] <= EPS {
                continue;
            }
            for k in 0..self.on_shift_at[i].len() {
                let c = self.on_shift_at[i][k];
                if tried[c] || self.moves_left == 0 {
                    continue;
                }
                tried[c] = true;
                if !eligible(self, c) {
                    continue;
                }
                self.moves_left -= 1;
                let (delta, _) = self.trial(c);
                if delta < -EPS {
                    heap.push((key(delta), Reverse(c)));
                }
            }
        }
        let mut changed = false;
        while let Some((_, Reverse(c))) = heap.pop() {
            if self.moves_left == 0 {
                break;
            }
            if !eligible(self, c) {
                continue;
            }
            self.moves_left -= 1;
            let (delta, agent) = self.trial(c);
            if delta >= -EPS {
                continue;
            }
            let best = heap.peek().is_none_or(|&(next, _)| key(delta) >= next);
            heap.push((key(delta), Reverse(c)));
            if best {
                self.insert(agent);
                changed = true;
            }
        }
        changed
    }

    fn total(&self) -> f64 {
        let cost: f64 = self
            .state
            .agents
            .iter()
            .map(|a| self.inst.cost[a.candidate])
            .sum();
        let loss: f64 = self.state.loss.iter().sum();
        let starts: f64 = self
            .state
            .on_start
            .iter()
            .zip(&self.start_price)
            .filter(|(n, _)| **n > 0)
            .map(|(_, p)| p)
            .sum();
        cost + loss + starts
    }

    /// Closes each priced start time in use, fewest agents first, when re-covering from the
    /// start times still in use (then trimming) lowers the total.
    fn close_starts(&mut self) -> bool {
        let mut changed = false;
        let mut open: Vec<usize> = (0..self.start_price.len())
            .filter(|&k| self.state.on_start[k] > 0 && self.start_price[k] > 0.0)
            .collect();
        open.sort_by_key(|&k| (self.state.on_start[k], k));
        for k in open {
            if self.moves_left == 0 || self.state.on_start[k] == 0 {
                continue;
            }
            let before = self.total();
            let saved = self.state.clone();
            let mut closable = true;
            while let Some(index) = self
                .state
                .agents
                .iter()
                .position(|a| self.key_of[a.candidate] == k)
            {
                if !self.may_remove(self.state.agents[index].candidate) {
                    closable = false;
                    break;
                }
                self.remove(index);
            }
            if closable {
                self.add_agents(true);
                self.drop_agents();
            }
            if closable && self.total() < before - EPS {
                changed = true;
            } else {
                self.state = saved;
            }
        }
        changed
    }

    /// Drops, adds and closes start times while the total falls (within the budget, and the
    /// wall-clock cap when there is one: checked between passes).
    fn descend(&mut self, cap: &Cap) {
        loop {
            let done = DESCENT_MOVES.saturating_sub(self.moves_left);
            if cap.stops("cost-term descent", "moves", done, DESCENT_MOVES) {
                break;
            }
            let mut changed = self.drop_agents();
            changed |= self.add_agents(false);
            if self.start_price.iter().any(|&p| p > 0.0) {
                changed |= self.close_starts();
            }
            if !changed || self.moves_left == 0 {
                break;
            }
        }
    }

    fn into_agents(self) -> Vec<AgentShift> {
        let mut agents = self.state.agents;
        agents.sort();
        agents
    }
}

/// Per `(queue, interval)` with a hard requirement, the start times of the shifts on duty
/// then (a shift of one of them must be planned); one entry per distinct set of start times.
fn start_needs(inst: &Instance<'_>, key_of: &[usize]) -> Vec<((usize, usize), Vec<usize>)> {
    let input = inst.input;
    let on_duty = inst.on_shift_at();
    let mut seen = std::collections::BTreeSet::new();
    let mut needs = Vec::new();
    for q in 0..input.queues.len() {
        if input.understaffing_cost[q].is_some() {
            continue;
        }
        for (i, duty) in on_duty.iter().enumerate() {
            if input.required[q][i] == 0 || !inst.coverable[q][i] {
                continue;
            }
            let mut keys: Vec<usize> = duty
                .iter()
                .filter(|&&c| inst.group_queues[inst.group_of(c)].contains(&q))
                .map(|&c| key_of[c])
                .collect();
            keys.sort_unstable();
            keys.dedup();
            if seen.insert(keys.clone()) {
                needs.push(((q, i), keys));
            }
        }
    }
    needs
}

/// An LP relaxation's bound and where its solution leaves requirement uncovered.
struct Relaxation {
    bound: f64,
    /// `(queue, interval, agents short)`.
    understaffing: Vec<(usize, usize, f64)>,
}

/// The LP relaxation of `inst` with understaffing priced per queue, and with `starts`
/// (`(key_of, price, most)`, see [`super::ShiftModel::start_terms`]) the start terms.
fn relaxation(
    inst: &Instance<'_>,
    starts: Option<(&[usize], &[f64], &[f64])>,
) -> std::result::Result<Relaxation, String> {
    use good_lp::Solution;
    super::guard::guarded("cost-term LP", || {
        let mut model = super::model::ShiftModel::build(inst, false);
        if let Some((key_of, price, most)) = starts {
            model.start_terms(key_of, price, most, &start_needs(inst, key_of));
        }
        let under = model.under_vars.clone();
        let (bound, solution) = model.solve_relaxation("cost-term LP")?;
        Ok(Relaxation {
            bound,
            understaffing: under
                .iter()
                .map(|&(q, i, u)| (q, i, solution.value(u)))
                .collect(),
        })
    })
}

/// Re-plans the interval scheduler may make with start times closed or opened (a budget of
/// work in candidate-intervals: the budget over candidates × intervals whole schedules, from 1
/// to 64).
pub const REPLAN_WORK: usize = 3_000_000;

/// `options` with what is left of the cap as the time limit of a solve inside this one.
fn within(options: &ScheduleOptions, cap: &Cap) -> ScheduleOptions {
    ScheduleOptions {
        time_limit: cap.seconds_left().map(std::time::Duration::from_secs_f64),
        ..options.clone()
    }
}

/// The total cost of `agents`, with the penalty of any hard requirement left uncovered.
fn total_of(inst: &Instance<'_>, agents: &[AgentShift]) -> f64 {
    let coverage = super::evaluate(inst.input, &inst.candidates, agents);
    cost_terms_of(inst, agents, &coverage).total_cost
        + inst.penalty * super::solve::hard_understaffing(inst, &coverage)
}

/// `plan`'s agents on `inst` after the descent on the total.
fn descended(inst: &Instance<'_>, plan: &Schedule, cap: &Cap) -> Vec<AgentShift> {
    let mapped: Vec<AgentShift> = inst
        .remap(&plan.candidates, &plan.agents)
        .into_iter()
        .flatten()
        .collect();
    let mut costed = CostedPlan::new(inst, &mapped, DESCENT_MOVES);
    costed.descend(cap);
    costed.into_agents()
}

/// Closes priced start times one at a time, fewest agents first, then opens one not in use:
/// the interval scheduler re-plans `plain` on the start times in use less the one closed or
/// plus the one opened (templates without a start cost keep all of theirs), the descent
/// follows (which may close more), and the plan is kept when its total is lower. Passes
/// repeat while one improves, within [`REPLAN_WORK`].
fn close_start_times(
    inst: &Instance<'_>,
    plain: &ScheduleInput<'_>,
    options: &ScheduleOptions,
    cap: &Cap,
    mut best: Vec<AgentShift>,
) -> Result<Vec<AgentShift>> {
    let rules = plain.rules;
    let all = super::candidate_shifts(rules, plain.horizon);
    let budget = (REPLAN_WORK / (inst.candidates.len() * inst.n).max(1)).clamp(1, 64);
    let mut replans = budget;
    let total_of = |agents: &[AgentShift]| total_of(inst, agents);
    let mut best_total = total_of(&best);
    // The re-plans take the LP's rounding and repair (the descent follows each): on `large`
    // the full method took longer and ended higher. No progress display of their own.
    let quick = ScheduleOptions {
        progress: None,
        method: super::Method::Rounding,
        ..within(options, cap)
    };
    // Every priced start time of the rules.
    let mut priced: Vec<StartTime> = all
        .iter()
        .map(start_time)
        .filter(|&time| start_price(rules, time) > 0.0)
        .collect();
    priced.sort_unstable();
    priced.dedup();
    'passes: while replans > 0 {
        let mut used: std::collections::BTreeMap<StartTime, usize> = Default::default();
        for agent in &best {
            let time = start_time(&inst.candidates[agent.candidate]);
            if start_price(rules, time) > 0.0 {
                *used.entry(time).or_default() += 1;
            }
        }
        // Close one start time in use (fewest agents first), then open one not in use.
        let mut order: Vec<(usize, StartTime)> = used.iter().map(|(&k, &n)| (n, k)).collect();
        order.sort();
        let closings = order.into_iter().map(|(_, k)| (Some(k), None));
        let openings = priced
            .iter()
            .filter(|k| !used.contains_key(k))
            .map(|&k| (None, Some(k)));
        for (closed, opened) in closings.chain(openings).collect::<Vec<_>>() {
            if replans == 0
                || cap.stops(
                    "start-time re-plans",
                    "solves",
                    (budget - replans) as u64,
                    budget as u64,
                )
            {
                break 'passes;
            }
            replans -= 1;
            let workable: Vec<bool> = all
                .iter()
                .enumerate()
                .map(|(k, c)| {
                    let time = start_time(c);
                    plain
                        .supply
                        .is_none_or(|s| s.workable.get(k).copied().unwrap_or(false))
                        && Some(time) != closed
                        && (start_price(rules, time) <= 0.0
                            || Some(time) == opened
                            || used.contains_key(&time))
                })
                .collect();
            let supply = crate::domain::supply::Supply {
                workable,
                limits: plain.supply.map(|s| s.limits.clone()).unwrap_or_default(),
            };
            let restricted = ScheduleInput {
                supply: Some(&supply),
                ..plain.clone()
            };
            let Ok(plan) = super::schedule(&restricted, &quick) else {
                continue;
            };
            let agents = descended(inst, &plan, cap);
            let total = total_of(&agents);
            if total < best_total - EPS {
                best = agents;
                best_total = total;
                continue 'passes;
            }
        }
        break;
    }
    Ok(best)
}

/// Schedules `input` for the least total cost ([module documentation](self)).
pub(crate) fn schedule_with_cost_terms(
    input: &ScheduleInput<'_>,
    options: &ScheduleOptions,
) -> Result<Schedule> {
    let started = std::time::Instant::now();
    // One cap for the whole solve: the solves inside it get what is left of it.
    let cap = Cap::new(options.time_limit);
    let inst = Instance::new(input);
    let mut messages = Vec::new();
    // 1. The LP with understaffing priced per queue: the bound, and where it leaves shortfall.
    let mut chosen = input.required.clone();
    let mut bound = match relaxation(&inst, None) {
        Ok(Relaxation {
            bound,
            understaffing,
        }) => {
            for (q, i, u) in understaffing {
                if input.understaffing_cost[q].is_some() {
                    let drop = (u + 0.5 - 1e-6).floor().max(0.0) as u32;
                    chosen[q][i] = chosen[q][i].saturating_sub(drop);
                }
            }
            Some(bound)
        }
        Err(message) => {
            messages.push(format!(
                "cost-term LP: {message}; the plan starts from the whole requirement and has \
                 no lower bound"
            ));
            None
        }
    };
    let lp_seconds = started.elapsed().as_secs_f64();
    // 2. The interval scheduler on what the LP covers.
    let plain = ScheduleInput {
        required: chosen,
        understaffing_cost: vec![None; input.queues.len()],
        shift_start_costs: false,
        ..input.clone()
    };
    let plan = super::schedule(&plain, &within(options, &cap))?;
    let descent_started = std::time::Instant::now();
    // 3. The descent on the total, on the whole instance (its candidates are every useful
    // shift; the plan's agents are matched by template and start).
    let mut budget_left = plan.report.budget_left.clone();
    let mut agents = descended(&inst, &plan, &cap);
    if plain.required != input.required {
        // The plan covering the whole requirement is one of the plans priced, and the LP's
        // split of what to leave short may round badly: both are descended, the lower total
        // kept (the first on a tie).
        let whole = ScheduleInput {
            required: input.required.clone(),
            ..plain.clone()
        };
        let covering_plan = super::schedule(&whole, &within(options, &cap))?;
        budget_left.extend(covering_plan.report.budget_left.iter().cloned());
        let covering = descended(&inst, &covering_plan, &cap);
        if total_of(&inst, &covering) < total_of(&inst, &agents) - EPS {
            agents = covering;
        }
    }
    // The rounding method (re-plans for the roster, the anonymous bound) takes the descent
    // only.
    if input.shift_start_costs && options.method != super::Method::Rounding {
        agents = close_start_times(&inst, &plain, options, &cap, agents)?;
    }
    let coverage = super::evaluate(input, &inst.candidates, &agents);
    let terms = cost_terms_of(&inst, &agents, &coverage);
    let hard_under = super::solve::hard_understaffing(&inst, &coverage);
    let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
    if input.shift_start_costs {
        // The start terms' LP: no plan with a total below this one has more agents on a
        // candidate than this total buys of it.
        let (key_of, times) = start_times(&inst);
        let price: Vec<f64> = times
            .iter()
            .map(|&time| start_price(input.rules, time))
            .collect();
        let total = terms.total_cost + inst.penalty * hard_under;
        let most: Vec<f64> = inst
            .cost
            .iter()
            .map(|&c| {
                if c > 0.0 {
                    (total / c + 1e-9).floor()
                } else {
                    f64::INFINITY
                }
            })
            .collect();
        match relaxation(&inst, Some((&key_of, &price, &most))) {
            Ok(Relaxation { bound: b, .. }) => bound = Some(bound.map_or(b, |a: f64| a.max(b))),
            Err(message) => messages.push(format!("cost-term LP with start times: {message}")),
        }
    }
    // Priced requirement no shift can cover costs every plan the same; the LP leaves it out.
    let uncoverable: f64 = (0..input.queues.len())
        .filter(|&q| input.understaffing_cost[q].is_some())
        .map(|q| {
            (0..inst.n)
                .filter(|&i| !inst.coverable[q][i])
                .map(|i| f64::from(input.required[q][i]) * inst.under_penalty[q])
                .sum::<f64>()
        })
        .sum();
    let lower_bound_cost =
        bound.map(|b| (b + uncoverable - inst.penalty * hard_under).min(terms.total_cost));
    let gap =
        lower_bound_cost.map(|b| super::solve::relative_gap(terms.total_cost, b, terms.total_cost));
    let mut report = plan.report.clone();
    report.method = format!("{}+cost_terms", report.method);
    report.source = format!("{}+cost_descent", report.source);
    report.cost = cost;
    report.understaffed = hard_under;
    report.lower_bound_cost = lower_bound_cost;
    report.gap = gap;
    report.objective_bound = bound;
    budget_left.extend(cap.cuts());
    budget_left.sort();
    report.time_limit_seconds = options.time_limit.map(|l| l.as_secs_f64());
    report.time_limit_bound = !budget_left.is_empty();
    report.budget_left = budget_left;
    report.status = super::solve::status_of(gap, false, report.time_limit_bound, options.gap);
    report.lp_seconds += lp_seconds;
    report.mip_seconds += descent_started.elapsed().as_secs_f64();
    report.solve_seconds = started.elapsed().as_secs_f64();
    report.solver_messages.extend(messages);
    report.cost_terms = Some(terms);
    let shortfall = super::explain::explain_shortfall(&inst, &agents, &coverage, report.status);
    Ok(Schedule {
        candidates: inst.candidates.clone(),
        agents,
        coverage,
        report,
        shortfall,
        required: None,
    })
}
