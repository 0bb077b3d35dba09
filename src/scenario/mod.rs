//! Scenario files: raw TOML structs ([`raw`]) validated in one step into domain types that
//! cannot be invalid. Validation collects every problem before failing; each has a stable
//! code, the field path, the cause and the fix.
//!
//! ```toml
//! [plan]
//! name = "Small call center"
//! start = 2026-11-23
//! days = 7
//! interval_minutes = 30
//! time_zone = "America/Chicago"
//!
//! [[queue]]
//! id = "support"
//! channel = "voice"
//! aht = "4m30s"
//! service_level = 0.80
//! answer_within = "20s"
//! shrinkage = 0.30
//! forecast = "support.volume.csv"
//! [queue.open]
//! weekdays = "08:00-20:00"
//! sat = "09:00-17:00"
//! sun = "closed"
//! ```

pub mod agents;
pub mod hours;
pub mod raw;
pub mod shifts;
pub mod special_days;
pub mod toml_input;
pub mod whatif;

use std::path::{Path, PathBuf};

use chrono::NaiveDate;
use chrono_tz::Tz;

use crate::error::{CodeInfo, Diagnostic, Diagnostics, Error, Result};
use crate::time::{Horizon, parse_zone};
use crate::units::{parse_duration, parse_fraction};
pub use hours::OpeningHours;
use raw::{RawPlan, RawQueue, RawScenario};
pub use shifts::{BreakRule, ShiftRules, ShiftTemplate, SkillGroup, StartWindow};
pub use special_days::{SpecialDay, SpecialEffect};
use toml_input::{Segment, fields_of};

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "S1001",
        title: "TOML syntax error",
        explanation: "The scenario is not valid TOML. The message gives the line and column. \
                      Common causes: a string without quotes (aht = 180s instead of \
                      aht = \"180s\"), a missing closing bracket, a key given twice.",
    },
    CodeInfo {
        code: "S1002",
        title: "unknown key",
        explanation: "A key the scenario format does not know, usually a typo \
                      (service_levle, aht_seconds). Unknown keys are errors so that a typo never \
                      silently falls back to a default. The message suggests the closest key.",
    },
    CodeInfo {
        code: "S1003",
        title: "required field missing",
        explanation: "A field every scenario needs is absent, e.g. plan.start, plan.time_zone, a \
                      queue's id, channel or aht. Add it; the README lists every field.",
    },
    CodeInfo {
        code: "S1004",
        title: "value of the wrong type",
        explanation: "A value has the wrong TOML type, e.g. days = \"7\" (a string) instead of \
                      days = 7, or aht = 180 (a number) instead of aht = \"180s\". Durations are \
                      quoted strings with a unit; counts and fractions are bare numbers.",
    },
    CodeInfo {
        code: "S1005",
        title: "invalid duration",
        explanation: "Durations are strings with units: \"180s\", \"3m\", \"8h30m\", \"1.5h\". A \
                      bare number is refused because seconds and minutes are easy to confuse.",
    },
    CodeInfo {
        code: "S1006",
        title: "value must be positive",
        explanation: "Handle times, patience and response targets must be greater than zero; \
                      counts such as days must be at least 1.",
    },
    CodeInfo {
        code: "S1007",
        title: "fraction out of range",
        explanation: "Service-level shares are between 0 and 1 exclusive (0.8 or \"80%\"); \
                      shrinkage is in [0, 1) (0.3 = 30 % of paid time off the phones); maximum \
                      occupancy is in (0, 1].",
    },
    CodeInfo {
        code: "S1009",
        title: "invalid date",
        explanation: "Dates are ISO 8601 calendar dates: start = 2026-11-23 (TOML date) or \
                      start = \"2026-11-23\".",
    },
    CodeInfo {
        code: "S1010",
        title: "unsupported interval length",
        explanation: "plan.interval_minutes must be 5, 10, 15, 30 or 60 so that intervals tile \
                      every hour and every day.",
    },
    CodeInfo {
        code: "S1011",
        title: "plan length out of range",
        explanation: "plan.days must be between 1 and 366.",
    },
    CodeInfo {
        code: "S1012",
        title: "duplicate queue id",
        explanation: "Two [[queue]] entries have the same id. Ids name queues in every CSV; make \
                      them unique.",
    },
    CodeInfo {
        code: "S1013",
        title: "unknown channel",
        explanation: "channel must be \"voice\", \"chat\" or \"email\". Email covers any deferrable \
                      work (back office, tickets) that is measured by a response time, not by \
                      an answer time.",
    },
    CodeInfo {
        code: "S1014",
        title: "invalid concurrency",
        explanation: "concurrency is the number of chats an agent handles at once: an integer \
                      from 1 to 20, and only chat queues may set it above 1.",
    },
    CodeInfo {
        code: "S1015",
        title: "targets do not fit the channel",
        explanation: "Voice and chat queues need service_level and answer_within (e.g. 0.8 and \
                      \"20s\"). Email queues need response_within (e.g. \"4h\") and take no \
                      service_level: deferrable work is staffed by a backlog recursion, not \
                      Erlang.",
    },
    CodeInfo {
        code: "S1016",
        title: "invalid opening hours",
        explanation: "[queue.open] keys are mon..sun, weekdays, weekend or daily; values are \
                      \"08:00-20:00\", several windows \"08:00-12:00,13:00-17:00\", a window \
                      past midnight \"22:00-02:00\", \"24h\" or \"closed\".",
    },
    CodeInfo {
        code: "S1017",
        title: "volume source missing or doubled",
        explanation: "Each queue needs exactly one of forecast = \"file.csv\" (volume per \
                      interval) or history = \"file.csv\" (past volume to forecast from). Paths \
                      are relative to the scenario file.",
    },
    CodeInfo {
        code: "S1018",
        title: "no queues",
        explanation: "A scenario needs at least one [[queue]].",
    },
    CodeInfo {
        code: "S1019",
        title: "invalid identifier",
        explanation: "Ids appear in CSV files and file names: use letters, digits, '-', '_' or \
                      '.', at most 64 characters.",
    },
    CodeInfo {
        code: "S1021",
        title: "invalid service goal",
        explanation: "service_scope is \"interval\" (the default: every open interval meets \
                      the targets on its own), \"day\" or \"week\" (the volume-weighted service \
                      level, ASA and abandonment of each local day, or of the whole plan, meet \
                      them), for voice and chat queues. interval_floor (a share in (0, \
                      service_level]) applies with day or week scope only: no open interval \
                      below it. max_abandon_rate (a share in (0, 1)) needs a patience, since \
                      only Erlang A queues abandon. understaffing_cost and \
                      cost_per_shift_start price the interval plan: a scenario with a day or \
                      week scope does not take them.",
    },
    CodeInfo {
        code: "S1020",
        title: "value too large",
        explanation: "A value is beyond what any contact center plans with (e.g. an AHT over a \
                      day, min_agents over 100,000). It is almost certainly a unit mistake. \
                      Also: a scenario file over 64 MiB (it is hand-edited text; volumes \
                      belong in CSV files).",
    },
];

