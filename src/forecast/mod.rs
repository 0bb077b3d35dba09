//! Interval volume forecasts from history, with the method chosen by backtest and an honest
//! accuracy figure.
//!
//! 1. [`history`] reads an interval history (`interval_start,queue,offered[,aht_seconds]`)
//!    onto the plan's grid, one record per local day, and reports gaps and closed weekdays.
//! 2. [`methods`] holds the methods behind one trait: seasonal naive, weighted same-weekday
//!    average, double-seasonal Holt-Winters, daily total × intraday profile.
//! 3. [`mod@backtest`] scores them on a rolling origin over the last weeks of history at the
//!    plan's horizon; `auto` takes the lowest WAPE.
//! 4. The chosen method forecasts the plan's days; its backtest errors give an 80 % prediction
//!    interval per interval; special days are applied on top; AHT comes from the history's
//!    same-weekday profile when it has handle times.
//!
//! **Weekday-only centers.** A "week" is the set of weekdays that have volume in the
//! history: 5 days for a center closed at weekends. Methods look up the same weekday by date
//! (seasonal naive = the last observed day of the same weekday), Holt-Winters runs on the
//! open-weekday dates only (so its weekly cycle is 5 days × the open slots), and weekdays
//! without any volume forecast 0. A missing day on an open weekday (a holiday, an export hole)
//! is listed in the [`HistoryReport`] and skipped, never read as zero.
//!
//! **Prediction intervals.** From the chosen method's backtest errors, scaled by
//! √max(forecast, 1) and grouped by slot of the day (neighbouring slots pooled until 200
//! errors): the 10 % and 90 % quantiles. Measured on the bank call data (64 rolling origins,
//! `examples/forecast_accuracy.rs`) the 80 % interval covers 74–77 % of intervals: close, a
//! little narrow, because four weeks of errors understate the spread of the weeks after
//! them. Without enough history to backtest, a Poisson interval (±1.28 √forecast) is used.
//!
//! **Speed.** A week of 15-minute intervals for 10 queues from a year of 15-minute history,
//! `auto` included, takes about 0.1 s of CPU after reading the CSV (`benches/forecast.rs`).
//!
//! ```
//! use chrono::NaiveDate;
//! use staffplan::forecast::{self, ForecastSettings, MethodChoice, MethodKind};
//! use staffplan::forecast::history::QueueHistory;
//! use staffplan::time::Horizon;
//!
//! // Four weeks of hourly history with the same weekly pattern every week.
//! let first = NaiveDate::from_ymd_opt(2026, 10, 26).unwrap();
//! let days = (0..28)
//!     .map(|d| Some((0..24).map(|h| ((d % 7) * 10 + h) as f64).collect()))
//!     .collect();
//! let history = QueueHistory::from_days("support", chrono_tz::UTC, 60, first, days);
//! let horizon = Horizon::new(NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(), 7, 60, chrono_tz::UTC)?;
//! let settings = ForecastSettings {
//!     method: MethodChoice::Fixed(MethodKind::SeasonalNaive),
//!     ..ForecastSettings::default()
//! };
//! let result = forecast::forecast_queue(&history, &horizon, &settings, &[], None)?;
//! assert_eq!(result.volume[9], 9.0); // Monday 09:00, as every Monday
//! # Ok::<(), staffplan::Error>(())
//! ```

pub mod aht;
pub mod backtest;
pub mod history;
pub mod methods;

use std::io::{Read, Write};
use std::path::Path;

use chrono::{Datelike, NaiveDate};
use chrono_tz::Tz;

