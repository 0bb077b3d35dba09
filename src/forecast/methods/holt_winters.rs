//! Double-seasonal Holt-Winters (Taylor 2003, J. Oper. Res. Soc. 54:799–805; Taylor 2008,
//! Management Science 54:253–265), additive form with an AR(1) adjustment of the one-step
//! error:
//!
//! ```text
//! level   L_t = α (y_t − D_{t−s1} − W_{t−s2}) + (1 − α)(L_{t−1} + T_{t−1})
//! trend   T_t = γ (L_t − L_{t−1}) + (1 − γ) T_{t−1}
//! daily   D_t = δ (y_t − L_t − W_{t−s2}) + (1 − δ) D_{t−s1}
//! weekly  W_t = ω (y_t − L_t − D_{t−s1}) + (1 − ω) W_{t−s2}
//! ŷ_t(k)  = L_t + k T_t + D_{t−s1+k} + W_{t−s2+k} + φ^k e_t
//! ```
//!
//! The additive form is used because contact-center series have zero intervals, on which the
//! multiplicative form divides by zero. The series runs over the *active* slots of the day
//! (those that ever have volume, e.g. 07:00–21:05 for the bank data; the others forecast 0) of
//! the dates of *open weekdays* only, so s1 = active slots and s2 = open weekdays × s1 (a 5-day
//! week for a weekday-only center). A missing day (holiday, gap) is stepped through without
//! updating: the state is carried forward as its own forecast, which keeps the weekly cycle
//! aligned instead of reading the gap as zeros.
//!
//! **Initialisation**: over `init_weeks` weeks (8), the trend is the difference of the means
//! of their first and last halves, the weekly indices are the same-weekday averages of the
//! detrended values, the level their mean carried to the end of the period, the daily indices
//! 0; the recursion then runs over the following weeks.
//!
//! **Fitting** minimises the in-sample one-step squared error by coordinate descent over a
//! fixed grid per parameter (passes of 1-D searches until nothing changes, at most 3), on the
//! last `fit_weeks` weeks only (8, initialised from the 8 before them); the forecast state is
//! run over the last `window_weeks` (20). The short fit window keeps a fit at a few
//! milliseconds on a year of 15-minute history.

use chrono::{Datelike, NaiveDate};

use super::{ForecastMethod, MethodKind, active_slots};
use crate::forecast::history::QueueHistory;

/// Smoothing parameters.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct HoltWintersParameters {
    /// α, level.
    pub level: f64,
    /// γ, trend.
    pub trend: f64,
    /// δ, daily seasonal index.
    pub daily: f64,
    /// ω, weekly seasonal index.
    pub weekly: f64,
    /// φ, AR(1) coefficient of the one-step error.
    pub ar: f64,
    /// Whether the trend starts from the initial weeks' slope (else from 0).
    pub initial_trend: bool,
}

impl Default for HoltWintersParameters {
    fn default() -> Self {
        HoltWintersParameters {
            level: 0.05,
            trend: 0.0,
            daily: 0.1,
            weekly: 0.1,
            ar: 0.5,
            initial_trend: true,
        }
    }
}

