//! Solving: the LP relaxation first (its value is the lower bound), then an integer schedule by
//! LP rounding with repair (always), and by the MIP with a time limit and relative gap, started
//! from the repaired rounding. The better of the two is kept.
//!
//! Break disaggregation: the solver gives agents per shift and break starts per family; the
//! agents of a family are served first-come-first-served (ascending shift start), each taking
//! the earliest break start still available. The backlog constraints of the model are exactly
//! the conditions under which this never hands an agent a break outside its window.

use std::collections::{HashMap, VecDeque};
use std::time::{Duration, Instant};

use good_lp::{Expression, Solution, SolverModel, Variable};
#[cfg(feature = "highs")]
use good_lp::{WithInitialSolution, WithMipGap, WithTimeLimit};
use serde::Serialize;

use super::budget::{BudgetLeft, Cap};
use super::explain::explain_shortfall;
use super::instance::Instance;
use super::model::{Sense, ShiftModel};
use super::parts::{Part, map_agents, split};
use super::repair::{Rounding, polish, repaired, round_and_repair, ruin_and_recreate};
use super::search::{self, SearchSettings, WeightedSearch};
use super::windows::{self, WindowKind, WindowSettings};
use super::{AgentShift, Schedule, ScheduleInput, ScheduleOptions, evaluate};
use crate::error::{Diagnostic, Error, Result};

/// LP/MIP backend. microlp is the default in every build, so a plan does not change with the
/// features staffplan was built with; HiGHS is chosen explicitly (`--solver highs`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// microlp: pure Rust, always available.
    #[default]
    Microlp,
    /// HiGHS (cargo feature `highs`).
    #[cfg(feature = "highs")]
    Highs,
}

impl Backend {
    /// Solver of the LP relaxation: `clarabel` (interior point) with microlp, `highs` with
    /// HiGHS.
    pub fn lp_solver(&self) -> &'static str {
        match self {
            Backend::Microlp => "clarabel",
            #[cfg(feature = "highs")]
            Backend::Highs => "highs",
        }
    }

    /// Name in outputs: `microlp` or `highs`.
    pub fn name(&self) -> &'static str {
        match self {
            Backend::Microlp => "microlp",
            #[cfg(feature = "highs")]
            Backend::Highs => "highs",
        }
    }

    /// Parses a backend name; `None` when unknown or not compiled in.
    pub fn parse(name: &str) -> Option<Backend> {
        match name.trim().to_ascii_lowercase().as_str() {
            "microlp" => Some(Backend::Microlp),
            #[cfg(feature = "highs")]
            "highs" => Some(Backend::Highs),
            _ => None,
        }
    }

    /// Backends compiled into this build.
    pub fn available() -> Vec<Backend> {
        vec![
            Backend::Microlp,
            #[cfg(feature = "highs")]
            Backend::Highs,
        ]
    }
}

/// How the integer schedule is obtained.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Method {
    /// LP bound, rounding with repair, then the MIP over break patterns: every pattern when
    /// there are few (exact), else those of the LP solution, the cheapest under the LP's
    /// duals and the rounding's.
    #[default]
    Mip,
    /// LP bound, rounding with repair, then the implicit MIP (break variables per family).
    ImplicitMip,
    /// LP bound and rounding with repair only.
    Rounding,
    /// LP bound and the weighted local search from the LP's cumulative rounding, whatever the
    /// size of the instance (parts of one skill group on one queue; others as [`Method::Mip`]).
    /// [`Method::Mip`] uses it when there are too many break patterns for the exact MIP.
    Search,
}

impl Method {
    /// Name in outputs.
    pub fn name(&self) -> &'static str {
        match self {
            Method::Mip => "mip",
            Method::ImplicitMip => "implicit-mip",
            Method::Rounding => "rounding",
            Method::Search => "search",
        }
    }
}

/// Most break patterns per instance for which the pattern MIP takes them all (exact).
const ALL_PATTERNS_LIMIT: usize = 20_000;

/// Columns of the pattern MIP.
fn candidate_patterns(
    inst: &Instance<'_>,
    lp: Option<&ModelValues>,
    start: &[AgentShift],
) -> (Vec<(usize, Vec<usize>)>, bool) {
    let mut patterns: Vec<(usize, Vec<usize>)> = Vec::new();
    let mut total = 0;
    let mut complete = true;
    for c in 0..inst.candidates.len() {
        match all_patterns(inst, c, ALL_PATTERNS_LIMIT) {
            Some(list) if total + list.len() <= ALL_PATTERNS_LIMIT => {
                total += list.len();
                patterns.extend(list.into_iter().map(|p| (c, p)));
            }
            _ => {
                complete = false;
                break;
            }
        }
    }
    if !complete {
        patterns.clear();
        if let Some(lp) = lp {
            patterns.extend(lp_patterns(inst, lp));
            if let Some(values) = &lp.presence_values {
                for c in 0..inst.candidates.len() {
                    patterns.push((c, cheapest_pattern(inst, c, values)));
                }
            }
        }
        patterns.extend(start.iter().map(|a| (a.candidate, a.break_offsets.clone())));
    }
    patterns.sort();
    patterns.dedup();
    (patterns, complete)
}

/// Moves of the weighted local search per interval of the horizon.
const SEARCH_MOVES_PER_INTERVAL: u64 = 6_000;

/// Window re-optimisation after the local search (see `schedule::windows`): six-hour windows
/// of shift starts every three hours, 100 branch-and-bound nodes each, one pass.
/// Measured on the reference weeks (BENCHMARKS.md): wider windows or more nodes find little
/// more per second, narrower ones less.
const WINDOWS: WindowSettings = WindowSettings {
    kind: WindowKind::Starts,
    width_minutes: 360,
    stride_minutes: 180,
    nodes: 100,
    passes: 1,
    max_windows: usize::MAX,
};

/// Presence windows, when [`ScheduleOptions::presence_windows`] asks for some (none by
/// default): eight hours of every agent on shift re-planned at once, every four hours, 300
/// nodes each, passes until one finds nothing or the budget of windows is spent. The start
/// windows cannot make the changes hours apart that a night's relay of shifts needs; these
/// can (BENCHMARKS.md: the five-queue week from 0.53 % to 0.45 % above the LP bound with 33
/// windows, its sales group alone from 1.35 % to 0.94 %).
const PRESENCE_WINDOWS: WindowSettings = WindowSettings {
    kind: WindowKind::Presence,
    width_minutes: 480,
    stride_minutes: 240,
    nodes: 300,
    passes: usize::MAX,
    max_windows: 0,
};

/// The window re-optimisation of `agents` until `gap` to `bound` (see `schedule::windows`):
/// start windows, then up to `presence_windows` presence windows; `agents` unchanged on
/// instances with limits (the windows would not see the other windows' agents counted
/// against them).
fn reoptimise_windows(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    lp: &[f64],
    (bound, gap): (Option<f64>, f64),
    presence_windows: usize,
    cap: &Cap,
) -> Vec<AgentShift> {
    if has_limits(inst) {
        return agents.to_vec();
    }
    let done = |value: f64| bound.is_some_and(|b| relative_gap(value, b, value) <= gap);
    let agents = windows::improve(inst, agents, lp, WINDOWS, done, cap);
    if presence_windows == 0 {
        return agents;
    }
    let settings = WindowSettings {
        max_windows: presence_windows,
        ..PRESENCE_WINDOWS
    };
    windows::improve(inst, &agents, lp, settings, done, cap)
}

