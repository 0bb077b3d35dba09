//! The independent schedule checker on deliberately broken `shifts.csv` files: a solved plan
//! passes, and for every rule of the checker one tampered copy of the file (a cell edited, a
//! row duplicated, moved or removed) breaks exactly that rule and is reported by name and
//! line. The coverage it recomputes follows a removed row, and the multi-skill shortfall is
//! the Gale deficiency computed by hand.

mod util;

use std::collections::BTreeSet;
use std::sync::OnceLock;

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use staffplan::check::schedule::{PlanContext, ScheduleCheck, check_schedule, read_shifts_csv};
use staffplan::roster::synthetic::local_instant;
use staffplan::scenario::Scenario;
use staffplan::schedule::{self, ScheduleInput, ScheduleOptions, export};
use staffplan::time::{format_local, format_utc};

/// Monday 23 and Tuesday 24 November 2026 in Chicago (UTC−6, no DST change): a voice-only
/// morning template allowed on Mondays only (one break, a per-day maximum, hourly starts)
/// and a blended voice+chat template every day (two breaks, a per-day minimum); hourly grid.
const SCENARIO: &str = r#"
[plan]
start = 2026-11-23
days = 2
interval_minutes = 60
time_zone = "America/Chicago"

[[queue]]
id = "voice"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[queue]]
id = "chat"
channel = "chat"
aht = "6m"
service_level = 0.8
answer_within = "60s"
forecast = "unused.csv"

[[skill_group]]
id = "blended"
queues = ["voice", "chat"]

[[skill_group]]
id = "voice-only"
queues = ["voice"]

[[shift]]
name = "early"
length = "6h"
start_window = "06:00-10:00"
start_step = "2h"
days = ["mon"]
cost_per_hour = 10.0
skill_group = "voice-only"
max_agents = 4
[[shift.break]]
duration = "30m"
earliest = "2h"
latest = "3h"

[[shift]]
name = "blend"
length = "8h"
start_window = "08:00-12:00"
start_step = "1h"
days = "all"
cost_per_hour = 12.0
skill_group = "blended"
min_agents = 2
[[shift.break]]
duration = "15m"
paid = true
earliest = "1h"
latest = "2h"
[[shift.break]]
duration = "30m"
earliest = "4h"
latest = "5h"

[limits]
max_headcount_per_day = 14
"#;

const EARLY_MAX_AGENTS: u32 = 4;
const HEADCOUNT_LIMIT: u32 = 14;

fn zone() -> Tz {
    "America/Chicago".parse().unwrap()
}

fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

/// Voice in the morning and early afternoon, chat from late morning; less on Tuesday.
fn requirement(scenario: &Scenario) -> Vec<Vec<u32>> {
    let horizon = &scenario.horizon;
    let mut voice = vec![0u32; horizon.len()];
    let mut chat = vec![0u32; horizon.len()];
    for i in 0..horizon.len() {
        let hour = horizon.local_minute(i) / 60;
        let monday = horizon.day_of(i) == 0;
        voice[i] = match (monday, hour) {
            (true, 7..=12) => 3,
            (true, 13..=15) => 2,
            (false, 9..=16) => 2,
            _ => 0,
        };
        chat[i] = match (monday, hour) {
            (true, 10..=16) => 2,
            (false, 10..=17) => 1,
            _ => 0,
        };
    }
    vec![voice, chat]
}

struct Fixture {
    scenario: Scenario,
    required: Vec<Vec<u32>>,
    /// The solver's shifts.csv.
    csv: String,
    cost: f64,
    agent_shifts: usize,
    /// The solver's own presence per group per interval.
    present: Vec<Vec<f64>>,
    /// The solver's shortfall per interval, all queues.
    shortfall: Vec<f64>,
}

