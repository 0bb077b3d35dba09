//! The shift-scheduling program as a domain struct over good_lp.
//!
//! Variables
//! - `x[c]` (integer): agents on candidate shift `c`;
//! - `y[f][t]` (integer): agents of break family `f` (template × break) whose break starts at
//!   unwrapped interval `t`;
//! - `backlog[f][t]` (continuous): agents of family `f` whose break window has opened by `t`
//!   but who have not had that break yet;
//! - `a[g][q][i]` (continuous): agents of a multi-skill group `g` working queue `q` in `i`;
//! - `u[q][i]` (continuous): understaffing, penalised.
//!
//! Breaks are implicit (Bechtold & Jacobs; Aykin): instead of one variable per shift and break
//! start, a family's break starts are linked to its shifts by
//! `backlog[t] = backlog[t−1] + Σ x[c: start+earliest = t] − y[t]`, `backlog[t] >= 0` (no break
//! before its window opens) and `backlog[t] <= Σ x[c: start+earliest <= t < start+latest]` (no
//! break after its window closes). All shifts of a family have windows of the same length, so
//! serving breaks first-come-first-served assigns every agent a break inside its window exactly
//! when these hold (see [`super::solve`]'s disaggregation).
//!
//! Coverage: agents present in an interval are the shift shares minus the break shares of
//! their group; single-queue groups count directly, multi-skill groups through `a`.

use good_lp::{Constraint, Expression, ProblemVariables, Variable, variable};

use super::AgentShift;
use super::instance::Instance;

/// Sense of a row.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sense {
    /// `expression = rhs`.
    Eq,
    /// `expression <= rhs`.
    Le,
    /// `expression >= rhs`.
    Ge,
}

/// One linear row of the program, kept in plain form so that a solver can be fed directly.
#[derive(Debug, Clone)]
pub(crate) struct Row {
    pub expression: Expression,
    pub sense: Sense,
    pub rhs: f64,
}

impl Row {
    /// The row as a good_lp constraint.
    pub fn into_constraint(self) -> Constraint {
        match self.sense {
            Sense::Eq => self.expression.eq(self.rhs),
            Sense::Le => self.expression.leq(self.rhs),
            Sense::Ge => self.expression.geq(self.rhs),
        }
    }
}

/// The program for one instance; built once as an LP relaxation and once as a MIP.
pub struct ShiftModel<'i> {
    instance: &'i Instance<'i>,
    integer: bool,
    pub(crate) vars: ProblemVariables,
    pub(crate) objective: Expression,
    /// The rows, in order (their indices are the constraint indices of the solvers).
    pub(crate) rows: Vec<Row>,
    /// Every variable in creation order: (variable, integer in this model, upper bound).
    pub(crate) var_defs: Vec<(Variable, bool, Option<f64>)>,
    /// Implicit model: one per candidate (breaks by families). Explicit model: empty.
    pub(crate) shift_vars: Vec<Variable>,
    /// Every agent-count column: (candidate, fixed break starts for a pattern column, var).
    pub(crate) columns: Vec<(usize, Option<Vec<usize>>, Variable)>,
    /// Rows whose dual is the value of presence: (constraint index, groups, interval).
    pub(crate) dual_rows: Vec<(usize, Vec<usize>, usize)>,
    /// Per family: first unwrapped interval `t0`, then `y[t0 + k]` when a break may start there.
    pub(crate) break_vars: Vec<(usize, Vec<Option<Variable>>)>,
    /// Per family: `backlog[t0 + k]` when some window is open there.
    pub(crate) backlog_vars: Vec<Vec<Option<Variable>>>,
    /// `(group, queue, interval, variable)`.
    pub(crate) allocation_vars: Vec<(usize, usize, usize, Variable)>,
    /// `(queue, interval, variable)`.
    pub(crate) under_vars: Vec<(usize, usize, Variable)>,
    /// Presence terms per group per interval.
    presence: Vec<Vec<Vec<(Variable, f64)>>>,
    /// `p[g][i]`: presence variables.
    pub(crate) presence_vars: Vec<Vec<Option<Variable>>>,
    /// Service-goal credit per goal interval ([`super::goals`]); empty without goals.
    pub(crate) goal_terms: Vec<super::goals::GoalTerm>,
}

