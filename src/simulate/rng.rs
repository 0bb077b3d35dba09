//! A small, seedable, splittable random number generator for simulation and Monte Carlo.
//!
//! - Generator: xoshiro256++ (Blackman & Vigna), 256 bits of state, period 2^256 − 1.
//! - Seeding: SplitMix64 expands a 64-bit key into the state, as the authors recommend.
//! - Streams: [`Rng::stream`] derives an independent generator from a seed and a path of
//!   counters (e.g. `[run]` or `[replication, queue]`) by hashing them with the SplitMix64
//!   finaliser. A run's numbers depend only on `(seed, path)`, never on which thread ran it or
//!   in which order, which is what makes parallel Monte Carlo byte-identical at any thread count.
//!
//! Kept in-crate (about 100 lines) rather than as a dependency so that the streams, and so every
//! seeded output, stay the same across dependency upgrades.

/// The SplitMix64 step: advances `state` and returns the next output.
pub fn splitmix64(state: &mut u64) -> u64 {
    *state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
    mix64(*state)
}

/// The SplitMix64 finaliser: a bijective 64-bit mixing function.
fn mix64(mut z: u64) -> u64 {
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// xoshiro256++ generator.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rng {
    state: [u64; 4],
}

impl Rng {
    /// A generator seeded from one 64-bit key (expanded with SplitMix64).
    pub fn seeded(seed: u64) -> Rng {
        let mut sm = seed;
        let mut state = [0u64; 4];
        for word in &mut state {
            *word = splitmix64(&mut sm);
        }
        // All-zero state is the one fixed point; SplitMix64 cannot produce four zeros in a row,
        // but keep the guard explicit.
        if state == [0; 4] {
            state[0] = 1;
        }
        Rng { state }
    }

    /// A generator with the raw state (for reference test vectors).
    pub fn from_state(state: [u64; 4]) -> Rng {
        Rng { state }
    }

    /// An independent generator for the stream `path` of `seed` (e.g. `[run]`).
    pub fn stream(seed: u64, path: &[u64]) -> Rng {
        let mut key = mix64(seed ^ 0x005E_ED0F_57A1_F1A4);
        for &counter in path {
            key = mix64(key ^ mix64(counter.wrapping_add(0x9E37_79B9_7F4A_7C15)));
        }
        Rng::seeded(key)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        let s = &mut self.state;
        let result = s[0].wrapping_add(s[3]).rotate_left(23).wrapping_add(s[0]);
        let t = s[1] << 17;
        s[2] ^= s[0];
        s[3] ^= s[1];
        s[1] ^= s[2];
        s[0] ^= s[3];
        s[2] ^= t;
        s[3] = s[3].rotate_left(45);
        result
    }

    /// Uniform in `[0, 1)` with 53 random bits.
    pub fn uniform(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// Uniform in `(0, 1]` (safe to take the logarithm of).
    pub fn uniform_open(&mut self) -> f64 {
        ((self.next_u64() >> 11) + 1) as f64 * (1.0 / (1u64 << 53) as f64)
    }

    /// True with probability `p`.
    pub fn bernoulli(&mut self, p: f64) -> bool {
        self.uniform() < p
    }

    /// Exponential with the given mean.
    pub fn exponential(&mut self, mean: f64) -> f64 {
        -mean * self.uniform_open().ln()
    }

    /// Standard normal by the Box–Muller transform (one draw per call, no cached pair, so that
    /// the stream position does not depend on call parity).
    pub fn standard_normal(&mut self) -> f64 {
        let u1 = self.uniform_open();
        let u2 = self.uniform();
        (-2.0 * u1.ln()).sqrt() * (std::f64::consts::TAU * u2).cos()
    }

    /// Lognormal with the given mean and coefficient of variation (standard deviation / mean).
    pub fn lognormal(&mut self, mean: f64, cv: f64) -> f64 {
        let sigma2 = (1.0 + cv * cv).ln();
        let mu = mean.ln() - sigma2 / 2.0;
        (mu + sigma2.sqrt() * self.standard_normal()).exp()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn splitmix64_reference_vector() {
        // First outputs for seed 0 from the reference implementation (Vigna, splitmix64.c).
        let mut state = 0u64;
        assert_eq!(splitmix64(&mut state), 0xE220_A839_7B1D_CDAF);
        assert_eq!(splitmix64(&mut state), 0x6E78_9E6A_A1B9_65F4);
    }

    #[test]
    fn xoshiro256plusplus_first_output_matches_formula() {
        // rotl(s0 + s3, 23) + s0 with state [1, 2, 3, 4] = rotl(5, 23) + 1.
        let mut rng = Rng::from_state([1, 2, 3, 4]);
        assert_eq!(rng.next_u64(), (5u64 << 23) + 1);
    }

    #[test]
    fn streams_are_reproducible_and_distinct() {
        let a: Vec<u64> = (0..4).map(|_| Rng::stream(7, &[3]).next_u64()).collect();
        assert!(a.windows(2).all(|w| w[0] == w[1]));
        let mut x = Rng::stream(7, &[3]);
        let mut y = Rng::stream(7, &[4]);
        let mut z = Rng::stream(8, &[3]);
        let (x, y, z) = (x.next_u64(), y.next_u64(), z.next_u64());
        assert!(x != y && x != z && y != z);
    }

    #[test]
    fn moments_of_the_distributions() {
        let mut rng = Rng::seeded(1);
        let n = 200_000;
        let mean = |v: &[f64]| v.iter().sum::<f64>() / v.len() as f64;
        let u: Vec<f64> = (0..n).map(|_| rng.uniform()).collect();
        assert!((mean(&u) - 0.5).abs() < 0.005);
        let e: Vec<f64> = (0..n).map(|_| rng.exponential(3.0)).collect();
        assert!((mean(&e) - 3.0).abs() < 0.05);
        let z: Vec<f64> = (0..n).map(|_| rng.standard_normal()).collect();
        let m = mean(&z);
        let var = z.iter().map(|x| (x - m).powi(2)).sum::<f64>() / n as f64;
        assert!(m.abs() < 0.01 && (var - 1.0).abs() < 0.02, "{m} {var}");
        let l: Vec<f64> = (0..n).map(|_| rng.lognormal(180.0, 0.5)).collect();
        let lm = mean(&l);
        let lsd = (l.iter().map(|x| (x - lm).powi(2)).sum::<f64>() / n as f64).sqrt();
        assert!(
            (lm - 180.0).abs() < 1.5 && (lsd / lm - 0.5).abs() < 0.02,
            "{lm} {lsd}"
        );
    }
}
