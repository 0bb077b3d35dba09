//! Interval history of one queue, on the plan's interval grid, one record per local day.
//!
//! - **Row interval**: the most common spacing between consecutive rows. Rows must sit on that
//!   grid (from local midnight) and the spacing must divide the plan's interval; finer rows are
//!   summed into plan intervals (AHT volume-weighted).
//! - **Days**: a local date with at least one row is *observed*; its intervals without a row
//!   count as zero (exports skip empty intervals and closed hours). A weekday that never has
//!   volume (weekends in a weekday-only file) is *closed*: it forecasts zero. A date of an open
//!   weekday without rows inside the history is *missing* (a gap: holiday, outage, export hole):
//!   it is reported and skipped by every method, never read as zero. An observed open-weekday
//!   date whose volume is all zero is treated the same way (a closure recorded as zeros).
//! - **DST**: intervals are keyed by local wall-clock slot. The repeated hour of a fall-back
//!   day is averaged (per real interval), the skipped hour of a spring-forward day is
//!   interpolated from its neighbours, so every stored day has the same slots.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Timelike, Utc, Weekday};
use chrono_tz::Tz;

use crate::error::{Diagnostic, Error, Result};
use crate::time::{format_local, local_day_start};
use crate::volume::{VolumeRecord, VolumeTable};

/// Longest history accepted, in calendar days (ten years).
pub const MAX_HISTORY_DAYS: i64 = 3_660;

/// Most row diagnostics listed before the rest are summarised.
const MAX_ROW_ERRORS: usize = 20;

/// Volume (and handle time) of one local day, per plan-interval slot of the day.
#[derive(Debug, Clone, PartialEq)]
pub struct DayVolume {
    /// Contacts per slot (`slot = local minute of day / interval`).
    pub volume: Vec<f64>,
    /// Sum of the volume.
    pub total: f64,
    /// Handle time of the slot, as (volume × AHT summed, volume with a known AHT).
    pub handled: Option<(Vec<f64>, Vec<f64>)>,
}

/// What the import found: span, row interval, gaps and closed weekdays.
#[derive(Debug, Clone, PartialEq)]
pub struct HistoryReport {
    /// Queue id.
    pub queue: String,
    /// File name.
    pub source: String,
    /// First local date with data.
    pub first_date: NaiveDate,
    /// Last local date with data (after truncation at the forecast start).
    pub last_date: NaiveDate,
    /// Spacing of the rows in the file, minutes.
    pub row_minutes: u32,
    /// Number of dates with data used by the methods.
    pub observed_days: usize,
    /// Dates of open weekdays without any row: skipped, not filled with zeros.
    pub missing_days: Vec<NaiveDate>,
    /// Dates of open weekdays whose rows are all zero: treated as missing (likely closures).
    pub zero_days: Vec<NaiveDate>,
    /// Weekdays that never have volume: forecast as closed (zero).
    pub closed_weekdays: Vec<Weekday>,
    /// Dates on or after the forecast start that were dropped.
    pub dropped_after_start: usize,
    /// True when the file gives handle times.
    pub has_aht: bool,
}

impl HistoryReport {
    /// Human-readable lines for the command line.
    pub fn lines(&self) -> Vec<String> {
        let mut lines = vec![format!(
            "history {} ({}): {} to {}, {}-minute rows, {} days with data",
            self.queue,
            self.source,
            self.first_date,
            self.last_date,
            self.row_minutes,
            self.observed_days
        )];
        if !self.closed_weekdays.is_empty() {
            let names: Vec<String> = self.closed_weekdays.iter().map(|w| w.to_string()).collect();
            lines.push(format!(
                "  closed weekdays (never any volume, forecast 0): {}",
                names.join(", ")
            ));
        }
        if !self.missing_days.is_empty() {
            lines.push(format!(
                "  {} missing day(s), skipped by every method (not read as zero): {}",
                self.missing_days.len(),
                list_dates(&self.missing_days)
            ));
        }
        if !self.zero_days.is_empty() {
            lines.push(format!(
                "  {} day(s) with zero volume on open weekdays, treated as missing: {}",
                self.zero_days.len(),
                list_dates(&self.zero_days)
            ));
        }
        if self.dropped_after_start > 0 {
            lines.push(format!(
                "  {} day(s) on or after the forecast start were not used",
                self.dropped_after_start
            ));
        }
        lines
    }
}

