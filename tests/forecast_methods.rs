//! Forecasting methods on synthetic series whose structure is known: exact periodic series,
//! a trend, gaps, closed days, special days, prediction intervals against fresh draws of the
//! same process, AHT profiles, DST days and aggregation of finer rows.

use chrono::{Datelike, Duration, NaiveDate, Weekday};
use chrono_tz::Tz;
use staffplan::forecast::{
    self, ForecastSeries, ForecastSettings, MethodChoice, MethodKind, QueueHistory,
    backtest::AccuracyAccumulator, histories_from_table, read_history_csv,
};
use staffplan::scenario::{SpecialDay, SpecialEffect};
use staffplan::time::{Horizon, format_utc, local_day_start};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Hourly history of `days` days from `first`, `value(day index, weekday, hour)`, `None` = no
/// data that day.
fn hourly(
    first: NaiveDate,
    days: usize,
    value: impl Fn(usize, Weekday, usize) -> Option<f64>,
) -> QueueHistory {
    let data = (0..days)
        .map(|d| {
            let weekday = (first + Duration::days(d as i64)).weekday();
            value(d, weekday, 0)?;
            Some(
                (0..24)
                    .map(|h| value(d, weekday, h).unwrap_or(0.0))
                    .collect(),
            )
        })
        .collect();
    QueueHistory::from_days("support", chrono_tz::UTC, 60, first, data)
}

/// A weekly pattern with a different shape per weekday and closed nights.
fn weekly_shape(weekday: Weekday, hour: usize) -> f64 {
    if !(8..20).contains(&hour) {
        return 0.0;
    }
    let w = weekday.num_days_from_monday() as f64;
    10.0 + 3.0 * w + (hour as f64 - 8.0) * (6.0 - w).abs()
}

fn settings(method: MethodChoice) -> ForecastSettings {
    ForecastSettings {
        method,
        ..ForecastSettings::default()
    }
}

fn horizon(start: NaiveDate, days: u32) -> Horizon {
    Horizon::new(start, days, 60, chrono_tz::UTC).unwrap()
}

/// Expected value of every horizon interval under `truth(date, hour)`.
fn expected(h: &Horizon, truth: impl Fn(NaiveDate, usize) -> f64) -> Vec<f64> {
    (0..h.len())
        .map(|i| {
            truth(
                h.date_of_day(h.day_of(i)),
                (h.local_minute(i) / 60) as usize,
            )
        })
        .collect()
}

#[test]
fn a_pure_weekly_series_is_forecast_exactly_by_seasonal_naive_and_weekday_average() {
    let first = date(2026, 9, 7); // Monday
    let history = hourly(first, 10 * 7, |_, w, h| Some(weekly_shape(w, h)));
    let plan = horizon(date(2026, 11, 16), 7);
    let truth = expected(&plan, |d, h| weekly_shape(d.weekday(), h));
    for kind in [MethodKind::SeasonalNaive, MethodKind::WeekdayAverage] {
        let result = forecast::forecast_queue(
            &history,
            &plan,
            &settings(MethodChoice::Fixed(kind)),
            &[],
            None,
        )
        .unwrap();
        for (i, (&f, &t)) in result.volume.iter().zip(&truth).enumerate() {
            assert!((f - t).abs() < 1e-9, "{kind} interval {i}: {f} vs {t}");
        }
        // No error in the backtest either, so the interval collapses onto the forecast.
        let score = &result.backtest.as_ref().unwrap().scores[0];
        assert!(score.accuracy.wape < 1e-12, "{kind}: {:?}", score.accuracy);
        assert_eq!(result.volume_low, result.volume);
        assert_eq!(result.volume_high, result.volume);
    }
}

