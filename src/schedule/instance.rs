//! The prepared instance: candidate shifts with their interval shares, break families and
//! which requirement can be covered at all. Shared by the model, the repair heuristic and the
//! shortfall explanation.

use super::ScheduleInput;
use super::templates::{CandidateShift, candidate_shifts, horizon_index, interval_shares};

/// Shifts of one template that take one of its breaks: the unit of the implicit break model.
#[derive(Debug, Clone)]
pub struct BreakFamily {
    /// Template index.
    pub template: usize,
    /// Break index within the template.
    pub break_index: usize,
    /// Earliest break start after the shift start, intervals.
    pub earliest: usize,
    /// Latest break start after the shift start, intervals.
    pub latest: usize,
    /// Break length, minutes.
    pub duration_minutes: u32,
    /// Candidate indices of the template, ascending start.
    pub members: Vec<usize>,
}

/// A prepared scheduling instance.
#[derive(Debug)]
pub struct Instance<'a> {
    /// The input.
    pub input: &'a ScheduleInput<'a>,
    /// Number of horizon intervals.
    pub n: usize,
    /// Interval length, minutes.
    pub interval_minutes: u32,
    /// Candidates kept (those that can cover some requirement, or are needed by a minimum).
    pub candidates: Vec<CandidateShift>,
    /// Per candidate: `(horizon interval, share)` of its presence.
    pub presence: Vec<Vec<(usize, f64)>>,
    /// Per candidate: cost of one agent.
    pub cost: Vec<f64>,
    /// Break families.
    pub families: Vec<BreakFamily>,
    /// `coverable[q][i]`: some candidate of a group serving `q` is on shift in `i`.
    pub coverable: Vec<Vec<bool>>,
    /// Skill group queues.
    pub group_queues: Vec<Vec<usize>>,
    /// Penalty per understaffed agent-interval in the objective.
    pub penalty: f64,
    /// Per queue: the objective's price of an understaffed agent-interval: the queue's
    /// understaffing cost when it has one (soft coverage), else `penalty`.
    pub under_penalty: Vec<f64>,
    /// The workforce's limits on the kept candidates: `(members (candidate, weight), bound)`.
    pub supply_limits: Vec<(Vec<(usize, f64)>, f64)>,
    /// Per candidate: `(limit, weight)` of the supply limits it counts towards.
    pub supply_of: Vec<Vec<(usize, f64)>>,
    /// Per candidate: its index in the whole candidate list ([`candidate_shifts`]).
    pub origin: Vec<usize>,
}

/// How much of each supply limit a schedule uses.
#[derive(Debug, Clone, PartialEq)]
pub struct SupplyUse {
    used: Vec<f64>,
}

impl SupplyUse {
    /// Nothing used.
    pub fn new(inst: &Instance<'_>) -> Self {
        SupplyUse {
            used: vec![0.0; inst.supply_limits.len()],
        }
    }

    /// Whether one more agent on candidate `c` stays within every supply limit.
    pub fn allows(&self, inst: &Instance<'_>, c: usize) -> bool {
        inst.supply_of[c]
            .iter()
            .all(|&(l, w)| self.used[l] + w <= inst.supply_limits[l].1 + 1e-9)
    }

    /// Whether replacing an agent on `old` (if any) by one on `new` stays within every supply
    /// limit.
    pub fn allows_swap(&self, inst: &Instance<'_>, old: Option<usize>, new: usize) -> bool {
        inst.supply_of[new].iter().all(|&(l, w)| {
            let freed = old.map_or(0.0, |o| {
                inst.supply_of[o]
                    .iter()
                    .filter(|&&(m, _)| m == l)
                    .map(|&(_, v)| v)
                    .sum()
            });
            self.used[l] - freed + w <= inst.supply_limits[l].1 + 1e-9
        })
    }

    /// Counts one agent on `c` in (`sign` 1) or out (`sign` -1).
    pub fn count(&mut self, inst: &Instance<'_>, c: usize, sign: f64) {
        for &(l, w) in &inst.supply_of[c] {
            self.used[l] += sign * w;
        }
    }
}

