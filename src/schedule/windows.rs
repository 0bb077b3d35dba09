//! Window re-optimisation: a large neighbourhood search whose neighbourhoods are solved
//! exactly. The agents whose shifts start in a window of a few hours are taken out, everyone
//! else stays; the MIP over the window's candidate shifts (breaks inside the model, as in the
//! full program) then covers what the others leave short at least cost. The local search
//! moves one agent at a time; a window re-plans dozens at once, breaks included, which is where
//! the last tenths of a percent to the LP bound are.
//!
//! Two kinds of window ([`WindowKind`]): *start* windows free the agents whose shifts start in
//! the window; *presence* windows free every agent on shift at any time in the window, and
//! may replace them by any shift on duty there. A presence window of eight hours re-plans a
//! whole night at once: which long shift spans it, and which shorter shifts relay around it so
//! that their overlaps host its breaks (BENCHMARKS.md, "What a better night looks like").
//!
//! Deterministic: windows are visited in a fixed order, each sub-MIP gets a fixed budget of
//! branch-and-bound nodes (not of seconds), and windows far enough apart that no shift of one
//! reaches the other are solved side by side from the same schedule (their changes add up), so
//! the result does not depend on the machine's speed or on the number of threads. Only an
//! explicit time limit, when it binds, cuts the sequence short (and says so).

use std::collections::HashMap;

use super::AgentShift;
use super::budget::Cap;
use super::instance::Instance;
use super::model::ShiftModel;
use super::solve::{NodeBudget, disaggregate, objective, score, solve_mip_nodes};
use super::{ScheduleInput, evaluate};

/// Which agents a window frees, and which candidate shifts may replace them.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WindowKind {
    /// The agents whose shifts start in the window; candidates starting there.
    Starts,
    /// The agents on shift at any time in the window; candidates on shift there.
    Presence,
}

/// How the windows are laid out.
#[derive(Debug, Clone, Copy)]
pub struct WindowSettings {
    /// Which agents a window frees.
    pub kind: WindowKind,
    /// Width of a window, minutes: of shift starts (start windows) or of time on shift
    /// (presence windows).
    pub width_minutes: u32,
    /// Between consecutive windows, minutes (at most the width, so every start is in one).
    pub stride_minutes: u32,
    /// Branch-and-bound nodes per window.
    pub nodes: u64,
    /// Passes over the horizon at most (a pass that finds nothing ends the search).
    pub passes: usize,
    /// Windows solved at most, over all passes (a budget of work, not of seconds).
    pub max_windows: usize,
}