/// Channel of a queue.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    /// Phone calls: Erlang C, or Erlang A with patience.
    Voice,
    /// Chats: Erlang with concurrency.
    Chat,
    /// Deferrable work measured by a response time: backlog recursion.
    Email,
}

impl Channel {
    /// Lower-case name as written in scenarios.
    pub fn as_str(&self) -> &'static str {
        match self {
            Channel::Voice => "voice",
            Channel::Chat => "chat",
            Channel::Email => "email",
        }
    }
}

/// Service-level target: `fraction` answered within `answer_seconds`.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ServiceTarget {
    /// Share of contacts, in (0, 1).
    pub fraction: f64,
    /// Answer time in seconds.
    pub answer_seconds: f64,
}

/// Where a queue's volume comes from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum VolumeSource {
    /// A forecast CSV (`interval_start,queue,volume[,aht_seconds]`), path resolved.
    Forecast(PathBuf),
    /// A history CSV to forecast from, path resolved.
    History(PathBuf),
}

impl VolumeSource {
    /// The file path.
    pub fn path(&self) -> &Path {
        match self {
            VolumeSource::Forecast(p) | VolumeSource::History(p) => p,
        }
    }
}

/// A validated queue.
#[derive(Debug, Clone, PartialEq)]
pub struct Queue {
    /// Identifier used in CSVs.
    pub id: String,
    /// Display name (defaults to the id).
    pub name: String,
    /// Channel.
    pub channel: Channel,
    /// Configured average handle time in seconds (used when the volume file has none).
    pub aht_seconds: f64,
    /// Service-level target (voice and chat).
    pub service: Option<ServiceTarget>,
    /// Optional ASA ceiling in seconds.
    pub asa_target_seconds: Option<f64>,
    /// Optional occupancy cap.
    pub max_occupancy: Option<f64>,
    /// Shrinkage in [0, 1).
    pub shrinkage: f64,
    /// Mean patience (Erlang A) in seconds.
    pub patience_seconds: Option<f64>,
    /// Contacts handled at once per agent.
    pub concurrency: u32,
    /// Email response target in seconds (open time).
    pub response_within_seconds: Option<f64>,
    /// Minimum agents during opening hours (when volume is tiny).
    pub min_agents: u32,
    /// Opening hours in the plan's local time.
    pub opening_hours: OpeningHours,
    /// Volume source.
    pub volume_source: VolumeSource,
    /// Local dates on which the queue is closed all day (`[[special_day]]` marked closed).
    pub closed_dates: Vec<NaiveDate>,
    /// What the service-level, ASA and abandonment goals are judged over.
    pub service_scope: ServiceScope,
    /// With day or week scope: the service level no open interval may fall below.
    pub interval_floor: Option<f64>,
    /// Largest share of contacts abandoning (queues with a patience), over the scope.
    pub max_abandon_rate: Option<f64>,
    /// Money per agent-hour the plan leaves below the requirement: with it, coverage is soft
    /// (the plan covers an agent-hour only when that costs less); without, every coverable
    /// agent-hour of the requirement is covered.
    pub understaffing_cost: Option<f64>,
}

/// What a queue's service goals are judged over.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, serde::Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ServiceScope {
    /// Every open interval on its own (a headcount per interval).
    #[default]
    Interval,
    /// The volume-weighted service of each local day.
    Day,
    /// The volume-weighted service of the whole plan.
    Week,
}

impl ServiceScope {
    /// `interval`, `day` or `week`.
    pub fn as_str(self) -> &'static str {
        match self {
            ServiceScope::Interval => "interval",
            ServiceScope::Day => "day",
            ServiceScope::Week => "week",
        }
    }
}

/// The validated `[plan]`.
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    /// Display name.
    pub name: String,
    /// First local day.
    pub start_date: NaiveDate,
    /// Number of days.
    pub days: u32,
    /// Interval length in minutes.
    pub interval_minutes: u32,
    /// Site time zone.
    pub time_zone: Tz,
    /// Steady-state week (wraps around).
    pub cyclic: bool,
}

/// A validated scenario.
#[derive(Debug, Clone)]
pub struct Scenario {
    /// The scenario file (as given).
    pub path: PathBuf,
    /// Directory that relative paths are resolved against.
    pub base_dir: PathBuf,
    /// The plan.
    pub plan: Plan,
    /// The planning grid.
    pub horizon: Horizon,
    /// Queues in file order.
    pub queues: Vec<Queue>,
    /// Named agents, time off and rules (empty when the scenario names no agents).
    pub workforce: agents::Workforce,
    /// `[[special_day]]` adjustments of forecasts made from history.
    pub special_days: Vec<SpecialDay>,
    /// Shift templates, skill groups and scheduling limits.
    pub shifts: ShiftRules,
    /// `[[whatif]]` variants in file order.
    pub whatif: Vec<crate::domain::Variant>,
    /// What is suspicious but not wrong (a special day outside the plan, ...): printed by
    /// the commands as `warning: CODE place: cause; fix: ...`.
    pub warnings: Vec<Diagnostic>,
}

