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
use serde::Deserialize;

use crate::error::Diagnostics;
use crate::units::parse_change;

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
        if !factor.is_finite() || factor <= 0.0 {
            Err(format!(
                "multiplier {factor} must be greater than 0 (write \"closed\" for a day without \
                 contacts)"
            ))
        } else if factor > MAX_MULTIPLIER {
            Err(format!(
                "multiplier {factor} is more than {MAX_MULTIPLIER} times the usual volume"
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
            format!("{text:?} must look like 2026-12-24=0.6 or 2026-12-25=closed")
        })?;
        let date = NaiveDate::parse_from_str(date.trim(), "%Y-%m-%d")
            .map_err(|_| format!("{:?} is not a date (YYYY-MM-DD)", date.trim()))?;
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

/// Validates the `[[special_day]]` list; `queue_ids` are the scenario's queues.
pub fn validate_special_days(
    raw: Vec<RawSpecialDay>,
    queue_ids: &[&str],
    errors: &mut Diagnostics,
) -> Vec<SpecialDay> {
    let mut days: Vec<SpecialDay> = Vec::new();
    let mut entry_of_day: Vec<usize> = Vec::new();
    for (index, raw) in raw.into_iter().enumerate() {
        let at = |field: &str| format!("special_day[{index}].{field}");
        let before = errors.len();
        let date = special_day_date(raw.date.as_ref(), &at, errors);
        let effect = special_day_effect(raw.multiplier.as_ref(), &at, errors);
        let queues = raw.queues.unwrap_or_default();
        check_special_day_queues(&queues, queue_ids, &at, errors);
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
        entry_of_day.push(index);
        days.push(SpecialDay {
            date,
            name: raw.name.unwrap_or_else(|| date.to_string()),
            effect,
            queues,
        });
    }
    days
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

/// `special_day.queues`: ids of the scenario's queues.
fn check_special_day_queues(
    queues: &[String],
    queue_ids: &[&str],
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) {
    for queue in queues {
        if !queue_ids.contains(&queue.as_str()) {
            errors.push(
                "F1004",
                at("queues"),
                format!(
                    "unknown queue {queue:?} (the scenario has: {})",
                    queue_ids.join(", ")
                ),
                "use the id of a [[queue]], or leave queues out to apply to every queue",
            );
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

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