/// Seeds of the two weighted local searches run side by side.
const SEARCH_SEEDS: [u64; 2] = [0x5eed_5eed, 0x0dd_ba11];

/// Whether every break pattern of every candidate fits the exact pattern MIP.
fn all_patterns_fit(inst: &Instance<'_>) -> bool {
    let mut total = 0usize;
    for c in 0..inst.candidates.len() {
        let template = &inst.input.rules.templates[inst.candidates[c].template];
        let minutes = inst.interval_minutes;
        let mut count = 1usize;
        for rule in &template.breaks {
            let choices = ((rule.latest_minutes - rule.earliest_minutes) / minutes) as usize + 1;
            count = count.saturating_mul(choices);
        }
        total = total.saturating_add(count);
        if total > ALL_PATTERNS_LIMIT {
            return false;
        }
    }
    true
}

/// Whether the instance limits agents per template and day, headcount per day, or by the
/// workforce's supply.
fn has_limits(inst: &Instance<'_>) -> bool {
    let rules = inst.input.rules;
    !inst.supply_limits.is_empty()
        || rules.max_headcount_per_day.is_some()
        || rules
            .templates
            .iter()
            .any(|t| t.max_agents.is_some() || t.min_agents.is_some_and(|m| m > 0))
}

/// Lower bound on the LP optimum of a one-group, one-queue instance without limits from
/// presence values `value[i]` (the LP's duals): clamped to `[0, penalty]` and scaled down by
/// the most any candidate shift with its best breaks earns per unit of cost, they are a
/// feasible dual solution, whose objective bounds every schedule from below whatever the
/// interior point method's tolerance (Farley's bound).
fn pricing_bound(inst: &Instance<'_>, value: &[f64]) -> Option<f64> {
    let pi: Vec<f64> = value.iter().map(|v| v.clamp(0.0, inst.penalty)).collect();
    let required: Vec<f64> = (0..inst.n)
        .map(|i| {
            (0..inst.input.queues.len())
                .filter(|&q| inst.coverable[q][i])
                .map(|q| f64::from(inst.input.required[q][i]))
                .sum()
        })
        .collect();
    let mut ratio: f64 = 1.0;
    for (c, candidate) in inst.candidates.iter().enumerate() {
        let template = &inst.input.rules.templates[candidate.template];
        let mut earned: f64 = inst.presence[c].iter().map(|&(i, s)| s * pi[i]).sum();
        for rule in &template.breaks {
            let first =
                candidate.start_offset + (rule.earliest_minutes / inst.interval_minutes) as usize;
            let last =
                candidate.start_offset + (rule.latest_minutes / inst.interval_minutes) as usize;
            let least = (first..=last)
                .map(|t| {
                    inst.break_shares(rule.duration_minutes, t)
                        .iter()
                        .map(|&(i, s)| s * pi[i])
                        .sum::<f64>()
                })
                .fold(f64::INFINITY, f64::min);
            earned -= least;
        }
        if earned > 0.0 {
            if inst.cost[c] <= 0.0 {
                return None;
            }
            ratio = ratio.max(earned / inst.cost[c]);
        }
    }
    let total: f64 = required.iter().zip(&pi).map(|(r, p)| r * p).sum();
    Some(total / ratio)
}

/// Share of each template among the LP's agents.
fn template_mix(inst: &Instance<'_>, columns: &[f64]) -> Vec<f64> {
    let mut mix = vec![0.0; inst.input.rules.templates.len()];
    for (c, &value) in columns.iter().enumerate() {
        mix[inst.candidates[c].template] += value.max(0.0);
    }
    let total: f64 = mix.iter().sum();
    if total > 0.0 {
        for share in &mut mix {
            *share /= total;
        }
    }
    mix
}

/// Rounds of ruin and recreate on instances too large for the exact pattern MIP.
const RUIN_ROUNDS: usize = 400;

/// Branch-and-bound work of the exact pattern MIP and of the implicit MIP, in nodes ×
/// rows^1.5 of the model: a node's LP (dual simplex from its parent's basis) costs about
/// rows^1.5 (measured 0.4 ms at 483 rows, 3.5 ms at 2,723, 5.6 ms at 3,624), so every model
/// gets about the same work, a larger one fewer nodes. The search stops earlier at the
/// requested gap.
const MIP_WORK: f64 = 1e8;

/// Nodes of the MIP at least and at most, whatever its size.
const MIP_NODES: (u64, u64) = (200, 20_000);

/// The node budget of a MIP with `rows` constraints (see [`MIP_WORK`]).
fn mip_nodes(rows: usize, factor: f64) -> u64 {
    let nodes = MIP_WORK * factor.max(0.0) / (rows.max(1) as f64).powf(1.5);
    (nodes as u64).clamp(MIP_NODES.0, MIP_NODES.1)
}

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// No cheaper schedule exists (gap zero, or proven by the MIP).
    Optimal,
    /// Within the requested gap of the lower bound.
    WithinGap,
    /// An explicit time limit cut a phase short (see [`SolveReport::budget_left`]): the result
    /// depends on the machine's speed and load.
    TimeLimit,
    /// The heuristics finished (rounding, repair, ruin and recreate) above the requested gap.
    Heuristic,
}

impl SolveStatus {
    /// Name in outputs.
    pub fn as_str(&self) -> &'static str {
        match self {
            SolveStatus::Optimal => "optimal",
            SolveStatus::WithinGap => "within_gap",
            SolveStatus::TimeLimit => "time_limit",
            SolveStatus::Heuristic => "heuristic",
        }
    }
}

/// Figures of a solve.
#[derive(Debug, Clone, Serialize)]
pub struct SolveReport {
    /// Backend name (the MIP solver).
    pub solver: String,
    /// Solver of the LP relaxation.
    pub lp_solver: String,
    /// `mip` or `rounding`.
    pub method: String,
    /// How the solve ended.
    pub status: SolveStatus,
    /// Cost of the shifts (paid hours × rate + fixed costs), without any penalty.
    pub cost: f64,
    /// Lower bound on the cost of any schedule with no more coverable understaffing than this
    /// one: the LP relaxation's objective minus the penalty of this schedule's understaffing.
    pub lower_bound_cost: Option<f64>,
    /// (cost − lower_bound_cost) / cost.
    pub gap: Option<f64>,
    /// The LP relaxation's objective bound (cost plus the understaffing penalty).
    pub objective_bound: Option<f64>,
    /// Penalty per understaffed agent-interval in the objective.
    pub penalty: f64,
    /// Understaffed agent-intervals (coverable) of the schedule, as the objective counts them.
    pub understaffed: f64,
    /// Requested gap.
    pub gap_target: f64,
    /// Cost of the rounding-and-repair schedule.
    pub rounding_cost: f64,
    /// Cost of the MIP's schedule, when the MIP ran and returned one.
    pub mip_cost: Option<f64>,
    /// Which produced the final schedule: `rounding` or `mip`.
    pub source: String,
    /// Candidate shifts in the model.
    pub candidate_shifts: usize,
    /// Variables of the MIP.
    pub variables: usize,
    /// Constraints of the MIP.
    pub constraints: usize,
    /// Seconds for the LP relaxation.
    pub lp_seconds: f64,
    /// Seconds for rounding and repair.
    pub rounding_seconds: f64,
    /// Seconds in the MIP.
    pub mip_seconds: f64,
    /// Wall time of the whole solve.
    pub solve_seconds: f64,
    /// What went wrong inside a solver (an error or a crash) and what was kept instead;
    /// empty when every solver call succeeded.
    pub solver_messages: Vec<String>,
    /// The explicit wall-clock cap of the solve, seconds (`None`: budgets of work only).
    pub time_limit_seconds: Option<f64>,
    /// Whether that cap cut a phase short (then the status is `time_limit`).
    pub time_limit_bound: bool,
    /// The phases the cap cut, with what they had done of their budgets of work.
    pub budget_left: Vec<BudgetLeft>,
    /// With an understaffing cost or shift-start costs: the plan's cost terms and total
    /// ([`super::cost_terms`]); then `lower_bound_cost` and `gap` refer to the total.
    pub cost_terms: Option<super::cost_terms::CostTerms>,
}

