//! The planning horizon as a grid of UTC intervals, and local-time handling with chrono-tz.
//!
//! Every interval is a UTC instant internally. The grid starts at local midnight of the plan's
//! first day and ends at local midnight after its last day, so a day with a DST change has 23
//! or 25 hours of intervals: none lost, none doubled. Local labels come from converting each UTC
//! start back to the zone, so the repeated hour of a fall-back night appears twice with
//! different offsets.

use chrono::{
    DateTime, Datelike, Duration, LocalResult, NaiveDate, NaiveDateTime, NaiveTime, TimeZone,
    Timelike, Utc, Weekday,
};
use chrono_tz::Tz;

use crate::error::{CodeInfo, Error, Result, echo};

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "T1001",
        title: "unknown time zone",
        explanation: "Time zones are IANA names such as \"America/New_York\", \"Europe/Lisbon\" or \
                      \"UTC\". Abbreviations like \"EST\" or offsets like \"+01:00\" are not zones: \
                      they do not know when daylight-saving time starts. Look the name up in the \
                      tz database list (e.g. `timedatectl list-timezones`).",
    },
    CodeInfo {
        code: "T1002",
        title: "local time does not exist (skipped by a DST change)",
        explanation: "On a spring-forward night the clocks jump (e.g. 02:00 -> 03:00 in New York), \
                      so local times inside the gap never happen. A timestamp there is almost \
                      always an export error. Write the timestamp with its UTC offset \
                      (2026-03-08T03:00:00-04:00) or export in UTC.",
    },
    CodeInfo {
        code: "T1003",
        title: "local time is ambiguous (repeated by a DST change)",
        explanation: "On a fall-back night one local hour happens twice (e.g. 01:00-02:00 in New \
                      York on 2026-11-01, first at -04:00 then at -05:00). A timestamp without an \
                      offset in that hour cannot be placed. Write the offset \
                      (2026-11-01T01:30:00-05:00) or export in UTC.",
    },
    CodeInfo {
        code: "T1004",
        title: "timestamp cannot be read",
        explanation: "Timestamps are ISO 8601: 2026-11-23T08:30:00-05:00 (with offset), \
                      2026-11-23T13:30:00Z (UTC) or 2026-11-23T08:30 / 2026-11-23 08:30:00 \
                      (local time in the plan's zone). Day/month orders such as 03/04/2026 are \
                      refused because they are ambiguous.",
    },
    CodeInfo {
        code: "T1005",
        title: "plan horizon does not fit the interval grid",
        explanation: "Each local day must be a whole number of intervals. This fails only in zones \
                      whose DST shift is not a multiple of the interval (e.g. Australia/Lord_Howe \
                      shifts by 30 minutes, which a 60-minute grid cannot represent). Use a \
                      shorter interval.",
    },
    CodeInfo {
        code: "T1006",
        title: "plan horizon too large",
        explanation: "The horizon would have more intervals than the limit (50,000, e.g. a year of \
                      15-minute intervals is 35,040). Plan fewer days or use a longer interval.",
    },
];

/// Largest number of intervals a horizon may have.
pub const MAX_INTERVALS: usize = 50_000;

/// Intervals lengths (minutes) a plan may use.
pub const ALLOWED_INTERVAL_MINUTES: [u32; 5] = [5, 10, 15, 30, 60];

/// Looks up an IANA time zone by name.
pub fn parse_zone(name: &str) -> std::result::Result<Tz, String> {
    name.trim().parse::<Tz>().map_err(|_| {
        let hint = suggest_zone(name.trim());
        format!("unknown time zone {}{hint}", crate::error::echo(name))
    })
}

fn suggest_zone(name: &str) -> String {
    // No zone name is longer than 32 characters: a long text is no misspelt zone.
    if name.len() > 64 {
        return String::new();
    }
    let lower = name.to_ascii_lowercase();
    let best = chrono_tz::TZ_VARIANTS
        .iter()
        .map(|tz| {
            (
                strsim::jaro_winkler(&lower, &tz.name().to_ascii_lowercase()),
                tz,
            )
        })
        .filter(|(score, _)| *score > 0.85)
        .max_by(|a, b| a.0.total_cmp(&b.0));
    match best {
        Some((_, tz)) => format!(" (did you mean {}?)", crate::error::echo(tz.name())),
        None => String::new(),
    }
}

