//! Predicted service of a roster: per interval per queue the agents on the queue, the service
//! level, ASA, occupancy and abandonment, and the day and week service level weighted by volume.
//!
//! # How a roster becomes agents on a queue
//!
//! 1. **Presence** ([`presence`]): each assignment contributes, per interval, the fraction of
//!    the interval its agent is on shift and on the queue (breaks, what-if training blocks and
//!    partial absences removed). Counts are time averages, so they can be fractional.
//! 2. **Allocation of multi-skill agents** (rule: *proportional to the remaining
//!    requirement, then rebalanced*). Per interval, skill groups are taken in order of how many
//!    queues they serve (fewest first, so dedicated agents are placed first), then by id. A
//!    group's on-queue agents are split across its *open* queues in proportion to each queue's
//!    remaining requirement (required agents — divided by the shrinkage and absence factor
//!    when those apply — minus what earlier groups already gave it, at least 0). When every
//!    remaining requirement is 0 the split follows the required agents, then the offered load,
//!    then equal shares. Then a rebalancing pass moves a shared group's agents from a queue
//!    above its requirement to one of the group's queues below it (when two shared groups
//!    overlap, e.g. voice+chat and chat+email, the first split can leave chat over and voice
//!    under). So a group that can cover every queue's remaining requirement covers all of
//!    them, and a group that cannot leaves each queue short in proportion to its need. It
//!    models a router that keeps queues equally loaded relative to their staffing needs; it
//!    needs no Erlang calls, which keeps Monte Carlo cheap.
//! 3. **Shrinkage** (optional, [`EvaluateOptions::apply_shrinkage`]): on-queue agents are
//!    multiplied by `1 − shrinkage` of the queue. Off by default: breaks are in the roster and
//!    absences come from the what-if variants, so shrinkage would count them twice.
//!    [`EvaluateOptions::absence_rate`] multiplies by `1 − rate` (expected random absence).
//! 4. **Erlang per interval**: fractional staffing `x` is evaluated as the time mixture of
//!    `⌊x⌋` and `⌈x⌉` agents (weight `x − ⌊x⌋` on `⌈x⌉`), which is exact when the staffing
//!    inside the interval takes those two values (a break or a shift change inside it). Voice
//!    and chat use [`crate::erlang::evaluate`] (Erlang A when the queue has a patience).
//!    Email queues run the backlog forward with the agents present: the service level is the
//!    share of work finished within `response_within` (open time, as in staffing).
//! 5. **Day and week** service levels are volume-weighted averages over open intervals.

pub mod presence;

use serde::Serialize;

use crate::domain::routing::{self, RoutingData};
use crate::erlang::{self, Performance, Workload};
use crate::error::{CodeInfo, Result};
use crate::scenario::{Channel, Queue, Scenario};
use crate::staffing::{self, QueueRequirements};
use crate::time::{Horizon, format_local, format_utc};
use crate::volume::QueueVolume;
pub use presence::{
    BlockKind, GroupStaffing, ShiftPresence, SkillGroups, TimeBlock, shift_presence,
};

/// Error codes owned by evaluation, simulation and what-if (prefix `W`).
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "W1012",
        title: "skill group names an unknown queue",
        explanation: "A skill group lists a queue id that is not one of the scenario's \
                      [[queue]] ids. Fix the spelling or add the queue.",
    },
    CodeInfo {
        code: "W1013",
        title: "roster shift in an unknown skill group",
        explanation: "A roster assignment names a skill group the scenario does not declare, so \
                      its agent cannot be placed on any queue. Declare the group, or regenerate \
                      the roster from this scenario.",
    },
];

/// Options of an evaluation.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct EvaluateOptions {
    /// Multiply on-queue agents by `1 − shrinkage` of each queue.
    pub apply_shrinkage: bool,
    /// Expected share of agents absent at random (multiplies on-queue agents by `1 − rate`).
    pub absence_rate: f64,
}

