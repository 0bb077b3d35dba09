//! The staffing search: the minimum number of agents meeting every target.

use super::{
    MAX_TRAFFIC_ERLANGS, QueueModel, Targets, Workload, classic::blocking,
    classic_performance_from_b, evaluate,
};

/// See [`super::required_agents`].
pub(crate) fn required_agents(
    workload: &Workload,
    model: &QueueModel,
    targets: &Targets,
) -> Option<u32> {
    let traffic = workload.offered();
    let t = targets.answer_seconds;
    let any_nan = traffic.is_nan()
        || t.is_nan()
        || targets.service_level.is_nan()
        || targets.asa_seconds.is_some_and(f64::is_nan)
        || targets.max_occupancy.is_some_and(f64::is_nan)
        || model.patience_seconds.is_some_and(f64::is_nan);
    if any_nan || traffic < 0.0 || model.patience_seconds.is_some_and(|p| p < 0.0) {
        return None;
    }
    let meets = |n: u32| targets.met_by(&evaluate(workload, model, t, n));
    if meets(0) {
        return Some(0);
    }
    if traffic == 0.0
        || traffic > MAX_TRAFFIC_ERLANGS
        || model.concurrency == 0
        || !reachable(model, targets)
    {
        // With zero traffic, 0 agents is the best there is; the others cannot be met.
        return None;
    }
    match model.patience_seconds {
        None => settle(
            search_c(workload, targets, model.concurrency, traffic)?,
            meets,
        ),
        // The bisection evaluates with `evaluate` itself: its answer is already settled.
        Some(_) => search_bisect(targets, model.concurrency, traffic, meets),
    }
}

/// Whether some finite number of agents can meet `targets` at positive finite traffic.
///
/// SL tends to 1 but stays below it for every finite `N` (except Erlang C with an infinite
/// answer time, where every stable `N` has SL 1); ASA tends to 0 but stays positive (except with
/// zero patience); occupancy tends to 0 but stays positive.
fn reachable(model: &QueueModel, targets: &Targets) -> bool {
    let t = targets.answer_seconds;
    let patient = model.patience_seconds.is_none_or(|p| p == f64::INFINITY);
    let loss = model.patience_seconds == Some(0.0);
    let sl = targets.service_level;
    if sl > 1.0 || (sl == 1.0 && !(patient && t == f64::INFINITY)) {
        return false;
    }
    if sl > 0.0 && t < 0.0 {
        return false;
    }
    if targets
        .asa_seconds
        .is_some_and(|limit| limit < 0.0 || (limit == 0.0 && !loss))
    {
        return false;
    }
    !targets.max_occupancy.is_some_and(|limit| limit <= 0.0)
}

/// Erlang C: start at the first stable `N` that meets the occupancy limit, then step up one
/// agent at a time, advancing Erlang B by `k` recursion steps per agent.
fn search_c(workload: &Workload, targets: &Targets, k: u32, traffic: f64) -> Option<u32> {
    let servers_of = |n: u32| u64::from(n) * u64::from(k);
    let fits = |x: f64| x.is_finite() && x <= f64::from(u32::MAX);
    // First N with k·N > traffic.
    let stable = (traffic / f64::from(k)).floor() + 1.0;
    if !fits(stable) {
        return None;
    }
    // `stable` is a whole number in 1..=u32::MAX.
    let mut n = stable as u32;
    while n > 1 && servers_of(n - 1) as f64 > traffic {
        n -= 1;
    }
    while servers_of(n) as f64 <= traffic {
        n = n.checked_add(1)?;
    }
    if let Some(limit) = targets.max_occupancy {
        let occupancy = |n: u32| traffic / servers_of(n) as f64;
        let guess = (traffic / (f64::from(k) * limit)).ceil();
        if !fits(guess) {
            return None;
        }
        let mut m = (guess as u32).max(1);
        while m > 1 && occupancy(m - 1) <= limit {
            m -= 1;
        }
        while occupancy(m) > limit {
            m = m.checked_add(1)?;
        }
        n = n.max(m);
    }
    let t = targets.answer_seconds;
    let mut servers = servers_of(n);
    let mut b = blocking(traffic, servers);
    if b.is_nan() {
        return None;
    }
    loop {
        let perf = classic_performance_from_b(workload, t, n, servers, b);
        if targets.met_by(&perf) {
            return Some(n);
        }
        n = n.checked_add(1)?;
        if b == 0.0 {
            servers += u64::from(k);
        } else {
            for _ in 0..k {
                servers += 1;
                let ab = traffic * b;
                b = ab / (servers as f64 + ab);
                if b < f64::MIN_POSITIVE {
                    b = 0.0;
                    servers = servers_of(n);
                    break;
                }
            }
        }
    }
}

