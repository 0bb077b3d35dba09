//! Shift templates, breaks, skill groups and scheduling limits: the `[[shift]]`,
//! `[[shift.break]]`, `[[skill_group]]` and `[limits]` sections of a scenario.
//!
//! ```toml
//! [[skill_group]]
//! id = "blended"
//! queues = ["voice", "chat"]
//!
//! [[shift]]
//! name = "day8"
//! length = "8h30m"            # on the premises, breaks included
//! paid = "8h"                 # optional: default length minus unpaid breaks
//! start_window = "06:00-10:00" # local; "22:00-02:00" crosses midnight; "00:00-24:00" all day
//! start_step = "15m"          # default: the plan interval
//! days = "weekdays"           # "all", "weekend", "mon", or a list ["mon", "tue"]
//! cost_per_hour = 20.0        # per paid hour (default 1: cost = paid hours)
//! fixed_cost = 0.0            # per agent-shift
//! cost_per_shift_start = 0.0  # optional: per distinct local start time the plan uses
//! skill_group = "blended"     # default: the only skill group
//! max_agents = 40             # optional, per plan day
//! [[shift.break]]
//! duration = "30m"
//! paid = false
//! earliest = "3h"             # break start, measured from the shift start
//! latest = "5h"
//!
//! [limits]
//! max_headcount_per_day = 200 # agents starting a shift on one local day
//! max_candidate_shifts = 1000000 # guard rail: (template, start) pairs over the plan
//! ```
//!
//! Without `[[skill_group]]` every queue has its own group named after it.

use serde::Deserialize;

use crate::error::{CodeInfo, Diagnostics};
use crate::units::{format_clock, format_duration, parse_clock};

/// Error codes owned by the shift sections.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "H1001",
        title: "no shift templates",
        explanation: "Scheduling needs at least one [[shift]] template: a length, a start \
                      window and the days it may be worked, e.g.\n  [[shift]]\n  name = \"day8\"\n  \
                      length = \"8h30m\"\n  start_window = \"06:00-10:00\"\n  days = \"all\"",
    },
    CodeInfo {
        code: "H1002",
        title: "shift field missing",
        explanation: "A [[shift]] needs name, length and start_window; a [[shift.break]] needs \
                      duration, earliest and latest (the break start window measured from the \
                      shift start).",
    },
    CodeInfo {
        code: "H1003",
        title: "duplicate shift template or skill group",
        explanation: "Two [[shift]] entries share a name, or two [[skill_group]] entries share an \
                      id. Names appear in shifts.csv; make them unique.",
    },
    CodeInfo {
        code: "H1004",
        title: "invalid start window",
        explanation: "start_window is local time: \"06:00-10:00\" (both ends allowed), several \
                      windows \"06:00-08:00,14:00-16:00\", a window past midnight \
                      \"22:00-02:00\", a single start \"08:00\", or the whole day \
                      \"00:00-24:00\". It may not be empty and windows may not overlap (share a \
                      start time).",
    },
    CodeInfo {
        code: "H1005",
        title: "invalid shift length or paid time",
        explanation: "length is the time on the premises (whole minutes, at most 24h); paid is \
                      the paid time, more than zero and at most the length. By default paid = \
                      length minus the unpaid breaks.",
    },
    CodeInfo {
        code: "H1006",
        title: "no allowed day",
        explanation: "days lists the weekdays a shift may start on: \"all\", \"weekdays\", \
                      \"weekend\", one day \"mon\", or a list [\"mon\", \"wed\"]. An empty list \
                      leaves the template unusable.",
    },
    CodeInfo {
        code: "H1007",
        title: "break longer than the shift",
        explanation: "A break (or all breaks together) must be shorter than the shift it \
                      belongs to. Check the units: duration = \"30m\", not \"30h\".",
    },
    CodeInfo {
        code: "H1008",
        title: "break window outside the shift",
        explanation: "earliest and latest are the first and last allowed break start, measured \
                      from the shift start; earliest <= latest, and a break started at latest \
                      must end before the shift ends (latest + duration <= length).",
    },
    CodeInfo {
        code: "H1009",
        title: "break windows overlap",
        explanation: "The breaks of one shift are placed independently, so their windows must \
                      not overlap: a break started at its latest must end before the next \
                      break's earliest start. Narrow the windows.",
    },
    CodeInfo {
        code: "H1010",
        title: "invalid cost",
        explanation: "cost_per_hour, fixed_cost and cost_per_shift_start are non-negative \
                      numbers (money per paid hour, per agent-shift and per distinct start \
                      time a template uses); a queue's understaffing_cost is a positive one \
                      (money per missing agent-hour).",
    },
    CodeInfo {
        code: "H1011",
        title: "unknown or missing skill group",
        explanation: "A [[shift]]'s skill_group must name a [[skill_group]] id (or, without \
                      [[skill_group]] sections, a queue id). It may be left out only when \
                      there is exactly one skill group.",
    },
    CodeInfo {
        code: "H1012",
        title: "skill group serves an unknown queue",
        explanation: "queues of a [[skill_group]] must be ids of [[queue]] entries, and a group \
                      needs at least one queue.",
    },
    CodeInfo {
        code: "H1013",
        title: "invalid scheduling limit",
        explanation: "min_agents and max_agents of a [[shift]] (agents starting that template \
                      on one plan day) and [limits] max_headcount_per_day are whole numbers \
                      from 0 to 100000, with min_agents <= max_agents; [limits] \
                      max_candidate_shifts is from 1 to 100000000.",
    },
    CodeInfo {
        code: "H1014",
        title: "not on the plan's interval grid",
        explanation: "Shift starts and break starts fall on interval boundaries: start_step, \
                      the start of each start window, and a break's earliest and latest must \
                      be multiples of plan.interval_minutes. Lengths and break durations may \
                      be any whole number of minutes (a partly covered interval counts \
                      partly).",
    },
    CodeInfo {
        code: "H1015",
        title: "too many candidate shifts",
        explanation: "Every (template, start) pair over the plan is a column of the scheduling \
                      model. Beyond [limits] max_candidate_shifts (default 1,000,000) the model \
                      would need gigabytes and hours, so the scenario is refused before \
                      anything is built. Use a larger start_step, narrower start windows, fewer \
                      templates or fewer days; or raise the limit in [limits] if the machine \
                      can take it.",
    },
];

