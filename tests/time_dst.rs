//! The time grid across DST changes: no interval lost, none doubled, local labels right.

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use proptest::prelude::*;
use staffplan::time::{Horizon, format_local, format_utc, local_day_start, parse_timestamp};

fn date(y: i32, m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(y, m, d).unwrap()
}

/// Independent check of a horizon: contiguous UTC steps from local midnight to local midnight,
/// every local label parses back to the same instant, and no instant appears twice.
fn assert_grid_sound(horizon: &Horizon) {
    let zone = horizon.zone();
    let step = Duration::minutes(i64::from(horizon.interval_minutes()));
    assert_eq!(
        horizon.start(0),
        local_day_start(zone, horizon.start_date())
    );
    for i in 1..horizon.len() {
        assert_eq!(
            horizon.start(i) - horizon.start(i - 1),
            step,
            "gap or overlap at {i}"
        );
    }
    let end = local_day_start(
        zone,
        horizon.start_date() + Duration::days(i64::from(horizon.days())),
    );
    assert_eq!(horizon.end_of(horizon.len() - 1), end);
    let total: usize = (0..horizon.days() as usize)
        .map(|d| horizon.day_range(d).len())
        .sum();
    assert_eq!(total, horizon.len());
    for i in 0..horizon.len() {
        let label = format_local(horizon.start(i), zone);
        assert_eq!(
            parse_timestamp(&label, zone).unwrap(),
            horizon.start(i),
            "{label}"
        );
        assert_eq!(
            horizon.local_start(i).date_naive(),
            horizon.date_of_day(horizon.day_of(i)),
            "interval {i} on the wrong day"
        );
    }
}

#[test]
fn new_york_fall_back_week_has_seven_days_of_96_plus_4() {
    let zone: Tz = "America/New_York".parse().unwrap();
    let horizon = Horizon::new(date(2026, 10, 26), 7, 15, zone).unwrap();
    assert_eq!(horizon.len(), 7 * 96 + 4);
    let day_lengths: Vec<usize> = (0..7).map(|d| horizon.day_range(d).len()).collect();
    assert_eq!(day_lengths, [96, 96, 96, 96, 96, 96, 100]);
    assert_grid_sound(&horizon);
    // The repeated hour appears twice with different offsets.
    let repeated: Vec<String> = (0..horizon.len())
        .map(|i| format_local(horizon.start(i), zone))
        .filter(|l| l.starts_with("2026-11-01T01:"))
        .collect();
    assert_eq!(repeated.len(), 8);
    assert_eq!(repeated.iter().filter(|l| l.ends_with("-04:00")).count(), 4);
    assert_eq!(repeated.iter().filter(|l| l.ends_with("-05:00")).count(), 4);
    assert_eq!(format_utc(horizon.start(0)), "2026-10-26T04:00:00Z");
    assert_eq!(format_utc(horizon.horizon_end()), "2026-11-02T05:00:00Z");
}

#[test]
fn london_spring_forward_week_has_seven_days_of_96_minus_4() {
    let zone: Tz = "Europe/London".parse().unwrap();
    let horizon = Horizon::new(date(2026, 3, 23), 7, 15, zone).unwrap();
    assert_eq!(horizon.len(), 7 * 96 - 4);
    assert_grid_sound(&horizon);
    let labels: Vec<String> = (0..horizon.len())
        .map(|i| format_local(horizon.start(i), zone))
        .collect();
    assert!(labels.contains(&"2026-03-29T00:45:00+00:00".to_string()));
    assert!(labels.contains(&"2026-03-29T02:00:00+01:00".to_string()));
    assert!(!labels.iter().any(|l| l.starts_with("2026-03-29T01:")));
}

#[test]
fn zone_with_half_hour_dst_refuses_hour_grid_and_accepts_half_hours() {
    // Lord Howe Island shifts by 30 minutes: a 60-minute grid cannot tile that day.
    let zone: Tz = "Australia/Lord_Howe".parse().unwrap();
    let err = Horizon::new(date(2026, 4, 1), 7, 60, zone).unwrap_err();
    assert_eq!(err.codes(), ["T1005"]);
    let horizon = Horizon::new(date(2026, 4, 1), 7, 30, zone).unwrap();
    assert_eq!(horizon.len(), 7 * 48 + 1);
    assert_grid_sound(&horizon);
}

#[test]
fn midnight_skipped_by_dst_starts_the_day_at_the_first_real_time() {
    // America/Havana springs forward at midnight: 2026-03-08 00:00 does not exist.
    let zone: Tz = "America/Havana".parse().unwrap();
    let horizon = Horizon::new(date(2026, 3, 2), 7, 15, zone).unwrap();
    assert_eq!(horizon.len(), 7 * 96 - 4);
    assert_grid_sound(&horizon);
}

#[test]
fn year_of_five_minute_intervals_is_refused_with_the_limit() {
    let zone: Tz = "UTC".parse().unwrap();
    let err = Horizon::new(date(2026, 1, 1), 365, 5, zone).unwrap_err();
    assert_eq!(err.codes(), ["T1006"]);
    assert!(err.to_string().contains("50000"));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(300))]
    #[test]
    fn every_zone_and_week_tiles_without_loss(
        zone_index in 0..chrono_tz::TZ_VARIANTS.len(),
        day_offset in 0i64..3650,
        interval in prop::sample::select(vec![15u32, 30]),
    ) {
        let zone = chrono_tz::TZ_VARIANTS[zone_index];
        let start = date(2020, 1, 1) + Duration::days(day_offset);
        match Horizon::new(start, 7, interval, zone) {
            Ok(horizon) => assert_grid_sound(&horizon),
            // Only a DST shift that the grid cannot tile may be refused.
            Err(e) => prop_assert_eq!(e.codes(), vec!["T1005"]),
        }
    }
}