impl SolveReport {
    /// What the plan minimises: the shift cost, plus the cost terms when priced.
    pub fn plan_cost(&self) -> f64 {
        self.cost_terms.as_ref().map_or(self.cost, |t| t.total_cost)
    }
}

/// Status of a solve: proven optimal (or no gap at all), else cut by the time limit, else
/// within the requested gap, else what the heuristics reached.
pub(super) fn status_of(
    gap: Option<f64>,
    proven: bool,
    time_limit_bound: bool,
    target: f64,
) -> SolveStatus {
    match gap {
        Some(g) if g <= 1e-9 || proven => SolveStatus::Optimal,
        _ if time_limit_bound => SolveStatus::TimeLimit,
        Some(g) if g <= target => SolveStatus::WithinGap,
        _ => SolveStatus::Heuristic,
    }
}

/// Values read back from a solved model.
pub(super) struct ModelValues {
    /// Per column of the model (see [`ShiftModel::columns`]).
    columns: Vec<f64>,
    /// Per family: first offset and break-start values (implicit model).
    breaks: Vec<(usize, Vec<f64>)>,
    /// Lower bound proven by the solver (LP: dual objective; MIP: its bound when known).
    bound: Option<f64>,
    proven: bool,
    /// `value[g][i]` of one more agent of group `g` present in `i` (LP duals), when known.
    presence_values: Option<Vec<Vec<f64>>>,
}

fn solver_error(cause: impl Into<String>) -> Error {
    Error::Solver(Diagnostic::new(
        "H2001",
        "schedule",
        cause,
        "raise --time-limit, or reduce the candidate shifts (larger start_step, narrower \
         start windows)",
    ))
}

struct Parts {
    columns: Vec<Variable>,
    break_vars: Vec<(usize, Vec<Option<Variable>>)>,
    #[cfg_attr(not(feature = "highs"), allow(dead_code))]
    objective: Expression,
    dual_rows: Vec<(usize, Vec<usize>, usize)>,
    groups: usize,
    n: usize,
}

impl Parts {
    fn of(model: &ShiftModel<'_>, groups: usize, n: usize) -> Parts {
        Parts {
            columns: model.columns.iter().map(|c| c.2).collect(),
            break_vars: model.break_vars.clone(),
            objective: model.objective.clone(),
            dual_rows: model.dual_rows.clone(),
            groups,
            n,
        }
    }

    fn read<S: Solution>(&self, solution: &S, bound: Option<f64>, proven: bool) -> ModelValues {
        ModelValues {
            columns: self.columns.iter().map(|&v| solution.value(v)).collect(),
            breaks: self
                .break_vars
                .iter()
                .map(|(t0, ys)| {
                    (
                        *t0,
                        ys.iter()
                            .map(|y| y.map_or(0.0, |y| solution.value(y)))
                            .collect(),
                    )
                })
                .collect(),
            bound,
            proven,
            presence_values: None,
        }
    }

    fn presence_values(&self, dual: impl Fn(usize) -> f64) -> Vec<Vec<f64>> {
        let mut values = vec![vec![0.0; self.n]; self.groups];
        for (row, groups, i) in &self.dual_rows {
            let d = dual(*row).abs();
            for &g in groups {
                values[g][*i] += d;
            }
        }
        values
    }
}

/// Solver of an LP relaxation.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum LpSolver {
    /// Clarabel's interior point method; `loose`: tolerances of 1e-5 (about a third fewer
    /// iterations), for instances whose bound is then recomputed exactly by pricing.
    Clarabel { loose: bool },
    /// HiGHS's interior point method and crossover.
    #[cfg(feature = "highs")]
    Highs,
}

impl LpSolver {
    fn name(&self) -> &'static str {
        match self {
            LpSolver::Clarabel { .. } => "clarabel",
            #[cfg(feature = "highs")]
            LpSolver::Highs => "highs",
        }
    }
}

/// Iterations of Clarabel's interior point method at most (its own default): a budget of
/// work, where the method converges in 20–60 on the bundled scenarios.
const LP_ITERATIONS: u32 = 200;

/// Solves the LP relaxation `model` (all variables continuous) to the end, unless the time
/// limit (`cap`) stops it first: by Clarabel's interior point method (microlp's simplex is too
/// slow on the break chains of a week), or by HiGHS's interior point method and crossover.
fn solve_lp(
    model: ShiftModel<'_>,
    solver: LpSolver,
    cap: &Cap,
    groups: usize,
    n: usize,
) -> std::result::Result<ModelValues, String> {
    super::guard::guarded("LP", || solve_lp_unguarded(model, solver, cap, groups, n))
}

