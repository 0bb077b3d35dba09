//! Domain types that the formats produce and the stages consume: the workforce (agents,
//! contracts, time off, working-time rules), shift plans and rosters as data (slots, breaks,
//! assignments, worked shifts, hours per agent-week), the agent's calendar, and what-if
//! variants. Nothing here solves, assigns, evaluates or reads a file.

pub mod calendar;
pub mod coverage;
pub mod roster;
pub mod routing;
pub mod supply;
pub mod variant;
pub mod workforce;

pub use coverage::Coverage;
pub use roster::{
    Assignment, BreakSlot, Roster, ShiftSlot, Shortfall, WeekHours, WorkedShift,
    on_duty_agent_hours,
};
pub use variant::{
    Absence, Change, LocalRange, Training, TrainingAgents, Variant, format_change, format_range,
    parse_absence, parse_change_spec, parse_training,
};
pub use workforce::{Agent, Contract, Rules, TimeOff};
