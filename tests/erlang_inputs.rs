//! Unusual inputs: non-finite, negative, zero. Nothing panics or hangs, and the results are
//! the documented ones.

use staffplan::erlang::{
    Performance, QueueModel, Targets, Workload, asa_c, erlang_a, erlang_b, erlang_c, evaluate,
    required_agents, service_level_c,
};

const C: QueueModel = QueueModel {
    patience_seconds: None,
    concurrency: 1,
};

fn a_model(patience: f64) -> QueueModel {
    QueueModel {
        patience_seconds: Some(patience),
        concurrency: 1,
    }
}

fn w(volume: f64, interval: f64, aht: f64) -> Workload {
    Workload {
        volume,
        interval_seconds: interval,
        aht_seconds: aht,
    }
}

fn normal() -> Workload {
    w(100.0, 1800.0, 180.0)
}

fn sl80() -> Targets {
    Targets::service_level(0.8, 20.0)
}

fn all_nan(p: &Performance) -> bool {
    p.service_level.is_nan() && p.asa_seconds.is_nan() && p.occupancy.is_nan() && p.p_wait.is_nan()
}

fn is_zero_traffic(p: &Performance) -> bool {
    p.service_level == 1.0 && p.asa_seconds == 0.0 && p.occupancy == 0.0 && p.p_wait == 0.0
}

#[test]
fn nan_and_negative_traffic_give_nan_and_no_staffing() {
    for workload in [
        w(f64::NAN, 1800.0, 180.0),
        w(-5.0, 1800.0, 180.0),
        w(100.0, -1800.0, 180.0),
        w(100.0, 1800.0, f64::NAN),
        w(100.0, f64::NAN, 180.0),
        w(f64::INFINITY, f64::INFINITY, 180.0),
    ] {
        for model in [C, a_model(300.0)] {
            for n in [0, 1, 14, u32::MAX] {
                let p = evaluate(&workload, &model, 20.0, n);
                assert!(all_nan(&p), "{workload:?} {model:?} {n}: {p:?}");
            }
            assert_eq!(required_agents(&workload, &model, &sl80()), None);
        }
    }
}

#[test]
fn zero_traffic_needs_nobody() {
    for workload in [
        w(0.0, 1800.0, 180.0),
        w(0.0, 0.0, f64::NAN),
        w(5.0, 1800.0, 0.0),
        w(5.0, f64::INFINITY, 180.0),
    ] {
        for model in [C, a_model(300.0), a_model(0.0)] {
            for n in [0, 3] {
                let p = evaluate(&workload, &model, 20.0, n);
                assert!(is_zero_traffic(&p), "{workload:?} {model:?}: {p:?}");
            }
            assert_eq!(required_agents(&workload, &model, &sl80()), Some(0));
        }
    }
}

#[test]
fn infinite_traffic_and_no_servers() {
    let unstaffable = [
        (w(f64::INFINITY, 1800.0, 180.0), 10),
        (w(100.0, 0.0, 180.0), 10),
        (w(100.0, 1800.0, f64::INFINITY), 10),
        (normal(), 0),
    ];
    for (workload, n) in unstaffable {
        let p = evaluate(&workload, &C, 20.0, n);
        assert_eq!(
            (p.service_level, p.asa_seconds, p.p_wait, p.occupancy),
            (0.0, f64::INFINITY, 1.0, 1.0)
        );
        let p = evaluate(&workload, &a_model(300.0), 20.0, n);
        assert_eq!(
            (p.service_level, p.asa_seconds, p.p_wait, p.occupancy),
            (0.0, 300.0, 1.0, 1.0),
            "everybody waits out their patience"
        );
        assert_eq!(p.p_abandon, Some(1.0));
    }
    for (workload, _) in &unstaffable[..3] {
        assert_eq!(required_agents(workload, &C, &sl80()), None);
        assert_eq!(required_agents(workload, &a_model(300.0), &sl80()), None);
    }
    // Concurrency 0: no servers, whatever the agents.
    let zero_slots = QueueModel {
        patience_seconds: None,
        concurrency: 0,
    };
    assert_eq!(
        evaluate(&normal(), &zero_slots, 20.0, 50).service_level,
        0.0
    );
    assert_eq!(required_agents(&normal(), &zero_slots, &sl80()), None);
}

