//! Service goals over a day or the week: the cheapest plan whose volume-weighted service level
//! (and ASA, and abandonment) over each scope meets the target, instead of a headcount every
//! interval must reach on its own.
//!
//! # The model
//! The service of an open interval is a function of the agents scheduled on its queue: the
//! evaluation's own (Erlang C, Erlang A or chat at whole on-queue agents, interpolated between
//! them, after shrinkage: [`ServiceCurve`]). It is concave only above the stable point, so the
//! LP relaxation credits each interval with the *concave majorant* of its service level (and
//! the convex minorant of its ASA and abandonment) over whole-agent breakpoints: a piece
//! variable per breakpoint segment, `coverage ≥ minimum + Σ pieces`, and per scope
//! `Σ volume × (level at the minimum + Σ slope × piece) ≥ target × volume`. Every plan that
//! meets the goals is a solution of this LP at its own coverage, so its optimum is a lower
//! bound of every such plan: the figure reported as `lower_bound_cost`.
//!
//! # The integer plan
//! 1. The LP's agents per interval, rounded up, become a requirement the interval scheduler
//!    covers (rounding, local search, MIP as usual).
//! 2. A local search over that plan's shifts (Koole & van der Sluis 2003: the service level
//!    of a shift schedule under a global target is multimodular, so exchanges of single shifts
//!    lead far) keeps every goal met while it removes shifts, replaces shifts by cheaper ones,
//!    moves shifts (and their breaks) to where they raise the scope's service most, and
//!    merges two shifts into one cheaper one; while a goal is missed it adds the shift that
//!    helps most per unit of cost. Then rounds of ruin and recreate: a day's shifts removed,
//!    the goals repaired wherever it is cheapest, the descent again, kept when cheaper. A
//!    budget of moves, not the clock.
//! 3. The plan's requirement becomes what it staffs (whole agents per interval), so the rest
//!    of the pipeline (roster, re-plans, coverage, checks) sees a plan that covers its
//!    requirement; the service goal is judged by the evaluation of the roster.

use good_lp::{Expression, ProblemVariables, Solution, Variable, variable};

use super::AgentShift;
use super::allocate;
use super::instance::{Instance, SupplyUse};
use crate::scenario::ServiceScope;

const EPS: f64 = 1e-9;

/// Service, ASA and abandonment of whole on-queue agents.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct GoalPoint {
    /// Share answered within the answer time.
    pub service_level: f64,
    /// Average speed of answer, seconds (infinite when unstable).
    pub asa_seconds: f64,
    /// Share abandoning (0 without a patience).
    pub abandon_rate: f64,
}

impl GoalPoint {
    fn mix(a: GoalPoint, b: GoalPoint, w: f64) -> GoalPoint {
        let lin = |x: f64, y: f64| {
            if w <= 1e-12 { x } else { (1.0 - w) * x + w * y }
        };
        GoalPoint {
            service_level: lin(a.service_level, b.service_level),
            asa_seconds: lin(a.asa_seconds, b.asa_seconds),
            abandon_rate: lin(a.abandon_rate, b.abandon_rate),
        }
    }
}

/// The service of one open interval as a function of the agents scheduled on its queue.
#[derive(Debug, Clone, PartialEq)]
pub struct ServiceCurve {
    /// Contacts arriving (the interval's weight in its scope).
    pub volume: f64,
    /// On-queue agents per scheduled agent (`1 − shrinkage`).
    pub factor: f64,
    /// At 0, 1, 2, … on-queue agents; beyond the last, the last.
    pub points: Vec<GoalPoint>,
}

impl ServiceCurve {
    /// Service of `scheduled` agents (fractional: the time mixture of the whole counts around
    /// it, as the evaluation computes it).
    pub fn at(&self, scheduled: f64) -> GoalPoint {
        let x = (scheduled * self.factor).max(0.0);
        let last = self.points.len() - 1;
        let low = x.floor();
        let k = low as usize;
        if k >= last {
            return self.points[last];
        }
        GoalPoint::mix(self.points[k], self.points[k + 1], x - low)
    }

    /// The fewest scheduled agents whose service level reaches `level` (the most the curve
    /// knows when none does).
    fn agents_for_level(&self, level: f64) -> f64 {
        let Some(k) = self.points.iter().position(|p| p.service_level >= level) else {
            return (self.points.len() - 1) as f64 / self.factor;
        };
        if k == 0 {
            return 0.0;
        }
        let (a, b) = (
            self.points[k - 1].service_level,
            self.points[k].service_level,
        );
        let x = (k - 1) as f64 + ((level - a) / (b - a)).clamp(0.0, 1.0);
        x / self.factor
    }

    /// The fewest scheduled agents with a finite ASA (a stable queue).
    fn stable_agents(&self) -> f64 {
        let k = self
            .points
            .iter()
            .position(|p| p.asa_seconds.is_finite())
            .unwrap_or(self.points.len() - 1);
        k as f64 / self.factor
    }
}

/// The goals of one queue judged over days or the week.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueGoal {
    /// Queue index.
    pub queue: usize,
    /// Day or week.
    pub scope: ServiceScope,
    /// Service-level target over each scope.
    pub service_level: Option<f64>,
    /// ASA ceiling over each scope, seconds.
    pub asa_seconds: Option<f64>,
    /// Abandonment ceiling over each scope.
    pub abandon_rate: Option<f64>,
    /// Service level no open interval may fall below.
    pub floor: Option<f64>,
    /// Per interval: its service curve (`None` closed or without volume).
    pub curves: Vec<Option<ServiceCurve>>,
    /// Per interval: scheduled agents at least, whatever the service (`min_agents`).
    pub minimum: Vec<f64>,
    /// The intervals of each scope (each local day, or the whole plan).
    pub scopes: Vec<Vec<usize>>,
}

