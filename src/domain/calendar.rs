//! An agent's own calendar: the local date of a shift in the agent's zone, plan days and weeks
//! counted from the plan's first date, and availability windows as one repeating week.
//!
//! Days and weeks are always the agent's: a Lisbon agent's shift that starts at 03:00 in New
//! York is on the Lisbon date. Week `w` holds plan days `7w..7w+7`; day indices may be negative
//! or beyond the plan for zones east or west of the plan's zone.

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

const WEEK_MINUTES: u32 = 7 * 1440;

/// Local facts of a shift for one agent zone.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LocalShift {
    /// Local date of the start.
    pub date: NaiveDate,
    /// Plan day index of that date (`date - plan start`).
    pub day: i32,
    /// Weekday of the local start.
    pub weekday: Weekday,
    /// Minutes after local midnight of the start.
    pub start_minute: u32,
    /// Wall-clock minutes from the local start to the local end (a DST night changes it).
    pub wall_minutes: u32,
}

impl LocalShift {
    /// Local facts of `[start, end)` in `zone`, with days counted from `plan_start`.
    pub fn new(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, plan_start: NaiveDate) -> Self {
        let local_start = start.with_timezone(&zone);
        let local_end = end.with_timezone(&zone);
        let wall = (local_end.naive_local() - local_start.naive_local()).num_minutes();
        let date = local_start.date_naive();
        LocalShift {
            date,
            day: (date - plan_start).num_days() as i32,
            weekday: local_start.weekday(),
            start_minute: local_start.hour() * 60 + local_start.minute(),
            wall_minutes: wall.clamp(0, i64::from(WEEK_MINUTES)) as u32,
        }
    }

    /// Plan week index of the day.
    pub fn week(&self) -> i32 {
        week_of(self.day)
    }

    /// True on Saturday and Sunday.
    pub fn is_weekend(&self) -> bool {
        matches!(self.weekday, Weekday::Sat | Weekday::Sun)
    }
}

/// Plan week of a plan day index.
pub fn week_of(day: i32) -> i32 {
    day.div_euclid(7)
}

/// Availability as merged minute intervals of a repeating week (Monday 00:00 = 0), unrolled
/// three times and looked up in the middle copy, so that a window running from Sunday into
/// Monday covers the Monday before it as well as the one after.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WeeklyAvailability {
    intervals: Vec<(u32, u32)>,
}

impl WeeklyAvailability {
    /// Builds it from per-weekday windows (index 0 = Monday, minutes after local midnight,
    /// a window may end after 1440).
    pub fn new(windows: &[Vec<(u32, u32)>; 7]) -> Self {
        let mut raw: Vec<(u32, u32)> = Vec::new();
        for copy in 0..3 {
            for (day, list) in windows.iter().enumerate() {
                for &(start, end) in list {
                    let base = copy * WEEK_MINUTES + day as u32 * 1440;
                    raw.push((base + start, base + end));
                }
            }
        }
        raw.sort_unstable();
        let mut intervals: Vec<(u32, u32)> = Vec::new();
        for (start, end) in raw {
            match intervals.last_mut() {
                Some(last) if start <= last.1 => last.1 = last.1.max(end),
                _ => intervals.push((start, end)),
            }
        }
        WeeklyAvailability { intervals }
    }

    /// True when a shift starting on `weekday` at `start_minute` and lasting `wall_minutes`
    /// of wall-clock time lies inside one availability window.
    pub fn contains(&self, weekday: Weekday, start_minute: u32, wall_minutes: u32) -> bool {
        let start = WEEK_MINUTES + weekday.num_days_from_monday() * 1440 + start_minute;
        let end = start + wall_minutes;
        self.intervals
            .iter()
            .any(|&(lo, hi)| lo <= start && end <= hi)
    }
}

/// True when the working days of one week (bit `k` = day `k` of the week) leave the days off
/// as one block, Sunday and Monday being adjacent (the week repeats).
pub fn days_off_form_one_block(mask: u8) -> bool {
    let mask = mask & 0x7F;
    if mask == 0 || mask == 0x7F {
        return true;
    }
    // Count off->work transitions around the circle: one block of work <=> one block off.
    let starts = (0..7)
        .filter(|&k| mask & (1 << k) != 0 && mask & (1 << ((k + 6) % 7)) == 0)
        .count();
    starts == 1
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn one_block_of_days_off_wraps_around_the_week() {
        assert!(days_off_form_one_block(0b001_1111)); // Mon-Fri work
        assert!(days_off_form_one_block(0b111_1100)); // Wed-Sun work, Mon-Tue off
        assert!(days_off_form_one_block(0b110_0011)); // Sat-Tue work
        assert!(days_off_form_one_block(0b101_1111)); // only Saturday off
        assert!(!days_off_form_one_block(0b101_1011)); // Wednesday and Saturday off
        assert!(!days_off_form_one_block(0b001_0101));
    }

    #[test]
    fn overnight_windows_join_the_next_day() {
        let mut windows: [Vec<(u32, u32)>; 7] = Default::default();
        windows[6] = vec![(22 * 60, 24 * 60)]; // Sunday evening
        windows[0] = vec![(0, 6 * 60)]; // Monday morning
        let week = WeeklyAvailability::new(&windows);
        assert!(week.contains(Weekday::Sun, 22 * 60, 8 * 60));
        assert!(!week.contains(Weekday::Sun, 21 * 60, 8 * 60));
        assert!(week.contains(Weekday::Mon, 60, 5 * 60));
        // Written on Sunday only, past midnight: Monday morning is covered too.
        let mut windows: [Vec<(u32, u32)>; 7] = Default::default();
        windows[6] = vec![(22 * 60, 30 * 60)];
        let week = WeeklyAvailability::new(&windows);
        assert!(week.contains(Weekday::Mon, 0, 6 * 60));
        assert!(!week.contains(Weekday::Mon, 0, 7 * 60));
    }
}
