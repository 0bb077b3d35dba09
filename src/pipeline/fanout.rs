//! Many independent runs of the one pipeline: several scenarios (`staffplan run A B ...`) and
//! sweeps over scenario values (`staffplan sweep S --vary KEY=V1,V2 ...`), as tasks on one
//! rayon pool, each written to its own folder exactly as a single run writes it; the
//! cost–service frontier of a sweep (`frontier.csv`, `frontier.html`); and shards (`--shard
//! K/N`) so that a batch engine can spread the tasks over machines and `--collect` can
//! assemble the frontier from the folders alone.
//!
//! Tasks are independent and results are collected in input order, so the files do not
//! depend on the number of threads or on timing. A solve's own parallel parts run on the same
//! pool (work stealing), so nesting never oversubscribes it.

use std::path::{Path, PathBuf};

use rayon::prelude::*;
use serde_json::Value;

use super::outputs::{Files, write_outputs};
use super::{Pipeline, Settings};
use crate::csvio::write_records;
use crate::error::{CodeInfo, Diagnostic, Error, Result};
use crate::report::{Frontier, FrontierPoint};
use crate::scenario::Scenario;
use crate::units::{format_number, parse_change, parse_fraction};

/// Error codes owned by the fan-out (prefix `R`, for runs).
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "R1001",
        title: "unknown sweep key",
        explanation: "--vary takes KEY=V1,V2,... where KEY is QUEUE_ID.FIELD (a [[queue]] key such \
                      as voice.service_level, voice.answer_within, voice.shrinkage, voice.aht), \
                      plan.FIELD (a [plan] key) or volume (a percentage of the forecast: 90%, or \
                      a change: +10%). The queue id must be one of the scenario's.",
    },
    CodeInfo {
        code: "R1002",
        title: "invalid sweep value",
        explanation: "A value of --vary is not valid for its key: the scenario refuses it (wrong \
                      type or out of range, e.g. voice.service_level=1.5), or a volume that is \
                      not a percentage. The message gives the scenario's own reason.",
    },
    CodeInfo {
        code: "R1003",
        title: "invalid shard",
        explanation: "--shard K/N runs the K-th of N shares of the tasks: 1 <= K <= N, e.g. \
                      --shard 1/4 ... --shard 4/4 (a Kubernetes indexed Job or a Slurm array \
                      passes its index + 1 as K).",
    },
    CodeInfo {
        code: "R1004",
        title: "sweep points missing",
        explanation: "--collect builds frontier.csv and frontier.html from the points' folders \
                      under --out; some have no summary.json yet. Run the missing shards (the \
                      message names the points), then collect again.",
    },
    CodeInfo {
        code: "R1005",
        title: "two scenarios write the same folder",
        explanation: "staffplan run A.toml B.toml --out DIR writes each scenario to DIR/<file \
                      stem>; two files with the same stem (a/x.toml and b/x.toml) would write the \
                      same folder. Rename one.",
    },
];

/// One `--vary KEY=V1,V2,...`.
#[derive(Debug, Clone, PartialEq)]
pub struct Vary {
    /// The key as written.
    pub key: String,
    /// Values in the order given.
    pub values: Vec<String>,
}

/// Parses `KEY=V1,V2,...` against the scenario (R1001 for an unknown key).
pub fn parse_vary(text: &str, scenario: &Scenario) -> std::result::Result<Vary, Diagnostic> {
    let bad = |cause: String| {
        Diagnostic::new(
            "R1001",
            format!("--vary {}", crate::error::echo(text)),
            cause,
            "write KEY=V1,V2 with KEY one of QUEUE_ID.FIELD, plan.FIELD, volume (see `staffplan \
             explain R1001`)",
        )
    };
    let (key, values) = text
        .split_once('=')
        .ok_or_else(|| bad("no '=' between the key and its values".into()))?;
    let key = key.trim();
    let values: Vec<String> = values
        .split(',')
        .map(|v| v.trim().to_string())
        .filter(|v| !v.is_empty())
        .collect();
    if values.is_empty() {
        return Err(bad(format!("{key} has no values")));
    }
    match key.split_once('.') {
        None if key == "volume" => {}
        None => return Err(bad(format!("unknown key {key:?}"))),
        Some(("plan", field)) if !field.is_empty() => {}
        Some((queue, field)) => {
            if scenario.queue(queue).is_none() {
                let known: Vec<&str> = scenario.queues.iter().map(|q| q.id.as_str()).collect();
                return Err(bad(format!(
                    "{queue:?} is not a queue of the scenario (queues: {})",
                    known.join(", ")
                )));
            }
            if field.is_empty() || field == "id" {
                return Err(bad(format!("{key:?} names no field of queue {queue}")));
            }
        }
    }
    Ok(Vary {
        key: key.to_string(),
        values,
    })
}