impl QueueGoal {
    /// Scheduled agents interval `i` needs at least: `min_agents`, the floor, and a stable
    /// queue when an ASA goal is set (an unstable interval's ASA is infinite).
    pub fn least_agents(&self, i: usize) -> f64 {
        let mut least = self.minimum[i];
        if let Some(curve) = &self.curves[i] {
            if let Some(floor) = self.floor {
                least = least.max(curve.agents_for_level(floor));
            }
            if self.asa_seconds.is_some() {
                least = least.max(curve.stable_agents());
            }
        }
        least
    }

    /// Whether `coverage[i]` (scheduled agents on the queue) meets every goal.
    pub fn met_by(&self, coverage: &[f64]) -> bool {
        (0..self.curves.len()).all(|i| coverage[i] >= self.least_agents(i) - 1e-6)
            && (0..self.scopes.len()).all(|s| self.scope_slack(s, coverage) >= -1e-9)
    }

    /// The least relative slack of scope `s`'s goals at `coverage` (negative: a goal missed).
    pub fn scope_slack(&self, s: usize, coverage: &[f64]) -> f64 {
        let mut sums = ScopeSums::default();
        for &i in &self.scopes[s] {
            if let Some(curve) = &self.curves[i] {
                sums.add(curve.volume, curve.at(coverage[i]), 1.0);
            }
        }
        sums.slack(self)
    }
}

/// Every queue's goals (queues with interval scope have none).
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ServiceGoals {
    /// One per queue judged over days or the week.
    pub queues: Vec<QueueGoal>,
    /// How multi-skill agents are shared among queues, as the evaluation shares them (in the
    /// plan's skill-group indices); `None`: as the plan's coverage allocates them.
    pub routing: Option<crate::domain::routing::Routing>,
}

impl ServiceGoals {
    /// The goal of queue `q`, if it has one.
    pub fn of_queue(&self, q: usize) -> Option<&QueueGoal> {
        self.queues.iter().find(|g| g.queue == q)
    }

    /// Whether any queue is judged over a day or the week.
    pub fn any(&self) -> bool {
        !self.queues.is_empty()
    }
}

/// Volume-weighted sums over a scope.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
struct ScopeSums {
    volume: f64,
    answered: f64,
    waiting: f64,
    abandoned: f64,
}

impl ScopeSums {
    fn add(&mut self, volume: f64, point: GoalPoint, sign: f64) {
        self.volume += sign * volume;
        self.answered += sign * volume * point.service_level;
        if volume > 0.0 {
            self.waiting += sign * volume * point.asa_seconds;
        }
        self.abandoned += sign * volume * point.abandon_rate;
    }

    /// Least relative slack of the goals (1 when there is no volume).
    fn slack(&self, goal: &QueueGoal) -> f64 {
        if self.volume <= EPS {
            return 1.0;
        }
        let mut slack = f64::INFINITY;
        if let Some(t) = goal.service_level {
            slack = slack.min(self.answered / self.volume - t);
        }
        if let Some(t) = goal.asa_seconds {
            let asa = self.waiting / self.volume;
            slack = slack.min(if asa.is_finite() {
                (t - asa) / t.max(1.0)
            } else {
                -1.0
            });
        }
        if let Some(t) = goal.abandon_rate {
            slack = slack.min(t - self.abandoned / self.volume);
        }
        if slack.is_finite() { slack } else { 1.0 }
    }
}

/// One piece of the LP's credit: width in scheduled agents and the slopes over it.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct Piece {
    pub width: f64,
    pub service_level: f64,
    pub asa_seconds: f64,
    pub abandon_rate: f64,
}

/// The LP's credit of interval `i` of `goal` from `least` scheduled agents up: the value at
/// `least` and the pieces of the concave majorant of the service level (convex minorants of
/// ASA and abandonment) over the whole-agent breakpoints above it. The last breakpoint is
/// credited with perfect service, so the credit bounds the curve from the right side at any
/// coverage.
pub(crate) fn credit(
    goal: &QueueGoal,
    curve: &ServiceCurve,
    least: f64,
) -> (GoalPoint, Vec<Piece>) {
    let base = curve.at(least);
    let last = curve.points.len() - 1;
    let mut xs = vec![least];
    let mut values = vec![base];
    for k in 0..=last {
        let x = k as f64 / curve.factor;
        if x > least + 1e-9 {
            xs.push(x);
            values.push(curve.points[k]);
        }
    }
    if xs.len() < 2 {
        return (base, Vec::new());
    }
    let end = values.len() - 1;
    values[end] = GoalPoint {
        service_level: 1.0,
        asa_seconds: 0.0,
        abandon_rate: 0.0,
    };
    let level = hull_slopes(&xs, values.iter().map(|p| p.service_level), true);
    let asa = if goal.asa_seconds.is_some() {
        hull_slopes(&xs, values.iter().map(|p| p.asa_seconds), false)
    } else {
        vec![0.0; xs.len() - 1]
    };
    let abandon = if goal.abandon_rate.is_some() {
        hull_slopes(&xs, values.iter().map(|p| p.abandon_rate), false)
    } else {
        vec![0.0; xs.len() - 1]
    };
    let mut pieces: Vec<Piece> = Vec::new();
    for j in 0..xs.len() - 1 {
        let piece = Piece {
            width: xs[j + 1] - xs[j],
            service_level: level[j],
            asa_seconds: asa[j],
            abandon_rate: abandon[j],
        };
        match pieces.last_mut() {
            Some(p)
                if (p.service_level - piece.service_level).abs() <= 1e-12
                    && (p.asa_seconds - piece.asa_seconds).abs() <= 1e-12
                    && (p.abandon_rate - piece.abandon_rate).abs() <= 1e-12 =>
            {
                p.width += piece.width
            }
            _ => pieces.push(piece),
        }
    }
    (base, pieces)
}