impl Scenario {
    /// Reads and validates a scenario file.
    pub fn load(path: &Path) -> Result<Scenario> {
        let text = crate::csvio::read_text_file(path, "S1020")?;
        let base_dir = path
            .parent()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| PathBuf::from("."));
        Self::from_toml(&text, path, &base_dir)
    }

    /// Validates scenario text; `path` is used in messages, `base_dir` to resolve CSV paths.
    pub fn from_toml(text: &str, path: &Path, base_dir: &Path) -> Result<Scenario> {
        let source = path.display().to_string();
        let raw: RawScenario = toml_input::parse_document(text, &source, known_keys)?;
        validate(raw, path, base_dir).map_err(|error| match error {
            // Field paths are prefixed with the file so every message names it.
            Error::Input(list) => Error::Input(
                list.into_iter()
                    .map(|mut d| {
                        if !d.place.starts_with(&source) {
                            d.place = format!("{source} {}", d.place);
                        }
                        d
                    })
                    .collect(),
            ),
            other => other,
        })
    }

    /// Input files this scenario reads (outputs must never overwrite them).
    pub fn input_files(&self) -> Vec<PathBuf> {
        let mut files = vec![self.path.clone()];
        files.extend(
            self.queues
                .iter()
                .map(|q| q.volume_source.path().to_path_buf()),
        );
        files.extend(self.workforce.files.iter().cloned());
        files
    }

    /// The queue with this id.
    pub fn queue(&self, id: &str) -> Option<&Queue> {
        self.queues.iter().find(|q| q.id == id)
    }
}

/// Accepted keys of the table at `path` (for "did you mean" suggestions).
fn known_keys(path: &[Segment]) -> &'static [&'static str] {
    let names: Vec<&str> = path
        .iter()
        .filter_map(|s| match s {
            Segment::Key(k) => Some(k.as_str()),
            Segment::Index(_) => None,
        })
        .collect();
    match names.as_slice() {
        [] => fields_of::<RawScenario>(),
        ["plan"] => fields_of::<RawPlan>(),
        ["queue"] => fields_of::<RawQueue>(),
        ["special_day"] => fields_of::<special_days::RawSpecialDay>(),
        ["whatif"] => fields_of::<whatif::RawWhatif>(),
        ["queue", "open"] | ["agent", "availability"] => &[
            "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "daily",
        ],
        ["agent"] => fields_of::<agents::RawAgent>(),
        ["rules"] => fields_of::<agents::RawRules>(),
        ["skill_group"] => fields_of::<shifts::RawSkillGroup>(),
        ["shift"] => fields_of::<shifts::RawShift>(),
        ["shift", "break"] => fields_of::<shifts::RawBreak>(),
        ["limits"] => fields_of::<shifts::RawLimits>(),
        _ => &[],
    }
}

/// Reads a TOML value that may be a number or a string fraction/percentage.
fn fraction_value(value: &toml::Value) -> std::result::Result<f64, String> {
    match value {
        toml::Value::Float(f) => Ok(*f),
        toml::Value::Integer(i) => Ok(*i as f64),
        toml::Value::String(s) => parse_fraction(s),
        other => Err(format!(
            "expected a number or \"NN%\", got {}",
            other.type_str()
        )),
    }
}

/// Checks that an id is safe for CSVs and file names.
pub fn check_id(id: &str) -> std::result::Result<(), String> {
    if id.is_empty() || id.len() > 64 {
        return Err(format!(
            "id {} must have 1 to 64 characters",
            crate::error::echo(id)
        ));
    }
    if !id
        .chars()
        .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(format!(
            "id {} may only contain letters, digits, '-', '_' and '.'",
            crate::error::echo(id)
        ));
    }
    Ok(())
}

/// True when two ids name the same thing: equal, or equal but for letter case (`S001` and
/// `s001`). HR, payroll and ACD systems, spreadsheets' lookups and case-insensitive file
/// systems take such ids as one, so ids must be unique ignoring case.
pub fn same_id(a: &str, b: &str) -> bool {
    a == b || a.to_lowercase() == b.to_lowercase()
}

/// The cause of an id given a second time at another place: `what` names the kind of id
/// ("agent id"), `id` is this spelling, `first` and `first_place` the spelling and place of the
/// first one. Both spellings and places are named when they differ in case.
pub fn duplicate_id_cause(what: &str, id: &str, first: &str, first_place: &str) -> String {
    use crate::error::echo;
    if id == first {
        format!("{what} {} is used twice (first at {first_place})", echo(id))
    } else {
        format!(
            "{what} {} differs only in case from {} at {first_place}; ids are compared ignoring \
             case (HR, payroll and ACD systems and file names treat them as one)",
            echo(id),
            echo(first)
        )
    }
}

/// Refuses (`H1015`) shift templates whose candidate shifts over the horizon exceed the
/// limit, before any is generated.
fn check_candidate_count(
    shifts: &ShiftRules,
    horizon: &Horizon,
    source: &str,
    errors: &mut Diagnostics,
) {
    let first_weekday =
        chrono::Datelike::weekday(&horizon.start_date()).num_days_from_monday() as usize;
    let counts = shifts.candidate_counts(horizon.days(), first_weekday);
    let total: u64 = counts.iter().sum();
    if total <= shifts.max_candidate_shifts {
        return;
    }
    let mut largest: Vec<(u64, &str)> = counts
        .iter()
        .zip(&shifts.templates)
        .map(|(&count, template)| (count, template.name.as_str()))
        .collect();
    largest.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(b.1)));
    let named: Vec<String> = largest
        .iter()
        .take(3)
        .map(|(count, name)| format!("{name} {count}"))
        .collect();
    errors.push(
        "H1015",
        format!("{source} [[shift]]"),
        format!(
            "{total} candidate shifts over {} days (largest: {}) exceed the limit of {}",
            horizon.days(),
            named.join(", "),
            shifts.max_candidate_shifts
        ),
        "use a larger start_step or narrower start windows, fewer templates or fewer days; or \
         raise [limits] max_candidate_shifts if the machine can take it",
    );
}