/// The planning horizon: `days` local days from `start_date` in `zone`, cut into intervals.
#[derive(Debug, Clone, PartialEq)]
pub struct Horizon {
    zone: Tz,
    start_date: NaiveDate,
    days: u32,
    interval_minutes: u32,
    starts: Vec<DateTime<Utc>>,
    end: DateTime<Utc>,
    /// Index of the first interval of each day; `days + 1` entries (the last is `len()`).
    day_starts: Vec<usize>,
}

/// The UTC instant of local midnight of `date` (or the first local time after it when
/// midnight itself is skipped by a DST change).
pub fn local_day_start(zone: Tz, date: NaiveDate) -> DateTime<Utc> {
    let mut local = date.and_time(NaiveTime::MIN);
    for _ in 0..=24 * 4 {
        match zone.from_local_datetime(&local) {
            LocalResult::Single(t) => return t.with_timezone(&Utc),
            LocalResult::Ambiguous(earliest, _) => return earliest.with_timezone(&Utc),
            LocalResult::None => local += Duration::minutes(15),
        }
    }
    Utc.from_utc_datetime(&date.and_time(NaiveTime::MIN))
}

impl Horizon {
    /// Builds the grid. `interval_minutes` must be one of [`ALLOWED_INTERVAL_MINUTES`]
    /// (checked by scenario validation; other values are refused here too).
    pub fn new(start_date: NaiveDate, days: u32, interval_minutes: u32, zone: Tz) -> Result<Self> {
        if !ALLOWED_INTERVAL_MINUTES.contains(&interval_minutes) {
            return Err(Error::input(
                "S1010",
                "plan.interval_minutes",
                format!("interval of {interval_minutes} minutes is not supported"),
                "use 5, 10, 15, 30 or 60",
            ));
        }
        let step = Duration::minutes(i64::from(interval_minutes));
        let mut starts = Vec::new();
        let mut day_starts = Vec::with_capacity(days as usize + 1);
        let mut day_begin = local_day_start(zone, start_date);
        for day in 0..days {
            let date = start_date + Duration::days(i64::from(day));
            let next = local_day_start(zone, date + Duration::days(1));
            let seconds = (next - day_begin).num_seconds();
            if seconds % step.num_seconds() != 0 {
                return Err(Error::input(
                    "T1005",
                    "plan.interval_minutes",
                    format!(
                        "local day {date} in {zone} lasts {}h{:02}m, not a whole number of \
                         {interval_minutes}-minute intervals",
                        seconds / 3600,
                        (seconds % 3600) / 60
                    ),
                    "use a shorter interval (e.g. 15 or 30 minutes)",
                ));
            }
            day_starts.push(starts.len());
            let count = (seconds / step.num_seconds()) as usize;
            if starts.len() + count > MAX_INTERVALS {
                return Err(Error::input(
                    "T1006",
                    "plan.days",
                    format!(
                        "{days} days of {interval_minutes}-minute intervals exceed the limit of \
                         {MAX_INTERVALS} intervals"
                    ),
                    "plan fewer days or use a longer interval",
                ));
            }
            starts.extend((0..count).map(|k| day_begin + step * k as i32));
            day_begin = next;
        }
        day_starts.push(starts.len());
        Ok(Horizon {
            zone,
            start_date,
            days,
            interval_minutes,
            starts,
            end: day_begin,
            day_starts,
        })
    }

    /// The plan's time zone.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// First local day of the plan.
    pub fn start_date(&self) -> NaiveDate {
        self.start_date
    }

    /// Number of local days.
    pub fn days(&self) -> u32 {
        self.days
    }

    /// Interval length in minutes.
    pub fn interval_minutes(&self) -> u32 {
        self.interval_minutes
    }

    /// Interval length in seconds.
    pub fn interval_seconds(&self) -> f64 {
        f64::from(self.interval_minutes) * 60.0
    }

    /// Number of intervals.
    pub fn len(&self) -> usize {
        self.starts.len()
    }

    /// True when the horizon has no intervals.
    pub fn is_empty(&self) -> bool {
        self.starts.is_empty()
    }

    /// UTC starts of all intervals.
    pub fn starts(&self) -> &[DateTime<Utc>] {
        &self.starts
    }

    /// UTC start of interval `i`.
    pub fn start(&self, i: usize) -> DateTime<Utc> {
        self.starts[i]
    }