/// Per segment `[xs[j], xs[j+1]]`: the slope of the upper (`upper`) or lower hull of the
/// points there. Upper hull slopes do not increase; lower hull slopes do not decrease.
fn hull_slopes(xs: &[f64], ys: impl Iterator<Item = f64>, upper: bool) -> Vec<f64> {
    let ys: Vec<f64> = ys.collect();
    let sign = if upper { 1.0 } else { -1.0 };
    // Monotone chain on (x, sign × y): upper hull.
    let mut hull: Vec<usize> = Vec::new();
    for j in 0..xs.len() {
        while hull.len() >= 2 {
            let a = hull[hull.len() - 2];
            let b = hull[hull.len() - 1];
            let cross = (xs[b] - xs[a]) * (sign * ys[j] - sign * ys[a])
                - (sign * ys[b] - sign * ys[a]) * (xs[j] - xs[a]);
            if cross >= 0.0 {
                hull.pop();
            } else {
                break;
            }
        }
        hull.push(j);
    }
    let mut slopes = vec![0.0; xs.len() - 1];
    for w in hull.windows(2) {
        let (a, b) = (w[0], w[1]);
        let slope = (ys[b] - ys[a]) / (xs[b] - xs[a]);
        for s in slopes.iter_mut().take(b).skip(a) {
            *s = slope;
        }
    }
    slopes
}

/// The LP credit terms of one goal interval, as the model adds them.
#[derive(Debug, Clone)]
pub(crate) struct GoalTerm {
    /// Index into [`ServiceGoals::queues`].
    pub goal: usize,
    pub interval: usize,
    pub least: f64,
    pub base: GoalPoint,
    pub pieces: Vec<(Variable, Piece)>,
}

/// Adds the scope rows of every goal (through `push`), reading the credit of each interval
/// from `terms` (intervals without a term, which no shift covers, are credited with their
/// service at no agents); each row has a penalised deficit variable (given to `record`).
pub(crate) fn scope_rows(
    goals: &ServiceGoals,
    terms: &[GoalTerm],
    penalty: f64,
    vars: &mut ProblemVariables,
    objective: &mut Expression,
    mut push: impl FnMut(Expression, super::model::Sense, f64),
    mut record: impl FnMut(Variable),
) {
    use super::model::Sense;
    for (gi, goal) in goals.queues.iter().enumerate() {
        let mut by_interval: Vec<Option<&GoalTerm>> = vec![None; goal.curves.len()];
        for term in terms.iter().filter(|t| t.goal == gi) {
            by_interval[term.interval] = Some(term);
        }
        for scope in &goal.scopes {
            let mut volume = 0.0;
            let mut base = ScopeSums::default();
            let mut level = Expression::default();
            let mut asa = Expression::default();
            let mut abandon = Expression::default();
            for &i in scope {
                let Some(curve) = &goal.curves[i] else {
                    continue;
                };
                volume += curve.volume;
                match by_interval[i] {
                    Some(term) => {
                        base.add(curve.volume, term.base, 1.0);
                        for &(z, piece) in &term.pieces {
                            level.add_mul(curve.volume * piece.service_level, z);
                            asa.add_mul(curve.volume * piece.asa_seconds, z);
                            abandon.add_mul(curve.volume * piece.abandon_rate, z);
                        }
                    }
                    None => base.add(curve.volume, curve.at(0.0), 1.0),
                }
            }
            if volume <= EPS {
                continue;
            }
            if let Some(t) = goal.service_level {
                let d = vars.add(variable().min(0.0));
                record(d);
                objective.add_mul(penalty, d);
                level.add_mul(1.0, d);
                push(level, Sense::Ge, t * volume - base.answered);
            }
            if let Some(t) = goal.asa_seconds {
                let d = vars.add(variable().min(0.0));
                record(d);
                objective.add_mul(penalty / t.max(1.0), d);
                asa.add_mul(-1.0, d);
                // An unstable interval left at its minimum has an infinite ASA: no plan meets
                // the goal, and the deficit takes it.
                let rhs = t * volume - base.waiting;
                push(asa, Sense::Le, if rhs.is_finite() { rhs } else { -1e12 });
            }
            if let Some(t) = goal.abandon_rate {
                let d = vars.add(variable().min(0.0));
                record(d);
                objective.add_mul(penalty, d);
                abandon.add_mul(-1.0, d);
                push(abandon, Sense::Le, t * volume - base.abandoned);
            }
        }
    }
}

/// Scheduled agents per queue in interval `i` as the plan's coverage allocates them
/// (requirement first, a group's agents beyond it on its first queue).
pub(crate) fn scheduled_at(
    group_queues: &[Vec<usize>],
    present: &[f64],
    required: &[f64],
    out: &mut [f64],
) {
    for value in out.iter_mut() {
        *value = 0.0;
    }
    let allocation = allocate::allocate(group_queues, present, required);
    for (g, qs) in group_queues.iter().enumerate() {
        if qs.is_empty() {
            continue;
        }
        let used: f64 = allocation.flows[g].iter().sum();
        let left = (present[g].max(0.0) - used).max(0.0);
        for (k, &q) in qs.iter().enumerate() {
            out[q] += allocation.flows[g][k] + if k == 0 { left } else { 0.0 };
        }
    }
}

