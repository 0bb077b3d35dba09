//! Shared roster types. All instants are UTC; local dates/times are derived with the site's zone.

use chrono::{DateTime, NaiveDate, Utc};
use chrono_tz::Tz;
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
}

/// Contract limits of an agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Contract {
    /// Minimum paid hours per week.
    pub min_weekly_hours: f64,
    /// Maximum paid hours per week.
    pub max_weekly_hours: f64,
    /// Maximum working days per week.
    pub max_days_per_week: u32,
    /// Maximum consecutive working days.
    pub max_consecutive_days: u32,
}

/// A named agent.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Agent {
    /// Identifier (from HR), e.g. `A017`.
    pub id: String,
    /// Display name (untrusted text from HR systems).
    pub name: String,
    /// Skill groups the agent may work.
    pub skill_groups: Vec<String>,
    /// Site time zone (availability and time off are local to it).
    #[serde(serialize_with = "serialize_zone")]
    pub time_zone: Tz,
    /// Contract limits.
    pub contract: Contract,
    /// Availability per weekday (index 0 = Monday) as local minute windows; a window may end
    /// after 1440 (runs into the next day). Empty = not available that day.
    pub availability: [Vec<(u32, u32)>; 7],
    /// Preferred shift template, if any.
    pub preferred_template: Option<String>,
    /// Preferred local start time in minutes after midnight, if any.
    pub preferred_start_minute: Option<u32>,
}

fn serialize_zone<S: serde::Serializer>(zone: &Tz, s: S) -> Result<S::Ok, S::Error> {
    s.serialize_str(zone.name())
}

/// Approved time off.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TimeOff {
    /// Agent id.
    pub agent_id: String,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Reason (vacation, training, ...).
    pub reason: String,
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
