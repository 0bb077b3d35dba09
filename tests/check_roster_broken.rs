//! The independent roster checker on deliberately broken `roster.csv` (and `slots.csv`) text:
//! a clean roster written by `write_roster_csv` passes, and for every kind of violation one
//! tampered copy of the file (a cell edited, a row moved, added, copied to another agent or
//! removed) is reported with exactly that kind, agent and line. The checker's own calendar is
//! probed across midnight (Sunday night into Monday) and on the one-block days-off rule.

use std::collections::BTreeSet;

use chrono::{Duration, NaiveDate};
use chrono_tz::Tz;
use staffplan::check::roster::{CheckContext, CheckReport, ViolationKind, check_shifts};
use staffplan::domain::{
    Agent, Assignment, BreakSlot, Contract, Roster, Rules, ShiftSlot, TimeOff,
};
use staffplan::export::roster_csv::{read_roster_csv, write_roster_csv};
use staffplan::export::slots_csv::{read_slots_csv, write_slots_csv};
use staffplan::roster::synthetic::local_instant;
use staffplan::time::Horizon;

/// Every kind; the match makes a new kind a compile error here until it is listed.
fn all_kinds() -> Vec<ViolationKind> {
    use ViolationKind::*;
    let all = vec![
        UnknownAgent,
        Skill,
        Availability,
        TimeOff,
        Overlap,
        SameDay,
        Rest,
        ConsecutiveDays,
        DaysPerWeek,
        WeeklyHours,
        DaysOff,
        NotInPlan,
        OverPlan,
        Row,
    ];
    for kind in &all {
        match kind {
            UnknownAgent | Skill | Availability | TimeOff | Overlap | SameDay | Rest
            | ConsecutiveDays | DaysPerWeek | WeeklyHours | DaysOff | NotInPlan | OverPlan
            | Row => {}
        }
    }
    all
}

fn new_york() -> Tz {
    "America/New_York".parse().unwrap()
}

fn lisbon() -> Tz {
    "Europe/Lisbon".parse().unwrap()
}

/// Monday 23 November 2026; the plan is that week in New York.
fn monday() -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
}

fn horizon() -> Horizon {
    Horizon::new(monday(), 7, 30, new_york()).unwrap()
}

fn agent(id: &str, contract: (f64, u32, u32)) -> Agent {
    Agent {
        id: id.into(),
        name: format!("Agent {id}"),
        skill_groups: vec!["voice".into()],
        time_zone: new_york(),
        contract: Contract {
            min_weekly_hours: 0.0,
            max_weekly_hours: contract.0,
            max_days_per_week: contract.1,
            max_consecutive_days: contract.2,
        },
        availability: std::array::from_fn(|_| vec![(0, 1440)]),
        preferred_template: None,
        preferred_start_minute: None,
    }
}

/// An 8-hour voice shift starting `day` days after Monday at `hour` local time in `zone`,
/// with an unpaid 30-minute break four hours in (7.5 paid hours).
fn slot(id: &str, zone: Tz, day: i64, hour: u32) -> ShiftSlot {
    let date = monday() + Duration::days(day);
    let start = local_instant(zone, date, hour, 0);
    ShiftSlot {
        slot_id: format!("day8@{id}"),
        template: "day8".into(),
        skill_group: "voice".into(),
        start,
        end: start + Duration::hours(8),
        local_date: date,
        breaks: vec![BreakSlot {
            start: start + Duration::hours(4),
            end: start + Duration::minutes(270),
            paid: false,
        }],
        paid_seconds: 7.5 * 3600.0,
        cost: 0.0,
    }
}

struct World {
    agents: Vec<Agent>,
    time_off: Vec<TimeOff>,
    rules: Rules,
    /// Clean assignments: (agent, slot).
    list: Vec<(String, ShiftSlot)>,
    /// The plan: every clean slot plus one unfilled Sunday slot.
    plan: Vec<ShiftSlot>,
}

