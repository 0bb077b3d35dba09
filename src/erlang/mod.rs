//! Queueing formulas: Erlang B, Erlang C (M/M/N), Erlang A (M/M/N+M), and the staffing search.
//!
//! API contract (other modules build on these names):
//! - [`erlang_b`], [`erlang_c`]: blocking and probability of waiting.
//! - [`Workload`], [`QueueModel`], [`Targets`], [`Performance`].
//! - [`evaluate`]: the performance of a given number of agents.
//! - [`required_agents`]: the minimum number of agents meeting every target.

use crate::error::CodeInfo;

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[];

/// Offered work of one interval of one queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Workload {
    /// Contacts arriving in the interval.
    pub volume: f64,
    /// Length of the interval in seconds.
    pub interval_seconds: f64,
    /// Average handle time in seconds.
    pub aht_seconds: f64,
}

impl Workload {
    /// Offered traffic in Erlangs: volume × AHT / interval length.
    pub fn traffic_erlangs(&self) -> f64 {
        self.volume * self.aht_seconds / self.interval_seconds
    }
}

/// How contacts behave in the queue.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct QueueModel {
    /// Mean patience in seconds (exponential) for Erlang A; `None` for Erlang C (nobody abandons).
    pub patience_seconds: Option<f64>,
    /// Contacts an agent handles at once (chat); 1 for voice.
    pub concurrency: u32,
}

impl QueueModel {
    /// Erlang C: no abandonment, one contact per agent.
    pub fn erlang_c() -> Self {
        QueueModel {
            patience_seconds: None,
            concurrency: 1,
        }
    }
}

/// Service targets an interval must meet.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Targets {
    /// Fraction of contacts answered within `answer_seconds` (e.g. 0.8).
    pub service_level: f64,
    /// Answer time of the service-level target in seconds (e.g. 20).
    pub answer_seconds: f64,
    /// Optional upper limit on the average speed of answer, seconds.
    pub asa_seconds: Option<f64>,
    /// Optional upper limit on occupancy (fraction, e.g. 0.85).
    pub max_occupancy: Option<f64>,
}

impl Targets {
    /// Only a service-level target.
    pub fn service_level(fraction: f64, answer_seconds: f64) -> Self {
        Targets {
            service_level: fraction,
            answer_seconds,
            asa_seconds: None,
            max_occupancy: None,
        }
    }
}

/// Predicted performance of an interval staffed with `agents`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Performance {
    /// Agents on the queue.
    pub agents: u32,
    /// Offered traffic in Erlangs.
    pub traffic_erlangs: f64,
    /// Fraction answered within the target time.
    pub service_level: f64,
    /// Average speed of answer in seconds (infinite when the queue is unstable).
    pub asa_seconds: f64,
    /// Fraction of agent time busy with contacts.
    pub occupancy: f64,
    /// Probability that a contact waits.
    pub p_wait: f64,
    /// Probability that a contact abandons (Erlang A only).
    pub p_abandon: Option<f64>,
}

/// Erlang B blocking probability with `agents` servers and `traffic` Erlangs.
pub fn erlang_b(traffic: f64, agents: u32) -> f64 {
    let mut b = 1.0;
    for n in 1..=agents {
        b = traffic * b / (f64::from(n) + traffic * b);
    }
    b
}

/// Erlang C probability of waiting; 1 when the queue is unstable (`agents <= traffic`).
pub fn erlang_c(traffic: f64, agents: u32) -> f64 {
    let n = f64::from(agents);
    if n <= traffic {
        return 1.0;
    }
    let b = erlang_b(traffic, agents);
    n * b / (n - traffic * (1.0 - b))
}

/// Performance of `agents` agents on `workload` (placeholder until the engine lands).
pub fn evaluate(
    workload: &Workload,
    model: &QueueModel,
    answer_seconds: f64,
    agents: u32,
) -> Performance {
    let _ = (workload, model, answer_seconds, agents);
    unimplemented!("erlang engine in progress")
}

/// The minimum number of agents meeting every target, or `None` when no number of agents can.
pub fn required_agents(workload: &Workload, model: &QueueModel, targets: &Targets) -> Option<u32> {
    let _ = (workload, model, targets);
    unimplemented!("erlang engine in progress")
}
