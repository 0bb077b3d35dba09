//! Erlang A (M/M/s+M): Poisson arrivals, `s` exponential servers, exponential patience.
//!
//! Units: time is measured in AHTs, so the service rate is 1, the arrival rate is the traffic
//! `a`, the abandonment rate is `r = AHT / patience` and the answer time is `t = T / AHT`.
//!
//! # Formulation
//!
//! The number in system is a birth–death chain with birth rate `a` and death rate
//! `min(n, s) + r·max(n − s, 0)`. Relative to `π_s`, the states below `s` sum to `1/B − 1`
//! (`B` = Erlang B of `s` servers), and state `s + j` has weight
//! `w_j = Π_{k=1..j} a / (s + k·r)`.
//!
//! A contact arriving in state `s + j` has `j` contacts ahead. Its *virtual* wait (the time until
//! it would reach an agent if it never abandoned) is `V_j = Σ_{i=0..j} Exp(s + i·r)`: with `i`
//! ahead it moves up when the head is answered (rate `s`) or one of the `i` abandons (rate `i·r`).
//! It abandons before being answered with probability `1 − E[e^{−r·V_j}]`. Multiplying Laplace
//! transforms, `Σ_j w_j E[e^{−z·V_j}] = s·Σ_j a^j / Π_{i=0..j}(s + z + i·r)`, which is the
//! Laplace transform of `s·exp(φ(τ))` with
//!
//! ```text
//! φ(τ) = −s·τ + (a/r)·(1 − e^{−r·τ}).
//! ```
//!
//! So the waiting part of the stationary distribution collapses into one-dimensional integrals
//! (this is the incomplete-gamma form of Mandelbaum & Zeltyn, `u = (a/r)·e^{−rτ}`):
//!
//! ```text
//! M           = Σ_j w_j                       = s ∫_0^∞ e^{φ(τ)} dτ
//! answered ≤ t: Σ_j w_j E[e^{−rV_j}; V_j ≤ t] = s ∫_0^t e^{φ(τ) − rτ} dτ
//! V ≤ t:        Σ_j w_j P(V_j ≤ t)            = s ∫_0^t e^{φ(τ)} dτ
//! abandon:      Σ_j w_j (1 − E[e^{−rV_j}])    = s ∫_0^∞ (1 − e^{−rτ}) e^{φ(τ)} dτ
//! ```
//!
//! and with `D = 1/B − 1 + M`: `P(wait) = M/D`, `P(abandon) = s∫(1−e^{−rτ})e^φ / D`,
//! `P(answered within t) = (1/B − 1 + s∫_0^t e^{φ−rτ}) / D`. The mean time in queue over all
//! arrivals is `P(abandon)/r` (Little: `E[queue] = a·ASA`, and abandonments happen at rate
//! `r·E[queue] = a·P(abandon)`).
//!
//! # Numerics
//!
//! `φ` is concave (`φ'' = −a·r·e^{−rτ} < 0`), so the integrand is log-concave with a single
//! peak at `τ* = ln(a/s)/r` when `a > s` and at 0 otherwise. Everything is computed relative to
//! the peak, `ψ(u) = φ(τ* + u) − φ(τ*)`, written without cancellation:
//! `ψ(u) = −s·u·h(r·u)` (interior peak) or `ψ(u) = −(s − a)·u − a·u·h(r·u)` (peak at 0), with
//! `h(v) = (e^{−v} − 1 + v)/v` evaluated by its series near 0. The peak height
//! `φ(τ*) = −s·τ*·h(−ln(a/s))` can be astronomically large in overload, so `1/B − 1` is scaled
//! by `e^{−φ(τ*)}` in log space. The integrals run over the window where `ψ > −45` (found by
//! doubling and bisection; the rest is below `e^{−45}` of the peak) with adaptive 15-point
//! Gauss–Kronrod, all integrands on the same nodes, to a relative tolerance of `1e−13`.
//! The cost does not depend on the traffic except through Erlang B.

use super::classic::{blocking, erlang_c_metrics};

/// Window edge: the integrand below `e^{-CUT}` of its peak is dropped.
const CUT: f64 = 45.0;
/// Relative tolerance of the adaptive quadrature (on the error estimate `|K15 − G7|`, which
/// overestimates the real error of smooth integrands by orders of magnitude).
const TOL: f64 = 1e-13;
/// Maximum number of Gauss–Kronrod panels.
const MAX_PANELS: usize = 200;
/// Below this `AHT/patience` ratio the queue is treated in the infinite-patience limit.
const R_MIN: f64 = 1e-100;
/// Above this `AHT/patience` ratio the queue is treated in the zero-patience (loss) limit.
const R_MAX: f64 = 1e100;

