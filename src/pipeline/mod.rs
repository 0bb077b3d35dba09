//! One pipeline, every subcommand a view of it: forecast → staffing → schedule → roster →
//! evaluate → what-if → export. Each stage is a method of [`Pipeline`], a function from domain
//! types to domain types with one set of defaults ([`Settings`]); `staffplan run` calls them
//! all ([`Pipeline::run`]), the other subcommands call the stages they need and show their
//! part. Skill groups, shrinkage, opening hours and service targets are read here, once.
//!
//! - [`plan`]: the shift plan and its named-agent roster together.
//! - [`summary`]: `summary.json`, one definition per figure for every view.
//! - [`report_data`]: what `report.html` shows.
//! - [`outputs`]: every file a view writes, staged and committed together.

pub mod capacity;
pub mod fanout;
pub mod outputs;
pub mod plan;
pub mod report_data;
pub mod summary;

use std::time::{Duration, Instant};

use crate::check::roster::{CheckContext, CheckReport, check_shifts};
use crate::check::schedule::{PlanContext, ScheduleCheck, check_schedule, read_shifts_csv};
use crate::domain::{Assignment, Coverage, Roster, ShiftSlot, Variant};
use crate::error::{Diagnostics, Result};
use crate::evaluate::{
    EvaluateOptions, Evaluation, Evaluator, GroupStaffing, ShiftPresence, SkillGroups,
    shift_presence,
};
use crate::forecast::{QueueForecast, forecast_from_history};
use crate::scenario::{Scenario, ShiftRules, VolumeSource};
use crate::schedule::{self, Schedule, ScheduleInput, ScheduleOptions, ServiceGoals, export};
use crate::simulate::{SimulationOptions, SimulationReport, Simulator};
use crate::staffing::{self, QueueRequirements, open_intervals};
use crate::volume::{QueueVolume, align_to_horizon, check_known_queues, load_volume_file};
use crate::whatif::{
    MonteCarlo, MonteCarloOptions, MonteCarloReport, ReoptimizeOptions, VariantOutcome,
    evaluate_variants,
};
pub use plan::PlannedRoster;

/// The stages of a run, in order.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Stage {
    /// Volume per interval (forecast from history, or read from a forecast file).
    Forecast,
    /// Required agents per interval.
    Staffing,
    /// Shift plan (and roster, when the scenario names agents).
    Schedule,
    /// Predicted service of the roster.
    Evaluate,
    /// The scenario's what-if variants.
    WhatIf,
    /// Output files.
    Export,
}

impl Stage {
    /// Name shown in progress and timings.
    pub fn name(self) -> &'static str {
        match self {
            Stage::Forecast => "forecast",
            Stage::Staffing => "staffing",
            Stage::Schedule => "schedule and roster",
            Stage::Evaluate => "evaluate",
            Stage::WhatIf => "what-if",
            Stage::Export => "export",
        }
    }
}

/// The one set of defaults every view shares.
#[derive(Debug, Clone)]
pub struct Settings {
    /// How the shift plan is solved (time limit, gap, method, backend).
    pub schedule: ScheduleOptions,
    /// Apply each queue's shrinkage to the agents on the queue when a roster is evaluated or
    /// simulated (on by default: the requirement the plan covers was inflated by it).
    pub apply_shrinkage: bool,
    /// Fixed cost of one roster change when a what-if variant is re-optimised.
    pub change_cost: f64,
    /// One calendar per agent instead of one `roster.ics`.
    pub ics_per_agent: bool,
    /// Every queue's volume multiplied by this (a sweep's `volume`; 1 otherwise).
    pub volume_factor: f64,
}

impl Default for Settings {
    fn default() -> Self {
        Settings {
            schedule: ScheduleOptions::default(),
            apply_shrinkage: true,
            change_cost: ReoptimizeOptions::default().change_cost,
            ics_per_agent: false,
            volume_factor: 1.0,
        }
    }
}

impl Settings {
    /// Settings with a wall-clock cap on each schedule solve (none by default: budgets of
    /// work only).
    pub fn with_time_limit(time_limit: Duration) -> Settings {
        let mut settings = Settings::default();
        settings.schedule.time_limit = Some(time_limit);
        settings
    }
}

