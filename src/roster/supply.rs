//! What the named agents can supply to a shift plan ([`crate::domain::supply`]): for every
//! shift option the agents who could work it (skill group, availability in their own zone, no
//! time off), and Hall-type limits over the options only a given set of agents can work —
//! one shift per agent and local day, the contracts' days and paid hours per week. Every
//! limit holds for every roster the agents can work, so a plan within them loses no roster,
//! and the LP relaxation of a plan within them is still a lower bound of the roster's cost.
//!
//! The sets of agents are the options' own (the agents eligible for an option), closed under
//! union: an option counts towards a set's limit when everyone who could work it is in the
//! set. With single-skill agents of a few availability patterns (the common case) the family
//! is small; it is capped at [`MAX_SETS`] per day or week (the smallest sets first).

use std::collections::{BTreeMap, BTreeSet};

use crate::domain::calendar::{LocalShift, WeeklyAvailability};
use crate::domain::supply::{ShiftOption, Supply, SupplyLimit, SupplyMeasure, SupplyResource};
use crate::domain::{Agent, TimeOff};
use crate::time::Horizon;

/// Most agent sets (and limits per measure) per plan day or week.
pub const MAX_SETS: usize = 96;

/// A set of agents as bits.
type AgentSet = Vec<u64>;

fn set_with(len: usize) -> AgentSet {
    vec![0; len.div_ceil(64)]
}

fn insert(set: &mut AgentSet, a: usize) {
    set[a / 64] |= 1 << (a % 64);
}

fn contains(set: &AgentSet, a: usize) -> bool {
    set[a / 64] & (1 << (a % 64)) != 0
}

fn is_subset(small: &AgentSet, big: &AgentSet) -> bool {
    small.iter().zip(big).all(|(s, b)| s & !b == 0)
}

fn union(a: &AgentSet, b: &AgentSet) -> AgentSet {
    a.iter().zip(b).map(|(x, y)| x | y).collect()
}

fn members_of(set: &AgentSet) -> impl Iterator<Item = usize> + '_ {
    set.iter().enumerate().flat_map(|(w, &word)| {
        (0..64)
            .filter(move |b| word & (1 << b) != 0)
            .map(move |b| w * 64 + b)
    })
}