/// Agents, contracts (max weekly hours, max days per week, max consecutive days) and their
/// clean weeks:
/// - A: Mon-Fri 09:00; time off Friday evening.
/// - B: Tue-Sat 10:00 (days off Sunday and Monday: one block, the week being circular).
/// - C: Mon-Wed 09:00, at most 3 consecutive days.  D: Mon-Wed 09:00, at most 3 days a week.
/// - E: no shift.  H: Mon-Wed 09:00, 22.5 paid hours on a 22.5-hour contract.
/// - N: Lisbon, available Sunday 22:00 to Monday 06:00 only, works Sunday 22:00-06:00.
/// - O: Mon and Tue 18:00 (to 02:00).  S: Mon 00:00 and Tue 19:00 (to Wed 03:00).
fn world() -> World {
    let mut agents = vec![
        agent("A", (40.0, 5, 5)),
        agent("B", (40.0, 5, 5)),
        agent("C", (40.0, 5, 3)),
        agent("D", (40.0, 3, 5)),
        agent("E", (40.0, 5, 5)),
        agent("H", (22.5, 5, 5)),
        agent("N", (40.0, 5, 5)),
        agent("O", (40.0, 5, 5)),
        agent("S", (40.0, 5, 5)),
    ];
    let n = agents.iter_mut().find(|a| a.id == "N").unwrap();
    n.time_zone = lisbon();
    n.availability = Default::default();
    n.availability[6] = vec![(22 * 60, 24 * 60)];
    n.availability[0] = vec![(0, 6 * 60)];
    let ny = new_york();
    let mut list: Vec<(String, ShiftSlot)> = Vec::new();
    let mut add = |agent: &str, zone: Tz, day: i64, hour: u32| {
        list.push((
            agent.to_string(),
            slot(&format!("{agent}{day}"), zone, day, hour),
        ))
    };
    for day in 0..5 {
        add("A", ny, day, 9);
        add("B", ny, day + 1, 10);
    }
    for day in 0..3 {
        add("C", ny, day, 9);
        add("D", ny, day, 9);
        add("H", ny, day, 9);
    }
    add("N", lisbon(), 6, 22);
    add("O", ny, 0, 18);
    add("O", ny, 1, 18);
    add("S", ny, 0, 0);
    add("S", ny, 1, 19);
    let friday_evening = local_instant(ny, monday() + Duration::days(4), 18, 0);
    let mut plan: Vec<ShiftSlot> = list.iter().map(|(_, s)| s.clone()).collect();
    plan.push(slot("spare", ny, 6, 9));
    World {
        agents,
        time_off: vec![TimeOff {
            agent_id: "A".into(),
            start: friday_evening,
            end: friday_evening + Duration::hours(6),
            reason: "dentist".into(),
        }],
        rules: Rules {
            days_off_consecutive: true,
            ..Rules::default()
        },
        list,
        plan,
    }
}

fn roster_of(list: &[(String, ShiftSlot)]) -> Roster {
    Roster {
        assignments: list
            .iter()
            .map(|(id, s)| Assignment {
                agent_id: id.clone(),
                slot: s.clone(),
            })
            .collect(),
        unfilled: Vec::new(),
    }
}

/// `roster.csv` as lines (the header first), to tamper with.
#[derive(Clone)]
struct Text {
    lines: Vec<String>,
}

impl Text {
    fn of(list: &[(String, ShiftSlot)], agents: &[Agent]) -> Text {
        let mut bytes = Vec::new();
        write_roster_csv(&mut bytes, &roster_of(list), agents).unwrap();
        Text {
            lines: String::from_utf8(bytes)
                .unwrap()
                .lines()
                .map(String::from)
                .collect(),
        }
    }

    fn text(&self) -> String {
        self.lines.iter().map(|l| format!("{l}\n")).collect()
    }

