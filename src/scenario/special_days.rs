//! `[[special_day]]`: days whose forecast differs from the usual pattern, applied on top of the
//! forecast made from history.
//!
//! ```toml
//! [[special_day]]
//! date = 2026-11-26
//! name = "Thanksgiving"
//! multiplier = "closed"       # forecast 0 for the whole local day
//!
//! [[special_day]]
//! date = 2026-11-27
//! multiplier = 1.4            # or "140%", "+40%", "-25%"
//! queues = ["sales"]          # optional: only these queues (default: all)
//! ```

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::{Queue, Scenario, VolumeSource};
use crate::error::{Diagnostic, Diagnostics, echo};
use crate::units::{format_value, parse_change};

/// Largest multiplier accepted (beyond it is almost surely a percent written as a number).
pub const MAX_MULTIPLIER: f64 = 100.0;

/// `[[special_day]]` as written.
#[derive(Debug, Default, Deserialize)]
pub struct RawSpecialDay {
    /// Local date, TOML date or `"2026-11-26"`.
    pub date: Option<toml::Value>,
    /// Display name.
    pub name: Option<String>,
    /// Factor on the forecast (`1.4`, `"140%"`, `"+40%"`) or `"closed"`.
    pub multiplier: Option<toml::Value>,
    /// Queue ids it applies to (default: every queue).
    pub queues: Option<Vec<String>>,
}

/// What a special day does to the forecast.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum SpecialEffect {
    /// No contacts: the day forecasts zero.
    Closed,
    /// The forecast is multiplied by this factor (> 0).
    Multiplier(f64),
}

impl SpecialEffect {
    /// The factor applied to the volume (0 when closed).
    pub fn factor(self) -> f64 {
        match self {
            SpecialEffect::Closed => 0.0,
            SpecialEffect::Multiplier(m) => m,
        }
    }

    /// Reads `"closed"`, `1.4`, `"140%"`, `"+40%"` or `"-25%"`.
    pub fn parse(text: &str) -> Result<SpecialEffect, String> {
        let trimmed = text.trim();
        if trimmed.eq_ignore_ascii_case("closed") {
            return Ok(SpecialEffect::Closed);
        }
        let factor = if trimmed.starts_with('+') || trimmed.starts_with('-') {
            parse_change(trimmed).map(|change| 1.0 + change)?
        } else {
            crate::units::parse_fraction(trimmed)?
        };
        Self::from_factor(factor)
    }

    fn from_factor(factor: f64) -> Result<SpecialEffect, String> {
        if !factor.is_finite() {
            Err(format!(
                "multiplier {} is not a finite number",
                crate::units::format_value(factor)
            ))
        } else if factor <= 0.0 {
            Err(format!(
                "multiplier {} must be greater than 0 (write \"closed\" for a day without \
                 contacts)",
                crate::units::format_value(factor)
            ))
        } else if factor > MAX_MULTIPLIER {
            Err(format!(
                "multiplier {} is more than {MAX_MULTIPLIER} times the usual volume",
                crate::units::format_value(factor)
            ))
        } else {
            Ok(SpecialEffect::Multiplier(factor))
        }
    }
}

/// A validated special day.
#[derive(Debug, Clone, PartialEq)]
pub struct SpecialDay {
    /// Local date in the plan's zone.
    pub date: NaiveDate,
    /// Display name (defaults to the date).
    pub name: String,
    /// Effect on the forecast.
    pub effect: SpecialEffect,
    /// Queues it applies to; empty = every queue.
    pub queues: Vec<String>,
}

impl SpecialDay {
    /// True when the day applies to `queue`.
    pub fn applies_to(&self, queue: &str) -> bool {
        self.queues.is_empty() || self.queues.iter().any(|q| q == queue)
    }