fn solve_lp_unguarded(
    model: ShiftModel<'_>,
    solver: LpSolver,
    cap: &Cap,
    groups: usize,
    n: usize,
) -> std::result::Result<ModelValues, String> {
    use good_lp::solvers::{DualValues, SolutionWithDual};
    let parts = Parts::of(&model, groups, n);
    let seconds = cap.seconds_left();
    if model.rows.is_empty() {
        // Nothing to cover and no minimum: no agent is the optimum (and Clarabel needs rows).
        return Ok(ModelValues {
            columns: vec![0.0; parts.columns.len()],
            breaks: parts
                .break_vars
                .iter()
                .map(|(t0, ys)| (*t0, vec![0.0; ys.len()]))
                .collect(),
            bound: Some(0.0),
            proven: true,
            presence_values: None,
        });
    }
    match solver {
        LpSolver::Clarabel { loose } => {
            let mut problem = model
                .vars
                .minimise(model.objective)
                .using(good_lp::clarabel);
            let mut refs = Vec::with_capacity(model.rows.len());
            for row in model.rows {
                refs.push(problem.add_constraint(row.into_constraint()));
            }
            problem.settings().max_iter(LP_ITERATIONS);
            if let Some(seconds) = seconds {
                problem.settings().time_limit(seconds);
            }
            if loose {
                problem
                    .settings()
                    .tol_feas(1e-5)
                    .tol_gap_rel(1e-5)
                    .tol_gap_abs(1e-5);
            }
            let mut solution = problem.solve().map_err(|e| {
                // Clarabel reports neither its iterations nor its state when its time runs out.
                if cap.reached() {
                    cap.cut("LP relaxation", "solves", 0, 1);
                }
                e.to_string()
            })?;
            let inner = solution.inner();
            let status = format!("{:?}", inner.status);
            if status != "Solved" && status != "AlmostSolved" {
                return Err(format!("LP relaxation not solved: {:?}", inner.status));
            }
            // The dual objective bounds the LP optimum from below (up to the tolerance).
            let dual_objective = inner.obj_val_dual;
            let primal_objective = inner.obj_val;
            let bound =
                dual_objective.min(primal_objective) - 1e-7 * primal_objective.abs().max(1.0);
            let mut values = parts.read(&solution, Some(bound), true);
            let duals = solution.compute_dual();
            values.presence_values =
                Some(parts.presence_values(|row| duals.dual(refs[row].clone())));
            Ok(values)
        }
        #[cfg(feature = "highs")]
        LpSolver::Highs => {
            let mut problem = model.vars.minimise(model.objective).using(good_lp::highs);
            let mut refs = Vec::with_capacity(model.rows.len());
            for row in model.rows {
                refs.push(problem.add_constraint(row.into_constraint()));
            }
            let mut problem = problem.set_option("solver", "ipm");
            if let Some(seconds) = seconds {
                problem = problem.set_time_limit(seconds);
            }
            let mut solution = problem.solve().map_err(|e| e.to_string())?;
            if !matches!(solution.status(), good_lp::SolutionStatus::Optimal) {
                cap.cut("LP relaxation", "solves", 0, 1);
                return Err("LP relaxation stopped by the time limit".into());
            }
            let objective = parts.objective.eval_with(&solution);
            let bound = objective - 1e-7 * objective.abs().max(1.0);
            let mut values = parts.read(&solution, Some(bound), true);
            let duals = solution.compute_dual();
            values.presence_values =
                Some(parts.presence_values(|row| duals.dual(refs[row].clone())));
            Ok(values)
        }
    }
}

/// A budget of branch-and-bound work: nodes at most, and the relative gap at which the search
/// may stop earlier.
#[derive(Debug, Clone, Copy)]
pub(super) struct NodeBudget {
    /// Branch-and-bound nodes at most (the root relaxation does not count).
    pub nodes: u64,
    /// Relative gap (cost − bound) / cost at which the search stops.
    pub gap: f64,
}

/// Solves the MIP `model` with `backend` within `budget`, started from `start`: microlp with
/// its node limit (deterministic), or HiGHS with its own (`mip_max_nodes`); the time limit
/// (`cap`) only as a safety cap, recorded when it stops the search.
fn solve_mip(
    model: ShiftModel<'_>,
    backend: Backend,
    budget: NodeBudget,
    cap: &Cap,
    start: Vec<(Variable, f64)>,
    groups: usize,
    n: usize,
) -> std::result::Result<ModelValues, String> {
    match backend {
        Backend::Microlp => solve_mip_nodes(model, budget, (cap, "MIP"), start, groups, n),
        #[cfg(feature = "highs")]
        Backend::Highs => super::guard::guarded("MIP", || {
            solve_mip_highs(model, budget, cap, start, groups, n)
        }),
    }
}

#[cfg(feature = "highs")]
fn solve_mip_highs(
    model: ShiftModel<'_>,
    budget: NodeBudget,
    cap: &Cap,
    start: Vec<(Variable, f64)>,
    groups: usize,
    n: usize,
) -> std::result::Result<ModelValues, String> {
    let parts = Parts::of(&model, groups, n);
    let mut problem = model.vars.minimise(model.objective).using(good_lp::highs);
    for row in model.rows {
        problem.add_constraint(row.into_constraint());
    }
    let nodes = i32::try_from(budget.nodes).unwrap_or(i32::MAX);
    let mut problem = problem
        .set_option("mip_max_nodes", nodes)
        .with_mip_gap(budget.gap as f32)
        .map_err(|e| format!("invalid gap: {e}"))?
        .with_initial_solution(start);
    if let Some(seconds) = cap.seconds_left() {
        problem = problem.with_time_limit(seconds);
    }
    let solution = problem.solve().map_err(|e| e.to_string())?;
    let objective = parts.objective.eval_with(&solution);
    // HiGHS guarantees its relative gap (cost − bound) / cost on the status it reports.
    let (proven, bound) = match solution.status() {
        good_lp::SolutionStatus::Optimal => (true, Some(objective)),
        good_lp::SolutionStatus::GapLimit => (false, Some(objective * (1.0 - budget.gap))),
        // The node budget ends the search with this status too; the cap only when reached.
        good_lp::SolutionStatus::TimeLimit => {
            if cap.reached() {
                cap.cut("MIP", "nodes", 0, budget.nodes);
            }
            (false, None)
        }
    };
    Ok(parts.read(&solution, bound, proven))
}

/// A microlp solution read through good_lp's [`Solution`] trait.
struct NodeLimitedSolution {
    solution: microlp::Solution,
    index: HashMap<Variable, microlp::Variable>,
    proven: bool,
}

impl Solution for NodeLimitedSolution {
    fn status(&self) -> good_lp::SolutionStatus {
        if self.proven {
            good_lp::SolutionStatus::Optimal
        } else {
            good_lp::SolutionStatus::TimeLimit
        }
    }

    fn value(&self, variable: Variable) -> f64 {
        self.index
            .get(&variable)
            .map_or(0.0, |&v| self.solution.var_value(v))
    }
}

/// The MIP on microlp with a budget of branch-and-bound nodes (deterministic, unlike a time
/// limit; the time limit `cap` is only a safety cap, recorded under `phase` when it stops the
/// search). `start` seeds the incumbent. The bound is microlp's best bound when the budget
/// ends the search (deterministic too).
pub(super) fn solve_mip_nodes(
    model: ShiftModel<'_>,
    budget: NodeBudget,
    (cap, phase): (&Cap, &str),
    start: Vec<(Variable, f64)>,
    groups: usize,
    n: usize,
) -> std::result::Result<ModelValues, String> {
    super::guard::guarded("MIP", || {
        let parts = Parts::of(&model, groups, n);
        let mut problem = microlp::Problem::new(microlp::OptimizationDirection::Minimize);
        let objective: HashMap<Variable, f64> =
            good_lp::IntoAffineExpression::linear_coefficients(&model.objective).collect();
        let mut index = HashMap::with_capacity(model.var_defs.len());
        for &(v, integer, max) in &model.var_defs {
            let coefficient = objective.get(&v).copied().unwrap_or(0.0);
            let var = if integer {
                let max = max.map_or(i32::MAX, |m| {
                    m.floor().clamp(0.0, f64::from(i32::MAX)) as i32
                });
                problem.add_integer_var(coefficient, (0, max))
            } else {
                problem.add_var(coefficient, (0.0, max.unwrap_or(f64::INFINITY)))
            };
            index.insert(v, var);
        }
        for row in &model.rows {
            let expression: microlp::LinearExpr =
                good_lp::IntoAffineExpression::linear_coefficients(&row.expression)
                    .map(|(v, c)| (index[&v], c))
                    .collect();
            let op = match row.sense {
                Sense::Eq => microlp::ComparisonOp::Eq,
                Sense::Le => microlp::ComparisonOp::Le,
                Sense::Ge => microlp::ComparisonOp::Ge,
            };
            problem.add_constraint(
                expression,
                op,
                row.rhs - good_lp::IntoAffineExpression::constant(&row.expression),
            );
        }
        let mut options = microlp::SolveOptions::default();
        options.node_limit = Some(budget.nodes);
        options.mip_gap = budget.gap;
        options.time_limit = cap.seconds_left().map(Duration::from_secs_f64);
        options.warm_start = Some(
            start
                .iter()
                .filter_map(|(v, value)| index.get(v).map(|&m| (m, *value)))
                .collect(),
        );
        let outcome = problem.solve_with(options).map_err(|e| e.to_string())?;
        let stats = outcome.stats();
        if outcome.termination_reason() == microlp::TerminationReason::TimeLimit {
            cap.cut(phase, "nodes", stats.nodes_solved, budget.nodes);
        }
        let proven = outcome.is_optimal();
        let solution = outcome
            .into_solution()
            .map_err(|_| "no integer solution within the node budget".to_string())?;
        let solution = NodeLimitedSolution {
            solution,
            index,
            proven,
        };
        Ok(parts.read(&solution, stats.best_bound, proven))
    })
}

