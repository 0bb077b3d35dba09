//! Named agents, their time off and the working-time rules: `[[agent]]` tables and/or an
//! `agents = "agents.csv"` file, `time_off = "time_off.csv"`, and `[rules]`.
//!
//! ```toml
//! agents = "agents.csv"          # and/or [[agent]] tables below
//! time_off = "time_off.csv"
//!
//! [rules]
//! min_rest = "11h"               # between the end of a shift and the next start
//! max_consecutive_days = 6
//! days_off_consecutive = true    # days off of a week in one block (Sun-Mon adjacent)
//! spread_weekends = true         # weekend shifts spread evenly (soft)
//!
//! [[agent]]
//! id = "A001"
//! name = "Ana Silva"
//! skills = ["voice", "chat"]     # skill groups (or queue ids when there are no groups)
//! site = "Lisbon"
//! time_zone = "Europe/Lisbon"    # default: the plan's zone
//! min_weekly_hours = 32
//! max_weekly_hours = 40
//! max_days_per_week = 5
//! max_consecutive_days = 5
//! preferred_shift = "early"
//! preferred_start = "08:00"
//! [agent.availability]           # local time of the agent; default: always
//! weekdays = "07:00-20:00"
//! sat = "09:00-14:00"
//! sun = "off"
//! ```
//!
//! `agents.csv` has the columns `id,name,skills,site,time_zone,min_weekly_hours,
//! max_weekly_hours,max_days_per_week,max_consecutive_days,preferred_shift,preferred_start`
//! and availability columns `mon`..`sun`, `weekdays`, `weekend`, `daily` (only `id` and
//! `skills` are required; skills are separated by `;`; an empty cell takes the default).
//! Availability: an agent without any is available around the clock; once any day is given,
//! the days not given are off (as with a queue's opening hours).
//!
//! `time_off.csv` has `agent_id,start,end,reason`: a date (`2026-11-24`, the whole day; as an
//! end, the day is included) or a local time in the agent's zone (`2026-11-24 13:00`), or a
//! timestamp with offset.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use chrono::{DateTime, Duration, NaiveDate, Utc};
use chrono_tz::Tz;
use serde::Deserialize;

use super::check_id;
use super::hours::OpeningHours;
use crate::domain::workforce::defaults;
use crate::domain::{Agent, Contract, Rules, TimeOff};
use crate::error::{CodeInfo, Diagnostics, Result};
use crate::time::{local_day_start, parse_timestamp, parse_zone};
use crate::units::{parse_clock, parse_duration};

/// Error codes owned by this module.
pub const CODES: &[CodeInfo] = &[
    CodeInfo {
        code: "A1001",
        title: "duplicate agent id",
        explanation: "Two agents (in [[agent]] tables, agents.csv, or both) have the same id. \
                      Ids identify agents in time_off.csv, roster.csv and calendars; make them \
                      unique.",
    },
    CodeInfo {
        code: "A1002",
        title: "agent id missing or invalid",
        explanation: "Every agent needs an id of letters, digits, '-', '_' or '.', starting \
                      with a letter or digit, at most 64 characters (e.g. A017 or ana.silva).",
    },
    CodeInfo {
        code: "A1003",
        title: "unknown skill group",
        explanation: "An agent's skills name a skill group the scenario does not define. Skills \
                      are [[skill_group]] ids, or queue ids when the scenario defines no skill \
                      groups. Fix the spelling or add the group. Every agent needs at least one \
                      skill.",
    },
    CodeInfo {
        code: "A1004",
        title: "contract minimum above maximum",
        explanation: "min_weekly_hours is larger than max_weekly_hours, so no roster can meet \
                      the contract. Swap or correct the values.",
    },
    CodeInfo {
        code: "A1005",
        title: "contract value out of range",
        explanation: "Weekly hours are between 0 and 168, max_days_per_week between 1 and 7, \
                      max_consecutive_days between 1 and 31, all plain numbers.",
    },
    CodeInfo {
        code: "A1006",
        title: "invalid availability",
        explanation: "Availability keys are mon..sun, weekdays, weekend or daily; values are \
                      \"08:00-20:00\", several windows \"08:00-12:00,13:00-17:00\", a window past \
                      midnight \"22:00-06:00\", \"24h\", or \"off\"/\"closed\". Times are the \
                      agent's local time.",
    },
    CodeInfo {
        code: "A1007",
        title: "time off for an unknown agent",
        explanation: "A time_off.csv row names an agent_id that is not among the agents. Fix \
                      the id or add the agent.",
    },
    CodeInfo {
        code: "A1008",
        title: "time off ends before it starts",
        explanation: "A time-off row's end is not after its start. A date as end includes that \
                      whole day: 2026-11-24,2026-11-24 is one day off.",
    },
    CodeInfo {
        code: "A1009",
        title: "agents or time-off file cannot be read",
        explanation: "agents.csv or time_off.csv is not a CSV with the expected header, or a \
                      row has a different number of cells than the header, or the file is over \
                      64 MiB. agents.csv needs at least id and skills; time_off.csv needs \
                      agent_id, start and end.",
    },
    CodeInfo {
        code: "A1010",
        title: "invalid rule",
        explanation: "[rules]: min_rest is a duration from 0 to 48h (\"11h\"), \
                      max_consecutive_days a number from 1 to 31, days_off_consecutive and \
                      spread_weekends true or false.",
    },
    CodeInfo {
        code: "A1011",
        title: "invalid preference",
        explanation: "preferred_start is a local clock time such as \"08:00\"; preferred_shift \
                      names a [[shift]] template.",
    },
    CodeInfo {
        code: "A1012",
        title: "unknown column",
        explanation: "agents.csv or time_off.csv has a column staffplan does not know, usually a \
                      typo. Unknown columns are errors so that a typo never silently falls back \
                      to a default.",
    },
    CodeInfo {
        code: "A1013",
        title: "agent never available",
        explanation: "An agent's availability is off on every day, so it can never be rostered. \
                      Give at least one window, or leave the agent out (time off covers \
                      absences).",
    },
    CodeInfo {
        code: "A1014",
        title: "no agents",
        explanation: "A roster needs named agents: add [[agent]] tables or agents = \
                      \"agents.csv\" to the scenario.",
    },
];

