//! A plan's coverage as data: what the scheduler computes for its plan (and the pipeline for a
//! roster read back), what the checker recomputes, what `coverage.csv` shows.

/// Coverage of a shift plan (or of a roster read as one), interval by interval: agents on
/// shift per skill group, and per queue the agents working it, on break, missing and beyond
/// the requirement.
#[derive(Debug, Clone, PartialEq)]
pub struct Coverage {
    /// `present[g][i]`: agents of skill group `g` on shift and not on break.
    pub present: Vec<Vec<f64>>,
    /// `on_break[g][i]`: agents of group `g` on break.
    pub on_break: Vec<Vec<f64>>,
    /// `scheduled[q][i]`: agents working queue `q` (requirement covered plus surplus).
    pub scheduled: Vec<Vec<f64>>,
    /// `on_break_queue[q][i]`: agents on break attributed to queue `q`.
    pub on_break_queue: Vec<Vec<f64>>,
    /// `shortfall[q][i]`: requirement not covered.
    pub shortfall: Vec<Vec<f64>>,
    /// `surplus[q][i]`: agents beyond the requirement.
    pub surplus: Vec<Vec<f64>>,
}