use crate::csvio::{interval_cells, optional_number, write_rows};
use crate::error::{CodeInfo, Error, Result};
use crate::scenario::special_days::{SpecialDay, factor_on};
use crate::time::Horizon;
use crate::units::format_number;
use crate::volume::{VolumeTable, read_volume_csv};
pub use backtest::{Accuracy, Backtest, MethodScore, backtest};
pub use history::{HistoryReport, QueueHistory, histories_from_table};
pub use methods::{ForecastMethod, MethodKind};

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "F1001",
        title: "history too short for the method",
        explanation: "Weekly methods need at least one full week of history before the \
                      forecast start (seasonal-naive and weekday-average: 7 days; profile and \
                      holt-winters: 14 days, two weeks to learn the weekly pattern). auto uses \
                      the methods the history allows and needs 7 days. Export a longer \
                      history, or choose a method with a shorter minimum.",
    },
    CodeInfo {
        code: "F1002",
        title: "mixed interval lengths",
        explanation: "The rows of a history file must all cover the same interval length. Here \
                      some rows are 5 minutes apart and others 15 (for example an export that \
                      changed its setting). Re-export the whole history at one length, or sum \
                      the finer rows into the coarser intervals.",
    },
    CodeInfo {
        code: "F1003",
        title: "no history before the forecast start",
        explanation: "A forecast only uses history before its first day, and the file has none: \
                      every row is on or after --start (or the scenario's plan.start). Check the \
                      start date and the years in the file.",
    },
    CodeInfo {
        code: "F1004",
        title: "invalid special day",
        explanation: "[[special_day]] takes date = 2026-12-24, multiplier = 0.6 (or \"60%\", \
                      \"+20%\", \"-40%\") or multiplier = \"closed\", and optionally name and \
                      queues = [\"sales\"]. A multiplier must be above 0 and at most 100; a \
                      date may appear once per queue. On the command line: --special-day \
                      2026-12-24=0.6 or --special-day 2026-12-25=closed.",
    },
    CodeInfo {
        code: "F1005",
        title: "invalid forecast argument",
        explanation: "A flag of staffplan forecast is out of range: --days 1 to 366, \
                      --interval 5m, 10m, 15m, 30m or 60m, --backtest-weeks 1 to 52, --start a \
                      date (YYYY-MM-DD; required unless --backtest).",
    },
    CodeInfo {
        code: "F1006",
        title: "history spans too long",
        explanation: "The history covers more than ten years, which no forecast needs and \
                      usually means a mistyped year in a timestamp. Keep the recent years.",
    },
    CodeInfo {
        code: "F1007",
        title: "special day outside the plan (warning)",
        explanation: "A [[special_day]] (or --special-day) falls on no local date of the plan, \
                      so it changes nothing. This is a warning, not an error: a holiday list \
                      shared by several plans may keep it. If the day was meant for this plan, \
                      correct its date (local, YYYY-MM-DD).",
    },
    CodeInfo {
        code: "F1008",
        title: "special day names an unknown queue (warning)",
        explanation: "A [[special_day]]'s queues list names a queue that the scenario does not \
                      have (ids are case-sensitive in lists). The special day does not apply to \
                      it; when it names no known queue at all it changes nothing. Use the id of a \
                      [[queue]], or leave queues out to apply the day to every queue.",
    },
    CodeInfo {
        code: "F1009",
        title: "special-day multiplier on a forecast file (warning)",
        explanation: "A multiplier adjusts forecasts made from history; a queue whose volume \
                      comes from a forecast file (forecast = \"...\") is used as given, so the \
                      multiplier does not change it. Change the volume in the file, or forecast \
                      the queue from its history. multiplier = \"closed\" closes any queue.",
    },
];

/// Which method to forecast with.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum MethodChoice {
    /// Per queue, the method with the lowest backtest WAPE.
    Auto,
    /// This method.
    Fixed(MethodKind),
}

impl MethodChoice {
    /// Reads `auto` or a method name.
    pub fn parse(name: &str) -> Option<MethodChoice> {
        if name.trim() == "auto" {
            Some(MethodChoice::Auto)
        } else {
            MethodKind::parse(name).map(MethodChoice::Fixed)
        }
    }
}

