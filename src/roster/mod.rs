//! Named-agent rosters: who works which shift. [`mod@assign`] staffs a shift plan with named
//! agents under every contract rule; [`exact`] bounds the best any roster can do; [`supply`]
//! condenses the workforce into what the scheduler may plan (who can work which shifts, and
//! the Hall-type limits per day and week). The roster's types live in [`crate::domain`].

pub mod assign;
pub mod exact;
pub mod supply;
pub mod synthetic;

pub use assign::{AssignStats, RosterInput, RosterOutcome, assign};
