//! iCalendar export: the file parses with independent parsers (the `ical` crate, and Python's
//! `icalendar` from PyPI in a venv under target/) and round-trips every start and end instant
//! of roster.csv, in a week with a DST change (America/New_York, week of 2026-10-26).

use std::collections::BTreeMap;
use std::process::Command;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use staffplan::domain::{Assignment, BreakSlot, Roster, Rules, ShiftSlot};
use staffplan::export::ics::{calendar, write_ics};
use staffplan::export::roster_csv::write_roster_csv;
use staffplan::roster::synthetic::{generate, local_instant};
use staffplan::roster::{RosterInput, assign};
use staffplan::time::Horizon;

mod util;

/// A roster over the fall-back week, plus a night shift across the change and a name that
/// needs escaping and folding.
fn dst_roster() -> (Vec<staffplan::domain::Agent>, Roster, Horizon) {
    let zone: Tz = "America/New_York".parse().unwrap();
    let monday = NaiveDate::from_ymd_opt(2026, 10, 26).unwrap();
    let horizon = Horizon::new(monday, 7, 15, zone).unwrap();
    let mut case = generate(
        12,
        &horizon,
        &[zone, "Europe/Lisbon".parse().unwrap()],
        0.9,
        3,
    );
    case.agents[0].name =
        "Núñez, María; \"night\" desk \\ with a very long name that must be folded across lines"
            .into();
    let rules = Rules::default();
    let outcome = assign(RosterInput {
        slots: &case.slots,
        agents: &case.agents,
        time_off: &case.time_off,
        rules: &rules,
        horizon: &horizon,
    });
    let mut roster = outcome.roster;
    // Saturday 22:00 to Sunday 06:00 local: 9 real hours because 01:00-02:00 happens twice.
    let start = local_instant(zone, monday + Duration::days(5), 22, 0);
    let end = local_instant(zone, monday + Duration::days(6), 6, 0);
    assert_eq!(end - start, Duration::hours(9));
    roster.assignments.push(Assignment {
        agent_id: case.agents[0].id.clone(),
        slot: ShiftSlot {
            slot_id: "night@2026-11-01#0".into(),
            template: "night".into(),
            skill_group: case.agents[0].skill_groups[0].clone(),
            start,
            end,
            local_date: monday + Duration::days(5),
            breaks: vec![BreakSlot {
                start: start + Duration::hours(4),
                end: start + Duration::minutes(270),
                paid: false,
            }],
            paid_seconds: 8.5 * 3600.0,
            cost: 0.0,
        },
    });
    (case.agents, roster, horizon)
}

