//! Discrete-event simulation of a roster: the check on the Erlang predictions.
//!
//! # Model
//!
//! - **Arrivals**: a Poisson process per queue whose rate is constant inside each interval
//!   (`volume / interval length`) and jumps at interval boundaries (exact thinning-free
//!   inversion of the piecewise-constant cumulative rate).
//! - **Handle times**: exponential with the interval's AHT (the Erlang assumption) or lognormal
//!   with the same mean and a given coefficient of variation, drawn when service starts and
//!   taken from the AHT of the contact's arrival interval.
//! - **Patience** (queues with `patience`, when enabled): exponential with the queue's mean; a
//!   contact still waiting when it runs out hangs up.
//! - **Agents**: each roster shift is a server that works the queues of its skill group while
//!   on duty (the on-queue stretches of [`crate::evaluate::ShiftPresence`]: shift minus breaks,
//!   training and absence). At the end of a stretch the agent takes no new contact but finishes
//!   the current one; the agents whose stretch goes on keep what they are handling, and an
//!   agent whose stretch starts is free at once (unless still finishing a contact from before
//!   a break). A change of head count is therefore never a fresh set of free agents: a
//!   head-count schedule such as ciw's non-pre-emptive `Schedule`, which takes every server off
//!   duty at every change and adds the new count afresh, reads 0.2 to 1 point more service on
//!   the small call center (`benches/ciw_compare.py`, BENCHMARKS.md; pinned by
//!   `tests/simulate_shift_changes.rs`). A chat agent handles up to `concurrency` contacts of a
//!   chat queue at once (each contact of queue `q` uses `1/concurrency_q` of the agent).
//! - **Routing**: FCFS. An arriving contact goes to the agent that has been available longest;
//!   an agent who becomes available takes the contact that has waited longest among its queues.
//!
//! # Measures
//!
//! Per queue per interval (by the contact's *arrival* interval), with the definitions of the
//! Erlang engine: service level = answered within the target time over *all* arrivals
//! (abandoned contacts count as not answered in time), ASA = mean time in queue over all
//! arrivals (abandoned contacts count their time until they hung up), abandonment = abandoned
//! over arrivals. Contacts still waiting when the last agent has left count as not answered.
//!
//! # Confidence intervals
//!
//! Independent replications: replication `r` uses the random stream `(seed, r)` (see
//! [`rng::Rng::stream`]), so results do not depend on how many replications run or in which
//! order. An estimate is the ratio of sums over replications (answered in time over arrivals,
//! the per-contact rate that Erlang predicts) with a delta-method Student-t confidence interval
//! ([`ratio_estimate`]).

pub mod rng;

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap, VecDeque};

use serde::Serialize;

use crate::evaluate::{ShiftPresence, SkillGroups};
use crate::scenario::{Channel, Scenario};
use crate::staffing;
use crate::volume::QueueVolume;
use rng::Rng;

/// Distribution of handle times.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum HandleTime {
    /// Exponential with the AHT as mean (the Erlang assumption).
    Exponential,
    /// Lognormal with the AHT as mean and this coefficient of variation.
    LogNormal {
        /// Standard deviation over mean, e.g. 0.6.
        cv: f64,
    },
}

/// Options of a simulation.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct SimulationOptions {
    /// Independent replications (at least 2 for a confidence interval).
    pub replications: u32,
    /// Seed of the random streams.
    pub seed: u64,
    /// Handle-time distribution.
    pub handle_time: HandleTime,
    /// Whether contacts of queues with a patience abandon.
    pub abandonment: bool,
    /// Confidence level of the intervals, e.g. 0.99.
    pub confidence: f64,
    /// Take each queue's shrinkage off the agents' on-queue time, as the evaluation does:
    /// every agent is off the queue for whole intervals, `shrinkage` of them, spread so that
    /// about `shrinkage` of the agents on shift are off in every interval (golden-ratio
    /// phases per agent).
    pub apply_shrinkage: bool,
}

impl Default for SimulationOptions {
    fn default() -> Self {
        SimulationOptions {
            replications: 30,
            seed: 1,
            handle_time: HandleTime::Exponential,
            abandonment: true,
            confidence: 0.99,
            apply_shrinkage: false,
        }
    }
}

