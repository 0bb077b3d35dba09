//! Properties of the Erlang engine: monotonicity in the number of agents (which the staffing
//! search relies on), the infinite-patience limit, and the staffing search itself.

// Reference values are pasted with all the digits mpmath printed, beyond f64 precision.
#![allow(clippy::excessive_precision)]

use proptest::prelude::*;
use staffplan::erlang::{
    Performance, QueueModel, Targets, Workload, erlang_a, evaluate, required_agents,
    service_level_c,
};

/// A workload with `traffic` Erlangs at the given AHT over 30 minutes.
fn workload(traffic: f64, aht: f64) -> Workload {
    Workload {
        volume: traffic * 1800.0 / aht,
        interval_seconds: 1800.0,
        aht_seconds: aht,
    }
}

fn model(patience: Option<f64>, concurrency: u32) -> QueueModel {
    QueueModel {
        patience_seconds: patience,
        concurrency,
    }
}

/// Traffic from 0.01 to about 3000 Erlangs, log-uniform.
fn traffic() -> impl Strategy<Value = f64> {
    (-2.0..3.5_f64).prop_map(|e| 10f64.powf(e))
}

/// Mean patience from 1 s to about 3 hours, log-uniform.
fn patience() -> impl Strategy<Value = f64> {
    (0.0..4.0_f64).prop_map(|e| 10f64.powf(e))
}

/// Answer time: often 0, otherwise up to 2 minutes.
fn answer_time() -> impl Strategy<Value = f64> {
    prop_oneof![1 => Just(0.0), 4 => 0.0..120.0_f64]
}

/// Erlang C or Erlang A.
fn patience_or_none() -> impl Strategy<Value = Option<f64>> {
    prop_oneof![Just(None), patience().prop_map(Some)]
}

fn targets() -> impl Strategy<Value = Targets> {
    (
        0.3..0.99_f64,
        answer_time(),
        prop::option::of(1.0..120.0_f64),
        prop::option::of(0.5..0.97_f64),
    )
        .prop_map(|(service_level, answer_seconds, asa, occupancy)| Targets {
            service_level,
            answer_seconds,
            asa_seconds: asa,
            max_occupancy: occupancy,
        })
}

/// Slack for floating-point noise in the monotonicity checks.
const NOISE: f64 = 1e-12;

fn check_monotone(lower: &Performance, upper: &Performance) -> Result<(), TestCaseError> {
    prop_assert!(
        upper.p_wait <= lower.p_wait + NOISE,
        "P(wait) rose: {lower:?} -> {upper:?}"
    );
    prop_assert!(
        upper.service_level >= lower.service_level - NOISE,
        "SL fell: {lower:?} -> {upper:?}"
    );
    prop_assert!(
        upper.asa_seconds <= lower.asa_seconds * (1.0 + NOISE) + NOISE,
        "ASA rose: {lower:?} -> {upper:?}"
    );
    prop_assert!(
        upper.occupancy <= lower.occupancy + NOISE,
        "occupancy rose: {lower:?} -> {upper:?}"
    );
    if let (Some(a), Some(b)) = (lower.p_abandon, upper.p_abandon) {
        prop_assert!(b <= a + NOISE, "P(abandon) rose: {lower:?} -> {upper:?}");
    }
    for p in [lower, upper] {
        prop_assert!((0.0..=1.0).contains(&p.service_level), "{p:?}");
        prop_assert!((0.0..=1.0).contains(&p.p_wait), "{p:?}");
        prop_assert!((0.0..=1.0).contains(&p.occupancy), "{p:?}");
        prop_assert!(p.asa_seconds >= 0.0, "{p:?}");
    }
    Ok(())
}

/// 400 cases per property unless `PROPTEST_CASES` says otherwise; random seeds (set
/// `PROPTEST_RNG_SEED` to replay); no regression files.
fn config() -> ProptestConfig {
    let mut config = ProptestConfig::default();
    if std::env::var_os("PROPTEST_CASES").is_none() {
        config.cases = 400;
    }
    config.failure_persistence = None;
    config
}