    /// Index (= file line − 1) of `agent`'s row starting on local `date`.
    fn find(&self, agent: &str, date: NaiveDate) -> usize {
        let prefix = format!("{agent},");
        let date = format!(",{date},");
        self.lines
            .iter()
            .position(|l| l.starts_with(&prefix) && l.contains(&date))
            .unwrap_or_else(|| panic!("no row of {agent} on {date}:\n{}", self.text()))
    }

    fn set_cell(&mut self, index: usize, column: &str, value: &str) {
        let c = self.lines[0].split(',').position(|h| h == column).unwrap();
        let mut cells: Vec<String> = self.lines[index].split(',').map(String::from).collect();
        cells[c] = value.into();
        self.lines[index] = cells.join(",");
    }
}

/// The one data line `write_roster_csv` writes for `agent` on `slot`.
fn line_for(agent: &str, slot: &ShiftSlot, agents: &[Agent]) -> String {
    Text::of(&[(agent.to_string(), slot.clone())], agents).lines[1].clone()
}

fn slots_text(plan: &[ShiftSlot]) -> String {
    let mut bytes = Vec::new();
    write_slots_csv(&mut bytes, plan).unwrap();
    String::from_utf8(bytes).unwrap()
}

/// Reads the texts back (the reader must flag no row) and checks them, as `staffplan check`
/// does.
fn check(world: &World, roster: &str, slots: Option<&str>, rules: &Rules) -> CheckReport {
    let zone_of = |id: &str| {
        world
            .agents
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.time_zone)
    };
    let file = read_roster_csv(roster.as_bytes(), "roster.csv", &zone_of).unwrap();
    assert!(file.violations.is_empty(), "{:?}", file.violations);
    let plan = slots.map(|text| read_slots_csv(text.as_bytes(), "slots.csv").unwrap());
    let horizon = horizon();
    check_shifts(
        &file.shifts,
        &CheckContext {
            agents: &world.agents,
            time_off: &world.time_off,
            rules,
            horizon: &horizon,
            plan: plan.as_deref(),
        },
    )
}

/// Asserts exactly `kind` is reported, by `agent` on file line `line` (every violation).
#[track_caller]
fn assert_only(report: &CheckReport, kind: ViolationKind, agent: &str, line: usize) {
    assert!(
        !report.violations.is_empty(),
        "no violation, expected {kind:?}"
    );
    for v in &report.violations {
        assert_eq!(
            (v.kind, v.agent_id.as_str(), v.line),
            (kind, agent, line),
            "{v}\nall: {:#?}",
            report.violations
        );
    }
    assert_eq!(report.kinds(), [kind]);
}

#[test]
fn the_clean_roster_passes_with_and_without_its_plan() {
    let world = world();
    let text = Text::of(&world.list, &world.agents).text();
    let slots = slots_text(&world.plan);
    let report = check(&world, &text, Some(&slots), &world.rules);
    assert!(report.is_clean(), "{:#?}", report.violations);
    // Only the spare Sunday slot is unworked: 7.5 on-duty hours.
    assert_eq!(report.shortfall_agent_hours, Some(7.5));
    let report = check(&world, &text, None, &world.rules);
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(report.shortfall_agent_hours, None);
    let h = report.hours.iter().find(|w| w.agent_id == "H").unwrap();
    assert!((h.paid_hours - 22.5).abs() < 1e-9 && h.days_worked == 3);
}