/// Counts of one interval of one queue in one replication.
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize)]
pub struct IntervalCounts {
    /// Contacts arrived.
    pub arrivals: u64,
    /// Contacts answered.
    pub answered: u64,
    /// Contacts answered within the target time.
    pub answered_in_time: u64,
    /// Contacts that abandoned.
    pub abandoned: u64,
    /// Total time in queue, seconds (answered: until answered; abandoned: until they hung up;
    /// left waiting at the end: until the end).
    pub wait_seconds: f64,
}

impl IntervalCounts {
    /// Adds another interval's counts.
    pub fn add(&mut self, other: &IntervalCounts) {
        self.arrivals += other.arrivals;
        self.answered += other.answered;
        self.answered_in_time += other.answered_in_time;
        self.abandoned += other.abandoned;
        self.wait_seconds += other.wait_seconds;
    }

    /// Answered in time over arrivals.
    pub fn service_level(&self) -> Option<f64> {
        (self.arrivals > 0).then(|| self.answered_in_time as f64 / self.arrivals as f64)
    }

    /// Mean time in queue over arrivals, seconds.
    pub fn asa_seconds(&self) -> Option<f64> {
        (self.arrivals > 0).then(|| self.wait_seconds / self.arrivals as f64)
    }

    /// Abandoned over arrivals.
    pub fn abandon_rate(&self) -> Option<f64> {
        (self.arrivals > 0).then(|| self.abandoned as f64 / self.arrivals as f64)
    }
}

/// Counts of one replication: `counts[q][i]`.
#[derive(Debug, Clone, PartialEq)]
pub struct ReplicationCounts {
    /// Per queue (scenario order), per interval.
    pub counts: Vec<Vec<IntervalCounts>>,
}

impl ReplicationCounts {
    /// Sum of queue `q`'s counts over the intervals `range`.
    pub fn pooled(&self, q: usize, range: std::ops::Range<usize>) -> IntervalCounts {
        let mut total = IntervalCounts::default();
        for c in &self.counts[q][range] {
            total.add(c);
        }
        total
    }
}

/// A mean over replications with its confidence interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Estimate {
    /// Mean over replications.
    pub mean: f64,
    /// Half-width of the confidence interval.
    pub half_width: f64,
    /// Replications that contributed.
    pub samples: u32,
}

impl Estimate {
    /// Lower end of the confidence interval.
    pub fn low(&self) -> f64 {
        self.mean - self.half_width
    }

    /// Upper end of the confidence interval.
    pub fn high(&self) -> f64 {
        self.mean + self.half_width
    }

    /// Whether `value` lies inside the confidence interval.
    pub fn contains(&self, value: f64) -> bool {
        self.low() <= value && value <= self.high()
    }
}

/// Mean and Student-t confidence interval of `samples` at `confidence` (e.g. 0.99). `None`
/// without samples; half-width infinite with one sample.
pub fn estimate(samples: &[f64], confidence: f64) -> Option<Estimate> {
    if samples.is_empty() {
        return None;
    }
    let n = samples.len() as f64;
    let mean = samples.iter().sum::<f64>() / n;
    let half_width = if samples.len() < 2 {
        f64::INFINITY
    } else {
        let variance = samples.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n - 1.0);
        student_t_quantile(0.5 + confidence / 2.0, n - 1.0) * (variance / n).sqrt()
    };
    Some(Estimate {
        mean,
        half_width,
        samples: samples.len() as u32,
    })
}

/// Ratio estimate `Σ numerator / Σ denominator` over replications (e.g. answered in time over
/// arrivals), with a delta-method Student-t confidence interval. This is the per-contact rate
/// the Erlang formulas predict; the mean of per-replication ratios would weight a replication
/// with few arrivals (and so usually a better service level) as much as a busy one, which
/// biases it upwards when arrivals per replication are few. `None` when every denominator is 0.
pub fn ratio_estimate(pairs: &[(f64, f64)], confidence: f64) -> Option<Estimate> {
    let used: Vec<(f64, f64)> = pairs.iter().copied().filter(|p| p.1 > 0.0).collect();
    if used.is_empty() {
        return None;
    }
    let n = used.len() as f64;
    let numerator: f64 = used.iter().map(|p| p.0).sum();
    let denominator: f64 = used.iter().map(|p| p.1).sum();
    let ratio = numerator / denominator;
    let half_width = if used.len() < 2 {
        f64::INFINITY
    } else {
        let mean_denominator = denominator / n;
        let residual: f64 = used.iter().map(|(x, y)| (x - ratio * y).powi(2)).sum();
        let variance = residual / ((n - 1.0) * n * mean_denominator * mean_denominator);
        student_t_quantile(0.5 + confidence / 2.0, n - 1.0) * variance.sqrt()
    };
    Some(Estimate {
        mean: ratio,
        half_width,
        samples: used.len() as u32,
    })
}