/// The scenario solved once for all tests of this file.
fn fixture() -> &'static Fixture {
    static FIXTURE: OnceLock<Fixture> = OnceLock::new();
    FIXTURE.get_or_init(|| {
        let scenario = Scenario::from_toml(SCENARIO, "broken.toml".as_ref(), ".".as_ref()).unwrap();
        let required = requirement(&scenario);
        let input = ScheduleInput::new(&scenario, required.clone());
        let plan = schedule::schedule(&input, &ScheduleOptions::default()).unwrap();
        let mut csv = Vec::new();
        export::write_shifts_csv(&mut csv, &export::shift_rows(&input, &plan)).unwrap();
        // The clean file passes, costs what the solver says and covers what it says.
        let check = util::check_shifts_csv(&input, &csv);
        assert!(check.violations.is_empty(), "{:?}", check.violations);
        assert!(
            (check.cost - plan.report.cost).abs() < 1e-6,
            "checker cost {} vs solver cost {}",
            check.cost,
            plan.report.cost
        );
        assert_eq!(check.agent_shifts, plan.agents.len() as u64);
        util::assert_same_coverage(&check, &plan);
        let shortfall = (0..scenario.horizon.len())
            .map(|i| plan.coverage.shortfall.iter().map(|row| row[i]).sum())
            .collect();
        Fixture {
            csv: String::from_utf8(csv).unwrap(),
            cost: plan.report.cost,
            agent_shifts: plan.agents.len(),
            present: plan.coverage.present.clone(),
            shortfall,
            required,
            scenario,
        }
    })
}

fn check_text(fixture: &Fixture, required: &[Vec<u32>], text: &str) -> ScheduleCheck {
    let rows = read_shifts_csv(text.as_bytes(), "shifts.csv").unwrap();
    check_schedule(
        &PlanContext {
            horizon: &fixture.scenario.horizon,
            cyclic: fixture.scenario.plan.cyclic,
            rules: &fixture.scenario.shifts,
            required,
        },
        &rows,
    )
}

fn check(text: &str) -> ScheduleCheck {
    let fixture = fixture();
    check_text(fixture, &fixture.required, text)
}

/// `shifts.csv` as cells, to tamper with.
#[derive(Clone)]
struct Table {
    header: Vec<String>,
    rows: Vec<Vec<String>>,
}

impl Table {
    fn parse(text: &str) -> Table {
        let mut reader = csv::Reader::from_reader(text.as_bytes());
        let header = reader.headers().unwrap().iter().map(String::from).collect();
        let rows = reader
            .records()
            .map(|r| r.unwrap().iter().map(String::from).collect())
            .collect();
        Table { header, rows }
    }

    fn text(&self) -> String {
        let mut writer = csv::Writer::from_writer(Vec::new());
        writer.write_record(&self.header).unwrap();
        for row in &self.rows {
            writer.write_record(row).unwrap();
        }
        String::from_utf8(writer.into_inner().unwrap()).unwrap()
    }

    fn col(&self, name: &str) -> usize {
        self.header.iter().position(|h| h == name).unwrap()
    }

    fn get(&self, row: usize, name: &str) -> &str {
        &self.rows[row][self.col(name)]
    }

    fn set(&mut self, row: usize, name: &str, value: impl Into<String>) {
        let c = self.col(name);
        self.rows[row][c] = value.into();
    }

    fn agents(&self, row: usize) -> u32 {
        self.get(row, "agents").parse().unwrap()
    }

    /// First row matching `template` and `local_date`.
    fn find(&self, template: &str, date: NaiveDate) -> usize {
        self.rows
            .iter()
            .position(|r| {
                r[self.col("template")] == template && r[self.col("local_date")] == date.to_string()
            })
            .unwrap_or_else(|| panic!("no {template} row on {date}:\n{}", self.text()))
    }

    fn start(&self, row: usize) -> DateTime<Utc> {
        utc(self.get(row, "start_utc"))
    }

    fn breaks(&self, row: usize) -> Vec<DateTime<Utc>> {
        self.get(row, "break_starts_utc")
            .split(';')
            .filter(|s| !s.is_empty())
            .map(utc)
            .collect()
    }

    fn set_breaks(&mut self, row: usize, starts: &[DateTime<Utc>]) {
        let join = |f: &dyn Fn(DateTime<Utc>) -> String| {
            starts.iter().map(|&s| f(s)).collect::<Vec<_>>().join(";")
        };
        self.set(row, "break_starts_utc", join(&|s| format_utc(s)));
        self.set(
            row,
            "break_starts_local",
            join(&|s| format_local(s, zone())),
        );
    }

