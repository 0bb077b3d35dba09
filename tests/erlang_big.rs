//! Big numbers: 20,000 Erlangs and 20,000 agents, and far beyond, without overflow, `NaN` or
//! long loops.

// Reference values are pasted with all the digits mpmath printed, beyond f64 precision.
#![allow(clippy::excessive_precision)]

use std::time::{Duration, Instant};

use staffplan::erlang::{
    MAX_TRAFFIC_ERLANGS, QueueModel, Targets, Workload, erlang_a, erlang_b, erlang_c, evaluate,
    required_agents,
};

fn workload(traffic: f64, aht: f64) -> Workload {
    Workload {
        volume: traffic * 1800.0 / aht,
        interval_seconds: 1800.0,
        aht_seconds: aht,
    }
}

#[test]
fn erlang_b_and_c_up_to_20000_agents_stay_finite_and_monotone() {
    for &a in &[0.5, 100.0, 5_000.0, 19_999.99, 20_000.0, 25_000.0] {
        let mut previous_b = 1.0;
        for n in 1..=20_000_u32 {
            let b = erlang_b(a, n);
            let c = erlang_c(a, n);
            assert!((0.0..=1.0).contains(&b), "B({a},{n}) = {b}");
            assert!((0.0..=1.0).contains(&c), "C({a},{n}) = {c}");
            assert!(b <= previous_b, "B({a},{n}) rose");
            assert!(c >= b, "C({a},{n}) < B");
            previous_b = b;
        }
    }
    // 20,000 agents at traffic from nothing to far beyond.
    for &a in &[1e-300, 1e-3, 1.0, 19_000.0, 20_000.0, 1e6, 1e9] {
        let b = erlang_b(a, 20_000);
        assert!((0.0..=1.0).contains(&b), "B({a}) = {b}");
        assert!(erlang_c(a, 20_000).is_finite());
    }
}

#[test]
fn staffing_20000_erlangs_erlang_a() {
    // 20,000 Erlangs at AHT 180 s, patience 300 s, 80 % answered within 20 s (over all arrivals).
    // mpmath, 50 digits (waiting-time integrals with Erlang B from the incomplete gamma):
    // SL(18,820) = 0.8005506487085437708176, SL(18,819) = 0.7984382685356703940324;
    // P(abandon) = 0.059 and 0.05905 (the fluid values 1 − N/A to 22 digits).
    let w = workload(20_000.0, 180.0);
    let model = QueueModel {
        patience_seconds: Some(300.0),
        concurrency: 1,
    };
    let targets = Targets::service_level(0.8, 20.0);
    let n = required_agents(&w, &model, &targets);
    assert_eq!(n, Some(18_820));
    let at = evaluate(&w, &model, 20.0, 18_820);
    let below = evaluate(&w, &model, 20.0, 18_819);
    assert!(targets.met_by(&at) && !targets.met_by(&below));
    assert!((at.service_level - 0.800_550_648_708_543_770_8).abs() < 1e-9);
    assert!((below.service_level - 0.798_438_268_535_670_394_0).abs() < 1e-9);
    assert!((at.p_abandon.unwrap_or(f64::NAN) - 0.059).abs() < 1e-12);
    // ASA = P(abandon) × patience = 17.7 s.
    assert!((at.asa_seconds - 17.7).abs() < 1e-9);
}

#[test]
fn searches_at_20000_erlangs_are_fast() {
    // Generous limits (a shared, noisy machine, maybe a debug build); the bench has the figures.
    let limit = Duration::from_millis(if cfg!(debug_assertions) { 2000 } else { 200 });
    for patience in [None, Some(300.0), Some(30.0)] {
        for concurrency in [1, 3] {
            let model = QueueModel {
                patience_seconds: patience,
                concurrency,
            };
            let w = workload(20_000.0, 180.0);
            let targets = Targets {
                service_level: 0.9,
                answer_seconds: 15.0,
                asa_seconds: Some(10.0),
                max_occupancy: Some(0.95),
            };
            let start = Instant::now();
            let n = required_agents(&w, &model, &targets);
            let took = start.elapsed();
            assert!(took < limit, "{model:?}: {took:?}");
            let n = n.unwrap_or(0);
            assert!(targets.met_by(&evaluate(&w, &model, 15.0, n)));
            assert!(!targets.met_by(&evaluate(&w, &model, 15.0, n - 1)));
        }
    }
}

#[test]
fn extreme_sizes_terminate_quickly() {
    let limit = Duration::from_secs(if cfg!(debug_assertions) { 20 } else { 2 });
    let start = Instant::now();
    // Every agent and slot there is.
    let w = workload(20_000.0, 180.0);
    let huge = QueueModel {
        patience_seconds: None,
        concurrency: u32::MAX,
    };
    let p = evaluate(&w, &huge, 20.0, u32::MAX);
    assert_eq!(p.p_wait, 0.0);
    assert_eq!(p.service_level, 1.0);
    let huge_a = QueueModel {
        patience_seconds: Some(60.0),
        concurrency: u32::MAX,
    };
    assert_eq!(evaluate(&w, &huge_a, 20.0, u32::MAX).service_level, 1.0);
    assert_eq!(erlang_b(1e6, u32::MAX), 0.0);
    // The largest supported traffic, Erlang C and A.
    let w = workload(MAX_TRAFFIC_ERLANGS, 180.0);
    let targets = Targets::service_level(0.8, 20.0);
    let n = required_agents(&w, &QueueModel::erlang_c(), &targets).unwrap_or(0);
    assert!(f64::from(n) > MAX_TRAFFIC_ERLANGS, "{n}");
    let m = erlang_a(MAX_TRAFFIC_ERLANGS, 999_000_000, 180.0, 300.0, 20.0);
    assert!((m.p_abandon - 0.001).abs() < 1e-6, "{m:?}");
    // Beyond it: NaN, immediately.
    assert!(erlang_b(2.0 * MAX_TRAFFIC_ERLANGS, 2_000_000_000).is_nan());
    assert_eq!(
        required_agents(
            &workload(2.0 * MAX_TRAFFIC_ERLANGS, 180.0),
            &QueueModel::erlang_c(),
            &targets
        ),
        None
    );
    assert!(start.elapsed() < limit, "{:?}", start.elapsed());
}