/// `[[agent]]`: one agent inline.
#[derive(Debug, Default, Deserialize)]
pub struct RawAgent {
    /// Identifier.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// Skill groups.
    pub skills: Option<Vec<String>>,
    /// Site label.
    pub site: Option<String>,
    /// IANA zone.
    pub time_zone: Option<String>,
    /// Contract minimum weekly paid hours.
    pub min_weekly_hours: Option<f64>,
    /// Contract maximum weekly paid hours.
    pub max_weekly_hours: Option<f64>,
    /// Maximum working days per week.
    pub max_days_per_week: Option<i64>,
    /// Maximum consecutive working days.
    pub max_consecutive_days: Option<i64>,
    /// Preferred shift template.
    pub preferred_shift: Option<String>,
    /// Preferred local start, `"08:00"`.
    pub preferred_start: Option<String>,
    /// Availability per weekday (local).
    pub availability: Option<BTreeMap<String, String>>,
}

/// `[rules]`.
#[derive(Debug, Default, Deserialize)]
pub struct RawRules {
    /// Minimum rest between shifts, `"11h"`.
    pub min_rest: Option<String>,
    /// Maximum consecutive working days.
    pub max_consecutive_days: Option<i64>,
    /// Days off of a week in one block.
    pub days_off_consecutive: Option<bool>,
    /// Spread weekend shifts evenly.
    pub spread_weekends: Option<bool>,
}

/// The raw workforce parts of a scenario.
#[derive(Debug, Default)]
pub struct RawWorkforce {
    /// `[[agent]]` tables.
    pub agent: Vec<RawAgent>,
    /// `agents = "agents.csv"`.
    pub agents: Option<String>,
    /// `time_off = "time_off.csv"`.
    pub time_off: Option<String>,
    /// `[rules]`.
    pub rules: Option<RawRules>,
}

/// Validated agents, time off and rules.
#[derive(Debug, Clone, Default)]
pub struct Workforce {
    /// Agents sorted by id.
    pub agents: Vec<Agent>,
    /// Site label per agent id (agents without a site are absent).
    pub sites: BTreeMap<String, String>,
    /// Time off sorted by agent id, then start.
    pub time_off: Vec<TimeOff>,
    /// Rules.
    pub rules: Rules,
    /// The CSV files read (inputs that outputs must never overwrite).
    pub files: Vec<PathBuf>,
}

impl Workforce {
    /// The agent with this id.
    pub fn agent(&self, id: &str) -> Option<&Agent> {
        self.agents
            .binary_search_by(|a| a.id.as_str().cmp(id))
            .ok()
            .map(|i| &self.agents[i])
    }
}

/// Plan facts the validation needs.
#[derive(Debug, Clone, Copy)]
pub struct PlanFacts<'a> {
    /// The plan's zone (default agent zone).
    pub zone: Tz,
    /// Skill groups agents may name.
    pub skill_groups: &'a [String],
    /// Shift templates agents may prefer (empty = not checked).
    pub templates: &'a [String],
}