fn validate(raw: RawScenario, path: &Path, base_dir: &Path) -> Result<Scenario> {
    let mut errors = Diagnostics::new();
    let source = path.display().to_string();
    let plan = validate_plan(raw.plan, &mut errors);
    let raw_queue_ids: Vec<Option<String>> = raw.queue.iter().map(|q| q.id.clone()).collect();
    let shifts = shifts::validate_shifts(
        raw.skill_group,
        raw.shift,
        raw.limits,
        &raw_queue_ids,
        plan.as_ref().map(|p| p.interval_minutes),
        &mut errors,
    );
    let mut queues = validate_queues(raw.queue, &source, base_dir, &mut errors);
    check_cost_terms_with_goals(&queues, &shifts, &mut errors);
    let skill_groups: Vec<String> = shifts.skill_groups.iter().map(|g| g.id.clone()).collect();
    let templates: Vec<String> = shifts.templates.iter().map(|t| t.name.clone()).collect();
    let workforce = agents::validate(
        agents::RawWorkforce {
            agent: raw.agent,
            agents: raw.agents,
            time_off: raw.time_off,
            rules: raw.rules,
        },
        agents::PlanFacts {
            zone: plan.as_ref().map_or(chrono_tz::Tz::UTC, |p| p.time_zone),
            skill_groups: &skill_groups,
            templates: &templates,
        },
        base_dir,
        &mut errors,
    )?;
    let mut warnings = Vec::new();
    let special_days = special_days::validate_special_days(
        raw.special_day,
        special_days::SpecialDayContext {
            dates: plan.as_ref().map(|p| {
                let last = p.start_date + chrono::Duration::days(i64::from(p.days) - 1);
                (p.start_date, last)
            }),
            queues: &queues,
        },
        &mut errors,
        &mut warnings,
    );
    for warning in &mut warnings {
        warning.place = format!("{source} {}", warning.place);
    }
    let horizon = match &plan {
        Some(plan) => errors.take(Horizon::new(
            plan.start_date,
            plan.days,
            plan.interval_minutes,
            plan.time_zone,
        ))?,
        None => None,
    };
    if let Some(horizon) = &horizon {
        check_candidate_count(&shifts, horizon, &source, &mut errors);
    }
    errors.check()?;
    mark_closed_dates(&mut queues, &special_days);
    match (plan, horizon) {
        (Some(plan), Some(horizon)) => {
            let mut scenario = Scenario {
                path: path.to_path_buf(),
                base_dir: base_dir.to_path_buf(),
                plan,
                horizon,
                queues,
                workforce,
                special_days,
                shifts,
                whatif: Vec::new(),
                warnings,
            };
            scenario.whatif = whatif::validate_whatif(raw.whatif, &scenario, &mut errors);
            errors.finish(scenario)
        }
        _ => Err(Error::input(
            "S1003",
            format!("{source} plan"),
            "the [plan] table is missing",
            "add [plan] with start, days, interval_minutes and time_zone",
        )),
    }
}

/// Validates the `[[queue]]` entries in file order; a queue whose id is taken is reported
/// (`S1012`) and kept.
fn validate_queues(
    raw_queues: Vec<RawQueue>,
    source: &str,
    base_dir: &Path,
    errors: &mut Diagnostics,
) -> Vec<Queue> {
    let mut queues = Vec::new();
    if raw_queues.is_empty() {
        errors.push(
            "S1018",
            source,
            "the scenario has no [[queue]]",
            "add at least one [[queue]] with id, channel, aht and a forecast or history file",
        );
    }
    let mut seen: Vec<(String, usize)> = Vec::new();
    for (index, raw_queue) in raw_queues.into_iter().enumerate() {
        if let Some(queue) = validate_queue(raw_queue, index, base_dir, errors) {
            if let Some((first, first_index)) = seen.iter().find(|(id, _)| same_id(id, &queue.id)) {
                errors.push(
                    "S1012",
                    format!("queue[{index}].id"),
                    duplicate_id_cause(
                        "queue id",
                        &queue.id,
                        first,
                        &format!("queue[{first_index}].id"),
                    ),
                    "give every queue a unique id (ignoring case)",
                );
            } else {
                seen.push((queue.id.clone(), index));
            }
            queues.push(queue);
        }
    }
    queues
}

/// Gives every queue the dates that `[[special_day]]` entries close for it.
fn mark_closed_dates(queues: &mut [Queue], special_days: &[SpecialDay]) {
    for queue in queues {
        queue.closed_dates = special_days
            .iter()
            .filter(|day| day.effect == SpecialEffect::Closed && day.applies_to(&queue.id))
            .map(|day| day.date)
            .collect();
    }
}

fn validate_plan(raw: Option<RawPlan>, errors: &mut Diagnostics) -> Option<Plan> {
    let Some(raw) = raw else {
        errors.push(
            "S1003",
            "plan",
            "the [plan] table is missing",
            "add [plan] with start, days, interval_minutes and time_zone",
        );
        return None;
    };
    let start_date = plan_start(raw.start.as_ref(), errors);
    let days = plan_days(raw.days, errors);
    let interval_minutes = plan_interval(raw.interval_minutes, errors);
    let time_zone = plan_time_zone(raw.time_zone.as_deref(), errors);
    Some(Plan {
        name: raw.name.unwrap_or_else(|| "staffplan".into()),
        start_date: start_date?,
        days: days?,
        interval_minutes: interval_minutes?,
        time_zone: time_zone?,
        cyclic: raw.cyclic.unwrap_or(false),
    })
}

/// `plan.start`: the first local day.
fn plan_start(value: Option<&toml::Value>, errors: &mut Diagnostics) -> Option<NaiveDate> {
    let Some(value) = value else {
        errors.push(
            "S1003",
            "plan.start",
            "missing start date",
            "add start = 2026-11-23 (the first local day of the plan)",
        );
        return None;
    };
    match date_value(value) {
        Ok(date) => Some(date),
        Err(cause) => {
            errors.push(
                "S1009",
                "plan.start",
                cause,
                "write start = 2026-11-23 (YYYY-MM-DD)",
            );
            None
        }
    }
}