/// Erlang A metrics, times in AHTs.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ErlangAUnits {
    /// Probability that an arrival finds every server busy.
    pub p_wait: f64,
    /// Probability that an arrival abandons.
    pub p_abandon: f64,
    /// Answered within `t`, over all arrivals.
    pub sl_all: f64,
    /// Answered within `t`, over answered contacts.
    pub sl_answered: f64,
    /// Virtual waiting time `≤ t`.
    pub sl_virtual: f64,
    /// Mean time in queue over all arrivals (abandoners count until they abandon).
    pub asa: f64,
    /// Carried traffic per server.
    pub occupancy: f64,
}

impl ErlangAUnits {
    fn nan() -> Self {
        ErlangAUnits {
            p_wait: f64::NAN,
            p_abandon: f64::NAN,
            sl_all: f64::NAN,
            sl_answered: f64::NAN,
            sl_virtual: f64::NAN,
            asa: f64::NAN,
            occupancy: f64::NAN,
        }
    }

    /// Set the service levels for an answer time that is `NaN` or negative.
    fn with_answer_time(mut self, t: f64) -> Self {
        if t.is_nan() {
            self.sl_all = f64::NAN;
            self.sl_answered = f64::NAN;
            self.sl_virtual = f64::NAN;
        } else if t < 0.0 {
            self.sl_all = 0.0;
            self.sl_answered = 0.0;
            self.sl_virtual = 0.0;
        }
        self
    }
}

/// Clamp a probability into `[0, 1]` against rounding, keeping `NaN`.
fn clamp01(x: f64) -> f64 {
    x.clamp(0.0, 1.0)
}

/// Erlang A with `servers ≥ 1`, finite positive `traffic`, abandonment rate `r ≥ 0` (may be
/// infinite) and answer time `t` (any value), all in AHT units.
pub(crate) fn erlang_a_units(traffic: f64, servers: u64, r: f64, t: f64) -> ErlangAUnits {
    if !(traffic.is_finite() && traffic > 0.0) || servers == 0 || r.is_nan() || r < 0.0 {
        return ErlangAUnits::nan();
    }
    let t_eff = if t.is_nan() || t < 0.0 { 0.0 } else { t };
    let out = if r > R_MAX {
        loss_limit(traffic, servers, t_eff)
    } else if r < R_MIN {
        patient_limit(traffic, servers, r, t_eff)
    } else {
        let b = blocking(traffic, servers);
        if b.is_nan() {
            ErlangAUnits::nan()
        } else if b == 0.0 {
            // P(wait) < 2e-308: nobody waits.
            ErlangAUnits {
                p_wait: 0.0,
                p_abandon: 0.0,
                sl_all: 1.0,
                sl_answered: 1.0,
                sl_virtual: 1.0,
                asa: 0.0,
                occupancy: traffic / servers as f64,
            }
        } else {
            general(traffic, servers, r, t_eff, b)
        }
    };
    out.with_answer_time(t)
}

/// Zero patience: Erlang B loss system; a blocked arrival "waits" zero time and leaves.
fn loss_limit(traffic: f64, servers: u64, t: f64) -> ErlangAUnits {
    let b = blocking(traffic, servers);
    let s = servers as f64;
    ErlangAUnits {
        p_wait: b,
        p_abandon: b,
        sl_all: 1.0 - b,
        sl_answered: 1.0,
        // With nobody ahead, a blocked arrival would reach an agent after Exp(s).
        sl_virtual: 1.0 - b * (-s * t).exp(),
        asa: 0.0,
        occupancy: traffic * (1.0 - b) / s,
    }
}

