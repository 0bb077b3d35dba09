//! A plan that cannot cover: the small call center with one absurd interval (20,000 calls in
//! one half hour on Tuesday). The console, `summary.json` and the sum of `coverage.csv` give the
//! same shortfall; the evaluated shortfall is a second, named figure; efficiency stays at or
//! below 100 %; and the explanation names what really binds — the named agents, not a
//! template's `max_agents` or a `[limits]` the scenario does not set.

mod util;

use util::{Scratch, repo, staffplan, stderr, stdout, summary_of};

#[test]
fn one_absurd_interval_is_told_the_same_everywhere_and_blamed_on_the_workforce() {
    let scratch = Scratch::new("absurd-interval");
    let dir = repo("scenarios");
    let scenario = std::fs::read_to_string(dir.join("small-call-center.toml"))
        .unwrap()
        .replace(
            "history = \"small-call-center.history.csv\"",
            "forecast = \"volume.csv\"",
        )
        .replace(
            "\"small-call-center.",
            &format!("\"{}/small-call-center.", dir.display()),
        );
    assert!(
        !scenario.contains("[limits]"),
        "the test needs a scenario without [limits]"
    );
    let volumes = std::fs::read_to_string(dir.join("small-call-center.volume.csv")).unwrap();
    let mut csv = String::from("interval_start,queue,volume\n");
    let mut lines = volumes.lines();
    let header: Vec<&str> = lines.next().unwrap().split(',').collect();
    let column = |name: &str| header.iter().position(|h| *h == name).unwrap();
    let (start, queue, volume) = (column("interval_start"), column("queue"), column("volume"));
    let absurd = "2026-11-24T16:00:00Z"; // Tuesday 10:00 in Chicago
    for line in lines {
        let cells: Vec<&str> = line.split(',').collect();
        let value = if cells[start] == absurd {
            "20000"
        } else {
            cells[volume]
        };
        csv.push_str(&format!("{},{},{value}\n", cells[start], cells[queue]));
    }
    scratch.write("volume.csv", &csv);
    let path = scratch.write("absurd.toml", &scenario);
    let out = scratch.path("out");
    let run = staffplan(&[
        "run",
        path.to_str().unwrap(),
        "--out",
        out.to_str().unwrap(),
    ]);
    assert_eq!(run.status.code(), Some(0), "{}", stderr(&run));
    let console = stdout(&run);
    let summary = summary_of(&out);

    // 1. One shortfall, three places.
    let in_summary = summary["understaffed_agent_hours"].as_f64().unwrap();
    assert!(
        in_summary > 1000.0,
        "the absurd interval is not short: {in_summary}"
    );
    let console_line = console
        .lines()
        .find(|l| l.contains("agent-hours understaffed in the plan"))
        .unwrap_or_else(|| panic!("no shortfall line:\n{console}"));
    let on_console: f64 = console_line
        .split_whitespace()
        .nth(1)
        .unwrap()
        .replace(',', "")
        .parse()
        .unwrap();
    assert!(
        (on_console - in_summary).abs() < 0.01,
        "console {on_console} vs summary {in_summary}"
    );
    let coverage = std::fs::read_to_string(out.join("coverage.csv")).unwrap();
    let mut rows = coverage.lines();
    let header: Vec<&str> = rows.next().unwrap().split(',').collect();
    let shortfall = header.iter().position(|h| *h == "shortfall").unwrap();
    let evaluated = header
        .iter()
        .position(|h| *h == "evaluated_shortfall")
        .unwrap();
    let (mut planned_sum, mut evaluated_sum) = (0.0, 0.0);
    for row in rows {
        let cells: Vec<&str> = row.split(',').collect();
        planned_sum += cells[shortfall].parse::<f64>().unwrap_or(0.0) * 0.5;
        evaluated_sum += cells[evaluated].parse::<f64>().unwrap_or(0.0) * 0.5;
    }
    assert!(
        (planned_sum - in_summary).abs() < 0.01,
        "coverage.csv sums to {planned_sum}, summary says {in_summary}"
    );
    // The evaluated shortfall (the roster through Erlang) is its own, named figure.
    let evaluated_summary = summary["evaluated_understaffed_agent_hours"]
        .as_f64()
        .unwrap();
    assert!(
        (evaluated_sum - evaluated_summary).abs() < 0.05,
        "coverage.csv's evaluated shortfall sums to {evaluated_sum}, summary says \
         {evaluated_summary}"
    );

    // 2. Efficiency is a share of the scheduled hours.
    let efficiency = summary["efficiency"].as_f64().unwrap();
    assert!((0.0..=1.0).contains(&efficiency), "efficiency {efficiency}");

    // 3. What binds: the agents, in the explanation and in capacity_shortfall.
    let runs = summary["shortfall"].as_array().unwrap();
    let absurd_run = runs
        .iter()
        .find(|r| r["from_utc"] == absurd)
        .unwrap_or_else(|| panic!("no explanation of the absurd interval: {runs:?}"));
    assert_eq!(absurd_run["rule"], "workforce", "{absurd_run}");
    let text = absurd_run["explanation"].as_str().unwrap();
    assert!(
        !text.contains("max_headcount_per_day") && !text.contains("max_agents"),
        "{text}"
    );
    let short = summary["capacity_shortfall"].as_array().unwrap();
    let tuesday = short
        .iter()
        .find(|s| s["local_date"] == "2026-11-24")
        .unwrap_or_else(|| panic!("Tuesday is not in capacity_shortfall: {short:?}"));
    let binding = tuesday["binding"].as_str().unwrap();
    assert!(
        binding.contains("agents with skill group support who can work on Tue 24 Nov"),
        "{binding}"
    );
    assert!(console.contains("capacity shortfall"), "{console}");
    assert!(console.contains("hiring hint"), "{console}");
}
