//! Shift scheduling: how many agents on which shift, breaks included, so that the requirement is
//! covered at the least cost — with an honest lower bound.
//!
//! - [`templates`]: candidate shifts (template × local start × day) on the UTC interval grid.
//! - [`model`]: [`ShiftModel`], the mixed-integer program over good_lp: integer agents per
//!   candidate shift, implicit break variables per (template, break) family linked to the
//!   shifts by a backlog recursion (breaks inside the model: an agent on break is absent),
//!   multi-skill allocation per interval, understaffing slack, per-template and per-day limits.
//! - [`solve`]: LP relaxation (the lower bound), LP rounding with repair and improvement
//!   (always available), and the MIP with time limit and relative gap, warm-started.
//! - [`goals`]: service goals judged over a day or the week instead of a headcount per
//!   interval.
//! - [`cost_terms`]: understaffing priced per queue (soft coverage) and a price per distinct
//!   shift start time: the plan minimises the total.
//! - [`export`]: `shifts.csv`, `coverage.csv`, `summary.json`.
//!
//! The requirement covered is agents **on shift and not on break** per interval per queue:
//! the staffing module's `scheduled_agents` (after shrinkage). Breaks modelled as
//! `[[shift.break]]` are therefore not part of a queue's shrinkage.
//!
//! ```
//! use staffplan::scenario::Scenario;
//! use staffplan::schedule::{self, ScheduleInput, ScheduleOptions};
//!
//! let text = r#"
//! [plan]
//! start = 2026-11-23
//! days = 1
//! interval_minutes = 60
//! time_zone = "UTC"
//! [[queue]]
//! id = "support"
//! channel = "voice"
//! aht = "3m"
//! service_level = 0.8
//! answer_within = "20s"
//! forecast = "unused.csv"
//! [[shift]]
//! name = "four"
//! length = "4h"
//! start_window = "08:00-12:00"
//! cost_per_hour = 10.0
//! "#;
//! let scenario = Scenario::from_toml(text, "s.toml".as_ref(), ".".as_ref()).unwrap();
//! let mut required = vec![0; 24];
//! required[8..16].copy_from_slice(&[2, 2, 3, 3, 3, 3, 1, 1]);
//! let input = ScheduleInput::new(&scenario, vec![required]);
//! let plan = schedule::schedule(&input, &ScheduleOptions::default()).unwrap();
//! // 18 agent-hours of requirement need at least five 4-hour shifts; five suffice.
//! assert_eq!(plan.agents.len(), 5);
//! assert_eq!(plan.report.cost, 5.0 * 4.0 * 10.0);
//! // The LP bound is 4.5 shifts; the MIP proves that 5 are needed.
//! assert!(plan.report.gap.unwrap() <= 0.001);
//! ```

pub mod allocate;
pub mod budget;
pub mod cost_terms;
mod explain;
pub mod export;
pub mod goals;
pub mod guard;
mod instance;
pub mod model;
mod parts;
mod repair;
pub mod requirements;
mod search;
pub mod solve;
pub mod templates;
mod windows;

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

pub use crate::domain::Coverage;
use crate::domain::supply::Supply;
use crate::error::CodeInfo;
use crate::scenario::{Scenario, ShiftRules};
use crate::staffing::{QueueRequirements, open_intervals};
use crate::time::Horizon;
pub use budget::BudgetLeft;
pub use explain::ShortfallRun;
pub use goals::{GoalPoint, QueueGoal, ServiceCurve, ServiceGoals};
pub use model::ShiftModel;
pub use requirements::read_requirements_csv;
pub use solve::{Backend, Method, SolveReport, SolveStatus, schedule};
pub use templates::{CandidateShift, candidate_shifts, horizon_index, interval_shares};

