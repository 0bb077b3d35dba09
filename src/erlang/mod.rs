//! Queueing formulas: Erlang B, Erlang C (M/M/N), Erlang A (M/M/N+M), and the staffing search.
//!
//! API contract (other modules build on these names):
//! - [`erlang_b`], [`erlang_c`]: blocking and probability of waiting.
//! - [`Workload`], [`QueueModel`], [`Targets`], [`Performance`].
//! - [`evaluate`]: the performance of a given number of agents.
//! - [`required_agents`]: the minimum number of agents meeting every target.
//!
//! Additions: [`service_level_c`], [`asa_c`], [`erlang_a()`] (all Erlang A metrics, including the
//! two other service-level definitions), [`Targets::met_by`], [`scheduled_agents`] (shrinkage),
//! [`MAX_TRAFFIC_ERLANGS`].
//!
//! # Notation
//!
//! Offered traffic `A = volume × AHT / interval` Erlangs; `N` agents, each with concurrency `k`,
//! give `s = k·N` servers; `t` is the answer time of the service-level target; `T_p` the mean
//! patience. Time inside the formulas is measured in AHTs.
//!
//! # Erlang B and C
//!
//! Erlang B comes from the recursion `B_0 = 1`, `B_n = A·B_{n−1} / (n + A·B_{n−1})`: no
//! factorials, no powers, nothing that overflows, and it contracts rounding errors. Long
//! recursions start close to `n = A` from the fluid value `1 − n/A` instead of from 0 (the error
//! of that start provably shrinks below `e^{−40}` before it reaches `s`), so B costs
//! `O(min(s, √A))` steps; it stops as soon as the value underflows. Values are exact to about
//! `1e−13` relative up to [`MAX_TRAFFIC_ERLANGS`].
//!
//! Erlang C (no abandonment), for `s > A`:
//!
//! ```text
//! P(wait) = C = s·B / (s − A·(1 − B))
//! SL      = P(wait ≤ t) = 1 − C·exp(−(s − A)·t / AHT)
//! ASA     = C·AHT / (s − A)            (mean wait over all contacts)
//! occupancy = A / s
//! ```
//!
//! When `s ≤ A` the queue is unstable: `P(wait) = 1`, `SL = 0`, `ASA = +∞`, occupancy 1.
//!
//! # Erlang A
//!
//! Poisson arrivals, exponential handle times, exponential patience with mean `T_p`
//! (`QueueModel::patience_seconds = Some(T_p)`): a contact that has waited its patience hangs up.
//! Abandonment keeps the queue stable for every `N ≥ 0`, also when `s < A`. See the
//! `erlang_a` source module for the derivation; in short, the waiting part of the stationary
//! distribution and the waiting-time distribution reduce to one-dimensional integrals of the
//! log-concave function `exp(−s·τ + (A·AHT/T_p)·(1 − e^{−τ·AHT/T_p}))`, evaluated relative to
//! their peak (no overflow in overload) by adaptive Gauss–Kronrod quadrature, combined with
//! Erlang B for the states below `s`.
//!
//! **Service-level definition.** The service level of Erlang A is *answered within `t`, over
//! all arrivals*: `SL = P(an arriving contact is answered and waited ≤ t)`. Contacts that
//! abandon, at any time, count as not answered within `t`; contacts answered at once count as
//! answered within `t`. So `SL ≤ 1 − P(abandon)`. This is what [`Performance::service_level`]
//! reports and what [`required_agents`] targets. [`erlang_a()`] also reports the two other
//! definitions found in the literature: over answered contacts only
//! (`SL / (1 − P(abandon))`) and the virtual waiting time (`P(V ≤ t)` with `V` the time until
//! an agent would have been free for the contact had it never abandoned). They can differ by more
//! than a point on the same case.
//!
//! **ASA of Erlang A** is the mean time in queue over *all* arrivals: answered contacts count
//! their wait, abandoned contacts the time until they hung up, contacts answered at once zero.
//! By Little's law and the abandonment rate, `ASA = P(abandon) · T_p`.
//!
//! **Occupancy of Erlang A** is carried traffic per server:
//! `A·(1 − P(abandon)) / s`.
//!
//! **Accuracy and cost.** Against 50-digit references and an independent birth–death-chain
//! oracle (see the tests) the metrics agree to about `1e−14`. One evaluation costs a few
//! microseconds plus Erlang B, whatever the traffic.
//!
//! **Erlang A versus Erlang C.** Abandonment shortens the queue, so `P(wait)`, ASA and
//! occupancy of Erlang A are at most those of Erlang C with the same agents, and the
//! virtual-wait service level is at least Erlang C's. The service level over all arrivals is
//! *not* always higher: a contact that Erlang C answers after 50 s has hung up after 30 s in
//! Erlang A, and counts as a failure. When the answer time is long against the patience, or the
//! target is high, Erlang A can need *more* agents than Erlang C (10 Erlangs, AHT 10 s, patience
//! 1 s, 90 % within 60 s: 12 agents against 11). What always holds is
//! `SL_A ≥ SL_C − P(wait)·(1 − e^{−t/T_p})`.
//!
//! # Concurrency (chat)
//!
//! An agent with concurrency `k` is modelled as `k` independent servers ("slots"), so `N`
//! agents are `s = k·N` servers of an M/M/s (or M/M/s+M) queue, and occupancy is
//! `carried traffic / (k·N)`. The assumptions: the slots do not slow each other down, and the
//! AHT given is the duration of one chat *while handled concurrently* (measured at full
//! concurrency), so each slot serves at rate `1/AHT`. The staffing search is over agents `N`.
//!
//! # Staffing search
//!
//! [`required_agents`] returns the minimum `N` whose [`evaluate`] meets every target
//! ([`Targets::met_by`]): `SL ≥ target`, `ASA ≤ limit` (if set), occupancy `≤ limit` (if set).
//! SL is non-decreasing and ASA, occupancy and `P(wait)` non-increasing in `N` (checked by the
//! property tests), so the feasible `N` form an interval `[N*, ∞)`.
//! - Erlang C starts at the first stable `N` (and the occupancy bound `A/(k·max)`) and steps
//!   up one agent at a time, updating B with `k` recursion steps per agent: `O(√A)` in total.
//! - Erlang A must not start at `⌈A⌉`: with abandonment fewer agents than the offered load can
//!   be enough. It probes `⌈A/k⌉` once, gallops down (or up) from there with doubling steps to
//!   a bracket, never below the proven bound `N ≥ SL·A/k` (since `SL ≤ 1 − P(abandon) ≤ s/A`),
//!   then bisects: `O(log A)` evaluations, each a few microseconds plus Erlang B.
//!
//! `None` means no number of agents meets the targets: a service level target of 1 or more
//! (every model has `SL < 1` for finite `N` when there is traffic, except Erlang C with `t = ∞`),
//! a negative answer time with a positive SL target, an ASA limit `≤ 0` (ASA is positive except
//! with zero patience), an occupancy limit `≤ 0`, zero concurrency, infinite traffic, or `NaN`
//! anywhere in the inputs. Zero volume needs 0 agents.
//!
//! # Unusual inputs
//!
//! Nothing here panics or loops unboundedly. Traffic is `volume·AHT/interval`, except that zero
//! volume is zero traffic whatever the other fields. Then:
//! - `NaN` or negative traffic, a `NaN` or negative patience: every metric is `NaN`.
//! - Zero traffic: SL 1, ASA 0, occupancy 0, `P(wait)` 0 (and `P(abandon)` 0).
//! - Zero servers (no agents, or concurrency 0) with traffic, or infinite traffic:
//!   `P(wait)` 1, SL 0, occupancy 1 (by convention when there are no servers); ASA `+∞` for
//!   Erlang C, and for Erlang A `T_p` (everybody waits until they abandon) with `P(abandon)` 1.
//! - Finite traffic above [`MAX_TRAFFIC_ERLANGS`]: metrics that need Erlang B are `NaN`.
//! - Answer time `t`: `NaN` gives a `NaN` SL; negative gives SL 0 (`P(W ≤ t) = 0`); `+∞` gives
//!   the fraction eventually answered.
//! - Patience `Some(0)`: Erlang B loss system (blocked contacts leave at once: `P(abandon) =
//!   P(wait) = B`, ASA 0). `Some(+∞)`: Erlang C values, with `P(abandon)` reported (0 when
//!   stable, `1 − s/A` when overloaded).