/// Forecast settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ForecastSettings {
    /// Method, or `auto`.
    pub method: MethodChoice,
    /// Weeks of history at the end used as backtest origins.
    pub backtest_weeks: usize,
    /// Coverage of the prediction interval (0.8 = from the 10 % to the 90 % quantile).
    pub interval_coverage: f64,
}

impl Default for ForecastSettings {
    fn default() -> Self {
        ForecastSettings {
            method: MethodChoice::Auto,
            backtest_weeks: 4,
            interval_coverage: 0.8,
        }
    }
}

/// The forecast of one queue over the plan's horizon.
#[derive(Debug, Clone, PartialEq)]
pub struct QueueForecast {
    /// Queue id.
    pub queue: String,
    /// The method that made it.
    pub method: MethodKind,
    /// Contacts per horizon interval.
    pub volume: Vec<f64>,
    /// Lower end of the prediction interval.
    pub volume_low: Vec<f64>,
    /// Upper end of the prediction interval.
    pub volume_high: Vec<f64>,
    /// AHT per interval, seconds (`None` when neither the history nor the caller gave one).
    pub aht_seconds: Vec<Option<f64>>,
    /// The backtest behind the choice and the intervals, when the history allowed one.
    pub backtest: Option<Backtest>,
    /// What the history import found.
    pub report: HistoryReport,
    /// Things the planner should know (fallbacks taken).
    pub notes: Vec<String>,
}

/// Reads a history CSV from disk, streamed (an empty file is `V1009`, like a header-only one).
pub fn load_history_file(path: &Path, zone: Tz) -> Result<VolumeTable> {
    let file = std::fs::File::open(path).map_err(|e| Error::io(path, e))?;
    read_history_csv(file, &path.display().to_string(), zone)
}

/// Reads a history CSV (see [`crate::volume::read_volume_csv`] for the row checks). The rows
/// are streamed: only the first 64 KiB are looked at whole, to tell an empty export apart.
pub fn read_history_csv<R: Read>(reader: R, source: &str, zone: Tz) -> Result<VolumeTable> {
    const PEEK: u64 = 64 * 1024;
    let mut head = Vec::new();
    let mut reader = reader;
    (&mut reader)
        .take(PEEK)
        .read_to_end(&mut head)
        .map_err(|e| Error::io(Path::new(source), e))?;
    let blank = |b: &u8| b.is_ascii_whitespace() || *b == 0xEF || *b == 0xBB || *b == 0xBF;
    if (head.len() as u64) < PEEK && head.iter().all(blank) {
        return Err(Error::input(
            "V1009",
            source,
            "the file is empty",
            "export the interval history with a header row \
             (interval_start,queue,offered[,aht_seconds]) and one row per interval",
        ));
    }
    read_volume_csv(std::io::Cursor::new(head).chain(reader), source, zone)
}

