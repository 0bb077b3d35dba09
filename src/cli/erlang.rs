//! `staffplan erlang`: the quick calculator.

use serde::Serialize;

use crate::erlang::{self, Performance, QueueModel, Targets, Workload};
use crate::error::{Diagnostics, Error, Result};
use crate::staffing::scheduled_agents;
use crate::units::{format_duration, parse_duration, parse_fraction, parse_service_target};

/// Arguments of `staffplan erlang`.
#[derive(Debug, clap::Args)]
#[command(
    allow_negative_numbers = true,
    after_help = "Examples:\n  \
    staffplan erlang --volume 100 --interval 30m --aht 180s --sl 80/20\n  \
    staffplan erlang --volume 100 --interval 30m --aht 180s --sl 80/20 --shrinkage 0.3\n  \
    staffplan erlang --volume 100 --interval 30m --aht 3m --sl 80/20 --patience 5m --agents 14\n  \
    staffplan erlang --volume 300 --interval 30m --aht 6m --sl 80/60 --concurrency 3 --format json"
)]
pub struct Args {
    /// Contacts arriving in the interval.
    #[arg(long)]
    volume: String,
    /// Interval length, e.g. 30m.
    #[arg(long, default_value = "30m")]
    interval: String,
    /// Average handle time, e.g. 180s or 3m.
    #[arg(long)]
    aht: String,
    /// Service-level target SHARE/SECONDS, e.g. 80/20.
    #[arg(long, default_value = "80/20")]
    sl: String,
    /// Average-speed-of-answer ceiling, e.g. 30s.
    #[arg(long)]
    asa: Option<String>,
    /// Mean patience (Erlang A, with abandonment), e.g. 120s.
    #[arg(long)]
    patience: Option<String>,
    /// Contacts handled at once per agent (chat).
    #[arg(long, default_value = "1")]
    concurrency: String,
    /// Share of paid time off the queue, e.g. 0.3 or 30%.
    #[arg(long)]
    shrinkage: Option<String>,
    /// Occupancy cap, e.g. 0.85.
    #[arg(long = "max-occupancy")]
    max_occupancy: Option<String>,
    /// Evaluate this number of agents instead of searching the minimum.
    #[arg(long)]
    agents: Option<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: Format,
}

#[derive(Debug, Clone, Copy, clap::ValueEnum)]
enum Format {
    Table,
    Json,
}

/// The calculator's answer; also its JSON form.
#[derive(Debug, Serialize)]
struct Answer {
    model: &'static str,
    agents: u32,
    scheduled_agents: u32,
    service_level: f64,
    asa_seconds: Option<f64>,
    occupancy: f64,
    p_wait: f64,
    p_abandon: Option<f64>,
    traffic_erlangs: f64,
    meets_targets: bool,
}

struct Inputs {
    workload: Workload,
    model: QueueModel,
    targets: Targets,
    shrinkage: f64,
    agents: Option<u32>,
}

fn parse(args: &Args) -> Result<Inputs> {
    let mut errors = Diagnostics::new();
    let mut duration = |flag: &str, text: &str, low: f64, high: f64| -> Option<f64> {
        match parse_duration(text) {
            Ok(s) if s >= low && s <= high => Some(s),
            Ok(s) => {
                errors.push(
                    "E1002",
                    flag,
                    format!(
                        "{} ({}) is out of range",
                        crate::error::echo(text),
                        format_duration(s)
                    ),
                    format!(
                        "give {flag} between {} and {}",
                        format_duration(low),
                        format_duration(high)
                    ),
                );
                None
            }
            Err(cause) => {
                errors.push("E1002", flag, cause, format!("write e.g. {flag} 30m"));
                None
            }
        }
    };
    let interval = duration("--interval", &args.interval, 60.0, 86_400.0);
    let aht = duration("--aht", &args.aht, 1.0, 86_400.0);
    let asa = args
        .asa
        .as_deref()
        .and_then(|t| duration("--asa", t, 0.0, 86_400.0));
    let patience = args
        .patience
        .as_deref()
        .and_then(|t| duration("--patience", t, 1.0, 1e9));
    let volume = match args.volume.trim().parse::<f64>() {
        Ok(v) if v.is_finite() && (0.0..=crate::volume::MAX_VOLUME).contains(&v) => Some(v),
        _ => {
            errors.push(
                "E1001",
                "--volume",
                format!(
                    "{} is not a volume between 0 and 10000000",
                    crate::error::echo(&args.volume)
                ),
                "give the contacts per interval, e.g. --volume 100",
            );
            None
        }
    };
    let service = match parse_service_target(&args.sl) {
        Ok(target) => Some(target),
        Err(cause) => {
            errors.push("E1003", "--sl", cause, "write e.g. --sl 80/20");
            None
        }
    };
    let mut fraction = |flag: &str, text: Option<&str>, ok: fn(f64) -> bool, example: &str| {
        let text = text?;
        match parse_fraction(text) {
            Ok(f) if ok(f) => Some(f),
            Ok(f) => {
                errors.push(
                    "E1004",
                    flag,
                    format!("{} is out of range", crate::units::format_value(f)),
                    format!("write e.g. {flag} {example}"),
                );
                None
            }
            Err(cause) => {
                errors.push("E1004", flag, cause, format!("write e.g. {flag} {example}"));
                None
            }
        }
    };
    let shrinkage = fraction(
        "--shrinkage",
        args.shrinkage.as_deref(),
        |f| (0.0..1.0).contains(&f),
        "0.3",
    );
    let max_occupancy = fraction(
        "--max-occupancy",
        args.max_occupancy.as_deref(),
        |f| f > 0.0 && f <= 1.0,
        "0.85",
    );
    let concurrency = match args.concurrency.trim().parse::<u32>() {
        Ok(c) if (1..=20).contains(&c) => Some(c),
        _ => {
            errors.push(
                "E1005",
                "--concurrency",
                format!(
                    "{} is not a concurrency between 1 and 20",
                    crate::error::echo(&args.concurrency)
                ),
                "write e.g. --concurrency 3 for three chats at once",
            );
            None
        }
    };
    let agents = match args.agents.as_deref() {
        None => None,
        Some(text) => match text.trim().parse::<u32>() {
            Ok(n) if n <= 1_000_000 => Some(n),
            _ => {
                errors.push(
                    "E1001",
                    "--agents",
                    format!(
                        "{} is not a number of agents between 0 and 1000000",
                        crate::error::echo(text)
                    ),
                    "write e.g. --agents 14",
                );
                None
            }
        },
    };
    errors.check()?;
    let (Some(interval), Some(aht), Some(volume), Some((share, answer)), Some(concurrency)) =
        (interval, aht, volume, service, concurrency)
    else {
        return Err(Error::input(
            "E1001",
            "arguments",
            "invalid arguments",
            "see staffplan erlang --help",
        ));
    };
    Ok(Inputs {
        workload: Workload {
            volume,
            interval_seconds: interval,
            aht_seconds: aht,
        },
        model: QueueModel {
            patience_seconds: patience,
            concurrency,
        },
        targets: Targets {
            service_level: share,
            answer_seconds: answer,
            asa_seconds: asa,
            max_occupancy,
        },
        shrinkage: shrinkage.unwrap_or(0.0),
        agents,
    })
}