/// Standard normal quantile (Acklam's rational approximation, relative error below 1.2e-9).
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969_683_028_665_376e1,
        2.209_460_984_245_205e2,
        -2.759_285_104_469_687e2,
        1.383_577_518_672_69e2,
        -3.066_479_806_614_716e1,
        2.506_628_277_459_239,
    ];
    const B: [f64; 5] = [
        -5.447_609_879_822_406e1,
        1.615_858_368_580_409e2,
        -1.556_989_798_598_866e2,
        6.680_131_188_771_972e1,
        -1.328_068_155_288_572e1,
    ];
    const C: [f64; 6] = [
        -7.784_894_002_430_293e-3,
        -3.223_964_580_411_365e-1,
        -2.400_758_277_161_838,
        -2.549_732_539_343_734,
        4.374_664_141_464_968,
        2.938_163_982_698_783,
    ];
    const D: [f64; 4] = [
        7.784_695_709_041_462e-3,
        3.224_671_290_700_398e-1,
        2.445_134_137_142_996,
        3.754_408_661_907_416,
    ];
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}

/// Student-t quantile with `dof` degrees of freedom (Cornish–Fisher expansion around the
/// normal quantile; within 0.1 % of the exact value for 5 or more degrees of freedom, and
/// conservative below).
pub fn student_t_quantile(p: f64, dof: f64) -> f64 {
    let z = normal_quantile(p);
    let (z2, v) = (z * z, dof);
    z + z * (z2 + 1.0) / (4.0 * v)
        + z * (5.0 * z2 * z2 + 16.0 * z2 + 3.0) / (96.0 * v * v)
        + z * (3.0 * z2.powi(3) + 19.0 * z2 * z2 + 17.0 * z2 - 15.0) / (384.0 * v.powi(3))
        + z * (79.0 * z2.powi(4) + 776.0 * z2.powi(3) + 1482.0 * z2 * z2 - 1920.0 * z2 - 945.0)
            / (92_160.0 * v.powi(4))
}

/// Simulated measures of one interval of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalSimulation {
    /// Mean arrivals per replication.
    pub arrivals: f64,
    /// Service level.
    pub service_level: Option<Estimate>,
    /// Mean time in queue, seconds.
    pub asa_seconds: Option<Estimate>,
    /// Abandonment rate.
    pub abandon_rate: Option<Estimate>,
}

/// Simulated measures of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueSimulation {
    /// Queue id.
    pub queue: String,
    /// Per interval.
    pub intervals: Vec<IntervalSimulation>,
    /// Service level of each plan day.
    pub days: Vec<Option<Estimate>>,
    /// Service level of the whole horizon.
    pub week: Option<Estimate>,
}

/// The result of a simulation.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SimulationReport {
    /// Replications run.
    pub replications: u32,
    /// Seed used.
    pub seed: u64,
    /// Confidence level of the intervals.
    pub confidence: f64,
    /// Per queue (voice and chat; email queues are not simulated and have no entry).
    pub queues: Vec<QueueSimulation>,
}

/// Everything fixed across replications.
#[derive(Debug, Clone)]
pub struct Simulator<'a> {
    scenario: &'a Scenario,
    volumes: &'a [QueueVolume],
    /// Per server (one per roster shift): queues worked and on-duty stretches.
    servers: Vec<ServerPlan>,
    options: SimulationOptions,
}