/// Error codes owned by the scheduler.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "H2001",
        title: "the solver failed",
        explanation: "A solver call failed: an error from the LP or MIP backend, a crash inside \
                      it, numerical trouble, or a time limit that ran out before the LP \
                      relaxation was solved. The scheduler keeps the best plan it already has \
                      (the repaired LP rounding at worst), prints a warning naming what failed \
                      and what was kept, and lists it under solver_messages in summary.json; \
                      without an LP there is no lower bound and the status is never \
                      \"optimal\". It is an error only when the limits contradict each other \
                      (an infeasible LP). Raise --time-limit, or use fewer candidate shifts (a \
                      larger start_step, narrower start windows).",
    },
    CodeInfo {
        code: "H2002",
        title: "invalid requirements file",
        explanation: "--requirements takes a requirements.csv as written by `staffplan staff`: \
                      columns interval_start, queue and scheduled_agents (whole agents), one row \
                      per interval of the plan per queue. Rows for queues or intervals outside \
                      the scenario are refused.",
    },
    CodeInfo {
        code: "H2003",
        title: "invalid solver option",
        explanation: "--time-limit is a duration (\"10s\", \"2m\") of at most a day; --gap is a \
                      fraction or percentage from 0 to 100 % (\"0.1%\", \"0.001\"); --solver is \
                      microlp, or highs when staffplan was built with --features highs.",
    },
];

/// What to schedule: the grid, the rules and the requirement.
#[derive(Debug, Clone)]
pub struct ScheduleInput<'a> {
    /// The planning grid.
    pub horizon: &'a Horizon,
    /// Steady-state week: shifts running past the end wrap onto the first morning.
    pub cyclic: bool,
    /// Templates, skill groups and limits.
    pub rules: &'a ShiftRules,
    /// Queue ids (indices match `required` and the skill groups' queue indices).
    pub queues: Vec<String>,
    /// `required[q][i]`: agents on shift and not on break needed in interval `i` on queue `q`
    /// (zero while the queue is closed).
    pub required: Vec<Vec<u32>>,
    /// What the named agents can supply, indexed like [`candidate_shifts`] of these rules:
    /// options no agent can work are left out, and the plan stays within the limits.
    pub supply: Option<&'a Supply>,
    /// Service goals judged over a day or the week ([`goals`]): with any, the plan meets them
    /// at least cost instead of covering `required` (then the interval requirement, which
    /// still chooses the candidate shifts and splits multi-skill agents).
    pub goals: Option<&'a ServiceGoals>,
    /// Per queue: money per agent-hour left below `required` ([`cost_terms`]); `None`: the
    /// queue's coverable requirement is covered in full (the default).
    pub understaffing_cost: Vec<Option<f64>>,
    /// Whether the templates' `cost_per_shift_start` is priced ([`cost_terms`]).
    pub shift_start_costs: bool,
}

impl<'a> ScheduleInput<'a> {
    /// The scenario's grid and rules with a requirement matrix `required[queue][interval]`;
    /// intervals outside a queue's opening hours are set to zero.
    pub fn new(scenario: &'a Scenario, mut required: Vec<Vec<u32>>) -> Self {
        for (queue, row) in scenario.queues.iter().zip(required.iter_mut()) {
            let open = open_intervals(queue, &scenario.horizon);
            for (value, open) in row.iter_mut().zip(open) {
                if !open {
                    *value = 0;
                }
            }
        }
        ScheduleInput {
            horizon: &scenario.horizon,
            cyclic: scenario.plan.cyclic,
            rules: &scenario.shifts,
            queues: scenario.queues.iter().map(|q| q.id.clone()).collect(),
            required,
            supply: None,
            goals: None,
            understaffing_cost: scenario
                .queues
                .iter()
                .map(|q| q.understaffing_cost)
                .collect(),
            shift_start_costs: scenario
                .shifts
                .templates
                .iter()
                .any(|t| t.cost_per_shift_start > 0.0),
        }
    }

    /// Whether the plan prices understaffing or shift starts ([`cost_terms`]).
    pub fn has_cost_terms(&self) -> bool {
        self.shift_start_costs || self.understaffing_cost.iter().any(Option::is_some)
    }