fn list_dates(dates: &[NaiveDate]) -> String {
    const SHOWN: usize = 12;
    let mut text: Vec<String> = dates.iter().take(SHOWN).map(|d| d.to_string()).collect();
    if dates.len() > SHOWN {
        text.push(format!("… ({} more)", dates.len() - SHOWN));
    }
    text.join(", ")
}

/// The history of one queue on the plan's grid.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueHistory {
    queue: String,
    zone: Tz,
    interval_minutes: u32,
    first_date: NaiveDate,
    /// One entry per calendar day from `first_date`; `None` = no usable data.
    days: Vec<Option<DayVolume>>,
    open_weekdays: [bool; 7],
    has_aht: bool,
    report: HistoryReport,
}

impl QueueHistory {
    /// Builds a history directly from days of slot volumes (for tests and synthetic series).
    /// `days[i]` is the date `first_date + i`; `None` is a day without data. Weekdays without
    /// any volume are closed.
    pub fn from_days(
        queue: &str,
        zone: Tz,
        interval_minutes: u32,
        first_date: NaiveDate,
        days: Vec<Option<Vec<f64>>>,
    ) -> QueueHistory {
        let days = days
            .into_iter()
            .map(|d| {
                d.map(|volume| DayVolume {
                    total: volume.iter().sum(),
                    volume,
                    handled: None,
                })
            })
            .collect();
        Self::finish(
            queue,
            "memory",
            zone,
            interval_minutes,
            interval_minutes,
            first_date,
            days,
            false,
        )
    }

    #[allow(clippy::too_many_arguments)]
    fn finish(
        queue: &str,
        source: &str,
        zone: Tz,
        interval_minutes: u32,
        row_minutes: u32,
        first_date: NaiveDate,
        mut days: Vec<Option<DayVolume>>,
        has_aht: bool,
    ) -> QueueHistory {
        let date = |i: usize| first_date + Duration::days(i as i64);
        let mut open_weekdays = [false; 7];
        for (i, day) in days.iter().enumerate() {
            if day.as_ref().is_some_and(|d| d.total > 0.0) {
                open_weekdays[date(i).weekday().num_days_from_monday() as usize] = true;
            }
        }
        // Trim leading and trailing days without data.
        let first = days.iter().position(Option::is_some).unwrap_or(0);
        let last = days.iter().rposition(Option::is_some).map_or(0, |l| l + 1);
        let first_date = date(first);
        days = days.drain(first..last.max(first)).collect();
        let date = |i: usize| first_date + Duration::days(i as i64);
        let mut missing_days = Vec::new();
        let mut zero_days = Vec::new();
        for (i, day) in days.iter_mut().enumerate() {
            let open = open_weekdays[date(i).weekday().num_days_from_monday() as usize];
            match day {
                None if open => missing_days.push(date(i)),
                Some(d) if open && d.total <= 0.0 => {
                    zero_days.push(date(i));
                    *day = None;
                }
                _ => {}
            }
        }
        let closed_weekdays = (0..7u8)
            .filter(|&w| !open_weekdays[w as usize])
            .filter_map(|w| Weekday::try_from(w).ok())
            .collect();
        let observed_days = days.iter().filter(|d| d.is_some()).count();
        let last_date = date(days.len().saturating_sub(1));
        QueueHistory {
            queue: queue.to_string(),
            zone,
            interval_minutes,
            first_date,
            days,
            open_weekdays,
            has_aht,
            report: HistoryReport {
                queue: queue.to_string(),
                source: source.to_string(),
                first_date,
                last_date,
                row_minutes,
                observed_days,
                missing_days,
                zero_days,
                closed_weekdays,
                dropped_after_start: 0,
                has_aht,
            },
        }
    }

    /// Queue id.
    pub fn queue(&self) -> &str {
        &self.queue
    }

    /// Time zone of the local days.
    pub fn zone(&self) -> Tz {
        self.zone
    }

    /// Plan interval the history was aggregated to, minutes.
    pub fn interval_minutes(&self) -> u32 {
        self.interval_minutes
    }

    /// Slots per local day.
    pub fn slots(&self) -> usize {
        (1440 / self.interval_minutes) as usize
    }

    /// Number of calendar days from the first to the last date with data.
    pub fn len(&self) -> usize {
        self.days.len()
    }

    /// True when there is no day at all.
    pub fn is_empty(&self) -> bool {
        self.days.is_empty()
    }

    /// First date.
    pub fn first_date(&self) -> NaiveDate {
        self.first_date
    }