    /// UTC end of interval `i`.
    pub fn end_of(&self, i: usize) -> DateTime<Utc> {
        self.starts[i] + Duration::minutes(i64::from(self.interval_minutes))
    }

    /// UTC start of the horizon.
    pub fn horizon_start(&self) -> DateTime<Utc> {
        self.starts.first().copied().unwrap_or(self.end)
    }

    /// UTC end of the horizon (local midnight after the last day).
    pub fn horizon_end(&self) -> DateTime<Utc> {
        self.end
    }

    /// Local start of interval `i`, with its offset.
    pub fn local_start(&self, i: usize) -> DateTime<Tz> {
        self.starts[i].with_timezone(&self.zone)
    }

    /// Index of the plan day (0-based) that interval `i` belongs to.
    pub fn day_of(&self, i: usize) -> usize {
        self.day_starts.partition_point(|&first| first <= i) - 1
    }

    /// Range of interval indices of plan day `day`.
    pub fn day_range(&self, day: usize) -> std::ops::Range<usize> {
        self.day_starts[day]..self.day_starts[day + 1]
    }

    /// Local calendar date of plan day `day`.
    pub fn date_of_day(&self, day: usize) -> NaiveDate {
        self.start_date + Duration::days(day as i64)
    }

    /// Plan day index of a local date, if inside the plan.
    pub fn day_of_date(&self, date: NaiveDate) -> Option<usize> {
        let offset = (date - self.start_date).num_days();
        (offset >= 0 && offset < i64::from(self.days)).then_some(offset as usize)
    }

    /// Weekday of interval `i` (of its local start).
    pub fn weekday(&self, i: usize) -> Weekday {
        self.local_start(i).weekday()
    }

    /// Minutes after local midnight of interval `i`'s local start.
    pub fn local_minute(&self, i: usize) -> u32 {
        let local = self.local_start(i);
        local.hour() * 60 + local.minute()
    }

    /// Index of the interval starting exactly at `instant`.
    pub fn index_of(&self, instant: DateTime<Utc>) -> Option<usize> {
        self.starts.binary_search(&instant).ok()
    }

    /// Index of the interval containing `instant`.
    pub fn index_containing(&self, instant: DateTime<Utc>) -> Option<usize> {
        if instant < self.horizon_start() || instant >= self.end {
            return None;
        }
        Some(self.starts.partition_point(|&s| s <= instant) - 1)
    }
}

/// Why a timestamp could not be placed on the UTC time line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TimestampError {
    /// The text is not a timestamp format we read.
    Malformed(String),
    /// The local time falls in a spring-forward gap.
    Nonexistent(String),
    /// The local time falls in a fall-back hour that happens twice.
    Ambiguous {
        /// The text as given.
        text: String,
        /// Offset of the first occurrence.
        first_offset: String,
        /// Offset of the second occurrence.
        second_offset: String,
    },
}

impl TimestampError {
    /// The stable error code of this failure.
    pub fn code(&self) -> &'static str {
        match self {
            TimestampError::Malformed(_) => "T1004",
            TimestampError::Nonexistent(_) => "T1002",
            TimestampError::Ambiguous { .. } => "T1003",
        }
    }

    /// Cause in words.
    pub fn cause(&self, zone: Tz) -> String {
        match self {
            TimestampError::Malformed(text) => match malformed_hint(text) {
                Some((cause, _)) => format!("cannot read timestamp {}: {cause}", echo(text)),
                None => format!("cannot read timestamp {}", echo(text)),
            },
            TimestampError::Nonexistent(text) => format!(
                "local time {text} does not exist in {zone} (clocks spring forward over it)"
            ),
            TimestampError::Ambiguous {
                text,
                first_offset,
                second_offset,
            } => format!(
                "local time {text} happens twice in {zone} (at {first_offset} and at \
                 {second_offset}) because clocks fall back"
            ),
        }
    }

    /// What to do about it.
    pub fn fix(&self) -> String {
        match self {
            TimestampError::Malformed(text) => match malformed_hint(text) {
                Some((_, fix)) => fix,
                None => "write ISO 8601, e.g. 2026-11-23T08:30:00-05:00, 2026-11-23T13:30:00Z \
                         or 2026-11-23 08:30"
                    .into(),
            },
            TimestampError::Nonexistent(_) | TimestampError::Ambiguous { .. } => {
                "write the timestamp with its UTC offset (e.g. 2026-11-01T01:30:00-05:00) or in UTC"
                    .into()
            }
        }
    }
}