    /// Moves a whole row (shift, breaks, local columns and local date) by `by`.
    fn move_row(&mut self, row: usize, by: Duration) {
        let start = self.start(row) + by;
        let end = utc(self.get(row, "end_utc")) + by;
        let breaks: Vec<DateTime<Utc>> = self.breaks(row).into_iter().map(|b| b + by).collect();
        self.set(row, "start_utc", format_utc(start));
        self.set(row, "end_utc", format_utc(end));
        self.set(row, "start_local", format_local(start, zone()));
        self.set(row, "end_local", format_local(end, zone()));
        self.set(
            row,
            "local_date",
            start.with_timezone(&zone()).date_naive().to_string(),
        );
        self.set_breaks(row, &breaks);
    }

    /// Inserts a copy of `row` right after it; returns the copy's index.
    fn duplicate(&mut self, row: usize) -> usize {
        let copy = self.rows[row].clone();
        self.rows.insert(row + 1, copy);
        row + 1
    }
}

/// Line of a row in the file (1 = header).
fn line(row: usize) -> usize {
    row + 2
}

fn utc(text: &str) -> DateTime<Utc> {
    DateTime::parse_from_rfc3339(text)
        .unwrap()
        .with_timezone(&Utc)
}

fn clean() -> Table {
    Table::parse(&fixture().csv)
}

fn rules(check: &ScheduleCheck) -> BTreeSet<&'static str> {
    check.violations.iter().map(|v| v.rule).collect()
}

/// Asserts the check reports exactly the rules `expected`, each of them on `line` (None for
/// rules of the whole plan), and names the line as `shifts.csv:LINE:`.
#[track_caller]
fn assert_broken(check: &ScheduleCheck, expected: &[&str], line: Option<usize>) {
    let found = rules(check);
    let want: BTreeSet<&str> = expected.iter().copied().collect();
    assert_eq!(found, want, "{:#?}", check.violations);
    for violation in &check.violations {
        assert_eq!(violation.line, line, "{violation}");
        if let Some(line) = line {
            assert!(
                violation
                    .to_string()
                    .starts_with(&format!("shifts.csv:{line}: ")),
                "{violation}"
            );
        }
    }
}

/// Every rule name the checker can report, read from its source: a new rule fails the test
/// below until a tampered file covers it.
fn rules_in_source() -> BTreeSet<String> {
    let source = include_str!("../src/check/schedule.rs");
    let mut out = BTreeSet::new();
    for marker in ["flag(", "rule: "] {
        for (at, _) in source.match_indices(marker) {
            // The rule is the string literal right after the marker (maybe on the next line).
            if let Some(rest) = source[at + marker.len()..].trim_start().strip_prefix('"') {
                out.insert(rest.chars().take_while(|&c| c != '"').collect());
            }
        }
    }
    out
}

#[test]
fn the_solved_plan_passes_and_its_figures_agree() {
    let fixture = fixture();
    let check = check(&fixture.csv);
    assert!(check.violations.is_empty(), "{:?}", check.violations);
    assert!((check.cost - fixture.cost).abs() < 1e-6);
    assert_eq!(check.agent_shifts, fixture.agent_shifts as u64);
    // The plan uses both templates on Monday and the blended one on Tuesday, which the
    // tampered files below rely on.
    let table = clean();
    table.find("early", monday());
    table.find("blend", monday());
    table.find("blend", monday() + Duration::days(1));
    // Every template-day limit holds with room for the tampers below.
    for day in 0..2 {
        let date = (monday() + Duration::days(day)).to_string();
        let headcount: u32 = (0..table.rows.len())
            .filter(|&r| table.get(r, "local_date") == date)
            .map(|r| table.agents(r))
            .sum();
        assert!(
            headcount + EARLY_MAX_AGENTS < HEADCOUNT_LIMIT,
            "{headcount} agents on {date}"
        );
    }
}