/// One agent before validation, from TOML or CSV.
struct AgentFields {
    place: String,
    id: Option<String>,
    name: Option<String>,
    skills: Option<Vec<String>>,
    site: Option<String>,
    time_zone: Option<String>,
    min_weekly_hours: Option<std::result::Result<f64, String>>,
    max_weekly_hours: Option<std::result::Result<f64, String>>,
    max_days_per_week: Option<std::result::Result<i64, String>>,
    max_consecutive_days: Option<std::result::Result<i64, String>>,
    preferred_shift: Option<String>,
    preferred_start: Option<String>,
    availability: BTreeMap<String, String>,
}

/// Validates the workforce parts, reading CSV files relative to `base_dir`. Every problem is
/// pushed to `errors`.
pub fn validate(
    raw: RawWorkforce,
    plan: PlanFacts<'_>,
    base_dir: &Path,
    errors: &mut Diagnostics,
) -> Result<Workforce> {
    validate_with(
        raw,
        plan,
        base_dir,
        &|path| crate::csvio::read_text_file(path, "A1009"),
        errors,
    )
}

/// Validates agents and time off read from CSV texts instead of files (`agents.csv` and
/// `time_off.csv` as the places); used by the fuzz targets and tests. All problems are
/// collected into one error.
pub fn validate_csv_texts(
    agents_csv: &str,
    time_off_csv: &str,
    plan: PlanFacts<'_>,
) -> Result<Workforce> {
    let mut errors = Diagnostics::new();
    let raw = RawWorkforce {
        agent: Vec::new(),
        agents: Some("agents.csv".into()),
        time_off: Some("time_off.csv".into()),
        rules: None,
    };
    let read = |path: &Path| -> Result<String> {
        Ok(if path.ends_with("agents.csv") {
            agents_csv.to_string()
        } else {
            time_off_csv.to_string()
        })
    };
    let workforce = validate_with(raw, plan, Path::new(""), &read, &mut errors)?;
    errors.finish(workforce)
}

fn validate_with(
    raw: RawWorkforce,
    plan: PlanFacts<'_>,
    base_dir: &Path,
    read_file: &dyn Fn(&Path) -> Result<String>,
    errors: &mut Diagnostics,
) -> Result<Workforce> {
    let rules = validate_rules(raw.rules.unwrap_or_default(), errors);
    let mut fields = inline_agent_fields(raw.agent);
    let mut files = Vec::new();
    // When the agents file cannot be used at all, time off naming its agents is not reported
    // as "unknown agent" (the one real problem is the file).
    let mut agents_file_unusable = false;
    if let Some(name) = &raw.agents {
        let path = base_dir.join(name);
        match read_agents_file(&path, name, read_file, errors)? {
            Some(rows) => {
                agents_file_unusable = rows.is_empty();
                fields.extend(rows);
            }
            None => agents_file_unusable = true,
        }
        files.push(path);
    }
    let (agents, sites, seen) = validate_agents(fields, &plan, &rules, errors);
    let mut time_off = Vec::new();
    if let Some(name) = &raw.time_off {
        let path = base_dir.join(name);
        match read_file(&path) {
            Ok(text) => {
                time_off = read_time_off_csv(
                    &text,
                    &path.display().to_string(),
                    (!agents_file_unusable).then_some(&seen),
                    &agents,
                    plan.zone,
                    errors,
                );
            }
            Err(e) => errors.absorb(e)?,
        }
        files.push(path);
    }
    time_off
        .sort_by(|a: &TimeOff, b: &TimeOff| (&a.agent_id, a.start).cmp(&(&b.agent_id, b.start)));
    Ok(Workforce {
        agents,
        sites,
        time_off,
        rules,
        files,
    })
}

/// The `[[agent]]` tables as agent fields, placed `agent[INDEX]`.
fn inline_agent_fields(raw: Vec<RawAgent>) -> Vec<AgentFields> {
    raw.into_iter()
        .enumerate()
        .map(|(index, a)| AgentFields {
            place: format!("agent[{index}]"),
            id: a.id,
            name: a.name,
            skills: a.skills,
            site: a.site,
            time_zone: a.time_zone,
            min_weekly_hours: a.min_weekly_hours.map(Ok),
            max_weekly_hours: a.max_weekly_hours.map(Ok),
            max_days_per_week: a.max_days_per_week.map(Ok),
            max_consecutive_days: a.max_consecutive_days.map(Ok),
            preferred_shift: a.preferred_shift,
            preferred_start: a.preferred_start,
            availability: a.availability.unwrap_or_default(),
        })
        .collect()
}