    /// The requirement from the staffing module: `scheduled_agents` per interval per queue.
    pub fn from_requirements(scenario: &'a Scenario, requirements: &[QueueRequirements]) -> Self {
        let required = requirements
            .iter()
            .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
            .collect();
        Self::new(scenario, required)
    }

    /// Interval length in hours.
    pub fn interval_hours(&self) -> f64 {
        f64::from(self.horizon.interval_minutes()) / 60.0
    }
}

/// Settings of a solve.
///
/// Every phase of a solve has a budget of work (iterations, moves, nodes, windows), so the
/// same input gives the same schedule on any machine, under any load and with any number of
/// threads. `time_limit` is only a safety cap on top.
#[derive(Debug, Clone)]
pub struct ScheduleOptions {
    /// Wall-clock cap on the whole solve (LP, rounding, search, MIP, windows); `None` (the
    /// default): none, the solve ends when its budgets of work are spent. When a cap cuts a
    /// phase, the status is `time_limit` and the report lists what was left
    /// ([`SolveReport::budget_left`]).
    pub time_limit: Option<Duration>,
    /// Relative gap at which the MIP may stop: (cost − bound) / cost.
    pub gap: f64,
    /// MIP (default) or LP rounding with repair only.
    pub method: Method,
    /// LP/MIP backend.
    pub backend: Backend,
    /// Where to report the current phase (for a progress line).
    pub progress: Option<Progress>,
    /// Eight-hour *presence windows* re-planned after the start windows on weeks solved by the
    /// local search (a budget of work: about a second each on the five-queue week); none by
    /// default.
    pub presence_windows: usize,
    /// Multiplies the MIP's budget of branch-and-bound nodes (1: the default budget); the
    /// workforce-aware plan raises it for a second attempt when the first leaves requirement
    /// uncovered (`pipeline::plan`).
    pub mip_node_factor: f64,
}

impl Default for ScheduleOptions {
    fn default() -> Self {
        ScheduleOptions {
            time_limit: None,
            gap: 0.001,
            method: Method::Mip,
            backend: Backend::default(),
            progress: None,
            presence_windows: 0,
            mip_node_factor: 1.0,
        }
    }
}

/// The phase a running solve is in, shared with a progress display.
#[derive(Debug, Clone)]
pub struct Progress {
    state: Arc<Mutex<(String, Instant)>>,
}

impl Default for Progress {
    fn default() -> Self {
        Progress {
            state: Arc::new(Mutex::new((String::from("starting"), Instant::now()))),
        }
    }
}

impl Progress {
    /// Enters a new phase.
    pub fn set(&self, phase: impl Into<String>) {
        if let Ok(mut state) = self.state.lock() {
            state.0 = phase.into();
        }
    }

    /// The current phase and the time since the progress was created.
    pub fn current(&self) -> (String, Duration) {
        match self.state.lock() {
            Ok(state) => (state.0.clone(), state.1.elapsed()),
            Err(_) => (String::new(), Duration::ZERO),
        }
    }
}

/// One agent on one candidate shift with concrete break starts.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct AgentShift {
    /// Index into [`Schedule::candidates`].
    pub candidate: usize,
    /// Unwrapped interval offsets of the break starts, in the template's break order.
    pub break_offsets: Vec<usize>,
}

/// A solved schedule.
#[derive(Debug, Clone)]
pub struct Schedule {
    /// All candidate shifts of the instance (agents refer to them).
    pub candidates: Vec<CandidateShift>,
    /// Agents, sorted by candidate then break starts.
    pub agents: Vec<AgentShift>,
    /// Coverage per interval.
    pub coverage: Coverage,
    /// Solver figures: status, cost, bound, gap, times.
    pub report: SolveReport,
    /// Runs of understaffed intervals with the rule that binds.
    pub shortfall: Vec<ShortfallRun>,
    /// With service goals: the requirement the plan chose and covers (whole agents per queue
    /// per interval); `None`: the input's.
    pub required: Option<Vec<Vec<u32>>>,
}