/// Cause and fix for the two shapes spreadsheets produce most: slash dates (`03/04/2026`,
/// which reads as 4 March or 3 April) and Excel serial numbers (`46349.375`).
fn malformed_hint(text: &str) -> Option<(String, String)> {
    // No date and time of a spreadsheet is longer; the hint repeats the time it was given.
    if text.len() > 40 {
        return None;
    }
    let (date, time) = match text.split_once([' ', 'T']) {
        Some((date, time)) => (date, format!(" {}", time.trim())),
        None => (text, String::new()),
    };
    let parts: Vec<&str> = date.split(['/', '.']).collect();
    if parts.len() == 3
        && parts
            .iter()
            .all(|p| !p.is_empty() && p.bytes().all(|b| b.is_ascii_digit()))
    {
        let number = |p: &str| p.parse::<u32>().ok();
        let (a, b, year) = (number(parts[0])?, number(parts[1])?, parts[2]);
        if year.len() == 4 {
            let iso = |month: u32, day: u32| {
                NaiveDate::from_ymd_opt(year.parse().ok()?, month, day)
                    .map(|d| format!("{}{time}", d.format("%Y-%m-%d")))
            };
            return Some(match (iso(a, b), iso(b, a)) {
                (Some(month_day), Some(day_month)) if a != b => (
                    format!(
                        "{date} is ambiguous: {month_day} read as month/day, {day_month} read \
                         as day/month"
                    ),
                    format!(
                        "write ISO 8601 (year-month-day), {month_day} or {day_month}; set the \
                         export's date format to yyyy-mm-dd"
                    ),
                ),
                (Some(iso), _) | (None, Some(iso)) => (
                    format!("slash dates are not read (this one can only be {iso})"),
                    format!("write ISO 8601 (year-month-day), here {iso}"),
                ),
                (None, None) => return None,
            });
        }
    }
    let serial: f64 = text.parse().ok()?;
    if (20_000.0..80_000.0).contains(&serial) {
        // Excel's day 0 is 1899-12-30 (it counts 1900 as a leap year).
        let epoch = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
        let minutes = (serial * 1440.0).round() as i64;
        let instant = epoch + chrono::Duration::minutes(minutes);
        let shown = instant.format("%Y-%m-%d %H:%M");
        return Some((
            format!("this looks like an Excel serial date ({shown})"),
            format!("format the column as yyyy-mm-dd hh:mm before saving the CSV (here {shown})"),
        ));
    }
    None
}

const LOCAL_FORMATS: [&str; 4] = [
    "%Y-%m-%dT%H:%M:%S%.f",
    "%Y-%m-%dT%H:%M",
    "%Y-%m-%d %H:%M:%S%.f",
    "%Y-%m-%d %H:%M",
];

/// Parses an ISO 8601 timestamp: with an offset or `Z` it is exact; without, it is local time
/// in `zone` and must exist and be unambiguous there.
pub fn parse_timestamp(text: &str, zone: Tz) -> std::result::Result<DateTime<Utc>, TimestampError> {
    let trimmed = text.trim();
    if let Ok(t) = DateTime::parse_from_rfc3339(trimmed) {
        return Ok(t.with_timezone(&Utc));
    }
    for format in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
    ] {
        if let Ok(t) = DateTime::parse_from_str(trimmed, format) {
            return Ok(t.with_timezone(&Utc));
        }
    }
    let naive = LOCAL_FORMATS
        .iter()
        .find_map(|format| NaiveDateTime::parse_from_str(trimmed, format).ok())
        .ok_or_else(|| TimestampError::Malformed(trimmed.to_string()))?;
    local_to_utc(naive, zone, trimmed)
}

/// Places a local wall-clock time of `zone` on the UTC time line.
pub fn local_to_utc(
    naive: NaiveDateTime,
    zone: Tz,
    text: &str,
) -> std::result::Result<DateTime<Utc>, TimestampError> {
    match zone.from_local_datetime(&naive) {
        LocalResult::Single(t) => Ok(t.with_timezone(&Utc)),
        LocalResult::None => Err(TimestampError::Nonexistent(text.to_string())),
        LocalResult::Ambiguous(first, second) => Err(TimestampError::Ambiguous {
            text: text.to_string(),
            first_offset: first.format("%:z").to_string(),
            second_offset: second.format("%:z").to_string(),
        }),
    }
}

