//! Forecasting methods, each a small type behind [`ForecastMethod`].
//!
//! A method sees the days of a [`QueueHistory`] before a calendar-day index `end` (the
//! forecast origin) and forecasts whole local days after it, one value per slot of the day.
//! Closed weekdays and special days are handled by the caller: a method is only asked for days
//! of open weekdays.
//!
//! **The week of a weekday-only contact center has 5 days.** Methods never count "7 × 96
//! intervals back": they look up the same weekday by date (seasonal naive = the last observed
//! day of the same weekday, skipping missing days), and Holt-Winters runs on the sequence of
//! open-weekday dates, so its weekly cycle has as many days as the center has open weekdays.

mod holt_winters;
mod profile;
mod seasonal_naive;
mod weekday_average;

use chrono::NaiveDate;

pub use holt_winters::{HoltWinters, HoltWintersParameters};
pub use profile::DailyProfile;
pub use seasonal_naive::SeasonalNaive;
pub use weekday_average::WeekdayAverage;

use super::history::QueueHistory;

/// The methods by name.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MethodKind {
    /// Same interval, same weekday, last observed week.
    SeasonalNaive,
    /// Weighted average of the same interval over the last K observed same weekdays.
    WeekdayAverage,
    /// Daily total forecast × the weekday's intraday profile.
    Profile,
    /// Double-seasonal (daily and weekly) Holt-Winters, Taylor (2003).
    HoltWinters,
}

impl MethodKind {
    /// Every method, simplest first (ties in a backtest go to the simpler method).
    pub const ALL: [MethodKind; 4] = [
        MethodKind::SeasonalNaive,
        MethodKind::WeekdayAverage,
        MethodKind::Profile,
        MethodKind::HoltWinters,
    ];

    /// Name as written on the command line.
    pub fn name(self) -> &'static str {
        match self {
            MethodKind::SeasonalNaive => "seasonal-naive",
            MethodKind::WeekdayAverage => "weekday-average",
            MethodKind::Profile => "profile",
            MethodKind::HoltWinters => "holt-winters",
        }
    }

    /// Parses a command-line name.
    pub fn parse(name: &str) -> Option<MethodKind> {
        Self::ALL.into_iter().find(|k| k.name() == name.trim())
    }

    /// A fresh, unfitted instance with default settings.
    pub fn create(self) -> Box<dyn ForecastMethod> {
        match self {
            MethodKind::SeasonalNaive => Box::new(SeasonalNaive),
            MethodKind::WeekdayAverage => Box::new(WeekdayAverage::default()),
            MethodKind::Profile => Box::new(DailyProfile::default()),
            MethodKind::HoltWinters => Box::new(HoltWinters::default()),
        }
    }
}

impl std::fmt::Display for MethodKind {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// One forecasting method.
pub trait ForecastMethod: Send {
    /// Which method this is.
    fn kind(&self) -> MethodKind;

    /// Calendar days of history the method needs before the first forecast day.
    fn min_history_days(&self) -> usize;

    /// Fits the method's parameters on the days before `end`, for forecasts up to
    /// `horizon_days` calendar days ahead. Methods without parameters keep the default, which
    /// does nothing.
    fn fit(&mut self, _history: &QueueHistory, _end: usize, _horizon_days: usize) {}

    /// Forecasts each of `targets` (dates on or after day `end`, of open weekdays, ascending)
    /// from the days before `end`: one vector of `history.slots()` volumes per target.
    fn forecast(&self, history: &QueueHistory, end: usize, targets: &[NaiveDate]) -> Vec<Vec<f64>>;
}

/// Slots that ever have volume in the observed days before `end` (at least one slot).
pub(crate) fn active_slots(history: &QueueHistory, start: usize, end: usize) -> Vec<usize> {
    let slots = history.slots();
    let mut any = vec![false; slots];
    for index in start..end {
        if let Some(day) = history.day(index) {
            for (flag, &v) in any.iter_mut().zip(&day.volume) {
                *flag |= v > 0.0;
            }
        }
    }
    let active: Vec<usize> = (0..slots).filter(|&s| any[s]).collect();
    if active.is_empty() { vec![0] } else { active }
}

/// The most recent observed day before `end`, as a fallback when a weekday has no data yet.
pub(crate) fn latest_day(history: &QueueHistory, end: usize) -> Vec<f64> {
    (0..end.min(history.len()))
        .rev()
        .find_map(|i| history.day(i))
        .map_or_else(|| vec![0.0; history.slots()], |d| d.volume.clone())
}
