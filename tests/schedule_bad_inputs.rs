//! Shift sections with several mistakes report every one at once, each with its code, field
//! path and the offending value; a requirement nobody can cover is not an error.

use std::path::Path;

use staffplan::scenario::Scenario;

const PLAN: &str = r#"
[plan]
start = 2026-11-23
days = 7
interval_minutes = 15
time_zone = "Europe/Lisbon"

[[queue]]
id = "voice"
channel = "voice"
aht = "3m"
service_level = 0.8
answer_within = "20s"
forecast = "v.csv"
"#;

fn codes(extra: &str) -> Vec<(String, String)> {
    let text = format!("{PLAN}{extra}");
    match Scenario::from_toml(&text, Path::new("s.toml"), Path::new(".")) {
        Ok(_) => Vec::new(),
        Err(e) => e
            .diagnostics()
            .into_iter()
            .map(|d| {
                (
                    d.code.to_string(),
                    format!("{} {} {}", d.place, d.cause, d.fix),
                )
            })
            .collect(),
    }
}

#[test]
fn every_shift_mistake_is_reported_at_once() {
    let found = codes(
        r#"
[[skill_group]]
id = "blended"
queues = ["voice", "chat"]

[[shift]]
name = "a"
length = "8h"
start_window = "06:00-10:00,08:00-12:00"
skill_group = "blended"

[[shift]]
name = "a"
length = "4h"
start_window = "08:00"
days = []
cost_per_hour = -3
skill_group = "nobody"
[[shift.break]]
duration = "5h"
earliest = "1h"
latest = "2h"

[[shift]]
name = "c"
length = "6h"
start_window = "08:07-09:00"
skill_group = "blended"
[[shift.break]]
duration = "30m"
earliest = "5h"
latest = "6h"
"#,
    );
    let list: Vec<&str> = found.iter().map(|(c, _)| c.as_str()).collect();
    for code in [
        "H1012", "H1004", "H1006", "H1010", "H1011", "H1007", "H1008", "H1014",
    ] {
        assert!(list.contains(&code), "{code} missing from {found:#?}");
    }
    let unknown_queue = found.iter().find(|(c, _)| c == "H1012").unwrap();
    assert!(unknown_queue.1.contains("\"chat\""), "{}", unknown_queue.1);
    assert!(unknown_queue.1.contains("skill_group[0].queues"));
}

#[test]
fn windows_past_midnight_and_typos_in_shift_keys() {
    assert!(
        codes("[[shift]]\nname = \"night\"\nlength = \"8h\"\nstart_window = \"22:00-02:00\"\n")
            .is_empty()
    );
    let found = codes("[[shift]]\nname = \"x\"\nlength = \"8h\"\nstart_windw = \"08:00\"\n");
    let (code, text) = &found[0];
    assert_eq!(code, "S1002");
    assert!(text.contains("start_window"), "{text}");
}

#[test]
fn a_scenario_without_shifts_still_loads_for_staffing() {
    let scenario = Scenario::from_toml(PLAN, Path::new("s.toml"), Path::new(".")).unwrap();
    assert!(scenario.shifts.templates.is_empty());
    assert_eq!(scenario.shifts.skill_groups.len(), 1);
    assert_eq!(scenario.shifts.skill_groups[0].id, "voice");
}
