//! How many named agents could be on duty in each interval: the cap a shift plan must respect
//! for the roster to staff it. `staffplan roster` re-plans with these caps when the agents
//! cannot staff the first plan, instead of silently dropping shifts.

use crate::domain::calendar::WeeklyAvailability;
use crate::domain::{Agent, TimeOff};
use crate::time::Horizon;
use chrono::{Datelike, Timelike};

/// Agents available per interval, per skill group and in total.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AvailabilityCaps {
    /// Skill groups, in the order given.
    pub skill_groups: Vec<String>,
    /// `per_group[g][i]`: agents with skill group `g` available for all of interval `i`.
    pub per_group: Vec<Vec<u32>>,
    /// `total[i]`: agents with any of the skill groups available for all of interval `i` (an
    /// agent with two skills counts once: the cap on the sum over groups).
    pub total: Vec<u32>,
}

/// Counts, for every interval of `horizon`, the agents whose availability (in their own zone)
/// covers the interval and who are not on time off during it.
pub fn availability_caps(
    agents: &[Agent],
    time_off: &[TimeOff],
    horizon: &Horizon,
    skill_groups: &[String],
) -> AvailabilityCaps {
    let minutes = horizon.interval_minutes();
    let mut per_group = vec![vec![0u32; horizon.len()]; skill_groups.len()];
    let mut total = vec![0u32; horizon.len()];
    for agent in agents {
        let groups: Vec<usize> = skill_groups
            .iter()
            .enumerate()
            .filter(|(_, g)| agent.skill_groups.contains(g))
            .map(|(k, _)| k)
            .collect();
        if groups.is_empty() {
            continue;
        }
        let week = WeeklyAvailability::new(&agent.availability);
        let off: Vec<&TimeOff> = time_off.iter().filter(|t| t.agent_id == agent.id).collect();
        for i in 0..horizon.len() {
            let (start, end) = (horizon.start(i), horizon.end_of(i));
            let local = start.with_timezone(&agent.time_zone);
            let available =
                week.contains(local.weekday(), local.hour() * 60 + local.minute(), minutes)
                    && !off.iter().any(|t| t.start < end && start < t.end);
            if available {
                total[i] += 1;
                for &g in &groups {
                    per_group[g][i] += 1;
                }
            }
        }
    }
    AvailabilityCaps {
        skill_groups: skill_groups.to_vec(),
        per_group,
        total,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::domain::Contract;
    use chrono::NaiveDate;

    #[test]
    fn caps_follow_each_agents_own_zone_and_time_off() {
        let new_york: chrono_tz::Tz = "America/New_York".parse().unwrap();
        let lisbon: chrono_tz::Tz = "Europe/Lisbon".parse().unwrap();
        let horizon = Horizon::new(
            NaiveDate::from_ymd_opt(2026, 11, 23).unwrap(),
            1,
            60,
            new_york,
        )
        .unwrap();
        let agent = |id: &str, zone, skills: &[&str]| Agent {
            id: id.into(),
            name: id.into(),
            skill_groups: skills.iter().map(|s| s.to_string()).collect(),
            time_zone: zone,
            contract: Contract {
                min_weekly_hours: 0.0,
                max_weekly_hours: 40.0,
                max_days_per_week: 5,
                max_consecutive_days: 5,
            },
            availability: std::array::from_fn(|_| vec![(8 * 60, 16 * 60)]),
            preferred_template: None,
            preferred_start_minute: None,
        };
        let agents = [
            agent("L", lisbon, &["voice", "chat"]),
            agent("N", new_york, &["voice"]),
        ];
        let off_start =
            crate::roster::synthetic::local_instant(new_york, horizon.start_date(), 9, 0);
        let time_off = [TimeOff {
            agent_id: "N".into(),
            start: off_start,
            end: off_start + chrono::Duration::hours(1),
            reason: "x".into(),
        }];
        let caps = availability_caps(
            &agents,
            &time_off,
            &horizon,
            &["voice".into(), "chat".into()],
        );
        // Lisbon 08:00-16:00 is New York 03:00-11:00; New York 08:00-16:00 minus 09:00-10:00.
        let voice: Vec<u32> = caps.per_group[0].clone();
        assert_eq!(voice[2], 0);
        assert_eq!(voice[3], 1);
        assert_eq!(voice[8], 2);
        assert_eq!(voice[9], 1);
        assert_eq!(voice[11], 1);
        assert_eq!(caps.per_group[1][3], 1);
        assert_eq!(caps.per_group[1][11], 0);
        assert_eq!(caps.total[8], 2);
    }
}