#[test]
fn patience_special_values() {
    let wl = normal();
    for bad in [f64::NAN, -1.0, f64::NEG_INFINITY] {
        assert!(all_nan(&evaluate(&wl, &a_model(bad), 20.0, 14)));
        assert_eq!(required_agents(&wl, &a_model(bad), &sl80()), None);
    }
    // Zero patience: the Erlang B loss system.
    let p = evaluate(&wl, &a_model(0.0), 20.0, 14);
    let b = erlang_b(10.0, 14);
    assert!((p.p_wait - b).abs() < 1e-15);
    assert!((p.p_abandon.unwrap_or(f64::NAN) - b).abs() < 1e-15);
    assert!((p.service_level - (1.0 - b)).abs() < 1e-15);
    assert_eq!(p.asa_seconds, 0.0);
    assert!((p.occupancy - 10.0 * (1.0 - b) / 14.0).abs() < 1e-15);
    // An ASA limit of 0 is reachable only there.
    let zero_asa = Targets {
        service_level: 0.5,
        answer_seconds: 20.0,
        asa_seconds: Some(0.0),
        max_occupancy: None,
    };
    assert!(required_agents(&wl, &a_model(0.0), &zero_asa).is_some());
    assert_eq!(required_agents(&wl, &a_model(300.0), &zero_asa), None);
    assert_eq!(required_agents(&wl, &C, &zero_asa), None);
    // Infinite patience: Erlang C, with P(abandon) reported.
    let c = evaluate(&wl, &C, 20.0, 14);
    let a = evaluate(&wl, &a_model(f64::INFINITY), 20.0, 14);
    assert_eq!(a.p_abandon, Some(0.0));
    assert!((a.service_level - c.service_level).abs() < 1e-15);
    assert!((a.asa_seconds - c.asa_seconds).abs() < 1e-12);
    let overloaded = evaluate(&wl, &a_model(f64::INFINITY), 20.0, 8);
    assert_eq!(overloaded.asa_seconds, f64::INFINITY);
    assert!((overloaded.p_abandon.unwrap_or(f64::NAN) - 0.2).abs() < 1e-15);
    assert_eq!(
        required_agents(&wl, &a_model(f64::INFINITY), &sl80()),
        required_agents(&wl, &C, &sl80())
    );
    // Tiny and huge (but finite) patience behave like their limits.
    let tiny = evaluate(&wl, &a_model(1e-200), 20.0, 14);
    assert!((tiny.service_level - (1.0 - b)).abs() < 1e-12);
    let huge = evaluate(&wl, &a_model(1e200), 20.0, 14);
    assert!((huge.service_level - c.service_level).abs() < 1e-12);
    let huge_overloaded = evaluate(&wl, &a_model(1e200), 20.0, 8);
    assert_eq!(huge_overloaded.service_level, 0.0);
    assert!(huge_overloaded.asa_seconds > 1e190);
}

#[test]
fn answer_time_special_values() {
    let wl = normal();
    for model in [C, a_model(300.0)] {
        let p = evaluate(&wl, &model, f64::NAN, 14);
        assert!(p.service_level.is_nan());
        assert!(p.p_wait.is_finite() && p.asa_seconds.is_finite() && p.occupancy.is_finite());
        assert_eq!(evaluate(&wl, &model, -1.0, 14).service_level, 0.0);
        assert_eq!(evaluate(&wl, &model, -1.0, 0).service_level, 0.0);
        let zero = evaluate(&wl, &model, 0.0, 14);
        assert!((zero.service_level - (1.0 - zero.p_wait)).abs() < 1e-15);
        let mut t = sl80();
        t.answer_seconds = f64::NAN;
        assert_eq!(required_agents(&wl, &model, &t), None);
        t.answer_seconds = -1.0;
        assert_eq!(required_agents(&wl, &model, &t), None);
    }
    // t = ∞: everybody answered eventually (C) / all but the abandoned (A).
    assert_eq!(evaluate(&wl, &C, f64::INFINITY, 14).service_level, 1.0);
    let a = evaluate(&wl, &a_model(300.0), f64::INFINITY, 14);
    let abandoned = a.p_abandon.unwrap_or(f64::NAN);
    assert!((a.service_level - (1.0 - abandoned)).abs() < 1e-14);
}

#[test]
fn unreachable_and_trivial_targets() {
    let wl = normal();
    let with = |sl: f64, t: f64, asa: Option<f64>, occ: Option<f64>| Targets {
        service_level: sl,
        answer_seconds: t,
        asa_seconds: asa,
        max_occupancy: occ,
    };
    for model in [C, a_model(300.0), a_model(0.0)] {
        // SL is below 1 for every finite N: 100 % at t = 0 (or any finite t) is unreachable.
        assert_eq!(
            required_agents(&wl, &model, &with(1.0, 0.0, None, None)),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(1.0, 20.0, None, None)),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(1.01, 20.0, None, None)),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(f64::NAN, 20.0, None, None)),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(0.8, 20.0, Some(f64::NAN), None)),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(0.8, 20.0, None, Some(0.0))),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(0.8, 20.0, None, Some(f64::NAN))),
            None
        );
        assert_eq!(
            required_agents(&wl, &model, &with(0.8, 20.0, Some(-1.0), None)),
            None
        );
        // No target at all: nobody needed.
        assert_eq!(
            required_agents(&wl, &model, &with(0.0, 20.0, None, None)),
            Some(0)
        );
        // Nearly 100 % is reachable.
        assert!(required_agents(&wl, &model, &with(0.999_999, 0.0, None, None)).is_some());
    }
    // Erlang C answers everybody eventually: 100 % within t = ∞ needs a stable queue only.
    assert_eq!(
        required_agents(&wl, &C, &with(1.0, f64::INFINITY, None, None)),
        Some(11)
    );
}

