//! The independent roster checker: re-verifies every rule, and the coverage against the shift
//! plan, from the worked shifts alone (as read back from `roster.csv`). Its calendar (an
//! agent's local day, week and availability) is its own short code, written apart from the
//! assignment's, so that a bug in either shows up as a violation.

use std::collections::BTreeMap;

use chrono::{DateTime, Datelike, NaiveDate, Timelike, Utc};
use chrono_tz::Tz;
use serde::Serialize;

use crate::domain::{Agent, Roster, Rules, ShiftSlot, TimeOff, WeekHours, WorkedShift};
use crate::time::{Horizon, format_local};
use crate::units::format_duration;

/// Where a shift falls in its agent's own calendar.
#[derive(Debug, Clone, Copy)]
struct AgentDay {
    /// Local date of the start.
    date: NaiveDate,
    /// Days from the plan's first date (negative or past the plan for far zones).
    day: i32,
    /// Minutes from local Monday 00:00 of the start's week.
    minute_of_week: i64,
    /// Wall-clock minutes from the local start to the local end.
    wall_minutes: i64,
}

impl AgentDay {
    fn of(start: DateTime<Utc>, end: DateTime<Utc>, zone: Tz, plan_start: NaiveDate) -> Self {
        let local = start.with_timezone(&zone).naive_local();
        let local_end = end.with_timezone(&zone).naive_local();
        let date = local.date();
        AgentDay {
            date,
            day: (date - plan_start).num_days() as i32,
            minute_of_week: i64::from(date.weekday().num_days_from_monday()) * 1440
                + i64::from(local.hour() * 60 + local.minute()),
            wall_minutes: (local_end - local).num_minutes(),
        }
    }

    /// Plan week: days `7w .. 7w + 7` from the plan's first date.
    fn week(&self) -> i32 {
        self.day.div_euclid(7)
    }
}

/// True when `[from, from + minutes)` (minutes from Monday 00:00) lies inside the agent's
/// repeating weekly windows, walking from window to touching window (Sunday night runs into
/// Monday morning).
fn within_availability(agent: &Agent, from: i64, minutes: i64) -> bool {
    const WEEK: i64 = 7 * 1440;
    let mut windows: Vec<(i64, i64)> = Vec::new();
    for copy in 0..3 {
        for (weekday, list) in agent.availability.iter().enumerate() {
            for &(a, b) in list {
                let base = copy * WEEK + weekday as i64 * 1440;
                windows.push((base + i64::from(a), base + i64::from(b)));
            }
        }
    }
    // Start in the middle copy: a window of the week before (Sun 22:00-06:00) covers Monday too.
    let from = from + WEEK;
    let end = from + minutes.max(1);
    let mut reached = from;
    while reached < end {
        match windows
            .iter()
            .filter(|&&(a, b)| a <= reached && reached < b)
            .map(|&(_, b)| b)
            .max()
        {
            Some(next) => reached = next,
            None => return false,
        }
    }
    true
}

/// True when the days off of a week (bit `k` set = day `k` worked) are one block, the week
/// being circular (Sunday next to Monday).
fn one_block_off(worked: u8) -> bool {
    let off = |k: i32| worked & (1 << k.rem_euclid(7)) == 0;
    let blocks = (0..7).filter(|&k| off(k) && !off(k - 1)).count();
    blocks <= 1
}

/// What a violation breaks. The names are stable (tests and scripts match them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ViolationKind {
    /// The agent id is not in the scenario.
    UnknownAgent,
    /// The agent lacks the shift's skill group.
    Skill,
    /// The shift is outside the agent's availability windows.
    Availability,
    /// The shift overlaps approved time off.
    TimeOff,
    /// Two shifts of one agent overlap.
    Overlap,
    /// Two shifts start on the same local day.
    SameDay,
    /// Rest between two shifts is below the minimum.
    Rest,
    /// More consecutive working days than allowed.
    ConsecutiveDays,
    /// More working days in a week than the contract allows.
    DaysPerWeek,
    /// More paid hours in a week than the contract allows.
    WeeklyHours,
    /// Days off in a week do not form one block (when the rule is on).
    DaysOff,
    /// A shift that the shift plan does not have.
    NotInPlan,
    /// More agents on a shift than the plan has slots.
    OverPlan,
    /// A row whose breaks or paid hours do not fit its shift.
    Row,
}

