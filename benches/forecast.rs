//! Forecast speed: a week of 15-minute intervals for 10 queues from a year of 15-minute
//! history, method `auto` (backtest of every method on 4 weeks, then the forecast).
//!
//! ```sh
//! cargo bench --bench forecast
//! ```
//!
//! The history is synthetic (deterministic): 10 queues × 364 days × 96 intervals, open
//! 07:00–22:00 with a sine-shaped day, weekday factors, a slow trend and Poisson-like noise,
//! with handle times. Three measurements: reading the CSV (349,440 rows), forecasting from
//! the parsed histories, and both together as `staffplan forecast` does.

use std::hint::black_box;
use std::time::Duration;

use chrono::{Duration as Days, NaiveDate};
use criterion::{Criterion, criterion_group, criterion_main};
use staffplan::forecast::{self, ForecastSettings, histories_from_table, read_history_csv};
use staffplan::time::{Horizon, format_utc, local_day_start};

const QUEUES: usize = 10;
const DAYS: i64 = 364;

/// A deterministic pseudo-random stream (xorshift).
struct Noise(u64);

impl Noise {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Roughly normal with mean 0 and variance 1 (sum of 4 uniforms).
    fn normal(&mut self) -> f64 {
        ((0..4).map(|_| self.next()).sum::<f64>() - 2.0) * 3f64.sqrt()
    }
}

fn history_csv() -> String {
    let first = NaiveDate::from_ymd_opt(2025, 11, 3).expect("date");
    let zone = chrono_tz::UTC;
    let mut noise = Noise(0x9E37_79B9_7F4A_7C15);
    let mut out = String::from("interval_start,queue,offered,aht_seconds\n");
    let weekday_factor = [1.2, 1.1, 1.0, 1.0, 0.9, 0.5, 0.3];
    for queue in 0..QUEUES {
        let base = 20.0 + 15.0 * queue as f64;
        for day in 0..DAYS {
            let date = first + Days::days(day);
            let midnight = local_day_start(zone, date);
            for slot in 0..96 {
                let hour = slot as f64 / 4.0;
                let shape = if (7.0..22.0).contains(&hour) {
                    (std::f64::consts::PI * (hour - 7.0) / 15.0).sin().max(0.0)
                } else {
                    0.0
                };
                let mean =
                    base * weekday_factor[(day % 7) as usize] * shape * (1.0 + day as f64 / 2000.0);
                let volume = (mean + mean.sqrt() * noise.normal()).round().max(0.0);
                let aht = 200.0 + (noise.next() * 80.0).round();
                let start = midnight + Days::minutes(15 * slot);
                out.push_str(&format!("{},q{queue},{volume},{aht}\n", format_utc(start)));
            }
        }
    }
    out
}

fn bench(c: &mut Criterion) {
    let csv = history_csv();
    let zone = chrono_tz::UTC;
    let start = NaiveDate::from_ymd_opt(2026, 11, 2).expect("date");
    let horizon = Horizon::new(start, 7, 15, zone).expect("horizon");
    let settings = ForecastSettings::default();
    let table = read_history_csv(csv.as_bytes(), "bench.csv", zone).expect("history");
    let histories = histories_from_table(&table, 15, zone, None).expect("histories");
    let mut group = c.benchmark_group("forecast");
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("read 10 queues x 1 year of 15-min CSV", |b| {
        b.iter(|| {
            let table = read_history_csv(black_box(csv.as_bytes()), "bench.csv", zone).unwrap();
            histories_from_table(&table, 15, zone, None).unwrap()
        })
    });
    group.bench_function(
        "auto forecast 10 queues x 1 week (from parsed history)",
        |b| {
            b.iter(|| {
                forecast::forecast_queues(black_box(&histories), &horizon, &settings, &[], None)
                    .unwrap()
            })
        },
    );
    group.bench_function("read + auto forecast (end to end)", |b| {
        b.iter(|| {
            let table = read_history_csv(black_box(csv.as_bytes()), "bench.csv", zone).unwrap();
            let histories = histories_from_table(&table, 15, zone, None).unwrap();
            forecast::forecast_queues(&histories, &horizon, &settings, &[], None).unwrap()
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