mod classic;
mod erlang_a;
mod search;

use crate::error::CodeInfo;

use classic::{ClassicC, blocking, erlang_c_metrics};

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[];

/// Largest traffic, in Erlangs, for which Erlang B (and everything built on it) is computed.
///
/// Above it the recursion would need more than about `50·√A` steps; such inputs give `NaN`
/// (except where no Erlang B is needed: an unstable Erlang C queue, infinite traffic).
pub const MAX_TRAFFIC_ERLANGS: f64 = 1e9;

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

    /// Traffic as the engine uses it: zero volume is zero traffic whatever the other fields.
    fn offered(&self) -> f64 {
        if self.volume == 0.0 {
            0.0
        } else {
            self.traffic_erlangs()
        }
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

    /// Whether `performance` meets every target: `service_level ≥` the target, ASA `≤` its
    /// limit and occupancy `≤` its limit (when set). Any `NaN` involved means "not met".
    ///
    /// The answer time is not compared: `performance` must have been evaluated at
    /// `answer_seconds`.
    pub fn met_by(&self, performance: &Performance) -> bool {
        performance.service_level >= self.service_level
            && self
                .asa_seconds
                .is_none_or(|limit| performance.asa_seconds <= limit)
            && self
                .max_occupancy
                .is_none_or(|limit| performance.occupancy <= limit)
    }
}

