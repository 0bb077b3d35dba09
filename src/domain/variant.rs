//! What-if variants as data, and their text forms (the same in the scenario's `[[whatif]]`
//! blocks and on the command line):
//! - absence: `A017@2026-11-24` (the whole local day: shifts starting that day are dropped) or
//!   `A017@2026-11-24T09:00/13:00` (local time range: the agent is away, off shift);
//! - volume or AHT change: `+15%`, `-10%`, `chat:+30%`, `chat:+30%@2026-11-25`,
//!   `+5%@2026-11-24` (queue and local date optional; changes compound by multiplication);
//! - training or meeting: `6@2026-11-24T14:00/16:00` (six agents on duty for the whole block,
//!   taken in agent-id order) or `A001,A002@2026-11-24T14:00/16:00` (named agents): on shift
//!   but off the queue.

use chrono::NaiveDate;

use crate::units::{format_clock, format_number, parse_change, parse_clock};

/// Local time range on one day, minutes after midnight (`end` may be 1440).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct LocalRange {
    /// Start, minutes after local midnight.
    pub start_minute: u32,
    /// End, minutes after local midnight (exclusive, up to 1440).
    pub end_minute: u32,
}

/// An agent away on a date, for the whole day or a time range.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Absence {
    /// Agent id.
    pub agent_id: String,
    /// Local date.
    pub date: NaiveDate,
    /// Time range, or the whole day.
    pub range: Option<LocalRange>,
}

/// A relative change of volume or AHT, optionally limited to one queue and one local date.
#[derive(Debug, Clone, PartialEq)]
pub struct Change {
    /// Queue id, or every queue.
    pub queue: Option<String>,
    /// Local date, or every day.
    pub date: Option<NaiveDate>,
    /// Relative change: 0.15 = +15 %.
    pub fraction: f64,
}

/// Which agents a training block takes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum TrainingAgents {
    /// This many agents on duty for the whole block (agent-id order).
    Count(u32),
    /// These agents.
    Named(Vec<String>),
}

/// A meeting or training block: agents on shift but off the queue.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Training {
    /// Who.
    pub agents: TrainingAgents,
    /// Local date.
    pub date: NaiveDate,
    /// Local time range.
    pub range: LocalRange,
}

/// One what-if variant.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Variant {
    /// Name shown in `whatif.csv`.
    pub name: String,
    /// Named absences.
    pub absences: Vec<Absence>,
    /// Expected random absence rate in [0, 1] (evaluated as its expected effect).
    pub absence_rate: Option<f64>,
    /// Volume changes.
    pub volume: Vec<Change>,
    /// AHT changes.
    pub aht: Vec<Change>,
    /// Training and meeting blocks.
    pub training: Vec<Training>,
    /// Whether to re-optimise the roster after the changes.
    pub reoptimize: bool,
}

/// Splits `text` at the last `@` into the part before and the date/time after.
fn split_at(text: &str) -> Option<(&str, &str)> {
    text.rsplit_once('@')
}

/// Parses `DATE` or `DATETHH:MM/HH:MM`.
fn parse_when(text: &str) -> std::result::Result<(NaiveDate, Option<LocalRange>), String> {
    let (date_text, range_text) = match text.split_once('T') {
        Some((d, r)) => (d, Some(r)),
        None => (text, None),
    };
    let date = NaiveDate::parse_from_str(date_text.trim(), "%Y-%m-%d").map_err(|_| {
        format!(
            "{} is not a date (YYYY-MM-DD)",
            crate::error::echo(date_text)
        )
    })?;
    let range = match range_text {
        None => None,
        Some(r) => {
            let (a, b) = r.split_once('/').ok_or_else(|| {
                format!(
                    "time range {} must look like 09:00/13:00",
                    crate::error::echo(r)
                )
            })?;
            let start_minute = parse_clock(a)?;
            let end_minute = parse_clock(b)?;
            if end_minute <= start_minute {
                return Err(format!(
                    "time range {} ends before it starts; write e.g. 09:00/13:00",
                    crate::error::echo(r)
                ));
            }
            Some(LocalRange {
                start_minute,
                end_minute,
            })
        }
    };
    Ok((date, range))
}

/// Parses `A017@2026-11-24` or `A017@2026-11-24T09:00/13:00`.
pub fn parse_absence(text: &str) -> std::result::Result<Absence, String> {
    let (agent, when) = split_at(text.trim()).ok_or_else(|| {
        format!(
            "{} must look like A017@2026-11-24 or A017@2026-11-24T09:00/13:00",
            crate::error::echo(text)
        )
    })?;
    if agent.trim().is_empty() {
        return Err(format!(
            "{} has no agent id before '@'",
            crate::error::echo(text)
        ));
    }
    let (date, range) = parse_when(when)?;
    Ok(Absence {
        agent_id: agent.trim().to_string(),
        date,
        range,
    })
}