/// Forecasts one queue over `horizon` from the history before the horizon's first day.
/// `default_aht` fills AHT where the history has none.
pub fn forecast_queue(
    history: &QueueHistory,
    horizon: &Horizon,
    settings: &ForecastSettings,
    special_days: &[SpecialDay],
    default_aht: Option<f64>,
) -> Result<QueueForecast> {
    let source = history.report().source.clone();
    if history.interval_minutes() != horizon.interval_minutes() {
        return Err(Error::input(
            "V1007",
            source,
            format!(
                "history is on a {}-minute grid, the plan on a {}-minute grid",
                history.interval_minutes(),
                horizon.interval_minutes()
            ),
            "read the history at the plan's interval",
        ));
    }
    let history = history.before(horizon.start_date());
    if history.report().observed_days == 0 {
        return Err(Error::input(
            "F1003",
            source,
            format!(
                "queue {} has no history before the forecast start {}",
                crate::error::echo(history.queue()),
                horizon.start_date()
            ),
            "give history that ends before the first forecast day, or check the start date",
        ));
    }
    let mut notes = Vec::new();
    let horizon_days = horizon.days() as usize;
    let idle_days = (horizon.start_date() - history.report().last_date).num_days() - 1;
    if idle_days > 28 {
        notes.push(format!(
            "queue {}: the history ends {} days before the forecast start; the forecast \
             assumes nothing changed in between",
            history.queue(),
            idle_days
        ));
    }
    let too_short = |name: &str, min: usize| {
        let report = history.report();
        Error::input(
            "F1001",
            source.clone(),
            format!(
                "{name} needs at least {min} days ({} week{}) of history before {}; queue {} \
                 has {} day(s), {} to {}",
                min / 7,
                if min / 7 == 1 { "" } else { "s" },
                horizon.start_date(),
                crate::error::echo(history.queue()),
                history.len(),
                report.first_date,
                report.last_date
            ),
            if min > 7 {
                format!("export at least {min} days of history, or use --method weekday-average")
            } else {
                "export at least a full week of history, so that every weekday has been seen"
                    .to_string()
            },
        )
    };
    let (method, backtest) = match settings.method {
        MethodChoice::Fixed(kind) => {
            let min = kind.create().min_history_days();
            if history.len() < min {
                return Err(too_short(kind.name(), min));
            }
            let backtest = backtest(&history, &[kind], settings.backtest_weeks, horizon_days);
            (kind, backtest)
        }
        MethodChoice::Auto => {
            let candidates: Vec<MethodKind> = MethodKind::ALL
                .into_iter()
                .filter(|k| history.len() >= k.create().min_history_days())
                .collect();
            if candidates.is_empty() {
                let min = MethodKind::ALL
                    .iter()
                    .map(|k| k.create().min_history_days())
                    .min()
                    .unwrap_or(7);
                return Err(too_short("forecasting (every method)", min));
            }
            let backtest = backtest(&history, &candidates, settings.backtest_weeks, horizon_days);
            let kind = match backtest.best() {
                Some(best) => best.method,
                None => {
                    notes.push(format!(
                        "queue {}: history too short to backtest; using weekday-average",
                        history.queue()
                    ));
                    MethodKind::WeekdayAverage
                }
            };
            (kind, backtest)
        }
    };
    let mut model = method.create();
    model.fit(&history, history.len(), horizon_days);
    let dates: Vec<NaiveDate> = (0..horizon_days).map(|d| horizon.date_of_day(d)).collect();
    let open_dates: Vec<NaiveDate> = dates
        .iter()
        .copied()
        .filter(|d| history.is_open(d.weekday()))
        .collect();
    let predicted = model.forecast(&history, history.len(), &open_dates);
    let slots = history.slots();
    let mut by_day: Vec<Vec<f64>> = vec![vec![0.0; slots]; horizon_days];
    for (date, values) in open_dates.iter().zip(predicted) {
        if let Some(day) = horizon.day_of_date(*date) {
            by_day[day] = values;
        }
    }
    let tail = (1.0 - settings.interval_coverage.clamp(0.0, 0.999)) / 2.0;
    let quantiles = backtest
        .score(method)
        .and_then(|s| s.residuals.quantiles(tail, 1.0 - tail));
    if quantiles.is_none() {
        notes.push(format!(
            "queue {}: too little history for backtest errors; prediction intervals assume \
             Poisson variation only",
            history.queue()
        ));
    }
    let z = normal_quantile(1.0 - tail);
    let aht_by_day = aht::forecast_aht(&history, &dates);
    let n = horizon.len();
    let mut volume = Vec::with_capacity(n);
    let mut volume_low = Vec::with_capacity(n);
    let mut volume_high = Vec::with_capacity(n);
    let mut aht_seconds = Vec::with_capacity(n);
    for i in 0..n {
        let day = horizon.day_of(i);
        let slot = (horizon.local_minute(i) / horizon.interval_minutes()) as usize;
        let base = by_day[day][slot.min(slots - 1)];
        let scale = backtest::error_scale(base);
        let (low_z, high_z) = match &quantiles {
            Some(q) => q[slot.min(slots - 1)],
            None => (-z, z),
        };
        let (mut low, mut high) = if base > 0.0 {
            (
                (base + low_z * scale).clamp(0.0, base),
                (base + high_z * scale).max(base),
            )
        } else {
            (0.0, 0.0)
        };
        let mut value = base;
        if let Some(factor) = factor_on(special_days, history.queue(), dates[day]) {
            value *= factor;
            low *= factor;
            high *= factor;
        }
        volume.push(value);
        volume_low.push(low);
        volume_high.push(high);
        aht_seconds.push(aht_by_day[day][slot.min(slots - 1)].or(default_aht));
    }
    Ok(QueueForecast {
        queue: history.queue().to_string(),
        method,
        volume,
        volume_low,
        volume_high,
        aht_seconds,
        backtest: (!backtest.scores.is_empty()).then_some(backtest),
        report: history.report().clone(),
        notes,
    })
}

