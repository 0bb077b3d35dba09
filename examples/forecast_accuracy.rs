//! Forecast accuracy on any interval history, over a rolling origin.
//!
//! ```sh
//! cargo run --release --example forecast_accuracy -- ../shared/data/bank_calls_5min.csv \
//!     --time-zone America/New_York
//! ```
//!
//! For each of the last `--test-days` days with data (default 64) as the origin, the history
//! before it is forecast with every method and with `auto`, exactly as `staffplan forecast`
//! does (its own backtest, fit and prediction interval inside):
//! - **one day ahead**: the origin's day (a 1-day plan starting at the origin);
//! - **one week ahead**: the 7 calendar days from the origin (a 7-day plan), for origins whose
//!   week lies inside the history.
//!
//! WAPE, MAPE (intervals with calls) and RMSE are over every scored interval; "cover" is the
//! share of intervals whose actual volume lies inside the 80 % prediction interval. Two
//! baselines that are not methods of the crate are added for comparison with published
//! figures: *previous day* (the last day with data) and *all-history weekday mean* (mean of
//! every earlier day of the same weekday).

use std::path::PathBuf;
use std::time::Instant;

use chrono::{Datelike, NaiveDate};
use staffplan::forecast::backtest::AccuracyAccumulator;
use staffplan::forecast::{
    self, ForecastSettings, MethodChoice, MethodKind, QueueHistory, histories_from_table,
};
use staffplan::time::{Horizon, parse_zone};

struct Options {
    path: PathBuf,
    zone: chrono_tz::Tz,
    interval: Option<u32>,
    test_days: usize,
    backtest_weeks: usize,
}

fn options() -> Result<Options, String> {
    let mut args = std::env::args().skip(1);
    let mut path = None;
    let mut zone = chrono_tz::UTC;
    let mut interval = None;
    let mut test_days = 64;
    let mut backtest_weeks = 4;
    while let Some(arg) = args.next() {
        let mut value = |name: &str| args.next().ok_or(format!("{name} needs a value"));
        match arg.as_str() {
            "--time-zone" => zone = parse_zone(&value("--time-zone")?)?,
            "--interval" => {
                let text = value("--interval")?;
                let seconds = staffplan::units::parse_duration(&text)?;
                interval = Some((seconds / 60.0) as u32);
            }
            "--test-days" => {
                test_days = value("--test-days")?
                    .parse()
                    .map_err(|_| "--test-days takes a number")?
            }
            "--backtest-weeks" => {
                backtest_weeks = value("--backtest-weeks")?
                    .parse()
                    .map_err(|_| "--backtest-weeks takes a number")?
            }
            "--bench" => {}
            other if other.starts_with("--") => return Err(format!("unknown flag {other}")),
            other => path = Some(PathBuf::from(other)),
        }
    }
    let path = path.ok_or(
        "usage: forecast_accuracy HISTORY.csv [--time-zone TZ] [--interval 5m] \
         [--test-days 64] [--backtest-weeks 4]",
    )?;
    if !path.exists() {
        return Err(format!(
            "{} does not exist (the reference data lives in ../shared/data/)",
            path.display()
        ));
    }
    Ok(Options {
        path,
        zone,
        interval,
        test_days,
        backtest_weeks,
    })
}

#[derive(Default)]
struct Tally {
    accuracy: AccuracyAccumulator,
    inside: usize,
    counted: usize,
    /// Per origin: (Σ |error|, Σ actual), for paired comparisons.
    per_origin: Vec<(f64, f64)>,
}

impl Tally {
    fn line(&self, name: &str) -> String {
        let a = self.accuracy.accuracy();
        let cover = if self.counted > 0 {
            format!("{:.1} %", 100.0 * self.inside as f64 / self.counted as f64)
        } else {
            "-".into()
        };
        format!(
            "| {name:<28} | {:>6.1} % | {:>6.1} % | {:>7.2} | {:>7} |",
            100.0 * a.wape,
            100.0 * a.mape,
            a.rmse,
            cover
        )
    }
}