/// Patience beyond `1e100` AHTs: Erlang C, with abandonment to first order in `r` when stable
/// and the fluid limit when overloaded.
fn patient_limit(traffic: f64, servers: u64, r: f64, t: f64) -> ErlangAUnits {
    let s = servers as f64;
    if s > traffic {
        let c = erlang_c_metrics(traffic, servers, t);
        let p_abandon = r * c.asa;
        ErlangAUnits {
            p_wait: c.p_wait,
            p_abandon,
            sl_all: c.service_level,
            sl_answered: c.service_level,
            sl_virtual: c.service_level,
            asa: c.asa,
            occupancy: c.occupancy * (1.0 - p_abandon),
        }
    } else {
        let answered = s / traffic;
        let p_abandon = 1.0 - answered;
        let within = if t == f64::INFINITY { answered } else { 0.0 };
        ErlangAUnits {
            p_wait: 1.0,
            p_abandon,
            sl_all: within,
            sl_answered: within / answered,
            sl_virtual: if t == f64::INFINITY { 1.0 } else { 0.0 },
            // At exactly critical load the wait grows without bound as r → 0 too.
            asa: if p_abandon > 0.0 {
                p_abandon / r
            } else {
                f64::INFINITY
            },
            occupancy: 1.0,
        }
    }
}

/// `h(v) = (e^{−v} − 1 + v) / v`, `h(0) = 0`; increasing, `h(v) → 1` as `v → ∞`.
fn h(v: f64) -> f64 {
    if v.abs() < 0.5 {
        // Σ_{k≥2} (−1)^k v^{k−1} / k!, Horner form, terms up to k = 18 (< 1e−21 relative).
        let mut acc = 0.0;
        let mut k = 18.0_f64;
        let mut inv_fact = 1.0 / 6_402_373_705_728_000.0; // 1/18!
        while k >= 2.0 {
            acc = inv_fact - v * acc;
            inv_fact *= k;
            k -= 1.0;
        }
        v * acc
    } else {
        1.0 + (-v).exp_m1() / v
    }
}

/// The integrand, relative to its peak, as a function of the offset `u` from the peak.
struct Integrand {
    servers: f64,
    traffic: f64,
    r: f64,
    /// Location of the peak (`τ*`); 0 when `traffic ≤ servers`.
    tau_star: f64,
    interior: bool,
}

impl Integrand {
    /// `ψ(u) = φ(τ* + u) − φ(τ*)`.
    fn psi(&self, u: f64) -> f64 {
        let hv = h(self.r * u);
        if self.interior {
            -self.servers * u * hv
        } else {
            -(self.servers - self.traffic) * u - self.traffic * u * hv
        }
    }

    /// `e^ψ` times the weights `1`, `e^{−rτ}` and `1 − e^{−rτ}`.
    fn eval(&self, u: f64) -> [f64; 3] {
        let (psi, em) = if self.interior {
            (self.psi(u), (-self.r * (self.tau_star + u)).exp_m1())
        } else {
            // Peak at 0, so τ = u and one e^{−rτ} − 1 serves both ψ and the weights.
            let v = self.r * u;
            let em = (-v).exp_m1();
            let hv = if v.abs() < 0.5 { h(v) } else { 1.0 + em / v };
            (
                -(self.servers - self.traffic) * u - self.traffic * u * hv,
                em,
            )
        };
        let e = psi.exp();
        [e, e * (1.0 + em), -e * em]
    }

    /// Distance `d ≤ limit` from the peak, in direction `dir`, at which `ψ ≤ −CUT`.
    fn reach(&self, dir: f64, h0: f64, limit: f64) -> f64 {
        let mut inner = 0.0;
        let mut outer = h0;
        let mut found = false;
        for _ in 0..2200 {
            if outer >= limit {
                return limit;
            }
            if self.psi(dir * outer) <= -CUT {
                found = true;
                break;
            }
            inner = outer;
            outer *= 2.0;
        }
        if !found {
            return limit.min(outer);
        }
        for _ in 0..10 {
            let mid = 0.5 * (inner + outer);
            if self.psi(dir * mid) <= -CUT {
                outer = mid;
            } else {
                inner = mid;
            }
        }
        outer
    }
}

/// 15-point Kronrod nodes (positive half, last is 0) and weights, with the embedded 7-point
/// Gauss weights (for the odd-indexed nodes), from QUADPACK `qk15`.
const XGK: [f64; 8] = [
    0.991_455_371_120_812_6,
    0.949_107_912_342_758_5,
    0.864_864_423_359_769_1,
    0.741_531_185_599_394_4,
    0.586_087_235_467_691_1,
    0.405_845_151_377_397_2,
    0.207_784_955_007_898_5,
    0.0,
];
const WGK: [f64; 8] = [
    0.022_935_322_010_529_22,
    0.063_092_092_629_978_55,
    0.104_790_010_322_250_18,
    0.140_653_259_715_525_92,
    0.169_004_726_639_267_9,
    0.190_350_578_064_785_4,
    0.204_432_940_075_298_9,
    0.209_482_141_084_727_83,
];
const WG: [f64; 4] = [
    0.129_484_966_168_869_7,
    0.279_705_391_489_276_7,
    0.381_830_050_505_118_9,
    0.417_959_183_673_469_4,
];