    /// Date of calendar day `index`.
    pub fn date(&self, index: usize) -> NaiveDate {
        self.first_date + Duration::days(index as i64)
    }

    /// Calendar-day index of `date` (may be past the end).
    pub fn index_of(&self, date: NaiveDate) -> Option<usize> {
        usize::try_from((date - self.first_date).num_days()).ok()
    }

    /// Data of calendar day `index`, if observed.
    pub fn day(&self, index: usize) -> Option<&DayVolume> {
        self.days.get(index).and_then(Option::as_ref)
    }

    /// True when `weekday` has volume somewhere in the history.
    pub fn is_open(&self, weekday: Weekday) -> bool {
        self.open_weekdays[weekday.num_days_from_monday() as usize]
    }

    /// Number of open weekdays (the length of a "week" in days with data: 5 for a weekday-only
    /// contact center).
    pub fn open_weekday_count(&self) -> usize {
        self.open_weekdays.iter().filter(|&&o| o).count()
    }

    /// True when the file gave handle times.
    pub fn has_aht(&self) -> bool {
        self.has_aht
    }

    /// What the import found.
    pub fn report(&self) -> &HistoryReport {
        &self.report
    }

    /// Observed days of `weekday` before calendar day `end`, most recent first.
    pub fn same_weekday_before(
        &self,
        end: usize,
        weekday: Weekday,
    ) -> impl Iterator<Item = (usize, &DayVolume)> {
        let end = end.min(self.days.len());
        let first = self.first_date.weekday().num_days_from_monday() as usize;
        let wanted = weekday.num_days_from_monday() as usize;
        // Largest index < end whose weekday is `weekday`, then every 7 days back.
        let start = end.checked_sub(1).and_then(|last| {
            let back = ((first + last) % 7 + 7 - wanted) % 7;
            last.checked_sub(back)
        });
        let mut next = start;
        std::iter::from_fn(move || {
            while let Some(i) = next {
                next = i.checked_sub(7);
                if let Some(day) = self.day(i) {
                    return Some((i, day));
                }
            }
            None
        })
    }

    /// The history of the days before `end` only (a forecast origin in a backtest).
    pub fn truncated(&self, end: usize) -> QueueHistory {
        let mut copy = self.clone();
        copy.days.truncate(end);
        while copy.days.last().is_some_and(Option::is_none) {
            copy.days.pop();
        }
        copy.report.last_date = copy.date(copy.days.len().saturating_sub(1));
        copy.report.observed_days = copy.days.iter().filter(|d| d.is_some()).count();
        copy.report
            .missing_days
            .retain(|&d| d <= copy.report.last_date);
        copy.report
            .zero_days
            .retain(|&d| d <= copy.report.last_date);
        copy
    }

    /// The history of the days before `date` only, counting the dropped days in the report.
    pub fn before(&self, date: NaiveDate) -> QueueHistory {
        let end = match self.index_of(date) {
            Some(end) => end.min(self.days.len()),
            None => 0,
        };
        let dropped = self.days[end..].iter().filter(|d| d.is_some()).count();
        let mut copy = self.truncated(end);
        copy.report.dropped_after_start += dropped;
        copy
    }
}

/// Weekday of a zero-based index from Monday.
pub fn weekday_from_index(index: usize) -> Weekday {
    Weekday::try_from((index % 7) as u8).unwrap_or(Weekday::Mon)
}

struct LocalRow<'a> {
    record: &'a VolumeRecord,
    date: NaiveDate,
    /// Seconds after local midnight of `date`.
    second_of_day: u32,
}

/// Reads the history of every queue in `table` onto a grid of `interval_minutes`, local days
/// in `zone`. `queue_name` names the queue of a file without a queue column (and, for a file
/// with one, selects that queue only).
pub fn histories_from_table(
    table: &VolumeTable,
    interval_minutes: u32,
    zone: Tz,
    queue_name: Option<&str>,
) -> Result<Vec<QueueHistory>> {
    let by_queue = rows_by_queue(table);
    let queues: Vec<String> = if table.has_queue_column {
        match queue_name {
            Some(name) => vec![name.to_string()],
            None => by_queue.keys().map(|q| q.to_string()).collect(),
        }
    } else {
        vec![queue_name.unwrap_or("queue").to_string()]
    };
    let mut diagnostics = Vec::new();
    let mut out = Vec::new();
    for queue in &queues {
        let key = if table.has_queue_column {
            queue.as_str()
        } else {
            ""
        };
        let records = by_queue.get(key).map_or(&[][..], Vec::as_slice);
        let known = || by_queue.keys().copied().collect::<Vec<_>>().join(", ");
        if records.is_empty() {
            diagnostics.push(Diagnostic::new(
                "V1010",
                table.source.as_str(),
                format!(
                    "no rows for queue {} (the file has: {})",
                    crate::error::echo(queue),
                    known()
                ),
                "check the queue id against the file's queue column",
            ));
            continue;
        }
        match history_from_records(table, records, queue, interval_minutes, zone) {
            Ok(history) => out.push(history),
            Err(Error::Input(list)) => diagnostics.extend(list),
            Err(other) => return Err(other),
        }
    }
    if diagnostics.is_empty() {
        Ok(out)
    } else {
        Err(Error::Input(diagnostics))
    }
}

