//! Named-agent rosters: who works which shift. [`model`] fixes the types that the scheduler,
//! the roster assignment, the evaluation and the exports share; [`mod@assign`] staffs a shift plan
//! with named agents; [`check`] re-verifies a roster independently of the search.

pub mod assign;
pub mod calendar;
pub mod capacity;
pub mod check;
pub mod exact;
pub mod model;
pub mod plan;
pub mod rules;
pub mod synthetic;

pub use assign::{RosterInput, RosterOutcome, Shortfall, assign, shortfall_agent_hours};
pub use check::{CheckContext, CheckReport, Violation, ViolationKind, WorkedShift};
pub use model::{Agent, Assignment, BreakSlot, Contract, Roster, ShiftSlot, TimeOff};
pub use rules::Rules;
