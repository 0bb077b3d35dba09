//! What-if analysis: variants of a published roster (absences, volume and AHT shocks, training
//! blocks), each evaluated keeping the roster (the impact) and optionally re-optimised, plus
//! Monte Carlo absence risk ([`montecarlo`]); variants and Monte Carlo runs are evaluated in parallel
//! with rayon, collected in input order.

pub mod montecarlo;
pub mod reoptimize;
pub mod variant;

use std::io::Write;

use rayon::prelude::*;
use serde::Serialize;

use crate::csvio::{optional_number, write_records};
use crate::domain::{Roster, Variant};
use crate::error::{CodeInfo, Result};
use crate::evaluate::{
    EvaluateOptions, Evaluation, Evaluator, GroupStaffing, SkillGroups, shift_presence,
};
use crate::scenario::Scenario;
use crate::time::format_local;
use crate::units::format_number;
use crate::volume::QueueVolume;
pub use montecarlo::{MonteCarlo, MonteCarloOptions, MonteCarloReport};
pub use reoptimize::{Reoptimization, ReoptimizeOptions, RosterChange, reoptimize};
pub use variant::{AppliedVariant, apply};

/// Error codes owned by what-if analysis (prefix `W`).
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "W1001",
        title: "absent agent does not exist",
        explanation: "A what-if absence or training names an agent id that is not in the \
                      roster. Ids are case-sensitive (A017, not a017); the message suggests the \
                      closest id. Use the agent_id column of roster.csv.",
    },
    CodeInfo {
        code: "W1002",
        title: "date outside the plan",
        explanation: "A what-if date (absence, volume or AHT change, training) is not one of the \
                      plan's local days. The plan runs from plan.start for plan.days days.",
    },
    CodeInfo {
        code: "W1003",
        title: "change out of range",
        explanation: "A volume change cannot go below -100 % (no contacts at all): -150 % would \
                      make the volume negative. An AHT change must stay above -100 % so that \
                      handle times stay positive. Neither may exceed +9900 % (100 times the \
                      forecast), beyond which it is a typo, not a scenario.",
    },
    CodeInfo {
        code: "W1004",
        title: "absence rate outside [0, 1]",
        explanation: "The absence rate is the probability that an agent is absent on a given \
                      day: a share from 0 to 1 (0.08 or \"8%\").",
    },
    CodeInfo {
        code: "W1005",
        title: "invalid number of Monte Carlo runs",
        explanation: "--monte-carlo takes the number of random weeks to draw, from 1 to \
                      1,000,000. 1,000 gives the weekly service-level distribution to about a \
                      percentage point.",
    },
    CodeInfo {
        code: "W1006",
        title: "what-if value cannot be read",
        explanation: "Forms: --absent A017@2026-11-24 or A017@2026-11-24T09:00/13:00; --volume \
                      +15%, chat:+30% or chat:+30%@2026-11-25; --aht +5%; --training \
                      6@2026-11-24T14:00/16:00 or A001,A002@2026-11-24T14:00/16:00. Dates are \
                      local YYYY-MM-DD, times local HH:MM with the end after the start.",
    },
    CodeInfo {
        code: "W1007",
        title: "unknown queue in a change",
        explanation: "A volume or AHT change names a queue that is not in the scenario. Use a \
                      queue id, or leave the queue out to change every queue.",
    },
    CodeInfo {
        code: "W1008",
        title: "not enough agents for a training block",
        explanation: "A training block asks for more agents than are on shift for the whole \
                      block. Ask for fewer, name the agents, or move the block.",
    },
    CodeInfo {
        code: "W1009",
        title: "invalid what-if variant",
        explanation: "A [[whatif]] block needs a unique name made of letters, digits, '-', '_' \
                      or '.', and at least one change (absent, absence_rate, volume, aht, \
                      training).",
    },
    CodeInfo {
        code: "W1011",
        title: "no roster to evaluate",
        explanation: "staffplan whatif, evaluate and simulate work on a published roster: pass \
                      roster.csv as written by `staffplan roster` (--roster FILE).",
    },
    CodeInfo {
        code: "W1010",
        title: "invalid simulation or Monte Carlo setting",
        explanation: "--replications is 2 to 100,000; --handle-time-cv and --volume-cv are \
                      between 0 and 1 (0 for --handle-time-cv means exponential handle times).",
    },
];

/// What a variant did.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct VariantOutcome {
    /// Variant name.
    pub name: String,
    /// What it changes.
    pub description: String,
    /// Evaluation of the roster under the variant (roster kept).
    pub evaluation: Evaluation,
    /// Remarks from applying the variant.
    pub notes: Vec<String>,
    /// Changes made by re-optimisation (empty when not re-optimised).
    pub changes: Vec<String>,
    /// Cost of the re-optimised roster minus the published one.
    pub cost_delta: f64,
    /// Evaluation after re-optimisation.
    pub reoptimized: Option<Evaluation>,
    /// The re-optimised roster.
    #[serde(skip)]
    pub reoptimized_roster: Option<Roster>,
    /// Whether re-optimisation reached every daily target.
    pub recovered: Option<bool>,
}

