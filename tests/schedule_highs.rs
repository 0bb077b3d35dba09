//! The HiGHS backend (cargo feature `highs`): chosen explicitly, its plan passes the
//! independent checker, and its LP bound agrees with Clarabel's (two independent LP solvers on
//! the same model). The default stays microlp in a build with HiGHS, so a plan never changes
//! with the build's features.
#![cfg(feature = "highs")]

mod util;

use util::{Scratch, repo, staffplan, stderr, summary_of};

fn number(summary: &serde_json::Value, key: &str) -> f64 {
    summary[key]
        .as_f64()
        .unwrap_or_else(|| panic!("summary.json has no number {key}: {summary}"))
}

#[test]
fn highs_plans_are_checked_and_its_bound_agrees_with_clarabel() {
    let scratch = Scratch::new("highs");
    let scenario = repo("scenarios/small-call-center.toml");
    let scenario = scenario.to_str().unwrap();
    let mut summaries = Vec::new();
    for (solver, dir) in [(None, "default"), (Some("highs"), "highs")] {
        let out = scratch.path(dir);
        let mut args = vec!["schedule", scenario, "--out", out.to_str().unwrap()];
        if let Some(solver) = solver {
            args.extend(["--solver", solver]);
        }
        let run = staffplan(&args);
        assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
        let check = staffplan(&["check", scenario, out.join("shifts.csv").to_str().unwrap()]);
        assert_eq!(
            check.status.code(),
            Some(0),
            "the checker refuses the {dir} plan: {}",
            stderr(&check)
        );
        summaries.push(summary_of(&out));
    }
    let (default, highs) = (&summaries[0], &summaries[1]);
    assert_eq!(
        default["solver"], "microlp",
        "the default backend is microlp"
    );
    assert_eq!(highs["solver"], "highs");
    let clarabel = number(default, "lower_bound_cost");
    let highs_bound = number(highs, "lower_bound_cost");
    assert!(
        (clarabel - highs_bound).abs() <= 1e-4 * clarabel,
        "LP bounds disagree: Clarabel {clarabel}, HiGHS {highs_bound}"
    );
    for s in [default, highs] {
        let cost = number(s, "cost");
        let bound = number(s, "lower_bound_cost");
        assert!(
            bound <= cost + 1e-6,
            "bound {bound} above the plan's cost {cost}"
        );
        assert!(
            cost <= bound * 1.005,
            "{}: cost {cost} more than 0.5 % above the bound {bound}",
            s["solver"]
        );
    }
}