/// `[[skill_group]]`: agents who may work a set of queues.
#[derive(Debug, Default, Deserialize)]
pub struct RawSkillGroup {
    /// Identifier used by `[[shift]] skill_group` and in shifts.csv.
    pub id: Option<String>,
    /// Queue ids the group's agents may work.
    pub queues: Option<Vec<String>>,
}

/// `[[shift.break]]`: one break of a shift template.
#[derive(Debug, Default, Deserialize)]
pub struct RawBreak {
    /// Length, e.g. `"30m"`.
    pub duration: Option<String>,
    /// Whether the break is paid (default false).
    pub paid: Option<bool>,
    /// Earliest break start after the shift start, e.g. `"3h"`.
    pub earliest: Option<String>,
    /// Latest break start after the shift start, e.g. `"5h"`.
    pub latest: Option<String>,
}

/// `[[shift]]`: one shift template.
#[derive(Debug, Default, Deserialize)]
pub struct RawShift {
    /// Template name.
    pub name: Option<String>,
    /// Time on the premises, e.g. `"8h30m"`.
    pub length: Option<String>,
    /// Paid time, e.g. `"8h"`.
    pub paid: Option<String>,
    /// Local start window(s), e.g. `"06:00-10:00"`.
    pub start_window: Option<String>,
    /// Step between start times, e.g. `"15m"`.
    pub start_step: Option<String>,
    /// Allowed start weekdays.
    pub days: Option<toml::Value>,
    /// Cost per paid hour.
    pub cost_per_hour: Option<toml::Value>,
    /// Fixed cost per agent-shift.
    pub fixed_cost: Option<toml::Value>,
    /// Cost per distinct local start time the plan uses of this template.
    pub cost_per_shift_start: Option<toml::Value>,
    /// Skill group id.
    pub skill_group: Option<String>,
    /// Minimum agents starting this template on each allowed plan day.
    pub min_agents: Option<i64>,
    /// Maximum agents starting this template on each plan day.
    pub max_agents: Option<i64>,
    /// Breaks.
    #[serde(rename = "break", default)]
    pub breaks: Vec<RawBreak>,
}

/// `[limits]`: limits across templates.
#[derive(Debug, Default, Deserialize)]
pub struct RawLimits {
    /// Agents starting a shift on one local day, all templates together.
    pub max_headcount_per_day: Option<i64>,
    /// Guard rail on the number of (template, start) pairs over the plan.
    pub max_candidate_shifts: Option<i64>,
}

/// A validated skill group.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SkillGroup {
    /// Identifier.
    pub id: String,
    /// Indices into the scenario's queues, in the order given.
    pub queues: Vec<usize>,
}

/// A validated break rule of a template; all times in minutes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BreakRule {
    /// Length of the break.
    pub duration_minutes: u32,
    /// Whether the break is paid.
    pub paid: bool,
    /// Earliest start after the shift start.
    pub earliest_minutes: u32,
    /// Latest start after the shift start.
    pub latest_minutes: u32,
}

/// One start window in minutes after local midnight of the shift's date; `end_minute` may
/// exceed 1440 (the window runs past midnight).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct StartWindow {
    /// First allowed start.
    pub start_minute: u32,
    /// Last allowed start (or the exclusive end of a whole-day window).
    pub end_minute: u32,
    /// False for a whole-day window, whose end is the next day's first start.
    pub end_inclusive: bool,
}

impl StartWindow {
    /// True when `minute` (after local midnight of the shift's date) is a start of this window
    /// on the grid of `step` minutes.
    pub fn contains(&self, minute: u32, step: u32) -> bool {
        let inside = minute >= self.start_minute
            && (minute < self.end_minute || (self.end_inclusive && minute == self.end_minute));
        inside && (minute - self.start_minute) % step.max(1) == 0
    }

    /// `06:00-10:00` form.
    pub fn describe(&self) -> String {
        if self.start_minute == self.end_minute && self.end_inclusive {
            return format_clock(self.start_minute);
        }
        let end = if !self.end_inclusive && self.end_minute == 1440 {
            "24:00".to_string()
        } else {
            format_clock(self.end_minute % 1440)
        };
        format!("{}-{end}", format_clock(self.start_minute))
    }
}