/// Evaluation of one interval of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalEvaluation {
    /// Whether the queue is open.
    pub open: bool,
    /// Contacts arriving.
    pub volume: f64,
    /// Agents required on the queue (staffing).
    pub required_agents: u32,
    /// Agents on shift and not on a break or training for this queue, before shrinkage (time
    /// average; multi-skill agents allocated) — the schedule's `scheduled_agents`.
    pub scheduled_agents: f64,
    /// Agents on shift but off the queue (breaks, training).
    pub on_break: f64,
    /// Agents on the queue after shrinkage and expected absence (what Erlang sees).
    pub on_queue_agents: f64,
    /// Predicted service level (voice/chat: answered within the target time; email: work done
    /// within the response target). `None` when closed or without volume.
    pub service_level: Option<f64>,
    /// Predicted average speed of answer, seconds (voice/chat).
    pub asa_seconds: Option<f64>,
    /// Predicted occupancy.
    pub occupancy: Option<f64>,
    /// Predicted share of contacts abandoning (queues with a patience).
    pub abandon_rate: Option<f64>,
}

impl IntervalEvaluation {
    /// Agents missing on the queue: `max(0, required − on queue)`.
    pub fn shortfall(&self) -> f64 {
        (f64::from(self.required_agents) - self.on_queue_agents).max(0.0)
    }

    /// Agents above requirement: `max(0, on queue − required)`.
    pub fn surplus(&self) -> f64 {
        (self.on_queue_agents - f64::from(self.required_agents)).max(0.0)
    }
}

/// Evaluation of one queue over the horizon.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueEvaluation {
    /// Queue id.
    pub queue: String,
    /// Service-level target (share), if the queue has one.
    pub target: Option<f64>,
    /// One entry per horizon interval.
    pub intervals: Vec<IntervalEvaluation>,
    /// Volume-weighted service level of each plan day (`None` without open volume).
    pub days: Vec<Option<f64>>,
    /// Volume-weighted service level of the whole horizon.
    pub week: Option<f64>,
    /// Volume-weighted ASA of the horizon, seconds.
    pub week_asa_seconds: Option<f64>,
    /// Agent-hours below requirement over open intervals.
    pub understaffed_agent_hours: f64,
}

/// Evaluation of a roster.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Evaluation {
    /// One entry per queue, scenario order.
    pub queues: Vec<QueueEvaluation>,
}

/// The interval with the lowest predicted service level.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct WorstInterval {
    /// Queue index.
    pub queue: usize,
    /// Interval index.
    pub interval: usize,
    /// Its service level.
    pub service_level: f64,
}

impl Evaluation {
    /// The open interval with volume and the lowest service level (first one on ties).
    pub fn worst_interval(&self) -> Option<WorstInterval> {
        let mut worst: Option<WorstInterval> = None;
        for (q, queue) in self.queues.iter().enumerate() {
            for (i, r) in queue.intervals.iter().enumerate() {
                if let Some(sl) = r.service_level {
                    if worst.is_none_or(|w| sl < w.service_level) {
                        worst = Some(WorstInterval {
                            queue: q,
                            interval: i,
                            service_level: sl,
                        });
                    }
                }
            }
        }
        worst
    }

    /// Agent-hours below requirement, all queues.
    pub fn understaffed_agent_hours(&self) -> f64 {
        self.queues.iter().map(|q| q.understaffed_agent_hours).sum()
    }
}

/// Volume-weighted mean of `(volume, value)` pairs; `None` when there is no volume.
pub fn volume_weighted(pairs: impl IntoIterator<Item = (f64, f64)>) -> Option<f64> {
    let (mut weight, mut sum) = (0.0, 0.0);
    for (volume, value) in pairs {
        if volume > 0.0 {
            weight += volume;
            sum += volume * value;
        }
    }
    (weight > 0.0).then(|| sum / weight)
}

