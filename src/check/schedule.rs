//! The independent schedule checker: re-reads `shifts.csv` and verifies every rule of the
//! scenario (templates, skill groups, start windows, weekdays, breaks, limits), then recomputes
//! the coverage from the timestamps alone: agents present and on break per skill group per
//! interval, and the requirement no allocation of those agents to their queues can cover. That
//! shortfall is the deficiency of a transportation problem (Gale's theorem): the largest
//! `required(S) − present(groups serving S)` over sets `S` of queues, found by enumerating the
//! subsets of each connected set of queues. No solver value, allocation or interval offset of
//! the model is used.

use std::collections::BTreeMap;
use std::io::Read;

use chrono::{DateTime, Datelike, Duration, NaiveDate, Utc};
use serde::Deserialize;

use crate::error::{Error, Result};
use crate::scenario::ShiftRules;
use crate::time::{Horizon, format_local};

/// What a shift plan is checked against.
#[derive(Debug, Clone, Copy)]
pub struct PlanContext<'a> {
    /// The planning grid.
    pub horizon: &'a Horizon,
    /// Steady-state week: time past the end wraps onto the start.
    pub cyclic: bool,
    /// Templates, skill groups and limits the plan was made under.
    pub rules: &'a ShiftRules,
    /// `required[q][i]`: agents on shift and not on break needed on queue `q` in interval `i`.
    pub required: &'a [Vec<u32>],
}

/// The columns of a `shifts.csv` row that the checker reads (others are ignored).
#[derive(Debug, Clone, PartialEq, Deserialize)]
pub struct ShiftsCsvRow {
    /// Template name.
    pub template: String,
    /// Skill group id.
    pub skill_group: String,
    /// Local date the shift belongs to.
    pub local_date: String,
    /// UTC start.
    pub start_utc: String,
    /// UTC end.
    pub end_utc: String,
    /// Local start with offset.
    pub start_local: String,
    /// Agents on this shift with these breaks.
    pub agents: u32,
    /// Break starts in UTC, `;`-separated, template order.
    pub break_starts_utc: String,
}

/// One rule a schedule breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Violation {
    /// Line in shifts.csv (1 = header), when the violation belongs to a row.
    pub line: Option<usize>,
    /// Short rule name, e.g. `break_window`.
    pub rule: &'static str,
    /// What is wrong, with the values.
    pub message: String,
}

impl std::fmt::Display for Violation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.line {
            Some(line) => write!(f, "shifts.csv:{line}: {}: {}", self.rule, self.message),
            None => write!(f, "{}: {}", self.rule, self.message),
        }
    }
}

/// What the checker found.
#[derive(Debug, Clone)]
pub struct ScheduleCheck {
    /// Every violated rule.
    pub violations: Vec<Violation>,
    /// `present[g][i]`: agents of skill group `g` on shift and not on break.
    pub present: Vec<Vec<f64>>,
    /// `on_break[g][i]`: agents of skill group `g` on break.
    pub on_break: Vec<Vec<f64>>,
    /// `shortfall[i]`: requirement of interval `i` (all queues) that no allocation of the
    /// present agents covers.
    pub shortfall: Vec<f64>,
    /// Cost recomputed from the templates.
    pub cost: f64,
    /// Agent-shifts.
    pub agent_shifts: u64,
}

impl ScheduleCheck {
    /// Understaffed agent-hours of the whole plan.
    pub fn shortfall_agent_hours(&self, horizon: &Horizon) -> f64 {
        self.shortfall.iter().sum::<f64>() * horizon.interval_seconds() / 3600.0
    }
}

/// Reads `shifts.csv` rows with their line numbers.
pub fn read_shifts_csv<R: Read>(reader: R, source: &str) -> Result<Vec<(usize, ShiftsCsvRow)>> {
    let mut csv = csv::Reader::from_reader(reader);
    let mut rows = Vec::new();
    for (k, record) in csv.deserialize::<ShiftsCsvRow>().enumerate() {
        let row = record.map_err(|e| {
            Error::input(
                "H2002",
                format!("{source}:{}", k + 2),
                format!("cannot read the row: {e}"),
                "give a shifts.csv as written by `staffplan schedule`",
            )
        })?;
        rows.push((k + 2, row));
    }
    Ok(rows)
}

