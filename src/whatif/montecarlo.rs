//! Monte Carlo absence risk: many random weeks, each with agents absent at random per
//! agent-day (and optionally a random volume level per queue-day), evaluated with the Erlang
//! engine.
//!
//! The runs are spread over cores with rayon (the crate's other use of it is the schedule
//! solver: parts, seeded searches and windows in parallel). Run `r` draws from its own random
//! stream `Rng::stream(seed, [r])`, the runs are mapped in parallel and collected in run order,
//! and everything after that (sorting, quantiles, sums) is sequential. So the output is
//! byte-identical whatever `RAYON_NUM_THREADS` is.
//!
//! Draws of run `r`, in this order: for each agent of the roster (sorted by id), for each plan
//! day, absent with probability `absence_rate` (an absent agent's shifts starting that day are
//! dropped); then, when `volume_cv > 0`, for each queue and plan day a volume factor
//! `max(0, 1 + volume_cv · Z)` with `Z` standard normal. With volume draws the Erlang values
//! are computed per run, while the multi-skill split and the shortfall keep using the
//! requirements of the forecast (see [`Evaluator::with_volumes`]).

use rayon::prelude::*;
use serde::Serialize;

use crate::csvio::{optional_number, write_records};
use crate::error::Result;
use crate::evaluate::{
    EvaluateOptions, Evaluation, Evaluator, GroupStaffing, ShiftPresence, SkillGroups,
};
use crate::scenario::Scenario;
use crate::simulate::rng::Rng;
use crate::time::{format_local, format_utc};
use crate::volume::QueueVolume;

/// Largest number of Monte Carlo runs accepted.
pub const MAX_RUNS: u32 = 1_000_000;

/// Monte Carlo settings.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MonteCarloOptions {
    /// Number of runs (1 to [`MAX_RUNS`]).
    pub runs: u32,
    /// Probability that an agent is absent on a given day, in [0, 1].
    pub absence_rate: f64,
    /// Seed of the random streams.
    pub seed: u64,
    /// Coefficient of variation of daily volume per queue (0 = the forecast as is).
    pub volume_cv: f64,
}

/// Checks Monte Carlo settings: runs (W1005), absence rate (W1004), volume CV (W1010).
pub fn validate_options(options: &MonteCarloOptions) -> Result<()> {
    let mut errors = crate::error::Diagnostics::new();
    if options.runs == 0 || options.runs > MAX_RUNS {
        errors.push(
            "W1005",
            "--monte-carlo",
            format!(
                "{} runs asked for; Monte Carlo needs 1 to {MAX_RUNS}",
                options.runs
            ),
            "ask for e.g. --monte-carlo 1000",
        );
    }
    if !(0.0..=1.0).contains(&options.absence_rate) || options.absence_rate.is_nan() {
        errors.push(
            "W1004",
            "--absence-rate",
            format!(
                "absence rate {} is outside [0, 1]",
                crate::units::format_value(options.absence_rate)
            ),
            "write a share such as 0.08 or 8%",
        );
    }
    if !(0.0..=1.0).contains(&options.volume_cv) || options.volume_cv.is_nan() {
        errors.push(
            "W1010",
            "--volume-cv",
            format!(
                "volume CV {} is outside [0, 1]",
                crate::units::format_value(options.volume_cv)
            ),
            "write e.g. 0.1 for a 10 % daily volume uncertainty",
        );
    }
    errors.finish(())
}

/// What one run measured.
#[derive(Debug, Clone, PartialEq)]
pub struct RunResult {
    /// Agent-days absent.
    pub absent_agent_days: u32,
    /// Weekly service level per queue.
    pub week: Vec<Option<f64>>,
    /// Daily service level per queue per day.
    pub days: Vec<Vec<Option<f64>>>,
    /// Service level per queue per interval.
    pub intervals: Vec<Vec<Option<f64>>>,
}

/// Summary of a distribution.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct Distribution {
    /// Mean.
    pub mean: f64,
    /// Smallest value.
    pub min: f64,
    /// 5th percentile.
    pub p05: f64,
    /// Median.
    pub p50: f64,
    /// 95th percentile.
    pub p95: f64,
    /// Largest value.
    pub max: f64,
}

impl Distribution {
    /// Summary of `values` (`None` when empty). Percentiles are order statistics at
    /// `⌈p·n⌉` (nearest rank).
    pub fn of(values: &[f64]) -> Option<Distribution> {
        if values.is_empty() {
            return None;
        }
        let mut sorted = values.to_vec();
        sorted.sort_by(f64::total_cmp);
        let rank = |p: f64| {
            let k = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
            sorted[k - 1]
        };
        Some(Distribution {
            mean: values.iter().sum::<f64>() / values.len() as f64,
            min: sorted[0],
            p05: rank(0.05),
            p50: rank(0.5),
            p95: rank(0.95),
            max: sorted[sorted.len() - 1],
        })
    }
}