impl<'i> ShiftModel<'i> {
    /// The implicit program: shifts, break families, coverage and limits. With `integer` false
    /// every variable is continuous (the LP relaxation).
    pub fn build(instance: &'i Instance<'i>, integer: bool) -> Self {
        let mut model = Self::empty(instance, integer);
        for c in 0..instance.candidates.len() {
            model.add_shift(c);
        }
        for f in 0..instance.families.len() {
            model.add_break_family(f);
        }
        model.coverage_constraints();
        model.limit_constraints();
        model
    }

    /// The explicit program over given break patterns: one agent-count column per (candidate,
    /// break starts); no break variables. With every pattern of every candidate it is exact;
    /// with a selection it is a restriction (its optimum is an upper bound).
    pub fn build_patterns(
        instance: &'i Instance<'i>,
        patterns: &[(usize, Vec<usize>)],
        integer: bool,
    ) -> Self {
        let mut model = Self::empty(instance, integer);
        for (c, breaks) in patterns {
            model.add_pattern(*c, breaks);
        }
        model.coverage_constraints();
        model.limit_constraints();
        model
    }

    fn empty(instance: &'i Instance<'i>, integer: bool) -> Self {
        let groups = instance.group_queues.len();
        ShiftModel {
            instance,
            integer,
            vars: ProblemVariables::new(),
            objective: Expression::with_capacity(instance.candidates.len()),
            rows: Vec::new(),
            var_defs: Vec::new(),
            shift_vars: Vec::with_capacity(instance.candidates.len()),
            columns: Vec::new(),
            dual_rows: Vec::new(),
            break_vars: Vec::new(),
            backlog_vars: Vec::new(),
            allocation_vars: Vec::new(),
            under_vars: Vec::new(),
            presence: vec![vec![Vec::new(); instance.n]; groups],
            presence_vars: Vec::new(),
            goal_terms: Vec::new(),
        }
    }

    fn add_var(&mut self, integer: bool, max: Option<f64>) -> Variable {
        let mut def = variable().min(0);
        if integer && self.integer {
            def = def.integer();
        }
        if let Some(max) = max {
            def = def.max(max);
        }
        let v = self.vars.add(def);
        self.var_defs.push((v, integer && self.integer, max));
        v
    }

    fn push_row(&mut self, expression: Expression, sense: Sense, rhs: f64) {
        self.rows.push(Row {
            expression,
            sense,
            rhs,
        });
    }

    /// Adds the agent count of candidate shift `c` with its cost and presence.
    pub fn add_shift(&mut self, c: usize) -> Variable {
        let instance = self.instance;
        let template = &instance.input.rules.templates[instance.candidates[c].template];
        let max = template.max_agents.map(f64::from);
        let x = self.add_var(true, max);
        self.objective.add_mul(instance.cost[c], x);
        let g = template.skill_group;
        for &(i, share) in &instance.presence[c] {
            self.presence[g][i].push((x, share));
        }
        self.shift_vars.push(x);
        self.columns.push((c, None, x));
        x
    }

    /// Adds the agent count of candidate `c` with its breaks fixed at `breaks` (unwrapped
    /// interval offsets, template order).
    pub fn add_pattern(&mut self, c: usize, breaks: &[usize]) -> Variable {
        let instance = self.instance;
        let template = &instance.input.rules.templates[instance.candidates[c].template];
        let max = template.max_agents.map(f64::from);
        let x = self.add_var(true, max);
        self.objective.add_mul(instance.cost[c], x);
        let g = template.skill_group;
        for &(i, share) in &instance.presence[c] {
            self.presence[g][i].push((x, share));
        }
        for (rule, &t) in template.breaks.iter().zip(breaks) {
            for (i, share) in instance.break_shares(rule.duration_minutes, t) {
                self.presence[g][i].push((x, -share));
            }
        }
        self.columns.push((c, Some(breaks.to_vec()), x));
        x
    }