/// Agents of an explicit (pattern) model's integer solution.
fn pattern_agents(
    model_columns: &[(usize, Option<Vec<usize>>)],
    values: &[f64],
) -> Vec<AgentShift> {
    let mut agents = Vec::new();
    for ((c, breaks), &value) in model_columns.iter().zip(values) {
        let count = value.round().max(0.0) as usize;
        for _ in 0..count {
            agents.push(AgentShift {
                candidate: *c,
                break_offsets: breaks.clone().unwrap_or_default(),
            });
        }
    }
    agents.sort();
    agents
}

/// Break patterns used by a fractional implicit solution: breaks served first-come-first-
/// served per family with fractional agents, then the k-th quantiles of each break paired.
fn lp_patterns(inst: &Instance<'_>, values: &ModelValues) -> Vec<(usize, Vec<usize>)> {
    let templates = inst.input.rules.templates.len();
    let mut family_of = vec![Vec::new(); templates];
    for (f, family) in inst.families.iter().enumerate() {
        family_of[family.template].push(f);
    }
    // served[c][k]: (break start, amount).
    let mut served: Vec<Vec<Vec<(usize, f64)>>> = inst
        .candidates
        .iter()
        .map(|c| vec![Vec::new(); family_of[c.template].len()])
        .collect();
    for (f, family) in inst.families.iter().enumerate() {
        let (t0, ys) = &values.breaks[f];
        let mut members = family.members.clone();
        members.sort_by_key(|&c| (inst.candidates[c].start_offset, c));
        let mut next = 0;
        let mut waiting: VecDeque<(usize, f64)> = VecDeque::new();
        for (slot, &y) in ys.iter().enumerate() {
            let t = t0 + slot;
            while next < members.len()
                && inst.candidates[members[next]].start_offset + family.earliest <= t
            {
                let c = members[next];
                if values.columns[c] > 1e-7 {
                    waiting.push_back((c, values.columns[c]));
                }
                next += 1;
            }
            let mut left = y;
            while left > 1e-7 {
                let Some(front) = waiting.front_mut() else {
                    break;
                };
                let take = front.1.min(left);
                served[front.0][family.break_index].push((t, take));
                front.1 -= take;
                left -= take;
                if front.1 <= 1e-7 {
                    waiting.pop_front();
                }
            }
        }
    }
    let mut patterns = Vec::new();
    for (c, lists) in served.iter().enumerate() {
        if values.columns[c] <= 1e-7 {
            continue;
        }
        if lists.is_empty() {
            patterns.push((c, Vec::new()));
            continue;
        }
        // Walk the break lists together by cumulative amount.
        let mut position = vec![0usize; lists.len()];
        let mut left: Vec<f64> = lists
            .iter()
            .map(|l| l.first().map_or(0.0, |p| p.1))
            .collect();
        loop {
            if lists
                .iter()
                .enumerate()
                .any(|(k, l)| position[k] >= l.len())
            {
                break;
            }
            let pattern: Vec<usize> = lists
                .iter()
                .enumerate()
                .map(|(k, l)| l[position[k]].0)
                .collect();
            patterns.push((c, pattern));
            let step = left.iter().copied().fold(f64::INFINITY, f64::min);
            for k in 0..lists.len() {
                left[k] -= step;
                if left[k] <= 1e-7 {
                    position[k] += 1;
                    left[k] = lists[k].get(position[k]).map_or(0.0, |p| p.1);
                }
            }
        }
    }
    patterns
}

/// For candidate `c`, each break at the start where the LP values presence least.
fn cheapest_pattern(inst: &Instance<'_>, c: usize, value: &[Vec<f64>]) -> Vec<usize> {
    let candidate = &inst.candidates[c];
    let template = &inst.input.rules.templates[candidate.template];
    let g = template.skill_group;
    let minutes = inst.interval_minutes as usize;
    template
        .breaks
        .iter()
        .map(|rule| {
            let s = candidate.start_offset;
            let first = s + rule.earliest_minutes as usize / minutes;
            let last = s + rule.latest_minutes as usize / minutes;
            let mut best = (first, f64::INFINITY);
            for t in first..=last {
                let loss: f64 = inst
                    .break_shares(rule.duration_minutes, t)
                    .iter()
                    .map(|&(i, share)| value[g][i] * share)
                    .sum();
                if loss < best.1 - 1e-9 {
                    best = (t, loss);
                }
            }
            best.0
        })
        .collect()
}

/// Every break pattern of candidate `c`, when there are at most `limit`.
fn all_patterns(inst: &Instance<'_>, c: usize, limit: usize) -> Option<Vec<Vec<usize>>> {
    let candidate = &inst.candidates[c];
    let template = &inst.input.rules.templates[candidate.template];
    let minutes = inst.interval_minutes as usize;
    let mut patterns: Vec<Vec<usize>> = vec![Vec::new()];
    for rule in &template.breaks {
        let s = candidate.start_offset;
        let first = s + rule.earliest_minutes as usize / minutes;
        let last = s + rule.latest_minutes as usize / minutes;
        let mut next = Vec::new();
        for pattern in &patterns {
            for t in first..=last {
                let mut p = pattern.clone();
                p.push(t);
                next.push(p);
                if next.len() > limit {
                    return None;
                }
            }
        }
        patterns = next;
    }
    Some(patterns)
}