impl ViolationKind {
    /// Stable name, e.g. `rest`.
    pub fn as_str(&self) -> &'static str {
        match self {
            ViolationKind::UnknownAgent => "unknown_agent",
            ViolationKind::Skill => "skill",
            ViolationKind::Availability => "availability",
            ViolationKind::TimeOff => "time_off",
            ViolationKind::Overlap => "overlap",
            ViolationKind::SameDay => "same_day",
            ViolationKind::Rest => "rest",
            ViolationKind::ConsecutiveDays => "consecutive_days",
            ViolationKind::DaysPerWeek => "days_per_week",
            ViolationKind::WeeklyHours => "weekly_hours",
            ViolationKind::DaysOff => "days_off",
            ViolationKind::NotInPlan => "not_in_plan",
            ViolationKind::OverPlan => "over_plan",
            ViolationKind::Row => "row",
        }
    }
}

/// One broken rule.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Violation {
    /// What is broken.
    pub kind: ViolationKind,
    /// Agent concerned (empty for plan-level problems).
    pub agent_id: String,
    /// Line of the row in `roster.csv` (0 when unknown).
    pub line: usize,
    /// What is wrong, in words.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.kind.as_str())?;
        if !self.agent_id.is_empty() {
            write!(f, " agent {}", self.agent_id)?;
        }
        if self.line > 0 {
            write!(f, " (line {})", self.line)?;
        }
        write!(f, ": {}", self.message)
    }
}

/// Everything the checker knows besides the shifts.
#[derive(Debug, Clone, Copy)]
pub struct CheckContext<'a> {
    /// Agents.
    pub agents: &'a [Agent],
    /// Approved time off.
    pub time_off: &'a [TimeOff],
    /// Rules.
    pub rules: &'a Rules,
    /// The plan's horizon.
    pub horizon: &'a Horizon,
    /// The shift plan the roster staffs, when known (enables the coverage check).
    pub plan: Option<&'a [ShiftSlot]>,
}

/// Result of a check.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct CheckReport {
    /// Broken rules, by agent then line.
    pub violations: Vec<Violation>,
    /// Paid hours per agent per plan week (every agent, every week of the plan).
    pub hours: Vec<WeekHours>,
    /// On-duty agent-hours of the plan not worked by anyone (when the plan is known).
    pub shortfall_agent_hours: Option<f64>,
}

impl CheckReport {
    /// True when no rule is broken.
    pub fn is_clean(&self) -> bool {
        self.violations.is_empty()
    }

    /// The distinct kinds of violation found.
    pub fn kinds(&self) -> Vec<ViolationKind> {
        let mut kinds: Vec<ViolationKind> = self.violations.iter().map(|v| v.kind).collect();
        kinds.sort();
        kinds.dedup();
        kinds
    }
}

/// Checks worked shifts against every rule and, when the plan is given, the coverage.
pub fn check_shifts(shifts: &[WorkedShift], context: &CheckContext<'_>) -> CheckReport {
    let mut violations = Vec::new();
    let agents: BTreeMap<&str, &Agent> =
        context.agents.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut by_agent: BTreeMap<&str, Vec<&WorkedShift>> = BTreeMap::new();
    for shift in shifts {
        check_row(shift, &mut violations);
        by_agent
            .entry(shift.agent_id.as_str())
            .or_default()
            .push(shift);
    }
    for (id, list) in &mut by_agent {
        list.sort_by_key(|s| (s.start, s.line));
        match agents.get(id) {
            None => {
                for shift in list.iter() {
                    violations.push(Violation {
                        kind: ViolationKind::UnknownAgent,
                        agent_id: id.to_string(),
                        line: shift.line,
                        message: format!(
                            "agent {} is not in the scenario's agents",
                            crate::error::echo(id)
                        ),
                    });
                }
            }
            Some(agent) => check_agent(agent, list, context, &mut violations),
        }
    }
    let hours = week_hours(&by_agent, context.agents, context.horizon);
    let shortfall_agent_hours = context
        .plan
        .map(|plan| check_plan(shifts, plan, &mut violations));
    violations.sort_by(|a, b| {
        (&a.agent_id, a.line, a.kind, &a.message).cmp(&(&b.agent_id, b.line, b.kind, &b.message))
    });
    CheckReport {
        violations,
        hours,
        shortfall_agent_hours,
    }
}