/// Builds one queue's history from a validated volume table.
pub fn queue_history(
    table: &VolumeTable,
    queue: &str,
    interval_minutes: u32,
    zone: Tz,
) -> Result<QueueHistory> {
    let records: Vec<&VolumeRecord> = table.records_for(queue).collect();
    history_from_records(table, &records, queue, interval_minutes, zone)
}

fn history_from_records(
    table: &VolumeTable,
    records: &[&VolumeRecord],
    queue: &str,
    interval_minutes: u32,
    zone: Tz,
) -> Result<QueueHistory> {
    let source = table.source.as_str();
    if interval_minutes == 0 || 1440 % interval_minutes != 0 {
        return Err(Error::input(
            "F1005",
            source,
            format!("a {interval_minutes}-minute interval does not divide the day"),
            "use 5, 10, 15, 30 or 60 minutes",
        ));
    }
    if records.is_empty() {
        return Err(Error::input(
            "V1010",
            source,
            format!(
                "no rows for queue {} (the file has: {})",
                crate::error::echo(queue),
                table.queues().join(", ")
            ),
            "check the queue id against the file's queue column",
        ));
    }
    let rows: Vec<LocalRow> = records.iter().map(|r| local_row(r, zone)).collect();
    let plan_seconds = i64::from(interval_minutes) * 60;
    let step = if rows.len() < 2 {
        plan_seconds
    } else {
        row_step(&rows)
    };
    check_mixed_lengths(&rows, step, source)?;
    check_alignment(&rows, step, source, zone)?;
    if step > plan_seconds || plan_seconds % step != 0 {
        return Err(Error::input(
            "V1007",
            source,
            format!(
                "queue {}: rows are {} apart, which does not divide the plan's \
                 {interval_minutes}-minute interval",
                crate::error::echo(queue),
                minutes_text(step)
            ),
            "export the history at the plan's interval or a divisor of it (5, 10, 15 minutes), \
             or forecast with --interval set to a multiple of the row interval",
        ));
    }
    let first_date = rows[0].date;
    let last_date = rows[rows.len() - 1].date;
    let span = (last_date - first_date).num_days() + 1;
    if span > MAX_HISTORY_DAYS {
        return Err(Error::input(
            "F1006",
            source,
            format!(
                "queue {}: history spans {span} days ({first_date} to {last_date})",
                crate::error::echo(queue)
            ),
            format!(
                "keep at most the last {MAX_HISTORY_DAYS} days (older history does not help a \
                 forecast); check for a mistyped year"
            ),
        ));
    }
    let slots = (1440 / interval_minutes) as usize;
    let has_aht = table.has_aht;
    let mut days: Vec<Option<DayVolume>> = vec![None; span as usize];
    for row in &rows {
        let index = (row.date - first_date).num_days() as usize;
        let slot = (row.second_of_day as usize / 60) / interval_minutes as usize;
        let day = days[index].get_or_insert_with(|| DayVolume {
            volume: vec![0.0; slots],
            total: 0.0,
            handled: has_aht.then(|| (vec![0.0; slots], vec![0.0; slots])),
        });
        day.volume[slot] += row.record.volume;
        if let (Some((handled, known)), Some(aht)) = (&mut day.handled, row.record.aht_seconds) {
            handled[slot] += row.record.volume * aht;
            known[slot] += row.record.volume;
        }
    }
    for (index, day) in days.iter_mut().enumerate() {
        if let Some(day) = day {
            let date = first_date + Duration::days(index as i64);
            normalise_dst_day(day, date, zone, interval_minutes);
            day.total = day.volume.iter().sum();
        }
    }
    Ok(QueueHistory::finish(
        queue,
        source,
        zone,
        interval_minutes,
        (step / 60) as u32,
        first_date,
        days,
        has_aht,
    ))
}