/// The workforce's supply to `options`. `group_ids` are the scenario's skill groups in order
/// (an option's `skill_group` indexes them).
pub fn supply(
    agents: &[Agent],
    time_off: &[TimeOff],
    horizon: &Horizon,
    group_ids: &[String],
    options: &[ShiftOption],
) -> Supply {
    let plan_start = horizon.start_date();
    let availability: Vec<WeeklyAvailability> = agents
        .iter()
        .map(|a| WeeklyAvailability::new(&a.availability))
        .collect();
    let skills: Vec<BTreeSet<usize>> = agents
        .iter()
        .map(|a| {
            a.skill_groups
                .iter()
                .filter_map(|g| group_ids.iter().position(|id| id == g))
                .collect()
        })
        .collect();
    let mut off: BTreeMap<&str, Vec<&TimeOff>> = BTreeMap::new();
    for t in time_off {
        off.entry(t.agent_id.as_str()).or_default().push(t);
    }
    // Who can work each option, and on which of their own local days it falls.
    let mut eligible: Vec<AgentSet> = Vec::with_capacity(options.len());
    let mut agent_day: Vec<Vec<i32>> = Vec::with_capacity(options.len());
    for option in options {
        let mut set = set_with(agents.len());
        let mut days = vec![0; agents.len()];
        for (a, agent) in agents.iter().enumerate() {
            if !skills[a].contains(&option.skill_group) {
                continue;
            }
            let local = LocalShift::new(option.start, option.end, agent.time_zone, plan_start);
            days[a] = local.day;
            let free = off.get(agent.id.as_str()).is_none_or(|list| {
                list.iter()
                    .all(|t| t.end <= option.start || option.end <= t.start)
            });
            if free
                && availability[a].contains(local.weekday, local.start_minute, local.wall_minutes)
            {
                insert(&mut set, a);
            }
        }
        eligible.push(set);
        agent_day.push(days);
    }
    let workable: Vec<bool> = eligible.iter().map(|s| s.iter().any(|&w| w != 0)).collect();
    let who = |set: &AgentSet| -> (usize, String) {
        let mut count = 0;
        let mut groups: BTreeSet<&str> = BTreeSet::new();
        for a in members_of(set) {
            count += 1;
            for g in &agents[a].skill_groups {
                groups.insert(g.as_str());
            }
        }
        let groups: Vec<&str> = groups.into_iter().collect();
        (
            count,
            format!("{count} agents with skill group {}", groups.join(" or ")),
        )
    };
    let mut limits = Vec::new();
    let days = horizon.days() as usize;

    // One shift per agent and local day: per plan day.
    for d in 0..days {
        let on_day: Vec<usize> = (0..options.len())
            .filter(|&k| workable[k] && options[k].plan_day == d)
            .collect();
        for set in closed_family(on_day.iter().map(|&k| &eligible[k])) {
            let members: Vec<usize> = on_day
                .iter()
                .copied()
                .filter(|&k| is_subset(&eligible[k], &set))
                .collect();
            // An agent gives one shift per own local day among these options (two when the
            // plan's day spans two of theirs, e.g. an agent five hours ahead).
            let bound: usize = members_of(&set)
                .map(|a| {
                    members
                        .iter()
                        .filter(|&&k| contains(&eligible[k], a))
                        .map(|&k| agent_day[k][a])
                        .collect::<BTreeSet<i32>>()
                        .len()
                })
                .sum();
            let (agents_behind, words) = who(&set);
            limits.push(SupplyLimit {
                members: members.iter().map(|&k| (k, 1.0)).collect(),
                bound: bound as f64,
                measure: SupplyMeasure::Shifts,
                resource: SupplyResource::Day { plan_day: d },
                agents: agents_behind,
                who: words,
            });
        }
    }

    // Days and paid hours per plan week.
    for week in 0..days.div_ceil(7) {
        let in_week: Vec<usize> = (0..options.len())
            .filter(|&k| workable[k] && options[k].plan_day / 7 == week)
            .collect();
        for set in closed_family(in_week.iter().map(|&k| &eligible[k])) {
            let members: Vec<usize> = in_week
                .iter()
                .copied()
                .filter(|&k| is_subset(&eligible[k], &set))
                .collect();
            let mut day_bound = 0usize;
            let mut hour_bound = 0.0;
            for a in members_of(&set) {
                let own_days = members
                    .iter()
                    .filter(|&&k| contains(&eligible[k], a))
                    .map(|&k| agent_day[k][a])
                    .collect::<BTreeSet<i32>>()
                    .len();
                let contract = &agents[a].contract;
                day_bound += own_days.min(contract.max_days_per_week as usize);
                hour_bound += contract.max_weekly_hours;
            }
            let (agents_behind, words) = who(&set);
            limits.push(SupplyLimit {
                members: members.iter().map(|&k| (k, 1.0)).collect(),
                bound: day_bound as f64,
                measure: SupplyMeasure::Shifts,
                resource: SupplyResource::WeekDays { week },
                agents: agents_behind,
                who: words.clone(),
            });
            limits.push(SupplyLimit {
                members: members
                    .iter()
                    .map(|&k| (k, options[k].paid_hours))
                    .collect(),
                bound: hour_bound,
                measure: SupplyMeasure::PaidHours,
                resource: SupplyResource::WeekHours { week },
                agents: agents_behind,
                who: words,
            });
        }
    }
    Supply { workable, limits }
}

/// The distinct sets among `sets`, closed under union, smallest first, at most [`MAX_SETS`].
fn closed_family<'s>(sets: impl Iterator<Item = &'s AgentSet>) -> Vec<AgentSet> {
    let mut family: BTreeSet<AgentSet> = sets.cloned().collect();
    loop {
        let current: Vec<AgentSet> = family.iter().cloned().collect();
        let mut grown = false;
        'pairs: for (i, a) in current.iter().enumerate() {
            for b in &current[i + 1..] {
                if family.len() >= MAX_SETS {
                    break 'pairs;
                }
                let u = union(a, b);
                if family.insert(u) {
                    grown = true;
                }
            }
        }
        if !grown || family.len() >= MAX_SETS {
            break;
        }
    }
    let mut out: Vec<AgentSet> = family.into_iter().collect();
    out.sort_by_key(|s| (s.iter().map(|w| w.count_ones()).sum::<u32>(), s.clone()));
    out
}
