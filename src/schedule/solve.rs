//! Solving: the LP relaxation first (its value is the lower bound), then an integer schedule by
//! LP rounding with repair (always), and by the MIP with a time limit and relative gap, started
//! from the repaired rounding. The better of the two is kept.
//!
//! Break disaggregation: the solver gives agents per shift and break starts per family; the
//! agents of a family are served first-come-first-served (ascending shift start), each taking
//! the earliest break start still available. The backlog constraints of the model are exactly
//! the conditions under which this never hands an agent a break outside its window.

use std::collections::VecDeque;
use std::time::{Duration, Instant};

use good_lp::{
    Expression, Solution, SolverModel, Variable, WithInitialSolution, WithMipGap, WithTimeLimit,
};
use serde::Serialize;

use super::explain::explain_shortfall;
use super::instance::Instance;
use super::model::ShiftModel;
use super::repair::{Rounding, polish, round_and_repair};
use super::{AgentShift, Schedule, ScheduleInput, ScheduleOptions, evaluate};
use crate::error::{Diagnostic, Error, Result};

/// LP/MIP backend.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Backend {
    /// microlp: pure Rust, always available.
    #[cfg_attr(not(feature = "highs"), default)]
    Microlp,
    /// HiGHS (cargo feature `highs`).
    #[cfg(feature = "highs")]
    #[default]
    Highs,
}

impl Backend {
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
    /// LP bound, rounding with repair, then the MIP from there.
    #[default]
    Mip,
    /// LP bound and rounding with repair only.
    Rounding,
}

/// How the solve ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SolveStatus {
    /// No cheaper schedule exists (gap zero, or proven by the MIP).
    Optimal,
    /// Within the requested gap of the lower bound.
    WithinGap,
    /// The time limit ended the search above the requested gap.
    TimeLimit,
    /// Rounding only, above the requested gap.
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
    /// Backend name.
    pub solver: String,
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
}