#[test]
fn a_five_day_week_with_holidays_is_still_forecast_exactly() {
    // Weekdays only, three holidays (gaps) spread over the history.
    let first = date(2026, 9, 7);
    let holidays = [date(2026, 9, 16), date(2026, 10, 12), date(2026, 11, 6)];
    // Ends on Thursday 2026-11-12: the last Friday with data is 2026-10-30.
    let history = hourly(first, 10 * 7 - 3, |d, w, h| {
        let day = first + Duration::days(d as i64);
        let open = w.num_days_from_monday() < 5 && !holidays.contains(&day);
        open.then(|| weekly_shape(w, h))
    });
    let report = history.report();
    assert_eq!(report.missing_days, holidays);
    assert_eq!(report.closed_weekdays, vec![Weekday::Sat, Weekday::Sun]);
    assert_eq!(history.open_weekday_count(), 5);
    // The plan's Friday is the weekday of the last holiday: the week before it is used.
    let plan = horizon(date(2026, 11, 16), 7);
    let truth = expected(&plan, |d, h| {
        if d.weekday().num_days_from_monday() < 5 {
            weekly_shape(d.weekday(), h)
        } else {
            0.0
        }
    });
    for kind in [MethodKind::SeasonalNaive, MethodKind::WeekdayAverage] {
        let result = forecast::forecast_queue(
            &history,
            &plan,
            &settings(MethodChoice::Fixed(kind)),
            &[],
            None,
        )
        .unwrap();
        for (i, (&f, &t)) in result.volume.iter().zip(&truth).enumerate() {
            assert!((f - t).abs() < 1e-9, "{kind} interval {i}: {f} vs {t}");
        }
    }
}

#[test]
fn holt_winters_recovers_a_trend_that_averages_miss() {
    // Volume grows by 2 % of the base per week on top of the weekly pattern.
    let first = date(2026, 5, 4);
    let growth = |d: usize| 1.0 + 0.02 * d as f64 / 7.0;
    let value = |d: usize, w: Weekday, h: usize| weekly_shape(w, h) + 10.0 * (growth(d) - 1.0);
    let weeks = 24;
    let history = hourly(first, weeks * 7, |d, w, h| Some(value(d, w, h)));
    let start = first + Duration::days((weeks * 7) as i64);
    let plan = horizon(start, 7);
    let truth = expected(&plan, |day, h| {
        value((day - first).num_days() as usize, day.weekday(), h)
    });
    let error = |kind: MethodKind| {
        let result = forecast::forecast_queue(
            &history,
            &plan,
            &settings(MethodChoice::Fixed(kind)),
            &[],
            None,
        )
        .unwrap();
        let mut accuracy = AccuracyAccumulator::default();
        for (&f, &t) in result.volume.iter().zip(&truth) {
            accuracy.add(f, t);
        }
        accuracy.accuracy()
    };
    let holt_winters = error(MethodKind::HoltWinters);
    let average = error(MethodKind::WeekdayAverage);
    // The level rises 0.29 contacts per day: an average of past weeks lags by weeks of it.
    assert!(holt_winters.wape < 0.002, "holt-winters {holt_winters:?}");
    assert!(
        holt_winters.bias.abs() < 0.002,
        "holt-winters {holt_winters:?}"
    );
    assert!(
        average.bias < -0.01,
        "weekday-average should lag: {average:?}"
    );
    // auto sees the same in its backtest and does not choose an average.
    let auto = forecast::forecast_queue(&history, &plan, &settings(MethodChoice::Auto), &[], None)
        .unwrap();
    assert!(
        matches!(auto.method, MethodKind::HoltWinters | MethodKind::Profile),
        "auto chose {}",
        auto.method
    );
}

#[test]
fn gaps_are_skipped_and_closed_days_forecast_zero() {
    // Every Wednesday has 100 per open hour, except one Wednesday with no rows (a gap).
    let first = date(2026, 9, 7);
    let gap = date(2026, 10, 28);
    let history = hourly(first, 8 * 7, |d, w, h| {
        let day = first + Duration::days(d as i64);
        match w {
            Weekday::Sun => None, // never open
            _ if day == gap => None,
            _ => Some(if (8..20).contains(&h) { 100.0 } else { 0.0 }),
        }
    });
    assert_eq!(history.report().missing_days, vec![gap]);
    let plan = horizon(date(2026, 11, 2), 7);
    let closed_day = date(2026, 11, 5);
    let busy_day = date(2026, 11, 6);
    let special = [
        SpecialDay {
            date: closed_day,
            name: "closure".into(),
            effect: SpecialEffect::Closed,
            queues: vec![],
        },
        SpecialDay {
            date: busy_day,
            name: "campaign".into(),
            effect: SpecialEffect::Multiplier(1.5),
            queues: vec!["support".into()],
        },
        SpecialDay {
            date: date(2026, 11, 3),
            name: "another queue".into(),
            effect: SpecialEffect::Closed,
            queues: vec!["sales".into()],
        },
    ];
    for kind in MethodKind::ALL {
        let result = forecast::forecast_queue(
            &history,
            &plan,
            &settings(MethodChoice::Fixed(kind)),
            &special,
            None,
        )
        .unwrap();
        for i in 0..plan.len() {
            let day = plan.date_of_day(plan.day_of(i));
            let hour = plan.local_minute(i) / 60;
            let open_hour = (8..20).contains(&hour);
            let expected = match day {
                d if d == closed_day || d.weekday() == Weekday::Sun || !open_hour => 0.0,
                d if d == busy_day => 150.0,
                _ => 100.0,
            };
            let got = result.volume[i];
            assert!(
                (got - expected).abs() < 1e-6 * expected.max(1.0),
                "{kind} {day} {hour}h: {got} vs {expected}"
            );
            if expected == 0.0 {
                assert_eq!(result.volume_high[i], 0.0, "{kind}: interval around a zero");
            }
        }
    }
}

