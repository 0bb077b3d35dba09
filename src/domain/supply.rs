//! What the named agents can supply to a shift plan, as data: which shift options any agent
//! can work at all, and limits on how many of them (or how many paid hours) a plan may use —
//! each limit a necessary condition of every roster (one shift per agent and local day, the
//! contracts' weekly days and hours), over the options a given set of agents alone can work.
//! The roster stage computes it from the workforce; the scheduler plans within it.

use std::collections::BTreeMap;

use chrono::{DateTime, Utc};
use serde::Serialize;

/// One shift the plan may use (a template at a start), as the workforce sees it.
#[derive(Debug, Clone, PartialEq)]
pub struct ShiftOption {
    /// Skill group index (the scenario's skill groups, in order).
    pub skill_group: usize,
    /// Start, UTC.
    pub start: DateTime<Utc>,
    /// End, UTC.
    pub end: DateTime<Utc>,
    /// Plan day of the start (plan's zone).
    pub plan_day: usize,
    /// Paid hours.
    pub paid_hours: f64,
}

/// What a limit counts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum SupplyMeasure {
    /// Shifts (agents).
    Shifts,
    /// Paid hours.
    PaidHours,
}

/// The resource a limit stands for, in domain terms.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum SupplyResource {
    /// The agents who could work on one plan day (one shift each per local day).
    Day {
        /// Plan day.
        plan_day: usize,
    },
    /// The agents' days per week (contracts' `max_days_per_week`).
    WeekDays {
        /// Plan week.
        week: usize,
    },
    /// The agents' paid hours per week (contracts' `max_weekly_hours`).
    WeekHours {
        /// Plan week.
        week: usize,
    },
}

/// `Σ weight × agents on option ≤ bound` over `members`: the most the agents of a set can
/// give to the options only they can work.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SupplyLimit {
    /// `(option index, weight)`: the options counted (1 per shift, or paid hours).
    pub members: Vec<(usize, f64)>,
    /// The most the agents can give.
    pub bound: f64,
    /// Shifts or paid hours.
    pub measure: SupplyMeasure,
    /// Day, days per week or hours per week.
    pub resource: SupplyResource,
    /// How many agents stand behind the bound.
    pub agents: usize,
    /// Who they are, in words: `chat-capable agents (83)`.
    pub who: String,
}

impl SupplyLimit {
    /// `Σ weight × agents` over the limit's options, given the agents per option.
    pub fn total(&self, agents_per_option: &BTreeMap<usize, f64>) -> f64 {
        self.members
            .iter()
            .map(|&(k, w)| w * agents_per_option.get(&k).copied().unwrap_or(0.0))
            .sum()
    }
}

/// The workforce's supply to a plan's shift options.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Supply {
    /// `workable[k]`: some agent can work option `k` (skill, availability, time off).
    pub workable: Vec<bool>,
    /// Limits on the options.
    pub limits: Vec<SupplyLimit>,
}