fn meets(performance: &Performance, targets: &Targets) -> bool {
    performance.service_level >= targets.service_level
        && targets
            .asa_seconds
            .is_none_or(|asa| performance.asa_seconds <= asa)
        && targets
            .max_occupancy
            .is_none_or(|cap| performance.occupancy <= cap)
}

/// Runs `staffplan erlang`.
pub fn run(args: Args) -> Result<i32> {
    let inputs = parse(&args)?;
    let agents = match inputs.agents {
        Some(n) => n,
        None => erlang::required_agents(&inputs.workload, &inputs.model, &inputs.targets)
            .ok_or_else(|| {
                Error::input(
                    "E1006",
                    "--sl/--asa/--max-occupancy",
                    "no number of agents meets these targets",
                    "loosen the service-level or ASA target",
                )
            })?,
    };
    let performance = erlang::evaluate(
        &inputs.workload,
        &inputs.model,
        inputs.targets.answer_seconds,
        agents,
    );
    let answer = Answer {
        model: if inputs.model.patience_seconds.is_some() {
            "erlang-a"
        } else {
            "erlang-c"
        },
        agents,
        scheduled_agents: scheduled_agents(agents, inputs.shrinkage),
        service_level: performance.service_level,
        asa_seconds: performance
            .asa_seconds
            .is_finite()
            .then_some(performance.asa_seconds),
        occupancy: performance.occupancy,
        p_wait: performance.p_wait,
        p_abandon: performance.p_abandon,
        traffic_erlangs: performance.traffic_erlangs,
        meets_targets: meets(&performance, &inputs.targets),
    };
    match args.format {
        Format::Json => {
            let text = serde_json::to_string_pretty(&answer)
                .map_err(|e| Error::io(std::path::Path::new("stdout"), std::io::Error::other(e)))?;
            println!("{text}");
        }
        Format::Table => print_table(&answer, &inputs),
    }
    Ok(0)
}

fn print_table(answer: &Answer, inputs: &Inputs) {
    let targets = &inputs.targets;
    let model = match inputs.model.patience_seconds {
        Some(p) => format!("Erlang A (mean patience {})", format_duration(p)),
        None => "Erlang C (no abandonment)".to_string(),
    };
    let chat = if inputs.model.concurrency > 1 {
        format!(", {} contacts at once per agent", inputs.model.concurrency)
    } else {
        String::new()
    };
    let how = if inputs.agents.is_some() {
        "as given"
    } else {
        "minimum meeting every target"
    };
    println!("{model}{chat}");
    println!("  traffic           {:.3} Erlangs", answer.traffic_erlangs);
    println!("  agents            {}  ({how})", answer.agents);
    if inputs.shrinkage > 0.0 {
        println!(
            "  scheduled agents  {}  (shrinkage {:.0} %)",
            answer.scheduled_agents,
            inputs.shrinkage * 100.0
        );
    }
    println!(
        "  service level     {:.3}  (target {:.0} % within {})",
        answer.service_level,
        targets.service_level * 100.0,
        format_duration(targets.answer_seconds)
    );
    match answer.asa_seconds {
        Some(asa) => println!("  ASA               {asa:.1} s"),
        None => println!("  ASA               unbounded (queue unstable)"),
    }
    println!("  occupancy         {:.3}", answer.occupancy);
    println!("  P(wait)           {:.3}", answer.p_wait);
    if let Some(p) = answer.p_abandon {
        println!("  P(abandon)        {p:.4}");
    }
    println!(
        "  targets           {}",
        if answer.meets_targets {
            "met"
        } else {
            "NOT met"
        }
    );
}