/// `plan.days`: 1 to 366.
fn plan_days(value: Option<i64>, errors: &mut Diagnostics) -> Option<u32> {
    match value {
        None => {
            errors.push(
                "S1003",
                "plan.days",
                "missing number of days",
                "add days = 7",
            );
            None
        }
        Some(d) if (1..=366).contains(&d) => Some(d as u32),
        Some(d) => {
            errors.push(
                "S1011",
                "plan.days",
                format!("days must be between 1 and 366 (got {d})"),
                "plan a horizon of 1 to 366 days, e.g. days = 7",
            );
            None
        }
    }
}

/// `plan.interval_minutes`: one of the lengths that tile every hour.
fn plan_interval(value: Option<i64>, errors: &mut Diagnostics) -> Option<u32> {
    match value {
        None => {
            errors.push(
                "S1003",
                "plan.interval_minutes",
                "missing interval length",
                "add interval_minutes = 15 (or 5, 10, 30, 60)",
            );
            None
        }
        Some(m) if crate::time::ALLOWED_INTERVAL_MINUTES.contains(&(m as u32)) && m > 0 => {
            Some(m as u32)
        }
        Some(m) => {
            errors.push(
                "S1010",
                "plan.interval_minutes",
                format!("interval of {m} minutes is not supported"),
                "use 5, 10, 15, 30 or 60",
            );
            None
        }
    }
}

/// `plan.time_zone`: an IANA zone name.
fn plan_time_zone(name: Option<&str>, errors: &mut Diagnostics) -> Option<Tz> {
    let Some(name) = name else {
        errors.push(
            "S1003",
            "plan.time_zone",
            "missing time zone",
            "add time_zone = \"America/New_York\" (an IANA zone name)",
        );
        return None;
    };
    match parse_zone(name) {
        Ok(zone) => Some(zone),
        Err(cause) => {
            errors.push(
                "T1001",
                "plan.time_zone",
                cause,
                "use an IANA zone name such as \"America/New_York\" or \"Europe/Lisbon\"",
            );
            None
        }
    }
}

/// Reads a date written as a TOML date or a `"YYYY-MM-DD"` string; the error is the cause.
fn date_value(value: &toml::Value) -> std::result::Result<NaiveDate, String> {
    let text = match value {
        toml::Value::Datetime(dt) => dt.to_string(),
        toml::Value::String(s) => s.clone(),
        other => other.to_string(),
    };
    NaiveDate::parse_from_str(text.trim(), "%Y-%m-%d")
        .map_err(|_| format!("{} is not a date", crate::error::echo(&text)))
}

/// The usual fix of a duration field: `write e.g. PLACE = "EXAMPLE"`.
fn example_fix(place: &str, example: &str) -> String {
    format!("write e.g. {place} = \"{example}\"")
}

/// Parses a duration in seconds, pushing `S1005` with `fix` when it cannot be read.
fn parse_duration_field(
    text: &str,
    place: &str,
    fix: &str,
    errors: &mut Diagnostics,
) -> Option<f64> {
    match parse_duration(text) {
        Ok(seconds) => Some(seconds),
        Err(cause) => {
            errors.push("S1005", place, cause, fix);
            None
        }
    }
}

/// Reads a required or optional positive duration field, pushing diagnostics.
fn duration_field(
    value: Option<&str>,
    place: &str,
    max_seconds: f64,
    example: &str,
    errors: &mut Diagnostics,
) -> Option<f64> {
    let text = value?;
    let fix = example_fix(place, example);
    let seconds = parse_duration_field(text, place, &fix, errors)?;
    if seconds <= 0.0 {
        errors.push(
            "S1006",
            place,
            format!("{} must be longer than zero", crate::error::echo(text)),
            fix,
        );
        None
    } else if seconds > max_seconds {
        errors.push(
            "S1020",
            place,
            format!(
                "{} is longer than {} — likely a unit mistake",
                crate::error::echo(text),
                crate::units::format_duration(max_seconds)
            ),
            fix,
        );
        None
    } else {
        Some(seconds)
    }
}

/// Reads a fraction field and checks its range; `low_open`/`high_open` say whether the bounds
/// are excluded.
fn fraction_field(
    value: Option<&toml::Value>,
    place: &str,
    range: (f64, f64),
    open: (bool, bool),
    meaning: &str,
    errors: &mut Diagnostics,
) -> Option<f64> {
    let value = value?;
    match fraction_value(value) {
        Err(cause) => {
            errors.push("S1004", place, cause, format!("write {meaning}"));
            None
        }
        Ok(f) if !f.is_finite() => {
            errors.push(
                "S1007",
                place,
                format!("{} is not a finite number", crate::units::format_value(f)),
                format!("write {meaning}"),
            );
            None
        }
        Ok(f) => {
            let low_ok = if open.0 { f > range.0 } else { f >= range.0 };
            let high_ok = if open.1 { f < range.1 } else { f <= range.1 };
            if low_ok && high_ok {
                Some(f)
            } else {
                let (l, h) = (
                    if open.0 { "(" } else { "[" },
                    if open.1 { ")" } else { "]" },
                );
                errors.push(
                    "S1007",
                    place,
                    format!(
                        "{} is outside {l}{}, {}{h}",
                        crate::units::format_value(f),
                        range.0,
                        range.1
                    ),
                    format!("write {meaning}"),
                );
                None
            }
        }
    }
}

/// Durations and fractions of a `[[queue]]` as read, before the channel's targets are checked.
struct QueueMeasures {
    aht_seconds: Option<f64>,
    service_fraction: Option<f64>,
    answer_seconds: Option<f64>,
    asa_target_seconds: Option<f64>,
    max_occupancy: Option<f64>,
    shrinkage: f64,
    patience_seconds: Option<f64>,
    response_within_seconds: Option<f64>,
}