/// Volume of every queue on the plan's grid, and the forecasts made from history.
#[derive(Debug, Clone, Default)]
pub struct Volumes {
    /// One per queue, scenario order.
    pub volumes: Vec<QueueVolume>,
    /// Forecasts of the queues with `history = ...`.
    pub forecasts: Vec<QueueForecast>,
}

/// The shift plan of a run and, when the scenario names agents, its roster.
#[derive(Debug, Clone)]
pub struct PlanResult {
    /// The solved plan.
    pub schedule: Schedule,
    /// Requirement the plan covers (`scheduled_agents` per queue per interval, closed = 0).
    pub required: Vec<Vec<u32>>,
    /// Shift rules of the plan (the scenario's).
    pub rules: ShiftRules,
    /// One slot per agent's worth of the plan.
    pub slots: Vec<ShiftSlot>,
    /// Named-agent roster and re-plan facts (`None` without agents).
    pub roster: Option<PlannedRoster>,
}

impl PlanResult {
    /// The schedule input of the plan.
    pub fn input<'a>(&'a self, scenario: &'a Scenario) -> ScheduleInput<'a> {
        let mut input = ScheduleInput::new(scenario, self.required.clone());
        input.rules = &self.rules;
        input
    }

    /// The roster the plan gives: the named agents' roster, or one anonymous agent per slot
    /// (agent id = slot id) when the scenario names none.
    pub fn published_roster(&self) -> Roster {
        match &self.roster {
            Some(planned) => planned.outcome.roster.clone(),
            None => Roster::of_slots(&self.slots),
        }
    }
}

/// A requirement and what covers it.
#[derive(Debug, Clone)]
pub struct PlanCoverage {
    /// `required[q][i]`: agents on shift and not on break needed (after shrinkage, closed 0).
    pub required: Vec<Vec<u32>>,
    /// The coverage of it.
    pub coverage: Coverage,
}

impl PlanCoverage {
    /// The plan's own coverage.
    pub fn of_plan(plan: &PlanResult) -> PlanCoverage {
        PlanCoverage {
            required: plan.required.clone(),
            coverage: plan.schedule.coverage.clone(),
        }
    }

    /// Requirement left uncovered, agent-hours.
    pub fn understaffed_agent_hours(&self, horizon: &crate::time::Horizon) -> f64 {
        self.coverage.shortfall.iter().flatten().sum::<f64>() * horizon.interval_seconds() / 3600.0
    }
}

/// Everything a view computed; the parts a view does not compute stay empty.
#[derive(Debug, Clone, Default)]
pub struct RunResult {
    /// Volume per queue on the plan's grid, and forecasts made from history.
    pub volumes: Volumes,
    /// Required agents.
    pub requirements: Vec<QueueRequirements>,
    /// Shift plan and roster (scenarios with `[[shift]]` templates).
    pub plan: Option<PlanResult>,
    /// The coverage `coverage.csv` and the plan figures show: the plan's, or (`evaluate`,
    /// `whatif`) a roster's read back as the plan.
    pub coverage: Option<PlanCoverage>,
    /// Days a queue is short because the workforce cannot cover them, and why.
    pub capacity_shortfall: Vec<capacity::CapacityShortfall>,
    /// Who to hire to close them.
    pub hiring_hint: Vec<capacity::HiringHint>,
    /// Independent re-check of the shift plan as written to `shifts.csv`.
    pub schedule_check: Option<ScheduleCheck>,
    /// Independent re-check of the roster as HR will read it.
    pub check: Option<CheckReport>,
    /// Predicted service of the roster (or of the plan).
    pub evaluation: Option<Evaluation>,
    /// The same roster simulated (`--simulate`).
    pub simulation: Option<SimulationReport>,
    /// What-if outcomes, `baseline` first.
    pub whatif: Vec<VariantOutcome>,
    /// Monte Carlo absence risk (`whatif --monte-carlo`).
    pub monte_carlo: Option<MonteCarloReport>,
    /// `montecarlo_runs.csv` of that risk.
    pub monte_carlo_runs_csv: Vec<u8>,
    /// Wall time per stage, seconds.
    pub timings: Vec<(String, f64)>,
}

