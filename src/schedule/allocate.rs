//! Allocation of present agents to queues in one interval: agents of a skill group may work any
//! queue the group serves, so the most requirement they can cover is a maximum flow from the
//! groups to the queues. Deterministic: groups and queues are visited in index order.

const EPS: f64 = 1e-9;

/// Result of allocating one interval.
#[derive(Debug, Clone, PartialEq)]
pub struct Allocation {
    /// `flows[g][k]`: agents of group `g` working its `k`-th queue towards the requirement.
    pub flows: Vec<Vec<f64>>,
    /// Requirement covered per queue.
    pub covered: Vec<f64>,
}

/// Allocates `present[g]` agents of each group (serving `group_queues[g]`) to the queues'
/// `required[q]`, covering as much of the requirement as possible.
pub fn allocate(group_queues: &[Vec<usize>], present: &[f64], required: &[f64]) -> Allocation {
    let queues = required.len();
    let mut flows: Vec<Vec<f64>> = group_queues.iter().map(|q| vec![0.0; q.len()]).collect();
    let mut covered = vec![0.0; queues];
    let mut left: Vec<f64> = present.iter().map(|p| p.max(0.0)).collect();
    // Direct assignment first (exact when every group serves one queue).
    for (g, qs) in group_queues.iter().enumerate() {
        for (k, &q) in qs.iter().enumerate() {
            let take = left[g].min(required[q] - covered[q]).max(0.0);
            if take > EPS {
                flows[g][k] += take;
                covered[q] += take;
                left[g] -= take;
            }
        }
    }
    if group_queues.iter().all(|qs| qs.len() <= 1) {
        return Allocation { flows, covered };
    }
    // Augmenting paths: group with agents left -> queue -> (back along a flow) group -> ...
    // -> queue with requirement left.
    loop {
        // BFS over queues; parent[q] = (group, k) that reached q, queue_parent of a group.
        let mut queue_from: Vec<Option<(usize, usize)>> = vec![None; queues];
        let mut group_from: Vec<Option<usize>> = vec![None; group_queues.len()];
        let mut group_seen = vec![false; group_queues.len()];
        let mut frontier: Vec<usize> = Vec::new();
        for (g, &l) in left.iter().enumerate() {
            if l > EPS {
                group_seen[g] = true;
                frontier.push(g);
            }
        }
        let mut target = None;
        let mut head = 0;
        while head < frontier.len() && target.is_none() {
            let g = frontier[head];
            head += 1;
            for (k, &q) in group_queues[g].iter().enumerate() {
                if queue_from[q].is_some() {
                    continue;
                }
                queue_from[q] = Some((g, k));
                if required[q] - covered[q] > EPS {
                    target = Some(q);
                    break;
                }
                // Groups currently sending flow to q can be rerouted.
                for (g2, qs2) in group_queues.iter().enumerate() {
                    if group_seen[g2] {
                        continue;
                    }
                    if let Some(k2) = qs2.iter().position(|&x| x == q)
                        && flows[g2][k2] > EPS
                    {
                        group_seen[g2] = true;
                        group_from[g2] = Some(q);
                        frontier.push(g2);
                    }
                }
            }
        }
        let Some(end) = target else {
            break;
        };
        // Bottleneck along the path.
        let mut amount = required[end] - covered[end];
        let mut q = end;
        loop {
            let (g, _) = queue_from[q].expect("path");
            match group_from[g] {
                None => {
                    amount = amount.min(left[g]);
                    break;
                }
                Some(prev_q) => {
                    let k_prev = group_queues[g]
                        .iter()
                        .position(|&x| x == prev_q)
                        .expect("edge");
                    amount = amount.min(flows[g][k_prev]);
                    q = prev_q;
                }
            }
        }
        if amount <= EPS {
            break;
        }
        // Apply.
        covered[end] += amount;
        let mut q = end;
        loop {
            let (g, k) = queue_from[q].expect("path");
            flows[g][k] += amount;
            match group_from[g] {
                None => {
                    left[g] -= amount;
                    break;
                }
                Some(prev_q) => {
                    let k_prev = group_queues[g]
                        .iter()
                        .position(|&x| x == prev_q)
                        .expect("edge");
                    flows[g][k_prev] -= amount;
                    q = prev_q;
                }
            }
        }
    }
    Allocation { flows, covered }
}

/// Requirement left uncovered in one interval (sum over queues).
pub fn shortfall(group_queues: &[Vec<usize>], present: &[f64], required: &[f64]) -> f64 {
    let allocation = allocate(group_queues, present, required);
    required
        .iter()
        .zip(&allocation.covered)
        .map(|(r, c)| (r - c).max(0.0))
        .sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rerouting_finds_the_maximum() {
        // Blended group would first take queue 0; the voice-only group also needs queue 0.
        let groups = vec![vec![0, 1], vec![0]];
        let a = allocate(&groups, &[3.0, 3.0], &[3.0, 3.0]);
        assert_eq!(a.covered, vec![3.0, 3.0]);
        assert_eq!(shortfall(&groups, &[3.0, 2.0], &[3.0, 3.0]), 1.0);
    }

    #[test]
    fn single_queue_groups_add_up() {
        let groups = vec![vec![0], vec![0], vec![1]];
        let a = allocate(&groups, &[1.0, 2.0, 5.0], &[4.0, 4.0]);
        assert_eq!(a.covered, vec![3.0, 4.0]);
    }
}