/// Agents with concrete breaks from integer solver values (first-come-first-served per
/// family).
pub(super) fn disaggregate(inst: &Instance<'_>, values: &ModelValues) -> Vec<AgentShift> {
    let counts: Vec<usize> = values
        .columns
        .iter()
        .map(|v| v.round().max(0.0) as usize)
        .collect();
    let templates = inst.input.rules.templates.len();
    let mut family_of = vec![Vec::new(); templates];
    for (f, family) in inst.families.iter().enumerate() {
        family_of[family.template].push(f);
    }
    // breaks_of[c][k]: break-k starts handed to candidate c's agents.
    let mut breaks_of: Vec<Vec<Vec<usize>>> = inst
        .candidates
        .iter()
        .map(|c| vec![Vec::new(); family_of[c.template].len()])
        .collect();
    for (f, family) in inst.families.iter().enumerate() {
        let k = family.break_index;
        let (t0, ys) = &values.breaks[f];
        let mut members = family.members.clone();
        members.sort_by_key(|&c| (inst.candidates[c].start_offset, c));
        let mut next_member = 0;
        let mut waiting: VecDeque<usize> = VecDeque::new();
        for (slot, y) in ys.iter().enumerate() {
            let t = t0 + slot;
            while next_member < members.len()
                && inst.candidates[members[next_member]].start_offset + family.earliest <= t
            {
                let c = members[next_member];
                waiting.extend(std::iter::repeat_n(c, counts[c]));
                next_member += 1;
            }
            let take = y.round().max(0.0) as usize;
            for _ in 0..take {
                match waiting.pop_front() {
                    Some(c) => breaks_of[c][k].push(t),
                    None => break,
                }
            }
        }
        // Numerical leftovers (never with consistent values): earliest allowed start.
        while next_member < members.len() {
            let c = members[next_member];
            waiting.extend(std::iter::repeat_n(c, counts[c]));
            next_member += 1;
        }
        for c in waiting {
            let start = inst.candidates[c].start_offset + family.earliest;
            breaks_of[c][k].push(start);
        }
    }
    let mut agents = Vec::new();
    for (c, &count) in counts.iter().enumerate() {
        let mut lists = breaks_of[c].clone();
        for list in &mut lists {
            list.sort_unstable();
        }
        for j in 0..count {
            agents.push(AgentShift {
                candidate: c,
                break_offsets: lists.iter().map(|l| l[j.min(l.len() - 1)]).collect(),
            });
        }
    }
    agents.sort();
    agents
}

/// Cost and coverable understaffing (agent-intervals) of a schedule.
pub(super) fn score(inst: &Instance<'_>, agents: &[AgentShift]) -> (f64, f64) {
    let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
    let coverage = evaluate(inst.input, &inst.candidates, agents);
    (cost, hard_understaffing(inst, &coverage))
}

/// Understaffing (agent-intervals) of `coverage` that the objective penalises: where some
/// shift could cover it, on queues without an understaffing cost of their own (that shortfall
/// is a cost term, not a penalty).
pub(super) fn hard_understaffing(inst: &Instance<'_>, coverage: &super::Coverage) -> f64 {
    let mut under = 0.0;
    for (q, row) in coverage.shortfall.iter().enumerate() {
        if inst
            .input
            .understaffing_cost
            .get(q)
            .copied()
            .flatten()
            .is_some()
        {
            continue;
        }
        for (i, &s) in row.iter().enumerate() {
            if inst.coverable[q][i] {
                under += s;
            }
        }
    }
    under
}

/// Schedules `input`: LP bound, rounding with repair, and (with [`Method::Mip`]) the MIP.
///
/// Independent parts (skill groups that share no queue) are scheduled on their own, in
/// parallel, and a group serving several queues alone against their summed requirement; see
/// `schedule::parts`.
pub fn schedule(input: &ScheduleInput<'_>, options: &ScheduleOptions) -> Result<Schedule> {
    check_input(input)?;
    if input.goals.is_some_and(|g| g.any()) {
        return super::goals::schedule_for_goals(input, options);
    }
    if input.has_cost_terms() {
        return super::cost_terms::schedule_with_cost_terms(input, options);
    }
    // One cap for the whole solve: a part that waits for a free core does not get a fresh
    // time limit of its own.
    let cap = Cap::new(options.time_limit);
    match split(input) {
        Some(parts) if options.method != Method::ImplicitMip => {
            schedule_parts(input, &parts, options, &cap)
        }
        _ => schedule_whole(input, options, &cap, true),
    }
}

fn check_input(input: &ScheduleInput<'_>) -> Result<()> {
    if input.rules.templates.is_empty() {
        return Err(Error::input(
            "H1001",
            "[[shift]]",
            "the scenario defines no shift templates",
            "add at least one [[shift]] with name, length and start_window",
        ));
    }
    let n = input.horizon.len();
    if input.required.len() != input.queues.len() || input.required.iter().any(|r| r.len() != n) {
        return Err(Error::input(
            "H2002",
            "requirements",
            format!(
                "the requirement has {} queues of {:?} intervals; the plan has {} queues of {n}",
                input.required.len(),
                input.required.iter().map(Vec::len).collect::<Vec<_>>(),
                input.queues.len()
            ),
            "give one requirement per queue and interval",
        ));
    }
    Ok(())
}