impl RunResult {
    /// Every rule the independent checkers found broken, schedule first, in words.
    pub fn violations(&self) -> Vec<String> {
        let schedule = self.schedule_check.iter().flat_map(|c| &c.violations);
        let roster = self.check.iter().flat_map(|c| &c.violations);
        schedule
            .map(ToString::to_string)
            .chain(roster.map(ToString::to_string))
            .collect()
    }
}

/// The pipeline of one scenario with its settings.
#[derive(Debug, Clone)]
pub struct Pipeline<'s> {
    scenario: &'s Scenario,
    settings: Settings,
    groups: SkillGroups,
}

impl<'s> Pipeline<'s> {
    /// The pipeline of `scenario`.
    pub fn new(scenario: &'s Scenario, settings: Settings) -> Pipeline<'s> {
        Pipeline {
            scenario,
            settings,
            groups: SkillGroups::from_scenario(scenario),
        }
    }

    /// The scenario.
    pub fn scenario(&self) -> &'s Scenario {
        self.scenario
    }

    /// The settings.
    pub fn settings(&self) -> &Settings {
        &self.settings
    }

    /// The scenario's skill groups (one per queue when it declares none).
    pub fn groups(&self) -> &SkillGroups {
        &self.groups
    }

    /// How a roster is evaluated: with the queues' shrinkage unless the settings leave it out.
    pub fn evaluate_options(&self) -> EvaluateOptions {
        EvaluateOptions {
            apply_shrinkage: self.settings.apply_shrinkage,
            absence_rate: 0.0,
        }
    }

    /// Stage 1, forecast: volume of every queue, forecast from history (method chosen by
    /// backtest, special days applied) or read from its forecast file.
    pub fn volumes(&self) -> Result<Volumes> {
        let scenario = self.scenario;
        let mut errors = Diagnostics::new();
        let mut out = Volumes::default();
        // Rows of queues not in the scenario are refused (V1013), once per file.
        let queue_ids: Vec<&str> = scenario.queues.iter().map(|q| q.id.as_str()).collect();
        let mut checked: Vec<&std::path::Path> = Vec::new();
        for queue in &scenario.queues {
            let path = queue.volume_source.path();
            let known = (!checked.contains(&path)).then_some(queue_ids.as_slice());
            checked.push(path);
            let result = match &queue.volume_source {
                VolumeSource::Forecast(path) => {
                    let open = open_intervals(queue, &scenario.horizon);
                    load_volume_file(path, scenario.plan.time_zone).and_then(|table| {
                        let unknown = known.map_or(Ok(()), |k| check_known_queues(&table, k));
                        errors.take(unknown)?;
                        align_to_horizon(
                            &table,
                            &queue.id,
                            &scenario.horizon,
                            queue.aht_seconds,
                            &open,
                        )
                    })
                }
                VolumeSource::History(path) => forecast_from_history(
                    path,
                    &queue.id,
                    &scenario.horizon,
                    &scenario.special_days,
                    queue.aht_seconds,
                    known,
                )
                .map(|forecast| {
                    let volume = QueueVolume {
                        queue: queue.id.clone(),
                        volume: forecast.volume.clone(),
                        aht_seconds: forecast
                            .aht_seconds
                            .iter()
                            .map(|a| a.unwrap_or(queue.aht_seconds))
                            .collect(),
                    };
                    out.forecasts.push(forecast);
                    volume
                }),
            };
            if let Some(mut volume) = errors.take(result)? {
                if self.settings.volume_factor != 1.0 {
                    for v in &mut volume.volume {
                        *v *= self.settings.volume_factor;
                    }
                }
                out.volumes.push(volume);
            }
        }
        errors.finish(out)
    }

    /// Stage 2, staffing: required agents per interval per queue (Erlang C/A, chat, email
    /// backlog; shrinkage and opening hours applied).
    pub fn requirements(&self, volumes: &[QueueVolume]) -> Result<Vec<QueueRequirements>> {
        staffing::requirements(self.scenario, volumes)
    }