fn ics_text(agents: &[staffplan::domain::Agent], roster: &Roster, horizon: &Horizon) -> String {
    let refs: Vec<&Assignment> = roster.assignments.iter().collect();
    let cal = calendar("Roster", &refs, agents, horizon.horizon_start());
    let mut bytes = Vec::new();
    write_ics(&mut bytes, &cal).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// UID -> (start, end) expected from roster.csv's start_utc/end_utc columns.
fn expected_from_csv(
    agents: &[staffplan::domain::Agent],
    roster: &Roster,
) -> Vec<(DateTime<Utc>, DateTime<Utc>)> {
    let mut bytes = Vec::new();
    write_roster_csv(&mut bytes, roster, agents).unwrap();
    let mut reader = csv::Reader::from_reader(bytes.as_slice());
    let mut out: Vec<(DateTime<Utc>, DateTime<Utc>)> = reader
        .records()
        .map(|r| {
            let r = r.unwrap();
            (r[5].parse().unwrap(), r[6].parse().unwrap())
        })
        .collect();
    out.sort();
    out
}

fn parse_ics_utc(value: &str) -> DateTime<Utc> {
    chrono::NaiveDateTime::parse_from_str(value, "%Y%m%dT%H%M%SZ")
        .unwrap()
        .and_utc()
}

#[test]
fn ics_is_rfc5545_shaped_and_round_trips_with_the_ical_crate() {
    let (agents, roster, horizon) = dst_roster();
    let text = ics_text(&agents, &roster, &horizon);
    // Lines end in CRLF and are folded at 75 octets.
    assert!(text.ends_with("\r\n"));
    for line in text.split("\r\n") {
        assert!(line.len() <= 75, "line of {} octets: {line:?}", line.len());
        assert!(!line.contains('\n'));
    }
    assert!(text.starts_with("BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:"));
    // Same roster, same bytes.
    assert_eq!(text, ics_text(&agents, &roster, &horizon));

    let parser = ical::IcalParser::new(text.as_bytes());
    let calendars: Vec<_> = parser.map(|c| c.unwrap()).collect();
    assert_eq!(calendars.len(), 1);
    let mut uids = BTreeMap::new();
    let mut instants = Vec::new();
    for event in &calendars[0].events {
        let get = |name: &str| {
            event
                .properties
                .iter()
                .find(|p| p.name == name)
                .and_then(|p| p.value.clone())
                .unwrap_or_else(|| panic!("{name} missing"))
        };
        assert!(uids.insert(get("UID"), ()).is_none(), "duplicate UID");
        assert_eq!(get("DTSTAMP"), "20261026T040000Z");
        instants.push((parse_ics_utc(&get("DTSTART")), parse_ics_utc(&get("DTEND"))));
        if get("SUMMARY").contains("Núñez") {
            assert!(
                get("SUMMARY").contains("Núñez\\, María\\; \\\"night\\\"")
                    || get("SUMMARY").contains("Núñez\\, María\\;"),
                "{}",
                get("SUMMARY")
            );
        }
    }
    instants.sort();
    assert_eq!(instants, expected_from_csv(&agents, &roster));
    assert!(
        instants.iter().any(|(s, e)| *e - *s == Duration::hours(9)),
        "the DST night shift is there"
    );
}

#[test]
fn ics_round_trips_with_python_icalendar() {
    let (agents, roster, horizon) = dst_roster();
    let text = ics_text(&agents, &roster, &horizon);
    let scratch = util::Scratch::new("ics-python");
    let ics = scratch.write("roster.ics", &text);
    let venv = util::repo("target/ics-venv");
    let python = venv.join("bin/python");
    if !python.exists() {
        let made = Command::new("python3")
            .args(["-m", "venv"])
            .arg(&venv)
            .status();
        if !made.is_ok_and(|s| s.success()) {
            eprintln!(
                "SKIPPED: python3 -m venv is not available, cannot run the Python icalendar check"
            );
            return;
        }
    }
    let has = Command::new(&python)
        .args(["-c", "import icalendar"])
        .output()
        .map(|o| o.status);
    if !has.is_ok_and(|s| s.success()) {
        let installed = Command::new(&python)
            .args(["-m", "pip", "install", "--quiet", "icalendar"])
            .status();
        if !installed.is_ok_and(|s| s.success()) {
            eprintln!("SKIPPED: pip could not install icalendar from PyPI");
            return;
        }
    }
    let script = r#"
import sys, icalendar
cal = icalendar.Calendar.from_ical(open(sys.argv[1], 'rb').read())
for ev in cal.walk('VEVENT'):
    s = ev.decoded('DTSTART'); e = ev.decoded('DTEND')
    print(s.strftime('%Y-%m-%dT%H:%M:%SZ'), e.strftime('%Y-%m-%dT%H:%M:%SZ'), s.utcoffset().total_seconds(), str(ev['SUMMARY']), sep='\t')
"#;
    let output = Command::new(&python)
        .args(["-c", script])
        .arg(&ics)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let stdout = String::from_utf8(output.stdout).unwrap();
    let mut instants: Vec<(DateTime<Utc>, DateTime<Utc>)> = Vec::new();
    let mut summaries = Vec::new();
    for line in stdout.lines() {
        let parts: Vec<&str> = line.split('\t').collect();
        assert_eq!(parts[2], "0.0", "times are UTC");
        instants.push((parts[0].parse().unwrap(), parts[1].parse().unwrap()));
        summaries.push(parts[3].to_string());
    }
    instants.sort();
    assert_eq!(instants, expected_from_csv(&agents, &roster));
    assert!(
        summaries
            .iter()
            .any(|s| s.contains("Núñez, María; \"night\" desk \\ with a very long name")),
        "{summaries:?}"
    );
}
