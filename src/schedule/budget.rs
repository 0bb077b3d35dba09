//! Budgets of work and the optional wall-clock cap.
//!
//! Every phase of a solve ends after a fixed amount of work: LP iterations, moves of the local
//! search, agents of the chain descent, branch-and-bound nodes, windows, passes of repair. So
//! the same input gives the same plan, byte for byte, on any machine and under any load, with
//! one thread or many. The clock is read only for an explicit cap (`--time-limit`,
//! [`super::ScheduleOptions::time_limit`]): when the cap cuts a phase short, the phase records
//! what it had done of its budget ([`BudgetLeft`]), the status becomes `time_limit` and the
//! summary lists what was left.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use serde::Serialize;

/// A phase cut short by the time limit, and how much of its budget of work it had done.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct BudgetLeft {
    /// Which phase (and part of the instance) the cap cut.
    pub phase: String,
    /// Unit of its budget: `moves`, `agents`, `nodes`, `windows`, `intervals`, `passes`,
    /// `rounds`, `iterations`.
    pub unit: String,
    /// Units done when the cap was reached.
    pub done: u64,
    /// The phase's budget, in the same units.
    pub budget: u64,
}

impl std::fmt::Display for BudgetLeft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} stopped after {} of {} {} ({} left)",
            self.phase,
            self.done,
            self.budget,
            self.unit,
            self.budget.saturating_sub(self.done)
        )
    }
}

/// The wall-clock cap of one solve (none by default), shared by the parts and threads of the
/// solve, and the phases it cut.
#[derive(Debug, Clone)]
pub(crate) struct Cap {
    deadline: Option<Instant>,
    cuts: Arc<Mutex<Vec<BudgetLeft>>>,
    /// Label of the part of the instance being solved (appended to phase names).
    part: Option<String>,
}

impl Cap {
    /// A cap of `limit` from now; `None`: no cap (budgets of work only).
    pub fn new(limit: Option<Duration>) -> Cap {
        Cap {
            deadline: limit.map(|l| Instant::now() + l),
            cuts: Arc::new(Mutex::new(Vec::new())),
            part: None,
        }
    }

    /// No cap at all.
    #[cfg(test)]
    pub fn none() -> Cap {
        Cap::new(None)
    }

    /// The same cap (same deadline, same record of cuts) for part `label` of the instance.
    pub fn for_part(&self, label: &str) -> Cap {
        Cap {
            part: Some(label.to_string()),
            ..self.clone()
        }
    }

    /// Whether the cap has been reached (never without a cap).
    pub fn reached(&self) -> bool {
        self.deadline.is_some_and(|d| Instant::now() >= d)
    }

    /// Seconds left before the cap, `None` without a cap (for solvers' own time limits).
    pub fn seconds_left(&self) -> Option<f64> {
        self.deadline.map(|d| {
            d.saturating_duration_since(Instant::now())
                .as_secs_f64()
                .max(0.001)
        })
    }

    /// Records that the cap cut `phase` after `done` of its `budget` `unit`s.
    pub fn cut(&self, phase: &str, unit: &str, done: u64, budget: u64) {
        let phase = match &self.part {
            Some(part) => format!("{phase} ({part})"),
            None => phase.to_string(),
        };
        if let Ok(mut cuts) = self.cuts.lock() {
            cuts.push(BudgetLeft {
                phase,
                unit: unit.to_string(),
                done,
                budget,
            });
        }
    }

    /// [`Cap::reached`], recording the cut when it is.
    pub fn stops(&self, phase: &str, unit: &str, done: u64, budget: u64) -> bool {
        let reached = self.reached();
        if reached {
            self.cut(phase, unit, done, budget);
        }
        reached
    }

    /// Whether the cap cut any phase.
    pub fn bound(&self) -> bool {
        self.cuts.lock().is_ok_and(|c| !c.is_empty())
    }

    /// The phases the cap cut, sorted (parts run in parallel record in any order).
    pub fn cuts(&self) -> Vec<BudgetLeft> {
        let mut cuts = self.cuts.lock().map(|c| c.clone()).unwrap_or_default();
        cuts.sort();
        cuts
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn no_cap_is_never_reached_and_a_spent_cap_records_its_cuts() {
        let none = Cap::none();
        assert!(!none.reached() && !none.stops("search", "moves", 1, 2) && !none.bound());
        assert_eq!(none.seconds_left(), None);
        let spent = Cap::new(Some(Duration::ZERO));
        let part = spent.for_part("sales");
        assert!(part.stops("weighted local search", "moves", 10, 40));
        assert!(spent.bound());
        let cuts = spent.cuts();
        assert_eq!(cuts.len(), 1);
        assert_eq!(
            cuts[0].to_string(),
            "weighted local search (sales) stopped after 10 of 40 moves (30 left)"
        );
    }
}
