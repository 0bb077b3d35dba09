//! Erlang B and Erlang C on `s` servers (a `u64`, so that agents × concurrency cannot overflow).
//!
//! Everything here works in units of the handle time: traffic `a` in Erlangs, times as multiples
//! of the AHT.

use super::MAX_TRAFFIC_ERLANGS;

/// Natural-log contraction the warm-started recursion must achieve before it reaches the
/// requested number of servers (`e^-40 ≈ 4e-18` of the starting error survives).
const CONTRACTION_NATS: f64 = 40.0;

/// Below this many servers the recursion always starts at `B_0 = 1`.
const COLD_START_SERVERS: u64 = 64;

/// Erlang B blocking probability of `servers` servers offered `traffic` Erlangs.
///
/// Special values: `NaN` or negative traffic, or finite traffic above [`MAX_TRAFFIC_ERLANGS`],
/// give `NaN`; zero servers give 1; zero traffic gives 0 (with at least one server); infinite
/// traffic gives 1. Results below `f64::MIN_POSITIVE` are returned as 0.
///
/// # Method
///
/// The recursion `B_n = a·B_{n-1} / (n + a·B_{n-1})`. It contracts errors: in log space one
/// step multiplies a perturbation of `B_{n-1}` by `n / (n + a·B_{n-1}) < 1`, and while
/// `n ≤ a` (where `a·B_{n-1} ≥ a − n + 1` because carried traffic never exceeds the servers) by
/// at most `n / a`. So instead of starting at `B_0 = 1`, a long recursion starts at
/// `n₀ = m − L` (`m = min(servers, ⌊a⌋)`) from the fluid value `1 − n₀/a` (a lower bound of the
/// true value, within a few per cent of it), with `L` chosen so that the product of the factors
/// `n/a` over the `L` steps is below `e^-40`: the starting error is forgotten long before
/// `servers`. That costs `O(min(servers, √a))` steps instead of `O(servers)`; above `a` the
/// recursion stops as soon as the value underflows (about `39·√a` steps past `a` at most).
pub(crate) fn blocking(traffic: f64, servers: u64) -> f64 {
    if traffic.is_nan() || traffic < 0.0 {
        return f64::NAN;
    }
    if servers == 0 {
        return 1.0;
    }
    if traffic == 0.0 {
        return 0.0;
    }
    if traffic == f64::INFINITY {
        return 1.0;
    }
    if traffic > MAX_TRAFFIC_ERLANGS {
        return f64::NAN;
    }
    let (mut n, mut b) = warm_start(traffic, servers);
    while n < servers {
        n += 1;
        // n ≤ servers ≤ u64::MAX; as f64 it is exact below 2^53, and far beyond the point where
        // b underflows (the loop ends there), so the rounding never matters.
        let ab = traffic * b;
        b = ab / (n as f64 + ab);
        if b < f64::MIN_POSITIVE {
            return 0.0;
        }
    }
    b
}

/// Where the B recursion starts for `servers` servers: `(n₀, B_{n₀})`, exact or fluid.
fn warm_start(traffic: f64, servers: u64) -> (u64, f64) {
    if servers <= COLD_START_SERVERS || traffic < COLD_START_SERVERS as f64 {
        return (0, 1.0);
    }
    // m = min(servers, ⌊traffic⌋); traffic ≤ MAX_TRAFFIC_ERLANGS so the cast is exact.
    let m = servers.min(traffic.floor() as u64);
    let mf = m as f64;
    // Steps n = m−L+1 ..= m each contract by at most n/a ≤ exp(−(a−n)/a), so L steps contract by
    // exp(−(L(a−m) + L(L−1)/2)/a). Either term alone reaching 40 nats is enough.
    let by_gap = if traffic > mf {
        (CONTRACTION_NATS * traffic / (traffic - mf)).ceil()
    } else {
        f64::INFINITY
    };
    let by_square = (2.0 * CONTRACTION_NATS * traffic).sqrt().ceil() + 1.0;
    let steps = by_gap.min(by_square);
    if steps >= mf {
        return (0, 1.0);
    }
    // 0 < steps < m, so the cast is exact and n0 ≥ 1.
    let n0 = m - steps as u64;
    (n0, 1.0 - n0 as f64 / traffic)
}

