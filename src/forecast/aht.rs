//! Handle-time forecast: the same-weekday intraday profile of AHT, volume-weighted.

use chrono::{Datelike, NaiveDate};

use super::history::QueueHistory;

/// Observed same-weekday days the AHT of a slot is averaged over.
pub const AHT_WEEKS: usize = 8;

/// Calendar days of recent history used when a weekday's slot has no handled contacts.
const FALLBACK_DAYS: usize = 28;

/// AHT per slot for each date: Σ(volume × AHT) / Σ volume over the last [`AHT_WEEKS`] observed
/// days of the same weekday; where that slot had no contacts, the slot over every weekday of
/// the last four weeks, then the whole-day AHT of those weeks. `None` when the history has no
/// handle times (the caller uses the queue's configured AHT).
pub fn forecast_aht(history: &QueueHistory, dates: &[NaiveDate]) -> Vec<Vec<Option<f64>>> {
    let slots = history.slots();
    if !history.has_aht() {
        return vec![vec![None; slots]; dates.len()];
    }
    let end = history.len();
    let mut recent_handled = vec![0.0; slots];
    let mut recent_known = vec![0.0; slots];
    for index in end.saturating_sub(FALLBACK_DAYS)..end {
        if let Some((handled, known)) = history.day(index).and_then(|d| d.handled.as_ref()) {
            for s in 0..slots {
                recent_handled[s] += handled[s];
                recent_known[s] += known[s];
            }
        }
    }
    let day_handled: f64 = recent_handled.iter().sum();
    let day_known: f64 = recent_known.iter().sum();
    let day_aht = (day_known > 0.0).then(|| day_handled / day_known);
    dates
        .iter()
        .map(|date| {
            let mut handled = vec![0.0; slots];
            let mut known = vec![0.0; slots];
            for (_, day) in history
                .same_weekday_before(end, date.weekday())
                .take(AHT_WEEKS)
            {
                if let Some((h, k)) = &day.handled {
                    for s in 0..slots {
                        handled[s] += h[s];
                        known[s] += k[s];
                    }
                }
            }
            (0..slots)
                .map(|s| {
                    if known[s] > 0.0 {
                        Some(handled[s] / known[s])
                    } else if recent_known[s] > 0.0 {
                        Some(recent_handled[s] / recent_known[s])
                    } else {
                        day_aht
                    }
                })
                .collect()
        })
        .collect()
}