/// Risk of one day of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct DayRisk {
    /// Local date.
    pub date: String,
    /// Distribution of the day's service level.
    pub service_level: Option<Distribution>,
    /// Share of runs in which the day is below target.
    pub p_below_target: Option<f64>,
}

/// An interval at risk.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalRisk {
    /// UTC start.
    pub interval_start: String,
    /// Local start.
    pub local_start: String,
    /// Share of runs in which the interval is below target.
    pub p_below_target: f64,
    /// Mean service level over runs.
    pub mean_service_level: f64,
}

/// Risk of one queue.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueRisk {
    /// Queue id.
    pub queue: String,
    /// Service-level target.
    pub target: Option<f64>,
    /// Distribution of the weekly service level.
    pub week: Option<Distribution>,
    /// P(weekly service level < target).
    pub p_week_below_target: Option<f64>,
    /// Per day.
    pub days: Vec<DayRisk>,
    /// The intervals most often below target (at most 10, most at risk first).
    pub intervals_at_risk: Vec<IntervalRisk>,
}

/// The Monte Carlo report.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MonteCarloReport {
    /// Runs.
    pub runs: u32,
    /// Seed.
    pub seed: u64,
    /// Absence rate per agent-day.
    pub absence_rate: f64,
    /// Daily volume CV.
    pub volume_cv: f64,
    /// Mean absent agent-days per run.
    pub mean_absent_agent_days: f64,
    /// Per queue.
    pub queues: Vec<QueueRisk>,
}

/// Monte Carlo over the shifts `presences` (a variant already applied) and `volumes`.
pub struct MonteCarlo<'a> {
    scenario: &'a Scenario,
    groups: &'a SkillGroups,
    presences: &'a [ShiftPresence],
    /// Evaluator of the unperturbed volumes (its Erlang table is shared by all runs).
    evaluator: Evaluator<'a>,
    agents: Vec<String>,
    /// Agent index of each presence.
    agent_of: Vec<usize>,
}