/// Re-plans `agents` window by window (see the module docs) until a pass finds nothing,
/// `done` holds for the schedule's objective, the budget of windows is spent, or the time
/// limit (`cap`) is reached.
pub fn improve(
    inst: &Instance<'_>,
    agents: &[AgentShift],
    lp: &[f64],
    settings: WindowSettings,
    done: impl Fn(f64) -> bool,
    cap: &Cap,
) -> Vec<AgentShift> {
    let n = inst.n;
    let mut best = agents.to_vec();
    let mut best_value = objective(inst, score(inst, &best));
    let minutes = inst.interval_minutes.max(1);
    let width = (settings.width_minutes / minutes).max(1) as usize;
    let stride = ((settings.stride_minutes / minutes).max(1) as usize).min(width);
    if n == 0 || done(best_value) {
        return best;
    }
    let longest = inst.presence.iter().map(Vec::len).max().unwrap_or(0);
    // Intervals a window's change may touch beyond its width: the freed shifts start in the
    // window (start windows), or anywhere from a shift's length before it (presence windows).
    let (before, reach) = match settings.kind {
        WindowKind::Starts => (0, longest),
        WindowKind::Presence => (longest, 2 * longest),
    };
    let whole = candidate_index(inst);
    let mut rounds = batches(
        n,
        inst.input.cyclic,
        (width, stride),
        reach,
        (24 * 60 / minutes) as usize,
    );
    // Where the schedule spends most above the LP's cost first: there the windows find most.
    if lp.len() == inst.candidates.len() {
        let mut excess = vec![0.0; n];
        for agent in &best {
            excess[inst.candidates[agent.candidate].start_offset % n] += inst.cost[agent.candidate];
        }
        for (c, &x) in lp.iter().enumerate() {
            excess[inst.candidates[c].start_offset % n] -= x * inst.cost[c];
        }
        let score = |batch: &Vec<usize>| -> f64 {
            batch
                .iter()
                .map(|&a| {
                    (a + n - before % n..a + n + width)
                        .map(|o| excess[o % n])
                        .sum::<f64>()
                })
                .sum()
        };
        let mut keyed: Vec<(f64, usize, Vec<usize>)> = rounds
            .into_iter()
            .enumerate()
            .map(|(k, b)| (score(&b), k, b))
            .collect();
        keyed.sort_by(|x, y| y.0.total_cmp(&x.0).then(x.1.cmp(&y.1)));
        rounds = keyed.into_iter().map(|(_, _, b)| b).collect();
    }
    let mut budget = settings.max_windows;
    let phase = match settings.kind {
        WindowKind::Starts => "start windows",
        WindowKind::Presence => "presence windows",
    };
    // Windows of every pass, or the budget when smaller (for the report of a cut).
    let per_pass: usize = rounds.iter().map(Vec::len).sum();
    let planned = per_pass.saturating_mul(settings.passes).min(budget) as u64;
    let mut solved = 0u64;
    for _ in 0..settings.passes {
        let mut improved = false;
        for round in &rounds {
            if done(best_value) || budget == 0 || cap.stops(phase, "windows", solved, planned) {
                return best;
            }
            // The last batch within the budget is cut to its first windows.
            let round = &round[..round.len().min(budget)];
            budget -= round.len();
            solved += round.len() as u64;
            use rayon::prelude::*;
            let changes: Vec<Option<(Vec<AgentShift>, Vec<AgentShift>)>> = round
                .par_iter()
                .map(|&a| {
                    let base = (best.as_slice(), best_value);
                    let layout = (settings.kind, a, width);
                    window(inst, &whole, base, layout, settings.nodes, cap)
                })
                .collect();
            // Apply every window's change (they touch disjoint agents and intervals), then
            // keep the result only if it is better as a whole.
            let mut trial = best.clone();
            let mut any = false;
            for (removed, added) in changes.into_iter().flatten() {
                for agent in &removed {
                    if let Some(p) = trial.iter().position(|a| a == agent) {
                        trial.swap_remove(p);
                    }
                }
                trial.extend(added);
                any = true;
            }
            if !any {
                continue;
            }
            trial.sort();
            let value = objective(inst, score(inst, &trial));
            if value < best_value - 1e-9 {
                best = trial;
                best_value = value;
                improved = true;
            }
        }
        if !improved {
            break;
        }
    }
    best
}

/// Window starts in batches: windows whole days apart (the same time of day, so of about the
/// same size) and far enough apart that no shift of one reaches another's, solved side by
/// side. Every start offset lies in some window (consecutive windows `stride` apart).
fn batches(
    n: usize,
    cyclic: bool,
    (width, stride): (usize, usize),
    longest: usize,
    per_day: usize,
) -> Vec<Vec<usize>> {
    let reach = width + longest;
    let separation = reach.div_ceil(per_day.max(1)).max(1) * per_day.max(1);
    let mut out = Vec::new();
    for a in (0..separation.min(n)).step_by(stride) {
        let mut members: Vec<usize> = (a..n).step_by(separation).collect();
        // Around the cycle the last window must stay clear of the first as well.
        let last = members.last().copied().unwrap_or(a);
        let alone = (cyclic && members.len() > 1 && n - (last - a) < reach)
            .then(|| members.pop())
            .flatten();
        out.push(members);
        if let Some(last) = alone {
            out.push(vec![last]);
        }
    }
    out
}

/// Whether unwrapped start `offset` lies in the window of `width` intervals from `a`.
fn in_window(offset: usize, a: usize, width: usize, n: usize) -> bool {
    (offset % n + n - a % n) % n < width
}

/// Candidate index by (template, start offset).
fn candidate_index(inst: &Instance<'_>) -> HashMap<(usize, usize), usize> {
    inst.candidates
        .iter()
        .enumerate()
        .map(|(k, c)| ((c.template, c.start_offset), k))
        .collect()
}