#[test]
fn weekly_methods_refuse_history_shorter_than_a_week() {
    let first = date(2026, 11, 2);
    let history = hourly(first, 5, |_, w, h| Some(weekly_shape(w, h)));
    let plan = horizon(date(2026, 11, 9), 7);
    for (choice, minimum) in [
        (MethodChoice::Fixed(MethodKind::SeasonalNaive), "7 days"),
        (MethodChoice::Fixed(MethodKind::HoltWinters), "14 days"),
        (MethodChoice::Auto, "7 days"),
    ] {
        let error =
            forecast::forecast_queue(&history, &plan, &settings(choice), &[], None).unwrap_err();
        let diagnostic = &error.diagnostics()[0];
        assert_eq!(diagnostic.code, "F1001");
        assert!(diagnostic.cause.contains(minimum), "{diagnostic}");
        assert!(diagnostic.cause.contains("5 day(s)"), "{diagnostic}");
    }
    // Eight days are enough for the weekly methods, and auto falls back to them.
    let history = hourly(first, 8, |_, w, h| Some(weekly_shape(w, h)));
    let plan = horizon(date(2026, 11, 10), 7);
    let result =
        forecast::forecast_queue(&history, &plan, &settings(MethodChoice::Auto), &[], None)
            .unwrap();
    assert!(matches!(
        result.method,
        MethodKind::SeasonalNaive | MethodKind::WeekdayAverage
    ));
}

/// Poisson draws by inversion (small means), seeded.
struct Poisson(u64);

impl Poisson {
    fn uniform(&mut self) -> f64 {
        self.0 = self
            .0
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        ((self.0 >> 11) as f64 + 0.5) / (1u64 << 53) as f64
    }

    fn draw(&mut self, mean: f64) -> f64 {
        let u = self.uniform();
        let (mut k, mut p) = (0u32, (-mean).exp());
        let mut cumulative = p;
        while u > cumulative && k < 10_000 {
            k += 1;
            p *= mean / f64::from(k);
            cumulative += p;
        }
        f64::from(k)
    }
}

#[test]
fn the_80_percent_interval_covers_about_80_percent_of_fresh_draws() {
    // A stationary Poisson process with a weekly mean pattern: the interval should contain
    // about 80 % of new weeks drawn from the same process.
    let mut rng = Poisson(7);
    let first = date(2026, 5, 4);
    let mean = |w: Weekday, h: usize| 2.0 * weekly_shape(w, h);
    let weeks = 26;
    let data: Vec<Option<Vec<f64>>> = (0..weeks * 7)
        .map(|d| {
            let w = (first + Duration::days(d as i64)).weekday();
            Some((0..24).map(|h| rng.draw(mean(w, h))).collect())
        })
        .collect();
    let history = QueueHistory::from_days("support", chrono_tz::UTC, 60, first, data);
    let plan = horizon(first + Duration::days((weeks * 7) as i64), 7);
    let result = forecast::forecast_queue(
        &history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::WeekdayAverage)),
        &[],
        None,
    )
    .unwrap();
    let (mut inside, mut total) = (0usize, 0usize);
    for _ in 0..200 {
        for i in 0..plan.len() {
            let day = plan.date_of_day(plan.day_of(i));
            let m = mean(day.weekday(), (plan.local_minute(i) / 60) as usize);
            if m == 0.0 {
                continue;
            }
            let actual = rng.draw(m);
            total += 1;
            inside +=
                usize::from(result.volume_low[i] <= actual && actual <= result.volume_high[i]);
        }
    }
    let coverage = inside as f64 / total as f64;
    // Integer counts make the closed interval cover a little more than its nominal level.
    assert!((0.74..=0.90).contains(&coverage), "coverage {coverage}");
}

