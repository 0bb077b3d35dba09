//! Seasonal naive: every interval as on the same weekday of the last observed week.

use chrono::{Datelike, NaiveDate};

use super::{ForecastMethod, MethodKind, latest_day};
use crate::forecast::history::QueueHistory;

/// Same interval, same weekday, most recent observed week (a missing day, such as a holiday,
/// is skipped: the week before is used).
#[derive(Debug, Clone, Copy, Default)]
pub struct SeasonalNaive;

impl ForecastMethod for SeasonalNaive {
    fn kind(&self) -> MethodKind {
        MethodKind::SeasonalNaive
    }

    fn min_history_days(&self) -> usize {
        7
    }

    fn forecast(&self, history: &QueueHistory, end: usize, targets: &[NaiveDate]) -> Vec<Vec<f64>> {
        targets
            .iter()
            .map(|date| {
                history
                    .same_weekday_before(end, date.weekday())
                    .next()
                    .map_or_else(|| latest_day(history, end), |(_, day)| day.volume.clone())
            })
            .collect()
    }
}