/// Schedules the parts of an instance in parallel and joins their schedules and figures.
fn schedule_parts(
    input: &ScheduleInput<'_>,
    parts: &[Part],
    options: &ScheduleOptions,
    cap: &Cap,
) -> Result<Schedule> {
    use rayon::prelude::*;
    let started = Instant::now();
    let label = |part: &Part| -> String {
        let groups: Vec<&str> = part
            .rules
            .skill_groups
            .iter()
            .map(|g| g.id.as_str())
            .collect();
        format!("group {}", groups.join("+"))
    };
    // Parts in parallel, collected in input order: each part's schedule depends on its own
    // input and budgets only, not on the threads or on which finishes first.
    let results: Vec<Result<Schedule>> = parts
        .par_iter()
        .map(|part| {
            schedule_whole(
                &part.input(input),
                options,
                &cap.for_part(&label(part)),
                false,
            )
        })
        .collect();
    let mut plans = results.into_iter().collect::<Result<Vec<Schedule>>>()?;
    // Then the window re-optimisation part by part, each with both cores (windows run side
    // by side) and its own budget of windows. Presence windows (when asked for) are shared
    // by a deterministic count: each part's share of the total cost.
    let weight = |plan: &Schedule| plan.report.cost.max(1.0);
    let mut weight_left: f64 = plans.iter().map(weight).sum();
    let mut presence_left = options.presence_windows;
    for (part, plan) in parts.iter().zip(&mut plans) {
        let part_weight = weight(plan);
        let fraction = (part_weight / weight_left.max(1.0)).clamp(0.0, 1.0);
        weight_left -= part_weight;
        let presence_windows = ((presence_left as f64) * fraction).round() as usize;
        presence_left -= presence_windows.min(presence_left);
        if plan.report.source != "local_search" {
            continue;
        }
        let part_input = part.input(input);
        let part_inst = Instance::new(&part_input);
        let window_started = Instant::now();
        let bound = plan.report.lower_bound_cost;
        plan.agents = reoptimise_windows(
            &part_inst,
            &plan.agents,
            &[],
            (bound, options.gap),
            presence_windows,
            &cap.for_part(&label(part)),
        );
        let (cost, under) = score(&part_inst, &plan.agents);
        plan.report.cost = cost;
        plan.report.mip_cost = Some(cost);
        plan.report.gap =
            bound.map(|b| relative_gap(objective(&part_inst, (cost, under)), b, cost));
        plan.report.mip_seconds += window_started.elapsed().as_secs_f64();
    }
    let inst = Instance::new(input);
    let mut agents = Vec::new();
    let mut reports = Vec::with_capacity(parts.len());
    for (part, plan) in parts.iter().zip(plans) {
        agents.extend(map_agents(
            part,
            &plan.candidates,
            &plan.agents,
            &inst.candidates,
        ));
        reports.push(plan.report);
    }
    agents.sort();
    let (cost, under) = score(&inst, &agents);
    let sum = |f: fn(&SolveReport) -> f64| reports.iter().map(f).sum::<f64>();
    let lower_bound_cost = reports
        .iter()
        .map(|r| r.lower_bound_cost)
        .sum::<Option<f64>>()
        .map(|b| b.min(cost));
    let gap = lower_bound_cost.map(|b| relative_gap(cost, b, cost));
    let all_optimal = reports.iter().all(|r| r.status == SolveStatus::Optimal);
    let status = status_of(gap, all_optimal, cap.bound(), options.gap);
    let mut sources: Vec<&str> = reports.iter().map(|r| r.source.as_str()).collect();
    sources.dedup();
    let coverage = evaluate(input, &inst.candidates, &agents);
    let shortfall = explain_shortfall(&inst, &agents, &coverage, status);
    let report = SolveReport {
        solver: options.backend.name().to_string(),
        lp_solver: options.backend.lp_solver().to_string(),
        method: options.method.name().to_string(),
        status,
        cost,
        lower_bound_cost,
        gap,
        // Each part weighs understaffing with its own penalty: no one objective.
        objective_bound: None,
        penalty: inst.penalty,
        understaffed: under,
        gap_target: options.gap,
        rounding_cost: sum(|r| r.rounding_cost),
        mip_cost: reports
            .iter()
            .any(|r| r.mip_cost.is_some())
            .then(|| reports.iter().map(|r| r.mip_cost.unwrap_or(r.cost)).sum()),
        source: sources.join("+"),
        candidate_shifts: inst.candidates.len(),
        variables: reports.iter().map(|r| r.variables).sum(),
        constraints: reports.iter().map(|r| r.constraints).sum(),
        solver_messages: reports
            .iter()
            .flat_map(|r| r.solver_messages.iter().cloned())
            .collect(),
        lp_seconds: sum(|r| r.lp_seconds),
        rounding_seconds: sum(|r| r.rounding_seconds),
        mip_seconds: sum(|r| r.mip_seconds),
        solve_seconds: started.elapsed().as_secs_f64(),
        time_limit_seconds: options.time_limit.map(|l| l.as_secs_f64()),
        time_limit_bound: cap.bound(),
        budget_left: cap.cuts(),
        cost_terms: None,
    };
    Ok(Schedule {
        candidates: inst.candidates.clone(),
        agents,
        coverage,
        report,
        shortfall,
        required: None,
    })
}