/// The rows of the agents file `agents = NAME` at `path`, or `None` when it cannot be read
/// (a missing file is reported with every other problem of the scenario). A readable file
/// without rows or problems is `A1014`.
fn read_agents_file(
    path: &Path,
    name: &str,
    read_file: &dyn Fn(&Path) -> Result<String>,
    errors: &mut Diagnostics,
) -> Result<Option<Vec<AgentFields>>> {
    let before = errors.len();
    let text = match read_file(path) {
        Ok(text) => text,
        Err(e) => {
            errors.absorb(e)?;
            return Ok(None);
        }
    };
    let rows = read_agents_csv(&text, &path.display().to_string(), errors);
    if rows.is_empty() && errors.len() == before {
        errors.push(
            "A1014",
            path.display().to_string(),
            "the agents file lists no agents",
            format!(
                "add one row per agent under the header, or remove agents = {} to plan \
                 shifts without a roster",
                crate::error::echo(name)
            ),
        );
    }
    Ok(Some(rows))
}

/// Validates every agent (inline first, then the file's rows); an id given twice is `A1001`
/// and the second agent is skipped. Returns the valid agents sorted by id, their sites, and
/// the place where each id was first given (valid or not).
fn validate_agents(
    fields: Vec<AgentFields>,
    plan: &PlanFacts<'_>,
    rules: &Rules,
    errors: &mut Diagnostics,
) -> (
    Vec<Agent>,
    BTreeMap<String, String>,
    BTreeMap<String, String>,
) {
    let mut agents: Vec<Agent> = Vec::new();
    let mut sites = BTreeMap::new();
    let mut seen: BTreeMap<String, String> = BTreeMap::new();
    // Ids ignoring case: `S001` and `s001` are one person to HR and payroll.
    let mut folded: BTreeMap<String, String> = BTreeMap::new();
    for f in fields {
        let place = f.place.clone();
        if let Some(id) = &f.id {
            if let Some(first) = folded.get(&id.to_lowercase()) {
                errors.push(
                    "A1001",
                    format!("{place}.id"),
                    super::duplicate_id_cause(
                        "agent id",
                        id,
                        first,
                        &format!("{}.id", seen[first]),
                    ),
                    "give every agent a unique id (ids are compared ignoring case: HR and \
                     payroll systems take S001 and s001 for one person)",
                );
                continue;
            }
            seen.insert(id.clone(), place.clone());
            folded.insert(id.to_lowercase(), id.clone());
        }
        if let Some((agent, site)) = validate_agent(f, plan, rules, errors) {
            if let Some(site) = site {
                sites.insert(agent.id.clone(), site);
            }
            agents.push(agent);
        }
    }
    agents.sort_by(|a, b| a.id.cmp(&b.id));
    (agents, sites, seen)
}

fn validate_rules(raw: RawRules, errors: &mut Diagnostics) -> Rules {
    let mut rules = Rules::default();
    if let Some(text) = &raw.min_rest {
        match parse_duration(text) {
            Ok(seconds) if seconds <= 48.0 * 3600.0 => rules.min_rest_seconds = seconds as i64,
            Ok(_) => errors.push(
                "A1010",
                "rules.min_rest",
                format!("min_rest {} is longer than 48h", crate::error::echo(text)),
                "write e.g. min_rest = \"11h\"",
            ),
            Err(cause) => errors.push(
                "A1010",
                "rules.min_rest",
                cause,
                "write e.g. min_rest = \"11h\"",
            ),
        }
    }
    if let Some(days) = raw.max_consecutive_days {
        if (1..=31).contains(&days) {
            rules.max_consecutive_days = days as u32;
        } else {
            errors.push(
                "A1010",
                "rules.max_consecutive_days",
                format!("max_consecutive_days must be between 1 and 31 (got {days})"),
                "write e.g. max_consecutive_days = 6",
            );
        }
    }
    if let Some(flag) = raw.days_off_consecutive {
        rules.days_off_consecutive = flag;
    }
    if let Some(flag) = raw.spread_weekends {
        rules.spread_weekends = flag;
    }
    rules
}

