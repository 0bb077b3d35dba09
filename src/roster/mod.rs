//! Named-agent rosters: who works which shift. [`mod@assign`] staffs a shift plan with named
//! agents under every contract rule; [`exact`] bounds the best any roster can do; [`capacity`]
//! counts the agents available per interval. The roster's types live in [`crate::domain`].

pub mod assign;
pub mod exact;
pub mod supply;
pub mod synthetic;

pub use assign::{AssignStats, RosterInput, RosterOutcome, assign};