/// The row interval of a table in whole minutes (the longest over its queues; 15 when it
/// cannot be told).
pub fn row_minutes(table: &VolumeTable, zone: Tz) -> u32 {
    rows_by_queue(table)
        .values()
        .filter_map(|records| {
            let rows: Vec<LocalRow> = records.iter().map(|r| local_row(r, zone)).collect();
            (rows.len() > 1).then(|| (row_step(&rows) / 60).clamp(1, 1440) as u32)
        })
        .max()
        .unwrap_or(15)
}

/// The rows of each queue in file order, in one pass (files hold hundreds of thousands of
/// rows); a file without a queue column is one queue named "".
fn rows_by_queue(table: &VolumeTable) -> BTreeMap<&str, Vec<&VolumeRecord>> {
    let mut by_queue: BTreeMap<&str, Vec<&VolumeRecord>> = BTreeMap::new();
    for record in &table.records {
        by_queue
            .entry(record.queue.as_deref().unwrap_or(""))
            .or_default()
            .push(record);
    }
    by_queue
}

fn local_row(record: &VolumeRecord, zone: Tz) -> LocalRow<'_> {
    let local = record.interval_start.with_timezone(&zone);
    LocalRow {
        record,
        date: local.date_naive(),
        second_of_day: local.num_seconds_from_midnight(),
    }
}

fn minutes_text(seconds: i64) -> String {
    if seconds % 60 == 0 {
        format!("{} minutes", seconds / 60)
    } else {
        format!("{seconds} seconds")
    }
}

/// The row interval: the most common positive spacing between consecutive rows of a day
/// (ties: the shorter), in seconds. Falls back to the smallest spacing across days.
fn row_step(rows: &[LocalRow]) -> i64 {
    let mut counts: BTreeMap<i64, usize> = BTreeMap::new();
    for pair in rows.windows(2) {
        if pair[0].date == pair[1].date {
            let gap = i64::from(pair[1].second_of_day) - i64::from(pair[0].second_of_day);
            if gap > 0 {
                *counts.entry(gap).or_default() += 1;
            }
        }
    }
    if let Some((&gap, _)) = counts.iter().max_by(|a, b| a.1.cmp(b.1).then(b.0.cmp(a.0))) {
        return gap;
    }
    rows.windows(2)
        .map(|p| (p[1].record.interval_start - p[0].record.interval_start).num_seconds())
        .filter(|&d| d > 0)
        .min()
        .unwrap_or(3600)
        .min(3600)
}

/// Refuses files whose rows change interval length: a run of rows spaced finer than the row
/// interval, or a whole day regularly spaced at a multiple of it.
fn check_mixed_lengths(rows: &[LocalRow], step: i64, source: &str) -> Result<()> {
    let mut finer: BTreeMap<i64, (usize, u64)> = BTreeMap::new();
    for pair in rows.windows(2) {
        if pair[0].date != pair[1].date {
            continue;
        }
        let gap = i64::from(pair[1].second_of_day) - i64::from(pair[0].second_of_day);
        if gap > 0 && gap < step && step % gap == 0 {
            let entry = finer.entry(gap).or_insert((0, pair[1].record.line));
            entry.0 += 1;
        }
    }
    let example_line = |wanted: i64| {
        rows.windows(2)
            .find(|p| {
                p[0].date == p[1].date
                    && i64::from(p[1].second_of_day) - i64::from(p[0].second_of_day) == wanted
            })
            .map_or(0, |p| p[1].record.line)
    };
    if let Some((&gap, &(_, line))) = finer.iter().find(|(_, (count, _))| *count >= 3) {
        return Err(mixed(source, line, gap, example_line(step), step));
    }
    // A day spaced regularly at k × step over many rows is a coarser export mixed in.
    let mut start = 0;
    while start < rows.len() {
        let mut end = start + 1;
        while end < rows.len() && rows[end].date == rows[start].date {
            end += 1;
        }
        let day = &rows[start..end];
        if day.len() >= 8 {
            let gaps: Vec<i64> = day
                .windows(2)
                .map(|p| i64::from(p[1].second_of_day) - i64::from(p[0].second_of_day))
                .collect();
            let first = gaps[0];
            if first > step && gaps.iter().all(|&g| g == first) {
                return Err(mixed(
                    source,
                    day[1].record.line,
                    first,
                    example_line(step),
                    step,
                ));
            }
        }
        start = end;
    }
    Ok(())
}