/// Re-plans the window of `kind` starting at `a`, `width` intervals wide, of `agents` (whose
/// objective is `before`; `whole`: [`candidate_index`] of `inst`): `(agents removed, agents
/// added)` when the sub-MIP found a cheaper way to cover what the other agents leave short.
fn window(
    inst: &Instance<'_>,
    whole: &HashMap<(usize, usize), usize>,
    (agents, before): (&[AgentShift], f64),
    (kind, a, width): (WindowKind, usize, usize),
    nodes: u64,
    cap: &Cap,
) -> Option<(Vec<AgentShift>, Vec<AgentShift>)> {
    let n = inst.n;
    // Whether candidate `c` of `inst` is freed by (and may be chosen in) the window.
    let inside = |c: usize| match kind {
        WindowKind::Starts => in_window(inst.candidates[c].start_offset, a, width, n),
        WindowKind::Presence => inst.presence[c]
            .iter()
            .any(|&(i, _)| in_window(i, a, width, n)),
    };
    let (freed, kept): (Vec<AgentShift>, Vec<AgentShift>) = agents
        .iter()
        .cloned()
        .partition(|agent| inside(agent.candidate));
    let coverage = evaluate(inst.input, &inst.candidates, &kept);
    let residual: Vec<Vec<u32>> = coverage
        .shortfall
        .iter()
        .map(|row| row.iter().map(|s| s.round().max(0.0) as u32).collect())
        .collect();
    let input = ScheduleInput {
        horizon: inst.input.horizon,
        cyclic: inst.input.cyclic,
        rules: inst.input.rules,
        queues: inst.input.queues.clone(),
        required: residual,
        supply: None,
        goals: None,
        understaffing_cost: vec![None; inst.input.queues.len()],
        shift_start_costs: false,
    };
    let mut sub = Instance::new(&input);
    // The sub-instance has the candidates of `inst` (same rules and horizon), found in
    // `whole` by (template, start).
    sub.retain_candidates(|c| {
        whole
            .get(&(c.template, c.start_offset))
            .is_some_and(|&k| inside(k))
    });
    let local = candidate_index(&sub);
    let start: Vec<AgentShift> = freed
        .iter()
        .filter_map(|agent| {
            let c = &inst.candidates[agent.candidate];
            local
                .get(&(c.template, c.start_offset))
                .map(|&k| AgentShift {
                    candidate: k,
                    break_offsets: agent.break_offsets.clone(),
                })
        })
        .collect();
    let model = ShiftModel::build(&sub, true);
    let warm = model.start_values(&start);
    let groups = sub.group_queues.len();
    let budget = NodeBudget { nodes, gap: 0.0 };
    let values = solve_mip_nodes(model, budget, (cap, "window sub-MIP"), warm, groups, n).ok()?;
    let mut added = Vec::new();
    for agent in disaggregate(&sub, &values) {
        let c = &sub.candidates[agent.candidate];
        let k = *whole.get(&(c.template, c.start_offset))?;
        added.push(AgentShift {
            candidate: k,
            break_offsets: agent.break_offsets,
        });
    }
    let mut trial = kept;
    trial.extend(added.iter().cloned());
    let after = objective(inst, score(inst, &trial));
    (after < before - 1e-9).then_some((freed, added))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::scenario::Scenario;
    use crate::schedule::{Method, ScheduleOptions};

    /// Every start offset lies in a window, and the windows of a batch stay farther apart
    /// than a window plus the longest shift (around the cycle too), for horizons of whole and
    /// partial days.
    #[test]
    fn batches_cover_every_start_and_keep_side_by_side_windows_apart() {
        for n in [10, 50, 92, 96, 100, 200, 668, 672, 676] {
            for cyclic in [false, true] {
                for (width, stride, longest) in [(24, 12, 42), (8, 8, 16), (4, 1, 3), (30, 7, 20)] {
                    let batches = batches(n, cyclic, (width, stride), longest, 96);
                    let reach = width + longest;
                    let mut covered = vec![false; n];
                    for batch in &batches {
                        for &a in batch {
                            for w in 0..width {
                                covered[(a + w) % n] = true;
                            }
                        }
                        for (i, &a) in batch.iter().enumerate() {
                            for &b in &batch[i + 1..] {
                                let d = b.abs_diff(a);
                                let d = if cyclic { d.min(n - d) } else { d };
                                assert!(d >= reach, "n {n} cyclic {cyclic}: {a} and {b}");
                            }
                        }
                    }
                    assert!(covered.iter().all(|&c| c), "n {n} cyclic {cyclic}: gap");
                }
            }
        }
    }

    fn scenario() -> Scenario {
        let text = r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 30
time_zone = "UTC"
cyclic = true
[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"
[[shift]]
name = "short"
length = "4h"
start_window = "00:00-24:00"
start_step = "1h"
cost_per_hour = 22.0
[[shift]]
name = "long"
length = "8h30m"
paid = "8h"
start_window = "00:00-24:00"
start_step = "1h"
cost_per_hour = 20.0
[[shift.break]]
duration = "30m"
paid = false
earliest = "3h"
latest = "5h"
"#;
        Scenario::from_toml(text, "t.toml".as_ref(), ".".as_ref()).unwrap()
    }

    /// From a wasteful start (the repaired rounding of nothing), the windows of either kind
    /// never make the schedule worse, keep it covered with every break in its window, and
    /// never beat the optimum of the exact pattern MIP (every break pattern enumerated, solved
    /// to the end); one window over the whole day is that exact MIP and must reach its
    /// optimum. A budget of no windows leaves the schedule as it is.
    #[test]
    fn windows_improve_validly_and_a_whole_day_window_reaches_the_exact_optimum() {
        let scenario = scenario();
        let required: Vec<u32> = (0..48)
            .map(|i| match i {
                0..14 => 1,
                14..20 => 3,
                20..32 => 6,
                32..40 => 4,
                _ => 2,
            })
            .collect();
        let input = ScheduleInput::new(&scenario, vec![required.clone()]);
        let inst = Instance::new(&input);
        let far = Cap::none();
        let start = super::super::repair::repaired(&inst, &[]);
        let start_value = objective(&inst, score(&inst, &start));
        let exact = crate::schedule::schedule(
            &input,
            &ScheduleOptions {
                method: Method::Mip,
                gap: 0.0,
                ..ScheduleOptions::default()
            },
        )
        .unwrap();
        assert_eq!(exact.report.status.as_str(), "optimal");
        let optimum = exact.report.cost;
        // The start leaves room to improve, so the windows are put to work.
        assert!(start_value > optimum + 1.0, "{start_value} vs {optimum}");
        let mut improved = Vec::new();
        for (kind, width, stride, nodes, whole) in [
            (WindowKind::Starts, 180, 60, 100, false),
            (WindowKind::Starts, 1440, 1440, 100_000, true),
            (WindowKind::Presence, 240, 120, 100, false),
            (WindowKind::Presence, 1440, 1440, 100_000, true),
        ] {
            let settings = WindowSettings {
                kind,
                width_minutes: width,
                stride_minutes: stride,
                nodes,
                passes: 2,
                max_windows: usize::MAX,
            };
            let nothing = improve(
                &inst,
                &start,
                &[],
                WindowSettings {
                    max_windows: 0,
                    ..settings
                },
                |_| false,
                &far,
            );
            assert_eq!(nothing, start, "{kind:?}: a budget of no windows");
            let agents = improve(&inst, &start, &[], settings, |_| false, &far);
            let (cost, under) = score(&inst, &agents);
            assert_eq!(under, 0.0, "{kind:?} width {width}");
            assert!(objective(&inst, (cost, under)) <= start_value + 1e-9);
            improved.push(cost);
            assert!(
                cost >= optimum - 1e-6,
                "width {width}: {cost} below {optimum}"
            );
            if whole {
                assert!((cost - optimum).abs() < 1e-6, "{cost} vs optimum {optimum}");
            }
            for agent in &agents {
                let candidate = &inst.candidates[agent.candidate];
                let rules = &scenario.shifts.templates[candidate.template].breaks;
                assert_eq!(agent.break_offsets.len(), rules.len());
                for (rule, &t) in rules.iter().zip(&agent.break_offsets) {
                    let relative = (t - candidate.start_offset) as u32 * 30;
                    assert!((rule.earliest_minutes..=rule.latest_minutes).contains(&relative));
                }
            }
        }
        // The four-hour presence windows find something from this start (a test of the
        // presence kind that could fail if its windows freed nobody).
        assert!(
            improved[2] < start_value - 1.0,
            "{improved:?} from {start_value}"
        );
    }
}
