//! iCalendar (RFC 5545) files of the roster: one `VEVENT` per shift, times in UTC (`DTSTART`
//! with a `Z` suffix needs no `VTIMEZONE`; calendar apps show it in the reader's zone). Line
//! folding, escaping and CRLF line ends come from the `icalendar` crate.
//!
//! `UID` is stable across runs (`{slot_id}/{agent_id}@staffplan`), and `DTSTAMP` is the plan's
//! first instant, so the same roster gives a byte-identical file.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::{DateTime, Utc};
use icalendar::{Calendar, CalendarDateTime, Component, Event, EventLike, Property};

use crate::domain::{Agent, Assignment};
use crate::error::{Error, Result};

/// The calendar of `assignments` (all agents, or filter them first for one agent's file).
pub fn calendar(
    name: &str,
    assignments: &[&Assignment],
    agents: &[Agent],
    dtstamp: DateTime<Utc>,
) -> Calendar {
    let by_id: BTreeMap<&str, &Agent> = agents.iter().map(|a| (a.id.as_str(), a)).collect();
    let mut calendar = Calendar::empty();
    calendar.append_property(Property::new("VERSION", "2.0"));
    calendar.append_property(Property::new("PRODID", "-//staffplan//roster//EN"));
    calendar.append_property(Property::new("CALSCALE", "GREGORIAN"));
    calendar.append_property(Property::new("METHOD", "PUBLISH"));
    calendar.name(name);
    let mut sorted: Vec<&&Assignment> = assignments.iter().collect();
    sorted.sort_by(|x, y| {
        (&x.agent_id, x.slot.start, &x.slot.slot_id).cmp(&(
            &y.agent_id,
            y.slot.start,
            &y.slot.slot_id,
        ))
    });
    for a in sorted {
        let agent = by_id.get(a.agent_id.as_str());
        let agent_name = agent.map_or(a.agent_id.as_str(), |g| g.name.as_str());
        let zone = agent.map_or(chrono_tz::Tz::UTC, |g| g.time_zone);
        let breaks: Vec<String> = a
            .slot
            .breaks
            .iter()
            .map(|b| {
                format!(
                    "{}-{}{}",
                    b.start.with_timezone(&zone).format("%H:%M"),
                    b.end.with_timezone(&zone).format("%H:%M"),
                    if b.paid { " (paid)" } else { "" }
                )
            })
            .collect();
        let description = format!(
            "Agent: {agent_name} ({})\nSkill group: {}\nShift: {}\nPaid hours: {}\nBreaks: {}",
            a.agent_id,
            a.slot.skill_group,
            a.slot.template,
            crate::units::format_number(a.slot.paid_seconds / 3600.0, 2),
            if breaks.is_empty() {
                "none".to_string()
            } else {
                breaks.join(", ")
            }
        );
        let event = Event::new()
            .uid(&format!("{}/{}@staffplan", a.slot.slot_id, a.agent_id))
            .timestamp(dtstamp)
            .starts(CalendarDateTime::Utc(a.slot.start))
            .ends(CalendarDateTime::Utc(a.slot.end))
            .summary(&format!("{} shift: {agent_name}", a.slot.skill_group))
            .description(&description)
            .done();
        calendar.push(event);
    }
    calendar.done()
}

/// Writes one calendar as `.ics` text.
pub fn write_ics<W: Write>(mut writer: W, calendar: &Calendar) -> Result<()> {
    write!(writer, "{calendar}").map_err(|e| Error::io(std::path::Path::new("roster.ics"), e))
}

/// File name of an agent's own calendar: `roster-{agent_id}.ics` (ids are file-name safe).
pub fn agent_file_name(agent_id: &str) -> String {
    format!("roster-{agent_id}.ics")
}