fn validate_queue(
    raw: RawQueue,
    index: usize,
    base_dir: &Path,
    errors: &mut Diagnostics,
) -> Option<Queue> {
    let at = |field: &str| format!("queue[{index}].{field}");
    let before = errors.len();
    let id = queue_id(raw.id.as_deref(), &at, errors);
    let channel = queue_channel(raw.channel.as_deref(), &at, errors);
    let measures = validate_queue_measures(&raw, &at, errors);
    let concurrency = queue_concurrency(raw.concurrency, &at, errors);
    let min_agents = queue_min_agents(raw.min_agents, &at, errors);
    let opening_hours = queue_opening_hours(raw.open.as_ref(), index, errors);
    let volume_source = queue_volume_source(&raw, index, base_dir, errors);
    let goals = validate_queue_goals(&raw, channel, &measures, &at, errors);
    let service = match channel {
        Some(channel @ (Channel::Voice | Channel::Chat)) => {
            validate_queue_service(channel, &raw, &measures, concurrency, &at, errors)
        }
        Some(Channel::Email) => {
            validate_email_targets(&raw, concurrency, &at, errors);
            None
        }
        None => None,
    };
    if errors.len() > before {
        return None;
    }
    let id = id?;
    Some(Queue {
        name: raw.name.unwrap_or_else(|| id.clone()),
        id,
        channel: channel?,
        aht_seconds: measures.aht_seconds?,
        service,
        asa_target_seconds: measures.asa_target_seconds,
        max_occupancy: measures.max_occupancy,
        shrinkage: measures.shrinkage,
        patience_seconds: measures.patience_seconds,
        concurrency,
        response_within_seconds: measures.response_within_seconds,
        min_agents,
        opening_hours,
        volume_source: volume_source?,
        closed_dates: Vec::new(),
        service_scope: goals.scope,
        interval_floor: goals.floor,
        max_abandon_rate: goals.max_abandon,
        understaffing_cost: goals.understaffing_cost,
    })
}

/// Cost terms (`understaffing_cost`, `cost_per_shift_start`) price the interval plan: they are
/// not combined with a day or week service scope in one scenario.
fn check_cost_terms_with_goals(queues: &[Queue], shifts: &ShiftRules, errors: &mut Diagnostics) {
    let Some(goal) = queues
        .iter()
        .find(|q| q.service_scope != ServiceScope::Interval)
    else {
        return;
    };
    let priced_queue = queues
        .iter()
        .position(|q| q.understaffing_cost.is_some())
        .map(|k| format!("queue[{k}].understaffing_cost"));
    let priced_start = shifts
        .templates
        .iter()
        .position(|t| t.cost_per_shift_start > 0.0)
        .map(|k| format!("shift[{k}].cost_per_shift_start"));
    if let Some(place) = priced_queue.or(priced_start) {
        errors.push(
            "S1021",
            place,
            format!(
                "queue {} plans for a {} service goal; understaffing and shift-start costs \
                 price the interval plan and are not combined with day or week goals",
                goal.id,
                if goal.service_scope == ServiceScope::Day {
                    "day"
                } else {
                    "week"
                }
            ),
            "remove the cost term, or plan every queue with service_scope = \"interval\"",
        );
    }
}

/// A queue's service goals as read.
struct QueueGoals {
    scope: ServiceScope,
    floor: Option<f64>,
    max_abandon: Option<f64>,
    understaffing_cost: Option<f64>,
}