/// One point of a sweep: a value for every varied key.
#[derive(Debug, Clone, PartialEq)]
pub struct Point {
    /// `(key, value)` in the order of the `--vary` flags.
    pub values: Vec<(String, String)>,
}

impl Point {
    /// The point's folder name: `KEY=VALUE,KEY=VALUE`, with characters a file system or a
    /// shell would trip over replaced by `_`.
    pub fn name(&self) -> String {
        let text: Vec<String> = self
            .values
            .iter()
            .map(|(k, v)| format!("{k}={v}"))
            .collect();
        text.join(",")
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() || "._=,+%-".contains(c) {
                    c
                } else {
                    '_'
                }
            })
            .collect()
    }
}

/// Every combination of the values, the first `--vary` varying slowest.
pub fn cartesian(varies: &[Vary]) -> Vec<Point> {
    let mut points = vec![Point { values: Vec::new() }];
    for vary in varies {
        points = points
            .into_iter()
            .flat_map(|p| {
                vary.values.iter().map(move |v| {
                    let mut values = p.values.clone();
                    values.push((vary.key.clone(), v.clone()));
                    Point { values }
                })
            })
            .collect();
    }
    points
}

/// `--shard K/N`: the K-th (1-based) of N deterministic shares of the tasks.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shard {
    /// Which share, 1..=N.
    pub index: usize,
    /// How many shares.
    pub count: usize,
}

impl Shard {
    /// Parses `K/N` (R1003).
    pub fn parse(text: &str) -> Result<Shard> {
        let parsed = text.split_once('/').and_then(|(k, n)| {
            Some((
                k.trim().parse::<usize>().ok()?,
                n.trim().parse::<usize>().ok()?,
            ))
        });
        match parsed {
            Some((index, count)) if index >= 1 && index <= count => Ok(Shard { index, count }),
            _ => Err(Error::input(
                "R1003",
                format!("--shard {}", crate::error::echo(text)),
                "a shard is K/N with 1 <= K <= N",
                "write e.g. --shard 1/4 (the first of four shares)",
            )),
        }
    }

    /// Whether task `k` (0-based, input order) belongs to this share: every N-th task.
    pub fn owns(&self, k: usize) -> bool {
        k % self.count == self.index - 1
    }
}

/// The scenario of a point: the scenario file with the point's values written into it
/// (through the scenario's own validation), and the settings with the volume factor.
pub fn point_scenario(
    path: &Path,
    text: &str,
    point: &Point,
    settings: &Settings,
) -> Result<(Scenario, Settings)> {
    let mut document: toml::Table = text.parse().map_err(|e: toml::de::Error| {
        Error::input(
            "S1001",
            path.display().to_string(),
            e.message().to_string(),
            "",
        )
    })?;
    let mut settings = settings.clone();
    let invalid = |key: &str, value: &str, cause: String| {
        Error::input(
            "R1002",
            format!("--vary {key}={}", crate::error::echo(value)),
            cause,
            "give a value the scenario accepts for this key",
        )
    };
    for (key, value) in &point.values {
        if key == "volume" {
            let factor = if value.starts_with(['+', '-']) {
                parse_change(value).map(|c| 1.0 + c)
            } else {
                parse_fraction(value)
            };
            match factor {
                Ok(f) if f.is_finite() && f >= 0.0 => settings.volume_factor *= f,
                Ok(f) => {
                    return Err(invalid(
                        key,
                        value,
                        format!("volume factor {f} is negative"),
                    ));
                }
                Err(cause) => return Err(invalid(key, value, cause)),
            }
            continue;
        }
        let (table, field) = key.split_once('.').unwrap_or(("", key));
        let cell = toml_value(value);
        if table == "plan" {
            let plan = document
                .entry("plan")
                .or_insert_with(|| toml::Value::Table(toml::Table::new()));
            if let toml::Value::Table(plan) = plan {
                plan.insert(field.to_string(), cell);
            }
        } else if let Some(toml::Value::Array(queues)) = document.get_mut("queue") {
            for queue in queues.iter_mut() {
                if let toml::Value::Table(q) = queue
                    && q.get("id").and_then(toml::Value::as_str) == Some(table)
                {
                    q.insert(field.to_string(), cell.clone());
                }
            }
        }
    }
    let edited = toml::to_string(&document)
        .map_err(|e| Error::input("R1002", "--vary", e.to_string(), ""))?;
    let base_dir = path
        .parent()
        .map(Path::to_path_buf)
        .unwrap_or_else(|| PathBuf::from("."));
    match Scenario::from_toml(&edited, path, &base_dir) {
        Ok(scenario) => Ok((scenario, settings)),
        Err(Error::Input(list)) => {
            let values: Vec<String> = point
                .values
                .iter()
                .map(|(k, v)| format!("{k}={v}"))
                .collect();
            Err(Error::Input(
                list.into_iter()
                    .map(|d| {
                        Diagnostic::new(
                            "R1002",
                            format!("--vary {}", values.join(",")),
                            format!("{} ({}: {})", d.cause, d.code, d.place),
                            d.fix,
                        )
                    })
                    .collect(),
            ))
        }
        Err(other) => Err(other),
    }
}

