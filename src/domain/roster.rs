//! Shift plans and rosters as data: one agent's worth of a planned shift ([`ShiftSlot`]), who
//! works it ([`Assignment`], [`Roster`]), the planned work nobody could take ([`Shortfall`]),
//! a worked shift as HR reads it ([`WorkedShift`]) and paid hours per agent-week
//! ([`WeekHours`]). All instants are UTC; local dates and times are derived with a zone.

use chrono::{DateTime, NaiveDate, Utc};
use serde::Serialize;

/// A break inside a shift.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BreakSlot {
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Whether the break is paid.
    pub paid: bool,
}

/// One agent's worth of a scheduled shift: the scheduler's "N agents on shift X" expands into N
/// slots, each with its concrete breaks.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ShiftSlot {
    /// Stable identifier, unique in a plan: `{template}@{start UTC}#{k}`.
    pub slot_id: String,
    /// Shift template name.
    pub template: String,
    /// Skill group whose agents may work it.
    pub skill_group: String,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Local date of the start in the plan's zone.
    pub local_date: NaiveDate,
    /// Breaks in time order.
    pub breaks: Vec<BreakSlot>,
    /// Paid time in seconds (length minus unpaid breaks).
    pub paid_seconds: f64,
    /// Cost of the shift (paid hours × rate + fixed cost).
    pub cost: f64,
}

impl ShiftSlot {
    /// True when the agent of this slot is working (on shift and not on break) at `instant`.
    pub fn on_duty_at(&self, instant: DateTime<Utc>) -> bool {
        self.start <= instant
            && instant < self.end
            && !self
                .breaks
                .iter()
                .any(|b| b.start <= instant && instant < b.end)
    }

    /// On-duty seconds (length minus every break): the coverage the slot gives.
    pub fn on_duty_seconds(&self) -> i64 {
        let breaks: i64 = self
            .breaks
            .iter()
            .map(|b| (b.end - b.start).num_seconds())
            .sum();
        (self.end - self.start).num_seconds() - breaks
    }
}

/// On-duty agent-hours of a set of slots.
pub fn on_duty_agent_hours(slots: &[ShiftSlot]) -> f64 {
    slots.iter().map(ShiftSlot::on_duty_seconds).sum::<i64>() as f64 / 3600.0
}

/// One agent on one shift slot.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Assignment {
    /// Agent id.
    pub agent_id: String,
    /// The slot worked.
    pub slot: ShiftSlot,
}

/// A roster: assignments, plus the scheduled slots no agent could take.
#[derive(Debug, Clone, PartialEq, Default, Serialize)]
pub struct Roster {
    /// Assignments sorted by agent id, then start.
    pub assignments: Vec<Assignment>,
    /// Slots of the shift plan left unstaffed.
    pub unfilled: Vec<ShiftSlot>,
}

impl Roster {
    /// A shift plan as a roster: one anonymous agent per slot (agent id = slot id).
    pub fn of_slots(slots: &[ShiftSlot]) -> Roster {
        Roster {
            assignments: slots
                .iter()
                .map(|slot| Assignment {
                    agent_id: slot.slot_id.clone(),
                    slot: slot.clone(),
                })
                .collect(),
            unfilled: Vec::new(),
        }
    }

    /// On-duty agent-hours of the planned slots no agent works.
    pub fn unfilled_agent_hours(&self) -> f64 {
        on_duty_agent_hours(&self.unfilled)
    }
}

/// Scheduled work that no agent could take, grouped by shift, with the reasons.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Shortfall {
    /// Skill group of the shift.
    pub skill_group: String,
    /// Shift template.
    pub template: String,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Local date of the start in the plan's zone.
    pub local_date: NaiveDate,
    /// Slots of this shift left unfilled.
    pub missing: u32,
    /// On-duty agent-hours lost.
    pub agent_hours: f64,
    /// Agents with the skill group.
    pub with_skill: u32,
    /// Of those, not available at that time (availability windows).
    pub unavailable: u32,
    /// Of those, on time off.
    pub on_time_off: u32,
    /// Of those, eligible but blocked by rest, days, hours or consecutive-day limits, or
    /// already working another shift that day.
    pub at_limit: u32,
}

/// One worked shift as HR sees it (a `roster.csv` row, times resolved to UTC).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WorkedShift {
    /// Line in the file (1 = header), 0 when not read from a file.
    pub line: usize,
    /// Agent id.
    pub agent_id: String,
    /// Skill group worked.
    pub skill_group: String,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Paid hours.
    pub paid_hours: f64,
    /// Breaks, UTC.
    pub breaks: Vec<(DateTime<Utc>, DateTime<Utc>)>,
}

impl WorkedShift {
    /// The worked shifts of a roster (without going through a file).
    pub fn from_roster(roster: &Roster) -> Vec<WorkedShift> {
        roster
            .assignments
            .iter()
            .map(|a| WorkedShift {
                line: 0,
                agent_id: a.agent_id.clone(),
                skill_group: a.slot.skill_group.clone(),
                start: a.slot.start,
                end: a.slot.end,
                paid_hours: a.slot.paid_seconds / 3600.0,
                breaks: a.slot.breaks.iter().map(|b| (b.start, b.end)).collect(),
            })
            .collect()
    }
}

/// Paid hours of one agent in one plan week.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct WeekHours {
    /// Agent id.
    pub agent_id: String,
    /// Plan week (0 = the week of the plan's first date).
    pub week: i32,
    /// Paid hours worked.
    pub paid_hours: f64,
    /// Distinct working days.
    pub days_worked: u32,
    /// Contract minimum for this week (pro rata when the plan has fewer days in it).
    pub min_hours: f64,
    /// Contract maximum.
    pub max_hours: f64,
}

impl WeekHours {
    /// `under`, `over` or `ok` against the contract.
    pub fn flag(&self) -> &'static str {
        if self.paid_hours > self.max_hours + 1e-6 {
            "over"
        } else if self.paid_hours + 1e-6 < self.min_hours {
            "under"
        } else {
            "ok"
        }
    }
}