/// Forecasts every queue; problems of all queues are reported together.
pub fn forecast_queues(
    histories: &[QueueHistory],
    horizon: &Horizon,
    settings: &ForecastSettings,
    special_days: &[SpecialDay],
    default_aht: Option<f64>,
) -> Result<Vec<QueueForecast>> {
    let mut errors = crate::error::Diagnostics::new();
    let mut out = Vec::new();
    for history in histories {
        let result = forecast_queue(history, horizon, settings, special_days, default_aht);
        if let Some(forecast) = errors.take(result)? {
            out.push(forecast);
        }
    }
    errors.finish(out)
}

/// The forecast of a scenario queue whose source is a history file: `auto` over the plan's
/// horizon, special days applied, AHT from the history or `default_aht`. The result carries
/// the history report and the backtest table for the command line to show. With
/// `known_queues` (the scenario's queues), rows of any other queue are refused (`V1013`, see
/// [`crate::volume::check_known_queues`]); `None` skips that check (a file shared by several
/// queues is checked once).
pub fn forecast_from_history(
    path: &Path,
    queue: &str,
    horizon: &Horizon,
    special_days: &[SpecialDay],
    default_aht: f64,
    known_queues: Option<&[&str]>,
) -> Result<QueueForecast> {
    let table = load_history_file(path, horizon.zone())?;
    let mut errors = crate::error::Diagnostics::new();
    if let Some(known) = known_queues {
        errors.take(crate::volume::check_known_queues(&table, known))?;
    }
    let histories = histories_from_table(
        &table,
        horizon.interval_minutes(),
        horizon.zone(),
        Some(queue),
    );
    // Both problems at once: unknown queues and this queue's own.
    let histories = errors.take(histories)?.unwrap_or_default();
    errors.check()?;
    let mut forecasts = forecast_queues(
        &histories,
        horizon,
        &ForecastSettings::default(),
        special_days,
        Some(default_aht),
    )?;
    forecasts.pop().ok_or_else(|| {
        Error::input(
            "V1010",
            path.display().to_string(),
            format!("no rows for queue {}", crate::error::echo(queue)),
            "check the queue id against the file's queue column",
        )
    })
}

/// One queue's columns of the forecast CSV (see [`write_forecast_csv`]).
#[derive(Debug, Clone, Copy)]
pub struct ForecastSeries<'a, A> {
    /// Queue id.
    pub queue: &'a str,
    /// Contacts per interval.
    pub volume: &'a [f64],
    /// AHT per interval, seconds: `f64`, or `Option<f64>` where it may be unknown (written
    /// empty).
    pub aht_seconds: &'a [A],
    /// Lower and upper ends of the prediction interval per interval; `None` (written empty)
    /// for volumes not forecast here, e.g. read from a forecast file.
    pub prediction_interval: Option<(&'a [f64], &'a [f64])>,
}