/// What one server (a roster shift) works and when.
#[derive(Debug, Clone)]
struct ServerPlan {
    /// Queue indices (voice and chat only).
    queues: Vec<usize>,
    /// On-duty stretches, seconds from the horizon start.
    duty: Vec<(i64, i64)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
enum Event {
    DutyEnd(usize),
    Completion(usize, usize),
    DutyStart(usize),
    Abandon(usize),
    Arrival(usize),
}

/// Event time with a total order (times are finite).
#[derive(Debug, Clone, Copy, PartialEq)]
struct Time(f64);
impl Eq for Time {}
impl PartialOrd for Time {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}
impl Ord for Time {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.0.total_cmp(&other.0)
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ContactState {
    Waiting,
    Served,
    Abandoned,
}

struct Contact {
    queue: usize,
    interval: usize,
    arrival: f64,
    state: ContactState,
}

struct Server {
    on_duty: bool,
    used: f64,
    /// Availability key (smaller = available longer) while in the idle sets.
    idle_key: Option<u64>,
}

/// On-duty stretches without the intervals the agent spends off the queue: interval `i` is
/// off when `frac(phase + i × share) < share`, a sequence with exactly `share` of the
/// intervals off over time, and, with phases spread across agents, about `share` of the
/// agents off in every interval. Whole intervals keep the absence long against a handle time,
/// so that finishing the current contact does not swallow it.
fn thin_duty(duty: &[(i64, i64)], step: i64, phase: f64, share: f64) -> Vec<(i64, i64)> {
    if share <= 0.0 || step <= 0 {
        return duty.to_vec();
    }
    let off = |i: i64| (phase + i as f64 * share).rem_euclid(1.0) < share;
    let mut out = Vec::new();
    for &(a, b) in duty {
        let mut from = a;
        for i in a.div_euclid(step)..=(b - 1).div_euclid(step) {
            let (lo, hi) = (i * step, (i + 1) * step);
            if off(i) {
                if from < lo.max(a) {
                    out.push((from, lo.max(a)));
                }
                from = hi.min(b);
            }
        }
        if from < b {
            out.push((from, b));
        }
    }
    out
}

impl<'a> Simulator<'a> {
    /// A simulator of the shifts `presences` (with what-if blocks already applied).
    pub fn new(
        scenario: &'a Scenario,
        volumes: &'a [QueueVolume],
        presences: &[ShiftPresence],
        groups: &SkillGroups,
        options: SimulationOptions,
    ) -> Simulator<'a> {
        let step = scenario.horizon.interval_seconds() as i64;
        let servers = presences
            .iter()
            .filter(|p| !p.duty.is_empty())
            .enumerate()
            .map(|(k, p)| {
                let queues: Vec<usize> = groups
                    .queues_of(p.group)
                    .iter()
                    .copied()
                    .filter(|&q| scenario.queues[q].channel != Channel::Email)
                    .collect();
                let shrinkage = if options.apply_shrinkage && !queues.is_empty() {
                    queues
                        .iter()
                        .map(|&q| scenario.queues[q].shrinkage)
                        .sum::<f64>()
                        / queues.len() as f64
                } else {
                    0.0
                };
                // Golden-ratio phases spread the agents' off-queue windows over the interval.
                let phase = (k as f64 * 0.618_033_988_749_895).fract();
                ServerPlan {
                    queues,
                    duty: thin_duty(&p.duty, step, phase, shrinkage),
                }
            })
            .collect();
        Simulator {
            scenario,
            volumes,
            servers,
            options,
        }
    }

    fn simulated_queues(&self) -> Vec<usize> {
        (0..self.scenario.queues.len())
            .filter(|&q| self.scenario.queues[q].channel != Channel::Email)
            .collect()
    }