/// A validated shift template.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftTemplate {
    /// Name (unique).
    pub name: String,
    /// Time on the premises, minutes.
    pub length_minutes: u32,
    /// Paid time, minutes.
    pub paid_minutes: u32,
    /// Local start windows, sorted.
    pub start_windows: Vec<StartWindow>,
    /// Step between start times, minutes.
    pub start_step_minutes: u32,
    /// Allowed start weekdays, index 0 = Monday.
    pub days: [bool; 7],
    /// Cost per paid hour.
    pub cost_per_hour: f64,
    /// Fixed cost per agent-shift.
    pub fixed_cost: f64,
    /// Cost per distinct local start time (clock time, any day of the plan) the plan uses of
    /// this template: schedules with fewer start times are simpler to run. 0: none.
    pub cost_per_shift_start: f64,
    /// Index into [`ShiftRules::skill_groups`].
    pub skill_group: usize,
    /// Minimum agents starting this template on each allowed plan day.
    pub min_agents: Option<u32>,
    /// Maximum agents starting this template on each plan day.
    pub max_agents: Option<u32>,
    /// Breaks in time order; their windows do not overlap.
    pub breaks: Vec<BreakRule>,
}

impl ShiftTemplate {
    /// Cost of one agent working one shift of this template.
    pub fn cost_per_agent(&self) -> f64 {
        f64::from(self.paid_minutes) / 60.0 * self.cost_per_hour + self.fixed_cost
    }

    /// Start minutes after local midnight of the shift's date (may reach past 1440), ascending.
    pub fn start_minutes(&self) -> Vec<u32> {
        let step = self.start_step_minutes.max(1);
        let mut out = Vec::new();
        for window in &self.start_windows {
            let mut minute = window.start_minute;
            while minute < window.end_minute
                || (window.end_inclusive && minute == window.end_minute)
            {
                out.push(minute);
                minute += step;
            }
        }
        out.sort_unstable();
        out
    }

    /// True when a start at `minute` after local midnight of its date is allowed.
    pub fn allows_start_minute(&self, minute: u32) -> bool {
        self.start_windows
            .iter()
            .any(|w| w.contains(minute, self.start_step_minutes))
    }

    /// Start windows as written, e.g. `06:00-10:00,14:00-16:00`.
    pub fn describe_windows(&self) -> String {
        self.start_windows
            .iter()
            .map(StartWindow::describe)
            .collect::<Vec<_>>()
            .join(",")
    }

    /// Allowed days as text, e.g. `mon,tue,wed`.
    pub fn describe_days(&self) -> String {
        if self.days.iter().all(|&d| d) {
            return "all days".into();
        }
        DAY_NAMES
            .iter()
            .zip(self.days)
            .filter(|(_, allowed)| *allowed)
            .map(|(name, _)| *name)
            .collect::<Vec<_>>()
            .join(",")
    }
}

/// Everything the scheduler needs besides the requirement: skill groups, templates, limits.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct ShiftRules {
    /// Skill groups (one per queue when the scenario defines none).
    pub skill_groups: Vec<SkillGroup>,
    /// Shift templates in file order.
    pub templates: Vec<ShiftTemplate>,
    /// Agents starting a shift on one local day, all templates together.
    pub max_headcount_per_day: Option<u32>,
    /// Most candidate shifts (template × start over the plan) the scheduler accepts.
    pub max_candidate_shifts: u64,
}

/// Default of `[limits] max_candidate_shifts`: beyond it the LP alone needs gigabytes.
pub const DEFAULT_MAX_CANDIDATE_SHIFTS: u64 = 1_000_000;

/// Largest value `[limits] max_candidate_shifts` may be raised to.
pub const MAX_CANDIDATE_SHIFTS_LIMIT: u64 = 100_000_000;

impl ShiftRules {
    /// Number of candidate shifts over `days` plan days starting on weekday
    /// `first_weekday` (0 = Monday), per template in file order: allowed days × starts per
    /// day (before DST removes or merges a few).
    pub fn candidate_counts(&self, days: u32, first_weekday: usize) -> Vec<u64> {
        self.templates
            .iter()
            .map(|template| {
                let allowed_days = (0..days as usize)
                    .filter(|d| template.days[(first_weekday + d) % 7])
                    .count() as u64;
                allowed_days * template.start_minutes().len() as u64
            })
            .collect()
    }
}

/// Weekday names, index 0 = Monday.
pub const DAY_NAMES: [&str; 7] = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"];

/// Parses `days` (string or array of strings) into allowed weekdays.
fn parse_days(value: &toml::Value) -> Result<[bool; 7], String> {
    let mut days = [false; 7];
    let mut add = |word: &str| -> Result<(), String> {
        match word.trim().to_ascii_lowercase().as_str() {
            "all" | "daily" => days = [true; 7],
            "weekdays" => days[..5].iter_mut().for_each(|d| *d = true),
            "weekend" => days[5..].iter_mut().for_each(|d| *d = true),
            day => match DAY_NAMES.iter().position(|d| *d == day) {
                Some(i) => days[i] = true,
                None => {
                    return Err(format!(
                        "unknown day {}; use mon..sun, weekdays, weekend or all",
                        crate::error::echo(word)
                    ));
                }
            },
        }
        Ok(())
    };
    match value {
        toml::Value::String(s) => {
            for part in s.split(',').filter(|p| !p.trim().is_empty()) {
                add(part)?;
            }
        }
        toml::Value::Array(items) => {
            for item in items {
                match item {
                    toml::Value::String(s) => add(s)?,
                    other => return Err(format!("expected day names, got {}", other.type_str())),
                }
            }
        }
        other => {
            return Err(format!(
                "expected \"all\", \"weekdays\" or a list of days, got {}",
                other.type_str()
            ));
        }
    }
    if days.iter().all(|d| !d) {
        return Err("no day is allowed".into());
    }
    Ok(days)
}

