//! The workforce: named agents with their contracts, availability and time off, and the
//! working-time rules that hold for every agent (`[rules]` in the scenario).

use chrono::{DateTime, Utc};
use chrono_tz::Tz;
use serde::Serialize;

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

/// Rules of the roster. Contract limits of an agent are tightened by these, never loosened.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Rules {
    /// Minimum rest between the end of one shift and the start of the next, in seconds.
    pub min_rest_seconds: i64,
    /// Maximum consecutive working days for everyone (an agent's contract may be stricter).
    pub max_consecutive_days: u32,
    /// When true, an agent's days off in each plan week form one block (Sunday and Monday
    /// count as adjacent because the week repeats).
    pub days_off_consecutive: bool,
    /// When true, weekend shifts are spread evenly across agents (a soft goal).
    pub spread_weekends: bool,
}

impl Default for Rules {
    fn default() -> Self {
        Rules {
            min_rest_seconds: 11 * 3600,
            max_consecutive_days: 6,
            days_off_consecutive: false,
            spread_weekends: true,
        }
    }
}

/// Default contract values used when an agent leaves a field out.
pub mod defaults {
    /// Minimum weekly paid hours.
    pub const MIN_WEEKLY_HOURS: f64 = 0.0;
    /// Maximum weekly paid hours.
    pub const MAX_WEEKLY_HOURS: f64 = 40.0;
    /// Maximum working days per week.
    pub const MAX_DAYS_PER_WEEK: u32 = 5;
}
