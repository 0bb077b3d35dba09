//! The workforce-aware plan against brute force: on small centres every roster the named
//! agents can work is enumerated (each agent one shift option of their skill groups within
//! their availability, or none), the cheapest one that covers the requirement is found, and
//! the pipeline's plan and roster must cost the same, cover everything, and its LP bound must
//! not exceed that optimum. The anonymous plan (without the workforce) is cheaper and cannot be
//! staffed, so a plan that ignored the agents would fail here.

use staffplan::pipeline::plan::plan_roster;
use staffplan::scenario::Scenario;
use staffplan::schedule::{ScheduleInput, ScheduleOptions, candidate_shifts};

/// A one-day voice + chat centre (hourly, open 08:00–16:00) with dedicated and blended shift
/// templates and the given `[[agent]]` tables.
fn centre(agents: &str) -> Scenario {
    let text = format!(
        r#"
[plan]
start = 2026-11-23
days = 1
interval_minutes = 60
time_zone = "UTC"

[[queue]]
id = "voice"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[queue]]
id = "chat"
channel = "chat"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "unused.csv"

[[skill_group]]
id = "voice"
queues = ["voice"]

[[skill_group]]
id = "chat"
queues = ["chat"]

[[skill_group]]
id = "blended"
queues = ["voice", "chat"]

[[shift]]
name = "voice8"
skill_group = "voice"
length = "8h"
start_window = "08:00-08:00"
cost_per_hour = 20.0

[[shift]]
name = "chat8"
skill_group = "chat"
length = "8h"
start_window = "08:00-08:00"
cost_per_hour = 20.0

[[shift]]
name = "voice4"
skill_group = "voice"
length = "4h"
start_window = "08:00-12:00"
start_step = "4h"
cost_per_hour = 23.0

[[shift]]
name = "chat4"
skill_group = "chat"
length = "4h"
start_window = "08:00-12:00"
start_step = "4h"
cost_per_hour = 23.0

[[shift]]
name = "blend8"
skill_group = "blended"
length = "8h"
start_window = "08:00-08:00"
cost_per_hour = 21.0

{agents}
"#
    );
    Scenario::from_toml(&text, "centre.toml".as_ref(), ".".as_ref()).unwrap()
}

fn agent(id: &str, skills: &[&str], window: &str) -> String {
    let skills: Vec<String> = skills.iter().map(|s| format!("\"{s}\"")).collect();
    format!(
        "[[agent]]\nid = \"{id}\"\nskills = [{}]\n[agent.availability]\ndaily = \"{window}\"\n",
        skills.join(", ")
    )
}

/// One agent on voice and one on chat, every open hour.
fn requirement(scenario: &Scenario) -> Vec<Vec<u32>> {
    let mut row = vec![0u32; scenario.horizon.len()];
    for value in &mut row[8..16] {
        *value = 1;
    }
    vec![row.clone(), row]
}

/// The cheapest covering roster by enumeration: `None` when no roster covers.
fn brute_force(scenario: &Scenario, required: &[Vec<u32>]) -> Option<f64> {
    let rules = &scenario.shifts;
    let options = candidate_shifts(rules, &scenario.horizon);
    let agents = &scenario.workforce.agents;
    // Per agent: the options they can work (skill group and availability), plus none.
    let choices: Vec<Vec<Option<usize>>> = agents
        .iter()
        .map(|a| {
            let mut list = vec![None];
            for (k, c) in options.iter().enumerate() {
                let template = &rules.templates[c.template];
                let group = &rules.skill_groups[template.skill_group].id;
                let from = c.local_minute;
                let to = from + template.length_minutes;
                let available = a.availability[0].iter().any(|&(s, e)| s <= from && to <= e);
                if a.skill_groups.contains(group) && available {
                    list.push(Some(k));
                }
            }
            list
        })
        .collect();
    let mut best: Option<f64> = None;
    let mut pick = vec![0usize; agents.len()];
    loop {
        let chosen: Vec<usize> = pick
            .iter()
            .enumerate()
            .filter_map(|(a, &p)| choices[a][p])
            .collect();
        let cost: f64 = chosen
            .iter()
            .map(|&k| rules.templates[options[k].template].cost_per_agent())
            .sum();
        if best.is_none_or(|b| cost < b) && covers(scenario, &options, &chosen, required) {
            best = Some(cost);
        }
        // Next combination.
        let mut a = 0;
        loop {
            if a == agents.len() {
                return best;
            }
            pick[a] += 1;
            if pick[a] < choices[a].len() {
                break;
            }
            pick[a] = 0;
            a += 1;
        }
    }
}

/// Whether the chosen shifts cover the requirement in every hour: dedicated agents first,
/// blended agents then fill what is left on either queue.
fn covers(
    scenario: &Scenario,
    options: &[staffplan::schedule::CandidateShift],
    chosen: &[usize],
    required: &[Vec<u32>],
) -> bool {
    let rules = &scenario.shifts;
    (0..scenario.horizon.len()).all(|i| {
        let mut present = vec![0u32; rules.skill_groups.len()];
        for &k in chosen {
            let c = &options[k];
            let template = &rules.templates[c.template];
            let hour = c.local_minute as usize / 60;
            if (hour..hour + template.length_minutes as usize / 60).contains(&i) {
                present[template.skill_group] += 1;
            }
        }
        let voice_left = required[0][i].saturating_sub(present[0]);
        let chat_left = required[1][i].saturating_sub(present[1]);
        voice_left + chat_left <= present[2]
    })
}