    /// Adds the break-start and backlog variables of family `f` and the constraints linking
    /// them to the shifts.
    pub fn add_break_family(&mut self, f: usize) {
        let instance = self.instance;
        let family = &instance.families[f];
        let group = instance.input.rules.templates[family.template].skill_group;
        let starts: Vec<(usize, Variable)> = family
            .members
            .iter()
            .map(|&c| (instance.candidates[c].start_offset, self.shift_vars[c]))
            .collect();
        let Some(first) = starts.iter().map(|s| s.0).min() else {
            self.break_vars.push((0, Vec::new()));
            self.backlog_vars.push(Vec::new());
            return;
        };
        let last = starts.iter().map(|s| s.0).max().unwrap_or(first);
        let t0 = first + family.earliest;
        let t1 = last + family.latest;
        let span = t1 - t0 + 1;
        // Shifts whose window is open at t: earliest <= t - start <= latest.
        let mut arrivals: Vec<Vec<Variable>> = vec![Vec::new(); span];
        let mut open_count = vec![0usize; span];
        let mut pending: Vec<Vec<Variable>> = vec![Vec::new(); span];
        for &(s, x) in &starts {
            arrivals[s + family.earliest - t0].push(x);
            for t in s + family.earliest..=s + family.latest {
                open_count[t - t0] += 1;
                if t < s + family.latest {
                    pending[t - t0].push(x);
                }
            }
        }
        let mut ys = Vec::with_capacity(span);
        let mut backlogs = Vec::with_capacity(span);
        let mut previous: Option<Variable> = None;
        for k in 0..span {
            let y = (open_count[k] > 0).then(|| self.add_var(true, None));
            let backlog = (!pending[k].is_empty()).then(|| self.add_var(false, None));
            // backlog[t] - backlog[t-1] - arrivals[t] + y[t] = 0
            let mut flow = Expression::with_capacity(arrivals[k].len() + 3);
            if let Some(b) = backlog {
                flow.add_mul(1.0, b);
            }
            if let Some(p) = previous {
                flow.add_mul(-1.0, p);
            }
            for &x in &arrivals[k] {
                flow.add_mul(-1.0, x);
            }
            if let Some(y) = y {
                flow.add_mul(1.0, y);
            }
            if backlog.is_some() || previous.is_some() || !arrivals[k].is_empty() || y.is_some() {
                self.push_row(flow, Sense::Eq, 0.0);
            }
            if let Some(b) = backlog {
                // Breaks not yet taken belong to shifts whose window is still open.
                let mut cap = Expression::with_capacity(pending[k].len() + 1);
                cap.add_mul(1.0, b);
                for &x in &pending[k] {
                    cap.add_mul(-1.0, x);
                }
                self.push_row(cap, Sense::Le, 0.0);
            }
            if let Some(y) = y {
                for (i, share) in instance.break_shares(family.duration_minutes, t0 + k) {
                    self.presence[group][i].push((y, -share));
                }
            }
            ys.push(y);
            backlogs.push(backlog);
            previous = backlog;
        }
        self.break_vars.push((t0, ys));
        self.backlog_vars.push(backlogs);
    }

