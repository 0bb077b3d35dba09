//! Erlang staffing benches.
//!
//! (a) A week of 15-minute intervals × 10 queues (672 × 10 searches) on a synthetic
//!     double-peaked curve: Erlang C and Erlang A voice queues of several sizes and a chat queue
//!     with concurrency 3, some with ASA and occupancy limits.
//! (b) A single search at 10, 1,000 and 20,000 Erlangs, Erlang C and Erlang A, and one
//!     evaluation of each.

use std::hint::black_box;
use std::time::Duration;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use staffplan::erlang::{QueueModel, Targets, Workload, evaluate, required_agents};

const INTERVAL: f64 = 900.0;
const INTERVALS_PER_WEEK: usize = 7 * 96;

/// One queue of the synthetic contact center.
struct Queue {
    /// Calls in the busiest 15 minutes of a weekday.
    peak_volume: f64,
    aht: f64,
    model: QueueModel,
    targets: Targets,
}

fn voice(patience: Option<f64>) -> QueueModel {
    QueueModel {
        patience_seconds: patience,
        concurrency: 1,
    }
}

fn queues() -> Vec<Queue> {
    let sl = |fraction, seconds| Targets::service_level(fraction, seconds);
    let full = |fraction, seconds, asa, occupancy| Targets {
        service_level: fraction,
        answer_seconds: seconds,
        asa_seconds: Some(asa),
        max_occupancy: Some(occupancy),
    };
    vec![
        // Erlang C voice, small to large.
        Queue {
            peak_volume: 40.0,
            aht: 240.0,
            model: voice(None),
            targets: sl(0.8, 20.0),
        },
        Queue {
            peak_volume: 400.0,
            aht: 300.0,
            model: voice(None),
            targets: full(0.8, 20.0, 15.0, 0.9),
        },
        Queue {
            peak_volume: 3000.0,
            aht: 180.0,
            model: voice(None),
            targets: sl(0.9, 15.0),
        },
        Queue {
            peak_volume: 12_000.0,
            aht: 200.0,
            model: voice(None),
            targets: sl(0.8, 30.0),
        },
        // Erlang A voice, assorted patience.
        Queue {
            peak_volume: 60.0,
            aht: 360.0,
            model: voice(Some(120.0)),
            targets: sl(0.8, 20.0),
        },
        Queue {
            peak_volume: 600.0,
            aht: 240.0,
            model: voice(Some(300.0)),
            targets: full(0.85, 20.0, 20.0, 0.92),
        },
        Queue {
            peak_volume: 2500.0,
            aht: 300.0,
            model: voice(Some(60.0)),
            targets: sl(0.8, 30.0),
        },
        Queue {
            peak_volume: 25_000.0,
            aht: 180.0,
            model: voice(Some(240.0)),
            targets: sl(0.8, 20.0),
        },
        // Chat, three at a time, Erlang C and Erlang A.
        Queue {
            peak_volume: 900.0,
            aht: 900.0,
            model: QueueModel {
                patience_seconds: None,
                concurrency: 3,
            },
            targets: sl(0.8, 60.0),
        },
        Queue {
            peak_volume: 1500.0,
            aht: 720.0,
            model: QueueModel {
                patience_seconds: Some(600.0),
                concurrency: 3,
            },
            targets: full(0.85, 60.0, 45.0, 0.9),
        },
    ]
}

/// Relative volume of interval `i` of the week: two daily peaks (about 10:30 and 15:00), quiet
/// nights, weekends at 40 %; between 0.01 and 1.
fn shape(i: usize) -> f64 {
    let day = i / 96;
    let hour = (i % 96) as f64 / 4.0;
    let bump = |centre: f64, width: f64| (-0.5 * ((hour - centre) / width).powi(2)).exp();
    let daily = 0.02 + bump(10.5, 1.6) + 0.85 * bump(15.0, 2.0);
    let weekday = if day < 5 { 1.0 } else { 0.4 };
    (daily * weekday).clamp(0.01, 1.0)
}

fn week() -> Vec<(Workload, QueueModel, Targets)> {
    let mut out = Vec::with_capacity(10 * INTERVALS_PER_WEEK);
    for queue in queues() {
        for i in 0..INTERVALS_PER_WEEK {
            out.push((
                Workload {
                    volume: (queue.peak_volume * shape(i)).round(),
                    interval_seconds: INTERVAL,
                    aht_seconds: queue.aht,
                },
                queue.model,
                queue.targets,
            ));
        }
    }
    out
}

fn bench_week(c: &mut Criterion) {
    let cases = week();
    let mut group = c.benchmark_group("week_672x10");
    group.throughput(Throughput::Elements(cases.len() as u64));
    group.sample_size(10);
    group.measurement_time(Duration::from_secs(10));
    group.bench_function("required_agents", |b| {
        b.iter(|| {
            let mut total = 0_u64;
            for (workload, model, targets) in &cases {
                total += u64::from(required_agents(workload, model, targets).unwrap_or(0));
            }
            black_box(total)
        })
    });
    group.finish();
}

fn bench_single(c: &mut Criterion) {
    let mut group = c.benchmark_group("single");
    let targets = Targets::service_level(0.8, 20.0);
    for traffic in [10.0, 1000.0, 20_000.0] {
        let workload = Workload {
            volume: traffic * 1800.0 / 180.0,
            interval_seconds: 1800.0,
            aht_seconds: 180.0,
        };
        for (name, model) in [("C", voice(None)), ("A", voice(Some(300.0)))] {
            group.bench_function(format!("search_{name}_{traffic}E"), |b| {
                b.iter(|| required_agents(black_box(&workload), &model, &targets))
            });
            let agents = required_agents(&workload, &model, &targets).unwrap_or(1);
            group.bench_function(format!("evaluate_{name}_{traffic}E"), |b| {
                b.iter(|| evaluate(black_box(&workload), &model, 20.0, agents))
            });
        }
    }
    group.finish();
}

criterion_group!(benches, bench_week, bench_single);
criterion_main!(benches);
