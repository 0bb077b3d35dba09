//! Volume CSVs (forecasts and interval history): `interval_start,queue,volume[,aht_seconds]`.
//!
//! `interval_start` is ISO 8601 with an offset (exact) or local time in the plan's zone. The
//! count column may be called `volume`, `offered` or `calls`; `queue` may be left out when the
//! file holds one queue. Every row is checked; problems name the file, line and column.

use std::collections::BTreeMap;
use std::io::Read;
use std::path::Path;

use chrono::{DateTime, Utc};
use chrono_tz::Tz;

use crate::error::{CodeInfo, Diagnostic, Error, Result, echo};
use crate::time::{Horizon, parse_timestamp};
use crate::units::format_value;

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "V1001",
        title: "CSV cannot be read",
        explanation: "The file is not well-formed CSV at the line given: a row with a different \
                      number of fields than the header, or invalid UTF-8. Re-export the file as \
                      UTF-8 CSV with one header row.",
    },
    CodeInfo {
        code: "V1002",
        title: "required column missing",
        explanation: "Volume files need an interval_start column and a count column named \
                      volume, offered or calls. History files from an ACD usually need the \
                      header renamed.",
    },
    CodeInfo {
        code: "V1003",
        title: "not a number",
        explanation: "A count or handle-time cell holds text. Use plain decimal numbers with a \
                      dot (1234.5), no thousands separators.",
    },
    CodeInfo {
        code: "V1004",
        title: "volume out of range",
        explanation: "Volumes must be finite, zero or more, and below 10,000,000 contacts per \
                      interval. A negative count usually comes from a correction row in the \
                      export; fix it at the source.",
    },
    CodeInfo {
        code: "V1005",
        title: "duplicate interval",
        explanation: "Two rows have the same interval_start for the same queue. Merge them (sum \
                      the counts) or delete one.",
    },
    CodeInfo {
        code: "V1006",
        title: "rows out of order",
        explanation: "Rows of one queue must be in increasing time order. Sort the file by \
                      queue and interval_start.",
    },
    CodeInfo {
        code: "V1007",
        title: "interval not aligned",
        explanation: "Timestamps must fall on the interval grid (e.g. :00, :15, :30, :45 for a \
                      15-minute grid), and the file's interval must divide the plan's (5-minute \
                      rows can be summed into 15-minute intervals, 20-minute rows cannot).",
    },
    CodeInfo {
        code: "V1008",
        title: "forecast does not cover the plan",
        explanation: "The plan needs a volume for every interval in which the queue is open. \
                      Intervals outside opening hours may be left out. Extend the forecast, or \
                      adjust the plan's dates or the queue's opening hours.",
    },
    CodeInfo {
        code: "V1009",
        title: "no data rows",
        explanation: "The file is empty or has only a header.",
    },
    CodeInfo {
        code: "V1010",
        title: "queue not in file",
        explanation: "The file has a queue column but no rows for this queue id. Check the \
                      spelling of the id in the scenario against the file.",
    },
    CodeInfo {
        code: "V1011",
        title: "unknown column",
        explanation: "A column the format does not know, often a misspelt one (aht_secs for \
                      aht_seconds) that would otherwise be silently ignored. Rename or remove it. \
                      Accepted: interval_start (or timestamp), local_start, queue, \
                      volume|offered|calls, \
                      aht_seconds, volume_low, volume_high.",
    },
    CodeInfo {
        code: "V1012",
        title: "handle time out of range",
        explanation: "aht_seconds must be greater than zero and at most 86,400 (one day).",
    },
    CodeInfo {
        code: "V1013",
        title: "queue not in the scenario",
        explanation: "A forecast or history file has rows for a queue that no [[queue]] of the \
                      scenario has (or rows with an empty queue cell). Such rows used to be \
                      ignored: a queue renamed in the ACD, or spelt in another case (Support \
                      for support), silently lost its volume. Correct the id in the file or the \
                      scenario, add the queue, or remove its rows. The message names the queue, \
                      the file and the line of its first row.",
    },
];

/// Most row diagnostics reported from one file before the rest are summarised.
const MAX_ROW_ERRORS: usize = 20;

/// Largest volume accepted for one interval.
pub const MAX_VOLUME: f64 = 10_000_000.0;

/// One validated row.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeRecord {
    /// Line in the file (1-based, header is line 1).
    pub line: u64,
    /// Interval start, UTC.
    pub interval_start: DateTime<Utc>,
    /// Queue id, when the file has a queue column.
    pub queue: Option<String>,
    /// Contacts offered.
    pub volume: f64,
    /// Average handle time, when the file has that column.
    pub aht_seconds: Option<f64>,
}