/// A value as TOML: a number or a boolean when it reads as one, else a string.
fn toml_value(text: &str) -> toml::Value {
    if let Ok(i) = text.parse::<i64>() {
        toml::Value::Integer(i)
    } else if let Ok(f) = text.parse::<f64>() {
        toml::Value::Float(f)
    } else if let Ok(b) = text.parse::<bool>() {
        toml::Value::Boolean(b)
    } else {
        toml::Value::String(text.to_string())
    }
}

/// What one task ended with.
#[derive(Debug)]
pub struct TaskOutcome {
    /// Task name (scenario file stem or point name).
    pub name: String,
    /// Its folder.
    pub dir: PathBuf,
    /// The files written, or why nothing was.
    pub result: Result<Vec<PathBuf>>,
    /// Rules the independent checkers found broken.
    pub violations: Vec<String>,
}

/// Runs the whole pipeline of `scenario` into `dir`, as `staffplan run` does.
pub fn run_into(
    scenario: &Scenario,
    settings: Settings,
    dir: &Path,
) -> Result<(Vec<PathBuf>, Vec<String>)> {
    let inputs = scenario.input_files();
    crate::output::ensure_not_input(dir, &inputs)?;
    let pipeline = Pipeline::new(scenario, settings);
    let result = pipeline.run(&mut |_| {})?;
    let written = write_outputs(&pipeline, &result, dir, Files::ALL, inputs)?;
    Ok((written, result.violations()))
}

/// Runs `tasks` (name, folder, job) on the rayon pool, results in input order; `done` is
/// called as each finishes (for a progress bar).
pub fn run_tasks<F>(tasks: Vec<(String, PathBuf, F)>, done: &(dyn Fn() + Sync)) -> Vec<TaskOutcome>
where
    F: FnOnce(&Path) -> Result<(Vec<PathBuf>, Vec<String>)> + Send,
{
    tasks
        .into_par_iter()
        .map(|(name, dir, job)| {
            let outcome = job(&dir);
            done();
            let (result, violations) = match outcome {
                Ok((written, violations)) => (Ok(written), violations),
                Err(e) => (Err(e), Vec::new()),
            };
            TaskOutcome {
                name,
                dir,
                result,
                violations,
            }
        })
        .collect()
}

/// One row of a fan-out's table and of `frontier.csv`, read from a task's `summary.json`.
#[derive(Debug, Clone, PartialEq)]
pub struct FrontierRow {
    /// Task name.
    pub name: String,
    /// The varied values (sweeps), in `--vary` order.
    pub values: Vec<(String, String)>,
    /// Cost of the plan.
    pub cost: Option<f64>,
    /// Paid agent-hours.
    pub paid_agent_hours: Option<f64>,
    /// Per queue: `(queue, weekly SL, worst day SL, that day, weekly occupancy)`.
    pub queues: Vec<QueueFigures>,
    /// Solver status.
    pub status: String,
}

/// The service figures of one queue in a [`FrontierRow`].
#[derive(Debug, Clone, PartialEq)]
pub struct QueueFigures {
    /// Queue id.
    pub queue: String,
    /// Weekly service level.
    pub week: Option<f64>,
    /// The lowest daily service level.
    pub worst_day: Option<f64>,
    /// Its date.
    pub worst_date: Option<String>,
    /// Weekly occupancy.
    pub occupancy: Option<f64>,
}