#[test]
fn every_rule_of_the_checker_breaks_alone() {
    let tuesday = monday() + Duration::days(1);
    let mut covered: BTreeSet<&str> = BTreeSet::new();
    let mut case = |name: &str, table: &Table, expected: &[&'static str], line: Option<usize>| {
        let check = check(&table.text());
        eprintln!("{name}: {:?}", check.violations);
        assert_broken(&check, expected, line);
        covered.extend(expected.iter().copied());
        check
    };

    // template: a name the scenario does not have.
    let mut t = clean();
    let r = t.find("early", monday());
    t.set(r, "template", "late");
    case("unknown template", &t, &["template"], Some(line(r)));

    // skill_group: the row says the other group.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    t.set(r, "skill_group", "voice-only");
    case("skill group", &t, &["skill_group"], Some(line(r)));

    // agents: a duplicated row with zero agents (changes no count).
    let mut t = clean();
    let r = t.duplicate(t.find("blend", monday()));
    t.set(r, "agents", "0");
    case("zero agents", &t, &["agents"], Some(line(r)));

    // timestamp: a duplicated row whose end cannot be read (the row is skipped).
    let mut t = clean();
    let r = t.duplicate(t.find("early", monday()));
    let end = t.get(r, "end_utc").replace('T', " at ");
    t.set(r, "end_utc", end);
    case("unreadable end", &t, &["timestamp"], Some(line(r)));

    // local_time: start_local an hour off its UTC instant.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    let local = format_local(t.start(r) + Duration::hours(1), zone());
    t.set(r, "start_local", local);
    case("local time", &t, &["local_time"], Some(line(r)));

    // length: the shift ends half an hour late (its breaks stay inside it).
    let mut t = clean();
    let r = t.find("early", monday());
    let end = utc(t.get(r, "end_utc")) + Duration::minutes(30);
    t.set(r, "end_utc", format_utc(end));
    case("length", &t, &["length"], Some(line(r)));

    // grid: a break 15 minutes off the interval grid, still inside its window.
    let mut t = clean();
    let r = t.find("early", monday());
    let b = t.breaks(r)[0];
    let offset = (b - t.start(r)).num_minutes();
    let by = if offset + 15 <= 180 { 15 } else { -15 };
    t.set_breaks(r, &[b + Duration::minutes(by)]);
    case("break off the grid", &t, &["grid"], Some(line(r)));

    // grid again: the whole shift 15 minutes late is off the grid (start and break) and so
    // also off the template's start steps.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    t.move_row(r, Duration::minutes(15));
    case(
        "shift off the grid",
        &t,
        &["grid", "start_window"],
        Some(line(r)),
    );

    // local_date: a duplicated row with an unreadable date (the row is skipped).
    let mut t = clean();
    let r = t.duplicate(t.find("blend", tuesday));
    t.set(r, "local_date", "2026-11-31");
    case("unreadable date", &t, &["local_date"], Some(line(r)));

    // local_date: a copy of a Monday row one week later, outside the two-day plan (same
    // weekday, so no other rule breaks; outside the plan nothing is covered or counted).
    let mut t = clean();
    let r = t.duplicate(t.find("early", monday()));
    t.move_row(r, Duration::days(7));
    let check_late = check(&t.text());
    assert_eq!(
        check_late.present,
        check(&fixture().csv).present,
        "a shift outside the plan covers nothing"
    );
    case("date outside the plan", &t, &["local_date"], Some(line(r)));

    // weekday: a Monday-only shift moved to Tuesday (one agent, under every limit).
    let mut t = clean();
    let r = t.find("early", monday());
    t.move_row(r, Duration::days(1));
    t.set(r, "agents", "1");
    case("weekday", &t, &["weekday"], Some(line(r)));

    // start_window: a blended shift moved to 13:00, past its 08:00-12:00 window.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    let local_start = t.start(r).with_timezone(&zone()).naive_local().time();
    let target = chrono::NaiveTime::from_hms_opt(13, 0, 0).unwrap();
    t.move_row(r, target - local_start);
    case(
        "start after the window",
        &t,
        &["start_window"],
        Some(line(r)),
    );

    // start_window: a template starting every two hours started at 07:00, inside its window
    // and on the interval grid but between its steps.
    let mut t = clean();
    let r = t.find("early", monday());
    let local_start = t.start(r).with_timezone(&zone()).naive_local().time();
    let target = chrono::NaiveTime::from_hms_opt(7, 0, 0).unwrap();
    t.move_row(r, target - local_start);
    case(
        "start between the steps",
        &t,
        &["start_window"],
        Some(line(r)),
    );

    // breaks: the break start left out.
    let mut t = clean();
    let r = t.find("early", monday());
    t.set(r, "break_starts_utc", "");
    case("missing break", &t, &["breaks"], Some(line(r)));

    // breaks: a break start that cannot be read.
    let mut t = clean();
    let r = t.find("blend", monday());
    let starts = t.get(r, "break_starts_utc").replacen('Z', "Q", 1);
    t.set(r, "break_starts_utc", starts);
    case("unreadable break", &t, &["breaks"], Some(line(r)));

    // break_window: the break an hour before its earliest start (on the grid).
    let mut t = clean();
    let r = t.find("early", monday());
    let start = t.start(r);
    t.set_breaks(r, &[start + Duration::minutes(60)]);
    case("break too early", &t, &["break_window"], Some(line(r)));

    // break_window: the lunch break an hour after its latest start.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    let start = t.start(r);
    let first = t.breaks(r)[0];
    t.set_breaks(r, &[first, start + Duration::minutes(360)]);
    case("break too late", &t, &["break_window"], Some(line(r)));

    // break_overlap: both breaks at the same time. The template's break windows cannot
    // overlap (H1009), so overlapping breaks always put one outside its window too.
    let mut t = clean();
    let r = t.find("blend", monday());
    let first = t.breaks(r)[0];
    t.set_breaks(r, &[first, first]);
    case(
        "breaks overlap",
        &t,
        &["break_overlap", "break_window"],
        Some(line(r)),
    );

    // max_agents: more early agents on Monday than the template allows.
    let mut t = clean();
    let r = t.find("early", monday());
    let others: u32 = (0..t.rows.len())
        .filter(|&k| k != r && t.get(k, "template") == "early")
        .map(|k| t.agents(k))
        .sum();
    t.set(
        r,
        "agents",
        (EARLY_MAX_AGENTS + 1 - others.min(EARLY_MAX_AGENTS)).to_string(),
    );
    let found = case("max_agents", &t, &["max_agents"], None);
    assert!(
        found.violations[0].message.contains("2026-11-23"),
        "{}",
        found.violations[0]
    );

    // min_agents: every blended row of Tuesday removed.
    let mut t = clean();
    let date = tuesday.to_string();
    let before = t.rows.len();
    t.rows.retain(|row| !(row[0] == "blend" && row[2] == date));
    assert!(t.rows.len() < before);
    let found = case("min_agents", &t, &["min_agents"], None);
    assert!(
        found.violations[0].message.contains("2026-11-24"),
        "{}",
        found.violations[0]
    );

    // max_headcount_per_day: a blended row (no per-template maximum) over the day limit.
    let mut t = clean();
    let r = t.find("blend", tuesday);
    t.set(r, "agents", (HEADCOUNT_LIMIT + 1).to_string());
    let found = case("headcount", &t, &["max_headcount_per_day"], None);
    assert!(
        found.violations[0].message.contains("2026-11-24"),
        "{}",
        found.violations[0]
    );

    // Every rule the checker has is broken by one of the files above.
    let all = rules_in_source();
    let covered: BTreeSet<String> = covered.into_iter().map(String::from).collect();
    assert!(all.len() >= 16, "rules found in the source: {all:?}");
    assert_eq!(all, covered, "rules without a broken file");
}