fn parse_utc(text: &str) -> Option<DateTime<Utc>> {
    DateTime::parse_from_rfc3339(text.trim())
        .ok()
        .map(|t| t.with_timezone(&Utc))
}

/// Adds `sign` × the share of every interval covered by `[from, to)` to `row`; in a cyclic
/// plan time past the horizon end wraps onto its start.
fn add_span(
    row: &mut [f64],
    context: &PlanContext<'_>,
    from: DateTime<Utc>,
    to: DateTime<Utc>,
    sign: f64,
) {
    let horizon = context.horizon;
    let begin = horizon.horizon_start();
    let end = horizon.horizon_end();
    let period = end - begin;
    let interval = horizon.interval_seconds();
    let mut pieces = vec![(from, to)];
    if context.cyclic && period > Duration::zero() {
        let mut wrapped = Vec::new();
        for (a, b) in pieces {
            let mut a = a;
            let mut b = b;
            while b > end {
                if a < end {
                    wrapped.push((a, end));
                    a = end;
                }
                a -= period;
                b -= period;
            }
            wrapped.push((a, b));
        }
        pieces = wrapped;
    }
    for (a, b) in pieces {
        let a = a.max(begin);
        let b = b.min(end);
        if a >= b {
            continue;
        }
        let Some(first) = horizon.index_containing(a) else {
            continue;
        };
        let mut i = first;
        while i < horizon.len() && horizon.start(i) < b {
            let lo = horizon.start(i).max(a);
            let hi = horizon.end_of(i).min(b);
            if hi > lo {
                row[i] += sign * (hi - lo).num_seconds() as f64 / interval;
            }
            i += 1;
        }
    }
}