/// Predicted performance of an interval staffed with `agents`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Performance {
    /// Agents on the queue.
    pub agents: u32,
    /// Offered traffic in Erlangs.
    pub traffic_erlangs: f64,
    /// Fraction answered within the target time (Erlang A: answered within the target time,
    /// over all arrivals; abandoned contacts count as not answered in time).
    pub service_level: f64,
    /// Average speed of answer in seconds (infinite when the queue is unstable). Erlang A: mean
    /// time in queue over all arrivals, abandoners counting until they hang up.
    pub asa_seconds: f64,
    /// Fraction of agent time busy with contacts (carried traffic per server).
    pub occupancy: f64,
    /// Probability that a contact waits.
    pub p_wait: f64,
    /// Probability that a contact abandons (Erlang A only).
    pub p_abandon: Option<f64>,
}

/// Erlang B blocking probability with `agents` servers and `traffic` Erlangs.
///
/// Exact to about `1e−13` relative. `NaN` or negative traffic, or finite traffic above
/// [`MAX_TRAFFIC_ERLANGS`], give `NaN`; zero agents give 1; zero traffic 0; infinite traffic 1.
/// Values below `f64::MIN_POSITIVE` are returned as 0.
pub fn erlang_b(traffic: f64, agents: u32) -> f64 {
    blocking(traffic, u64::from(agents))
}

/// Erlang C probability of waiting; 1 when the queue is unstable (`agents <= traffic`).
///
/// `NaN` or negative traffic gives `NaN`; zero traffic with at least one agent gives 0.
pub fn erlang_c(traffic: f64, agents: u32) -> f64 {
    if traffic.is_nan() || traffic < 0.0 {
        return f64::NAN;
    }
    if traffic == 0.0 && agents > 0 {
        return 0.0;
    }
    erlang_c_metrics(traffic, u64::from(agents), 0.0).p_wait
}

/// Erlang C service level `P(wait ≤ answer_seconds) = 1 − C·exp(−(N − A)·t/AHT)`.
///
/// 0 when unstable (`agents ≤ traffic`), 1 for zero traffic; `NaN` for `NaN` or negative
/// traffic, an AHT that is not positive and finite, or a `NaN` answer time. A negative answer
/// time gives 0.
pub fn service_level_c(traffic: f64, agents: u32, aht_seconds: f64, answer_seconds: f64) -> f64 {
    if !(aht_seconds > 0.0 && aht_seconds.is_finite()) {
        return f64::NAN;
    }
    classic_seconds(traffic, u64::from(agents), aht_seconds, answer_seconds).service_level
}

/// Erlang C average speed of answer in seconds, `C·AHT / (N − A)`, over all contacts.
///
/// `+∞` when unstable (`agents ≤ traffic`), 0 for zero traffic; `NaN` for `NaN` or negative
/// traffic or an AHT that is not positive and finite.
pub fn asa_c(traffic: f64, agents: u32, aht_seconds: f64) -> f64 {
    if !(aht_seconds > 0.0 && aht_seconds.is_finite()) {
        return f64::NAN;
    }
    classic_seconds(traffic, u64::from(agents), aht_seconds, 0.0).asa
}

/// Erlang C metrics of `servers` servers with times in seconds (`asa` in seconds).
fn classic_seconds(traffic: f64, servers: u64, aht: f64, answer_seconds: f64) -> ClassicC {
    if traffic.is_nan() || traffic < 0.0 {
        return ClassicC::NAN;
    }
    let sl_nan_or = |value: f64| {
        if answer_seconds.is_nan() {
            f64::NAN
        } else if answer_seconds < 0.0 {
            0.0
        } else {
            value
        }
    };
    if traffic == 0.0 {
        return ClassicC {
            p_wait: 0.0,
            service_level: sl_nan_or(1.0),
            asa: 0.0,
            occupancy: 0.0,
        };
    }
    if servers as f64 <= traffic {
        let mut unstable = ClassicC::UNSTABLE;
        unstable.service_level = sl_nan_or(0.0);
        return unstable;
    }
    // Stable with positive finite traffic, so the AHT is finite and positive.
    let mut c = erlang_c_metrics(traffic, servers, answer_seconds / aht);
    c.asa *= aht;
    c
}