/// Checks a roster built in memory (as the CLI would write it).
pub fn check_roster(roster: &Roster, context: &CheckContext<'_>) -> CheckReport {
    check_shifts(&WorkedShift::from_roster(roster), context)
}

fn check_row(shift: &WorkedShift, violations: &mut Vec<Violation>) {
    let mut problem = |message: String| {
        violations.push(Violation {
            kind: ViolationKind::Row,
            agent_id: shift.agent_id.clone(),
            line: shift.line,
            message,
        })
    };
    if shift.end <= shift.start {
        problem("the shift ends before it starts".into());
        return;
    }
    let mut break_seconds = 0;
    for &(start, end) in &shift.breaks {
        if start < shift.start || end > shift.end || end <= start {
            problem(format!(
                "break {}..{} is not inside the shift",
                crate::time::format_utc(start),
                crate::time::format_utc(end)
            ));
        }
        break_seconds += (end - start).num_seconds();
    }
    let length = (shift.end - shift.start).num_seconds() as f64 / 3600.0;
    let least = length - break_seconds as f64 / 3600.0;
    if shift.paid_hours > length + 0.01 || shift.paid_hours + 0.01 < least {
        problem(format!(
            "paid hours {} do not fit a shift of {length:.2} h with {:.2} h of breaks",
            shift.paid_hours,
            break_seconds as f64 / 3600.0
        ));
    }
}