impl<'a> MonteCarlo<'a> {
    /// Prepares the runs (computes the requirements and the Erlang table once).
    pub fn new(
        scenario: &'a Scenario,
        groups: &'a SkillGroups,
        presences: &'a [ShiftPresence],
        volumes: Vec<QueueVolume>,
        options: EvaluateOptions,
    ) -> Result<MonteCarlo<'a>> {
        let full = GroupStaffing::from_presence(presences, groups.len(), scenario.horizon.len());
        let evaluator = Evaluator::new(scenario, groups, volumes, options, Some(&full))?;
        let mut agents: Vec<String> = presences.iter().map(|p| p.agent_id.clone()).collect();
        agents.sort();
        agents.dedup();
        let agent_of = presences
            .iter()
            .map(|p| agents.binary_search(&p.agent_id).unwrap_or(0))
            .collect();
        Ok(MonteCarlo {
            scenario,
            groups,
            presences,
            evaluator,
            agents,
            agent_of,
        })
    }

    /// Runs `options.runs` runs in parallel on the current rayon pool and summarizes them.
    pub fn run(&self, options: &MonteCarloOptions) -> Result<MonteCarloReport> {
        Ok(self.run_with_details(options)?.0)
    }

    /// Run `r`: draws the absences (and volume factors) and evaluates the week.
    pub fn one_run(&self, options: &MonteCarloOptions, r: u32) -> Result<RunResult> {
        let horizon = &self.scenario.horizon;
        let days = horizon.days() as usize;
        let mut rng = Rng::stream(options.seed, &[u64::from(r)]);
        let mut absent = vec![false; self.agents.len() * days];
        for flag in absent.iter_mut() {
            *flag = rng.bernoulli(options.absence_rate);
        }
        let absent_agent_days = absent.iter().filter(|&&a| a).count() as u32;
        let kept = self
            .presences
            .iter()
            .zip(&self.agent_of)
            .filter(|(p, a)| p.day.is_none_or(|d| !absent[**a * days + d]))
            .map(|(p, _)| p);
        let staffing = GroupStaffing::from_presence(kept, self.groups.len(), horizon.len());
        let evaluation = if options.volume_cv > 0.0 {
            let mut volumes = self.evaluator.volumes().to_vec();
            for volume in &mut volumes {
                for d in 0..days {
                    let factor = (1.0 + options.volume_cv * rng.standard_normal()).max(0.0);
                    for v in &mut volume.volume[horizon.day_range(d)] {
                        *v *= factor;
                    }
                }
            }
            self.evaluator.with_volumes(volumes).evaluate(&staffing)
        } else {
            self.evaluator.evaluate(&staffing)
        };
        Ok(compact(absent_agent_days, &evaluation))
    }

    fn summarize(&self, options: &MonteCarloOptions, runs: &[RunResult]) -> MonteCarloReport {
        let horizon = &self.scenario.horizon;
        let n = runs.len().max(1) as f64;
        let share_below = |values: &[f64], target: Option<f64>| {
            target
                .filter(|_| !values.is_empty())
                .map(|t| values.iter().filter(|&&v| v < t).count() as f64 / values.len() as f64)
        };
        let queues = self
            .scenario
            .queues
            .iter()
            .enumerate()
            .map(|(q, queue)| {
                let target = queue.service.map(|s| s.fraction);
                let week: Vec<f64> = runs.iter().filter_map(|r| r.week[q]).collect();
                let days = (0..horizon.days() as usize)
                    .map(|d| {
                        let values: Vec<f64> = runs.iter().filter_map(|r| r.days[q][d]).collect();
                        DayRisk {
                            date: horizon.date_of_day(d).to_string(),
                            service_level: Distribution::of(&values),
                            p_below_target: share_below(&values, target),
                        }
                    })
                    .collect();
                let mut at_risk: Vec<(usize, f64, f64)> = Vec::new();
                if let Some(t) = target {
                    // One pass over the runs in run order (sums in a fixed order).
                    let len = horizon.len();
                    let (mut count, mut below, mut sum) =
                        (vec![0u32; len], vec![0u32; len], vec![0.0f64; len]);
                    for run in runs {
                        for (i, sl) in run.intervals[q].iter().enumerate() {
                            if let Some(v) = *sl {
                                count[i] += 1;
                                below[i] += u32::from(v < t);
                                sum[i] += v;
                            }
                        }
                    }
                    for i in 0..len {
                        if below[i] > 0 {
                            let n = f64::from(count[i]);
                            at_risk.push((i, f64::from(below[i]) / n, sum[i] / n));
                        }
                    }
                }
                at_risk.sort_by(|a, b| {
                    b.1.total_cmp(&a.1)
                        .then(a.2.total_cmp(&b.2))
                        .then(a.0.cmp(&b.0))
                });
                at_risk.truncate(10);
                QueueRisk {
                    queue: queue.id.clone(),
                    target,
                    week: Distribution::of(&week),
                    p_week_below_target: share_below(&week, target),
                    days,
                    intervals_at_risk: at_risk
                        .into_iter()
                        .map(|(i, p, mean)| IntervalRisk {
                            interval_start: format_utc(horizon.start(i)),
                            local_start: format_local(horizon.start(i), horizon.zone()),
                            p_below_target: p,
                            mean_service_level: mean,
                        })
                        .collect(),
                }
            })
            .collect();
        MonteCarloReport {
            runs: options.runs,
            seed: options.seed,
            absence_rate: options.absence_rate,
            volume_cv: options.volume_cv,
            mean_absent_agent_days: runs
                .iter()
                .map(|r| f64::from(r.absent_agent_days))
                .sum::<f64>()
                / n,
            queues,
        }
    }

    /// Writes `montecarlo_runs.csv`: `run,absent_agent_days,service_level_<queue>...`.
    pub fn write_runs_csv<W: std::io::Write>(&self, writer: W, runs: &[RunResult]) -> Result<()> {
        let mut header = vec!["run".to_string(), "absent_agent_days".to_string()];
        header.extend(
            self.scenario
                .queues
                .iter()
                .map(|q| format!("service_level_{}", q.id)),
        );
        let records = runs.iter().enumerate().map(|(r, run)| {
            let mut record = vec![r.to_string(), run.absent_agent_days.to_string()];
            record.extend(run.week.iter().map(|&sl| optional_number(sl, 6)));
            record
        });
        write_records(writer, "montecarlo_runs.csv", header, records)
    }

    /// Runs and returns the raw per-run results too.
    pub fn run_with_details(
        &self,
        options: &MonteCarloOptions,
    ) -> Result<(MonteCarloReport, Vec<RunResult>)> {
        validate_options(options)?;
        let runs: Vec<RunResult> = (0..options.runs)
            .into_par_iter()
            .map(|r| self.one_run(options, r))
            .collect::<Result<Vec<_>>>()?;
        Ok((self.summarize(options, &runs), runs))
    }
}

fn compact(absent_agent_days: u32, evaluation: &Evaluation) -> RunResult {
    RunResult {
        absent_agent_days,
        week: evaluation.queues.iter().map(|q| q.week).collect(),
        days: evaluation.queues.iter().map(|q| q.days.clone()).collect(),
        intervals: evaluation
            .queues
            .iter()
            .map(|q| q.intervals.iter().map(|r| r.service_level).collect())
            .collect(),
    }
}