/// Values read back from a solved model.
struct ModelValues {
    shifts: Vec<f64>,
    /// Per family: first offset and break-start values.
    breaks: Vec<(usize, Vec<f64>)>,
    objective: f64,
    proven: bool,
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

fn read_values<S: Solution>(model_parts: &Parts, solution: &S, proven: bool) -> ModelValues {
    let shifts = model_parts
        .shift_vars
        .iter()
        .map(|&v| solution.value(v))
        .collect();
    let breaks = model_parts
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
        .collect();
    ModelValues {
        shifts,
        breaks,
        objective: model_parts.objective.eval_with(solution),
        proven,
    }
}

struct Parts {
    shift_vars: Vec<Variable>,
    break_vars: Vec<(usize, Vec<Option<Variable>>)>,
    objective: Expression,
}

/// Solves `model` with `backend` within `seconds`; `gap` and `start` for the MIP.
fn solve_model(
    model: ShiftModel<'_>,
    backend: Backend,
    seconds: f64,
    gap: Option<f64>,
    start: Option<Vec<(Variable, f64)>>,
) -> std::result::Result<ModelValues, String> {
    let parts = Parts {
        shift_vars: model.shift_vars.clone(),
        break_vars: model.break_vars.clone(),
        objective: model.objective.clone(),
    };
    let seconds = seconds.max(0.01);
    match backend {
        Backend::Microlp => {
            let mut problem = model.vars.minimise(model.objective).using(good_lp::microlp);
            for constraint in model.constraints {
                problem.add_constraint(constraint);
            }
            let mut problem = problem.with_time_limit(seconds);
            if let Some(gap) = gap {
                problem = problem
                    .with_mip_gap(gap as f32)
                    .map_err(|e| format!("invalid gap: {e}"))?;
            }
            if let Some(start) = start {
                problem = problem.with_initial_solution(start);
            }
            let solution = problem.solve().map_err(|e| e.to_string())?;
            let proven = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
            Ok(read_values(&parts, &solution, proven))
        }
        #[cfg(feature = "highs")]
        Backend::Highs => {
            let mut problem = model.vars.minimise(model.objective).using(good_lp::highs);
            for constraint in model.constraints {
                problem.add_constraint(constraint);
            }
            if let Ok(s) = std::env::var("HIGHS_SOLVER") {
                problem = problem.set_option("solver", s.as_str());
            }
            if std::env::var("HIGHS_VERBOSE").is_ok() {
                problem.set_verbose(true);
            }
            let mut problem = problem.with_time_limit(seconds);
            if let Some(gap) = gap {
                problem = problem
                    .with_mip_gap(gap as f32)
                    .map_err(|e| format!("invalid gap: {e}"))?;
            }
            if let Some(start) = start {
                problem = problem.with_initial_solution(start);
            }
            let solution = problem.solve().map_err(|e| e.to_string())?;
            let proven = matches!(solution.status(), good_lp::SolutionStatus::Optimal);
            Ok(read_values(&parts, &solution, proven))
        }
    }
}

/// Agents with concrete breaks from integer solver values (first-come-first-served per
/// family).
fn disaggregate(inst: &Instance<'_>, values: &ModelValues) -> Vec<AgentShift> {
    let counts: Vec<usize> = values
        .shifts
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
fn score(inst: &Instance<'_>, agents: &[AgentShift]) -> (f64, f64) {
    let cost: f64 = agents.iter().map(|a| inst.cost[a.candidate]).sum();
    let coverage = evaluate(inst.input, &inst.candidates, agents);
    let mut under = 0.0;
    for (q, row) in coverage.shortfall.iter().enumerate() {
        for (i, &s) in row.iter().enumerate() {
            if inst.coverable[q][i] {
                under += s;
            }
        }
    }
    (cost, under)
}

/// Schedules `input`: LP bound, rounding with repair, and (with [`Method::Mip`]) the MIP.
pub fn schedule(input: &ScheduleInput<'_>, options: &ScheduleOptions) -> Result<Schedule> {
    let started = Instant::now();
    let deadline = started + options.time_limit;
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
    let progress = |phase: &str| {
        if let Some(p) = &options.progress {
            p.set(phase);
        }
    };
    let remaining = || {
        deadline
            .saturating_duration_since(Instant::now())
            .as_secs_f64()
    };
    let inst = Instance::new(input);
    let backend = options.backend;

    progress("LP relaxation (lower bound)");
    let lp_started = Instant::now();
    let lp_model = ShiftModel::build(&inst, false);
    let lp = match solve_model(lp_model, backend, remaining(), None, None) {
        Ok(values) => Some(values),
        Err(cause) if cause.contains("nfeasible") => {
            return Err(solver_error(format!(
                "the scheduling limits contradict each other (the LP relaxation is infeasible): \
                 {cause}; check min_agents against max_agents and max_headcount_per_day"
            )));
        }
        Err(_) => None,
    };
    let lp_seconds = lp_started.elapsed().as_secs_f64();

    progress("LP rounding and repair");
    let rounding_started = Instant::now();
    let zero = vec![0.0; inst.candidates.len()];
    let lp_x = lp.as_ref().map_or(&zero, |v| &v.shifts);
    let rounding_deadline = Instant::now() + Duration::from_secs_f64((remaining() * 0.5).max(0.05));
    let mut best = round_and_repair(&inst, lp_x, Rounding::Up, rounding_deadline);
    let mut best_score = score(&inst, &best);
    if lp.is_some() {
        let down = round_and_repair(&inst, lp_x, Rounding::Down, rounding_deadline);
        let down_score = score(&inst, &down);
        if objective(&inst, down_score) < objective(&inst, best_score) - 1e-9 {
            best = down;
            best_score = down_score;
        }
    }
    let rounding_cost = best_score.0;
    let rounding_seconds = rounding_started.elapsed().as_secs_f64();
    let mut source = "rounding";

    let bound_total = lp.as_ref().map(|v| v.objective);
    let gap_of = |score: (f64, f64)| -> Option<f64> {
        bound_total.map(|b| relative_gap(objective(&inst, score), b, score.0))
    };

    let mut mip_cost = None;
    let mut mip_seconds = 0.0;
    let mut proven = false;
    let (variables, constraints);
    {
        let mip_model = ShiftModel::build(&inst, true);
        (variables, constraints) = mip_model.size();
        let needs_mip = options.method == Method::Mip
            && gap_of(best_score).is_none_or(|g| g > options.gap)
            && remaining() > 0.05;
        if needs_mip {
            progress("MIP search");
            let mip_started = Instant::now();
            let start = mip_model.start_values(&best);
            if let Ok(values) = solve_model(
                mip_model,
                backend,
                remaining(),
                Some(options.gap),
                Some(start),
            ) {
                let agents = disaggregate(&inst, &values);
                let agents = polish(
                    &inst,
                    &agents,
                    Instant::now() + Duration::from_secs_f64(remaining().clamp(0.05, 1.0)),
                );
                let mip_score = score(&inst, &agents);
                mip_cost = Some(mip_score.0);
                if objective(&inst, mip_score) <= objective(&inst, best_score) + 1e-9 {
                    proven = values.proven;
                    best = agents;
                    best_score = mip_score;
                    source = "mip";
                }
            }
            mip_seconds = mip_started.elapsed().as_secs_f64();
        }
    }

    progress("writing");
    let (cost, under) = best_score;
    let lower_bound_cost = bound_total.map(|b| (b - inst.penalty * under).min(cost));
    let gap = gap_of(best_score);
    let status = match gap {
        Some(g) if g <= 1e-9 || proven => SolveStatus::Optimal,
        Some(g) if g <= options.gap => SolveStatus::WithinGap,
        _ if options.method == Method::Rounding => SolveStatus::Heuristic,
        _ => SolveStatus::TimeLimit,
    };
    let coverage = evaluate(input, &inst.candidates, &best);
    let shortfall = explain_shortfall(&inst, &best, &coverage, status);
    let report = SolveReport {
        solver: backend.name().to_string(),
        method: match options.method {
            Method::Mip => "mip",
            Method::Rounding => "rounding",
        }
        .to_string(),
        status,
        cost,
        lower_bound_cost,
        gap,
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
    };
    Ok(Schedule {
        candidates: inst.candidates.clone(),
        agents: best,
        coverage,
        report,
        shortfall,
    })
}

/// The model's objective of a schedule: cost plus the understaffing penalty.
fn objective(inst: &Instance<'_>, (cost, under): (f64, f64)) -> f64 {
    cost + inst.penalty * under
}

/// (objective − bound) / cost, at least zero.
fn relative_gap(objective: f64, bound: f64, cost: f64) -> f64 {
    let difference = (objective - bound).max(0.0);
    if difference <= 1e-9 * objective.abs().max(1.0) {
        0.0
    } else if cost > 0.0 {
        difference / cost
    } else {
        f64::INFINITY
    }
}
