//! How a router shares multi-skill agents among their queues in one interval: the rule the
//! evaluation predicts service with, and the one the service-goal planning counts on, so a
//! plan made for a week's service level is judged by the same split it was made with.
//!
//! Skill groups are taken in routing order (fewest queues first, then index). A group's agents
//! on the queue are split across its open queues in proportion to each queue's remaining need
//! (need minus what earlier groups gave it, at least 0); when every remaining need is 0 the
//! split follows the required agents, then the offered load, then equal shares. Then a
//! rebalancing pass moves a shared group's agents from a queue above its need to one of the
//! group's queues below it.

/// One interval as the rule reads it (owned; [`RoutingData::view`] lends it).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct RoutingData {
    /// Whether each queue is open.
    pub open: Vec<bool>,
    /// Agents each queue needs (on shift and off break).
    pub needed: Vec<f64>,
    /// Required agents per queue.
    pub required: Vec<f64>,
    /// Offered load per agent per queue.
    pub load: Vec<f64>,
}

impl RoutingData {
    /// The interval as [`route`] reads it.
    pub fn view(&self) -> RoutingInterval<'_> {
        RoutingInterval {
            open: &self.open,
            needed: &self.needed,
            required: &self.required,
            load: &self.load,
        }
    }
}

/// The rule for a whole plan: groups in routing order, their queues, every interval.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Routing {
    /// Skill groups in routing order.
    pub order: Vec<usize>,
    /// Queues of each skill group.
    pub group_queues: Vec<Vec<usize>>,
    /// Per interval.
    pub intervals: Vec<RoutingData>,
}

/// What the rule reads of one interval, per queue.
#[derive(Debug, Clone, Copy)]
pub struct RoutingInterval<'a> {
    /// Whether each queue is open.
    pub open: &'a [bool],
    /// Agents each queue needs, in the agents' own units (before shrinkage).
    pub needed: &'a [f64],
    /// Required agents of each queue (the second weighting).
    pub required: &'a [f64],
    /// Offered load per agent of each queue (the third weighting).
    pub load: &'a [f64],
}

/// Weights of the queues `members` (see the module documentation); `remaining`: the need not
/// yet given.
pub fn split_weights(
    members: &[usize],
    interval: &RoutingInterval<'_>,
    remaining: &[f64],
    weights: &mut Vec<(usize, f64)>,
) {
    weights.clear();
    let open: Vec<usize> = members
        .iter()
        .copied()
        .filter(|&q| interval.open[q])
        .collect();
    if open.is_empty() {
        weights.extend(members.iter().map(|&q| (q, 1.0)));
        return;
    }
    let rules: [&dyn Fn(usize) -> f64; 3] = [&|q| remaining[q], &|q| interval.required[q], &|q| {
        interval.load[q]
    }];
    for rule in rules {
        let candidate: Vec<(usize, f64)> = open
            .iter()
            .map(|&q| (q, rule(q)))
            .filter(|&(_, w)| w.is_finite() && w > 0.0)
            .collect();
        if !candidate.is_empty() {
            weights.extend(candidate);
            return;
        }
    }
    weights.extend(open.iter().map(|&q| (q, 1.0)));
}

/// Splits each group's on-queue agents `on_queue[g]` (groups with `on_shift[g] > 0` only)
/// over its queues into `duty[g][q]`, then rebalances.
#[allow(clippy::too_many_arguments)]
pub fn route(
    order: &[usize],
    group_queues: &[Vec<usize>],
    interval: &RoutingInterval<'_>,
    on_shift: &[f64],
    on_queue: &[f64],
    remaining: &mut Vec<f64>,
    weights: &mut Vec<(usize, f64)>,
    duty: &mut [Vec<f64>],
) {
    remaining.clear();
    remaining.extend_from_slice(interval.needed);
    for row in duty.iter_mut() {
        row.iter_mut().for_each(|x| *x = 0.0);
    }
    for &g in order {
        let on_duty = on_queue[g];
        if on_shift[g] <= 0.0 {
            continue;
        }
        split_weights(&group_queues[g], interval, remaining, weights);
        let total: f64 = weights.iter().map(|(_, w)| w).sum();
        for &(q, w) in weights.iter() {
            let given = on_duty * w / total;
            duty[g][q] += given;
            remaining[q] = (remaining[q] - given).max(0.0);
        }
    }
    rebalance(order, group_queues, interval, duty);
}

/// Moves multi-skill agents from queues above their need to queues of the same group below
/// it (a router sends idle blended agents where contacts wait). Needed when two shared groups
/// overlap: blended voice+chat agents split towards chat that digital chat+email agents then
/// also cover.
pub fn rebalance(
    order: &[usize],
    group_queues: &[Vec<usize>],
    interval: &RoutingInterval<'_>,
    duty: &mut [Vec<f64>],
) {
    const EPS: f64 = 1e-9;
    let needed = interval.needed;
    for _ in 0..8 {
        let mut given: Vec<f64> = vec![0.0; needed.len()];
        for row in duty.iter() {
            for (q, x) in row.iter().enumerate() {
                given[q] += x;
            }
        }
        let mut moved = false;
        for &g in order {
            let members = &group_queues[g];
            if members.len() < 2 {
                continue;
            }
            for &to in members {
                if !interval.open[to] {
                    continue;
                }
                for &from in members {
                    let short = needed[to] - given[to];
                    if from == to || short <= EPS {
                        continue;
                    }
                    let spare = (given[from] - needed[from]).min(duty[g][from]);
                    if spare <= EPS {
                        continue;
                    }
                    let amount = spare.min(short);
                    duty[g][from] -= amount;
                    duty[g][to] += amount;
                    given[from] -= amount;
                    given[to] += amount;
                    moved = true;
                }
            }
        }
        if !moved {
            break;
        }
    }
}