/// The local search of the integer phase (module documentation, step 2).
#[derive(Clone)]
pub(crate) struct GoalSearch<'i> {
    inst: &'i Instance<'i>,
    goals: &'i ServiceGoals,
    family_of: Vec<Vec<usize>>,
    agents: Vec<Option<AgentShift>>,
    present: Vec<Vec<f64>>,
    /// `required[i][q]` the allocation uses (the interval requirement).
    required: Vec<Vec<f64>>,
    /// `coverage[q][i]`: scheduled agents per queue.
    coverage: Vec<Vec<f64>>,
    /// Per goal, per scope: the sums.
    sums: Vec<Vec<ScopeSums>>,
    /// Per goal: scope of each interval.
    scope_of: Vec<Vec<Option<usize>>>,
    /// Per goal: least agents per interval.
    least: Vec<Vec<f64>>,
    /// Groups the search may change (every queue they serve has a goal).
    movable: Vec<bool>,
    per_template_day: Vec<Vec<u32>>,
    per_day: Vec<u32>,
    supply: SupplyUse,
    /// Candidates per (group, plan day).
    by_group_day: std::collections::BTreeMap<(usize, usize), Vec<usize>>,
    /// Scratch of the routing rule.
    remaining: Vec<f64>,
    weights: Vec<(usize, f64)>,
    duty: Vec<Vec<f64>>,
    /// Moves evaluated (the budget's unit).
    pub work: u64,
    budget: u64,
}

/// A change of the plan's agents: removed agents (indices) and added agents.
struct Change {
    remove: Vec<usize>,
    add: Vec<AgentShift>,
}

impl<'i> GoalSearch<'i> {
    /// The search over `agents` of `inst` (whose requirement is the interval one).
    pub fn new(
        inst: &'i Instance<'i>,
        goals: &'i ServiceGoals,
        interval_required: &[Vec<u32>],
        agents: &[AgentShift],
        budget: u64,
    ) -> Self {
        let input = inst.input;
        let queues = input.queues.len();
        let groups = inst.group_queues.len();
        let family_of = inst.families_of_templates();
        let required = (0..inst.n)
            .map(|i| {
                (0..queues)
                    .map(|q| f64::from(interval_required[q][i]))
                    .collect()
            })
            .collect();
        let goal_queue = |q: usize| goals.of_queue(q).is_some();
        let movable = inst
            .group_queues
            .iter()
            .map(|qs| !qs.is_empty() && qs.iter().all(|&q| goal_queue(q)))
            .collect();
        let scope_of = goals
            .queues
            .iter()
            .map(|goal| {
                let mut of = vec![None; inst.n];
                for (s, scope) in goal.scopes.iter().enumerate() {
                    for &i in scope {
                        of[i] = Some(s);
                    }
                }
                of
            })
            .collect();
        let least = goals
            .queues
            .iter()
            .map(|goal| {
                (0..inst.n)
                    .map(|i| {
                        if inst.coverable[goal.queue][i] {
                            goal.least_agents(i)
                        } else {
                            0.0
                        }
                    })
                    .collect()
            })
            .collect();
        let mut by_group_day: std::collections::BTreeMap<(usize, usize), Vec<usize>> =
            Default::default();
        for (c, candidate) in inst.candidates.iter().enumerate() {
            by_group_day
                .entry((inst.group_of(c), candidate.day))
                .or_default()
                .push(c);
        }
        let mut search = GoalSearch {
            inst,
            goals,
            family_of,
            agents: Vec::new(),
            present: vec![vec![0.0; inst.n]; groups],
            required,
            coverage: vec![vec![0.0; inst.n]; queues],
            sums: goals
                .queues
                .iter()
                .map(|g| vec![ScopeSums::default(); g.scopes.len()])
                .collect(),
            scope_of,
            least,
            movable,
            per_template_day: vec![
                vec![0; input.horizon.days() as usize];
                input.rules.templates.len()
            ],
            per_day: vec![0; input.horizon.days() as usize],
            supply: SupplyUse::new(inst),
            by_group_day,
            remaining: Vec::new(),
            weights: Vec::new(),
            duty: vec![vec![0.0; queues]; groups],
            work: 0,
            budget,
        };
        // The sums at no agents, then every agent counted and every interval refreshed.
        for (gi, goal) in goals.queues.iter().enumerate() {
            for (i, curve) in goal.curves.iter().enumerate() {
                if let (Some(curve), Some(s)) = (curve, search.scope_of[gi][i]) {
                    search.sums[gi][s].add(curve.volume, curve.at(0.0), 1.0);
                }
            }
        }
        for agent in agents {
            search.count(agent, 1.0);
            search.agents.push(Some(agent.clone()));
        }
        let all: Vec<usize> = (0..inst.n).collect();
        search.refresh(&all);
        search
    }

    /// The agents, sorted.
    pub fn into_agents(self) -> Vec<AgentShift> {
        let mut agents: Vec<AgentShift> = self.agents.into_iter().flatten().collect();
        agents.sort();
        agents
    }

    /// Net presence of an agent (shift minus breaks).
    fn profile(&self, agent: &AgentShift) -> Vec<(usize, f64)> {
        self.inst.net_presence(&self.family_of, agent)
    }

    fn count(&mut self, agent: &AgentShift, sign: f64) {
        let g = self.inst.group_of(agent.candidate);
        for (i, share) in self.profile(agent) {
            self.present[g][i] += sign * share;
        }
        let candidate = &self.inst.candidates[agent.candidate];
        let step = |v: &mut u32| {
            if sign > 0.0 { *v += 1 } else { *v -= 1 }
        };
        step(&mut self.per_template_day[candidate.template][candidate.day]);
        step(&mut self.per_day[candidate.day]);
        self.supply.count(self.inst, agent.candidate, sign);
    }