impl<'a> Instance<'a> {
    /// Prepares `input`.
    pub fn new(input: &'a ScheduleInput<'a>) -> Self {
        let n = input.horizon.len();
        let minutes = input.horizon.interval_minutes();
        let rules = input.rules;
        let group_queues: Vec<Vec<usize>> = rules
            .skill_groups
            .iter()
            .map(|g| g.queues.clone())
            .collect();
        let all = candidate_shifts(rules, input.horizon);
        let mut candidates = Vec::new();
        let mut presence = Vec::new();
        let mut cost = Vec::new();
        let mut origin = Vec::new();
        for (k, candidate) in all.into_iter().enumerate() {
            // Options no named agent can work are never planned.
            if input
                .supply
                .is_some_and(|s| !s.workable.get(k).copied().unwrap_or(false))
            {
                continue;
            }
            let template = &rules.templates[candidate.template];
            let shares: Vec<(usize, f64)> =
                interval_shares(candidate.start_offset, template.length_minutes, minutes)
                    .into_iter()
                    .filter_map(|(offset, share)| {
                        horizon_index(offset, n, input.cyclic).map(|i| (i, share))
                    })
                    .collect();
            let queues = &group_queues[template.skill_group];
            let useful = shares
                .iter()
                .any(|&(i, _)| queues.iter().any(|&q| input.required[q][i] > 0));
            if useful || template.min_agents.is_some_and(|m| m > 0) {
                candidates.push(candidate);
                presence.push(shares);
                cost.push(template.cost_per_agent());
                origin.push(k);
            }
        }
        let coverable = coverable(input, &group_queues, &candidates, &presence);
        let mut families = Vec::new();
        for (t, template) in rules.templates.iter().enumerate() {
            let members: Vec<usize> = candidates
                .iter()
                .enumerate()
                .filter(|(_, c)| c.template == t)
                .map(|(k, _)| k)
                .collect();
            if members.is_empty() {
                continue;
            }
            for (b, rule) in template.breaks.iter().enumerate() {
                families.push(BreakFamily {
                    template: t,
                    break_index: b,
                    earliest: (rule.earliest_minutes / minutes) as usize,
                    latest: (rule.latest_minutes / minutes) as usize,
                    duration_minutes: rule.duration_minutes,
                    members: members.clone(),
                });
            }
        }
        let max_cost = cost.iter().copied().fold(1.0_f64, f64::max);
        // Any coverable shortfall is worth a shift: a shift covers at least one minute of
        // each interval it touches.
        let penalty = 2.0 * max_cost * f64::from(minutes) + 1.0;
        let under_penalty = (0..input.queues.len())
            .map(
                |q| match input.understaffing_cost.get(q).copied().flatten() {
                    Some(per_hour) => per_hour * input.interval_hours(),
                    None => penalty,
                },
            )
            .collect();
        let mut inst = Instance {
            input,
            n,
            interval_minutes: minutes,
            candidates,
            presence,
            cost,
            families,
            coverable,
            group_queues,
            penalty,
            under_penalty,
            supply_limits: Vec::new(),
            supply_of: Vec::new(),
            origin,
        };
        inst.map_supply();
        inst
    }

    /// Limits each (skill group, plan day)'s agents to one more than the LP's `x` puts there
    /// (a guide for the integer phases under the workforce's supply, not a bound).
    pub fn add_lp_guides(&mut self, x: &[f64]) {
        let mut totals: std::collections::BTreeMap<(usize, usize), (f64, Vec<usize>)> =
            Default::default();
        for (c, candidate) in self.candidates.iter().enumerate() {
            let entry = totals.entry((self.group_of(c), candidate.day)).or_default();
            entry.0 += x.get(c).copied().unwrap_or(0.0);
            entry.1.push(c);
        }
        for (_, (total, members)) in totals {
            let l = self.supply_limits.len();
            for &c in &members {
                self.supply_of[c].push((l, 1.0));
            }
            let bound = (total - 1e-6).ceil().max(0.0);
            self.supply_limits
                .push((members.into_iter().map(|c| (c, 1.0)).collect(), bound));
        }
    }

    /// The supply limits on the kept candidates (through `origin`), empty ones left out.
    fn map_supply(&mut self) {
        self.supply_limits.clear();
        self.supply_of = vec![Vec::new(); self.candidates.len()];
        let Some(supply) = self.input.supply else {
            return;
        };
        let mut local = vec![usize::MAX; supply.workable.len()];
        for (c, &k) in self.origin.iter().enumerate() {
            if k < local.len() {
                local[k] = c;
            }
        }
        for limit in &supply.limits {
            let members: Vec<(usize, f64)> = limit
                .members
                .iter()
                .filter_map(|&(k, w)| local.get(k).filter(|&&c| c != usize::MAX).map(|&c| (c, w)))
                .collect();
            if members.is_empty() {
                continue;
            }
            let l = self.supply_limits.len();
            for &(c, w) in &members {
                self.supply_of[c].push((l, w));
            }
            self.supply_limits.push((members, limit.bound));
        }
    }

    /// Keeps only the candidates `keep` accepts (break families and coverage follow).
    pub fn retain_candidates(&mut self, keep: impl Fn(&CandidateShift) -> bool) {
        let mut index = vec![None; self.candidates.len()];
        let mut candidates = Vec::new();
        let mut presence = Vec::new();
        let mut cost = Vec::new();
        let mut origin = Vec::new();
        for (k, candidate) in self.candidates.iter().enumerate() {
            if keep(candidate) {
                index[k] = Some(candidates.len());
                candidates.push(candidate.clone());
                presence.push(self.presence[k].clone());
                cost.push(self.cost[k]);
                origin.push(self.origin[k]);
            }
        }
        for family in &mut self.families {
            family.members = family.members.iter().filter_map(|&k| index[k]).collect();
        }
        self.families.retain(|f| !f.members.is_empty());
        self.coverable = coverable(self.input, &self.group_queues, &candidates, &presence);
        self.candidates = candidates;
        self.presence = presence;
        self.cost = cost;
        self.origin = origin;
        self.map_supply();
    }

