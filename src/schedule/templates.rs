//! Candidate shifts: every allowed (template, local start) of the plan, placed on the UTC
//! interval grid.
//!
//! Starts are generated in local time per plan day (the shift's local date) and converted with
//! the plan's zone. A start that does not exist (skipped by a spring-forward change) is left
//! out; one that happens twice (fall-back) uses its first occurrence. Interval offsets are
//! counted from the horizon start in UTC, so a shift may run past the horizon end (offsets
//! `>= len`): in a cyclic plan that part wraps onto the first morning, otherwise it covers
//! nothing (but is paid).

use chrono::{DateTime, Datelike, Duration, LocalResult, NaiveDate, TimeZone, Utc};

use crate::scenario::{ShiftRules, ShiftTemplate};
use crate::time::Horizon;

/// One (template, start) the scheduler may staff with any number of agents.
#[derive(Debug, Clone, PartialEq)]
pub struct CandidateShift {
    /// Index into [`ShiftRules::templates`].
    pub template: usize,
    /// Plan day of the local start date.
    pub day: usize,
    /// Local date the shift belongs to (its start date; a start after midnight from a window
    /// crossing midnight still belongs to the previous date).
    pub local_date: NaiveDate,
    /// Minutes after local midnight of `local_date` (may be 1440 or more).
    pub local_minute: u32,
    /// UTC start.
    pub start: DateTime<Utc>,
    /// UTC end.
    pub end: DateTime<Utc>,
    /// Interval offset of the start from the horizon start (unwrapped).
    pub start_offset: usize,
}

/// A shift's presence (or a break's absence) in the intervals it touches: `(unwrapped offset,
/// share of the interval)`.
pub fn interval_shares(
    start_offset: usize,
    minutes: u32,
    interval_minutes: u32,
) -> Vec<(usize, f64)> {
    let interval = interval_minutes.max(1);
    let mut out = Vec::with_capacity((minutes / interval + 1) as usize);
    let mut done = 0;
    let mut j = 0;
    while done < minutes {
        let part = (minutes - done).min(interval);
        out.push((start_offset + j, f64::from(part) / f64::from(interval)));
        done += part;
        j += 1;
    }
    out
}

/// Maps an unwrapped interval offset to a horizon interval: wraps in a cyclic plan, `None`
/// past the end otherwise.
pub fn horizon_index(offset: usize, len: usize, cyclic: bool) -> Option<usize> {
    if offset < len {
        Some(offset)
    } else if cyclic && len > 0 {
        Some(offset % len)
    } else {
        None
    }
}

fn local_start(horizon: &Horizon, date: NaiveDate, minute: u32) -> Option<DateTime<Utc>> {
    let naive = date.and_hms_opt(0, 0, 0)? + Duration::minutes(i64::from(minute));
    match horizon.zone().from_local_datetime(&naive) {
        LocalResult::Single(t) => Some(t.with_timezone(&Utc)),
        LocalResult::Ambiguous(first, _) => Some(first.with_timezone(&Utc)),
        LocalResult::None => None,
    }
}

/// Candidate shifts of one template, ascending by start.
pub fn template_candidates(
    template_index: usize,
    template: &ShiftTemplate,
    horizon: &Horizon,
) -> Vec<CandidateShift> {
    let interval_seconds = i64::from(horizon.interval_minutes()) * 60;
    let origin = horizon.horizon_start();
    let minutes = template.start_minutes();
    let mut out = Vec::new();
    for day in 0..horizon.days() as usize {
        let date = horizon.date_of_day(day);
        let weekday = date.weekday().num_days_from_monday() as usize;
        if !template.days[weekday] {
            continue;
        }
        for &minute in &minutes {
            let Some(start) = local_start(horizon, date, minute) else {
                continue;
            };
            let seconds = (start - origin).num_seconds();
            // Off-grid starts only happen in zones whose DST shift is not a multiple of the
            // interval; the horizon refuses those, so this is a guard.
            if seconds < 0 || seconds % interval_seconds != 0 {
                continue;
            }
            out.push(CandidateShift {
                template: template_index,
                day,
                local_date: date,
                local_minute: minute,
                start,
                end: start + Duration::minutes(i64::from(template.length_minutes)),
                start_offset: (seconds / interval_seconds) as usize,
            });
        }
    }
    out.sort_by_key(|c| c.start);
    out.dedup_by_key(|c| c.start);
    out
}

/// Every candidate shift of every template, ordered by template (file order), then start.
pub fn candidate_shifts(rules: &ShiftRules, horizon: &Horizon) -> Vec<CandidateShift> {
    rules
        .templates
        .iter()
        .enumerate()
        .flat_map(|(index, template)| template_candidates(index, template, horizon))
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn shares_cover_partial_last_interval() {
        assert_eq!(
            interval_shares(4, 75, 30),
            vec![(4, 1.0), (5, 1.0), (6, 0.5)]
        );
        assert_eq!(interval_shares(0, 15, 30), vec![(0, 0.5)]);
    }

    #[test]
    fn wrap_only_when_cyclic() {
        assert_eq!(horizon_index(10, 8, true), Some(2));
        assert_eq!(horizon_index(10, 8, false), None);
        assert_eq!(horizon_index(3, 8, false), Some(3));
    }
}