/// Scores a forecast over the horizon against the full history.
fn score(
    tally: &mut Tally,
    full: &QueueHistory,
    horizon: &Horizon,
    forecast: &forecast::QueueForecast,
) {
    let mut origin = (0.0, 0.0);
    for i in 0..horizon.len() {
        let date = horizon.date_of_day(horizon.day_of(i));
        let Some(actual_day) = full.index_of(date).and_then(|d| full.day(d)) else {
            continue;
        };
        let slot = (horizon.local_minute(i) / horizon.interval_minutes()) as usize;
        let actual = actual_day.volume[slot];
        let predicted = forecast.volume[i];
        tally.accuracy.add(predicted, actual);
        origin.0 += (predicted - actual).abs();
        origin.1 += actual;
        if predicted > 0.0 || actual > 0.0 {
            tally.counted += 1;
            if forecast.volume_low[i] <= actual && actual <= forecast.volume_high[i] {
                tally.inside += 1;
            }
        }
    }
    tally.per_origin.push(origin);
}

/// WAPE of `a` minus WAPE of `b` in percentage points, and twice its standard error from the
/// per-origin differences (origins of a week-ahead comparison overlap, so this understates the
/// noise there).
fn paired_difference(a: &Tally, b: &Tally) -> (f64, f64) {
    let n = a.per_origin.len().min(b.per_origin.len());
    let actual: f64 = a.per_origin.iter().map(|o| o.1).sum();
    let d: Vec<f64> = (0..n)
        .map(|k| a.per_origin[k].0 - b.per_origin[k].0)
        .collect();
    let mean = d.iter().sum::<f64>() / n.max(1) as f64;
    let variance = d.iter().map(|x| (x - mean).powi(2)).sum::<f64>() / (n.max(2) - 1) as f64;
    let total = d.iter().sum::<f64>();
    (
        100.0 * total / actual,
        100.0 * 2.0 * (variance * n as f64).sqrt() / actual,
    )
}

fn baseline(tally: &mut Tally, full: &QueueHistory, origin: usize, predicted: &[f64]) {
    if let Some(actual) = full.day(origin) {
        for (&f, &a) in predicted.iter().zip(&actual.volume) {
            tally.accuracy.add(f, a);
        }
    }
}

