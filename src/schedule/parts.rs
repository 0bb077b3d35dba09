//! Independent parts of an instance: skill groups linked through shared queues form one
//! component; components share nothing (no agent, no queue) unless a headcount limit per day
//! spans them, so each is scheduled on its own. A component of one group serving several
//! queues is scheduled against the sum of their requirements: the group's agents may work any
//! of its queues, so covering the sum is exactly covering each (no allocation variables).

use std::collections::HashMap;

use super::repair::components;
use super::{AgentShift, CandidateShift, ScheduleInput};
use crate::scenario::{ShiftRules, SkillGroup};

/// One part: its own rules (templates and groups renumbered) and requirement.
pub(crate) struct Part {
    /// Rules of the part.
    pub rules: ShiftRules,
    /// Queue names of the part (one joined name when aggregated).
    pub queues: Vec<String>,
    /// Requirement per queue of the part.
    pub required: Vec<Vec<u32>>,
    /// Template index of the whole instance for each template of the part.
    pub templates: Vec<usize>,
}

impl Part {
    /// The part as a schedule input on the same grid.
    pub fn input<'a>(&'a self, whole: &ScheduleInput<'a>) -> ScheduleInput<'a> {
        ScheduleInput {
            horizon: whole.horizon,
            cyclic: whole.cyclic,
            rules: &self.rules,
            queues: self.queues.clone(),
            required: self.required.clone(),
            supply: None,
            goals: None,
            understaffing_cost: vec![None; self.queues.len()],
            shift_start_costs: false,
        }
    }
}

/// The parts of `input`, or `None` when it is one part already in its simplest form (one
/// component that aggregation does not change) or a daily headcount limit links the groups.
pub(crate) fn split(input: &ScheduleInput<'_>) -> Option<Vec<Part>> {
    let rules = input.rules;
    let group_queues: Vec<Vec<usize>> = rules
        .skill_groups
        .iter()
        .map(|g| g.queues.clone())
        .collect();
    let (_, parts) = components(&group_queues);
    let aggregates = |groups: &[usize], queues: &[usize]| groups.len() == 1 && queues.len() > 1;
    let simplest = parts.len() <= 1 && parts.iter().all(|(g, q)| !aggregates(g, q));
    // The workforce's supply links groups as a headcount limit does (agents with several
    // skill groups, limits over agent sets); its options are indexed on the whole rules.
    if simplest
        || input.supply.is_some()
        || (parts.len() > 1 && rules.max_headcount_per_day.is_some())
    {
        return None;
    }
    let n = input.horizon.len();
    let mut out = Vec::with_capacity(parts.len());
    for (groups, queues) in &parts {
        let templates: Vec<usize> = (0..rules.templates.len())
            .filter(|&t| groups.contains(&rules.templates[t].skill_group))
            .collect();
        if templates.is_empty() {
            // Nobody can work these queues: their requirement stays uncovered.
            continue;
        }
        let (queue_names, required, skill_groups) = if aggregates(groups, queues) {
            let mut sum = vec![0u32; n];
            for &q in queues {
                for (total, &value) in sum.iter_mut().zip(&input.required[q]) {
                    *total += value;
                }
            }
            let names: Vec<&str> = queues.iter().map(|&q| input.queues[q].as_str()).collect();
            let group = SkillGroup {
                id: rules.skill_groups[groups[0]].id.clone(),
                queues: vec![0],
            };
            (vec![names.join("+")], vec![sum], vec![group])
        } else {
            let skill_groups = groups
                .iter()
                .map(|&g| SkillGroup {
                    id: rules.skill_groups[g].id.clone(),
                    queues: rules.skill_groups[g]
                        .queues
                        .iter()
                        .filter_map(|q| queues.iter().position(|x| x == q))
                        .collect(),
                })
                .collect();
            (
                queues.iter().map(|&q| input.queues[q].clone()).collect(),
                queues.iter().map(|&q| input.required[q].clone()).collect(),
                skill_groups,
            )
        };
        let part_templates = templates
            .iter()
            .map(|&t| {
                let mut template = rules.templates[t].clone();
                template.skill_group = groups
                    .iter()
                    .position(|&g| g == template.skill_group)
                    .unwrap_or(0);
                template
            })
            .collect();
        out.push(Part {
            rules: ShiftRules {
                skill_groups,
                templates: part_templates,
                max_headcount_per_day: rules.max_headcount_per_day,
                max_candidate_shifts: rules.max_candidate_shifts,
            },
            queues: queue_names,
            required,
            templates,
        });
    }
    Some(out)
}

/// Agents of a part's schedule as agents on `candidates` (the whole instance's list).
pub(crate) fn map_agents(
    part: &Part,
    part_candidates: &[CandidateShift],
    agents: &[AgentShift],
    candidates: &[CandidateShift],
) -> Vec<AgentShift> {
    let index: HashMap<(usize, usize), usize> = candidates
        .iter()
        .enumerate()
        .map(|(c, candidate)| ((candidate.template, candidate.start_offset), c))
        .collect();
    agents
        .iter()
        .filter_map(|agent| {
            let candidate = &part_candidates[agent.candidate];
            let template = part.templates[candidate.template];
            index
                .get(&(template, candidate.start_offset))
                .map(|&c| AgentShift {
                    candidate: c,
                    break_offsets: agent.break_offsets.clone(),
                })
        })
        .collect()
}