/// Everything an evaluation needs except the roster: queues, volumes, requirements, skill
/// groups, and a table of Erlang results per interval and agent count (so that evaluating many
/// rosters against the same volumes, as Monte Carlo does, costs table lookups).
#[derive(Debug, Clone)]
pub struct Evaluator<'a> {
    scenario: &'a Scenario,
    groups: &'a SkillGroups,
    volumes: Vec<QueueVolume>,
    requirements: Vec<QueueRequirements>,
    options: EvaluateOptions,
    open: Vec<Vec<bool>>,
    /// `table[q][i][n]`: performance of `n` agents; empty for email and closed intervals.
    table: Vec<Vec<Vec<Performance>>>,
    /// Skill groups in allocation order (fewest queues first, then id).
    group_order: Vec<usize>,
}

impl<'a> Evaluator<'a> {
    /// Prepares an evaluation: computes the requirements of `volumes` and the Erlang table up to
    /// the staffing of `capacity` (the largest staffing that will be evaluated, e.g. the full
    /// roster; larger counts are computed on demand).
    pub fn new(
        scenario: &'a Scenario,
        groups: &'a SkillGroups,
        volumes: Vec<QueueVolume>,
        options: EvaluateOptions,
        capacity: Option<&GroupStaffing>,
    ) -> Result<Evaluator<'a>> {
        let requirements = staffing::requirements(scenario, &volumes)?;
        let horizon = &scenario.horizon;
        let open: Vec<Vec<bool>> = scenario
            .queues
            .iter()
            .map(|q| staffing::open_intervals(q, horizon))
            .collect();
        let mut group_order: Vec<usize> = (0..groups.len()).collect();
        group_order.sort_by_key(|&g| (groups.queues_of(g).len(), g));
        let mut evaluator = Evaluator {
            scenario,
            groups,
            volumes,
            requirements,
            options,
            open,
            table: Vec::new(),
            group_order,
        };
        let mut table = Vec::with_capacity(scenario.queues.len());
        for (q, queue) in scenario.queues.iter().enumerate() {
            let mut per_interval = Vec::with_capacity(horizon.len());
            for i in 0..horizon.len() {
                let cap = match capacity {
                    Some(staffing) if queue.channel != Channel::Email && evaluator.open[q][i] => {
                        let total: f64 = (0..groups.len())
                            .filter(|&g| groups.queues_of(g).contains(&q))
                            .map(|g| staffing.on_queue[g][i])
                            .sum();
                        Some(total.ceil() as u32 + 1)
                    }
                    _ => None,
                };
                per_interval.push(match cap {
                    Some(cap) => (0..=cap)
                        .map(|n| evaluator.erlang(q, i, n))
                        .collect::<Vec<_>>(),
                    None => Vec::new(),
                });
            }
            table.push(per_interval);
        }
        evaluator.table = table;
        Ok(evaluator)
    }

    /// The same evaluator for other volumes of the same shape (e.g. a Monte Carlo draw), keeping
    /// the requirements (used for the multi-skill split and the shortfall) of the original
    /// volumes and computing Erlang values on demand. Much cheaper than [`Evaluator::new`], which
    /// searches the required agents of every interval again.
    pub fn with_volumes(&self, volumes: Vec<QueueVolume>) -> Evaluator<'a> {
        Evaluator {
            scenario: self.scenario,
            groups: self.groups,
            volumes,
            requirements: self.requirements.clone(),
            options: self.options,
            open: self.open.clone(),
            table: self
                .table
                .iter()
                .map(|per_queue| vec![Vec::new(); per_queue.len()])
                .collect(),
            group_order: self.group_order.clone(),
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &'a Scenario {
        self.scenario
    }

    /// The skill groups.
    pub fn groups(&self) -> &'a SkillGroups {
        self.groups
    }

    /// The volumes evaluated against.
    pub fn volumes(&self) -> &[QueueVolume] {
        &self.volumes
    }

    /// The requirements of those volumes.
    pub fn requirements(&self) -> &[QueueRequirements] {
        &self.requirements
    }

    /// Whether queue `q` is open in interval `i`.
    pub fn is_open(&self, q: usize, i: usize) -> bool {
        self.open[q][i]
    }

    fn workload(&self, q: usize, i: usize) -> Workload {
        Workload {
            volume: self.volumes[q].volume[i],
            interval_seconds: self.scenario.horizon.interval_seconds(),
            aht_seconds: self.volumes[q].aht_seconds[i],
        }
    }

    fn erlang(&self, q: usize, i: usize, agents: u32) -> Performance {
        let queue = &self.scenario.queues[q];
        let answer = queue.service.map_or(0.0, |s| s.answer_seconds);
        erlang::evaluate(
            &self.workload(q, i),
            &staffing::queue_model(queue),
            answer,
            agents,
        )
    }

    /// Erlang performance of `agents` on queue `q` in interval `i` (from the table if there).
    pub fn performance(&self, q: usize, i: usize, agents: u32) -> Performance {
        match self.table[q][i].get(agents as usize) {
            Some(p) => *p,
            None => self.erlang(q, i, agents),
        }
    }

    /// Splits group staffing over queues. Returns `(scheduled, on_break, on_queue)` per queue
    /// per interval, before shrinkage.
    pub fn allocate(&self, staffing: &GroupStaffing) -> [Vec<Vec<f64>>; 3] {
        let queues = self.scenario.queues.len();
        let len = self.scenario.horizon.len();
        let mut scheduled = vec![vec![0.0; len]; queues];
        let mut on_break = vec![vec![0.0; len]; queues];
        let mut on_queue = vec![vec![0.0; len]; queues];
        let mut remaining = Vec::with_capacity(queues);
        let mut weights = Vec::new();
        let group_queues: Vec<Vec<usize>> = (0..self.groups.len())
            .map(|g| self.groups.queues_of(g).to_vec())
            .collect();
        // `duty[g][q]`: on-queue agents of group g given to queue q in the current interval.
        let mut duty = vec![vec![0.0; queues]; self.groups.len()];
        let mut shift_now = vec![0.0; self.groups.len()];
        let mut queue_now = vec![0.0; self.groups.len()];
        for i in 0..len {
            let routing = self.routing_interval(i);
            let interval = routing.view();
            for g in 0..self.groups.len() {
                shift_now[g] = staffing.on_shift[g][i];
                queue_now[g] = staffing.on_queue[g][i];
            }
            routing::route(
                &self.group_order,
                &group_queues,
                &interval,
                &shift_now,
                &queue_now,
                &mut remaining,
                &mut weights,
                &mut duty,
            );
            for (g, row) in duty.iter().enumerate() {
                let shift = staffing.on_shift[g][i];
                if shift <= 0.0 {
                    continue;
                }
                let on_duty = staffing.on_queue[g][i];
                let members = self.groups.queues_of(g);
                if on_duty <= 0.0 {
                    // Everyone on break: attribute the break to the queues by the split rule.
                    routing::split_weights(members, &interval, interval.needed, &mut weights);
                    let total: f64 = weights.iter().map(|(_, w)| w).sum();
                    for &(q, w) in &weights {
                        scheduled[q][i] += shift * w / total;
                        on_break[q][i] += shift * w / total;
                    }
                    continue;
                }
                for &q in members {
                    let share = row[q] / on_duty;
                    scheduled[q][i] += shift * share;
                    on_queue[q][i] += row[q];
                    on_break[q][i] += (shift - on_duty) * share;
                }
            }
        }
        [scheduled, on_break, on_queue]
    }

    /// What the routing rule ([`routing`]) reads of interval `i`: open queues, the agents each
    /// needs (required agents over the shrinkage and absence factor, in agents on shift and
    /// off break), required agents and offered load per agent.
    pub fn routing_interval(&self, i: usize) -> RoutingData {
        let mut data = RoutingData::default();
        for (q, queue) in self.scenario.queues.iter().enumerate() {
            let factor = self.on_queue_factor(q);
            let open = self.open[q][i];
            let required = f64::from(self.requirements[q].intervals[i].required_agents);
            data.open.push(open);
            data.needed.push(if open {
                required / factor.max(1e-9)
            } else {
                0.0
            });
            data.required.push(required);
            let concurrency = f64::from(queue.concurrency.max(1));
            data.load
                .push(self.workload(q, i).traffic_erlangs() / concurrency);
        }
        data
    }

    /// Agents on queue `q` per agent on shift and off break there: `1 − shrinkage` (when
    /// applied) times `1 − absence rate`.
    pub fn on_queue_factor(&self, q: usize) -> f64 {
        (if self.options.apply_shrinkage {
            1.0 - self.scenario.queues[q].shrinkage
        } else {
            1.0
        }) * (1.0 - self.options.absence_rate)
    }

    /// Skill groups in routing order (fewest queues first, then index).
    pub fn group_order(&self) -> &[usize] {
        &self.group_order
    }

    /// Evaluates group staffing (see the module documentation).
    pub fn evaluate(&self, staffing: &GroupStaffing) -> Evaluation {
        let [_, on_break, on_queue] = self.allocate(staffing);
        let horizon = &self.scenario.horizon;
        let hours = horizon.interval_seconds() / 3600.0;
        let queues = self
            .scenario
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| {
                let factor = self.on_queue_factor(q);
                let agents: Vec<f64> = on_queue[q].iter().map(|x| x * factor).collect();
                let service = match queue.channel {
                    Channel::Email => self.email_service(queue, q, &agents),
                    Channel::Voice | Channel::Chat => (0..horizon.len())
                        .map(|i| self.erlang_service(q, i, agents[i]))
                        .collect(),
                };
                let intervals: Vec<IntervalEvaluation> = service
                    .into_iter()
                    .enumerate()
                    .map(|(i, (sl, asa, occupancy, abandon))| IntervalEvaluation {
                        open: self.open[q][i],
                        volume: self.volumes[q].volume[i],
                        required_agents: self.requirements[q].intervals[i].required_agents,
                        scheduled_agents: on_queue[q][i],
                        on_break: on_break[q][i],
                        on_queue_agents: agents[i],
                        service_level: sl,
                        asa_seconds: asa,
                        occupancy,
                        abandon_rate: abandon,
                    })
                    .collect();
                summarize(queue, intervals, horizon, hours)
            })
            .collect();
        Evaluation { queues }
    }

    /// `(service level, ASA, occupancy, abandonment)` of `agents` (fractional) on queue `q`.
    fn erlang_service(
        &self,
        q: usize,
        i: usize,
        agents: f64,
    ) -> (Option<f64>, Option<f64>, Option<f64>, Option<f64>) {
        if !self.open[q][i] || self.volumes[q].volume[i] <= 0.0 {
            return (None, None, None, None);
        }
        let agents = agents.max(0.0);
        let low = agents.floor();
        let weight_high = agents - low;
        let low_n = low as u32;
        let a = self.performance(q, i, low_n);
        let mix = |f: fn(&Performance) -> f64| -> f64 {
            if weight_high <= 1e-12 {
                f(&a)
            } else {
                let b = self.performance(q, i, low_n + 1);
                (1.0 - weight_high) * f(&a) + weight_high * f(&b)
            }
        };
        let abandon = self.scenario.queues[q]
            .patience_seconds
            .map(|_| mix(|p| p.p_abandon.unwrap_or(0.0)));
        (
            Some(mix(|p| p.service_level)),
            Some(mix(|p| p.asa_seconds)),
            Some(mix(|p| p.occupancy)),
            abandon,
        )
    }

    /// Backlog run of an email queue with the agents present.
    #[allow(clippy::type_complexity)]
    fn email_service(
        &self,
        queue: &Queue,
        q: usize,
        agents: &[f64],
    ) -> Vec<(Option<f64>, Option<f64>, Option<f64>, Option<f64>)> {
        let horizon = &self.scenario.horizon;
        let interval = horizon.interval_seconds();
        let response = queue.response_within_seconds.unwrap_or(interval);
        let window = ((response / interval).floor() as usize).max(1);
        let productive = interval * queue.max_occupancy.unwrap_or(1.0);
        let open = &self.open[q];
        let open_total = open.iter().filter(|&&o| o).count();
        let len = horizon.len();
        let mut on_time = vec![0.0; len];
        let mut late = vec![0.0; len];
        let mut occupancy = vec![None; len];
        // FIFO backlog: (arrival interval, deadline in open-interval count, work seconds).
        let mut backlog: std::collections::VecDeque<(usize, usize, f64)> = Default::default();
        let mut open_index = 0usize;
        for i in 0..len {
            let work = self.volumes[q].volume[i] * self.volumes[q].aht_seconds[i];
            if work > 0.0 {
                backlog.push_back((i, open_index + window - 1, work));
            }
            if !open[i] {
                continue;
            }
            let capacity = agents[i].max(0.0) * productive;
            let mut remaining = capacity;
            while remaining > 1e-9 {
                let Some(front) = backlog.front_mut() else {
                    break;
                };
                let take = front.2.min(remaining);
                front.2 -= take;
                remaining -= take;
                if open_index <= front.1 {
                    on_time[front.0] += take;
                } else {
                    late[front.0] += take;
                }
                if front.2 <= 1e-9 {
                    backlog.pop_front();
                }
            }
            if agents[i] > 0.0 {
                occupancy[i] = Some((capacity - remaining) / (agents[i] * interval));
            }
            open_index += 1;
        }
        // Work left at the end is late if its deadline has passed, unknown otherwise.
        for (arrival, deadline, work) in backlog {
            if deadline < open_total {
                late[arrival] += work;
            }
        }
        (0..len)
            .map(|i| {
                let judged = on_time[i] + late[i];
                let sl = (open[i] && judged > 0.0).then(|| on_time[i] / judged);
                (sl, None, occupancy[i], None)
            })
            .collect()
    }
}