    /// Presence variables `p[g][i]` (agents of group `g` on shift and not on break in `i`),
    /// defined by differences of consecutive intervals: a shift or break enters the rows where
    /// it starts and ends only, which keeps the matrix about five times sparser than summing
    /// every shift over every interval it covers (and the simplex far faster).
    fn presence_variables(&mut self) {
        let instance = self.instance;
        let groups = instance.group_queues.len();
        let mut presence_vars = vec![vec![None; instance.n]; groups];
        for (g, vars) in presence_vars.iter_mut().enumerate() {
            if self.presence[g].iter().all(Vec::is_empty) {
                continue;
            }
            // Intervals no shift of the group touches have no presence variable (it would be
            // zero): sub-models over a window of the horizon stay small.
            for (i, slot) in vars.iter_mut().enumerate() {
                if !self.presence[g][i].is_empty() {
                    *slot = Some(self.add_var(false, None));
                }
            }
            let mut previous: std::collections::HashMap<Variable, f64> = Default::default();
            for i in 0..instance.n {
                let mut current: std::collections::HashMap<Variable, f64> = Default::default();
                for &(v, share) in &self.presence[g][i] {
                    *current.entry(v).or_default() += share;
                }
                let mut row = Expression::with_capacity(24);
                let mut terms = 0;
                if let Some(p) = vars[i] {
                    row.add_mul(1.0, p);
                    terms += 1;
                }
                if i > 0
                    && let Some(p) = vars[i - 1]
                {
                    row.add_mul(-1.0, p);
                    terms += 1;
                }
                // Terms in creation order (deterministic): walk this and the previous list.
                let mut seen = std::collections::HashSet::new();
                let lists = if i > 0 {
                    vec![&self.presence[g][i], &self.presence[g][i - 1]]
                } else {
                    vec![&self.presence[g][i]]
                };
                for list in lists {
                    for &(v, _) in list.iter() {
                        if !seen.insert(v) {
                            continue;
                        }
                        let now = current.get(&v).copied().unwrap_or(0.0);
                        let before = if i > 0 {
                            previous.get(&v).copied().unwrap_or(0.0)
                        } else {
                            0.0
                        };
                        let difference = now - before;
                        if difference.abs() > 1e-12 {
                            row.add_mul(-difference, v);
                            terms += 1;
                        }
                    }
                }
                if terms > 0 {
                    self.push_row(row, Sense::Eq, 0.0);
                }
                previous = current;
            }
        }
        self.presence_vars = presence_vars;
    }

    /// Coverage per queue per interval (with understaffing slack) and multi-skill allocation.
    #[allow(clippy::needless_range_loop)] // indices run over queues, groups and intervals at once
    pub fn coverage_constraints(&mut self) {
        self.presence_variables();
        let instance = self.instance;
        let required = &instance.input.required;
        let queues = instance.input.queues.len();
        let groups = instance.group_queues.len();
        let goals = instance.input.goals.filter(|g| g.any());
        let goal_of: Vec<Option<usize>> = (0..queues)
            .map(|q| goals.and_then(|g| g.queues.iter().position(|goal| goal.queue == q)))
            .collect();
        for i in 0..instance.n {
            // allocation variables of this interval: per group, (queue, var)
            let mut allocations: Vec<Vec<(usize, Variable)>> = vec![Vec::new(); groups];
            for q in 0..queues {
                // A queue with a day or week goal needs its least agents plus what the goal's
                // credit takes (below); other queues their requirement.
                let goal = goal_of[q].map(|k| (k, &goals.expect("goal queue").queues[k]));
                let needed = match goal {
                    Some((_, goal)) => goal.least_agents(i),
                    None => f64::from(required[q][i]),
                };
                let credited = goal.is_some_and(|(_, goal)| goal.curves[i].is_some());
                if (needed <= 0.0 && !credited) || !instance.coverable[q][i] {
                    continue;
                }
                let mut row = Expression::with_capacity(8);
                for g in 0..groups {
                    let serves = instance.group_queues[g].contains(&q);
                    let Some(p) = self.presence_vars[g][i] else {
                        continue;
                    };
                    if !serves || self.presence[g][i].is_empty() {
                        continue;
                    }
                    if instance.group_queues[g].len() == 1 {
                        row.add_mul(1.0, p);
                    } else {
                        let a = self.add_var(false, None);
                        self.allocation_vars.push((g, q, i, a));
                        allocations[g].push((q, a));
                        row.add_mul(1.0, a);
                    }
                }
                let u = self.add_var(false, None);
                self.under_vars.push((q, i, u));
                self.objective.add_mul(instance.under_penalty[q], u);
                row.add_mul(1.0, u);
                if let Some((k, goal)) = goal
                    && let Some(curve) = &goal.curves[i]
                {
                    let (base, pieces) = super::goals::credit(goal, curve, needed);
                    let mut term = super::goals::GoalTerm {
                        goal: k,
                        interval: i,
                        least: needed,
                        base,
                        pieces: Vec::with_capacity(pieces.len()),
                    };
                    for piece in pieces {
                        let z = self.add_var(false, Some(piece.width));
                        row.add_mul(-1.0, z);
                        term.pieces.push((z, piece));
                    }
                    self.goal_terms.push(term);
                }
                let single: Vec<usize> = (0..groups)
                    .filter(|&g| instance.group_queues[g] == [q])
                    .collect();
                self.dual_rows.push((self.rows.len(), single, i));
                self.push_row(row, Sense::Ge, needed);
            }
            for (g, list) in allocations.iter().enumerate() {
                let Some(p) = self.presence_vars[g][i] else {
                    continue;
                };
                if list.is_empty() {
                    continue;
                }
                let mut row = Expression::with_capacity(list.len() + 1);
                for &(_, a) in list {
                    row.add_mul(1.0, a);
                }
                row.add_mul(-1.0, p);
                self.dual_rows.push((self.rows.len(), vec![g], i));
                self.push_row(row, Sense::Le, 0.0);
            }
        }
        if let Some(goals) = goals {
            let terms = std::mem::take(&mut self.goal_terms);
            let mut rows = Vec::new();
            let mut slack = Vec::new();
            super::goals::scope_rows(
                goals,
                &terms,
                instance.penalty,
                &mut self.vars,
                &mut self.objective,
                |expression, sense, rhs| rows.push((expression, sense, rhs)),
                |d| slack.push(d),
            );
            for d in slack {
                self.var_defs.push((d, false, None));
            }
            for (expression, sense, rhs) in rows {
                self.push_row(expression, sense, rhs);
            }
            self.goal_terms = terms;
        }
    }