impl<'a> From<&'a QueueForecast> for ForecastSeries<'a, Option<f64>> {
    fn from(forecast: &'a QueueForecast) -> Self {
        ForecastSeries {
            queue: &forecast.queue,
            volume: &forecast.volume,
            aht_seconds: &forecast.aht_seconds,
            prediction_interval: Some((&forecast.volume_low, &forecast.volume_high)),
        }
    }
}

/// One row of the forecast CSV.
#[derive(Default, serde::Serialize)]
struct ForecastRow<'a> {
    interval_start: &'a str,
    local_start: &'a str,
    queue: &'a str,
    volume: String,
    aht_seconds: String,
    volume_low: String,
    volume_high: String,
}

/// Writes the forecast CSV (`forecast.csv` of a run, or `staffplan forecast`):
/// `interval_start,local_start,queue,volume,aht_seconds,volume_low,volume_high`, ordered by
/// interval, then queue as given (readable back by [`crate::volume::read_volume_csv`]).
pub fn write_forecast_csv<W: Write, A: Copy + Into<Option<f64>>>(
    writer: W,
    horizon: &Horizon,
    series: &[ForecastSeries<'_, A>],
) -> Result<()> {
    let cells = interval_cells(horizon);
    let rows = cells.iter().enumerate().flat_map(|(i, (start, local))| {
        series.iter().map(move |s| {
            let (low, high) = s
                .prediction_interval
                .map_or_else(Default::default, |(low, high)| {
                    (format_number(low[i], 3), format_number(high[i], 3))
                });
            ForecastRow {
                interval_start: start,
                local_start: local,
                queue: s.queue,
                volume: format_number(s.volume[i], 3),
                aht_seconds: optional_number(s.aht_seconds[i].into(), 1),
                volume_low: low,
                volume_high: high,
            }
        })
    });
    write_rows(writer, "forecast.csv", rows)
}

/// Quantile of the standard normal distribution (Acklam's rational approximation, relative
/// error below 1.2e-9), for the Poisson fallback interval.
pub fn normal_quantile(p: f64) -> f64 {
    const A: [f64; 6] = [
        -3.969683028665376e1,
        2.209460984245205e2,
        -2.759285104469687e2,
        1.383_577_518_672_69e2,
        -3.066479806614716e1,
        2.506628277459239,
    ];
    const B: [f64; 5] = [
        -5.447609879822406e1,
        1.615858368580409e2,
        -1.556989798598866e2,
        6.680131188771972e1,
        -1.328068155288572e1,
    ];
    const C: [f64; 6] = [
        -7.784894002430293e-3,
        -3.223964580411365e-1,
        -2.400758277161838,
        -2.549732539343734,
        4.374664141464968,
        2.938163982698783,
    ];
    const D: [f64; 4] = [
        7.784695709041462e-3,
        3.224671290700398e-1,
        2.445134137142996,
        3.754408661907416,
    ];
    let p = p.clamp(1e-12, 1.0 - 1e-12);
    let tail = |q: f64| {
        (((((C[0] * q + C[1]) * q + C[2]) * q + C[3]) * q + C[4]) * q + C[5])
            / ((((D[0] * q + D[1]) * q + D[2]) * q + D[3]) * q + 1.0)
    };
    if p < 0.02425 {
        tail((-2.0 * p.ln()).sqrt())
    } else if p > 1.0 - 0.02425 {
        -tail((-2.0 * (1.0 - p).ln()).sqrt())
    } else {
        let q = p - 0.5;
        let r = q * q;
        (((((A[0] * r + A[1]) * r + A[2]) * r + A[3]) * r + A[4]) * r + A[5]) * q
            / (((((B[0] * r + B[1]) * r + B[2]) * r + B[3]) * r + B[4]) * r + 1.0)
    }
}