fn summarize(
    queue: &Queue,
    intervals: Vec<IntervalEvaluation>,
    horizon: &Horizon,
    hours: f64,
) -> QueueEvaluation {
    let days = (0..horizon.days() as usize)
        .map(|d| {
            volume_weighted(
                horizon
                    .day_range(d)
                    .filter_map(|i| intervals[i].service_level.map(|s| (intervals[i].volume, s))),
            )
        })
        .collect();
    let week = volume_weighted(
        intervals
            .iter()
            .filter_map(|r| r.service_level.map(|s| (r.volume, s))),
    );
    let week_asa_seconds = volume_weighted(
        intervals
            .iter()
            .filter_map(|r| r.asa_seconds.map(|s| (r.volume, s))),
    );
    let understaffed_agent_hours = intervals
        .iter()
        .filter(|r| r.open)
        .map(|r| r.shortfall() * hours)
        .sum();
    QueueEvaluation {
        queue: queue.id.clone(),
        target: queue.service.map(|s| s.fraction),
        intervals,
        days,
        week,
        week_asa_seconds,
        understaffed_agent_hours,
    }
}

/// Rounds for JSON output (deterministic and readable).
pub fn round(value: f64, decimals: i32) -> f64 {
    let scale = 10f64.powi(decimals);
    (value * scale).round() / scale
}