    /// Runs replication `r` (random stream `(seed, r)`).
    pub fn replication(&self, r: u32) -> ReplicationCounts {
        let horizon = &self.scenario.horizon;
        let step = horizon.interval_seconds();
        let len = horizon.len();
        let end = step * len as f64;
        let queues = &self.scenario.queues;
        let mut rng = Rng::stream(self.options.seed, &[u64::from(r)]);
        let mut counts = vec![vec![IntervalCounts::default(); len]; queues.len()];
        let mut heap: BinaryHeap<Reverse<(Time, u64, Event)>> = BinaryHeap::new();
        let mut sequence = 0u64;
        let mut push = |heap: &mut BinaryHeap<_>, t: f64, e: Event| {
            sequence += 1;
            heap.push(Reverse((Time(t), sequence, e)));
        };
        let answer: Vec<f64> = queues
            .iter()
            .map(|q| q.service.map_or(0.0, |s| s.answer_seconds))
            .collect();
        let share: Vec<f64> = queues
            .iter()
            .map(|q| 1.0 / f64::from(q.concurrency.max(1)))
            .collect();
        let patience: Vec<Option<f64>> = queues
            .iter()
            .map(|q| q.patience_seconds.filter(|_| self.options.abandonment))
            .collect();
        // Duty stretches.
        for (s, plan) in self.servers.iter().enumerate() {
            for &(a, b) in &plan.duty {
                push(&mut heap, a as f64, Event::DutyStart(s));
                push(&mut heap, b as f64, Event::DutyEnd(s));
            }
        }
        // First arrival of each queue.
        let next_arrival = |rng: &mut Rng, q: usize, from: f64| -> Option<f64> {
            let volume = &self.volumes[q].volume;
            let mut remaining = rng.exponential(1.0);
            let mut t = from;
            let mut i = (t / step) as usize;
            while i < len {
                let rate = volume[i].max(0.0) / step;
                let interval_end = (i + 1) as f64 * step;
                let mass = rate * (interval_end - t);
                if rate > 0.0 && mass > remaining {
                    return Some(t + remaining / rate);
                }
                remaining -= mass;
                t = interval_end;
                i += 1;
            }
            None
        };
        for q in self.simulated_queues() {
            if let Some(t) = next_arrival(&mut rng, q, 0.0) {
                push(&mut heap, t, Event::Arrival(q));
            }
        }
        let mut servers: Vec<Server> = self
            .servers
            .iter()
            .map(|_| Server {
                on_duty: false,
                used: 0.0,
                idle_key: None,
            })
            .collect();
        let mut contacts: Vec<Contact> = Vec::new();
        let mut waiting: Vec<VecDeque<usize>> = vec![VecDeque::new(); queues.len()];
        let mut idle: Vec<BTreeSet<(u64, usize)>> = vec![BTreeSet::new(); queues.len()];
        let mut idle_counter = 0u64;
        let fits =
            |server: &Server, q: usize| server.on_duty && server.used + share[q] <= 1.0 + 1e-9;

        while let Some(Reverse((Time(now), _, event))) = heap.pop() {
            // Servers whose availability may have changed.
            let mut touched: Option<usize> = None;
            match event {
                Event::Arrival(q) => {
                    let interval = ((now / step) as usize).min(len - 1);
                    counts[q][interval].arrivals += 1;
                    let id = contacts.len();
                    contacts.push(Contact {
                        queue: q,
                        interval,
                        arrival: now,
                        state: ContactState::Waiting,
                    });
                    if let Some(&(_, s)) = idle[q].iter().next() {
                        let hold = self.start_service(
                            &mut rng,
                            &mut contacts[id],
                            now,
                            &answer,
                            &mut counts,
                        );
                        servers[s].used += share[q];
                        push(&mut heap, now + hold, Event::Completion(s, q));
                        touched = Some(s);
                    } else {
                        waiting[q].push_back(id);
                        if let Some(mean) = patience[q] {
                            let patience_draw = rng.exponential(mean);
                            push(&mut heap, now + patience_draw, Event::Abandon(id));
                        }
                    }
                    if let Some(t) = next_arrival(&mut rng, q, now) {
                        push(&mut heap, t, Event::Arrival(q));
                    }
                }
                Event::Abandon(id) => {
                    let contact = &mut contacts[id];
                    if contact.state == ContactState::Waiting {
                        contact.state = ContactState::Abandoned;
                        let c = &mut counts[contact.queue][contact.interval];
                        c.abandoned += 1;
                        c.wait_seconds += now - contact.arrival;
                    }
                }
                Event::Completion(s, q) => {
                    servers[s].used = (servers[s].used - share[q]).max(0.0);
                    touched = Some(s);
                }
                Event::DutyStart(s) => {
                    servers[s].on_duty = true;
                    touched = Some(s);
                }
                Event::DutyEnd(s) => {
                    servers[s].on_duty = false;
                    touched = Some(s);
                }
            }
            let Some(s) = touched else { continue };
            let my_queues = &self.servers[s].queues;
            // A server with room takes the longest-waiting contact among its queues.
            loop {
                let mut best: Option<(f64, usize, usize)> = None;
                for &q in my_queues {
                    if !fits(&servers[s], q) {
                        continue;
                    }
                    while let Some(&front) = waiting[q].front() {
                        if contacts[front].state == ContactState::Waiting {
                            break;
                        }
                        waiting[q].pop_front();
                    }
                    if let Some(&front) = waiting[q].front() {
                        let arrival = contacts[front].arrival;
                        if best.is_none_or(|(t, _, _)| arrival < t) {
                            best = Some((arrival, q, front));
                        }
                    }
                }
                let Some((_, q, id)) = best else { break };
                waiting[q].pop_front();
                let hold =
                    self.start_service(&mut rng, &mut contacts[id], now, &answer, &mut counts);
                servers[s].used += share[q];
                push(&mut heap, now + hold, Event::Completion(s, q));
            }
            // Re-file the server in the idle sets.
            if let Some(key) = servers[s].idle_key.take() {
                for &q in my_queues {
                    idle[q].remove(&(key, s));
                }
            }
            let available: Vec<usize> = my_queues
                .iter()
                .copied()
                .filter(|&q| fits(&servers[s], q))
                .collect();
            if !available.is_empty() {
                idle_counter += 1;
                servers[s].idle_key = Some(idle_counter);
                for q in available {
                    idle[q].insert((idle_counter, s));
                }
            }
        }
        // Contacts nobody answered: counted as not answered, waiting until the end.
        let last = end.max(
            self.servers
                .iter()
                .flat_map(|plan| plan.duty.iter().map(|&(_, b)| b as f64))
                .fold(0.0, f64::max),
        );
        for contact in &contacts {
            if contact.state == ContactState::Waiting {
                counts[contact.queue][contact.interval].wait_seconds += last - contact.arrival;
            }
        }
        ReplicationCounts { counts }
    }

