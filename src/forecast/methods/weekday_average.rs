//! The historical average: each interval as the weighted mean of the same interval on the
//! last K observed days of the same weekday.

use chrono::{Datelike, NaiveDate};

use super::{ForecastMethod, MethodKind, latest_day};
use crate::forecast::history::QueueHistory;

/// Candidate numbers of weeks (K) tried by [`ForecastMethod::fit`].
const WEEKS_GRID: [usize; 5] = [4, 8, 13, 26, 52];
/// Candidate decays tried by [`ForecastMethod::fit`].
const DECAY_GRID: [f64; 3] = [0.8, 0.9, 1.0];
/// Weeks of days scored when fitting.
const FIT_WEEKS: usize = 8;

/// Weighted same-weekday average over the last `weeks` observed same weekdays; the most recent
/// week has weight 1, the one before `decay`, then `decay²`, … (missing days are skipped, not
/// counted as zero).
///
/// [`ForecastMethod::fit`] picks `weeks` and `decay` from a small grid by the absolute error
/// of forecasting each observed day of the last 8 weeks from the days before it. Within a
/// week of lead time the forecast does not depend on the lead (no same weekday lies between
/// the origin and the target), so the one criterion serves every horizon up to a week.
#[derive(Debug, Clone, Copy)]
pub struct WeekdayAverage {
    /// Observed same-weekday days averaged (K).
    pub weeks: usize,
    /// Weight ratio between a week and the next more recent one, in (0, 1].
    pub decay: f64,
}

impl Default for WeekdayAverage {
    fn default() -> Self {
        WeekdayAverage {
            weeks: 8,
            decay: 0.9,
        }
    }
}

impl WeekdayAverage {
    /// The forecast of one day from the days before `end`.
    fn day(&self, history: &QueueHistory, end: usize, date: NaiveDate) -> Option<Vec<f64>> {
        let mut sum = vec![0.0; history.slots()];
        let mut weights = 0.0;
        let mut weight = 1.0;
        for (_, day) in history
            .same_weekday_before(end, date.weekday())
            .take(self.weeks.max(1))
        {
            for (s, &v) in sum.iter_mut().zip(&day.volume) {
                *s += weight * v;
            }
            weights += weight;
            weight *= self.decay;
        }
        (weights > 0.0).then(|| sum.iter().map(|s| s / weights).collect())
    }
}

impl ForecastMethod for WeekdayAverage {
    fn kind(&self) -> MethodKind {
        MethodKind::WeekdayAverage
    }

    fn min_history_days(&self) -> usize {
        7
    }

    fn fit(&mut self, history: &QueueHistory, end: usize, _horizon_days: usize) {
        let end = end.min(history.len());
        let scored: Vec<usize> = (end.saturating_sub(FIT_WEEKS * 7)..end)
            .filter(|&t| t >= 7 && history.day(t).is_some())
            .collect();
        if scored.is_empty() {
            return;
        }
        let mut best = (f64::MAX, *self);
        for &weeks in &WEEKS_GRID {
            for &decay in &DECAY_GRID {
                let candidate = WeekdayAverage { weeks, decay };
                let mut error = 0.0;
                for &t in &scored {
                    let (Some(actual), Some(forecast)) =
                        (history.day(t), candidate.day(history, t, history.date(t)))
                    else {
                        continue;
                    };
                    error += actual
                        .volume
                        .iter()
                        .zip(&forecast)
                        .map(|(a, f)| (a - f).abs())
                        .sum::<f64>();
                }
                if error < best.0 {
                    best = (error, candidate);
                }
            }
        }
        *self = best.1;
    }

    fn forecast(&self, history: &QueueHistory, end: usize, targets: &[NaiveDate]) -> Vec<Vec<f64>> {
        targets
            .iter()
            .map(|&date| {
                self.day(history, end, date)
                    .unwrap_or_else(|| latest_day(history, end))
            })
            .collect()
    }
}