    /// Recomputes coverage and scope sums of `intervals` from `present`.
    fn refresh(&mut self, intervals: &[usize]) {
        let groups = self.inst.group_queues.len();
        let queues = self.coverage.len();
        let mut here = vec![0.0; groups];
        let mut out = vec![0.0; queues];
        for &i in intervals {
            for (g, value) in here.iter_mut().enumerate() {
                *value = self.present[g][i];
            }
            match &self.goals.routing {
                Some(routing) => {
                    let data = routing.intervals[i].view();
                    crate::domain::routing::route(
                        &routing.order,
                        &routing.group_queues,
                        &data,
                        &here,
                        &here,
                        &mut self.remaining,
                        &mut self.weights,
                        &mut self.duty,
                    );
                    for value in out.iter_mut() {
                        *value = 0.0;
                    }
                    for row in &self.duty {
                        for (q, x) in row.iter().enumerate() {
                            out[q] += x;
                        }
                    }
                }
                None => scheduled_at(&self.inst.group_queues, &here, &self.required[i], &mut out),
            }
            for (gi, goal) in self.goals.queues.iter().enumerate() {
                let q = goal.queue;
                if let (Some(curve), Some(s)) = (&goal.curves[i], self.scope_of[gi][i]) {
                    self.sums[gi][s].add(curve.volume, curve.at(self.coverage[q][i]), -1.0);
                    self.sums[gi][s].add(curve.volume, curve.at(out[q]), 1.0);
                }
            }
            for (row, &value) in self.coverage.iter_mut().zip(&out) {
                row[i] = value;
            }
        }
    }

    /// Whether every goal holds (scopes, floors) and no queue without a goal lost coverage
    /// below `before` (its coverage before the change, per touched interval).
    fn feasible(&self, touched: &[usize], before: &[Vec<f64>]) -> bool {
        for (gi, goal) in self.goals.queues.iter().enumerate() {
            for &i in touched {
                if self.coverage[goal.queue][i] < self.least[gi][i] - 1e-6 {
                    return false;
                }
            }
            let mut scopes: Vec<usize> = touched
                .iter()
                .filter_map(|&i| self.scope_of[gi][i])
                .collect();
            scopes.sort_unstable();
            scopes.dedup();
            for s in scopes {
                if self.sums[gi][s].slack(goal) < -1e-9 {
                    return false;
                }
            }
        }
        for (&i, was) in touched.iter().zip(before) {
            for (q, &was) in was.iter().enumerate() {
                let need = self.required[i][q];
                if self.goals.of_queue(q).is_none()
                    && self.coverage[q][i].min(need) < was.min(need) - 1e-6
                {
                    return false;
                }
            }
        }
        true
    }

    /// Total deficit of the goals: Σ over scopes of the negative slack, plus floors missed.
    pub(crate) fn deficit(&self) -> f64 {
        let mut total = 0.0;
        for (gi, goal) in self.goals.queues.iter().enumerate() {
            for sums in &self.sums[gi] {
                total += (-sums.slack(goal)).max(0.0);
            }
            for i in 0..self.inst.n {
                total += (self.least[gi][i] - self.coverage[goal.queue][i]).max(0.0) * 1e-3;
            }
        }
        total
    }

    /// Answered contacts (within the answer time) over every goal: what moves raise.
    fn answered(&self) -> f64 {
        self.sums.iter().flatten().map(|s| s.answered).sum()
    }

    fn touched(&self, change: &Change) -> Vec<usize> {
        let mut touched: Vec<usize> = Vec::new();
        for &a in &change.remove {
            if let Some(agent) = &self.agents[a] {
                touched.extend(self.inst.presence[agent.candidate].iter().map(|p| p.0));
            }
        }
        for agent in &change.add {
            touched.extend(self.inst.presence[agent.candidate].iter().map(|p| p.0));
        }
        touched.sort_unstable();
        touched.dedup();
        touched
    }