/// Erlang A (and the loss system): probe the offered load, gallop (down or up) with doubling
/// steps to a bracket, then bisect. The offered load is only a first probe, not a starting
/// point: with abandonment the answer is often below it, down to the proven lower bound
/// `N ≥ SL·traffic/k` (since `SL ≤ P(answered) = carried/traffic ≤ k·N/traffic`).
fn search_bisect(
    targets: &Targets,
    k: u32,
    traffic: f64,
    meets: impl Fn(u32) -> bool,
) -> Option<u32> {
    let kf = f64::from(k);
    let max = f64::from(u32::MAX);
    // A whole number in [0, u32::MAX] after the clamp, so the casts are exact.
    let to_n = |x: f64| x.clamp(0.0, max) as u32;
    // Nothing below `floor` can meet the targets (with a safety margin against rounding); the
    // caller has checked that 0 does not.
    let floor = to_n((targets.service_level * traffic / kf * (1.0 - 1e-9)).floor() - 1.0);
    let step0 = ((traffic.sqrt() / kf / 4.0).ceil() as u64).max(1);
    let guess = to_n((traffic / kf).ceil()).max(floor).max(1);
    // Invariant once bracketed: `lo` does not meet the targets, `hi` does.
    let (mut lo, mut hi);
    if meets(guess) {
        hi = guess;
        let mut step = step0;
        lo = loop {
            let candidate = u64::from(hi).saturating_sub(step);
            if candidate <= u64::from(floor) {
                // The floor is infeasible in theory; check it (or fall back to 0, known).
                break if floor > 0 && !meets(floor) { floor } else { 0 };
            }
            // candidate < hi ≤ u32::MAX.
            let candidate = candidate as u32;
            if !meets(candidate) {
                break candidate;
            }
            hi = candidate;
            step = step.saturating_mul(2);
        };
        if lo > 0 && lo >= hi {
            lo = 0;
        }
    } else {
        lo = guess;
        let mut step = step0;
        hi = loop {
            // ≤ u32::MAX by the min.
            let candidate = (u64::from(lo) + step).min(u64::from(u32::MAX)) as u32;
            if meets(candidate) {
                break candidate;
            }
            if candidate == u32::MAX {
                return None;
            }
            lo = candidate;
            step = step.saturating_mul(2);
        };
    }
    while hi - lo > 1 {
        let mid = lo + (hi - lo) / 2;
        if meets(mid) {
            hi = mid;
        } else {
            lo = mid;
        }
    }
    Some(hi)
}

/// Make the answer consistent with [`evaluate`]: `meets(N)` and not `meets(N − 1)`. The fast
/// Erlang C path computes B incrementally, which can differ from [`evaluate`] in the last bits;
/// this moves by at most a step or two (bounded, in case of pathological rounding).
fn settle(found: u32, meets: impl Fn(u32) -> bool) -> Option<u32> {
    let mut n = found;
    let mut budget = 64;
    while !meets(n) {
        n = n.checked_add(1)?;
        budget -= 1;
        if budget == 0 {
            return None;
        }
    }
    while n > 0 && budget > 0 && meets(n - 1) {
        n -= 1;
        budget -= 1;
    }
    Some(n)
}