/// Gale deficiency of this scenario's two queues (voice, chat) served by the voice-only group
/// and the blended group, by hand: the worst of {voice}, {chat} and {voice, chat}.
fn deficiency(voice_only: f64, blended: f64, voice: f64, chat: f64) -> f64 {
    [
        0.0,
        voice - voice_only - blended,
        chat - blended,
        voice + chat - voice_only - blended,
    ]
    .into_iter()
    .fold(0.0, f64::max)
}

/// Share of interval `i` that `[from, to)` covers.
fn share(fixture: &Fixture, i: usize, from: DateTime<Utc>, to: DateTime<Utc>) -> f64 {
    let horizon = &fixture.scenario.horizon;
    let lo = horizon.start(i).max(from);
    let hi = horizon.end_of(i).min(to);
    ((hi - lo).num_seconds().max(0)) as f64 / horizon.interval_seconds()
}

#[test]
fn a_removed_row_raises_the_shortfall_where_its_agents_were() {
    let fixture = fixture();
    let groups = &fixture.scenario.shifts.skill_groups;
    let voice_only = groups.iter().position(|g| g.id == "voice-only").unwrap();
    let blended = groups.iter().position(|g| g.id == "blended").unwrap();
    let mut t = clean();
    let r = t.find("early", monday());
    let agents = f64::from(t.agents(r));
    let start = t.start(r);
    let end = utc(t.get(r, "end_utc"));
    let b = t.breaks(r)[0];
    t.rows.remove(r);
    let check = check(&t.text());
    assert!(check.violations.is_empty(), "{:?}", check.violations);
    let n = fixture.scenario.horizon.len();
    let mut risen = 0.0;
    for i in 0..n {
        // What the removed agents gave interval i, from the row's own timestamps.
        let gone = agents
            * (share(fixture, i, start, end) - share(fixture, i, b, b + Duration::minutes(30)));
        let (voice, chat) = (
            f64::from(fixture.required[0][i]),
            f64::from(fixture.required[1][i]),
        );
        let before = deficiency(
            fixture.present[voice_only][i],
            fixture.present[blended][i],
            voice,
            chat,
        );
        let after = deficiency(
            fixture.present[voice_only][i] - gone,
            fixture.present[blended][i],
            voice,
            chat,
        );
        assert!(
            (before - fixture.shortfall[i]).abs() < 1e-6,
            "interval {i}: solver shortfall {} vs Gale {before}",
            fixture.shortfall[i]
        );
        assert!(
            (check.shortfall[i] - after).abs() < 1e-6,
            "interval {i}: checker {} vs {after} by hand (row gave {gone})",
            check.shortfall[i]
        );
        if gone == 0.0 {
            assert!(
                (check.shortfall[i] - fixture.shortfall[i]).abs() < 1e-9,
                "interval {i}"
            );
        }
        assert!(check.shortfall[i] <= fixture.shortfall[i] + gone + 1e-9);
        risen += check.shortfall[i] - fixture.shortfall[i];
    }
    // An optimal plan has no spare early row: without it the requirement is short.
    assert!(risen >= 1.0, "shortfall rose by {risen} only");
    // An early agent is paid 5.5 h (6 h less the unpaid break) at 10 an hour.
    let cost = fixture.cost - agents * 5.5 * 10.0;
    assert!((check.cost - cost).abs() < 1e-6, "{} vs {cost}", check.cost);
}