    /// Applies `change`; returns what undoes it (`None` when the limits forbid it).
    fn apply(&mut self, change: &Change) -> Option<Vec<AgentShift>> {
        let mut removed = Vec::with_capacity(change.remove.len());
        let mut added = 0;
        let allowed = 'apply: {
            for &a in &change.remove {
                let Some(agent) = self.agents[a].take() else {
                    break 'apply false;
                };
                if !self
                    .inst
                    .may_remove(agent.candidate, &self.per_template_day)
                {
                    self.agents[a] = Some(agent);
                    break 'apply false;
                }
                self.count(&agent, -1.0);
                removed.push(agent);
            }
            for agent in &change.add {
                if !self.inst.may_add(
                    agent.candidate,
                    &self.per_template_day,
                    &self.per_day,
                    &self.supply,
                ) {
                    break 'apply false;
                }
                self.count(agent, 1.0);
                self.agents.push(Some(agent.clone()));
                added += 1;
            }
            true
        };
        if allowed {
            return Some(removed);
        }
        let partial = Change {
            remove: change.remove[..removed.len()].to_vec(),
            add: change.add[..added].to_vec(),
        };
        self.undo(&partial, removed);
        None
    }

    fn undo(&mut self, change: &Change, removed: Vec<AgentShift>) {
        for agent in change.add.iter().rev() {
            self.count(agent, -1.0);
            self.agents.pop();
        }
        for (k, agent) in removed.into_iter().enumerate() {
            self.count(&agent, 1.0);
            self.agents[change.remove[k]] = Some(agent);
        }
    }

    fn may_add(&self, c: usize) -> bool {
        self.inst
            .may_add(c, &self.per_template_day, &self.per_day, &self.supply)
    }

    /// Applies `change`, measures it and undoes it: `(feasible, answered after, deficit
    /// after)`, or `None` when the limits forbid it.
    fn measure(&mut self, change: &Change) -> Option<(bool, f64, f64)> {
        self.work += 1;
        let touched = self.touched(change);
        let before: Vec<Vec<f64>> = touched
            .iter()
            .map(|&i| self.coverage.iter().map(|row| row[i]).collect())
            .collect();
        let removed = self.apply(change)?;
        self.refresh(&touched);
        let result = (
            self.feasible(&touched, &before),
            self.answered(),
            self.deficit(),
        );
        self.undo(change, removed);
        self.refresh(&touched);
        Some(result)
    }

    /// Applies `change` for good.
    fn commit(&mut self, change: &Change) -> bool {
        let touched = self.touched(change);
        let applied = self.apply(change).is_some();
        if applied {
            self.refresh(&touched);
        }
        applied
    }

    /// Breaks for an agent on candidate `c` placed where the service loses least: each break
    /// in turn at the start inside its window whose intervals have the most agents.
    fn place_breaks(&self, c: usize) -> Vec<usize> {
        let candidate = &self.inst.candidates[c];
        let g = self.inst.group_of(c);
        let s = candidate.start_offset;
        let mut taken: Vec<(usize, f64)> = Vec::new();
        let mut breaks = Vec::new();
        for &f in &self.family_of[candidate.template] {
            let family = &self.inst.families[f];
            let mut best: Option<(usize, f64)> = None;
            for t in s + family.earliest..=s + family.latest {
                let shares = self.inst.break_shares(family.duration_minutes, t);
                let room = shares
                    .iter()
                    .map(|&(i, _)| {
                        let here = self.present[g][i]
                            - taken.iter().filter(|p| p.0 == i).map(|p| p.1).sum::<f64>();
                        let need = self.inst.group_queues[g]
                            .iter()
                            .map(|&q| self.required[i][q])
                            .sum::<f64>();
                        here - need
                    })
                    .fold(f64::INFINITY, f64::min);
                if best.is_none_or(|(_, r)| room > r + EPS) {
                    best = Some((t, room));
                }
            }
            let t = best.map_or(s + family.earliest, |b| b.0);
            taken.extend(self.inst.break_shares(family.duration_minutes, t));
            breaks.push(t);
        }
        breaks
    }

    fn cost_of(&self, agent: &AgentShift) -> f64 {
        self.inst.cost[agent.candidate]
    }

    fn movable_agent(&self, a: usize) -> bool {
        self.agents[a]
            .as_ref()
            .is_some_and(|agent| self.movable[self.inst.group_of(agent.candidate)])
    }

    /// Adds the shift that lowers the deficit most per unit of cost, while a goal is missed.
    fn repair(&mut self) {
        while self.deficit() > 1e-9 && self.work < self.budget {
            let deficit = self.deficit();
            let mut best: Option<(f64, AgentShift)> = None;
            for c in 0..self.inst.candidates.len() {
                if !self.movable[self.inst.group_of(c)] || !self.may_add(c) {
                    continue;
                }
                let change = Change {
                    remove: Vec::new(),
                    add: vec![AgentShift {
                        candidate: c,
                        break_offsets: self.place_breaks(c),
                    }],
                };
                let Some((_, _, after)) = self.measure(&change) else {
                    continue;
                };
                let gain = (deficit - after) / self.inst.cost[c].max(EPS);
                if gain > 1e-12 && best.as_ref().is_none_or(|(g, _)| gain > g + 1e-12) {
                    best = Some((gain, change.add[0].clone()));
                }
            }
            let Some((_, agent)) = best else {
                break;
            };
            self.commit(&Change {
                remove: Vec::new(),
                add: vec![agent],
            });
        }
    }

    /// Removes agents (dearest first) whose absence keeps every goal; true when any went.
    fn drop_agents(&mut self) -> bool {
        let mut order: Vec<usize> = (0..self.agents.len())
            .filter(|&a| self.movable_agent(a))
            .collect();
        order.sort_by(|&a, &b| {
            let ca = self.cost_of(self.agents[a].as_ref().expect("movable"));
            let cb = self.cost_of(self.agents[b].as_ref().expect("movable"));
            cb.total_cmp(&ca).then(a.cmp(&b))
        });
        let mut any = false;
        for a in order {
            if self.work >= self.budget {
                break;
            }
            let change = Change {
                remove: vec![a],
                add: Vec::new(),
            };
            if let Some((true, _, _)) = self.measure(&change) {
                any |= self.commit(&change);
            }
        }
        any
    }

    /// Moves or replaces each agent by the candidate of its group and day that is no dearer
    /// and, keeping every goal, saves most, then raises the answered contacts most; true when
    /// any moved.
    fn move_agents(&mut self) -> bool {
        let mut any = false;
        for a in 0..self.agents.len() {
            if self.work >= self.budget {
                break;
            }
            if !self.movable_agent(a) {
                continue;
            }
            let agent = self.agents[a].clone().expect("movable");
            let candidate = &self.inst.candidates[agent.candidate];
            let key = (self.inst.group_of(agent.candidate), candidate.day);
            let own_cost = self.cost_of(&agent);
            let answered = self.answered();
            let options = self.by_group_day.get(&key).cloned().unwrap_or_default();
            let mut best: Option<(f64, f64, AgentShift)> = None;
            for c in options {
                if c == agent.candidate || self.inst.cost[c] > own_cost + EPS {
                    continue;
                }
                if self.work >= self.budget {
                    break;
                }
                // Breaks placed with the agent itself out of the way.
                self.count(&agent, -1.0);
                let replacement = AgentShift {
                    candidate: c,
                    break_offsets: self.place_breaks(c),
                };
                self.count(&agent, 1.0);
                let change = Change {
                    remove: vec![a],
                    add: vec![replacement],
                };
                let Some((true, after, _)) = self.measure(&change) else {
                    continue;
                };
                let saved = own_cost - self.inst.cost[c];
                let gain = after - answered;
                if (saved > EPS || gain > 1e-6)
                    && best.as_ref().is_none_or(|(s, g, _)| {
                        saved > s + EPS || (saved >= s - EPS && gain > g + 1e-9)
                    })
                {
                    best = Some((saved, gain, change.add[0].clone()));
                }
            }
            if let Some((_, _, replacement)) = best {
                any |= self.commit(&Change {
                    remove: vec![a],
                    add: vec![replacement],
                });
            }
        }
        any
    }

    /// Replaces two agents of one group and day by one cheaper shift of that group and day
    /// (two short shifts by one long one) keeping every goal; true when any merged.
    fn merge_agents(&mut self) -> bool {
        let mut any = false;
        let mut by_key: std::collections::BTreeMap<(usize, usize), Vec<usize>> = Default::default();
        for a in 0..self.agents.len() {
            if self.movable_agent(a) {
                let agent = self.agents[a].as_ref().expect("movable");
                let key = (
                    self.inst.group_of(agent.candidate),
                    self.inst.candidates[agent.candidate].day,
                );
                by_key.entry(key).or_default().push(a);
            }
        }
        for (key, members) in by_key {
            let options = self.by_group_day.get(&key).cloned().unwrap_or_default();
            for (x, &a) in members.iter().enumerate() {
                for &b in &members[x + 1..] {
                    if self.work >= self.budget {
                        return any;
                    }
                    let (Some(first), Some(second)) =
                        (self.agents[a].clone(), self.agents[b].clone())
                    else {
                        continue;
                    };
                    if first.candidate == second.candidate {
                        // The same shift twice: a merge of an identical pair was tried already.
                        if x > 0
                            && members[..x].iter().any(|&p| {
                                self.agents[p]
                                    .as_ref()
                                    .is_some_and(|o| o.candidate == first.candidate)
                            })
                        {
                            continue;
                        }
                    }
                    let pair_cost = self.cost_of(&first) + self.cost_of(&second);
                    let mut best: Option<(f64, AgentShift)> = None;
                    self.count(&first, -1.0);
                    self.count(&second, -1.0);
                    let placed: Vec<AgentShift> = options
                        .iter()
                        .filter(|&&c| self.inst.cost[c] < pair_cost - EPS)
                        .map(|&c| AgentShift {
                            candidate: c,
                            break_offsets: self.place_breaks(c),
                        })
                        .collect();
                    self.count(&first, 1.0);
                    self.count(&second, 1.0);
                    for replacement in placed {
                        let saved = pair_cost - self.cost_of(&replacement);
                        if best.as_ref().is_some_and(|(s, _)| *s >= saved - EPS) {
                            continue;
                        }
                        let change = Change {
                            remove: vec![a, b],
                            add: vec![replacement],
                        };
                        if let Some((true, _, _)) = self.measure(&change) {
                            best = Some((saved, change.add[0].clone()));
                        }
                    }
                    if let Some((_, replacement)) = best
                        && self.commit(&Change {
                            remove: vec![a, b],
                            add: vec![replacement],
                        })
                    {
                        any = true;
                        break;
                    }
                }
            }
        }
        any
    }

    /// Repair, then drops and moves while either changes anything; when they stall, one
    /// round of merges, and again; within the budget.
    fn descend(&mut self) {
        self.repair();
        loop {
            loop {
                let dropped = self.drop_agents();
                if self.work >= self.budget {
                    return;
                }
                let moved = self.move_agents();
                if !(dropped || moved) || self.work >= self.budget {
                    break;
                }
            }
            if self.work >= self.budget || !self.merge_agents() {
                break;
            }
        }
        self.drop_agents();
    }

    fn cost(&self) -> f64 {
        self.agents
            .iter()
            .flatten()
            .map(|a| self.inst.cost[a.candidate])
            .sum()
    }

    /// The descent, then ruin and recreate: each plan day in turn loses every agent the search
    /// may move, the repair refills the goals' deficit wherever it is cheapest, the descent
    /// runs again, and the result is kept when it is cheaper (and meets every goal). Within
    /// `budget` moves for the descent and `perturbation` more for the rest.
    pub fn run(&mut self, perturbation: u64) {
        self.descend();
        if self.deficit() > 1e-9 || perturbation == 0 {
            return;
        }
        self.budget = self.work.max(self.budget) + perturbation;
        let days = self.per_day.len();
        let mut best = self.clone();
        let mut best_cost = self.cost();
        for _round in 0..PERTURBATION_ROUNDS {
            let mut improved = false;
            for d in 0..days {
                if self.work >= self.budget {
                    break;
                }
                let ruined: Vec<usize> = (0..self.agents.len())
                    .filter(|&a| {
                        self.movable_agent(a)
                            && self.agents[a]
                                .as_ref()
                                .is_some_and(|x| self.inst.candidates[x.candidate].day == d)
                    })
                    .collect();
                if ruined.is_empty() {
                    continue;
                }
                for a in ruined {
                    self.commit(&Change {
                        remove: vec![a],
                        add: Vec::new(),
                    });
                }
                self.descend();
                let cost = self.cost();
                let work = self.work;
                if self.deficit() <= 1e-9 && cost < best_cost - EPS {
                    best = self.clone();
                    best_cost = cost;
                    improved = true;
                } else {
                    *self = best.clone();
                    self.work = work;
                }
            }
            if !improved || self.work >= self.budget {
                break;
            }
        }
        let work = self.work;
        *self = best;
        self.work = work;
    }

    /// Scheduled agents per queue per interval.
    pub fn coverage(&self) -> &[Vec<f64>] {
        &self.coverage
    }
}

