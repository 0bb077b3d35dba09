//! Agents and time-off CSV readers (contracts, availability, time off in the agents' zones):
//! any bytes, never a panic. The input is split at the first NUL byte into the agents file and
//! the time-off file.
#![no_main]

use libfuzzer_sys::fuzz_target;
use staffplan::scenario::agents::{PlanFacts, validate_csv_texts};

fuzz_target!(|data: &[u8]| {
    let (agents, time_off) = match data.iter().position(|&b| b == 0) {
        Some(i) => (&data[..i], &data[i + 1..]),
        None => (data, &b"agent_id,start,end,reason\n"[..]),
    };
    let agents = String::from_utf8_lossy(agents);
    let time_off = String::from_utf8_lossy(time_off);
    let groups = ["support".to_string(), "sales".to_string()];
    let templates = ["day".to_string()];
    let facts = PlanFacts {
        zone: chrono_tz::America::New_York,
        skill_groups: &groups,
        templates: &templates,
    };
    let _ = validate_csv_texts(&agents, &time_off, facts);
});
