//! Working-time rules that hold for every agent (`[rules]` in the scenario), on top of each
//! agent's own contract.

use serde::Serialize;

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