/// Solves the LP relaxation with the goals' credit; returns (objective bound, agents credited
/// per goal queue per interval).
pub(crate) fn goal_lp(inst: &Instance<'_>) -> Result<(f64, Vec<Vec<f64>>), String> {
    super::guard::guarded("service-goal LP", || {
        let model = super::model::ShiftModel::build(inst, false);
        let goals = inst
            .input
            .goals
            .ok_or_else(|| "no service goals".to_string())?;
        let terms = model.goal_terms.clone();
        let (bound, solution) = model.solve_relaxation("service-goal LP")?;
        let mut agents: Vec<Vec<f64>> = goals
            .queues
            .iter()
            .map(|g| (0..inst.n).map(|i| g.minimum[i]).collect())
            .collect();
        for term in &terms {
            agents[term.goal][term.interval] = term.least
                + term
                    .pieces
                    .iter()
                    .map(|&(z, _)| solution.value(z))
                    .sum::<f64>();
        }
        Ok((bound, agents))
    })
}

/// Moves the local search's descent may evaluate (a budget of work, the same on every
/// machine).
pub const SEARCH_MOVES: u64 = 400_000;

/// Moves the ruin-and-recreate rounds after it may evaluate.
pub const PERTURBATION_MOVES: u64 = 200_000;

/// Rounds of ruin and recreate over the plan days at most (each ends early when no day
/// improved).
pub const PERTURBATION_ROUNDS: usize = 3;

