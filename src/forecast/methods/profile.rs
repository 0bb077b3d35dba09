//! Daily total × intraday profile, the workhorse of WFM suites: forecast how many contacts the
//! day brings, then split them by the weekday's average intraday shape.
//!
//! - **Daily total**: Holt-Winters on the series of daily totals of open weekdays, damped
//!   additive trend and a multiplicative index per weekday (missing days are stepped through
//!   without updating). α, β, γ and the damping φ are fitted on a grid by the one-step squared
//!   error.
//! - **Profile**: the share of the day's volume in each slot, over the last `profile_weeks`
//!   observed days of the same weekday, weighted towards recent weeks (ratio of weighted sums,
//!   so a busy day counts by its volume).

use chrono::{Datelike, NaiveDate};

use super::{ForecastMethod, MethodKind, latest_day};
use crate::forecast::history::QueueHistory;

/// Fitted daily-total model.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct DailyParameters {
    /// α, level.
    pub level: f64,
    /// β, trend.
    pub trend: f64,
    /// γ, weekday index.
    pub season: f64,
    /// φ, trend damping per day.
    pub damping: f64,
}

const LEVEL_GRID: [f64; 6] = [0.02, 0.05, 0.1, 0.2, 0.3, 0.5];
const TREND_GRID: [f64; 3] = [0.0, 0.02, 0.1];
const SEASON_GRID: [f64; 5] = [0.0, 0.05, 0.1, 0.2, 0.3];
const DAMPING_GRID: [f64; 2] = [0.8, 0.95];

/// Daily total × intraday profile.
#[derive(Debug, Clone)]
pub struct DailyProfile {
    /// Observed same-weekday days in the intraday profile.
    pub profile_weeks: usize,
    /// Weight ratio between a week and the next more recent one.
    pub decay: f64,
    /// Fitted daily-total parameters; `None` until fitted.
    pub parameters: Option<DailyParameters>,
}

impl Default for DailyProfile {
    fn default() -> Self {
        DailyProfile {
            profile_weeks: 8,
            decay: 0.9,
            parameters: None,
        }
    }
}

/// Daily totals of open-weekday days before `end`: (weekday ordinal, total if observed).
struct Totals {
    ordinal: [usize; 7],
    open_count: usize,
    days: Vec<(usize, Option<f64>)>,
    init_days: usize,
    /// Forecasts 1 to `criterion_days` open days ahead are scored when fitting.
    criterion_days: usize,
}

impl Totals {
    fn new(history: &QueueHistory, end: usize) -> Totals {
        let mut ordinal = [usize::MAX; 7];
        let mut open_count = 0;
        for (w, slot) in ordinal.iter_mut().enumerate() {
            if history.is_open(crate::forecast::history::weekday_from_index(w)) {
                *slot = open_count;
                open_count += 1;
            }
        }
        let days: Vec<(usize, Option<f64>)> = (0..end.min(history.len()))
            .filter_map(|i| {
                let w = history.date(i).weekday().num_days_from_monday() as usize;
                (ordinal[w] != usize::MAX).then(|| (ordinal[w], history.day(i).map(|d| d.total)))
            })
            .collect();
        Totals {
            ordinal,
            open_count: open_count.max(1),
            init_days: (2 * open_count).min(days.len()),
            criterion_days: 1,
            days,
        }
    }
}

#[derive(Debug, Clone, Copy)]
struct DailyState {
    level: f64,
    trend: f64,
    /// Index per open-weekday ordinal.
    season: [f64; 7],
}

impl DailyState {
    /// Forecast `ahead` open days on, for weekday ordinal `w`.
    fn forecast(&self, damping: f64, ahead: usize, w: usize) -> f64 {
        let mut damped = 0.0;
        let mut factor = 1.0;
        for _ in 0..ahead {
            factor *= damping;
            damped += factor;
        }
        ((self.level + damped * self.trend) * self.season[w]).max(0.0)
    }
}

fn initial(totals: &Totals) -> DailyState {
    let mut sums = [0.0; 7];
    let mut counts = [0usize; 7];
    for &(w, total) in &totals.days[..totals.init_days] {
        if let Some(t) = total {
            sums[w] += t;
            counts[w] += 1;
        }
    }
    let observed: Vec<f64> = (0..totals.open_count)
        .filter(|&w| counts[w] > 0)
        .map(|w| sums[w] / counts[w] as f64)
        .collect();
    let level = observed.iter().sum::<f64>() / observed.len().max(1) as f64;
    let mut season = [1.0; 7];
    for w in 0..totals.open_count {
        if counts[w] > 0 && level > 0.0 {
            season[w] = sums[w] / counts[w] as f64 / level;
        }
    }
    DailyState {
        level,
        trend: 0.0,
        season,
    }
}