#[test]
fn every_kind_is_reported_for_a_broken_file() {
    let world = world();
    let clean = Text::of(&world.list, &world.agents);
    let slots = slots_text(&world.plan);
    let rules = &world.rules;
    let ny = new_york();
    let mut seen: BTreeSet<ViolationKind> = BTreeSet::new();
    let mut case = |text: &Text, plan: Option<&str>, kind, agent: &str, line: usize| {
        let report = check(&world, &text.text(), plan, rules);
        assert_only(&report, kind, agent, line);
        seen.insert(kind);
        report
    };
    let day = |k: i64| monday() + Duration::days(k);

    // unknown_agent: A's Monday row renamed to an id the scenario lacks (A's days off become
    // Sat-Mon, one block; the row still matches its planned slot).
    let mut t = clean.clone();
    let k = t.find("A", day(0));
    t.set_cell(k, "agent_id", "Z9");
    case(&t, Some(&slots), ViolationKind::UnknownAgent, "Z9", k + 1);

    // skill: H's Monday shift in a skill group H does not have.
    let mut t = clean.clone();
    let k = t.find("H", day(0));
    t.set_cell(k, "skill_group", "chat");
    case(&t, None, ViolationKind::Skill, "H", k + 1);

    // availability: N's Sunday night shift an hour later, ending 07:00 Monday, past N's
    // Monday window (00:00-06:00).
    let mut t = clean.clone();
    let k = t.find("N", day(6));
    t.lines[k] = line_for("N", &slot("N6", lisbon(), 6, 23), &world.agents);
    let report = case(&t, None, ViolationKind::Availability, "N", k + 1);
    let message = &report.violations[0].message;
    assert!(
        message.contains("2026-11-29T23:00:00+00:00 (8h)"),
        "{message}"
    );

    // availability: the same shift an hour earlier, starting before the Sunday window.
    t.lines[k] = line_for("N", &slot("N6", lisbon(), 6, 21), &world.agents);
    case(&t, None, ViolationKind::Availability, "N", k + 1);

    // time_off: A's Friday shift two hours later runs into the time off from 18:00.
    let mut t = clean.clone();
    let k = t.find("A", day(4));
    t.lines[k] = line_for("A", &slot("A4", ny, 4, 11), &world.agents);
    case(&t, None, ViolationKind::TimeOff, "A", k + 1);

    // overlap: O's Tuesday shift moved to 01:00, while Monday's runs to 02:00 (different
    // local days, so only the overlap).
    let mut t = clean.clone();
    let k = t.find("O", day(1));
    t.lines[k] = line_for("O", &slot("O1", ny, 1, 1), &world.agents);
    case(&t, None, ViolationKind::Overlap, "O", k + 1);

    // same_day: S's Tuesday shift moved to Monday 19:00, exactly the 11 hours of rest after
    // Monday's 00:00-08:00.
    let mut t = clean.clone();
    let k = t.find("S", day(1));
    t.lines[k] = line_for("S", &slot("S1", ny, 0, 19), &world.agents);
    let report = case(&t, None, ViolationKind::SameDay, "S", k + 1);
    assert!(report.violations[0].message.contains("2026-11-23"));

    // rest: H's Tuesday shift at 03:00, 10 hours after Monday's ended.
    let mut t = clean.clone();
    let k = t.find("H", day(1));
    t.lines[k] = line_for("H", &slot("H1", ny, 1, 3), &world.agents);
    let report = case(&t, None, ViolationKind::Rest, "H", k + 1);
    assert!(
        report.violations[0].message.contains("rest of 10h"),
        "{}",
        report.violations[0]
    );

    // consecutive_days: C (at most 3 in a row) gets a Thursday after Mon-Wed.
    let mut t = clean.clone();
    let k = t.find("C", day(2)) + 1;
    t.lines
        .insert(k, line_for("C", &slot("C3", ny, 3, 9), &world.agents));
    case(&t, None, ViolationKind::ConsecutiveDays, "C", k + 1);

    // days_per_week: D (at most 3 days a week) gets a Thursday.
    let mut t = clean.clone();
    let k = t.find("D", day(2)) + 1;
    t.lines
        .insert(k, line_for("D", &slot("D3", ny, 3, 9), &world.agents));
    case(&t, None, ViolationKind::DaysPerWeek, "D", k + 1);

    // weekly_hours: H's Wednesday paid 8 hours (the break paid; still fits the row): 23 > 22.5.
    let mut t = clean.clone();
    let k = t.find("H", day(2));
    t.set_cell(k, "paid_hours", "8");
    case(&t, None, ViolationKind::WeeklyHours, "H", k + 1);

    // days_off: A's Wednesday moved to Saturday: days off Wednesday and Sunday.
    let mut t = clean.clone();
    let k = t.find("A", day(2));
    t.lines.remove(k);
    let last_a = t.find("A", day(4)) + 1;
    t.lines
        .insert(last_a, line_for("A", &slot("A5", ny, 5, 9), &world.agents));
    let text_a = t.clone();
    case(&t, None, ViolationKind::DaysOff, "A", last_a + 1);
    // Without the rule the same file is clean.
    let lenient = Rules {
        days_off_consecutive: false,
        ..world.rules.clone()
    };
    assert!(check(&world, &text_a.text(), None, &lenient).is_clean());

    // days_off across the week's end: B (Tue-Sat, off Sun-Mon) moves Wednesday to Sunday:
    // days off Monday and Wednesday.
    let mut t = clean.clone();
    let k = t.find("B", day(2));
    t.lines.remove(k);
    let last_b = t.find("B", day(5)) + 1;
    t.lines
        .insert(last_b, line_for("B", &slot("B6", ny, 6, 10), &world.agents));
    case(&t, None, ViolationKind::DaysOff, "B", last_b + 1);

    // not_in_plan: A's Monday shift an hour later, which the plan does not have.
    let mut t = clean.clone();
    let k = t.find("A", day(0));
    t.lines[k] = line_for("A", &slot("A0", ny, 0, 10), &world.agents);
    let report = case(&t, Some(&slots), ViolationKind::NotInPlan, "A", k + 1);
    // Monday's 09:00 slot of A is now unworked too.
    assert_eq!(report.shortfall_agent_hours, Some(15.0));

    // not_in_plan: the clean roster against a slots.csv without B's Tuesday slot.
    let b1 = world.plan.iter().find(|s| s.slot_id == "day8@B1").unwrap();
    let fewer: Vec<ShiftSlot> = world
        .plan
        .iter()
        .filter(|s| s.slot_id != b1.slot_id)
        .cloned()
        .collect();
    let broken_slots = slots_text(&fewer);
    assert_eq!(broken_slots.lines().count() + 1, slots.lines().count());
    let k = clean.find("B", day(1));
    case(
        &clean,
        Some(&broken_slots),
        ViolationKind::NotInPlan,
        "B",
        k + 1,
    );

    // over_plan: B's Tuesday row copied to E (free that day): two agents on one slot; the
    // later row is the one over the plan.
    let mut t = clean.clone();
    let copy = line_for("E", b1, &world.agents);
    let k = t.find("D", day(2)) + 1;
    t.lines.insert(k, copy);
    let report = case(&t, Some(&slots), ViolationKind::OverPlan, "E", k + 1);
    assert_eq!(report.shortfall_agent_hours, Some(7.5));

    // row: A's Monday paid 9 hours on an 8-hour shift (39 hours in the week, within 40).
    let mut t = clean.clone();
    let k = t.find("A", day(0));
    t.set_cell(k, "paid_hours", "9");
    case(&t, None, ViolationKind::Row, "A", k + 1);

    let all: BTreeSet<ViolationKind> = all_kinds().into_iter().collect();
    assert_eq!(seen, all, "kinds without a broken file");
}