/// Schedules `input` for its service goals (module documentation): the goal LP's bound, the
/// interval scheduler on the LP's agents rounded up, the local search, and the requirement
/// the plan staffs.
pub(crate) fn schedule_for_goals(
    input: &super::ScheduleInput<'_>,
    options: &super::ScheduleOptions,
) -> crate::error::Result<super::Schedule> {
    let goals = input.goals.expect("called with goals");
    let started = std::time::Instant::now();
    let inst = Instance::new(input);
    let mut messages = Vec::new();
    let lp = goal_lp(&inst);
    let lp_seconds = started.elapsed().as_secs_f64();
    // The LP's agents, rounded up, as the requirement of a first plan; without an LP the
    // interval requirement (a plan that meets every interval meets its day and week).
    let mut first = input.required.clone();
    let bound = match lp {
        Ok((bound, credited)) => {
            for (k, goal) in goals.queues.iter().enumerate() {
                for (i, value) in first[goal.queue].iter_mut().enumerate() {
                    *value = if inst.coverable[goal.queue][i] {
                        (credited[k][i] - 1e-6).ceil().max(0.0) as u32
                    } else {
                        0
                    };
                }
            }
            Some(bound)
        }
        Err(message) => {
            messages.push(format!(
                "service-goal LP: {message}; the plan starts from the interval requirement and \
                 has no lower bound"
            ));
            None
        }
    };
    let plain = super::ScheduleInput {
        required: first,
        goals: None,
        ..input.clone()
    };
    let plan = super::schedule(&plain, options)?;
    let search_started = std::time::Instant::now();
    // The search works on the interval instance (its candidates are every useful shift);
    // agents are matched by template and start.
    let mapped: Option<Vec<AgentShift>> = inst
        .remap(&plan.candidates, &plan.agents)
        .into_iter()
        .collect();
    let Some(mapped) = mapped else {
        // Not expected: the interval instance keeps every shift that covers anything.
        return Ok(plan);
    };
    // Multi-skill agents are split as the first plan's requirement asks (the LP's split).
    let mut search = GoalSearch::new(&inst, goals, &plain.required, &mapped, SEARCH_MOVES);
    // The LP-rounding method (re-plans, the anonymous comparison) takes the descent only.
    search.run(if options.method == super::Method::Rounding {
        0
    } else {
        PERTURBATION_MOVES
    });
    let coverage = search.coverage().to_vec();
    let agents = search.into_agents();
    // The requirement the plan staffs: whole agents on the goal queues, the input's on the
    // others.
    let mut required = input.required.clone();
    for goal in &goals.queues {
        for (i, value) in required[goal.queue].iter_mut().enumerate() {
            *value = (coverage[goal.queue][i] + 1e-6).floor().max(0.0) as u32;
        }
    }
    let chosen = super::ScheduleInput {
        required: required.clone(),
        goals: None,
        ..input.clone()
    };
    let covered = super::evaluate(&chosen, &inst.candidates, &agents);
    let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
    let lower_bound_cost = bound.map(|b| b.min(cost));
    let gap = lower_bound_cost.map(|b| {
        if cost > 0.0 {
            ((cost - b) / cost).max(0.0)
        } else {
            0.0
        }
    });
    let met = goals
        .queues
        .iter()
        .all(|goal| goal.met_by(&coverage[goal.queue]));
    if !met {
        messages.push(
            "the service goals are not met by any plan the search found: the workforce or \
             the shift rules cannot staff them (see the evaluation)"
                .to_string(),
        );
    }
    let mut report = plan.report.clone();
    report.method = format!("{}+service_goals", report.method);
    report.source = format!("{}+goal_search", report.source);
    report.cost = cost;
    report.lower_bound_cost = lower_bound_cost;
    report.gap = gap;
    report.objective_bound = bound;
    report.understaffed = 0.0;
    report.status = super::solve::status_of(gap, false, report.time_limit_bound, options.gap);
    report.lp_seconds += lp_seconds;
    report.mip_seconds += search_started.elapsed().as_secs_f64();
    report.solve_seconds = started.elapsed().as_secs_f64();
    report.solver_messages.extend(messages);
    let chosen_inst = Instance::new(&chosen);
    let shortfall = if covered.shortfall.iter().flatten().all(|&s| s <= 1e-9) {
        Vec::new()
    } else {
        // On the chosen instance's candidates for the explanation.
        let remapped: Vec<AgentShift> = chosen_inst
            .remap(&inst.candidates, &agents)
            .into_iter()
            .flatten()
            .collect();
        super::explain::explain_shortfall(&chosen_inst, &remapped, &covered, report.status)
    };
    Ok(super::Schedule {
        candidates: inst.candidates.clone(),
        agents,
        coverage: covered,
        report,
        shortfall,
        required: Some(required),
    })
}
