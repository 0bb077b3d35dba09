//! The command line: one file per subcommand. `main` parses arguments with clap, runs the
//! command and maps errors to exit codes: 0 success, 1 a check found violations, 2 bad input
//! or usage.

mod check;
mod common;
mod erlang;
mod evaluate;
pub mod explain;
mod forecast;
mod roster;
mod run;
mod schedule;
mod simulate;
mod staff;
mod sweep;
mod whatif;

use clap::{Parser, Subcommand};

use crate::error::{CodeInfo, Error};

/// Error codes owned by the command line.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "E1001",
        title: "invalid number argument",
        explanation: "A numeric flag such as --volume or --agents is not a finite number in \
                      range: volume 0 to 10,000,000 contacts per interval, agents 0 to 1,000,000.",
    },
    CodeInfo {
        code: "E1002",
        title: "invalid duration argument",
        explanation: "Duration flags (--interval, --aht, --asa, --patience) take a unit: 30m, \
                      180s, 1h30m. The interval must be between 1 minute and 1 day.",
    },
    CodeInfo {
        code: "E1003",
        title: "invalid service-level target",
        explanation: "--sl takes SHARE/SECONDS: 80/20 means 80 % of contacts answered within 20 \
                      seconds. The share is between 0 and 100 exclusive.",
    },
    CodeInfo {
        code: "E1004",
        title: "fraction out of range",
        explanation: "--shrinkage is in [0, 1) (0.3 or 30%); --max-occupancy is in (0, 1].",
    },
    CodeInfo {
        code: "E1005",
        title: "invalid concurrency",
        explanation: "--concurrency is the number of chats an agent handles at once, 1 to 20.",
    },
    CodeInfo {
        code: "E1006",
        title: "targets cannot be met",
        explanation: "No number of agents reaches the targets given (for example an ASA target \
                      of 0 seconds). Loosen a target.",
    },
    CodeInfo {
        code: "E1007",
        title: "unknown error code",
        explanation: "staffplan explain takes a code printed by staffplan, such as S1002. Run \
                      `staffplan explain --list` for all codes.",
    },
];

/// staffplan: the cheapest roster that meets the service-level target.
#[derive(Debug, Parser)]
#[command(
    name = "staffplan",
    version,
    about = "Contact-center workforce management: forecast, Erlang staffing, shift scheduling, rosters",
    after_help = "Examples:\n  staffplan erlang --volume 100 --interval 30m --aht 180s --sl 80/20\n  \
                  staffplan staff scenarios/small-call-center.toml -o out/requirements.csv\n  \
                  staffplan schedule scenarios/reference-week.toml --out out/week\n  \
                  staffplan explain S1002"
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// The whole pipeline: forecast, staffing, shifts, roster, evaluation, what-if, report.
    Run(run::Args),
    /// Quick Erlang calculator: agents needed for one interval, or the service of a given staffing.
    Erlang(erlang::Args),
    /// Interval volume forecast from history (method chosen by backtest), or its accuracy table.
    Forecast(forecast::Args),
    /// Required agents per interval per queue for a scenario (requirements.csv).
    Staff(staff::Args),
    /// Cheapest week of shifts with breaks covering the requirement (shifts.csv, coverage.csv, summary.json).
    Schedule(schedule::Args),
    /// Long help for an error code.
    Explain(explain::Args),
    /// Named agents on the scheduled shifts (roster.csv for HR, calendars, hours per agent).
    Roster(roster::Args),
    /// Re-verify a roster.csv against every rule of the scenario (exit 1 on any violation).
    Check(check::Args),
    /// Predicted service of a roster per interval (coverage.csv, summary.json).
    Evaluate(evaluate::Args),
    /// Discrete-event simulation of a roster next to the Erlang prediction.
    Simulate(simulate::Args),
    /// What-if variants of a roster: absences, volume shocks, training; Monte Carlo risk.
    Whatif(whatif::Args),
    /// One scenario at every combination of a few values, each a whole run; the cost–service
    /// frontier (frontier.csv, frontier.html).
    Sweep(sweep::Args),
}

/// Prints every diagnostic of `error` on its own line to stderr.
pub(crate) fn report(error: &Error) {
    for diagnostic in error.diagnostics() {
        eprintln!("error: {diagnostic}");
    }
}

/// Exit code for an error: 2 for bad input; 2 as well for I/O (a path the user gave).
pub(crate) fn exit_code(_error: &Error) -> i32 {
    2
}

/// Runs the command line and returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() { 2 } else { 0 };
        }
    };
    let result = match cli.command {
        Command::Run(args) => run::run(args),
        Command::Erlang(args) => erlang::run(args),
        Command::Forecast(args) => forecast::run(args),
        Command::Staff(args) => staff::run(args),
        Command::Schedule(args) => schedule::run(args),
        Command::Explain(args) => explain::run(args),
        Command::Check(args) => check::run(args),
        Command::Roster(args) => roster::run(args),
        Command::Evaluate(args) => evaluate::run(args),
        Command::Simulate(args) => simulate::run(args),
        Command::Whatif(args) => whatif::run(args),
        Command::Sweep(args) => sweep::run(args),
    };
    match result {
        Ok(code) => code,
        Err(error) => {
            report(&error);
            exit_code(&error)
        }
    }
}