#[test]
fn a_shared_group_cannot_serve_both_queues_at_once() {
    let fixture = fixture();
    let horizon = &fixture.scenario.horizon;
    let tuesday = monday() + Duration::days(1);
    let at = |date: NaiveDate, h: u32, m: u32| local_instant(zone(), date, h, m);
    // Monday: 3 voice-only agents 06:00-12:00 (break 08:00), 2 blended 10:00-18:00 (breaks
    // 12:00 for 15 minutes and 14:00); Tuesday: 2 blended 10:00-18:00, same breaks.
    let row = |template: &str,
               group: &str,
               date: NaiveDate,
               start: DateTime<Utc>,
               hours: i64,
               agents: u32,
               breaks: &[DateTime<Utc>]| {
        let end = start + Duration::hours(hours);
        let join = |f: &dyn Fn(DateTime<Utc>) -> String| {
            breaks.iter().map(|&s| f(s)).collect::<Vec<_>>().join(";")
        };
        format!(
            "{template},{group},{date},{},{},{},{},{agents},0,0,{},{}\n",
            format_utc(start),
            format_utc(end),
            format_local(start, zone()),
            format_local(end, zone()),
            join(&|s| format_utc(s)),
            join(&|s| format_local(s, zone())),
        )
    };
    let mut text = String::from(
        "template,skill_group,local_date,start_utc,end_utc,start_local,end_local,agents,\
         paid_hours,cost,break_starts_utc,break_starts_local\n",
    );
    text += &row(
        "early",
        "voice-only",
        monday(),
        at(monday(), 6, 0),
        6,
        3,
        &[at(monday(), 8, 0)],
    );
    for date in [monday(), tuesday] {
        text += &row(
            "blend",
            "blended",
            date,
            at(date, 10, 0),
            8,
            2,
            &[at(date, 12, 0), at(date, 14, 0)],
        );
    }
    // (interval, voice, chat, shortfall by hand)
    let index = |date, h| horizon.index_containing(at(date, h, 0)).unwrap();
    let cases = [
        // 5 agents for 4 requirements, but only the 2 blended can take chat's 3.
        (index(monday(), 10), 1, 3, 1.0),
        // 5 for 6: each queue alone is covered, both together are not.
        (index(monday(), 11), 4, 2, 1.0),
        // The 15-minute break takes a quarter of each blended agent's hour: 1.5 agents for 2.
        (index(monday(), 12), 1, 1, 0.5),
        // Tuesday, 2 blended agents: each queue sees both, together they are one short.
        (index(tuesday, 10), 2, 1, 1.0),
        // 2 for 2: one blended agent on each queue.
        (index(tuesday, 11), 1, 1, 0.0),
    ];
    let mut required = vec![vec![0u32; horizon.len()]; 2];
    for &(i, voice, chat, _) in &cases {
        required[0][i] = voice;
        required[1][i] = chat;
    }
    let check = check_text(fixture, &required, &text);
    assert!(check.violations.is_empty(), "{:?}", check.violations);
    let groups = &fixture.scenario.shifts.skill_groups;
    let blended = groups.iter().position(|g| g.id == "blended").unwrap();
    let voice_only = groups.iter().position(|g| g.id == "voice-only").unwrap();
    assert!((check.present[blended][cases[2].0] - 1.5).abs() < 1e-9);
    assert!((check.on_break[blended][cases[2].0] - 0.5).abs() < 1e-9);
    assert!(check.present[voice_only][cases[2].0].abs() < 1e-9);
    let mut total = 0.0;
    for &(i, voice, chat, want) in &cases {
        assert!(
            (check.shortfall[i] - want).abs() < 1e-9,
            "interval {i}: voice {voice} chat {chat}: {} short, {want} by hand",
            check.shortfall[i]
        );
        let gale = deficiency(
            check.present[voice_only][i],
            check.present[blended][i],
            f64::from(voice),
            f64::from(chat),
        );
        assert!((gale - want).abs() < 1e-9, "interval {i}: {gale}");
        total += want;
    }
    let sum: f64 = check.shortfall.iter().sum();
    assert!((sum - total).abs() < 1e-9, "{sum} vs {total}");
    // Per queue alone (every group serving it counts fully) only the first case is short.
    let naive: f64 = cases
        .iter()
        .map(|&(i, voice, chat, _)| {
            let all = check.present[voice_only][i] + check.present[blended][i];
            (f64::from(voice) - all).max(0.0)
                + (f64::from(chat) - check.present[blended][i]).max(0.0)
        })
        .sum();
    assert!((naive - 1.0).abs() < 1e-9 && total > naive);
    assert!((check.shortfall_agent_hours(horizon) - total).abs() < 1e-9);
}

