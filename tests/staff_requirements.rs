//! `staffplan staff` on the bundled scenarios, checked against formulas computed here
//! independently of the library (direct Erlang C sums, exact integer shrinkage arithmetic, a
//! FIFO replay of the email backlog).

mod util;

use std::collections::BTreeMap;

use util::{Scratch, repo, staffplan, stderr};

#[derive(Debug, serde::Deserialize)]
struct Row {
    interval_start: String,
    local_start: String,
    queue: String,
    volume: f64,
    aht_seconds: f64,
    required_agents: u32,
    scheduled_agents: u32,
    service_level: Option<f64>,
    asa_seconds: Option<f64>,
    occupancy: Option<f64>,
}

fn staff(scenario: &str) -> (Vec<Row>, Vec<u8>) {
    let scratch = Scratch::new("staff");
    let out = scratch.path("requirements.csv");
    let output = staffplan(&["staff", scenario, "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let bytes = std::fs::read(&out).unwrap();
    let rows = csv::Reader::from_reader(bytes.as_slice())
        .deserialize()
        .collect::<Result<Vec<Row>, _>>()
        .unwrap();
    (rows, bytes)
}

/// Erlang C service level by direct summation (fine for the small N here), independent of the
/// library's recursion.
fn erlang_c_service_level(traffic: f64, agents: u32, aht: f64, answer: f64) -> f64 {
    let n = f64::from(agents);
    if n <= traffic {
        return 0.0;
    }
    let mut term = 1.0;
    let mut sum = 1.0;
    for k in 1..agents {
        term *= traffic / f64::from(k);
        sum += term;
    }
    let last = term * traffic / n * n / (n - traffic);
    let p_wait = last / (sum + last);
    1.0 - p_wait * (-(n - traffic) * answer / aht).exp()
}

#[test]
fn small_call_center_meets_target_with_the_fewest_agents() {
    let (rows, _) = staff("scenarios/small-call-center.toml");
    assert_eq!(rows.len(), 7 * 48);
    let interval = 1800.0;
    for row in &rows {
        let local_hour: u32 = row.local_start[11..13].parse().unwrap();
        let weekday = chrono::DateTime::parse_from_rfc3339(&row.local_start)
            .unwrap()
            .format("%a")
            .to_string();
        // Thanksgiving (Thursday 2026-11-26) is a closed special day in the scenario.
        let thanksgiving = row.local_start.starts_with("2026-11-26");
        let open = match weekday.as_str() {
            _ if thanksgiving => false,
            "Sun" => false,
            "Sat" => (9..17).contains(&local_hour),
            _ => (8..20).contains(&local_hour),
        };
        if !open {
            assert_eq!(row.required_agents, 0, "{} closed", row.local_start);
            assert_eq!(row.scheduled_agents, 0);
            assert!(row.service_level.is_none());
            continue;
        }
        let traffic = row.volume * row.aht_seconds / interval;
        let n = row.required_agents;
        assert!(n >= 2, "min_agents = 2 at {}", row.local_start);
        let sl = erlang_c_service_level(traffic, n, row.aht_seconds, 20.0);
        assert!(
            (sl - row.service_level.unwrap()).abs() < 1e-4,
            "{}",
            row.local_start
        );
        assert!(sl >= 0.8 - 1e-12);
        assert!(row.occupancy.unwrap() <= 0.9 + 1e-12);
        if n > 2 {
            let fewer_sl = erlang_c_service_level(traffic, n - 1, row.aht_seconds, 20.0);
            let fewer_occupancy = traffic / f64::from(n - 1);
            assert!(
                fewer_sl < 0.8 || fewer_occupancy > 0.9,
                "{} agents would do at {}",
                n - 1,
                row.local_start
            );
        }
        // scheduled = ceil(required / 0.88) (shrinkage 12 %), in exact integer arithmetic.
        let s = row.scheduled_agents;
        assert!(s * 88 >= n * 100 && (s - 1) * 88 < n * 100, "{n} -> {s}");
        assert!(row.asa_seconds.unwrap() >= 0.0);
    }
}

#[test]
fn omnichannel_dst_week_staffs_every_interval_once() {
    let (rows, _) = staff("scenarios/omnichannel.toml");
    let mut per_queue: BTreeMap<&str, Vec<&Row>> = BTreeMap::new();
    for row in &rows {
        per_queue.entry(row.queue.as_str()).or_default().push(row);
    }
    assert_eq!(per_queue.len(), 3);
    for (queue, rows) in &per_queue {
        assert_eq!(rows.len(), 7 * 96 + 4, "{queue}");
        let mut starts: Vec<&str> = rows.iter().map(|r| r.interval_start.as_str()).collect();
        starts.dedup();
        assert_eq!(
            starts.len(),
            rows.len(),
            "{queue}: an interval appears twice"
        );
    }
    let voice = &per_queue["voice"];
    let repeated: Vec<&str> = voice
        .iter()
        .map(|r| r.local_start.as_str())
        .filter(|l| l.starts_with("2026-11-01T01:00"))
        .collect();
    assert_eq!(
        repeated,
        ["2026-11-01T01:00:00-04:00", "2026-11-01T01:00:00-05:00"]
    );
    // Voice is open around the clock with min_agents = 1.
    assert!(voice.iter().all(|r| r.required_agents >= 1));
    // Chat: three chats per agent = 3N servers of Erlang C (no patience on chat).
    for row in &per_queue["chat"] {
        if row.required_agents == 0 {
            continue;
        }
        let traffic = row.volume * row.aht_seconds / 900.0;
        let servers = 3 * row.required_agents;
        let sl = erlang_c_service_level(traffic, servers, row.aht_seconds, 60.0);
        assert!(
            (sl - row.service_level.unwrap()).abs() < 1e-4,
            "{}",
            row.local_start
        );
        assert!(sl >= 0.85 - 1e-12);
        if row.required_agents > 1 {
            let fewer = erlang_c_service_level(traffic, servers - 3, row.aht_seconds, 60.0);
            assert!(
                fewer < 0.85,
                "{} chat agents would do",
                row.required_agents - 1
            );
        }
    }
}

#[test]
fn email_backlog_is_answered_within_four_open_hours() {
    let (rows, _) = staff("scenarios/omnichannel.toml");
    let email: Vec<&Row> = rows.iter().filter(|r| r.queue == "email").collect();
    // Replay FIFO with the staffed capacity (agents × 900 s × 0.95 max occupancy) and check
    // every arrival finishes within 16 open intervals of the interval it arrived in.
    let mut queue: std::collections::VecDeque<(usize, f64)> = Default::default();
    let mut open_index = 0usize;
    let mut worst_wait = 0usize;
    for row in &email {
        let work = row.volume * row.aht_seconds;
        if work > 0.0 {
            queue.push_back((open_index, work));
        }
        let open = row.required_agents > 0;
        if !open {
            continue;
        }
        let mut capacity = f64::from(row.required_agents) * 900.0 * 0.95;
        while capacity > 1e-9 {
            let Some(front) = queue.front_mut() else {
                break;
            };
            let take = front.1.min(capacity);
            front.1 -= take;
            capacity -= take;
            if front.1 <= 1e-9 {
                worst_wait = worst_wait.max(open_index - front.0 + 1);
                queue.pop_front();
            }
        }
        open_index += 1;
    }
    assert!(
        worst_wait <= 16,
        "an email waited {worst_wait} open intervals"
    );
    assert!(
        worst_wait >= 2,
        "backlog worked down evenly, not all in the arrival interval"
    );
    // Work still queued when the week ends must not be overdue yet (it carries into next week).
    for (arrival, _) in &queue {
        assert!(open_index - arrival < 16, "overdue work left at the end");
    }
}

#[test]
fn the_same_scenario_gives_the_same_bytes() {
    let (_, first) = staff("scenarios/omnichannel.toml");
    let (_, second) = staff("scenarios/omnichannel.toml");
    assert_eq!(first, second);
}

#[test]
fn staff_without_output_prints_the_csv() {
    let output = staffplan(&["staff", "scenarios/small-call-center.toml"]);
    assert_eq!(output.status.code(), Some(0));
    let text = util::stdout(&output);
    assert!(
        text.starts_with("interval_start,local_start,queue,volume,aht_seconds,required_agents")
    );
    assert_eq!(text.lines().count(), 7 * 48 + 1);
    let _ = repo("scenarios");
}

#[test]
fn output_refuses_to_overwrite_an_input() {
    let output = staffplan(&[
        "staff",
        "scenarios/small-call-center.toml",
        "-o",
        "scenarios/small-call-center.history.csv",
    ]);
    assert_eq!(output.status.code(), Some(2));
    assert!(stderr(&output).contains("O1002"));
    let history = std::fs::read_to_string(repo("scenarios/small-call-center.history.csv")).unwrap();
    assert!(history.starts_with("interval_start,queue,offered,aht_seconds"));
}

#[test]
fn a_closed_special_day_needs_no_agents_even_from_a_forecast_file() {
    let scratch = Scratch::new("special-day");
    let scenario = std::fs::read_to_string(repo("scenarios/omnichannel.toml"))
        .unwrap()
        .replace(
            "forecast = \"omnichannel.volume.csv\"",
            &format!(
                "forecast = {:?}",
                repo("scenarios/omnichannel.volume.csv")
                    .display()
                    .to_string()
            ),
        )
        .replace(
            "agents = \"omnichannel.agents.csv\"\ntime_off = \"omnichannel.time_off.csv\"\n",
            "",
        )
        + "\n[[special_day]]\ndate = 2026-10-28\nname = \"Storm\"\nmultiplier = \"closed\"\n";
    let path = scratch.write("storm.toml", &scenario);
    let out = scratch.path("requirements.csv");
    let output = staffplan(&["staff", path.to_str().unwrap(), "-o", out.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let rows: Vec<Row> = csv::Reader::from_path(&out)
        .unwrap()
        .deserialize()
        .collect::<Result<_, _>>()
        .unwrap();
    let wednesday: Vec<&Row> = rows
        .iter()
        .filter(|r| r.local_start.starts_with("2026-10-28"))
        .collect();
    assert_eq!(wednesday.len(), 3 * 96);
    assert!(wednesday.iter().all(|r| r.required_agents == 0));
    assert!(
        wednesday.iter().any(|r| r.volume > 0.0),
        "the forecast file has volume"
    );
    let thursday_open = rows
        .iter()
        .filter(|r| r.local_start.starts_with("2026-10-29T12") && r.queue != "email")
        .all(|r| r.required_agents > 0);
    assert!(thursday_open);
}
