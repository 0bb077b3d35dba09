//! Rolling-origin backtest and accuracy metrics.
//!
//! Each calendar day of the last `weeks` weeks of history is an origin: the method sees only
//! the days before it and forecasts the next `horizon_days` days (the plan's horizon), which
//! are compared with what happened. Missing days and closed weekdays are not scored. Methods
//! with parameters are fitted once, on the history before the first origin, then run forward
//! from every origin (no look-ahead, and one fit instead of one per origin).
//!
//! Metrics, over every scored interval of every origin:
//! - **WAPE** = Σ|forecast − actual| / Σ actual (the selection criterion: volume-weighted, so
//!   quiet intervals do not dominate);
//! - **MAPE** = mean of |forecast − actual| / actual over intervals with actual > 0;
//! - **bias** = Σ(forecast − actual) / Σ actual (positive = over-forecast);
//! - **RMSE** = √ mean (forecast − actual)².

use chrono::{Datelike, NaiveDate};

use super::history::QueueHistory;
use super::methods::MethodKind;

/// Running sums of forecast errors.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct AccuracyAccumulator {
    absolute_error: f64,
    error: f64,
    squared_error: f64,
    actual: f64,
    percentage_error: f64,
    nonzero: usize,
    points: usize,
}

impl AccuracyAccumulator {
    /// Adds one interval. An interval with neither forecast nor actual volume (closed) is not
    /// counted, so that night hours do not dilute the RMSE.
    pub fn add(&mut self, forecast: f64, actual: f64) {
        if forecast == 0.0 && actual == 0.0 {
            return;
        }
        let error = forecast - actual;
        self.absolute_error += error.abs();
        self.error += error;
        self.squared_error += error * error;
        self.actual += actual;
        if actual > 0.0 {
            self.percentage_error += error.abs() / actual;
            self.nonzero += 1;
        }
        self.points += 1;
    }

    /// Adds everything of `other`.
    pub fn merge(&mut self, other: &AccuracyAccumulator) {
        self.absolute_error += other.absolute_error;
        self.error += other.error;
        self.squared_error += other.squared_error;
        self.actual += other.actual;
        self.percentage_error += other.percentage_error;
        self.nonzero += other.nonzero;
        self.points += other.points;
    }

    /// The metrics (NaN where undefined: no volume, no non-zero interval).
    pub fn accuracy(&self) -> Accuracy {
        let ratio = |a: f64, b: f64| if b > 0.0 { a / b } else { f64::NAN };
        Accuracy {
            wape: ratio(self.absolute_error, self.actual),
            mape: ratio(self.percentage_error, self.nonzero as f64),
            bias: ratio(self.error, self.actual),
            rmse: ratio(self.squared_error, self.points as f64).sqrt(),
            points: self.points,
        }
    }
}

/// Forecast accuracy over a set of intervals (fractions, not percent).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Accuracy {
    /// Weighted absolute percentage error.
    pub wape: f64,
    /// Mean absolute percentage error over intervals with volume.
    pub mape: f64,
    /// Relative bias (positive = over-forecast).
    pub bias: f64,
    /// Root mean squared error, contacts per interval.
    pub rmse: f64,
    /// Intervals scored.
    pub points: usize,
}

/// Forecast errors of one method in a backtest, scaled for prediction intervals: per slot of
/// the day, `(actual − forecast) / √max(forecast, 1)` (call counts vary roughly like a
/// Poisson count, so the spread grows with the square root of the volume).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Residuals {
    by_slot: Vec<Vec<f64>>,
}

/// The scale of a forecast's error.
pub fn error_scale(forecast: f64) -> f64 {
    forecast.max(1.0).sqrt()
}

/// Fewest residuals a slot's quantiles are taken from; neighbouring slots are pooled in until
/// there are this many (fewer made the intervals narrower and cover less on the bank data).
const MIN_RESIDUALS: usize = 200;

impl Residuals {
    fn new(slots: usize) -> Self {
        Residuals {
            by_slot: vec![Vec::new(); slots],
        }
    }

    fn add(&mut self, slot: usize, forecast: f64, actual: f64) {
        self.by_slot[slot].push((actual - forecast) / error_scale(forecast));
    }