#[test]
fn a_break_outside_the_shift_is_a_row_for_the_reader_and_the_checker() {
    let world = world();
    let mut t = Text::of(&world.list, &world.agents);
    let k = t.find("A", monday());
    // 09:00-17:00 with its break moved to 18:00-18:30.
    t.set_cell(k, "breaks", "2026-11-23T18:00-05:00/2026-11-23T18:30-05:00");
    let zone_of = |id: &str| {
        world
            .agents
            .iter()
            .find(|a| a.id == id)
            .map(|a| a.time_zone)
    };
    let file = read_roster_csv(t.text().as_bytes(), "roster.csv", &zone_of).unwrap();
    assert_eq!(file.violations.len(), 1, "{:?}", file.violations);
    assert_eq!(
        (file.violations[0].kind, file.violations[0].line),
        (ViolationKind::Row, k + 1)
    );
    // Without its break the row's 7.5 paid hours no longer fit 8 hours on duty.
    let horizon = horizon();
    let report = check_shifts(
        &file.shifts,
        &CheckContext {
            agents: &world.agents,
            time_off: &world.time_off,
            rules: &world.rules,
            horizon: &horizon,
            plan: None,
        },
    );
    assert_only(&report, ViolationKind::Row, "A", k + 1);
}

#[test]
fn a_removed_row_leaves_its_slot_unworked() {
    let world = world();
    let mut t = Text::of(&world.list, &world.agents);
    let slots = slots_text(&world.plan);
    // A without Monday: days off Sat-Mon, one block; nothing else breaks.
    let k = t.find("A", monday());
    t.lines.remove(k);
    let report = check(&world, &t.text(), Some(&slots), &world.rules);
    assert!(report.is_clean(), "{:#?}", report.violations);
    assert_eq!(report.shortfall_agent_hours, Some(15.0));
    let a = report.hours.iter().find(|w| w.agent_id == "A").unwrap();
    assert!((a.paid_hours - 30.0).abs() < 1e-9 && a.days_worked == 4);
}

