//! Seeded synthetic roster instances (agents, time off and a shift plan) for benches and
//! scale tests. The plan asks for about `load` × what the agents can work, so that a good
//! assignment fills nearly all of it and a poor one does not.

use chrono::{Datelike, Duration, NaiveDate, TimeZone, Utc};
use chrono_tz::Tz;

use crate::domain::{Agent, BreakSlot, Contract, ShiftSlot, TimeOff};
use crate::time::{Horizon, local_day_start};

/// A generated instance.
#[derive(Debug, Clone)]
pub struct SyntheticCase {
    /// Agents, ids `A0001`...
    pub agents: Vec<Agent>,
    /// Time off.
    pub time_off: Vec<TimeOff>,
    /// The shift plan.
    pub slots: Vec<ShiftSlot>,
}

/// Deterministic pseudo-random numbers (SplitMix64) so that instances need no extra crate.
#[derive(Debug, Clone)]
pub struct SplitMix(u64);

impl SplitMix {
    /// A generator from a seed.
    pub fn new(seed: u64) -> Self {
        SplitMix(seed)
    }

    /// Next 64 random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `[0, 1)`.
    pub fn unit(&mut self) -> f64 {
        (self.next_u64() >> 11) as f64 / (1u64 << 53) as f64
    }

    /// Uniform in `0..n` (`n > 0`).
    pub fn below(&mut self, n: usize) -> usize {
        (self.unit() * n as f64) as usize % n.max(1)
    }
}

/// Generates `agent_count` agents in `zones` (round robin) and a plan over `horizon` of
/// about `load` × the agents' capacity, with skill groups `voice` and `chat`.
pub fn generate(
    agent_count: usize,
    horizon: &Horizon,
    zones: &[Tz],
    load: f64,
    seed: u64,
) -> SyntheticCase {
    let mut rng = SplitMix::new(seed);
    let zones: Vec<Tz> = if zones.is_empty() {
        vec![horizon.zone()]
    } else {
        zones.to_vec()
    };
    let mut agents = Vec::with_capacity(agent_count);
    let mut time_off = Vec::new();
    // Shifts-per-week capacity by skill group (an agent with both counts half in each).
    let mut capacity = [0.0f64; 2];
    for k in 0..agent_count {
        let skills_roll = rng.unit();
        let skill_groups: Vec<String> = if skills_roll < 0.55 {
            vec!["voice".into()]
        } else if skills_roll < 0.8 {
            vec!["chat".into()]
        } else {
            vec!["chat".into(), "voice".into()]
        };
        let full_time = rng.unit() < 0.7;
        let contract = if full_time {
            Contract {
                min_weekly_hours: 32.0,
                max_weekly_hours: 40.0,
                max_days_per_week: 5,
                max_consecutive_days: 5,
            }
        } else {
            Contract {
                min_weekly_hours: 12.0,
                max_weekly_hours: 24.0,
                max_days_per_week: 4,
                max_consecutive_days: 4,
            }
        };
        let shifts = if full_time { 5.0 } else { 3.0 };
        let share = 1.0 / skill_groups.len() as f64;
        for group in &skill_groups {
            capacity[usize::from(group == "chat")] += shifts * share;
        }
        let weekend_off = rng.unit() < 0.3;
        let evening = rng.unit() < 0.2;
        let availability: [Vec<(u32, u32)>; 7] = std::array::from_fn(|day| {
            if day >= 5 && weekend_off {
                Vec::new()
            } else if evening {
                vec![(10 * 60, 24 * 60)]
            } else {
                vec![(6 * 60, 22 * 60)]
            }
        });
        let zone = zones[k % zones.len()];
        let id = format!("A{:04}", k + 1);
        if rng.unit() < 0.08 {
            let day = rng.below(horizon.days() as usize) as i64;
            let date = horizon.start_date() + Duration::days(day);
            let length = 1 + rng.below(2) as i64;
            time_off.push(TimeOff {
                agent_id: id.clone(),
                start: local_day_start(zone, date),
                end: local_day_start(zone, date + Duration::days(length)),
                reason: "vacation".into(),
            });
        }
        agents.push(Agent {
            name: format!("Agent {}", k + 1),
            id,
            skill_groups,
            time_zone: zone,
            contract,
            availability,
            preferred_template: None,
            preferred_start_minute: (rng.unit() < 0.3).then(|| (7 + rng.below(5) as u32) * 60),
        });
    }
    let slots = plan(horizon, &capacity, load, &mut rng);
    SyntheticCase {
        agents,
        time_off,
        slots,
    }
}

fn plan(horizon: &Horizon, capacity: &[f64; 2], load: f64, rng: &mut SplitMix) -> Vec<ShiftSlot> {
    let zone = horizon.zone();
    let mut slots = Vec::new();
    let day_weight = |date: NaiveDate| match date.weekday().num_days_from_monday() {
        5 => 0.6,
        6 => 0.4,
        _ => 1.0,
    };
    let week_weight: f64 = (0..7)
        .map(|d| day_weight(horizon.start_date() + Duration::days(d)))
        .sum();
    for day in 0..horizon.days() as usize {
        let date = horizon.date_of_day(day);
        for (g, group) in ["voice", "chat"].iter().enumerate() {
            let count = (capacity[g] * load * day_weight(date) / week_weight).round() as usize;
            for k in 0..count {
                // Starts 06:00-14:00 on the quarter hour, most between 07:00 and 10:00.
                let quarter = if rng.unit() < 0.6 {
                    4 + rng.below(13)
                } else {
                    rng.below(33)
                };
                let minute = 6 * 60 + 15 * quarter as u32;
                let naive = date.and_hms_opt(minute / 60, minute % 60, 0);
                let Some(start) = naive.and_then(|n| zone.from_local_datetime(&n).earliest())
                else {
                    continue;
                };
                let start = start.with_timezone(&Utc);
                let long = rng.unit() < 0.75;
                let (template, hours): (&str, i32) = if long { ("day8", 8) } else { ("part6", 6) };
                let end = start + Duration::hours(i64::from(hours));
                let mut breaks = vec![BreakSlot {
                    start: start + Duration::minutes(120),
                    end: start + Duration::minutes(135),
                    paid: true,
                }];
                let mut paid = f64::from(hours * 3600);
                if long {
                    breaks.push(BreakSlot {
                        start: start + Duration::minutes(240),
                        end: start + Duration::minutes(270),
                        paid: false,
                    });
                    paid -= 1800.0;
                }
                slots.push(ShiftSlot {
                    slot_id: format!("{template}-{group}@{}#{k}", crate::time::format_utc(start)),
                    template: template.into(),
                    skill_group: (*group).into(),
                    start,
                    end,
                    local_date: date,
                    breaks,
                    paid_seconds: paid,
                    cost: paid / 3600.0 * 20.0,
                });
            }
        }
    }
    slots.sort_by(|a, b| (a.start, &a.slot_id).cmp(&(b.start, &b.slot_id)));
    slots
}

/// A UTC instant from a local date and clock in `zone` (earliest when ambiguous).
pub fn local_instant(zone: Tz, date: NaiveDate, hour: u32, minute: u32) -> chrono::DateTime<Utc> {
    date.and_hms_opt(hour, minute, 0)
        .and_then(|n| zone.from_local_datetime(&n).earliest())
        .map(|t| t.with_timezone(&Utc))
        .unwrap_or_else(|| local_day_start(zone, date))
}