/// All rows of a volume file, validated and in file order.
#[derive(Debug, Clone, PartialEq)]
pub struct VolumeTable {
    /// File name used in messages.
    pub source: String,
    /// The rows.
    pub records: Vec<VolumeRecord>,
    /// True when the file has a `queue` column.
    pub has_queue_column: bool,
    /// True when the file has an `aht_seconds` column.
    pub has_aht: bool,
}

impl VolumeTable {
    /// Queue ids present in the file, sorted.
    pub fn queues(&self) -> Vec<String> {
        let mut ids: Vec<String> = self
            .records
            .iter()
            .filter_map(|r| r.queue.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }

    /// Rows of one queue (all rows when the file has no queue column).
    pub fn records_for<'a>(&'a self, queue: &'a str) -> impl Iterator<Item = &'a VolumeRecord> {
        self.records
            .iter()
            .filter(move |r| r.queue.as_deref().is_none_or(|q| q == queue))
    }
}

const KNOWN_COLUMNS: [&str; 10] = [
    "interval_start",
    "timestamp",
    "local_start",
    "queue",
    "volume",
    "offered",
    "calls",
    "aht_seconds",
    "volume_low",
    "volume_high",
];

/// Reads a volume file from disk.
pub fn load_volume_file(path: &Path, zone: Tz) -> Result<VolumeTable> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_volume_csv(
        std::io::BufReader::new(file),
        &path.display().to_string(),
        zone,
    )
}

/// The header as a message shows it: each name cut by [`echo`], at most ten of them.
fn header_text(names: &[String]) -> String {
    let mut shown: Vec<String> = names
        .iter()
        .take(10)
        .map(|n| {
            if n.len() <= crate::error::ECHO_CHARS {
                n.clone()
            } else {
                echo(n)
            }
        })
        .collect();
    if names.len() > 10 {
        shown.push(format!("… ({} columns)", names.len()));
    }
    shown.join(",")
}

fn parse_number(text: &str) -> std::result::Result<f64, ()> {
    text.trim().parse::<f64>().map_err(|_| ())
}

