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
        for candidate in all {
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
        Instance {
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
        }
    }

    /// Keeps only the candidates `keep` accepts (break families and coverage follow).
    pub fn retain_candidates(&mut self, keep: impl Fn(&CandidateShift) -> bool) {
        let mut index = vec![None; self.candidates.len()];
        let mut candidates = Vec::new();
        let mut presence = Vec::new();
        let mut cost = Vec::new();
        for (k, candidate) in self.candidates.iter().enumerate() {
            if keep(candidate) {
                index[k] = Some(candidates.len());
                candidates.push(candidate.clone());
                presence.push(self.presence[k].clone());
                cost.push(self.cost[k]);
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
