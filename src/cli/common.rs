//! What several subcommands parse or load the same way: the solver limit, the scenario with a
//! published roster, the exit code of a check.

use std::path::Path;
use std::time::Duration;

use crate::domain::Roster;
use crate::error::{Diagnostic, Diagnostics, Error, Result};
use crate::scenario::Scenario;
use crate::units::parse_duration;

/// Prints one warning on stderr: `warning: CODE place: cause; fix: ...`.
pub(crate) fn print_warning(warning: &Diagnostic) {
    eprintln!("warning: {warning}");
}

/// Prints the scenario's warnings (see [`Scenario::warnings`]) on stderr, one line each.
pub(crate) fn print_warnings(scenario: &Scenario) {
    for warning in &scenario.warnings {
        print_warning(warning);
    }
}

/// Loads the scenario and prints its warnings.
pub(crate) fn load_scenario(path: &Path) -> Result<Scenario> {
    let scenario = Scenario::load(path)?;
    print_warnings(&scenario);
    Ok(scenario)
}

/// `--time-limit`: a duration in (0, 1 day].
pub(crate) fn parse_time_limit(text: &str) -> Result<Duration> {
    parse_duration(text)
        .ok()
        .filter(|s| *s > 0.0 && *s <= 86_400.0)
        .map(Duration::from_secs_f64)
        .ok_or_else(|| {
            Error::input(
                "H2003",
                "--time-limit",
                format!(
                    "{} is not a duration in (0, 1 day]",
                    crate::error::echo(text)
                ),
                "write e.g. --time-limit 10s",
            )
        })
}

/// Loads the scenario and the published roster (`roster.csv`, or `slots.csv` for a plan
/// without named agents), collecting input problems in `errors` (W1011 when no roster is
/// given).
pub(crate) fn load_scenario_and_roster(
    scenario_path: &Path,
    roster_path: Option<&Path>,
    errors: &mut Diagnostics,
) -> Result<(Option<Scenario>, Option<Roster>)> {
    let scenario = errors.take(Scenario::load(scenario_path))?;
    if let Some(scenario) = &scenario {
        print_warnings(scenario);
    }
    let roster = match (roster_path, &scenario) {
        (Some(path), Some(scenario)) => {
            errors.take(crate::export::roster_csv::load_roster(path, scenario))?
        }
        (None, _) => {
            errors.push(
                "W1011",
                scenario_path.display().to_string(),
                "no roster to evaluate",
                "pass the published roster with --roster out/roster.csv (from `staffplan \
                 roster` or `staffplan run`; out/slots.csv for a plan without named agents)",
            );
            None
        }
        (Some(_), None) => None,
    };
    Ok((scenario, roster))
}

/// The scenario and roster once both are known to be good.
pub(crate) fn both(
    scenario: Option<Scenario>,
    roster: Option<Roster>,
) -> Result<(Scenario, Roster)> {
    match (scenario, roster) {
        (Some(scenario), Some(roster)) => Ok((scenario, roster)),
        _ => Err(Error::input(
            "W1011",
            "",
            "the scenario or the roster could not be read",
            "fix the problems reported above",
        )),
    }
}

/// The scenario and the published roster, every input problem reported at once.
pub(crate) fn scenario_and_roster(
    scenario_path: &Path,
    roster_path: &Path,
) -> Result<(Scenario, Roster)> {
    let mut errors = Diagnostics::new();
    let (scenario, roster) =
        load_scenario_and_roster(scenario_path, Some(roster_path), &mut errors)?;
    errors.check()?;
    both(scenario, roster)
}

/// Prints checker violations on stderr; exit code 1 when there are any.
pub(crate) fn report_violations<T: std::fmt::Display>(violations: &[T]) -> i32 {
    for violation in violations {
        eprintln!("error: checker: {violation}");
    }
    i32::from(!violations.is_empty())
}