    fn start_service(
        &self,
        rng: &mut Rng,
        contact: &mut Contact,
        now: f64,
        answer: &[f64],
        counts: &mut [Vec<IntervalCounts>],
    ) -> f64 {
        contact.state = ContactState::Served;
        let wait = now - contact.arrival;
        let c = &mut counts[contact.queue][contact.interval];
        c.answered += 1;
        c.wait_seconds += wait;
        if wait <= answer[contact.queue] {
            c.answered_in_time += 1;
        }
        let aht = self.volumes[contact.queue].aht_seconds[contact.interval];
        match self.options.handle_time {
            HandleTime::Exponential => rng.exponential(aht),
            HandleTime::LogNormal { cv } => rng.lognormal(aht, cv),
        }
    }

    /// Runs every replication in order.
    pub fn replications(&self) -> Vec<ReplicationCounts> {
        (0..self.options.replications)
            .map(|r| self.replication(r))
            .collect()
    }

    /// Runs the replications and summarizes them.
    pub fn run(&self) -> SimulationReport {
        let runs = self.replications();
        self.report(&runs)
    }

    /// Summarizes replications into estimates.
    pub fn report(&self, runs: &[ReplicationCounts]) -> SimulationReport {
        let horizon = &self.scenario.horizon;
        let confidence = self.options.confidence;
        let open: Vec<Vec<bool>> = self
            .scenario
            .queues
            .iter()
            .map(|q| staffing::open_intervals(q, horizon))
            .collect();
        let over = |f: &dyn Fn(&ReplicationCounts) -> IntervalCounts,
                    measure: fn(&IntervalCounts) -> f64|
         -> Option<Estimate> {
            let pairs: Vec<(f64, f64)> = runs
                .iter()
                .map(|r| {
                    let c = f(r);
                    (measure(&c), c.arrivals as f64)
                })
                .collect();
            ratio_estimate(&pairs, confidence)
        };
        let in_time: fn(&IntervalCounts) -> f64 = |c| c.answered_in_time as f64;
        let waited: fn(&IntervalCounts) -> f64 = |c| c.wait_seconds;
        let abandoned: fn(&IntervalCounts) -> f64 = |c| c.abandoned as f64;
        let queues = self
            .simulated_queues()
            .into_iter()
            .map(|q| {
                let intervals = (0..horizon.len())
                    .map(|i| IntervalSimulation {
                        arrivals: runs
                            .iter()
                            .map(|r| r.counts[q][i].arrivals as f64)
                            .sum::<f64>()
                            / runs.len().max(1) as f64,
                        service_level: over(&|r| r.counts[q][i], in_time),
                        asa_seconds: over(&|r| r.counts[q][i], waited),
                        abandon_rate: over(&|r| r.counts[q][i], abandoned),
                    })
                    .collect();
                let open_pooled = |r: &ReplicationCounts, range: std::ops::Range<usize>| {
                    let mut total = IntervalCounts::default();
                    for i in range {
                        if open[q][i] {
                            total.add(&r.counts[q][i]);
                        }
                    }
                    total
                };
                let days = (0..horizon.days() as usize)
                    .map(|d| over(&|r| open_pooled(r, horizon.day_range(d)), in_time))
                    .collect();
                let week = over(&|r| open_pooled(r, 0..horizon.len()), in_time);
                QueueSimulation {
                    queue: self.scenario.queues[q].id.clone(),
                    intervals,
                    days,
                    week,
                }
            })
            .collect();
        SimulationReport {
            replications: self.options.replications,
            seed: self.options.seed,
            confidence,
            queues,
        }
    }
}

/// Writes `simulation.csv`: per interval per simulated queue the Erlang prediction next to the
/// simulated value and its confidence interval:
/// `interval_start,local_start,queue,volume,on_queue_agents,erlang_service_level,
/// simulated_service_level,ci_low,ci_high,erlang_asa_seconds,simulated_asa_seconds,
/// erlang_abandon_rate,simulated_abandon_rate,simulated_arrivals`.
pub fn write_simulation_csv<W: std::io::Write>(
    writer: W,
    horizon: &crate::time::Horizon,
    evaluation: &crate::evaluate::Evaluation,
    report: &SimulationReport,
) -> crate::error::Result<()> {
    use crate::csvio::{interval_cells, optional_number};
    use crate::units::format_number;
    let cells = interval_cells(horizon);
    let rows = cells.iter().enumerate().flat_map(|(i, (start, local))| {
        report.queues.iter().filter_map(move |sim| {
            let predicted = evaluation.queues.iter().find(|q| q.queue == sim.queue)?;
            let p = &predicted.intervals[i];
            let s = &sim.intervals[i];
            let sl = s.service_level.filter(|_| p.open);
            Some(SimulationRow {
                interval_start: start,
                local_start: local,
                queue: &sim.queue,
                volume: format_number(p.volume, 3),
                on_queue_agents: format_number(p.on_queue_agents, 2),
                erlang_service_level: optional_number(p.service_level, 4),
                simulated_service_level: optional_number(sl.map(|e| e.mean), 4),
                ci_low: optional_number(sl.map(|e| e.low().max(0.0)), 4),
                ci_high: optional_number(sl.map(|e| e.high().min(1.0)), 4),
                erlang_asa_seconds: optional_number(p.asa_seconds, 1),
                simulated_asa_seconds: optional_number(
                    s.asa_seconds.filter(|_| p.open).map(|e| e.mean),
                    1,
                ),
                erlang_abandon_rate: optional_number(p.abandon_rate, 4),
                simulated_abandon_rate: optional_number(
                    s.abandon_rate.filter(|_| p.open).map(|e| e.mean),
                    4,
                ),
                simulated_arrivals: format_number(s.arrivals, 2),
            })
        })
    });
    crate::csvio::write_rows(writer, "simulation.csv", rows)
}

/// One row of `simulation.csv`.
#[derive(Default, Serialize)]
struct SimulationRow<'a> {
    interval_start: &'a str,
    local_start: &'a str,
    queue: &'a str,
    volume: String,
    on_queue_agents: String,
    erlang_service_level: String,
    simulated_service_level: String,
    ci_low: String,
    ci_high: String,
    erlang_asa_seconds: String,
    simulated_asa_seconds: String,
    erlang_abandon_rate: String,
    simulated_abandon_rate: String,
    simulated_arrivals: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quantiles_match_tables() {
        assert!((normal_quantile(0.995) - 2.575_829_3).abs() < 1e-6);
        assert!((normal_quantile(0.975) - 1.959_964).abs() < 1e-6);
        assert!((normal_quantile(0.005) + 2.575_829_3).abs() < 1e-6);
        // t tables: t(0.995, 9) = 3.2498, t(0.995, 29) = 2.7564, t(0.975, 5) = 2.5706.
        assert!((student_t_quantile(0.995, 9.0) - 3.2498).abs() < 0.01);
        assert!((student_t_quantile(0.995, 29.0) - 2.7564).abs() < 0.002);
        assert!((student_t_quantile(0.975, 5.0) - 2.5706).abs() < 0.01);
    }

    #[test]
    fn estimate_of_constant_samples_has_zero_width() {
        let e = estimate(&[0.75, 0.75, 0.75], 0.99).unwrap();
        assert_eq!(e.mean, 0.75);
        assert_eq!(e.half_width, 0.0);
        assert!(estimate(&[], 0.99).is_none());
    }
}