    /// Reads the command-line form `DATE=closed` or `DATE=FACTOR` (`2026-12-24=0.6`).
    pub fn parse_argument(text: &str) -> Result<SpecialDay, String> {
        let (date, effect) = text.split_once('=').ok_or_else(|| {
            format!(
                "{} must look like 2026-12-24=0.6 or 2026-12-25=closed",
                crate::error::echo(text)
            )
        })?;
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d").map_err(|_| {
            format!(
                "{} is not a date (YYYY-MM-DD)",
                crate::error::echo(date.trim())
            )
        })?;
        Ok(SpecialDay {
            date,
            name: date.to_string(),
            effect: SpecialEffect::parse(effect)?,
            queues: Vec::new(),
        })
    }
}

/// The effect of the special days on `queue` at `date` (the product of every day that applies,
/// 0 if any closes it), or `None` when no special day applies.
pub fn factor_on(days: &[SpecialDay], queue: &str, date: NaiveDate) -> Option<f64> {
    days.iter()
        .filter(|d| d.date == date && d.applies_to(queue))
        .map(|d| d.effect.factor())
        .reduce(|a, b| a * b)
}

/// What special days are checked against: the plan's local dates and the scenario's queues.
#[derive(Debug, Clone, Copy)]
pub struct SpecialDayContext<'a> {
    /// First and last local date of the plan (`None` when the plan itself is invalid).
    pub dates: Option<(NaiveDate, NaiveDate)>,
    /// The scenario's valid queues.
    pub queues: &'a [Queue],
}

/// Validates the `[[special_day]]` list. Entries that cannot be read are errors (`F1004`);
/// entries that can but change nothing of this plan are warnings, pushed to `warnings`: a date
/// outside the plan (`F1007`), a queue that is not in the scenario (`F1008`), a multiplier on
/// queues whose volume comes from a forecast file (`F1009`, used as given). Holiday lists are
/// often shared by several scenarios, so such entries do not stop the run.
pub fn validate_special_days(
    raw: Vec<RawSpecialDay>,
    context: SpecialDayContext<'_>,
    errors: &mut Diagnostics,
    warnings: &mut Vec<Diagnostic>,
) -> Vec<SpecialDay> {
    let queue_ids: Vec<&str> = context.queues.iter().map(|q| q.id.as_str()).collect();
    let mut days: Vec<SpecialDay> = Vec::new();
    let mut entry_of_day: Vec<usize> = Vec::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let at = |field: &str| format!("special_day[{index}].{field}");
        let before = errors.len();
        let date = special_day_date(raw.date.as_ref(), &at, errors);
        let effect = special_day_effect(raw.multiplier.as_ref(), &at, errors);
        let queues = raw.queues.unwrap_or_default();
        if errors.len() > before {
            continue;
        }
        let (Some(date), Some(effect)) = (date, effect) else {
            continue;
        };
        let overlaps = |other: &SpecialDay| {
            other.date == date
                && (queues.is_empty()
                    || other.queues.is_empty()
                    || queues.iter().any(|q| other.queues.contains(q)))
        };
        if let Some(previous) = days.iter().position(overlaps) {
            errors.push(
                "F1004",
                at("date"),
                format!(
                    "{date} is already a special day (special_day[{}])",
                    entry_of_day[previous]
                ),
                "merge the two entries into one",
            );
            continue;
        }
        let day = SpecialDay {
            date,
            name: raw.name.unwrap_or_else(|| date.to_string()),
            effect,
            queues,
        };
        warn_special_day(&day, &context, &queue_ids, &at, warnings);
        entry_of_day.push(index);
        days.push(day);
    }
    days
}