    /// Per-template minimum and maximum agents per plan day; maximum headcount per day.
    pub fn limit_constraints(&mut self) {
        let instance = self.instance;
        let rules = instance.input.rules;
        let days = instance.input.horizon.days() as usize;
        for (t, template) in rules.templates.iter().enumerate() {
            if template.min_agents.unwrap_or(0) == 0 && template.max_agents.is_none() {
                continue;
            }
            for day in 0..days {
                let members: Vec<Variable> = self
                    .columns
                    .iter()
                    .filter(|(c, _, _)| {
                        let c = &instance.candidates[*c];
                        c.template == t && c.day == day
                    })
                    .map(|&(_, _, v)| v)
                    .collect();
                if members.is_empty() {
                    continue;
                }
                let mut sum = Expression::with_capacity(members.len());
                for &x in &members {
                    sum.add_mul(1.0, x);
                }
                if let Some(min) = template.min_agents.filter(|&m| m > 0) {
                    self.push_row(sum.clone(), Sense::Ge, f64::from(min));
                }
                if let Some(max) = template.max_agents {
                    self.push_row(sum, Sense::Le, f64::from(max));
                }
            }
        }
        if !instance.supply_limits.is_empty() {
            // The workforce's supply: Σ weight × agents on the limit's candidates ≤ bound.
            let mut by_candidate: Vec<Vec<Variable>> = vec![Vec::new(); instance.candidates.len()];
            for &(c, _, v) in &self.columns {
                by_candidate[c].push(v);
            }
            for (members, bound) in &instance.supply_limits {
                let mut sum = Expression::with_capacity(members.len());
                let mut any = false;
                for &(c, w) in members {
                    for &v in &by_candidate[c] {
                        sum.add_mul(w, v);
                        any = true;
                    }
                }
                if any {
                    self.push_row(sum, Sense::Le, *bound);
                }
            }
        }
        if let Some(max) = rules.max_headcount_per_day {
            for day in 0..days {
                let mut sum = Expression::with_capacity(64);
                let mut any = false;
                for &(c, _, v) in &self.columns {
                    if instance.candidates[c].day == day {
                        sum.add_mul(1.0, v);
                        any = true;
                    }
                }
                if any {
                    self.push_row(sum, Sense::Le, f64::from(max));
                }
            }
        }
    }