/// Runs the recursion; returns the squared error of the forecasts 1 to `criterion_days` open
/// days ahead, so that the fit serves the plan's horizon (tomorrow, or next week).
fn run(totals: &Totals, p: &DailyParameters, state: &mut DailyState) -> f64 {
    let horizon = totals.criterion_days.max(1);
    let mut past: std::collections::VecDeque<DailyState> =
        std::collections::VecDeque::with_capacity(horizon + 1);
    let mut sse = 0.0;
    for (d, &(w, total)) in totals.days.iter().enumerate() {
        let base = state.level + p.damping * state.trend;
        if let (Some(y), true) = (total, d >= totals.init_days) {
            for (back, earlier) in past.iter().rev().enumerate() {
                let error = y - earlier.forecast(p.damping, back + 1, w);
                sse += error * error;
            }
        }
        match total {
            None => {
                state.level = base;
                state.trend *= p.damping;
            }
            Some(y) => {
                let season = state.season[w].max(1e-6);
                let level = (p.level * y / season + (1.0 - p.level) * base).max(0.0);
                state.trend =
                    p.trend * (level - state.level) + (1.0 - p.trend) * p.damping * state.trend;
                if level > 1e-9 {
                    state.season[w] = p.season * y / level + (1.0 - p.season) * state.season[w];
                }
                state.level = level;
            }
        }
        if past.len() == horizon {
            past.pop_front();
        }
        past.push_back(*state);
    }
    sse
}

fn fit_daily(totals: &Totals) -> DailyParameters {
    let mut best = DailyParameters {
        level: 0.1,
        trend: 0.0,
        season: 0.1,
        damping: 0.95,
    };
    let mut best_score = f64::MAX;
    for &level in &LEVEL_GRID {
        for &trend in &TREND_GRID {
            for &season in &SEASON_GRID {
                for &damping in &DAMPING_GRID {
                    let p = DailyParameters {
                        level,
                        trend,
                        season,
                        damping,
                    };
                    let mut state = initial(totals);
                    let sse = run(totals, &p, &mut state);
                    if sse.is_finite() && sse < best_score {
                        best_score = sse;
                        best = p;
                    }
                }
            }
        }
    }
    best
}

impl DailyProfile {
    /// Forecast daily totals of `targets` from the days before `end`.
    pub fn daily_totals(
        &self,
        history: &QueueHistory,
        end: usize,
        targets: &[NaiveDate],
    ) -> Vec<f64> {
        let totals = Totals::new(history, end);
        let p = self.parameters.unwrap_or_else(|| fit_daily(&totals));
        let mut state = initial(&totals);
        run(&totals, &p, &mut state);
        let end_date = history.date(end.min(history.len()));
        targets
            .iter()
            .map(|&date| {
                let w = totals.ordinal[date.weekday().num_days_from_monday() as usize];
                if w == usize::MAX {
                    return 0.0;
                }
                let ahead = end_date
                    .iter_days()
                    .take_while(|d| *d < date)
                    .filter(|d| {
                        totals.ordinal[d.weekday().num_days_from_monday() as usize] != usize::MAX
                    })
                    .count()
                    + 1;
                state.forecast(p.damping, ahead, w)
            })
            .collect()
    }

    /// Share of the day's volume per slot for `date`'s weekday, from the days before `end`.
    pub fn intraday_profile(
        &self,
        history: &QueueHistory,
        end: usize,
        date: NaiveDate,
    ) -> Option<Vec<f64>> {
        let mut sum = vec![0.0; history.slots()];
        let mut total = 0.0;
        let mut weight = 1.0;
        for (_, day) in history
            .same_weekday_before(end, date.weekday())
            .take(self.profile_weeks.max(1))
        {
            for (s, &v) in sum.iter_mut().zip(&day.volume) {
                *s += weight * v;
            }
            total += weight * day.total;
            weight *= self.decay;
        }
        (total > 0.0).then(|| sum.iter().map(|s| s / total).collect())
    }
}

impl ForecastMethod for DailyProfile {
    fn kind(&self) -> MethodKind {
        MethodKind::Profile
    }

    fn min_history_days(&self) -> usize {
        14
    }

    fn fit(&mut self, history: &QueueHistory, end: usize, horizon_days: usize) {
        let mut totals = Totals::new(history, end);
        // Open days within the horizon (at most a week of them): the fit's criterion.
        totals.criterion_days = (0..horizon_days.clamp(1, 7))
            .filter(|&k| {
                let date = history.date(end) + chrono::Duration::days(k as i64);
                history.is_open(date.weekday())
            })
            .count()
            .max(1);
        self.parameters = Some(fit_daily(&totals));
    }

    fn forecast(&self, history: &QueueHistory, end: usize, targets: &[NaiveDate]) -> Vec<Vec<f64>> {
        let totals = self.daily_totals(history, end, targets);
        targets
            .iter()
            .zip(totals)
            .map(
                |(&date, total)| match self.intraday_profile(history, end, date) {
                    Some(profile) => profile.iter().map(|share| share * total).collect(),
                    None => latest_day(history, end),
                },
            )
            .collect()
    }
}