/// The warnings of one readable special day (see [`validate_special_days`]).
fn warn_special_day(
    day: &SpecialDay,
    context: &SpecialDayContext<'_>,
    queue_ids: &[&str],
    at: &dyn Fn(&str) -> String,
    warnings: &mut Vec<Diagnostic>,
) {
    let label = if day.name == day.date.to_string() {
        day.date.to_string()
    } else {
        format!("{} ({})", day.date, echo(&day.name))
    };
    if let Some((first, last)) = context.dates {
        if day.date < first || day.date > last {
            warnings.push(Diagnostic::new(
                "F1007",
                at("date"),
                format!(
                    "special day {label} is not a date of the plan ({first} to {last}); it \
                     changes nothing"
                ),
                "correct the date (local, YYYY-MM-DD) or remove the entry; a holiday list \
                 shared by several plans may keep it",
            ));
            return;
        }
    }
    let unknown: Vec<&String> = day
        .queues
        .iter()
        .filter(|q| !queue_ids.contains(&q.as_str()))
        .collect();
    for queue in &unknown {
        let hint = match crate::scenario::toml_input::closest(queue, queue_ids) {
            Some(best) => format!("did you mean {best:?}? "),
            None => String::new(),
        };
        let nothing = if unknown.len() == day.queues.len() {
            "; the special day changes nothing"
        } else {
            ""
        };
        warnings.push(Diagnostic::new(
            "F1008",
            at("queues"),
            format!(
                "special day {label} names queue {}, which is not in the scenario (the \
                 scenario has: {}){nothing}",
                echo(queue),
                queue_ids.join(", ")
            ),
            format!(
                "{hint}use the id of a [[queue]], or leave queues out to apply the day to every \
                 queue"
            ),
        ));
    }
    if let SpecialEffect::Multiplier(factor) = day.effect {
        let from_file: Vec<&str> = context
            .queues
            .iter()
            .filter(|q| day.applies_to(&q.id))
            .filter(|q| matches!(q.volume_source, VolumeSource::Forecast(_)))
            .map(|q| q.id.as_str())
            .collect();
        if !from_file.is_empty() {
            warnings.push(Diagnostic::new(
                "F1009",
                at("multiplier"),
                format!(
                    "special day {label}: the multiplier {} does not change queue {}, whose \
                     volume comes from a forecast file (used as given)",
                    format_value(factor),
                    from_file.join(", ")
                ),
                "change the volume in the forecast file, or forecast the queue from its history \
                 (history = \"...\"); \"closed\" closes any queue",
            ));
        }
    }
}

/// One special day as it changes the plan, for `summary.json`.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct AppliedSpecialDay {
    /// Local date, `YYYY-MM-DD`.
    pub date: String,
    /// Display name (the date when the scenario gives none).
    pub name: String,
    /// The queues it changes, in scenario order.
    pub queues: Vec<String>,
    /// `"closed"` (no agents needed all day) or `"multiplier"` (the forecast times `factor`).
    pub effect: &'static str,
    /// Factor on the forecast volume: 0 when closed.
    pub factor: f64,
}

/// The special days that change this plan, in file order: each with the queues it changes.
/// A day outside the plan, or whose queues are all unknown, is left out; a multiplier changes
/// only the queues forecast from history (a forecast file is used as given), `closed` closes
/// every queue it names. For `summary.json`'s `special_days`.
pub fn applied_special_days(scenario: &Scenario) -> Vec<AppliedSpecialDay> {
    scenario
        .special_days
        .iter()
        .filter(|day| scenario.horizon.day_of_date(day.date).is_some())
        .filter_map(|day| {
            let queues: Vec<String> = scenario
                .queues
                .iter()
                .filter(|q| day.applies_to(&q.id))
                .filter(|q| {
                    day.effect == SpecialEffect::Closed
                        || matches!(q.volume_source, VolumeSource::History(_))
                })
                .map(|q| q.id.clone())
                .collect();
            (!queues.is_empty()).then(|| AppliedSpecialDay {
                date: day.date.to_string(),
                name: day.name.clone(),
                queues,
                effect: match day.effect {
                    SpecialEffect::Closed => "closed",
                    SpecialEffect::Multiplier(_) => "multiplier",
                },
                factor: day.effect.factor(),
            })
        })
        .collect()
}