/// Evaluates `roster` under `variant`, keeping the roster, and re-optimises it when the variant
/// asks for it.
pub fn evaluate_variant(
    scenario: &Scenario,
    groups: &SkillGroups,
    roster: &Roster,
    volumes: &[QueueVolume],
    variant: &Variant,
    options: EvaluateOptions,
    reoptimize_options: &ReoptimizeOptions,
) -> Result<VariantOutcome> {
    let applied = apply(variant, scenario, roster, volumes)?;
    let evaluation = evaluate_applied(scenario, groups, &applied, options)?;
    let mut outcome = VariantOutcome {
        name: variant.name.clone(),
        description: variant.describe(),
        evaluation,
        notes: applied.notes.clone(),
        changes: Vec::new(),
        cost_delta: 0.0,
        reoptimized: None,
        reoptimized_roster: None,
        recovered: None,
    };
    if variant.reoptimize {
        let result = reoptimize(scenario, groups, &applied, options, reoptimize_options)?;
        outcome.changes = result
            .changes
            .iter()
            .map(|c| c.describe(scenario))
            .collect();
        outcome.cost_delta = result.cost_delta;
        outcome.recovered = Some(result.recovered);
        if !result.recovered {
            outcome.notes.push(format!(
                "re-optimisation could not reach every daily target within {} changes",
                reoptimize_options.max_changes
            ));
        }
        outcome.reoptimized = Some(result.evaluation);
        outcome.reoptimized_roster = Some(result.roster);
    }
    Ok(outcome)
}

/// Checks variants against the scenario and the roster's agents, collecting every problem.
/// Variants named like a `[[whatif]]` block are located in the scenario file.
pub fn validate_variants(
    scenario: &Scenario,
    roster: &Roster,
    variants: &[Variant],
    errors: &mut crate::error::Diagnostics,
) {
    let mut agents: Vec<String> = roster
        .assignments
        .iter()
        .map(|a| a.agent_id.clone())
        .collect();
    agents.extend(scenario.workforce.agents.iter().map(|a| a.id.clone()));
    agents.sort();
    agents.dedup();
    for variant in variants {
        let place = match scenario.whatif.iter().position(|w| w.name == variant.name) {
            Some(k) => format!("{} whatif[{k}] ({})", scenario.path.display(), variant.name),
            None if variant.name == "cli" => "command line".to_string(),
            None => format!("variant {}", variant.name),
        };
        variant.validate(scenario, Some(&agents), &place, errors);
    }
}

/// The variants a run evaluates: `baseline` (no change), the scenario's `[[whatif]]` blocks,
/// then `extra` (e.g. the command line's), each checked against the roster's agents first
/// (all problems reported at once), then evaluated in that order. This is what `staffplan
/// whatif` does and what `staffplan run` calls for the scenario's blocks.
pub fn evaluate_variants(
    scenario: &Scenario,
    groups: &SkillGroups,
    roster: &Roster,
    volumes: &[QueueVolume],
    extra: &[Variant],
    options: EvaluateOptions,
    reoptimize_options: &ReoptimizeOptions,
) -> Result<Vec<VariantOutcome>> {
    let mut variants = vec![Variant {
        name: "baseline".into(),
        ..Variant::default()
    }];
    variants.extend(scenario.whatif.iter().cloned());
    variants.extend(extra.iter().cloned());
    let mut errors = crate::error::Diagnostics::new();
    validate_variants(scenario, roster, &variants, &mut errors);
    errors.check()?;
    // Variants are independent: evaluated in parallel on the one rayon pool, collected in
    // input order (the same output whatever the thread count).
    variants
        .par_iter()
        .map(|v| {
            evaluate_variant(
                scenario,
                groups,
                roster,
                volumes,
                v,
                options,
                reoptimize_options,
            )
        })
        .collect()
}

/// Evaluates an applied variant.
pub fn evaluate_applied(
    scenario: &Scenario,
    groups: &SkillGroups,
    applied: &AppliedVariant,
    options: EvaluateOptions,
) -> Result<Evaluation> {
    let presences = shift_presence(&applied.roster, &applied.blocks, &scenario.horizon, groups)?;
    let staffing = GroupStaffing::from_presence(&presences, groups.len(), scenario.horizon.len());
    let options = EvaluateOptions {
        absence_rate: 1.0 - (1.0 - options.absence_rate) * (1.0 - applied.absence_rate),
        ..options
    };
    let evaluator = Evaluator::new(scenario, groups, applied.volumes.clone(), options, None)?;
    Ok(evaluator.evaluate(&staffing))
}

/// Days (queue-days) whose service level is below the queue's target.
pub fn days_below_target(evaluation: &Evaluation) -> usize {
    evaluation
        .queues
        .iter()
        .map(|q| match q.target {
            Some(t) => q.days.iter().flatten().filter(|&&sl| sl < t).count(),
            None => 0,
        })
        .sum()
}