/// Checks `rows` (from [`read_shifts_csv`]) against the rules of `context` and recomputes the
/// coverage.
pub fn check_schedule(context: &PlanContext<'_>, rows: &[(usize, ShiftsCsvRow)]) -> ScheduleCheck {
    let horizon = context.horizon;
    let zone = horizon.zone();
    let rules = context.rules;
    let n = horizon.len();
    let mut violations = Vec::new();
    let mut present = vec![vec![0.0; n]; rules.skill_groups.len()];
    let mut on_break = vec![vec![0.0; n]; rules.skill_groups.len()];
    let mut per_template_day: BTreeMap<(usize, NaiveDate), u64> = BTreeMap::new();
    let mut per_day: BTreeMap<NaiveDate, u64> = BTreeMap::new();
    let mut cost = 0.0;
    let mut agent_shifts = 0;
    let interval_seconds = i64::from(horizon.interval_minutes()) * 60;
    for (line, row) in rows {
        let line = Some(*line);
        let mut flag = |rule: &'static str, message: String| {
            violations.push(Violation {
                line,
                rule,
                message,
            })
        };
        let Some(t) = rules.templates.iter().position(|t| t.name == row.template) else {
            flag(
                "template",
                format!("unknown template {}", crate::error::echo(&row.template)),
            );
            continue;
        };
        let template = &rules.templates[t];
        let group = &rules.skill_groups[template.skill_group];
        if row.skill_group != group.id {
            flag(
                "skill_group",
                format!(
                    "template {} belongs to skill group {}, row says {}",
                    template.name,
                    crate::error::echo(&group.id),
                    crate::error::echo(&row.skill_group)
                ),
            );
        }
        if row.agents == 0 {
            flag("agents", "a row with zero agents".into());
        }
        let (Some(start), Some(end)) = (parse_utc(&row.start_utc), parse_utc(&row.end_utc)) else {
            flag("timestamp", "start_utc or end_utc cannot be read".into());
            continue;
        };
        if row.start_local != format_local(start, zone) {
            flag(
                "local_time",
                format!(
                    "start_local {} is not start_utc {} in {zone}",
                    row.start_local, row.start_utc
                ),
            );
        }
        if end - start != Duration::minutes(i64::from(template.length_minutes)) {
            flag(
                "length",
                format!(
                    "shift lasts {} minutes, template {} lasts {}",
                    (end - start).num_minutes(),
                    template.name,
                    template.length_minutes
                ),
            );
        }
        if (start - horizon.horizon_start()).num_seconds() % interval_seconds != 0 {
            flag(
                "grid",
                format!("start {} is not on the interval grid", row.start_utc),
            );
        }
        let Ok(date) = NaiveDate::parse_from_str(&row.local_date, "%Y-%m-%d") else {
            flag(
                "local_date",
                format!(
                    "cannot read local_date {}",
                    crate::error::echo(&row.local_date)
                ),
            );
            continue;
        };
        if horizon.day_of_date(date).is_none() {
            flag("local_date", format!("{date} is not a day of the plan"));
        }
        if !template.days[date.weekday().num_days_from_monday() as usize] {
            flag(
                "weekday",
                format!(
                    "template {} may not start on {} ({date}); allowed: {}",
                    template.name,
                    date.weekday(),
                    template.describe_days()
                ),
            );
        }
        // Start minute in wall-clock time after local midnight of the shift's date.
        let local = start.with_timezone(&zone).naive_local();
        let midnight = date.and_hms_opt(0, 0, 0).unwrap_or_default();
        let minute = (local - midnight).num_minutes();
        if minute < 0 || !template.allows_start_minute(minute as u32) {
            flag(
                "start_window",
                format!(
                    "start {} ({} minutes after {date} 00:00) is not in {}'s start windows {} \
                     every {} min",
                    row.start_local,
                    minute,
                    template.name,
                    template.describe_windows(),
                    template.start_step_minutes
                ),
            );
        }
        // Breaks.
        let break_starts: Vec<&str> = row
            .break_starts_utc
            .split(';')
            .filter(|s| !s.trim().is_empty())
            .collect();
        if break_starts.len() != template.breaks.len() {
            flag(
                "breaks",
                format!(
                    "{} break starts, template {} has {} breaks",
                    break_starts.len(),
                    template.name,
                    template.breaks.len()
                ),
            );
        }
        let mut break_spans = Vec::new();
        for (k, (text, rule)) in break_starts.iter().zip(&template.breaks).enumerate() {
            let Some(b) = parse_utc(text) else {
                flag(
                    "breaks",
                    format!(
                        "break {k} start {} cannot be read",
                        crate::error::echo(text)
                    ),
                );
                continue;
            };
            let offset = (b - start).num_minutes();
            if offset < i64::from(rule.earliest_minutes) || offset > i64::from(rule.latest_minutes)
            {
                flag(
                    "break_window",
                    format!(
                        "break {k} starts {offset} minutes into the shift, allowed {}..{}",
                        rule.earliest_minutes, rule.latest_minutes
                    ),
                );
            }
            if (b - horizon.horizon_start()).num_seconds() % interval_seconds != 0 {
                flag(
                    "grid",
                    format!("break {k} start {text} is not on the interval grid"),
                );
            }
            let b_end = b + Duration::minutes(i64::from(rule.duration_minutes));
            if b < start || b_end > end {
                flag("break_window", format!("break {k} is not inside the shift"));
            }
            break_spans.push((b, b_end));
        }
        for pair in break_spans.windows(2) {
            if pair[1].0 < pair[0].1 {
                flag("break_overlap", "two breaks of the shift overlap".into());
            }
        }
        // Tallies and coverage.
        let agents = f64::from(row.agents);
        *per_template_day.entry((t, date)).or_default() += u64::from(row.agents);
        *per_day.entry(date).or_default() += u64::from(row.agents);
        cost += agents * template.cost_per_agent();
        agent_shifts += u64::from(row.agents);
        let g = template.skill_group;
        add_span(&mut present[g], context, start, end, agents);
        for &(b, b_end) in &break_spans {
            add_span(&mut present[g], context, b, b_end, -agents);
            add_span(&mut on_break[g], context, b, b_end, agents);
        }
    }
    for (t, template) in rules.templates.iter().enumerate() {
        for day in 0..horizon.days() as usize {
            let date = horizon.date_of_day(day);
            let count = per_template_day.get(&(t, date)).copied().unwrap_or(0);
            if let Some(max) = template.max_agents
                && count > u64::from(max)
            {
                violations.push(Violation {
                    line: None,
                    rule: "max_agents",
                    message: format!(
                        "{count} agents start {} on {date}, max_agents = {max}",
                        template.name
                    ),
                });
            }
            let allowed = template.days[date.weekday().num_days_from_monday() as usize];
            if let Some(min) = template.min_agents
                && allowed
                && count < u64::from(min)
            {
                violations.push(Violation {
                    line: None,
                    rule: "min_agents",
                    message: format!(
                        "{count} agents start {} on {date}, min_agents = {min}",
                        template.name
                    ),
                });
            }
        }
    }
    if let Some(max) = rules.max_headcount_per_day {
        for (date, count) in &per_day {
            if *count > u64::from(max) {
                violations.push(Violation {
                    line: None,
                    rule: "max_headcount_per_day",
                    message: format!("{count} agents start on {date}, limit {max}"),
                });
            }
        }
    }
    let shortfall = (0..n)
        .map(|i| {
            let here: Vec<f64> = present.iter().map(|row| row[i]).collect();
            let need: Vec<f64> = context
                .required
                .iter()
                .map(|row| f64::from(row.get(i).copied().unwrap_or(0)))
                .collect();
            uncoverable(rules, &here, &need)
        })
        .collect();
    ScheduleCheck {
        violations,
        present,
        on_break,
        shortfall,
        cost,
        agent_shifts,
    }
}