/// `special_day.date`: required local date.
fn special_day_date(
    value: Option<&toml::Value>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<NaiveDate> {
    let Some(value) = value else {
        errors.push(
            "F1004",
            at("date"),
            "special day without a date",
            "add date = 2026-12-24",
        );
        return None;
    };
    match super::date_value(value) {
        Ok(date) => Some(date),
        Err(cause) => {
            errors.push(
                "F1004",
                at("date"),
                cause,
                "write date = 2026-12-24 (YYYY-MM-DD, local to the plan's zone)",
            );
            None
        }
    }
}

/// `special_day.multiplier`: required factor or `"closed"`.
fn special_day_effect(
    value: Option<&toml::Value>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<SpecialEffect> {
    let Some(value) = value else {
        errors.push(
            "F1004",
            at("multiplier"),
            "special day without a multiplier",
            "add multiplier = 0.6 (60 % of the usual volume) or multiplier = \"closed\"",
        );
        return None;
    };
    let parsed = match value {
        toml::Value::Float(f) => SpecialEffect::from_factor(*f),
        toml::Value::Integer(i) => SpecialEffect::from_factor(*i as f64),
        toml::Value::String(s) => SpecialEffect::parse(s),
        other => Err(format!(
            "expected a number or \"closed\", got {}",
            other.type_str()
        )),
    };
    match parsed {
        Ok(effect) => Some(effect),
        Err(cause) => {
            errors.push(
                "F1004",
                at("multiplier"),
                cause,
                "write multiplier = 0.6, \"+20%\" or \"closed\"",
            );
            None
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::path::Path;

    const TWO_QUEUES: &str = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 60
time_zone = "America/Chicago"

[[queue]]
id = "support"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
history = "h.csv"

[[queue]]
id = "sales"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "f.csv"

[[special_day]]
date = 2026-11-26
name = "Thanksgiving"
multiplier = "closed"

[[special_day]]
date = 2026-11-27
name = "Black Friday"
multiplier = 1.25

[[special_day]]
date = 2026-12-25
multiplier = "closed"

[[special_day]]
date = 2026-11-24
multiplier = 0.5
queues = ["Sales", "billing"]
"#;

    #[test]
    fn special_days_that_change_nothing_warn_and_the_rest_are_applied() {
        let scenario =
            Scenario::from_toml(TWO_QUEUES, Path::new("s.toml"), Path::new(".")).unwrap();
        let warnings: Vec<(&str, &str)> = scenario
            .warnings
            .iter()
            .map(|w| (w.code, w.place.as_str()))
            .collect();
        assert_eq!(
            warnings,
            [
                ("F1009", "s.toml special_day[1].multiplier"),
                ("F1007", "s.toml special_day[2].date"),
                ("F1008", "s.toml special_day[3].queues"),
                ("F1008", "s.toml special_day[3].queues"),
            ],
            "{:?}",
            scenario.warnings
        );
        assert!(scenario.warnings[2].fix.contains("did you mean \"sales\""));
        let applied = applied_special_days(&scenario);
        let json = serde_json::to_value(&applied).unwrap();
        assert_eq!(
            json,
            serde_json::json!([
                {"date": "2026-11-26", "name": "Thanksgiving", "queues": ["support", "sales"],
                 "effect": "closed", "factor": 0.0},
                {"date": "2026-11-27", "name": "Black Friday", "queues": ["support"],
                 "effect": "multiplier", "factor": 1.25},
            ])
        );
    }

    #[test]
    fn effects_parse() {
        assert_eq!(SpecialEffect::parse("closed"), Ok(SpecialEffect::Closed));
        assert_eq!(
            SpecialEffect::parse("+40%"),
            Ok(SpecialEffect::Multiplier(1.4))
        );
        assert_eq!(
            SpecialEffect::parse("-25%"),
            Ok(SpecialEffect::Multiplier(0.75))
        );
        assert_eq!(
            SpecialEffect::parse("60%"),
            Ok(SpecialEffect::Multiplier(0.6))
        );
        assert!(format!("{:?}", SpecialEffect::parse("0").unwrap_err()).contains("greater than 0"));
        assert!(
            format!("{:?}", SpecialEffect::parse("-100%").unwrap_err()).contains("greater than 0")
        );
        assert!(
            format!("{:?}", SpecialEffect::parse("lots").unwrap_err())
                .contains("cannot read fraction")
        );
    }
}