/// Parses start windows (local clock) into sorted windows; checks overlap on the 24-hour
/// circle with the given step.
fn parse_start_windows(text: &str, step: u32) -> Result<Vec<StartWindow>, String> {
    let trimmed = text.trim();
    if trimmed.is_empty() {
        return Err("the start window is empty".into());
    }
    let mut windows = Vec::new();
    for part in trimmed.split(',') {
        let part = part.trim();
        if part.is_empty() {
            return Err(format!("empty window in {}", crate::error::echo(trimmed)));
        }
        let lower = part.to_ascii_lowercase();
        if lower == "24h" || lower == "all day" {
            windows.push(StartWindow {
                start_minute: 0,
                end_minute: 1440,
                end_inclusive: false,
            });
            continue;
        }
        let window = match part.split_once('-') {
            None => {
                let minute = parse_clock(part)?;
                if minute >= 1440 {
                    return Err(format!(
                        "a start at {} is the next day's 00:00",
                        crate::error::echo(part)
                    ));
                }
                StartWindow {
                    start_minute: minute,
                    end_minute: minute,
                    end_inclusive: true,
                }
            }
            Some((start, end)) => {
                let start = parse_clock(start)?;
                let mut end = parse_clock(end)?;
                if start >= 1440 {
                    return Err(format!(
                        "window {} cannot start at 24:00",
                        crate::error::echo(part)
                    ));
                }
                if end <= start {
                    end += 1440;
                }
                StartWindow {
                    start_minute: start,
                    end_minute: end,
                    end_inclusive: end - start < 1440,
                }
            }
        };
        windows.push(window);
    }
    windows.sort_by_key(|w| w.start_minute);
    // Overlap: two windows that would produce the same clock time (mod 24 h).
    let mut seen = vec![false; 1440];
    for window in &windows {
        let mut minute = window.start_minute;
        while minute < window.end_minute || (window.end_inclusive && minute == window.end_minute) {
            let slot = (minute % 1440) as usize;
            if seen[slot] {
                return Err(format!(
                    "windows in {} overlap at {}",
                    crate::error::echo(trimmed),
                    format_clock(minute % 1440)
                ));
            }
            seen[slot] = true;
            minute += step.max(1);
        }
    }
    Ok(windows)
}

/// Reads a duration in whole minutes, at most a week; pushes `S1005` or `S1020` otherwise.
fn minutes_field(
    text: Option<&str>,
    place: &str,
    example: &str,
    errors: &mut Diagnostics,
) -> Option<u32> {
    let text = text?;
    let fix = super::example_fix(place, example);
    let seconds = super::parse_duration_field(text, place, &fix, errors)?;
    if seconds % 60.0 != 0.0 {
        errors.push(
            "S1005",
            place,
            format!(
                "{} is not a whole number of minutes",
                crate::error::echo(text)
            ),
            fix,
        );
        None
    } else if seconds > 7.0 * 86_400.0 {
        errors.push(
            "S1020",
            place,
            format!(
                "{} is longer than a week — likely a unit mistake",
                crate::error::echo(text)
            ),
            fix,
        );
        None
    } else {
        Some((seconds / 60.0) as u32)
    }
}

pub(crate) fn money_field(
    value: Option<&toml::Value>,
    place: &str,
    default: f64,
    errors: &mut Diagnostics,
) -> f64 {
    let Some(value) = value else {
        return default;
    };
    let number = match value {
        toml::Value::Float(f) => Some(*f),
        toml::Value::Integer(i) => Some(*i as f64),
        _ => None,
    };
    match number {
        Some(n) if n.is_finite() && (0.0..=1e9).contains(&n) => n,
        Some(n) => {
            errors.push(
                "H1010",
                place,
                format!(
                    "{} is not a non-negative amount (0 to 1e9)",
                    crate::units::format_value(n)
                ),
                format!("write e.g. {place} = 20.0"),
            );
            default
        }
        None => {
            errors.push(
                "H1010",
                place,
                format!("expected a number, got {}", value.type_str()),
                format!("write e.g. {place} = 20.0 (no quotes)"),
            );
            default
        }
    }
}

fn count_field(value: Option<i64>, place: &str, errors: &mut Diagnostics) -> Option<u32> {
    let value = value?;
    if (0..=100_000).contains(&value) {
        Some(value as u32)
    } else {
        errors.push(
            "H1013",
            place,
            format!("{value} is outside 0..=100000"),
            format!("write e.g. {place} = 40"),
        );
        None
    }
}