/// The `summary.json` object of an evaluation: `service_level` (weekly, per queue),
/// `service_level_by_day` (per queue, per local date), `asa_seconds` (weekly, per queue),
/// `occupancy` (weekly, per queue: busy over on-queue agent time),
/// `understaffed_agent_hours`, `worst_interval`.
pub fn summary_json(horizon: &Horizon, evaluation: &Evaluation) -> serde_json::Value {
    use serde_json::{Map, Value, json};
    let number = |v: Option<f64>| v.filter(|x| x.is_finite()).map(|x| round(x, 6));
    let mut service_level = Map::new();
    let mut by_day = Map::new();
    let mut asa = Map::new();
    let mut understaffed = Map::new();
    let mut occupancy = Map::new();
    for queue in &evaluation.queues {
        service_level.insert(queue.queue.clone(), json!(number(queue.week)));
        // Weekly occupancy: busy agent time over on-queue agent time.
        let (busy, present) = queue
            .intervals
            .iter()
            .filter_map(|r| {
                r.occupancy
                    .map(|o| (o * r.on_queue_agents, r.on_queue_agents))
            })
            .fold((0.0, 0.0), |(b, p), (x, y)| (b + x, p + y));
        occupancy.insert(
            queue.queue.clone(),
            json!(number((present > 0.0).then(|| busy / present))),
        );
        asa.insert(queue.queue.clone(), json!(number(queue.week_asa_seconds)));
        understaffed.insert(
            queue.queue.clone(),
            json!(round(queue.understaffed_agent_hours, 3)),
        );
        let days: Map<String, Value> = queue
            .days
            .iter()
            .enumerate()
            .map(|(d, sl)| (horizon.date_of_day(d).to_string(), json!(number(*sl))))
            .collect();
        by_day.insert(queue.queue.clone(), Value::Object(days));
    }
    let worst = evaluation.worst_interval().map(|w| {
        json!({
            "queue": evaluation.queues[w.queue].queue,
            "interval_start": format_utc(horizon.start(w.interval)),
            "local_start": format_local(horizon.start(w.interval), horizon.zone()),
            "service_level": round(w.service_level, 6),
        })
    });
    json!({
        "service_level": service_level,
        "service_level_by_day": by_day,
        "asa_seconds": asa,
        "occupancy": occupancy,
        "understaffed_agent_hours": round(evaluation.understaffed_agent_hours(), 3),
        "understaffed_agent_hours_by_queue": understaffed,
        "worst_interval": worst,
    })
}