    /// What the plan covers: `scheduled_agents` (after shrinkage) per queue per interval.
    pub fn required_matrix(requirements: &[QueueRequirements]) -> Vec<Vec<u32>> {
        requirements
            .iter()
            .map(|q| q.intervals.iter().map(|r| r.scheduled_agents).collect())
            .collect()
    }

    /// The service goals of the queues judged over a day or the week (`None` when every queue
    /// has interval scope): per open interval with volume, the evaluation's own service,
    /// ASA and abandonment at 0, 1, 2, … agents on the queue, and the scopes' intervals.
    pub fn service_goals(
        &self,
        volumes: &[QueueVolume],
        requirements: &[QueueRequirements],
    ) -> Result<Option<ServiceGoals>> {
        use crate::scenario::{Channel, ServiceScope};
        use crate::schedule::{GoalPoint, QueueGoal, ServiceCurve};
        let scenario = self.scenario;
        let judged: Vec<usize> = (0..scenario.queues.len())
            .filter(|&q| {
                let queue = &scenario.queues[q];
                queue.service_scope != ServiceScope::Interval && queue.channel != Channel::Email
            })
            .collect();
        if judged.is_empty() {
            return Ok(None);
        }
        let options = self.evaluate_options();
        let evaluator = Evaluator::new(scenario, &self.groups, volumes.to_vec(), options, None)?;
        let horizon = &scenario.horizon;
        let mut goals = ServiceGoals::default();
        // The evaluation's routing of multi-skill agents, in the plan's skill-group indices.
        let rules = &scenario.shifts;
        let to_plan: Vec<Option<usize>> = self
            .groups
            .ids()
            .iter()
            .map(|id| rules.skill_groups.iter().position(|g| &g.id == id))
            .collect();
        if to_plan.iter().all(Option::is_some) && to_plan.len() == rules.skill_groups.len() {
            goals.routing = Some(crate::domain::routing::Routing {
                order: evaluator
                    .group_order()
                    .iter()
                    .filter_map(|&g| to_plan[g])
                    .collect(),
                group_queues: rules
                    .skill_groups
                    .iter()
                    .map(|g| g.queues.clone())
                    .collect(),
                intervals: (0..horizon.len())
                    .map(|i| evaluator.routing_interval(i))
                    .collect(),
            });
        }
        for q in judged {
            let queue = &scenario.queues[q];
            let factor = evaluator.on_queue_factor(q);
            let open = open_intervals(queue, horizon);
            let mut curves = Vec::with_capacity(horizon.len());
            let mut minimum = Vec::with_capacity(horizon.len());
            for (i, &open) in open.iter().enumerate() {
                let volume = volumes[q].volume[i];
                minimum.push(if open && queue.min_agents > 0 {
                    f64::from(staffing::scheduled_agents(
                        queue.min_agents,
                        queue.shrinkage,
                    ))
                } else {
                    0.0
                });
                if !open || volume <= 0.0 {
                    curves.push(None);
                    continue;
                }
                // Whole on-queue agents up to where the service is all but perfect (and at
                // least the interval's requirement); beyond, the last value.
                let required = requirements[q].intervals[i].required_agents;
                let cap = required.saturating_mul(3).saturating_add(30);
                let mut points = Vec::new();
                for n in 0..=cap {
                    let p = evaluator.performance(q, i, n);
                    points.push(GoalPoint {
                        service_level: p.service_level,
                        asa_seconds: p.asa_seconds,
                        abandon_rate: p.p_abandon.unwrap_or(0.0),
                    });
                    if n >= required
                        && p.service_level >= 0.9999
                        && p.p_abandon.is_none_or(|a| a <= 1e-4)
                        && p.asa_seconds <= 0.05
                    {
                        break;
                    }
                }
                curves.push(Some(ServiceCurve {
                    volume,
                    factor,
                    points,
                }));
            }
            let scopes = match queue.service_scope {
                ServiceScope::Day => (0..horizon.days() as usize)
                    .map(|d| horizon.day_range(d).collect())
                    .collect(),
                _ => vec![(0..horizon.len()).collect()],
            };
            goals.queues.push(QueueGoal {
                queue: q,
                scope: queue.service_scope,
                service_level: queue.service.map(|s| s.fraction),
                asa_seconds: queue.asa_target_seconds,
                abandon_rate: queue.max_abandon_rate,
                floor: queue.interval_floor,
                curves,
                minimum,
                scopes,
            });
        }
        Ok(Some(goals))
    }