/// RFC 3339 UTC form used in every output: `2026-11-23T13:30:00Z`.
pub fn format_utc(instant: DateTime<Utc>) -> String {
    instant.format("%Y-%m-%dT%H:%M:%SZ").to_string()
}

/// RFC 3339 local form with offset used in every output: `2026-11-01T01:30:00-04:00`.
pub fn format_local(instant: DateTime<Utc>, zone: Tz) -> String {
    instant
        .with_timezone(&zone)
        .format("%Y-%m-%dT%H:%M:%S%:z")
        .to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn slash_and_excel_dates_get_a_specific_cause_and_fix() {
        let zone: Tz = "Europe/Lisbon".parse().unwrap();
        let err = parse_timestamp("03/04/2026 08:00", zone).unwrap_err();
        assert_eq!(err.code(), "T1004");
        assert!(err.cause(zone).contains("ambiguous"), "{}", err.cause(zone));
        assert!(err.fix().contains("2026-03-04 08:00") && err.fix().contains("2026-04-03 08:00"));
        // 23 cannot be a month: only one reading, still refused, with the ISO form to write.
        let err = parse_timestamp("23/11/2026", zone).unwrap_err();
        assert!(err.fix().contains("2026-11-23") && !err.cause(zone).contains("ambiguous"));
        // Excel day 46349 is 2026-11-23; .375 of a day is 09:00.
        let err = parse_timestamp("46349.375", zone).unwrap_err();
        assert!(err.cause(zone).contains("Excel") && err.fix().contains("2026-11-23 09:00"));
        // Anything else keeps the generic advice.
        let err = parse_timestamp("yesterday", zone).unwrap_err();
        assert!(err.fix().starts_with("write ISO 8601, e.g."));
    }

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn fall_back_week_has_four_extra_quarter_hours() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let horizon = Horizon::new(date(2026, 10, 26), 7, 15, zone).unwrap();
        assert_eq!(horizon.len(), 7 * 96 + 4);
        assert_eq!(horizon.day_range(6).len(), 100);
        let labels: Vec<String> = horizon
            .day_range(6)
            .map(|i| format_local(horizon.start(i), zone))
            .filter(|l| l.contains("T01:00"))
            .collect();
        assert_eq!(
            labels,
            ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"]
        );
    }

    #[test]
    fn spring_forward_week_has_four_fewer_quarter_hours() {
        let zone: Tz = "Europe/London".parse().unwrap();
        let horizon = Horizon::new(date(2026, 3, 23), 7, 15, zone).unwrap();
        assert_eq!(horizon.len(), 7 * 96 - 4);
        assert_eq!(horizon.day_range(6).len(), 92);
    }

    #[test]
    fn day_lookup_matches_ranges() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let horizon = Horizon::new(date(2026, 10, 26), 7, 30, zone).unwrap();
        for day in 0..7 {
            for i in horizon.day_range(day) {
                assert_eq!(horizon.day_of(i), day);
                assert_eq!(
                    horizon.local_start(i).date_naive(),
                    horizon.date_of_day(day)
                );
            }
        }
    }

    #[test]
    fn ambiguous_and_missing_local_times_are_refused() {
        let zone: Tz = "America/New_York".parse().unwrap();
        let err = parse_timestamp("2026-11-01T01:30", zone).unwrap_err();
        assert_eq!(err.code(), "T1003");
        let err = parse_timestamp("2026-03-08 02:30:00", zone).unwrap_err();
        assert_eq!(err.code(), "T1002");
        let ok = parse_timestamp("2026-11-01T01:30:00-05:00", zone).unwrap();
        assert_eq!(format_utc(ok), "2026-11-01T06:30:00Z");
        assert_eq!(
            parse_timestamp("03/04/2026", zone).unwrap_err().code(),
            "T1004"
        );
    }

    #[test]
    fn zone_suggestions() {
        assert!(
            parse_zone("America/New_Yrok")
                .unwrap_err()
                .contains("America/New_York")
        );
        assert!(
            format!("{:?}", parse_zone("Mars/Olympus").unwrap_err()).contains("unknown time zone")
        );
    }
}