    /// Whether one more agent may start candidate `c` under the limits, given the agents per
    /// (template, plan day), per plan day and the supply already used.
    pub fn may_add(
        &self,
        c: usize,
        per_template_day: &[Vec<u32>],
        per_day: &[u32],
        supply: &SupplyUse,
    ) -> bool {
        let candidate = &self.candidates[c];
        let rules = self.input.rules;
        let template = &rules.templates[candidate.template];
        if let Some(max) = template.max_agents
            && per_template_day[candidate.template][candidate.day] >= max
        {
            return false;
        }
        if let Some(max) = rules.max_headcount_per_day
            && per_day[candidate.day] >= max
        {
            return false;
        }
        supply.allows(self, c)
    }

    /// Whether an agent of candidate `c` may be removed under the template's minimum, given
    /// the agents per (template, plan day).
    pub fn may_remove(&self, c: usize, per_template_day: &[Vec<u32>]) -> bool {
        let candidate = &self.candidates[c];
        let template = &self.input.rules.templates[candidate.template];
        template
            .min_agents
            .is_none_or(|min| per_template_day[candidate.template][candidate.day] > min)
    }

    /// Break families of each template, in break order.
    pub fn families_of_templates(&self) -> Vec<Vec<usize>> {
        let mut family_of = vec![Vec::new(); self.input.rules.templates.len()];
        for (f, family) in self.families.iter().enumerate() {
            family_of[family.template].push(f);
        }
        family_of
    }

    /// Net presence of an agent (shift minus breaks) per interval, one entry per interval in
    /// order; `family_of` from [`Instance::families_of_templates`].
    pub fn net_presence(
        &self,
        family_of: &[Vec<usize>],
        agent: &super::AgentShift,
    ) -> Vec<(usize, f64)> {
        let mut profile = self.presence[agent.candidate].clone();
        let template = self.candidates[agent.candidate].template;
        for (k, &start) in agent.break_offsets.iter().enumerate() {
            let f = family_of[template][k];
            for (i, share) in self.break_shares(self.families[f].duration_minutes, start) {
                profile.push((i, -share));
            }
        }
        profile.sort_by_key(|p| p.0);
        let mut merged: Vec<(usize, f64)> = Vec::with_capacity(profile.len());
        for (i, share) in profile {
            match merged.last_mut() {
                Some(last) if last.0 == i => last.1 += share,
                _ => merged.push((i, share)),
            }
        }
        merged
    }

    /// `agents` (on `from`'s candidates) on this instance's candidates, matched by template and
    /// start; `None` for an agent whose shift this instance does not have.
    pub fn remap(
        &self,
        from: &[CandidateShift],
        agents: &[super::AgentShift],
    ) -> Vec<Option<super::AgentShift>> {
        let index: std::collections::BTreeMap<(usize, usize), usize> = self
            .candidates
            .iter()
            .enumerate()
            .map(|(c, candidate)| ((candidate.template, candidate.start_offset), c))
            .collect();
        agents
            .iter()
            .map(|agent| {
                let candidate = &from[agent.candidate];
                index
                    .get(&(candidate.template, candidate.start_offset))
                    .map(|&c| super::AgentShift {
                        candidate: c,
                        break_offsets: agent.break_offsets.clone(),
                    })
            })
            .collect()
    }

    /// Per horizon interval, the candidates on shift in it, ascending.
    pub fn on_shift_at(&self) -> Vec<Vec<usize>> {
        let mut on_shift_at = vec![Vec::new(); self.n];
        for (c, shares) in self.presence.iter().enumerate() {
            for &(i, _) in shares {
                if on_shift_at[i].last() != Some(&c) {
                    on_shift_at[i].push(c);
                }
            }
        }
        on_shift_at
    }

    /// Skill group of candidate `c`.
    pub fn group_of(&self, c: usize) -> usize {
        self.input.rules.templates[self.candidates[c].template].skill_group
    }

    /// `(horizon interval, share)` an agent of a break starting at unwrapped offset `start`
    /// is absent for.
    pub fn break_shares(&self, duration_minutes: u32, start: usize) -> Vec<(usize, f64)> {
        interval_shares(start, duration_minutes, self.interval_minutes)
            .into_iter()
            .filter_map(|(offset, share)| {
                horizon_index(offset, self.n, self.input.cyclic).map(|i| (i, share))
            })
            .collect()
    }
}

/// `coverable[q][i]`: some candidate of a group serving queue `q` is present in interval `i`.
fn coverable(
    input: &ScheduleInput<'_>,
    group_queues: &[Vec<usize>],
    candidates: &[CandidateShift],
    presence: &[Vec<(usize, f64)>],
) -> Vec<Vec<bool>> {
    let mut coverable = vec![vec![false; input.horizon.len()]; input.queues.len()];
    for (candidate, shares) in candidates.iter().zip(presence) {
        let group = input.rules.templates[candidate.template].skill_group;
        for &(i, _) in shares {
            for &q in &group_queues[group] {
                coverable[q][i] = true;
            }
        }
    }
    coverable
}