/// How a queue judged over a day or the week did against its goals (`summary.json`'s
/// `service_goals`, the console and the report).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GoalOutcome {
    /// Queue id.
    pub queue: String,
    /// `day` or `week`.
    pub scope: &'static str,
    /// Service-level target over each scope.
    pub service_level_target: Option<f64>,
    /// ASA ceiling over each scope, seconds.
    pub asa_target_seconds: Option<f64>,
    /// Abandonment ceiling over each scope.
    pub max_abandon_rate: Option<f64>,
    /// Service level no open interval may fall below.
    pub interval_floor: Option<f64>,
    /// Each scope: the week, or each local day with volume.
    pub scopes: Vec<ScopeOutcome>,
    /// Lowest service level of an open interval with volume.
    pub lowest_interval_service_level: Option<f64>,
    /// Every scope meets every goal and no interval is below the floor.
    pub met: bool,
}

/// One scope (the week, or a local day) of a [`GoalOutcome`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ScopeOutcome {
    /// `week` or the local date.
    pub scope: String,
    /// Volume-weighted service level.
    pub service_level: Option<f64>,
    /// Volume-weighted ASA, seconds.
    pub asa_seconds: Option<f64>,
    /// Volume-weighted abandonment (queues with a patience).
    pub abandon_rate: Option<f64>,
    /// Whether it meets the queue's goals.
    pub met: bool,
}