/// Erlang A (M/M/N+M) metrics; times in seconds.
///
/// See the [module documentation](self) for the model and the definitions.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    /// Probability that an arriving contact finds every agent busy (and so waits).
    pub p_wait: f64,
    /// Probability that an arriving contact abandons before being answered.
    pub p_abandon: f64,
    /// Answered within the answer time, over all arrivals (abandoned contacts count as not
    /// answered within the answer time). This is the service level used for staffing.
    pub service_level: f64,
    /// Answered within the answer time, over answered contacts:
    /// `service_level / (1 − p_abandon)`.
    pub service_level_answered: f64,
    /// Virtual waiting time within the answer time: the probability that an agent would have
    /// been free for the contact within the answer time had it been willing to wait forever.
    pub service_level_virtual: f64,
    /// Mean time in queue over all arrivals, seconds (abandoned contacts count their time until
    /// they hang up, contacts answered at once count zero); equals `p_abandon × patience`.
    pub asa_seconds: f64,
    /// Carried traffic per agent: `traffic × (1 − p_abandon) / agents`.
    pub occupancy: f64,
}

impl ErlangA {
    fn nan() -> Self {
        ErlangA {
            p_wait: f64::NAN,
            p_abandon: f64::NAN,
            service_level: f64::NAN,
            service_level_answered: f64::NAN,
            service_level_virtual: f64::NAN,
            asa_seconds: f64::NAN,
            occupancy: f64::NAN,
        }
    }
}

/// Erlang A (M/M/N+M) with `agents` agents (one contact each), `traffic` offered Erlangs, the
/// given AHT, mean patience and answer time (seconds).
///
/// Special inputs are handled as described in the module documentation: patience 0 is the
/// Erlang B loss system, infinite patience the Erlang C limit; `NaN` or negative traffic or
/// patience, or an AHT that is not positive and finite, give `NaN` metrics.
pub fn erlang_a(
    traffic: f64,
    agents: u32,
    aht_seconds: f64,
    patience_seconds: f64,
    answer_seconds: f64,
) -> ErlangA {
    if !(aht_seconds > 0.0 && aht_seconds.is_finite()) {
        return ErlangA::nan();
    }
    erlang_a_seconds(
        traffic,
        u64::from(agents),
        aht_seconds,
        patience_seconds,
        answer_seconds,
    )
}

/// Erlang A on `servers` servers, times in seconds.
fn erlang_a_seconds(
    traffic: f64,
    servers: u64,
    aht: f64,
    patience: f64,
    answer_seconds: f64,
) -> ErlangA {
    if traffic.is_nan() || traffic < 0.0 || patience.is_nan() || patience < 0.0 {
        return ErlangA::nan();
    }
    let sl = |value: f64| {
        if answer_seconds.is_nan() {
            f64::NAN
        } else if answer_seconds < 0.0 {
            0.0
        } else {
            value
        }
    };
    if traffic == 0.0 {
        return ErlangA {
            p_wait: 0.0,
            p_abandon: 0.0,
            service_level: sl(1.0),
            service_level_answered: sl(1.0),
            service_level_virtual: sl(1.0),
            asa_seconds: 0.0,
            occupancy: 0.0,
        };
    }
    if servers == 0 || traffic == f64::INFINITY {
        // Nobody (or a vanishing fraction) is ever answered; everybody waits out their patience.
        return ErlangA {
            p_wait: 1.0,
            p_abandon: 1.0,
            service_level: sl(0.0),
            service_level_answered: sl(0.0),
            service_level_virtual: sl(0.0),
            asa_seconds: patience,
            occupancy: 1.0,
        };
    }
    // Finite positive traffic: the AHT is finite and positive.
    let r = aht / patience;
    let m = erlang_a::erlang_a_units(traffic, servers, r, answer_seconds / aht);
    ErlangA {
        p_wait: m.p_wait,
        p_abandon: m.p_abandon,
        service_level: m.sl_all,
        service_level_answered: m.sl_answered,
        service_level_virtual: m.sl_virtual,
        // P(abandon)/r AHTs = P(abandon)·patience; for infinite patience the Erlang C ASA.
        asa_seconds: m.asa * aht,
        occupancy: m.occupancy,
    }
}