/// Schedules one instance as a whole, within its budgets of work (and the time limit `cap`,
/// when there is one); `windows`: with the window re-optimisation after a local search (the
/// caller runs it otherwise).
fn schedule_whole(
    input: &ScheduleInput<'_>,
    options: &ScheduleOptions,
    cap: &Cap,
    windows: bool,
) -> Result<Schedule> {
    let started = Instant::now();
    check_input(input)?;
    let progress = |phase: &str| {
        if let Some(p) = &options.progress {
            p.set(phase);
        }
    };
    let inst = Instance::new(input);
    let backend = options.backend;
    let groups = inst.group_queues.len();

    progress("LP relaxation (lower bound)");
    let lp_started = Instant::now();
    let lp_model = ShiftModel::build(&inst, false);
    let (variables, constraints) = lp_model.size();
    // One group on one queue without limits: the bound is recomputed by pricing the LP's
    // duals (below), so the LP may stop at looser tolerances, and Clarabel is the faster
    // interior point method on these models with either backend.
    let priced = search::applies(&inst) && !has_limits(&inst);
    let lp_solver = match backend {
        _ if priced => LpSolver::Clarabel { loose: true },
        Backend::Microlp => LpSolver::Clarabel { loose: false },
        #[cfg(feature = "highs")]
        Backend::Highs => LpSolver::Highs,
    };
    let mut solver_messages: Vec<String> = Vec::new();
    let lp = match solve_lp(lp_model, lp_solver, cap, groups, inst.n) {
        Ok(mut values) => {
            if priced {
                let exact = values
                    .presence_values
                    .as_ref()
                    .and_then(|value| pricing_bound(&inst, &value[0]));
                values.bound = match (exact, values.bound) {
                    (Some(b), _) => Some(b),
                    // Nothing to cover: the empty model's bound 0 is exact.
                    (None, Some(0.0)) => Some(0.0),
                    // Looser tolerances: a wider margin on the dual objective.
                    (None, Some(b)) => Some(b - 1e-4 * b.abs().max(1.0)),
                    (None, None) => None,
                };
            }
            Some(values)
        }
        Err(cause) if cause.to_ascii_lowercase().contains("infeasible") => {
            return Err(solver_error(format!(
                "the scheduling limits contradict each other (the LP relaxation is infeasible: \
                 {cause}); check min_agents against max_agents and max_headcount_per_day"
            )));
        }
        Err(cause) => {
            solver_messages.push(format!(
                "the LP relaxation failed: {cause}; there is no lower bound, and the plan is \
                 the repaired rounding of an empty start"
            ));
            None
        }
    };
    let lp_seconds = lp_started.elapsed().as_secs_f64();
    // Under the workforce's supply the LP has already shared its capacity out between skill
    // groups and days; the integer phases keep to that sharing (each group's shifts on a day at
    // most one above the LP's), so that no day takes the capacity another needs. The bound
    // above is the LP's without these guides.
    let mut inst = inst;
    if !inst.supply_limits.is_empty()
        && let Some(values) = &lp
    {
        inst.add_lp_guides(&values.columns);
    }
    let inst = inst;

    progress("LP rounding and repair");
    let rounding_started = Instant::now();
    let zero = vec![0.0; inst.candidates.len()];
    let lp_x = lp.as_ref().map_or(&zero, |v| &v.columns);
    // Large single-group instances: the LP's cumulative rounding (close to the LP's cost)
    // starts the weighted local search; its repaired form is the rounding schedule.
    let search_start = match &lp {
        Some(values)
            if search::applies(&inst)
                && (options.method == Method::Search
                    || (options.method == Method::Mip && !all_patterns_fit(&inst))) =>
        {
            Some(search::lp_start(&inst, &values.columns, &values.breaks))
        }
        _ => None,
    };
    let mut best;
    let mut best_score;
    if let Some(start) = &search_start {
        best = repaired(&inst, start);
        best_score = score(&inst, &best);
    } else {
        best = round_and_repair(&inst, lp_x, Rounding::Up, cap);
        best_score = score(&inst, &best);
        if lp.is_some() {
            let down = round_and_repair(&inst, lp_x, Rounding::Down, cap);
            let down_score = score(&inst, &down);
            if objective(&inst, down_score) < objective(&inst, best_score) - 1e-9 {
                best = down;
                best_score = down_score;
            }
        }
    }
    let rounding_cost = best_score.0;
    let rounding_seconds = rounding_started.elapsed().as_secs_f64();
    let mut source = "rounding";

    let mut bound_total = lp.as_ref().and_then(|v| v.bound);
    let gap_of = |bound: Option<f64>, score: (f64, f64)| -> Option<f64> {
        bound.map(|b| relative_gap(objective(&inst, score), b, score.0))
    };

    let mut mip_cost = None;
    let mut mip_seconds = 0.0;
    let mut proven = false;
    let needs_mip = options.method != Method::Rounding
        && gap_of(bound_total, best_score).is_none_or(|g| g > options.gap)
        && !cap.stops("integer phase", "solves", 0, 1);
    if needs_mip {
        progress("MIP search");
        let mip_started = Instant::now();
        let (patterns, complete) = candidate_patterns(&inst, lp.as_ref(), &best);
        let result = if options.method == Method::ImplicitMip {
            let model = ShiftModel::build(&inst, true);
            let start = model.start_values(&best);
            let budget = NodeBudget {
                nodes: mip_nodes(model.rows.len(), options.mip_node_factor),
                gap: options.gap,
            };
            solve_mip(model, backend, budget, cap, start, groups, inst.n).map(|values| {
                (
                    disaggregate(&inst, &values),
                    values.proven,
                    values.bound,
                    "mip",
                )
            })
        } else if let Some(start) = &search_start {
            // Too many break patterns for the exact MIP: weighted local search from the
            // LP's rounding, a fixed number of moves per interval (deterministic).
            progress("weighted local search");
            let mix = template_mix(&inst, lp_x);
            let moves = SEARCH_MOVES_PER_INTERVAL * inst.n as u64;
            // Two searches from different seeds, one per core; the better one is kept (ties:
            // the first), so the result does not depend on which finishes first.
            let run = |seed: u64| {
                let agents = WeightedSearch::new(&inst, start, &mix)
                    .run(SearchSettings { moves, seed }, cap);
                let agents = search::descend(&inst, &agents, &mix, cap);
                let value = objective(&inst, score(&inst, &agents));
                (value, agents)
            };
            // Searches from a fixed list of seeds, in parallel; the best is kept, ties to the
            // earlier seed, so the result does not depend on the number of threads.
            use rayon::prelude::*;
            let results: Vec<(f64, Vec<AgentShift>)> =
                SEARCH_SEEDS.par_iter().map(|&seed| run(seed)).collect();
            let mut pick = 0;
            for (k, result) in results.iter().enumerate() {
                if result.0 < results[pick].0 - 1e-9 {
                    pick = k;
                }
            }
            let agents = results
                .into_iter()
                .nth(pick)
                .map(|r| r.1)
                .unwrap_or_default();
            // Then whole windows of the week re-planned exactly, while time and the gap allow.
            // Window sub-instances know nothing of what the kept agents use of the workforce's
            // supply: no windows under it.
            let agents = if windows && inst.supply_limits.is_empty() {
                progress("window re-optimisation");
                reoptimise_windows(
                    &inst,
                    &agents,
                    lp_x,
                    (bound_total, options.gap),
                    options.presence_windows,
                    cap,
                )
            } else {
                agents
            };
            Ok((agents, false, None, "local_search"))
        } else if complete {
            let model = ShiftModel::build_patterns(&inst, &patterns, true);
            let columns: Vec<(usize, Option<Vec<usize>>)> = model
                .columns
                .iter()
                .map(|(c, b, _)| (*c, b.clone()))
                .collect();
            let start = model.start_values(&best);
            let budget = NodeBudget {
                nodes: mip_nodes(model.rows.len(), options.mip_node_factor),
                gap: options.gap,
            };
            solve_mip(model, backend, budget, cap, start, groups, inst.n).map(|values| {
                (
                    pattern_agents(&columns, &values.columns),
                    values.proven,
                    values.bound,
                    "mip",
                )
            })
        } else {
            // Too many break patterns for the exact MIP to finish: improve the rounding by
            // ruin and recreate, a fixed number of rounds (deterministic).
            progress("ruin and recreate");
            let target = bound_total.map_or(0.0, |b| b / (1.0 - options.gap).max(1e-9));
            let agents = ruin_and_recreate(&inst, &best, RUIN_ROUNDS, 0x5eed_5eed, target, cap);
            Ok((agents, false, None, "ruin_and_recreate"))
        };
        if let Err(cause) = &result {
            solver_messages.push(format!(
                "the MIP failed: {cause}; the best plan found before it (the repaired LP \
                 rounding) is kept"
            ));
        }
        if let Ok((agents, solver_proven, mip_bound, produced_by)) = result {
            let exact = complete || options.method == Method::ImplicitMip;
            // The MIP's own bound holds for the whole problem when its model is exact.
            if exact && let Some(b) = mip_bound {
                bound_total = Some(bound_total.map_or(b, |lp| lp.max(b)));
            }
            let agents = polish(&inst, &agents, cap);
            let mip_score = score(&inst, &agents);
            mip_cost = Some(mip_score.0);
            if objective(&inst, mip_score) <= objective(&inst, best_score) + 1e-9 {
                proven = solver_proven && exact;
                best = agents;
                best_score = mip_score;
                source = produced_by;
            }
        }
        mip_seconds = mip_started.elapsed().as_secs_f64();
    }

    progress("writing");
    let (cost, under) = best_score;
    let lower_bound_cost = bound_total.map(|b| (b - inst.penalty * under).min(cost));
    let gap = gap_of(bound_total, best_score);
    let status = status_of(gap, proven, cap.bound(), options.gap);
    let coverage = evaluate(input, &inst.candidates, &best);
    let shortfall = explain_shortfall(&inst, &best, &coverage, status);
    let report = SolveReport {
        solver: backend.name().to_string(),
        lp_solver: lp_solver.name().to_string(),
        method: options.method.name().to_string(),
        status,
        cost,
        lower_bound_cost,
        gap,
        objective_bound: bound_total,
        penalty: inst.penalty,
        understaffed: under,
        gap_target: options.gap,
        rounding_cost,
        mip_cost,
        source: source.to_string(),
        candidate_shifts: inst.candidates.len(),
        variables,
        constraints,
        lp_seconds,
        rounding_seconds,
        mip_seconds,
        solve_seconds: started.elapsed().as_secs_f64(),
        solver_messages,
        time_limit_seconds: options.time_limit.map(|l| l.as_secs_f64()),
        time_limit_bound: cap.bound(),
        budget_left: cap.cuts(),
        cost_terms: None,
    };
    Ok(Schedule {
        candidates: inst.candidates.clone(),
        agents: best,
        coverage,
        report,
        shortfall,
        required: None,
    })
}

/// The model's objective of a schedule: cost plus the understaffing penalty.
pub(super) fn objective(inst: &Instance<'_>, (cost, under): (f64, f64)) -> f64 {
    cost + inst.penalty * under
}

/// (objective − bound) / cost, at least zero.
pub(super) fn relative_gap(objective: f64, bound: f64, cost: f64) -> f64 {
    let difference = (objective - bound).max(0.0);
    if difference <= 1e-9 * objective.abs().max(1.0) {
        0.0
    } else if cost > 0.0 {
        difference / cost
    } else {
        f64::INFINITY
    }
}