/// `service_scope`, `interval_floor` and `max_abandon_rate` of a queue.
fn validate_queue_goals(
    raw: &RawQueue,
    channel: Option<Channel>,
    measures: &QueueMeasures,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> QueueGoals {
    let scope = match raw.service_scope.as_deref() {
        None | Some("interval") => ServiceScope::Interval,
        Some("day") => ServiceScope::Day,
        Some("week") => ServiceScope::Week,
        Some(other) => {
            errors.push(
                "S1021",
                at("service_scope"),
                format!("unknown service scope {}", crate::error::echo(other)),
                "use \"interval\", \"day\" or \"week\"",
            );
            ServiceScope::Interval
        }
    };
    if scope != ServiceScope::Interval && channel == Some(Channel::Email) {
        errors.push(
            "S1021",
            at("service_scope"),
            "an email queue is staffed to its response target interval by interval",
            "remove service_scope from the email queue",
        );
    }
    let target = measures.service_fraction;
    let floor = fraction_field(
        raw.interval_floor.as_ref(),
        &at("interval_floor"),
        (0.0, 1.0),
        (true, false),
        "the lowest service level any open interval may have, e.g. interval_floor = 0.5",
        errors,
    );
    let floor = match (floor, target) {
        (Some(f), Some(t)) if f > t + 1e-12 => {
            errors.push(
                "S1021",
                at("interval_floor"),
                format!(
                    "interval_floor {} is above the queue's service_level {}",
                    crate::units::format_value(f),
                    crate::units::format_value(t)
                ),
                "write a floor in (0, service_level], e.g. half the target",
            );
            None
        }
        (Some(_), _) if scope == ServiceScope::Interval => {
            errors.push(
                "S1021",
                at("interval_floor"),
                "interval_floor applies with service_scope \"day\" or \"week\" only (interval \
                 scope already holds every interval to the target)",
                "add service_scope = \"week\" (or \"day\"), or remove interval_floor",
            );
            None
        }
        (floor, _) => floor,
    };
    let max_abandon = fraction_field(
        raw.max_abandon_rate.as_ref(),
        &at("max_abandon_rate"),
        (0.0, 1.0),
        (true, true),
        "the largest share of contacts abandoning, e.g. max_abandon_rate = 0.05",
        errors,
    );
    if max_abandon.is_some() && measures.patience_seconds.is_none() {
        errors.push(
            "S1021",
            at("max_abandon_rate"),
            "an abandonment goal needs a patience: without one (Erlang C) nobody abandons",
            "add patience = \"2m\" (the callers' mean patience), or remove max_abandon_rate",
        );
    }
    let understaffing_cost = raw.understaffing_cost.as_ref().and_then(|value| {
        let place = at("understaffing_cost");
        let before = errors.len();
        let cost = crate::scenario::shifts::money_field(Some(value), &place, 0.0, errors);
        if errors.len() > before {
            None
        } else if cost <= 0.0 {
            errors.push(
                "H1010",
                place,
                "an understaffing cost of 0 makes every agent-hour of the requirement free to \
                 leave uncovered",
                "write the money a missing agent-hour costs, e.g. understaffing_cost = 60.0, or \
                 remove it to cover the requirement in full",
            );
            None
        } else if scope != ServiceScope::Interval {
            errors.push(
                "S1021",
                place,
                "understaffing_cost prices the interval requirement; with a day or week \
                 service_scope the plan meets the scope's goals instead",
                "remove understaffing_cost, or service_scope",
            );
            None
        } else {
            Some(cost)
        }
    });
    QueueGoals {
        scope,
        floor,
        max_abandon: max_abandon.filter(|_| measures.patience_seconds.is_some()),
        understaffing_cost,
    }
}

/// `queue.id`: required, safe for CSVs and file names.
fn queue_id(
    id: Option<&str>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<String> {
    let Some(id) = id else {
        errors.push("S1003", at("id"), "queue without id", "add id = \"sales\"");
        return None;
    };
    match check_id(id) {
        Ok(()) => Some(id.to_string()),
        Err(cause) => {
            errors.push("S1019", at("id"), cause, "use e.g. id = \"sales-voice\"");
            None
        }
    }
}

/// `queue.channel`: voice, chat or email.
fn queue_channel(
    channel: Option<&str>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<Channel> {
    match channel {
        None => {
            errors.push(
                "S1003",
                at("channel"),
                "missing channel",
                "add channel = \"voice\" (or \"chat\", \"email\")",
            );
            None
        }
        Some("voice") => Some(Channel::Voice),
        Some("chat") => Some(Channel::Chat),
        Some("email") => Some(Channel::Email),
        Some(other) => {
            errors.push(
                "S1013",
                at("channel"),
                format!("unknown channel {}", crate::error::echo(other)),
                "use \"voice\", \"chat\" or \"email\"",
            );
            None
        }
    }
}

/// The handle time, targets, occupancy cap, shrinkage and patience of a queue, each checked
/// on its own (whether they fit the channel is checked afterwards).
fn validate_queue_measures(
    raw: &RawQueue,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> QueueMeasures {
    const DAY: f64 = 86_400.0;
    if raw.aht.is_none() {
        errors.push(
            "S1003",
            at("aht"),
            "missing average handle time",
            "add aht = \"180s\"",
        );
    }
    let aht_seconds = duration_field(raw.aht.as_deref(), &at("aht"), DAY, "180s", errors);
    let service_fraction = fraction_field(
        raw.service_level.as_ref(),
        &at("service_level"),
        (0.0, 1.0),
        (true, true),
        "the share answered in time, e.g. service_level = 0.8 (80 %)",
        errors,
    );
    let answer_seconds =
        answer_within_field(raw.answer_within.as_deref(), &at("answer_within"), errors);
    let asa_target_seconds = duration_field(
        raw.asa_target.as_deref(),
        &at("asa_target"),
        DAY,
        "30s",
        errors,
    );
    let max_occupancy = fraction_field(
        raw.max_occupancy.as_ref(),
        &at("max_occupancy"),
        (0.0, 1.0),
        (true, false),
        "a cap such as max_occupancy = 0.85",
        errors,
    );
    let shrinkage = fraction_field(
        raw.shrinkage.as_ref(),
        &at("shrinkage"),
        (0.0, 1.0),
        (false, true),
        "the share of paid time off the queue, e.g. shrinkage = 0.3",
        errors,
    )
    .unwrap_or(0.0);
    let patience_seconds =
        duration_field(raw.patience.as_deref(), &at("patience"), DAY, "2m", errors);
    let response_within_seconds = duration_field(
        raw.response_within.as_deref(),
        &at("response_within"),
        30.0 * DAY,
        "4h",
        errors,
    );
    QueueMeasures {
        aht_seconds,
        service_fraction,
        answer_seconds,
        asa_target_seconds,
        max_occupancy,
        shrinkage,
        patience_seconds,
        response_within_seconds,
    }
}

/// `queue.answer_within`: the answer time of the service-level target, at most a day.
fn answer_within_field(value: Option<&str>, place: &str, errors: &mut Diagnostics) -> Option<f64> {
    let text = value?;
    let fix = "write e.g. answer_within = \"20s\"";
    let seconds = parse_duration_field(text, place, fix, errors)?;
    if seconds <= 86_400.0 {
        Some(seconds)
    } else {
        errors.push(
            "S1020",
            place,
            format!("{} is longer than a day", crate::error::echo(text)),
            fix,
        );
        None
    }
}

/// `queue.concurrency`: 1 to 20 contacts at once (default 1).
fn queue_concurrency(
    value: Option<i64>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> u32 {
    match value {
        None => 1,
        Some(c) if (1..=20).contains(&c) => c as u32,
        Some(c) => {
            errors.push(
                "S1014",
                at("concurrency"),
                format!("concurrency must be between 1 and 20 (got {c})"),
                "set concurrency = 1 for single-contact agents, e.g. 3 for chat",
            );
            1
        }
    }
}

/// `queue.min_agents`: 0 to 100,000 agents while open (default 1).
fn queue_min_agents(
    value: Option<i64>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> u32 {
    match value {
        None => 1,
        Some(m) if (0..=100_000).contains(&m) => m as u32,
        Some(m) => {
            errors.push(
                "S1020",
                at("min_agents"),
                format!("min_agents must be between 0 and 100000 (got {m})"),
                "set the minimum number of agents while open, e.g. min_agents = 1",
            );
            1
        }
    }
}

/// `[queue.open]`: opening hours (default: always open).
fn queue_opening_hours(
    table: Option<&std::collections::BTreeMap<String, String>>,
    index: usize,
    errors: &mut Diagnostics,
) -> OpeningHours {
    let Some(table) = table else {
        return OpeningHours::always();
    };
    match OpeningHours::parse(table) {
        Ok(hours) => hours,
        Err(list) => {
            for (key, cause) in list {
                errors.push(
                    "S1016",
                    format!("queue[{index}].open.{key}"),
                    cause,
                    "write e.g. weekdays = \"08:00-20:00\", sun = \"closed\"",
                );
            }
            OpeningHours::always()
        }
    }
}

/// `queue.forecast` or `queue.history`: exactly one, resolved against `base_dir`.
fn queue_volume_source(
    raw: &RawQueue,
    index: usize,
    base_dir: &Path,
    errors: &mut Diagnostics,
) -> Option<VolumeSource> {
    match (&raw.forecast, &raw.history) {
        (Some(f), None) => Some(VolumeSource::Forecast(base_dir.join(f))),
        (None, Some(h)) => Some(VolumeSource::History(base_dir.join(h))),
        (Some(_), Some(_)) => {
            errors.push(
                "S1017",
                format!("queue[{index}].forecast"),
                "both forecast and history are given",
                "keep one: forecast = \"volume.csv\" or history = \"history.csv\"",
            );
            None
        }
        (None, None) => {
            errors.push(
                "S1017",
                format!("queue[{index}]"),
                "no volume source",
                "add forecast = \"volume.csv\" or history = \"history.csv\" (relative to the \
                 scenario file)",
            );
            None
        }
    }
}

/// The targets of a voice or chat queue: a service level with its answer time, no email
/// response target, and (voice) one contact at a time.
fn validate_queue_service(
    channel: Channel,
    raw: &RawQueue,
    measures: &QueueMeasures,
    concurrency: u32,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<ServiceTarget> {
    let service = match (measures.service_fraction, measures.answer_seconds) {
        (Some(fraction), Some(answer_seconds)) => Some(ServiceTarget {
            fraction,
            answer_seconds,
        }),
        _ => {
            if raw.service_level.is_none() {
                errors.push(
                    "S1015",
                    at("service_level"),
                    format!("a {} queue needs a service-level target", channel.as_str()),
                    "add service_level = 0.8 and answer_within = \"20s\"",
                );
            }
            if raw.answer_within.is_none() {
                errors.push(
                    "S1015",
                    at("answer_within"),
                    format!(
                        "a {} queue needs the answer time of its target",
                        channel.as_str()
                    ),
                    "add answer_within = \"20s\"",
                );
            }
            None
        }
    };
    if raw.response_within.is_some() {
        errors.push(
            "S1015",
            at("response_within"),
            "response_within applies to email queues only",
            "remove it, or set channel = \"email\"",
        );
    }
    if channel == Channel::Voice && concurrency > 1 {
        errors.push(
            "S1014",
            at("concurrency"),
            format!("a voice queue cannot have concurrency {concurrency}"),
            "remove concurrency, or set channel = \"chat\"",
        );
    }
    service
}

/// The targets of an email queue: a response target only, one contact at a time.
fn validate_email_targets(
    raw: &RawQueue,
    concurrency: u32,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) {
    if raw.response_within.is_none() {
        errors.push(
            "S1015",
            at("response_within"),
            "an email queue needs a response target",
            "add response_within = \"4h\"",
        );
    }
    for (field, given) in [
        ("service_level", raw.service_level.is_some()),
        ("answer_within", raw.answer_within.is_some()),
        ("patience", raw.patience.is_some()),
        ("asa_target", raw.asa_target.is_some()),
    ] {
        if given {
            errors.push(
                "S1015",
                at(field),
                format!("{field} does not apply to email queues"),
                "remove it; email work is staffed to its response_within target",
            );
        }
    }
    if concurrency > 1 {
        errors.push(
            "S1014",
            at("concurrency"),
            "an email queue cannot have concurrency above 1",
            "remove concurrency",
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const GOOD: &str = r#"
[plan]
name = "t"
start = 2026-11-23
days = 7
interval_minutes = 30
time_zone = "America/Chicago"

[[queue]]
id = "support"
channel = "voice"
aht = "4m30s"
service_level = 0.8
answer_within = "20s"
forecast = "v.csv"
[queue.open]
weekdays = "08:00-20:00"
"#;

    fn load(text: &str) -> Result<Scenario> {
        Scenario::from_toml(text, Path::new("s.toml"), Path::new("dir"))
    }

    #[test]
    fn good_scenario_loads() {
        let scenario = load(GOOD).unwrap();
        assert_eq!(scenario.horizon.len(), 7 * 48);
        let queue = &scenario.queues[0];
        assert_eq!(queue.aht_seconds, 270.0);
        assert_eq!(
            queue.volume_source,
            VolumeSource::Forecast(PathBuf::from("dir/v.csv"))
        );
    }

    #[test]
    fn all_errors_are_reported_at_once() {
        let text = GOOD
            .replace("days = 7", "days = 0")
            .replace("\"America/Chicago\"", "\"America/Chicgo\"")
            .replace("aht = \"4m30s\"", "aht = \"-3m\"")
            .replace("service_level = 0.8", "service_level = 1.5");
        let codes = load(&text).unwrap_err().codes();
        for code in ["S1011", "T1001", "S1005", "S1007"] {
            assert!(codes.contains(&code), "{code} missing from {codes:?}");
        }
    }

    #[test]
    fn unknown_keys_are_located_and_suggested() {
        let text = GOOD.replace("answer_within", "answer_witin");
        let err = load(&text).unwrap_err();
        let diagnostic = &err.diagnostics()[0];
        assert_eq!(diagnostic.code, "S1002");
        assert!(
            diagnostic.place.starts_with("s.toml:14:1"),
            "{}",
            diagnostic.place
        );
        assert!(diagnostic.fix.contains("answer_within"));
    }

    #[test]
    fn syntax_errors_keep_line_and_column() {
        let text = GOOD.replace("aht = \"4m30s\"", "aht = 4m30s");
        let diagnostic = &load(&text).unwrap_err().diagnostics()[0];
        assert_eq!(diagnostic.code, "S1001");
        assert!(
            diagnostic.place.starts_with("s.toml:12:7"),
            "{}",
            diagnostic.place
        );
    }
}