#[test]
fn backtest_metrics_match_a_hand_computation() {
    let mut accuracy = AccuracyAccumulator::default();
    for (f, a) in [(10.0, 8.0), (5.0, 5.0), (0.0, 2.0), (3.0, 0.0), (0.0, 0.0)] {
        accuracy.add(f, a);
    }
    let result = accuracy.accuracy();
    // |e| = 2, 0, 2, 3 over actual 15; APE over non-zero actuals: 0.25, 0, 1.
    assert!((result.wape - 7.0 / 15.0).abs() < 1e-12);
    assert!((result.mape - 1.25 / 3.0).abs() < 1e-12);
    assert!((result.bias - 3.0 / 15.0).abs() < 1e-12);
    assert!((result.rmse - (17.0f64 / 4.0).sqrt()).abs() < 1e-12);
    assert_eq!(result.points, 4);
}

#[test]
fn auto_takes_the_lowest_backtest_wape_and_reports_every_method() {
    let mut rng = Poisson(11);
    let first = date(2026, 3, 2);
    let data: Vec<Option<Vec<f64>>> = (0..20 * 7)
        .map(|d| {
            let w = (first + Duration::days(d as i64)).weekday();
            Some((0..24).map(|h| rng.draw(weekly_shape(w, h))).collect())
        })
        .collect();
    let history = QueueHistory::from_days("support", chrono_tz::UTC, 60, first, data);
    let plan = horizon(first + Duration::days(20 * 7), 7);
    let result =
        forecast::forecast_queue(&history, &plan, &settings(MethodChoice::Auto), &[], None)
            .unwrap();
    let backtest = result.backtest.unwrap();
    let methods: Vec<MethodKind> = backtest.scores.iter().map(|s| s.method).collect();
    assert_eq!(methods, MethodKind::ALL.to_vec());
    assert_eq!(backtest.origins.len(), 28);
    let best = backtest
        .scores
        .iter()
        .min_by(|a, b| a.accuracy.wape.total_cmp(&b.accuracy.wape))
        .unwrap();
    assert_eq!(result.method, best.method);
    // On noise around a fixed pattern, averaging beats copying last week.
    let wape = |k: MethodKind| backtest.score(k).unwrap().accuracy.wape;
    assert!(wape(MethodKind::WeekdayAverage) < wape(MethodKind::SeasonalNaive));
}

fn csv_history(rows: &[(String, f64, Option<f64>)], zone: Tz) -> Vec<QueueHistory> {
    let mut text = String::from("interval_start,offered,aht_seconds\n");
    for (time, volume, aht) in rows {
        text.push_str(&format!(
            "{time},{volume},{}\n",
            aht.map_or(String::new(), |a| a.to_string())
        ));
    }
    let table = read_history_csv(text.as_bytes(), "h.csv", zone).unwrap();
    histories_from_table(&table, 15, zone, Some("support")).unwrap()
}

#[test]
fn five_minute_rows_are_summed_into_the_plan_interval_with_weighted_aht() {
    let zone = chrono_tz::UTC;
    let first = date(2026, 10, 5);
    let mut rows = Vec::new();
    for d in 0..14 {
        let midnight = local_day_start(zone, first + Duration::days(d));
        for k in 0..(12 * 24) {
            // 09:00–09:15: 1, 2 and 3 calls at 100, 200 and 300 s.
            let minute = 5 * k;
            let (volume, aht) = match minute {
                540 => (1.0, Some(100.0)),
                545 => (2.0, Some(200.0)),
                550 => (3.0, Some(300.0)),
                _ => (0.0, None),
            };
            rows.push((
                format_utc(midnight + Duration::minutes(minute)),
                volume,
                aht,
            ));
        }
    }
    let history = &csv_history(&rows, zone)[0];
    assert_eq!(history.report().row_minutes, 5);
    let plan = Horizon::new(first + Duration::days(14), 1, 15, zone).unwrap();
    let result = forecast::forecast_queue(
        history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::SeasonalNaive)),
        &[],
        Some(180.0),
    )
    .unwrap();
    let nine = 36;
    assert_eq!(result.volume[nine], 6.0);
    // (1×100 + 2×200 + 3×300) / 6
    let aht = result.aht_seconds[nine].unwrap();
    assert!((aht - 1400.0 / 6.0).abs() < 1e-9, "{aht}");
    assert_eq!(result.volume.iter().sum::<f64>(), 6.0);
}