    /// Stage 3, schedule: the cheapest shift plan covering `required`, without names.
    pub fn schedule(
        &self,
        required: Vec<Vec<u32>>,
        goals: Option<&ServiceGoals>,
    ) -> Result<PlanResult> {
        let mut input = ScheduleInput::new(self.scenario, required);
        input.goals = goals;
        let schedule = schedule::schedule(&input, &self.settings.schedule)?;
        if let Some(chosen) = &schedule.required {
            input.required = chosen.clone();
        }
        let slots = export::shift_slots(&input, &schedule);
        Ok(PlanResult {
            schedule,
            required: input.required,
            rules: self.scenario.shifts.clone(),
            slots,
            roster: None,
        })
    }

    /// Stages 3 and 4, schedule and roster: the shift plan, made within what the scenario's
    /// named agents can supply and staffed with them ([`plan`]), when it has any.
    pub fn plan(
        &self,
        required: Vec<Vec<u32>>,
        goals: Option<&ServiceGoals>,
    ) -> Result<PlanResult> {
        if self.scenario.workforce.agents.is_empty() {
            return self.schedule(required, goals);
        }
        let planned = plan::plan_roster(self.scenario, required, goals, &self.settings.schedule)?;
        let input = ScheduleInput::new(self.scenario, planned.required.clone());
        Ok(PlanResult {
            schedule: planned.schedule.clone(),
            required: input.required,
            rules: self.scenario.shifts.clone(),
            slots: planned.slots.clone(),
            roster: Some(planned),
        })
    }

    /// The independent schedule check: writes `shifts.csv` as it will be written, reads it
    /// back and re-verifies every rule and the coverage.
    pub fn check_schedule(&self, plan: &PlanResult) -> Result<ScheduleCheck> {
        let input = plan.input(self.scenario);
        let mut bytes = Vec::new();
        export::write_shifts_csv(&mut bytes, &export::shift_rows(&input, &plan.schedule))?;
        let rows = read_shifts_csv(bytes.as_slice(), "shifts.csv")?;
        Ok(check_schedule(
            &PlanContext {
                horizon: &self.scenario.horizon,
                cyclic: self.scenario.plan.cyclic,
                rules: &plan.rules,
                required: &plan.required,
            },
            &rows,
        ))
    }

    /// The independent roster check: writes `roster.csv` (and, with the plan, `slots.csv`)
    /// as HR will read them, reads them back and re-verifies every rule and the coverage.
    pub fn check_roster(&self, roster: &Roster, plan: Option<&[ShiftSlot]>) -> Result<CheckReport> {
        use crate::export::roster_csv::{read_roster_csv, write_roster_csv};
        use crate::export::slots_csv::{read_slots_csv, write_slots_csv};
        let w = &self.scenario.workforce;
        let mut bytes = Vec::new();
        write_roster_csv(&mut bytes, roster, &w.agents)?;
        let zone_of = |id: &str| w.agent(id).map(|a| a.time_zone);
        let file = read_roster_csv(bytes.as_slice(), "roster.csv", &zone_of)?;
        let plan = match plan {
            Some(slots) => {
                let mut bytes = Vec::new();
                write_slots_csv(&mut bytes, slots)?;
                Some(read_slots_csv(bytes.as_slice(), "slots.csv")?)
            }
            None => None,
        };
        let mut report = check_shifts(
            &file.shifts,
            &CheckContext {
                agents: &w.agents,
                time_off: &w.time_off,
                rules: &w.rules,
                horizon: &self.scenario.horizon,
                plan: plan.as_deref(),
            },
        );
        report.violations.extend(file.violations);
        Ok(report)
    }