proptest! {
    #![proptest_config(config())]

    /// P(wait), ASA, occupancy, P(abandon) non-increasing and SL non-decreasing in N, for
    /// Erlang C and Erlang A, with concurrency, over a run of N around the traffic.
    #[test]
    fn metrics_are_monotone_in_agents(
        traffic in traffic(),
        aht in 10.0..1000.0_f64,
        patience in patience_or_none(),
        t in answer_time(),
        concurrency in 1..=4_u32,
        offset in 0.0..1.5_f64,
    ) {
        let w = workload(traffic, aht);
        let m = model(patience, concurrency);
        let start = (traffic / f64::from(concurrency) * offset).floor() as u32;
        let mut previous = evaluate(&w, &m, t, start);
        for n in start + 1..start + 25 {
            let next = evaluate(&w, &m, t, n);
            check_monotone(&previous, &next)?;
            previous = next;
        }
    }

    /// The Erlang A service levels: all arrivals ≤ virtual, answered-only ≥ all arrivals, and
    /// the virtual one is monotone too; the virtual wait of Erlang A is stochastically smaller
    /// than the Erlang C wait (fewer ahead, and they leave faster), so its SL is at least
    /// Erlang C's.
    #[test]
    fn erlang_a_service_level_definitions_are_ordered(
        traffic in traffic(),
        aht in 10.0..1000.0_f64,
        patience in patience(),
        t in answer_time(),
        offset in 0.5..1.5_f64,
    ) {
        let n = ((traffic * offset).round() as u32).max(1);
        let a = erlang_a(traffic, n, aht, patience, t);
        let a_next = erlang_a(traffic, n + 1, aht, patience, t);
        prop_assert!(a.service_level <= a.service_level_virtual + NOISE, "{a:?}");
        prop_assert!(a.service_level <= a.service_level_answered + NOISE, "{a:?}");
        prop_assert!(a.service_level <= 1.0 - a.p_abandon + NOISE, "{a:?}");
        prop_assert!(a_next.service_level_virtual >= a.service_level_virtual - NOISE);
        prop_assert!(a.service_level_virtual >= service_level_c(traffic, n, aht, t) - NOISE);
        prop_assert!((a.asa_seconds - a.p_abandon * patience).abs() <= 1e-9 * a.asa_seconds.max(1e-6));
    }

    /// With a patience of 10^12 s Erlang A is Erlang C (stable cases, load ≤ 0.99): SL,
    /// P(wait), occupancy to 1e−6. The ASA differs by the model itself at first order
    /// `≈ E[queue]·E[wait]/patience` (up to ~1e−5 relative at load 0.99 and one server), so it is
    /// compared to 1e−4 here and to 1e−6 with a patience of 10^15 s.
    #[test]
    fn erlang_a_with_huge_patience_is_erlang_c(
        servers in 1..3000_u32,
        load in 0.01..0.99_f64,
        aht in 10.0..1000.0_f64,
        t in answer_time(),
    ) {
        let traffic = f64::from(servers) * load;
        let w = workload(traffic, aht);
        let c = evaluate(&w, &QueueModel::erlang_c(), t, servers);
        for (patience, asa_tolerance) in [(1e12, 1e-4), (1e15, 1e-6)] {
            let a = evaluate(&w, &model(Some(patience), 1), t, servers);
            prop_assert!((a.service_level - c.service_level).abs() <= 1e-6, "{a:?} vs {c:?}");
            prop_assert!((a.p_wait - c.p_wait).abs() <= 1e-6, "{a:?} vs {c:?}");
            prop_assert!((a.occupancy - c.occupancy).abs() <= 1e-6, "{a:?} vs {c:?}");
            prop_assert!(
                (a.asa_seconds - c.asa_seconds).abs() <= asa_tolerance * c.asa_seconds + 1e-9,
                "{a:?} vs {c:?}"
            );
            prop_assert!(a.p_abandon.unwrap_or(1.0) <= 1e-6);
        }
    }

    /// `required_agents` returns an N that meets every target while N − 1 does not, for
    /// Erlang C and A, with and without ASA/occupancy limits, with concurrency.
    #[test]
    fn required_agents_is_the_minimum(
        traffic in traffic(),
        aht in 10.0..1000.0_f64,
        patience in patience_or_none(),
        concurrency in 1..=4_u32,
        targets in targets(),
    ) {
        let w = workload(traffic, aht);
        let m = model(patience, concurrency);
        let n = required_agents(&w, &m, &targets);
        prop_assert!(n.is_some(), "reachable targets gave None");
        let n = n.unwrap_or(0);
        let at = evaluate(&w, &m, targets.answer_seconds, n);
        prop_assert!(targets.met_by(&at), "N = {n} misses: {at:?}");
        prop_assert!(n > 0, "traffic {traffic} needs agents");
        let below = evaluate(&w, &m, targets.answer_seconds, n - 1);
        prop_assert!(!targets.met_by(&below), "N − 1 = {} meets: {below:?}", n - 1);
    }

    /// For small traffic, the search equals a plain linear scan from 0.
    #[test]
    fn required_agents_equals_linear_scan(
        traffic in 0.01..40.0_f64,
        aht in 10.0..1000.0_f64,
        patience in patience_or_none(),
        concurrency in 1..=3_u32,
        targets in targets(),
    ) {
        let w = workload(traffic, aht);
        let m = model(patience, concurrency);
        let scan = (0..10_000_u32)
            .find(|&n| targets.met_by(&evaluate(&w, &m, targets.answer_seconds, n)));
        prop_assert_eq!(required_agents(&w, &m, &targets), scan);
    }

    /// Abandonment never makes ASA or occupancy limits harder to meet: the time in queue of
    /// Erlang A is pathwise at most the Erlang C wait, and carried traffic at most offered.
    /// Also with a service-level target at t = 0, where SL = 1 − P(wait).
    #[test]
    fn erlang_a_needs_no_more_than_erlang_c_for_asa_occupancy_and_immediate_answer(
        traffic in traffic(),
        aht in 10.0..1000.0_f64,
        patience in patience(),
        concurrency in 1..=4_u32,
        asa in 1.0..120.0_f64,
        occupancy in 0.5..0.97_f64,
        service_level in 0.3..0.99_f64,
        which in 0..3_u32,
    ) {
        let w = workload(traffic, aht);
        let targets = Targets {
            service_level: if which == 2 { service_level } else { 0.0 },
            answer_seconds: 0.0,
            asa_seconds: (which == 0).then_some(asa),
            max_occupancy: (which == 1).then_some(occupancy),
        };
        let c = required_agents(&w, &model(None, concurrency), &targets);
        let a = required_agents(&w, &model(Some(patience), concurrency), &targets);
        prop_assert!(c.is_some() && a.is_some());
        prop_assert!(a <= c, "A {a:?} > C {c:?} for {targets:?}");
    }

    /// With a service level at t > 0 Erlang A can need MORE agents than Erlang C (abandoned
    /// contacts count as not answered in time; see `erlang_a_can_need_more_than_erlang_c`).
    /// What always holds: an abandoning contact that would have been answered within t was
    /// impatient before t, so SL_A(N) ≥ SL_C(N) − (1 − e^{−t/patience}), hence
    /// N_A(sl) ≤ N_C(sl + 1 − e^{−t/patience}).
    #[test]
    fn erlang_a_requirement_is_bounded_by_erlang_c(
        traffic in traffic(),
        aht in 10.0..1000.0_f64,
        t in 0.0..120.0_f64,
        patience_over_t in (0.0..3.0_f64).prop_map(|e| 10f64.powf(e)),
        concurrency in 1..=4_u32,
        fraction in 0.3..1.0_f64,
    ) {
        // Patience ≥ t, so the slack is at most 1 − 1/e; SL + slack stays below 0.999.
        let patience = (t * patience_over_t).max(1.0);
        let slack = -(-t / patience).exp_m1();
        let service_level = fraction * (0.999 - slack);
        let w = workload(traffic, aht);
        let a = required_agents(
            &w,
            &model(Some(patience), concurrency),
            &Targets::service_level(service_level, t),
        );
        let c = required_agents(
            &w,
            &model(None, concurrency),
            &Targets::service_level(service_level + slack, t),
        );
        prop_assert!(c.is_some() && a.is_some());
        prop_assert!(a <= c, "A {a:?} > C(sl + slack) {c:?}");
    }
}

