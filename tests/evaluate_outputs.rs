//! coverage.csv and summary.json of an evaluation.

mod whatif_support;

use staffplan::evaluate::{
    EvaluateOptions, Evaluator, GroupStaffing, SkillGroups, shift_presence, summary_json,
};
use staffplan::export::coverage_csv::{CoverageTable, write_coverage_csv};
use staffplan::schedule::{ScheduleInput, coverage_from_presence};
use whatif_support::*;

#[test]
fn coverage_csv_and_summary_json() {
    let scenario = voice_scenario(1, 60, "[queue.open]\ndaily = \"08:00-10:00\"");
    let volumes = constant_volumes(&scenario, &[100.0]);
    let roster = block_roster(&scenario, "voice", 7, 8 * 60, 10 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let staffing = GroupStaffing::from_presence(&presences, 1, scenario.horizon.len());
    let evaluator = Evaluator::new(
        &scenario,
        &groups,
        volumes,
        EvaluateOptions::default(),
        None,
    )
    .unwrap();
    let evaluation = evaluator.evaluate(&staffing);
    let csv = coverage_csv(&scenario, &evaluator, &staffing, &evaluation);
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(
        lines[0],
        "interval_start,local_start,queue,required_agents,required_on_shift,scheduled_agents,\
         on_break,shortfall,surplus,volume,service_level,asa_seconds,occupancy,abandon_rate,\
         on_queue_agents,evaluated_shortfall"
    );
    assert_eq!(lines.len(), 25);
    let sl = erlang_c_service_level(5.0, 7, 180.0, 20.0);
    let row8: Vec<&str> = lines[9].split(',').collect();
    assert_eq!(row8[0], "2026-11-23T08:00:00Z");
    assert_eq!(row8[5], "7");
    assert_eq!(row8[10], staffplan::units::format_number(sl, 4));
    // Closed at 07:00: no service level.
    assert_eq!(lines[8].split(',').nth(10), Some(""));
    let summary = summary_json(&scenario.horizon, &evaluation);
    let weekly = summary["service_level"]["voice"].as_f64().unwrap();
    assert!((weekly - sl).abs() < 1e-6);
    assert!(summary["service_level_by_day"]["voice"]["2026-11-23"].is_number());
    assert_eq!(summary["worst_interval"]["queue"], "voice");
}

/// An open interval without any agent has no finite ASA (every caller waits for ever): the
/// cell is empty, never `inf`; no cell of coverage.csv is `inf` or `NaN` (README, "CSV
/// formats").
#[test]
fn coverage_csv_never_writes_inf_or_nan() {
    let scenario = voice_scenario(1, 60, "[queue.open]\ndaily = \"08:00-10:00\"");
    let volumes = constant_volumes(&scenario, &[100.0]);
    // Agents from 08:00 to 09:00 only: the 09:00 interval is open with nobody on the queue.
    let roster = block_roster(&scenario, "voice", 7, 8 * 60, 9 * 60);
    let groups = SkillGroups::one_per_queue(&scenario);
    let presences = shift_presence(&roster, &[], &scenario.horizon, &groups).unwrap();
    let staffing = GroupStaffing::from_presence(&presences, 1, scenario.horizon.len());
    let evaluator = Evaluator::new(
        &scenario,
        &groups,
        volumes,
        EvaluateOptions::default(),
        None,
    )
    .unwrap();
    let evaluation = evaluator.evaluate(&staffing);
    let asa = evaluation.queues[0].intervals[9].asa_seconds;
    assert!(asa.is_some_and(f64::is_infinite), "{asa:?}");
    let csv = coverage_csv(&scenario, &evaluator, &staffing, &evaluation);
    let text = String::from_utf8(csv).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    let nine: Vec<&str> = lines[10].split(',').collect();
    assert_eq!(nine[0], "2026-11-23T09:00:00Z", "{text}");
    assert_eq!(nine[11], "", "asa_seconds with nobody on the queue: {text}");
    assert_eq!(
        nine[10], "0",
        "service_level with nobody on the queue: {text}"
    );
    for cell in text.split([',', '\n']) {
        assert!(
            !cell.eq_ignore_ascii_case("inf")
                && !cell.eq_ignore_ascii_case("-inf")
                && !cell.eq_ignore_ascii_case("nan"),
            "{text}"
        );
    }
    assert_eq!(staffplan::units::format_number(f64::INFINITY, 1), "");
    assert_eq!(staffplan::units::format_number(f64::NAN, 1), "");
}

/// coverage.csv of an evaluated roster, the plan's coverage recomputed from its presence.
fn coverage_csv(
    scenario: &staffplan::scenario::Scenario,
    evaluator: &Evaluator<'_>,
    staffing: &GroupStaffing,
    evaluation: &staffplan::evaluate::Evaluation,
) -> Vec<u8> {
    let required: Vec<Vec<u32>> = vec![
        evaluator.requirements()[0]
            .intervals
            .iter()
            .map(|r| r.scheduled_agents)
            .collect(),
    ];
    let input = ScheduleInput::new(scenario, required);
    let on_break = vec![
        staffing.on_shift[0]
            .iter()
            .zip(&staffing.on_queue[0])
            .map(|(s, q)| s - q)
            .collect(),
    ];
    let coverage = coverage_from_presence(&input, staffing.on_queue.clone(), on_break);
    let mut csv = Vec::new();
    write_coverage_csv(
        &mut csv,
        &CoverageTable {
            horizon: &scenario.horizon,
            queues: &input.queues,
            required_on_shift: &input.required,
            coverage: &coverage,
            evaluation: Some(evaluation),
        },
    )
    .unwrap();
    csv
}