    /// The roster as the evaluation sees it: in a cyclic plan, the part of a shift that runs
    /// past the end of the week is also placed at the start of the week (last week's Sunday
    /// night covers this Monday morning), as the scheduler counts it.
    pub fn evaluated_roster(&self, roster: &Roster) -> Roster {
        let mut roster = roster.clone();
        if self.scenario.plan.cyclic {
            let horizon = &self.scenario.horizon;
            let week = horizon.horizon_end() - horizon.horizon_start();
            let wrapped: Vec<Assignment> = roster
                .assignments
                .iter()
                .filter(|a| a.slot.end > horizon.horizon_end())
                .map(|a| {
                    let mut slot = a.slot.clone();
                    slot.slot_id = format!("{}~wrapped", slot.slot_id);
                    slot.start -= week;
                    slot.end -= week;
                    for b in &mut slot.breaks {
                        b.start -= week;
                        b.end -= week;
                    }
                    Assignment {
                        agent_id: a.agent_id.clone(),
                        slot,
                    }
                })
                .collect();
            roster.assignments.extend(wrapped);
        }
        roster
    }

    /// On-queue stretches of every shift of `roster` (see [`Pipeline::evaluated_roster`]).
    pub fn presences(&self, roster: &Roster) -> Result<Vec<ShiftPresence>> {
        shift_presence(
            &self.evaluated_roster(roster),
            &[],
            &self.scenario.horizon,
            &self.groups,
        )
    }

    /// A roster read as a plan: its agents on shift and not on break per skill group, allocated
    /// to the queues' requirement as the scheduler allocates a plan's (the least shortfall).
    pub fn roster_coverage(
        &self,
        roster: &Roster,
        requirements: &[QueueRequirements],
    ) -> Result<PlanCoverage> {
        self.roster_coverage_of(roster, Self::required_matrix(requirements))
    }

    /// [`Pipeline::roster_coverage`] against a given requirement (a plan's, which its service
    /// goals may have chosen).
    pub fn roster_coverage_of(
        &self,
        roster: &Roster,
        required: Vec<Vec<u32>>,
    ) -> Result<PlanCoverage> {
        let presences = self.presences(roster)?;
        let n = self.scenario.horizon.len();
        let staffing = GroupStaffing::from_presence(&presences, self.groups.len(), n);
        let rules = &self.scenario.shifts;
        let mut present = vec![vec![0.0; n]; rules.skill_groups.len()];
        let mut on_break = vec![vec![0.0; n]; rules.skill_groups.len()];
        for (g, group) in rules.skill_groups.iter().enumerate() {
            if let Some(k) = self.groups.index_of(&group.id) {
                present[g] = staffing.on_queue[k].clone();
                on_break[g] = staffing.on_shift[k]
                    .iter()
                    .zip(&staffing.on_queue[k])
                    .map(|(shift, queue)| shift - queue)
                    .collect();
            }
        }
        let input = ScheduleInput::new(self.scenario, required);
        let coverage = schedule::coverage_from_presence(&input, present, on_break);
        Ok(PlanCoverage {
            required: input.required,
            coverage,
        })
    }

    /// Stage 5, evaluate: the predicted service of `roster` per interval per queue, and per day
    /// and week (Erlang, multi-skill agents allocated, shrinkage per the settings).
    pub fn evaluate(&self, roster: &Roster, volumes: &[QueueVolume]) -> Result<Evaluation> {
        let presences = self.presences(roster)?;
        let horizon = &self.scenario.horizon;
        let staffing = GroupStaffing::from_presence(&presences, self.groups.len(), horizon.len());
        Ok(Evaluator::new(
            self.scenario,
            &self.groups,
            volumes.to_vec(),
            self.evaluate_options(),
            Some(&staffing),
        )?
        .evaluate(&staffing))
    }

    /// The check on the evaluation: the same roster, with the same shrinkage, simulated.
    pub fn simulate(
        &self,
        roster: &Roster,
        volumes: &[QueueVolume],
        options: SimulationOptions,
    ) -> Result<SimulationReport> {
        let presences = self.presences(roster)?;
        let options = SimulationOptions {
            apply_shrinkage: self.settings.apply_shrinkage,
            ..options
        };
        Ok(Simulator::new(self.scenario, volumes, &presences, &self.groups, options).run())
    }