fn check_agent(
    agent: &Agent,
    shifts: &[&WorkedShift],
    context: &CheckContext<'_>,
    violations: &mut Vec<Violation>,
) {
    let plan_start = context.horizon.start_date();
    let rules = context.rules;
    let mut push = |kind: ViolationKind, line: usize, message: String| {
        violations.push(Violation {
            kind,
            agent_id: agent.id.clone(),
            line,
            message,
        })
    };
    let local: Vec<AgentDay> = shifts
        .iter()
        .map(|s| AgentDay::of(s.start, s.end, agent.time_zone, plan_start))
        .collect();
    let when = |s: &WorkedShift| format_local(s.start, agent.time_zone);
    for (shift, here) in shifts.iter().zip(&local) {
        if !agent.skill_groups.contains(&shift.skill_group) {
            push(
                ViolationKind::Skill,
                shift.line,
                format!(
                    "shift at {} is in skill group {}; the agent has {:?}",
                    when(shift),
                    crate::error::echo(&shift.skill_group),
                    agent.skill_groups
                ),
            );
        }
        if !within_availability(agent, here.minute_of_week, here.wall_minutes) {
            // format_duration carries its own unit ("8h30m"), no " h" after it.
            push(
                ViolationKind::Availability,
                shift.line,
                format!(
                    "shift at {} ({}) is outside the agent's availability",
                    when(shift),
                    format_duration((shift.end - shift.start).num_seconds() as f64)
                ),
            );
        }
        for off in context.time_off.iter().filter(|t| t.agent_id == agent.id) {
            if off.start < shift.end && shift.start < off.end {
                push(
                    ViolationKind::TimeOff,
                    shift.line,
                    format!(
                        "shift at {} overlaps time off ({}) from {} to {}",
                        when(shift),
                        off.reason,
                        format_local(off.start, agent.time_zone),
                        format_local(off.end, agent.time_zone)
                    ),
                );
            }
        }
    }
    // Compare with the earlier shift that ends last (a long one may cover several short ones).
    let mut latest = 0;
    for (k, pair) in shifts.windows(2).enumerate() {
        if pair[0].end > shifts[latest].end {
            latest = k;
        }
        let (first, second) = (shifts[latest], pair[1]);
        if local[k].day == local[k + 1].day {
            push(
                ViolationKind::SameDay,
                second.line,
                format!(
                    "second shift on {} (at {}); one shift per day",
                    local[k].date,
                    when(second)
                ),
            );
        }
        if second.start < first.end {
            push(
                ViolationKind::Overlap,
                second.line,
                format!(
                    "shift at {} overlaps the shift at {}",
                    when(second),
                    when(first)
                ),
            );
            continue;
        }
        let rest = (second.start - first.end).num_seconds();
        if rest < rules.min_rest_seconds {
            push(
                ViolationKind::Rest,
                second.line,
                format!(
                    "rest of {} between the shift ending {} and the shift at {} is below the \
                     minimum {}",
                    format_duration(rest as f64),
                    format_local(first.end, agent.time_zone),
                    when(second),
                    format_duration(rules.min_rest_seconds as f64)
                ),
            );
        }
    }
    // Working days, consecutive runs, days and hours per week.
    let mut days: Vec<(i32, usize)> = local
        .iter()
        .zip(shifts)
        .map(|(l, s)| (l.day, s.line))
        .collect();
    days.sort_unstable();
    days.dedup_by_key(|d| d.0);
    let limit = agent
        .contract
        .max_consecutive_days
        .min(rules.max_consecutive_days);
    let mut run_start = 0;
    for k in 1..=days.len() {
        let continues = k < days.len() && days[k].0 == days[k - 1].0 + 1;
        if !continues {
            let run = (k - run_start) as u32;
            if run > limit {
                push(
                    ViolationKind::ConsecutiveDays,
                    days[run_start + limit as usize].1,
                    format!(
                        "{run} consecutive working days from {} to {}; at most {limit} allowed",
                        plan_start + chrono::Duration::days(i64::from(days[run_start].0)),
                        plan_start + chrono::Duration::days(i64::from(days[k - 1].0))
                    ),
                );
            }
            run_start = k;
        }
    }
    let mut weeks: BTreeMap<i32, (u8, f64, usize)> = BTreeMap::new();
    for (here, shift) in local.iter().zip(shifts) {
        let week = here.week();
        let entry = weeks.entry(week).or_insert((0, 0.0, shift.line));
        entry.0 |= 1 << (here.day - 7 * week);
        entry.1 += shift.paid_hours;
        entry.2 = shift.line;
    }
    for (week, (mask, hours, line)) in weeks {
        let first_day = plan_start + chrono::Duration::days(i64::from(7 * week));
        if mask.count_ones() > agent.contract.max_days_per_week {
            push(
                ViolationKind::DaysPerWeek,
                line,
                format!(
                    "{} working days in the week of {first_day}; the contract allows {}",
                    mask.count_ones(),
                    agent.contract.max_days_per_week
                ),
            );
        }
        if hours > agent.contract.max_weekly_hours + 1e-6 {
            push(
                ViolationKind::WeeklyHours,
                line,
                format!(
                    "{hours:.2} paid hours in the week of {first_day}; the contract maximum is {}",
                    agent.contract.max_weekly_hours
                ),
            );
        }
        if rules.days_off_consecutive && !one_block_off(mask) {
            push(
                ViolationKind::DaysOff,
                line,
                format!(
                    "days off in the week of {first_day} are not one block (working days: {})",
                    (0..7)
                        .filter(|k| mask & (1 << k) != 0)
                        .map(|k| (first_day + chrono::Duration::days(k))
                            .format("%a")
                            .to_string())
                        .collect::<Vec<_>>()
                        .join(" ")
                ),
            );
        }
    }
}

/// Paid hours and days worked per agent per plan week, for every agent and every week of the
/// plan (weeks outside the plan appear only when worked, e.g. a night shift of an agent east
/// of the plan's zone).
pub fn weekly_hours(shifts: &[WorkedShift], agents: &[Agent], horizon: &Horizon) -> Vec<WeekHours> {
    let mut by_agent: BTreeMap<&str, Vec<&WorkedShift>> = BTreeMap::new();
    for shift in shifts {
        by_agent
            .entry(shift.agent_id.as_str())
            .or_default()
            .push(shift);
    }
    week_hours(&by_agent, agents, horizon)
}