impl FrontierRow {
    /// The row of a task from its `summary.json`.
    pub fn from_summary(name: &str, values: Vec<(String, String)>, summary: &Value) -> Self {
        let number = |key: &str| summary.get(key).and_then(Value::as_f64);
        let mut queues = Vec::new();
        if let Some(Value::Object(weekly)) = summary.get("service_level") {
            for (queue, week) in weekly {
                let (worst_date, worst_day) = summary["service_level_by_day"][queue]
                    .as_object()
                    .into_iter()
                    .flatten()
                    .filter_map(|(date, v)| v.as_f64().map(|v| (date.clone(), v)))
                    .fold(
                        (None, None),
                        |(date, low): (Option<String>, Option<f64>), (d, v)| {
                            if low.is_none_or(|l| v < l) {
                                (Some(d), Some(v))
                            } else {
                                (date, low)
                            }
                        },
                    );
                queues.push(QueueFigures {
                    queue: queue.clone(),
                    week: week.as_f64(),
                    worst_day,
                    worst_date,
                    occupancy: summary["occupancy"][queue].as_f64(),
                });
            }
        }
        FrontierRow {
            name: name.to_string(),
            values,
            cost: number("cost"),
            paid_agent_hours: number("paid_agent_hours"),
            queues,
            status: summary
                .get("status")
                .and_then(Value::as_str)
                .unwrap_or("-")
                .to_string(),
        }
    }
}

/// Reads a task folder's `summary.json`.
pub fn read_summary(dir: &Path) -> Result<Value> {
    let path = dir.join("summary.json");
    let text = std::fs::read_to_string(&path).map_err(|e| Error::io(&path, e))?;
    serde_json::from_str(&text).map_err(|e| {
        Error::input(
            "R1004",
            path.display().to_string(),
            format!("not a summary.json written by staffplan: {e}"),
            "run the point again",
        )
    })
}

/// Writes `frontier.csv`: the varied values, then `point,cost,paid_agent_hours,status` and per
/// queue `QUEUE_service_level,QUEUE_worst_day_service_level,QUEUE_worst_day,QUEUE_occupancy`.
pub fn write_frontier_csv<W: std::io::Write>(writer: W, rows: &[FrontierRow]) -> Result<()> {
    let keys: Vec<String> = rows
        .first()
        .map(|r| r.values.iter().map(|(k, _)| k.clone()).collect())
        .unwrap_or_default();
    let queues: Vec<String> = rows
        .first()
        .map(|r| r.queues.iter().map(|q| q.queue.clone()).collect())
        .unwrap_or_default();
    let mut header: Vec<String> = keys.clone();
    header.extend(["point", "cost", "paid_agent_hours", "status"].map(String::from));
    for q in &queues {
        header.extend([
            format!("{q}_service_level"),
            format!("{q}_worst_day_service_level"),
            format!("{q}_worst_day"),
            format!("{q}_occupancy"),
        ]);
    }
    let optional = |v: Option<f64>, d| v.map_or_else(String::new, |v| format_number(v, d));
    let records = rows.iter().map(|row| {
        let mut cells: Vec<String> = row.values.iter().map(|(_, v)| v.clone()).collect();
        cells.push(row.name.clone());
        cells.push(optional(row.cost, 2));
        cells.push(optional(row.paid_agent_hours, 2));
        cells.push(row.status.clone());
        for q in &row.queues {
            cells.push(optional(q.week, 6));
            cells.push(optional(q.worst_day, 6));
            cells.push(q.worst_date.clone().unwrap_or_default());
            cells.push(optional(q.occupancy, 6));
        }
        cells
    });
    write_records(writer, "frontier.csv", &header, records)
}

/// What `frontier.html` draws: every point with a cost, labelled with its values.
pub fn frontier_data(scenario: &Scenario, rows: &[FrontierRow]) -> Frontier {
    let queues: Vec<String> = scenario.queues.iter().map(|q| q.id.clone()).collect();
    Frontier {
        title: scenario.plan.name.clone(),
        targets: scenario
            .queues
            .iter()
            .map(|q| q.service.map(|s| s.fraction))
            .collect(),
        points: rows
            .iter()
            .filter_map(|r| {
                Some(FrontierPoint {
                    label: r
                        .values
                        .iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(", "),
                    cost: r.cost?,
                    paid_agent_hours: r.paid_agent_hours.unwrap_or(0.0),
                    service_level: queues
                        .iter()
                        .map(|q| r.queues.iter().find(|f| &f.queue == q).and_then(|f| f.week))
                        .collect(),
                })
            })
            .collect(),
        queues,
    }
}
