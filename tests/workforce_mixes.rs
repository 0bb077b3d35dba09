//! Workforce-aware planning on the large week with other agent mixes (ignored: a minute
//! each). The method must not depend on the bundled file's mix: for the bundled agents and
//! three other files (more multi-skilled agents, fewer weekend agents, many part-timers), every
//! queue reaches its weekly target, every day is within 5 points of it unless
//! `capacity_shortfall` names that day, and every hour the roster leaves without an agent falls
//! on a day `capacity_shortfall` names.

mod util;

use std::collections::BTreeSet;

use util::{Scratch, repo, staffplan, stderr, summary_of};

/// Runs the large week with `agents` and checks the workforce-aware plan's promises.
fn check_mix(agents: &str) {
    let scratch = Scratch::new(&format!("mix-{agents}"));
    let scenario = std::fs::read_to_string(repo("scenarios/large.toml"))
        .unwrap()
        .replace(
            "agents = \"large.agents.csv\"",
            &format!(
                "agents = \"{}\"",
                repo(&format!("scenarios/{agents}")).display()
            ),
        )
        .replace(
            "\"large.volume.csv\"",
            &format!("\"{}\"", repo("scenarios/large.volume.csv").display()),
        );
    let path = scratch.write("large.toml", &scenario);
    let out = scratch.path("out");
    let run = staffplan(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
        "--quiet",
    ]);
    assert_eq!(run.status.code(), Some(0), "{agents}: {}", stderr(&run));
    let summary = summary_of(&out);
    let short: BTreeSet<(String, String)> = summary["capacity_shortfall"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            let binding = e["binding"].as_str().unwrap();
            assert!(
                !binding.is_empty(),
                "{agents}: a shortfall without its cause: {e}"
            );
            (
                e["queue"].as_str().unwrap().to_string(),
                e["local_date"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let targets = [("voice", 0.80), ("chat", 0.80)];
    for (queue, target) in targets {
        let week = summary["service_level"][queue].as_f64().unwrap();
        assert!(
            week >= target,
            "{agents}: {queue} reaches {week:.3} for the week, target {target}"
        );
        for (date, level) in summary["service_level_by_day"][queue].as_object().unwrap() {
            let Some(level) = level.as_f64() else {
                continue;
            };
            assert!(
                level >= target - 0.05 || short.contains(&(queue.to_string(), date.clone())),
                "{agents}: {queue} on {date} reaches {level:.3} and capacity_shortfall does \
                 not name that day ({short:?})"
            );
        }
    }
    // Slots without an agent only on days the capacity shortfall explains.
    let unfilled = summary["roster_shortfall_agent_hours"].as_f64().unwrap();
    if unfilled > 0.0 {
        let shortfall = std::fs::read_to_string(out.join("shortfall.csv")).unwrap();
        let mut lines = shortfall.lines();
        let header: Vec<&str> = lines.next().unwrap().split(',').collect();
        let date = header.iter().position(|h| *h == "local_date").unwrap();
        let days: BTreeSet<&str> = short.iter().map(|(_, d)| d.as_str()).collect();
        for line in lines {
            let cells: Vec<&str> = line.split(',').collect();
            assert!(
                days.contains(cells[date]),
                "{agents}: unfilled slots on {} that capacity_shortfall does not name",
                cells[date]
            );
        }
    }
    // The workforce-aware bound is below the plan and above the anonymous one's reach.
    let cost = summary["cost"].as_f64().unwrap();
    let bound = summary["lower_bound_cost"].as_f64().unwrap();
    assert!(
        bound <= cost + 1e-6 && bound > 0.0,
        "{agents}: bound {bound}, cost {cost}"
    );
    let gap = summary["gap"].as_f64().unwrap();
    assert!(
        gap <= 0.01,
        "{agents}: gap {gap} to the workforce-aware bound"
    );
}

#[test]
#[ignore = "a minute: the 500-agent week"]
fn the_bundled_agents() {
    check_mix("large.agents.csv");
}

#[test]
#[ignore = "a minute: the 500-agent week"]
fn more_multi_skilled_agents() {
    check_mix("large-multiskill.agents.csv");
}

#[test]
#[ignore = "a minute: the 500-agent week"]
fn fewer_weekend_agents() {
    check_mix("large-weekends.agents.csv");
}

#[test]
#[ignore = "a minute: the 500-agent week"]
fn many_part_timers() {
    check_mix("large-parttime.agents.csv");
}
