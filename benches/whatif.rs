//! What-if Monte Carlo fan-out: 1,000 weekly runs of a 60-agent roster (two queues, 15-minute
//! intervals, multi-skill agents), timed on a rayon pool of 1 thread and of 2 threads, with the
//! speed-up ratio and a check that both give identical results.
//!
//! `cargo bench --bench whatif` (optional arguments: runs, repetitions). The fixture is built
//! in code; nothing is read from disk.

use std::path::Path;
use std::time::{Duration, Instant};

use chrono::Duration as Minutes;
use staffplan::domain::{Assignment, BreakSlot, Roster, ShiftSlot};
use staffplan::evaluate::{EvaluateOptions, SkillGroups, shift_presence};
use staffplan::scenario::Scenario;
use staffplan::volume::QueueVolume;
use staffplan::whatif::{MonteCarlo, MonteCarloOptions};

const SCENARIO: &str = r#"
[plan]
name = "bench 60 agents"
start = 2026-11-23
days = 7
interval_minutes = 15
time_zone = "America/Chicago"

[[queue]]
id = "support"
channel = "voice"
aht = "4m30s"
service_level = 0.8
answer_within = "20s"
patience = "3m"
forecast = "unused.csv"
[queue.open]
daily = "07:00-21:00"

[[queue]]
id = "chat"
channel = "chat"
aht = "8m"
concurrency = 2
service_level = 0.8
answer_within = "60s"
forecast = "unused.csv"
[queue.open]
daily = "08:00-20:00"
"#;

fn fixture() -> (Scenario, SkillGroups, Vec<QueueVolume>, Roster) {
    let scenario =
        Scenario::from_toml(SCENARIO, Path::new("bench.toml"), Path::new(".")).expect("scenario");
    let groups = SkillGroups::new(
        &scenario,
        &[
            ("voice".into(), vec!["support".into()]),
            ("chat".into(), vec!["chat".into()]),
            ("blend".into(), vec!["support".into(), "chat".into()]),
        ],
    )
    .expect("groups");
    let horizon = &scenario.horizon;
    let n = horizon.len();
    // Double-peaked day: volume per 15 minutes.
    let shape = |minute: f64| {
        let peak = |centre: f64, width: f64| (-((minute - centre) / width).powi(2)).exp();
        peak(10.5 * 60.0, 120.0) + 0.8 * peak(15.0 * 60.0, 150.0) + 0.15
    };
    let volumes = vec![
        QueueVolume {
            queue: "support".into(),
            volume: (0..n)
                .map(|i| 55.0 * shape(f64::from(horizon.local_minute(i))))
                .collect(),
            aht_seconds: vec![270.0; n],
        },
        QueueVolume {
            queue: "chat".into(),
            volume: (0..n)
                .map(|i| 25.0 * shape(f64::from(horizon.local_minute(i))))
                .collect(),
            aht_seconds: vec![480.0; n],
        },
    ];
    // 60 agents, 5 days each (days off rotate), 8.5-hour shifts with a 30-minute break.
    let mut roster = Roster::default();
    for agent in 0..60usize {
        let group = match agent % 4 {
            0 | 1 => "voice",
            2 => "chat",
            _ => "blend",
        };
        let start_minute = [7 * 60, 8 * 60, 9 * 60, 10 * 60 + 30, 12 * 60 + 30][agent % 5] as i64;
        for day in 0..7usize {
            if (day + agent) % 7 >= 5 {
                continue;
            }
            let date = horizon.date_of_day(day);
            let start = staffplan::time::local_day_start(horizon.zone(), date)
                + Minutes::minutes(start_minute);
            let end = start + Minutes::minutes(510);
            let lunch = start + Minutes::minutes(240);
            roster.assignments.push(Assignment {
                agent_id: format!("A{agent:03}"),
                slot: ShiftSlot {
                    slot_id: format!("S{agent}-{day}"),
                    template: "day".into(),
                    skill_group: group.into(),
                    start,
                    end,
                    local_date: date,
                    breaks: vec![BreakSlot {
                        start: lunch,
                        end: lunch + Minutes::minutes(30),
                        paid: false,
                    }],
                    paid_seconds: 480.0 * 60.0,
                    cost: 8.0 * 22.0,
                },
            });
        }
    }
    (scenario, groups, volumes, roster)
}

