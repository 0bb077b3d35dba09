//! `[[whatif]]` blocks: named variants of the published roster, evaluated by `staffplan whatif`
//! and `staffplan run`.
//!
//! ```toml
//! [[whatif]]
//! name = "flu-tuesday"
//! absent = ["A017@2026-11-24", "A018@2026-11-24T09:00/13:00"]
//! volume = ["+15%", "chat:+30%@2026-11-25"]   # or one string
//! aht = "+5%"
//! absence_rate = 0.08                          # expected random absence on top
//! training = ["6@2026-11-26T14:00/16:00"]
//! reoptimize = true
//! ```
//!
//! The text forms are those of the command line (see [`crate::whatif::variant`]). Syntax, dates,
//! queues and ranges are checked here; agent ids are checked against the roster when the
//! variants are evaluated.

use serde::Deserialize;

use crate::domain::{Variant, parse_absence, parse_change_spec, parse_training};
use crate::error::Diagnostics;
use crate::scenario::Scenario;

/// One `[[whatif]]` table as written.
#[derive(Debug, Default, Deserialize)]
pub struct RawWhatif {
    /// Variant name (unique; letters, digits, '-', '_', '.').
    pub name: Option<String>,
    /// Absences: `"A017@2026-11-24"` or `"A017@2026-11-24T09:00/13:00"`.
    pub absent: Option<toml::Value>,
    /// Expected random absence rate, `0.08` or `"8%"`.
    pub absence_rate: Option<toml::Value>,
    /// Volume changes: `"+15%"`, `"chat:+30%@2026-11-25"`, one string or a list.
    pub volume: Option<toml::Value>,
    /// AHT changes, same forms as volume.
    pub aht: Option<toml::Value>,
    /// Training blocks: `"6@2026-11-24T14:00/16:00"` or `"A001,A002@2026-11-24T14:00/16:00"`.
    pub training: Option<toml::Value>,
    /// Re-optimise the roster after the changes.
    pub reoptimize: Option<bool>,
}

/// A string or a list of strings.
fn strings(value: Option<&toml::Value>, place: &str, errors: &mut Diagnostics) -> Vec<String> {
    match value {
        None => Vec::new(),
        Some(toml::Value::String(s)) => vec![s.clone()],
        Some(toml::Value::Array(items)) => items
            .iter()
            .enumerate()
            .filter_map(|(k, item)| match item {
                toml::Value::String(s) => Some(s.clone()),
                other => {
                    errors.push(
                        "S1004",
                        format!("{place}[{k}]"),
                        format!("expected a string, got {}", other.type_str()),
                        "quote each entry, e.g. \"A017@2026-11-24\"",
                    );
                    None
                }
            })
            .collect(),
        Some(other) => {
            errors.push(
                "S1004",
                place,
                format!(
                    "expected a string or a list of strings, got {}",
                    other.type_str()
                ),
                "write e.g. [\"+15%\", \"chat:+30%@2026-11-25\"]",
            );
            Vec::new()
        }
    }
}

/// Parses every entry of a list with `parse`, pushing W1006 for the ones that fail.
fn parse_all<T>(
    texts: &[String],
    place: &str,
    parse: fn(&str) -> std::result::Result<T, String>,
    errors: &mut Diagnostics,
) -> Vec<T> {
    texts
        .iter()
        .enumerate()
        .filter_map(|(k, text)| match parse(text) {
            Ok(value) => Some(value),
            Err(cause) => {
                errors.push(
                    "W1006",
                    format!("{place}[{k}]"),
                    cause,
                    "see `staffplan explain W1006` for the accepted forms",
                );
                None
            }
        })
        .collect()
}

/// Validates the `[[whatif]]` blocks against the scenario (queues, dates). Agent ids are
/// checked later against the roster.
pub fn validate_whatif(
    raw: Vec<RawWhatif>,
    scenario: &Scenario,
    errors: &mut Diagnostics,
) -> Vec<Variant> {
    let mut variants: Vec<Variant> = Vec::new();
    for (index, block) in raw.into_iter().enumerate() {
        let at = |field: &str| format!("whatif[{index}].{field}");
        let before = errors.len();
        let name = whatif_name(block.name.as_deref(), &variants, &at, errors);
        let absences = parse_all(
            &strings(block.absent.as_ref(), &at("absent"), errors),
            &at("absent"),
            parse_absence,
            errors,
        );
        let volume = parse_all(
            &strings(block.volume.as_ref(), &at("volume"), errors),
            &at("volume"),
            parse_change_spec,
            errors,
        );
        let aht = parse_all(
            &strings(block.aht.as_ref(), &at("aht"), errors),
            &at("aht"),
            parse_change_spec,
            errors,
        );
        let training = parse_all(
            &strings(block.training.as_ref(), &at("training"), errors),
            &at("training"),
            parse_training,
            errors,
        );
        let absence_rate = absence_rate_field(block.absence_rate.as_ref(), &at, errors);
        let variant = Variant {
            name,
            absences,
            absence_rate,
            volume,
            aht,
            training,
            reoptimize: block.reoptimize.unwrap_or(false),
        };
        if errors.len() == before
            && variant.absences.is_empty()
            && variant.absence_rate.is_none()
            && variant.volume.is_empty()
            && variant.aht.is_empty()
            && variant.training.is_empty()
        {
            errors.push(
                "W1009",
                format!("whatif[{index}]"),
                format!(
                    "variant {} changes nothing",
                    crate::error::echo(&variant.name)
                ),
                "add absent, absence_rate, volume, aht or training",
            );
        }
        variant.validate(scenario, None, &format!("whatif[{index}]"), errors);
        variants.push(variant);
    }
    variants
}

/// `whatif.name`: required, a valid id, unique and not "baseline" (empty when missing).
fn whatif_name(
    name: Option<&str>,
    variants: &[Variant],
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> String {
    let Some(name) = name else {
        errors.push(
            "W1009",
            at("name"),
            "what-if block without a name",
            "add name = \"flu-tuesday\"",
        );
        return String::new();
    };
    if let Err(cause) = crate::scenario::check_id(name) {
        errors.push(
            "W1009",
            at("name"),
            cause,
            "use e.g. name = \"flu-tuesday\"",
        );
    } else if crate::scenario::same_id(name, "baseline") {
        errors.push(
            "W1009",
            at("name"),
            format!(
                "variant name {} is reserved for the published roster",
                crate::error::echo(name)
            ),
            "give the [[whatif]] block another name",
        );
    } else if let Some((first_index, first)) = variants
        .iter()
        .enumerate()
        .find(|(_, v)| crate::scenario::same_id(&v.name, name))
    {
        // Variant names become file names (roster-NAME.csv): on a case-insensitive file system
        // roster-Peak.csv and roster-peak.csv are one file.
        errors.push(
            "W1009",
            at("name"),
            crate::scenario::duplicate_id_cause(
                "variant name",
                name,
                &first.name,
                &format!("whatif[{first_index}].name"),
            ),
            "give every [[whatif]] block a unique name (ignoring case: it names the file \
             roster-NAME.csv)",
        );
    }
    name.to_string()
}

/// `whatif.absence_rate`: a share of absent agents, as a number or `"NN%"`.
fn absence_rate_field(
    value: Option<&toml::Value>,
    at: &dyn Fn(&str) -> String,
    errors: &mut Diagnostics,
) -> Option<f64> {
    match super::fraction_value(value?) {
        Ok(rate) => Some(rate),
        Err(cause) => {
            errors.push(
                "S1004",
                at("absence_rate"),
                cause,
                "write e.g. 0.08 or \"8%\"",
            );
            None
        }
    }
}