/// The goal outcomes of the queues judged over a day or the week (empty when every queue has
/// interval scope).
pub fn goal_outcomes(scenario: &Scenario, evaluation: &Evaluation) -> Vec<GoalOutcome> {
    use crate::scenario::ServiceScope;
    const TOLERANCE: f64 = 1e-9;
    let horizon = &scenario.horizon;
    scenario
        .queues
        .iter()
        .zip(&evaluation.queues)
        .filter(|(queue, _)| {
            queue.service_scope != ServiceScope::Interval && queue.channel != Channel::Email
        })
        .map(|(queue, result)| {
            let ranges: Vec<(String, std::ops::Range<usize>)> = match queue.service_scope {
                ServiceScope::Day => (0..horizon.days() as usize)
                    .map(|d| (horizon.date_of_day(d).to_string(), horizon.day_range(d)))
                    .collect(),
                _ => vec![("week".to_string(), 0..horizon.len())],
            };
            let target = queue.service.map(|s| s.fraction);
            let scopes: Vec<ScopeOutcome> = ranges
                .into_iter()
                .filter_map(|(name, range)| {
                    let rows = &result.intervals[range];
                    let weighted = |f: fn(&IntervalEvaluation) -> Option<f64>| {
                        volume_weighted(rows.iter().filter_map(|r| f(r).map(|v| (r.volume, v))))
                    };
                    let service_level = weighted(|r| r.service_level);
                    service_level?;
                    let asa_seconds = weighted(|r| r.asa_seconds);
                    let abandon_rate = weighted(|r| r.abandon_rate);
                    let met = target
                        .is_none_or(|t| service_level.is_some_and(|v| v >= t - TOLERANCE))
                        && queue
                            .asa_target_seconds
                            .is_none_or(|t| asa_seconds.is_some_and(|v| v <= t + TOLERANCE))
                        && queue
                            .max_abandon_rate
                            .is_none_or(|t| abandon_rate.is_none_or(|v| v <= t + TOLERANCE));
                    Some(ScopeOutcome {
                        scope: name,
                        service_level: service_level.map(|v| round(v, 6)),
                        asa_seconds: asa_seconds.filter(|v| v.is_finite()).map(|v| round(v, 3)),
                        abandon_rate: abandon_rate.map(|v| round(v, 6)),
                        met,
                    })
                })
                .collect();
            let lowest = result
                .intervals
                .iter()
                .filter(|r| r.volume > 0.0)
                .filter_map(|r| r.service_level)
                .fold(None, |low: Option<f64>, v| {
                    Some(low.map_or(v, |l| l.min(v)))
                });
            let floor_met = queue
                .interval_floor
                .is_none_or(|f| lowest.is_none_or(|l| l >= f - TOLERANCE));
            GoalOutcome {
                queue: queue.id.clone(),
                scope: queue.service_scope.as_str(),
                service_level_target: target,
                asa_target_seconds: queue.asa_target_seconds,
                max_abandon_rate: queue.max_abandon_rate,
                interval_floor: queue.interval_floor,
                met: floor_met && scopes.iter().all(|s| s.met),
                scopes,
                lowest_interval_service_level: lowest.map(|v| round(v, 6)),
            }
        })
        .collect()
}

