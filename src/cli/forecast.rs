//! `staffplan forecast`: interval volume forecast from history, or the backtest table.

use std::path::PathBuf;

use chrono::{Duration, NaiveDate};

use crate::error::{Diagnostics, Error, Result};
use crate::forecast::{
    self, Backtest, ForecastSeries, ForecastSettings, MethodChoice, MethodKind, QueueForecast,
    QueueHistory,
};
use crate::output::{ensure_not_input, write_atomic};
use crate::scenario::SpecialDay;
use crate::time::{ALLOWED_INTERVAL_MINUTES, Horizon, parse_zone};
use crate::units::parse_duration;

/// Arguments of `staffplan forecast`.
#[derive(Debug, clap::Args)]
#[command(after_help = "Examples:\n  \
    staffplan forecast --history calls.csv --start 2026-11-23 --days 7 -o forecast.csv\n  \
    staffplan forecast --history calls.csv --start 2026-11-23 --interval 30m \
    --time-zone America/New_York --method holt-winters\n  \
    staffplan forecast --history acd.csv --queue support --start 2026-11-23 \
    --special-day 2026-11-26=closed --special-day 2026-11-27=0.7\n  \
    staffplan forecast --history calls.csv --backtest --days 1\n\n\
    History CSV: interval_start (or timestamp),queue,offered (or calls, volume)[,aht_seconds];\n\
    timestamps with an offset, or local time in --time-zone. Rows finer than --interval are\n\
    summed. Days without rows on weekdays that otherwise have volume are reported as missing\n\
    and skipped; weekdays that never have volume forecast 0.\n\n\
    Output: interval_start,local_start,queue,volume,aht_seconds,volume_low,volume_high\n\
    (volume_low/high: the 80 % prediction interval from the backtest errors).")]
pub struct Args {
    /// History CSV, one row per interval (per queue).
    #[arg(long)]
    history: PathBuf,
    /// First local day of the forecast (YYYY-MM-DD); with --backtest defaults to the day after
    /// the history.
    #[arg(long)]
    start: Option<String>,
    /// Days to forecast (also the backtest horizon).
    #[arg(long, default_value = "7")]
    days: String,
    /// Forecast interval, e.g. 15m (default: 15m, or the history's interval when coarser).
    #[arg(long)]
    interval: Option<String>,
    /// IANA time zone of the local days (and of timestamps without an offset).
    #[arg(long = "time-zone", default_value = "UTC")]
    time_zone: String,
    /// auto (per queue, lowest backtest WAPE), seasonal-naive, weekday-average, holt-winters or
    /// profile.
    #[arg(long, default_value = "auto")]
    method: String,
    /// Weeks at the end of the history used as rolling backtest origins.
    #[arg(long = "backtest-weeks", default_value = "4")]
    backtest_weeks: String,
    /// Queue name for a file without a queue column (or: forecast only this queue).
    #[arg(long)]
    queue: Option<String>,
    /// AHT to write where the history has no aht_seconds, e.g. 180s.
    #[arg(long)]
    aht: Option<String>,
    /// A day that differs from the pattern: DATE=closed or DATE=FACTOR (e.g. 2026-12-24=0.6).
    #[arg(long = "special-day")]
    special_day: Vec<String>,
    /// Print the accuracy of every method (WAPE, MAPE, bias) instead of forecasting.
    #[arg(long)]
    backtest: bool,
    /// Write the forecast CSV here instead of standard output.
    #[arg(short = 'o', long = "output")]
    output: Option<PathBuf>,
}

struct Options {
    start: Option<NaiveDate>,
    days: u32,
    interval_minutes: Option<u32>,
    zone: chrono_tz::Tz,
    method: MethodChoice,
    backtest_weeks: usize,
    aht: Option<f64>,
    special_days: Vec<SpecialDay>,
}

