//! Raw serde structs mirroring the scenario TOML exactly. Every field is optional here so that
//! missing fields become validation diagnostics (all reported at once) rather than a first-error
//! stop; validation in [`super`] turns these into domain types.

use std::collections::BTreeMap;

use serde::Deserialize;

/// The whole scenario file.
#[derive(Debug, Default, Deserialize)]
pub struct RawScenario {
    /// `[plan]`
    pub plan: Option<RawPlan>,
    /// `[[queue]]`
    #[serde(default)]
    pub queue: Vec<RawQueue>,
    /// `[[agent]]`
    #[serde(default)]
    pub agent: Vec<super::agents::RawAgent>,
    /// `agents = "agents.csv"`
    pub agents: Option<String>,
    /// `time_off = "time_off.csv"`
    pub time_off: Option<String>,
    /// `[rules]`
    pub rules: Option<super::agents::RawRules>,
    /// `[[special_day]]`
    #[serde(default)]
    pub special_day: Vec<super::special_days::RawSpecialDay>,
    /// `[[skill_group]]`
    #[serde(default)]
    pub skill_group: Vec<super::shifts::RawSkillGroup>,
    /// `[[shift]]`
    #[serde(default)]
    pub shift: Vec<super::shifts::RawShift>,
    /// `[limits]`
    pub limits: Option<super::shifts::RawLimits>,
    /// `[[whatif]]`
    #[serde(default)]
    pub whatif: Vec<super::whatif::RawWhatif>,
}

/// `[plan]`: the planning horizon.
#[derive(Debug, Default, Deserialize)]
pub struct RawPlan {
    /// Display name.
    pub name: Option<String>,
    /// First local day, TOML date `2026-11-23` or string `"2026-11-23"`.
    pub start: Option<toml::Value>,
    /// Number of days.
    pub days: Option<i64>,
    /// Interval length in minutes (5, 10, 15, 30, 60).
    pub interval_minutes: Option<i64>,
    /// IANA time zone.
    pub time_zone: Option<String>,
    /// Steady-state week: the last night wraps onto the first morning.
    pub cyclic: Option<bool>,
}

/// `[[queue]]`: one queue (voice, chat or email).
#[derive(Debug, Default, Deserialize)]
pub struct RawQueue {
    /// Identifier used in CSVs.
    pub id: Option<String>,
    /// Display name.
    pub name: Option<String>,
    /// `voice`, `chat` or `email`.
    pub channel: Option<String>,
    /// Average handle time, e.g. `"180s"`.
    pub aht: Option<String>,
    /// Service-level share, e.g. `0.8` or `"80%"`.
    pub service_level: Option<toml::Value>,
    /// Answer time of the service-level target, e.g. `"20s"`.
    pub answer_within: Option<String>,
    /// Optional average-speed-of-answer target, e.g. `"30s"`.
    pub asa_target: Option<String>,
    /// Optional occupancy cap, e.g. `0.85`.
    pub max_occupancy: Option<toml::Value>,
    /// Shrinkage, e.g. `0.3`.
    pub shrinkage: Option<toml::Value>,
    /// Mean patience for Erlang A, e.g. `"2m"`.
    pub patience: Option<String>,
    /// Chats handled at once.
    pub concurrency: Option<i64>,
    /// Email/back-office response target, e.g. `"4h"`.
    pub response_within: Option<String>,
    /// Minimum agents while open.
    pub min_agents: Option<i64>,
    /// Opening hours per weekday.
    pub open: Option<BTreeMap<String, String>>,
    /// Forecast CSV path.
    pub forecast: Option<String>,
    /// History CSV path.
    pub history: Option<String>,
    /// What the service goals are judged over: `"interval"`, `"day"` or `"week"`.
    pub service_scope: Option<String>,
    /// With day or week scope: no open interval below this service level.
    pub interval_floor: Option<toml::Value>,
    /// Largest share of contacts abandoning (queues with a patience), e.g. `0.05`.
    pub max_abandon_rate: Option<toml::Value>,
    /// Money per agent-hour planned below the requirement (soft coverage).
    pub understaffing_cost: Option<toml::Value>,
}