impl GoalOutcome {
    /// `week 80.0 % (target 80 %), lowest interval 61.2 % (floor 60 %): met` for the console
    /// and the report.
    pub fn describe(&self) -> String {
        let percent =
            |v: Option<f64>| v.map_or_else(|| "-".into(), |v| format!("{:.1} %", v * 100.0));
        let mut parts: Vec<String> = self
            .scopes
            .iter()
            .map(|s| {
                let mut text = format!("{} {}", s.scope, percent(s.service_level));
                if self.asa_target_seconds.is_some() {
                    text.push_str(&format!(
                        ", ASA {}",
                        s.asa_seconds
                            .map_or_else(|| "∞".into(), |a| format!("{a:.1} s"))
                    ));
                }
                if self.max_abandon_rate.is_some() {
                    text.push_str(&format!(", abandoned {}", percent(s.abandon_rate)));
                }
                if !s.met {
                    text.push_str(" (missed)");
                }
                text
            })
            .collect();
        if self.scopes.len() > 3 {
            let missed = self.scopes.iter().filter(|s| !s.met).count();
            let lowest = self
                .scopes
                .iter()
                .filter_map(|s| s.service_level.map(|v| (v, s.scope.as_str())))
                .min_by(|a, b| a.0.total_cmp(&b.0));
            parts = vec![format!(
                "{} days, {missed} missed, lowest {} {}",
                self.scopes.len(),
                lowest.map_or("-", |l| l.1),
                percent(lowest.map(|l| l.0))
            )];
        }
        let mut goals = Vec::new();
        if let Some(t) = self.service_level_target {
            goals.push(format!("{:.0} %", t * 100.0));
        }
        if let Some(t) = self.asa_target_seconds {
            goals.push(format!("ASA {t:.0} s"));
        }
        if let Some(t) = self.max_abandon_rate {
            goals.push(format!("abandoned {:.1} %", t * 100.0));
        }
        let floor = self
            .interval_floor
            .map_or_else(String::new, |f| format!(" (floor {:.0} %)", f * 100.0));
        format!(
            "{} per {}: {} against {}; lowest interval {}{floor}: {}",
            self.queue,
            self.scope,
            parts.join("; "),
            goals.join(", "),
            percent(self.lowest_interval_service_level),
            if self.met { "met" } else { "not met" }
        )
    }
}