/// Validates the skill groups, shift templates and limits. `queue_ids` are the ids of the
/// scenario's `[[queue]]` entries in file order (indices refer to it); `interval_minutes` is
/// the plan's interval when it is valid.
pub fn validate_shifts(
    raw_groups: Vec<RawSkillGroup>,
    raw_shifts: Vec<RawShift>,
    raw_limits: Option<RawLimits>,
    queue_ids: &[Option<String>],
    interval_minutes: Option<u32>,
    errors: &mut Diagnostics,
) -> ShiftRules {
    let skill_groups = validate_groups(raw_groups, queue_ids, errors);
    let mut templates: Vec<ShiftTemplate> = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, raw) in raw_shifts.into_iter().enumerate() {
        if let Some(template) =
            validate_template(raw, index, &skill_groups, interval_minutes, errors)
        {
            if let Some((first, first_index)) = seen
                .iter()
                .find(|(name, _)| super::same_id(name, &template.name))
            {
                errors.push(
                    "H1003",
                    format!("shift[{index}].name"),
                    super::duplicate_id_cause(
                        "shift template name",
                        &template.name,
                        first,
                        &format!("shift[{first_index}].name"),
                    ),
                    "give every [[shift]] a unique name (ignoring case)",
                );
            } else {
                seen.push((template.name.clone(), index));
            }
            templates.push(template);
        }
    }
    let (max_headcount_per_day, max_candidate_shifts) = validate_limits(raw_limits, errors);
    ShiftRules {
        skill_groups,
        templates,
        max_headcount_per_day,
        max_candidate_shifts,
    }
}

/// `[limits]`: the headcount per day (none by default) and the candidate-shift guard rail.
fn validate_limits(raw_limits: Option<RawLimits>, errors: &mut Diagnostics) -> (Option<u32>, u64) {
    let max_headcount_per_day = raw_limits.as_ref().and_then(|limits| {
        count_field(
            limits.max_headcount_per_day,
            "limits.max_headcount_per_day",
            errors,
        )
    });
    let max_candidate_shifts = match raw_limits.as_ref().and_then(|l| l.max_candidate_shifts) {
        None => DEFAULT_MAX_CANDIDATE_SHIFTS,
        Some(value) if (1..=MAX_CANDIDATE_SHIFTS_LIMIT as i64).contains(&value) => value as u64,
        Some(value) => {
            errors.push(
                "H1013",
                "limits.max_candidate_shifts",
                format!("{value} is outside 1..={MAX_CANDIDATE_SHIFTS_LIMIT}"),
                format!(
                    "leave it out (default {DEFAULT_MAX_CANDIDATE_SHIFTS}) or write e.g. \
                     limits.max_candidate_shifts = 2000000"
                ),
            );
            DEFAULT_MAX_CANDIDATE_SHIFTS
        }
    };
    (max_headcount_per_day, max_candidate_shifts)
}

fn validate_groups(
    raw_groups: Vec<RawSkillGroup>,
    queue_ids: &[Option<String>],
    errors: &mut Diagnostics,
) -> Vec<SkillGroup> {
    if raw_groups.is_empty() {
        return queue_ids
            .iter()
            .enumerate()
            .filter_map(|(i, id)| {
                id.clone().map(|id| SkillGroup {
                    id,
                    queues: vec![i],
                })
            })
            .collect();
    }
    let mut groups: Vec<SkillGroup> = Vec::new();
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, raw) in raw_groups.into_iter().enumerate() {
        let at = |field: &str| format!("skill_group[{index}].{field}");
        let id = match raw.id {
            None => {
                errors.push(
                    "S1003",
                    at("id"),
                    "skill group without id",
                    "add id = \"blended\"",
                );
                continue;
            }
            Some(id) => id,
        };
        if let Err(cause) = super::check_id(&id) {
            errors.push("S1019", at("id"), cause, "use e.g. id = \"voice-chat\"");
        }
        if let Some((first, first_index)) =
            seen.iter().find(|(other, _)| super::same_id(other, &id))
        {
            errors.push(
                "H1003",
                at("id"),
                super::duplicate_id_cause(
                    "skill group id",
                    &id,
                    first,
                    &format!("skill_group[{first_index}].id"),
                ),
                "give every [[skill_group]] a unique id (ignoring case)",
            );
        } else {
            seen.push((id.clone(), index));
        }
        let queues = group_queues(raw.queues, &id, queue_ids, &at("queues"), errors);
        groups.push(SkillGroup { id, queues });
    }
    groups
}

/// `skill_group.queues`: indices of the queues a group serves, each once; at least one.
fn group_queues(
    names: Option<Vec<String>>,
    id: &str,
    queue_ids: &[Option<String>],
    place: &str,
    errors: &mut Diagnostics,
) -> Vec<usize> {
    let mut queues = Vec::new();
    let Some(names) = names.filter(|list| !list.is_empty()) else {
        errors.push(
            "H1012",
            place,
            format!("skill group {} lists no queues", crate::error::echo(id)),
            "add queues = [\"voice\", \"chat\"] (ids of [[queue]] entries)",
        );
        return queues;
    };
    for name in names {
        match queue_ids
            .iter()
            .position(|q| q.as_deref() == Some(name.as_str()))
        {
            Some(i) if !queues.contains(&i) => queues.push(i),
            Some(_) => {}
            None => {
                let known: Vec<&str> = queue_ids.iter().filter_map(|q| q.as_deref()).collect();
                errors.push(
                    "H1012",
                    place,
                    format!(
                        "skill group {} serves unknown queue {}",
                        crate::error::echo(id),
                        crate::error::echo(&name)
                    ),
                    format!("use ids of [[queue]] entries: {}", known.join(", ")),
                );
            }
        }
    }
    queues
}