fn main() {
    let options = match options() {
        Ok(o) => o,
        Err(message) => {
            eprintln!("{message}");
            std::process::exit(2);
        }
    };
    let started = Instant::now();
    let table = match forecast::load_history_file(&options.path, options.zone) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let interval = options
        .interval
        .unwrap_or_else(|| forecast::history::row_minutes(&table, options.zone));
    let stem = options
        .path
        .file_stem()
        .map(|s| s.to_string_lossy().into_owned());
    let histories = match histories_from_table(&table, interval, options.zone, stem.as_deref()) {
        Ok(h) => h,
        Err(e) => {
            eprintln!("{e}");
            std::process::exit(2);
        }
    };
    let choices: Vec<(String, MethodChoice)> = MethodKind::ALL
        .iter()
        .map(|&k| (k.name().to_string(), MethodChoice::Fixed(k)))
        .chain([("auto".to_string(), MethodChoice::Auto)])
        .collect();
    for full in &histories {
        for line in full.report().lines() {
            println!("{line}");
        }
        let observed: Vec<usize> = (0..full.len()).filter(|&i| full.day(i).is_some()).collect();
        let origins: Vec<usize> = observed
            .iter()
            .copied()
            .skip(observed.len().saturating_sub(options.test_days))
            .collect();
        let last = full.len();
        let mut day_tallies: Vec<Tally> = choices.iter().map(|_| Tally::default()).collect();
        let mut week_tallies: Vec<Tally> = choices.iter().map(|_| Tally::default()).collect();
        let mut auto_choices: std::collections::BTreeMap<(usize, MethodKind), usize> =
            Default::default();
        let mut previous_day = Tally::default();
        let mut weekday_mean = Tally::default();
        let mut week_origins = 0;
        for &origin in &origins {
            let date: NaiveDate = full.date(origin);
            let history = full.truncated(origin);
            // Baselines.
            if let Some(prev) = (0..origin).rev().find_map(|i| full.day(i)) {
                baseline(&mut previous_day, full, origin, &prev.volume);
            }
            let same: Vec<&Vec<f64>> = history
                .same_weekday_before(origin, date.weekday())
                .map(|(_, d)| &d.volume)
                .collect();
            if !same.is_empty() {
                let mean: Vec<f64> = (0..full.slots())
                    .map(|s| same.iter().map(|d| d[s]).sum::<f64>() / same.len() as f64)
                    .collect();
                baseline(&mut weekday_mean, full, origin, &mean);
            }
            let full_week = origin + 7 <= last;
            week_origins += usize::from(full_week);
            for (horizon_days, tallies) in [(1u32, &mut day_tallies), (7, &mut week_tallies)] {
                if horizon_days == 7 && !full_week {
                    continue;
                }
                let Ok(horizon) = Horizon::new(date, horizon_days, interval, options.zone) else {
                    continue;
                };
                for (c, (_, choice)) in choices.iter().enumerate() {
                    let settings = ForecastSettings {
                        method: *choice,
                        backtest_weeks: options.backtest_weeks,
                        ..ForecastSettings::default()
                    };
                    match forecast::forecast_queue(&history, &horizon, &settings, &[], None) {
                        Ok(result) => {
                            score(&mut tallies[c], full, &horizon, &result);
                            if *choice == MethodChoice::Auto {
                                *auto_choices
                                    .entry((horizon_days as usize, result.method))
                                    .or_default() += 1;
                            }
                        }
                        Err(e) => eprintln!("{date} {}: {e}", choices[c].0),
                    }
                }
            }
        }
        println!(
            "\n{} origins (the last days with data, {} to {}); one-week-ahead on the {} whose \
             week lies in the history; {}-minute intervals; 80 % prediction intervals\n",
            origins.len(),
            origins.first().map(|&o| full.date(o)).unwrap_or_default(),
            origins.last().map(|&o| full.date(o)).unwrap_or_default(),
            week_origins,
            interval
        );
        for (title, tallies) in [
            ("one day ahead", &day_tallies),
            ("one week ahead (days 1-7)", &week_tallies),
        ] {
            println!("{title}:\n");
            println!(
                "| {:<28} | {:>8} | {:>8} | {:>7} | {:>7} |",
                "method", "WAPE", "MAPE", "RMSE", "cover"
            );
            println!(
                "|{:-<30}|{:->10}|{:->10}|{:->9}|{:->9}|",
                "", "", "", "", ""
            );
            for (c, (name, _)) in choices.iter().enumerate() {
                println!("{}", tallies[c].line(name));
            }
            if title == "one day ahead" {
                println!("{}", previous_day.line("(baseline) previous day"));
                println!("{}", weekday_mean.line("(baseline) all-history mean"));
            }
            let auto = &tallies[choices.len() - 1];
            let methods = &tallies[..choices.len() - 1];
            let best = (0..methods.len())
                .min_by(|&x, &y| {
                    let wape = |t: &Tally| t.accuracy.accuracy().wape;
                    wape(&methods[x]).total_cmp(&wape(&methods[y]))
                })
                .unwrap_or(0);
            let (versus_best, noise) = paired_difference(auto, &methods[best]);
            let (versus_naive, naive_noise) = paired_difference(auto, &methods[0]);
            println!(
                "\nauto − {} (best single): {versus_best:+.2} pp WAPE (± {noise:.2} pp, 2 SE); \
                 auto − seasonal-naive: {versus_naive:+.2} pp (± {naive_noise:.2} pp)",
                choices[best].0
            );
            println!();
        }
        let picks: Vec<String> = auto_choices
            .iter()
            .map(|((days, method), count)| format!("{days}-day: {method} ×{count}"))
            .collect();
        println!("auto picked: {}", picks.join(", "));
    }
    println!("\n(total {:.1} s)", started.elapsed().as_secs_f64());
}