fn validate_agent(
    f: AgentFields,
    plan: &PlanFacts<'_>,
    rules: &Rules,
    errors: &mut Diagnostics,
) -> Option<(Agent, Option<String>)> {
    let before = errors.len();
    let at = |field: &str| format!("{}.{field}", f.place);
    let id = validate_agent_id(f.id.as_deref(), &at, errors);
    let skills = validate_skills(f.skills.clone().unwrap_or_default(), plan, &at, errors);
    let zone = agent_zone(f.time_zone.as_deref(), plan.zone, &at, errors);
    let contract = validate_contract(&f, rules, &at, errors);
    let preferred_start = validate_preferences(&f, plan, &at, errors);
    let availability = validate_availability(&f.availability, &at, errors);
    if errors.len() > before {
        return None;
    }
    let id = id?;
    Some((
        Agent {
            name: f
                .name
                .filter(|n| !n.is_empty())
                .unwrap_or_else(|| id.clone()),
            id,
            skill_groups: skills,
            time_zone: zone?,
            contract: contract?,
            availability: availability?,
            preferred_template: f.preferred_shift,
            preferred_start_minute: preferred_start,
        },
        f.site.filter(|s| !s.is_empty()),
    ))
}

/// The agent's id: required, a valid id starting with a letter or digit.
fn validate_agent_id(
    id: Option<&str>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<String> {
    let Some(id) = id else {
        errors.push("A1002", at("id"), "agent without id", "add id = \"A001\"");
        return None;
    };
    let check = check_id(id).and_then(|()| {
        if id.starts_with(|c: char| c.is_ascii_alphanumeric()) {
            Ok(())
        } else {
            Err(format!(
                "id {} must start with a letter or digit",
                crate::error::echo(id)
            ))
        }
    });
    match check {
        Ok(()) => Some(id.to_string()),
        Err(cause) => {
            errors.push("A1002", at("id"), cause, "use e.g. id = \"A017\"");
            None
        }
    }
}

/// The agent's skills: at least one, each a skill group of the plan.
fn validate_skills(
    skills: Vec<String>,
    plan: &PlanFacts<'_>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Vec<String> {
    if skills.is_empty() {
        errors.push(
            "A1003",
            at("skills"),
            "the agent has no skill group",
            format!(
                "add skills = [\"{}\"] (known: {})",
                plan.skill_groups.first().map_or("voice", String::as_str),
                plan.skill_groups.join(", ")
            ),
        );
    }
    let known: Vec<&str> = plan.skill_groups.iter().map(String::as_str).collect();
    for skill in &skills {
        if !plan.skill_groups.contains(skill) {
            errors.push(
                "A1003",
                at("skills"),
                format!("unknown skill group {}", crate::error::echo(skill)),
                format!(
                    "{}known skill groups: {}",
                    did_you_mean(skill, &known),
                    plan.skill_groups.join(", ")
                ),
            );
        }
    }
    skills
}

/// `"did you mean \"CLOSEST\"? "` when one of `candidates` is close to `word`, else empty.
fn did_you_mean(word: &str, candidates: &[&str]) -> String {
    crate::scenario::toml_input::closest(word, candidates)
        .map(|c| format!("did you mean {}? ", crate::error::echo(c)))
        .unwrap_or_default()
}

/// The agent's zone (default: the plan's).
fn agent_zone(
    name: Option<&str>,
    plan_zone: Tz,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<Tz> {
    let Some(name) = name else {
        return Some(plan_zone);
    };
    match parse_zone(name) {
        Ok(zone) => Some(zone),
        Err(cause) => {
            errors.push(
                "T1001",
                at("time_zone"),
                cause,
                "use an IANA name such as \"Europe/Lisbon\"",
            );
            None
        }
    }
}

/// The agent's contract: weekly hours (minimum at most the maximum) and day limits, each
/// defaulting to the usual contract (consecutive days: the `[rules]` value).
fn validate_contract(
    f: &AgentFields,
    rules: &Rules,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<Contract> {
    let min_hours = weekly_hours_field(
        &f.min_weekly_hours,
        "min_weekly_hours",
        defaults::MIN_WEEKLY_HOURS,
        at,
        errors,
    );
    let max_hours = weekly_hours_field(
        &f.max_weekly_hours,
        "max_weekly_hours",
        defaults::MAX_WEEKLY_HOURS,
        at,
        errors,
    );
    if let (Some(min), Some(max)) = (min_hours, max_hours)
        && min > max
    {
        errors.push(
            "A1004",
            at("min_weekly_hours"),
            format!("min_weekly_hours {min} is above max_weekly_hours {max}"),
            "make the minimum at most the maximum",
        );
    }
    let max_days = day_count_field(
        &f.max_days_per_week,
        "max_days_per_week",
        (1, 7),
        defaults::MAX_DAYS_PER_WEEK,
        at,
        errors,
    );
    let max_consecutive = day_count_field(
        &f.max_consecutive_days,
        "max_consecutive_days",
        (1, 31),
        rules.max_consecutive_days,
        at,
        errors,
    );
    Some(Contract {
        min_weekly_hours: min_hours?,
        max_weekly_hours: max_hours?,
        max_days_per_week: max_days?,
        max_consecutive_days: max_consecutive?,
    })
}

/// Weekly hours from 0 to 168 (`default` when not given).
fn weekly_hours_field(
    value: &Option<std::result::Result<f64, String>>,
    field: &str,
    default: f64,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<f64> {
    match value {
        None => Some(default),
        Some(Ok(h)) if h.is_finite() && (0.0..=168.0).contains(h) => Some(*h),
        Some(Ok(h)) => {
            errors.push(
                "A1005",
                at(field),
                format!(
                    "{field} must be between 0 and 168 (got {})",
                    crate::units::format_value(*h)
                ),
                format!("write e.g. {field} = 40"),
            );
            None
        }
        Some(Err(text)) => {
            errors.push(
                "A1005",
                at(field),
                format!("{field} {} is not a number", crate::error::echo(text)),
                format!("write e.g. {field} = 40"),
            );
            None
        }
    }
}

/// A number of days within `range` (`default` when not given).
fn day_count_field(
    value: &Option<std::result::Result<i64, String>>,
    field: &str,
    range: (i64, i64),
    default: u32,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<u32> {
    match value {
        None => Some(default),
        Some(Ok(n)) if (range.0..=range.1).contains(n) => Some(*n as u32),
        Some(Ok(n)) => {
            errors.push(
                "A1005",
                at(field),
                format!(
                    "{field} must be between {} and {} (got {n})",
                    range.0, range.1
                ),
                format!("write e.g. {field} = {}", range.1.min(5)),
            );
            None
        }
        Some(Err(text)) => {
            errors.push(
                "A1005",
                at(field),
                format!("{field} {} is not a whole number", crate::error::echo(text)),
                format!("write e.g. {field} = 5"),
            );
            None
        }
    }
}

/// The agent's preferences: the preferred start minute (a local clock time), and a preferred
/// shift that names a template when the plan has templates.
fn validate_preferences(
    f: &AgentFields,
    plan: &PlanFacts<'_>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<u32> {
    let preferred_start = f
        .preferred_start
        .as_ref()
        .and_then(|text| match parse_clock(text) {
            Ok(minute) if minute < 1440 => Some(minute),
            Ok(_) | Err(_) => {
                errors.push(
                    "A1011",
                    at("preferred_start"),
                    format!(
                        "preferred_start {} is not a clock time",
                        crate::error::echo(text)
                    ),
                    "write e.g. preferred_start = \"08:00\"",
                );
                None
            }
        });
    if let Some(template) = &f.preferred_shift
        && !plan.templates.is_empty()
        && !plan.templates.contains(template)
    {
        errors.push(
            "A1011",
            at("preferred_shift"),
            format!(
                "preferred_shift {} is not a shift template",
                crate::error::echo(template)
            ),
            format!("use one of: {}", plan.templates.join(", ")),
        );
    }
    preferred_start
}

/// The agent's weekly availability per weekday (local); none given is always available, and
/// "off" means closed.
fn validate_availability(
    availability: &BTreeMap<String, String>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<[Vec<(u32, u32)>; 7]> {
    if availability.is_empty() {
        return Some(std::array::from_fn(|_| vec![(0, 1440)]));
    }
    let table: BTreeMap<String, String> = availability
        .iter()
        .map(|(k, v)| {
            let v = if v.trim().eq_ignore_ascii_case("off") {
                "closed".to_string()
            } else {
                v.clone()
            };
            (k.clone(), v)
        })
        .collect();
    match OpeningHours::parse(&table) {
        Ok(hours) => Some(std::array::from_fn(|d| {
            hours
                .windows(chrono::Weekday::try_from(d as u8).unwrap_or(chrono::Weekday::Mon))
                .to_vec()
        })),
        Err(list) => {
            for (key, cause) in list {
                if key == "open" {
                    errors.push(
                        "A1013",
                        at("availability"),
                        "the agent is not available on any day",
                        "give at least one window, e.g. weekdays = \"08:00-17:00\"",
                    );
                } else {
                    errors.push(
                        "A1006",
                        at(&format!("availability.{key}")),
                        cause,
                        "write e.g. weekdays = \"08:00-17:00\", sun = \"off\"",
                    );
                }
            }
            None
        }
    }
}

const AGENT_COLUMNS: [&str; 11] = [
    "id",
    "name",
    "skills",
    "site",
    "time_zone",
    "min_weekly_hours",
    "max_weekly_hours",
    "max_days_per_week",
    "max_consecutive_days",
    "preferred_shift",
    "preferred_start",
];
const DAY_COLUMNS: [&str; 10] = [
    "mon", "tue", "wed", "thu", "fri", "sat", "sun", "weekdays", "weekend", "daily",
];

/// The line of a CSV record in `text`, its file (blank lines are skipped by the reader, so
/// the record's index is not its line); `index + 2` when the reader gives no position.
fn record_line(text: &str, record: &csv::Result<csv::StringRecord>, index: usize) -> u64 {
    let position = match record {
        Ok(record) => record.position(),
        Err(error) => error.position(),
    };
    let Some(position) = position else {
        return index as u64 + 2;
    };
    // The reader's position is where it began to look for the record, before the blank lines
    // it skipped: step over them. Offsets count from after a byte-order mark.
    let bytes = text.as_bytes();
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let start = usize::try_from(position.byte()).map_or(bytes.len(), |b| b.min(bytes.len()));
    let blank = bytes[start..]
        .iter()
        .take_while(|&&b| b == b'\n' || b == b'\r')
        .filter(|&&b| b == b'\n')
        .count();
    position.line() + blank as u64
}

/// Header of a CSV (names in lower case), with unknown columns reported; `None` when
/// unreadable.
fn csv_header(
    reader: &mut csv::Reader<impl std::io::Read>,
    source: &str,
    known: &[&str],
    required: &[&str],
    errors: &mut Diagnostics,
) -> Option<Vec<String>> {
    // Column names are read ignoring case, as in the volume files (HR exports write `ID`).
    let headers: Vec<String> = match reader.headers() {
        Ok(h) => h.iter().map(|s| s.trim().to_ascii_lowercase()).collect(),
        Err(e) => {
            errors.push(
                "A1009",
                format!("{source}:1"),
                format!("cannot read the header: {e}"),
                format!("start the file with the header {}", required.join(",")),
            );
            return None;
        }
    };
    let mut ok = true;
    for (column, name) in headers.iter().enumerate() {
        if let Some(first) = headers[..column].iter().position(|h| h == name) {
            errors.push(
                "A1009",
                format!("{source}:1:{}", column + 1),
                format!(
                    "column {} appears twice (columns {} and {})",
                    crate::error::echo(name),
                    first + 1,
                    column + 1
                ),
                "keep one of the two columns",
            );
            ok = false;
            continue;
        }
        if !known.contains(&name.as_str()) {
            let hint = crate::scenario::toml_input::closest(name, known)
                .map(|c| format!("did you mean `{c}`? "))
                .unwrap_or_default();
            errors.push(
                "A1012",
                format!("{source}:1:{}", column + 1),
                format!("unknown column {}", crate::error::echo(name)),
                format!("{hint}known columns: {}", known.join(",")),
            );
            ok = false;
        }
    }
    for name in required {
        if !headers.iter().any(|h| h == name) {
            errors.push(
                "A1009",
                format!("{source}:1"),
                format!("required column {} is missing", crate::error::echo(name)),
                format!("add the column; required: {}", required.join(",")),
            );
            ok = false;
        }
    }
    ok.then_some(headers)
}

fn read_agents_csv(text: &str, source: &str, errors: &mut Diagnostics) -> Vec<AgentFields> {
    let mut reader = crate::csvio::reader(text.as_bytes());
    let known: Vec<&str> = AGENT_COLUMNS.iter().chain(&DAY_COLUMNS).copied().collect();
    let Some(headers) = csv_header(&mut reader, source, &known, &["id", "skills"], errors) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = record_line(text, &record, index);
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(
                    "A1009",
                    format!("{source}:{line}"),
                    format!("cannot read the row: {e}"),
                    "give every row as many cells as the header",
                );
                continue;
            }
        };
        let cell = |name: &str| -> Option<String> {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(str::trim)
                .filter(|v| !v.is_empty())
                .map(str::to_string)
        };
        let float = |name: &str| cell(name).map(|v| v.parse::<f64>().map_err(|_| v));
        let int = |name: &str| cell(name).map(|v| v.parse::<i64>().map_err(|_| v));
        let availability = DAY_COLUMNS
            .iter()
            .filter_map(|d| cell(d).map(|v| (d.to_string(), v)))
            .collect();
        out.push(AgentFields {
            place: format!("{source}:{line}"),
            id: cell("id"),
            name: cell("name"),
            skills: cell("skills").map(|s| {
                s.split([';', '|'])
                    .map(str::trim)
                    .filter(|x| !x.is_empty())
                    .map(str::to_string)
                    .collect()
            }),
            site: cell("site"),
            time_zone: cell("time_zone"),
            min_weekly_hours: float("min_weekly_hours"),
            max_weekly_hours: float("max_weekly_hours"),
            max_days_per_week: int("max_days_per_week"),
            max_consecutive_days: int("max_consecutive_days"),
            preferred_shift: cell("preferred_shift"),
            preferred_start: cell("preferred_start"),
            availability,
        });
    }
    out
}

/// Reads a time-off boundary: a date (whole day; as an end, the day is included) or a
/// timestamp (local in `zone`, or with an offset).
fn time_off_instant(
    text: &str,
    zone: Tz,
    is_end: bool,
) -> std::result::Result<DateTime<Utc>, (&'static str, String, String)> {
    let trimmed = text.trim();
    if let Ok(date) = NaiveDate::parse_from_str(trimmed, "%Y-%m-%d") {
        let date = if is_end {
            date + Duration::days(1)
        } else {
            date
        };
        return Ok(local_day_start(zone, date));
    }
    parse_timestamp(trimmed, zone).map_err(|e| (e.code(), e.cause(zone), e.fix()))
}

fn read_time_off_csv(
    text: &str,
    source: &str,
    known_ids: Option<&BTreeMap<String, String>>,
    agents: &[Agent],
    plan_zone: Tz,
    errors: &mut Diagnostics,
) -> Vec<TimeOff> {
    let mut reader = crate::csvio::reader(text.as_bytes());
    let known = ["agent_id", "start", "end", "reason"];
    let Some(headers) = csv_header(
        &mut reader,
        source,
        &known,
        &["agent_id", "start", "end"],
        errors,
    ) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (index, record) in reader.records().enumerate() {
        let line = record_line(text, &record, index);
        let place = format!("{source}:{line}");
        let record = match record {
            Ok(r) => r,
            Err(e) => {
                errors.push(
                    "A1009",
                    &place,
                    format!("cannot read the row: {e}"),
                    "give every row as many cells as the header",
                );
                continue;
            }
        };
        let cell = |name: &str| -> String {
            headers
                .iter()
                .position(|h| h == name)
                .and_then(|i| record.get(i))
                .map(|v| v.trim().to_string())
                .unwrap_or_default()
        };
        let Some(known_ids) = known_ids else {
            continue;
        };
        if let Some(time_off) =
            validate_time_off_row(&cell, &place, known_ids, agents, plan_zone, errors)
        {
            out.push(time_off);
        }
    }
    out
}

/// One row of time off (cells by column name, located at `place`): a known agent, readable
/// start and end in the agent's zone, and an end after the start.
fn validate_time_off_row(
    cell: &dyn Fn(&str) -> String,
    place: &str,
    known_ids: &BTreeMap<String, String>,
    agents: &[Agent],
    plan_zone: Tz,
    errors: &mut Diagnostics,
) -> Option<TimeOff> {
    let agent_id = cell("agent_id");
    if !known_ids.contains_key(&agent_id) {
        let ids: Vec<&str> = known_ids.keys().map(String::as_str).collect();
        errors.push(
            "A1007",
            format!("{place} agent_id"),
            format!(
                "time off for unknown agent {}",
                crate::error::echo(&agent_id)
            ),
            format!("{}use an id from the agents", did_you_mean(&agent_id, &ids)),
        );
        return None;
    }
    // The agent's zone (the plan's when the agent itself was invalid).
    let zone = agents
        .iter()
        .find(|a| a.id == agent_id)
        .map_or(plan_zone, |a| a.time_zone);
    let start = time_off_instant(&cell("start"), zone, false);
    let end = time_off_instant(&cell("end"), zone, true);
    for (column, result) in [("start", &start), ("end", &end)] {
        if let Err((code, cause, fix)) = result {
            errors.push(
                code,
                format!("{place} {column}"),
                cause.clone(),
                fix.clone(),
            );
        }
    }
    let (Ok(start), Ok(end)) = (start, end) else {
        return None;
    };
    if end <= start {
        errors.push(
            "A1008",
            format!("{place} end"),
            format!(
                "time off of {agent_id} ends ({}) before it starts ({})",
                cell("end"),
                cell("start")
            ),
            "swap start and end, or fix the dates (a date as end includes that day)",
        );
        return None;
    }
    Some(TimeOff {
        agent_id,
        start,
        end,
        reason: cell("reason"),
    })
}
