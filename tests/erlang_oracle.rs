//! An independent oracle for Erlang A (and C), without simulation and without the integral
//! formulation the engine uses.
//!
//! 1. The stationary distribution of the birth–death chain of the number in system, computed
//!    directly: states `0..M` (truncated where the weight is below `e^−80` of the largest), birth
//!    rate `λ`, death rate `min(n, s)·μ + max(n − s, 0)·θ`, normalised (in log space).
//! 2. From it `P(wait) = P(n ≥ s)`, `E[queue]`, `P(abandon) = θ·E[queue]/λ`,
//!    `ASA = E[queue]/λ` (Little), occupancy `= E[min(n, s)]/s`.
//! 3. Service level over all arrivals by PASTA: an arrival finding `n < s` is answered at once;
//!    one finding `s + j` has `j` ahead. Its position is a pure-death chain: with `i` ahead it
//!    moves up at rate `s·μ + i·θ` (the head is answered, or one ahead abandons), from 0 ahead
//!    it is answered at rate `s·μ`, and it abandons itself at rate `θ`. `P(answered by t)` comes
//!    from uniformizing that chain (a Poisson mixture of a discrete chain). Dropping its own
//!    abandonment gives the virtual waiting time.
//!
//! Time is in units of the AHT (`μ = 1`); the engine is called in seconds.

use staffplan::erlang::{QueueModel, Workload, erlang_a, evaluate};

struct Oracle {
    p_wait: f64,
    p_abandon: f64,
    asa: f64,
    occupancy: f64,
    sl_all: f64,
    sl_answered: f64,
    sl_virtual: f64,
}

/// The chain with `s` servers, arrival rate `a`, abandonment rate `r` (0 = Erlang C), and the
/// service level at `t`, all in AHT units.
fn oracle(a: f64, s: usize, r: f64, t: f64) -> Oracle {
    assert!(
        r > 0.0 || a < s as f64,
        "Erlang C oracle needs a stable queue"
    );
    let death = |n: usize| n.min(s) as f64 + n.saturating_sub(s) as f64 * r;
    let mut log_w = vec![0.0_f64];
    let mut max = 0.0_f64;
    let mut n = 0;
    loop {
        n += 1;
        let next = log_w[n - 1] + (a / death(n)).ln();
        log_w.push(next);
        max = max.max(next);
        if n > s + 10 && next < max - 80.0 && next < log_w[n - 1] {
            break;
        }
        assert!(n < 5_000_000, "chain too long");
    }
    let w: Vec<f64> = log_w.iter().map(|l| (l - max).exp()).collect();
    let total: f64 = w.iter().sum();
    let p: Vec<f64> = w.iter().map(|x| x / total).collect();

    let p_wait: f64 = p[s..].iter().sum();
    let queue: f64 = p
        .iter()
        .enumerate()
        .map(|(n, x)| n.saturating_sub(s) as f64 * x)
        .sum();
    let busy: f64 = p.iter().enumerate().map(|(n, x)| n.min(s) as f64 * x).sum();
    let p_abandon = r * queue / a;

    // Uniformization of the tagged contact's position, for every j = 0..J at once.
    let tail = &p[s..];
    let jmax = tail.len();
    let sf = s as f64;
    let big = sf + (jmax as f64 + 1.0) * r;
    let mean = big * t;
    assert!(mean < 700.0, "Poisson weights would underflow");
    // served[i] = P(answered within k steps | i ahead), with / without own abandonment.
    let mut served = vec![0.0_f64; jmax];
    let mut virt = vec![0.0_f64; jmax];
    let mut acc = vec![0.0_f64; jmax];
    let mut acc_virt = vec![0.0_f64; jmax];
    let mut weight = (-mean).exp();
    let steps = (mean + 20.0 * mean.sqrt() + 60.0).ceil() as usize;
    for k in 0..=steps {
        if k > 0 {
            weight *= mean / k as f64;
            // Update from the highest i down so that served[i − 1] is still the old value.
            for i in (0..jmax).rev() {
                let down = (sf + i as f64 * r) / big;
                let below = if i == 0 { 1.0 } else { served[i - 1] };
                let below_virt = if i == 0 { 1.0 } else { virt[i - 1] };
                served[i] = down * below + (1.0 - down - r / big) * served[i];
                virt[i] = down * below_virt + (1.0 - down) * virt[i];
            }
        }
        for i in 0..jmax {
            acc[i] += weight * served[i];
            acc_virt[i] += weight * virt[i];
        }
    }
    let no_wait = 1.0 - p_wait;
    let sl_all = no_wait + tail.iter().zip(&acc).map(|(x, u)| x * u).sum::<f64>();
    let sl_virtual = no_wait + tail.iter().zip(&acc_virt).map(|(x, u)| x * u).sum::<f64>();
    Oracle {
        p_wait,
        p_abandon,
        asa: queue / a,
        occupancy: busy / sf,
        sl_all,
        sl_answered: sl_all / (1.0 - p_abandon),
        sl_virtual,
    }
}