/// Parses `+15%`, `chat:+30%`, `chat:+30%@2026-11-25` or `+5%@2026-11-24`.
pub fn parse_change_spec(text: &str) -> std::result::Result<Change, String> {
    let trimmed = text.trim();
    let (body, date) = match split_at(trimmed) {
        Some((body, when)) => {
            let (date, range) = parse_when(when)?;
            if range.is_some() {
                return Err(format!(
                    "{}: a change applies to whole days; drop the time range",
                    crate::error::echo(trimmed)
                ));
            }
            (body, Some(date))
        }
        None => (trimmed, None),
    };
    let (queue, amount) = match body.split_once(':') {
        Some((q, a)) => (Some(q.trim().to_string()), a),
        None => (None, body),
    };
    let fraction = parse_change(amount).map_err(|cause| {
        format!(
            "{}: {cause}; write e.g. +15% or chat:-10%@2026-11-25",
            crate::error::echo(trimmed)
        )
    })?;
    Ok(Change {
        queue,
        date,
        fraction,
    })
}

/// Parses `6@2026-11-24T14:00/16:00` or `A001,A002@2026-11-24T14:00/16:00`.
pub fn parse_training(text: &str) -> std::result::Result<Training, String> {
    let trimmed = text.trim();
    let (who, when) = split_at(trimmed).ok_or_else(|| {
        format!(
            "{} must look like 6@2026-11-24T14:00/16:00 or A001,A002@2026-11-24T14:00/16:00",
            crate::error::echo(trimmed)
        )
    })?;
    let (date, range) = parse_when(when)?;
    let range = range.ok_or_else(|| {
        format!(
            "{} needs a time range, e.g. {who}@{date}T14:00/16:00",
            crate::error::echo(trimmed)
        )
    })?;
    let who = who.trim();
    let agents = match who.parse::<u32>() {
        Ok(n) => TrainingAgents::Count(n),
        Err(_) if !who.is_empty() && who.bytes().all(|b| b.is_ascii_digit()) => {
            return Err(format!(
                "{} agents is more than any roster has; give a count of agents or their ids",
                crate::error::echo(who)
            ));
        }
        Err(_) => {
            let ids: Vec<String> = who
                .split(',')
                .map(|s| s.trim().to_string())
                .filter(|s| !s.is_empty())
                .collect();
            if ids.is_empty() {
                return Err(format!(
                    "{} names no agents before '@'",
                    crate::error::echo(trimmed)
                ));
            }
            TrainingAgents::Named(ids)
        }
    };
    Ok(Training {
        agents,
        date,
        range,
    })
}

/// Formats a change back to its text form.
pub fn format_change(change: &Change) -> String {
    let mut text = String::new();
    if let Some(q) = &change.queue {
        text.push_str(q);
        text.push(':');
    }
    let percent = change.fraction * 100.0;
    text.push_str(&format!(
        "{}{}%",
        if percent >= 0.0 { "+" } else { "" },
        format_number(percent, 2)
    ));
    if let Some(d) = change.date {
        text.push_str(&format!("@{d}"));
    }
    text
}

/// Formats a local range as `09:00/13:00`.
pub fn format_range(range: &LocalRange) -> String {
    format!(
        "{}/{}",
        format_clock(range.start_minute),
        format_clock(range.end_minute)
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_forms_parse() {
        let a = parse_absence("A017@2026-11-24T09:00/13:00").unwrap();
        assert_eq!(a.agent_id, "A017");
        assert_eq!(
            a.range,
            Some(LocalRange {
                start_minute: 540,
                end_minute: 780
            })
        );
        assert_eq!(parse_absence("A017@2026-11-24").unwrap().range, None);
        assert!(format!("{:?}", parse_absence("A017").unwrap_err()).contains("must look like"));
        assert!(
            format!(
                "{:?}",
                parse_absence("A017@2026-11-24T13:00/09:00").unwrap_err()
            )
            .contains("ends before it starts")
        );
        let c = parse_change_spec("chat:+30%@2026-11-25").unwrap();
        assert_eq!(c.queue.as_deref(), Some("chat"));
        assert!((c.fraction - 0.3).abs() < 1e-12);
        assert_eq!(c.date, NaiveDate::from_ymd_opt(2026, 11, 25));
        let c = parse_change_spec("-150%").unwrap();
        assert!((c.fraction + 1.5).abs() < 1e-12);
        assert!(
            format!("{:?}", parse_change_spec("lots").unwrap_err())
                .contains("cannot read fraction")
        );
        let t = parse_training("6@2026-11-24T14:00/16:00").unwrap();
        assert_eq!(t.agents, TrainingAgents::Count(6));
        let t = parse_training("A001,A002@2026-11-24T14:00/16:00").unwrap();
        assert_eq!(
            t.agents,
            TrainingAgents::Named(vec!["A001".into(), "A002".into()])
        );
        assert!(
            format!("{:?}", parse_training("6@2026-11-24").unwrap_err())
                .contains("needs a time range")
        );
        assert_eq!(
            format_change(&parse_change_spec("chat:+30%@2026-11-25").unwrap()),
            "chat:+30%@2026-11-25"
        );
    }
}