#[test]
fn erlang_a_can_need_fewer_agents_than_the_traffic() {
    // 20,000 Erlangs (200,000 calls per 30 min at 180 s), patience 5 min, 80 % in 20 s: with
    // abandonment 18,820 agents do it (Erlang C needs 20,014); 18,820 < ⌈20,000⌉.
    let w = workload(20_000.0, 180.0);
    let targets = Targets::service_level(0.8, 20.0);
    let a = required_agents(&w, &model(Some(300.0), 1), &targets);
    assert_eq!(a, Some(18_820));
    let c = required_agents(&w, &QueueModel::erlang_c(), &targets);
    assert_eq!(c, Some(20_014));
    // A small one: 50 Erlangs at AHT 300 s, patience 60 s, 80 % in 20 s: 48 agents (Erlang C
    // needs 57). mpmath (50 digits): SL_A(48) = 0.80750577649992961612, SL_A(47) = 0.78199553098034507245.
    let w = workload(50.0, 300.0);
    let m = model(Some(60.0), 1);
    assert_eq!(required_agents(&w, &m, &targets), Some(48));
    assert!((evaluate(&w, &m, 20.0, 48).service_level - 0.807_505_776_499_929_616).abs() < 1e-9);
    assert!((evaluate(&w, &m, 20.0, 47).service_level - 0.781_995_530_980_345_072).abs() < 1e-9);
    assert_eq!(
        required_agents(&w, &QueueModel::erlang_c(), &targets),
        Some(57)
    );
}

#[test]
fn erlang_a_can_need_more_than_erlang_c() {
    // 10 Erlangs at AHT 10 s, patience 1 s, 90 % within 60 s. Erlang C: 11 agents answer
    // 99.83 % within 60 s. In Erlang A whoever waits hangs up after ~1 s, so with 11 agents only
    // 86.3 % are answered within 60 s; 12 are needed (90.3 %). (mpmath: SL_A(11) = 0.86292779,
    // SL_A(12) = 0.90295757, SL_C(11) = 0.9983092.)
    let w = workload(10.0, 10.0);
    let targets = Targets::service_level(0.9, 60.0);
    assert_eq!(
        required_agents(&w, &QueueModel::erlang_c(), &targets),
        Some(11)
    );
    assert_eq!(
        required_agents(&w, &model(Some(1.0), 1), &targets),
        Some(12)
    );
    let a11 = erlang_a(10.0, 11, 10.0, 1.0, 60.0);
    assert!((a11.service_level - 0.862_927_79).abs() < 1e-8, "{a11:?}");
    assert!((service_level_c(10.0, 11, 10.0, 60.0) - 0.998_309_2).abs() < 1e-7);
}