    /// Number of residuals.
    pub fn len(&self) -> usize {
        self.by_slot.iter().map(Vec::len).sum()
    }

    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The `low` and `high` quantiles of the scaled error per slot (pooling neighbouring slots
    /// when one has few), or `None` without residuals.
    pub fn quantiles(&self, low: f64, high: f64) -> Option<Vec<(f64, f64)>> {
        if self.len() < MIN_RESIDUALS {
            return None;
        }
        let slots = self.by_slot.len();
        Some(
            (0..slots)
                .map(|slot| {
                    let mut pool: Vec<f64> = self.by_slot[slot].clone();
                    let mut width = 1;
                    while pool.len() < MIN_RESIDUALS && width < slots {
                        if slot >= width {
                            pool.extend(&self.by_slot[slot - width]);
                        }
                        if slot + width < slots {
                            pool.extend(&self.by_slot[slot + width]);
                        }
                        width += 1;
                    }
                    pool.sort_by(f64::total_cmp);
                    (quantile(&pool, low), quantile(&pool, high))
                })
                .collect(),
        )
    }
}

/// Linear-interpolated quantile of sorted values.
pub fn quantile(sorted: &[f64], q: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let position = q.clamp(0.0, 1.0) * (sorted.len() - 1) as f64;
    let below = position.floor() as usize;
    let above = position.ceil() as usize;
    let fraction = position - below as f64;
    sorted[below] * (1.0 - fraction) + sorted[above] * fraction
}

/// One method's line of the backtest table.
#[derive(Debug, Clone, PartialEq)]
pub struct MethodScore {
    /// The method.
    pub method: MethodKind,
    /// Accuracy over all origins.
    pub accuracy: Accuracy,
    /// Scaled errors for prediction intervals.
    pub residuals: Residuals,
}

/// Result of a rolling-origin backtest.
#[derive(Debug, Clone, PartialEq)]
pub struct Backtest {
    /// One line per method that could be backtested, in [`MethodKind::ALL`] order.
    pub scores: Vec<MethodScore>,
    /// Methods left out, with the reason.
    pub excluded: Vec<(MethodKind, String)>,
    /// Forecast origins used (dates).
    pub origins: Vec<NaiveDate>,
    /// Days forecast from each origin.
    pub horizon_days: usize,
}

impl Backtest {
    /// The method with the lowest WAPE (ties go to the simpler method), if any was scored.
    pub fn best(&self) -> Option<&MethodScore> {
        self.scores
            .iter()
            .filter(|s| s.accuracy.wape.is_finite())
            .min_by(|a, b| {
                a.accuracy
                    .wape
                    .total_cmp(&b.accuracy.wape)
                    .then(a.method.cmp(&b.method))
            })
    }

    /// The score of `method`, if it was backtested.
    pub fn score(&self, method: MethodKind) -> Option<&MethodScore> {
        self.scores.iter().find(|s| s.method == method)
    }
}

/// Backtests `methods` on the last `weeks` weeks of `history`, forecasting `horizon_days`
/// days from every origin. All methods are scored on the same origins: the window starts
/// late enough for every method's minimum history; methods that would leave no origin at all
/// are excluded (and listed).
pub fn backtest(
    history: &QueueHistory,
    methods: &[MethodKind],
    weeks: usize,
    horizon_days: usize,
) -> Backtest {
    let len = history.len();
    let horizon_days = horizon_days.max(1);
    let mut included: Vec<MethodKind> = methods.to_vec();
    included.sort();
    included.dedup();
    let mut excluded = Vec::new();
    let window_start = len.saturating_sub(weeks.max(1) * 7);
    let first_origin = loop {
        let needed = included
            .iter()
            .map(|k| k.create().min_history_days())
            .max()
            .unwrap_or(0);
        let first = window_start.max(needed);
        if first < len || included.is_empty() {
            break first;
        }
        // Drop the most demanding method(s) and try again.
        included.retain(|k| {
            let keep = k.create().min_history_days() < needed;
            if !keep {
                excluded.push((
                    *k,
                    format!(
                        "needs {needed} days of history before a backtest origin; the history \
                         has {len}"
                    ),
                ));
            }
            keep
        });
    };
    let scored = |index: usize| {
        index < len
            && history.day(index).is_some()
            && history.is_open(history.date(index).weekday())
    };
    let origins: Vec<usize> = if included.is_empty() {
        Vec::new()
    } else {
        (first_origin..len)
            .filter(|&o| (o..o + horizon_days).any(scored))
            .collect()
    };
    let mut scores = Vec::new();
    for &kind in &included {
        let mut method = kind.create();
        if let Some(&first) = origins.first() {
            method.fit(history, first, horizon_days);
        }
        let mut accumulator = AccuracyAccumulator::default();
        let mut residuals = Residuals::new(history.slots());
        for &origin in &origins {
            let days: Vec<usize> = (origin..origin + horizon_days)
                .filter(|&i| scored(i))
                .collect();
            let targets: Vec<NaiveDate> = days.iter().map(|&i| history.date(i)).collect();
            let forecast = method.forecast(history, origin, &targets);
            for (&index, predicted) in days.iter().zip(&forecast) {
                let Some(actual) = history.day(index) else {
                    continue;
                };
                for (slot, (&f, &a)) in predicted.iter().zip(&actual.volume).enumerate() {
                    accumulator.add(f, a);
                    residuals.add(slot, f, a);
                }
            }
        }
        scores.push(MethodScore {
            method: kind,
            accuracy: accumulator.accuracy(),
            residuals,
        });
    }
    Backtest {
        scores,
        excluded,
        origins: origins.iter().map(|&o| history.date(o)).collect(),
        horizon_days,
    }
}