/// The pipeline's plan for `required` costs the enumerated `optimum`, covers everything, is
/// fully staffed, and its bound does not exceed the optimum (`case` names it in failures).
fn assert_plan_is_optimal(scenario: &Scenario, required: Vec<Vec<u32>>, optimum: f64, case: &str) {
    let planned = plan_roster(scenario, required, None, &ScheduleOptions::default()).unwrap();
    let roster_cost: f64 = planned
        .outcome
        .roster
        .assignments
        .iter()
        .map(|a| a.slot.cost)
        .sum();
    assert!(
        planned.outcome.roster.unfilled.is_empty(),
        "{case}: {:?}",
        planned.outcome
    );
    let short: f64 = planned.schedule.coverage.shortfall.iter().flatten().sum();
    assert_eq!(short, 0.0, "{case}: the plan leaves requirement uncovered");
    assert!(
        (roster_cost - optimum).abs() < 1e-6,
        "{case}: plan {roster_cost} vs brute force {optimum}"
    );
    let bound = planned.workforce_lower_bound_cost.unwrap();
    assert!(
        bound <= optimum + 1e-6,
        "{case}: bound {bound} above the optimum {optimum}"
    );
}

fn check(agents: &str, expected: f64) {
    let scenario = centre(agents);
    let required = requirement(&scenario);
    let optimum = brute_force(&scenario, &required).expect("some roster covers");
    assert!((optimum - expected).abs() < 1e-9, "brute force {optimum}");
    assert_plan_is_optimal(&scenario, required.clone(), optimum, agents);
    // Without the workforce the plan is cheaper: the workforce is what binds here.
    let anonymous = staffplan::schedule::schedule(
        &ScheduleInput::new(&scenario, required),
        &ScheduleOptions::default(),
    )
    .unwrap();
    assert!(
        anonymous.report.cost < optimum - 1e-6,
        "anonymous {} vs {optimum}",
        anonymous.report.cost
    );
}

#[test]
fn the_one_chat_agent_works_mornings_so_a_blended_agent_takes_chat() {
    // C1 can only work 08:00-12:00 (a chat4); the afternoon's chat needs the blended agent
    // (voice by V1): chat4 92 + blend8 168 + voice8 160 would cost 420; V1 voice8 + B1 blend8
    // covers both queues all day for 328.
    let agents = [
        agent("V1", &["voice"], "08:00-16:00"),
        agent("C1", &["chat"], "08:00-12:00"),
        agent("B1", &["blended"], "08:00-16:00"),
    ]
    .join("\n");
    check(&agents, 160.0 + 168.0);
}

#[test]
fn two_half_day_voice_agents_and_a_chat_agent() {
    // No full-day voice agent: voice is two voice4 (184) or the blended agent (168, cheaper);
    // chat by C1's chat8 (160).
    let agents = [
        agent("V1", &["voice"], "08:00-12:00"),
        agent("V2", &["voice"], "12:00-16:00"),
        agent("C1", &["chat"], "08:00-16:00"),
        agent("B1", &["blended"], "08:00-16:00"),
    ]
    .join("\n");
    check(&agents, 168.0 + 160.0);
}

#[test]
fn only_half_day_agents_need_four_short_shifts() {
    // Everyone works half days: four 4-hour shifts (92 each).
    let agents = [
        agent("V1", &["voice"], "08:00-12:00"),
        agent("V2", &["voice"], "12:00-16:00"),
        agent("C1", &["chat"], "08:00-12:00"),
        agent("C2", &["chat"], "12:00-16:00"),
    ]
    .join("\n");
    check(&agents, 4.0 * 92.0);
}

/// Small seeded centres: 3 to 5 agents with random skill groups and half- or full-day
/// availability; the plan must match the enumeration whenever some roster covers, and report
/// what is uncovered when none does.
#[test]
fn random_small_centres_agree_with_enumeration() {
    let mut state = 0x5eed_u64;
    let mut next = |n: u64| {
        state = state
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        (state >> 33) % n
    };
    let groups = [
        &["voice"][..],
        &["chat"][..],
        &["blended"][..],
        &["voice", "chat"][..],
    ];
    let windows = ["08:00-16:00", "08:00-12:00", "12:00-16:00"];
    let mut compared = 0;
    for case in 0..40 {
        let count = 3 + next(3) as usize;
        let agents: Vec<String> = (0..count)
            .map(|k| {
                agent(
                    &format!("A{k}"),
                    groups[next(groups.len() as u64) as usize],
                    windows[next(windows.len() as u64) as usize],
                )
            })
            .collect();
        let scenario = centre(&agents.join("\n"));
        let required = requirement(&scenario);
        let Some(optimum) = brute_force(&scenario, &required) else {
            continue;
        };
        assert_plan_is_optimal(
            &scenario,
            required,
            optimum,
            &format!("case {case}: {agents:?}"),
        );
        compared += 1;
    }
    assert!(compared >= 10, "only {compared} coverable cases");
}