fn main() {
    let mut args = std::env::args().skip(1).filter(|a| !a.starts_with('-'));
    let runs: u32 = args.next().and_then(|a| a.parse().ok()).unwrap_or(1000);
    let repetitions: usize = args.next().and_then(|a| a.parse().ok()).unwrap_or(5);
    let (scenario, groups, volumes, roster) = fixture();
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).expect("presence");
    let prepare = Instant::now();
    let mc = MonteCarlo::new(
        &scenario,
        &groups,
        &presences,
        volumes,
        EvaluateOptions::default(),
    )
    .expect("monte carlo");
    let prepare = prepare.elapsed();
    println!(
        "whatif monte carlo: 60 agents, {} shifts, {} intervals x {} queues, prepare \
         (requirements + Erlang table) {:.3} s",
        roster.assignments.len(),
        scenario.horizon.len(),
        scenario.queues.len(),
        prepare.as_secs_f64()
    );
    measure(
        &mc,
        "absences (8 % per agent-day)",
        MonteCarloOptions {
            runs,
            absence_rate: 0.08,
            seed: 7,
            volume_cv: 0.0,
        },
        repetitions,
    );
    measure(
        &mc,
        "absences + daily volume CV 10 % (Erlang values recomputed per run)",
        MonteCarloOptions {
            runs: runs / 10,
            absence_rate: 0.08,
            seed: 7,
            volume_cv: 0.1,
        },
        repetitions,
    );
}

fn measure(mc: &MonteCarlo<'_>, label: &str, options: MonteCarloOptions, repetitions: usize) {
    let runs = options.runs;
    let pool = |threads| {
        rayon::ThreadPoolBuilder::new()
            .num_threads(threads)
            .build()
            .expect("pool")
    };
    let (one, two) = (pool(1), pool(2));
    let time = |p: &rayon::ThreadPool| {
        let start = Instant::now();
        let report = p.install(|| mc.run(&options)).expect("run");
        (start.elapsed(), report)
    };
    // CPU time of the whole process (user + system), from /proc (Linux); None elsewhere.
    let cpu = || -> Option<f64> {
        let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
        let fields: Vec<&str> = stat.rsplit_once(')')?.1.split_whitespace().collect();
        let ticks: f64 =
            fields.get(11)?.parse::<f64>().ok()? + fields.get(12)?.parse::<f64>().ok()?;
        Some(ticks / 100.0)
    };
    // Warm-up, then alternate so that both see the same machine load.
    let (_, reference) = time(&one);
    let mut t1: Vec<Duration> = Vec::new();
    let mut t2: Vec<Duration> = Vec::new();
    let (mut cpu1, mut cpu2) = (0.0, 0.0);
    for _ in 0..repetitions {
        let before = cpu();
        let (d, r) = time(&one);
        cpu1 += cpu().zip(before).map_or(0.0, |(a, b)| a - b);
        assert_eq!(r, reference);
        t1.push(d);
        let before = cpu();
        let (d, r) = time(&two);
        cpu2 += cpu().zip(before).map_or(0.0, |(a, b)| a - b);
        assert_eq!(r, reference, "2 threads must give the 1-thread result");
        t2.push(d);
    }
    let wall1: f64 = t1.iter().map(Duration::as_secs_f64).sum();
    let wall2: f64 = t2.iter().map(Duration::as_secs_f64).sum();
    t1.sort();
    t2.sort();
    let (m1, m2) = (t1[t1.len() / 2], t2[t2.len() / 2]);
    println!("{label}: {runs} weekly runs");
    println!(
        "  1 thread : median {:.3} s (min {:.3} s) over {repetitions} repetitions",
        m1.as_secs_f64(),
        t1[0].as_secs_f64()
    );
    println!(
        "  2 threads: median {:.3} s (min {:.3} s)",
        m2.as_secs_f64(),
        t2[0].as_secs_f64()
    );
    println!(
        "  speed-up 1 -> 2 threads: {:.2}x (median), {:.2}x (best)",
        m1.as_secs_f64() / m2.as_secs_f64(),
        t1[0].as_secs_f64() / t2[0].as_secs_f64()
    );
    println!(
        "  CPU time: 1 thread {cpu1:.2} s over {wall1:.2} s wall ({:.2} cores busy); 2 threads \
         {cpu2:.2} s over {wall2:.2} s wall ({:.2} cores busy); parallel overhead {:+.1} %",
        cpu1 / wall1,
        cpu2 / wall2,
        (cpu2 / cpu1 - 1.0) * 100.0
    );
    if cpu2 / wall2 < 1.8 {
        println!(
            "  note: the 2-thread runs got {:.2} cores: the machine is busy, so the wall-clock \
             speed-up above understates what 2 idle cores give",
            cpu2 / wall2
        );
    }
    let q = &reference.queues[0];
    println!(
        "  weekly SL {}: p05 {:.3} p50 {:.3} p95 {:.3}; P(week < target) {:.3}",
        q.queue,
        q.week.map_or(f64::NAN, |w| w.p05),
        q.week.map_or(f64::NAN, |w| w.p50),
        q.week.map_or(f64::NAN, |w| w.p95),
        q.p_week_below_target.unwrap_or(f64::NAN)
    );
}