/// Reads and validates a volume CSV. `source` names the file in messages; local timestamps
/// are read in `zone`.
pub fn read_volume_csv<R: Read>(reader: R, source: &str, zone: Tz) -> Result<VolumeTable> {
    let mut csv = crate::csvio::reader(reader);
    let headers = csv
        .headers()
        .map_err(|e| {
            crate::csvio::csv_not_utf8(&e, source).unwrap_or_else(|| {
                Error::input(
                    "V1001",
                    source,
                    format!("cannot read the header: {e}"),
                    "save the file as UTF-8 CSV with a header row",
                )
            })
        })?
        .clone();
    let names: Vec<String> = headers
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_ascii_lowercase())
        .collect();
    let mut diagnostics = Vec::new();
    for (column, name) in names.iter().enumerate() {
        if let Some(first) = names[..column].iter().position(|n| n == name) {
            diagnostics.push(Diagnostic::new(
                "V1001",
                format!("{source}:1 column {}", echo(name)),
                format!(
                    "column {} appears twice (columns {} and {})",
                    echo(name),
                    first + 1,
                    column + 1
                ),
                "keep one of the two columns",
            ));
            continue;
        }
        if !KNOWN_COLUMNS.contains(&name.as_str()) {
            let fix = match crate::scenario::toml_input::closest(name, &KNOWN_COLUMNS) {
                Some(best) => format!("did you mean `{best}`? rename or remove the column"),
                None => "remove the column or rename it to one of interval_start, queue, volume, \
                         aht_seconds"
                    .into(),
            };
            diagnostics.push(Diagnostic::new(
                "V1011",
                format!("{source}:1 column {}", echo(name)),
                format!("unknown column {}", echo(name)),
                fix,
            ));
        }
    }
    let column = |wanted: &[&str]| names.iter().position(|n| wanted.contains(&n.as_str()));
    for synonyms in [
        &["interval_start", "timestamp"][..],
        &["volume", "offered", "calls"],
    ] {
        let present: Vec<&str> = names
            .iter()
            .map(String::as_str)
            .filter(|n| synonyms.contains(n))
            .collect();
        if present.len() > 1 && present.iter().skip(1).any(|n| *n != present[0]) {
            diagnostics.push(Diagnostic::new(
                "V1001",
                format!("{source}:1"),
                format!(
                    "columns {} mean the same thing; which one to read is ambiguous",
                    present.join(" and ")
                ),
                "keep one of them",
            ));
        }
    }
    // `timestamp` is what many ACD exports call the interval start.
    let time_col = column(&["interval_start", "timestamp"]);
    let count_col = column(&["volume", "offered", "calls"]);
    let queue_col = column(&["queue"]);
    let aht_col = column(&["aht_seconds"]);
    if time_col.is_none() {
        diagnostics.push(Diagnostic::new(
            "V1002",
            format!("{source}:1"),
            format!("no interval_start column (header: {})", header_text(&names)),
            "add an interval_start column with ISO 8601 timestamps",
        ));
    }
    if count_col.is_none() {
        diagnostics.push(Diagnostic::new(
            "V1002",
            format!("{source}:1"),
            format!("no count column (header: {})", header_text(&names)),
            "name the contact count column volume, offered or calls",
        ));
    }
    if !diagnostics.is_empty() {
        return Err(Error::Input(diagnostics));
    }
    let (time_col, count_col) = (time_col.unwrap_or(0), count_col.unwrap_or(0));
    let mut records = Vec::new();
    let mut last_seen: BTreeMap<Option<String>, (DateTime<Utc>, u64)> = BTreeMap::new();
    let mut suppressed = 0usize;
    let mut push = |diagnostics: &mut Vec<Diagnostic>, d: Diagnostic| {
        if diagnostics.len() < MAX_ROW_ERRORS {
            diagnostics.push(d);
        } else {
            suppressed += 1;
        }
    };
    for row in csv.records() {
        let row = match row {
            Ok(row) => row,
            Err(e) => {
                let line = e.position().map_or(0, |p| p.line());
                let diagnostic = match crate::csvio::csv_not_utf8(&e, source) {
                    Some(not_utf8) => not_utf8.diagnostics().remove(0),
                    None => Diagnostic::new(
                        "V1001",
                        format!("{source}:{line}"),
                        format!("malformed CSV row: {e}"),
                        "give every row as many fields as the header",
                    ),
                };
                push(&mut diagnostics, diagnostic);
                continue;
            }
        };
        let line = row.position().map_or(0, |p| p.line());
        if row.iter().all(|cell| cell.is_empty()) {
            continue;
        }
        let place = |col: &str| format!("{source}:{line} column {col}");
        let time_text = row.get(time_col).unwrap_or("");
        let instant = match parse_timestamp(time_text, zone) {
            Ok(t) => Some(t),
            Err(e) => {
                push(
                    &mut diagnostics,
                    Diagnostic::new(e.code(), place("interval_start"), e.cause(zone), e.fix()),
                );
                None
            }
        };
        let count_name = names[count_col].as_str();
        let volume = match parse_number(row.get(count_col).unwrap_or("")) {
            Err(()) => {
                push(
                    &mut diagnostics,
                    Diagnostic::new(
                        "V1003",
                        place(count_name),
                        format!("{} is not a number", echo(row.get(count_col).unwrap_or(""))),
                        "write the count as a plain number, e.g. 42",
                    ),
                );
                None
            }
            Ok(v) if !(v.is_finite() && (0.0..=MAX_VOLUME).contains(&v)) => {
                push(
                    &mut diagnostics,
                    Diagnostic::new(
                        "V1004",
                        place(count_name),
                        format!(
                            "volume {} is out of range (0 to {MAX_VOLUME})",
                            format_value(v)
                        ),
                        "give the count of contacts in the interval, from 0 to 10000000 (a negative count is a correction row of the export)",
                    ),
                );
                None
            }
            Ok(v) => Some(v),
        };
        let aht_seconds = match aht_col.map(|c| row.get(c).unwrap_or("")) {
            None | Some("") => None,
            Some(text) => match parse_number(text) {
                Ok(a) if a.is_finite() && a > 0.0 && a <= 86_400.0 => Some(a),
                Ok(a) => {
                    push(
                        &mut diagnostics,
                        Diagnostic::new(
                            "V1012",
                            place("aht_seconds"),
                            format!("handle time {} s is out of range", format_value(a)),
                            "give a handle time between 1 and 86400 seconds, or leave the cell empty",
                        ),
                    );
                    None
                }
                Err(()) => {
                    push(
                        &mut diagnostics,
                        Diagnostic::new(
                            "V1003",
                            place("aht_seconds"),
                            format!("{} is not a number", echo(text)),
                            "write the handle time in seconds, e.g. 240",
                        ),
                    );
                    None
                }
            },
        };
        let queue = queue_col.map(|c| row.get(c).unwrap_or("").to_string());
        if let Some(instant) = instant {
            if let Some(&(previous, previous_line)) = last_seen.get(&queue) {
                if instant == previous {
                    push(
                        &mut diagnostics,
                        Diagnostic::new(
                            "V1005",
                            place("interval_start"),
                            format!("interval {time_text} repeats line {previous_line}"),
                            "merge or delete the duplicated row",
                        ),
                    );
                } else if instant < previous {
                    push(
                        &mut diagnostics,
                        Diagnostic::new(
                            "V1006",
                            place("interval_start"),
                            format!("interval {time_text} comes before line {previous_line}'s"),
                            "sort the rows by queue and interval_start",
                        ),
                    );
                }
            }
            // Update in place: a history file has hundreds of thousands of rows.
            match last_seen.get_mut(&queue) {
                Some(seen) => *seen = (instant, line),
                None => {
                    last_seen.insert(queue.clone(), (instant, line));
                }
            }
        }
        if let (Some(interval_start), Some(volume)) = (instant, volume) {
            records.push(VolumeRecord {
                line,
                interval_start,
                queue,
                volume,
                aht_seconds,
            });
        }
    }
    if suppressed > 0 {
        diagnostics.push(Diagnostic::new(
            diagnostics[0].code,
            source,
            format!(
                "{suppressed} more rows have problems (only the first {MAX_ROW_ERRORS} are listed)"
            ),
            "fix the rows above and run again",
        ));
    }
    if !diagnostics.is_empty() {
        return Err(Error::Input(diagnostics));
    }
    if records.is_empty() {
        return Err(Error::input(
            "V1009",
            source,
            "the file has no data rows",
            "export at least one interval row below the header",
        ));
    }
    Ok(VolumeTable {
        source: source.to_string(),
        records,
        has_queue_column: queue_col.is_some(),
        has_aht: aht_col.is_some(),
    })
}

