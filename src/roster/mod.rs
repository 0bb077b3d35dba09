//! Named-agent rosters: who works which shift. This file fixes the types that the scheduler,
//! the roster assignment, the evaluation and the exports share.

pub mod model;

pub use model::{Agent, Assignment, BreakSlot, Contract, Roster, ShiftSlot, TimeOff};