/// One row of `whatif.csv` as text fields.
fn row(scenario: &Scenario, outcome: &VariantOutcome) -> Vec<String> {
    let horizon = &scenario.horizon;
    let evaluation = outcome.reoptimized.as_ref().unwrap_or(&outcome.evaluation);
    let mut fields = vec![outcome.name.clone(), outcome.description.clone()];
    for queue in &outcome.evaluation.queues {
        fields.push(optional_number(queue.week, 4));
    }
    let worst = outcome.evaluation.worst_interval();
    fields.push(worst.map_or_else(String::new, |w| {
        outcome.evaluation.queues[w.queue].queue.clone()
    }));
    fields.push(worst.map_or_else(String::new, |w| {
        format_local(horizon.start(w.interval), horizon.zone())
    }));
    fields.push(optional_number(worst.map(|w| w.service_level), 4));
    fields.push(format_number(
        outcome.evaluation.understaffed_agent_hours(),
        2,
    ));
    fields.push(days_below_target(&outcome.evaluation).to_string());
    if outcome.reoptimized.is_some() {
        for queue in &evaluation.queues {
            fields.push(optional_number(queue.week, 4));
        }
        fields.push(days_below_target(evaluation).to_string());
    } else {
        fields.extend(std::iter::repeat_n(
            String::new(),
            scenario.queues.len() + 1,
        ));
    }
    fields.push(outcome.changes.join("; "));
    fields.push(format_number(outcome.cost_delta, 2));
    fields
}

/// Column names of `whatif.csv`.
pub fn whatif_header(scenario: &Scenario) -> Vec<String> {
    let mut header = vec!["variant".to_string(), "description".to_string()];
    header.extend(
        scenario
            .queues
            .iter()
            .map(|q| format!("service_level_{}", q.id)),
    );
    header.extend(
        [
            "worst_queue",
            "worst_interval",
            "worst_service_level",
            "understaffed_agent_hours",
            "days_below_target",
        ]
        .map(String::from),
    );
    header.extend(
        scenario
            .queues
            .iter()
            .map(|q| format!("reoptimized_service_level_{}", q.id)),
    );
    header.extend(["reoptimized_days_below_target", "changes", "cost_delta"].map(String::from));
    header
}

/// Writes `whatif.csv`: one row per variant (see [`whatif_header`]); the service levels and
/// worst interval are those of the roster kept as published, the `reoptimized_*` columns those
/// after re-optimisation.
pub fn write_whatif_csv<W: Write>(
    writer: W,
    scenario: &Scenario,
    outcomes: &[VariantOutcome],
) -> Result<()> {
    let records = outcomes.iter().map(|outcome| row(scenario, outcome));
    write_records(writer, "whatif.csv", whatif_header(scenario), records)
}

/// The same content as `whatif.csv` as an aligned text table.
pub fn format_table(scenario: &Scenario, outcomes: &[VariantOutcome]) -> String {
    let mut header = vec!["variant".to_string()];
    header.extend(scenario.queues.iter().map(|q| format!("SL {}", q.id)));
    header.extend(
        [
            "worst interval",
            "worst SL",
            "short agent-h",
            "days < target",
            "changes",
            "cost Δ",
        ]
        .map(String::from),
    );
    let horizon = &scenario.horizon;
    let mut rows = vec![header];
    for outcome in outcomes {
        let e = &outcome.evaluation;
        let mut cells = vec![outcome.name.clone()];
        for queue in &e.queues {
            let kept = queue
                .week
                .map_or_else(|| "-".into(), |v| format!("{:.1}%", v * 100.0));
            let re = outcome.reoptimized.as_ref().and_then(|r| {
                r.queues
                    .iter()
                    .find(|x| x.queue == queue.queue)
                    .and_then(|x| x.week)
            });
            cells.push(match re {
                Some(v) => format!("{kept} → {:.1}%", v * 100.0),
                None => kept,
            });
        }
        let worst = e.worst_interval();
        cells.push(worst.map_or_else(
            || "-".into(),
            |w| {
                format!(
                    "{} {}",
                    e.queues[w.queue].queue,
                    horizon.local_start(w.interval).format("%a %Y-%m-%d %H:%M")
                )
            },
        ));
        cells.push(worst.map_or_else(
            || "-".into(),
            |w| format!("{:.1}%", w.service_level * 100.0),
        ));
        cells.push(format!("{:.1}", e.understaffed_agent_hours()));
        cells.push(days_below_target(e).to_string());
        cells.push(if outcome.changes.is_empty() {
            "-".into()
        } else {
            outcome.changes.len().to_string()
        });
        // + 0.0 turns a negative zero into zero.
        cells.push(format!("{:+.2}", outcome.cost_delta + 0.0));
        rows.push(cells);
    }
    let widths: Vec<usize> = (0..rows[0].len())
        .map(|c| rows.iter().map(|r| r[c].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        let line: Vec<String> = r
            .iter()
            .zip(&widths)
            .enumerate()
            .map(|(c, (cell, w))| {
                let pad = w - cell.chars().count();
                if c == 0 {
                    format!("{cell}{}", " ".repeat(pad))
                } else {
                    format!("{}{cell}", " ".repeat(pad))
                }
            })
            .collect();
        out.push_str(line.join("  ").trim_end());
        out.push('\n');
    }
    out
}