/// Refuses (`V1013`) rows that name a queue not in `known` (the scenario's queues): one
/// diagnostic per unknown queue, at its first row, with the number of its rows. A row with an
/// empty queue cell counts as naming the queue `""`. Nothing is checked in a file without a
/// queue column.
pub fn check_known_queues(table: &VolumeTable, known: &[&str]) -> Result<()> {
    if !table.has_queue_column {
        return Ok(());
    }
    // (queue, first line, rows) per unknown queue, in order of first appearance; indexed by
    // queue, since a damaged file may name a new queue on every one of a million rows.
    let mut unknown: Vec<(&str, u64, usize)> = Vec::new();
    let mut index: std::collections::HashMap<&str, usize> = std::collections::HashMap::new();
    for record in &table.records {
        let queue = record.queue.as_deref().unwrap_or("");
        if known.contains(&queue) {
            continue;
        }
        match index.get(queue) {
            Some(&i) => unknown[i].2 += 1,
            None => {
                index.insert(queue, unknown.len());
                unknown.push((queue, record.line, 1));
            }
        }
    }
    if unknown.is_empty() {
        return Ok(());
    }
    let shown = unknown.len().min(MAX_ROW_ERRORS);
    let mut diagnostics: Vec<Diagnostic> = unknown[..shown]
        .iter()
        .map(|&(queue, line, rows)| {
            let place = format!("{}:{line} column queue", table.source);
            let rows = if rows == 1 {
                "1 row".to_string()
            } else {
                format!("{rows} rows")
            };
            if queue.is_empty() {
                return Diagnostic::new(
                    "V1013",
                    place,
                    format!("the queue cell is empty ({rows})"),
                    format!(
                        "write the queue id in every row (the scenario has: {})",
                        known.join(", ")
                    ),
                );
            }
            let hint = match crate::scenario::toml_input::closest(queue, known) {
                Some(best) => format!("did you mean {best:?}? "),
                None => String::new(),
            };
            Diagnostic::new(
                "V1013",
                place,
                format!(
                    "queue {} is not in the scenario ({rows}; the scenario has: {})",
                    echo(queue),
                    known.join(", ")
                ),
                format!(
                    "{hint}correct the queue id, add a [[queue]] for it to the scenario, or \
                     remove its rows from the file"
                ),
            )
        })
        .collect();
    if unknown.len() > shown {
        diagnostics.push(Diagnostic::new(
            "V1013",
            table.source.as_str(),
            format!(
                "{} more queues are not in the scenario (only the first {MAX_ROW_ERRORS} are \
                 listed)",
                unknown.len() - shown
            ),
            "correct the queue ids or remove their rows",
        ));
    }
    Err(Error::Input(diagnostics))
}