#[track_caller]
fn close(label: &str, got: f64, want: f64) {
    // Absolute 1e-9 for O(1) quantities, relative 1e-9 for small ones.
    let tolerance = 1e-9 * want.abs().clamp(1e-3, 1.0);
    if std::env::var_os("ORACLE_VERBOSE").is_some() {
        eprintln!("{label}: |engine − oracle| = {:e}", (got - want).abs());
    }
    assert!(
        (got - want).abs() <= tolerance,
        "{label}: engine {got:e}, oracle {want:e}"
    );
}

/// (label, traffic, servers, AHT/patience, t/AHT)
const CASES: &[(&str, f64, usize, f64, f64)] = &[
    ("EA1 pyworkforce", 10.0, 14, 0.6, 20.0 / 180.0),
    ("small, 1 server", 0.5, 1, 2.0, 0.3),
    ("small, patient", 2.0, 3, 0.1, 0.5),
    ("medium", 50.0, 55, 0.2, 0.1),
    ("overloaded, short patience", 30.0, 20, 2.0, 0.2),
    ("overloaded, long patience", 30.0, 20, 0.05, 0.2),
    ("stable, long patience", 8.0, 10, 0.01, 0.3),
    ("very short patience", 10.0, 12, 20.0, 0.05),
    (
        "near-critical, patience 1e12 s, t=0",
        0.994_071_749_8,
        1,
        855.0 / 1e12,
        0.0,
    ),
    (
        "near-critical, patience 1e12 s",
        0.994_071_749_8,
        1,
        855.0 / 1e12,
        1.0,
    ),
    ("large, overloaded", 200.0, 190, 0.5, 0.05),
    ("fewer agents than traffic", 50.0, 48, 5.0, 20.0 / 300.0),
    ("impatient vs long t", 10.0, 11, 10.0, 1.5),
];

#[test]
fn erlang_a_matches_the_birth_death_chain() {
    let aht = 100.0;
    for &(label, a, s, r, t) in CASES {
        let want = oracle(a, s, r, t);
        let agents = u32::try_from(s).unwrap_or(u32::MAX);
        let got = erlang_a(a, agents, aht, aht / r, t * aht);
        close(&format!("{label} P(wait)"), got.p_wait, want.p_wait);
        close(
            &format!("{label} P(abandon)"),
            got.p_abandon,
            want.p_abandon,
        );
        close(&format!("{label} ASA"), got.asa_seconds / aht, want.asa);
        close(&format!("{label} occupancy"), got.occupancy, want.occupancy);
        close(&format!("{label} SL all"), got.service_level, want.sl_all);
        close(
            &format!("{label} SL answered"),
            got.service_level_answered,
            want.sl_answered,
        );
        close(
            &format!("{label} SL virtual"),
            got.service_level_virtual,
            want.sl_virtual,
        );
    }
}

#[test]
fn chat_concurrency_is_k_times_n_servers() {
    // 5 agents × 3 slots = 15 servers; 12 Erlangs of chats; AHT 600 s, patience 1200 s, t 120 s.
    let w = Workload {
        volume: 12.0 * 1800.0 / 600.0,
        interval_seconds: 1800.0,
        aht_seconds: 600.0,
    };
    let model = QueueModel {
        patience_seconds: Some(1200.0),
        concurrency: 3,
    };
    let got = evaluate(&w, &model, 120.0, 5);
    let want = oracle(12.0, 15, 0.5, 0.2);
    close("chat SL", got.service_level, want.sl_all);
    close("chat P(wait)", got.p_wait, want.p_wait);
    close("chat ASA", got.asa_seconds / 600.0, want.asa);
    close("chat occupancy", got.occupancy, want.occupancy);
    close(
        "chat P(abandon)",
        got.p_abandon.unwrap_or(f64::NAN),
        want.p_abandon,
    );
}

#[test]
fn erlang_c_matches_the_birth_death_chain() {
    // θ = 0: the chain is M/M/s; the waiting-time formula of the engine against uniformization.
    let aht = 60.0;
    for &(a, s, t) in &[
        (10.0, 14_usize, 0.11),
        (2.5, 3, 0.5),
        (45.0, 50, 0.05),
        (7.9, 8, 1.0),
    ] {
        let want = oracle(a, s, 0.0, t);
        let w = Workload {
            volume: a * 1800.0 / aht,
            interval_seconds: 1800.0,
            aht_seconds: aht,
        };
        let agents = u32::try_from(s).unwrap_or(u32::MAX);
        let got = evaluate(&w, &QueueModel::erlang_c(), t * aht, agents);
        close("C SL", got.service_level, want.sl_all);
        close("C P(wait)", got.p_wait, want.p_wait);
        close("C ASA", got.asa_seconds / aht, want.asa);
        close("C occupancy", got.occupancy, want.occupancy);
    }
}