const LEVEL_GRID: [f64; 9] = [0.0, 0.005, 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
const TREND_GRID: [f64; 5] = [0.0, 0.001, 0.005, 0.02, 0.1];
const SEASON_GRID: [f64; 9] = [0.0, 0.01, 0.03, 0.06, 0.1, 0.15, 0.2, 0.3, 0.5];
const AR_GRID: [f64; 6] = [0.0, 0.2, 0.4, 0.6, 0.8, 0.9];
/// Coordinate-descent passes over the five parameters.
const PASSES: usize = 3;

/// Double-seasonal Holt-Winters: the state is initialised from the averages of `init_weeks`
/// weeks and run over the following `window_weeks` weeks up to the origin; the parameters are
/// fitted on the last `fit_weeks` weeks only (initialised from the `init_weeks` before them).
#[derive(Debug, Clone)]
pub struct HoltWinters {
    /// Weeks the recursion runs over before the origin.
    pub window_weeks: usize,
    /// Weeks before the window whose same-weekday averages initialise the state.
    pub init_weeks: usize,
    /// Weeks whose one-step errors the fit minimises.
    pub fit_weeks: usize,
    /// Fitted (or given) parameters; `None` until [`ForecastMethod::fit`].
    pub parameters: Option<HoltWintersParameters>,
}

impl Default for HoltWinters {
    fn default() -> Self {
        HoltWinters {
            window_weeks: 20,
            init_weeks: 8,
            fit_weeks: 8,
            parameters: None,
        }
    }
}

/// The history window as a flat series of open-weekday days × active slots.
struct Series {
    /// Active slot numbers.
    active: Vec<usize>,
    /// Position of each open weekday in the week (Monday-based weekday → ordinal).
    ordinal: [usize; 7],
    /// Open weekdays.
    open_count: usize,
    /// Per series day: weekday ordinal and whether observed.
    days: Vec<(usize, bool)>,
    /// Values, `days.len() × active.len()` (0 for missing days).
    values: Vec<f64>,
    /// Series days whose averages initialise the state (the recursion starts after them).
    init_days: usize,
}

impl Series {
    fn new(history: &QueueHistory, end: usize, window_weeks: usize, init_weeks: usize) -> Series {
        let end = end.min(history.len());
        let start = end.saturating_sub((window_weeks + init_weeks) * 7);
        let active = active_slots(history, start, end);
        let mut ordinal = [usize::MAX; 7];
        let mut open_count = 0;
        for (w, slot) in ordinal.iter_mut().enumerate() {
            if history.is_open(crate::forecast::history::weekday_from_index(w)) {
                *slot = open_count;
                open_count += 1;
            }
        }
        let mut days = Vec::new();
        let mut values = Vec::new();
        for index in start..end {
            let weekday = history.date(index).weekday().num_days_from_monday() as usize;
            if ordinal[weekday] == usize::MAX {
                continue;
            }
            match history.day(index) {
                Some(day) => {
                    days.push((ordinal[weekday], true));
                    values.extend(active.iter().map(|&s| day.volume[s]));
                }
                None => {
                    days.push((ordinal[weekday], false));
                    values.extend(std::iter::repeat_n(0.0, active.len()));
                }
            }
        }
        Series {
            active,
            ordinal,
            open_count: open_count.max(1),
            // With a short history: the first half initialises, the second half is run.
            init_days: (init_weeks.max(1) * open_count).min(days.len() / 2),
            days,
            values,
        }
    }
}

/// State after running through the series.
#[derive(Debug, Clone)]
struct State {
    level: f64,
    trend: f64,
    daily: Vec<f64>,
    /// `open_count × active`.
    weekly: Vec<f64>,
    error: f64,
}

fn initial_state(series: &Series, with_trend: bool) -> State {
    let a = series.active.len();
    let init = series.init_days;
    let day_mean = |d: usize| series.values[d * a..(d + 1) * a].iter().sum::<f64>() / a as f64;
    // Trend from the first and last halves of the whole initial weeks.
    let weeks = init / series.open_count;
    let half = weeks / 2;
    let half_mean = |from: usize| {
        let days = (from..from + half * series.open_count).filter(|&d| series.days[d].1);
        let (sum, count) = days.fold((0.0, 0usize), |(s, c), d| (s + day_mean(d), c + 1));
        (count > 0).then(|| sum / count as f64)
    };
    let trend = match (with_trend && half > 0)
        .then(|| (half_mean(0), half_mean((weeks - half) * series.open_count)))
    {
        Some((Some(first), Some(last))) => {
            (last - first) / ((weeks - half) * series.open_count * a) as f64
        }
        _ => 0.0,
    };
    // Same-weekday averages of the detrended values, centred on the initial period.
    let centre = (init * a) as f64 / 2.0;
    let mut sums = vec![0.0; series.open_count * a];
    let mut counts = vec![0usize; series.open_count];
    let mut slot_sum = vec![0.0; a];
    let mut observed = 0usize;
    for (d, &(ordinal, seen)) in series.days[..init].iter().enumerate() {
        if !seen {
            continue;
        }
        let row = &series.values[d * a..(d + 1) * a];
        for s in 0..a {
            let detrended = row[s] - trend * ((d * a + s) as f64 - centre);
            sums[ordinal * a + s] += detrended;
            slot_sum[s] += detrended;
        }
        counts[ordinal] += 1;
        observed += 1;
    }
    let mut weekly = vec![0.0; series.open_count * a];
    for w in 0..series.open_count {
        for s in 0..a {
            weekly[w * a + s] = if counts[w] > 0 {
                sums[w * a + s] / counts[w] as f64
            } else if observed > 0 {
                slot_sum[s] / observed as f64
            } else {
                0.0
            };
        }
    }
    let level = weekly.iter().sum::<f64>() / weekly.len().max(1) as f64;
    for value in &mut weekly {
        *value -= level;
    }
    State {
        // The level at the last initial step, where the recursion takes over.
        level: level + trend * ((init * a) as f64 - 1.0 - centre),
        trend,
        daily: vec![0.0; a],
        weekly,
        error: 0.0,
    }
}

/// Runs the recursion after the initial weeks; returns the one-step squared error.
fn run(series: &Series, p: &HoltWintersParameters, state: &mut State) -> f64 {
    let a = series.active.len();
    let mut sse = 0.0;
    for (d, &(ordinal, seen)) in series.days.iter().enumerate().skip(series.init_days) {
        let weekly = &mut state.weekly[ordinal * a..(ordinal + 1) * a];
        if !seen {
            // Carry the state forward as its own forecast.
            state.level += state.trend * a as f64;
            state.error = 0.0;
            continue;
        }
        let row = &series.values[d * a..(d + 1) * a];
        for s in 0..a {
            let y = row[s];
            let base = state.level + state.trend;
            let seasonal = state.daily[s] + weekly[s];
            let fitted = base + seasonal;
            let forecast = fitted + p.ar * state.error;
            sse += (y - forecast) * (y - forecast);
            let level = p.level * (y - seasonal) + (1.0 - p.level) * base;
            state.trend = p.trend * (level - state.level) + (1.0 - p.trend) * state.trend;
            let daily_old = state.daily[s];
            state.daily[s] = p.daily * (y - level - weekly[s]) + (1.0 - p.daily) * daily_old;
            weekly[s] = p.weekly * (y - level - daily_old) + (1.0 - p.weekly) * weekly[s];
            state.level = level;
            state.error = y - fitted;
        }
    }
    sse
}

fn score(series: &Series, p: &HoltWintersParameters) -> f64 {
    let mut state = initial_state(series, p.initial_trend);
    let sse = run(series, p, &mut state);
    if sse.is_finite() { sse } else { f64::MAX }
}

/// Coordinate descent over the parameter grids from the defaults.
fn fit_parameters(series: &Series) -> HoltWintersParameters {
    let mut best = HoltWintersParameters::default();
    let mut best_score = score(series, &best);
    for _ in 0..PASSES {
        let before = best;
        for parameter in 0..6 {
            let grid: &[f64] = match parameter {
                0 => &LEVEL_GRID,
                1 => &TREND_GRID,
                2 | 3 => &SEASON_GRID,
                4 => &AR_GRID,
                _ => &[0.0, 1.0],
            };
            for &value in grid {
                let mut candidate = best;
                match parameter {
                    0 => candidate.level = value,
                    1 => candidate.trend = value,
                    2 => candidate.daily = value,
                    3 => candidate.weekly = value,
                    4 => candidate.ar = value,
                    _ => candidate.initial_trend = value > 0.5,
                }
                if candidate == best {
                    continue;
                }
                let s = score(series, &candidate);
                if s < best_score {
                    best_score = s;
                    best = candidate;
                }
            }
        }
        if best == before {
            break;
        }
    }
    best
}

impl ForecastMethod for HoltWinters {
    fn kind(&self) -> MethodKind {
        MethodKind::HoltWinters
    }

    fn min_history_days(&self) -> usize {
        14
    }

    fn fit(&mut self, history: &QueueHistory, end: usize, _horizon_days: usize) {
        let series = Series::new(history, end, self.fit_weeks, self.init_weeks);
        self.parameters = Some(fit_parameters(&series));
    }

    fn forecast(&self, history: &QueueHistory, end: usize, targets: &[NaiveDate]) -> Vec<Vec<f64>> {
        let series = Series::new(history, end, self.window_weeks, self.init_weeks);
        let parameters = match self.parameters {
            Some(p) => p,
            None => fit_parameters(&Series::new(history, end, self.fit_weeks, self.init_weeks)),
        };
        let mut state = initial_state(&series, parameters.initial_trend);
        run(&series, &parameters, &mut state);
        let a = series.active.len();
        let slots = history.slots();
        let end_date = history.date(end.min(history.len()));
        targets
            .iter()
            .map(|&date| {
                let mut out = vec![0.0; slots];
                let weekday = date.weekday().num_days_from_monday() as usize;
                let ordinal = series.ordinal[weekday];
                if ordinal == usize::MAX {
                    return out;
                }
                // Open-weekday days between the origin and the target.
                let days_ahead = end_date
                    .iter_days()
                    .take_while(|d| *d < date)
                    .filter(|d| {
                        series.ordinal[d.weekday().num_days_from_monday() as usize] != usize::MAX
                    })
                    .count();
                for (k, &slot) in series.active.iter().enumerate() {
                    let steps = (days_ahead * a + k + 1) as f64;
                    let value = state.level
                        + steps * state.trend
                        + state.daily[k]
                        + state.weekly[ordinal * a + k]
                        + parameters.ar.powf(steps) * state.error;
                    out[slot] = value.max(0.0);
                }
                out
            })
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use chrono_tz::Tz;

    #[test]
    fn recovers_a_linear_trend_on_a_weekly_pattern() {
        // 10 weeks of hourly data: weekly shape plus 0.5 contacts more every day.
        let first = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
        let shape = |w: usize, s: usize| 20.0 + 10.0 * (w as f64) + (s as f64 - 12.0).abs();
        let days: Vec<Option<Vec<f64>>> = (0..70)
            .map(|d| Some((0..24).map(|s| shape(d % 7, s) + 0.5 * d as f64).collect()))
            .collect();
        let history = QueueHistory::from_days("q", Tz::UTC, 60, first, days);
        let mut method = HoltWinters::default();
        method.fit(&history, 70, 7);
        let targets: Vec<NaiveDate> = (70..77).map(|d| history.date(d)).collect();
        let forecast = method.forecast(&history, 70, &targets);
        for (i, day) in forecast.iter().enumerate() {
            let d = 70 + i;
            for (s, &v) in day.iter().enumerate() {
                let truth = shape(d % 7, s) + 0.5 * d as f64;
                assert!(
                    (v - truth).abs() < 0.05 * truth,
                    "day {d} slot {s}: {v} vs {truth}"
                );
            }
        }
    }
}