fn parse(args: &Args) -> Result<Options> {
    let mut errors = Diagnostics::new();
    let start = match &args.start {
        None if !args.backtest => {
            errors.push(
                "F1005",
                "--start",
                "no forecast start date",
                "give --start 2026-11-23 (the first local day to forecast)",
            );
            None
        }
        None => None,
        Some(text) => match NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d") {
            Ok(date) => Some(date),
            Err(_) => {
                errors.push(
                    "F1005",
                    "--start",
                    format!("{} is not a date", crate::error::echo(text)),
                    "write --start 2026-11-23 (YYYY-MM-DD)",
                );
                None
            }
        },
    };
    let days = match args.days.trim().parse::<u32>() {
        Ok(d) if (1..=366).contains(&d) => d,
        _ => {
            errors.push(
                "F1005",
                "--days",
                format!(
                    "{} is not a number of days from 1 to 366",
                    crate::error::echo(&args.days)
                ),
                "write e.g. --days 7",
            );
            7
        }
    };
    let interval_minutes = match &args.interval {
        None => None,
        Some(text) => match parse_duration(text) {
            Ok(s) if s % 60.0 == 0.0 && ALLOWED_INTERVAL_MINUTES.contains(&((s / 60.0) as u32)) => {
                Some((s / 60.0) as u32)
            }
            Ok(_) => {
                errors.push(
                    "F1005",
                    "--interval",
                    format!("an interval of {text} is not supported"),
                    "use 5m, 10m, 15m, 30m or 60m",
                );
                None
            }
            Err(cause) => {
                errors.push("F1005", "--interval", cause, "write e.g. --interval 15m");
                None
            }
        },
    };
    let zone = match parse_zone(&args.time_zone) {
        Ok(zone) => zone,
        Err(cause) => {
            errors.push(
                "T1001",
                "--time-zone",
                cause,
                "use an IANA zone name such as America/New_York",
            );
            chrono_tz::UTC
        }
    };
    let method = match MethodChoice::parse(&args.method) {
        Some(method) => method,
        None => {
            errors.push(
                "F1005",
                "--method",
                format!("unknown method {}", crate::error::echo(&args.method)),
                "use auto, seasonal-naive, weekday-average, holt-winters or profile",
            );
            MethodChoice::Auto
        }
    };
    let backtest_weeks = match args.backtest_weeks.trim().parse::<usize>() {
        Ok(w) if (1..=52).contains(&w) => w,
        _ => {
            errors.push(
                "F1005",
                "--backtest-weeks",
                format!(
                    "{} is not a number of weeks from 1 to 52",
                    crate::error::echo(&args.backtest_weeks)
                ),
                "write e.g. --backtest-weeks 4",
            );
            4
        }
    };
    let aht = match &args.aht {
        None => None,
        Some(text) => match parse_duration(text) {
            Ok(s) if s > 0.0 && s <= 86_400.0 => Some(s),
            _ => {
                errors.push(
                    "F1005",
                    "--aht",
                    format!(
                        "{} is not a handle time between 1s and 24h",
                        crate::error::echo(text)
                    ),
                    "write e.g. --aht 180s",
                );
                None
            }
        },
    };
    let mut special_days: Vec<SpecialDay> = Vec::new();
    for text in &args.special_day {
        match SpecialDay::parse_argument(text) {
            Ok(day) if special_days.iter().any(|d| d.date == day.date) => errors.push(
                "F1004",
                "--special-day",
                format!("{} is given twice", day.date),
                "give each date once",
            ),
            Ok(day) => special_days.push(day),
            Err(cause) => errors.push(
                "F1004",
                "--special-day",
                cause,
                "write --special-day 2026-12-24=0.6 or --special-day 2026-12-25=closed",
            ),
        }
    }
    errors.check()?;
    Ok(Options {
        start,
        days,
        interval_minutes,
        zone,
        method,
        backtest_weeks,
        aht,
        special_days,
    })
}