/// A steady-state day: a night shift from 20:00 runs past the end of the plan and covers its
/// first hours; the checker wraps it as the solver does.
const CYCLIC: &str = r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"
cyclic = true

[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[shift]]
name = "night"
length = "6h"
start_window = "19:00-22:00"
cost_per_hour = 10.0
[[shift.break]]
duration = "30m"
earliest = "2h"
latest = "3h"
"#;

#[test]
fn a_cyclic_night_shift_wraps_onto_the_first_hours() {
    let scenario = Scenario::from_toml(CYCLIC, "cyclic.toml".as_ref(), ".".as_ref()).unwrap();
    let mut required = vec![0u32; 24];
    for hour in [0, 1, 20, 21] {
        required[hour] = 1;
    }
    let input = ScheduleInput::new(&scenario, vec![required.clone()]);
    let plan = schedule::schedule(&input, &ScheduleOptions::default()).unwrap();
    let mut csv = Vec::new();
    export::write_shifts_csv(&mut csv, &export::shift_rows(&input, &plan)).unwrap();
    let check = util::check_shifts_csv(&input, &csv);
    assert!(check.violations.is_empty(), "{:?}", check.violations);
    util::assert_same_coverage(&check, &plan);
    // One agent from 20:00 to 02:00 with the break at 22:00 or 23:00 covers everything.
    assert_eq!(check.agent_shifts, 1);
    assert!(
        check.shortfall.iter().all(|&s| s == 0.0),
        "{:?}",
        check.shortfall
    );
    for hour in [0, 1, 20, 21] {
        assert!((check.present[0][hour] - 1.0).abs() < 1e-9, "hour {hour}");
    }
    assert!((check.present[0][22] + check.present[0][23] - 1.5).abs() < 1e-9);
    // Without the row the four required hours are short, on both sides of midnight.
    let text = String::from_utf8(csv).unwrap();
    let header = text.lines().next().unwrap();
    let check = util::check_shifts_csv(&input, format!("{header}\n").as_bytes());
    let short: Vec<usize> = (0..24).filter(|&i| check.shortfall[i] > 0.0).collect();
    assert_eq!(short, [0, 1, 20, 21]);
    assert!((check.shortfall.iter().sum::<f64>() - 4.0).abs() < 1e-9);
}