#[derive(Debug, Clone, Copy, Default)]
struct Panel {
    lo: f64,
    hi: f64,
    /// 0: `τ ≤ t`; 1: `τ > t`.
    part: usize,
    est: [f64; 3],
    err: [f64; 3],
}

fn gk15(f: &Integrand, lo: f64, hi: f64, part: usize) -> Panel {
    let half = 0.5 * (hi - lo);
    let mid = 0.5 * (hi + lo);
    let centre = f.eval(mid);
    let mut kron = centre.map(|v| WGK[7] * v);
    let mut gauss = centre.map(|v| WG[3] * v);
    for (j, (&x, &weight)) in XGK.iter().zip(&WGK).take(7).enumerate() {
        let dx = half * x;
        let (left, right) = (f.eval(mid - dx), f.eval(mid + dx));
        for (i, (l, r)) in left.into_iter().zip(right).enumerate() {
            kron[i] += weight * (l + r);
            if j % 2 == 1 {
                gauss[i] += WG[j / 2] * (l + r);
            }
        }
    }
    // |K15 − G7| is really the error of the 7-point Gauss rule: a large overestimate of the
    // error of K15 on these smooth integrands, which keeps the tolerance honest.
    let mut panel = Panel {
        lo,
        hi,
        part,
        est: kron.map(|k| k * half),
        err: [0.0; 3],
    };
    for (err, (k, g)) in panel.err.iter_mut().zip(kron.into_iter().zip(gauss)) {
        *err = ((k - g) * half).abs();
    }
    // A panel too narrow to split any further is as good as it gets.
    if hi - lo <= 8.0 * f64::EPSILON * lo.abs().max(hi.abs()) {
        panel.err = [0.0; 3];
    }
    panel
}

/// Integrals of the three weighted integrands over the pieces `τ ≤ t` (`[0]`) and `τ > t`
/// (`[1]`), each `[1, e^{−rτ}, 1 − e^{−rτ}]`, relative to the peak value.
fn integrate(f: &Integrand, lo: f64, hi: f64, split: f64) -> [[f64; 3]; 2] {
    let mut panels: Vec<Panel> = Vec::with_capacity(32);
    let add_piece = |a: f64, b: f64, part: usize, panels: &mut Vec<Panel>| {
        if b > a {
            if a < 0.0 && b > 0.0 {
                panels.push(gk15(f, a, 0.0, part));
                panels.push(gk15(f, 0.0, b, part));
            } else {
                panels.push(gk15(f, a, b, part));
            }
        }
    };
    if split > lo {
        add_piece(lo, split.min(hi), 0, &mut panels);
    }
    if split < hi {
        add_piece(split.max(lo), hi, 1, &mut panels);
    }
    loop {
        let mut tot = [0.0; 3];
        let mut err = [0.0; 3];
        for p in &panels {
            for i in 0..3 {
                tot[i] += p.est[i];
                err[i] += p.err[i];
            }
        }
        let scale = [tot[0], tot[0], tot[2]];
        let done = (0..3).all(|i| err[i] <= TOL * scale[i]);
        if done || panels.len() + 1 >= MAX_PANELS {
            break;
        }
        // Split the panel with the largest share of the relative error.
        let badness = |p: &Panel| {
            (0..3)
                .map(|i| {
                    if scale[i] > 0.0 {
                        p.err[i] / scale[i]
                    } else {
                        0.0
                    }
                })
                .fold(0.0, f64::max)
        };
        let mut worst = 0;
        let mut worst_bad = -1.0;
        for (k, p) in panels.iter().enumerate() {
            let bad = badness(p);
            if bad > worst_bad {
                worst_bad = bad;
                worst = k;
            }
        }
        if worst_bad <= 0.0 {
            break;
        }
        let old = panels[worst];
        let mid = 0.5 * (old.lo + old.hi);
        panels[worst] = gk15(f, old.lo, mid, old.part);
        panels.push(gk15(f, mid, old.hi, old.part));
    }
    let mut out = [[0.0; 3]; 2];
    for p in &panels {
        for (sum, est) in out[p.part].iter_mut().zip(p.est) {
            *sum += est;
        }
    }
    out
}