/// Erlang C quantities of `servers` servers and `traffic` Erlangs, times in units of the AHT.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct ClassicC {
    /// Probability of waiting.
    pub p_wait: f64,
    /// `P(wait ≤ t)`.
    pub service_level: f64,
    /// Mean wait over all contacts, in AHTs.
    pub asa: f64,
    /// `traffic / servers` (1 when unstable).
    pub occupancy: f64,
}

impl ClassicC {
    /// The unstable (or unstaffed) queue: everybody waits forever.
    pub(crate) const UNSTABLE: ClassicC = ClassicC {
        p_wait: 1.0,
        service_level: 0.0,
        asa: f64::INFINITY,
        occupancy: 1.0,
    };
    /// `NaN` everywhere: input outside the supported domain.
    pub(crate) const NAN: ClassicC = ClassicC {
        p_wait: f64::NAN,
        service_level: f64::NAN,
        asa: f64::NAN,
        occupancy: f64::NAN,
    };
}

/// Erlang C from a known Erlang B value `b = B(servers, traffic)`; requires
/// `servers > traffic > 0`, finite traffic, `t ≥ 0` or `NaN` (`t` in AHTs, may be infinite).
pub(crate) fn erlang_c_from_b(traffic: f64, servers: u64, b: f64, t: f64) -> ClassicC {
    if b.is_nan() {
        return ClassicC::NAN;
    }
    let s = servers as f64;
    let gap = s - traffic;
    // C = s·B / (s − a(1−B)) = s·B / ((s − a) + a·B): both terms of the denominator positive.
    let c = s * b / (gap + traffic * b);
    ClassicC {
        p_wait: c,
        service_level: service_level_from_c(c, gap, t),
        asa: c / gap,
        occupancy: traffic / s,
    }
}

/// `P(W ≤ t) = 1 − C·exp(−(s − a)·t)`, with `t < 0` giving 0.
pub(crate) fn service_level_from_c(c: f64, gap: f64, t: f64) -> f64 {
    if t.is_nan() {
        return f64::NAN;
    }
    if t < 0.0 {
        return 0.0;
    }
    // (−gap·t).exp() is 0 for t = ∞ (gap > 0), never NaN.
    1.0 - c * (-gap * t).exp()
}

/// Erlang C of `servers` servers offered `traffic` Erlangs, `t` in AHTs.
///
/// Traffic must be finite and positive; returns the unstable values when
/// `servers ≤ traffic` and `NaN` values when the traffic exceeds [`MAX_TRAFFIC_ERLANGS`].
pub(crate) fn erlang_c_metrics(traffic: f64, servers: u64, t: f64) -> ClassicC {
    if servers as f64 <= traffic {
        let mut unstable = ClassicC::UNSTABLE;
        if t.is_nan() {
            unstable.service_level = f64::NAN;
        }
        return unstable;
    }
    erlang_c_from_b(traffic, servers, blocking(traffic, servers), t)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Plain recursion from `B_0 = 1`, the definition.
    fn cold(traffic: f64, servers: u64) -> f64 {
        let mut b = 1.0;
        for n in 1..=servers {
            b = traffic * b / (n as f64 + traffic * b);
        }
        b
    }

    #[test]
    fn warm_start_agrees_with_cold_recursion() {
        for &a in &[64.5_f64, 100.0, 999.9, 1000.0, 5000.3, 20000.0] {
            for &ratio in &[0.3_f64, 0.8, 0.95, 0.99, 1.0, 1.01, 1.05, 1.2] {
                let s = (a * ratio).round() as u64;
                let (warm, exact) = (blocking(a, s), cold(a, s));
                assert!(
                    (warm - exact).abs() <= 1e-13 * exact.max(1e-300),
                    "a={a} s={s}: {warm} vs {exact}"
                );
            }
        }
    }

    #[test]
    fn special_values() {
        assert_eq!(blocking(5.0, 0), 1.0);
        assert_eq!(blocking(0.0, 3), 0.0);
        assert_eq!(blocking(f64::INFINITY, 3), 1.0);
        assert!(blocking(f64::NAN, 3).is_nan());
        assert!(blocking(-1.0, 3).is_nan());
        assert!(blocking(2e9, 3).is_nan());
        assert_eq!(blocking(1.0, u64::MAX), 0.0);
        assert_eq!(blocking(1e9, u64::MAX), 0.0);
    }
}