fn validate_template(
    raw: RawShift,
    index: usize,
    groups: &[SkillGroup],
    interval_minutes: Option<u32>,
    errors: &mut Diagnostics,
) -> Option<ShiftTemplate> {
    let at = |field: &str| format!("shift[{index}].{field}");
    let before = errors.len();
    let name = template_name(raw.name, &at, errors);
    let label = name.clone().unwrap_or_else(|| format!("#{index}"));
    let length = template_length(raw.length.as_deref(), &label, &at, errors);
    let interval = interval_minutes.unwrap_or(1).max(1);
    let step = template_start_step(raw.start_step.as_deref(), interval, &at, errors);
    let windows = validate_start_windows(
        raw.start_window.as_deref(),
        step.unwrap_or(interval),
        interval,
        &label,
        &at,
        errors,
    );
    let days = template_days(raw.days.as_ref(), &label, &at, errors);
    let cost_per_hour = money_field(
        raw.cost_per_hour.as_ref(),
        &at("cost_per_hour"),
        1.0,
        errors,
    );
    let fixed_cost = money_field(raw.fixed_cost.as_ref(), &at("fixed_cost"), 0.0, errors);
    let cost_per_shift_start = money_field(
        raw.cost_per_shift_start.as_ref(),
        &at("cost_per_shift_start"),
        0.0,
        errors,
    );
    let skill_group = template_skill_group(raw.skill_group.as_deref(), groups, &label, &at, errors);
    let (min_agents, max_agents) =
        template_agent_limits(raw.min_agents, raw.max_agents, &at, errors);
    let breaks = validate_template_breaks(raw.breaks, index, &label, length, interval, errors);
    let paid = template_paid(raw.paid.as_deref(), length, &breaks, &label, &at, errors);
    if errors.len() > before {
        return None;
    }
    Some(ShiftTemplate {
        name: name?,
        length_minutes: length?,
        paid_minutes: paid?,
        start_windows: windows?,
        start_step_minutes: step?,
        days: days?,
        cost_per_hour,
        fixed_cost,
        cost_per_shift_start,
        skill_group: skill_group?,
        min_agents,
        max_agents,
        breaks,
    })
}