fn week_hours(
    by_agent: &BTreeMap<&str, Vec<&WorkedShift>>,
    agents: &[Agent],
    horizon: &Horizon,
) -> Vec<WeekHours> {
    let plan_start = horizon.start_date();
    let plan_days = horizon.days() as i32;
    let weeks = (plan_days - 1).div_euclid(7) + 1;
    let mut agents: Vec<&Agent> = agents.iter().collect();
    agents.sort_by(|a, b| a.id.cmp(&b.id));
    let mut out = Vec::new();
    for agent in agents {
        let mut per_week: BTreeMap<i32, (f64, Vec<NaiveDate>)> =
            (0..weeks).map(|w| (w, (0.0, Vec::new()))).collect();
        for shift in by_agent.get(agent.id.as_str()).into_iter().flatten() {
            let here = AgentDay::of(shift.start, shift.end, agent.time_zone, plan_start);
            let entry = per_week.entry(here.week()).or_default();
            entry.0 += shift.paid_hours;
            if !entry.1.contains(&here.date) {
                entry.1.push(here.date);
            }
        }
        for (week, (paid, dates)) in per_week {
            let days_in_plan = (plan_days - 7 * week).clamp(0, 7);
            out.push(WeekHours {
                agent_id: agent.id.clone(),
                week,
                paid_hours: paid,
                days_worked: dates.len() as u32,
                min_hours: agent.contract.min_weekly_hours * f64::from(days_in_plan) / 7.0,
                max_hours: agent.contract.max_weekly_hours,
            });
        }
    }
    out
}

/// Coverage against the plan: each worked shift must be a planned one, no planned shift may
/// have more agents than slots; returns the on-duty agent-hours not worked.
fn check_plan(shifts: &[WorkedShift], plan: &[ShiftSlot], violations: &mut Vec<Violation>) -> f64 {
    type Key<'k> = (DateTime<Utc>, DateTime<Utc>, &'k str);
    let mut planned: BTreeMap<Key<'_>, Vec<&ShiftSlot>> = BTreeMap::new();
    for slot in plan {
        planned
            .entry((slot.start, slot.end, slot.skill_group.as_str()))
            .or_default()
            .push(slot);
    }
    let mut worked: BTreeMap<Key<'_>, Vec<&WorkedShift>> = BTreeMap::new();
    for shift in shifts {
        worked
            .entry((shift.start, shift.end, shift.skill_group.as_str()))
            .or_default()
            .push(shift);
    }
    for (key, rows) in &worked {
        let capacity = planned.get(key).map_or(0, Vec::len);
        if capacity == 0 {
            for row in rows {
                violations.push(Violation {
                    kind: ViolationKind::NotInPlan,
                    agent_id: row.agent_id.clone(),
                    line: row.line,
                    message: format!(
                        "the plan has no {} shift from {} to {}",
                        key.2,
                        crate::time::format_utc(key.0),
                        crate::time::format_utc(key.1)
                    ),
                });
            }
        } else if rows.len() > capacity {
            for row in &rows[capacity..] {
                violations.push(Violation {
                    kind: ViolationKind::OverPlan,
                    agent_id: row.agent_id.clone(),
                    line: row.line,
                    message: format!(
                        "{} agents on the {} shift from {} to {}; the plan has {capacity}",
                        rows.len(),
                        key.2,
                        crate::time::format_utc(key.0),
                        crate::time::format_utc(key.1)
                    ),
                });
            }
        }
    }
    let mut lost = 0i64;
    for (key, slots) in &planned {
        let staffed = worked.get(key).map_or(0, Vec::len);
        // The least on-duty slots are the ones counted as filled first: a conservative figure.
        let mut on_duty: Vec<i64> = slots
            .iter()
            .map(|s| {
                let breaks: i64 = s
                    .breaks
                    .iter()
                    .map(|b| (b.end - b.start).num_seconds())
                    .sum();
                (s.end - s.start).num_seconds() - breaks
            })
            .collect();
        on_duty.sort_unstable();
        lost += on_duty
            .iter()
            .rev()
            .take(slots.len().saturating_sub(staffed))
            .sum::<i64>();
    }
    lost as f64 / 3600.0
}