#[test]
fn availability_runs_from_sunday_night_into_monday() {
    let mut world = world();
    let n = world.agents.iter_mut().find(|a| a.id == "N").unwrap();
    // One window written from Sunday 22:00 to 06:00 (past midnight), Monday off.
    n.availability = Default::default();
    n.availability[6] = vec![(22 * 60, 30 * 60)];
    let agents = world.agents.clone();
    let check_one = |list: &[(String, ShiftSlot)]| {
        let text = Text::of(list, &agents).text();
        check(&world, &text, None, &world.rules)
    };
    let n_on = |day: i64, hour: u32| vec![("N".to_string(), slot("N", lisbon(), day, hour))];
    // Sunday 22:00-06:00 of the plan week lies in the window.
    assert!(check_one(&n_on(6, 22)).is_clean());
    // Monday 00:00 of the plan's first day: the window of the Sunday before (the week repeats)
    // covers it up to 06:00. A 6-hour shift fits; the 8-hour one does not.
    let mut short = slot("N", lisbon(), 0, 0);
    short.end = short.start + Duration::hours(6);
    short.paid_seconds = 5.5 * 3600.0;
    let report = check_one(&[("N".to_string(), short)]);
    assert!(report.is_clean(), "{:#?}", report.violations);
    let report = check_one(&n_on(0, 0));
    assert_eq!(report.kinds(), [ViolationKind::Availability]);
    // Saturday night is outside.
    let report = check_one(&n_on(5, 22));
    assert_eq!(report.kinds(), [ViolationKind::Availability]);
}

#[test]
fn an_overlap_with_an_earlier_long_shift_is_not_taken_for_rest() {
    let world = world();
    let short = |hour: u32| {
        let mut s = slot(&format!("short{hour}"), new_york(), 0, hour);
        s.end = s.start + Duration::hours(1);
        s.breaks.clear();
        s.paid_seconds = 3600.0;
        s
    };
    // 09:00-17:00, then 10:00-11:00 and 12:00-13:00 inside it.
    let list = vec![
        ("E".to_string(), slot("long", new_york(), 0, 9)),
        ("E".to_string(), short(10)),
        ("E".to_string(), short(12)),
    ];
    let text = Text::of(&list, &world.agents).text();
    let report = check(&world, &text, None, &world.rules);
    let overlaps: Vec<usize> = report
        .violations
        .iter()
        .filter(|v| v.kind == ViolationKind::Overlap)
        .map(|v| v.line)
        .collect();
    assert_eq!(overlaps, [3, 4], "{:#?}", report.violations);
    assert!(
        !report.kinds().contains(&ViolationKind::Rest),
        "{:#?}",
        report.violations
    );
}