#[test]
fn scalar_functions_special_values() {
    assert!(erlang_b(f64::NAN, 3).is_nan());
    assert!(erlang_b(-1.0, 3).is_nan());
    assert_eq!(erlang_b(f64::INFINITY, 3), 1.0);
    assert_eq!(erlang_b(3.0, 0), 1.0);
    assert_eq!(erlang_b(0.0, 3), 0.0);
    assert!(erlang_c(f64::NAN, 3).is_nan());
    assert_eq!(erlang_c(f64::INFINITY, 3), 1.0);
    assert_eq!(erlang_c(0.0, 3), 0.0);
    assert_eq!(erlang_c(3.0, 3), 1.0);
    assert_eq!(service_level_c(3.0, 3, 180.0, 20.0), 0.0);
    assert_eq!(service_level_c(0.0, 3, 180.0, 20.0), 1.0);
    assert!(service_level_c(2.0, 3, f64::NAN, 20.0).is_nan());
    assert!(service_level_c(2.0, 3, 180.0, f64::NAN).is_nan());
    assert_eq!(asa_c(3.0, 3, 180.0), f64::INFINITY);
    assert_eq!(asa_c(0.0, 3, 180.0), 0.0);
    assert!(asa_c(2.0, 3, -1.0).is_nan());
    assert!(asa_c(2.0, 3, 0.0).is_nan());
    assert!(service_level_c(2.0, 3, f64::INFINITY, 20.0).is_nan());
    assert!(erlang_a(5.0, 3, 0.0, 60.0, 20.0).asa_seconds.is_nan());
    let m = erlang_a(f64::NAN, 3, 180.0, 60.0, 20.0);
    assert!(m.service_level.is_nan() && m.p_abandon.is_nan());
    let m = erlang_a(2.0, 3, 180.0, -60.0, 20.0);
    assert!(m.service_level.is_nan());
    let m = erlang_a(2.0, 0, 180.0, 60.0, 20.0);
    assert_eq!(
        (m.service_level, m.p_abandon, m.asa_seconds),
        (0.0, 1.0, 60.0)
    );
}

mod arbitrary {
    use super::*;
    use proptest::prelude::*;

    /// Any f64, with the special values and small whole numbers over-represented.
    fn float() -> impl Strategy<Value = f64> {
        prop_oneof![
            any::<f64>(),
            Just(0.0),
            Just(-0.0),
            Just(f64::INFINITY),
            Just(f64::NEG_INFINITY),
            Just(f64::NAN),
            Just(f64::MIN_POSITIVE),
            (0.0..1e4_f64),
            (-10.0..10.0_f64),
        ]
    }

    fn config() -> ProptestConfig {
        let mut config = ProptestConfig::default();
        if std::env::var_os("PROPTEST_CASES").is_none() {
            config.cases = 300;
        }
        config.failure_persistence = None;
        config
    }

    fn probability_or_nan(x: f64) -> bool {
        x.is_nan() || (0.0..=1.0).contains(&x)
    }

    proptest! {
        #![proptest_config(config())]

        /// Whatever the inputs: no panic, no hang, probabilities in [0, 1] (or NaN), ASA ≥ 0
        /// (or NaN), and a staffing answer that meets the targets.
        #[test]
        fn any_input_gives_probabilities_and_minimal_staffing(
            volume in float(),
            interval in float(),
            aht in float(),
            patience in prop::option::of(float()),
            answer in float(),
            agents in prop_oneof![any::<u32>(), 0..200_u32],
            concurrency in prop_oneof![any::<u32>(), 0..5_u32],
            service_level in float(),
            asa in prop::option::of(float()),
            occupancy in prop::option::of(float()),
        ) {
            let workload = w(volume, interval, aht);
            let model = QueueModel { patience_seconds: patience, concurrency };
            let p = evaluate(&workload, &model, answer, agents);
            prop_assert!(probability_or_nan(p.service_level), "{p:?}");
            prop_assert!(probability_or_nan(p.p_wait), "{p:?}");
            prop_assert!(probability_or_nan(p.occupancy), "{p:?}");
            prop_assert!(p.p_abandon.is_none_or(probability_or_nan), "{p:?}");
            prop_assert!(p.asa_seconds.is_nan() || p.asa_seconds >= 0.0, "{p:?}");
            let targets = Targets {
                service_level,
                answer_seconds: answer,
                asa_seconds: asa,
                max_occupancy: occupancy,
            };
            if let Some(n) = required_agents(&workload, &model, &targets) {
                prop_assert!(targets.met_by(&evaluate(&workload, &model, answer, n)));
                if n > 0 {
                    prop_assert!(!targets.met_by(&evaluate(&workload, &model, answer, n - 1)));
                }
            }
        }
    }
}