    /// Shift-start terms ([`super::cost_terms`]): per start time `k` a variable `s[k]` in
    /// `[0, 1]` priced `price[k]`, and `x ≤ most[c]·s[key_of[c]]` for every agent-count column
    /// of candidate `c` with a priced start (`most[c]`: agents no optimal plan exceeds on `c`).
    ///
    /// `needs`: per `(queue, interval)` whose requirement is hard, the start times of the
    /// shifts on duty then: one of them is used, or the interval's understaffing is all of
    /// its requirement (`Σ s[k] + u/required ≥ 1`).
    pub fn start_terms(
        &mut self,
        key_of: &[usize],
        price: &[f64],
        most: &[f64],
        needs: &[((usize, usize), Vec<usize>)],
    ) {
        let starts: Vec<Option<Variable>> = price
            .iter()
            .map(|&p| {
                (p > 0.0).then(|| {
                    let s = self.add_var(false, Some(1.0));
                    self.objective.add_mul(p, s);
                    s
                })
            })
            .collect();
        let columns: Vec<(usize, Variable)> =
            self.columns.iter().map(|&(c, _, x)| (c, x)).collect();
        for (c, x) in columns {
            let Some(s) = starts[key_of[c]] else {
                continue;
            };
            if !most[c].is_finite() {
                continue;
            }
            let mut row = Expression::with_capacity(2);
            row.add_mul(1.0, x);
            row.add_mul(-most[c], s);
            self.push_row(row, Sense::Le, 0.0);
        }
        let under: std::collections::BTreeMap<(usize, usize), Variable> = self
            .under_vars
            .iter()
            .map(|&(q, i, u)| ((q, i), u))
            .collect();
        let required = &self.instance.input.required;
        for ((q, i), keys) in needs {
            if keys.iter().any(|&k| starts[k].is_none()) {
                continue;
            }
            let mut row = Expression::with_capacity(keys.len() + 1);
            for &k in keys {
                if let Some(s) = starts[k] {
                    row.add_mul(1.0, s);
                }
            }
            if let Some(&u) = under.get(&(*q, *i)) {
                row.add_mul(1.0 / f64::from(required[*q][*i].max(1)), u);
            }
            self.push_row(row, Sense::Ge, 1.0);
        }
    }

    /// Solves the program as an LP with Clarabel (at most 200 iterations): the objective's
    /// bound (the dual objective, less a tolerance) and the solution.
    pub(crate) fn solve_relaxation(
        self,
        what: &str,
    ) -> Result<(f64, good_lp::solvers::clarabel::ClarabelSolution), String> {
        use good_lp::SolverModel;
        let mut problem = self.vars.minimise(self.objective).using(good_lp::clarabel);
        for row in self.rows {
            problem.add_constraint(row.into_constraint());
        }
        problem.settings().max_iter(200);
        let solution = problem.solve().map_err(|e| e.to_string())?;
        let inner = solution.inner();
        let status = format!("{:?}", inner.status);
        if status != "Solved" && status != "AlmostSolved" {
            return Err(format!("{what} not solved: {:?}", inner.status));
        }
        let bound = inner.obj_val_dual.min(inner.obj_val) - 1e-7 * inner.obj_val.abs().max(1.0);
        Ok((bound, solution))
    }

    /// Number of variables and constraints.
    pub fn size(&self) -> (usize, usize) {
        (self.var_defs.len(), self.rows.len())
    }