/// The general case: `R_MIN ≤ r ≤ R_MAX`, `0 < B ≤ 1`, `t ≥ 0` (may be infinite).
fn general(traffic: f64, servers: u64, r: f64, t: f64, b: f64) -> ErlangAUnits {
    let s = servers as f64;
    let interior = traffic > s;
    let (tau_star, log_peak) = if interior {
        let y = ((traffic - s) / s).ln_1p();
        let tau_star = y / r;
        (tau_star, -s * tau_star * h(-y))
    } else {
        (0.0, 0.0)
    };
    let f = Integrand {
        servers: s,
        traffic,
        r,
        tau_star,
        interior,
    };
    let (lo, hi) = if interior {
        let h0 = 1.0 / (s * r).sqrt();
        (
            -f.reach(-1.0, h0, tau_star),
            f.reach(1.0, h0, f64::INFINITY),
        )
    } else {
        let h0 = 1.0 / ((s - traffic) + (traffic * r).sqrt());
        (0.0, f.reach(1.0, h0, f64::INFINITY))
    };
    let split = t - tau_star;
    let [within, beyond] = integrate(&f, lo, hi, split);
    let total = |i: usize| within[i] + beyond[i];

    // Weight of the states below s relative to π_s, scaled by the peak: (1/B − 1)·e^{−φ*}.
    let below = ((-b).ln_1p() - b.ln() - log_peak).exp();
    let waiting = s * total(0);
    let d = below + waiting;
    let answered = (below + s * total(1)) / d;
    let p_abandon = s * total(2) / d;
    let sl_all = (below + s * within[1]) / d;
    ErlangAUnits {
        p_wait: clamp01(waiting / d),
        p_abandon: clamp01(p_abandon),
        sl_all: clamp01(sl_all),
        sl_answered: clamp01(sl_all / answered),
        sl_virtual: clamp01((below + s * within[0]) / d),
        asa: p_abandon / r,
        occupancy: clamp01(traffic * answered / s),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn h_series_matches_closed_form_at_the_seam() {
        for &v in &[-0.499_999_f64, -0.3, -1e-3, 1e-3, 0.3, 0.499_999] {
            let closed = (v + (-v).exp_m1()) / v;
            assert!((h(v) - closed).abs() < 1e-14, "{v}");
        }
        assert_eq!(h(0.0), 0.0);
        assert!((h(1e-8) - (0.5e-8 - 1e-16 / 6.0)).abs() < 1e-24);
        assert_eq!(h(f64::INFINITY), 1.0);
    }

    #[test]
    fn ea1_reference() {
        // 100 calls / 30 min, AHT 3 min, patience 5 min, 14 agents, t = 20 s.
        let m = erlang_a_units(10.0, 14, 0.6, 20.0 / 180.0);
        assert!((m.p_wait - 0.145_260_114_296_361).abs() < 1e-12);
        assert!((m.p_abandon - 0.013_983_744_122_408_9).abs() < 1e-12);
        assert!((m.sl_all - 0.916_792_091_863_547).abs() < 1e-12);
    }

    #[test]
    fn integration_by_parts_identity() {
        // ∫φ'e^φ = −1 gives a·∫e^{φ−rτ} = s·∫e^φ − 1 (peak at 0, so no scaling): a check of
        // the window and the quadrature with two different integrands.
        for &(a, s, r) in &[(10.0, 14.0, 0.6), (13.9, 14.0, 1e-6), (40.0, 50.0, 30.0)] {
            let f = Integrand {
                servers: s,
                traffic: a,
                r,
                tau_star: 0.0,
                interior: false,
            };
            let h0 = 1.0 / ((s - a) + (a * r).sqrt());
            let hi = f.reach(1.0, h0, f64::INFINITY);
            let [p, q] = integrate(&f, 0.0, hi, 0.05);
            let (tot0, tot1) = (p[0] + q[0], p[1] + q[1]);
            let lhs = a * tot1;
            let rhs = s * tot0 - 1.0;
            assert!(
                (lhs - rhs).abs() < 1e-12 * rhs.abs().max(1.0),
                "{a} {s} {r}: {lhs} {rhs}"
            );
        }
    }
}