#[test]
fn history_without_aht_takes_the_given_default() {
    let history = hourly(date(2026, 10, 5), 14, |_, w, h| Some(weekly_shape(w, h)));
    let plan = horizon(date(2026, 10, 19), 2);
    let result = forecast::forecast_queue(
        &history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::WeekdayAverage)),
        &[],
        Some(240.0),
    )
    .unwrap();
    assert!(result.aht_seconds.iter().all(|&a| a == Some(240.0)));
    let none = forecast::forecast_queue(
        &history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::WeekdayAverage)),
        &[],
        None,
    )
    .unwrap();
    assert!(none.aht_seconds.iter().all(Option::is_none));
}

#[test]
fn dst_days_keep_the_wall_clock_pattern() {
    // New York history across the fall-back night of 2026-11-01, 15-minute rows with offsets,
    // volume = local hour (so the repeated 01:00 hour is recorded twice with 1 each).
    let zone: Tz = "America/New_York".parse().unwrap();
    let first = date(2026, 10, 12);
    let mut rows = Vec::new();
    for d in 0..28 {
        let day = first + Duration::days(d);
        let start = local_day_start(zone, day);
        let end = local_day_start(zone, day + Duration::days(1));
        let mut t = start;
        while t < end {
            let hour = t
                .with_timezone(&zone)
                .format("%H")
                .to_string()
                .parse::<f64>()
                .unwrap();
            rows.push((staffplan::time::format_local(t, zone), hour, None));
            t += Duration::minutes(15);
        }
    }
    let history = &csv_history(&rows, zone)[0];
    assert!(history.report().missing_days.is_empty());
    // The fall-back Sunday is stored like any other: 01:00 slots hold 1, not 2.
    let sunday = history.index_of(date(2026, 11, 1)).unwrap();
    assert_eq!(history.day(sunday).unwrap().volume[4], 1.0);
    // A plain week, then a week whose Sunday (2027-11-07) falls back: its repeated 01:00 hour
    // gets the 01:00 value twice, and no interval is lost or doubled.
    let plan = Horizon::new(date(2026, 11, 9), 7, 15, zone).unwrap();
    let result = forecast::forecast_queue(
        history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::SeasonalNaive)),
        &[],
        None,
    )
    .unwrap();
    for i in 0..plan.len() {
        let hour = f64::from(plan.local_minute(i) / 60);
        assert_eq!(result.volume[i], hour, "{}", plan.local_start(i));
    }
    let plan = Horizon::new(date(2027, 11, 1), 7, 15, zone).unwrap();
    assert_eq!(plan.len(), 7 * 96 + 4);
    let result = forecast::forecast_queue(
        history,
        &plan,
        &settings(MethodChoice::Fixed(MethodKind::WeekdayAverage)),
        &[],
        None,
    )
    .unwrap();
    for i in 0..plan.len() {
        let hour = f64::from(plan.local_minute(i) / 60);
        assert!(
            (result.volume[i] - hour).abs() < 1e-9,
            "{}",
            plan.local_start(i)
        );
    }
}

#[test]
fn the_same_input_gives_the_same_forecast() {
    let mut rng = Poisson(3);
    let first = date(2026, 3, 2);
    let data: Vec<Option<Vec<f64>>> = (0..10 * 7)
        .map(|d| {
            let w = (first + Duration::days(d as i64)).weekday();
            Some((0..24).map(|h| rng.draw(weekly_shape(w, h))).collect())
        })
        .collect();
    let history = QueueHistory::from_days("support", chrono_tz::UTC, 60, first, data);
    let plan = horizon(first + Duration::days(70), 7);
    let run = || {
        let result =
            forecast::forecast_queue(&history, &plan, &settings(MethodChoice::Auto), &[], None)
                .unwrap();
        let mut bytes = Vec::new();
        forecast::write_forecast_csv(&mut bytes, &plan, &[ForecastSeries::from(&result)]).unwrap();
        bytes
    };
    assert_eq!(run(), run());
}
