//! Opening hours per weekday in local time.

use std::collections::BTreeMap;

use chrono::Weekday;

use crate::units::{format_clock, parse_clock};

/// Opening windows per weekday, in minutes after local midnight. A window may end after
/// 24:00 (it then runs into the next morning).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpeningHours {
    /// Index 0 = Monday.
    windows: [Vec<(u32, u32)>; 7],
}

const DAY_KEYS: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

impl OpeningHours {
    /// Open around the clock every day.
    pub fn always() -> Self {
        OpeningHours {
            windows: std::array::from_fn(|_| vec![(0, 1440)]),
        }
    }

    /// True when `weekday`'s local clock `minute` (0..1440) is inside an opening window
    /// (including a window that started the evening before and runs past midnight).
    pub fn is_open(&self, weekday: Weekday, minute: u32) -> bool {
        let today = weekday.num_days_from_monday() as usize;
        let yesterday = (today + 6) % 7;
        self.windows[today]
            .iter()
            .any(|&(start, end)| start <= minute && minute < end)
            || self.windows[yesterday]
                .iter()
                .any(|&(_, end)| end > 1440 && minute < end - 1440)
    }

    /// The windows of a weekday.
    pub fn windows(&self, weekday: Weekday) -> &[(u32, u32)] {
        &self.windows[weekday.num_days_from_monday() as usize]
    }

    /// Human form of a weekday's windows, e.g. `08:00-20:00` or `closed`.
    pub fn describe(&self, weekday: Weekday) -> String {
        let windows = self.windows(weekday);
        if windows.is_empty() {
            return "closed".into();
        }
        windows
            .iter()
            .map(|&(s, e)| format!("{}-{}", format_clock(s), format_clock(e % 1440)))
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Parses the `[queue.open]` table. Keys: `mon`..`sun`, `weekdays`, `weekend`, `daily`
    /// (more specific keys win). Values: `"08:00-20:00"`, several windows separated by commas,
    /// `"closed"`, or `"24h"`. Errors are `(key, cause)` pairs.
    pub fn parse(table: &BTreeMap<String, String>) -> Result<Self, Vec<(String, String)>> {
        let mut errors = Vec::new();
        let mut windows: [Option<Vec<(u32, u32)>>; 7] = Default::default();
        // General keys are applied first so that the specific ones overwrite them.
        let mut entries: Vec<(&String, Vec<usize>, u8)> = Vec::new();
        for key in table.keys() {
            match key_days(key) {
                Some((days, rank)) => entries.push((key, days, rank)),
                None => errors.push((
                    key.clone(),
                    format!(
                        "unknown day key {}; use mon, tue, wed, thu, fri, sat, sun, \
                         weekdays, weekend or daily",
                        crate::error::echo(key)
                    ),
                )),
            }
        }
        entries.sort_by_key(|(_, _, rank)| *rank);
        for (key, days, _) in entries {
            match parse_windows(&table[key]) {
                Ok(parsed) => {
                    for day in days {
                        windows[day] = Some(parsed.clone());
                    }
                }
                Err(cause) => errors.push((key.clone(), cause)),
            }
        }
        if !errors.is_empty() {
            return Err(errors);
        }
        let windows = windows.map(|w| w.unwrap_or_default());
        if windows.iter().all(Vec::is_empty) {
            return Err(vec![(
                "open".into(),
                "the queue is closed every day".into(),
            )]);
        }
        Ok(OpeningHours { windows })
    }
}

fn key_days(key: &str) -> Option<(Vec<usize>, u8)> {
    match key {
        "daily" => Some(((0..7).collect(), 0)),
        "weekdays" => Some(((0..5).collect(), 1)),
        "weekend" => Some((vec![5, 6], 1)),
        day => DAY_KEYS
            .iter()
            .position(|d| *d == day)
            .map(|i| (vec![i], 2)),
    }
}

fn parse_windows(text: &str) -> Result<Vec<(u32, u32)>, String> {
    let trimmed = text.trim();
    match trimmed.to_ascii_lowercase().as_str() {
        "closed" | "" => return Ok(Vec::new()),
        "24h" | "always" => return Ok(vec![(0, 1440)]),
        _ => {}
    }
    let mut windows = Vec::new();
    for part in trimmed.split(',') {
        let (start, end) = part.trim().split_once('-').ok_or_else(|| {
            format!(
                "window {} must look like \"08:00-20:00\" (or \"closed\", \"24h\")",
                crate::error::echo(part)
            )
        })?;
        let start = parse_clock(start)?;
        let mut end = parse_clock(end)?;
        if start >= 1440 {
            return Err(format!(
                "window {} cannot start at 24:00",
                crate::error::echo(part)
            ));
        }
        if end <= start {
            // Crosses midnight, e.g. 22:00-02:00.
            end += 1440;
        }
        windows.push((start, end));
    }
    windows.sort_unstable();
    for pair in windows.windows(2) {
        if pair[1].0 < pair[0].1 {
            return Err(format!(
                "windows in {} overlap",
                crate::error::echo(trimmed)
            ));
        }
    }
    Ok(windows)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn table(entries: &[(&str, &str)]) -> BTreeMap<String, String> {
        entries
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect()
    }

    #[test]
    fn specific_days_override_general_keys() {
        let hours = OpeningHours::parse(&table(&[
            ("daily", "08:00-20:00"),
            ("weekend", "closed"),
            ("sat", "10:00-14:00"),
        ]))
        .unwrap();
        assert!(hours.is_open(Weekday::Mon, 8 * 60));
        assert!(!hours.is_open(Weekday::Mon, 20 * 60));
        assert!(hours.is_open(Weekday::Sat, 10 * 60));
        assert!(!hours.is_open(Weekday::Sun, 12 * 60));
    }

    #[test]
    fn overnight_window_runs_into_the_next_morning() {
        let hours = OpeningHours::parse(&table(&[("fri", "22:00-02:00")])).unwrap();
        assert!(hours.is_open(Weekday::Fri, 23 * 60));
        assert!(hours.is_open(Weekday::Sat, 60));
        assert!(!hours.is_open(Weekday::Sat, 2 * 60));
        assert!(!hours.is_open(Weekday::Fri, 60));
    }

    #[test]
    fn bad_windows_are_named() {
        let errors =
            OpeningHours::parse(&table(&[("mon", "8-20"), ("funday", "24h")])).unwrap_err();
        assert_eq!(errors.len(), 2);
        assert!(
            format!(
                "{:?}",
                OpeningHours::parse(&table(&[("daily", "closed")])).unwrap_err()
            )
            .contains("closed every day")
        );
        assert!(
            format!(
                "{:?}",
                OpeningHours::parse(&table(&[("mon", "08:00-12:00,11:00-13:00")])).unwrap_err()
            )
            .contains("overlap")
        );
    }
}