/// Volume and handle time of one queue on the plan's grid.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueVolume {
    /// Queue id.
    pub queue: String,
    /// Contacts per interval.
    pub volume: Vec<f64>,
    /// Average handle time per interval, seconds.
    pub aht_seconds: Vec<f64>,
}

/// Puts one queue's rows on the plan's grid. Rows may be at the plan's interval or a finer one
/// that divides it (summed; AHT volume-weighted). Rows outside the horizon are ignored. Every
/// interval in which the queue is open (`open[i]`) must be fully covered.
pub fn align_to_horizon(
    table: &VolumeTable,
    queue: &str,
    horizon: &Horizon,
    default_aht: f64,
    open: &[bool],
) -> Result<QueueVolume> {
    let source = &table.source;
    if table.has_queue_column && table.records_for(queue).next().is_none() {
        return Err(Error::input(
            "V1010",
            source.as_str(),
            format!(
                "no rows for queue {queue:?} (the file has: {})",
                table.queues().join(", ")
            ),
            "check the queue id in the scenario against the file's queue column",
        ));
    }
    let records: Vec<&VolumeRecord> = table.records_for(queue).collect();
    let interval = horizon.interval_seconds() as i64;
    let step = records
        .windows(2)
        .map(|w| (w[1].interval_start - w[0].interval_start).num_seconds())
        .filter(|&d| d > 0)
        .min()
        .map_or(interval, |d| d.min(interval));
    if interval % step != 0 {
        return Err(Error::input(
            "V1007",
            source.as_str(),
            format!(
                "rows are {step} s apart, which does not divide the plan's {interval} s interval"
            ),
            "export the history at the plan's interval or a divisor of it (5, 10, 15 minutes)",
        ));
    }
    let per_interval = (interval / step) as usize;
    let n = horizon.len();
    let mut volume = vec![0.0; n];
    let mut handled = vec![0.0; n];
    let mut aht_sum = vec![0.0; n];
    let mut aht_count = vec![0usize; n];
    let mut rows = vec![0usize; n];
    let mut diagnostics = Vec::new();
    for record in records {
        let Some(i) = horizon.index_containing(record.interval_start) else {
            continue;
        };
        let offset = (record.interval_start - horizon.start(i)).num_seconds();
        if offset % step != 0 {
            if diagnostics.len() < MAX_ROW_ERRORS {
                diagnostics.push(Diagnostic::new(
                    "V1007",
                    format!("{source}:{} column interval_start", record.line),
                    format!(
                        "{} is not on the {}-minute grid",
                        crate::time::format_utc(record.interval_start),
                        step / 60
                    ),
                    "round timestamps to the start of their interval",
                ));
            }
            continue;
        }
        volume[i] += record.volume;
        rows[i] += 1;
        if let Some(aht) = record.aht_seconds {
            handled[i] += record.volume * aht;
            aht_sum[i] += aht;
            aht_count[i] += 1;
        }
    }
    if !diagnostics.is_empty() {
        return Err(Error::Input(diagnostics));
    }
    let missing: Vec<usize> = (0..n)
        .filter(|&i| open[i] && rows[i] < per_interval)
        .collect();
    if let Some(&first) = missing.first() {
        let zone = horizon.zone();
        let listed: Vec<String> = missing
            .iter()
            .take(3)
            .map(|&i| crate::time::format_local(horizon.start(i), zone))
            .collect();
        return Err(Error::input(
            "V1008",
            source.as_str(),
            format!(
                "queue {queue:?} has no volume for {} open interval(s) of the plan, first {} \
                 (e.g. {})",
                missing.len(),
                crate::time::format_local(horizon.start(first), zone),
                listed.join(", ")
            ),
            "extend the forecast to every open interval of the plan, or adjust the plan dates \
             or opening hours",
        ));
    }
    let aht_seconds = (0..n)
        .map(|i| {
            if volume[i] > 0.0 && handled[i] > 0.0 {
                handled[i] / volume[i]
            } else if aht_count[i] > 0 {
                aht_sum[i] / aht_count[i] as f64
            } else {
                default_aht
            }
        })
        .collect();
    Ok(QueueVolume {
        queue: queue.to_string(),
        volume,
        aht_seconds,
    })
}