/// Queues per connected component of the skill-group graph, each at most this many queues for
/// the subset enumeration (2^16 subsets).
const MAX_COMPONENT_QUEUES: usize = 16;

/// Requirement no allocation of `present[g]` agents (group `g` serves its queues) to the queues
/// can cover: per connected set of queues, the largest `need(S) − present(groups touching S)`
/// over its subsets `S` (zero for the empty set). Components larger than
/// [`MAX_COMPONENT_QUEUES`] are bounded by their total (`need − present`, a lower bound).
fn uncoverable(rules: &ShiftRules, present: &[f64], need: &[f64]) -> f64 {
    let queues = need.len();
    // Union-find over queues joined by a group that serves both.
    let mut parent: Vec<usize> = (0..queues).collect();
    fn root(parent: &mut [usize], mut q: usize) -> usize {
        while parent[q] != q {
            parent[q] = parent[parent[q]];
            q = parent[q];
        }
        q
    }
    for group in &rules.skill_groups {
        for pair in group.queues.windows(2) {
            let (a, b) = (root(&mut parent, pair[0]), root(&mut parent, pair[1]));
            parent[a] = b;
        }
    }
    let mut components: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for q in 0..queues {
        let r = root(&mut parent, q);
        components.entry(r).or_default().push(q);
    }
    let mut total = 0.0;
    for members in components.values() {
        // Groups of this component as bit masks over its members.
        let masks: Vec<(u32, f64)> = rules
            .skill_groups
            .iter()
            .zip(present)
            .filter_map(|(group, &agents)| {
                let mask = members
                    .iter()
                    .enumerate()
                    .filter(|(_, q)| group.queues.contains(q))
                    .fold(0u32, |m, (k, _)| m | (1 << k.min(31)));
                (mask != 0).then_some((mask, agents))
            })
            .collect();
        if members.len() > MAX_COMPONENT_QUEUES {
            let need_all: f64 = members.iter().map(|&q| need[q]).sum();
            let have: f64 = masks.iter().map(|m| m.1).sum();
            total += (need_all - have).max(0.0);
            continue;
        }
        let mut worst = 0.0f64;
        for subset in 1u32..(1 << members.len()) {
            let need_s: f64 = members
                .iter()
                .enumerate()
                .filter(|(k, _)| subset & (1 << k) != 0)
                .map(|(_, &q)| need[q])
                .sum();
            let supply: f64 = masks
                .iter()
                .filter(|(mask, _)| mask & subset != 0)
                .map(|m| m.1)
                .sum();
            worst = worst.max(need_s - supply);
        }
        total += worst;
    }
    // Sums of quarter shares carry float noise; six decimals are what the files show.
    (total * 1e6).round() / 1e6
}