    /// Values of every variable for an integer schedule, usable as a MIP start.
    #[allow(clippy::needless_range_loop)] // indices run over groups, queues and intervals at once
    pub fn start_values(&self, agents: &[AgentShift]) -> Vec<(Variable, f64)> {
        let instance = self.instance;
        let mut out = Vec::with_capacity(self.var_defs.len());
        let mut x = vec![0.0; instance.candidates.len()];
        let mut patterns: std::collections::BTreeMap<(usize, &[usize]), f64> = Default::default();
        for agent in agents {
            x[agent.candidate] += 1.0;
            *patterns
                .entry((agent.candidate, agent.break_offsets.as_slice()))
                .or_default() += 1.0;
        }
        for (c, breaks, v) in &self.columns {
            let value = match breaks {
                None => x[*c],
                Some(b) => patterns.get(&(*c, b.as_slice())).copied().unwrap_or(0.0),
            };
            out.push((*v, value));
        }
        // Break starts per family, and the backlog recursion.
        let mut family_of: Vec<Vec<usize>> = vec![Vec::new(); instance.input.rules.templates.len()];
        if !self.break_vars.is_empty() {
            for (f, family) in instance.families.iter().enumerate() {
                family_of[family.template].push(f);
            }
        }
        let mut y_values: Vec<Vec<f64>> = self
            .break_vars
            .iter()
            .map(|(_, ys)| vec![0.0; ys.len()])
            .collect();
        for agent in agents {
            let template = instance.candidates[agent.candidate].template;
            for (k, &f) in family_of[template].iter().enumerate() {
                let (t0, ys) = &self.break_vars[f];
                if let Some(&t) = agent.break_offsets.get(k)
                    && t >= *t0
                    && t - t0 < ys.len()
                {
                    y_values[f][t - t0] += 1.0;
                }
            }
        }
        for (f, family) in instance.families.iter().enumerate() {
            let Some((t0, ys)) = self.break_vars.get(f) else {
                break;
            };
            let mut arrivals = vec![0.0; ys.len()];
            for &c in &family.members {
                let s = instance.candidates[c].start_offset;
                if let Some(slot) = (s + family.earliest).checked_sub(*t0)
                    && slot < arrivals.len()
                {
                    arrivals[slot] += x[c];
                }
            }
            let mut backlog = 0.0;
            for (k, y) in ys.iter().enumerate() {
                backlog += arrivals[k] - y_values[f][k];
                if let Some(y) = y {
                    out.push((*y, y_values[f][k]));
                }
                if let Some(b) = self.backlog_vars[f][k] {
                    out.push((b, backlog.max(0.0)));
                }
            }
        }
        // Allocation and understaffing from the schedule's own presence.
        let coverage = super::evaluate(instance.input, &instance.candidates, agents);
        let mut single = vec![vec![0.0; instance.n]; instance.input.queues.len()];
        for (g, qs) in instance.group_queues.iter().enumerate() {
            if qs.len() == 1 {
                for i in 0..instance.n {
                    single[qs[0]][i] += coverage.present[g][i];
                }
            }
        }
        for (g, vars) in self.presence_vars.iter().enumerate() {
            for (i, v) in vars.iter().enumerate() {
                if let Some(v) = v {
                    out.push((*v, coverage.present[g][i].max(0.0)));
                }
            }
        }
        // Multi-skill groups: fill the requirement left after single-queue groups, in order.
        let mut left: Vec<Vec<f64>> = (0..instance.n)
            .map(|i| {
                instance
                    .group_queues
                    .iter()
                    .enumerate()
                    .map(|(g, _)| coverage.present[g][i].max(0.0))
                    .collect()
            })
            .collect();
        let mut need: Vec<Vec<f64>> = (0..instance.input.queues.len())
            .map(|q| {
                (0..instance.n)
                    .map(|i| (f64::from(instance.input.required[q][i]) - single[q][i]).max(0.0))
                    .collect()
            })
            .collect();
        for &(g, q, i, a) in &self.allocation_vars {
            let take = left[i][g].min(need[q][i]).max(0.0);
            left[i][g] -= take;
            need[q][i] -= take;
            out.push((a, take));
        }
        for &(q, i, u) in &self.under_vars {
            out.push((u, need[q][i].max(0.0)));
        }
        out
    }
}
