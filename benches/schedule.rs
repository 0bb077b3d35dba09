//! Shift-scheduling benches on the reference week (one queue) and its five-queue version.
//!
//! First prints one solve of each with its figures (time to a schedule, cost, LP bound, gap,
//! efficiency) with the default budgets of work (no time limit), then lets criterion time the
//! whole solve of the one-queue week (to within the 0.1 % gap) and the LP bound with rounding
//! and repair alone.
//!
//! ```sh
//! cargo bench --bench schedule                   # default backend (Clarabel LP + microlp)
//! cargo bench --bench schedule --features highs  # HiGHS
//! ```

use std::path::Path;
use std::time::Instant;

use criterion::{Criterion, criterion_group, criterion_main};
use staffplan::scenario::Scenario;
use staffplan::schedule::{self, Method, ScheduleInput, ScheduleOptions, export};

fn load(name: &str) -> (Scenario, Vec<Vec<u32>>) {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let scenario = Scenario::load(&root.join(format!("{name}.toml"))).expect("scenario");
    let text = std::fs::read_to_string(root.join(format!("{name}.requirements.csv")))
        .expect("requirements");
    let queues: Vec<String> = scenario.queues.iter().map(|q| q.id.clone()).collect();
    let required =
        schedule::read_requirements_csv(text.as_bytes(), name, &scenario.horizon, &queues)
            .expect("requirements");
    (scenario, required)
}

fn figures(name: &str, presence_windows: usize) {
    let (scenario, required) = load(name);
    let input = ScheduleInput::new(&scenario, required);
    let options = ScheduleOptions {
        presence_windows,
        ..ScheduleOptions::default()
    };
    let started = Instant::now();
    let plan = schedule::schedule(&input, &options).expect("schedule");
    let elapsed = started.elapsed().as_secs_f64();
    let summary = export::summary(&input, &plan, 0);
    println!(
        "{name:<20} {:<8} presence windows {presence_windows:>3} {:>7.2}s  cost {:>10.1}  \
         LP bound {:>10.1}  gap {:>6.3} %  \
         efficiency {:>5.1} %  status {} via {} (LP {:.2}s, rounding {:.2}s, search and windows {:.2}s)",
        summary.solver,
        elapsed,
        summary.cost,
        summary.lower_bound_cost.unwrap_or(f64::NAN),
        summary.gap.unwrap_or(f64::NAN) * 100.0,
        summary.efficiency * 100.0,
        summary.status,
        summary.source,
        summary.lp_seconds,
        summary.rounding_seconds,
        summary.mip_seconds,
    );
}

fn bench(c: &mut Criterion) {
    figures("reference-week", 0);
    figures("reference-week-5q", 0);
    // More work: presence windows after the start windows (what a 60 s limit bought before
    // the budgets were made explicit).
    figures("reference-week-5q", 33);
    let (scenario, required) = load("reference-week");
    let input = ScheduleInput::new(&scenario, required);
    let options = ScheduleOptions {
        method: Method::Rounding,
        ..ScheduleOptions::default()
    };
    let mut group = c.benchmark_group("schedule");
    group.sample_size(10);
    let default = ScheduleOptions::default();
    group.bench_function("reference_week_to_within_gap", |b| {
        b.iter(|| schedule::schedule(&input, &default).expect("schedule"))
    });
    group.bench_function("reference_week_lp_bound_and_rounding", |b| {
        b.iter(|| schedule::schedule(&input, &options).expect("schedule"))
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
