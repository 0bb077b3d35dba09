//! Independent checkers: they re-read the files staffplan wrote and re-verify every rule with
//! their own short code, sharing nothing with the solver or the assignment but the domain
//! types, so that a bug in either shows up here as a violation.
//!
//! - [`schedule`]: `shifts.csv` against the templates, skill groups, start windows, breaks and
//!   limits, and the coverage recomputed from the timestamps.
//! - [`roster`]: `roster.csv` against every contract rule, availability, time off, rest and the
//!   shift plan.

pub mod roster;
pub mod schedule;
