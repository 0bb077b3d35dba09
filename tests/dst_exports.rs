//! Exports across DST changes: every local time carries its own UTC offset, so the length of
//! any row reads off its local columns. Checked on a night-shift week around the New York
//! fall-back, a Berlin spring-forward week, and Santiago, whose clocks change at midnight
//! (spring forward: 2026-09-06 00:00 does not exist; fall back: 2026-04-04 23:00 happens twice).

mod util;

use chrono::{DateTime, FixedOffset, Utc};
use util::{Scratch, staffplan, stderr};

/// A 24-hour voice queue with night and day shifts (breaks inside), and 40 agents in `zone`
/// available around the clock.
fn setup(scratch: &Scratch, zone: &str, start: &str) {
    scratch.write(
        "scenario.toml",
        &format!(
            r#"
agents = "agents.csv"

[plan]
name = "DST week"
start = {start}
days = 7
interval_minutes = 60
time_zone = "{zone}"

[[queue]]
id = "voice"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "volume.csv"

[[shift]]
name = "night"
length = "8h30m"
paid = "8h"
start_window = "20:00-23:00"
start_step = "1h"
cost_per_hour = 22.0
[[shift.break]]
duration = "30m"
paid = false
earliest = "3h"
latest = "5h"

[[shift]]
name = "day"
length = "8h30m"
paid = "8h"
start_window = "05:00-14:00"
start_step = "1h"
cost_per_hour = 20.0
[[shift.break]]
duration = "30m"
paid = false
earliest = "3h"
latest = "5h"
"#
        ),
    );
    let mut agents = String::from(
        "id,name,skills,site,time_zone,min_weekly_hours,max_weekly_hours,max_days_per_week,\
         max_consecutive_days,preferred_start,weekdays,weekend\n",
    );
    for k in 0..40 {
        agents.push_str(&format!(
            "A{k:02},Agent {k},voice,Site,{zone},0,40,5,5,,00:00-24:00,00:00-24:00\n"
        ));
    }
    scratch.write("agents.csv", &agents);
    // 12 calls an hour (of local wall-clock time), every hour of the week and the days around.
    let tz: chrono_tz::Tz = zone.parse().unwrap();
    let first: chrono::NaiveDate = start.parse().unwrap();
    let mut volume = String::from("interval_start,queue,volume\n");
    let begin = first.and_hms_opt(0, 0, 0).unwrap() - chrono::Duration::days(1);
    let mut t = begin.and_utc() - chrono::Duration::hours(24);
    let end = t + chrono::Duration::days(10);
    while t < end {
        volume.push_str(&format!("{},voice,12\n", t.with_timezone(&tz).to_rfc3339()));
        t += chrono::Duration::hours(1);
    }
    scratch.write("volume.csv", &volume);
}

fn local(text: &str) -> DateTime<FixedOffset> {
    DateTime::parse_from_str(text, "%Y-%m-%dT%H:%M%:z")
        .or_else(|_| DateTime::parse_from_rfc3339(text))
        .unwrap_or_else(|e| panic!("{text:?} is not a local time with its offset: {e}"))
}

fn utc(text: &str) -> DateTime<Utc> {
    text.parse()
        .unwrap_or_else(|e| panic!("{text:?} is not UTC: {e}"))
}

fn rows(path: &std::path::Path) -> Vec<csv::StringRecord> {
    let mut reader = csv::Reader::from_path(path).unwrap();
    reader.records().map(Result::unwrap).collect()
}

/// Every roster.csv, shifts.csv and coverage.csv row reads the same length locally as in UTC.
fn check_week(zone: &str, start: &str, change: &str) {
    let scratch = Scratch::new("dst-exports");
    setup(&scratch, zone, start);
    let out = scratch.path("out");
    let run = staffplan(&[
        "run",
        scratch.path("scenario.toml").to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{zone}: {}", stderr(&run));

    // roster.csv: shift and break lengths, local against UTC; every row's offsets differ
    // at least once across the change (the point of the test).
    let roster = rows(&out.join("roster.csv"));
    assert!(roster.len() > 40, "{zone}: {} roster rows", roster.len());
    let mut across = 0;
    for row in &roster {
        let (start_local, end_local) = (local(&row[3]), local(&row[4]));
        let (start_utc, end_utc) = (utc(&row[5]), utc(&row[6]));
        assert_eq!(start_local, start_utc, "{zone}: {row:?}");
        assert_eq!(end_local, end_utc, "{zone}: {row:?}");
        assert_eq!(
            end_local - start_local,
            end_utc - start_utc,
            "{zone}: local length differs from UTC length in {row:?}"
        );
        if start_local.offset() != end_local.offset() {
            across += 1;
        }
        for part in row[9].split(';').filter(|p| !p.is_empty()) {
            let (a, b) = part.split_once('/').unwrap();
            let (a, b) = (local(a), local(b));
            assert_eq!(b - a, chrono::Duration::minutes(30), "{zone}: break {part}");
            assert!(
                a >= start_local && b <= end_local,
                "{zone}: break {part} outside"
            );
        }
    }
    assert!(across > 0, "{zone}: no shift crosses the {change}");

    // shifts.csv: local start and end with their offsets, and the break starts.
    for row in rows(&out.join("shifts.csv")) {
        let (start_utc, end_utc) = (utc(&row[3]), utc(&row[4]));
        let (start_local, end_local) = (local(&row[5]), local(&row[6]));
        assert_eq!((start_local, end_local), (start_utc.into(), end_utc.into()));
        assert_eq!(end_local - start_local, end_utc - start_utc, "{row:?}");
        let breaks_utc: Vec<&str> = row[10].split(';').filter(|p| !p.is_empty()).collect();
        let breaks_local: Vec<&str> = row[11].split(';').filter(|p| !p.is_empty()).collect();
        assert_eq!(breaks_utc.len(), breaks_local.len());
        for (u, l) in breaks_utc.iter().zip(&breaks_local) {
            assert_eq!(local(l), utc(u), "{row:?}");
        }
    }

    // coverage.csv: each interval's local start is its UTC start, the hours tile the week.
    let coverage = rows(&out.join("coverage.csv"));
    let mut previous: Option<DateTime<Utc>> = None;
    for row in &coverage {
        let (start_utc, start_local) = (utc(&row[0]), local(&row[1]));
        assert_eq!(start_local, start_utc, "{row:?}");
        if let Some(p) = previous {
            assert_eq!(start_utc - p, chrono::Duration::hours(1), "{row:?}");
        }
        previous = Some(start_utc);
    }
}

#[test]
fn new_york_fall_back_night_shifts_read_their_own_offsets() {
    check_week(
        "America/New_York",
        "2026-10-26",
        "fall-back of 2026-11-01 02:00",
    );
}

#[test]
fn berlin_spring_forward_week() {
    check_week(
        "Europe/Berlin",
        "2026-03-23",
        "spring-forward of 2026-03-29 02:00",
    );
}

#[test]
fn santiago_midnight_skipped() {
    check_week(
        "America/Santiago",
        "2026-08-31",
        "spring-forward at midnight of 2026-09-06",
    );
}

#[test]
fn santiago_midnight_repeated() {
    check_week(
        "America/Santiago",
        "2026-03-30",
        "fall-back at midnight of 2026-04-05",
    );
}