/// `shift.name`: required; a name that is not a valid id is reported and kept (as the label
/// of the template's other messages).
fn template_name(
    name: Option<String>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<String> {
    let Some(name) = name else {
        errors.push(
            "H1002",
            at("name"),
            "shift template without name",
            "add name = \"day8\"",
        );
        return None;
    };
    if let Err(cause) = super::check_id(&name) {
        errors.push("S1019", at("name"), cause, "use e.g. name = \"day8\"");
    }
    Some(name)
}

/// `shift.length`: required, whole minutes, more than zero and at most 24h.
fn template_length(
    text: Option<&str>,
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<u32> {
    if text.is_none() {
        errors.push(
            "H1002",
            at("length"),
            format!("shift {} has no length", crate::error::echo(label)),
            "add length = \"8h30m\" (time on the premises, breaks included)",
        );
    }
    match minutes_field(text, &at("length"), "8h30m", errors) {
        Some(0) => {
            errors.push(
                "H1005",
                at("length"),
                format!("shift {} has length zero", crate::error::echo(label)),
                "write e.g. length = \"8h\"",
            );
            None
        }
        Some(l) if l > 1440 => {
            errors.push(
                "H1005",
                at("length"),
                format!(
                    "shift {} lasts {}, more than 24h",
                    crate::error::echo(label),
                    format_duration(f64::from(l) * 60.0)
                ),
                "write the time on the premises, e.g. length = \"10h\"",
            );
            None
        }
        other => other,
    }
}

/// `shift.start_step`: a positive multiple of the plan interval (default: the interval).
fn template_start_step(
    text: Option<&str>,
    interval: u32,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<u32> {
    let Some(text) = text else {
        return Some(interval);
    };
    match minutes_field(Some(text), &at("start_step"), "15m", errors) {
        Some(0) => {
            errors.push(
                "H1014",
                at("start_step"),
                "start_step must be longer than zero",
                format!("write e.g. start_step = \"{interval}m\""),
            );
            None
        }
        Some(s) if s % interval != 0 => {
            errors.push(
                "H1014",
                at("start_step"),
                format!(
                    "start_step of {s} minutes is not a multiple of the {interval}-minute plan \
                     interval"
                ),
                format!(
                    "write a multiple of {interval} minutes, e.g. start_step = \"{interval}m\""
                ),
            );
            None
        }
        other => other,
    }
}

/// `shift.start_window`: required local start windows, each starting on the interval grid;
/// `step` is the template's start step.
fn validate_start_windows(
    text: Option<&str>,
    step: u32,
    interval: u32,
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<Vec<StartWindow>> {
    let Some(text) = text else {
        errors.push(
            "H1002",
            at("start_window"),
            format!("shift {} has no start window", crate::error::echo(label)),
            "add start_window = \"06:00-10:00\" (local time)",
        );
        return None;
    };
    match parse_start_windows(text, step) {
        Err(cause) => {
            errors.push(
                "H1004",
                at("start_window"),
                cause,
                "write e.g. start_window = \"06:00-10:00\" (or \"22:00-02:00\", \
                 \"00:00-24:00\"); windows may not overlap",
            );
            None
        }
        Ok(windows) => {
            if let Some(w) = windows.iter().find(|w| w.start_minute % interval != 0) {
                errors.push(
                    "H1014",
                    at("start_window"),
                    format!(
                        "window {} does not start on the {interval}-minute interval grid",
                        w.describe()
                    ),
                    format!("start windows at multiples of {interval} minutes"),
                );
            }
            Some(windows)
        }
    }
}

/// `shift.days`: the weekdays a shift may start on (default: every day).
fn template_days(
    value: Option<&toml::Value>,
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<[bool; 7]> {
    let Some(value) = value else {
        return Some([true; 7]);
    };
    match parse_days(value) {
        Ok(days) => Some(days),
        Err(cause) => {
            errors.push(
                "H1006",
                at("days"),
                format!("shift {}: {cause}", crate::error::echo(label)),
                "write e.g. days = \"weekdays\" or days = [\"mon\", \"tue\"] (or remove days \
                 for every day)",
            );
            None
        }
    }
}

/// `shift.skill_group`: index of a skill group; may be left out when there is only one.
fn template_skill_group(
    id: Option<&str>,
    groups: &[SkillGroup],
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<usize> {
    let ids = || groups.iter().map(|g| g.id.as_str()).collect::<Vec<_>>();
    match id {
        None if groups.len() == 1 => Some(0),
        None => {
            errors.push(
                "H1011",
                at("skill_group"),
                format!(
                    "shift {} names no skill group and there are {}",
                    crate::error::echo(label),
                    groups.len()
                ),
                format!("add skill_group = one of {}", ids().join(", ")),
            );
            None
        }
        Some(id) => {
            let found = groups.iter().position(|g| g.id == id);
            if found.is_none() {
                errors.push(
                    "H1011",
                    at("skill_group"),
                    format!(
                        "shift {} names unknown skill group {}",
                        crate::error::echo(label),
                        crate::error::echo(id)
                    ),
                    format!("use one of {}", ids().join(", ")),
                );
            }
            found
        }
    }
}

/// `shift.min_agents` and `shift.max_agents`: optional counts per plan day, min <= max.
fn template_agent_limits(
    min_agents: Option<i64>,
    max_agents: Option<i64>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> (Option<u32>, Option<u32>) {
    let min_agents = count_field(min_agents, &at("min_agents"), errors);
    let max_agents = count_field(max_agents, &at("max_agents"), errors);
    if let (Some(min), Some(max)) = (min_agents, max_agents)
        && min > max
    {
        errors.push(
            "H1013",
            at("min_agents"),
            format!("min_agents {min} is above max_agents {max}"),
            "make min_agents <= max_agents",
        );
    }
    (min_agents, max_agents)
}

/// `[[shift.break]]`: every break that fits the shift of `length` minutes, sorted by window;
/// then the windows are checked against each other.
fn validate_template_breaks(
    raw_breaks: Vec<RawBreak>,
    index: usize,
    label: &str,
    length: Option<u32>,
    interval: u32,
    errors: &mut Diagnostics,
) -> Vec<BreakRule> {
    let mut breaks: Vec<BreakRule> = raw_breaks
        .into_iter()
        .enumerate()
        .filter_map(|(k, raw_break)| {
            let at = |field: &str| format!("shift[{index}].break[{k}].{field}");
            validate_break(raw_break, k, label, length, interval, &at, errors)
        })
        .collect();
    breaks.sort_by_key(|b| (b.earliest_minutes, b.latest_minutes));
    check_break_windows(
        &breaks,
        label,
        length,
        &format!("shift[{index}].break"),
        errors,
    );
    breaks
}

/// One break (number `k` of its shift): required fields, start offsets on the interval grid,
/// and a window inside the shift.
fn validate_break(
    raw: RawBreak,
    k: usize,
    label: &str,
    length: Option<u32>,
    interval: u32,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<BreakRule> {
    for (field, given, example) in [
        ("duration", raw.duration.is_some(), "30m"),
        ("earliest", raw.earliest.is_some(), "3h"),
        ("latest", raw.latest.is_some(), "5h"),
    ] {
        if !given {
            errors.push(
                "H1002",
                at(field),
                format!(
                    "break {k} of shift {} has no {field}",
                    crate::error::echo(label)
                ),
                format!("add {field} = \"{example}\""),
            );
        }
    }
    let duration = minutes_field(raw.duration.as_deref(), &at("duration"), "30m", errors);
    let earliest = minutes_field(raw.earliest.as_deref(), &at("earliest"), "3h", errors);
    let latest = minutes_field(raw.latest.as_deref(), &at("latest"), "5h", errors);
    if duration == Some(0) {
        errors.push(
            "H1007",
            at("duration"),
            "a break must last more than zero minutes",
            "write e.g. duration = \"15m\", or remove the break",
        );
        return None;
    }
    for (field, value) in [("earliest", earliest), ("latest", latest)] {
        if let Some(v) = value
            && v % interval != 0
        {
            errors.push(
                "H1014",
                at(field),
                format!(
                    "break start offset {} is not on the {interval}-minute interval grid",
                    format_duration(f64::from(v) * 60.0)
                ),
                format!("use a multiple of {interval} minutes"),
            );
        }
    }
    let rule = BreakRule {
        duration_minutes: duration?,
        paid: raw.paid.unwrap_or(false),
        earliest_minutes: earliest?,
        latest_minutes: latest?,
    };
    match length {
        Some(length) if !break_fits_shift(&rule, length, label, at, errors) => None,
        _ => Some(rule),
    }
}

/// True when `rule` is shorter than the shift of `length` minutes and its window lies inside
/// it; otherwise pushes `H1007` or `H1008`.
fn break_fits_shift(
    rule: &BreakRule,
    length: u32,
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> bool {
    let (duration, earliest, latest) = (
        rule.duration_minutes,
        rule.earliest_minutes,
        rule.latest_minutes,
    );
    let hours = |minutes: u32| format_duration(f64::from(minutes) * 60.0);
    if duration >= length {
        errors.push(
            "H1007",
            at("duration"),
            format!(
                "break of {} is not shorter than shift {} of {}",
                hours(duration),
                crate::error::echo(label),
                hours(length)
            ),
            "shorten the break or lengthen the shift (check the units)",
        );
        return false;
    }
    if earliest > latest || latest + duration > length {
        errors.push(
            "H1008",
            at("latest"),
            format!(
                "break window {}..{} (+{}) does not fit inside shift {} of {}",
                hours(earliest),
                hours(latest),
                hours(duration),
                crate::error::echo(label),
                hours(length)
            ),
            "make earliest <= latest and latest + duration <= length",
        );
        return false;
    }
    true
}

/// The sorted breaks of one shift: windows that do not overlap (`H1009`) and, for several
/// breaks, a total shorter than the shift (`H1007`), both reported at `place`.
fn check_break_windows(
    breaks: &[BreakRule],
    label: &str,
    length: Option<u32>,
    place: &str,
    errors: &mut Diagnostics,
) {
    for pair in breaks.windows(2) {
        if pair[0].latest_minutes + pair[0].duration_minutes > pair[1].earliest_minutes {
            errors.push(
                "H1009",
                place,
                format!(
                    "in shift {} a break started at {} may still run when the next break \
                     may start at {}",
                    crate::error::echo(label),
                    format_duration(f64::from(pair[0].latest_minutes) * 60.0),
                    format_duration(f64::from(pair[1].earliest_minutes) * 60.0)
                ),
                "narrow the windows so that latest + duration <= the next break's earliest",
            );
        }
    }
    if let Some(length) = length {
        let total: u32 = breaks.iter().map(|b| b.duration_minutes).sum();
        if total >= length && breaks.len() > 1 {
            errors.push(
                "H1007",
                place,
                format!(
                    "the breaks of shift {} add up to the whole shift",
                    crate::error::echo(label)
                ),
                "shorten the breaks or lengthen the shift",
            );
        }
    }
}

/// `shift.paid`: the paid minutes, more than zero and at most the length (default: the length
/// minus the unpaid breaks).
fn template_paid(
    text: Option<&str>,
    length: Option<u32>,
    breaks: &[BreakRule],
    label: &str,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<u32> {
    let Some(text) = text else {
        let unpaid: u32 = breaks
            .iter()
            .filter(|b| !b.paid)
            .map(|b| b.duration_minutes)
            .sum();
        return length.map(|l| l.saturating_sub(unpaid));
    };
    match (minutes_field(Some(text), &at("paid"), "8h", errors), length) {
        (Some(p), Some(l)) if p == 0 || p > l => {
            errors.push(
                "H1005",
                at("paid"),
                format!(
                    "paid time {} of shift {} must be more than zero and at most its \
                     length {}",
                    format_duration(f64::from(p) * 60.0),
                    crate::error::echo(label),
                    format_duration(f64::from(l) * 60.0)
                ),
                "write the paid time, e.g. paid = \"8h\" for an 8h30m shift with a 30m unpaid \
                 lunch",
            );
            None
        }
        (p, _) => p,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cross_midnight_and_refuse_overlap() {
        let w = parse_start_windows("22:00-02:00", 15).unwrap();
        assert_eq!(w[0].start_minute, 22 * 60);
        assert_eq!(w[0].end_minute, 26 * 60);
        assert!(w[0].end_inclusive);
        let full = parse_start_windows("00:00-24:00", 15).unwrap();
        assert!(!full[0].end_inclusive);
        assert!(
            format!(
                "{:?}",
                parse_start_windows("06:00-10:00,09:00-12:00", 15).unwrap_err()
            )
            .contains("overlap at 09:00")
        );
        assert!(
            format!(
                "{:?}",
                parse_start_windows("22:00-02:00,01:00-03:00", 15).unwrap_err()
            )
            .contains("overlap at 01:00")
        );
        assert!(format!("{:?}", parse_start_windows("", 15).unwrap_err()).contains("empty"));
        assert!(parse_start_windows("06:00-10:00,14:00-16:00", 15).is_ok());
    }

    #[test]
    fn days_in_every_form() {
        let parse = |text: &str| parse_days(&toml::Value::String(text.into()));
        assert_eq!(
            parse("weekdays").unwrap(),
            [true, true, true, true, true, false, false]
        );
        assert_eq!(parse("all").unwrap(), [true; 7]);
        assert!(format!("{:?}", parse("funday").unwrap_err()).contains("unknown day"));
        assert!(
            format!("{:?}", parse_days(&toml::Value::Array(vec![])).unwrap_err())
                .contains("no day is allowed")
        );
    }
}