    /// Stage 6, what-if: `baseline`, the scenario's `[[whatif]]` blocks and `extra`, each
    /// evaluated like the roster itself (and re-optimised where asked).
    pub fn whatif(
        &self,
        roster: &Roster,
        volumes: &[QueueVolume],
        extra: &[Variant],
    ) -> Result<Vec<VariantOutcome>> {
        let reoptimize = ReoptimizeOptions {
            change_cost: self.settings.change_cost,
            min_rest_hours: self.scenario.workforce.rules.min_rest_seconds as f64 / 3600.0,
            ..ReoptimizeOptions::default()
        };
        evaluate_variants(
            self.scenario,
            &self.groups,
            &self.evaluated_roster(roster),
            volumes,
            extra,
            self.evaluate_options(),
            &reoptimize,
        )
    }

    /// Monte Carlo absence risk of `variant` applied to `roster`: the report and the
    /// `montecarlo_runs.csv` bytes.
    pub fn monte_carlo(
        &self,
        roster: &Roster,
        volumes: &[QueueVolume],
        variant: &Variant,
        options: &MonteCarloOptions,
    ) -> Result<(MonteCarloReport, Vec<u8>)> {
        let roster = self.evaluated_roster(roster);
        let applied = crate::whatif::apply(variant, self.scenario, &roster, volumes)?;
        let presences = shift_presence(
            &applied.roster,
            &applied.blocks,
            &self.scenario.horizon,
            &self.groups,
        )?;
        let mc = MonteCarlo::new(
            self.scenario,
            &self.groups,
            &presences,
            applied.volumes.clone(),
            self.evaluate_options(),
        )?;
        let (report, runs) = mc.run_with_details(options)?;
        let mut bytes = Vec::new();
        mc.write_runs_csv(&mut bytes, &runs)?;
        Ok((report, bytes))
    }

    /// The whole pipeline (`staffplan run`). `on_stage` is called when a stage starts.
    pub fn run(&self, on_stage: &mut dyn FnMut(Stage)) -> Result<RunResult> {
        let scenario = self.scenario;
        let mut result = RunResult::default();
        let clock = |timings: &mut Vec<(String, f64)>, stage: Stage, started: Instant| {
            timings.push((stage.name().to_string(), started.elapsed().as_secs_f64()));
        };

        on_stage(Stage::Forecast);
        let started = Instant::now();
        result.volumes = self.volumes()?;
        clock(&mut result.timings, Stage::Forecast, started);

        on_stage(Stage::Staffing);
        let started = Instant::now();
        result.requirements = self.requirements(&result.volumes.volumes)?;
        clock(&mut result.timings, Stage::Staffing, started);

        if scenario.shifts.templates.is_empty() {
            return Ok(result);
        }
        on_stage(Stage::Schedule);
        let started = Instant::now();
        let goals = self.service_goals(&result.volumes.volumes, &result.requirements)?;
        let plan = self.plan(Self::required_matrix(&result.requirements), goals.as_ref())?;
        result.schedule_check = Some(self.check_schedule(&plan)?);
        result.coverage = Some(PlanCoverage::of_plan(&plan));
        clock(&mut result.timings, Stage::Schedule, started);

        on_stage(Stage::Evaluate);
        let started = Instant::now();
        let roster = plan.published_roster();
        result.evaluation = Some(self.evaluate(&roster, &result.volumes.volumes)?);
        if let Some(planned) = &plan.roster {
            result.check = Some(self.check_roster(&planned.outcome.roster, Some(&plan.slots))?);
        }
        let worked = self.roster_coverage_of(&roster, plan.required.clone())?;
        (result.capacity_shortfall, result.hiring_hint) =
            capacity::capacity_shortfall(scenario, &plan, &worked);
        clock(&mut result.timings, Stage::Evaluate, started);

        if !scenario.whatif.is_empty() {
            on_stage(Stage::WhatIf);
            let started = Instant::now();
            result.whatif = self.whatif(&roster, &result.volumes.volumes, &[])?;
            clock(&mut result.timings, Stage::WhatIf, started);
        }
        result.plan = Some(plan);
        Ok(result)
    }
}