fn mixed(source: &str, line: u64, gap: i64, other_line: u64, step: i64) -> Error {
    Error::input(
        "F1002",
        format!("{source}:{line} column interval_start"),
        format!(
            "rows here are {} apart, but {} apart elsewhere (e.g. line {other_line}): mixed \
             interval lengths",
            minutes_text(gap),
            minutes_text(step)
        ),
        "export the whole history at one interval length (re-aggregate the finer part)",
    )
}

/// Every row must start on the row grid counted from local midnight.
fn check_alignment(rows: &[LocalRow], step: i64, source: &str, zone: Tz) -> Result<()> {
    let mut diagnostics = Vec::new();
    let mut count = 0usize;
    for row in rows {
        if i64::from(row.second_of_day) % step != 0 {
            count += 1;
            if diagnostics.len() < MAX_ROW_ERRORS {
                diagnostics.push(Diagnostic::new(
                    "V1007",
                    format!("{source}:{} column interval_start", row.record.line),
                    format!(
                        "{} is not on the {} grid of this file",
                        format_local(row.record.interval_start, zone),
                        minutes_text(step)
                    ),
                    "round timestamps to the start of their interval",
                ));
            }
        }
    }
    if count > MAX_ROW_ERRORS {
        diagnostics.push(Diagnostic::new(
            "V1007",
            source,
            format!(
                "{} more rows are off the grid (only the first {MAX_ROW_ERRORS} are listed)",
                count - MAX_ROW_ERRORS
            ),
            "round every timestamp to the start of its interval",
        ));
    }
    if diagnostics.is_empty() {
        Ok(())
    } else {
        Err(Error::Input(diagnostics))
    }
}

/// Puts a DST day on the regular slot grid: the repeated hour is averaged, the skipped hour
/// interpolated.
fn normalise_dst_day(day: &mut DayVolume, date: NaiveDate, zone: Tz, interval_minutes: u32) {
    let start = local_day_start(zone, date);
    let end = local_day_start(zone, date + Duration::days(1));
    if (end - start).num_seconds() == 86_400 {
        return;
    }
    let slots = day.volume.len();
    let step = Duration::minutes(i64::from(interval_minutes));
    let mut occurrences = vec![0u32; slots];
    let mut t: DateTime<Utc> = start;
    while t < end {
        let local = t.with_timezone(&zone);
        if local.date_naive() == date {
            let slot = (local.num_seconds_from_midnight() / 60 / interval_minutes) as usize;
            if slot < slots {
                occurrences[slot] += 1;
            }
        }
        t += step;
    }
    for slot in 0..slots {
        if occurrences[slot] > 1 {
            let n = f64::from(occurrences[slot]);
            day.volume[slot] /= n;
            if let Some((handled, known)) = &mut day.handled {
                handled[slot] /= n;
                known[slot] /= n;
            }
        }
    }
    for slot in 0..slots {
        if occurrences[slot] == 0 {
            let before = (0..slot).rev().find(|&s| occurrences[s] > 0);
            let after = (slot + 1..slots).find(|&s| occurrences[s] > 0);
            let value = |s: Option<usize>| s.map(|s| day.volume[s]);
            day.volume[slot] = match (value(before), value(after)) {
                (Some(a), Some(b)) => (a + b) / 2.0,
                (Some(a), None) | (None, Some(a)) => a,
                (None, None) => 0.0,
            };
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn date(y: i32, m: u32, d: u32) -> NaiveDate {
        NaiveDate::from_ymd_opt(y, m, d).unwrap()
    }

    #[test]
    fn same_weekday_walks_back_by_weeks_and_skips_gaps() {
        // 2026-11-02 is a Monday; 21 days, Monday of the middle week missing.
        let days: Vec<Option<Vec<f64>>> = (0..21)
            .map(|i| (i != 7).then(|| vec![i as f64 + 1.0; 24]))
            .collect();
        let h = QueueHistory::from_days("q", Tz::UTC, 60, date(2026, 11, 2), days);
        let mondays: Vec<usize> = h
            .same_weekday_before(21, Weekday::Mon)
            .map(|d| d.0)
            .collect();
        assert_eq!(mondays, vec![14, 0]);
        let tuesdays: Vec<usize> = h
            .same_weekday_before(16, Weekday::Tue)
            .map(|d| d.0)
            .collect();
        assert_eq!(tuesdays, vec![15, 8, 1]);
        assert_eq!(h.report().missing_days, vec![date(2026, 11, 9)]);
    }
}