/// Runs `staffplan forecast`.
pub fn run(args: Args) -> Result<i32> {
    let options = parse(&args)?;
    let table = forecast::load_history_file(&args.history, options.zone)?;
    // Rows finer than 15 minutes are summed into quarter hours by default.
    let interval = match options.interval_minutes {
        Some(minutes) => minutes,
        None => {
            let row = forecast::history::row_minutes(&table, options.zone);
            if 15 % row == 0 {
                15
            } else {
                ALLOWED_INTERVAL_MINUTES
                    .into_iter()
                    .find(|m| m % row == 0)
                    .unwrap_or(60)
            }
        }
    };
    let queue_name = args.queue.clone().or_else(|| {
        (!table.has_queue_column).then(|| {
            let stem = args
                .history
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            if crate::scenario::check_id(&stem).is_ok() {
                stem
            } else {
                "queue".into()
            }
        })
    });
    let histories =
        forecast::histories_from_table(&table, interval, options.zone, queue_name.as_deref())?;
    if args.backtest {
        return run_backtest(&histories, &options);
    }
    let start = options.start.unwrap_or_default();
    let horizon = Horizon::new(start, options.days, interval, options.zone)?;
    let settings = ForecastSettings {
        method: options.method,
        backtest_weeks: options.backtest_weeks,
        ..ForecastSettings::default()
    };
    let last = start + chrono::Duration::days(i64::from(options.days) - 1);
    for day in &options.special_days {
        if horizon.day_of_date(day.date).is_none() {
            super::common::print_warning(&crate::error::Diagnostic::new(
                "F1007",
                "--special-day",
                format!(
                    "{} is not a date of the forecast ({start} to {last}); it changes nothing",
                    day.date
                ),
                "correct the date or drop the flag",
            ));
        }
    }
    let forecasts = forecast::forecast_queues(
        &histories,
        &horizon,
        &settings,
        &options.special_days,
        options.aht,
    )?;
    let mut report = Vec::new();
    for forecast in &forecasts {
        report.extend(forecast.report.lines());
        report.extend(method_table(forecast));
        report.extend(forecast.notes.iter().cloned());
    }
    let series: Vec<ForecastSeries<'_, Option<f64>>> =
        forecasts.iter().map(ForecastSeries::from).collect();
    match &args.output {
        None => {
            for line in &report {
                eprintln!("{line}");
            }
            let stdout = std::io::stdout();
            forecast::write_forecast_csv(stdout.lock(), &horizon, &series)?;
        }
        Some(path) => {
            ensure_not_input(path, std::slice::from_ref(&args.history))?;
            if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
                std::fs::create_dir_all(parent).map_err(|e| Error::io(parent, e))?;
            }
            write_atomic(path, |w| forecast::write_forecast_csv(w, &horizon, &series))?;
            for line in &report {
                println!("{line}");
            }
            println!(
                "wrote {} ({} queue(s), {} days of {}-minute intervals from {})",
                path.display(),
                forecasts.len(),
                options.days,
                interval,
                start
            );
        }
    }
    Ok(0)
}

fn percent(value: f64) -> String {
    if value.is_finite() {
        format!("{:.1} %", value * 100.0)
    } else {
        "-".into()
    }
}

fn signed_percent(value: f64) -> String {
    if value.is_finite() {
        format!("{:+.1} %", value * 100.0)
    } else {
        "-".into()
    }
}

/// The backtest table of one queue, the chosen method marked with `*`.
fn backtest_table(backtest: &Backtest, chosen: Option<MethodKind>) -> Vec<String> {
    let mut lines = Vec::new();
    let (first, last) = (backtest.origins.first(), backtest.origins.last());
    if let (Some(first), Some(last)) = (first, last) {
        lines.push(format!(
            "  backtest: {} origins {} to {}, {}-day horizon",
            backtest.origins.len(),
            first,
            last,
            backtest.horizon_days
        ));
    }
    lines.push(format!(
        "    {:<17} {:>8} {:>8} {:>8} {:>9}",
        "method", "WAPE", "MAPE", "bias", "RMSE"
    ));
    for score in &backtest.scores {
        let mark = if Some(score.method) == chosen {
            "*"
        } else {
            " "
        };
        lines.push(format!(
            "  {mark} {:<17} {:>8} {:>8} {:>8} {:>9.2}",
            score.method.name(),
            percent(score.accuracy.wape),
            percent(score.accuracy.mape),
            signed_percent(score.accuracy.bias),
            score.accuracy.rmse
        ));
    }
    for (method, reason) in &backtest.excluded {
        lines.push(format!(
            "    {:<17} not backtested: {reason}",
            method.name()
        ));
    }
    lines
}

fn method_table(forecast: &QueueForecast) -> Vec<String> {
    let mut lines = vec![format!(
        "queue {}: method {}",
        forecast.queue, forecast.method
    )];
    if let Some(backtest) = &forecast.backtest {
        lines.extend(backtest_table(backtest, Some(forecast.method)));
    }
    lines
}

fn run_backtest(histories: &[QueueHistory], options: &Options) -> Result<i32> {
    for history in histories {
        let history = match options.start {
            Some(start) => history.before(start),
            None => history.clone(),
        };
        for line in history.report().lines() {
            println!("{line}");
        }
        let backtest = forecast::backtest(
            &history,
            &MethodKind::ALL,
            options.backtest_weeks,
            options.days as usize,
        );
        if backtest.scores.is_empty() || backtest.origins.is_empty() {
            let end = history.report().last_date + Duration::days(1);
            return Err(Error::input(
                "F1001",
                history.report().source.clone(),
                format!(
                    "queue {}: {} day(s) of history before {end} leave no backtest origin \
                     (weekly methods need 7 days before the first one)",
                    crate::error::echo(history.queue()),
                    history.len()
                ),
                "export at least 8 days of history (better: several weeks)",
            ));
        }
        println!("queue {}:", history.queue());
        for line in backtest_table(&backtest, backtest.best().map(|b| b.method)) {
            println!("{line}");
        }
    }
    Ok(0)
}