/// Evaluates the coverage of `agents` (independently of any solver values).
pub fn evaluate(
    input: &ScheduleInput<'_>,
    candidates: &[CandidateShift],
    agents: &[AgentShift],
) -> Coverage {
    let n = input.horizon.len();
    let minutes = input.horizon.interval_minutes();
    let groups = &input.rules.skill_groups;
    let mut present = vec![vec![0.0; n]; groups.len()];
    let mut on_break = vec![vec![0.0; n]; groups.len()];
    for agent in agents {
        let candidate = &candidates[agent.candidate];
        let template = &input.rules.templates[candidate.template];
        let g = template.skill_group;
        for (offset, share) in
            interval_shares(candidate.start_offset, template.length_minutes, minutes)
        {
            if let Some(i) = horizon_index(offset, n, input.cyclic) {
                present[g][i] += share;
            }
        }
        for (rule, &start) in template.breaks.iter().zip(&agent.break_offsets) {
            for (offset, share) in interval_shares(start, rule.duration_minutes, minutes) {
                if let Some(i) = horizon_index(offset, n, input.cyclic) {
                    present[g][i] -= share;
                    on_break[g][i] += share;
                }
            }
        }
    }
    coverage_from_presence(input, present, on_break)
}

/// Allocates presence to queues per interval and derives scheduled, shortfall and surplus.
/// Surplus agents of a multi-skill group are reported on its first queue; its agents on
/// break are attributed to its queues in proportion to the agents it has on them.
pub fn coverage_from_presence(
    input: &ScheduleInput<'_>,
    present: Vec<Vec<f64>>,
    on_break: Vec<Vec<f64>>,
) -> Coverage {
    let n = input.horizon.len();
    let queues = input.queues.len();
    let group_queues: Vec<Vec<usize>> = input
        .rules
        .skill_groups
        .iter()
        .map(|g| g.queues.clone())
        .collect();
    let mut scheduled = vec![vec![0.0; n]; queues];
    let mut on_break_queue = vec![vec![0.0; n]; queues];
    let mut shortfall = vec![vec![0.0; n]; queues];
    let mut surplus = vec![vec![0.0; n]; queues];
    let mut here = vec![0.0; group_queues.len()];
    let mut required = vec![0.0; queues];
    for i in 0..n {
        for (g, value) in here.iter_mut().enumerate() {
            *value = clean(present[g][i]);
        }
        for (q, value) in required.iter_mut().enumerate() {
            *value = f64::from(input.required[q][i]);
        }
        let allocation = allocate::allocate(&group_queues, &here, &required);
        for (g, qs) in group_queues.iter().enumerate() {
            if qs.is_empty() {
                continue;
            }
            let used: f64 = allocation.flows[g].iter().sum();
            let left = (here[g] - used).max(0.0);
            let total = used + left;
            for (k, &q) in qs.iter().enumerate() {
                let mut share = allocation.flows[g][k];
                if k == 0 {
                    share += left;
                    surplus[q][i] += left;
                }
                scheduled[q][i] += share;
                let weight = if total > 1e-12 {
                    share / total
                } else if k == 0 {
                    1.0
                } else {
                    0.0
                };
                on_break_queue[q][i] += on_break[g][i] * weight;
            }
        }
        for q in 0..queues {
            shortfall[q][i] = clean((required[q] - allocation.covered[q]).max(0.0));
            scheduled[q][i] = clean(scheduled[q][i]);
            surplus[q][i] = clean(surplus[q][i]);
            on_break_queue[q][i] = clean(on_break_queue[q][i]);
        }
    }
    Coverage {
        present,
        on_break,
        scheduled,
        on_break_queue,
        shortfall,
        surplus,
    }
}

/// Rounds away float noise (sums of quarter shares) so outputs are stable.
fn clean(value: f64) -> f64 {
    let rounded = (value * 1e6).round() / 1e6;
    if rounded == 0.0 { 0.0 } else { rounded }
}