/// Performance of `agents` agents on `workload` with the queue `model`, the service level
/// measured at `answer_seconds`.
///
/// Erlang C when `model.patience_seconds` is `None`, Erlang A otherwise; servers are
/// `agents × concurrency`. Never panics; see the module documentation for the formulas, the
/// service-level definition and the handling of unusual inputs.
pub fn evaluate(
    workload: &Workload,
    model: &QueueModel,
    answer_seconds: f64,
    agents: u32,
) -> Performance {
    let servers = u64::from(agents) * u64::from(model.concurrency);
    evaluate_servers(workload, model, answer_seconds, agents, servers)
}

fn evaluate_servers(
    workload: &Workload,
    model: &QueueModel,
    answer_seconds: f64,
    agents: u32,
    servers: u64,
) -> Performance {
    let traffic = workload.offered();
    let aht = workload.aht_seconds;
    match model.patience_seconds {
        None => {
            let c = classic_seconds(traffic, servers, aht, answer_seconds);
            Performance {
                agents,
                traffic_erlangs: traffic,
                service_level: c.service_level,
                asa_seconds: c.asa,
                occupancy: c.occupancy,
                p_wait: c.p_wait,
                p_abandon: None,
            }
        }
        Some(patience) => {
            let a = erlang_a_seconds(traffic, servers, aht, patience, answer_seconds);
            Performance {
                agents,
                traffic_erlangs: traffic,
                service_level: a.service_level,
                asa_seconds: a.asa_seconds,
                occupancy: a.occupancy,
                p_wait: a.p_wait,
                p_abandon: Some(a.p_abandon),
            }
        }
    }
}

/// The Erlang C performance from a known Erlang B value of the `servers` servers, as
/// [`evaluate`] would compute it (used by the incremental search).
fn classic_performance_from_b(
    workload: &Workload,
    answer_seconds: f64,
    agents: u32,
    servers: u64,
    b: f64,
) -> Performance {
    let traffic = workload.offered();
    let aht = workload.aht_seconds;
    let c = classic::erlang_c_from_b(traffic, servers, b, answer_seconds / aht);
    let service_level = if answer_seconds.is_nan() {
        f64::NAN
    } else if answer_seconds < 0.0 {
        0.0
    } else {
        c.service_level
    };
    Performance {
        agents,
        traffic_erlangs: traffic,
        service_level,
        asa_seconds: c.asa * aht,
        occupancy: c.occupancy,
        p_wait: c.p_wait,
        p_abandon: None,
    }
}

/// Agents to schedule so that `productive` remain after `shrinkage` (a fraction in `[0, 1)`):
/// the smallest whole `P` with `P × (1 − shrinkage) ≥ productive`.
///
/// The division is compared with a relative tolerance of `1e−9`, so that decimal shrinkages
/// give the exact-arithmetic answer: `21 / (1 − 0.3)` is `30.000000000000004` in floating
/// point, but 21 productive agents at 30 % shrinkage need 30 scheduled, not 31. `None` when `shrinkage` is
/// `NaN` or outside `[0, 1)`, or the result exceeds `u32::MAX`.
pub fn scheduled_agents(productive: u32, shrinkage: f64) -> Option<u32> {
    if !(0.0..1.0).contains(&shrinkage) {
        return None;
    }
    let exact = f64::from(productive) / (1.0 - shrinkage);
    let scheduled = (exact * (1.0 - 1e-9)).ceil().max(f64::from(productive));
    // A whole number ≥ 0; in range after the check.
    (scheduled <= f64::from(u32::MAX)).then_some(scheduled as u32)
}

/// The minimum number of agents meeting every target, or `None` when no number of agents can.
///
/// "Meeting" is [`Targets::met_by`] of [`evaluate`] at `targets.answer_seconds`; the answer
/// `N` always satisfies it while `N − 1` does not. Zero volume needs 0 agents. See the module
/// documentation for the search and for when it returns `None`.
pub fn required_agents(workload: &Workload, model: &QueueModel, targets: &Targets) -> Option<u32> {
    search::required_agents(workload, model, targets)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_c_matches_formula() {
        // pyworkforce asa=0.33 min = 19.8 s; 50-digit value 0.88785269272...
        let sl = service_level_c(10.0, 14, 180.0, 19.8);
        assert!((sl - 0.887_852_692_7).abs() < 1e-9);
    }
}
